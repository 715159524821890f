//! Delete, reset and trigger: `{order_group_id}` plus the optional `subaccount` and
//! `exchange_index` query parameters, and an empty answer.

use http::{Method, StatusCode};

use crate::Error;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::response::EmptyResponse;

macro_rules! group_action {
    ($(#[$doc:meta])* $name:ident, $method:ident, $suffix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $name {
            /// The order group id (percent-encoded into the path).
            pub order_group_id: String,
            /// The subaccount that owns the group (0 primary, 1–63); the exchange defaults to 0.
            pub subaccount: Option<u32>,
            /// The exchange shard; the exchange defaults to 0.
            pub exchange_index: Option<ExchangeIndex>,
        }

        impl $name {
            /// The operation on the group with this id.
            pub fn new(order_group_id: impl Into<String>) -> Self {
                $name {
                    order_group_id: order_group_id.into(),
                    subaccount: None,
                    exchange_index: None,
                }
            }

            /// Sets the owning subaccount (0 primary, 1–63).
            pub fn subaccount(mut self, subaccount: u32) -> Self {
                self.subaccount = Some(subaccount);
                self
            }

            /// Sets the exchange shard.
            pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
                self.exchange_index = Some(exchange_index.into());
                self
            }
        }

        impl Operation for $name {
            type Output = EmptyResponse;
            const NAME: &'static str = stringify!($name);
            const METHOD: Method = Method::$method;
            const SUCCESS: StatusCode = StatusCode::OK;
            const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
            const EMPTY_BODY_OK: bool = true;

            fn validate(&self) -> Result<(), Error> {
                validate_id("order_group_id", &self.order_group_id)?;
                crate::validate::subaccount(self.subaccount)?;
                crate::validate::exchange_shard(self.exchange_index)
            }

            fn write_path(&self, path: &mut PathWriter<'_>) {
                path.literal("/portfolio/order_groups/")
                    .segment(&self.order_group_id)
                    .literal($suffix);
            }

            fn write_query(&self, query: &mut QueryWriter<'_>) {
                query
                    .opt("subaccount", self.subaccount)
                    .opt("exchange_index", self.exchange_index);
            }
        }

        #[cfg(test)]
        impl crate::spec_drift::SpecExample for $name {
            fn full() -> Self {
                $name::new("og-1").subaccount(2).exchange_index(0)
            }
            fn minimal() -> Self {
                $name::new("og-1")
            }
        }
    };
}

group_action!(
    /// Deletes an order group and cancels every order in it (`DeleteOrderGroup`).
    ///
    /// Idempotent in effect: a repeat after success answers 404.
    DeleteOrderGroup,
    DELETE,
    ""
);

group_action!(
    /// Resets an order group: clears the triggered state and the rolling volume, so orders can
    /// be placed again (`ResetOrderGroup`).
    ResetOrderGroup,
    PUT,
    "/reset"
);

group_action!(
    /// Triggers an order group: cancels every order in it and rejects new ones until it is
    /// reset (`TriggerOrderGroup`).
    TriggerOrderGroup,
    PUT,
    "/trigger"
);
