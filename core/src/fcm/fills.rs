//! `GET /fcm/fills`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::enums::OutcomeSide;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty, opt_time};
use crate::{ExchangeIndex, FixedPointCount, FixedPointDollars};

/// A fill across the FCM's subtraders (`FcmFill`). The maker and taker ids and fees are given
/// for the sides the FCM owns.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FcmFill {
    /// The fill's id.
    pub fill_id: String,
    /// The exchange shard.
    pub exchange_index: ExchangeIndex,
    /// The market.
    pub ticker: String,
    /// The outcome the taker bought.
    pub taker_outcome_side: OutcomeSide,
    /// Contracts filled.
    pub count_fp: FixedPointCount,
    /// The YES price.
    pub yes_price_dollars: FixedPointDollars,
    /// When it executed.
    #[serde(default, deserialize_with = "opt_time")]
    pub created_time: Option<jiff::Timestamp>,
    /// The maker order, when the FCM owns it.
    #[serde(default)]
    pub maker_order_id: Option<String>,
    /// The maker subtrader, when the FCM owns it.
    #[serde(default)]
    pub maker_subtrader_id: Option<String>,
    /// The maker's fee, when the FCM owns the maker side.
    #[serde(default)]
    pub maker_fee_cost: Option<FixedPointDollars>,
    /// The taker order, when the FCM owns it.
    #[serde(default)]
    pub taker_order_id: Option<String>,
    /// The taker subtrader, when the FCM owns it.
    #[serde(default)]
    pub taker_subtrader_id: Option<String>,
    /// The taker's fee, when the FCM owns the taker side.
    #[serde(default)]
    pub taker_fee_cost: Option<FixedPointDollars>,
}

/// Fills across all the FCM's subtraders, a page at a time (`GetFcmFills`). The API has no
/// page size for it. See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFcmFills {
    /// Only fills after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only fills before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetFcmFills {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetFcmFills {
    /// Only fills after this Unix time (seconds).
    min_ts: i64,
    /// Only fills before this Unix time (seconds).
    max_ts: i64,
}}

crate::pagination::cursor_list!(GetFcmFills [next: cursor] => GetFcmFillsResponse.fills: FcmFill);

/// One page of [`GetFcmFills`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetFcmFillsResponse {
    /// The fills on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub fills: Vec<FcmFill>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetFcmFills {
    type Output = GetFcmFillsResponse;
    const NAME: &'static str = "GetFcmFills";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/fills");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFcmFills {
    fn full() -> Self {
        GetFcmFills::new()
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .cursor("abc")
    }
    fn minimal() -> Self {
        GetFcmFills::new()
    }
}
