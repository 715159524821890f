//! What the two simulator targets (`simulator_request` over a socket, `simulator_pipeline` in
//! process) share: the input format's separator, the fuzz key, the fixed exchange time, cached
//! signatures, and byte-string helpers.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use kalshi_core::auth::Credentials;

/// The simulator's (starting) exchange time: 2026-11-25T03:55:28Z.
pub const NOW_MS: u64 = 1_795_578_928_000;
/// Between two requests of one input.
pub const SEPARATOR: &[u8] = b"\n&&&\n";

/// A throwaway 1024-bit key (4x faster to sign with than the 2048-bit demo key).
pub const KEY_ID: &str = "fuzz-key";
pub const KEY_PEM: &str = include_str!("../../keys/fuzz-key-1024.pem");

pub static CREDENTIALS: LazyLock<Credentials> =
    LazyLock::new(|| Credentials::from_pem(KEY_ID, KEY_PEM).expect("fuzz key"));

/// Signatures by (method, path) at `NOW_MS`: RSA signing is by far the slowest step of an
/// execution.
static SIGNATURES: LazyLock<Mutex<HashMap<(String, String), String>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The signature of `NOW_MS + method + path` with the fuzz key, from the cache when it can.
pub fn signature(method: &str, path: &str) -> String {
    let key = (method.to_owned(), path.to_owned());
    let mut cache = SIGNATURES.lock().unwrap();
    if let Some(sig) = cache.get(&key) {
        return sig.clone();
    }
    let sig = CREDENTIALS.sign(NOW_MS, method, path).expect("sign");
    if cache.len() >= 50_000 {
        cache.clear();
    }
    cache.insert(key, sig.clone());
    sig
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `hay` with every `from` replaced by `to`.
pub fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}
