//! Operating it: settings from a file and the environment, and backups
//! taken while a writer writes, restored and compared table by table, and
//! damaged snapshots refused.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::records::TempDb;
use crate::{text, trustgate};

/// `trustgate ARGS` with extra environment variables.
fn trustgate_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trustgate"));
    cmd.args(args)
        .env("TRUSTGATE_PLACE", "cambridge")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn settings_come_from_the_file_then_the_environment_then_the_flags() {
    let tmp = TempDb::new("settings");
    let config = tmp.file("trustgate.toml");
    let from_file = tmp.file("from-file.db");
    let from_env = tmp.file("from-env.db");
    let from_flag = tmp.file("from-flag.db");
    std::fs::write(
        &config,
        format!("# the city's settings\ndatabase = \"{from_file}\"\nmax-connections = 300\nlisten = \"127.0.0.1:9100\"\n"),
    )
    .unwrap();
    // `config check` says each value and where it came from.
    let o = trustgate_env(
        &["config", "check", "--config", &config],
        &[("TRUSTGATE_MAX_CONNECTIONS", "200")],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains(&format!("database = \"{from_file}\"")), "{t}");
    assert!(t.contains(&format!("# {config}:2:12")), "{t}");
    assert!(
        t.contains("max-connections = 200") && t.contains("# TRUSTGATE_MAX_CONNECTIONS"),
        "{t}"
    );
    assert!(
        t.contains("listen = \"127.0.0.1:9100\"") && t.contains(&format!("# {config}:4:10")),
        "{t}"
    );
    assert!(
        t.contains("issuer = \"trustgate\"") && t.contains("# default"),
        "{t}"
    );
    // Every command that keeps records reads them: the file's database…
    let o = trustgate_env(&["migrate", "--config", &config], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(Path::new(&from_file).exists(), "{}", text(&o));
    // …the environment's over it (TRUSTGATE_CONFIG names the file too)…
    let o = trustgate_env(
        &["migrate"],
        &[
            ("TRUSTGATE_CONFIG", &config),
            ("TRUSTGATE_DATABASE", &from_env),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(Path::new(&from_env).exists(), "{}", text(&o));
    // …and the flag's over both.
    let o = trustgate_env(
        &["migrate", "--database", &from_flag],
        &[
            ("TRUSTGATE_CONFIG", &config),
            ("TRUSTGATE_DATABASE", &from_env),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(Path::new(&from_flag).exists(), "{}", text(&o));
}

#[test]
fn wrong_settings_are_all_told_at_their_line_and_column_and_nothing_starts() {
    let tmp = TempDb::new("settings-bad");
    let config = tmp.file("trustgate.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:9101\"\n\nmax_conections = 10\ntls-cert = \"/nowhere/cert.pem\"\nlog-json = \"yes\"\n",
    )
    .unwrap();
    let o = trustgate_env(&["config", "check", "--config", &config], &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains(&format!(
            "error: {config}:3:1: unknown setting `max_conections`: did you mean `max-connections`?"
        )),
        "{t}"
    );
    assert!(
        t.contains(&format!("error: {config}:5:12: log-json: expected true or false, such as true; found string \"yes\"")),
        "{t}"
    );
    assert!(
        t.contains(&format!("error: {config}:4:12: tls-cert needs tls-key")),
        "{t}"
    );
    assert!(t.contains("3 error(s) in the settings"), "{t}");
    // The server refuses to start on them, before it binds.
    let o = trustgate_env(&["serve", "--config", &config], &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("unknown setting `max_conections`")
            && t.contains("`trustgate config check` shows them"),
        "{t}"
    );
    // A bad value in the environment names the variable.
    let o = trustgate_env(&["config", "check"], &[("TRUSTGATE_LISTEN", "everywhere")]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("error: TRUSTGATE_LISTEN: `everywhere` is not an address and port"),
        "{t}"
    );
}

#[test]
fn config_check_masks_the_database_password() {
    let o = trustgate_env(
        &["config", "check"],
        &[(
            "TRUSTGATE_DATABASE",
            "postgres://city:s3cret-pw@db.example/trustgate",
        )],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("database = \"postgres://city:***@db.example/trustgate\""),
        "{t}"
    );
    assert!(!t.contains("s3cret-pw"), "{t}");
}

/// Every table of a SQLite file, each as its rows in text (`quote()` of
/// every column), in rowid order.
fn sqlite_tables(db: &str) -> BTreeMap<String, Vec<String>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::{Connection as _, Row as _};
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .read_only(true);
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&mut c)
        .await
        .unwrap();
        let mut tables = BTreeMap::new();
        for name in names {
            let cols: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA table_info(\"{name}\")")))
                .fetch_all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(1))
                .collect();
            let row = cols
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {row} FROM \"{name}\" ORDER BY rowid")))
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
            tables.insert(name, rows);
        }
        c.close().await.unwrap();
        tables
    })
}

/// Asserts `restored` is `snapshot` table for table, but for the one
/// entry the restore's verification appended (and the head after it).
fn assert_restored(
    snapshot: &BTreeMap<String, Vec<String>>,
    restored: &BTreeMap<String, Vec<String>>,
) {
    assert_eq!(
        snapshot.keys().collect::<Vec<_>>(),
        restored.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, rows) in snapshot {
        let back = &restored[table];
        match table.as_str() {
            "audit_log" => {
                assert_eq!(back.len(), rows.len() + 1, "one more entry: the restore's");
                assert_eq!(&back[..rows.len()], rows.as_slice(), "{table}");
                assert!(
                    back[rows.len()].contains("'system/restore'|'verify'"),
                    "{}",
                    back[rows.len()]
                );
            }
            "audit_head" => assert_eq!(back.len(), 1),
            _ => assert_eq!(back, rows, "table {table}"),
        }
    }
}

/// A writer in other processes: staff accounts added one after another
/// (each an account, an enrolment and their audit entries), until stopped.
fn writer(db: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            let name = format!("writer-{n}");
            let o = trustgate(
                &[
                    "user",
                    "add",
                    &name,
                    "--role",
                    "officer",
                    "--enrol",
                    "--database",
                    &db,
                ],
                None,
            );
            assert_eq!(o.status.code(), Some(0), "{}", text(&o));
            n += 1;
        }
        n
    })
}

fn generate(db: &str, records: &str) {
    let o = trustgate(
        &[
            "generate",
            "--records",
            records,
            "--from",
            "2026-02-10",
            "--until",
            "2026-06-10",
            "--seed",
            "3",
            "--database",
            db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn manifest(dir: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(Path::new(dir).join("manifest.json")).unwrap())
        .unwrap()
}

#[test]
fn a_sqlite_backup_taken_while_a_writer_writes_restores_table_for_table() {
    let tmp = TempDb::new("backup");
    let db = tmp.db();
    generate(&db, "300");
    let stop = Arc::new(AtomicBool::new(false));
    let writing = writer(db.clone(), Arc::clone(&stop));
    // Backups while the writer writes: each a state some commit left.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut during = Vec::new();
    for i in 0..3 {
        let dir = tmp.file(&format!("during-{i}"));
        let o = trustgate(&["backup", "--to", &dir, "--database", &db], None);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(
            text(&o)
                .contains("verified: the snapshot's audit log and every record in it check out"),
            "{}",
            text(&o)
        );
        during.push(dir);
    }
    stop.store(true, Ordering::Relaxed);
    let written = writing.join().unwrap();
    assert!(written > 0, "the writer wrote while the backups were taken");
    let source = sqlite_tables(&db);
    let accounts = |dir: &str| sqlite_tables(&format!("{dir}/trustgate.db"))["accounts"].len();
    assert!(
        accounts(&during[0]) < accounts(&during[2]),
        "the writer wrote between the first backup and the last"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &str| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&during[0]), 0o700);
        assert_eq!(mode(&format!("{}/trustgate.db", during[0])), 0o600);
        assert_eq!(mode(&format!("{}/manifest.json", during[0])), 0o600);
    }
    for (i, dir) in during.iter().enumerate() {
        let m = manifest(dir);
        assert_eq!(m["backend"], "sqlite");
        assert_eq!(m["schema_version"], 13);
        let snapshot = sqlite_tables(&format!("{dir}/trustgate.db"));
        assert_eq!(
            m["audit_log"]["size"],
            snapshot["audit_log"].len() as u64,
            "{m}"
        );
        // The snapshot is the source as it stood at one commit: its log is a
        // prefix of the source's, its contacts are the source's, and every
        // account in it is one of the source's (an account's row changes
        // after its creation: `user add --enrol` then issues its code in a
        // second transaction, and a snapshot may fall between the two).
        assert_eq!(
            snapshot["audit_log"][..],
            source["audit_log"][..snapshot["audit_log"].len()]
        );
        assert_eq!(snapshot["contacts"], source["contacts"]);
        let username = |row: &String| row.split('|').next().unwrap().to_owned();
        let source_names: Vec<String> = source["accounts"].iter().map(username).collect();
        for account in &snapshot["accounts"] {
            assert!(source_names.contains(&username(account)), "{account}");
        }
        let target = tmp.file(&format!("restored-{i}.db"));
        let o = trustgate(&["restore", "--from", dir, "--to", &target], None);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_restored(&snapshot, &sqlite_tables(&target));
        let o = trustgate(&["audit", "verify", "--database", &target], None);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    // Once the writer has stopped, a backup restores to the source exactly.
    let last = tmp.file("after");
    let o = trustgate(&["backup", "--to", &last, "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let target = tmp.file("restored-after.db");
    let o = trustgate(&["restore", "--from", &last, "--to", &target], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_restored(&sqlite_tables(&db), &sqlite_tables(&target));
    // An existing database is never replaced unless told.
    let before = std::fs::read(&target).unwrap();
    let o = trustgate(&["restore", "--from", &last, "--to", &target], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("exists; give --replace to replace it"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&target).unwrap(), before);
    let o = trustgate(
        &[
            "restore",
            "--from",
            &during[0],
            "--to",
            &target,
            "--replace",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // A backup never overwrites another.
    let o = trustgate(&["backup", "--to", &last, "--database", &db], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("is not empty"), "{}", text(&o));
}

/// SHA-256 of a file, hex, as `sha256sum` prints it.
fn sha256sum(path: &str) -> String {
    let o = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Rewrites a backup's manifest to vouch for its snapshot as it is now.
fn recompute_checksum(dir: &str, snapshot: &str) {
    let mut m = manifest(dir);
    let path = format!("{dir}/{snapshot}");
    m["sha256"] = sha256sum(&path).into();
    m["bytes"] = std::fs::metadata(&path).unwrap().len().into();
    std::fs::write(format!("{dir}/manifest.json"), m.to_string()).unwrap();
}

fn copy_dir(from: &str, to: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), Path::new(to).join(e.file_name())).unwrap();
    }
}

#[test]
fn a_damaged_sqlite_snapshot_is_refused() {
    let tmp = TempDb::new("backup-damaged");
    let db = tmp.db();
    generate(&db, "60");
    let good = tmp.file("good");
    let o = trustgate(&["backup", "--to", &good, "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // One byte flipped.
    let flipped = tmp.file("flipped");
    copy_dir(&good, &flipped);
    let file = format!("{flipped}/trustgate.db");
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, bytes).unwrap();
    let target = tmp.file("target-1.db");
    let o = trustgate(&["restore", "--from", &flipped, "--to", &target], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("does not match its manifest")
            && t.contains("damaged or changed after the backup"),
        "{t}"
    );
    assert!(!Path::new(&target).exists());

    // A record altered, and the checksum made to match: the log finds it.
    let altered = tmp.file("altered");
    copy_dir(&good, &altered);
    crate::records::raw_sql(
        &format!("{altered}/trustgate.db"),
        "UPDATE contacts SET acts_done = '[]' WHERE id = (SELECT MIN(id) FROM contacts WHERE acts_done <> '[]')",
    );
    recompute_checksum(&altered, "trustgate.db");
    let target = tmp.file("target-2.db");
    let o = trustgate(&["restore", "--from", &altered, "--to", &target], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("refused")
            && t.contains("its audit log does not verify: contact/")
            && t.contains("its content no longer matches audit entry"),
        "{t}"
    );
    assert!(!Path::new(&target).exists(), "nothing restored");
    assert!(
        !Path::new(&format!("{target}.restoring")).exists(),
        "no scratch copy left"
    );

    // The log cut short (its last entries and head rewound), checksum matched:
    // the manifest's head no longer matches.
    let rewound = tmp.file("rewound");
    copy_dir(&good, &rewound);
    let m = manifest(&rewound);
    let mut m2 = m.clone();
    m2["audit_log"]["size"] = (m["audit_log"]["size"].as_u64().unwrap() + 1).into();
    std::fs::write(format!("{rewound}/manifest.json"), m2.to_string()).unwrap();
    let o = trustgate(
        &[
            "restore",
            "--from",
            &rewound,
            "--to",
            &tmp.file("target-3.db"),
        ],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("is not the one its manifest names"), "{t}");

    // A manifest that is not one says where.
    std::fs::write(
        format!("{rewound}/manifest.json"),
        "{\"format\": \"trustgate-backup/1\",\n \"extra\": 1}",
    )
    .unwrap();
    let o = trustgate(
        &[
            "restore",
            "--from",
            &rewound,
            "--to",
            &tmp.file("target-4.db"),
        ],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("manifest.json:2:") && t.contains("not a backup manifest"),
        "{t}"
    );
}

/// A fresh PostgreSQL database of its own, dropped at the end.
struct PgDb {
    name: String,
}

fn pg_admin_url() -> String {
    std::env::var("TRUSTGATE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn pg_exec(url: &str, sql: String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    });
}

impl PgDb {
    fn new(what: &str) -> PgDb {
        let name = format!(
            "tg_{what}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        pg_exec(&pg_admin_url(), format!("CREATE DATABASE {name}"));
        PgDb { name }
    }

    fn url(&self) -> String {
        let admin = pg_admin_url();
        let base = admin.rsplit_once('/').unwrap().0;
        format!("{base}/{}", self.name)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        pg_exec(
            &pg_admin_url(),
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Every table of the database's `public` schema, each as its rows in text, sorted.
fn pg_tables(url: &str) -> BTreeMap<String, Vec<String>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
        .fetch_all(&mut c)
        .await
        .unwrap();
        let mut tables = BTreeMap::new();
        for name in names {
            let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT t::text FROM public.\"{name}\" t ORDER BY 1"
            )))
            .fetch_all(&mut c)
            .await
            .unwrap();
            tables.insert(name, rows);
        }
        c.close().await.unwrap();
        tables
    })
}

#[test]
fn a_postgres_backup_taken_while_a_writer_writes_restores_table_for_table_and_damage_is_refused() {
    let source = PgDb::new("bk_src");
    let url = source.url();
    generate(&url, "150");
    let tmp = TempDb::new("pg-backup");
    let stop = Arc::new(AtomicBool::new(false));
    let writing = writer(url.clone(), Arc::clone(&stop));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let during = tmp.file("during");
    let o = trustgate(&["backup", "--to", &during, "--database", &url], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    stop.store(true, Ordering::Relaxed);
    assert!(writing.join().unwrap() > 0);
    let m = manifest(&during);
    assert_eq!(m["backend"], "postgres");
    assert!(
        m["tool"]
            .as_str()
            .unwrap()
            .starts_with("pg_dump (PostgreSQL)"),
        "{m}"
    );

    // Restored while the writer wrote: the log a prefix of the source's,
    // the contacts the source's, and the manifest's head.
    let target = PgDb::new("bk_dst");
    let o = trustgate(&["restore", "--from", &during, "--to", &target.url()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let all = pg_tables(&url);
    let back = pg_tables(&target.url());
    let size = m["audit_log"]["size"].as_u64().unwrap() as usize;
    assert_eq!(
        back["audit_log"].len(),
        size + 1,
        "the snapshot's entries and the restore's"
    );
    let seq = |row: &String| {
        row.trim_start_matches('(')
            .split(',')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    let mut source_log = all["audit_log"].clone();
    source_log.sort_by_key(seq);
    let mut back_log = back["audit_log"].clone();
    back_log.sort_by_key(seq);
    assert_eq!(back_log[..size], source_log[..size]);
    assert_eq!(back["contacts"], all["contacts"]);
    let o = trustgate(&["audit", "verify", "--database", &target.url()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // After the writer stopped: every table as the source's.
    let after = tmp.file("after");
    let o = trustgate(&["backup", "--to", &after, "--database", &url], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let exact = PgDb::new("bk_exact");
    let o = trustgate(&["restore", "--from", &after, "--to", &exact.url()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let all = pg_tables(&url);
    let back = pg_tables(&exact.url());
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        back.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &all {
        match table.as_str() {
            "audit_log" => assert_eq!(back[table].len(), rows.len() + 1),
            "audit_head" => {}
            _ => assert_eq!(&back[table], rows, "table {table}"),
        }
    }
    // A database that holds tables is not replaced unless told.
    let o = trustgate(&["restore", "--from", &after, "--to", &exact.url()], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("already holds tables"), "{}", text(&o));

    // One byte flipped: refused before anything is loaded.
    let flipped = tmp.file("flipped");
    copy_dir(&after, &flipped);
    let file = format!("{flipped}/trustgate.pgdump");
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, bytes).unwrap();
    let empty = PgDb::new("bk_empty");
    let o = trustgate(&["restore", "--from", &flipped, "--to", &empty.url()], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("does not match its manifest"),
        "{}",
        text(&o)
    );

    // A record altered in the dump (dumped from an altered copy), the
    // checksum made to match: the log finds it, and the target is left empty.
    pg_exec(&exact.url(), "UPDATE contacts SET acts_done = '[]' WHERE id = (SELECT MIN(id) FROM contacts WHERE acts_done <> '[]')".into());
    let altered = tmp.file("altered");
    copy_dir(&after, &altered);
    let dumped = Command::new("pg_dump")
        .args([
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            &format!("{altered}/trustgate.pgdump"),
            "--dbname",
            &exact.url(),
        ])
        .output()
        .unwrap();
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    recompute_checksum(&altered, "trustgate.pgdump");
    let o = trustgate(&["restore", "--from", &altered, "--to", &empty.url()], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("refused: its audit log does not verify: contact/"),
        "{t}"
    );
    assert!(
        pg_tables(&empty.url()).is_empty(),
        "nothing of the refused snapshot is left"
    );

    // --replace sets what was there aside: put back when the snapshot is
    // refused, kept (and named) when it is restored.
    let held = pg_tables(&exact.url());
    let o = trustgate(
        &[
            "restore",
            "--from",
            &altered,
            "--to",
            &exact.url(),
            "--replace",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(pg_tables(&exact.url()), held, "put back as it was");
    let o = trustgate(
        &[
            "restore",
            "--from",
            &after,
            "--to",
            &exact.url(),
            "--replace",
        ],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("what the database held before is kept in schema public_before_restore_"),
        "{t}"
    );
    assert_eq!(
        pg_tables(&exact.url())["contacts"],
        all["contacts"],
        "the snapshot's records, not the altered ones"
    );
}

#[test]
fn the_example_settings_file_is_valid() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/settings.example.toml"
    );
    let o = trustgate_env(&["config", "check", "--config", example], &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("database = \"/var/lib/trustgate/trustgate.db\""),
        "{t}"
    );
}

#[test]
fn a_restored_log_must_hold_every_published_checkpoint() {
    let tmp = TempDb::new("backup-checkpoint");
    let db = tmp.db();
    generate(&db, "30");
    let key = tmp.file("audit.key");
    let o = trustgate(
        &[
            "audit",
            "keygen",
            "--name",
            "trustgate.test/audit",
            "--out",
            &key,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let public = text(&o).lines().last().unwrap().to_owned();
    let checkpoint = |name: &str| {
        let o = trustgate(
            &["audit", "checkpoint", "--key", &key, "--database", &db],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let file = tmp.file(name);
        std::fs::write(&file, &o.stdout).unwrap();
        file
    };
    let before = checkpoint("before.cp");
    let dir = tmp.file("backup");
    let o = trustgate(&["backup", "--to", &dir, "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The log grows after the backup, and a checkpoint of it is published.
    crate::records::user_add(&db, "later", "officer", Some("a long enough password 1"));
    let after = checkpoint("after.cp");

    let o = trustgate(
        &[
            "restore",
            "--from",
            &dir,
            "--to",
            &tmp.file("ok.db"),
            "--checkpoint",
            &before,
            "--public-key",
            &public,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("consistent with the 1 published checkpoint(s) given"),
        "{}",
        text(&o)
    );
    // A snapshot older than the last published checkpoint would lose
    // entries the public has seen: refused, and nothing restored.
    let target = tmp.file("old.db");
    let o = trustgate(
        &[
            "restore",
            "--from",
            &dir,
            "--to",
            &target,
            "--checkpoint",
            &before,
            "--checkpoint",
            &after,
            "--public-key",
            &public,
        ],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("refused") && t.contains("its audit log does not verify"),
        "{t}"
    );
    assert!(!Path::new(&target).exists());
}
