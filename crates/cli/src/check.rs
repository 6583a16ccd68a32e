//! `trustgate check`: a scenario in, the law's answer out — as readable text, or
//! as JSON whose schema `--json-schema` prints (and docs/check-output.schema.json keeps).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use trustgate_api::{ActInput, Decision, Detail, FactInput, Scenario};
use trustgate_law::{Applies, Explanation, FactKind, Library};

use crate::exit;
use crate::pack::library;

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// A scenario file (JSON or YAML), or `-` for stdin. Flags add to it or override it.
    #[arg(value_name = "SCENARIO")]
    file: Option<PathBuf>,
    /// The place (cambridge, boston, somerville, northampton, massachusetts).
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
        say!(
            "{}",
            serde_json::to_string_pretty(&Decision::json_schema())?
        );
        return Ok(exit::OK);
    }
    let lib = library(packs)?;
    let scenario = scenario(&lib, args)?;
    let query = scenario
        .to_query(&lib)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let decision = lib.try_decide(&query)?;
    let ex = lib.explain(&query, &decision);
    let out = Decision::from_explanation(&ex, Detail::Full);
    if args.json {
        say!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        say_raw!("{}", text(&ex, args.all));
    }
    Ok(if out.prohibited {
        exit::PROHIBITED
    } else if !out.settled {
        exit::OPEN
    } else {
        exit::OK
    })
}

fn scenario(lib: &Library, args: &CheckArgs) -> Result<Scenario> {
    let mut s = match &args.file {
        Some(p) => {
            // At most one byte more than a scenario may be, so that a
            // larger input is refused without being held.
            let limit = u64::try_from(trustgate_casebook::MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
            let mut text = String::new();
            if p.as_os_str() == "-" {
                std::io::stdin()
                    .take(limit)
                    .read_to_string(&mut text)
                    .context("reading the scenario from stdin")?;
            } else {
                std::fs::File::open(p)
                    .and_then(|f| f.take(limit).read_to_string(&mut text))
                    .with_context(|| format!("reading {}", p.display()))?;
            }
            let name = p.display().to_string();
            let is_json = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let format = if is_json {
                trustgate_casebook::Format::Json
            } else {
                trustgate_casebook::Format::of(&text)
            };
            trustgate_casebook::parse_scenario_as(&text, format)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?
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
        // Decided only by the words that end a rule's reach: say so.
        let stops = if item.outcome() == trustgate_law::Outcome::Permitted
            && item.deciding().all(|r| r.is_limit())
        {
            ": the rule stops here"
        } else {
            ""
        };
        let _ = writeln!(s, "{} — {word}{stops}{regardless}", item.key());
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
    // What was assumed because the scenario left it out.
    for (f, v) in ex.assumed() {
        let _ = writeln!(
            s,
            "\nAssumed, as it was not given: {} = {} ({})",
            f.name(),
            if v { "yes" } else { "no" },
            f.ask()
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
