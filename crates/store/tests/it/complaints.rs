//! Complaints (2.129.050): filed by the public principal, followed by code,
//! handled by the offices the law routes them to; every role against every
//! operation; their record against the audit log. Run on both backends.

use std::sync::Arc;

use trustgate_access::{Permission, Role};
use trustgate_records::{ComplaintForm, ComplaintStatus, Filing, StatusChange, TrackingCode};
use trustgate_store::{
    Actor, ContentRecord, Grants, Keyring, NewAccount, Principal, Queue, Store, StoreError,
};

use crate::conformance::{all_entries, library, reach_all, verified_size};
use crate::harness::Fixture;

fn filing(against: &str) -> Filing {
    let form = ComplaintForm {
        what: "An officer asked my neighbour for her papers at the bus stop.".into(),
        date: "2026-02-01".into(),
        time: Some("08:15".into()),
        location: "Massachusetts Ave and Prospect St".into(),
        against: against.into(),
        contact: None,
        language: Some("es".into()),
    };
    Filing::new(library(), "cambridge", "2026-03-02", &["en", "es"], form).unwrap()
}

fn code(n: u8) -> TrackingCode {
    TrackingCode::from_random([n; trustgate_records::CODE_BYTES])
}

#[expect(
    clippy::disallowed_methods,
    reason = "tests act as a session of each role would"
)]
fn staff(name: &str, role: Role) -> Principal {
    Principal::new(Actor::user(name), Grants::Role(role))
}

fn account(name: &str, role: Role) -> NewAccount {
    NewAccount {
        username: name.into(),
        role,
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
        totp_secret: vec![7; 20],
    }
}

async fn keyed(fx: &Fixture) -> Store {
    let keyring = Keyring::parse(&Keyring::new_key_line("k1").unwrap()).unwrap();
    fx.reopen(Some(keyring)).await
}

/// Files a complaint against `against` through the public principal.
pub async fn file_one(store: &Store, against: &str, n: u8) -> trustgate_store::ComplaintId {
    store
        .file_complaint(&Principal::public(), filing(against), &code(n))
        .await
        .unwrap()
        .id
}

/// Takes a complaint through its whole life as `who`: investigated, a
/// note, its first duty fulfilled, closed.
pub async fn investigate_and_close(
    store: &Store,
    who: &Principal,
    id: trustgate_store::ComplaintId,
) {
    store
        .change_complaint_status(who, id, status("under-investigation", None, "Begun."))
        .await
        .unwrap();
    store
        .add_complaint_note(who, id, "Interviewed the officer.".into())
        .await
        .unwrap();
    let duty = store.read_complaint(who, id).await.unwrap().obligations[0]
        .obligation
        .id;
    store
        .fulfil_complaint_obligation(who, id, duty, "Investigated.".into())
        .await
        .unwrap();
    store
        .change_complaint_status(who, id, status("closed", Some("sustained"), "Sustained."))
        .await
        .unwrap();
}

fn status(to: &str, disposition: Option<&str>, notice: &str) -> StatusChange {
    StatusChange::new(to, disposition, notice.into()).unwrap()
}

pub async fn complaints_are_filed_sealed_routed_and_followed_by_code(fx: Arc<Fixture>) {
    // Without a data key, nothing is kept in the clear.
    let refused = fx
        .store
        .file_complaint(&Principal::public(), filing("unknown"), &code(1))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );

    let store = keyed(&fx).await;
    let filed = store
        .file_complaint(&Principal::public(), filing("police-employee"), &code(1))
        .await
        .unwrap();
    assert_eq!(filed.offices, ["city-manager", "professional-standards"]);

    // The complainant follows it by code: status, dates, notices; nothing else.
    let seen = store
        .complaint_status(&Principal::public(), &code(1))
        .await
        .unwrap();
    assert_eq!(seen.status, ComplaintStatus::Received);
    assert_eq!(seen.filed_on, "2026-03-02");
    assert_eq!(seen.history.len(), 1);
    assert_eq!(seen.history[0].notice, None);
    // Another code is not found, and the attempt is in the log.
    let missing = store.complaint_status(&Principal::public(), &code(2)).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );

    // Staff read the content, opened; the database holds it sealed, and
    // neither the code nor the narrative is anywhere in the log.
    let cm = staff("cm.one", Role::CityManager);
    let c = store.read_complaint(&cm, filed.id).await.unwrap();
    let ContentRecord::Known(content) = &c.content else {
        panic!("{:?}", c.content)
    };
    assert!(content.what.starts_with("An officer asked"));
    assert_eq!(content.time.as_deref(), Some("08:15"));
    assert_eq!(c.against, "police-employee");
    assert_eq!(c.language.as_deref(), Some("es"));
    assert_eq!(c.filed_by, Actor::new("public"));
    let duties: Vec<(&str, &str)> = c
        .obligations
        .iter()
        .map(|o| (o.obligation.obligation.as_str(), o.office.as_str()))
        .collect();
    assert_eq!(
        duties,
        [
            ("complaint-to-city-manager", "city-manager"),
            (
                "complaint-to-professional-standards",
                "professional-standards"
            )
        ]
    );
    let log = all_entries(&fx).await;
    let printed = format!("{log:?}");
    assert!(!printed.contains("bus stop") && !printed.contains("Prospect"));
    assert!(!printed.contains(code(1).canonical()));
    let actions: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|s| {
            (
                s.entry.action.as_str(),
                s.entry.object.as_str(),
                s.entry.actor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("create", "complaint/1", "public"),
            ("read-status", "complaint/1", "public"),
            ("status-not-found", "complaints", "public"),
            ("read", "complaint/1", "user/cm.one"),
        ]
    );
    assert_eq!(log[0].entry.detail, "city-manager professional-standards");
    verified_size(&fx).await;
}

pub async fn complaints_move_forward_with_notices_the_complainant_reads(fx: Arc<Fixture>) {
    let store = keyed(&fx).await;
    let public = Principal::public();
    let id = store
        .file_complaint(&public, filing("school-employee"), &code(3))
        .await
        .unwrap()
        .id;
    let cm = staff("cm.one", Role::CityManager);
    // Closing before investigating is refused; so is going back.
    let early = store
        .change_complaint_status(&cm, id, status("closed", Some("unfounded"), "Closed."))
        .await;
    assert!(matches!(early, Err(StoreError::Conflict(_))), "{early:?}");
    store
        .change_complaint_status(
            &cm,
            id,
            status("under-investigation", None, "We have begun to investigate."),
        )
        .await
        .unwrap();
    store
        .add_complaint_note(&cm, id, "Called the school; awaiting the registrar.".into())
        .await
        .unwrap();
    store
        .change_complaint_status(
            &cm,
            id,
            status("closed", Some("sustained"), "Your complaint was sustained."),
        )
        .await
        .unwrap();
    let again = store
        .change_complaint_status(&cm, id, status("under-investigation", None, "Reopened."))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    let seen = store.complaint_status(&public, &code(3)).await.unwrap();
    assert_eq!(seen.status, ComplaintStatus::Closed);
    assert_eq!(seen.disposition.map(|d| d.as_str()), Some("sustained"));
    let notices: Vec<Option<&str>> = seen.history.iter().map(|n| n.notice.as_deref()).collect();
    assert_eq!(
        notices,
        [
            None,
            Some("We have begun to investigate."),
            Some("Your complaint was sustained.")
        ]
    );
    // The internal note is for staff only: the public status has no place
    // for it, and the staff read has it.
    assert!(!format!("{seen:?}").contains("registrar"));
    let c = store.read_complaint(&cm, id).await.unwrap();
    assert_eq!(c.notes.len(), 1);
    assert_eq!(c.notes[0].by, Actor::user("cm.one"));
    assert_eq!(c.history.len(), 3);
    assert_eq!(c.history[2].by, Actor::user("cm.one"));
    verified_size(&fx).await;
}

pub async fn the_queue_is_by_office_open_and_overdue_and_duties_are_fulfilled_once(
    fx: Arc<Fixture>,
) {
    let store = keyed(&fx).await;
    let public = Principal::public();
    let police = store
        .file_complaint(&public, filing("police-employee"), &code(4))
        .await
        .unwrap()
        .id;
    let unknown = store
        .file_complaint(&public, filing("unknown"), &code(5))
        .await
        .unwrap()
        .id;
    let cm = staff("cm.one", Role::CityManager);
    let pso = staff("pso.one", Role::ProfessionalStandards);
    let ids = |q: Vec<trustgate_store::QueuedComplaint>| q.iter().map(|c| c.id).collect::<Vec<_>>();
    // The City Manager's Office sees every complaint; Professional
    // Standards, those the law sends it.
    let all = store.complaint_queue(&cm, Queue::default()).await.unwrap();
    assert_eq!(ids(all.clone()), [unknown, police]);
    assert_eq!(all[1].offices, ["city-manager", "professional-standards"]);
    assert_eq!(all[0].offices, ["city-manager"]);
    assert_eq!(all[1].open_duties, 2);
    let theirs = store.complaint_queue(&pso, Queue::default()).await.unwrap();
    assert_eq!(ids(theirs), [police]);
    // Narrowed by office, within reach.
    let q = |office: &str| Queue {
        office: Some(office.into()),
        ..Queue::default()
    };
    assert_eq!(
        ids(store
            .complaint_queue(&cm, q("professional-standards"))
            .await
            .unwrap()),
        [police]
    );
    assert_eq!(
        ids(store
            .complaint_queue(&pso, q("city-manager"))
            .await
            .unwrap()),
        [police]
    );
    // 2.129.050 sets no deadline, so nothing is overdue...
    let overdue = Queue {
        overdue_at_ms: Some(i64::MAX),
        ..Queue::default()
    };
    assert!(
        store
            .complaint_queue(&cm, overdue.clone())
            .await
            .unwrap()
            .is_empty()
    );

    // A duty is fulfilled once; Professional Standards fulfils its own.
    let c = store.read_complaint(&pso, police).await.unwrap();
    let theirs = c.obligations[1].obligation.id;
    store
        .fulfil_complaint_obligation(&pso, police, theirs, "Opened case PSU-26-014.".into())
        .await
        .unwrap();
    let twice = store
        .fulfil_complaint_obligation(&pso, police, theirs, String::new())
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let foreign = store
        .fulfil_complaint_obligation(&cm, unknown, theirs, String::new())
        .await;
    assert!(
        matches!(foreign, Err(StoreError::NotFound(_))),
        "{foreign:?}"
    );
    let c = store.read_complaint(&cm, police).await.unwrap();
    let f = c.obligations[1].obligation.fulfilment.as_ref().unwrap();
    assert_eq!(
        (f.by.as_str(), f.note.as_str()),
        ("user/pso.one", "Opened case PSU-26-014.")
    );
    let all = store.complaint_queue(&cm, Queue::default()).await.unwrap();
    assert_eq!(all[1].open_duties, 1);

    // Closed complaints leave the open queue.
    for (to, d) in [
        ("under-investigation", None),
        ("closed", Some("exonerated")),
    ] {
        store
            .change_complaint_status(&cm, unknown, status(to, d, "Done."))
            .await
            .unwrap();
    }
    let open = Queue {
        open_only: true,
        ..Queue::default()
    };
    assert_eq!(
        ids(store.complaint_queue(&cm, open).await.unwrap()),
        [police]
    );
    verified_size(&fx).await;

    // ...but a duty with a due time that has passed is (as a law with a
    // deadline would give; set in the database, so the log is not checked
    // after this).
    fx.tamper(
        "UPDATE complaint_obligations SET due_ms = 1000 \
         WHERE office = 'city-manager' AND complaint_id = 1",
    )
    .await;
    let late = store.complaint_queue(&cm, overdue).await.unwrap();
    assert_eq!(ids(late.clone()), [police]);
    assert_eq!(late[0].overdue_duties, 1);
}

/// Every role, and the public, against every complaint operation: only the
/// public files and follows; only the offices the law routes a complaint to
/// read and handle it; an administrator, an auditor, a clerk, an officer or
/// school staff can do nothing with complaints; a refusal is audited.
pub async fn every_role_against_every_complaint_operation(fx: Arc<Fixture>) {
    let store = keyed(&fx).await;
    let admin = reach_all(&Actor::system("user-add"));
    for r in Role::ALL {
        store
            .add_account(&admin, account(&format!("{r}.one"), *r))
            .await
            .unwrap();
    }
    let public = Principal::public();
    let followed = store
        .file_complaint(&public, filing("police-employee"), &code(6))
        .await
        .unwrap()
        .id;

    /// What each operation answered, in order.
    #[derive(Debug, PartialEq, Eq)]
    enum A {
        Ok,
        Forbidden,
        NotFound,
        Refused(String),
    }
    fn a<T: std::fmt::Debug>(r: Result<T, StoreError>) -> A {
        match r {
            Ok(_) => A::Ok,
            Err(StoreError::Forbidden(_)) => A::Forbidden,
            Err(StoreError::NotFound(_)) => A::NotFound,
            Err(e) => A::Refused(e.to_string()),
        }
    }
    // Each caller tries everything on complaints of its own (a police one
    // and another), so no attempt depends on another's.
    async fn try_all(store: &Store, who: &Principal, against: &str, n: u8) -> Vec<A> {
        let public = Principal::public();
        let id = store
            .file_complaint(&public, filing(against), &code(10 + n))
            .await
            .unwrap()
            .id;
        let duty = store
            .read_complaint(&reach_all(&Actor::system("test")), id)
            .await
            .unwrap()
            .obligations[0]
            .obligation
            .id;
        vec![
            a(store
                .file_complaint(who, filing("unknown"), &code(100 + n))
                .await),
            a(store.complaint_status(who, &code(6)).await),
            a(store.complaint_queue(who, Queue::default()).await),
            a(store.read_complaint(who, id).await),
            a(store.add_complaint_note(who, id, "A note.".into()).await),
            a(store
                .fulfil_complaint_obligation(who, id, duty, "Done.".into())
                .await),
            a(store
                .change_complaint_status(who, id, status("under-investigation", None, "Begun."))
                .await),
        ]
    }
    use A::{Forbidden as F, NotFound as N, Ok as Y};
    let mut n = 0;
    for r in Role::ALL {
        let who = staff(&format!("{r}.one"), *r);
        for against in ["police-employee", "other-city-employee"] {
            n += 1;
            let got = try_all(&store, &who, against, n).await;
            let want = match (r, against) {
                (Role::CityManager, _) | (Role::ProfessionalStandards, "police-employee") => {
                    vec![F, F, Y, Y, Y, Y, Y]
                }
                // Out of reach: it looks missing.
                (Role::ProfessionalStandards, _) => vec![F, F, Y, N, N, N, N],
                _ => vec![F, F, F, F, F, F, F],
            };
            assert_eq!(got, want, "{r} on a complaint against {against}");
        }
    }
    // The public files and follows, and nothing more.
    let got = try_all(&store, &public, "other-city-employee", 50).await;
    assert_eq!(got, vec![Y, Y, F, F, F, F, F]);

    let police = followed;
    let other = store
        .file_complaint(&public, filing("other-city-employee"), &code(7))
        .await
        .unwrap()
        .id;
    // Assignment: to an account that handles the complaint.
    let cm = staff("city-manager.one", Role::CityManager);
    store
        .assign_complaint(&cm, police, "professional-standards.one")
        .await
        .unwrap();
    for (to, id) in [
        ("professional-standards.one", other),
        ("officer.one", police),
        ("nobody", police),
    ] {
        let r = store.assign_complaint(&cm, id, to).await;
        assert!(
            matches!(
                r,
                Err(StoreError::Field {
                    field: "assignee",
                    ..
                })
            ),
            "{to}: {r:?}"
        );
    }
    let pso = staff("professional-standards.one", Role::ProfessionalStandards);
    assert_eq!(
        a(store
            .assign_complaint(&pso, other, "city-manager.one")
            .await),
        A::NotFound
    );
    let c = store.read_complaint(&cm, police).await.unwrap();
    assert_eq!(c.assigned_to.as_deref(), Some("professional-standards.one"));

    // Every refusal and every out-of-reach attempt is in the log.
    let log = all_entries(&fx).await;
    let denied = |action: &str| log.iter().filter(|s| s.entry.action == action).count();
    assert!(denied("denied") >= 5 * 2 * 7, "{}", denied("denied"));
    for action in [
        "read-denied",
        "note-denied",
        "fulfil-denied",
        "status-denied",
        "assign-denied",
    ] {
        assert!(denied(action) >= 1, "{action}");
    }
    assert!(Permission::PUBLIC == [Permission::FileComplaints]);
    verified_size(&fx).await;
}

/// A complaint's rows edited in the database are found, and named.
pub async fn complaint_edits_are_found(fx: Arc<Fixture>) {
    let store = keyed(&fx).await;
    let id = store
        .file_complaint(&Principal::public(), filing("police-employee"), &code(8))
        .await
        .unwrap()
        .id;
    let cm = staff("cm.one", Role::CityManager);
    store
        .add_complaint_note(&cm, id, "Spoke to the sergeant.".into())
        .await
        .unwrap();
    let verify = || async {
        store
            .verify_audit_log(&crate::conformance::reader(), &[])
            .await
            .unwrap()
    };
    assert!(verify().await.is_ok());
    fx.tamper("UPDATE complaint_obligations SET office = 'superintendent' WHERE office = 'professional-standards'")
        .await;
    let found = verify().await.unwrap_err();
    assert!(
        found.starts_with("complaint/1: its content no longer matches"),
        "{found}"
    );
    fx.tamper("UPDATE complaint_obligations SET office = 'professional-standards' WHERE office = 'superintendent'")
        .await;
    assert!(verify().await.is_ok(), "put back, it matches again");
    fx.tamper(
        "INSERT INTO complaint_notes (complaint_id, note, written_by, at_ms) \
         VALUES (77, 'forged', 'user/x', 1)",
    )
    .await;
    let found = verify().await.unwrap_err();
    assert!(
        found.starts_with("complaint/77: a row of complaint_notes"),
        "{found}"
    );
    fx.tamper("DELETE FROM complaint_notes WHERE complaint_id = 77")
        .await;
    assert!(verify().await.is_ok());
    fx.tamper("DELETE FROM complaint_notes").await;
    let found = verify().await.unwrap_err();
    assert!(
        found.starts_with("complaint/1: its content no longer matches"),
        "{found}"
    );
}
