//! The Ask page without JavaScript: plain form posts, as a phone with
//! scripts off sends them. Every question can be answered "I don't know";
//! the answer then says, in one sentence, what is safe to do until it is
//! known; a settled answer opens with what to say to the caller.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::harness::TestApp;

/// Posts the Ask form as a browser does.
async fn ask(app: &TestApp, form: &[(&str, &str)]) -> String {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let (status, _, page) = app
        .send(
            Request::post("/ask")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{form:?}");
    String::from_utf8(page).unwrap()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The facts the page asks about (`name="fact.X"` inside the question form).
fn asked(page: &str) -> Vec<String> {
    let Some(form) = page.split("id=\"questions\"").nth(1) else {
        return Vec::new();
    };
    let form = form.split("</form>").next().unwrap_or_default();
    let mut facts: Vec<String> = Vec::new();
    for kind in ["radio", "checkbox"] {
        let marker = format!("type=\"{kind}\" name=\"fact.");
        facts.extend(
            form.split(marker.as_str())
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned),
        );
    }
    facts.sort();
    facts.dedup();
    facts
}

/// The answer's first line, without its label.
fn verdict(page: &str) -> String {
    let line = page
        .split("id=\"verdict\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("no verdict in:\n{page}"));
    let text = line.split("</strong> ").nth(1).unwrap_or(line);
    text.replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The situations on the first page, by their form value.
async fn situations(app: &TestApp) -> Vec<String> {
    let (status, _, page) = app.send(crate::get("/ask")).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    page.split("name=\"situation\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// A word that looks like an identifier (`in-police-custody`, `ice-ero`):
/// lower-case words joined by hyphens, or dotted keys, outside the quoted
/// questions (the schema's sentences for people, where "protective-order
/// arrest" is English).
fn identifier_shaped(text: &str) -> Option<&str> {
    text.split('“')
        .map(|part| part.split_once('”').map_or(part, |(_, after)| after))
        .find_map(identifier_in)
}

fn identifier_in(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || ",;:()\".?!".contains(c))
        .find(|w| {
            let parts: Vec<&str> = w.split(['-', '.']).collect();
            parts.len() > 1
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        })
}

/// Every situation, every question answered "I don't know", round after
/// round: each question offers it, keeps it chosen, and the answer opens
/// with one sentence of what to do meanwhile, in words for people.
#[tokio::test]
async fn i_dont_know_is_an_answer_to_every_question_in_every_situation() {
    let app = TestApp::new().await;
    let all = situations(&app).await;
    assert_eq!(all.len(), 10, "{all:?}");
    let mut asked_somewhere = 0;
    for situation in &all {
        let mut page = ask(&app, &[("situation", situation)]).await;
        let questions = asked(&page);
        for fact in &questions {
            asked_somewhere += 1;
            assert!(
                page.contains(&format!(
                    "id=\"q-{fact}--unknown\" type=\"radio\" name=\"fact.{fact}\" value=\"-unknown\""
                )) || page.contains(&format!(
                    "id=\"q-{fact}--unknown\" type=\"checkbox\" name=\"fact.{fact}\" value=\"-unknown\""
                )),
                "{situation}: {fact} has no \"I don't know\""
            );
        }
        if questions.is_empty() {
            continue;
        }
        let mut form: Vec<(String, String)> = vec![("situation".into(), situation.clone())];
        form.extend(
            questions
                .iter()
                .map(|f| (format!("fact.{f}"), "-unknown".to_owned())),
        );
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        page = ask(&app, &pairs).await;
        // Nothing was learnt, so the same questions stay, "I don't know" chosen.
        assert_eq!(asked(&page), questions, "{situation}");
        for fact in &questions {
            assert!(
                page.split(&format!("id=\"q-{fact}--unknown\""))
                    .nth(1)
                    .and_then(|rest| rest.split('>').next())
                    .is_some_and(|input| input.ends_with(" checked")),
                "{situation}: {fact} kept"
            );
        }
        assert!(page.contains("The answer so far"), "{situation}");
        // Focus goes to the first line: the officer has said all they can.
        assert!(
            page.contains("id=\"verdict\" tabindex=\"-1\" autofocus"),
            "{situation}"
        );
        assert!(
            page.find("id=\"verdict\"") < page.find("id=\"questions\""),
            "{situation}: the first line comes first"
        );
        let line = verdict(&page);
        assert!(
            line.ends_with('.') && line.matches(". ").count() == 0,
            "{situation}: one sentence: {line}"
        );
        assert!(
            identifier_shaped(&line).is_none(),
            "{situation}: {:?} in {line}",
            identifier_shaped(&line)
        );
        assert!(!line.contains("(see"), "{situation}: {line}");
        // Something an act may be, whatever the answers, or must wait for
        // them, and the sentence says which.
        assert!(
            line.contains("do not") || line.contains("you may") || line.contains("you must"),
            "{situation}: {line}"
        );
    }
    assert!(asked_somewhere >= 10, "{asked_somewhere} questions asked");
}

/// The case: an operation whose purpose the officer cannot tell.
/// Assisting is prohibited for some purposes, so it waits; known to be
/// civil immigration enforcement, it is prohibited; known to be a criminal
/// investigation, it is not, and the first line says so.
#[tokio::test]
async fn an_operation_of_unknown_purpose_waits_until_it_is_known() {
    let app = TestApp::new().await;
    let page = ask(&app, &[("situation", "federal-operation")]).await;
    let questions = asked(&page);
    assert!(
        questions.contains(&"operation-purpose".to_owned()),
        "{questions:?}"
    );
    let mut form: Vec<(String, String)> = vec![("situation".into(), "federal-operation".into())];
    form.extend(
        questions
            .iter()
            .map(|f| (format!("fact.{f}"), "-unknown".to_owned())),
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = ask(&app, &pairs).await;
    let line = verdict(&page);
    assert!(
        line.starts_with("Until you know ")
            && line.contains("“What is the federal operation or activity for?”")
            && line.contains("do not take part in or assist a federal operation"),
        "{line}"
    );
    assert!(page.contains("Not until you know more"), "the item's label");

    // The other side: the purpose known.
    let settled = |purpose: &'static str| {
        let mut form: Vec<(String, String)> =
            vec![("situation".into(), "federal-operation".into())];
        form.push(("fact.operation-purpose".into(), purpose.into()));
        form
    };
    let civil = settled("civil-immigration");
    let pairs: Vec<(&str, &str)> = civil
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = ask(&app, &pairs).await;
    let left = asked(&page);
    let mut form = civil.clone();
    form.extend(
        left.iter()
            .map(|f| (format!("fact.{f}"), "-unknown".to_owned())),
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = ask(&app, &pairs).await;
    let line = verdict(&page);
    assert_eq!(
        line, "We cannot take part in or assist a federal operation.",
        "civil immigration"
    );
    let criminal = settled("other-criminal");
    let pairs: Vec<(&str, &str)> = criminal
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = ask(&app, &pairs).await;
    let line = verdict(&page);
    assert!(
        !line.contains("take part in or assist a federal operation")
            || line.contains("you may take part in or assist a federal operation")
            || line.contains("We can take part in or assist a federal operation"),
        "a criminal investigation is not barred: {line}"
    );
}

/// The desk officer with ICE on the phone: the first line is what to say,
/// from each item's outcome, and no explanation above an item contradicts
/// that item (the bar on addresses above a home address the public log
/// allows).
#[tokio::test]
async fn ice_on_the_phone_gets_a_line_to_say_and_no_contradiction() {
    let app = TestApp::new().await;
    let mut form: Vec<(String, String)> = vec![("situation".into(), "ice-phone-custody".into())];
    for _ in 0..6 {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = ask(&app, &pairs).await;
        let left = asked(&page);
        if left.is_empty() {
            break;
        }
        // An adult arrested, in the public log: the address is public.
        for fact in left {
            let value = match fact.as_str() {
                "arrested" => "yes",
                "separate-log" => "no",
                "age-group" => "adult",
                "documents" => "notification-request",
                _ => "no",
            };
            form.push((format!("fact.{fact}"), value.into()));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = ask(&app, &pairs).await;
    assert!(page.contains(">The answer<"), "settled: {form:?}");
    let line = verdict(&page);
    assert!(line.starts_with("We can tell you "), "{line}");
    assert!(line.contains("their immigration status"), "{line}");
    assert!(line.contains("we cannot tell you "), "{line}");
    assert!(line.contains("their pending release"), "{line}");
    let can = line.split("; we cannot").next().unwrap();
    assert!(
        can.contains("home address"),
        "the public log's address: {line}"
    );
    assert!(identifier_shaped(&line).is_none(), "{line}");
    // Each item's own explanation: the release date's must not bar addresses
    // when the home address is allowed on the same page.
    let release = page
        .split("<section class=\"tg-item\"")
        .find(|s| s.contains("Tell them their pending release"))
        .unwrap();
    assert!(release.contains(">Prohibited<"), "{release}");
    assert!(!release.contains("addresses"), "{release}");
    assert!(
        release.contains("bars telling them their pending release"),
        "{release}"
    );
}

/// Bad input names what is wrong: a fact the schema lacks, even when
/// answered "I don't know", is refused, never a 500.
#[tokio::test]
async fn an_unknown_fact_is_refused_even_when_not_known() {
    let app = TestApp::new().await;
    let (status, _, page) = app
        .send(
            Request::post("/ask")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(
                    "situation=federal-operation&fact.no-such-fact=-unknown",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&page).contains("What is happening?"));
}
