//! The inventory of Kalshi's REST API this crate is checked against.
//!
//! [`OPERATIONS_JSON`] is `core/spec/operations.json`: every operation of the Trade API v2
//! (method, path, operation id, area, tier, status) and, for each one Kalshi's docs describe,
//! its parameters, request body and response schemas, as made from the docs by
//! `core/spec/extract.py`. The crate's drift test fails when a current trading operation has no
//! implementation, or an implementation misses or invents a parameter or response field;
//! the simulator's tests check its answers against the same schemas. A test of your own can
//! read it too (it costs nothing unless used).
//!
//! ```
//! let inventory: serde_json::Value = serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON)?;
//! let ops = inventory["operations"].as_array().unwrap();
//! let current = ops.iter().filter(|o| o["status"] == "current").count();
//! assert_eq!(current, 122);
//! # Ok::<(), serde_json::Error>(())
//! ```

/// The inventory as JSON text (`{"operations": [...]}`; see the module docs).
pub const OPERATIONS_JSON: &str = include_str!("../spec/operations.json");
