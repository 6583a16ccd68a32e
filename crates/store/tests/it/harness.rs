//! Fresh storage per test, and raw SQL access for the tampering tests.

use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use trustgate_store::{Clock, PgStore, SqliteStore, Store, is_plain_identifier};

/// Where PostgreSQL is: CI starts it. Override with TRUSTGATE_TEST_PG_URL.
/// The place the test records are kept for: the units the tests use.
pub fn place() -> Arc<trustgate_place::Place> {
    let units: String = ["front-desk", "booking", "district-4", "records-office"]
        .into_iter()
        .map(str::to_owned)
        .chain((0..10).map(|i| format!("unit-{i}")))
        .map(|id| format!("[[units]]\nid = \"{id}\"\nname = \"The {id}\"\n"))
        .collect();
    Arc::new(
        trustgate_place::Place::parse(
            "test.toml",
            &format!("id = \"test\"\nname = \"Test\"\n{units}"),
        )
        .unwrap(),
    )
}

pub fn pg_url() -> String {
    std::env::var("TRUSTGATE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A clock that starts at a fixed instant and moves 1 ms per reading.
#[derive(Debug)]
pub struct StepClock(AtomicI64);

pub const T0: i64 = 1_763_800_000_000;

impl StepClock {
    pub fn new() -> Arc<StepClock> {
        Arc::new(StepClock(AtomicI64::new(T0)))
    }
}

impl StepClock {
    /// Moves the clock on.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Clock for StepClock {
    fn now_ms(&self) -> i64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

/// A store on fresh storage.
#[derive(Debug)]
pub struct Fixture {
    pub store: Store,
    pub clock: Arc<StepClock>,
    location: Location,
}

static N: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub async fn fresh_sqlite_path() -> PathBuf {
    std::env::temp_dir().join(format!("{}.db", unique("trustgate_store")))
}

async fn pg_admin() -> PgConnection {
    let url = pg_url();
    match PgConnection::connect(&url).await {
        Ok(c) => c,
        Err(e) => panic!(
            "PostgreSQL is unreachable at {url}: {e}. The store's tests need it (CI starts it; \
             set TRUSTGATE_TEST_PG_URL to use another server)"
        ),
    }
}

impl Fixture {
    pub async fn fresh(backend: Backend) -> Fixture {
        match backend {
            Backend::Sqlite => {
                let path = fresh_sqlite_path().await;
                let clock = StepClock::new();
                let store = SqliteStore::open(&path, clock.clone()).await.unwrap();
                Fixture {
                    store: Store::from(store).with_place(place()).unwrap(),
                    clock,
                    location: Location::Sqlite(path),
                }
            }
            Backend::Postgres => {
                let schema = unique("tgstore");
                // Identifiers cannot be bound: this one is ours, and checked.
                assert!(is_plain_identifier(&schema), "{schema}");
                let mut admin = pg_admin().await;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                let clock = StepClock::new();
                let store = PgStore::connect_in_schema(&pg_url(), &schema, clock.clone())
                    .await
                    .unwrap();
                Fixture {
                    store: Store::from(store).with_place(place()).unwrap(),
                    clock,
                    location: Location::Postgres(schema),
                }
            }
        }
    }

    /// Another store on the same storage (as after a restart), with or
    /// without a keyring.
    pub async fn reopen(&self, keyring: Option<trustgate_store::Keyring>) -> Store {
        let store: Store = match &self.location {
            Location::Sqlite(path) => SqliteStore::open(path, self.clock.clone())
                .await
                .unwrap()
                .into(),
            Location::Postgres(schema) => {
                PgStore::connect_in_schema(&pg_url(), schema, self.clock.clone())
                    .await
                    .unwrap()
                    .into()
            }
        };
        let store = store.with_place(place()).unwrap();
        match keyring {
            Some(k) => store.with_keyring(k).unwrap(),
            None => store,
        }
    }

    pub fn backend(&self) -> Backend {
        match self.location {
            Location::Sqlite(_) => Backend::Sqlite,
            Location::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn cleanup(&self) {
        match &self.location {
            Location::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Location::Postgres(schema) => {
                assert!(is_plain_identifier(schema));
                let mut admin = pg_admin().await;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                admin.close().await.unwrap();
            }
        }
    }

    /// Runs one literal statement on a connection of its own, as someone
    /// with direct access to the database would.
    pub async fn raw(&self, sql: &'static str) -> Result<u64, String> {
        match &self.location {
            Location::Sqlite(path) => {
                let opts = SqliteConnectOptions::new().filename(path);
                let mut c = SqliteConnection::connect_with(&opts).await.unwrap();
                let r = sqlx::query(sql).execute(&mut c).await;
                c.close().await.unwrap();
                r.map(|r| r.rows_affected()).map_err(|e| e.to_string())
            }
            Location::Postgres(schema) => {
                let opts = PgConnectOptions::from_str(&pg_url())
                    .unwrap()
                    .options([("search_path", schema.as_str())]);
                let mut c = PgConnection::connect_with(&opts).await.unwrap();
                let r = sqlx::query(sql).execute(&mut c).await;
                c.close().await.unwrap();
                r.map(|r| r.rows_affected()).map_err(|e| e.to_string())
            }
        }
    }

    /// Removes the append-only protection, as an attacker with database
    /// access could.
    pub async fn drop_append_only_triggers(&self) {
        match self.backend() {
            Backend::Sqlite => {
                self.raw("DROP TRIGGER audit_log_no_update").await.unwrap();
                self.raw("DROP TRIGGER audit_log_no_delete").await.unwrap();
            }
            Backend::Postgres => {
                self.raw("DROP TRIGGER audit_log_no_change ON audit_log")
                    .await
                    .unwrap();
            }
        }
    }
}

/// The triggers that keep compliance exceptions and their explanations
/// unchangeable (SQLite: by name; PostgreSQL: by name and table).
const SQLITE_RECORD_TRIGGERS: [&str; 8] = [
    "compliance_exceptions_no_delete",
    "compliance_exceptions_no_update",
    "exception_explanations_no_update",
    "exception_explanations_no_delete",
    "complaint_events_no_update",
    "complaint_events_no_delete",
    "complaint_notes_no_update",
    "complaint_notes_no_delete",
];

/// Opens a connection as someone with write access to the database who has
/// also switched off every protection the schema has: the triggers on the
/// records, foreign keys and CHECK constraints (SQLite: pragmas;
/// PostgreSQL: `session_replication_role = replica`, the schema's CHECK
/// constraints dropped, identity columns made to take given values). Binds `$c` to it for `$body`, once per backend.
macro_rules! as_tamperer {
    ($fx:expr, $c:ident => $body:expr) => {{
        match $fx.location_parts() {
            (Some(path), _) => {
                let opts = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .foreign_keys(false)
                    .pragma("ignore_check_constraints", "ON");
                let mut $c = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&opts)
                    .await
                    .unwrap();
                for t in $crate::harness::sqlite_record_triggers() {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER IF EXISTS {t}")))
                        .execute(&mut $c)
                        .await
                        .unwrap();
                }
                let out = $body;
                sqlx::Connection::close($c).await.unwrap();
                out
            }
            (None, Some(schema)) => {
                let opts = <sqlx::postgres::PgConnectOptions as std::str::FromStr>::from_str(
                    &$crate::harness::pg_url(),
                )
                .unwrap()
                .options([("search_path", schema)]);
                let mut $c = <sqlx::PgConnection as sqlx::Connection>::connect_with(&opts)
                    .await
                    .unwrap();
                sqlx::query("SET session_replication_role = replica")
                    .execute(&mut $c)
                    .await
                    .unwrap();
                let checks: Vec<(String, String)> = sqlx::query_as(
                    "SELECT conrelid::regclass::text, conname::text FROM pg_constraint \
                     WHERE contype = 'c' AND connamespace = current_schema()::regnamespace",
                )
                .fetch_all(&mut $c)
                .await
                .unwrap();
                for (table, check) in checks {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "ALTER TABLE {table} DROP CONSTRAINT \"{check}\""
                    )))
                    .execute(&mut $c)
                    .await
                    .unwrap();
                }
                // Identity columns take a value given to them.
                let identities: Vec<(String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND is_identity = 'YES'",
                )
                .fetch_all(&mut $c)
                .await
                .unwrap();
                for (table, column) in identities {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} SET GENERATED BY DEFAULT"
                    )))
                    .execute(&mut $c)
                    .await
                    .unwrap();
                }
                let out = $body;
                sqlx::Connection::close($c).await.unwrap();
                out
            }
            _ => unreachable!(),
        }
    }};
}
pub(crate) use as_tamperer;

pub fn sqlite_record_triggers() -> [&'static str; 8] {
    SQLITE_RECORD_TRIGGERS
}

impl Fixture {
    /// The SQLite file or the PostgreSQL schema.
    pub fn location_parts(&self) -> (Option<&std::path::Path>, Option<&str>) {
        match &self.location {
            Location::Sqlite(path) => (Some(path.as_path()), None),
            Location::Postgres(schema) => (None, Some(schema.as_str())),
        }
    }

    /// Every table of the schema with its columns, from the database's own
    /// catalogue.
    pub async fn catalogue(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        let columns: Vec<(String, String)> = match &self.location {
            Location::Sqlite(path) => {
                let opts = SqliteConnectOptions::new().filename(path);
                let mut c = SqliteConnection::connect_with(&opts).await.unwrap();
                let got = sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
                )
                .fetch_all(&mut c)
                .await
                .unwrap();
                c.close().await.unwrap();
                got
            }
            Location::Postgres(schema) => {
                let opts = PgConnectOptions::from_str(&pg_url())
                    .unwrap()
                    .options([("search_path", schema.as_str())]);
                let mut c = PgConnection::connect_with(&opts).await.unwrap();
                let got = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                )
                .fetch_all(&mut c)
                .await
                .unwrap();
                c.close().await.unwrap();
                got
            }
        };
        let mut tables = std::collections::BTreeMap::<String, Vec<String>>::new();
        for (table, column) in columns {
            tables.entry(table).or_default().push(column);
        }
        tables
    }

    /// Everything stored, as someone reading the database would see it: the
    /// SQLite file and its write-ahead log byte for byte, or every row of
    /// every table as PostgreSQL prints it (bytes as hex).
    pub async fn dump(&self) -> Vec<u8> {
        match &self.location {
            Location::Sqlite(path) => {
                let mut all = Vec::new();
                for suffix in ["", "-wal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    all.extend(std::fs::read(p).unwrap_or_default());
                }
                all
            }
            Location::Postgres(schema) => {
                let tables: Vec<String> = self.catalogue().await.into_keys().collect();
                let opts = PgConnectOptions::from_str(&pg_url())
                    .unwrap()
                    .options([("search_path", schema.as_str())]);
                let mut c = PgConnection::connect_with(&opts).await.unwrap();
                let mut all = Vec::new();
                for t in tables {
                    assert!(is_plain_identifier(&t), "{t}");
                    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT CAST(t AS text) FROM {t} t"
                    )))
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
                    for r in rows {
                        all.extend(r.into_bytes());
                    }
                }
                c.close().await.unwrap();
                all
            }
        }
    }

    /// Runs SQL statements (`;`-separated) as a tamperer with every
    /// protection of the schema switched off ([`as_tamperer`]).
    pub async fn tamper(&self, sql: &str) -> u64 {
        as_tamperer!(self, c => {
            let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await;
            match done {
                Ok(r) => r.rows_affected(),
                Err(e) => panic!("{sql}: {e}"),
            }
        })
    }
}

/// Runs `case` on a fresh store of `backend`, then closes and removes the
/// storage, even when the case fails.
pub async fn run<F, Fut>(backend: Backend, case: F)
where
    F: FnOnce(Arc<Fixture>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let fx = Arc::new(Fixture::fresh(backend).await);
    let result = tokio::spawn(case(fx.clone())).await;
    fx.store.close().await;
    fx.cleanup().await;
    if let Err(e) = result {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("the test case was cancelled: {e}");
    }
}
