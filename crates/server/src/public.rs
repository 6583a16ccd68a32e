//! The resident's site: what the city's trust laws mean for you, in your
//! language, with no account (issue 12). A separate router from the staff
//! pages, with its own threat model: anyone on the internet may call it, so
//! it reads no record, takes no credential (a session cookie sent to it is
//! ignored), is rate-limited per address, and its pages run no script,
//! load nothing from elsewhere and send no referrer. `serve
//! --public-listen` can serve it alone on its own address, so the staff
//! system need not face the internet at all (ARCHITECTURE.md).
//!
//! Every word comes from the message catalogues (`trustgate_messages`): the
//! product's own, and the place's (`packs/<place>/messages/`). Addresses
//! carry the language (`/es/`), so a page can be shared in it; `/` picks it
//! from `Accept-Language`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use trustgate_messages::{Language, Messages};

use crate::AppState;

/// Requests per address (an IPv4 address, an IPv6 /64) per minute: a person
/// reading follows a link every few seconds; a flood gets 429.
pub(crate) const PER_MINUTE: u32 = 120;

/// The resident's routes.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(choose_language))
        .route("/{lang}", get(with_slash))
        .route("/{lang}/", get(home))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), guard))
}

/// Public pages: no script, nothing from elsewhere, never framed, no
/// referrer sent on (a resident's visit is nobody's business).
const CSP: HeaderValue = HeaderValue::from_static(
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
);

/// The rate limit and the headers every public page carries.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(addr) = state.client(req.headers(), req.extensions())
        && let Err(retry_after_s) = state.public_throttle.admit(addr, state.clock.now_ms())
    {
        let language = reader_language(&state, &req);
        let mut res = (StatusCode::TOO_MANY_REQUESTS, language.text("too-many")).into_response();
        if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, CSP);
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `/`: the reader's language, from what their browser asks for.
async fn choose_language(State(state): State<AppState>, req: Request) -> Response {
    let language = reader_language(&state, &req);
    let mut res = Redirect::to(&format!("/{}/", language.code())).into_response();
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    res
}

/// Any other address on the public site alone.
pub(crate) async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    not_found(&state.messages, Some(reader_language(&state, &req)))
}

/// The reader's language, from `Accept-Language`.
fn reader_language<'a>(state: &'a AppState, req: &Request) -> &'a Language {
    state.messages.negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

async fn with_slash(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    match state.messages.get(&lang) {
        Some(l) => Redirect::permanent(&format!("/{}/", l.code())).into_response(),
        None => not_found(&state.messages, None),
    }
}

/// A language link in the switch: its own name, in its own language.
#[derive(Debug)]
struct Switch {
    code: String,
    name: String,
    current: bool,
}

/// What every public page's frame needs.
#[derive(Debug)]
struct Frame<'a> {
    t: &'a Language,
    title: String,
    languages: Vec<Switch>,
    /// The path after `/{lang}`, for the language switch.
    path: &'static str,
}

impl<'a> Frame<'a> {
    fn new(
        messages: &'a Messages,
        t: &'a Language,
        title: String,
        path: &'static str,
    ) -> Frame<'a> {
        Frame {
            t,
            title,
            languages: messages
                .languages()
                .iter()
                .map(|l| Switch {
                    code: l.code().to_owned(),
                    name: l.text("language-name"),
                    current: l.code() == t.code(),
                })
                .collect(),
            path,
        }
    }
}

/// A law in force, linked to its page.
#[derive(Debug)]
struct LawLink {
    title: String,
    href: String,
}

/// A resident's question, answered by the engine under today's law.
#[derive(Debug)]
struct Answered {
    question: String,
    answer: String,
    /// Doubt or low reliability, in words.
    caveats: Vec<String>,
    /// The rules that decide it, linked to their words.
    cites: Vec<LawLink>,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct Home<'a> {
    frame: Frame<'a>,
    place: String,
    today: String,
    /// The place's statements for residents (`place-law-1`, …).
    statements: Vec<String>,
    questions: Vec<Answered>,
    laws: Vec<LawLink>,
    reports: bool,
}

/// Puts a resident's question to the engine: its scenario on `date`, its
/// one act. `None` if the law library refuses it (the CLI checks every
/// question at start, so that is a defect, logged) or the place has no
/// words for it.
fn answer(
    lib: &trustgate_law::Library,
    place: &trustgate_place::Place,
    q: &trustgate_place::Question,
    date: trustgate_law::Date,
    t: &Language,
) -> Option<Answered> {
    use trustgate_law::{Outcome, Reliability};
    let text_id = format!("question-{}", q.id);
    if !t.has(&text_id) {
        return None;
    }
    let built = q.query(lib, place.id(), date);
    let query = match built {
        Ok(q) => q,
        Err(e) => {
            tracing::error!(question = %q.id, error = %e, "a resident's question does not fit the law");
            return None;
        }
    };
    let decision = match lib.try_decide(&query) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(question = %q.id, error = %e, "the engine could not answer a resident's question");
            return None;
        }
    };
    let explained = lib.explain(&query, &decision);
    let item = explained.items().next()?;
    let answer = t.text(match item.outcome() {
        Outcome::Prohibited => "answer-prohibited",
        // Decided only by the words that end a ban's reach: the law does not
        // grant it, it stops short of it; say so, not "the law allows it".
        Outcome::Permitted if item.deciding().all(|r| r.is_limit()) => "answer-permitted-limit",
        Outcome::Permitted => "answer-permitted",
        Outcome::Required => "answer-required",
        Outcome::NotAddressed => "answer-not-addressed",
        Outcome::Conflict => "answer-conflict",
        Outcome::Undetermined => "answer-undetermined",
    });
    let mut caveats = Vec::new();
    if !item.doubts().is_empty() {
        caveats.push(t.text("answer-doubtful"));
    }
    if item.reliability() == Some(Reliability::Low) {
        caveats.push(t.text("answer-low-source"));
    }
    let cites = item
        .deciding()
        .map(|r| LawLink {
            title: r.cite().to_owned(),
            href: format!(
                "/laws/{}#rule-{}",
                trustgate_render::page_file_name(&r.law()),
                r.id()
            ),
        })
        .collect();
    Some(Answered {
        question: t.text(&text_id),
        answer,
        caveats,
        cites,
    })
}

impl Home<'_> {
    fn intro(&self) -> String {
        self.frame
            .t
            .text_with("home-intro", &[("place", self.place.clone().into())])
    }

    fn questions_intro(&self) -> String {
        self.frame
            .t
            .text_with("questions-intro", &[("date", self.today.clone().into())])
    }

    fn in_force(&self) -> String {
        self.frame
            .t
            .text_with("laws-in-force", &[("date", self.today.clone().into())])
    }

    /// A message of the place's, if it has written it.
    fn place_text(&self, id: &str) -> Option<String> {
        self.frame.t.has(id).then(|| self.frame.t.text(id))
    }
}

async fn home(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let messages = &state.messages;
    let Some(t) = messages.get(&lang) else {
        return not_found(messages, None);
    };
    let Ok(place) = state.place() else {
        return not_found(messages, Some(t));
    };
    let today = trustgate_report::local_date(state.clock.now_ms());
    let laws = match state.lib.query(place.id(), today) {
        Ok(q) => state
            .lib
            .laws_in_force(&q.build())
            .map(|l| LawLink {
                title: l.title().to_owned(),
                href: format!("/laws/{}", trustgate_render::page_file_name(&l)),
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    // The place's own short name for residents, else its formal one.
    let place_name = if t.has("place-name") {
        t.text("place-name")
    } else {
        place.name().to_owned()
    };
    let statements = (1..)
        .map(|n| format!("place-law-{n}"))
        .take_while(|id| t.has(id))
        .map(|id| t.text(&id))
        .collect();
    let questions = place
        .questions()
        .iter()
        .filter_map(|q| answer(&state.lib, place, q, today, t))
        .collect();
    let page = Home {
        questions,
        frame: Frame::new(
            messages,
            t,
            t.text_with("home-title", &[("place", place_name.clone().into())]),
            "/",
        ),
        place: place_name,
        today: today.to_string(),
        statements,
        laws,
        reports: state.reports.is_some(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "public/not_found.html")]
struct NotFound<'a> {
    frame: Frame<'a>,
}

/// The public 404, in the reader's language (the source's when unknown).
fn not_found(messages: &Messages, t: Option<&Language>) -> Response {
    let t = t.unwrap_or_else(|| messages.source());
    render(
        StatusCode::NOT_FOUND,
        &NotFound {
            frame: Frame::new(messages, t, t.text("not-found-title"), "/"),
        },
    )
}

fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a public page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown.",
            )
                .into_response()
        }
    }
}
