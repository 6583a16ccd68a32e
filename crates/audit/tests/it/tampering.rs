//! One random tampering of a random log, and `verify_log` must say where.

use std::ops::RangeInclusive;

use proptest::prelude::*;
use proptest::sample::Index;
use trustgate_audit::{
    Checkpoint, Entry, GENESIS, Hash, LogHead, State, Tampering, chain_hash, verify_log,
};

use crate::{build, entry};

/// What an attacker who can write the database (but not sign) does.
#[derive(Debug, Clone)]
enum Attack {
    /// Change one byte (or bit) of one field of one entry (field 6: its
    /// state, the digest of a record's content).
    EditField {
        at: Index,
        field: usize,
        pos: Index,
        bit: u32,
    },
    /// Change one bit of one stored chain hash.
    EditHash { at: Index, byte: usize },
    /// Remove one entry with its hash.
    Delete { at: Index },
    /// Put a forged entry before entry `at`, with a correct chain hash.
    Insert { at: Index },
    /// Exchange two rows.
    Swap { a: Index, b: Index },
    /// Remove the tail.
    Truncate { keep: Index },
}

fn attack() -> impl Strategy<Value = Attack> {
    prop_oneof![
        (any::<Index>(), 0usize..7, any::<Index>(), 0u32..64).prop_map(|(at, field, pos, bit)| {
            Attack::EditField {
                at,
                field,
                pos,
                bit,
            }
        }),
        (any::<Index>(), 0usize..32).prop_map(|(at, byte)| Attack::EditHash { at, byte }),
        any::<Index>().prop_map(|at| Attack::Delete { at }),
        any::<Index>().prop_map(|at| Attack::Insert { at }),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Attack::Swap { a, b }),
        any::<Index>().prop_map(|keep| Attack::Truncate { keep }),
    ]
}

fn log() -> impl Strategy<Value = Vec<Entry>> {
    let one = (
        0u8..10,
        0usize..4,
        "[0-9a-f]{4}",
        "[ -~]{0,16}",
        0i64..1000,
        (0u8..5, any::<[u8; 32]>()),
    );
    prop::collection::vec(one, 1..200).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(seq, (actor, action, object, detail, jitter, (state, digest)))| Entry {
                    seq: seq as u64,
                    // Strictly increasing, so no two entries are ever equal.
                    time_ms: 1_718_000_000_000 + seq as i64 * 1000 + jitter,
                    actor: format!("user/{actor}"),
                    action: ["create", "read", "update", "export"][action].to_owned(),
                    // Old and new formats mixed, as in a log kept across the upgrade.
                    state: match state {
                        0 => State::Format1,
                        1 => State::NoRecord,
                        2 => State::After {
                            record: format!("contact/{object}"),
                            digest,
                        },
                        3 => State::Read {
                            record: format!("contact/{object}"),
                            digest,
                        },
                        _ => State::Returned { digest },
                    },
                    object: format!("contact/{object}"),
                    detail,
                },
            )
            .collect()
    })
}

/// Changes one byte of an ASCII string (or adds one to an empty string).
fn edit_text(text: &mut String, pos: Index) {
    let mut bytes = std::mem::take(text).into_bytes();
    if bytes.is_empty() {
        bytes.push(b'x');
    } else {
        let i = pos.index(bytes.len());
        bytes[i] = if bytes[i] == b'z' { b'y' } else { b'z' };
    }
    *text = String::from_utf8(bytes).unwrap();
}

/// Changes an entry's state: one bit of its digest, or, where it has none,
/// gives it one (a format-1 entry made to look like format 2, say).
fn edit_state(state: &mut State, pos: Index, bit: u32) {
    let byte = pos.index(32);
    match state {
        State::After { digest, .. } | State::Read { digest, .. } | State::Returned { digest } => {
            digest[byte] ^= 1 << (bit % 8);
        }
        State::Format1 | State::NoRecord => {
            *state = State::After {
                record: "contact/forged".into(),
                digest: [0; 32],
            };
        }
    }
}

/// Applies `attack`; returns the entries the verifier must name (a forged
/// insertion shows at the forgery or at the entry it displaced).
fn apply(
    attack: &Attack,
    entries: &mut Vec<Entry>,
    hashes: &mut Vec<Hash>,
    rewrite: bool,
) -> RangeInclusive<u64> {
    let n = entries.len();
    match attack {
        Attack::EditField {
            at,
            field,
            pos,
            bit,
        } => {
            let i = at.index(n);
            let e = &mut entries[i];
            // A rewrite renumbers every entry, so it would undo a changed
            // sequence number: edit another field then.
            match (*field, rewrite) {
                (0, false) => e.seq ^= 1 << bit,
                (0 | 1, _) => e.time_ms ^= 1 << bit,
                (2, _) => edit_text(&mut e.actor, *pos),
                (3, _) => edit_text(&mut e.action, *pos),
                (4, _) => edit_text(&mut e.object, *pos),
                (5, _) => edit_text(&mut e.detail, *pos),
                _ => edit_state(&mut e.state, *pos, *bit),
            }
            i as u64..=i as u64
        }
        Attack::EditHash { at, byte } => {
            let i = at.index(n);
            hashes[i][*byte] ^= 1;
            i as u64..=i as u64
        }
        Attack::Delete { at } => {
            let i = at.index(n);
            entries.remove(i);
            hashes.remove(i);
            i as u64..=i as u64
        }
        Attack::Insert { at } => {
            let i = at.index(n);
            let forged = Entry {
                seq: i as u64,
                actor: "user/mallory".into(),
                action: "update".into(),
                ..entries[i].clone()
            };
            let prev = if i == 0 { GENESIS } else { hashes[i - 1] };
            hashes.insert(i, chain_hash(&prev, &forged.to_bytes()));
            entries.insert(i, forged);
            i as u64..=i as u64 + 1
        }
        Attack::Swap { a, b } => {
            let (a, b) = (a.index(n), b.index(n));
            let b = if a == b { (a + 1) % n } else { b };
            let (a, b) = (a.min(b), a.max(b));
            entries.swap(a, b);
            hashes.swap(a, b);
            a as u64..=a as u64
        }
        Attack::Truncate { keep } => {
            let k = keep.index(n);
            entries.truncate(k);
            hashes.truncate(k);
            k as u64..=k as u64
        }
    }
}

/// The attacker covers their tracks: renumbers and re-chains everything.
fn rewrite_chain(entries: &mut [Entry], hashes: &mut Vec<Hash>) {
    let mut head = LogHead::new();
    hashes.clear();
    for (i, e) in entries.iter_mut().enumerate() {
        e.seq = i as u64;
        hashes.push(head.append(e).unwrap().chain_hash);
    }
}

/// Checkpoints published along the way: always one at the full size.
fn publish(entries: &[Entry], sizes: &[Index]) -> Vec<Checkpoint> {
    let mut sizes: Vec<usize> = sizes.iter().map(|s| 1 + s.index(entries.len())).collect();
    sizes.push(entries.len());
    let mut head = LogHead::new();
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        head.append(e).unwrap();
        for _ in sizes.iter().filter(|&&s| s == i + 1) {
            out.push(head.checkpoint("test.example/log", 1_718_100_000_000 + i as i64));
        }
    }
    out.reverse(); // Order must not matter.
    out
}

fn overlaps(a: &RangeInclusive<u64>, b: &RangeInclusive<u64>) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

proptest! {
    #[test]
    fn untampered_log_verifies(entries in log(), sizes in prop::collection::vec(any::<Index>(), 0..4)) {
        let (entries, hashes, head) = build(entries);
        let checkpoints = publish(&entries, &sizes);
        let report = verify_log(&entries, &hashes, &checkpoints).unwrap();
        prop_assert_eq!(&report.head, &head);
        prop_assert_eq!(report.checkpoints, checkpoints.len());
        prop_assert_eq!(report.anchored, entries.len() as u64);
    }

    #[test]
    fn every_tampering_is_caught_where_it_shows(
        entries in log(),
        sizes in prop::collection::vec(any::<Index>(), 0..4),
        attack in attack(),
        rewrite in any::<bool>(),
    ) {
        // Swapping the only entry with itself changes nothing.
        prop_assume!(entries.len() > 1 || !matches!(attack, Attack::Swap { .. }));
        let (mut entries, mut hashes, _) = build(entries);
        let checkpoints = publish(&entries, &sizes);
        let rewrite = rewrite && !matches!(attack, Attack::EditHash { .. });
        let expected = apply(&attack, &mut entries, &mut hashes, rewrite);
        if rewrite {
            rewrite_chain(&mut entries, &mut hashes);
        }
        let found = match verify_log(&entries, &hashes, &checkpoints) {
            Ok(report) => return Err(TestCaseError::fail(format!("not caught: {report:?}"))),
            Err(found) => found,
        };
        let places = found.places();
        prop_assert!(overlaps(&places, &expected), "{found} (places {places:?}), expected {expected:?}");
        // Without a rewrite the chain or the numbering gives it away at one
        // entry, except a shortened tail, which only a checkpoint reveals,
        // and a forgery, which a checkpoint of the size just after it
        // catches first.
        let local = matches!(found, Tampering::Sequence { .. } | Tampering::Chain { .. });
        let tail = matches!(attack, Attack::Truncate { .. })
            || matches!(&attack, Attack::Delete { at } if at.index(entries.len() + 1) == entries.len());
        if !rewrite && !tail && !matches!(attack, Attack::Insert { .. }) {
            prop_assert!(local, "{found}");
        }
        if rewrite {
            prop_assert!(!local, "{found}");
        }
        prop_assert!(found.to_string().contains(&places.start().to_string()), "{found}");
    }
}

#[test]
fn messages_say_where_and_what() {
    let (mut entries, mut hashes, _) = build((0..10).map(entry).collect());
    let checkpoints = publish(&entries, &[]);
    entries[4].actor = "user/someone-else".into();
    let found = verify_log(&entries, &hashes, &checkpoints).unwrap_err();
    assert_eq!(
        found.to_string(),
        "entry 4: its contents do not match its stored chain hash: the entry or its hash was changed"
    );
    rewrite_chain(&mut entries, &mut hashes);
    let found = verify_log(&entries, &hashes, &checkpoints).unwrap_err();
    assert_eq!(found.places(), 0..=9);
    assert!(
        found
            .to_string()
            .starts_with("entries 0 to 9: the log no longer matches the checkpoint of 10 entries")
    );
    entries.truncate(6);
    hashes.truncate(6);
    let found = verify_log(&entries, &hashes, &checkpoints).unwrap_err();
    assert_eq!(
        found,
        Tampering::Truncated {
            from: 0,
            len: 6,
            size: 10
        }
    );
}

#[test]
fn more_checkpoints_narrow_a_rewrite() {
    let (mut entries, mut hashes, _) = build((0..100).map(entry).collect());
    let sizes: Vec<Index> = Vec::new();
    let mut checkpoints = publish(&entries, &sizes);
    let mut head = LogHead::new();
    for e in &entries[..64] {
        head.append(e).unwrap();
    }
    checkpoints.push(head.checkpoint("test.example/log", 0));
    for e in &entries[64..80] {
        head.append(e).unwrap();
    }
    checkpoints.push(head.checkpoint("test.example/log", 0));
    entries[70].detail = "rewritten".into();
    rewrite_chain(&mut entries, &mut hashes);
    let found = verify_log(&entries, &hashes, &checkpoints).unwrap_err();
    assert_eq!(found.places(), 64..=79);
}

#[test]
fn row_counts_must_agree() {
    let (entries, hashes, _) = build((0..5).map(entry).collect());
    let found = verify_log(&entries, &hashes[..4], &[]).unwrap_err();
    assert_eq!(
        found,
        Tampering::CountMismatch {
            index: 4,
            entries: 5,
            hashes: 4
        }
    );
    let found = verify_log(&entries[..3], &hashes, &[]).unwrap_err();
    assert_eq!(found.places(), 3..=3);
}

/// The limit the crate documents: a forged entry *appended* after the last
/// checkpoint, with a correct chain hash, looks like a real one. The report
/// says the checkpoints reach only so far.
#[test]
fn forged_append_after_last_checkpoint_is_only_unanchored() {
    let (mut entries, mut hashes, mut head) = build((0..10).map(entry).collect());
    let checkpoints = publish(&entries, &[]);
    let forged = Entry {
        actor: "user/mallory".into(),
        ..entry(10)
    };
    hashes.push(head.append(&forged).unwrap().chain_hash);
    entries.push(forged);
    let report = verify_log(&entries, &hashes, &checkpoints).unwrap();
    assert_eq!((report.head.size(), report.anchored), (11, 10));
}
