//! Shapes shared by the order-group responses.

use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::FixedPointCount;

/// One order group, as listed by [`GetOrderGroups`](super::GetOrderGroups).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderGroup {
    /// The order group id.
    pub id: String,
    /// The current limit over a rolling 15-second window.
    #[serde(default)]
    pub contracts_limit_fp: Option<FixedPointCount>,
    /// Whether auto-cancel is enabled for this group.
    pub is_auto_cancel_enabled: bool,
    /// The exchange shard the group lives on.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}
