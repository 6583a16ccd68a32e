//! The store's tests: one conformance suite run on both backends (a fresh
//! SQLite file, or a fresh PostgreSQL schema, per test), and a few checks
//! particular to one backend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub,
    reason = "tests"
)]

mod backend_specific;
mod conformance;
mod harness;

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::harness::run(crate::harness::Backend::Sqlite, crate::conformance::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::harness::run(crate::harness::Backend::Postgres, crate::conformance::$name).await
                }
            )*
        }
    };
}

conformance!(
    record_then_read_round_trips_every_field,
    reads_are_audited,
    log_verifies_after_many_operations,
    prohibited_act_done_is_a_compliance_exception,
    unknown_id_is_not_found_and_appends_nothing,
    invalid_input_is_refused_and_appends_nothing,
    audit_log_and_exceptions_are_append_only,
    changing_an_entry_in_sql_is_caught,
    deleting_an_entry_in_sql_is_caught,
    concurrent_writers_keep_one_chain,
);
