//! # Scenarios as data
//!
//! Two formats live here, both read from JSON or YAML:
//!
//! * a **scenario**, what `trustgate check` reads: a place, a date, the facts
//!   known, and the acts contemplated ([`Scenario`]);
//! * a **case file**, what `trustgate pack test` runs: scenarios with the
//!   outcome expected for every act and field, the citations that must decide
//!   it, and the obligations it must trigger ([`CaseFile`]).
//!
//! The scenario type itself is the JSON contract's (`trustgate-api`); this crate
//! adds YAML and the case files. Errors name the place in the input by its JSON
//! path (`$.facts.requester`) and line, so a caller always learns where and what.

use std::collections::BTreeMap;

use serde::Deserialize;
pub use trustgate_api::{ActInput, FactInput, InputError, Scenario};
use trustgate_law::{Library, Outcome};

/// Parses a scenario from JSON or YAML text (JSON is YAML, so one parser reads
/// both), naming the JSON path and the line of any problem.
pub fn parse_scenario(text: &str) -> Result<Scenario, InputError> {
    parse_yaml(text)
}

fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = trustgate_api::json_path(&e.path().to_string());
        let inner = e.into_inner();
        let path = match inner.location() {
            Some(l) => format!("{path} (line {}, column {})", l.line(), l.column()),
            None => path,
        };
        InputError {
            path,
            message: trustgate_api::plain(&inner.to_string()),
        }
    })
}

// ---------------------------------------------------------------- case files

/// A file of scenario cases kept with the packs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The cases, in order.
    pub cases: Vec<Case>,
}

/// A scenario and what the law must answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows, in a sentence.
    pub name: String,
    /// The scenario.
    #[serde(flatten)]
    pub scenario: Scenario,
    /// `act` or `act.field` → `OUTCOME [doubtful] [by CITE; CITE…]`, or `undetermined asking FACT, FACT`.
    pub expect: BTreeMap<String, String>,
    /// The obligations triggered for certain, by id (all of them; none when left out).
    #[serde(default)]
    pub obligations: Vec<String>,
}

/// Parses a case file.
pub fn parse_cases(text: &str) -> Result<CaseFile, InputError> {
    parse_yaml(text)
}

/// An expectation, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    outcome: Outcome,
    doubtful: bool,
    cites: Vec<String>,
    asking: Vec<String>,
}

fn parse_expected(s: &str) -> Result<Expected, String> {
    let s = s.trim();
    let (word, rest) = s.split_once(' ').unwrap_or((s, ""));
    let outcome = Outcome::parse(word).ok_or_else(|| format!("expected an outcome (prohibited, permitted, required, not-addressed, conflict, undetermined), found `{word}`"))?;
    let mut rest = rest.trim();
    let mut doubtful = false;
    if let Some(r) = rest.strip_prefix("doubtful") {
        doubtful = true;
        rest = r.trim();
    }
    let mut cites = Vec::new();
    let mut asking = Vec::new();
    if let Some(r) = rest.strip_prefix("by ") {
        cites = r
            .split(';')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
    } else if let Some(r) = rest.strip_prefix("asking ") {
        asking = r
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
    } else if !rest.is_empty() {
        return Err(format!(
            "after the outcome expected `doubtful`, `by CITE; …` or `asking FACT, …`, found `{rest}`"
        ));
    }
    let decided = matches!(
        outcome,
        Outcome::Prohibited | Outcome::Permitted | Outcome::Required | Outcome::Conflict
    );
    if decided && cites.is_empty() {
        return Err(format!(
            "`{word}` must say which provisions decide it: `{word} by CITE; CITE`"
        ));
    }
    if outcome == Outcome::Undetermined && asking.is_empty() {
        return Err(
            "`undetermined` must say which facts it asks: `undetermined asking FACT, FACT`".into(),
        );
    }
    Ok(Expected {
        outcome,
        doubtful,
        cites,
        asking,
    })
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case file.
    pub file: String,
    /// The case's position in the file, from 1.
    pub index: usize,
    /// The case's name.
    pub name: String,
    /// Every difference between what was expected and what the engine said.
    pub failures: Vec<String>,
}

impl CaseResult {
    /// Whether the engine answered as expected.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every case of one file against the library.
pub fn run_file(lib: &Library, file: &str, text: &str) -> Vec<CaseResult> {
    let cases = match parse_cases(text) {
        Ok(c) => c,
        Err(e) => {
            return vec![CaseResult {
                file: file.to_owned(),
                index: 0,
                name: "(the file itself)".into(),
                failures: vec![e.to_string()],
            }];
        }
    };
    cases
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| run_case(lib, file, i + 1, c))
        .collect()
}

/// Runs one case.
pub fn run_case(lib: &Library, file: &str, index: usize, case: &Case) -> CaseResult {
    let mut failures = Vec::new();
    let result = |failures| CaseResult {
        file: file.to_owned(),
        index,
        name: case.name.clone(),
        failures,
    };
    let query = match case.scenario.to_query(lib) {
        Ok(q) => q,
        Err(e) => return result(vec![e.to_string()]),
    };
    let decision = lib.decide(&query);
    let ex = lib.explain(&query, &decision);
    let items: Vec<_> = ex.items().collect();
    for item in &items {
        let key = item.key();
        let Some(want) = case.expect.get(&key) else {
            failures.push(format!(
                "{key}: no expectation given (the engine says {})",
                describe(item)
            ));
            continue;
        };
        let want = match parse_expected(want) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("$.expect.{key}: {e}"));
                continue;
            }
        };
        let mut cites: Vec<String> = item.deciding().map(|r| r.cite().to_owned()).collect();
        cites.sort();
        cites.dedup();
        let mut want_cites = want.cites.clone();
        want_cites.sort();
        want_cites.dedup();
        let asking: Vec<String> = item
            .questions()
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        let mut want_asking = want.asking.clone();
        want_asking.sort();
        let mut got_asking = asking.clone();
        got_asking.sort();
        let doubtful = !item.doubts().is_empty();
        let ok = item.outcome() == want.outcome
            && doubtful == want.doubtful
            && (want.outcome == Outcome::Undetermined
                || want.outcome == Outcome::NotAddressed
                || cites == want_cites)
            && (want.outcome != Outcome::Undetermined || got_asking == want_asking);
        if !ok {
            failures.push(format!(
                "{key}: expected {}, the engine says {}",
                case.expect.get(&key).map_or("", String::as_str),
                describe(item)
            ));
        }
    }
    for key in case.expect.keys() {
        if !items.iter().any(|i| i.key() == *key) {
            failures.push(format!("$.expect.{key}: not among the acts asked"));
        }
    }
    let mut got: Vec<String> = ex
        .obligations()
        .iter()
        .filter(|o| o.certain())
        .map(|o| o.id().to_owned())
        .collect();
    got.sort();
    got.dedup();
    let mut want = case.obligations.clone();
    want.sort();
    if got != want {
        failures.push(format!(
            "obligations: expected [{}], the engine triggers [{}]",
            want.join(", "),
            got.join(", ")
        ));
    }
    failures.sort();
    result(failures)
}

/// `prohibited doubtful by 2.129.040(e)` — the same shape as an expectation.
pub fn describe(item: &trustgate_law::ItemView<'_>) -> String {
    let mut s = item.outcome().as_str().to_owned();
    if !item.doubts().is_empty() {
        s.push_str(" doubtful");
    }
    let mut cites: Vec<String> = item.deciding().map(|r| r.cite().to_owned()).collect();
    cites.sort();
    cites.dedup();
    if item.outcome() == Outcome::Undetermined {
        let q: Vec<String> = item
            .questions()
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        s.push_str(&format!(" asking {}", q.join(", ")));
    } else if !cites.is_empty() {
        s.push_str(&format!(" by {}", cites.join("; ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_parse() {
        let e = parse_expected("prohibited doubtful by 2.129.040(e); 2.129.070").unwrap();
        assert_eq!(e.outcome, Outcome::Prohibited);
        assert!(e.doubtful);
        assert_eq!(e.cites, vec!["2.129.040(e)", "2.129.070"]);
        let u = parse_expected("undetermined asking custody, department").unwrap();
        assert_eq!(u.asking, vec!["custody", "department"]);
        assert!(
            parse_expected("prohibited").is_err(),
            "a decided outcome must cite"
        );
        assert!(parse_expected("undetermined").is_err());
        assert!(parse_expected("forbidden by x").is_err());
        assert!(parse_expected("not-addressed").is_ok());
    }

    #[test]
    fn scenario_errors_name_the_path() {
        let s =
            parse_scenario("place: cambridge\ndate: 2026-13-01\nacts: {detain: true}\n").unwrap();
        assert_eq!(s.date, "2026-13-01");
        let e = parse_scenario("place: cambridge\ndate: 2026-01-01\nbogus: 1\n").unwrap_err();
        assert!(e.message.contains("unknown field `bogus`"), "{e}");
        assert!(e.path.contains("line 3"), "{e}");
    }
}
