//! Does a sign-in with a name that does not exist take as long as one with
//! a known name and a wrong password? If not, timing tells an attacker
//! which names exist, whatever the answers say. Measured through the whole
//! application (router, throttle, store, audit append) at the password cost
//! a real server uses, with a bare password check of that cost in the same
//! run as the control: it is what both paths must spend, and it shows how
//! noisy the machine was.
//!
//! `cargo bench -p trustgate-server --bench sign_in`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub,
    dead_code,
    reason = "a benchmark over the tests' harness: a failure should stop it loudly"
)]

#[path = "../tests/http/harness.rs"]
mod harness;

use std::hint::black_box;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use trustgate_access::{Role, password};

use harness::{PASSWORD, TestApp, post};

fn sign_in(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = rt.block_on(TestApp::at_standard_cost());
    rt.block_on(async {
        let admin = app.first_admin().await;
        app.enrolled(&admin, "officer.one", Role::Officer).await;
    });
    // Each try from a new address, fifteen minutes after the last, so no
    // lockout, brake or throttle ever answers instead of the password check.
    let mut n: u32 = 0;
    let mut try_as = |username: &str| {
        n = n.wrapping_add(1);
        app.clock.advance(16 * 60 * 1000);
        let mut req = post(
            "/api/v1/sessions",
            None,
            &json!({"username": username, "password": "not the password", "code": "000000"}),
        );
        let ip = std::net::Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff));
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        let (status, _, _) = rt.block_on(app.send(req));
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    };
    let hash = password::hash(PASSWORD, password::Cost::Standard).unwrap();
    let mut group = c.benchmark_group("sign-in");
    group.sample_size(30);
    group.bench_function("control/password-check", |b| {
        b.iter(|| password::verify(black_box("not the password"), &hash).unwrap());
    });
    group.bench_function("known-name-wrong-password", |b| {
        b.iter(|| try_as("officer.one"));
    });
    group.bench_function("unknown-name", |b| {
        b.iter(|| try_as("officer.two"));
    });
    group.finish();
}

criterion_group!(benches, sign_in);
criterion_main!(benches);
