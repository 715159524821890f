//! The answers to commands (`subscribed`, `ok`, the subscription list) and `error`.

use serde::{Deserialize, Serialize};

use crate::stream::Channel;
use crate::stream::command::Sid;

/// The payload of `subscribed`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubscribedMessage {
    /// The channel subscribed to.
    pub channel: Channel,
    /// The new subscription's id.
    pub sid: Sid,
}

/// The payload of `ok` answering `update_subscription`: the subscription's markets after the
/// update (absent with `skip_ticker_ack`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OkMessage {
    /// The subscription's markets by ticker.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub market_tickers: Vec<String>,
    /// The subscription's markets by id.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub market_ids: Vec<String>,
}

/// One entry of the `list_subscriptions` answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubscriptionInfo {
    /// The channel.
    pub channel: Channel,
    /// The subscription's id.
    pub sid: Sid,
}

/// The payload of `error`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ErrorMessage {
    /// The numeric code (see [`ErrorCode`]).
    pub code: u32,
    /// The exchange's text.
    #[serde(default)]
    pub msg: String,
    /// The market the error is about, when it names one.
    #[serde(default)]
    pub market_ticker: Option<String>,
    /// The market id the error is about, when it names one.
    #[serde(default)]
    pub market_id: Option<String>,
}

impl ErrorMessage {
    /// The code as a known [`ErrorCode`] (`Other` for a code this client does not know).
    pub fn kind(&self) -> ErrorCode {
        ErrorCode::from_code(self.code)
    }
}

/// The documented error codes of the stream API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 1: general processing error.
    UnableToProcessMessage,
    /// 2: the command has no `params`.
    ParamsRequired,
    /// 3: `subscribe` without `channels`.
    ChannelsRequired,
    /// 4: `unsubscribe` without `sids`.
    SubscriptionIdsRequired,
    /// 5: unknown command.
    UnknownCommand,
    /// 6: already subscribed.
    AlreadySubscribed,
    /// 7: unknown subscription id.
    UnknownSubscriptionId,
    /// 8: unknown channel name.
    UnknownChannelName,
    /// 9: the channel needs an authenticated connection.
    AuthenticationRequired,
    /// 10: a channel-specific error (terminal for the subscription).
    ChannelError,
    /// 11: a parameter is malformed.
    InvalidParameter,
    /// 12: `update_subscription` needs exactly one subscription id.
    ExactlyOneSubscriptionIdRequired,
    /// 13: unsupported `update_subscription` action.
    UnsupportedAction,
    /// 14: a market is required.
    MarketTickerRequired,
    /// 15: `update_subscription` without `action`.
    ActionRequired,
    /// 16: market not found.
    MarketNotFound,
    /// 17: the exchange failed internally.
    InternalError,
    /// 18: the exchange timed out processing the command.
    CommandTimeout,
    /// 19: `shard_factor` must be > 0.
    ShardFactorMustBePositive,
    /// 20: `shard_factor` is required with `shard_key`.
    ShardFactorRequired,
    /// 21: `shard_key` must be in `0..shard_factor`.
    ShardKeyOutOfRange,
    /// 22: `shard_factor` must be <= 100.
    ShardFactorTooLarge,
    /// 23: the channel or action needs `match_ids`.
    MatchIdsRequired,
    /// 24: `subscribe_indices`/`unsubscribe_indices` on `cfbenchmarks_value` without
    /// `index_ids`.
    IndexIdsRequired,
    /// 25: the subscription's outbound buffer overflowed during a burst (messages were lost:
    /// resubscribe, and take a new snapshot where the channel has one).
    SubscriptionBufferOverflow,
    /// 26: adding the markets would exceed the per-subscription market limit.
    SubscriptionMarketLimitExceeded,
    /// 27: the subscription exceeded its command rate limit.
    TooManyRequests,
    /// 28: `subscribe_underlyings`/`unsubscribe_underlyings` on `pyth_value` without
    /// `underlying_tickers`.
    UnderlyingTickersRequired,
    /// A code this client does not know.
    Other(u32),
}

impl ErrorCode {
    /// The code's meaning.
    pub fn from_code(code: u32) -> Self {
        use ErrorCode::*;
        match code {
            1 => UnableToProcessMessage,
            2 => ParamsRequired,
            3 => ChannelsRequired,
            4 => SubscriptionIdsRequired,
            5 => UnknownCommand,
            6 => AlreadySubscribed,
            7 => UnknownSubscriptionId,
            8 => UnknownChannelName,
            9 => AuthenticationRequired,
            10 => ChannelError,
            11 => InvalidParameter,
            12 => ExactlyOneSubscriptionIdRequired,
            13 => UnsupportedAction,
            14 => MarketTickerRequired,
            15 => ActionRequired,
            16 => MarketNotFound,
            17 => InternalError,
            18 => CommandTimeout,
            19 => ShardFactorMustBePositive,
            20 => ShardFactorRequired,
            21 => ShardKeyOutOfRange,
            22 => ShardFactorTooLarge,
            23 => MatchIdsRequired,
            24 => IndexIdsRequired,
            25 => SubscriptionBufferOverflow,
            26 => SubscriptionMarketLimitExceeded,
            27 => TooManyRequests,
            28 => UnderlyingTickersRequired,
            other => Other(other),
        }
    }

    /// True when retrying the same command later may succeed (internal error, timeout, too
    /// many requests).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorCode::InternalError | ErrorCode::CommandTimeout | ErrorCode::TooManyRequests
        )
    }
}
