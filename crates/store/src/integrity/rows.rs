//! Loading records for their digests: the writer (after an operation's
//! writes, in its transaction) and the verifier (`verify.rs`) load a record
//! through the same functions here and hash it with the same function
//! (`crate::integrity`), so what is written and what is checked cannot
//! differ.

use trustgate_audit::State;

use crate::integrity::{
    ACCOUNTS, API_TOKENS, COMPLIANCE_EXCEPTIONS, ContactRows, EXCEPTION_EXPLANATIONS, Kind,
    OBLIGATIONS, REIMBURSEMENTS, Row, SQL, Table, Value, record_digest,
};
use crate::sql::{Conn, Row as DbRow, query};
use crate::{ContactId, StoreError, db};

/// The values of one row, in `table`'s column order, from column `from` of `r` on.
pub(super) fn row_values(r: &DbRow, table: &Table, from: usize) -> Result<Row, StoreError> {
    let bad = |e: sqlx::Error| StoreError::Corrupt(format!("{}: {e}", table.name));
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            let i = from + i;
            Ok(match kind {
                Kind::Int => r.try_get::<Option<i64>>(i).map_err(bad)?.map(Value::Int),
                // SQLite keeps a boolean as an integer: a value other than
                // 0 or 1 is kept as the integer it is, so it changes the digest.
                Kind::Bool => match r.try_get::<Option<i64>>(i) {
                    Ok(n) => n.map(|n| match n {
                        0 => Value::Bool(false),
                        1 => Value::Bool(true),
                        n => Value::Int(n),
                    }),
                    Err(_) => r.try_get::<Option<bool>>(i).map_err(bad)?.map(Value::Bool),
                },
                Kind::Text => r
                    .try_get::<Option<String>>(i)
                    .map_err(bad)?
                    .map(Value::Text),
                Kind::Bytes => r
                    .try_get::<Option<Vec<u8>>>(i)
                    .map_err(bad)?
                    .map(Value::Bytes),
            }
            .unwrap_or(Value::Null))
        })
        .collect()
}

/// Contacts with `from <= id <= upto`, at most `limit`, with every dependent row,
/// and the dependent rows in the same range of contact ids whose contact is
/// not stored.
pub(crate) struct Chunk {
    pub(crate) contacts: Vec<ContactRows>,
    /// (table, row id, contact id).
    pub(crate) orphans: Vec<(&'static str, i64, i64)>,
    /// Whether `limit` contacts came back (there may be more).
    pub(crate) full: bool,
}

/// A contact's own row (no dependent rows), from its table's columns.
pub(crate) fn contact_of_row(r: &DbRow) -> Result<ContactRows, StoreError> {
    let contact = row_values(r, &crate::integrity::CONTACTS, 0)?;
    let id = contact
        .get(crate::integrity::CONTACTS.index("id"))
        .and_then(Value::as_int)
        .ok_or_else(|| StoreError::Corrupt("a contact without an id".into()))?;
    Ok(ContactRows {
        id,
        contact,
        ..ContactRows::default()
    })
}

pub(crate) async fn load_contacts(
    conn: &mut Conn,
    from: i64,
    upto: i64,
    limit: i64,
) -> Result<Chunk, StoreError> {
    let rows = query(SQL.contacts.as_str())
        .bind(from)
        .bind(upto)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
    let full = rows.len() as i64 >= limit;
    let mut contacts = Vec::with_capacity(rows.len());
    for r in &rows {
        contacts.push(contact_of_row(r)?);
    }
    // A full chunk ends at its last contact: later ids are the next chunk's.
    let upto = match contacts.last() {
        Some(last) if full => last.id,
        _ => upto,
    };
    let mut orphans = Vec::new();
    for (table, sql) in [
        (&COMPLIANCE_EXCEPTIONS, SQL.exceptions.as_str()),
        (&EXCEPTION_EXPLANATIONS, SQL.explanations.as_str()),
        (&OBLIGATIONS, SQL.obligations.as_str()),
        (&REIMBURSEMENTS, SQL.reimbursements.as_str()),
    ] {
        let rows = query(sql)
            .bind(from)
            .bind(upto)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        let id_at = table.index("id");
        for r in &rows {
            let contact: i64 = r.try_get(0).map_err(db)?;
            let row = row_values(r, table, 1)?;
            let found = contacts
                .binary_search_by_key(&contact, |c| c.id)
                .ok()
                .and_then(|i| contacts.get_mut(i));
            match found {
                Some(c) => {
                    let rows = match table.name {
                        "compliance_exceptions" => &mut c.exceptions,
                        "exception_explanations" => &mut c.explanations,
                        "obligations" => &mut c.obligations,
                        _ => &mut c.reimbursements,
                    };
                    rows.push(row);
                }
                None => {
                    let id = row.get(id_at).and_then(Value::as_int).unwrap_or_default();
                    orphans.push((table.name, id, contact));
                }
            }
        }
    }
    Ok(Chunk {
        contacts,
        orphans,
        full,
    })
}

/// One contact's rows as stored now (inside the caller's transaction).
async fn contact_rows(conn: &mut Conn, id: ContactId) -> Result<ContactRows, StoreError> {
    load_contacts(conn, id.0, id.0, 1)
        .await?
        .contacts
        .pop()
        .filter(|c| c.id == id.0)
        .ok_or_else(|| StoreError::NotFound(id.object()))
}

/// Accounts, all or one, with their record names.
pub(crate) async fn account_rows(
    conn: &mut Conn,
    username: Option<&str>,
) -> Result<Vec<(String, Row)>, StoreError> {
    let at = ACCOUNTS.index("username");
    query(SQL.accounts.as_str())
        .bind(username)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            let row = row_values(r, &ACCOUNTS, 0)?;
            let name = row.get(at).and_then(Value::as_text).unwrap_or_default();
            Ok((format!("account/{name}"), row))
        })
        .collect()
}

/// Tokens, all or one, with their record names.
pub(crate) async fn token_rows(
    conn: &mut Conn,
    id: Option<i64>,
) -> Result<Vec<(String, Row)>, StoreError> {
    let at = API_TOKENS.index("id");
    query(SQL.tokens.as_str())
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            let row = row_values(r, &API_TOKENS, 0)?;
            let id = row.get(at).and_then(Value::as_int).unwrap_or_default();
            Ok((format!("token/{id}"), row))
        })
        .collect()
}

pub(crate) fn single_digest(record: &str, table: &Table, row: Row) -> trustgate_audit::Hash {
    record_digest(record, &[(table, &[row])])
}

/// What an entry that left a contact as it now is commits to.
pub(crate) async fn contact_after(conn: &mut Conn, id: ContactId) -> Result<State, StoreError> {
    let c = contact_rows(conn, id).await?;
    Ok(State::After {
        record: c.record(),
        digest: c.digest(),
    })
}

/// What an entry that read a contact commits to.
pub(crate) async fn contact_read(conn: &mut Conn, id: ContactId) -> Result<State, StoreError> {
    let c = contact_rows(conn, id).await?;
    Ok(State::Read {
        record: c.record(),
        digest: c.digest(),
    })
}

/// An account's record name and digest as stored now.
async fn account_digest(
    conn: &mut Conn,
    username: &str,
) -> Result<(String, trustgate_audit::Hash), StoreError> {
    let (record, row) = account_rows(conn, Some(username))
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("account/{username}")))?;
    let digest = single_digest(&record, &ACCOUNTS, row);
    Ok((record, digest))
}

pub(crate) async fn account_after(conn: &mut Conn, username: &str) -> Result<State, StoreError> {
    let (record, digest) = account_digest(conn, username).await?;
    Ok(State::After { record, digest })
}

pub(crate) async fn account_read(conn: &mut Conn, username: &str) -> Result<State, StoreError> {
    let (record, digest) = account_digest(conn, username).await?;
    Ok(State::Read { record, digest })
}

pub(crate) async fn token_after(conn: &mut Conn, id: i64) -> Result<State, StoreError> {
    let (record, row) = token_rows(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("token/{id}")))?;
    let digest = single_digest(&record, &API_TOKENS, row);
    Ok(State::After { record, digest })
}
