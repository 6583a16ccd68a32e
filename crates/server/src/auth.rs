//! Who is calling: the `Authorization: Bearer` extractor, and sign-in,
//! sign-out, accounts and API tokens.
//!
//! Every refusal by permission is appended to the audit log before the 403
//! goes out (failed accesses are accesses too). Password hashing runs on a
//! blocking thread: it takes tens of milliseconds of a core by design.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use trustgate_access::{Permission, Role, SESSION_IDLE_MS, password, token, totp};
use trustgate_api::{
    AccountCreated, EnrolmentIssued, InputError, Me, NewAccountRequest, NewTokenRequest,
    SessionCreated, SignIn, TokenCreated,
};
use trustgate_store::{
    Attempt, Grants, NewAccount, NewToken, Principal, SignInOutcome, Unauthenticated,
};

use crate::body::{created, json_body, json_response};
use crate::{AppError, AppState};

/// An authenticated caller: a signed-in staff member or an API token.
///
/// What the caller may do is checked by the store's use cases themselves
/// (each takes the [`Principal`]); [`Caller::require`] only refuses early,
/// before a body is read, so a caller without the permission learns
/// nothing from validation errors.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) principal: Principal,
    /// The session token's hash, when the caller is a session (to sign out).
    session: Option<[u8; 32]>,
    /// How the credential came: the staff pages accept only the cookie.
    pub(crate) carrier: Carrier,
}

/// Where a request's credential was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carrier {
    /// `Authorization: Bearer` (programs).
    Bearer,
    /// The `__Host-tg-session` cookie (the staff pages in a browser).
    Cookie,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, AppError> {
        let authorization = parts.headers.get(axum::http::header::AUTHORIZATION);
        let cookie = crate::ui::cookie_session(&parts.headers);
        let (presented, carrier) = match (authorization, cookie) {
            // Two credentials could name two principals, and whichever one
            // a path preferred would decide: refuse rather than choose.
            (Some(_), Some(_)) => return Err(AppError::TwoCredentials),
            (Some(value), None) => (
                value
                    .to_str()
                    .ok()
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::trim)
                    .ok_or(AppError::Unauthenticated)?,
                Carrier::Bearer,
            ),
            (None, Some(cookie)) => {
                // A change made with the ambient cookie must come from
                // this site's own pages.
                if !parts.method.is_safe() && !crate::ui::same_origin(&parts.headers) {
                    return Err(AppError::CrossSite);
                }
                (cookie, Carrier::Cookie)
            }
            (None, None) => return Err(AppError::Unauthenticated),
        };
        if let Some(hash) = token::parse(token::Kind::Session, presented) {
            return match state.store.session(&hash).await? {
                Ok(principal) => Ok(Caller {
                    principal,
                    session: Some(hash),
                    carrier,
                }),
                Err(Unauthenticated::Expired) => Err(AppError::SessionExpired),
                Err(Unauthenticated::Invalid) => Err(AppError::Unauthenticated),
            };
        }
        // The cookie holds a session token, never an API token.
        if carrier == Carrier::Bearer
            && let Some(hash) = token::parse(token::Kind::Api, presented)
        {
            return match state.store.api_token(&hash).await? {
                Some(principal) => Ok(Caller {
                    principal,
                    session: None,
                    carrier,
                }),
                None => Err(AppError::Unauthenticated),
            };
        }
        Err(AppError::Unauthenticated)
    }
}

impl Caller {
    /// Refuses early (audited, 403) a caller who may not do `p`, before
    /// anything of the request is read. The use case checks again.
    pub(crate) async fn require(&self, state: &AppState, p: Permission) -> Result<(), AppError> {
        if self.principal.may(p) {
            return Ok(());
        }
        state
            .store
            .record_denial(
                self.principal.actor(),
                &format!("permission/{}", p.as_str()),
            )
            .await?;
        Err(AppError::Forbidden)
    }

    /// Refuses early a caller who reads no contacts at all.
    pub(crate) async fn require_reach(&self, state: &AppState) -> Result<(), AppError> {
        match self.principal.reach() {
            Some(_) => Ok(()),
            None => self.require(state, Permission::ReadOwnContacts).await,
        }
    }
}

/// Sign in with a password and the current authenticator code.
///
/// Five failures within 15 minutes from one address lock the username for
/// that address for 15 minutes; many failures from many addresses pace
/// attempts from addresses it never signed in from. An unknown username is
/// answered exactly as a known one. Every attempt is audited, without the
/// address or an unknown name in clear.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "access",
    request_body(content = SignIn, content_type = "application/json"),
    responses(
        (status = 201, description = "Signed in", body = SessionCreated),
        (status = 400, description = "Not a sign-in's shape; `path` says where", body = trustgate_api::ErrorBody),
        (status = 401, description = "Wrong username, password or code", body = trustgate_api::ErrorBody),
        (status = 429, description = "Too many failed sign-ins with this username from here, or too many attempts from this address (see `Retry-After`)", body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    req: Request,
) -> Result<Response, AppError> {
    // Present when served from a socket (`serve`); absent in-process.
    let client = state.client(req.headers(), req.extensions());
    let SignIn {
        username,
        password,
        code,
    } = json_body(
        req,
        "a sign-in is a JSON object: {\"username\": …, \"password\": …, \"code\": …}",
    )
    .await?;
    let (token, role) = authenticate(&state, client, &username, password, code).await?;
    Ok(created(&SessionCreated {
        token,
        role: role.as_str().to_owned(),
        idle_timeout_seconds: SESSION_IDLE_MS / 1000,
    }))
}

/// Checks a password and an authenticator code, throttled per client
/// address and in the number of checks at once, and opens a session: its
/// token (shown once) and the account's role. Shared by the API and the
/// sign-in page.
pub(crate) async fn authenticate(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    username: &str,
    password: String,
    code: String,
) -> Result<(String, Role), AppError> {
    if let Some(addr) = client {
        state
            .sign_in_throttle
            .admit(addr, state.clock.now_ms())
            .map_err(|retry_after_s| AppError::Throttled { retry_after_s })?;
    }
    let material = state.store.sign_in_material(username).await?;
    let now = state.clock.now_ms();
    let decoy = state.decoy_hash.clone();
    // At most a few password checks at once, whatever the number of callers.
    let _permit = state
        .sign_in_throttle
        .checks
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The same work whether or not the account exists.
    let (password_ok, totp_step) = tokio::task::spawn_blocking(move || {
        let (hash, secret, last_step) = match &material {
            Some(m) => (
                m.password_hash.as_str(),
                m.totp_secret.as_slice(),
                m.totp_last_step,
            ),
            None => (decoy.as_ref(), &[0u8; 20][..], i64::MAX),
        };
        let ok = password::verify(&password, hash).unwrap_or(false) && material.is_some();
        let step = totp::Secret::from_bytes(secret).and_then(|s| s.verify(&code, now, last_step));
        (ok, step)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let issued =
        token::issue(token::Kind::Session).map_err(|e| AppError::Internal(e.to_string()))?;
    let attempt = Attempt {
        password_ok,
        totp_step,
        session_hash: issued.hash,
        source: client,
    };
    match state.store.finish_sign_in(username, attempt).await? {
        SignInOutcome::SignedIn(role) => Ok((issued.secret, role)),
        SignInOutcome::Failed => Err(AppError::SignInFailed),
        SignInOutcome::Locked { until_ms } => Err(AppError::Locked {
            retry_after_s: ((until_ms - state.clock.now_ms() + 999) / 1000).max(1),
        }),
    }
}

/// Sign out: end this session.
#[utoipa::path(
    delete,
    path = "/api/v1/sessions/current",
    tag = "access",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, body = trustgate_api::ErrorBody),
        (status = 422, description = "An API token is not a session: an administrator revokes it", body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    end_session(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Ends the caller's session (audited); an API token is not a session.
pub(crate) async fn end_session(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let Some(hash) = caller.session else {
        return Err(AppError::Invalid(InputError {
            path: "$".into(),
            message: "an API token is not a session: an administrator revokes it".into(),
        }));
    };
    state.store.sign_out(caller.principal.actor(), hash).await?;
    Ok(())
}

/// Who the caller is and what they may do.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "access",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = trustgate_api::ErrorBody))
)]
pub(crate) async fn me(caller: Caller) -> Response {
    let (role, permissions): (Option<String>, Vec<Permission>) = match caller.principal.grants() {
        Grants::Role(r) => (Some(r.as_str().to_owned()), r.permissions().to_vec()),
        Grants::Scopes(s) => (None, s.clone()),
    };
    json_response(&Me {
        actor: caller.principal.actor().as_str().to_owned(),
        role,
        permissions: permissions.iter().map(|p| p.as_str().to_owned()).collect(),
    })
}

/// Create a staff account (administrators only).
///
/// The answer carries a one-time enrolment code to hand to the person, who
/// sets their own password and authenticator at `/enrol`: no
/// administrator ever holds another person's second factor.
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "access",
    security(("bearer" = [])),
    request_body(content = NewAccountRequest, content_type = "application/json"),
    responses(
        (status = 201, body = AccountCreated),
        (status = 400, description = "Not an account's shape; `path` says where", body = trustgate_api::ErrorBody),
        (status = 401, body = trustgate_api::ErrorBody),
        (status = 403, body = trustgate_api::ErrorBody),
        (status = 409, description = "The username is taken", body = trustgate_api::ErrorBody),
        (status = 422, body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn add_account(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    let body: NewAccountRequest = json_body(
        req,
        "an account is a JSON object: {\"username\": …, \"role\": …}",
    )
    .await?;
    let role: Role = body
        .role
        .parse()
        .map_err(|e: trustgate_access::UnknownName| {
            AppError::Invalid(InputError {
                path: "$.role".into(),
                message: e.to_string(),
            })
        })?;
    let enrolment = open_account(&state, &caller, &body.username, role).await?;
    Ok(created(&AccountCreated {
        username: body.username,
        role: role.as_str().to_owned(),
        enrolment,
    }))
}

/// Makes an account no one can sign in to until its person enrols with
/// the code returned (shared by the API and the accounts page).
pub(crate) async fn open_account(
    state: &AppState,
    caller: &Caller,
    username: &str,
    role: Role,
) -> Result<EnrolmentIssued, AppError> {
    // A placeholder the person replaces when they enrol; never shown.
    let secret = totp::Secret::generate().map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .add_account(
            &caller.principal,
            NewAccount {
                username: username.to_owned(),
                role,
                password_hash: trustgate_access::enrolment::UNUSABLE_PASSWORD.to_owned(),
                totp_secret: secret.as_bytes().to_vec(),
            },
        )
        .await?;
    issue_enrolment(state, caller, username).await
}

pub(crate) async fn issue_enrolment(
    state: &AppState,
    caller: &Caller,
    username: &str,
) -> Result<EnrolmentIssued, AppError> {
    let (code, hash) =
        trustgate_access::enrolment::issue().map_err(|e| AppError::Internal(e.to_string()))?;
    let expires_ms = state.clock.now_ms() + trustgate_access::enrolment::ENROLMENT_VALID_MS;
    state
        .store
        .issue_enrolment(&caller.principal, username, hash, expires_ms)
        .await?;
    Ok(EnrolmentIssued {
        username: username.to_owned(),
        code,
        expires_at: trustgate_api::format_utc_ms(expires_ms),
    })
}

/// Issue an enrolment code for an account (administrators only): for a
/// new colleague, or one who lost their authenticator. Whoever holds it
/// sets the account's password and authenticator at `/enrol`, once, within
/// 72 hours; their earlier sessions then end. Issuing again replaces the
/// earlier code.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{username}/enrolment",
    tag = "access",
    security(("bearer" = [])),
    params(("username" = String, Path)),
    responses(
        (status = 201, body = EnrolmentIssued),
        (status = 403, body = trustgate_api::ErrorBody),
        (status = 404, description = "No such account, or it is disabled", body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn enrolment(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(username): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    let issued = issue_enrolment(&state, &caller, &username).await?;
    Ok(created(&issued))
}

/// Create an API token for an integration (administrators only).
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "access",
    security(("bearer" = [])),
    request_body(content = NewTokenRequest, content_type = "application/json"),
    responses(
        (status = 201, body = TokenCreated),
        (status = 403, body = trustgate_api::ErrorBody),
        (status = 422, body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn add_token(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    let body: NewTokenRequest = json_body(
        req,
        "a token is a JSON object: {\"name\": …, \"scopes\": […]}",
    )
    .await?;
    let scopes = body
        .scopes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.parse::<Permission>().map_err(|e| {
                AppError::Invalid(InputError {
                    path: format!("$.scopes[{i}]"),
                    message: e.to_string(),
                })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let issued = token::issue(token::Kind::Api).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = state
        .store
        .add_token(
            &caller.principal,
            NewToken {
                name: body.name,
                scopes: scopes.clone(),
                token_hash: issued.hash,
            },
        )
        .await?;
    Ok(created(&TokenCreated {
        id,
        token: issued.secret,
        scopes: scopes.iter().map(|p| p.as_str().to_owned()).collect(),
    }))
}

/// Revoke an API token (administrators only): it stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "access",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, body = trustgate_api::ErrorBody),
        (status = 404, description = "No such token, or already revoked", body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    state.store.revoke_token(&caller.principal, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Every staff account, with its role and whether it is locked or disabled
/// (administrators only; audited).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "access",
    security(("bearer" = [])),
    responses((status = 200, body = trustgate_api::AccountList), (status = 401, body = trustgate_api::ErrorBody), (status = 403, body = trustgate_api::ErrorBody))
)]
pub(crate) async fn list_accounts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    let list = state.store.list_accounts(&caller.principal).await?;
    let fmt = trustgate_api::format_utc_ms;
    Ok(json_response(&trustgate_api::AccountList {
        accounts: list
            .into_iter()
            .map(|a| trustgate_api::AccountView {
                username: a.username,
                role: a.role.as_str().to_owned(),
                created_by: a.created_by.as_str().to_owned(),
                created_at: fmt(a.created_ms),
                locked_until: a.locked_until_ms.map(fmt),
                disabled_at: a.disabled_ms.map(fmt),
            })
            .collect(),
    }))
}

/// Disable an account (administrators only): it can no longer sign in and
/// its sessions end at once. Nothing is deleted; an administrator cannot
/// disable their own account.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{username}/disable",
    tag = "access",
    security(("bearer" = [])),
    params(("username" = String, Path)),
    responses(
        (status = 204, description = "Disabled"),
        (status = 403, body = trustgate_api::ErrorBody),
        (status = 404, description = "No such account, or already disabled", body = trustgate_api::ErrorBody),
        (status = 422, description = "Your own account", body = trustgate_api::ErrorBody)
    )
)]
pub(crate) async fn disable_account(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(username): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ManageAccess).await?;
    state
        .store
        .disable_account(&caller.principal, &username)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
