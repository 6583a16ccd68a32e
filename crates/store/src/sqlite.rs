//! SQLite: one file, WAL, `synchronous=FULL`, and `BEGIN IMMEDIATE` so the
//! write lock is held before the audit head is read.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row as _, SqliteConnection, SqlitePool};
use trustgate_audit::LogHead;

use crate::{
    Actor, AuditHead, Checked, Clock, Contact, ContactId, NewContact, Op, OpOut, Store, StoreError,
    StoredEntry, acts_from_json, audit_head_of, create_detail, db, frontier_bytes, hash_of,
    head_from_row, next_entry, seq_of, to_i64, unexpected,
};

/// The migrations, embedded.
fn migrator() -> Migrator {
    Migrator::with_migrations(vec![Migration::new(
        1,
        "init".into(),
        MigrationType::Simple,
        sqlx::SqlSafeStr::into_sql_str(include_str!("../migrations/sqlite/0001_init.sql")),
        false,
    )])
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

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The settings a connection of this store runs with.
    pub async fn settings(&self) -> Result<SqliteSettings, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
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

    /// Runs one operation in its own transaction with its audit append.
    async fn run(&self, op: Op) -> Result<OpOut, StoreError> {
        // BEGIN IMMEDIATE takes the write lock up front, so two writers never
        // both read the same audit head.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let mut head = load_head(&mut tx).await?;
        let out = apply(&mut tx, &mut head, self.clock.now_ms(), op).await?;
        store_head(&mut tx, &head).await?;
        tx.commit().await.map_err(db)?;
        Ok(out)
    }
}

async fn load_head(conn: &mut SqliteConnection) -> Result<LogHead, StoreError> {
    let row = sqlx::query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    head_from_row(
        row.try_get(0).map_err(db)?,
        row.try_get::<&[u8], _>(1).map_err(db)?,
        row.try_get::<&[u8], _>(2).map_err(db)?,
    )
}

async fn store_head(conn: &mut SqliteConnection, head: &LogHead) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET size = ?1, chain_head = ?2, frontier = ?3 WHERE id = 1")
        .bind(to_i64(head.size())?)
        .bind(head.chain_head().as_slice())
        .bind(frontier_bytes(head))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn append(
    conn: &mut SqliteConnection,
    head: &mut LogHead,
    time_ms: i64,
    actor: &Actor,
    action: &str,
    object: String,
    detail: &str,
) -> Result<(), StoreError> {
    let s = next_entry(head, time_ms, actor, action, object, detail)?;
    sqlx::query(
        "INSERT INTO audit_log (seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(to_i64(s.entry.seq)?)
    .bind(s.entry.time_ms)
    .bind(&s.entry.actor)
    .bind(&s.entry.action)
    .bind(&s.entry.object)
    .bind(&s.entry.detail)
    .bind(s.chain_hash.as_slice())
    .bind(s.leaf_hash.as_slice())
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

async fn apply(
    conn: &mut SqliteConnection,
    head: &mut LogHead,
    now: i64,
    op: Op,
) -> Result<OpOut, StoreError> {
    match op {
        Op::Record(actor, checked) => {
            let Checked {
                contact: c,
                acts_done_json,
                prohibited,
            } = checked;
            let row = sqlx::query(
                "INSERT INTO contacts (kind, channel, receiving_unit, scenario, decision, acts_done, \
                 compliance_exception, created_by, created_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
            )
            .bind(c.kind.as_str())
            .bind(c.channel.as_str())
            .bind(&c.receiving_unit)
            .bind(&c.scenario)
            .bind(&c.decision)
            .bind(&acts_done_json)
            .bind(!prohibited.is_empty())
            .bind(actor.as_str())
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
            let id = ContactId(row.try_get(0).map_err(db)?);
            for act in &prohibited {
                sqlx::query(
                    "INSERT INTO compliance_exceptions (contact_id, act, flagged_ms) VALUES (?1, ?2, ?3)",
                )
                .bind(id.0)
                .bind(act)
                .bind(now)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            }
            let detail = create_detail(&prohibited);
            append(conn, head, now, &actor, "create", id.object(), detail).await?;
            Ok(OpOut::Recorded(id))
        }
        Op::Read(actor, id) => {
            let row = sqlx::query(
                "SELECT kind, channel, receiving_unit, scenario, decision, acts_done, \
                 compliance_exception, created_by, created_ms FROM contacts WHERE id = ?1",
            )
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(id.object()))?;
            let mut prohibited: Vec<String> = sqlx::query_scalar(
                "SELECT act FROM compliance_exceptions WHERE contact_id = ?1 ORDER BY act",
            )
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            // Sorted here, not by the database's collation.
            prohibited.sort();
            let contact = contact_from_row(id, &row, prohibited)?;
            append(conn, head, now, &actor, "read", id.object(), "").await?;
            Ok(OpOut::Read(Box::new(contact)))
        }
    }
}

fn contact_from_row(
    id: ContactId,
    row: &sqlx::sqlite::SqliteRow,
    prohibited_acts_done: Vec<String>,
) -> Result<Contact, StoreError> {
    let kind: String = row.try_get(0).map_err(db)?;
    let channel: String = row.try_get(1).map_err(db)?;
    let acts: String = row.try_get(5).map_err(db)?;
    Ok(Contact {
        id,
        contact: NewContact {
            kind: kind
                .parse()
                .map_err(|e: StoreError| StoreError::Corrupt(e.to_string()))?,
            channel: channel
                .parse()
                .map_err(|e: StoreError| StoreError::Corrupt(e.to_string()))?,
            receiving_unit: row.try_get(2).map_err(db)?,
            scenario: row.try_get(3).map_err(db)?,
            decision: row.try_get(4).map_err(db)?,
            acts_done: acts_from_json(&acts)?,
        },
        compliance_exception: row.try_get(6).map_err(db)?,
        prohibited_acts_done,
        recorded_by: Actor(row.try_get(7).map_err(db)?),
        recorded_ms: row.try_get(8).map_err(db)?,
    })
}

impl Store for SqliteStore {
    async fn record_contact(
        &self,
        actor: &Actor,
        contact: NewContact,
    ) -> Result<ContactId, StoreError> {
        let checked = crate::check(contact)?;
        match self.run(Op::Record(actor.clone(), checked)).await? {
            OpOut::Recorded(id) => Ok(id),
            OpOut::Read(_) => Err(unexpected()),
        }
    }

    async fn read_contact(&self, actor: &Actor, id: ContactId) -> Result<Contact, StoreError> {
        match self.run(Op::Read(actor.clone(), id)).await? {
            OpOut::Read(c) => Ok(*c),
            OpOut::Recorded(_) => Err(unexpected()),
        }
    }

    async fn audit_entries(&self, from: u64, to: u64) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash \
             FROM audit_log WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
        )
        .bind(to_i64(from.min(i64::MAX as u64))?)
        .bind(to_i64(to.min(i64::MAX as u64))?)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(StoredEntry {
                    entry: trustgate_audit::Entry {
                        seq: seq_of(r.try_get(0).map_err(db)?)?,
                        time_ms: r.try_get(1).map_err(db)?,
                        actor: r.try_get(2).map_err(db)?,
                        action: r.try_get(3).map_err(db)?,
                        object: r.try_get(4).map_err(db)?,
                        detail: r.try_get(5).map_err(db)?,
                    },
                    chain_hash: hash_of(r.try_get::<&[u8], _>(6).map_err(db)?)?,
                    leaf_hash: hash_of(r.try_get::<&[u8], _>(7).map_err(db)?)?,
                })
            })
            .collect()
    }

    async fn audit_head(&self) -> Result<AuditHead, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        Ok(audit_head_of(&load_head(&mut conn).await?))
    }
}
