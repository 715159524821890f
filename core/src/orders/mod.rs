//! Orders: V2 writes under `/portfolio/events/orders`, reads under `/portfolio/orders`.
//!
//! Since mid-2026 the exchange refuses writes to the legacy `/portfolio/orders` endpoints with
//! the code `deprecated_v1_order_endpoint` ([`crate::Error::DeprecatedEndpoint`]); this crate
//! only writes through V2. Reads on `/portfolio/orders` are still served.
//!
//! | operation | request |
//! |---|---|
//! | [`CreateOrder`] | `POST /portfolio/events/orders` |
//! | [`CancelOrder`] | `DELETE /portfolio/events/orders/{order_id}` |
//! | [`AmendOrder`] | `POST /portfolio/events/orders/{order_id}/amend` |
//! | [`DecreaseOrder`] | `POST /portfolio/events/orders/{order_id}/decrease` |
//! | [`BatchCreateOrders`] | `POST /portfolio/events/orders/batched` |
//! | [`BatchCancelOrders`] | `DELETE /portfolio/events/orders/batched` |
//! | [`CancelAllOrders`] | `DELETE /portfolio/events/orders` |
//! | [`GetOrder`] | `GET /portfolio/orders/{order_id}` |
//! | [`GetOrders`] | `GET /portfolio/orders` |
//! | [`GetOrderQueuePosition`] | `GET /portfolio/orders/{order_id}/queue_position` |
//! | [`GetOrderQueuePositions`] | `GET /portfolio/orders/queue_positions` |

mod amend;
mod batch;
mod cancel;
mod cancel_all;
mod client_order_id;
mod create;
mod decrease;
mod get;
mod list;
mod place;
mod queue;
mod types;

pub use amend::{AmendOrder, AmendOrderResponse};
pub use batch::{
    BatchCancelOrder, BatchCancelOrderResult, BatchCancelOrders, BatchCancelOrdersResponse,
    BatchCreateOrderResult, BatchCreateOrders, BatchCreateOrdersResponse,
};
pub use cancel::{CancelOrder, CancelOrderResponse};
pub use cancel_all::CancelAllOrders;
pub use client_order_id::new_client_order_id;
pub use create::{CreateOrder, CreateOrderResponse};
pub use decrease::{DecreaseOrder, DecreaseOrderResponse};
pub use get::{GetOrder, GetOrderResponse};
pub use list::{GetOrders, GetOrdersResponse};
pub use place::{PlaceOrder, Placed};
pub use queue::{
    GetOrderQueuePosition, GetOrderQueuePositionResponse, GetOrderQueuePositions,
    GetOrderQueuePositionsResponse, OrderQueuePosition,
};
pub use types::Order;

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        CreateOrder,
        BatchCreateOrders,
        BatchCancelOrders,
        CancelOrder,
        CancelAllOrders,
        AmendOrder,
        DecreaseOrder,
        GetOrders,
        GetOrder,
        GetOrderQueuePositions,
        GetOrderQueuePosition,
    ]
}
