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
//! - [`Store`] is a thin façade (`store.rs`); each operation is one type
//!   implementing `writer::Operation` (its output is the caller's answer),
//!   kept with its group's public methods and types: `contacts/`,
//!   `complaints/`,
//!   `obligations.rs`, `reimbursements.rs`, `exceptions.rs` (and their
//!   explanations), `accounts.rs`, `sign_in.rs` (with sessions),
//!   `tokens.rs`, `audit.rs` (log, proofs) and `verify.rs`, `reports.rs`
//!   (with publication), `snapshot.rs` (consistent copies for backups).
//!   Every write, a session's touch or idle end
//!   included, is an operation run by the writer task (`writer.rs`).
//! - Queries are runtime queries with literal SQL, `$n` parameters and bound
//!   values. The SQL is the same on both backends, so the operations are
//!   written once against one connection type over both (`sql.rs`: the only
//!   place that chooses a database); one conformance suite (`tests/it`)
//!   runs every operation on both.
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
//!   dependent rows, a complaint with its history, notes and duties, an
//!   account, a token) carries the digest of the record's
//!   rows as written, read back in the same transaction; a read, the digest
//!   of what it read (`integrity.rs`). [`Store::verify_audit_log`] checks
//!   every record and the report counters against the log.

// An index that can be out of bounds is a panic waiting for a bad row: the
// store reads with `get` and says what is missing, or notes why an index
// cannot fail (`PANIC SAFETY:`).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod accounts;
mod audit;
mod complaints;
mod contacts;
mod error;
mod exceptions;
mod guard;
mod integrity;
mod obligations;
mod pg;
mod principal;
mod reimbursements;
mod reports;
mod seal;
mod sign_in;
mod snapshot;
mod sql;
mod sqlite;
mod store;
mod text;
mod tokens;
mod verify;
mod writer;

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
            m(
                13,
                "complaints",
                include_str!(concat!("../migrations/", $dir, "/0013_complaints.sql")),
            ),
        ])
    }};
}
pub(crate) use migrations;

pub use accounts::{AccountSummary, Enrolment, NewAccount};
pub use audit::{AuditHead, AuditReport, ConsistencyProof, InclusionProof, StoredEntry};
pub use complaints::{
    Complaint, ComplaintEvent, ComplaintId, ComplaintNote, ComplaintObligation, ContentRecord,
    Filed, PublicStatus, Queue, QueuedComplaint,
};
pub use contacts::{
    Channel, Contact, ContactId, ContactKind, ContactSummary, KeptDecision, NewContact, Office,
    Page, Person, PersonRecord, Recorded,
};
pub use error::{Clock, StoreError};
pub use exceptions::{ComplianceException, ExceptionExplanation};
pub use integrity::{TABLES_OUTSIDE_RECORDS, record_tables};
pub use obligations::{Fulfilment, ObligationRecord, OpenObligation};
pub use pg::{PgStore, is_plain_identifier};
pub use principal::{Actor, ComplaintReach, Grants, Principal, Reach, Unauthenticated};
pub use reimbursements::{NewReimbursement, Reimbursement};
pub use reports::{ReportCounts, ReportRows};
pub use seal::{Keyring, SealError};
pub use sign_in::{Attempt, SignInMaterial, SignInOutcome};
pub use snapshot::HeldSnapshot;
pub use sqlite::{SqliteSettings, SqliteStore};
pub use store::{MAX_BATCH, PendingMigration, Store, is_postgres_url};
pub use tokens::{NewToken, TokenSummary};

pub(crate) use error::{db, hash_of, parse_stored, seq_of, to_i64};
pub(crate) use store::Db;

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
