//! The `order_group_updates` channel's message: `order_group_updates` (the key's order groups).

use serde::{Deserialize, Serialize};

use crate::FixedPointCount;
use crate::enums::string_enum;

string_enum! {
    /// What happened to an order group (`order_group_updates.event_type`).
    OrderGroupEventType {
        /// The group was created.
        Created = "created",
        /// The group's limit was hit: its orders were canceled.
        Triggered = "triggered",
        /// The group was reset after a trigger.
        Reset = "reset",
        /// The group was deleted.
        Deleted = "deleted",
        /// The group's contracts limit changed.
        LimitUpdated = "limit_updated",
    }
}

/// `order_group_updates`: an order group was created, triggered, reset, deleted or had its
/// limit changed. The channel numbers its messages (`seq`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderGroupUpdates {
    /// What happened.
    pub event_type: OrderGroupEventType,
    /// The order group.
    pub order_group_id: String,
    /// The contracts limit, on `created` and `limit_updated`.
    #[serde(default)]
    pub contracts_limit_fp: Option<FixedPointCount>,
    /// When the matching engine processed the change, Unix milliseconds (required by the newest
    /// docs, absent from their example).
    #[serde(default)]
    pub ts_ms: Option<i64>,
}
