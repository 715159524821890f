//! API keys: the registry every request is authenticated against, and
//! `GET/POST /api_keys`, `POST /api_keys/generate`, `DELETE /api_keys/{api_key}`.
//!
//! - Every key belongs to an account. A configured key ([`crate::SimulatorConfig::with_key`])
//!   is its own account, whose id is the key id. A key created (`POST /api_keys`, with an RSA
//!   public key PEM) or generated (`POST /api_keys/generate`) through the API belongs to the
//!   account of the key that made it: it signs for the same balances, orders, order groups
//!   and rate-limit buckets.
//! - `POST /api_keys/generate` makes a fresh 2048-bit RSA key pair (the `rsa` crate, from a
//!   SHA-256 counter stream seeded by the standard library's per-process random keys: good
//!   for throwaway test keys, nothing else) and answers the PKCS#1 PEM private key; the
//!   simulator keeps only the public half.
//! - `GET /api_keys` lists the account's keys, oldest first. `DELETE /api_keys/{api_key}`
//!   deletes one of the account's keys (204, no body), itself included; its next request is a
//!   401. Another account's key, or one that does not exist, is a 404.
//! - `name` is required and non-empty; `scopes` (strings) default to `["read", "write"]`;
//!   `subaccount` is 0 to 63 and only recorded.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use http::{Method, StatusCode};
use kalshi_core::auth::VerifyingKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::sha2::{Digest, Sha256};
use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::request::{RequestCtx, int_field, required_str};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// The API key routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/api_keys", list),
        Route::new(Method::POST, "/api_keys", create),
        Route::new(Method::POST, "/api_keys/generate", generate),
        Route::new(Method::DELETE, "/api_keys/{api_key}", delete),
    ]
}

/// One registered key.
#[derive(Debug, Clone)]
pub(crate) struct RegisteredKey {
    verifying: VerifyingKey,
    /// The account it signs for.
    pub(crate) account: String,
    name: String,
    scopes: Vec<String>,
    subaccount: Option<SubaccountId>,
    seq: u64,
}

/// Every key the exchange accepts, by key id.
#[derive(Debug, Default)]
pub(crate) struct KeyRegistry {
    keys: HashMap<String, RegisteredKey>,
    next_seq: u64,
}

impl KeyRegistry {
    /// The configured keys, each its own account (named after its id), in id order.
    pub(crate) fn configured(keys: HashMap<String, VerifyingKey>) -> Self {
        let mut ids: Vec<(String, VerifyingKey)> = keys.into_iter().collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        let mut registry = KeyRegistry::default();
        for (id, key) in ids {
            registry.insert(id.clone(), key, id.clone(), id, default_scopes(), None);
        }
        registry
    }

    fn insert(
        &mut self,
        key_id: String,
        verifying: VerifyingKey,
        account: String,
        name: String,
        scopes: Vec<String>,
        subaccount: Option<SubaccountId>,
    ) {
        self.next_seq += 1;
        self.keys.insert(
            key_id,
            RegisteredKey {
                verifying,
                account,
                name,
                scopes,
                subaccount,
                seq: self.next_seq,
            },
        );
    }

    /// The verifying key and account of `key_id`, if it is registered.
    pub(crate) fn lookup(&self, key_id: &str) -> Option<(VerifyingKey, String)> {
        self.keys
            .get(key_id)
            .map(|k| (k.verifying.clone(), k.account.clone()))
    }

    /// The account of `key_id`, if it is registered.
    pub(crate) fn account_of(&self, key_id: &str) -> Option<&str> {
        self.keys.get(key_id).map(|k| k.account.as_str())
    }
}

fn default_scopes() -> Vec<String> {
    vec!["read".to_owned(), "write".to_owned()]
}

fn key_json(id: &str, k: &RegisteredKey) -> Value {
    json!({
        "api_key_id": id,
        "name": k.name,
        "scopes": k.scopes,
        "subaccount": k.subaccount.map(SubaccountId::get),
    })
}

fn list(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let mut mine: Vec<(&String, &RegisteredKey)> = ex
        .keys
        .keys
        .iter()
        .filter(|(_, k)| k.account == ctx.account)
        .collect();
    mine.sort_by_key(|(_, k)| k.seq);
    let items: Vec<Value> = mine.into_iter().map(|(id, k)| key_json(id, k)).collect();
    Ok(Reply::ok(
        json!({"api_keys": items, "api_key_region_expiration_ts": null}),
    ))
}

/// The `name`, `scopes` and `subaccount` of a create or generate body.
fn key_fields(
    obj: &Map<String, Value>,
) -> Result<(String, Vec<String>, Option<SubaccountId>), ApiError> {
    let name = required_str(obj, "name")?;
    if name.trim().is_empty() {
        return Err(ApiError::invalid_parameters("`name` must not be empty"));
    }
    let scopes = match obj.get("scopes") {
        None | Some(Value::Null) => default_scopes(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    ApiError::invalid_parameters("`scopes` must be an array of strings")
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(ApiError::invalid_parameters(
                "`scopes` must be an array of strings",
            ));
        }
    };
    let subaccount = int_field(obj, "subaccount")?
        .map(|s| SubaccountId::from_request(s, "subaccount"))
        .transpose()?;
    Ok((name.to_owned(), scopes, subaccount))
}

fn create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let obj = ctx.required_json_object()?;
    let (name, scopes, subaccount) = key_fields(&obj)?;
    let pem = required_str(&obj, "public_key")?;
    if pem.contains("PRIVATE KEY") {
        return Err(ApiError::invalid_parameters(
            "`public_key` holds a private key; send the public key only",
        ));
    }
    let verifying = VerifyingKey::from_pem(pem)
        .map_err(|e| ApiError::invalid_parameters(format!("`public_key`: {e}")))?;
    let id = ex.new_id();
    ex.keys.insert(
        id.clone(),
        verifying,
        ctx.account.clone(),
        name,
        scopes,
        subaccount,
    );
    Ok(Reply::new(StatusCode::CREATED, json!({"api_key_id": id})))
}

fn generate(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let obj = ctx.required_json_object()?;
    let (name, scopes, subaccount) = key_fields(&obj)?;
    let (private_pem, verifying) = new_key_pair()?;
    let id = ex.new_id();
    ex.keys.insert(
        id.clone(),
        verifying,
        ctx.account.clone(),
        name,
        scopes,
        subaccount,
    );
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({"api_key_id": id, "private_key": private_pem}),
    ))
}

fn delete(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("api_key")?;
    if ex.keys.account_of(id) != Some(ctx.account.as_str()) {
        let shown: String = id.chars().take(64).collect();
        return Err(ApiError::not_found(
            "api key not found",
            format!("the account has no API key `{shown}`"),
        ));
    }
    ex.keys.keys.remove(id);
    Ok(Reply::new(StatusCode::NO_CONTENT, Value::Null))
}

/// A SHA-256 counter stream seeded from the standard library's per-process random hash keys
/// and the time: unpredictable enough for throwaway test keys, not for anything else.
struct TestKeyRng {
    seed: [u8; 32],
    counter: u64,
    buf: [u8; 32],
    used: usize,
}

impl TestKeyRng {
    fn new() -> Self {
        let mut h = Sha256::new();
        for i in 0..4u64 {
            let mut s = std::collections::hash_map::RandomState::new().build_hasher();
            s.write_u64(i);
            h.update(s.finish().to_le_bytes());
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        h.update(nanos.to_le_bytes());
        h.update(std::process::id().to_le_bytes());
        TestKeyRng {
            seed: h.finalize().into(),
            counter: 0,
            buf: [0; 32],
            used: 32,
        }
    }
}

impl TryRng for TestKeyRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for byte in dst {
            if self.used == 32 {
                let mut h = Sha256::new();
                h.update(self.seed);
                h.update(self.counter.to_le_bytes());
                self.counter += 1;
                self.buf = h.finalize().into();
                self.used = 0;
            }
            *byte = self.buf[self.used];
            self.used += 1;
        }
        Ok(())
    }
}

impl TryCryptoRng for TestKeyRng {}

/// A fresh 2048-bit key pair: the PKCS#1 PEM private key and the verifying key.
fn new_key_pair() -> Result<(String, VerifyingKey), ApiError> {
    let (private_pem, public_pem) =
        throwaway_key_pair().map_err(|e| ApiError::internal(format!("key generation: {e}")))?;
    let verifying = VerifyingKey::from_pem(&public_pem)
        .map_err(|e| ApiError::internal(format!("key generation: {e}")))?;
    Ok((private_pem, verifying))
}

/// A fresh RSA-2048 key pair as PEM text: the PKCS#1 private key (`BEGIN RSA PRIVATE KEY`)
/// and the SPKI public key (`BEGIN PUBLIC KEY`), made like the keys `POST /api_keys/generate`
/// answers.
///
/// For tests and examples that need a public key to register (`CreateApiKey`) and its private
/// half to sign with: the randomness is a SHA-256 counter stream seeded from the standard
/// library's per-process random hash keys, the clock and the process id, good for throwaway
/// keys and nothing else. Takes a moment (RSA key generation).
///
/// ```
/// let (private_pem, public_pem) = kalshi_simulator::throwaway_key_pair()?;
/// assert!(private_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
/// assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
/// # Ok::<(), String>(())
/// ```
pub fn throwaway_key_pair() -> Result<(String, String), String> {
    let private = rsa::PrivateKey::new(&mut TestKeyRng::new(), 2048).map_err(|e| e.to_string())?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| e.to_string())?;
    let private_pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| e.to_string())?;
    Ok((private_pem.to_string(), public_pem))
}

#[cfg(test)]
mod tests {
    use kalshi_core::auth::{Credentials, VerifyingKey};

    #[test]
    fn throwaway_key_pair_halves_match_and_differ_per_call() {
        let (private_pem, public_pem) = super::throwaway_key_pair().unwrap();
        let credentials = Credentials::from_pem("k", &private_pem).unwrap();
        let signature = credentials
            .sign(1_700_000_000_000, "GET", "/trade-api/v2/api_keys")
            .unwrap();
        VerifyingKey::from_pem(&public_pem)
            .unwrap()
            .verify_request(
                1_700_000_000_000,
                "GET",
                "/trade-api/v2/api_keys",
                &signature,
            )
            .unwrap();
        let (_, other_public_pem) = super::throwaway_key_pair().unwrap();
        assert_ne!(public_pem, other_public_pem);
    }
}
