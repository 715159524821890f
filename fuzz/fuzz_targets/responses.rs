//! Every response parser of kalshi-core, on an arbitrary status and body: never panics, and an
//! `Ok` only ever comes from a 2xx status.
//!
//! Input: 2 bytes of status (little-endian u16, mapped onto 100..=599 as `100 + v % 500`; so
//! the bytes of `status - 100` encode `status`), then the body.
#![no_main]

use http::StatusCode;
use kalshi_core::operation::Operation;
use kalshi_core::response::{ErrorResponse, parse};
use kalshi_core::{order_groups as og, orders as o, portfolio as p};
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

    if let Some(doc) = ErrorResponse::from_body(body) {
        let _ = doc.to_string();
    }
});
