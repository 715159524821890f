//! `POST /fcm/positions/transfers`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::valid_suffix;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::{Error, validate};

/// The highest `price_centicents` ($1).
const MAX_PRICE_CENTICENTS: u32 = 10_000;

/// Moves a position in one market from one of the FCM's subtraders to a subtrader under the
/// FCM's error account (`CreateFcmPositionTransfer`). Answers `201` with the transfer's id
/// (keep it: no endpoint lists past transfers). Kalshi must enable it for the FCM first (until
/// then: 400).
///
/// The transfer is booked like a trade at `price_centicents`, always the YES price (even when
/// moving NO), with no fee and no fill: for YES the error account pays the price per contract,
/// for NO $1 minus it, and the FCM receives the same. `0` (YES) or `10000` (NO) moves no cash.
/// The source's position is not checked: moving more than it holds flips or grows it. The
/// market must be open, neither account blocked, and the error account able to pay (else 409).
///
/// Not idempotent: after a timeout or a 5xx, check the positions before sending it again.
///
/// ```
/// use kalshi_core::fcm::CreateFcmPositionTransfer;
/// // 10 YES at 45 cents from a customer to the error account's subtrader `errs1`.
/// let op = CreateFcmPositionTransfer::new("fcm1_alice", "fcmerr_errs1", "KXHIGHNY-26DEC06-B45.5", 1000, 4500);
/// assert_eq!(op.position_centicount, 1000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateFcmPositionTransfer {
    /// The subtrader giving up the position (its full id, as [`super::ListFcmSubtraders`]
    /// lists it).
    pub source_subtrader_id: String,
    /// The subtrader under the error account receiving it: `{error_account_id}_{suffix}`, the
    /// suffix 1 to 16 ASCII letters and digits; created if it does not exist.
    pub target_subtrader_id: String,
    /// The market whose position moves.
    pub market_ticker: String,
    /// Contracts to move in hundredths (contracts × 100), a non-zero whole number of
    /// contracts: positive moves YES, negative moves NO (`1000` is 10 YES, `-500` 5 NO).
    pub position_centicount: i64,
    /// The YES price per contract in hundredths of a cent, in whole cents: 0..=10000 (`4500`
    /// is 45 cents).
    pub price_centicents: u32,
}

impl CreateFcmPositionTransfer {
    /// Moves `position_centicount` (hundredths of contracts; negative for NO) of
    /// `market_ticker` from `source_subtrader_id` to `target_subtrader_id` at the YES price
    /// `price_centicents`.
    pub fn new(
        source_subtrader_id: impl Into<String>,
        target_subtrader_id: impl Into<String>,
        market_ticker: impl Into<String>,
        position_centicount: i64,
        price_centicents: u32,
    ) -> Self {
        CreateFcmPositionTransfer {
            source_subtrader_id: source_subtrader_id.into(),
            target_subtrader_id: target_subtrader_id.into(),
            market_ticker: market_ticker.into(),
            position_centicount,
            price_centicents,
        }
    }
}

/// The answer to [`CreateFcmPositionTransfer`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateFcmPositionTransferResponse {
    /// The executed transfer's id.
    pub position_transfer_id: String,
}

impl Operation for CreateFcmPositionTransfer {
    type Output = CreateFcmPositionTransferResponse;
    const NAME: &'static str = "CreateFcmPositionTransfer";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("source_subtrader_id", &self.source_subtrader_id)?;
        let target_ok = self
            .target_subtrader_id
            .rsplit_once('_')
            .is_some_and(|(account, suffix)| !account.is_empty() && valid_suffix(suffix));
        if !target_ok {
            return Err(Error::invalid(
                "target_subtrader_id",
                format!(
                    "{:?} is not {{error_account_id}}_{{suffix}} with a suffix of 1 to 16 ASCII letters and digits",
                    self.target_subtrader_id
                ),
            ));
        }
        validate::non_empty("market_ticker", &self.market_ticker)?;
        let c = self.position_centicount;
        if c == 0 || c % 100 != 0 {
            return Err(Error::invalid(
                "position_centicount",
                format!("{c} is not a non-zero whole number of contracts (a multiple of 100)"),
            ));
        }
        let p = self.price_centicents;
        if p > MAX_PRICE_CENTICENTS || !p.is_multiple_of(100) {
            return Err(Error::invalid(
                "price_centicents",
                format!("{p} is not a whole number of cents in 0..=10000"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/positions/transfers");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateFcmPositionTransfer {
    fn full() -> Self {
        CreateFcmPositionTransfer::new(
            "fcm1_alice",
            "fcmerr_errs1",
            "KXHIGHNY-26DEC06-B45.5",
            1000,
            4500,
        )
    }
    fn minimal() -> Self {
        Self::full()
    }
}
