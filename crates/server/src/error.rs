//! What the user sees (4xx with a message and a JSON path) apart from what the
//! operators see (5xx with a request id; the detail stays in the logs).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trustgate_api::{ErrorBody, InputError};

/// A request that could not be answered.
#[derive(Debug)]
pub enum AppError {
    /// The body is not JSON, or not a scenario's shape.
    BadJson(InputError),
    /// A scenario naming something the law does not know.
    BadScenario(InputError),
    /// A query parameter out of range.
    BadParameter { name: &'static str, message: String },
    /// Nothing here.
    NotFound,
    /// The body is over [`crate::BODY_LIMIT`].
    TooLarge,
    /// The body could not be read (cut off, or malformed chunking).
    BadBody,
    /// Not `application/json`.
    UnsupportedMediaType,
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
                "send the scenario as JSON, with `Content-Type: application/json`".to_owned(),
                None,
            ),
        };
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
