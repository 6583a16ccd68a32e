//! `trustgate serve`: load the law, bind, serve until SIGTERM or Ctrl-C, then
//! let requests in flight finish.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use tracing_subscriber::EnvFilter;

use crate::exit;
use crate::pack::library;

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "TRUSTGATE_LISTEN")]
    listen: SocketAddr,
    /// Log as JSON lines (for a log collector) instead of text.
    #[arg(long)]
    log_json: bool,
}

pub(crate) fn run(packs: Option<&Path>, args: &ServeArgs) -> Result<u8> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if args.log_json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let lib = Arc::new(library(packs)?);
    let laws = lib.laws().count();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listening on {}", args.listen))?;
        let addr = listener.local_addr()?;
        tracing::info!(%addr, laws, "trustgate is serving: http://{addr}/api/v1 (OpenAPI at /api/openapi.json, law pages at /laws/)");
        trustgate_server::serve(listener, trustgate_server::AppState::new(lib), shutdown_signal()).await?;
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
