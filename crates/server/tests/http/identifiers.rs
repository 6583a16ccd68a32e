//! Every word a person reads on a staff page comes from words written for
//! people, never from an identifier (issue 14 item 4): no name of the
//! schema's vocabulary (a fact, a value, an act) with a hyphen in it
//! appears in a page's text.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use trustgate_access::Role;

use crate::harness::{TestApp, library, post};
use crate::records::detainer;

/// The page's text as a person reads it: tags and attributes dropped.
pub(crate) fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The schema's identifiers that no English text would hold: those with a
/// hyphen (`ice-ero`, `in-police-custody`, `transfer-to-ice`).
fn identifiers() -> Vec<String> {
    let c = trustgate_api::Catalogue::of(&library());
    let mut out: Vec<String> = c
        .facts
        .iter()
        .flat_map(|f| {
            std::iter::once(f.fact.clone()).chain(f.values.iter().map(|v| v.value.clone()))
        })
        .chain(c.acts.iter().map(|a| a.act.clone()))
        .filter(|w| w.contains('-'))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `word` stands alone in `text` (not inside a longer word).
fn stands_alone(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
        !part(before) && !part(after)
    })
}

#[tokio::test]
async fn no_staff_page_shows_an_identifier() {
    let app = TestApp::new().await;
    let admin = app.first_admin().await;
    let officer = app.staff(&admin, "officer.words", Role::Officer).await;
    let clerk = app.staff(&admin, "clerk.words", Role::RecordsClerk).await;
    let psu = app
        .staff(&admin, "psu.words", Role::ProfessionalStandards)
        .await;
    let auditor = app.staff(&admin, "auditor.words", Role::Auditor).await;
    let (status, made) = app
        .call(post(
            "/api/v1/contacts",
            Some(&clerk),
            &detainer(&["detain"]),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = &made["id"];
    let pages = [
        (officer.as_str(), "/ask".to_owned()),
        (
            officer.as_str(),
            "/ask?situation=detainer-arrived".to_owned(),
        ),
        (clerk.as_str(), "/contacts".to_owned()),
        (clerk.as_str(), format!("/contacts/{id}")),
        (clerk.as_str(), "/work".to_owned()),
        (clerk.as_str(), "/report".to_owned()),
        (psu.as_str(), "/exceptions".to_owned()),
        (auditor.as_str(), "/audit".to_owned()),
        (admin.as_str(), "/admin".to_owned()),
    ];
    let words = identifiers();
    assert!(words.iter().any(|w| w == "ice-ero"), "{words:?}");
    let mut found = Vec::new();
    for (session, path) in &pages {
        let req = Request::get(path.as_str())
            .header(header::COOKIE, format!("__Host-tg-session={session}"))
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = app.send(req).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let text = text_of(&String::from_utf8_lossy(&body));
        for w in &words {
            if stands_alone(&text, w) {
                found.push(format!("{path}: `{w}`"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "identifiers on staff pages:\n{}",
        found.join("\n")
    );
}
