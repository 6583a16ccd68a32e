//! Complaints: an allegation that someone broke the place's trust law
//! (Cambridge 2.129.050), filed by anyone, with or without an account.
//!
//! The use cases' inputs and checks live here: what a filing holds and how
//! each field is bounded ([`Filing::new`], every error at its JSON path);
//! which offices the law sends it to, decided by the engine on the filing
//! date as obligations (`complaint-against`, each duty with its `office:`),
//! so the routing is the law's words, not code; the status lifecycle
//! ([`StatusChange`]); and the tracking code ([`crate::TrackingCode`]).
//! The store keeps what a [`Filing`] holds and interprets none of it.

use trustgate_access::named;
use trustgate_api::InputError;
use trustgate_law::{Date, FactValue, Library};

use crate::intake::Opened;

/// How long each field may be, in characters (the store checks the same).
pub mod limits {
    /// What happened.
    pub const WHAT: usize = 10_000;
    /// Where it happened.
    pub const WHERE: usize = 500;
    /// The complainant's name.
    pub const NAME: usize = 200;
    /// The complainant's e-mail address (RFC 5321's limit).
    pub const EMAIL: usize = 254;
    /// The complainant's telephone number.
    pub const PHONE: usize = 40;
    /// A notice to the complainant with a change of status.
    pub const NOTICE: usize = 2000;
    /// An internal note.
    pub const NOTE: usize = 4000;
}

named! { "status of a complaint",
    /// Where a complaint stands. It moves only forward: received, under
    /// investigation, closed (with a disposition).
    ComplaintStatus {
        /// Filed; no one is investigating it yet.
        Received = "received",
        /// An office is investigating it.
        UnderInvestigation = "under-investigation",
        /// Investigated and decided; its disposition says how.
        Closed = "closed",
    }
}

named! { "disposition",
    /// How an investigation ended (the usual findings of a police
    /// oversight body).
    Disposition {
        /// The allegation is supported by the evidence, and it was misconduct.
        Sustained = "sustained",
        /// The evidence does not show whether it happened.
        NotSustained = "not-sustained",
        /// It happened, and was lawful and proper.
        Exonerated = "exonerated",
        /// It did not happen, or the employee was not involved.
        Unfounded = "unfounded",
        /// It happened as policy requires, and the policy is at fault.
        PolicyFailure = "policy-failure",
    }
}

impl ComplaintStatus {
    /// Whether the complaint is still open (not closed).
    pub fn is_open(self) -> bool {
        self != ComplaintStatus::Closed
    }
}

/// Why a complaint, or a change to one, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintError {
    /// A field is refused (`path` says which).
    #[error("{0}")]
    Invalid(InputError),
    /// The status cannot move this way.
    #[error("a complaint that is {from} cannot become {to}: {why}")]
    Transition {
        from: ComplaintStatus,
        to: ComplaintStatus,
        why: &'static str,
    },
    /// The engine could not answer (a broken invariant): a defect of this
    /// program; nothing is kept.
    #[error("{0}")]
    Engine(String),
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> ComplaintError {
    ComplaintError::Invalid(InputError {
        path: path.into(),
        message: message.into(),
    })
}

/// A complaint as the form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintForm {
    /// What happened (`$.what`).
    pub what: String,
    /// The day it happened, `YYYY-MM-DD` (`$.when.date`).
    pub date: String,
    /// The time, `HH:MM`, if known (`$.when.time`).
    pub time: Option<String>,
    /// Where, in the complainant's words (`$.where`).
    pub location: String,
    /// Against whom: a value of the schema's `respondent` (`$.against`).
    pub against: String,
    /// How to reach the complainant, if they wish (`$.contact`).
    pub contact: Option<Complainant>,
    /// The language they would like to be answered in (`$.language`).
    pub language: Option<String>,
}

/// How to reach a complainant; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complainant {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What identifies people in a complaint: sealed at rest with the
/// operator's data key, like a contact's person, and never in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintContent {
    /// What happened.
    pub what: String,
    /// The time of day, `HH:MM`, if given.
    pub time: Option<String>,
    /// Where.
    #[serde(rename = "where")]
    pub location: String,
    /// How to reach the complainant, if given.
    pub contact: Option<Complainant>,
}

/// A duty a complaint opens, with the office the law sends it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDuty {
    /// The office (`office:` of the obligation), as the law names it.
    pub office: String,
    pub opened: Opened,
}

/// A complaint filed: checked, and routed by the law in force on the
/// filing date. Only [`Filing::new`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    content: ComplaintContent,
    against: String,
    occurred_on: String,
    filed_on: String,
    language: Option<String>,
    duties: Vec<ComplaintDuty>,
}

impl Filing {
    /// Checks `form` and decides the complaint's duties under the laws of
    /// `place` in force on `filed_on` (`YYYY-MM-DD`, the caller's today).
    /// `languages` are those the place serves.
    pub fn new(
        lib: &Library,
        place: &str,
        filed_on: &str,
        languages: &[&str],
        form: ComplaintForm,
    ) -> Result<Filing, ComplaintError> {
        let today = Date::parse(filed_on)
            .map_err(|e| ComplaintError::Engine(format!("the filing date `{filed_on}`: {e}")))?;
        let what = block("$.what", form.what, limits::WHAT)?;
        let location = line("$.where", form.location, limits::WHERE)?;
        let occurred = Date::parse(form.date.trim())
            .map_err(|e| invalid("$.when.date", format!("{e}: give the day as YYYY-MM-DD")))?;
        if occurred > today {
            return Err(invalid(
                "$.when.date",
                format!("{occurred} is after today ({today}): give the day it happened"),
            ));
        }
        let time = form
            .time
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .map(|t| check_time(&t).map(|()| t))
            .transpose()?;
        let contact = form.contact.map(check_contact).transpose()?.flatten();
        let language = match form.language.filter(|l| !l.trim().is_empty()) {
            Some(l) if languages.contains(&l.as_str()) => Some(l),
            Some(l) => {
                return Err(invalid(
                    "$.language",
                    format!(
                        "`{l}` is not a language this place answers in; expected one of: {}",
                        languages.join(", ")
                    ),
                ));
            }
            None => None,
        };
        let against = form.against.trim().to_owned();
        let duties = duties(lib, place, filed_on, &against)?;
        Ok(Filing {
            content: ComplaintContent {
                what,
                time,
                location,
                contact,
            },
            against,
            occurred_on: occurred.to_string(),
            filed_on: today.to_string(),
            language,
            duties,
        })
    }

    /// What is sealed.
    pub fn content(&self) -> &ComplaintContent {
        &self.content
    }

    /// Against whom (a `respondent` value).
    pub fn against(&self) -> &str {
        &self.against
    }

    /// The day it happened, `YYYY-MM-DD`.
    pub fn occurred_on(&self) -> &str {
        &self.occurred_on
    }

    /// The day it was filed, `YYYY-MM-DD`.
    pub fn filed_on(&self) -> &str {
        &self.filed_on
    }

    /// The language to answer in, if given.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// The duties it opens, each with its office (never empty).
    pub fn duties(&self) -> &[ComplaintDuty] {
        &self.duties
    }

    /// The offices it goes to, each once, in the law's order.
    pub fn offices(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for d in &self.duties {
            if !out.contains(&d.office.as_str()) {
                out.push(&d.office);
            }
        }
        out
    }
}

/// The duties the law of `place` on `date` attaches to a complaint against
/// `against`: the obligations it triggers for certain that name an office.
/// None is an error: no office would receive the complaint.
fn duties(
    lib: &Library,
    place: &str,
    date: &str,
    against: &str,
) -> Result<Vec<ComplaintDuty>, ComplaintError> {
    let day = Date::parse(date).map_err(|e| ComplaintError::Engine(format!("{date}: {e}")))?;
    // Only the fact: a complaint's duties hang on whom it is against, not
    // on any act, so no act is asked.
    let mut builder = lib
        .query(place, day)
        .map_err(|e| ComplaintError::Engine(e.to_string()))?;
    const FACT: &str = "complaint-against";
    builder.fact(FACT, FactValue::One(against)).map_err(|e| {
        let values: Vec<&str> = lib
            .facts()
            .filter(|f| f.name() == FACT)
            .flat_map(|f| f.values())
            .map(|(v, _)| v)
            .collect();
        invalid(
            "$.against",
            format!("{e}; expected one of: {}", values.join(", ")),
        )
    })?;
    let query = builder.build();
    let decided = lib
        .try_decide(&query)
        .map_err(|e| ComplaintError::Engine(e.to_string()))?;
    let duties: Vec<ComplaintDuty> = lib
        .explain(&query, &decided)
        .obligations()
        .iter()
        .filter(|o| o.certain())
        .filter_map(|o| {
            Some(ComplaintDuty {
                office: o.office()?.to_owned(),
                opened: Opened {
                    id: o.id().to_owned(),
                    law: o.law().law().to_owned(),
                    cite: o.cite().to_owned(),
                    duty: o.duty().to_owned(),
                    due: o.due().map(str::to_owned),
                    due_ms: None,
                    performed_by_recording: false,
                },
            })
        })
        .collect();
    if duties.is_empty() {
        return Err(invalid(
            "$.against",
            format!(
                "no law of {place} in force on {date} sends a complaint against `{against}` to an office; \
                 such a complaint cannot be taken here"
            ),
        ));
    }
    Ok(duties)
}

/// A change of a complaint's status, with the notice the complainant sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: ComplaintStatus,
    /// Given exactly when closing.
    pub disposition: Option<Disposition>,
    /// What the complainant is told (shown on the status page).
    pub notice: String,
}

impl StatusChange {
    /// A change as a member of staff asks for it, checked on its own
    /// (`$.status`, `$.disposition`, `$.notice`).
    pub fn new(
        to: &str,
        disposition: Option<&str>,
        notice: String,
    ) -> Result<StatusChange, ComplaintError> {
        let to = to
            .parse::<ComplaintStatus>()
            .map_err(|e| invalid("$.status", e.to_string()))?;
        let disposition = disposition
            .map(|d| {
                d.parse::<Disposition>()
                    .map_err(|e| invalid("$.disposition", e.to_string()))
            })
            .transpose()?;
        match (to, disposition) {
            (ComplaintStatus::Closed, None) => {
                return Err(invalid(
                    "$.disposition",
                    "closing a complaint needs its disposition",
                ));
            }
            (ComplaintStatus::Closed, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(invalid(
                    "$.disposition",
                    "only a complaint being closed has a disposition",
                ));
            }
        }
        let notice = block("$.notice", notice, limits::NOTICE)?;
        Ok(StatusChange {
            to,
            disposition,
            notice,
        })
    }

    /// Whether a complaint that is `from` may make this change: only
    /// forward, one step at a time (received, under investigation, closed).
    pub fn check_from(&self, from: ComplaintStatus) -> Result<(), ComplaintError> {
        use ComplaintStatus::{Closed, Received, UnderInvestigation};
        let why = match (from, self.to) {
            (Received, UnderInvestigation) | (UnderInvestigation, Closed) => return Ok(()),
            (Closed, _) => "a closed complaint stays closed",
            (Received, Closed) => "it must be investigated first",
            (a, b) if a == b => "it already is",
            _ => "a complaint's status moves only forward",
        };
        Err(ComplaintError::Transition {
            from,
            to: self.to,
            why,
        })
    }
}

/// Checks an internal note (`$.note`).
pub fn check_note(note: String) -> Result<String, ComplaintError> {
    block("$.note", note, limits::NOTE)
}

fn check_time(t: &str) -> Result<(), ComplaintError> {
    let b = t.as_bytes();
    let ok = b.len() == 5
        && b.get(2) == Some(&b':')
        && t.get(0..2)
            .and_then(|h| h.parse::<u8>().ok())
            .is_some_and(|h| h < 24 && b.first().is_some_and(u8::is_ascii_digit))
        && t.get(3..5)
            .and_then(|m| m.parse::<u8>().ok())
            .is_some_and(|m| m < 60 && b.get(3).is_some_and(u8::is_ascii_digit));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "$.when.time",
            format!("`{t}` is not a time of day: give it as HH:MM, 00:00 to 23:59"),
        ))
    }
}

/// The contact details, each trimmed; all empty is none.
fn check_contact(c: Complainant) -> Result<Option<Complainant>, ComplaintError> {
    let part = |path: &str, v: Option<String>, max: usize| {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .map(|s| line(path, s, max))
            .transpose()
    };
    let name = part("$.contact.name", c.name, limits::NAME)?;
    let email = part("$.contact.email", c.email, limits::EMAIL)?;
    let phone = part("$.contact.phone", c.phone, limits::PHONE)?;
    if let Some(e) = &email {
        let shaped = e
            .split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.contains('@'))
            && !e.chars().any(char::is_whitespace);
        if !shaped {
            return Err(invalid(
                "$.contact.email",
                "is not an e-mail address (name@example.org)",
            ));
        }
    }
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 3
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            return Err(invalid(
                "$.contact.phone",
                "is not a telephone number (digits, spaces, + - ( ) .)",
            ));
        }
    }
    Ok(
        (name.is_some() || email.is_some() || phone.is_some()).then_some(Complainant {
            name,
            email,
            phone,
        }),
    )
}

/// A text of one line, not blank, at most `max` characters, with no control
/// character or bidirectional override (the store's rule for every text).
fn line(path: &str, s: String, max: usize) -> Result<String, ComplaintError> {
    text(path, s, max, false)
}

/// As [`line`], but line breaks and tabs are kept.
fn block(path: &str, s: String, max: usize) -> Result<String, ComplaintError> {
    text(path, s, max, true)
}

fn text(path: &str, s: String, max: usize, block: bool) -> Result<String, ComplaintError> {
    let s = if block { s.replace("\r\n", "\n") } else { s };
    if let Some((at, c)) = crate::text::forbidden(&s, block) {
        return Err(invalid(
            path,
            format!(
                "character {} is the control character U+{:04X}, which a complaint may not hold",
                at + 1,
                u32::from(c)
            ),
        ));
    }
    let n = s.chars().count();
    if s.trim().is_empty() || n > max {
        return Err(invalid(
            path,
            format!("must be 1 to {max} characters, not blank; it has {n}"),
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests;
