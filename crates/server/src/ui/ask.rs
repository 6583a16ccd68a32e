//! Ask: the guided page. The officer picks a situation, which fixes what is
//! asked (the acts) and what is already known (some facts); the engine
//! decides with what is known and lists only the unknown facts whose answer
//! can still change an answer (its partial evaluation). The page asks
//! those, and once every answer is settled it shows the decision per act
//! and field, with the law's words, and offers to record it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use trustgate_api::{Catalogue, Decision, Detail, Scenario};
use trustgate_law::{Interim, Library};

use super::session::signed_in;
use super::{Chrome, render};
use crate::AppState;

/// A situation an officer or desk clerk meets.
#[derive(Debug)]
pub(crate) struct Situation {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    /// The kind of contact it is recorded as.
    pub(crate) kind: &'static str,
    pub(crate) channel: &'static str,
    pub(crate) unit: &'static str,
    /// What the situation already tells (JSON object of facts).
    facts: &'static str,
    /// What is asked (JSON object of acts).
    acts: &'static str,
}

pub(crate) const SITUATIONS: &[Situation] = &[
    Situation {
        id: "ice-phone-custody",
        title: "ICE on the phone about someone in custody",
        description: "They ask when the person will be released, or about their status, charges or address.",
        kind: "notification-request",
        channel: "phone",
        unit: "front-desk",
        facts: r#"{"requester": "ice-ero", "department": "police", "custody": "in-police-custody"}"#,
        acts: r#"{"disclose": ["release-date", "incarceration-status", "immigration-status", "home-address", "charges"]}"#,
    },
    Situation {
        id: "detainer-arrived",
        title: "A detainer arrived",
        description: "An ICE detainer (Form I-247A) by fax, email or the portal, perhaps with a warrant form attached.",
        kind: "detainer",
        channel: "fax",
        unit: "booking",
        facts: r#"{"requester": "ice-ero", "department": "police"}"#,
        acts: r#"{"detain": true, "extend-detention": true, "transfer-to-ice": true, "disclose": ["release-date"]}"#,
    },
    Situation {
        id: "warrant-arrived",
        title: "An administrative warrant arrived",
        description: "An ICE warrant form (I-200, I-203 or I-205), signed by an immigration officer, not a judge.",
        kind: "administrative-warrant",
        channel: "fax",
        unit: "booking",
        facts: r#"{"requester": "ice-ero", "department": "police"}"#,
        acts: r#"{"detain": true, "transfer-to-ice": true, "disclose": ["release-date"]}"#,
    },
    Situation {
        id: "ice-information-request",
        title: "ICE asks in writing for information about someone",
        description: "An email or letter asking for an address, a release date, records or status.",
        kind: "information-request",
        channel: "email",
        unit: "records-office",
        facts: r#"{"department": "police"}"#,
        acts: r#"{"disclose": ["home-address", "release-date", "immigration-status", "charges"]}"#,
    },
    Situation {
        id: "agents-front-desk",
        title: "ICE agents at the front desk",
        description: "Agents ask to see, interview or take someone held here.",
        kind: "access-request",
        channel: "in-person",
        unit: "front-desk",
        facts: r#"{"requester": "ice-ero", "department": "police"}"#,
        acts: r#"{"grant-access": true, "transfer-to-ice": true}"#,
    },
    Situation {
        id: "federal-operation",
        title: "A federal operation asks for help",
        description: "A federal agency asks officers to assist an operation, a raid or a task force.",
        kind: "assistance-request",
        channel: "phone",
        unit: "operations",
        facts: r#"{"department": "police", "operation-lead": "federal-agency"}"#,
        acts: r#"{"assist-operation": true}"#,
    },
    Situation {
        id: "school-enrolment",
        title: "A school enrolment",
        description: "A family enrols a child; residency is being established.",
        kind: "information-request",
        channel: "in-person",
        unit: "school-enrolment",
        facts: r#"{"department": "school"}"#,
        acts: r#"{"require-status-for-enrollment": true, "inquire-status": true, "keep-learned-status": true}"#,
    },
    Situation {
        id: "unlicensed-driver",
        title: "An unlicensed driver",
        description: "A traffic stop finds a driver without a valid license.",
        kind: "information-request",
        channel: "in-person",
        unit: "traffic",
        facts: r#"{"department": "police", "unlicensed-driving": true}"#,
        acts: r#"{"take-driver-into-custody": true, "issue-summons": true, "impound-vehicle": true, "inquire-status": true}"#,
    },
    Situation {
        id: "fingerprints-at-booking",
        title: "Fingerprints at booking",
        description: "A person is booked and their fingerprints are to be sent on.",
        kind: "fingerprint-transmission",
        channel: "ncic",
        unit: "booking",
        facts: r#"{"department": "police"}"#,
        acts: r#"{"collect-fingerprints": true, "transmit-fingerprints": true}"#,
    },
    Situation {
        id: "city-lot",
        title: "Federal agents want a City lot",
        description: "Agents ask to use a City parking lot, building or other property.",
        kind: "property-use-request",
        channel: "phone",
        unit: "traffic-parking",
        facts: r#"{"city-property": true, "department": "other-city", "assistance-kind": "city-property-use"}"#,
        acts: r#"{"allow-property-use": true}"#,
    },
];

/// The channels a contact can come by, for the record form.
pub(crate) const CHANNELS: &[&str] = &["fax", "email", "phone", "in-person", "ncic", "portal"];

#[derive(Debug)]
pub(crate) enum AskStep {
    Choose,
    Answer(Box<Answer>),
}

/// One question, with its choices.
#[derive(Debug)]
pub(crate) struct QuestionView {
    pub(crate) fact: String,
    pub(crate) ask: String,
    /// Any of (check boxes) rather than one of (radio buttons).
    pub(crate) many: bool,
    /// The choices, in groups (one group without a legend for most).
    pub(crate) groups: Vec<ChoiceGroup>,
}

#[derive(Debug)]
pub(crate) struct ChoiceGroup {
    pub(crate) legend: Option<&'static str>,
    pub(crate) choices: Vec<Choice>,
}

#[derive(Debug)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    /// Shown under the label in smaller type (a form number).
    pub(crate) hint: Option<&'static str>,
    /// Chosen already: only "I don't know", which keeps its question open.
    pub(crate) checked: bool,
}

/// The answer to any question that the officer cannot give yet: the fact
/// stays unknown, the question stays on the page with this chosen, and the
/// answer says what is safe to do until it is known.
pub(crate) const UNKNOWN: &str = "-unknown";

/// The papers that can come with a contact, grouped by who signed them, as
/// an officer sorts them on the desk: short labels, the form number as
/// hint. The schema's long descriptions are what a label falls back to.
const PAPER_GROUPS: &[&str] = &[
    "Detainers and other requests",
    "Administrative warrants and orders (signed by an immigration officer, not a judge)",
    "Judicial warrants and orders (signed by a judge of a court)",
];

/// (value, group, short label, hint).
const PAPERS: &[(&str, usize, &str, Option<&str>)] = &[
    (
        "detainer-hold",
        0,
        "Detainer: keep the person in custody",
        Some("Form I-247A, custody box (formerly I-247D)"),
    ),
    (
        "detainer-notify",
        0,
        "Detainer: only tell ICE before release",
        Some("Form I-247A, notify box (formerly I-247N)"),
    ),
    (
        "hold-request",
        0,
        "Another request to keep the person in custody",
        Some("By phone, email, fax or in person, without a form"),
    ),
    (
        "notification-request",
        0,
        "Another request to be told of a release",
        Some("By phone, email or fax"),
    ),
    ("i-200", 1, "Warrant for arrest", Some("Form I-200")),
    ("i-203", 1, "Order to detain or release", Some("Form I-203")),
    (
        "i-205",
        1,
        "Warrant of removal or deportation",
        Some("Form I-205"),
    ),
    (
        "notice-to-appear",
        1,
        "Notice to Appear",
        Some("Form I-862"),
    ),
    (
        "removal-order",
        1,
        "Removal order",
        Some("Including one by an immigration judge"),
    ),
    (
        "administrative-subpoena",
        1,
        "Administrative subpoena",
        Some("From ICE"),
    ),
    (
        "ncic-immigration-entry",
        1,
        "Immigration entry in NCIC",
        Some("Immigration Violator File"),
    ),
    (
        "judicial-warrant",
        2,
        "Warrant signed by a judge or magistrate",
        Some("A criminal warrant from a court"),
    ),
    (
        "court-order",
        2,
        "Court order",
        Some("Signed by a judge of a court, not an immigration judge"),
    ),
];

/// The choices of a question in groups: the papers by who signed them,
/// anything else as one group. "None of these" and "I don't know" stand
/// apart, last.
fn grouped(fact: &str, choices: Vec<Choice>) -> Vec<ChoiceGroup> {
    let (none, choices): (Vec<Choice>, Vec<Choice>) = choices
        .into_iter()
        .partition(|c| c.value == "-none" || c.value == UNKNOWN);
    let mut groups = if fact == "documents" {
        let mut groups: Vec<ChoiceGroup> = PAPER_GROUPS
            .iter()
            .map(|legend| ChoiceGroup {
                legend: Some(*legend),
                choices: Vec::new(),
            })
            .collect();
        let mut other = Vec::new();
        for mut c in choices {
            match PAPERS.iter().find(|(v, ..)| *v == c.value) {
                Some((_, group, label, hint)) => {
                    c.label = (*label).to_owned();
                    c.hint = *hint;
                    groups[*group].choices.push(c);
                }
                None => other.push(c),
            }
        }
        groups.retain(|g| !g.choices.is_empty());
        if !other.is_empty() {
            groups.push(ChoiceGroup {
                legend: Some("Other papers"),
                choices: other,
            });
        }
        groups
    } else {
        vec![ChoiceGroup {
            legend: None,
            choices,
        }]
    };
    if !none.is_empty() {
        groups.push(ChoiceGroup {
            legend: None,
            choices: none,
        });
    }
    groups
}

/// One answer (an act, or a field of a disclosure).
#[derive(Debug)]
pub(crate) struct ItemView {
    pub(crate) key: String,
    pub(crate) what: String,
    pub(crate) outcome: &'static str,
    /// prohibited, permitted, required or open: the colour, which is never
    /// the only cue.
    pub(crate) tone: &'static str,
    pub(crate) why: Option<String>,
    /// While it hangs on unknown facts: what is safe to do until they are
    /// known, in one sentence.
    pub(crate) until: Option<String>,
    pub(crate) rules: Vec<RuleView>,
    /// How sure the answer is, in plain words, when a rule decides it.
    pub(crate) sure: Option<Sureness>,
    /// Readings in doubt, in plain words (no internal references).
    pub(crate) doubts: Vec<String>,
}

/// How far an answer can be trusted, from the least reliable rule that
/// decides it, and what the officer does about it. Shown beside the answer
/// so that a weak source never reads like settled law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sureness {
    /// high, medium or low: the style, never the only cue.
    pub(crate) level: &'static str,
    pub(crate) label: &'static str,
    pub(crate) words: &'static str,
}

impl Sureness {
    /// The plain words for a reliability (`high`, `medium`, `low`).
    pub(crate) fn of(reliability: &str) -> Option<Sureness> {
        let (level, label, words) = match reliability {
            "high" => (
                "high",
                "From the law's text.",
                "It rests on the official text or a court's opinion.",
            ),
            "medium" => (
                "medium",
                "Fairly sure.",
                "The law's exact words were pieced together from reliable reports or an incomplete copy, not read in the official text: if it matters, check with a supervisor or the Law Department.",
            ),
            "low" => (
                "low",
                "Not sure.",
                "This rests on a weak source, such as a news article, not the law's text: check with a supervisor or the Law Department before acting on it.",
            ),
            _ => return None,
        };
        Some(Sureness {
            level,
            label,
            words,
        })
    }
}

/// A doubt as a person reads it: references to the project's research
/// notes (`(sources.md §1.3)`) mean nothing to an officer and are left out.
pub(crate) fn plain_doubt(doubt: &str) -> String {
    let mut out = String::with_capacity(doubt.len());
    let mut rest = doubt;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = &rest[open + 1..close];
        if inside.contains(".md") {
            out.push_str(rest[..open].trim_end_matches(' '));
        } else {
            out.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[derive(Debug)]
pub(crate) struct RuleView {
    pub(crate) cite: String,
    pub(crate) quote: String,
    /// Its place in the law browser.
    pub(crate) href: String,
}

#[derive(Debug)]
pub(crate) struct DutyView {
    pub(crate) duty: String,
    pub(crate) due: Option<String>,
    pub(crate) cite: String,
    pub(crate) href: String,
    pub(crate) certain: bool,
}

#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) situation: &'static Situation,
    pub(crate) place_title: String,
    pub(crate) date: String,
    /// Facts answered so far, as form pairs, carried to the next step.
    pub(crate) known: Vec<(String, String)>,
    pub(crate) questions: Vec<QuestionView>,
    /// Questions answered "I don't know" that can still change an answer.
    pub(crate) unknown: Vec<String>,
    /// The answer's first line: settled, what the officer can say to the
    /// caller; otherwise what is safe to do until the open questions are
    /// answered.
    pub(crate) verdict: String,
    /// Questions the scenario left out that were taken as "no" (the schema's
    /// `assume:`), in plain words: the answer holds only if so.
    pub(crate) assumed: Vec<String>,
    pub(crate) items: Vec<ItemView>,
    pub(crate) obligations: Vec<DutyView>,
    pub(crate) settled: bool,
    pub(crate) may_record: bool,
    /// The record form's errors: (field, message).
    pub(crate) errors: Vec<(String, String)>,
    /// The form as it was posted, to fill the record form again.
    pub(crate) filled: Pairs,
}

/// The record form's fields: the name an error is reported under, the id of
/// the control that takes it (the first, for a group), and its label.
const RECORD_FIELDS: &[(&str, &str, &str)] = &[
    ("channel", "channel", "How it came in"),
    ("receiving_unit", "receiving_unit", "Receiving unit"),
    ("received_at", "received_on", "When it came in"),
    ("late_entry", "late_entry", "Why it is entered late"),
    ("done", "done-1", "What was actually done"),
    ("done_by", "done_by", "Done by, if not you"),
    (
        "withheld",
        "withheld",
        "Information that cannot be made public",
    ),
];

/// One line of the error summary: where the field is (`None` when the
/// error is not about one of the form's fields), its label, the message.
#[derive(Debug)]
pub(crate) struct ErrorLink<'a> {
    pub(crate) target: Option<&'static str>,
    pub(crate) label: &'static str,
    pub(crate) message: &'a str,
}

impl Answer {
    /// The record form's errors in the form's order, each linking to its
    /// field, for the summary at the top of the form.
    pub(crate) fn error_links(&self) -> Vec<ErrorLink<'_>> {
        let mut links: Vec<(usize, ErrorLink<'_>)> = self
            .errors
            .iter()
            .map(|(field, message)| {
                let known = RECORD_FIELDS
                    .iter()
                    .enumerate()
                    .find(|(_, (name, _, _))| *name == field.as_str())
                    .filter(|(_, (name, _, _))| *name != "done" || !self.items.is_empty());
                match known {
                    Some((at, (_, id, label))) => (
                        at,
                        ErrorLink {
                            target: Some(*id),
                            label,
                            message,
                        },
                    ),
                    None => (
                        RECORD_FIELDS.len(),
                        ErrorLink {
                            target: None,
                            label: "The record",
                            message,
                        },
                    ),
                }
            })
            .collect();
        links.sort_by_key(|(at, _)| *at);
        links.into_iter().map(|(_, l)| l).collect()
    }

    /// The id of what takes focus when the page loads after a submit: the
    /// first field in error; the error summary, if that error is about no
    /// field; else the questions still open, unless each was answered "I
    /// don't know" (then the first line, what to do meanwhile); else the
    /// answer. It is set
    /// with `autofocus`, which needs no script and, unlike a `#fragment`
    /// in the form's address, can depend on what the server found.
    pub(crate) fn focus(&self) -> &'static str {
        if !self.errors.is_empty() {
            return self
                .error_links()
                .first()
                .and_then(|l| l.target)
                .unwrap_or("record-errors");
        }
        if self.questions.is_empty() {
            "answer"
        } else if self
            .questions
            .iter()
            .all(|q| self.unknown.contains(&q.fact))
        {
            // Every open question answered "I don't know": the officer has
            // said all they can, and what to do meanwhile is the first line.
            "verdict"
        } else {
            "questions"
        }
    }

    pub(crate) fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// What the record form's field held, if it was posted.
    pub(crate) fn value(&self, field: &str) -> &str {
        self.filled
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, v)| v.as_str())
    }

    pub(crate) fn checked(&self, field: &str, value: &str) -> bool {
        self.filled.iter().any(|(f, v)| f == field && v == value)
    }
}

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage<'a> {
    chrome: Chrome,
    step: AskStep,
    situations: &'a [Situation],
    channels: &'a [&'a str],
    /// The place's receiving units: the record form offers only these.
    units: &'a [trustgate_place::Unit],
}

fn chrome(caller: Option<&crate::auth::Caller>) -> Chrome {
    Chrome::new("Ask", "ask", caller)
}

pub(super) async fn choose(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let caller = signed_in(&mut parts, &state).await;
    render(
        StatusCode::OK,
        &AskPage {
            chrome: chrome(caller.as_ref()),
            step: AskStep::Choose,
            situations: SITUATIONS,
            channels: CHANNELS,
            units: &[],
        },
    )
}

/// The form's pairs: `situation`, and `fact.<name>` (repeated for a fact
/// that takes several values; `-none` for an empty choice).
pub(crate) type Pairs = Vec<(String, String)>;

pub(super) async fn answer(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let caller = signed_in(&mut parts, &state).await;
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    answer_page(&state, caller.as_ref(), pairs, Vec::new(), StatusCode::OK)
}

/// The Ask page for what the form says so far; with `errors`, the record
/// form is shown again as it was filled, each error beside its field.
pub(crate) fn answer_page(
    state: &AppState,
    caller: Option<&crate::auth::Caller>,
    pairs: Pairs,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let may_record =
        caller.is_some_and(|c| c.principal.may(trustgate_access::Permission::RecordContact));
    let today = trustgate_report::local_date(state.clock.now_ms()).to_string();
    match build(&state.lib, &pairs, &today) {
        Ok(mut a) => {
            a.may_record = may_record;
            a.errors = errors;
            a.filled = pairs;
            render(
                status,
                &AskPage {
                    chrome: chrome(caller),
                    step: AskStep::Answer(Box::new(a)),
                    situations: SITUATIONS,
                    channels: CHANNELS,
                    units: state.place().map_or(&[], |p| p.units()),
                },
            )
        }
        Err(_) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &AskPage {
                chrome: chrome(caller),
                step: AskStep::Choose,
                situations: SITUATIONS,
                channels: CHANNELS,
                units: &[],
            },
        ),
    }
}

/// The scenario the pairs describe: the situation's facts and acts, and
/// the facts answered, typed by the catalogue.
pub(crate) fn scenario(
    catalogue: &Catalogue,
    pairs: &Pairs,
    date: &str,
) -> Result<(&'static Situation, Scenario, Pairs), String> {
    let id = pairs
        .iter()
        .find(|(k, _)| k == "situation")
        .map(|(_, v)| v.as_str())
        .ok_or("no situation was chosen")?;
    let situation = SITUATIONS
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| format!("`{id}` is not a situation"))?;
    let mut facts: serde_json::Map<String, Value> =
        serde_json::from_str(situation.facts).map_err(|e| e.to_string())?;
    let mut answered: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(name) = k.strip_prefix("fact.") {
            answered.entry(name).or_default().push(v);
        }
    }
    let mut known = Vec::new();
    for name in answered.keys() {
        if !catalogue.facts.iter().any(|f| f.fact == *name) {
            return Err(format!("`{name}` is not a fact"));
        }
    }
    // "I don't know" leaves the fact unknown, whatever else was ticked.
    answered.retain(|_, values| !values.contains(&UNKNOWN));
    for (name, values) in &answered {
        let fact = catalogue
            .facts
            .iter()
            .find(|f| f.fact == *name)
            .ok_or_else(|| format!("`{name}` is not a fact"))?;
        let value = match fact.kind.as_str() {
            "yes/no" => json!(values.first().is_some_and(|v| *v == "yes")),
            "any of" => json!(values.iter().filter(|v| **v != "-none").collect::<Vec<_>>()),
            _ => json!(values.first().copied().unwrap_or_default()),
        };
        facts.insert((*name).to_owned(), value);
        for v in values {
            known.push(((*name).to_owned(), (*v).to_owned()));
        }
    }
    let scenario: Scenario = serde_json::from_value(json!({
        "place": "cambridge",
        "date": date,
        "facts": facts,
        "acts": serde_json::from_str::<Value>(situation.acts).map_err(|e| e.to_string())?,
    }))
    .map_err(|e| e.to_string())?;
    Ok((situation, scenario, known))
}

fn build(lib: &Library, pairs: &Pairs, date: &str) -> Result<Answer, String> {
    let catalogue = Catalogue::of(lib);
    let (situation, scenario, known) = scenario(&catalogue, pairs, date)?;
    let query = scenario.to_query(lib).map_err(|e| e.to_string())?;
    let decided = lib.try_decide(&query).map_err(|e| e.to_string())?;
    let explanation = lib.explain(&query, &decided);
    let decision = Decision::from_explanation(&explanation, Detail::Brief);
    // The engine's own view of each item, in the same order: what it can
    // still be while facts are unknown, and every rule weighed.
    let views: Vec<trustgate_law::ItemView<'_>> = explanation.items().collect();
    let said_unknown: Vec<&str> = pairs
        .iter()
        .filter(|(k, v)| k.starts_with("fact.") && v == UNKNOWN)
        .map(|(k, _)| k.trim_start_matches("fact."))
        .collect();
    let href = |law: &str, version: &str, id: Option<&str>| rule_href(lib, law, version, id);
    let questions: Vec<QuestionView> = decision
        .questions
        .iter()
        .map(|q| {
            let entry = catalogue.facts.iter().find(|f| f.fact == q.fact);
            let many = q.kind == "any of";
            let choice = |value: &str, label: String| Choice {
                value: value.to_owned(),
                label,
                hint: None,
                checked: false,
            };
            let mut values: Vec<Choice> = if q.kind == "yes/no" {
                vec![choice("yes", "Yes".into()), choice("no", "No".into())]
            } else {
                q.values
                    .iter()
                    .map(|v| {
                        choice(
                            v,
                            entry
                                .and_then(|e| e.values.iter().find(|x| x.value == *v))
                                .map_or_else(|| (*v).to_owned(), |x| capitalized(&x.means)),
                        )
                    })
                    .collect()
            };
            if many {
                values.push(choice("-none", "None of these".into()));
            }
            values.push(Choice {
                checked: said_unknown.contains(&q.fact),
                ..choice(UNKNOWN, "I don't know / can't tell yet".into())
            });
            QuestionView {
                fact: q.fact.to_owned(),
                ask: q.ask.to_owned(),
                many,
                groups: grouped(q.fact, values),
            }
        })
        .collect();
    let unknown: Vec<String> = questions
        .iter()
        .filter(|q| said_unknown.contains(&q.fact.as_str()))
        .map(|q| q.fact.clone())
        .collect();
    let rule_of = |r: String| decision.rules.iter().find(|x| x.reference.to_string() == r);
    let mut items = Vec::new();
    let mut said = Vec::new();
    for (item, view) in decision.items.iter().zip(&views) {
        let spoken = Spoken::of(view);
        let what = spoken.heading();
        let possible = view.still_possible();
        let interim = (item.outcome == "undetermined").then(|| possible.interim());
        let (outcome, tone) = match interim {
            Some(i) => interim_words(i),
            None => outcome_words(item.outcome),
        };
        let rules: Vec<RuleView> = item
            .decided_by
            .iter()
            .map(ToString::to_string)
            .filter_map(rule_of)
            .map(|r| RuleView {
                cite: r.cite.to_owned(),
                quote: r.quote.to_owned(),
                href: href(r.law, r.version, Some(r.id)),
            })
            .collect();
        // The explanation is the deciding rule's own, unless that rule also
        // speaks to another item on this page and does not decide it so (an
        // exception defeats it there): its words, written for all its
        // fields, would then contradict that item's answer. The item then
        // gets a sentence of its own, from the rule's effect and its words.
        let why = view.deciding().find_map(|rule| {
            let explain = rule.explain()?;
            let contradicted = views.iter().any(|other| {
                other.key() != view.key()
                    && other.weighed().iter().any(|w| {
                        w.rule.law().law() == rule.law().law()
                            && w.rule.id() == rule.id()
                            && w.applies == trustgate_law::Applies::Yes
                            && (!w.active || other.outcome() != said_by(&rule))
                    })
            });
            Some(if contradicted {
                spoken.because(rule.cite(), rule.effect())
            } else {
                explain.to_owned()
            })
        });
        let until = interim.map(|i| {
            let asks: Vec<&str> = item.questions.iter().map(|q| q.ask).collect();
            until_words(i, &asks)
        });
        // The least reliable deciding rule (`low` < `medium` < `high`).
        let sure = item
            .decided_by
            .iter()
            .map(ToString::to_string)
            .filter_map(rule_of)
            .filter_map(|r| Sureness::of(r.reliability))
            .min_by_key(|s| match s.level {
                "low" => 0,
                "medium" => 1,
                _ => 2,
            });
        said.push((
            spoken,
            interim.unwrap_or_else(|| settled_interim(view.outcome())),
            item.questions.iter().map(|q| q.ask).collect::<Vec<_>>(),
        ));
        items.push(ItemView {
            key: item.key.to_string(),
            what,
            outcome,
            tone,
            why,
            until,
            rules,
            sure,
            doubts: item.doubts.iter().map(|d| plain_doubt(d.doubt)).collect(),
        });
    }
    let verdict = if decision.settled {
        what_to_say(&said)
    } else {
        until_known(&said)
    };
    let obligations = decision
        .obligations
        .iter()
        .map(|o| DutyView {
            duty: o.duty.trim_end_matches('.').to_owned(),
            due: o.due.map(str::to_owned),
            cite: o.cite.to_owned(),
            href: lib.laws().find(|l| l.law() == o.law).map_or_else(
                || "/laws/".to_owned(),
                |l| format!("/laws/{}", trustgate_render::page_file_name(&l)),
            ),
            certain: o.certain,
        })
        .collect();
    Ok(Answer {
        situation,
        place_title: decision.place.title.to_owned(),
        date: decision.date.clone(),
        known,
        questions,
        unknown,
        verdict,
        assumed: decision
            .assumed
            .iter()
            .map(|a| format!("{} {}", a.ask, if a.value { "Yes." } else { "No." }))
            .collect(),
        items,
        obligations,
        settled: decision.settled,
        may_record: false,
        errors: Vec::new(),
        filled: Vec::new(),
    })
}

/// What a rule says of the items it decides: its effect, or, for a limit
/// (no effect of its own), "permitted: the rule stops here".
fn said_by(rule: &trustgate_law::RuleView<'_>) -> trustgate_law::Outcome {
    rule.effect().unwrap_or(trustgate_law::Outcome::Permitted)
}

/// How a decided outcome reads as guidance (the same words as while unknown).
fn settled_interim(outcome: trustgate_law::Outcome) -> Interim {
    use trustgate_law::Outcome as O;
    match outcome {
        O::Prohibited => Interim::DoNot,
        O::Required => Interim::Must,
        O::Permitted => Interim::May { required_if: false },
        O::Conflict => Interim::Conflict,
        // "Not addressed" is said apart: these laws do not decide it.
        O::NotAddressed | O::Undetermined => Interim::Unanswered,
    }
}

/// An item as it is said aloud: a disclosure's field as a noun ("their home
/// address"), any other act as a verb phrase ("hand a person in custody over
/// to immigration authorities"), both from the schema's words for people,
/// never from identifiers.
#[derive(Debug, Clone)]
pub(crate) enum Spoken {
    Field(String),
    Act(String),
}

impl Spoken {
    /// An item as a record keeps it (`act`, and `field` for a disclosure),
    /// in the schema's words; `None` if the schema no longer has it.
    pub(crate) fn of_kept(lib: &Library, act: &str, field: Option<&str>) -> Option<Spoken> {
        let view = lib.acts().find(|a| a.name() == act)?;
        Some(match field {
            Some(f) => Spoken::Field(field_noun(view.field_words(f)?)),
            None => Spoken::Act(act_phrase(view.means())),
        })
    }

    fn of(view: &trustgate_law::ItemView<'_>) -> Spoken {
        match view.field() {
            Some((_, words)) => Spoken::Field(field_noun(words)),
            None => Spoken::Act(act_phrase(view.act().means())),
        }
    }

    /// The item's heading: "Tell them their home address".
    pub(crate) fn heading(&self) -> String {
        match self {
            Spoken::Field(noun) => format!("Tell them {noun}"),
            Spoken::Act(verb) => capitalized(verb),
        }
    }

    /// One sentence from the rule that decides this item and its effect,
    /// for when the rule's own explanation speaks of other items too.
    fn because(&self, cite: &str, effect: Option<trustgate_law::Outcome>) -> String {
        use trustgate_law::Outcome as O;
        let verb = match effect {
            Some(O::Prohibited) => "bars",
            Some(O::Required) => "requires",
            _ => "allows",
        };
        match self {
            Spoken::Field(noun) => format!("Here {cite} {verb} telling them {noun}."),
            Spoken::Act(act) => format!("Here {cite} {verb} it: {act}."),
        }
    }
}

/// The schema's words for a field, as a noun to say: the name before its
/// gloss ("pending release: the date, time or place of release" → "their
/// pending release"), with "their" unless it brings its own ("the charges
/// against the person").
fn field_noun(words: &str) -> String {
    let name = words
        .split_once(": ")
        .map_or(words, |(name, _)| name)
        .trim();
    let own = ["the ", "any ", "a ", "an "]
        .iter()
        .any(|d| name.starts_with(d))
        || name.contains("'s ");
    if own {
        name.to_owned()
    } else {
        format!("their {name}")
    }
}

/// An act's meaning as a verb phrase to follow "we can" or "do not": first
/// letter in lower case (unless the word is an abbreviation), no final stop,
/// and no "(see …)" pointing at a question by its identifier.
fn act_phrase(means: &str) -> String {
    let mut out = String::with_capacity(means.len());
    let mut rest = means;
    while let Some(open) = rest.find(" (see ") {
        out.push_str(&rest[..open]);
        rest = rest[open..].find(')').map_or("", |c| &rest[open + c + 1..]);
    }
    out.push_str(rest);
    let out = out.trim().trim_end_matches('.');
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(out.chars().skip(1)).collect()
        }
        _ => out.to_owned(),
    }
}

/// "a", "a or b", "a, b or c"; "a; b, c; or d" when an item has commas
/// of its own, so that an act's meaning ("keep a person any longer …, even
/// minutes, or delay …") does not run into the next.
fn listed(items: &[String], last: &str) -> String {
    let sep = if items.iter().any(|i| i.contains(',')) {
        ";"
    } else {
        ","
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] if sep == "," => format!("{a} {last} {b}"),
        [init @ .., end] if sep == "," => format!("{} {last} {end}", init.join(", ")),
        [init @ .., end] => format!("{}; {last} {end}", init.join("; ")),
    }
}

/// Fields and acts said together after one verb: "tell you their A and B,
/// and C".
fn said_together(spoken: &[&Spoken], join: &str) -> String {
    let fields: Vec<String> = spoken
        .iter()
        .filter_map(|s| match s {
            Spoken::Field(f) => Some(f.clone()),
            Spoken::Act(_) => None,
        })
        .collect();
    let mut parts: Vec<String> = Vec::new();
    if !fields.is_empty() {
        parts.push(format!("tell you {}", listed(&fields, join)));
    }
    parts.extend(spoken.iter().filter_map(|s| match s {
        Spoken::Act(a) => Some(a.clone()),
        Spoken::Field(_) => None,
    }));
    listed(&parts, join)
}

type Said<'a> = (Spoken, Interim, Vec<&'a str>);

/// The first line of a settled answer: what the officer can say to the
/// caller, from each item's outcome ("We can tell you their immigration
/// status; we cannot tell you their pending release or their home address.").
pub(crate) fn what_to_say(said: &[Said<'_>]) -> String {
    let with = |want: fn(&Interim) -> bool| -> Vec<&Spoken> {
        said.iter()
            .filter(|(_, i, _)| want(i))
            .map(|(s, _, _)| s)
            .collect()
    };
    let mut clauses = Vec::new();
    let must = with(|i| matches!(i, Interim::Must));
    if !must.is_empty() {
        clauses.push(format!("we must {}", said_together(&must, "and")));
    }
    let may = with(|i| matches!(i, Interim::May { .. }));
    if !may.is_empty() {
        clauses.push(format!("we can {}", said_together(&may, "and")));
    }
    let not = with(|i| matches!(i, Interim::DoNot | Interim::DoNotUntilKnown));
    if !not.is_empty() {
        clauses.push(format!("we cannot {}", said_together(&not, "or")));
    }
    let conflict = with(|i| matches!(i, Interim::Conflict));
    if !conflict.is_empty() {
        clauses.push(format!(
            "I must ask a supervisor whether we can {}",
            said_together(&conflict, "or")
        ));
    }
    let open = with(|i| matches!(i, Interim::Unanswered));
    if !open.is_empty() {
        clauses.push(format!(
            "these laws do not decide whether we {}",
            said_together(&open, "or")
        ));
    }
    sentence(&clauses)
}

/// The first line while questions are open: what is safe to do until they
/// are answered, in one sentence ("Until you know the answer to “What is the
/// federal operation or activity for?”, do not take part in or assist a
/// federal operation.").
pub(crate) fn until_known(said: &[Said<'_>]) -> String {
    let with = |want: fn(&Interim) -> bool| -> Vec<&Said<'_>> {
        said.iter().filter(|(_, i, _)| want(i)).collect()
    };
    let phrases = |of: &[&Said<'_>], join: &str| {
        let spoken: Vec<&Spoken> = of.iter().map(|(s, _, _)| s).collect();
        said_together(&spoken, join).replacen("tell you", "tell them", 1)
    };
    let mut clauses = Vec::new();
    let wait = with(|i| matches!(i, Interim::DoNotUntilKnown));
    if !wait.is_empty() {
        let mut asks: Vec<&str> = wait
            .iter()
            .flat_map(|(_, _, a)| a.iter().copied())
            .collect();
        asks.dedup();
        let mut seen = Vec::new();
        asks.retain(|a| {
            let new = !seen.contains(a);
            seen.push(*a);
            new
        });
        clauses.push(format!(
            "until you know {}, do not {}",
            answers_to(&asks),
            phrases(&wait, "or")
        ));
    }
    let never = with(|i| matches!(i, Interim::DoNot));
    if !never.is_empty() {
        clauses.push(format!("do not {} in any case", phrases(&never, "or")));
    }
    let must = with(|i| matches!(i, Interim::Must));
    if !must.is_empty() {
        clauses.push(format!("you must {}", phrases(&must, "and")));
    }
    let conflict = with(|i| matches!(i, Interim::Conflict));
    if !conflict.is_empty() {
        clauses.push(format!(
            "ask a supervisor before you {}",
            phrases(&conflict, "or")
        ));
    }
    let may = with(|i| matches!(i, Interim::May { .. }));
    if !may.is_empty() {
        clauses.push(format!(
            "you may {} whatever the answers",
            phrases(&may, "and")
        ));
    }
    let open = with(|i| matches!(i, Interim::Unanswered));
    if !open.is_empty() && clauses.is_empty() {
        clauses.push("answer the questions above: these laws do not decide it yet".to_owned());
    }
    sentence(&clauses)
}

/// "the answer to “A”", "the answers to “A” and “B”".
fn answers_to(asks: &[&str]) -> String {
    let quoted: Vec<String> = asks.iter().map(|a| format!("“{a}”")).collect();
    match quoted.len() {
        0 => "the answers above".to_owned(),
        1 => format!("the answer to {}", listed(&quoted, "and")),
        _ => format!("the answers to {}", listed(&quoted, "and")),
    }
}

/// Clauses joined by semicolons into one sentence, capitalised, with a stop.
fn sentence(clauses: &[String]) -> String {
    let joined = clauses.join("; ");
    if joined.is_empty() {
        return String::new();
    }
    format!("{}.", capitalized(&joined))
}

/// What one item's guidance is while facts are unknown, in words, and its
/// tone (the colour, never the only cue).
pub(crate) fn interim_words(interim: Interim) -> (&'static str, &'static str) {
    match interim {
        Interim::DoNot => ("Prohibited", "prohibited"),
        Interim::DoNotUntilKnown => ("Not until you know more", "prohibited"),
        Interim::Must => ("Required", "required"),
        Interim::May { required_if: false } => ("Allowed, whatever the answers", "permitted"),
        Interim::May { required_if: true } => ("Allowed; some answers require it", "required"),
        Interim::Conflict => ("The laws conflict: ask a supervisor", "open"),
        Interim::Unanswered => ("Depends on the questions above", "open"),
    }
}

/// The sentence under an item that hangs on unknown facts.
fn until_words(interim: Interim, asks: &[&str]) -> String {
    match interim {
        Interim::DoNotUntilKnown => format!(
            "Some answers make it prohibited: do not do it until you know {}.",
            answers_to(asks)
        ),
        Interim::May { required_if: false } => {
            "No answer makes it prohibited: it may be done while they are open.".to_owned()
        }
        Interim::May { required_if: true } => format!(
            "No answer makes it prohibited, and some require it: find out {} before deciding not to.",
            answers_to(asks)
        ),
        Interim::DoNot => "Every answer makes it prohibited: do not do it.".to_owned(),
        Interim::Must => "Every answer requires it.".to_owned(),
        Interim::Conflict => "The laws conflict whatever the answers: ask a supervisor.".to_owned(),
        Interim::Unanswered => "Answer the questions above.".to_owned(),
    }
}

/// Where a rule (or, without an id, a law version) is in the law browser.
pub(crate) fn rule_href(lib: &Library, law: &str, version: &str, id: Option<&str>) -> String {
    lib.laws()
        .find(|l| l.law() == law && l.version() == version)
        .map_or_else(
            || "/laws/".to_owned(),
            |l| {
                let page = trustgate_render::page_file_name(&l);
                match id {
                    Some(id) => format!("/laws/{page}#rule-{id}"),
                    None => format!("/laws/{page}"),
                }
            },
        )
}

/// An outcome in words, and its tone (the colour, never the only cue).
pub(crate) fn outcome_words(outcome: &str) -> (&'static str, &'static str) {
    match outcome {
        "prohibited" => ("Prohibited", "prohibited"),
        "permitted" => ("Permitted", "permitted"),
        "required" => ("Required", "required"),
        "not-addressed" => ("Not addressed by these laws", "permitted"),
        "conflict" => ("The laws conflict: ask a supervisor", "open"),
        _ => ("Depends on the questions above", "open"),
    }
}

/// The first letter in upper case (the schema writes values in lower case,
/// to read inside a sentence).
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::{Pairs, Sureness, build, plain_doubt};

    fn library() -> trustgate_law::Library {
        let sources: Vec<trustgate_law::Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| trustgate_law::Source { name, text })
            .collect();
        match trustgate_law::Library::load(&sources) {
            Ok(lib) => lib,
            Err(e) => unreachable!("the built-in packs load: {e:?}"),
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Every paper the schema knows has a short label and a group, so none
    /// falls into "Other papers" unnoticed when the schema grows.
    #[test]
    fn every_paper_is_grouped_with_a_short_label() {
        let lib = library();
        let catalogue = trustgate_api::Catalogue::of(&lib);
        let Some(documents) = catalogue.facts.iter().find(|f| f.fact == "documents") else {
            unreachable!("the schema has the papers")
        };
        assert!(!documents.values.is_empty());
        for v in &documents.values {
            assert!(
                super::PAPERS.iter().any(|(p, ..)| *p == v.value),
                "{} is not grouped",
                v.value
            );
        }
        for (p, group, label, _) in super::PAPERS {
            assert!(
                documents.values.iter().any(|v| v.value == *p),
                "{p} is not in the schema"
            );
            assert!(
                *group < super::PAPER_GROUPS.len() && label.len() < 50,
                "{p}"
            );
        }
    }

    /// No doubt in any pack reaches a person with a reference to the
    /// research notes, and the rest of its words are kept.
    #[test]
    fn doubts_lose_references_to_the_research_notes_only() {
        assert_eq!(plain_doubt("certain (sources.md §1.3)."), "certain.");
        assert_eq!(
            plain_doubt(
                "a reading (sources.md §8.4); and (HSI included) barred (sources.md §8.6)."
            ),
            "a reading; and (HSI included) barred."
        );
        let lib = library();
        let mut seen = 0;
        for law in lib.laws() {
            for rule in law.rules() {
                if let Some(d) = rule.doubt() {
                    seen += 1;
                    let plain = plain_doubt(d);
                    assert!(!plain.contains(".md"), "{plain}");
                    assert!(
                        plain.len() + 40 >= d.len(),
                        "only references are cut: {plain}"
                    );
                }
            }
        }
        assert!(seen > 0, "the packs record doubts");
    }

    /// The fingerprint practice rests on one weak article: its answer says
    /// so in plain words, with what to do, beside "Prohibited".
    #[test]
    fn an_answer_on_a_weak_source_says_so_and_what_to_do() {
        let lib = library();
        let a = build(
            &lib,
            &pairs(&[
                ("situation", "fingerprints-at-booking"),
                ("fact.booking-after-criminal-arrest", "no"),
            ]),
            "2026-03-01",
        );
        let Ok(a) = a else {
            unreachable!("the situation builds: {a:?}")
        };
        assert!(a.settled);
        assert!(!a.items.is_empty());
        for item in &a.items {
            assert_eq!(item.outcome, "Prohibited", "{}", item.what);
            assert_eq!(item.sure, Sureness::of("low"), "{}", item.what);
        }
        let low = Sureness::of("low").map(|s| s.words).unwrap_or_default();
        assert!(low.contains("not the law's text"), "{low}");
        assert!(
            low.contains("check with a supervisor or the Law Department"),
            "{low}"
        );
    }

    /// Focus after a submit: on the questions while any remain, then on the
    /// answer; after a refused record, on the first field in error in the
    /// form's order (not the order the errors were found), or on the summary
    /// when the error is about no field.
    #[test]
    fn focus_lands_on_what_to_read_next() {
        let lib = library();
        let asked = build(
            &lib,
            &pairs(&[("situation", "fingerprints-at-booking")]),
            "2026-03-01",
        );
        let Ok(asked) = asked else {
            unreachable!("the situation builds: {asked:?}")
        };
        assert!(!asked.questions.is_empty());
        assert_eq!(asked.focus(), "questions");
        let unknown = build(
            &lib,
            &pairs(&[
                ("situation", "fingerprints-at-booking"),
                ("fact.booking-after-criminal-arrest", "-unknown"),
            ]),
            "2026-03-01",
        );
        let Ok(unknown) = unknown else {
            unreachable!("the situation builds: {unknown:?}")
        };
        assert_eq!(unknown.questions.len(), asked.questions.len());
        assert_eq!(unknown.focus(), "verdict");
        let answered = build(
            &lib,
            &pairs(&[
                ("situation", "fingerprints-at-booking"),
                ("fact.booking-after-criminal-arrest", "no"),
            ]),
            "2026-03-01",
        );
        let Ok(mut answered) = answered else {
            unreachable!("the situation builds: {answered:?}")
        };
        assert_eq!(answered.focus(), "answer");
        answered.errors = vec![
            ("received_at".into(), "That is in the future.".into()),
            (
                "receiving_unit".into(),
                "Choose the unit that received it.".into(),
            ),
        ];
        assert_eq!(answered.focus(), "receiving_unit");
        let links = answered.error_links();
        assert_eq!(
            links.iter().map(|l| l.target).collect::<Vec<_>>(),
            [Some("receiving_unit"), Some("received_on")]
        );
        answered.errors = vec![("kind".into(), "Unknown kind.".into())];
        assert_eq!(answered.focus(), "record-errors");
    }

    /// The schema's words become words to say: a field's name before its
    /// gloss, with "their" unless it has its own determiner; an act's
    /// meaning as a verb phrase without a pointer to another question.
    #[test]
    fn items_are_said_in_the_schemas_words() {
        use super::{act_phrase, field_noun};
        assert_eq!(
            field_noun("pending release: the date, time or place of release"),
            "their pending release"
        );
        assert_eq!(field_noun("home address"), "their home address");
        assert_eq!(
            field_noun("the charges against the person"),
            "the charges against the person"
        );
        assert_eq!(field_noun("the person's name"), "the person's name");
        assert_eq!(
            act_phrase("Take part in or assist a federal operation (see assistance-kind)."),
            "take part in or assist a federal operation"
        );
        assert_eq!(
            act_phrase(
                "Let immigration agents reach a person in police custody (see access-mode)."
            ),
            "let immigration agents reach a person in police custody"
        );
        assert_eq!(act_phrase("ICE may ask."), "ICE may ask");
    }

    /// The first line on both sides: settled, what to say to the caller;
    /// open, what to do until it is known, one clause per kind of guidance.
    #[test]
    fn the_first_line_says_what_to_say_or_what_to_do_meanwhile() {
        use super::{Spoken, until_known, what_to_say};
        use trustgate_law::Interim;
        let field = |f: &str| Spoken::Field(format!("their {f}"));
        let act = |a: &str| Spoken::Act(a.to_owned());
        let line = what_to_say(&[
            (
                field("immigration status"),
                Interim::May { required_if: false },
                vec![],
            ),
            (field("pending release"), Interim::DoNot, vec![]),
            (field("home address"), Interim::DoNot, vec![]),
        ]);
        assert_eq!(
            line,
            "We can tell you their immigration status; we cannot tell you their pending release or their home address."
        );
        let line = what_to_say(&[
            (act("hold the person"), Interim::DoNot, vec![]),
            (act("hand the person over"), Interim::DoNot, vec![]),
            (field("pending release"), Interim::DoNot, vec![]),
        ]);
        assert_eq!(
            line,
            "We cannot tell you their pending release, hold the person or hand the person over."
        );
        let line = what_to_say(&[
            (
                act("keep them longer, even minutes, or delay bail"),
                Interim::DoNot,
                vec![],
            ),
            (act("hand them over"), Interim::DoNot, vec![]),
        ]);
        assert_eq!(
            line,
            "We cannot keep them longer, even minutes, or delay bail; or hand them over."
        );
        let ask = "What is the operation for?";
        let line = until_known(&[
            (
                act("assist the operation"),
                Interim::DoNotUntilKnown,
                vec![ask],
            ),
            (act("hold the person"), Interim::DoNot, vec![]),
            (
                act("keep everyone safe"),
                Interim::May { required_if: true },
                vec![ask],
            ),
        ]);
        assert_eq!(
            line,
            "Until you know the answer to “What is the operation for?”, do not assist the operation; do not hold the person in any case; you may keep everyone safe whatever the answers."
        );
        // Allowed under every answer: said so, with no "until".
        let line = until_known(&[(
            field("name"),
            Interim::May { required_if: false },
            vec![ask],
        )]);
        assert_eq!(line, "You may tell them their name whatever the answers.");
    }

    /// Each situation's usual unit is one of Cambridge's, so the record form
    /// opens with it chosen.
    #[test]
    fn every_situations_unit_is_on_cambridges_list() {
        let cambridge = trustgate_packs::place_files()
            .filter_map(|(name, text)| trustgate_place::Place::parse(name, text).ok())
            .find(|p| p.id() == "cambridge");
        let Some(place) = cambridge else {
            unreachable!("the built-in packs configure Cambridge");
        };
        for s in super::SITUATIONS {
            assert!(place.unit(s.unit).is_some(), "{}: {}", s.id, s.unit);
        }
    }
}
