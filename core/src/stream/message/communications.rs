//! The `communications` channel's messages (RFQs and quotes): `rfq_created`, `rfq_deleted`,
//! `quote_created`, `quote_accepted`, `quote_executed`.
//!
//! RFQ messages go to every subscriber; quote messages only to the quote's creator and the
//! RFQ's creator. The integer `contracts` and `yes_contracts_offered`-style counts, the cent
//! prices `yes_bid`/`no_bid` and the centi-cent `target_cost`/`rfq_target_cost` are legacy
//! (`None` when absent); the `_fp` and `_dollars` fields replace them.

use serde::{Deserialize, Serialize};

use crate::enums::OutcomeSide;
use crate::market::MveSelectedLeg;
use crate::serde_util::{null_as_empty, time};
use crate::{FixedPointCount, FixedPointDollars};

/// `rfq_created`: a request for quote was created.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RfqCreated {
    /// The RFQ's id.
    pub id: String,
    /// The creator's public communications id (anonymized; currently empty on this message).
    pub creator_id: String,
    /// The market.
    pub market_ticker: String,
    /// The market's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// Contracts requested.
    #[serde(default)]
    pub contracts_fp: Option<FixedPointCount>,
    /// The target cost, in dollars.
    #[serde(default)]
    pub target_cost_dollars: Option<FixedPointDollars>,
    /// Legacy: contracts requested, as an integer.
    #[serde(default)]
    pub contracts: Option<i64>,
    /// Legacy: the target cost in centi-cents.
    #[serde(default)]
    pub target_cost: Option<i64>,
    /// When the RFQ was created.
    #[serde(deserialize_with = "time")]
    pub created_ts: jiff::Timestamp,
    /// The multivariate event collection, for a combo RFQ.
    #[serde(default)]
    pub mve_collection_ticker: Option<String>,
    /// The selected legs, for a combo RFQ.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub mve_selected_legs: Vec<MveSelectedLeg>,
}

/// `rfq_deleted`: a request for quote was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RfqDeleted {
    /// The RFQ's id.
    pub id: String,
    /// The creator's public communications id (anonymized).
    pub creator_id: String,
    /// The market.
    pub market_ticker: String,
    /// The market's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// Contracts requested.
    #[serde(default)]
    pub contracts_fp: Option<FixedPointCount>,
    /// The target cost, in dollars.
    #[serde(default)]
    pub target_cost_dollars: Option<FixedPointDollars>,
    /// Legacy: contracts requested, as an integer.
    #[serde(default)]
    pub contracts: Option<i64>,
    /// Legacy: the target cost in centi-cents.
    #[serde(default)]
    pub target_cost: Option<i64>,
    /// When the RFQ was deleted.
    #[serde(deserialize_with = "time")]
    pub deleted_ts: jiff::Timestamp,
}

/// `quote_created`: a quote was made on an RFQ (sent to the quote's and the RFQ's creators).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct QuoteCreated {
    /// The quote's id.
    pub quote_id: String,
    /// The RFQ quoted.
    pub rfq_id: String,
    /// The quote creator's public communications id (anonymized).
    pub quote_creator_id: String,
    /// The market.
    pub market_ticker: String,
    /// The market's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// The YES bid, in dollars.
    pub yes_bid_dollars: FixedPointDollars,
    /// The NO bid, in dollars.
    pub no_bid_dollars: FixedPointDollars,
    /// YES contracts offered.
    #[serde(default)]
    pub yes_contracts_offered_fp: Option<FixedPointCount>,
    /// NO contracts offered.
    #[serde(default)]
    pub no_contracts_offered_fp: Option<FixedPointCount>,
    /// The RFQ's target cost, in dollars.
    #[serde(default)]
    pub rfq_target_cost_dollars: Option<FixedPointDollars>,
    /// Your subaccount on your side of the quote, when not the primary account.
    #[serde(default)]
    pub subaccount: Option<u32>,
    /// Legacy: the YES bid in cents.
    #[serde(default)]
    pub yes_bid: Option<i64>,
    /// Legacy: the NO bid in cents.
    #[serde(default)]
    pub no_bid: Option<i64>,
    /// Legacy: YES contracts offered, as an integer.
    #[serde(default)]
    pub yes_contracts_offered: Option<i64>,
    /// Legacy: NO contracts offered, as an integer.
    #[serde(default)]
    pub no_contracts_offered: Option<i64>,
    /// Legacy: the RFQ's target cost in centi-cents.
    #[serde(default)]
    pub rfq_target_cost: Option<i64>,
    /// When the quote was created.
    #[serde(deserialize_with = "time")]
    pub created_ts: jiff::Timestamp,
}

/// `quote_accepted`: a quote was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct QuoteAccepted {
    /// The quote's id.
    pub quote_id: String,
    /// The RFQ quoted.
    pub rfq_id: String,
    /// The quote creator's public communications id (anonymized).
    pub quote_creator_id: String,
    /// The market.
    pub market_ticker: String,
    /// The market's event.
    #[serde(default)]
    pub event_ticker: Option<String>,
    /// The YES bid, in dollars.
    pub yes_bid_dollars: FixedPointDollars,
    /// The NO bid, in dollars.
    pub no_bid_dollars: FixedPointDollars,
    /// The side accepted.
    #[serde(default)]
    pub accepted_side: Option<OutcomeSide>,
    /// Contracts accepted (when the RFQ gave a quantity or a partial fill was asked).
    #[serde(default)]
    pub contracts_accepted_fp: Option<FixedPointCount>,
    /// YES contracts offered.
    #[serde(default)]
    pub yes_contracts_offered_fp: Option<FixedPointCount>,
    /// NO contracts offered.
    #[serde(default)]
    pub no_contracts_offered_fp: Option<FixedPointCount>,
    /// The RFQ's target cost, in dollars.
    #[serde(default)]
    pub rfq_target_cost_dollars: Option<FixedPointDollars>,
    /// Your subaccount on your side of the quote, when not the primary account.
    #[serde(default)]
    pub subaccount: Option<u32>,
    /// Legacy: the YES bid in cents.
    #[serde(default)]
    pub yes_bid: Option<i64>,
    /// Legacy: the NO bid in cents.
    #[serde(default)]
    pub no_bid: Option<i64>,
    /// Legacy: contracts accepted, as an integer.
    #[serde(default)]
    pub contracts_accepted: Option<i64>,
    /// Legacy: YES contracts offered, as an integer.
    #[serde(default)]
    pub yes_contracts_offered: Option<i64>,
    /// Legacy: NO contracts offered, as an integer.
    #[serde(default)]
    pub no_contracts_offered: Option<i64>,
    /// Legacy: the RFQ's target cost in centi-cents.
    #[serde(default)]
    pub rfq_target_cost: Option<i64>,
}

/// `quote_executed`: a quote was executed and orders placed. Each side receives its own order
/// (`order_id`, `client_order_id`), to match with the `fill` messages that follow.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct QuoteExecuted {
    /// The quote's id.
    pub quote_id: String,
    /// The RFQ quoted.
    pub rfq_id: String,
    /// The quote creator's id (anonymized).
    pub quote_creator_id: String,
    /// The RFQ creator's id (anonymized).
    pub rfq_creator_id: String,
    /// Your order resulting from the execution.
    pub order_id: String,
    /// Your `client_order_id` for that order.
    pub client_order_id: String,
    /// The market.
    pub market_ticker: String,
    /// When the quote was executed.
    #[serde(deserialize_with = "time")]
    pub executed_ts: jiff::Timestamp,
    /// Your subaccount on your side of the quote, when not the primary account.
    #[serde(default)]
    pub subaccount: Option<u32>,
}
