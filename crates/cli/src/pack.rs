//! `trustgate pack …` and `trustgate facts`: loading packs from the binary or a
//! folder, validating, running the scenario cases, rendering for review.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use trustgate_api::kind;
use trustgate_law::{Library, Source};
use trustgate_place::Place;

use crate::exit;

#[derive(Subcommand)]
pub(crate) enum PackCommand {
    /// Load and check every pack; print each problem as file:line:column.
    Validate,
    /// Run the scenario cases kept with the packs (packs/cases/*.yaml).
    Test {
        /// Run the case files in this folder instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        cases: Option<PathBuf>,
        /// Print every case, not only failures.
        #[arg(long, short)]
        verbose: bool,
        /// Also report every rule and duty, of every law version, that no case
        /// decides; fail when fewer than PERCENT of them are decided (default 100).
        #[arg(long, value_name = "PERCENT", num_args = 0..=1, default_missing_value = "100")]
        coverage: Option<u8>,
    },
    /// Try every scenario at every place and date: rules that never take effect, limits that overlap their rule, and every conflict.
    ///
    /// Exits 1 when a rule never takes effect or a `limits:` rule applies where the
    /// rule it limits applies too (almost always encoding mistakes); conflicts are listed for review, since some are in the law itself.
    Lint,
    /// What changes between two places or dates: the exact scenarios whose answer differs, whose deciding words or doubts differ, and the duties triggered on one side only.
    ///
    /// Each side is PLACE@DATE, e.g. `cambridge@2025-08-03 cambridge@2025-08-04`
    /// (a version of a law against the next) or `cambridge@2026-03-01 boston@2026-03-01`;
    /// `+PROPOSAL` takes a bill as enacted on that side:
    /// `cambridge@2027-03-01 cambridge@2027-03-01+ma-protect-act`.
    Diff {
        /// The first side, PLACE@DATE[+PROPOSAL].
        from: String,
        /// The second side, PLACE@DATE[+PROPOSAL].
        to: String,
        /// Print the diff as JSON (outcomes, grounds, duties, acts skipped).
        #[arg(long)]
        json: bool,
    },
    /// Render packs as HTML pages for review: the law's text with its rules beside it.
    Render {
        /// Write every law version and an index into this folder.
        #[arg(long, value_name = "DIR", conflicts_with = "law")]
        out: Option<PathBuf>,
        /// Print one law (its id, such as cambridge-2.129) to stdout: the version in force on --date, or the latest.
        #[arg(value_name = "LAW")]
        law: Option<String>,
        /// With LAW: the version in force on this date (YYYY-MM-DD).
        #[arg(long, requires = "law")]
        date: Option<String>,
    },
}

/// The pack files: from a folder, or the ones built in.
pub(crate) fn sources(dir: Option<&Path>) -> Result<Vec<(String, String)>> {
    match dir {
        None => Ok(trustgate_packs::law_files()
            .map(|(n, t)| (n.to_owned(), t.to_owned()))
            .collect()),
        Some(d) => {
            let mut files = Vec::new();
            walk(d, "md", &mut files)?;
            files.retain(|p| p.file_name().is_none_or(|n| n != "README.md"));
            if files.is_empty() {
                bail!("no .md pack files under {}", d.display());
            }
            read_all(&files)
        }
    }
}

/// Each file's (path as shown in messages, contents).
fn read_all(paths: &[PathBuf]) -> Result<Vec<(String, String)>> {
    paths
        .iter()
        .map(|p| {
            Ok((
                p.display().to_string(),
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            ))
        })
        .collect()
}

/// The most a pack or case file may hold (the largest is about 100 KB).
const MAX_FILE_BYTES: u64 = 16 << 20;

/// The files named `*.{ext}` under `dir`, and under its folders. What each
/// entry is comes from its metadata (symbolic links followed), never from
/// opening it: opening a FIFO named `x.md` to read it waits for a writer
/// that may never come. Anything but a regular file so named is refused
/// with its path, as is a file too large to be a pack.
fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        let meta = std::fs::metadata(&p).with_context(|| format!("reading {}", p.display()))?;
        let kind = meta.file_type();
        if kind.is_dir() {
            walk(&p, ext, out)?;
        } else if p.extension().is_some_and(|x| x == ext) {
            if !kind.is_file() {
                bail!(
                    "{}: not a regular file ({}); only regular files are read",
                    p.display(),
                    describe(kind)
                );
            }
            if meta.len() > MAX_FILE_BYTES {
                bail!(
                    "{}: {} bytes; a pack or case file is at most {} MiB",
                    p.display(),
                    meta.len(),
                    MAX_FILE_BYTES >> 20
                );
            }
            out.push(p);
        }
    }
    out.sort();
    Ok(())
}

/// What a file that is not a regular file is.
fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "not a file or folder"
}

/// Every place configured with the packs (`place.toml` beside a place's
/// packs): the built-in ones, or those under `dir`.
/// Every `place.toml`: (file name, text), built in or from `dir`.
fn place_tomls(dir: Option<&Path>) -> Result<Vec<(String, String)>> {
    Ok(match dir {
        None => trustgate_packs::place_files()
            .map(|(n, t)| (n.to_owned(), t.to_owned()))
            .collect(),
        Some(d) => {
            let mut files = Vec::new();
            walk(d, "toml", &mut files)?;
            files.retain(|p| p.file_name().is_some_and(|n| n == "place.toml"));
            read_all(&files)?
        }
    })
}

pub(crate) fn places(dir: Option<&Path>) -> Result<Vec<Place>> {
    let files = place_tomls(dir)?;
    files
        .iter()
        .map(|(name, text)| Place::parse(name, text).map_err(|e| anyhow::anyhow!("{e}")))
        .collect()
}

/// The resident pages' words for `place`: trustgate's own catalogues and
/// the place's (`messages/<lang>.ftl` beside its `place.toml`), checked: a
/// message missing in one language is an error at start, at file:line:column.
pub(crate) fn messages(dir: Option<&Path>, place: &str) -> Result<trustgate_messages::Messages> {
    use trustgate_messages::{CatalogueFile, Messages, builtin_files};
    let folder = place_tomls(dir)?
        .iter()
        .find(|(n, t)| Place::parse(n, t).is_ok_and(|p| p.id() == place))
        .and_then(|(n, _)| Path::new(n).parent().map(|f| f.join("messages")))
        .with_context(|| format!("no place.toml configures `{place}`"))?;
    let files: Vec<(String, String)> = match dir {
        None => trustgate_packs::message_files()
            .filter(|(n, _)| Path::new(n).parent() == Some(folder.as_path()))
            .map(|(n, t)| (n.to_owned(), t.to_owned()))
            .collect(),
        Some(_) if !folder.is_dir() => Vec::new(),
        Some(_) => {
            let mut paths = Vec::new();
            walk(&folder, "ftl", &mut paths)?;
            paths.retain(|p| p.parent() == Some(folder.as_path()));
            read_all(&paths)?
        }
    };
    let place_files = files.iter().filter_map(|(n, t)| CatalogueFile::named(n, t));
    // Rebuilt so the product's `'static` files and the place's share a lifetime.
    let product = builtin_files().map(|f| CatalogueFile { ..f });
    Messages::load(product.chain(place_files)).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Which place's records a command keeps.
#[derive(clap::Args, Debug)]
pub(crate) struct PlaceArg {
    /// The place whose records these are (its `place.toml`, beside its law
    /// packs); needed only when more than one place is configured
    /// [setting `place`, env TRUSTGATE_PLACE].
    #[arg(long = "place", value_name = "ID")]
    pub(crate) id: Option<String>,
}

impl PlaceArg {
    /// The place named (the flag, else the settings), or the only one
    /// configured, checked against `lib`.
    pub(crate) fn load(&self, dir: Option<&Path>, lib: &Library) -> Result<Place> {
        let id = self.id.clone().or_else(|| crate::settings::current().place);
        place(dir, lib, id.as_deref())
    }
}

/// The place this server or command works for: the one named, or the only
/// one configured. It must be a place the law library knows.
fn place(dir: Option<&Path>, lib: &Library, wanted: Option<&str>) -> Result<Place> {
    let all = places(dir)?;
    let ids = || {
        all.iter()
            .map(|p| p.id().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let place = match wanted {
        Some(id) => match all.iter().find(|p| p.id() == id) {
            Some(p) => p.clone(),
            None => bail!(
                "--place {id}: no place.toml configures it (configured: {})",
                ids()
            ),
        },
        None => match all.as_slice() {
            [only] => only.clone(),
            [] => bail!("no place is configured: a place.toml belongs beside the place's packs"),
            _ => bail!(
                "several places are configured ({}): say which with --place",
                ids()
            ),
        },
    };
    if !lib.places().any(|p| p.name() == place.id()) {
        bail!(
            "the place `{}` is configured but the law packs do not know it (places: {})",
            place.id(),
            lib.places()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Every question residents ask must be one the law can be asked, on
    // each day a version of the place's laws begins, so none fails later.
    let starts: Vec<trustgate_law::Date> = lib.laws().filter_map(|l| l.effective_from()).collect();
    for q in place.questions() {
        for &day in &starts {
            if let Err(e) = q.query(lib, place.id(), day) {
                bail!(
                    "{}:{}:{}: the question `{}`: {e}",
                    place.file(),
                    q.at.0,
                    q.at.1,
                    q.id
                );
            }
        }
    }
    Ok(place)
}

/// Loads the library, or returns every diagnostic as the error.
pub(crate) fn library(dir: Option<&Path>) -> Result<Library> {
    let files = sources(dir)?;
    let srcs: Vec<Source<'_>> = files
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    Library::load(&srcs).map_err(|e| anyhow::anyhow!("{e}"))
}

pub(crate) fn run(dir: Option<&Path>, cmd: &PackCommand) -> Result<u8> {
    match cmd {
        PackCommand::Validate => {
            let lib = library(dir)?;
            let (mut rules, mut obligations, mut defs) = (0, 0, 0);
            for l in lib.laws() {
                rules += l.rules().len();
                obligations += l.obligations().len();
                defs += l.definitions().len();
            }
            say!(
                "ok: {} law versions, {rules} rules, {defs} definitions, {obligations} obligations",
                lib.laws().count()
            );
            for l in lib.laws() {
                let until = l
                    .effective_until()
                    .map_or_else(|| "…".to_owned(), |d| d.to_string());
                let from = l
                    .effective_from()
                    .map_or_else(String::new, |d| d.to_string());
                say!(
                    "  {:<32} {from} – {until:<10}  {:<6}  {}",
                    l.law(),
                    l.reliability().as_str(),
                    l.file_name()
                );
            }
            Ok(exit::OK)
        }
        PackCommand::Test {
            cases,
            verbose,
            coverage,
        } => {
            let lib = library(dir)?;
            let files: Vec<(String, String)> = match cases {
                None => trustgate_packs::case_files()
                    .map(|(n, t)| (n.to_owned(), t.to_owned()))
                    .collect(),
                Some(d) => {
                    let mut paths = Vec::new();
                    walk(d, "yaml", &mut paths)?;
                    read_all(&paths)?
                }
            };
            let (mut passed, mut failed) = (0, 0);
            let mut decided: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
            for (name, text) in &files {
                for r in trustgate_casebook::run_file(&lib, name, text) {
                    decided.extend(r.decided.iter().cloned());
                    if r.passed() {
                        passed += 1;
                        if *verbose {
                            say!("ok   {}#{} {}", r.file, r.index, r.name);
                        }
                    } else {
                        failed += 1;
                        say!("FAIL {}#{} {}", r.file, r.index, r.name);
                        for f in &r.failures {
                            say!("       {f}");
                        }
                    }
                }
            }
            say!("{passed} passed, {failed} failed");
            let mut short = false;
            if let Some(threshold) = coverage {
                if *threshold > 100 {
                    bail!("--coverage takes a percentage from 0 to 100, found {threshold}");
                }
                let all = trustgate_casebook::coverable(&lib);
                let missed: Vec<&String> = all.iter().filter(|k| !decided.contains(*k)).collect();
                for m in &missed {
                    say!("not decided by any case: {m}");
                }
                let covered = all.len() - missed.len();
                // In tenths of a percent, rounded down: no float, no rounding up to 100.
                let tenths = (covered * 1000).checked_div(all.len()).unwrap_or(1000);
                say!(
                    "coverage: {covered} of {} rules and duties decided by a case ({}.{}%; threshold {threshold}%)",
                    all.len(),
                    tenths / 10,
                    tenths % 10
                );
                short = covered * 100 < usize::from(*threshold) * all.len();
            }
            Ok(if failed == 0 && !short {
                exit::OK
            } else {
                exit::PROHIBITED
            })
        }
        PackCommand::Lint => {
            let lib = library(dir)?;
            let lint = lib.lint();
            let law = print_lint(&lint, None);
            say!(
                "\n{} rules never take effect, {} limits overlap their rule, {} conflict regions, {} acts not tried whole",
                law.0,
                law.1,
                lint.conflicts.len(),
                lint.skipped.len()
            );
            // A proposal's rules are never in force: lint them as they would
            // be, with every proposal taken as enacted, and report what
            // involves a proposal (the conflicts it would create included).
            let mut proposals: Vec<&str> = lib
                .laws()
                .filter(|l| l.is_proposal())
                .map(|l| l.law())
                .collect();
            proposals.dedup();
            let mut what_if = (0, 0);
            if !proposals.is_empty() {
                let enacted = lib
                    .as_if_enacted(&proposals)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                say!("\nas if enacted: {}", proposals.join(", "));
                let lint = enacted.lint();
                what_if = print_lint(&lint, Some(&proposals));
                say!(
                    "\nas if enacted: {} rules never take effect, {} limits overlap their rule",
                    what_if.0,
                    what_if.1
                );
            }
            Ok(if law == (0, 0) && what_if == (0, 0) {
                exit::OK
            } else {
                exit::PROHIBITED
            })
        }
        PackCommand::Diff { from, to, json } => {
            let lib = library(dir)?;
            let (a, b) = (Side::parse(from)?, Side::parse(to)?);
            let (la, lb) = (a.library(&lib)?, b.library(&lib)?);
            let (la, lb) = (la.as_ref().unwrap_or(&lib), lb.as_ref().unwrap_or(&lib));
            let ((pa, da), (pb, db)) = ((&a.place, a.date), (&b.place, b.date));
            let diff = la
                .diff_with(pa, da, lb, pb, db)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let (pa, pb) = (a.to_string(), b.to_string());
            if *json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&diff_json(&pa, &pb, &diff))?
                );
            } else {
                print_diff(&pa, &pb, &diff);
            }
            Ok(exit::OK)
        }
        PackCommand::Render { out, law, date } => {
            let lib = library(dir)?;
            let laws: Vec<_> = lib.laws().collect();
            if let Some(id) = law {
                let mut versions: Vec<_> = laws.iter().filter(|l| l.law() == id).collect();
                if versions.is_empty() {
                    let known: Vec<&str> = laws.iter().map(|l| l.law()).collect();
                    bail!("no law `{id}`; the laws are: {}", known.join(", "));
                }
                versions.sort_by_key(|l| l.effective_from());
                let chosen = match date {
                    None => versions.last().copied(),
                    Some(d) => {
                        let d = trustgate_law::Date::parse(d)
                            .map_err(|e| anyhow::anyhow!("--date: {e}, found `{d}`"))?;
                        versions.iter().copied().find(|l| {
                            l.effective_from().is_some_and(|f| f <= d)
                                && l.effective_until().is_none_or(|u| d <= u)
                        })
                    }
                };
                let Some(chosen) = chosen else {
                    bail!("no version of `{id}` is in force on that date")
                };
                say_raw!("{}", trustgate_render::render_law(chosen));
                return Ok(exit::OK);
            }
            let out = out.clone().unwrap_or_else(|| PathBuf::from("law-pages"));
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for l in &laws {
                let path = out.join(trustgate_render::page_file_name(l));
                std::fs::write(&path, trustgate_render::render_law(l))
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            let index = out.join("index.html");
            std::fs::write(&index, trustgate_render::render_index(&laws))
                .with_context(|| format!("writing {}", index.display()))?;
            say!("wrote {} pages and {}", laws.len(), index.display());
            Ok(exit::OK)
        }
    }
}

pub(crate) fn facts(dir: Option<&Path>, json: bool) -> Result<u8> {
    let lib = library(dir)?;
    if json {
        let facts: Vec<serde_json::Value> = lib
            .facts()
            .map(|f| {
                serde_json::json!({
                    "fact": f.name(),
                    "ask": f.ask(),
                    "kind": kind(f.kind()),
                    "values": f.values().iter().map(|(n, d)| serde_json::json!({"value": n, "means": d})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let acts: Vec<serde_json::Value> = lib.acts().map(|a| serde_json::json!({"act": a.name(), "per_field": a.per_field(), "means": a.means()})).collect();
        let places: Vec<serde_json::Value> = lib.places().map(|p| serde_json::json!({"place": p.name(), "title": p.title(), "jurisdiction": p.jurisdiction(), "note": p.note()})).collect();
        say!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"places": places, "facts": facts, "acts": acts})
            )?
        );
        return Ok(exit::OK);
    }
    say!("Places:");
    for p in lib.places() {
        say!("  {:<14} {}", p.name(), p.title());
    }
    say!("\nFacts (--fact NAME=VALUE; a list is comma-separated):");
    for f in lib.facts() {
        say!("  {} ({})\n      {}", f.name(), kind(f.kind()), f.ask());
        for (v, d) in f.values() {
            say!("      - {v}: {d}");
        }
    }
    say!("\nActs (--act NAME, or --act disclose=FIELD,FIELD):");
    for a in lib.acts() {
        say!("  {:<30} {}", a.name(), a.means());
    }
    Ok(exit::OK)
}

/// Prints a lint's findings (only those involving the laws `only`, when
/// given); returns how many rules never take effect and how many limits
/// overlap their rule.
fn print_lint(lint: &trustgate_law::Lint, only: Option<&[&str]>) -> (usize, usize) {
    let involves = |law: &str| only.is_none_or(|laws| laws.contains(&law));
    let cubes = |when: &[Vec<String>]| -> Vec<String> {
        when.iter()
            .map(|c| {
                if c.is_empty() {
                    "always".to_owned()
                } else {
                    c.join(" and ")
                }
            })
            .collect()
    };
    let mut counts = (0, 0);
    for n in lint.never_apply.iter().filter(|n| involves(&n.law)) {
        counts.0 += 1;
        say!(
            "{}: warning: rule `{}` of {} (version {}) never takes effect: no scenario, at any place or date where it is in force, makes it apply without an exception overriding it",
            n.at,
            n.rule,
            n.law,
            n.version
        );
    }
    for o in lint.limit_overlaps.iter().filter(|o| involves(&o.law)) {
        counts.1 += 1;
        say!(
            "{}: warning: `{}` of {} (version {}) is a limit of `{}` but both decide {} at {} when {}: a limit is the other side of its rule's line, so their conditions must not overlap",
            o.at,
            o.limit,
            o.law,
            o.version,
            o.rule,
            o.key,
            o.place,
            cubes(&o.when).join(", or ")
        );
    }
    for c in &lint.conflicts {
        // Rules are named `law/rule`.
        if !c
            .rules
            .iter()
            .any(|r| involves(r.split_once('/').map_or(r.as_str(), |(l, _)| l)))
        {
            continue;
        }
        let from = c.from.map_or_else(|| "…".to_owned(), |d| d.to_string());
        let until = c.until.map_or_else(|| "…".to_owned(), |d| d.to_string());
        say!(
            "\nconflict at {} from {from} to {until}, {}: {} disagree in {} of {} combinations",
            c.place,
            c.key,
            c.rules.join(" and "),
            c.scenarios,
            c.of
        );
        for cube in cubes(&c.when) {
            say!("    when {cube}");
        }
    }
    if only.is_none() {
        for s in &lint.skipped {
            say!(
                "\n{}: not tried whole ({} combinations)",
                s.key,
                s.combinations
            );
        }
    }
    counts
}

/// One side of `pack diff`: `PLACE@DATE`, or `PLACE@DATE+LAW…` with
/// proposals taken as enacted.
struct Side {
    place: String,
    date: trustgate_law::Date,
    as_if: Vec<String>,
}

impl Side {
    fn parse(s: &str) -> Result<Side> {
        let mut parts = s.split('+');
        let at = parts.next().unwrap_or_default();
        let Some((place, date)) = at.split_once('@') else {
            bail!("`{s}`: expected PLACE@YYYY-MM-DD, or PLACE@YYYY-MM-DD+PROPOSAL")
        };
        let date = trustgate_law::Date::parse(date).map_err(|e| anyhow::anyhow!("`{s}`: {e}"))?;
        Ok(Side {
            place: place.to_owned(),
            date,
            as_if: parts.map(str::to_owned).collect(),
        })
    }

    /// The library this side is decided by: `None` for the law itself.
    fn library(&self, lib: &trustgate_law::Library) -> Result<Option<trustgate_law::Library>> {
        if self.as_if.is_empty() {
            return Ok(None);
        }
        let laws: Vec<&str> = self.as_if.iter().map(String::as_str).collect();
        lib.as_if_enacted(&laws)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on {}", self.place, self.date)?;
        if !self.as_if.is_empty() {
            write!(f, " as if {} were enacted", self.as_if.join(" and "))?;
        }
        Ok(())
    }
}

/// `when A and B, or when C`: a change's conditions, one cube a line.
fn conditions(when: &[Vec<String>]) {
    for cube in when {
        let cond = if cube.is_empty() {
            "always".to_owned()
        } else {
            cube.join(" and ")
        };
        say!("    when {cond}");
    }
}

fn slot_key(act: &str, field: Option<&String>) -> String {
    field.map_or_else(|| act.to_owned(), |f| format!("{act}.{f}"))
}

/// `pack diff` in words.
fn print_diff(from: &str, to: &str, diff: &trustgate_law::LawDiff) {
    say!("{from} → {to}");
    if diff.changes.is_empty() {
        say!("no act's answer changes");
    }
    for c in &diff.changes {
        say!(
            "\n{}: {} → {} in {} of {} combinations of the facts it depends on",
            slot_key(&c.act, c.field.as_ref()),
            c.before.as_str(),
            c.after.as_str(),
            c.scenarios,
            c.of
        );
        conditions(&c.when);
    }
    for g in &diff.grounds {
        say!(
            "\n{}: still {}, but decided by {} instead of {}, in {} of {} combinations",
            slot_key(&g.act, g.field.as_ref()),
            g.outcome.as_str(),
            words(&g.after),
            words(&g.before),
            g.scenarios,
            g.of
        );
        conditions(&g.when);
    }
    for d in &diff.duties {
        say!(
            "\nduty {}/{} ({}): {} in {} of {} combinations: {}",
            d.law,
            d.id,
            d.cite,
            if d.added {
                "newly triggered"
            } else {
                "no longer triggered"
            },
            d.scenarios,
            d.of,
            d.duty
        );
        conditions(&d.when);
    }
    for s in &diff.skipped {
        say!(
            "\n{}: not compared ({} combinations is too many to try)",
            s.key,
            s.combinations
        );
    }
}

fn words(cites: &[String]) -> String {
    if cites.is_empty() {
        "no rule".to_owned()
    } else {
        cites.join("; ")
    }
}

/// `pack diff --json`.
fn diff_json(from: &str, to: &str, diff: &trustgate_law::LawDiff) -> serde_json::Value {
    use serde_json::json;
    json!({
        "from": from,
        "to": to,
        "changes": diff.changes.iter().map(|c| json!({
            "key": slot_key(&c.act, c.field.as_ref()),
            "before": c.before.as_str(),
            "after": c.after.as_str(),
            "scenarios": c.scenarios,
            "of": c.of,
            "when": c.when,
        })).collect::<Vec<_>>(),
        "grounds": diff.grounds.iter().map(|g| json!({
            "key": slot_key(&g.act, g.field.as_ref()),
            "outcome": g.outcome.as_str(),
            "before": g.before,
            "after": g.after,
            "scenarios": g.scenarios,
            "of": g.of,
            "when": g.when,
        })).collect::<Vec<_>>(),
        "duties": diff.duties.iter().map(|d| json!({
            "law": d.law,
            "id": d.id,
            "cite": d.cite,
            "duty": d.duty,
            "change": if d.added { "added" } else { "removed" },
            "scenarios": d.scenarios,
            "of": d.of,
            "when": d.when,
        })).collect::<Vec<_>>(),
        "skipped": diff.skipped.iter().map(|s| json!({
            "key": s.key,
            "combinations": s.combinations,
        })).collect::<Vec<_>>(),
    })
}
