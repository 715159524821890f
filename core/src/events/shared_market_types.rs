// To be merged with crate::market's types (same schema)
//! Records the events answers share with the market area, under the docs' schema names:
//! [`Market`] (nested in events with `with_nested_markets`), [`MarketCandlestick`] (event
//! candlesticks), [`SettlementSource`] and [`FeeType`] (also in series). The schemas are the
//! same as in the market pages (checked field by field against `core/spec/operations.json`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::enums::string_enum;
use crate::serde_util::{null_as_empty, opt_time};
use crate::{ExchangeIndex, FixedPointCount, FixedPointDollars};

string_enum! {
    /// The kind of market (`market_type`).
    MarketType {
        /// A yes/no market.
        Binary = "binary",
        /// A market settling at a value in a range.
        Scalar = "scalar",
    }
}

string_enum! {
    /// Where a market is in its lifecycle (`status`).
    MarketStatus {
        /// Created, not yet open.
        Initialized = "initialized",
        /// Not trading (paused or not yet active).
        Inactive = "inactive",
        /// Open for trading.
        Active = "active",
        /// Closed to trading, not yet determined.
        Closed = "closed",
        /// The outcome is determined.
        Determined = "determined",
        /// The determination is disputed.
        Disputed = "disputed",
        /// The determination was amended.
        Amended = "amended",
        /// Settled and final.
        Finalized = "finalized",
    }
}

string_enum! {
    /// A market's result (`result`).
    MarketResult {
        /// Settled YES.
        Yes = "yes",
        /// Settled NO.
        No = "no",
        /// A scalar settlement (see `settlement_value_dollars`).
        Scalar = "scalar",
        /// Not determined yet (the empty string).
        Empty = "",
    }
}

string_enum! {
    /// How a market's strike is defined and evaluated (`strike_type`).
    StrikeType {
        /// YES when the value is above `floor_strike`.
        Greater = "greater",
        /// YES when the value is at or above `floor_strike`.
        GreaterOrEqual = "greater_or_equal",
        /// YES when the value is below `cap_strike`.
        Less = "less",
        /// YES when the value is at or below `cap_strike`.
        LessOrEqual = "less_or_equal",
        /// YES when the value is between `floor_strike` and `cap_strike`.
        Between = "between",
        /// Settlement from `functional_strike`.
        Functional = "functional",
        /// Settlement from `custom_strike`.
        Custom = "custom",
        /// A structured strike.
        Structured = "structured",
    }
}

string_enum! {
    /// A fee structure (`FeeType`), of a series or of an event's fee override.
    FeeType {
        /// Quadratic taker fees.
        Quadratic = "quadratic",
        /// Quadratic fees, makers charged too.
        QuadraticWithMakerFees = "quadratic_with_maker_fees",
        /// Quadratic fees, makers of combos charged too.
        QuadraticWithComboMakerFees = "quadratic_with_combo_maker_fees",
        /// A flat fee.
        Flat = "flat",
    }
}

/// An official source used to determine an event's markets (`SettlementSource`).
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

/// One leg chosen in a multivariate (combo) market (`MveSelectedLeg`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MveSelectedLeg {
    /// The leg's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// The leg's market.
    #[serde(default)]
    pub market_ticker: Option<String>,
    /// The side selected (`yes` or `no`).
    #[serde(default)]
    pub side: Option<String>,
    /// The settlement value of the leg's YES side, once determined.
    #[serde(default)]
    pub yes_settlement_value_dollars: Option<FixedPointDollars>,
}

/// A band of valid order prices and its tick (`PriceRange`). The bounds are dollar strings as
/// sent (the docs type them as plain strings, e.g. `"0.0100"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PriceRange {
    /// The lowest price of the band, in dollars.
    pub start: String,
    /// The highest price of the band, in dollars.
    pub end: String,
    /// The tick size in the band, in dollars.
    pub step: String,
}

/// A market (`Market`).
///
/// `floor_strike` and `cap_strike` are documented as JSON numbers (`double`) that are neither
/// prices nor counts: they are kept as [`serde_json::Number`] (integers exact; decimals as the
/// nearest `f64`, written back in their shortest form), since the exchange sends no exact text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Market {
    /// The market ticker.
    pub ticker: String,
    /// The event the market belongs to.
    pub event_ticker: String,
    /// Binary or scalar.
    pub market_type: MarketType,
    /// Deprecated title.
    #[serde(default)]
    pub title: Option<String>,
    /// Deprecated subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Short title of the YES side.
    pub yes_sub_title: String,
    /// Short title of the NO side.
    pub no_sub_title: String,
    /// When the market was created.
    pub created_time: jiff::Timestamp,
    /// The last non-trading metadata update.
    pub updated_time: jiff::Timestamp,
    /// When trading opens.
    pub open_time: jiff::Timestamp,
    /// When trading closes.
    pub close_time: jiff::Timestamp,
    /// When the market is expected to expire.
    #[serde(default, deserialize_with = "opt_time")]
    pub expected_expiration_time: Option<jiff::Timestamp>,
    /// Deprecated expiration time.
    #[serde(default, deserialize_with = "opt_time")]
    pub expiration_time: Option<jiff::Timestamp>,
    /// The latest time the market can expire.
    pub latest_expiration_time: jiff::Timestamp,
    /// Seconds between determination and settlement.
    pub settlement_timer_seconds: i64,
    /// Where the market is in its lifecycle.
    pub status: MarketStatus,
    /// Best YES bid.
    pub yes_bid_dollars: FixedPointDollars,
    /// Contracts bid for YES at the best bid.
    pub yes_bid_size_fp: FixedPointCount,
    /// Best YES ask.
    pub yes_ask_dollars: FixedPointDollars,
    /// Contracts offered at the best YES ask.
    pub yes_ask_size_fp: FixedPointCount,
    /// Best NO bid.
    pub no_bid_dollars: FixedPointDollars,
    /// Best NO ask.
    pub no_ask_dollars: FixedPointDollars,
    /// Last traded YES price.
    pub last_price_dollars: FixedPointDollars,
    /// Contracts traded.
    pub volume_fp: FixedPointCount,
    /// Contracts traded over the last 24 hours.
    pub volume_24h_fp: FixedPointCount,
    /// The result, once determined (empty before).
    pub result: MarketResult,
    /// Whether the market can close before its close time.
    pub can_close_early: bool,
    /// Contracts outstanding (without netting).
    pub open_interest_fp: FixedPointCount,
    /// What one contract pays at settlement.
    pub notional_value_dollars: FixedPointDollars,
    /// Best YES bid a day ago.
    pub previous_yes_bid_dollars: FixedPointDollars,
    /// Best YES ask a day ago.
    pub previous_yes_ask_dollars: FixedPointDollars,
    /// Last traded YES price a day ago.
    pub previous_price_dollars: FixedPointDollars,
    /// Deprecated: always `"0.0000"`.
    #[serde(default)]
    pub liquidity_dollars: Option<FixedPointDollars>,
    /// The YES side's settlement value, after determination.
    #[serde(default)]
    pub settlement_value_dollars: Option<FixedPointDollars>,
    /// When the market settled.
    #[serde(default, deserialize_with = "opt_time")]
    pub settlement_ts: Option<jiff::Timestamp>,
    /// The value considered for settlement.
    pub expiration_value: String,
    /// When the underlying event occurred, if known.
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
    /// The lowest expiration value settling YES (a JSON number, see the type's docs).
    #[serde(default)]
    pub floor_strike: Option<Number>,
    /// The highest expiration value settling YES (a JSON number, see the type's docs).
    #[serde(default)]
    pub cap_strike: Option<Number>,
    /// Mapping from expiration values to settlement values.
    #[serde(default)]
    pub functional_strike: Option<String>,
    /// The expiration value per target that settles YES.
    #[serde(default)]
    pub custom_strike: Option<Map<String, Value>>,
    /// The main market terms, in plain language.
    pub rules_primary: String,
    /// The secondary market terms, in plain language.
    pub rules_secondary: String,
    /// The multivariate event collection, for combo markets.
    #[serde(default)]
    pub mve_collection_ticker: Option<String>,
    /// The legs of a combo market.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub mve_selected_legs: Vec<MveSelectedLeg>,
    /// The primary participant's key.
    #[serde(default)]
    pub primary_participant_key: Option<String>,
    /// The price level structure (price bands and ticks).
    pub price_level_structure: String,
    /// The valid price bands for orders.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub price_ranges: Vec<PriceRange>,
    /// Whether the market may be removed after determination if unused.
    #[serde(default)]
    pub is_provisional: Option<bool>,
    /// The exchange shard the market lives on.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}

/// Open, high, low and close of the best YES bid or ask over a period (`BidAskDistribution`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BidAskDistribution {
    /// At the start of the period.
    pub open_dollars: FixedPointDollars,
    /// The lowest in the period.
    pub low_dollars: FixedPointDollars,
    /// The highest in the period.
    pub high_dollars: FixedPointDollars,
    /// At the end of the period.
    pub close_dollars: FixedPointDollars,
}

/// Traded YES prices over a period (`PriceDistribution`); `None` when nothing traded.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PriceDistribution {
    /// The first trade's price.
    #[serde(default)]
    pub open_dollars: Option<FixedPointDollars>,
    /// The lowest trade price.
    #[serde(default)]
    pub low_dollars: Option<FixedPointDollars>,
    /// The highest trade price.
    #[serde(default)]
    pub high_dollars: Option<FixedPointDollars>,
    /// The last trade's price.
    #[serde(default)]
    pub close_dollars: Option<FixedPointDollars>,
    /// The mean trade price.
    #[serde(default)]
    pub mean_dollars: Option<FixedPointDollars>,
    /// The last trade's price before the period.
    #[serde(default)]
    pub previous_dollars: Option<FixedPointDollars>,
    /// The minimum close price of any market in the period.
    #[serde(default)]
    pub min_dollars: Option<FixedPointDollars>,
    /// The maximum close price of any market in the period.
    #[serde(default)]
    pub max_dollars: Option<FixedPointDollars>,
}

/// One candlestick of a market (`MarketCandlestick`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketCandlestick {
    /// Unix time (seconds) of the inclusive end of the period.
    pub end_period_ts: i64,
    /// The best YES bid over the period.
    pub yes_bid: BidAskDistribution,
    /// The best YES ask over the period.
    pub yes_ask: BidAskDistribution,
    /// Traded YES prices over the period.
    pub price: PriceDistribution,
    /// Contracts traded in the period.
    pub volume_fp: FixedPointCount,
    /// Contracts outstanding at the end of the period.
    pub open_interest_fp: FixedPointCount,
}
