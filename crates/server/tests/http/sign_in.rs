//! Sign-in neither tells which usernames exist nor lets one address lock an
//! account for everyone (issue 10, item 8).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use trustgate_access::{LOCKOUT_MS, Role};

use crate::harness::{PASSWORD, Reply, TestApp, post};

/// A sign-in as it arrives from `ip` on a socket.
fn sign_in_from(ip: [u8; 4], username: &str, password: &str, code: &str) -> Request<Body> {
    let mut req = post(
        "/api/v1/sessions",
        None,
        &json!({"username": username, "password": password, "code": code}),
    );
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))));
    req
}

/// What a caller can observe of an answer: status, every header but the
/// request id, and the body.
fn observable((status, mut headers, body): Reply) -> (StatusCode, Vec<(String, String)>, String) {
    headers.remove("x-request-id");
    let mut headers: Vec<_> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    headers.sort();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn unknown_and_known_usernames_get_the_same_answers() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let secret = app.enrolled(&admin, "officer.one", Role::Officer).await;
    let code = app.code(&secret);
    for n in 1..=7 {
        // A minute apart, so the per-address throttle (20 a minute) stays out of it.
        app.clock.advance(60_000);
        let known = observable(
            app.send(sign_in_from(
                [192, 0, 2, 1],
                "officer.one",
                "not the password",
                &code,
            ))
            .await,
        );
        for unknown in ["officer.two", "Officer One", "correct horse battery"] {
            let got = observable(
                app.send(sign_in_from([192, 0, 2, 1], unknown, PASSWORD, &code))
                    .await,
            );
            assert_eq!(got, known, "try {n}: {unknown}");
        }
        let expected = if n < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(known.0, expected, "try {n}: {}", known.2);
        // Locked at the fifth for 15 minutes: the wait counts down by the minute.
        let retry_after = known.1.iter().find(|(k, _)| k == "retry-after");
        let expected = (n >= 5).then(|| (900 - 60 * (n - 5)).to_string());
        assert_eq!(retry_after.map(|(_, v)| v.clone()), expected, "try {n}");
    }
}

#[tokio::test]
async fn failures_from_one_address_lock_it_but_not_the_owner_elsewhere() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let secret = app.enrolled(&admin, "officer.one", Role::Officer).await;
    let attacker = [203, 0, 113, 5];
    for _ in 0..5 {
        let (status, _) = app
            .call(sign_in_from(attacker, "officer.one", "guess", "000000"))
            .await;
        assert!(matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
        ));
    }
    // From the attacker's address, even the right credentials are refused.
    let code = app.code(&secret);
    let (status, headers, body) = app
        .send(sign_in_from(attacker, "officer.one", PASSWORD, &code))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"], "account-locked");
    let wait: i64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=LOCKOUT_MS / 1000).contains(&wait), "{wait}");
    // The owner, at their desk, signs in.
    let code = app.code(&secret);
    let (status, v) = app
        .call(sign_in_from(
            [198, 51, 100, 20],
            "officer.one",
            PASSWORD,
            &code,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // After the lockout, the attacker's address may try again.
    app.clock.advance(LOCKOUT_MS);
    let code = app.code(&secret);
    let (status, v) = app
        .call(sign_in_from(attacker, "officer.one", PASSWORD, &code))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
}

/// Behind a reverse proxy every connection comes from the proxy. With the
/// proxy trusted, lockout stays per client: an attacker's failures do not
/// lock out the owner behind the same proxy. Without it, a client cannot
/// escape its lockout by sending `X-Forwarded-For` itself.
#[tokio::test]
async fn behind_a_trusted_proxy_lockout_is_per_forwarded_client() {
    let proxy = [10, 0, 0, 2];
    let via = |forwarded: &str, username: &str, password: &str, code: &str| {
        let mut req = sign_in_from(proxy, username, password, code);
        req.headers_mut()
            .insert("x-forwarded-for", forwarded.parse().unwrap());
        req
    };
    let trusted = trustgate_server::TrustedProxies::new(vec!["10.0.0.0/8".parse().unwrap()]);
    for (proxies, lockout_is_per_client) in [(trusted, true), (Default::default(), false)] {
        let app = TestApp::behind(proxies).await;
        let admin = app.first_admin().await;
        let secret = app.enrolled(&admin, "officer.one", Role::Officer).await;
        for _ in 0..5 {
            let (status, _) = app
                .call(via("203.0.113.5", "officer.one", "guess", "000000"))
                .await;
            assert!(matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ));
        }
        // The attacker is locked out, even when it says it is someone else
        // (the proxy appends the address it really came from).
        let code = app.code(&secret);
        let (status, _) = app
            .call(via(
                "198.51.100.20, 203.0.113.5",
                "officer.one",
                PASSWORD,
                &code,
            ))
            .await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "{lockout_is_per_client}"
        );
        // The owner, behind the same proxy, at their desk.
        app.clock.advance(30_000);
        let code = app.code(&secret);
        let (status, v) = app
            .call(via("198.51.100.20", "officer.one", PASSWORD, &code))
            .await;
        let expected = if lockout_is_per_client {
            StatusCode::CREATED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "{lockout_is_per_client}: {v}");
    }
}

/// The sign-in page answers a known and an unknown name alike too (it
/// echoes the name typed, nothing else), and says when to try again.
#[tokio::test]
async fn the_sign_in_page_answers_unknown_names_like_known_ones() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    app.enrolled(&admin, "officer.one", Role::Officer).await;
    let page = |username: &str| {
        let mut req = Request::post("/sign-in")
            .header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!(
                "username={username}&password=wrong&code=000000"
            )))
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [192, 0, 2, 9],
                40000,
            ))));
        req
    };
    for n in 1..=6 {
        let (status, headers, body) = observable(app.send(page("officer.one")).await);
        let unknown = observable(app.send(page("officer.two")).await);
        assert_eq!(
            unknown,
            (
                status,
                headers.clone(),
                body.replace("officer.one", "officer.two")
            ),
            "try {n}"
        );
        let retry = headers.iter().find(|(k, _)| k == "retry-after");
        if n < 5 {
            assert_eq!((status, retry), (StatusCode::UNAUTHORIZED, None), "try {n}");
        } else {
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "try {n}");
            assert_eq!(retry.map(|(_, v)| v.as_str()), Some("900"));
            assert!(body.contains("try again in 15 minutes"), "{body}");
        }
    }
}
