//! What a scenario may say: places, facts with their values, acts. Served so a
//! form or an integration can be built without reading the packs.

use schemars::JsonSchema;
use serde::Serialize;
use trustgate_law::Library;
use utoipa::ToSchema;

use crate::decision::kind;

/// The vocabulary of scenarios.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Catalogue {
    pub places: Vec<PlaceEntry>,
    pub facts: Vec<FactEntry>,
    pub acts: Vec<ActEntry>,
}

/// A place.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct PlaceEntry {
    pub place: String,
    pub title: String,
    pub jurisdiction: String,
    pub note: Option<String>,
}

/// A fact and the answers it takes.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct FactEntry {
    pub fact: String,
    /// The question to ask to learn it.
    pub ask: String,
    /// yes/no, one of, any of.
    pub kind: String,
    pub values: Vec<ValueEntry>,
}

/// One value of an enumeration.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct ValueEntry {
    pub value: String,
    pub means: String,
}

/// An act that can be asked about.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct ActEntry {
    pub act: String,
    /// Decided field by field (give a list of fields).
    pub per_field: bool,
    pub means: String,
}

impl Catalogue {
    /// The library's vocabulary.
    pub fn of(lib: &Library) -> Catalogue {
        Catalogue {
            places: lib
                .places()
                .map(|p| PlaceEntry {
                    place: p.name().into(),
                    title: p.title().into(),
                    jurisdiction: p.jurisdiction().into(),
                    note: p.note().map(Into::into),
                })
                .collect(),
            facts: lib
                .facts()
                .map(|f| FactEntry {
                    fact: f.name().into(),
                    ask: f.ask().into(),
                    kind: kind(f.kind()).into(),
                    values: f
                        .values()
                        .iter()
                        .map(|(v, m)| ValueEntry {
                            value: (*v).into(),
                            means: (*m).into(),
                        })
                        .collect(),
                })
                .collect(),
            acts: lib
                .acts()
                .map(|a| ActEntry {
                    act: a.name().into(),
                    per_field: a.per_field(),
                    means: a.means().into(),
                })
                .collect(),
        }
    }
}
