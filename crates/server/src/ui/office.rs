//! The pages of the offices behind the front desk: compliance exceptions
//! (Professional Standards, the City Manager's Office), the contacts list,
//! the audit log (auditors) and the accounts (administrators). Each checks
//! its permission as the API does, so a refusal is audited the same way.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trustgate_access::{Permission, Role};
use trustgate_report::local_time_text;
use trustgate_store::{ContactKind, NewAccount, Page};

use super::contacts::staff;
use super::{Chrome, field, render};
use crate::auth::Caller;
use crate::routes::query_param;
use crate::{AppError, AppState};

/// The caller, if signed in and allowed `p` (a refusal is audited).
async fn allowed(
    state: &AppState,
    req: Request,
    p: Permission,
) -> Result<(Caller, axum::body::Body), Response> {
    let (caller, body) = staff(state, req).await?;
    caller.require(state, p).await.map_err(super::ui_error)?;
    Ok((caller, body))
}

// --- compliance exceptions -------------------------------------------------

#[derive(Debug)]
struct ExceptionRow {
    id: i64,
    contact: i64,
    act: String,
    routed_to: &'static str,
    flagged: String,
    /// (text, "by whom, when").
    explanations: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "exceptions.html")]
struct ExceptionsPage {
    chrome: Chrome,
    rows: Vec<ExceptionRow>,
    may_explain: bool,
}

pub(super) async fn exceptions(State(state): State<AppState>, req: Request) -> Response {
    let (caller, _) = match allowed(&state, req, Permission::ReadExceptions).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let list = match state
        .store
        .compliance_exceptions(&caller.principal, None)
        .await
    {
        Ok(l) => l,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let page = ExceptionsPage {
        chrome: Chrome::new("Compliance exceptions", "exceptions", Some(&caller)),
        may_explain: caller.principal.may(Permission::ExplainExceptions),
        rows: list
            .into_iter()
            .rev()
            .map(|x| ExceptionRow {
                id: x.id,
                contact: x.contact.0,
                act: x.act,
                routed_to: x.routed_to.as_str(),
                flagged: local_time_text(x.flagged_ms),
                explanations: x
                    .explanations
                    .into_iter()
                    .map(|e| {
                        (
                            e.text,
                            format!("{}, {}", e.by.as_str(), local_time_text(e.at_ms)),
                        )
                    })
                    .collect(),
            })
            .collect(),
    };
    render(StatusCode::OK, &page)
}

pub(super) async fn explain(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (caller, body) = match allowed(&state, req, Permission::ExplainExceptions).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let Ok(id) = id.parse::<i64>() else {
        return super::ui_error(AppError::NotFound);
    };
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    match state
        .store
        .explain_exception(&caller.principal, id, field(&pairs, "text"))
        .await
    {
        Ok(()) => Redirect::to("/exceptions").into_response(),
        Err(e) => super::ui_error(AppError::from(e)),
    }
}

// --- contacts ---------------------------------------------------------------

#[derive(Debug)]
struct ContactRow {
    id: i64,
    kind: &'static str,
    channel: &'static str,
    unit: String,
    received: String,
    open: i64,
    exception: bool,
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    chrome: Chrome,
    /// (value, words) of each kind, for the filter.
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    exceptions_only: bool,
    /// The days asked for (YYYY-MM-DD), as typed.
    from: String,
    until: String,
    rows: Vec<ContactRow>,
    /// The cursor for the next page, if there may be one.
    older: Option<i64>,
}

/// Contacts per page, newest first (the store applies the filters).
const PAGE: u32 = 100;

pub(super) async fn contacts(State(state): State<AppState>, req: Request) -> Response {
    let query = req.uri().query().map(str::to_owned);
    let param = |name: &str| query_param(query.as_deref(), name).map(str::to_owned);
    let (caller, _) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    if let Err(e) = caller.require_reach(&state).await {
        return super::ui_error(e);
    }
    let kind = param("kind").unwrap_or_default();
    let exceptions_only = param("exceptions").is_some_and(|v| v == "1");
    let (from, until) = (
        param("from").unwrap_or_default(),
        param("until").unwrap_or_default(),
    );
    let received = match crate::records::received_days(Some(&from), Some(&until)) {
        Ok(r) => r,
        Err((_, message)) => {
            return super::ui_error(AppError::Invalid(trustgate_api::InputError {
                path: "?from".into(),
                message,
            }));
        }
    };
    let before = param("before")
        .and_then(|b| b.parse::<i64>().ok())
        .map(trustgate_store::ContactId);
    let list = match state
        .store
        .list_contacts(
            &caller.principal,
            Page {
                before,
                limit: PAGE,
                kind: kind.parse::<ContactKind>().ok(),
                exceptions_only,
                received,
            },
        )
        .await
    {
        Ok(l) => l,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let older = (list.len() == PAGE as usize)
        .then(|| list.last().map(|c| c.id.0))
        .flatten();
    let page = ContactsPage {
        chrome: Chrome::new("Contacts", "contacts", Some(&caller)),
        kinds: ContactKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.words()))
            .collect(),
        rows: list
            .into_iter()
            .map(|c| ContactRow {
                id: c.id.0,
                kind: c.kind.words(),
                channel: c.channel.words(),
                unit: c.receiving_unit,
                received: local_time_text(c.received_ms),
                open: c.open_obligations,
                exception: c.compliance_exception,
            })
            .collect(),
        kind,
        exceptions_only,
        from,
        until,
        older,
    };
    render(StatusCode::OK, &page)
}

// --- the audit log ----------------------------------------------------------

#[derive(Debug)]
struct EntryRow {
    seq: u64,
    at: String,
    actor: String,
    action: String,
    object: String,
    detail: String,
    /// What the entry vouches for about the record's content, in words.
    vouches: &'static str,
}

/// In words, what an entry commits to (the API gives the digest).
fn vouches_for(state: &trustgate_audit::State) -> &'static str {
    use trustgate_audit::State;
    match state {
        State::Format1 => "nothing (an entry from before contents were covered)",
        State::NoRecord => "no record's content",
        State::After { .. } => "the record as this left it",
        State::Read { .. } => "the record as it was read",
        State::Returned { .. } => "the answer given",
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    size: u64,
    root: String,
    first: u64,
    last: u64,
    entries: Vec<EntryRow>,
    older: Option<u64>,
}

/// Entries shown per page.
const ENTRIES: u64 = 100;

pub(super) async fn audit(State(state): State<AppState>, req: Request) -> Response {
    let before = query_param(req.uri().query(), "before").and_then(|b| b.parse::<u64>().ok());
    let (caller, _) = match allowed(&state, req, Permission::ReadAuditLog).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let read = async {
        let head = state.store.audit_head(&caller.principal).await?;
        let to = before.unwrap_or(head.size).min(head.size);
        let from = to.saturating_sub(ENTRIES);
        let entries = state
            .store
            .audit_entries(&caller.principal, from, to)
            .await?;
        Ok::<_, trustgate_store::StoreError>((head, from, to, entries))
    };
    let (head, from, to, entries) = match read.await {
        Ok(x) => x,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let page = AuditPage {
        chrome: Chrome::new("Audit log", "audit", Some(&caller)),
        size: head.size,
        root: trustgate_audit::encoding::hex(&head.root),
        first: from,
        last: to.saturating_sub(1),
        entries: entries
            .into_iter()
            .rev()
            .map(|s| EntryRow {
                vouches: vouches_for(&s.entry.state),
                seq: s.entry.seq,
                at: local_time_text(s.entry.time_ms),
                actor: s.entry.actor,
                action: s.entry.action,
                object: s.entry.object,
                detail: s.entry.detail,
            })
            .collect(),
        older: (from > 0).then_some(from),
    };
    render(StatusCode::OK, &page)
}

// --- accounts ----------------------------------------------------------------

#[derive(Debug)]
struct AccountRow {
    username: String,
    role: &'static str,
    state: String,
    active: bool,
    is_me: bool,
}

#[derive(Debug)]
struct TokenRow {
    id: i64,
    name: String,
    scopes: String,
    made: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    roles: Vec<&'static str>,
    accounts: Vec<AccountRow>,
    /// (username, code, expires): shown once.
    issued: Option<(String, String, String)>,
    /// (id, secret): shown once.
    token: Option<(i64, String)>,
    error: Option<String>,
    /// The permissions a token may carry (never access:manage).
    scopes: Vec<&'static str>,
    tokens: Vec<TokenRow>,
}

/// What the accounts page shows once after an action.
#[derive(Debug, Default)]
struct Shown {
    issued: Option<(String, String, String)>,
    token: Option<(i64, String)>,
    error: Option<String>,
}

async fn admin_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    shown: Shown,
) -> Response {
    let accounts = match state.store.list_accounts(&caller.principal).await {
        Ok(a) => a,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let tokens = match state.store.list_tokens(&caller.principal).await {
        Ok(t) => t,
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let now = state.clock.now_ms();
    let page = AdminPage {
        chrome: Chrome::new("Accounts", "admin", Some(caller)),
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        accounts: accounts
            .into_iter()
            .map(|a| {
                let state = match (a.disabled_ms, a.locked_until_ms) {
                    (Some(at), _) => format!("disabled {}", local_time_text(at)),
                    (None, Some(until)) if until > now => {
                        format!(
                            "locked from one place or more until {}",
                            local_time_text(until)
                        )
                    }
                    _ => "active".to_owned(),
                };
                AccountRow {
                    is_me: *caller.principal.actor() == trustgate_store::Actor::user(&a.username),
                    active: a.disabled_ms.is_none(),
                    username: a.username,
                    role: a.role.as_str(),
                    state,
                }
            })
            .collect(),
        issued: shown.issued,
        token: shown.token,
        error: shown.error,
        scopes: Permission::INTEGRATION.iter().map(|p| p.as_str()).collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                scopes: t.scopes.join(", "),
                made: format!(
                    "{} by {}",
                    local_time_text(t.created_ms),
                    t.created_by.as_str()
                ),
                revoked: t.revoked_ms.map(local_time_text),
            })
            .collect(),
    };
    render(status, &page)
}

pub(super) async fn accounts(State(state): State<AppState>, req: Request) -> Response {
    match allowed(&state, req, Permission::ManageAccess).await {
        Ok((caller, _)) => admin_page(&state, &caller, StatusCode::OK, Shown::default()).await,
        Err(res) => res,
    }
}

/// The accounts page again, with what went wrong.
async fn admin_error(state: &AppState, caller: &Caller, status: StatusCode, m: String) -> Response {
    let shown = Shown {
        error: Some(m),
        ..Shown::default()
    };
    admin_page(state, caller, status, shown).await
}

/// Issues a code and shows the accounts page with it, once.
async fn with_code(state: &AppState, caller: &Caller, username: &str) -> Response {
    let issued = crate::auth::issue_enrolment(state, caller, username).await;
    match issued {
        Ok(i) => {
            let issued = Some((i.username, i.code, i.expires_at));
            admin_page(
                state,
                caller,
                StatusCode::OK,
                Shown {
                    issued,
                    ..Shown::default()
                },
            )
            .await
        }
        Err(e) => super::ui_error(e),
    }
}

pub(super) async fn add_account(State(state): State<AppState>, req: Request) -> Response {
    let (caller, body) = match allowed(&state, req, Permission::ManageAccess).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let username = field(&pairs, "username").trim().to_owned();
    let Ok(role) = field(&pairs, "role").parse::<Role>() else {
        return admin_error(
            &state,
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a role from the list.".into(),
        )
        .await;
    };
    let secret = match trustgate_access::totp::Secret::generate() {
        Ok(s) => s,
        Err(e) => return AppError::Internal(e.to_string()).into_response(),
    };
    let added = state
        .store
        .add_account(
            &caller.principal,
            NewAccount {
                username: username.clone(),
                role,
                password_hash: trustgate_access::enrolment::UNUSABLE_PASSWORD.to_owned(),
                totp_secret: secret.as_bytes().to_vec(),
            },
        )
        .await;
    match added {
        Ok(()) => with_code(&state, &caller, &username).await,
        Err(trustgate_store::StoreError::Conflict(_)) => {
            admin_error(
                &state,
                &caller,
                StatusCode::CONFLICT,
                format!("There is already an account named {username}."),
            )
            .await
        }
        Err(
            trustgate_store::StoreError::Invalid(m)
            | trustgate_store::StoreError::Field { message: m, .. },
        ) => admin_error(&state, &caller, StatusCode::UNPROCESSABLE_ENTITY, m).await,
        Err(e) => super::ui_error(AppError::from(e)),
    }
}

pub(super) async fn enrolment(
    State(state): State<AppState>,
    Path(username): Path<String>,
    req: Request,
) -> Response {
    match allowed(&state, req, Permission::ManageAccess).await {
        Ok((caller, _)) => with_code(&state, &caller, &username).await,
        Err(res) => res,
    }
}

pub(super) async fn disable(
    State(state): State<AppState>,
    Path(username): Path<String>,
    req: Request,
) -> Response {
    let (caller, _) = match allowed(&state, req, Permission::ManageAccess).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    match state
        .store
        .disable_account(&caller.principal, &username)
        .await
    {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(trustgate_store::StoreError::Invalid(m)) => {
            admin_error(&state, &caller, StatusCode::UNPROCESSABLE_ENTITY, m).await
        }
        Err(e) => super::ui_error(AppError::from(e)),
    }
}

pub(super) async fn add_token(State(state): State<AppState>, req: Request) -> Response {
    let (caller, body) = match allowed(&state, req, Permission::ManageAccess).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let pairs = match super::form_pairs(body).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let scopes: Vec<Permission> = pairs
        .iter()
        .filter(|(k, _)| k == "scope")
        .filter_map(|(_, v)| v.parse::<Permission>().ok())
        .collect();
    let issued = match trustgate_access::token::issue(trustgate_access::token::Kind::Api) {
        Ok(i) => i,
        Err(e) => return super::ui_error(AppError::Internal(e.to_string())),
    };
    let added = state
        .store
        .add_token(
            &caller.principal,
            trustgate_store::NewToken {
                name: field(&pairs, "name").trim().to_owned(),
                scopes,
                token_hash: issued.hash,
            },
        )
        .await;
    let shown = match added {
        Ok(id) => Shown {
            token: Some((id, issued.secret)),
            ..Shown::default()
        },
        Err(
            trustgate_store::StoreError::Field { message, .. }
            | trustgate_store::StoreError::Invalid(message),
        ) => Shown {
            error: Some(message),
            ..Shown::default()
        },
        Err(e) => return super::ui_error(AppError::from(e)),
    };
    let status = if shown.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    admin_page(&state, &caller, status, shown).await
}

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (caller, _) = match allowed(&state, req, Permission::ManageAccess).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let Ok(id) = id.parse::<i64>() else {
        return super::ui_error(AppError::NotFound);
    };
    match state.store.revoke_token(&caller.principal, id).await {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(e) => super::ui_error(AppError::from(e)),
    }
}
