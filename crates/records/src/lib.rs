//! Records: what trustgate keeps about a federal contact and a complaint,
//! and the use cases that make a record.
//!
//! This crate owns the meaning of a record. [`Intake`] decides a contact's
//! scenario and derives everything that follows from the decision
//! (compliance exceptions, their routing, the obligations opened); the
//! store persists what an `Intake` holds and interprets none of it. Every
//! reader of a kept record (the reports, the staff pages, the API, a
//! replay) reads its decision as a [`StoredDecision`] and its scenario as a
//! [`Scenario`], typed and versioned, and a record that does not read is an
//! error, never an empty record.
//!
//! Pure: no SQL, no HTTP, no clock.

mod complaint;
mod contact;
pub mod decision;
mod intake;
mod replay;
pub mod scenario;
pub mod text;
mod tracking;

pub use complaint::{
    Complainant, ComplaintContent, ComplaintDuty, ComplaintError, ComplaintForm, ComplaintStatus,
    Disposition, Filing, StatusChange, check_note, limits as complaint_limits,
};
pub use contact::{Channel, ContactKind, NewContact, Office, Person};
pub use decision::{DecisionError, Outcome, StoredDecision};
pub use intake::{
    Decided, Intake, IntakeError, Opened, PERFORMED_BY_RECORDING, performed_by_recording,
};
pub use replay::{Changed, DutyChanged, Replayed, replay};
pub use scenario::{Scenario, ScenarioError};
pub use tracking::{CODE_BYTES, CodeError, TrackingCode};
