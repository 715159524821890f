//! The whole order-group lifecycle over the async hyper transport: create (limit 10), list,
//! get, update the limit (20), trigger, reset, get, delete, and a final get that must answer
//! 404 as a typed error.
//!
//! Configuration comes from the environment (`kalshi_core::config::EnvConfig`):
//! - with `KALSHI_API_KEY_ID` and a key (`KALSHI_PRIVATE_KEY_PATH`, a PEM file, or
//!   `KALSHI_PRIVATE_KEY`, the PEM text) set, it runs against `KALSHI_BASE_URL` if set, else
//!   `KALSHI_ENV` (`demo`, the default, `prod`, `demo-shared` or `prod-shared`);
//! - with none of those three set, it starts the local simulator in-process and signs with its
//!   bundled demo key.
//!
//! ```text
//! cargo run -p kalshi-transport-hyper --example order_group_lifecycle_async
//! ```

use std::process::ExitCode;

use kalshi_core::config::EnvConfig;
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::{Client, Credentials, Environment};
use kalshi_transport_hyper::{AsyncClient, Error};

type BoxError = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Keeps the in-process simulator alive while the lifecycle runs.
enum Target {
    Remote,
    Simulator(kalshi_simulator::Simulator),
}

fn configure() -> Result<(Client, Target), BoxError> {
    if let Some(config) = EnvConfig::from_env_optional()? {
        for warning in config.warnings() {
            eprintln!("warning: {warning}");
        }
        println!(
            "using {} with key id {}",
            config.environment().base_url(),
            config.credentials().key_id()
        );
        return Ok((config.into_client(), Target::Remote));
    }

    let sim = kalshi_simulator::Simulator::start(kalshi_simulator::SimulatorConfig::default())
        .map_err(|e| format!("cannot start the local simulator: {e}"))?;
    println!(
        "KALSHI_API_KEY_ID and its key not set: using the local simulator at {} \
         (demo key `{}`)",
        sim.base_url(),
        kalshi_simulator::DEMO_KEY_ID
    );
    let credentials = Credentials::from_pem(
        kalshi_simulator::DEMO_KEY_ID,
        kalshi_simulator::DEMO_PRIVATE_KEY_PEM,
    )?;
    let client = Client::new(Environment::custom(&sim.base_url())?, credentials);
    Ok((client, Target::Simulator(sim)))
}

/// Names the failed step in the error message.
fn at(step: &'static str) -> impl Fn(Error) -> BoxError {
    move |e| {
        let hint = if e.outcome_unknown() {
            " (the outcome is unknown: the request may have taken effect)"
        } else {
            ""
        };
        format!("{step} failed: {e}{hint}").into()
    }
}

fn show_limit(limit: Option<kalshi_core::FixedPointCount>) -> String {
    limit.map_or_else(|| "(none)".to_owned(), |l| l.to_string())
}

async fn run() -> Result<(), BoxError> {
    let (core, target) = configure()?;
    let client = AsyncClient::new(core)?;

    let created = client
        .execute(&CreateOrderGroup::new(10))
        .await
        .map_err(at("create"))?;
    let id = created.order_group_id.clone();
    println!(
        "1. create:  order group {id} (subaccount {}, limit 10)",
        created.subaccount
    );

    let listed = client
        .execute(&GetOrderGroups::new())
        .await
        .map_err(at("list"))?;
    let ours = listed.order_groups.iter().find(|g| g.id == id);
    println!(
        "2. list:    {} order group(s); ours: {}",
        listed.order_groups.len(),
        ours.map_or_else(
            || "MISSING".to_owned(),
            |g| format!(
                "limit {}, auto-cancel {}",
                show_limit(g.contracts_limit_fp),
                g.is_auto_cancel_enabled
            )
        )
    );
    if ours.is_none() {
        return Err(format!("the new order group {id} is not in the list").into());
    }

    // Address the group where it lives (the exchange may place it on another shard).
    let sub = created.subaccount;
    let shard = created.exchange_index.unwrap_or_default(); // absent: shard 0
    let get = || GetOrderGroup::new(&id).subaccount(sub);

    let group = client.execute(&get()).await.map_err(at("get"))?;
    println!(
        "3. get:     limit {}, auto-cancel {}, {} order(s)",
        show_limit(group.contracts_limit_fp),
        group.is_auto_cancel_enabled,
        group.orders.len()
    );

    let update = UpdateOrderGroupLimit::new(&id, 20)
        .subaccount(sub)
        .exchange_index(shard);
    client.execute(&update).await.map_err(at("update limit"))?;
    println!("4. update:  limit set to 20");

    let trigger = TriggerOrderGroup::new(&id)
        .subaccount(sub)
        .exchange_index(shard);
    client.execute(&trigger).await.map_err(at("trigger"))?;
    let group = client.execute(&get()).await.map_err(at("get"))?;
    println!(
        "5. trigger: triggered; auto-cancel now {}",
        group.is_auto_cancel_enabled
    );

    let reset = ResetOrderGroup::new(&id)
        .subaccount(sub)
        .exchange_index(shard);
    client.execute(&reset).await.map_err(at("reset"))?;
    println!("6. reset:   reset");

    let group = client.execute(&get()).await.map_err(at("get"))?;
    println!(
        "7. get:     limit {}, auto-cancel {}, {} order(s)",
        show_limit(group.contracts_limit_fp),
        group.is_auto_cancel_enabled,
        group.orders.len()
    );

    let delete = DeleteOrderGroup::new(&id)
        .subaccount(sub)
        .exchange_index(shard);
    client.execute(&delete).await.map_err(at("delete"))?;
    println!("8. delete:  deleted {id}");

    match client.execute(&get()).await {
        Err(Error::Api(kalshi_core::Error::NotFound(e))) => {
            let (code, message) = e
                .error
                .as_ref()
                .map(|d| (d.code.as_deref(), d.message.as_deref()))
                .unwrap_or((None, None));
            println!(
                "9. get:     NotFound as expected: HTTP {}, code {}, message {}",
                e.status,
                code.unwrap_or("(none)"),
                message.unwrap_or("(none)")
            );
        }
        Err(other) => return Err(format!("expected 404 after delete, got: {other}").into()),
        Ok(group) => {
            return Err(format!("the deleted group {id} is still there: {group:?}").into());
        }
    }

    println!("done");
    if let Target::Simulator(sim) = target {
        sim.shutdown();
    }
    Ok(())
}
