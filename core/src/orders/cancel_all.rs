//! `DELETE /portfolio/events/orders` (Cancel All Orders)

use http::{Method, StatusCode};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::response::EmptyResponse;
use crate::{Error, validate};

/// Cancels every resting event-market order of the member, on every exchange shard
/// (`CancelAllOrders`): of all subaccounts, or of one when [`subaccount`](Self::subaccount) is
/// given. Answers `204` with no body.
///
/// The exchange may also cancel orders placed during the minute after the request: do not place
/// new orders right after a cancel-all and expect them to rest.
///
/// Idempotent: a repeat finds nothing left to cancel. Newer than the June 2026 docs; its facts
/// are from Kalshi's official Python SDK 3.34.0.
///
/// ```
/// use kalshi_core::orders::CancelAllOrders;
/// let everything = CancelAllOrders::new();
/// let one = CancelAllOrders::new().subaccount(2);
/// assert_eq!(one.subaccount, Some(2));
/// # let _ = everything;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CancelAllOrders {
    /// Only this subaccount's orders (0 primary, 1–63); omitted cancels in every subaccount.
    pub subaccount: Option<u32>,
}

impl CancelAllOrders {
    /// Cancels every resting order, in every subaccount.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { CancelAllOrders {
    /// Cancels only this subaccount's orders (0 primary, 1–63).
    subaccount: u32,
}}

impl Operation for CancelAllOrders {
    type Output = EmptyResponse;
    const NAME: &'static str = "CancelAllOrders";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("subaccount", self.subaccount);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CancelAllOrders {
    fn full() -> Self {
        CancelAllOrders::new().subaccount(2)
    }
    fn minimal() -> Self {
        CancelAllOrders::new()
    }
}
