//! One connection type over both backends, so every operation is written
//! once as plain Rust (no `include!`): [`Conn`] is a SQLite or PostgreSQL
//! connection, inside a transaction or not, and [`query`] builds a statement
//! whose parameters ([`Param`]) and columns ([`Col`]) are the few types the
//! store writes (integers, booleans, text, bytes, each maybe NULL). The SQL
//! is the same on both (`$n` parameters, `RETURNING`, `ON CONFLICT`); what
//! differs is here: how a writing transaction takes the lock, and how a
//! read-only snapshot begins.
//!
//! sqlx has no practical bound for "an executor of either database", so the
//! choice of database is one `match` per call here, and nowhere else.

use std::marker::PhantomData;

use futures_util::{StreamExt as _, stream::BoxStream};
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, Encode, PgPool, Postgres, Sqlite, SqlitePool, Type};

use crate::StoreError;
use crate::db;

/// A pool of connections to one database.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One connection: in a transaction (the writer's batch, a verification
/// snapshot) or, for a lone read or a ping, on its own (each statement
/// commits by itself).
#[derive(Debug)]
pub(crate) enum Conn {
    Sqlite(Hold<Sqlite>),
    Postgres(Hold<Postgres>),
}

/// A connection held in a transaction, or held alone.
#[derive(Debug)]
pub(crate) enum Hold<DB: Database> {
    Tx(sqlx::Transaction<'static, DB>),
    Alone(PoolConnection<DB>),
}

impl<DB: Database> Hold<DB> {
    fn conn(&mut self) -> &mut DB::Connection {
        match self {
            Hold::Tx(t) => t,
            Hold::Alone(c) => c,
        }
    }

    async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Hold::Tx(t) => t.commit().await,
            Hold::Alone(_) => Ok(()),
        }
    }

    async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Hold::Tx(t) => t.rollback().await,
            Hold::Alone(_) => Ok(()),
        }
    }
}

/// SQLite: `BEGIN IMMEDIATE` takes the write lock up front, so two writers
/// never both read the same audit head.
const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
/// SQLite: in WAL mode a deferred transaction sees one state of the database
/// from its first read to its end, while the writer carries on.
const SQLITE_BEGIN_SNAPSHOT: &str = "BEGIN";
/// PostgreSQL: one state of the database for the whole check, while the
/// writer carries on.
const PG_BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

/// The audit head, read by a writer. SQLite: no lock clause, `BEGIN
/// IMMEDIATE` already holds the database's write lock.
const SQLITE_LOAD_HEAD: &str = "SELECT size, chain_head, frontier FROM audit_head WHERE id = 1";
/// PostgreSQL: `FOR UPDATE` keeps the head row locked until the commit,
/// which serializes appenders across connections and processes.
const PG_LOAD_HEAD: &str =
    "SELECT size, chain_head, frontier FROM audit_head WHERE id = 1 FOR UPDATE";

impl Pool {
    /// A transaction that will append to the audit log: it holds the
    /// database's write lock (SQLite) or will lock the head row (PostgreSQL,
    /// [`Conn::load_head_sql`]) before the head is read.
    pub(crate) async fn begin_write(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(Hold::Tx(
                p.begin_with(SQLITE_BEGIN_WRITE).await.map_err(db)?,
            )),
            Pool::Postgres(p) => Conn::Postgres(Hold::Tx(p.begin().await.map_err(db)?)),
        })
    }

    /// A read-only snapshot for `audit verify`.
    pub(crate) async fn begin_snapshot(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(Hold::Tx(
                p.begin_with(SQLITE_BEGIN_SNAPSHOT).await.map_err(db)?,
            )),
            Pool::Postgres(p) => {
                Conn::Postgres(Hold::Tx(p.begin_with(PG_BEGIN_SNAPSHOT).await.map_err(db)?))
            }
        })
    }

    /// A connection for a lone read.
    pub(crate) async fn acquire(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(Hold::Alone(p.acquire().await.map_err(db)?)),
            Pool::Postgres(p) => Conn::Postgres(Hold::Alone(p.acquire().await.map_err(db)?)),
        })
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

impl Conn {
    /// Commits the transaction (nothing to do for a connection on its own).
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(h) => h.commit().await,
            Conn::Postgres(h) => h.commit().await,
        }
        .map_err(db)
    }

    /// Abandons the transaction.
    pub(crate) async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(h) => h.rollback().await,
            Conn::Postgres(h) => h.rollback().await,
        }
        .map_err(db)
    }

    /// How a writer reads the audit head: under the lock on PostgreSQL.
    pub(crate) fn load_head_sql(&self) -> &'static str {
        match self {
            Conn::Sqlite(_) => SQLITE_LOAD_HEAD,
            Conn::Postgres(_) => PG_LOAD_HEAD,
        }
    }
}

/// A statement's parameter: the only types the store binds, so each binds
/// as the same SQL type on both backends (and a NULL keeps its type, which
/// PostgreSQL needs for `$1 IS NULL OR …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! param_from {
    ($($t:ty => |$v:ident| $e:expr;)*) => {
        $(impl From<$t> for Param {
            fn from($v: $t) -> Param {
                $e
            }
        })*
    };
}

param_from! {
    i64 => |v| Param::Int(Some(v));
    &i64 => |v| Param::Int(Some(*v));
    Option<i64> => |v| Param::Int(v);
    bool => |v| Param::Bool(Some(v));
    &str => |v| Param::Text(Some(v.to_owned()));
    &String => |v| Param::Text(Some(v.clone()));
    String => |v| Param::Text(Some(v));
    Option<&str> => |v| Param::Text(v.map(str::to_owned));
    Option<String> => |v| Param::Text(v);
    &Option<String> => |v| Param::Text(v.clone());
    &[u8] => |v| Param::Bytes(Some(v.to_vec()));
    Vec<u8> => |v| Param::Bytes(Some(v));
    &Vec<u8> => |v| Param::Bytes(Some(v.clone()));
    Option<&[u8]> => |v| Param::Bytes(v.map(<[u8]>::to_vec));
}

/// A statement with its parameters, run on a [`Conn`].
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run on a connection"]
pub(crate) struct Query {
    sql: &'static str,
    params: Vec<Param>,
}

/// A statement (`$n` parameters, the same on both backends).
pub(crate) fn query(sql: &'static str) -> Query {
    Query {
        sql,
        params: Vec::new(),
    }
}

/// A statement whose answer is its first column.
pub(crate) fn query_scalar<T: Col>(sql: &'static str) -> Scalar<T> {
    Scalar {
        query: query(sql),
        _column: PhantomData,
    }
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done(u64);

impl Done {
    pub(crate) fn rows_affected(self) -> u64 {
        self.0
    }
}

fn build<DB>(q: Query) -> sqlx::query::Query<'static, DB, DB::Arguments>
where
    DB: Database,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> Option<bool>: Encode<'a, DB> + Type<DB>,
    for<'a> Option<String>: Encode<'a, DB> + Type<DB>,
    for<'a> Option<Vec<u8>>: Encode<'a, DB> + Type<DB>,
{
    let mut out = sqlx::query::<DB>(q.sql);
    for p in q.params {
        out = match p {
            Param::Int(v) => out.bind(v),
            Param::Bool(v) => out.bind(v),
            Param::Text(v) => out.bind(v),
            Param::Bytes(v) => out.bind(v),
        };
    }
    out
}

impl Query {
    /// Binds the next `$n`.
    pub(crate) fn bind(mut self, value: impl Into<Param>) -> Query {
        self.params.push(value.into());
        self
    }

    pub(crate) async fn execute(self, conn: &mut Conn) -> Result<Done, sqlx::Error> {
        Ok(Done(match conn {
            Conn::Sqlite(h) => build(self).execute(h.conn()).await?.rows_affected(),
            Conn::Postgres(h) => build(self).execute(h.conn()).await?.rows_affected(),
        }))
    }

    pub(crate) async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match conn {
            Conn::Sqlite(h) => build(self)
                .fetch_all(h.conn())
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Conn::Postgres(h) => build(self)
                .fetch_all(h.conn())
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    pub(crate) async fn fetch_one(self, conn: &mut Conn) -> Result<Row, sqlx::Error> {
        Ok(match conn {
            Conn::Sqlite(h) => Row::Sqlite(build(self).fetch_one(h.conn()).await?),
            Conn::Postgres(h) => Row::Postgres(build(self).fetch_one(h.conn()).await?),
        })
    }

    pub(crate) async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<Row>, sqlx::Error> {
        Ok(match conn {
            Conn::Sqlite(h) => build(self).fetch_optional(h.conn()).await?.map(Row::Sqlite),
            Conn::Postgres(h) => build(self)
                .fetch_optional(h.conn())
                .await?
                .map(Row::Postgres),
        })
    }

    /// The rows one at a time (a recount reads every record).
    pub(crate) fn fetch(self, conn: &mut Conn) -> BoxStream<'_, Result<Row, sqlx::Error>> {
        match conn {
            Conn::Sqlite(h) => build(self)
                .fetch(h.conn())
                .map(|r| r.map(Row::Sqlite))
                .boxed(),
            Conn::Postgres(h) => build(self)
                .fetch(h.conn())
                .map(|r| r.map(Row::Postgres))
                .boxed(),
        }
    }
}

/// A statement answered by its first column, as `T`.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run on a connection"]
pub(crate) struct Scalar<T> {
    query: Query,
    _column: PhantomData<fn() -> T>,
}

impl<T: Col> Scalar<T> {
    /// Binds the next `$n`.
    pub(crate) fn bind(self, value: impl Into<Param>) -> Scalar<T> {
        Scalar {
            query: self.query.bind(value),
            _column: PhantomData,
        }
    }

    pub(crate) async fn fetch_one(self, conn: &mut Conn) -> Result<T, sqlx::Error> {
        self.query.fetch_one(conn).await?.try_get(0)
    }

    pub(crate) async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<T>, sqlx::Error> {
        self.query
            .fetch_optional(conn)
            .await?
            .map(|r| r.try_get(0))
            .transpose()
    }
}

/// A row of either backend.
#[derive(Debug)]
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// Column `i` as `T`.
    pub(crate) fn try_get<T: Col>(&self, i: usize) -> Result<T, sqlx::Error> {
        match self {
            Row::Sqlite(r) => T::sqlite(r, i),
            Row::Postgres(r) => T::postgres(r, i),
        }
    }
}

/// A column type the store reads: the same few as it binds.
pub(crate) trait Col: Sized {
    fn sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error>;
    fn postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error>;
}

macro_rules! col {
    ($($t:ty),* $(,)?) => {
        $(impl Col for $t {
            fn sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
                sqlx::Row::try_get(row, i)
            }
            fn postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
                sqlx::Row::try_get(row, i)
            }
        })*
    };
}

col!(
    i64,
    Option<i64>,
    bool,
    Option<bool>,
    String,
    Option<String>,
    Vec<u8>,
    Option<Vec<u8>>,
);
