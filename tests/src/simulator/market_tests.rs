//! End-to-end tests of the market data, catalog and exchange endpoints, over real sockets with
//! the raw test client and a [`ManualClock`]; every answer is checked against the documented
//! success schema ([`assert_shape`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::shape_check::assert_shape;
use super::test_client::{Client, OTHER_PRIVATE_KEY_PEM, Resp, other_credentials};
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_700_000_000_000;
const M: &str = DEFAULT_MARKET;
const ORDERS: &str = "/portfolio/events/orders";

fn other_key() -> kalshi_core::auth::VerifyingKey {
    kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key()
}

/// The default configuration on a manual clock, with the accounts `k2` and `k3` (both signing
/// with the second bundled key).
fn config(clock: &ManualClock) -> SimulatorConfig {
    SimulatorConfig::default()
        .with_clock(clock.clone())
        .with_key("k2", other_key())
        .with_key("k3", other_key())
}

fn client(sim: &Simulator, key: &str) -> Client {
    if key == DEMO_KEY_ID {
        Client::new(sim)
    } else {
        Client::with_credentials(sim, other_credentials(key))
    }
}

/// A signed GET that must answer 200 with the documented shape of `op`.
fn get(c: &mut Client, sim: &Simulator, op: &str, target: &str) -> Value {
    let resp = c.call(sim, "GET", target, None);
    resp.assert_status(200);
    let body = resp.json();
    assert_shape(op, 200, &body);
    body
}

/// An unsigned GET.
fn get_unsigned(c: &mut Client, target: &str) -> Resp {
    c.send("GET", &format!("{BASE_PATH}{target}"), &[], None)
}

fn order_body(ticker: &str, side: &str, price: &str, count: &str) -> Value {
    json!({
        "ticker": ticker,
        "side": side,
        "price": price,
        "count": count,
        "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "taker_at_cross",
    })
}

fn place(c: &mut Client, sim: &Simulator, body: &Value) -> Resp {
    c.call(sim, "POST", ORDERS, Some(&body.to_string()))
}

/// A fixed-point count string in hundredths.
fn hundredths(s: &str) -> i64 {
    let (w, f) = s.split_once('.').unwrap_or((s, "0"));
    let f = format!("{f:0<2}");
    w.parse::<i64>().unwrap() * 100 + f[..2].parse::<i64>().unwrap()
}

/// An RFC 3339 time in ms since the epoch.
fn ms(s: &str) -> u64 {
    s.parse::<kalshi_core::jiff::Timestamp>()
        .unwrap()
        .as_millisecond() as u64
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The book the resting orders of every account make: (bids, asks) as price -> hundredths.
fn resting_book(sim: &Simulator, keys: &[&str], ticker: &str) -> [BTreeMap<String, i64>; 2] {
    let mut sides = [BTreeMap::new(), BTreeMap::new()];
    for k in keys {
        for o in sim.orders(k) {
            if o.ticker == ticker && o.status == "resting" {
                let i = usize::from(o.side == "ask");
                *sides[i].entry(o.price_dollars.clone()).or_insert(0) +=
                    hundredths(&o.remaining_count_fp);
            }
        }
    }
    sides
}

/// `1 - p` for a four-decimal price string.
fn complement(p: &str) -> String {
    let v = 10_000 - hundredths_price(p);
    format!("{}.{:04}", v / 10_000, v % 10_000)
}

fn hundredths_price(p: &str) -> i64 {
    let (w, f) = p.split_once('.').unwrap();
    w.parse::<i64>().unwrap() * 10_000 + format!("{f:0<4}")[..4].parse::<i64>().unwrap()
}

/// Asserts that an `orderbook_fp` is the resting orders, ascending by price.
fn assert_book_is(book: &Value, expected: &[BTreeMap<String, i64>; 2], depth: usize) {
    let levels = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l[0].as_str().unwrap().to_owned(),
                    l[1].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let fp = |n: i64| format!("{}.{:02}", n / 100, n % 100);
    // YES: the bids, ascending, the best (highest) last.
    let mut yes: Vec<(String, String)> = expected[0]
        .iter()
        .map(|(p, n)| (p.clone(), fp(*n)))
        .collect();
    // NO: the asks at 1 - price, ascending: the lowest ask is the best (last).
    let mut no: Vec<(String, String)> = expected[1]
        .iter()
        .rev()
        .map(|(p, n)| (complement(p), fp(*n)))
        .collect();
    if depth > 0 {
        yes = yes.split_off(yes.len().saturating_sub(depth));
        no = no.split_off(no.len().saturating_sub(depth));
    }
    assert_eq!(levels(&book["yes_dollars"]), yes, "{book}");
    assert_eq!(levels(&book["no_dollars"]), no, "{book}");
}

// ---------------------------------------------------------------------------------------------
// The order book equals the resting orders

/// Random creates, amends, decreases and cancels from three accounts; after every step the
/// order book endpoint (full and with a depth), the market's best prices and the simulator's
/// own book snapshot equal what the resting orders add up to. At the end, the trades equal
/// the executions and the candlesticks add them up.
#[test]
fn orderbook_trades_and_candles_follow_random_sequences() {
    let keys = [DEMO_KEY_ID, "k2", "k3"];
    let mut traded = 0;
    for seed in 0..24u64 {
        let clock = ManualClock::new(T0);
        let sim = Simulator::start(config(&clock)).unwrap();
        let mut clients: Vec<Client> = keys.iter().map(|k| client(&sim, k)).collect();
        let mut rng = Rng(seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ 7);
        for step in 0..40 {
            clock.advance_ms(rng.below(45_000));
            let a = rng.below(3) as usize;
            let key = keys[a];
            let mine: Vec<OrderSnapshot> = sim
                .orders(key)
                .into_iter()
                .filter(|o| o.status == "resting")
                .collect();
            let c = &mut clients[a];
            let kind = rng.below(100);
            let price = format!("0.{}", 40 + rng.below(21));
            let count = format!(
                "{}.{}",
                1 + rng.below(5),
                ["00", "50"][rng.below(2) as usize]
            );
            if kind < 50 || mine.is_empty() {
                let side = ["bid", "ask"][rng.below(2) as usize];
                let mut body = order_body(M, side, &price, &count);
                if rng.below(5) == 0 {
                    body["time_in_force"] = json!("immediate_or_cancel");
                }
                if rng.below(2) == 0 {
                    body["self_trade_prevention_type"] = json!("maker");
                }
                let resp = place(c, &sim, &body);
                assert!(resp.status == 201 || resp.status == 400, "{}", resp.status);
            } else {
                let o = &mine[rng.below(mine.len() as u64) as usize];
                let target = format!("{ORDERS}/{}", o.order_id);
                let resp = if kind < 70 {
                    let total = hundredths(&o.fill_count_fp) + 100 * (1 + rng.below(4) as i64);
                    let body = json!({
                        "ticker": M, "side": o.side, "price": price,
                        "count": format!("{}.{:02}", total / 100, total % 100),
                    });
                    c.call(
                        &sim,
                        "POST",
                        &format!("{target}/amend"),
                        Some(&body.to_string()),
                    )
                } else if kind < 85 {
                    let body = json!({"reduce_by": "0.50"});
                    c.call(
                        &sim,
                        "POST",
                        &format!("{target}/decrease"),
                        Some(&body.to_string()),
                    )
                } else {
                    c.call(&sim, "DELETE", &target, None)
                };
                assert!(
                    resp.status == 200 || resp.status == 400,
                    "seed {seed} step {step}: {} {}",
                    resp.status,
                    String::from_utf8_lossy(&resp.body)
                );
            }
            let expected = resting_book(&sim, &keys, M);
            let book = get(
                c,
                &sim,
                "GetMarketOrderbook",
                &format!("/markets/{M}/orderbook"),
            );
            assert_book_is(&book["orderbook_fp"], &expected, 0);
            let book = get(
                c,
                &sim,
                "GetMarketOrderbook",
                &format!("/markets/{M}/orderbook?depth=2"),
            );
            assert_book_is(&book["orderbook_fp"], &expected, 2);
            let snapshot = sim.book(M).unwrap();
            assert_eq!(snapshot.bids.len(), expected[0].len());
            assert_eq!(snapshot.asks.len(), expected[1].len());
            let market = get(c, &sim, "GetMarket", &format!("/markets/{M}"))["market"].clone();
            let best_bid = expected[0].keys().next_back().cloned();
            let best_ask = expected[1].keys().next().cloned();
            assert_eq!(
                market["yes_bid_dollars"],
                best_bid.clone().unwrap_or("0.0000".into())
            );
            assert_eq!(
                market["yes_ask_dollars"],
                best_ask.clone().unwrap_or("1.0000".into())
            );
            assert_eq!(
                market["no_bid_dollars"],
                best_ask.map_or("0.0000".into(), |p| complement(&p))
            );
            let bid_size = best_bid.map_or(0, |p| expected[0][&p]);
            assert_eq!(
                hundredths(market["yes_bid_size_fp"].as_str().unwrap()),
                bid_size
            );
        }
        let c = &mut clients[0];
        let m2 = DEFAULT_MARKETS[1];
        let books = get(
            c,
            &sim,
            "GetMarketOrderbooks",
            &format!("/markets/orderbooks?tickers={m2}&tickers={M}"),
        );
        assert_eq!(books["orderbooks"][1]["ticker"], M);
        assert_book_is(
            &books["orderbooks"][1]["orderbook_fp"],
            &resting_book(&sim, &keys, M),
            0,
        );
        assert_eq!(
            books["orderbooks"][0]["orderbook_fp"],
            json!({"yes_dollars": [], "no_dollars": []})
        );
        traded += check_trades_and_candles(&sim, &keys, c, T0);
    }
    assert!(traded > 100, "the sequences trade ({traded} trades)");
}

/// The trades equal the executions (one per taker fill, same price, count and side), and the
/// one-minute candlesticks add them up per period. Returns the number of trades.
fn check_trades_and_candles(
    sim: &Simulator,
    keys: &[&str],
    c: &mut Client,
    start_ms: u64,
) -> usize {
    // Every trade, walking the cursor 7 at a time.
    let mut trades: Vec<Value> = Vec::new();
    let mut cursor = String::new();
    loop {
        let body = get(
            c,
            sim,
            "GetTrades",
            &format!("/markets/trades?ticker={M}&limit=7&cursor={cursor}"),
        );
        trades.extend(body["trades"].as_array().unwrap().iter().cloned());
        cursor = body["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    trades.reverse(); // oldest first
    let mut from_api: Vec<(String, i64, String, u64)> = trades
        .iter()
        .map(|t| {
            (
                t["yes_price_dollars"].as_str().unwrap().to_owned(),
                hundredths(t["count_fp"].as_str().unwrap()),
                t["taker_book_side"].as_str().unwrap().to_owned(),
                ms(t["created_time"].as_str().unwrap()),
            )
        })
        .collect();
    let mut from_fills: Vec<(String, i64, String, u64)> = keys
        .iter()
        .flat_map(|k| sim.fills(k))
        .filter(|f| f.is_taker && f.ticker == M)
        .map(|f| (f.price_dollars, hundredths(&f.count_fp), f.side, f.ts_ms))
        .collect();
    let makers = keys
        .iter()
        .flat_map(|k| sim.fills(k))
        .filter(|f| !f.is_taker)
        .count();
    assert_eq!(makers, from_fills.len(), "one maker fill per trade");
    for t in &trades {
        let p = t["yes_price_dollars"].as_str().unwrap();
        assert_eq!(t["no_price_dollars"], complement(p));
        let outcome = if t["taker_book_side"] == "bid" {
            "yes"
        } else {
            "no"
        };
        assert_eq!(t["taker_outcome_side"], outcome);
    }
    let in_order = from_api.clone();
    let snapshots: Vec<(String, i64, String, u64)> = sim
        .trades()
        .into_iter()
        .filter(|t| t.ticker == M)
        .map(|t| {
            (
                t.yes_price_dollars,
                hundredths(&t.count_fp),
                t.taker_side,
                t.ts_ms,
            )
        })
        .collect();
    assert_eq!(
        snapshots, in_order,
        "the API lists the trades the engine made, in order"
    );
    from_api.sort();
    from_fills.sort();
    assert_eq!(from_api, from_fills);

    // One-minute candles over the whole run.
    let end_s = sim.now_ms() / 1000;
    let body = get(
        c,
        sim,
        "GetMarketCandlesticks",
        &format!(
            "/series/KXTEST/markets/{M}/candlesticks?start_ts={}&end_ts={end_s}&period_interval=1",
            start_ms / 1000
        ),
    );
    let candles = body["candlesticks"].as_array().unwrap();
    assert_eq!(body["ticker"], M);
    let mut seen = 0;
    let mut last_price: Option<String> = None;
    for k in candles {
        let e = k["end_period_ts"].as_u64().unwrap();
        assert_eq!(e % 60, 0);
        let inside: Vec<&(String, i64, String, u64)> = in_order
            .iter()
            .filter(|t| t.3 / 1000 > e - 60 && t.3 / 1000 <= e)
            .collect();
        seen += inside.len();
        let volume: i64 = inside.iter().map(|t| t.1).sum();
        assert_eq!(hundredths(k["volume_fp"].as_str().unwrap()), volume, "{k}");
        let price = &k["price"];
        assert_eq!(price["previous_dollars"], json!(last_price), "{k}");
        match (inside.first(), inside.last()) {
            (Some(first), Some(last)) => {
                assert_eq!(price["open_dollars"], first.0.as_str());
                assert_eq!(price["close_dollars"], last.0.as_str());
                let high = inside.iter().map(|t| t.0.clone()).max().unwrap();
                let low = inside.iter().map(|t| t.0.clone()).min().unwrap();
                assert_eq!(price["high_dollars"], high.as_str());
                assert_eq!(price["low_dollars"], low.as_str());
                last_price = Some(last.0.clone());
            }
            _ => {
                assert!(price["open_dollars"].is_null() && price["mean_dollars"].is_null());
            }
        }
    }
    assert_eq!(seen, in_order.len(), "every trade in exactly one period");
    // The market's totals agree.
    let market = get(c, sim, "GetMarket", &format!("/markets/{M}"))["market"].clone();
    let total: i64 = in_order.iter().map(|t| t.1).sum();
    assert_eq!(hundredths(market["volume_fp"].as_str().unwrap()), total);
    if let Some(last) = in_order.last() {
        assert_eq!(market["last_price_dollars"], last.0.as_str());
    }
    // Open interest: the YES contracts held, as the positions say.
    let yes_held: i64 = keys
        .iter()
        .flat_map(|k| sim.positions(k))
        .filter(|p| p.ticker == M)
        .map(|p| hundredths(&p.position_fp).max(0))
        .sum();
    assert_eq!(
        hundredths(market["open_interest_fp"].as_str().unwrap()),
        yes_held
    );
    if let Some(k) = candles.last() {
        assert_eq!(k["open_interest_fp"], market["open_interest_fp"]);
    }
    in_order.len()
}

// ---------------------------------------------------------------------------------------------
// Candlesticks in detail

#[test]
fn candlesticks_aggregate_trades_and_quotes_per_period() {
    let clock = ManualClock::new(T0 - T0 % 3_600_000); // on the hour
    let sim = Simulator::start(config(&clock)).unwrap();
    let (mut a, mut b) = (client(&sim, DEMO_KEY_ID), client(&sim, "k2"));
    let start = sim.now_ms() / 1000;
    // Minute 1: a bid rests at 0.40 and an ask at 0.60; k2 sells 2 into the bid.
    clock.advance_ms(10_000);
    place(&mut a, &sim, &order_body(M, "bid", "0.40", "5")).assert_status(201);
    place(&mut a, &sim, &order_body(M, "ask", "0.60", "5")).assert_status(201);
    clock.advance_ms(10_000);
    place(&mut b, &sim, &order_body(M, "ask", "0.40", "2")).assert_status(201);
    // Minute 3: k2 buys 1 at 0.60 then 3 more (one trade each).
    clock.advance_ms(125_000);
    place(&mut b, &sim, &order_body(M, "bid", "0.60", "1")).assert_status(201);
    place(&mut b, &sim, &order_body(M, "bid", "0.60", "3")).assert_status(201);
    let end = sim.now_ms() / 1000;
    // A start on a period boundary would include the period ending there: start just after.
    let q = format!("start_ts={}&end_ts={end}&period_interval=1", start + 1);
    let body = get(
        &mut a,
        &sim,
        "GetMarketCandlesticks",
        &format!("/series/KXTEST/markets/{M}/candlesticks?{q}"),
    );
    let k = body["candlesticks"].as_array().unwrap();
    assert_eq!(k.len(), 3, "{body}");
    assert_eq!(k[0]["end_period_ts"], start + 60);
    assert_eq!(k[0]["volume_fp"], "2.00");
    assert_eq!(k[0]["price"]["open_dollars"], "0.4000");
    assert_eq!(k[0]["price"]["mean_dollars"], "0.4000");
    assert_eq!(k[0]["open_interest_fp"], "2.00");
    assert_eq!(k[0]["yes_bid"]["open_dollars"], "0.0000");
    assert_eq!(k[0]["yes_bid"]["high_dollars"], "0.4000");
    assert_eq!(k[0]["yes_bid"]["close_dollars"], "0.4000");
    assert_eq!(k[0]["yes_ask"]["open_dollars"], "1.0000");
    assert_eq!(k[0]["yes_ask"]["close_dollars"], "0.6000");
    assert_eq!(k[1]["volume_fp"], "0.00");
    assert!(k[1]["price"]["close_dollars"].is_null());
    assert_eq!(k[1]["price"]["previous_dollars"], "0.4000");
    assert_eq!(k[1]["yes_ask"]["open_dollars"], "0.6000");
    assert_eq!(k[2]["volume_fp"], "4.00");
    assert_eq!(k[2]["price"]["open_dollars"], "0.6000");
    assert_eq!(k[2]["price"]["high_dollars"], "0.6000");
    // k2 bought back the 2 it sold (the pairs settle): 2 YES held, by k2.
    assert_eq!(k[2]["open_interest_fp"], "2.00");
    assert_eq!(k[2]["yes_ask"]["close_dollars"], "0.6000"); // 1 left at 0.60

    // An hour period holds everything; the batch and by-event reads agree.
    let hour = format!("start_ts={}&end_ts={end}&period_interval=60", start + 1);
    let one = get(
        &mut a,
        &sim,
        "GetMarketCandlesticks",
        &format!("/series/KXTEST/markets/{M}/candlesticks?{hour}"),
    );
    let k = &one["candlesticks"][0];
    assert_eq!(k["volume_fp"], "6.00");
    assert_eq!(k["price"]["low_dollars"], "0.4000");
    assert_eq!(k["price"]["high_dollars"], "0.6000");
    // Volume-weighted mean: (2 x 0.40 + 4 x 0.60) / 6 = 0.533333...
    assert_eq!(k["price"]["mean_dollars"], "0.533333");
    let batch = get(
        &mut a,
        &sim,
        "BatchGetMarketCandlesticks",
        &format!("/markets/candlesticks?market_tickers={M},KXTEST-26DEC31-T60&{hour}"),
    );
    assert_eq!(batch["markets"][0]["market_ticker"], M);
    assert_eq!(batch["markets"][0]["candlesticks"], one["candlesticks"]);
    assert_eq!(batch["markets"][1]["candlesticks"][0]["volume_fp"], "0.00");
    let by_event = get(
        &mut a,
        &sim,
        "GetMarketCandlesticksByEvent",
        &format!("/series/KXTEST/events/KXTEST-26DEC31/candlesticks?{hour}"),
    );
    assert_eq!(by_event["market_tickers"], json!([M, "KXTEST-26DEC31-T60"]));
    assert_eq!(by_event["market_candlesticks"][0], one["candlesticks"]);
    // include_latest_before_start: a synthetic first candle with only the previous price.
    clock.advance_ms(3_600_000);
    let later = sim.now_ms() / 1000;
    let body = get(
        &mut a,
        &sim,
        "GetMarketCandlesticks",
        &format!(
            "/series/KXTEST/markets/{M}/candlesticks?start_ts={later}&end_ts={later}&period_interval=1&include_latest_before_start=true"
        ),
    );
    let k = body["candlesticks"].as_array().unwrap();
    assert_eq!(k[0]["price"]["previous_dollars"], "0.6000");
    assert!(k[0]["price"]["close_dollars"].is_null());
    // Refusals.
    for bad in [
        "start_ts=10&end_ts=5&period_interval=1",
        "start_ts=0&end_ts=5&period_interval=5",
        "end_ts=5&period_interval=1",
        &format!("start_ts=0&end_ts={later}&period_interval=1"),
    ] {
        a.call(
            &sim,
            "GET",
            &format!("/series/KXTEST/markets/{M}/candlesticks?{bad}"),
            None,
        )
        .assert_error(400, "invalid_parameters");
    }
    a.call(
        &sim,
        "GET",
        &format!("/series/KXTEST/markets/NOPE/candlesticks?{hour}"),
        None,
    )
    .assert_error(404, "market_not_found");
}

// ---------------------------------------------------------------------------------------------
// Catalog, filters and cursors

/// 23 markets over 5 events in 3 series, with statuses and times.
fn catalog_config(clock: &ManualClock) -> SimulatorConfig {
    let mut config = config(clock)
        .without_markets()
        .with_series(
            SeriesConfig::new("KXRAIN")
                .title("Rain")
                .category("Climate")
                .tags(["Weather", "NYC"])
                .settlement_source("NWS", "https://www.weather.gov"),
        )
        .with_event(
            EventConfig::new("KXRAIN-26JUN01")
                .title("Rain on June 1")
                .mutually_exclusive(true)
                .image_url("https://example.com/rain.png")
                .competition("Weather")
                .strike_date_ms(1_780_272_000_000),
        )
        .with_event(EventConfig::new("KXEMPTY-26JAN01").series("KXRAIN"));
    let day = 86_400_000;
    for (i, event) in [
        "KXRAIN-26JUN01",
        "KXRAIN-26JUN02",
        "KXSNOW-26JAN01",
        "KXSNOW-26JAN02",
        "KXFED-26DEC",
    ]
    .iter()
    .enumerate()
    {
        for j in 0..(3 + i) {
            let mut m = MarketConfig::new(format!("{event}-T{j}"))
                .title(format!("{event} above {j}"))
                .sub_titles(format!("Above {j}"), format!("{j} or below"))
                .created_time_ms(T0 - day * 10 + (i * 10 + j) as u64 * 1000)
                .close_time_ms(T0 + day * (1 + j as u64));
            if j == 0 {
                m = m.status(MarketStatus::Inactive);
            }
            if j == 1 && i == 4 {
                m = m.status(MarketStatus::Finalized);
            }
            if j == 2 && i == 3 {
                m = m.open_time_ms(T0 + day).close_time_ms(T0 + 2 * day);
            }
            config = config.with_market(m);
        }
    }
    config
}

fn walk(c: &mut Client, sim: &Simulator, query: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let body = get(
            c,
            sim,
            "GetMarkets",
            &format!("/markets?limit={limit}&cursor={cursor}{query}"),
        );
        let page = body["markets"].as_array().unwrap();
        assert!(page.len() <= limit);
        out.extend(
            page.iter()
                .map(|m| m["ticker"].as_str().unwrap().to_owned()),
        );
        cursor = body["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            return out;
        }
        assert_eq!(page.len(), limit, "only the last page is short");
    }
}

#[test]
fn market_filters_and_cursors_walk_every_market_once() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(catalog_config(&clock)).unwrap();
    let mut c = client(&sim, DEMO_KEY_ID);
    let all = sim.markets();
    assert_eq!(all.len(), 3 + 4 + 5 + 6 + 7);
    for limit in [1, 2, 3, 7, 100] {
        let got = walk(&mut c, &sim, "", limit);
        assert_eq!(got, all, "limit {limit}");
    }
    let set = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
    let expect = |f: &dyn Fn(&str) -> bool| -> BTreeSet<String> {
        all.iter().filter(|t| f(t)).cloned().collect()
    };
    assert_eq!(
        set(walk(&mut c, &sim, "&event_ticker=KXSNOW-26JAN01", 2)),
        expect(&|t| t.starts_with("KXSNOW-26JAN01-"))
    );
    assert_eq!(
        set(walk(&mut c, &sim, "&series_ticker=KXRAIN", 2)),
        expect(&|t| t.starts_with("KXRAIN-"))
    );
    assert_eq!(
        walk(&mut c, &sim, "&tickers=KXFED-26DEC-T3,KXRAIN-26JUN01-T1", 1),
        ["KXFED-26DEC-T3", "KXRAIN-26JUN01-T1"]
    );
    // Statuses: every market exactly once over the five filters.
    let mut by_status = BTreeMap::new();
    for s in ["unopened", "open", "paused", "closed", "settled"] {
        for t in walk(&mut c, &sim, &format!("&status={s}"), 4) {
            assert!(by_status.insert(t, s).is_none());
        }
    }
    assert_eq!(by_status.len(), all.len());
    assert_eq!(by_status["KXRAIN-26JUN01-T0"], "paused");
    assert_eq!(by_status["KXFED-26DEC-T1"], "settled");
    assert_eq!(by_status["KXSNOW-26JAN02-T2"], "unopened");
    assert_eq!(by_status["KXRAIN-26JUN01-T1"], "open");
    // Close-time filters, in Unix seconds.
    let day_s = 86_400;
    let t0 = T0 / 1000;
    let closing = walk(
        &mut c,
        &sim,
        &format!(
            "&min_close_ts={}&max_close_ts={}",
            t0 + 2 * day_s,
            t0 + 3 * day_s
        ),
        3,
    );
    assert!(!closing.is_empty());
    for t in &closing {
        let j: u64 = t.rsplit_once("-T").unwrap().1.parse().unwrap();
        assert!((1..=2).contains(&j) || t == "KXSNOW-26JAN02-T2", "{t}");
    }
    // Time moves: two days later the markets with j = 0 and 1 have closed.
    clock.advance_ms(2 * 86_400_000);
    let closed = set(walk(&mut c, &sim, "&status=closed", 5));
    assert!(closed.contains("KXRAIN-26JUN01-T0") && closed.contains("KXRAIN-26JUN01-T1"));
    assert!(!closed.contains("KXRAIN-26JUN01-T2"));
    // Created-time filters.
    let created = walk(
        &mut c,
        &sim,
        &format!("&min_created_ts={}", (T0 - 10 * 86_400_000) / 1000 + 40),
        50,
    );
    assert_eq!(set(created), expect(&|t| t.starts_with("KXFED-")));
    // mve_filter: no simulated market is a combo.
    assert!(walk(&mut c, &sim, "&mve_filter=only", 10).is_empty());
    assert_eq!(
        walk(&mut c, &sim, "&mve_filter=exclude", 100).len(),
        all.len()
    );
    // Refusals.
    for bad in [
        "status=nope",
        "limit=1001",
        "cursor=zz",
        "min_close_ts=1&min_created_ts=1",
        "status=open&min_close_ts=1",
        "min_updated_ts=1&event_ticker=X",
        "mve_filter=all",
    ] {
        c.call(&sim, "GET", &format!("/markets?{bad}"), None)
            .assert_error(400, "invalid_parameters");
    }
    c.call(&sim, "GET", "/markets/NOPE-1", None)
        .assert_error(404, "market_not_found");
}

#[test]
fn events_series_and_metadata() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(catalog_config(&clock)).unwrap();
    let mut c = client(&sim, DEMO_KEY_ID);
    // Every event once, walking 2 at a time; configured events without markets included.
    let mut events = Vec::new();
    let mut cursor = String::new();
    loop {
        let body = get(
            &mut c,
            &sim,
            "GetEvents",
            &format!("/events?limit=2&cursor={cursor}"),
        );
        for e in body["events"].as_array().unwrap() {
            assert!(e.get("markets").is_none());
            events.push(e["event_ticker"].as_str().unwrap().to_owned());
        }
        cursor = body["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(
        events,
        [
            "KXEMPTY-26JAN01",
            "KXFED-26DEC",
            "KXRAIN-26JUN01",
            "KXRAIN-26JUN02",
            "KXSNOW-26JAN01",
            "KXSNOW-26JAN02"
        ]
    );
    let body = get(
        &mut c,
        &sim,
        "GetEvents",
        "/events?series_ticker=KXRAIN&with_nested_markets=true&with_milestones=true",
    );
    let evs = body["events"].as_array().unwrap();
    assert_eq!(evs.len(), 3);
    assert_eq!(evs[0]["event_ticker"], "KXEMPTY-26JAN01");
    assert_eq!(evs[0]["markets"], json!([]));
    assert_eq!(evs[1]["title"], "Rain on June 1");
    assert_eq!(evs[1]["mutually_exclusive"], true);
    assert_eq!(evs[1]["category"], "Climate");
    assert_eq!(evs[1]["markets"].as_array().unwrap().len(), 3);
    assert_eq!(body["milestones"], json!([]));
    // Status matches any child market.
    let body = get(&mut c, &sim, "GetEvents", "/events?status=settled");
    assert_eq!(body["events"][0]["event_ticker"], "KXFED-26DEC");
    assert_eq!(body["events"].as_array().unwrap().len(), 1);
    let body = get(
        &mut c,
        &sim,
        "GetEvents",
        "/events?tickers=KXSNOW-26JAN02,KXFED-26DEC",
    );
    assert_eq!(body["events"].as_array().unwrap().len(), 2);

    // One event: markets top-level, or nested.
    let flat = get(&mut c, &sim, "GetEvent", "/events/KXRAIN-26JUN01");
    assert_eq!(flat["markets"].as_array().unwrap().len(), 3);
    assert!(flat["event"].get("markets").is_none());
    assert_eq!(flat["event"]["strike_date"], "2026-06-01T00:00:00.000Z");
    let nested = get(
        &mut c,
        &sim,
        "GetEvent",
        "/events/KXRAIN-26JUN01?with_nested_markets=true",
    );
    assert_eq!(nested["event"]["markets"], flat["markets"]);
    assert_eq!(nested["markets"], json!([]));
    c.call(&sim, "GET", "/events/NOPE", None)
        .assert_error(404, "not_found");

    let meta = get(
        &mut c,
        &sim,
        "GetEventMetadata",
        "/events/KXRAIN-26JUN01/metadata",
    );
    assert_eq!(meta["image_url"], "https://example.com/rain.png");
    assert_eq!(meta["competition"], "Weather");
    assert_eq!(meta["market_details"].as_array().unwrap().len(), 3);
    get(
        &mut c,
        &sim,
        "GetEventMetadata",
        "/events/KXFED-26DEC/metadata",
    );

    // Series: configured and derived.
    let body = get(&mut c, &sim, "GetSeriesList", "/series?include_volume=true");
    let tickers: Vec<&str> = body["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["ticker"].as_str().unwrap())
        .collect();
    assert_eq!(tickers, ["KXFED", "KXRAIN", "KXSNOW"]);
    let body = get(
        &mut c,
        &sim,
        "GetSeriesList",
        "/series?category=Climate&tags=NYC",
    );
    assert_eq!(body["series"][0]["title"], "Rain");
    assert_eq!(body["series"].as_array().unwrap().len(), 1);
    let body = get(&mut c, &sim, "GetSeriesList", "/series?tags=Nope");
    assert_eq!(body["series"], json!([]));
    let one = get(
        &mut c,
        &sim,
        "GetSeries",
        "/series/KXSNOW?include_volume=true",
    );
    assert_eq!(one["series"]["title"], "KXSNOW");
    assert_eq!(one["series"]["volume_fp"], "0.00");
    c.call(&sim, "GET", "/series/NOPE", None)
        .assert_error(404, "not_found");

    // Added while running.
    sim.add_market(MarketConfig::new("KXNEW-27JAN01-T1").title("New"))
        .unwrap();
    sim.add_event(EventConfig::new("KXNEW-27JAN01").title("Brand new"));
    sim.add_series(SeriesConfig::new("KXNEW").category("Fresh"));
    let e = get(&mut c, &sim, "GetEvent", "/events/KXNEW-27JAN01");
    assert_eq!(e["event"]["title"], "Brand new");
    assert_eq!(e["event"]["category"], "Fresh");
    assert_eq!(e["markets"][0]["title"], "New");
    assert!(
        sim.add_market(MarketConfig::new("X-1").exchange_index(99))
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// Pauses and market statuses

#[test]
fn pauses_and_closed_markets_refuse_order_writes() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        config(&clock)
            .with_market(MarketConfig::new("KXSOON-26DEC31-T1").close_time_ms(T0 + 60_000)),
    )
    .unwrap();
    let mut c = client(&sim, DEMO_KEY_ID);
    let status = |c: &mut Client| get(c, &sim, "GetExchangeStatus", "/exchange/status");
    assert_eq!(status(&mut c)["trading_active"], true);
    assert_eq!(status(&mut c)["exchange_active"], true);
    let id = place(&mut c, &sim, &order_body(M, "bid", "0.40", "5")).json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut on_pause = order_body(M, "bid", "0.30", "5");
    on_pause["cancel_order_on_pause"] = json!(true);
    let paused_id = place(&mut c, &sim, &on_pause).json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Trading pause: no creates or amends; decreases and cancels work.
    sim.set_trading_active(false);
    let s = status(&mut c);
    assert_eq!(
        (s["trading_active"].clone(), s["exchange_active"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(s["exchange_index_statuses"][0]["trading_active"], false);
    place(&mut c, &sim, &order_body(M, "bid", "0.40", "1")).assert_error(400, "trading_paused");
    let amend = json!({"ticker": M, "side": "bid", "price": "0.41", "count": "5"});
    c.call(
        &sim,
        "POST",
        &format!("{ORDERS}/{id}/amend"),
        Some(&amend.to_string()),
    )
    .assert_error(400, "trading_paused");
    c.call(
        &sim,
        "POST",
        &format!("{ORDERS}/{id}/decrease"),
        Some(r#"{"reduce_by": "1"}"#),
    )
    .assert_status(200);
    let order = |id: &str| {
        sim.orders(DEMO_KEY_ID)
            .into_iter()
            .find(|o| o.order_id == id)
            .unwrap()
    };
    assert_eq!(
        order(&paused_id).status,
        "canceled",
        "cancel_order_on_pause"
    );
    assert_eq!(order(&id).status, "resting");
    // A batch create answers per order.
    let batch = json!({"orders": [order_body(M, "bid", "0.40", "1")]});
    let resp = c.call(
        &sim,
        "POST",
        &format!("{ORDERS}/batched"),
        Some(&batch.to_string()),
    );
    assert_eq!(resp.json()["orders"][0]["error"]["code"], "trading_paused");

    // Exchange pause: nothing at all.
    sim.set_exchange_active(false);
    let s = status(&mut c);
    assert_eq!(
        (s["trading_active"].clone(), s["exchange_active"].clone()),
        (json!(false), json!(false))
    );
    c.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None)
        .assert_error(400, "exchange_paused");
    sim.set_exchange_active(true);
    sim.set_trading_active(true);
    assert_eq!(status(&mut c)["trading_active"], true);
    place(&mut c, &sim, &order_body(M, "bid", "0.40", "1")).assert_status(201);

    // A market that is not active refuses creates; reactivation cancels its resting orders.
    sim.set_market_status(M, MarketStatus::Inactive).unwrap();
    assert_eq!(sim.market_status(M), Some(MarketStatus::Inactive));
    place(&mut c, &sim, &order_body(M, "bid", "0.40", "1")).assert_error(400, "market_inactive");
    c.call(
        &sim,
        "POST",
        &format!("{ORDERS}/{id}/decrease"),
        Some(r#"{"reduce_by": "1"}"#),
    )
    .assert_status(200);
    sim.set_market_status(M, MarketStatus::Active).unwrap();
    assert_eq!(order(&id).status, "canceled");
    assert!(sim.book(M).unwrap().bids.is_empty());

    // Closing by the clock: resting orders are canceled, every write is refused.
    let soon = "KXSOON-26DEC31-T1";
    let rest = place(&mut c, &sim, &order_body(soon, "ask", "0.70", "2")).json()["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance_ms(60_000);
    let m = get(&mut c, &sim, "GetMarket", &format!("/markets/{soon}"));
    assert_eq!(m["market"]["status"], "closed");
    assert_eq!(order(&rest).status, "canceled");
    place(&mut c, &sim, &order_body(soon, "ask", "0.70", "2")).assert_error(400, "market_inactive");
    c.call(&sim, "DELETE", &format!("{ORDERS}/{rest}"), None)
        .assert_error(400, "market_inactive");
    // Reopened by moving the status back (the close time still rules): still closed.
    sim.set_market_status(soon, MarketStatus::Active).unwrap();
    assert_eq!(sim.market_status(soon), Some(MarketStatus::Closed));
    assert!(sim.set_market_status("NOPE", MarketStatus::Active).is_err());
    // Unopened.
    sim.add_market(MarketConfig::new("KXLATER-27-T1").open_time_ms(T0 + 10 * 86_400_000))
        .unwrap();
    place(
        &mut c,
        &sim,
        &order_body("KXLATER-27-T1", "bid", "0.50", "1"),
    )
    .assert_error(400, "market_inactive");
}

// ---------------------------------------------------------------------------------------------
// Shapes of every endpoint

#[test]
fn every_endpoint_answers_the_documented_shape() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        catalog_config(&clock)
            .with_market(M)
            .with_series_fee_change("KXRAIN", "quadratic_with_maker_fees", 0.5, T0 + 86_400_000)
            .with_series_fee_change("KXSNOW", "flat", 1.0, T0 - 86_400_000)
            .with_event_fee_change("KXRAIN-26JUN01", Some("flat"), Some(0.25), T0 + 1000)
            .with_event_fee_change("KXFED-26DEC", None, None, T0 + 2000)
            .with_event_fee_change("KXFED-26DEC", Some("quadratic"), None, T0 + 3000)
            .with_maintenance_window(T0 + 3_600_000, T0 + 7_200_000),
    )
    .unwrap();
    let (mut a, mut b) = (client(&sim, DEMO_KEY_ID), client(&sim, "k2"));
    place(&mut a, &sim, &order_body(M, "bid", "0.45", "3")).assert_status(201);
    place(&mut a, &sim, &order_body(M, "ask", "0.55", "3")).assert_status(201);
    place(&mut b, &sim, &order_body(M, "bid", "0.55", "1.5")).assert_status(201);
    clock.advance_ms(61_000);
    let now = sim.now_ms() / 1000;
    let range = format!("start_ts={}&end_ts={now}", now - 600);
    let calls: Vec<(&str, String)> = vec![
        ("GetMarkets", "/markets".into()),
        ("GetMarkets", "/markets?status=open&limit=2".into()),
        ("GetMarket", format!("/markets/{M}")),
        ("GetMarket", "/markets/KXFED-26DEC-T1".into()),
        ("GetMarketOrderbook", format!("/markets/{M}/orderbook")),
        (
            "GetMarketOrderbook",
            "/markets/KXFED-26DEC-T1/orderbook?depth=1".into(),
        ),
        (
            "GetMarketOrderbooks",
            format!("/markets/orderbooks?tickers={M}&tickers=KXFED-26DEC-T1"),
        ),
        ("GetTrades", "/markets/trades".into()),
        (
            "GetTrades",
            format!(
                "/markets/trades?ticker={M}&min_ts={}&max_ts={now}",
                now - 100
            ),
        ),
        (
            "GetMarketCandlesticks",
            format!(
                "/series/KXTEST/markets/{M}/candlesticks?{range}&period_interval=1&include_latest_before_start=true"
            ),
        ),
        (
            "BatchGetMarketCandlesticks",
            format!("/markets/candlesticks?market_tickers={M}&{range}&period_interval=5"),
        ),
        (
            "GetMarketCandlesticksByEvent",
            format!("/series/KXTEST/events/KXTEST-26DEC31/candlesticks?{range}&period_interval=60"),
        ),
        (
            "GetSeriesList",
            "/series?include_volume=true&include_product_metadata=true".into(),
        ),
        ("GetSeries", "/series/KXRAIN".into()),
        (
            "GetEvents",
            "/events?with_nested_markets=true&with_milestones=true".into(),
        ),
        ("GetEvents", "/events?status=open&min_close_ts=1".into()),
        (
            "GetEvent",
            "/events/KXRAIN-26JUN01?with_nested_markets=true".into(),
        ),
        ("GetEvent", "/events/KXEMPTY-26JAN01".into()),
        ("GetEventMetadata", "/events/KXRAIN-26JUN01/metadata".into()),
        ("GetExchangeStatus", "/exchange/status".into()),
        ("GetExchangeSchedule", "/exchange/schedule".into()),
        (
            "GetUserDataTimestamp",
            "/exchange/user_data_timestamp".into(),
        ),
        ("GetSeriesFeeChanges", "/series/fee_changes".into()),
        (
            "GetSeriesFeeChanges",
            "/series/fee_changes?show_historical=true&series_ticker=KXSNOW".into(),
        ),
        ("GetEventFeeChanges", "/events/fee_changes".into()),
        (
            "GetEventFeeChanges",
            "/events/fee_changes?event_ticker=KXFED-26DEC&limit=1".into(),
        ),
    ];
    for (op, target) in &calls {
        get(&mut a, &sim, op, target);
    }
    // The public reads answer unsigned requests too; the two order book reads need a key.
    for (op, target) in &calls {
        let resp = get_unsigned(&mut a, target);
        if *op == "GetMarketOrderbook" || *op == "GetMarketOrderbooks" {
            resp.assert_error(401, "unauthorized");
        } else {
            resp.assert_status(200);
            assert_shape(op, 200, &resp.json());
        }
    }
    // A bad signature on a public read is still a 401.
    let bad = super::test_client::auth_headers(
        &other_credentials(DEMO_KEY_ID),
        sim.now_ms(),
        "GET",
        "/trade-api/v2/markets",
    );
    a.send("GET", "/trade-api/v2/markets", &bad, None)
        .assert_error(401, "unauthorized");

    // Content checks of the exchange reads.
    let fees = get(&mut a, &sim, "GetSeriesFeeChanges", "/series/fee_changes");
    assert_eq!(fees["series_fee_change_arr"].as_array().unwrap().len(), 1);
    assert_eq!(fees["series_fee_change_arr"][0]["fee_multiplier"], 0.5);
    let mut ids = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get(
            &mut a,
            &sim,
            "GetEventFeeChanges",
            &format!("/events/fee_changes?limit=1&cursor={cursor}"),
        );
        ids.extend(
            page["event_fee_changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned()),
        );
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(ids.len(), 3);
    let schedule = get(&mut a, &sim, "GetExchangeSchedule", "/exchange/schedule");
    assert_eq!(
        schedule["schedule"]["maintenance_windows"][0]["start_datetime"],
        "2023-11-14T23:13:20.000Z"
    );
    let ts = get(
        &mut a,
        &sim,
        "GetUserDataTimestamp",
        "/exchange/user_data_timestamp",
    );
    assert_eq!(ms(ts["as_of_time"].as_str().unwrap()), sim.now_ms());
    // Order books of several markets, in the order asked; unknown tickers are 404.
    let books = get(
        &mut a,
        &sim,
        "GetMarketOrderbooks",
        &format!("/markets/orderbooks?tickers=KXFED-26DEC-T1,{M}"),
    );
    assert_eq!(books["orderbooks"][1]["ticker"], M);
    assert_eq!(
        books["orderbooks"][1]["orderbook_fp"]["yes_dollars"],
        json!([["0.4500", "3.00"]])
    );
    assert_eq!(
        books["orderbooks"][1]["orderbook_fp"]["no_dollars"],
        json!([["0.4500", "1.50"]])
    );
    a.call(&sim, "GET", "/markets/orderbooks", None)
        .assert_error(400, "invalid_parameters");
    a.call(&sim, "GET", "/markets/orderbooks?tickers=NOPE", None)
        .assert_error(404, "market_not_found");
    a.call(
        &sim,
        "GET",
        &format!("/markets/{M}/orderbook?depth=101"),
        None,
    )
    .assert_error(400, "invalid_parameters");
    a.call(&sim, "GET", "/markets/NOPE/orderbook", None)
        .assert_error(404, "market_not_found");
    // The trade of the setup.
    let trades = get(
        &mut a,
        &sim,
        "GetTrades",
        &format!("/markets/trades?ticker={M}"),
    );
    let t = &trades["trades"][0];
    assert_eq!(
        (
            t["yes_price_dollars"].clone(),
            t["count_fp"].clone(),
            t["taker_book_side"].clone()
        ),
        (json!("0.5500"), json!("1.50"), json!("bid"))
    );
    assert_eq!(t["taker_side"], "yes");
    assert_eq!(t["is_block_trade"], false);
    let blocks = get(
        &mut a,
        &sim,
        "GetTrades",
        "/markets/trades?is_block_trade=true",
    );
    assert_eq!(blocks["trades"], json!([]));
    let market = get(&mut a, &sim, "GetMarket", &format!("/markets/{M}"))["market"].clone();
    assert_eq!(market["last_price_dollars"], "0.5500");
    assert_eq!(market["yes_ask_size_fp"], "1.50");
    assert_eq!(market["volume_24h_fp"], "1.50");
    assert_eq!(market["open_interest_fp"], "1.50");
    assert_eq!(market["price_level_structure"], "linear_cent");
    assert_eq!(market["price_ranges"][0]["step"], "0.0100");
    clock.advance_ms(86_400_000);
    let market = get(&mut a, &sim, "GetMarket", &format!("/markets/{M}"))["market"].clone();
    assert_eq!(market["volume_24h_fp"], "0.00");
    assert_eq!(market["previous_price_dollars"], "0.5500");
    assert_eq!(market["previous_yes_bid_dollars"], "0.4500");
}

#[test]
fn public_reads_in_process_without_a_signature() {
    let sim = Simulator::in_process(SimulatorConfig::default()).unwrap();
    let unsigned = |path: &str| {
        let req = ::http::Request::get(format!("{BASE_PATH}{path}"))
            .body(Vec::new())
            .unwrap();
        sim.handle(req)
    };
    let resp = unsigned("/markets?limit=2");
    assert_eq!(resp.status(), 200);
    let body: Value = serde_json::from_slice(resp.body()).unwrap();
    assert_shape("GetMarkets", 200, &body);
    assert_eq!(body["markets"].as_array().unwrap().len(), 2);
    // By ticker: the sub-penny market first.
    let sub = &body["markets"][0];
    assert_eq!(sub["ticker"], "KXSUBPENNY-26DEC31-T50");
    assert_eq!(sub["status"], "active");
    assert_eq!(sub["price_ranges"][0]["step"], "0.0001");
    assert_eq!(sub["open_time"], "2020-01-01T00:00:00.000Z");
    assert_eq!(sub["close_time"], "2100-01-01T00:00:00.000Z");
    assert_eq!(body["markets"][1]["ticker"], M);
    assert_eq!(unsigned("/exchange/status").status(), 200);
    assert_eq!(unsigned("/events/KXTEST-26DEC31").status(), 200);
    // Not public: signed only.
    for path in [
        "/portfolio/balance",
        &format!("/markets/{M}/orderbook"),
        "/nope",
    ] {
        assert_eq!(unsigned(path).status(), 401, "{path}");
    }
    // A POST to a public path is not a public route.
    let req = ::http::Request::post(format!("{BASE_PATH}/markets"))
        .body(Vec::new())
        .unwrap();
    assert_eq!(sim.handle(req).status(), 401);
}
