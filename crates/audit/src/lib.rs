//! # trustgate-audit: the tamper-evident audit log
//!
//! Every create, change and read of a record is appended to one log. The law
//! requires the records to be honest, so the log must show any later change,
//! deletion, insertion or reordering of its entries, and say where. This crate
//! is the log's arithmetic: canonical entries, their hashes, proofs,
//! checkpoints and verification. It does no I/O, no SQL, no async; it reads
//! no clock and draws no randomness: times and keys come from the caller,
//! and the store crates persist what it computes.
//!
//! ## The pieces
//!
//! - An [`Entry`]: sequence number, time (UTC ms), actor, action, object, a
//!   short detail, and (format 2) a [`State`]: the SHA-256 digest of the
//!   content the entry left its record in, or read it in. Its canonical bytes
//!   ([`Entry::to_bytes`]) start with a format byte and give every text field
//!   an 8-byte length, so one entry has exactly one encoding and no two
//!   entries share one.
//! - A **hash chain** over those bytes:
//!   `chain[i] = SHA-256(0x02 ‖ chain[i-1] ‖ bytes[i])`, with `chain[-1]` =
//!   [`GENESIS`] (32 zero bytes). The store keeps `chain[i]` beside entry `i`.
//! - An **RFC 6962 / RFC 9162 Merkle tree** over the same bytes:
//!   `leaf = SHA-256(0x00 ‖ bytes)`, `node = SHA-256(0x01 ‖ left ‖ right)`,
//!   with inclusion and consistency proofs and their verification
//!   ([`merkle`]). It is checked against the Certificate Transparency
//!   reference vectors. The prefixes 0x00, 0x01 and 0x02 keep leaves, nodes
//!   and chain links apart: no hash of one kind can pass for another.
//! - A [`Frontier`] (the tree's right edge, one hash per set bit of its size)
//!   so that appending and taking the root are `O(log n)`; a [`LogHead`]
//!   pairs it with the chain head and is what a store appends through.
//! - [`Checkpoint`]s: signed tree heads in the C2SP signed-note text format,
//!   signed with Ed25519 ([`checkpoint::sign`], [`checkpoint::verify`]).
//! - [`verify_log`]: the whole log against its stored chain hashes and the
//!   published checkpoints, answering with a [`Report`] or the first
//!   [`Tampering`], in words.
//!
//! ## Why both a chain and a tree
//!
//! The **chain** pinpoints. Entry `i` checks against the stored hash of entry
//! `i-1` alone, so a verifier walking the table stops at the exact first
//! entry that was changed, removed, inserted or moved, and sequence numbers
//! tell which of those it was. But a chain proves nothing to anyone who
//! cannot see every entry, and someone who can write the database can
//! recompute every chain hash after their change.
//!
//! The **tree** makes the log checkable from outside. Its root commits to
//! every entry just as a chain head does, but it also gives
//! - *consistency proofs*: `O(log n)` hashes showing that today's log extends
//!   an earlier published tree head, so "history was not rewritten" can be
//!   proved without handing over the history;
//! - *inclusion proofs*: `O(log n)` hashes showing that one entry (say, the
//!   read of one person's record) is in the published log, without revealing
//!   any other entry;
//! - a small, standard thing to publish: origin, size, root, time and a
//!   signature, a few lines that fit in a public report and that the
//!   transparency-log ecosystem's tools already read.
//!
//! Together: a published checkpoint pins history against someone who can
//! write the database but not sign; the chain says exactly where a clumsier
//! change is. When a rewrite is caught by the tree alone, the place is
//! narrowed to the entries between the last checkpoint that still matches
//! and the first that does not, which is why [`verify_log`] takes every
//! checkpoint published, not just the latest: publish often.
//!
//! ## What it cannot catch
//!
//! - Entries *appended* after the last checkpoint by someone who can write
//!   the database look like real entries: they are covered only by the next
//!   checkpoint ([`Report::anchored`] says how far the checkpoints reach).
//! - Someone who holds the signing key can sign a rewritten history. Keep
//!   the key away from the database server, publish checkpoints where they
//!   cannot be withdrawn, and check each new checkpoint for consistency with
//!   the previous one ([`merkle::verify_consistency`]).
//! - Personal data must never be written into entries: they cannot be
//!   deleted without breaking the log. Name records by id; commit to a
//!   record's content with a digest ([`State`]), never the content.
//!
//! ## Entry formats
//!
//! Format 1 entries protect only the log: who did what to which record, and
//! when. A record edited in the database underneath them goes unseen. Format
//! 2 adds a [`State`]: each entry that creates or changes a record carries
//! the digest of the record's content as it left it ([`State::After`]), each
//! read the digest of what it read ([`State::Read`]), each list or report a
//! digest of its answer ([`State::Returned`]). The digest is inside the
//! hashed bytes, so the chain, the tree and the checkpoints protect it, and
//! a verifier holding the records can recompute each record's digest and
//! compare it with the latest entry about it (the store does:
//! `Store::verify_audit_log`). Format 1 entries keep their bytes, so logs
//! written before format 2 still verify; the records they created carry no
//! digest until an entry of format 2 reads or changes them, and an edit
//! made to such a record before then cannot be found.
//!
//! ## Choices beyond the brief
//!
//! - [`verify_log`] takes a slice of checkpoints rather than one, for the
//!   narrowing above; a truncated tail is measured against the largest.
//! - Field lengths are 8 bytes, so encoding cannot fail for any entry.
//! - The checkpoint's time is a C2SP extension line (`time-ms …`), so the
//!   body is still a valid `tlog-checkpoint` and the signature a standard
//!   signed-note Ed25519 signature (key name = origin).
//! - Proofs are built from the leaf hashes, `O(n)` per proof: right for
//!   `audit verify` and tests. Serving proofs for millions of entries would
//!   want stored interior nodes (tiles), later, in the store.
//! - Base64 (about 40 lines, strict: one text per value) is written here
//!   rather than adding a dependency for it.
//! - [`LogHead::append`] refuses an entry whose sequence number is not the
//!   next one, so a store cannot write a gap or a duplicate by mistake.

mod entry;
mod frontier;
mod verify;

pub mod checkpoint;
pub mod encoding;
pub mod merkle;

pub use checkpoint::{
    Checkpoint, CheckpointError, parse_signer, parse_verifier, signer_text, verifier_text,
};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use entry::{DecodeError, Entry, FORMAT, FORMAT_1, State};
pub use frontier::{AppendError, Appended, Frontier, FrontierError, LogHead};
pub use merkle::ProofError;
pub use verify::{Report, Tampering, verify_log};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The chain hash "before" the first entry.
pub const GENESIS: Hash = [0; 32];

/// One link of the chain: SHA-256(0x02 ‖ previous chain hash ‖ entry bytes).
pub fn chain_hash(previous: &Hash, entry_bytes: &[u8]) -> Hash {
    merkle::sha256(&[&[0x02], previous, entry_bytes])
}
