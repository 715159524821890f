//! The `from_env` constructors read the real process environment: `Credentials::from_env`,
//! `EnvConfig::from_env`, `BlockingClient::from_env` and `AsyncClient::from_env`.
//!
//! The one test here never changes its own environment (`set_var` races other threads): it runs
//! this test binary again as a child process with the `KALSHI_*` variables set, and the child
//! reports what each constructor made of them. It is alone in its binary all the same.

use std::path::PathBuf;
use std::process::Command;

use kalshi_core::config::{
    EnvConfig, KALSHI_API_KEY_ID, KALSHI_BASE_URL, KALSHI_ENV, KALSHI_PRIVATE_KEY,
    KALSHI_PRIVATE_KEY_PATH,
};
use kalshi_core::portfolio::GetBalance;
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};

/// Set in the child's environment: run the constructors and report.
const CHILD: &str = "KALSHI_RS_TEST_FROM_ENV_CHILD";
const TEST_NAME: &str = "constructors_read_the_process_environment";

#[test]
fn constructors_read_the_process_environment() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let base_url = sim.base_url();
    let dir = std::env::temp_dir().join(format!("kalshi-from-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("demo.pem");
    std::fs::write(&path, DEMO_PRIVATE_KEY_PEM).unwrap();
    let path = path.to_str().unwrap();

    // A key file, and the PEM text: every constructor works and both clients' requests are
    // accepted by the simulator.
    for key in [
        (KALSHI_PRIVATE_KEY_PATH, path),
        (KALSHI_PRIVATE_KEY, DEMO_PRIVATE_KEY_PEM),
    ] {
        let report = run_child(&[
            (KALSHI_API_KEY_ID, DEMO_KEY_ID),
            key,
            (KALSHI_BASE_URL, &base_url),
        ]);
        for line in [
            "credentials: ok demo-key",
            "config: ok",
            "blocking: ok",
            "async: ok",
        ] {
            assert!(report.contains(line), "{key:?}: no {line:?} in\n{report}");
        }
    }

    // A bad value: each constructor reports the variable.
    let report = run_child(&[
        (KALSHI_API_KEY_ID, DEMO_KEY_ID),
        (KALSHI_PRIVATE_KEY_PATH, path),
        (KALSHI_ENV, "staging"),
    ]);
    assert!(report.contains("credentials: ok"), "{report}");
    for line in [
        "config: err KALSHI_ENV: unknown environment `staging`",
        "blocking: err KALSHI_ENV: unknown environment `staging`",
        "async: err KALSHI_ENV: unknown environment `staging`",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    let report = run_child(&[(KALSHI_PRIVATE_KEY_PATH, path)]);
    assert!(
        report.contains("credentials: err KALSHI_API_KEY_ID is not set"),
        "{report}"
    );
    // Nothing set: the fallback of the examples.
    let report = run_child(&[]);
    assert!(report.contains("optional: none"), "{report}");

    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs this test in a child process whose only `KALSHI_*` variables are `vars`, and returns
/// what it printed.
fn run_child(vars: &[(&str, &str)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"]);
    for (name, _) in std::env::vars_os().filter_map(|(n, v)| Some((n.into_string().ok()?, v))) {
        if name.starts_with("KALSHI_") {
            command.env_remove(name);
        }
    }
    command.env(CHILD, "1");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// In the child: each constructor from the process environment, one line each.
fn child() {
    match kalshi_core::Credentials::from_env() {
        Ok(c) => println!("credentials: ok {}", c.key_id()),
        Err(e) => println!("credentials: err {e}"),
    }
    match EnvConfig::from_env_optional() {
        Ok(None) => println!("optional: none"),
        Ok(Some(_)) => println!("optional: some"),
        Err(e) => println!("optional: err {e}"),
    }
    match EnvConfig::from_env() {
        Ok(c) => println!("config: ok {}", c.environment().base_url()),
        Err(e) => println!("config: err {e}"),
    }
    match kalshi_transport_ureq::BlockingClient::from_env() {
        Ok(client) => match client.execute(&GetBalance::new()) {
            Ok(b) => println!("blocking: ok balance {}", b.balance),
            Err(e) => println!("blocking: request failed: {e}"),
        },
        Err(e) => println!("blocking: err {e}"),
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match kalshi_transport_hyper::AsyncClient::from_env() {
        Ok(client) => match runtime.block_on(client.execute(&GetBalance::new())) {
            Ok(b) => println!("async: ok balance {}", b.balance),
            Err(e) => println!("async: request failed: {e}"),
        },
        Err(e) => println!("async: err {e}"),
    }
}
