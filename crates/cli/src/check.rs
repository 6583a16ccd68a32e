//! `trustgate check`: a scenario in, the law's answer out — as readable text, or
//! as JSON whose schema `--json-schema` prints (and docs/check-output.schema.json keeps).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;
use trustgate_casebook::{ActInput, FactInput, Scenario};
use trustgate_law::{Applies, Explanation, FactKind, Library, Outcome, RuleView};

use crate::exit;
use crate::pack::{kind, library};

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// A scenario file (JSON or YAML), or `-` for stdin. Flags add to it or override it.
    #[arg(value_name = "SCENARIO")]
    file: Option<PathBuf>,
    /// The place (cambridge, boston, somerville, massachusetts).
    #[arg(long)]
    place: Option<String>,
    /// The day of the situation, YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    /// A fact, NAME=VALUE; for a set, VALUE,VALUE (see `trustgate facts`).
    #[arg(long = "fact", value_name = "NAME=VALUE")]
    facts: Vec<String>,
    /// An act to decide, NAME; for a disclosure, disclose=FIELD,FIELD.
    #[arg(long = "act", value_name = "ACT[=FIELDS]")]
    acts: Vec<String>,
    /// Print JSON (schema: `trustgate check --json-schema`).
    #[arg(long)]
    json: bool,
    /// Also list the rules weighed that did not apply, and duties that depend on facts not given.
    #[arg(long)]
    all: bool,
    /// Print the JSON Schema of `--json` output and exit.
    #[arg(long)]
    json_schema: bool,
}

pub(crate) fn run(packs: Option<&Path>, args: &CheckArgs) -> Result<u8> {
    if args.json_schema {
        println!("{}", json_schema()?);
        return Ok(exit::OK);
    }
    let lib = library(packs)?;
    let scenario = scenario(&lib, args)?;
    let query = scenario
        .to_query(&lib)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let decision = lib.decide(&query);
    let ex = lib.explain(&query, &decision);
    let out = CheckOutput::from(&ex);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", text(&ex, args.all));
    }
    Ok(out.exit_code)
}

fn scenario(lib: &Library, args: &CheckArgs) -> Result<Scenario> {
    let mut s = match &args.file {
        Some(p) => {
            let text = if p.as_os_str() == "-" {
                let mut t = String::new();
                std::io::stdin()
                    .read_to_string(&mut t)
                    .context("reading the scenario from stdin")?;
                t
            } else {
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
            };
            let name = p.display().to_string();
            trustgate_casebook::parse_scenario(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?
        }
        None => Scenario {
            place: String::new(),
            date: String::new(),
            facts: Default::default(),
            acts: Default::default(),
        },
    };
    if let Some(p) = &args.place {
        s.place.clone_from(p);
    }
    if let Some(d) = &args.date {
        s.date.clone_from(d);
    }
    if s.place.is_empty() {
        let places: Vec<&str> = lib.places().map(|p| p.name()).collect();
        bail!(
            "no place given: use --place ({}) or `place:` in the scenario",
            places.join(", ")
        );
    }
    if s.date.is_empty() {
        s.date = today();
    }
    for f in &args.facts {
        let Some((name, value)) = f.split_once('=') else {
            bail!("--fact {f}: expected NAME=VALUE")
        };
        let Some(fact) = lib.facts().find(|x| x.name() == name) else {
            // Let the engine's error (with its suggestion) speak.
            s.facts
                .insert(name.to_owned(), FactInput::One(value.to_owned()));
            continue;
        };
        let input = match fact.kind() {
            FactKind::YesNo => match value {
                "true" | "yes" => FactInput::Bool(true),
                "false" | "no" => FactInput::Bool(false),
                _ => bail!("--fact {f}: `{name}` is yes/no: give true or false"),
            },
            FactKind::One => FactInput::One(value.to_owned()),
            FactKind::Set => FactInput::Set(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
        };
        s.facts.insert(name.to_owned(), input);
    }
    for a in &args.acts {
        match a.split_once('=') {
            Some((name, fields)) => {
                s.acts.insert(
                    name.to_owned(),
                    ActInput::Fields(
                        fields
                            .split(',')
                            .map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(str::to_owned)
                            .collect(),
                    ),
                );
            }
            None => {
                s.acts.insert(a.clone(), ActInput::Whole(true));
            }
        }
    }
    Ok(s)
}

fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i32::try_from(secs / 86_400).unwrap_or(0);
    trustgate_law::Date::from_unix_days(days).to_string()
}

// ---------------------------------------------------------------- JSON contract

/// The answer to one scenario.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CheckOutput {
    /// The place asked about.
    place: PlaceOut,
    /// The day asked about (YYYY-MM-DD).
    date: String,
    /// The stretch of dates over which the same laws are in force; the answer holds throughout.
    period: PeriodOut,
    /// The law versions in force there and then, each with the hash of the exact text used.
    laws: Vec<LawOut>,
    /// One answer per act asked, or per field of a disclosure.
    items: Vec<ItemOut>,
    /// Duties triggered; `certain: false` ones depend on unknown facts (`depends_on`).
    obligations: Vec<ObligationOut>,
    /// Unknown facts whose answers would settle an open answer or obligation.
    questions: Vec<QuestionOut>,
    /// 0 nothing prohibited, 1 something prohibited, 3 something undetermined or in conflict.
    exit_code: u8,
}

#[derive(Serialize, JsonSchema)]
struct PlaceOut {
    name: String,
    title: String,
    jurisdiction: String,
    note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct PeriodOut {
    from: Option<String>,
    until: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct LawOut {
    law: String,
    title: String,
    instrument: String,
    version: String,
    jurisdiction: String,
    effective_from: Option<String>,
    effective_until: Option<String>,
    /// high, medium or low.
    reliability: String,
    source: String,
    note: Option<String>,
    /// sha256 of the pack file.
    hash: String,
}

#[derive(Serialize, JsonSchema)]
struct ItemOut {
    /// `act` or `act.field`.
    key: String,
    act: String,
    field: Option<String>,
    /// prohibited, permitted, required, not-addressed, conflict or undetermined.
    outcome: String,
    /// Decided although some facts it reads are unknown: it holds whatever they are.
    holds_regardless: bool,
    /// The rules that decide it (all of them, when laws concur or conflict).
    decided_by: Vec<RuleOut>,
    /// Readings in doubt for this answer.
    doubts: Vec<DoubtOut>,
    /// For an undetermined answer: what to ask.
    questions: Vec<QuestionOut>,
    /// Every rule that speaks to this act or field, and how it fared.
    weighed: Vec<WeighedOut>,
}

#[derive(Serialize, JsonSchema)]
struct RuleOut {
    law: String,
    version: String,
    id: String,
    /// Pinpoint citation.
    cite: String,
    /// The law's words, exactly (… marks words left out).
    quote: String,
    explain: Option<String>,
    /// prohibited, permitted, required; none for an exception that only lifts another rule.
    effect: Option<String>,
    reliability: String,
}

#[derive(Serialize, JsonSchema)]
struct DoubtOut {
    rule: String,
    cite: String,
    doubt: String,
}

#[derive(Serialize, JsonSchema)]
struct WeighedOut {
    rule: RuleOut,
    /// yes, no or unknown.
    applies: String,
    /// Applied and was not defeated by an exception.
    active: bool,
    /// Ids of the rules this one is an exception to.
    excepts: Vec<String>,
    /// Ids of the exceptions that defeated it.
    defeated_by: Vec<String>,
    /// Its condition, each test marked ✓, ✗ or ?.
    condition: String,
}

#[derive(Serialize, JsonSchema)]
struct ObligationOut {
    id: String,
    law: String,
    cite: String,
    quote: String,
    duty: String,
    due: Option<String>,
    reliability: String,
    certain: bool,
    depends_on: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
struct QuestionOut {
    fact: String,
    ask: String,
    /// yes/no, one of, any of.
    kind: String,
    values: Vec<String>,
}

fn rule_out(r: &RuleView<'_>) -> RuleOut {
    RuleOut {
        law: r.law().law().to_owned(),
        version: r.law().version().to_owned(),
        id: r.id().to_owned(),
        cite: r.cite().to_owned(),
        quote: r.quote().to_owned(),
        explain: r.explain().map(str::to_owned),
        effect: r.effect().map(|e| e.as_str().to_owned()),
        reliability: r.reliability().as_str().to_owned(),
    }
}

fn question_out(f: &trustgate_law::FactView<'_>) -> QuestionOut {
    QuestionOut {
        fact: f.name().to_owned(),
        ask: f.ask().to_owned(),
        kind: kind(f.kind()).to_owned(),
        values: f.values().iter().map(|(v, _)| (*v).to_owned()).collect(),
    }
}

fn applies(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "yes",
        Applies::No => "no",
        Applies::Unknown => "unknown",
    }
}

impl CheckOutput {
    fn from(ex: &Explanation<'_>) -> CheckOutput {
        let place = ex.place();
        let (from, until) = ex.period();
        let items: Vec<ItemOut> = ex
            .items()
            .map(|i| ItemOut {
                key: i.key(),
                act: i.act().name().to_owned(),
                field: i.field().map(|(f, _)| f.to_owned()),
                outcome: i.outcome().as_str().to_owned(),
                holds_regardless: i.holds_regardless(),
                decided_by: i.deciding().map(|r| rule_out(&r)).collect(),
                doubts: i
                    .doubts()
                    .iter()
                    .map(|(r, d)| DoubtOut {
                        rule: r.id().to_owned(),
                        cite: r.cite().to_owned(),
                        doubt: (*d).to_owned(),
                    })
                    .collect(),
                questions: i.questions().iter().map(question_out).collect(),
                weighed: i
                    .weighed()
                    .into_iter()
                    .map(|w| WeighedOut {
                        rule: rule_out(&w.rule),
                        applies: applies(w.applies).to_owned(),
                        active: w.active,
                        excepts: w.excepts.iter().map(|r| r.id().to_owned()).collect(),
                        defeated_by: w.defeated_by.iter().map(|r| r.id().to_owned()).collect(),
                        condition: w.condition,
                    })
                    .collect(),
            })
            .collect();
        let outcomes: Vec<Outcome> = ex.items().map(|i| i.outcome()).collect();
        let exit_code = if outcomes.contains(&Outcome::Prohibited) {
            exit::PROHIBITED
        } else if outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Undetermined | Outcome::Conflict))
        {
            exit::OPEN
        } else {
            exit::OK
        };
        CheckOutput {
            place: PlaceOut {
                name: place.name().to_owned(),
                title: place.title().to_owned(),
                jurisdiction: place.jurisdiction().to_owned(),
                note: place.note().map(str::to_owned),
            },
            date: ex.date().to_string(),
            period: PeriodOut {
                from: from.map(|d| d.to_string()),
                until: until.map(|d| d.to_string()),
            },
            laws: ex
                .laws()
                .iter()
                .map(|l| LawOut {
                    law: l.law().to_owned(),
                    title: l.title().to_owned(),
                    instrument: l.instrument().to_owned(),
                    version: l.version().to_owned(),
                    jurisdiction: l.jurisdiction().to_owned(),
                    effective_from: l.effective_from().map(|d| d.to_string()),
                    effective_until: l.effective_until().map(|d| d.to_string()),
                    reliability: l.reliability().as_str().to_owned(),
                    source: l.source().to_owned(),
                    note: l.note().map(str::to_owned),
                    hash: l.hash().to_owned(),
                })
                .collect(),
            items,
            obligations: ex
                .obligations()
                .iter()
                .map(|o| ObligationOut {
                    id: o.id().to_owned(),
                    law: o.law().law().to_owned(),
                    cite: o.cite().to_owned(),
                    quote: o.quote().to_owned(),
                    duty: o.duty().to_owned(),
                    due: o.due().map(str::to_owned),
                    reliability: o.reliability().as_str().to_owned(),
                    certain: o.certain(),
                    depends_on: o.depends_on().iter().map(|f| f.name().to_owned()).collect(),
                })
                .collect(),
            questions: ex.questions().iter().map(question_out).collect(),
            exit_code,
        }
    }
}

pub(crate) fn json_schema() -> Result<String> {
    let schema = schemars::schema_for!(CheckOutput);
    Ok(serde_json::to_string_pretty(&schema)?)
}

// ---------------------------------------------------------------- text

fn text(ex: &Explanation<'_>, all: bool) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let place = ex.place();
    let _ = writeln!(s, "{} — {}", place.title(), ex.date());
    if let Some(n) = place.note() {
        let _ = writeln!(s, "  note: {n}");
    }
    let laws = ex.laws();
    if laws.is_empty() {
        let _ = writeln!(s, "No law encoded here was in force on that date.");
    } else {
        let _ = writeln!(s, "Laws in force:");
        for l in &laws {
            let hash: String = l.hash().chars().take(19).collect();
            let rel = match l.reliability() {
                trustgate_law::Reliability::High => String::new(),
                r => format!(" [{} reliability]", r.as_str()),
            };
            let _ = writeln!(
                s,
                "  • {} — version {} ({hash}…){rel}",
                l.title(),
                l.version()
            );
        }
    }
    for item in ex.items() {
        let _ = writeln!(s);
        let word = item.outcome().as_str().to_uppercase().replace('-', " ");
        let regardless = if item.holds_regardless() {
            " (whatever the unknown facts are)"
        } else {
            ""
        };
        let _ = writeln!(s, "{} — {word}{regardless}", item.key());
        for r in item.deciding() {
            let rel = match r.reliability() {
                trustgate_law::Reliability::High => String::new(),
                x => format!(" [{} reliability]", x.as_str()),
            };
            let _ = writeln!(s, "  {} ({}){rel}", r.cite(), r.law().law());
            let _ = writeln!(s, "    “{}”", r.quote());
            if let Some(e) = r.explain() {
                let _ = writeln!(s, "    {e}");
            }
        }
        for (r, d) in item.doubts() {
            let _ = writeln!(s, "  ⚠ in doubt ({}): {d}", r.cite());
        }
        let weighed = item.weighed();
        let shown: Vec<_> = weighed
            .iter()
            .filter(|w| {
                all || !w.excepts.is_empty()
                    || !w.defeated_by.is_empty()
                    || w.applies != Applies::No
            })
            .collect();
        if !shown.is_empty() {
            let _ = writeln!(s, "  weighed:");
            for w in shown {
                let mark = match (w.applies, w.active) {
                    (Applies::Yes, true) => "applies",
                    (Applies::Yes, false) => "defeated",
                    (Applies::Unknown, _) => "unknown",
                    (Applies::No, _) => "does not apply",
                };
                let role = if w.excepts.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", exception to {}",
                        w.excepts
                            .iter()
                            .map(|r| r.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let by = if w.defeated_by.is_empty() || w.applies == Applies::No {
                    String::new()
                } else {
                    format!(
                        " by {}",
                        w.defeated_by
                            .iter()
                            .map(|r| r.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let _ = writeln!(
                    s,
                    "    - {} ({}{role}): {mark}{by} — {}",
                    w.rule.id(),
                    w.rule.cite(),
                    w.condition
                );
            }
        }
        let qs = item.questions();
        if !qs.is_empty() {
            let _ = writeln!(
                s,
                "  to decide, answer: {}",
                qs.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    let obligations = ex.obligations();
    let (certain, possible): (Vec<_>, Vec<_>) = obligations.iter().partition(|o| o.certain());
    if !certain.is_empty() || (all && !possible.is_empty()) {
        let _ = writeln!(s, "\nMust be done:");
        let shown: &[&trustgate_law::ObligationView<'_>] = if all { &possible } else { &[] };
        for o in certain.iter().chain(shown) {
            let cond = if o.certain() {
                String::new()
            } else {
                format!(
                    " [if: depends on {}]",
                    o.depends_on()
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(s, "  • {} ({}){cond}", o.duty(), o.cite());
            if let Some(d) = o.due() {
                let _ = writeln!(s, "    due: {d}");
            }
        }
    }
    if !all && !possible.is_empty() {
        let _ = writeln!(
            s,
            "\n{} more duties may apply, depending on facts not given (--all lists them).",
            possible.len()
        );
    }
    // The questions that would settle an open answer; with --all, also those for duties.
    let mut qs: Vec<trustgate_law::FactView<'_>> = Vec::new();
    for item in ex.items() {
        for f in item.questions() {
            if !qs.iter().any(|q| q.name() == f.name()) {
                qs.push(f);
            }
        }
    }
    if all {
        for f in ex.questions() {
            if !qs.iter().any(|q| q.name() == f.name()) {
                qs.push(f);
            }
        }
    }
    if !qs.is_empty() {
        let _ = writeln!(s, "\nQuestions that would settle what is open:");
        for f in qs {
            let vals: Vec<&str> = f.values().iter().map(|(v, _)| *v).collect();
            let choices = if vals.is_empty() {
                "true | false".to_owned()
            } else {
                vals.join(" | ")
            };
            let _ = writeln!(s, "  ? {} — --fact {}=… ({choices})", f.ask(), f.name());
        }
    }
    s
}
