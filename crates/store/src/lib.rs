//! # trustgate-store: the records store
//!
//! One [`Store`] over two backends: SQLite (one file, the embedded default)
//! and PostgreSQL (given a URL). Every operation, reads included, is one
//! transaction that also appends its entry to the audit log
//! ([`trustgate_audit`]): the stored audit head is read under the write lock
//! (`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on PostgreSQL), the
//! entry is appended with [`trustgate_audit::LogHead::append`], and the entry
//! row (with its chain and leaf hashes) and the new head are written before
//! the commit. So no record is created, changed or read without its audit
//! entry, and no two writers ever build on the same head.
//!
//! Design and measurements: `docs/design/store.md`.
//!
//! - Queries are runtime `sqlx::query(..)` with literal SQL, `$n` parameters
//!   and bound values. The SQL is the same on both backends, so the
//!   operations are written once against one connection type over both
//!   (`sql.rs`: the only place that chooses a database); one conformance
//!   suite (`tests/it`) runs every operation on both.
//! - Migrations are embedded per backend (`migrations/{sqlite,postgres}`).
//! - The public API holds domain types only: no sqlx type crosses it.
//! - The store reads no clock: the caller supplies a [`Clock`].
//! - There is no delete operation. The audit log, the compliance exceptions
//!   and their explanations are also protected by triggers.
//! - Whether a contact is a compliance exception, which office it is routed
//!   to, and which obligations it carries are computed here from the
//!   decision's JSON, never taken from the caller.
//! - Secrets are stored only as hashes (sessions, API tokens) or argon2id
//!   PHC strings (passwords); the caller hashes them ([`trustgate_access`]).
//! - Every entry that creates or changes a record (a contact with its
//!   dependent rows, an account, a token) carries the digest of the record's
//!   rows as written, read back in the same transaction; a read, the digest
//!   of what it read (`integrity.rs`). [`Store::verify_audit_log`] checks
//!   every record and the report counters against the log.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};
use trustgate_access::{Permission, Role};
use trustgate_audit::{Entry, Frontier, Hash, LogHead, State};
use trustgate_place::Place;

mod guard;
mod integrity;
mod integrity_sql;
mod ops;
mod pg;
mod seal;
mod sql;
mod sqlite;
mod text;

/// The numbered migrations of one backend's folder, embedded in the binary.
/// Both folders hold the same numbers and names.
macro_rules! migrations {
    ($dir:literal) => {{
        use sqlx::migrate::{Migration, MigrationType};
        let m = |version: i64, name: &'static str, sql: &'static str| {
            Migration::new(
                version,
                name.into(),
                MigrationType::Simple,
                sqlx::SqlSafeStr::into_sql_str(sql),
                false,
            )
        };
        sqlx::migrate::Migrator::with_migrations(vec![
            m(
                1,
                "init",
                include_str!(concat!("../migrations/", $dir, "/0001_init.sql")),
            ),
            m(
                2,
                "access obligations",
                include_str!(concat!(
                    "../migrations/",
                    $dir,
                    "/0002_access_obligations.sql"
                )),
            ),
            m(
                3,
                "personal data",
                include_str!(concat!("../migrations/", $dir, "/0003_personal_data.sql")),
            ),
            m(
                4,
                "report counts",
                include_str!(concat!("../migrations/", $dir, "/0004_report_counts.sql")),
            ),
            m(
                5,
                "withheld",
                include_str!(concat!("../migrations/", $dir, "/0005_withheld.sql")),
            ),
            m(
                6,
                "enrolment",
                include_str!(concat!("../migrations/", $dir, "/0006_enrolment.sql")),
            ),
            m(
                7,
                "audit by object",
                include_str!(concat!("../migrations/", $dir, "/0007_audit_by_object.sql")),
            ),
            m(
                8,
                "received index",
                include_str!(concat!("../migrations/", $dir, "/0008_received_index.sql")),
            ),
            m(
                9,
                "record states",
                include_str!(concat!("../migrations/", $dir, "/0009_record_states.sql")),
            ),
            m(
                10,
                "sign-in guards",
                include_str!(concat!("../migrations/", $dir, "/0010_sign_in_guards.sql")),
            ),
            m(
                11,
                "late entries",
                include_str!(concat!("../migrations/", $dir, "/0011_late_entries.sql")),
            ),
        ])
    }};
}
pub(crate) use migrations;

pub use integrity::{TABLES_OUTSIDE_RECORDS, record_tables};
pub use pg::{PgStore, is_plain_identifier};
pub use seal::{Keyring, SealError};
pub use sqlite::{SqliteSettings, SqliteStore};

/// Who does something, as the audit log names them: `user/<name>`,
/// `token/<id>`, `system/<command>`. Never a person's legal name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(String);

impl Actor {
    /// An actor by id.
    pub fn new(id: impl Into<String>) -> Actor {
        Actor(id.into())
    }

    /// A staff account.
    pub fn user(username: &str) -> Actor {
        Actor(format!("user/{username}"))
    }

    /// An operator acting from the command line on the server's host.
    pub fn system(command: &str) -> Actor {
        Actor(format!("system/{command}"))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

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

/// A compliance exception: an act done that the decision prohibited. It can
/// be explained, never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceException {
    pub id: i64,
    pub contact: ContactId,
    /// The act's key (`detain`, `disclose.address`).
    pub act: String,
    pub routed_to: Office,
    pub flagged_ms: i64,
    /// Explanations, oldest first.
    pub explanations: Vec<Explanation>,
}

/// One explanation of a compliance exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub text: String,
    pub by: Actor,
    pub at_ms: i64,
}

/// A duty a contact's decision triggered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRecord {
    pub id: i64,
    /// The obligation's id in its law pack (`copy-to-person`).
    pub obligation: String,
    /// The law it comes from.
    pub law: String,
    /// What must be done, in plain words.
    pub duty: String,
    /// When, in the law's words, if it says.
    pub due: Option<String>,
    /// When it falls due (UTC ms), if the recorder said.
    pub due_ms: Option<i64>,
    pub fulfilment: Option<Fulfilment>,
}

/// An obligation not yet fulfilled, for a work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenObligation {
    pub contact: ContactId,
    pub obligation: ObligationRecord,
    pub received_ms: i64,
    pub recorded_by: Actor,
}

/// How an obligation was fulfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fulfilment {
    pub by: Actor,
    pub at_ms: i64,
    pub note: String,
}

/// A reimbursement to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReimbursement {
    /// In cents (never a float).
    pub amount_cents: i64,
    /// The day it was received (YYYY-MM-DD).
    pub received_on: String,
    /// The payer's reference (a federal voucher number, …).
    pub reference: String,
}

/// A recorded reimbursement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reimbursement {
    pub id: i64,
    pub reimbursement: NewReimbursement,
    pub recorded_by: Actor,
    pub recorded_ms: i64,
}

/// How far a caller reaches: their own records only, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only records the actor recorded. Others look missing (and the
    /// attempt is audited as `read-denied`).
    Own,
    /// Every record.
    All,
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

/// A staff account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// `[a-z0-9._-]`, 1 to 64 characters.
    pub username: String,
    pub role: Role,
    /// An argon2id PHC string ([`trustgate_access::password::hash`]).
    pub password_hash: String,
    /// The TOTP secret's bytes.
    pub totp_secret: Vec<u8>,
}

/// A staff account as an administrator sees it (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub username: String,
    pub role: Role,
    pub created_by: Actor,
    pub created_ms: i64,
    /// Locked for some source by failed sign-ins until then, if in the future.
    pub locked_until_ms: Option<i64>,
    pub disabled_ms: Option<i64>,
}

/// What checking a sign-in needs, read before the (slow) password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInMaterial {
    pub password_hash: String,
    pub totp_secret: Vec<u8>,
    pub totp_last_step: i64,
}

/// What the caller found when it checked the credentials.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub password_ok: bool,
    /// The TOTP step the code matched, if it did.
    pub totp_step: Option<i64>,
    /// The hash of the session token to create on success.
    pub session_hash: [u8; 32],
    /// The client's address (`None` in-process): failures are counted per
    /// name and source, and only a keyed digest of it is stored.
    pub source: Option<std::net::IpAddr>,
}

impl fmt::Debug for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the address, nor the session's hash.
        f.debug_struct("Attempt")
            .field("password_ok", &self.password_ok)
            .field("totp_step", &self.totp_step)
            .finish_non_exhaustive()
    }
}

/// Setting one's own credentials with an enrolment code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// SHA-256 of the code the administrator issued.
    pub code_hash: [u8; 32],
    /// The new password's argon2id PHC string.
    pub password_hash: String,
    /// The new authenticator secret's bytes.
    pub totp_secret: Vec<u8>,
    /// The step of the code the person's app showed for it (proves the app
    /// holds the secret; that code cannot be used again to sign in).
    pub totp_step: i64,
}

/// How a sign-in ended. Callers show every failure the same way, and an
/// unknown name ends exactly as a known one with a wrong password would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in: the session exists.
    SignedIn(Role),
    /// Wrong username, password or code (or a replayed code).
    Failed,
    /// Not tried: this name is locked for this source after
    /// [`trustgate_access::MAX_FAILED_SIGN_INS`] failures from it, or braked
    /// for sources it never signed in from while it is under attack from
    /// many. Try again at `until_ms` (UTC ms).
    Locked { until_ms: i64 },
}

/// Who is calling, once authenticated, and what they may do.
///
/// Every operation on records takes one and checks, itself, that it may be
/// done: the permission lives in the use case, so no page, route, command
/// or future public form can reach a record without the check. A principal
/// comes from [`Store::session`] or [`Store::api_token`]; only the
/// operator's own commands and tests make one with [`Principal::new`]
/// (`clippy.toml` forbids it elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    actor: Actor,
    grants: Grants,
}

/// A principal's permissions: a staff role's, or an API token's scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grants {
    Role(Role),
    Scopes(Vec<Permission>),
}

impl Principal {
    /// A principal not looked up from a credential: the operator at the
    /// command line (`system/<command>`, with only what that command needs)
    /// or a test's caller.
    pub fn new(actor: Actor, grants: Grants) -> Principal {
        Principal { actor, grants }
    }

    /// Who, as the audit log names them.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// What they may do.
    pub fn grants(&self) -> &Grants {
        &self.grants
    }

    /// Whether the principal may do `p`.
    pub fn may(&self, p: Permission) -> bool {
        match &self.grants {
            Grants::Role(r) => r.may(p),
            Grants::Scopes(s) => s.contains(&p),
        }
    }

    /// How far the principal reads contacts, if at all.
    pub fn reach(&self) -> Option<Reach> {
        if self.may(Permission::ReadAllContacts) {
            Some(Reach::All)
        } else if self.may(Permission::ReadOwnContacts) {
            Some(Reach::Own)
        } else {
            None
        }
    }
}

/// An API token to create, for an integration (a records system posting
/// contacts). Its scopes must be a subset of one role's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// What it is for (`rms-integration`).
    pub name: String,
    pub scopes: Vec<Permission>,
    pub token_hash: [u8; 32],
}

/// An API token as listed: what it is for and may do, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    pub id: i64,
    pub name: String,
    /// Permission names.
    pub scopes: Vec<String>,
    pub created_by: Actor,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// Why a session or token does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthenticated {
    /// Unknown, ended or revoked.
    Invalid,
    /// Idle longer than [`trustgate_access::SESSION_IDLE_MS`]; now ended.
    Expired,
}

/// One audit log row: the entry and the hashes stored beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// The entry.
    pub entry: Entry,
    /// Its stored chain hash.
    pub chain_hash: Hash,
    /// Its stored Merkle leaf hash.
    pub leaf_hash: Hash,
}

/// The stored audit head: what a checkpoint would sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditHead {
    /// How many entries the log holds.
    pub size: u64,
    /// The Merkle root over them.
    pub root: Hash,
    /// The last entry's chain hash (`GENESIS` when empty).
    pub chain_head: Hash,
}

/// Everything that can go wrong in the store. No database type crosses this
/// boundary: backend errors are carried as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No such record (`contact/<id>`).
    #[error("no such record: {0}")]
    NotFound(String),
    /// The input cannot be recorded (bad JSON, an unknown kind, …).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// One field's value is refused; `field` is its name in the API's JSON.
    #[error("invalid {field}: {message}")]
    Field {
        /// The field (`amount_cents`, `received_on`, …).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The record exists already (an account's username).
    #[error("already exists: {0}")]
    Conflict(String),
    /// What is stored is not what the store writes (a broken audit head, an
    /// unknown stored kind, …).
    #[error("the stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(String),
    /// The principal may not do this (the refusal is in the audit log).
    #[error("not permitted: {0}")]
    Forbidden(Permission),
}

pub(crate) fn db(e: impl fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The time source. Only the CLI reads the clock, so the caller supplies it.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Now, in UTC milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The records store, on either backend.
///
/// Every operation goes through one writer task that commits whatever has
/// queued up, up to [`MAX_BATCH`] operations, in one transaction (group
/// commit): one durable flush answers many callers, and each caller still
/// gets its answer only after the commit. An operation that fails (a missing
/// record, say) is answered alone and the rest of its batch is run again
/// without it, so one failure never sinks another's write.
#[derive(Debug)]
pub struct Store {
    shared: Arc<Shared>,
    writer: OnceLock<mpsc::Sender<Job>>,
}

/// What the writer task shares with the store.
#[derive(Debug)]
struct Shared {
    backend: Db,
    /// The operator's data keys, to seal and open personal data.
    keyring: Option<Keyring>,
    /// The place the records are kept for: the closed lists a record draws
    /// from (its receiving units).
    place: Option<Arc<Place>>,
}

/// The most operations committed together (beyond about 64, measured, only
/// latency grows: `docs/design/store.md`).
pub const MAX_BATCH: usize = 64;

type Job = (Op, oneshot::Sender<Result<OpOut, StoreError>>);

/// Why a batch did not commit.
#[derive(Debug)]
pub(crate) enum BatchError {
    /// Operation `i` failed; nothing was committed.
    Op(usize, StoreError),
    /// The transaction itself failed; nothing was committed.
    Batch(StoreError),
}

/// Commits queued operations in batches until every sender is gone.
async fn write_batches(shared: Arc<Shared>, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let (mut ops, mut replies): (Vec<Op>, Vec<_>) = jobs.drain(..).unzip();
        while !ops.is_empty() {
            match shared
                .backend
                .run_batch(&ops, shared.keyring.as_ref())
                .await
            {
                Ok(outs) => {
                    for (reply, out) in replies.drain(..).zip(outs) {
                        // A caller that went away (a timed-out request) just misses its answer.
                        let _ = reply.send(Ok(out));
                    }
                    ops.clear();
                }
                Err(BatchError::Op(i, e)) if i < ops.len() => {
                    ops.remove(i);
                    let _ = replies.remove(i).send(Err(e));
                }
                Err(BatchError::Op(_, e) | BatchError::Batch(e)) => {
                    for reply in replies.drain(..) {
                        let _ = reply.send(Err(e.clone()));
                    }
                    ops.clear();
                }
            }
        }
    }
}

/// A database and the clock its entries are stamped with: either backend,
/// through one connection type (`sql.rs`).
#[derive(Debug)]
pub(crate) struct Db {
    pub(crate) pool: sql::Pool,
    pub(crate) clock: Arc<dyn Clock>,
}

impl From<SqliteStore> for Store {
    fn from(s: SqliteStore) -> Store {
        Store::new(s.db)
    }
}

impl From<PgStore> for Store {
    fn from(s: PgStore) -> Store {
        Store::new(s.db)
    }
}

impl Store {
    /// Opens a store by location: a `postgres://` or `postgresql://` URL, or
    /// else a SQLite file path (optionally prefixed `sqlite:`), created if
    /// missing. Runs the migrations.
    pub async fn open(location: &str, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        if is_postgres_url(location) {
            Ok(PgStore::connect(location, clock).await?.into())
        } else {
            let path = location.strip_prefix("sqlite:").unwrap_or(location);
            Ok(SqliteStore::open(Path::new(path), clock).await?.into())
        }
    }

    fn new(backend: Db) -> Store {
        Store {
            shared: Arc::new(Shared {
                backend,
                keyring: None,
                place: None,
            }),
            writer: OnceLock::new(),
        }
    }

    /// The store with the operator's data keys, to seal and open personal
    /// data. Set it before the first operation.
    pub fn with_keyring(self, keyring: Keyring) -> Result<Store, StoreError> {
        self.reshared("the keyring", |s| Shared {
            keyring: Some(keyring),
            ..s
        })
    }

    /// The store keeping records for `place`: a contact's receiving unit
    /// must be one of its units. Set it before the first operation; a store
    /// without a place records no contact.
    pub fn with_place(self, place: Arc<Place>) -> Result<Store, StoreError> {
        self.reshared("the place", |s| Shared {
            place: Some(place),
            ..s
        })
    }

    /// The place set with [`Store::with_place`].
    pub fn place(&self) -> Option<&Place> {
        self.shared.place.as_deref()
    }

    fn reshared(self, what: &str, f: impl FnOnce(Shared) -> Shared) -> Result<Store, StoreError> {
        let shared = Arc::try_unwrap(self.shared).map_err(|_| {
            StoreError::Invalid(format!("{what} must be set before the store is used"))
        })?;
        Ok(Store {
            shared: Arc::new(f(shared)),
            writer: OnceLock::new(),
        })
    }

    /// The current data key's id, if a keyring is set.
    pub fn current_data_key(&self) -> Option<&str> {
        self.shared.keyring.as_ref().map(Keyring::current)
    }

    /// Re-seals every contact's personal data that is not under the current
    /// data key (audited as `rotate-keys` of `data-keys`, with the count).
    /// All or nothing: if one cannot be opened, nothing changes.
    pub async fn rotate_keys(&self, actor: &Actor) -> Result<i64, StoreError> {
        if self.shared.keyring.is_none() {
            return Err(StoreError::Invalid("no keyring is set".into()));
        }
        match self.run(Op::RotateKeys(actor.clone())).await? {
            OpOut::Id(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    /// "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        match self.shared.backend.pool {
            sql::Pool::Sqlite(_) => "sqlite",
            sql::Pool::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.shared.backend.close().await
    }

    /// Whether the database answers (for readiness checks).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.shared.backend.ping().await
    }

    /// Queues one operation for the writer and waits for its commit.
    async fn run(&self, op: Op) -> Result<OpOut, StoreError> {
        let writer = self.writer.get_or_init(|| {
            let (queue, receiver) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(write_batches(Arc::clone(&self.shared), receiver));
            queue
        });
        let (reply, answer) = oneshot::channel();
        writer
            .send((op, reply))
            .await
            .map_err(|_| StoreError::Backend("the store's writer has stopped".into()))?;
        answer.await.map_err(|_| {
            StoreError::Backend("the store's writer stopped before answering".into())
        })?
    }

    /// Lets `who` do `p`, or audits the refusal (`denied` of
    /// `permission/<p>`) and answers [`StoreError::Forbidden`].
    async fn permit(&self, who: &Principal, p: Permission) -> Result<(), StoreError> {
        if who.may(p) {
            return Ok(());
        }
        self.record_denial(who.actor(), &format!("permission/{}", p.as_str()))
            .await?;
        Err(StoreError::Forbidden(p))
    }

    /// How far `who` reads contacts; one who reads none is refused (audited).
    async fn reach(&self, who: &Principal) -> Result<Reach, StoreError> {
        match who.reach() {
            Some(r) => Ok(r),
            None => self
                .permit(who, Permission::ReadOwnContacts)
                .await
                .map(|()| Reach::Own),
        }
    }

    /// Records a contact (audited as `create`). Whether it is a compliance
    /// exception, where that is routed, and its obligations are computed
    /// from its decision.
    pub async fn record_contact(
        &self,
        who: &Principal,
        contact: NewContact,
    ) -> Result<Recorded, StoreError> {
        self.permit(who, Permission::RecordContact).await?;
        let actor = who.actor();
        if contact.person.is_some() && self.shared.keyring.is_none() {
            return Err(StoreError::Field {
                field: "person",
                message: "personal data cannot be kept: the operator has set no data key \
                          (trustgate serve --data-keys FILE), and it is never stored in the clear"
                    .into(),
            });
        }
        let place = self.shared.place.as_deref().ok_or_else(|| {
            StoreError::Invalid(
                "no place is set for this store (Store::with_place): it cannot check a receiving unit"
                    .into(),
            )
        })?;
        let checked = check(contact, place)?;
        match self
            .run(Op::Record(actor.clone(), Box::new(checked)))
            .await?
        {
            OpOut::Contact(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    /// Reads a contact with its exceptions, obligations and reimbursements
    /// (audited as `read`). A missing one is [`StoreError::NotFound`] and
    /// appends nothing; one out of `reach` looks missing too, but the attempt
    /// is audited as `read-denied`. The reach is the principal's own.
    pub async fn read_contact(
        &self,
        who: &Principal,
        id: ContactId,
    ) -> Result<Contact, StoreError> {
        let reach = self.reach(who).await?;
        match self.run(Op::Read(who.actor().clone(), id, reach)).await? {
            OpOut::Read(c) => Ok(*c),
            OpOut::Denied => Err(StoreError::NotFound(id.object())),
            _ => Err(unexpected()),
        }
    }

    /// Obligations not yet fulfilled, soonest due first (those without a due
    /// time last), optionally only those already overdue at `overdue_at_ms`
    /// (audited as `list` of `obligations`).
    pub async fn open_obligations(
        &self,
        who: &Principal,
        overdue_at_ms: Option<i64>,
    ) -> Result<Vec<OpenObligation>, StoreError> {
        let reach = self.reach(who).await?;
        match self
            .run(Op::OpenObligations(
                who.actor().clone(),
                reach,
                overdue_at_ms,
            ))
            .await?
        {
            OpOut::Obligations(l) => Ok(l),
            _ => Err(unexpected()),
        }
    }

    /// The records a report of `[from_ms, until_ms)` counts: the contacts
    /// received then, and the reimbursements received between the two days
    /// given (YYYY-MM-DD, both included). Audited as `read` of `report`.
    pub async fn report_rows(
        &self,
        who: &Principal,
        received: (i64, i64),
        reimbursed: (String, String),
    ) -> Result<ReportRows, StoreError> {
        self.permit(who, Permission::ReadAllContacts).await?;
        match self
            .run(Op::ReportRows(who.actor().clone(), received, reimbursed))
            .await?
        {
            OpOut::ReportRows(r) => Ok(*r),
            _ => Err(unexpected()),
        }
    }

    /// The report counters of the days `from_day` to `until_day` (both
    /// included, YYYY-MM-DD) and the reimbursements received then. Audited
    /// as `read` of `report`.
    ///
    /// No permission: the counters are what the public report publishes,
    /// and they name no record; the read is audited all the same.
    pub async fn report_counts(
        &self,
        who: &Principal,
        days: (String, String),
    ) -> Result<ReportCounts, StoreError> {
        match self
            .run(Op::ReportCounts(who.actor().clone(), days))
            .await?
        {
            OpOut::ReportCounts(r) => Ok(*r),
            _ => Err(unexpected()),
        }
    }

    /// Rebuilds the report counters from every record (audited as
    /// `recount` of `report`); returns how many records were read.
    pub async fn recount_reports(&self, actor: &Actor) -> Result<i64, StoreError> {
        match self.run(Op::RecountReports(actor.clone())).await? {
            OpOut::Id(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    /// Records that the report of `period`, which has ended, was published
    /// (audited as `publish` of `report/period-<n>`, once): a contact
    /// received in it is from then on a late entry, which must say why and
    /// which the report counts as changing it. The operator's command does
    /// this as it publishes.
    pub async fn record_publication(
        &self,
        actor: &Actor,
        period: trustgate_report::Period,
    ) -> Result<(), StoreError> {
        match self.run(Op::Publish(actor.clone(), period)).await? {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Recounts once if the counters do not yet cover every record (a
    /// database with records from before the counters existed). Returns how
    /// many records were read, if it recounted.
    pub async fn ensure_report_counts(&self, actor: &Actor) -> Result<Option<i64>, StoreError> {
        if self.shared.backend.report_counts_complete().await? {
            return Ok(None);
        }
        self.recount_reports(actor).await.map(Some)
    }

    /// Lists contacts, newest first (audited as `list` of `contacts`).
    pub async fn list_contacts(
        &self,
        who: &Principal,
        page: Page,
    ) -> Result<Vec<ContactSummary>, StoreError> {
        let reach = self.reach(who).await?;
        match self.run(Op::List(who.actor().clone(), reach, page)).await? {
            OpOut::List(l) => Ok(l),
            _ => Err(unexpected()),
        }
    }

    /// Marks an obligation of a contact fulfilled (audited as `fulfil` of
    /// `obligation/<id>`). Fulfilling twice is refused.
    pub async fn fulfil_obligation(
        &self,
        who: &Principal,
        contact: ContactId,
        obligation: i64,
        note: String,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::FulfilObligations).await?;
        let reach = self.reach(who).await?;
        let note = text::block("note", note, limits::NOTE, true)?;
        match self
            .run(Op::Fulfil(
                who.actor().clone(),
                contact,
                obligation,
                note,
                reach,
            ))
            .await?
        {
            OpOut::Done => Ok(()),
            OpOut::Denied => Err(StoreError::NotFound(format!("obligation/{obligation}"))),
            _ => Err(unexpected()),
        }
    }

    /// Records a reimbursement received for a contact (audited as `create`
    /// of `reimbursement/<id>`).
    pub async fn record_reimbursement(
        &self,
        who: &Principal,
        contact: ContactId,
        r: NewReimbursement,
    ) -> Result<i64, StoreError> {
        self.permit(who, Permission::RecordReimbursements).await?;
        let actor = who.actor();
        if r.amount_cents <= 0 {
            return Err(StoreError::Field {
                field: "amount_cents",
                message: "must be more than zero".into(),
            });
        }
        if !is_date(&r.received_on) {
            return Err(StoreError::Field {
                field: "received_on",
                message: format!("`{}` is not a date (YYYY-MM-DD)", r.received_on),
            });
        }
        let r = NewReimbursement {
            reference: text::line("reference", r.reference, limits::REFERENCE)?,
            ..r
        };
        match self.run(Op::Reimburse(actor.clone(), contact, r)).await? {
            OpOut::Id(id) => Ok(id),
            _ => Err(unexpected()),
        }
    }

    /// Every compliance exception, newest first, optionally only those routed
    /// to one office (audited as `list` of `compliance-exceptions`).
    pub async fn compliance_exceptions(
        &self,
        who: &Principal,
        office: Option<Office>,
    ) -> Result<Vec<ComplianceException>, StoreError> {
        self.permit(who, Permission::ReadExceptions).await?;
        match self
            .run(Op::Exceptions(who.actor().clone(), office))
            .await?
        {
            OpOut::Exceptions(l) => Ok(l),
            _ => Err(unexpected()),
        }
    }

    /// Adds an explanation to a compliance exception (audited as `explain`).
    pub async fn explain_exception(
        &self,
        who: &Principal,
        exception: i64,
        text: String,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::ExplainExceptions).await?;
        let text = text::block("text", text, limits::EXPLANATION, false)?;
        match self
            .run(Op::Explain(who.actor().clone(), exception, text))
            .await?
        {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Creates a staff account (audited as `create` of `account/<name>`).
    pub async fn add_account(&self, who: &Principal, a: NewAccount) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let actor = who.actor();
        if !is_username(&a.username) {
            return Err(StoreError::Field {
                field: "username",
                message: format!(
                    "`{}`: use 1 to 64 of a-z, 0-9, `.`, `_` and `-`",
                    a.username
                ),
            });
        }
        match self.run(Op::AddAccount(actor.clone(), a)).await? {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Every API token ever made, oldest first, revoked ones included
    /// (audited as `list` of `tokens`). The tokens themselves are never
    /// stored, so never shown.
    pub async fn list_tokens(&self, who: &Principal) -> Result<Vec<TokenSummary>, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        match self.run(Op::ListTokens(who.actor().clone())).await? {
            OpOut::Tokens(l) => Ok(l),
            _ => Err(unexpected()),
        }
    }

    /// Every account, by name (audited as `list` of `accounts`).
    pub async fn list_accounts(&self, who: &Principal) -> Result<Vec<AccountSummary>, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        match self.run(Op::ListAccounts(who.actor().clone())).await? {
            OpOut::Accounts(l) => Ok(l),
            _ => Err(unexpected()),
        }
    }

    /// Issues an enrolment code for an account (audited as
    /// `enrolment-issued`): whoever holds the code until `expires_ms` may set
    /// the account's password and authenticator, once. Issuing again
    /// replaces the earlier code. The caller keeps the code; the store only
    /// its hash.
    pub async fn issue_enrolment(
        &self,
        who: &Principal,
        username: &str,
        code_hash: [u8; 32],
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        match self
            .run(Op::IssueEnrolment(
                who.actor().clone(),
                username.to_owned(),
                code_hash,
                expires_ms,
            ))
            .await?
        {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Sets an account's own password and authenticator with its enrolment
    /// code (audited as `enrolled`, or `enrol-failed`): the code must match,
    /// be unexpired and unused; it is then spent, failures are cleared and
    /// every earlier session ends. Returns whether it worked; a wrong name,
    /// code or an expired one look the same.
    pub async fn enrol(&self, username: &str, e: Enrolment) -> Result<bool, StoreError> {
        if !is_username(username) {
            return Ok(false);
        }
        match self
            .run(Op::Enrol(username.to_owned(), Box::new(e)))
            .await?
        {
            OpOut::Done => Ok(true),
            OpOut::Denied => Ok(false),
            _ => Err(unexpected()),
        }
    }

    /// Disables an account (audited as `disable`): it can no longer sign
    /// in, and its sessions end at once. Nothing is deleted. An
    /// administrator cannot disable their own account.
    pub async fn disable_account(&self, who: &Principal, username: &str) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let actor = who.actor();
        if *actor == Actor::user(username) {
            return Err(StoreError::Invalid(
                "you cannot disable your own account: ask another administrator".into(),
            ));
        }
        match self
            .run(Op::DisableAccount(actor.clone(), username.to_owned()))
            .await?
        {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// How many contacts someone other than `actor` recorded (the synthetic
    /// generator writes only into a database that holds nothing real).
    /// Not audited: it reads no record.
    pub async fn contacts_not_recorded_by(&self, actor: &Actor) -> Result<i64, StoreError> {
        self.shared.backend.contacts_not_by(actor.as_str()).await
    }

    /// How many accounts exist (for the first-run message).
    pub async fn account_count(&self) -> Result<i64, StoreError> {
        self.shared.backend.account_count().await
    }

    /// What checking a sign-in needs; `None` for an unknown username.
    /// Not audited by itself: [`Store::finish_sign_in`] is.
    pub async fn sign_in_material(
        &self,
        username: &str,
    ) -> Result<Option<SignInMaterial>, StoreError> {
        if !is_username(username) {
            return Ok(None);
        }
        self.shared.backend.sign_in_material(username).await
    }

    /// Settles a sign-in the caller has checked (audited as `sign-in`,
    /// `sign-in-failed` or `sign-in-locked`, with digests of the source and
    /// of an unknown name): counts failures per name as typed and source,
    /// locks that pair after [`trustgate_access::MAX_FAILED_SIGN_INS`]
    /// within [`trustgate_access::LOCKOUT_WINDOW_MS`], brakes the name for
    /// untrusted sources after [`trustgate_access::BRAKE_AFTER`] from all,
    /// refuses a TOTP step already used, and creates the session. Unknown
    /// names go through the same counting as known ones.
    pub async fn finish_sign_in(
        &self,
        username: &str,
        attempt: Attempt,
    ) -> Result<SignInOutcome, StoreError> {
        match self
            .run(Op::SignIn(guard::Typed(username.to_owned()), attempt))
            .await?
        {
            OpOut::SignIn(o) => Ok(o),
            _ => Err(unexpected()),
        }
    }

    /// The principal a session token (by hash) stands for, if the session is
    /// live; touches it, so it stays live while used. Not audited: what the
    /// principal then does is.
    pub async fn session(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Result<Principal, Unauthenticated>, StoreError> {
        self.shared.backend.session(token_hash).await
    }

    /// Ends a session (audited as `sign-out`).
    pub async fn sign_out(&self, actor: &Actor, token_hash: [u8; 32]) -> Result<(), StoreError> {
        match self.run(Op::SignOut(actor.clone(), token_hash)).await? {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Revokes an API token (audited as `revoke` of `token/<id>`); it stops
    /// working at once. Revoking twice, or a token that does not exist, is
    /// [`StoreError::NotFound`].
    pub async fn revoke_token(&self, who: &Principal, id: i64) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        match self.run(Op::RevokeToken(who.actor().clone(), id)).await? {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Creates an API token (audited as `create` of `token/<id>`) for an
    /// integration. Its scopes are only what an integration writes
    /// ([`Permission::INTEGRATION`]): an administrator, who may not touch
    /// records, cannot mint a token that reads them, and nothing that reads
    /// records acts without a person who holds that permission.
    pub async fn add_token(&self, who: &Principal, t: NewToken) -> Result<i64, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let name = text::line("name", t.name, limits::TOKEN_NAME)?;
        if t.scopes.is_empty() {
            return Err(StoreError::Field {
                field: "scopes",
                message: "a token needs at least one scope".into(),
            });
        }
        if let Some(p) = t
            .scopes
            .iter()
            .find(|p| !Permission::INTEGRATION.contains(p))
        {
            let allowed: Vec<&str> = Permission::INTEGRATION.iter().map(|p| p.as_str()).collect();
            return Err(StoreError::Field {
                field: "scopes",
                message: format!(
                    "a token cannot carry `{p}`: tokens are for integrations that write ({}); \
                     reading records or the audit log, and managing access, need a person signed in",
                    allowed.join(", ")
                ),
            });
        }
        let t = NewToken { name, ..t };
        match self.run(Op::AddToken(who.actor().clone(), t)).await? {
            OpOut::Id(id) => Ok(id),
            _ => Err(unexpected()),
        }
    }

    /// The principal an API token (by hash) stands for, if not revoked.
    pub async fn api_token(&self, token_hash: &[u8; 32]) -> Result<Option<Principal>, StoreError> {
        self.shared.backend.api_token(token_hash).await
    }

    /// Audits a refused request (`denied`, with what was asked as the
    /// object): failed accesses are accesses too.
    pub async fn record_denial(&self, actor: &Actor, what: &str) -> Result<(), StoreError> {
        match self
            .run(Op::Denied(actor.clone(), what.chars().take(200).collect()))
            .await?
        {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// Lets `who` read the audit log, and audits that read as `action` of
    /// `audit-log` (reading the log is an access too); else refuses.
    async fn permit_audit_read(&self, who: &Principal, action: &str) -> Result<(), StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        match self
            .run(Op::AuditRead(who.actor().clone(), action.to_owned()))
            .await?
        {
            OpOut::Done => Ok(()),
            _ => Err(unexpected()),
        }
    }

    /// The audit log rows with `from <= seq < to`, in order (audited as
    /// `read-entries`).
    pub async fn audit_entries(
        &self,
        who: &Principal,
        from: u64,
        to: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        self.permit_audit_read(who, "read-entries").await?;
        self.stored_entries(from, to).await
    }

    async fn stored_entries(&self, from: u64, to: u64) -> Result<Vec<StoredEntry>, StoreError> {
        self.shared.backend.audit_entries(from, to).await
    }

    /// A contact read with its audit trail (the entries about it, oldest
    /// first, at most `limit`), for its page: whoever may read the contact
    /// may see who else did. Audited as the contact's read.
    pub async fn read_contact_with_trail(
        &self,
        who: &Principal,
        id: ContactId,
        limit: u32,
    ) -> Result<(Contact, Vec<StoredEntry>), StoreError> {
        let contact = self.read_contact(who, id).await?;
        let trail = self
            .shared
            .backend
            .audit_trail(&id.object(), i64::from(limit))
            .await?;
        Ok((contact, trail))
    }

    /// The stored audit head (audited as `read-head`).
    pub async fn audit_head(&self, who: &Principal) -> Result<AuditHead, StoreError> {
        self.permit_audit_read(who, "read-head").await?;
        self.stored_head().await
    }

    async fn stored_head(&self) -> Result<AuditHead, StoreError> {
        self.shared.backend.audit_head().await
    }

    /// Checks the whole stored audit log: sequence numbers, the hash chain,
    /// every stored Merkle leaf hash, the stored head against the entries, and
    /// the given published checkpoints (already checked for their
    /// signatures); then every record (contact, account, token) against the
    /// digest in the latest entry about it, every read against the entry
    /// before it, and the report counters against the records they count.
    /// All in one read-only snapshot, in time linear in the records and the
    /// log. The first finding is returned in words that say where.
    /// Audited as `verify` once it has read: a log found altered may not
    /// take the entry, and the finding must still be told.
    pub async fn verify_audit_log(
        &self,
        who: &Principal,
        checkpoints: &[trustgate_audit::Checkpoint],
    ) -> Result<Result<AuditReport, String>, StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        let finding = self.check_stored_log(checkpoints).await?;
        let recorded = self
            .run(Op::AuditRead(who.actor().clone(), "verify".to_owned()))
            .await;
        match (&finding, recorded) {
            (Ok(_), Err(e)) => Err(e),
            _ => Ok(finding),
        }
    }

    async fn check_stored_log(
        &self,
        checkpoints: &[trustgate_audit::Checkpoint],
    ) -> Result<Result<AuditReport, String>, StoreError> {
        self.shared.backend.verify_snapshot(checkpoints).await
    }

    /// The leaf hashes of the first `size` entries, recomputed from the
    /// entries (never the stored ones: a proof must not vouch for an altered
    /// row), or an error if the log is shorter.
    async fn leaves(&self, size: u64) -> Result<(Vec<StoredEntry>, Vec<Hash>), StoreError> {
        let head = self.stored_head().await?;
        if size > head.size {
            return Err(StoreError::Invalid(format!(
                "the log has {} entries, not {size}",
                head.size
            )));
        }
        let entries = self.stored_entries(0, size).await?;
        if entries.len() as u64 != size {
            return Err(StoreError::Corrupt(format!(
                "the head counts {size} entries but {} are stored",
                entries.len()
            )));
        }
        let leaves = entries.iter().map(|s| s.entry.leaf_hash()).collect();
        Ok((entries, leaves))
    }

    /// The tree head as of `time_ms`: the size of the log made of the
    /// entries written before then, and its Merkle root (from the entries'
    /// contents). For a checkpoint of the log as it stood at a period's end.
    /// Audited as `read-head-at`.
    pub async fn audit_head_at(
        &self,
        who: &Principal,
        time_ms: i64,
    ) -> Result<(u64, Hash), StoreError> {
        self.permit_audit_read(who, "read-head-at").await?;
        let head = self.stored_head().await?;
        let (entries, leaves) = self.leaves(head.size).await?;
        // Entries are appended in time order; the first one at or after
        // `time_ms` ends the log as it stood.
        let size = entries
            .iter()
            .position(|s| s.entry.time_ms >= time_ms)
            .unwrap_or(entries.len());
        let root = trustgate_audit::merkle::root(leaves.get(..size).unwrap_or(&leaves));
        Ok((size as u64, root))
    }

    /// Proves that entry `entry` is in the tree of the first `size` entries
    /// (the size of a published checkpoint, say). Audited as
    /// `prove-inclusion`.
    pub async fn inclusion_proof(
        &self,
        who: &Principal,
        entry: u64,
        size: u64,
    ) -> Result<InclusionProof, StoreError> {
        self.permit_audit_read(who, "prove-inclusion").await?;
        if entry >= size {
            return Err(StoreError::Invalid(format!(
                "entry {entry} is not among the first {size}"
            )));
        }
        let (mut entries, leaves) = self.leaves(size).await?;
        let path = trustgate_audit::merkle::inclusion_proof(&leaves, entry)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let root = trustgate_audit::merkle::root(&leaves);
        let index =
            usize::try_from(entry).map_err(|_| StoreError::Invalid("entry too large".into()))?;
        Ok(InclusionProof {
            entry: entries.swap_remove(index),
            size,
            root,
            path,
        })
    }

    /// Proves that the tree of the first `old_size` entries is a prefix of
    /// the tree of the first `new_size`: nothing published was rewritten.
    /// Audited as `prove-consistency`.
    pub async fn consistency_proof(
        &self,
        who: &Principal,
        old_size: u64,
        new_size: u64,
    ) -> Result<ConsistencyProof, StoreError> {
        self.permit_audit_read(who, "prove-consistency").await?;
        if old_size > new_size {
            return Err(StoreError::Invalid(format!(
                "the old size {old_size} is larger than the new size {new_size}"
            )));
        }
        let (_, leaves) = self.leaves(new_size).await?;
        let proof = trustgate_audit::merkle::consistency_proof(&leaves, old_size)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let old =
            usize::try_from(old_size).map_err(|_| StoreError::Invalid("size too large".into()))?;
        Ok(ConsistencyProof {
            old_size,
            old_root: trustgate_audit::merkle::root(&leaves[..old]),
            new_size,
            new_root: trustgate_audit::merkle::root(&leaves),
            proof,
        })
    }
}

/// An RFC 6962 inclusion proof: entry `entry` is in the tree of the first
/// `size` entries, whose root is `root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub entry: StoredEntry,
    pub size: u64,
    pub root: Hash,
    /// The audit path, deepest sibling first.
    pub path: Vec<Hash>,
}

/// An RFC 6962 consistency proof: the tree of the first `old_size` entries
/// is a prefix of the tree of the first `new_size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub old_root: Hash,
    pub new_size: u64,
    pub new_root: Hash,
    pub proof: Vec<Hash>,
}

/// What a report reads of the records of one stretch of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRows {
    /// The contacts, as the report reads them (no personal data).
    pub contacts: Vec<trustgate_report::ContactRow>,
    /// (contact, amount in cents, received on YYYY-MM-DD).
    pub reimbursements: Vec<(ContactId, i64, String)>,
}

/// The per-day report counters of a stretch of days, and its reimbursements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCounts {
    /// (day YYYY-MM-DD, breakdown, key, count).
    pub counts: Vec<(String, String, String, i64)>,
    /// (contact, amount in cents, received on YYYY-MM-DD).
    pub reimbursements: Vec<(ContactId, i64, String)>,
}

/// What [`Store::verify_audit_log`] found when the log is intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// The head the entries were checked against.
    pub head: AuditHead,
    /// How many checkpoints matched.
    pub checkpoints: usize,
    /// Entries `0..anchored` are vouched for by a checkpoint.
    pub anchored: u64,
    /// Records whose content matched the latest entry about them.
    pub records: u64,
    /// Records created by entries of format 1 (before record digests) that
    /// no later entry has read or changed: their content is not vouched for.
    pub unprotected: u64,
    /// Whether the report counters were checked against the records (not
    /// when they are due for a recount, which the binary runs on open).
    pub counters_checked: bool,
}

/// Every check of a stored log; the first finding, in words.
fn check_log(
    head: &AuditHead,
    stored: &[StoredEntry],
    checkpoints: &[trustgate_audit::Checkpoint],
) -> Result<trustgate_audit::Report, String> {
    let entries: Vec<_> = stored.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = stored.iter().map(|s| s.chain_hash).collect();
    let report =
        trustgate_audit::verify_log(&entries, &chain, checkpoints).map_err(|t| t.to_string())?;
    if let Some(s) = stored.iter().find(|s| s.leaf_hash != s.entry.leaf_hash()) {
        return Err(format!(
            "entry {}: its stored Merkle leaf hash does not match its contents",
            s.entry.seq
        ));
    }
    let rebuilt = &report.head;
    if rebuilt.size() != head.size {
        return Err(format!(
            "entries {} to {}: the stored head counts {} entries but only {} are there: entries at the end were deleted",
            rebuilt.size(),
            head.size.saturating_sub(1),
            head.size,
            rebuilt.size()
        ));
    }
    if rebuilt.root() != head.root || rebuilt.chain_head() != head.chain_head {
        return Err("the stored head (root and chain head) does not match the entries: the head or the log was rewritten".into());
    }
    Ok(report)
}

/// The store's limits on what people write into records, in characters
/// (the server's OpenAPI document states the same constants).
pub mod limits {
    /// A contact's receiving unit.
    pub const RECEIVING_UNIT: usize = 200;
    /// Who did the acts, when not the recorder.
    pub const DONE_BY: usize = 200;
    /// A person's name.
    pub const PERSON_NAME: usize = 200;
    /// A person's address.
    pub const PERSON_ADDRESS: usize = 500;
    /// A reimbursement's reference.
    pub const REFERENCE: usize = 200;
    /// An explanation of a compliance exception.
    pub const EXPLANATION: usize = 20_000;
    /// A fulfilment's note (may be empty).
    pub const NOTE: usize = 4000;
    /// An API token's name.
    pub const TOKEN_NAME: usize = 100;
    /// Why a contact is entered late.
    pub const LATE_ENTRY: usize = 2000;
    /// What a one-line text field holds, as the API's document states it
    /// (ECMA-262): some character that is not white space, and no control
    /// character (C0, DEL, C1) or bidirectional override (`text.rs`).
    pub const LINE_PATTERN: &str = concat!(
        r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*",
        r"[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\s]",
        r"[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    );
    /// A text of several lines, not blank: as a line, but tabs, line feeds
    /// and CR LF pairs are allowed.
    pub const BLOCK_PATTERN: &str = concat!(
        r"^(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r\n)*",
        r"[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\s]",
        r"(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r\n)*$"
    );
    /// A text of several lines that may be empty.
    pub const BLOCK_OR_EMPTY_PATTERN: &str =
        r"^(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r\n)*$";
    /// A username: 1 to 64 of a-z, 0-9, `.`, `_`, `-`.
    pub const USERNAME_PATTERN: &str = "^[a-z0-9._-]{1,64}$";
}

/// Whether `location` names a PostgreSQL database.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

fn is_username(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(
            &s[5..7],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
        && s[8..10].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

/// One unit of work inside a backend's transaction, with its audit append.
#[derive(Debug)]
pub(crate) enum Op {
    Record(Actor, Box<Checked>),
    Read(Actor, ContactId, Reach),
    List(Actor, Reach, Page),
    Fulfil(Actor, ContactId, i64, String, Reach),
    Reimburse(Actor, ContactId, NewReimbursement),
    Exceptions(Actor, Option<Office>),
    Explain(Actor, i64, String),
    AddAccount(Actor, NewAccount),
    SignIn(guard::Typed, Attempt),
    SignOut(Actor, [u8; 32]),
    AddToken(Actor, NewToken),
    Denied(Actor, String),
    AuditRead(Actor, String),
    Publish(Actor, trustgate_report::Period),
    RotateKeys(Actor),
    RevokeToken(Actor, i64),
    ListAccounts(Actor),
    OpenObligations(Actor, Reach, Option<i64>),
    ReportRows(Actor, (i64, i64), (String, String)),
    ReportCounts(Actor, (String, String)),
    RecountReports(Actor),
    DisableAccount(Actor, String),
    IssueEnrolment(Actor, String, [u8; 32], i64),
    ListTokens(Actor),
    Enrol(String, Box<Enrolment>),
}

#[derive(Debug)]
pub(crate) enum OpOut {
    Contact(Recorded),
    Read(Box<Contact>),
    List(Vec<ContactSummary>),
    Exceptions(Vec<ComplianceException>),
    Accounts(Vec<AccountSummary>),
    Tokens(Vec<TokenSummary>),
    Obligations(Vec<OpenObligation>),
    ReportRows(Box<ReportRows>),
    ReportCounts(Box<ReportCounts>),
    SignIn(SignInOutcome),
    Id(i64),
    Done,
    /// Out of the actor's reach: audited, reported as missing.
    Denied,
}

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

pub(crate) fn acts_from_json(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("stored acts done: {e}")))
}

pub(crate) fn parse_stored<T: FromStr<Err = StoreError>>(s: &str) -> Result<T, StoreError> {
    s.parse()
        .map_err(|e: StoreError| StoreError::Corrupt(e.to_string()))
}

/// Rebuilds the log head from the stored `audit_head` row.
pub(crate) fn head_from_row(
    size: i64,
    chain: &[u8],
    frontier: &[u8],
) -> Result<LogHead, StoreError> {
    let chain = hash_of(chain)?;
    let size =
        u64::try_from(size).map_err(|_| StoreError::Corrupt("negative audit size".into()))?;
    if !frontier.len().is_multiple_of(32) {
        return Err(StoreError::Corrupt(
            "audit frontier length is not a multiple of 32".into(),
        ));
    }
    let nodes = frontier
        .chunks_exact(32)
        .map(hash_of)
        .collect::<Result<Vec<Hash>, _>>()?;
    let frontier = Frontier::from_parts(size, nodes)
        .map_err(|e| StoreError::Corrupt(format!("audit frontier: {e}")))?;
    Ok(LogHead::from_parts(chain, frontier))
}

pub(crate) fn audit_head_of(head: &LogHead) -> AuditHead {
    AuditHead {
        size: head.size(),
        root: head.root(),
        chain_head: head.chain_head(),
    }
}

pub(crate) fn frontier_bytes(head: &LogHead) -> Vec<u8> {
    head.frontier().nodes().concat()
}

pub(crate) fn hash_of(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a stored hash has {} bytes", bytes.len())))
}

pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n)
        .map_err(|_| StoreError::Corrupt(format!("{n} does not fit a database integer")))
}

pub(crate) fn seq_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative sequence number {n}")))
}

/// The audit entry for an operation, appended to `head`; returns it with the
/// hashes to store.
pub(crate) fn next_entry(
    head: &mut LogHead,
    time_ms: i64,
    actor: &Actor,
    action: &str,
    object: String,
    detail: &str,
    state: State,
) -> Result<StoredEntry, StoreError> {
    let entry = Entry {
        seq: head.size(),
        time_ms,
        actor: actor.0.clone(),
        action: action.to_owned(),
        object,
        detail: detail.to_owned(),
        state,
    };
    let a = head
        .append(&entry)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(StoredEntry {
        entry,
        chain_hash: a.chain_hash,
        leaf_hash: a.leaf_hash,
    })
}

/// The audit detail of a `create`: whether it was flagged (no personal data).
pub(crate) fn create_detail(prohibited: &[String]) -> &'static str {
    if prohibited.is_empty() {
        ""
    } else {
        "compliance-exception"
    }
}

pub(crate) fn unexpected() -> StoreError {
    StoreError::Corrupt("an operation returned the wrong kind of result".into())
}
