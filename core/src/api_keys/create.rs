//! `POST /api_keys` and `POST /api_keys/generate`

use std::fmt;

use http::{Method, StatusCode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use super::ApiKeyScope;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::{Credentials, Error, validate};

/// Registers an API key for a public key the caller made (`CreateApiKey`); the caller keeps
/// the private key. Answers `201` with the new key's id. Kalshi allows it to Premier and
/// market-maker usage levels.
///
/// `public_key` must be an RSA public key in PEM (`-----BEGIN PUBLIC KEY-----` or
/// `-----BEGIN RSA PUBLIC KEY-----`); anything holding a private key is refused before
/// signing, so that a private key is never sent by mistake. Not idempotent: a repeat may
/// register a second key, so it is never repeated automatically.
///
/// ```
/// use kalshi_core::api_keys::{ApiKeyScope, CreateApiKey};
/// # let public_pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pub.pem")).unwrap();
/// let op = CreateApiKey::new("market-maker-2", public_pem).scopes(vec![ApiKeyScope::Read]);
/// assert_eq!(op.name, "market-maker-2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct CreateApiKey {
    /// A name for the key.
    pub name: String,
    /// The RSA public key, PEM.
    pub public_key: String,
    /// What the key may do; omitted: the exchange's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<ApiKeyScope>>,
    /// Restricts the key to this subaccount (0 primary, 1–63).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

impl CreateApiKey {
    /// A key named `name` for the PEM `public_key`.
    pub fn new(name: impl Into<String>, public_key: impl Into<String>) -> Self {
        CreateApiKey {
            name: name.into(),
            public_key: public_key.into(),
            ..Default::default()
        }
    }

    /// Sets what the key may do.
    pub fn scopes(mut self, scopes: Vec<ApiKeyScope>) -> Self {
        self.scopes = Some(scopes);
        self
    }

    /// Restricts the key to a subaccount (0 primary, 1–63).
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// The answer to [`CreateApiKey`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateApiKeyResponse {
    /// The new key's id.
    pub api_key_id: String,
}

/// Refuses a `public_key` that is not a PEM public key; never quotes it (it may be a private
/// key given by mistake).
fn public_key_pem(pem: &str) -> Result<(), Error> {
    if pem.trim().is_empty() {
        return Err(Error::invalid("public_key", "must not be empty"));
    }
    if pem.contains("PRIVATE KEY") {
        return Err(Error::invalid(
            "public_key",
            "holds a private key; give the public key (openssl rsa -in key.pem -pubout) and keep the private key",
        ));
    }
    if !pem.contains("-----BEGIN PUBLIC KEY-----")
        && !pem.contains("-----BEGIN RSA PUBLIC KEY-----")
    {
        return Err(Error::invalid(
            "public_key",
            "is not a PEM public key (expected `-----BEGIN PUBLIC KEY-----` or `-----BEGIN RSA PUBLIC KEY-----`)",
        ));
    }
    Ok(())
}

impl Operation for CreateApiKey {
    type Output = CreateApiKeyResponse;
    const NAME: &'static str = "CreateApiKey";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("name", &self.name)?;
        public_key_pem(&self.public_key)?;
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/api_keys");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Has the exchange make an RSA key pair and register its public half (`GenerateApiKey`).
/// Answers `201` with the new key's id and, this once, its private key.
///
/// Not idempotent: a repeat makes a second key, so it is never repeated automatically. An
/// answer that does not parse is reported without its body (see
/// [`Operation::SECRET_RESPONSE`]).
///
/// ```
/// use kalshi_core::api_keys::GenerateApiKey;
/// let op = GenerateApiKey::new("backtest-bot").subaccount(2);
/// assert_eq!(op.subaccount, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct GenerateApiKey {
    /// A name for the key.
    pub name: String,
    /// What the key may do; omitted: the exchange's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<ApiKeyScope>>,
    /// Restricts the key to this subaccount (0 primary, 1–63).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

impl GenerateApiKey {
    /// A key named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GenerateApiKey {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Sets what the key may do.
    pub fn scopes(mut self, scopes: Vec<ApiKeyScope>) -> Self {
        self.scopes = Some(scopes);
        self
    }

    /// Restricts the key to a subaccount (0 primary, 1–63).
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// The private key (PEM) of a generated API key: zeroized on drop, shown by `Debug` as
/// `GeneratedPrivateKey([redacted])`, with no `Display`.
///
/// Turn it into [`Credentials`] ([`GenerateApiKeyResponse::into_credentials`] or
/// [`into_credentials`](Self::into_credentials)), or store it with
/// [`expose_pem`](Self::expose_pem), which is the one way to read it. `Serialize` writes the
/// PEM, as the exchange sent it: serialize an answer holding one only to store the key.
///
/// ```
/// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
/// use kalshi_core::api_keys::GeneratedPrivateKey;
/// let key = GeneratedPrivateKey::new(pem);
/// assert_eq!(format!("{key:?}"), "GeneratedPrivateKey([redacted])");
/// let credentials = key.into_credentials("a952bcbe-ec3b-4b5b-b8f9-11dae589608c")?;
/// assert_eq!(credentials.key_id(), "a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
/// # Ok::<(), kalshi_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedPrivateKey(Zeroizing<String>);

impl GeneratedPrivateKey {
    /// Wraps a PEM private key.
    pub fn new(pem: impl Into<String>) -> Self {
        GeneratedPrivateKey(Zeroizing::new(pem.into()))
    }

    /// The PEM text, to store it (for instance in a file only its owner can read).
    pub fn expose_pem(&self) -> &str {
        &self.0
    }

    /// Credentials for the key `key_id` signing with this private key (best backend compiled
    /// in, as [`Credentials::from_pem`]). The PEM is wiped when `self` is dropped here.
    pub fn into_credentials(self, key_id: impl Into<String>) -> Result<Credentials, Error> {
        Credentials::from_pem(key_id, &self.0)
    }
}

impl fmt::Debug for GeneratedPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GeneratedPrivateKey([redacted])")
    }
}

impl<'de> Deserialize<'de> for GeneratedPrivateKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Straight into the wiped buffer. The error for a non-string never quotes a string.
        String::deserialize(d).map(GeneratedPrivateKey::new)
    }
}

impl Serialize for GeneratedPrivateKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The answer to [`GenerateApiKey`]: the new key's id and its private key, which the exchange
/// does not keep (it cannot be fetched again). `Debug` shows the id only.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GenerateApiKeyResponse {
    /// The new key's id.
    pub api_key_id: String,
    /// Its private key, PEM.
    pub private_key: GeneratedPrivateKey,
}

impl GenerateApiKeyResponse {
    /// Credentials signing as the new key.
    ///
    /// ```no_run
    /// # fn demo(answer: kalshi_core::api_keys::GenerateApiKeyResponse) -> Result<(), kalshi_core::Error> {
    /// let credentials = answer.into_credentials()?;
    /// let client = kalshi_core::Client::new(kalshi_core::Environment::Demo, credentials);
    /// # drop(client); Ok(()) }
    /// ```
    pub fn into_credentials(self) -> Result<Credentials, Error> {
        self.private_key.into_credentials(self.api_key_id)
    }
}

impl fmt::Debug for GenerateApiKeyResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenerateApiKeyResponse")
            .field("api_key_id", &self.api_key_id)
            .field("private_key", &self.private_key)
            .finish()
    }
}

impl Operation for GenerateApiKey {
    type Output = GenerateApiKeyResponse;
    const NAME: &'static str = "GenerateApiKey";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;
    const SECRET_RESPONSE: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("name", &self.name)?;
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/api_keys/generate");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateApiKey {
    fn full() -> Self {
        CreateApiKey::new(
            "market-maker-2",
            include_str!("../../testdata/test-key.pub.pem"),
        )
        .scopes(vec![ApiKeyScope::Read, ApiKeyScope::WriteTrade])
        .subaccount(2)
    }
    fn minimal() -> Self {
        CreateApiKey::new(
            "market-maker-2",
            include_str!("../../testdata/test-key.pub.pem"),
        )
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GenerateApiKey {
    fn full() -> Self {
        GenerateApiKey::new("backtest-bot")
            .scopes(vec![ApiKeyScope::Read])
            .subaccount(2)
    }
    fn minimal() -> Self {
        GenerateApiKey::new("backtest-bot")
    }
}
