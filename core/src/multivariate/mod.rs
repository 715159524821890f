//! Multivariate event collections: the collections combo markets are made from, and creating
//! (or resolving) the combo market of a selection of legs.
//!
//! | operation | request |
//! |---|---|
//! | [`GetMultivariateEventCollections`] | `GET /multivariate_event_collections` |
//! | [`GetMultivariateEventCollection`] | `GET /multivariate_event_collections/{collection_ticker}` |
//! | [`CreateMarketInMultivariateEventCollection`] | `POST /multivariate_event_collections/{collection_ticker}` |
//!
//! A combo market must be created once through
//! [`CreateMarketInMultivariateEventCollection`] before it can be traded or quoted; the same
//! selection later resolves to the same market. The lookup endpoints that predated RFQs
//! (`.../lookup`) are removed from the API and not offered here.

mod collections;
mod create;

pub use collections::{
    AssociatedEvent, CollectionStatus, GetMultivariateEventCollection,
    GetMultivariateEventCollectionResponse, GetMultivariateEventCollections,
    GetMultivariateEventCollectionsResponse, MAX_COLLECTIONS_LIMIT, MultivariateEventCollection,
};
pub use create::{
    CreateMarketInMultivariateEventCollection, CreateMarketInMultivariateEventCollectionResponse,
    TickerPair,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetMultivariateEventCollections,
        GetMultivariateEventCollection,
        CreateMarketInMultivariateEventCollection,
    ]
}
