//! Contacts: what a federal-immigration contact's record holds, its
//! recording (`record.rs`), its checks (`check.rs`), its reading
//! (`read.rs`) and the personal data sealed in it (`personal.rs`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::{Actor, ComplianceException, ObligationRecord, Reimbursement, StoreError};

mod check;
mod personal;
mod read;
mod record;

pub(crate) use check::{Checked, acts_from_json, check, is_date};
pub(crate) use personal::seal_person;
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

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $variant,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stored (and JSON) spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl FromStr for $name {
            type Err = StoreError;
            fn from_str(s: &str) -> Result<$name, StoreError> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(StoreError::Invalid(format!(
                        concat!("unknown ", stringify!($name), " `{}`"),
                        s
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// What the federal contact was.
    ContactKind {
        /// An immigration detainer (hold or notify-only).
        Detainer = "detainer",
        /// An administrative warrant (I-200, I-205, …).
        AdministrativeWarrant = "administrative-warrant",
        /// A request to be told of a release.
        NotificationRequest = "notification-request",
        /// A request for information about a person.
        InformationRequest = "information-request",
        /// A request to reach a person in custody.
        AccessRequest = "access-request",
        /// A request for assistance with an operation.
        AssistanceRequest = "assistance-request",
        /// A request to use City property.
        PropertyUseRequest = "property-use-request",
        /// A transmission of fingerprints.
        FingerprintTransmission = "fingerprint-transmission",
    }
}

text_enum! {
    /// How the contact came in.
    Channel {
        /// By fax.
        Fax = "fax",
        /// By email.
        Email = "email",
        /// By telephone.
        Phone = "phone",
        /// In person.
        InPerson = "in-person",
        /// Through NCIC.
        Ncic = "ncic",
        /// Through a web portal.
        Portal = "portal",
    }
}

text_enum! {
    /// The office a compliance exception is routed to, from the department
    /// that acted (the offices 2.129 and the executive order send complaints to).
    Office {
        /// The Police Department's Professional Standards Unit.
        ProfessionalStandards = "professional-standards",
        /// The Superintendent of Schools.
        Superintendent = "superintendent",
        /// The City Manager's Office (every other department, and any
        /// contact whose department is not recorded).
        CityManager = "city-manager",
    }
}

/// The person a contact is about, as far as the record needs them. Sealed
/// at rest with the operator's data key; never in the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub name: Option<String>,
    /// YYYY-MM-DD.
    pub date_of_birth: Option<String>,
    pub address: Option<String>,
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

/// A contact to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// What it was.
    pub kind: ContactKind,
    /// How it came in.
    pub channel: Channel,
    /// The unit that received it (a district station, the records office, …).
    pub receiving_unit: String,
    /// When it arrived (UTC ms); `None` means when it is recorded.
    pub received_ms: Option<i64>,
    /// The scenario as JSON (`trustgate_api::Scenario`), kept as given.
    pub scenario: String,
    /// The engine's decision as JSON (`trustgate_api::Decision`), kept as
    /// given; the store reads `items[].key`/`outcome` and the certain
    /// `obligations`.
    pub decision: String,
    /// The acts actually done, by key (`detain`, `disclose.address`, …).
    pub acts_done: Vec<String>,
    /// Who did them, when not the one recording (a badge number, a unit).
    pub done_by: Option<String>,
    /// Why part of what was given to ICE cannot be publicly disclosed, if it
    /// cannot: a key of [`trustgate_report::WITHHOLDING_GROUNDS`]. The record
    /// then counts in 2.129.060 (e) as withheld on that ground.
    pub withheld: Option<String>,
    /// Why it is entered only now, when it is a late entry: received in a
    /// period whose report was already published. Required then (the
    /// record changes that report, and the report will say so), refused
    /// otherwise.
    pub late_entry: Option<String>,
    /// When obligations the decision opens fall due (UTC ms), by their id in
    /// the law pack, where the recorder knows (a release time, say).
    pub obligations_due: BTreeMap<String, i64>,
    /// The person it is about, if the record needs to say (sealed at rest).
    pub person: Option<Person>,
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
