//! Complaints (2.129.050): filed by the public principal, followed by their
//! tracking code, handled by the offices the law routes them to. The
//! meaning (fields, routing, lifecycle, code) is `trustgate_records`'s;
//! this module keeps it. Every operation checks its permission and the
//! caller's reach itself and appends its audit entry (`complaint/<id>`,
//! with the record's digest): filing and following (`file.rs`), the queue
//! and reading one (`read.rs`), and handling (`handle.rs`).

use std::fmt;

use trustgate_access::Permission;
use trustgate_records::{ComplaintContent, ComplaintStatus, Disposition};

use crate::{Actor, ComplaintReach, ObligationRecord, Principal, Store, StoreError};

mod file;
mod handle;
mod read;

/// A complaint's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComplaintId(pub i64);

impl ComplaintId {
    /// How audit entries name it: `complaint/<id>`.
    pub fn object(self) -> String {
        format!("complaint/{}", self.0)
    }
}

impl fmt::Display for ComplaintId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What filing found: the new complaint and the offices the law sent it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub id: ComplaintId,
    pub offices: Vec<String>,
}

/// What the complainant sees with their code: where the complaint stands,
/// when, and what they were told. Never its content, nor who handled it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicStatus {
    pub status: ComplaintStatus,
    pub disposition: Option<Disposition>,
    /// `YYYY-MM-DD`.
    pub filed_on: String,
    /// Each change of status, oldest first: the filing (no notice), then
    /// each change with its notice.
    pub history: Vec<Notice>,
}

/// A change of status as the complainant sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub status: ComplaintStatus,
    pub disposition: Option<Disposition>,
    pub at_ms: i64,
    pub notice: Option<String>,
}

/// Which complaints a queue lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Only those routed to this office (within the caller's reach).
    pub office: Option<String>,
    /// Only those not closed.
    pub open_only: bool,
    /// Only those with a duty not fulfilled that fell due before this
    /// instant (UTC ms).
    pub overdue_at_ms: Option<i64>,
}

/// A complaint in a queue: enough to triage it, nothing sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedComplaint {
    pub id: ComplaintId,
    pub against: String,
    pub occurred_on: String,
    pub filed_on: String,
    pub filed_ms: i64,
    pub status: ComplaintStatus,
    pub disposition: Option<Disposition>,
    pub assigned_to: Option<String>,
    /// The offices it is routed to, in the law's order.
    pub offices: Vec<String>,
    /// Duties not yet fulfilled.
    pub open_duties: i64,
    /// Of those, how many fell due before the queue's `overdue_at_ms`.
    pub overdue_duties: i64,
}

/// A complaint's sealed content as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentRecord {
    /// Opened with the keyring.
    Known(ComplaintContent),
    /// Not readable here: the key is not in the keyring, or the ciphertext
    /// was altered. Says which.
    Unreadable(String),
}

/// A change of status, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintEvent {
    pub status: ComplaintStatus,
    pub disposition: Option<Disposition>,
    pub notice: Option<String>,
    pub by: Actor,
    pub at_ms: i64,
}

/// An internal note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintNote {
    pub note: String,
    pub by: Actor,
    pub at_ms: i64,
}

/// A duty the law attaches to a complaint, with the office it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintObligation {
    pub office: String,
    pub obligation: ObligationRecord,
}

/// A complaint, as its handlers read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: ComplaintId,
    pub against: String,
    pub occurred_on: String,
    pub filed_on: String,
    pub language: Option<String>,
    pub content: ContentRecord,
    pub status: ComplaintStatus,
    pub disposition: Option<Disposition>,
    pub assigned_to: Option<String>,
    pub filed_by: Actor,
    pub filed_ms: i64,
    pub history: Vec<ComplaintEvent>,
    pub notes: Vec<ComplaintNote>,
    pub obligations: Vec<ComplaintObligation>,
}

impl Store {
    /// Lets `who` do `p` on complaints, and says which complaints it
    /// reaches (handling needs reading too); else audits the refusal.
    async fn complaint_reach(
        &self,
        who: &Principal,
        p: Permission,
    ) -> Result<ComplaintReach, StoreError> {
        self.permit(who, p).await?;
        self.permit(who, Permission::ReadComplaints).await?;
        match who.complaint_reach() {
            Some(reach) => Ok(reach),
            None => {
                // A role with the permission but no office to read.
                self.record_denial(who.actor(), "permission/complaints:read")
                    .await?;
                Err(StoreError::Forbidden(Permission::ReadComplaints))
            }
        }
    }
}

/// A stored status or disposition that is not on the closed list was
/// written outside the store.
fn status_of(s: &str) -> Result<ComplaintStatus, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("complaint status: {e}")))
}

fn disposition_of(s: Option<String>) -> Result<Option<Disposition>, StoreError> {
    s.map(|d| {
        d.parse()
            .map_err(|e| StoreError::Corrupt(format!("complaint disposition: {e}")))
    })
    .transpose()
}

/// Whether complaint `id` is stored (`None` if not) and within `reach`.
async fn in_reach(
    conn: &mut crate::sql::Conn,
    id: ComplaintId,
    reach: &ComplaintReach,
) -> Result<Option<bool>, StoreError> {
    use crate::sql::query_scalar;
    let stored: i64 = query_scalar("SELECT COUNT(*) FROM complaints WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(crate::db)?;
    if stored == 0 {
        return Ok(None);
    }
    let ComplaintReach::Office(office) = reach else {
        return Ok(Some(true));
    };
    let routed: i64 = query_scalar(
        "SELECT COUNT(*) FROM complaint_obligations WHERE complaint_id = $1 AND office = $2",
    )
    .bind(id.0)
    .bind(*office)
    .fetch_one(&mut *conn)
    .await
    .map_err(crate::db)?;
    Ok(Some(routed > 0))
}
