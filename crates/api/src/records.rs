//! The records' JSON: federal contacts as recorded, their obligations,
//! compliance exceptions and reimbursements; staff sign-in, accounts and API
//! tokens; the audit log's head and entries. Times are RFC 3339 UTC
//! ([`crate::format_utc_ms`]); amounts are integer cents.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Scenario;

/// A federal contact to record. The server decides the scenario itself, at
/// that moment, and keeps the decision with the record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordContact {
    /// detainer, administrative-warrant, notification-request, information-request, access-request, assistance-request, property-use-request or fingerprint-transmission.
    pub kind: String,
    /// fax, email, phone, in-person, ncic or portal.
    pub channel: String,
    /// The unit that received it: one of the place's receiving units, by id
    /// (its `place.toml`; Cambridge's include `booking`, `district-4`,
    /// `records-office`). Any other value is refused with 422, so no typed
    /// text reaches the public report.
    pub receiving_unit: String,
    /// When it arrived (RFC 3339, UTC: `2026-03-01T14:05:00Z`); default: now.
    pub received_at: Option<String>,
    /// The situation, as for a decision.
    pub scenario: Scenario,
    /// What was actually done, by item key (`detain`, `disclose.address`);
    /// each must be an act or field the scenario asks about.
    #[serde(default)]
    pub acts_done: Vec<String>,
    /// Who did those acts, when not the one recording (a badge number, a unit).
    pub done_by: Option<String>,
    /// If part of what was given to ICE cannot be publicly disclosed, the
    /// ground: `investigatory`, `statute` or `privacy` (G.L. c. 4, § 7,
    /// cl. 26(f), (a), (c)). The record then counts in 2.129.060 (e) as
    /// withheld on that ground, not in its total.
    pub withheld: Option<String>,
    /// Why it is entered only now, if it came in during a period whose
    /// report was already published: required then (the record changes
    /// that report, and the report says so), refused otherwise.
    #[serde(default)]
    pub late_entry: Option<String>,
    /// When obligations the decision opens fall due, by their id
    /// (`{"copy-to-person": "2026-03-01T18:00:00Z"}`), where known.
    #[serde(default)]
    pub obligations_due: std::collections::BTreeMap<String, String>,
    /// The person it is about, only as far as the record needs: sealed at
    /// rest with the operator's data key, never logged. Refused if the
    /// server has no data key.
    pub person: Option<PersonInput>,
}

/// A person's identifying data.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub name: Option<String>,
    /// YYYY-MM-DD.
    pub date_of_birth: Option<String>,
    pub address: Option<String>,
}

/// A person's data as read back.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub name: Option<String>,
    pub date_of_birth: Option<String>,
    pub address: Option<String>,
    /// Why the data cannot be shown (its key is not in this server's keyring, or it was altered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

/// What recording a contact found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub id: i64,
    /// Whether an act done was prohibited: the record is then flagged.
    pub compliance_exception: bool,
    pub prohibited_acts_done: Vec<String>,
    /// The office a compliance exception goes to.
    pub routed_to: Option<String>,
    /// The obligations now open for it (by id in the law pack).
    pub obligations: Vec<String>,
}

/// A recorded contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub receiving_unit: String,
    pub received_at: String,
    pub recorded_at: String,
    /// `user/<name>` or `token/<id>`.
    pub recorded_by: String,
    /// The scenario as recorded.
    #[schema(value_type = Object)]
    pub scenario: serde_json::Value,
    /// The decision as it was when recorded, with the law versions and their hashes.
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
    pub acts_done: Vec<String>,
    pub done_by: Option<String>,
    /// The ground on which part of it is withheld from the public report.
    pub withheld: Option<String>,
    /// Why it was entered late, into a period whose report was published.
    pub late_entry: Option<String>,
    /// The person, when the record has one.
    pub person: Option<PersonView>,
    pub compliance_exception: bool,
    pub exceptions: Vec<ExceptionView>,
    pub obligations: Vec<ObligationView>,
    pub reimbursements: Vec<ReimbursementView>,
}

/// A contact in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactSummaryView {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub receiving_unit: String,
    pub received_at: String,
    pub compliance_exception: bool,
    pub open_obligations: i64,
    pub recorded_by: String,
}

/// A page of contacts, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub contacts: Vec<ContactSummaryView>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// A compliance exception: an act done that the decision prohibited.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionView {
    pub id: i64,
    pub contact: i64,
    pub act: String,
    /// professional-standards, superintendent or city-manager.
    pub routed_to: String,
    pub flagged_at: String,
    pub explanations: Vec<ExplanationView>,
}

/// One explanation of an exception.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplanationView {
    pub text: String,
    pub by: String,
    pub at: String,
}

/// A duty triggered by a contact's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationView {
    pub id: i64,
    /// Its id in the law pack (`copy-to-person`).
    pub obligation: String,
    pub law: String,
    pub duty: String,
    /// When, in the law's words.
    pub due: Option<String>,
    /// When it falls due, if the recorder said.
    pub due_at: Option<String>,
    pub fulfilled: Option<FulfilmentView>,
}

/// An obligation not yet fulfilled, on a work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenObligationView {
    pub contact: i64,
    pub received_at: String,
    pub recorded_by: String,
    /// Past its due time now.
    pub overdue: bool,
    pub obligation: ObligationView,
}

/// A work list of open obligations, soonest due first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationList {
    pub obligations: Vec<OpenObligationView>,
}

/// How an obligation was fulfilled.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentView {
    pub by: String,
    pub at: String,
    pub note: String,
}

/// Marks an obligation fulfilled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FulfilObligation {
    /// How (`copy handed to the person at booking`).
    #[serde(default)]
    pub note: String,
}

/// A reimbursement received from the federal government for a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordReimbursement {
    /// In cents.
    pub amount_cents: i64,
    /// YYYY-MM-DD.
    pub received_on: String,
    /// The payer's reference.
    pub reference: String,
}

/// A recorded reimbursement.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReimbursementView {
    pub id: i64,
    pub amount_cents: i64,
    pub received_on: String,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Compliance exceptions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionList {
    pub exceptions: Vec<ExceptionView>,
}

/// An explanation to add to a compliance exception.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    pub text: String,
}

/// A sign-in: password and the current code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
    /// The 6-digit code.
    pub code: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`. Shown once.
    pub token: String,
    pub role: String,
    /// The session ends after this long without a request.
    pub idle_timeout_seconds: i64,
}

/// Who the caller is and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// `user/<name>` or `token/<id>`.
    pub actor: String,
    pub role: Option<String>,
    pub permissions: Vec<String>,
}

/// A staff account to create. No password: the person sets their own
/// password and authenticator at `/enrol` with the code the answer
/// carries, so no administrator ever knows another person's credentials
/// (a `password` field is refused as unknown).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountRequest {
    pub username: String,
    /// officer, records-clerk, professional-standards, city-manager, school-staff, auditor or admin.
    pub role: String,
}

/// A created account, with the enrolment code to hand to its person. It
/// never carries the account's second factor.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountCreated {
    pub username: String,
    pub role: String,
    pub enrolment: EnrolmentIssued,
}

/// A one-time enrolment code: the person enters it at `/enrol` with their
/// username, chooses a password and scans their new authenticator key.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentIssued {
    pub username: String,
    /// `ABCD-EFGH-IJKL-MNOP-QRST`: shown once; only its hash is kept.
    pub code: String,
    /// RFC 3339 UTC; it works once, until then.
    pub expires_at: String,
}

/// An API token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What it is for (`rms-integration`).
    pub name: String,
    /// Permissions (`contacts:record`); never `access:manage`.
    pub scopes: Vec<String>,
}

/// A created API token (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub scopes: Vec<String>,
}

/// The audit log's head: what a signed checkpoint commits to.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditHeadView {
    pub size: u64,
    /// RFC 6962 Merkle root, hex.
    pub root: String,
    /// The last entry's chain hash, hex.
    pub chain_head: String,
}

/// A run of audit log entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntries {
    pub entries: Vec<AuditEntryView>,
}

/// One audit log entry with its stored hashes, and every field its hashed
/// bytes hold, so anyone can recompute `leaf_hash` from this alone (the
/// byte layout is documented at `trustgate_audit::Entry::to_bytes`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: u64,
    /// `time_ms` as an RFC 3339 UTC time, for people.
    pub time: String,
    /// When, in UTC milliseconds since the Unix epoch: what is hashed.
    pub time_ms: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub detail: String,
    /// The entry's format: 1 (before entries committed to records' content) or 2.
    #[schema(minimum = 1, maximum = 2)]
    pub format: u8,
    /// What a format-2 entry commits to about a record's content; absent in format 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<AuditStateView>,
    pub chain_hash: String,
    pub leaf_hash: String,
}

/// What kind of content an audit entry vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditStateKind {
    /// No one record's (a refusal, a sign-out, a read of the log).
    None,
    /// The record's content as the entry left it.
    After,
    /// The record's content as the entry read it.
    Read,
    /// What a list or a report answered.
    Returned,
}

/// What an audit entry commits to about a record's content.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditStateView {
    pub kind: AuditStateKind,
    /// The record (`contact/12`), for `after` and `read`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// SHA-256 of the content, hex; absent for `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// A staff account as an administrator sees it (no secrets).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub username: String,
    pub role: String,
    pub created_by: String,
    pub created_at: String,
    /// Locked by failed sign-ins until then.
    pub locked_until: Option<String>,
    /// Disabled then: it cannot sign in.
    pub disabled_at: Option<String>,
}

/// Every staff account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountList {
    pub accounts: Vec<AccountView>,
}

/// An RFC 6962 inclusion proof: the entry is leaf `entry.seq` of the tree of
/// the first `size` entries, whose root is `root` (check it with any RFC 9162
/// verifier, against a published checkpoint of that size).
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionProofView {
    pub entry: AuditEntryView,
    /// The entry's leaf hash, hex, recomputed from its contents.
    pub leaf_hash: String,
    pub size: u64,
    pub root: String,
    /// The audit path, deepest sibling first, hex.
    pub path: Vec<String>,
}

/// An RFC 6962 consistency proof: the tree of the first `old_size` entries is
/// a prefix of the tree of the first `new_size`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyProofView {
    pub old_size: u64,
    pub old_root: String,
    pub new_size: u64,
    pub new_root: String,
    /// Hex.
    pub proof: Vec<String>,
}
