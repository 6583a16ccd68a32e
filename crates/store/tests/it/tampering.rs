//! The property behind `trustgate audit verify`: whatever someone with write
//! access to the database does to the stored log (change, delete, insert,
//! reorder entries, or their hashes, or the head), `Store::verify_audit_log`
//! reports it. Each case builds a fresh SQLite store, appends a log, tampers
//! with it in SQL, and verifies.

use proptest::prelude::*;
use proptest::sample::Index;
use sqlx::Connection as _;
use trustgate_store::{Actor, SqliteStore, Store};

use crate::conformance::reader;
use crate::harness::{StepClock, fresh_sqlite_path};

#[derive(Debug, Clone, Copy)]
enum Attack {
    /// Change one field of entry k.
    Change(usize),
    /// Delete entry k (and leave the head alone).
    Delete,
    /// Delete entries from k to the end.
    Truncate,
    /// Insert a forged entry at k, moving the later ones up.
    Insert,
    /// Swap the positions of entries k and j.
    Swap,
    /// Change only the stored leaf hash of entry k.
    Leaf,
    /// Change the stored head's size or root.
    Head(bool),
}

fn attack() -> impl Strategy<Value = Attack> {
    prop_oneof![
        (0..5usize).prop_map(Attack::Change),
        Just(Attack::Delete),
        Just(Attack::Truncate),
        Just(Attack::Insert),
        Just(Attack::Swap),
        Just(Attack::Leaf),
        any::<bool>().prop_map(Attack::Head),
    ]
}

async fn tamper(path: &std::path::Path, attack: Attack, n: i64, k: i64, j: i64) {
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    sqlx::raw_sql("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .execute(&mut c)
        .await
        .unwrap();
    let q = match attack {
        Attack::Change(0) => "UPDATE audit_log SET actor = 'user/someone-else' WHERE seq = $1",
        Attack::Change(1) => "UPDATE audit_log SET action = 'read' WHERE seq = $1",
        Attack::Change(2) => "UPDATE audit_log SET object = 'contact/999' WHERE seq = $1",
        Attack::Change(3) => "UPDATE audit_log SET detail = detail || ' ' WHERE seq = $1",
        Attack::Change(_) => "UPDATE audit_log SET time_ms = time_ms + 1 WHERE seq = $1",
        Attack::Delete => "DELETE FROM audit_log WHERE seq = $1",
        Attack::Truncate => "DELETE FROM audit_log WHERE seq >= $1",
        Attack::Leaf => "UPDATE audit_log SET leaf_hash = chain_hash WHERE seq = $1",
        Attack::Head(true) => "UPDATE audit_head SET size = size - 1 WHERE $1 >= 0",
        Attack::Head(false) => "UPDATE audit_head SET chain_head = zeroblob(32) WHERE $1 >= 0",
        Attack::Insert => {
            // Move entries k.. up by one, then put a copy of entry k (a
            // plausible forged row, with real-looking hashes) in the gap.
            sqlx::query("UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= $1")
                .bind(k)
                .execute(&mut c)
                .await
                .unwrap();
            sqlx::query("UPDATE audit_log SET seq = seq - 999999 WHERE seq >= 1000000")
                .execute(&mut c)
                .await
                .unwrap();
            "INSERT INTO audit_log SELECT seq - 1, time_ms, 'user/forger', action, object, detail, chain_hash, leaf_hash, format, state, record, digest FROM audit_log WHERE seq = $1 + 1"
        }
        Attack::Swap => {
            let (a, b) = (
                k,
                if j != k {
                    j
                } else if k + 1 < n {
                    k + 1
                } else {
                    k - 1
                },
            );
            for (from, to) in [(a, 1_000_000_000), (b, a), (1_000_000_000, b)] {
                sqlx::query("UPDATE audit_log SET seq = $2 WHERE seq = $1")
                    .bind(from)
                    .bind(to)
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            c.close().await.unwrap();
            return;
        }
    };
    let changed = sqlx::query(q).bind(k).execute(&mut c).await.unwrap();
    assert!(
        changed.rows_affected() >= 1,
        "{attack:?} at {k} changed nothing"
    );
    c.close().await.unwrap();
}

proptest! {
    // PROPTEST_CASES=2000 for a longer run.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48), ..ProptestConfig::default() })]

    #[test]
    fn every_tampering_in_sql_is_found(n in 2..16i64, attack in attack(), k in any::<Index>(), j in any::<Index>()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let found = rt.block_on(async {
            let path = fresh_sqlite_path().await;
            let store: Store = SqliteStore::open(&path, StepClock::new()).await.unwrap().into();
            for i in 0..n {
                store.record_denial(&Actor::new(format!("user/u{i}")), &format!("permission/p{i}")).await.unwrap();
            }
            assert!(store.verify_audit_log(&reader(), &[]).await.unwrap().is_ok(), "intact before");
            let (k, j) = (k.index(n as usize) as i64, j.index(n as usize) as i64);
            // The check above is itself an entry: the log is n + 1 long.
            tamper(&path, attack, n + 1, k, j).await;
            let got = store.verify_audit_log(&reader(), &[]).await.unwrap();
            store.close().await;
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            (got, k)
        });
        let (got, k) = found;
        prop_assert!(got.is_err(), "{attack:?} at {k} of {n} was not found");
        let message = got.unwrap_err();
        if let Attack::Change(_) | Attack::Leaf = attack {
            prop_assert!(message.starts_with(&format!("entry {k}:")), "{attack:?} at {k}: {message}");
        }
    }
}
