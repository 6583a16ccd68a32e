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
    id: String,
    name: String,
    units: Vec<Unit>,
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
        Ok(Place {
            id: id_rule(&raw.id, "the place's id")?,
            name: name_rule(&raw.name)?,
            units,
        })
    }

    /// The place's id, as scenarios name it (`"place": "<id>"`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its name, as people read it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its receiving units, in the file's order.
    pub fn units(&self) -> &[Unit] {
        &self.units
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
        let e = error("id = \n");
        assert!(e.starts_with("p/place.toml:1:"), "{e}");
    }
}
