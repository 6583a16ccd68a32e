//! The check of the records against the audit log: what the log says each
//! record must hold, and what was found.

use std::collections::{BTreeMap, HashMap};

use trustgate_audit::{Hash, State};

use super::ContactRows;
use crate::StoredEntry;

/// Where a finding sorts: records in table order and by id, then the report
/// counters by day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Contact(i64),
    Account(String),
    Token(i64),
    Complaint(i64),
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
            ("complaint", Ok(id)) => Place::Complaint(id),
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
    pub(super) counted: BTreeMap<(String, String, String), i64>,
}

/// Record kinds the store names in `create` entries.
fn is_record(object: &str) -> bool {
    ["contact/", "account/", "token/", "complaint/"]
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
        let (day, counters) = trustgate_report::tally(&c.report_row().0);
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
