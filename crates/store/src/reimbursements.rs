//! Reimbursements received for a case (2.129.060 (d)).

use crate::contacts::{ContactId, is_date, owner_of};
use crate::integrity::contact_after;
use crate::sql::{Conn, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Store, StoreError, db, limits, text};
use trustgate_access::Permission;

/// A reimbursement to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReimbursement {
    /// In cents (never a float).
    pub amount_cents: i64,
    /// The day it was received (YYYY-MM-DD).
    pub received_on: String,
    /// The payer's reference (a federal voucher number, …).
    pub reference: String,
}

/// A recorded reimbursement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reimbursement {
    pub id: i64,
    pub reimbursement: NewReimbursement,
    pub recorded_by: Actor,
    pub recorded_ms: i64,
}

impl Store {
    /// Records a reimbursement received for a contact (audited as `create`
    /// of `reimbursement/<id>`).
    pub async fn record_reimbursement(
        &self,
        who: &Principal,
        contact: ContactId,
        r: NewReimbursement,
    ) -> Result<i64, StoreError> {
        self.permit(who, Permission::RecordReimbursements).await?;
        let actor = who.actor();
        if r.amount_cents <= 0 {
            return Err(StoreError::Field {
                field: "amount_cents",
                message: "must be more than zero".into(),
            });
        }
        if !is_date(&r.received_on) {
            return Err(StoreError::Field {
                field: "received_on",
                message: format!("`{}` is not a date (YYYY-MM-DD)", r.received_on),
            });
        }
        let r = NewReimbursement {
            reference: text::line("reference", r.reference, limits::REFERENCE)?,
            ..r
        };
        let actor = actor.clone();
        self.run(Reimburse { actor, contact, r }).await
    }
}

/// Records a reimbursement (audited as `create` of `reimbursement/<id>`,
/// committing to its contact's new content).
#[derive(Debug)]
pub(crate) struct Reimburse {
    actor: Actor,
    contact: ContactId,
    r: NewReimbursement,
}

impl Operation for Reimburse {
    type Output = i64;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<i64, StoreError> {
        let (actor, r, now) = (&self.actor, &self.r, audit.now);
        let contact = self.contact;
        if owner_of(conn, contact).await?.is_none() {
            return Err(StoreError::NotFound(contact.object()));
        }
        let id: i64 = query_scalar(
            "INSERT INTO reimbursements (contact_id, amount_cents, received_on, reference, \
                 recorded_by, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(contact.0)
        .bind(r.amount_cents)
        .bind(&r.received_on)
        .bind(&r.reference)
        .bind(actor.as_str())
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        let state = contact_after(conn, contact).await?;
        audit
            .append_state(
                conn,
                actor,
                "create",
                format!("reimbursement/{id}"),
                &contact.object(),
                state,
            )
            .await?;
        Ok(id)
    }
}
