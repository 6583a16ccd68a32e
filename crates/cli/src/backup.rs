//! `trustgate backup` and `trustgate restore`: a snapshot of the records
//! taken while the server runs, with a manifest, and a restore that refuses
//! a snapshot it cannot prove intact.
//!
//! A backup folder holds two files: the snapshot (`trustgate.db`, a SQLite
//! database written by `VACUUM INTO`; or `trustgate.pgdump`, `pg_dump`'s
//! custom format taken in the same exported snapshot as the audit head)
//! and `manifest.json`: the backend, the snapshot's name, size and
//! SHA-256, the schema version, the audit log's size, Merkle root and chain
//! head in the snapshot, and the time. The checksum finds damage to the
//! file; the audit log finds an edit made with the checksum recomputed,
//! since `audit verify` checks every record against the log and the log
//! against the head the manifest names.
//!
//! A SQLite snapshot is proven before it is kept: a scratch copy is opened
//! and `audit verify`d (the copy, since a verification appends its own
//! entry). A restore checks the checksum, then verifies a copy beside the
//! target and renames it into place only if it verifies; the restored log
//! holds that verification's entry (`system/restore`). On PostgreSQL the
//! dump can only be verified inside a database, so `restore` loads it into
//! the target (which must be empty, or with `--replace` has its schema
//! renamed aside first), verifies it there, and on refusal empties the
//! target again (or puts the old schema back).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use sha2::{Digest as _, Sha256};
use trustgate_access::Permission;
use trustgate_audit::Checkpoint;
use trustgate_audit::encoding::hex;
use trustgate_store::{AuditHead, Clock as _, Store, is_postgres_url};

use crate::exit;
use crate::records::{Database, SystemClock, open_at, operator, redacted, runtime};

/// The manifest's name in a backup folder.
const MANIFEST: &str = "manifest.json";
/// What a manifest says it is; a later layout gets a new one.
const FORMAT: &str = "trustgate-backup/1";
const SQLITE_SNAPSHOT: &str = "trustgate.db";
const PG_SNAPSHOT: &str = "trustgate.pgdump";

#[derive(Args)]
pub(crate) struct BackupArgs {
    /// The folder to write the snapshot and its manifest into: created if
    /// missing, and it must hold nothing yet (a backup is never overwritten).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    #[command(flatten)]
    db: Database,
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    /// A folder written by `trustgate backup`.
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    /// Where to restore: a SQLite file, or a postgres:// URL of an empty
    /// database. Stop the server that uses it first.
    #[arg(long, value_name = "FILE|URL")]
    to: String,
    /// Replace the database already at --to. Without it, an existing
    /// database is never touched.
    #[arg(long)]
    replace: bool,
    /// A published checkpoint the restored log must be consistent with
    /// (repeatable; the last one published is the one that matters).
    #[arg(long, value_name = "FILE")]
    checkpoint: Vec<PathBuf>,
    /// The public key the checkpoints are signed with (the text `audit
    /// keygen` printed, or a file holding it).
    #[arg(long, value_name = "KEY|FILE")]
    public_key: Option<String>,
}

/// What `manifest.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    /// "sqlite" or "postgres".
    backend: String,
    /// The snapshot's file name in the folder.
    snapshot: String,
    bytes: u64,
    /// Lowercase hex.
    sha256: String,
    /// The newest migration applied in the snapshot.
    schema_version: i64,
    audit_log: ManifestHead,
    /// When the backup was taken, UTC.
    created: String,
    created_ms: i64,
    /// What wrote the snapshot (`VACUUM INTO`, or pg_dump's version line).
    tool: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestHead {
    /// Entries in the snapshot's audit log.
    size: u64,
    /// Their Merkle root, hex.
    root: String,
    /// The last entry's chain hash, hex.
    chain_head: String,
}

impl ManifestHead {
    fn of(head: &AuditHead) -> ManifestHead {
        ManifestHead {
            size: head.size,
            root: hex(&head.root),
            chain_head: hex(&head.chain_head),
        }
    }
}

/// SHA-256 of a file, and its size, read in blocks.
fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok((hex(&hasher.finalize()), bytes))
}

/// Flushes a file (or a folder's entries) to the disk.
fn sync(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("flushing {} to disk", path.display()))
}

/// A SQLite file and the journal files beside it.
fn with_journals(path: &Path) -> [PathBuf; 3] {
    let beside = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    [path.to_path_buf(), beside("-wal"), beside("-shm")]
}

fn remove_with_journals(path: &Path) {
    for p in with_journals(path) {
        let _ = std::fs::remove_file(p);
    }
}

/// Only the operator's user may read what a backup holds: the records,
/// sealed personal data, password and token hashes, the log.
fn private(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("making {} private", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// The folder a backup goes into: created (readable by its owner only),
/// and empty.
fn empty_folder(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    private(dir, 0o700)?;
    let mut entries =
        std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    if entries.next().is_some() {
        bail!(
            "{} is not empty: a backup goes into a folder of its own and never overwrites another",
            dir.display()
        );
    }
    Ok(())
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let partial = dir.join(format!("{MANIFEST}.partial"));
    let json = serde_json::to_string_pretty(manifest)?;
    let mut file = std::fs::File::create(&partial)
        .with_context(|| format!("writing {}", partial.display()))?;
    private(&partial, 0o600)?;
    file.write_all(format!("{json}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, dir.join(MANIFEST))
        .with_context(|| format!("writing {}", dir.join(MANIFEST).display()))?;
    sync(dir)
}

pub(crate) fn backup(args: &BackupArgs) -> Result<u8> {
    let location = args.db.location();
    empty_folder(&args.to)?;
    let manifest = runtime()?.block_on(async {
        if is_postgres_url(&location) {
            backup_pg(&location, &args.to).await
        } else {
            backup_sqlite(&location, &args.to).await
        }
    })?;
    say!(
        "backed up the {} store at {} to {}",
        manifest.backend,
        redacted(&location),
        args.to.display()
    );
    say!(
        "  {} ({} bytes, sha256 {})",
        manifest.snapshot,
        manifest.bytes,
        manifest.sha256
    );
    say!(
        "  audit log: {} entries, merkle root {}; schema version {}",
        manifest.audit_log.size,
        manifest.audit_log.root,
        manifest.schema_version
    );
    say!("  verified: the snapshot's audit log and every record in it check out");
    Ok(exit::OK)
}

/// The time now, for the manifest.
fn now() -> (String, i64) {
    let ms = SystemClock.now_ms();
    (trustgate_api::format_utc_ms(ms), ms)
}

async fn backup_sqlite(location: &str, dir: &Path) -> Result<Manifest> {
    let partial = dir.join(format!("{SQLITE_SNAPSHOT}.partial"));
    let store = open_at(location, Arc::new(SystemClock)).await?;
    let copied = store
        .snapshot_sqlite(&operator("backup", &[Permission::ReadAuditLog]), &partial)
        .await;
    store.close().await;
    copied.with_context(|| format!("copying {} to {}", redacted(location), partial.display()))?;
    private(&partial, 0o600)?;
    sync(&partial)?;
    // Proven on a scratch copy: a verification appends its own entry.
    let (head, schema_version) =
        match verify_copy(&partial, &dir.join("verify.partial"), "backup", &[]).await {
            Ok(found) => found,
            Err(e) => {
                remove_with_journals(&partial);
                return Err(e.context("the snapshot does not verify, so it was not kept"));
            }
        };
    keep(
        dir,
        &partial,
        SQLITE_SNAPSHOT,
        "sqlite",
        "VACUUM INTO",
        schema_version,
        &head,
    )
}

/// Keeps a proven snapshot under its name, then writes its manifest (last,
/// so a folder with a manifest always holds the snapshot it describes).
fn keep(
    dir: &Path,
    partial: &Path,
    snapshot: &str,
    backend: &str,
    tool: &str,
    schema_version: i64,
    head: &AuditHead,
) -> Result<Manifest> {
    let (sha256, bytes) = sha256_file(partial)?;
    std::fs::rename(partial, dir.join(snapshot))
        .with_context(|| format!("keeping {}", dir.join(snapshot).display()))?;
    let (created, created_ms) = now();
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        backend: backend.to_owned(),
        snapshot: snapshot.to_owned(),
        bytes,
        sha256,
        schema_version,
        audit_log: ManifestHead::of(head),
        created,
        created_ms,
        tool: tool.to_owned(),
    };
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// Copies the SQLite snapshot `from` to `scratch`, opens the copy (running
/// any migration a snapshot from an older schema needs) and verifies its
/// audit log as `system/<command>`. Returns the log's head as the snapshot
/// holds it (before the verification's own entry) and the snapshot's schema
/// version. On success the copy is left at `scratch` for the caller, who
/// removes or keeps it.
async fn verify_copy(
    from: &Path,
    scratch: &Path,
    command: &str,
    checkpoints: &[Checkpoint],
) -> Result<(AuditHead, i64)> {
    remove_with_journals(scratch);
    std::fs::copy(from, scratch)
        .with_context(|| format!("copying {} to {}", from.display(), scratch.display()))?;
    let result = async {
        // The snapshot's own version, before `open` migrates the copy.
        let version = trustgate_store::SqliteStore::schema_version_of(scratch).await?;
        let store = Store::open(
            scratch.to_str().context("the path must be UTF-8")?,
            Arc::new(SystemClock),
        )
        .await
        .with_context(|| format!("opening the snapshot {}", from.display()))?;
        let verified = async {
            let finding = store
                .verify_audit_log(&operator(command, &[Permission::ReadAuditLog]), checkpoints)
                .await?;
            let report =
                finding.map_err(|why| anyhow::anyhow!("its audit log does not verify: {why}"))?;
            Ok::<_, anyhow::Error>((report.head, version))
        }
        .await;
        store.close().await;
        verified
    }
    .await;
    if result.is_err() || command == "backup" {
        remove_with_journals(scratch);
    }
    result
}

pub(crate) fn restore(args: &RestoreArgs) -> Result<u8> {
    let checkpoints =
        crate::records::published_checkpoints(&args.checkpoint, args.public_key.as_ref())?;
    let manifest = read_manifest(&args.from)?;
    let snapshot = args.from.join(&manifest.snapshot);
    let (sha256, bytes) = sha256_file(&snapshot)?;
    if sha256 != manifest.sha256 || bytes != manifest.bytes {
        bail!(
            "refused: {} does not match its manifest (sha256 {sha256}, {bytes} bytes; the manifest says {}, {} bytes): the snapshot was damaged or changed after the backup",
            snapshot.display(),
            manifest.sha256,
            manifest.bytes
        );
    }
    let target_is_pg = is_postgres_url(&args.to);
    match (manifest.backend.as_str(), target_is_pg) {
        ("sqlite", false) | ("postgres", true) => {}
        (backend, _) => bail!(
            "refused: a {backend} snapshot restores into a {backend} database, not {}",
            redacted(&args.to)
        ),
    }
    let head = runtime()?.block_on(async {
        if target_is_pg {
            restore_pg(&manifest, &snapshot, &args.to, args.replace, &checkpoints).await
        } else {
            restore_sqlite(&manifest, &snapshot, &args.to, args.replace, &checkpoints).await
        }
    })?;
    say!(
        "restored {} to {}: the checksum matches and the audit log verifies ({} entries, merkle root {}, as the manifest says)",
        args.from.display(),
        redacted(&args.to),
        head.size,
        hex(&head.root)
    );
    if !checkpoints.is_empty() {
        say!(
            "  consistent with the {} published checkpoint(s) given",
            checkpoints.len()
        );
    }
    say!("  the restore's own verification is the log's next entry (system/restore)");
    Ok(exit::OK)
}

fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a backup manifest: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if manifest.format != FORMAT {
        bail!(
            "{}: format {:?}, but this trustgate reads {FORMAT:?}",
            path.display(),
            manifest.format
        );
    }
    // The snapshot is a file in the folder: no path may lead elsewhere.
    if manifest.snapshot != SQLITE_SNAPSHOT && manifest.snapshot != PG_SNAPSHOT {
        bail!(
            "{}: snapshot {:?} is not {SQLITE_SNAPSHOT} or {PG_SNAPSHOT}",
            path.display(),
            manifest.snapshot
        );
    }
    Ok(manifest)
}

/// Refuses a head that is not the manifest's.
fn check_head(manifest: &Manifest, head: &AuditHead) -> Result<()> {
    let found = ManifestHead::of(head);
    if found != manifest.audit_log {
        bail!(
            "refused: the snapshot's audit log is not the one its manifest names ({} entries, root {}; the manifest says {} entries, root {}, chain head {})",
            found.size,
            found.root,
            manifest.audit_log.size,
            manifest.audit_log.root,
            manifest.audit_log.chain_head
        );
    }
    Ok(())
}

async fn restore_sqlite(
    manifest: &Manifest,
    snapshot: &Path,
    to: &str,
    replace: bool,
    checkpoints: &[Checkpoint],
) -> Result<AuditHead> {
    let target = Path::new(to.strip_prefix("sqlite:").unwrap_or(to));
    let [_, wal, _] = with_journals(target);
    if target.exists() && !replace {
        bail!(
            "refused: {} exists; give --replace to replace it (stop the server first)",
            target.display()
        );
    }
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        bail!(
            "refused: {} holds writes not yet in the database: a server may be using it, or it was not closed cleanly. Stop the server (which folds them in) first",
            wal.display()
        );
    }
    let scratch = {
        let mut p = target.as_os_str().to_owned();
        p.push(".restoring");
        PathBuf::from(p)
    };
    let (head, _) = verify_copy(snapshot, &scratch, "restore", checkpoints)
        .await
        .map_err(|e| e.context(format!("refused: {}", snapshot.display())))?;
    if let Err(e) = check_head(manifest, &head) {
        remove_with_journals(&scratch);
        return Err(e);
    }
    let [_, scratch_wal, _] = with_journals(&scratch);
    if std::fs::metadata(&scratch_wal).is_ok_and(|m| m.len() > 0) {
        remove_with_journals(&scratch);
        bail!("the verified copy was not closed cleanly; nothing was restored");
    }
    remove_with_journals(target);
    std::fs::rename(&scratch, target)
        .with_context(|| format!("moving the verified copy to {}", target.display()))?;
    remove_with_journals(&scratch);
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        sync(dir)?;
    }
    Ok(head)
}

/// A PostgreSQL URL without its password, and the password (decoded), so
/// that the password reaches `pg_dump` in its environment (`PGPASSWORD`)
/// and never on a command line others can read (`ps`).
fn without_password(url: &str) -> (String, Option<String>) {
    let (Some(scheme), Some(at)) = (url.find("://"), url.rfind('@')) else {
        return (url.to_owned(), None);
    };
    if at < scheme {
        return (url.to_owned(), None);
    }
    let userinfo = url.get(scheme + 3..at).unwrap_or_default();
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!(
                "{}{user}{}",
                url.get(..scheme + 3).unwrap_or_default(),
                url.get(at..).unwrap_or_default()
            ),
            Some(percent_decode(password)),
        ),
        None => (url.to_owned(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex_at = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex_at(i + 1), hex_at(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`) with the
/// database's password in its environment.
fn pg_tool(program: &str, url: &str) -> (Command, String) {
    let (url, password) = without_password(url);
    let mut cmd = Command::new(program);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    (cmd, url)
}

/// Runs a client program, or says what failed and how to do without it.
fn run_tool(mut cmd: Command, what: &str) -> Result<String> {
    let out = cmd.output().map_err(|e| {
        anyhow::anyhow!(
            "{what}: {e}. Install the PostgreSQL client programs (Debian: postgresql-client) of the server's major version or newer, or back up with your own tool as README's operator section describes"
        )
    })?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn backup_pg(location: &str, dir: &Path) -> Result<Manifest> {
    let version = run_tool(
        {
            let mut c = Command::new("pg_dump");
            c.arg("--version");
            c
        },
        "pg_dump --version",
    )?;
    let partial = dir.join(format!("{PG_SNAPSHOT}.partial"));
    let store = open_at(location, Arc::new(SystemClock)).await?;
    let held = store
        .hold_pg_snapshot(&operator("backup", &[Permission::ReadAuditLog]))
        .await;
    let held = match held {
        Ok(h) => h,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    let (mut cmd, url) = pg_tool("pg_dump", location);
    cmd.arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg(format!("--snapshot={}", held.id))
        .arg("--file")
        .arg(&partial)
        .arg("--dbname")
        .arg(&url);
    // pg_dump reads in the snapshot this transaction holds open.
    let dumped = tokio::task::spawn_blocking(move || run_tool(cmd, "pg_dump")).await;
    let (head, schema_version) = (held.head, held.schema_version);
    let released = held.release().await;
    store.close().await;
    dumped.context("pg_dump")??;
    released?;
    private(&partial, 0o600)?;
    sync(&partial)?;
    // What pg_dump produced must read back as an archive holding the log.
    let listing = {
        let mut c = Command::new("pg_restore");
        c.arg("--list").arg(&partial);
        run_tool(c, "pg_restore --list")
    };
    let listing = match listing {
        Ok(l) => l,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.context("the dump does not read back"));
        }
    };
    for table in ["audit_log", "audit_head", "contacts", "accounts"] {
        if !listing
            .lines()
            .any(|l| l.contains("TABLE DATA") && l.split_whitespace().any(|w| w == table))
        {
            let _ = std::fs::remove_file(&partial);
            bail!("the dump does not hold the table {table}: it was not kept");
        }
    }
    keep(
        dir,
        &partial,
        PG_SNAPSHOT,
        "postgres",
        version.trim(),
        schema_version,
        &head,
    )
}

async fn restore_pg(
    manifest: &Manifest,
    snapshot: &Path,
    to: &str,
    replace: bool,
    checkpoints: &[Checkpoint],
) -> Result<AuditHead> {
    let empty = trustgate_store::PgStore::is_empty(to)
        .await
        .with_context(|| format!("reading {}", redacted(to)))?;
    if !empty && !replace {
        bail!(
            "refused: {} already holds tables; restore into an empty database (createdb), or give --replace (stop the server first)",
            redacted(to)
        );
    }
    // What was there is renamed aside, never dropped before the snapshot
    // is proven.
    let aside = if empty {
        None
    } else {
        let suffix = u64::try_from(SystemClock.now_ms()).unwrap_or_default();
        Some(
            trustgate_store::PgStore::set_aside(to, suffix)
                .await
                .with_context(|| format!("setting aside what {} held", redacted(to)))?,
        )
    };
    let (mut cmd, url) = pg_tool("pg_restore", to);
    cmd.arg("--exit-on-error")
        .arg("--single-transaction")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--dbname")
        .arg(&url)
        .arg(snapshot);
    let restored = tokio::task::spawn_blocking(move || run_tool(cmd, "pg_restore"))
        .await
        .context("pg_restore")
        .and_then(|r| r);
    let verified = async {
        restored?;
        let store = Store::open(to, Arc::new(SystemClock)).await?;
        let finding = store
            .verify_audit_log(
                &operator("restore", &[Permission::ReadAuditLog]),
                checkpoints,
            )
            .await;
        store.close().await;
        let report = finding?
            .map_err(|why| anyhow::anyhow!("refused: its audit log does not verify: {why}"))?;
        check_head(manifest, &report.head)?;
        Ok::<_, anyhow::Error>(report.head)
    }
    .await;
    match (&verified, aside) {
        // Nothing of a refused snapshot stays in the target, and what was
        // there is back.
        (Err(_), None) => trustgate_store::PgStore::empty_schema(to)
            .await
            .with_context(|| format!("emptying {} after the refusal", redacted(to)))?,
        (Err(_), Some(aside)) => trustgate_store::PgStore::put_back(to, &aside)
            .await
            .with_context(|| format!("putting back what {} held (schema {aside})", redacted(to)))?,
        (Ok(_), Some(aside)) => say!(
            "  what the database held before is kept in schema {aside}: drop it (DROP SCHEMA {aside} CASCADE) once the restore is checked"
        ),
        (Ok(_), None) => {}
    }
    verified
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_leaves_the_url_decoded() {
        assert_eq!(
            without_password("postgres://city:p%40ss%3Aw@db.example:5432/trustgate"),
            (
                "postgres://city@db.example:5432/trustgate".to_owned(),
                Some("p@ss:w".to_owned())
            )
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/test"),
            ("postgres://postgres@127.0.0.1/test".to_owned(), None)
        );
    }
}
