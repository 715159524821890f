//! The sign-time comparison: `openssl speed rsa2048` against our signing of a whole
//! create-order-group request, in one run.
//!
//! The issue's check is that *the default build of a transport* (no features named) signs a
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
//!
//! "No features named" builds `kalshi-benches` with its default (empty) feature set, so
//! kalshi-core's features are the union of what both transports and the simulator turn on by
//! default, which is what a user of either transport gets as long as the two transports agree
//! on the default signer (the union would hide a difference: compare their `default` features).

use std::process::Command;
use std::time::Duration;

use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Credentials, Environment, Timestamp};
use serde::{Deserialize, Serialize};

use crate::signers::{KEY_ID, KEY_PEM};
use crate::timing::{measure, median};

/// The timestamp every timed request is signed at.
pub const TS: Timestamp = Timestamp::from_millis(1_703_123_456_789);

/// What one build measured for its default credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignTimes {
    /// The name the signer of [`Credentials::from_pem`] reports in this build.
    pub backend: String,
    /// Median time of `Client::request(&CreateOrderGroup::new(100), ..)`: build and sign a
    /// whole create-order-group request, in nanoseconds (wall clock).
    pub build_sign_ns: f64,
    /// Median time of the signer alone on that request's message, in nanoseconds (wall clock).
    pub sign_ns: f64,
    /// [`SignTimes::build_sign_ns`] in CPU time of the timing thread, where the OS tells it.
    #[serde(default)]
    pub build_sign_cpu_ns: Option<f64>,
    /// [`SignTimes::sign_ns`] in CPU time of the timing thread, where the OS tells it.
    #[serde(default)]
    pub sign_cpu_ns: Option<f64>,
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

/// CPU time this thread has run so far, in nanoseconds (Linux: `/proc/thread-self/schedstat`,
/// user and system time); `None` elsewhere. The kernel brings the figure up to date at each
/// scheduler tick (every 4 ms here), so only differences over long spans are meaningful.
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Per-call figures of one timing, by wall clock and by CPU time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WallCpu {
    /// Median per-call wall-clock time over the batches, in nanoseconds.
    pub wall_ns: f64,
    /// Mean per-call CPU time of this thread over all the batches, in nanoseconds, where the OS
    /// tells it.
    pub cpu_ns: Option<f64>,
}

/// Times `f` like [`measure`] (a batch lasting about `per_sample`, `samples` batches) and also
/// reads this thread's CPU time before the first batch and after the last. CPU time is what
/// `openssl speed` divides by unless given `-elapsed`: on a machine shared with other work it
/// leaves out the time the thread waited for a core, so the two sides of a ratio stay
/// comparable under load. It is taken over the whole run (about `samples × per_sample`), not
/// per batch, because the kernel updates it only at scheduler ticks: over 0.9 s the error is
/// under 1 %.
pub fn measure_wall_cpu<F: FnMut()>(per_sample: Duration, samples: usize, mut f: F) -> WallCpu {
    let batch = measure(per_sample / 4, 1, &mut f).batch.max(1) * 4;
    let mut wall = Vec::with_capacity(samples);
    let c0 = thread_cpu_ns();
    for _ in 0..samples {
        let t = std::time::Instant::now();
        for _ in 0..batch {
            f();
        }
        wall.push(t.elapsed().as_nanos() as f64 / batch as f64);
    }
    let calls = (samples as u64 * batch) as f64;
    WallCpu {
        wall_ns: median(&wall),
        cpu_ns: c0
            .zip(thread_cpu_ns())
            .map(|(c0, c1)| c1.saturating_sub(c0) as f64 / calls),
    }
}

/// Times building and signing a create-order-group request with `credentials`: `per_sample`
/// per batch, `samples` batches, median per call.
pub fn build_sign(credentials: Credentials, per_sample: Duration, samples: usize) -> WallCpu {
    let client = Client::new(Environment::Production, credentials);
    measure_wall_cpu(per_sample, samples, || {
        drop(client.request(&CreateOrderGroup::new(100), TS).unwrap())
    })
}

/// Times the signer of `credentials` alone on a create-order-group request's message.
pub fn sign_only(credentials: &Credentials, per_sample: Duration, samples: usize) -> WallCpu {
    let signer = credentials.signer().clone();
    let msg = kalshi_core::auth::signing_message(
        TS.as_millis(),
        "POST",
        "/trade-api/v2/portfolio/order_groups/create",
    );
    measure_wall_cpu(per_sample, samples, || drop(signer.sign(&msg).unwrap()))
}

/// Times this build's default credentials: the whole request and the signer alone.
pub fn measure_default(per_sample: Duration, samples: usize) -> SignTimes {
    let credentials = default_credentials();
    let sign = sign_only(&credentials, per_sample, samples);
    let build = build_sign(credentials.clone(), per_sample, samples);
    SignTimes {
        backend: credentials.signer().name().to_owned(),
        build_sign_ns: build.wall_ns,
        sign_ns: sign.wall_ns,
        build_sign_cpu_ns: build.cpu_ns,
        sign_cpu_ns: sign.cpu_ns,
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
            build_sign_cpu_ns: Some(249_000.0),
            sign_cpu_ns: None,
        };
        let out = format!("warming up\n{}\n", t.to_json_line());
        assert_eq!(SignTimes::from_output(&out), Some(t));
        assert_eq!(SignTimes::from_output("nothing\n"), None);
        // A line from a build without the CPU-time fields still reads.
        let old = SignTimes::from_output(r#"{"backend":"b","build_sign_ns":2.0,"sign_ns":1.0}"#);
        assert_eq!(old.unwrap().build_sign_cpu_ns, None);
    }

    #[test]
    fn wall_and_cpu_time_count_the_calls() {
        let mut calls = 0u64;
        let t = measure_wall_cpu(Duration::from_micros(400), 3, || {
            calls += 1;
            std::hint::black_box(calls);
        });
        assert!(calls >= 3);
        assert!(t.wall_ns > 0.0);
        if cfg!(target_os = "linux") {
            assert!(thread_cpu_ns().is_some());
            assert!(t.cpu_ns.is_some());
        }
    }
}
