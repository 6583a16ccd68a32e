//! The semantic diff: exactly the scenarios whose answer changes, described by
//! conditions that can be checked by deciding them.

use trustgate_law::{Date, FactKind, FactValue, Library, Outcome};

use crate::builtin;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_2025_amendment_changes_exactly_the_raids_subsection() {
    let lib = builtin();
    let diff = lib
        .diff("cambridge", d("2025-08-03"), "cambridge", d("2025-08-04"))
        .unwrap();
    let got: Vec<String> = diff
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {}→{} {}/{} when {:?}",
                c.act,
                c.before.as_str(),
                c.after.as_str(),
                c.scenarios,
                c.of,
                c.when
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // Where a law requires the act, 2.129.070 makes both versions yield.
            r#"assist-operation permitted→prohibited 10/360 when [["department = police", "not legal-mandate", "operation-purpose = civil-immigration", "assistance-kind in {traffic-perimeter, traffic-control, escort, officer-safety, breach-of-peace}"]]"#,
            // The Department's role on scene is a duty (issue 13, class 3).
            r#"protect-safety-on-scene not-addressed→required 1/3 when [["department = police"]]"#,
        ]
    );
    assert!(diff.skipped.is_empty());
}

#[test]
fn the_same_law_on_two_days_in_one_period_differs_in_nothing() {
    let diff = builtin()
        .diff("cambridge", d("2026-03-01"), "cambridge", d("2026-09-01"))
        .unwrap();
    assert!(diff.changes.is_empty(), "{:?}", diff.changes);
}

#[test]
fn before_the_ordinance_everything_it_decides_is_a_change() {
    let diff = builtin()
        .diff("cambridge", d("2020-02-09"), "cambridge", d("2020-02-10"))
        .unwrap();
    assert!(
        diff.changes
            .iter()
            .all(|c| c.before == Outcome::NotAddressed
                || c.act.starts_with("detain")
                || c.act == "extend-detention"
                || c.act == "disclose")
    );
    assert!(
        diff.changes
            .iter()
            .any(|c| c.act == "inquire-status" && c.after == Outcome::Prohibited)
    );
}

/// Every condition the diff reports, decided on both sides, gives the answers it
/// claims: checks the enumeration and the merging together.
#[test]
fn every_reported_condition_decides_as_claimed() {
    let lib = builtin();
    for (pa, da, pb, db) in [
        ("cambridge", "2025-08-03", "cambridge", "2025-08-04"),
        ("boston", "2026-03-01", "cambridge", "2026-03-01"),
        ("massachusetts", "2021-01-01", "cambridge", "2021-01-01"),
    ] {
        let diff = lib.diff(pa, d(da), pb, d(db)).unwrap();
        assert!(!diff.changes.is_empty());
        for c in &diff.changes {
            for cube in &c.when {
                let before = decide_cube(lib, pa, da, c, cube);
                let after = decide_cube(lib, pb, db, c, cube);
                assert_eq!(
                    (before, after),
                    (c.before, c.after),
                    "{pa}@{da} → {pb}@{db}: {} when {cube:?}",
                    c.act
                );
            }
        }
    }
}

/// Decides the change's act at one point of the cube: the first listed value of
/// each condition; facts the cube leaves out get their first value.
fn decide_cube(
    lib: &Library,
    place: &str,
    date: &str,
    c: &trustgate_law::Change,
    cube: &[String],
) -> Outcome {
    let mut b = lib.query(place, d(date)).unwrap();
    let mut sets: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for f in lib.facts() {
        let cond = cube.iter().find(|s| {
            s.split(' ').next() == Some(f.name()) || s.strip_prefix("not ") == Some(f.name())
        });
        match f.kind() {
            FactKind::YesNo => b
                .fact(
                    f.name(),
                    FactValue::Bool(cond.is_some_and(|s| !s.starts_with("not "))),
                )
                .unwrap(),
            FactKind::One => {
                let value = match cond {
                    Some(s) => s
                        .split(['=', '{', ',', '}'])
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .nth(1)
                        .unwrap()
                        .to_owned(),
                    None => f.values()[0].0.to_owned(),
                };
                b.fact(f.name(), FactValue::One(&value)).unwrap();
            }
            FactKind::Set => {
                let has: Vec<String> = cube
                    .iter()
                    .filter_map(|s| {
                        s.strip_prefix(&format!("{} has ", f.name()))
                            .map(str::to_owned)
                    })
                    .collect();
                sets.insert(f.name().to_owned(), has);
            }
        }
    }
    for (name, values) in &sets {
        let v: Vec<&str> = values.iter().map(String::as_str).collect();
        b.fact(name, FactValue::Set(&v)).unwrap();
    }
    match &c.field {
        Some(field) => b.ask_fields(&c.act, &[field]).unwrap(),
        None => b.ask(&c.act).unwrap(),
    }
    let q = b.build();
    lib.decide(&q).outcomes().next().unwrap()
}

/// The diff of everything: the 2025 amendment's new duty to verify the
/// federal agents on scene, and the answers that stay "permitted" but now
/// rest on other words (the support-services exception it struck).
#[test]
fn the_2025_amendment_adds_a_duty_and_changes_what_decides_some_answers() {
    let diff = builtin()
        .diff("cambridge", d("2025-08-03"), "cambridge", d("2025-08-04"))
        .unwrap();
    let duties: Vec<String> = diff
        .duties
        .iter()
        .map(|x| format!("{}/{} added={} when {:?}", x.law, x.id, x.added, x.when))
        .collect();
    assert_eq!(duties.len(), 1, "{duties:?}");
    assert!(
        duties[0].starts_with("cambridge-2.129/verify-federal-agents added=true"),
        "{duties:?}"
    );
    assert!(!diff.grounds.is_empty());
    for g in &diff.grounds {
        assert_eq!(g.act, "assist-operation");
        assert_ne!(g.before, g.after);
        assert!(
            g.before.iter().any(|c| c.contains("2.129.040(i)")),
            "only where the struck exception decided: {g:?}"
        );
    }
    // Nothing of the kind between two days of one period.
    let same = builtin()
        .diff("cambridge", d("2026-03-01"), "cambridge", d("2026-09-01"))
        .unwrap();
    assert!(same.grounds.is_empty() && same.duties.is_empty());
}

/// A duty only one side has is triggered in exactly the scenarios its own
/// condition holds: before 2.129, every 2.129.060 reporting duty is new.
#[test]
fn duties_the_ordinance_brings_are_all_added() {
    let diff = builtin()
        .diff("cambridge", d("2020-02-09"), "cambridge", d("2020-02-10"))
        .unwrap();
    let added: Vec<&str> = diff
        .duties
        .iter()
        .filter(|x| x.law == "cambridge-2.129")
        .map(|x| {
            assert!(x.added, "{x:?}");
            x.id.as_str()
        })
        .collect();
    for id in [
        "report-060a",
        "complaint-to-city-manager",
        "report-060-submit",
    ] {
        assert!(added.contains(&id), "{id}: {added:?}");
    }
}
