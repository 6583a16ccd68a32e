//! Signing in and sessions: the guards against guessing (per name as typed
//! and source, by keyed digests, `guard.rs`), the session a sign-in
//! creates, its idle expiry, and signing out. Every write, a session's
//! touch and idle end included, goes through the writer.

use trustgate_access::{
    BRAKE_AFTER, BRAKE_SPACING_MS, LOCKOUT_MS, LOCKOUT_WINDOW_MS, MAX_FAILED_SIGN_INS, Role,
    SESSION_IDLE_MS, TRUSTED_SOURCE_MS,
};
use trustgate_audit::State;

use crate::accounts::is_username;
use crate::integrity::{account_after, account_read};
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Grants, Principal, Store, StoreError, Unauthenticated, db, guard};

/// What checking a sign-in needs, read before the (slow) password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInMaterial {
    pub password_hash: String,
    pub totp_secret: Vec<u8>,
    pub totp_last_step: i64,
}

/// What the caller found when it checked the credentials.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub password_ok: bool,
    /// The TOTP step the code matched, if it did.
    pub totp_step: Option<i64>,
    /// The hash of the session token to create on success.
    pub session_hash: [u8; 32],
    /// The client's address (`None` in-process): failures are counted per
    /// name and source, and only a keyed digest of it is stored.
    pub source: Option<std::net::IpAddr>,
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the address, nor the session's hash.
        f.debug_struct("Attempt")
            .field("password_ok", &self.password_ok)
            .field("totp_step", &self.totp_step)
            .finish_non_exhaustive()
    }
}

/// How a sign-in ended. Callers show every failure the same way, and an
/// unknown name ends exactly as a known one with a wrong password would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in: the session exists.
    SignedIn(Role),
    /// Wrong username, password or code (or a replayed code).
    Failed,
    /// Not tried: this name is locked for this source after
    /// [`trustgate_access::MAX_FAILED_SIGN_INS`] failures from it, or braked
    /// for sources it never signed in from while it is under attack from
    /// many. Try again at `until_ms` (UTC ms).
    Locked { until_ms: i64 },
}

/// Sessions are touched at most this often, so reading does not mean
/// writing on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

impl Store {
    /// What checking a sign-in needs; `None` for an unknown username.
    /// Not audited by itself: [`Store::finish_sign_in`] is.
    pub async fn sign_in_material(
        &self,
        username: &str,
    ) -> Result<Option<SignInMaterial>, StoreError> {
        if !is_username(username) {
            return Ok(None);
        }
        let mut conn = self.shared.backend.pool.acquire().await?;
        let row = query(
            "SELECT password_hash, totp_secret, totp_last_step FROM accounts WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&mut conn)
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

    /// Settles a sign-in the caller has checked (audited as `sign-in`,
    /// `sign-in-failed` or `sign-in-locked`, with digests of the source and
    /// of an unknown name): counts failures per name as typed and source,
    /// locks that pair after [`trustgate_access::MAX_FAILED_SIGN_INS`]
    /// within [`trustgate_access::LOCKOUT_WINDOW_MS`], brakes the name for
    /// untrusted sources after [`trustgate_access::BRAKE_AFTER`] from all,
    /// refuses a TOTP step already used, and creates the session. Unknown
    /// names go through the same counting as known ones.
    pub async fn finish_sign_in(
        &self,
        username: &str,
        attempt: Attempt,
    ) -> Result<SignInOutcome, StoreError> {
        self.run(SignIn {
            typed: guard::Typed(username.to_owned()),
            attempt,
        })
        .await
    }

    /// The principal a session token (by hash) stands for, if the session is
    /// live; touches it, so it stays live while used. Not audited: what the
    /// principal then does is.
    pub async fn session(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Result<Principal, Unauthenticated>, StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        let row = query(
            "SELECT s.username, s.last_seen_ms, s.ended_ms, a.role \
             FROM sessions s JOIN accounts a ON a.username = s.username \
             WHERE s.token_hash = $1 AND a.disabled_ms IS NULL",
        )
        .bind(token_hash.as_slice())
        .fetch_optional(&mut conn)
        .await
        .map_err(db)?;
        // The connection goes back before the writer is asked for another.
        drop(conn);
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
        let now = self.shared.backend.clock.now_ms();
        if now - last_seen > SESSION_IDLE_MS {
            self.run(EndIdleSession {
                token_hash: *token_hash,
                at_ms: now,
            })
            .await?;
            return Ok(Err(Unauthenticated::Expired));
        }
        if now - last_seen >= TOUCH_EVERY_MS {
            self.run(TouchSession {
                token_hash: *token_hash,
                at_ms: now,
            })
            .await?;
        }
        let role = role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Ok(Principal {
            actor: Actor::user(&username),
            grants: Grants::Role(role),
        }))
    }

    /// Ends a session (audited as `sign-out`).
    pub async fn sign_out(&self, actor: &Actor, token_hash: [u8; 32]) -> Result<(), StoreError> {
        self.run(SignOut {
            actor: actor.clone(),
            token_hash,
        })
        .await
    }
}

/// Ends a session found idle too long (not audited: the session was
/// already unusable; what was done with it is in the log).
#[derive(Debug)]
pub(crate) struct EndIdleSession {
    token_hash: [u8; 32],
    at_ms: i64,
}

impl Operation for EndIdleSession {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, _: &mut Audit<'_>) -> Result<(), StoreError> {
        query("UPDATE sessions SET ended_ms = $1 WHERE token_hash = $2")
            .bind(self.at_ms)
            .bind(self.token_hash.as_slice())
            .execute(conn)
            .await
            .map_err(db)?;
        Ok(())
    }
}

/// Keeps a session in use alive (not audited: at most once a minute per
/// session, and what is done with it is).
#[derive(Debug)]
pub(crate) struct TouchSession {
    token_hash: [u8; 32],
    at_ms: i64,
}

impl Operation for TouchSession {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, _: &mut Audit<'_>) -> Result<(), StoreError> {
        query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
            .bind(self.at_ms)
            .bind(self.token_hash.as_slice())
            .execute(conn)
            .await
            .map_err(db)?;
        Ok(())
    }
}

/// Settles a sign-in (audited as `sign-in`, `sign-in-failed` or
/// `sign-in-locked`).
#[derive(Debug)]
pub(crate) struct SignIn {
    typed: guard::Typed,
    attempt: Attempt,
}

impl Operation for SignIn {
    type Output = SignInOutcome;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<SignInOutcome, StoreError> {
        let now = audit.now;
        sign_in(conn, &self.typed.0, self.attempt, now, audit).await
    }
}

/// Ends a session (audited as `sign-out`).
#[derive(Debug)]
pub(crate) struct SignOut {
    actor: Actor,
    token_hash: [u8; 32],
}

impl Operation for SignOut {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, token_hash, now) = (&self.actor, &self.token_hash, audit.now);
        query("UPDATE sessions SET ended_ms = $1 WHERE token_hash = $2 AND ended_ms IS NULL")
            .bind(now)
            .bind(token_hash.as_slice())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        audit
            .append(conn, actor, "sign-out", "session".into(), "")
            .await?;
        Ok(())
    }
}

/// The store's sign-in key (`guard.rs`), drawn on first use; every server
/// sharing the database uses the same one.
pub(crate) async fn sign_in_key(conn: &mut Conn) -> Result<Vec<u8>, StoreError> {
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
pub(crate) async fn name_locked_until(
    conn: &mut Conn,
    key: &[u8],
    username: &str,
) -> Result<i64, StoreError> {
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
    let account = if is_username(typed) {
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
                .parse::<Role>()
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
