//! The whole check behind `audit verify`: the log itself, every record
//! against the latest entry about it, and the report counters against the
//! records, in one read-only snapshot.

use crate::audit::stored_entry;
use crate::integrity::{ACCOUNTS, API_TOKENS, CHUNK, Check, EXCEPTION_EXPLANATIONS, SQL};
use crate::integrity::{account_rows, load_complaints, load_contacts, single_digest, token_rows};
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{audit_head_of, head_of_row};
use crate::{AuditHead, AuditReport, Db, StoreError, StoredEntry, db, to_i64};

impl Db {
    /// The whole check behind `audit verify`, in one read-only snapshot (so
    /// a write committed meanwhile is either wholly seen or not at all):
    /// the log itself, then every record against the latest entry about it,
    /// then the report counters against the records. The first finding, in
    /// words; `Err` only when the database cannot be read.
    pub(crate) async fn verify_snapshot(
        &self,
        checkpoints: &[trustgate_audit::Checkpoint],
    ) -> Result<Result<AuditReport, String>, StoreError> {
        let mut tx = self.pool.begin_snapshot().await?;
        let found = verify_in(&mut tx, checkpoints).await;
        // Read only: nothing to keep.
        tx.rollback().await?;
        match found {
            Err(StoreError::Corrupt(why)) => Ok(Err(format!(
                "a stored row cannot be read as the store writes it ({why}): it was altered outside the store"
            ))),
            other => other,
        }
    }
}

async fn verify_in(
    conn: &mut Conn,
    checkpoints: &[trustgate_audit::Checkpoint],
) -> Result<Result<AuditReport, String>, StoreError> {
    let row = query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    let head = match head_of_row(&row) {
        Ok(head) => audit_head_of(&head),
        // A head that cannot even be read back was altered: a finding.
        Err(StoreError::Corrupt(why)) => {
            return Ok(Err(format!(
                "the stored audit head is unreadable ({why}): it was altered"
            )));
        }
        Err(e) => return Err(e),
    };
    let stored = query(
        "SELECT seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash, \
         format, state, record, digest FROM audit_log WHERE seq >= 0 AND seq < $1 ORDER BY seq",
    )
    .bind(to_i64(head.size)?)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(stored_entry)
    .collect::<Result<Vec<_>, StoreError>>();
    let stored = match stored {
        Ok(stored) => stored,
        Err(StoreError::Corrupt(why)) => {
            return Ok(Err(format!(
                "an audit log row is unreadable ({why}): it was altered"
            )));
        }
        Err(e) => return Err(e),
    };
    let log = match check_log(&head, &stored, checkpoints) {
        Ok(log) => log,
        Err(finding) => return Ok(Err(finding)),
    };
    let mut check = Check::from_log(&stored);
    drop(stored);

    let mut from = i64::MIN;
    loop {
        let chunk = load_contacts(conn, from, i64::MAX, CHUNK).await?;
        for c in &chunk.contacts {
            check.contact(c);
        }
        for (table, id, contact) in &chunk.orphans {
            check.orphan(table, *id, &format!("contact/{contact}"));
        }
        match chunk.contacts.last().and_then(|c| c.id.checked_add(1)) {
            Some(next) if chunk.full => from = next,
            _ => break,
        }
    }
    let orphans = query(SQL.orphan_explanations.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    for r in &orphans {
        let id: i64 = r.try_get(0).map_err(db)?;
        let exception: i64 = r.try_get(1).map_err(db)?;
        check.orphan(
            EXCEPTION_EXPLANATIONS.name,
            id,
            &format!("compliance-exception/{exception}"),
        );
    }
    let mut from = i64::MIN;
    loop {
        let chunk = load_complaints(conn, from, i64::MAX, CHUNK).await?;
        for c in &chunk.complaints {
            check.record(&c.record(), &c.digest());
        }
        for (table, id, complaint) in &chunk.orphans {
            check.orphan(table, *id, &format!("complaint/{complaint}"));
        }
        match chunk.complaints.last().and_then(|c| c.id.checked_add(1)) {
            Some(next) if chunk.full => from = next,
            _ => break,
        }
    }
    for (record, row) in account_rows(conn, None).await? {
        check.record(&record, &single_digest(&record, &ACCOUNTS, row));
    }
    for (record, row) in token_rows(conn, None).await? {
        check.record(&record, &single_digest(&record, &API_TOKENS, row));
    }
    let complete: i64 = query_scalar("SELECT complete FROM report_counts_state WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    let counters_checked = complete == 1;
    if counters_checked {
        let stored = query("SELECT day, breakdown, key, count FROM report_counts")
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(crate::reports::counter_of_row)
            .collect::<Result<Vec<_>, StoreError>>()?;
        check.counters(stored);
    }
    Ok(check.finish().map(|(records, unprotected)| AuditReport {
        head,
        checkpoints: log.checkpoints,
        anchored: log.anchored,
        records,
        unprotected,
        counters_checked,
    }))
}

/// Every check of a stored log; the first finding, in words.
fn check_log(
    head: &AuditHead,
    stored: &[StoredEntry],
    checkpoints: &[trustgate_audit::Checkpoint],
) -> Result<trustgate_audit::Report, String> {
    let entries: Vec<_> = stored.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = stored.iter().map(|s| s.chain_hash).collect();
    let report =
        trustgate_audit::verify_log(&entries, &chain, checkpoints).map_err(|t| t.to_string())?;
    if let Some(s) = stored.iter().find(|s| s.leaf_hash != s.entry.leaf_hash()) {
        return Err(format!(
            "entry {}: its stored Merkle leaf hash does not match its contents",
            s.entry.seq
        ));
    }
    let rebuilt = &report.head;
    if rebuilt.size() != head.size {
        return Err(format!(
            "entries {} to {}: the stored head counts {} entries but only {} are there: entries at the end were deleted",
            rebuilt.size(),
            head.size.saturating_sub(1),
            head.size,
            rebuilt.size()
        ));
    }
    if rebuilt.root() != head.root || rebuilt.chain_head() != head.chain_head {
        return Err("the stored head (root and chain head) does not match the entries: the head or the log was rewritten".into());
    }
    Ok(report)
}
