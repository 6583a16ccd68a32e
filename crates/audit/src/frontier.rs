//! Appending without recomputing: the tree's frontier and the log's head.

use crate::checkpoint::Checkpoint;
use crate::entry::Entry;
use crate::merkle::{EMPTY_ROOT, node_hash};
use crate::{GENESIS, Hash, chain_hash};

/// The right edge of a Merkle tree (a "compact range" `[0, size)`): the
/// roots of the complete subtrees that `size`'s binary digits split the
/// leaves into, largest (leftmost) first. 13 leaves = 8 + 4 + 1 are three
/// hashes. [`Frontier::append`] and [`Frontier::root`] are `O(log n)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    // INVARIANT: nodes.len() == size.count_ones(); nodes[i] is the root of
    // the complete subtree for the i-th set bit of `size`, from the highest.
    nodes: Vec<Hash>,
}

/// Stored frontier hashes that cannot belong to a tree of the stored size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a tree of {size} leaves has {expected} frontier hashes, not {found}")]
pub struct FrontierError {
    /// The tree size given.
    pub size: u64,
    /// How many hashes that size needs.
    pub expected: u32,
    /// How many were given.
    pub found: usize,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// Rebuilds the frontier from every leaf hash, in order (`O(n)`).
    pub fn from_leaf_hashes<'a>(leaves: impl IntoIterator<Item = &'a Hash>) -> Frontier {
        let mut frontier = Frontier::new();
        for leaf in leaves {
            frontier.append(*leaf);
        }
        frontier
    }

    /// Restores a frontier persisted as [`Frontier::size`] and
    /// [`Frontier::nodes`]. Only the count is checkable here; a wrong hash
    /// shows up as a root that no longer matches the log.
    pub fn from_parts(size: u64, nodes: Vec<Hash>) -> Result<Frontier, FrontierError> {
        let expected = size.count_ones();
        if nodes.len() != expected as usize {
            return Err(FrontierError {
                size,
                expected,
                found: nodes.len(),
            });
        }
        Ok(Frontier { size, nodes })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The complete subtrees' roots, largest first.
    pub fn nodes(&self) -> &[Hash] {
        &self.nodes
    }

    /// Adds one leaf hash: merges the complete subtrees it completes,
    /// one per trailing 1 bit of the old size.
    pub fn append(&mut self, leaf: Hash) {
        let mut node = leaf;
        let mut size = self.size;
        while size & 1 == 1 {
            // By the invariant a set bit always has its node.
            let Some(left) = self.nodes.pop() else { break };
            node = node_hash(&left, &node);
            size >>= 1;
        }
        self.nodes.push(node);
        self.size += 1;
        debug_assert_eq!(self.nodes.len(), self.size.count_ones() as usize);
    }

    /// The Merkle Tree Hash of all leaves so far: the subtree roots folded
    /// from the right, which is exactly RFC 6962's split at the largest power
    /// of two.
    pub fn root(&self) -> Hash {
        let mut nodes = self.nodes.iter().rev();
        let Some(&last) = nodes.next() else {
            return EMPTY_ROOT;
        };
        nodes.fold(last, |right, left| node_hash(left, &right))
    }
}

/// The state needed to append to a log: its size, the last chain hash and
/// the tree's frontier. A store keeps it (or rebuilds it with
/// [`crate::verify_log`]) and calls [`LogHead::append`] in the same
/// transaction that writes the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHead {
    chain: Hash,
    frontier: Frontier,
}

/// What appending an entry produced: both hashes to store beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// The entry's chain hash.
    pub chain_hash: Hash,
    /// The entry's Merkle leaf hash.
    pub leaf_hash: Hash,
}

/// An entry that cannot go next in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("entry has sequence number {found}, but the next in the log is {expected}")]
pub struct AppendError {
    /// The sequence number the log expects next.
    pub expected: u64,
    /// The entry's.
    pub found: u64,
}

impl Default for LogHead {
    fn default() -> Self {
        LogHead::new()
    }
}

impl LogHead {
    /// The head of the empty log.
    pub fn new() -> LogHead {
        LogHead {
            chain: GENESIS,
            frontier: Frontier::new(),
        }
    }

    /// Restores a persisted head: the last chain hash and the frontier.
    pub fn from_parts(chain_head: Hash, frontier: Frontier) -> LogHead {
        LogHead {
            chain: chain_head,
            frontier,
        }
    }

    /// How many entries the log holds; also the next sequence number.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// The last entry's chain hash ([`GENESIS`] when empty).
    pub fn chain_head(&self) -> Hash {
        self.chain
    }

    /// The Merkle root over every entry so far.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The tree's frontier, to persist.
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// Appends `entry`, which must carry the next sequence number.
    pub fn append(&mut self, entry: &Entry) -> Result<Appended, AppendError> {
        let expected = self.size();
        if entry.seq != expected {
            return Err(AppendError {
                expected,
                found: entry.seq,
            });
        }
        let bytes = entry.to_bytes();
        let appended = Appended {
            chain_hash: chain_hash(&self.chain, &bytes),
            leaf_hash: crate::merkle::leaf_hash(&bytes),
        };
        self.chain = appended.chain_hash;
        self.frontier.append(appended.leaf_hash);
        Ok(appended)
    }

    /// The tree head to sign and publish now.
    pub fn checkpoint(&self, origin: &str, time_ms: i64) -> Checkpoint {
        Checkpoint {
            origin: origin.to_owned(),
            size: self.size(),
            root: self.root(),
            time_ms,
        }
    }
}
