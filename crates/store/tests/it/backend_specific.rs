//! Checks particular to one backend.

use trustgate_store::{
    PgStore, SqliteSettings, SqliteStore, Store, StoreError, is_plain_identifier,
};

use crate::conformance::{intake, reach_all, reader};
use crate::harness::{StepClock, fresh_sqlite_path, pg_url};

#[tokio::test]
async fn sqlite_file_is_created_on_first_open_with_durable_settings() {
    let path = fresh_sqlite_path().await;
    assert!(!path.exists());
    let store = SqliteStore::open(&path, StepClock::new()).await.unwrap();
    assert!(path.exists());
    assert_eq!(
        store.settings().await.unwrap(),
        SqliteSettings {
            journal_mode: "wal".into(),
            synchronous: 2,
            foreign_keys: true,
            busy_timeout_ms: 10_000,
        }
    );
    store.close().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn sqlite_reopened_carries_on_the_same_log() {
    let path = fresh_sqlite_path().await;
    let location = format!("sqlite:{}", path.display());
    let store = Store::open(&location, StepClock::new())
        .await
        .unwrap()
        .with_place(crate::harness::place())
        .unwrap();
    let id = store
        .record_contact(
            &reach_all(&trustgate_store::Actor::new("officer-1")),
            intake(trustgate_store::NewContact {
                kind: trustgate_store::ContactKind::AccessRequest,
                channel: trustgate_store::Channel::Phone,
                receiving_unit: "booking".into(),
                received_ms: None,
                scenario:
                    r#"{"place":"cambridge","date":"2026-03-01","acts":{"grant-access":true}}"#
                        .into(),
                decision: String::new(),
                acts_done: vec![],
                done_by: None,
                withheld: None,
                late_entry: None,
                obligations_due: Default::default(),
                person: None,
            }),
        )
        .await
        .unwrap()
        .id;
    let before = store.audit_head(&reader()).await.unwrap();
    store.close().await;

    let store = Store::open(path.to_str().unwrap(), StepClock::new())
        .await
        .unwrap();
    // The same log, carried on (longer only by this read of its head).
    let after = store.audit_head(&reader()).await.unwrap();
    assert_eq!(after.size, before.size + 1);
    store
        .read_contact(&reach_all(&trustgate_store::Actor::new("clerk-2")), id)
        .await
        .unwrap();
    let log = store.audit_entries(&reader(), 0, u64::MAX).await.unwrap();
    let entries: Vec<_> = log.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = log.iter().map(|s| s.chain_hash).collect();
    let report = trustgate_audit::verify_log(&entries, &chain, &[]).unwrap();
    assert_eq!(report.head.size(), log.len() as u64);
    let own = log
        .iter()
        .filter(|s| s.entry.actor != crate::conformance::READER);
    assert_eq!(own.count(), 2, "the create and the read");
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn postgres_schema_names_are_checked_before_use() {
    for bad in ["", "Public", "x; drop table contacts", "1abc", "a-b"] {
        assert!(!is_plain_identifier(bad), "{bad:?}");
        let got = PgStore::connect_in_schema(&pg_url(), bad, StepClock::new()).await;
        assert!(
            matches!(got, Err(StoreError::Invalid(_) | StoreError::Field { .. })),
            "{bad:?}"
        );
    }
    assert!(is_plain_identifier("tgstore_12_3_456"));
}

#[expect(
    clippy::disallowed_methods,
    reason = "tests act as the operator's commands do"
)]
fn officer_only() -> trustgate_store::Principal {
    trustgate_store::Principal::new(
        trustgate_store::Actor::new("officer-9"),
        trustgate_store::Grants::Role(trustgate_access::Role::Officer),
    )
}

/// A copy for a backup is taken only by one who may read the whole log,
/// is audited before it is taken (so it holds its own entry), and a
/// refusal is audited too.
#[tokio::test]
async fn sqlite_snapshot_is_audited_and_needs_the_audit_permission() {
    let fx = crate::harness::Fixture::fresh(crate::harness::Backend::Sqlite).await;
    let to = fresh_sqlite_path().await;
    let refused = fx.store.snapshot_sqlite(&officer_only(), &to).await;
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(!to.exists());
    fx.store.snapshot_sqlite(&reader(), &to).await.unwrap();
    assert_eq!(SqliteStore::schema_version_of(&to).await.unwrap(), 13);
    let copy = Store::from(SqliteStore::open(&to, StepClock::new()).await.unwrap());
    let entries = copy.audit_entries(&reader(), 0, u64::MAX).await.unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.entry.actor.as_str(), e.entry.action.as_str()))
        .collect();
    assert_eq!(
        actions[..2],
        [
            ("officer-9", "denied"),
            (crate::conformance::READER, "backup")
        ],
        "{actions:?}"
    );
    copy.close().await;
    let _ = std::fs::remove_file(&to);
    // A PostgreSQL store is copied by pg_dump, never by VACUUM INTO.
    let pg = crate::harness::Fixture::fresh(crate::harness::Backend::Postgres).await;
    let wrong = pg.store.snapshot_sqlite(&reader(), &to).await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    let held = pg.store.hold_pg_snapshot(&reader()).await.unwrap();
    assert_eq!(held.schema_version, 13);
    assert!(!held.id.is_empty());
    held.release().await.unwrap();
}
