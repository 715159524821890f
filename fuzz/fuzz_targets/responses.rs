//! Every response parser of kalshi-core, on an arbitrary status and body: never panics, and an
//! `Ok` only ever comes from a 2xx status; the fast readers of market data (order book, market
//! pages, one market) agree with serde.
//!
//! Input: 2 bytes of status (little-endian u16, mapped onto 100..=599 as `100 + v % 500`; so
//! the bytes of `status - 100` encode `status`), then the body.
#![no_main]

use http::StatusCode;
use kalshi_core::operation::Operation;
use kalshi_core::response::{ErrorResponse, parse};
use kalshi_core::{
    account as a, api_keys as k, events as ev, exchange as ex, historical as h, market as m,
    order_groups as og, orders as o, portfolio as p,
};
use libfuzzer_sys::fuzz_target;

fn check<O: Operation>(status: StatusCode, body: &[u8])
where
    O::Output: std::fmt::Debug,
{
    match parse::<O>(status, body) {
        Ok(out) => {
            assert!(
                status.is_success(),
                "{} accepted a {status} answer",
                O::NAME
            );
            // Debug of the parsed value must not panic either.
            let _ = format!("{out:?}");
        }
        Err(e) => {
            // The error's Display (bounded body, error document, truncation) must not panic.
            let _ = e.to_string();
            let _ = format!("{e:?}");
        }
    }
}

/// `parse::<O>` (which tries the operation's fast reader first) reads `body` only as serde
/// does.
fn agrees_with_serde<O: Operation>(status: StatusCode, body: &[u8])
where
    O::Output: std::fmt::Debug + PartialEq + serde::de::DeserializeOwned,
{
    if let Ok(fast) = parse::<O>(status, body) {
        let general = serde_json::from_slice::<O::Output>(body);
        assert_eq!(Some(fast), general.ok(), "{}", O::NAME);
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let status = StatusCode::from_u16(status).expect("100..=599 is a valid status");
    let body = &data[2..];

    // Order groups.
    check::<og::CreateOrderGroup>(status, body);
    check::<og::GetOrderGroups>(status, body);
    check::<og::GetOrderGroup>(status, body);
    check::<og::DeleteOrderGroup>(status, body);
    check::<og::ResetOrderGroup>(status, body);
    check::<og::TriggerOrderGroup>(status, body);
    check::<og::UpdateOrderGroupLimit>(status, body);
    // Orders.
    check::<o::CreateOrder>(status, body);
    check::<o::CancelOrder>(status, body);
    check::<o::CancelAllOrders>(status, body);
    check::<o::AmendOrder>(status, body);
    check::<o::DecreaseOrder>(status, body);
    check::<o::BatchCreateOrders>(status, body);
    check::<o::BatchCancelOrders>(status, body);
    check::<o::GetOrder>(status, body);
    check::<o::GetOrders>(status, body);
    check::<o::GetOrderQueuePosition>(status, body);
    check::<o::GetOrderQueuePositions>(status, body);
    // Portfolio.
    check::<p::GetBalance>(status, body);
    check::<p::GetPositions>(status, body);
    check::<p::GetFills>(status, body);
    check::<p::GetSettlements>(status, body);
    check::<p::GetPortfolioRestingOrderTotalValue>(status, body);
    check::<p::GetDeposits>(status, body);
    check::<p::GetWithdrawals>(status, body);
    check::<p::GetTargetBalanceAllocation>(status, body);
    check::<p::SetTargetBalanceAllocation>(status, body);
    check::<p::IntraExchangeInstanceTransfer>(status, body);
    check::<p::GetIntraExchangeInstanceTransfers>(status, body);
    check::<p::GetIntraExchangeInstanceTransfer>(status, body);
    check::<p::CreateSubaccount>(status, body);
    check::<p::GetSubaccountBalances>(status, body);
    check::<p::ApplySubaccountTransfer>(status, body);
    check::<p::GetSubaccountTransfers>(status, body);
    check::<p::ApplySubaccountPositionTransfer>(status, body);
    check::<p::GetSubaccountNetting>(status, body);
    check::<p::UpdateSubaccountNetting>(status, body);
    check::<p::LockSubaccountForSettlementAdvance>(status, body);
    check::<p::UnlockSubaccountForSettlementAdvance>(status, body);
    // Market data.
    check::<m::GetMarkets>(status, body);
    check::<m::GetMarket>(status, body);
    check::<m::GetMarketOrderbook>(status, body);
    check::<m::GetMarketOrderbooks>(status, body);
    check::<m::GetTrades>(status, body);
    check::<m::GetMarketCandlesticks>(status, body);
    check::<m::BatchGetMarketCandlesticks>(status, body);
    check::<m::GetSeries>(status, body);
    check::<m::GetSeriesList>(status, body);
    // Events.
    check::<ev::GetEvents>(status, body);
    check::<ev::GetEventFeeChanges>(status, body);
    check::<ev::GetMultivariateEvents>(status, body);
    check::<ev::GetEvent>(status, body);
    check::<ev::GetEventMetadata>(status, body);
    check::<ev::GetMarketCandlesticksByEvent>(status, body);
    check::<ev::GetEventForecastPercentilesHistory>(status, body);
    // Exchange.
    check::<ex::GetExchangeStatus>(status, body);
    check::<ex::GetExchangeSchedule>(status, body);
    check::<ex::GetUserDataTimestamp>(status, body);
    check::<ex::GetSeriesFeeChanges>(status, body);
    // Account.
    check::<a::GetAccountApiLimits>(status, body);
    check::<a::GetPerpsAccountApiLimits>(status, body);
    check::<a::GetAccountEndpointCosts>(status, body);
    check::<a::GetAccountApiUsageLevelVolumeProgress>(status, body);
    check::<a::UpgradeAccountApiUsageLevel>(status, body);
    // API keys.
    check::<k::GetApiKeys>(status, body);
    check::<k::CreateApiKey>(status, body);
    check::<k::GenerateApiKey>(status, body);
    check::<k::DeleteApiKey>(status, body);
    // Historical.
    check::<h::GetHistoricalCutoff>(status, body);
    check::<h::GetHistoricalMarkets>(status, body);
    check::<h::GetHistoricalMarket>(status, body);
    check::<h::GetMarketCandlesticksHistorical>(status, body);
    check::<h::GetTradesHistorical>(status, body);
    check::<h::GetFillsHistorical>(status, body);
    check::<h::GetHistoricalOrders>(status, body);
    check::<h::GetHistoricalPositions>(status, body);
    // The fast readers (order book, market pages, one market) answer exactly what serde reads:
    // whenever the operation reads a body, serde reads the same value from it.
    if status.is_success() {
        agrees_with_serde::<m::GetMarketOrderbook>(status, body);
        agrees_with_serde::<m::GetMarkets>(status, body);
        agrees_with_serde::<m::GetMarket>(status, body);
    }

    if let Some(doc) = ErrorResponse::from_body(body) {
        let _ = doc.to_string();
    }
});
