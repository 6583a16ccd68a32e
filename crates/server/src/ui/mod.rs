//! The staff web UI: server-rendered pages (askama templates in
//! `templates/`, the U.S. Web Design System's stylesheet vendored and
//! compiled in). Every page works without JavaScript; forms post back and
//! errors are shown beside what they concern.
//!
//! Pages sign in with a session cookie (`__Host-tg-session`: `Secure`,
//! `HttpOnly`, `SameSite=Strict`, path `/`), which holds the same session
//! token the API gives as a bearer token. A cookie-authenticated request
//! that changes something must come from this origin (`Sec-Fetch-Site`, or
//! `Origin` against `Host`), so another site cannot post on a signed-in
//! officer's behalf. Facts travel in POST bodies, never in URLs.

mod ask;
mod contacts;
mod enrol;
mod office;
mod report;
pub(crate) mod session;
#[rustfmt::skip]
mod vendored;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;

pub(crate) use session::{cookie_session, same_origin};

/// The compiled-in stylesheets and fonts, shared by the staff and the
/// public pages.
pub(crate) fn assets() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(asset))
}

/// The UI's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets())
        .route(
            "/sign-in",
            get(session::sign_in_page).post(session::sign_in),
        )
        .route("/sign-out", post(session::sign_out))
        .route("/enrol", get(enrol::show).post(enrol::enrol))
        .route("/ask", get(ask::choose).post(ask::answer))
        .route("/contacts", get(office::contacts).post(contacts::record))
        .route("/contacts/{id}", get(contacts::show))
        .route("/obligations/{id}/fulfil", post(contacts::fulfil))
        .route("/work", get(contacts::work))
        .route("/report", get(report::show))
        .route("/exceptions", get(office::exceptions))
        .route("/exceptions/{id}/explain", post(office::explain))
        .route("/audit", get(office::audit))
        .route("/admin", get(office::accounts))
        .route("/admin/accounts", post(office::add_account))
        .route(
            "/admin/accounts/{username}/enrolment",
            post(office::enrolment),
        )
        .route("/admin/accounts/{username}/disable", post(office::disable))
        .route("/admin/tokens", post(office::add_token))
        .route("/admin/tokens/{id}/revoke", post(office::revoke_token))
}

/// What every page's frame needs: its title, the navigation entry it is
/// under, and who is signed in.
#[derive(Debug)]
pub(crate) struct Chrome {
    pub(crate) title: String,
    pub(crate) nav: &'static str,
    pub(crate) who: Option<String>,
    /// The entries the caller's role may use: (address, label, key).
    pub(crate) menu: Vec<(&'static str, &'static str, &'static str)>,
}

impl Chrome {
    /// A page's frame, its menu cut to what the caller may do (the routes
    /// check again; the menu only avoids offering what would be refused).
    pub(crate) fn new(
        title: impl Into<String>,
        nav: &'static str,
        caller: Option<&crate::auth::Caller>,
    ) -> Chrome {
        use trustgate_access::Permission as P;
        let may = |p: P| caller.is_some_and(|c| c.principal.may(p));
        let mut menu = vec![("/ask", "Ask", "ask")];
        if may(P::ReadOwnContacts) || may(P::ReadAllContacts) {
            menu.push(("/work", "Work list", "work"));
            menu.push(("/contacts", "Contacts", "contacts"));
        }
        if may(P::ReadExceptions) {
            menu.push(("/exceptions", "Exceptions", "exceptions"));
        }
        if may(P::ReadAllContacts) {
            menu.push(("/report", "Report", "report"));
        }
        if may(P::ReadAuditLog) {
            menu.push(("/audit", "Audit log", "audit"));
        }
        if may(P::ManageAccess) {
            menu.push(("/admin", "Accounts", "admin"));
        }
        menu.push(("/laws/", "The law", "laws"));
        Chrome {
            title: title.into(),
            nav,
            who: caller.map(session::who),
            menu,
        }
    }
}

/// A page, rendered; a template error is a defect, answered as a plain 500
/// without detail (it is logged).
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, no_store(), Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown.",
            )
                .into_response()
        }
    }
}

/// A form field's value (the first, if repeated), or empty.
pub(crate) fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The pairs of a URL-encoded form body (at most 64 KiB).
pub(crate) async fn form_pairs(body: axum::body::Body) -> Result<Vec<(String, String)>, Response> {
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response())?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: &'static str,
    message: String,
}

/// An error as a page a person can read (the API answers the same errors
/// as JSON). A session that ended goes back to the sign-in page.
pub(crate) fn ui_error(e: crate::AppError) -> Response {
    use crate::AppError as E;
    let (status, heading, message) = match e {
        E::Unauthenticated | E::SessionExpired => {
            return Redirect::to("/sign-in").into_response();
        }
        E::Forbidden => (
            StatusCode::FORBIDDEN,
            "Not for your role",
            "Your role does not allow this. The attempt is recorded in the audit log.".to_owned(),
        ),
        E::CrossSite => (
            StatusCode::FORBIDDEN,
            "Refused",
            "This change did not come from trustgate's own pages, so it was refused.".to_owned(),
        ),
        E::TwoCredentials => (
            StatusCode::BAD_REQUEST,
            "Refused",
            "This request carried both a sign-in cookie and a token, so it was refused. Pages use the cookie only.".to_owned(),
        ),
        E::NotFound => (
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such page or record, or it is not one you may see.".to_owned(),
        ),
        E::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", i.message),
        E::Conflict(m) => (StatusCode::CONFLICT, "Already done", m),
        other => return other.into_response(),
    };
    render(
        status,
        &ErrorPage {
            chrome: Chrome::new(heading, "", None),
            heading,
            message,
        },
    )
}

/// Staff pages hold records: never cached. They run no script, and load
/// nothing from elsewhere; no other site may frame them.
fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ),
    ]
}

const OWN_CSS: &[u8] = include_bytes!("../../assets/trustgate.css");

/// The compiled-in stylesheets, fonts and images. Stylesheets and images are
/// sent gzip-compressed to a client that accepts it (fonts are compressed
/// already).
async fn asset(Path(path): Path<String>, request: HeaderMap) -> Response {
    let found = if path == "trustgate.css" {
        Some((OWN_CSS, "text/css; charset=utf-8"))
    } else {
        vendored::FILES
            .iter()
            .find(|(p, _, _)| *p == path)
            .map(|(_, bytes, kind)| (*bytes, *kind))
    };
    let Some((bytes, kind)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if !compressible(kind) {
        return (headers, bytes).into_response();
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    match gzipped(&path).filter(|_| accepts_gzip(&request)) {
        Some(gz) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            (headers, gz).into_response()
        }
        None => (headers, bytes).into_response(),
    }
}

fn compressible(kind: &str) -> bool {
    kind.starts_with("text/") || kind == "image/svg+xml"
}

/// Whether `Accept-Encoding` accepts gzip (by name or `*`, with a weight
/// above zero).
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let zero = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !zero
        })
}

/// Each compressible asset, gzip-compressed once on first use and kept; none
/// if compressing does not make it smaller.
fn gzipped(path: &str) -> Option<&'static [u8]> {
    use std::collections::HashMap;
    use std::io::Write as _;
    static GZ: std::sync::OnceLock<HashMap<&'static str, Vec<u8>>> = std::sync::OnceLock::new();
    let all = GZ.get_or_init(|| {
        let own = ("trustgate.css", OWN_CSS, "text/css; charset=utf-8");
        std::iter::once(own)
            .chain(vendored::FILES.iter().copied())
            .filter(|(_, _, kind)| compressible(kind))
            .filter_map(|(p, raw, _)| {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                gz.write_all(raw).ok()?;
                let gz = gz.finish().ok()?;
                (gz.len() < raw.len()).then_some((p, gz))
            })
            .collect()
    });
    all.get(path).map(Vec::as_slice)
}
