//! What is safe to do while facts are unknown: the outcomes an act can still
//! have over every value still possible for them (`ItemView::still_possible`),
//! on both sides of each line, and the bound on what finding them costs.

use trustgate_law::{Date, FactValue, Interim, Library, Outcome, Source};

use crate::validation::SCHEMA;

const TEXT: &str = "No officer shall detain a person on a detainer, except on a judicial warrant. Officers may share status.";

fn pack(blocks: &str) -> String {
    format!(
        "---\nlaw: a\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: a\nversion: 1\neffective-from: 2020-01-01\nsource: test\nreliability: high\n---\n# Text\n> {TEXT}\n{blocks}"
    )
}

fn rule(id: &str, acts: &str, when: &str, then: &str, extra: &str) -> String {
    format!(
        "```rule\nid: {id}\ncite: {id}-cite\nquote: No officer shall detain a person on a detainer\nacts: {acts}\nwhen: {when}\nthen: {then}\n{extra}```\n"
    )
}

fn load(schema: &str, pack: &str) -> Library {
    Library::load(&[
        Source {
            name: "schema.md",
            text: schema,
        },
        Source {
            name: "p.md",
            text: pack,
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// For each act asked: (outcome, the outcomes still possible, exact, completions tried).
fn possible(
    lib: &Library,
    facts: &[(&str, FactValue<'_>)],
    acts: &[&str],
) -> Vec<(Outcome, Vec<Outcome>, bool, u32, Interim)> {
    let mut b = lib
        .query("town", Date::parse("2021-01-01").unwrap())
        .unwrap();
    for (k, v) in facts {
        b.fact(k, *v).unwrap();
    }
    for a in acts {
        b.ask(a).unwrap();
    }
    let q = b.build();
    let d = lib.decide(&q);
    lib.explain(&q, &d)
        .items()
        .map(|i| {
            let p = i.still_possible();
            (
                i.outcome(),
                p.outcomes().collect(),
                p.exact(),
                p.completions_tried(),
                p.interim(),
            )
        })
        .collect()
}

use Outcome::{Conflict, NotAddressed, Permitted, Prohibited, Required, Undetermined};

#[test]
fn prohibited_under_some_values_is_do_not_until_known() {
    let l = load(
        SCHEMA,
        &pack(&format!(
            "{}{}",
            rule(
                "main",
                "detain",
                "documents has detainer-hold",
                "prohibited",
                ""
            ),
            rule(
                "jw",
                "detain",
                "documents has judicial-warrant",
                "permitted",
                "exception-to: main\n"
            )
        )),
    );
    // The papers unknown: a detainer alone prohibits, with a judicial warrant
    // it is permitted, and without a detainer no rule speaks. Two values
    // tested, so four completions.
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(
            Undetermined,
            vec![Prohibited, Permitted, NotAddressed],
            true,
            4,
            Interim::DoNotUntilKnown
        )]
    );
    // The other side of the line: with the papers known it is decided, and
    // the set is that one outcome.
    assert_eq!(
        possible(
            &l,
            &[("documents", FactValue::Set(&["detainer-hold"]))],
            &["detain"]
        ),
        [(Prohibited, vec![Prohibited], true, 0, Interim::DoNot)]
    );
    assert_eq!(
        possible(
            &l,
            &[(
                "documents",
                FactValue::Set(&["detainer-hold", "judicial-warrant"])
            )],
            &["detain"]
        ),
        [(
            Permitted,
            vec![Permitted],
            true,
            0,
            Interim::May { required_if: false }
        )]
    );
}

#[test]
fn prohibited_under_every_remaining_value_is_do_not() {
    // In custody or not, some rule prohibits: the unknown does not matter.
    let l = load(
        SCHEMA,
        &pack(&format!(
            "{}{}",
            rule("held", "detain", "in-custody", "prohibited", ""),
            rule("free", "detain", "not in-custody", "prohibited", "")
        )),
    );
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(Prohibited, vec![Prohibited], true, 2, Interim::DoNot)]
    );
}

#[test]
fn permitted_under_every_remaining_value_says_so() {
    let l = load(
        SCHEMA,
        &pack(&format!(
            "{}{}{}",
            rule("held", "detain", "in-custody", "permitted", ""),
            rule("free", "detain", "not in-custody", "permitted", ""),
            // Permitted under some values, not addressed under the rest:
            // still never prohibited, so it may be done.
            rule(
                "ice",
                "disclose",
                "requester = ice-ero",
                "permitted",
                "fields: name\n"
            )
        )),
    );
    let mut b = l.query("town", Date::parse("2021-01-01").unwrap()).unwrap();
    b.ask("detain").unwrap();
    b.ask_fields("disclose", &["name"]).unwrap();
    let q = b.build();
    let d = l.decide(&q);
    let got: Vec<(Outcome, Vec<Outcome>, Interim)> = l
        .explain(&q, &d)
        .items()
        .map(|i| {
            let p = i.still_possible();
            (i.outcome(), p.outcomes().collect(), p.interim())
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Permitted,
                vec![Permitted],
                Interim::May { required_if: false }
            ),
            (
                Undetermined,
                vec![Permitted, NotAddressed],
                Interim::May { required_if: false }
            ),
        ]
    );
}

#[test]
fn required_under_some_values_may_be_done_and_may_be_required() {
    let l = load(
        SCHEMA,
        &pack(&rule("held", "detain", "in-custody", "required", "")),
    );
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(
            Undetermined,
            vec![Required, NotAddressed],
            true,
            2,
            Interim::May { required_if: true }
        )]
    );
    assert_eq!(
        possible(&l, &[("in-custody", FactValue::Bool(true))], &["detain"]),
        [(Required, vec![Required], true, 0, Interim::Must)]
    );
}

#[test]
fn a_conflict_under_some_values_is_do_not_until_known() {
    // Two laws disagree only when the person is in custody.
    let l = load(
        SCHEMA,
        &pack(&format!(
            "{}{}",
            rule("no", "detain", "in-custody", "prohibited", ""),
            rule("yes", "detain", "true", "required", "")
        )),
    );
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(
            Undetermined,
            vec![Required, Conflict],
            true,
            2,
            Interim::DoNotUntilKnown
        )]
    );
    assert_eq!(
        possible(&l, &[("in-custody", FactValue::Bool(true))], &["detain"]),
        [(Conflict, vec![Conflict], true, 0, Interim::Conflict)]
    );
}

/// A schema of `n` yes/no facts `f1`…`fn` and one act.
fn schema_of(n: usize) -> String {
    let facts: String = (1..=n)
        .map(|i| format!("fact f{i}: bool\n  ask: F{i}?\n"))
        .collect();
    format!(
        "---\nschema: t\n---\n```schema\nplace town: us/ma/town\nfact x: bool\n  ask: X?\n{facts}act detain\n  means: hold\n```\n"
    )
}

/// The worst case a pack can put to one item: every fact it reads unknown.
/// Up to 16,384 completions (14 yes/no facts) the set is found exactly, by
/// 16,384 runs of the item's rules; one fact more and the engine does not
/// try (0 runs) but answers from the three-valued run: a superset, marked
/// inexact, that still holds every outcome a completion gives.
#[test]
fn finding_what_is_possible_is_bounded_and_sound_beyond_the_bound() {
    let all = |n: usize| {
        (1..=n)
            .map(|i| format!("f{i}"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    // x and f1…f13: 14 unknown facts, 16,384 completions, tried exactly.
    let l = load(
        &schema_of(13),
        &pack(&format!(
            "{}{}",
            rule(
                "no",
                "detain",
                &format!("x and {}", all(13)),
                "prohibited",
                ""
            ),
            rule("yes", "detain", "not x", "permitted", "")
        )),
    );
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(
            Undetermined,
            vec![Prohibited, Permitted, NotAddressed],
            true,
            16_384,
            Interim::DoNotUntilKnown
        )]
    );
    // x and f1…f14: 32,768 completions, over the bound. The two rules can
    // never both apply, but the three-valued run cannot see that, so the
    // set adds a conflict; it lacks none of the true outcomes.
    let l = load(
        &schema_of(14),
        &pack(&format!(
            "{}{}",
            rule(
                "no",
                "detain",
                &format!("x and {}", all(14)),
                "prohibited",
                ""
            ),
            rule("yes", "detain", "not x", "permitted", "")
        )),
    );
    assert_eq!(
        possible(&l, &[], &["detain"]),
        [(
            Undetermined,
            vec![Prohibited, Permitted, NotAddressed, Conflict],
            false,
            0,
            Interim::DoNotUntilKnown
        )]
    );
    // Known x settles what the other fourteen cannot change.
    assert_eq!(
        possible(&l, &[("x", FactValue::Bool(false))], &["detain"]),
        [(
            Permitted,
            vec![Permitted],
            true,
            0,
            Interim::May { required_if: false }
        )]
    );
}

/// The real packs: a federal operation whose purpose is not known. Assisting
/// is prohibited for some purposes and not for others, so it is "do not
/// until you know", and the engine names the purpose as what to find out.
#[test]
fn an_operation_of_unknown_purpose_is_not_assisted_until_known() {
    let lib = crate::builtin();
    let mut b = lib
        .query("cambridge", Date::parse("2026-03-01").unwrap())
        .unwrap();
    b.fact("department", FactValue::One("police")).unwrap();
    b.fact("operation-lead", FactValue::One("federal-agency"))
        .unwrap();
    b.ask("assist-operation").unwrap();
    let q = b.build();
    let d = lib.decide(&q);
    let e = lib.explain(&q, &d);
    let items: Vec<_> = e.items().collect();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.outcome(), Undetermined);
    let p = item.still_possible();
    assert!(p.exact());
    assert!(
        p.can_be(Prohibited),
        "{:?}",
        p.outcomes().collect::<Vec<_>>()
    );
    assert!(p.outcomes().any(|o| o != Prohibited));
    assert_eq!(p.interim(), Interim::DoNotUntilKnown);
    assert!(
        item.questions()
            .iter()
            .any(|f| f.name() == "operation-purpose"),
        "{:?}",
        item.questions()
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
    );
}
