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
    let s = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
    match s.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
    }
}
