//! The resident's site (issue 12): in every language, with no account, no
//! message key on any page, its own headers and rate limit, and servable
//! alone with nothing of the staff system on it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt as _;

use crate::harness::{TestApp, get, messages};

/// The message that says the engine's answer to one item.
fn answer_id(item: &trustgate_law::ItemView<'_>) -> &'static str {
    use trustgate_law::Outcome;
    match item.outcome() {
        Outcome::Prohibited => "answer-prohibited",
        Outcome::Permitted if item.deciding().all(|r| r.is_limit()) => "answer-permitted-limit",
        Outcome::Permitted => "answer-permitted",
        Outcome::Required => "answer-required",
        Outcome::NotAddressed => "answer-not-addressed",
        Outcome::Conflict => "answer-conflict",
        Outcome::Undetermined => "answer-undetermined",
    }
}

/// A page's HTML with askama's escapes undone, to find a message's text.
fn unescaped(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

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
        let id = answer_id(&item);
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

/// Every configured place's home, in every language: its own statements
/// and questions shown, no message id, each question answered as the
/// engine answers it under that place's law, its citations linked to
/// anchors that exist, and the optional sections (911, footage, complaints)
/// present exactly when the place has words for them.
#[tokio::test]
async fn every_places_home_is_whole_with_its_questions_answered() {
    let places = crate::harness::places();
    assert!(places.len() >= 3, "Cambridge, Northampton, Somerville");
    let lib = crate::harness::library();
    let today = trustgate_report::local_date(crate::harness::T0);
    for (_, place) in places {
        let id = place.id();
        let app = TestApp::at_place(id).await;
        let m = crate::harness::messages_of(id);
        let source = m.source();
        let ids: Vec<String> = source.ids().map(str::to_owned).collect();
        assert!(
            (3..=5).contains(&place.questions().len()),
            "{id}: {} questions",
            place.questions().len()
        );
        // Every question has its words, and no words lack a question.
        for q in place.questions() {
            assert!(source.has(&format!("question-{}", q.id)), "{id}: {}", q.id);
        }
        for w in ids.iter().filter_map(|i| i.strip_prefix("question-")) {
            assert!(
                place.questions().iter().any(|q| q.id == w),
                "{id}: `question-{w}` answers no question in place.toml"
            );
        }
        assert!(source.has("place-law-1"), "{id}: no statement of its law");
        let mut cited = Vec::new();
        let mut decided = 0;
        for language in m.languages() {
            let uri = format!("/{}/", language.code());
            let (status, _, body) = app.send(get(&uri, None)).await;
            let html = unescaped(&page_text(&body));
            assert_eq!(status, StatusCode::OK, "{id} {uri}: {html}");
            assert!(!html.contains('⟦'), "{id} {uri}: a missing message");
            let text = html
                .split('<')
                .filter_map(|s| s.split_once('>').map(|(_, t)| t))
                .collect::<String>();
            for i in ids.iter().filter(|i| i.contains('-')) {
                assert!(
                    !text.contains(i.as_str()),
                    "{id} {uri}: the message id `{i}` shows"
                );
            }
            for n in (1..).take_while(|n| source.has(&format!("place-law-{n}"))) {
                let s = language.text(&format!("place-law-{n}"));
                assert!(html.contains(&s), "{id} {uri}: place-law-{n} not shown");
            }
            for (optional, section) in [
                ("place-see-ice", "section-see-ice"),
                ("place-complaint", "section-complaint"),
                ("place-caveat", ""),
            ] {
                let shown = source.has(optional);
                if shown {
                    assert!(
                        html.contains(&language.text(optional)),
                        "{id} {uri}: {optional}"
                    );
                }
                if !section.is_empty() {
                    assert_eq!(
                        html.contains(&language.text(section)),
                        shown,
                        "{id} {uri}: the section `{section}` shows exactly when the place has `{optional}`"
                    );
                }
            }
            // The tests' server has published reports, so every place links
            // to them; the law's words on reports only where it has some.
            assert!(html.contains(&language.text("reports-link")), "{id} {uri}");
            if source.has("place-reports") {
                assert!(html.contains(&language.text("place-reports")), "{id} {uri}");
            }
            for q in place.questions() {
                let query = q.query(&lib, id, today).unwrap();
                let decision = lib.decide(&query);
                let explained = lib.explain(&query, &decision);
                let item = explained.items().next().unwrap();
                // "It depends" is an honest answer (Cambridge's address
                // question); "these laws do not say" is no answer to a
                // question chosen for the line the place's law draws.
                assert_ne!(
                    item.outcome(),
                    trustgate_law::Outcome::NotAddressed,
                    "{id}: `{}` gets no answer from the law",
                    q.id
                );
                if item.outcome() != trustgate_law::Outcome::Undetermined {
                    decided += 1;
                }
                let question = language.text(&format!("question-{}", q.id));
                let at = html
                    .find(&question)
                    .unwrap_or_else(|| panic!("{id} {uri}: {question}"));
                let rest = &html[at..];
                let answer = rest.get(..1200).unwrap_or(rest);
                let said = language.text(answer_id(&item));
                assert!(answer.contains(&said), "{id} {uri} {}: {said}", q.id);
                // The answer's first citation is one of this question's.
                let deciding: Vec<String> = item
                    .deciding()
                    .map(|r| format!("#rule-{}\"", r.id()))
                    .collect();
                assert_eq!(
                    deciding.is_empty(),
                    item.outcome() == trustgate_law::Outcome::Undetermined,
                    "{id}: {} cites the words that decide it",
                    q.id
                );
                for d in &deciding {
                    assert!(
                        answer.contains(d.as_str()),
                        "{id} {uri} {}: no link {d}",
                        q.id
                    );
                }
            }
            if language.code() == source.code() {
                cited = html
                    .split("href=\"")
                    .skip(1)
                    .filter_map(|s| s.split('"').next())
                    .filter(|h| h.contains("#rule-"))
                    .map(str::to_owned)
                    .collect();
            }
        }
        // Per language, at least three questions the law decides.
        assert!(decided >= 3 * m.languages().len(), "{id}: {decided}");
        assert!(cited.len() >= 3, "{id}: {cited:?}");
        for link in cited {
            let (page, anchor) = link.split_once('#').unwrap();
            let (status, _, body) = app.send(get(page, None)).await;
            assert_eq!(status, StatusCode::OK, "{id}: {page}");
            assert!(
                page_text(&body).contains(&format!("id=\"{anchor}\"")),
                "{id}: {link}"
            );
        }
    }
}

/// With nothing published, a place shows the reports section only where its
/// law requires reports (Cambridge's 2.129.060), and then says none is
/// published yet; Northampton's law requires none, so it has no section.
#[tokio::test]
async fn the_reports_section_shows_only_where_the_law_requires_reports() {
    for (id, expected) in [("cambridge", true), ("northampton", false)] {
        let app = TestApp::at_place_publishing(id, None).await;
        let (status, _, body) = app.send(get("/en/", None)).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        let html = String::from_utf8_lossy(&body);
        let messages = crate::harness::messages_of(id);
        let en = messages.negotiate(Some("en"));
        assert_eq!(
            html.contains(&en.text("section-reports")),
            expected,
            "{id}: the reports section"
        );
        assert_eq!(html.contains(&en.text("reports-none")), expected, "{id}");
        assert!(
            !html.contains(&en.text("reports-link")),
            "{id}: nothing is published"
        );
    }
}
