//! Property tests across every operation (issue "Hardening", item 2).
//!
//! - [`requests`]: requests built from arbitrary (often hostile) field values are either refused
//!   before anything is signed, naming the field, or signed over exactly the path that is sent,
//!   with path parameters, query parameters and body decoding back to the caller's values.
//! - [`responses`]: the documented success bodies in `testdata/responses/` parse, and keep
//!   parsing to the same values when fields the crate does not know are added anywhere in them
//!   or when enum fields carry values it does not know.
//! - [`events`] and [`exchange`]: the same request properties for those areas, with
//!   [`requests`]' checker.
//! - [`communications`]: the same for RFQs, quotes and block-trade proposals.
//! - [`tail`]: the same for the tail areas (milestones, structured targets, incentive programs,
//!   live data, multivariate collections, FCM).

mod communications;
mod events;
mod exchange;
mod requests;
mod responses;
mod tail;
