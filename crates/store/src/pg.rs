//! PostgreSQL: every audited transaction first locks the one `audit_head`
//! row (`SELECT … FOR UPDATE`, `sql.rs`), which serializes appenders across
//! connections and across processes.

use std::str::FromStr as _;
use std::sync::Arc;

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};

use crate::sql::Pool;
use crate::{Clock, Db, StoreError, db};

/// The PostgreSQL backend.
#[derive(Debug)]
pub struct PgStore {
    pub(crate) db: Db,
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
        crate::migrations!("postgres")
            .run(&pool)
            .await
            .map_err(db)?;
        Ok(PgStore {
            db: Db {
                pool: Pool::Postgres(pool),
                clock,
            },
        })
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Whether the database at `url` holds no table in its current schema
    /// (where a store would be): a restore goes only into an empty one
    /// unless told to replace. Runs no migration.
    pub async fn is_empty(url: &str) -> Result<bool, StoreError> {
        let mut conn = PgConnection::connect_with(&PgConnectOptions::from_str(url).map_err(db)?)
            .await
            .map_err(db)?;
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(db)?;
        conn.close().await.map_err(db)?;
        Ok(n == 0)
    }

    /// Drops the current schema of the database at `url` with everything
    /// in it and creates it again, empty: what a refused restore does to
    /// leave nothing of the snapshot behind. The schema's grants go with it.
    pub async fn empty_schema(url: &str) -> Result<(), StoreError> {
        let (conn, schema) = schema_connection(url).await?;
        together(
            conn,
            [
                format!("DROP SCHEMA {schema} CASCADE"),
                format!("CREATE SCHEMA {schema}"),
            ],
        )
        .await
    }

    /// Renames the current schema of the database at `url` to
    /// `<schema>_before_restore_<suffix>` and creates it again, empty, so
    /// that `restore --replace` loads a snapshot without destroying what
    /// was there: [`PgStore::put_back`] undoes it if the snapshot is
    /// refused; otherwise the operator drops the old one when satisfied.
    /// Returns the old schema's new name.
    pub async fn set_aside(url: &str, suffix: u64) -> Result<String, StoreError> {
        let (conn, schema) = schema_connection(url).await?;
        let aside = format!("{schema}_before_restore_{suffix}");
        if !is_plain_identifier(&aside) {
            return Err(StoreError::Invalid(format!(
                "schema name `{aside}`: too long to set the old schema aside"
            )));
        }
        together(
            conn,
            [
                format!("ALTER SCHEMA {schema} RENAME TO {aside}"),
                format!("CREATE SCHEMA {schema}"),
            ],
        )
        .await?;
        Ok(aside)
    }

    /// Drops the current schema (a refused snapshot) and gives the one
    /// [`PgStore::set_aside`] renamed its name back.
    pub async fn put_back(url: &str, aside: &str) -> Result<(), StoreError> {
        if !is_plain_identifier(aside) {
            return Err(StoreError::Invalid(format!("schema name `{aside}`")));
        }
        let (conn, schema) = schema_connection(url).await?;
        together(
            conn,
            [
                format!("DROP SCHEMA {schema} CASCADE"),
                format!("ALTER SCHEMA {aside} RENAME TO {schema}"),
            ],
        )
        .await
    }
}

/// Runs schema statements in one transaction, all or none, then closes the
/// connection. Identifiers cannot be bound: every name spliced in was
/// checked by `schema_connection` or `is_plain_identifier`.
async fn together<const N: usize>(
    mut conn: PgConnection,
    statements: [String; N],
) -> Result<(), StoreError> {
    let mut tx = sqlx::Connection::begin(&mut conn).await.map_err(db)?;
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    conn.close().await.map_err(db)?;
    Ok(())
}

/// A connection to the database at `url` and its current schema's name,
/// checked to be safe to splice into SQL.
async fn schema_connection(url: &str) -> Result<(PgConnection, String), StoreError> {
    let mut conn = PgConnection::connect_with(&PgConnectOptions::from_str(url).map_err(db)?)
        .await
        .map_err(db)?;
    let schema: Option<String> = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(&mut conn)
        .await
        .map_err(db)?;
    match schema {
        Some(schema) if is_plain_identifier(&schema) => Ok((conn, schema)),
        other => Err(StoreError::Invalid(format!(
            "schema name `{}`: use only a-z, 0-9 and _",
            other.unwrap_or_default()
        ))),
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
