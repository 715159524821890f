//! Communications: requests for quote (RFQs), the quotes on them, block-trade proposals, and
//! the caller's public communications id.
//!
//! An RFQ runs in five steps: the requester creates it ([`CreateRFQ`]: a market and a size, as a
//! count or as a cost); every maker sees it (the `communications` stream channel, [`GetRFQs`]);
//! makers quote a YES bid and a NO bid for the full size ([`CreateQuote`]; each quote is private
//! between its maker and the requester, and a newer quote replaces the maker's previous one);
//! the requester accepts one side of a quote ([`AcceptRFQQuote`]); the maker confirms within
//! the confirmation window ([`ConfirmRFQQuote`]: 30 s, 3 s on high-volatility markets, every
//! combo market among them), after which neither side can withdraw and, when the execution
//! timer ends (15 s, 1 s), both orders go to the book and fill. RFQs and quotes can be deleted
//! until then ([`DeleteRFQ`], [`DeleteRFQQuote`]).
//!
//! The quote actions name the RFQ as well as the quote: the quote-ID-only operations
//! ([`GetQuote`], [`DeleteQuote`], [`AcceptQuote`], [`ConfirmQuote`]) are deprecated since June
//! and July 2026 and still served; the exchange expects to require the RFQ id in the future.
//! Only quotes that reached `accepted` are durable records ([`Quote`]); closed RFQs and
//! cancelled quotes are kept 7 days. Subaccount-restricted API keys run the whole RFQ flow
//! scoped to their subaccount (omitting `subaccount` acts on it, naming another is refused), but
//! not the block-trade operations.
//!
//! | operation | request |
//! |---|---|
//! | [`GetRFQs`] | `GET /communications/rfqs` |
//! | [`CreateRFQ`] | `POST /communications/rfqs` |
//! | [`GetRFQ`] | `GET /communications/rfqs/{rfq_id}` |
//! | [`DeleteRFQ`] | `DELETE /communications/rfqs/{rfq_id}` |
//! | [`GetQuotes`] | `GET /communications/quotes` |
//! | [`CreateQuote`] | `POST /communications/quotes` |
//! | [`GetRFQQuote`] | `GET /communications/rfqs/{rfq_id}/quotes/{quote_id}` |
//! | [`DeleteRFQQuote`] | `DELETE /communications/rfqs/{rfq_id}/quotes/{quote_id}` |
//! | [`AcceptRFQQuote`] | `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/accept` |
//! | [`ConfirmRFQQuote`] | `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm` |
//! | [`GetQuote`] (deprecated) | `GET /communications/quotes/{quote_id}` |
//! | [`DeleteQuote`] (deprecated) | `DELETE /communications/quotes/{quote_id}` |
//! | [`AcceptQuote`] (deprecated) | `PUT /communications/quotes/{quote_id}/accept` |
//! | [`ConfirmQuote`] (deprecated) | `PUT /communications/quotes/{quote_id}/confirm` |
//! | [`GetBlockTradeProposals`] | `GET /communications/block-trade-proposals` |
//! | [`ProposeBlockTrade`] | `POST /communications/block-trade-proposals` |
//! | [`AcceptBlockTradeProposal`] | `POST /communications/block-trade-proposals/{block_trade_proposal_id}/accept` |
//! | [`GetCommunicationsID`] | `GET /communications/id` |
//!
//! Repeating after an unknown outcome: the creates ([`CreateRFQ`], [`CreateQuote`],
//! [`ProposeBlockTrade`]) take no client-supplied id and are never repeated automatically; the
//! reads and deletes are idempotent; so are the accepts and confirms in effect, since a quote or
//! a proposal executes at most once, but a repeat after a lost answer may be refused because
//! the first one went through: look the quote or proposal up to learn its state.

mod block_trades;
mod id;
mod quotes;
mod rfq_quotes;
mod rfqs;
mod types;

pub use block_trades::{
    AcceptBlockTradeProposal, GetBlockTradeProposals, GetBlockTradeProposalsResponse,
    ProposeBlockTrade, ProposeBlockTradeResponse,
};
pub use id::{GetCommunicationsID, GetCommunicationsIDResponse};
pub use quotes::{
    AcceptQuote, ConfirmQuote, CreateQuote, CreateQuoteResponse, DeleteQuote, GetQuote,
    GetQuoteResponse, GetQuotes, GetQuotesResponse,
};
pub use rfq_quotes::{AcceptRFQQuote, ConfirmRFQQuote, DeleteRFQQuote, GetRFQQuote};
pub use rfqs::{
    CreateRFQ, CreateRFQResponse, DeleteRFQ, GetRFQ, GetRFQResponse, GetRFQs, GetRFQsResponse,
};
pub use types::{BlockTradeProposal, Quote, QuoteStatus, Rfq, RfqStatus, UserFilter};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetRFQs,
        CreateRFQ,
        GetRFQ,
        DeleteRFQ,
        GetQuotes,
        CreateQuote,
        GetQuote,
        DeleteQuote,
        AcceptQuote,
        ConfirmQuote,
        GetRFQQuote,
        DeleteRFQQuote,
        AcceptRFQQuote,
        ConfirmRFQQuote,
        GetBlockTradeProposals,
        ProposeBlockTrade,
        AcceptBlockTradeProposal,
        GetCommunicationsID,
    ]
}
