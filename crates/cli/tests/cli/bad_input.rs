//! Hostile or mistaken input: every refusal is an error that says where,
//! promptly, never a panic, a hang or a runaway allocation.

use crate::records::TempDb;
use crate::{text, trustgate};

/// Today in Cambridge, by the clock the command reads.
fn today() -> trustgate_law::Date {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    trustgate_report::local_date(i64::try_from(now_ms).unwrap())
}

#[test]
fn periods_that_have_not_begun_and_days_to_come_are_refused() {
    let tmp = TempDb::new("periods");
    let db = tmp.db();
    let current = trustgate_report::Period::containing(today()).unwrap();
    let last = format!(
        "the last period is {} ({} to {})",
        current.number, current.from, current.until
    );
    let next = (current.number + 1).to_string();
    for (command, n) in [
        ("report", next.as_str()),
        ("report", "9999"),
        ("report", "357913943"),
        ("report", "4294967295"),
        ("reconcile", "9999"),
        ("reconcile", "4294967295"),
    ] {
        let mut args = vec![command, "--period", n, "--database", &db];
        if command == "reconcile" {
            args.extend(["--ice", "ice.csv", "--facility", "X=y"]);
        }
        let o = trustgate(&args, None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{command} --period {n}: {t}");
        assert!(
            t.contains(&format!("--period {n}: it has not begun; {last}")),
            "{command} --period {n}: {t}"
        );
        assert!(!t.contains("panicked"), "{t}");
    }
    let zero = trustgate(&["report", "--period", "0", "--database", &db], None);
    assert_eq!(zero.status.code(), Some(2));
    assert!(
        text(&zero).contains("--period 0: periods are numbered from 1"),
        "{}",
        text(&zero)
    );
    let tomorrow = today().succ().to_string();
    for day in ["9999-12-31", tomorrow.as_str()] {
        let o = trustgate(&["report", "--containing", day, "--database", &db], None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{t}");
        assert!(
            t.contains(&format!("--containing {day}: it is after today")),
            "{t}"
        );
    }
    let o = trustgate(
        &["report", "--containing", "2019-05-01", "--database", &db],
        None,
    );
    assert!(
        text(&o)
            .contains("--containing 2019-05-01: it is before the ordinance passed (2020-02-10)"),
        "{}",
        text(&o)
    );
    // Refused before the records are opened.
    assert!(!std::path::Path::new(&db).exists());
}
