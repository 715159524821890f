//! The client from the `KALSHI_*` environment variables.

use kalshi_core::config::{EnvConfig, EnvError};

use crate::{BlockingClient, Config};

impl BlockingClient {
    /// A client configured by the `KALSHI_*` variables of the process environment, with the
    /// default [`Config`]: `KALSHI_API_KEY_ID`, one of `KALSHI_PRIVATE_KEY_PATH` (a PEM file)
    /// or `KALSHI_PRIVATE_KEY` (the PEM text), `KALSHI_ENV` (`demo` by default) and
    /// `KALSHI_BASE_URL` (see [`kalshi_core::config`]). A bad value is an [`EnvError`] naming
    /// its variable.
    ///
    /// A warning about the key file (readable by others) is emitted as a `tracing` WARN event
    /// and the client is built all the same; to handle it yourself, build the client from
    /// [`EnvConfig::from_env`] and read [`EnvConfig::warnings`]:
    ///
    /// ```no_run
    /// use kalshi_core::config::EnvConfig;
    /// use kalshi_transport_ureq::BlockingClient;
    /// # fn main() -> Result<(), kalshi_core::config::EnvError> {
    /// let env = EnvConfig::from_env()?;
    /// for warning in env.warnings() {
    ///     eprintln!("warning: {warning}");
    /// }
    /// let client = BlockingClient::new(env.into_client());
    /// # drop(client); Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, EnvError> {
        Self::from_env_with_config(Config::default())
    }

    /// [`from_env`](Self::from_env) with the given transport settings.
    pub fn from_env_with_config(config: Config) -> Result<Self, EnvError> {
        Ok(Self::with_config(
            warn_and_take(EnvConfig::from_env()?),
            config,
        ))
    }
}

/// The core client of `env`, after emitting each of its warnings as a WARN event (a key file's
/// path and mode, never its contents).
fn warn_and_take(env: EnvConfig) -> kalshi_core::Client {
    for warning in env.warnings() {
        tracing::warn!(target: crate::trace::TARGET, warning = %warning, "KALSHI_* configuration");
    }
    env.into_client()
}
