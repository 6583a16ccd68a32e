//! The staff queue, and reading one complaint (its sealed content opened).

use trustgate_access::Permission;

use super::{
    Complaint, ComplaintEvent, ComplaintId, ComplaintNote, ComplaintObligation, ContentRecord,
    Queue, QueuedComplaint, disposition_of, in_reach, status_of,
};
use crate::integrity::{complaint_read, returned_complaints};
use crate::obligations::obligation_of_row;
use crate::sql::{Conn, query};
use crate::writer::{Audit, Operation};
use crate::{Actor, ComplaintReach, Keyring, Principal, Store, StoreError, db};
use trustgate_audit::State;

/// At most this many complaints in one queue, newest first.
pub(crate) const QUEUE_LIMIT: i64 = 500;

impl Store {
    /// The complaints within the caller's reach, newest first, narrowed by
    /// `queue` (audited as `list` of `complaints`, with what was returned).
    pub async fn complaint_queue(
        &self,
        who: &Principal,
        queue: Queue,
    ) -> Result<Vec<QueuedComplaint>, StoreError> {
        let reach = self
            .complaint_reach(who, Permission::ReadComplaints)
            .await?;
        self.run(ListComplaints {
            actor: who.actor().clone(),
            reach,
            queue,
        })
        .await
    }

    /// One complaint with its sealed content opened, its history, notes and
    /// duties (audited as `read` of `complaint/<id>`). One outside the
    /// caller's reach looks missing, and the attempt is audited
    /// (`read-denied`).
    pub async fn read_complaint(
        &self,
        who: &Principal,
        id: ComplaintId,
    ) -> Result<Complaint, StoreError> {
        let reach = self
            .complaint_reach(who, Permission::ReadComplaints)
            .await?;
        self.run(ReadComplaint {
            actor: who.actor().clone(),
            reach,
            id,
        })
        .await?
        .ok_or_else(|| StoreError::NotFound(id.object()))
    }
}

/// Lists complaints (audited as `list` of `complaints`).
#[derive(Debug)]
pub(crate) struct ListComplaints {
    actor: Actor,
    reach: ComplaintReach,
    queue: Queue,
}

impl Operation for ListComplaints {
    type Output = Vec<QueuedComplaint>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<QueuedComplaint>, StoreError> {
        let reach_office = match &self.reach {
            ComplaintReach::All => None,
            ComplaintReach::Office(o) => Some(*o),
        };
        let q = &self.queue;
        let rows = query(
            "SELECT c.id, c.against, c.occurred_on, c.filed_on, c.created_ms, c.status, \
             c.disposition, c.assigned_to, \
             (SELECT COUNT(*) FROM complaint_obligations o \
              WHERE o.complaint_id = c.id AND o.fulfilled_ms IS NULL), \
             (SELECT COUNT(*) FROM complaint_obligations o \
              WHERE o.complaint_id = c.id AND o.fulfilled_ms IS NULL AND o.due_ms < $3) \
             FROM complaints c \
             WHERE ($1 IS NULL OR EXISTS (SELECT 1 FROM complaint_obligations o \
                    WHERE o.complaint_id = c.id AND o.office = $1)) \
             AND ($2 IS NULL OR EXISTS (SELECT 1 FROM complaint_obligations o \
                    WHERE o.complaint_id = c.id AND o.office = $2)) \
             AND ($3 IS NULL OR EXISTS (SELECT 1 FROM complaint_obligations o \
                    WHERE o.complaint_id = c.id AND o.fulfilled_ms IS NULL AND o.due_ms < $3)) \
             AND ($4 = 0 OR c.status <> 'closed') \
             ORDER BY c.id DESC LIMIT $5",
        )
        .bind(reach_office)
        .bind(q.office.as_deref())
        .bind(q.overdue_at_ms)
        .bind(i64::from(q.open_only))
        .bind(QUEUE_LIMIT)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        let mut list = rows
            .iter()
            .map(|r| {
                Ok(QueuedComplaint {
                    id: ComplaintId(r.try_get(0).map_err(db)?),
                    against: r.try_get(1).map_err(db)?,
                    occurred_on: r.try_get(2).map_err(db)?,
                    filed_on: r.try_get(3).map_err(db)?,
                    filed_ms: r.try_get(4).map_err(db)?,
                    status: status_of(&r.try_get::<String>(5).map_err(db)?)?,
                    disposition: disposition_of(r.try_get(6).map_err(db)?)?,
                    assigned_to: r.try_get(7).map_err(db)?,
                    offices: Vec::new(),
                    open_duties: r.try_get(8).map_err(db)?,
                    overdue_duties: r.try_get(9).map_err(db)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Their offices: the listed ids lie between the first and the last.
        if let (Some(newest), Some(oldest)) = (list.first(), list.last()) {
            let routes = query(
                "SELECT complaint_id, office FROM complaint_obligations \
                 WHERE complaint_id >= $1 AND complaint_id <= $2 ORDER BY complaint_id, id",
            )
            .bind(oldest.id.0)
            .bind(newest.id.0)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            for r in &routes {
                let id = ComplaintId(r.try_get(0).map_err(db)?);
                let office: String = r.try_get(1).map_err(db)?;
                if let Some(c) = list.iter_mut().find(|c| c.id == id)
                    && !c.offices.contains(&office)
                {
                    c.offices.push(office);
                }
            }
        }
        let detail = format!(
            "{}{}{}",
            reach_office.unwrap_or("all"),
            q.office
                .as_deref()
                .map(|o| format!(" office {o}"))
                .unwrap_or_default(),
            match (q.open_only, q.overdue_at_ms) {
                (_, Some(_)) => " overdue",
                (true, None) => " open",
                (false, None) => "",
            }
        );
        let state = State::Returned {
            digest: returned_complaints(&list),
        };
        audit
            .append_state(
                conn,
                &self.actor,
                "list",
                "complaints".into(),
                &detail,
                state,
            )
            .await?;
        Ok(list)
    }
}

/// Reads one complaint (audited as `read`, or `read-denied` when out of
/// reach: then `None`).
#[derive(Debug)]
pub(crate) struct ReadComplaint {
    actor: Actor,
    reach: ComplaintReach,
    id: ComplaintId,
}

impl Operation for ReadComplaint {
    type Output = Option<Complaint>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Option<Complaint>, StoreError> {
        let (actor, id) = (&self.actor, self.id);
        match in_reach(conn, id, &self.reach).await? {
            None => return Err(StoreError::NotFound(id.object())),
            Some(false) => {
                audit
                    .append(conn, actor, "read-denied", id.object(), "")
                    .await?;
                return Ok(None);
            }
            Some(true) => {}
        }
        let complaint = load_complaint(conn, id, audit.keyring).await?;
        let state = complaint_read(conn, id.0).await?;
        audit
            .append_state(conn, actor, "read", id.object(), "", state)
            .await?;
        Ok(Some(complaint))
    }
}

/// A complaint as stored, its content opened with `keyring` if it can be.
pub(crate) async fn load_complaint(
    conn: &mut Conn,
    id: ComplaintId,
    keyring: Option<&Keyring>,
) -> Result<Complaint, StoreError> {
    let r = query(
        "SELECT against, occurred_on, filed_on, language, content_key, content_sealed, status, \
         disposition, assigned_to, created_by, created_ms FROM complaints WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::NotFound(id.object()))?;
    let key: String = r.try_get(4).map_err(db)?;
    let sealed: Vec<u8> = r.try_get(5).map_err(db)?;
    let history = query(
        "SELECT status, disposition, notice, changed_by, at_ms FROM complaint_events \
         WHERE complaint_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|e| {
        Ok(ComplaintEvent {
            status: status_of(&e.try_get::<String>(0).map_err(db)?)?,
            disposition: disposition_of(e.try_get(1).map_err(db)?)?,
            notice: e.try_get(2).map_err(db)?,
            by: Actor::new(e.try_get::<String>(3).map_err(db)?),
            at_ms: e.try_get(4).map_err(db)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let notes = query(
        "SELECT note, written_by, at_ms FROM complaint_notes WHERE complaint_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|n| {
        Ok(ComplaintNote {
            note: n.try_get(0).map_err(db)?,
            by: Actor::new(n.try_get::<String>(1).map_err(db)?),
            at_ms: n.try_get(2).map_err(db)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    // The columns in `obligation_of_row`'s order, then the office.
    let obligations = query(
        "SELECT id, obligation, law, duty, due, fulfilled_ms, fulfilled_by, fulfilment_note, \
         due_ms, office FROM complaint_obligations WHERE complaint_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|o| {
        Ok(ComplaintObligation {
            obligation: obligation_of_row(o)?,
            office: o.try_get(9).map_err(db)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Complaint {
        id,
        against: r.try_get(0).map_err(db)?,
        occurred_on: r.try_get(1).map_err(db)?,
        filed_on: r.try_get(2).map_err(db)?,
        language: r.try_get(3).map_err(db)?,
        content: open_content(keyring, &key, id, &sealed),
        status: status_of(&r.try_get::<String>(6).map_err(db)?)?,
        disposition: disposition_of(r.try_get(7).map_err(db)?)?,
        assigned_to: r.try_get(8).map_err(db)?,
        filed_by: Actor::new(r.try_get::<String>(9).map_err(db)?),
        filed_ms: r.try_get(10).map_err(db)?,
        history,
        notes,
        obligations,
    })
}

/// Opens a complaint's sealed content, or says why it cannot be read.
fn open_content(
    keyring: Option<&Keyring>,
    key: &str,
    id: ComplaintId,
    sealed: &[u8],
) -> ContentRecord {
    let Some(keyring) = keyring else {
        return ContentRecord::Unreadable(format!(
            "sealed under data key `{key}`; the server has no keyring"
        ));
    };
    match keyring.open(key, &id.object(), sealed) {
        Ok(plain) => match serde_json::from_slice(&plain) {
            Ok(c) => ContentRecord::Known(c),
            Err(e) => ContentRecord::Unreadable(format!("opened, but not a complaint: {e}")),
        },
        Err(e) => ContentRecord::Unreadable(e.to_string()),
    }
}
