//! The conformance suite: each case runs on both backends (see `main.rs`).

use std::sync::Arc;

use trustgate_access::Permission;
use trustgate_audit::{Tampering, verify_log};
use trustgate_store::{
    Actor, Channel, ContactId, ContactKind, Grants, NewContact, Principal, StoreError, StoredEntry,
};

use crate::harness::{Fixture, T0};

/// Cambridge, 2026-03-01, a detainer with an I-200 for a man whose only
/// charge was dropped: the engine finds `detain` and `transfer-to-ice`
/// prohibited and `issue-summons` undetermined (decided when the contact is
/// taken in, [`intake`]).
const DETAINER_SCENARIO: &str = r#"{"place":"cambridge","date":"2026-03-01","facts":{"department":"police","requester":"ice-ero","custody":"in-police-custody","documents":["detainer-hold","i-200"],"other-custody-basis":false},"acts":{"detain":true,"transfer-to-ice":true,"issue-summons":true}}"#;

pub fn contact(acts_done: &[&str]) -> NewContact {
    NewContact {
        kind: ContactKind::Detainer,
        channel: Channel::Fax,
        receiving_unit: "district-4".into(),
        received_ms: None,
        scenario: DETAINER_SCENARIO.into(),
        decision: String::new(),
        acts_done: acts_done.iter().map(|a| (*a).to_owned()).collect(),
        done_by: None,
        withheld: None,
        late_entry: None,
        obligations_due: Default::default(),
        person: None,
    }
}

/// The built-in law library, loaded once.
pub fn library() -> &'static trustgate_law::Library {
    static LIB: std::sync::OnceLock<trustgate_law::Library> = std::sync::OnceLock::new();
    LIB.get_or_init(|| {
        let sources: Vec<trustgate_law::Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| trustgate_law::Source { name, text })
            .collect();
        trustgate_law::Library::load(&sources).unwrap()
    })
}

/// A contact taken in as the server takes it: its scenario decided now by
/// the built-in packs (the contact's own `decision` is replaced).
pub fn intake(c: NewContact) -> trustgate_records::Intake {
    try_intake(c).unwrap()
}

/// [`intake`], which may refuse.
pub fn try_intake(
    c: NewContact,
) -> Result<trustgate_records::Intake, trustgate_records::IntakeError> {
    let scenario = trustgate_records::scenario::parse(&c.scenario).unwrap();
    let decided = trustgate_records::Decided::new(library(), &scenario)?;
    trustgate_records::Intake::of(decided, c)
}

pub fn officer() -> Actor {
    Actor::new("officer-17")
}

/// The actor of the tests' own reads of the log (left out of what they count).
pub const READER: &str = "system/test-reader";

#[expect(
    clippy::disallowed_methods,
    reason = "tests act as the operator's commands do"
)]
fn principal(actor: &Actor, may: Vec<Permission>) -> Principal {
    Principal::new(actor.clone(), Grants::Scopes(may))
}

/// `actor` with every permission but reading others' contacts: its reach
/// is its own records.
pub fn reach_own(actor: &Actor) -> Principal {
    principal(
        actor,
        Permission::ALL
            .iter()
            .copied()
            .filter(|p| *p != Permission::ReadAllContacts)
            .collect(),
    )
}

/// `actor` with every permission: it reaches every record.
pub fn reach_all(actor: &Actor) -> Principal {
    principal(actor, Permission::ALL.to_vec())
}

/// The tests' reader of the audit log (each read is itself audited).
pub fn reader() -> Principal {
    principal(&Actor::new(READER), vec![Permission::ReadAuditLog])
}

/// Every entry but the tests' own reads of the log.
pub async fn all_entries(fx: &Fixture) -> Vec<StoredEntry> {
    let mut log = fx
        .store
        .audit_entries(&reader(), 0, u64::MAX)
        .await
        .unwrap();
    log.retain(|s| s.entry.actor != READER);
    log
}

/// Verifies the stored log (sequence, chain, stored leaf hashes, the stored
/// head) and returns how many entries are not the tests' own reads.
pub async fn verified_size(fx: &Fixture) -> u64 {
    // The log, every record against the latest entry about it, and the
    // report counters.
    let report = fx
        .store
        .verify_audit_log(&reader(), &[])
        .await
        .unwrap()
        .unwrap_or_else(|finding| panic!("{finding}"));
    assert_eq!(report.unprotected, 0, "every record has a digest");
    let log = fx
        .store
        .audit_entries(&reader(), 0, report.head.size)
        .await
        .unwrap();
    assert_eq!(log.len() as u64, report.head.size);
    log.iter().filter(|s| s.entry.actor != READER).count() as u64
}

fn verify(log: &[StoredEntry]) -> Result<u64, Tampering> {
    let entries: Vec<_> = log.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = log.iter().map(|s| s.chain_hash).collect();
    verify_log(&entries, &chain, &[]).map(|r| r.head.size())
}

pub async fn record_then_read_round_trips_every_field(fx: Arc<Fixture>) {
    // Every kind, and every channel, at least once.
    let mut recorded = Vec::new();
    for (i, kind) in ContactKind::ALL.iter().enumerate() {
        let channel = Channel::ALL[i % Channel::ALL.len()];
        let new = NewContact {
            kind: *kind,
            channel,
            receiving_unit: format!("unit-{}", i % 10),
            received_ms: Some(T0 - 60_000 * i as i64),
            scenario: DETAINER_SCENARIO.into(),
            decision: String::new(),
            acts_done: if i % 2 == 0 {
                vec!["issue-summons".into()]
            } else {
                vec![]
            },
            done_by: (i % 3 == 0).then(|| format!("badge {i}, district 4")),
            withheld: ["investigatory", "statute", "privacy"]
                .get(i % 4)
                .map(|g| (*g).to_owned()),
            late_entry: None,
            obligations_due: Default::default(),
            person: None,
        };
        // What is kept is what intake made: the scenario and the decision
        // as the engine's JSON.
        let taken = intake(new);
        let new = taken.contact().clone();
        let id = fx
            .store
            .record_contact(&reach_all(&officer()), taken)
            .await
            .unwrap()
            .id;
        recorded.push((id, new));
    }
    let mut ids: Vec<_> = recorded.iter().map(|r| r.0).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ContactKind::ALL.len(), "ids are distinct");
    for (n, (id, new)) in recorded.iter().enumerate() {
        let got = fx
            .store
            .read_contact(&reach_all(&Actor::new("clerk-2")), *id)
            .await
            .unwrap();
        assert_eq!(got.id, *id);
        assert_eq!(&got.contact, new);
        assert!(!got.compliance_exception);
        assert!(got.prohibited_acts_done.is_empty());
        assert_eq!(got.recorded_by, officer());
        // The step clock is read once per operation, in order.
        assert_eq!(got.recorded_ms, T0 + n as i64);
    }
    let channels: std::collections::HashSet<_> = recorded.iter().map(|(_, c)| c.channel).collect();
    assert_eq!(channels.len(), Channel::ALL.len(), "every channel was used");
}

pub async fn reads_are_audited(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    fx.store
        .read_contact(&reach_all(&Actor::new("clerk-2")), id)
        .await
        .unwrap();
    fx.store
        .read_contact(&reach_all(&Actor::new("auditor-1")), id)
        .await
        .unwrap();
    let log = all_entries(&fx).await;
    let got: Vec<_> = log
        .iter()
        .map(|s| {
            (
                s.entry.seq,
                s.entry.time_ms,
                s.entry.actor.as_str(),
                s.entry.action.as_str(),
                s.entry.object.clone(),
            )
        })
        .collect();
    let object = format!("contact/{}", id.0);
    assert_eq!(
        got,
        [
            (0, T0, "officer-17", "create", object.clone()),
            (1, T0 + 1, "clerk-2", "read", object.clone()),
            (2, T0 + 2, "auditor-1", "read", object.clone()),
        ]
    );
    assert_eq!(verified_size(&fx).await, 3);
    // The record's own trail is the same entries, found by their object.
    // The record's own trail is its entries, found by their object, and
    // comes with a read of it (itself audited).
    let (_, trail) = fx
        .store
        .read_contact_with_trail(&reach_all(&Actor::new("clerk-2")), id, 10)
        .await
        .unwrap();
    assert_eq!(trail[..3], log[..]);
    assert_eq!(trail.len(), 4, "and the read that showed it");
    let (_, two) = fx
        .store
        .read_contact_with_trail(&reach_all(&Actor::new("clerk-2")), id, 2)
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
    assert!(matches!(
        fx.store
            .read_contact_with_trail(&reach_all(&Actor::new("clerk-2")), ContactId(999), 10)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn log_verifies_after_many_operations(fx: Arc<Fixture>) {
    let mut ids = Vec::new();
    for n in 0..12 {
        let acts: &[&str] = if n % 3 == 0 { &["detain"] } else { &[] };
        ids.push(
            fx.store
                .record_contact(&reach_all(&officer()), intake(contact(acts)))
                .await
                .unwrap()
                .id,
        );
        if n % 2 == 1 {
            let id = ids[n / 2];
            fx.store
                .read_contact(&reach_all(&Actor::new("clerk-2")), id)
                .await
                .unwrap();
        }
        // Failed operations in between append nothing.
        let missing = fx
            .store
            .read_contact(&reach_all(&officer()), ContactId(1_000_000))
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))));
    }
    assert_eq!(verified_size(&fx).await, 18);

    // A range of the log.
    let part = fx.store.audit_entries(&reader(), 5, 8).await.unwrap();
    let seqs: Vec<_> = part.iter().map(|s| s.entry.seq).collect();
    assert_eq!(seqs, [5, 6, 7]);
    let beyond = fx.store.audit_entries(&reader(), 18, 30).await.unwrap();
    assert!(
        beyond.iter().all(|s| s.entry.actor == READER),
        "only the tests' reads"
    );

    // A checkpoint of the stored head vouches for the whole log.
    let head = fx.store.audit_head(&reader()).await.unwrap();
    let log = fx
        .store
        .audit_entries(&reader(), 0, head.size)
        .await
        .unwrap();
    let entries: Vec<_> = log.iter().map(|s| s.entry.clone()).collect();
    let chain: Vec<_> = log.iter().map(|s| s.chain_hash).collect();
    let checkpoint = trustgate_audit::Checkpoint {
        origin: "trustgate.test/log".into(),
        size: head.size,
        root: head.root,
        time_ms: T0 + 100,
    };
    let report = verify_log(&entries, &chain, &[checkpoint]).unwrap();
    assert_eq!(report.anchored, head.size);
}

pub async fn prohibited_act_done_is_a_compliance_exception(fx: Arc<Fixture>) {
    let clerk = Actor::new("clerk-2");
    let flagged = fx
        .store
        .record_contact(
            &reach_all(&officer()),
            intake(contact(&["issue-summons", "transfer-to-ice", "detain"])),
        )
        .await
        .unwrap()
        .id;
    let c = fx
        .store
        .read_contact(&reach_all(&clerk), flagged)
        .await
        .unwrap();
    assert!(c.compliance_exception);
    assert_eq!(c.prohibited_acts_done, ["detain", "transfer-to-ice"]);
    assert_eq!(
        c.contact.acts_done,
        ["issue-summons", "transfer-to-ice", "detain"],
        "acts done are kept as given"
    );

    // Undetermined is not prohibited; prohibited but not done is no exception.
    for acts in [&["issue-summons"][..], &[][..]] {
        let id = fx
            .store
            .record_contact(&reach_all(&officer()), intake(contact(acts)))
            .await
            .unwrap()
            .id;
        let c = fx.store.read_contact(&reach_all(&clerk), id).await.unwrap();
        assert!(!c.compliance_exception, "{acts:?}");
        assert!(c.prohibited_acts_done.is_empty());
    }

    // A field of a disclosure is matched by its full key.
    // For a person in police custody, 2.129.040(e) forbids giving ICE the
    // release date; 8 U.S.C. §1373 permits sharing immigration status.
    let mut disclosure = contact(&["disclose.release-date"]);
    disclosure.kind = ContactKind::InformationRequest;
    disclosure.channel = Channel::Email;
    disclosure.scenario = DETAINER_SCENARIO.replace(
        r#""acts":{"detain":true,"transfer-to-ice":true,"issue-summons":true}"#,
        r#""acts":{"disclose":["release-date","immigration-status"]}"#,
    );
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(disclosure.clone()))
        .await
        .unwrap()
        .id;
    let c = fx.store.read_contact(&reach_all(&clerk), id).await.unwrap();
    assert!(c.compliance_exception);
    assert_eq!(c.prohibited_acts_done, ["disclose.release-date"]);
    disclosure.acts_done = vec!["disclose.immigration-status".into()];
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(disclosure))
        .await
        .unwrap()
        .id;
    assert!(
        !fx.store
            .read_contact(&reach_all(&clerk), id)
            .await
            .unwrap()
            .compliance_exception
    );

    // Lists narrow to the exceptions, and to a kind, in the store.
    let listed = |page: trustgate_store::Page| {
        let fx = Arc::clone(&fx);
        let clerk = clerk.clone();
        async move {
            fx.store
                .list_contacts(&reach_all(&clerk), page)
                .await
                .unwrap()
                .iter()
                .map(|s| (s.id.0, s.kind, s.compliance_exception))
                .collect::<Vec<_>>()
        }
    };
    let exceptions = listed(trustgate_store::Page {
        exceptions_only: true,
        ..Default::default()
    })
    .await;
    assert_eq!(exceptions.len(), 2, "{exceptions:?}");
    assert!(exceptions.iter().all(|e| e.2));
    assert_eq!(exceptions[1].0, flagged.0, "newest first");
    let requests = listed(trustgate_store::Page {
        kind: Some(ContactKind::InformationRequest),
        ..Default::default()
    })
    .await;
    assert_eq!(requests.len(), 2, "{requests:?}");
    let both = listed(trustgate_store::Page {
        kind: Some(ContactKind::InformationRequest),
        exceptions_only: true,
        ..Default::default()
    })
    .await;
    assert_eq!(both.len(), 1);
    // And to when they came in: [from, until).
    let all = listed(trustgate_store::Page::default()).await;
    let newest = fx
        .store
        .read_contact(&reach_all(&clerk), ContactId(all[0].0))
        .await
        .unwrap();
    let at = newest.contact.received_ms.unwrap();
    let window = |from, until| trustgate_store::Page {
        received: (from, until),
        ..Default::default()
    };
    // Each came in when it was recorded, a step of the clock apart.
    assert_eq!(listed(window(Some(at), Some(at + 1))).await, all[..1]);
    assert!(listed(window(Some(at + 1), None)).await.is_empty());
    assert_eq!(listed(window(None, Some(at))).await, all[1..]);

    // The flag shows in the audit log (no personal data: just the word).
    let log = all_entries(&fx).await;
    let details: Vec<_> = log
        .iter()
        .filter(|s| s.entry.action == "create")
        .map(|s| s.entry.detail.as_str())
        .collect();
    assert_eq!(
        details,
        ["compliance-exception", "", "", "compliance-exception", ""]
    );
    verified_size(&fx).await;
}

pub async fn unknown_id_is_not_found_and_appends_nothing(fx: Arc<Fixture>) {
    let got = fx
        .store
        .read_contact(&reach_all(&officer()), ContactId(4242))
        .await;
    assert_eq!(got, Err(StoreError::NotFound("contact/4242".into())));
    assert!(all_entries(&fx).await.is_empty());

    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let next = ContactId(id.0 + 1);
    assert!(matches!(
        fx.store.read_contact(&reach_all(&officer()), next).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(verified_size(&fx).await, 1);
}

pub async fn invalid_input_is_refused_and_appends_nothing(fx: Arc<Fixture>) {
    // A decision or a scenario that does not read, an act done that was not
    // asked, a duty the decision does not open: intake refuses them before
    // the store sees them (crates/records/tests). An act not asked:
    assert!(try_intake(contact(&[""])).is_err());
    assert!(try_intake(contact(&["disclose.address"])).is_err());
    // What the store itself refuses:
    let mut bad = Vec::new();
    bad.push(contact(&["detain", "detain"]));
    let mut c = contact(&[]);
    c.receiving_unit = "  ".into();
    bad.push(c);
    let mut c = contact(&[]);
    c.withheld = Some("secret".into());
    bad.push(c);
    for c in bad {
        let got = fx
            .store
            .record_contact(&reach_all(&officer()), intake(c.clone()))
            .await;
        assert!(
            matches!(got, Err(StoreError::Invalid(_) | StoreError::Field { .. })),
            "{c:?}: {got:?}"
        );
    }
    assert!(all_entries(&fx).await.is_empty());
    assert!("telegram".parse::<Channel>().is_err());
    assert_eq!("in-person".parse::<Channel>(), Ok(Channel::InPerson));
    assert_eq!(
        "fingerprint-transmission".parse::<ContactKind>(),
        Ok(ContactKind::FingerprintTransmission)
    );
}

pub async fn audit_log_and_exceptions_are_append_only(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&["detain"])))
        .await
        .unwrap()
        .id;
    fx.store
        .read_contact(&reach_all(&officer()), id)
        .await
        .unwrap();
    for (sql, refusal) in [
        (
            "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1",
            "audit_log is append-only",
        ),
        (
            "DELETE FROM audit_log WHERE seq = 1",
            "audit_log is append-only",
        ),
        (
            "DELETE FROM compliance_exceptions",
            "compliance exceptions are never deleted",
        ),
        // A flagged contact cannot be deleted either (the exception refers to it).
        ("DELETE FROM contacts", "foreign key"),
    ] {
        let got = fx.raw(sql).await;
        match got {
            Err(e) => assert!(e.to_lowercase().contains(refusal), "{sql}: {e}"),
            Ok(n) => panic!("{sql} was allowed ({n} rows)"),
        }
    }
    assert_eq!(verified_size(&fx).await, 2);
    assert!(
        fx.store
            .read_contact(&reach_all(&officer()), id)
            .await
            .unwrap()
            .compliance_exception
    );
}

pub async fn changing_an_entry_in_sql_is_caught(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    for _ in 0..4 {
        fx.store
            .read_contact(&reach_all(&Actor::new("clerk-2")), id)
            .await
            .unwrap();
    }
    assert_eq!(verified_size(&fx).await, 5);
    fx.drop_append_only_triggers().await;
    // Hide who read the record.
    let changed = fx
        .raw("UPDATE audit_log SET actor = 'officer-17' WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let got = verify(&all_entries(&fx).await);
    assert_eq!(got, Err(Tampering::Chain { index: 2 }));
}

pub async fn deleting_an_entry_in_sql_is_caught(fx: Arc<Fixture>) {
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    for _ in 0..4 {
        fx.store
            .read_contact(&reach_all(&Actor::new("clerk-2")), id)
            .await
            .unwrap();
    }
    fx.drop_append_only_triggers().await;
    assert_eq!(
        fx.raw("DELETE FROM audit_log WHERE seq = 3").await.unwrap(),
        1
    );
    let got = verify(&all_entries(&fx).await);
    assert_eq!(got, Err(Tampering::Sequence { index: 3, found: 4 }));
}

pub async fn concurrent_writers_keep_one_chain(fx: Arc<Fixture>) {
    let mut tasks = Vec::new();
    for w in 0..4 {
        let fx = fx.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::new(format!("writer-{w}"));
            for _ in 0..10 {
                let id = fx
                    .store
                    .record_contact(&reach_all(&actor), intake(contact(&[])))
                    .await
                    .unwrap()
                    .id;
                fx.store.read_contact(&reach_all(&actor), id).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(verified_size(&fx).await, 80);
}
