//! Recording a contact from Ask, a contact's page, and the work list of
//! obligations due.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trustgate_access::Permission;
use trustgate_api::{RecordContact, format_utc_ms};
use trustgate_report::local_time_text;
use trustgate_store::ContactId;

use super::ask::{Pairs, scenario};
use super::{Chrome, render};
use crate::auth::Caller;
use crate::{AppError, AppState};

/// The signed-in caller (a session in the cookie), or a redirect to the
/// sign-in page; a change from another site, or a request carrying two
/// credentials, is refused, not redirected.
pub(super) async fn staff(
    state: &AppState,
    req: Request,
) -> Result<(Caller, axum::body::Body), Response> {
    let (mut parts, body) = req.into_parts();
    match super::session::page_caller(&mut parts, state).await {
        Ok(c) => Ok((c, body)),
        Err(e) => Err(super::ui_error(e)),
    }
}

/// Records the contact Ask decided, with what was done. A refused field
/// sends the page back as it was filled, the error beside the field.
pub(super) async fn record(State(state): State<AppState>, req: Request) -> Response {
    let (caller, body) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let pairs: Pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let today = trustgate_report::local_date(state.clock.now_ms()).to_string();
    let (situation, scenario, _) =
        match scenario(&trustgate_api::Catalogue::of(&state.lib), &pairs, &today) {
            Ok(x) => x,
            Err(message) => {
                return super::ui_error(AppError::Invalid(trustgate_api::InputError {
                    path: "$".into(),
                    message,
                }));
            }
        };
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let receiving_unit = get("receiving_unit").unwrap_or_default();
    if receiving_unit.is_empty() {
        errors.push((
            "receiving_unit".into(),
            "Choose the unit that received it.".into(),
        ));
    }
    let received_at = match (get("received_on"), get("received_time")) {
        (None, None) => None,
        (Some(day), time) => match (
            trustgate_law::Date::parse(&day),
            minutes(time.as_deref().unwrap_or("00:00")),
        ) {
            (Ok(day), Some(m)) => {
                let ms = trustgate_report::local_to_utc_ms(day, m);
                if ms > state.clock.now_ms() {
                    errors.push(("received_at".into(), "That is in the future.".into()));
                }
                Some(format_utc_ms(ms))
            }
            _ => {
                errors.push((
                    "received_at".into(),
                    "Give the day as a date and the time as hours and minutes.".into(),
                ));
                None
            }
        },
        (None, Some(_)) => {
            errors.push(("received_at".into(), "Give the day too.".into()));
            None
        }
    };
    if !errors.is_empty() {
        return super::ask::answer_page(
            &state,
            Some(&caller),
            pairs,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let body = RecordContact {
        kind: situation.kind.to_owned(),
        channel: get("channel").unwrap_or_else(|| situation.channel.to_owned()),
        receiving_unit,
        received_at,
        scenario,
        acts_done: pairs
            .iter()
            .filter(|(k, _)| k == "done")
            .map(|(_, v)| v.clone())
            .collect(),
        done_by: get("done_by"),
        withheld: get("withheld"),
        late_entry: get("late_entry"),
        obligations_due: Default::default(),
        person: None,
    };
    match crate::records::record(&state, &caller, body).await {
        Ok(recorded) => Redirect::to(&format!("/contacts/{}", recorded.id)).into_response(),
        Err(AppError::Invalid(e)) => {
            // `$.acts_done[0]` → the "done" boxes; `$.done_by` → its field.
            let field = e
                .path
                .trim_start_matches("$.")
                .split(['[', '.'])
                .next()
                .unwrap_or_default();
            let field = if field == "acts_done" { "done" } else { field };
            super::ask::answer_page(
                &state,
                Some(&caller),
                pairs,
                vec![(field.to_owned(), e.message)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => super::ui_error(e),
    }
}

/// `HH:MM` as minutes after midnight.
fn minutes(hh_mm: &str) -> Option<i64> {
    let (h, m) = hh_mm.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2).unwrap_or(m).parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

#[derive(Debug)]
struct DutyRow {
    id: i64,
    contact: i64,
    duty: String,
    due: String,
    done: Option<String>,
    /// Due time passed and not fulfilled.
    overdue: bool,
}

/// One answer of the decision kept with the record.
#[derive(Debug)]
struct DecidedRow {
    key: String,
    outcome: &'static str,
    tone: &'static str,
    done: bool,
    /// (citation, quoted words, address in the law browser).
    rules: Vec<(String, String, String)>,
}

/// One entry of the record's audit trail.
#[derive(Debug)]
struct TrailRow {
    seq: u64,
    at: String,
    actor: String,
    action: String,
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    chrome: Chrome,
    id: i64,
    kind: String,
    channel: String,
    unit: String,
    received: String,
    recorded_by: String,
    acts_done: Vec<String>,
    exception: bool,
    prohibited: Vec<String>,
    duties: Vec<DutyRow>,
    may_fulfil: bool,
    decided: Vec<DecidedRow>,
    laws: Vec<String>,
    trail: Vec<TrailRow>,
    /// The scenario's facts as recorded: (fact, value).
    facts: Vec<(String, String)>,
    /// Why it was entered late, into a period whose report was published.
    late_entry: Option<String>,
}

/// The recorded scenario's facts, in words a reader can check: each fact's
/// question and its answer, in the schema's words for people.
fn facts_of(
    lib: &trustgate_law::Library,
    scenario: &trustgate_records::Scenario,
) -> Vec<(String, String)> {
    use trustgate_records::scenario::FactInput;
    scenario
        .facts
        .iter()
        .map(|(k, v)| {
            let view = lib.facts().find(|f| f.name() == k);
            let means = |value: &str| {
                view.and_then(|f| {
                    f.values()
                        .into_iter()
                        .find(|(n, _)| *n == value)
                        .map(|(_, m)| m.to_owned())
                })
                .unwrap_or_else(|| value.to_owned())
            };
            let value = match v {
                FactInput::Bool(true) => "Yes".to_owned(),
                FactInput::Bool(false) => "No".to_owned(),
                FactInput::One(s) => means(s),
                FactInput::Set(a) if a.is_empty() => "None".to_owned(),
                FactInput::Set(a) => a.iter().map(|x| means(x)).collect::<Vec<_>>().join("; "),
            };
            let ask = view.map_or_else(|| k.replace('-', " "), |f| f.ask().to_owned());
            (ask, value)
        })
        .collect()
}

/// When a duty is due, as a sentence: the time the recorder gave, in
/// Cambridge time; else the law's own words; else that no deadline is set.
fn due_words(ms: Option<i64>, words: Option<&str>) -> String {
    match (ms, words) {
        (Some(ms), _) => format!("Due {}.", local_time_text(ms)),
        (None, Some(w)) => {
            let w = w.trim().trim_end_matches('.');
            let mut c = w.chars();
            let first: String = c
                .next()
                .map(|f| f.to_uppercase().collect())
                .unwrap_or_default();
            format!("{first}{}.", c.as_str())
        }
        (None, None) => "No deadline is set.".to_owned(),
    }
}

/// An item as a person reads it ("Tell them their home address"), from the
/// schema's words; its key only if the schema no longer has it.
fn item_words(lib: &trustgate_law::Library, key: &str) -> String {
    let (act, field) = match key.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (key, None),
    };
    super::ask::Spoken::of_kept(lib, act, field).map_or_else(|| key.to_owned(), |s| s.heading())
}

/// The decision as kept with the record: each answer with the rules that
/// decided it, and the law versions used.
fn decided(
    lib: &trustgate_law::Library,
    d: &trustgate_records::StoredDecision,
    done: &[String],
) -> (Vec<DecidedRow>, Vec<String>) {
    let rows = d
        .items
        .iter()
        .map(|item| {
            let (outcome, tone) = super::ask::outcome_words(item.outcome.as_str());
            DecidedRow {
                done: done.contains(&item.key),
                key: item_words(lib, &item.key),
                outcome,
                tone,
                rules: item
                    .decided_by
                    .iter()
                    .filter_map(|r| d.rule(r))
                    .map(|r| {
                        (
                            r.cite.clone(),
                            r.quote.clone(),
                            super::ask::rule_href(lib, &r.law, &r.version, Some(&r.id)),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let laws = d
        .laws
        .iter()
        .map(|l| format!("{} ({})", l.title, l.version))
        .collect();
    (rows, laws)
}

/// The most entries of a record's trail shown on its page.
const TRAIL: u32 = 200;

pub(super) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (caller, _) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let Some(id) = id.parse::<i64>().ok().filter(|n| *n > 0).map(ContactId) else {
        return super::ui_error(AppError::NotFound);
    };
    if let Err(e) = caller.require_reach(&state).await {
        return super::ui_error(e);
    }
    let (c, trail) = match state
        .store
        .read_contact_with_trail(&caller.principal, id, TRAIL)
        .await
    {
        Ok(x) => x,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let kept = trustgate_records::StoredDecision::parse(&c.contact.decision)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            trustgate_records::scenario::parse(&c.contact.scenario)
                .map(|s| (d, s))
                .map_err(|e| e.to_string())
        });
    let (decision, scenario) = match kept {
        Ok(x) => x,
        Err(e) => return super::ui_error(AppError::Internal(format!("{}: {e}", c.id.object()))),
    };
    let (decided, laws) = decided(&state.lib, &decision, &c.contact.acts_done);
    let due = |ms: Option<i64>, words: &Option<String>| due_words(ms, words.as_deref());
    let page = ContactPage {
        chrome: Chrome::new(format!("Contact {}", c.id.0), "contacts", Some(&caller)),
        id: c.id.0,
        kind: c.contact.kind.words().to_owned(),
        channel: c.contact.channel.words().to_owned(),
        unit: c.contact.receiving_unit.clone(),
        received: local_time_text(c.contact.received_ms.unwrap_or(c.recorded_ms)),
        recorded_by: c.recorded_by.as_str().to_owned(),
        acts_done: c
            .contact
            .acts_done
            .iter()
            .map(|k| item_words(&state.lib, k))
            .collect(),
        exception: c.compliance_exception,
        prohibited: c
            .prohibited_acts_done
            .iter()
            .map(|k| item_words(&state.lib, k))
            .collect(),
        duties: c
            .obligations
            .iter()
            .map(|o| DutyRow {
                id: o.id,
                contact: c.id.0,
                duty: o.duty.clone(),
                due: due(o.due_ms, &o.due),
                done: o
                    .fulfilment
                    .as_ref()
                    .map(|f| format!("{} by {}", local_time_text(f.at_ms), f.by.as_str())),
                overdue: o.fulfilment.is_none()
                    && o.due_ms.is_some_and(|d| d < state.clock.now_ms()),
            })
            .collect(),
        may_fulfil: caller.principal.may(Permission::FulfilObligations),
        decided,
        laws,
        facts: facts_of(&state.lib, &scenario),
        late_entry: c.contact.late_entry.clone(),
        trail: trail
            .into_iter()
            .map(|s| TrailRow {
                seq: s.entry.seq,
                at: local_time_text(s.entry.time_ms),
                actor: s.entry.actor,
                action: s.entry.action,
            })
            .collect(),
    };
    render(StatusCode::OK, &page)
}

/// Marks an obligation fulfilled (`contact` and `note` in the form).
pub(super) async fn fulfil(
    State(state): State<AppState>,
    Path(obligation): Path<String>,
    req: Request,
) -> Response {
    let (caller, body) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    if let Err(e) = caller.require(&state, Permission::FulfilObligations).await {
        return super::ui_error(e);
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (Some(contact), Ok(obligation)) = (
        get("contact").and_then(|c| c.parse::<i64>().ok()),
        obligation.parse::<i64>(),
    ) else {
        return super::ui_error(AppError::NotFound);
    };
    let note = get("note").unwrap_or_default().to_owned();
    match state
        .store
        .fulfil_obligation(&caller.principal, ContactId(contact), obligation, note)
        .await
    {
        Ok(()) => Redirect::to(&format!("/contacts/{contact}")).into_response(),
        Err(e) => super::ui_error(AppError::from(e)),
    }
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    chrome: Chrome,
    open: Vec<DutyRow>,
}

/// The obligations not yet fulfilled, oldest contact first.
pub(super) async fn work(State(state): State<AppState>, req: Request) -> Response {
    let (caller, _) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    if let Err(e) = caller.require_reach(&state).await {
        return super::ui_error(e);
    }
    let now = state.clock.now_ms();
    let open = match state.store.open_obligations(&caller.principal, None).await {
        Ok(o) => o,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let page = WorkPage {
        chrome: Chrome::new("Work list", "work", Some(&caller)),
        open: open
            .into_iter()
            .map(|o| DutyRow {
                id: o.obligation.id,
                contact: o.contact.0,
                duty: o.obligation.duty,
                due: due_words(o.obligation.due_ms, o.obligation.due.as_deref()),
                done: None,
                overdue: o.obligation.due_ms.is_some_and(|d| d < now),
            })
            .collect(),
    };
    render(StatusCode::OK, &page)
}
