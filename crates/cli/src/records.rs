//! The records commands: `migrate`, `user add`, `audit keygen|checkpoint|verify`.
//! Each opens the store (SQLite file or PostgreSQL URL), does one thing, and
//! is itself audited as a `system/<command>` actor.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use trustgate_access::{Permission, Role, password, totp};
use trustgate_audit::encoding::hex;
use trustgate_audit::{Checkpoint, checkpoint};
use trustgate_store::{Actor, Clock, Grants, Keyring, NewAccount, Principal, Store};

use crate::exit;

/// Where the records are: a SQLite file (created on first use) or a
/// `postgres://` URL.
#[derive(Args, Clone)]
pub(crate) struct Database {
    /// A SQLite file (created if missing) or a postgres:// URL [setting
    /// `database`, env TRUSTGATE_DATABASE; default: trustgate.db].
    #[arg(long, value_name = "FILE|URL")]
    pub(crate) database: Option<String>,
}

impl Database {
    /// The flag, else the settings (file, environment, default).
    pub(crate) fn location(&self) -> String {
        self.database
            .clone()
            .unwrap_or_else(|| crate::settings::current().database)
    }
}

/// The wall clock: only the binary reads it.
#[derive(Debug)]
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The operator's data keys, which seal personal data at rest.
#[derive(Args, Clone)]
pub(crate) struct DataKeys {
    /// A keyring file: one `<id>:<base64 32-byte key>` per line, the current
    /// key first (make one with `trustgate keys new`). Without it, records
    /// carrying personal data are refused [setting `data-keys`, env
    /// TRUSTGATE_DATA_KEYS].
    #[arg(long, value_name = "FILE")]
    pub(crate) data_keys: Option<PathBuf>,
}

impl DataKeys {
    /// The flag, else the settings.
    pub(crate) fn path(&self) -> Option<PathBuf> {
        self.data_keys
            .clone()
            .or_else(|| crate::settings::current().data_keys)
    }

    pub(crate) fn keyring(&self) -> Result<Option<Keyring>> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        let path = &path;
        let text = read_secret(path, "data keys")?;
        Keyring::parse(&text)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }
}

/// Reads a file that holds a secret key, refusing it (on Unix) while the
/// file's group or anyone else may read or write it: a key others can read
/// protects nothing, and one they can write can be swapped for theirs.
pub(crate) fn read_secret(path: &Path, what: &str) -> Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "{} holds {what} but other users may read or change it (mode {:03o}): run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = what;
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Opens the store, running its migrations; says where, without a password.
/// The operator at the command line, acting as `system/<command>` with
/// only what that command needs. The store checks it like anyone else's.
#[expect(
    clippy::disallowed_methods,
    reason = "the operator's own commands are where a principal is made without a credential"
)]
pub(crate) fn operator(command: &str, may: &[Permission]) -> Principal {
    Principal::new(Actor::system(command), Grants::Scopes(may.to_vec()))
}

pub(crate) async fn open(db: &Database, clock: Arc<dyn Clock>) -> Result<Store> {
    open_at(&db.location(), clock).await
}

/// [`open`] at a location already resolved.
pub(crate) async fn open_at(location: &str, clock: Arc<dyn Clock>) -> Result<Store> {
    let store = Store::open(location, clock)
        .await
        .with_context(|| format!("opening the records store at {}", redacted(location)))?;
    // Records from before the report counters existed are counted once.
    if let Some(n) = store
        .ensure_report_counts(&Actor::system("report-recount"))
        .await?
    {
        eprintln!("counted {n} earlier record(s) into the report counters");
    }
    Ok(store)
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Print a new data key as a keyring line. Put it first in the keyring
    /// file to make it current, keep the old keys after it, then run
    /// `trustgate keys rotate`.
    New {
        /// The key's id (`2026-11`): 1 to 64 of A-Z, a-z, 0-9, `-`, `_`, `.`.
        #[arg(long)]
        id: String,
    },
    /// Re-seal every record's personal data under the keyring's current
    /// key; afterwards the old keys can be removed from the file.
    Rotate {
        #[command(flatten)]
        keys: DataKeys,
        #[command(flatten)]
        db: Database,
    },
}

pub(crate) fn keys(cmd: &KeysCommand) -> Result<u8> {
    match cmd {
        KeysCommand::New { id } => {
            say!("{}", Keyring::new_key_line(id)?);
            Ok(exit::OK)
        }
        KeysCommand::Rotate { keys, db } => {
            let Some(keyring) = keys.keyring()? else {
                bail!(
                    "--data-keys FILE (or TRUSTGATE_DATA_KEYS) is needed: the keyring, current key first"
                );
            };
            let current = keyring.current().to_owned();
            let n = runtime()?.block_on(async {
                let store = open(db, Arc::new(SystemClock))
                    .await?
                    .with_keyring(keyring)?;
                let n = store.rotate_keys(&Actor::system("keys-rotate")).await;
                store.close().await;
                Ok::<_, anyhow::Error>(n?)
            })?;
            say!("{n} record(s) re-sealed under data key {current}; every record is now under it");
            Ok(exit::OK)
        }
    }
}

/// A location fit to print: a URL's password is hidden.
pub(crate) fn redacted(location: &str) -> String {
    match (location.find("://"), location.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &location[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:***{}", &location[..scheme + 3], &location[at..])
                }
                None => location.to_owned(),
            }
        }
        _ => location.to_owned(),
    }
}

pub(crate) fn migrate(args: &MigrateArgs) -> Result<u8> {
    let db = &args.db;
    if args.dry_run {
        let location = db.location();
        return runtime()?.block_on(async {
            let pending = Store::pending_migrations(&location)
                .await
                .with_context(|| format!("reading the schema of {}", redacted(&location)))?;
            if pending.is_empty() {
                say!(
                    "{} is at the current schema: nothing would change",
                    redacted(&location)
                );
            }
            for m in &pending {
                say!("would apply {:04} {}", m.version, m.name);
                for st in &m.statements {
                    say!("    {st}");
                }
            }
            Ok(exit::OK)
        });
    }
    runtime()?.block_on(async {
        let store = open(db, Arc::new(SystemClock)).await?;
        say!(
            "the {} store at {} is migrated to the current schema",
            store.backend_name(),
            redacted(&db.location())
        );
        store.close().await;
        Ok(exit::OK)
    })
}

/// `trustgate migrate`.
#[derive(Args)]
pub(crate) struct MigrateArgs {
    #[command(flatten)]
    pub(crate) db: Database,
    /// Say which migrations would be applied, and what each changes,
    /// without applying them or creating the database.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create a staff account, with its second factor (TOTP). Prints the
    /// password (unless given on stdin) and the TOTP secret, once.
    Add(UserAddArgs),
    /// List the accounts, their roles, and whether they are locked or disabled.
    List {
        #[command(flatten)]
        db: Database,
    },
    /// Issue an enrolment code for an account (a new colleague, or one who
    /// lost their authenticator): they set their own password and
    /// authenticator at /enrol with it, once, within 72 hours.
    Enrol {
        /// The username.
        username: String,
        #[command(flatten)]
        db: Database,
    },
    /// Disable an account (staff who left): no more sign-ins, sessions end.
    /// Nothing is deleted.
    Disable {
        /// The username.
        username: String,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Args)]
pub(crate) struct UserAddArgs {
    /// The username: 1 to 64 of a-z, 0-9, `.`, `_`, `-`.
    username: String,
    /// officer, records-clerk, professional-standards, city-manager, school-staff, auditor or admin.
    #[arg(long)]
    role: Role,
    /// Read the password from standard input (one line) instead of generating one.
    #[arg(long, conflicts_with = "enrol")]
    password_stdin: bool,
    /// Print an enrolment code instead of a password and key: the person
    /// sets their own at /enrol, and no one else ever knows them.
    #[arg(long)]
    enrol: bool,
    /// The issuer authenticator apps show [setting `issuer`, env
    /// TRUSTGATE_ISSUER; default: trustgate].
    #[arg(long)]
    issuer: Option<String>,
    #[command(flatten)]
    db: Database,
}

pub(crate) fn user(cmd: &UserCommand) -> Result<u8> {
    let args = match cmd {
        UserCommand::Add(args) => args,
        UserCommand::List { db } => return list_users(db),
        UserCommand::Enrol { username, db } => {
            let (code, expires_ms) = runtime()?.block_on(async {
                let store = open(db, Arc::new(SystemClock)).await?;
                let issued = issue_enrolment(&store, "user-enrol", username).await;
                store.close().await;
                issued
            })?;
            print_enrolment(username, &code, expires_ms);
            return Ok(exit::OK);
        }
        UserCommand::Disable { username, db } => {
            runtime()?.block_on(async {
                let store = open(db, Arc::new(SystemClock)).await?;
                let done = store
                    .disable_account(
                        &operator("user-disable", &[Permission::ManageAccess]),
                        username,
                    )
                    .await;
                store.close().await;
                Ok::<_, anyhow::Error>(done?)
            })?;
            say!("disabled account {username}: it cannot sign in, and its sessions have ended");
            return Ok(exit::OK);
        }
    };
    if args.enrol {
        let secret = totp::Secret::generate().context("drawing a TOTP secret")?;
        let (code, expires_ms) = runtime()?.block_on(async {
            let store = open(&args.db, Arc::new(SystemClock)).await?;
            let issued = async {
                store
                    .add_account(
                        &operator("user-add", &[Permission::ManageAccess]),
                        NewAccount {
                            username: args.username.clone(),
                            role: args.role,
                            password_hash: trustgate_access::enrolment::UNUSABLE_PASSWORD
                                .to_owned(),
                            totp_secret: secret.as_bytes().to_vec(),
                        },
                    )
                    .await?;
                issue_enrolment(&store, "user-add", &args.username).await
            }
            .await;
            store.close().await;
            issued
        })?;
        say!("created account {} with role {}", args.username, args.role);
        print_enrolment(&args.username, &code, expires_ms);
        return Ok(exit::OK);
    }
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_to_string(&mut line)
            .context("reading the password from stdin")?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (generate_password()?, true)
    };
    let hash = password::hash(&password, password::Cost::Standard)?;
    let secret = totp::Secret::generate().context("drawing a TOTP secret")?;
    runtime()?.block_on(async {
        let store = open(&args.db, Arc::new(SystemClock)).await?;
        let added = store
            .add_account(
                &operator("user-add", &[Permission::ManageAccess]),
                NewAccount {
                    username: args.username.clone(),
                    role: args.role,
                    password_hash: hash,
                    totp_secret: secret.as_bytes().to_vec(),
                },
            )
            .await;
        store.close().await;
        added?;
        Ok::<_, anyhow::Error>(())
    })?;
    say!("created account {} with role {}", args.username, args.role);
    if generated {
        say!("password (shown once; hand it over in person): {password}");
    }
    say!("second factor: add this key to an authenticator app (shown once)");
    say!("  key: {}", secret.base32());
    say!(
        "  uri: {}",
        secret.otpauth_uri(
            &args
                .issuer
                .clone()
                .unwrap_or_else(|| crate::settings::current().issuer),
            &args.username
        )
    );
    say!("sign in: POST /api/v1/sessions with username, password and the app's 6-digit code");
    Ok(exit::OK)
}

async fn issue_enrolment(store: &Store, command: &str, username: &str) -> Result<(String, i64)> {
    let (code, hash) = trustgate_access::enrolment::issue().context("drawing an enrolment code")?;
    let expires_ms = SystemClock.now_ms() + trustgate_access::enrolment::ENROLMENT_VALID_MS;
    store
        .issue_enrolment(
            &operator(command, &[Permission::ManageAccess]),
            username,
            hash,
            expires_ms,
        )
        .await?;
    Ok((code, expires_ms))
}

fn print_enrolment(username: &str, code: &str, expires_ms: i64) {
    say!("enrolment code for {username} (shown once; hand it over in person or by phone): {code}");
    say!(
        "it works once, until {}: at /enrol they choose a password and add their authenticator",
        trustgate_api::format_utc_ms(expires_ms)
    );
}

fn list_users(db: &Database) -> Result<u8> {
    let accounts = runtime()?.block_on(async {
        let store = open(db, Arc::new(SystemClock)).await?;
        let list = store
            .list_accounts(&operator("user-list", &[Permission::ManageAccess]))
            .await;
        store.close().await;
        Ok::<_, anyhow::Error>(list?)
    })?;
    for a in accounts {
        let state = match (a.disabled_ms, a.locked_until_ms) {
            (Some(ms), _) => format!("disabled {}", trustgate_api::format_utc_ms(ms)),
            (None, Some(ms)) => format!("locked until {}", trustgate_api::format_utc_ms(ms)),
            (None, None) => "active".to_owned(),
        };
        say!(
            "{}\t{}\t{}\tcreated {} by {}",
            a.username,
            a.role,
            state,
            trustgate_api::format_utc_ms(a.created_ms),
            a.created_by
        );
    }
    Ok(exit::OK)
}

/// 20 random characters from a 32-letter alphabet without look-alikes
/// (100 bits), in groups of four.
fn generate_password() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789#";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("drawing a password: {e}"))?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the whole audit log: sequence, hash chain, Merkle tree, the
    /// stored head, and any published checkpoints. Says where it was altered.
    Verify(VerifyArgs),
    /// Print a signed tree head (a C2SP checkpoint) of the log, to publish.
    Checkpoint(CheckpointArgs),
    /// Make a signing key for checkpoints. Keep it off the database's host.
    Keygen(KeygenArgs),
    /// Print an RFC 6962 proof: that an entry is in the log of a given size
    /// (`--entry N [--size M]`), or that a log of one size extends one of a
    /// smaller size without rewriting it (`--from A --to B`).
    Prove(ProveArgs),
}

#[derive(Args)]
pub(crate) struct ProveArgs {
    /// The entry to prove included.
    #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present = "from")]
    entry: Option<u64>,
    /// The tree size to prove it in (default: the whole log now), such as a published checkpoint's.
    #[arg(long, requires = "entry")]
    size: Option<u64>,
    /// The smaller size (a checkpoint published earlier).
    #[arg(long, requires = "to")]
    from: Option<u64>,
    /// The larger size.
    #[arg(long, requires = "from")]
    to: Option<u64>,
    #[command(flatten)]
    db: Database,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// A published checkpoint to check the log against (repeatable).
    #[arg(long, value_name = "FILE")]
    checkpoint: Vec<PathBuf>,
    /// The public key the checkpoints are signed with (the text `audit keygen` printed, or a file holding it).
    #[arg(long, value_name = "KEY|FILE")]
    public_key: Option<String>,
    #[command(flatten)]
    db: Database,
}

#[derive(Args)]
pub(crate) struct CheckpointArgs {
    /// The signing key's file (from `audit keygen`); its name is the log's origin.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    #[command(flatten)]
    db: Database,
}

#[derive(Args)]
pub(crate) struct KeygenArgs {
    /// The log's name (origin), e.g. `trustgate.cambridgema.gov/audit`.
    #[arg(long)]
    name: String,
    /// Where to write the private key (created with mode 600; never overwritten).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) fn audit(cmd: &AuditCommand) -> Result<u8> {
    match cmd {
        AuditCommand::Keygen(args) => keygen(args),
        AuditCommand::Checkpoint(args) => sign_checkpoint(args),
        AuditCommand::Verify(args) => verify(args),
        AuditCommand::Prove(args) => prove(args),
    }
}

fn prove(args: &ProveArgs) -> Result<u8> {
    use trustgate_audit::merkle::{verify_consistency, verify_inclusion};
    runtime()?.block_on(async {
        let store = open(&args.db, Arc::new(SystemClock)).await?;
        let who = operator("audit-prove", &[Permission::ReadAuditLog]);
        let whole = store.audit_head(&who).await?.size;
        let result = match (args.entry, args.from, args.to) {
            (Some(entry), _, _) => {
                let size = args.size.unwrap_or(whole);
                let p = store.inclusion_proof(&who, entry, size).await?;
                let leaf = p.entry.entry.leaf_hash();
                verify_inclusion(entry, size, &leaf, &p.path, &p.root)?;
                let e = &p.entry.entry;
                say!("entry {} ({} {} {} {} at {})", e.seq, e.actor, e.action, e.object, e.detail, trustgate_api::format_utc_ms(e.time_ms));
                match &e.state {
                    trustgate_audit::State::After { record, digest } => say!("state {record} after: {}", hex(digest)),
                    trustgate_audit::State::Read { record, digest } => say!("state {record} as read: {}", hex(digest)),
                    trustgate_audit::State::Returned { digest } => say!("state returned: {}", hex(digest)),
                    trustgate_audit::State::NoRecord | trustgate_audit::State::Format1 => {}
                }
                say!("leaf {}", hex(&leaf));
                say!("tree size {} root {}", size, hex(&p.root));
                for h in &p.path {
                    say!("path {}", hex(h));
                }
                say!("checked: the entry is leaf {entry} of the tree of {size} entries with that root (RFC 9162 §2.1.3.2)");
                Ok(exit::OK)
            }
            (None, Some(from), Some(to)) => {
                let c = store.consistency_proof(&who, from, to).await?;
                verify_consistency(from, to, &c.old_root, &c.new_root, &c.proof)?;
                say!("old size {} root {}", c.old_size, hex(&c.old_root));
                say!("new size {} root {}", c.new_size, hex(&c.new_root));
                for h in &c.proof {
                    say!("proof {}", hex(h));
                }
                say!("checked: the log of {to} entries extends the log of {from} without rewriting it (RFC 9162 §2.1.4.2)");
                Ok(exit::OK)
            }
            _ => Err(anyhow::anyhow!("give --entry N [--size M], or --from A --to B")),
        };
        store.close().await;
        result
    })
}

fn keygen(args: &KeygenArgs) -> Result<u8> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("drawing a key: {e}"))?;
    let key = trustgate_audit::SigningKey::from_bytes(&seed);
    let text = checkpoint::signer_text(&args.name, &key);
    checkpoint::parse_signer(&text).with_context(|| format!("the name {:?}", args.name))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&args.out).with_context(|| {
        format!(
            "creating {} (an existing key is never overwritten)",
            args.out.display()
        )
    })?;
    std::io::Write::write_all(&mut file, format!("{text}\n").as_bytes())
        .with_context(|| format!("writing {}", args.out.display()))?;
    say!(
        "signing key written to {} (keep it off the database's host)",
        args.out.display()
    );
    say!("public key (publish it, with the checkpoints):");
    say!(
        "{}",
        checkpoint::verifier_text(&args.name, &key.verifying_key())
    );
    Ok(exit::OK)
}

fn sign_checkpoint(args: &CheckpointArgs) -> Result<u8> {
    let text = read_secret(&args.key, "a checkpoint signing key")?;
    let (origin, key) =
        checkpoint::parse_signer(&text).with_context(|| format!("{}", args.key.display()))?;
    let clock = Arc::new(SystemClock);
    let note = runtime()?.block_on(async {
        let store = open(&args.db, clock.clone()).await?;
        let head = store
            .audit_head(&operator("audit-checkpoint", &[Permission::ReadAuditLog]))
            .await?;
        store.close().await;
        let cp = Checkpoint {
            origin,
            size: head.size,
            root: head.root,
            time_ms: clock.now_ms(),
        };
        Ok::<_, anyhow::Error>(checkpoint::sign(&cp, &key)?)
    })?;
    say_raw!("{note}");
    Ok(exit::OK)
}

/// The published checkpoints given (`--checkpoint FILE…`), each checked
/// against the public key (`--public-key KEY|FILE`).
pub(crate) fn published_checkpoints(
    files: &[PathBuf],
    public_key: Option<&String>,
) -> Result<Vec<Checkpoint>> {
    let mut checkpoints = Vec::new();
    if !files.is_empty() {
        let Some(public) = public_key else {
            bail!("--checkpoint needs --public-key: the key the checkpoints were signed with");
        };
        let public = match std::fs::read_to_string(public) {
            Ok(text) => text,
            Err(_) => public.clone(),
        };
        let (_, key) = checkpoint::parse_verifier(&public).context("--public-key")?;
        for path in files {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            checkpoints.push(
                checkpoint::verify(&text, &key).with_context(|| format!("{}", path.display()))?,
            );
        }
    }
    Ok(checkpoints)
}

fn verify(args: &VerifyArgs) -> Result<u8> {
    let checkpoints = published_checkpoints(&args.checkpoint, args.public_key.as_ref())?;
    runtime()?.block_on(async {
        let store = open(&args.db, Arc::new(SystemClock)).await?;
        let finding = store
            .verify_audit_log(&operator("audit-verify", &[Permission::ReadAuditLog]), &checkpoints)
            .await?;
        store.close().await;
        match finding {
            Ok(report) => {
                let head = report.head;
                say!("ok: the audit log is intact ({} entries)", head.size);
                say!("  merkle root {}", hex(&head.root));
                say!("  chain head  {}", hex(&head.chain_head));
                say!("  {} record(s) (contacts, accounts, tokens) match the latest entry about each", report.records);
                if report.unprotected > 0 {
                    say!("  {} record(s) from before entry format 2 carry no digest yet: an edit made to them before an entry reads or changes them cannot be found", report.unprotected);
                }
                if report.counters_checked {
                    say!("  the report counters match the records they count");
                }
                if checkpoints.is_empty() {
                    say!("  no checkpoint given: only the hash chain vouches for the entries; publish checkpoints (`trustgate audit checkpoint`) so that a rewrite of the whole chain shows too");
                } else {
                    say!("  {} checkpoint(s) matched; entries 0 to {} are as published", report.checkpoints, report.anchored.saturating_sub(1));
                }
                Ok(exit::OK)
            }
            Err(message) => {
                eprintln!("TAMPERED: {message}");
                Ok(exit::PROHIBITED)
            }
        }
    })
}
