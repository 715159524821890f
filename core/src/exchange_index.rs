//! The exchange shard of an order, fill, position, balance or order group (`exchange_index`).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exchange shard, as the API's `exchange_index` integer: one type for every request and
/// response that carries it.
///
/// - **Shard numbers** are `0, 1, 2, ...`; the exchange's default is 0 ([`Default`] is shard 0).
/// - **Auto-route** ([`ExchangeIndex::AUTO_ROUTE`], the wire value `-1`) is only for order
///   writes (`CreateOrder`, `AmendOrder`, `DecreaseOrder`, `CancelOrder`, the batch forms): it asks
///   the exchange to route by the market ticker.
/// - **Anything else the exchange sends is kept as it is** ([`ExchangeIndex::get`]): a
///   response is never refused because of its shard number.
///
/// Requests are checked before signing: order writes accept `-1` or `0..=2147483647`; the
/// order-group operations and the read filters (`GetOrders`, `GetFills`, `GetPositions`,
/// `GetBalance`) accept `0..=2147483647` (the API documents the filters as `int32`, minimum 0,
/// and auto-routing only for order writes).
///
/// Written as the bare JSON integer, in bodies and queries alike; [`Display`](fmt::Display)
/// writes the same integer.
///
/// ```
/// use kalshi_core::ExchangeIndex;
/// let shard = ExchangeIndex::shard(2);
/// assert_eq!(shard.as_shard(), Some(2));
/// assert_eq!(shard.to_string(), "2");
/// assert_eq!(serde_json::to_string(&ExchangeIndex::AUTO_ROUTE)?, "-1");
/// assert!(ExchangeIndex::from(-1).is_auto_route());
/// let read: ExchangeIndex = serde_json::from_str("7")?;
/// assert_eq!(read, ExchangeIndex::shard(7));
/// let odd: ExchangeIndex = serde_json::from_str("-5")?; // kept as sent
/// assert_eq!((odd.get(), odd.as_shard()), (-5, None));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ExchangeIndex(i64);

impl ExchangeIndex {
    /// `-1`: let the exchange route an order write by its market ticker.
    pub const AUTO_ROUTE: ExchangeIndex = ExchangeIndex(-1);

    /// Shard number `index`.
    pub const fn shard(index: u32) -> Self {
        ExchangeIndex(index as i64)
    }

    /// Any value, as written on the wire (`-1` is [`AUTO_ROUTE`](Self::AUTO_ROUTE)).
    pub const fn from_raw(value: i64) -> Self {
        ExchangeIndex(value)
    }

    /// The value as written on the wire.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The shard number, when this is one (`0..=u32::MAX`); `None` for auto-route and for
    /// other negative values.
    pub const fn as_shard(self) -> Option<u32> {
        if self.0 >= 0 && self.0 <= u32::MAX as i64 {
            Some(self.0 as u32)
        } else {
            None
        }
    }

    /// True for [`AUTO_ROUTE`](Self::AUTO_ROUTE) (`-1`).
    pub const fn is_auto_route(self) -> bool {
        self.0 == -1
    }

    /// Whether a request may send this value: a shard number within `int32`, or `-1` where
    /// `auto_route` is allowed.
    pub(crate) const fn valid_in_request(self, auto_route: bool) -> bool {
        (self.0 >= 0 && self.0 <= i32::MAX as i64) || (auto_route && self.0 == -1)
    }
}

impl From<u32> for ExchangeIndex {
    /// Shard number `index`.
    fn from(index: u32) -> Self {
        ExchangeIndex::shard(index)
    }
}

impl From<i32> for ExchangeIndex {
    /// The wire value (`-1` is auto-route); lets `.exchange_index(-1)` and `.exchange_index(0)`
    /// read as in the API reference.
    fn from(value: i32) -> Self {
        ExchangeIndex(i64::from(value))
    }
}

impl fmt::Display for ExchangeIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for ExchangeIndex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for ExchangeIndex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ExchangeIndex;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer exchange_index")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ExchangeIndex(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(ExchangeIndex)
                    .map_err(|_| E::custom("exchange_index too large"))
            }
        }
        deserializer.deserialize_i64(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_wire_form() {
        assert_eq!(ExchangeIndex::default(), ExchangeIndex::shard(0));
        assert_eq!(ExchangeIndex::from(-1), ExchangeIndex::AUTO_ROUTE);
        assert_eq!(ExchangeIndex::from(3u32), ExchangeIndex::shard(3));
        assert_eq!(ExchangeIndex::AUTO_ROUTE.as_shard(), None);
        assert_eq!(ExchangeIndex::from_raw(-7).as_shard(), None);
        assert_eq!(
            ExchangeIndex::shard(u32::MAX).as_shard(),
            Some(u32::MAX),
            "every u32 is a shard"
        );
        assert_eq!(ExchangeIndex::from_raw(1 << 40).as_shard(), None);
        assert!(!ExchangeIndex::shard(0).is_auto_route());
        for (v, s) in [
            (-1i64, "-1"),
            (0, "0"),
            (12, "12"),
            (i64::MIN, "-9223372036854775808"),
        ] {
            let x = ExchangeIndex::from_raw(v);
            assert_eq!(x.to_string(), s);
            assert_eq!(serde_json::to_string(&x).unwrap(), s);
            assert_eq!(serde_json::from_str::<ExchangeIndex>(s).unwrap(), x);
        }
        // Not an integer, or beyond i64: refused (a number the client could not send back).
        for bad in ["\"1\"", "1.5", "null", "9223372036854775808", "true"] {
            assert!(serde_json::from_str::<ExchangeIndex>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn request_ranges() {
        let ok = |v: i64, auto: bool| ExchangeIndex::from_raw(v).valid_in_request(auto);
        assert!(ok(0, false) && ok(i64::from(i32::MAX), false) && ok(-1, true) && ok(5, true));
        assert!(!ok(-1, false) && !ok(-2, true) && !ok(i64::from(i32::MAX) + 1, true));
        assert!(!ok(i64::MIN, true) && !ok(i64::from(u32::MAX), false));
    }

    /// Regression (issue 9): `exchange_index` was `u32` in the order-group types and `i32` in
    /// orders, fills and positions. Every response now reads it as the one `ExchangeIndex`, and
    /// the value read from any of them goes straight back into any request.
    #[test]
    fn one_type_in_every_response_and_request() {
        use crate::Operation;
        use crate::order_groups::{
            CreateOrderGroupResponse, DeleteOrderGroup, GetOrderGroupResponse,
            GetOrderGroupsResponse,
        };
        use crate::orders::{CancelOrder, GetOrderResponse};
        use crate::portfolio::{
            GetBalanceResponse, GetFills, GetFillsResponse, GetPositionsResponse,
        };
        use serde_json::Value;

        fn with_index(fixture: &str, pointer: &str, index: Value) -> String {
            let mut doc: Value = serde_json::from_str(fixture).unwrap();
            *doc.pointer_mut(pointer).unwrap() = index;
            doc.to_string()
        }
        macro_rules! fixture {
            ($f:literal) => {
                include_str!(concat!("../testdata/responses/", $f))
            };
        }
        for (raw, want) in [
            (Value::from(2), ExchangeIndex::shard(2)),
            (Value::from(0), ExchangeIndex::shard(0)),
            // Beyond u32 and negative: kept as sent, never refused in a response.
            (
                Value::from(5_000_000_000i64),
                ExchangeIndex::from_raw(5_000_000_000),
            ),
            (Value::from(-3), ExchangeIndex::from_raw(-3)),
        ] {
            let read: Vec<ExchangeIndex> = vec![
                serde_json::from_str::<CreateOrderGroupResponse>(&with_index(
                    fixture!("create_order_group.json"),
                    "/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .exchange_index
                .unwrap(),
                serde_json::from_str::<GetOrderGroupResponse>(&with_index(
                    fixture!("get_order_group.json"),
                    "/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .exchange_index
                .unwrap(),
                serde_json::from_str::<GetOrderGroupsResponse>(&with_index(
                    fixture!("get_order_groups.json"),
                    "/order_groups/0/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .order_groups[0]
                    .exchange_index
                    .unwrap(),
                serde_json::from_str::<GetOrderResponse>(&with_index(
                    fixture!("get_order.json"),
                    "/order/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .order
                .exchange_index
                .unwrap(),
                serde_json::from_str::<GetFillsResponse>(&with_index(
                    fixture!("get_fills.json"),
                    "/fills/0/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .fills[0]
                    .exchange_index,
                serde_json::from_str::<GetPositionsResponse>(&with_index(
                    fixture!("get_positions.json"),
                    "/market_positions/0/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .market_positions[0]
                    .exchange_index,
                serde_json::from_str::<GetBalanceResponse>(&with_index(
                    fixture!("get_balance.json"),
                    "/balance_breakdown/0/exchange_index",
                    raw.clone(),
                ))
                .unwrap()
                .balance_breakdown[0]
                    .exchange_index,
            ];
            assert!(read.iter().all(|&r| r == want), "{raw}: {read:?}");

            // Straight back into requests; valid there only when it is a shard within int32.
            let shard_ok = want.as_shard().is_some_and(|s| s <= i32::MAX as u32);
            let cancel = CancelOrder::new("o1").exchange_index(want);
            assert_eq!(cancel.validate().is_ok(), shard_ok, "{want}");
            let delete = DeleteOrderGroup::new("g1").exchange_index(want);
            assert_eq!(delete.validate().is_ok(), shard_ok, "{want}");
            let filter = GetFills {
                exchange_index: Some(want),
                ..GetFills::new()
            };
            assert_eq!(filter.validate().is_ok(), shard_ok, "{want}");
        }
    }

    /// Auto-route (-1) is for order writes only; order groups and read filters refuse it before
    /// signing, naming the field.
    #[test]
    fn auto_route_only_where_documented() {
        use crate::Operation;
        use crate::order_groups::{
            CreateOrderGroup, DeleteOrderGroup, ResetOrderGroup, TriggerOrderGroup,
            UpdateOrderGroupLimit,
        };
        use crate::orders::{CancelOrder, GetOrders};
        use crate::portfolio::{GetBalance, GetFills, GetPositions};

        fn refused(r: Result<(), crate::Error>) -> bool {
            matches!(
                r,
                Err(crate::Error::InvalidInput {
                    field: "exchange_index",
                    ..
                })
            )
        }
        let auto = ExchangeIndex::AUTO_ROUTE;
        assert!(CancelOrder::new("o").exchange_index(-1).validate().is_ok());
        assert!(refused(CancelOrder::new("o").exchange_index(-2).validate()));
        assert!(refused(
            CreateOrderGroup::new(5).exchange_index(auto).validate()
        ));
        assert!(refused(
            DeleteOrderGroup::new("g").exchange_index(auto).validate()
        ));
        assert!(refused(
            ResetOrderGroup::new("g").exchange_index(auto).validate()
        ));
        assert!(refused(
            TriggerOrderGroup::new("g").exchange_index(auto).validate()
        ));
        assert!(refused(
            UpdateOrderGroupLimit::new("g", 5)
                .exchange_index(auto)
                .validate()
        ));
        assert!(refused(
            GetOrders {
                exchange_index: Some(auto),
                ..GetOrders::new()
            }
            .validate()
        ));
        assert!(refused(
            GetFills {
                exchange_index: Some(auto),
                ..GetFills::new()
            }
            .validate()
        ));
        assert!(refused(
            GetPositions {
                exchange_index: Some(auto),
                ..GetPositions::new()
            }
            .validate()
        ));
        assert!(refused(
            GetBalance {
                exchange_index: Some(auto),
                ..GetBalance::new()
            }
            .validate()
        ));
        // Shard numbers, including the top of int32, are fine everywhere.
        let top = ExchangeIndex::from_raw(i64::from(i32::MAX));
        assert!(
            DeleteOrderGroup::new("g")
                .exchange_index(top)
                .validate()
                .is_ok()
        );
        assert!(
            CreateOrderGroup::new(5)
                .exchange_index(3u32)
                .validate()
                .is_ok()
        );
        assert!(
            GetBalance {
                exchange_index: Some(top),
                ..GetBalance::new()
            }
            .validate()
            .is_ok()
        );
    }
}
