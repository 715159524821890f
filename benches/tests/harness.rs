//! The benchmark harness does what it claims: the fixed-answer server answers like the
//! exchange on keep-alive connections, the data is deterministic and parses, the signers sign
//! verifiably. No timing is asserted anywhere.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use kalshi_benches::server::{CREATE_ANSWER, FixedServer};
use kalshi_benches::{data, signers};
use kalshi_core::auth::{Signer, VerifyingKey, signing_message};
use kalshi_core::market::{GetMarketOrderbook, GetMarkets, MarketStatus};
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroup, GetOrderGroups};
use kalshi_core::{Client, Environment};
use kalshi_transport_hyper::AsyncClient;
use kalshi_transport_ureq::BlockingClient;

fn client(server: &FixedServer) -> Client {
    Client::new(
        Environment::custom(&server.base_url()).unwrap(),
        signers::credentials(Arc::new(signers::ConstSigner)),
    )
}

#[test]
fn fixed_server_answers_both_transports_on_one_connection() {
    let server = FixedServer::start().unwrap();
    let blocking = BlockingClient::new(client(&server));
    for _ in 0..3 {
        let created = blocking.execute(&CreateOrderGroup::new(5)).unwrap();
        assert_eq!(created.order_group_id, "og-1");
    }
    assert!(
        blocking
            .execute(&GetOrderGroups::new())
            .unwrap()
            .order_groups
            .is_empty()
    );
    assert!(
        blocking
            .execute(&GetOrderGroup::new("x"))
            .unwrap()
            .orders
            .is_empty()
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let hyper = AsyncClient::new(client(&server)).unwrap();
    for _ in 0..3 {
        let created = rt
            .block_on(hyper.execute(&CreateOrderGroup::new(5)))
            .unwrap();
        assert_eq!(created.order_group_id, "og-1");
    }
    assert_eq!(server.served(), 8);
    server.stop();
}

#[test]
fn fixed_server_keeps_the_connection_and_skips_bodies() {
    let server = FixedServer::start().unwrap();
    let mut s = TcpStream::connect(server.addr()).unwrap();
    let body = r#"{"contracts_limit":1}"#;
    let req = format!(
        "POST /trade-api/v2/portfolio/order_groups/create HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // Two requests back to back on one connection, the second closing it.
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(b"GET /trade-api/v2/portfolio/order_groups HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut all = String::new();
    s.read_to_string(&mut all).unwrap();
    assert!(all.starts_with("HTTP/1.1 201 Created\r\n"), "{all}");
    assert!(all.contains(CREATE_ANSWER));
    assert!(all.contains("HTTP/1.1 200 OK\r\n"));
    assert!(all.ends_with(r#"{"order_groups":[]}"#), "{all}");
}

#[test]
fn the_data_is_deterministic_sized_as_stated_and_parses() {
    let big = data::order_groups_json(100_000);
    assert_eq!(big, data::order_groups_json(100_000));
    assert!(
        (10_000_000..13_000_000).contains(&big.len()),
        "{} bytes",
        big.len()
    );
    let c = client(&FixedServer::start().unwrap());
    let small = http::Response::builder()
        .status(200)
        .body(data::order_groups_json(1000))
        .unwrap();
    let groups = c
        .response(&GetOrderGroups::new(), &small)
        .unwrap()
        .order_groups;
    assert_eq!(groups.len(), 1000);
    assert_eq!(groups[0].id.len(), 36);
    let one = http::Response::builder()
        .status(200)
        .body(data::order_group_json(10_000))
        .unwrap();
    assert_eq!(
        c.response(&GetOrderGroup::new("x"), &one)
            .unwrap()
            .orders
            .len(),
        10_000
    );
    let created = http::Response::builder()
        .status(201)
        .body(data::CREATE_ORDER_GROUP_JSON.to_vec())
        .unwrap();
    assert!(c.response(&CreateOrderGroup::new(1), &created).is_ok());
}

#[test]
fn the_market_data_is_deterministic_realistic_and_parses() {
    let markets = data::markets_json(1_000);
    assert_eq!(markets, data::markets_json(1_000));
    assert!(
        (1_500_000..2_000_000).contains(&markets.len()),
        "{} bytes",
        markets.len()
    );
    let c = client(&FixedServer::start().unwrap());
    let page = http::Response::builder().status(200).body(markets).unwrap();
    let page = c.response(&GetMarkets::new(), &page).unwrap();
    assert_eq!(page.markets.len(), 1_000);
    assert!(page.cursor.is_some());
    // Every market has its prices, counts and instants, and the statuses vary.
    assert!(
        page.markets
            .iter()
            .all(|m| m.yes_bid_dollars < m.yes_ask_dollars)
    );
    assert!(
        page.markets
            .iter()
            .any(|m| m.status == MarketStatus::Finalized)
    );
    assert!(
        page.markets
            .iter()
            .any(|m| m.status == MarketStatus::Active)
    );
    assert!(
        page.markets
            .iter()
            .any(|m| m.yes_bid_dollars.to_string().len() > 4
                && !m.yes_bid_dollars.to_string().ends_with('0')),
        "some sub-penny prices"
    );

    let book = data::orderbook_json(100);
    assert_eq!(book, data::orderbook_json(100));
    let book = http::Response::builder().status(200).body(book).unwrap();
    let book = c
        .response(&GetMarketOrderbook::new("KXHIGHNY-26JAN15-T50"), &book)
        .unwrap()
        .orderbook_fp;
    for side in [&book.yes_dollars, &book.no_dollars] {
        assert_eq!(side.len(), 100);
        // Ascending by price, the best bid last, as the exchange sends them.
        assert!(side.windows(2).all(|w| w[0].price < w[1].price));
        assert_eq!(side.last().unwrap().price.to_string(), "0.4900");
    }
}

#[test]
fn every_backend_signs_verifiably() {
    let key = VerifyingKey::from_pem(kalshi_simulator::DEMO_PUBLIC_KEY_PEM).unwrap();
    let msg = signing_message(
        1_703_123_456_789,
        "POST",
        "/trade-api/v2/portfolio/events/orders",
    );
    let all = signers::all_signers();
    assert!(all.len() >= 2);
    for (name, signer) in all {
        assert_eq!(
            key.verify(&msg, &signer.sign(&msg).unwrap()),
            Ok(()),
            "{name}"
        );
    }
    let counting = signers::CountingSigner::new(signers::default_signer());
    counting.sign(b"x").unwrap();
    assert_eq!(counting.calls(), 1);
}

#[test]
fn default_credentials_sign_a_create_order_group_request_verifiably() {
    let credentials = kalshi_benches::sign_time::default_credentials();
    let backend = credentials.signer().name();
    assert!(!backend.is_empty());
    assert_eq!(kalshi_benches::sign_time::default_backend(), backend);
    let client = Client::new(Environment::Production, credentials);
    let req = client
        .request(&CreateOrderGroup::new(100), kalshi_benches::sign_time::TS)
        .unwrap();
    let key = VerifyingKey::from_pem(kalshi_simulator::DEMO_PUBLIC_KEY_PEM).unwrap();
    let msg = signing_message(
        kalshi_benches::sign_time::TS.as_millis(),
        "POST",
        req.uri().path(),
    );
    let sig = req.headers()["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
    assert_eq!(key.verify(&msg, sig), Ok(()), "{backend}");
}

/// The child protocol of the sign-time comparison: `kalshi-compare --sign-only` prints one
/// `SignTimes` line naming this build's backend (the values are timings: not checked).
#[test]
fn sign_only_mode_prints_the_default_backend() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kalshi-compare"))
        .args(["--sign-only", "--quick"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let t =
        kalshi_benches::sign_time::SignTimes::from_output(&String::from_utf8_lossy(&out.stdout))
            .expect("a SignTimes line");
    assert_eq!(t.backend, kalshi_benches::sign_time::default_backend());
    assert!(t.build_sign_ns > 0.0 && t.sign_ns > 0.0);
}
