//! SQLite: one file, WAL, `synchronous=FULL`, and `BEGIN IMMEDIATE` so the
//! write lock is held before the audit head is read.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row as _, SqlitePool};
use trustgate_audit::{LogHead, State};

use crate::{
    Actor, Attempt, AuditHead, Clock, ComplianceException, Contact, ContactId, ContactSummary,
    Explanation, Fulfilment, Grants, NewContact, NewReimbursement, ObligationRecord, Principal,
    Reach, Reimbursement, SignInMaterial, SignInOutcome, StoreError, StoredEntry, Unauthenticated,
    acts_from_json, audit_head_of, db, frontier_bytes, hash_of, head_from_row, next_entry, seq_of,
    to_i64,
};

type Conn = sqlx::SqliteConnection;
type DbRow = sqlx::sqlite::SqliteRow;
type This = SqliteStore;

/// No lock clause: `BEGIN IMMEDIATE` already holds the database's write lock.
const LOAD_HEAD: &str = "SELECT size, chain_head, frontier FROM audit_head WHERE id = 1";

/// A read-only snapshot for `audit verify`: in WAL mode a deferred
/// transaction sees one state of the database from its first read to its
/// end, while the writer carries on.
const BEGIN_SNAPSHOT: &str = "BEGIN";

/// BEGIN IMMEDIATE takes the write lock up front, so two writers never both
/// read the same audit head.
async fn begin(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}

include!("ops.rs");
include!("integrity_sql.rs");

/// The migrations, embedded.
fn migrator() -> Migrator {
    crate::migrations!("sqlite")
}

/// The connection settings as SQLite reports them (for checks and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteSettings {
    /// `wal`.
    pub journal_mode: String,
    /// 2 = FULL.
    pub synchronous: i64,
    /// Whether foreign keys are enforced.
    pub foreign_keys: bool,
    /// The busy timeout, in ms.
    pub busy_timeout_ms: i64,
}

/// The SQLite backend.
#[derive(Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    clock: Arc<dyn Clock>,
}

impl SqliteStore {
    /// Opens the database file at `path`, creating it if missing, and runs
    /// the migrations.
    pub async fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<SqliteStore, StoreError> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(db)?;
        migrator().run(&pool).await.map_err(db)?;
        Ok(SqliteStore { pool, clock })
    }

    /// The settings a connection of this store runs with.
    pub async fn settings(&self) -> Result<SqliteSettings, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let mut pragma = async |sql: &'static str| -> Result<i64, StoreError> {
            sqlx::query_scalar(sql)
                .fetch_one(&mut *conn)
                .await
                .map_err(db)
        };
        let synchronous = pragma("PRAGMA synchronous").await?;
        let foreign_keys = pragma("PRAGMA foreign_keys").await?;
        let busy_timeout_ms = pragma("PRAGMA busy_timeout").await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        Ok(SqliteSettings {
            journal_mode,
            synchronous,
            foreign_keys: foreign_keys == 1,
            busy_timeout_ms,
        })
    }
}
