//! Reading contacts: one with everything it carries, a page of them, and
//! one with its audit trail.

use crate::contacts::personal::open_person;
use crate::contacts::{Contact, ContactId, ContactSummary, NewContact, Page, acts_from_json};
use crate::exceptions::exceptions;
use crate::integrity::contact_read;
use crate::obligations::obligation_of_row;
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{
    Actor, NewReimbursement, Principal, Reach, Reimbursement, Store, StoreError, StoredEntry, db,
    parse_stored,
};
use trustgate_audit::State;

impl Store {
    /// Reads a contact with its exceptions, obligations and reimbursements
    /// (audited as `read`). A missing one is [`StoreError::NotFound`] and
    /// appends nothing; one out of `reach` looks missing too, but the attempt
    /// is audited as `read-denied`. The reach is the principal's own.
    pub async fn read_contact(
        &self,
        who: &Principal,
        id: ContactId,
    ) -> Result<Contact, StoreError> {
        let reach = self.reach(who).await?;
        let actor = who.actor().clone();
        match self.run(ReadContact { actor, id, reach }).await? {
            Some(c) => Ok(c),
            None => Err(StoreError::NotFound(id.object())),
        }
    }

    /// A contact read with its audit trail (the entries about it, oldest
    /// first, at most `limit`), for its page: whoever may read the contact
    /// may see who else did. Audited as the contact's read.
    pub async fn read_contact_with_trail(
        &self,
        who: &Principal,
        id: ContactId,
        limit: u32,
    ) -> Result<(Contact, Vec<StoredEntry>), StoreError> {
        let contact = self.read_contact(who, id).await?;
        let trail = self
            .shared
            .backend
            .audit_trail(&id.object(), i64::from(limit))
            .await?;
        Ok((contact, trail))
    }

    /// Lists contacts, newest first (audited as `list` of `contacts`).
    pub async fn list_contacts(
        &self,
        who: &Principal,
        page: Page,
    ) -> Result<Vec<ContactSummary>, StoreError> {
        let reach = self.reach(who).await?;
        let actor = who.actor().clone();
        self.run(ListContacts { actor, reach, page }).await
    }

    /// A page of kept decisions, oldest first, after `after` (at most
    /// `limit`, capped at 500): what `trustgate replay` reads. Needs
    /// [`Permission::ReadAllContacts`]; each page is audited (`list` of
    /// `contacts`, detail `replay`).
    pub async fn kept_decisions(
        &self,
        who: &Principal,
        after: Option<ContactId>,
        limit: u32,
    ) -> Result<Vec<KeptDecision>, StoreError> {
        self.permit(who, trustgate_access::Permission::ReadAllContacts)
            .await?;
        let actor = who.actor().clone();
        self.run(KeptDecisions {
            actor,
            after,
            limit: limit.min(500),
        })
        .await
    }

    /// How many contacts someone other than `actor` recorded (the synthetic
    /// generator writes only into a database that holds nothing real).
    /// Not audited: it reads no record.
    pub async fn contacts_not_recorded_by(&self, actor: &Actor) -> Result<i64, StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        contacts_not_by(&mut conn, actor.as_str()).await
    }
}

/// Reads one contact (audited as `read`, or `read-denied` when out of the
/// reader's reach: then `None`, and the caller says it is missing).
#[derive(Debug)]
pub(crate) struct ReadContact {
    actor: Actor,
    id: ContactId,
    reach: Reach,
}

impl Operation for ReadContact {
    type Output = Option<Contact>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Option<Contact>, StoreError> {
        let (actor, id, reach) = (&self.actor, self.id, self.reach);
        let Some(owner) = owner_of(conn, id).await? else {
            return Err(StoreError::NotFound(id.object()));
        };
        if reach == Reach::Own && owner != actor.as_str() {
            audit
                .append(conn, actor, "read-denied", id.object(), "")
                .await?;
            return Ok(None);
        }
        let contact = read_contact(conn, id, audit.keyring).await?;
        let state = contact_read(conn, id).await?;
        audit
            .append_state(conn, actor, "read", id.object(), "", state)
            .await?;
        Ok(Some(contact))
    }
}

/// A page of contacts (audited as `list` of `contacts`, with the digest of
/// what it returned).
#[derive(Debug)]
pub(crate) struct ListContacts {
    actor: Actor,
    reach: Reach,
    page: Page,
}

impl Operation for ListContacts {
    type Output = Vec<ContactSummary>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<ContactSummary>, StoreError> {
        let (actor, reach, page) = (&self.actor, self.reach, self.page);

        let list = list_contacts(conn, actor, reach, page).await?;
        let detail = match reach {
            Reach::Own => "own",
            Reach::All => "all",
        };
        let state = State::Returned {
            digest: crate::integrity::returned_contacts(&list),
        };
        audit
            .append_state(conn, actor, "list", "contacts".into(), detail, state)
            .await?;
        Ok(list)
    }
}

/// A contact's kept scenario and decision, with the acts done: what replay
/// compares with the law as read now (`trustgate_records::replay`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptDecision {
    pub id: ContactId,
    /// As kept (`trustgate_records::scenario::parse` reads it).
    pub scenario: String,
    /// As kept (`trustgate_records::StoredDecision::parse` reads it).
    pub decision: String,
    pub acts_done: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct KeptDecisions {
    actor: Actor,
    after: Option<ContactId>,
    limit: u32,
}

impl Operation for KeptDecisions {
    type Output = Vec<KeptDecision>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<KeptDecision>, StoreError> {
        let rows = query(
            "SELECT id, scenario, decision, acts_done FROM contacts \
             WHERE ($1 IS NULL OR id > $1) ORDER BY id LIMIT $2",
        )
        .bind(self.after.map(|a| a.0))
        .bind(i64::from(self.limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        let kept = rows
            .iter()
            .map(|r| {
                let acts: String = r.try_get(3).map_err(db)?;
                Ok(KeptDecision {
                    id: ContactId(r.try_get(0).map_err(db)?),
                    scenario: r.try_get(1).map_err(db)?,
                    decision: r.try_get(2).map_err(db)?,
                    acts_done: acts_from_json(&acts)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        audit
            .append(conn, &self.actor, "list", "contacts".into(), "replay")
            .await?;
        Ok(kept)
    }
}

/// How many contacts someone other than `actor` recorded (not audited).
async fn contacts_not_by(conn: &mut Conn, actor: &str) -> Result<i64, StoreError> {
    query_scalar("SELECT COUNT(*) FROM contacts WHERE created_by <> $1")
        .bind(actor)
        .fetch_one(conn)
        .await
        .map_err(db)
}

pub(crate) async fn owner_of(conn: &mut Conn, id: ContactId) -> Result<Option<String>, StoreError> {
    query_scalar("SELECT created_by FROM contacts WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)
}

async fn read_contact(
    conn: &mut Conn,
    id: ContactId,
    keyring: Option<&crate::Keyring>,
) -> Result<Contact, StoreError> {
    let row = query(
        "SELECT kind, channel, receiving_unit, received_ms, scenario, decision, acts_done, \
         compliance_exception, created_by, created_ms, person_key, person_sealed, done_by, \
         withheld, late_entry FROM contacts WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::NotFound(id.object()))?;
    let exceptions = exceptions(conn, Some(id), None).await?;
    let mut prohibited: Vec<String> = exceptions.iter().map(|e| e.act.clone()).collect();
    // Sorted here, not by the database's collation.
    prohibited.sort();
    let obligations = query(
        "SELECT id, obligation, law, duty, due, fulfilled_ms, fulfilled_by, fulfilment_note, due_ms \
         FROM obligations WHERE contact_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(obligation_of_row)
    .collect::<Result<Vec<_>, StoreError>>()?;
    let reimbursements = query(
        "SELECT id, amount_cents, received_on, reference, recorded_by, recorded_ms \
         FROM reimbursements WHERE contact_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        Ok(Reimbursement {
            id: r.try_get(0).map_err(db)?,
            reimbursement: NewReimbursement {
                amount_cents: r.try_get(1).map_err(db)?,
                received_on: r.try_get(2).map_err(db)?,
                reference: r.try_get(3).map_err(db)?,
            },
            recorded_by: Actor::new(r.try_get::<String>(4).map_err(db)?),
            recorded_ms: r.try_get(5).map_err(db)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let kind: String = row.try_get(0).map_err(db)?;
    let channel: String = row.try_get(1).map_err(db)?;
    let received_ms: Option<i64> = row.try_get(3).map_err(db)?;
    let acts: String = row.try_get(6).map_err(db)?;
    let created_ms: i64 = row.try_get(9).map_err(db)?;
    let person_key: Option<String> = row.try_get(10).map_err(db)?;
    let person_sealed: Option<Vec<u8>> = row.try_get(11).map_err(db)?;
    let person = match (person_key, person_sealed) {
        (Some(key), Some(sealed)) => Some(open_person(keyring, &key, id, &sealed)),
        _ => None,
    };
    Ok(Contact {
        id,
        contact: NewContact {
            kind: parse_stored(&kind)?,
            channel: parse_stored(&channel)?,
            receiving_unit: row.try_get(2).map_err(db)?,
            // Contacts recorded before 0002 arrived when they were recorded.
            received_ms: Some(received_ms.unwrap_or(created_ms)),
            scenario: row.try_get(4).map_err(db)?,
            decision: row.try_get(5).map_err(db)?,
            acts_done: acts_from_json(&acts)?,
            done_by: row.try_get(12).map_err(db)?,
            withheld: row.try_get(13).map_err(db)?,
            late_entry: row.try_get(14).map_err(db)?,
            obligations_due: obligations
                .iter()
                .filter_map(|o| o.due_ms.map(|due| (o.obligation.clone(), due)))
                .collect(),
            person: None,
        },
        person,
        compliance_exception: row.try_get(7).map_err(db)?,
        prohibited_acts_done: prohibited,
        exceptions,
        obligations,
        reimbursements,
        recorded_by: Actor::new(row.try_get::<String>(8).map_err(db)?),
        recorded_ms: created_ms,
    })
}

async fn list_contacts(
    conn: &mut Conn,
    actor: &Actor,
    reach: Reach,
    page: Page,
) -> Result<Vec<ContactSummary>, StoreError> {
    let owner = match reach {
        Reach::Own => Some(actor.as_str()),
        Reach::All => None,
    };
    let rows = query(
        "SELECT c.id, c.kind, c.channel, c.receiving_unit, COALESCE(c.received_ms, c.created_ms), \
         c.compliance_exception, c.created_by, \
         (SELECT COUNT(*) FROM obligations o WHERE o.contact_id = c.id AND o.fulfilled_ms IS NULL) \
         FROM contacts c WHERE ($1 IS NULL OR c.created_by = $1) AND ($2 IS NULL OR c.id < $2) \
         AND ($4 IS NULL OR c.kind = $4) AND (NOT $5 OR c.compliance_exception) \
         AND ($6 IS NULL OR COALESCE(c.received_ms, c.created_ms) >= $6) \
         AND ($7 IS NULL OR COALESCE(c.received_ms, c.created_ms) < $7) \
         ORDER BY c.id DESC LIMIT $3",
    )
    .bind(owner)
    .bind(page.before.map(|b| b.0))
    .bind(i64::from(page.limit.min(500)))
    .bind(page.kind.map(|k| k.as_str()))
    .bind(page.exceptions_only)
    .bind(page.received.0)
    .bind(page.received.1)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(1).map_err(db)?;
            let channel: String = r.try_get(2).map_err(db)?;
            Ok(ContactSummary {
                id: ContactId(r.try_get(0).map_err(db)?),
                kind: parse_stored(&kind)?,
                channel: parse_stored(&channel)?,
                receiving_unit: r.try_get(3).map_err(db)?,
                received_ms: r.try_get(4).map_err(db)?,
                compliance_exception: r.try_get(5).map_err(db)?,
                recorded_by: Actor::new(r.try_get::<String>(6).map_err(db)?),
                open_obligations: r.try_get(7).map_err(db)?,
            })
        })
        .collect()
}
