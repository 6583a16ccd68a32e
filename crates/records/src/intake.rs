//! Intake: a contact, decided by the law in force when it is recorded.
//!
//! The one place a decision becomes a record: the scenario is decided here,
//! the acts done are checked against what was decided, and the compliance
//! exceptions, their routing and the obligations opened are derived here.
//! An [`Intake`] can only be made by deciding, so no caller (the API, the
//! staff pages, the generator, an import) can record an answer the law did
//! not give; the store persists what it holds and interprets none of it.

use std::collections::{BTreeMap, BTreeSet};

use trustgate_api::{Decision, Detail, InputError, RecordContact, Scenario, parse_utc_ms};
use trustgate_law::Library;

use crate::contact::{Channel, ContactKind, NewContact, Office, Person};
use crate::decision::{DecisionError, Outcome, StoredDecision};
use crate::scenario;

/// Why a contact cannot be taken in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// The scenario cannot be put to the engine (`path` under `$.scenario`).
    #[error("{0}")]
    Scenario(InputError),
    /// A field of the contact is refused (`path` says which).
    #[error("{0}")]
    Invalid(InputError),
    /// The engine's answer does not fit the stored format: a defect of this
    /// program, never of the input.
    #[error("{0}")]
    Decision(DecisionError),
    /// The engine could not answer (a broken invariant): a defect of this
    /// program; nothing is recorded.
    #[error("{0}")]
    Engine(String),
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> IntakeError {
    IntakeError::Invalid(InputError {
        path: path.into(),
        message: message.into(),
    })
}

/// A scenario decided: the scenario and the decision as they will be kept.
/// Deciding is the costly step, so a caller recording many contacts of one
/// situation (the generator, an import) decides once and takes each in with
/// [`Intake::of`].
#[derive(Debug, Clone)]
pub struct Decided {
    scenario: Scenario,
    scenario_json: String,
    decision: StoredDecision,
    decision_json: String,
}

impl Decided {
    /// Decides `scenario` under the law in force on its date.
    pub fn new(lib: &Library, scenario: &Scenario) -> Result<Decided, IntakeError> {
        let decision = decide(lib, scenario)?;
        Ok(Decided {
            scenario: scenario.clone(),
            scenario_json: scenario::to_json(scenario),
            decision_json: decision.to_json(),
            decision,
        })
    }

    /// The decision.
    pub fn decision(&self) -> &StoredDecision {
        &self.decision
    }
}

/// Decides `scenario` under the law in force on its date, as a decision is
/// kept: what intake and replay both ask of the engine.
pub(crate) fn decide(lib: &Library, scenario: &Scenario) -> Result<StoredDecision, IntakeError> {
    let query = scenario
        .to_query(lib)
        .map_err(|e| IntakeError::Scenario(e.within("$.scenario")))?;
    let decided = lib
        .try_decide(&query)
        .map_err(|e| IntakeError::Engine(e.to_string()))?;
    let brief = Decision::from_explanation(&lib.explain(&query, &decided), Detail::Brief);
    StoredDecision::of(&brief).map_err(IntakeError::Decision)
}

/// An obligation a record opens, as it will be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Its id in the law pack.
    pub id: String,
    pub law: String,
    /// Its pinpoint citation.
    pub cite: String,
    /// What must be done, in plain words.
    pub duty: String,
    /// When, as the law says it (`within 48 hours`), if it says.
    pub due: Option<String>,
    /// When it falls due (UTC ms), if the recorder said.
    pub due_ms: Option<i64>,
    /// Performed by this very record (a duty to record the contact for the
    /// report): kept as fulfilled by the recorder, at once.
    pub performed_by_recording: bool,
}

/// The note kept on a duty performed by recording the contact, as its
/// fulfilment.
pub const PERFORMED_BY_RECORDING: &str =
    "Performed by this record: the 2.129.060 report is counted from the records.";

/// Whether a duty the law attaches to a contact is performed by recording
/// the contact here: the duties to record it so that the 2.129.060 report
/// counts it (`cite` 2.129.060(a) to (e)), which the report counts from the
/// records. The report's own duties (2.129.060 without a letter: the
/// Commissioner submits it, the Clerk puts it on the agenda) are not.
pub fn performed_by_recording(cite: &str) -> bool {
    cite.trim_start()
        .strip_prefix("2.129.060")
        .is_some_and(|rest| rest.starts_with('('))
}

/// A contact taken in: what was said, what the law decided, and what
/// follows from both. Only [`Intake::new`] and [`Intake::of`] make one.
#[derive(Debug, Clone)]
pub struct Intake {
    contact: NewContact,
    scenario: Scenario,
    decision: StoredDecision,
    prohibited: Vec<String>,
    routed_to: Office,
    opened: Vec<Opened>,
}

impl Intake {
    /// Takes in a contact as the API states it: decides its scenario now and
    /// checks every field, naming the JSON path of the first problem.
    pub fn new(lib: &Library, body: RecordContact) -> Result<Intake, IntakeError> {
        let kind = body
            .kind
            .parse::<ContactKind>()
            .map_err(|_| one_of("$.kind", "kind of contact", &body.kind, ContactKind::ALL))?;
        let channel = body
            .channel
            .parse::<Channel>()
            .map_err(|_| one_of("$.channel", "channel", &body.channel, Channel::ALL))?;
        let received_ms = body
            .received_at
            .as_deref()
            .map(parse_utc_ms)
            .transpose()
            .map_err(|m| invalid("$.received_at", m))?;
        let mut obligations_due = BTreeMap::new();
        for (id, at) in &body.obligations_due {
            let ms = parse_utc_ms(at).map_err(|m| invalid(format!("$.obligations_due.{id}"), m))?;
            obligations_due.insert(id.clone(), ms);
        }
        let decided = Decided::new(lib, &body.scenario)?;
        Intake::of(
            decided,
            NewContact {
                kind,
                channel,
                receiving_unit: body.receiving_unit,
                received_ms,
                scenario: String::new(),
                decision: String::new(),
                acts_done: body.acts_done,
                done_by: body.done_by,
                withheld: body.withheld,
                late_entry: body.late_entry,
                obligations_due,
                person: body.person.map(|p| Person {
                    name: p.name,
                    date_of_birth: p.date_of_birth,
                    address: p.address,
                }),
            },
        )
    }

    /// Takes in a contact whose scenario is already decided; `contact`'s
    /// `scenario` and `decision` are replaced by the decided ones.
    pub fn of(decided: Decided, mut contact: NewContact) -> Result<Intake, IntakeError> {
        let Decided {
            scenario,
            scenario_json,
            decision,
            decision_json,
        } = decided;
        for (i, act) in contact.acts_done.iter().enumerate() {
            if decision.item(act).is_none() {
                let asked: Vec<&str> = decision.items.iter().map(|i| i.key.as_str()).collect();
                return Err(invalid(
                    format!("$.acts_done[{i}]"),
                    format!(
                        "`{act}` was not asked about, so the law was not applied to it; add it to the scenario's acts (asked: {})",
                        asked.join(", ")
                    ),
                ));
            }
        }
        let done: BTreeSet<&str> = contact.acts_done.iter().map(String::as_str).collect();
        let prohibited: BTreeSet<&str> = decision
            .items
            .iter()
            .filter(|i| i.outcome == Outcome::Prohibited && done.contains(i.key.as_str()))
            .map(|i| i.key.as_str())
            .collect();
        let prohibited: Vec<String> = prohibited.into_iter().map(str::to_owned).collect();
        let opened: Vec<Opened> = decision
            .obligations
            .iter()
            .filter(|o| o.certain)
            .map(|o| Opened {
                id: o.id.clone(),
                law: o.law.clone(),
                cite: o.cite.clone(),
                duty: o.duty.clone(),
                due: o.due.clone(),
                due_ms: contact.obligations_due.get(&o.id).copied(),
                performed_by_recording: performed_by_recording(&o.cite),
            })
            .collect();
        if let Some(unknown) = contact
            .obligations_due
            .keys()
            .find(|k| !opened.iter().any(|o| &o.id == *k))
        {
            let ids: Vec<&str> = opened.iter().map(|o| o.id.as_str()).collect();
            return Err(invalid(
                "$.obligations_due",
                format!(
                    "`{unknown}` is not an obligation this decision opens (it opens: {})",
                    ids.join(", ")
                ),
            ));
        }
        let routed_to = office_for(&scenario);
        contact.scenario = scenario_json;
        contact.decision = decision_json;
        Ok(Intake {
            contact,
            scenario,
            decision,
            prohibited,
            routed_to,
            opened,
        })
    }

    /// The contact as it will be kept.
    pub fn contact(&self) -> &NewContact {
        &self.contact
    }

    /// The contact, for the store to keep.
    pub fn into_contact(self) -> NewContact {
        self.contact
    }

    /// The scenario kept with it.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The decision kept with it.
    pub fn decision(&self) -> &StoredDecision {
        &self.decision
    }

    /// The acts done that the decision prohibits, sorted: each is a
    /// compliance exception.
    pub fn prohibited(&self) -> &[String] {
        &self.prohibited
    }

    /// Where its compliance exceptions go.
    pub fn routed_to(&self) -> Office {
        self.routed_to
    }

    /// The obligations it opens: those the decision triggered for certain.
    pub fn opened(&self) -> &[Opened] {
        &self.opened
    }
}

fn one_of<T: Copy + std::fmt::Display>(
    path: &str,
    what: &str,
    given: &str,
    all: &[T],
) -> IntakeError {
    let names: Vec<String> = all.iter().map(ToString::to_string).collect();
    invalid(
        path,
        format!(
            "`{given}` is not a {what}; expected one of: {}",
            names.join(", ")
        ),
    )
}

/// The office that handles an exception, from the scenario's `department`.
fn office_for(s: &Scenario) -> Office {
    match scenario::one(s, "department") {
        Some("police") => Office::ProfessionalStandards,
        Some("school") => Office::Superintendent,
        _ => Office::CityManager,
    }
}
