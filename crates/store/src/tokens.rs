//! API tokens for integrations: created with write-only scopes, listed
//! (never shown), revoked; the principal a token stands for.

use crate::integrity::token_after;
use crate::sql::{Conn, query, query_scalar};
use crate::writer::{Audit, Operation};
use crate::{Actor, Grants, Principal, Store, StoreError, db, limits, text};
use trustgate_access::Permission;
use trustgate_audit::State;

/// An API token to create, for an integration (a records system posting
/// contacts). Its scopes must be a subset of one role's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// What it is for (`rms-integration`).
    pub name: String,
    pub scopes: Vec<Permission>,
    pub token_hash: [u8; 32],
}

/// An API token as listed: what it is for and may do, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    pub id: i64,
    pub name: String,
    /// Permission names.
    pub scopes: Vec<String>,
    pub created_by: Actor,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

impl Store {
    /// Creates an API token (audited as `create` of `token/<id>`) for an
    /// integration. Its scopes are only what an integration writes
    /// ([`Permission::INTEGRATION`]): an administrator, who may not touch
    /// records, cannot mint a token that reads them, and nothing that reads
    /// records acts without a person who holds that permission.
    pub async fn add_token(&self, who: &Principal, t: NewToken) -> Result<i64, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        let name = text::line("name", t.name, limits::TOKEN_NAME)?;
        if t.scopes.is_empty() {
            return Err(StoreError::Field {
                field: "scopes",
                message: "a token needs at least one scope".into(),
            });
        }
        if let Some(p) = t
            .scopes
            .iter()
            .find(|p| !Permission::INTEGRATION.contains(p))
        {
            let allowed: Vec<&str> = Permission::INTEGRATION.iter().map(|p| p.as_str()).collect();
            return Err(StoreError::Field {
                field: "scopes",
                message: format!(
                    "a token cannot carry `{p}`: tokens are for integrations that write ({}); \
                     reading records or the audit log, and managing access, need a person signed in",
                    allowed.join(", ")
                ),
            });
        }
        let t = NewToken { name, ..t };
        self.run(AddToken {
            actor: who.actor().clone(),
            t,
        })
        .await
    }

    /// Every API token ever made, oldest first, revoked ones included
    /// (audited as `list` of `tokens`). The tokens themselves are never
    /// stored, so never shown.
    pub async fn list_tokens(&self, who: &Principal) -> Result<Vec<TokenSummary>, StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        self.run(ListTokens {
            actor: who.actor().clone(),
        })
        .await
    }

    /// Revokes an API token (audited as `revoke` of `token/<id>`); it stops
    /// working at once. Revoking twice, or a token that does not exist, is
    /// [`StoreError::NotFound`].
    pub async fn revoke_token(&self, who: &Principal, id: i64) -> Result<(), StoreError> {
        self.permit(who, Permission::ManageAccess).await?;
        self.run(RevokeToken {
            actor: who.actor().clone(),
            id,
        })
        .await
    }

    /// The principal an API token (by hash) stands for, if not revoked.
    pub async fn api_token(&self, token_hash: &[u8; 32]) -> Result<Option<Principal>, StoreError> {
        let mut conn = self.shared.backend.pool.acquire().await?;
        let row =
            query("SELECT id, scopes FROM api_tokens WHERE token_hash = $1 AND revoked_ms IS NULL")
                .bind(token_hash.as_slice())
                .fetch_optional(&mut conn)
                .await
                .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get(0).map_err(db)?;
        let scopes: String = row.try_get(1).map_err(db)?;
        let names: Vec<String> = serde_json::from_str(&scopes)
            .map_err(|e| StoreError::Corrupt(format!("token/{id} scopes: {e}")))?;
        let scopes = names
            .iter()
            .map(|n| n.parse::<Permission>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt(format!("token/{id} scopes: {e}")))?;
        Ok(Some(Principal {
            actor: Actor::new(format!("token/{id}")),
            grants: Grants::Scopes(scopes),
        }))
    }
}

/// Creates a token (audited as `create` of `token/<id>`, with its scopes).
#[derive(Debug)]
pub(crate) struct AddToken {
    actor: Actor,
    t: NewToken,
}

impl Operation for AddToken {
    type Output = i64;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<i64, StoreError> {
        let (actor, t, now) = (&self.actor, &self.t, audit.now);
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
        Ok(id)
    }
}

/// Every token (audited as `list` of `tokens`).
#[derive(Debug)]
pub(crate) struct ListTokens {
    actor: Actor,
}

impl Operation for ListTokens {
    type Output = Vec<TokenSummary>;

    async fn apply(
        &self,
        conn: &mut Conn,
        audit: &mut Audit<'_>,
    ) -> Result<Vec<TokenSummary>, StoreError> {
        let actor = &self.actor;
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
                Ok(TokenSummary {
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
        Ok(tokens)
    }
}

/// Revokes a token (audited as `revoke` of `token/<id>`).
#[derive(Debug)]
pub(crate) struct RevokeToken {
    actor: Actor,
    id: i64,
}

impl Operation for RevokeToken {
    type Output = ();

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<(), StoreError> {
        let (actor, id, now) = (&self.actor, &self.id, audit.now);
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
        Ok(())
    }
}
