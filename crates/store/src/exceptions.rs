//! Compliance exceptions: acts done that the decision prohibited, routed to
//! an office, listed, and explained (never changed or deleted).

use crate::contacts::{ContactId, Office};
use crate::integrity::contact_after;
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Store, StoreError, db, limits, parse_stored, text};
use trustgate_access::Permission;
use trustgate_audit::State;

/// A compliance exception: an act done that the decision prohibited. It can
/// be explained, never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceException {
    pub id: i64,
    pub contact: ContactId,
    /// The act's key (`detain`, `disclose.address`).
    pub act: String,
    pub routed_to: Office,
    pub flagged_ms: i64,
    /// Explanations, oldest first.
    pub explanations: Vec<ExceptionExplanation>,
}

/// One explanation of a compliance exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionExplanation {
    pub text: String,
    pub by: Actor,
    pub at_ms: i64,
}

impl Store {
    /// Every compliance exception, newest first, optionally only those routed
    /// to one office (audited as `list` of `compliance-exceptions`).
    pub async fn compliance_exceptions(
        &self,
        who: &Principal,
        office: Option<Office>,
    ) -> Result<Vec<ComplianceException>, StoreError> {
        self.permit(who, Permission::ReadExceptions).await?;
        let actor = who.actor().clone();
        self.run(ListExceptions { actor, office }).await
    }

    /// Adds an explanation to a compliance exception (audited as `explain`).
    pub async fn explain_exception(
        &self,
        who: &Principal,
        exception: i64,
        text: String,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::ExplainExceptions).await?;
        let text = text::block("text", text, limits::EXPLANATION, false)?;
        let actor = who.actor().clone();
        self.run(Explain {
            actor,
            exception,
            text,
        })
        .await
    }
}

/// Every compliance exception, or one office's (audited as `list` of
/// `compliance-exceptions`).
#[derive(Debug)]
pub(crate) struct ListExceptions {
    actor: Actor,
    office: Option<Office>,
}

impl Operation for ListExceptions {
    type Output = Vec<ComplianceException>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<ComplianceException>, StoreError> {
        let actor = &self.actor;
        let office = self.office;
        let list = exceptions(conn, None, office).await?;
        let detail = office.map_or("all", |o| o.as_str());
        let state = State::Returned {
            digest: crate::integrity::returned_exceptions(&list),
        };
        audit
            .append_state(
                conn,
                actor,
                "list",
                "compliance-exceptions".into(),
                detail,
                state,
            )
            .await?;
        Ok(list)
    }
}

/// Adds an explanation to a compliance exception (audited as `explain`).
#[derive(Debug)]
pub(crate) struct Explain {
    actor: Actor,
    exception: i64,
    text: String,
}

impl Operation for Explain {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, text, now) = (&self.actor, &self.text, audit.now);
        let exception = self.exception;
        let object = format!("compliance-exception/{exception}");
        let found: Option<i64> =
            query_scalar("SELECT contact_id FROM compliance_exceptions WHERE id = $1")
                .bind(exception)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let Some(contact) = found.map(ContactId) else {
            return Err(StoreError::NotFound(object));
        };
        query(
            "INSERT INTO exception_explanations (exception_id, explanation, explained_by, at_ms) \
                 VALUES ($1, $2, $3, $4)",
        )
        .bind(exception)
        .bind(text)
        .bind(actor.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        let state = contact_after(conn, contact).await?;
        audit
            .append_state(conn, actor, "explain", object, "", state)
            .await?;
        Ok(())
    }
}

pub(crate) async fn exceptions(
    conn: &mut Conn,
    contact: Option<ContactId>,
    office: Option<Office>,
) -> Result<Vec<ComplianceException>, StoreError> {
    let rows = query(
        "SELECT id, contact_id, act, routed_to, flagged_ms FROM compliance_exceptions \
         WHERE ($1 IS NULL OR contact_id = $1) AND ($2 IS NULL OR routed_to = $2) \
         ORDER BY id DESC",
    )
    .bind(contact.map(|c| c.0))
    .bind(office.map(|o| o.as_str()))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get(0).map_err(db)?;
        let routed: String = r.try_get(3).map_err(db)?;
        let explanations = query(
            "SELECT explanation, explained_by, at_ms FROM exception_explanations \
             WHERE exception_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|e| {
            Ok(ExceptionExplanation {
                text: e.try_get(0).map_err(db)?,
                by: Actor::new(e.try_get::<String>(1).map_err(db)?),
                at_ms: e.try_get(2).map_err(db)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(ComplianceException {
            id,
            contact: ContactId(r.try_get(1).map_err(db)?),
            act: r.try_get(2).map_err(db)?,
            routed_to: parse_stored(&routed)?,
            flagged_ms: r.try_get(4).map_err(db)?,
            explanations,
        });
    }
    Ok(out)
}
