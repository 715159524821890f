//! Strict request authentication.
//!
//! Every request must carry, exactly once each:
//!
//! - `KALSHI-ACCESS-KEY`: a registered key id;
//! - `KALSHI-ACCESS-TIMESTAMP`: decimal milliseconds since the epoch, within the configured
//!   window of the exchange clock; values below 10^11 are refused as "looks like seconds";
//! - `KALSHI-ACCESS-SIGNATURE`: base64 RSA-PSS over `timestamp + METHOD + path`, where `path`
//!   is the request path exactly as received (percent-encoding intact), without the query.
//!
//! Any failure is a 401 whose `details` says which check failed.
//!
//! The registered keys live in the exchange state ([`super::api_keys::KeyRegistry`]): keys
//! are created and deleted through the API, and each key belongs to an account.

use http::{HeaderMap, Method};
use kalshi_core::auth::{
    HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP, SignatureError,
    VerifyingKey,
};

use super::errors::ApiError;

/// Timestamps below this (in the year 1973 as milliseconds, the year 5138 as seconds) are
/// taken to be seconds sent by mistake.
pub(crate) const SECONDS_THRESHOLD: u64 = 100_000_000_000;

/// The timestamp window, and the checks.
#[derive(Debug, Clone)]
pub(crate) struct Authenticator {
    window_ms: u64,
}

/// Who signed a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Authenticated {
    /// The API key id that signed.
    pub(crate) key_id: String,
    /// The account the key belongs to.
    pub(crate) account: String,
}

impl Authenticator {
    /// An authenticator accepting timestamps within `window_ms` of the exchange time.
    pub(crate) fn new(window_ms: u64) -> Self {
        Authenticator { window_ms }
    }

    /// Checks a request against the key `lookup` finds for its key id (the key's verifying
    /// key and account; `None`: no such key); returns who signed on success.
    ///
    /// `raw_path` is the path as received on the wire, without the query.
    pub(crate) fn authenticate(
        &self,
        method: &Method,
        raw_path: &str,
        headers: &HeaderMap,
        now_ms: u64,
        lookup: impl FnOnce(&str) -> Option<(VerifyingKey, String)>,
    ) -> Result<Authenticated, ApiError> {
        let key_id = single_header(headers, HEADER_ACCESS_KEY)?;
        let (key, account) = lookup(key_id).ok_or_else(|| {
            let shown: String = key_id.chars().take(64).collect();
            ApiError::unauthorized(format!("unknown API key id `{shown}`"))
        })?;

        let ts_raw = single_header(headers, HEADER_ACCESS_TIMESTAMP)?;
        let ts = parse_timestamp(ts_raw)?;
        let skew = ts.abs_diff(now_ms);
        if skew > self.window_ms {
            let direction = if ts < now_ms { "behind" } else { "ahead of" };
            return Err(ApiError::unauthorized(format!(
                "{HEADER_ACCESS_TIMESTAMP} {ts} is outside the accepted window: {skew} ms {direction} the exchange time {now_ms} (window ±{} ms)",
                self.window_ms
            )));
        }

        let signature = single_header(headers, HEADER_ACCESS_SIGNATURE)?;
        key.verify_request(ts, method.as_str(), raw_path, signature)
            .map_err(|e| {
                let hint = match e {
                    SignatureError::Mismatch => {
                        " (the signed message must be timestamp + METHOD + the path as sent, percent-encoded, without the query; RSA-PSS SHA-256, salt 32)"
                    }
                    _ => "",
                };
                ApiError::unauthorized(format!("{HEADER_ACCESS_SIGNATURE}: {e}{hint}"))
            })?;
        Ok(Authenticated {
            key_id: key_id.to_owned(),
            account,
        })
    }
}

/// The value of a header that must appear exactly once, as visible ASCII.
fn single_header<'h>(headers: &'h HeaderMap, name: &str) -> Result<&'h str, ApiError> {
    let mut values = headers.get_all(name).iter();
    let value = values
        .next()
        .ok_or_else(|| ApiError::unauthorized(format!("missing {name} header")))?;
    if values.next().is_some() {
        return Err(ApiError::unauthorized(format!(
            "{name} header given more than once"
        )));
    }
    let text = value
        .to_str()
        .map_err(|_| ApiError::unauthorized(format!("{name} header is not visible ASCII")))?;
    if text.is_empty() {
        return Err(ApiError::unauthorized(format!("{name} header is empty")));
    }
    Ok(text)
}

/// Parses decimal milliseconds: 1 to 20 ASCII digits, no sign, no spaces, no fraction, at
/// least [`SECONDS_THRESHOLD`].
fn parse_timestamp(raw: &str) -> Result<u64, ApiError> {
    let shown: String = raw.chars().take(40).collect();
    let not_ms = || {
        ApiError::unauthorized(format!(
            "{HEADER_ACCESS_TIMESTAMP} `{shown}` is not a whole number of milliseconds since the Unix epoch"
        ))
    };
    if raw.len() > 20 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_ms());
    }
    let ts: u64 = raw.parse().map_err(|_| not_ms())?;
    if ts < SECONDS_THRESHOLD {
        return Err(ApiError::unauthorized(format!(
            "{HEADER_ACCESS_TIMESTAMP} {ts} looks like seconds; it must be milliseconds since the Unix epoch"
        )));
    }
    Ok(ts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};
    use http::HeaderValue;
    use kalshi_core::auth::Credentials;

    const NOW: u64 = 1_700_000_000_000;
    const PATH: &str = "/trade-api/v2/portfolio/order_groups";

    fn auth() -> Authenticator {
        Authenticator::new(30_000)
    }

    /// Authenticates against a registry holding the demo key only; returns the key id.
    fn check(
        a: &Authenticator,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        now_ms: u64,
    ) -> Result<String, ApiError> {
        let key = kalshi_core::auth::PrivateKey::from_pem(DEMO_PRIVATE_KEY_PEM)
            .unwrap()
            .verifying_key();
        a.authenticate(method, path, headers, now_ms, |id| {
            (id == DEMO_KEY_ID).then(|| (key, DEMO_KEY_ID.to_owned()))
        })
        .map(|who| {
            assert_eq!(who.account, DEMO_KEY_ID);
            who.key_id
        })
    }

    fn headers(key: &str, ts: &str, sig: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HEADER_ACCESS_KEY, HeaderValue::from_str(key).unwrap());
        h.insert(HEADER_ACCESS_TIMESTAMP, HeaderValue::from_str(ts).unwrap());
        h.insert(HEADER_ACCESS_SIGNATURE, HeaderValue::from_str(sig).unwrap());
        h
    }

    fn signed(ts: u64, method: &str, path: &str) -> HeaderMap {
        let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
        let sig = creds.sign(ts, method, path).unwrap();
        headers(DEMO_KEY_ID, &ts.to_string(), &sig)
    }

    fn details(r: Result<String, ApiError>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.status, http::StatusCode::UNAUTHORIZED);
        assert_eq!(e.code, "unauthorized");
        e.details
    }

    #[test]
    fn accepts_a_good_signature_at_the_window_edges() {
        let a = auth();
        for ts in [NOW, NOW - 30_000, NOW + 30_000] {
            let h = signed(ts, "GET", PATH);
            assert_eq!(check(&a, &Method::GET, PATH, &h, NOW).unwrap(), DEMO_KEY_ID);
        }
    }

    #[test]
    fn refuses_stale_or_future_timestamps() {
        let a = auth();
        let h = signed(NOW - 30_001, "GET", PATH);
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("behind"));
        let h = signed(NOW + 30_001, "GET", PATH);
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("ahead of"));
    }

    #[test]
    fn refuses_malformed_timestamps() {
        let a = auth();
        let sig = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)
            .unwrap()
            .sign(NOW, "GET", PATH)
            .unwrap();
        for ts in [
            "1700000000", // seconds
            "1700000000.5",
            "1700000000000.0",
            "-1700000000000",
            "+1700000000000",
            " 1700000000000",
            "1.7e12",
            "99999999999999999999999",
            "18446744073709551616",
            "0x18BCFE56800",
        ] {
            let h = headers(DEMO_KEY_ID, ts, &sig);
            let d = details(check(&a, &Method::GET, PATH, &h, NOW));
            assert!(d.contains("milliseconds"), "{ts}: {d}");
        }
        let h = headers(DEMO_KEY_ID, "1700000000", &sig);
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("looks like seconds"));
    }

    #[test]
    fn refuses_missing_duplicate_and_unknown() {
        let a = auth();
        let good = signed(NOW, "GET", PATH);
        for name in [
            HEADER_ACCESS_KEY,
            HEADER_ACCESS_TIMESTAMP,
            HEADER_ACCESS_SIGNATURE,
        ] {
            let mut h = good.clone();
            h.remove(name);
            assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("missing"));
            let mut h = good.clone();
            h.append(name, HeaderValue::from_static("x"));
            assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("more than once"));
            let mut h = good.clone();
            h.insert(name, HeaderValue::from_static(""));
            assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("empty"));
            let mut h = good.clone();
            h.insert(name, HeaderValue::from_bytes(b"\xff\xfe").unwrap());
            assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("ASCII"));
        }
        let mut h = good.clone();
        h.insert(HEADER_ACCESS_KEY, HeaderValue::from_static("someone-else"));
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("unknown API key"));
    }

    #[test]
    fn refuses_signatures_over_anything_else() {
        let a = auth();
        // Another method, another path, the path with its query, another timestamp.
        let h = signed(NOW, "POST", PATH);
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("does not verify"));
        let h = signed(NOW, "GET", "/trade-api/v2/portfolio/order_groups/x");
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("does not verify"));
        let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
        let with_query = format!("{NOW}GET{PATH}?subaccount=1");
        let sig = creds.signer().sign(with_query.as_bytes()).unwrap();
        let h = headers(DEMO_KEY_ID, &NOW.to_string(), &sig);
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("does not verify"));
        let mut h = signed(NOW, "GET", PATH);
        h.insert(
            HEADER_ACCESS_TIMESTAMP,
            HeaderValue::from_str(&(NOW + 1).to_string()).unwrap(),
        );
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("does not verify"));
        // Not base64, wrong length.
        let h = headers(DEMO_KEY_ID, &NOW.to_string(), "not base64!");
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("base64"));
        let h = headers(DEMO_KEY_ID, &NOW.to_string(), "AAAA");
        assert!(details(check(&a, &Method::GET, PATH, &h, NOW)).contains("bytes"));
    }
}
