//! FCM: the operations of futures commission merchants (FCM members) over their subtraders:
//! their orders, positions and fills, creating subtraders, blocking event categories, daily
//! premium caps, and moving positions to the FCM's error account.
//!
//! | operation | request |
//! |---|---|
//! | [`GetFcmFills`] | `GET /fcm/fills` |
//! | [`GetFCMOrders`] | `GET /fcm/orders` |
//! | [`GetFCMPositions`] | `GET /fcm/positions` |
//! | [`CreateFcmPositionTransfer`] | `POST /fcm/positions/transfers` |
//! | [`ListFcmSubtraders`] | `GET /fcm/subtraders` |
//! | [`CreateFcmSubtrader`] | `POST /fcm/subtraders` |
//! | [`GetFcmSubtraderBlockedCategories`] | `GET /fcm/subtraders/blocked_categories` |
//! | [`UpdateFcmSubtraderBlockedCategories`] | `PUT /fcm/subtraders/blocked_categories` |
//! | [`DeleteFcmEventContractDailyCap`] | `DELETE /fcm/subtraders/event_contract_daily_cap` |
//! | [`GetFcmEventContractDailyCap`] | `GET /fcm/subtraders/event_contract_daily_cap` |
//! | [`UpdateFcmEventContractDailyCap`] | `PUT /fcm/subtraders/event_contract_daily_cap` |
//!
//! Every one needs a key with FCM member access (others are answered 403). Only
//! [`GetFCMOrders`] and [`GetFCMPositions`] are in the June 2026 docs; the others follow
//! Kalshi's official SDK 3.34.0. FCM orders and positions are the portfolio's records
//! ([`Order`](crate::orders::Order), [`MarketPosition`](crate::portfolio::MarketPosition),
//! [`EventPosition`](crate::portfolio::EventPosition)).

mod blocked_categories;
mod daily_cap;
mod fills;
mod orders;
mod subtraders;
mod transfers;

pub use blocked_categories::{
    GetFcmSubtraderBlockedCategories, GetFcmSubtraderBlockedCategoriesResponse, MAX_CATEGORY_LEN,
    UpdateFcmSubtraderBlockedCategories, UpdateFcmSubtraderBlockedCategoriesResponse,
};
pub use daily_cap::{
    DeleteFcmEventContractDailyCap, GetFcmEventContractDailyCap,
    GetFcmEventContractDailyCapResponse, UpdateFcmEventContractDailyCap,
};
pub use fills::{FcmFill, GetFcmFills, GetFcmFillsResponse};
pub use orders::{GetFCMOrders, GetFCMPositions, SettlementStatusFilter};
pub use subtraders::{
    CreateFcmSubtrader, CreateFcmSubtraderResponse, FcmSubtrader, ListFcmSubtraders,
    ListFcmSubtradersResponse, MAX_SUBTRADER_SUFFIX_LEN,
};
pub use transfers::{CreateFcmPositionTransfer, CreateFcmPositionTransferResponse};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetFcmFills,
        GetFCMOrders,
        GetFCMPositions,
        CreateFcmPositionTransfer,
        ListFcmSubtraders,
        CreateFcmSubtrader,
        GetFcmSubtraderBlockedCategories,
        UpdateFcmSubtraderBlockedCategories,
        DeleteFcmEventContractDailyCap,
        GetFcmEventContractDailyCap,
        UpdateFcmEventContractDailyCap,
    ]
}

/// A suffix of a subtrader id: 1 to 16 ASCII letters and digits.
pub(crate) fn valid_suffix(s: &str) -> bool {
    (1..=MAX_SUBTRADER_SUFFIX_LEN).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
}
