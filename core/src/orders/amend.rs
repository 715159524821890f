//! `POST /portfolio/events/orders/{order_id}/amend` (Amend Order, V2)

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::enums::BookSide;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Changes an order's price and/or size (`AmendOrderV2`). `count` is the new total
/// (already filled + desired resting). Idempotent: amending to the same values twice leaves the
/// same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AmendOrder {
    /// The order id (path).
    #[serde(skip)]
    pub order_id: String,
    /// The subaccount (query; default 0).
    #[serde(skip)]
    pub subaccount: Option<u32>,
    /// The market ticker.
    pub ticker: String,
    /// The order's side.
    pub side: BookSide,
    /// The new price.
    pub price: FixedPointDollars,
    /// The new total fillable count.
    pub count: FixedPointCount,
    /// The original client order id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
    /// A new client order id for the amended order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_client_order_id: Option<String>,
    /// Exchange shard; -1 auto-routes by ticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
}

impl AmendOrder {
    /// Amends order `order_id` on `ticker` to `price` and total `count`.
    pub fn new(
        order_id: impl Into<String>,
        ticker: impl Into<String>,
        side: BookSide,
        price: FixedPointDollars,
        count: FixedPointCount,
    ) -> Self {
        AmendOrder {
            order_id: order_id.into(),
            subaccount: None,
            ticker: ticker.into(),
            side,
            price,
            count,
            client_order_id: None,
            updated_client_order_id: None,
            exchange_index: None,
        }
    }

    /// Sets the subaccount.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }

    /// Sets the client order ids: the original and the one after the amend.
    pub fn client_order_ids(
        mut self,
        original: impl Into<String>,
        updated: impl Into<String>,
    ) -> Self {
        self.client_order_id = Some(original.into());
        self.updated_client_order_id = Some(updated.into());
        self
    }
}

/// The answer to [`AmendOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AmendOrderResponse {
    /// The order id.
    pub order_id: String,
    /// The client order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Contracts resting after the amend.
    #[serde(default)]
    pub remaining_count: Option<FixedPointCount>,
    /// Contracts filled because the amend crossed the book.
    #[serde(default)]
    pub fill_count: Option<FixedPointCount>,
    /// Average fill price of those fills.
    #[serde(default)]
    pub average_fill_price: Option<FixedPointDollars>,
    /// Average fee per contract of those fills.
    #[serde(default)]
    pub average_fee_paid: Option<FixedPointDollars>,
    /// Matching-engine time, Unix milliseconds.
    pub ts_ms: i64,
}

impl Operation for AmendOrder {
    type Output = AmendOrderResponse;
    const NAME: &'static str = "AmendOrderV2";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_id", &self.order_id)?;
        validate::non_empty("ticker", &self.ticker)?;
        if let BookSide::Unknown(s) = &self.side {
            return Err(Error::invalid("side", format!("`{s}` is not bid or ask")));
        }
        validate::price("price", self.price)?;
        validate::positive_count("count", self.count)?;
        if let Some(id) = &self.client_order_id {
            validate::non_empty("client_order_id", id)?;
        }
        if let Some(id) = &self.updated_client_order_id {
            validate::non_empty("updated_client_order_id", id)?;
        }
        validate::subaccount(self.subaccount)?;
        validate::exchange_index(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders/")
            .segment(&self.order_id)
            .literal("/amend");
    }

    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query.opt("subaccount", self.subaccount);
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for AmendOrder {
    fn full() -> Self {
        let mut op = Self::minimal()
            .subaccount(2)
            .client_order_ids("coid-1", "coid-2");
        op.exchange_index = Some(ExchangeIndex::shard(0));
        op
    }
    fn minimal() -> Self {
        AmendOrder::new(
            "ord-1",
            "HIGHNY-24JAN01-T60",
            BookSide::Bid,
            FixedPointDollars::from_cents(57),
            FixedPointCount::from_whole(12),
        )
    }
}
