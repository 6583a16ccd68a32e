//! Recording a contact: its row, its sealed person, its compliance
//! exceptions, its obligations, the report counters, and its `create` entry.

use crate::contacts::{Checked, ContactId, Recorded, check, seal_person};
use crate::integrity::contact_after;
use crate::reports::{check_late_entry, count_for_reports};
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Store, StoreError, db};
use trustgate_access::Permission;

impl Store {
    /// Records a contact taken in (audited as `create`), with the
    /// compliance exceptions, routing and obligations its intake derived.
    pub async fn record_contact(
        &self,
        who: &Principal,
        contact: trustgate_records::Intake,
    ) -> Result<Recorded, StoreError> {
        self.permit(who, Permission::RecordContact).await?;
        let actor = who.actor();
        if contact.contact().person.is_some() && self.shared.keyring.is_none() {
            return Err(StoreError::Field {
                field: "person",
                message: "personal data cannot be kept: the operator has set no data key \
                          (trustgate serve --data-keys FILE), and it is never stored in the clear"
                    .into(),
            });
        }
        let place = self.shared.place.as_deref().ok_or_else(|| {
            StoreError::Invalid(
                "no place is set for this store (Store::with_place): it cannot check a receiving unit"
                    .into(),
            )
        })?;
        let checked = check(contact, place)?;
        let actor = actor.clone();
        self.run(RecordContact { actor, checked }).await
    }
}

/// Records a checked contact (audited as `create` of `contact/<id>`).
#[derive(Debug)]
pub(crate) struct RecordContact {
    actor: Actor,
    checked: Checked,
}

impl Operation for RecordContact {
    type Output = Recorded;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<Recorded, StoreError> {
        insert_contact(conn, &self.actor, &self.checked, audit).await
    }
}

/// How far ahead of the store's clock a contact may say it came in (the
/// recording device's clock may run a little fast).
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// A contact came in between the ordinance's passage (the first reporting
/// period's first day; nothing before it is counted) and now, give or take
/// [`CLOCK_SKEW_MS`]: a year 0000 or 9999 would land outside every report.
fn check_received(at: i64, now: i64) -> Result<(), StoreError> {
    let (y, m, d) = trustgate_report::PASSAGE;
    let began = trustgate_report::Period::nth(1).map_or(i64::MIN, |p| p.utc_ms().0);
    if at > now.saturating_add(CLOCK_SKEW_MS) {
        return Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it is {} minutes in the future: a contact is recorded when or after it came in",
                (at - now) / 60_000
            ),
        });
    }
    if at < began {
        return Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it is before the records began ({y:04}-{m:02}-{d:02}, when the ordinance passed)"
            ),
        });
    }
    Ok(())
}

async fn insert_contact(
    conn: &mut Conn,
    actor: &Actor,
    checked: &Checked,
    audit: &mut Audit<'_>,
) -> Result<Recorded, StoreError> {
    let (now, keyring) = (audit.now, audit.keyring);
    let Checked {
        contact: c,
        scenario,
        acts_done_json,
        prohibited,
        routed_to,
        obligations,
    } = checked;
    if let Some(at) = c.received_ms {
        check_received(at, now)?;
    }
    let late_into =
        check_late_entry(conn, c.received_ms.unwrap_or(now), c.late_entry.as_deref()).await?;
    let id: i64 = query_scalar(
        "INSERT INTO contacts (kind, channel, receiving_unit, received_ms, scenario, decision, \
         acts_done, compliance_exception, created_by, created_ms, done_by, withheld, late_entry) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(c.kind.as_str())
    .bind(c.channel.as_str())
    .bind(&c.receiving_unit)
    .bind(c.received_ms.unwrap_or(now))
    .bind(&c.scenario)
    .bind(&c.decision)
    .bind(acts_done_json)
    .bind(!prohibited.is_empty())
    .bind(actor.as_str())
    .bind(now)
    .bind(&c.done_by)
    .bind(&c.withheld)
    .bind(&c.late_entry)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let id = ContactId(id);
    if let Some(person) = &c.person {
        let keyring = keyring.ok_or_else(|| StoreError::Invalid("no keyring is set".into()))?;
        let plain = serde_json::to_vec(person).map_err(db)?;
        seal_person(conn, keyring, id, &plain).await?;
    }
    for act in prohibited {
        query(
            "INSERT INTO compliance_exceptions (contact_id, act, flagged_ms, routed_to) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(act)
        .bind(now)
        .bind(routed_to.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    for o in obligations {
        // A duty to record the contact for the report is performed by this
        // very record: it is kept as fulfilled, by the recorder, now.
        let performed = o.performed_by_recording;
        query(
            "INSERT INTO obligations (contact_id, obligation, law, duty, due, due_ms, \
             fulfilled_ms, fulfilled_by, fulfilment_note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.0)
        .bind(&o.id)
        .bind(&o.law)
        .bind(&o.duty)
        .bind(&o.due)
        .bind(o.due_ms)
        .bind(performed.then_some(now))
        .bind(performed.then(|| actor.as_str().to_owned()))
        .bind(performed.then_some(trustgate_records::PERFORMED_BY_RECORDING))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    count_for_reports(
        conn,
        &trustgate_report::ContactRow {
            id: id.0,
            kind: c.kind.as_str().to_owned(),
            channel: c.channel.as_str().to_owned(),
            receiving_unit: c.receiving_unit.clone(),
            received_ms: c.received_ms.unwrap_or(now),
            scenario: scenario.clone(),
            acts_done: c.acts_done.clone(),
            withheld: c.withheld.clone(),
            late_entry: c.late_entry.is_some(),
        },
        1,
    )
    .await?;
    let detail = match late_into {
        // A late entry changes a published report: the log says which.
        Some(n) => format!("{} late-entry period-{n}", create_detail(prohibited))
            .trim_start()
            .to_owned(),
        None => create_detail(prohibited).to_owned(),
    };
    let state = contact_after(conn, id).await?;
    audit
        .append_state(conn, actor, "create", id.object(), &detail, state)
        .await?;
    Ok(Recorded {
        id,
        prohibited: prohibited.clone(),
        routed_to: *routed_to,
        obligations: obligations.iter().map(|o| o.id.clone()).collect(),
    })
}

/// The audit detail of a `create`: whether it was flagged (no personal data).
pub(crate) fn create_detail(prohibited: &[String]) -> &'static str {
    if prohibited.is_empty() {
        ""
    } else {
        "compliance-exception"
    }
}
