//! An RFQ from request to trade between two users, one line per step: the requester asks for
//! quotes, the quoter quotes, the requester accepts the YES side, the quoter confirms, and both
//! see their fill, position and balance move by exactly the quoted price and size; a second
//! confirm is refused.
//!
//! ```text
//! cargo run -p kalshi-transport-ureq --example rfq_workflow
//! ```
//!
//! With no credentials in the environment it starts the local exchange simulator in-process:
//! the bundled demo key requests, the bundled second key quotes. Against a real exchange it
//! TRADES (2 contracts at $0.45 on the market you name), so it refuses to run unless
//! `RFQ_WORKFLOW_ALLOW_TRADING=1` is set too. There it needs two users: the requester's key
//! as `kalshi_core::config::EnvConfig` reads it (`KALSHI_API_KEY_ID`,
//! `KALSHI_PRIVATE_KEY_PATH` or `KALSHI_PRIVATE_KEY`, `KALSHI_ENV` or `KALSHI_BASE_URL`), the
//! quoter's key of ANOTHER user as `RFQ_QUOTER_API_KEY_ID` and `RFQ_QUOTER_PRIVATE_KEY_PATH`,
//! and the market as `RFQ_WORKFLOW_MARKET`.

use std::process::ExitCode;

use kalshi_core::communications::AcceptRFQQuote;
use kalshi_core::communications::{
    ConfirmRFQQuote, CreateQuote, CreateRFQ, DeleteRFQ, GetCommunicationsID, GetQuotes, GetRFQ,
    GetRFQQuote, GetRFQs, RfqStatus, UserFilter,
};
use kalshi_core::config::EnvConfig;
use kalshi_core::enums::OutcomeSide;
use kalshi_core::portfolio::{GetBalance, GetFills, GetPositions};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount, FixedPointDollars};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::BlockingClient;

/// The RFQ's size, and the quote's prices: the requester buys YES at the YES bid.
const CONTRACTS: i64 = 2;
const YES_BID_CENTS: i64 = 45;
const NO_BID_CENTS: i64 = 50;

/// Set to let the example trade on a real exchange.
const ALLOW_TRADING: &str = "RFQ_WORKFLOW_ALLOW_TRADING";

fn main() -> ExitCode {
    let target = match Target::from_env() {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    println!("{}", target.description);
    match workflow(&target) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workflow(t: &Target) -> Result<(), String> {
    let (requester, quoter, ticker) = (&t.requester, &t.quoter, t.market.as_str());
    let fail = |step: &'static str| move |e: kalshi_transport_ureq::Error| format!("{step}: {e}");
    let size = FixedPointCount::from_whole(CONTRACTS);
    let before = [snapshot(requester, ticker)?, snapshot(quoter, ticker)?];

    let ids = [requester, quoter].map(|c| c.execute(&GetCommunicationsID::new()));
    let [r_id, q_id] = ids.map(|r| r.map_or_else(|e| e.to_string(), |a| a.communications_id));
    println!("1. communications ids: requester {r_id}, quoter {q_id}");

    let rfq = requester
        .execute(&CreateRFQ::new(ticker, size, false).replace_existing(true))
        .map_err(fail("create the RFQ"))?
        .id;
    println!("2. requester asks for quotes on {size} contracts of {ticker}: RFQ {rfq}");

    let result = trade(requester, quoter, ticker, &rfq, &before);
    // An RFQ left open by a failed step is deleted.
    if requester
        .execute(&GetRFQ::new(&rfq))
        .is_ok_and(|r| r.rfq.status == RfqStatus::Open)
    {
        let _ = requester.execute(&DeleteRFQ::new(&rfq));
        println!("   (RFQ {rfq} deleted)");
    }
    result
}

fn trade(
    requester: &BlockingClient,
    quoter: &BlockingClient,
    ticker: &str,
    rfq: &str,
    before: &[Snapshot; 2],
) -> Result<(), String> {
    let fail = |step: &'static str| move |e: kalshi_transport_ureq::Error| format!("{step}: {e}");
    let open = quoter
        .execute(&GetRFQs::new().market_ticker(ticker).status(RfqStatus::Open))
        .map_err(fail("list the open RFQs"))?;
    let seen = open.rfqs.iter().any(|r| r.id == rfq);
    println!(
        "3. quoter sees it among {} open RFQs: {seen}",
        open.rfqs.len()
    );

    let (yes, no) = (
        FixedPointDollars::from_cents(YES_BID_CENTS),
        FixedPointDollars::from_cents(NO_BID_CENTS),
    );
    let quote = quoter
        .execute(&CreateQuote::new(rfq, yes, no, false))
        .map_err(fail("quote"))?
        .id;
    println!("4. quoter bids YES {yes}, NO {no}: quote {quote}");

    let mine = requester
        .execute(
            &GetQuotes::new()
                .rfq_id(rfq)
                .rfq_user_filter(UserFilter::SelfOnly),
        )
        .map_err(fail("list the quotes"))?;
    println!("5. requester has {} quote(s) on its RFQ", mine.quotes.len());

    requester
        .execute(&AcceptRFQQuote::new(rfq, &quote, OutcomeSide::Yes))
        .map_err(fail("accept"))?;
    println!("6. requester accepts the YES side at {yes}");

    quoter
        .execute(&ConfirmRFQQuote::new(rfq, &quote))
        .map_err(fail("confirm"))?;
    let q = requester
        .execute(&GetRFQQuote::new(rfq, &quote))
        .map_err(fail("look the quote up"))?
        .quote;
    println!("7. quoter confirms: the quote is {}", q.status);

    let after = [snapshot(requester, ticker)?, snapshot(quoter, ticker)?];
    for (who, (b, a)) in ["requester", "quoter"]
        .iter()
        .zip(before.iter().zip(&after))
    {
        println!(
            "8. {who}: position {} -> {}, balance {} -> {} ({})",
            b.position,
            a.position,
            b.balance,
            a.balance,
            FixedPointDollars::from_micros(a.balance.micros() - b.balance.micros()),
        );
    }
    // Exactly the quoted price and size: YES at the bid for the requester, NO at 1 - bid for
    // the quoter (the simulator charges no fees; a real exchange may).
    let paid = |b: &Snapshot, a: &Snapshot| b.balance.micros() - a.balance.micros();
    let size = CONTRACTS * 1_000_000;
    let expected = [
        size / 100 * YES_BID_CENTS,
        size / 100 * (100 - YES_BID_CENTS),
    ];
    for (i, who) in ["requester", "quoter"].iter().enumerate() {
        if paid(&before[i], &after[i]) != expected[i] {
            println!(
                "   note: the {who} paid other than {} (fees?)",
                FixedPointDollars::from_micros(expected[i])
            );
        }
    }
    if let Some(order) = &q.rfq_creator_order_id {
        let fills = requester
            .execute(&GetFills::new().order_id(order))
            .map_err(fail("the requester's fills"))?;
        for f in &fills.fills {
            println!(
                "9. requester's fill: {} at YES {}",
                f.count_fp,
                f.yes_price_dollars.unwrap_or_default()
            );
        }
    }

    match quoter.execute(&ConfirmRFQQuote::new(rfq, &quote)) {
        Ok(_) => Err("a second confirm was accepted".to_owned()),
        Err(e) => {
            println!("10. a second confirm is refused: {e}");
            Ok(())
        }
    }
}

/// A user's position in the market and balance.
struct Snapshot {
    position: FixedPointCount,
    balance: FixedPointDollars,
}

fn snapshot(client: &BlockingClient, ticker: &str) -> Result<Snapshot, String> {
    let positions = client
        .execute(&GetPositions::new().ticker(ticker))
        .map_err(|e| format!("positions: {e}"))?;
    let position = positions
        .market_positions
        .iter()
        .find(|p| p.ticker == ticker)
        .map_or(FixedPointCount::ZERO, |p| p.position_fp);
    let balance = client
        .execute(&GetBalance::new())
        .map_err(|e| format!("balance: {e}"))?;
    let balance = balance
        .balance_dollars
        .unwrap_or_else(|| FixedPointDollars::from_cents(balance.balance));
    Ok(Snapshot { position, balance })
}

/// The two users and the market, on the simulator or a real exchange.
struct Target {
    requester: BlockingClient,
    quoter: BlockingClient,
    market: String,
    description: String,
    /// The in-process simulator, kept alive for the run.
    _simulator: Option<Simulator>,
}

impl Target {
    fn from_env() -> Result<Target, String> {
        let Some(config) = EnvConfig::from_env_optional().map_err(|e| e.to_string())? else {
            return Self::simulator();
        };
        if std::env::var_os(ALLOW_TRADING).is_none() {
            return Err(format!(
                "credentials found: against {} this example TRADES between two of your keys; \
                 set {ALLOW_TRADING}=1 to run it (see the example's docs)",
                config.environment().base_url()
            ));
        }
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let market = var("RFQ_WORKFLOW_MARKET")?;
        let key_id = var("RFQ_QUOTER_API_KEY_ID")?;
        let path = var("RFQ_QUOTER_PRIVATE_KEY_PATH")?;
        let pem = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let quoter_credentials =
            Credentials::from_pem(&key_id, &pem).map_err(|e| format!("the quoter's key: {e}"))?;
        let environment = config.environment().clone();
        let description = format!(
            "Target: {}, requester `{}`, quoter `{key_id}`.",
            environment.base_url(),
            config.credentials().key_id()
        );
        Ok(Target {
            quoter: BlockingClient::new(Client::new(environment, quoter_credentials)),
            requester: BlockingClient::new(config.into_client()),
            market,
            description,
            _simulator: None,
        })
    }

    fn simulator() -> Result<Target, String> {
        let config = SimulatorConfig::default()
            .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)
            .map_err(|e| format!("the bundled second key: {e}"))?;
        let sim = Simulator::start(config).map_err(|e| format!("the simulator: {e}"))?;
        let base_url = sim.base_url();
        let connect = |key_id: &str, pem: &str| -> Result<BlockingClient, String> {
            let environment = Environment::custom(&base_url).map_err(|e| e.to_string())?;
            let credentials = Credentials::from_pem(key_id, pem).map_err(|e| e.to_string())?;
            Ok(BlockingClient::new(Client::new(environment, credentials)))
        };
        Ok(Target {
            requester: connect(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?,
            quoter: connect(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?,
            market: DEFAULT_MARKET.to_owned(),
            description: format!(
                "Target: the local simulator at {base_url}; requester `{DEMO_KEY_ID}`, quoter \
                 `{SECOND_KEY_ID}` (the bundled keys)."
            ),
            _simulator: Some(sim),
        })
    }
}
