//! Checking a whole log: [`verify_log`].

use std::ops::RangeInclusive;

use crate::Hash;
use crate::checkpoint::Checkpoint;
use crate::entry::Entry;
use crate::frontier::LogHead;

/// A log that verified: its rebuilt head and how much of it the published
/// checkpoints vouch for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Size, chain head, root and frontier, rebuilt from the entries: a store
    /// can carry on appending from here.
    pub head: LogHead,
    /// How many checkpoints matched (one of the empty tree vouches for
    /// nothing and is not counted).
    pub checkpoints: usize,
    /// Entries `0..anchored` are vouched for by a signed checkpoint. Later
    /// ones are protected by the chain only, which someone able to write the
    /// database could recompute: publish a checkpoint to cover them.
    pub anchored: u64,
}

/// Where the log was tampered with, and how, in words `trustgate audit
/// verify` can print. Only the first finding is reported: after it, every
/// later entry is suspect anyway.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tampering {
    /// The entry at `index` does not carry sequence number `index`.
    #[error(
        "entry {index}: its sequence number is {found}, not {index}: an entry was deleted or inserted before it, or it was moved"
    )]
    Sequence {
        /// Position in the log.
        index: u64,
        /// The sequence number the entry carries.
        found: u64,
    },
    /// The entry's bytes and the previous chain hash do not give its stored
    /// chain hash (its sequence number is right).
    #[error(
        "entry {index}: its contents do not match its stored chain hash: the entry or its hash was changed"
    )]
    Chain {
        /// Position in the log, and its sequence number.
        index: u64,
    },
    /// There are not as many stored chain hashes as entries.
    #[error(
        "entry {index}: there are {entries} entries but {hashes} stored chain hashes: rows were removed or added outside the log"
    )]
    CountMismatch {
        /// The first position where one of the two is missing.
        index: u64,
        /// How many entries there are.
        entries: u64,
        /// How many stored chain hashes there are.
        hashes: u64,
    },
    /// The log is shorter than a published checkpoint.
    #[error(
        "entries {from} to {last}: the log has only {len} entries, but a checkpoint of {size} entries was published: entries in this range were removed or changed",
        last = size - 1
    )]
    Truncated {
        /// The size of the largest checkpoint that still matched (0 if none):
        /// entries before it are as published.
        from: u64,
        /// How many entries the log has.
        len: u64,
        /// The largest published size.
        size: u64,
    },
    /// The first `size` entries no longer hash to a published root.
    #[error(
        "entries {from} to {last}: the log no longer matches the checkpoint of {size} entries signed at {time_ms} ms: an entry in this range was changed, deleted, inserted or moved, with chain hashes recomputed to hide it",
        last = size - 1
    )]
    Rewritten {
        /// The size of the largest checkpoint that still matched (0 if none):
        /// entries before it are as published.
        from: u64,
        /// The checkpoint's size.
        size: u64,
        /// The checkpoint's time.
        time_ms: i64,
    },
}

impl Tampering {
    /// The positions the finding points at: one entry, or the range of
    /// entries between two checkpoints that must hold the change.
    pub fn places(&self) -> RangeInclusive<u64> {
        match *self {
            Tampering::Sequence { index, .. }
            | Tampering::Chain { index, .. }
            | Tampering::CountMismatch { index, .. } => index..=index,
            Tampering::Truncated { from, size, .. } | Tampering::Rewritten { from, size, .. } => {
                from..=size - 1
            }
        }
    }
}

/// Checks a whole log: `entries` in stored order with the chain hash stored
/// beside each, against any checkpoints published for it (already verified
/// with [`crate::checkpoint::verify`]; order does not matter).
///
/// Finds, at the first place it shows:
/// - a changed entry or stored hash (the chain hash no longer matches),
/// - a deleted, inserted or moved entry (sequence numbers break),
/// - entries rewritten with their chain hashes recomputed (the tree no
///   longer matches a checkpoint),
/// - a truncated tail (the log is shorter than a checkpoint).
///
/// `O(n log n)` hashing, one pass.
pub fn verify_log(
    entries: &[Entry],
    stored_chain_hashes: &[Hash],
    checkpoints: &[Checkpoint],
) -> Result<Report, Tampering> {
    let mut anchors = Anchors::new(checkpoints);
    let mut head = LogHead::new();
    for (entry, stored) in entries.iter().zip(stored_chain_hashes) {
        let index = head.size();
        let appended = head.append(entry).map_err(|e| Tampering::Sequence {
            index,
            found: e.found,
        })?;
        if appended.chain_hash != *stored {
            return Err(Tampering::Chain { index });
        }
        anchors.check(&head)?;
    }
    if entries.len() != stored_chain_hashes.len() {
        return Err(Tampering::CountMismatch {
            index: head.size(),
            entries: entries.len() as u64,
            hashes: stored_chain_hashes.len() as u64,
        });
    }
    if let Some(last) = anchors.sorted.last().filter(|cp| cp.size > head.size()) {
        return Err(Tampering::Truncated {
            from: anchors.anchored,
            len: head.size(),
            size: last.size,
        });
    }
    Ok(Report {
        head,
        checkpoints: anchors.next,
        anchored: anchors.anchored,
    })
}

/// The checkpoints in size order, checked as the rebuilt tree reaches each.
struct Anchors<'a> {
    sorted: Vec<&'a Checkpoint>,
    // INVARIANT: sorted[..next] all matched, and `anchored` is the largest
    // of their sizes (0 if none).
    next: usize,
    anchored: u64,
}

impl<'a> Anchors<'a> {
    fn new(checkpoints: &'a [Checkpoint]) -> Self {
        // A checkpoint of the empty tree vouches for nothing.
        let mut sorted: Vec<&Checkpoint> = checkpoints.iter().filter(|cp| cp.size > 0).collect();
        sorted.sort_by_key(|cp| cp.size);
        Anchors {
            sorted,
            next: 0,
            anchored: 0,
        }
    }

    fn check(&mut self, head: &LogHead) -> Result<(), Tampering> {
        while let Some(cp) = self
            .sorted
            .get(self.next)
            .filter(|cp| cp.size == head.size())
        {
            if cp.root != head.root() {
                return Err(Tampering::Rewritten {
                    from: self.anchored,
                    size: cp.size,
                    time_ms: cp.time_ms,
                });
            }
            self.anchored = cp.size;
            self.next += 1;
        }
        Ok(())
    }
}
