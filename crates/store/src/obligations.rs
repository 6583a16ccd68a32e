//! Obligations: the duties a contact's decision triggered for certain, the
//! work list of those still open, and their fulfilment (once).

use crate::contacts::ContactId;
use crate::integrity::contact_after;
use crate::sql::{Conn, Row, query};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Reach, Store, StoreError, db, limits, text};
use trustgate_access::Permission;
use trustgate_audit::State;

/// A duty a contact's decision triggered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRecord {
    pub id: i64,
    /// The obligation's id in its law pack (`copy-to-person`).
    pub obligation: String,
    /// The law it comes from.
    pub law: String,
    /// What must be done, in plain words.
    pub duty: String,
    /// When, in the law's words, if it says.
    pub due: Option<String>,
    /// When it falls due (UTC ms), if the recorder said.
    pub due_ms: Option<i64>,
    pub fulfilment: Option<Fulfilment>,
}

/// An obligation not yet fulfilled, for a work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenObligation {
    pub contact: ContactId,
    pub obligation: ObligationRecord,
    pub received_ms: i64,
    pub recorded_by: Actor,
}

/// How an obligation was fulfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fulfilment {
    pub by: Actor,
    pub at_ms: i64,
    pub note: String,
}

impl Store {
    /// Obligations not yet fulfilled, soonest due first (those without a due
    /// time last), optionally only those already overdue at `overdue_at_ms`
    /// (audited as `list` of `obligations`).
    pub async fn open_obligations(
        &self,
        who: &Principal,
        overdue_at_ms: Option<i64>,
    ) -> Result<Vec<OpenObligation>, StoreError> {
        let reach = self.reach(who).await?;
        let actor = who.actor().clone();
        self.run(OpenObligations {
            actor,
            reach,
            overdue_at_ms,
        })
        .await
    }

    /// Marks an obligation of a contact fulfilled (audited as `fulfil` of
    /// `obligation/<id>`). Fulfilling twice is refused.
    pub async fn fulfil_obligation(
        &self,
        who: &Principal,
        contact: ContactId,
        obligation: i64,
        note: String,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::FulfilObligations).await?;
        let reach = self.reach(who).await?;
        let note = text::block("note", note, limits::NOTE, true)?;
        let actor = who.actor().clone();
        let done = self
            .run(Fulfil {
                actor,
                contact,
                obligation,
                note,
                reach,
            })
            .await?;
        if done {
            Ok(())
        } else {
            Err(StoreError::NotFound(format!("obligation/{obligation}")))
        }
    }
}

/// The obligations not yet fulfilled (audited as `list` of `obligations`).
#[derive(Debug)]
pub(crate) struct OpenObligations {
    actor: Actor,
    reach: Reach,
    overdue_at_ms: Option<i64>,
}

impl Operation for OpenObligations {
    type Output = Vec<OpenObligation>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<OpenObligation>, StoreError> {
        let (actor, reach, overdue) = (&self.actor, &self.reach, &self.overdue_at_ms);
        let list = open_obligations(conn, actor, *reach, *overdue).await?;
        let detail = match (reach, overdue) {
            (Reach::Own, None) => "own open",
            (Reach::Own, Some(_)) => "own overdue",
            (Reach::All, None) => "all open",
            (Reach::All, Some(_)) => "all overdue",
        };
        let state = State::Returned {
            digest: crate::integrity::returned_obligations(&list),
        };
        audit
            .append_state(conn, actor, "list", "obligations".into(), detail, state)
            .await?;
        Ok(list)
    }
}

/// Marks an obligation fulfilled (audited as `fulfil` of `obligation/<id>`,
/// or `fulfil-denied` when out of reach: then `false`).
#[derive(Debug)]
pub(crate) struct Fulfil {
    actor: Actor,
    contact: ContactId,
    obligation: i64,
    note: String,
    reach: Reach,
}

impl Operation for Fulfil {
    type Output = bool;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<bool, StoreError> {
        let (actor, note, now) = (&self.actor, &self.note, audit.now);
        let (contact, obligation, reach) = (self.contact, self.obligation, self.reach);

        let object = format!("obligation/{obligation}");
        let row = query(
            "SELECT o.fulfilled_ms, c.created_by FROM obligations o \
                 JOIN contacts c ON c.id = o.contact_id WHERE o.id = $1 AND o.contact_id = $2",
        )
        .bind(obligation)
        .bind(contact.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NotFound(object.clone()))?;
        let fulfilled: Option<i64> = row.try_get(0).map_err(db)?;
        let owner: String = row.try_get(1).map_err(db)?;
        if reach == Reach::Own && owner != actor.as_str() {
            audit
                .append(conn, actor, "fulfil-denied", object, "")
                .await?;
            return Ok(false);
        }
        if fulfilled.is_some() {
            return Err(StoreError::Conflict(format!(
                "{object} is already fulfilled"
            )));
        }
        query(
            "UPDATE obligations SET fulfilled_ms = $1, fulfilled_by = $2, fulfilment_note = $3 \
                 WHERE id = $4",
        )
        .bind(now)
        .bind(actor.as_str())
        .bind(note)
        .bind(obligation)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        let state = contact_after(conn, contact).await?;
        audit
            .append_state(conn, actor, "fulfil", object, &contact.object(), state)
            .await?;
        Ok(true)
    }
}

/// An obligation from `id, obligation, law, duty, due, fulfilled_ms,
/// fulfilled_by, fulfilment_note, due_ms` (columns 0 to 8).
pub(crate) fn obligation_of_row(r: &Row) -> Result<ObligationRecord, StoreError> {
    let at: Option<i64> = r.try_get(5).map_err(db)?;
    let by: Option<String> = r.try_get(6).map_err(db)?;
    let note: Option<String> = r.try_get(7).map_err(db)?;
    Ok(ObligationRecord {
        id: r.try_get(0).map_err(db)?,
        obligation: r.try_get(1).map_err(db)?,
        law: r.try_get(2).map_err(db)?,
        duty: r.try_get(3).map_err(db)?,
        due: r.try_get(4).map_err(db)?,
        due_ms: r.try_get(8).map_err(db)?,
        fulfilment: match (at, by) {
            (Some(at_ms), Some(by)) => Some(Fulfilment {
                by: Actor::new(by),
                at_ms,
                note: note.unwrap_or_default(),
            }),
            _ => None,
        },
    })
}

async fn open_obligations(
    conn: &mut Conn,
    actor: &Actor,
    reach: Reach,
    overdue_at_ms: Option<i64>,
) -> Result<Vec<OpenObligation>, StoreError> {
    let owner = match reach {
        Reach::Own => Some(actor.as_str()),
        Reach::All => None,
    };
    let rows = query(
        "SELECT o.id, o.obligation, o.law, o.duty, o.due, o.fulfilled_ms, o.fulfilled_by, \
         o.fulfilment_note, o.due_ms, c.id, COALESCE(c.received_ms, c.created_ms), c.created_by \
         FROM obligations o JOIN contacts c ON c.id = o.contact_id \
         WHERE o.fulfilled_ms IS NULL AND ($1 IS NULL OR c.created_by = $1) \
         AND ($2 IS NULL OR o.due_ms < $2) \
         ORDER BY CASE WHEN o.due_ms IS NULL THEN 1 ELSE 0 END, o.due_ms, o.id LIMIT 1000",
    )
    .bind(owner)
    .bind(overdue_at_ms)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(OpenObligation {
                obligation: obligation_of_row(r)?,
                contact: ContactId(r.try_get(9).map_err(db)?),
                received_ms: r.try_get(10).map_err(db)?,
                recorded_by: Actor::new(r.try_get::<String>(11).map_err(db)?),
            })
        })
        .collect()
}
