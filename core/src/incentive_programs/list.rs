//! `GET /incentive_programs`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty, time};
use crate::{Error, FixedPointCount, validate};

/// The largest page [`GetIncentivePrograms`] accepts.
pub const MAX_INCENTIVE_PROGRAMS_LIMIT: u32 = 10_000;

string_enum! {
    /// The kind of an incentive program (`incentive_type`).
    IncentiveType {
        /// Rewards resting liquidity.
        Liquidity = "liquidity",
        /// Rewards traded volume.
        Volume = "volume",
        /// Rewards maker volume on margined contracts.
        MarginMakerVolume = "margin_maker_volume",
    }
}

string_enum! {
    /// The `status` filter of [`GetIncentivePrograms`] (default `all`).
    IncentiveStatusFilter {
        /// Every program.
        All = "all",
        /// Running now.
        Active = "active",
        /// Not started yet.
        Upcoming = "upcoming",
        /// Ended.
        Closed = "closed",
        /// Ended and paid out.
        PaidOut = "paid_out",
    }
}

string_enum! {
    /// The `type` filter of [`GetIncentivePrograms`] (default `all`).
    IncentiveTypeFilter {
        /// Every kind.
        All = "all",
        /// Liquidity programs.
        Liquidity = "liquidity",
        /// Volume programs.
        Volume = "volume",
        /// Margined maker-volume programs.
        MarginMakerVolume = "margin_maker_volume",
    }
}

/// An incentive program on one market (`IncentiveProgram`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IncentiveProgram {
    /// The program's id.
    pub id: String,
    /// The market's id. The docs require it, but the changelog (August 2026) says fields that
    /// do not apply to margined maker-volume programs are omitted: `None` then.
    #[serde(default)]
    pub market_id: Option<String>,
    /// The market's ticker (`None` when omitted, as `market_id`).
    #[serde(default)]
    pub market_ticker: Option<String>,
    /// The kind of program.
    pub incentive_type: IncentiveType,
    /// Its description, in plain text.
    pub incentive_description: String,
    /// When it starts.
    #[serde(deserialize_with = "time")]
    pub start_date: jiff::Timestamp,
    /// When it ends.
    #[serde(deserialize_with = "time")]
    pub end_date: jiff::Timestamp,
    /// The total reward for the period, in centi-cents.
    pub period_reward: i64,
    /// Whether it has been paid out.
    pub paid_out: bool,
    /// The discount factor in basis points, if any.
    #[serde(default)]
    pub discount_factor_bps: Option<i32>,
    /// The target size, if any.
    #[serde(default)]
    pub target_size_fp: Option<FixedPointCount>,
    /// The most one account can earn, in centi-cents, if capped.
    #[serde(default)]
    pub max_reward_per_account: Option<i64>,
}

/// Lists incentive programs with filters, a page at a time (`GetIncentivePrograms`). See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetIncentivePrograms {
    /// Only programs in this state (default `all`).
    pub status: Option<IncentiveStatusFilter>,
    /// Only programs of this kind (default `all`; the API's `type`).
    pub incentive_type: Option<IncentiveTypeFilter>,
    /// Only programs with exactly this description.
    pub incentive_description: Option<String>,
    /// Page size, 1..=10000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetIncentivePrograms {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetIncentivePrograms {
    /// Only programs in this state.
    status: IncentiveStatusFilter,
    /// Only programs of this kind (the API's `type`).
    incentive_type: IncentiveTypeFilter,
    /// Only programs with exactly this description.
    incentive_description: String,
}}

crate::pagination::cursor_list!(GetIncentivePrograms [limit: limit, next: next_cursor]
    => GetIncentiveProgramsResponse.incentive_programs: IncentiveProgram);

/// One page of [`GetIncentivePrograms`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetIncentiveProgramsResponse {
    /// The programs on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub incentive_programs: Vec<IncentiveProgram>,
    /// The cursor of the next page (this list's name for it); `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub next_cursor: Option<String>,
}

impl Operation for GetIncentivePrograms {
    type Output = GetIncentiveProgramsResponse;
    const NAME: &'static str = "GetIncentivePrograms";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, MAX_INCENTIVE_PROGRAMS_LIMIT)?;
        if let Some(IncentiveStatusFilter::Unknown(s)) = &self.status {
            return Err(Error::invalid(
                "status",
                format!("{s:?} is not one of all, active, upcoming, closed, paid_out"),
            ));
        }
        if let Some(IncentiveTypeFilter::Unknown(s)) = &self.incentive_type {
            return Err(Error::invalid(
                "type",
                format!("{s:?} is not one of all, liquidity, volume, margin_maker_volume"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/incentive_programs");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("status", self.status.as_ref())
            .opt("type", self.incentive_type.as_ref())
            .opt(
                "incentive_description",
                self.incentive_description.as_deref(),
            )
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetIncentivePrograms {
    fn full() -> Self {
        GetIncentivePrograms::new()
            .status(IncentiveStatusFilter::Active)
            .incentive_type(IncentiveTypeFilter::Liquidity)
            .incentive_description("Liquidity incentive")
            .limit(100)
            .cursor("abc")
    }
    fn minimal() -> Self {
        GetIncentivePrograms::new()
    }
}
