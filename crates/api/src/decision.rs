//! The decision: what the law says of each act and field, with the rules that
//! decide it, their exact words, the exceptions weighed, the duties triggered,
//! and the laws (with content hashes) that were in force.
//!
//! The types borrow from the law library (`&'a str`) instead of copying: an
//! answer is built and serialised per request, and the server's throughput is
//! bounded by allocation and serialisation, not by deciding.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use trustgate_law::{Applies, Explanation, FactKind, FactView, LawView, Outcome, RuleView};
use utoipa::ToSchema;

/// How much of the reasoning to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Outcomes, deciding rules, doubts, questions, duties triggered for certain.
    Brief,
    /// Also every rule weighed for every item, and the duties that may apply.
    Full,
}

/// Two names joined by a separator (`law/id`, `act.field`), serialised as one
/// string without building it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Joined<'a> {
    first: &'a str,
    sep: char,
    second: Option<&'a str>,
}

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.second {
            Some(s) => write!(f, "{}{}{}", self.first, self.sep, s),
            None => f.write_str(self.first),
        }
    }
}

impl Serialize for Joined<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Joined<'_> {
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

fn rule_ref<'a>(r: &RuleView<'a>) -> Joined<'a> {
    Joined {
        first: r.law().law(),
        sep: '/',
        second: Some(r.id()),
    }
}

/// The answer to one scenario.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Decision<'a> {
    /// The place asked about.
    pub place: Place<'a>,
    /// The day asked about (YYYY-MM-DD).
    pub date: String,
    /// The stretch of dates over which the same laws are in force; the answer holds throughout.
    pub period: Period,
    /// The law versions in force there and then, each with the hash of the exact
    /// text used (their full metadata: `GET /api/v1/laws`).
    pub laws: Vec<LawRef<'a>>,
    /// One answer per act asked, or per field of a disclosure, in the order asked.
    pub items: Vec<Item<'a>>,
    /// Every rule the items refer to, once, with its citation and exact words.
    pub rules: Vec<Rule<'a>>,
    /// Duties triggered for certain; with `detail=full`, also those that depend
    /// on unknown facts (`certain: false`, see `depends_on`).
    pub obligations: Vec<Obligation<'a>>,
    /// Unknown facts whose answers would settle an open answer (with
    /// `detail=full`, also a possible duty).
    pub questions: Vec<Question<'a>>,
    /// Facts the scenario left out that were taken at the schema's assumed
    /// value (`assume:`; today: no federal or state law requires the act):
    /// the answer holds only if they are so. State them to learn otherwise.
    pub assumed: Vec<Assumed<'a>>,
    /// Whether any item is prohibited.
    pub prohibited: bool,
    /// Whether every item is settled: none undetermined, none in conflict.
    pub settled: bool,
}

/// A place questions are asked of.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Place<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub jurisdiction: &'a str,
    /// What is and is not encoded for this place.
    pub note: Option<&'a str>,
}

/// A stretch of dates; `null` ends are open.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Period {
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A law version, as a decision names it.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct LawRef<'a> {
    /// The law's id, shared by its versions.
    pub law: &'a str,
    pub version: &'a str,
    pub title: &'a str,
    /// high, medium or low.
    pub reliability: &'static str,
    /// sha256 of the pack file.
    pub hash: &'a str,
}

/// One version of one law.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Law<'a> {
    /// The law's id, shared by its versions.
    pub law: &'a str,
    pub title: &'a str,
    pub instrument: &'a str,
    pub version: &'a str,
    pub jurisdiction: &'a str,
    pub effective_from: Option<String>,
    pub effective_until: Option<String>,
    /// high, medium or low.
    pub reliability: &'static str,
    pub source: &'a str,
    pub note: Option<&'a str>,
    /// sha256 of the pack file.
    pub hash: &'a str,
    /// Present, and true, for a bill or a draft (`status: proposal`): never
    /// the law in force, so never among a decision's laws.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schema(required = false)]
    pub proposal: bool,
}

/// The answer for one act, or one field of a disclosure.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Item<'a> {
    /// `act` or `act.field`.
    #[schema(value_type = String)]
    pub key: Joined<'a>,
    pub act: &'a str,
    pub field: Option<&'a str>,
    /// prohibited, permitted, required, not-addressed, conflict or undetermined.
    pub outcome: &'static str,
    /// Decided although some facts it reads are unknown: it holds whatever they are.
    pub holds_regardless: bool,
    /// The rules that decide it (all of them, when laws concur or conflict), as
    /// references (`law/id`) into `rules`.
    #[schema(value_type = Vec<String>)]
    pub decided_by: Vec<Joined<'a>>,
    /// Readings in doubt for this answer.
    pub doubts: Vec<Doubt<'a>>,
    /// For an undetermined answer: what to ask.
    pub questions: Vec<Question<'a>>,
    /// Every rule that speaks to this act or field, and how it fared (full detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighed: Option<Vec<Weighed<'a>>>,
}

/// One rule of one law version.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Rule<'a> {
    /// `law/id`: how items refer to it (one version of a law is in force at a time).
    #[serde(rename = "ref")]
    #[schema(value_type = String)]
    pub reference: Joined<'a>,
    pub law: &'a str,
    pub version: &'a str,
    pub id: &'a str,
    /// Pinpoint citation.
    pub cite: &'a str,
    /// The law's words, exactly (… marks words left out).
    pub quote: &'a str,
    pub explain: Option<&'a str>,
    /// prohibited, permitted, required; none for an exception that only lifts another rule.
    pub effect: Option<&'static str>,
    pub reliability: &'static str,
}

/// A reading in doubt.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Doubt<'a> {
    /// The rule (`law/id`) whose reading is in doubt.
    #[schema(value_type = String)]
    pub rule: Joined<'a>,
    pub doubt: &'a str,
}

/// One rule weighed for an item.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Weighed<'a> {
    /// The rule (`law/id`, in `rules`).
    #[schema(value_type = String)]
    pub rule: Joined<'a>,
    /// yes, no or unknown.
    pub applies: &'static str,
    /// Applied and was not defeated by an exception.
    pub active: bool,
    /// The rules this one is an exception to (`law/id`).
    #[schema(value_type = Vec<String>)]
    pub excepts: Vec<Joined<'a>>,
    /// The exceptions that defeated it (`law/id`).
    #[schema(value_type = Vec<String>)]
    pub defeated_by: Vec<Joined<'a>>,
    /// Its condition, each test marked ✓, ✗ or ?.
    pub condition: String,
}

/// A duty the facts trigger.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Obligation<'a> {
    pub id: &'a str,
    pub law: &'a str,
    pub cite: &'a str,
    pub quote: &'a str,
    /// What must be done, in plain words.
    pub duty: &'a str,
    pub due: Option<&'a str>,
    pub reliability: &'static str,
    /// Triggered for certain, or only if unknown facts turn out so.
    pub certain: bool,
    pub depends_on: Vec<&'a str>,
}

/// A fact left out and taken at its assumed value.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Assumed<'a> {
    pub fact: &'a str,
    /// The question, in plain words.
    pub ask: &'a str,
    /// The value taken.
    pub value: bool,
}

/// A fact worth asking about.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Question<'a> {
    pub fact: &'a str,
    /// The question, in plain words.
    pub ask: &'a str,
    /// yes/no, one of, any of.
    pub kind: &'static str,
    pub values: Vec<&'a str>,
}

impl<'a> Law<'a> {
    /// The contract's form of a law version.
    pub fn of(l: &LawView<'a>) -> Law<'a> {
        Law {
            law: l.law(),
            title: l.title(),
            instrument: l.instrument(),
            version: l.version(),
            jurisdiction: l.jurisdiction(),
            effective_from: l.effective_from().map(|d| d.to_string()),
            effective_until: l.effective_until().map(|d| d.to_string()),
            reliability: l.reliability().as_str(),
            source: l.source(),
            note: l.note(),
            hash: l.hash(),
            proposal: l.is_proposal(),
        }
    }
}

fn rule<'a>(r: &RuleView<'a>) -> Rule<'a> {
    Rule {
        reference: rule_ref(r),
        law: r.law().law(),
        version: r.law().version(),
        id: r.id(),
        cite: r.cite(),
        quote: r.quote(),
        explain: r.explain(),
        effect: r.effect().map(Outcome::as_str),
        reliability: r.reliability().as_str(),
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

fn question<'a>(f: &FactView<'a>) -> Question<'a> {
    Question {
        fact: f.name(),
        ask: f.ask(),
        kind: kind(f.kind()),
        values: f.values().iter().map(|(v, _)| *v).collect(),
    }
}

fn applies(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "yes",
        Applies::No => "no",
        Applies::Unknown => "unknown",
    }
}

impl<'a> Decision<'a> {
    /// The contract's form of an engine explanation.
    pub fn from_explanation(ex: &Explanation<'a>, detail: Detail) -> Decision<'a> {
        let place = ex.place();
        let (from, until) = ex.period();
        let mut rules: Vec<Rule<'a>> = Vec::new();
        let mut cite = |r: &RuleView<'a>| -> Joined<'a> {
            let reference = rule_ref(r);
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
                    doubt: d,
                })
                .collect();
            let weighed = (detail == Detail::Full).then(|| {
                i.weighed()
                    .into_iter()
                    .map(|w| Weighed {
                        rule: cite(&w.rule),
                        applies: applies(w.applies),
                        active: w.active,
                        excepts: w.excepts.iter().map(rule_ref).collect(),
                        defeated_by: w.defeated_by.iter().map(rule_ref).collect(),
                        condition: w.condition,
                    })
                    .collect()
            });
            let act = i.act().name();
            let field = i.field().map(|(f, _)| f);
            items.push(Item {
                key: Joined {
                    first: act,
                    sep: '.',
                    second: field,
                },
                act,
                field,
                outcome: i.outcome().as_str(),
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
        let questions = match detail {
            Detail::Full => ex.questions().iter().map(question).collect(),
            Detail::Brief => {
                let mut facts: Vec<FactView<'a>> = Vec::new();
                for f in ex.items().flat_map(|i| i.questions()) {
                    if !facts.iter().any(|x| x.name() == f.name()) {
                        facts.push(f);
                    }
                }
                facts.iter().map(question).collect()
            }
        };
        Decision {
            place: Place {
                name: place.name(),
                title: place.title(),
                jurisdiction: place.jurisdiction(),
                note: place.note(),
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
                    law: l.law(),
                    version: l.version(),
                    title: l.title(),
                    reliability: l.reliability().as_str(),
                    hash: l.hash(),
                })
                .collect(),
            items,
            rules,
            obligations: ex
                .obligations()
                .iter()
                .filter(|o| o.certain() || detail == Detail::Full)
                .map(|o| Obligation {
                    id: o.id(),
                    law: o.law().law(),
                    cite: o.cite(),
                    quote: o.quote(),
                    duty: o.duty(),
                    due: o.due(),
                    reliability: o.reliability().as_str(),
                    certain: o.certain(),
                    depends_on: o.depends_on().iter().map(|f| f.name()).collect(),
                })
                .collect(),
            questions,
            assumed: ex
                .assumed()
                .iter()
                .map(|(f, v)| Assumed {
                    fact: f.name(),
                    ask: f.ask(),
                    value: *v,
                })
                .collect(),
            prohibited,
            settled,
        }
    }

    /// The JSON Schema of this contract (what `trustgate check --json` prints).
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Decision<'static>)).unwrap_or_default()
    }
}
