//! Transfers between exchange instances of the same account (event contracts and margined):
//! `POST /portfolio/intra_exchange_instance_transfer`, `GET
//! /portfolio/intra_exchange_instance_transfers` and `GET
//! /portfolio/intra_exchange_instance_transfers/{transfer_id}`.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, ExchangeIndex, FixedPointDollars, validate};

/// The highest exchange shard a transfer may name.
const MAX_TRANSFER_SHARD: u32 = 100;

pub use crate::enums::ExchangeInstance;

string_enum! {
    /// Where a transfer between instances stands (`IntraExchangeInstanceTransferStatus`).
    IntraExchangeInstanceTransferStatus {
        /// Accepted, not processed yet.
        Pending = "pending",
        /// Done.
        Complete = "complete",
    }
}

/// Moves funds between exchange instances or shards of the same account
/// (`IntraExchangeInstanceTransfer`). The exchange accepts it and processes it asynchronously:
/// look it up with [`GetIntraExchangeInstanceTransfer`].
///
/// `amount` is in centicents (1/10,000 of a dollar) and must be positive. Source and
/// destination subaccounts (0 primary, 1–63) other than 0 are only supported between two event
/// contract instances. A transfer whose source and destination are the same (instance, shard and
/// subaccount) is refused before signing.
///
/// Not idempotent: the request carries no idempotency key, so it is never repeated
/// automatically. Transfers across shards between subaccounts run in up to three non-atomic
/// steps; if a later step fails, the earlier ones are not undone.
///
/// ```
/// use kalshi_core::portfolio::{ExchangeInstance, IntraExchangeInstanceTransfer};
/// let op = IntraExchangeInstanceTransfer::new(
///     ExchangeInstance::EventContract,
///     ExchangeInstance::Margined,
///     250_000, // $25.00 in centicents
/// );
/// assert_eq!(op.amount, 250_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IntraExchangeInstanceTransfer {
    /// The instance the funds leave.
    pub source: ExchangeInstance,
    /// The instance the funds go to.
    pub destination: ExchangeInstance,
    /// The amount in centicents (1/10,000 of a dollar), positive.
    pub amount: i64,
    /// The source shard, 0..=100 (the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_exchange_shard: Option<u32>,
    /// The destination shard, 0..=100 (the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_exchange_shard: Option<u32>,
    /// The source subaccount (0 primary, 1–63; the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_subaccount: Option<u32>,
    /// The destination subaccount (0 primary, 1–63; the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_subaccount: Option<u32>,
}

impl IntraExchangeInstanceTransfer {
    /// Moves `amount` centicents from `source` to `destination` (shard 0, primary account on
    /// both sides unless set).
    pub fn new(source: ExchangeInstance, destination: ExchangeInstance, amount: i64) -> Self {
        IntraExchangeInstanceTransfer {
            source,
            destination,
            amount,
            source_exchange_shard: None,
            destination_exchange_shard: None,
            source_subaccount: None,
            destination_subaccount: None,
        }
    }
}

crate::operation::opt_setters! { IntraExchangeInstanceTransfer {
    /// The source shard, 0..=100.
    source_exchange_shard: u32,
    /// The destination shard, 0..=100.
    destination_exchange_shard: u32,
    /// The source subaccount (0 primary, 1–63; event contract to event contract only).
    source_subaccount: u32,
    /// The destination subaccount (0 primary, 1–63; event contract to event contract only).
    destination_subaccount: u32,
}}

fn instance(field: &'static str, i: &ExchangeInstance) -> Result<(), Error> {
    match i {
        ExchangeInstance::Unknown(s) => Err(Error::invalid(
            field,
            format!("`{s}` is not event_contract or margined"),
        )),
        _ => Ok(()),
    }
}

fn transfer_shard(field: &'static str, shard: Option<u32>) -> Result<(), Error> {
    match shard {
        Some(s) if s > MAX_TRANSFER_SHARD => Err(Error::invalid(
            field,
            format!("{s} is outside 0..={MAX_TRANSFER_SHARD}"),
        )),
        _ => Ok(()),
    }
}

fn transfer_subaccount(field: &'static str, sub: Option<u32>) -> Result<(), Error> {
    match sub {
        Some(s) if s > validate::MAX_SUBACCOUNT => Err(Error::invalid(
            field,
            format!("{s} is outside 0..=63 (0 is the primary account)"),
        )),
        _ => Ok(()),
    }
}

impl IntraExchangeInstanceTransfer {
    fn check(&self) -> Result<(), Error> {
        instance("source", &self.source)?;
        instance("destination", &self.destination)?;
        if self.amount <= 0 {
            return Err(Error::invalid(
                "amount",
                format!("{} is not a positive amount of centicents", self.amount),
            ));
        }
        transfer_shard("source_exchange_shard", self.source_exchange_shard)?;
        transfer_shard(
            "destination_exchange_shard",
            self.destination_exchange_shard,
        )?;
        transfer_subaccount("source_subaccount", self.source_subaccount)?;
        transfer_subaccount("destination_subaccount", self.destination_subaccount)?;
        let both_event_contract = self.source == ExchangeInstance::EventContract
            && self.destination == ExchangeInstance::EventContract;
        if !both_event_contract {
            for (field, sub) in [
                ("source_subaccount", self.source_subaccount),
                ("destination_subaccount", self.destination_subaccount),
            ] {
                if sub.is_some_and(|s| s != 0) {
                    return Err(Error::invalid(
                        field,
                        "subaccounts are only supported between two event_contract instances",
                    ));
                }
            }
        }
        let from = (
            &self.source,
            self.source_exchange_shard.unwrap_or(0),
            self.source_subaccount.unwrap_or(0),
        );
        let to = (
            &self.destination,
            self.destination_exchange_shard.unwrap_or(0),
            self.destination_subaccount.unwrap_or(0),
        );
        if from == to {
            return Err(Error::invalid(
                "destination",
                "the destination is the source (same instance, shard and subaccount)",
            ));
        }
        Ok(())
    }
}

/// The answer to [`IntraExchangeInstanceTransfer`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IntraExchangeInstanceTransferResponse {
    /// The new transfer's id.
    pub transfer_id: String,
}

impl Operation for IntraExchangeInstanceTransfer {
    type Output = IntraExchangeInstanceTransferResponse;
    const NAME: &'static str = "IntraExchangeInstanceTransfer";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        self.check()
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/intra_exchange_instance_transfer");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// A transfer between exchange instances as the exchange reports it (the API's
/// `IntraExchangeInstanceTransfer` schema; renamed here because the operation that creates one
/// has that name).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IntraExchangeInstanceTransferRecord {
    /// The transfer's id.
    pub transfer_id: String,
    /// The instance the funds left.
    pub source: ExchangeInstance,
    /// The instance the funds went to.
    pub destination: ExchangeInstance,
    /// The source shard.
    pub source_exchange_shard: ExchangeIndex,
    /// The destination shard.
    pub destination_exchange_shard: ExchangeIndex,
    /// The amount, in dollars (the request gives centicents).
    pub amount: FixedPointDollars,
    /// Where it stands.
    pub status: IntraExchangeInstanceTransferStatus,
    /// Unix time (seconds) it was created.
    pub created_ts: i64,
}

/// The transfers between exchange instances, a page at a time
/// (`GetIntraExchangeInstanceTransfers`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetIntraExchangeInstanceTransfers {
    /// Page size, 1..=500 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetIntraExchangeInstanceTransfers {
    /// The first page.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::pagination::cursor_list!(
    GetIntraExchangeInstanceTransfers
        => GetIntraExchangeInstanceTransfersResponse.transfers: IntraExchangeInstanceTransferRecord
);

/// One page of [`GetIntraExchangeInstanceTransfers`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetIntraExchangeInstanceTransfersResponse {
    /// The transfers on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub transfers: Vec<IntraExchangeInstanceTransferRecord>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetIntraExchangeInstanceTransfers {
    type Output = GetIntraExchangeInstanceTransfersResponse;
    const NAME: &'static str = "GetIntraExchangeInstanceTransfers";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 500)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/intra_exchange_instance_transfers");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

/// One transfer between exchange instances by id (`GetIntraExchangeInstanceTransfer`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetIntraExchangeInstanceTransfer {
    /// The id [`IntraExchangeInstanceTransfer`] returned (percent-encoded into the path).
    pub transfer_id: String,
}

impl GetIntraExchangeInstanceTransfer {
    /// The transfer with this id.
    pub fn new(transfer_id: impl Into<String>) -> Self {
        GetIntraExchangeInstanceTransfer {
            transfer_id: transfer_id.into(),
        }
    }
}

/// The answer to [`GetIntraExchangeInstanceTransfer`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetIntraExchangeInstanceTransferResponse {
    /// The transfer.
    pub transfer: IntraExchangeInstanceTransferRecord,
}

impl Operation for GetIntraExchangeInstanceTransfer {
    type Output = GetIntraExchangeInstanceTransferResponse;
    const NAME: &'static str = "GetIntraExchangeInstanceTransfer";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("transfer_id", &self.transfer_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/intra_exchange_instance_transfers/")
            .segment(&self.transfer_id);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for IntraExchangeInstanceTransfer {
    fn full() -> Self {
        IntraExchangeInstanceTransfer::new(
            ExchangeInstance::EventContract,
            ExchangeInstance::EventContract,
            250_000,
        )
        .source_exchange_shard(0)
        .destination_exchange_shard(1)
        .source_subaccount(0)
        .destination_subaccount(3)
    }
    fn minimal() -> Self {
        IntraExchangeInstanceTransfer::new(
            ExchangeInstance::EventContract,
            ExchangeInstance::Margined,
            250_000,
        )
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetIntraExchangeInstanceTransfers {
    fn full() -> Self {
        GetIntraExchangeInstanceTransfers::new()
            .limit(500)
            .cursor("c1")
    }
    fn minimal() -> Self {
        GetIntraExchangeInstanceTransfers::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetIntraExchangeInstanceTransfer {
    fn full() -> Self {
        GetIntraExchangeInstanceTransfer::new("tr-1")
    }
    fn minimal() -> Self {
        GetIntraExchangeInstanceTransfer::new("tr-1")
    }
}
