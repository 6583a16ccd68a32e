//! `trustgate`: the one binary. This crate only wires the parts together: it
//! reads files and flags, calls the engine, and prints. No rule lives here.

/// `println!` that ends the process quietly (exit 141, as a SIGPIPE would) when
/// the reader has gone away (`trustgate … | head`), instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

/// `print!` with the same care.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

mod backup;
mod check;
mod generate;
mod pack;
mod reconcile;
mod records;
mod replay;
mod report;
mod serve;
mod settings;

/// Standard output failed: a closed pipe ends the program as SIGPIPE would;
/// anything else is reported.
pub(crate) fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(141);
    }
    eprintln!("error: writing to standard output: {e}");
    std::process::exit(i32::from(exit::ERROR));
}

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes, so scripts can tell an answer from an error.
pub(crate) mod exit {
    /// Answered; nothing asked is prohibited and every answer is settled.
    pub(crate) const OK: u8 = 0;
    /// Answered; at least one act or field asked is prohibited.
    pub(crate) const PROHIBITED: u8 = 1;
    /// An error: bad input, bad packs, bad flags. Nothing was decided.
    pub(crate) const ERROR: u8 = 2;
    /// Answered, but something is undetermined (facts missing) or in conflict, and nothing is prohibited.
    pub(crate) const OPEN: u8 = 3;
}

#[derive(Parser)]
#[command(
    name = "trustgate",
    version,
    about = "Cities' trust laws as code: what the law says of an act, with the words that decide it.",
    long_about = "Cities' trust laws as code. Ask what the law says of an act (disclose a release date, hold someone on a detainer, let ICE into a cell block…) at a place on a date, and get, act by act and field by field, prohibited / permitted / required / not addressed, the provision that decides it with its exact words, the exceptions weighed and the duties triggered.\n\nIt also keeps the records: `serve` runs the API (decisions need no account; records do), `user add` creates staff accounts, `audit verify` proves the audit log intact.\n\nExit codes: 0 answered, nothing prohibited; 1 something asked is prohibited (for `audit verify`: the log was tampered with); 2 error; 3 something undetermined or in conflict.",
    after_help = "Examples:\n  trustgate check --place cambridge --date 2026-03-01 --fact requester=ice-ero --fact department=police --fact custody=in-police-custody --act disclose=release-date,immigration-status\n  trustgate check scenario.yaml --json\n  trustgate facts\n  trustgate pack test\n  trustgate serve --listen 127.0.0.1:8080 --database trustgate.db\n  trustgate user add alex --role admin\n  trustgate audit verify"
)]
struct Cli {
    /// Read law packs from this folder instead of the built-in ones (every .md file below it).
    #[arg(long, global = true, value_name = "DIR")]
    packs: Option<PathBuf>,
    /// The settings file (TOML): `trustgate config check` prints what it
    /// sets. The environment (TRUSTGATE_…) overrides it, and flags both.
    #[arg(long, global = true, env = "TRUSTGATE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide a scenario: from a file (JSON or YAML), from stdin (`-`), or from flags.
    Check(check::CheckArgs),
    /// List the facts, their values and the acts a scenario can name.
    Facts {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Work with law packs: validate, test, render.
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Run the server: the JSON API under /api/v1, its OpenAPI document, the law pages.
    Serve(serve::ServeArgs),
    /// Print the server's OpenAPI document.
    Openapi,
    /// Create or bring the records store's schema up to date (serve does this too).
    Migrate(records::MigrateArgs),
    /// Staff accounts.
    #[command(subcommand)]
    User(records::UserCommand),
    /// The tamper-evident audit log: verify it, sign a checkpoint, make a key.
    #[command(subcommand)]
    Audit(records::AuditCommand),
    /// The data keys that seal personal data at rest: make one, rotate to it.
    #[command(subcommand)]
    Keys(records::KeysCommand),
    /// The 2.129.060 report of a six-month period, counted from the records (JSON or CSV).
    Report(report::ReportArgs),
    /// Compare the city's detainer records with ICE's own released detainer data.
    Reconcile(reconcile::ReconcileArgs),
    /// Which recorded contacts would come out differently under the law as
    /// the packs read it now (each on its own day, or on --on DATE).
    Replay(replay::ReplayArgs),
    /// The settings: `config check` prints the effective ones (secrets
    /// masked), each with where it came from, and every error.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a consistent snapshot of the records while the server runs,
    /// with a manifest (audit head, SHA-256, schema version, time).
    Backup(backup::BackupArgs),
    /// Restore a snapshot, after checking its checksum and its audit log.
    Restore(backup::RestoreArgs),
    /// Write realistic synthetic records into a database of their own (for
    /// load tests, benchmarks and demonstrations; never beside real ones).
    Generate(generate::GenerateArgs),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the effective settings (secrets masked) with where each came
    /// from, and every error with file:line:column (exit 2 if any).
    Check,
}

/// `trustgate config check`.
fn config_check(config: Option<&std::path::Path>) -> u8 {
    match settings::load_from(config) {
        Ok(s) => {
            match config {
                Some(p) => say!(
                    "# the settings from {} and the environment (flags override both)",
                    p.display()
                ),
                None => say!(
                    "# no settings file (--config or TRUSTGATE_CONFIG): the defaults and the environment"
                ),
            }
            say_raw!("{}", s.render());
            exit::OK
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} error(s) in the settings", errors.len());
            exit::ERROR
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The law's own commands read no settings; every command that works on
    // an installation reads them once, here.
    let installed = !matches!(
        cli.command,
        Command::Check(_)
            | Command::Facts { .. }
            | Command::Pack(_)
            | Command::Openapi
            | Command::Config(_)
    );
    if installed {
        match settings::load_from(cli.config.as_deref()) {
            Ok(s) => settings::install(s),
            Err(errors) => {
                for e in &errors {
                    eprintln!("error: {e}");
                }
                eprintln!("the settings are wrong: `trustgate config check` shows them");
                return ExitCode::from(exit::ERROR);
            }
        }
    }
    // The flag, else (for an installation's commands) the setting.
    let packs = cli
        .packs
        .clone()
        .or_else(|| installed.then(|| settings::current().packs).flatten());
    let packs = packs.as_deref();
    let result = match cli.command {
        Command::Config(ConfigCommand::Check) => Ok(config_check(cli.config.as_deref())),
        Command::Backup(args) => backup::backup(&args),
        Command::Restore(args) => backup::restore(&args),
        Command::Check(args) => check::run(cli.packs.as_deref(), &args),
        Command::Facts { json } => pack::facts(cli.packs.as_deref(), json),
        Command::Pack(cmd) => pack::run(cli.packs.as_deref(), &cmd),
        // The flag alone: serve lays it over the settings itself.
        Command::Serve(args) => serve::run(cli.packs.as_deref(), &args),
        Command::Migrate(args) => records::migrate(&args),
        Command::User(cmd) => records::user(&cmd),
        Command::Audit(cmd) => records::audit(&cmd),
        Command::Keys(cmd) => records::keys(&cmd),
        Command::Report(args) => report::run(packs, &args),
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Replay(args) => replay::run(packs, &args),
        Command::Generate(args) => generate::run(packs, &args),
        Command::Openapi => trustgate_server::openapi()
            .to_pretty_json()
            .map(|json| {
                say!("{json}");
                exit::OK
            })
            .map_err(Into::into),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}
