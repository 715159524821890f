//! Configuration from the environment: the `KALSHI_*` variables, read once.
//!
//! | variable | meaning |
//! |---|---|
//! | `KALSHI_API_KEY_ID` | the API key id (required) |
//! | `KALSHI_PRIVATE_KEY_PATH` | the path of the key's PEM file (PKCS#1 or PKCS#8) |
//! | `KALSHI_PRIVATE_KEY` | or the PEM text itself, as containers and secret managers hand it over |
//! | `KALSHI_ENV` | `demo` (the default), `prod`, `demo-shared` or `prod-shared` |
//! | `KALSHI_BASE_URL` | optional: any base URL (`https://host/trade-api/v2`, or plain `http` to loopback); wins over `KALSHI_ENV` |
//!
//! Exactly one of the two key variables must be set. `KALSHI_PRIVATE_KEY` may have its line
//! breaks flattened to the two characters `\n` (as many `.env` files and CI secret stores write
//! it): when the text has no real line break, each `\n` (and `\r\n`) becomes one. PEM text never
//! contains a backslash, so nothing else can be changed by that.
//!
//! [`EnvConfig`] reads them all (the environment, its base URL and the [`Credentials`]);
//! [`Credentials::from_env`] reads only the two or three key variables. Every bad value is one
//! [`EnvError`] naming the variable at fault ([`EnvError::variable`]); no error ever contains
//! key material (a key file's *path* may be shown, never its contents).
//!
//! ```
//! use kalshi_core::config::{EnvConfig, EnvError, KALSHI_ENV};
//! # let pem = include_str!("../testdata/test-key.pkcs1.pem");
//! // `EnvConfig::from_env()` reads the process environment; any lookup will do, which keeps
//! // programs (and tests) free of global state:
//! let vars = [("KALSHI_API_KEY_ID", "my-key-id"), ("KALSHI_PRIVATE_KEY", pem), ("KALSHI_ENV", "prod")];
//! let lookup = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
//! let config = EnvConfig::from_env_with(lookup)?;
//! assert_eq!(config.environment(), &kalshi_core::Environment::Production);
//! let client = config.client(); // a kalshi_core::Client, ready to sign
//! assert_eq!(client.credentials().key_id(), "my-key-id");
//!
//! // A bad value names its variable.
//! let vars = [("KALSHI_API_KEY_ID", "my-key-id"), ("KALSHI_PRIVATE_KEY", pem), ("KALSHI_ENV", "staging")];
//! let lookup = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
//! let err = EnvConfig::from_env_with(lookup).unwrap_err();
//! assert_eq!(err.variable(), KALSHI_ENV);
//! assert!(err.to_string().starts_with("KALSHI_ENV: unknown environment `staging`"));
//! # Ok::<(), EnvError>(())
//! ```
//!
//! # Key files others can read
//!
//! A key file whose Unix mode lets group or others read or write it is still loaded (container
//! secret mounts are often `0644`), but [`EnvConfig::warnings`] then holds the warning of
//! [`PrivateKey::file_permission_warning`]; show it where your program reports things. The
//! shortcuts that return a client or credentials directly ([`Credentials::from_env`], the
//! transports' `from_env`) drop it; use [`EnvConfig`] when you want it.
//!
//! # The PEM text in a variable
//!
//! The value handed over by the environment is copied into buffers that are wiped when dropped;
//! the process environment itself keeps its copy (and, on Linux, shows it in
//! `/proc/PID/environ` to the same user). Prefer a key file where you can.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::{Client, Credentials, Environment, Error, PrivateKey};

/// The variable holding the API key id (required).
pub const KALSHI_API_KEY_ID: &str = "KALSHI_API_KEY_ID";
/// The variable holding the path of the private key's PEM file.
pub const KALSHI_PRIVATE_KEY_PATH: &str = "KALSHI_PRIVATE_KEY_PATH";
/// The variable holding the private key's PEM text itself.
pub const KALSHI_PRIVATE_KEY: &str = "KALSHI_PRIVATE_KEY";
/// The variable naming the environment: `demo` (default), `prod`, `demo-shared`, `prod-shared`.
pub const KALSHI_ENV: &str = "KALSHI_ENV";
/// The variable holding a base URL that overrides `KALSHI_ENV`'s.
pub const KALSHI_BASE_URL: &str = "KALSHI_BASE_URL";

/// The names `KALSHI_ENV` accepts (case-insensitive, surrounding blanks ignored), with the
/// environment each selects. Unset or empty means `demo`.
pub const ENVIRONMENT_NAMES: &[(&str, &str)] = &[
    ("demo", "Environment::Demo (the default)"),
    ("prod", "Environment::Production"),
    ("production", "Environment::Production"),
    ("demo-shared", "Environment::DemoShared"),
    ("prod-shared", "Environment::ProductionShared"),
    ("production-shared", "Environment::ProductionShared"),
];

/// The largest key file read (a 4096-bit PEM key is about 3.3 KB). Anything bigger is not a
/// key, and the cap keeps a path such as `/dev/zero` from filling the memory.
const MAX_KEY_FILE_BYTES: usize = 64 * 1024;

/// Where the private key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// The file named by `KALSHI_PRIVATE_KEY_PATH`.
    File(PathBuf),
    /// The PEM text of `KALSHI_PRIVATE_KEY`.
    Variable,
}

/// Everything the `KALSHI_*` variables configure: where requests go and the credentials that
/// sign them, plus warnings worth showing (see the [module docs](self)).
///
/// `Debug` shows the key id and where the key came from, never the key.
#[derive(Debug, Clone)]
pub struct EnvConfig {
    environment: Environment,
    credentials: Credentials,
    key_source: KeySource,
    warnings: Vec<String>,
}

impl EnvConfig {
    /// Reads the `KALSHI_*` variables of the process environment (see the [module docs](self)).
    pub fn from_env() -> Result<Self, EnvError> {
        Self::read(&mut process_env)
    }

    /// Like [`from_env`](Self::from_env), with `lookup(name)` standing in for the process
    /// environment (`None`: the variable is not set).
    pub fn from_env_with(mut lookup: impl FnMut(&str) -> Option<String>) -> Result<Self, EnvError> {
        Self::read(&mut |name| Ok(lookup(name)))
    }

    /// `Ok(None)` when none of `KALSHI_API_KEY_ID`, `KALSHI_PRIVATE_KEY_PATH` and
    /// `KALSHI_PRIVATE_KEY` is set to something other than blanks (so a program can fall back
    /// to something else, such as a local simulator); otherwise exactly
    /// [`from_env`](Self::from_env). A key variable set
    /// without the key id is an error, not `None`, so that a typo never silently selects the
    /// fallback.
    pub fn from_env_optional() -> Result<Option<Self>, EnvError> {
        Self::read_optional(&mut process_env)
    }

    /// [`from_env_optional`](Self::from_env_optional) with `lookup` standing in for the process
    /// environment.
    pub fn from_env_optional_with(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<Option<Self>, EnvError> {
        Self::read_optional(&mut |name| Ok(lookup(name)))
    }

    fn read_optional(lookup: &mut Lookup<'_>) -> Result<Option<Self>, EnvError> {
        for name in [
            KALSHI_API_KEY_ID,
            KALSHI_PRIVATE_KEY_PATH,
            KALSHI_PRIVATE_KEY,
        ] {
            if lookup(name)?.is_some_and(|v| !v.trim().is_empty()) {
                return Self::read(lookup).map(Some);
            }
        }
        Ok(None)
    }

    fn read(lookup: &mut Lookup<'_>) -> Result<Self, EnvError> {
        let (credentials, key_source, warnings) = read_credentials(lookup)?;
        let environment = read_environment(lookup)?;
        Ok(EnvConfig {
            environment,
            credentials,
            key_source,
            warnings,
        })
    }

    /// Where requests go: the `KALSHI_BASE_URL` (as [`Environment::Custom`]) if set, else the
    /// `KALSHI_ENV` preset.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The credentials, signing with the key id of `KALSHI_API_KEY_ID`.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Where the private key came from.
    pub fn key_source(&self) -> &KeySource {
        &self.key_source
    }

    /// Things worth telling the user that are not errors: today, a key file that others can
    /// read or write ([`PrivateKey::file_permission_warning`]). Empty when all is well.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A core client for this environment and these credentials.
    pub fn client(&self) -> Client {
        Client::new(self.environment.clone(), self.credentials.clone())
    }

    /// The core client, consuming the configuration.
    pub fn into_client(self) -> Client {
        Client::new(self.environment, self.credentials)
    }
}

impl Credentials {
    /// Credentials from `KALSHI_API_KEY_ID` and one of `KALSHI_PRIVATE_KEY_PATH` (a PEM file)
    /// or `KALSHI_PRIVATE_KEY` (the PEM text) in the process environment; `KALSHI_ENV` and
    /// `KALSHI_BASE_URL` are not read. See [`config`](crate::config) for the rules, and
    /// [`EnvConfig::from_env`] for the whole configuration and the key file's permission
    /// warning, which this drops.
    pub fn from_env() -> Result<Self, EnvError> {
        read_credentials(&mut process_env).map(|(c, ..)| c)
    }

    /// [`from_env`](Self::from_env) with `lookup(name)` standing in for the process
    /// environment (`None`: the variable is not set).
    pub fn from_env_with(mut lookup: impl FnMut(&str) -> Option<String>) -> Result<Self, EnvError> {
        read_credentials(&mut |name| Ok(lookup(name))).map(|(c, ..)| c)
    }
}

/// A bad `KALSHI_*` value: one variant per way it can be wrong, each naming its variable
/// ([`variable`](Self::variable)). Neither `Display` nor `Debug` ever contains key material.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvError {
    /// `KALSHI_API_KEY_ID` is not set.
    MissingKeyId,
    /// A variable is set to nothing but blanks (`KALSHI_API_KEY_ID`, or the only key
    /// variable set).
    Empty {
        /// The variable.
        variable: &'static str,
    },
    /// Neither `KALSHI_PRIVATE_KEY_PATH` nor `KALSHI_PRIVATE_KEY` is set.
    MissingKey,
    /// Both `KALSHI_PRIVATE_KEY_PATH` and `KALSHI_PRIVATE_KEY` are set: which one was meant is
    /// not guessed.
    BothKeys,
    /// A value is not valid UTF-8 (only from the process environment).
    NotUnicode {
        /// The variable.
        variable: &'static str,
    },
    /// `KALSHI_API_KEY_ID` cannot be a key id (it cannot be sent in a header, or it holds a
    /// PEM key).
    InvalidKeyId {
        /// Why.
        reason: String,
    },
    /// The file named by `KALSHI_PRIVATE_KEY_PATH` cannot be read (missing, not permitted, a
    /// directory, ...).
    KeyFileUnreadable {
        /// The path, as given.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The key (from the file of `KALSHI_PRIVATE_KEY_PATH`, or the text of
    /// `KALSHI_PRIVATE_KEY`) is not an unencrypted RSA private key in PEM.
    InvalidKey {
        /// `KALSHI_PRIVATE_KEY_PATH` or `KALSHI_PRIVATE_KEY`.
        variable: &'static str,
        /// Why (the parser's words, or a hint such as "this looks like a path").
        reason: String,
    },
    /// `KALSHI_ENV` names no environment.
    UnknownEnvironment {
        /// The value, when short and plain enough to show (anything else might be a
        /// misplaced secret).
        value: Option<String>,
    },
    /// `KALSHI_BASE_URL` is not usable: not a URL, not `https`, plain `http` to a host that
    /// is not loopback, ...
    InvalidBaseUrl {
        /// Why.
        reason: String,
    },
}

impl EnvError {
    /// The variable at fault (one of this module's constants; `KALSHI_PRIVATE_KEY_PATH` for
    /// [`MissingKey`](Self::MissingKey) and [`BothKeys`](Self::BothKeys)).
    pub fn variable(&self) -> &'static str {
        match self {
            EnvError::MissingKeyId | EnvError::InvalidKeyId { .. } => KALSHI_API_KEY_ID,
            EnvError::Empty { variable }
            | EnvError::NotUnicode { variable }
            | EnvError::InvalidKey { variable, .. } => variable,
            EnvError::MissingKey | EnvError::BothKeys | EnvError::KeyFileUnreadable { .. } => {
                KALSHI_PRIVATE_KEY_PATH
            }
            EnvError::UnknownEnvironment { .. } => KALSHI_ENV,
            EnvError::InvalidBaseUrl { .. } => KALSHI_BASE_URL,
        }
    }
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::MissingKeyId => write!(
                f,
                "{KALSHI_API_KEY_ID} is not set; set it to your API key id"
            ),
            EnvError::Empty { variable } => write!(f, "{variable} is set but empty"),
            EnvError::MissingKey => write!(
                f,
                "{KALSHI_PRIVATE_KEY_PATH} / {KALSHI_PRIVATE_KEY}: neither is set; set \
                 {KALSHI_PRIVATE_KEY_PATH} to the private key's PEM file, or \
                 {KALSHI_PRIVATE_KEY} to its PEM text"
            ),
            EnvError::BothKeys => write!(
                f,
                "{KALSHI_PRIVATE_KEY_PATH} / {KALSHI_PRIVATE_KEY}: both are set; set only one"
            ),
            EnvError::NotUnicode { variable } => write!(f, "{variable} is not valid UTF-8"),
            EnvError::InvalidKeyId { reason } => write!(f, "{KALSHI_API_KEY_ID}: {reason}"),
            EnvError::KeyFileUnreadable { path, reason } => {
                write!(
                    f,
                    "{KALSHI_PRIVATE_KEY_PATH}: cannot read the key file {}: {reason}",
                    path.display()
                )?;
                if path.starts_with("~") {
                    write!(
                        f,
                        " (`~` is not expanded here; use $HOME or an absolute path)"
                    )?;
                }
                Ok(())
            }
            EnvError::InvalidKey { variable, reason } => write!(f, "{variable}: {reason}"),
            EnvError::UnknownEnvironment { value } => {
                match value {
                    Some(v) => write!(f, "{KALSHI_ENV}: unknown environment `{v}`")?,
                    None => write!(f, "{KALSHI_ENV}: unknown environment (value not shown)")?,
                }
                f.write_str("; expected one of (case-insensitive)")?;
                for (i, (name, _)) in ENVIRONMENT_NAMES.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}`{name}`")?;
                }
                f.write_str("; unset means `demo`")
            }
            EnvError::InvalidBaseUrl { reason } => write!(f, "{KALSHI_BASE_URL}: {reason}"),
        }
    }
}

impl std::error::Error for EnvError {}

/// A variable's value, `None` when unset; fails only when the value cannot be read.
type Lookup<'a> = dyn FnMut(&'static str) -> Result<Option<String>, EnvError> + 'a;

fn process_env(name: &'static str) -> Result<Option<String>, EnvError> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(EnvError::NotUnicode { variable: name }),
    }
}

fn read_credentials(
    lookup: &mut Lookup<'_>,
) -> Result<(Credentials, KeySource, Vec<String>), EnvError> {
    // Wiped too: a key pasted into the wrong variable is refused below, but was read.
    let key_id = Zeroizing::new(lookup(KALSHI_API_KEY_ID)?.ok_or(EnvError::MissingKeyId)?);
    let key_id = key_id.trim();
    if key_id.is_empty() {
        return Err(EnvError::Empty {
            variable: KALSHI_API_KEY_ID,
        });
    }
    if looks_like_pem(key_id) {
        return Err(EnvError::InvalidKeyId {
            reason: format!(
                "this is a PEM key, not a key id (value not shown); put the key in \
                 {KALSHI_PRIVATE_KEY} or its file's path in {KALSHI_PRIVATE_KEY_PATH}"
            ),
        });
    }
    if http::HeaderValue::from_str(key_id).is_err() {
        return Err(EnvError::InvalidKeyId {
            reason: "the key id contains characters not allowed in an HTTP header (value not \
                     shown)"
                .into(),
        });
    }

    // Both values are wiped when dropped: the text may be the key itself.
    let path = lookup(KALSHI_PRIVATE_KEY_PATH)?.map(Zeroizing::new);
    let pem = lookup(KALSHI_PRIVATE_KEY)?.map(Zeroizing::new);
    let given = |v: &Option<Zeroizing<String>>| v.as_ref().is_some_and(|v| !v.trim().is_empty());
    match (given(&path), given(&pem)) {
        (true, true) => Err(EnvError::BothKeys),
        (true, false) => {
            let path = path.as_deref().map_or("", |p| p.trim());
            key_from_file(key_id, path)
        }
        (false, true) => {
            let pem = pem.as_deref().map_or("", |p| p.trim());
            key_from_variable(key_id, pem)
        }
        (false, false) => Err(match (path.is_some(), pem.is_some()) {
            (true, _) => EnvError::Empty {
                variable: KALSHI_PRIVATE_KEY_PATH,
            },
            (false, true) => EnvError::Empty {
                variable: KALSHI_PRIVATE_KEY,
            },
            (false, false) => EnvError::MissingKey,
        }),
    }
}

fn key_from_file(
    key_id: &str,
    path: &str,
) -> Result<(Credentials, KeySource, Vec<String>), EnvError> {
    if looks_like_pem(path) {
        // The "path" is the key: never show it.
        return Err(EnvError::InvalidKey {
            variable: KALSHI_PRIVATE_KEY_PATH,
            reason: format!(
                "this is PEM text, not a path (value not shown); put the PEM text in \
                 {KALSHI_PRIVATE_KEY} instead"
            ),
        });
    }
    let path = Path::new(path);
    let bytes = read_key_file(path)?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(EnvError::InvalidKey {
            variable: KALSHI_PRIVATE_KEY_PATH,
            reason: format!("the key file {} is not PEM text", path.display()),
        });
    };
    let credentials = Credentials::from_pem(key_id, text).map_err(|e| {
        key_error(
            KALSHI_PRIVATE_KEY_PATH,
            e,
            &format!("the key file {}", path.display()),
        )
    })?;
    let warnings = PrivateKey::file_permission_warning(path)
        .into_iter()
        .collect();
    Ok((credentials, KeySource::File(path.to_owned()), warnings))
}

fn key_from_variable(
    key_id: &str,
    pem: &str,
) -> Result<(Credentials, KeySource, Vec<String>), EnvError> {
    if !pem.contains("-----BEGIN") && looks_like_path(pem) {
        return Err(EnvError::InvalidKey {
            variable: KALSHI_PRIVATE_KEY,
            reason: format!(
                "this looks like a file path, not PEM text; put the path in \
                 {KALSHI_PRIVATE_KEY_PATH} instead"
            ),
        });
    }
    let unflattened = unflatten_newlines(pem);
    let text = unflattened.as_deref().map_or(pem, |s| s.as_str());
    let credentials = Credentials::from_pem(key_id, text)
        .map_err(|e| key_error(KALSHI_PRIVATE_KEY, e, "the PEM text"))?;
    Ok((credentials, KeySource::Variable, Vec::new()))
}

/// The core's key error, attributed to `variable`. The core's messages never contain key
/// material; any other error class is reported by kind only.
fn key_error(variable: &'static str, e: Error, what: &str) -> EnvError {
    match e {
        Error::InvalidKey(m) => EnvError::InvalidKey {
            variable,
            reason: format!("{what}: {m}"),
        },
        Error::InvalidInput { reason, .. } => EnvError::InvalidKeyId { reason },
        other => EnvError::InvalidKey {
            variable,
            reason: format!("{what}: {other}"),
        },
    }
}

/// Reads at most [`MAX_KEY_FILE_BYTES`] of the key file into a buffer that is wiped when
/// dropped (allocated once at full size, so no reallocation leaves a copy behind).
fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, EnvError> {
    let unreadable = |e: std::io::Error| EnvError::KeyFileUnreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_BYTES + 1));
    file.take(MAX_KEY_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(EnvError::InvalidKey {
            variable: KALSHI_PRIVATE_KEY_PATH,
            reason: format!(
                "the key file {} is larger than {} KiB: not a PEM private key",
                path.display(),
                MAX_KEY_FILE_BYTES / 1024
            ),
        });
    }
    Ok(bytes)
}

/// `Some` PEM text with real line breaks when `pem` has none but has literal `\n` (or `\r\n`)
/// sequences; `None` to use `pem` as it is. Built in a buffer of the final size that is wiped
/// when dropped.
fn unflatten_newlines(pem: &str) -> Option<Zeroizing<String>> {
    if pem.contains('\n') || !pem.contains("\\n") {
        return None;
    }
    let mut out = Zeroizing::new(String::with_capacity(pem.len()));
    for (i, piece) in pem.split("\\n").enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(piece.strip_suffix("\\r").unwrap_or(piece));
    }
    Some(out)
}

fn looks_like_pem(value: &str) -> bool {
    value.contains("-----BEGIN") || value.contains("PRIVATE KEY")
}

fn looks_like_path(value: &str) -> bool {
    !value.contains(char::is_whitespace)
        && (value.starts_with(['/', '~', '.'])
            || value.ends_with(".pem")
            || value.ends_with(".key")
            || value.contains('\\'))
}

fn read_environment(lookup: &mut Lookup<'_>) -> Result<Environment, EnvError> {
    let named = match lookup(KALSHI_ENV)? {
        Some(name) if !name.trim().is_empty() => environment_named(&name)?,
        _ => Environment::Demo,
    };
    match lookup(KALSHI_BASE_URL)? {
        Some(url) if !url.trim().is_empty() => base_url(url.trim()),
        _ => Ok(named),
    }
}

fn environment_named(name: &str) -> Result<Environment, EnvError> {
    match name.trim().to_ascii_lowercase().as_str() {
        "demo" => Ok(Environment::Demo),
        "prod" | "production" => Ok(Environment::Production),
        "demo-shared" => Ok(Environment::DemoShared),
        "prod-shared" | "production-shared" => Ok(Environment::ProductionShared),
        _ => {
            let name = name.trim();
            // Shown only when it cannot be a misplaced secret.
            let plain = name.len() <= 32
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
            Err(EnvError::UnknownEnvironment {
                value: plain.then(|| name.to_owned()),
            })
        }
    }
}

fn base_url(url: &str) -> Result<Environment, EnvError> {
    if looks_like_pem(url) || url.contains(char::is_whitespace) {
        return Err(EnvError::InvalidBaseUrl {
            reason: "not a URL (value not shown)".into(),
        });
    }
    if url.contains('@') {
        return Err(EnvError::InvalidBaseUrl {
            reason: "user info (`user:password@`) in the URL is not supported (value not shown)"
                .into(),
        });
    }
    Environment::custom(url).map_err(|e| EnvError::InvalidBaseUrl {
        reason: match e {
            Error::InvalidBaseUrl(m) => m,
            other => other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests;
