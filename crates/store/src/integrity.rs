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
//! - `token/<id>`: its `api_tokens` row (hash, name, scopes, revoked, …).
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
//! and the same function the verifier uses (`integrity_sql.rs`): the two
//! cannot drift apart.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use sha2::{Digest as _, Sha256};
use trustgate_audit::{Hash, State};

use crate::{StoreError, StoredEntry};

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
const ALL_TABLES: [&Table; 7] = [
    &CONTACTS,
    &COMPLIANCE_EXCEPTIONS,
    &EXCEPTION_EXPLANATIONS,
    &OBLIGATIONS,
    &REIMBURSEMENTS,
    &ACCOUNTS,
    &API_TOKENS,
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

    /// The contact as the report's counting rules read it.
    pub(crate) fn report_row(&self) -> trustgate_report::ContactRow {
        let v = |c: &str| self.contact.get(CONTACTS.index(c)).unwrap_or(&Value::Null);
        let text = |c: &str| v(c).as_text().unwrap_or_default().to_owned();
        trustgate_report::ContactRow {
            id: self.id,
            kind: text("kind"),
            channel: text("channel"),
            receiving_unit: text("receiving_unit"),
            received_ms: v("received_ms")
                .as_int()
                .or_else(|| v("created_ms").as_int())
                .unwrap_or_default(),
            scenario: text("scenario"),
            // A record whose acts cannot be read is already a finding of its own.
            acts_done: serde_json::from_str(&text("acts_done")).unwrap_or_default(),
            withheld: v("withheld").as_text().map(str::to_owned),
            late_entry: v("late_entry").as_text().is_some(),
        }
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

// --- the check ---------------------------------------------------------------

/// Where a finding sorts: records in table order and by id, then the report
/// counters by day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Contact(i64),
    Account(String),
    Token(i64),
    /// Rows that belong to no record at all.
    Row(String, i64),
    Counters(String),
    Other(String),
}

impl Place {
    fn of(record: &str) -> Place {
        let (kind, id) = record.split_once('/').unwrap_or((record, ""));
        match (kind, id.parse::<i64>()) {
            ("contact", Ok(id)) => Place::Contact(id),
            ("token", Ok(id)) => Place::Token(id),
            ("account", _) => Place::Account(id.to_owned()),
            _ => Place::Other(record.to_owned()),
        }
    }
}

/// The latest entry that commits to a record's content.
#[derive(Debug, Clone)]
struct Mark {
    seq: u64,
    action: String,
    actor: String,
    digest: Hash,
}

impl Mark {
    fn entry(&self) -> String {
        format!(
            "audit entry {} ({} by {})",
            self.seq, self.action, self.actor
        )
    }
}

/// What the log expects of the records, and what has been found so far.
#[derive(Debug, Default)]
pub(crate) struct Check {
    /// By record: the latest entry committing to its content.
    latest: HashMap<String, Mark>,
    /// Records created by entries of format 1 that no later entry commits
    /// to: they exist (or were deleted), but their content is not known.
    legacy: HashMap<String, u64>,
    /// The first finding for each place.
    findings: BTreeMap<Place, String>,
    /// Rows belonging to no stored record, reported after deletions.
    orphans: Vec<(Place, String)>,
    /// Records whose content matched their latest entry.
    pub(crate) matched: u64,
    /// Records from before format 2 that no entry commits to yet.
    pub(crate) unprotected: u64,
    /// The report counters recomputed from the contacts.
    counted: BTreeMap<(String, String, String), i64>,
}

/// Record kinds the store names in `create` entries.
fn is_record(object: &str) -> bool {
    ["contact/", "account/", "token/"]
        .iter()
        .any(|p| object.starts_with(p))
}

impl Check {
    /// Walks the log in order: the latest state of each record, and every
    /// read that saw a record in another state than its previous entry left
    /// it in (an edit made between them, then read).
    pub(crate) fn from_log(entries: &[StoredEntry]) -> Check {
        let mut check = Check::default();
        for s in entries {
            let e = &s.entry;
            let mark = |digest: &Hash| Mark {
                seq: e.seq,
                action: e.action.clone(),
                actor: e.actor.clone(),
                digest: *digest,
            };
            match &e.state {
                State::Format1 => {
                    if e.action == "create" && is_record(&e.object) {
                        check.legacy.insert(e.object.clone(), e.seq);
                    }
                }
                State::After { record, digest } | State::Read { record, digest } => {
                    let read = matches!(e.state, State::Read { .. });
                    let known = check.legacy.remove(record).is_some();
                    let creation = e.action == "create" && e.object == *record;
                    match check.latest.get(record) {
                        // A record's first entry of format 2 is its creation,
                        // unless a format-1 entry created it: anything else
                        // reads or changes a row no entry created.
                        None if !(known || creation) => {
                            check.find(
                                Place::of(record),
                                format!(
                                    "{record}: audit entry {} ({} by {}) {} it, but no entry created it: it was inserted outside the store",
                                    e.seq,
                                    e.action,
                                    e.actor,
                                    if read { "read" } else { "changed" }
                                ),
                            );
                        }
                        Some(before) if read && before.digest != *digest => {
                            check.find(
                                Place::of(record),
                                format!(
                                    "{record}: audit entry {} ({} by {}) read other content than {} left it with: it was changed outside the store between them",
                                    e.seq,
                                    e.action,
                                    e.actor,
                                    before.entry()
                                ),
                            );
                        }
                        _ => {}
                    }
                    check.latest.insert(record.clone(), mark(digest));
                }
                State::NoRecord | State::Returned { .. } => {}
            }
        }
        check
    }

    fn find(&mut self, place: Place, message: String) {
        self.findings.entry(place).or_insert(message);
    }

    /// Compares one stored record's digest with the log.
    pub(crate) fn record(&mut self, record: &str, digest: &Hash) {
        if let Some(mark) = self.latest.remove(record) {
            if mark.digest == *digest {
                self.matched += 1;
            } else {
                self.find(
                    Place::of(record),
                    format!(
                        "{record}: its content no longer matches {}, the latest entry about it: it was changed outside the store",
                        mark.entry()
                    ),
                );
            }
        } else if self.legacy.remove(record).is_some() {
            self.unprotected += 1;
        } else {
            self.find(
                Place::of(record),
                format!("{record}: no audit entry records it: it was inserted outside the store"),
            );
        }
    }

    /// A stored contact: its digest, and what it adds to the report counters.
    pub(crate) fn contact(&mut self, c: &ContactRows) {
        self.record(&c.record(), &c.digest());
        let (day, counters) = trustgate_report::tally(&c.report_row());
        let day = day.to_string();
        for (breakdown, key) in counters {
            *self
                .counted
                .entry((day.clone(), breakdown.to_owned(), key))
                .or_default() += 1;
        }
    }

    /// A row that belongs to no stored record.
    pub(crate) fn orphan(&mut self, table: &str, id: i64, parent: &str) {
        let place = match Place::of(parent) {
            Place::Other(_) => Place::Row(table.to_owned(), id),
            p => p,
        };
        self.orphans.push((
            place,
            format!(
                "{parent}: a row of {table} (id {id}) belongs to it, but it is not stored: the row was inserted, or its record deleted, outside the store"
            ),
        ));
    }

    /// Compares the stored report counters with the recount of the contacts.
    pub(crate) fn counters(&mut self, stored: Vec<(String, String, String, i64)>) {
        let mut stored: BTreeMap<(String, String, String), i64> = stored
            .into_iter()
            .filter(|(.., n)| *n != 0)
            .map(|(d, b, k, n)| ((d, b, k), n))
            .collect();
        let counted = std::mem::take(&mut self.counted);
        let mut keys: Vec<_> = stored.keys().chain(counted.keys()).cloned().collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let have = stored.remove(&key).unwrap_or(0);
            let want = counted.get(&key).copied().unwrap_or(0);
            if have != want {
                let (day, breakdown, k) = key;
                let counter = if k.is_empty() {
                    breakdown
                } else {
                    format!("{breakdown} {k}")
                };
                self.find(
                    Place::Counters(day.clone()),
                    format!(
                        "report counters of {day}: `{counter}` is {have}, but the records of that day count {want}: the counters were changed outside the store"
                    ),
                );
            }
        }
    }

    /// After every stored record was seen: the records the log names that
    /// are gone, then the rows that belong to none. The first finding, in
    /// words, with how many more there are.
    pub(crate) fn finish(mut self) -> Result<(u64, u64), String> {
        let gone: Vec<(String, String)> = self
            .latest
            .drain()
            .map(|(record, mark)| {
                let message = format!(
                    "{record}: {} records it, but it is no longer stored: it was deleted outside the store",
                    mark.entry()
                );
                (record, message)
            })
            .chain(self.legacy.drain().map(|(record, seq)| {
                let message = format!(
                    "{record}: audit entry {seq} created it, but it is no longer stored: it was deleted outside the store"
                );
                (record, message)
            }))
            .collect();
        for (record, message) in gone {
            self.find(Place::of(&record), message);
        }
        for (place, message) in std::mem::take(&mut self.orphans) {
            self.find(place, message);
        }
        let mut findings = self.findings.into_values();
        match findings.next() {
            None => Ok((self.matched, self.unprotected)),
            Some(first) => {
                let more = findings.count();
                Err(match more {
                    0 => first,
                    1 => format!("{first} (and 1 more finding)"),
                    n => format!("{first} (and {n} more findings)"),
                })
            }
        }
    }
}

// --- digests of what a list or a report returned ------------------------------

pub(crate) fn returned_contacts(list: &[crate::ContactSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/contacts/1");
    c.count(list.len());
    for s in list {
        c.int(s.id.0);
        c.text(s.kind.as_str());
        c.text(s.channel.as_str());
        c.text(&s.receiving_unit);
        c.int(s.received_ms);
        c.bool(s.compliance_exception);
        c.int(s.open_obligations);
        c.text(s.recorded_by.as_str());
    }
    c.finish()
}

pub(crate) fn returned_exceptions(list: &[crate::ComplianceException]) -> Hash {
    let mut c = Canon::new("trustgate/returned/compliance-exceptions/1");
    c.count(list.len());
    for e in list {
        c.int(e.id);
        c.int(e.contact.0);
        c.text(&e.act);
        c.text(e.routed_to.as_str());
        c.int(e.flagged_ms);
        c.count(e.explanations.len());
        for x in &e.explanations {
            c.text(&x.text);
            c.text(x.by.as_str());
            c.int(x.at_ms);
        }
    }
    c.finish()
}

fn obligation(c: &mut Canon, o: &crate::ObligationRecord) {
    c.int(o.id);
    c.text(&o.obligation);
    c.text(&o.law);
    c.text(&o.duty);
    c.opt_text(o.due.as_deref());
    c.opt_int(o.due_ms);
    match &o.fulfilment {
        Some(f) => {
            c.text(f.by.as_str());
            c.int(f.at_ms);
            c.text(&f.note);
        }
        None => c.value(&Value::Null),
    }
}

pub(crate) fn returned_obligations(list: &[crate::OpenObligation]) -> Hash {
    let mut c = Canon::new("trustgate/returned/obligations/1");
    c.count(list.len());
    for o in list {
        c.int(o.contact.0);
        obligation(&mut c, &o.obligation);
        c.int(o.received_ms);
        c.text(o.recorded_by.as_str());
    }
    c.finish()
}

pub(crate) fn returned_accounts(list: &[crate::AccountSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/accounts/1");
    c.count(list.len());
    for a in list {
        c.text(&a.username);
        c.text(a.role.as_str());
        c.text(a.created_by.as_str());
        c.int(a.created_ms);
        c.opt_int(a.locked_until_ms);
        c.opt_int(a.disabled_ms);
    }
    c.finish()
}

pub(crate) fn returned_tokens(list: &[crate::TokenSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/tokens/1");
    c.count(list.len());
    for t in list {
        c.int(t.id);
        c.text(&t.name);
        c.count(t.scopes.len());
        for s in &t.scopes {
            c.text(s);
        }
        c.text(t.created_by.as_str());
        c.int(t.created_ms);
        c.opt_int(t.revoked_ms);
    }
    c.finish()
}

fn reimbursements(c: &mut Canon, list: &[(crate::ContactId, i64, String)]) {
    c.count(list.len());
    for (id, cents, day) in list {
        c.int(id.0);
        c.int(*cents);
        c.text(day);
    }
}

pub(crate) fn returned_report_rows(r: &crate::ReportRows) -> Hash {
    let mut c = Canon::new("trustgate/returned/report-rows/1");
    c.count(r.contacts.len());
    for row in &r.contacts {
        c.int(row.id);
        c.text(&row.kind);
        c.text(&row.channel);
        c.text(&row.receiving_unit);
        c.int(row.received_ms);
        c.text(&row.scenario);
        c.count(row.acts_done.len());
        for a in &row.acts_done {
            c.text(a);
        }
        c.opt_text(row.withheld.as_deref());
        c.opt_text(row.late_entry.then_some("late-entry"));
    }
    reimbursements(&mut c, &r.reimbursements);
    c.finish()
}

pub(crate) fn returned_report_counts(r: &crate::ReportCounts) -> Hash {
    let mut c = Canon::new("trustgate/returned/report-counts/1");
    c.count(r.counts.len());
    for (day, breakdown, key, n) in &r.counts {
        c.text(day);
        c.text(breakdown);
        c.text(key);
        c.int(*n);
    }
    reimbursements(&mut c, &r.reimbursements);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: i64) -> ContactRows {
        let mut row = vec![Value::Null; CONTACTS.columns.len()];
        row[CONTACTS.index("id")] = Value::Int(id);
        row[CONTACTS.index("kind")] = Value::Text("detainer".into());
        row[CONTACTS.index("compliance_exception")] = Value::Bool(false);
        ContactRows {
            id,
            contact: row,
            ..ContactRows::default()
        }
    }

    #[test]
    fn every_column_is_found_by_name() {
        for t in ALL_TABLES {
            for (i, (c, _)) in t.columns.iter().enumerate() {
                assert_eq!(t.index(c), i, "{}.{c}", t.name);
            }
        }
    }

    #[test]
    fn a_null_column_and_an_empty_table_change_no_digest() {
        let c = contact(12);
        let before = c.digest();
        // As if a later migration added a column left NULL, and a table with no rows.
        let mut columns = CONTACTS.columns.to_vec();
        columns.push(("added_later", Text));
        let wider = Table {
            name: "contacts",
            columns: Box::leak(columns.into_boxed_slice()),
        };
        let mut row = c.contact.clone();
        row.push(Value::Null);
        assert_eq!(
            record_digest("contact/12", &[(&wider, &[row]), (&REIMBURSEMENTS, &[])]),
            before
        );
    }

    #[test]
    fn every_change_changes_the_digest() {
        let c = contact(12);
        let before = c.digest();
        let mut other = c.clone();
        other.contact[CONTACTS.index("kind")] = Value::Text("detainers".into());
        assert_ne!(other.digest(), before);
        let mut other = c.clone();
        other.contact[CONTACTS.index("compliance_exception")] = Value::Bool(true);
        assert_ne!(other.digest(), before);
        let mut other = c.clone();
        other.contact[CONTACTS.index("done_by")] = Value::Text(String::new());
        assert_ne!(other.digest(), before, "empty text is not NULL");
        let mut other = c.clone();
        other.id = 13;
        assert_ne!(other.digest(), before, "the record's name is in it");
        let mut other = c.clone();
        other.obligations.push(vec![Value::Int(1)]);
        assert_ne!(other.digest(), before);
        // The same row under another table is another digest.
        let mut a = c.clone();
        a.reimbursements.push(vec![Value::Int(1)]);
        let mut b = c;
        b.obligations.push(vec![Value::Int(1)]);
        assert_ne!(a.digest(), b.digest());
    }

    fn logged(seq: u64, action: &str, object: &str, state: State) -> StoredEntry {
        StoredEntry {
            entry: trustgate_audit::Entry {
                seq,
                time_ms: 0,
                actor: "user/a".into(),
                action: action.into(),
                object: object.into(),
                detail: String::new(),
                state,
            },
            chain_hash: [0; 32],
            leaf_hash: [0; 32],
        }
    }

    fn after(record: &str, d: u8) -> State {
        State::After {
            record: record.into(),
            digest: [d; 32],
        }
    }

    #[test]
    fn the_log_says_what_each_record_must_hold() {
        let log = [
            logged(0, "create", "contact/1", after("contact/1", 1)),
            logged(1, "create", "contact/2", State::Format1),
            logged(2, "fulfil", "obligation/9", after("contact/1", 2)),
            logged(
                3,
                "read",
                "contact/1",
                State::Read {
                    record: "contact/1".into(),
                    digest: [2; 32],
                },
            ),
            logged(4, "create", "account/a", after("account/a", 3)),
            logged(5, "create", "token/1", after("token/1", 4)),
        ];
        let mut check = Check::from_log(&log);
        check.record("contact/1", &[2; 32]);
        check.record("contact/2", &[9; 32]);
        check.record("account/a", &[3; 32]);
        check.record("token/1", &[4; 32]);
        assert_eq!(check.finish(), Ok((3, 1)));

        // Every kind of finding, reported in record order, with a count.
        let mut check = Check::from_log(&log);
        check.record("token/1", &[5; 32]);
        check.record("contact/3", &[1; 32]);
        check.record("account/a", &[3; 32]);
        let found = check.finish().unwrap_err();
        assert!(
            found.starts_with(
                "contact/1: audit entry 3 (read by user/a) records it, but it is no longer stored"
            ),
            "{found}"
        );
        assert!(found.ends_with("(and 3 more findings)"), "{found}");
    }

    #[test]
    fn a_record_no_entry_created_is_an_insertion_even_when_read() {
        let read = State::Read {
            record: "contact/7".into(),
            digest: [1; 32],
        };
        let mut check = Check::from_log(&[logged(0, "read", "contact/7", read)]);
        check.record("contact/7", &[1; 32]);
        let found = check.finish().unwrap_err();
        assert_eq!(
            found,
            "contact/7: audit entry 0 (read by user/a) read it, but no entry created it: it was inserted outside the store"
        );
        // A reimbursement's `create` changes its contact; it does not create it.
        let mut check = Check::from_log(&[logged(
            0,
            "create",
            "reimbursement/1",
            after("contact/7", 1),
        )]);
        check.record("contact/7", &[1; 32]);
        assert!(check.finish().is_err());
    }

    #[test]
    fn counters_are_named_by_day() {
        let mut check = Check::default();
        check
            .counted
            .insert(("2026-03-01".into(), "b".into(), String::new()), 2);
        check.counters(vec![
            ("2026-03-01".into(), "b".into(), String::new(), 1),
            ("2026-02-01".into(), "a-type".into(), "detainer".into(), 0),
        ]);
        assert_eq!(
            check.finish().unwrap_err(),
            "report counters of 2026-03-01: `b` is 1, but the records of that day count 2: the counters were changed outside the store"
        );
    }

    #[test]
    fn state_columns_round_trip() {
        let states = [
            State::Format1,
            State::NoRecord,
            State::After {
                record: "contact/1".into(),
                digest: [1; 32],
            },
            State::Read {
                record: "account/a".into(),
                digest: [2; 32],
            },
            State::Returned { digest: [3; 32] },
        ];
        for s in states {
            let (format, kind, record, digest) = state_columns(&s);
            let back = state_of_columns(format, kind, record.map(str::to_owned), digest).unwrap();
            assert_eq!(back, s);
        }
        assert!(state_of_columns(1, Some("none"), None, None).is_err());
        assert!(state_of_columns(2, Some("after"), None, Some(&[0; 32])).is_err());
        assert!(state_of_columns(2, Some("returned"), None, Some(&[0; 31])).is_err());
    }
}
