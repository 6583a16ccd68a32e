//! What a record may hold as text (issue 10, item 6): a receiving unit from
//! the place's closed list, and no control characters in any text field,
//! whatever path writes it.

use std::sync::Arc;

use trustgate_access::Permission;
use trustgate_store::{
    Actor, Keyring, NewReimbursement, NewToken, Person, SqliteStore, Store, StoreError,
};

use crate::conformance::{all_entries, contact, intake, officer, reach_all, try_intake};
use crate::harness::{Fixture, StepClock, fresh_sqlite_path};

/// The field a refusal names; panics on anything else.
fn refused_field<T: std::fmt::Debug>(got: Result<T, StoreError>) -> &'static str {
    match got {
        Err(StoreError::Field { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

pub async fn a_receiving_unit_off_the_places_list_is_refused(fx: Arc<Fixture>) {
    let before = all_entries(&fx).await.len();
    for typed in ["Officer Jane Doe", "District 4", "district-4 ", "=cmd()"] {
        let mut c = contact(&[]);
        c.receiving_unit = typed.into();
        let got = fx
            .store
            .record_contact(&reach_all(&officer()), intake(c))
            .await;
        match got {
            Err(StoreError::Field {
                field: "receiving_unit",
                message,
            }) => assert!(message.contains("one of: front-desk, booking"), "{message}"),
            other => panic!("{typed:?}: {other:?}"),
        }
    }
    assert_eq!(all_entries(&fx).await.len(), before, "nothing appended");
    // One on the list is recorded as given.
    let id = fx
        .store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await
        .unwrap()
        .id;
    let c = fx
        .store
        .read_contact(&reach_all(&officer()), id)
        .await
        .unwrap();
    assert_eq!(c.contact.receiving_unit, "district-4");
}

pub async fn control_characters_are_refused_in_every_text_field(fx: Arc<Fixture>) {
    let keyed = fx
        .reopen(Some(
            Keyring::parse(&Keyring::new_key_line("k1").unwrap()).unwrap(),
        ))
        .await;
    let who = reach_all(&officer());
    // A contact with an exception and an open obligation to act on.
    let recorded = keyed
        .record_contact(&who, intake(contact(&["detain"])))
        .await
        .unwrap();
    let c = keyed.read_contact(&who, recorded.id).await.unwrap();
    let open = c
        .obligations
        .iter()
        .find(|o| o.fulfilment.is_none())
        .unwrap()
        .id;
    let exception = keyed
        .compliance_exceptions(&who, None)
        .await
        .unwrap()
        .first()
        .unwrap()
        .id;
    let before = all_entries(&fx).await.len();
    for bad in ["\u{1b}[31m", "\r", "\0", "\u{85}", "\u{202E}txt.exe"] {
        let with = |s: &str| format!("front{bad}{s}");
        let mut c = contact(&[]);
        c.receiving_unit = with("");
        assert_eq!(
            refused_field(keyed.record_contact(&who, intake(c)).await),
            "receiving_unit"
        );
        let mut c = contact(&[]);
        c.done_by = Some(with("badge 12"));
        assert_eq!(
            refused_field(keyed.record_contact(&who, intake(c)).await),
            "done_by"
        );
        // An act done must be an item the law decided, so intake refuses it.
        let mut c = contact(&[]);
        c.acts_done = vec![with("detain")];
        assert!(try_intake(c).is_err());
        for (field, person) in [
            (
                "person.name",
                Person {
                    name: Some(with("Ana")),
                    ..Person::default()
                },
            ),
            (
                "person.address",
                Person {
                    address: Some(with("12 Elm Street")),
                    ..Person::default()
                },
            ),
        ] {
            let mut c = contact(&[]);
            c.person = Some(person);
            assert_eq!(
                refused_field(keyed.record_contact(&who, intake(c)).await),
                field
            );
        }
        if bad != "\r" {
            // A note may hold line breaks, but nothing else of the kind.
            assert_eq!(
                refused_field(
                    keyed
                        .fulfil_obligation(&who, recorded.id, open, with("given in person"))
                        .await
                ),
                "note"
            );
            assert_eq!(
                refused_field(
                    keyed
                        .explain_exception(&who, exception, with("reviewed"))
                        .await
                ),
                "text"
            );
        }
        assert_eq!(
            refused_field(
                keyed
                    .record_reimbursement(
                        &who,
                        recorded.id,
                        NewReimbursement {
                            amount_cents: 100,
                            received_on: "2026-03-02".into(),
                            reference: with("INV-1"),
                        },
                    )
                    .await
            ),
            "reference"
        );
        assert_eq!(
            refused_field(
                keyed
                    .add_token(
                        &reach_all(&Actor::new("user/admin-1")),
                        NewToken {
                            name: with("rms"),
                            scopes: vec![Permission::RecordContact],
                            token_hash: [7; 32],
                        },
                    )
                    .await
            ),
            "name"
        );
    }
    assert_eq!(all_entries(&fx).await.len(), before, "nothing appended");
    // Line breaks in a note are kept, as `\n`.
    keyed
        .fulfil_obligation(
            &who,
            recorded.id,
            open,
            "Given in person.\r\nSigned for.".into(),
        )
        .await
        .unwrap();
    let c = keyed.read_contact(&who, recorded.id).await.unwrap();
    let note = &c
        .obligations
        .iter()
        .find(|o| o.id == open)
        .unwrap()
        .fulfilment
        .as_ref()
        .unwrap()
        .note;
    assert_eq!(note, "Given in person.\nSigned for.");
}

/// A store opened without a place cannot check a unit, so records nothing.
#[tokio::test]
async fn a_store_without_a_place_records_no_contact() {
    let path = fresh_sqlite_path().await;
    let store: Store = SqliteStore::open(&path, StepClock::new())
        .await
        .unwrap()
        .into();
    let got = store
        .record_contact(&reach_all(&officer()), intake(contact(&[])))
        .await;
    assert!(
        matches!(&got, Err(StoreError::Invalid(m)) if m.contains("no place")),
        "{got:?}"
    );
    store.close().await;
    let _ = std::fs::remove_file(&path);
}
