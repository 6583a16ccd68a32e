//! The decision: what the law says of each act and field, with the rules that
//! decide it, their exact words, the exceptions weighed, the duties triggered,
//! and the laws (with content hashes) that were in force.

use schemars::JsonSchema;
use serde::Serialize;
use trustgate_law::{Applies, Explanation, FactKind, FactView, Outcome, RuleView};
use utoipa::ToSchema;

/// How much of the reasoning to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Outcomes, deciding rules, doubts, questions, duties.
    Brief,
    /// Also every rule weighed for every item, and why it did or did not apply.
    Full,
}

/// The answer to one scenario.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Decision {
    /// The place asked about.
    pub place: Place,
    /// The day asked about (YYYY-MM-DD).
    pub date: String,
    /// The stretch of dates over which the same laws are in force; the answer holds throughout.
    pub period: Period,
    /// The law versions in force there and then, each with the hash of the exact
    /// text used (their full metadata: `GET /api/v1/laws`).
    pub laws: Vec<LawRef>,
    /// One answer per act asked, or per field of a disclosure, in the order asked.
    pub items: Vec<Item>,
    /// Every rule the items refer to, once, with its citation and exact words.
    pub rules: Vec<Rule>,
    /// Duties triggered for certain; with `detail=full`, also those that depend
    /// on unknown facts (`certain: false`, see `depends_on`).
    pub obligations: Vec<Obligation>,
    /// Unknown facts whose answers would settle an open answer (with
    /// `detail=full`, also a possible duty).
    pub questions: Vec<Question>,
    /// Whether any item is prohibited.
    pub prohibited: bool,
    /// Whether every item is settled: none undetermined, none in conflict.
    pub settled: bool,
}

/// A place questions are asked of.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Place {
    pub name: String,
    pub title: String,
    pub jurisdiction: String,
    /// What is and is not encoded for this place.
    pub note: Option<String>,
}

/// A stretch of dates; `null` ends are open.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Period {
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A law version, as a decision names it.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct LawRef {
    /// The law's id, shared by its versions.
    pub law: String,
    pub version: String,
    pub title: String,
    /// high, medium or low.
    pub reliability: String,
    /// sha256 of the pack file.
    pub hash: String,
}

/// One version of one law.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Law {
    /// The law's id, shared by its versions.
    pub law: String,
    pub title: String,
    pub instrument: String,
    pub version: String,
    pub jurisdiction: String,
    pub effective_from: Option<String>,
    pub effective_until: Option<String>,
    /// high, medium or low.
    pub reliability: String,
    pub source: String,
    pub note: Option<String>,
    /// sha256 of the pack file.
    pub hash: String,
}

/// The answer for one act, or one field of a disclosure.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Item {
    /// `act` or `act.field`.
    pub key: String,
    pub act: String,
    pub field: Option<String>,
    /// prohibited, permitted, required, not-addressed, conflict or undetermined.
    pub outcome: String,
    /// Decided although some facts it reads are unknown: it holds whatever they are.
    pub holds_regardless: bool,
    /// The rules that decide it (all of them, when laws concur or conflict), as
    /// references (`law/id`) into `rules`.
    pub decided_by: Vec<String>,
    /// Readings in doubt for this answer.
    pub doubts: Vec<Doubt>,
    /// For an undetermined answer: what to ask.
    pub questions: Vec<Question>,
    /// Every rule that speaks to this act or field, and how it fared (full detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighed: Option<Vec<Weighed>>,
}

/// One rule of one law version.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Rule {
    /// `law/id`: how items refer to it (one version of a law is in force at a time).
    #[serde(rename = "ref")]
    pub reference: String,
    pub law: String,
    pub version: String,
    pub id: String,
    /// Pinpoint citation.
    pub cite: String,
    /// The law's words, exactly (… marks words left out).
    pub quote: String,
    pub explain: Option<String>,
    /// prohibited, permitted, required; none for an exception that only lifts another rule.
    pub effect: Option<String>,
    pub reliability: String,
}

/// A reading in doubt.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Doubt {
    /// The rule (`law/id`) whose reading is in doubt.
    pub rule: String,
    pub doubt: String,
}

/// One rule weighed for an item.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Weighed {
    /// The rule (`law/id`, in `rules`).
    pub rule: String,
    /// yes, no or unknown.
    pub applies: String,
    /// Applied and was not defeated by an exception.
    pub active: bool,
    /// Ids of the rules this one is an exception to.
    pub excepts: Vec<String>,
    /// Ids of the exceptions that defeated it.
    pub defeated_by: Vec<String>,
    /// Its condition, each test marked ✓, ✗ or ?.
    pub condition: String,
}

/// A duty the facts trigger.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Obligation {
    pub id: String,
    pub law: String,
    pub cite: String,
    pub quote: String,
    /// What must be done, in plain words.
    pub duty: String,
    pub due: Option<String>,
    pub reliability: String,
    /// Triggered for certain, or only if unknown facts turn out so.
    pub certain: bool,
    pub depends_on: Vec<String>,
}

/// A fact worth asking about.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Question {
    pub fact: String,
    /// The question, in plain words.
    pub ask: String,
    /// yes/no, one of, any of.
    pub kind: String,
    pub values: Vec<String>,
}

impl Law {
    /// The contract's form of a law version.
    pub fn of(l: &trustgate_law::LawView<'_>) -> Law {
        Law {
            law: l.law().to_owned(),
            title: l.title().to_owned(),
            instrument: l.instrument().to_owned(),
            version: l.version().to_owned(),
            jurisdiction: l.jurisdiction().to_owned(),
            effective_from: l.effective_from().map(|d| d.to_string()),
            effective_until: l.effective_until().map(|d| d.to_string()),
            reliability: l.reliability().as_str().to_owned(),
            source: l.source().to_owned(),
            note: l.note().map(str::to_owned),
            hash: l.hash().to_owned(),
        }
    }
}

fn reference(r: &RuleView<'_>) -> String {
    format!("{}/{}", r.law().law(), r.id())
}

fn rule(r: &RuleView<'_>) -> Rule {
    Rule {
        reference: reference(r),
        law: r.law().law().to_owned(),
        version: r.law().version().to_owned(),
        id: r.id().to_owned(),
        cite: r.cite().to_owned(),
        quote: r.quote().to_owned(),
        explain: r.explain().map(str::to_owned),
        effect: r.effect().map(|e| e.as_str().to_owned()),
        reliability: r.reliability().as_str().to_owned(),
    }
}

/// `yes/no`, `one of` or `any of`.
pub fn kind(k: FactKind) -> &'static str {
    match k {
        FactKind::YesNo => "yes/no",
        FactKind::One => "one of",
        FactKind::Set => "any of",
    }
}

fn question(f: &FactView<'_>) -> Question {
    Question {
        fact: f.name().to_owned(),
        ask: f.ask().to_owned(),
        kind: kind(f.kind()).to_owned(),
        values: f.values().iter().map(|(v, _)| (*v).to_owned()).collect(),
    }
}

fn applies(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "yes",
        Applies::No => "no",
        Applies::Unknown => "unknown",
    }
}

impl Decision {
    /// The contract's form of an engine explanation.
    pub fn from_explanation(ex: &Explanation<'_>, detail: Detail) -> Decision {
        let place = ex.place();
        let (from, until) = ex.period();
        let mut rules: Vec<Rule> = Vec::new();
        let mut cite = |r: &RuleView<'_>| -> String {
            let reference = reference(r);
            if !rules.iter().any(|x| x.reference == reference) {
                rules.push(rule(r));
            }
            reference
        };
        let mut items = Vec::new();
        for i in ex.items() {
            let decided_by = i.deciding().map(|r| cite(&r)).collect();
            let doubts = i
                .doubts()
                .iter()
                .map(|(r, d)| Doubt {
                    rule: cite(r),
                    doubt: (*d).to_owned(),
                })
                .collect();
            let weighed = (detail == Detail::Full).then(|| {
                i.weighed()
                    .into_iter()
                    .map(|w| Weighed {
                        rule: cite(&w.rule),
                        applies: applies(w.applies).to_owned(),
                        active: w.active,
                        excepts: w.excepts.iter().map(reference).collect(),
                        defeated_by: w.defeated_by.iter().map(reference).collect(),
                        condition: w.condition,
                    })
                    .collect()
            });
            items.push(Item {
                key: i.key(),
                act: i.act().name().to_owned(),
                field: i.field().map(|(f, _)| f.to_owned()),
                outcome: i.outcome().as_str().to_owned(),
                holds_regardless: i.holds_regardless(),
                decided_by,
                doubts,
                questions: i.questions().iter().map(question).collect(),
                weighed,
            });
        }
        let prohibited = ex.items().any(|i| i.outcome() == Outcome::Prohibited);
        let settled = !ex
            .items()
            .any(|i| matches!(i.outcome(), Outcome::Undetermined | Outcome::Conflict));
        Decision {
            place: Place {
                name: place.name().to_owned(),
                title: place.title().to_owned(),
                jurisdiction: place.jurisdiction().to_owned(),
                note: place.note().map(str::to_owned),
            },
            date: ex.date().to_string(),
            period: Period {
                from: from.map(|d| d.to_string()),
                until: until.map(|d| d.to_string()),
            },
            laws: ex
                .laws()
                .iter()
                .map(|l| LawRef {
                    law: l.law().to_owned(),
                    version: l.version().to_owned(),
                    title: l.title().to_owned(),
                    reliability: l.reliability().as_str().to_owned(),
                    hash: l.hash().to_owned(),
                })
                .collect(),
            items,
            rules,
            obligations: ex
                .obligations()
                .iter()
                .filter(|o| o.certain() || detail == Detail::Full)
                .map(|o| Obligation {
                    id: o.id().to_owned(),
                    law: o.law().law().to_owned(),
                    cite: o.cite().to_owned(),
                    quote: o.quote().to_owned(),
                    duty: o.duty().to_owned(),
                    due: o.due().map(str::to_owned),
                    reliability: o.reliability().as_str().to_owned(),
                    certain: o.certain(),
                    depends_on: o.depends_on().iter().map(|f| f.name().to_owned()).collect(),
                })
                .collect(),
            questions: match detail {
                Detail::Full => ex.questions().iter().map(question).collect(),
                Detail::Brief => {
                    let mut facts: Vec<FactView<'_>> = Vec::new();
                    for f in ex.items().flat_map(|i| i.questions()) {
                        if !facts.iter().any(|x| x.name() == f.name()) {
                            facts.push(f);
                        }
                    }
                    facts.iter().map(question).collect()
                }
            },
            prohibited,
            settled,
        }
    }

    /// The JSON Schema of this contract (what `trustgate check --json` prints).
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Decision)).unwrap_or_default()
    }
}
