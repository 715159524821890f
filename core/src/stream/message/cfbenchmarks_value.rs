//! The `cfbenchmarks_value` channel's message: `cfbenchmarks_value` (CF Benchmarks index
//! values, such as `BRTI`).
//!
//! Documented on Kalshi's "CF Benchmarks Value Feed" page (docs.kalshi.com/websockets/
//! cfbenchmarks-value, newer than the reference snapshot) by field name and meaning only: the
//! upstream frame and the two averages are kept as JSON, exactly as sent. The answer to the
//! `indexlist` action (`cfbenchmarks_value_indexlist`) is not typed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `cfbenchmarks_value`: one tick of a CF Benchmarks index (about one a second per index).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CfbenchmarksValue {
    /// The CF Benchmarks index (`"BRTI"`, `"ETHUSD_RTI"`, ...).
    pub index_id: String,
    /// When Kalshi received the upstream frame, Unix milliseconds.
    #[serde(default)]
    pub received_at: Option<i64>,
    /// The raw CF Benchmarks frame, as sent.
    #[serde(default)]
    pub data: Option<Value>,
    /// The trailing 60-second average's metadata (always sent), as sent.
    #[serde(default)]
    pub avg_60s_data: Option<Value>,
    /// The quarter-hour final-minute average's metadata, only in the last minute before a
    /// quarter-hour close (`:00`, `:15`, `:30`, `:45`), as sent.
    #[serde(default)]
    pub last_60s_windowed_average_15min: Option<Value>,
}
