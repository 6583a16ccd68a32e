//! SQLite: one file, WAL, `synchronous=FULL`, and `BEGIN IMMEDIATE` so the
//! write lock is held before the audit head is read (`sql.rs`).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};

use crate::sql::Pool;
use crate::{Clock, Db, StoreError, db};

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
    pub(crate) db: Db,
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
        crate::migrations!("sqlite").run(&pool).await.map_err(db)?;
        Ok(SqliteStore {
            db: Db {
                pool: Pool::Sqlite(pool),
                clock,
            },
        })
    }

    /// The settings a connection of this store runs with.
    pub async fn settings(&self) -> Result<SqliteSettings, StoreError> {
        let Pool::Sqlite(pool) = &self.db.pool else {
            return Err(StoreError::Invalid("not a SQLite store".into()));
        };
        let mut conn = pool.acquire().await.map_err(db)?;
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

    /// Closes every connection.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// The schema version of the database file at `path` (its newest
    /// migration), read without migrating or changing it: what a backup
    /// holds. 0 for a file no migration has touched.
    pub async fn schema_version_of(path: &Path) -> Result<i64, StoreError> {
        let opts = SqliteConnectOptions::new().filename(path).read_only(true);
        let mut conn = SqliteConnection::connect_with(&opts).await.map_err(db)?;
        let has_table: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(db)?;
        let version = if has_table == 0 {
            0
        } else {
            sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
            )
            .fetch_one(&mut conn)
            .await
            .map_err(db)?
        };
        conn.close().await.map_err(db)?;
        Ok(version)
    }
}
