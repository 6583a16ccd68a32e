//! The checks a contact passes before it is kept: what the store can keep
//! (lengths, the place's receiving units, the withholding grounds, a late
//! entry's reason). What follows from its decision was derived by
//! [`trustgate_records::Intake`]; nothing here reads the decision.

use std::collections::BTreeSet;

use trustgate_place::Place;
use trustgate_records::{Intake, Office, Opened};

use super::{NewContact, Person};
use crate::{StoreError, db, limits, text};

/// A contact that passed validation, with what intake derived from it.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) contact: NewContact,
    pub(crate) scenario: trustgate_records::Scenario,
    pub(crate) acts_done_json: String,
    pub(crate) prohibited: Vec<String>,
    pub(crate) routed_to: Office,
    pub(crate) obligations: Vec<Opened>,
}

/// Validates a contact taken in for what the store can keep.
pub(crate) fn check(intake: Intake, place: &Place) -> Result<Checked, StoreError> {
    let prohibited = intake.prohibited().to_vec();
    let routed_to = intake.routed_to();
    let obligations = intake.opened().to_vec();
    let scenario = intake.scenario().clone();
    let mut contact = intake.into_contact();
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
    let mut done = BTreeSet::new();
    for act in &contact.acts_done {
        text::line("acts_done", act.clone(), 200)?;
        if !done.insert(act.as_str()) {
            return Err(StoreError::Invalid(format!(
                "the act `{act}` is listed as done twice"
            )));
        }
    }
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
    Ok(Checked {
        contact,
        scenario,
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
