//! The `trustgate` command, run as a user would: exit codes, readable answers,
//! the JSON contract, and clear errors for bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub,
    reason = "a test fails loudly at the first surprise"
)]

mod bad_input;
mod durability;
mod operate;
mod records;
mod serve;
mod service;
mod tidy;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// A principal made without a credential, as the CLI's own commands make
/// one: for a test that writes or reads the store directly.
#[expect(
    clippy::disallowed_methods,
    reason = "tests set up records as the operator's commands would"
)]
fn principal(actor: &str, role: trustgate_access::Role) -> trustgate_store::Principal {
    trustgate_store::Principal::new(
        trustgate_store::Actor::new(actor),
        trustgate_store::Grants::Role(role),
    )
}

/// A contact taken in as the server takes it, decided now by the built-in
/// packs. The tests' scenarios name only the facts a count reads, so the
/// acts done (or, if none, `detain`) are asked about here.
fn intake(mut c: trustgate_store::NewContact) -> trustgate_records::Intake {
    use trustgate_records::scenario::{ActInput, parse};
    let mut s = parse(&c.scenario).unwrap();
    for act in &c.acts_done {
        match act.split_once('.') {
            Some((act, field)) => match s
                .acts
                .entry(act.to_owned())
                .or_insert(ActInput::Fields(vec![]))
            {
                ActInput::Fields(fs) => fs.push(field.to_owned()),
                ActInput::Whole(_) => unreachable!("{act} is a disclosure"),
            },
            None => {
                s.acts.insert(act.clone(), ActInput::Whole(true));
            }
        }
    }
    if s.acts.is_empty() {
        s.acts.insert("detain".into(), ActInput::Whole(true));
    }
    static LIB: std::sync::OnceLock<trustgate_law::Library> = std::sync::OnceLock::new();
    let lib = LIB.get_or_init(|| {
        let sources: Vec<trustgate_law::Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| trustgate_law::Source { name, text })
            .collect();
        trustgate_law::Library::load(&sources).unwrap()
    });
    c.scenario = String::new();
    trustgate_records::Intake::of(trustgate_records::Decided::new(lib, &s).unwrap(), c).unwrap()
}

/// The store as the commands open it: for the built-in place (Cambridge).
async fn open_store(
    db: &str,
    clock: std::sync::Arc<dyn trustgate_store::Clock>,
) -> trustgate_store::Store {
    let (name, text) = trustgate_packs::place_files().next().unwrap();
    let place = trustgate_place::Place::parse(name, text).unwrap();
    trustgate_store::Store::open(db, clock)
        .await
        .unwrap()
        .with_place(std::sync::Arc::new(place))
        .unwrap()
}

/// `trustgate ARGS` for the built-in place, Cambridge: several places are
/// configured (each `place.toml` beside its packs), so the commands that
/// keep records are told which, as an operator would with `--place`.
fn trustgate(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(args)
        .env("TRUSTGATE_PLACE", "cambridge")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const PHONE_CALL: &[&str] = &[
    "check",
    "--place",
    "cambridge",
    "--date",
    "2026-03-01",
    "--fact",
    "requester=ice-ero",
    "--fact",
    "department=police",
    "--fact",
    "custody=in-police-custody",
    "--fact",
    "documents=notification-request",
    "--act",
    "disclose=release-date,immigration-status",
];

#[test]
fn a_prohibited_answer_exits_1_and_quotes_the_law() {
    let o = trustgate(PHONE_CALL, None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("disclose.release-date — PROHIBITED"), "{t}");
    assert!(t.contains("2.129.040(e) (cambridge-2.129)"), "{t}");
    assert!(t.contains("“No officer or employee of the Cambridge Police Department shall provide [a federal officer]"), "{t}");
    assert!(t.contains("disclose.immigration-status — PERMITTED"), "{t}");
    assert!(t.contains("Give the person a copy of the detainer"), "{t}");
}

#[test]
fn json_output_follows_the_committed_schema() {
    let schema = trustgate(&["check", "--json-schema"], None);
    assert_eq!(schema.status.code(), Some(0));
    let committed = include_str!("../../../../docs/check-output.schema.json");
    assert_eq!(
        String::from_utf8_lossy(&schema.stdout).trim(),
        committed.trim(),
        "the --json contract changed: regenerate docs/check-output.schema.json with `trustgate check --json-schema` and review the change"
    );
    let mut args = PHONE_CALL.to_vec();
    args.push("--json");
    let o = trustgate(&args, None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["prohibited"], true);
    assert_eq!(v["settled"], true);
    assert_eq!(v["items"][0]["key"], "disclose.release-date");
    assert_eq!(v["items"][0]["outcome"], "prohibited");
    assert_eq!(
        v["items"][0]["decided_by"][0],
        "cambridge-2.129/e-no-information"
    );
    let rule = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ref"] == "cambridge-2.129/e-no-information")
        .unwrap();
    assert_eq!(rule["cite"], "2.129.040(e)");
    assert!(
        rule["quote"]
            .as_str()
            .unwrap()
            .starts_with("No officer or employee of the Cambridge Police Department")
    );
    assert!(
        v["laws"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["hash"].as_str().unwrap().starts_with("sha256:"))
    );
    // Every key the output uses is declared by the schema.
    let schema: serde_json::Value = serde_json::from_str(committed).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for k in v.as_object().unwrap().keys() {
        assert!(props.contains_key(k), "`{k}` is not in the schema");
    }
}

#[test]
fn a_scenario_from_stdin_in_yaml() {
    let yaml = "place: cambridge\ndate: 2019-06-01\nfacts:\n  documents: [detainer-hold]\n  other-custody-basis: false\n  department: police\nacts:\n  detain: true\n";
    let o = trustgate(&["check", "-"], Some(yaml));
    let t = text(&o);
    // Before the ordinance existed, Lunn (2017) still forbids the hold.
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("Lunn v. Commonwealth, 477 Mass. 517 (2017)"),
        "{t}"
    );
    assert!(!t.contains("2.129.040"), "{t}");
}

#[test]
fn unknown_facts_leave_questions_and_exit_3() {
    let o = trustgate(
        &[
            "check",
            "--place",
            "cambridge",
            "--date",
            "2026-03-01",
            "--act",
            "grant-access",
        ],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(3), "{t}");
    assert!(
        t.contains("to decide, answer: requester, documents, custody"),
        "{t}"
    );
    assert!(t.contains("--fact custody=…"), "{t}");
}

#[test]
fn bad_input_names_the_json_path_and_exits_2() {
    let cases: &[(&str, &str)] = &[
        (
            "place: cambrige\ndate: 2026-03-01\nacts: {detain: true}\n",
            "$.place: unknown place `cambrige`; did you mean `cambridge`?",
        ),
        (
            "place: cambridge\ndate: 2026-02-30\nacts: {detain: true}\n",
            "$.date: no such day in the calendar, found `2026-02-30`",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\nfacts: {requester: ice}\nacts: {detain: true}\n",
            "$.facts.requester: `ice` is not a value of `requester`",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\nfacts: {documents: [i-200, detainer-hld]}\nacts: {detain: true}\n",
            "$.facts.documents[1]: `detainer-hld` is not a value of `documents`; did you mean `detainer-hold`?",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\nacts: {disclose: [release-dat]}\n",
            "$.acts.disclose[0]: unknown field `release-dat`; did you mean `release-date`?",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\nacts: {detain: [name]}\n",
            "$.acts.detain: `detain` is decided as a whole",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\nfacts: {custody: true}\nacts: {detain: true}\n",
            "$.facts.custody: `custody` takes one value of `custody-status`",
        ),
        (
            "place: cambridge\ndate: 2026-03-01\n",
            "$.acts: no act asked",
        ),
        ("[1, 2", "$ (line 1, column"),
    ];
    for (input, want) in cases {
        let o = trustgate(&["check", "-"], Some(input));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{input}\n{t}");
        assert!(t.contains(want), "{input}\nwanted: {want}\ngot: {t}");
        assert!(!t.contains("panicked"), "{t}");
    }
}

#[test]
fn pack_validate_points_at_file_line_column() {
    let dir = std::env::temp_dir().join(format!("trustgate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = trustgate_packs_schema();
    std::fs::write(dir.join("schema.md"), schema).unwrap();
    std::fs::write(
        dir.join("bad.md"),
        "---\nlaw: x\njurisdiction: us/ma/cambridge\ninstrument: o\ntitle: t\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> Words.\n```rule\nid: r\ncite: c\nquote: Words.\nacts: detain\nwhen: requester = ice-eros\nthen: prohibited\n```\n",
    )
    .unwrap();
    let o = trustgate(
        &["--packs", dir.to_str().unwrap(), "pack", "validate"],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains(
            "bad.md:18:19: error: `ice-eros` is not a value of `agency` (the type of `requester`)"
        ),
        "{t}"
    );
    assert!(t.contains("help: did you mean `ice-ero`?"), "{t}");
    let ok = trustgate(&["pack", "validate"], None);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn trustgate_packs_schema() -> &'static str {
    include_str!("../../../../packs/schema.md")
}

#[test]
fn pack_test_runs_the_cases() {
    let o = trustgate(&["pack", "test"], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains(" passed, 0 failed"), "{t}");
}

#[test]
fn pack_render_prints_a_page() {
    let o = trustgate(
        &["pack", "render", "cambridge-2.129", "--date", "2021-01-01"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(
        page.contains("<html") && page.contains("rule-d-no-detention"),
        "{}",
        &page[..page.len().min(500)]
    );
    assert!(
        page.contains("i-support-services"),
        "the 2020 version has the support-services exception"
    );
}

#[test]
fn a_scenario_from_stdin_in_json() {
    let json = r#"{"place": "cambridge", "date": "2026-03-01",
      "facts": {"requester": "cbp", "custody": "in-police-custody", "access-mode": "video", "documents": ["i-200"]},
      "acts": {"grant-access": true}}"#;
    let o = trustgate(&["check", "-", "--json"], Some(json));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"][0]["outcome"], "prohibited");
    assert_eq!(
        v["items"][0]["decided_by"][0],
        "cambridge-2.129/h-no-access"
    );
    // The administrative warrant was weighed as an exception and did not apply.
    let weighed = v["items"][0]["weighed"].as_array().unwrap();
    let jw = weighed
        .iter()
        .find(|w| w["rule"] == "cambridge-2.129/h-judicial-warrant")
        .unwrap();
    assert_eq!(jw["applies"], "no");
    assert_eq!(jw["excepts"][0], "cambridge-2.129/h-no-access");
}

#[test]
fn a_reader_that_goes_away_ends_the_program_quietly() {
    // The reader goes away at once, and the page (≈ 75 KB) is larger than a
    // pipe's buffer (64 KiB), so the program must meet the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(["pack", "render", "cambridge-2.129"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(141),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn pack_diff_shows_what_the_2025_amendment_changed() {
    let o = trustgate(
        &[
            "pack",
            "diff",
            "cambridge@2025-08-03",
            "cambridge@2025-08-04",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("assist-operation: permitted → prohibited"),
        "{t}"
    );
    // Where a law requires the act, 2.129.070 makes both versions yield.
    assert!(t.contains("when department = police and not legal-mandate and operation-purpose = civil-immigration and assistance-kind in {traffic-perimeter, traffic-control, escort, officer-safety, breach-of-peace}"), "{t}");
    assert!(
        t.contains("duty cambridge-2.129/verify-federal-agents (2.129.040(i) (as amended 2025-08-04)): newly triggered"),
        "{t}"
    );
    let o = trustgate(
        &[
            "pack",
            "diff",
            "--json",
            "cambridge@2025-08-03",
            "cambridge@2025-08-04",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["changes"][0]["key"], "assist-operation");
    assert_eq!(v["duties"][0]["id"], "verify-federal-agents");
    assert_eq!(v["duties"][0]["change"], "added");
    assert!(v["grounds"].as_array().is_some_and(|g| !g.is_empty()));
    let bad = trustgate(&["pack", "diff", "cambridge", "cambridge@2025-08-04"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad).contains("expected PLACE@YYYY-MM-DD"),
        "{}",
        text(&bad)
    );
}

/// `+PROPOSAL` takes a bill as enacted on one side: what the PROTECT Act
/// would change in Northampton, where no local rule speaks to a release date.
#[test]
fn pack_diff_shows_what_a_proposal_would_change() {
    let o = trustgate(
        &[
            "pack",
            "diff",
            "northampton@2027-03-01",
            "northampton@2027-03-01+ma-protect-act",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.starts_with("northampton on 2027-03-01 → northampton on 2027-03-01 as if ma-protect-act were enacted"),
        "{t}"
    );
    assert!(t.contains("disclose.release-date: "), "{t}");
    let bad = trustgate(
        &[
            "pack",
            "diff",
            "northampton@2027-03-01",
            "northampton@2027-03-01+lunn",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("is not a proposal"), "{}", text(&bad));
}

#[test]
fn pack_lint_lists_the_conflicts_and_no_dead_rule() {
    let o = trustgate(&["pack", "lint"], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("conflict at cambridge from 2020-02-10 to …, disclose.immigration-status: us-8usc1373/status-sharing and cambridge-2.129/k-not-distributed disagree"), "{t}");
    assert!(
        t.contains("conflict at northampton from 2019-12-05 to …, disclose.immigration-status: us-8usc1373/status-sharing and northampton-safe-city/a-no-information disagree"),
        "{t}"
    );
    assert!(
        t.contains(
            "0 rules never take effect, 0 limits overlap their rule, 6 conflict regions, 0 acts not tried whole"
        ),
        "{t}"
    );
}

#[test]
fn pack_lint_fails_on_a_limit_that_overlaps_its_rule_and_says_where() {
    let dir = std::env::temp_dir().join(format!("trustgate-cli-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("schema.md"), trustgate_packs_schema()).unwrap();
    // The limit's `when:` should be the other side ("other-custody-basis");
    // written as "custody = in-police-custody" it takes in the very case the
    // rule forbids.
    let pack = |limit_when: &str| {
        format!(
            "---\nlaw: x\njurisdiction: us/ma/cambridge\ninstrument: o\ntitle: t\nversion: 1\neffective-from: 2020-01-01\nsource: s\nreliability: high\n---\n# S\n> No hold solely on a detainer.\n```rule\nid: r\ncite: c\nquote: No hold solely on a detainer.\nacts: detain\nwhen: custody = in-police-custody and not other-custody-basis\nthen: prohibited\n```\n```rule\nid: other-side\ncite: c\nquote: solely on a detainer\nacts: detain\nlimits: r\nwhen: {limit_when}\n```\n"
        )
    };
    let packs = dir.to_str().unwrap();
    std::fs::write(dir.join("p.md"), pack("custody = in-police-custody")).unwrap();
    let o = trustgate(&["--packs", packs, "pack", "lint"], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("p.md:22:5: warning: `other-side` of x (version 1) is a limit of `r` but both decide detain at "),
        "{t}"
    );
    assert!(t.contains("1 limits overlap their rule"), "{t}");
    std::fs::write(
        dir.join("p.md"),
        pack("custody = in-police-custody and other-custody-basis"),
    )
    .unwrap();
    let ok = trustgate(&["--packs", packs, "pack", "lint"], None);
    let t = text(&ok);
    assert_eq!(ok.status.code(), Some(0), "{t}");
    assert!(t.contains("0 limits overlap their rule"), "{t}");
    std::fs::remove_dir_all(&dir).unwrap();
}
