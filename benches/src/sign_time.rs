//! The sign-time comparison: `openssl speed rsa2048` against our signing of a whole
//! create-order-group request, in one run.
//!
//! The check is that *the default build of a transport* (no features named) signs a
//! create-order-group request within 1.05× of `openssl speed rsa2048`. Which backend that build
//! uses is decided by kalshi-core's features as the transports turn them on, so the comparison
//! does not assume it: it builds [`Credentials::from_pem`] exactly as a user of the transport
//! would, times `Client::request(&CreateOrderGroup::new(100), ..)` with them, and reports the
//! backend by the name the credentials' signer gives ([`Signer::name`](kalshi_core::Signer)).
//!
//! `benches/compare/run.sh` builds `kalshi-compare` twice: once with no features named (the
//! transports' defaults, which is what a user gets) and once with this crate's `aws-lc` feature
//! (to time the AWS-LC backend explicitly even while it is not the default). The second binary
//! runs the first with `--sign-only`, which prints one [`SignTimes`] JSON line, alternating with
//! `openssl speed` so that every ratio is taken side by side.

use std::process::Command;
use std::time::Duration;

use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Credentials, Environment, Timestamp};
use serde::{Deserialize, Serialize};

use crate::signers::{KEY_ID, KEY_PEM};
use crate::timing::measure;

/// The timestamp every timed request is signed at.
pub const TS: Timestamp = Timestamp::from_millis(1_703_123_456_789);

/// What one build measured for its default credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignTimes {
    /// The name the signer of [`Credentials::from_pem`] reports in this build.
    pub backend: String,
    /// Median time of `Client::request(&CreateOrderGroup::new(100), ..)`: build and sign a
    /// whole create-order-group request, in nanoseconds.
    pub build_sign_ns: f64,
    /// Median time of the signer alone on that request's message, in nanoseconds.
    pub sign_ns: f64,
}

/// The credentials a user of a transport gets from a PEM: [`Credentials::from_pem`], with
/// whatever backend this build's features pick.
pub fn default_credentials() -> Credentials {
    Credentials::from_pem(KEY_ID, KEY_PEM).expect("the demo key loads")
}

/// The backend [`default_credentials`] use in this build.
pub fn default_backend() -> &'static str {
    default_credentials().signer().name()
}

/// Times building and signing a create-order-group request with `credentials`: `per_sample`
/// per batch, `samples` batches, median per call.
pub fn build_sign_ns(credentials: Credentials, per_sample: Duration, samples: usize) -> f64 {
    let client = Client::new(Environment::Production, credentials);
    measure(per_sample, samples, || {
        drop(client.request(&CreateOrderGroup::new(100), TS).unwrap())
    })
    .median_ns
}

/// Times this build's default credentials: the whole request and the signer alone.
pub fn measure_default(per_sample: Duration, samples: usize) -> SignTimes {
    let credentials = default_credentials();
    let signer = credentials.signer().clone();
    let msg = kalshi_core::auth::signing_message(
        TS.as_millis(),
        "POST",
        "/trade-api/v2/portfolio/order_groups/create",
    );
    SignTimes {
        backend: signer.name().to_owned(),
        sign_ns: measure(per_sample, samples, || drop(signer.sign(&msg).unwrap())).median_ns,
        build_sign_ns: build_sign_ns(credentials, per_sample, samples),
    }
}

impl SignTimes {
    /// One line of JSON.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The last line of `stdout` that is a [`SignTimes`].
    pub fn from_output(stdout: &str) -> Option<Self> {
        stdout
            .lines()
            .rev()
            .find_map(|l| serde_json::from_str(l.trim()).ok())
    }
}

/// The RSA-2048 sign time from `openssl speed rsa2048` output, in nanoseconds: from the
/// `sign/s` column (more digits than the seconds column), else from the seconds column.
pub fn parse_openssl_speed(text: &str) -> Option<f64> {
    let line = text
        .lines()
        .find(|l| l.starts_with("rsa") && l.contains("2048 bits"))?;
    let fields: Vec<&str> = line.split("bits").nth(1)?.split_whitespace().collect();
    if let Some(rate) = fields.get(2).and_then(|f| f.parse::<f64>().ok()) {
        if rate > 0.0 {
            return Some(1e9 / rate);
        }
    }
    let secs = fields.first()?.trim_end_matches('s').parse::<f64>().ok()?;
    (secs > 0.0).then_some(secs * 1e9)
}

/// Runs `openssl speed [-elapsed] -seconds {seconds} rsa2048` and returns its sign time in
/// nanoseconds; `None` when openssl is not installed or its output is not understood.
///
/// Without `-elapsed`, `openssl speed` divides by the CPU time it used, so on a loaded machine
/// it reports what an idle one would; with it, wall-clock time, like our timing loops.
pub fn openssl_sign_ns(seconds: u32, elapsed: bool) -> Option<f64> {
    let mut cmd = Command::new("openssl");
    cmd.arg("speed");
    if elapsed {
        cmd.arg("-elapsed");
    }
    let out = cmd
        .args(["-seconds", &seconds.to_string(), "rsa2048"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    parse_openssl_speed(&String::from_utf8_lossy(&out.stdout))
}

/// `openssl version`, when openssl is installed.
pub fn openssl_version() -> Option<String> {
    let out = Command::new("openssl").arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_openssl_3_speed_output() {
        let text = "Doing 2048 bits private rsa's for 3s: 11400 2048 bits private RSA's in 3.00s\n\
                    version: 3.0.19\n\
                    \x20                 sign    verify    sign/s verify/s\n\
                    rsa 2048 bits 0.000263s 0.000017s   3800.0  57400.0\n";
        let ns = parse_openssl_speed(text).unwrap();
        assert!((ns - 263_157.89).abs() < 1.0, "{ns}");
        // Without the rate column, the seconds column.
        assert_eq!(
            parse_openssl_speed("rsa 2048 bits 0.000250s 0.000017s"),
            Some(250_000.0)
        );
        assert_eq!(parse_openssl_speed("rsa 4096 bits 0.002s"), None);
        assert_eq!(parse_openssl_speed(""), None);
    }

    #[test]
    fn sign_times_round_trip_through_noisy_output() {
        let t = SignTimes {
            backend: "rsa-pss (aws-lc-rs)".into(),
            build_sign_ns: 251_000.5,
            sign_ns: 250_000.0,
        };
        let out = format!("warming up\n{}\n", t.to_json_line());
        assert_eq!(SignTimes::from_output(&out), Some(t));
        assert_eq!(SignTimes::from_output("nothing\n"), None);
    }
}
