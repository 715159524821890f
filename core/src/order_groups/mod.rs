//! Order groups: a rolling 15-second contracts limit over a set of orders.
//!
//! When the matched contracts in a group exceed its limit within 15 seconds, the exchange cancels
//! every resting order in the group and rejects new ones until the group is reset. The seven
//! operations are one type each:
//!
//! | operation | request |
//! |---|---|
//! | [`CreateOrderGroup`] | `POST /portfolio/order_groups/create` |
//! | [`GetOrderGroups`] | `GET /portfolio/order_groups` |
//! | [`GetOrderGroup`] | `GET /portfolio/order_groups/{order_group_id}` |
//! | [`DeleteOrderGroup`] | `DELETE /portfolio/order_groups/{order_group_id}` |
//! | [`ResetOrderGroup`] | `PUT /portfolio/order_groups/{order_group_id}/reset` |
//! | [`TriggerOrderGroup`] | `PUT /portfolio/order_groups/{order_group_id}/trigger` |
//! | [`UpdateOrderGroupLimit`] | `PUT /portfolio/order_groups/{order_group_id}/limit` |

mod create;
mod get;
mod list;
mod manage;
mod types;
mod update_limit;
mod validate;

pub use create::{CreateOrderGroup, CreateOrderGroupResponse};
pub use get::{GetOrderGroup, GetOrderGroupResponse};
pub use list::{GetOrderGroups, GetOrderGroupsResponse};
pub use manage::{DeleteOrderGroup, ResetOrderGroup, TriggerOrderGroup};
pub use types::OrderGroup;
pub use update_limit::UpdateOrderGroupLimit;

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        CreateOrderGroup,
        GetOrderGroups,
        GetOrderGroup,
        DeleteOrderGroup,
        ResetOrderGroup,
        TriggerOrderGroup,
        UpdateOrderGroupLimit,
    ]
}
