//! Staff accounts: created by an administrator, enrolled by their holder
//! with a one-time code, listed, disabled (never deleted).

use crate::integrity::{account_after, account_read};
use crate::sign_in::{name_locked_until, sign_in_key};
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Principal, Store, StoreError, db};
use trustgate_access::{Permission, Role};
use trustgate_audit::State;

/// A staff account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// `[a-z0-9._-]`, 1 to 64 characters.
    pub username: String,
    pub role: Role,
    /// An argon2id PHC string ([`trustgate_access::password::hash`]).
    pub password_hash: String,
    /// The TOTP secret's bytes.
    pub totp_secret: Vec<u8>,
}

/// A staff account as an administrator sees it (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub username: String,
    pub role: Role,
    pub created_by: Actor,
    pub created_ms: i64,
    /// Locked for some source by failed sign-ins until then, if in the future.
    pub locked_until_ms: Option<i64>,
    pub disabled_ms: Option<i64>,
}

/// Setting one's own credentials with an enrolment code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// SHA-256 of the code the administrator issued.
    pub code_hash: [u8; 32],
    /// The new password's argon2id PHC string.
    pub password_hash: String,
    /// The new authenticator secret's bytes.
    pub totp_secret: Vec<u8>,
    /// The step of the code the person's app showed for it (proves the app
    /// holds the secret; that code cannot be used again to sign in).
    pub totp_step: i64,
}

impl Store {
    /// Creates a staff account (audited as `create` of `account/<name>`).
    pub async fn add_account(&self, who: &Principal, a: NewAccount) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let actor = who.actor();
        if !is_username(&a.username) {
            return Err(StoreError::Field {
                field: "username",
                message: format!(
                    "`{}`: use 1 to 64 of a-z, 0-9, `.`, `_` and `-`",
                    a.username
                ),
            });
        }
        let actor = actor.clone();
        self.run(AddAccount { actor, a }).await
    }

    /// Every account, by name (audited as `list` of `accounts`).
    pub async fn list_accounts(&self, who: &Principal) -> Result<Vec<AccountSummary>, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let actor = who.actor().clone();
        self.run(ListAccounts { actor }).await
    }

    /// Issues an enrolment code for an account (audited as
    /// `enrolment-issued`): whoever holds the code until `expires_ms` may set
    /// the account's password and authenticator, once. Issuing again
    /// replaces the earlier code. The caller keeps the code; the store only
    /// its hash.
    pub async fn issue_enrolment(
        &self,
        who: &Principal,
        username: &str,
        code_hash: [u8; 32],
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        self.run(IssueEnrolment {
            actor: who.actor().clone(),
            username: username.to_owned(),
            code_hash,
            expires_ms,
        })
        .await
    }

    /// Sets an account's own password and authenticator with its enrolment
    /// code (audited as `enrolled`, or `enrol-failed`): the code must match,
    /// be unexpired and unused; it is then spent, failures are cleared and
    /// every earlier session ends. Returns whether it worked; a wrong name,
    /// code or an expired one look the same.
    pub async fn enrol(&self, username: &str, e: Enrolment) -> Result<bool, StoreError> {
        if !is_username(username) {
            return Ok(false);
        }
        self.run(Enrol {
            username: username.to_owned(),
            e,
        })
        .await
    }

    /// Disables an account (audited as `disable`): it can no longer sign
    /// in, and its sessions end at once. Nothing is deleted. An
    /// administrator cannot disable their own account.
    pub async fn disable_account(&self, who: &Principal, username: &str) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let actor = who.actor();
        if *actor == Actor::user(username) {
            return Err(StoreError::Invalid(
                "you cannot disable your own account: ask another administrator".into(),
            ));
        }
        let actor = actor.clone();
        self.run(DisableAccount {
            actor,
            username: username.to_owned(),
        })
        .await
    }

    /// How many accounts exist (for the first-run message).
    pub async fn account_count(&self) -> Result<i64, StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut conn)
            .await
            .map_err(db)
    }
}

/// Creates an account (audited as `create` of `account/<name>`).
#[derive(Debug)]
pub(crate) struct AddAccount {
    actor: Actor,
    a: NewAccount,
}

impl Operation for AddAccount {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, a, now) = (&self.actor, &self.a, audit.now);
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
        Ok(())
    }
}

/// Every account, with its lockouts (audited as `list` of `accounts`).
#[derive(Debug)]
pub(crate) struct ListAccounts {
    actor: Actor,
}

impl Operation for ListAccounts {
    type Output = Vec<AccountSummary>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<AccountSummary>, StoreError> {
        let (actor, now) = (&self.actor, audit.now);
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
                Ok(AccountSummary {
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
        Ok(accounts)
    }
}

/// Disables an account and ends its sessions (audited as `disable`).
#[derive(Debug)]
pub(crate) struct DisableAccount {
    actor: Actor,
    username: String,
}

impl Operation for DisableAccount {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, username, now) = (&self.actor, &self.username, audit.now);
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
        Ok(())
    }
}

/// Issues an enrolment code (audited as `enrolment-issued`).
#[derive(Debug)]
pub(crate) struct IssueEnrolment {
    actor: Actor,
    username: String,
    code_hash: [u8; 32],
    expires_ms: i64,
}

impl Operation for IssueEnrolment {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, username, code_hash, expires_ms) = (
            &self.actor,
            &self.username,
            &self.code_hash,
            &self.expires_ms,
        );
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
        Ok(())
    }
}

/// Sets one's own credentials with an enrolment code (audited as
/// `enrolled`, or `enrol-failed`: then `false`).
#[derive(Debug)]
pub(crate) struct Enrol {
    username: String,
    e: Enrolment,
}

impl Operation for Enrol {
    type Output = bool;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<bool, StoreError> {
        let (username, e, now) = (&self.username, &self.e, audit.now);
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
            return Ok(false);
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
        Ok(true)
    }
}

/// Whether `s` can be an account's name: 1 to 64 of a-z, 0-9, `.`, `_`, `-`.
pub(crate) fn is_username(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}
