//! The audit log as the store exposes it: its rows, its head, refusals and
//! reads of the log recorded in it, and the proofs (RFC 6962) that a
//! published checkpoint's log still holds; the full check is `verify.rs`.

use trustgate_access::Permission;
use trustgate_audit::{Entry, Hash};

use crate::sql::{Conn, Row, query};
use crate::writer::{Audit, Operation, audit_head_of, head_of_row};
use crate::{Actor, Db, Principal, Store, StoreError, db, hash_of, seq_of, to_i64};

/// One audit log row: the entry and the hashes stored beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// The entry.
    pub entry: Entry,
    /// Its stored chain hash.
    pub chain_hash: Hash,
    /// Its stored Merkle leaf hash.
    pub leaf_hash: Hash,
}

/// The stored audit head: what a checkpoint would sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditHead {
    /// How many entries the log holds.
    pub size: u64,
    /// The Merkle root over them.
    pub root: Hash,
    /// The last entry's chain hash (`GENESIS` when empty).
    pub chain_head: Hash,
}

/// An RFC 6962 inclusion proof: entry `entry` is in the tree of the first
/// `size` entries, whose root is `root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub entry: StoredEntry,
    pub size: u64,
    pub root: Hash,
    /// The audit path, deepest sibling first.
    pub path: Vec<Hash>,
}

/// An RFC 6962 consistency proof: the tree of the first `old_size` entries
/// is a prefix of the tree of the first `new_size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub old_root: Hash,
    pub new_size: u64,
    pub new_root: Hash,
    pub proof: Vec<Hash>,
}

/// What [`Store::verify_audit_log`] found when the log is intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// The head the entries were checked against.
    pub head: AuditHead,
    /// How many checkpoints matched.
    pub checkpoints: usize,
    /// Entries `0..anchored` are vouched for by a checkpoint.
    pub anchored: u64,
    /// Records whose content matched the latest entry about them.
    pub records: u64,
    /// Records created by entries of format 1 (before record digests) that
    /// no later entry has read or changed: their content is not vouched for.
    pub unprotected: u64,
    /// Whether the report counters were checked against the records (not
    /// when they are due for a recount, which the binary runs on open).
    pub counters_checked: bool,
}

impl Store {
    /// Audits a refused request (`denied`, with what was asked as the
    /// object): failed accesses are accesses too.
    pub async fn record_denial(&self, actor: &Actor, what: &str) -> Result<(), StoreError> {
        self.run(Denied {
            actor: actor.clone(),
            what: what.chars().take(200).collect(),
        })
        .await
    }

    /// Lets `who` read the audit log, and audits that read as `action` of
    /// `audit-log` (reading the log is an access too); else refuses.
    async fn permit_audit_read(&self, who: &Principal, action: &str) -> Result<(), StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        self.run(AuditRead {
            actor: who.actor().clone(),
            action: action.to_owned(),
        })
        .await
    }

    /// The audit log rows with `from <= seq < to`, in order (audited as
    /// `read-entries`).
    pub async fn audit_entries(
        &self,
        who: &Principal,
        from: u64,
        to: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        self.permit_audit_read(who, "read-entries").await?;
        self.stored_entries(from, to).await
    }

    async fn stored_entries(&self, from: u64, to: u64) -> Result<Vec<StoredEntry>, StoreError> {
        self.shared.backend.audit_entries(from, to).await
    }

    /// The stored audit head (audited as `read-head`).
    pub async fn audit_head(&self, who: &Principal) -> Result<AuditHead, StoreError> {
        self.permit_audit_read(who, "read-head").await?;
        self.stored_head().await
    }

    async fn stored_head(&self) -> Result<AuditHead, StoreError> {
        self.shared.backend.audit_head().await
    }

    /// Checks the whole stored audit log: sequence numbers, the hash chain,
    /// every stored Merkle leaf hash, the stored head against the entries, and
    /// the given published checkpoints (already checked for their
    /// signatures); then every record (contact, account, token) against the
    /// digest in the latest entry about it, every read against the entry
    /// before it, and the report counters against the records they count.
    /// All in one read-only snapshot, in time linear in the records and the
    /// log. The first finding is returned in words that say where.
    /// Audited as `verify` once it has read: a log found altered may not
    /// take the entry, and the finding must still be told.
    pub async fn verify_audit_log(
        &self,
        who: &Principal,
        checkpoints: &[trustgate_audit::Checkpoint],
    ) -> Result<Result<AuditReport, String>, StoreError> {
        self.permit(who, Permission::ReadAuditLog).await?;
        let finding = self.check_stored_log(checkpoints).await?;
        let recorded = self
            .run(AuditRead {
                actor: who.actor().clone(),
                action: "verify".to_owned(),
            })
            .await;
        match (&finding, recorded) {
            (Ok(_), Err(e)) => Err(e),
            _ => Ok(finding),
        }
    }

    async fn check_stored_log(
        &self,
        checkpoints: &[trustgate_audit::Checkpoint],
    ) -> Result<Result<AuditReport, String>, StoreError> {
        self.shared.backend.verify_snapshot(checkpoints).await
    }

    /// The leaf hashes of the first `size` entries, recomputed from the
    /// entries (never the stored ones: a proof must not vouch for an altered
    /// row), or an error if the log is shorter.
    async fn leaves(&self, size: u64) -> Result<(Vec<StoredEntry>, Vec<Hash>), StoreError> {
        let head = self.stored_head().await?;
        if size > head.size {
            return Err(StoreError::Invalid(format!(
                "the log has {} entries, not {size}",
                head.size
            )));
        }
        let entries = self.stored_entries(0, size).await?;
        if entries.len() as u64 != size {
            return Err(StoreError::Corrupt(format!(
                "the head counts {size} entries but {} are stored",
                entries.len()
            )));
        }
        let leaves = entries.iter().map(|s| s.entry.leaf_hash()).collect();
        Ok((entries, leaves))
    }

    /// The tree head as of `time_ms`: the size of the log made of the
    /// entries written before then, and its Merkle root (from the entries'
    /// contents). For a checkpoint of the log as it stood at a period's end.
    /// Audited as `read-head-at`.
    pub async fn audit_head_at(
        &self,
        who: &Principal,
        time_ms: i64,
    ) -> Result<(u64, Hash), StoreError> {
        self.permit_audit_read(who, "read-head-at").await?;
        let head = self.stored_head().await?;
        let (entries, leaves) = self.leaves(head.size).await?;
        // Entries are appended in time order; the first one at or after
        // `time_ms` ends the log as it stood.
        let size = entries
            .iter()
            .position(|s| s.entry.time_ms >= time_ms)
            .unwrap_or(entries.len());
        let root = trustgate_audit::merkle::root(leaves.get(..size).unwrap_or(&leaves));
        Ok((size as u64, root))
    }

    /// Proves that entry `entry` is in the tree of the first `size` entries
    /// (the size of a published checkpoint, say). Audited as
    /// `prove-inclusion`.
    pub async fn inclusion_proof(
        &self,
        who: &Principal,
        entry: u64,
        size: u64,
    ) -> Result<InclusionProof, StoreError> {
        self.permit_audit_read(who, "prove-inclusion").await?;
        if entry >= size {
            return Err(StoreError::Invalid(format!(
                "entry {entry} is not among the first {size}"
            )));
        }
        let (mut entries, leaves) = self.leaves(size).await?;
        let path = trustgate_audit::merkle::inclusion_proof(&leaves, entry)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let root = trustgate_audit::merkle::root(&leaves);
        let index =
            usize::try_from(entry).map_err(|_| StoreError::Invalid("entry too large".into()))?;
        Ok(InclusionProof {
            entry: entries.swap_remove(index),
            size,
            root,
            path,
        })
    }

    /// Proves that the tree of the first `old_size` entries is a prefix of
    /// the tree of the first `new_size`: nothing published was rewritten.
    /// Audited as `prove-consistency`.
    pub async fn consistency_proof(
        &self,
        who: &Principal,
        old_size: u64,
        new_size: u64,
    ) -> Result<ConsistencyProof, StoreError> {
        self.permit_audit_read(who, "prove-consistency").await?;
        if old_size > new_size {
            return Err(StoreError::Invalid(format!(
                "the old size {old_size} is larger than the new size {new_size}"
            )));
        }
        let (_, leaves) = self.leaves(new_size).await?;
        let proof = trustgate_audit::merkle::consistency_proof(&leaves, old_size)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let old =
            usize::try_from(old_size).map_err(|_| StoreError::Invalid("size too large".into()))?;
        Ok(ConsistencyProof {
            old_size,
            old_root: trustgate_audit::merkle::root(leaves.get(..old).ok_or_else(|| {
                StoreError::Invalid(format!("the log has fewer than {old_size} entries"))
            })?),
            new_size,
            new_root: trustgate_audit::merkle::root(&leaves),
            proof,
        })
    }
}

/// A refused request (audited as `denied`, with what was asked as the object).
#[derive(Debug)]
pub(crate) struct Denied {
    actor: Actor,
    what: String,
}

impl Operation for Denied {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        audit
            .append(conn, &self.actor, "denied", self.what.clone(), "")
            .await
    }
}

/// A read of the audit log (audited as `action` of `audit-log`).
#[derive(Debug)]
pub(crate) struct AuditRead {
    pub(crate) actor: Actor,
    pub(crate) action: String,
}

impl Operation for AuditRead {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        audit
            .append(conn, &self.actor, &self.action, "audit-log".into(), "")
            .await
    }
}

impl Db {
    /// The audit log rows with `from <= seq < to`, in order.
    pub(crate) async fn audit_entries(
        &self,
        from: u64,
        to: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = query(
            "SELECT seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash, \
             format, state, record, digest FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
        )
        .bind(to_i64(from.min(i64::MAX as u64))?)
        .bind(to_i64(to.min(i64::MAX as u64))?)
        .fetch_all(&mut self.pool.acquire().await?)
        .await
        .map_err(db)?;
        rows.iter().map(stored_entry).collect()
    }

    pub(crate) async fn audit_trail(
        &self,
        object: &str,
        limit: i64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = query(
            "SELECT seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash, \
             format, state, record, digest FROM audit_log WHERE object = $1 ORDER BY seq LIMIT $2",
        )
        .bind(object)
        .bind(limit)
        .fetch_all(&mut self.pool.acquire().await?)
        .await
        .map_err(db)?;
        rows.iter().map(stored_entry).collect()
    }

    pub(crate) async fn audit_head(&self) -> Result<AuditHead, StoreError> {
        let row = query("SELECT size, chain_head, frontier FROM audit_head WHERE id = 1")
            .fetch_one(&mut self.pool.acquire().await?)
            .await
            .map_err(db)?;
        Ok(audit_head_of(&head_of_row(&row)?))
    }
}

/// An audit entry with its stored hashes, from `seq, time_ms, actor,
/// action, object, detail, chain_hash, leaf_hash, format, state, record,
/// digest`.
pub(crate) fn stored_entry(r: &Row) -> Result<StoredEntry, StoreError> {
    let state = crate::integrity::state_of_columns(
        r.try_get(8).map_err(db)?,
        r.try_get::<Option<String>>(9).map_err(db)?.as_deref(),
        r.try_get(10).map_err(db)?,
        r.try_get::<Option<Vec<u8>>>(11).map_err(db)?.as_deref(),
    )?;
    Ok(StoredEntry {
        entry: trustgate_audit::Entry {
            seq: seq_of(r.try_get(0).map_err(db)?)?,
            time_ms: r.try_get(1).map_err(db)?,
            actor: r.try_get(2).map_err(db)?,
            action: r.try_get(3).map_err(db)?,
            object: r.try_get(4).map_err(db)?,
            detail: r.try_get(5).map_err(db)?,
            state,
        },
        chain_hash: hash_of(&r.try_get::<Vec<u8>>(6).map_err(db)?)?,
        leaf_hash: hash_of(&r.try_get::<Vec<u8>>(7).map_err(db)?)?,
    })
}
