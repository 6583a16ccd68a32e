//! The scenario kept with a record: the situation as the recorder gave it
//! (`trustgate_api::Scenario`, kept as given), read back typed. A stored
//! scenario that does not read is an error for the reader to report, never
//! a scenario with no facts.

pub use trustgate_api::{ActInput, FactInput, Scenario};

/// A stored scenario that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored scenario does not read as a scenario: {0}")]
pub struct ScenarioError(pub String);

/// Reads a kept scenario.
pub fn parse(json: &str) -> Result<Scenario, ScenarioError> {
    serde_json::from_str(json).map_err(|e| ScenarioError(e.to_string()))
}

/// As kept: compact JSON.
pub fn to_json(s: &Scenario) -> String {
    #[expect(
        clippy::expect_used,
        reason = "a scenario is maps of strings, booleans and lists of strings, which serde_json always writes"
    )]
    serde_json::to_string(s).expect("a scenario serialises")
}

/// The value of a one-of fact (`department`), if the scenario gives one.
pub fn one<'s>(s: &'s Scenario, fact: &str) -> Option<&'s str> {
    match s.facts.get(fact) {
        Some(FactInput::One(v)) => Some(v),
        _ => None,
    }
}

/// The values of a set fact (`documents`); none if the scenario gives none.
pub fn set<'s>(s: &'s Scenario, fact: &str) -> &'s [String] {
    match s.facts.get(fact) {
        Some(FactInput::Set(v)) => v,
        _ => &[],
    }
}
