//! Records over HTTP: sign-in with a second factor, recording and reading
//! contacts, obligations, exceptions, and who may do what (every route ×
//! every role), each access in an audit log that verifies.

use axum::http::StatusCode;
use serde_json::{Value, json};
use trustgate_access::{Role, SESSION_IDLE_MS};

use crate::harness::{PASSWORD, TestApp, audit_reader, delete, get, post, post_raw};

/// ICE faxes a detainer with an I-200 to district 4 for a man whose only
/// charge was dropped; the desk held him anyway (a compliance exception).
pub(crate) fn detainer(acts_done: &[&str]) -> Value {
    json!({
        "kind": "detainer",
        "channel": "fax",
        "receiving_unit": "district-4",
        "received_at": "2026-03-01T09:30:00Z",
        "scenario": {
            "place": "cambridge", "date": "2026-03-01",
            "facts": {"department": "police", "requester": "ice-ero", "custody": "in-police-custody",
                      "documents": ["detainer-hold", "i-200"], "other-custody-basis": false},
            "acts": {"detain": true, "transfer-to-ice": true}
        },
        "acts_done": acts_done,
    })
}

async fn verify_audit_log(app: &TestApp) -> u64 {
    let head = app.store.audit_head(&audit_reader()).await.unwrap();
    let log = app
        .store
        .audit_entries(&audit_reader(), 0, head.size)
        .await
        .unwrap();
    let entries: Vec<_> = log.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = log.iter().map(|s| s.chain_hash).collect();
    let report = trustgate_audit::verify_log(&entries, &chain, &[]).unwrap();
    assert_eq!(report.head.root(), head.root);
    head.size
}

#[tokio::test]
async fn a_clerk_signs_in_records_and_reads_a_contact() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk.one", Role::RecordsClerk).await;

    let (status, me) = app.call(get("/api/v1/me", Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["actor"], "user/clerk.one");
    assert_eq!(me["role"], "records-clerk");

    let mut held = detainer(&["detain"]);
    held["done_by"] = json!("badge 4471");
    held["withheld"] = json!("investigatory");
    held["obligations_due"] = json!({"copy-to-person": "2026-03-01T12:05:00Z"});
    let (status, rec) = app
        .call(post("/api/v1/contacts", Some(&clerk), &held))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rec}");
    assert_eq!(rec["compliance_exception"], true);
    assert_eq!(rec["prohibited_acts_done"], json!(["detain"]));
    assert_eq!(rec["routed_to"], "professional-standards");
    assert!(
        rec["obligations"]
            .as_array()
            .unwrap()
            .contains(&json!("copy-to-person")),
        "{rec}"
    );
    let id = rec["id"].as_i64().unwrap();

    let (status, c) = app
        .call(get(&format!("/api/v1/contacts/{id}"), Some(&clerk)))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["kind"], "detainer");
    assert_eq!(c["channel"], "fax");
    assert_eq!(c["receiving_unit"], "district-4");
    assert_eq!(c["received_at"], "2026-03-01T09:30:00.000Z");
    assert_eq!(c["recorded_by"], "user/clerk.one");
    assert_eq!(c["done_by"], "badge 4471");
    assert_eq!(c["withheld"], "investigatory");
    assert_eq!(
        c["scenario"]["facts"]["documents"],
        json!(["detainer-hold", "i-200"])
    );
    // The decision as it was, with the law versions and their hashes.
    let item = c["decision"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "detain")
        .unwrap()
        .clone();
    assert_eq!(item["outcome"], "prohibited");
    assert!(
        c["decision"]["laws"][0]["hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(c["exceptions"][0]["act"], "detain");
    let copy = c["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"] == "copy-to-person")
        .unwrap()
        .clone();
    assert_eq!(copy["fulfilled"], Value::Null);
    // The duties to record it for the 2.129.060 report are performed by
    // the record itself.
    let reporting: Vec<&Value> = c["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["obligation"].as_str().unwrap().starts_with("report-060"))
        .collect();
    assert!(!reporting.is_empty(), "{c}");
    for o in reporting {
        assert_eq!(o["fulfilled"]["by"], "user/clerk.one", "{o}");
        assert!(
            o["fulfilled"]["note"]
                .as_str()
                .unwrap()
                .starts_with("Performed by this record")
        );
    }

    let uri = format!(
        "/api/v1/contacts/{id}/obligations/{}/fulfilment",
        copy["id"]
    );
    let (status, _) = app
        .call(post(
            &uri,
            Some(&clerk),
            &json!({"note": "copy given at booking"}),
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, again) = app.call(post(&uri, Some(&clerk), &json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // The work list: the first copy, due at 12:05, was given; a second
    // contact's copy, due at 12:10, is overdue twenty minutes later.
    app.clock.advance(20 * 60_000);
    let mut later = held.clone();
    later["obligations_due"] = json!({"copy-to-person": "2026-03-01T12:10:00Z"});
    let (_, later) = app
        .call(post("/api/v1/contacts", Some(&clerk), &later))
        .await;
    let (status, work) = app
        .call(get("/api/v1/obligations?overdue=true", Some(&clerk)))
        .await;
    assert_eq!(status, StatusCode::OK, "{work}");
    let overdue = work["obligations"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{work}");
    assert_eq!(overdue[0]["contact"], later["id"]);
    assert_eq!(overdue[0]["obligation"]["obligation"], "copy-to-person");
    assert_eq!(
        overdue[0]["obligation"]["due_at"],
        "2026-03-01T12:10:00.000Z"
    );
    assert_eq!(overdue[0]["overdue"], true);
    let (_, work) = app.call(get("/api/v1/obligations", Some(&clerk))).await;
    assert_eq!(
        work["obligations"].as_array().unwrap().len(),
        1,
        "only the second copy is open: the reporting duties were performed by recording; {work}"
    );
    assert_eq!(
        work["obligations"][0]["contact"], later["id"],
        "soonest due first"
    );
    let (status, _) = app
        .call(get("/api/v1/obligations?overdue=maybe", Some(&clerk)))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, list) = app
        .call(get("/api/v1/contacts?limit=10", Some(&clerk)))
        .await;
    assert_eq!(list["contacts"][1]["id"], id);
    assert_eq!(
        list["contacts"][1]["open_obligations"], 0,
        "its copy was given"
    );
    // Narrowed in the store: by kind, and to compliance exceptions.
    let (_, held_only) = app
        .call(get(
            "/api/v1/contacts?exceptions=true&kind=detainer",
            Some(&clerk),
        ))
        .await;
    assert_eq!(
        held_only["contacts"].as_array().unwrap().len(),
        2,
        "{held_only}"
    );
    let (_, none) = app
        .call(get(
            "/api/v1/contacts?kind=notification-request",
            Some(&clerk),
        ))
        .await;
    assert_eq!(none["contacts"], json!([]));
    let (status, bad) = app
        .call(get("/api/v1/contacts?kind=telegram", Some(&clerk)))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["path"], "?kind", "{bad}");
    // And by the days they came in, in Cambridge (both were received on
    // 2026-03-01 at 09:30 UTC, 04:30 there).
    let count = |v: &Value| v["contacts"].as_array().unwrap().len();
    let (_, that_day) = app
        .call(get(
            "/api/v1/contacts?from=2026-03-01&until=2026-03-01",
            Some(&clerk),
        ))
        .await;
    assert_eq!(count(&that_day), 2, "{that_day}");
    let (_, next_day) = app
        .call(get("/api/v1/contacts?from=2026-03-02", Some(&clerk)))
        .await;
    assert_eq!(count(&next_day), 0);
    let (status, bad) = app
        .call(get(
            "/api/v1/contacts?from=2026-03-02&until=2026-03-01",
            Some(&clerk),
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["path"], "?until", "{bad}");

    // Every step above is in the audit log, which verifies.
    let log = app
        .store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap();
    let actions: Vec<_> = log
        .iter()
        .map(|s| (s.entry.actor.as_str(), s.entry.action.as_str()))
        .collect();
    for want in [
        ("system/user-add", "create"),
        ("user/admin", "sign-in"),
        ("user/admin", "create"),
        ("user/clerk.one", "sign-in"),
        ("user/clerk.one", "create"),
        ("user/clerk.one", "read"),
        ("user/clerk.one", "fulfil"),
        ("user/clerk.one", "list"),
    ] {
        assert!(actions.contains(&want), "{want:?} missing from {actions:?}");
    }
    assert!(verify_audit_log(&app).await >= 8);

    // Signing out ends the session.
    let (status, _) = app
        .call(delete("/api/v1/sessions/current", Some(&clerk)))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = app.call(get("/api/v1/me", Some(&clerk))).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("sign-in-required"))
    );
}

#[tokio::test]
async fn sign_in_needs_the_second_factor_and_locks_after_five_failures() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let secret = app.enrolled(&admin, "officer.one", Role::Officer).await;

    let attempt = |password: &str, code: String| {
        post(
            "/api/v1/sessions",
            None,
            &json!({"username": "officer.one", "password": password, "code": code}),
        )
    };
    // The right password without the right code fails; so does a wrong password with it.
    let (status, v) = app.call(attempt(PASSWORD, "000000".into())).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("sign-in-failed")),
        "{v}"
    );
    let code = app.code(&secret);
    let (status, _) = app.call(attempt("not the password at all", code)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Unknown usernames fail the same way.
    let (status, v) = app
        .call(post(
            "/api/v1/sessions",
            None,
            &json!({"username": "nobody", "password": PASSWORD, "code": "123456"}),
        ))
        .await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("sign-in-failed"))
    );
    // A good sign-in; then its code cannot be used again.
    let code = app.code(&secret);
    let (status, v) = app.call(attempt(PASSWORD, code.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["idle_timeout_seconds"], 1800);
    let session = v["token"].as_str().unwrap().to_owned();
    let (status, _) = app.call(attempt(PASSWORD, code)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a code works once");

    // 30 minutes idle ends the session.
    app.clock.advance(SESSION_IDLE_MS + 1000);
    let (status, v) = app.call(get("/api/v1/me", Some(&session))).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session-expired"))
    );

    // Five failures in 15 minutes lock the account, even for the right code and password.
    for _ in 0..5 {
        let (status, _) = app.call(attempt("wrong password!!", "000000".into())).await;
        assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS);
    }
    let code = app.code(&secret);
    let (status, v) = app.call(attempt(PASSWORD, code)).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("account-locked")),
        "{v}"
    );
    // Nothing about the password or the code is in the log.
    let log = app
        .store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap();
    assert!(
        log.iter()
            .all(|s| !s.entry.detail.contains("password") && !s.entry.object.contains("nobody"))
    );
    verify_audit_log(&app).await;
}

/// Every route × every role (and an API token, and no credentials): exactly
/// the allowed ones succeed; every refusal is a 403 that the audit log keeps.
#[tokio::test]
async fn every_route_by_every_role() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let roles = [
        Role::Officer,
        Role::RecordsClerk,
        Role::ProfessionalStandards,
        Role::CityManager,
        Role::SchoolStaff,
        Role::Auditor,
        Role::Admin,
    ];
    let mut callers: Vec<(String, String)> = Vec::new();
    for role in roles {
        let token = if role == Role::Admin {
            admin.clone()
        } else {
            app.staff(&admin, &format!("{}.1", role.as_str()), role)
                .await
        };
        callers.push((role.as_str().to_owned(), token));
    }
    let (status, tok) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "rms", "scopes": ["contacts:record"]}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tok}");
    callers.push((
        "token:contacts:record".into(),
        tok["token"].as_str().unwrap().to_owned(),
    ));

    // A contact recorded by the clerk, flagged, with obligations to fulfil.
    let clerk = &callers[1].1;
    let (_, rec) = app
        .call(post(
            "/api/v1/contacts",
            Some(clerk),
            &detainer(&["detain"]),
        ))
        .await;
    let id = rec["id"].as_i64().unwrap();
    let (_, c) = app
        .call(get(&format!("/api/v1/contacts/{id}"), Some(clerk)))
        .await;
    let obligations: Vec<i64> = c["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let exception = c["exceptions"][0]["id"].as_i64().unwrap();

    // (route, who succeeds, the status of success; everyone else with a
    // credential gets 403 unless listed in `missing` (own-reach: 404)).
    type Route = (
        &'static str,
        &'static [&'static str],
        StatusCode,
        &'static [&'static str],
    );
    let all_staff: &[&str] = &[
        "officer",
        "records-clerk",
        "professional-standards",
        "city-manager",
        "school-staff",
        "auditor",
        "admin",
    ];
    let table: Vec<Route> = vec![
        (
            "POST /api/v1/decisions",
            &[
                "officer",
                "records-clerk",
                "professional-standards",
                "city-manager",
                "school-staff",
                "auditor",
                "admin",
                "token:contacts:record",
                "anonymous",
            ],
            StatusCode::OK,
            &[],
        ),
        (
            "GET /api/v1/me",
            &[
                "officer",
                "records-clerk",
                "professional-standards",
                "city-manager",
                "school-staff",
                "auditor",
                "admin",
                "token:contacts:record",
            ],
            StatusCode::OK,
            &[],
        ),
        (
            "POST /api/v1/contacts",
            &[
                "officer",
                "records-clerk",
                "school-staff",
                "token:contacts:record",
            ],
            StatusCode::CREATED,
            &[],
        ),
        (
            "GET /api/v1/contacts",
            &[
                "officer",
                "records-clerk",
                "professional-standards",
                "city-manager",
                "school-staff",
                "auditor",
            ],
            StatusCode::OK,
            &[],
        ),
        (
            "GET /api/v1/contacts/{id}",
            &[
                "records-clerk",
                "professional-standards",
                "city-manager",
                "auditor",
            ],
            StatusCode::OK,
            &["officer", "school-staff"],
        ),
        (
            "POST /api/v1/contacts/{id}/obligations/{o}/fulfilment",
            &["records-clerk"],
            StatusCode::NO_CONTENT,
            &["officer", "school-staff"],
        ),
        (
            "POST /api/v1/contacts/{id}/reimbursements",
            &["records-clerk"],
            StatusCode::CREATED,
            &[],
        ),
        (
            "GET /api/v1/compliance-exceptions",
            &[
                "records-clerk",
                "professional-standards",
                "city-manager",
                "auditor",
            ],
            StatusCode::OK,
            &[],
        ),
        (
            "POST /api/v1/compliance-exceptions/{e}/explanations",
            &["professional-standards", "city-manager"],
            StatusCode::NO_CONTENT,
            &[],
        ),
        ("GET /api/v1/audit/head", &["auditor"], StatusCode::OK, &[]),
        (
            "GET /api/v1/audit/entries",
            &["auditor"],
            StatusCode::OK,
            &[],
        ),
        (
            "GET /api/v1/audit/proofs/inclusion?entry=1&size=3",
            &["auditor"],
            StatusCode::OK,
            &[],
        ),
        (
            "GET /api/v1/audit/proofs/consistency?from=2&to=5",
            &["auditor"],
            StatusCode::OK,
            &[],
        ),
        (
            "POST /api/v1/accounts",
            &["admin"],
            StatusCode::CREATED,
            &[],
        ),
        ("POST /api/v1/tokens", &["admin"], StatusCode::CREATED, &[]),
        (
            "DELETE /api/v1/tokens/{t}",
            &["admin"],
            StatusCode::NO_CONTENT,
            &[],
        ),
        ("GET /api/v1/accounts", &["admin"], StatusCode::OK, &[]),
        (
            "POST /api/v1/accounts/{u}/enrolment",
            &["admin"],
            StatusCode::CREATED,
            &[],
        ),
        (
            "POST /api/v1/accounts/{u}/disable",
            &["admin"],
            StatusCode::NO_CONTENT,
            &[],
        ),
        (
            "GET /api/v1/obligations",
            &[
                "officer",
                "records-clerk",
                "professional-standards",
                "city-manager",
                "school-staff",
                "auditor",
            ],
            StatusCode::OK,
            &[],
        ),
    ];
    let (status, _) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "leaving", "role": "officer"}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, spare) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "spare", "scopes": ["contacts:record"]}),
        ))
        .await;
    let spare = spare["id"].as_i64().unwrap();
    let anonymous = ("anonymous".to_owned(), String::new());
    let mut refusals = 0;
    let mut n = 0;
    for (route, allowed, ok, missing) in &table {
        for (who, token) in callers.iter().chain(std::iter::once(&anonymous)) {
            n += 1;
            let token = (!token.is_empty()).then_some(token.as_str());
            let (method, path) = route.split_once(' ').unwrap();
            let path = path
                .replace("{id}", &id.to_string())
                .replace("{o}", &obligations[n % obligations.len()].to_string())
                .replace("{e}", &exception.to_string())
                .replace("{t}", &spare.to_string())
                .replace("{u}", "leaving");
            let body = match *route {
                "POST /api/v1/decisions" => detainer(&[])["scenario"].clone(),
                "POST /api/v1/contacts" => detainer(&[]),
                "POST /api/v1/contacts/{id}/reimbursements" => {
                    json!({"amount_cents": 1000, "received_on": "2026-04-01", "reference": format!("ref-{n}")})
                }
                "POST /api/v1/compliance-exceptions/{e}/explanations" => {
                    json!({"text": format!("explained by {who}")})
                }
                "POST /api/v1/accounts" => {
                    json!({"username": format!("new.{n}"), "role": "officer"})
                }
                "POST /api/v1/tokens" => {
                    json!({"name": format!("t{n}"), "scopes": ["contacts:record"]})
                }
                _ => json!({}),
            };
            let req = match method {
                "GET" => get(&path, token),
                "DELETE" => delete(&path, token),
                _ => post(&path, token, &body),
            };
            let (status, v) = app.call(req).await;
            let want = if allowed.contains(&who.as_str()) {
                *ok
            } else if who == "anonymous" {
                StatusCode::UNAUTHORIZED
            } else if missing.contains(&who.as_str()) {
                StatusCode::NOT_FOUND
            } else {
                refusals += 1;
                StatusCode::FORBIDDEN
            };
            // The fulfilment succeeds once per obligation; a later allowed caller may find it done.
            let done_already = *route == "POST /api/v1/contacts/{id}/obligations/{o}/fulfilment"
                && status == StatusCode::CONFLICT;
            assert!(
                status == want || (done_already && want == *ok),
                "{route} as {who}: {status} (want {want}): {v}"
            );
        }
    }
    assert!(
        all_staff
            .iter()
            .all(|r| callers.iter().any(|(w, _)| w == r))
    );
    let log = app
        .store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap();
    let denied = log.iter().filter(|s| s.entry.action == "denied").count();
    assert_eq!(denied, refusals, "every 403 is audited");
    verify_audit_log(&app).await;
}

/// Bad records input: a 4xx that names the field, never a 5xx.
#[tokio::test]
async fn bad_records_input_says_where() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk", Role::RecordsClerk).await;
    let with = |patch: Value| {
        let mut body = detainer(&["detain"]);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(Value, StatusCode, &str, &str)> = vec![
        (
            with(json!({"kind": "subpoena"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.kind",
            "expected one of: detainer, administrative-warrant",
        ),
        (
            with(json!({"received_at": "0000-01-01T00:00:00Z"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.received_at",
            "before the records began (2020-02-10",
        ),
        (
            with(json!({"received_at": "9999-12-31T00:00:00Z"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.received_at",
            "in the future",
        ),
        (
            // The test clock stands near 2026-03-01T12:00Z: an hour ahead is refused.
            with(json!({"received_at": "2026-03-01T13:00:00Z"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.received_at",
            "minutes in the future",
        ),
        (
            with(json!({"channel": "pigeon"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.channel",
            "`pigeon` is not a channel",
        ),
        (
            with(json!({"receiving_unit": "   "})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.receiving_unit",
            "not blank",
        ),
        (
            // Typed text never reaches the report: a unit is one of the place's.
            with(json!({"receiving_unit": "Officer Jane Doe"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.receiving_unit",
            "is not one of City of Cambridge's receiving units (one of: front-desk,",
        ),
        (
            with(json!({"done_by": "badge 12\u{1b}[2J"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.done_by",
            "control character U+001B",
        ),
        (
            with(json!({"receiving_unit": "district-4\u{202e}"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.receiving_unit",
            "control character U+202E",
        ),
        (
            with(json!({"received_at": "yesterday"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.received_at",
            "not a UTC time",
        ),
        (
            with(json!({"acts_done": ["disclose.address"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.acts_done[0]",
            "was not asked about",
        ),
        (
            with(json!({"acts_done": "detain"})),
            StatusCode::BAD_REQUEST,
            "$.acts_done",
            "invalid type",
        ),
        (
            with(json!({"obligations_due": {"copy-to-person": "soon"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.obligations_due.copy-to-person",
            "not a UTC time",
        ),
        (
            with(json!({"obligations_due": {"bake-a-cake": "2026-03-01T10:00:00Z"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.obligations_due",
            "not an obligation this decision opens",
        ),
        (
            with(json!({"withheld": "secret"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.withheld",
            "is not a ground (one of: investigatory, statute, privacy)",
        ),
        (
            with(json!({"colour": "red"})),
            StatusCode::BAD_REQUEST,
            "$.colour",
            "unknown field `colour`",
        ),
        (
            with(json!({"scenario": {"place": "cambrige", "date": "2026-03-01"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "$.scenario.place",
            "did you mean `cambridge`?",
        ),
        (
            with(
                json!({"scenario": {"place": "cambridge", "date": "2026-03-01", "facts": {"custody": 3}}}),
            ),
            StatusCode::BAD_REQUEST,
            "$.scenario.facts.custody",
            "expected true or false",
        ),
    ];
    for (body, want_status, want_path, want_message) in cases {
        let (status, v) = app
            .call(post("/api/v1/contacts", Some(&clerk), &body))
            .await;
        assert_eq!(status, want_status, "{body}: {v}");
        assert_eq!(v["path"], want_path, "{body}: {v}");
        assert!(
            v["message"].as_str().unwrap().contains(want_message),
            "{body}: {v}"
        );
    }
    let (_, rec) = app
        .call(post("/api/v1/contacts", Some(&clerk), &detainer(&[])))
        .await;
    let id = rec["id"].as_i64().unwrap();
    for (body, path) in [
        (
            json!({"amount_cents": 0, "received_on": "2026-04-01", "reference": "r"}),
            "$.amount_cents",
        ),
        (
            json!({"amount_cents": 5, "received_on": "April", "reference": "r"}),
            "$.received_on",
        ),
        (
            json!({"amount_cents": 5, "received_on": "2026-04-01", "reference": ""}),
            "$.reference",
        ),
    ] {
        let (status, v) = app
            .call(post(
                &format!("/api/v1/contacts/{id}/reimbursements"),
                Some(&clerk),
                &body,
            ))
            .await;
        assert_eq!(
            (status, v["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(path)),
            "{v}"
        );
    }
    for (uri, want) in [
        ("/api/v1/contacts/abc", StatusCode::NOT_FOUND),
        ("/api/v1/contacts/0", StatusCode::NOT_FOUND),
        ("/api/v1/contacts/99999", StatusCode::NOT_FOUND),
        ("/api/v1/contacts?limit=0", StatusCode::BAD_REQUEST),
        ("/api/v1/contacts?before=x", StatusCode::BAD_REQUEST),
        (
            "/api/v1/compliance-exceptions?routed_to=mayor",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, v) = app.call(get(uri, Some(&clerk))).await;
        assert_eq!(status, want, "{uri}: {v}");
    }
    // Malformed credentials are a 401, never a 500.
    for bad in [
        "",
        "tgs_",
        "tgs_zz",
        "Basic abc",
        "tgt_0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let (status, _) = app.call(get("/api/v1/me", Some(bad))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
    }
    let (status, v) = app
        .call(post_raw("/api/v1/sessions", None, "{\"username\": 5}"))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::BAD_REQUEST, Some("$.username"))
    );
    let (status, v) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "x", "role": "sheriff"}),
        ))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("$.role")),
        "{v}"
    );
    let (status, v) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "x", "role": "officer", "password": "short"}),
        ))
        .await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad-json")),
        "an administrator never sets a password: {v}"
    );
    let (status, v) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "Bad Name", "role": "officer"}),
        ))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("$.username")),
        "{v}"
    );
    let (status, v) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "t", "scopes": ["access:manage"]}),
        ))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("$.scopes")),
        "{v}"
    );
    let (status, v) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "t", "scopes": ["contacts:read-all", "fly"]}),
        ))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("$.scopes[1]")),
        "{v}"
    );
}

/// A person's data is kept only when the operator has set a data key, and
/// reads back through the API; it is refused otherwise, at its path.
#[tokio::test]
async fn personal_data_needs_a_data_key() {
    let person = json!({"name": "Ana Quintanilla", "date_of_birth": "1990-04-12", "address": "12 Elm Street"});
    let mut body = detainer(&[]);
    body["person"] = person.clone();

    let plain = TestApp::new().await;
    let admin = plain.first_admin().await;
    let clerk = plain.staff(&admin, "clerk", Role::RecordsClerk).await;
    let (status, v) = plain
        .call(post("/api/v1/contacts", Some(&clerk), &body))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("$.person")),
        "{v}"
    );
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("never stored in the clear"),
        "{v}"
    );

    let keyed = TestApp::with_data_key().await;
    let admin = keyed.first_admin().await;
    let clerk = keyed.staff(&admin, "clerk", Role::RecordsClerk).await;
    let (status, rec) = keyed
        .call(post("/api/v1/contacts", Some(&clerk), &body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rec}");
    let (_, c) = keyed
        .call(get(
            &format!("/api/v1/contacts/{}", rec["id"]),
            Some(&clerk),
        ))
        .await;
    assert_eq!(c["person"], person);
    body["person"]["date_of_birth"] = json!("April 1990");
    let (status, v) = keyed
        .call(post("/api/v1/contacts", Some(&clerk), &body))
        .await;
    assert_eq!(
        (status, v["path"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("$.person.date_of_birth")
        ),
        "{v}"
    );
    // Never in the audit log.
    let log = keyed
        .store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap();
    assert!(
        log.iter()
            .all(|s| !format!("{:?}", s.entry).contains("Quintanilla"))
    );
}

/// Password checks are expensive on purpose, so one address may try only so
/// often; another address is not held up.
#[tokio::test]
async fn sign_in_attempts_are_throttled_per_address() {
    let app = TestApp::new().await;
    // A new name each time, so no name's own lockout comes into it.
    let n = std::sync::atomic::AtomicU32::new(0);
    let from = |ip: [u8; 4]| {
        let name = format!(
            "nobody.{}",
            n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut req = post(
            "/api/v1/sessions",
            None,
            &json!({"username": name, "password": "not a password at all", "code": "123456"}),
        );
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                ip, 40000,
            ))));
        req
    };
    for n in 0..20 {
        let (status, v) = app.call(from([192, 0, 2, 1])).await;
        assert_eq!(
            (status, v["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("sign-in-failed")),
            "attempt {n}"
        );
    }
    let (status, headers, body) = app.send(from([192, 0, 2, 1])).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(headers["retry-after"], "60");
    let (status, _) = app.call(from([192, 0, 2, 2])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "another address");
    app.clock.advance(60_000);
    let (status, _) = app.call(from([192, 0, 2, 1])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a minute later");
}

/// An auditor gets proofs that check out with the RFC 9162 verifiers, and
/// clear errors for sizes the log does not have.
#[tokio::test]
async fn auditors_get_proofs_that_verify() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let auditor = app.staff(&admin, "auditor", Role::Auditor).await;
    let head = app.store.audit_head(&audit_reader()).await.unwrap();
    let (status, p) = app
        .call(get(
            &format!("/api/v1/audit/proofs/inclusion?entry=1&size={}", head.size),
            Some(&auditor),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(unhex(&p["root"]), head.root);
    let path: Vec<[u8; 32]> = p["path"].as_array().unwrap().iter().map(unhex).collect();
    trustgate_audit::merkle::verify_inclusion(
        1,
        head.size,
        &unhex(&p["leaf_hash"]),
        &path,
        &head.root,
    )
    .unwrap();
    let (status, c) = app
        .call(get(
            &format!("/api/v1/audit/proofs/consistency?from=2&to={}", head.size),
            Some(&auditor),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let proof: Vec<[u8; 32]> = c["proof"].as_array().unwrap().iter().map(unhex).collect();
    trustgate_audit::merkle::verify_consistency(
        2,
        head.size,
        &unhex(&c["old_root"]),
        &unhex(&c["new_root"]),
        &proof,
    )
    .unwrap();
    for (uri, want) in [
        (
            "/api/v1/audit/proofs/inclusion?entry=1",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/audit/proofs/inclusion?entry=x&size=2",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/audit/proofs/inclusion?entry=5&size=5",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/audit/proofs/inclusion?entry=0&size=100000",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/audit/proofs/consistency?from=3&to=2",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, v) = app.call(get(uri, Some(&auditor))).await;
        assert_eq!(status, want, "{uri}: {v}");
    }
}

/// Published reports are public files under /reports/; nothing outside the
/// folder is reachable.
#[tokio::test]
async fn published_reports_are_served_to_anyone() {
    let app = TestApp::new().await;
    let (status, headers, body) = app.send(get("/reports/", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(&body).contains("<title>Reports</title>"));
    let (status, v) = app
        .call(get("/reports/2.129.060-period-13.json", None))
        .await;
    assert_eq!(
        (status, v["period"]["number"].as_u64()),
        (StatusCode::OK, Some(13))
    );
    for uri in [
        "/reports/../Cargo.toml",
        "/reports/%2e%2e/Cargo.toml",
        "/reports/nothing.html",
    ] {
        let (status, _, _) = app.send(get(uri, None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
}

/// The staff UI's cookie holds a session token; a change made with it
/// must come from the site's own pages, and pages and assets are served.
#[tokio::test]
async fn a_cookie_session_changes_nothing_from_another_site() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk.cookie", Role::RecordsClerk).await;
    let with_cookie = |site: &str| {
        Request::post("/api/v1/contacts")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, format!("__Host-tg-session={clerk}"))
            .header("sec-fetch-site", site)
            .body(Body::from(detainer(&[]).to_string()))
            .unwrap()
    };
    let (status, body) = app.call(with_cookie("cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "cross-site", "{body}");
    let (status, body) = app.call(with_cookie("same-origin")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The work list marks an obligation whose due time has passed.
    let (status, _) = app
        .call({
            let mut due = detainer(&[]);
            due["obligations_due"] = json!({"copy-to-person": "2026-03-01T12:05:00Z"});
            post("/api/v1/contacts", Some(&clerk), &due)
        })
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let work = || {
        Request::get("/work")
            .header(header::COOKIE, format!("__Host-tg-session={clerk}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, page) = app.send(work()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&page).contains(">Overdue<"));
    app.clock.advance(10 * 60 * 1000);
    let (_, _, page) = app.send(work()).await;
    assert!(
        String::from_utf8_lossy(&page).contains(">Overdue<"),
        "ten minutes later it is overdue"
    );
    // An API token is never taken from a cookie.
    let (status, _) = app
        .call(
            Request::get("/api/v1/me")
                .header(header::COOKIE, "__Host-tg-session=tgt_0000")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A sign-in form posted from another site is refused.
    let (status, _, _) = app
        .send(
            Request::post("/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("username=clerk.cookie&password=x&code=000000"))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The pages and the design system's stylesheet are served.
    let (status, headers, page) = app.send(get("/ask", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(String::from_utf8_lossy(&page).contains("What is happening?"));
    let (status, headers, plain) = app.send(get("/assets/uswds/css/uswds.min.css", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(headers[header::VARY], "accept-encoding");

    // Compressed for a client that accepts gzip, to the same bytes.
    let with = |encoding: &str| {
        let mut r = get("/assets/uswds/css/uswds.min.css", None);
        r.headers_mut()
            .insert(header::ACCEPT_ENCODING, encoding.parse().unwrap());
        r
    };
    let (status, headers, gz) = app.send(with("br, gzip;q=0.8, deflate")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain);
    assert!(
        gz.len() * 4 < plain.len(),
        "{} bytes compressed from {}",
        gz.len(),
        plain.len()
    );
    // Refused by weight, or not named: sent as it is.
    for refused in ["gzip;q=0", "br", "identity"] {
        let (_, headers, body) = app.send(with(refused)).await;
        assert!(headers.get(header::CONTENT_ENCODING).is_none(), "{refused}");
        assert_eq!(body, plain, "{refused}");
    }
    // Fonts are compressed already.
    let font = "/assets/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2";
    let mut r = get(font, None);
    r.headers_mut()
        .insert(header::ACCEPT_ENCODING, "gzip".parse().unwrap());
    let (_, headers, _) = app.send(r).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
}

/// An account made without a password gets an enrolment code; with it the
/// person sets their own password and authenticator at /enrol (the key
/// shown as a QR code and as text) and signs in with them. A wrong code is
/// shown beside its field, and a code works once.
#[tokio::test]
async fn a_new_colleague_enrols_with_a_code_and_signs_in() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use trustgate_access::totp;
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let (status, made) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "new.officer", "role": "officer"}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert!(
        made.get("totp_secret").is_none(),
        "no secret for the administrator: {made}"
    );
    let code = made["enrolment"]["code"].as_str().unwrap().to_owned();
    // 72 hours after it was issued (the clock moved a step for the sign-in).
    assert_eq!(made["enrolment"]["expires_at"], "2026-03-04T12:00:30.000Z");
    // Until enrolment nobody can sign in to it.
    let (status, _) = app
        .call(post(
            "/api/v1/sessions",
            None,
            &json!({"username": "new.officer", "password": "!awaiting-enrolment", "code": "000000"}),
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _, page) = app.send(get("/enrol", None)).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8_lossy(&page).into_owned();
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "a QR code"
    );
    let key = page
        .split("name=\"secret\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let secret = totp::Secret::from_base32(&key).unwrap();
    let enrol = |enrolment_code: &str, app_code: String| {
        Request::post("/enrol")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!(
                "secret={key}&username=new.officer&enrolment_code={enrolment_code}&password=a+long+new+passphrase&password_again=a+long+new+passphrase&code={app_code}"
            )))
            .unwrap()
    };
    let (status, _, wrong) = app
        .send(enrol("AAAA-BBBB-CCCC-DDDD-EEEE", app.code(&secret)))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&wrong).contains("id=\"enrolment_code-error\""));
    // Typed in lower case with spaces: still the code.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, headers, _) = app.send(enrol(&typed, app.code(&secret))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "enrolled");
    assert_eq!(headers[header::LOCATION], "/sign-in?enrolled");
    let (status, _, _) = app.send(enrol(&code, app.code(&secret))).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    app.sign_in("new.officer", "a long new passphrase", &secret)
        .await;
    // Signing in from the page sets the session cookie: host-only, secure,
    // out of scripts' reach, same-site only, and no lifetime of its own
    // (the server ends it after 30 idle minutes).
    let (status, headers, _) = app
        .send(
            Request::post("/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(format!(
                    "username=new.officer&password=a+long+new+passphrase&code={}",
                    app.code(&secret)
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-tg-session=tgs_"), "{cookie}");
    for part in ["; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();
    let (status, _, page) = app
        .send(
            Request::get("/ask")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page).contains("Sign out new.officer"));
    // The administrator can issue a new code (a lost phone).
    let (status, again) = app
        .call(post(
            "/api/v1/accounts/new.officer/enrolment",
            Some(&admin),
            &json!({}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_ne!(again["code"], code.as_str());
}

/// The audit API gives every field an entry's hashed bytes hold, so an
/// outsider recomputes each `leaf_hash` from the JSON alone, whatever the
/// entry commits to: a record as left, a record as read, an answer
/// returned, or nothing (a refusal).
#[tokio::test]
async fn an_outsider_recomputes_every_leaf_hash_from_the_entries() {
    use trustgate_audit::{Entry, State};
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk.one", Role::RecordsClerk).await;
    let auditor = app.staff(&admin, "auditor", Role::Auditor).await;
    let (status, rec) = app
        .call(post("/api/v1/contacts", Some(&clerk), &detainer(&[])))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rec}");
    let id = rec["id"].as_i64().unwrap();
    for uri in [format!("/api/v1/contacts/{id}"), "/api/v1/contacts".into()] {
        let (status, _) = app.call(get(&uri, Some(&clerk))).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = app.call(get("/api/v1/audit/head", Some(&clerk))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, v) = app.call(get("/api/v1/audit/entries", Some(&auditor))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    let mut kinds = std::collections::BTreeSet::new();
    for e in v["entries"].as_array().unwrap() {
        assert_eq!(e["format"], 2, "{e}");
        let s = &e["state"];
        let kind = s["kind"].as_str().unwrap();
        kinds.insert(kind.to_owned());
        let state = match kind {
            "none" => State::NoRecord,
            "after" => State::After {
                record: text(&s["record"]),
                digest: unhex(&s["digest"]),
            },
            "read" => State::Read {
                record: text(&s["record"]),
                digest: unhex(&s["digest"]),
            },
            "returned" => State::Returned {
                digest: unhex(&s["digest"]),
            },
            other => panic!("unknown kind {other}"),
        };
        let entry = Entry {
            seq: e["seq"].as_u64().unwrap(),
            time_ms: e["time_ms"].as_i64().unwrap(),
            actor: text(&e["actor"]),
            action: text(&e["action"]),
            object: text(&e["object"]),
            detail: text(&e["detail"]),
            state,
        };
        assert_eq!(entry.leaf_hash(), unhex(&e["leaf_hash"]), "{e}");
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["after", "none", "read", "returned"],
        "every kind of state was recomputed"
    );
}

/// A 32-byte hash from its hex in a JSON answer.
fn unhex(v: &Value) -> [u8; 32] {
    let s = v.as_str().unwrap();
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    bytes.try_into().unwrap()
}

/// The contact page reads in words for people: the facts as questions and
/// answers, the acts as the schema says them, times in Cambridge time, the
/// law's deadlines as sentences; never a schema identifier, a hash or a UTC
/// ISO time (issue 14 item 4, item 7).
#[tokio::test]
async fn the_contact_page_speaks_words_not_identifiers() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let clerk = app.staff(&admin, "clerk.words", Role::RecordsClerk).await;
    let (status, made) = app
        .call(post(
            "/api/v1/contacts",
            Some(&clerk),
            &detainer(&["detain"]),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let page = Request::get(format!("/contacts/{}", made["id"]))
        .header(header::COOKIE, format!("__Host-tg-session={clerk}"))
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = app.send(page).await;
    assert_eq!(status, StatusCode::OK);
    let text = crate::identifiers::text_of(&String::from_utf8_lossy(&body));
    for identifier in [
        "ice-ero",
        "in-police-custody",
        "detainer-hold",
        "transfer-to-ice",
        "other-custody-basis",
        "sha256",
        "(due ",
        "T09:30",
        "UTC",
    ] {
        assert!(
            !text.contains(identifier),
            "`{identifier}` on the page:\n{text}"
        );
    }
    assert!(text.contains("2026-03-01 04:30 EST"), "{text}");
}
