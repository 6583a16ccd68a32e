//! A contact's personal data: sealed at rest under the operator's current
//! data key, opened with the keyring, re-sealed when the key rotates.

use crate::contacts::{ContactId, PersonRecord};
use crate::integrity::contact_after;
use crate::sql::{Conn, query};
use crate::writer::{Audit, Operation};
use crate::{Actor, Keyring, Store, StoreError, db};

impl Store {
    /// The current data key's id, if a keyring is set.
    pub fn current_data_key(&self) -> Option<&str> {
        self.shared.keyring.as_ref().map(Keyring::current)
    }

    /// Re-seals every contact's personal data that is not under the current
    /// data key (audited as `rotate-keys` of `data-keys`, with the count).
    /// All or nothing: if one cannot be opened, nothing changes.
    pub async fn rotate_keys(&self, actor: &Actor) -> Result<i64, StoreError> {
        if self.shared.keyring.is_none() {
            return Err(StoreError::Invalid("no keyring is set".into()));
        }
        self.run(RotateKeys {
            actor: actor.clone(),
        })
        .await
    }
}

/// Re-seals every contact not under the current data key (audited as
/// `reseal` of each, then `rotate-keys` of `data-keys`).
#[derive(Debug)]
pub(crate) struct RotateKeys {
    actor: Actor,
}

impl Operation for RotateKeys {
    type Output = i64;

    async fn apply(&self, conn: &mut Conn, audit: &mut Audit<'_>) -> Result<i64, StoreError> {
        let actor = &self.actor;
        let Some(keyring) = audit.keyring else {
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
        Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
    }
}

/// Seals a contact's personal data under the current key, bound to the record.
pub(crate) async fn seal_person(
    conn: &mut Conn,
    keyring: &Keyring,
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

/// Opens a contact's sealed personal data, or says why it cannot be read.
pub(crate) fn open_person(
    keyring: Option<&Keyring>,
    key: &str,
    id: ContactId,
    sealed: &[u8],
) -> PersonRecord {
    use PersonRecord::{Known, Unreadable};
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
