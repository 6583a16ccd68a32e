//! A place's configuration as data: what a city's records may say, kept
//! with its law packs (`packs/<jurisdiction>/place.toml`) rather than in
//! Rust.
//!
//! Today it holds the place's receiving units: the closed list a record's
//! receiving unit comes from, and so the only unit names a public report
//! can show (2.129.060 (a) counts contacts "by receiving unit"; a name a
//! person typed must never reach a published report). It is the home for
//! the rest of a place's specifics (offices, record kinds, channels, time
//! zone, languages) as they move out of Rust.
//!
//! Errors say `file:line:column`, like the packs'.

use std::fmt;

/// The longest unit or place name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest id (of a place or a unit), in characters.
pub const MAX_ID: usize = 64;

/// A place, as its `place.toml` configures it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file it was read from, for errors found later.
    file: String,
    id: String,
    name: String,
    units: Vec<Unit>,
    questions: Vec<Question>,
}

/// A question residents ask ("can the police tell ICE my address?"), as a
/// scenario the public pages put to the engine under the law of the day, so
/// the answer is the engine's, with its citations. Its words are the
/// place's message `question-<id>`, in every language it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `[a-z0-9-]`, unique within the place.
    pub id: String,
    /// The facts, as a scenario names them.
    pub facts: Vec<(String, FactAnswer)>,
    /// The one act asked, and its fields for a per-field act.
    pub act: (String, Option<Vec<String>>),
    /// Where it is in the file: (line, column), for errors found later
    /// (a fact the law does not know).
    pub at: (usize, usize),
}

impl Question {
    /// The question as a query for the engine, at `place` on `date`: its
    /// facts and its one act, each checked against the law's schema.
    pub fn query(
        &self,
        lib: &trustgate_law::Library,
        place: &str,
        date: trustgate_law::Date,
    ) -> Result<trustgate_law::Query, trustgate_law::ScenarioError> {
        use trustgate_law::FactValue;
        let mut b = lib.query(place, date)?;
        for (name, value) in &self.facts {
            match value {
                FactAnswer::Bool(v) => b.fact(name, FactValue::Bool(*v))?,
                FactAnswer::One(v) => b.fact(name, FactValue::One(v))?,
                FactAnswer::Set(vs) => {
                    let vs: Vec<&str> = vs.iter().map(String::as_str).collect();
                    b.fact(name, FactValue::Set(&vs))?;
                }
            }
        }
        match &self.act {
            (act, None) => b.ask(act)?,
            (act, Some(fields)) => {
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                b.ask_fields(act, &fields)?;
            }
        }
        Ok(b.build())
    }
}

/// A fact's value in a question: yes/no, one value, or a set of values.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum FactAnswer {
    /// A yes/no fact.
    Bool(bool),
    /// An enumeration's value.
    One(String),
    /// A set fact's values.
    Set(Vec<String>),
}

/// A unit that receives federal contacts (a district station, the booking
/// desk, a school's enrolment office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// What records store and reports print: `[a-z0-9-]`, unique.
    pub id: String,
    /// What people read.
    pub name: String,
}

/// Why a `place.toml` was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PlaceError {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceFile {
    id: toml::Spanned<String>,
    name: toml::Spanned<String>,
    units: toml::Spanned<Vec<UnitFile>>,
    #[serde(default)]
    questions: Vec<toml::Spanned<QuestionFile>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: toml::Spanned<String>,
    #[serde(default)]
    facts: std::collections::BTreeMap<String, FactAnswer>,
    acts: toml::Spanned<std::collections::BTreeMap<String, ActFile>>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ActFile {
    Whole(bool),
    Fields(Vec<String>),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    id: toml::Spanned<String>,
    name: toml::Spanned<String>,
}

impl Place {
    /// Reads a place's configuration; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Place, PlaceError> {
        let at = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            PlaceError {
                file: file.to_owned(),
                line,
                column,
                message,
            }
        };
        let raw: PlaceFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            at(offset, e.message().trim_end().to_owned())
        })?;
        let id_rule = |v: &toml::Spanned<String>, what: &str| {
            let ok = !v.get_ref().is_empty()
                && v.get_ref().chars().count() <= MAX_ID
                && v.get_ref()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if ok {
                Ok(v.get_ref().clone())
            } else {
                Err(at(
                    v.span().start,
                    format!(
                        "{what} `{}` must be 1 to {MAX_ID} of a-z, 0-9 and `-`",
                        v.get_ref()
                    ),
                ))
            }
        };
        let name_rule = |v: &toml::Spanned<String>| {
            let s = v.get_ref();
            if s.trim().is_empty()
                || s.chars().count() > MAX_NAME
                || s.chars().any(char::is_control)
            {
                Err(at(
                    v.span().start,
                    format!("a name is 1 to {MAX_NAME} characters on one line, not blank"),
                ))
            } else {
                Ok(s.clone())
            }
        };
        let mut units: Vec<Unit> = Vec::new();
        for u in raw.units.get_ref() {
            let id = id_rule(&u.id, "a unit's id")?;
            if units.iter().any(|seen| seen.id == id) {
                return Err(at(
                    u.id.span().start,
                    format!("the unit `{id}` is listed twice"),
                ));
            }
            units.push(Unit {
                id,
                name: name_rule(&u.name)?,
            });
        }
        if units.is_empty() {
            return Err(at(
                raw.units.span().start,
                "a place lists at least one receiving unit ([[units]])".to_owned(),
            ));
        }
        let mut questions: Vec<Question> = Vec::new();
        for q in &raw.questions {
            let id = id_rule(&q.get_ref().id, "a question's id")?;
            if questions.iter().any(|seen| seen.id == id) {
                return Err(at(
                    q.get_ref().id.span().start,
                    format!("the question `{id}` is listed twice"),
                ));
            }
            let acts = &q.get_ref().acts;
            let act = match acts.get_ref().iter().collect::<Vec<_>>().as_slice() {
                [(name, ActFile::Whole(true))] => ((*name).clone(), None),
                [(name, ActFile::Fields(fields))] if fields.len() == 1 => {
                    ((*name).clone(), Some(fields.clone()))
                }
                _ => {
                    return Err(at(
                        acts.span().start,
                        "a question asks about one act (`act = true`, or one field: `disclose = [\"home-address\"]`)"
                            .to_owned(),
                    ));
                }
            };
            questions.push(Question {
                id,
                facts: q
                    .get_ref()
                    .facts
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                act,
                at: line_column(text, q.span().start),
            });
        }
        Ok(Place {
            file: file.to_owned(),
            id: id_rule(&raw.id, "the place's id")?,
            name: name_rule(&raw.name)?,
            units,
            questions,
        })
    }

    /// The place's id, as scenarios name it (`"place": "<id>"`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Its name, as people read it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its receiving units, in the file's order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The questions its residents ask, in the file's order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The unit with this id, if the place has it.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// Why `id` is not one of the place's units: its ids, and the nearest
    /// to what was given.
    pub fn not_a_unit(&self, id: &str) -> String {
        let ids: Vec<&str> = self.units.iter().map(|u| u.id.as_str()).collect();
        format!(
            "`{}` is not one of {}'s receiving units (one of: {})",
            id.chars().take(MAX_ID).collect::<String>(),
            self.name,
            ids.join(", ")
        )
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id = \"somewhere\"\nname = \"Town of Somewhere\"\n\n[[units]]\nid = \"front-desk\"\nname = \"Front desk\"\n\n[[units]]\nid = \"booking\"\nname = \"Booking\"\n";

    #[test]
    fn reads_a_place_and_its_units_in_order() {
        let p = Place::parse("place.toml", GOOD).unwrap();
        assert_eq!((p.id(), p.name()), ("somewhere", "Town of Somewhere"));
        let ids: Vec<&str> = p.units().iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["front-desk", "booking"]);
        assert_eq!(p.unit("booking").map(|u| u.name.as_str()), Some("Booking"));
        assert!(p.unit("Booking").is_none());
        assert!(
            p.not_a_unit("jane doe")
                .contains("one of: front-desk, booking")
        );
        assert!(p.questions().is_empty());
        let with = format!(
            "{GOOD}\n[[questions]]\nid = \"address\"\nfacts = {{ requester = \"ice-ero\", arrested = true, documents = [] }}\nacts = {{ disclose = [\"home-address\"] }}\n"
        );
        let p = Place::parse("place.toml", &with).unwrap();
        let q = &p.questions()[0];
        assert_eq!(q.id, "address");
        assert_eq!(
            q.act,
            ("disclose".to_owned(), Some(vec!["home-address".to_owned()]))
        );
        assert_eq!(
            q.facts,
            [
                ("arrested".to_owned(), FactAnswer::Bool(true)),
                ("documents".to_owned(), FactAnswer::Set(vec![])),
                (
                    "requester".to_owned(),
                    FactAnswer::One("ice-ero".to_owned())
                ),
            ]
        );
        assert_eq!(q.at, (12, 1));
    }

    fn error(text: &str) -> String {
        Place::parse("p/place.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn errors_say_file_line_and_column() {
        let e = error(&GOOD.replace("id = \"booking\"", "id = \"Booking Desk\""));
        assert!(
            e.starts_with("p/place.toml:9:6: a unit's id `Booking Desk`"),
            "{e}"
        );
        let e = error(&GOOD.replace("id = \"booking\"", "id = \"front-desk\""));
        assert!(
            e.starts_with("p/place.toml:9:6: the unit `front-desk` is listed twice"),
            "{e}"
        );
        let e = error(&GOOD.replace("name = \"Booking\"", "nmae = \"Booking\""));
        assert!(e.starts_with("p/place.toml:10:1: "), "{e}");
        assert!(e.contains("nmae"), "{e}");
        let e = error(&GOOD.replace("name = \"Booking\"", "name = \"Book\\u0007ing\""));
        assert!(e.starts_with("p/place.toml:10:8: a name is"), "{e}");
        let e = error("id = \"x\"\nname = \"X\"\nunits = []\n");
        assert!(
            e.starts_with("p/place.toml:3:9: a place lists at least one"),
            "{e}"
        );
        let question =
            "\n[[questions]]\nid = \"q\"\nacts = { detain = true, transfer-to-ice = true }\n";
        let e = error(&format!("{GOOD}{question}"));
        assert!(
            e.starts_with("p/place.toml:14:8: a question asks about one act"),
            "{e}"
        );
        let e = error("id = \n");
        assert!(e.starts_with("p/place.toml:1:"), "{e}");
    }
}
