//! `GET /portfolio/deposits` and `GET /portfolio/withdrawals`: the member's funding history.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

string_enum! {
    /// Where a deposit or withdrawal stands (`status` of a [`Deposit`] or [`Withdrawal`]).
    FundingStatus {
        /// Not processed yet.
        Pending = "pending",
        /// Applied: a deposit is in the balance, a withdrawal has left it.
        Applied = "applied",
        /// Failed.
        Failed = "failed",
        /// Returned by the bank or payment provider.
        Returned = "returned",
    }
}

string_enum! {
    /// The payment method of a deposit or withdrawal (`type`).
    PaymentType {
        /// ACH bank transfer.
        Ach = "ach",
        /// Wire transfer.
        Wire = "wire",
        /// Crypto.
        Crypto = "crypto",
        /// Debit card.
        Debit = "debit",
        /// Alternative payment method.
        Apm = "apm",
    }
}

/// One deposit (`Deposit`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Deposit {
    /// The deposit's id.
    pub id: String,
    /// Its status (`applied`: the funds are in the balance).
    pub status: FundingStatus,
    /// The payment method (the API's `type`).
    #[serde(rename = "type")]
    pub payment_type: PaymentType,
    /// The amount in cents.
    pub amount_cents: i64,
    /// The fee charged in cents.
    pub fee_cents: i64,
    /// Unix time (seconds) it was created.
    pub created_ts: i64,
    /// Unix time (seconds) it was finalized (applied, failed or returned); `None` while pending.
    #[serde(default)]
    pub finalized_ts: Option<i64>,
}

/// One withdrawal (`Withdrawal`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Withdrawal {
    /// The withdrawal's id.
    pub id: String,
    /// Its status (`applied`: the funds have left the balance).
    pub status: FundingStatus,
    /// The payment method (the API's `type`).
    #[serde(rename = "type")]
    pub payment_type: PaymentType,
    /// The amount in cents.
    pub amount_cents: i64,
    /// The fee charged in cents.
    pub fee_cents: i64,
    /// Unix time (seconds) it was created.
    pub created_ts: i64,
    /// Unix time (seconds) it was finalized (applied, failed or returned); `None` while pending.
    #[serde(default)]
    pub finalized_ts: Option<i64>,
}

/// A funding history list: `limit` (1..=500) and `cursor` only.
macro_rules! funding_list {
    ($(#[$doc:meta])* $op:ident, $resp:ident, $items:ident: $item:ident, $path:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[non_exhaustive]
        pub struct $op {
            /// Page size, 1..=500 (default 100).
            pub limit: Option<u32>,
            /// The cursor from the previous page.
            pub cursor: Option<String>,
        }

        impl $op {
            /// The first page.
            pub fn new() -> Self {
                Self::default()
            }
        }

        crate::pagination::cursor_list!($op => $resp.$items: $item);

        #[doc = concat!("One page of [`", stringify!($op), "`].")]
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
        #[non_exhaustive]
        pub struct $resp {
            /// The entries on this page.
            #[serde(default, deserialize_with = "null_as_empty")]
            pub $items: Vec<$item>,
            /// The cursor of the next page; `None` on the last.
            #[serde(default, deserialize_with = "cursor")]
            pub cursor: Option<String>,
        }

        impl Operation for $op {
            type Output = $resp;
            const NAME: &'static str = stringify!($op);
            const METHOD: Method = Method::GET;
            const SUCCESS: StatusCode = StatusCode::OK;
            const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

            fn validate(&self) -> Result<(), Error> {
                validate::page_limit(self.limit, 500)
            }

            fn write_path(&self, path: &mut PathWriter<'_>) {
                path.literal($path);
            }

            fn write_query(&self, q: &mut QueryWriter<'_>) {
                q.opt("limit", self.limit).opt("cursor", self.cursor.as_deref());
            }
        }

        #[cfg(test)]
        impl crate::spec_drift::SpecExample for $op {
            fn full() -> Self {
                $op::new().limit(500).cursor("c1")
            }
            fn minimal() -> Self {
                $op::new()
            }
        }
    };
}

funding_list!(
    /// The member's deposit history, a page at a time (`GetDeposits`).
    GetDeposits,
    GetDepositsResponse,
    deposits: Deposit,
    "/portfolio/deposits"
);

funding_list!(
    /// The member's withdrawal history, a page at a time (`GetWithdrawals`).
    GetWithdrawals,
    GetWithdrawalsResponse,
    withdrawals: Withdrawal,
    "/portfolio/withdrawals"
);
