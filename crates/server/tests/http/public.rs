//! The resident's site (issue 12): in every language, with no account, no
//! message key on any page, its own headers and rate limit, and servable
//! alone with nothing of the staff system on it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt as _;

use crate::harness::{TestApp, get, messages};

fn page_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[tokio::test]
async fn the_home_is_chosen_by_the_readers_languages() {
    let app = TestApp::new().await;
    for (accept, to) in [
        (None, "/en/"),
        (Some("es-419,es;q=0.9,en;q=0.8"), "/es/"),
        (Some("pt-BR,pt;q=0.9"), "/pt/"),
        (Some("ht"), "/ht/"),
        (Some("de-DE,de"), "/en/"),
    ] {
        let mut req = Request::get("/");
        if let Some(a) = accept {
            req = req.header(header::ACCEPT_LANGUAGE, a);
        }
        let (status, headers, _) = app.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{accept:?}");
        assert_eq!(headers[header::LOCATION], to, "{accept:?}");
        assert_eq!(headers[header::VARY], "Accept-Language");
    }
    let (status, headers, _) = app.send(get("/es", None)).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(headers[header::LOCATION], "/es/");
}

/// Every page in every language: its `lang`, the switch naming each
/// language in itself, the draft notice until a translator approves, and no
/// message id or missing-message mark anywhere.
#[tokio::test]
async fn every_public_page_is_whole_in_every_language() {
    let app = TestApp::new().await;
    let m = messages();
    let ids: Vec<String> = m.source().ids().map(str::to_owned).collect();
    for language in m.languages() {
        let code = language.code();
        for (uri, want) in [
            (format!("/{code}/"), StatusCode::OK),
            (format!("/{code}/no-such-page"), StatusCode::NOT_FOUND),
        ] {
            let (status, headers, body) = app.send(get(&uri, None)).await;
            let html = page_text(&body);
            if uri.ends_with("no-such-page") {
                // Not a public route on the whole site: the API's fallback.
                assert_eq!(status, want, "{uri}");
                continue;
            }
            assert_eq!(status, want, "{uri}: {html}");
            assert!(
                html.starts_with(&format!("<!doctype html>\n<html lang=\"{code}\">")),
                "{uri}"
            );
            for other in m.languages() {
                let link = format!(
                    "<a href=\"/{0}/\" lang=\"{0}\" hreflang=\"{0}\"",
                    other.code()
                );
                assert!(html.contains(&link), "{uri}: no switch to {}", other.code());
                assert!(html.contains(&other.text("language-name")), "{uri}");
            }
            assert_eq!(
                html.contains(&language.text("catalogue-draft-notice")),
                language.is_draft(),
                "{uri}: the draft notice shows exactly while the translation is a draft"
            );
            assert!(!html.contains('⟦'), "{uri}: a missing message");
            let text = html
                .split('<')
                .filter_map(|s| s.split_once('>').map(|(_, t)| t))
                .collect::<String>();
            // Ids of one word are words too ("emergency"); the rest are keys.
            for id in ids.iter().filter(|id| id.contains('-')) {
                assert!(
                    !text.contains(id.as_str()),
                    "{uri}: the message id `{id}` shows"
                );
            }
            assert!(html.contains(&language.text("section-see-ice")), "{uri}");
            assert!(
                html.contains("href=\"/laws/"),
                "{uri}: the law's words are a tap away"
            );
            assert!(html.contains("href=\"/reports/\""), "{uri}");
            let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            for d in [
                "default-src 'none'",
                "frame-ancestors 'none'",
                "form-action 'self'",
            ] {
                assert!(csp.contains(d), "{uri}: {csp}");
            }
            assert!(!csp.contains("script-src"), "{uri}: no script at all");
            assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{uri}");
        }
    }
    let (status, _, body) = app.send(get("/xx/", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page_text(&body).contains("<html lang=\"en\">"));
}

/// A staff session changes nothing on a public page: it reads no record.
#[tokio::test]
async fn a_staff_session_changes_nothing_on_public_pages() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let (_, _, anonymous) = app.send(get("/es/", None)).await;
    let with_cookie = Request::get("/es/")
        .header(header::COOKIE, format!("__Host-tg-session={admin}"))
        .body(Body::empty())
        .unwrap();
    let (_, _, signed_in) = app.send(with_cookie).await;
    assert_eq!(page_text(&signed_in), page_text(&anonymous));
}

#[tokio::test]
async fn a_flood_from_one_address_is_slowed_and_others_are_not() {
    let app = TestApp::new().await;
    let from = |ip: [u8; 4]| {
        let mut req = get("/en/", None);
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                ip, 5000,
            ))));
        req
    };
    for _ in 0..120 {
        let (status, _, _) = app.send(from([198, 51, 100, 1])).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = app.send(from([198, 51, 100, 1])).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
    assert!(page_text(&body).contains("wait a minute"));
    let (status, _, _) = app.send(from([198, 51, 100, 2])).await;
    assert_eq!(status, StatusCode::OK, "another address is not held up");
    app.clock.advance(60_000);
    let (status, _, _) = app.send(from([198, 51, 100, 1])).await;
    assert_eq!(status, StatusCode::OK, "a minute later");
}

/// `serve --public-listen`: the resident's site alone. Nothing that reads a
/// record or takes a credential is there, whoever asks.
#[tokio::test]
async fn the_public_site_alone_has_nothing_of_the_staff_system() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let public = trustgate_server::site(app.state.clone(), trustgate_server::Site::Public);
    let send = |req: Request<Body>| {
        let public = public.clone();
        async move { public.oneshot(req).await.unwrap().status() }
    };
    for uri in [
        "/",
        "/es/",
        "/laws/",
        "/assets/trustgate.css",
        "/healthz",
        "/reports/",
    ] {
        let status = send(get(uri, None)).await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{uri}: {status}"
        );
    }
    for uri in [
        "/api/v1/contacts",
        "/api/v1/me",
        "/api/v1/audit/head",
        "/api/openapi.json",
        "/ask",
        "/sign-in",
        "/contacts",
        "/audit",
        "/admin",
        "/readyz",
    ] {
        assert_eq!(
            send(get(uri, Some(&admin))).await,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    let sign_in = Request::post("/api/v1/sessions")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert!(send(sign_in).await.is_client_error());
}

/// The questions residents ask are answered by the engine under the law of
/// the day, each answer linked to the words that decide it.
#[tokio::test]
async fn residents_questions_are_the_engines_answers_with_their_words() {
    let app = TestApp::new().await;
    let m = messages();
    let en = m.get("en").unwrap();
    let (_, _, body) = app.send(get("/en/", None)).await;
    let html = page_text(&body);
    let place = crate::harness::cambridge();
    assert!(!place.questions().is_empty());
    let lib = crate::harness::library();
    let today = trustgate_report::local_date(crate::harness::T0);
    for q in place.questions() {
        let query = q.query(&lib, "cambridge", today).unwrap();
        let decision = lib.decide(&query);
        let explained = lib.explain(&query, &decision);
        let item = explained.items().next().unwrap();
        let id = match item.outcome() {
            trustgate_law::Outcome::Prohibited => "answer-prohibited",
            trustgate_law::Outcome::Permitted => "answer-permitted",
            trustgate_law::Outcome::Required => "answer-required",
            trustgate_law::Outcome::NotAddressed => "answer-not-addressed",
            trustgate_law::Outcome::Conflict => "answer-conflict",
            trustgate_law::Outcome::Undetermined => "answer-undetermined",
        };
        let question = en.text(&format!("question-{}", q.id));
        let at = html.find(&question).unwrap_or_else(|| panic!("{question}"));
        let rest = &html[at..];
        assert!(
            rest.get(..600).unwrap_or(rest).contains(&en.text(id)),
            "{}: {}",
            q.id,
            en.text(id)
        );
    }
    // Detainers: the engine says no, citing (d) and Lunn.
    assert!(html.contains("#rule-d-no-extension\""), "{html}");
    // Every cited rule's anchor is on its law page.
    let links: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.contains("#rule-"))
        .collect();
    assert!(links.len() >= 4, "{links:?}");
    for link in links {
        let (page, anchor) = link.split_once('#').unwrap();
        let (status, _, body) = app.send(get(page, None)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            page_text(&body).contains(&format!("id=\"{anchor}\"")),
            "{link}"
        );
    }
}
