//! The records, not only the log: someone with write access to the database
//! (but not the checkpoint signing key) edits, deletes or inserts record
//! rows, with every protection of the schema switched off, and
//! `Store::verify_audit_log` names the record, with or without a checkpoint
//! of the log as it stands. Each case runs on both backends (`main.rs`).

use std::sync::Arc;

use trustgate_access::{Permission, Role};
use trustgate_audit::Checkpoint;
use trustgate_store::{
    Actor, Attempt, ContactId, Keyring, NewAccount, NewReimbursement, NewToken, Person, Store,
};

use crate::conformance::{contact, intake, officer, reach_all, reader};
use crate::harness::{Backend, Fixture, as_tamperer};

/// A 32-byte value as an SQL literal of the backend.
fn bytes_literal(fx: &Fixture, byte: u8) -> String {
    let hex = format!("{byte:02x}").repeat(32);
    match fx.backend() {
        Backend::Sqlite => format!("X'{hex}'"),
        Backend::Postgres => format!("'\\x{hex}'::bytea"),
    }
}

/// What [`populate`] made (ids are the same on both backends: fresh storage).
pub struct Made {
    /// The store with the keyring (personal data is sealed).
    pub store: Store,
    /// A compliance exception (detain) with an explanation, an open
    /// obligation, a reimbursement.
    pub flagged: ContactId,
    /// A contact carrying sealed personal data, nothing prohibited.
    pub with_person: ContactId,
    /// A plain contact.
    pub plain: ContactId,
    /// A live token, and a revoked one.
    pub token: i64,
    pub revoked: i64,
}

fn account(name: &str, role: Role) -> NewAccount {
    NewAccount {
        username: name.into(),
        role,
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
        totp_secret: vec![7; 20],
    }
}

/// A small office's records, made through the store as the server would.
pub async fn populate(fx: &Fixture) -> Made {
    let keyring = Keyring::parse(&Keyring::new_key_line("k1").unwrap()).unwrap();
    let store = fx.reopen(Some(keyring)).await;
    let admin = Actor::system("user-add");
    store
        .add_account(&reach_all(&admin), account("clerk.one", Role::RecordsClerk))
        .await
        .unwrap();
    store
        .add_account(
            &reach_all(&admin),
            account("pso.one", Role::ProfessionalStandards),
        )
        .await
        .unwrap();
    store
        .finish_sign_in(
            "clerk.one",
            Attempt {
                password_ok: true,
                totp_step: Some(10),
                session_hash: [1; 32],
                source: None,
            },
        )
        .await
        .unwrap();
    let flagged = store
        .record_contact(
            &reach_all(&officer()),
            intake(contact(&["detain", "issue-summons"])),
        )
        .await
        .unwrap()
        .id;
    let mut c = contact(&[]);
    c.person = Some(Person {
        name: Some("Ana Quintanilla".into()),
        date_of_birth: Some("1990-04-12".into()),
        address: None,
    });
    let with_person = store
        .record_contact(&reach_all(&officer()), intake(c))
        .await
        .unwrap()
        .id;
    let plain = store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let clerk = Actor::user("clerk.one");
    let exception = store
        .compliance_exceptions(&reach_all(&clerk), None)
        .await
        .unwrap()
        .first()
        .unwrap()
        .id;
    store
        .explain_exception(
            &reach_all(&Actor::user("pso.one")),
            exception,
            "Held in error; released.".into(),
        )
        .await
        .unwrap();
    store
        .record_reimbursement(
            &reach_all(&clerk),
            flagged,
            NewReimbursement {
                amount_cents: 12_500,
                received_on: "2026-03-02".into(),
                reference: "V-1".into(),
            },
        )
        .await
        .unwrap();
    let admin = Actor::user("admin");
    let new_token = |hash: u8| NewToken {
        name: "rms-integration".into(),
        scopes: vec![Permission::RecordContact],
        token_hash: [hash; 32],
    };
    let token = store
        .add_token(&reach_all(&admin), new_token(42))
        .await
        .unwrap();
    let revoked = store
        .add_token(&reach_all(&admin), new_token(43))
        .await
        .unwrap();
    store
        .revoke_token(&reach_all(&admin), revoked)
        .await
        .unwrap();
    store.read_contact(&reach_all(&clerk), plain).await.unwrap();
    // A complaint with its whole history: filed, investigated, a note, a
    // duty fulfilled, closed.
    let complaint = crate::complaints::file_one(&store, "police-employee", 9).await;
    let cm = reach_all(&Actor::user("cm.one"));
    crate::complaints::investigate_and_close(&store, &cm, complaint).await;
    let made = Made {
        store,
        flagged,
        with_person,
        plain,
        token,
        revoked,
    };
    assert_eq!(finding(&made).await, None, "intact before");
    made
}

/// What verification finds, first without and then with a checkpoint of
/// the log as it stands (the attacker cannot sign, so the checkpoint is
/// the one published before the edit): the same either way.
pub async fn finding(made: &Made) -> Option<String> {
    let plain = made.store.verify_audit_log(&reader(), &[]).await.unwrap();
    let head = made.store.audit_head(&reader()).await.unwrap();
    let checkpoint = Checkpoint {
        origin: "trustgate.test/log".into(),
        size: head.size,
        root: head.root,
        time_ms: 0,
    };
    let anchored = made
        .store
        .verify_audit_log(&reader(), &[checkpoint])
        .await
        .unwrap();
    assert_eq!(plain.clone().err(), anchored.clone().err());
    if let Ok(report) = anchored {
        assert_eq!(report.anchored, head.size, "the log itself is as published");
    }
    plain.err()
}

/// Every column of every table the migrations make is in a record's digest,
/// or its table is listed as outside the records, with the reason: a
/// migration that adds a column or a table fails here until it is placed.
pub async fn every_stored_column_is_covered_or_said_not_to_be(fx: Arc<Fixture>) {
    let catalogue = fx.catalogue().await;
    let covered: std::collections::BTreeMap<String, Vec<String>> = trustgate_store::record_tables()
        .into_iter()
        .map(|(t, cols)| (t.to_owned(), cols.into_iter().map(str::to_owned).collect()))
        .collect();
    for (table, mut columns) in catalogue.clone() {
        if let Some(mut digest) = covered.get(&table).cloned() {
            columns.sort();
            digest.sort();
            assert_eq!(columns, digest, "the columns of {table}");
        } else {
            assert!(
                trustgate_store::TABLES_OUTSIDE_RECORDS
                    .iter()
                    .any(|(t, why)| *t == table && !why.is_empty()),
                "{table} is neither in a record nor said to be outside them"
            );
        }
    }
    for table in covered.keys() {
        assert!(
            catalogue.contains_key(table),
            "{table} is not in the schema"
        );
    }
}

/// Tampers, then expects a finding that starts with `starts` (the record).
pub async fn caught(fx: &Fixture, made: &Made, sql: &str, starts: &str) -> String {
    let changed = fx.tamper(sql).await;
    assert!(changed >= 1, "{sql} changed nothing");
    let found = finding(made)
        .await
        .unwrap_or_else(|| panic!("not found: {sql}"));
    assert!(found.starts_with(starts), "{sql}: {found}");
    found
}

pub async fn decision_rewritten_from_prohibited_to_permitted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    let found = caught(
        &fx,
        &made,
        &format!(
            "UPDATE contacts SET decision = replace(decision, '\"prohibited\"', '\"permitted\"') WHERE id = {id}"
        ),
        &format!("contact/{id}: its content no longer matches audit entry "),
    )
    .await;
    assert!(
        found.contains("it was changed outside the store"),
        "{found}"
    );
}

pub async fn compliance_flag_cleared_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    let flag = match fx.backend() {
        Backend::Sqlite => "0",
        Backend::Postgres => "false",
    };
    caught(
        &fx,
        &made,
        &format!("UPDATE contacts SET compliance_exception = {flag} WHERE id = {id}"),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn acts_done_emptied_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        &format!("UPDATE contacts SET acts_done = '[]' WHERE id = {id}"),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn compliance_exception_deleted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        &format!(
            "DELETE FROM exception_explanations; DELETE FROM compliance_exceptions WHERE contact_id = {id}"
        ),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn compliance_exception_rerouted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        &format!(
            "UPDATE compliance_exceptions SET routed_to = 'city-manager' WHERE contact_id = {id}"
        ),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn explanation_rewritten_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        "UPDATE exception_explanations SET explanation = 'Nothing happened.'",
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn obligation_marked_fulfilled_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        &format!(
            "UPDATE obligations SET fulfilled_ms = 1, fulfilled_by = 'officer-17', \
             fulfilment_note = 'given' WHERE contact_id = {id} AND fulfilled_ms IS NULL"
        ),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn obligation_deleted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.plain.0;
    caught(
        &fx,
        &made,
        &format!("DELETE FROM obligations WHERE contact_id = {id} AND fulfilled_ms IS NULL"),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn reimbursement_changed_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    caught(
        &fx,
        &made,
        "UPDATE reimbursements SET amount_cents = 125",
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn sealed_personal_data_swapped_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.with_person.0;
    caught(
        &fx,
        &made,
        &format!("UPDATE contacts SET person_sealed = NULL, person_key = NULL WHERE id = {id}"),
        &format!("contact/{id}:"),
    )
    .await;
}

pub async fn report_counter_zeroed_is_found_by_day(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    // The flagged contact was detained on a detainer: counted in (b).
    let found = caught(
        &fx,
        &made,
        "UPDATE report_counts SET count = 0 WHERE breakdown = 'b'",
        "report counters of 2025-11-22: `b` is 0, but the records of that day count 1",
    )
    .await;
    assert!(found.contains("the counters were changed"), "{found}");
}

pub async fn account_role_changed_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    caught(
        &fx,
        &made,
        "UPDATE accounts SET role = 'admin' WHERE username = 'clerk.one'",
        "account/clerk.one: its content no longer matches audit entry ",
    )
    .await;
}

pub async fn account_password_replaced_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    caught(
        &fx,
        &made,
        "UPDATE accounts SET password_hash = '$argon2id$v=19$m=8,t=1,p=1$bWFsbG9yeQ$bWFsbG9yeQ' WHERE username = 'pso.one'",
        "account/pso.one:",
    )
    .await;
}

/// Sign-in lockouts are rate state, not records (`sign_in_guards`): a
/// database writer who clears one gains only more guesses, each of them
/// audited, while the same writer could forge a session outright. The
/// failures that made the lock stay in the log.
pub async fn a_cleared_sign_in_lock_is_not_a_record(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    for _ in 0..5 {
        made.store
            .finish_sign_in(
                "pso.one",
                Attempt {
                    password_ok: false,
                    totp_step: None,
                    session_hash: [9; 32],
                    source: Some([192, 0, 2, 9].into()),
                },
            )
            .await
            .unwrap();
    }
    assert!(fx.tamper("DELETE FROM sign_in_guards").await >= 1);
    assert_eq!(finding(&made).await, None);
    let log = made
        .store
        .audit_entries(&reader(), 0, u64::MAX)
        .await
        .unwrap();
    let failed: Vec<_> = log
        .iter()
        .filter(|s| s.entry.object == "account/pso.one" && s.entry.action == "sign-in-failed")
        .map(|s| s.entry.detail.ends_with(", locked"))
        .collect();
    assert_eq!(failed, [false, false, false, false, true]);
}

pub async fn disabled_account_enabled_again_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    made.store
        .disable_account(&reach_all(&Actor::user("admin")), "pso.one")
        .await
        .unwrap();
    assert_eq!(finding(&made).await, None);
    caught(
        &fx,
        &made,
        "UPDATE accounts SET disabled_ms = NULL WHERE username = 'pso.one'",
        "account/pso.one:",
    )
    .await;
}

pub async fn account_inserted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    caught(
        &fx,
        &made,
        "INSERT INTO accounts (username, role, password_hash, totp_secret, created_by, created_ms) \
         SELECT 'mallory', 'admin', password_hash, totp_secret, created_by, created_ms \
         FROM accounts WHERE username = 'clerk.one'",
        "account/mallory: no audit entry records it: it was inserted outside the store",
    )
    .await;
}

pub async fn token_scopes_widened_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.token;
    caught(
        &fx,
        &made,
        &format!(
            "UPDATE api_tokens SET scopes = '[\"contacts:record\",\"contacts:read-all\",\"audit:read\"]' WHERE id = {id}"
        ),
        &format!("token/{id}: its content no longer matches audit entry "),
    )
    .await;
}

pub async fn token_unrevoked_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.revoked;
    caught(
        &fx,
        &made,
        &format!("UPDATE api_tokens SET revoked_ms = NULL WHERE id = {id}"),
        &format!("token/{id}:"),
    )
    .await;
}

pub async fn token_inserted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let next = made.revoked + 1;
    caught(
        &fx,
        &made,
        &format!(
            "INSERT INTO api_tokens (token_hash, name, scopes, created_by, created_ms) \
             SELECT {}, 'backdoor', scopes, created_by, created_ms FROM api_tokens WHERE id = {}",
            bytes_literal(&fx, 7),
            made.token
        ),
        &format!("token/{next}: no audit entry records it: it was inserted outside the store"),
    )
    .await;
}

pub async fn contact_deleted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.plain.0;
    let found = caught(
        &fx,
        &made,
        &format!(
            "DELETE FROM obligations WHERE contact_id = {id}; DELETE FROM contacts WHERE id = {id}"
        ),
        &format!("contact/{id}: audit entry "),
    )
    .await;
    assert!(
        found.contains("but it is no longer stored: it was deleted outside the store"),
        "{found}"
    );
}

pub async fn contact_deleted_leaving_its_rows_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged.0;
    let found = caught(
        &fx,
        &made,
        &format!("DELETE FROM contacts WHERE id = {id}"),
        &format!("contact/{id}: audit entry "),
    )
    .await;
    assert!(found.contains("no longer stored"), "{found}");
}

pub async fn contact_inserted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let next = made.plain.0 + 1;
    caught(
        &fx,
        &made,
        "INSERT INTO contacts (kind, channel, receiving_unit, scenario, decision, acts_done, \
         compliance_exception, created_by, created_ms, received_ms) \
         SELECT kind, channel, receiving_unit, scenario, decision, acts_done, \
         compliance_exception, created_by, created_ms, received_ms FROM contacts WHERE id = 1",
        &format!("contact/{next}: no audit entry records it: it was inserted outside the store"),
    )
    .await;
}

pub async fn obligation_of_no_contact_inserted_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    caught(
        &fx,
        &made,
        "INSERT INTO obligations (contact_id, obligation, law, duty) \
         VALUES (999, 'copy-to-person', 'cambridge-2.129', 'nothing')",
        "contact/999: a row of obligations (id ",
    )
    .await;
}

/// An edit made and then read through the store: the read commits to the
/// edited content, so the current rows match the latest entry, but the read
/// no longer matches the entry before it.
pub async fn edit_then_read_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let id = made.flagged;
    fx.tamper(&format!(
        "UPDATE contacts SET acts_done = '[\"issue-summons\"]' WHERE id = {}",
        id.0
    ))
    .await;
    made.store
        .read_contact(&reach_all(&Actor::user("clerk.one")), id)
        .await
        .unwrap();
    let found = finding(&made).await.unwrap();
    assert!(
        found.starts_with(&format!("contact/{}: audit entry ", id.0))
            && found.contains("(read by user/clerk.one) read other content than audit entry ")
            && found.contains("(create by user/clerk.one) left it with"),
        "{found}"
    );
}

/// A row written into the database and then read (or changed) through the
/// store: the read commits to it, but no entry ever created it.
pub async fn inserted_contact_then_read_is_found(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    let next = ContactId(made.plain.0 + 1);
    fx.tamper(&format!(
        "INSERT INTO contacts (kind, channel, receiving_unit, scenario, decision, acts_done, \
         compliance_exception, created_by, created_ms, received_ms) \
         SELECT kind, channel, receiving_unit, scenario, decision, '[]', \
         compliance_exception, created_by, created_ms, received_ms FROM contacts WHERE id = {}",
        made.plain.0
    ))
    .await;
    made.store
        .read_contact(&reach_all(&Actor::user("clerk.one")), next)
        .await
        .unwrap();
    let found = finding(&made).await.unwrap();
    assert!(
        found.starts_with(&format!("contact/{}: audit entry ", next.0))
            && found.contains(
                "(read by user/clerk.one) read it, but no entry created it: it was inserted outside the store"
            ),
        "{found}"
    );
}

/// The limit ARCHITECTURE.md states: sessions are outside the records, so
/// a session row written into the database is not found.
pub async fn a_forged_session_is_not_a_record(fx: Arc<Fixture>) {
    let made = populate(&fx).await;
    fx.tamper(&format!(
        "INSERT INTO sessions (token_hash, username, created_ms, last_seen_ms) \
         SELECT {}, 'pso.one', created_ms, last_seen_ms FROM sessions",
        bytes_literal(&fx, 8)
    ))
    .await;
    let report = made.store.verify_audit_log(&reader(), &[]).await.unwrap();
    assert!(report.is_ok(), "{report:?}");
}

/// A log written before entries carried states (format 1) still verifies
/// after the upgrade. Its records carry no digest: an edit to one is not
/// found until an entry of format 2 reads or changes it, but a deleted one
/// is (its `create` entry names it).
pub async fn old_logs_still_verify_and_say_what_they_cannot_protect(fx: Arc<Fixture>) {
    use trustgate_audit::{LogHead, State};
    let store = &fx.store;
    let kept = store
        .record_contact(&reach_all(&officer()), intake(contact(&["detain"])))
        .await
        .unwrap()
        .id;
    let gone = store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    store
        .add_account(
            &reach_all(&Actor::system("user-add")),
            account("clerk.one", Role::RecordsClerk),
        )
        .await
        .unwrap();
    // The log as the version before format 2 wrote it: the same entries,
    // without states, chained and hashed again.
    let mut head = LogHead::new();
    let mut rows = Vec::new();
    for s in store.audit_entries(&reader(), 0, u64::MAX).await.unwrap() {
        let old = trustgate_audit::Entry {
            state: State::Format1,
            ..s.entry
        };
        let a = head.append(&old).unwrap();
        rows.push((old.seq as i64, a.chain_hash, a.leaf_hash));
    }
    let frontier = head.frontier().nodes().concat();
    as_tamperer!(fx, c => {
        if fx.backend() == Backend::Sqlite {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut c).await.unwrap();
        }
        for (seq, chain, leaf) in &rows {
            sqlx::query(
                "UPDATE audit_log SET format = 1, state = NULL, record = NULL, digest = NULL, \
                 chain_hash = $1, leaf_hash = $2 WHERE seq = $3",
            )
            .bind(chain.as_slice())
            .bind(leaf.as_slice())
            .bind(*seq)
            .execute(&mut c)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE audit_head SET chain_head = $1, frontier = $2 WHERE id = 1")
            .bind(head.chain_head().as_slice())
            .bind(frontier.as_slice())
            .execute(&mut c)
            .await
            .unwrap();
    });
    let report = store
        .verify_audit_log(&reader(), &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((report.records, report.unprotected), (0, 3));

    // What format 1 cannot protect: an edit to a record no entry has a
    // digest of (one the report counters do not count either).
    fx.tamper(&format!(
        "UPDATE contacts SET decision = replace(decision, '\"prohibited\"', '\"permitted\"') WHERE id = {}",
        kept.0
    ))
    .await;
    assert!(
        store
            .verify_audit_log(&reader(), &[])
            .await
            .unwrap()
            .is_ok()
    );
    // What it can: a record its `create` entry names is gone.
    fx.tamper(&format!(
        "DELETE FROM obligations WHERE contact_id = {0}; DELETE FROM contacts WHERE id = {0}",
        gone.0
    ))
    .await;
    let found = store
        .verify_audit_log(&reader(), &[])
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        found.starts_with(&format!(
            "contact/{}: audit entry 1 created it, but it is no longer stored",
            gone.0
        )),
        "{found}"
    );
    // Once an entry of format 2 reads a record, later edits to it are found.
    store
        .read_contact(&reach_all(&Actor::user("clerk.one")), kept)
        .await
        .unwrap();
    fx.tamper(&format!(
        "UPDATE contacts SET receiving_unit = 'elsewhere' WHERE id = {}",
        kept.0
    ))
    .await;
    let found = store
        .verify_audit_log(&reader(), &[])
        .await
        .unwrap()
        .unwrap_err();
    // (The entry's number depends on the reads of the log in between.)
    assert!(
        found.starts_with(&format!(
            "contact/{}: its content no longer matches audit entry ",
            kept.0
        )) && found.contains("(read by user/clerk.one)"),
        "{found}"
    );
}
