//! Record types of market data, shared with [`crate::historical`] where the docs use the same
//! schema: [`Market`], [`Trade`], the order book ([`Orderbook`], [`PriceLevel`]), candlesticks
//! ([`MarketCandlestick`]) and [`Series`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Number, Value};

use crate::enums::{BookSide, OutcomeSide, string_enum};
use crate::serde_util::{null_as_empty, opt_time};
use crate::{ExchangeIndex, FixedPointCount, FixedPointDollars};

string_enum! {
    /// The type of a market (`market_type`).
    MarketType {
        /// A yes/no market.
        Binary = "binary",
        /// A market settling to a value in a range.
        Scalar = "scalar",
    }
}

string_enum! {
    /// Where a market is in its lifecycle (`Market.status`).
    MarketStatus {
        /// Created, not yet visible.
        Initialized = "initialized",
        /// Not trading (e.g. paused).
        Inactive = "inactive",
        /// Open for trading.
        Active = "active",
        /// Closed for trading, not yet determined.
        Closed = "closed",
        /// The outcome is determined.
        Determined = "determined",
        /// The outcome is disputed.
        Disputed = "disputed",
        /// The outcome was amended.
        Amended = "amended",
        /// Settled and final.
        Finalized = "finalized",
    }
}

string_enum! {
    /// A market's result (`Market.result`); empty while undetermined.
    MarketResult {
        /// YES won.
        Yes = "yes",
        /// NO won.
        No = "no",
        /// A scalar market settled to a value.
        Scalar = "scalar",
        /// Not determined yet (the empty string).
        Undetermined = "",
    }
}

string_enum! {
    /// How a market's strike is defined and evaluated (`strike_type`).
    StrikeType {
        /// Above `floor_strike`.
        Greater = "greater",
        /// At or above `floor_strike`.
        GreaterOrEqual = "greater_or_equal",
        /// Below `cap_strike`.
        Less = "less",
        /// At or below `cap_strike`.
        LessOrEqual = "less_or_equal",
        /// Between `floor_strike` and `cap_strike`.
        Between = "between",
        /// By `functional_strike`.
        Functional = "functional",
        /// By `custom_strike`.
        Custom = "custom",
        /// Structured.
        Structured = "structured",
    }
}

string_enum! {
    /// A series' fee structure (`FeeType`), described in Kalshi's fee schedule.
    FeeType {
        /// The general trading fees table.
        Quadratic = "quadratic",
        /// The general trading fees table, with maker fees.
        QuadraticWithMakerFees = "quadratic_with_maker_fees",
        /// The general trading fees table, with combo maker fees.
        QuadraticWithComboMakerFees = "quadratic_with_combo_maker_fees",
        /// A flat fee.
        Flat = "flat",
    }
}

/// One market: a tradable outcome of an event (`Market`).
///
/// Fields the docs do not mark required are `Option` (or empty), so one market missing one of
/// them never fails a page. `floor_strike`, `cap_strike` are documented as JSON numbers (a value
/// of the underlying, not a price); they are kept as [`serde_json::Number`], exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Market {
    /// The market ticker.
    pub ticker: String,
    /// The event this market belongs to.
    pub event_ticker: String,
    /// The type of market.
    pub market_type: MarketType,
    /// Deprecated title.
    #[serde(default)]
    pub title: Option<String>,
    /// Deprecated subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Shortened title for the yes side.
    pub yes_sub_title: String,
    /// Shortened title for the no side.
    pub no_sub_title: String,
    /// When the market was created.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub created_time: jiff::Timestamp,
    /// Time of the last non-trading metadata update.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub updated_time: jiff::Timestamp,
    /// When trading opens.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub open_time: jiff::Timestamp,
    /// When trading closes.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub close_time: jiff::Timestamp,
    /// When the market is expected to expire.
    #[serde(default, deserialize_with = "opt_time")]
    pub expected_expiration_time: Option<jiff::Timestamp>,
    /// Deprecated expiration time.
    #[serde(default, deserialize_with = "opt_time")]
    pub expiration_time: Option<jiff::Timestamp>,
    /// The latest possible expiration time.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub latest_expiration_time: jiff::Timestamp,
    /// Seconds between determination and settlement.
    pub settlement_timer_seconds: i64,
    /// The lifecycle status.
    pub status: MarketStatus,
    /// Highest YES buy offer.
    pub yes_bid_dollars: FixedPointDollars,
    /// Contracts to buy YES at the best bid.
    pub yes_bid_size_fp: FixedPointCount,
    /// Lowest YES sell offer.
    pub yes_ask_dollars: FixedPointDollars,
    /// Contracts to sell YES at the best ask.
    pub yes_ask_size_fp: FixedPointCount,
    /// Highest NO buy offer.
    pub no_bid_dollars: FixedPointDollars,
    /// Lowest NO sell offer.
    pub no_ask_dollars: FixedPointDollars,
    /// Price of the last traded YES contract.
    pub last_price_dollars: FixedPointDollars,
    /// Contracts traded.
    pub volume_fp: FixedPointCount,
    /// Contracts traded in the last 24 hours.
    pub volume_24h_fp: FixedPointCount,
    /// The result; [`MarketResult::Undetermined`] until determined.
    pub result: MarketResult,
    /// Whether the market can close before its close time.
    pub can_close_early: bool,
    /// Contracts bought, disregarding netting.
    pub open_interest_fp: FixedPointCount,
    /// Value of one contract at settlement.
    pub notional_value_dollars: FixedPointDollars,
    /// Highest YES buy offer a day ago.
    pub previous_yes_bid_dollars: FixedPointDollars,
    /// Lowest YES sell offer a day ago.
    pub previous_yes_ask_dollars: FixedPointDollars,
    /// Last traded YES price a day ago.
    pub previous_price_dollars: FixedPointDollars,
    /// Deprecated: always `"0.0000"`.
    #[serde(default)]
    pub liquidity_dollars: Option<FixedPointDollars>,
    /// Settlement value of the YES/LONG side; only after determination.
    #[serde(default)]
    pub settlement_value_dollars: Option<FixedPointDollars>,
    /// When the market settled; only for settled markets.
    #[serde(default, deserialize_with = "opt_time")]
    pub settlement_ts: Option<jiff::Timestamp>,
    /// The value considered for settlement.
    pub expiration_value: String,
    /// When the underlying event occurred, if recorded.
    #[serde(default, deserialize_with = "opt_time")]
    pub occurrence_datetime: Option<jiff::Timestamp>,
    /// When the market's fee waiver expires.
    #[serde(default, deserialize_with = "opt_time")]
    pub fee_waiver_expiration_time: Option<jiff::Timestamp>,
    /// The condition under which the market can close early.
    #[serde(default)]
    pub early_close_condition: Option<String>,
    /// How the strike is defined.
    #[serde(default)]
    pub strike_type: Option<StrikeType>,
    /// Minimum expiration value for a YES settlement (a JSON number, kept exactly as sent).
    #[serde(default)]
    pub floor_strike: Option<Number>,
    /// Maximum expiration value for a YES settlement (a JSON number, kept exactly as sent).
    #[serde(default)]
    pub cap_strike: Option<Number>,
    /// Mapping from expiration values to settlement values.
    #[serde(default)]
    pub functional_strike: Option<String>,
    /// Expiration value for each target that leads to a YES settlement (free-form object).
    #[serde(default)]
    pub custom_strike: Option<Map<String, Value>>,
    /// The most important market terms, in plain language.
    pub rules_primary: String,
    /// Secondary market terms, in plain language.
    pub rules_secondary: String,
    /// The multivariate event collection, for combo markets.
    #[serde(default)]
    pub mve_collection_ticker: Option<String>,
    /// The selected legs, for combo markets.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub mve_selected_legs: Vec<MveSelectedLeg>,
    /// The primary participant key.
    #[serde(default)]
    pub primary_participant_key: Option<String>,
    /// The price level structure (price ranges and tick sizes).
    pub price_level_structure: String,
    /// Valid price ranges for orders.
    #[serde(deserialize_with = "null_as_empty")]
    pub price_ranges: Vec<PriceRange>,
    /// If true, the market may be removed after determination if nothing traded.
    #[serde(default)]
    pub is_provisional: Option<bool>,
    /// The exchange shard.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}

/// A selected leg of a combo market (`MveSelectedLeg`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MveSelectedLeg {
    /// The selected event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// The selected market.
    #[serde(default)]
    pub market_ticker: Option<String>,
    /// The side of the selected market.
    #[serde(default)]
    pub side: Option<String>,
    /// Settlement value of the YES/LONG side; only after determination.
    #[serde(default)]
    pub yes_settlement_value_dollars: Option<FixedPointDollars>,
}

/// A range of valid order prices and its tick size (`PriceRange`).
///
/// The docs give these as plain strings "in dollars" (not as `FixedPointDollars`), so they are
/// kept as sent; [`PriceRange::start_dollars`] and the like read them exactly.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PriceRange {
    /// First price of the range, in dollars (`"0.0100"`).
    pub start: String,
    /// Last price of the range, in dollars.
    pub end: String,
    /// The tick size in this range, in dollars.
    pub step: String,
}

impl PriceRange {
    /// `start` as an exact dollar amount, if it is one.
    pub fn start_dollars(&self) -> Option<FixedPointDollars> {
        self.start.parse().ok()
    }

    /// `end` as an exact dollar amount, if it is one.
    pub fn end_dollars(&self) -> Option<FixedPointDollars> {
        self.end.parse().ok()
    }

    /// `step` as an exact dollar amount, if it is one.
    pub fn step_dollars(&self) -> Option<FixedPointDollars> {
        self.step.parse().ok()
    }
}

/// One public trade (`Trade`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Trade {
    /// The trade id.
    pub trade_id: String,
    /// The market.
    pub ticker: String,
    /// Contracts traded.
    pub count_fp: FixedPointCount,
    /// The YES price.
    pub yes_price_dollars: FixedPointDollars,
    /// The NO price.
    pub no_price_dollars: FixedPointDollars,
    /// Deprecated: use `taker_outcome_side` or `taker_book_side`.
    #[serde(default)]
    pub taker_side: Option<OutcomeSide>,
    /// The outcome the taker is positioned for (buy-yes and sell-no are `yes`).
    pub taker_outcome_side: OutcomeSide,
    /// The same direction in book words (`bid` is `yes`, `ask` is `no`).
    pub taker_book_side: BookSide,
    /// When the trade executed.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub created_time: jiff::Timestamp,
    /// True for a block trade matched off the book.
    pub is_block_trade: bool,
}

/// One level of an order book: a price and the contracts resting there
/// (`PriceLevelDollarsCountFp`). On the wire a 2-element array of strings,
/// `["0.1500", "10.00"]`, read and written as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PriceLevel {
    /// The price in dollars.
    pub price: FixedPointDollars,
    /// The contracts at this price (a count, not a price).
    pub count: FixedPointCount,
}

impl PriceLevel {
    /// A level of `count` contracts at `price`.
    pub fn new(price: FixedPointDollars, count: FixedPointCount) -> Self {
        PriceLevel { price, count }
    }

    /// The same contracts seen from the other outcome: a bid for YES at `p` is an ask for NO at
    /// `1 - p` (and a NO bid at `p` a YES ask at `1 - p`), with the same count. Exact.
    ///
    /// ```
    /// use kalshi_core::market::PriceLevel;
    /// let no_bid = PriceLevel::new("0.5600".parse()?, "17.00".parse()?);
    /// let yes_ask = no_bid.opposite();
    /// assert_eq!((yes_ask.price.to_string(), yes_ask.count.to_string()), ("0.4400".into(), "17.00".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn opposite(self) -> Self {
        PriceLevel {
            price: FixedPointDollars::from_micros(
                FixedPointDollars::ONE.micros() - self.price.micros(),
            ),
            count: self.count,
        }
    }
}

impl Serialize for PriceLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.price, self.count).serialize(s)
    }
}

impl<'de> Deserialize<'de> for PriceLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (price, count) = <(FixedPointDollars, FixedPointCount)>::deserialize(d)?;
        Ok(PriceLevel { price, count })
    }
}

/// An order book with fixed-point counts (`OrderbookCountFp`): YES bids and NO bids. A YES bid
/// at `p` is a NO ask at `1 - p` (and a NO bid at `p` a YES ask at `1 - p`), so no asks are
/// listed.
///
/// The two sides are kept in the order the exchange sent them, and the sources disagree on
/// that order: Kalshi's "Orderbook Responses" guide shows each side sorted by price
/// **ascending**, the best (highest) bid **last**, and the local simulator follows it; the API
/// reference (`GetMarketOrderbook`) says "organized from best to worst prices", the best
/// **first**. So do not read the best level from a position: the methods below find it by
/// price, whatever the order.
///
/// | method | what |
/// |---|---|
/// | [`best_yes_bid`](Self::best_yes_bid), [`best_no_bid`](Self::best_no_bid) | the highest bid of a side |
/// | [`best_yes_ask`](Self::best_yes_ask), [`best_no_ask`](Self::best_no_ask) | the implied best ask: `1 -` the other side's best bid, exact |
/// | [`yes_spread`](Self::yes_spread) | best YES ask − best YES bid |
/// | [`yes_bids`](Self::yes_bids), [`no_bids`](Self::no_bids) | a side's levels, best (highest) first |
/// | [`yes_asks`](Self::yes_asks), [`no_asks`](Self::no_asks) | the implied asks, best (lowest) first |
///
/// ```
/// use kalshi_core::market::Orderbook;
/// // The guide's order (ascending, best last); the reverse order gives the same answers.
/// let book: Orderbook = serde_json::from_str(r#"{
///     "yes_dollars": [["0.4100", "10.00"], ["0.4200", "13.00"]],
///     "no_dollars": [["0.4500", "20.00"], ["0.5600", "17.00"]]
/// }"#)?;
/// let best_bid = book.best_yes_bid().unwrap();
/// let best_ask = book.best_yes_ask().unwrap(); // 1 - the best NO bid
/// assert_eq!((best_bid.price.to_string(), best_bid.count.to_string()), ("0.4200".into(), "13.00".into()));
/// assert_eq!((best_ask.price.to_string(), best_ask.count.to_string()), ("0.4400".into(), "17.00".into()));
/// assert_eq!(book.yes_spread().unwrap().to_string(), "0.0200");
/// assert_eq!(book.yes_bids()[0], best_bid);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Orderbook {
    /// Bids for YES, in the order sent (see the type's docs; [`yes_bids`](Self::yes_bids) sorts
    /// them best first).
    #[serde(deserialize_with = "null_as_empty")]
    pub yes_dollars: Vec<PriceLevel>,
    /// Bids for NO, in the order sent (see the type's docs; [`no_bids`](Self::no_bids) sorts
    /// them best first).
    #[serde(deserialize_with = "null_as_empty")]
    pub no_dollars: Vec<PriceLevel>,
}

/// The highest-priced level of a side, whatever the order it was sent in.
fn best_bid(levels: &[PriceLevel]) -> Option<PriceLevel> {
    levels.iter().copied().max_by_key(|l| l.price)
}

/// A side's levels, highest price first (stable for equal prices).
fn bids_best_first(levels: &[PriceLevel]) -> Vec<PriceLevel> {
    let mut sorted = levels.to_vec();
    sorted.sort_by_key(|l| std::cmp::Reverse(l.price));
    sorted
}

impl Orderbook {
    /// The best (highest) YES bid: what a seller of YES gets at once. `None` if no one bids.
    pub fn best_yes_bid(&self) -> Option<PriceLevel> {
        best_bid(&self.yes_dollars)
    }

    /// The best (highest) NO bid: what a seller of NO gets at once. `None` if no one bids.
    pub fn best_no_bid(&self) -> Option<PriceLevel> {
        best_bid(&self.no_dollars)
    }

    /// The implied best (lowest) YES ask: `1 -` the best NO bid, with its count. `None` if no
    /// one bids for NO.
    pub fn best_yes_ask(&self) -> Option<PriceLevel> {
        self.best_no_bid().map(PriceLevel::opposite)
    }

    /// The implied best (lowest) NO ask: `1 -` the best YES bid, with its count. `None` if no
    /// one bids for YES.
    pub fn best_no_ask(&self) -> Option<PriceLevel> {
        self.best_yes_bid().map(PriceLevel::opposite)
    }

    /// The YES spread: best YES ask − best YES bid (`None` if either side is empty; negative
    /// only if the book is crossed).
    pub fn yes_spread(&self) -> Option<FixedPointDollars> {
        let (bid, ask) = (self.best_yes_bid()?, self.best_yes_ask()?);
        Some(FixedPointDollars::from_micros(
            ask.price.micros() - bid.price.micros(),
        ))
    }

    /// The YES bids, best (highest) first, whatever the order they were sent in.
    pub fn yes_bids(&self) -> Vec<PriceLevel> {
        bids_best_first(&self.yes_dollars)
    }

    /// The NO bids, best (highest) first, whatever the order they were sent in.
    pub fn no_bids(&self) -> Vec<PriceLevel> {
        bids_best_first(&self.no_dollars)
    }

    /// The implied YES asks, best (lowest) first: each NO bid at `p` as a YES ask at `1 - p`.
    pub fn yes_asks(&self) -> Vec<PriceLevel> {
        self.no_bids()
            .into_iter()
            .map(PriceLevel::opposite)
            .collect()
    }

    /// The implied NO asks, best (lowest) first: each YES bid at `p` as a NO ask at `1 - p`.
    pub fn no_asks(&self) -> Vec<PriceLevel> {
        self.yes_bids()
            .into_iter()
            .map(PriceLevel::opposite)
            .collect()
    }
}

/// One market's order book (`MarketOrderbookFp`); [`Orderbook`] finds its best levels.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketOrderbook {
    /// The market.
    pub ticker: String,
    /// Its book.
    pub orderbook_fp: Orderbook,
}

/// Open, high, low and close of the best YES offer in one candlestick period
/// (`BidAskDistribution`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BidAskDistribution {
    /// The offer at the start of the period.
    pub open_dollars: FixedPointDollars,
    /// The lowest offer during the period.
    pub low_dollars: FixedPointDollars,
    /// The highest offer during the period.
    pub high_dollars: FixedPointDollars,
    /// The offer at the end of the period.
    pub close_dollars: FixedPointDollars,
}

/// Traded YES prices in one candlestick period (`PriceDistribution`); each `None` when nothing
/// traded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PriceDistribution {
    /// First traded price.
    #[serde(default)]
    pub open_dollars: Option<FixedPointDollars>,
    /// Lowest traded price.
    #[serde(default)]
    pub low_dollars: Option<FixedPointDollars>,
    /// Highest traded price.
    #[serde(default)]
    pub high_dollars: Option<FixedPointDollars>,
    /// Last traded price.
    #[serde(default)]
    pub close_dollars: Option<FixedPointDollars>,
    /// Mean traded price.
    #[serde(default)]
    pub mean_dollars: Option<FixedPointDollars>,
    /// Last traded price before the period.
    #[serde(default)]
    pub previous_dollars: Option<FixedPointDollars>,
    /// Minimum close price of any market during the period.
    #[serde(default)]
    pub min_dollars: Option<FixedPointDollars>,
    /// Maximum close price of any market during the period.
    #[serde(default)]
    pub max_dollars: Option<FixedPointDollars>,
}

/// One candlestick of a market (`MarketCandlestick`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketCandlestick {
    /// Unix time of the inclusive end of the period.
    pub end_period_ts: i64,
    /// YES buy offers during the period.
    pub yes_bid: BidAskDistribution,
    /// YES sell offers during the period.
    pub yes_ask: BidAskDistribution,
    /// Traded YES prices during the period.
    pub price: PriceDistribution,
    /// Contracts bought during the period.
    pub volume_fp: FixedPointCount,
    /// Contracts held at the end of the period.
    pub open_interest_fp: FixedPointCount,
}

/// An official source used to settle a series' markets (`SettlementSource`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SettlementSource {
    /// The source's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The source's URL.
    #[serde(default)]
    pub url: Option<String>,
}

/// A series: the template of recurring events (`Series`).
///
/// `fee_multiplier` is documented as a JSON number (a multiplier, not a price); it is kept as
/// [`serde_json::Number`], exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Series {
    /// The series ticker.
    pub ticker: String,
    /// How often events recur, in words (`weekly`, `daily`, `one-off`).
    pub frequency: String,
    /// The series title.
    pub title: String,
    /// The category.
    pub category: String,
    /// Subjects the series relates to (`null` reads as empty).
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    /// Official sources for determining outcomes (`null` reads as empty).
    #[serde(deserialize_with = "null_as_empty")]
    pub settlement_sources: Vec<SettlementSource>,
    /// Link to the original contract filing.
    pub contract_url: String,
    /// Link to the current contract terms.
    pub contract_terms_url: String,
    /// Internal product metadata (free-form; asked for with `include_product_metadata`).
    #[serde(default)]
    pub product_metadata: Option<Map<String, Value>>,
    /// The fee structure.
    pub fee_type: FeeType,
    /// Multiplier applied to the fee calculation.
    pub fee_multiplier: Number,
    /// Additional trading prohibitions (`null` reads as empty).
    #[serde(deserialize_with = "null_as_empty")]
    pub additional_prohibitions: Vec<String>,
    /// Contracts traded across all events (asked for with `include_volume`).
    #[serde(default)]
    pub volume_fp: Option<FixedPointCount>,
    /// When the series' metadata was last updated.
    #[serde(default, deserialize_with = "opt_time")]
    pub last_updated_ts: Option<jiff::Timestamp>,
    /// The exchange shard.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}
