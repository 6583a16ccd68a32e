//! A contact received in a period whose report was published is a late
//! entry (issue 10, item 7): it must say why, it is flagged in the log and
//! on the record, and the period's report says it changed.

use std::sync::Arc;

use trustgate_report::Period;
use trustgate_store::{Actor, StoreError};

use crate::conformance::{all_entries, contact, intake, officer, reach_all, verified_size};
use crate::harness::{Fixture, T0};

/// 2025-06-01T16:00Z: in period 11 (2025-02-10 to 2025-08-09), which has
/// ended by the tests' clock (T0 is in November 2025, period 12).
const JUNE_2025: i64 = 1_748_793_600_000;

pub async fn a_contact_in_a_published_period_is_a_late_entry_that_says_why(fx: Arc<Fixture>) {
    let eleven = Period::nth(11).unwrap();
    let twelve = Period::nth(12).unwrap();
    assert!(eleven.utc_ms().0 <= JUNE_2025 && JUNE_2025 < eleven.utc_ms().1);
    assert!(twelve.utc_ms().0 <= T0 && T0 < twelve.utc_ms().1);
    let who = reach_all(&officer());
    let in_june = || {
        let mut c = contact(&[]);
        c.received_ms = Some(JUNE_2025);
        c
    };
    // Before its report is published, a contact from June is no late entry,
    // and saying it is one is refused.
    fx.store
        .record_contact(&who, intake(in_june()))
        .await
        .unwrap();
    let mut claimed = in_june();
    claimed.late_entry = Some("found in the fax tray".into());
    let got = fx.store.record_contact(&who, intake(claimed)).await;
    assert!(
        matches!(
            got,
            Err(StoreError::Field {
                field: "late_entry",
                ..
            })
        ),
        "{got:?}"
    );

    // Only an ended period is published; publishing twice is one entry.
    let operator = Actor::system("report");
    let got = fx.store.record_publication(&operator, twelve).await;
    assert!(matches!(got, Err(StoreError::Invalid(_))), "{got:?}");
    fx.store
        .record_publication(&operator, eleven)
        .await
        .unwrap();
    fx.store
        .record_publication(&operator, eleven)
        .await
        .unwrap();
    let published: Vec<_> = all_entries(&fx)
        .await
        .into_iter()
        .filter(|s| s.entry.action == "publish")
        .map(|s| (s.entry.object, s.entry.detail))
        .collect();
    assert_eq!(
        published,
        [(
            "report/period-11".to_owned(),
            "2025-02-10 to 2025-08-09".to_owned()
        )]
    );

    // Now a contact from June changes a published report: refused unless
    // it says why, with a message that says which period and what to do.
    let before = all_entries(&fx).await.len();
    match fx.store.record_contact(&who, intake(in_june())).await {
        Err(StoreError::Field {
            field: "received_at",
            message,
        }) => {
            assert!(
                message.contains("period 11 (2025-02-10 to 2025-08-09)"),
                "{message}"
            );
            assert!(message.contains("late_entry"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(all_entries(&fx).await.len(), before, "nothing appended");
    let mut late = in_june();
    late.late_entry = Some("Found in the fax tray on return from leave.".into());
    let id = fx
        .store
        .record_contact(&who, intake(late))
        .await
        .unwrap()
        .id;
    let c = fx.store.read_contact(&who, id).await.unwrap();
    assert_eq!(
        c.contact.late_entry.as_deref(),
        Some("Found in the fax tray on return from leave.")
    );
    let create = all_entries(&fx)
        .await
        .into_iter()
        .find(|s| s.entry.action == "create" && s.entry.object == id.object())
        .unwrap();
    assert_eq!(create.entry.detail, "late-entry period-11");
    // A contact received now is not late.
    fx.store
        .record_contact(&who, intake(contact(&[])))
        .await
        .unwrap();

    // The period's counters hold the late entry, so its report says so.
    let counts = fx
        .store
        .report_counts(
            &reach_all(&Actor::new("user/clerk")),
            (eleven.from.to_string(), eleven.until.to_string()),
        )
        .await
        .unwrap();
    let late: i64 = counts
        .counts
        .iter()
        .filter(|(_, breakdown, _, _)| breakdown == "late")
        .map(|(_, _, _, n)| *n)
        .sum();
    assert_eq!(late, 1);
    // The flag is part of the record the log protects.
    verified_size(&fx).await;
    fx.tamper(&format!(
        "UPDATE contacts SET late_entry = NULL WHERE id = {}",
        id.0
    ))
    .await;
    let found = fx
        .store
        .verify_audit_log(&crate::conformance::reader(), &[])
        .await
        .unwrap();
    assert!(found.is_err(), "clearing the flag is found");
}
