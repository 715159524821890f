//! Why order groups exist: a market maker caps how much it can be filled in 15 seconds, and
//! hears from the stream the moment the cap is hit.
//!
//! ```sh
//! cargo run -p kalshi-transport-ureq --example market_maker_order_group
//! ```
//!
//! A market-making bot opens the stream first (its `fill` and `order_group_updates`
//! channels), then rests quotes on both sides of a market, all in one order group with a small
//! contracts limit. A second account sweeps the asks. From then on the bot reacts to what the
//! stream pushes, without polling: it prints each fill as it arrives; the group's `triggered`
//! event tells it that the exchange cancelled its remaining quotes (the sweep crossed the
//! limit); it resets the group and, once the `reset` event confirms it, quotes again. After two
//! triggers it prints where it stands (positions and balance, over REST) and stops. Each wait
//! for an event is bounded: a stream silent for 10 s ends the run with an error.
//!
//! It runs on the built-in local simulator (two accounts trading against each other need two
//! API keys; on the real exchange, run the bot's half with your key and let the market be the
//! counterparty).

use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use kalshi_core::enums::{BookSide, TimeInForce};
use kalshi_core::order_groups::{CreateOrderGroup, ResetOrderGroup};
use kalshi_core::orders::{CreateOrder, Placed};
use kalshi_core::portfolio::{GetBalance, GetPositions};
use kalshi_core::stream::message::{OrderGroupEventType, StreamMessage};
use kalshi_core::stream::session::Event;
use kalshi_core::stream::{Channel, Subscribe};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount, FixedPointDollars};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Error, StreamClient, StreamClientConfig, StreamEvent};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const GROUP_LIMIT: u64 = 5;
/// The bot stops after this many triggers of its group.
const TRIGGERS: usize = 2;
/// The longest the bot waits for the next stream event before it gives up.
const QUIET_LIMIT: Duration = Duration::from_secs(10);

fn count(s: &str) -> Result<FixedPointCount> {
    Ok(s.parse()?)
}

fn price(s: &str) -> Result<FixedPointDollars> {
    Ok(s.parse()?)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let sim = Simulator::start(
        SimulatorConfig::default().with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)?,
    )?;
    let env = Environment::custom(&sim.base_url())?;
    let maker = BlockingClient::new(Client::new(
        env.clone(),
        Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?,
    ));
    let taker = BlockingClient::new(Client::new(
        env,
        Credentials::from_pem(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?,
    ));
    let ticker = DEFAULT_MARKET;
    println!("Simulator at {} — market {ticker}\n", sim.base_url());

    // 1. The stream first, so that the bot hears of every fill and every change of its group.
    let stream = Stream::open(&maker)?;
    println!("bot:   streaming its fills and order group updates");

    // 2. The bot's safety net: at most GROUP_LIMIT contracts matched per rolling 15 seconds.
    let group_id = maker
        .execute(&CreateOrderGroup::new(GROUP_LIMIT))?
        .order_group_id;
    stream.wait_for(&group_id, OrderGroupEventType::Created)?;
    println!("bot:   order group {group_id} created, limit {GROUP_LIMIT} contracts / 15 s");

    for trigger in 1..=TRIGGERS {
        // 3. Quotes on both sides, all in the group.
        println!();
        for (side, p, n) in [
            (BookSide::Ask, "0.55", "3"),
            (BookSide::Ask, "0.56", "3"),
            (BookSide::Ask, "0.57", "3"),
            (BookSide::Bid, "0.45", "3"),
            (BookSide::Bid, "0.44", "3"),
        ] {
            let op = CreateOrder::new(ticker, side.clone(), count(n)?, price(p)?)
                .order_group_id(&group_id)
                .post_only(true);
            maker.place_order(&op)?;
            println!("bot:   rests {side} {n} @ {p}");
        }

        // 4. Another account sweeps the asks: 6 contracts, more than the group's limit.
        let sweep = CreateOrder::new(ticker, BookSide::Bid, count("6")?, price("0.57")?)
            .time_in_force(TimeInForce::ImmediateOrCancel);
        if let Placed::Created(r) = taker.place_order(&sweep)? {
            println!("taker: sweeps bid 6 @ 0.57 IOC -> filled {}", r.fill_count);
        }

        // 5. The bot hears its fills, then the trigger: the exchange cancelled the rest.
        stream.wait_for(&group_id, OrderGroupEventType::Triggered)?;
        println!("bot:   group TRIGGERED ({trigger} of {TRIGGERS}): my remaining quotes are gone");
        if trigger == TRIGGERS {
            break;
        }

        // 6. The bot decides the market is sane again: reset, and quote again once confirmed.
        maker.execute(&ResetOrderGroup::new(&group_id))?;
        stream.wait_for(&group_id, OrderGroupEventType::Reset)?;
        println!("bot:   group reset");
    }

    // 7. Where the bot stands.
    let positions = maker.execute(&GetPositions::new().ticker(ticker))?;
    let balance = maker.execute(&GetBalance::new())?;
    println!();
    for p in &positions.market_positions {
        println!(
            "bot:   position in {}: {} (negative = NO)",
            p.ticker, p.position_fp
        );
    }
    println!(
        "bot:   available balance {}",
        balance
            .balance_dollars
            .map(|b| format!("${b}"))
            .unwrap_or_else(|| format!("{} cents", balance.balance))
    );
    Ok(())
}

/// The bot's stream, read on a thread of its own so that every wait has a bound.
struct Stream {
    events: Receiver<std::result::Result<StreamEvent, Error>>,
}

impl Stream {
    /// Subscribes to `client`'s fills and order group updates, and waits until both are on.
    fn open(client: &BlockingClient) -> Result<Stream> {
        let mut stream = StreamClient::connect(client, StreamClientConfig::default())?;
        let channels = [Channel::Fill, Channel::OrderGroupUpdates];
        stream.subscribe(Subscribe::new(channels.clone()))?;
        let (tx, events) = mpsc::channel();
        thread::spawn(move || {
            // The client reconnects and resubscribes by itself; an error means it gave up.
            for event in stream {
                let failed = event.is_err();
                if tx.send(event).is_err() || failed {
                    return;
                }
            }
        });
        let stream = Stream { events };
        let mut pending = channels.to_vec();
        while !pending.is_empty() {
            if let StreamEvent::Session(Event::Subscribed { channel, .. }) =
                stream.next("the subscriptions")?
            {
                pending.retain(|c| *c != channel);
            }
        }
        Ok(stream)
    }

    /// Waits for `expected` of the order group `group`, printing the fills that arrive
    /// meanwhile; another event of the group is an error.
    fn wait_for(&self, group: &str, expected: OrderGroupEventType) -> Result<()> {
        loop {
            match self.next(&format!("`{expected}` of group {group}"))? {
                StreamEvent::Session(Event::Message(StreamMessage::Fill(d))) => {
                    let f = &d.msg;
                    print_fill(
                        f.book_side.as_ref(),
                        &f.count_fp,
                        Some(&f.yes_price_dollars),
                        "",
                    );
                }
                // Fills that happened while the stream was away, fetched by the client.
                StreamEvent::FillsRecovered(fills) => {
                    for f in &fills {
                        let (side, price) = (f.book_side.as_ref(), f.yes_price_dollars.as_ref());
                        print_fill(side, &f.count_fp, price, " (while reconnecting)");
                    }
                }
                StreamEvent::Session(Event::Message(StreamMessage::OrderGroupUpdates(d)))
                    if d.msg.order_group_id == group =>
                {
                    if d.msg.event_type == expected {
                        return Ok(());
                    }
                    let got = &d.msg.event_type;
                    return Err(
                        format!("group {group}: `{got}` while waiting for `{expected}`").into(),
                    );
                }
                _ => {}
            }
        }
    }

    /// The next event, within [`QUIET_LIMIT`]; refusals are errors, reconnections are reported.
    fn next(&self, waiting_for: &str) -> Result<StreamEvent> {
        let deadline = Instant::now() + QUIET_LIMIT;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let event = match self.events.recv_timeout(wait) {
                Ok(event) => event?,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "no stream event for {QUIET_LIMIT:?} while waiting for {waiting_for}"
                    )
                    .into());
                }
                Err(RecvTimeoutError::Disconnected) => return Err("the stream stopped".into()),
            };
            match event {
                StreamEvent::Session(Event::CommandFailed { error, .. }) => {
                    return Err(
                        format!("the exchange refused: {} {}", error.code, error.msg).into(),
                    );
                }
                StreamEvent::Disconnected {
                    error,
                    reconnect_in,
                } => eprintln!("(stream lost: {error}; reconnecting in {reconnect_in:?})"),
                StreamEvent::Reconnected => eprintln!("(stream reconnected)"),
                event => return Ok(event),
            }
        }
    }
}

fn print_fill(
    side: Option<&BookSide>,
    count: &FixedPointCount,
    price: Option<&FixedPointDollars>,
    note: &str,
) {
    let side = side.map_or("?".into(), |s| s.to_string());
    let price = price.map_or("?".into(), |p| p.to_string());
    println!("bot:   fill: {side} {count} @ {price}{note}");
}
