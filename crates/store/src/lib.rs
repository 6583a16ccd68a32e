//! # trustgate-store: the records store
//!
//! One interface ([`Store`]) over two backends: SQLite ([`SqliteStore`], one
//! file, the embedded default) and PostgreSQL ([`PgStore`], given a URL);
//! [`AnyStore`] holds either. Every operation, reads included, is one
//! transaction that also appends its entry to the audit log
//! ([`trustgate_audit`]): the stored audit head is read under the write lock
//! (`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on PostgreSQL), the
//! entry is appended with [`trustgate_audit::LogHead::append`], and the entry
//! row (with its chain and leaf hashes) and the new head are written before
//! the commit. So no record is created or read without its audit entry, and
//! no two writers ever build on the same head.
//!
//! Design and measurements: `docs/design/store.md`.
//!
//! - Queries are runtime `sqlx::query(..)` with literal SQL and bound values;
//!   one conformance suite (`tests/it`) runs every operation on both backends.
//! - Migrations are embedded per backend (`migrations/{sqlite,postgres}`) and
//!   run when a store is opened.
//! - The public API holds domain types only: no sqlx type crosses it.
//! - The store reads no clock: the caller supplies a [`Clock`].
//! - There is no delete operation. The audit log and the compliance
//!   exceptions are also protected by triggers against updates and deletes.
//! - Whether a contact is a compliance exception is computed here, from the
//!   decision's JSON, never taken from the caller: an act done whose item in
//!   the decision is `prohibited` makes it one.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use trustgate_audit::{Entry, Frontier, Hash, LogHead};

mod pg;
mod sqlite;

pub use pg::{PgStore, is_plain_identifier};
pub use sqlite::{SqliteSettings, SqliteStore};

/// Who does something: an account or token id. Never a person's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(String);

impl Actor {
    /// An actor by id.
    pub fn new(id: impl Into<String>) -> Actor {
        Actor(id.into())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
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

/// A contact to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// What it was.
    pub kind: ContactKind,
    /// How it came in.
    pub channel: Channel,
    /// The unit that received it (a district station, the records office, …).
    pub receiving_unit: String,
    /// The scenario as JSON (`trustgate_api::Scenario`), kept as given.
    pub scenario: String,
    /// The engine's decision as JSON (`trustgate_api::Decision`), kept as
    /// given; the store reads only `items[].key` and `items[].outcome`.
    pub decision: String,
    /// The acts actually done, by key (`detain`, `disclose.address`, …).
    pub acts_done: Vec<String>,
}

/// A recorded contact, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// What was recorded, exactly.
    pub contact: NewContact,
    /// Whether an act done was prohibited by the decision.
    pub compliance_exception: bool,
    /// Those acts, sorted (empty unless `compliance_exception`).
    pub prohibited_acts_done: Vec<String>,
    /// Who recorded it.
    pub recorded_by: Actor,
    /// When (UTC ms, from the store's [`Clock`]).
    pub recorded_ms: i64,
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
    /// What is stored is not what the store writes (a broken audit head, an
    /// unknown stored kind, …).
    #[error("the stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(String),
}

pub(crate) fn db(e: impl fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The time source. Only the CLI reads the clock, so the caller supplies it.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Now, in UTC milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The domain operations. Each is one transaction that also appends its
/// audit entry. `impl Future + Send`, so a server handler can await them.
pub trait Store: Send + Sync {
    /// Records a contact (audited as `create`). Whether it is a compliance
    /// exception is computed from its decision.
    fn record_contact(
        &self,
        actor: &Actor,
        contact: NewContact,
    ) -> impl Future<Output = Result<ContactId, StoreError>> + Send;

    /// Reads a contact (audited as `read`). A missing one is
    /// [`StoreError::NotFound`] and appends nothing.
    fn read_contact(
        &self,
        actor: &Actor,
        id: ContactId,
    ) -> impl Future<Output = Result<Contact, StoreError>> + Send;

    /// The audit log rows with `from <= seq < to`, in order.
    fn audit_entries(
        &self,
        from: u64,
        to: u64,
    ) -> impl Future<Output = Result<Vec<StoredEntry>, StoreError>> + Send;

    /// The stored audit head.
    fn audit_head(&self) -> impl Future<Output = Result<AuditHead, StoreError>> + Send;
}

/// Either backend (async trait methods cannot be `dyn`, so this dispatches
/// statically).
#[derive(Debug)]
pub enum AnyStore {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PgStore),
}

impl AnyStore {
    /// Opens a store by location: a `postgres://` or `postgresql://` URL, or
    /// else a SQLite file path (optionally prefixed `sqlite:`), created if
    /// missing. Runs the migrations.
    pub async fn open(location: &str, clock: Arc<dyn Clock>) -> Result<AnyStore, StoreError> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            Ok(AnyStore::Postgres(PgStore::connect(location, clock).await?))
        } else {
            let path = location.strip_prefix("sqlite:").unwrap_or(location);
            Ok(AnyStore::Sqlite(
                SqliteStore::open(Path::new(path), clock).await?,
            ))
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            AnyStore::Sqlite(s) => s.close().await,
            AnyStore::Postgres(s) => s.close().await,
        }
    }
}

impl Store for AnyStore {
    async fn record_contact(
        &self,
        actor: &Actor,
        contact: NewContact,
    ) -> Result<ContactId, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.record_contact(actor, contact).await,
            AnyStore::Postgres(s) => s.record_contact(actor, contact).await,
        }
    }

    async fn read_contact(&self, actor: &Actor, id: ContactId) -> Result<Contact, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.read_contact(actor, id).await,
            AnyStore::Postgres(s) => s.read_contact(actor, id).await,
        }
    }

    async fn audit_entries(&self, from: u64, to: u64) -> Result<Vec<StoredEntry>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.audit_entries(from, to).await,
            AnyStore::Postgres(s) => s.audit_entries(from, to).await,
        }
    }

    async fn audit_head(&self) -> Result<AuditHead, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.audit_head().await,
            AnyStore::Postgres(s) => s.audit_head().await,
        }
    }
}

/// One unit of work inside a backend's transaction (and, later, inside a
/// group-commit batch).
#[derive(Debug)]
pub(crate) enum Op {
    Record(Actor, Checked),
    Read(Actor, ContactId),
}

#[derive(Debug)]
pub(crate) enum OpOut {
    Recorded(ContactId),
    Read(Box<Contact>),
}

/// A contact that passed validation, with what the store computed from it.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) contact: NewContact,
    pub(crate) acts_done_json: String,
    pub(crate) prohibited: Vec<String>,
}

#[derive(serde::Deserialize)]
struct DecisionItems {
    items: Vec<DecisionItem>,
}

#[derive(serde::Deserialize)]
struct DecisionItem {
    key: String,
    outcome: String,
}

/// Validates a contact and computes its compliance exceptions: the acts done
/// whose item in the decision has outcome `prohibited` (matched by exact key).
pub(crate) fn check(contact: NewContact) -> Result<Checked, StoreError> {
    if contact.receiving_unit.trim().is_empty() {
        return Err(StoreError::Invalid("the receiving unit is empty".into()));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(&contact.scenario)
        .map_err(|e| StoreError::Invalid(format!("the scenario is not JSON: {e}")))?;
    let decision: DecisionItems = serde_json::from_str(&contact.decision).map_err(|e| {
        StoreError::Invalid(format!(
            "the decision is not a decision's JSON (items[].key, items[].outcome): {e}"
        ))
    })?;
    let mut done = BTreeSet::new();
    for act in &contact.acts_done {
        if act.trim().is_empty() {
            return Err(StoreError::Invalid("an act done is empty".into()));
        }
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
    let acts_done_json = serde_json::to_string(&contact.acts_done).map_err(db)?;
    Ok(Checked {
        contact,
        acts_done_json,
        prohibited,
    })
}

pub(crate) fn acts_from_json(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("stored acts done: {e}")))
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
) -> Result<StoredEntry, StoreError> {
    let entry = Entry {
        seq: head.size(),
        time_ms,
        actor: actor.0.clone(),
        action: action.to_owned(),
        object,
        detail: detail.to_owned(),
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
