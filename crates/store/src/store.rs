//! The façade: [`Store`] over either backend, and the writer task every
//! operation goes through. The operations themselves live by concern
//! (`contacts`, `obligations`, `accounts`, …), each a type (`writer.rs`).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};
use trustgate_access::Permission;
use trustgate_place::Place;

use crate::writer::{Job, Operation, Pending, write_batches};
use crate::{Clock, Keyring, PgStore, Principal, Reach, SqliteStore, StoreError, sql};

/// A migration not yet applied: its version, name, and the first line of
/// each statement that changes the schema or the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMigration {
    pub version: i64,
    pub name: String,
    pub statements: Vec<String>,
}

/// The records store, on either backend.
///
/// Every operation goes through one writer task that commits whatever has
/// queued up, up to [`MAX_BATCH`] operations, in one transaction (group
/// commit): one durable flush answers many callers, and each caller still
/// gets its answer only after the commit. An operation that fails (a missing
/// record, say) is answered alone and the rest of its batch is run again
/// without it, so one failure never sinks another's write.
#[derive(Debug)]
pub struct Store {
    pub(crate) shared: Arc<Shared>,
    writer: OnceLock<mpsc::Sender<Box<dyn Job>>>,
}

/// What the writer task shares with the store.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) backend: Db,
    /// The operator's data keys, to seal and open personal data.
    pub(crate) keyring: Option<Keyring>,
    /// The place the records are kept for: the closed lists a record draws
    /// from (its receiving units).
    pub(crate) place: Option<Arc<Place>>,
}

/// The most operations committed together (beyond about 64, measured, only
/// latency grows: `docs/design/store.md`).
pub const MAX_BATCH: usize = 64;

/// A database and the clock its entries are stamped with: either backend,
/// through one connection type (`sql.rs`).
#[derive(Debug)]
pub(crate) struct Db {
    pub(crate) pool: sql::Pool,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Db {
    /// Closes every connection.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

impl From<SqliteStore> for Store {
    fn from(s: SqliteStore) -> Store {
        Store::new(s.db)
    }
}

impl From<PgStore> for Store {
    fn from(s: PgStore) -> Store {
        Store::new(s.db)
    }
}

impl Store {
    /// Opens a store by location: a `postgres://` or `postgresql://` URL, or
    /// else a SQLite file path (optionally prefixed `sqlite:`), created if
    /// missing. Runs the migrations.
    pub async fn open(location: &str, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        if is_postgres_url(location) {
            Ok(PgStore::connect(location, clock).await?.into())
        } else {
            let path = location.strip_prefix("sqlite:").unwrap_or(location);
            Ok(SqliteStore::open(Path::new(path), clock).await?.into())
        }
    }

    /// The migrations this trustgate would apply to the store at
    /// `location`, oldest first, without applying them or creating
    /// anything (`trustgate migrate --dry-run`). A SQLite file that does not
    /// exist yet would get them all.
    pub async fn pending_migrations(location: &str) -> Result<Vec<PendingMigration>, StoreError> {
        use sqlx::Connection as _;
        let (migrator, applied) = if is_postgres_url(location) {
            let opts = <sqlx::postgres::PgConnectOptions as std::str::FromStr>::from_str(location)
                .map_err(crate::db)?;
            let mut conn = sqlx::postgres::PgConnection::connect_with(&opts)
                .await
                .map_err(crate::db)?;
            let exists: bool =
                sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                    .fetch_one(&mut conn)
                    .await
                    .map_err(crate::db)?;
            let applied: Vec<i64> = if exists {
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&mut conn)
                    .await
                    .map_err(crate::db)?
            } else {
                Vec::new()
            };
            (crate::migrations!("postgres"), applied)
        } else {
            let path = Path::new(location.strip_prefix("sqlite:").unwrap_or(location));
            let applied = if path.exists() {
                let opts = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .read_only(true);
                let mut conn = sqlx::sqlite::SqliteConnection::connect_with(&opts)
                    .await
                    .map_err(crate::db)?;
                let exists: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_one(&mut conn)
                .await
                .map_err(crate::db)?;
                if exists == 0 {
                    Vec::new()
                } else {
                    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                        .fetch_all(&mut conn)
                        .await
                        .map_err(crate::db)?
                }
            } else {
                Vec::new()
            };
            (crate::migrations!("sqlite"), applied)
        };
        Ok(migrator
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| PendingMigration {
                version: m.version,
                name: m.description.to_string(),
                statements: m
                    .sql
                    .as_str()
                    .lines()
                    .map(str::trim)
                    .filter(|l| {
                        [
                            "CREATE ", "ALTER ", "DROP ", "INSERT ", "UPDATE ", "DELETE ",
                        ]
                        .iter()
                        .any(|k| l.get(..k.len()).is_some_and(|w| w.eq_ignore_ascii_case(k)))
                    })
                    .map(|l| l.trim_end_matches(['(', ' ']).to_owned())
                    .collect(),
            })
            .collect())
    }

    fn new(backend: Db) -> Store {
        Store {
            shared: Arc::new(Shared {
                backend,
                keyring: None,
                place: None,
            }),
            writer: OnceLock::new(),
        }
    }

    /// The store with the operator's data keys, to seal and open personal
    /// data. Set it before the first operation.
    pub fn with_keyring(self, keyring: Keyring) -> Result<Store, StoreError> {
        self.reshared("the keyring", |s| Shared {
            keyring: Some(keyring),
            ..s
        })
    }

    /// The store keeping records for `place`: a contact's receiving unit
    /// must be one of its units. Set it before the first operation; a store
    /// without a place records no contact.
    pub fn with_place(self, place: Arc<Place>) -> Result<Store, StoreError> {
        self.reshared("the place", |s| Shared {
            place: Some(place),
            ..s
        })
    }

    /// The place set with [`Store::with_place`].
    pub fn place(&self) -> Option<&Place> {
        self.shared.place.as_deref()
    }

    fn reshared(self, what: &str, f: impl FnOnce(Shared) -> Shared) -> Result<Store, StoreError> {
        let shared = Arc::try_unwrap(self.shared).map_err(|_| {
            StoreError::Invalid(format!("{what} must be set before the store is used"))
        })?;
        Ok(Store {
            shared: Arc::new(f(shared)),
            writer: OnceLock::new(),
        })
    }

    /// "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        match self.shared.backend.pool {
            sql::Pool::Sqlite(_) => "sqlite",
            sql::Pool::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.shared.backend.close().await;
    }

    /// Whether the database answers (for readiness checks).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        sql::query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(crate::db)?;
        Ok(())
    }

    /// Queues one operation for the writer and waits for its commit.
    pub(crate) async fn run<O: Operation>(&self, op: O) -> Result<O::Output, StoreError> {
        let writer = self.writer.get_or_init(|| {
            let (queue, receiver) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(write_batches(Arc::clone(&self.shared), receiver));
            queue
        });
        let (reply, answer) = oneshot::channel();
        writer
            .send(Box::new(Pending::new(op, reply)))
            .await
            .map_err(|_| StoreError::Backend("the store's writer has stopped".into()))?;
        answer.await.map_err(|_| {
            StoreError::Backend("the store's writer stopped before answering".into())
        })?
    }

    /// Lets `who` do `p`, or audits the refusal (`denied` of
    /// `permission/<p>`) and answers [`StoreError::Forbidden`].
    pub(crate) async fn permit(&self, who: &Principal, p: Permission) -> Result<(), StoreError> {
        if who.may(p) {
            return Ok(());
        }
        self.record_denial(who.actor(), &format!("permission/{}", p.as_str()))
            .await?;
        Err(StoreError::Forbidden(p))
    }

    /// How far `who` reads contacts; one who reads none is refused (audited).
    pub(crate) async fn reach(&self, who: &Principal) -> Result<Reach, StoreError> {
        match who.reach() {
            Some(r) => Ok(r),
            None => self
                .permit(who, Permission::ReadOwnContacts)
                .await
                .map(|()| Reach::Own),
        }
    }
}

/// Whether `location` names a PostgreSQL database.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}
