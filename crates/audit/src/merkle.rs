//! The RFC 6962 / RFC 9162 Merkle tree: hashes, proofs, and their
//! verification.
//!
//! Everything here works on *leaf hashes* (`SHA-256(0x00 ‖ leaf)`), which is
//! what a store keeps. Building a proof reads every leaf hash it covers
//! (`O(n)` hashing); verifying one is `O(log n)`.

use sha2::{Digest, Sha256};

use crate::Hash;

/// The root of the empty tree: SHA-256 of no bytes (RFC 6962 §2.1).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// Why a proof was not accepted, or could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf is not in a tree of that size.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    IndexOutOfRange {
        /// The leaf index asked about.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one.
    #[error("a tree of {old} leaves cannot be extended to one of {new}")]
    SizesBackwards {
        /// The earlier tree size.
        old: u64,
        /// The later tree size.
        new: u64,
    },
    /// The proof has too many or too few hashes for the sizes given.
    #[error("the proof has the wrong number of hashes for these tree sizes")]
    WrongLength,
    /// The proof is well formed but does not lead to the root(s) given.
    #[error("the proof does not lead to the expected root")]
    RootMismatch,
}

pub(crate) fn sha256(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// A leaf's hash: SHA-256(0x00 ‖ leaf).
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    sha256(&[&[0x00], leaf])
}

/// An interior node's hash: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    sha256(&[&[0x01], left, right])
}

/// The largest power of two smaller than `n` (RFC 6962's split point).
// INVARIANT: n >= 2, so 1 <= k < n.
fn split(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The Merkle Tree Hash (MTH) of a list of leaf hashes, computed from
/// scratch (RFC 6962 §2.1). [`crate::Frontier`] gives the same root
/// incrementally.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => EMPTY_ROOT,
        [leaf] => *leaf,
        _ => {
            let (left, right) = leaves.split_at(split(leaves.len()));
            node_hash(&root(left), &root(right))
        }
    }
}

/// The audit path of leaf `index` in the tree of `leaves` (RFC 6962 §2.1.1,
/// `PATH(m, D[n])`), deepest sibling first.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProofError> {
    let size = leaves.len() as u64;
    let m = usize::try_from(index)
        .ok()
        .filter(|&m| m < leaves.len())
        .ok_or(ProofError::IndexOutOfRange { index, size })?;
    let mut proof = Vec::new();
    path(m, leaves, &mut proof);
    Ok(proof)
}

fn path(m: usize, leaves: &[Hash], out: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let (left, right) = leaves.split_at(split(leaves.len()));
    if m < left.len() {
        path(m, left, out);
        out.push(root(right));
    } else {
        path(m - left.len(), right, out);
        out.push(root(left));
    }
}

/// The proof that the tree of the first `old_size` leaves is a prefix of the
/// tree of all `leaves` (RFC 6962 §2.1.2, `PROOF(m, D[n])`). Empty when
/// `old_size` is 0 or the whole tree.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, ProofError> {
    let new = leaves.len() as u64;
    let m = usize::try_from(old_size)
        .ok()
        .filter(|&m| m <= leaves.len())
        .ok_or(ProofError::SizesBackwards { old: old_size, new })?;
    let mut proof = Vec::new();
    if m > 0 {
        subproof(m, leaves, true, &mut proof);
    }
    Ok(proof)
}

// INVARIANT: 1 <= m <= leaves.len().
fn subproof(m: usize, leaves: &[Hash], whole: bool, out: &mut Vec<Hash>) {
    if m == leaves.len() {
        if !whole {
            out.push(root(leaves));
        }
        return;
    }
    let (left, right) = leaves.split_at(split(leaves.len()));
    if m <= left.len() {
        subproof(m, left, whole, out);
        out.push(root(right));
    } else {
        subproof(m - left.len(), right, false, out);
        out.push(root(left));
    }
}

/// Checks that `leaf` (a leaf hash) is leaf `index` of the tree of `size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`
/// (RFC 9162 §2.1.4.2).
///
/// RFC 9162 defines proofs only for `0 < old_size < new_size`. The edge
/// cases are decided here: equal sizes need equal roots and an empty proof;
/// from the empty tree, an empty proof and `old_root` = [`EMPTY_ROOT`].
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesBackwards {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size || old_size == 0 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        let expected_old = if old_size == 0 { &EMPTY_ROOT } else { new_root };
        return if old_root == expected_old {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if proof.is_empty() {
        return Err(ProofError::WrongLength);
    }
    // When the old tree is a complete subtree, the proof leaves out its root:
    // put it back in front (step 2).
    let prefix: &[Hash] = if old_size.is_power_of_two() {
        std::slice::from_ref(old_root)
    } else {
        &[]
    };
    let mut path = prefix.iter().chain(proof);
    let Some(&first) = path.next() else {
        return Err(ProofError::WrongLength);
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in path {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr != *old_root || sr != *new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(EMPTY_ROOT, sha256(&[]));
    }

    #[test]
    fn split_is_the_largest_power_of_two_below() {
        let got: Vec<usize> = (2..=9).map(split).collect();
        assert_eq!(got, [1, 2, 2, 4, 4, 4, 4, 8]);
    }
}
