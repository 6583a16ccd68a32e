//! PostgreSQL: every audited transaction first locks the one `audit_head`
//! row (`SELECT … FOR UPDATE`), which serializes appenders across
//! connections and across processes.

use std::str::FromStr as _;
use std::sync::Arc;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Row as _};
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
        sqlx::SqlSafeStr::into_sql_str(include_str!("../migrations/postgres/0001_init.sql")),
        false,
    )])
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

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs one operation in its own transaction with its audit append.
    async fn run(&self, op: Op) -> Result<OpOut, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        // FOR UPDATE: the head row stays locked until the commit.
        let mut head = load_head(&mut tx).await?;
        let out = apply(&mut tx, &mut head, self.clock.now_ms(), op).await?;
        store_head(&mut tx, &head).await?;
        tx.commit().await.map_err(db)?;
        Ok(out)
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

async fn load_head(conn: &mut PgConnection) -> Result<LogHead, StoreError> {
    let row =
        sqlx::query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
    head_from_row(
        row.try_get(0).map_err(db)?,
        row.try_get::<&[u8], _>(1).map_err(db)?,
        row.try_get::<&[u8], _>(2).map_err(db)?,
    )
}

async fn store_head(conn: &mut PgConnection, head: &LogHead) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET size = $1, chain_head = $2, frontier = $3 WHERE id = 1")
        .bind(to_i64(head.size())?)
        .bind(head.chain_head().as_slice())
        .bind(frontier_bytes(head))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn append(
    conn: &mut PgConnection,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
    conn: &mut PgConnection,
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
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
                    "INSERT INTO compliance_exceptions (contact_id, act, flagged_ms) VALUES ($1, $2, $3)",
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
                 compliance_exception, created_by, created_ms FROM contacts WHERE id = $1",
            )
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(id.object()))?;
            let mut prohibited: Vec<String> = sqlx::query_scalar(
                "SELECT act FROM compliance_exceptions WHERE contact_id = $1 ORDER BY act",
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
    row: &sqlx::postgres::PgRow,
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

impl Store for PgStore {
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
             FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
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
        let row = sqlx::query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let head = head_from_row(
            row.try_get(0).map_err(db)?,
            row.try_get::<&[u8], _>(1).map_err(db)?,
            row.try_get::<&[u8], _>(2).map_err(db)?,
        )?;
        Ok(audit_head_of(&head))
    }
}
