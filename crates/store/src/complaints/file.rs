//! Filing a complaint, and following it by its tracking code: the two
//! things the public principal may do.

use sha2::{Digest as _, Sha256};
use trustgate_access::Permission;
use trustgate_audit::State;
use trustgate_records::{Filing, TrackingCode};

use super::{ComplaintId, Filed, Notice, PublicStatus, disposition_of, status_of};
use crate::integrity::{complaint_after, complaint_read};
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Store, StoreError, db};

/// What is kept of a tracking code: its SHA-256, as session tokens are
/// kept. 95 random bits need no slow hash; the code itself is never stored.
fn code_hash(code: &TrackingCode) -> Vec<u8> {
    Sha256::digest(code.canonical().as_bytes()).to_vec()
}

impl Store {
    /// Keeps a complaint filed (audited as `create` of `complaint/<id>`,
    /// with the offices it is routed to): its content sealed under the
    /// current data key, its code as a hash, a duty per office the law
    /// sends it to. The caller draws `code` from the OS and gives it to the
    /// complainant; it is the only way back to the complaint.
    pub async fn file_complaint(
        &self,
        who: &Principal,
        filing: Filing,
        code: &TrackingCode,
    ) -> Result<Filed, StoreError> {
        self.permit(who, Permission::FileComplaints).await?;
        if self.shared.keyring.is_none() {
            return Err(StoreError::Invalid(
                "complaints cannot be taken: the operator has set no data key \
                 (trustgate serve --data-keys FILE), and a complaint is never stored in the clear"
                    .into(),
            ));
        }
        self.run(FileComplaint {
            actor: who.actor().clone(),
            filing,
            code_hash: code_hash(code),
        })
        .await
    }

    /// Where the complaint with this code stands, as its complainant sees
    /// it (audited as `read-status` of `complaint/<id>`; a code that
    /// matches none as `status-not-found` of `complaints`, then
    /// [`StoreError::NotFound`]).
    pub async fn complaint_status(
        &self,
        who: &Principal,
        code: &TrackingCode,
    ) -> Result<PublicStatus, StoreError> {
        self.permit(who, Permission::FileComplaints).await?;
        self.run(ReadStatus {
            actor: who.actor().clone(),
            code_hash: code_hash(code),
        })
        .await?
        .ok_or_else(|| StoreError::NotFound("complaint".into()))
    }
}

/// Keeps a filed complaint (audited as `create` of `complaint/<id>`).
pub(crate) struct FileComplaint {
    actor: Actor,
    filing: Filing,
    code_hash: Vec<u8>,
}

impl std::fmt::Debug for FileComplaint {
    /// Neither the content nor the code's hash: a queued operation may be
    /// shown in an error.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileComplaint")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

impl Operation for FileComplaint {
    type Output = Filed;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<Filed, StoreError> {
        let (f, actor, now) = (&self.filing, &self.actor, audit.now);
        let keyring = audit
            .keyring
            .ok_or_else(|| StoreError::Invalid("no keyring is set".into()))?;
        let taken: i64 = query_scalar("SELECT COUNT(*) FROM complaints WHERE code_hash = $1")
            .bind(&self.code_hash)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        if taken > 0 {
            // 95 random bits: only a caller reusing a code gets here.
            return Err(StoreError::Conflict(
                "this tracking code is taken: draw another".into(),
            ));
        }
        // The content is sealed bound to the record's name, so the id
        // comes first; the row is complete before the transaction ends.
        let id: i64 = query_scalar(
            "INSERT INTO complaints (code_hash, against, occurred_on, filed_on, language, \
             content_key, content_sealed, status, created_by, created_ms) \
             VALUES ($1, $2, $3, $4, $5, '', $6, 'received', $7, $8) RETURNING id",
        )
        .bind(&self.code_hash)
        .bind(f.against())
        .bind(f.occurred_on())
        .bind(f.filed_on())
        .bind(f.language())
        .bind(Vec::<u8>::new())
        .bind(actor.as_str())
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        let id = ComplaintId(id);
        let plain = serde_json::to_vec(f.content()).map_err(db)?;
        let (key, sealed) = keyring
            .seal(&id.object(), &plain)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        query("UPDATE complaints SET content_key = $1, content_sealed = $2 WHERE id = $3")
            .bind(&key)
            .bind(&sealed)
            .bind(id.0)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        query(
            "INSERT INTO complaint_events (complaint_id, status, changed_by, at_ms) \
             VALUES ($1, 'received', $2, $3)",
        )
        .bind(id.0)
        .bind(actor.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        for d in f.duties() {
            let o = &d.opened;
            query(
                "INSERT INTO complaint_obligations (complaint_id, obligation, law, duty, due, \
                 office, due_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id.0)
            .bind(&o.id)
            .bind(&o.law)
            .bind(&o.duty)
            .bind(&o.due)
            .bind(&d.office)
            .bind(o.due_ms)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        }
        let offices: Vec<String> = f.offices().into_iter().map(str::to_owned).collect();
        let state = complaint_after(conn, id.0).await?;
        audit
            .append_state(
                conn,
                actor,
                "create",
                id.object(),
                &offices.join(" "),
                state,
            )
            .await?;
        Ok(Filed { id, offices })
    }
}

/// Reads a complaint's public status by its code's hash.
pub(crate) struct ReadStatus {
    actor: Actor,
    code_hash: Vec<u8>,
}

impl std::fmt::Debug for ReadStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadStatus")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

impl Operation for ReadStatus {
    type Output = Option<PublicStatus>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Option<PublicStatus>, StoreError> {
        let actor = &self.actor;
        let row =
            query("SELECT id, status, disposition, filed_on FROM complaints WHERE code_hash = $1")
                .bind(&self.code_hash)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let Some(row) = row else {
            // Guessing shows in the log; the code guessed does not.
            audit
                .append(conn, actor, "status-not-found", "complaints".into(), "")
                .await?;
            return Ok(None);
        };
        let id = ComplaintId(row.try_get(0).map_err(db)?);
        let history = query(
            "SELECT status, disposition, at_ms, notice FROM complaint_events \
             WHERE complaint_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            Ok(Notice {
                status: status_of(&r.try_get::<String>(0).map_err(db)?)?,
                disposition: disposition_of(r.try_get(1).map_err(db)?)?,
                at_ms: r.try_get(2).map_err(db)?,
                notice: r.try_get(3).map_err(db)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let status = PublicStatus {
            status: status_of(&row.try_get::<String>(1).map_err(db)?)?,
            disposition: disposition_of(row.try_get(2).map_err(db)?)?,
            filed_on: row.try_get(3).map_err(db)?,
            history,
        };
        let state: State = complaint_read(conn, id.0).await?;
        audit
            .append_state(conn, actor, "read-status", id.object(), "", state)
            .await?;
        Ok(Some(status))
    }
}
