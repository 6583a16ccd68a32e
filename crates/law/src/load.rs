//! Loading: from split documents to the validated model. Every problem becomes a
//! diagnostic at `file:line:column`; nothing here panics on any input.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::diag::{Sink, SourceFile, did_you_mean};
use crate::expr::{self, Expr};
use crate::model::*;
use crate::syntax::{self, Block, Doc, Entry, Line, Spanned};

/// What loading produces before rulebooks are built.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) schema: Schema,
    pub(crate) versions: Vec<Version>,
    /// Law ids, indexed by `Version::law`.
    pub(crate) laws: Vec<String>,
}

struct Ctx<'a> {
    files: &'a [SourceFile],
    sink: &'a mut Sink,
}

impl Ctx<'_> {
    fn err(&mut self, file: usize, offset: usize, msg: impl Into<String>) {
        if let Some(f) = self.files.get(file) {
            self.sink.error(f, file, offset, msg);
        }
    }
    fn err_help(
        &mut self,
        file: usize,
        offset: usize,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        if let Some(f) = self.files.get(file) {
            self.sink.error_help(f, file, offset, msg, help);
        }
    }
}

/// Loads every file; the proposals named in `as_if` count as enacted.
pub(crate) fn load(files: &[SourceFile], as_if: &[String], sink: &mut Sink) -> Loaded {
    let mut cx = Ctx { files, sink };
    let mut docs = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let (doc, errors) = syntax::split(&f.text);
        for (off, msg) in errors {
            cx.err(i, off, msg);
        }
        docs.push(doc);
    }

    let schema = load_schema(&mut cx, &docs);

    // Pack metadata first, so that laws are known before rules refer to them.
    let mut metas: Vec<(usize, Meta, HashMap<String, usize>)> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let has_schema = doc.blocks.iter().any(|b| b.kind.text == "schema");
        let is_pack = doc.front.iter().any(|e| e.key.text == "law");
        if is_pack {
            if let Some((meta, offsets)) = load_meta(&mut cx, i, &doc.front, as_if) {
                metas.push((i, meta, offsets));
            }
        } else if !has_schema {
            cx.err(i, 0, "not a law pack: it needs front matter between `---` lines with `law:`, `jurisdiction:`, `effective-from:` …");
        }
    }

    let mut laws: Vec<String> = Vec::new();
    for (_, m, _) in &metas {
        if !laws.contains(&m.law) {
            laws.push(m.law.clone());
        }
    }
    enact_proposals(&mut metas);
    check_versions(&mut cx, &metas);
    check_jurisdictions(&mut cx, &schema, &metas);

    // Names each law defines, in any version: for `law::name` references.
    let mut law_defs: Vec<Vec<String>> = vec![Vec::new(); laws.len()];
    for (i, _, _) in &metas {
        let Some(doc) = docs.get(*i) else { continue };
        let law_of = metas
            .iter()
            .find(|(f, _, _)| f == i)
            .map(|(_, m, _)| m.law.as_str());
        let Some(li) = laws.iter().position(|l| Some(l.as_str()) == law_of) else {
            continue;
        };
        for b in doc.blocks.iter().filter(|b| b.kind.text == "define") {
            if let Some(id) = block_id(b) {
                law_defs
                    .get_mut(li)
                    .into_iter()
                    .for_each(|v| v.push(id.clone()));
            }
        }
    }

    // Versions in file order; an amendment after the version it amends, so
    // that it can inherit what it does not change.
    let n = metas.len();
    let mut slots: Vec<Option<Version>> = (0..n).map(|_| None).collect();
    let mut pending: Vec<(usize, usize, Meta)> = metas
        .into_iter()
        .enumerate()
        .map(|(i, (file, meta, _))| (i, file, meta))
        .collect();
    while !pending.is_empty() {
        let mut progressed = false;
        let mut rest = Vec::new();
        let unloaded: Vec<(usize, String)> = pending
            .iter()
            .map(|(i, _, m)| (*i, m.law.clone()))
            .collect();
        for (i, file, meta) in pending {
            let base = match meta.amends {
                None => None,
                Some((day, off)) => {
                    let same_law = |v: &Version| v.meta.law == meta.law && v.dated(day);
                    let loaded = slots.iter().position(|s| s.as_ref().is_some_and(same_law));
                    // Another version of the law not loaded yet may be the one.
                    let waiting = unloaded.iter().any(|(j, l)| {
                        *j != i && *l == meta.law && slots.get(*j).is_some_and(Option::is_none)
                    });
                    let base_is_proposal = loaded
                        .and_then(|b| slots.get(b).and_then(Option::as_ref))
                        .is_some_and(|b| b.meta.status != Status::Enacted);
                    match loaded {
                        Some(_) if base_is_proposal && meta.status == Status::Enacted => {
                            cx.err(
                                file,
                                off,
                                format!(
                                    "`amends: {day}`: the version of `{}` in force on {day} is a proposal; law cannot amend a proposal (mark this one `status: proposal` too)",
                                    meta.law
                                ),
                            );
                            None
                        }
                        Some(b) => Some((b, off)),
                        None if waiting => {
                            rest.push((i, file, meta));
                            continue;
                        }
                        None => {
                            cx.err(
                                file,
                                off,
                                format!(
                                    "`amends: {day}`: no version of `{}` is in force on {day}",
                                    meta.law
                                ),
                            );
                            None
                        }
                    }
                }
            };
            let Some(doc) = docs.get(file) else { continue };
            let law = laws.iter().position(|l| *l == meta.law).unwrap_or(0);
            let mut digest = Sha256::new();
            digest.update(files.get(file).map_or(&b""[..], |f| f.text.as_bytes()));
            let base_version = base.and_then(|(b, _)| slots.get(b).and_then(Option::as_ref));
            if let Some(bv) = base_version {
                // What an amendment means depends on the text it amends.
                digest.update(bv.hash.as_bytes());
            }
            let hash = format!("sha256:{}", hex::encode(digest.finalize()));
            let mut v = Version {
                file,
                law,
                meta,
                hash,
                rules: Vec::new(),
                defs: Vec::new(),
                obligations: Vec::new(),
                amends: base.map(|(b, _)| b),
            };
            let inherit = match (base_version, base) {
                (Some(bv), Some((_, off))) => {
                    if bv.meta.effective_from >= v.meta.effective_from {
                        cx.err(file, off, format!("an amendment comes after what it amends: version {} is in force from {}, this one from {}", bv.meta.version, bv.meta.effective_from, v.meta.effective_from));
                    }
                    Some(Inherit {
                        base: bv,
                        offset: off,
                    })
                }
                _ => None,
            };
            load_blocks(&mut cx, &schema, &laws, &law_defs, doc, &mut v, inherit);
            if let Some(s) = slots.get_mut(i) {
                *s = Some(v);
            }
            progressed = true;
        }
        pending = rest;
        if !progressed {
            // Amendments that wait on each other: a cycle, or a base that is itself unloadable.
            for (_, file, meta) in &pending {
                let off = meta.amends.map_or(0, |(_, o)| o);
                cx.err(
                    *file,
                    off,
                    "this amendment and the version it amends wait on each other",
                );
            }
            break;
        }
    }
    let versions: Vec<Version> = slots.into_iter().flatten().collect();
    Loaded {
        schema,
        versions,
        laws,
    }
}

fn block_id(b: &Block) -> Option<String> {
    b.lines
        .iter()
        .find_map(|l| l.text.strip_prefix("id:").map(|v| v.trim().to_owned()))
}

// ---------------------------------------------------------------- schema

fn load_schema(cx: &mut Ctx<'_>, docs: &[Doc]) -> Schema {
    struct Decl<'a> {
        file: usize,
        line: &'a Line,
        attrs: Vec<Entry>,
    }
    let mut decls = Vec::new();
    for (file, doc) in docs.iter().enumerate() {
        for b in doc.blocks.iter().filter(|b| b.kind.text == "schema") {
            let mut i = 0;
            while let Some(line) = b.lines.get(i) {
                i += 1;
                if line.text.trim().is_empty() || line.text.starts_with('#') {
                    continue;
                }
                if line.indent > 0 {
                    cx.err(file, line.offset, "expected a declaration (`enum`, `fact`, `act` or `place`) at the start of the line");
                    continue;
                }
                let mut attr_lines = Vec::new();
                while let Some(l) = b.lines.get(i) {
                    if l.indent == 0 && !l.text.trim().is_empty() {
                        break;
                    }
                    attr_lines.push(l.clone());
                    i += 1;
                }
                let base = attr_lines
                    .iter()
                    .filter(|l| !l.text.trim().is_empty())
                    .map(|l| l.indent)
                    .min()
                    .unwrap_or(0);
                for l in &mut attr_lines {
                    l.indent = l.indent.saturating_sub(base);
                }
                let mut errors = Vec::new();
                let attrs = syntax::entries(&attr_lines, &mut errors);
                for (off, msg) in errors {
                    cx.err(file, off, msg);
                }
                decls.push(Decl { file, line, attrs });
            }
        }
    }

    let mut schema = Schema::default();
    // Enumerations first: facts may name an enumeration declared later.
    for d in &decls {
        let Some(rest) = d.line.text.strip_prefix("enum ") else {
            continue;
        };
        let name = rest.trim().to_owned();
        if schema.enums.iter().any(|e| e.name == name) {
            cx.err(
                d.file,
                d.line.offset,
                format!("enumeration `{name}` is declared twice"),
            );
            continue;
        }
        let values: Vec<(String, String)> = d
            .attrs
            .iter()
            .map(|e| (e.key.text.clone(), e.value.text.clone()))
            .collect();
        for (i, e) in d.attrs.iter().enumerate() {
            if values.iter().take(i).any(|(v, _)| *v == e.key.text) {
                cx.err(
                    d.file,
                    e.key.offset,
                    format!("value `{}` is listed twice in `{name}`", e.key.text),
                );
            }
        }
        if values.is_empty() {
            cx.err(d.file, d.line.offset, format!("enumeration `{name}` has no values; list them indented below, as `value: what it means`"));
        }
        if values.len() > MAX_VALUES {
            cx.err(
                d.file,
                d.line.offset,
                format!(
                    "enumeration `{name}` has {} values; at most {MAX_VALUES} are supported",
                    values.len()
                ),
            );
        }
        // INVARIANT: an enumeration holds at most MAX_VALUES values, so a value
        // index always fits a u64 mask; the excess was reported above.
        let mut values = values;
        values.truncate(MAX_VALUES);
        if name == "field" {
            schema.field_enum = Some(schema.enums.len());
        }
        schema.enums.push(EnumDef { name, values });
    }
    for d in &decls {
        let text = d.line.text.as_str();
        let attr = |key: &str| {
            d.attrs
                .iter()
                .find(|e| e.key.text == key)
                .map(|e| e.value.text.clone())
        };
        let check_attrs = |cx: &mut Ctx<'_>, allowed: &[&str]| {
            for e in &d.attrs {
                if !allowed.contains(&e.key.text.as_str()) {
                    cx.err_help(
                        d.file,
                        e.key.offset,
                        format!("unknown attribute `{}`", e.key.text),
                        did_you_mean(&e.key.text, allowed.iter().copied()),
                    );
                }
            }
        };
        if text.starts_with("enum ") {
            continue;
        } else if let Some(rest) = text.strip_prefix("fact ") {
            check_attrs(cx, &["ask", "assume"]);
            let Some((name, ty)) = rest.split_once(':') else {
                cx.err(d.file, d.line.offset, "expected `fact NAME: TYPE` where TYPE is `bool`, an enumeration, or `set of` an enumeration");
                continue;
            };
            let (name, ty_text) = (name.trim().to_owned(), ty.trim());
            let ty_off = d.line.offset + text.find(ty_text).unwrap_or(0);
            let enum_named = |n: &str| schema.enums.iter().position(|e| e.name == n);
            let ty = if ty_text == "bool" {
                Some(FactType::Bool)
            } else if let Some(inner) = ty_text.strip_prefix("set of ") {
                enum_named(inner.trim()).map(FactType::Set)
            } else {
                enum_named(ty_text).map(FactType::Enum)
            };
            let Some(ty) = ty else {
                let wanted = ty_text.trim_start_matches("set of ").trim();
                let help = did_you_mean(wanted, schema.enums.iter().map(|e| e.name.as_str()));
                cx.err_help(d.file, ty_off, format!("unknown type `{ty_text}`; expected `bool`, an enumeration, or `set of` an enumeration"), help);
                continue;
            };
            if schema.fact(&name).is_some() {
                cx.err(
                    d.file,
                    d.line.offset,
                    format!("fact `{name}` is declared twice"),
                );
                continue;
            }
            let Some(ask) = attr("ask") else {
                cx.err(
                    d.file,
                    d.line.offset,
                    format!(
                        "fact `{name}` needs `ask:`, the question an officer is asked to learn it"
                    ),
                );
                continue;
            };
            let assume = match attr("assume") {
                None => None,
                Some(a) => match (ty, a.as_str()) {
                    (FactType::Bool, "yes") => Some(true),
                    (FactType::Bool, "no") => Some(false),
                    _ => {
                        cx.err(d.file, d.line.offset, format!("`assume:` of `{name}` must be `yes` or `no`, on a yes/no fact; found `{a}`"));
                        None
                    }
                },
            };
            schema.facts.push(FactDef {
                name,
                ty,
                ask,
                assume,
            });
        } else if let Some(rest) = text.strip_prefix("act ") {
            check_attrs(cx, &["means"]);
            let (name, per_field) = match rest.split_once(':') {
                Some((n, kind)) if kind.trim() == "per field" => (n.trim().to_owned(), true),
                Some((_, kind)) => {
                    cx.err(
                        d.file,
                        d.line.offset,
                        format!(
                            "expected `act NAME` or `act NAME: per field`, found `: {}`",
                            kind.trim()
                        ),
                    );
                    continue;
                }
                None => (rest.trim().to_owned(), false),
            };
            if schema.act(&name).is_some() {
                cx.err(
                    d.file,
                    d.line.offset,
                    format!("act `{name}` is declared twice"),
                );
                continue;
            }
            let means = attr("means").unwrap_or_default();
            schema.acts.push(ActDef {
                name,
                per_field,
                means,
            });
        } else if let Some(rest) = text.strip_prefix("place ") {
            check_attrs(cx, &["title", "note"]);
            let Some((name, juris)) = rest.split_once(':') else {
                cx.err(d.file, d.line.offset, "expected `place NAME: JURISDICTION`, such as `place cambridge: us/ma/cambridge`");
                continue;
            };
            if schema.places.iter().any(|p| p.name == name.trim()) {
                cx.err(
                    d.file,
                    d.line.offset,
                    format!("place `{}` is declared twice", name.trim()),
                );
                continue;
            }
            schema.places.push(PlaceDef {
                name: name.trim().to_owned(),
                jurisdiction: juris.trim().to_owned(),
                title: attr("title").unwrap_or_else(|| name.trim().to_owned()),
                note: attr("note"),
            });
        } else {
            let word = text.split_whitespace().next().unwrap_or_default();
            cx.err_help(
                d.file,
                d.line.offset,
                format!("unknown declaration `{word}`; expected `enum`, `fact`, `act` or `place`"),
                did_you_mean(word, ["enum", "fact", "act", "place"]),
            );
        }
    }
    if schema.facts.len() > MAX_FACTS {
        cx.err(
            0,
            0,
            format!(
                "the schema declares {} facts; at most {MAX_FACTS} are supported",
                schema.facts.len()
            ),
        );
        // INVARIANT: fact indices fit a u128 mask; the excess was reported.
        schema.facts.truncate(MAX_FACTS);
    }
    if schema.acts.len() > MAX_ACTS {
        cx.err(
            0,
            0,
            format!(
                "the schema declares {} acts; at most {MAX_ACTS} are supported",
                schema.acts.len()
            ),
        );
        // INVARIANT: act indices fit a u64 mask; the excess was reported.
        schema.acts.truncate(MAX_ACTS);
    }
    if schema.acts.iter().any(|a| a.per_field) && schema.field_enum.is_none() {
        cx.err(0, 0, "an act is declared `per field`, but the schema has no `enum field` listing the data fields");
    }
    schema
}

// ---------------------------------------------------------------- metadata

const META_KEYS: &[&str] = &[
    "law",
    "jurisdiction",
    "instrument",
    "title",
    "version",
    "effective-from",
    "effective-until",
    "source",
    "reliability",
    "note",
    "amends",
    "status",
];

fn load_meta(
    cx: &mut Ctx<'_>,
    file: usize,
    front: &[Entry],
    as_if: &[String],
) -> Option<(Meta, HashMap<String, usize>)> {
    let mut offsets = HashMap::new();
    for e in front {
        if !META_KEYS.contains(&e.key.text.as_str()) {
            cx.err_help(
                file,
                e.key.offset,
                format!("unknown front-matter key `{}`", e.key.text),
                did_you_mean(&e.key.text, META_KEYS.iter().copied()),
            );
        } else if offsets
            .insert(e.key.text.clone(), e.value.offset())
            .is_some()
        {
            cx.err(
                file,
                e.key.offset,
                format!("`{}` is given twice", e.key.text),
            );
        }
    }
    let get = |k: &str| front.iter().find(|e| e.key.text == k);
    let mut ok = true;
    let mut required = |cx: &mut Ctx<'_>, k: &str| -> String {
        match get(k) {
            Some(e) if !e.value.text.is_empty() => e.value.text.clone(),
            _ => {
                ok = false;
                cx.err(file, 0, format!("front matter needs `{k}:`"));
                String::new()
            }
        }
    };
    let law = required(cx, "law");
    let jurisdiction = required(cx, "jurisdiction");
    let instrument = required(cx, "instrument");
    let title = required(cx, "title");
    let version = required(cx, "version");
    required(cx, "effective-from");
    let source = required(cx, "source");
    let rel_text = required(cx, "reliability");
    if !ok {
        return None;
    }
    let date = |cx: &mut Ctx<'_>, e: &Entry| -> Option<Date> {
        // A date may be followed by a remark in parentheses: `2010-01-01 (assumed …)`.
        let t = e.value.text.split_whitespace().next().unwrap_or_default();
        match Date::parse(t) {
            Ok(d) => Some(d),
            Err(err) => {
                cx.err(
                    file,
                    e.value.offset(),
                    format!("`{}`: {err}, found `{t}`", e.key.text),
                );
                None
            }
        }
    };
    let effective_from = get("effective-from").and_then(|e| date(cx, e))?;
    let effective_until = match get("effective-until") {
        Some(e) => Some(date(cx, e)?),
        None => None,
    };
    if let Some(u) = effective_until
        && u < effective_from
    {
        cx.err(
            file,
            offsets.get("effective-until").copied().unwrap_or(0),
            format!("`effective-until` {u} is before `effective-from` {effective_from}"),
        );
    }
    let Some(reliability) = Reliability::parse(&rel_text) else {
        cx.err(
            file,
            offsets.get("reliability").copied().unwrap_or(0),
            format!("`reliability` must be `high`, `medium` or `low`, found `{rel_text}`"),
        );
        return None;
    };
    let note = get("note").map(|e| e.value.text.clone());
    let status = match get("status").map(|e| (e.value.text.as_str(), e.value.offset())) {
        None | Some(("enacted", _)) => Status::Enacted,
        Some(("proposal", _)) if as_if.contains(&law) => Status::AsIfEnacted,
        Some(("proposal", _)) => Status::Proposal,
        Some((other, off)) => {
            cx.err(
                file,
                off,
                format!("`status` must be `enacted` (the default) or `proposal` (a bill or draft, never the law in force), found `{other}`"),
            );
            return None;
        }
    };
    let amends = match get("amends") {
        Some(e) => Some((date(cx, e)?, e.value.offset())),
        None => None,
    };
    Some((
        Meta {
            law,
            jurisdiction,
            instrument,
            title,
            version,
            effective_from,
            effective_until,
            source,
            reliability,
            note,
            amends,
            status,
        },
        offsets,
    ))
}

/// A pack's metadata with its file and the offsets of its front-matter values.
type MetaAt = (usize, Meta, HashMap<String, usize>);

/// A proposal taken as enacted supersedes, from its first day, the law's
/// version then in force: that version ends the day before. (A proposal
/// that is not taken as enacted never overlaps anything: it is not in force.)
fn enact_proposals(metas: &mut [MetaAt]) {
    let enacted: Vec<(String, Date)> = metas
        .iter()
        .filter(|(_, m, _)| m.status == Status::AsIfEnacted)
        .map(|(_, m, _)| (m.law.clone(), m.effective_from))
        .collect();
    for (law, from) in enacted {
        for (_, m, _) in metas.iter_mut() {
            if m.law == law
                && m.status == Status::Enacted
                && m.effective_from < from
                && m.effective_until.is_none_or(|u| u >= from)
            {
                m.effective_until = Some(from.pred());
            }
        }
    }
}

/// Versions of one law in force must not overlap; only versions that count
/// (law, or proposals taken as enacted) are compared.
fn check_versions(cx: &mut Ctx<'_>, metas: &[MetaAt]) {
    let mut by_law: HashMap<&str, Vec<&MetaAt>> = HashMap::new();
    for m in metas.iter().filter(|(_, m, _)| m.status.counts()) {
        by_law.entry(m.1.law.as_str()).or_default().push(m);
    }
    for (law, mut vs) in by_law {
        vs.sort_by_key(|(_, m, _)| m.effective_from);
        for pair in vs.windows(2) {
            let [(_, a, _), (file, b, offs)] = pair else {
                continue;
            };
            if a.jurisdiction != b.jurisdiction {
                cx.err(
                    *file,
                    offs.get("jurisdiction").copied().unwrap_or(0),
                    format!(
                        "versions of `{law}` disagree on the jurisdiction: `{}` and `{}`",
                        a.jurisdiction, b.jurisdiction
                    ),
                );
            }
            if a.effective_until.is_none_or(|u| u >= b.effective_from) {
                let until = a
                    .effective_until
                    .map_or_else(|| "with no end".to_owned(), |u| format!("until {u}"));
                cx.err_help(
                    *file,
                    offs.get("effective-from").copied().unwrap_or(0),
                    format!("versions of `{law}` overlap: version {} is in force from {} {until}, and version {} from {}", a.version, a.effective_from, b.version, b.effective_from),
                    Some(format!("end version {} on {} with `effective-until:`", a.version, b.effective_from.pred())),
                );
            }
        }
    }
}

fn check_jurisdictions(
    cx: &mut Ctx<'_>,
    schema: &Schema,
    metas: &[(usize, Meta, HashMap<String, usize>)],
) {
    for (file, m, offs) in metas {
        if !schema
            .places
            .iter()
            .any(|p| jurisdiction_covers(&m.jurisdiction, &p.jurisdiction))
        {
            let places: Vec<&str> = schema
                .places
                .iter()
                .map(|p| p.jurisdiction.as_str())
                .collect();
            cx.err_help(
                *file,
                offs.get("jurisdiction").copied().unwrap_or(0),
                format!("no place falls under jurisdiction `{}`", m.jurisdiction),
                did_you_mean(&m.jurisdiction, places.iter().copied())
                    .or_else(|| Some(format!("places: {}", places.join(", ")))),
            );
        }
    }
}

/// `us/ma` covers `us/ma/cambridge`; `us/ma/c` does not.
pub(crate) fn jurisdiction_covers(law: &str, place: &str) -> bool {
    place == law
        || place
            .strip_prefix(law)
            .is_some_and(|rest| rest.starts_with('/'))
}

// ---------------------------------------------------------------- blocks

const RULE_KEYS: &[&str] = &[
    "id",
    "cite",
    "quote",
    "explain",
    "acts",
    "fields",
    "when",
    "then",
    "exception-to",
    "limits",
    "doubt",
    "doubt-when",
    "reliability",
];
const DEFINE_KEYS: &[&str] = &["id", "cite", "quote", "explain", "means"];
const OBLIGATION_KEYS: &[&str] = &[
    "id",
    "cite",
    "quote",
    "duty",
    "due",
    "when",
    "reliability",
    "office",
    "performed-by",
];

/// What an amendment inherits: the version it amends, and where `amends:` is
/// written (problems with inherited blocks are reported there).
pub(crate) struct Inherit<'a> {
    base: &'a Version,
    offset: usize,
}

/// Rewrites the definitions a kept condition uses from the amended version's
/// numbering to the amendment's; `None` names a definition the amendment removed.
fn remap_defs(c: &Cond, map: &[Option<usize>], missing: &mut Vec<usize>) -> Cond {
    match c {
        Cond::LocalDef(d) => match map.get(*d).copied().flatten() {
            Some(n) => Cond::LocalDef(n),
            None => {
                missing.push(*d);
                Cond::Const(false)
            }
        },
        Cond::Not(a) => Cond::Not(Box::new(remap_defs(a, map, missing))),
        Cond::And(a, b) => Cond::And(
            Box::new(remap_defs(a, map, missing)),
            Box::new(remap_defs(b, map, missing)),
        ),
        Cond::Or(a, b) => Cond::Or(
            Box::new(remap_defs(a, map, missing)),
            Box::new(remap_defs(b, map, missing)),
        ),
        other => other.clone(),
    }
}

struct BlockCx<'a> {
    schema: &'a Schema,
    laws: &'a [String],
    law_defs: &'a [Vec<String>],
    local_defs: Vec<String>,
    file: usize,
}

fn load_blocks(
    cx: &mut Ctx<'_>,
    schema: &Schema,
    laws: &[String],
    law_defs: &[Vec<String>],
    doc: &Doc,
    v: &mut Version,
    inherit: Option<Inherit<'_>>,
) {
    let file = v.file;
    let mut parsed: Vec<(&Block, Vec<Entry>)> = Vec::new();
    for b in &doc.blocks {
        match b.kind.text.as_str() {
            "rule" | "define" | "obligation" => {
                let mut errors = Vec::new();
                let es = syntax::entries(&b.lines, &mut errors);
                for (off, msg) in errors {
                    cx.err(file, off, msg);
                }
                parsed.push((b, es));
            }
            "schema" => {}
            other => cx.err_help(
                file,
                b.kind.offset,
                format!("unknown block kind `{other}`; a pack's fenced blocks are `rule`, `define` or `obligation`"),
                did_you_mean(other, ["rule", "define", "obligation"]),
            ),
        }
    }

    // An amendment keeps every block of the version it amends whose section
    // it does not rewrite (a section is rewritten by a heading of the same words).
    let rewritten: std::collections::HashSet<&str> = doc
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .filter(|h| !h.is_empty())
        .collect();
    let kept_rules: Vec<&Rule> = inherit
        .as_ref()
        .map(|i| {
            i.base
                .rules
                .iter()
                .filter(|r| !rewritten.contains(r.section.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let kept_defs: Vec<&Def> = inherit
        .as_ref()
        .map(|i| {
            i.base
                .defs
                .iter()
                .filter(|d| !rewritten.contains(d.section.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let kept_obligations: Vec<&Obligation> = inherit
        .as_ref()
        .map(|i| {
            i.base
                .obligations
                .iter()
                .filter(|o| !rewritten.contains(o.section.as_str()))
                .collect()
        })
        .unwrap_or_default();

    // Ids first, so exceptions and definitions may refer forward.
    let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut rule_ids: Vec<String> = Vec::new();
    let mut local_defs = Vec::new();
    for r in &kept_rules {
        ids.insert(r.id.clone());
        rule_ids.push(r.id.clone());
    }
    for d in &kept_defs {
        ids.insert(d.id.clone());
        local_defs.push(d.id.clone());
    }
    for o in &kept_obligations {
        ids.insert(o.id.clone());
    }
    for (b, es) in &parsed {
        let Some(id) = es.iter().find(|e| e.key.text == "id") else {
            cx.err(
                file,
                b.kind.offset,
                format!("this `{}` block has no `id:`", b.kind.text),
            );
            continue;
        };
        if !is_name(&id.value.text) {
            cx.err(
                file,
                id.value.offset(),
                format!(
                    "an id is lower-case letters, digits, `-` and `.`, found `{}`",
                    id.value.text
                ),
            );
        }
        if ids.contains(&id.value.text) {
            cx.err(
                file,
                id.value.offset(),
                format!("id `{}` is used twice in this pack", id.value.text),
            );
        }
        ids.insert(id.value.text.clone());
        match b.kind.text.as_str() {
            "rule" => rule_ids.push(id.value.text.clone()),
            "define" => local_defs.push(id.value.text.clone()),
            _ => {}
        }
    }
    let mut exception_refs: Vec<Vec<(String, usize)>> = Vec::new();
    let mut limit_refs: Vec<Vec<(String, usize)>> = Vec::new();
    if let Some(inh) = &inherit {
        // The kept blocks, their definitions renumbered and their references
        // by name, to be resolved against the amended whole.
        let map: Vec<Option<usize>> = inh
            .base
            .defs
            .iter()
            .map(|d| local_defs.iter().position(|n| *n == d.id))
            .collect();
        let name_of = |t: &usize| inh.base.rules.get(*t).map(|r| (r.id.clone(), inh.offset));
        let report = |cx: &mut Ctx<'_>, id: &str, missing: Vec<usize>| {
            for d in missing {
                let name = inh.base.defs.get(d).map_or("?", |d| d.id.as_str());
                cx.err(file, inh.offset, format!("`{id}`, kept from version {}, uses the definition `{name}`, which this amendment removes; rewrite its section too", inh.base.meta.version));
            }
        };
        for d in &kept_defs {
            let mut missing = Vec::new();
            let mut d2 = (*d).clone();
            d2.means = remap_defs(&d.means, &map, &mut missing);
            report(cx, &d.id, missing);
            v.defs.push(d2);
        }
        for r in &kept_rules {
            let mut missing = Vec::new();
            let mut r2 = (*r).clone();
            r2.when = remap_defs(&r.when, &map, &mut missing);
            r2.doubt_when = r
                .doubt_when
                .as_ref()
                .map(|c| remap_defs(c, &map, &mut missing));
            report(cx, &r.id, missing);
            exception_refs.push(r.exception_to.iter().filter_map(name_of).collect());
            limit_refs.push(r.limits.iter().filter_map(name_of).collect());
            r2.exception_to.clear();
            r2.limits.clear();
            v.rules.push(r2);
        }
        for o in &kept_obligations {
            let mut missing = Vec::new();
            let mut o2 = (*o).clone();
            o2.when = remap_defs(&o.when, &map, &mut missing);
            report(cx, &o.id, missing);
            v.obligations.push(o2);
        }
    }
    let bcx = BlockCx {
        schema,
        laws,
        law_defs,
        local_defs,
        file,
    };

    for (b, es) in &parsed {
        let kind = b.kind.text.as_str();
        let allowed = match kind {
            "rule" => RULE_KEYS,
            "define" => DEFINE_KEYS,
            _ => OBLIGATION_KEYS,
        };
        for (i, e) in es.iter().enumerate() {
            if !allowed.contains(&e.key.text.as_str()) {
                cx.err_help(
                    file,
                    e.key.offset,
                    format!("unknown key `{}` in a `{kind}` block", e.key.text),
                    did_you_mean(&e.key.text, allowed.iter().copied()),
                );
            } else if es.iter().take(i).any(|p| p.key.text == e.key.text) {
                cx.err(
                    file,
                    e.key.offset,
                    format!("`{}` is given twice", e.key.text),
                );
            }
        }
        let get = |k: &str| es.iter().find(|e| e.key.text == k);
        let Some(id) = get("id").map(|e| e.value.text.clone()) else {
            continue;
        };
        let section = doc.sections.get(b.section);
        let cite = match get("cite") {
            Some(e) if !e.value.text.is_empty() => e.value.text.clone(),
            _ => {
                cx.err(
                    file,
                    b.kind.offset,
                    format!(
                        "`{id}` has no `cite:`; every {kind} must name the provision it encodes"
                    ),
                );
                String::new()
            }
        };
        let quote = match get("quote") {
            Some(e) => {
                if !section.is_some_and(|s| syntax::quote_found(&s.prose, &e.value.text)) {
                    let heading = section.map_or("", |s| s.heading.as_str());
                    cx.err(file, e.value.offset(), format!("the quote of `{id}` is not in the law text of its section “{heading}”; quote the words exactly (… marks words left out)"));
                }
                e.value.text.clone()
            }
            None => {
                cx.err(
                    file,
                    b.kind.offset,
                    format!("`{id}` has no `quote:`; give the words of the law it encodes"),
                );
                String::new()
            }
        };
        let reliability = match get("reliability") {
            Some(e) => Reliability::parse(&e.value.text).unwrap_or_else(|| {
                cx.err(
                    file,
                    e.value.offset(),
                    format!(
                        "`reliability` must be `high`, `medium` or `low`, found `{}`",
                        e.value.text
                    ),
                );
                v.meta.reliability
            }),
            None => v.meta.reliability,
        };
        let cond = |cx: &mut Ctx<'_>, bcx: &BlockCx<'_>, key: &str| -> Option<Cond> {
            let e = get(key)?;
            match expr::parse(&e.value) {
                Ok(x) => Some(resolve(cx, bcx, &x)),
                Err((off, msg)) => {
                    cx.err(file, off, msg);
                    Some(Cond::Const(false))
                }
            }
        };
        match kind {
            "define" => {
                let Some(means) = cond(cx, &bcx, "means") else {
                    cx.err(
                        file,
                        b.kind.offset,
                        format!("definition `{id}` needs `means:`, a condition"),
                    );
                    continue;
                };
                let offset = get("id").map_or(0, |e| e.value.offset());
                v.defs.push(Def {
                    section: section.map(|s| s.heading.clone()).unwrap_or_default(),
                    id,
                    cite,
                    quote,
                    means,
                    offset,
                });
            }
            "obligation" => {
                let Some(when) = cond(cx, &bcx, "when") else {
                    cx.err(
                        file,
                        b.kind.offset,
                        format!("obligation `{id}` needs `when:`, the condition that triggers it"),
                    );
                    continue;
                };
                let Some(duty) = get("duty").map(|e| e.value.text.clone()) else {
                    cx.err(
                        file,
                        b.kind.offset,
                        format!(
                            "obligation `{id}` needs `duty:`, what must be done, in plain words"
                        ),
                    );
                    continue;
                };
                let due = get("due").map(|e| e.value.text.clone());
                let office = get("office").and_then(|e| {
                    if is_name(&e.value.text) {
                        Some(e.value.text.clone())
                    } else {
                        cx.err(
                            file,
                            e.value.offset(),
                            format!(
                                "`office` must be the id of one of the place's offices \
                                 (lowercase letters, digits and `-`), found `{}`",
                                e.value.text
                            ),
                        );
                        None
                    }
                });
                let performed_by_recording = match get("performed-by") {
                    None => false,
                    Some(e) if e.value.text == "recording" => true,
                    Some(e) => {
                        cx.err(
                            file,
                            e.value.offset(),
                            format!(
                                "`performed-by` can only be `recording` (the record itself \
                                 performs the duty), found `{}`",
                                e.value.text
                            ),
                        );
                        false
                    }
                };
                v.obligations.push(Obligation {
                    section: section.map(|s| s.heading.clone()).unwrap_or_default(),
                    id,
                    cite,
                    quote,
                    duty,
                    due,
                    when,
                    reliability,
                    office,
                    performed_by_recording,
                });
            }
            _ => {
                let acts_entry = get("acts");
                let mut acts = 0u64;
                let mut any_per_field = false;
                match acts_entry {
                    None => cx.err(
                        file,
                        b.kind.offset,
                        format!("rule `{id}` needs `acts:`, the acts it speaks to"),
                    ),
                    Some(e) => {
                        for (name, off) in list(&e.value) {
                            match schema.act(&name) {
                                Some(a) => {
                                    acts |= 1 << a;
                                    any_per_field |=
                                        schema.acts.get(a).is_some_and(|a| a.per_field);
                                }
                                None => cx.err_help(
                                    file,
                                    off,
                                    format!("unknown act `{name}`"),
                                    did_you_mean(
                                        &name,
                                        schema.acts.iter().map(|a| a.name.as_str()),
                                    ),
                                ),
                            }
                        }
                    }
                }
                let all_fields = if schema.field_count() >= 64 {
                    u64::MAX
                } else {
                    (1u64 << schema.field_count()) - 1
                };
                let fields = match get("fields") {
                    None => all_fields,
                    Some(e) => {
                        if !any_per_field {
                            cx.err(file, e.key.offset, format!("`fields:` applies to acts decided per field; none of the acts of `{id}` is"));
                        }
                        let mut m = 0;
                        for (name, off) in list(&e.value) {
                            match schema.field_enum.and_then(|fe| schema.value(fe, &name)) {
                                Some(f) => m |= 1 << f,
                                None => {
                                    let known = schema
                                        .field_enum
                                        .and_then(|fe| schema.enums.get(fe))
                                        .map(|e| {
                                            e.values
                                                .iter()
                                                .map(|(v, _)| v.as_str())
                                                .collect::<Vec<_>>()
                                        })
                                        .unwrap_or_default();
                                    cx.err_help(
                                        file,
                                        off,
                                        format!("unknown field `{name}`"),
                                        did_you_mean(&name, known),
                                    );
                                }
                            }
                        }
                        m
                    }
                };
                let when = cond(cx, &bcx, "when").unwrap_or(Cond::Const(true));
                let then = match get("then") {
                    None => None,
                    Some(e) => match e.value.text.as_str() {
                        "prohibited" => Some(Effect::Prohibited),
                        "permitted" => Some(Effect::Permitted),
                        "required" => Some(Effect::Required),
                        other => {
                            cx.err_help(file, e.value.offset(), format!("`then` must be `prohibited`, `permitted` or `required`, found `{other}`"), did_you_mean(other, ["prohibited", "permitted", "required"]));
                            None
                        }
                    },
                };
                let exc = get("exception-to")
                    .map(|e| list(&e.value))
                    .unwrap_or_default();
                let lim = get("limits").map(|e| list(&e.value)).unwrap_or_default();
                if then.is_none() && get("then").is_none() && exc.is_empty() && lim.is_empty() {
                    cx.err(file, b.kind.offset, format!("rule `{id}` needs `then:`; only an exception (`exception-to:`) or a limit (`limits:`) may leave it out, and then it answers \"permitted\" only where no other rule decides"));
                }
                if !lim.is_empty() {
                    if !exc.is_empty() {
                        cx.err(file, get("limits").map_or(0, |e| e.key.offset), format!("rule `{id}` has both `limits:` and `exception-to:`; a limit marks where a rule stops, an exception defeats it where it applies: write two rules"));
                    }
                    if let Some(e) = get("then")
                        && then != Some(Effect::Permitted)
                    {
                        cx.err(file, e.value.offset(), format!("a limit (`limits:`) answers only `permitted` (the rule it limits stops here); leave `then:` out or write `permitted`, found `{}`", e.value.text));
                    }
                }
                let doubt = get("doubt").map(|e| e.value.text.clone());
                let doubt_when = cond(cx, &bcx, "doubt-when");
                if doubt_when.is_some() && doubt.is_none() {
                    cx.err(
                        file,
                        get("doubt-when").map_or(0, |e| e.key.offset),
                        format!(
                            "rule `{id}` has `doubt-when:` but no `doubt:` saying what is in doubt"
                        ),
                    );
                }
                let section = section.map(|s| s.heading.clone()).unwrap_or_default();
                let offset = get("id").map_or(0, |e| e.value.offset());
                let explain = get("explain").map(|e| e.value.text.clone());
                // A limit answers "permitted" (weakly: see `Rule::is_limit`).
                let then = if lim.is_empty() {
                    then
                } else {
                    Some(Effect::Permitted)
                };
                v.rules.push(Rule {
                    file,
                    id,
                    cite,
                    quote,
                    explain,
                    section,
                    acts,
                    fields,
                    when,
                    then,
                    exception_to: Vec::new(),
                    limits: Vec::new(),
                    doubt,
                    doubt_when,
                    reliability,
                    offset,
                });
                exception_refs.push(exc);
                limit_refs.push(lim);
            }
        }
    }

    // Exceptions: resolve, check they share an act, and that they form no cycle.
    let rule_index: HashMap<String, usize> = v
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    for (ri, refs) in exception_refs.iter().enumerate() {
        for (name, off) in refs {
            match rule_index.get(name.as_str()).copied() {
                Some(t) if t == ri => cx.err(
                    file,
                    *off,
                    format!("rule `{name}` cannot be an exception to itself"),
                ),
                Some(t) => {
                    let (Some(r), Some(tr)) = (v.rules.get(ri), v.rules.get(t)) else {
                        continue;
                    };
                    let shared_acts = r.acts & tr.acts;
                    let per_field_only =
                        bits(shared_acts).all(|a| schema.acts.get(a).is_some_and(|a| a.per_field));
                    if shared_acts == 0 || (per_field_only && r.fields & tr.fields == 0) {
                        cx.err(file, *off, format!("`{}` is declared an exception to `{name}`, but they speak to no act (or field) in common", r.id));
                    }
                    if let Some(r) = v.rules.get_mut(ri) {
                        r.exception_to.push(t);
                    }
                }
                None => {
                    let help = did_you_mean(name, rule_ids.iter().map(String::as_str));
                    cx.err_help(
                        file,
                        *off,
                        format!("`exception-to` names `{name}`, which is not a rule of this pack"),
                        help,
                    );
                }
            }
        }
    }
    // Limits: each names a main rule of this pack that shares an act with it.
    for (ri, refs) in limit_refs.iter().enumerate() {
        for (name, off) in refs {
            match rule_index.get(name.as_str()).copied() {
                Some(t) if t == ri => {
                    cx.err(file, *off, format!("rule `{name}` cannot limit itself"))
                }
                Some(t) => {
                    let (Some(r), Some(tr)) = (v.rules.get(ri), v.rules.get(t)) else {
                        continue;
                    };
                    let shared_acts = r.acts & tr.acts;
                    let per_field_only =
                        bits(shared_acts).all(|a| schema.acts.get(a).is_some_and(|a| a.per_field));
                    if shared_acts == 0 || (per_field_only && r.fields & tr.fields == 0) {
                        cx.err(file, *off, format!("`{}` is declared a limit of `{name}`, but they speak to no act (or field) in common", r.id));
                    }
                    let target_is_main = tr.then.is_some()
                        && limit_refs.get(t).is_none_or(Vec::is_empty)
                        && exception_refs.get(t).is_none_or(Vec::is_empty);
                    if !target_is_main {
                        cx.err(file, *off, format!("`limits:` names `{name}`, which is itself an exception or a limit; a limit bounds a main rule (one with `then:` and no `exception-to:`)"));
                    }
                    if let Some(r) = v.rules.get_mut(ri) {
                        r.limits.push(t);
                    }
                }
                None => {
                    let help = did_you_mean(name, rule_ids.iter().map(String::as_str));
                    cx.err_help(
                        file,
                        *off,
                        format!("`limits` names `{name}`, which is not a rule of this pack"),
                        help,
                    );
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(v.rules.len(), |i| {
        v.rules
            .get(i)
            .map(|r| r.exception_to.clone())
            .unwrap_or_default()
    }) {
        let names: Vec<&str> = cycle
            .iter()
            .filter_map(|&i| v.rules.get(i).map(|r| r.id.as_str()))
            .collect();
        let first = cycle.first().copied().unwrap_or(0);
        let off = exception_refs
            .get(first)
            .and_then(|r| r.first())
            .map_or(0, |(_, o)| *o);
        cx.err(
            file,
            off,
            format!(
                "{}: {}",
                chain_problem(&cycle, "exceptions"),
                names.join(" → ")
            ),
        );
    }
    let def_edges = |i: usize| {
        let mut out = Vec::new();
        if let Some(d) = v.defs.get(i) {
            def_refs(&d.means, &mut out);
        }
        out
    };
    if let Some(cycle) = find_cycle(v.defs.len(), def_edges) {
        let names: Vec<&str> = cycle
            .iter()
            .filter_map(|&i| v.defs.get(i).map(|d| d.id.as_str()))
            .collect();
        let off = cycle
            .first()
            .and_then(|&i| v.defs.get(i))
            .map_or(0, |d| d.offset);
        cx.err(
            file,
            off,
            format!(
                "{}: {}",
                chain_problem(&cycle, "definitions"),
                names.join(" → ")
            ),
        );
    }
}

fn is_name(s: &str) -> bool {
    s.bytes()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
}

/// A comma-separated list with each item's offset.
fn list(v: &syntax::Value) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for part in v.text.split(',') {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if !t.is_empty() {
            out.push((t.to_owned(), v.offset_of(pos + lead)));
        }
        pos += part.len() + 1;
    }
    out
}

/// Longest chain of exceptions (or of definitions naming definitions) the loader
/// follows; a longer one is reported. Law never nests this deep, and the bound
/// keeps every later walk within the stack.
const MAX_CHAIN: usize = 32;

/// A cycle in the graph `edges`, or a chain longer than [`MAX_CHAIN`], as the
/// nodes along it. Each finished node remembers the longest chain below it, so
/// the order the nodes are written in cannot hide a long chain, and the walk
/// never recurses deeper than `MAX_CHAIN`.
fn find_cycle(n: usize, edges: impl Fn(usize) -> Vec<usize>) -> Option<Vec<usize>> {
    /// 0: not seen; 1: on the stack; 2 + d: done, with the longest chain below it d long.
    fn visit(
        i: usize,
        edges: &dyn Fn(usize) -> Vec<usize>,
        state: &mut [usize],
        stack: &mut Vec<usize>,
    ) -> Result<usize, Vec<usize>> {
        match state.get(i).copied() {
            Some(1) => {
                let start = stack.iter().position(|&s| s == i).unwrap_or(0);
                let mut c: Vec<usize> = stack.get(start..).unwrap_or_default().to_vec();
                c.push(i);
                return Err(c);
            }
            Some(done) if done >= 2 => {
                let below = done - 2;
                if stack.len() + 1 + below > MAX_CHAIN + 1 {
                    let mut c = stack.clone();
                    c.push(i);
                    return Err(c);
                }
                return Ok(below);
            }
            None => return Ok(0),
            _ => {}
        }
        if stack.len() > MAX_CHAIN {
            let mut c = stack.clone();
            c.push(i);
            return Err(c);
        }
        if let Some(s) = state.get_mut(i) {
            *s = 1;
        }
        stack.push(i);
        let mut longest = 0;
        for t in edges(i) {
            longest = longest.max(1 + visit(t, edges, state, stack)?);
        }
        stack.pop();
        if let Some(s) = state.get_mut(i) {
            *s = 2 + longest;
        }
        Ok(longest)
    }
    let mut state = vec![0usize; n];
    (0..n).find_map(|i| visit(i, &edges, &mut state, &mut Vec::new()).err())
}

/// What a found chain is: a cycle (it comes back to its start) or just too long.
fn chain_problem(chain: &[usize], what: &str) -> String {
    if chain.len() > 1 && chain.first() == chain.last() {
        format!("{what} form a cycle")
    } else {
        format!("{what} chain more than {MAX_CHAIN} deep")
    }
}

fn def_refs(c: &Cond, out: &mut Vec<usize>) {
    match c {
        Cond::LocalDef(i) => out.push(*i),
        Cond::Not(a) => def_refs(a, out),
        Cond::And(a, b) | Cond::Or(a, b) => {
            def_refs(a, out);
            def_refs(b, out);
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- conditions

/// The fact named, or a diagnostic with the closest name.
fn known_fact(cx: &mut Ctx<'_>, b: &BlockCx<'_>, fact: &Spanned) -> Option<usize> {
    let found = b.schema.fact(&fact.text);
    if found.is_none() {
        let names = b.schema.facts.iter().map(|f| f.name.as_str());
        cx.err_help(
            b.file,
            fact.offset,
            format!("unknown fact `{}`", fact.text),
            did_you_mean(&fact.text, names),
        );
    }
    found
}

fn resolve(cx: &mut Ctx<'_>, b: &BlockCx<'_>, e: &Expr) -> Cond {
    let file = b.file;
    let schema = b.schema;
    let fact_names = || {
        schema
            .facts
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
    };
    let values = |cx: &mut Ctx<'_>, fact: &Spanned, enum_idx: usize, vals: &[Spanned]| -> u64 {
        let mut mask = 0u64;
        let Some(en) = schema.enums.get(enum_idx) else {
            return 0;
        };
        for v in vals {
            match schema.value(enum_idx, &v.text) {
                Some(i) => mask |= 1 << i,
                None => cx.err_help(
                    file,
                    v.offset,
                    format!(
                        "`{}` is not a value of `{}` (the type of `{}`)",
                        v.text, en.name, fact.text
                    ),
                    did_you_mean(&v.text, en.values.iter().map(|(n, _)| n.as_str())),
                ),
            }
        }
        mask
    };
    match e {
        Expr::Const(c) => Cond::Const(*c),
        Expr::Not(a) => Cond::Not(Box::new(resolve(cx, b, a))),
        Expr::And(x, y) => Cond::And(Box::new(resolve(cx, b, x)), Box::new(resolve(cx, b, y))),
        Expr::Or(x, y) => Cond::Or(Box::new(resolve(cx, b, x)), Box::new(resolve(cx, b, y))),
        Expr::Asks(a) => match schema.act(&a.text) {
            Some(i) => Cond::Asks(1 << i),
            None => {
                cx.err_help(
                    file,
                    a.offset,
                    format!("unknown act `{}`", a.text),
                    did_you_mean(&a.text, schema.acts.iter().map(|a| a.name.as_str())),
                );
                Cond::Const(false)
            }
        },
        Expr::FieldIn(vals) => {
            let Some(fe) = schema.field_enum else {
                cx.err(
                    file,
                    vals.first().map_or(0, |v| v.offset),
                    "`field` is used, but the schema has no `enum field`",
                );
                return Cond::Const(false);
            };
            let field = Spanned {
                text: "field".into(),
                offset: 0,
            };
            Cond::FieldIn(values(cx, &field, fe, vals))
        }
        Expr::Name(n) => {
            if let Some((law, name)) = n.text.split_once("::") {
                let Some(li) = b.laws.iter().position(|l| l == law) else {
                    cx.err_help(
                        file,
                        n.offset,
                        format!("unknown law `{law}`"),
                        did_you_mean(law, b.laws.iter().map(String::as_str)),
                    );
                    return Cond::Const(false);
                };
                let defined = b.law_defs.get(li).map(Vec::as_slice).unwrap_or_default();
                if !defined.iter().any(|d| d == name) {
                    cx.err_help(
                        file,
                        n.offset + law.len() + 2,
                        format!("law `{law}` defines no `{name}`"),
                        did_you_mean(name, defined.iter().map(String::as_str)),
                    );
                    return Cond::Const(false);
                }
                return Cond::ExtDef {
                    law: li,
                    name: name.to_owned(),
                    offset: n.offset,
                };
            }
            if let Some(i) = b.local_defs.iter().position(|d| *d == n.text) {
                return Cond::LocalDef(i);
            }
            match schema
                .fact(&n.text)
                .map(|f| (f, schema.facts.get(f).map(|f| f.ty)))
            {
                Some((f, Some(FactType::Bool))) => Cond::Bool(f),
                Some((_, Some(FactType::Enum(_)))) => {
                    cx.err(
                        file,
                        n.offset,
                        format!(
                            "`{}` is an enumeration; compare it, as in `{} = …` or `{} in {{…}}`",
                            n.text, n.text, n.text
                        ),
                    );
                    Cond::Const(false)
                }
                Some((_, _)) => {
                    cx.err(
                        file,
                        n.offset,
                        format!("`{}` is a set; test it with `{} has {{…}}`", n.text, n.text),
                    );
                    Cond::Const(false)
                }
                None => {
                    let mut known = fact_names();
                    known.extend(b.local_defs.iter().map(String::as_str));
                    cx.err_help(
                        file,
                        n.offset,
                        format!("unknown fact or definition `{}`", n.text),
                        did_you_mean(&n.text, known),
                    );
                    Cond::Const(false)
                }
            }
        }
        Expr::Is {
            fact,
            values: vals,
            negated,
        } => {
            let Some(fi) = known_fact(cx, b, fact) else {
                return Cond::Const(false);
            };
            match schema.facts.get(fi).map(|f| f.ty) {
                Some(FactType::Enum(en)) => {
                    let c = Cond::In(fi, values(cx, fact, en, vals));
                    if *negated { Cond::Not(Box::new(c)) } else { c }
                }
                Some(FactType::Set(_)) => {
                    cx.err(
                        file,
                        fact.offset,
                        format!(
                            "`{}` is a set; test it with `has`, as in `{} has {{…}}`",
                            fact.text, fact.text
                        ),
                    );
                    Cond::Const(false)
                }
                _ => {
                    cx.err(
                        file,
                        fact.offset,
                        format!(
                            "`{}` is yes/no; write `{}` or `not {}`",
                            fact.text, fact.text, fact.text
                        ),
                    );
                    Cond::Const(false)
                }
            }
        }
        Expr::Has {
            fact,
            values: vals,
            all,
        } => {
            let Some(fi) = known_fact(cx, b, fact) else {
                return Cond::Const(false);
            };
            match schema.facts.get(fi).map(|f| f.ty) {
                Some(FactType::Set(en)) => {
                    let m = values(cx, fact, en, vals);
                    if *all {
                        Cond::HasAll(fi, m)
                    } else {
                        Cond::HasAny(fi, m)
                    }
                }
                _ => {
                    cx.err(file, fact.offset, format!("`has` tests a set, but `{}` is not one; write `{} = …` or `{} in {{…}}`", fact.text, fact.text, fact.text));
                    Cond::Const(false)
                }
            }
        }
    }
}
