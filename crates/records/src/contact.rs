//! What a federal contact's record holds.

use std::collections::BTreeMap;

use trustgate_access::named;

named! { "kind of contact",
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

named! { "channel",
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

named! { "office",
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

impl ContactKind {
    /// In words for people (staff pages).
    pub fn words(self) -> &'static str {
        match self {
            ContactKind::Detainer => "Immigration detainer",
            ContactKind::AdministrativeWarrant => "Administrative warrant",
            ContactKind::NotificationRequest => "Request to be told of a release",
            ContactKind::InformationRequest => "Request for information",
            ContactKind::AccessRequest => "Request to reach a person in custody",
            ContactKind::AssistanceRequest => "Request for help with an operation",
            ContactKind::PropertyUseRequest => "Request to use City property",
            ContactKind::FingerprintTransmission => "Fingerprints sent",
        }
    }
}

impl Channel {
    /// In words for people, after "by" (staff pages).
    pub fn words(self) -> &'static str {
        match self {
            Channel::Fax => "fax",
            Channel::Email => "email",
            Channel::Phone => "telephone",
            Channel::InPerson => "a visit in person",
            Channel::Ncic => "NCIC",
            Channel::Portal => "a web portal",
        }
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

/// A contact as recorded: what the recorder said, with the scenario and the
/// decision kept as JSON exactly as they were written (a record's digest
/// covers these bytes). Made by [`crate::Intake`], read back by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// What it was.
    pub kind: ContactKind,
    /// How it came in.
    pub channel: Channel,
    /// The unit that received it: one of the place's receiving units.
    pub receiving_unit: String,
    /// When it arrived (UTC ms); `None` means when it is recorded.
    pub received_ms: Option<i64>,
    /// The scenario ([`crate::scenario`]), as JSON.
    pub scenario: String,
    /// The decision ([`crate::StoredDecision`]), as JSON.
    pub decision: String,
    /// The acts actually done, by item key (`detain`, `disclose.address`).
    pub acts_done: Vec<String>,
    /// Who did them, when not the one recording (a badge number, a unit).
    pub done_by: Option<String>,
    /// Why part of what was given to ICE cannot be publicly disclosed, if it
    /// cannot: a key of `trustgate_report::WITHHOLDING_GROUNDS`. The record
    /// then counts in 2.129.060 (e) as withheld on that ground.
    pub withheld: Option<String>,
    /// Why it is entered only now, when it is a late entry: received in a
    /// period whose report was already published. Required then, refused
    /// otherwise (the store knows which periods are published).
    pub late_entry: Option<String>,
    /// When obligations the decision opens fall due (UTC ms), by their id
    /// in the law pack, where the recorder knows (a release time, say).
    pub obligations_due: BTreeMap<String, i64>,
    /// The person it is about, if the record needs to say (sealed at rest).
    pub person: Option<Person>,
}
