//! Checks on caller input shared by several operations. Each refuses with
//! [`Error::InvalidInput`] naming the field in the API's words.

use crate::{Error, ExchangeIndex, FixedPointCount, FixedPointDollars};

/// The highest subaccount number (0 is the primary account).
pub(crate) const MAX_SUBACCOUNT: u32 = 63;

/// A subaccount number, when given, is 0..=63.
pub(crate) fn subaccount(subaccount: Option<u32>) -> Result<(), Error> {
    match subaccount {
        Some(s) if s > MAX_SUBACCOUNT => Err(Error::invalid(
            "subaccount",
            format!("{s} is outside 0..=63 (0 is the primary account)"),
        )),
        _ => Ok(()),
    }
}

/// An order write's exchange index, when given: -1 (auto-route) or a shard number
/// (`0..=i32::MAX`).
pub(crate) fn exchange_index(index: Option<ExchangeIndex>) -> Result<(), Error> {
    match index {
        Some(i) if !i.valid_in_request(true) => Err(Error::invalid(
            "exchange_index",
            format!("{i} is neither -1 (auto-route) nor a shard number 0..=2147483647"),
        )),
        _ => Ok(()),
    }
}

/// A shard number, when given (order groups, read filters): `0..=i32::MAX`, no auto-route.
pub(crate) fn exchange_shard(index: Option<ExchangeIndex>) -> Result<(), Error> {
    match index {
        Some(i) if !i.valid_in_request(false) => Err(Error::invalid(
            "exchange_index",
            format!("{i} is not a shard number 0..=2147483647 (auto-route is for order writes)"),
        )),
        _ => Ok(()),
    }
}

/// A required, non-empty string without control characters.
pub(crate) fn non_empty(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// A count of contracts that must be positive.
pub(crate) fn positive_count(field: &'static str, count: FixedPointCount) -> Result<(), Error> {
    if count.hundredths() <= 0 {
        return Err(Error::invalid(
            field,
            format!("{count} is not a positive count"),
        ));
    }
    Ok(())
}

/// A binary-market price: strictly between $0 and $1, at most 4 decimals.
pub(crate) fn price(field: &'static str, price: FixedPointDollars) -> Result<(), Error> {
    if price <= FixedPointDollars::ZERO || price >= FixedPointDollars::ONE {
        return Err(Error::invalid(
            field,
            format!("{price} is outside the open range 0 to 1 dollar"),
        ));
    }
    if price.decimals() > 4 {
        return Err(Error::invalid(
            field,
            format!("{price} has more than 4 decimals"),
        ));
    }
    Ok(())
}

/// A list limit within 1..=`max`.
pub(crate) fn page_limit(limit: Option<u32>, max: u32) -> Result<(), Error> {
    match limit {
        Some(l) if l == 0 || l > max => {
            Err(Error::invalid("limit", format!("{l} is outside 1..={max}")))
        }
        _ => Ok(()),
    }
}
