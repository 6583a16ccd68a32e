//! The scenario: what a caller asks. Parsed at the boundary; every name is then
//! checked against the schema, and every problem is reported at its JSON path.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use trustgate_law::{Date, FactValue, Library, Query, ScenarioError};
use utoipa::ToSchema;

/// A question for the engine, as written by a person or a program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "place": "cambridge",
    "date": "2026-03-01",
    "facts": {"requester": "ice-ero", "department": "police", "custody": "in-police-custody", "documents": ["notification-request"]},
    "acts": {"disclose": ["release-date", "immigration-status"]}
}))]
pub struct Scenario {
    /// A place name (`cambridge`).
    pub place: String,
    /// `YYYY-MM-DD`: the day the situation happens.
    pub date: String,
    /// Known facts; anything left out is unknown.
    #[serde(default)]
    pub facts: BTreeMap<String, FactInput>,
    /// Acts contemplated: `true`, or for a disclosure the list of fields.
    #[serde(default)]
    pub acts: BTreeMap<String, ActInput>,
}

/// A fact's value: yes/no, one value, or a list of values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum FactInput {
    /// For yes/no facts.
    Bool(bool),
    /// For enumeration facts.
    One(String),
    /// For set facts.
    Set(Vec<String>),
}

// Hand-written rather than `#[serde(untagged)]`: one pass with no buffering,
// and an error that says what is expected.
impl<'de> Deserialize<'de> for FactInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FactInput, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FactInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false, one value, or a list of values")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<FactInput, E> {
                Ok(FactInput::Bool(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FactInput, E> {
                Ok(FactInput::One(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<FactInput, E> {
                Ok(FactInput::One(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FactInput, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(2).min(64));
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(FactInput::Set(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// An act asked about: `true`, or the fields of a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ActInput {
    /// Decide the act as a whole (`false` leaves it out).
    Whole(bool),
    /// Decide a disclosure for these fields.
    Fields(Vec<String>),
}

impl<'de> Deserialize<'de> for ActInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ActInput, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ActInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false, or a list of fields")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ActInput, E> {
                Ok(ActInput::Whole(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ActInput, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(ActInput::Fields(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A problem with a scenario, at a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Where, as a JSON path such as `$.facts.requester`.
    pub path: String,
    /// What.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for InputError {}

fn at(path: String, e: impl fmt::Display) -> InputError {
    InputError {
        path,
        message: e.to_string(),
    }
}

impl Scenario {
    /// Turns the scenario into a query, checking every name against the schema.
    pub fn to_query(&self, lib: &Library) -> Result<Query, InputError> {
        let date = Date::parse(&self.date)
            .map_err(|e| at("$.date".into(), format!("{e}, found `{}`", self.date)))?;
        let mut b = lib
            .query(&self.place, date)
            .map_err(|e| at("$.place".into(), e))?;
        for (name, v) in &self.facts {
            let path = format!("$.facts.{name}");
            let set: Vec<&str>;
            let value = match v {
                FactInput::Bool(x) => FactValue::Bool(*x),
                FactInput::One(s) => FactValue::One(s),
                FactInput::Set(vs) => {
                    set = vs.iter().map(String::as_str).collect();
                    FactValue::Set(&set)
                }
            };
            b.fact(name, value)
                .map_err(|e| at(value_path(&path, &e, v), e))?;
        }
        for (name, a) in &self.acts {
            let path = format!("$.acts.{name}");
            match a {
                ActInput::Whole(false) => {}
                ActInput::Whole(true) => b.ask(name).map_err(|e| at(path, e))?,
                ActInput::Fields(fs) => {
                    let fields: Vec<&str> = fs.iter().map(String::as_str).collect();
                    b.ask_fields(name, &fields).map_err(|e| {
                        let p = match &e {
                            ScenarioError::UnknownField { name: bad, .. } => fs
                                .iter()
                                .position(|f| f == bad)
                                .map_or(path.clone(), |i| format!("{path}[{i}]")),
                            _ => path.clone(),
                        };
                        at(p, e)
                    })?;
                }
            }
        }
        if self
            .acts
            .values()
            .all(|a| matches!(a, ActInput::Whole(false)))
        {
            return Err(at(
                "$.acts".into(),
                "no act asked: name at least one act, such as `detain: true` or `disclose: [release-date]`",
            ));
        }
        Ok(b.build())
    }
}

fn value_path(path: &str, e: &ScenarioError, v: &FactInput) -> String {
    match (e, v) {
        (ScenarioError::UnknownValue { value, .. }, FactInput::Set(vs)) => vs
            .iter()
            .position(|x| x == value)
            .map_or(path.to_owned(), |i| format!("{path}[{i}]")),
        _ => path.to_owned(),
    }
}

/// Parses a scenario from JSON, naming the JSON path of any problem.
pub fn scenario_from_json(bytes: &[u8]) -> Result<Scenario, InputError> {
    from_json(
        bytes,
        "a scenario is a JSON object: {\"place\": …, \"date\": …, \"facts\": {…}, \"acts\": {…}}",
    )
}

/// Parses a JSON object of type `T`, naming the JSON path of any problem;
/// `shape` is the message for a body that is not an object at all.
pub fn from_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    shape: &str,
) -> Result<T, InputError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        return Err(InputError {
            path: "$".into(),
            message: shape.to_owned(),
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        let message = if inner.is_syntax() || inner.is_eof() {
            format!(
                "malformed JSON at line {}, column {}: {}",
                inner.line(),
                inner.column(),
                plain(&inner.to_string())
            )
        } else {
            plain(&inner.to_string())
        };
        InputError { path, message }
    })
}

impl InputError {
    /// The same error, for a value nested at `prefix` (`$.scenario`).
    pub fn within(self, prefix: &str) -> InputError {
        InputError {
            path: format!(
                "{prefix}{}",
                self.path.strip_prefix('$').unwrap_or(&self.path)
            ),
            message: self.message,
        }
    }
}

/// A serde path (`facts.documents[1]`) as a JSON path (`$.facts.documents[1]`);
/// `.` (the root) and `?` (a place the parser never reached, as at a premature
/// end) are dropped.
pub fn json_path(p: &str) -> String {
    let mut out = String::from("$");
    for seg in p.split('.').filter(|s| !s.is_empty() && *s != "?") {
        if !seg.starts_with('[') {
            out.push('.');
        }
        out.push_str(seg);
    }
    out
}

/// A parser's message without its position (the path says where).
pub fn plain(msg: &str) -> String {
    msg.split(" at line ").next().unwrap_or(msg).to_owned()
}
