//! Enrolment: a person sets their own password and authenticator with the
//! one-time code an administrator handed them. The new authenticator key
//! is drawn when the page is shown and shown as a QR code (SVG) and as
//! text; it travels back in the form, and is kept only if the code the app
//! shows for it checks out and the enrolment code is right.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use qrcodegen::{QrCode, QrCodeEcc};
use trustgate_access::{password, totp};
use trustgate_store::Enrolment;

use super::session::same_origin;
use super::{Chrome, render};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    chrome: Chrome,
    username: String,
    secret: String,
    secret_grouped: String,
    qr_svg: String,
    /// (field, message), shown beside the field.
    errors: Vec<(&'static str, String)>,
}

impl EnrolPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn page(
    state: &AppState,
    status: StatusCode,
    username: String,
    secret: &totp::Secret,
    errors: Vec<(&'static str, String)>,
) -> Response {
    let label = if username.is_empty() {
        "staff"
    } else {
        &username
    };
    let uri = secret.otpauth_uri(&state.issuer, label);
    let base32 = secret.base32();
    let grouped = base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    render(
        status,
        &EnrolPage {
            chrome: Chrome::new("Set up your account", "sign-in", None),
            username,
            secret: base32,
            secret_grouped: grouped,
            qr_svg: qr_svg(&uri),
            errors,
        },
    )
}

/// A QR code as an SVG image, described for screen readers (who use the
/// key printed beside it).
fn qr_svg(text: &str) -> String {
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
        return String::new();
    };
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"QR code of your new authenticator key (the key is also printed as text)\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

pub(super) async fn show(State(state): State<AppState>) -> Response {
    match totp::Secret::generate() {
        Ok(secret) => page(&state, StatusCode::OK, String::new(), &secret, Vec::new()),
        Err(e) => AppError::Internal(e.to_string()).into_response(),
    }
}

pub(super) async fn enrol(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if !same_origin(&parts.headers) {
        return super::ui_error(AppError::CrossSite);
    }
    // The same throttle as sign-in: a code is a credential.
    if let Some(addr) = state.client(&parts.headers, &parts.extensions)
        && let Err(retry_after_s) = state.sign_in_throttle.admit(addr, state.clock.now_ms())
    {
        return AppError::Throttled { retry_after_s }.into_response();
    }
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let field = |name: &str| super::field(&pairs, name);
    let username = field("username").trim().to_owned();
    let Some(secret) = totp::Secret::from_base32(&field("secret")) else {
        // The page's own hidden field was altered: start again.
        return Redirect::to("/enrol").into_response();
    };
    let mut errors = Vec::new();
    let new_password = field("password");
    if let Err(e) = password::check_policy(&new_password) {
        errors.push(("password", format!("{e}.")));
    } else if new_password != field("password_again") {
        errors.push(("password", "The two passwords differ.".to_owned()));
    }
    let now = state.clock.now_ms();
    let step = secret.verify(field("code").trim(), now, -1);
    if step.is_none() {
        errors.push((
            "code",
            "That is not the code the app shows for this key: check the app added the key above, and enter its current code.".to_owned(),
        ));
    }
    if !errors.is_empty() {
        return page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            username,
            &secret,
            errors,
        );
    }
    let cost = state.password_cost;
    let hashed =
        match tokio::task::spawn_blocking(move || password::hash(&new_password, cost)).await {
            Ok(Ok(h)) => h,
            Ok(Err(e)) => {
                return page(
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    username,
                    &secret,
                    vec![("password", format!("{e}."))],
                );
            }
            Err(e) => return AppError::Internal(e.to_string()).into_response(),
        };
    let enrolment = Enrolment {
        code_hash: trustgate_access::enrolment::hash(&field("enrolment_code")),
        password_hash: hashed,
        totp_secret: secret.as_bytes().to_vec(),
        totp_step: step.unwrap_or_default(),
    };
    match state.store.enrol(&username, enrolment).await {
        Ok(true) => Redirect::to("/sign-in?enrolled").into_response(),
        Ok(false) => page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            username,
            &secret,
            vec![(
                "enrolment_code",
                "The username or enrolment code is wrong, or the code has been used or has expired: ask your administrator for a new one.".to_owned(),
            )],
        ),
        Err(e) => super::ui_error(AppError::from(e)),
    }
}
