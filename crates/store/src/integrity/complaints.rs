//! A complaint as a record: `complaint/<id>` covers its `complaints` row
//! (sealed content as stored), its `complaint_events` (status history with
//! notices), its `complaint_notes` and its `complaint_obligations`. Loaded
//! for the writer and the verifier alike, as contacts are (`rows.rs`).

use std::sync::LazyLock;

use trustgate_audit::{Hash, State};

use super::Kind::{Bytes, Int, Text};
use super::rows::row_values;
use super::{Row, Table, Value, record_digest};
use crate::sql::{Conn, query};
use crate::{StoreError, db};

pub(crate) const COMPLAINTS: Table = Table {
    name: "complaints",
    columns: &[
        ("id", Int),
        ("code_hash", Bytes),
        ("against", Text),
        ("occurred_on", Text),
        ("filed_on", Text),
        ("language", Text),
        ("content_key", Text),
        ("content_sealed", Bytes),
        ("status", Text),
        ("disposition", Text),
        ("assigned_to", Text),
        ("created_by", Text),
        ("created_ms", Int),
    ],
};

pub(crate) const COMPLAINT_EVENTS: Table = Table {
    name: "complaint_events",
    columns: &[
        ("id", Int),
        ("complaint_id", Int),
        ("status", Text),
        ("disposition", Text),
        ("notice", Text),
        ("changed_by", Text),
        ("at_ms", Int),
    ],
};

pub(crate) const COMPLAINT_NOTES: Table = Table {
    name: "complaint_notes",
    columns: &[
        ("id", Int),
        ("complaint_id", Int),
        ("note", Text),
        ("written_by", Text),
        ("at_ms", Int),
    ],
};

pub(crate) const COMPLAINT_OBLIGATIONS: Table = Table {
    name: "complaint_obligations",
    columns: &[
        ("id", Int),
        ("complaint_id", Int),
        ("obligation", Text),
        ("law", Text),
        ("duty", Text),
        ("due", Text),
        ("office", Text),
        ("due_ms", Int),
        ("fulfilled_ms", Int),
        ("fulfilled_by", Text),
        ("fulfilment_note", Text),
    ],
};

/// A complaint's rows: everything its digest covers.
#[derive(Debug, Clone, Default)]
pub(crate) struct ComplaintRows {
    pub(crate) id: i64,
    pub(crate) complaint: Row,
    pub(crate) events: Vec<Row>,
    pub(crate) notes: Vec<Row>,
    pub(crate) obligations: Vec<Row>,
}

impl ComplaintRows {
    /// Its record's name: `complaint/<id>`.
    pub(crate) fn record(&self) -> String {
        format!("complaint/{}", self.id)
    }

    pub(crate) fn digest(&self) -> Hash {
        record_digest(
            &self.record(),
            &[
                (&COMPLAINTS, std::slice::from_ref(&self.complaint)),
                (&COMPLAINT_EVENTS, &self.events),
                (&COMPLAINT_NOTES, &self.notes),
                (&COMPLAINT_OBLIGATIONS, &self.obligations),
            ],
        )
    }
}

struct Statements {
    complaints: String,
    dependent: [(&'static Table, String); 3],
}

static SQL: LazyLock<Statements> = LazyLock::new(|| {
    let dependent = |t: &'static Table| {
        (
            t,
            format!(
                "SELECT complaint_id, {} FROM {} WHERE complaint_id >= $1 AND complaint_id <= $2 \
                 ORDER BY complaint_id, id",
                t.select_list(""),
                t.name
            ),
        )
    };
    Statements {
        complaints: format!(
            "SELECT {} FROM complaints WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT $3",
            COMPLAINTS.select_list("")
        ),
        dependent: [
            dependent(&COMPLAINT_EVENTS),
            dependent(&COMPLAINT_NOTES),
            dependent(&COMPLAINT_OBLIGATIONS),
        ],
    }
});

/// Complaints with `from <= id <= upto`, at most `limit`, with their
/// dependent rows; the dependent rows in that range whose complaint is not
/// stored, as (table, row id, complaint id); and whether `limit` came back.
pub(crate) struct ComplaintChunk {
    pub(crate) complaints: Vec<ComplaintRows>,
    pub(crate) orphans: Vec<(&'static str, i64, i64)>,
    pub(crate) full: bool,
}

pub(crate) async fn load_complaints(
    conn: &mut Conn,
    from: i64,
    upto: i64,
    limit: i64,
) -> Result<ComplaintChunk, StoreError> {
    let rows = query(SQL.complaints.as_str())
        .bind(from)
        .bind(upto)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    let full = rows.len() as i64 >= limit;
    let id_at = COMPLAINTS.index("id");
    let mut complaints = Vec::with_capacity(rows.len());
    for r in &rows {
        let complaint = row_values(r, &COMPLAINTS, 0)?;
        let id = complaint
            .get(id_at)
            .and_then(Value::as_int)
            .ok_or_else(|| StoreError::Corrupt("a complaint without an id".into()))?;
        complaints.push(ComplaintRows {
            id,
            complaint,
            ..ComplaintRows::default()
        });
    }
    let upto = match complaints.last() {
        Some(last) if full => last.id,
        _ => upto,
    };
    let mut orphans = Vec::new();
    for (table, sql) in &SQL.dependent {
        let rows = query(sql.as_str())
            .bind(from)
            .bind(upto)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        let id_at = table.index("id");
        for r in &rows {
            let complaint: i64 = r.try_get(0).map_err(db)?;
            let row = row_values(r, table, 1)?;
            let found = complaints
                .binary_search_by_key(&complaint, |c| c.id)
                .ok()
                .and_then(|i| complaints.get_mut(i));
            match found {
                Some(c) => match table.name {
                    "complaint_events" => c.events.push(row),
                    "complaint_notes" => c.notes.push(row),
                    _ => c.obligations.push(row),
                },
                None => {
                    let id = row.get(id_at).and_then(Value::as_int).unwrap_or_default();
                    orphans.push((table.name, id, complaint));
                }
            }
        }
    }
    Ok(ComplaintChunk {
        complaints,
        orphans,
        full,
    })
}

async fn complaint_rows(conn: &mut Conn, id: i64) -> Result<ComplaintRows, StoreError> {
    load_complaints(conn, id, id, 1)
        .await?
        .complaints
        .pop()
        .filter(|c| c.id == id)
        .ok_or_else(|| StoreError::NotFound(format!("complaint/{id}")))
}

/// What an entry that left a complaint as it now is commits to.
pub(crate) async fn complaint_after(conn: &mut Conn, id: i64) -> Result<State, StoreError> {
    let c = complaint_rows(conn, id).await?;
    Ok(State::After {
        record: c.record(),
        digest: c.digest(),
    })
}

/// What an entry that read a complaint commits to.
pub(crate) async fn complaint_read(conn: &mut Conn, id: i64) -> Result<State, StoreError> {
    let c = complaint_rows(conn, id).await?;
    Ok(State::Read {
        record: c.record(),
        digest: c.digest(),
    })
}
