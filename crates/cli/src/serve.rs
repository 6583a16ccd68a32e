//! `trustgate serve`: load the law, bind, serve until SIGTERM or Ctrl-C, then
//! let requests in flight finish.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::Args;
use clap::builder::TypedValueParser as _;
use tracing_subscriber::EnvFilter;

use crate::exit;
use crate::pack::{PlaceArg, library};
use crate::records::{DataKeys, Database, SystemClock, open_at, redacted};
use crate::settings::Settings;

/// Each flag overrides its setting (`--max-connections` is the setting
/// `max-connections` and TRUSTGATE_MAX_CONNECTIONS: `settings.rs`), so none
/// has a default here.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Log as JSON lines (for a log collector) instead of text.
    #[arg(long)]
    log_json: bool,
    /// The issuer authenticator apps show for accounts made through the API
    /// [default: trustgate].
    #[arg(long)]
    issuer: Option<String>,
    #[command(flatten)]
    db: Database,
    #[command(flatten)]
    keys: DataKeys,
    #[command(flatten)]
    place: PlaceArg,
    /// Serve the reports published with `trustgate report --publish DIR` at /reports/.
    #[arg(long, value_name = "DIR")]
    reports: Option<PathBuf>,
    /// The most connections held at once; at the cap, the connection idle
    /// longest makes way for a new one. Keep it well under the open-file
    /// limit (`ulimit -n`) [default: 512].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000).map(|n| n as usize))]
    max_connections: Option<usize>,
    /// Serve HTTPS with this certificate chain (PEM, the server's
    /// certificate first); needs --tls-key.
    #[arg(long, value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// A reverse proxy in front of the server (an address or a block such as
    /// 10.0.0.0/8; repeat for more): for connections from it, the client is
    /// read from `X-Forwarded-For`, so sign-in lockout stays per source.
    /// Never name a block untrusted clients can connect from [setting
    /// `trusted-proxies`, env TRUSTGATE_TRUSTED_PROXIES, comma-separated].
    #[arg(long = "trusted-proxy", value_name = "BLOCK", value_delimiter = ',')]
    trusted_proxies: Vec<trustgate_server::AddressBlock>,
    /// Also serve the resident's site alone on this address (its pages, the
    /// law pages, the published reports; no API, no staff page), so only it
    /// need face the internet while the staff system stays on the city's
    /// network.
    #[arg(long, value_name = "ADDR")]
    public_listen: Option<SocketAddr>,
}

impl ServeArgs {
    /// The settings read at start with these flags over them.
    fn settings(&self, packs: Option<&Path>) -> Result<Settings> {
        let mut s = crate::settings::current();
        s.flag("listen", self.listen, |s, v| s.listen = v);
        s.flag("log-json", self.log_json.then_some(true), |s, v| {
            s.log_json = v
        });
        s.flag("issuer", self.issuer.clone(), |s, v| s.issuer = v);
        s.flag("database", self.db.database.clone(), |s, v| s.database = v);
        s.flag("data-keys", self.keys.data_keys.clone(), |s, v| {
            s.data_keys = Some(v)
        });
        s.flag("place", self.place.id.clone(), |s, v| s.place = Some(v));
        s.flag("packs", packs.map(Path::to_path_buf), |s, v| {
            s.packs = Some(v)
        });
        s.flag("reports", self.reports.clone(), |s, v| s.reports = Some(v));
        s.flag("max-connections", self.max_connections, |s, v| {
            s.max_connections = v
        });
        s.flag("tls-cert", self.tls_cert.clone(), |s, v| {
            s.tls_cert = Some(v)
        });
        s.flag("tls-key", self.tls_key.clone(), |s, v| s.tls_key = Some(v));
        s.flag(
            "trusted-proxies",
            (!self.trusted_proxies.is_empty()).then(|| self.trusted_proxies.clone()),
            |s, v| s.trusted_proxies = v,
        );
        s.flag("public-listen", self.public_listen, |s, v| {
            s.public_listen = Some(v)
        });
        s.check().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(s)
    }
}

/// The certificate and key, if given.
fn tls(args: &Settings) -> Result<Option<trustgate_server::Tls>> {
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

pub(crate) fn run(packs: Option<&Path>, flags: &ServeArgs) -> Result<u8> {
    let args = &flags.settings(packs)?;
    let packs = args.packs.as_deref();
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
    let place = Arc::new(flags.place.load(packs, &lib)?);
    let messages = Arc::new(crate::pack::messages(packs, place.id())?);
    let keyring = flags.keys.keyring()?;
    let tls = tls(args)?;
    let laws = lib.laws().count();
    crate::records::runtime()?.block_on(async {
        let clock: Arc<dyn trustgate_store::Clock> = Arc::new(SystemClock);
        let mut store = open_at(&args.database, clock.clone()).await?.with_place(place)?;
        match keyring {
            Some(k) => {
                tracing::info!(current_key = k.current(), "personal data is sealed with the operator's data keys");
                store = store.with_keyring(k)?;
            }
            None => tracing::warn!("no data keys (--data-keys): records carrying a person's name, date of birth or address will be refused"),
        }
        let store = Arc::new(store);
        tracing::info!(backend = store.backend_name(), database = %redacted(&args.database), "records store open and migrated");
        if store.account_count().await? == 0 {
            tracing::warn!(
                "no staff accounts yet: create the first administrator with `trustgate user add <username> --role admin{}` (there is no default password)",
                if args.database == "trustgate.db" { String::new() } else { " --database …".to_owned() }
            );
        }
        let settings = trustgate_server::Settings {
            password_cost: trustgate_access::password::Cost::Standard,
            issuer: args.issuer.clone(),
            reports: args.reports.clone(),
            trusted_proxies: trustgate_server::TrustedProxies::new(args.trusted_proxies.clone()),
            messages,
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
        // One signal stops both listeners.
        let (stop, stopped) = tokio::sync::watch::channel(());
        let until = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.changed().await;
            }
        };
        let public = match args.public_listen {
            Some(at) => {
                let public = tokio::net::TcpListener::bind(at).await.with_context(|| format!("--public-listen {at}"))?;
                let at = public.local_addr()?;
                tracing::info!(%at, "the resident's site alone is served: {scheme}://{at}/");
                Some(tokio::spawn(trustgate_server::serve_site(public, state.clone(), trustgate_server::Site::Public, connections, tls.clone(), until())))
            }
            None => None,
        };
        let whole = tokio::spawn(trustgate_server::serve_with(listener, state, connections, tls, until()));
        shutdown_signal().await;
        let _ = stop.send(());
        whole.await.context("the server stopped unexpectedly")??;
        if let Some(public) = public {
            public.await.context("the public site stopped unexpectedly")??;
        }
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
