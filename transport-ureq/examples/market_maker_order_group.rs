//! Why order groups exist: a market maker caps how much it can be filled in 15 seconds.
//!
//! ```sh
//! cargo run -p kalshi-transport-ureq --example market_maker_order_group
//! ```
//!
//! A market-making bot rests quotes on both sides of a market, all in one order group with a
//! small contracts limit. A second account sweeps the asks. The sweep crosses the limit, so the
//! exchange triggers the group: the bot's remaining quotes are cancelled at once and its next
//! order in the group is rejected. The bot resets the group and trades again.
//!
//! It runs on the built-in local simulator (two accounts trading against each other need two
//! API keys; on the real exchange, run the bot's half with your key and let the market be the
//! counterparty).

use std::process::ExitCode;

use kalshi_core::enums::{BookSide, OrderStatus, TimeInForce};
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroup, ResetOrderGroup};
use kalshi_core::orders::{CreateOrder, GetOrders};
use kalshi_core::portfolio::{GetBalance, GetFills, GetPositions};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount, FixedPointDollars};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Error};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const GROUP_LIMIT: u64 = 5;

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

    // 1. The bot's safety net: at most GROUP_LIMIT contracts matched per rolling 15 seconds.
    let group = maker.execute(&CreateOrderGroup::new(GROUP_LIMIT))?;
    let group_id = group.order_group_id;
    println!("bot:   order group {group_id} with a limit of {GROUP_LIMIT} contracts / 15 s");

    // 2. Quotes on both sides, all in the group.
    let quotes = [
        (BookSide::Ask, "0.55", "3"),
        (BookSide::Ask, "0.56", "3"),
        (BookSide::Ask, "0.57", "3"),
        (BookSide::Bid, "0.45", "3"),
        (BookSide::Bid, "0.44", "3"),
    ];
    for (side, p, n) in quotes {
        let op = CreateOrder::new(ticker, side.clone(), count(n)?, price(p)?)
            .order_group_id(&group_id)
            .post_only(true);
        let placed = maker.place_order(&op)?;
        println!(
            "bot:   rests {side} {n} @ {p}  (order {})",
            placed.order_id()
        );
    }
    let resting = resting_orders(&maker, ticker)?;
    println!("bot:   {resting} orders resting\n");

    // 3. Another account sweeps the asks: 6 contracts, more than the group's limit.
    let sweep = CreateOrder::new(ticker, BookSide::Bid, count("6")?, price("0.57")?)
        .time_in_force(TimeInForce::ImmediateOrCancel);
    let taken = taker.place_order(&sweep)?;
    if let kalshi_core::orders::Placed::Created(r) = &taken {
        println!(
            "taker: sweeps bid 6 @ 0.57 IOC -> filled {} at an average of {}",
            r.fill_count,
            r.average_fill_price
                .map(|p| p.to_string())
                .unwrap_or_else(|| "-".into())
        );
    }

    // 4. The group triggered: the bot's remaining quotes are gone.
    let g = maker.execute(&GetOrderGroup::new(&group_id))?;
    println!(
        "bot:   group is {} ({} orders ever placed in it)",
        if g.is_auto_cancel_enabled {
            "active"
        } else {
            "TRIGGERED"
        },
        g.orders.len()
    );
    println!(
        "bot:   {} orders still resting (the exchange cancelled the rest)",
        resting_orders(&maker, ticker)?
    );

    // 5. New orders in a triggered group are refused.
    let retry = CreateOrder::new(ticker, BookSide::Ask, count("1")?, price("0.60")?)
        .order_group_id(&group_id);
    match maker.place_order(&retry) {
        Err(Error::Api(e)) => println!(
            "bot:   next order refused: HTTP {} code `{}`",
            e.status().map(|s| s.as_u16()).unwrap_or(0),
            e.code().unwrap_or("-")
        ),
        Err(e) => return Err(e.into()),
        Ok(p) => {
            return Err(format!("order {} was accepted in a triggered group", p.order_id()).into());
        }
    }

    // 6. The bot decides the market is sane again: reset and quote again.
    maker.execute(&ResetOrderGroup::new(&group_id))?;
    println!("\nbot:   group reset");
    let requote = CreateOrder::new(ticker, BookSide::Ask, count("2")?, price("0.58")?)
        .order_group_id(&group_id);
    let placed = maker.place_order(&requote)?;
    println!("bot:   rests ask 2 @ 0.58 (order {})", placed.order_id());
    let lift = CreateOrder::new(ticker, BookSide::Bid, count("2")?, price("0.58")?)
        .time_in_force(TimeInForce::ImmediateOrCancel);
    taker.place_order(&lift)?;
    let g = maker.execute(&GetOrderGroup::new(&group_id))?;
    println!(
        "taker: lifts 2 @ 0.58 -> the group stays {} (2 of {GROUP_LIMIT} used)",
        if g.is_auto_cancel_enabled {
            "active"
        } else {
            "triggered"
        }
    );

    // 7. Where the bot stands.
    let fills: Vec<_> = maker
        .iter_all(GetFills::new().ticker(ticker))
        .collect::<std::result::Result<_, _>>()?;
    let positions = maker.execute(&GetPositions::new().ticker(ticker))?;
    let balance = maker.execute(&GetBalance::new())?;
    println!("\nbot:   {} fills", fills.len());
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

fn resting_orders(client: &BlockingClient, ticker: &str) -> Result<usize> {
    let mut n = 0;
    for order in client.iter_all(GetOrders::new().ticker(ticker)) {
        if order?.status == OrderStatus::Resting {
            n += 1;
        }
    }
    Ok(n)
}
