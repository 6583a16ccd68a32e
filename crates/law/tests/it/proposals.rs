//! Proposals: a bill or a draft (`status: proposal`) is loaded and checked
//! like law, never answers what the law is, and can be taken as enacted by a
//! what-if library that decides and diffs like the law.

use trustgate_law::{Date, FactValue, Library, Outcome, ScenarioError, Source};

use crate::builtin;
use crate::validation::SCHEMA;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A police officer asks a witness about status, in Massachusetts (state
/// and federal law only), on `date`.
fn status_question(lib: &Library, date: &str) -> Outcome {
    let mut q = lib.query("massachusetts", day(date)).unwrap();
    q.fact("department", FactValue::One("police")).unwrap();
    q.fact("legal-mandate", FactValue::Bool(false)).unwrap();
    q.fact("status-needed-for-state-crime", FactValue::Bool(false))
        .unwrap();
    q.fact("documents", FactValue::Set(&[])).unwrap();
    q.ask("inquire-status").unwrap();
    let q = q.build();
    let d = lib.try_decide(&q).unwrap();
    d.outcomes().next().unwrap()
}

#[test]
fn a_proposal_never_answers_what_the_law_is() {
    let lib = builtin();
    let protect = lib.laws().find(|l| l.law() == "ma-protect-act").unwrap();
    assert!(protect.is_proposal());
    assert!(
        !lib.laws()
            .any(|l| l.law() == "cambridge-2.129" && l.is_proposal())
    );
    assert_eq!(status_question(lib, "2027-03-01"), Outcome::NotAddressed);
    let q = lib
        .query("massachusetts", day("2027-03-01"))
        .unwrap()
        .build();
    assert!(
        lib.laws_in_force(&q).all(|l| l.law() != "ma-protect-act"),
        "a proposal is never among the laws in force"
    );
}

#[test]
fn taken_as_enacted_it_decides_from_its_own_date() {
    let lib = builtin();
    let what_if = lib.as_if_enacted(&["ma-protect-act"]).unwrap();
    assert_eq!(status_question(&what_if, "2027-03-01"), Outcome::Prohibited);
    assert_eq!(
        status_question(&what_if, "2026-12-31"),
        Outcome::NotAddressed,
        "before its effective-from it is not in force, even as if enacted"
    );
    let q = what_if
        .query("massachusetts", day("2027-03-01"))
        .unwrap()
        .build();
    let protect = what_if
        .laws_in_force(&q)
        .find(|l| l.law() == "ma-protect-act")
        .unwrap();
    assert!(
        protect.is_proposal(),
        "still named a proposal where it is taken as enacted"
    );
    // A query of one library is refused by the other.
    assert!(lib.try_decide(&q).is_err());
}

#[test]
fn only_a_proposal_can_be_taken_as_enacted() {
    let lib = builtin();
    match lib.as_if_enacted(&["ma-protect"]) {
        Err(e @ ScenarioError::UnknownProposal { .. }) => {
            assert!(
                e.to_string().contains("did you mean `ma-protect-act`"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        lib.as_if_enacted(&["cambridge-2.129"]),
        Err(ScenarioError::UnknownProposal { .. })
    ));
}

#[test]
fn the_diff_shows_what_a_proposal_would_change() {
    let lib = builtin();
    let what_if = lib.as_if_enacted(&["ma-protect-act"]).unwrap();
    let d = lib
        .diff_with(
            "massachusetts",
            day("2027-03-01"),
            &what_if,
            "massachusetts",
            day("2027-03-01"),
        )
        .unwrap();
    let changed: Vec<String> = d
        .changes
        .iter()
        .map(|c| {
            format!(
                "{}{}: {} -> {}",
                c.act,
                c.field
                    .as_ref()
                    .map(|f| format!(".{f}"))
                    .unwrap_or_default(),
                c.before.as_str(),
                c.after.as_str()
            )
        })
        .collect();
    assert!(
        changed.contains(&"inquire-status: not-addressed -> prohibited".to_owned()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"disclose.release-date: not-addressed -> prohibited".to_owned()),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|c| c.starts_with("detain")),
        "the bill as encoded says nothing of holds: {changed:?}"
    );
    // Nothing changes before the date it would take effect.
    let before = lib
        .diff_with(
            "massachusetts",
            day("2026-06-01"),
            &what_if,
            "massachusetts",
            day("2026-06-01"),
        )
        .unwrap();
    assert!(before.changes.is_empty(), "{:?}", before.changes);
}

#[test]
fn libraries_of_other_packs_are_not_compared() {
    let other = Library::load(&[Source {
        name: "schema.md",
        text: SCHEMA,
    }])
    .unwrap();
    let err = builtin()
        .diff_with(
            "massachusetts",
            day("2027-03-01"),
            &other,
            "town",
            day("2027-03-01"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("other packs"), "{err}");
}

#[test]
fn law_cannot_amend_a_proposal_but_a_draft_amendment_can() {
    let draft = "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: draft\neffective-from: 2020-01-01\nstatus: proposal\nsource: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer.\n";
    let amendment = |status: &str| {
        format!(
            "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: 2\neffective-from: 2021-01-01\namends: 2020-01-01\n{status}source: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer.\n"
        )
    };
    let load = |second: &str| {
        Library::load(&[
            Source {
                name: "schema.md",
                text: SCHEMA,
            },
            Source {
                name: "draft.md",
                text: draft,
            },
            Source {
                name: "second.md",
                text: second,
            },
        ])
    };
    let err = load(&amendment("")).unwrap_err().to_string();
    assert!(
        err.contains("second.md:8:9: error: `amends: 2020-01-01`: the version of `l` in force on 2020-01-01 is a proposal"),
        "{err}"
    );
    assert!(load(&amendment("status: proposal\n")).is_ok());
}

/// A city's draft amendment of a law in force: not law, it overlaps nothing;
/// taken as enacted, it supersedes the version in force from its first day.
#[test]
fn a_draft_amendment_taken_as_enacted_supersedes_from_its_first_day() {
    let law = |version: &str, from: &str, extra: &str, rule: &str| {
        format!(
            "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: {version}\neffective-from: {from}\n{extra}source: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer.\n```rule\nid: r\ncite: §1\nquote: No officer shall detain a person on a detainer\nacts: detain\nwhen: documents has detainer-hold\nthen: {rule}\n```\n"
        )
    };
    let enacted = law("1", "2020-01-01", "", "prohibited");
    let draft = law(
        "draft",
        "2027-01-01",
        "amends: 2020-01-01\nstatus: proposal\n",
        "permitted",
    );
    let lib = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "law.md",
            text: &enacted,
        },
        Source {
            name: "draft.md",
            text: &draft,
        },
    ])
    .unwrap();
    let detain = |lib: &Library, date: &str| {
        let mut q = lib.query("town", day(date)).unwrap();
        q.fact("documents", FactValue::Set(&["detainer-hold"]))
            .unwrap();
        q.ask("detain").unwrap();
        let q = q.build();
        lib.try_decide(&q).unwrap().outcomes().next().unwrap()
    };
    assert_eq!(detain(&lib, "2027-06-01"), Outcome::Prohibited);
    let what_if = lib.as_if_enacted(&["l"]).unwrap();
    assert_eq!(detain(&what_if, "2026-12-31"), Outcome::Prohibited);
    assert_eq!(detain(&what_if, "2027-06-01"), Outcome::Permitted);
}
