//! Handling a complaint: assigning it, changing its status (with a notice
//! to the complainant), adding internal notes, fulfilling its duties. Each
//! needs `complaints:handle` and the complaint within the caller's reach;
//! one out of reach looks missing, and the attempt is audited
//! (`<action>-denied`).

use trustgate_access::{Permission, Role};
use trustgate_records::StatusChange;

use super::{ComplaintId, in_reach, status_of};
use crate::integrity::complaint_after;
use crate::sql::{Conn, query};
use crate::writer::{Audit, Operation};
use crate::{Actor, ComplaintReach, Grants, Principal, Store, StoreError, db, limits, text};

/// What a handler does to a complaint.
#[derive(Debug)]
enum Change {
    /// To this account.
    Assign(String),
    Status(StatusChange),
    Note(String),
    /// This duty, with this note.
    Fulfil(i64, String),
}

impl Change {
    fn action(&self) -> &'static str {
        match self {
            Change::Assign(_) => "assign",
            Change::Status(_) => "status",
            Change::Note(_) => "note",
            Change::Fulfil(..) => "fulfil",
        }
    }
}

impl Store {
    /// Assigns a complaint to a staff account that may handle it (audited
    /// as `assign` of `complaint/<id>`, naming the account).
    pub async fn assign_complaint(
        &self,
        who: &Principal,
        id: ComplaintId,
        username: &str,
    ) -> Result<(), StoreError> {
        self.handle(who, id, Change::Assign(username.to_owned()))
            .await
    }

    /// Moves a complaint's status on, with the notice its complainant will
    /// read on the status page (audited as `status` of `complaint/<id>`,
    /// with the new status and disposition). Only forward, one step at a
    /// time; closing needs a disposition (`StatusChange`).
    pub async fn change_complaint_status(
        &self,
        who: &Principal,
        id: ComplaintId,
        change: StatusChange,
    ) -> Result<(), StoreError> {
        self.handle(who, id, Change::Status(change)).await
    }

    /// Adds an internal note, never shown to the complainant (audited as
    /// `note` of `complaint/<id>`).
    pub async fn add_complaint_note(
        &self,
        who: &Principal,
        id: ComplaintId,
        note: String,
    ) -> Result<(), StoreError> {
        let note = text::block(
            "note",
            note,
            trustgate_records::complaint_limits::NOTE,
            false,
        )?;
        self.handle(who, id, Change::Note(note)).await
    }

    /// Marks a duty of a complaint fulfilled, once (audited as `fulfil` of
    /// `complaint/<id>`, naming the duty).
    pub async fn fulfil_complaint_obligation(
        &self,
        who: &Principal,
        id: ComplaintId,
        obligation: i64,
        note: String,
    ) -> Result<(), StoreError> {
        let note = text::block("note", note, limits::NOTE, true)?;
        self.handle(who, id, Change::Fulfil(obligation, note)).await
    }

    async fn handle(
        &self,
        who: &Principal,
        id: ComplaintId,
        change: Change,
    ) -> Result<(), StoreError> {
        let reach = self
            .complaint_reach(who, Permission::HandleComplaints)
            .await?;
        let done = self
            .run(Handle {
                actor: who.actor().clone(),
                reach,
                id,
                change,
            })
            .await?;
        if done {
            Ok(())
        } else {
            Err(StoreError::NotFound(id.object()))
        }
    }
}

/// One change to a complaint (audited as its action of `complaint/<id>`,
/// or `<action>-denied` when out of reach: then `false`).
#[derive(Debug)]
pub(crate) struct Handle {
    actor: Actor,
    reach: ComplaintReach,
    id: ComplaintId,
    change: Change,
}

impl Operation for Handle {
    type Output = bool;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<bool, StoreError> {
        let (actor, id, now) = (&self.actor, self.id, audit.now);
        let action = self.change.action();
        match in_reach(conn, id, &self.reach).await? {
            None => return Err(StoreError::NotFound(id.object())),
            Some(false) => {
                audit
                    .append(conn, actor, &format!("{action}-denied"), id.object(), "")
                    .await?;
                return Ok(false);
            }
            Some(true) => {}
        }
        let detail = match &self.change {
            Change::Assign(username) => {
                assignable(conn, id, username).await?;
                query("UPDATE complaints SET assigned_to = $1 WHERE id = $2")
                    .bind(username.as_str())
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                Actor::user(username).to_string()
            }
            Change::Status(change) => {
                let from: String =
                    crate::sql::query_scalar("SELECT status FROM complaints WHERE id = $1")
                        .bind(id.0)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(db)?;
                change
                    .check_from(status_of(&from)?)
                    .map_err(|e| StoreError::Conflict(e.to_string()))?;
                let disposition = change.disposition.map(|d| d.as_str());
                query("UPDATE complaints SET status = $1, disposition = $2 WHERE id = $3")
                    .bind(change.to.as_str())
                    .bind(disposition)
                    .bind(id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                query(
                    "INSERT INTO complaint_events (complaint_id, status, disposition, notice, \
                     changed_by, at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.0)
                .bind(change.to.as_str())
                .bind(disposition)
                .bind(change.notice.as_str())
                .bind(actor.as_str())
                .bind(now)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                match disposition {
                    Some(d) => format!("{} {d}", change.to),
                    None => change.to.to_string(),
                }
            }
            Change::Note(note) => {
                query(
                    "INSERT INTO complaint_notes (complaint_id, note, written_by, at_ms) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id.0)
                .bind(note.as_str())
                .bind(actor.as_str())
                .bind(now)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                String::new()
            }
            Change::Fulfil(obligation, note) => {
                let done = query(
                    "UPDATE complaint_obligations SET fulfilled_ms = $1, fulfilled_by = $2, \
                     fulfilment_note = $3 WHERE id = $4 AND complaint_id = $5 \
                     AND fulfilled_ms IS NULL",
                )
                .bind(now)
                .bind(actor.as_str())
                .bind(note.as_str())
                .bind(*obligation)
                .bind(id.0)
                .execute(&mut *conn)
                .await
                .map_err(db)?
                .rows_affected();
                if done == 0 {
                    let object = format!("complaint-obligation/{obligation}");
                    let exists: i64 = crate::sql::query_scalar(
                        "SELECT COUNT(*) FROM complaint_obligations \
                         WHERE id = $1 AND complaint_id = $2",
                    )
                    .bind(*obligation)
                    .bind(id.0)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(db)?;
                    return Err(if exists == 0 {
                        StoreError::NotFound(object)
                    } else {
                        StoreError::Conflict(format!("{object} is already fulfilled"))
                    });
                }
                format!("complaint-obligation/{obligation}")
            }
        };
        let state = complaint_after(conn, id.0).await?;
        audit
            .append_state(conn, actor, action, id.object(), &detail, state)
            .await?;
        Ok(true)
    }
}

/// Whether `username` may be given complaint `id`: an account in use whose
/// role handles complaints and reaches this one.
async fn assignable(conn: &mut Conn, id: ComplaintId, username: &str) -> Result<(), StoreError> {
    let row = query("SELECT role, disabled_ms FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    let refuse = |why: &str| StoreError::Field {
        field: "assignee",
        message: format!("`{username}` {why}"),
    };
    let Some(row) = row else {
        return Err(refuse("is not an account"));
    };
    let role: String = row.try_get(0).map_err(db)?;
    let disabled: Option<i64> = row.try_get(1).map_err(db)?;
    if disabled.is_some() {
        return Err(refuse("is disabled"));
    }
    let role: Role = role
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("account/{username}: {e}")))?;
    let assignee = Principal {
        actor: Actor::user(username),
        grants: Grants::Role(role),
    };
    let reaches = match assignee.complaint_reach() {
        Some(reach) if assignee.may(Permission::HandleComplaints) => {
            in_reach(conn, id, &reach).await? == Some(true)
        }
        _ => false,
    };
    if reaches {
        Ok(())
    } else {
        Err(refuse(&format!(
            "({role}) does not handle this complaint: it is routed to another office"
        )))
    }
}
