//! A fast reader for `GetMarkets` and `GetMarket` answers.
//!
//! A page of 1,000 markets is 1.7 MB of some fifty fields a market; serde reads it in one pass
//! but spends most of its time finding each key among the fifty and copying strings through its
//! scratch buffer. This reader walks the bytes once, in place:
//!
//! - **Keys are predicted.** The exchange writes every market's fields in the same order, so
//!   after field `k` the reader first checks whether the key that followed `k` in the previous
//!   market follows it again (one comparison of its bytes), and only otherwise reads the key
//!   and looks it up. Any order, unknown keys and missing optional fields still read; they
//!   only miss the prediction.
//! - **Values are read in place:** prices and counts by
//!   [`decimal_at`](crate::fixed_point::decimal_at) straight from the quoted text, instants by
//!   the exchange-form fast path of [`crate::time`], enums without allocating, strings copied
//!   once into their `String`.
//!
//! It reads a strict subset (see [`super::fast_json`]) and answers `None` for anything else: a
//! top-level key other than `markets` and `cursor` (so an error document is never taken for a
//! page), a repeated field, a missing required one, a value of another type, a number with an
//! exponent, a value nested deeper than 32. The general serde path then decides, so an answer
//! is never read differently, only faster. Where a value is rare and free-form
//! (`custom_strike`, `mve_selected_legs`, a number that is not a small integer, a string with
//! escapes) its text is given to serde_json on its own, which reads it exactly as in the body.
//! The property tests below check both readers agree on arbitrary markets, field orders,
//! whitespace and mutations; the fuzz target `responses` checks it on arbitrary bytes.

use std::borrow::Cow;

use serde_json::Number;

use super::fast_json::TextCursor;
use super::{
    GetMarketResponse, GetMarketsResponse, Market, MarketResult, MarketStatus, MarketType,
    MveSelectedLeg, PriceRange, StrikeType,
};
use crate::{ExchangeIndex, FixedPointCount, FixedPointDollars};

/// Declares the fields of [`Market`] the reader knows: an enum and the lookup by name.
macro_rules! fields {
    ($($variant:ident = $name:literal,)+) => {
        /// A field of [`Market`], or a key it does not have.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum F {
            $($variant,)+
            Unknown,
        }

        /// The field called `name` (after unescaping).
        fn field(name: &str) -> F {
            match name {
                $($name => F::$variant,)+
                _ => F::Unknown,
            }
        }
    };
}

fields! {
    Ticker = "ticker",
    EventTicker = "event_ticker",
    MarketType = "market_type",
    Title = "title",
    Subtitle = "subtitle",
    YesSubTitle = "yes_sub_title",
    NoSubTitle = "no_sub_title",
    CreatedTime = "created_time",
    UpdatedTime = "updated_time",
    OpenTime = "open_time",
    CloseTime = "close_time",
    ExpectedExpirationTime = "expected_expiration_time",
    ExpirationTime = "expiration_time",
    LatestExpirationTime = "latest_expiration_time",
    SettlementTimerSeconds = "settlement_timer_seconds",
    Status = "status",
    YesBidDollars = "yes_bid_dollars",
    YesBidSizeFp = "yes_bid_size_fp",
    YesAskDollars = "yes_ask_dollars",
    YesAskSizeFp = "yes_ask_size_fp",
    NoBidDollars = "no_bid_dollars",
    NoAskDollars = "no_ask_dollars",
    LastPriceDollars = "last_price_dollars",
    VolumeFp = "volume_fp",
    Volume24hFp = "volume_24h_fp",
    Result = "result",
    CanCloseEarly = "can_close_early",
    OpenInterestFp = "open_interest_fp",
    NotionalValueDollars = "notional_value_dollars",
    PreviousYesBidDollars = "previous_yes_bid_dollars",
    PreviousYesAskDollars = "previous_yes_ask_dollars",
    PreviousPriceDollars = "previous_price_dollars",
    LiquidityDollars = "liquidity_dollars",
    SettlementValueDollars = "settlement_value_dollars",
    SettlementTs = "settlement_ts",
    ExpirationValue = "expiration_value",
    OccurrenceDatetime = "occurrence_datetime",
    FeeWaiverExpirationTime = "fee_waiver_expiration_time",
    EarlyCloseCondition = "early_close_condition",
    StrikeType = "strike_type",
    FloorStrike = "floor_strike",
    CapStrike = "cap_strike",
    FunctionalStrike = "functional_strike",
    CustomStrike = "custom_strike",
    RulesPrimary = "rules_primary",
    RulesSecondary = "rules_secondary",
    MveCollectionTicker = "mve_collection_ticker",
    MveSelectedLegs = "mve_selected_legs",
    PrimaryParticipantKey = "primary_participant_key",
    PriceLevelStructure = "price_level_structure",
    PriceRanges = "price_ranges",
    IsProvisional = "is_provisional",
    ExchangeIndex = "exchange_index",
}

/// Prediction slots: one per field (what followed it), one for unknown keys, one for the
/// first key of a market.
const SLOTS: usize = F::Unknown as usize + 2;
/// The slot of a market's first key.
const START: usize = SLOTS - 1;

/// The fields serde requires (no `default`): a market without one of them is refused.
const REQUIRED: u64 = {
    let required = [
        F::Ticker,
        F::EventTicker,
        F::MarketType,
        F::YesSubTitle,
        F::NoSubTitle,
        F::CreatedTime,
        F::UpdatedTime,
        F::OpenTime,
        F::CloseTime,
        F::LatestExpirationTime,
        F::SettlementTimerSeconds,
        F::Status,
        F::YesBidDollars,
        F::YesBidSizeFp,
        F::YesAskDollars,
        F::YesAskSizeFp,
        F::NoBidDollars,
        F::NoAskDollars,
        F::LastPriceDollars,
        F::VolumeFp,
        F::Volume24hFp,
        F::Result,
        F::CanCloseEarly,
        F::OpenInterestFp,
        F::NotionalValueDollars,
        F::PreviousYesBidDollars,
        F::PreviousYesAskDollars,
        F::PreviousPriceDollars,
        F::ExpirationValue,
        F::RulesPrimary,
        F::RulesSecondary,
        F::PriceLevelStructure,
        F::PriceRanges,
    ];
    let mut mask = 0;
    let mut k = 0;
    while k < required.len() {
        mask |= 1 << required[k] as u32;
        k += 1;
    }
    mask
};

/// A market to read into: optional fields as serde leaves them when absent, required ones
/// with placeholders that [`REQUIRED`] makes sure are all overwritten.
fn blank() -> Market {
    Market {
        ticker: String::new(),
        event_ticker: String::new(),
        market_type: MarketType::Binary,
        title: None,
        subtitle: None,
        yes_sub_title: String::new(),
        no_sub_title: String::new(),
        created_time: jiff::Timestamp::UNIX_EPOCH,
        updated_time: jiff::Timestamp::UNIX_EPOCH,
        open_time: jiff::Timestamp::UNIX_EPOCH,
        close_time: jiff::Timestamp::UNIX_EPOCH,
        expected_expiration_time: None,
        expiration_time: None,
        latest_expiration_time: jiff::Timestamp::UNIX_EPOCH,
        settlement_timer_seconds: 0,
        status: MarketStatus::Active,
        yes_bid_dollars: FixedPointDollars::ZERO,
        yes_bid_size_fp: FixedPointCount::ZERO,
        yes_ask_dollars: FixedPointDollars::ZERO,
        yes_ask_size_fp: FixedPointCount::ZERO,
        no_bid_dollars: FixedPointDollars::ZERO,
        no_ask_dollars: FixedPointDollars::ZERO,
        last_price_dollars: FixedPointDollars::ZERO,
        volume_fp: FixedPointCount::ZERO,
        volume_24h_fp: FixedPointCount::ZERO,
        result: MarketResult::Undetermined,
        can_close_early: false,
        open_interest_fp: FixedPointCount::ZERO,
        notional_value_dollars: FixedPointDollars::ZERO,
        previous_yes_bid_dollars: FixedPointDollars::ZERO,
        previous_yes_ask_dollars: FixedPointDollars::ZERO,
        previous_price_dollars: FixedPointDollars::ZERO,
        liquidity_dollars: None,
        settlement_value_dollars: None,
        settlement_ts: None,
        expiration_value: String::new(),
        occurrence_datetime: None,
        fee_waiver_expiration_time: None,
        early_close_condition: None,
        strike_type: None,
        floor_strike: None,
        cap_strike: None,
        functional_strike: None,
        custom_strike: None,
        rules_primary: String::new(),
        rules_secondary: String::new(),
        mve_collection_ticker: None,
        mve_selected_legs: Vec::new(),
        primary_participant_key: None,
        price_level_structure: String::new(),
        price_ranges: Vec::new(),
        is_provisional: None,
        exchange_index: None,
    }
}

/// The reader: a cursor and the key predictions.
struct Reader<'a> {
    r: TextCursor<'a>,
    /// For each slot, the raw key (quotes included) that came next last time, and its field.
    next: [Option<(&'a [u8], F)>; SLOTS],
}

/// An RFC 3339 instant as `crate::serde_util::time` reads it.
fn instant(s: &str) -> Option<jiff::Timestamp> {
    crate::time::parse_utc_fast(s).or_else(|| s.parse().ok())
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            r: TextCursor::new(text),
            next: [None; SLOTS],
        }
    }

    /// A required string field.
    fn owned(&mut self) -> Option<String> {
        self.r.string().map(Cow::into_owned)
    }

    /// An optional string field (`null` is `None`).
    fn opt_owned(&mut self) -> Option<Option<String>> {
        Some(self.r.opt_string()?.map(Cow::into_owned))
    }

    /// A quoted decimal in units of `10^-SCALE`, read in place when it is plain digits;
    /// otherwise the string as serde reads it, parsed by `parse`.
    #[inline]
    fn decimal<const SCALE: u32>(&mut self, parse: fn(&str) -> Option<i64>) -> Option<i64> {
        let c = &mut self.r.c;
        if c.b.get(c.i) != Some(&b'"') {
            c.ws();
        }
        if c.b.get(c.i) == Some(&b'"') {
            if let Some((v, n)) = crate::fixed_point::decimal_at::<SCALE>(&c.b[c.i + 1..]) {
                if c.b.get(c.i + 1 + n) == Some(&b'"') {
                    c.i += n + 2;
                    return Some(v);
                }
            }
        }
        parse(&self.r.string()?)
    }

    /// A `FixedPointDollars` field.
    fn dollars(&mut self) -> Option<FixedPointDollars> {
        // The exchange's usual form, `"0.5600"`: one word, checked and converted at once.
        let c = &mut self.r.c;
        if let Some(w) = c.b.get(c.i..c.i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            let w = u64::from_le_bytes(word);
            let (t, not_digit) = crate::fixed_point::digit_values(w);
            // `"` `.` `"` in their places, digits in the other five.
            if w & 0xFF00_0000_00FF_00FF == 0x2200_0000_002E_0022
                && not_digit & 0x0080_8080_8000_8000 == 0
            {
                let d = (t >> 24) & 0x0F0F_0F0F;
                let d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF;
                let micros = ((t >> 8) & 0xFF) * 1_000_000 + ((d & 0xFF) * 100 + (d >> 16)) * 100;
                c.i += 8;
                return Some(FixedPointDollars::from_micros(micros as i64));
            }
        }
        self.decimal::<6>(|s| s.parse().ok().map(FixedPointDollars::micros))
            .map(FixedPointDollars::from_micros)
    }

    /// An optional `FixedPointDollars` field.
    fn opt_dollars(&mut self) -> Option<Option<FixedPointDollars>> {
        if self.r.c.literal(b"null") {
            return Some(None);
        }
        self.dollars().map(Some)
    }

    /// A `FixedPointCount` field.
    fn count(&mut self) -> Option<FixedPointCount> {
        self.decimal::<2>(|s| s.parse().ok().map(FixedPointCount::hundredths))
            .map(FixedPointCount::from_hundredths)
    }

    /// A required instant (`crate::serde_util::time`): the exchange's form read in place
    /// (its bytes need no unescaping), anything else as the string serde reads.
    #[inline]
    fn time(&mut self) -> Option<jiff::Timestamp> {
        let c = &mut self.r.c;
        if c.b.get(c.i) != Some(&b'"') {
            c.ws();
        }
        if c.b.get(c.i) == Some(&b'"') {
            if let Some((t, n)) = crate::time::parse_utc_prefix(&c.b[c.i + 1..]) {
                if c.b.get(c.i + 1 + n) == Some(&b'"') {
                    c.i += n + 2;
                    return Some(t);
                }
            }
        }
        instant(&self.r.string()?)
    }

    /// An optional instant (`crate::serde_util::opt_time`): `null` and `""` are `None`.
    fn opt_time(&mut self) -> Option<Option<jiff::Timestamp>> {
        if self.r.c.literal(b"null") || self.r.c.literal(b"\"\"") {
            return Some(None);
        }
        self.time().map(Some)
    }

    /// An optional JSON number, kept as serde_json reads it.
    fn number(&mut self) -> Option<Option<Number>> {
        if self.r.c.literal(b"null") {
            return Some(None);
        }
        if let Some(v) = self.r.small_uint() {
            return Some(Some(Number::from(v)));
        }
        serde_json::from_str(self.r.skip_value()?).ok()
    }

    /// `price_ranges`: `null` or a list of `{start, end, step}`.
    fn price_ranges(&mut self) -> Option<Vec<PriceRange>> {
        if self.r.c.literal(b"null") {
            return Some(Vec::new());
        }
        self.r.c.eat(b'[')?;
        let mut out = Vec::new();
        if self.r.c.peek_eat(b']') {
            return Some(out);
        }
        loop {
            out.push(self.price_range()?);
            if self.r.c.peek_eat(b']') {
                return Some(out);
            }
            self.r.c.eat(b',')?;
        }
    }

    /// One `{start, end, step}`, keys in any order, unknown keys stepped over.
    fn price_range(&mut self) -> Option<PriceRange> {
        self.r.c.eat(b'{')?;
        let (mut start, mut end, mut step) = (None, None, None);
        if !self.r.c.peek_eat(b'}') {
            loop {
                let key = self.r.string()?;
                self.r.c.eat(b':')?;
                match &*key {
                    "start" | "end" | "step" => {
                        let slot = match &*key {
                            "start" => &mut start,
                            "end" => &mut end,
                            _ => &mut step,
                        };
                        if slot.is_some() {
                            return None;
                        }
                        *slot = Some(self.owned()?);
                    }
                    _ => {
                        self.r.skip_value()?;
                    }
                }
                if self.r.c.peek_eat(b'}') {
                    break;
                }
                self.r.c.eat(b',')?;
            }
        }
        Some(PriceRange {
            start: start?,
            end: end?,
            step: step?,
        })
    }

    /// The next key and its colon, predicted from what followed slot `prev` last time (the
    /// same bytes, quotes to colon), else read and looked up (and remembered for next time).
    #[inline]
    fn key(&mut self, prev: usize) -> Option<F> {
        let c = &mut self.r.c;
        if c.b.get(c.i) != Some(&b'"') {
            c.ws();
        }
        if let Some((raw, f)) = self.next[prev] {
            if c.b[c.i..].starts_with(raw) {
                c.i += raw.len();
                return Some(f);
            }
        }
        let from = c.i;
        let f = field(&self.r.string()?);
        self.r.c.eat(b':')?;
        self.next[prev] = Some((&self.r.c.b[from..self.r.c.i], f));
        Some(f)
    }

    /// One market object.
    fn market(&mut self) -> Option<Market> {
        self.r.c.eat(b'{')?;
        if self.r.c.peek_eat(b'}') {
            // Every required field is missing.
            return None;
        }
        let mut m = blank();
        let mut seen = 0u64;
        let mut prev = START;
        loop {
            let f = self.key(prev)?;
            if f != F::Unknown {
                // serde refuses a repeated field.
                let bit = 1u64 << (f as u32);
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
            }
            self.value(f, &mut m)?;
            prev = f as usize;
            if !self.r.c.peek_eat(b',') {
                self.r.c.eat(b'}')?;
                return (seen & REQUIRED == REQUIRED).then_some(m);
            }
        }
    }

    /// The value of field `f`, into `m`.
    fn value(&mut self, f: F, m: &mut Market) -> Option<()> {
        match f {
            F::Ticker => m.ticker = self.owned()?,
            F::EventTicker => m.event_ticker = self.owned()?,
            F::MarketType => m.market_type = MarketType::from_api(&self.r.string()?),
            F::Title => m.title = self.opt_owned()?,
            F::Subtitle => m.subtitle = self.opt_owned()?,
            F::YesSubTitle => m.yes_sub_title = self.owned()?,
            F::NoSubTitle => m.no_sub_title = self.owned()?,
            F::CreatedTime => m.created_time = self.time()?,
            F::UpdatedTime => m.updated_time = self.time()?,
            F::OpenTime => m.open_time = self.time()?,
            F::CloseTime => m.close_time = self.time()?,
            F::ExpectedExpirationTime => m.expected_expiration_time = self.opt_time()?,
            F::ExpirationTime => m.expiration_time = self.opt_time()?,
            F::LatestExpirationTime => m.latest_expiration_time = self.time()?,
            // At most 18 digits: fits i64.
            F::SettlementTimerSeconds => m.settlement_timer_seconds = self.r.small_uint()? as i64,
            F::Status => m.status = MarketStatus::from_api(&self.r.string()?),
            F::YesBidDollars => m.yes_bid_dollars = self.dollars()?,
            F::YesBidSizeFp => m.yes_bid_size_fp = self.count()?,
            F::YesAskDollars => m.yes_ask_dollars = self.dollars()?,
            F::YesAskSizeFp => m.yes_ask_size_fp = self.count()?,
            F::NoBidDollars => m.no_bid_dollars = self.dollars()?,
            F::NoAskDollars => m.no_ask_dollars = self.dollars()?,
            F::LastPriceDollars => m.last_price_dollars = self.dollars()?,
            F::VolumeFp => m.volume_fp = self.count()?,
            F::Volume24hFp => m.volume_24h_fp = self.count()?,
            F::Result => m.result = MarketResult::from_api(&self.r.string()?),
            F::CanCloseEarly => m.can_close_early = self.r.boolean()?,
            F::OpenInterestFp => m.open_interest_fp = self.count()?,
            F::NotionalValueDollars => m.notional_value_dollars = self.dollars()?,
            F::PreviousYesBidDollars => m.previous_yes_bid_dollars = self.dollars()?,
            F::PreviousYesAskDollars => m.previous_yes_ask_dollars = self.dollars()?,
            F::PreviousPriceDollars => m.previous_price_dollars = self.dollars()?,
            F::LiquidityDollars => m.liquidity_dollars = self.opt_dollars()?,
            F::SettlementValueDollars => m.settlement_value_dollars = self.opt_dollars()?,
            F::SettlementTs => m.settlement_ts = self.opt_time()?,
            F::ExpirationValue => m.expiration_value = self.owned()?,
            F::OccurrenceDatetime => m.occurrence_datetime = self.opt_time()?,
            F::FeeWaiverExpirationTime => m.fee_waiver_expiration_time = self.opt_time()?,
            F::EarlyCloseCondition => m.early_close_condition = self.opt_owned()?,
            F::StrikeType => {
                m.strike_type = self.r.opt_string()?.map(|s| StrikeType::from_api(&s));
            }
            F::FloorStrike => m.floor_strike = self.number()?,
            F::CapStrike => m.cap_strike = self.number()?,
            F::FunctionalStrike => m.functional_strike = self.opt_owned()?,
            F::CustomStrike => m.custom_strike = serde_json::from_str(self.r.skip_value()?).ok()?,
            F::RulesPrimary => m.rules_primary = self.owned()?,
            F::RulesSecondary => m.rules_secondary = self.owned()?,
            F::MveCollectionTicker => m.mve_collection_ticker = self.opt_owned()?,
            F::MveSelectedLegs => {
                // `null_as_empty`.
                let legs: Option<Vec<MveSelectedLeg>> =
                    serde_json::from_str(self.r.skip_value()?).ok()?;
                m.mve_selected_legs = legs.unwrap_or_default();
            }
            F::PrimaryParticipantKey => m.primary_participant_key = self.opt_owned()?,
            F::PriceLevelStructure => m.price_level_structure = self.owned()?,
            F::PriceRanges => m.price_ranges = self.price_ranges()?,
            F::IsProvisional => {
                m.is_provisional = if self.r.c.literal(b"null") {
                    None
                } else {
                    Some(self.r.boolean()?)
                };
            }
            F::ExchangeIndex => {
                m.exchange_index = if self.r.c.literal(b"null") {
                    None
                } else if let Some(v) = self.r.small_uint() {
                    Some(ExchangeIndex::from_raw(v as i64))
                } else {
                    serde_json::from_str(self.r.skip_value()?).ok()?
                };
            }
            F::Unknown => {
                self.r.skip_value()?;
            }
        }
        Some(())
    }

    /// `[market, ...]` or `null`.
    fn markets(&mut self) -> Option<Vec<Market>> {
        if self.r.c.literal(b"null") {
            return Some(Vec::new());
        }
        self.r.c.eat(b'[')?;
        let mut out = Vec::new();
        if self.r.c.peek_eat(b']') {
            return Some(out);
        }
        let first = self.r.c.i;
        out.push(self.market()?);
        // Room for the rest at the first market's size (a market the reader takes has every
        // required field: more than 512 bytes), and an eighth more for markets longer than the
        // first, instead of doubling through a megabyte.
        let per = (self.r.c.i - first).max(512);
        let left = (self.r.c.b.len() - self.r.c.i) / per;
        out.reserve(left + left / 8 + 1);
        loop {
            if !self.r.c.peek_eat(b',') {
                self.r.c.eat(b']')?;
                return Some(out);
            }
            out.push(self.market()?);
        }
    }

    /// The end of the body: only whitespace left.
    fn at_end(&mut self) -> bool {
        self.r.c.ws();
        self.r.c.i == self.r.c.b.len()
    }
}

/// A `GetMarkets` page if `body` is one this reader takes, else `None`.
pub(super) fn decode_page(body: &[u8]) -> Option<GetMarketsResponse> {
    let mut rd = Reader::new(std::str::from_utf8(body).ok()?);
    rd.r.c.eat(b'{')?;
    let (mut markets, mut cursor) = (None, None);
    if !rd.r.c.peek_eat(b'}') {
        loop {
            let key = rd.r.string()?;
            rd.r.c.eat(b':')?;
            match &*key {
                "markets" if markets.is_none() => markets = Some(rd.markets()?),
                // `crate::serde_util::cursor`: `null` and `""` are the last page.
                "cursor" if cursor.is_none() => {
                    cursor = Some(rd.opt_owned()?.filter(|c| !c.is_empty()));
                }
                _ => return None,
            }
            if rd.r.c.peek_eat(b'}') {
                break;
            }
            rd.r.c.eat(b',')?;
        }
    }
    rd.at_end().then(|| GetMarketsResponse {
        markets: markets.unwrap_or_default(),
        cursor: cursor.flatten(),
    })
}

/// A `GetMarket` answer if `body` is one this reader takes, else `None`.
pub(super) fn decode_one(body: &[u8]) -> Option<GetMarketResponse> {
    let mut rd = Reader::new(std::str::from_utf8(body).ok()?);
    rd.r.c.eat(b'{')?;
    if rd.r.string()? != "market" {
        return None;
    }
    rd.r.c.eat(b':')?;
    let market = rd.market()?;
    rd.r.c.eat(b'}')?;
    rd.at_end().then_some(GetMarketResponse { market })
}

#[cfg(test)]
mod tests {
    use http::StatusCode;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::market::tests::MARKET;
    use crate::market::{GetMarket, GetMarkets};
    use crate::response::parse;

    /// What the general (serde) path reads.
    fn general<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
        serde_json::from_slice(body).ok()
    }

    /// A market's fields as written, in order.
    type Fields = Vec<(String, Value)>;

    /// A page of `markets` (JSON objects, written with their keys in the order given) and a
    /// cursor, compact.
    fn page_text(markets: &[Fields], cursor: &str) -> String {
        let objects: Vec<String> = markets
            .iter()
            .map(|m| {
                let fields: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
                    .collect();
                format!("{{{}}}", fields.join(","))
            })
            .collect();
        format!(
            r#"{{"markets":[{}],"cursor":{}}}"#,
            objects.join(","),
            Value::from(cursor)
        )
    }

    /// The fixture market's fields, in the exchange's order.
    fn fixture_fields() -> Fields {
        // serde_json keeps maps sorted; the fixture's own order comes from its text.
        let v: Value = serde_json::from_str(MARKET).unwrap();
        let mut fields: Vec<(String, Value)> = v.as_object().unwrap().clone().into_iter().collect();
        fields.sort_by_key(|(k, _)| MARKET.find(&format!("\"{k}\"")).unwrap());
        fields
    }

    #[test]
    fn reads_the_exchange_shape_as_serde_does() {
        let one = fixture_fields();
        let body = page_text(&[one.clone(), one.clone(), one], "CgsIvPK3ugYQ");
        let fast = decode_page(body.as_bytes()).expect("the usual shape");
        assert_eq!(
            Some(&fast),
            general::<GetMarketsResponse>(body.as_bytes()).as_ref()
        );
        assert_eq!(fast.markets.len(), 3);
        assert_eq!(fast.markets[2].ticker, "KXHIGHNY-26DEC06-B45.5");
        assert_eq!(fast.markets[0].yes_bid_dollars.micros(), 560_000);
        assert_eq!(fast.markets[0].floor_strike, Some(Number::from(45)));
        assert_eq!(fast.cursor.as_deref(), Some("CgsIvPK3ugYQ"));
        // Through the operation, and pretty-printed (whitespace everywhere).
        assert_eq!(
            parse::<GetMarkets>(StatusCode::OK, body.as_bytes()).unwrap(),
            fast
        );
        let v: Value = serde_json::from_str(&body).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert_eq!(decode_page(pretty.as_bytes()), Some(fast.clone()));
        // One market.
        let body = format!(r#"{{"market": {MARKET}}}"#);
        let one = decode_one(body.as_bytes()).expect("the usual shape");
        assert_eq!(
            Some(&one),
            general::<GetMarketResponse>(body.as_bytes()).as_ref()
        );
        assert_eq!(
            parse::<GetMarket>(StatusCode::OK, body.as_bytes()).unwrap(),
            one
        );
        // Empty and last pages.
        for body in [
            r#"{"markets":[],"cursor":""}"#,
            r#"{"markets":null,"cursor":null}"#,
            r#"{"cursor":"x"}"#,
            "{}",
            " { \"markets\" : [ ] } \n",
        ] {
            let fast = decode_page(body.as_bytes());
            assert!(fast.is_some(), "{body}");
            assert_eq!(fast, general(body.as_bytes()), "{body}");
        }
    }

    #[test]
    fn missing_optional_fields_new_values_and_escapes_read_as_serde_does() {
        let mut a = fixture_fields();
        a.retain(|(k, _)| !matches!(k.as_str(), "title" | "floor_strike" | "exchange_index"));
        let mut b = fixture_fields();
        for (k, v) in &mut b {
            match k.as_str() {
                "status" => *v = json!("archived"),
                "market_type" => *v = json!("perpetual"),
                "result" => *v = json!("scalar"),
                "strike_type" => *v = json!("new_kind"),
                "cap_strike" => *v = json!(-1.5e3),
                "exchange_index" => *v = json!(-1),
                "liquidity_dollars" => *v = Value::Null,
                "expiration_value" => *v = json!("caf\u{e9} \"45\" \\ \n\u{1}"),
                "created_time" => *v = json!("2026-12-04T15:00:00+01:00"),
                "expected_expiration_time" => *v = json!(""),
                _ => {}
            }
        }
        b.push((
            "settlement_ts".into(),
            json!("2026-12-07T15:30:00.123456789Z"),
        ));
        b.push((
            "custom_strike".into(),
            json!({"Team": "NYK", "n": [1, {"x": null}]}),
        ));
        b.push((
            "mve_selected_legs".into(),
            json!([{"event_ticker": "E", "market_ticker": "M", "side": "yes", "new": 1}]),
        ));
        b.push((
            "a_new_field".into(),
            json!({"nested": [true, false, null, 0.5, "\u{2603}"]}),
        ));
        b.insert(3, ("another".into(), json!("x")));
        // Keys in another order for the third market.
        let mut c = fixture_fields();
        c.reverse();
        let body = page_text(&[a, b, c.clone(), c], "");
        let fast = decode_page(body.as_bytes()).expect("still the fast reader's subset");
        assert_eq!(
            Some(&fast),
            general::<GetMarketsResponse>(body.as_bytes()).as_ref()
        );
        let m = &fast.markets[1];
        assert_eq!(m.status, MarketStatus::Unknown("archived".into()));
        assert_eq!(m.expiration_value, "caf\u{e9} \"45\" \\ \n\u{1}");
        assert_eq!(m.exchange_index, Some(ExchangeIndex::AUTO_ROUTE));
        assert_eq!(m.expected_expiration_time, None);
        assert_eq!(fast.markets[0].title, None);
        assert_eq!(fast.cursor, None);
    }

    #[test]
    fn gives_up_on_anything_else() {
        let market = |edit: &dyn Fn(&mut Fields)| {
            let mut m = fixture_fields();
            edit(&mut m);
            page_text(&[m], "c")
        };
        let set = |key: &'static str, v: Value| {
            move |m: &mut Fields| {
                m.iter_mut().find(|(k, _)| k == key).unwrap().1 = v.clone();
            }
        };
        for body in [
            // Serde refuses these too.
            market(&|m| m.retain(|(k, _)| k != "ticker")),
            market(&|m| m.push(("ticker".into(), json!("again")))),
            market(&set("ticker", Value::Null)),
            market(&set("yes_bid_dollars", json!("0.1234567"))),
            market(&set("created_time", json!("yesterday"))),
            market(&set("can_close_early", json!("true"))),
            market(&set("price_ranges", json!([{"start": "0", "end": "1"}]))),
            // Serde reads these; the general path does.
            market(&set("settlement_timer_seconds", json!(-5))),
            market(&set("volume_fp", json!(7))),
            market(&|_| {}).replace(r#""floor_strike":45"#, r#""floor_strike":1.5e3"#),
            market(&|m| {
                m.push((
                    "deep".into(),
                    serde_json::from_str(&format!("{}{}", "[".repeat(40), "]".repeat(40))).unwrap(),
                ))
            }),
            // An error document behind a success status, an extra top-level key.
            r#"{"code":"not_found","message":"gone"}"#.to_string(),
            r#"{"markets":[],"cursor":"","error":{"code":"x"}}"#.to_string(),
            r#"{"markets":[],"markets":[]}"#.to_string(),
            r#"{"markets":[]} x"#.to_string(),
            "\u{feff}{}".to_string(),
        ] {
            assert_eq!(decode_page(body.as_bytes()), None, "{body}");
        }
        let bad_utf8 = b"{\"markets\":[],\"cursor\":\"\xff\"}";
        assert_eq!(decode_page(bad_utf8), None);
        assert_eq!(decode_one(br#"{"market":{},"x":1}"#), None);
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[A-Za-z0-9 .,?°-]{0,40}",
            1 => "\\PC{0,12}",
            1 => "[\"\\\\/\\u{0}-\\u{1f}a\u{e9}\u{1F600}]{0,8}",
        ]
    }

    fn instant() -> impl Strategy<Value = jiff::Timestamp> {
        (
            0i64..4_000_000_000,
            prop_oneof![Just(0i32), 0i32..1_000_000_000, Just(318_000_000)],
        )
            .prop_map(|(s, n)| jiff::Timestamp::new(s, n).unwrap())
    }

    fn dollars() -> impl Strategy<Value = FixedPointDollars> {
        prop_oneof![
            4 => (0i64..=10_000).prop_map(|t| FixedPointDollars::from_micros(t * 100)),
            1 => any::<i64>().prop_map(|m| FixedPointDollars::from_micros(m / 2)),
        ]
    }

    fn count() -> impl Strategy<Value = FixedPointCount> {
        prop_oneof![
            4 => (0i64..100_000_000).prop_map(FixedPointCount::from_hundredths),
            1 => any::<i64>().prop_map(|h| FixedPointCount::from_hundredths(h / 2)),
        ]
    }

    fn enum_text(known: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(known).prop_map(str::to_owned),
            1 => "[a-z_]{0,10}",
        ]
    }

    fn number() -> impl Strategy<Value = Option<Number>> {
        proptest::option::of(prop_oneof![
            any::<u64>().prop_map(Number::from),
            any::<i64>().prop_map(Number::from),
            (-1e9f64..1e9).prop_map(|f| Number::from_f64(f).unwrap()),
        ])
    }

    prop_compose! {
        fn any_market()(
            (ticker, event_ticker, market_type, title, subtitle, yes_sub_title, no_sub_title)
                in (text(), text(), enum_text(&["binary", "scalar"]), proptest::option::of(text()),
                    proptest::option::of(text()), text(), text()),
            (created_time, updated_time, open_time, close_time, expected_expiration_time,
             expiration_time, latest_expiration_time, settlement_ts, occurrence_datetime,
             fee_waiver_expiration_time)
                in (instant(), instant(), instant(), instant(), proptest::option::of(instant()),
                    proptest::option::of(instant()), instant(), proptest::option::of(instant()),
                    proptest::option::of(instant()), proptest::option::of(instant())),
            (settlement_timer_seconds, status, result, can_close_early)
                in (prop_oneof![4 => 0i64..100_000, 1 => any::<i64>()],
                    enum_text(&["initialized", "inactive", "active", "closed", "determined", "disputed", "amended", "finalized"]),
                    enum_text(&["yes", "no", "scalar", ""]), any::<bool>()),
            (yes_bid_dollars, yes_ask_dollars, no_bid_dollars, no_ask_dollars, last_price_dollars,
             notional_value_dollars, previous_yes_bid_dollars, previous_yes_ask_dollars,
             previous_price_dollars, liquidity_dollars, settlement_value_dollars)
                in (dollars(), dollars(), dollars(), dollars(), dollars(), dollars(), dollars(),
                    dollars(), dollars(), proptest::option::of(dollars()), proptest::option::of(dollars())),
            (yes_bid_size_fp, yes_ask_size_fp, volume_fp, volume_24h_fp, open_interest_fp)
                in (count(), count(), count(), count(), count()),
            (expiration_value, early_close_condition, strike_type, floor_strike, cap_strike,
             functional_strike, rules_primary, rules_secondary)
                in (text(), proptest::option::of(text()),
                    proptest::option::of(enum_text(&["greater", "less", "between", "custom"])),
                    number(), number(), proptest::option::of(text()), text(), text()),
            (custom_strike, mve_collection_ticker, mve_selected_legs, primary_participant_key,
             price_level_structure, price_ranges, is_provisional, exchange_index)
                in (proptest::option::of(proptest::collection::btree_map("[a-z]{0,4}", text(), 0..3)),
                    proptest::option::of(text()),
                    proptest::collection::vec((proptest::option::of(text()), proptest::option::of(text()),
                        proptest::option::of(text()), proptest::option::of(dollars())), 0..3),
                    proptest::option::of(text()), text(),
                    proptest::collection::vec((text(), text(), text()), 0..3),
                    proptest::option::of(any::<bool>()),
                    proptest::option::of(prop_oneof![4 => 0i64..4, 1 => any::<i64>()])),
        ) -> Market {
            Market {
                ticker, event_ticker, market_type: MarketType::from_api(&market_type), title,
                subtitle, yes_sub_title, no_sub_title, created_time, updated_time, open_time,
                close_time, expected_expiration_time, expiration_time, latest_expiration_time,
                settlement_timer_seconds, status: MarketStatus::from_api(&status), yes_bid_dollars,
                yes_bid_size_fp, yes_ask_dollars, yes_ask_size_fp, no_bid_dollars, no_ask_dollars,
                last_price_dollars, volume_fp, volume_24h_fp, result: MarketResult::from_api(&result),
                can_close_early, open_interest_fp, notional_value_dollars, previous_yes_bid_dollars,
                previous_yes_ask_dollars, previous_price_dollars, liquidity_dollars,
                settlement_value_dollars, settlement_ts, expiration_value, occurrence_datetime,
                fee_waiver_expiration_time, early_close_condition,
                strike_type: strike_type.map(|s| StrikeType::from_api(&s)), floor_strike, cap_strike,
                functional_strike,
                custom_strike: custom_strike.map(|m| m.into_iter().map(|(k, v)| (k, Value::from(v))).collect::<Map<_, _>>()),
                rules_primary, rules_secondary, mve_collection_ticker,
                mve_selected_legs: mve_selected_legs.into_iter().map(|(event_ticker, market_ticker, side, yes_settlement_value_dollars)| MveSelectedLeg {
                    event_ticker, market_ticker, side, yes_settlement_value_dollars,
                }).collect(),
                primary_participant_key, price_level_structure,
                price_ranges: price_ranges.into_iter().map(|(start, end, step)| PriceRange { start, end, step }).collect(),
                is_provisional, exchange_index: exchange_index.map(ExchangeIndex::from_raw),
            }
        }
    }

    /// How a market is written: its fields as serde writes them, then edited.
    #[derive(Debug, Clone)]
    enum Edit {
        /// Drop the k-th field if the docs do not require it.
        DropOptional(prop::sample::Index),
        /// A field the client does not know, at some place.
        Unknown(prop::sample::Index, Value),
        /// Swap two fields.
        Swap(prop::sample::Index, prop::sample::Index),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let value = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::from),
            Just(json!({"a": [1, 2.5, "x", {"b": null}], "c": {}})),
            Just(json!([[], [[]]])),
        ];
        prop_oneof![
            any::<prop::sample::Index>().prop_map(Edit::DropOptional),
            (any::<prop::sample::Index>(), value).prop_map(|(i, v)| Edit::Unknown(i, v)),
            (any::<prop::sample::Index>(), any::<prop::sample::Index>())
                .prop_map(|(a, b)| Edit::Swap(a, b)),
        ]
    }

    /// The fields of `m` in the exchange's order (the fixture's), with `edits` applied.
    fn written(m: &Market, edits: &[Edit]) -> Fields {
        let order: Vec<String> = fixture_fields().into_iter().map(|(k, _)| k).collect();
        let Value::Object(map) = serde_json::to_value(m).unwrap() else {
            unreachable!()
        };
        let mut fields: Vec<(String, Value)> = map.into_iter().collect();
        fields.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
        for e in edits {
            match e {
                Edit::DropOptional(i) => {
                    let i = i.index(fields.len());
                    if REQUIRED & (1 << field(&fields[i].0) as u32) == 0 {
                        fields.remove(i);
                    }
                }
                Edit::Unknown(i, v) => {
                    let i = i.index(fields.len() + 1);
                    fields.insert(i, (format!("new_field_{i}"), v.clone()));
                }
                Edit::Swap(a, b) => {
                    let (a, b) = (a.index(fields.len()), b.index(fields.len()));
                    fields.swap(a, b);
                }
            }
        }
        fields
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_page_reads_as_serde_reads_it(
            markets in proptest::collection::vec(
                (any_market(), proptest::collection::vec(edit(), 0..4)), 0..5),
            cursor in "[A-Za-z0-9]{0,12}",
            pretty in any::<bool>(),
        ) {
            let markets: Vec<Fields> =
                markets.iter().map(|(m, e)| written(m, e)).collect();
            let mut body = page_text(&markets, &cursor);
            if pretty {
                let v: Value = serde_json::from_str(&body).unwrap();
                body = serde_json::to_string_pretty(&v).unwrap();
            }
            let want = general::<GetMarketsResponse>(body.as_bytes());
            let fast = decode_page(body.as_bytes());
            if let Some(fast) = &fast {
                prop_assert_eq!(Some(fast), want.as_ref());
            }
            // The general path reads every page serde reads, fast or not.
            let got = parse::<GetMarkets>(StatusCode::OK, body.as_bytes()).ok();
            prop_assert_eq!(got.as_ref(), want.as_ref());
        }

        #[test]
        fn exchange_like_pages_take_the_fast_reader(
            markets in proptest::collection::vec(any_market(), 1..4),
        ) {
            // Values as the exchange writes them: small non-negative integers.
            let markets: Vec<Market> = markets
                .into_iter()
                .map(|mut m| {
                    m.settlement_timer_seconds = m.settlement_timer_seconds.rem_euclid(100_000);
                    m.exchange_index = m.exchange_index.map(|x| ExchangeIndex::from_raw(x.get().rem_euclid(4)));
                    m
                })
                .collect();
            let fields: Vec<Fields> = markets.iter().map(|m| written(m, &[])).collect();
            let body = page_text(&fields, "c");
            let fast = decode_page(body.as_bytes());
            prop_assert!(fast.is_some(), "{}", body);
            // (Not always `markets` itself: serde_json reads a float back to the nearest value
            // its own parser finds.)
            prop_assert_eq!(fast, general(body.as_bytes()));
        }

        #[test]
        fn a_mutated_page_is_refused_or_read_as_serde_reads_it(
            m in any_market(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let mut body = page_text(&[written(&m, &[]), written(&m, &[])], "c").into_bytes();
            for (at, byte) in edits {
                let i = at.index(body.len());
                body[i] = byte;
            }
            if let Some(fast) = decode_page(&body) {
                prop_assert_eq!(Some(fast), general(&body));
            }
            let got = parse::<GetMarkets>(StatusCode::OK, &body).ok();
            if let Some(g) = general::<GetMarketsResponse>(&body) {
                // (Unless the mutation made an error document: then an error.)
                if crate::response::ErrorResponse::from_body(&body).is_none() {
                    prop_assert_eq!(got, Some(g));
                }
            }
        }
    }
}
