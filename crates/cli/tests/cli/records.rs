//! The records commands as an operator runs them: first run, accounts, the
//! audit log verified, checkpointed and caught when tampered with.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{intake, text, trustgate};

static N: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite path, removed (with its WAL files) when dropped.
pub struct TempDb(pub PathBuf);

impl TempDb {
    pub fn new(name: &str) -> TempDb {
        let dir = std::env::temp_dir().join(format!(
            "trustgate_cli_{name}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDb(dir)
    }

    pub fn db(&self) -> String {
        self.0.join("records.db").display().to_string()
    }

    pub fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `trustgate user add` and returns (password, TOTP key) from what it prints.
pub fn user_add(db: &str, name: &str, role: &str, password: Option<&str>) -> (String, String) {
    let mut args = vec!["user", "add", name, "--role", role, "--database", db];
    if password.is_some() {
        args.push("--password-stdin");
    }
    let o = trustgate(&args, password);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    let field = |prefix: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::to_owned))
            .unwrap_or_default()
    };
    let pw = password.map_or_else(
        || field("password (shown once; hand it over in person): "),
        str::to_owned,
    );
    (pw, field("key: "))
}

pub(crate) fn raw_sql(db: &str, sql: &'static str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    });
}

#[test]
fn first_run_creates_the_database_and_says_how_to_make_an_administrator() {
    let tmp = TempDb::new("first_run");
    let db = tmp.db();
    assert!(!std::path::Path::new(&db).exists());
    let (mut server, _, log) = crate::durability::serve(&db);
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(std::path::Path::new(&db).exists());
    assert!(log.contains("no staff accounts yet: create the first administrator with `trustgate user add <username> --role admin --database …` (there is no default password)"), "{log}");
    // Once an account exists, the hint is gone.
    user_add(&db, "alex", "admin", None);
    let (mut server, _, log) = crate::durability::serve(&db);
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!log.contains("no staff accounts yet"), "{log}");
}

#[test]
fn accounts_have_no_default_password_and_the_log_verifies() {
    let tmp = TempDb::new("accounts");
    let db = tmp.db();
    let o = trustgate(&["migrate", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("sqlite store"), "{}", text(&o));

    let (pw, key) = user_add(&db, "alex", "admin", None);
    // 20 characters from a 32-letter alphabet, in groups of four.
    assert_eq!(pw.len(), 24, "{pw}");
    assert_eq!(key.len(), 32, "{key}");
    user_add(
        &db,
        "sam",
        "records-clerk",
        Some("a passphrase long enough\n"),
    );
    // The line's end is not part of the password.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let material = rt.block_on(async {
        let store = trustgate_store::Store::open(&db, std::sync::Arc::new(crate::durability::Wall))
            .await
            .unwrap();
        let m = store.sign_in_material("sam").await.unwrap().unwrap();
        store.close().await;
        m
    });
    assert!(
        trustgate_access::password::verify("a passphrase long enough", &material.password_hash)
            .unwrap()
    );

    let again = trustgate(
        &[
            "user",
            "add",
            "alex",
            "--role",
            "officer",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again).contains("already exists: account/alex"),
        "{}",
        text(&again)
    );
    let short = trustgate(
        &[
            "user",
            "add",
            "kim",
            "--role",
            "officer",
            "--password-stdin",
            "--database",
            &db,
        ],
        Some("short"),
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(
        text(&short).contains("12 to 256 characters"),
        "{}",
        text(&short)
    );
    let role = trustgate(
        &["user", "add", "kim", "--role", "sheriff", "--database", &db],
        None,
    );
    assert_eq!(role.status.code(), Some(2));
    assert!(
        text(&role).contains("unknown role `sheriff`"),
        "{}",
        text(&role)
    );

    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("ok: the audit log is intact (2 entries)"),
        "{}",
        text(&o)
    );
}

#[test]
fn checkpoints_anchor_the_log_and_tampering_is_found_and_placed() {
    let tmp = TempDb::new("tamper");
    let db = tmp.db();
    for name in ["a", "b", "c"] {
        user_add(&db, name, "officer", Some("a passphrase long enough"));
    }
    let key = tmp.file("signing.key");
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
    assert!(public.starts_with("trustgate.test/audit+"), "{public}");
    let again = trustgate(&["audit", "keygen", "--name", "x", "--out", &key], None);
    assert_eq!(again.status.code(), Some(2), "never overwrites a key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let o = trustgate(
        &["audit", "checkpoint", "--key", &key, "--database", &db],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let note = String::from_utf8(o.stdout).unwrap();
    // Three entries, and the checkpoint's own read of the head.
    assert!(note.starts_with("trustgate.test/audit\n4\n"), "{note}");
    let cp = tmp.file("checkpoint-3.txt");
    std::fs::write(&cp, &note).unwrap();

    let anchored = trustgate(
        &[
            "audit",
            "verify",
            "--checkpoint",
            &cp,
            "--public-key",
            &public,
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(anchored.status.code(), Some(0), "{}", text(&anchored));
    assert!(
        text(&anchored).contains("1 checkpoint(s) matched; entries 0 to 3 are as published"),
        "{}",
        text(&anchored)
    );
    let wrong_key = trustgate(
        &[
            "audit",
            "verify",
            "--checkpoint",
            &cp,
            "--public-key",
            &public.replace("audit+", "audit2+"),
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(wrong_key.status.code(), Some(2), "{}", text(&wrong_key));

    // Proofs an outsider can check against the published checkpoint of 3 entries.
    let o = trustgate(
        &[
            "audit",
            "prove",
            "--entry",
            "1",
            "--size",
            "3",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("checked: the entry is leaf 1 of the tree of 3 entries"),
        "{}",
        text(&o)
    );
    let o = trustgate(
        &[
            "audit",
            "prove",
            "--from",
            "3",
            "--to",
            "6",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("extends the log of 3 without rewriting it"),
        "{}",
        text(&o)
    );
    let o = trustgate(
        &[
            "audit",
            "prove",
            "--entry",
            "9",
            "--size",
            "3",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // Someone with the database hides who created account b.
    raw_sql(
        &db,
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'system/nobody' WHERE seq = 1;",
    );
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("TAMPERED: entry 1: its contents do not match its stored chain hash"),
        "{}",
        text(&o)
    );
}

#[test]
fn deleting_the_last_entries_is_found() {
    let tmp = TempDb::new("truncate");
    let db = tmp.db();
    for name in ["a", "b", "c", "d"] {
        user_add(&db, name, "officer", Some("a passphrase long enough"));
    }
    raw_sql(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 2;",
    );
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains(
            "TAMPERED: entries 2 to 3: the stored head counts 4 entries but only 2 are there"
        ),
        "{}",
        text(&o)
    );
}

/// Someone with the database rewrites a record (not the log): `audit
/// verify` names the record and the entry it no longer matches, and exits 1.
#[test]
fn editing_a_record_in_the_database_is_found() {
    let tmp = TempDb::new("record-edit");
    let db = tmp.db();
    let o = trustgate(
        &[
            "generate",
            "--records",
            "40",
            "--from",
            "2026-02-10",
            "--until",
            "2026-03-10",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(
            "40 record(s) (contacts, accounts, tokens) match the latest entry about each"
        ) && text(&o).contains("the report counters match the records they count"),
        "{}",
        text(&o)
    );
    // A contact's acts done are emptied: nothing was done, it says now.
    raw_sql(
        &db,
        "UPDATE contacts SET acts_done = '[]' WHERE id = (SELECT MIN(id) FROM contacts WHERE acts_done <> '[]')",
    );
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let found = text(&o);
    let record = found
        .split("TAMPERED: contact/")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("{found}"));
    assert!(record.parse::<i64>().is_ok(), "{found}");
    assert!(
        found.contains(&format!(
            "TAMPERED: contact/{record}: its content no longer matches audit entry "
        )),
        "{found}"
    );
}

#[test]
fn data_keys_are_made_and_rotated_from_the_command_line() {
    let tmp = TempDb::new("keys");
    let db = tmp.db();
    let first = trustgate(&["keys", "new", "--id", "2026-a"], None);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let second = trustgate(&["keys", "new", "--id", "2026-b"], None);
    let (a, b) = (
        String::from_utf8(first.stdout).unwrap(),
        String::from_utf8(second.stdout).unwrap(),
    );
    assert!(
        a.starts_with("2026-a:") && b.starts_with("2026-b:"),
        "{a}{b}"
    );
    let ring = tmp.file("keyring");
    std::fs::write(&ring, format!("{b}{a}")).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&ring, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let o = trustgate(
        &["keys", "rotate", "--data-keys", &ring, "--database", &db],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("0 record(s) re-sealed under data key 2026-b"),
        "{}",
        text(&o)
    );
    std::fs::write(&ring, "2026-a:not base64!").unwrap();
    let o = trustgate(
        &["keys", "rotate", "--data-keys", &ring, "--database", &db],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("keyring:line 1: the key is not base64"),
        "{}",
        text(&o)
    );
    let bad = trustgate(&["keys", "new", "--id", "no spaces"], None);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
}

#[test]
fn the_report_counts_the_records_of_a_period() {
    use trustgate_store::{Channel, ContactKind, NewContact, NewReimbursement};
    let tmp = TempDb::new("report");
    let db = tmp.db();
    // 2026-03-01 12:00 EST, in period 13 (2026-02-10 to 2026-08-09).
    let march = 1_772_384_400_000i64;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // Recorded in March 2026, after the last of them came in, so the
        // audit log as of the period's end holds them.
        let recorded = march + 2 * 86_400_000;
        let store = crate::open_store(&db, std::sync::Arc::new(Fixed(recorded))).await;
        let clerk = crate::principal("user/clerk", trustgate_access::Role::RecordsClerk);
        let contact = |kind, facts: &str, acts: &[&str], received_ms| NewContact {
            kind,
            channel: Channel::Fax,
            receiving_unit: "district-4".into(),
            received_ms: Some(received_ms),
            scenario: format!(r#"{{"place":"cambridge","date":"2026-03-01","facts":{{{facts}}}}}"#),
            decision: r#"{"items":[]}"#.into(),
            acts_done: acts.iter().map(|a| (*a).to_owned()).collect(),
            done_by: None,
            withheld: None,
            late_entry: None,
            obligations_due: Default::default(),
            person: None,
        };
        let hold = r#""department":"police","requester":"ice-ero","documents":["detainer-hold"]"#;
        store
            .record_contact(
                &clerk,
                intake(contact(ContactKind::Detainer, hold, &["detain"], march)),
            )
            .await
            .unwrap();
        let w = store
            .record_contact(
                &clerk,
                intake(contact(
                    ContactKind::AdministrativeWarrant,
                    hold,
                    &["transfer-to-ice"],
                    march + 86_400_000,
                )),
            )
            .await
            .unwrap();
        // Period 12: not counted.
        store
            .record_contact(
                &clerk,
                intake(contact(
                    ContactKind::Detainer,
                    hold,
                    &[],
                    march - 30 * 86_400_000,
                )),
            )
            .await
            .unwrap();
        store
            .record_reimbursement(
                &clerk,
                w.id,
                NewReimbursement {
                    amount_cents: 12_345,
                    received_on: "2026-04-01".into(),
                    reference: "v-1".into(),
                },
            )
            .await
            .unwrap();
        store.close().await;
    });
    let o = trustgate(&["report", "--period", "13", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["period"]["from"], "2026-02-10");
    assert_eq!(
        v["a"]["total"], 3,
        "the warrant also carries a detainer: two instruments"
    );
    assert_eq!(v["a"]["by_type"]["detainer (hold)"], 2);
    assert_eq!(v["b"]["total"], 1);
    assert_eq!(v["c"]["total"], 1);
    assert_eq!(v["d"]["total_cents"], 12_345);
    assert_eq!(v["d"]["by_case"][0]["case"], "case 1");
    assert!(
        v["a"].get("records").is_none(),
        "the public version names no record"
    );
    let staff = trustgate(
        &["report", "--period", "13", "--staff", "--database", &db],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&staff.stdout).unwrap();
    assert_eq!(v["a"]["records"], serde_json::json!([1, 2]));
    let csv = trustgate(
        &[
            "report",
            "--containing",
            "2026-03-01",
            "--format",
            "csv",
            "--database",
            &db,
        ],
        None,
    );
    assert!(
        String::from_utf8_lossy(&csv.stdout).contains("\"b\",\"total\",\"\",1\r\n"),
        "{}",
        text(&csv)
    );
    let again = trustgate(&["report", "--period", "13", "--database", &db], None);
    assert_eq!(
        again.stdout, o.stdout,
        "the same records give the same bytes"
    );
    let list = trustgate(&["report", "--list", "--database", &db], None);
    assert!(
        text(&list).starts_with("1\t2020-02-10 to 2020-08-09\n2\t2020-08-10 to 2021-02-09\n"),
        "{}",
        text(&list)
    );
    let bad = trustgate(
        &["report", "--containing", "2019-05-01", "--database", &db],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad).contains("before the ordinance passed"),
        "{}",
        text(&bad)
    );
    // Published for the public page: every period, the public version only.
    let out = tmp.file("published");
    let o = trustgate(&["report", "--publish", &out, "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let read = |name: &str| std::fs::read_to_string(std::path::Path::new(&out).join(name)).unwrap();
    let index = read("index.html");
    assert!(
        index.contains("<a href=\"2.129.060-period-13.html\">2026-02-10 to 2026-08-09</a>"),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"2.129.060-period-01.html\">2020-02-10 to 2020-08-09</a>"),
        "{index}"
    );
    // A chart per section across periods, described for screen readers.
    assert!(
        index.contains("<title id=\"chart-a-t\">(a) Requests lodged</title>"),
        "{index}"
    );
    assert!(
        index.contains("period 12: 1; period 13: 3; period 14: 0"),
        "{index}"
    );
    let published: serde_json::Value =
        serde_json::from_str(&read("2.129.060-period-13.json")).unwrap();
    let printed: serde_json::Value = serde_json::from_slice(
        &trustgate(&["report", "--period", "13", "--database", &db], None).stdout,
    )
    .unwrap();
    assert_eq!(published, printed);
    let page = read("2.129.060-period-13.html");
    assert!(
        page.contains("<h2 id=\"section-b\">(b) Individuals held: 1</h2>"),
        "{page}"
    );
    assert!(
        page.contains("(d) Reimbursements received: $123.45"),
        "{page}"
    );
    assert!(
        !page.contains("contact/"),
        "the public page names no record"
    );
    assert!(
        read("2.129.060-period-13-letter.txt")
            .starts_with("DRAFT FOR SIGNATURE\n\nTo: the City Clerk\n")
    );
    // The PDF of every period is tagged, and the one printed to a pipe is
    // the published one, byte for byte.
    let pdf_path = |n: u32| {
        std::path::Path::new(&out)
            .join(format!("2.129.060-period-{n:02}.pdf"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    for n in 1..=14 {
        let info = std::process::Command::new("pdfinfo")
            .arg(pdf_path(n))
            .output()
            .expect("pdfinfo (poppler-utils, installed by .ci/run)");
        let info = String::from_utf8_lossy(&info.stdout).into_owned();
        assert!(info.contains("Tagged:          yes"), "period {n}: {info}");
    }
    assert!(
        page.contains("<a href=\"2.129.060-period-13.pdf\">PDF</a>"),
        "{page}"
    );
    // The open data passes the Frictionless validator (scripts/test
    // installs it and says where).
    let validator = std::env::var("TRUSTGATE_FRICTIONLESS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target/tools/frictionless/bin/frictionless"
        )
        .to_owned()
    });
    let checked = std::process::Command::new(&validator)
        .args(["validate", "datapackage.json"])
        .current_dir(&out)
        .output()
        .unwrap_or_else(|e| panic!("{validator}: {e} (run scripts/test, which installs it)"));
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let package: serde_json::Value = serde_json::from_str(&read("datapackage.json")).unwrap();
    assert_eq!(package["resources"].as_array().unwrap().len(), 14);
    assert!(index.contains("<a href=\"datapackage.json\">datapackage.json</a>"));
    let printed = trustgate(
        &[
            "report",
            "--period",
            "13",
            "--format",
            "pdf",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(printed.status.code(), Some(0), "{}", text(&printed));
    assert!(
        printed.stdout == std::fs::read(pdf_path(13)).unwrap(),
        "the same records give the same PDF"
    );
    let shown = std::process::Command::new("pdftotext")
        .args([&pdf_path(13), "-"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(shown.contains("(b) Individuals held: 1"), "{shown}");
    assert!(shown.contains("$123.45"), "{shown}");

    // With a signing key, the ended period carries the log's checkpoint as of
    // its end, which `audit verify` accepts against the log.
    let key = tmp.file("signing.key");
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
    let public = text(&o).lines().last().unwrap().to_owned();
    let out2 = tmp.file("signed");
    let o = trustgate(
        &[
            "report",
            "--publish",
            &out2,
            "--checkpoint-key",
            &key,
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(std::path::Path::new(&out2).join("2.129.060-period-13.json"))
            .unwrap(),
    )
    .unwrap();
    let note = v["checkpoint"]["note"].as_str().unwrap().to_owned();
    assert!(
        note.starts_with("trustgate.test/audit\n4\n"),
        "the four records of March: {note}"
    );
    assert_eq!(v["checkpoint"]["public_key"], public.as_str());
    let current: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(std::path::Path::new(&out2).join("2.129.060-period-14.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(
        current.get("checkpoint").is_none(),
        "the current period has not ended"
    );
    let cp = tmp.file("period-13.checkpoint");
    std::fs::write(&cp, &note).unwrap();
    let o = trustgate(
        &[
            "audit",
            "verify",
            "--checkpoint",
            &cp,
            "--public-key",
            &public,
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("entries 0 to 3 are as published"),
        "{}",
        text(&o)
    );

    // Each report read is in the audit log.
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// A clock stopped at one instant.
#[derive(Debug)]
struct Fixed(i64);

impl trustgate_store::Clock for Fixed {
    fn now_ms(&self) -> i64 {
        self.0
    }
}

#[test]
fn reconciliation_finds_the_planted_gaps() {
    use trustgate_store::{Channel, ContactKind, NewContact};
    let tmp = TempDb::new("reconcile");
    let db = tmp.db();
    // Noon in Cambridge (EST/EDT) of a day, as UTC ms.
    let noon = |day: &str| {
        let d = trustgate_law::Date::parse(day).unwrap();
        let est = i64::from(d.unix_days()) * 86_400_000 + 17 * 3_600_000;
        if day >= "2026-03-08" {
            est - 3_600_000
        } else {
            est
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = crate::open_store(&db, std::sync::Arc::new(crate::durability::Wall)).await;
        for (day, unit) in [("2026-03-02", "booking"), ("2026-03-06", "booking"), ("2026-03-10", "district-4"), ("2026-04-05", "booking"), ("2026-04-20", "booking"), ("2026-05-01", "booking")] {
            store
                .record_contact(
                    &crate::principal("user/clerk", trustgate_access::Role::RecordsClerk),
                    intake(NewContact {
                        kind: ContactKind::Detainer,
                        channel: Channel::Fax,
                        receiving_unit: unit.into(),
                        received_ms: Some(noon(day)),
                        scenario: r#"{"place":"cambridge","date":"2026-03-01","facts":{"department":"police","documents":["detainer-hold"]}}"#.into(),
                        decision: r#"{"items":[]}"#.into(),
                        acts_done: vec![],
                        done_by: None,
                        withheld: None,
                        late_entry: None,
                        obligations_due: Default::default(),
                        person: None,
                    }),
                )
                .await
                .unwrap();
        }
        store.close().await;
    });
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../report/tests/fixtures/ice-detainers-sample.csv"
    );
    let o = trustgate(
        &[
            "reconcile",
            "--ice",
            sample,
            "--facility",
            "CAMBRIDGE POLICE DEPARTMENT=booking",
            "--period",
            "13",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains(
            "5 of ICE's 8 rows are at the city's facilities; 3 matched the city's records"
        ),
        "{out}"
    );
    assert!(
        out.contains("in ICE's data, never logged by the city: 2\n  row 4: prepared 2026-03-10"),
        "{out}"
    );
    assert!(out.contains("logged by the city, not in ICE's data: 3\n  contact/3: received 2026-03-10 at district-4"), "{out}");
    let j = trustgate(
        &[
            "reconcile",
            "--ice",
            sample,
            "--facility",
            "CAMBRIDGE POLICE DEPARTMENT=booking",
            "--from",
            "2026-03-01",
            "--until",
            "2026-03-31",
            "--format",
            "json",
            "--database",
            &db,
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(v["matched"], 2);
    assert_eq!(v["missing_from_city_records"][0]["row"], 4);
    // The same rows as a spreadsheet (told apart by its bytes, not its
    // name) give the same answer.
    let xlsx = tmp.file("ice-sample.data");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(sample)
            .unwrap();
        for (r, record) in rows.records().enumerate() {
            for (c, cell) in record.unwrap().iter().enumerate() {
                sheet
                    .write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), cell)
                    .unwrap();
            }
        }
        book.save(&xlsx).unwrap();
    }
    let jx = trustgate(
        &[
            "reconcile",
            "--ice",
            &xlsx,
            "--facility",
            "CAMBRIDGE POLICE DEPARTMENT=booking",
            "--from",
            "2026-03-01",
            "--until",
            "2026-03-31",
            "--format",
            "json",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(jx.status.code(), Some(0), "{}", text(&jx));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&jx.stdout).unwrap(),
        v
    );
    // The page states the rules and lists both sides' gaps.
    let page = trustgate(
        &[
            "reconcile",
            "--ice",
            &xlsx,
            "--facility",
            "CAMBRIDGE POLICE DEPARTMENT=booking",
            "--period",
            "13",
            "--format",
            "html",
            "--database",
            &db,
        ],
        None,
    );
    let page = text(&page);
    assert!(
        page.contains(
            "<h2 id=\"missing-from-city\">In ICE's data, never logged by the city: 2</h2>"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<tr><th scope=\"row\">contact/3</th><td>2026-03-10</td><td>district-4</td></tr>"
        ),
        "{page}"
    );
    assert!(page.contains("up to two days after"), "{page}");
    let bad = trustgate(
        &[
            "reconcile",
            "--ice",
            sample,
            "--facility",
            "no equals sign",
            "--period",
            "13",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("expected NAME=UNIT"), "{}", text(&bad));
}

/// The generator writes decided, realistic records through the store, the
/// same seed gives the same reports, the counters agree with the records,
/// and it refuses a database that holds real records.
#[test]
fn synthetic_records_are_realistic_repeatable_and_kept_apart() {
    let report = |db: &str, staff: bool| -> serde_json::Value {
        let mut args = vec!["report", "--period", "13", "--database", db];
        if staff {
            args.push("--staff");
        }
        let o = trustgate(&args, None);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let generate = |db: &str| {
        trustgate(
            &[
                "generate",
                "--records",
                "600",
                "--from",
                "2026-02-10",
                "--until",
                "2026-08-09",
                "--seed",
                "7",
                "--database",
                db,
            ],
            None,
        )
    };
    let one = TempDb::new("generate-1");
    let two = TempDb::new("generate-2");
    for tmp in [&one, &two] {
        let o = generate(&tmp.db());
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(
            text(&o).contains("wrote 600 synthetic record(s)"),
            "{}",
            text(&o)
        );
    }
    let public = report(&one.db(), false);
    assert_eq!(
        public,
        report(&two.db(), false),
        "the same seed, the same report"
    );
    // And on PostgreSQL: the same records (their ids may differ: they are
    // written concurrently), so the same public report.
    let name = format!("trustgate_generate_{}", std::process::id());
    let admin = crate::durability::pg_url("postgres");
    crate::durability::pg_admin(
        &admin,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    crate::durability::pg_admin(&admin, format!("CREATE DATABASE {name}"));
    let pg = crate::durability::pg_url(&name);
    let o = generate(&pg);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        report(&pg, false),
        public,
        "PostgreSQL gives the SQLite report"
    );
    crate::durability::pg_admin(&admin, format!("DROP DATABASE {name} WITH (FORCE)"));
    // Every section has something to count, and the counters kept while
    // writing agree with counting the records themselves.
    for section in ["a", "b", "e"] {
        assert!(
            public[section]["total"].as_u64().unwrap() > 0,
            "{section}: {public}"
        );
    }
    let staff = report(&one.db(), true);
    for section in ["a", "b", "c", "e"] {
        assert_eq!(
            public[section]["total"], staff[section]["total"],
            "{section}"
        );
    }
    assert_eq!(
        public["e"]["withheld"][0]["count"],
        staff["e"]["withheld"][0]["count"]
    );
    assert!(
        public["e"]["withheld"][0]["count"].as_u64().unwrap() > 0,
        "{public}"
    );
    // Prohibited acts done are flagged, and the log verifies.
    let o = trustgate(&["audit", "verify", "--database", &one.db()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Generating more into a generated database is fine; into one with a
    // real record it is refused, and nothing is written.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store =
            crate::open_store(&two.db(), std::sync::Arc::new(crate::durability::Wall)).await;
        let real = trustgate_store::NewContact {
            kind: trustgate_store::ContactKind::Detainer,
            channel: trustgate_store::Channel::Fax,
            receiving_unit: "booking".into(),
            received_ms: None,
            scenario: r#"{"place":"cambridge","date":"2026-03-01","facts":{}}"#.into(),
            decision: r#"{"items":[]}"#.into(),
            acts_done: vec![],
            done_by: None,
            withheld: None,
            late_entry: None,
            obligations_due: Default::default(),
            person: None,
        };
        store
            .record_contact(
                &crate::principal("user/clerk", trustgate_access::Role::RecordsClerk),
                intake(real),
            )
            .await
            .unwrap();
        store.close().await;
    });
    let o = generate(&two.db());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("holds 1 record(s) made by someone other than the generator"),
        "{}",
        text(&o)
    );
}

/// `user add --enrol` prints an enrolment code and no credentials;
/// `user enrol` issues a new one (the old one no longer works).
#[test]
fn enrolment_codes_from_the_command_line() {
    let tmp = TempDb::new("enrol");
    let db = tmp.db();
    let o = trustgate(
        &[
            "user",
            "add",
            "new.clerk",
            "--role",
            "records-clerk",
            "--enrol",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(
        !out.contains("password") || out.contains("choose a password"),
        "{out}"
    );
    assert!(
        !out.contains("key:"),
        "no authenticator key for the administrator: {out}"
    );
    let code = |out: &str| {
        out.split("by phone): ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_owned()
    };
    let first = code(&out);
    assert_eq!(first.len(), 24, "{first}");
    let o = trustgate(&["user", "enrol", "new.clerk", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_ne!(code(&text(&o)), first);
    let o = trustgate(&["user", "enrol", "nobody", "--database", &db], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// Which place's records a command keeps comes from the `place.toml` beside
/// the packs, checked against them, with errors that say which and where.
#[test]
fn the_place_comes_from_its_configuration_and_is_checked() {
    let t = TempDb::new("place");
    let db = t.db();
    let o = trustgate(&["report", "--place", "nowhere", "--database", &db], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains(
            "--place nowhere: no place.toml configures it (configured: cambridge, northampton, somerville)"
        ),
        "{}",
        text(&o)
    );
    // A packs folder with a broken place.toml: the error says file:line:column.
    let packs = t.0.join("packs");
    let law = packs.join("us-ma-cambridge");
    std::fs::create_dir_all(&law).unwrap();
    for (name, text) in trustgate_packs::law_files() {
        let to = t.0.join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    std::fs::write(
        law.join("place.toml"),
        "id = \"cambridge\"\nname = \"City of Cambridge\"\n\n[[units]]\nid = \"Front Desk\"\nname = \"Front desk\"\n",
    )
    .unwrap();
    let packs = packs.display().to_string();
    let o = trustgate(&["--packs", &packs, "report", "--database", &db], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("us-ma-cambridge/place.toml:5:6: a unit's id `Front Desk` must be"),
        "{}",
        text(&o)
    );
    // A place the law packs do not know is refused.
    std::fs::write(
        law.join("place.toml"),
        "id = \"atlantis\"\nname = \"Atlantis\"\n\n[[units]]\nid = \"front-desk\"\nname = \"Front desk\"\n",
    )
    .unwrap();
    let o = trustgate(
        &[
            "--packs",
            &packs,
            "report",
            "--place",
            "atlantis",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("the place `atlantis` is configured but the law packs do not know it"),
        "{}",
        text(&o)
    );
    // A question residents ask that the law cannot be asked: refused at
    // start, where it is written.
    std::fs::write(
        law.join("place.toml"),
        "id = \"cambridge\"\nname = \"City of Cambridge\"\n\n[[units]]\nid = \"front-desk\"\nname = \"Front desk\"\n\n[[questions]]\nid = \"hold\"\nfacts = { requestor = \"ice-ero\" }\nacts = { detain = true }\n",
    )
    .unwrap();
    let o = trustgate(&["--packs", &packs, "report", "--database", &db], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("us-ma-cambridge/place.toml:8:1: the question `hold`: ")
            && text(&o).contains("requestor"),
        "{}",
        text(&o)
    );
}

/// Publishing closes the ended periods before counting them (so no contact
/// slips between the count and the closing unflagged), and writes every
/// file whole or not at all. If writing fails, the periods stay closed and
/// running it again writes them.
#[test]
fn publishing_closes_the_periods_first_and_writes_whole_files() {
    let tmp = TempDb::new("publish_fails");
    let db = tmp.db();
    let o = trustgate(&["migrate", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = std::path::PathBuf::from(tmp.file("published"));
    // Something in the way of the last file written.
    std::fs::create_dir_all(out.join("datapackage.json")).unwrap();
    std::fs::write(out.join("index.html"), "the page published before").unwrap();
    let args = [
        "report",
        "--publish",
        out.to_str().unwrap(),
        "--database",
        &db,
    ];
    let o = trustgate(&args, None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("the ended periods are closed, but the reports were not all written")
            && text(&o).contains("datapackage.json"),
        "{}",
        text(&o)
    );
    let names = || {
        let mut n: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert!(
        names().iter().all(|n| !n.ends_with(".tmp")),
        "no temporary file is left: {:?}",
        names()
    );
    // Every file written is whole: the index was replaced, not appended to.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.starts_with("<!doctype html>") || index.starts_with("<!DOCTYPE html>"),
        "{index}"
    );
    // Every ended period is closed once, in the log, though the files failed.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let publications = || {
        rt.block_on(async {
            use sqlx::Connection as _;
            let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&db);
            let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'publish'")
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
            c.close().await.unwrap();
            n
        })
    };
    let closed = publications();
    assert!(closed >= 13, "periods 1 to 13 have ended: {closed}");
    // Out of the way, the same command writes them, closing nothing twice.
    std::fs::remove_dir(out.join("datapackage.json")).unwrap();
    let o = trustgate(&args, None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out.join("datapackage.json").is_file());
    assert_eq!(publications(), closed);
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// `replay` decides every kept scenario again: on its own day the packs
/// agree with what was kept; before 2.129 was passed they do not, and each
/// difference is listed; a kept answer altered in the database is found.
#[test]
fn replay_lists_the_records_that_would_come_out_differently() {
    let tmp = TempDb::new("replay");
    let db = tmp.db();
    let o = trustgate(
        &[
            "generate",
            "--records",
            "30",
            "--from",
            "2026-02-10",
            "--until",
            "2026-03-10",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = trustgate(&["replay", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("30 record(s) replayed: 0 would come out differently"),
        "{}",
        text(&o)
    );

    let o = trustgate(&["replay", "--database", &db, "--on", "2019-06-01"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("30 record(s) replayed on 2019-06-01: "),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("contact/") && l.contains(" -> ")),
        "{out}"
    );

    // Every read is audited, and the log still verifies.
    let o = trustgate(&["audit", "verify", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    raw_sql(
        &db,
        r#"UPDATE contacts SET decision = replace(decision, '"outcome":"prohibited"', '"outcome":"permitted"')"#,
    );
    let o = trustgate(&["replay", "--database", &db], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("permitted -> prohibited"), "{}", text(&o));

    let o = trustgate(&["replay", "--database", &db, "--on", "2026-02-31"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// A proposal replayed over the records: on their own days (before the date
/// a what-if takes the bill to be in force) nothing changes; a law that is
/// not a proposal, or a misspelt one, is refused with the proposals' names.
#[test]
fn replay_takes_a_proposal_as_enacted_only_when_asked_and_only_a_proposal() {
    let tmp = TempDb::new("replay-proposal");
    let db = tmp.db();
    let o = trustgate(
        &[
            "generate",
            "--records",
            "20",
            "--from",
            "2026-02-10",
            "--until",
            "2026-03-10",
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = trustgate(
        &[
            "replay",
            "--database",
            &db,
            "--as-if-enacted",
            "ma-protect-act",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(
            "20 record(s) replayed as if ma-protect-act were enacted: 0 would come out differently"
        ),
        "{}",
        text(&o)
    );
    for (law, says) in [
        ("ma-protect", "did you mean `ma-protect-act`"),
        ("cambridge-2.129", "is not a proposal"),
    ] {
        let o = trustgate(&["replay", "--database", &db, "--as-if-enacted", law], None);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains(says), "{}", text(&o));
    }
}

/// `migrate --dry-run` says what would change and changes nothing: on a
/// database not yet made it creates no file; after `migrate`, nothing is
/// pending.
#[test]
fn migrate_dry_run_says_what_would_change_and_changes_nothing() {
    let tmp = TempDb::new("dry-run");
    let db = tmp.db();
    let o = trustgate(&["migrate", "--dry-run", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let shipped = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations/sqlite"),
    )
    .unwrap()
    .count();
    let out = text(&o);
    assert_eq!(out.matches("would apply ").count(), shipped, "{out}");
    assert!(
        out.contains("would apply 0001 init\n    CREATE TABLE contacts"),
        "{out}"
    );
    assert!(
        !out.contains("created_by"),
        "only statements are listed: {out}"
    );
    assert!(
        !std::path::Path::new(&db).exists(),
        "a dry run creates nothing"
    );

    let o = trustgate(&["migrate", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = trustgate(&["migrate", "--dry-run", "--database", &db], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("is at the current schema: nothing would change"),
        "{}",
        text(&o)
    );
}
