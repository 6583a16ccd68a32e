//! The Certificate Transparency reference vectors for RFC 6962 trees.
//!
//! Data (leaves, roots of every prefix, inclusion and consistency proofs)
//! from transparency-dev/merkle, `proof/verify_test.go` (commit 02194e9),
//! itself carried over from google/certificate-transparency. Only the data is
//! quoted; the corruption probes are this crate's own.

use trustgate_audit::merkle::{
    EMPTY_ROOT, ProofError, consistency_proof, inclusion_proof, leaf_hash, root,
    verify_consistency, verify_inclusion,
};
use trustgate_audit::{Frontier, Hash};

use crate::{h, hex};

const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// `ROOTS[n - 1]` is the root of the first `n` leaves.
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index, tree size, audit path). The Go file numbers leaves from 1;
/// these are its entries with the index made 0-based.
const INCLUSION: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, consistency proof).
const CONSISTENCY: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn leaves() -> Vec<Hash> {
    LEAVES.iter().map(|l| leaf_hash(&hex(l))).collect()
}

fn proof(hashes: &[&str]) -> Vec<Hash> {
    hashes.iter().map(|s| h(s)).collect()
}

#[test]
fn roots_of_every_prefix() {
    let leaves = leaves();
    assert_eq!(root(&[]), EMPTY_ROOT);
    let mut frontier = Frontier::new();
    assert_eq!(frontier.root(), EMPTY_ROOT);
    for (n, want) in (1..=8).zip(ROOTS) {
        assert_eq!(root(&leaves[..n]), h(want), "MTH of {n} leaves");
        frontier.append(leaves[n - 1]);
        assert_eq!(frontier.root(), h(want), "frontier of {n} leaves");
    }
}

#[test]
fn inclusion_proofs_match_and_verify() {
    let leaves = leaves();
    for (index, size, path) in INCLUSION {
        let tree = &leaves[..size as usize];
        let built = inclusion_proof(tree, index).unwrap();
        assert_eq!(built, proof(path), "path of leaf {index} in {size}");
        let root = h(ROOTS[size as usize - 1]);
        assert_eq!(
            verify_inclusion(index, size, &leaves[index as usize], &built, &root),
            Ok(())
        );
        for (what, bad) in corrupt_inclusion(index, size, &leaves[index as usize], &built, &root) {
            assert!(
                verify_inclusion(bad.0, bad.1, &bad.2, &bad.3, &bad.4).is_err(),
                "accepted {what} for leaf {index} of {size}"
            );
        }
    }
}

type InclusionProbe = (u64, u64, Hash, Vec<Hash>, Hash);

/// Wrong index, size, leaf or root; a hash added, removed or altered.
fn corrupt_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Vec<(String, InclusionProbe)> {
    let p = proof.to_vec();
    let mut probes = vec![
        (
            "index - 1".to_owned(),
            (index.wrapping_sub(1), size, *leaf, p.clone(), *root),
        ),
        (
            "index + 1".to_owned(),
            (index + 1, size, *leaf, p.clone(), *root),
        ),
        (
            "index ^ 2".to_owned(),
            (index ^ 2, size, *leaf, p.clone(), *root),
        ),
        (
            "size * 2".to_owned(),
            (index, size * 2, *leaf, p.clone(), *root),
        ),
        (
            "size / 2".to_owned(),
            (index, size / 2, *leaf, p.clone(), *root),
        ),
        (
            "wrong leaf".to_owned(),
            (index, size, leaf_hash(b"WrongLeaf"), p.clone(), *root),
        ),
        (
            "empty root".to_owned(),
            (index, size, *leaf, p.clone(), EMPTY_ROOT),
        ),
        (
            "trailing root".to_owned(),
            (index, size, *leaf, [&p[..], &[*root]].concat(), *root),
        ),
        (
            "preceding root".to_owned(),
            (index, size, *leaf, [&[*root], &p[..]].concat(), *root),
        ),
    ];
    for i in 0..p.len() {
        let mut bad = p.clone();
        bad[i][0] ^= 8;
        probes.push((
            format!("proof[{i}] bit 3 flipped"),
            (index, size, *leaf, bad, *root),
        ));
    }
    if let Some((_, shorter)) = p.split_last() {
        probes.push((
            "last hash removed".to_owned(),
            (index, size, *leaf, shorter.to_vec(), *root),
        ));
    }
    probes
}

#[test]
fn consistency_proofs_match_and_verify() {
    let leaves = leaves();
    for (old, new, path) in CONSISTENCY {
        let built = consistency_proof(&leaves[..new as usize], old).unwrap();
        assert_eq!(built, proof(path), "proof {old} → {new}");
        let (r1, r2) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
        assert_eq!(verify_consistency(old, new, &r1, &r2, &built), Ok(()));
        if built.is_empty() {
            continue;
        }
        for (what, (o, n, a, b, p)) in corrupt_consistency(old, new, &r1, &r2, &built) {
            assert!(
                verify_consistency(o, n, &a, &b, &p).is_err(),
                "accepted {what} for {old} → {new}"
            );
        }
    }
}

type ConsistencyProbe = (u64, u64, Hash, Hash, Vec<Hash>);

fn corrupt_consistency(
    old: u64,
    new: u64,
    r1: &Hash,
    r2: &Hash,
    proof: &[Hash],
) -> Vec<(String, ConsistencyProbe)> {
    let p = proof.to_vec();
    let wrong = leaf_hash(b"WrongRoot");
    let mut probes = vec![
        ("old - 1".to_owned(), (old - 1, new, *r1, *r2, p.clone())),
        ("old + 1".to_owned(), (old + 1, new, *r1, *r2, p.clone())),
        ("old ^ 2".to_owned(), (old ^ 2, new, *r1, *r2, p.clone())),
        ("new * 2".to_owned(), (old, new * 2, *r1, *r2, p.clone())),
        ("new / 2".to_owned(), (old, new / 2, *r1, *r2, p.clone())),
        (
            "wrong old root".to_owned(),
            (old, new, wrong, *r2, p.clone()),
        ),
        (
            "wrong new root".to_owned(),
            (old, new, *r1, wrong, p.clone()),
        ),
        ("swapped roots".to_owned(), (old, new, *r2, *r1, p.clone())),
        ("empty proof".to_owned(), (old, new, *r1, *r2, Vec::new())),
        (
            "trailing old root".to_owned(),
            (old, new, *r1, *r2, [&p[..], &[*r1]].concat()),
        ),
        (
            "trailing new root".to_owned(),
            (old, new, *r1, *r2, [&p[..], &[*r2]].concat()),
        ),
        (
            "preceding old root".to_owned(),
            (old, new, *r1, *r2, [&[*r1], &p[..]].concat()),
        ),
        (
            "preceding new root".to_owned(),
            (old, new, *r1, *r2, [&[*r2], &p[..]].concat()),
        ),
        (
            "preceding proof[0]".to_owned(),
            (old, new, *r1, *r2, [&[p[0]], &p[..]].concat()),
        ),
        (
            "last hash removed".to_owned(),
            (old, new, *r1, *r2, p[..p.len() - 1].to_vec()),
        ),
    ];
    for i in 0..p.len() {
        let mut bad = p.clone();
        bad[i][0] ^= 16;
        probes.push((
            format!("proof[{i}] bit 4 flipped"),
            (old, new, *r1, *r2, bad),
        ));
    }
    probes
}

#[test]
fn consistency_edge_cases() {
    let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
    // From the empty tree: always consistent, with an empty proof.
    assert_eq!(
        verify_consistency(0, 0, &EMPTY_ROOT, &EMPTY_ROOT, &[]),
        Ok(())
    );
    assert_eq!(verify_consistency(0, 5, &EMPTY_ROOT, &a, &[]), Ok(()));
    assert_eq!(
        verify_consistency(0, 5, &a, &a, &[]),
        Err(ProofError::RootMismatch)
    );
    assert_eq!(
        verify_consistency(0, 5, &EMPTY_ROOT, &a, &[b]),
        Err(ProofError::WrongLength)
    );
    // Same size: same root, empty proof.
    assert_eq!(verify_consistency(3, 3, &a, &a, &[]), Ok(()));
    assert_eq!(
        verify_consistency(3, 3, &a, &b, &[]),
        Err(ProofError::RootMismatch)
    );
    assert_eq!(
        verify_consistency(3, 3, &a, &a, &[a]),
        Err(ProofError::WrongLength)
    );
    // Backwards, or a real extension with nothing to show for it.
    assert_eq!(
        verify_consistency(2, 1, &a, &b, &[]),
        Err(ProofError::SizesBackwards { old: 2, new: 1 })
    );
    assert_eq!(
        verify_consistency(1, 2, &a, &b, &[]),
        Err(ProofError::WrongLength)
    );
    assert_eq!(
        consistency_proof(&[a], 2),
        Err(ProofError::SizesBackwards { old: 2, new: 1 })
    );
    assert_eq!(
        inclusion_proof(&[a], 1),
        Err(ProofError::IndexOutOfRange { index: 1, size: 1 })
    );
    assert_eq!(
        verify_inclusion(0, 0, &a, &[], &EMPTY_ROOT),
        Err(ProofError::IndexOutOfRange { index: 0, size: 0 })
    );
}

/// Beyond the vectors: every proof in every tree up to 40 leaves verifies,
/// and none verifies against a neighbouring size's root.
#[test]
fn every_generated_proof_verifies() {
    let leaves: Vec<Hash> = (0u32..40).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let roots: Vec<Hash> = (0..=leaves.len()).map(|n| root(&leaves[..n])).collect();
    for n in 1..=leaves.len() {
        let tree = &leaves[..n];
        let size = n as u64;
        for i in 0..size {
            let p = inclusion_proof(tree, i).unwrap();
            assert_eq!(
                verify_inclusion(i, size, &tree[i as usize], &p, &roots[n]),
                Ok(())
            );
            if n > 1 {
                assert!(verify_inclusion(i, size, &tree[i as usize], &p, &roots[n - 1]).is_err());
            }
        }
        for m in 0..=size {
            let p = consistency_proof(tree, m).unwrap();
            let old_root = roots[m as usize];
            assert_eq!(
                verify_consistency(m, size, &old_root, &roots[n], &p),
                Ok(()),
                "{m} → {n}"
            );
            if 0 < m && m < size {
                assert!(
                    verify_consistency(m, size, &roots[m as usize - 1], &roots[n], &p).is_err()
                );
            }
        }
    }
}
