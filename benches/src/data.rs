//! Deterministic response bodies for the parsing benchmarks (same bytes on every run, and the
//! same file for our parser and the Python SDK's).

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A UUID-shaped id, like the exchange's.
    fn uuid(&mut self, out: &mut String) {
        let (a, b) = (self.next(), self.next());
        let _ = write!(
            out,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        );
    }
}

/// A `GetOrderGroups` answer with `n` groups (100,000 groups: 12.7 MB).
pub fn order_groups_json(n: usize) -> Vec<u8> {
    let mut rng = SplitMix(0x6b61_6c73_6869);
    let mut s = String::with_capacity(n * 115 + 32);
    s.push_str(r#"{"order_groups":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(r#"{"id":""#);
        rng.uuid(&mut s);
        let limit = 1 + rng.next() % 100_000;
        let _ = write!(
            s,
            r#"","contracts_limit_fp":"{limit}.00","is_auto_cancel_enabled":{},"exchange_index":{}}}"#,
            !rng.next().is_multiple_of(4),
            rng.next() % 2
        );
    }
    s.push_str("]}");
    s.into_bytes()
}

/// A `GetOrderGroup` answer whose group holds `n` order ids.
pub fn order_group_json(n: usize) -> Vec<u8> {
    let mut rng = SplitMix(0x6f72_6465_7273);
    let mut s = String::with_capacity(n * 40 + 128);
    s.push_str(r#"{"is_auto_cancel_enabled":true,"contracts_limit_fp":"250.00","orders":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        rng.uuid(&mut s);
        s.push('"');
    }
    s.push_str(r#"],"exchange_index":0}"#);
    s.into_bytes()
}

/// A `CreateOrderGroup` answer.
pub const CREATE_ORDER_GROUP_JSON: &[u8] =
    br#"{"order_group_id":"5f0c3b8e-2a4d-4c6e-9b1a-7d3e5f9a1c2b","subaccount":0,"exchange_index":0}"#;
