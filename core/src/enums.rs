//! String enums that keep values they do not know.
//!
//! The exchange adds enum values over time; a trading client must not fail to read an order
//! because its status is new. Every enum here has an `Unknown(String)` variant that keeps the
//! value as sent and writes it back unchanged.

/// Declares a string enum with an `Unknown(String)` fallback.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version of the client does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $value,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Reads a value; unknown ones are kept in `Unknown`.
            pub fn from_api(s: &str) -> Self {
                match s {
                    $($value => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor, not `Cow<str>` (whose serde impl always allocates): a known
                // value is read without allocating.
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        Ok($name::from_api(s))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// An exchange instance (lane) of the account (`ExchangeInstance`): event contracts
    /// (Predictions) or margined contracts (Perps). Used by the account limits and by
    /// intra-exchange-instance transfers.
    ExchangeInstance { /// Event contracts (Predictions).
        EventContract = "event_contract", /// Margined contracts (Perps).
        Margined = "margined" }
}

string_enum! {
    /// Side of the book (`BookSide`): `bid` buys YES, `ask` sells YES.
    BookSide { /// Buy YES.
        Bid = "bid", /// Sell YES.
        Ask = "ask" }
}

string_enum! {
    /// The outcome an order or fill is positioned for.
    OutcomeSide { /// YES.
        Yes = "yes", /// NO.
        No = "no" }
}

string_enum! {
    /// How long an order stays active.
    TimeInForce {
        /// Fill completely at once or cancel.
        FillOrKill = "fill_or_kill",
        /// Rest until canceled (or until `expiration_time`, if given).
        GoodTillCanceled = "good_till_canceled",
        /// Fill what can be filled at once, cancel the rest.
        ImmediateOrCancel = "immediate_or_cancel",
    }
}

string_enum! {
    /// What happens when an order would trade against the same user's order.
    SelfTradePreventionType {
        /// Cancel the taker order; fills already matched stand.
        TakerAtCross = "taker_at_cross",
        /// Cancel the resting maker order and keep matching.
        Maker = "maker",
    }
}

string_enum! {
    /// An order's status.
    OrderStatus { /// On the book.
        Resting = "resting", /// Canceled.
        Canceled = "canceled", /// Fully filled.
        Executed = "executed" }
}

string_enum! {
    /// The order type.
    OrderType { /// A limit order.
        Limit = "limit", /// A market order.
        Market = "market" }
}

string_enum! {
    /// Deprecated buy/sell direction, still sent by the exchange.
    Action { /// Buy.
        Buy = "buy", /// Sell.
        Sell = "sell" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept_and_written_back() {
        let s: OrderStatus = serde_json::from_str("\"pending_review\"").unwrap();
        assert_eq!(s, OrderStatus::Unknown("pending_review".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"pending_review\"");
        let k: BookSide = serde_json::from_str("\"bid\"").unwrap();
        assert_eq!(k, BookSide::Bid);
        assert_eq!(
            TimeInForce::ImmediateOrCancel.to_string(),
            "immediate_or_cancel"
        );
        assert!(serde_json::from_str::<BookSide>("3").is_err());
    }
}
