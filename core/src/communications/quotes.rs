//! `GET /communications/quotes`, `POST /communications/quotes`, and the deprecated quote-ID-only
//! `GET`/`DELETE /communications/quotes/{quote_id}`, `PUT .../accept`, `PUT .../confirm`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::types::{Quote, QuoteStatus, UserFilter, known_side, user_filter};
use crate::enums::OutcomeSide;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::response::EmptyResponse;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, FixedPointDollars, validate};

/// The rate-limit cost of creating, deleting and (quote-ID-only) reading a quote, in tokens:
/// the exchange's non-default cost for these endpoints (changelog, June 23, 2026).
const QUOTE_COST: u64 = 2;

/// Lists quotes, a page at a time (`GetQuotes`): the caller's own (`user_filter=self`), those
/// answering the caller's RFQs (`rfq_user_filter=self`), one RFQ's (`rfq_id`), by status or by
/// last-update time (`min_ts`/`max_ts`, Unix seconds). See [`crate::pagination::Pages`] for
/// walking every page.
///
/// Open and cancelled quotes are listed on a best-effort basis only (see [`Quote`]); cancelled
/// ones disappear 7 days after their last update. The market and event filters this endpoint
/// once had were removed in June 2026.
///
/// ```
/// use kalshi_core::communications::{GetQuotes, UserFilter};
/// let on_my_rfqs = GetQuotes::new().rfq_user_filter(UserFilter::SelfOnly).limit(100);
/// assert_eq!(on_my_rfqs.limit, Some(100));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetQuotes {
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only quotes last updated after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only quotes last updated before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 1..=500 (default 500).
    pub limit: Option<u32>,
    /// Only this status (a value this crate does not know is sent as given).
    pub status: Option<QuoteStatus>,
    /// Deprecated: only this quoter's user id (use `user_filter`).
    pub quote_creator_user_id: Option<String>,
    /// `self`: only the quotes the authenticated user created.
    pub user_filter: Option<UserFilter>,
    /// `self`: only the quotes answering RFQs the authenticated user created.
    pub rfq_user_filter: Option<UserFilter>,
    /// Deprecated: only quotes on RFQs of this creator's user id (use `rfq_user_filter`).
    pub rfq_creator_user_id: Option<String>,
    /// Only quotes on RFQs of this subtrader (FCM members only).
    pub rfq_creator_subtrader_id: Option<String>,
    /// Only quotes on this RFQ.
    pub rfq_id: Option<String>,
}

impl GetQuotes {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetQuotes {
    /// Only quotes last updated after this Unix time (seconds).
    min_ts: i64,
    /// Only quotes last updated before this Unix time (seconds).
    max_ts: i64,
    /// Only this status.
    status: QuoteStatus,
    /// Deprecated: only this quoter's user id (use `user_filter`).
    quote_creator_user_id: String,
    /// `self`: only the quotes the authenticated user created.
    user_filter: UserFilter,
    /// `self`: only the quotes answering RFQs the authenticated user created.
    rfq_user_filter: UserFilter,
    /// Deprecated: only quotes on RFQs of this creator's user id (use `rfq_user_filter`).
    rfq_creator_user_id: String,
    /// Only quotes on RFQs of this subtrader (FCM members only).
    rfq_creator_subtrader_id: String,
    /// Only quotes on this RFQ.
    rfq_id: String,
}}

crate::pagination::cursor_list!(GetQuotes => GetQuotesResponse.quotes: Quote);

/// One page of [`GetQuotes`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetQuotesResponse {
    /// The quotes on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub quotes: Vec<Quote>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetQuotes {
    type Output = GetQuotesResponse;
    const NAME: &'static str = "GetQuotes";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 500)?;
        user_filter("user_filter", self.user_filter.as_ref())?;
        user_filter("rfq_user_filter", self.rfq_user_filter.as_ref())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("cursor", self.cursor.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("status", self.status.as_ref())
            .opt(
                "quote_creator_user_id",
                self.quote_creator_user_id.as_deref(),
            )
            .opt("user_filter", self.user_filter.as_ref())
            .opt("rfq_user_filter", self.rfq_user_filter.as_ref())
            .opt("rfq_creator_user_id", self.rfq_creator_user_id.as_deref())
            .opt(
                "rfq_creator_subtrader_id",
                self.rfq_creator_subtrader_id.as_deref(),
            )
            .opt("rfq_id", self.rfq_id.as_deref());
    }
}

/// Quotes an RFQ (`CreateQuote`): a YES bid and a NO bid, each for the RFQ's full size.
/// Answers `201` with the quote's id.
///
/// Either bid may be `0` to decline that side, not both; `yes_bid + no_bid` may not exceed $1;
/// both are checked before signing, as is the 4-decimal limit. Each bid must also lie on the
/// market's price grid (the `step` of its band in the market's `price_ranges`), which only the
/// exchange checks. A new quote on the same RFQ replaces the maker's previous one. With
/// `post_only`, the quoter's order is cancelled rather than take liquidity at execution.
///
/// Not idempotent: there is no client-supplied id, so it is never repeated automatically (a
/// repeat would replace the first quote with a second one). After an unknown outcome, look
/// for it with [`GetQuotes`] (`user_filter=self`, `rfq_id`). Costs 2 rate-limit tokens.
///
/// ```
/// use kalshi_core::communications::CreateQuote;
/// use kalshi_core::FixedPointDollars;
/// let quote = CreateQuote::new(
///     "1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45",
///     FixedPointDollars::from_cents(56),
///     FixedPointDollars::from_cents(41),
///     false,
/// )
/// .post_only(true);
/// assert_eq!(quote.post_only, Some(true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateQuote {
    /// The RFQ to quote.
    pub rfq_id: String,
    /// The price bid per YES contract, in dollars (`0` declines the side).
    pub yes_bid: FixedPointDollars,
    /// The price bid per NO contract, in dollars (`0` declines the side).
    pub no_bid: FixedPointDollars,
    /// Whether the remainder rests on the book after execution.
    pub rest_remainder: bool,
    /// Post-only: the quoter's order is cancelled rather than crossed if it would take
    /// liquidity (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_only: Option<bool>,
    /// The subaccount to quote from (0 primary, 1–63); a subaccount-restricted key may only
    /// name its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

impl CreateQuote {
    /// A quote on `rfq_id` bidding `yes_bid` for YES and `no_bid` for NO.
    pub fn new(
        rfq_id: impl Into<String>,
        yes_bid: FixedPointDollars,
        no_bid: FixedPointDollars,
        rest_remainder: bool,
    ) -> Self {
        CreateQuote {
            rfq_id: rfq_id.into(),
            yes_bid,
            no_bid,
            rest_remainder,
            post_only: None,
            subaccount: None,
        }
    }
}

crate::operation::opt_setters! { CreateQuote {
    /// Post-only: cancelled rather than crossed if it would take liquidity.
    post_only: bool,
    /// The subaccount to quote from (0 primary, 1–63).
    subaccount: u32,
}}

/// The answer to [`CreateQuote`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateQuoteResponse {
    /// The new quote's id.
    pub id: String,
}

/// A bid of a quote: from $0 (declines the side) up to, not including, $1, at most 4 decimals.
fn bid(field: &'static str, price: FixedPointDollars) -> Result<(), Error> {
    if price < FixedPointDollars::ZERO || price >= FixedPointDollars::ONE {
        return Err(Error::invalid(
            field,
            format!("{price} is outside 0 (declined) to below 1 dollar"),
        ));
    }
    if price.decimals() > 4 {
        return Err(Error::invalid(
            field,
            format!("{price} has more than 4 decimals"),
        ));
    }
    Ok(())
}

impl Operation for CreateQuote {
    type Output = CreateQuoteResponse;
    const NAME: &'static str = "CreateQuote";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn cost(&self) -> u64 {
        QUOTE_COST
    }

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("rfq_id", &self.rfq_id)?;
        bid("yes_bid", self.yes_bid)?;
        bid("no_bid", self.no_bid)?;
        if self.yes_bid == FixedPointDollars::ZERO && self.no_bid == FixedPointDollars::ZERO {
            return Err(Error::invalid(
                "no_bid",
                "yes_bid and no_bid are both 0: a quote bids on at least one side",
            ));
        }
        // Both are below $1 here: the sum cannot overflow.
        let sum = self.yes_bid.micros() + self.no_bid.micros();
        if sum > FixedPointDollars::ONE.micros() {
            return Err(Error::invalid(
                "no_bid",
                format!(
                    "yes_bid + no_bid = {} exceeds 1 dollar",
                    FixedPointDollars::from_micros(sum)
                ),
            ));
        }
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// The answer to [`GetQuote`] and [`GetRFQQuote`](super::GetRFQQuote).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetQuoteResponse {
    /// The quote.
    pub quote: Quote,
}

/// Deprecated quote-ID-only lookup (`GetQuote`): use [`GetRFQQuote`](super::GetRFQQuote),
/// which names the RFQ too. Still served (deprecated since July 9, 2026); costs 2 rate-limit
/// tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetQuote {
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl GetQuote {
    /// The quote with this id.
    pub fn new(quote_id: impl Into<String>) -> Self {
        GetQuote {
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for GetQuote {
    type Output = GetQuoteResponse;
    const NAME: &'static str = "GetQuote";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn cost(&self) -> u64 {
        QUOTE_COST
    }

    fn validate(&self) -> Result<(), Error> {
        validate_id("quote_id", &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes/")
            .segment(&self.quote_id);
    }
}

/// Deprecated quote-ID-only delete (`DeleteQuote`): use
/// [`DeleteRFQQuote`](super::DeleteRFQQuote), which names the RFQ too. Withdraws the caller's
/// quote so that it can no longer be accepted; answers `204` with no body. Still served
/// (deprecated since June 25, 2026); costs 2 rate-limit tokens.
///
/// Idempotent: a repeat finds the quote already cancelled (the exchange may then answer `404`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteQuote {
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl DeleteQuote {
    /// Deletes the quote with this id.
    pub fn new(quote_id: impl Into<String>) -> Self {
        DeleteQuote {
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for DeleteQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "DeleteQuote";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn cost(&self) -> u64 {
        QUOTE_COST
    }

    fn validate(&self) -> Result<(), Error> {
        validate_id("quote_id", &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes/")
            .segment(&self.quote_id);
    }
}

/// Deprecated quote-ID-only accept (`AcceptQuote`): use
/// [`AcceptRFQQuote`](super::AcceptRFQQuote), which names the RFQ too. The RFQ's creator
/// accepts one side of a quote; the quoter must then confirm. Answers `204` with no body. Still
/// served (deprecated since June 25, 2026).
///
/// Idempotent in effect: a quote is accepted at most once, so a repeat cannot trade twice; a
/// repeat after a lost answer may be refused because the quote has moved on (look it up to
/// learn its status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AcceptQuote {
    /// The quote's id (percent-encoded into the path).
    #[serde(skip)]
    pub quote_id: String,
    /// The side of the quote to accept (`yes` or `no`).
    pub accepted_side: OutcomeSide,
}

impl AcceptQuote {
    /// Accepts `accepted_side` of the quote with this id.
    pub fn new(quote_id: impl Into<String>, accepted_side: OutcomeSide) -> Self {
        AcceptQuote {
            quote_id: quote_id.into(),
            accepted_side,
        }
    }
}

impl Operation for AcceptQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "AcceptQuote";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("quote_id", &self.quote_id)?;
        known_side("accepted_side", &self.accepted_side)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes/")
            .segment(&self.quote_id)
            .literal("/accept");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Deprecated quote-ID-only confirm (`ConfirmQuote`): use
/// [`ConfirmRFQQuote`](super::ConfirmRFQQuote), which names the RFQ too. The quoter confirms an
/// accepted quote, which starts the execution timer; answers `204` with no body. Still served
/// (deprecated since June 25, 2026).
///
/// Idempotent in effect: a quote executes at most once, so a repeat cannot trade twice; a
/// repeat after a lost answer may be refused because the quote is already confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmQuote {
    /// The quote's id (percent-encoded into the path).
    pub quote_id: String,
}

impl ConfirmQuote {
    /// Confirms the quote with this id.
    pub fn new(quote_id: impl Into<String>) -> Self {
        ConfirmQuote {
            quote_id: quote_id.into(),
        }
    }
}

impl Operation for ConfirmQuote {
    type Output = EmptyResponse;
    const NAME: &'static str = "ConfirmQuote";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("quote_id", &self.quote_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/quotes/")
            .segment(&self.quote_id)
            .literal("/confirm");
    }
}

#[cfg(test)]
const RFQ_ID: &str = "1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45";
#[cfg(test)]
const QUOTE_ID: &str = "7d3e2f1a-9b8c-4d5e-a6f7-0e1d2c3b4a59";

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetQuotes {
    fn full() -> Self {
        GetQuotes::new()
            .cursor("abc")
            .min_ts(1_790_000_000)
            .max_ts(1_800_000_000)
            .limit(200)
            .status(QuoteStatus::Accepted)
            .quote_creator_user_id("usr-1")
            .user_filter(UserFilter::SelfOnly)
            .rfq_user_filter(UserFilter::SelfOnly)
            .rfq_creator_user_id("usr-2")
            .rfq_creator_subtrader_id("sub-7")
            .rfq_id(RFQ_ID)
    }
    fn minimal() -> Self {
        GetQuotes::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateQuote {
    fn full() -> Self {
        CreateQuote::new(
            RFQ_ID,
            FixedPointDollars::from_cents(56),
            FixedPointDollars::from_cents(41),
            true,
        )
        .post_only(true)
        .subaccount(2)
    }
    fn minimal() -> Self {
        CreateQuote::new(
            RFQ_ID,
            FixedPointDollars::from_cents(56),
            FixedPointDollars::from_cents(41),
            false,
        )
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetQuote {
    fn full() -> Self {
        GetQuote::new(QUOTE_ID)
    }
    fn minimal() -> Self {
        GetQuote::new(QUOTE_ID)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for DeleteQuote {
    fn full() -> Self {
        DeleteQuote::new(QUOTE_ID)
    }
    fn minimal() -> Self {
        DeleteQuote::new(QUOTE_ID)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for AcceptQuote {
    fn full() -> Self {
        AcceptQuote::new(QUOTE_ID, OutcomeSide::Yes)
    }
    fn minimal() -> Self {
        AcceptQuote::new(QUOTE_ID, OutcomeSide::No)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for ConfirmQuote {
    fn full() -> Self {
        ConfirmQuote::new(QUOTE_ID)
    }
    fn minimal() -> Self {
        ConfirmQuote::new(QUOTE_ID)
    }
}
