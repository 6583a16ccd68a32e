//! Scenarios: the facts of a situation, the acts contemplated, a place and a date.
//! Built through [`QueryBuilder`], which refuses unknown names with a suggestion,
//! so a `Query` only ever holds values the schema knows.

use crate::date::Date;
use crate::diag::did_you_mean;
use crate::model::{FactType, MAX_FACTS, Schema};

/// Fact values, packed: an enumeration value's index, a set's bit mask, or 0/1.
#[derive(Clone, Debug)]
pub(crate) struct Facts {
    pub(crate) vals: [u64; MAX_FACTS],
    /// Bit `f` set when fact `f` is known.
    pub(crate) known: u128,
}

impl Facts {
    pub(crate) fn unknown() -> Facts {
        Facts {
            vals: [0; MAX_FACTS],
            known: 0,
        }
    }

    pub(crate) fn set_raw(&mut self, f: usize, v: u64) {
        if let Some(slot) = self.vals.get_mut(f) {
            *slot = v;
            self.known |= 1u128 << f;
        }
    }
}

/// A question put to the engine; see [`crate::Library::query`].
#[derive(Clone, Debug)]
pub struct Query {
    /// The id of the [`crate::Library`] that built it; any other refuses it.
    pub(crate) library: u64,
    pub(crate) place: usize,
    pub(crate) date: Date,
    pub(crate) facts: Facts,
    /// (act, field or `u8::MAX` for an act decided as a whole), in the order asked.
    pub(crate) asks: Vec<(u8, u8)>,
    pub(crate) asks_mask: u64,
    /// Facts left out that took the schema's `assume:` value.
    pub(crate) assumed: u128,
}

impl Query {
    /// The date the question is asked for.
    pub fn date(&self) -> Date {
        self.date
    }
}

/// One fact's value as given by a caller.
#[derive(Debug, Clone, Copy)]
pub enum FactValue<'a> {
    /// For yes/no facts.
    Bool(bool),
    /// For enumeration facts: one value's name.
    One(&'a str),
    /// For set facts: the values present (possibly none).
    Set(&'a [&'a str]),
}

/// Why a scenario was refused. Each names what was wrong and, where it can, the
/// closest known name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// No place of that name.
    #[error("unknown place `{name}`{}", hint(.suggestion))]
    UnknownPlace {
        name: String,
        suggestion: Option<String>,
    },
    /// No fact of that name in the schema.
    #[error("unknown fact `{name}`{}", hint(.suggestion))]
    UnknownFact {
        name: String,
        suggestion: Option<String>,
    },
    /// The value is not one the fact's type allows.
    #[error("`{value}` is not a value of `{fact}`{}", hint(.suggestion))]
    UnknownValue {
        fact: String,
        value: String,
        suggestion: Option<String>,
    },
    /// A value of the wrong shape, such as a list for a yes/no fact.
    #[error("`{fact}` takes {expected}")]
    WrongType { fact: String, expected: String },
    /// No act of that name.
    #[error("unknown act `{name}`{}", hint(.suggestion))]
    UnknownAct {
        name: String,
        suggestion: Option<String>,
    },
    /// No data field of that name.
    #[error("unknown field `{name}`{}", hint(.suggestion))]
    UnknownField {
        name: String,
        suggestion: Option<String>,
    },
    /// Fields were given for an act that is decided as a whole.
    #[error("`{act}` is decided as a whole; give `true`, not a list of fields")]
    FieldsNotApplicable { act: String },
    /// A per-field act was asked without fields.
    #[error("`{act}` is decided field by field; list the fields asked for")]
    FieldsNeeded { act: String },
    /// A what-if names a law that is not a proposal in the packs.
    #[error("`{name}` is not a proposal in the packs{}", hint(.suggestion))]
    UnknownProposal {
        name: String,
        suggestion: Option<String>,
    },
    /// The proposals, taken as enacted, do not make a law the engine can
    /// compile (two versions of one law in force on one day, say).
    #[error("{laws} cannot be taken as enacted: {reason}")]
    NotEnactable { laws: String, reason: String },
}

fn hint(s: &Option<String>) -> String {
    s.as_ref().map(|s| format!("; {s}")).unwrap_or_default()
}

/// Builds a [`Query`] from names, checking each against the schema.
#[derive(Debug)]
pub struct QueryBuilder<'l> {
    pub(crate) schema: &'l Schema,
    pub(crate) query: Query,
}

impl QueryBuilder<'_> {
    /// Sets one fact. Facts never set stay unknown, and the engine says when they matter.
    pub fn fact(&mut self, name: &str, value: FactValue<'_>) -> Result<(), ScenarioError> {
        let schema = self.schema;
        let Some(f) = schema.fact(name) else {
            return Err(ScenarioError::UnknownFact {
                name: name.to_owned(),
                suggestion: did_you_mean(name, schema.facts.iter().map(|f| f.name.as_str())),
            });
        };
        let ty = schema.facts.get(f).map(|f| f.ty).unwrap_or(FactType::Bool);
        let value_of = |e: usize, v: &str| -> Result<u64, ScenarioError> {
            schema
                .value(e, v)
                .map(|i| i as u64)
                .ok_or_else(|| ScenarioError::UnknownValue {
                    fact: name.to_owned(),
                    value: v.to_owned(),
                    suggestion: schema
                        .enums
                        .get(e)
                        .and_then(|en| did_you_mean(v, en.values.iter().map(|(n, _)| n.as_str()))),
                })
        };
        let wrong = |expected: String| ScenarioError::WrongType {
            fact: name.to_owned(),
            expected,
        };
        let enum_name = |e: usize| schema.enums.get(e).map_or("?", |e| e.name.as_str());
        let v = match (ty, value) {
            (FactType::Bool, FactValue::Bool(b)) => u64::from(b),
            (FactType::Bool, _) => return Err(wrong("yes or no: `true` or `false`".into())),
            (FactType::Enum(e), FactValue::One(v)) => value_of(e, v)?,
            (FactType::Enum(e), _) => {
                return Err(wrong(format!("one value of `{}`", enum_name(e))));
            }
            (FactType::Set(e), FactValue::Set(vs)) => {
                let mut m = 0u64;
                for v in vs {
                    m |= 1 << value_of(e, v)?;
                }
                m
            }
            (FactType::Set(e), _) => {
                return Err(wrong(format!("a list of values of `{}`", enum_name(e))));
            }
        };
        self.query.facts.set_raw(f, v);
        Ok(())
    }

    /// Asks about an act decided as a whole.
    pub fn ask(&mut self, act: &str) -> Result<(), ScenarioError> {
        let a = self.act(act)?;
        if self.schema.acts.get(a).is_some_and(|d| d.per_field) {
            return Err(ScenarioError::FieldsNeeded {
                act: act.to_owned(),
            });
        }
        self.push(a, u8::MAX);
        Ok(())
    }

    /// Asks about an act decided per field (a disclosure), for these fields.
    pub fn ask_fields(&mut self, act: &str, fields: &[&str]) -> Result<(), ScenarioError> {
        let a = self.act(act)?;
        if !self.schema.acts.get(a).is_some_and(|d| d.per_field) {
            return Err(ScenarioError::FieldsNotApplicable {
                act: act.to_owned(),
            });
        }
        if fields.is_empty() {
            return Err(ScenarioError::FieldsNeeded {
                act: act.to_owned(),
            });
        }
        let fe = self.schema.field_enum.unwrap_or(0);
        let mut chosen = Vec::with_capacity(fields.len());
        for f in fields {
            match self.schema.value(fe, f) {
                Some(i) => chosen.push(u8::try_from(i).unwrap_or(u8::MAX)),
                None => {
                    return Err(ScenarioError::UnknownField {
                        name: (*f).to_owned(),
                        suggestion: self.schema.enums.get(fe).and_then(|e| {
                            did_you_mean(f, e.values.iter().map(|(n, _)| n.as_str()))
                        }),
                    });
                }
            }
        }
        for f in chosen {
            self.push(a, f);
        }
        Ok(())
    }

    fn act(&self, act: &str) -> Result<usize, ScenarioError> {
        self.schema
            .act(act)
            .ok_or_else(|| ScenarioError::UnknownAct {
                name: act.to_owned(),
                suggestion: did_you_mean(act, self.schema.acts.iter().map(|a| a.name.as_str())),
            })
    }

    fn push(&mut self, a: usize, field: u8) {
        let key = (u8::try_from(a).unwrap_or(u8::MAX), field);
        if !self.query.asks.contains(&key) {
            self.query.asks.push(key);
        }
        self.query.asks_mask |= 1 << a;
    }

    /// The finished query: facts left out that the schema says to assume
    /// (`assume:`) take that value, and the answer says so.
    pub fn build(mut self) -> Query {
        for (f, def) in self.schema.facts.iter().enumerate() {
            if let Some(v) = def.assume
                && self.query.facts.known & (1u128 << f) == 0
            {
                self.query.facts.set_raw(f, u64::from(v));
                self.query.assumed |= 1u128 << f;
            }
        }
        self.query
    }
}
