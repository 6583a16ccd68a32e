//! PostgreSQL: every audited transaction first locks the one `audit_head`
//! row (`SELECT … FOR UPDATE`), which serializes appenders across
//! connections and across processes.

use std::str::FromStr as _;
use std::sync::Arc;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row as _};
use trustgate_audit::{LogHead, State};

use crate::{
    Actor, Attempt, AuditHead, Clock, ComplianceException, Contact, ContactId, ContactSummary,
    Explanation, Fulfilment, Grants, NewContact, NewReimbursement, ObligationRecord, Principal,
    Reach, Reimbursement, SignInMaterial, SignInOutcome, StoreError, StoredEntry, Unauthenticated,
    acts_from_json, audit_head_of, db, frontier_bytes, hash_of, head_from_row, next_entry, seq_of,
    to_i64,
};

type Conn = sqlx::PgConnection;
type DbRow = sqlx::postgres::PgRow;
type This = PgStore;

/// `FOR UPDATE`: the head row stays locked until the commit, which
/// serializes appenders across connections and processes.
const LOAD_HEAD: &str = "SELECT size, chain_head, frontier FROM audit_head WHERE id = 1 FOR UPDATE";

/// A read-only snapshot for `audit verify`: one state of the database for
/// the whole check, while the writer carries on.
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

async fn begin(pool: &PgPool) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    pool.begin().await.map_err(db)
}

include!("ops.rs");
include!("integrity_sql.rs");

/// The migrations, embedded.
fn migrator() -> Migrator {
    crate::migrations!("postgres")
}

/// The PostgreSQL backend.
#[derive(Debug)]
pub struct PgStore {
    pool: PgPool,
    clock: Arc<dyn Clock>,
}

impl PgStore {
    /// Connects to the database at `url` and runs the migrations.
    pub async fn connect(url: &str, clock: Arc<dyn Clock>) -> Result<PgStore, StoreError> {
        let opts = PgConnectOptions::from_str(url).map_err(db)?;
        PgStore::connect_with(opts, clock).await
    }

    /// Connects with every table in `schema` (which must exist; its name
    /// must be `[a-z0-9_]+`), and runs the migrations there. Used to share
    /// one database, and to give each test its own schema.
    pub async fn connect_in_schema(
        url: &str,
        schema: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<PgStore, StoreError> {
        if !is_plain_identifier(schema) {
            return Err(StoreError::Invalid(format!(
                "schema name `{schema}`: use only a-z, 0-9 and _"
            )));
        }
        let opts = PgConnectOptions::from_str(url)
            .map_err(db)?
            .options([("search_path", schema)]);
        PgStore::connect_with(opts, clock).await
    }

    async fn connect_with(
        opts: PgConnectOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(db)?;
        migrator().run(&pool).await.map_err(db)?;
        Ok(PgStore { pool, clock })
    }
}

/// Whether `name` is a non-empty `[a-z0-9_]+` identifier not starting with a
/// digit: safe to splice into SQL as an identifier.
pub fn is_plain_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
