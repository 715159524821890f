//! Portfolio: balance, positions, fills and settlements; funding history; transfers between
//! exchange instances; subaccounts.
//!
//! | operation | request |
//! |---|---|
//! | [`GetBalance`] | `GET /portfolio/balance` |
//! | [`GetPositions`] | `GET /portfolio/positions` |
//! | [`GetFills`] | `GET /portfolio/fills` |
//! | [`GetSettlements`] | `GET /portfolio/settlements` |
//! | [`GetPortfolioRestingOrderTotalValue`] | `GET /portfolio/summary/total_resting_order_value` |
//! | [`GetDeposits`] | `GET /portfolio/deposits` |
//! | [`GetWithdrawals`] | `GET /portfolio/withdrawals` |
//! | [`GetTargetBalanceAllocation`] | `GET /portfolio/target_balance_allocation` |
//! | [`SetTargetBalanceAllocation`] | `POST /portfolio/target_balance_allocation` |
//! | [`IntraExchangeInstanceTransfer`] | `POST /portfolio/intra_exchange_instance_transfer` |
//! | [`GetIntraExchangeInstanceTransfers`] | `GET /portfolio/intra_exchange_instance_transfers` |
//! | [`GetIntraExchangeInstanceTransfer`] | `GET /portfolio/intra_exchange_instance_transfers/{transfer_id}` |
//! | [`CreateSubaccount`] | `POST /portfolio/subaccounts` |
//! | [`GetSubaccountBalances`] | `GET /portfolio/subaccounts/balances` |
//! | [`ApplySubaccountTransfer`] | `POST /portfolio/subaccounts/transfer` |
//! | [`GetSubaccountTransfers`] | `GET /portfolio/subaccounts/transfers` |
//! | [`ApplySubaccountPositionTransfer`] | `POST /portfolio/subaccounts/positions/transfer` |
//! | [`GetSubaccountNetting`] | `GET /portfolio/subaccounts/netting` |
//! | [`UpdateSubaccountNetting`] | `PUT /portfolio/subaccounts/netting` |
//! | [`LockSubaccountForSettlementAdvance`] | `PUT /portfolio/subaccounts/settlement-advance-lock` |
//! | [`UnlockSubaccountForSettlementAdvance`] | `DELETE /portfolio/subaccounts/settlement-advance-lock` |
//!
//! Money: `*_dollars` and dollar amounts are [`crate::FixedPointDollars`]; `*_cents` and other
//! legacy amounts are integer cents (`i64`), except [`IntraExchangeInstanceTransfer::amount`],
//! which the exchange takes in centicents (1/10,000 of a dollar).

mod allocation;
mod balance;
mod fills;
mod funding;
mod intra_exchange_instance_transfers;
mod positions;
mod settlements;
mod subaccounts;
mod summary;

pub use allocation::{
    GetTargetBalanceAllocation, GetTargetBalanceAllocationResponse, SetTargetBalanceAllocation,
    TargetBalanceAllocation,
};
pub use balance::{GetBalance, GetBalanceResponse, IndexedBalance};
pub use fills::{Fill, GetFills, GetFillsResponse};
pub use funding::{
    Deposit, FundingStatus, GetDeposits, GetDepositsResponse, GetWithdrawals,
    GetWithdrawalsResponse, PaymentType, Withdrawal,
};
pub use intra_exchange_instance_transfers::{
    ExchangeInstance, GetIntraExchangeInstanceTransfer, GetIntraExchangeInstanceTransferResponse,
    GetIntraExchangeInstanceTransfers, GetIntraExchangeInstanceTransfersResponse,
    IntraExchangeInstanceTransfer, IntraExchangeInstanceTransferRecord,
    IntraExchangeInstanceTransferResponse, IntraExchangeInstanceTransferStatus,
};
pub use positions::{EventPosition, GetPositions, GetPositionsResponse, MarketPosition};
pub use settlements::{GetSettlements, GetSettlementsResponse, MarketResult, Settlement};
pub use subaccounts::{
    ApplySubaccountPositionTransfer, ApplySubaccountPositionTransferResponse,
    ApplySubaccountTransfer, CreateSubaccount, CreateSubaccountResponse, GetSubaccountBalances,
    GetSubaccountBalancesResponse, GetSubaccountNetting, GetSubaccountNettingResponse,
    GetSubaccountTransfers, GetSubaccountTransfersResponse, LockSubaccountForSettlementAdvance,
    LockSubaccountForSettlementAdvanceResponse, SubaccountBalance, SubaccountNettingConfig,
    SubaccountTransfer, UnlockSubaccountForSettlementAdvance, UpdateSubaccountNetting,
    new_client_transfer_id,
};
pub use summary::{GetPortfolioRestingOrderTotalValue, GetPortfolioRestingOrderTotalValueResponse};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    let mut cases = crate::spec_drift::spec_cases![
        GetBalance,
        GetPositions,
        GetFills,
        GetSettlements,
        GetDeposits,
        GetWithdrawals,
        GetPortfolioRestingOrderTotalValue,
        GetTargetBalanceAllocation,
        SetTargetBalanceAllocation,
        IntraExchangeInstanceTransfer,
        GetIntraExchangeInstanceTransfers,
        GetIntraExchangeInstanceTransfer
    ];
    cases.extend(subaccounts::spec_cases());
    cases
}
