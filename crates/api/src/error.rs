//! Errors as the contract shows them: what went wrong, and where.

use schemars::JsonSchema;
use serde::Serialize;
use utoipa::ToSchema;

/// An error response. Client errors name the place in the request by its JSON
/// path; server errors carry only a request id for the operators' logs.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable kind: `bad-json`, `bad-scenario`, `bad-parameter`, `bad-body`, `invalid`, `not-found`, `too-large`, `unsupported-media-type`, `sign-in-required`, `two-credentials`, `session-expired`, `sign-in-failed`, `account-locked`, `too-many-attempts`, `forbidden`, `cross-site`, `conflict`, `timed-out`, `internal`.
    pub error: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where, as a JSON path (`$.facts.requester`), for errors in the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The request's id, to quote to an operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
