//! Subaccounts: numbered 1–63 beside the primary account 0, with cash and position transfers
//! between them, netting settings and the settlement advance lock.

mod balances;
mod create;
mod netting;
mod position_transfer;
mod settlement_advance_lock;
mod transfers;

pub use balances::{GetSubaccountBalances, GetSubaccountBalancesResponse, SubaccountBalance};
pub use create::{CreateSubaccount, CreateSubaccountResponse};
pub use netting::{
    GetSubaccountNetting, GetSubaccountNettingResponse, SubaccountNettingConfig,
    UpdateSubaccountNetting,
};
pub use position_transfer::{
    ApplySubaccountPositionTransfer, ApplySubaccountPositionTransferResponse,
};
pub use settlement_advance_lock::{
    LockSubaccountForSettlementAdvance, LockSubaccountForSettlementAdvanceResponse,
    UnlockSubaccountForSettlementAdvance,
};
pub use transfers::{
    ApplySubaccountTransfer, GetSubaccountTransfers, GetSubaccountTransfersResponse,
    SubaccountTransfer,
};

use crate::Error;
use crate::validate::MAX_SUBACCOUNT;

/// A fresh random transfer idempotency key (a UUID v4 string such as
/// `8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1`), as [`ApplySubaccountTransfer::new`] and
/// [`ApplySubaccountPositionTransfer::new`] generate.
pub fn new_client_transfer_id() -> String {
    crate::orders::new_client_order_id()
}

/// A required subaccount number: 0 (primary) or 1–63.
fn subaccount_number(field: &'static str, n: u32) -> Result<(), Error> {
    if n > MAX_SUBACCOUNT {
        return Err(Error::invalid(
            field,
            format!("{n} is outside 0..=63 (0 is the primary account)"),
        ));
    }
    Ok(())
}

/// A documented `format: uuid` key: 8-4-4-4-12 hexadecimal digits.
fn uuid(field: &'static str, id: &str) -> Result<(), Error> {
    let b = id.as_bytes();
    let shape_ok = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    if shape_ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            "must be a UUID (8-4-4-4-12 hexadecimal digits)",
        ))
    }
}

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        CreateSubaccount,
        ApplySubaccountTransfer,
        GetSubaccountTransfers,
        GetSubaccountBalances,
        GetSubaccountNetting,
        UpdateSubaccountNetting,
        ApplySubaccountPositionTransfer,
        LockSubaccountForSettlementAdvance,
        UnlockSubaccountForSettlementAdvance
    ]
}
