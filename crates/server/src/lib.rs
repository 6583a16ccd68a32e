//! # trustgate-server: the HTTP face
//!
//! An axum application: the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/openapi.json` (generated from the handlers, snapshot-tested against
//! `docs/openapi.json`), liveness and readiness, and the law packs rendered as
//! pages under `/laws/`.
//!
//! Decisions are stateless and need no account: the law is public. Records
//! need an account (a signed-in session with a second factor) or an API
//! token, and each route checks one permission of
//! [`trustgate_access::Role`]; the store audits every access in the same
//! transaction, refusals included.
//!
//! [`app`] builds the whole router without a socket, so tests call it with
//! `oneshot`; [`serve_with`] runs it on a listener, with a cap on
//! connections, timeouts and optionally TLS (`listen.rs` says why each is
//! what it is), until the shutdown future resolves.
//!
//! ## What this crate does not do
//! It holds no rule and no SQL; it reads no environment and no file except
//! the published reports in the folder it is given ([`Settings::reports`]):
//! the binary wires it. Logs carry the method, the path (never the query string or the
//! body: a scenario may describe a person) and the request id.

mod auth;
mod body;
mod client;
mod contract;
mod error;
mod listen;
mod params;
mod records;
mod reports;
mod routes;
mod throttle;
mod ui;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use trustgate_access::password::{self, Cost, PasswordError};
use trustgate_law::Library;
use trustgate_store::{Clock, Store};

pub use client::{AddressBlock, TrustedProxies};
pub use error::AppError;
pub use listen::{Connections, Tls, TlsError, serve_with};

/// The largest request body accepted; a scenario is a few hundred bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    lib: Arc<Library>,
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    password_cost: Cost,
    /// The name authenticator apps show for trustgate accounts.
    issuer: Arc<str>,
    /// Verified against when a username does not exist, so that costs the
    /// same time as a wrong password.
    decoy_hash: Arc<str>,
    sign_in_throttle: Arc<throttle::SignInThrottle>,
    reports: Option<Arc<std::path::Path>>,
    trusted_proxies: Arc<TrustedProxies>,
}

/// How the server is set up beyond its law and store.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The cost of new password hashes ([`Cost::Test`] only in tests).
    pub password_cost: Cost,
    /// The issuer authenticator apps show (`trustgate Cambridge`).
    pub issuer: String,
    /// A folder of published reports (`trustgate report --publish`), served
    /// to anyone at `/reports/`.
    pub reports: Option<std::path::PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for
    /// sign-in lockout); by default none.
    pub trusted_proxies: TrustedProxies,
}

impl AppState {
    /// State over a loaded law library and an open store; `clock` is the
    /// store's (second factors are checked against it).
    pub fn new(
        lib: Arc<Library>,
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<AppState, PasswordError> {
        Ok(AppState {
            lib,
            store,
            clock,
            password_cost: settings.password_cost,
            issuer: settings.issuer.into(),
            decoy_hash: password::decoy_hash(settings.password_cost)?.into(),
            sign_in_throttle: Arc::new(throttle::SignInThrottle::new()),
            reports: settings.reports.map(Arc::from),
            trusted_proxies: Arc::new(settings.trusted_proxies),
        })
    }

    /// The client's address (see [`TrustedProxies`]); `None` in-process.
    pub(crate) fn client(
        &self,
        headers: &axum::http::HeaderMap,
        extensions: &axum::http::Extensions,
    ) -> Option<std::net::IpAddr> {
        self.trusted_proxies.client(headers, extensions)
    }

    /// The place whose records this server keeps (set on its store with
    /// `Store::with_place`): its receiving units.
    pub(crate) fn place(&self) -> Result<&trustgate_place::Place, AppError> {
        self.store
            .place()
            .ok_or_else(|| AppError::Internal("the store has no place set".into()))
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application, with its middleware.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes::router().split_for_parts();
    let router = router.merge(ui::routes());
    let reports = state.reports.clone();
    let mut router = router.with_state(state);
    if let Some(dir) = reports {
        // Published files only, never through a link out of the folder.
        router = router.nest_service("/reports", reports::service(dir));
    }
    router
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(time_limit))
        .layer(axum::middleware::from_fn(caching_and_framing))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new([header::AUTHORIZATION, header::COOKIE]))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
}

/// The public pages' policy: the law pages and published reports are
/// self-contained (inline styles, `data:` images), run no script, post no
/// form and may not be framed.
const PUBLIC_CSP: HeaderValue = HeaderValue::from_static(
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
);

/// For a published PDF: browsers draw it in a page of their own that the
/// policy would also bind (Chromium's viewer shows nothing under
/// `default-src 'none'`), so only framing is refused.
const PDF_CSP: HeaderValue = HeaderValue::from_static("frame-ancestors 'none'");

/// The public files: the law pages and the published reports.
fn is_public_file(path: &str) -> bool {
    path.starts_with("/laws/") || path == "/reports" || path.starts_with("/reports/")
}

/// What caches and browsers are told. Everything but the public files
/// (and the staff UI's compiled-in assets, which say so themselves) may
/// carry a record, a person's data or a token: `Cache-Control: no-store`,
/// unless the handler chose otherwise. The public files may be cached, and
/// get a strict policy against framing and loading anything.
async fn caching_and_framing(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let public = is_public_file(req.uri().path());
    let mut res = next.run(req).await;
    let found = res.status().is_success() || res.status().is_redirection();
    let headers = res.headers_mut();
    if public {
        let pdf = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/pdf"));
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(if pdf { PDF_CSP } else { PUBLIC_CSP });
    }
    if !(public && found) {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// How long a request may take before the caller gets a 503.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// Ends a request that takes longer than [`TIME_LIMIT`] with a JSON 503 (a
/// database that stopped answering, say), like every other error.
async fn time_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(TIME_LIMIT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!("a request ran out of time");
            axum::response::IntoResponse::into_response(AppError::TimedOut)
        }
    }
}

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes::router().split_for_parts().1;
    contract::complete(&mut doc);
    doc
}

/// Serves `app` on `listener`, plain HTTP with [`Connections::STANDARD`],
/// until `shutdown` resolves, then lets requests in flight finish
/// ([`serve_with`] chooses).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, Connections::STANDARD, None, shutdown).await
}
