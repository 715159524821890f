//! The whole order-group lifecycle over the blocking client: create, list, get, update the
//! limit, trigger, reset, get, delete, and a last get that answers 404.
//!
//! ```text
//! cargo run -p kalshi-transport-ureq --example order_group_lifecycle
//! ```
//!
//! With no credentials in the environment it starts the local exchange simulator in-process and
//! signs with the bundled demo key. To run against a real exchange, set (read by
//! `kalshi_core::config::EnvConfig`):
//!
//! | variable | meaning |
//! |---|---|
//! | `KALSHI_API_KEY_ID` | your API key id |
//! | `KALSHI_PRIVATE_KEY_PATH` | the PEM file of its private key (PKCS#1 or PKCS#8) |
//! | `KALSHI_PRIVATE_KEY` | or the PEM text itself (exactly one of the two) |
//! | `KALSHI_ENV` | `demo` (the default), `prod`, `demo-shared` or `prod-shared` |
//! | `KALSHI_BASE_URL` | optional: any base URL such as `https://host/trade-api/v2`; wins over `KALSHI_ENV` |
//!
//! The group it creates has no orders, so the run cancels nothing; if a step fails after the
//! group was created, the example still tries to delete it.

use std::fmt::Display;
use std::process::ExitCode;

use kalshi_core::config::{EnvConfig, KALSHI_PRIVATE_KEY, KeySource};
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroupResponse, GetOrderGroups,
    ResetOrderGroup, TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
use kalshi_transport_ureq::{BlockingClient, Error};

/// The limit the group is created with, and the one it is updated to.
const FIRST_LIMIT: u64 = 10;
const SECOND_LIMIT: u64 = 20;

fn main() -> ExitCode {
    let target = match Target::from_env() {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    println!("{}", target.description);
    println!();
    match lifecycle(&target.client) {
        Ok(()) => {
            println!();
            println!("Lifecycle complete.");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!();
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where the example runs, read from the environment.
struct Target {
    client: BlockingClient,
    /// One line saying where requests go and why.
    description: String,
    /// The in-process simulator, kept alive for the run (`None` against a real exchange).
    _simulator: Option<Simulator>,
}

impl Target {
    /// The key id and a key in the environment: a real exchange. None of the credential
    /// variables: the local simulator, with the bundled demo key. Anything in between (a key
    /// without its id, a bad value) is an error naming the variable, so that a typo never
    /// silently runs against the simulator.
    fn from_env() -> Result<Target, String> {
        match EnvConfig::from_env_optional().map_err(|e| e.to_string())? {
            Some(config) => Ok(Self::exchange(config)),
            None => Self::simulator(),
        }
    }

    fn exchange(config: EnvConfig) -> Target {
        for warning in config.warnings() {
            eprintln!("warning: {warning}");
        }
        let key = match config.key_source() {
            KeySource::File(path) => format!("the key file {}", path.display()),
            _ => format!("the key in {KALSHI_PRIVATE_KEY}"),
        };
        let description = format!(
            "Target: {}, signing as API key `{}` with {key}.{}",
            config.environment().base_url(),
            config.credentials().key_id(),
            if matches!(
                config.environment(),
                Environment::Production | Environment::ProductionShared
            ) {
                "\nThis is PRODUCTION: the run creates and deletes one empty order group."
            } else {
                ""
            }
        );
        Target {
            client: BlockingClient::new(config.into_client()),
            description,
            _simulator: None,
        }
    }

    fn simulator() -> Result<Target, String> {
        let simulator = Simulator::start(SimulatorConfig::default())
            .map_err(|e| format!("cannot start the local simulator: {e}"))?;
        let base_url = simulator.base_url();
        let environment =
            Environment::custom(&base_url).map_err(|e| format!("simulator base URL: {e}"))?;
        let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)
            .map_err(|e| format!("the bundled demo key: {e}"))?;
        let description = format!(
            "Target: the built-in local simulator at {base_url}, signing with the bundled demo key \
             `{DEMO_KEY_ID}`.\n(Set KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH or \
             KALSHI_PRIVATE_KEY, and optionally KALSHI_ENV=demo|prod or KALSHI_BASE_URL, to run \
             against a real exchange.)"
        );
        Ok(Target {
            client: BlockingClient::new(Client::new(environment, credentials)),
            description,
            _simulator: Some(simulator),
        })
    }
}

/// Runs the steps; after the group exists, a failure still tries to delete it.
fn lifecycle(client: &BlockingClient) -> Result<(), String> {
    step(
        1,
        "create",
        format!("POST order_groups/create (contracts_limit {FIRST_LIMIT})"),
    );
    let created = client
        .execute(&CreateOrderGroup::new(FIRST_LIMIT))
        .map_err(|e| failed("create", &e))?;
    let id = created.order_group_id;
    done(format!(
        "created order group {id} (subaccount {})",
        created.subaccount
    ));

    match with_group(client, &id) {
        Ok(()) => Ok(()),
        Err(message) => {
            if let Err(e) = client.execute(&DeleteOrderGroup::new(&id)) {
                if !matches!(e, Error::Api(kalshi_core::Error::NotFound(_))) {
                    eprintln!("(cleanup: could not delete order group {id}: {e})");
                }
            }
            Err(message)
        }
    }
}

fn with_group(client: &BlockingClient, id: &str) -> Result<(), String> {
    step(2, "list", "GET order_groups".to_owned());
    let list = client
        .execute(&GetOrderGroups::new())
        .map_err(|e| failed("list", &e))?;
    let ours = list
        .order_groups
        .iter()
        .find(|g| g.id == id)
        .ok_or_else(|| {
            format!(
                "the list of {} groups does not contain {id}",
                list.order_groups.len()
            )
        })?;
    done(format!(
        "{} group(s) listed; ours has limit {}, auto-cancel {}",
        list.order_groups.len(),
        show_limit(ours.contracts_limit_fp),
        on_off(ours.is_auto_cancel_enabled)
    ));

    step(3, "get", format!("GET order_groups/{id}"));
    let group = get(client, id, "get")?;
    expect_limit(&group, FIRST_LIMIT, "get")?;
    done(describe(&group));

    step(
        4,
        "update limit",
        format!("PUT order_groups/{id}/limit (contracts_limit {SECOND_LIMIT})"),
    );
    client
        .execute(&UpdateOrderGroupLimit::new(id, SECOND_LIMIT))
        .map_err(|e| failed("update limit", &e))?;
    let group = get(client, id, "update limit")?;
    expect_limit(&group, SECOND_LIMIT, "update limit")?;
    done(format!(
        "limit is now {}",
        show_limit(group.contracts_limit_fp)
    ));

    step(5, "trigger", format!("PUT order_groups/{id}/trigger"));
    client
        .execute(&TriggerOrderGroup::new(id))
        .map_err(|e| failed("trigger", &e))?;
    let group = get(client, id, "trigger")?;
    done(format!(
        "triggered: orders cancelled, new ones rejected; auto-cancel {}",
        on_off(group.is_auto_cancel_enabled)
    ));

    step(6, "reset", format!("PUT order_groups/{id}/reset"));
    client
        .execute(&ResetOrderGroup::new(id))
        .map_err(|e| failed("reset", &e))?;
    done("reset: rolling volume cleared, orders accepted again".to_owned());

    step(7, "get", format!("GET order_groups/{id}"));
    let group = get(client, id, "get after reset")?;
    done(describe(&group));

    step(8, "delete", format!("DELETE order_groups/{id}"));
    client
        .execute(&DeleteOrderGroup::new(id))
        .map_err(|e| failed("delete", &e))?;
    done("deleted".to_owned());

    step(9, "get deleted", format!("GET order_groups/{id}"));
    match client.execute(&GetOrderGroup::new(id)) {
        Err(Error::Api(kalshi_core::Error::NotFound(e))) => {
            let (code, message) = match &e.error {
                Some(doc) => (
                    doc.code.as_deref().unwrap_or("(none)"),
                    doc.message.as_deref().unwrap_or("(none)"),
                ),
                None => ("(no error document)", "(no error document)"),
            };
            done(format!(
                "404 as expected: Error::Api(NotFound) with status {}, code `{code}`, message \"{message}\"",
                e.status
            ));
            Ok(())
        }
        Err(e) => Err(failed("get deleted (expected a 404)", &e)),
        Ok(group) => Err(format!(
            "the group {id} still exists after delete: {}",
            describe(&group)
        )),
    }
}

fn get(client: &BlockingClient, id: &str, what: &str) -> Result<GetOrderGroupResponse, String> {
    client
        .execute(&GetOrderGroup::new(id))
        .map_err(|e| failed(what, &e))
}

fn expect_limit(group: &GetOrderGroupResponse, limit: u64, what: &str) -> Result<(), String> {
    let want = i64::try_from(limit).map(FixedPointCount::from_whole).ok();
    if group.contracts_limit_fp == want {
        Ok(())
    } else {
        Err(format!(
            "step `{what}`: the group's limit is {}, expected {limit}",
            show_limit(group.contracts_limit_fp)
        ))
    }
}

fn describe(group: &GetOrderGroupResponse) -> String {
    format!(
        "limit {}, auto-cancel {}, {} order(s)",
        show_limit(group.contracts_limit_fp),
        on_off(group.is_auto_cancel_enabled),
        group.orders.len()
    )
}

fn show_limit(limit: Option<FixedPointCount>) -> String {
    limit.map_or_else(|| "(not reported)".to_owned(), |l| l.to_string())
}

fn on_off(enabled: bool) -> &'static str {
    if enabled { "enabled" } else { "disabled" }
}

fn step(n: u32, name: &str, request: String) {
    println!("{n}. {name:<13} {request}");
}

fn done(what: String) {
    println!("   -> {what}");
}

/// A failed step, with a hint for the failures a user can fix.
fn failed(what: &str, e: &Error) -> String {
    let hint: &dyn Display = match e {
        Error::Api(kalshi_core::Error::Unauthorized(_)) => {
            &"\n  hint: check the key id, that the key belongs to this environment (demo keys only \
              work on demo), and that the system clock is right"
        }
        Error::Dns(_) | Error::Connect(_) | Error::Timeout { .. } => {
            &"\n  hint: is the host reachable from here?"
        }
        _ => &"",
    };
    let unknown = if e.outcome_unknown() {
        "\n  note: the request may have reached the exchange; its outcome is unknown"
    } else {
        ""
    };
    format!("step `{what}` failed: {e}{hint}{unknown}")
}
