//! Refused by the advisory and licence checks (see Cargo.toml).
