//! `trustgate serve`: load the law, bind, serve until SIGTERM or Ctrl-C, then
//! let requests in flight finish.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::Args;
use tracing_subscriber::EnvFilter;

use crate::exit;
use crate::pack::library;
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
    /// Serve the reports published with `trustgate report --publish DIR` at /reports/.
    #[arg(long, env = "TRUSTGATE_REPORTS", value_name = "DIR")]
    reports: Option<std::path::PathBuf>,
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
    let keyring = args.keys.keyring()?;
    let laws = lib.laws().count();
    crate::records::runtime()?.block_on(async {
        let clock: Arc<dyn trustgate_store::Clock> = Arc::new(SystemClock);
        let mut store = open(&args.db, clock.clone()).await?;
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
        };
        let state = trustgate_server::AppState::new(lib, Arc::clone(&store), clock, settings)?;
        let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listening on {}", args.listen))?;
        let addr = listener.local_addr()?;
        tracing::info!(%addr, laws, "trustgate is serving: http://{addr}/api/v1 (OpenAPI at /api/openapi.json, law pages at /laws/)");
        trustgate_server::serve(listener, state, shutdown_signal()).await?;
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
