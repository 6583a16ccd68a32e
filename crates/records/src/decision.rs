//! The decision kept with a record: what the law answered at the moment of
//! contact, typed and versioned.
//!
//! It is a persistence format, not the API's answer. Format 1 has the shape
//! of the API's brief decision (`trustgate_api::Decision`, `detail=brief`)
//! as it was when records began, plus `format`; records kept before the
//! field existed read as format 1. The API may grow; a record once written
//! must read the same for as long as it is kept, so a change of shape here
//! is a new format and a reader for the old one, never an edit.

use serde::{Deserialize, Serialize};

/// The format this library writes.
pub const FORMAT: u32 = 1;

/// A decision as kept with a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredDecision {
    /// The format of this value ([`FORMAT`]); absent in records kept before
    /// it was written, which are format 1.
    #[serde(default = "format_1")]
    pub format: u32,
    pub place: Place,
    /// The day asked about (YYYY-MM-DD).
    pub date: String,
    pub period: Period,
    /// The law versions in force, with the hashes of their exact texts.
    pub laws: Vec<LawRef>,
    /// One answer per act or disclosure field asked, in the order asked.
    pub items: Vec<Item>,
    /// Every rule the items refer to, once.
    pub rules: Vec<Rule>,
    /// The duties triggered for certain.
    pub obligations: Vec<Obligation>,
    /// Unknown facts that would settle an open answer.
    pub questions: Vec<Question>,
    /// Facts left out and taken at the schema's assumed value.
    #[serde(default)]
    pub assumed: Vec<Assumed>,
    pub prohibited: bool,
    pub settled: bool,
}

fn format_1() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    pub title: String,
    pub jurisdiction: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A law version as the decision names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawRef {
    pub law: String,
    pub version: String,
    pub title: String,
    pub reliability: String,
    /// sha256 of the pack file.
    pub hash: String,
}

/// What the law says of an act or a disclosure field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Prohibited,
    Permitted,
    Required,
    NotAddressed,
    Conflict,
    Undetermined,
}

impl Outcome {
    /// The spelling records and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Prohibited => "prohibited",
            Outcome::Permitted => "permitted",
            Outcome::Required => "required",
            Outcome::NotAddressed => "not-addressed",
            Outcome::Conflict => "conflict",
            Outcome::Undetermined => "undetermined",
        }
    }
}

/// The answer for one act, or one field of a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// `act` or `act.field`: how acts done name it.
    pub key: String,
    pub act: String,
    pub field: Option<String>,
    pub outcome: Outcome,
    pub holds_regardless: bool,
    /// The deciding rules, as `law/id` references into [`StoredDecision::rules`].
    pub decided_by: Vec<String>,
    pub doubts: Vec<Doubt>,
    pub questions: Vec<Question>,
}

/// One rule of one law version, with its exact words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `law/id`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub law: String,
    pub version: String,
    pub id: String,
    pub cite: String,
    pub quote: String,
    pub explain: Option<String>,
    pub effect: Option<String>,
    pub reliability: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doubt {
    pub rule: String,
    pub doubt: String,
}

/// A duty the facts triggered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// Its id in the law pack.
    pub id: String,
    pub law: String,
    /// Its pinpoint citation (`2.129.060(a)`).
    pub cite: String,
    pub quote: String,
    /// What must be done, in plain words.
    pub duty: String,
    pub due: Option<String>,
    pub reliability: String,
    pub certain: bool,
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub fact: String,
    pub ask: String,
    pub kind: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumed {
    pub fact: String,
    pub ask: String,
    pub value: bool,
}

/// A stored decision that does not read: the record is damaged, or was
/// written by a newer trustgate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("the stored decision does not read as a decision: {0}")]
    Shape(String),
    #[error(
        "the stored decision is in format {0}, which this trustgate does not know (it reads up to {FORMAT})"
    )]
    Format(u32),
}

impl StoredDecision {
    /// The decision the engine gave, as it is kept: the API's brief
    /// decision, read back through this format (so a field the format does
    /// not hold is an error here, at recording, not a loss later).
    pub fn of(decision: &trustgate_api::Decision<'_>) -> Result<StoredDecision, DecisionError> {
        let json =
            serde_json::to_value(decision).map_err(|e| DecisionError::Shape(e.to_string()))?;
        let mut d: StoredDecision =
            serde_json::from_value(json).map_err(|e| DecisionError::Shape(e.to_string()))?;
        d.format = FORMAT;
        Ok(d)
    }

    /// Reads a kept decision.
    pub fn parse(json: &str) -> Result<StoredDecision, DecisionError> {
        let d: StoredDecision =
            serde_json::from_str(json).map_err(|e| DecisionError::Shape(e.to_string()))?;
        if d.format > FORMAT || d.format == 0 {
            return Err(DecisionError::Format(d.format));
        }
        Ok(d)
    }

    /// As kept: compact JSON.
    pub fn to_json(&self) -> String {
        #[expect(
            clippy::expect_used,
            reason = "every field is a string, a bool, a number or a list of them, which serde_json always writes"
        )]
        serde_json::to_string(self).expect("a stored decision serialises")
    }

    /// The rule a reference (`law/id`) names.
    pub fn rule(&self, reference: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.reference == reference)
    }

    /// The item an act done names (`detain`, `disclose.address`).
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }
}
