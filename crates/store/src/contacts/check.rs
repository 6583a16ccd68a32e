//! The checks a contact passes before it is recorded, and what the store
//! computes from its decision: compliance exceptions, routing, obligations.

use std::collections::BTreeSet;

use trustgate_place::Place;

use super::{NewContact, Office, Person};
use crate::{StoreError, db, limits, text};

/// A contact that passed validation, with what the store computed from it.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) contact: NewContact,
    pub(crate) acts_done_json: String,
    pub(crate) prohibited: Vec<String>,
    pub(crate) routed_to: Office,
    pub(crate) obligations: Vec<DecisionObligation>,
}

#[derive(serde::Deserialize)]
struct DecisionJson {
    items: Vec<DecisionItem>,
    #[serde(default)]
    obligations: Vec<DecisionObligation>,
}

#[derive(serde::Deserialize)]
struct DecisionItem {
    key: String,
    outcome: String,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct DecisionObligation {
    pub(crate) id: String,
    pub(crate) law: String,
    /// Its pinpoint citation (`2.129.060(a)`).
    #[serde(default)]
    pub(crate) cite: String,
    pub(crate) duty: String,
    pub(crate) due: Option<String>,
    #[serde(default = "yes")]
    pub(crate) certain: bool,
}

fn yes() -> bool {
    true
}

#[derive(serde::Deserialize)]
struct ScenarioDepartment {
    #[serde(default)]
    facts: Option<DepartmentFact>,
}

#[derive(serde::Deserialize)]
struct DepartmentFact {
    #[serde(default)]
    department: Option<serde_json::Value>,
}

/// The office that handles an exception, from the scenario's `department`.
fn office_for(scenario: &str) -> Office {
    let department = serde_json::from_str::<ScenarioDepartment>(scenario)
        .ok()
        .and_then(|s| s.facts)
        .and_then(|f| f.department);
    match department.as_ref().and_then(|d| d.as_str()) {
        Some("police") => Office::ProfessionalStandards,
        Some("school") => Office::Superintendent,
        _ => Office::CityManager,
    }
}

/// Validates a contact and computes its compliance exceptions (the acts done
/// whose item in the decision has outcome `prohibited`, matched by exact
/// key), their office, and the obligations triggered for certain.
pub(crate) fn check(mut contact: NewContact, place: &Place) -> Result<Checked, StoreError> {
    contact.receiving_unit = text::line(
        "receiving_unit",
        contact.receiving_unit,
        limits::RECEIVING_UNIT,
    )?;
    if place.unit(&contact.receiving_unit).is_none() {
        return Err(StoreError::Field {
            field: "receiving_unit",
            message: place.not_a_unit(&contact.receiving_unit),
        });
    }
    serde_json::from_str::<serde::de::IgnoredAny>(&contact.scenario)
        .map_err(|e| StoreError::Invalid(format!("the scenario is not JSON: {e}")))?;
    let decision: DecisionJson = serde_json::from_str(&contact.decision).map_err(|e| {
        StoreError::Invalid(format!(
            "the decision is not a decision's JSON (items[].key, items[].outcome): {e}"
        ))
    })?;
    let mut done = BTreeSet::new();
    for act in &contact.acts_done {
        text::line("acts_done", act.clone(), 200)?;
        if !done.insert(act.as_str()) {
            return Err(StoreError::Invalid(format!(
                "the act `{act}` is listed as done twice"
            )));
        }
    }
    let prohibited: BTreeSet<&str> = decision
        .items
        .iter()
        .filter(|i| i.outcome == "prohibited" && done.contains(i.key.as_str()))
        .map(|i| i.key.as_str())
        .collect();
    let prohibited = prohibited.into_iter().map(str::to_owned).collect();
    if let Some(p) = contact.person.take() {
        contact.person = Some(check_person(p)?);
    }
    if let Some(d) = contact.done_by.take() {
        contact.done_by = Some(text::line("done_by", d, limits::DONE_BY)?);
    }
    if let Some(why) = contact.late_entry.take() {
        contact.late_entry = Some(text::block("late_entry", why, limits::LATE_ENTRY, false)?);
    }
    if let Some(key) = &contact.withheld
        && trustgate_report::withholding_ground(key).is_none()
    {
        let keys: Vec<&str> = trustgate_report::WITHHOLDING_GROUNDS
            .iter()
            .map(|(k, _)| *k)
            .collect();
        return Err(StoreError::Field {
            field: "withheld",
            message: format!("`{key}` is not a ground (one of: {})", keys.join(", ")),
        });
    }
    let acts_done_json = serde_json::to_string(&contact.acts_done).map_err(db)?;
    let routed_to = office_for(&contact.scenario);
    let obligations: Vec<DecisionObligation> = decision
        .obligations
        .into_iter()
        .filter(|o| o.certain)
        .collect();
    if let Some(unknown) = contact
        .obligations_due
        .keys()
        .find(|k| !obligations.iter().any(|o| &o.id == *k))
    {
        let opened: Vec<&str> = obligations.iter().map(|o| o.id.as_str()).collect();
        return Err(StoreError::Field {
            field: "obligations_due",
            message: format!(
                "`{unknown}` is not an obligation this decision opens (it opens: {})",
                opened.join(", ")
            ),
        });
    }
    Ok(Checked {
        contact,
        acts_done_json,
        prohibited,
        routed_to,
        obligations,
    })
}

fn check_person(p: Person) -> Result<Person, StoreError> {
    let field = |field: &'static str, value: Option<String>, max: usize| {
        value.map(|v| text::line(field, v, max)).transpose()
    };
    if let Some(d) = &p.date_of_birth
        && !is_date(d)
    {
        return Err(StoreError::Field {
            field: "person.date_of_birth",
            message: format!("`{d}` is not a date (YYYY-MM-DD)"),
        });
    }
    Ok(Person {
        name: field("person.name", p.name, limits::PERSON_NAME)?,
        address: field("person.address", p.address, limits::PERSON_ADDRESS)?,
        ..p
    })
}

/// Whether `s` is a day of the calendar, `YYYY-MM-DD` (years 1000 to 9999):
/// the law library's one civil-date algorithm decides, so 2026-02-31 is
/// refused here as everywhere.
pub(crate) fn is_date(s: &str) -> bool {
    trustgate_law::Date::parse(s).is_ok()
}

pub(crate) fn acts_from_json(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("stored acts done: {e}")))
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn only_days_of_the_calendar_are_dates() {
        for ok in ["2026-02-28", "2024-02-29", "2026-12-31", "1990-04-12"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-02-31",
            "2025-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "12/04/1990",
            "2026-1-01",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
