//! The event record and the other shapes shared by the events answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::{FeeType, Market, SettlementSource};
use crate::ExchangeIndex;
use crate::enums::string_enum;
use crate::serde_util::{null_as_empty, opt_time};

string_enum! {
    /// An event status, as the [`GetEvents`](super::GetEvents) filter takes it.
    EventStatus {
        /// Not open yet.
        Unopened = "unopened",
        /// Open.
        Open = "open",
        /// Closed.
        Closed = "closed",
        /// Settled.
        Settled = "settled",
    }
}

/// An event (`EventData`): a real-world occurrence with one or more markets.
///
/// `fee_multiplier_override` is documented as a JSON number (`double`) that is neither a price
/// nor a count: it is kept as a [`serde_json::Number`] (integers exact; decimals as the nearest
/// `f64`, written back in their shortest form), since the exchange sends no exact text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// The event ticker.
    pub event_ticker: String,
    /// The series the event belongs to.
    pub series_ticker: String,
    /// Short title.
    pub sub_title: String,
    /// Full title.
    pub title: String,
    /// How collateral is returned at settlement (`binary`, ...).
    pub collateral_return_type: String,
    /// Whether at most one market of the event can resolve YES.
    pub mutually_exclusive: bool,
    /// Deprecated: the series' category is the one to use.
    #[serde(default)]
    pub category: Option<String>,
    /// The date the event is based on, when it uses a date strike.
    #[serde(default, deserialize_with = "opt_time")]
    pub strike_date: Option<jiff::Timestamp>,
    /// The period the event covers (`week`, `month`, ...), when it uses a period strike.
    #[serde(default)]
    pub strike_period: Option<String>,
    /// The event's markets, only with `with_nested_markets=true`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub markets: Vec<Market>,
    /// Deprecated: always false, to be removed.
    #[serde(default)]
    pub available_on_brokers: bool,
    /// Additional metadata (for example `cadence`).
    #[serde(default)]
    pub product_metadata: Option<Map<String, Value>>,
    /// The official sources used to determine the event's markets.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub settlement_sources: Vec<SettlementSource>,
    /// When the event's metadata was last updated.
    #[serde(default, deserialize_with = "opt_time")]
    pub last_updated_ts: Option<jiff::Timestamp>,
    /// The event's fee type, overriding the series' one when present.
    #[serde(default)]
    pub fee_type_override: Option<FeeType>,
    /// The event's fee multiplier, paired with `fee_type_override` (a JSON number).
    #[serde(default)]
    pub fee_multiplier_override: Option<Number>,
    /// The exchange shard of the event.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}

/// A milestone related to events (`Milestone`), listed by [`GetEvents`](super::GetEvents) with
/// `with_milestones=true`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Milestone {
    /// The milestone id.
    pub id: String,
    /// Its category (`Sports`, `Elections`, ...).
    pub category: String,
    /// Its type (`football_game`, `political_race`, ...).
    #[serde(rename = "type")]
    pub milestone_type: String,
    /// When it starts.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub start_date: jiff::Timestamp,
    /// When it ends, if it does.
    #[serde(default, deserialize_with = "opt_time")]
    pub end_date: Option<jiff::Timestamp>,
    /// The related events.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_event_tickers: Vec<String>,
    /// Its title.
    pub title: String,
    /// Its notification message.
    pub notification_message: String,
    /// Its source id, if any.
    #[serde(default)]
    pub source_id: Option<String>,
    /// Its source ids, by source.
    #[serde(default)]
    pub source_ids: Option<BTreeMap<String, String>>,
    /// Additional details.
    #[serde(default)]
    pub details: Map<String, Value>,
    /// The events whose outcome it directly determines.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub primary_event_tickers: Vec<String>,
    /// When it was last updated.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub last_updated_ts: jiff::Timestamp,
}
