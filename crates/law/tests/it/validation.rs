//! The validator: every problem in a pack is reported at file:line:column with
//! what was expected, and a suggestion where one is close.

use trustgate_law::{Library, Source};

/// A small schema, so each case shows only what it tests.
pub(crate) const SCHEMA: &str = "---\nschema: test\n---\n```schema
place town: us/ma/town
enum agency
  ice-ero: ICE ERO
  fbi: FBI
enum field
  name: name
  release-date: release date
  immigration-status: status
enum document
  detainer-hold: detainer
  judicial-warrant: judicial warrant
fact requester: agency
  ask: Who asks?
fact documents: set of document
  ask: What papers?
fact in-custody: bool
  ask: In custody?
act disclose: per field
  means: share
act detain
  means: hold
```
";

fn pack(body: &str) -> String {
    format!(
        "---\nlaw: l\njurisdiction: us/ma/town\ninstrument: ordinance\ntitle: T\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> No officer shall detain a person on a detainer, except on a judicial warrant.\n{body}"
    )
}

/// Loads the schema and `pack`, and compares the diagnostics (or "ok").
fn check(pack: &str, expect: &[&str]) {
    let got: Vec<String> = match Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p.md",
            text: pack,
        },
    ]) {
        Ok(_) => vec![],
        Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
    };
    assert_eq!(got, expect, "\n--- pack ---\n{pack}");
}

const RULE: &str = "```rule\nid: r\ncite: §1\nquote: No officer shall detain a person on a detainer\nacts: detain\nwhen: documents has detainer-hold\nthen: prohibited\n```\n";

#[test]
fn a_good_pack_loads() {
    check(&pack(RULE), &[]);
}

#[test]
fn unknown_facts_and_values_suggest() {
    check(
        &pack(&RULE.replace("documents has detainer-hold", "documnets has detainer-hold")),
        &["p.md:18:7: error: unknown fact `documnets`\n  help: did you mean `documents`?"],
    );
    check(
        &pack(&RULE.replace("documents has detainer-hold", "documents has detainer-hld")),
        &[
            "p.md:18:21: error: `detainer-hld` is not a value of `document` (the type of `documents`)\n  help: did you mean `detainer-hold`?",
        ],
    );
    check(
        &pack(&RULE.replace("acts: detain", "acts: detian")),
        &["p.md:17:7: error: unknown act `detian`\n  help: did you mean `detain`?"],
    );
    check(
        &pack(&RULE.replace("documents has detainer-hold", "requester has ice-ero")),
        &[
            "p.md:18:7: error: `has` tests a set, but `requester` is not one; write `requester = …` or `requester in {…}`",
        ],
    );
    check(
        &pack(&RULE.replace("documents has detainer-hold", "in-custody = yes")),
        &["p.md:18:7: error: `in-custody` is yes/no; write `in-custody` or `not in-custody`"],
    );
}

#[test]
fn rules_must_cite_and_quote_the_text() {
    check(
        &pack(&RULE.replace("cite: §1\n", "")),
        &["p.md:13:4: error: `r` has no `cite:`; every rule must name the provision it encodes"],
    );
    check(
        &pack(&RULE.replace(
            "quote: No officer shall detain",
            "quote: No officer may detain",
        )),
        &[
            "p.md:16:8: error: the quote of `r` is not in the law text of its section “S”; quote the words exactly (… marks words left out)",
        ],
    );
    check(
        &pack(&RULE.replace("then: prohibited\n", "")),
        &[
            "p.md:13:4: error: rule `r` needs `then:`; only an exception (`exception-to:`) or a limit (`limits:`) may leave it out, and then it answers \"permitted\" only where no other rule decides",
        ],
    );
    check(
        &pack(&RULE.replace("then: prohibited", "then: forbidden")),
        &[
            "p.md:19:7: error: `then` must be `prohibited`, `permitted` or `required`, found `forbidden`",
        ],
    );
    check(
        &pack(&RULE.replace("cite:", "cyte:")),
        &[
            "p.md:13:4: error: `r` has no `cite:`; every rule must name the provision it encodes",
            "p.md:15:1: error: unknown key `cyte` in a `rule` block\n  help: did you mean `cite`?",
        ],
    );
}

#[test]
fn exceptions_must_resolve_and_not_cycle() {
    let exc = "```rule\nid: e\ncite: §1\nquote: except on a judicial warrant\nacts: detain\nwhen: documents has judicial-warrant\nthen: permitted\nexception-to: q\n```\n";
    check(
        &pack(&format!("{RULE}{exc}")),
        &["p.md:28:15: error: `exception-to` names `q`, which is not a rule of this pack"],
    );
    check(
        &pack(&format!(
            "{RULE}{}",
            exc.replace("exception-to: q", "exception-to: r")
        )),
        &[],
    );
    let cyc = format!(
        "{}{}",
        RULE.replace("then: prohibited", "then: prohibited\nexception-to: e"),
        exc.replace("exception-to: q", "exception-to: r")
    );
    check(
        &pack(&cyc),
        &["p.md:20:15: error: exceptions form a cycle: r → e → r"],
    );
    let other_act = exc
        .replace("exception-to: q", "exception-to: r")
        .replace("acts: detain", "acts: disclose");
    check(
        &pack(&format!("{RULE}{other_act}")),
        &[
            "p.md:28:15: error: `e` is declared an exception to `r`, but they speak to no act (or field) in common",
        ],
    );
}

#[test]
fn conditions_report_syntax_errors_where_they_are() {
    check(
        &pack(&RULE.replace(
            "documents has detainer-hold",
            "documents has {detainer-hold,",
        )),
        &["p.md:18:36: error: expected a value, found the end of the condition"],
    );
    check(
        &pack(&RULE.replace("documents has detainer-hold", "(in-custody")),
        &["p.md:18:18: error: expected `)`, found the end of the condition"],
    );
}

#[test]
fn an_obligations_office_and_performer_are_checked_where_they_are() {
    let duty = |extra: &str| {
        pack(&format!(
            "{RULE}```obligation\nid: o\ncite: §1\nquote: No officer shall detain\nwhen: in-custody\nduty: Tell someone.\n{extra}```\n"
        ))
    };
    check(
        &duty("office: city-manager\nperformed-by: recording\n"),
        &[],
    );
    check(
        &duty("office: City Manager\n"),
        &[
            "p.md:27:9: error: `office` must be the id of one of the place's offices (lowercase letters, digits and `-`), found `City Manager`",
        ],
    );
    check(
        &duty("performed-by: the clerk\n"),
        &[
            "p.md:27:15: error: `performed-by` can only be `recording` (the record itself performs the duty), found `the clerk`",
        ],
    );
}

#[test]
fn a_status_is_law_or_proposal_and_law_cannot_amend_a_proposal() {
    check(
        &pack(RULE).replace("reliability: high", "reliability: high\nstatus: bill"),
        &[
            "p.md:10:9: error: `status` must be `enacted` (the default) or `proposal` (a bill or draft, never the law in force), found `bill`",
        ],
    );
    check(
        &pack(RULE).replace("reliability: high", "reliability: high\nstatus: proposal"),
        &[],
    );
}

#[test]
fn front_matter_and_versions() {
    check(
        &pack(RULE).replace("effective-from: 2020-01-01", "effective-from: 2020-02-30"),
        &["p.md:7:17: error: `effective-from`: no such day in the calendar, found `2020-02-30`"],
    );
    check(
        &pack(RULE).replace("reliability: high", "reliabilty: high"),
        &[
            "p.md:1:1: error: front matter needs `reliability:`",
            "p.md:9:1: error: unknown front-matter key `reliabilty`\n  help: did you mean `reliability`?",
        ],
    );
    check(
        &pack(RULE).replace("us/ma/town", "us/ma/twon"),
        &[
            "p.md:3:15: error: no place falls under jurisdiction `us/ma/twon`\n  help: did you mean `us/ma/town`?",
        ],
    );
    // Two versions of one law that overlap.
    let a = pack(RULE);
    let b = pack(RULE).replace("effective-from: 2020-01-01", "effective-from: 2021-01-01");
    let got = Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "a.md",
            text: &a,
        },
        Source {
            name: "b.md",
            text: &b,
        },
    ])
    .unwrap_err();
    assert_eq!(
        got.diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "b.md:7:17: error: versions of `l` overlap: version 1 is in force from 2020-01-01 with no end, and version 1 from 2021-01-01\n  help: end version 1 on 2020-12-31 with `effective-until:`"
        ]
    );
}

#[test]
fn documents_that_are_not_packs() {
    check(
        "# just notes\n",
        &[
            "p.md:1:1: error: not a law pack: it needs front matter between `---` lines with `law:`, `jurisdiction:`, `effective-from:` …",
        ],
    );
    check(
        &pack("```rul\nid: x\n```\n"),
        &[
            "p.md:13:4: error: unknown block kind `rul`; a pack's fenced blocks are `rule`, `define` or `obligation`\n  help: did you mean `rule`?",
        ],
    );
    check(
        &pack("```rule\nid: r\n"),
        &[
            "p.md:13:1: error: fenced block ```rule is never closed by a ``` line",
            "p.md:13:4: error: `r` has no `cite:`; every rule must name the provision it encodes",
            "p.md:13:4: error: `r` has no `quote:`; give the words of the law it encodes",
            "p.md:13:4: error: rule `r` needs `acts:`, the acts it speaks to",
            "p.md:13:4: error: rule `r` needs `then:`; only an exception (`exception-to:`) or a limit (`limits:`) may leave it out, and then it answers \"permitted\" only where no other rule decides",
        ],
    );
}

#[test]
fn definitions_must_not_cycle_or_nest_without_end() {
    let def = |id: &str, means: &str| {
        format!("```define\nid: {id}\ncite: §1\nquote: on a detainer\nmeans: {means}\n```\n")
    };
    check(
        &pack(&format!("{}{}", def("a", "b"), def("b", "a"))),
        &["p.md:14:5: error: definitions form a cycle: a → b → a"],
    );
    // A chain 40 long: refused before any walk of it could exhaust the stack.
    let mut chain = String::new();
    for i in 0..40 {
        let next = if i == 39 {
            "in-custody".to_owned()
        } else {
            format!("d{}", i + 1)
        };
        chain.push_str(&def(&format!("d{i}"), &next));
    }
    let got = match Library::load(&[
        Source {
            name: "schema.md",
            text: SCHEMA,
        },
        Source {
            name: "p.md",
            text: &pack(&chain),
        },
    ]) {
        Ok(_) => panic!("a 40-deep chain of definitions was accepted"),
        Err(e) => e
            .diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    };
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("p.md:14:5: error: definitions chain more than 32 deep: d0 → d1 → d2"),
        "{got:?}"
    );
}
