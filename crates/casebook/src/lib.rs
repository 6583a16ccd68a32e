//! # Scenarios as data
//!
//! Two formats live here, both read from JSON or YAML:
//!
//! * a **scenario**, what `trustgate check` reads: a place, a date, the facts
//!   known, and the acts contemplated ([`Scenario`]);
//! * a **case file**, what `trustgate pack test` runs: scenarios with the
//!   outcome expected for every act and field, the citations that must decide
//!   it, and the obligations it must trigger ([`CaseFile`]).
//!
//! The scenario type itself is the JSON contract's (`trustgate-api`); this crate
//! adds YAML and the case files. Errors name the place in the input by its JSON
//! path (`$.facts.requester`) and line, so a caller always learns where and what.

use std::collections::BTreeMap;

use serde::Deserialize;
pub use trustgate_api::{ActInput, FactInput, InputError, Scenario};
use trustgate_law::{Library, Outcome};

/// The most input read as one scenario or case file (the largest case
/// file is about 23 KB); more is refused before it is parsed.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// How deep YAML may nest (a scenario needs four levels, a case file six),
/// measured before it is parsed: the YAML parser takes worse than quadratic
/// time on deep nesting, and has no limit of its own until after parsing.
/// JSON is read by serde_json, which stops at 128 levels as it goes.
pub const MAX_YAML_DEPTH: usize = 64;

/// How a scenario is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// JSON if the text begins (after spaces) with `{` or `[`; else YAML.
    pub fn of(text: &str) -> Format {
        match without_bom(text).trim_start().as_bytes().first() {
            Some(b'{' | b'[') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses a scenario from JSON or YAML text ([`Format::of`] tells which),
/// naming the JSON path and the line of any problem.
pub fn parse_scenario(text: &str) -> Result<Scenario, InputError> {
    parse_scenario_as(text, Format::of(text))
}

/// Parses a scenario written in `format` (a `.json` file is JSON whatever
/// it begins with).
pub fn parse_scenario_as(text: &str, format: Format) -> Result<Scenario, InputError> {
    match format {
        Format::Json => {
            object_first(text)?;
            parse_json(text)
        }
        Format::Yaml => parse_yaml(text),
    }
}

/// A JSON scenario is an object (serde would also take a struct's fields
/// as an array, `["cambridge", "2026-03-01"]`, which no one means).
fn object_first(text: &str) -> Result<(), InputError> {
    let (mut line, mut column) = (1, 1);
    for c in without_bom(text).chars() {
        match c {
            '{' => return Ok(()),
            '\n' => (line, column) = (line + 1, 1),
            c if c.is_whitespace() => column += 1,
            _ => {
                return Err(InputError {
                    path: format!("$ (line {line}, column {column})"),
                    message: "a scenario in JSON is an object: {\"place\": …, \"date\": …, \"facts\": {…}, \"acts\": {…}}".into(),
                });
            }
        }
    }
    Ok(())
}

fn too_large(text: &str) -> Result<(), InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError {
            path: "$".into(),
            message: format!(
                "the input is larger than {} MiB; a scenario is far smaller",
                MAX_INPUT_BYTES >> 20
            ),
        });
    }
    Ok(())
}

/// serde_json, its recursion limit (128) on: every error at its JSON path,
/// line and column.
fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    too_large(text)?;
    let text = without_bom(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    let at = |path: String, inner: serde_json::Error| InputError {
        path: format!("{path} (line {}, column {})", inner.line(), inner.column()),
        message: trustgate_api::plain(&inner.to_string()),
    };
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = trustgate_api::json_path(&e.path().to_string());
        at(path, e.into_inner())
    })?;
    // Nothing but spaces after the value.
    de.end().map_err(|e| at("$".into(), e))?;
    Ok(value)
}

fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    too_large(text)?;
    yaml_depth(text)?;
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = trustgate_api::json_path(&e.path().to_string());
        let inner = e.into_inner();
        let path = match inner.location() {
            Some(l) => format!("{path} (line {}, column {})", l.line(), l.column()),
            None => path,
        };
        InputError {
            path,
            message: trustgate_api::plain(&inner.to_string()),
        }
    })
}

/// Refuses YAML nested more than [`MAX_YAML_DEPTH`] deep, and anchors and
/// aliases (`&a`, `*a`: an alias repeats what it names, so a few lines can
/// stand for millions of values; scenarios and case files have no use for
/// them), before the parser sees it. One pass over the lines: the depth is
/// the indentation levels open, plus `- ` and `? ` and a key on the line,
/// plus the flow collections (`[`, `{`) open. This can count a little more
/// or less than the parser would (a sequence under a key at the key's own
/// indentation is not counted), never more than twice as deep, which is
/// what matters: the parser's time grows with the depth.
fn yaml_depth(text: &str) -> Result<(), InputError> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Inside a quoted scalar that runs on to the next line.
    let mut quoted: Option<u8> = None;
    // Lines more indented than this belong to a block scalar (`|`, `>`).
    let mut block_scalar: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let at = |col: usize, message: &str| InputError {
            path: format!("$ (line {line_no}, column {})", col + 1),
            message: message.to_owned(),
        };
        let deep = |col: usize| {
            at(
                col,
                &format!("the YAML nests more than {MAX_YAML_DEPTH} levels deep"),
            )
        };
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = bytes.get(indent).is_none_or(|&b| b == b'#');
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut i = 0;
        let mut inline = 0usize;
        // At a place where a value (or a key) may begin.
        let mut value_start = true;
        if quoted.is_none() && flow == 0 {
            if blank || line.starts_with("---") || line.starts_with("...") {
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last().is_none_or(|&top| top < indent) {
                indents.push(indent);
            }
            i = indent;
            // `- - x`, `? key`: each indicator opens a level.
            while let (Some(b'-' | b'?'), next) = (bytes.get(i), bytes.get(i + 1))
                && next.is_none_or(|&c| c == b' ')
            {
                inline += 1;
                if indents.len() + inline > MAX_YAML_DEPTH {
                    return Err(deep(i));
                }
                i += 1;
                while bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            // A key on this line opens one more.
            if has_key(bytes.get(i..).unwrap_or_default()) {
                inline += 1;
                if indents.len() + inline > MAX_YAML_DEPTH {
                    return Err(deep(i));
                }
            }
        }
        while let Some(&b) = bytes.get(i) {
            if let Some(q) = quoted {
                match b {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    _ if b == q => {
                        quoted = None;
                        value_start = false;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            match b {
                b' ' | b'\t' => {}
                b'#' if i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t')) => break,
                b'[' | b'{' if value_start || flow > 0 => {
                    flow += 1;
                    if indents.len() + inline + flow > MAX_YAML_DEPTH {
                        return Err(deep(i));
                    }
                    value_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    value_start = false;
                }
                b',' if flow > 0 => value_start = true,
                b':' if bytes.get(i + 1).is_none_or(|c| b" \t,[]{}".contains(c)) => {
                    value_start = true;
                }
                b'-' | b'?' if value_start && bytes.get(i + 1).is_none_or(|&c| c == b' ') => {
                    // A sequence or key indicator after `key: ` is not YAML;
                    // the parser will say so.
                }
                b'&' | b'*' if value_start => {
                    return Err(at(
                        i,
                        "YAML anchors and aliases (`&name`, `*name`) are not accepted",
                    ));
                }
                b'"' | b'\'' if value_start => quoted = Some(b),
                b'|' | b'>' if value_start && flow == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                _ => value_start = false,
            }
            i += 1;
        }
    }
    Ok(())
}

/// Whether a block line (after its indicators) holds `key:` — a `:`
/// followed by a space or the line's end, outside quotes and before a
/// comment.
fn has_key(rest: &[u8]) -> bool {
    let mut quote: Option<u8> = None;
    for (i, &b) in rest.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i == 0 => quote = Some(b),
            (None, b'#') if i == 0 || rest.get(i - 1) == Some(&b' ') => return false,
            (None, b'[' | b'{') if i == 0 => return false,
            (None, b':') if rest.get(i + 1).is_none_or(|&c| c == b' ') => return true,
            _ => {}
        }
    }
    false
}

// ---------------------------------------------------------------- case files

/// A file of scenario cases kept with the packs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The cases, in order.
    pub cases: Vec<Case>,
}

/// A scenario and what the law must answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows, in a sentence.
    pub name: String,
    /// The scenario.
    #[serde(flatten)]
    pub scenario: Scenario,
    /// `act` or `act.field` → `OUTCOME [doubtful] [by CITE; CITE…]`, or `undetermined asking FACT, FACT`.
    pub expect: BTreeMap<String, String>,
    /// The obligations triggered for certain, by id (all of them; none when left out).
    #[serde(default)]
    pub obligations: Vec<String>,
    /// Proposals (law ids of packs marked `status: proposal`) the case takes
    /// as enacted: what the bill would answer, never what the law is.
    #[serde(default, rename = "as-if-enacted")]
    pub as_if_enacted: Vec<String>,
}

/// Parses a case file.
pub fn parse_cases(text: &str) -> Result<CaseFile, InputError> {
    parse_yaml(text)
}

/// An expectation, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    outcome: Outcome,
    doubtful: bool,
    cites: Vec<String>,
    asking: Vec<String>,
}

fn parse_expected(s: &str) -> Result<Expected, String> {
    let s = s.trim();
    let (word, rest) = s.split_once(' ').unwrap_or((s, ""));
    let outcome = Outcome::parse(word).ok_or_else(|| format!("expected an outcome (prohibited, permitted, required, not-addressed, conflict, undetermined), found `{word}`"))?;
    let mut rest = rest.trim();
    let mut doubtful = false;
    if let Some(r) = rest.strip_prefix("doubtful") {
        doubtful = true;
        rest = r.trim();
    }
    let mut cites = Vec::new();
    let mut asking = Vec::new();
    if let Some(r) = rest.strip_prefix("by ") {
        cites = r
            .split(';')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
    } else if let Some(r) = rest.strip_prefix("asking ") {
        asking = r
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
    } else if !rest.is_empty() {
        return Err(format!(
            "after the outcome expected `doubtful`, `by CITE; …` or `asking FACT, …`, found `{rest}`"
        ));
    }
    let decided = matches!(
        outcome,
        Outcome::Prohibited | Outcome::Permitted | Outcome::Required | Outcome::Conflict
    );
    if decided && cites.is_empty() {
        return Err(format!(
            "`{word}` must say which provisions decide it: `{word} by CITE; CITE`"
        ));
    }
    if outcome == Outcome::Undetermined && asking.is_empty() {
        return Err(
            "`undetermined` must say which facts it asks: `undetermined asking FACT, FACT`".into(),
        );
    }
    Ok(Expected {
        outcome,
        doubtful,
        cites,
        asking,
    })
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case file.
    pub file: String,
    /// The case's position in the file, from 1.
    pub index: usize,
    /// The case's name.
    pub name: String,
    /// Every difference between what was expected and what the engine said.
    pub failures: Vec<String>,
    /// The rules that decided an answer and the duties triggered for certain,
    /// as `law@version#id`: what this case exercises (`pack test --coverage`).
    pub decided: Vec<String>,
}

impl CaseResult {
    /// Whether the engine answered as expected.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every case of one file against the library.
pub fn run_file(lib: &Library, file: &str, text: &str) -> Vec<CaseResult> {
    let cases = match parse_cases(text) {
        Ok(c) => c,
        Err(e) => {
            return vec![CaseResult {
                file: file.to_owned(),
                index: 0,
                name: "(the file itself)".into(),
                failures: vec![e.to_string()],
                decided: Vec::new(),
            }];
        }
    };
    cases
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| run_case(lib, file, i + 1, c))
        .collect()
}

/// Runs one case.
pub fn run_case(lib: &Library, file: &str, index: usize, case: &Case) -> CaseResult {
    let mut failures = Vec::new();
    let result = |failures, decided| CaseResult {
        file: file.to_owned(),
        index,
        name: case.name.clone(),
        failures,
        decided,
    };
    let as_if;
    let lib = if case.as_if_enacted.is_empty() {
        lib
    } else {
        let laws: Vec<&str> = case.as_if_enacted.iter().map(String::as_str).collect();
        as_if = match lib.as_if_enacted(&laws) {
            Ok(l) => l,
            Err(e) => return result(vec![format!("as-if-enacted: {e}")], Vec::new()),
        };
        &as_if
    };
    let query = match case.scenario.to_query(lib) {
        Ok(q) => q,
        Err(e) => return result(vec![e.to_string()], Vec::new()),
    };
    let decision = match lib.try_decide(&query) {
        Ok(d) => d,
        Err(e) => return result(vec![e.to_string()], Vec::new()),
    };
    let ex = lib.explain(&query, &decision);
    let items: Vec<_> = ex.items().collect();
    let mut decided: Vec<String> = Vec::new();
    for item in &items {
        decided.extend(item.deciding().map(|r| coverage_key(r.law(), r.id())));
        let key = item.key();
        let Some(want) = case.expect.get(&key) else {
            failures.push(format!(
                "{key}: no expectation given (the engine says {})",
                describe(item)
            ));
            continue;
        };
        let want = match parse_expected(want) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("$.expect.{key}: {e}"));
                continue;
            }
        };
        let mut cites: Vec<String> = item.deciding().map(|r| r.cite().to_owned()).collect();
        cites.sort();
        cites.dedup();
        let mut want_cites = want.cites.clone();
        want_cites.sort();
        want_cites.dedup();
        let asking: Vec<String> = item
            .questions()
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        let mut want_asking = want.asking.clone();
        want_asking.sort();
        let mut got_asking = asking.clone();
        got_asking.sort();
        let doubtful = !item.doubts().is_empty();
        let ok = item.outcome() == want.outcome
            && doubtful == want.doubtful
            && (want.outcome == Outcome::Undetermined
                || want.outcome == Outcome::NotAddressed
                || cites == want_cites)
            && (want.outcome != Outcome::Undetermined || got_asking == want_asking);
        if !ok {
            failures.push(format!(
                "{key}: expected {}, the engine says {}",
                case.expect.get(&key).map_or("", String::as_str),
                describe(item)
            ));
        }
    }
    for key in case.expect.keys() {
        if !items.iter().any(|i| i.key() == *key) {
            failures.push(format!("$.expect.{key}: not among the acts asked"));
        }
    }
    let mut got: Vec<String> = ex
        .obligations()
        .iter()
        .filter(|o| o.certain())
        .map(|o| o.id().to_owned())
        .collect();
    got.sort();
    got.dedup();
    let mut want = case.obligations.clone();
    want.sort();
    if got != want {
        failures.push(format!(
            "obligations: expected [{}], the engine triggers [{}]",
            want.join(", "),
            got.join(", ")
        ));
    }
    decided.extend(
        ex.obligations()
            .iter()
            .filter(|o| o.certain())
            .map(|o| coverage_key(o.law(), o.id())),
    );
    decided.sort();
    decided.dedup();
    failures.sort();
    result(failures, decided)
}

/// `law@version#id`: one rule or duty of one law version.
pub fn coverage_key(law: trustgate_law::LawView<'_>, id: &str) -> String {
    format!("{}@{}#{id}", law.law(), law.version())
}

/// Every rule and duty of every law version in `lib`, as [`coverage_key`]s,
/// with the file it is written in: what `pack test --coverage` expects some
/// case to decide.
pub fn coverable(lib: &Library) -> Vec<String> {
    let mut out = Vec::new();
    for l in lib.laws() {
        out.extend(l.rules().iter().map(|r| coverage_key(l, r.id())));
        out.extend(l.obligations().iter().map(|o| coverage_key(l, o.id())));
    }
    out
}

/// `prohibited doubtful by 2.129.040(e)` — the same shape as an expectation.
pub fn describe(item: &trustgate_law::ItemView<'_>) -> String {
    let mut s = item.outcome().as_str().to_owned();
    if !item.doubts().is_empty() {
        s.push_str(" doubtful");
    }
    let mut cites: Vec<String> = item.deciding().map(|r| r.cite().to_owned()).collect();
    cites.sort();
    cites.dedup();
    if item.outcome() == Outcome::Undetermined {
        let q: Vec<String> = item
            .questions()
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        s.push_str(&format!(" asking {}", q.join(", ")));
    } else if !cites.is_empty() {
        s.push_str(&format!(" by {}", cites.join("; ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_parse() {
        let e = parse_expected("prohibited doubtful by 2.129.040(e); 2.129.070").unwrap();
        assert_eq!(e.outcome, Outcome::Prohibited);
        assert!(e.doubtful);
        assert_eq!(e.cites, vec!["2.129.040(e)", "2.129.070"]);
        let u = parse_expected("undetermined asking custody, department").unwrap();
        assert_eq!(u.asking, vec!["custody", "department"]);
        assert!(
            parse_expected("prohibited").is_err(),
            "a decided outcome must cite"
        );
        assert!(parse_expected("undetermined").is_err());
        assert!(parse_expected("forbidden by x").is_err());
        assert!(parse_expected("not-addressed").is_ok());
    }

    #[test]
    fn json_and_yaml_are_told_apart_and_json_is_read_as_json() {
        assert_eq!(Format::of("  \n{\"place\": 1}"), Format::Json);
        assert_eq!(Format::of("\u{feff}[1]"), Format::Json);
        assert_eq!(Format::of("place: cambridge"), Format::Yaml);
        let e = parse_scenario("{\"place\": \"cambridge\",\n \"date\": 5}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "$.date (line 2, column 10): invalid type: integer `5`, expected a string"
        );
        let e =
            parse_scenario("{\"place\": \"cambridge\", \"date\": \"2026-01-01\"} x").unwrap_err();
        assert_eq!(e.to_string(), "$ (line 1, column 46): trailing characters");
        let e = parse_scenario_as("\n  place: cambridge", Format::Json).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("$ (line 2, column 3): a scenario in JSON is an object"),
            "{e}"
        );
    }

    #[test]
    fn yaml_is_measured_before_it_is_parsed() {
        let flow = |n: usize| format!("acts: {}{}\n", "[".repeat(n), "]".repeat(n));
        // The key's level, the mapping's, and 62 flow levels: 64.
        assert!(yaml_depth(&flow(62)).is_ok());
        assert_eq!(
            yaml_depth(&flow(63)).unwrap_err().to_string(),
            "$ (line 1, column 69): the YAML nests more than 64 levels deep"
        );
        // Brackets inside words, block scalars however indented, quotes
        // and comments are not nesting.
        let mut ok = String::from("quote: |\n");
        for i in 1..200 {
            ok.push_str(&format!("{}line {i} [\n", " ".repeat(i)));
        }
        ok.push_str("note: a [b {c\nother: \"[[[[\" # [[[[\nlist: ['a[', \"b{\"]\n");
        for _ in 0..100 {
            ok.push_str("more: words [here\n");
        }
        assert_eq!(yaml_depth(&ok), Ok(()));
        let e = yaml_depth("a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "$ (line 1, column 4): YAML anchors and aliases (`&name`, `*name`) are not accepted"
        );
        assert!(yaml_depth("a: [1, *x]\n").is_err());
        assert!(yaml_depth("a: b & c * d\n").is_ok());
        let big = format!("place: x\n#{}\n", " ".repeat(MAX_INPUT_BYTES));
        assert!(
            parse_scenario(&big)
                .unwrap_err()
                .message
                .starts_with("the input is larger than 1 MiB")
        );
    }

    #[test]
    fn scenario_errors_name_the_path() {
        let s =
            parse_scenario("place: cambridge\ndate: 2026-13-01\nacts: {detain: true}\n").unwrap();
        assert_eq!(s.date, "2026-13-01");
        let e = parse_scenario("place: cambridge\ndate: 2026-01-01\nbogus: 1\n").unwrap_err();
        assert!(e.message.contains("unknown field `bogus`"), "{e}");
        assert!(e.path.contains("line 3"), "{e}");
    }
}
