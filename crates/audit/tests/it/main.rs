//! Integration tests of the audit log: one binary (link once, on two cores).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly at the first surprise"
)]

mod checkpoint;
mod entry;
mod frontier;
mod tampering;
mod vectors;

use trustgate_audit::{Entry, Hash, LogHead, State};

/// Bytes from hex; panics on bad input (test data only).
pub(crate) fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s:?}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A 32-byte hash from hex.
pub(crate) fn h(s: &str) -> Hash {
    hex(s).try_into().unwrap()
}

/// A plausible entry.
pub(crate) fn entry(seq: u64) -> Entry {
    Entry {
        seq,
        time_ms: 1_718_000_000_000 + seq as i64 * 1000,
        actor: format!("user/{}", seq % 7),
        action: ["create", "read", "update"][seq as usize % 3].to_owned(),
        object: format!("contact/0193{seq:04x}"),
        detail: String::new(),
        state: if seq.is_multiple_of(2) {
            State::Format1
        } else {
            State::After {
                record: format!("contact/0193{seq:04x}"),
                digest: [seq as u8; 32],
            }
        },
    }
}

/// A log as a store holds it: entries with their chain hashes, and the head.
pub(crate) fn build(entries: Vec<Entry>) -> (Vec<Entry>, Vec<Hash>, LogHead) {
    let mut head = LogHead::new();
    let hashes = entries
        .iter()
        .map(|e| head.append(e).unwrap().chain_hash)
        .collect();
    (entries, hashes, head)
}
