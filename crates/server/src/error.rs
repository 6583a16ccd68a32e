//! What the user sees (4xx with a message and a JSON path) apart from what the
//! operators see (5xx with a request id; the detail stays in the logs).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trustgate_api::{ErrorBody, InputError};
use trustgate_store::StoreError;

/// A request that could not be answered.
#[derive(Debug)]
pub enum AppError {
    /// The body is not JSON, or not a scenario's shape.
    BadJson(InputError),
    /// A scenario naming something the law does not know.
    BadScenario(InputError),
    /// A query parameter out of range.
    BadParameter { name: String, message: String },
    /// Nothing here.
    NotFound,
    /// The body is over [`crate::BODY_LIMIT`].
    TooLarge,
    /// The body could not be read (cut off, or malformed chunking).
    BadBody,
    /// Not `application/json`.
    UnsupportedMediaType,
    /// A well-formed body whose value is refused (a record's rule, not the
    /// law's vocabulary): `path` says where.
    Invalid(InputError),
    /// No credentials, or credentials that do not authenticate.
    Unauthenticated,
    /// The request carries both a bearer token and the session cookie.
    TwoCredentials,
    /// The session ended after sitting idle.
    SessionExpired,
    /// The sign-in failed (the same answer for every reason).
    SignInFailed,
    /// Too many failed sign-ins with this name from this address (or from
    /// many): the same answer for a name that exists and one that does not.
    Locked { retry_after_s: i64 },
    /// Authenticated, but the role or token does not allow it (audited).
    Forbidden,
    /// A change made with the staff UI's cookie came from another site.
    CrossSite,
    /// The record exists already, or is already in that state.
    Conflict(String),
    /// The request took longer than [`crate::TIME_LIMIT`].
    TimedOut,
    /// Too many sign-in attempts from one address.
    Throttled { retry_after_s: i64 },
    /// The store failed: a 500 whose detail stays in the logs.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Invalid(m) => AppError::Invalid(InputError {
                path: "$".into(),
                message: m,
            }),
            StoreError::Field { field, message } => AppError::Invalid(InputError {
                path: format!("$.{field}"),
                message,
            }),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Forbidden(_) => AppError::Forbidden,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, error, message, path) = match self {
            AppError::BadJson(e) => (StatusCode::BAD_REQUEST, "bad-json", e.message, Some(e.path)),
            AppError::BadScenario(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad-scenario",
                e.message,
                Some(e.path),
            ),
            AppError::BadParameter { name, message } => (
                StatusCode::BAD_REQUEST,
                "bad-parameter",
                message,
                Some(format!("?{name}")),
            ),
            AppError::BadBody => (
                StatusCode::BAD_REQUEST,
                "bad-body",
                "the request body could not be read".to_owned(),
                None,
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                "nothing here".to_owned(),
                None,
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the request body is over {} bytes", crate::BODY_LIMIT),
                None,
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON, with `Content-Type: application/json`".to_owned(),
                None,
            ),
            AppError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                e.message,
                Some(e.path),
            ),
            AppError::Unauthenticated => {
                let mut res = error_response(
                    StatusCode::UNAUTHORIZED,
                    "sign-in-required",
                    "sign in (POST /api/v1/sessions) and send `Authorization: Bearer <token>`"
                        .to_owned(),
                    None,
                );
                res.headers_mut().insert(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
                return res;
            }
            AppError::TwoCredentials => (
                StatusCode::BAD_REQUEST,
                "two-credentials",
                "send one credential: `Authorization: Bearer` or the session cookie, not both"
                    .to_owned(),
                None,
            ),
            AppError::SessionExpired => (
                StatusCode::UNAUTHORIZED,
                "session-expired",
                "the session ended after 30 minutes without use; sign in again".to_owned(),
                None,
            ),
            AppError::SignInFailed => (
                StatusCode::UNAUTHORIZED,
                "sign-in-failed",
                "the username, password or code is wrong (a code works only once)".to_owned(),
                None,
            ),
            AppError::Locked { retry_after_s } => {
                let mut res = error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    "account-locked",
                    format!(
                        "too many failed sign-ins with this username from here: try again in {retry_after_s} s, or from a place you have signed in from before"
                    ),
                    None,
                );
                if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_s.to_string()) {
                    res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
                }
                return res;
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role does not allow this; the attempt is recorded in the audit log"
                    .to_owned(),
                None,
            ),
            AppError::CrossSite => (
                StatusCode::FORBIDDEN,
                "cross-site",
                "a change made with a signed-in browser must come from this site's own pages"
                    .to_owned(),
                None,
            ),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, None),
            AppError::Throttled { retry_after_s } => {
                let mut res = error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-attempts",
                    format!(
                        "too many sign-in attempts from this address; try again in {retry_after_s} s"
                    ),
                    None,
                );
                if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_s.to_string()) {
                    res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
                }
                return res;
            }
            AppError::TimedOut => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timed-out",
                format!(
                    "the request took over {} s and was stopped; nothing was recorded unless a later read shows it",
                    crate::TIME_LIMIT.as_secs()
                ),
                None,
            ),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "the store failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "an internal error; quote this response's x-request-id header to an operator"
                        .to_owned(),
                    None,
                )
            }
        };
        error_response(status, error, message, path)
    }
}

fn error_response(
    status: StatusCode,
    error: &str,
    message: String,
    path: Option<String>,
) -> Response {
    (
        status,
        Json(ErrorBody {
            error: error.to_owned(),
            message,
            path,
            request_id: None,
        }),
    )
        .into_response()
}

/// A panic in a handler: a 500 that says only how to find it in the logs
/// (the response carries the `x-request-id` header).
pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    let body = ErrorBody {
        error: "internal".to_owned(),
        message: "an internal error; quote this response's x-request-id header to an operator"
            .to_owned(),
        path: None,
        request_id: None,
    };
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}
