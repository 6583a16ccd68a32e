//! The incremental frontier against the from-scratch Merkle Tree Hash.

use trustgate_audit::merkle::{leaf_hash, root};
use trustgate_audit::{Frontier, FrontierError, GENESIS, Hash, LogHead, chain_hash};

use crate::{build, entry};

#[test]
fn frontier_agrees_with_mth_up_to_300() {
    let leaves: Vec<Hash> = (0u32..300).map(|i| leaf_hash(&i.to_le_bytes())).collect();
    let mut frontier = Frontier::new();
    for n in 0..=leaves.len() {
        if n > 0 {
            frontier.append(leaves[n - 1]);
        }
        assert_eq!(frontier.size(), n as u64);
        assert_eq!(
            frontier.nodes().len(),
            n.count_ones() as usize,
            "one node per set bit of {n}"
        );
        assert_eq!(frontier.root(), root(&leaves[..n]), "root of {n} leaves");
        assert_eq!(Frontier::from_leaf_hashes(&leaves[..n]), frontier);
        let restored = Frontier::from_parts(frontier.size(), frontier.nodes().to_vec()).unwrap();
        assert_eq!(restored, frontier);
    }
}

#[test]
fn from_parts_checks_the_count() {
    assert_eq!(
        Frontier::from_parts(5, vec![GENESIS]),
        Err(FrontierError {
            size: 5,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(Frontier::from_parts(0, vec![]), Ok(Frontier::new()));
}

#[test]
fn log_head_appends_chain_and_leaf() {
    let (entries, hashes, head) = build((0..5).map(entry).collect());
    let mut prev = GENESIS;
    for (e, stored) in entries.iter().zip(&hashes) {
        prev = chain_hash(&prev, &e.to_bytes());
        assert_eq!(*stored, prev);
    }
    assert_eq!(head.size(), 5);
    assert_eq!(head.chain_head(), prev);
    let leaves: Vec<Hash> = entries.iter().map(|e| e.leaf_hash()).collect();
    assert_eq!(head.root(), root(&leaves));

    // Restoring from persisted parts carries on exactly.
    let mut restored = LogHead::from_parts(head.chain_head(), head.frontier().clone());
    let mut original = head.clone();
    assert_eq!(restored.append(&entry(5)), original.append(&entry(5)));
    assert_eq!(restored, original);

    // Only the next sequence number goes in.
    let err = original.append(&entry(9)).unwrap_err();
    assert_eq!((err.expected, err.found), (6, 9));
    assert_eq!(original.size(), 6, "a refused entry changes nothing");
}

#[test]
fn empty_log_head() {
    let head = LogHead::new();
    assert_eq!(head.size(), 0);
    assert_eq!(head.chain_head(), GENESIS);
    assert_eq!(head.root(), root(&[]));
}
