//! The store's operations inside the writer's transaction, and the reads
//! outside it, written once for both backends against [`crate::sql::Conn`].

use trustgate_audit::{LogHead, State};

use crate::integrity_sql::{account_after, account_read, contact_after, contact_read, token_after};
use crate::sql::{Conn, Row as DbRow, query, query_scalar};
use crate::{
    Actor, Attempt, AuditHead, ComplianceException, Contact, ContactId, ContactSummary, Db,
    Explanation, Fulfilment, Grants, NewContact, NewReimbursement, ObligationRecord, Principal,
    Reach, Reimbursement, SignInMaterial, SignInOutcome, StoreError, StoredEntry, Unauthenticated,
    acts_from_json, audit_head_of, db, frontier_bytes, hash_of, head_from_row, next_entry, seq_of,
    to_i64,
};

use trustgate_access::{
    BRAKE_AFTER, BRAKE_SPACING_MS, LOCKOUT_MS, LOCKOUT_WINDOW_MS, MAX_FAILED_SIGN_INS,
    SESSION_IDLE_MS, TRUSTED_SOURCE_MS,
};

/// Sessions are touched at most this often, so reading does not mean
/// writing on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

impl Db {
    /// Runs operations in one transaction (a group commit), each with its
    /// audit append, in order. If one fails, nothing is committed and the
    /// failure names it, so the caller can answer it and run the others again.
    pub(crate) async fn run_batch(
        &self,
        ops: &[crate::Op],
        keyring: Option<&crate::Keyring>,
    ) -> Result<Vec<crate::OpOut>, crate::BatchError> {
        use crate::BatchError::{Batch, Op};
        let mut tx = self.pool.begin_write().await.map_err(Batch)?;
        let mut head = load_head(&mut tx).await.map_err(Batch)?;
        let mut outs = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let out = apply(&mut tx, &mut head, self.clock.now_ms(), op, keyring)
                .await
                .map_err(|e| Op(i, e))?;
            outs.push(out);
        }
        store_head(&mut tx, &head).await.map_err(Batch)?;
        tx.commit().await.map_err(Batch)?;
        Ok(outs)
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn ping(&self) -> Result<(), StoreError> {
        query("SELECT 1")
            .execute(&mut self.pool.acquire().await?)
            .await
            .map_err(db)?;
        Ok(())
    }

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

    pub(crate) async fn report_counts_complete(&self) -> Result<bool, StoreError> {
        let complete: i64 = query_scalar("SELECT complete FROM report_counts_state WHERE id = 1")
            .fetch_one(&mut self.pool.acquire().await?)
            .await
            .map_err(db)?;
        Ok(complete == 1)
    }

    pub(crate) async fn contacts_not_by(&self, actor: &str) -> Result<i64, StoreError> {
        query_scalar("SELECT COUNT(*) FROM contacts WHERE created_by <> $1")
            .bind(actor)
            .fetch_one(&mut self.pool.acquire().await?)
            .await
            .map_err(db)
    }

    pub(crate) async fn account_count(&self) -> Result<i64, StoreError> {
        query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut self.pool.acquire().await?)
            .await
            .map_err(db)
    }

    pub(crate) async fn sign_in_material(
        &self,
        username: &str,
    ) -> Result<Option<SignInMaterial>, StoreError> {
        let row = query(
            "SELECT password_hash, totp_secret, totp_last_step FROM accounts WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&mut self.pool.acquire().await?)
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(SignInMaterial {
                password_hash: r.try_get(0).map_err(db)?,
                totp_secret: r.try_get(1).map_err(db)?,
                totp_last_step: r.try_get(2).map_err(db)?,
            })
        })
        .transpose()
    }

    pub(crate) async fn session(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Result<Principal, Unauthenticated>, StoreError> {
        let row = query(
            "SELECT s.username, s.last_seen_ms, s.ended_ms, a.role \
             FROM sessions s JOIN accounts a ON a.username = s.username \
             WHERE s.token_hash = $1 AND a.disabled_ms IS NULL",
        )
        .bind(token_hash.as_slice())
        .fetch_optional(&mut self.pool.acquire().await?)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Ok(Err(Unauthenticated::Invalid));
        };
        let username: String = row.try_get(0).map_err(db)?;
        let last_seen: i64 = row.try_get(1).map_err(db)?;
        let ended: Option<i64> = row.try_get(2).map_err(db)?;
        let role: String = row.try_get(3).map_err(db)?;
        if ended.is_some() {
            return Ok(Err(Unauthenticated::Invalid));
        }
        let now = self.clock.now_ms();
        if now - last_seen > SESSION_IDLE_MS {
            query("UPDATE sessions SET ended_ms = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash.as_slice())
                .execute(&mut self.pool.acquire().await?)
                .await
                .map_err(db)?;
            return Ok(Err(Unauthenticated::Expired));
        }
        if now - last_seen >= TOUCH_EVERY_MS {
            query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash.as_slice())
                .execute(&mut self.pool.acquire().await?)
                .await
                .map_err(db)?;
        }
        let role = role
            .parse::<trustgate_access::Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Ok(Principal {
            actor: Actor::user(&username),
            grants: Grants::Role(role),
        }))
    }

    pub(crate) async fn api_token(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Principal>, StoreError> {
        let row =
            query("SELECT id, scopes FROM api_tokens WHERE token_hash = $1 AND revoked_ms IS NULL")
                .bind(token_hash.as_slice())
                .fetch_optional(&mut self.pool.acquire().await?)
                .await
                .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get(0).map_err(db)?;
        let scopes: String = row.try_get(1).map_err(db)?;
        let names: Vec<String> = serde_json::from_str(&scopes)
            .map_err(|e| StoreError::Corrupt(format!("token/{id} scopes: {e}")))?;
        let scopes = names
            .iter()
            .map(|n| n.parse::<trustgate_access::Permission>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("token/{id} scopes: {e}")))?;
        Ok(Some(Principal {
            actor: Actor::new(format!("token/{id}")),
            grants: Grants::Scopes(scopes),
        }))
    }
}

pub(crate) fn head_of_row(row: &DbRow) -> Result<LogHead, StoreError> {
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

/// Appends one audit entry inside the operation's transaction.
struct Audit<'h> {
    head: &'h mut LogHead,
    now: i64,
}

impl Audit<'_> {
    /// Appends an entry about no one record's content.
    async fn append(
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

    /// Appends an entry committing to a record's content (`integrity_sql.rs`
    /// computes it from the rows as written, in this transaction).
    async fn append_state(
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

async fn apply(
    conn: &mut Conn,
    head: &mut LogHead,
    now: i64,
    op: &crate::Op,
    keyring: Option<&crate::Keyring>,
) -> Result<crate::OpOut, StoreError> {
    use crate::{Op, OpOut};
    let mut audit = Audit { head, now };
    match op {
        Op::Record(actor, checked) => {
            let recorded = insert_contact(conn, actor, now, checked, keyring, &mut audit).await?;
            Ok(OpOut::Contact(recorded))
        }
        Op::Read(actor, id, reach) => {
            let (id, reach) = (*id, *reach);
            let Some(owner) = owner_of(conn, id).await? else {
                return Err(StoreError::NotFound(id.object()));
            };
            if reach == Reach::Own && owner != actor.as_str() {
                audit
                    .append(conn, actor, "read-denied", id.object(), "")
                    .await?;
                return Ok(OpOut::Denied);
            }
            let contact = read_contact(conn, id, keyring).await?;
            let state = contact_read(conn, id).await?;
            audit
                .append_state(conn, actor, "read", id.object(), "", state)
                .await?;
            Ok(OpOut::Read(Box::new(contact)))
        }
        Op::List(actor, reach, page) => {
            let (reach, page) = (*reach, *page);
            let list = list_contacts(conn, actor, reach, page).await?;
            let detail = match reach {
                Reach::Own => "own",
                Reach::All => "all",
            };
            let state = State::Returned {
                digest: crate::integrity::returned_contacts(&list),
            };
            audit
                .append_state(conn, actor, "list", "contacts".into(), detail, state)
                .await?;
            Ok(OpOut::List(list))
        }
        Op::Fulfil(actor, contact, obligation, note, reach) => {
            let (contact, obligation, reach) = (*contact, *obligation, *reach);
            let object = format!("obligation/{obligation}");
            let row = query(
                "SELECT o.fulfilled_ms, c.created_by FROM obligations o \
                 JOIN contacts c ON c.id = o.contact_id WHERE o.id = $1 AND o.contact_id = $2",
            )
            .bind(obligation)
            .bind(contact.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(object.clone()))?;
            let fulfilled: Option<i64> = row.try_get(0).map_err(db)?;
            let owner: String = row.try_get(1).map_err(db)?;
            if reach == Reach::Own && owner != actor.as_str() {
                audit
                    .append(conn, actor, "fulfil-denied", object, "")
                    .await?;
                return Ok(OpOut::Denied);
            }
            if fulfilled.is_some() {
                return Err(StoreError::Conflict(format!(
                    "{object} is already fulfilled"
                )));
            }
            query(
                "UPDATE obligations SET fulfilled_ms = $1, fulfilled_by = $2, fulfilment_note = $3 \
                 WHERE id = $4",
            )
            .bind(now)
            .bind(actor.as_str())
            .bind(note)
            .bind(obligation)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            let state = contact_after(conn, contact).await?;
            audit
                .append_state(conn, actor, "fulfil", object, &contact.object(), state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::Reimburse(actor, contact, r) => {
            let contact = *contact;
            if owner_of(conn, contact).await?.is_none() {
                return Err(StoreError::NotFound(contact.object()));
            }
            let id: i64 = query_scalar(
                "INSERT INTO reimbursements (contact_id, amount_cents, received_on, reference, \
                 recorded_by, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(contact.0)
            .bind(r.amount_cents)
            .bind(&r.received_on)
            .bind(&r.reference)
            .bind(actor.as_str())
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
            let state = contact_after(conn, contact).await?;
            audit
                .append_state(
                    conn,
                    actor,
                    "create",
                    format!("reimbursement/{id}"),
                    &contact.object(),
                    state,
                )
                .await?;
            Ok(OpOut::Id(id))
        }
        Op::Exceptions(actor, office) => {
            let office = *office;
            let list = exceptions(conn, None, office).await?;
            let detail = office.map_or("all", |o| o.as_str());
            let state = State::Returned {
                digest: crate::integrity::returned_exceptions(&list),
            };
            audit
                .append_state(
                    conn,
                    actor,
                    "list",
                    "compliance-exceptions".into(),
                    detail,
                    state,
                )
                .await?;
            Ok(OpOut::Exceptions(list))
        }
        Op::Explain(actor, exception, text) => {
            let exception = *exception;
            let object = format!("compliance-exception/{exception}");
            let found: Option<i64> =
                query_scalar("SELECT contact_id FROM compliance_exceptions WHERE id = $1")
                    .bind(exception)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
            let Some(contact) = found.map(ContactId) else {
                return Err(StoreError::NotFound(object));
            };
            query(
                "INSERT INTO exception_explanations (exception_id, explanation, explained_by, at_ms) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(exception)
            .bind(text)
            .bind(actor.as_str())
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            let state = contact_after(conn, contact).await?;
            audit
                .append_state(conn, actor, "explain", object, "", state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::AddAccount(actor, a) => {
            let exists: Option<String> =
                query_scalar("SELECT username FROM accounts WHERE username = $1")
                    .bind(&a.username)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
            if exists.is_some() {
                return Err(StoreError::Conflict(format!("account/{}", a.username)));
            }
            query(
                "INSERT INTO accounts (username, role, password_hash, totp_secret, created_by, created_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&a.username)
            .bind(a.role.as_str())
            .bind(&a.password_hash)
            .bind(&a.totp_secret)
            .bind(actor.as_str())
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            let state = account_after(conn, &a.username).await?;
            audit
                .append_state(
                    conn,
                    actor,
                    "create",
                    format!("account/{}", a.username),
                    a.role.as_str(),
                    state,
                )
                .await?;
            Ok(OpOut::Done)
        }
        Op::SignIn(typed, attempt) => {
            let outcome = sign_in(conn, &typed.0, *attempt, now, &mut audit).await?;
            Ok(OpOut::SignIn(outcome))
        }
        Op::SignOut(actor, token_hash) => {
            query("UPDATE sessions SET ended_ms = $1 WHERE token_hash = $2 AND ended_ms IS NULL")
                .bind(now)
                .bind(token_hash.as_slice())
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            audit
                .append(conn, actor, "sign-out", "session".into(), "")
                .await?;
            Ok(OpOut::Done)
        }
        Op::AddToken(actor, t) => {
            let names: Vec<&str> = t.scopes.iter().map(|p| p.as_str()).collect();
            let scopes = serde_json::to_string(&names).map_err(db)?;
            let id: i64 = query_scalar(
                "INSERT INTO api_tokens (token_hash, name, scopes, created_by, created_ms) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(t.token_hash.as_slice())
            .bind(&t.name)
            .bind(&scopes)
            .bind(actor.as_str())
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
            let state = token_after(conn, id).await?;
            audit
                .append_state(
                    conn,
                    actor,
                    "create",
                    format!("token/{id}"),
                    &names.join(" "),
                    state,
                )
                .await?;
            Ok(OpOut::Id(id))
        }
        Op::Denied(actor, what) => {
            audit
                .append(conn, actor, "denied", what.clone(), "")
                .await?;
            Ok(OpOut::Done)
        }
        Op::OpenObligations(actor, reach, overdue) => {
            let list = open_obligations(conn, actor, *reach, *overdue).await?;
            let detail = match (reach, overdue) {
                (Reach::Own, None) => "own open",
                (Reach::Own, Some(_)) => "own overdue",
                (Reach::All, None) => "all open",
                (Reach::All, Some(_)) => "all overdue",
            };
            let state = State::Returned {
                digest: crate::integrity::returned_obligations(&list),
            };
            audit
                .append_state(conn, actor, "list", "obligations".into(), detail, state)
                .await?;
            Ok(OpOut::Obligations(list))
        }
        Op::ReportRows(actor, (from_ms, until_ms), (from_day, until_day)) => {
            let contacts = query(
                "SELECT id, kind, channel, receiving_unit, COALESCE(received_ms, created_ms), \
                 scenario, acts_done, withheld, late_entry IS NOT NULL FROM contacts \
                 WHERE COALESCE(received_ms, created_ms) >= $1 AND COALESCE(received_ms, created_ms) < $2 \
                 ORDER BY id",
            )
            .bind(from_ms)
            .bind(until_ms)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(report_row_of)
            .collect::<Result<Vec<_>, StoreError>>()?;
            let reimbursements = reimbursements_between(conn, from_day, until_day).await?;
            let detail = format!("{from_day} to {until_day}");
            let rows = crate::ReportRows {
                contacts,
                reimbursements,
            };
            let state = State::Returned {
                digest: crate::integrity::returned_report_rows(&rows),
            };
            audit
                .append_state(conn, actor, "read", "report".into(), &detail, state)
                .await?;
            Ok(OpOut::ReportRows(Box::new(rows)))
        }
        Op::ReportCounts(actor, (from_day, until_day)) => {
            let counts = query(
                "SELECT day, breakdown, key, count FROM report_counts \
                 WHERE day >= $1 AND day <= $2 ORDER BY day, breakdown, key",
            )
            .bind(from_day)
            .bind(until_day)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0).map_err(db)?,
                    r.try_get(1).map_err(db)?,
                    r.try_get(2).map_err(db)?,
                    r.try_get(3).map_err(db)?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
            let reimbursements = reimbursements_between(conn, from_day, until_day).await?;
            let detail = format!("{from_day} to {until_day}");
            let counts = crate::ReportCounts {
                counts,
                reimbursements,
            };
            let state = State::Returned {
                digest: crate::integrity::returned_report_counts(&counts),
            };
            audit
                .append_state(conn, actor, "read", "report".into(), &detail, state)
                .await?;
            Ok(OpOut::ReportCounts(Box::new(counts)))
        }
        Op::RecountReports(actor) => {
            query("DELETE FROM report_counts")
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            // Sum in memory first: the counters are few, the records many.
            let mut sums: std::collections::BTreeMap<(String, &'static str, String), i64> =
                std::collections::BTreeMap::new();
            let mut records = 0i64;
            {
                use futures_util::TryStreamExt as _;
                let mut rows = query(
                    "SELECT id, kind, channel, receiving_unit, COALESCE(received_ms, created_ms), \
                     scenario, acts_done, withheld, late_entry IS NOT NULL FROM contacts",
                )
                .fetch(&mut *conn);
                while let Some(r) = rows.try_next().await.map_err(db)? {
                    let row = report_row_of(&r)?;
                    let (day, counters) = trustgate_report::tally(&row);
                    let day = day.to_string();
                    for (breakdown, key) in counters {
                        *sums.entry((day.clone(), breakdown, key)).or_default() += 1;
                    }
                    records += 1;
                }
            }
            for ((day, breakdown, key), n) in &sums {
                add_count(conn, day, breakdown, key, *n).await?;
            }
            query("UPDATE report_counts_state SET complete = 1 WHERE id = 1")
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let detail = format!("{records} records");
            audit
                .append(conn, actor, "recount", "report".into(), &detail)
                .await?;
            Ok(OpOut::Id(records))
        }
        Op::ListAccounts(actor) => {
            let rows = query(
                "SELECT username, role, created_by, created_ms, disabled_ms \
                 FROM accounts ORDER BY username",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            let key = sign_in_key(conn).await?;
            let mut locks = Vec::with_capacity(rows.len());
            for r in &rows {
                let username: String = r.try_get(0).map_err(db)?;
                locks.push(name_locked_until(conn, &key, &username).await?);
            }
            let accounts = rows
                .iter()
                .zip(locks)
                .map(|(r, locked)| {
                    let role: String = r.try_get(1).map_err(db)?;
                    Ok(crate::AccountSummary {
                        username: r.try_get(0).map_err(db)?,
                        role: role.parse().map_err(|e: trustgate_access::UnknownName| {
                            StoreError::Corrupt(e.to_string())
                        })?,
                        created_by: Actor::new(r.try_get::<String>(2).map_err(db)?),
                        created_ms: r.try_get(3).map_err(db)?,
                        locked_until_ms: (locked > now).then_some(locked),
                        disabled_ms: r.try_get(4).map_err(db)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let state = State::Returned {
                digest: crate::integrity::returned_accounts(&accounts),
            };
            audit
                .append_state(conn, actor, "list", "accounts".into(), "", state)
                .await?;
            Ok(OpOut::Accounts(accounts))
        }
        Op::ListTokens(actor) => {
            let rows = query(
                "SELECT id, name, scopes, created_by, created_ms, revoked_ms \
                 FROM api_tokens ORDER BY id",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            let tokens = rows
                .iter()
                .map(|r| {
                    let scopes: String = r.try_get(2).map_err(db)?;
                    let scopes: Vec<String> = serde_json::from_str(&scopes)
                        .map_err(|e| StoreError::Corrupt(format!("a token's scopes: {e}")))?;
                    Ok(crate::TokenSummary {
                        id: r.try_get(0).map_err(db)?,
                        name: r.try_get(1).map_err(db)?,
                        scopes,
                        created_by: Actor::new(r.try_get::<String>(3).map_err(db)?),
                        created_ms: r.try_get(4).map_err(db)?,
                        revoked_ms: r.try_get(5).map_err(db)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let state = State::Returned {
                digest: crate::integrity::returned_tokens(&tokens),
            };
            audit
                .append_state(conn, actor, "list", "tokens".into(), "", state)
                .await?;
            Ok(OpOut::Tokens(tokens))
        }
        Op::DisableAccount(actor, username) => {
            let object = format!("account/{username}");
            let changed = query(
                "UPDATE accounts SET disabled_ms = $1 WHERE username = $2 AND disabled_ms IS NULL",
            )
            .bind(now)
            .bind(username)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound(object));
            }
            query("UPDATE sessions SET ended_ms = $1 WHERE username = $2 AND ended_ms IS NULL")
                .bind(now)
                .bind(username)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let state = account_after(conn, username).await?;
            audit
                .append_state(conn, actor, "disable", object, "", state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::IssueEnrolment(actor, username, code_hash, expires_ms) => {
            let object = format!("account/{username}");
            let changed = query(
                "UPDATE accounts SET enrolment_hash = $1, enrolment_expires_ms = $2 \
                 WHERE username = $3 AND disabled_ms IS NULL",
            )
            .bind(code_hash.as_slice())
            .bind(*expires_ms)
            .bind(username)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound(object));
            }
            let state = account_after(conn, username).await?;
            audit
                .append_state(conn, actor, "enrolment-issued", object, "", state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::Enrol(username, e) => {
            let object = format!("account/{username}");
            let me = Actor::user(username);
            let changed = query(
                "UPDATE accounts SET password_hash = $1, totp_secret = $2, totp_last_step = $3, \
                 failures = 0, first_failure_ms = 0, locked_until_ms = 0, \
                 enrolment_hash = NULL, enrolment_expires_ms = NULL \
                 WHERE username = $4 AND enrolment_hash = $5 AND enrolment_expires_ms > $6 \
                 AND disabled_ms IS NULL",
            )
            .bind(&e.password_hash)
            .bind(&e.totp_secret)
            .bind(e.totp_step)
            .bind(username)
            .bind(e.code_hash.as_slice())
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            if changed.rows_affected() == 0 {
                // An unknown name is not written to the log (it may be a
                // mistyped password, or someone's name).
                let known: Option<String> =
                    query_scalar("SELECT username FROM accounts WHERE username = $1")
                        .bind(username)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(db)?;
                let (who, object, state) = match known {
                    Some(_) => (me, object, account_read(conn, username).await?),
                    None => (
                        Actor::new("anonymous"),
                        "account/unknown".to_owned(),
                        State::NoRecord,
                    ),
                };
                audit
                    .append_state(conn, &who, "enrol-failed", object, "", state)
                    .await?;
                return Ok(OpOut::Denied);
            }
            query("UPDATE sessions SET ended_ms = $1 WHERE username = $2 AND ended_ms IS NULL")
                .bind(now)
                .bind(username)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            // New credentials: the name's lockouts and brake no longer apply.
            let key = sign_in_key(conn).await?;
            let name = crate::guard::name_key(&key, username);
            query(
                "UPDATE sign_in_guards SET failures = 0, first_failure_ms = 0, locked_until_ms = 0 \
                 WHERE name_key = $1",
            )
            .bind(name.as_slice())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            query("DELETE FROM sign_in_brakes WHERE name_key = $1")
                .bind(name.as_slice())
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let state = account_after(conn, username).await?;
            audit
                .append_state(conn, &me, "enrolled", object, "", state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::RevokeToken(actor, id) => {
            let object = format!("token/{id}");
            let revoked =
                query("UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL")
                    .bind(now)
                    .bind(*id)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            if revoked.rows_affected() == 0 {
                return Err(StoreError::NotFound(object));
            }
            let state = token_after(conn, *id).await?;
            audit
                .append_state(conn, actor, "revoke", object, "", state)
                .await?;
            Ok(OpOut::Done)
        }
        Op::RotateKeys(actor) => {
            let Some(keyring) = keyring else {
                return Err(StoreError::Invalid("no keyring is set".into()));
            };
            let rows = query(
                "SELECT id, person_key, person_sealed FROM contacts \
                 WHERE person_key IS NOT NULL AND person_key <> $1 ORDER BY id",
            )
            .bind(keyring.current())
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            for r in &rows {
                let id = ContactId(r.try_get(0).map_err(db)?);
                let key: String = r.try_get(1).map_err(db)?;
                let sealed: Vec<u8> = r.try_get(2).map_err(db)?;
                let plain = keyring
                    .open(&key, &id.object(), &sealed)
                    .map_err(|e| StoreError::Invalid(format!("{}: {e}", id.object())))?;
                seal_person(conn, keyring, id, &plain).await?;
                // Each re-sealed record is changed: its new content is committed to.
                let state = contact_after(conn, id).await?;
                audit
                    .append_state(conn, actor, "reseal", id.object(), keyring.current(), state)
                    .await?;
            }
            let detail = format!("{} re-sealed under {}", rows.len(), keyring.current());
            audit
                .append(conn, actor, "rotate-keys", "data-keys".into(), &detail)
                .await?;
            Ok(OpOut::Id(i64::try_from(rows.len()).unwrap_or(i64::MAX)))
        }
        Op::AuditRead(actor, action) => {
            audit
                .append(conn, actor, action, "audit-log".into(), "")
                .await?;
            Ok(OpOut::Done)
        }
        Op::Publish(actor, period) => {
            let (_, until_ms) = period.utc_ms();
            if until_ms > now {
                return Err(StoreError::Invalid(format!(
                    "period {} has not ended: only an ended period's report is published as final",
                    period.number
                )));
            }
            let object = publication(period.number);
            if !published(conn, &object).await? {
                let detail = format!("{} to {}", period.from, period.until);
                audit
                    .append(conn, actor, "publish", object, &detail)
                    .await?;
            }
            Ok(OpOut::Done)
        }
    }
}

/// The store's sign-in key (`guard.rs`), drawn on first use; every server
/// sharing the database uses the same one.
async fn sign_in_key(conn: &mut Conn) -> Result<Vec<u8>, StoreError> {
    const GET: &str = "SELECT secret FROM sign_in_key WHERE id = 1";
    if let Some(k) = query_scalar(GET)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
    {
        return Ok(k);
    }
    let mut k = [0u8; 32];
    getrandom::fill(&mut k)
        .map_err(|e| StoreError::Backend(format!("no random sign-in key: {e}")))?;
    query("INSERT INTO sign_in_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(k.as_slice())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    query_scalar(GET).fetch_one(&mut *conn).await.map_err(db)
}

/// Until when a name is locked for some source (0 if for none).
async fn name_locked_until(conn: &mut Conn, key: &[u8], username: &str) -> Result<i64, StoreError> {
    let name = crate::guard::name_key(key, username);
    let until: Option<i64> =
        query_scalar("SELECT MAX(locked_until_ms) FROM sign_in_guards WHERE name_key = $1")
            .bind(name.as_slice())
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
    Ok(until.unwrap_or(0))
}

/// Forgets guards that no longer hold anything: no failure in the window, no
/// lock, no recent success (they are rate state, not records).
async fn prune_sign_in_guards(conn: &mut Conn, now: i64) -> Result<(), StoreError> {
    query(
        "DELETE FROM sign_in_guards WHERE first_failure_ms < $1 AND locked_until_ms < $2 \
         AND (signed_in_ms IS NULL OR signed_in_ms < $3)",
    )
    .bind(now - LOCKOUT_WINDOW_MS)
    .bind(now)
    .bind(now - TRUSTED_SOURCE_MS)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    query("DELETE FROM sign_in_brakes WHERE first_failure_ms < $1 AND next_ms < $2")
        .bind(now - LOCKOUT_WINDOW_MS)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Failures counted in a window that starts at the first one: (failures,
/// first failure) after one more at `now`.
fn one_more_failure(failures: i64, first: i64, now: i64) -> (i64, i64) {
    if failures > 0 && now - first < LOCKOUT_WINDOW_MS {
        (failures + 1, first)
    } else {
        (1, now)
    }
}

/// Settles a sign-in. The name as typed and the source are counted by keyed
/// digests (`guard.rs`) before anything asks whether the account exists,
/// and an unknown name takes the same path as a known one with a wrong
/// password, so the answers cannot tell them apart; only the audit entry
/// (which no caller sees) differs.
async fn sign_in(
    conn: &mut Conn,
    typed: &str,
    attempt: Attempt,
    now: i64,
    audit: &mut Audit<'_>,
) -> Result<SignInOutcome, StoreError> {
    use crate::guard::{name_key, short, source_key};
    let key = sign_in_key(conn).await?;
    let name = name_key(&key, typed);
    let source = source_key(&key, attempt.source);
    prune_sign_in_guards(conn, now).await?;
    let guard = query(
        "SELECT failures, first_failure_ms, locked_until_ms, signed_in_ms FROM sign_in_guards \
         WHERE name_key = $1 AND source_key = $2",
    )
    .bind(name.as_slice())
    .bind(source.as_slice())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let (failures, first_failure, locked_until, signed_in): (i64, i64, i64, Option<i64>) =
        match &guard {
            Some(r) => (
                r.try_get(0).map_err(db)?,
                r.try_get(1).map_err(db)?,
                r.try_get(2).map_err(db)?,
                r.try_get(3).map_err(db)?,
            ),
            None => (0, 0, 0, None),
        };
    let brake =
        query("SELECT failures, first_failure_ms, next_ms FROM sign_in_brakes WHERE name_key = $1")
            .bind(name.as_slice())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    let (brake_failures, brake_first, brake_next): (i64, i64, i64) = match &brake {
        Some(r) => (
            r.try_get(0).map_err(db)?,
            r.try_get(1).map_err(db)?,
            r.try_get(2).map_err(db)?,
        ),
        None => (0, 0, 0),
    };
    let account = if crate::is_username(typed) {
        query("SELECT totp_last_step, role, disabled_ms FROM accounts WHERE username = $1")
            .bind(typed)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
    } else {
        None
    };
    // The log names a known account; an unknown name only by its digest
    // (it may be a password typed in the wrong box). Never the address.
    let (actor, object, mut detail) = match &account {
        Some(_) => (
            Actor::user(typed),
            format!("account/{typed}"),
            format!("from {}", short(&source)),
        ),
        None => (
            Actor::new("anonymous"),
            "account/unknown".to_owned(),
            format!("name {} from {}", short(&name), short(&source)),
        ),
    };
    let read = async |conn: &mut Conn| match &account {
        Some(_) => account_read(conn, typed).await,
        None => Ok(State::NoRecord),
    };

    if locked_until > now {
        let state = read(conn).await?;
        audit
            .append_state(conn, &actor, "sign-in-locked", object, &detail, state)
            .await?;
        return Ok(SignInOutcome::Locked {
            until_ms: locked_until,
        });
    }
    let trusted = signed_in.is_some_and(|t| now - t < TRUSTED_SOURCE_MS);
    let braked = !trusted && brake_failures >= BRAKE_AFTER && now - brake_first < LOCKOUT_WINDOW_MS;
    if braked && brake_next > now {
        detail.push_str(", braked");
        let state = read(conn).await?;
        audit
            .append_state(conn, &actor, "sign-in-locked", object, &detail, state)
            .await?;
        return Ok(SignInOutcome::Locked {
            until_ms: brake_next,
        });
    }

    if let Some(row) = &account {
        let last_step: i64 = row.try_get(0).map_err(db)?;
        let role: String = row.try_get(1).map_err(db)?;
        let disabled: Option<i64> = row.try_get(2).map_err(db)?;
        let step = attempt.totp_step.filter(|s| *s > last_step);
        if let (true, Some(step), None) = (attempt.password_ok, step, disabled) {
            query("UPDATE accounts SET totp_last_step = $1 WHERE username = $2")
                .bind(step)
                .bind(typed)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            query(
                "INSERT INTO sessions (token_hash, username, created_ms, last_seen_ms) VALUES ($1, $2, $3, $3)",
            )
            .bind(attempt.session_hash.as_slice())
            .bind(typed)
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            // This source is now trusted for the name; its failures are cleared.
            query(
                "INSERT INTO sign_in_guards (name_key, source_key, failures, first_failure_ms, \
                 locked_until_ms, signed_in_ms) VALUES ($1, $2, 0, 0, 0, $3) \
                 ON CONFLICT (name_key, source_key) DO UPDATE SET failures = 0, \
                 first_failure_ms = 0, locked_until_ms = 0, signed_in_ms = excluded.signed_in_ms",
            )
            .bind(name.as_slice())
            .bind(source.as_slice())
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
            let state = account_after(conn, typed).await?;
            audit
                .append_state(conn, &actor, "sign-in", object, &detail, state)
                .await?;
            let role = role
                .parse::<trustgate_access::Role>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            return Ok(SignInOutcome::SignedIn(role));
        }
        if disabled.is_some() {
            detail.push_str(", disabled");
        }
    }

    // A failure: counted for this name from this source, and for the name.
    let (failures, first_failure) = one_more_failure(failures, first_failure, now);
    let locked_until = if failures >= MAX_FAILED_SIGN_INS {
        now + LOCKOUT_MS
    } else {
        0
    };
    query(
        "INSERT INTO sign_in_guards (name_key, source_key, failures, first_failure_ms, \
         locked_until_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (name_key, source_key) DO UPDATE SET failures = excluded.failures, \
         first_failure_ms = excluded.first_failure_ms, locked_until_ms = excluded.locked_until_ms",
    )
    .bind(name.as_slice())
    .bind(source.as_slice())
    .bind(failures)
    .bind(first_failure)
    .bind(locked_until)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    let (brake_failures, brake_first) = one_more_failure(brake_failures, brake_first, now);
    let brake_next = if !trusted && brake_failures >= BRAKE_AFTER {
        now + BRAKE_SPACING_MS
    } else {
        0
    };
    query(
        "INSERT INTO sign_in_brakes (name_key, failures, first_failure_ms, next_ms) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, \
         first_failure_ms = excluded.first_failure_ms, next_ms = excluded.next_ms",
    )
    .bind(name.as_slice())
    .bind(brake_failures)
    .bind(brake_first)
    .bind(brake_next)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    if locked_until > 0 {
        detail.push_str(", locked");
    }
    let state = read(conn).await?;
    audit
        .append_state(conn, &actor, "sign-in-failed", object, &detail, state)
        .await?;
    Ok(if locked_until > 0 {
        SignInOutcome::Locked {
            until_ms: locked_until,
        }
    } else {
        SignInOutcome::Failed
    })
}

/// How far ahead of the store's clock a contact may say it came in (the
/// recording device's clock may run a little fast).
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// A contact came in between the ordinance's passage (the first reporting
/// period's first day; nothing before it is counted) and now, give or take
/// [`CLOCK_SKEW_MS`]: a year 0000 or 9999 would land outside every report.
fn check_received(at: i64, now: i64) -> Result<(), StoreError> {
    let (y, m, d) = trustgate_report::PASSAGE;
    let began = trustgate_report::Period::nth(1).map_or(i64::MIN, |p| p.utc_ms().0);
    if at > now.saturating_add(CLOCK_SKEW_MS) {
        return Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it is {} minutes in the future: a contact is recorded when or after it came in",
                (at - now) / 60_000
            ),
        });
    }
    if at < began {
        return Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it is before the records began ({y:04}-{m:02}-{d:02}, when the ordinance passed)"
            ),
        });
    }
    Ok(())
}

/// The audit log's name for a period's published report.
fn publication(period: u32) -> String {
    format!("report/period-{period}")
}

/// Whether the log records that report as published. The log, not a table
/// of its own, says so: a publication cannot be removed without breaking
/// the log's verification.
async fn published(conn: &mut Conn, object: &str) -> Result<bool, StoreError> {
    let found: Option<i64> =
        query_scalar("SELECT seq FROM audit_log WHERE object = $1 AND action = 'publish' LIMIT 1")
            .bind(object)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    Ok(found.is_some())
}

/// A contact received in a period whose report was published is a late
/// entry: it must say why, and only such a one may.
async fn check_late_entry(
    conn: &mut Conn,
    received_ms: i64,
    late_entry: Option<&str>,
) -> Result<Option<u32>, StoreError> {
    let day = trustgate_report::local_date(received_ms);
    let closed = match trustgate_report::Period::containing(day) {
        Some(p) if published(conn, &publication(p.number)).await? => Some(p),
        _ => None,
    };
    match (closed, late_entry) {
        (Some(p), None) => Err(StoreError::Field {
            field: "received_at",
            message: format!(
                "it falls in period {} ({} to {}), whose report was published: recording it now changes that report. If it is a late entry, say why (`late_entry`)",
                p.number, p.from, p.until
            ),
        }),
        (None, Some(_)) => Err(StoreError::Field {
            field: "late_entry",
            message: "this contact is not a late entry (its period's report has not been published): leave `late_entry` out".into(),
        }),
        (p, _) => Ok(p.map(|p| p.number)),
    }
}

async fn insert_contact(
    conn: &mut Conn,
    actor: &Actor,
    now: i64,
    checked: &crate::Checked,
    keyring: Option<&crate::Keyring>,
    audit: &mut Audit<'_>,
) -> Result<crate::Recorded, StoreError> {
    let crate::Checked {
        contact: c,
        acts_done_json,
        prohibited,
        routed_to,
        obligations,
    } = checked;
    if let Some(at) = c.received_ms {
        check_received(at, now)?;
    }
    let late_into =
        check_late_entry(conn, c.received_ms.unwrap_or(now), c.late_entry.as_deref()).await?;
    let id: i64 = query_scalar(
        "INSERT INTO contacts (kind, channel, receiving_unit, received_ms, scenario, decision, \
         acts_done, compliance_exception, created_by, created_ms, done_by, withheld, late_entry) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(c.kind.as_str())
    .bind(c.channel.as_str())
    .bind(&c.receiving_unit)
    .bind(c.received_ms.unwrap_or(now))
    .bind(&c.scenario)
    .bind(&c.decision)
    .bind(acts_done_json)
    .bind(!prohibited.is_empty())
    .bind(actor.as_str())
    .bind(now)
    .bind(&c.done_by)
    .bind(&c.withheld)
    .bind(&c.late_entry)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let id = ContactId(id);
    if let Some(person) = &c.person {
        let keyring = keyring.ok_or_else(|| StoreError::Invalid("no keyring is set".into()))?;
        let plain = serde_json::to_vec(person).map_err(db)?;
        seal_person(conn, keyring, id, &plain).await?;
    }
    for act in prohibited {
        query(
            "INSERT INTO compliance_exceptions (contact_id, act, flagged_ms, routed_to) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(act)
        .bind(now)
        .bind(routed_to.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    for o in obligations {
        // A duty to record the contact for the report is performed by this
        // very record: it is kept as fulfilled, by the recorder, now.
        let performed = trustgate_report::performed_by_recording(&o.cite);
        query(
            "INSERT INTO obligations (contact_id, obligation, law, duty, due, due_ms, \
             fulfilled_ms, fulfilled_by, fulfilment_note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.0)
        .bind(&o.id)
        .bind(&o.law)
        .bind(&o.duty)
        .bind(&o.due)
        .bind(c.obligations_due.get(&o.id).copied())
        .bind(performed.then_some(now))
        .bind(performed.then(|| actor.as_str().to_owned()))
        .bind(performed.then_some(trustgate_report::PERFORMED_BY_RECORDING))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    count_for_reports(
        conn,
        &trustgate_report::ContactRow {
            id: id.0,
            kind: c.kind.as_str().to_owned(),
            channel: c.channel.as_str().to_owned(),
            receiving_unit: c.receiving_unit.clone(),
            received_ms: c.received_ms.unwrap_or(now),
            scenario: c.scenario.clone(),
            acts_done: c.acts_done.clone(),
            withheld: c.withheld.clone(),
            late_entry: c.late_entry.is_some(),
        },
        1,
    )
    .await?;
    let detail = match late_into {
        // A late entry changes a published report: the log says which.
        Some(n) => format!("{} late-entry period-{n}", crate::create_detail(prohibited))
            .trim_start()
            .to_owned(),
        None => crate::create_detail(prohibited).to_owned(),
    };
    let state = contact_after(conn, id).await?;
    audit
        .append_state(conn, actor, "create", id.object(), &detail, state)
        .await?;
    Ok(crate::Recorded {
        id,
        prohibited: prohibited.clone(),
        routed_to: *routed_to,
        obligations: obligations.iter().map(|o| o.id.clone()).collect(),
    })
}

/// Seals a contact's personal data under the current key, bound to the record.
async fn seal_person(
    conn: &mut Conn,
    keyring: &crate::Keyring,
    id: ContactId,
    plain: &[u8],
) -> Result<(), StoreError> {
    let (key, sealed) = keyring
        .seal(&id.object(), plain)
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    query("UPDATE contacts SET person_key = $1, person_sealed = $2 WHERE id = $3")
        .bind(&key)
        .bind(&sealed)
        .bind(id.0)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// An audit entry with its stored hashes, from `seq, time_ms, actor,
/// action, object, detail, chain_hash, leaf_hash, format, state, record,
/// digest`.
pub(crate) fn stored_entry(r: &DbRow) -> Result<StoredEntry, StoreError> {
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

/// A contact as the report reads it, from `id, kind, channel,
/// receiving_unit, COALESCE(received_ms, created_ms), scenario, acts_done,
/// withheld, late_entry IS NOT NULL`.
fn report_row_of(r: &DbRow) -> Result<trustgate_report::ContactRow, StoreError> {
    let acts: String = r.try_get(6).map_err(db)?;
    Ok(trustgate_report::ContactRow {
        id: r.try_get(0).map_err(db)?,
        kind: r.try_get(1).map_err(db)?,
        channel: r.try_get(2).map_err(db)?,
        receiving_unit: r.try_get(3).map_err(db)?,
        received_ms: r.try_get(4).map_err(db)?,
        scenario: r.try_get(5).map_err(db)?,
        acts_done: acts_from_json(&acts)?,
        withheld: r.try_get(7).map_err(db)?,
        late_entry: r.try_get(8).map_err(db)?,
    })
}

/// Reimbursements received between two days (YYYY-MM-DD, both included).
async fn reimbursements_between(
    conn: &mut Conn,
    from_day: &str,
    until_day: &str,
) -> Result<Vec<(ContactId, i64, String)>, StoreError> {
    query(
        "SELECT contact_id, amount_cents, received_on FROM reimbursements \
         WHERE received_on >= $1 AND received_on <= $2 ORDER BY id",
    )
    .bind(from_day)
    .bind(until_day)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        Ok((
            ContactId(r.try_get(0).map_err(db)?),
            r.try_get(1).map_err(db)?,
            r.try_get(2).map_err(db)?,
        ))
    })
    .collect()
}

/// Adds a record to the report counters of its day (under the report's own
/// counting rules, `trustgate_report::tally`).
async fn count_for_reports(
    conn: &mut Conn,
    row: &trustgate_report::ContactRow,
    n: i64,
) -> Result<(), StoreError> {
    let (day, counters) = trustgate_report::tally(row);
    if counters.is_empty() {
        return Ok(());
    }
    // One statement for all of a record's counters (at most
    // MAX_COUNTERS = 13; unused slots are NULL and filtered out), so the
    // writer pays one round trip. A counter named twice (two instruments
    // on one channel) is summed first: one statement may touch a row once.
    let mut summed: Vec<(&str, &str, i64)> = Vec::with_capacity(counters.len());
    for (breakdown, key) in &counters {
        match summed
            .iter_mut()
            .find(|(b, k, _)| b == breakdown && k == key)
        {
            Some(slot) => slot.2 += n,
            None => summed.push((breakdown, key, n)),
        }
    }
    if summed.len() > trustgate_report::MAX_COUNTERS {
        return Err(StoreError::Corrupt(format!(
            "contact/{} adds to {} report counters, more than {}",
            row.id,
            summed.len(),
            trustgate_report::MAX_COUNTERS
        )));
    }
    let mut q = query(
        "INSERT INTO report_counts (day, breakdown, key, count) \
         SELECT $1, column1, column2, column3 FROM (VALUES ($2, $3, $4), ($5, $6, $7), \
         ($8, $9, $10), ($11, $12, $13), ($14, $15, $16), ($17, $18, $19), ($20, $21, $22), \
         ($23, $24, $25), ($26, $27, $28), ($29, $30, $31), ($32, $33, $34), ($35, $36, $37), \
         ($38, $39, $40)) \
         AS counters WHERE column1 IS NOT NULL \
         ON CONFLICT (day, breakdown, key) DO UPDATE SET count = report_counts.count + excluded.count",
    )
    .bind(day.to_string());
    for slot in 0..trustgate_report::MAX_COUNTERS {
        let (breakdown, key, count) = match summed.get(slot) {
            Some((b, k, c)) => (Some(*b), Some(*k), Some(*c)),
            None => (None, None, None),
        };
        q = q.bind(breakdown).bind(key).bind(count);
    }
    q.execute(&mut *conn).await.map_err(db)?;
    Ok(())
}

async fn add_count(
    conn: &mut Conn,
    day: &str,
    breakdown: &str,
    key: &str,
    n: i64,
) -> Result<(), StoreError> {
    query(
        "INSERT INTO report_counts (day, breakdown, key, count) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day, breakdown, key) DO UPDATE SET count = report_counts.count + $4",
    )
    .bind(day)
    .bind(breakdown)
    .bind(key)
    .bind(n)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

async fn owner_of(conn: &mut Conn, id: ContactId) -> Result<Option<String>, StoreError> {
    query_scalar("SELECT created_by FROM contacts WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)
}

async fn read_contact(
    conn: &mut Conn,
    id: ContactId,
    keyring: Option<&crate::Keyring>,
) -> Result<Contact, StoreError> {
    let row = query(
        "SELECT kind, channel, receiving_unit, received_ms, scenario, decision, acts_done, \
         compliance_exception, created_by, created_ms, person_key, person_sealed, done_by, \
         withheld, late_entry FROM contacts WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::NotFound(id.object()))?;
    let exceptions = exceptions(conn, Some(id), None).await?;
    let mut prohibited: Vec<String> = exceptions.iter().map(|e| e.act.clone()).collect();
    // Sorted here, not by the database's collation.
    prohibited.sort();
    let obligations = query(
        "SELECT id, obligation, law, duty, due, fulfilled_ms, fulfilled_by, fulfilment_note, due_ms \
         FROM obligations WHERE contact_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(obligation_of_row)
    .collect::<Result<Vec<_>, StoreError>>()?;
    let reimbursements = query(
        "SELECT id, amount_cents, received_on, reference, recorded_by, recorded_ms \
         FROM reimbursements WHERE contact_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?
    .iter()
    .map(|r| {
        Ok(Reimbursement {
            id: r.try_get(0).map_err(db)?,
            reimbursement: NewReimbursement {
                amount_cents: r.try_get(1).map_err(db)?,
                received_on: r.try_get(2).map_err(db)?,
                reference: r.try_get(3).map_err(db)?,
            },
            recorded_by: Actor::new(r.try_get::<String>(4).map_err(db)?),
            recorded_ms: r.try_get(5).map_err(db)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let kind: String = row.try_get(0).map_err(db)?;
    let channel: String = row.try_get(1).map_err(db)?;
    let received_ms: Option<i64> = row.try_get(3).map_err(db)?;
    let acts: String = row.try_get(6).map_err(db)?;
    let created_ms: i64 = row.try_get(9).map_err(db)?;
    let person_key: Option<String> = row.try_get(10).map_err(db)?;
    let person_sealed: Option<Vec<u8>> = row.try_get(11).map_err(db)?;
    let person = match (person_key, person_sealed) {
        (Some(key), Some(sealed)) => Some(open_person(keyring, &key, id, &sealed)),
        _ => None,
    };
    Ok(Contact {
        id,
        contact: NewContact {
            kind: crate::parse_stored(&kind)?,
            channel: crate::parse_stored(&channel)?,
            receiving_unit: row.try_get(2).map_err(db)?,
            // Contacts recorded before 0002 arrived when they were recorded.
            received_ms: Some(received_ms.unwrap_or(created_ms)),
            scenario: row.try_get(4).map_err(db)?,
            decision: row.try_get(5).map_err(db)?,
            acts_done: acts_from_json(&acts)?,
            done_by: row.try_get(12).map_err(db)?,
            withheld: row.try_get(13).map_err(db)?,
            late_entry: row.try_get(14).map_err(db)?,
            obligations_due: obligations
                .iter()
                .filter_map(|o| o.due_ms.map(|due| (o.obligation.clone(), due)))
                .collect(),
            person: None,
        },
        person,
        compliance_exception: row.try_get(7).map_err(db)?,
        prohibited_acts_done: prohibited,
        exceptions,
        obligations,
        reimbursements,
        recorded_by: Actor::new(row.try_get::<String>(8).map_err(db)?),
        recorded_ms: created_ms,
    })
}

/// An obligation from `id, obligation, law, duty, due, fulfilled_ms,
/// fulfilled_by, fulfilment_note, due_ms` (columns 0 to 8).
fn obligation_of_row(r: &DbRow) -> Result<ObligationRecord, StoreError> {
    let at: Option<i64> = r.try_get(5).map_err(db)?;
    let by: Option<String> = r.try_get(6).map_err(db)?;
    let note: Option<String> = r.try_get(7).map_err(db)?;
    Ok(ObligationRecord {
        id: r.try_get(0).map_err(db)?,
        obligation: r.try_get(1).map_err(db)?,
        law: r.try_get(2).map_err(db)?,
        duty: r.try_get(3).map_err(db)?,
        due: r.try_get(4).map_err(db)?,
        due_ms: r.try_get(8).map_err(db)?,
        fulfilment: match (at, by) {
            (Some(at_ms), Some(by)) => Some(Fulfilment {
                by: Actor::new(by),
                at_ms,
                note: note.unwrap_or_default(),
            }),
            _ => None,
        },
    })
}

async fn open_obligations(
    conn: &mut Conn,
    actor: &Actor,
    reach: Reach,
    overdue_at_ms: Option<i64>,
) -> Result<Vec<crate::OpenObligation>, StoreError> {
    let owner = match reach {
        Reach::Own => Some(actor.as_str()),
        Reach::All => None,
    };
    let rows = query(
        "SELECT o.id, o.obligation, o.law, o.duty, o.due, o.fulfilled_ms, o.fulfilled_by, \
         o.fulfilment_note, o.due_ms, c.id, COALESCE(c.received_ms, c.created_ms), c.created_by \
         FROM obligations o JOIN contacts c ON c.id = o.contact_id \
         WHERE o.fulfilled_ms IS NULL AND ($1 IS NULL OR c.created_by = $1) \
         AND ($2 IS NULL OR o.due_ms < $2) \
         ORDER BY CASE WHEN o.due_ms IS NULL THEN 1 ELSE 0 END, o.due_ms, o.id LIMIT 1000",
    )
    .bind(owner)
    .bind(overdue_at_ms)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(crate::OpenObligation {
                obligation: obligation_of_row(r)?,
                contact: ContactId(r.try_get(9).map_err(db)?),
                received_ms: r.try_get(10).map_err(db)?,
                recorded_by: Actor::new(r.try_get::<String>(11).map_err(db)?),
            })
        })
        .collect()
}

async fn list_contacts(
    conn: &mut Conn,
    actor: &Actor,
    reach: Reach,
    page: crate::Page,
) -> Result<Vec<ContactSummary>, StoreError> {
    let owner = match reach {
        Reach::Own => Some(actor.as_str()),
        Reach::All => None,
    };
    let rows = query(
        "SELECT c.id, c.kind, c.channel, c.receiving_unit, COALESCE(c.received_ms, c.created_ms), \
         c.compliance_exception, c.created_by, \
         (SELECT COUNT(*) FROM obligations o WHERE o.contact_id = c.id AND o.fulfilled_ms IS NULL) \
         FROM contacts c WHERE ($1 IS NULL OR c.created_by = $1) AND ($2 IS NULL OR c.id < $2) \
         AND ($4 IS NULL OR c.kind = $4) AND (NOT $5 OR c.compliance_exception) \
         AND ($6 IS NULL OR COALESCE(c.received_ms, c.created_ms) >= $6) \
         AND ($7 IS NULL OR COALESCE(c.received_ms, c.created_ms) < $7) \
         ORDER BY c.id DESC LIMIT $3",
    )
    .bind(owner)
    .bind(page.before.map(|b| b.0))
    .bind(i64::from(page.limit.min(500)))
    .bind(page.kind.map(|k| k.as_str()))
    .bind(page.exceptions_only)
    .bind(page.received.0)
    .bind(page.received.1)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(1).map_err(db)?;
            let channel: String = r.try_get(2).map_err(db)?;
            Ok(ContactSummary {
                id: ContactId(r.try_get(0).map_err(db)?),
                kind: crate::parse_stored(&kind)?,
                channel: crate::parse_stored(&channel)?,
                receiving_unit: r.try_get(3).map_err(db)?,
                received_ms: r.try_get(4).map_err(db)?,
                compliance_exception: r.try_get(5).map_err(db)?,
                recorded_by: Actor::new(r.try_get::<String>(6).map_err(db)?),
                open_obligations: r.try_get(7).map_err(db)?,
            })
        })
        .collect()
}

async fn exceptions(
    conn: &mut Conn,
    contact: Option<ContactId>,
    office: Option<crate::Office>,
) -> Result<Vec<ComplianceException>, StoreError> {
    let rows = query(
        "SELECT id, contact_id, act, routed_to, flagged_ms FROM compliance_exceptions \
         WHERE ($1 IS NULL OR contact_id = $1) AND ($2 IS NULL OR routed_to = $2) \
         ORDER BY id DESC",
    )
    .bind(contact.map(|c| c.0))
    .bind(office.map(|o| o.as_str()))
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get(0).map_err(db)?;
        let routed: String = r.try_get(3).map_err(db)?;
        let explanations = query(
            "SELECT explanation, explained_by, at_ms FROM exception_explanations \
             WHERE exception_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|e| {
            Ok(Explanation {
                text: e.try_get(0).map_err(db)?,
                by: Actor::new(e.try_get::<String>(1).map_err(db)?),
                at_ms: e.try_get(2).map_err(db)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(ComplianceException {
            id,
            contact: ContactId(r.try_get(1).map_err(db)?),
            act: r.try_get(2).map_err(db)?,
            routed_to: crate::parse_stored(&routed)?,
            flagged_ms: r.try_get(4).map_err(db)?,
            explanations,
        });
    }
    Ok(out)
}

/// Opens a contact's sealed personal data, or says why it cannot be read.
fn open_person(
    keyring: Option<&crate::Keyring>,
    key: &str,
    id: ContactId,
    sealed: &[u8],
) -> crate::PersonRecord {
    use crate::PersonRecord::{Known, Unreadable};
    let Some(keyring) = keyring else {
        return Unreadable(format!(
            "sealed under data key `{key}`; the server has no keyring"
        ));
    };
    match keyring.open(key, &id.object(), sealed) {
        Ok(plain) => match serde_json::from_slice(&plain) {
            Ok(p) => Known(p),
            Err(e) => Unreadable(format!("opened, but not a person's data: {e}")),
        },
        Err(e) => Unreadable(e.to_string()),
    }
}
