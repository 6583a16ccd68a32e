//! The document says what the parsing does: every query parameter's range
//! and names, the closed sets and length limits of the bodies, and the
//! statuses each route answers. (`scripts/contract` checks the same against
//! the running binary with schemathesis.)

use axum::http::StatusCode;
use serde_json::Value;
use trustgate_access::{Permission, Role};
use trustgate_store::{Channel, ContactKind, limits};

use crate::harness::{TestApp, get};

fn document() -> Value {
    serde_json::to_value(trustgate_server::openapi()).unwrap()
}

fn param<'d>(doc: &'d Value, path: &str, method: &str, name: &str) -> &'d Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} documents `{name}`"))
}

/// A bad query answers 400 naming the parameter; nothing is clamped or
/// ignored, and `to` beyond `from` + 1000 is refused.
#[tokio::test]
async fn a_bad_query_names_its_parameter() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk", Role::RecordsClerk).await;
    let auditor = app.staff(&admin, "auditor", Role::Auditor).await;
    for (uri, who, name) in [
        ("/api/v1/contacts?limit=501", &clerk, "limit"),
        ("/api/v1/contacts?limit=0", &clerk, "limit"),
        ("/api/v1/contacts?limit=+5", &clerk, "limit"),
        ("/api/v1/contacts?limit=1&limit=2", &clerk, "limit"),
        ("/api/v1/contacts?before=0", &clerk, "before"),
        ("/api/v1/contacts?kind=letter", &clerk, "kind"),
        ("/api/v1/contacts?from=0999-12-31", &clerk, "from"),
        (
            "/api/v1/contacts?from=2026-03-02&until=2026-03-01",
            &clerk,
            "until",
        ),
        ("/api/v1/contacts?exceptions=yes", &clerk, "exceptions"),
        ("/api/v1/obligations?overdue=1", &clerk, "overdue"),
        (
            "/api/v1/compliance-exceptions?routed_to=mayor",
            &clerk,
            "routed_to",
        ),
        ("/api/v1/audit/entries?to=1001", &auditor, "to"),
        ("/api/v1/audit/entries?from=5&to=1006", &auditor, "to"),
        (
            "/api/v1/audit/entries?from=9223372036854775808",
            &auditor,
            "from",
        ),
        ("/api/v1/audit/proofs/inclusion?size=1", &auditor, "entry"),
        (
            "/api/v1/audit/proofs/consistency?from=1&to=x",
            &auditor,
            "to",
        ),
    ] {
        let (status, v) = app.call(get(uri, Some(who))).await;
        assert_eq!(
            (status, v["error"].as_str(), v["path"].as_str()),
            (
                StatusCode::BAD_REQUEST,
                Some("bad-parameter"),
                Some(format!("?{name}").as_str())
            ),
            "{uri}: {v}"
        );
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{name}`")),
            "{uri}: {v}"
        );
    }
    // At the bounds, accepted.
    for (uri, who) in [
        ("/api/v1/contacts?limit=500&before=1", &clerk),
        ("/api/v1/audit/entries?from=5&to=1005", &auditor),
    ] {
        let (status, v) = app.call(get(uri, Some(who))).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    }
    let (status, v) = app.call(harness_post("/api/v1/decisions?detail=all")).await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::BAD_REQUEST, Some("?detail")),
        "{v}"
    );
}

fn harness_post(uri: &str) -> axum::http::Request<axum::body::Body> {
    crate::harness::post_raw(uri, None, "{}")
}

/// The ranges and names in the document are the parsers' own.
#[test]
fn the_document_states_the_ranges_and_names_the_code_checks() {
    let doc = document();
    let limit = &param(&doc, "/api/v1/contacts", "get", "limit")["schema"];
    assert_eq!(
        (limit["minimum"].as_u64(), limit["maximum"].as_u64()),
        (Some(1), Some(500))
    );
    let kinds: Vec<&str> = ContactKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        param(&doc, "/api/v1/contacts", "get", "kind")["schema"]["enum"],
        serde_json::json!(kinds)
    );
    let to = &param(&doc, "/api/v1/audit/entries", "get", "to")["schema"];
    assert_eq!(to["maximum"].as_u64(), Some(i64::MAX as u64));
    assert_eq!(
        param(&doc, "/api/v1/decisions", "post", "detail")["schema"]["enum"],
        serde_json::json!(["brief", "full"])
    );
    for name in ["entry", "size"] {
        assert_eq!(
            param(&doc, "/api/v1/audit/proofs/inclusion", "get", name)["required"],
            true
        );
    }

    let schemas = &doc["components"]["schemas"];
    let contact = &schemas["RecordContact"]["properties"];
    assert_eq!(contact["kind"]["enum"], serde_json::json!(kinds));
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(contact["channel"]["enum"], serde_json::json!(channels));
    assert_eq!(
        contact["receiving_unit"]["maxLength"].as_u64(),
        Some(limits::RECEIVING_UNIT as u64)
    );
    assert_eq!(contact["receiving_unit"]["minLength"].as_u64(), Some(1));
    assert_eq!(
        contact["withheld"]["enum"],
        serde_json::json!(["investigatory", "statute", "privacy", null])
    );
    let person = &schemas["PersonInput"]["properties"];
    assert_eq!(
        person["address"]["maxLength"].as_u64(),
        Some(limits::PERSON_ADDRESS as u64)
    );
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        schemas["NewAccountRequest"]["properties"]["role"]["enum"],
        serde_json::json!(roles)
    );
    let scopes = &schemas["NewTokenRequest"]["properties"]["scopes"];
    assert_eq!(
        scopes["items"]["enum"],
        serde_json::json!([Permission::RecordContact.as_str()])
    );
    assert_eq!(scopes["minItems"].as_u64(), Some(1));
    assert_eq!(
        schemas["RecordReimbursement"]["properties"]["amount_cents"]["minimum"].as_i64(),
        Some(1)
    );
    assert_eq!(
        schemas["Explain"]["properties"]["text"]["maxLength"].as_u64(),
        Some(limits::EXPLANATION as u64)
    );
    assert_eq!(
        schemas["Me"]["properties"]["permissions"]["items"]["enum"]
            .as_array()
            .map(Vec::len),
        Some(Permission::ALL.len())
    );
}

/// Every route documents the statuses its shape makes it answer.
#[test]
fn every_route_documents_the_statuses_it_answers() {
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let has = |s: &str| op["responses"].get(s).is_some();
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured {
                assert!(has("400") && has("401"), "{method} {path}: 400, 401");
                assert_eq!(
                    op["security"],
                    serde_json::json!([{"bearer": []}, {"session": []}]),
                    "{method} {path}: a bearer token or the session cookie"
                );
                if method != "get" {
                    assert!(has("403"), "{method} {path}: 403 cross-site");
                }
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "415"] {
                    assert!(has(s), "{method} {path}: {s}");
                }
            }
            if path.contains('{') {
                assert!(has("404"), "{method} {path}: 404");
            }
        }
    }
    assert!(
        doc["paths"]["/api/v1/sessions/current"]["delete"]["responses"]
            .get("422")
            .is_some(),
        "a token is not a session"
    );
}
