//! The records routes: federal contacts, their obligations and
//! reimbursements, compliance exceptions, and the audit log. Each checks a
//! permission ([`trustgate_access::Role::may`]) and then calls one store
//! operation, which audits itself in the same transaction.

use axum::extract::{Path, Request, State};
use trustgate_access::Permission;
use trustgate_api::{
    AuditEntries, AuditEntryView, AuditHeadView, AuditStateKind, AuditStateView, ContactList,
    ContactSummaryView, ContactView, ErrorBody, ExceptionList, ExceptionView, Explain,
    ExplanationView, FulfilObligation, FulfilmentView, ObligationView, PersonView, RecordContact,
    RecordReimbursement, Recorded, ReimbursementView, format_utc_ms,
};
use trustgate_audit::encoding::hex;
use trustgate_records::{Intake, IntakeError};
use trustgate_store::{ComplianceException, ContactId, NewReimbursement, Page, PersonRecord};

use crate::auth::Caller;
use crate::body::{created, json_body, json_response};
use crate::params;
use crate::{AppError, AppState};
use axum::response::{IntoResponse, Response};

/// Record a federal contact.
///
/// The server decides the scenario at this moment and keeps the decision,
/// with the law versions and their hashes, beside what was done. An act done
/// that the decision prohibits makes the record a compliance exception,
/// routed at once to the office that handles it; the obligations the
/// decision triggered open on the record.
#[utoipa::path(
    post,
    path = "/api/v1/contacts",
    tag = "records",
    security(("bearer" = [])),
    request_body(content = RecordContact, content_type = "application/json"),
    responses(
        (status = 201, body = Recorded),
        (status = 400, description = "Not JSON, or not a contact's shape; `path` says where", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "A value refused; `path` says which", body = ErrorBody)
    )
)]
pub(crate) async fn record_contact(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::RecordContact).await?;
    let body: RecordContact = json_body(
        req,
        "a contact is a JSON object: {\"kind\": …, \"channel\": …, \"receiving_unit\": …, \"scenario\": {…}, \"acts_done\": […]}",
    )
    .await?;
    let recorded = record(&state, &caller, body).await?;
    Ok(created(&recorded))
}

/// Records a contact whose caller may record: takes it in (decided now by
/// the law in force, [`trustgate_records::Intake`]) and keeps it. Shared by
/// the API and the staff UI.
pub(crate) async fn record(
    state: &AppState,
    caller: &Caller,
    body: RecordContact,
) -> Result<Recorded, AppError> {
    let intake = Intake::new(&state.lib, body).map_err(|e| match e {
        IntakeError::Scenario(e) => AppError::BadScenario(e),
        IntakeError::Invalid(e) => AppError::Invalid(e),
        IntakeError::Decision(e) => AppError::Internal(e.to_string()),
        IntakeError::Engine(e) => AppError::Internal(e),
    })?;
    let recorded = state
        .store
        .record_contact(&caller.principal, intake)
        .await?;
    Ok(Recorded {
        id: recorded.id.0,
        compliance_exception: !recorded.prohibited.is_empty(),
        routed_to: (!recorded.prohibited.is_empty())
            .then(|| recorded.routed_to.as_str().to_owned()),
        prohibited_acts_done: recorded.prohibited,
        obligations: recorded.obligations,
    })
}

/// A UTC range of instants (ms), either end open.
pub(crate) type Instants = (Option<i64>, Option<i64>);

/// Days in Cambridge, both included (`from`, `until`: YYYY-MM-DD), as the
/// UTC range a list is narrowed to; an error names the parameter.
pub(crate) fn received_days(
    from: Option<&str>,
    until: Option<&str>,
) -> Result<Instants, (&'static str, String)> {
    let day = |name: &'static str, v: Option<&str>| {
        v.filter(|v| !v.is_empty())
            .map(|v| {
                trustgate_law::Date::parse(v)
                    .map_err(|_| (name, format!("`{name}` is a day (YYYY-MM-DD), found `{v}`")))
            })
            .transpose()
    };
    day_range(day("from", from)?, day("until", until)?)
}

/// The API's `from` and `until`, parsed already, as a UTC range.
fn days(from: Option<params::Day>, until: Option<params::Day>) -> Result<Instants, AppError> {
    day_range(from.map(|d| d.0), until.map(|d| d.0)).map_err(|(name, message)| {
        AppError::BadParameter {
            name: name.into(),
            message,
        }
    })
}

fn day_range(
    from: Option<trustgate_law::Date>,
    until: Option<trustgate_law::Date>,
) -> Result<Instants, (&'static str, String)> {
    if let (Some(f), Some(u)) = (from, until)
        && f > u
    {
        return Err(("until", format!("`until` ({u}) is before `from` ({f})")));
    }
    Ok((
        from.map(|d| trustgate_report::local_to_utc_ms(d, 0)),
        until.map(|d| trustgate_report::local_to_utc_ms(d.succ(), 0)),
    ))
}

fn contact_id(raw: &str) -> Result<ContactId, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(ContactId)
        .ok_or(AppError::NotFound)
}

/// Read a recorded contact, with its decision as it was, what was done,
/// its obligations, exceptions and reimbursements.
///
/// Officers and school staff read the contacts they recorded; others look
/// missing (and the attempt is audited).
#[utoipa::path(
    get,
    path = "/api/v1/contacts/{id}",
    tag = "records",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contact's id")),
    responses((status = 200, body = ContactView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(crate) async fn read_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    caller.require_reach(&state).await?;
    let id = contact_id(&id)?;
    let c = state.store.read_contact(&caller.principal, id).await?;
    let parse = |s: &str| {
        serde_json::from_str(s)
            .map_err(|e| AppError::Internal(format!("stored JSON of {}: {e}", id.object())))
    };
    Ok(json_response(&ContactView {
        id: c.id.0,
        kind: c.contact.kind.as_str().to_owned(),
        channel: c.contact.channel.as_str().to_owned(),
        receiving_unit: c.contact.receiving_unit,
        received_at: format_utc_ms(c.contact.received_ms.unwrap_or(c.recorded_ms)),
        recorded_at: format_utc_ms(c.recorded_ms),
        recorded_by: c.recorded_by.as_str().to_owned(),
        scenario: parse(&c.contact.scenario)?,
        decision: parse(&c.contact.decision)?,
        acts_done: c.contact.acts_done,
        done_by: c.contact.done_by,
        withheld: c.contact.withheld,
        late_entry: c.contact.late_entry,
        person: c.person.map(|p| match p {
            PersonRecord::Known(p) => PersonView {
                name: p.name,
                date_of_birth: p.date_of_birth,
                address: p.address,
                unreadable: None,
            },
            PersonRecord::Unreadable(why) => PersonView {
                name: None,
                date_of_birth: None,
                address: None,
                unreadable: Some(why),
            },
        }),
        compliance_exception: c.compliance_exception,
        exceptions: c.exceptions.into_iter().map(exception_view).collect(),
        obligations: c.obligations.into_iter().map(obligation_view).collect(),
        reimbursements: c
            .reimbursements
            .into_iter()
            .map(|r| ReimbursementView {
                id: r.id,
                amount_cents: r.reimbursement.amount_cents,
                received_on: r.reimbursement.received_on,
                reference: r.reimbursement.reference,
                recorded_by: r.recorded_by.as_str().to_owned(),
                recorded_at: format_utc_ms(r.recorded_ms),
            })
            .collect(),
    }))
}

fn obligation_view(o: trustgate_store::ObligationRecord) -> ObligationView {
    ObligationView {
        id: o.id,
        obligation: o.obligation,
        law: o.law,
        duty: o.duty,
        due: o.due,
        due_at: o.due_ms.map(format_utc_ms),
        fulfilled: o.fulfilment.map(|f| FulfilmentView {
            by: f.by.as_str().to_owned(),
            at: format_utc_ms(f.at_ms),
            note: f.note,
        }),
    }
}

/// The work list: obligations not yet fulfilled, soonest due first (one's
/// own, for officers and school staff).
#[utoipa::path(
    get,
    path = "/api/v1/obligations",
    tag = "records",
    security(("bearer" = [])),
    params(params::ObligationsQuery),
    responses((status = 200, body = trustgate_api::ObligationList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(crate) async fn open_obligations(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require_reach(&state).await?;
    let now = state.clock.now_ms();
    let q: params::ObligationsQuery = params::parse(req.uri().query())?;
    let overdue = q.overdue.unwrap_or(false).then_some(now);
    let list = state
        .store
        .open_obligations(&caller.principal, overdue)
        .await?;
    Ok(json_response(&trustgate_api::ObligationList {
        obligations: list
            .into_iter()
            .map(|o| trustgate_api::OpenObligationView {
                contact: o.contact.0,
                received_at: format_utc_ms(o.received_ms),
                recorded_by: o.recorded_by.as_str().to_owned(),
                overdue: o.obligation.due_ms.is_some_and(|d| d < now),
                obligation: obligation_view(o.obligation),
            })
            .collect(),
    }))
}

fn exception_view(e: ComplianceException) -> ExceptionView {
    ExceptionView {
        id: e.id,
        contact: e.contact.0,
        act: e.act,
        routed_to: e.routed_to.as_str().to_owned(),
        flagged_at: format_utc_ms(e.flagged_ms),
        explanations: e
            .explanations
            .into_iter()
            .map(|x| ExplanationView {
                text: x.text,
                by: x.by.as_str().to_owned(),
                at: format_utc_ms(x.at_ms),
            })
            .collect(),
    }
}

/// List contacts, newest first (one's own, for officers and school staff).
#[utoipa::path(
    get,
    path = "/api/v1/contacts",
    tag = "records",
    security(("bearer" = [])),
    params(params::ContactsQuery),
    responses((status = 200, body = ContactList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(crate) async fn list_contacts(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require_reach(&state).await?;
    let q: params::ContactsQuery = params::parse(req.uri().query())?;
    let before = q.before.map(|b| ContactId(b.0.cast_signed()));
    let limit = q.limit.map_or(50, |l| l.0 as u32);
    let received = days(q.from, q.until)?;
    let list = state
        .store
        .list_contacts(
            &caller.principal,
            Page {
                before,
                limit,
                kind: q.kind.map(|k| k.0),
                exceptions_only: q.exceptions.unwrap_or(false),
                received,
            },
        )
        .await?;
    let next_before = (list.len() == limit as usize)
        .then(|| list.last().map(|c| c.id.0))
        .flatten();
    Ok(json_response(&ContactList {
        contacts: list
            .into_iter()
            .map(|c| ContactSummaryView {
                id: c.id.0,
                kind: c.kind.as_str().to_owned(),
                channel: c.channel.as_str().to_owned(),
                receiving_unit: c.receiving_unit,
                received_at: format_utc_ms(c.received_ms),
                compliance_exception: c.compliance_exception,
                open_obligations: c.open_obligations,
                recorded_by: c.recorded_by.as_str().to_owned(),
            })
            .collect(),
        next_before,
    }))
}

/// Mark an obligation of a contact fulfilled (once).
#[utoipa::path(
    post,
    path = "/api/v1/contacts/{id}/obligations/{obligation}/fulfilment",
    tag = "records",
    security(("bearer" = [])),
    params(("id" = i64, Path), ("obligation" = i64, Path)),
    request_body(content = FulfilObligation, content_type = "application/json"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Already fulfilled", body = ErrorBody), (status = 422, description = "The note is over its length; `path` says so", body = ErrorBody))
)]
pub(crate) async fn fulfil_obligation(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, obligation)): Path<(String, String)>,
    req: Request,
) -> Result<Response, AppError> {
    caller
        .require(&state, Permission::FulfilObligations)
        .await?;
    let id = contact_id(&id)?;
    let obligation = obligation.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let body: FulfilObligation =
        json_body(req, "a fulfilment is a JSON object: {\"note\": …}").await?;
    state
        .store
        .fulfil_obligation(&caller.principal, id, obligation, body.note)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// Record a reimbursement received from the federal government for a case
/// (2.129.060 (d)).
#[utoipa::path(
    post,
    path = "/api/v1/contacts/{id}/reimbursements",
    tag = "records",
    security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = RecordReimbursement, content_type = "application/json"),
    responses((status = 201, body = i64), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn record_reimbursement(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    caller
        .require(&state, Permission::RecordReimbursements)
        .await?;
    let id = contact_id(&id)?;
    let body: RecordReimbursement = json_body(
        req,
        "a reimbursement is a JSON object: {\"amount_cents\": …, \"received_on\": …, \"reference\": …}",
    )
    .await?;
    let new = state
        .store
        .record_reimbursement(
            &caller.principal,
            id,
            NewReimbursement {
                amount_cents: body.amount_cents,
                received_on: body.received_on,
                reference: body.reference,
            },
        )
        .await?;
    Ok(created(&new))
}

/// List compliance exceptions, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/compliance-exceptions",
    tag = "records",
    security(("bearer" = [])),
    params(params::ExceptionsQuery),
    responses((status = 200, body = ExceptionList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(crate) async fn list_exceptions(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ReadExceptions).await?;
    let q: params::ExceptionsQuery = params::parse(req.uri().query())?;
    let office = q.routed_to.map(|o| o.0);
    let list = state
        .store
        .compliance_exceptions(&caller.principal, office)
        .await?;
    Ok(json_response(&ExceptionList {
        exceptions: list.into_iter().map(exception_view).collect(),
    }))
}

/// Add an explanation to a compliance exception. Explanations are kept;
/// nothing is ever deleted.
#[utoipa::path(
    post,
    path = "/api/v1/compliance-exceptions/{id}/explanations",
    tag = "records",
    security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = Explain, content_type = "application/json"),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn explain_exception(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    caller
        .require(&state, Permission::ExplainExceptions)
        .await?;
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let body: Explain = json_body(req, "an explanation is a JSON object: {\"text\": …}").await?;
    state
        .store
        .explain_exception(&caller.principal, id, body.text)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// The audit log's head (auditors). Reading it is audited.
#[utoipa::path(
    get,
    path = "/api/v1/audit/head",
    tag = "audit",
    security(("bearer" = [])),
    responses((status = 200, body = AuditHeadView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(crate) async fn audit_head(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ReadAuditLog).await?;
    let h = state.store.audit_head(&caller.principal).await?;
    Ok(json_response(&AuditHeadView {
        size: h.size,
        root: hex(&h.root),
        chain_head: hex(&h.chain_head),
    }))
}

/// Audit log entries `from <= seq < to`, at most 1,000 (auditors). Reading
/// them is audited.
#[utoipa::path(
    get,
    path = "/api/v1/audit/entries",
    tag = "audit",
    security(("bearer" = [])),
    params(params::EntriesQuery),
    responses((status = 200, body = AuditEntries), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(crate) async fn audit_entries(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ReadAuditLog).await?;
    let q: params::EntriesQuery = params::parse(req.uri().query())?;
    let from = q.from.map_or(0, |f| f.0);
    let most = from.saturating_add(params::ENTRIES_MAX);
    let to = match q.to {
        None => most,
        Some(to) if to.0 <= most => to.0,
        Some(to) => {
            return Err(AppError::BadParameter {
                name: "to".into(),
                message: format!(
                    "`to` is at most `from` + {} ({most}), found {}",
                    params::ENTRIES_MAX,
                    to.0
                ),
            });
        }
    };
    let entries = state
        .store
        .audit_entries(&caller.principal, from, to)
        .await?;
    Ok(json_response(&AuditEntries {
        entries: entries.into_iter().map(entry_view).collect(),
    }))
}

fn entry_view(s: trustgate_store::StoredEntry) -> AuditEntryView {
    use trustgate_audit::State;
    let format = s.entry.state.format();
    let state = match &s.entry.state {
        State::Format1 => None,
        State::NoRecord => Some((AuditStateKind::None, None)),
        State::After { record, .. } => Some((AuditStateKind::After, Some(record.clone()))),
        State::Read { record, .. } => Some((AuditStateKind::Read, Some(record.clone()))),
        State::Returned { .. } => Some((AuditStateKind::Returned, None)),
    }
    .map(|(kind, record)| AuditStateView {
        kind,
        record,
        digest: s.entry.state.digest().map(|d| hex(d)),
    });
    AuditEntryView {
        seq: s.entry.seq,
        time: format_utc_ms(s.entry.time_ms),
        time_ms: s.entry.time_ms,
        actor: s.entry.actor,
        action: s.entry.action,
        object: s.entry.object,
        detail: s.entry.detail,
        format,
        state,
        chain_hash: hex(&s.chain_hash),
        leaf_hash: hex(&s.leaf_hash),
    }
}

/// An inclusion proof for one audit log entry (auditors; audited): that it is
/// in the tree of the first `size` entries, as a published checkpoint of that
/// size commits to.
#[utoipa::path(
    get,
    path = "/api/v1/audit/proofs/inclusion",
    tag = "audit",
    security(("bearer" = [])),
    params(params::InclusionQuery),
    responses((status = 200, body = trustgate_api::InclusionProofView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn inclusion_proof(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ReadAuditLog).await?;
    let q: params::InclusionQuery = params::parse(req.uri().query())?;
    let (entry, size) = (q.entry.0, q.size.0);
    let p = state
        .store
        .inclusion_proof(&caller.principal, entry, size)
        .await?;
    let leaf_hash = hex(&p.entry.entry.leaf_hash());
    Ok(json_response(&trustgate_api::InclusionProofView {
        entry: entry_view(p.entry),
        leaf_hash,
        size: p.size,
        root: hex(&p.root),
        path: p.path.iter().map(|h| hex(h)).collect(),
    }))
}

/// A consistency proof between two sizes of the audit log (auditors;
/// audited): the log of `to` entries extends the log of `from` entries
/// without rewriting it.
#[utoipa::path(
    get,
    path = "/api/v1/audit/proofs/consistency",
    tag = "audit",
    security(("bearer" = [])),
    params(params::ConsistencyQuery),
    responses((status = 200, body = trustgate_api::ConsistencyProofView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub(crate) async fn consistency_proof(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> Result<Response, AppError> {
    caller.require(&state, Permission::ReadAuditLog).await?;
    let q: params::ConsistencyQuery = params::parse(req.uri().query())?;
    let (from, to) = (q.from.0, q.to.0);
    let c = state
        .store
        .consistency_proof(&caller.principal, from, to)
        .await?;
    Ok(json_response(&trustgate_api::ConsistencyProofView {
        old_size: c.old_size,
        old_root: hex(&c.old_root),
        new_size: c.new_size,
        new_root: hex(&c.new_root),
        proof: c.proof.iter().map(|h| hex(h)).collect(),
    }))
}
