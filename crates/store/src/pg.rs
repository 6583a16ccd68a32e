//! PostgreSQL: every audited transaction first locks the one `audit_head`
//! row (`SELECT … FOR UPDATE`, `sql.rs`), which serializes appenders across
//! connections and across processes.

use std::str::FromStr as _;
use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

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
