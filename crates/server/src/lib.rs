//! # trustgate-server: the HTTP face
//!
//! An axum application: the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/openapi.json` (generated from the handlers, snapshot-tested against
//! `docs/openapi.json`), liveness and readiness, and the law packs rendered as
//! pages under `/laws/`.
//!
//! Decisions are stateless and need no account: the law is public. Records,
//! accounts and the audit log arrive with the store (issue 3's next slices).
//!
//! [`app`] builds the whole router without a socket, so tests call it with
//! `oneshot`; [`serve`] runs it on a listener until the shutdown future resolves.
//!
//! ## What this crate does not do
//! It holds no rule and no SQL; it reads no files or environment: the binary
//! wires it. Logs carry the method, the path (never the query string or the
//! body: a scenario may describe a person) and the request id.

mod error;
mod routes;

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
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use trustgate_law::Library;

pub use error::AppError;

/// The largest request body accepted; a scenario is a few hundred bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    lib: Arc<Library>,
}

impl AppState {
    /// State over a loaded law library.
    pub fn new(lib: Arc<Library>) -> AppState {
        AppState { lib }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application, with its middleware.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes::router().split_for_parts();
    router
        .with_state(state)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(10)))
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

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::router().split_for_parts().1
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
