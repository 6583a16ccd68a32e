//! Regressions from review: inputs that once panicked, overflowed the stack, ran
//! exponentially or gave wrong answers. Each must now load or be refused
//! promptly, with a diagnostic, and decide correctly.

use std::time::Duration;

use trustgate_law::{Date, DecideError, Decision, FactValue, Library, Outcome, Source};

use crate::validation::SCHEMA;

const HEAD: &str = "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer, except on a judicial warrant.\n";

fn load(schema: &str, pack: &str) -> Result<Library, Vec<String>> {
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
    .map_err(|e| {
        e.diagnostics()
            .iter()
            .map(|d| d.message().to_owned())
            .collect()
    })
}

/// Loads on a small stack and with a deadline, as a server thread would.
fn load_bounded(schema: String, pack: String) -> Result<Library, Vec<String>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = tx.send(load(&schema, &pack));
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(20))
        .expect("load crashed or took over 20 s")
}

fn rule(id: &str, acts: &str, when: &str, then: &str, extra: &str) -> String {
    format!(
        "```rule\nid: {id}\ncite: §1\nquote: No officer shall detain\nacts: {acts}\nwhen: {when}\nthen: {then}\n{extra}```\n"
    )
}

#[test]
fn schemas_over_the_limits_are_refused_not_a_panic() {
    let values: String = (0..65).map(|i| format!("  v{i}: value {i}\n")).collect();
    let schema = format!(
        "---\nschema: t\n---\n```schema\nplace town: us/ma/town\nenum big\n{values}fact x: big\n  ask: x?\nact detain\n  means: hold\n```\n"
    );
    let errors = load_bounded(
        schema,
        format!("{HEAD}{}", rule("r", "detain", "x = v64", "prohibited", "")),
    )
    .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("has 65 values; at most 64")),
        "{errors:?}"
    );

    let acts: String = (0..65).map(|i| format!("act a{i}\n  means: m\n")).collect();
    let schema = format!("---\nschema: t\n---\n```schema\nplace town: us/ma/town\n{acts}```\n");
    let errors = load_bounded(
        schema,
        format!("{HEAD}{}", rule("r", "a64", "true", "prohibited", "")),
    )
    .unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("65 acts; at most 64")),
        "{errors:?}"
    );

    let facts: String = (0..130)
        .map(|i| format!("fact f{i}: bool\n  ask: f{i}?\n"))
        .collect();
    let schema = format!(
        "---\nschema: t\n---\n```schema\nplace town: us/ma/town\n{facts}act detain\n  means: hold\n```\n"
    );
    let errors = load_bounded(
        schema,
        format!("{HEAD}{}", rule("r", "detain", "f129", "prohibited", "")),
    )
    .unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("130 facts; at most 128")),
        "{errors:?}"
    );
}

#[test]
fn an_exception_grants_nothing_where_its_rule_does_not_speak() {
    let pack = format!(
        "{HEAD}{}{}",
        rule(
            "r",
            "detain",
            "documents has detainer-hold",
            "prohibited",
            ""
        ),
        rule(
            "e",
            "detain, disclose",
            "documents has judicial-warrant",
            "permitted",
            "exception-to: r\n"
        )
    );
    let lib = load(SCHEMA, &pack).unwrap();
    let mut b = lib
        .query("town", Date::parse("2021-01-01").unwrap())
        .unwrap();
    b.fact("documents", FactValue::Set(&["judicial-warrant"]))
        .unwrap();
    b.ask_fields("disclose", &["name"]).unwrap();
    b.ask("detain").unwrap();
    let q = b.build();
    let got: Vec<&str> = lib.decide(&q).outcomes().map(|o| o.as_str()).collect();
    assert_eq!(got, ["not-addressed", "not-addressed"]);
}

#[test]
fn definitions_that_multiply_are_refused_promptly() {
    let mut blocks = String::from(
        "```define\nid: d0\ncite: §1\nquote: No officer shall detain\nmeans: documents has detainer-hold\n```\n",
    );
    for k in 1..20 {
        let p = k - 1;
        blocks.push_str(&format!("```define\nid: d{k}\ncite: §1\nquote: No officer shall detain\nmeans: d{p} and d{p} and d{p} and d{p}\n```\n"));
    }
    blocks.push_str(&rule("r", "detain", "d19", "prohibited", ""));
    let errors = load_bounded(SCHEMA.to_owned(), format!("{HEAD}{blocks}")).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("expands")), "{errors:?}");
}

fn chain(n: usize, backwards: bool) -> String {
    let mut blocks = vec![rule("r0", "detain", "in-custody", "prohibited", "")];
    for k in 1..n {
        let then = if k % 2 == 1 {
            "permitted"
        } else {
            "prohibited"
        };
        blocks.push(rule(
            &format!("r{k}"),
            "detain",
            "in-custody",
            then,
            &format!("exception-to: r{}\n", k - 1),
        ));
    }
    if backwards {
        blocks.reverse();
    }
    format!("{HEAD}{}", blocks.concat())
}

#[test]
fn long_exception_chains_are_refused_whatever_their_order() {
    for backwards in [false, true] {
        let errors = load_bounded(SCHEMA.to_owned(), chain(40, backwards)).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("exceptions chain more than 32 deep")),
            "backwards={backwards}: {errors:?}"
        );
    }
    let errors = load_bounded(SCHEMA.to_owned(), chain(20_000, false)).unwrap_err();
    assert!(!errors.is_empty());
}

#[test]
fn lint_asks_about_the_other_acts_too() {
    let lib = load(
        SCHEMA,
        &format!(
            "{HEAD}{}",
            rule("r", "detain", "asks disclose", "prohibited", "")
        ),
    )
    .unwrap();
    assert_eq!(lib.lint().never_apply, []);
}

/// The built-in packs loaded again: the same law, another library.
fn another_builtin() -> Library {
    let sources: Vec<Source<'_>> = trustgate_packs::law_files()
        .map(|(name, text)| Source { name, text })
        .collect();
    Library::load(&sources).unwrap()
}

/// A query carries another library's indices (places, acts, facts): deciding
/// it elsewhere used to answer with whatever those indices name there. Now it
/// is refused, every act answered "undetermined" and the reason carried.
#[test]
fn a_query_from_another_library_is_refused_not_answered() {
    let own = crate::builtin();
    let other = another_builtin();
    let mut b = other
        .query("cambridge", Date::parse("2026-03-01").unwrap())
        .unwrap();
    for (k, v) in [
        ("requester", FactValue::One("ice-ero")),
        ("department", FactValue::One("police")),
        ("custody", FactValue::One("in-police-custody")),
        ("documents", FactValue::Set(&["detainer-hold", "i-200"])),
        ("other-custody-basis", FactValue::Bool(false)),
    ] {
        b.fact(k, v).unwrap();
    }
    b.ask("detain").unwrap();
    let q = b.build();
    let mut d = Decision::default();
    assert_eq!(other.try_decide_into(&q, &mut d), Ok(()));
    assert_eq!(d.violation(), None);
    assert_eq!(d.outcomes().next(), Some(Outcome::Prohibited));

    assert_eq!(
        own.try_decide_into(&q, &mut d),
        Err(DecideError::ForeignQuery)
    );
    assert_eq!(d.violation(), Some(DecideError::ForeignQuery));
    // What callers that show or record an answer use: an error, no answer.
    assert_eq!(own.try_decide(&q).err(), Some(DecideError::ForeignQuery));
    assert!(other.try_decide(&q).is_ok());
    assert_eq!(
        d.outcomes().collect::<Vec<_>>(),
        [Outcome::Undetermined],
        "no claim about the act"
    );
    assert!(own.explain(&q, &d).obligations().is_empty());
    assert_eq!(
        own.explain(&q, &d).violation(),
        Some(DecideError::ForeignQuery)
    );
}

/// The infallible entry point fails loudly in debug builds (tests, fuzzing).
#[test]
#[cfg_attr(debug_assertions, should_panic(expected = "another library"))]
fn deciding_a_foreign_query_is_loud_in_debug_builds() {
    let other = another_builtin();
    let mut b = other
        .query("cambridge", Date::parse("2026-03-01").unwrap())
        .unwrap();
    b.ask("detain").unwrap();
    let q = b.build();
    let d = crate::builtin().decide(&q);
    // Release builds: refused all the same, with the reason.
    assert_eq!(d.violation(), Some(DecideError::ForeignQuery));
}
