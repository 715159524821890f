//! Deterministic response bodies for the parsing benchmarks (same bytes on every run, and the
//! same file for our parser and the Python SDK's).

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64).
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A UUID-shaped id, like the exchange's.
    pub(crate) fn uuid(&mut self, out: &mut String) {
        let (a, b) = (self.next(), self.next());
        let _ = write!(
            out,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        );
    }
}

/// A `GetOrderGroups` answer with `n` groups (100,000 groups: 12.7 MB).
pub fn order_groups_json(n: usize) -> Vec<u8> {
    let mut rng = SplitMix(0x6b61_6c73_6869);
    let mut s = String::with_capacity(n * 115 + 32);
    s.push_str(r#"{"order_groups":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(r#"{"id":""#);
        rng.uuid(&mut s);
        let limit = 1 + rng.next() % 100_000;
        let _ = write!(
            s,
            r#"","contracts_limit_fp":"{limit}.00","is_auto_cancel_enabled":{},"exchange_index":{}}}"#,
            !rng.next().is_multiple_of(4),
            rng.next() % 2
        );
    }
    s.push_str("]}");
    s.into_bytes()
}

/// A `GetOrderGroup` answer whose group holds `n` order ids.
pub fn order_group_json(n: usize) -> Vec<u8> {
    let mut rng = SplitMix(0x6f72_6465_7273);
    let mut s = String::with_capacity(n * 40 + 128);
    s.push_str(r#"{"is_auto_cancel_enabled":true,"contracts_limit_fp":"250.00","orders":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        rng.uuid(&mut s);
        s.push('"');
    }
    s.push_str(r#"],"exchange_index":0}"#);
    s.into_bytes()
}

/// A `CreateOrderGroup` answer.
pub const CREATE_ORDER_GROUP_JSON: &[u8] =
    br#"{"order_group_id":"5f0c3b8e-2a4d-4c6e-9b1a-7d3e5f9a1c2b","subaccount":0,"exchange_index":0}"#;

/// Writes a price in ten-thousandths of a dollar as the exchange does (`"0.5600"`).
fn dollars(out: &mut String, ten_thousandths: u64) {
    let _ = write!(
        out,
        "{}.{:04}",
        ten_thousandths / 10_000,
        ten_thousandths % 10_000
    );
}

/// Writes a count in hundredths of a contract as the exchange does (`"125.00"`).
fn count(out: &mut String, hundredths: u64) {
    let _ = write!(out, "{}.{:02}", hundredths / 100, hundredths % 100);
}

/// An RFC 3339 instant `day` days and `sec` seconds after 2026-01-01T00:00:00Z (days < 365).
pub(crate) fn instant(out: &mut String, day: u64, sec: u64) {
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut month, mut d) = (0usize, day % 365);
    while d >= MONTHS[month] {
        d -= MONTHS[month];
        month += 1;
    }
    let sec = sec % 86_400;
    let _ = write!(
        out,
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        month + 1,
        d + 1,
        sec / 3600,
        (sec / 60) % 60,
        sec % 60
    );
}

/// A `GetMarkets` page of `n` markets, every documented field present with a realistic value
/// (weather, economics and sports tickers; one-cent and sub-penny price structures; open,
/// closed and settled markets), as the exchange writes them. 1,000 markets: about 2.3 MB.
pub fn markets_json(n: usize) -> Vec<u8> {
    const SERIES: [(&str, &str); 6] = [
        ("KXHIGHNY", "Highest temperature in NYC"),
        ("KXCPI", "CPI year over year"),
        ("KXFED", "Fed funds target upper bound"),
        ("KXNBAGAME", "NBA game winner"),
        ("KXBTCD", "Bitcoin price at 5pm EDT"),
        ("KXRAINNYC", "Rain in NYC"),
    ];
    const STATUS: [(&str, &str); 4] = [
        ("active", ""),
        ("active", ""),
        ("closed", ""),
        ("finalized", "yes"),
    ];
    let mut rng = SplitMix(0x6d61_726b_6574);
    let mut s = String::with_capacity(n * 2400 + 64);
    s.push_str(r#"{"markets":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let (series, title) = SERIES[i % SERIES.len()];
        let day = 30 + (i as u64 * 7) % 300;
        let strike = 40 + rng.next() % 60;
        let (status, result) = STATUS[(rng.next() % 4) as usize];
        let sub_penny = rng.next().is_multiple_of(5);
        let bid = 100 + (rng.next() % 97) * 100 + if sub_penny { rng.next() % 100 } else { 0 };
        let ask = (bid + 100 + if sub_penny { rng.next() % 100 } else { 0 }).min(9_999);
        let last = bid + (ask - bid) / 2;
        let event = format!("{series}-26{:03}", day);
        let ticker = format!("{event}-T{strike}");
        let _ = write!(
            s,
            r#"{{"ticker":"{ticker}","event_ticker":"{event}","market_type":"binary","title":"{title} on day {day}?","subtitle":"{strike} or above","yes_sub_title":"{strike} or above","no_sub_title":"Below {strike}","created_time":""#
        );
        instant(&mut s, day - 30, 3600 * 14);
        s.push_str(r#"","updated_time":""#);
        instant(&mut s, day - 1, 3600 * 9 + rng.next() % 3600);
        s.push_str(r#"","open_time":""#);
        instant(&mut s, day - 29, 3600 * 14);
        s.push_str(r#"","close_time":""#);
        instant(&mut s, day, 3600 * 23 + 59 * 60);
        s.push_str(r#"","expected_expiration_time":""#);
        instant(&mut s, day + 1, 3600 * 14);
        s.push_str(r#"","expiration_time":""#);
        instant(&mut s, day + 7, 3600 * 14);
        s.push_str(r#"","latest_expiration_time":""#);
        instant(&mut s, day + 7, 3600 * 14);
        let _ = write!(
            s,
            r#"","settlement_timer_seconds":{},"status":"{status}","yes_bid_dollars":""#,
            300 + 300 * (rng.next() % 4)
        );
        dollars(&mut s, bid);
        s.push_str(r#"","yes_bid_size_fp":""#);
        count(&mut s, 100 * (1 + rng.next() % 5_000));
        s.push_str(r#"","yes_ask_dollars":""#);
        dollars(&mut s, ask);
        s.push_str(r#"","yes_ask_size_fp":""#);
        count(&mut s, 100 * (1 + rng.next() % 5_000) + rng.next() % 100);
        s.push_str(r#"","no_bid_dollars":""#);
        dollars(&mut s, 10_000 - ask);
        s.push_str(r#"","no_ask_dollars":""#);
        dollars(&mut s, 10_000 - bid);
        s.push_str(r#"","last_price_dollars":""#);
        dollars(&mut s, last);
        s.push_str(r#"","volume_fp":""#);
        count(&mut s, rng.next() % 50_000_000);
        s.push_str(r#"","volume_24h_fp":""#);
        count(&mut s, rng.next() % 2_000_000);
        let _ = write!(
            s,
            r#"","result":"{result}","can_close_early":{},"open_interest_fp":""#,
            rng.next().is_multiple_of(2)
        );
        count(&mut s, rng.next() % 10_000_000);
        s.push_str(r#"","notional_value_dollars":"1.0000","previous_yes_bid_dollars":""#);
        dollars(&mut s, bid.saturating_sub(100));
        s.push_str(r#"","previous_yes_ask_dollars":""#);
        dollars(&mut s, ask.saturating_sub(100));
        s.push_str(r#"","previous_price_dollars":""#);
        dollars(&mut s, last.saturating_sub(100));
        if result.is_empty() {
            s.push_str(r#"","settlement_value_dollars":null,"settlement_ts":null"#);
        } else {
            s.push_str(r#"","settlement_value_dollars":"1.0000","settlement_ts":""#);
            instant(&mut s, day + 1, 3600 * 15);
            s.push('"');
        }
        let _ = write!(
            s,
            r#","settlement_bounds_type":"default","expiration_value":"{}","occurrence_datetime":null,"fee_waiver_expiration_time":null,"early_close_condition":"This market will close and expire early if the event occurs.","strike_type":"greater_or_equal","floor_strike":{strike},"rules_primary":"If the {title} is at least {strike} on day {day} of 2026, then the market resolves to Yes.","rules_secondary":"The following market refers to the {title} as first reported by the source agency. Revisions are not considered.","price_level_structure":"{}","price_ranges":[{{"start":"0.0000","end":"1.0000","step":"{}"}}],"is_provisional":false,"exchange_index":0}}"#,
            if result.is_empty() { "" } else { "above" },
            if sub_penny {
                "deci_cent"
            } else {
                "linear_cent"
            },
            if sub_penny { "0.0010" } else { "0.0100" },
        );
    }
    s.push_str(r#"],"cursor":"CgsIvPK3ugYQ0PzVJBIYS1hISUdITlktMjZERUMzMS1UNTA"}"#);
    s.into_bytes()
}

/// A `GetMarketOrderbook` answer with `levels` levels on each side (YES bids and NO bids up to
/// $0.49, a tenth of them sub-penny, counts with fractional hundredths), each side sorted by
/// price ascending, the best bid last, as Kalshi's "Orderbook Responses" guide shows.
pub fn orderbook_json(levels: usize) -> Vec<u8> {
    let mut rng = SplitMix(0x626f_6f6b);
    let mut s = String::with_capacity(levels * 40 + 64);
    s.push_str(r#"{"orderbook_fp":{"yes_dollars":["#);
    for side in 0..2 {
        if side == 1 {
            s.push_str(r#"],"no_dollars":["#);
        }
        for (n, i) in (0..levels).rev().enumerate() {
            if n > 0 {
                s.push(',');
            }
            let sub = if i % 10 == 3 { 20 } else { 0 };
            s.push_str(r#"[""#);
            dollars(&mut s, 4_900u64.saturating_sub(i as u64 * 45) + sub);
            s.push_str(r#"",""#);
            count(&mut s, 100 * (1 + rng.next() % 2_000) + rng.next() % 4 * 25);
            s.push_str(r#""]"#);
        }
    }
    s.push_str("]}}");
    s.into_bytes()
}
