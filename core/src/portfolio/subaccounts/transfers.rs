//! `POST /portfolio/subaccounts/transfer` and `GET /portfolio/subaccounts/transfers`: cash
//! transfers between the caller's subaccounts.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::response::EmptyResponse;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, ExchangeIndex, validate};

/// Moves cash between two of the caller's subaccounts (`ApplySubaccountTransfer`).
///
/// Subaccounts are 0 (primary) or 1–63 and must differ; `amount_cents` must be positive. Every
/// transfer carries a `client_transfer_id` (a UUID); [`ApplySubaccountTransfer::new`] generates
/// one. The exchange applies one transfer per id: a repeat with the same id answers `409`
/// instead of moving the cash twice, so a transfer whose outcome is unknown can be sent again
/// as it is, and a `409` then means it was applied.
///
/// ```
/// use kalshi_core::portfolio::ApplySubaccountTransfer;
/// let op = ApplySubaccountTransfer::new(0, 2, 5_000); // $50.00 from the primary account
/// assert_eq!(op.client_transfer_id.len(), 36);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApplySubaccountTransfer {
    /// The idempotency key: a UUID chosen by the caller, unique per transfer.
    pub client_transfer_id: String,
    /// The subaccount the cash leaves (0 primary, 1–63).
    pub from_subaccount: u32,
    /// The subaccount the cash goes to (0 primary, 1–63).
    pub to_subaccount: u32,
    /// The amount in cents, positive.
    pub amount_cents: i64,
    /// The exchange shard (the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
}

impl ApplySubaccountTransfer {
    /// Moves `amount_cents` from `from_subaccount` to `to_subaccount`, with a fresh
    /// `client_transfer_id`.
    pub fn new(from_subaccount: u32, to_subaccount: u32, amount_cents: i64) -> Self {
        ApplySubaccountTransfer {
            client_transfer_id: super::new_client_transfer_id(),
            from_subaccount,
            to_subaccount,
            amount_cents,
            exchange_index: None,
        }
    }

    /// Uses this idempotency key instead of the generated one (a UUID; to repeat a transfer
    /// whose outcome is unknown, send it again with the same key).
    pub fn client_transfer_id(mut self, id: impl Into<String>) -> Self {
        self.client_transfer_id = id.into();
        self
    }

    /// Sets the exchange shard (a shard number; auto-route is refused before signing).
    pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(exchange_index.into());
        self
    }
}

impl Operation for ApplySubaccountTransfer {
    type Output = EmptyResponse;
    const NAME: &'static str = "ApplySubaccountTransfer";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::IdempotentWithKey;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        super::uuid("client_transfer_id", &self.client_transfer_id)?;
        super::subaccount_number("from_subaccount", self.from_subaccount)?;
        super::subaccount_number("to_subaccount", self.to_subaccount)?;
        if self.from_subaccount == self.to_subaccount {
            return Err(Error::invalid(
                "to_subaccount",
                format!("{} is also the source subaccount", self.to_subaccount),
            ));
        }
        if self.amount_cents <= 0 {
            return Err(Error::invalid(
                "amount_cents",
                format!("{} is not a positive amount", self.amount_cents),
            ));
        }
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/transfer");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// One cash transfer between subaccounts (`SubaccountTransfer`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubaccountTransfer {
    /// The transfer's id.
    pub transfer_id: String,
    /// The subaccount the cash left (0 primary, 1–63).
    pub from_subaccount: u32,
    /// The subaccount the cash went to (0 primary, 1–63).
    pub to_subaccount: u32,
    /// The amount in cents.
    pub amount_cents: i64,
    /// Unix time (seconds) it was created.
    pub created_ts: i64,
    /// The exchange shard it was applied on.
    pub exchange_index: ExchangeIndex,
}

/// The cash transfers between the caller's subaccounts, a page at a time
/// (`GetSubaccountTransfers`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSubaccountTransfers {
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetSubaccountTransfers {
    /// The first page.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::pagination::cursor_list!(
    GetSubaccountTransfers => GetSubaccountTransfersResponse.transfers: SubaccountTransfer
);

/// One page of [`GetSubaccountTransfers`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSubaccountTransfersResponse {
    /// The transfers on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub transfers: Vec<SubaccountTransfer>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetSubaccountTransfers {
    type Output = GetSubaccountTransfersResponse;
    const NAME: &'static str = "GetSubaccountTransfers";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/transfers");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for ApplySubaccountTransfer {
    fn full() -> Self {
        ApplySubaccountTransfer::new(0, 2, 5_000)
            .client_transfer_id("8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1")
            .exchange_index(0)
    }
    fn minimal() -> Self {
        ApplySubaccountTransfer::new(1, 0, 1)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSubaccountTransfers {
    fn full() -> Self {
        GetSubaccountTransfers::new().limit(1000).cursor("c1")
    }
    fn minimal() -> Self {
        GetSubaccountTransfers::new()
    }
}
