//! Contacts: what a federal-immigration contact's record holds, its
//! recording (`record.rs`), its checks (`check.rs`), its reading
//! (`read.rs`) and the personal data sealed in it (`personal.rs`).

use std::fmt;

pub use trustgate_records::{Channel, ContactKind, NewContact, Office, Person};

use crate::{Actor, ComplianceException, ObligationRecord, Reimbursement};

mod check;
mod personal;
mod read;
mod record;

pub(crate) use check::{Checked, acts_from_json, check, is_date};
pub(crate) use personal::seal_person;
pub use read::KeptDecision;
pub(crate) use read::owner_of;

/// A recorded contact's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(pub i64);

impl ContactId {
    /// How audit entries name it: `contact/<id>`.
    pub fn object(self) -> String {
        format!("contact/{}", self.0)
    }
}

impl fmt::Display for ContactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A contact's personal data as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonRecord {
    /// Opened with the keyring.
    Known(Person),
    /// Sealed, and not readable here: the key is not in the keyring, or the
    /// ciphertext was altered. Says which.
    Unreadable(String),
}

/// What recording a contact found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The new contact's id.
    pub id: ContactId,
    /// The acts done that the decision prohibits (sorted): each is a
    /// compliance exception.
    pub prohibited: Vec<String>,
    /// Where an exception goes.
    pub routed_to: Office,
    /// The obligations opened (their ids in the law pack).
    pub obligations: Vec<String>,
}

/// A recorded contact, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// What was recorded, exactly (`received_ms` filled in; `person` is in
    /// [`Contact::person`]).
    pub contact: NewContact,
    /// The person, opened with the keyring, if the record has one.
    pub person: Option<PersonRecord>,
    /// Whether an act done was prohibited by the decision.
    pub compliance_exception: bool,
    /// Those acts, sorted (empty unless `compliance_exception`).
    pub prohibited_acts_done: Vec<String>,
    /// The compliance exceptions, one per prohibited act done.
    pub exceptions: Vec<ComplianceException>,
    /// The duties the decision triggered for certain, with their fulfilment.
    pub obligations: Vec<ObligationRecord>,
    /// Reimbursements received for this case (2.129.060 (d)).
    pub reimbursements: Vec<Reimbursement>,
    /// Who recorded it.
    pub recorded_by: Actor,
    /// When (UTC ms, from the store's [`Clock`]).
    pub recorded_ms: i64,
}

/// A contact in a list: enough to find it, nothing personal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    pub id: ContactId,
    pub kind: ContactKind,
    pub channel: Channel,
    pub receiving_unit: String,
    pub received_ms: i64,
    pub compliance_exception: bool,
    /// Obligations not yet fulfilled.
    pub open_obligations: i64,
    pub recorded_by: Actor,
}

/// A page of a list, newest first, optionally narrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Only ids below this one (the last id of the previous page).
    pub before: Option<ContactId>,
    /// At most this many (capped at 500).
    pub limit: u32,
    /// Only contacts of this kind.
    pub kind: Option<ContactKind>,
    /// Only compliance exceptions.
    pub exceptions_only: bool,
    /// Only contacts that came in at or after this instant (UTC ms) and
    /// before the second.
    pub received: (Option<i64>, Option<i64>),
}

impl Default for Page {
    /// The newest 50, of every kind, whenever they came in.
    fn default() -> Page {
        Page {
            before: None,
            limit: 50,
            kind: None,
            exceptions_only: false,
            received: (None, None),
        }
    }
}
