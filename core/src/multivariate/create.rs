//! `POST /multivariate_event_collections/{collection_ticker}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::enums::OutcomeSide;
use crate::market::Market;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};
use crate::{Error, validate};

/// One selected leg of a combo (`TickerPair`): a market of one of the collection's events and
/// the side taken on it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TickerPair {
    /// The market's ticker.
    pub market_ticker: String,
    /// Its event's ticker.
    pub event_ticker: String,
    /// The side: yes or no.
    pub side: OutcomeSide,
}

impl TickerPair {
    /// The leg `side` of `market_ticker`, in `event_ticker`.
    pub fn new(
        event_ticker: impl Into<String>,
        market_ticker: impl Into<String>,
        side: OutcomeSide,
    ) -> Self {
        TickerPair {
            market_ticker: market_ticker.into(),
            event_ticker: event_ticker.into(),
            side,
        }
    }
}

/// Creates the combo market of a selection of legs in a collection, or resolves it if it
/// exists (`CreateMarketInMultivariateEventCollection`). A combo market must be created once
/// before it can be traded; creations are limited to 5000 a week per user.
///
/// The same selection always resolves to the same market, so repeating the request is
/// harmless ([`Idempotency::Idempotent`]). An invalid combination answers 400 with a code such
/// as `conflicting_leg_outcomes`, a message saying why and, when known, the offending tickers
/// in `details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateMarketInMultivariateEventCollection {
    /// The collection ticker (percent-encoded into the path; not in the body).
    #[serde(skip)]
    pub collection_ticker: String,
    /// The selected legs, at least one (the collection's `size_min`..=`size_max`).
    pub selected_markets: Vec<TickerPair>,
    /// Whether to include the market itself in the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_market_payload: Option<bool>,
}

impl CreateMarketInMultivariateEventCollection {
    /// The combo of `selected_markets` in the collection `collection_ticker`.
    pub fn new(
        collection_ticker: impl Into<String>,
        selected_markets: impl IntoIterator<Item = TickerPair>,
    ) -> Self {
        CreateMarketInMultivariateEventCollection {
            collection_ticker: collection_ticker.into(),
            selected_markets: selected_markets.into_iter().collect(),
            with_market_payload: None,
        }
    }

    /// Whether to include the market itself in the answer.
    pub fn with_market_payload(mut self, with: bool) -> Self {
        self.with_market_payload = Some(with);
        self
    }
}

/// The answer to [`CreateMarketInMultivariateEventCollection`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateMarketInMultivariateEventCollectionResponse {
    /// The combo market's event.
    pub event_ticker: String,
    /// The combo market's ticker.
    pub market_ticker: String,
    /// The market, with `with_market_payload`.
    #[serde(default)]
    pub market: Option<Market>,
}

impl Operation for CreateMarketInMultivariateEventCollection {
    type Output = CreateMarketInMultivariateEventCollectionResponse;
    const NAME: &'static str = "CreateMarketInMultivariateEventCollection";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("collection_ticker", &self.collection_ticker)?;
        if self.selected_markets.is_empty() {
            return Err(Error::invalid(
                "selected_markets",
                "at least one leg is required",
            ));
        }
        for leg in &self.selected_markets {
            validate::non_empty("market_ticker", &leg.market_ticker)?;
            validate::non_empty("event_ticker", &leg.event_ticker)?;
            if let OutcomeSide::Unknown(s) = &leg.side {
                return Err(Error::invalid(
                    "side",
                    format!("{s:?} is neither yes nor no"),
                ));
            }
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/multivariate_event_collections/")
            .segment(&self.collection_ticker);
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateMarketInMultivariateEventCollection {
    fn full() -> Self {
        CreateMarketInMultivariateEventCollection::new(
            "KXMVENFLSINGLEGAME-R",
            [TickerPair::new(
                "KXNFLGAME-26JAN04BUFNYJ",
                "KXNFLGAME-26JAN04BUFNYJ-BUF",
                OutcomeSide::Yes,
            )],
        )
        .with_market_payload(true)
    }
    fn minimal() -> Self {
        CreateMarketInMultivariateEventCollection::new(
            "KXMVENFLSINGLEGAME-R",
            [TickerPair::new(
                "KXNFLGAME-26JAN04BUFNYJ",
                "KXNFLGAME-26JAN04BUFNYJ-BUF",
                OutcomeSide::Yes,
            )],
        )
    }
}
