//! The writer: every operation is one type ([`Operation`]) run inside the
//! writer task's transaction, with its audit entry appended in the same
//! transaction ([`Audit`]). Queued operations of any type are committed
//! together (group commit); one that fails is answered alone and the rest
//! run again without it.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};
use trustgate_audit::{Entry, Frontier, Hash, LogHead, State};

use crate::sql::{Conn, Row, query};
use crate::store::{MAX_BATCH, Shared};
use crate::{Actor, AuditHead, Db, Keyring, StoreError, StoredEntry, db, hash_of, to_i64};

/// One unit of work inside the writer's transaction, with its audit append.
/// Each operation of the store is one type; its output is what its caller
/// gets back once the transaction has committed.
pub(crate) trait Operation: fmt::Debug + Send + Sync + 'static {
    /// What the caller gets back.
    type Output: Send + 'static;

    /// Does the work on `conn` (inside the batch's transaction) and appends
    /// its audit entry through `audit`.
    fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> impl Future<Output = Result<Self::Output, StoreError>> + Send;
}

/// A queued operation with where its answer goes, its type erased so that
/// one queue holds operations of every type.
pub(crate) trait Job: fmt::Debug + Send {
    /// Runs the operation; its output is kept until the batch commits.
    fn run<'a>(
        &'a mut self,
        conn: &'a mut Conn,
        audit: &'a mut Audit<'_>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Sends the kept output (after the commit).
    fn answer(self: Box<Self>);

    /// Sends a failure instead.
    fn fail(self: Box<Self>, e: StoreError);
}

/// An operation waiting for the writer.
pub(crate) struct Pending<O: Operation> {
    op: O,
    out: Option<O::Output>,
    reply: oneshot::Sender<Result<O::Output, StoreError>>,
}

impl<O: Operation> Pending<O> {
    pub(crate) fn new(op: O, reply: oneshot::Sender<Result<O::Output, StoreError>>) -> Self {
        Pending {
            op,
            out: None,
            reply,
        }
    }
}

impl<O: Operation> fmt::Debug for Pending<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("op", &self.op)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Job for Pending<O> {
    fn run<'a>(
        &'a mut self,
        conn: &'a mut Conn,
        audit: &'a mut Audit<'_>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.out = Some(self.op.apply(conn, audit).await?);
            Ok(())
        })
    }

    fn answer(self: Box<Self>) {
        let answer = self.out.ok_or_else(|| {
            StoreError::Backend("the writer committed an operation it had not run".into())
        });
        // A caller that went away (a timed-out request) just misses its answer.
        let _ = self.reply.send(answer);
    }

    fn fail(self: Box<Self>, e: StoreError) {
        let _ = self.reply.send(Err(e));
    }
}

/// Why a batch did not commit.
#[derive(Debug)]
pub(crate) enum BatchError {
    /// Operation `i` failed; nothing was committed.
    Op(usize, StoreError),
    /// The transaction itself failed; nothing was committed.
    Batch(StoreError),
}

/// Commits queued operations in batches until every sender is gone.
pub(crate) async fn write_batches(shared: Arc<Shared>, mut queue: mpsc::Receiver<Box<dyn Job>>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        while !jobs.is_empty() {
            match shared
                .backend
                .run_batch(&mut jobs, shared.keyring.as_ref())
                .await
            {
                Ok(()) => {
                    for job in jobs.drain(..) {
                        job.answer();
                    }
                }
                Err(BatchError::Op(i, e)) if i < jobs.len() => {
                    jobs.remove(i).fail(e);
                }
                Err(BatchError::Op(_, e) | BatchError::Batch(e)) => {
                    for job in jobs.drain(..) {
                        job.fail(e.clone());
                    }
                }
            }
        }
    }
}

impl Db {
    /// Runs operations in one transaction (a group commit), each with its
    /// audit append, in order. If one fails, nothing is committed and the
    /// failure names it, so the caller can answer it and run the others again.
    async fn run_batch(
        &self,
        jobs: &mut [Box<dyn Job>],
        keyring: Option<&Keyring>,
    ) -> Result<(), BatchError> {
        use BatchError::{Batch, Op};
        let mut conn = self.pool.begin_write().await.map_err(Batch)?;
        let mut head = load_head(&mut conn).await.map_err(Batch)?;
        for (i, job) in jobs.iter_mut().enumerate() {
            let mut audit = Audit {
                head: &mut head,
                now: self.clock.now_ms(),
                keyring,
            };
            job.run(&mut conn, &mut audit).await.map_err(|e| Op(i, e))?;
        }
        store_head(&mut conn, &head).await.map_err(Batch)?;
        conn.commit().await.map_err(Batch)?;
        Ok(())
    }
}

pub(crate) fn head_of_row(row: &Row) -> Result<LogHead, StoreError> {
    head_from_row(
        row.try_get(0).map_err(db)?,
        &row.try_get::<Vec<u8>>(1).map_err(db)?,
        &row.try_get::<Vec<u8>>(2).map_err(db)?,
    )
}

async fn load_head(conn: &mut Conn) -> Result<LogHead, StoreError> {
    let row = query(conn.load_head_sql())
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    head_of_row(&row)
}

async fn store_head(conn: &mut Conn, head: &LogHead) -> Result<(), StoreError> {
    query("UPDATE audit_head SET size = $1, chain_head = $2, frontier = $3 WHERE id = 1")
        .bind(to_i64(head.size())?)
        .bind(head.chain_head().as_slice())
        .bind(frontier_bytes(head))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// What an operation runs with besides its connection: the time it is
/// stamped with, the keyring, and the audit log's head to append to.
pub(crate) struct Audit<'h> {
    head: &'h mut LogHead,
    /// Now, from the store's clock (UTC ms).
    pub(crate) now: i64,
    /// The operator's data keys, if set.
    pub(crate) keyring: Option<&'h Keyring>,
}

impl fmt::Debug for Audit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Audit")
            .field("size", &self.head.size())
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl Audit<'_> {
    /// Appends an entry about no one record's content.
    pub(crate) async fn append(
        &mut self,
        conn: &mut Conn,
        actor: &Actor,
        action: &str,
        object: String,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.append_state(conn, actor, action, object, detail, State::NoRecord)
            .await
    }

    /// Appends an entry committing to a record's content (`integrity/rows.rs`
    /// computes it from the rows as written, in this transaction).
    pub(crate) async fn append_state(
        &mut self,
        conn: &mut Conn,
        actor: &Actor,
        action: &str,
        object: String,
        detail: &str,
        state: State,
    ) -> Result<(), StoreError> {
        let s = next_entry(self.head, self.now, actor, action, object, detail, state)?;
        let (format, kind, record, digest) = crate::integrity::state_columns(&s.entry.state);
        query(
            "INSERT INTO audit_log (seq, time_ms, actor, action, object, detail, chain_hash, leaf_hash, \
             format, state, record, digest) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(to_i64(s.entry.seq)?)
        .bind(s.entry.time_ms)
        .bind(&s.entry.actor)
        .bind(&s.entry.action)
        .bind(&s.entry.object)
        .bind(&s.entry.detail)
        .bind(s.chain_hash.as_slice())
        .bind(s.leaf_hash.as_slice())
        .bind(format)
        .bind(kind)
        .bind(record)
        .bind(digest)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        Ok(())
    }
}

/// Rebuilds the log head from the stored `audit_head` row.
pub(crate) fn head_from_row(
    size: i64,
    chain: &[u8],
    frontier: &[u8],
) -> Result<LogHead, StoreError> {
    let chain = hash_of(chain)?;
    let size =
        u64::try_from(size).map_err(|_| StoreError::Corrupt("negative audit size".into()))?;
    if !frontier.len().is_multiple_of(32) {
        return Err(StoreError::Corrupt(
            "audit frontier length is not a multiple of 32".into(),
        ));
    }
    let nodes = frontier
        .chunks_exact(32)
        .map(hash_of)
        .collect::<Result<Vec<Hash>, _>>()?;
    let frontier = Frontier::from_parts(size, nodes)
        .map_err(|e| StoreError::Corrupt(format!("audit frontier: {e}")))?;
    Ok(LogHead::from_parts(chain, frontier))
}

pub(crate) fn audit_head_of(head: &LogHead) -> AuditHead {
    AuditHead {
        size: head.size(),
        root: head.root(),
        chain_head: head.chain_head(),
    }
}

pub(crate) fn frontier_bytes(head: &LogHead) -> Vec<u8> {
    head.frontier().nodes().concat()
}

/// The audit entry for an operation, appended to `head`; returns it with the
/// hashes to store.
pub(crate) fn next_entry(
    head: &mut LogHead,
    time_ms: i64,
    actor: &Actor,
    action: &str,
    object: String,
    detail: &str,
    state: State,
) -> Result<StoredEntry, StoreError> {
    let entry = Entry {
        seq: head.size(),
        time_ms,
        actor: actor.as_str().to_owned(),
        action: action.to_owned(),
        object,
        detail: detail.to_owned(),
        state,
    };
    let a = head
        .append(&entry)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(StoredEntry {
        entry,
        chain_hash: a.chain_hash,
        leaf_hash: a.leaf_hash,
    })
}
