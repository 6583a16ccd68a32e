//! What responses tell browsers and caches: nothing that carries a record or
//! a credential is stored; the public pages cannot be framed or sniffed; the
//! published reports' folder is the only one served.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::json;
use trustgate_server::{AppState, Settings};
use trustgate_store::Store;

use crate::harness::{self, PASSWORD, TestApp, get, post};

fn cache_control(headers: &HeaderMap) -> &str {
    headers
        .get(header::CACHE_CONTROL)
        .map_or("", |v| v.to_str().unwrap())
}

fn csp(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_SECURITY_POLICY)
        .map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn json_and_staff_pages_are_never_stored() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let sam = app
        .enrolled(&admin, "sam", trustgate_access::Role::Officer)
        .await;
    let code = app.code(&sam);
    // The sign-in's answer holds a bearer token.
    let (status, headers, body) = app
        .send(post(
            "/api/v1/sessions",
            None,
            &json!({"username": "sam", "password": PASSWORD, "code": code}),
        ))
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(cache_control(&headers), "no-store");
    let requests = [
        get("/api/v1/me", Some(&admin)),
        get("/api/v1/accounts", Some(&admin)),
        get("/api/v1/contacts", Some(&admin)),
        get("/api/v1/catalogue", None),
        get("/api/v1/nothing-here", None),
        get("/api/openapi.json", None),
        post("/api/v1/decisions", None, &json!({"place": "cambridge"})),
        get("/healthz", None),
        get("/", None),
        get("/sign-in", None),
        get("/work", None),
        get("/laws/nothing-here.html", None),
    ];
    for req in requests {
        let uri = req.uri().to_string();
        let (_, headers, _) = app.send(req).await;
        assert_eq!(cache_control(&headers), "no-store", "{uri}");
    }
}

#[tokio::test]
async fn public_pages_are_cacheable_but_never_framed_or_sniffed() {
    let app = TestApp::new().await;
    for uri in [
        "/laws/",
        "/laws/cambridge-2.129-2020-02-10.html",
        "/reports/",
        "/reports/2.129.060-period-13.json",
    ] {
        let (status, headers, _) = app.send(get(uri, None)).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_ne!(cache_control(&headers), "no-store", "{uri}");
        let policy = csp(&headers);
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ] {
            assert!(policy.contains(directive), "{uri}: {policy}");
        }
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
    }
}

#[derive(Debug)]
struct Wall;

impl trustgate_store::Clock for Wall {
    fn now_ms(&self) -> i64 {
        harness::T0
    }
}

/// A symbolic link in the reports' folder serves nothing outside it, be it
/// a file or a folder; a link to a file inside still works.
#[cfg(unix)]
#[tokio::test]
async fn reports_do_not_follow_links_out_of_their_folder() {
    use tower::ServiceExt as _;
    let base = std::env::temp_dir().join(format!("trustgate_links_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (reports, outside) = (base.join("reports"), base.join("outside"));
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(reports.join("index.html"), "<title>Reports</title>").unwrap();
    std::fs::write(outside.join("secret.txt"), "not for the public").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), reports.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, reports.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(reports.join("index.html"), reports.join("latest.html")).unwrap();

    let db = base.join("records.db");
    let store = Arc::new(
        Store::open(db.to_str().unwrap(), Arc::new(Wall))
            .await
            .unwrap()
            .with_place(harness::cambridge())
            .unwrap(),
    );
    let state = AppState::new(
        harness::library(),
        store,
        Arc::new(Wall),
        Settings {
            password_cost: trustgate_access::password::Cost::Test,
            issuer: "trustgate test".into(),
            reports: Some(reports.clone()),
            trusted_proxies: Default::default(),
        },
    )
    .unwrap();
    let status = |uri: &'static str| {
        let app = trustgate_server::app(state.clone());
        async move { app.oneshot(get(uri, None)).await.unwrap().status() }
    };
    assert_eq!(status("/reports/").await, StatusCode::OK);
    assert_eq!(status("/reports/latest.html").await, StatusCode::OK);
    assert_eq!(status("/reports/leak.txt").await, StatusCode::NOT_FOUND);
    assert_eq!(
        status("/reports/elsewhere/secret.txt").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(status("/reports/elsewhere/").await, StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(&base);
}
