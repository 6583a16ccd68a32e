//! What the reports read and count: the records of a stretch of time, the
//! per-day counters kept as contacts are recorded (and rebuilt on demand),
//! and which periods' reports were published, which makes a contact
//! received in one a late entry.

use trustgate_access::Permission;
use trustgate_audit::State;

use crate::contacts::ContactId;
use crate::integrity::{SQL, contact_of_row};
use crate::sql::{Conn, Row, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Db, Principal, Store, StoreError, db};

/// What a report reads of the records of one stretch of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRows {
    /// The contacts, as the report reads them (no personal data).
    pub contacts: Vec<trustgate_report::ContactRow>,
    /// (contact, amount in cents, received on YYYY-MM-DD).
    pub reimbursements: Vec<(ContactId, i64, String)>,
}

/// The per-day report counters of a stretch of days, and its reimbursements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCounts {
    /// (day YYYY-MM-DD, breakdown, key, count).
    pub counts: Vec<(String, String, String, i64)>,
    /// (contact, amount in cents, received on YYYY-MM-DD).
    pub reimbursements: Vec<(ContactId, i64, String)>,
}

impl Store {
    /// The records a report of `[from_ms, until_ms)` counts: the contacts
    /// received then, and the reimbursements received between the two days
    /// given (YYYY-MM-DD, both included). Audited as `read` of `report`.
    pub async fn report_rows(
        &self,
        who: &Principal,
        received: (i64, i64),
        reimbursed: (String, String),
    ) -> Result<ReportRows, StoreError> {
        self.permit(who, Permission::ReadAllContacts).await?;
        self.run(ReadReportRows {
            actor: who.actor().clone(),
            received,
            reimbursed,
        })
        .await
    }

    /// The report counters of the days `from_day` to `until_day` (both
    /// included, YYYY-MM-DD) and the reimbursements received then. Audited
    /// as `read` of `report`.
    ///
    /// No permission: the counters are what the public report publishes,
    /// and they name no record; the read is audited all the same.
    pub async fn report_counts(
        &self,
        who: &Principal,
        days: (String, String),
    ) -> Result<ReportCounts, StoreError> {
        self.run(ReadReportCounts {
            actor: who.actor().clone(),
            days,
        })
        .await
    }

    /// Rebuilds the report counters from every record (audited as
    /// `recount` of `report`); returns how many records were read.
    pub async fn recount_reports(&self, actor: &Actor) -> Result<i64, StoreError> {
        self.run(RecountReports {
            actor: actor.clone(),
        })
        .await
    }

    /// Records that the report of `period`, which has ended, was published
    /// (audited as `publish` of `report/period-<n>`, once): a contact
    /// received in it is from then on a late entry, which must say why and
    /// which the report counts as changing it. The operator's command does
    /// this as it publishes.
    pub async fn record_publication(
        &self,
        actor: &Actor,
        period: trustgate_report::Period,
    ) -> Result<(), StoreError> {
        self.run(Publish {
            actor: actor.clone(),
            period,
        })
        .await
    }

    /// Recounts once if the counters do not yet cover every record (a
    /// database with records from before the counters existed). Returns how
    /// many records were read, if it recounted.
    pub async fn ensure_report_counts(&self, actor: &Actor) -> Result<Option<i64>, StoreError> {
        if self.shared.backend.report_counts_complete().await? {
            return Ok(None);
        }
        self.recount_reports(actor).await.map(Some)
    }
}

impl Db {
    pub(crate) async fn report_counts_complete(&self) -> Result<bool, StoreError> {
        let complete: i64 = query_scalar("SELECT complete FROM report_counts_state WHERE id = 1")
            .fetch_one(&mut self.pool.acquire().await?)
            .await
            .map_err(db)?;
        Ok(complete == 1)
    }
}

/// The records a report of a stretch of time counts (audited as `read` of
/// `report`).
#[derive(Debug)]
pub(crate) struct ReadReportRows {
    actor: Actor,
    received: (i64, i64),
    reimbursed: (String, String),
}

impl Operation for ReadReportRows {
    type Output = ReportRows;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<ReportRows, StoreError> {
        let actor = &self.actor;
        let ((from_ms, until_ms), (from_day, until_day)) = (&self.received, &self.reimbursed);
        let contacts = query(SQL.contacts_received.as_str())
            .bind(from_ms)
            .bind(until_ms)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(report_row_of)
            .collect::<Result<Vec<_>, StoreError>>()?;
        let reimbursements = reimbursements_between(conn, from_day, until_day).await?;
        let detail = format!("{from_day} to {until_day}");
        let rows = ReportRows {
            contacts,
            reimbursements,
        };
        let state = State::Returned {
            digest: crate::integrity::returned_report_rows(&rows),
        };
        audit
            .append_state(conn, actor, "read", "report".into(), &detail, state)
            .await?;
        Ok(rows)
    }
}

/// The counters of a stretch of days (audited as `read` of `report`).
#[derive(Debug)]
pub(crate) struct ReadReportCounts {
    actor: Actor,
    days: (String, String),
}

impl Operation for ReadReportCounts {
    type Output = ReportCounts;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<ReportCounts, StoreError> {
        let (actor, (from_day, until_day)) = (&self.actor, &self.days);
        let counts = query(
            "SELECT day, breakdown, key, count FROM report_counts \
                 WHERE day >= $1 AND day <= $2 ORDER BY day, breakdown, key",
        )
        .bind(from_day)
        .bind(until_day)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(counter_of_row)
        .collect::<Result<Vec<_>, StoreError>>()?;
        let reimbursements = reimbursements_between(conn, from_day, until_day).await?;
        let detail = format!("{from_day} to {until_day}");
        let counts = ReportCounts {
            counts,
            reimbursements,
        };
        let state = State::Returned {
            digest: crate::integrity::returned_report_counts(&counts),
        };
        audit
            .append_state(conn, actor, "read", "report".into(), &detail, state)
            .await?;
        Ok(counts)
    }
}

/// Rebuilds the counters from every record (audited as `recount` of
/// `report`); answers how many records it read.
#[derive(Debug)]
pub(crate) struct RecountReports {
    actor: Actor,
}

impl Operation for RecountReports {
    type Output = i64;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<i64, StoreError> {
        let actor = &self.actor;
        query("DELETE FROM report_counts")
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        // Sum in memory first: the counters are few, the records many.
        let mut sums: std::collections::BTreeMap<(String, &'static str, String), i64> =
            std::collections::BTreeMap::new();
        let mut records = 0i64;
        {
            use futures_util::TryStreamExt as _;
            let mut rows = query(SQL.every_contact.as_str()).fetch(&mut *conn);
            while let Some(r) = rows.try_next().await.map_err(db)? {
                let row = report_row_of(&r)?;
                let (day, counters) = trustgate_report::tally(&row);
                let day = day.to_string();
                for (breakdown, key) in counters {
                    *sums.entry((day.clone(), breakdown, key)).or_default() += 1;
                }
                records += 1;
            }
        }
        for ((day, breakdown, key), n) in &sums {
            add_count(conn, day, breakdown, key, *n).await?;
        }
        query("UPDATE report_counts_state SET complete = 1 WHERE id = 1")
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        let detail = format!("{records} records");
        audit
            .append(conn, actor, "recount", "report".into(), &detail)
            .await?;
        Ok(records)
    }
}

/// Records that an ended period's report was published (audited as
/// `publish` of `report/period-<n>`, once).
#[derive(Debug)]
pub(crate) struct Publish {
    actor: Actor,
    period: trustgate_report::Period,
}

impl Operation for Publish {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, period, now) = (&self.actor, &self.period, audit.now);
        let (_, until_ms) = period.utc_ms();
        if until_ms > now {
            return Err(StoreError::Invalid(format!(
                "period {} has not ended: only an ended period's report is published as final",
                period.number
            )));
        }
        let object = publication(period.number);
        if !published(conn, &object).await? {
            let detail = format!("{} to {}", period.from, period.until);
            audit
                .append(conn, actor, "publish", object, &detail)
                .await?;
        }
        Ok(())
    }
}

/// The audit log's name for a period's published report.
fn publication(period: u32) -> String {
    format!("report/period-{period}")
}

/// Whether the log records that report as published. The log, not a table
/// of its own, says so: a publication cannot be removed without breaking
/// the log's verification.
async fn published(conn: &mut Conn, object: &str) -> Result<bool, StoreError> {
    let found: Option<i64> =
        query_scalar("SELECT seq FROM audit_log WHERE object = $1 AND action = 'publish' LIMIT 1")
            .bind(object)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    Ok(found.is_some())
}

/// A contact received in a period whose report was published is a late
/// entry: it must say why, and only such a one may.
pub(crate) async fn check_late_entry(
    conn: &mut Conn,
    received_ms: i64,
    late_entry: Option<&str>,
) -> Result<Option<u32>, StoreError> {
    let day = trustgate_report::local_date(received_ms);
    let closed = match trustgate_report::Period::containing(day) {
        Some(p) if published(conn, &publication(p.number)).await? => Some(p),
        _ => None,
    };
    match (closed, late_entry) {
        (Some(p), None) => Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it falls in period {} ({} to {}), whose report was published: recording it now changes that report. If it is a late entry, say why (`late_entry`)",
                p.number, p.from, p.until
            ),
        }),
        (None, Some(_)) => Err(StoreError::Field {
            field: "late_entry",
            message: "this contact is not a late entry (its period's report has not been published): leave `late_entry` out".into(),
        }),
        (p, _) => Ok(p.map(|p| p.number)),
    }
}

/// A contact as the report reads it, from its `contacts` row
/// (`ContactRows::report_row`, the one reader, which the verifier's
/// recount uses too).
/// One `report_counts` row read as `SELECT day, breakdown, key, count`: the
/// report's counters and the verifier's recount read it the same way.
pub(crate) fn counter_of_row(r: &Row) -> Result<(String, String, String, i64), StoreError> {
    Ok((
        r.try_get(0).map_err(db)?,
        r.try_get(1).map_err(db)?,
        r.try_get(2).map_err(db)?,
        r.try_get(3).map_err(db)?,
    ))
}

fn report_row_of(r: &Row) -> Result<trustgate_report::ContactRow, StoreError> {
    match contact_of_row(r)?.report_row() {
        (row, None) => Ok(row),
        (_, Some(e)) => Err(e),
    }
}

/// Reimbursements received between two days (YYYY-MM-DD, both included).
async fn reimbursements_between(
    conn: &mut Conn,
    from_day: &str,
    until_day: &str,
) -> Result<Vec<(ContactId, i64, String)>, StoreError> {
    query(
        "SELECT contact_id, amount_cents, received_on FROM reimbursements \
         WHERE received_on >= $1 AND received_on <= $2 ORDER BY id",
    )
    .bind(from_day)
    .bind(until_day)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        Ok((
            ContactId(r.try_get(0).map_err(db)?),
            r.try_get(1).map_err(db)?,
            r.try_get(2).map_err(db)?,
        ))
    })
    .collect()
}

/// Adds a record to the report counters of its day (under the report's own
/// counting rules, `trustgate_report::tally`).
pub(crate) async fn count_for_reports(
    conn: &mut Conn,
    row: &trustgate_report::ContactRow,
    n: i64,
) -> Result<(), StoreError> {
    let (day, counters) = trustgate_report::tally(row);
    if counters.is_empty() {
        return Ok(());
    }
    // One statement for all of a record's counters (at most
    // MAX_COUNTERS = 13; unused slots are NULL and filtered out), so the
    // writer pays one round trip. A counter named twice (two instruments
    // on one channel) is summed first: one statement may touch a row once.
    let mut summed: Vec<(&str, &str, i64)> = Vec::with_capacity(counters.len());
    for (breakdown, key) in &counters {
        match summed
            .iter_mut()
            .find(|(b, k, _)| b == breakdown && k == key)
        {
            Some(slot) => slot.2 += n,
            None => summed.push((breakdown, key, n)),
        }
    }
    if summed.len() > trustgate_report::MAX_COUNTERS {
        return Err(StoreError::Corrupt(format!(
            "contact/{} adds to {} report counters, more than {}",
            row.id,
            summed.len(),
            trustgate_report::MAX_COUNTERS
        )));
    }
    let mut q = query(
        "INSERT INTO report_counts (day, breakdown, key, count) \
         SELECT $1, column1, column2, column3 FROM (VALUES ($2, $3, $4), ($5, $6, $7), \
         ($8, $9, $10), ($11, $12, $13), ($14, $15, $16), ($17, $18, $19), ($20, $21, $22), \
         ($23, $24, $25), ($26, $27, $28), ($29, $30, $31), ($32, $33, $34), ($35, $36, $37), \
         ($38, $39, $40)) \
         AS counters WHERE column1 IS NOT NULL \
         ON CONFLICT (day, breakdown, key) DO UPDATE SET count = report_counts.count + excluded.count",
    )
    .bind(day.to_string());
    for slot in 0..trustgate_report::MAX_COUNTERS {
        let (breakdown, key, count) = match summed.get(slot) {
            Some((b, k, c)) => (Some(*b), Some(*k), Some(*c)),
            None => (None, None, None),
        };
        q = q.bind(breakdown).bind(key).bind(count);
    }
    q.execute(&mut *conn).await.map_err(db)?;
    Ok(())
}

async fn add_count(
    conn: &mut Conn,
    day: &str,
    breakdown: &str,
    key: &str,
    n: i64,
) -> Result<(), StoreError> {
    query(
        "INSERT INTO report_counts (day, breakdown, key, count) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day, breakdown, key) DO UPDATE SET count = report_counts.count + $4",
    )
    .bind(day)
    .bind(breakdown)
    .bind(key)
    .bind(n)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}
