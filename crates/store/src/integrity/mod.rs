//! What the audit log commits to about the records, and the check of the
//! records against it.
//!
//! A **record** is what one audit entry's digest covers:
//!
//! - `contact/<id>`: its `contacts` row (kind, channel, unit, scenario,
//!   decision, acts done, the flag, personal data *as stored*, sealed, and
//!   every other column), its `compliance_exceptions`, their
//!   `exception_explanations`, its `obligations` (with their fulfilment) and
//!   its `reimbursements`;
//! - `account/<username>`: its `accounts` row (role, password hash, TOTP
//!   secret and last step, failures and lockout, disabled, enrolment code
//!   hash and expiry, …);
//! - `token/<id>`: its `api_tokens` row (hash, name, scopes, revoked, …);
//! - `complaint/<id>`: its `complaints` row (the tracking code's hash, the
//!   sealed content as stored, status, disposition, assignment, …), its
//!   `complaint_events`, `complaint_notes` and `complaint_obligations`
//!   (`integrity/complaints.rs`).
//!
//! [`RECORD_TABLES`] lists every column of those tables; a test holds it
//! equal to the migrated schema, so a new column is covered or the build of
//! the tests fails. [`TABLES_OUTSIDE_RECORDS`] lists the other tables and
//! why they are left out.
//!
//! A record's digest is SHA-256 over a canonical encoding of its rows
//! ([`record_digest`]): the record's name, then each of its tables that has
//! rows, by name, with its rows by id, each row as the (column name, typed
//! value) pairs of its non-NULL columns. So a NULL column and a missing one
//! are the same: a later migration that adds a nullable column, or a new
//! kind of dependent row, changes no digest already in the log. Values are
//! typed (integer, boolean, text, bytes), never backend-formatted, so the
//! same record has the same digest on SQLite and PostgreSQL.
//!
//! The writer computes a record's digest *after* the operation's writes, in
//! the same transaction, by reading the rows back through the same loader
//! and the same function the verifier uses (`integrity/rows.rs`): the two
//! cannot drift apart.

use std::sync::LazyLock;

use sha2::{Digest as _, Sha256};
use trustgate_audit::{Hash, State};

use crate::StoreError;

mod check;
mod complaints;
mod returned;
mod rows;
#[cfg(test)]
mod tests;

pub(crate) use check::Check;
pub(crate) use complaints::{complaint_after, complaint_read, load_complaints};
pub(crate) use returned::{
    returned_accounts, returned_complaints, returned_contacts, returned_exceptions,
    returned_obligations, returned_report_counts, returned_report_rows, returned_tokens,
};
pub(crate) use rows::{
    account_after, account_read, account_rows, contact_after, contact_of_row, contact_read,
    load_contacts, single_digest, token_after, token_rows,
};

/// How a column's values are typed, on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `INTEGER` / `BIGINT`.
    Int,
    /// `INTEGER` 0/1 on SQLite, `BOOLEAN` on PostgreSQL.
    Bool,
    /// `TEXT`.
    Text,
    /// `BLOB` / `BYTEA`.
    Bytes,
}

/// A stored table a record's digest covers, with every one of its columns.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [(&'static str, Kind)],
}

impl Table {
    /// `a, b, c` or, with a prefix, `p.a, p.b, p.c`.
    fn select_list(&self, prefix: &str) -> String {
        self.columns
            .iter()
            .map(|(c, _)| format!("{prefix}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The position of a column (the tables are constants: a missing one is
    /// a programming error, found by the tests).
    pub(crate) fn index(&self, column: &str) -> usize {
        self.columns
            .iter()
            .position(|(c, _)| *c == column)
            .unwrap_or(usize::MAX)
    }
}

use Kind::{Bool, Bytes, Int, Text};

pub(crate) const CONTACTS: Table = Table {
    name: "contacts",
    columns: &[
        ("id", Int),
        ("kind", Text),
        ("channel", Text),
        ("receiving_unit", Text),
        ("scenario", Text),
        ("decision", Text),
        ("acts_done", Text),
        ("compliance_exception", Bool),
        ("created_by", Text),
        ("created_ms", Int),
        ("received_ms", Int),
        ("person_key", Text),
        ("person_sealed", Bytes),
        ("done_by", Text),
        ("withheld", Text),
        ("late_entry", Text),
    ],
};

pub(crate) const COMPLIANCE_EXCEPTIONS: Table = Table {
    name: "compliance_exceptions",
    columns: &[
        ("id", Int),
        ("contact_id", Int),
        ("act", Text),
        ("flagged_ms", Int),
        ("routed_to", Text),
    ],
};

pub(crate) const EXCEPTION_EXPLANATIONS: Table = Table {
    name: "exception_explanations",
    columns: &[
        ("id", Int),
        ("exception_id", Int),
        ("explanation", Text),
        ("explained_by", Text),
        ("at_ms", Int),
    ],
};

pub(crate) const OBLIGATIONS: Table = Table {
    name: "obligations",
    columns: &[
        ("id", Int),
        ("contact_id", Int),
        ("obligation", Text),
        ("law", Text),
        ("duty", Text),
        ("due", Text),
        ("fulfilled_ms", Int),
        ("fulfilled_by", Text),
        ("fulfilment_note", Text),
        ("due_ms", Int),
    ],
};

pub(crate) const REIMBURSEMENTS: Table = Table {
    name: "reimbursements",
    columns: &[
        ("id", Int),
        ("contact_id", Int),
        ("amount_cents", Int),
        ("received_on", Text),
        ("reference", Text),
        ("recorded_by", Text),
        ("recorded_ms", Int),
    ],
};

pub(crate) const ACCOUNTS: Table = Table {
    name: "accounts",
    columns: &[
        ("username", Text),
        ("role", Text),
        ("password_hash", Text),
        ("totp_secret", Bytes),
        ("totp_last_step", Int),
        ("failures", Int),
        ("first_failure_ms", Int),
        ("locked_until_ms", Int),
        ("created_by", Text),
        ("created_ms", Int),
        ("disabled_ms", Int),
        ("enrolment_hash", Bytes),
        ("enrolment_expires_ms", Int),
    ],
};

pub(crate) const API_TOKENS: Table = Table {
    name: "api_tokens",
    columns: &[
        ("id", Int),
        ("token_hash", Bytes),
        ("name", Text),
        ("scopes", Text),
        ("created_by", Text),
        ("created_ms", Int),
        ("revoked_ms", Int),
    ],
};

/// Every table whose rows belong to a record, in digest order.
const ALL_TABLES: [&Table; 11] = [
    &CONTACTS,
    &COMPLIANCE_EXCEPTIONS,
    &EXCEPTION_EXPLANATIONS,
    &OBLIGATIONS,
    &REIMBURSEMENTS,
    &ACCOUNTS,
    &API_TOKENS,
    &complaints::COMPLAINTS,
    &complaints::COMPLAINT_EVENTS,
    &complaints::COMPLAINT_NOTES,
    &complaints::COMPLAINT_OBLIGATIONS,
];

/// Every table a record's digest covers, with every column it covers: the
/// statement of what the audit log protects, held equal to the migrated
/// schema by the store's tests.
pub fn record_tables() -> Vec<(&'static str, Vec<&'static str>)> {
    ALL_TABLES
        .iter()
        .map(|t| (t.name, t.columns.iter().map(|(c, _)| *c).collect()))
        .collect()
}

/// The tables no record's digest covers, and why.
pub const TABLES_OUTSIDE_RECORDS: &[(&str, &str)] = &[
    (
        "audit_log",
        "the log itself: its chain, tree and checkpoints protect it",
    ),
    (
        "audit_head",
        "the log's head: checked against the entries it sums up",
    ),
    (
        "sessions",
        "short-lived sign-in credentials (30 idle minutes), touched on every request outside the log; every act done with one is audited under its account",
    ),
    (
        "report_counts",
        "derived data: checked by recounting the records it counts",
    ),
    (
        "report_counts_state",
        "whether the counters cover every record: when not, they are recounted on open",
    ),
    ("_sqlx_migrations", "the schema's history, not records"),
    (
        "sign_in_key",
        "the key of the sign-in guards' digests: a database writer who changes it only resets every guard",
    ),
    (
        "sign_in_guards",
        "rate state (failures, lockouts, trusted sources by keyed digest), pruned as it lapses; clearing it buys only more guesses, each audited, while the same writer could forge a session outright",
    ),
    ("sign_in_brakes", "rate state, as sign_in_guards"),
];

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

/// One row: its values, in its table's column order.
pub(crate) type Row = Vec<Value>;

impl Value {
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// A contact's rows: everything its digest covers.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContactRows {
    pub(crate) id: i64,
    pub(crate) contact: Row,
    pub(crate) exceptions: Vec<Row>,
    pub(crate) explanations: Vec<Row>,
    pub(crate) obligations: Vec<Row>,
    pub(crate) reimbursements: Vec<Row>,
}

impl ContactRows {
    /// Its record's name: `contact/<id>`.
    pub(crate) fn record(&self) -> String {
        format!("contact/{}", self.id)
    }

    pub(crate) fn digest(&self) -> Hash {
        record_digest(
            &self.record(),
            &[
                (&CONTACTS, std::slice::from_ref(&self.contact)),
                (&COMPLIANCE_EXCEPTIONS, &self.exceptions),
                (&EXCEPTION_EXPLANATIONS, &self.explanations),
                (&OBLIGATIONS, &self.obligations),
                (&REIMBURSEMENTS, &self.reimbursements),
            ],
        )
    }

    /// The contact as the report's counting rules read it: the one reader
    /// of a contact for the reports, the counters and their check. Acts done
    /// or a scenario that cannot be read are counted as none, and the error
    /// is returned beside the row (the reports refuse it; for the verifier
    /// it is already a finding of its own).
    pub(crate) fn report_row(&self) -> (trustgate_report::ContactRow, Option<StoreError>) {
        let v = |c: &str| self.contact.get(CONTACTS.index(c)).unwrap_or(&Value::Null);
        let text = |c: &str| v(c).as_text().unwrap_or_default().to_owned();
        let (acts_done, mut unreadable) = match crate::contacts::acts_from_json(&text("acts_done"))
        {
            Ok(acts) => (acts, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let scenario = trustgate_records::scenario::parse(&text("scenario")).unwrap_or_else(|e| {
            unreadable.get_or_insert(StoreError::Corrupt(format!("{}: {e}", self.record())));
            trustgate_records::Scenario::default()
        });
        let row = trustgate_report::ContactRow {
            id: self.id,
            kind: text("kind"),
            channel: text("channel"),
            receiving_unit: text("receiving_unit"),
            received_ms: v("received_ms")
                .as_int()
                .or_else(|| v("created_ms").as_int())
                .unwrap_or_default(),
            scenario,
            acts_done,
            withheld: v("withheld").as_text().map(str::to_owned),
            late_entry: v("late_entry").as_text().is_some(),
        };
        (row, unreadable)
    }
}

/// The digest of one record's rows: see the module's documentation.
pub(crate) fn record_digest(record: &str, parts: &[(&Table, &[Row])]) -> Hash {
    let mut c = Canon::new("trustgate/record/1");
    c.text(record);
    for (table, rows) in parts {
        if rows.is_empty() {
            continue;
        }
        c.text(table.name);
        c.count(rows.len());
        for row in *rows {
            let present: Vec<(&str, &Value)> = table
                .columns
                .iter()
                .zip(row)
                .filter(|(_, v)| **v != Value::Null)
                .map(|((name, _), v)| (*name, v))
                .collect();
            c.count(present.len());
            for (name, v) in present {
                c.text(name);
                c.value(v);
            }
        }
    }
    c.finish()
}

/// A one-to-one encoding of typed values into SHA-256: every value is
/// tagged, and every variable one carries its length.
pub(crate) struct Canon(Sha256);

impl Canon {
    pub(crate) fn new(domain: &str) -> Canon {
        let mut c = Canon(Sha256::new());
        c.text(domain);
        c
    }

    pub(crate) fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.0.update([0]),
            Value::Int(n) => self.int(*n),
            Value::Bool(b) => self.bool(*b),
            Value::Text(s) => self.text(s),
            Value::Bytes(b) => self.bytes(b),
        }
    }

    pub(crate) fn int(&mut self, n: i64) {
        self.0.update([1]);
        self.0.update(n.to_be_bytes());
    }

    pub(crate) fn bool(&mut self, b: bool) {
        self.0.update([2, u8::from(b)]);
    }

    pub(crate) fn text(&mut self, s: &str) {
        self.0.update([3]);
        self.0.update((s.len() as u64).to_be_bytes());
        self.0.update(s.as_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.0.update([4]);
        self.0.update((b.len() as u64).to_be_bytes());
        self.0.update(b);
    }

    pub(crate) fn count(&mut self, n: usize) {
        self.0.update([5]);
        self.0.update((n as u64).to_be_bytes());
    }

    pub(crate) fn opt_int(&mut self, n: Option<i64>) {
        match n {
            Some(n) => self.int(n),
            None => self.0.update([0]),
        }
    }

    pub(crate) fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.0.update([0]),
        }
    }

    pub(crate) fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

// --- SQL shared by the writer and the verifier ------------------------------

/// The statements that load records, the same on both backends; built once
/// from the tables above, so they list exactly the columns the digest covers.
pub(crate) struct Statements {
    /// Contacts with `$1 <= id <= $2`, by id, at most `$3`.
    pub(crate) contacts: String,
    /// Contacts received (or, before 0002, recorded) at `$1 <= t < $2`, by id.
    pub(crate) contacts_received: String,
    /// Every contact, in no order.
    pub(crate) every_contact: String,
    /// Dependent rows of contacts with `$1 <= contact_id <= $2`, each with the
    /// contact's id first, by contact then id.
    pub(crate) exceptions: String,
    pub(crate) explanations: String,
    pub(crate) obligations: String,
    pub(crate) reimbursements: String,
    /// Explanations whose exception is not stored (their id, and the
    /// exception's id).
    pub(crate) orphan_explanations: String,
    /// Accounts, all or (`$1`) one, by username.
    pub(crate) accounts: String,
    /// Tokens, all or (`$1`) one, by id.
    pub(crate) tokens: String,
}

pub(crate) static SQL: LazyLock<Statements> = LazyLock::new(|| {
    let dependent = |t: &Table| {
        format!(
            "SELECT contact_id, {} FROM {} WHERE contact_id >= $1 AND contact_id <= $2 \
             ORDER BY contact_id, id",
            t.select_list(""),
            t.name
        )
    };
    Statements {
        contacts: format!(
            "SELECT {} FROM contacts WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT $3",
            CONTACTS.select_list("")
        ),
        contacts_received: format!(
            "SELECT {} FROM contacts WHERE COALESCE(received_ms, created_ms) >= $1 \
             AND COALESCE(received_ms, created_ms) < $2 ORDER BY id",
            CONTACTS.select_list("")
        ),
        every_contact: format!("SELECT {} FROM contacts", CONTACTS.select_list("")),
        exceptions: dependent(&COMPLIANCE_EXCEPTIONS),
        explanations: format!(
            "SELECT x.contact_id, {} FROM exception_explanations e \
             JOIN compliance_exceptions x ON x.id = e.exception_id \
             WHERE x.contact_id >= $1 AND x.contact_id <= $2 ORDER BY x.contact_id, e.id",
            EXCEPTION_EXPLANATIONS.select_list("e.")
        ),
        obligations: dependent(&OBLIGATIONS),
        reimbursements: dependent(&REIMBURSEMENTS),
        orphan_explanations: "SELECT e.id, e.exception_id FROM exception_explanations e \
             LEFT JOIN compliance_exceptions x ON x.id = e.exception_id \
             WHERE x.id IS NULL ORDER BY e.id"
            .to_owned(),
        accounts: format!(
            "SELECT {} FROM accounts WHERE ($1 IS NULL OR username = $1) ORDER BY username",
            ACCOUNTS.select_list("")
        ),
        tokens: format!(
            "SELECT {} FROM api_tokens WHERE ($1 IS NULL OR id = $1) ORDER BY id",
            API_TOKENS.select_list("")
        ),
    }
});

/// How many contacts the verifier loads at a time (bounded memory).
pub(crate) const CHUNK: i64 = 2000;

// --- audit entries' state columns --------------------------------------------

/// The stored columns of an entry's state: `(format, state, record, digest)`.
pub(crate) fn state_columns(s: &State) -> (i64, Option<&'static str>, Option<&str>, Option<&[u8]>) {
    let kind = match s {
        State::Format1 => None,
        State::NoRecord => Some("none"),
        State::After { .. } => Some("after"),
        State::Read { .. } => Some("read"),
        State::Returned { .. } => Some("returned"),
    };
    (
        i64::from(s.format()),
        kind,
        s.record(),
        s.digest().map(|d| d.as_slice()),
    )
}

/// An entry's state from its stored columns; anything the store does not
/// write is refused.
pub(crate) fn state_of_columns(
    format: i64,
    kind: Option<&str>,
    record: Option<String>,
    digest: Option<&[u8]>,
) -> Result<State, StoreError> {
    let digest = digest.map(crate::hash_of).transpose()?;
    let state = match (format, kind, record, digest) {
        (1, None, None, None) => State::Format1,
        (2, Some("none"), None, None) => State::NoRecord,
        (2, Some("after"), Some(record), Some(digest)) => State::After { record, digest },
        (2, Some("read"), Some(record), Some(digest)) => State::Read { record, digest },
        (2, Some("returned"), None, Some(digest)) => State::Returned { digest },
        (format, kind, ..) => {
            return Err(StoreError::Corrupt(format!(
                "an audit entry's state columns do not fit together (format {format}, state {kind:?})"
            )));
        }
    };
    Ok(state)
}
