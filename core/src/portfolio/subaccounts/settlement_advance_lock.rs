//! `PUT` and `DELETE /portfolio/subaccounts/settlement-advance-lock`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::response::EmptyResponse;
use crate::{Error, ExchangeIndex, validate};

/// The body both lock operations send: a subaccount and an optional shard.
macro_rules! lock_request {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The subaccount (0 primary, 1–63).
            pub subaccount_number: u32,
            /// The exchange shard (the exchange defaults to 0 and currently supports only 0).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub exchange_index: Option<ExchangeIndex>,
        }

        impl $name {
            /// The operation on subaccount `subaccount_number`, shard 0.
            pub fn new(subaccount_number: u32) -> Self {
                $name {
                    subaccount_number,
                    exchange_index: None,
                }
            }

            /// Sets the exchange shard (a shard number; auto-route is refused before signing).
            pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
                self.exchange_index = Some(exchange_index.into());
                self
            }

            fn check(&self) -> Result<(), Error> {
                super::subaccount_number("subaccount_number", self.subaccount_number)?;
                validate::exchange_shard(self.exchange_index)
            }

            fn body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
                serde_json::to_writer(out, self)
                    .map_err(|e| Error::invalid("body", e.to_string()))?;
                Ok(true)
            }
        }

        #[cfg(test)]
        impl crate::spec_drift::SpecExample for $name {
            fn full() -> Self {
                $name::new(2).exchange_index(0)
            }
            fn minimal() -> Self {
                $name::new(0)
            }
        }
    };
}

lock_request!(
    /// Locks a subaccount for settlement advance computation
    /// (`LockSubaccountForSettlementAdvance`): cancels its resting orders, stops trading in it
    /// and returns a new state token. Treated as idempotent (a repeat leaves it locked); a
    /// conflicting state answers `409`.
    LockSubaccountForSettlementAdvance
);

lock_request!(
    /// Unlocks a subaccount (`UnlockSubaccountForSettlementAdvance`). Refused (`409`) while the
    /// subaccount has an outstanding settlement advance. Idempotent: a repeat leaves it
    /// unlocked.
    UnlockSubaccountForSettlementAdvance
);

/// The answer to [`LockSubaccountForSettlementAdvance`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct LockSubaccountForSettlementAdvanceResponse {
    /// The new state token (a UUID) for settlement advance compare-and-swap requests.
    pub settlement_advance_state: String,
}

impl Operation for LockSubaccountForSettlementAdvance {
    type Output = LockSubaccountForSettlementAdvanceResponse;
    const NAME: &'static str = "LockSubaccountForSettlementAdvance";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/settlement-advance-lock");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        self.body(out)
    }
}

impl Operation for UnlockSubaccountForSettlementAdvance {
    type Output = EmptyResponse;
    const NAME: &'static str = "UnlockSubaccountForSettlementAdvance";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/settlement-advance-lock");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        self.body(out)
    }
}
