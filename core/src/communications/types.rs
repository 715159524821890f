//! The records of the communications area: RFQs, quotes and block-trade proposals, and their
//! string enums.

use serde::{Deserialize, Serialize};

use crate::enums::{OutcomeSide, string_enum};
use crate::market::MveSelectedLeg;
use crate::serde_util::{null_as_empty, opt_time, time};
use crate::{Error, FixedPointCount, FixedPointDollars};

string_enum! {
    /// An RFQ's status (`open`, `closed`). Also a filter of [`GetRFQs`](super::GetRFQs).
    RfqStatus {
        /// Open: makers can quote it.
        Open = "open",
        /// Closed: deleted, expired or executed.
        Closed = "closed",
    }
}

string_enum! {
    /// A quote's status, in the order a quote moves through them. Also a filter of
    /// [`GetQuotes`](super::GetQuotes).
    QuoteStatus {
        /// Open: the RFQ's creator can accept it.
        Open = "open",
        /// Accepted by the RFQ's creator; waiting for the quoter's confirmation.
        Accepted = "accepted",
        /// Confirmed by the quoter; the execution timer runs.
        Confirmed = "confirmed",
        /// Executed: the orders were placed on the book.
        Executed = "executed",
        /// Cancelled (deleted, expired, or replaced by the quoter's newer quote).
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// The `user_filter` / `rfq_user_filter` query value (`UserFilter`): only the authenticated
    /// user's. Omit the filter for every user's; the exchange knows no other value, so an
    /// [`UserFilter::Unknown`] one is refused before signing.
    UserFilter {
        /// `self`: only the authenticated user's RFQs or quotes.
        SelfOnly = "self",
    }
}

/// A request for quote (`RFQ`): a requester asks makers to quote a market for a size.
///
/// Closed RFQs are kept by the exchange for 7 days after their last update, then disappear
/// from the lists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Rfq {
    /// The RFQ's id (a UUID; keep the exact string).
    pub id: String,
    /// The creator's public communications id (see
    /// [`GetCommunicationsID`](super::GetCommunicationsID)).
    pub creator_id: String,
    /// The market the RFQ is for.
    pub market_ticker: String,
    /// Contracts requested (for an RFQ sized by cost, what the exchange derived).
    pub contracts_fp: FixedPointCount,
    /// The total value of the RFQ in dollars, for an RFQ sized by cost.
    #[serde(default)]
    pub target_cost_dollars: Option<FixedPointDollars>,
    /// Open or closed (unknown values kept).
    pub status: RfqStatus,
    /// When the RFQ was created.
    #[serde(deserialize_with = "time")]
    pub created_ts: jiff::Timestamp,
    /// The multivariate event collection the market belongs to, for a combo RFQ.
    #[serde(default)]
    pub mve_collection_ticker: Option<String>,
    /// The selected legs, for a combo RFQ (empty otherwise).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub mve_selected_legs: Vec<MveSelectedLeg>,
    /// Whether the remainder rests on the book after execution.
    #[serde(default)]
    pub rest_remainder: Option<bool>,
    /// Why the RFQ was cancelled, if it was.
    #[serde(default)]
    pub cancellation_reason: Option<String>,
    /// The creator's user id (private: only shown to the creator).
    #[serde(default)]
    pub creator_user_id: Option<String>,
    /// The creator's subaccount (shown when the caller is the creator).
    #[serde(default)]
    pub creator_subaccount: Option<u32>,
    /// When the RFQ was cancelled.
    #[serde(default, deserialize_with = "opt_time")]
    pub cancelled_ts: Option<jiff::Timestamp>,
    /// When the RFQ was last updated.
    #[serde(default, deserialize_with = "opt_time")]
    pub updated_ts: Option<jiff::Timestamp>,
}

/// A maker's quote on an RFQ (`Quote`): a YES bid and a NO bid for the RFQ's full size.
///
/// Only quotes that reached `accepted`, `confirmed` or `executed` are durable records; open and
/// cancelled quotes may be answered on a best-effort basis, and an open quote cleared by a
/// server restart is gone (a later lookup answers 404: treat it as cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Quote {
    /// The quote's id (a UUID; keep the exact string).
    pub id: String,
    /// The RFQ it answers.
    pub rfq_id: String,
    /// The quoter's public communications id.
    pub creator_id: String,
    /// The RFQ creator's public communications id.
    pub rfq_creator_id: String,
    /// The market.
    pub market_ticker: String,
    /// Contracts quoted (the RFQ's size).
    pub contracts_fp: FixedPointCount,
    /// The price bid per YES contract (`0` declines that side).
    pub yes_bid_dollars: FixedPointDollars,
    /// The price bid per NO contract (`0` declines that side).
    pub no_bid_dollars: FixedPointDollars,
    /// When the quote was created.
    #[serde(deserialize_with = "time")]
    pub created_ts: jiff::Timestamp,
    /// When the quote was last updated.
    #[serde(deserialize_with = "time")]
    pub updated_ts: jiff::Timestamp,
    /// Where the quote is in its life (unknown values kept).
    pub status: QuoteStatus,
    /// The side the RFQ's creator accepted.
    #[serde(default)]
    pub accepted_side: Option<OutcomeSide>,
    /// When the quote was accepted.
    #[serde(default, deserialize_with = "opt_time")]
    pub accepted_ts: Option<jiff::Timestamp>,
    /// When the quote was confirmed.
    #[serde(default, deserialize_with = "opt_time")]
    pub confirmed_ts: Option<jiff::Timestamp>,
    /// When the quote was executed.
    #[serde(default, deserialize_with = "opt_time")]
    pub executed_ts: Option<jiff::Timestamp>,
    /// When the quote was cancelled.
    #[serde(default, deserialize_with = "opt_time")]
    pub cancelled_ts: Option<jiff::Timestamp>,
    /// Whether the remainder rests on the book after execution.
    #[serde(default)]
    pub rest_remainder: Option<bool>,
    /// Whether the quoter's order is post-only (shown to the quoter).
    #[serde(default)]
    pub post_only: Option<bool>,
    /// Why the quote was cancelled, if it was.
    #[serde(default)]
    pub cancellation_reason: Option<String>,
    /// The quoter's user id (private).
    #[serde(default)]
    pub creator_user_id: Option<String>,
    /// The RFQ creator's user id (private).
    #[serde(default)]
    pub rfq_creator_user_id: Option<String>,
    /// The total value the RFQ asked for, in dollars, for an RFQ sized by cost.
    #[serde(default)]
    pub rfq_target_cost_dollars: Option<FixedPointDollars>,
    /// The RFQ creator's order id (private); its fills carry it.
    #[serde(default)]
    pub rfq_creator_order_id: Option<String>,
    /// The quoter's order id (private); its fills carry it.
    #[serde(default)]
    pub creator_order_id: Option<String>,
    /// The quoter's subaccount (shown to the quoter).
    #[serde(default)]
    pub creator_subaccount: Option<u32>,
    /// The RFQ creator's subaccount (shown to the RFQ's creator).
    #[serde(default)]
    pub rfq_creator_subaccount: Option<u32>,
    /// YES contracts offered, derived from the prices for an RFQ sized by cost.
    #[serde(default)]
    pub yes_contracts_fp: Option<FixedPointCount>,
    /// NO contracts offered, derived from the prices for an RFQ sized by cost.
    #[serde(default)]
    pub no_contracts_fp: Option<FixedPointCount>,
}

/// A proposed block trade (`BlockTradeProposal`): a trade between a named buyer and seller,
/// matched off the book once both accept.
///
/// Prices and sizes are integers in the API's hundredths units: [`price`](Self::price) and
/// [`count`](Self::count) read them as exact decimals.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BlockTradeProposal {
    /// The proposal's id.
    pub id: String,
    /// The user who proposed it.
    pub proposer_user_id: String,
    /// The buyer's user id; empty when the caller is not the buyer.
    #[serde(default)]
    pub buyer_user_id: String,
    /// The buyer's subtrader id; empty or absent when the caller is not the buyer.
    #[serde(default)]
    pub buyer_subtrader_id: Option<String>,
    /// The seller's user id; empty when the caller is not the seller.
    #[serde(default)]
    pub seller_user_id: String,
    /// The seller's subtrader id; empty or absent when the caller is not the seller.
    #[serde(default)]
    pub seller_subtrader_id: Option<String>,
    /// The market.
    pub market_ticker: String,
    /// The price per contract in centi-cents (1/10,000 of a dollar).
    pub price_centi_cents: i64,
    /// The size in centicounts (1/100 of a contract).
    pub centicount: i64,
    /// The maker side.
    pub maker_side: OutcomeSide,
    /// When the proposal expires.
    #[serde(deserialize_with = "time")]
    pub expiration_ts: jiff::Timestamp,
    /// The proposal's status, as the exchange words it (the docs list no values).
    pub status: String,
    /// When the proposal was created.
    #[serde(deserialize_with = "time")]
    pub created_ts: jiff::Timestamp,
    /// When the proposal was last updated.
    #[serde(deserialize_with = "time")]
    pub updated_ts: jiff::Timestamp,
    /// Whether the buyer has accepted.
    pub buyer_accepted: bool,
    /// Whether the seller has accepted.
    pub seller_accepted: bool,
    /// When the buyer accepted.
    #[serde(default, deserialize_with = "opt_time")]
    pub buyer_accepted_ts: Option<jiff::Timestamp>,
    /// When the seller accepted.
    #[serde(default, deserialize_with = "opt_time")]
    pub seller_accepted_ts: Option<jiff::Timestamp>,
    /// When the proposal was executed.
    #[serde(default, deserialize_with = "opt_time")]
    pub executed_ts: Option<jiff::Timestamp>,
    /// The buyer's order id, once executed.
    #[serde(default)]
    pub buyer_order_id: Option<String>,
    /// The seller's order id, once executed.
    #[serde(default)]
    pub seller_order_id: Option<String>,
}

impl BlockTradeProposal {
    /// The price per contract in dollars (exact: a centi-cent is $0.0001), or `None` if
    /// `price_centi_cents` is too large to be a price.
    pub fn price(&self) -> Option<FixedPointDollars> {
        self.price_centi_cents
            .checked_mul(MICROS_PER_CENTI_CENT)
            .map(FixedPointDollars::from_micros)
    }

    /// The size in contracts (exact: a centicount is 0.01 contract).
    pub fn count(&self) -> FixedPointCount {
        FixedPointCount::from_hundredths(self.centicount)
    }
}

/// Millionths of a dollar in a centi-cent ($0.0001).
pub(super) const MICROS_PER_CENTI_CENT: i64 = 100;

/// The side of a quote to accept, or a block trade's maker side: `yes` or `no`, never a value
/// the exchange does not know.
pub(super) fn known_side(field: &'static str, side: &OutcomeSide) -> Result<(), Error> {
    match side {
        OutcomeSide::Unknown(s) => Err(Error::invalid(
            field,
            format!("{s:?} is neither `yes` nor `no`"),
        )),
        _ => Ok(()),
    }
}

/// A `user_filter` / `rfq_user_filter`, when given, is `self`.
pub(super) fn user_filter(field: &'static str, filter: Option<&UserFilter>) -> Result<(), Error> {
    match filter {
        Some(UserFilter::Unknown(s)) => Err(Error::invalid(
            field,
            format!("{s:?} is not a user filter (only `self`; omit it for every user)"),
        )),
        _ => Ok(()),
    }
}

/// A subaccount number named by `field` (`buyer_subaccount`, ...), when given, is 0..=63.
pub(super) fn subaccount_named(field: &'static str, subaccount: Option<u32>) -> Result<(), Error> {
    match subaccount {
        Some(s) if s > crate::validate::MAX_SUBACCOUNT => Err(Error::invalid(
            field,
            format!("{s} is outside 0..=63 (0 is the primary account)"),
        )),
        _ => Ok(()),
    }
}
