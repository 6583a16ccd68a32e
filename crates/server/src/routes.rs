//! The handlers. Each is documented for the OpenAPI document by its
//! `#[utoipa::path]`, so the document cannot drift from the code.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use trustgate_api::{Catalogue, Decision, Detail, ErrorBody, Law, Scenario};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::body::{json_body, json_response};
use crate::{AppError, AppState, auth, params, records};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "trustgate",
        description = "Cities' trust laws as code: what the law says of an act (prohibited, permitted, required, not addressed), with the provision that decides it, its exact words, the exceptions weighed and the duties it triggers. Decisions are stateless and need no account. Records (federal contacts, their obligations and compliance exceptions) need a staff session with a second factor or an API token, and every access is kept in a tamper-evident audit log."
    ),
    tags(
        (name = "decisions", description = "Ask the law"),
        (name = "law", description = "The laws and the vocabulary of scenarios"),
        (name = "records", description = "Federal contacts as recorded, their obligations, compliance exceptions and reimbursements (staff accounts and API tokens; every access audited)"),
        (name = "access", description = "Sign-in with a second factor, accounts and API tokens"),
        (name = "audit", description = "The tamper-evident audit log (auditors)"),
        (name = "operations", description = "Health and readiness")
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Records routes take `Authorization: Bearer <token>`: a session token from
/// `POST /api/v1/sessions` (`tgs_…`) or an API token (`tgt_…`).
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The routes, with their OpenAPI description; state is attached by the caller.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(decide))
        .routes(routes!(catalogue))
        .routes(routes!(laws))
        .routes(routes!(auth::sign_in))
        .routes(routes!(auth::sign_out))
        .routes(routes!(auth::me))
        .routes(routes!(auth::add_account, auth::list_accounts))
        .routes(routes!(auth::disable_account))
        .routes(routes!(auth::enrolment))
        .routes(routes!(auth::add_token))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(records::record_contact, records::list_contacts))
        .routes(routes!(records::read_contact))
        .routes(routes!(records::fulfil_obligation))
        .routes(routes!(records::open_obligations))
        .routes(routes!(records::record_reimbursement))
        .routes(routes!(records::list_exceptions))
        .routes(routes!(records::explain_exception))
        .routes(routes!(records::audit_head))
        .routes(routes!(records::audit_entries))
        .routes(routes!(records::inclusion_proof))
        .routes(routes!(records::consistency_proof))
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .route("/api/openapi.json", axum::routing::get(openapi_json))
        .route("/laws/", axum::routing::get(law_index))
        .route("/laws/{page}", axum::routing::get(law_page))
        .fallback(|| async { AppError::NotFound })
}

/// What the public site alone serves beside its pages: the law pages (as
/// on the whole site) and liveness (not readiness, which would tell the
/// internet about the store).
pub(crate) fn public_extras() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/laws/", axum::routing::get(law_index))
        .route("/laws/{page}", axum::routing::get(law_page))
        .route("/healthz", axum::routing::get(healthz))
}

/// Decide a scenario.
///
/// For each act asked (and each field of a disclosure): prohibited, permitted,
/// required, not addressed, a conflict, or undetermined with the questions that
/// would settle it; the rules that decide it with their exact words; the duties
/// triggered; and the law versions (with content hashes) in force.
#[utoipa::path(
    post,
    path = "/api/v1/decisions",
    tag = "decisions",
    request_body(content = Scenario, content_type = "application/json"),
    params(params::DecideQuery),
    responses(
        (status = 200, description = "The law's answer", body = Decision<'static>),
        (status = 400, description = "Not JSON, or not a scenario's shape; `path` says where", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not `application/json`", body = ErrorBody),
        (status = 422, description = "A name the law does not know; `path` says which", body = ErrorBody)
    )
)]
async fn decide(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let q: params::DecideQuery = params::parse(req.uri().query())?;
    let detail = q.detail.map_or(Detail::Brief, |d| d.0);
    let scenario: Scenario = json_body(
        req,
        "a scenario is a JSON object: {\"place\": …, \"date\": …, \"facts\": {…}, \"acts\": {…}}",
    )
    .await?;
    let lib = &state.lib;
    let query = scenario.to_query(lib).map_err(AppError::BadScenario)?;
    let decision = lib
        .try_decide(&query)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let body = Decision::from_explanation(&lib.explain(&query, &decision), detail);
    Ok(json_response(&body))
}

pub(crate) fn query_param<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?.split('&').find_map(|kv| {
        kv.split_once('=')
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v)
    })
}

/// The vocabulary of scenarios: places, facts with their values, acts.
#[utoipa::path(get, path = "/api/v1/catalogue", tag = "law", responses((status = 200, body = Catalogue)))]
async fn catalogue(State(state): State<AppState>) -> Json<Catalogue> {
    Json(Catalogue::of(&state.lib))
}

/// Every version of every law loaded, with its dates, reliability and hash.
#[utoipa::path(get, path = "/api/v1/laws", tag = "law", responses((status = 200, body = Vec<Law<'static>>)))]
async fn laws(State(state): State<AppState>) -> Response {
    let laws: Vec<Law<'_>> = state.lib.laws().map(|l| Law::of(&l)).collect();
    json_response(&laws)
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "alive", body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the law packs are loaded and the records store answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses((status = 200, description = "ready", body = String), (status = 503, description = "not ready", body = String))
)]
async fn readyz(State(state): State<AppState>) -> Response {
    if state.lib.places().next().is_none() {
        return (StatusCode::SERVICE_UNAVAILABLE, "no law loaded").into_response();
    }
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "the records store does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the records store does not answer",
            )
                .into_response()
        }
    }
}

async fn openapi_json() -> Response {
    match crate::openapi().to_pretty_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn law_index(State(state): State<AppState>) -> Html<String> {
    let laws: Vec<_> = state.lib.laws().collect();
    Html(trustgate_render::render_index(&laws))
}

async fn law_page(
    State(state): State<AppState>,
    Path(page): Path<String>,
) -> Result<Html<String>, AppError> {
    let law = state
        .lib
        .laws()
        .find(|l| trustgate_render::page_file_name(l) == page)
        .ok_or(AppError::NotFound)?;
    Ok(Html(trustgate_render::render_law(&law)))
}
