//! `POST /portfolio/events/orders/{order_id}/decrease` (Decrease Order, V2)

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::{Error, FixedPointCount, validate};

/// Reduces an order's resting size (`DecreaseOrderV2`): exactly one of `reduce_by` and
/// `reduce_to`. `reduce_to` is idempotent; `reduce_by` is not (each repeat takes more off), so
/// only `reduce_to` decreases are repeated automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DecreaseOrder {
    /// The order id (path).
    #[serde(skip)]
    pub order_id: String,
    /// The subaccount (query; default 0).
    #[serde(skip)]
    pub subaccount: Option<u32>,
    /// Contracts to take off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduce_by: Option<FixedPointCount>,
    /// Contracts to leave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduce_to: Option<FixedPointCount>,
    /// Exchange shard; -1 auto-routes by `market_ticker`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
    /// Market ticker, for auto-routing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<String>,
}

impl DecreaseOrder {
    /// Leaves `count` contracts resting.
    pub fn reduce_to(order_id: impl Into<String>, count: FixedPointCount) -> Self {
        DecreaseOrder {
            order_id: order_id.into(),
            subaccount: None,
            reduce_by: None,
            reduce_to: Some(count),
            exchange_index: None,
            market_ticker: None,
        }
    }

    /// Takes `count` contracts off.
    pub fn reduce_by(order_id: impl Into<String>, count: FixedPointCount) -> Self {
        DecreaseOrder {
            reduce_by: Some(count),
            reduce_to: None,
            ..Self::reduce_to(order_id, count)
        }
    }

    /// Sets the subaccount.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// The answer to [`DecreaseOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DecreaseOrderResponse {
    /// The order id.
    pub order_id: String,
    /// The client order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Contracts remaining.
    pub remaining_count: FixedPointCount,
    /// Matching-engine time, Unix milliseconds.
    pub ts_ms: i64,
}

impl Operation for DecreaseOrder {
    type Output = DecreaseOrderResponse;
    const NAME: &'static str = "DecreaseOrderV2";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    // `reduce_by` is not idempotent; see `idempotency()`.
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn idempotency(&self) -> Idempotency {
        if self.reduce_to.is_some() && self.reduce_by.is_none() {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        }
    }

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_id", &self.order_id)?;
        match (self.reduce_by, self.reduce_to) {
            (Some(by), None) => validate::positive_count("reduce_by", by)?,
            (None, Some(to)) if to.hundredths() < 0 => {
                return Err(Error::invalid("reduce_to", "must not be negative"));
            }
            (None, Some(_)) => {}
            _ => {
                return Err(Error::invalid(
                    "reduce_by",
                    "give exactly one of reduce_by and reduce_to",
                ));
            }
        }
        validate::subaccount(self.subaccount)?;
        validate::exchange_index(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders/")
            .segment(&self.order_id)
            .literal("/decrease");
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
impl crate::spec_drift::SpecExample for DecreaseOrder {
    fn full() -> Self {
        let mut op = Self::minimal().subaccount(2);
        op.exchange_index = Some(ExchangeIndex::AUTO_ROUTE);
        op.market_ticker = Some("HIGHNY-24JAN01-T60".into());
        op
    }
    fn minimal() -> Self {
        DecreaseOrder::reduce_to("ord-1", FixedPointCount::from_whole(5))
    }
    /// `reduce_by` and `reduce_to` exclude each other.
    fn also_full() -> Vec<Self> {
        vec![DecreaseOrder::reduce_by(
            "ord-1",
            FixedPointCount::from_whole(2),
        )]
    }
}
