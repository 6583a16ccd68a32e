//! Signing in and out from a browser: the session cookie, and the rule
//! that a change made with it comes from this site.

use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Chrome, render};
use crate::auth::{Caller, Carrier, authenticate};
use crate::{AppError, AppState};

/// The cookie's name. `__Host-` makes the browser refuse it unless it is
/// `Secure`, has no `Domain` and has path `/`: no other host or path can
/// set or shadow it.
pub(crate) const SESSION_COOKIE: &str = "__Host-tg-session";

/// The session token in the request's cookie, if any.
pub(crate) fn cookie_session(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(SESSION_COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
        })
}

/// Whether a request comes from this site's own pages: the browser says so
/// (`Sec-Fetch-Site: same-origin`, or `none` for what the user typed), or,
/// from a browser too old to say, its `Origin` names this host. A request
/// with neither is not from a browser and carries no ambient cookie risk.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| !host.is_empty() && authority == host)
}

/// The cookie holding a session token. It has no lifetime of its own: it
/// lasts until the browser closes, and the server ends the session after
/// 30 idle minutes (a fixed Max-Age would sign out an officer still at work).
fn set_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| {
        HeaderValue::from_static(
            "__Host-tg-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        )
    })
}

/// Who is signed in, for a page's frame; `None` for anyone else (an expired
/// or unknown cookie reads as signed out).
pub(crate) async fn signed_in(parts: &mut Parts, state: &AppState) -> Option<Caller> {
    page_caller(parts, state).await.ok()
}

/// The caller of a staff page: only a session in the cookie. A bearer
/// token is for programs and never reaches a page (a request with both is
/// refused by the extractor), so a page's form cannot be driven by a token.
pub(crate) async fn page_caller(parts: &mut Parts, state: &AppState) -> Result<Caller, AppError> {
    use axum::extract::FromRequestParts as _;
    let caller = Caller::from_request_parts(parts, state).await?;
    if caller.carrier != Carrier::Cookie {
        return Err(AppError::Unauthenticated);
    }
    Ok(caller)
}

/// The name a page shows for who is signed in.
pub(crate) fn who(caller: &Caller) -> String {
    let actor = caller.principal.actor().as_str();
    actor.strip_prefix("user/").unwrap_or(actor).to_owned()
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    error: Option<String>,
    username: String,
    /// Arrived from enrolment.
    enrolled: bool,
}

fn page(status: StatusCode, error: Option<String>, username: String, enrolled: bool) -> Response {
    render(
        status,
        &SignInPage {
            chrome: Chrome::new("Sign in", "sign-in", None),
            error,
            username,
            enrolled,
        },
    )
}

pub(super) async fn sign_in_page(uri: axum::http::Uri) -> Response {
    let enrolled = uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "enrolled"));
    page(StatusCode::OK, None, String::new(), enrolled)
}

pub(super) async fn sign_in(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> Response {
    let (parts, body) = req.into_parts();
    // A sign-in posted from another site would sign the browser into an
    // account of that site's choosing.
    if !same_origin(&parts.headers) {
        return super::ui_error(AppError::CrossSite);
    }
    let client = state.client(&parts.headers, &parts.extensions);
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let field = |name: &str| super::field(&pairs, name);
    let username = field("username").trim().to_owned();
    match authenticate(&state, client, &username, field("password"), field("code")).await {
        Ok((token, _role)) => {
            let mut res = Redirect::to("/ask").into_response();
            res.headers_mut()
                .insert(header::SET_COOKIE, set_cookie(&token));
            res
        }
        Err(AppError::SignInFailed) => page(
            StatusCode::UNAUTHORIZED,
            Some("The username, password or code is wrong. A code works only once: wait for the next one.".into()),
            username,
            false,
        ),
        Err(AppError::Locked { retry_after_s }) => {
            let mut res = page(
                StatusCode::TOO_MANY_REQUESTS,
                Some(format!(
                    "Too many failed sign-ins with this username from here: try again in {} minutes, or from a place you have signed in from before.",
                    (retry_after_s + 59) / 60
                )),
                username,
                false,
            );
            if let Ok(v) = header::HeaderValue::from_str(&retry_after_s.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(AppError::Throttled { retry_after_s }) => page(
            StatusCode::TOO_MANY_REQUESTS,
            Some(format!(
                "Too many sign-in attempts from this address: try again in {retry_after_s} seconds."
            )),
            username,
            false,
        ),
        Err(other) => other.into_response(),
    }
}

pub(super) async fn sign_out(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> Response {
    let (mut parts, _) = req.into_parts();
    match page_caller(&mut parts, &state).await {
        Ok(caller) => {
            if let Err(e) = crate::auth::end_session(&state, &caller).await {
                return super::ui_error(e);
            }
        }
        // From another site: refused, the session and its cookie kept (a
        // cleared cookie over a live session would only look signed out).
        Err(e @ (AppError::CrossSite | AppError::TwoCredentials)) => return super::ui_error(e),
        // Not signed in (or the session already ended): clear the cookie.
        Err(_) => {}
    }
    let mut res = Redirect::to("/sign-in").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "__Host-tg-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    res
}
