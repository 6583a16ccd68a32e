//! Reasoning over every scenario: dead rules and every conflict.

use trustgate_law::{Library, Source};

use crate::builtin;
use crate::validation::SCHEMA;

#[test]
fn the_built_in_packs_have_no_dead_rule_and_only_known_conflicts() {
    let lint = builtin().lint();
    assert_eq!(lint.never_apply, []);
    assert!(lint.skipped.is_empty());
    let got: Vec<String> = lint
        .conflicts
        .iter()
        .map(|c| {
            format!(
                "{} {:?}–{:?} {} {:?} when {:?}",
                c.place,
                c.from.map(|d| d.to_string()),
                c.until,
                c.key,
                c.rules,
                c.when
            )
        })
        .collect();
    // A school giving status to USCIS: (k) forbids it, §1373 protects it, and
    // 2.129.070 lifts (k) only for law enforcement agencies. In the law itself.
    assert_eq!(
        got,
        [
            r#"cambridge Some("2020-02-10")–None disclose.citizenship ["us-8usc1373/status-sharing", "cambridge-2.129/k-not-distributed"] when [["requester = uscis", "department = school", "not legal-mandate"]]"#,
            r#"cambridge Some("2020-02-10")–None disclose.immigration-status ["us-8usc1373/status-sharing", "cambridge-2.129/k-not-distributed"] when [["requester = uscis", "department = school", "not legal-mandate"]]"#,
            // Somerville's school rule and savings clause have the same words,
            // so the same conflict.
            r#"somerville Some("2019-06-13")–None disclose.citizenship ["us-8usc1373/status-sharing", "somerville-welcoming-community/status-not-distributed"] when [["requester = uscis", "department = school", "not legal-mandate"]]"#,
            r#"somerville Some("2019-06-13")–None disclose.immigration-status ["us-8usc1373/status-sharing", "somerville-welcoming-community/status-not-distributed"] when [["requester = uscis", "department = school", "not legal-mandate"]]"#,
            // Northampton's A bars "nonmandatory information" for immigration
            // enforcement, status included; the words seen have no §1373
            // savings clause.
            r#"northampton Some("2019-12-05")–None disclose.citizenship ["us-8usc1373/status-sharing", "northampton-safe-city/a-no-information"] when [["requester in {ice-ero, ice-hsi, cbp, uscis, dhs-other}", "not legal-mandate", "operation-purpose = civil-immigration"]]"#,
            r#"northampton Some("2019-12-05")–None disclose.immigration-status ["us-8usc1373/status-sharing", "northampton-safe-city/a-no-information"] when [["requester in {ice-ero, ice-hsi, cbp, uscis, dhs-other}", "not legal-mandate", "operation-purpose = civil-immigration"]]"#,
        ]
    );
}

#[test]
fn rules_that_can_never_apply_are_found_where_they_are_written() {
    let pack = "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer, except on a judicial warrant.\n```rule\nid: main\ncite: §1\nquote: No officer shall detain\nacts: detain\nwhen: in-custody and documents has detainer-hold\nthen: prohibited\n```\n```rule\nid: contradiction\ncite: §1\nquote: No officer shall detain\nacts: detain\nwhen: in-custody and not in-custody\nthen: prohibited\n```\n```rule\nid: orphan-exception\ncite: §1\nquote: except on a judicial warrant\nacts: detain\nwhen: not in-custody and documents has judicial-warrant\nthen: permitted\nexception-to: main\n```\n";
    let lib = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p.md",
            text: pack,
        },
    ])
    .unwrap();
    let lint = lib.lint();
    let got: Vec<String> = lint
        .never_apply
        .iter()
        .map(|n| format!("{} {}", n.at, n.rule))
        .collect();
    assert_eq!(
        got,
        ["p.md:22:5 contradiction", "p.md:30:5 orphan-exception"]
    );
}

/// A pack with one rule and one limit of it, the limit reading `limit_when`.
fn limited(limit_when: &str) -> Library {
    let pack = format!(
        "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> No officer shall detain a person solely on a detainer.\n```rule\nid: main\ncite: §1\nquote: No officer shall detain a person solely on a detainer.\nacts: detain\nwhen: in-custody and documents has detainer-hold\nthen: prohibited\n```\n```rule\nid: other-side\ncite: §1\nquote: solely on a detainer\nacts: detain\nlimits: main\nwhen: {limit_when}\n```\n"
    );
    Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p.md",
            text: &pack,
        },
    ])
    .unwrap()
}

#[test]
fn a_limit_that_overlaps_its_rule_is_found_where_it_is_written() {
    // "in-custody" alone takes in the detainer case the main rule forbids:
    // both decide the same act there, so the line is drawn wrongly. Line 22
    // is the limit's `id:` (line 21 opens its block).
    let lint = limited("in-custody").lint();
    let got: Vec<String> = lint
        .limit_overlaps
        .iter()
        .map(|o| {
            format!(
                "{} {} limits {} {} when {:?}",
                o.at, o.limit, o.rule, o.key, o.when
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            r#"p.md:22:5 other-side limits main detain when [["documents has detainer-hold", "in-custody"]]"#
        ]
    );
    assert_eq!(lint.never_apply, []);
}

#[test]
fn a_limit_on_the_other_side_of_its_rule_is_not_flagged() {
    let lint = limited("in-custody and not documents has detainer-hold").lint();
    assert_eq!(lint.limit_overlaps, []);
    assert_eq!(lint.never_apply, []);
}

#[test]
fn the_built_in_limits_do_not_overlap_their_rules() {
    let got: Vec<String> = builtin()
        .lint()
        .limit_overlaps
        .iter()
        .map(|o| {
            format!(
                "{} {}/{} limits {} at {} {} when {:?}",
                o.at, o.law, o.limit, o.rule, o.place, o.key, o.when
            )
        })
        .collect();
    assert_eq!(got, Vec::<String>::new());
}
