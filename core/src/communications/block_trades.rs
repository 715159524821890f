//! `GET /communications/block-trade-proposals`, `POST /communications/block-trade-proposals`,
//! `POST /communications/block-trade-proposals/{block_trade_proposal_id}/accept`
//!
//! A block trade is a trade between a named buyer and seller, matched off the book once both
//! accept the proposal; the public trade lists flag it with `is_block_trade`. Keys with the
//! narrow `read::block_trade_accept` / `write::block_trade_accept` scopes may list and accept
//! proposals; subaccount-restricted keys cannot use these endpoints.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::types::{BlockTradeProposal, known_side, subaccount_named};
use crate::enums::OutcomeSide;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::response::EmptyResponse;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

/// Lists the block-trade proposals visible to the caller, a page at a time
/// (`GetBlockTradeProposals`). See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetBlockTradeProposals {
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this market.
    pub market_ticker: Option<String>,
    /// Page size, 1..=100 (default 100).
    pub limit: Option<u32>,
    /// Only this status (the docs list no values; sent as given).
    pub status: Option<String>,
}

impl GetBlockTradeProposals {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetBlockTradeProposals {
    /// Only this market.
    market_ticker: String,
    /// Only this status (sent as given).
    status: String,
}}

crate::pagination::cursor_list!(
    GetBlockTradeProposals => GetBlockTradeProposalsResponse.block_trade_proposals: BlockTradeProposal
);

/// One page of [`GetBlockTradeProposals`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetBlockTradeProposalsResponse {
    /// The proposals on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub block_trade_proposals: Vec<BlockTradeProposal>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetBlockTradeProposals {
    type Output = GetBlockTradeProposalsResponse;
    const NAME: &'static str = "GetBlockTradeProposals";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 100)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/block-trade-proposals");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("cursor", self.cursor.as_deref())
            .opt("market_ticker", self.market_ticker.as_deref())
            .opt("limit", self.limit)
            .opt("status", self.status.as_deref());
    }
}

/// Proposes a block trade (`ProposeBlockTrade`) between `buyer_user_id` and `seller_user_id`
/// on `market_ticker`: `centicount` hundredths of a contract at `price_centi_cents` per
/// contract (a centi-cent is $0.0001, so `5600` is $0.56), valid until `expiration_ts`. Each
/// party may be narrowed to a subtrader or a subaccount (not both). Answers `201` with the
/// proposal's id; `403` ([`Error::Forbidden`]) when the caller may not propose block trades.
///
/// Checked before signing: the ids and ticker are not empty, the price is 1..=9,999
/// centi-cents (a binary contract is worth less than $1), the size at least 1 centicount, the
/// maker side `yes` or `no`, subaccounts 0..=63.
///
/// Not idempotent: there is no client-supplied id, so it is never repeated automatically;
/// after an unknown outcome, look for the proposal with [`GetBlockTradeProposals`].
///
/// ```
/// use kalshi_core::communications::ProposeBlockTrade;
/// use kalshi_core::enums::OutcomeSide;
/// let expires: kalshi_core::jiff::Timestamp = "2026-12-06T15:00:00Z".parse().unwrap();
/// let proposal = ProposeBlockTrade::new(
///     "buyer-user-id", "seller-user-id", "KXBTCD-26DEC3117-T98000",
///     5_600, 1_000_000, OutcomeSide::Yes, expires,
/// )
/// .buyer_subaccount(2);
/// assert_eq!(proposal.buyer_subaccount, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProposeBlockTrade {
    /// The buyer's user id.
    pub buyer_user_id: String,
    /// The buyer's subtrader (not with `buyer_subaccount`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_subtrader_id: Option<String>,
    /// The buyer's subaccount, 0 primary or 1–63 (not with `buyer_subtrader_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_subaccount: Option<u32>,
    /// The seller's user id.
    pub seller_user_id: String,
    /// The seller's subtrader (not with `seller_subaccount`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_subtrader_id: Option<String>,
    /// The seller's subaccount, 0 primary or 1–63 (not with `seller_subtrader_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_subaccount: Option<u32>,
    /// The market.
    pub market_ticker: String,
    /// The price per contract in centi-cents (1/10,000 of a dollar), at least 1.
    pub price_centi_cents: i64,
    /// The size in centicounts (1/100 of a contract), at least 1.
    pub centicount: i64,
    /// The maker side.
    pub maker_side: OutcomeSide,
    /// When the proposal expires (sent as RFC 3339).
    pub expiration_ts: jiff::Timestamp,
}

impl ProposeBlockTrade {
    /// A proposal of `centicount` hundredths of a contract at `price_centi_cents`, from
    /// `seller_user_id` to `buyer_user_id`, until `expiration_ts`.
    pub fn new(
        buyer_user_id: impl Into<String>,
        seller_user_id: impl Into<String>,
        market_ticker: impl Into<String>,
        price_centi_cents: i64,
        centicount: i64,
        maker_side: OutcomeSide,
        expiration_ts: jiff::Timestamp,
    ) -> Self {
        ProposeBlockTrade {
            buyer_user_id: buyer_user_id.into(),
            buyer_subtrader_id: None,
            buyer_subaccount: None,
            seller_user_id: seller_user_id.into(),
            seller_subtrader_id: None,
            seller_subaccount: None,
            market_ticker: market_ticker.into(),
            price_centi_cents,
            centicount,
            maker_side,
            expiration_ts,
        }
    }
}

crate::operation::opt_setters! { ProposeBlockTrade {
    /// The buyer's subtrader (not with `buyer_subaccount`).
    buyer_subtrader_id: String,
    /// The buyer's subaccount, 0 primary or 1–63 (not with `buyer_subtrader_id`).
    buyer_subaccount: u32,
    /// The seller's subtrader (not with `seller_subaccount`).
    seller_subtrader_id: String,
    /// The seller's subaccount, 0 primary or 1–63 (not with `seller_subtrader_id`).
    seller_subaccount: u32,
}}

/// The answer to [`ProposeBlockTrade`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProposeBlockTradeResponse {
    /// The new proposal's id.
    pub block_trade_proposal_id: String,
}

/// One party of a proposal or an acceptance: a subtrader or a subaccount, not both.
fn party(
    subtrader_field: &'static str,
    subtrader_id: Option<&str>,
    subaccount_field: &'static str,
    subaccount: Option<u32>,
) -> Result<(), Error> {
    if let Some(s) = subtrader_id {
        validate::non_empty(subtrader_field, s)?;
        if subaccount.is_some() {
            return Err(Error::invalid(
                subaccount_field,
                format!("give {subtrader_field} or {subaccount_field}, not both"),
            ));
        }
    }
    subaccount_named(subaccount_field, subaccount)
}

/// The highest price of a binary contract in centi-cents ($0.9999).
const MAX_PRICE_CENTI_CENTS: i64 = 9_999;

impl Operation for ProposeBlockTrade {
    type Output = ProposeBlockTradeResponse;
    const NAME: &'static str = "ProposeBlockTrade";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("buyer_user_id", &self.buyer_user_id)?;
        party(
            "buyer_subtrader_id",
            self.buyer_subtrader_id.as_deref(),
            "buyer_subaccount",
            self.buyer_subaccount,
        )?;
        validate::non_empty("seller_user_id", &self.seller_user_id)?;
        party(
            "seller_subtrader_id",
            self.seller_subtrader_id.as_deref(),
            "seller_subaccount",
            self.seller_subaccount,
        )?;
        validate::non_empty("market_ticker", &self.market_ticker)?;
        if !(1..=MAX_PRICE_CENTI_CENTS).contains(&self.price_centi_cents) {
            return Err(Error::invalid(
                "price_centi_cents",
                format!(
                    "{} is outside 1..=9999 (a price between $0.0001 and $0.9999)",
                    self.price_centi_cents
                ),
            ));
        }
        if self.centicount < 1 {
            return Err(Error::invalid(
                "centicount",
                format!("{} is not a positive size", self.centicount),
            ));
        }
        known_side("maker_side", &self.maker_side)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/block-trade-proposals");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Accepts a block-trade proposal as its buyer or seller (`AcceptBlockTradeProposal`),
/// optionally as one subtrader or subaccount (not both). The trade executes once both parties
/// have accepted. Sends a JSON body (`{}` when neither is given); answers `204` with no body.
///
/// Idempotent in effect: each party's acceptance is a flag set once and a proposal executes at
/// most once, so a repeat cannot trade twice; a repeat after a lost answer may be refused
/// because the proposal has moved on (look it up with [`GetBlockTradeProposals`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AcceptBlockTradeProposal {
    /// The proposal's id (percent-encoded into the path).
    #[serde(skip)]
    pub block_trade_proposal_id: String,
    /// Accept as this subtrader (not with `subaccount`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtrader_id: Option<String>,
    /// Accept as this subaccount, 0 primary or 1–63 (not with `subtrader_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

impl AcceptBlockTradeProposal {
    /// Accepts the proposal with this id.
    pub fn new(block_trade_proposal_id: impl Into<String>) -> Self {
        AcceptBlockTradeProposal {
            block_trade_proposal_id: block_trade_proposal_id.into(),
            subtrader_id: None,
            subaccount: None,
        }
    }
}

crate::operation::opt_setters! { AcceptBlockTradeProposal {
    /// Accept as this subtrader (not with `subaccount`).
    subtrader_id: String,
    /// Accept as this subaccount, 0 primary or 1–63 (not with `subtrader_id`).
    subaccount: u32,
}}

impl Operation for AcceptBlockTradeProposal {
    type Output = EmptyResponse;
    const NAME: &'static str = "AcceptBlockTradeProposal";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("block_trade_proposal_id", &self.block_trade_proposal_id)?;
        party(
            "subtrader_id",
            self.subtrader_id.as_deref(),
            "subaccount",
            self.subaccount,
        )
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/block-trade-proposals/")
            .segment(&self.block_trade_proposal_id)
            .literal("/accept");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
fn expires() -> jiff::Timestamp {
    "2026-12-06T15:00:00Z".parse().expect("timestamp")
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetBlockTradeProposals {
    fn full() -> Self {
        GetBlockTradeProposals::new()
            .cursor("abc")
            .market_ticker("KXBTCD-26DEC3117-T98000")
            .limit(50)
            .status("pending")
    }
    fn minimal() -> Self {
        GetBlockTradeProposals::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for ProposeBlockTrade {
    fn full() -> Self {
        ProposeBlockTrade::new(
            "usr-buyer",
            "usr-seller",
            "KXBTCD-26DEC3117-T98000",
            5_600,
            1_000_000,
            OutcomeSide::Yes,
            expires(),
        )
        .buyer_subtrader_id("sub-1")
        .seller_subtrader_id("sub-2")
    }
    fn minimal() -> Self {
        ProposeBlockTrade::new(
            "usr-buyer",
            "usr-seller",
            "KXBTCD-26DEC3117-T98000",
            5_600,
            1_000_000,
            OutcomeSide::No,
            expires(),
        )
    }
    fn also_full() -> Vec<Self> {
        vec![Self::minimal().buyer_subaccount(2).seller_subaccount(0)]
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for AcceptBlockTradeProposal {
    fn full() -> Self {
        AcceptBlockTradeProposal::new("btp-1").subtrader_id("sub-1")
    }
    fn minimal() -> Self {
        AcceptBlockTradeProposal::new("btp-1")
    }
    fn also_full() -> Vec<Self> {
        vec![AcceptBlockTradeProposal::new("btp-1").subaccount(3)]
    }
}
