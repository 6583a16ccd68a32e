//! The HTTP API, in-process (`oneshot`, no socket) and once over a real socket.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub,
    reason = "a test fails loudly at the first surprise"
)]

mod access;
mod ask;
mod connections;
mod contract;
mod harness;
mod headers;
mod identifiers;
mod public;
mod records;
mod sign_in;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use harness::{Reply, TestApp};

/// One request to a fresh app (decisions need no records).
async fn send(req: Request<Body>) -> Reply {
    TestApp::new().await.send(req).await
}

fn get(uri: &str) -> Request<Body> {
    harness::get(uri, None)
}

fn post(uri: &str, body: &str) -> Request<Body> {
    harness::post_raw(uri, None, body)
}

const PHONE_CALL: &str = r#"{"place": "cambridge", "date": "2026-03-01",
  "facts": {"requester": "ice-ero", "department": "police", "custody": "in-police-custody", "documents": ["notification-request"]},
  "acts": {"disclose": ["release-date", "immigration-status"]}}"#;

#[tokio::test]
async fn a_decision_with_citations() {
    let (status, headers, body) = send(post("/api/v1/decisions", PHONE_CALL)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(
        headers.contains_key("x-request-id"),
        "every response carries a request id"
    );
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["items"][0]["key"], "disclose.release-date");
    assert_eq!(v["items"][0]["outcome"], "prohibited");
    assert_eq!(
        v["items"][0]["decided_by"][0],
        "cambridge-2.129/e-no-information"
    );
    let cited: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cite"].as_str().unwrap())
        .collect();
    assert!(
        cited.contains(&"2.129.040(e)") && cited.contains(&"8 U.S.C. §1373(a)"),
        "{cited:?}"
    );
    assert!(
        v["laws"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["hash"].as_str().unwrap().starts_with("sha256:"))
    );
    assert_eq!(v["items"][1]["outcome"], "permitted");
    assert_eq!(v["prohibited"], true);
    assert!(v["items"][0].get("weighed").is_none(), "brief by default");
    assert!(
        v["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == "copy-to-person" && o["certain"] == true)
    );
    assert!(
        v["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["certain"] == true),
        "brief lists only certain duties"
    );
    let (_, _, full) = send(post("/api/v1/decisions?detail=full", PHONE_CALL)).await;
    let v: Value = serde_json::from_slice(&full).unwrap();
    assert!(
        v["items"][0]["weighed"]
            .as_array()
            .is_some_and(|w| !w.is_empty())
    );
}

/// Malformed, mistyped, unknown or oversized input: a 4xx whose body says what
/// and, for the body, where (a JSON path); never a 5xx.
#[tokio::test]
async fn bad_input_is_a_4xx_that_says_where() {
    let big = format!(
        r#"{{"place": "cambridge", "date": "2026-03-01", "acts": {{"detain": true}}, "facts": {{"x": "{}"}}}}"#,
        "a".repeat(70_000)
    );
    // (request, status, error kind, JSON path, words the message contains)
    type Case = (
        Request<Body>,
        StatusCode,
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            post("/api/v1/decisions", "{"),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$"),
            "malformed JSON at line 1, column 1",
        ),
        (
            post("/api/v1/decisions", "[1, 2]"),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$"),
            "a scenario is a JSON object",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01", "facts": {"documents": ["i-200", 5]}, "acts": {"detain": true}}"#,
            ),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$.facts.documents[1]"),
            "invalid type: integer `5`, expected a string",
        ),
        (
            post("/api/v1/decisions", ""),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$"),
            "malformed JSON",
        ),
        (
            post("/api/v1/decisions", r#"{"place": 7, "date": "2026-03-01"}"#),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$.place"),
            "invalid type: integer `7`, expected a string",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01", "color": "red"}"#,
            ),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$.color"),
            "unknown field `color`, expected one of `place`, `date`, `facts`, `acts`",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01", "facts": {"custody": 3}, "acts": {"detain": true}}"#,
            ),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$.facts.custody"),
            "expected true or false, one value, or a list of values",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambrige", "date": "2026-03-01", "acts": {"detain": true}}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-scenario",
            Some("$.place"),
            "did you mean `cambridge`?",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-02-30", "acts": {"detain": true}}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-scenario",
            Some("$.date"),
            "no such day",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01", "facts": {"documents": ["i-200", "i-2OO"]}, "acts": {"detain": true}}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-scenario",
            Some("$.facts.documents[1]"),
            "`i-2OO` is not a value of `documents`",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01", "acts": {"disclose": ["adress"]}}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-scenario",
            Some("$.acts.disclose[0]"),
            "unknown field `adress`",
        ),
        (
            post(
                "/api/v1/decisions",
                r#"{"place": "cambridge", "date": "2026-03-01"}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-scenario",
            Some("$.acts"),
            "no act asked",
        ),
        (
            post("/api/v1/decisions?detail=everything", PHONE_CALL),
            StatusCode::BAD_REQUEST,
            "bad-parameter",
            Some("?detail"),
            "`brief`, `full`; found `everything`",
        ),
        (
            post("/api/v1/decisions", &big),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            None,
            "over 65536 bytes",
        ),
        (
            Request::post("/api/v1/decisions")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(PHONE_CALL))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            None,
            "application/json",
        ),
        (
            Request::post("/api/v1/decisions")
                .body(Body::from(PHONE_CALL))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            None,
            "application/json",
        ),
        (
            get("/api/v1/nothing"),
            StatusCode::NOT_FOUND,
            "not-found",
            None,
            "nothing here",
        ),
        (
            post("/api/v1/decisions", "\u{0}\u{1}\u{ff}"),
            StatusCode::BAD_REQUEST,
            "bad-json",
            Some("$"),
            "a scenario is a JSON object",
        ),
    ];
    for (req, want_status, want_error, want_path, want_message) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, _, body) = send(req).await;
        let text = String::from_utf8_lossy(&body);
        assert_eq!(status, want_status, "{what}: {text}");
        let v: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
        assert_eq!(v["error"], want_error, "{what}: {text}");
        assert_eq!(v["path"].as_str(), want_path, "{what}: {text}");
        assert!(
            v["message"].as_str().unwrap().contains(want_message),
            "{what}: {text}"
        );
    }
}

#[tokio::test]
async fn wrong_method_is_a_405() {
    let (status, _, _) = send(get("/api/v1/decisions")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn catalogue_laws_health_and_pages() {
    let (status, _, body) = send(get("/api/v1/catalogue")).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        v["places"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["place"] == "cambridge")
    );
    assert!(
        v["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["fact"] == "requester" && f["kind"] == "one of")
    );
    let (_, _, body) = send(get("/api/v1/laws")).await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|l| l["law"] == "cambridge-2.129" && l["effective_until"] == "2025-08-03")
    );
    // A bill is listed as a proposal; law carries no such field.
    let laws = v.as_array().unwrap();
    assert!(
        laws.iter()
            .any(|l| l["law"] == "ma-protect-act" && l["proposal"] == true)
    );
    assert!(
        laws.iter()
            .filter(|l| l["law"] == "cambridge-2.129")
            .all(|l| l.get("proposal").is_none())
    );
    for path in ["/healthz", "/readyz"] {
        let (status, _, _) = send(get(path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    let (status, headers, body) = send(get("/laws/cambridge-2.129-2020-02-10.html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(&body).contains("rule-d-no-detention"));
    let (status, _, _) = send(get("/laws/../../etc/passwd")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The OpenAPI document is generated from the handlers; any change to the API
/// shows up as a diff of `docs/openapi.json`, reviewed like code.
#[tokio::test]
async fn openapi_document_is_the_committed_one() {
    let (status, _, body) = send(get("/api/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    let served: Value = serde_json::from_slice(&body).unwrap();
    let committed: Value =
        serde_json::from_str(include_str!("../../../../docs/openapi.json")).unwrap();
    assert_eq!(
        served, committed,
        "the API changed: regenerate docs/openapi.json with `trustgate openapi > docs/openapi.json` and review the diff"
    );
    for path in [
        "/api/v1/decisions",
        "/api/v1/catalogue",
        "/api/v1/laws",
        "/healthz",
        "/readyz",
        "/api/v1/sessions",
        "/api/v1/contacts",
        "/api/v1/contacts/{id}",
        "/api/v1/compliance-exceptions",
        "/api/v1/audit/entries",
    ] {
        assert!(
            served["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }
}

/// The real stack over a socket on port 0, with graceful shutdown.
#[tokio::test]
async fn over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = TestApp::new().await;
    let server = tokio::spawn(trustgate_server::serve(
        listener,
        app.state.clone(),
        async {
            let _ = stopped.await;
        },
    ));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "POST /api/v1/decisions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PHONE_CALL}",
        PHONE_CALL.len()
    );
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("x-request-id: "),
        "{response}"
    );
    assert!(response.contains(r#""outcome":"prohibited""#), "{response}");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

mod never_a_5xx {
    //! Whatever the body, the answer is a 2xx or a 4xx with a JSON error: never
    //! a 5xx, never a panic.

    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z0-9.-]{0,12}".prop_map(Value::String),
            prop::sample::select(vec![
                "cambridge",
                "boston",
                "2026-03-01",
                "1999-12-31",
                "ice-ero",
                "police",
                "in-police-custody",
                "i-200",
                "release-date",
                "detain",
                "disclose"
            ])
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "place",
                        "date",
                        "facts",
                        "acts",
                        "requester",
                        "documents",
                        "custody",
                        "department",
                        "disclose",
                        "detain",
                        "x"
                    ])
                    .prop_map(str::to_owned),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
            (json_value(), json_value(), json_value()).prop_map(|(facts, acts, place)| {
                serde_json::to_vec(&serde_json::json!({"place": place, "date": "2026-03-01", "facts": facts, "acts": acts})).unwrap()
            }),
            prop::collection::vec(any::<u8>(), 0..200),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn any_body(bytes in body(), full in any::<bool>()) {
            // One runtime and one app for every case (the store's pool lives on the runtime).
            static APP: std::sync::OnceLock<(tokio::runtime::Runtime, TestApp)> = std::sync::OnceLock::new();
            let (rt, app) = APP.get_or_init(|| {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                let app = rt.block_on(TestApp::new());
                (rt, app)
            });
            let uri = if full { "/api/v1/decisions?detail=full" } else { "/api/v1/decisions" };
            let req = Request::post(uri).header(header::CONTENT_TYPE, "application/json").body(Body::from(bytes)).unwrap();
            let (status, _, body) = rt.block_on(app.send(req));
            prop_assert!(status.is_success() || status.is_client_error(), "{status}: {}", String::from_utf8_lossy(&body));
            let v: Value = serde_json::from_slice(&body).unwrap();
            if status.is_client_error() {
                prop_assert!(v["error"].is_string() && v["message"].is_string(), "{v}");
            }
        }
    }
}
