//! The engine's semantics on small synthetic packs: default logic, conflicts,
//! lifting exceptions, exceptions to exceptions, partial scenarios, versions.

use trustgate_law::{Date, FactValue, Library, Source};

use crate::validation::SCHEMA;

fn law(id: &str, from: &str, until: Option<&str>, text: &str, blocks: &str) -> String {
    let until = until
        .map(|u| format!("effective-until: {u}\n"))
        .unwrap_or_default();
    format!(
        "---\nlaw: {id}\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: {id}\nversion: {from}\neffective-from: {from}\n{until}source: test\nreliability: high\n---\n# Text\n> {text}\n{blocks}"
    )
}

fn rule(id: &str, quote: &str, acts: &str, when: &str, then: &str, extra: &str) -> String {
    let then = if then.is_empty() {
        String::new()
    } else {
        format!("then: {then}\n")
    };
    format!(
        "```rule\nid: {id}\ncite: {id}-cite\nquote: {quote}\nacts: {acts}\nwhen: {when}\n{then}{extra}```\n"
    )
}

fn lib(packs: &[String]) -> Library {
    let mut sources = vec![Source {
        name: "schema.md",
        text: SCHEMA,
    }];
    let names: Vec<String> = (0..packs.len()).map(|i| format!("p{i}.md")).collect();
    for (n, t) in names.iter().zip(packs) {
        sources.push(Source { name: n, text: t });
    }
    Library::load(&sources).unwrap_or_else(|e| panic!("{e}"))
}

/// Decides `acts` with `facts` (name=value; sets as a,b; bools true/false) and
/// renders each item as `key outcome [cites]` plus `? facts` when undetermined.
fn check(lib: &Library, date: &str, facts: &[(&str, &str)], acts: &[&str], expect: &[&str]) {
    let mut b = lib.query("town", Date::parse(date).unwrap()).unwrap();
    for (k, v) in facts {
        let set: Vec<&str> = v.split(',').filter(|s| !s.is_empty()).collect();
        let value = match (*k, *v) {
            (_, "true") => FactValue::Bool(true),
            (_, "false") => FactValue::Bool(false),
            ("documents", _) => FactValue::Set(&set),
            _ => FactValue::One(v),
        };
        b.fact(k, value).unwrap();
    }
    for a in acts {
        match a.split_once('=') {
            Some((act, fields)) => b
                .ask_fields(act, &fields.split(',').collect::<Vec<_>>())
                .unwrap(),
            None => b.ask(a).unwrap(),
        }
    }
    let q = b.build();
    let d = lib.decide(&q);
    let got: Vec<String> = lib
        .explain(&q, &d)
        .items()
        .map(|i| {
            let mut cites: Vec<String> = i.deciding().map(|r| r.cite().to_owned()).collect();
            cites.sort();
            let qs: Vec<&str> = i.questions().iter().map(|f| f.name()).collect();
            let mut s = format!("{} {}", i.key(), i.outcome().as_str());
            if !cites.is_empty() {
                s.push_str(&format!(" [{}]", cites.join(", ")));
            }
            if !qs.is_empty() {
                s.push_str(&format!(" ? {}", qs.join(", ")));
            }
            if i.holds_regardless() {
                s.push_str(" (regardless)");
            }
            s
        })
        .collect();
    assert_eq!(got, expect);
}

const TEXT: &str = "No officer shall detain a person on a detainer, except on a judicial warrant. Officers may share status.";

#[test]
fn an_exception_defeats_the_rule_it_excepts() {
    let l = lib(&[law(
        "a",
        "2020-01-01",
        None,
        TEXT,
        &format!(
            "{}{}",
            rule(
                "main",
                "No officer shall detain a person on a detainer",
                "detain",
                "documents has detainer-hold",
                "prohibited",
                ""
            ),
            rule(
                "jw",
                "except on a judicial warrant",
                "detain",
                "documents has judicial-warrant",
                "permitted",
                "exception-to: main\n"
            )
        ),
    )]);
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold")],
        &["detain"],
        &["detain prohibited [main-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold,judicial-warrant")],
        &["detain"],
        &["detain permitted [jw-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "")],
        &["detain"],
        &["detain not-addressed"],
    );
    // Before the law existed, it answers nothing: no earlier text is invented.
    check(
        &l,
        "2019-12-31",
        &[("documents", "detainer-hold")],
        &["detain"],
        &["detain not-addressed"],
    );
    // Unknown papers: the answer depends on them, and the engine says so.
    check(
        &l,
        "2021-01-01",
        &[],
        &["detain"],
        &["detain undetermined ? documents"],
    );
}

#[test]
fn a_lifting_exception_answers_permitted_where_nothing_else_decides() {
    let l = lib(&[law(
        "a",
        "2020-01-01",
        None,
        TEXT,
        &format!(
            "{}{}",
            rule(
                "main",
                "No officer shall detain a person on a detainer",
                "detain",
                "documents has detainer-hold",
                "prohibited",
                ""
            ),
            rule(
                "lift",
                "except on a judicial warrant",
                "detain",
                "documents has judicial-warrant",
                "",
                "exception-to: main\n"
            )
        ),
    )]);
    // "except on a judicial warrant": the prohibition stops here.
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold,judicial-warrant")],
        &["detain"],
        &["detain permitted [lift-cite]"],
    );
    // Where the rule it lifts does not apply, it says nothing.
    check(
        &l,
        "2021-01-01",
        &[("documents", "judicial-warrant")],
        &["detain"],
        &["detain not-addressed"],
    );
}

/// "No officer shall detain a person solely on a detainer": on the other side
/// of "solely" the answer is permitted, citing the words, and it yields to any
/// other law that decides the act.
#[test]
fn a_limit_answers_permitted_beyond_the_line_and_yields_to_other_rules() {
    let text =
        "No officer shall detain a person solely on a detainer, except on a judicial warrant.";
    let main = rule(
        "main",
        "No officer shall detain a person solely on a detainer",
        "detain",
        "documents has detainer-hold and not in-custody",
        "prohibited",
        "",
    );
    let limit = rule(
        "solely",
        "solely on a detainer",
        "detain",
        "documents has detainer-hold and in-custody",
        "",
        "limits: main\n",
    );
    let jw = rule(
        "jw",
        "except on a judicial warrant",
        "detain",
        "documents has judicial-warrant",
        "",
        "exception-to: main\n",
    );
    let a = law("a", "2020-01-01", None, text, &format!("{main}{limit}{jw}"));
    let l = lib(std::slice::from_ref(&a));
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold"), ("in-custody", "false")],
        &["detain"],
        &["detain prohibited [main-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold"), ("in-custody", "true")],
        &["detain"],
        &["detain permitted [solely-cite]"],
    );
    // The exception decides on both sides of the line, whatever the fact the
    // rule alone reads.
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold,judicial-warrant")],
        &["detain"],
        &["detain permitted [jw-cite] (regardless)"],
    );
    // Outside the rule's subject (no detainer) nothing speaks.
    check(
        &l,
        "2021-01-01",
        &[("documents", ""), ("in-custody", "true")],
        &["detain"],
        &["detain not-addressed"],
    );
    // Another law that forbids the act decides; a limit never conflicts.
    let b = law(
        "b",
        "2020-01-01",
        None,
        "No one shall be held on a detainer.",
        &rule(
            "state",
            "No one shall be held on a detainer.",
            "detain",
            "documents has detainer-hold",
            "prohibited",
            "",
        ),
    );
    let l = lib(&[a, b]);
    check(
        &l,
        "2021-01-01",
        &[
            ("documents", "detainer-hold,judicial-warrant"),
            ("in-custody", "true"),
        ],
        &["detain"],
        &["detain prohibited [state-cite]"],
    );
    assert!(l.lint().conflicts.is_empty());
}

/// An amendment states what it changes: the sections it rewrites; the rest is
/// inherited from the version it amends, ids and all.
#[test]
fn an_amendment_inherits_what_it_does_not_rewrite() {
    let head = |version: &str, from: &str, extra: &str| {
        format!(
            "---\nlaw: a\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: a\nversion: {version}\neffective-from: {from}\n{extra}source: test\nreliability: high\n---\n"
        )
    };
    let base = format!(
        "{}# One\n> No officer shall detain a person on a detainer.\n{}# Two\n> Officers may share status.\n{}",
        head("v1", "2020-01-01", "effective-until: 2022-12-31\n"),
        rule(
            "hold",
            "No officer shall detain a person on a detainer.",
            "detain",
            "documents has detainer-hold",
            "prohibited",
            ""
        ),
        rule(
            "share",
            "Officers may share status.",
            "disclose",
            "true",
            "permitted",
            "fields: immigration-status\n"
        ),
    );
    let amendment = format!(
        "{}# Two\n> Officers shall not share status.\n{}",
        head("v2", "2023-01-01", "amends: 2020-01-01\n"),
        rule(
            "share",
            "Officers shall not share status.",
            "disclose",
            "true",
            "prohibited",
            "fields: immigration-status\n"
        ),
    );
    let l = lib(&[base.clone(), amendment]);
    for date in ["2021-06-01", "2024-06-01"] {
        check(
            &l,
            date,
            &[("documents", "detainer-hold")],
            &["detain"],
            &["detain prohibited [hold-cite]"],
        );
    }
    check(
        &l,
        "2021-06-01",
        &[],
        &["disclose=immigration-status"],
        &["disclose.immigration-status permitted [share-cite]"],
    );
    check(
        &l,
        "2024-06-01",
        &[],
        &["disclose=immigration-status"],
        &["disclose.immigration-status prohibited [share-cite]"],
    );
    let v2 = l.laws().find(|v| v.version() == "v2").unwrap();
    assert_eq!(v2.amends().map(|b| b.version()), Some("v1"));
    let ids: Vec<&str> = v2.rules().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["hold", "share"]);

    // An inherited exception whose rule the amendment drops is an error at `amends:`.
    let with_exception = format!(
        "{base}{}",
        rule(
            "jw",
            "Officers may share status.",
            "detain",
            "documents has judicial-warrant",
            "",
            "exception-to: hold\n"
        ),
    );
    let drops = format!(
        "{}# One\n> [Repealed.]\n",
        head("v2", "2023-01-01", "amends: 2020-01-01\n"),
    );
    let err = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p0.md",
            text: &with_exception,
        },
        Source {
            name: "p1.md",
            text: &drops,
        },
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("p1.md:8:9") && err.contains("`exception-to` names `hold`"),
        "{err}"
    );
    // `amends:` must name a day a version of the same law is in force.
    let nowhere = format!(
        "{}# Two\n> x\n",
        head("v2", "2023-01-01", "amends: 2019-01-01\n")
    );
    let err = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p0.md",
            text: &base,
        },
        Source {
            name: "p1.md",
            text: &nowhere,
        },
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no version of `a` is in force on 2019-01-01"),
        "{err}"
    );
}

/// A yes/no fact with `assume:` takes that value when left out, and the
/// explanation says so; stated, it decides as given.
#[test]
fn an_assumed_fact_is_taken_when_left_out_and_said() {
    let extra = "---\nschema: extra\n---\n```schema\nfact mandated: bool\n  ask: Does a law require it?\n  assume: no\n```\n";
    let a = law(
        "a",
        "2020-01-01",
        None,
        TEXT,
        &format!(
            "{}{}",
            rule(
                "main",
                "No officer shall detain a person on a detainer",
                "detain",
                "documents has detainer-hold",
                "prohibited",
                ""
            ),
            rule(
                "lift",
                "except on a judicial warrant",
                "detain",
                "mandated",
                "",
                "exception-to: main\n"
            ),
        ),
    );
    let l = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "extra.md",
            text: extra,
        },
        Source {
            name: "p0.md",
            text: &a,
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold")],
        &["detain"],
        &["detain prohibited [main-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold"), ("mandated", "true")],
        &["detain"],
        &["detain permitted [lift-cite]"],
    );
    let mut b = l.query("town", Date::parse("2021-01-01").unwrap()).unwrap();
    b.fact("documents", FactValue::Set(&["detainer-hold"]))
        .unwrap();
    b.ask("detain").unwrap();
    let q = b.build();
    let d = l.decide(&q);
    let assumed: Vec<(String, bool)> = l
        .explain(&q, &d)
        .assumed()
        .iter()
        .map(|(f, v)| (f.name().to_owned(), *v))
        .collect();
    assert_eq!(assumed, [("mandated".to_owned(), false)]);
}

#[test]
fn laws_that_disagree_conflict_and_concurring_laws_both_decide() {
    let a = law(
        "a",
        "2020-01-01",
        None,
        TEXT,
        &rule(
            "no-share",
            "Officers may share status",
            "disclose",
            "true",
            "prohibited",
            "fields: immigration-status\n",
        ),
    );
    let b = law(
        "b",
        "2020-01-01",
        None,
        TEXT,
        &rule(
            "share",
            "Officers may share status",
            "disclose",
            "requester = ice-ero",
            "permitted",
            "fields: immigration-status\n",
        ),
    );
    let c = law(
        "c",
        "2020-01-01",
        None,
        TEXT,
        &rule(
            "also-no",
            "Officers may share status",
            "disclose",
            "true",
            "prohibited",
            "fields: immigration-status, name\n",
        ),
    );
    let l = lib(&[a, b, c]);
    check(
        &l,
        "2021-01-01",
        &[("requester", "ice-ero")],
        &["disclose=immigration-status,name"],
        &[
            "disclose.immigration-status conflict [also-no-cite, no-share-cite, share-cite]",
            "disclose.name prohibited [also-no-cite]",
        ],
    );
    check(
        &l,
        "2021-01-01",
        &[("requester", "fbi")],
        &["disclose=immigration-status"],
        &["disclose.immigration-status prohibited [also-no-cite, no-share-cite]"],
    );
    // Whoever asks, the name is prohibited: the unknown requester does not matter.
    check(
        &l,
        "2021-01-01",
        &[],
        &["disclose=name,immigration-status"],
        &[
            "disclose.name prohibited [also-no-cite]",
            "disclose.immigration-status undetermined ? requester",
        ],
    );
}

#[test]
fn exceptions_to_exceptions() {
    let blocks = format!(
        "{}{}{}",
        rule(
            "main",
            "No officer shall detain a person on a detainer",
            "detain",
            "documents has detainer-hold",
            "prohibited",
            ""
        ),
        rule(
            "exc",
            "except on a judicial warrant",
            "detain",
            "documents has judicial-warrant",
            "permitted",
            "exception-to: main\n"
        ),
        rule(
            "exc2",
            "No officer shall detain",
            "detain",
            "not in-custody",
            "prohibited",
            "exception-to: exc\n"
        )
    );
    let l = lib(&[law("a", "2020-01-01", None, TEXT, &blocks)]);
    let both = ("documents", "detainer-hold,judicial-warrant");
    check(
        &l,
        "2021-01-01",
        &[both, ("in-custody", "true")],
        &["detain"],
        &["detain permitted [exc-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[both, ("in-custody", "false")],
        &["detain"],
        &["detain prohibited [exc2-cite, main-cite]"],
    );
    // Without a judicial warrant the exception does not apply, and so neither
    // does the exception to it: custody is not even asked.
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold")],
        &["detain"],
        &["detain prohibited [main-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[both],
        &["detain"],
        &["detain undetermined ? in-custody"],
    );
}

#[test]
fn versions_decide_by_date_and_definitions_resolve_across_laws() {
    let v1 = law(
        "a",
        "2020-01-01",
        Some("2020-12-31"),
        TEXT,
        &rule(
            "v1",
            "No officer shall detain",
            "detain",
            "true",
            "prohibited",
            "",
        ),
    );
    let v2 = law(
        "a",
        "2021-01-01",
        None,
        TEXT,
        &rule(
            "v2",
            "No officer shall detain",
            "detain",
            "b::paper",
            "prohibited",
            "",
        ),
    );
    let b = law(
        "b",
        "2019-01-01",
        None,
        TEXT,
        "```define\nid: paper\ncite: b-def\nquote: on a detainer\nmeans: documents has detainer-hold\n```\n",
    );
    let l = lib(&[v1, v2, b]);
    check(
        &l,
        "2020-12-31",
        &[("documents", "")],
        &["detain"],
        &["detain prohibited [v1-cite]"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "")],
        &["detain"],
        &["detain not-addressed"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold")],
        &["detain"],
        &["detain prohibited [v2-cite]"],
    );
}

#[test]
fn a_definition_missing_at_some_date_is_an_error_there() {
    let v2 = law(
        "a",
        "2021-01-01",
        None,
        TEXT,
        &rule(
            "v2",
            "No officer shall detain",
            "detain",
            "b::paper",
            "prohibited",
            "",
        ),
    );
    let b = law(
        "b",
        "2019-01-01",
        Some("2022-06-30"),
        TEXT,
        "```define\nid: paper\ncite: b-def\nquote: on a detainer\nmeans: documents has detainer-hold\n```\n",
    );
    let err = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "a.md",
            text: &v2,
        },
        Source {
            name: "b.md",
            text: &b,
        },
    ])
    .unwrap_err();
    let msgs: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    assert_eq!(
        msgs,
        [
            "a.md:18:7: error: `b::paper` is needed from 2022-07-01, but no version of `b` in force then defines it"
        ]
    );
}

#[test]
fn an_exception_grants_nothing_outside_the_rule_it_excepts() {
    let blocks = format!(
        "{}{}",
        rule(
            "main",
            "No officer shall detain a person on a detainer",
            "detain",
            "documents has detainer-hold and in-custody",
            "prohibited",
            ""
        ),
        rule(
            "jw",
            "except on a judicial warrant",
            "detain",
            "documents has judicial-warrant",
            "permitted",
            "exception-to: main\n"
        )
    );
    let l = lib(&[law("a", "2020-01-01", None, TEXT, &blocks)]);
    // Within the rule's scope the exception decides…
    check(
        &l,
        "2021-01-01",
        &[
            ("documents", "detainer-hold,judicial-warrant"),
            ("in-custody", "true"),
        ],
        &["detain"],
        &["detain permitted [jw-cite]"],
    );
    // …outside it, it grants nothing: the law does not address the act.
    check(
        &l,
        "2021-01-01",
        &[
            ("documents", "detainer-hold,judicial-warrant"),
            ("in-custody", "false"),
        ],
        &["detain"],
        &["detain not-addressed"],
    );
    check(
        &l,
        "2021-01-01",
        &[("documents", "judicial-warrant")],
        &["detain"],
        &["detain not-addressed"],
    );
    // Whether it speaks depends on the rule it excepts: custody matters either way.
    check(
        &l,
        "2021-01-01",
        &[("documents", "detainer-hold,judicial-warrant")],
        &["detain"],
        &["detain undetermined ? in-custody"],
    );
}

#[test]
fn partial_answers_try_every_value_a_set_can_take() {
    // Fourteen papers, all tested by some rule: an unknown set must still be
    // enumerated exactly for the act in question.
    let papers: Vec<String> = (1..=14).map(|i| format!("p{i}")).collect();
    let schema = format!(
        "---\nschema: t\n---\n```schema\nplace town: us/ma/town\nenum paper\n{}\nfact papers: set of paper\n  ask: Which papers?\nfact ok: bool\n  ask: Ok?\nact a\n  means: a\nact b\n  means: b\n```\n",
        papers
            .iter()
            .map(|p| format!("  {p}: {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let blocks = format!(
        "{}{}",
        rule(
            "only-p14",
            "No officer shall detain",
            "a",
            "papers has p14",
            "prohibited",
            ""
        ),
        rule(
            "any-paper",
            "No officer shall detain",
            "b",
            &format!("papers has {{{}}}", papers.join(", ")),
            "prohibited",
            ""
        )
    );
    let pack = law("a", "2020-01-01", None, TEXT, &blocks);
    let l = Library::load(&[
        Source {
            name: "schema.md",
            text: &schema,
        },
        Source {
            name: "p.md",
            text: &pack,
        },
    ])
    .unwrap();
    let mut b = l.query("town", Date::parse("2021-01-01").unwrap()).unwrap();
    b.ask("a").unwrap();
    b.ask("b").unwrap();
    let q = b.build();
    let d = l.decide(&q);
    let got: Vec<(String, String, Vec<String>)> = l
        .explain(&q, &d)
        .items()
        .map(|i| {
            (
                i.key(),
                i.outcome().as_str().to_owned(),
                i.questions().iter().map(|f| f.name().to_owned()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "a".to_owned(),
                "undetermined".to_owned(),
                vec!["papers".to_owned()]
            ),
            (
                "b".to_owned(),
                "undetermined".to_owned(),
                vec!["papers".to_owned()]
            ),
        ]
    );
    // And with the papers known, each act is decided.
    let mut b = l.query("town", Date::parse("2021-01-01").unwrap()).unwrap();
    b.fact("papers", FactValue::Set(&["p14"])).unwrap();
    b.ask("a").unwrap();
    let q = b.build();
    assert_eq!(
        l.decide(&q).outcomes().collect::<Vec<_>>(),
        [trustgate_law::Outcome::Prohibited]
    );
}
