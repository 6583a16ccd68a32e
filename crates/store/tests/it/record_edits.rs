//! The property behind the records' digests: whatever one row of one table
//! the records live in is changed to (a random column of a random row given
//! another value), or whichever row is deleted, or copied in as a new one,
//! with every protection of the schema switched off, `audit verify` fails
//! and names the record the row belongs to (or the day, for a report
//! counter). Random over a small office's records (`populate`), on SQLite
//! and on PostgreSQL.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sqlx::Row as _;

use crate::harness::{Backend, Fixture, as_tamperer};
use crate::record_tampering::{finding, populate};

#[derive(Debug, Clone)]
enum Edit {
    /// Give one column of one row another value.
    Change {
        table: Index,
        row: Index,
        column: Index,
    },
    /// Delete one row.
    Delete { table: Index, row: Index },
    /// Insert a copy of one row under a new key.
    Insert { table: Index, row: Index },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(table, row, column)| Edit::Change { table, row, column }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(table, row)| Edit::Delete { table, row }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(table, row)| Edit::Insert { table, row }),
    ]
}

/// The tables edited: every table the records' digests cover, and the
/// report counters.
fn tables() -> Vec<&'static str> {
    let mut t: Vec<&str> = trustgate_store::record_tables()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    t.push("report_counts");
    t
}

/// A column's type, from the database's own catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Int,
    Bool,
    Text,
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
enum V {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

impl V {
    /// Another value of the same type; never the same one, never colliding
    /// with another row's key.
    fn changed(&self) -> V {
        match self {
            V::Int(n) => V::Int(Some(n.map_or(1, |n| n + 1_000_000))),
            V::Bool(b) => V::Bool(Some(!b.unwrap_or(false))),
            V::Text(s) => V::Text(Some(s.as_deref().map_or("x".into(), |s| format!("{s}x")))),
            V::Bytes(b) => V::Bytes(Some(match b {
                Some(b) if !b.is_empty() => {
                    let mut b = b.clone();
                    b[0] ^= 0xff;
                    b
                }
                _ => vec![1; 32],
            })),
        }
    }

    fn int(&self) -> i64 {
        match self {
            V::Int(Some(n)) => *n,
            other => panic!("not an integer: {other:?}"),
        }
    }

    fn text(&self) -> String {
        match self {
            V::Text(Some(s)) => s.clone(),
            other => panic!("not text: {other:?}"),
        }
    }
}

/// The columns that name a row of `table`.
fn key_of(table: &str) -> &'static [&'static str] {
    match table {
        "accounts" => &["username"],
        "report_counts" => &["day", "breakdown", "key"],
        _ => &["id"],
    }
}

/// What a finding must start with: the record the row belongs to.
fn record_of(table: &str, row: &[(String, V)], explanation_contact: Option<i64>) -> String {
    let get = |c: &str| {
        row.iter()
            .find(|(name, _)| name == c)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{table}.{c}"))
    };
    match table {
        "contacts" => format!("contact/{}:", get("id").int()),
        "accounts" => format!("account/{}:", get("username").text()),
        "api_tokens" => format!("token/{}:", get("id").int()),
        "complaints" => format!("complaint/{}:", get("id").int()),
        "complaint_events" | "complaint_notes" | "complaint_obligations" => {
            format!("complaint/{}:", get("complaint_id").int())
        }
        "report_counts" => "report counters of ".into(),
        "exception_explanations" => format!(
            "contact/{}:",
            explanation_contact.unwrap_or_else(|| panic!("{row:?}"))
        ),
        _ => format!("contact/{}:", get("contact_id").int()),
    }
}

/// A list of SQL identifiers is ours (from the catalogue), never input.
fn sql(s: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(s)
}

/// Applies `edit` as a tamperer; returns the expected start of the finding
/// and a description.
async fn tamper(fx: &Fixture, edit: &Edit) -> (String, String) {
    let backend = fx.backend();
    as_tamperer!(fx, c => {
        let tables = tables();
        let (table_at, row_at) = match edit {
            Edit::Change { table, row, .. } | Edit::Delete { table, row } | Edit::Insert { table, row } => (table, row),
        };
        let table = tables[table_at.index(tables.len())];
        // The table's columns and their types, from the catalogue.
        let columns: Vec<(String, Ty)> = match backend {
            Backend::Sqlite => sqlx::query_as::<_, (String, String)>(sql(format!(
                "SELECT name, type FROM pragma_table_info('{table}')"
            )))
            .fetch_all(&mut c)
            .await
            .unwrap(),
            Backend::Postgres => sqlx::query_as::<_, (String, String)>(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut c)
            .await
            .unwrap(),
        }
        .into_iter()
        .map(|(name, ty)| {
            let ty = match ty.to_lowercase().as_str() {
                "integer" | "bigint" => Ty::Int,
                "boolean" => Ty::Bool,
                "text" => Ty::Text,
                "blob" | "bytea" => Ty::Bytes,
                other => panic!("{table}.{name}: type {other}"),
            };
            (name, ty)
        })
        .collect();
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let key = key_of(table);
        let order = key.join(", ");
        let rows = sqlx::query(sql(format!(
            "SELECT {} FROM {table} ORDER BY {order}",
            names.join(", ")
        )))
        .fetch_all(&mut c)
        .await
        .unwrap();
        assert!(!rows.is_empty(), "{table} has rows");
        let r = &rows[row_at.index(rows.len())];
        let row: Vec<(String, V)> = columns
            .iter()
            .enumerate()
            .map(|(i, (name, ty))| {
                let v = match ty {
                    Ty::Int => V::Int(r.try_get(i).unwrap()),
                    Ty::Bool => V::Bool(r.try_get(i).unwrap()),
                    Ty::Text => V::Text(r.try_get(i).unwrap()),
                    Ty::Bytes => V::Bytes(r.try_get(i).unwrap()),
                };
                (name.clone(), v)
            })
            .collect();
        let explanation_contact: Option<i64> = if table == "exception_explanations" {
            let exception = row.iter().find(|(n, _)| n == "exception_id").unwrap().1.int();
            sqlx::query_scalar("SELECT contact_id FROM compliance_exceptions WHERE id = $1")
                .bind(exception)
                .fetch_optional(&mut c)
                .await
                .unwrap()
        } else {
            None
        };
        let expected = record_of(table, &row, explanation_contact);
        // WHERE the row's key is what it is.
        let key_values: Vec<V> = key
            .iter()
            .map(|k| row.iter().find(|(n, _)| n == k).unwrap().1.clone())
            .collect();
        let at = key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ${}", i + 2))
            .collect::<Vec<_>>()
            .join(" AND ");
        macro_rules! bind {
            ($q:expr, $v:expr) => {
                match $v {
                    V::Int(x) => $q.bind(x),
                    V::Bool(x) => $q.bind(x),
                    V::Text(x) => $q.bind(x),
                    V::Bytes(x) => $q.bind(x),
                }
            };
        }
        match edit {
            Edit::Change { column, .. } => {
                let (name, old) = &row[column.index(row.len())];
                let new = old.changed();
                let statement = format!("UPDATE {table} SET {name} = $1 WHERE {at}");
                let mut q = sqlx::query(sql(statement));
                q = bind!(q, new.clone());
                for v in key_values {
                    q = bind!(q, v);
                }
                let done = q.execute(&mut c).await.unwrap();
                assert_eq!(done.rows_affected(), 1, "{table}.{name}");
                (expected, format!("{table}.{name}: {old:?} -> {new:?}"))
            }
            Edit::Delete { .. } => {
                let statement = format!("DELETE FROM {table} WHERE {}", at.replace("$2", "$1").replace("$3", "$2").replace("$4", "$3"));
                let mut q = sqlx::query(sql(statement));
                for v in key_values {
                    q = bind!(q, v);
                }
                let done = q.execute(&mut c).await.unwrap();
                assert_eq!(done.rows_affected(), 1, "{table}");
                (expected, format!("{table}: deleted {row:?}"))
            }
            Edit::Insert { .. } => {
                // A copy under a new key, unique where the schema says so.
                let copy: Vec<V> = row
                    .iter()
                    .map(|(name, v)| {
                        let new_key = key.contains(&name.as_str());
                        let unique = matches!(
                            (table, name.as_str()),
                            ("compliance_exceptions", "act")
                                | ("api_tokens", "token_hash")
                                | ("complaints", "code_hash")
                        );
                        if new_key || unique {
                            v.changed()
                        } else {
                            v.clone()
                        }
                    })
                    .collect();
                let overriding = match backend {
                    Backend::Postgres if key == ["id"] => "OVERRIDING SYSTEM VALUE ",
                    _ => "",
                };
                let params: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
                let statement = format!(
                    "INSERT INTO {table} ({}) {overriding}VALUES ({})",
                    names.join(", "),
                    params.join(", ")
                );
                let mut q = sqlx::query(sql(statement));
                for v in copy.clone() {
                    q = bind!(q, v);
                }
                q.execute(&mut c).await.unwrap();
                // A dependent row's copy changes its contact; a record's
                // copy is a new record.
                let expected = if key == ["id"]
                    && !["contacts", "api_tokens", "complaints"].contains(&table)
                {
                    expected
                } else {
                    let named: Vec<(String, V)> =
                        names.iter().map(|n| n.to_string()).zip(copy.clone()).collect();
                    record_of(table, &named, explanation_contact)
                };
                (expected, format!("{table}: inserted {copy:?}"))
            }
        }
    })
}

fn run(backend: Backend) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        // Each case is a fresh store: shrinking would take long for little.
        max_shrink_iters: 16,
        ..Config::default()
    });
    runner
        .run(&edit(), |edit| {
            rt.block_on(async {
                let fx = Fixture::fresh(backend).await;
                let made = populate(&fx).await;
                let (expected, what) = tamper(&fx, &edit).await;
                let found = finding(&made).await;
                made.store.close().await;
                fx.store.close().await;
                fx.cleanup().await;
                match found {
                    None => Err(TestCaseError::fail(format!("not found: {what}"))),
                    Some(found) if !found.starts_with(&expected) => Err(TestCaseError::fail(
                        format!("{what}: expected `{expected}…`, found: {found}"),
                    )),
                    Some(_) => Ok(()),
                }
            })
        })
        .unwrap();
}

#[test]
fn random_record_edits_are_found_on_sqlite() {
    run(Backend::Sqlite);
}

#[test]
fn random_record_edits_are_found_on_postgres() {
    run(Backend::Postgres);
}
