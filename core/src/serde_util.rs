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
