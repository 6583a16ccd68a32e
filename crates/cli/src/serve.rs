//! `trustgate serve`: load the law, bind, serve until SIGTERM or Ctrl-C, then
//! let requests in flight finish.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::Args;
use clap::builder::TypedValueParser as _;
use tracing_subscriber::EnvFilter;

use crate::exit;
use crate::pack::{PlaceArg, library};
use crate::records::{DataKeys, Database, SystemClock, open, redacted};

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "TRUSTGATE_LISTEN")]
    listen: SocketAddr,
    /// Log as JSON lines (for a log collector) instead of text.
    #[arg(long)]
    log_json: bool,
    /// The issuer authenticator apps show for accounts made through the API.
    #[arg(long, env = "TRUSTGATE_ISSUER", default_value = "trustgate")]
    issuer: String,
    #[command(flatten)]
    db: Database,
    #[command(flatten)]
    keys: DataKeys,
    #[command(flatten)]
    place: PlaceArg,
    /// Serve the reports published with `trustgate report --publish DIR` at /reports/.
    #[arg(long, env = "TRUSTGATE_REPORTS", value_name = "DIR")]
    reports: Option<std::path::PathBuf>,
    /// The most connections held at once; at the cap, the connection idle
    /// longest makes way for a new one. Keep it well under the open-file
    /// limit (`ulimit -n`).
    #[arg(long, env = "TRUSTGATE_MAX_CONNECTIONS", default_value_t = trustgate_server::Connections::STANDARD.max, value_parser = clap::value_parser!(u32).range(1..=1_000_000).map(|n| n as usize))]
    max_connections: usize,
    /// Serve HTTPS with this certificate chain (PEM, the server's
    /// certificate first).
    #[arg(
        long,
        env = "TRUSTGATE_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    tls_cert: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(
        long,
        env = "TRUSTGATE_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    tls_key: Option<std::path::PathBuf>,
    /// A reverse proxy in front of the server (an address or a block such as
    /// 10.0.0.0/8; repeat for more): for connections from it, the client is
    /// read from `X-Forwarded-For`, so sign-in lockout stays per source.
    /// Never name a block untrusted clients can connect from.
    #[arg(
        long = "trusted-proxy",
        env = "TRUSTGATE_TRUSTED_PROXIES",
        value_name = "BLOCK",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<trustgate_server::AddressBlock>,
}

/// The certificate and key, if given.
fn tls(args: &ServeArgs) -> Result<Option<trustgate_server::Tls>> {
    let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) else {
        return Ok(None);
    };
    let read =
        |path: &Path| std::fs::read(path).with_context(|| format!("reading {}", path.display()));
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(key) {
        use std::os::unix::fs::PermissionsExt as _;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(key = %key.display(), "the TLS key is open to other users: `chmod 600` it, or 640 with a group only the server's user is in");
        }
    }
    let tls = trustgate_server::Tls::from_pem(&read(cert)?, &read(key)?)
        .with_context(|| format!("--tls-cert {} --tls-key {}", cert.display(), key.display()))?;
    Ok(Some(tls))
}

/// The soft limit on open files, where the system says (Linux).
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

pub(crate) fn run(packs: Option<&Path>, args: &ServeArgs) -> Result<u8> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if args.log_json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let lib = Arc::new(library(packs)?);
    let place = Arc::new(args.place.load(packs, &lib)?);
    let keyring = args.keys.keyring()?;
    let tls = tls(args)?;
    let laws = lib.laws().count();
    crate::records::runtime()?.block_on(async {
        let clock: Arc<dyn trustgate_store::Clock> = Arc::new(SystemClock);
        let mut store = open(&args.db, clock.clone()).await?.with_place(place)?;
        match keyring {
            Some(k) => {
                tracing::info!(current_key = k.current(), "personal data is sealed with the operator's data keys");
                store = store.with_keyring(k)?;
            }
            None => tracing::warn!("no data keys (--data-keys): records carrying a person's name, date of birth or address will be refused"),
        }
        let store = Arc::new(store);
        tracing::info!(backend = store.backend_name(), database = %redacted(&args.db.database), "records store open and migrated");
        if store.account_count().await? == 0 {
            tracing::warn!(
                "no staff accounts yet: create the first administrator with `trustgate user add <username> --role admin{}` (there is no default password)",
                if args.db.database == "trustgate.db" { String::new() } else { " --database …".to_owned() }
            );
        }
        let settings = trustgate_server::Settings {
            password_cost: trustgate_access::password::Cost::Standard,
            issuer: args.issuer.clone(),
            reports: args.reports.clone(),
            trusted_proxies: trustgate_server::TrustedProxies::new(args.trusted_proxies.clone()),
        };
        let state = trustgate_server::AppState::new(lib, Arc::clone(&store), clock, settings)?;
        let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listening on {}", args.listen))?;
        let addr = listener.local_addr()?;
        if !args.trusted_proxies.is_empty() {
            tracing::info!(proxies = ?args.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>(), "the client's address is read from X-Forwarded-For on connections from these proxies only");
        }
        if tls.is_none() && !addr.ip().is_loopback() {
            tracing::warn!(%addr, "listening beyond this machine without TLS: passwords, session tokens and records would cross the network readable; give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a proxy that terminates TLS");
        }
        let connections = trustgate_server::Connections { max: args.max_connections, ..trustgate_server::Connections::STANDARD };
        if let Some(limit) = open_file_limit() {
            // The store, the log and files being served need some too.
            if limit < connections.max as u64 + 64 {
                tracing::warn!(limit, max_connections = connections.max, "the open-file limit leaves too little room for --max-connections: raise it (`ulimit -n`, or LimitNOFILE= in a systemd unit) or lower --max-connections");
            }
        }
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(%addr, laws, max_connections = connections.max, "trustgate is serving: {scheme}://{addr}/api/v1 (OpenAPI at /api/openapi.json, law pages at /laws/)");
        trustgate_server::serve_with(listener, state, connections, tls, shutdown_signal()).await?;
        store.close().await;
        tracing::info!("stopped");
        Ok(exit::OK)
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
