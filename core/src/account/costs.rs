//! `GET /account/endpoint_costs`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;

/// The endpoints whose token cost is not the default (`GetAccountEndpointCosts`). Feed the
/// answer to [`EndpointCosts::from_response`](crate::rate_limit::EndpointCosts::from_response).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetAccountEndpointCosts {}

impl GetAccountEndpointCosts {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// One endpoint's configured cost (`EndpointTokenCost`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EndpointTokenCost {
    /// The HTTP method (`POST`).
    pub method: String,
    /// The route path (`/trade-api/v2/portfolio/orders/{order_id}`).
    pub path: String,
    /// Its cost in tokens (per item for batch endpoints).
    pub cost: u64,
}

/// The answer to [`GetAccountEndpointCosts`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetAccountEndpointCostsResponse {
    /// The cost of every endpoint not listed (currently 10).
    pub default_cost: u64,
    /// The endpoints whose cost differs from `default_cost`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub endpoint_costs: Vec<EndpointTokenCost>,
}

impl Operation for GetAccountEndpointCosts {
    type Output = GetAccountEndpointCostsResponse;
    const NAME: &'static str = "GetAccountEndpointCosts";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/account/endpoint_costs");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetAccountEndpointCosts {
    fn full() -> Self {
        GetAccountEndpointCosts::new()
    }
    fn minimal() -> Self {
        GetAccountEndpointCosts::new()
    }
}
