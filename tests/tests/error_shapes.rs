//! The simulator's error answers: the documented flat `ErrorResponse`
//! (`{code, message, details, service}`) by default, the nested `{"error": {...}}` and bare
//! `{"error": "..."}` shapes on request ([`ErrorShape`]), and the client reads the code and
//! message of each through both transports.

use kalshi_core::order_groups::GetOrderGroup;
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment, Timestamp};
use kalshi_simulator::{
    DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, ErrorShape, Fault, FaultRule, SECOND_KEY_ID,
    SECOND_PRIVATE_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Config};
use serde_json::{Value, json};

fn start(shape: Option<ErrorShape>) -> Simulator {
    let config = SimulatorConfig::default();
    let config = match shape {
        Some(shape) => config.with_error_shape(shape),
        None => config,
    };
    Simulator::start(config).expect("simulator starts")
}

/// A blocking client that does not retry (so an injected 5xx comes straight back).
fn client(sim: &Simulator, key_id: &str, pem: &str) -> BlockingClient {
    let environment = Environment::custom(&sim.base_url()).unwrap();
    let credentials = Credentials::from_pem(key_id, pem).unwrap();
    BlockingClient::with_config(
        Client::new(environment, credentials),
        Config::default().retry(RetryPolicy::never()),
    )
}

/// The raw answer to a signed `GET /portfolio/order_groups/missing`: status and JSON body.
fn raw_not_found(sim: &Simulator) -> (u16, Value) {
    let client = client(sim, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM);
    let request = client
        .core()
        .request(&GetOrderGroup::new("missing"), Timestamp::now())
        .unwrap();
    let response = client.send(request).unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = serde_json::from_slice(response.body()).unwrap();
    (response.status().as_u16(), body)
}

#[test]
fn the_default_is_the_documented_flat_error_response() {
    for sim in [start(None), start(Some(ErrorShape::Flat))] {
        let (status, body) = raw_not_found(&sim);
        assert_eq!(status, 404);
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 4, "{body}");
        for key in ["code", "message", "details", "service"] {
            assert!(body[key].is_string(), "`{key}` in {body}");
        }
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["message"], "order group not found");
        assert_eq!(body["service"], "simulator");
    }
    assert_eq!(SimulatorConfig::default().error_shape(), ErrorShape::Flat);
}

#[test]
fn the_nested_and_bare_shapes_on_request() {
    let (status, nested) = raw_not_found(&start(Some(ErrorShape::Nested)));
    assert_eq!(status, 404);
    assert_eq!(nested.as_object().unwrap().len(), 1, "{nested}");
    let inner = nested["error"].as_object().expect("nested object");
    assert_eq!(inner.len(), 4, "{nested}");
    assert_eq!(inner["code"], "not_found");
    assert_eq!(inner["message"], "order group not found");
    assert_eq!(inner["service"], "simulator");

    let (status, bare) = raw_not_found(&start(Some(ErrorShape::Bare)));
    assert_eq!(status, 404);
    assert_eq!(bare, json!({"error": "order group not found"}));
}

/// What the client makes of an error answer: (status, code, message).
fn seen(err: &kalshi_transport_ureq::Error) -> (u16, Option<String>, Option<String>) {
    let api = err
        .api()
        .and_then(kalshi_core::Error::api_error)
        .unwrap_or_else(|| panic!("not an answer from the exchange: {err:?}"));
    let doc = api.error.clone().unwrap_or_default();
    (api.status.as_u16(), doc.code, doc.message)
}

#[test]
fn the_blocking_client_reads_code_and_message_in_every_shape() {
    for shape in ErrorShape::ALL {
        let sim = start(Some(shape));
        let code = |c: &str| (shape != ErrorShape::Bare).then(|| c.to_owned());
        let demo = client(&sim, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM);

        // 404 from a handler.
        let err = demo.execute(&GetOrderGroup::new("missing")).unwrap_err();
        assert!(
            matches!(err.api(), Some(kalshi_core::Error::NotFound(_))),
            "{shape:?}: {err:?}"
        );
        let expected = (404, code("not_found"), Some("order group not found".into()));
        assert_eq!(seen(&err), expected, "{shape:?}");

        // 401 from the authenticator: a key the simulator does not know.
        let stranger = client(&sim, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM);
        let err = stranger.execute(&GetOrderGroup::new("any")).unwrap_err();
        assert!(
            matches!(err.api(), Some(kalshi_core::Error::Unauthorized(_))),
            "{shape:?}: {err:?}"
        );
        let expected = (
            401,
            code("unauthorized"),
            Some("authentication failed".into()),
        );
        assert_eq!(seen(&err), expected, "{shape:?}");

        // An injected 503.
        sim.faults().push(FaultRule::new(Fault::ServerError(503)));
        let err = demo.execute(&GetOrderGroup::new("missing")).unwrap_err();
        assert!(
            matches!(err.api(), Some(kalshi_core::Error::ServerError(_))),
            "{shape:?}: {err:?}"
        );
        let expected = (
            503,
            code("service_unavailable"),
            Some("Service Unavailable".into()),
        );
        assert_eq!(seen(&err), expected, "{shape:?}");
    }
}

#[test]
fn the_async_client_reads_code_and_message_in_every_shape() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for shape in ErrorShape::ALL {
        let sim = start(Some(shape));
        let environment = Environment::custom(&sim.base_url()).unwrap();
        let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
        let err = runtime.block_on(async {
            let client =
                kalshi_transport_hyper::AsyncClient::new(Client::new(environment, credentials))
                    .unwrap();
            client
                .execute(&GetOrderGroup::new("missing"))
                .await
                .unwrap_err()
        });
        let api = match &err {
            kalshi_transport_hyper::Error::Api(e @ kalshi_core::Error::NotFound(_)) => e,
            other => panic!("{shape:?}: expected a 404, got {other:?}"),
        };
        let expected_code = (shape != ErrorShape::Bare).then_some("not_found");
        assert_eq!(api.code(), expected_code, "{shape:?}");
        let doc = api.api_error().and_then(|e| e.error.as_ref()).unwrap();
        assert_eq!(doc.message.as_deref(), Some("order group not found"));
    }
}
