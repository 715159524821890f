//! `kalshi-simulator`: runs the local Kalshi exchange simulator until killed.
//!
//! ```text
//! kalshi-simulator [--key KEY_ID=PUBLIC_KEY_PEM_PATH]... [--port N] [--window-secs N]
//!                  [--market TICKER]... [--rate-limit TIER] [--starting-balance-cents N]
//!                  [--error-shape SHAPE]
//! ```
//!
//! Without `--key`, the bundled demo key (`demo-key`) is registered. On start it prints exactly
//! one line, the base URL (`http://127.0.0.1:PORT/trade-api/v2`), to stdout.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use kalshi_simulator::{ErrorShape, RateLimitTier, Simulator, SimulatorConfig};

const USAGE: &str =
    "usage: kalshi-simulator [--key KEY_ID=PUBLIC_KEY_PEM_PATH]... [--port N] [--window-secs N]
                        [--market TICKER]... [--rate-limit TIER] [--starting-balance-cents N]
                        [--error-shape SHAPE]

  --key KEY_ID=PATH   register an API key id with its PEM public key (repeatable;
                      default: the bundled demo key `demo-key`)
  --port N            port on 127.0.0.1 to listen on (default 0: a free port)
  --window-secs N     accepted request timestamp window, in seconds either way (default 30)
  --market TICKER     list one more market (one-cent tick, shard 0; repeatable), besides
                      KXTEST-26DEC31-T50, KXTEST-26DEC31-T60 and KXSUBPENNY-26DEC31-T50
  --rate-limit TIER   turn token-bucket rate limiting on at a tier: basic, advanced,
                      expert, premier, paragon, prime or prestige (default: off)
  --starting-balance-cents N
                      cash every subaccount starts with (default 1000000, i.e. $10,000)
  --error-shape SHAPE the JSON of error answers: flat (default; the documented
                      ErrorResponse {code, message, details, service}), nested
                      ({error: {code, ...}}) or bare ({error: message})

Prints the base URL on one line, then serves until killed. The WebSocket API is served on
the same port at ws://127.0.0.1:PORT/trade-api/ws/v2.";

/// The parsed command line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    /// (key id, public key PEM path) pairs.
    keys: Vec<(String, String)>,
    port: u16,
    window_secs: Option<u64>,
    markets: Vec<String>,
    rate_limit: Option<RateLimitTier>,
    starting_balance_cents: Option<u64>,
    error_shape: Option<ErrorShape>,
    help: bool,
}

/// Parses the arguments (without the program name).
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--key" => {
                let v = value("--key")?;
                let (id, path) = v
                    .split_once('=')
                    .filter(|(id, path)| !id.is_empty() && !path.is_empty())
                    .ok_or_else(|| {
                        format!("--key expects KEY_ID=PUBLIC_KEY_PEM_PATH, got `{v}`")
                    })?;
                out.keys.push((id.to_owned(), path.to_owned()));
            }
            "--port" => {
                let v = value("--port")?;
                out.port = v
                    .parse()
                    .map_err(|_| format!("--port expects a port number, got `{v}`"))?;
            }
            "--window-secs" => {
                let v = value("--window-secs")?;
                out.window_secs = Some(
                    v.parse()
                        .map_err(|_| format!("--window-secs expects whole seconds, got `{v}`"))?,
                );
            }
            "--market" => {
                let v = value("--market")?;
                if v.is_empty() {
                    return Err("--market expects a ticker".to_owned());
                }
                out.markets.push(v);
            }
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                out.rate_limit = Some(RateLimitTier::parse(&v).ok_or_else(|| {
                    format!(
                        "--rate-limit expects basic, advanced, expert, premier, paragon, prime or prestige, got `{v}`"
                    )
                })?);
            }
            "--starting-balance-cents" => {
                let v = value("--starting-balance-cents")?;
                out.starting_balance_cents = Some(v.parse().map_err(|_| {
                    format!("--starting-balance-cents expects whole cents, got `{v}`")
                })?);
            }
            "--error-shape" => {
                let v = value("--error-shape")?;
                out.error_shape = Some(ErrorShape::parse(&v).ok_or_else(|| {
                    format!("--error-shape expects flat, nested or bare, got `{v}`")
                })?);
            }
            "-h" | "--help" => out.help = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(out)
}

/// Builds the simulator configuration, reading the key files.
fn config(args: &Args) -> Result<SimulatorConfig, String> {
    let mut config = if args.keys.is_empty() {
        SimulatorConfig::default()
    } else {
        SimulatorConfig::empty()
    };
    for (id, path) in &args.keys {
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the public key for `{id}` at {path}: {e}"))?;
        config = config
            .with_key_pem(id.clone(), &pem)
            .map_err(|e| format!("the public key for `{id}` at {path}: {e}"))?;
    }
    if let Some(secs) = args.window_secs {
        config = config.with_timestamp_window(Duration::from_secs(secs));
    }
    for ticker in &args.markets {
        config = config.with_market(ticker.as_str());
    }
    if let Some(tier) = args.rate_limit {
        config = config.with_rate_limits(tier);
    }
    if let Some(cents) = args.starting_balance_cents {
        config = config.with_starting_balance_cents(cents);
    }
    if let Some(shape) = args.error_shape {
        config = config.with_error_shape(shape);
    }
    Ok(config.with_port(args.port))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("kalshi-simulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kalshi-simulator: {e}");
            return ExitCode::from(2);
        }
    };
    let sim = match Simulator::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kalshi-simulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", sim.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    // Serve until killed; the simulator runs on its own thread.
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags() {
        assert_eq!(parse(&[]).unwrap(), Args::default());
        let a = parse(&[
            "--key",
            "a=/tmp/a.pem",
            "--key=b=/tmp/b=c.pem",
            "--port",
            "8080",
            "--window-secs=5",
            "--market",
            "KXA-1",
            "--market=KXB-2",
            "--rate-limit",
            "Premier",
            "--starting-balance-cents=250",
            "--error-shape",
            "NESTED",
        ])
        .unwrap();
        assert_eq!(a.error_shape, Some(ErrorShape::Nested));
        assert_eq!(a.markets, ["KXA-1", "KXB-2"]);
        assert_eq!(a.rate_limit, Some(RateLimitTier::Premier));
        assert_eq!(a.starting_balance_cents, Some(250));
        assert_eq!(
            a.keys,
            [
                ("a".to_owned(), "/tmp/a.pem".to_owned()),
                ("b".to_owned(), "/tmp/b=c.pem".to_owned())
            ]
        );
        assert_eq!(a.port, 8080);
        assert_eq!(a.window_secs, Some(5));
        assert!(parse(&["--help"]).unwrap().help);
    }

    #[test]
    fn refuses_bad_flags() {
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--port", "70000"],
            &["--window-secs", "-1"],
            &["--key", "nopath"],
            &["--key", "=path"],
            &["--key", "id="],
            &["--market"],
            &["--market", ""],
            &["--rate-limit", "gold"],
            &["--starting-balance-cents", "-5"],
            &["--starting-balance-cents", "1.5"],
            &["--error-shape"],
            &["--error-shape", "xml"],
            &["--nope"],
            &["stray"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn builds_configs() {
        let default = config(&Args::default()).unwrap();
        assert_eq!(default.key_ids().collect::<Vec<_>>(), ["demo-key"]);
        assert_eq!(default.error_shape(), ErrorShape::Flat);
        let bare = config(&parse(&["--error-shape=bare"]).unwrap()).unwrap();
        assert_eq!(bare.error_shape(), ErrorShape::Bare);
        let dir = env!("CARGO_MANIFEST_DIR");
        let args = parse(&[
            "--key",
            &format!("mine={dir}/keys/other-key.pub.pem"),
            "--window-secs",
            "7",
        ])
        .unwrap();
        let c = config(&args).unwrap();
        assert_eq!(c.key_ids().collect::<Vec<_>>(), ["mine"]);
        assert_eq!(c.timestamp_window(), Duration::from_secs(7));
        assert_eq!(c.markets().count(), 3);
        let with_market =
            config(&parse(&["--market", "KXRAIN-1", "--rate-limit", "basic"]).unwrap()).unwrap();
        assert!(with_market.markets().any(|m| m.ticker == "KXRAIN-1"));
        assert_eq!(with_market.markets().count(), 4);
        let missing = parse(&["--key", "x=/nonexistent.pem"]).unwrap();
        assert!(config(&missing).unwrap_err().contains("/nonexistent.pem"));
        let not_a_key = parse(&["--key", &format!("x={dir}/keys/README.md")]).unwrap();
        assert!(config(&not_a_key).is_err());
    }
}
