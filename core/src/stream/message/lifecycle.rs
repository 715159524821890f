//! The lifecycle channels' messages (`market_lifecycle_v2` and
//! `multivariate_market_lifecycle`): `market_lifecycle_v2`, `multivariate_market_lifecycle`
//! and `event_lifecycle`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::enums::string_enum;
use crate::market::{MarketResult, PriceRange, StrikeType};
use crate::serde_util::null_as_empty;
use crate::{ExchangeIndex, FixedPointDollars};

string_enum! {
    /// What happened to a market (`event_type` of a market lifecycle message).
    MarketLifecycleEventType {
        /// The market was created.
        Created = "created",
        /// Trading was resumed (resting orders are canceled on reactivation).
        Activated = "activated",
        /// Trading was paused.
        Deactivated = "deactivated",
        /// The close time changed.
        CloseDateUpdated = "close_date_updated",
        /// The result was set.
        Determined = "determined",
        /// Positions were paid out.
        Settled = "settled",
        /// Metadata changed (strikes, YES subtitle), given as top-level fields.
        MetadataUpdated = "metadata_updated",
        /// The price level structure (tick sizes) changed; `price_ranges` gives the new grid.
        PriceLevelStructureUpdated = "price_level_structure_updated",
    }
}

string_enum! {
    /// An event's collateral return scheme (`collateral_return_type`).
    CollateralReturnType {
        /// MECNET.
        Mecnet = "MECNET",
        /// DIRECNET.
        Direcnet = "DIRECNET",
        /// No collateral return scheme (the empty string).
        NoScheme = "",
    }
}

/// A market lifecycle message, the payload of both `market_lifecycle_v2` (all markets except
/// multivariate ones) and `multivariate_market_lifecycle` (multivariate `KXMVE*` markets only).
///
/// Which fields are present depends on `event_type`: `open_ts` on `created`; `close_ts` on
/// `created` and `close_date_updated`; `result`, `determination_ts` and `settlement_value` on
/// `determined`; `settled_ts` on `settled`; `is_deactivated` on pause/unpause;
/// `additional_metadata` on `created`; `price_level_structure` and `price_ranges` on `created`
/// and `price_level_structure_updated`; the strikes and `yes_sub_title` on `metadata_updated`;
/// `exchange_index` on `created`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketLifecycleV2 {
    /// What happened.
    pub event_type: MarketLifecycleEventType,
    /// The market.
    pub market_ticker: String,
    /// The exchange shard the market lives on.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
    /// When the market opens, Unix seconds.
    #[serde(default)]
    pub open_ts: Option<i64>,
    /// When the market is scheduled to close, Unix seconds.
    #[serde(default)]
    pub close_ts: Option<i64>,
    /// The market's result.
    #[serde(default)]
    pub result: Option<MarketResult>,
    /// When the market was determined, Unix seconds.
    #[serde(default)]
    pub determination_ts: Option<i64>,
    /// The settlement value, in dollars (`"0.5000"`).
    #[serde(default)]
    pub settlement_value: Option<FixedPointDollars>,
    /// When the market was settled, Unix seconds.
    #[serde(default)]
    pub settled_ts: Option<i64>,
    /// True when trading on an open market is paused.
    #[serde(default)]
    pub is_deactivated: Option<bool>,
    /// The market's price level structure (`"linear_cent"`, `"deci_cent"`, ...).
    #[serde(default)]
    pub price_level_structure: Option<String>,
    /// The market's valid price bands (with `price_level_structure`; empty when absent).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub price_ranges: Vec<PriceRange>,
    /// Deprecated: fractional trading is always enabled now.
    #[serde(default)]
    pub fractional_trading_enabled: Option<bool>,
    /// The new YES subtitle (`metadata_updated`).
    #[serde(default)]
    pub yes_sub_title: Option<String>,
    /// How the strike is defined (`metadata_updated`).
    #[serde(default)]
    pub strike_type: Option<StrikeType>,
    /// The floor strike (`metadata_updated`; a JSON number, kept exactly as sent).
    #[serde(default)]
    pub floor_strike: Option<Number>,
    /// The cap strike (`metadata_updated`; a JSON number, kept exactly as sent).
    #[serde(default)]
    pub cap_strike: Option<Number>,
    /// The custom strike, for custom and structured markets (`metadata_updated`; free-form).
    #[serde(default)]
    pub custom_strike: Option<Map<String, Value>>,
    /// The market's terms, on `created`.
    #[serde(default)]
    pub additional_metadata: Option<MarketLifecycleMetadata>,
}

/// The `additional_metadata` of a `created` market lifecycle message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketLifecycleMetadata {
    /// The market's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The market's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Shortened title for the YES side.
    #[serde(default)]
    pub yes_sub_title: Option<String>,
    /// Shortened title for the NO side.
    #[serde(default)]
    pub no_sub_title: Option<String>,
    /// The main rules.
    #[serde(default)]
    pub rules_primary: Option<String>,
    /// The secondary rules.
    #[serde(default)]
    pub rules_secondary: Option<String>,
    /// True if the market may close before its scheduled close time.
    #[serde(default)]
    pub can_close_early: Option<bool>,
    /// The market's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// When the outcome is expected to be known, Unix seconds.
    #[serde(default)]
    pub expected_expiration_ts: Option<i64>,
    /// How the strike is defined.
    #[serde(default)]
    pub strike_type: Option<StrikeType>,
    /// The floor strike (a JSON number, kept exactly as sent).
    #[serde(default)]
    pub floor_strike: Option<Number>,
    /// The cap strike (a JSON number, kept exactly as sent).
    #[serde(default)]
    pub cap_strike: Option<Number>,
    /// The custom strike (free-form).
    #[serde(default)]
    pub custom_strike: Option<Map<String, Value>>,
}

/// `event_lifecycle`: an event was created (on both lifecycle channels).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventLifecycle {
    /// The new event.
    pub event_ticker: String,
    /// The event's title.
    pub title: String,
    /// The event's subtitle.
    pub subtitle: String,
    /// The event's collateral return scheme (empty for none).
    pub collateral_return_type: CollateralReturnType,
    /// The event's series.
    pub series_ticker: String,
    /// The event's strike date, Unix seconds, if it has one.
    #[serde(default)]
    pub strike_date: Option<i64>,
    /// The event's strike period, if it has one.
    #[serde(default)]
    pub strike_period: Option<String>,
    /// The exchange shard of the event's markets.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}
