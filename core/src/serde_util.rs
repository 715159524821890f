//! Small serde helpers shared by response types.

use serde::{Deserialize, Deserializer};

/// Reads `null` or a missing array as empty.
pub(crate) fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Reads `null`, a missing or an empty string cursor as "no more pages".
pub(crate) fn cursor<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.filter(|c| !c.is_empty()))
}

/// Reads an optional RFC 3339 instant: `null`, a missing field or an empty string are `None`;
/// anything else must be a valid RFC 3339 timestamp.
pub(crate) fn opt_time<'de, D>(d: D) -> Result<Option<jiff::Timestamp>, D::Error>
where
    D: Deserializer<'de>,
{
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<jiff::Timestamp>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp, an empty string or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            if s.is_empty() {
                return Ok(None);
            }
            parse_time(s).map(Some)
        }
    }
    d.deserialize_option(V)
}

/// Reads a required RFC 3339 instant (as `jiff::Timestamp`'s own serde does, faster for the
/// exchange's usual `2026-01-02T03:04:05Z` / `...05.123456Z` form).
pub(crate) fn time<'de, D>(d: D) -> Result<jiff::Timestamp, D::Error>
where
    D: Deserializer<'de>,
{
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = jiff::Timestamp;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            parse_time(s)
        }
    }
    d.deserialize_str(V)
}

fn parse_time<E: serde::de::Error>(s: &str) -> Result<jiff::Timestamp, E> {
    match crate::time::parse_utc_fast(s) {
        Some(t) => Ok(t),
        None => s.parse().map_err(E::custom),
    }
}
