//! Checks shared by the order-group operations.

use crate::{Error, FixedPointCount};

/// The documented range of a contracts limit.
pub(crate) const MAX_CONTRACTS_LIMIT: u64 = 1_000_000;
/// `contracts_limit` and/or `contracts_limit_fp`: at least one, each within 1..=1,000,000, and
/// equal when both are given.
pub(crate) fn contracts_limit(
    limit: Option<u64>,
    limit_fp: Option<FixedPointCount>,
) -> Result<(), Error> {
    if let Some(l) = limit {
        if !(1..=MAX_CONTRACTS_LIMIT).contains(&l) {
            return Err(Error::invalid(
                "contracts_limit",
                format!("{l} is outside 1..=1,000,000"),
            ));
        }
    }
    if let Some(fp) = limit_fp {
        let max = i64::try_from(MAX_CONTRACTS_LIMIT).unwrap_or(i64::MAX) * 100;
        if !(100..=max).contains(&fp.hundredths()) {
            return Err(Error::invalid(
                "contracts_limit_fp",
                format!("{fp} is outside 1.00..=1000000.00"),
            ));
        }
    }
    match (limit, limit_fp) {
        (None, None) => Err(Error::invalid(
            "contracts_limit",
            "give contracts_limit or contracts_limit_fp",
        )),
        (Some(l), Some(fp))
            if i64::try_from(l).ok().map(FixedPointCount::from_whole) != Some(fp) =>
        {
            Err(Error::invalid(
                "contracts_limit_fp",
                format!("{fp} disagrees with contracts_limit {l}"),
            ))
        }
        _ => Ok(()),
    }
}
