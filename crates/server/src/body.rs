//! Request and response bodies: JSON only, bounded, errors at a JSON path.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::{AppError, BODY_LIMIT};

/// Reads a JSON body of type `T`: `Content-Type: application/json`, at most
/// [`BODY_LIMIT`] bytes, every problem reported at its JSON path. `shape` is
/// the message for a body that is not a JSON object.
pub(crate) async fn json_body<T: DeserializeOwned>(
    req: Request,
    shape: &str,
) -> Result<T, AppError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = to_bytes(req.into_body(), BODY_LIMIT).await.map_err(|e| {
        // Only going over the limit is "too large"; a broken or cut-off body is the client's error.
        let over = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if over {
            AppError::TooLarge
        } else {
            AppError::BadBody
        }
    })?;
    trustgate_api::from_json(&bytes, shape).map_err(AppError::BadJson)
}

/// Serialises into one buffer sized for a typical decision (axum's `Json`
/// starts small and grows by copying).
pub(crate) fn json_response(body: &impl serde::Serialize) -> Response {
    with_status(StatusCode::OK, body)
}

/// A 201 with a JSON body.
pub(crate) fn created(body: &impl serde::Serialize) -> Response {
    with_status(StatusCode::CREATED, body)
}

fn with_status(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let mut buf = Vec::with_capacity(8 * 1024);
    match serde_json::to_writer(&mut buf, body) {
        Ok(()) => (status, [(header::CONTENT_TYPE, "application/json")], buf).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
