//! Consistent copies of a running store, for `trustgate backup`: what a
//! backup holds is one state of the database that some commit left, never
//! half of a batch, while the writer carries on.
//!
//! - SQLite: `VACUUM INTO` a new file. It reads inside one read transaction
//!   (in WAL mode the writer is not blocked), and the copy is a plain,
//!   compacted database file. (rusqlite's online backup API would copy pages
//!   instead, but rusqlite is not in the build and would clash with sqlx's
//!   `libsqlite3-sys` through `links`; `VACUUM INTO` gives the same
//!   consistency.)
//! - PostgreSQL: a `REPEATABLE READ` transaction exports its snapshot
//!   (`pg_export_snapshot`); the binary runs `pg_dump --snapshot` with it
//!   while [`HeldSnapshot`] keeps the transaction open, so the dump and the
//!   audit head read here are the same state.
//!
//! Each backup is itself an access to every record, so it is audited first
//! (`backup` of `database`), and the copy holds its own entry.

use std::path::Path;

use trustgate_access::Permission;

use crate::sql::{Conn, Pool, query, query_scalar};
use crate::writer::{Audit, Operation, audit_head_of, head_of_row};
use crate::{Actor, AuditHead, Principal, Store, StoreError, db};

/// The newest migration applied, as sqlx records it on both backends.
const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";

/// A backup, audited as `backup` of `database` before the copy is taken.
#[derive(Debug)]
struct Backup {
    actor: Actor,
}

impl Operation for Backup {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        audit
            .append(conn, &self.actor, "backup", "database".into(), "")
            .await
    }
}

/// A PostgreSQL snapshot held open for `pg_dump --snapshot`: the dump sees
/// exactly the state whose audit head and schema version are here.
#[derive(Debug)]
pub struct HeldSnapshot {
    conn: Conn,
    /// The id to give `pg_dump --snapshot`.
    pub id: String,
    /// The audit head in this state.
    pub head: AuditHead,
    /// The schema version in this state.
    pub schema_version: i64,
}

impl HeldSnapshot {
    /// Ends the transaction (after `pg_dump` has finished).
    pub async fn release(self) -> Result<(), StoreError> {
        self.conn.rollback().await
    }
}

impl Store {
    /// The schema version: the newest migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        query_scalar::<i64>(SCHEMA_VERSION)
            .fetch_one(&mut conn)
            .await
            .map_err(db)
    }

    /// Writes a consistent copy of this SQLite store to the new file `to`
    /// (`VACUUM INTO`; the file must not exist). Audited first, so the
    /// copy holds the entry. Needs [`Permission::ReadAuditLog`]: a backup
    /// reads the whole log and every record.
    pub async fn snapshot_sqlite(&self, who: &Principal, to: &Path) -> Result<(), StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        let Pool::Sqlite(_) = &self.shared.backend.pool else {
            return Err(StoreError::Invalid(
                "a SQLite copy of a PostgreSQL store: use pg_dump (trustgate backup does)".into(),
            ));
        };
        let Some(to) = to.to_str() else {
            return Err(StoreError::Invalid(format!(
                "{}: the backup's path must be UTF-8",
                to.display()
            )));
        };
        self.run(Backup {
            actor: who.actor().clone(),
        })
        .await?;
        let mut conn = self.shared.backend.pool.acquire().await?;
        query("VACUUM INTO $1")
            .bind(to)
            .execute(&mut conn)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Opens a snapshot of this PostgreSQL store for `pg_dump --snapshot`,
    /// after auditing the backup (so the snapshot holds the entry). Needs
    /// [`Permission::ReadAuditLog`].
    pub async fn hold_pg_snapshot(&self, who: &Principal) -> Result<HeldSnapshot, StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        let Pool::Postgres(_) = &self.shared.backend.pool else {
            return Err(StoreError::Invalid(
                "an exported snapshot needs PostgreSQL".into(),
            ));
        };
        self.run(Backup {
            actor: who.actor().clone(),
        })
        .await?;
        let mut conn = self.shared.backend.pool.begin_snapshot().await?;
        let id: String = query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut conn)
            .await
            .map_err(db)?;
        let row = query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1")
            .fetch_one(&mut conn)
            .await
            .map_err(db)?;
        let head = audit_head_of(&head_of_row(&row)?);
        let schema_version = query_scalar::<i64>(SCHEMA_VERSION)
            .fetch_one(&mut conn)
            .await
            .map_err(db)?;
        Ok(HeldSnapshot {
            conn,
            id,
            head,
            schema_version,
        })
    }
}
