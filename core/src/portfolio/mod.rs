//! Portfolio reads: balance, positions and fills.
//!
//! | operation | request |
//! |---|---|
//! | [`GetBalance`] | `GET /portfolio/balance` |
//! | [`GetPositions`] | `GET /portfolio/positions` |
//! | [`GetFills`] | `GET /portfolio/fills` |

mod balance;
mod fills;
mod positions;

pub use balance::{GetBalance, GetBalanceResponse, IndexedBalance};
pub use fills::{Fill, GetFills, GetFillsResponse};
pub use positions::{EventPosition, GetPositions, GetPositionsResponse, MarketPosition};

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetBalance, GetPositions, GetFills]
}
