//! Where requests go: the production and demo presets, the older shared hosts, or any base URL.

use std::fmt;
use std::net::IpAddr;

use crate::Error;

/// A Kalshi environment.
///
/// ```
/// use kalshi_core::Environment;
/// assert_eq!(Environment::Demo.base_url().to_string(), "https://external-api.demo.kalshi.co/trade-api/v2");
/// let local = Environment::custom("http://127.0.0.1:8080/trade-api/v2")?;
/// assert_eq!(local.base_url().path_prefix(), "/trade-api/v2");
/// assert!(Environment::custom("http://example.com/trade-api/v2").is_err()); // plain http off loopback
/// # Ok::<(), kalshi_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// Production, the recommended host: `https://external-api.kalshi.com/trade-api/v2`.
    Production,
    /// Demo, the recommended host: `https://external-api.demo.kalshi.co/trade-api/v2`.
    Demo,
    /// Production's older shared host, still supported: `https://api.elections.kalshi.com/trade-api/v2`.
    ProductionShared,
    /// Demo's older shared host, still supported: `https://demo-api.kalshi.co/trade-api/v2`.
    DemoShared,
    /// Any other server (a proxy, the local simulator).
    Custom(BaseUrl),
}

impl Environment {
    /// A custom environment from a base URL such as `https://host/trade-api/v2`.
    pub fn custom(base_url: &str) -> Result<Self, Error> {
        Ok(Environment::Custom(BaseUrl::parse(base_url)?))
    }

    /// `"prod"`/`"production"` or `"demo"` (case-insensitive). `KALSHI_ENV` also accepts the
    /// shared hosts' names; see [`config::ENVIRONMENT_NAMES`](crate::config::ENVIRONMENT_NAMES).
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name.trim().to_ascii_lowercase().as_str() {
            "prod" | "production" => Ok(Environment::Production),
            "demo" => Ok(Environment::Demo),
            other => Err(Error::InvalidBaseUrl(format!(
                "unknown environment `{}`; expected `demo` or `prod`",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> BaseUrl {
        let preset = |host: &str| BaseUrl {
            https: true,
            authority: host.to_owned(),
            prefix: "/trade-api/v2".to_owned(),
        };
        match self {
            Environment::Production => preset("external-api.kalshi.com"),
            Environment::Demo => preset("external-api.demo.kalshi.co"),
            Environment::ProductionShared => preset("api.elections.kalshi.com"),
            Environment::DemoShared => preset("demo-api.kalshi.co"),
            Environment::Custom(b) => b.clone(),
        }
    }
}

/// A validated base URL: `https://` to any host, or plain `http://` to a loopback address only.
///
/// Its path prefix (normally `/trade-api/v2`) is part of every signed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    https: bool,
    authority: String,
    prefix: String,
}

impl BaseUrl {
    /// Parses and checks a base URL. Refused: other schemes, plain `http` to a non-loopback
    /// host, user info, a query or a fragment.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            Error::InvalidBaseUrl(format!(
                "`{}`: {why}",
                url.chars().take(200).collect::<String>()
            ))
        };
        let uri: http::Uri = url.parse().map_err(|_| bad("not a URL"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(_) => return Err(bad("the scheme must be https (or http for loopback)")),
            None => return Err(bad("the URL needs a scheme, e.g. https://")),
        };
        let authority = uri.authority().ok_or_else(|| bad("the URL has no host"))?;
        if authority.as_str().contains('@') {
            return Err(bad("user info in the URL is not supported"));
        }
        if url.contains('#') || uri.query().is_some() {
            return Err(bad("a base URL cannot have a query or fragment"));
        }
        let host = authority.host();
        if !https && !is_loopback(host) {
            return Err(bad(
                "plain http is only allowed to loopback addresses (127.0.0.1, ::1, localhost); use https",
            ));
        }
        let prefix = uri.path().trim_end_matches('/').to_owned();
        Ok(BaseUrl {
            https,
            authority: authority.as_str().to_ascii_lowercase(),
            prefix,
        })
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// True for `https`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// Host and optional port, e.g. `external-api.kalshi.com` or `127.0.0.1:8080`.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The path every endpoint path is appended to, without a trailing slash (`/trade-api/v2`).
    pub fn path_prefix(&self) -> &str {
        &self.prefix
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme(), self.authority, self.prefix)
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        assert_eq!(
            Environment::Production.base_url().to_string(),
            "https://external-api.kalshi.com/trade-api/v2"
        );
        assert_eq!(
            Environment::ProductionShared.base_url().to_string(),
            "https://api.elections.kalshi.com/trade-api/v2"
        );
        assert_eq!(
            Environment::DemoShared.base_url().to_string(),
            "https://demo-api.kalshi.co/trade-api/v2"
        );
        assert_eq!(
            Environment::from_name("PROD").unwrap(),
            Environment::Production
        );
        assert_eq!(Environment::from_name("demo").unwrap(), Environment::Demo);
        assert!(Environment::from_name("staging").is_err());
    }

    #[test]
    fn custom_urls() {
        for ok in [
            "https://example.com/trade-api/v2/",
            "http://127.0.0.1:1234/trade-api/v2",
            "http://[::1]:80/trade-api/v2",
            "http://localhost:9/x",
            "http://127.8.9.10/",
        ] {
            BaseUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        assert_eq!(
            BaseUrl::parse("https://example.com/trade-api/v2/")
                .unwrap()
                .path_prefix(),
            "/trade-api/v2"
        );
        for bad in [
            "http://example.com/trade-api/v2",
            "http://10.0.0.1/trade-api/v2",
            "http://127.0.0.1.example.com/",
            "ftp://127.0.0.1/",
            "example.com/trade-api/v2",
            "https://user:pw@example.com/",
            "https://example.com/trade-api/v2?x=1",
            "",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::InvalidBaseUrl(_))),
                "{bad} accepted"
            );
        }
    }
}
