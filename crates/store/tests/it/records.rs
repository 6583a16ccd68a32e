//! Conformance cases for obligations, exceptions, reimbursements, reach and
//! access (accounts, sign-in, sessions, tokens). Each runs on both backends.

use std::sync::Arc;

use trustgate_access::{LOCKOUT_MS, Permission, Role, SESSION_IDLE_MS};
use trustgate_store::{
    Actor, Attempt, ContactId, Grants, NewAccount, NewReimbursement, NewToken, Office, Page,
    SignInOutcome, StoreError, Unauthenticated,
};

use crate::conformance::{
    all_entries, contact, intake, officer, reach_all, reach_own, reader, try_intake, verified_size,
};
use crate::harness::Fixture;

fn page() -> Page {
    Page {
        before: None,
        limit: 50,
        ..Default::default()
    }
}

pub async fn obligations_come_from_the_decision_and_are_fulfilled_once(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let c = fx
        .store
        .read_contact(&reach_own(&officer()), id)
        .await
        .unwrap();
    // The engine's decision triggers these for certain (see its `obligations`).
    let names: Vec<_> = c
        .obligations
        .iter()
        .map(|o| o.obligation.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "copy-to-person",
            "report-060a",
            "report-060b",
            "report-060c",
            "report-060e"
        ]
    );
    let copy = &c.obligations[0];
    assert_eq!(copy.law, "cambridge-2.129");
    assert!(
        copy.duty.starts_with("Give the person a copy"),
        "{}",
        copy.duty
    );
    assert!(copy.fulfilment.is_none());
    // The duties to record it for the 2.129.060 report are performed by
    // this very record, by its recorder, when it is recorded.
    for o in &c.obligations[1..] {
        let f = o.fulfilment.as_ref().unwrap();
        assert_eq!(
            (&f.by, f.at_ms),
            (&officer(), c.recorded_ms),
            "{}",
            o.obligation
        );
        assert_eq!(f.note, trustgate_records::PERFORMED_BY_RECORDING);
    }
    let summary = fx
        .store
        .list_contacts(&reach_own(&officer()), page())
        .await
        .unwrap();
    assert_eq!(summary[0].open_obligations, 1);

    // Another officer cannot fulfil it, and the attempt is audited.
    let other = Actor::new("user/officer-2");
    let got = fx
        .store
        .fulfil_obligation(&reach_own(&other), id, copy.id, "done".into())
        .await;
    assert!(matches!(got, Err(StoreError::NotFound(_))), "{got:?}");
    // An obligation of another contact is not found through this one.
    let other_contact = ContactId(id.0 + 1000);
    assert!(matches!(
        fx.store
            .fulfil_obligation(
                &reach_all(&officer()),
                other_contact,
                copy.id,
                String::new()
            )
            .await,
        Err(StoreError::NotFound(_))
    ));

    fx.store
        .fulfil_obligation(
            &reach_own(&officer()),
            id,
            copy.id,
            "copy handed over at booking".into(),
        )
        .await
        .unwrap();
    let again = fx
        .store
        .fulfil_obligation(&reach_own(&officer()), id, copy.id, String::new())
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let c = fx
        .store
        .read_contact(&reach_own(&officer()), id)
        .await
        .unwrap();
    let f = c.obligations[0].fulfilment.as_ref().unwrap();
    assert_eq!(f.by, officer());
    assert_eq!(f.note, "copy handed over at booking");
    let summary = fx
        .store
        .list_contacts(&reach_own(&officer()), page())
        .await
        .unwrap();
    assert_eq!(summary[0].open_obligations, 0);

    let actions: Vec<_> = fx
        .store
        .audit_entries(&reader(), 0, u64::MAX)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.entry.actor, s.entry.action, s.entry.object))
        .collect();
    let ob = format!("obligation/{}", copy.id);
    assert!(actions.contains(&("user/officer-2".into(), "fulfil-denied".into(), ob.clone())));
    assert!(actions.contains(&(officer().as_str().into(), "fulfil".into(), ob)));
    verified_size(&fx).await;
}

pub async fn exceptions_are_routed_listed_and_explained_never_changed(fx: Arc<Fixture>) {
    // The fixture's scenario is the police department's.
    let recorded = fx
        .store
        .record_contact(
            &reach_all(&officer()),
            intake(contact(&["detain", "issue-summons"])),
        )
        .await
        .unwrap();
    // What recording found is returned at once.
    assert_eq!(recorded.prohibited, ["detain"]);
    assert_eq!(recorded.routed_to, Office::ProfessionalStandards);
    assert_eq!(
        recorded.obligations,
        [
            "copy-to-person",
            "report-060a",
            "report-060b",
            "report-060c",
            "report-060e"
        ]
    );
    let police = recorded.id;
    let mut school = contact(&["detain"]);
    school.scenario = school
        .scenario
        .replace(r#""department":"police""#, r#""department":"school""#);
    let school = fx
        .store
        .record_contact(&reach_all(&officer()), intake(school))
        .await
        .unwrap()
        .id;
    let mut unknown = contact(&["transfer-to-ice"]);
    unknown.scenario = unknown.scenario.replace(r#""department":"police","#, "");
    let unknown = fx
        .store
        .record_contact(&reach_all(&officer()), intake(unknown))
        .await
        .unwrap()
        .id;
    let clean = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap();
    assert!(clean.prohibited.is_empty());

    let psu = Actor::new("user/psu-1");
    let all = fx
        .store
        .compliance_exceptions(&reach_all(&psu), None)
        .await
        .unwrap();
    let got: Vec<_> = all
        .iter()
        .map(|e| (e.contact, e.act.as_str(), e.routed_to))
        .collect();
    assert_eq!(
        got,
        [
            (unknown, "transfer-to-ice", Office::CityManager),
            (school, "detain", Office::Superintendent),
            (police, "detain", Office::ProfessionalStandards),
        ]
    );
    let mine = fx
        .store
        .compliance_exceptions(&reach_all(&psu), Some(Office::ProfessionalStandards))
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);

    let e = mine[0].id;
    fx.store
        .explain_exception(
            &reach_all(&psu),
            e,
            "Held 40 minutes past bail on a detainer; reviewed.".into(),
        )
        .await
        .unwrap();
    fx.store
        .explain_exception(
            &reach_all(&Actor::new("user/cmo-1")),
            e,
            "Referred to training.".into(),
        )
        .await
        .unwrap();
    assert!(matches!(
        fx.store
            .explain_exception(&reach_all(&psu), e + 1000, "x".into())
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        fx.store
            .explain_exception(&reach_all(&psu), e, "  ".into())
            .await,
        Err(StoreError::Invalid(_) | StoreError::Field { .. })
    ));
    let c = fx
        .store
        .read_contact(&reach_all(&psu), police)
        .await
        .unwrap();
    let texts: Vec<_> = c.exceptions[0]
        .explanations
        .iter()
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Held 40 minutes past bail on a detainer; reviewed.",
            "Referred to training."
        ]
    );

    for (sql, refusal) in [
        (
            "UPDATE exception_explanations SET explanation = 'nothing happened'",
            "never changed",
        ),
        ("DELETE FROM exception_explanations", "never changed"),
        (
            "UPDATE compliance_exceptions SET act = 'issue-summons'",
            "never changed",
        ),
    ] {
        match fx.raw(sql).await {
            Err(e) => assert!(e.contains(refusal), "{sql}: {e}"),
            Ok(n) => panic!("{sql} was allowed ({n} rows)"),
        }
    }
    verified_size(&fx).await;
}

pub async fn reimbursements_are_kept_by_case(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let clerk = Actor::new("user/clerk-1");
    let r = NewReimbursement {
        amount_cents: 125_000,
        received_on: "2026-04-30".into(),
        reference: "DHS voucher 2026-117".into(),
    };
    fx.store
        .record_reimbursement(&reach_all(&clerk), id, r.clone())
        .await
        .unwrap();
    for bad in [
        NewReimbursement {
            amount_cents: 0,
            ..r.clone()
        },
        NewReimbursement {
            received_on: "2026-13-01".into(),
            ..r.clone()
        },
        NewReimbursement {
            received_on: "30/04/2026".into(),
            ..r.clone()
        },
        NewReimbursement {
            reference: String::new(),
            ..r.clone()
        },
    ] {
        let got = fx
            .store
            .record_reimbursement(&reach_all(&clerk), id, bad.clone())
            .await;
        assert!(
            matches!(got, Err(StoreError::Invalid(_) | StoreError::Field { .. })),
            "{bad:?}: {got:?}"
        );
    }
    assert!(matches!(
        fx.store
            .record_reimbursement(&reach_all(&clerk), ContactId(id.0 + 9), r.clone())
            .await,
        Err(StoreError::NotFound(_))
    ));
    let c = fx.store.read_contact(&reach_all(&clerk), id).await.unwrap();
    assert_eq!(c.reimbursements.len(), 1);
    assert_eq!(c.reimbursements[0].reimbursement, r);
    assert_eq!(c.reimbursements[0].recorded_by, clerk);
    verified_size(&fx).await;
}

pub async fn own_reach_hides_other_peoples_contacts_and_audits_the_attempt(fx: Arc<Fixture>) {
    let a = Actor::new("user/officer-a");
    let b = Actor::new("user/officer-b");
    let mine = fx
        .store
        .record_contact(&reach_all(&a), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let theirs = fx
        .store
        .record_contact(&reach_all(&b), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    assert!(fx.store.read_contact(&reach_own(&a), mine).await.is_ok());
    let got = fx.store.read_contact(&reach_own(&a), theirs).await;
    assert_eq!(
        got,
        Err(StoreError::NotFound(theirs.object())),
        "looks missing"
    );
    let listed: Vec<_> = fx
        .store
        .list_contacts(&reach_own(&a), page())
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [mine]);
    let all: Vec<_> = fx
        .store
        .list_contacts(
            &reach_all(&a),
            Page {
                before: None,
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(all, [theirs], "newest first, limited");
    let before: Vec<_> = fx
        .store
        .list_contacts(
            &reach_all(&a),
            Page {
                before: Some(theirs),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(before, [mine]);
    let log = all_entries(&fx).await;
    let denied: Vec<_> = log
        .iter()
        .filter(|s| s.entry.action == "read-denied")
        .map(|s| (s.entry.actor.as_str(), s.entry.object.clone()))
        .collect();
    assert_eq!(denied, [("user/officer-a", theirs.object())]);
    verified_size(&fx).await;
}

fn account(name: &str, role: Role) -> NewAccount {
    NewAccount {
        username: name.into(),
        role,
        // A fixed string: the store keeps it, the server verifies it.
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
        totp_secret: vec![7; 20],
    }
}

fn attempt(password_ok: bool, step: Option<i64>, session: u8) -> Attempt {
    Attempt {
        password_ok,
        totp_step: step,
        session_hash: [session; 32],
        source: None,
    }
}

pub async fn sign_in_locks_after_five_failures_and_refuses_replayed_codes(fx: Arc<Fixture>) {
    let admin = Actor::system("user-add");
    fx.store
        .add_account(&reach_all(&admin), account("clerk.one", Role::RecordsClerk))
        .await
        .unwrap();
    assert!(matches!(
        fx.store
            .add_account(&reach_all(&admin), account("clerk.one", Role::Officer))
            .await,
        Err(StoreError::Conflict(_))
    ));
    for bad in ["", "Clerk", "a b", &"x".repeat(65)] {
        assert!(matches!(
            fx.store
                .add_account(&reach_all(&admin), account(bad, Role::Officer))
                .await,
            Err(StoreError::Invalid(_) | StoreError::Field { .. })
        ));
    }
    assert_eq!(fx.store.account_count().await.unwrap(), 1);
    let m = fx
        .store
        .sign_in_material("clerk.one")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.totp_secret, vec![7; 20]);
    assert_eq!(m.totp_last_step, 0);
    assert_eq!(fx.store.sign_in_material("nobody").await.unwrap(), None);
    assert_eq!(
        fx.store
            .sign_in_material("Robert'); DROP TABLE")
            .await
            .unwrap(),
        None
    );

    // A good sign-in, then the same code again is refused.
    let ok = fx
        .store
        .finish_sign_in("clerk.one", attempt(true, Some(100), 1))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::RecordsClerk));
    let replay = fx
        .store
        .finish_sign_in("clerk.one", attempt(true, Some(100), 2))
        .await
        .unwrap();
    assert_eq!(replay, SignInOutcome::Failed);
    let p = fx.store.session(&[1; 32]).await.unwrap().unwrap();
    assert_eq!(p.actor(), &Actor::user("clerk.one"));
    assert_eq!(p.grants(), &Grants::Role(Role::RecordsClerk));
    assert_eq!(
        fx.store.session(&[2; 32]).await.unwrap(),
        Err(Unauthenticated::Invalid)
    );

    // Four more failures (five in all) lock the account, even against the
    // right password and a fresh code.
    for n in 0..3 {
        let got = fx
            .store
            .finish_sign_in("clerk.one", attempt(false, Some(101 + n), 3))
            .await;
        assert_eq!(got.unwrap(), SignInOutcome::Failed, "failure {}", n + 2);
    }
    let fifth = fx
        .store
        .finish_sign_in("clerk.one", attempt(true, None, 3))
        .await
        .unwrap();
    let SignInOutcome::Locked { until_ms } = fifth else {
        panic!("{fifth:?}")
    };
    let locked = fx
        .store
        .finish_sign_in("clerk.one", attempt(true, Some(200), 4))
        .await
        .unwrap();
    assert_eq!(locked, SignInOutcome::Locked { until_ms });
    assert_eq!(
        fx.store.session(&[4; 32]).await.unwrap(),
        Err(Unauthenticated::Invalid)
    );
    // The lock lasts LOCKOUT_MS from the fifth failure (the step clock moves 1 ms a reading).
    assert!(until_ms >= crate::harness::T0 + LOCKOUT_MS, "{until_ms}");

    // An unknown name fails the same way and is audited without the name.
    let unknown = fx
        .store
        .finish_sign_in("mallory", attempt(true, Some(300), 5))
        .await
        .unwrap();
    assert_eq!(unknown, SignInOutcome::Failed);
    let log = all_entries(&fx).await;
    let got: Vec<_> = log
        .iter()
        .map(|s| {
            (
                s.entry.actor.as_str(),
                s.entry.action.as_str(),
                s.entry.object.as_str(),
                // Digests of the source and of an unknown name, as `#`.
                s.entry
                    .detail
                    .split(' ')
                    .map(|w| {
                        let hex = w.trim_end_matches(',');
                        if hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            w.replace(hex, "#")
                        } else {
                            w.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    let got: Vec<_> = got
        .iter()
        .map(|(a, b, c, d)| (*a, *b, *c, d.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "system/user-add",
                "create",
                "account/clerk.one",
                "records-clerk"
            ),
            ("user/clerk.one", "sign-in", "account/clerk.one", "from #"),
            (
                "user/clerk.one",
                "sign-in-failed",
                "account/clerk.one",
                "from #"
            ),
            (
                "user/clerk.one",
                "sign-in-failed",
                "account/clerk.one",
                "from #"
            ),
            (
                "user/clerk.one",
                "sign-in-failed",
                "account/clerk.one",
                "from #"
            ),
            (
                "user/clerk.one",
                "sign-in-failed",
                "account/clerk.one",
                "from #"
            ),
            (
                "user/clerk.one",
                "sign-in-failed",
                "account/clerk.one",
                "from #, locked"
            ),
            (
                "user/clerk.one",
                "sign-in-locked",
                "account/clerk.one",
                "from #"
            ),
            (
                "anonymous",
                "sign-in-failed",
                "account/unknown",
                "name # from #"
            ),
        ]
    );
    assert!(!log.iter().any(|s| s.entry.object.contains("mallory")));

    // Sign out ends the session.
    fx.store.sign_out(p.actor(), [1; 32]).await.unwrap();
    assert_eq!(
        fx.store.session(&[1; 32]).await.unwrap(),
        Err(Unauthenticated::Invalid)
    );
    verified_size(&fx).await;
}

pub async fn idle_sessions_expire(fx: Arc<Fixture>) {
    let admin = Actor::system("user-add");
    fx.store
        .add_account(&reach_all(&admin), account("officer.one", Role::Officer))
        .await
        .unwrap();
    let ok = fx
        .store
        .finish_sign_in("officer.one", attempt(true, Some(1), 9))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::Officer));
    assert!(fx.store.session(&[9; 32]).await.unwrap().is_ok());
    fx.clock.advance(SESSION_IDLE_MS + 1);
    assert_eq!(
        fx.store.session(&[9; 32]).await.unwrap(),
        Err(Unauthenticated::Expired)
    );
    assert_eq!(
        fx.store.session(&[9; 32]).await.unwrap(),
        Err(Unauthenticated::Invalid),
        "ended"
    );

    // Use keeps a session alive past the idle limit in total.
    let ok = fx
        .store
        .finish_sign_in("officer.one", attempt(true, Some(2), 10))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::Officer));
    for _ in 0..4 {
        fx.clock.advance(SESSION_IDLE_MS / 2);
        assert!(fx.store.session(&[10; 32]).await.unwrap().is_ok());
    }
}

pub async fn api_tokens_carry_their_scopes(fx: Arc<Fixture>) {
    let admin = Actor::user("admin");
    let id = fx
        .store
        .add_token(
            &reach_all(&admin),
            NewToken {
                name: "rms-integration".into(),
                scopes: vec![Permission::RecordContact],
                token_hash: [42; 32],
            },
        )
        .await
        .unwrap();
    let p = fx.store.api_token(&[42; 32]).await.unwrap().unwrap();
    assert_eq!(p.actor(), &Actor::new(format!("token/{id}")));
    assert!(p.may(Permission::RecordContact));
    assert!(!p.may(Permission::ReadAllContacts));
    assert_eq!(fx.store.api_token(&[43; 32]).await.unwrap(), None);
    for scopes in [vec![], vec![Permission::ManageAccess]] {
        let got = fx
            .store
            .add_token(
                &reach_all(&admin),
                NewToken {
                    name: "x".into(),
                    scopes,
                    token_hash: [44; 32],
                },
            )
            .await;
        assert!(
            matches!(got, Err(StoreError::Invalid(_) | StoreError::Field { .. })),
            "{got:?}"
        );
    }
    // Revoked, it stops working at once; revoking again finds nothing.
    fx.store.revoke_token(&reach_all(&admin), id).await.unwrap();
    assert_eq!(fx.store.api_token(&[42; 32]).await.unwrap(), None);
    assert!(matches!(
        fx.store.revoke_token(&reach_all(&admin), id).await,
        Err(StoreError::NotFound(_))
    ));
    let log = all_entries(&fx).await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].entry.object, format!("token/{id}"));
    assert_eq!(log[0].entry.detail, "contacts:record");
    assert_eq!(
        (log[1].entry.action.as_str(), log[1].entry.object.as_str()),
        ("revoke", format!("token/{id}").as_str())
    );
    // Listed (never the token itself), revoked ones included; the listing is audited.
    let listed = fx.store.list_tokens(&reach_all(&admin)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].scopes, ["contacts:record"]);
    assert!(listed[0].revoked_ms.is_some());
    let log = all_entries(&fx).await;
    assert_eq!(
        (log[2].entry.action.as_str(), log[2].entry.object.as_str()),
        ("list", "tokens")
    );
}

/// Group commit: failing operations queued beside good ones are answered
/// alone, and every good one still commits.
pub async fn failures_in_a_batch_do_not_sink_the_others(fx: Arc<Fixture>) {
    let admin = Actor::system("user-add");
    fx.store
        .add_account(&reach_all(&admin), account("taken", Role::Officer))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for w in 0..8 {
        let (fx, admin) = (fx.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let actor = Actor::new(format!("user/writer-{w}"));
            let mut ids = Vec::new();
            for n in 0..25 {
                ids.push(
                    fx.store
                        .record_contact(&reach_all(&actor), intake(contact(&[])))
                        .await
                        .unwrap()
                        .id,
                );
                let missing = fx
                    .store
                    .read_contact(&reach_all(&actor), ContactId(1_000_000 + n))
                    .await;
                assert!(
                    matches!(missing, Err(StoreError::NotFound(_))),
                    "{missing:?}"
                );
                let dup = fx
                    .store
                    .add_account(&reach_all(&admin), account("taken", Role::Officer))
                    .await;
                assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
            }
            ids
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 200);
    let reader = Actor::new("user/clerk");
    for id in &all {
        assert!(
            fx.store
                .read_contact(&reach_all(&reader), *id)
                .await
                .is_ok()
        );
    }
    // 1 account + 200 creates + 200 reads; the failures appended nothing.
    assert_eq!(verified_size(&fx).await, 401);
}

/// Personal data is sealed with the operator's key: unreadable in the
/// database, readable through the store with the key, re-sealed by rotation,
/// and refused outright when no key is set.
pub async fn personal_data_is_sealed_at_rest_and_rotated(fx: Arc<Fixture>) {
    use trustgate_store::{Keyring, Person, PersonRecord};
    let ana = Person {
        name: Some("Ana Quintanilla".into()),
        date_of_birth: Some("1990-04-12".into()),
        address: Some("12 Elm Street, Cambridge".into()),
    };
    let mut with_person = contact(&[]);
    with_person.person = Some(ana.clone());

    // No keyring: refused, never stored in the clear.
    let got = fx
        .store
        .record_contact(&reach_all(&officer()), intake(with_person.clone()))
        .await;
    assert!(
        matches!(
            got,
            Err(StoreError::Field {
                field: "person",
                ..
            })
        ),
        "{got:?}"
    );

    let old = Keyring::new_key_line("k2026a").unwrap();
    let keyed = fx.reopen(Some(Keyring::parse(&old).unwrap())).await;
    let id = keyed
        .record_contact(&reach_all(&officer()), intake(with_person.clone()))
        .await
        .unwrap()
        .id;
    let c = keyed
        .read_contact(&reach_own(&officer()), id)
        .await
        .unwrap();
    assert_eq!(c.person, Some(PersonRecord::Known(ana.clone())));
    for bad in [
        Person {
            date_of_birth: Some("12/04/1990".into()),
            ..ana.clone()
        },
        Person {
            name: Some(" ".into()),
            ..ana.clone()
        },
    ] {
        let mut c = contact(&[]);
        c.person = Some(bad);
        assert!(matches!(
            keyed
                .record_contact(&reach_all(&officer()), intake(c))
                .await,
            Err(StoreError::Field { .. })
        ));
    }
    // The database holds no plaintext.
    let plain_rows = fx
        .raw("UPDATE contacts SET receiving_unit = receiving_unit WHERE scenario LIKE '%Quintanilla%' OR decision LIKE '%Quintanilla%'")
        .await
        .unwrap();
    assert_eq!(plain_rows, 0);
    let log = all_entries(&fx).await;
    assert!(
        log.iter()
            .all(|s| !format!("{:?}", s.entry).contains("Quintanilla"))
    );

    // Without the key (a restart without it), the record is there and says why the person is not.
    let c = fx
        .store
        .read_contact(&reach_own(&officer()), id)
        .await
        .unwrap();
    match c.person {
        Some(PersonRecord::Unreadable(why)) => assert!(why.contains("k2026a"), "{why}"),
        other => panic!("{other:?}"),
    }
    keyed.close().await;

    // Rotation: a new current key; old data opens, then is re-sealed under the new key.
    let new = Keyring::new_key_line("k2026b").unwrap();
    let both = fx
        .reopen(Some(Keyring::parse(&format!("{new}\n{old}")).unwrap()))
        .await;
    assert_eq!(both.current_data_key(), Some("k2026b"));
    assert_eq!(
        both.rotate_keys(&Actor::system("keys-rotate"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        both.rotate_keys(&Actor::system("keys-rotate"))
            .await
            .unwrap(),
        0
    );
    both.close().await;
    let only_new = fx.reopen(Some(Keyring::parse(&new).unwrap())).await;
    let c = only_new
        .read_contact(&reach_own(&officer()), id)
        .await
        .unwrap();
    assert_eq!(c.person, Some(PersonRecord::Known(ana)));
    only_new.close().await;
    let log = all_entries(&fx).await;
    let rotations: Vec<_> = log
        .iter()
        .filter(|s| s.entry.action == "rotate-keys")
        .map(|s| s.entry.detail.as_str())
        .collect();
    assert_eq!(
        rotations,
        ["1 re-sealed under k2026b", "0 re-sealed under k2026b"]
    );
    verified_size(&fx).await;
}

/// A disabled account (staff who left) cannot sign in, its sessions end at
/// once, and it stays listed for the audit log's sake.
pub async fn disabled_accounts_cannot_sign_in_and_their_sessions_end(fx: Arc<Fixture>) {
    let admin = Actor::user("admin");
    fx.store
        .add_account(&reach_all(&admin), account("leaving", Role::Officer))
        .await
        .unwrap();
    fx.store
        .add_account(&reach_all(&admin), account("admin", Role::Admin))
        .await
        .unwrap();
    let ok = fx
        .store
        .finish_sign_in("leaving", attempt(true, Some(1), 5))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::Officer));
    assert!(fx.store.session(&[5; 32]).await.unwrap().is_ok());

    assert!(
        matches!(
            fx.store.disable_account(&reach_all(&admin), "admin").await,
            Err(StoreError::Invalid(_))
        ),
        "not oneself"
    );
    fx.store
        .disable_account(&reach_all(&admin), "leaving")
        .await
        .unwrap();
    assert!(matches!(
        fx.store
            .disable_account(&reach_all(&admin), "leaving")
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        fx.store.disable_account(&reach_all(&admin), "nobody").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        fx.store.session(&[5; 32]).await.unwrap(),
        Err(Unauthenticated::Invalid)
    );
    let again = fx
        .store
        .finish_sign_in("leaving", attempt(true, Some(2), 6))
        .await
        .unwrap();
    assert_eq!(again, SignInOutcome::Failed);

    let list = fx.store.list_accounts(&reach_all(&admin)).await.unwrap();
    let got: Vec<_> = list
        .iter()
        .map(|a| (a.username.as_str(), a.role, a.disabled_ms.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("admin", Role::Admin, false),
            ("leaving", Role::Officer, true)
        ]
    );
    let log = all_entries(&fx).await;
    let tail: Vec<_> = log
        .iter()
        .rev()
        .take(3)
        .map(|s| {
            (
                s.entry.action.as_str(),
                s.entry.object.as_str(),
                // After the source's digest (`from …, disabled`).
                s.entry.detail.rsplit(", ").next().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        tail,
        [
            ("list", "accounts", ""),
            ("sign-in-failed", "account/leaving", "disabled"),
            ("disable", "account/leaving", ""),
        ]
    );
    verified_size(&fx).await;
}

/// Obligations may carry a due time; the work list shows open ones, soonest
/// first, and which are overdue.
pub async fn open_obligations_are_listed_by_due_time(fx: Arc<Fixture>) {
    let hour = 3_600_000;
    let t0 = crate::harness::T0;
    let mut c = contact(&[]);
    c.obligations_due.insert("copy-to-person".into(), t0 + hour);
    let first = fx
        .store
        .record_contact(&reach_all(&officer()), intake(c.clone()))
        .await
        .unwrap()
        .id;
    c.obligations_due
        .insert("copy-to-person".into(), t0 + 3 * hour);
    let second = fx
        .store
        .record_contact(&reach_all(&officer()), intake(c))
        .await
        .unwrap()
        .id;
    // A due time for a duty the decision does not open is refused at intake.
    let mut bad = contact(&[]);
    bad.obligations_due.insert("bake-a-cake".into(), t0);
    match try_intake(bad) {
        Err(trustgate_records::IntakeError::Invalid(e)) => {
            assert_eq!(e.path, "$.obligations_due");
        }
        other => panic!("{other:?}"),
    }

    let read = fx
        .store
        .read_contact(&reach_own(&officer()), first)
        .await
        .unwrap();
    assert_eq!(
        read.contact.obligations_due.get("copy-to-person"),
        Some(&(t0 + hour))
    );
    assert_eq!(read.obligations[0].due_ms, Some(t0 + hour));

    let open = fx
        .store
        .open_obligations(&reach_own(&officer()), None)
        .await
        .unwrap();
    assert_eq!(
        open.len(),
        2,
        "a copy to give per contact (the rest was performed by recording)"
    );
    let due: Vec<_> = open
        .iter()
        .take(2)
        .map(|o| (o.contact, o.obligation.obligation.as_str()))
        .collect();
    assert_eq!(
        due,
        [(first, "copy-to-person"), (second, "copy-to-person")],
        "soonest first"
    );
    let overdue = fx
        .store
        .open_obligations(&reach_own(&officer()), Some(t0 + 2 * hour))
        .await
        .unwrap();
    let overdue: Vec<_> = overdue.iter().map(|o| o.contact).collect();
    assert_eq!(overdue, [first]);
    let others = fx
        .store
        .open_obligations(&reach_own(&Actor::new("user/other")), None)
        .await
        .unwrap();
    assert!(others.is_empty(), "an officer sees only their own");

    let id = read.obligations[0].id;
    fx.store
        .fulfil_obligation(&reach_own(&officer()), first, id, String::new())
        .await
        .unwrap();
    let overdue = fx
        .store
        .open_obligations(&reach_all(&officer()), Some(t0 + 2 * hour))
        .await
        .unwrap();
    assert!(overdue.is_empty());
    verified_size(&fx).await;
}

/// Inclusion and consistency proofs from the stored log check out against
/// the roots, with the RFC 9162 verifiers; a changed entry no longer proves
/// into an old root.
pub async fn proofs_from_the_stored_log_verify(fx: Arc<Fixture>) {
    use trustgate_audit::merkle::{verify_consistency, verify_inclusion};
    for i in 0..11 {
        fx.store
            .record_denial(&Actor::new(format!("user/u{i}")), "permission/audit:read")
            .await
            .unwrap();
    }
    // The tree of the first 11 entries, as a checkpoint of it would publish
    // (reading the head is itself audited, so the log is longer by then).
    let old = fx.store.inclusion_proof(&reader(), 0, 11).await.unwrap();
    for size in [1, 5, 11] {
        for entry in [0, size / 2, size - 1] {
            let p = fx
                .store
                .inclusion_proof(&reader(), entry, size)
                .await
                .unwrap();
            assert_eq!(p.entry.entry.seq, entry);
            verify_inclusion(entry, size, &p.entry.entry.leaf_hash(), &p.path, &p.root).unwrap();
        }
    }
    assert_eq!(
        fx.store
            .inclusion_proof(&reader(), 10, 11)
            .await
            .unwrap()
            .root,
        old.root
    );
    for (a, b) in [(0, 11), (1, 11), (4, 7), (11, 11)] {
        let c = fx.store.consistency_proof(&reader(), a, b).await.unwrap();
        verify_consistency(a, b, &c.old_root, &c.new_root, &c.proof).unwrap();
    }
    for (entry, size) in [(11, 11), (0, 1000)] {
        assert!(matches!(
            fx.store.inclusion_proof(&reader(), entry, size).await,
            Err(StoreError::Invalid(_))
        ));
    }
    assert!(matches!(
        fx.store.consistency_proof(&reader(), 5, 4).await,
        Err(StoreError::Invalid(_))
    ));

    // Someone rewrites entry 3: its proof no longer reaches the root published before.
    fx.drop_append_only_triggers().await;
    fx.raw("UPDATE audit_log SET actor = 'user/nobody' WHERE seq = 3")
        .await
        .unwrap();
    let p = fx.store.inclusion_proof(&reader(), 3, 11).await.unwrap();
    assert!(verify_inclusion(3, 11, &p.entry.entry.leaf_hash(), &p.path, &old.root).is_err());
}

/// The report counters kept as records are written give the same report as
/// counting the records themselves; a recount rebuilds them exactly.
pub async fn report_counters_match_the_records(fx: Arc<Fixture>) {
    use trustgate_report::{DayCount, Period, Report};
    let march = 1_772_384_400_000i64; // 2026-03-01 12:00 EST
    let day = 86_400_000i64;
    // Recorded after they all came in: no contact is received in the future.
    fx.clock.advance(march + 400 * day - crate::harness::T0);
    use trustgate_store::ContactKind;
    let kinds = [
        ContactKind::Detainer,
        ContactKind::AdministrativeWarrant,
        ContactKind::NotificationRequest,
    ];
    let acts: [&[&str]; 3] = [&["detain"], &[], &["transfer-to-ice"]];
    for i in 0..30i64 {
        let mut c = contact(acts[(i % 3) as usize]);
        c.kind = kinds[(i % 3) as usize];
        c.receiving_unit = format!("unit-{}", i % 4);
        // Across periods 12, 13 and 14.
        c.received_ms = Some(march - 60 * day + i * 9 * day);
        fx.store
            .record_contact(&reach_all(&officer()), intake(c))
            .await
            .unwrap();
    }
    // Information given to ICE, part of it withheld from the public on a ground.
    for i in 0..6i64 {
        let mut c = contact(&["disclose.immigration-status"]);
        c.kind = ContactKind::InformationRequest;
        c.scenario = r#"{"place":"cambridge","date":"2026-03-01","facts":{"department":"police","requester":"ice-hsi","custody":"in-police-custody"},"acts":{"disclose":["immigration-status"]}}"#.into();
        c.withheld = (i % 2 == 0).then(|| "investigatory".to_owned());
        c.received_ms = Some(march + i * day);
        fx.store
            .record_contact(&reach_all(&officer()), intake(c))
            .await
            .unwrap();
    }
    let clerk = Actor::new("user/clerk");
    assert_eq!(
        fx.store.ensure_report_counts(&clerk).await.unwrap(),
        None,
        "a new store counts as it goes"
    );
    let counted = |counts: &trustgate_store::ReportCounts| -> Vec<DayCount> {
        counts
            .counts
            .iter()
            .map(|(d, b, k, n)| DayCount {
                day: trustgate_law::Date::parse(d).unwrap(),
                breakdown: b.clone(),
                key: k.clone(),
                count: *n as u64,
            })
            .collect()
    };
    let mut before = Vec::new();
    for n in 12..=14 {
        let p = Period::nth(n).unwrap();
        let days = (p.from.to_string(), p.until.to_string());
        let rows = fx
            .store
            .report_rows(&reach_all(&clerk), p.utc_ms(), days.clone())
            .await
            .unwrap();
        let counts = fx
            .store
            .report_counts(&reach_all(&clerk), days)
            .await
            .unwrap();
        let from_rows = Report::count(p, &crate::harness::place(), &rows.contacts, &[], false);
        assert!(from_rows.a.total > 0, "period {n}");
        if n == 13 {
            let withheld: u64 = from_rows.e.withheld.iter().flatten().map(|w| w.count).sum();
            assert_eq!((from_rows.e.total, withheld), (3, 3), "period 13's (e)");
        }
        assert_eq!(
            Report::from_counts(p, &crate::harness::place(), &counted(&counts), &[]),
            from_rows,
            "period {n}"
        );
        before.push(counts.counts);
    }
    // A database whose counters are missing (records from before them) is recounted once.
    fx.raw("DELETE FROM report_counts").await.unwrap();
    fx.raw("UPDATE report_counts_state SET complete = 0")
        .await
        .unwrap();
    assert_eq!(
        fx.store.ensure_report_counts(&clerk).await.unwrap(),
        Some(36)
    );
    assert_eq!(fx.store.ensure_report_counts(&clerk).await.unwrap(), None);
    for (i, n) in (12..=14).enumerate() {
        let p = Period::nth(n).unwrap();
        let counts = fx
            .store
            .report_counts(
                &reach_all(&clerk),
                (p.from.to_string(), p.until.to_string()),
            )
            .await
            .unwrap();
        assert_eq!(counts.counts, before[i], "period {n} after the recount");
    }
    verified_size(&fx).await;
}

/// An enrolment code sets the account's own password and authenticator,
/// once, before it expires; sessions from before end; a wrong code, an
/// unknown name, a spent or expired code are refused and audited (an
/// unknown name without the name).
pub async fn enrolment_sets_ones_own_credentials_once(fx: Arc<Fixture>) {
    use trustgate_store::{Enrolment, SignInOutcome};
    let admin = Actor::system("user-add");
    fx.store
        .add_account(&reach_all(&admin), account("new.officer", Role::Officer))
        .await
        .unwrap();
    // A session from before enrolment (someone who knew the old secret).
    assert!(matches!(
        fx.store
            .finish_sign_in("new.officer", attempt(true, Some(10), 1))
            .await
            .unwrap(),
        SignInOutcome::SignedIn(Role::Officer)
    ));
    let far = i64::MAX / 2;
    fx.store
        .issue_enrolment(
            &reach_all(&Actor::user("admin")),
            "new.officer",
            [3; 32],
            far,
        )
        .await
        .unwrap();
    assert!(matches!(
        fx.store
            .issue_enrolment(&reach_all(&Actor::user("admin")), "nobody", [3; 32], far)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let enrolment = |code: u8| Enrolment {
        code_hash: [code; 32],
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$bmV3c2FsdA$bmV3aGFzaA".into(),
        totp_secret: vec![9; 20],
        totp_step: 42,
    };
    assert!(
        !fx.store.enrol("new.officer", enrolment(4)).await.unwrap(),
        "wrong code"
    );
    assert!(
        !fx.store.enrol("nobody", enrolment(3)).await.unwrap(),
        "unknown name"
    );
    assert!(fx.store.enrol("new.officer", enrolment(3)).await.unwrap());
    assert!(
        !fx.store.enrol("new.officer", enrolment(3)).await.unwrap(),
        "spent"
    );
    let m = fx
        .store
        .sign_in_material("new.officer")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.totp_secret, vec![9; 20]);
    assert_eq!(
        m.totp_last_step, 42,
        "the code shown at enrolment cannot sign in"
    );
    assert!(m.password_hash.contains("bmV3aGFzaA"));
    // The session from before is over.
    assert!(matches!(
        fx.store.session(&[1; 32]).await.unwrap(),
        Err(trustgate_store::Unauthenticated::Invalid | trustgate_store::Unauthenticated::Expired)
    ));
    // An expired code is refused.
    fx.store
        .issue_enrolment(&reach_all(&Actor::user("admin")), "new.officer", [5; 32], 1)
        .await
        .unwrap();
    assert!(
        !fx.store.enrol("new.officer", enrolment(5)).await.unwrap(),
        "expired"
    );
    let log = all_entries(&fx).await;
    let trail: Vec<(&str, &str, &str)> = log
        .iter()
        .filter(|s| s.entry.action.starts_with("enrol"))
        .map(|s| {
            (
                s.entry.actor.as_str(),
                s.entry.action.as_str(),
                s.entry.object.as_str(),
            )
        })
        .collect();
    assert_eq!(
        trail,
        [
            ("user/admin", "enrolment-issued", "account/new.officer"),
            ("user/new.officer", "enrol-failed", "account/new.officer"),
            ("anonymous", "enrol-failed", "account/unknown"),
            ("user/new.officer", "enrolled", "account/new.officer"),
            ("user/new.officer", "enrol-failed", "account/new.officer"),
            ("user/admin", "enrolment-issued", "account/new.officer"),
            ("user/new.officer", "enrol-failed", "account/new.officer"),
        ]
    );
    verified_size(&fx).await;
}

/// Replay's read pages through every kept decision, oldest first, each page
/// an audit entry; a reader of only their own contacts is refused, and the
/// refusal is audited too.
pub async fn kept_decisions_page_for_readers_of_all_only(fx: Arc<Fixture>) {
    let mut ids = Vec::new();
    for acts in [&["detain"][..], &[][..], &[][..]] {
        let r = fx
            .store
            .record_contact(&reach_all(&officer()), intake(contact(acts)))
            .await
            .unwrap();
        ids.push(r.id);
    }
    let before = all_entries(&fx).await.len();
    let clerk = reach_all(&Actor::new("user/clerk"));
    let first = fx.store.kept_decisions(&clerk, None, 2).await.unwrap();
    assert_eq!(first.iter().map(|k| k.id).collect::<Vec<_>>(), ids[..2]);
    assert_eq!(first[0].acts_done, ["detain"]);
    assert!(trustgate_records::StoredDecision::parse(&first[0].decision).is_ok());
    let rest = fx
        .store
        .kept_decisions(&clerk, Some(first[1].id), 2)
        .await
        .unwrap();
    assert_eq!(rest.iter().map(|k| k.id).collect::<Vec<_>>(), ids[2..]);
    assert_eq!(
        all_entries(&fx).await.len(),
        before + 2,
        "one entry per page"
    );

    let own = reach_own(&officer());
    assert!(matches!(
        fx.store.kept_decisions(&own, None, 10).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(
        all_entries(&fx).await.len(),
        before + 3,
        "the refusal is audited"
    );
}
