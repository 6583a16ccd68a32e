use super::*;
use crate::StoredEntry;

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
