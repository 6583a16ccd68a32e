//! Who reaches what through the staff pages: every page and form with
//! every role, an integration token, anonymous, and a token sent with a
//! cookie. The API's own walk is `records::every_route_by_every_role`; the
//! permission itself lives in the store's use cases, so both walks must
//! agree.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use trustgate_access::Role;

use crate::harness::{TestApp, audit_reader, get, post};
use crate::records::detainer;

/// Who a page request comes from.
#[derive(Debug, Clone)]
enum Who {
    /// A signed-in person: the session token in the cookie.
    Session(String),
    /// An integration's API token, as a bearer token.
    Token(String),
    /// A token and a session cookie together.
    Both {
        token: String,
        cookie: String,
    },
    Anonymous,
}

fn page(method: &str, uri: &str, who: &Who, form: &str) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("sec-fetch-site", "same-origin");
    match who {
        Who::Session(s) => b = b.header(header::COOKIE, format!("__Host-tg-session={s}")),
        Who::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        Who::Both { token, cookie } => {
            b = b
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::COOKIE, format!("__Host-tg-session={cookie}"));
        }
        Who::Anonymous => {}
    }
    if method == "POST" {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    b.body(Body::from(form.to_owned())).unwrap()
}

/// What a page answered, as the walk judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// The page, or the change made and a redirect onwards.
    Done,
    /// Sent to sign in: nothing shown, nothing changed.
    SignIn,
    Forbidden,
    /// Out of the caller's reach: looks missing.
    Missing,
    /// Refused outright (two credentials).
    Refused,
}

fn seen(status: StatusCode, location: Option<&str>) -> Seen {
    match (status, location) {
        (StatusCode::SEE_OTHER, Some("/sign-in")) => Seen::SignIn,
        (StatusCode::OK | StatusCode::SEE_OTHER, _) => Seen::Done,
        (StatusCode::FORBIDDEN, _) => Seen::Forbidden,
        (StatusCode::NOT_FOUND, _) => Seen::Missing,
        (StatusCode::BAD_REQUEST, _) => Seen::Refused,
        (other, l) => panic!("unexpected {other} (location {l:?})"),
    }
}

const STAFF: [Role; 7] = [
    Role::Officer,
    Role::RecordsClerk,
    Role::ProfessionalStandards,
    Role::CityManager,
    Role::SchoolStaff,
    Role::Auditor,
    Role::Admin,
];

#[tokio::test]
async fn every_page_by_every_role_token_and_mix() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let mut people: Vec<(Role, String)> = Vec::new();
    for role in STAFF {
        let token = if role == Role::Admin {
            admin.clone()
        } else {
            app.staff(&admin, &format!("{}.1", role.as_str()), role)
                .await
        };
        people.push((role, token));
    }
    let session = |r: Role| people.iter().find(|(p, _)| *p == r).unwrap().1.clone();
    let (status, tok) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "rms", "scopes": ["contacts:record"]}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tok}");
    let token = tok["token"].as_str().unwrap().to_owned();

    // A contact the clerk recorded, flagged, with an obligation open.
    let clerk = session(Role::RecordsClerk);
    let (_, rec) = app
        .call(post(
            "/api/v1/contacts",
            Some(&clerk),
            &detainer(&["detain"]),
        ))
        .await;
    let id = rec["id"].as_i64().unwrap();
    let (_, c) = app
        .call(get(&format!("/api/v1/contacts/{id}"), Some(&clerk)))
        .await;
    let open: Vec<i64> = c["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["fulfilled"].is_null())
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    let exception = c["exceptions"][0]["id"].as_i64().unwrap();
    let (_, spare) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "spare", "scopes": ["contacts:record"]}),
        ))
        .await;
    let spare = spare["id"].as_i64().unwrap();
    app.call(post(
        "/api/v1/accounts",
        Some(&admin),
        &json!({"username": "leaving", "role": "officer"}),
    ))
    .await;

    use Role::*;
    let readers = [
        Officer,
        RecordsClerk,
        ProfessionalStandards,
        CityManager,
        SchoolStaff,
        Auditor,
    ];
    // (method, path, form, who may, who finds it missing (own reach)).
    type Row = (&'static str, String, String, Vec<Role>, Vec<Role>);
    let table: Vec<Row> = vec![
        ("GET", "/ask".into(), String::new(), STAFF.to_vec(), vec![]),
        (
            "POST",
            "/contacts".into(),
            "situation=detainer-arrived&receiving_unit=booking".into(),
            vec![Officer, RecordsClerk, SchoolStaff],
            vec![],
        ),
        (
            "GET",
            "/contacts".into(),
            String::new(),
            readers.to_vec(),
            vec![],
        ),
        (
            "GET",
            format!("/contacts/{id}"),
            String::new(),
            vec![RecordsClerk, ProfessionalStandards, CityManager, Auditor],
            vec![Officer, SchoolStaff],
        ),
        (
            "POST",
            format!("/obligations/{}/fulfil", open[0]),
            format!("contact={id}&note=handed+over"),
            vec![RecordsClerk],
            vec![Officer, SchoolStaff],
        ),
        (
            "GET",
            "/work".into(),
            String::new(),
            readers.to_vec(),
            vec![],
        ),
        (
            "GET",
            "/report".into(),
            String::new(),
            vec![RecordsClerk, ProfessionalStandards, CityManager, Auditor],
            vec![],
        ),
        (
            "GET",
            "/exceptions".into(),
            String::new(),
            vec![RecordsClerk, ProfessionalStandards, CityManager, Auditor],
            vec![],
        ),
        (
            "POST",
            format!("/exceptions/{exception}/explain"),
            "text=referred+to+training".into(),
            vec![ProfessionalStandards, CityManager],
            vec![],
        ),
        ("GET", "/audit".into(), String::new(), vec![Auditor], vec![]),
        ("GET", "/admin".into(), String::new(), vec![Admin], vec![]),
        (
            "POST",
            "/admin/accounts".into(),
            "username=page.new&role=officer".into(),
            vec![Admin],
            vec![],
        ),
        (
            "POST",
            "/admin/accounts/leaving/enrolment".into(),
            String::new(),
            vec![Admin],
            vec![],
        ),
        (
            "POST",
            "/admin/tokens".into(),
            "name=page-token&scope=contacts:record".into(),
            vec![Admin],
            vec![],
        ),
        (
            "POST",
            format!("/admin/tokens/{spare}/revoke"),
            String::new(),
            vec![Admin],
            vec![],
        ),
        (
            "POST",
            "/admin/accounts/leaving/disable".into(),
            String::new(),
            vec![Admin],
            vec![],
        ),
    ];
    let contacts_before = contacts_in_log(&app).await;
    let mut refusals = 0;
    let mut recorded = 0;
    for (method, path, form, may, missing) in &table {
        let mut callers: Vec<(String, Who, Option<Role>)> = people
            .iter()
            .map(|(r, s)| (r.as_str().to_owned(), Who::Session(s.clone()), Some(*r)))
            .collect();
        callers.push(("token".into(), Who::Token(token.clone()), None));
        callers.push((
            "token+cookie".into(),
            Who::Both {
                token: token.clone(),
                cookie: session(RecordsClerk),
            },
            None,
        ));
        callers.push(("anonymous".into(), Who::Anonymous, None));
        for (name, who, role) in &callers {
            let (status, headers, _) = app.send(page(method, path, who, form)).await;
            let location = headers.get(header::LOCATION).and_then(|v| v.to_str().ok());
            let got = seen(status, location);
            let want = match (who, role) {
                // Ask is public: it shows nothing of anyone's records.
                _ if *path == "/ask" => Seen::Done,
                (Who::Both { .. }, _) => Seen::Refused,
                // A bearer token never reaches a page: it is not signed in.
                (Who::Token(_) | Who::Anonymous, _) => Seen::SignIn,
                (_, Some(r)) if may.contains(r) => Seen::Done,
                (_, Some(r)) if missing.contains(r) => Seen::Missing,
                _ => {
                    refusals += 1;
                    Seen::Forbidden
                }
            };
            assert_eq!(got, want, "{method} {path} as {name}: {status}");
            if *path == "/contacts" && *method == "POST" && got == Seen::Done {
                assert!(location.unwrap().starts_with("/contacts/"), "{location:?}");
                recorded += 1;
            }
        }
    }
    // Exactly the three roles that record did; no token, no mix, no other role.
    assert_eq!(recorded, 3);
    assert_eq!(contacts_in_log(&app).await - contacts_before, 3);
    let log = app
        .store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap();
    let denied = log.iter().filter(|s| s.entry.action == "denied").count();
    assert!(
        denied >= refusals,
        "every refusal is audited: {denied} < {refusals}"
    );
    // Nothing was done as the token or with the mix.
    assert!(
        !log.iter()
            .any(|s| s.entry.actor.starts_with("token/") && s.entry.action != "denied"),
        "a token acted through a page"
    );
}

/// How many contacts were created, by the log.
async fn contacts_in_log(app: &TestApp) -> usize {
    app.store
        .audit_entries(&audit_reader(), 0, u64::MAX)
        .await
        .unwrap()
        .iter()
        .filter(|s| s.entry.action == "create" && s.entry.object.starts_with("contact/"))
        .count()
}

/// The API refuses a token sent with a session cookie, whichever would win.
#[tokio::test]
async fn a_token_with_a_cookie_is_refused_on_the_api_too() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let officer = app.staff(&admin, "officer.1", Role::Officer).await;
    let (_, tok) = app
        .call(post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "rms", "scopes": ["contacts:record"]}),
        ))
        .await;
    let token = tok["token"].as_str().unwrap();
    for (uri, method) in [
        ("/api/v1/contacts", "POST"),
        ("/api/v1/contacts", "GET"),
        ("/api/v1/me", "GET"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::COOKIE, format!("__Host-tg-session={officer}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(detainer(&[]).to_string()))
            .unwrap();
        let (status, v) = app.call(req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {uri}: {v}");
        assert_eq!(v["error"], "two-credentials", "{v}");
    }
}

/// A sign-out posted from another site is refused and the session lives
/// on; from this site it ends the session.
#[tokio::test]
async fn a_cross_site_sign_out_is_refused_and_a_real_one_ends_the_session() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let officer = app.staff(&admin, "officer.1", Role::Officer).await;
    let sign_out = |site: &str| {
        Request::builder()
            .method("POST")
            .uri("/sign-out")
            .header("sec-fetch-site", site)
            .header(header::COOKIE, format!("__Host-tg-session={officer}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = app.send(sign_out("cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        headers.get(header::SET_COOKIE).is_none(),
        "the cookie is kept"
    );
    let (status, _) = app.call(get("/api/v1/me", Some(&officer))).await;
    assert_eq!(status, StatusCode::OK, "the session lives on");

    let (status, headers, _) = app.send(sign_out("same-origin")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get(header::SET_COOKIE).is_some());
    let (status, _) = app.call(get("/api/v1/me", Some(&officer))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended");
}

/// An administrator can make only integration tokens (no reading scope),
/// and account creation hands over an enrolment code, never a second factor.
#[tokio::test]
async fn an_administrator_cannot_reach_records_through_tokens_or_accounts() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    for scope in [
        "contacts:read-all",
        "contacts:read-own",
        "audit:read",
        "exceptions:read",
        "exceptions:explain",
        "obligations:fulfil",
        "reimbursements:record",
        "access:manage",
    ] {
        let (status, v) = app
            .call(post(
                "/api/v1/tokens",
                Some(&admin),
                &json!({"name": "reader", "scopes": [scope]}),
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{scope}: {v}");
        assert_eq!(v["path"], "$.scopes", "{v}");
    }
    let (status, v) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "aud", "role": "auditor", "password": "correct horse battery"}),
        ))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a password is refused: {v}"
    );
    let (status, v) = app
        .call(post(
            "/api/v1/accounts",
            Some(&admin),
            &json!({"username": "aud", "role": "auditor"}),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(
        v.get("totp_secret").is_none() && v.get("otpauth_uri").is_none(),
        "{v}"
    );
    assert!(v["enrolment"]["code"].is_string(), "{v}");
}
