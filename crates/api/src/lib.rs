//! # trustgate-api: the JSON contract
//!
//! What callers send (a [`Scenario`]) and receive (a [`Decision`], or an
//! [`ErrorBody`]), shared by `trustgate check --json` and the server's
//! `/api/v1`; and the records' bodies (a [`RecordContact`], a
//! [`ContactView`], sign-in, accounts, tokens, the audit log). These are the only serialisable types in trustgate; the engine's
//! own types are not, so the contract changes only on purpose. Both the JSON
//! Schema (`docs/check-output.schema.json`) and the OpenAPI document
//! (`docs/openapi.json`) are generated from these types and snapshot-tested.
//!
//! This crate knows nothing of HTTP or files.

mod catalogue;
mod decision;
mod error;
mod records;
mod scenario;
mod time;

pub use catalogue::{ActEntry, Catalogue, FactEntry, PlaceEntry, ValueEntry};
pub use decision::{
    Assumed, Decision, Detail, Doubt, Item, Law, LawRef, Obligation, Period, Place, Question, Rule,
    Weighed, kind,
};
pub use error::ErrorBody;
pub use records::{
    AccountCreated, AccountList, AccountView, AuditEntries, AuditEntryView, AuditHeadView,
    AuditStateKind, AuditStateView, ConsistencyProofView, ContactList, ContactSummaryView,
    ContactView, EnrolmentIssued, ExceptionList, ExceptionView, Explain, ExplanationView,
    FulfilObligation, FulfilmentView, InclusionProofView, Me, NewAccountRequest, NewTokenRequest,
    ObligationList, ObligationView, OpenObligationView, PersonInput, PersonView, RecordContact,
    RecordReimbursement, Recorded, ReimbursementView, SessionCreated, SignIn, TokenCreated,
};
pub use scenario::{
    ActInput, FactInput, InputError, Scenario, from_json, json_path, plain, scenario_from_json,
};
pub use time::{format_utc_ms, parse_utc_ms};
