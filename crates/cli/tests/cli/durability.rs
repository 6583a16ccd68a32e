//! Durability: a stream of contacts is recorded over HTTP, the server (or
//! PostgreSQL itself) is killed with SIGKILL mid-stream, and every contact
//! whose 201 came back must be there afterwards, with an audit log that
//! verifies. On SQLite and on PostgreSQL.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use trustgate_access::totp;

use crate::records::{TempDb, user_add};
use crate::{text, trustgate};

const PASSWORD: &str = "a passphrase long enough";
const WRITERS: usize = 4;

pub(crate) fn pg_url(db: &str) -> String {
    let base = std::env::var("TRUSTGATE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    match base.rfind('/') {
        Some(i) => format!("{}/{db}", &base[..i]),
        None => panic!("TRUSTGATE_TEST_PG_URL has no database: {base}"),
    }
}

/// Runs SQL on a PostgreSQL server as an administrator would.
pub(crate) fn pg_admin(url: &str, sql: String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is unreachable at {url}: {e} (CI starts it)"));
        // Our own identifiers only (checked by the callers).
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    });
}

/// `trustgate serve` on port 0; returns the child, its address (read from
/// its log) and the log up to then.
pub fn serve(database: &str) -> (Child, SocketAddr, String) {
    serve_under(&[], database)
}

/// `serve`, run by `wrapper` (a tracer) if it is not empty.
fn serve_under(wrapper: &[&str], database: &str) -> (Child, SocketAddr, String) {
    let bin = env!("CARGO_BIN_EXE_trustgate");
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .env("TRUSTGATE_PLACE", "cambridge")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    let addr = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("the server stopped before serving:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.split("trustgate is serving: http://").nth(1) {
            break rest
                .split('/')
                .next()
                .unwrap()
                .parse::<SocketAddr>()
                .unwrap();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr, seen)
}

/// One HTTP/1.1 request on a fresh connection; the status and JSON body.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let body = body.to_string();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    s.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {response:?}")))?;
    let json = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| serde_json::from_str(b).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    Ok((status, json))
}

fn sign_in(addr: SocketAddr, user: &str, key: &str) -> String {
    let secret = totp::Secret::from_bytes(&base32(key)).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let code = format!("{:06}", secret.code_at(totp::step_of(now)));
    let (status, v) = http(
        addr,
        "POST",
        "/api/v1/sessions",
        None,
        &json!({"username": user, "password": PASSWORD, "code": code}),
    )
    .unwrap();
    assert_eq!(status, 201, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

fn base32(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        buffer = (buffer << 5) | ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

fn contact(n: usize) -> Value {
    json!({
        "kind": "notification-request",
        "channel": "phone",
        "receiving_unit": format!("district-{}", 1 + n % 4),
        "scenario": {
            "place": "cambridge", "date": "2026-03-01",
            "facts": {"requester": "ice-ero", "department": "police", "custody": "in-police-custody", "documents": ["notification-request"]},
            "acts": {"disclose": ["release-date", "immigration-status"]}
        },
        "acts_done": if n.is_multiple_of(5) { json!(["disclose.release-date"]) } else { json!([]) },
    })
}

/// Writers post contacts until told to stop or the server is gone; returns
/// the ids whose 201 arrived.
fn write_until_killed(addr: SocketAddr, token: &str, kill: impl FnOnce()) -> Vec<i64> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (acked, stop, token) = (acked.clone(), stop.clone(), token.to_owned());
            std::thread::spawn(move || {
                let mut n = w;
                while !stop.load(Ordering::Relaxed) {
                    match http(addr, "POST", "/api/v1/contacts", Some(&token), &contact(n)) {
                        Ok((201, v)) => acked.lock().unwrap().push(v["id"].as_i64().unwrap()),
                        Ok((status, v)) if status >= 500 => {
                            // The database went away under the server: not acknowledged.
                            assert!(v["error"].is_string(), "{status}: {v}");
                        }
                        Ok((status, v)) => panic!("{status}: {v}"),
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                    n += WRITERS;
                }
            })
        })
        .collect();
    // Let a stream build up, then kill mid-stream.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 150 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    kill();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let ids = acked.lock().unwrap().clone();
    eprintln!("{} writes acknowledged before the kill", ids.len());
    assert!(
        ids.len() >= 150,
        "only {} writes were acknowledged before the kill",
        ids.len()
    );
    ids
}

/// Every acknowledged contact is there, and the audit log verifies.
fn check_survivors(database: &str, acked: &[i64]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let clock = std::sync::Arc::new(crate::durability::Wall);
        let store = trustgate_store::Store::open(database, clock).await.unwrap();
        let actor = crate::principal("system/durability-test", trustgate_access::Role::Auditor);
        let listed = store
            .list_contacts(
                &actor,
                trustgate_store::Page {
                    before: None,
                    limit: 500,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut present: std::collections::HashSet<i64> = listed.iter().map(|c| c.id.0).collect();
        let mut before = listed.last().map(|c| c.id);
        while let Some(b) = before {
            let page = store
                .list_contacts(
                    &actor,
                    trustgate_store::Page {
                        before: Some(b),
                        limit: 500,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            present.extend(page.iter().map(|c| c.id.0));
            before = page.last().map(|c| c.id);
        }
        let missing: Vec<_> = acked.iter().filter(|id| !present.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "{} of {} acknowledged contacts are missing: {missing:?}",
            missing.len(),
            acked.len()
        );
        store.close().await;
    });
    let o = trustgate(&["audit", "verify", "--database", database], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[derive(Debug)]
pub struct Wall;

impl trustgate_store::Clock for Wall {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    }
}

/// Records a stream of contacts through `trustgate serve` on `database`,
/// kills the server, or the private PostgreSQL cluster `postgres`, with
/// SIGKILL mid-stream, and checks every acknowledged write survived.
fn kill_mid_stream(database: &str, postgres: Option<&PrivateCluster>) {
    let (_, key) = user_add(database, "clerk", "records-clerk", Some(PASSWORD));
    let (mut server, addr, _) = serve(database);
    let token = sign_in(addr, "clerk", &key);
    let acked = match postgres {
        None => write_until_killed(addr, &token, || server.kill().unwrap()),
        Some(pg) => write_until_killed(addr, &token, || pg.kill9()),
    };
    let _ = server.kill();
    server.wait().unwrap();
    if let Some(pg) = postgres {
        // Crash recovery replays the write-ahead log.
        pg.start();
    }
    check_survivors(database, &acked);
}

#[test]
fn sqlite_keeps_every_acknowledged_write_through_sigkill() {
    let tmp = TempDb::new("sigkill");
    kill_mid_stream(&tmp.db(), None);
}

#[test]
fn postgres_keeps_every_acknowledged_write_when_the_server_is_killed() {
    let name = format!("trustgate_kill_{}", std::process::id());
    let admin = pg_url("postgres");
    pg_admin(
        &admin,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    pg_admin(&admin, format!("CREATE DATABASE {name}"));
    kill_mid_stream(&pg_url(&name), None);
    pg_admin(&admin, format!("DROP DATABASE {name} WITH (FORCE)"));
}

/// A power cut keeps only what the disk was told to keep (`fsync`); a
/// SIGKILL cannot show that, since the kernel still holds the writes. So this
/// watches the system calls: every byte SQLite wrote to its write-ahead log
/// before a `201` (a recorded contact, a sign-in) must have been synced to
/// disk before the `201` was sent. That is what `synchronous=FULL` promises
/// in WAL mode, and what a group commit must not break; on a disk that
/// honours its flushes, an acknowledged write then survives a power cut.
#[test]
fn sqlite_syncs_its_log_to_disk_before_it_acknowledges_a_write() {
    let tmp = TempDb::new("power");
    let db = tmp.db();
    let (_, key) = user_add(&db, "clerk", "records-clerk", Some(PASSWORD));
    let trace = tmp.file("strace.log");
    let (mut tracer, addr, _) = serve_under(
        &[
            "strace",
            "-f",
            "-qq",
            "-y",
            "-s",
            "16",
            "-o",
            &trace,
            "-e",
            "trace=fsync,fdatasync,write,writev,pwrite64,pwritev,sendto,sendmsg",
        ],
        &db,
    );
    let token = sign_in(addr, "clerk", &key);
    const CONTACTS: usize = 12;
    for n in 0..CONTACTS {
        let (status, v) =
            http(addr, "POST", "/api/v1/contacts", Some(&token), &contact(n)).unwrap();
        assert_eq!(status, 201, "{v}");
    }
    // Stop the traced server (strace's child) and let strace finish its log.
    let children =
        std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", tracer.id())).unwrap();
    for pid in children.split_whitespace() {
        let _ = Command::new("kill").args(["-TERM", pid]).status();
    }
    tracer.wait().unwrap();
    let log = std::fs::read_to_string(&trace).unwrap();
    let wal = "records.db-wal>";
    let (mut unsynced, mut synced_since_ack, mut acks) = (0usize, false, 0usize);
    // A sync that has begun on this thread (its end comes on a later line).
    let mut syncing = std::collections::HashSet::new();
    for line in log.lines() {
        let (pid, call) = line.split_once(' ').unwrap_or(("", line));
        let call = call.trim_start();
        let is_sync = call.starts_with("fsync(") || call.starts_with("fdatasync(");
        if is_sync && call.contains(wal) {
            if call.ends_with("<unfinished ...>") {
                syncing.insert(pid.to_owned());
                continue;
            }
            assert!(call.ends_with("= 0"), "{line}");
            (unsynced, synced_since_ack) = (0, true);
        } else if call.starts_with("<... fsync resumed>")
            || call.starts_with("<... fdatasync resumed>")
        {
            if syncing.remove(pid) {
                assert!(call.ends_with("= 0"), "{line}");
                (unsynced, synced_since_ack) = (0, true);
            }
        } else if call.starts_with("pwrite") && call.contains(wal) {
            unsynced += 1;
        } else if call.contains("\"HTTP/1.1 201") {
            // The answer starts to leave: everything logged must be on disk.
            assert_eq!(
                unsynced, 0,
                "a 201 left before {unsynced} write(s) to the WAL were synced: {line}"
            );
            assert!(
                synced_since_ack,
                "a 201 left with no sync of the WAL since the last: {line}"
            );
            synced_since_ack = false;
            acks += 1;
        }
    }
    assert_eq!(
        acks,
        1 + CONTACTS,
        "the sign-in and every contact were answered 201, and traced:\n{log}"
    );
}

/// Killing `trustgate` proves nothing about PostgreSQL's own durability, so
/// this test kills the postmaster of a private cluster it owns (never the
/// shared server on 5432).
#[test]
fn postgres_keeps_every_acknowledged_write_when_postgres_is_killed() {
    let pg = PrivateCluster::new();
    kill_mid_stream(&pg.url(), Some(&pg));
}

/// util-linux's `runuser`, which PATH may not reach (it lives in sbin).
const RUNUSER: &str = "/usr/sbin/runuser";

/// A PostgreSQL cluster of the test's own, in a temporary directory, run as
/// the `postgres` user on a free port.
struct PrivateCluster {
    bin: std::path::PathBuf,
    dir: std::path::PathBuf,
    port: u16,
}

impl PrivateCluster {
    fn new() -> PrivateCluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|d| d.filter_map(Result::ok).map(|e| e.path().join("bin")).find(|b| b.join("initdb").exists()))
            .expect("PostgreSQL's server programs (initdb, pg_ctl) are not under /usr/lib/postgresql/*/bin: install the postgresql package");
        let dir = std::env::temp_dir().join(format!("trustgate_pgkill_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ok = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(ok.success(), "chown postgres {}", dir.display());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = PrivateCluster { bin, dir, port };
        pg.as_postgres(
            "initdb",
            &["-D", &pg.data(), "-U", "postgres", "--auth=trust", "-N"],
        );
        pg.start();
        pg
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(&self, program: &str, args: &[&str]) {
        let out = Command::new(RUNUSER)
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").display().to_string();
        self.as_postgres(
            "pg_ctl",
            &["-D", &self.data(), "-o", &opts, "-l", &log, "-w", "start"],
        );
    }

    /// SIGKILL to the postmaster: no shutdown, no checkpoint.
    fn kill9(&self) {
        let pidfile = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).unwrap();
        let pid = pidfile.lines().next().unwrap().trim().to_owned();
        assert!(
            Command::new("kill")
                .args(["-9", &pid])
                .status()
                .unwrap()
                .success()
        );
        // Wait until it is gone and its children have noticed.
        while Command::new("kill")
            .args(["-0", &pid])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = Command::new(RUNUSER)
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
