#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;

/// 2026-03-01 12:00 EST.
const MARCH: i64 = 1_772_384_400_000;
const DAY: i64 = 86_400_000;

fn row(id: i64, kind: &str, facts: &str, acts: &[&str], received_ms: i64) -> ContactRow {
    ContactRow {
        id,
        kind: kind.into(),
        channel: if id % 2 == 0 {
            "fax".into()
        } else {
            "phone".into()
        },
        receiving_unit: format!("district-{}", id % 3),
        received_ms,
        scenario: trustgate_records::scenario::parse(&format!(
            r#"{{"place":"cambridge","date":"2026-03-01","facts":{{{facts}}},"acts":{{}}}}"#
        ))
        .unwrap(),
        acts_done: acts.iter().map(|a| (*a).to_owned()).collect(),
        withheld: None,
        late_entry: false,
    }
}

/// A place whose units are those the rows below use.
fn place() -> Place {
    let units: String = (0..3)
        .map(|i| format!("district-{i}"))
        .chain((0..4).map(|i| format!("unit-{i}")))
        .map(|id| format!("[[units]]\nid = \"{id}\"\nname = \"The {id}\"\n"))
        .collect();
    Place::parse(
        "test.toml",
        &format!("id = \"test\"\nname = \"Test\"\n{units}"),
    )
    .unwrap()
}

fn period13() -> Period {
    Period::containing(Date::parse("2026-03-01").unwrap()).unwrap()
}

#[test]
fn each_section_counts_what_its_rule_says() {
    let police_hold =
        r#""department":"police","requester":"ice-ero","documents":["detainer-hold","i-200"]"#;
    let rows = vec![
        row(1, "detainer", police_hold, &["detain"], MARCH),
        row(
            2,
            "detainer",
            r#""department":"police","documents":["detainer-notify"]"#,
            &[],
            MARCH + DAY,
        ),
        row(
            3,
            "administrative-warrant",
            r#""requester":"ice-ero""#,
            &["transfer-to-ice"],
            MARCH + 40 * DAY,
        ),
        row(
            4,
            "notification-request",
            r#""department":"police","requester":"ice-ero""#,
            &["disclose.release-date"],
            MARCH + 2 * DAY,
        ),
        row(
            5,
            "notification-request",
            r#""department":"school""#,
            &[],
            MARCH,
        ),
        row(
            6,
            "information-request",
            r#""requester":"ice-hsi""#,
            &["disclose.address"],
            MARCH,
        ),
        row(
            7,
            "assistance-request",
            r#""requester":"fbi""#,
            &["assist-operation"],
            MARCH,
        ),
        // Outside the period: 2026-02-09 (period 12).
        row(8, "detainer", police_hold, &["detain"], MARCH - 20 * DAY),
    ];
    let money = vec![
        ReimbursementRow {
            contact: 3,
            amount_cents: 50_000,
            received_on: "2026-04-02".into(),
        },
        ReimbursementRow {
            contact: 3,
            amount_cents: 25_000,
            received_on: "2026-05-02".into(),
        },
        ReimbursementRow {
            contact: 1,
            amount_cents: 10_000,
            received_on: "2026-08-10".into(),
        },
    ];
    let r = Report::count(period13(), &place(), &rows, &money, true);
    assert_eq!(
        (r.period.from.as_str(), r.period.until.as_str()),
        ("2026-02-10", "2026-08-09")
    );
    // Five instruments: record 1 is an I-247A with an I-200 attached (one
    // detainer and one administrative warrant); the school's notification
    // is not the Police Department's.
    assert_eq!(r.a.total, 5);
    assert_eq!(r.a.records, Some(vec![1, 2, 3, 4]));
    let types: Vec<_> = r.a.by_type.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        types,
        [
            ("administrative warrant", 2),
            ("detainer (hold)", 1),
            ("detainer (notify only)", 1),
            ("notification request", 1)
        ]
    );
    assert_eq!(
        r.a.by_month.keys().collect::<Vec<_>>(),
        ["2026-03", "2026-04"]
    );
    assert_eq!((r.b.total, r.b.records.clone()), (1, Some(vec![1])));
    assert_eq!((r.c.total, r.c.records.clone()), (1, Some(vec![3])));
    assert_eq!(
        (r.e.total, r.e.records.clone()),
        (2, Some(vec![4, 6])),
        "ICE only: not the FBI"
    );
    assert_eq!(
        r.d.total_cents, 75_000,
        "the August payment is in the next period"
    );
    assert_eq!(
        r.d.by_case,
        [Case {
            case: "contact/3".into(),
            payments: 2,
            total_cents: 75_000
        }]
    );

    // The public version names no record.
    let public = Report::count(period13(), &place(), &rows, &money, false);
    assert_eq!(public.a.records, None);
    assert_eq!(public.d.by_case[0].case, "case 1");
    assert!(!public.to_json().contains("contact/"));
    assert!(!public.to_json().contains("\"records\""));
}

#[test]
fn nothing_is_assumed_zero_and_the_same_records_give_the_same_bytes() {
    let empty = Report::count(period13(), &place(), &[], &[], false);
    assert_eq!(
        (
            empty.a.total,
            empty.b.total,
            empty.c.total,
            empty.e.total,
            empty.d.total_cents
        ),
        (0, 0, 0, 0, 0)
    );
    let rows: Vec<_> = (0..50)
        .map(|i| {
            row(
                i,
                if i % 2 == 0 {
                    "detainer"
                } else {
                    "notification-request"
                },
                r#""department":"police""#,
                &[],
                MARCH + i * 3 * DAY,
            )
        })
        .collect();
    let mut reversed = rows.clone();
    reversed.reverse();
    let one = Report::count(period13(), &place(), &rows, &[], false);
    let two = Report::count(period13(), &place(), &reversed, &[], false);
    assert_eq!(one.to_json(), two.to_json());
    assert_eq!(one.to_csv(), two.to_csv());
}

#[test]
fn withheld_investigations_leave_the_total_and_are_counted_by_ground() {
    let ice = r#""department":"police","requester":"ice-hsi""#;
    let mut rows = vec![
        row(1, "information-request", ice, &["disclose.address"], MARCH),
        row(
            2,
            "information-request",
            ice,
            &["disclose.address"],
            MARCH + DAY,
        ),
        row(
            3,
            "assistance-request",
            ice,
            &["assist-operation"],
            MARCH + 2 * DAY,
        ),
        row(
            4,
            "information-request",
            ice,
            &["disclose.address"],
            MARCH + 3 * DAY,
        ),
    ];
    rows[1].withheld = Some("investigatory".into());
    rows[2].withheld = Some("investigatory".into());
    rows[3].withheld = Some("privacy".into());
    for staff in [false, true] {
        let r = Report::count(period13(), &place(), &rows, &[], staff);
        assert_eq!(r.e.total, 1, "only the disclosable one is in the total");
        let by: Vec<(&str, u64)> =
            r.e.withheld
                .iter()
                .flatten()
                .map(|w| (w.key, w.count))
                .collect();
        assert_eq!(by, [("investigatory", 2), ("statute", 0), ("privacy", 1)]);
        let investigatory = &r.e.withheld.as_ref().unwrap()[0];
        assert!(investigatory.ground.contains("cl. 26(f)"));
        assert_eq!(
            investigatory.records,
            staff.then(|| vec![2, 3]),
            "staff see which records, the public never"
        );
    }
    let csv = Report::count(period13(), &place(), &rows, &[], false).to_csv();
    assert!(csv.contains("\"e\",\"total\",\"\",1\r\n\"e\",\"withheld\",\"investigatory\",2\r\n\"e\",\"withheld\",\"statute\",0\r\n\"e\",\"withheld\",\"privacy\",1\r\n"), "{csv}");
    // The counters give the same, as for every other section.
    let mut counts: BTreeMap<(Date, &str, String), u64> = BTreeMap::new();
    for r in &rows {
        let (day, counters) = tally(r);
        for (b, k) in counters {
            *counts.entry((day, b, k)).or_default() += 1;
        }
    }
    let counts: Vec<DayCount> = counts
        .into_iter()
        .map(|((day, breakdown, key), count)| DayCount {
            day,
            breakdown: breakdown.to_owned(),
            key,
            count,
        })
        .collect();
    assert_eq!(
        Report::from_counts(period13(), &place(), &counts, &[]),
        Report::count(period13(), &place(), &rows, &[], false)
    );
    // A key that is no ground counts as disclosable: never silently dropped.
    rows[3].withheld = Some("because".into());
    assert_eq!(
        Report::count(period13(), &place(), &rows, &[], false)
            .e
            .total,
        2
    );
}

#[test]
fn csv_cells_are_quoted_and_never_formulas() {
    let rows = vec![row(1, "detainer", r#""department":"police""#, &[], MARCH)];
    let mut rows = rows;
    rows[0].receiving_unit = "=HYPERLINK(\"http://x\")".into();
    let mut report = Report::count(period13(), &place(), &rows, &[], false);
    // Typed text never reaches the report: it counts as unlisted.
    assert_eq!(
        report.a.by_receiving_unit,
        BTreeMap::from([(UNLISTED_UNIT.to_owned(), 1)])
    );
    // The writer quotes a cell whatever it holds.
    report.a.by_receiving_unit = BTreeMap::from([("=HYPERLINK(\"http://x\")".to_owned(), 1)]);
    let csv = report.to_csv();
    assert!(
        csv.starts_with("section,breakdown,key,value\r\n\"a\",\"total\",\"\",1\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"a\",\"receiving unit\",\"'=HYPERLINK(\"\"http://x\"\")\",1\r\n"),
        "{csv}"
    );
}

#[test]
fn the_cover_letter_is_addressed_as_the_law_says() {
    let rows = vec![row(
        1,
        "detainer",
        r#""department":"police","documents":["detainer-hold"]"#,
        &["detain"],
        MARCH,
    )];
    let money = vec![ReimbursementRow {
        contact: 1,
        amount_cents: 12_345_678,
        received_on: "2026-03-02".into(),
    }];
    let letter = Report::count(period13(), &place(), &rows, &money, false).cover_letter();
    assert!(
        letter.contains(
            "To: the City Clerk\nCopy: the City Manager\nFrom: the Police Commissioner\n"
        ),
        "{letter}"
    );
    assert!(letter.contains("the 13th reporting period"), "{letter}");
    assert!(letter.contains("(b) Individuals detained on an ICE hold as a result of a detainer or administrative warrant: 1."), "{letter}");
    assert!(letter.contains("$123,456.78 in 1 case(s)"), "{letter}");
    assert_eq!(
        (
            ordinal(1),
            ordinal(2),
            ordinal(3),
            ordinal(11),
            ordinal(12),
            ordinal(22),
            ordinal(113)
        ),
        (
            "1st".into(),
            "2nd".into(),
            "3rd".into(),
            "11th".into(),
            "12th".into(),
            "22nd".into(),
            "113th".into()
        )
    );
    assert_eq!(dollars(5), "$0.05");
    assert_eq!(dollars(100_000), "$1,000.00");
}

#[test]
fn the_data_package_describes_every_csv_with_one_schema() {
    let reports: Vec<Report> = (12..=13)
        .map(|n| Report::count(Period::nth(n).unwrap(), &place(), &[], &[], false))
        .collect();
    let pkg: serde_json::Value = serde_json::from_str(&data_package(&reports, |r| {
        format!("p{}.csv", r.period.number)
    }))
    .unwrap();
    assert_eq!(pkg["profile"], "tabular-data-package");
    let res = pkg["resources"].as_array().unwrap();
    assert_eq!(res.len(), 2);
    assert_eq!(res[1]["path"], "p13.csv");
    let fields: Vec<&str> = res[0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    // The schema's fields are the CSV's header, in order.
    let header = reports[0].to_csv().lines().next().unwrap().to_owned();
    assert_eq!(fields.join(","), header);
}

/// Counting from per-day counters gives exactly the report counted from the
/// records, for every period, over varied records.
#[test]
fn counters_give_the_same_report_as_the_records() {
    let kinds = [
        "detainer",
        "administrative-warrant",
        "notification-request",
        "information-request",
        "access-request",
    ];
    let facts = [
        r#""department":"police","requester":"ice-ero","documents":["detainer-hold"]"#,
        r#""department":"police","requester":"ice-hsi","documents":["detainer-notify"]"#,
        r#""department":"school","requester":"ice-ero""#,
        r#""requester":"fbi""#,
        r#""department":"police","documents":["hold-request"]"#,
    ];
    let acts: [&[&str]; 5] = [
        &[],
        &["detain"],
        &["transfer-to-ice"],
        &["disclose.address", "extend-detention"],
        &["assist-operation"],
    ];
    let mut seed: u64 = 0x2129_0060;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let rows: Vec<ContactRow> = (0..600)
        .map(|i| {
            let mut r = row(
                i,
                kinds[next(5) as usize],
                facts[next(5) as usize],
                acts[next(5) as usize],
                MARCH - 200 * DAY + next(400) as i64 * DAY + next(DAY as u64) as i64,
            );
            r.receiving_unit = format!("unit-{}", next(4));
            r
        })
        .collect();
    let mut counts: BTreeMap<(Date, String, String), u64> = BTreeMap::new();
    for r in &rows {
        let (day, counters) = tally(r);
        for (b, k) in counters {
            *counts.entry((day, b.to_owned(), k)).or_default() += 1;
        }
    }
    let counts: Vec<DayCount> = counts
        .into_iter()
        .map(|((day, breakdown, key), count)| DayCount {
            day,
            breakdown,
            key,
            count,
        })
        .collect();
    for n in 12..=14 {
        let p = Period::nth(n).unwrap();
        let from_rows = Report::count(p, &place(), &rows, &[], false);
        assert!(from_rows.a.total > 0 || n == 14, "period {n} has records");
        assert_eq!(
            Report::from_counts(p, &place(), &counts, &[]),
            from_rows,
            "period {n}"
        );
    }
}

#[test]
fn a_unit_not_on_the_places_list_is_counted_as_unlisted_from_rows_and_counters() {
    let hold = r#""department":"police","documents":["detainer-hold"]"#;
    let mut rows = vec![
        row(1, "detainer", hold, &[], MARCH),
        row(2, "detainer", hold, &[], MARCH),
    ];
    rows[1].receiving_unit = "Officer Jane Doe, badge 123".into();
    let expected = BTreeMap::from([("district-1".to_owned(), 1), (UNLISTED_UNIT.to_owned(), 1)]);
    let report = Report::count(period13(), &place(), &rows, &[], false);
    assert_eq!(report.a.by_receiving_unit, expected);
    let counts = vec![
        DayCount {
            day: Date::parse("2026-03-01").unwrap(),
            breakdown: "a-unit".into(),
            key: "district-1".into(),
            count: 1,
        },
        DayCount {
            day: Date::parse("2026-03-01").unwrap(),
            breakdown: "a-unit".into(),
            key: "Officer Jane Doe, badge 123".into(),
            count: 1,
        },
    ];
    let from_counts = Report::from_counts(period13(), &place(), &counts, &[]);
    assert_eq!(from_counts.a.by_receiving_unit, expected);
    for text in [report.to_json(), report.to_csv(), report.cover_letter()] {
        assert!(!text.contains("Jane"), "{text}");
    }
}

#[test]
fn records_entered_late_are_counted_and_said_only_when_there_are_some() {
    let hold = r#""department":"police","documents":["detainer-hold"]"#;
    let mut rows = vec![
        row(1, "detainer", hold, &[], MARCH),
        row(2, "detainer", hold, &[], MARCH),
    ];
    let on_time = Report::count(period13(), &place(), &rows, &[], false);
    assert_eq!(on_time.entered_late, 0);
    assert!(!on_time.to_json().contains("entered_late"));
    assert!(!on_time.cover_letter().contains("late"));
    rows[1].late_entry = true;
    let late = Report::count(period13(), &place(), &rows, &[], false);
    assert_eq!((late.entered_late, late.a.total), (1, 2));
    assert!(
        late.to_json().contains("\"entered_late\": 1"),
        "{}",
        late.to_json()
    );
    assert!(
        late.cover_letter()
            .contains("1 record(s) were entered late")
    );
    let (day, counters) = tally(&rows[1]);
    let counts: Vec<DayCount> = counters
        .into_iter()
        .map(|(breakdown, key)| DayCount {
            day,
            breakdown: breakdown.to_owned(),
            key,
            count: 1,
        })
        .collect();
    assert_eq!(
        Report::from_counts(period13(), &place(), &counts, &[]).entered_late,
        1
    );
}
