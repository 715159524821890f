//! `GET`/`DELETE /communications/rfqs/{rfq_id}/quotes/{quote_id}`,
//! `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/accept`,
//! `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm`
//!
//! The RFQ-scoped quote operations: the quote must belong to the RFQ named in the path,
//! otherwise the exchange answers `404`. They replace the deprecated quote-ID-only ones, and the
//! exchange expects to require the RFQ id for quote actions in the future.

use http::{Method, StatusCode};
use serde::Serialize;

use super::GetQuoteResponse;
use super::types::known_side;
use crate::Error;
use crate::enums::OutcomeSide;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};
use crate::response::EmptyResponse;

/// Checks both path parameters.
fn ids(rfq_id: &str, quote_id: &str) -> Result<(), Error> {
    validate_id("rfq_id", rfq_id)?;
    validate_id("quote_id", quote_id)
}

/// Writes `/communications/rfqs/{rfq_id}/quotes/{quote_id}`.
fn quote_path(path: &mut PathWriter<'_>, rfq_id: &str, quote_id: &str) {
    path.literal("/communications/rfqs/")
        .segment(rfq_id)
        .literal("/quotes/")
        .segment(quote_id);
}

/// Gets one quote of an RFQ (`GetRFQQuote`). Open and cancelled quotes are answered on a
/// best-effort basis only (see [`Quote`](super::Quote)): a `404` for an open quote means it is
/// no longer actionable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetRFQQuote {
    /// The RFQ's id (percent-encoded into the path).
    pub rfq_id: String,
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl GetRFQQuote {
    /// The quote `quote_id` of RFQ `rfq_id`.
    pub fn new(rfq_id: impl Into<String>, quote_id: impl Into<String>) -> Self {
        GetRFQQuote {
            rfq_id: rfq_id.into(),
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for GetRFQQuote {
    type Output = GetQuoteResponse;
    const NAME: &'static str = "GetRFQQuote";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        ids(&self.rfq_id, &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        quote_path(path, &self.rfq_id, &self.quote_id);
    }
}

/// Deletes the caller's quote on an RFQ (`DeleteRFQQuote`): it can no longer be accepted.
/// Answers `204` with no body.
///
/// Idempotent: a repeat finds the quote already cancelled (the exchange may then answer `404`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteRFQQuote {
    /// The RFQ's id (percent-encoded into the path).
    pub rfq_id: String,
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl DeleteRFQQuote {
    /// Deletes the quote `quote_id` of RFQ `rfq_id`.
    pub fn new(rfq_id: impl Into<String>, quote_id: impl Into<String>) -> Self {
        DeleteRFQQuote {
            rfq_id: rfq_id.into(),
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for DeleteRFQQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "DeleteRFQQuote";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        ids(&self.rfq_id, &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        quote_path(path, &self.rfq_id, &self.quote_id);
    }
}

/// Accepts one side of a quote on the caller's RFQ (`AcceptRFQQuote`): step one of the
/// two-step lock. The quoter then has the confirmation window (30 s; 3 s on high-volatility
/// markets, every combo market among them) to confirm with [`ConfirmRFQQuote`]. Answers `204`
/// with no body.
///
/// Idempotent in effect: a quote is accepted at most once and executes at most once, so a
/// repeat cannot trade twice; a repeat after a lost answer may be refused because the quote has
/// moved on (`accepted` or later): look it up with [`GetRFQQuote`] to learn its status.
///
/// ```
/// use kalshi_core::communications::AcceptRFQQuote;
/// use kalshi_core::enums::OutcomeSide;
/// let accept = AcceptRFQQuote::new("rfq-1", "quote-9", OutcomeSide::Yes);
/// assert_eq!(accept.accepted_side, OutcomeSide::Yes);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AcceptRFQQuote {
    /// The RFQ's id (percent-encoded into the path).
    #[serde(skip)]
    pub rfq_id: String,
    /// The quote's id (percent-encoded into the path).
    #[serde(skip)]
    pub quote_id: String,
    /// The side of the quote to accept (`yes` or `no`).
    pub accepted_side: OutcomeSide,
}

impl AcceptRFQQuote {
    /// Accepts `accepted_side` of the quote `quote_id` of RFQ `rfq_id`.
    pub fn new(
        rfq_id: impl Into<String>,
        quote_id: impl Into<String>,
        accepted_side: OutcomeSide,
    ) -> Self {
        AcceptRFQQuote {
            rfq_id: rfq_id.into(),
            quote_id: quote_id.into(),
            accepted_side,
        }
    }
}

impl Operation for AcceptRFQQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "AcceptRFQQuote";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        ids(&self.rfq_id, &self.quote_id)?;
        known_side("accepted_side", &self.accepted_side)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        quote_path(path, &self.rfq_id, &self.quote_id);
        path.literal("/accept");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Confirms the caller's accepted quote (`ConfirmRFQQuote`): step two of the two-step lock,
/// by the quoter, within the confirmation window. It starts the execution timer (15 s; 1 s on
/// high-volatility markets), after which both orders are placed on the book; neither party can
/// withdraw any more. Fills then appear in `GetFills`, matched by the quote's
/// `creator_order_id` (quoter) and `rfq_creator_order_id` (requester). Sends no body; answers
/// `204` with no body.
///
/// Idempotent in effect: a quote executes at most once, so a repeat cannot trade twice; a
/// repeat after a lost answer may be refused because the quote is already confirmed (look it up
/// with [`GetRFQQuote`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmRFQQuote {
    /// The RFQ's id (percent-encoded into the path).
    pub rfq_id: String,
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl ConfirmRFQQuote {
    /// Confirms the quote `quote_id` of RFQ `rfq_id`.
    pub fn new(rfq_id: impl Into<String>, quote_id: impl Into<String>) -> Self {
        ConfirmRFQQuote {
            rfq_id: rfq_id.into(),
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for ConfirmRFQQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "ConfirmRFQQuote";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        ids(&self.rfq_id, &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        quote_path(path, &self.rfq_id, &self.quote_id);
        path.literal("/confirm");
    }
}

#[cfg(test)]
const RFQ_ID: &str = "1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45";
#[cfg(test)]
const QUOTE_ID: &str = "7d3e2f1a-9b8c-4d5e-a6f7-0e1d2c3b4a59";

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetRFQQuote {
    fn full() -> Self {
        GetRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
    fn minimal() -> Self {
        GetRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for DeleteRFQQuote {
    fn full() -> Self {
        DeleteRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
    fn minimal() -> Self {
        DeleteRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for AcceptRFQQuote {
    fn full() -> Self {
        AcceptRFQQuote::new(RFQ_ID, QUOTE_ID, OutcomeSide::Yes)
    }
    fn minimal() -> Self {
        AcceptRFQQuote::new(RFQ_ID, QUOTE_ID, OutcomeSide::No)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for ConfirmRFQQuote {
    fn full() -> Self {
        ConfirmRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
    fn minimal() -> Self {
        ConfirmRFQQuote::new(RFQ_ID, QUOTE_ID)
    }
}
