//! Clients built from the `KALSHI_*` variables (`kalshi_core::config`), through the injectable
//! lookup, so the process environment is never touched: every combination that works signs
//! requests the simulator accepts, every bad value is an error naming its variable, and no error
//! shows key material. (`from_process_env.rs` checks the real process environment, alone in its
//! binary.)

use std::collections::HashMap;
use std::path::PathBuf;

use base64::Engine as _;
use kalshi_core::config::{
    EnvConfig, EnvError, KALSHI_API_KEY_ID, KALSHI_BASE_URL, KALSHI_ENV, KALSHI_PRIVATE_KEY,
    KALSHI_PRIVATE_KEY_PATH, KeySource,
};
use kalshi_core::portfolio::GetBalance;
use kalshi_core::{Credentials, Environment};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};

/// A scratch directory of this test process, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("kalshi-env-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes a private (0600) file and returns its path.
    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn lookup(pairs: &[(&str, &str)]) -> impl FnMut(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn config(pairs: &[(&str, &str)]) -> EnvConfig {
    EnvConfig::from_env_with(lookup(pairs)).unwrap_or_else(|e| panic!("refused: {e}"))
}

fn error(pairs: &[(&str, &str)]) -> EnvError {
    let e = EnvConfig::from_env_with(lookup(pairs)).expect_err("the configuration was accepted");
    assert_no_key_material(&e.to_string());
    assert_no_key_material(&format!("{e:?}"));
    // The async client's wrapper shows the same, and nothing more.
    let wrapped = kalshi_transport_hyper::Error::from(e.clone());
    assert_eq!(wrapped.to_string(), e.to_string());
    assert_no_key_material(&format!("{wrapped:?}"));
    e
}

/// Pieces of the demo private key that must never appear: every base64 line of its body, and
/// windows of its DER in hex (how big integers print).
fn needles() -> Vec<String> {
    let lines: Vec<&str> = DEMO_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(lines.concat())
        .expect("the demo key is PEM");
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    // (A short last line could match innocent text; the hex windows cover it.)
    let mut out: Vec<String> = lines
        .iter()
        .filter(|l| l.len() >= 24)
        .map(|l| l[..24].to_owned())
        .collect();
    for start in (64..hex.len().saturating_sub(24)).step_by(101) {
        out.push(hex[start..start + 24].to_owned());
    }
    out
}

/// The first piece of the key found in `shown`.
fn leak(shown: &str) -> Option<String> {
    needles().into_iter().find(|needle| shown.contains(needle))
}

fn assert_no_key_material(shown: &str) {
    if let Some(needle) = leak(shown) {
        panic!("key material {needle} in {shown}");
    }
}

/// The checks every bad value gets: the variable named, in the error and at the start of its
/// message, and what the message says.
fn assert_names(e: &EnvError, variable: &str, says: &str) {
    let shown = e.to_string();
    assert_eq!(e.variable(), variable, "{shown}");
    assert!(shown.starts_with(variable), "{shown}");
    assert!(shown.contains(says), "{shown:?} does not say {says:?}");
}

/// Both transports, built from `config`, sign a request the simulator accepts.
fn both_transports_work(config: &EnvConfig) {
    let blocking = kalshi_transport_ureq::BlockingClient::new(config.client());
    let balance = blocking
        .execute(&GetBalance::new())
        .expect("the blocking client's request is accepted");
    assert!(balance.balance > 0, "{balance:?}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = kalshi_transport_hyper::AsyncClient::new(config.client()).unwrap();
    let balance = runtime
        .block_on(client.execute(&GetBalance::new()))
        .expect("the async client's request is accepted");
    assert!(balance.balance > 0, "{balance:?}");
}

#[test]
fn id_and_key_file_against_the_simulator() {
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let dir = Scratch::new("file");
    let path = dir.file("demo.pem", DEMO_PRIVATE_KEY_PEM.as_bytes());
    let config = config(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, &path),
        (KALSHI_BASE_URL, &sim.base_url()),
    ]);
    assert_eq!(config.key_source(), &KeySource::File(PathBuf::from(&path)));
    assert_eq!(config.environment().base_url().to_string(), sim.base_url());
    #[cfg(unix)]
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    assert_no_key_material(&format!("{config:?}"));
    both_transports_work(&config);
}

#[test]
fn id_and_pem_text_against_the_simulator() {
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let flattened = DEMO_PRIVATE_KEY_PEM.trim_end().replace('\n', "\\n");
    for pem in [DEMO_PRIVATE_KEY_PEM, flattened.as_str()] {
        let config = config(&[
            (KALSHI_API_KEY_ID, DEMO_KEY_ID),
            (KALSHI_PRIVATE_KEY, pem),
            // The base URL wins over KALSHI_ENV.
            (KALSHI_ENV, "prod"),
            (KALSHI_BASE_URL, &sim.base_url()),
        ]);
        assert_eq!(config.key_source(), &KeySource::Variable);
        assert_no_key_material(&format!("{config:?}"));
        both_transports_work(&config);
    }
    // Credentials alone, from the same variables.
    let credentials = Credentials::from_env_with(lookup(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, &flattened),
    ]))
    .unwrap();
    assert_eq!(credentials.key_id(), DEMO_KEY_ID);
}

#[test]
fn every_kalshi_env_value_selects_its_host() {
    let pem = (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM);
    let id = (KALSHI_API_KEY_ID, DEMO_KEY_ID);
    for (value, environment, host) in [
        (None, Environment::Demo, "external-api.demo.kalshi.co"),
        (
            Some("demo"),
            Environment::Demo,
            "external-api.demo.kalshi.co",
        ),
        (
            Some("prod"),
            Environment::Production,
            "external-api.kalshi.com",
        ),
        (
            Some("PRODUCTION"),
            Environment::Production,
            "external-api.kalshi.com",
        ),
        (
            Some("demo-shared"),
            Environment::DemoShared,
            "demo-api.kalshi.co",
        ),
        (
            Some("Prod-Shared"),
            Environment::ProductionShared,
            "api.elections.kalshi.com",
        ),
    ] {
        let mut pairs = vec![id, pem];
        pairs.extend(value.map(|v| (KALSHI_ENV, v)));
        let config = config(&pairs);
        assert_eq!(config.environment(), &environment, "{value:?}");
        // The clients sign for that host (no request is sent).
        let request = config
            .client()
            .request(&GetBalance::new(), kalshi_core::Timestamp::from_millis(1))
            .unwrap();
        assert_eq!(request.uri().host(), Some(host), "{value:?}");
        let client = kalshi_transport_ureq::BlockingClient::new(config.client());
        assert_eq!(client.core().base_url().authority(), host);
        let client = kalshi_transport_hyper::AsyncClient::new(config.into_client()).unwrap();
        assert_eq!(client.core().base_url().authority(), host);
    }
}

#[test]
fn nothing_set_is_none_for_a_fallback() {
    assert!(
        EnvConfig::from_env_optional_with(lookup(&[(KALSHI_ENV, "prod")]))
            .unwrap()
            .is_none()
    );
    // A key without its id is not "nothing set".
    let e =
        EnvConfig::from_env_optional_with(lookup(&[(KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM)]))
            .unwrap_err();
    assert_names(&e, KALSHI_API_KEY_ID, "not set");
}

// One test per bad value.

#[test]
fn missing_id() {
    let e = error(&[(KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM)]);
    assert_eq!(e, EnvError::MissingKeyId);
    assert_names(&e, KALSHI_API_KEY_ID, "not set");
}

#[test]
fn empty_id() {
    let e = error(&[
        (KALSHI_API_KEY_ID, "  "),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
    ]);
    assert_names(&e, KALSHI_API_KEY_ID, "empty");
}

#[test]
fn neither_key_variable() {
    let e = error(&[(KALSHI_API_KEY_ID, DEMO_KEY_ID)]);
    assert_eq!(e, EnvError::MissingKey);
    assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "neither is set");
    assert!(e.to_string().contains(KALSHI_PRIVATE_KEY), "{e}");
}

#[test]
fn missing_key_file() {
    let dir = Scratch::new("missing");
    let path = dir.0.join("nope.pem");
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, path.to_str().unwrap()),
    ]);
    assert!(matches!(e, EnvError::KeyFileUnreadable { .. }), "{e:?}");
    assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "cannot read the key file");
    assert!(e.to_string().contains(path.to_str().unwrap()), "{e}");
}

#[cfg(unix)]
#[test]
fn unreadable_key_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("unreadable");
    let path = dir.file("demo.pem", DEMO_PRIVATE_KEY_PEM.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Root reads anything: the permission cannot be tested here; a directory cannot be
        // read as a file by anyone.
        let e = error(&[
            (KALSHI_API_KEY_ID, DEMO_KEY_ID),
            (KALSHI_PRIVATE_KEY_PATH, dir.0.to_str().unwrap()),
        ]);
        assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "cannot read the key file");
        return;
    }
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, &path),
    ]);
    assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "ermission denied");
}

#[test]
fn bad_pem_in_the_key_file() {
    let dir = Scratch::new("badfile");
    // The demo key with a piece of its body cut out.
    let broken = DEMO_PRIVATE_KEY_PEM.replace(&DEMO_PRIVATE_KEY_PEM[100..130], "");
    let path = dir.file("broken.pem", broken.as_bytes());
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, &path),
    ]);
    assert!(matches!(e, EnvError::InvalidKey { .. }), "{e:?}");
    assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "malformed");
    assert!(e.to_string().contains(&path), "{e}");
}

#[test]
fn bad_pem_in_the_variable() {
    let broken = DEMO_PRIVATE_KEY_PEM.replace(&DEMO_PRIVATE_KEY_PEM[100..130], "");
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, &broken),
    ]);
    assert_names(&e, KALSHI_PRIVATE_KEY, "malformed");
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, "not a key"),
    ]);
    assert_names(&e, KALSHI_PRIVATE_KEY, "no PEM block");
}

#[test]
fn both_path_and_pem() {
    let dir = Scratch::new("both");
    let path = dir.file("demo.pem", DEMO_PRIVATE_KEY_PEM.as_bytes());
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, &path),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
    ]);
    assert_eq!(e, EnvError::BothKeys);
    assert_names(&e, KALSHI_PRIVATE_KEY_PATH, "both are set");
    assert!(e.to_string().contains(KALSHI_PRIVATE_KEY), "{e}");
}

#[test]
fn unknown_kalshi_env() {
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
        (KALSHI_ENV, "staging"),
    ]);
    assert_names(&e, KALSHI_ENV, "unknown environment `staging`");
    // It lists the accepted names.
    for name in ["`demo`", "`prod`", "`demo-shared`", "`prod-shared`"] {
        assert!(e.to_string().contains(name), "{e}");
    }
}

#[test]
fn plain_http_off_loopback() {
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
        (KALSHI_BASE_URL, "http://example.com/trade-api/v2"),
    ]);
    assert_names(
        &e,
        KALSHI_BASE_URL,
        "plain http is only allowed to loopback",
    );
}

#[test]
fn bad_base_url() {
    let e = error(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
        (KALSHI_BASE_URL, "ftp://127.0.0.1/trade-api/v2"),
    ]);
    assert_names(&e, KALSHI_BASE_URL, "scheme");
}

/// The key in every wrong place: refused, naming the variable, without showing it.
#[test]
fn a_misplaced_key_is_never_shown() {
    let flattened = DEMO_PRIVATE_KEY_PEM.trim_end().replace('\n', "\\n");
    let dir = Scratch::new("misplaced");
    let path = dir.file("demo.pem", DEMO_PRIVATE_KEY_PEM.as_bytes());
    for pem in [DEMO_PRIVATE_KEY_PEM, flattened.as_str()] {
        let id = (KALSHI_API_KEY_ID, DEMO_KEY_ID);
        let key = (KALSHI_PRIVATE_KEY_PATH, path.as_str());
        for (pairs, variable) in [
            (vec![(KALSHI_API_KEY_ID, pem), key], KALSHI_API_KEY_ID),
            (
                vec![id, (KALSHI_PRIVATE_KEY_PATH, pem)],
                KALSHI_PRIVATE_KEY_PATH,
            ),
            (vec![id, key, (KALSHI_ENV, pem)], KALSHI_ENV),
            (vec![id, key, (KALSHI_BASE_URL, pem)], KALSHI_BASE_URL),
        ] {
            // `error` checks Display and Debug for key material.
            assert_eq!(error(&pairs).variable(), variable);
        }
    }
}

/// The leak check can fail: it finds the key in the PEM text, flattened or not, and in any
/// one line of it.
#[test]
fn the_leak_check_sees_the_key() {
    let flattened = DEMO_PRIVATE_KEY_PEM.replace('\n', "\\n");
    assert!(leak(DEMO_PRIVATE_KEY_PEM).is_some());
    assert!(leak(&flattened).is_some());
    for line in DEMO_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 24)
    {
        assert!(leak(line).is_some(), "{line}");
    }
}
