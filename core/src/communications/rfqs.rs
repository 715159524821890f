//! `GET /communications/rfqs`, `POST /communications/rfqs`, `GET /communications/rfqs/{rfq_id}`,
//! `DELETE /communications/rfqs/{rfq_id}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::types::{MICROS_PER_CENTI_CENT, Rfq, RfqStatus, UserFilter, user_filter};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::response::EmptyResponse;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Lists RFQs, a page at a time (`GetRFQs`): every member's open RFQs are visible (makers quote
/// them), filtered by event, market, status, subaccount or `user_filter=self`. See
/// [`crate::pagination::Pages`] for walking every page.
///
/// ```
/// use kalshi_core::communications::{GetRFQs, RfqStatus, UserFilter};
/// let mine = GetRFQs::new()
///     .user_filter(UserFilter::SelfOnly)
///     .status(RfqStatus::Open)
///     .limit(50);
/// assert_eq!(mine.limit, Some(50));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetRFQs {
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this event (a single event ticker).
    pub event_ticker: Option<String>,
    /// Only this market.
    pub market_ticker: Option<String>,
    /// Only this subaccount (0 primary, 1–63); omitted means all.
    pub subaccount: Option<u32>,
    /// Page size, 1..=100 (default 100).
    pub limit: Option<u32>,
    /// Only this status (a value this crate does not know is sent as given).
    pub status: Option<RfqStatus>,
    /// Deprecated: only this creator's user id (use `user_filter`).
    pub creator_user_id: Option<String>,
    /// `self`: only the authenticated user's RFQs.
    pub user_filter: Option<UserFilter>,
}

impl GetRFQs {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetRFQs {
    /// Only this event (a single event ticker).
    event_ticker: String,
    /// Only this market.
    market_ticker: String,
    /// Only this subaccount (0 primary, 1–63).
    subaccount: u32,
    /// Only this status.
    status: RfqStatus,
    /// Deprecated: only this creator's user id (use `user_filter`).
    creator_user_id: String,
    /// `self`: only the authenticated user's RFQs.
    user_filter: UserFilter,
}}

crate::pagination::cursor_list!(GetRFQs => GetRFQsResponse.rfqs: Rfq);

/// One page of [`GetRFQs`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetRFQsResponse {
    /// The RFQs on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub rfqs: Vec<Rfq>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetRFQs {
    type Output = GetRFQsResponse;
    const NAME: &'static str = "GetRFQs";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 100)?;
        validate::subaccount(self.subaccount)?;
        if self
            .event_ticker
            .as_deref()
            .is_some_and(|e| e.contains(','))
        {
            return Err(Error::invalid(
                "event_ticker",
                "only a single event ticker is supported",
            ));
        }
        user_filter("user_filter", self.user_filter.as_ref())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/rfqs");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("cursor", self.cursor.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("market_ticker", self.market_ticker.as_deref())
            .opt("subaccount", self.subaccount)
            .opt("limit", self.limit)
            .opt("status", self.status.as_ref())
            .opt("creator_user_id", self.creator_user_id.as_deref())
            .opt("user_filter", self.user_filter.as_ref());
    }
}

/// Creates an RFQ (`CreateRFQ`): asks every maker to quote `market_ticker` for a size, given
/// either as a count ([`new`](Self::new): `contracts_fp`, and/or the whole `contracts`) or as
/// a cost ([`with_target_cost`](Self::with_target_cost): `target_cost_dollars`, and/or the
/// deprecated `target_cost_centi_cents`), never both. Answers `201` with the RFQ's id.
///
/// A member has at most 100 open RFQs, and one open RFQ per market: another on the same market
/// answers `409` ([`Error::Conflict`]) unless `replace_existing` is set (the exchange then
/// deletes the existing RFQs as part of this creation). For a combo (multivariate) market,
/// create or resolve its ticker first (`POST /multivariate_event_collections/{collection_ticker}`).
/// Makers' quotes arrive on the `communications` stream channel and through
/// [`GetQuotes`](super::GetQuotes) with `rfq_user_filter=self`.
///
/// Not idempotent: there is no client-supplied id, and a repeat with `replace_existing` would
/// replace the first RFQ with a second one, so it is never repeated automatically; after an
/// unknown outcome, look for the RFQ with [`GetRFQs`] (`user_filter=self`, the market).
///
/// ```
/// use kalshi_core::communications::CreateRFQ;
/// use kalshi_core::{FixedPointCount, FixedPointDollars};
/// let by_count = CreateRFQ::new("KXBTCD-26DEC3117-T98000", FixedPointCount::from_whole(500), false)
///     .subaccount(2);
/// let by_cost =
///     CreateRFQ::with_target_cost("KXBTCD-26DEC3117-T98000", FixedPointDollars::from_cents(25_000), true);
/// assert_eq!(by_count.subaccount, Some(2));
/// assert_eq!(by_cost.contracts_fp, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateRFQ {
    /// The market to request quotes on.
    pub market_ticker: String,
    /// The size in whole contracts; must equal `contracts_fp` if both are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts: Option<u64>,
    /// The size in contracts, in 0.01-contract steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts_fp: Option<FixedPointCount>,
    /// Deprecated: the target cost in centi-cents (use `target_cost_dollars`); must equal
    /// `target_cost_dollars` if both are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_cost_centi_cents: Option<i64>,
    /// The size as a dollar amount to spend: the exchange derives each quote's contracts from
    /// its price (`yes_contracts_fp` / `no_contracts_fp` on the quote).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_cost_dollars: Option<FixedPointDollars>,
    /// Whether the remainder rests on the book after execution.
    pub rest_remainder: bool,
    /// Whether to delete the existing RFQs as part of this creation (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_existing: Option<bool>,
    /// The subtrader to create the RFQ for (FCM members only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtrader_id: Option<String>,
    /// The subaccount to create the RFQ for (direct members only; 0 primary, 1–63); a
    /// subaccount-restricted key may only name its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

impl CreateRFQ {
    /// An RFQ for `contracts_fp` contracts.
    pub fn new(
        market_ticker: impl Into<String>,
        contracts_fp: FixedPointCount,
        rest_remainder: bool,
    ) -> Self {
        CreateRFQ {
            market_ticker: market_ticker.into(),
            contracts: None,
            contracts_fp: Some(contracts_fp),
            target_cost_centi_cents: None,
            target_cost_dollars: None,
            rest_remainder,
            replace_existing: None,
            subtrader_id: None,
            subaccount: None,
        }
    }

    /// An RFQ to spend `target_cost_dollars`.
    pub fn with_target_cost(
        market_ticker: impl Into<String>,
        target_cost_dollars: FixedPointDollars,
        rest_remainder: bool,
    ) -> Self {
        CreateRFQ {
            contracts_fp: None,
            target_cost_dollars: Some(target_cost_dollars),
            ..CreateRFQ::new(market_ticker, FixedPointCount::ZERO, rest_remainder)
        }
    }
}

crate::operation::opt_setters! { CreateRFQ {
    /// Also the size in whole contracts (must equal `contracts_fp`).
    contracts: u64,
    /// The size in contracts.
    contracts_fp: FixedPointCount,
    /// Deprecated: also the target cost in centi-cents (must equal `target_cost_dollars`).
    target_cost_centi_cents: i64,
    /// The size as a dollar amount to spend.
    target_cost_dollars: FixedPointDollars,
    /// Deletes the existing RFQs as part of this creation.
    replace_existing: bool,
    /// The subtrader to create the RFQ for (FCM members only).
    subtrader_id: String,
    /// The subaccount to create the RFQ for (0 primary, 1–63).
    subaccount: u32,
}}

/// The answer to [`CreateRFQ`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateRFQResponse {
    /// The new RFQ's id.
    pub id: String,
}

impl CreateRFQ {
    fn check_size(&self) -> Result<(), Error> {
        if self.contracts == Some(0) {
            return Err(Error::invalid("contracts", "0 is not a positive count"));
        }
        if let Some(fp) = self.contracts_fp {
            validate::positive_count("contracts_fp", fp)?;
        }
        if let (Some(whole), Some(fp)) = (self.contracts, self.contracts_fp) {
            if i128::from(whole) * 100 != i128::from(fp.hundredths()) {
                return Err(Error::invalid(
                    "contracts_fp",
                    format!("{fp} does not match contracts = {whole}"),
                ));
            }
        }
        if let Some(cc) = self.target_cost_centi_cents {
            if cc <= 0 {
                return Err(Error::invalid(
                    "target_cost_centi_cents",
                    format!("{cc} is not a positive cost"),
                ));
            }
        }
        if let Some(cost) = self.target_cost_dollars {
            if cost <= FixedPointDollars::ZERO {
                return Err(Error::invalid(
                    "target_cost_dollars",
                    format!("{cost} is not a positive cost"),
                ));
            }
            if cost.decimals() > 4 {
                return Err(Error::invalid(
                    "target_cost_dollars",
                    format!("{cost} is finer than a centi-cent (4 decimals)"),
                ));
            }
        }
        if let (Some(cc), Some(cost)) = (self.target_cost_centi_cents, self.target_cost_dollars) {
            if i128::from(cc) * i128::from(MICROS_PER_CENTI_CENT) != i128::from(cost.micros()) {
                return Err(Error::invalid(
                    "target_cost_centi_cents",
                    format!("{cc} does not match target_cost_dollars = {cost}"),
                ));
            }
        }
        let by_count = self.contracts.is_some() || self.contracts_fp.is_some();
        let by_cost = self.target_cost_dollars.is_some() || self.target_cost_centi_cents.is_some();
        match (by_count, by_cost) {
            (true, true) => Err(Error::invalid(
                if self.target_cost_dollars.is_some() {
                    "target_cost_dollars"
                } else {
                    "target_cost_centi_cents"
                },
                "give the size as a count (contracts_fp) or as a cost (target_cost_dollars), not both",
            )),
            (false, false) => Err(Error::invalid(
                "contracts_fp",
                "no size: give contracts_fp (or contracts) or target_cost_dollars",
            )),
            _ => Ok(()),
        }
    }
}

impl Operation for CreateRFQ {
    type Output = CreateRFQResponse;
    const NAME: &'static str = "CreateRFQ";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("market_ticker", &self.market_ticker)?;
        self.check_size()?;
        if let Some(s) = &self.subtrader_id {
            validate::non_empty("subtrader_id", s)?;
            if self.subaccount.is_some() {
                return Err(Error::invalid(
                    "subaccount",
                    "subaccount is for direct members, subtrader_id for FCM members: not both",
                ));
            }
        }
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/rfqs");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Gets one RFQ (`GetRFQ`). A subaccount-restricted key cannot read another subaccount's RFQ
/// in detail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetRFQ {
    /// The RFQ's id (percent-encoded into the path).
    pub rfq_id: String,
}

impl GetRFQ {
    /// The RFQ with this id.
    pub fn new(rfq_id: impl Into<String>) -> Self {
        GetRFQ {
            rfq_id: rfq_id.into(),
        }
    }
}

/// The answer to [`GetRFQ`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetRFQResponse {
    /// The RFQ.
    pub rfq: Rfq,
}

impl Operation for GetRFQ {
    type Output = GetRFQResponse;
    const NAME: &'static str = "GetRFQ";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("rfq_id", &self.rfq_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/rfqs/").segment(&self.rfq_id);
    }
}

/// Deletes (closes) one of the member's RFQs (`DeleteRFQ`): makers can no longer quote it.
/// Answers `204` with no body.
///
/// Idempotent: a repeat finds the RFQ already closed (the exchange may then answer `404`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteRFQ {
    /// The RFQ's id (percent-encoded into the path).
    pub rfq_id: String,
}

impl DeleteRFQ {
    /// Deletes the RFQ with this id.
    pub fn new(rfq_id: impl Into<String>) -> Self {
        DeleteRFQ {
            rfq_id: rfq_id.into(),
        }
    }
}

impl Operation for DeleteRFQ {
    type Output = EmptyResponse;
    const NAME: &'static str = "DeleteRFQ";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("rfq_id", &self.rfq_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/rfqs/").segment(&self.rfq_id);
    }
}

#[cfg(test)]
const RFQ_ID: &str = "1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45";

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetRFQs {
    fn full() -> Self {
        GetRFQs::new()
            .cursor("abc")
            .event_ticker("KXBTCD-26DEC3117")
            .market_ticker("KXBTCD-26DEC3117-T98000")
            .subaccount(2)
            .limit(50)
            .status(RfqStatus::Open)
            .creator_user_id("usr-1")
            .user_filter(UserFilter::SelfOnly)
    }
    fn minimal() -> Self {
        GetRFQs::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateRFQ {
    fn full() -> Self {
        CreateRFQ::new(
            "KXBTCD-26DEC3117-T98000",
            FixedPointCount::from_whole(500),
            false,
        )
        .contracts(500)
        .replace_existing(true)
        .subaccount(2)
    }
    fn minimal() -> Self {
        CreateRFQ::new(
            "KXBTCD-26DEC3117-T98000",
            FixedPointCount::from_whole(500),
            false,
        )
    }
    fn also_full() -> Vec<Self> {
        vec![
            CreateRFQ::with_target_cost(
                "KXBTCD-26DEC3117-T98000",
                FixedPointDollars::from_cents(25_000),
                true,
            )
            .target_cost_centi_cents(2_500_000)
            .subtrader_id("sub-7"),
        ]
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetRFQ {
    fn full() -> Self {
        GetRFQ::new(RFQ_ID)
    }
    fn minimal() -> Self {
        GetRFQ::new(RFQ_ID)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for DeleteRFQ {
    fn full() -> Self {
        DeleteRFQ::new(RFQ_ID)
    }
    fn minimal() -> Self {
        DeleteRFQ::new(RFQ_ID)
    }
}
