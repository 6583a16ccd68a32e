//! The compiled form and the hot path.
//!
//! For each place and each stretch of dates over which the same law versions are
//! in force, the packs are compiled into one [`Rulebook`]: conditions become a
//! flat arena of nodes over bit masks, and each act (or act and field) becomes a
//! *slot* listing the rules that speak to it, exceptions first. Deciding a slot
//! is a few mask tests; the result is a handful of bit masks, so a decision
//! allocates nothing once its buffer has grown.
//!
//! Semantics (prioritised default logic, as the law is written): an exception
//! *applies* only where its own condition holds **and** a rule it excepts (or
//! a limit of that rule) applies — "shall not … except …" qualifies that rule
//! and grants nothing beyond it. A rule is *active* when it applies and no
//! active exception to it does. A *limit* (a `limits:` rule, or an exception
//! without `then:`) marks where a rule stops by the law's own words ("solely",
//! "unless …"): it answers "permitted" only where no other active rule has an
//! effect, so another law's prohibition still decides. The main
//! active rules' effects combine: none → a limit's "permitted", else not addressed; prohibited alone →
//! prohibited; permitted → permitted; required (with or without permitted) →
//! required; prohibited with anything else → a conflict, reported, never
//! resolved. Unknown facts are handled with three-valued logic, then, where the
//! outcome still hangs on them, by trying every value of the facts that matter.

use std::collections::HashMap;

use crate::date::Date;
use crate::load::{Loaded, jurisdiction_covers};
use crate::model::*;
use crate::query::Facts;

/// Three-valued truth for partly known scenarios (Kleene logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    F,
    T,
    U,
}

impl Tri {
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::F, _) | (_, Tri::F) => Tri::F,
            (Tri::T, Tri::T) => Tri::T,
            _ => Tri::U,
        }
    }

    fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::T, _) | (_, Tri::T) => Tri::T,
            (Tri::F, Tri::F) => Tri::F,
            _ => Tri::U,
        }
    }

    fn not(self) -> Tri {
        match self {
            Tri::F => Tri::T,
            Tri::T => Tri::F,
            Tri::U => Tri::U,
        }
    }
}

/// Why the engine could not answer: the query belongs to another library, or
/// the compiled rulebooks contradict themselves. Never a quiet wrong answer:
/// a decision that meets one answers every act "undetermined" and carries it
/// (see [`crate::Decision::violation`]). Copy, so reporting it allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    /// The query was built by another [`crate::Library`]: its place, acts and
    /// facts are that library's indices, which mean other things here.
    #[error("the query was built by another library")]
    ForeignQuery,
    /// An index the compiler guarantees is missing: a bug in the engine.
    #[error("internal invariant violated in the law engine: {0}")]
    InternalInvariantViolation(&'static str),
}

/// Reports a broken internal invariant where the API cannot carry an error:
/// fails in debug builds (tests, property tests, fuzzing); in release the
/// caller falls back to the least harmful answer it names.
macro_rules! invariant {
    ($what:expr) => {
        debug_assert!(
            false,
            "internal invariant violated in the law engine: {}",
            $what
        )
    };
}
pub(crate) use invariant;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Node {
    Const(bool),
    Bool(u8),
    In(u8, u64),
    HasAny(u8, u64),
    HasAll(u8, u64),
    FieldIn(u64),
    Asks(u64),
    Not(u32),
    And(u32, u32),
    Or(u32, u32),
    Def(u32),
}

#[derive(Debug)]
pub(crate) struct CDef {
    pub(crate) version: usize,
    pub(crate) def: usize,
    pub(crate) root: u32,
}

#[derive(Debug)]
pub(crate) struct CRule {
    pub(crate) version: usize,
    pub(crate) rule: usize,
    pub(crate) cond: u32,
    pub(crate) effect: Option<Effect>,
    pub(crate) doubt: Option<u32>,
    pub(crate) reads: u128,
    /// An exception: it speaks only where a rule it excepts (or a limit of one) applies.
    pub(crate) exception: bool,
    /// It only marks where a rule stops: its "permitted" decides only where no
    /// other active rule has an effect.
    pub(crate) limit: bool,
}

#[derive(Debug)]
pub(crate) struct CSlot {
    /// Indices into `Rulebook::rules`, exceptions before the rules they except.
    pub(crate) rules: Vec<u32>,
    /// For each position: the positions holding its exceptions.
    pub(crate) exc: Vec<u64>,
    /// For each position: where it may speak, for an exception: the positions
    /// of the rules it excepts and of their limits (empty for a main rule).
    pub(crate) targets: Vec<u64>,
    /// Per set fact its rules test: the values tested (all that enumeration tries).
    pub(crate) sets: Vec<(u8, u64)>,
    /// The acts its rules test with `asks`.
    pub(crate) asks: u64,
}

impl CSlot {
    fn set_mask(&self, f: usize) -> u64 {
        self.sets
            .iter()
            .find(|(x, _)| usize::from(*x) == f)
            .map_or(0, |(_, m)| *m)
    }
}

#[derive(Debug)]
pub(crate) struct CObligation {
    pub(crate) version: usize,
    pub(crate) obligation: usize,
    pub(crate) cond: u32,
    pub(crate) reads: u128,
}

/// The packs in force at one place over one stretch of dates, compiled.
#[derive(Debug)]
pub(crate) struct Rulebook {
    pub(crate) from: Option<Date>,
    pub(crate) until: Option<Date>,
    pub(crate) versions: Vec<usize>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) defs: Vec<CDef>,
    pub(crate) rules: Vec<CRule>,
    pub(crate) slots: Vec<CSlot>,
    pub(crate) act_base: Vec<u32>,
    pub(crate) obligations: Vec<CObligation>,
    /// Fact types and enumeration sizes, so the hot path needs no schema.
    types: Vec<FactType>,
    enum_lens: Vec<usize>,
}

/// How deep definitions may refer to definitions: keeps evaluation within the stack.
const MAX_DEF_DEPTH: usize = 32;

/// A compile-time problem: (file, offset, message).
pub(crate) type CompileError = (usize, usize, String);

/// Per place: `(first day, rulebook)` sorted by date; `None` is "before every law".
pub(crate) type PlaceIndex = Vec<(Option<Date>, usize)>;

/// Builds every place's rulebooks; `index[place]` lists `(from, rulebook)` by date.
pub(crate) fn build(loaded: &Loaded) -> (Vec<Rulebook>, Vec<PlaceIndex>, Vec<CompileError>) {
    let mut books = Vec::new();
    let mut index = Vec::new();
    let mut errors = Vec::new();
    for place in &loaded.schema.places {
        let relevant: Vec<usize> = (0..loaded.versions.len())
            .filter(|&v| {
                loaded.versions.get(v).is_some_and(|v| {
                    v.meta.status.counts()
                        && jurisdiction_covers(&v.meta.jurisdiction, &place.jurisdiction)
                })
            })
            .collect();
        let mut bounds: Vec<Date> = Vec::new();
        for &v in &relevant {
            if let Some(v) = loaded.versions.get(v) {
                bounds.push(v.meta.effective_from);
                if let Some(u) = v.meta.effective_until {
                    bounds.push(u.succ());
                }
            }
        }
        bounds.sort();
        bounds.dedup();
        let mut starts: Vec<Option<Date>> = vec![None];
        starts.extend(bounds.iter().copied().map(Some));
        let mut entries = Vec::new();
        for (i, start) in starts.iter().enumerate() {
            let until = starts.get(i + 1).copied().flatten().map(Date::pred);
            let in_force: Vec<usize> = match start {
                None => Vec::new(),
                Some(d) => relevant
                    .iter()
                    .copied()
                    .filter(|&v| loaded.versions.get(v).is_some_and(|v| v.in_force(*d)))
                    .collect(),
            };
            let book = compile(loaded, *start, until, in_force, &mut errors);
            entries.push((*start, books.len()));
            books.push(book);
        }
        index.push(entries);
    }
    (books, index, errors)
}

struct Compiler<'a> {
    loaded: &'a Loaded,
    in_force: &'a [usize],
    from: Option<Date>,
    until: Option<Date>,
    nodes: Vec<Node>,
    defs: Vec<CDef>,
    def_reads: Vec<u128>,
    def_index: HashMap<(usize, usize), u32>,
    in_progress: Vec<(usize, usize)>,
    errors: &'a mut Vec<CompileError>,
}

/// The most tests one condition may make once its definitions are expanded.
/// Definitions that use definitions several times multiply; the bound keeps
/// every walk of a condition (deciding, explaining, enumerating) small.
const MAX_EXPANDED: u64 = 10_000;

impl Compiler<'_> {
    /// `root`, or, when its expansion is over [`MAX_EXPANDED`] tests, a
    /// reported error and `false` in its place, so nothing walks it again.
    fn bounded(&mut self, root: u32, file: usize, offset: usize, id: &str) -> u32 {
        let mut memo = HashMap::new();
        if expanded(&self.nodes, &self.defs, root, &mut memo) <= MAX_EXPANDED {
            return root;
        }
        self.errors.push((
            file,
            offset,
            format!("the condition of `{id}` expands to more than {MAX_EXPANDED} tests through its definitions; define the repeated part once and use it once"),
        ));
        self.push(Node::Const(false))
    }

    fn push(&mut self, n: Node) -> u32 {
        self.nodes.push(n);
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }

    fn fact(f: usize) -> u8 {
        u8::try_from(f).unwrap_or(u8::MAX)
    }

    /// Compiles a condition of `version`; returns its root and the facts it reads.
    fn cond(&mut self, version: usize, c: &Cond) -> (u32, u128) {
        match c {
            Cond::Const(b) => (self.push(Node::Const(*b)), 0),
            Cond::Bool(f) => (self.push(Node::Bool(Self::fact(*f))), 1 << f),
            Cond::In(f, m) => (self.push(Node::In(Self::fact(*f), *m)), 1 << f),
            Cond::HasAny(f, m) | Cond::HasAll(f, m) => {
                let n = if matches!(c, Cond::HasAny(..)) {
                    Node::HasAny(Self::fact(*f), *m)
                } else {
                    Node::HasAll(Self::fact(*f), *m)
                };
                (self.push(n), 1 << f)
            }
            Cond::FieldIn(m) => (self.push(Node::FieldIn(*m)), 0),
            Cond::Asks(m) => (self.push(Node::Asks(*m)), 0),
            Cond::Not(a) => {
                let (a, r) = self.cond(version, a);
                (self.push(Node::Not(a)), r)
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                let (a2, ra) = self.cond(version, a);
                let (b2, rb) = self.cond(version, b);
                let n = if matches!(c, Cond::And(..)) {
                    Node::And(a2, b2)
                } else {
                    Node::Or(a2, b2)
                };
                (self.push(n), ra | rb)
            }
            Cond::LocalDef(d) => self.def(version, *d, 0),
            Cond::ExtDef { law, name, offset } => {
                let found = self.in_force.iter().copied().find_map(|v| {
                    let ver = self.loaded.versions.get(v)?;
                    if ver.law != *law {
                        return None;
                    }
                    ver.defs.iter().position(|d| d.id == *name).map(|d| (v, d))
                });
                match found {
                    Some((v, d)) => self.def(v, d, *offset),
                    None => {
                        let file = self.loaded.versions.get(version).map_or(0, |v| v.file);
                        let law_name = self.loaded.laws.get(*law).map_or("?", String::as_str);
                        let when = match (self.from, self.until) {
                            (Some(f), Some(u)) => format!("from {f} to {u}"),
                            (Some(f), None) => format!("from {f}"),
                            _ => "before any law".to_owned(),
                        };
                        self.errors.push((file, *offset, format!("`{law_name}::{name}` is needed {when}, but no version of `{law_name}` in force then defines it")));
                        (self.push(Node::Const(false)), 0)
                    }
                }
            }
        }
    }

    fn def(&mut self, version: usize, d: usize, offset: usize) -> (u32, u128) {
        if let Some(&slot) = self.def_index.get(&(version, d)) {
            let reads = self.def_reads.get(slot as usize).copied().unwrap_or(0);
            return (self.push(Node::Def(slot)), reads);
        }
        if self.in_progress.len() >= MAX_DEF_DEPTH {
            let file = self.loaded.versions.get(version).map_or(0, |v| v.file);
            self.errors.push((
                file,
                offset,
                format!("definitions refer to definitions more than {MAX_DEF_DEPTH} deep"),
            ));
            return (self.push(Node::Const(false)), 0);
        }
        if self.in_progress.contains(&(version, d)) {
            let file = self.loaded.versions.get(version).map_or(0, |v| v.file);
            self.errors.push((
                file,
                offset,
                "definitions across laws refer to each other in a cycle".to_owned(),
            ));
            return (self.push(Node::Const(false)), 0);
        }
        let Some(def) = self
            .loaded
            .versions
            .get(version)
            .and_then(|v| v.defs.get(d))
        else {
            return (self.push(Node::Const(false)), 0);
        };
        self.in_progress.push((version, d));
        let (root, reads) = self.cond(version, &def.means);
        self.in_progress.pop();
        let slot = u32::try_from(self.defs.len()).unwrap_or(u32::MAX);
        self.defs.push(CDef {
            version,
            def: d,
            root,
        });
        self.def_reads.push(reads);
        self.def_index.insert((version, d), slot);
        (self.push(Node::Def(slot)), reads)
    }
}

fn compile(
    loaded: &Loaded,
    from: Option<Date>,
    until: Option<Date>,
    versions: Vec<usize>,
    errors: &mut Vec<CompileError>,
) -> Rulebook {
    let schema = &loaded.schema;
    let mut act_base = Vec::with_capacity(schema.acts.len());
    let mut n_slots = 0u32;
    for a in &schema.acts {
        act_base.push(n_slots);
        n_slots += if a.per_field {
            u32::try_from(schema.field_count()).unwrap_or(0)
        } else {
            1
        };
    }
    let mut c = Compiler {
        loaded,
        in_force: &versions,
        from,
        until,
        nodes: Vec::new(),
        defs: Vec::new(),
        def_reads: Vec::new(),
        def_index: HashMap::new(),
        in_progress: Vec::new(),
        errors,
    };
    let mut rules = Vec::new();
    let mut slot_rules: Vec<Vec<(u32, usize)>> = vec![Vec::new(); n_slots as usize];
    for &v in &versions {
        let Some(ver) = loaded.versions.get(v) else {
            continue;
        };
        let heights = exception_heights(&ver.rules);
        for (ri, r) in ver.rules.iter().enumerate() {
            let (cond, reads) = c.cond(v, &r.when);
            let doubt = match (&r.doubt, &r.doubt_when) {
                (None, _) => None,
                (Some(_), None) => Some(c.push(Node::Const(true))),
                (Some(_), Some(w)) => Some(c.cond(v, w).0),
            };
            let cond = c.bounded(cond, r.file, r.offset, &r.id);
            let doubt = doubt.map(|d| c.bounded(d, r.file, r.offset, &r.id));
            let idx = u32::try_from(rules.len()).unwrap_or(u32::MAX);
            rules.push(CRule {
                version: v,
                rule: ri,
                cond,
                effect: if r.is_limit() {
                    Some(Effect::Permitted)
                } else {
                    r.then
                },
                limit: r.is_limit(),
                doubt,
                reads,
                exception: !r.exception_to.is_empty(),
            });
            let height = heights.get(ri).copied().unwrap_or(0);
            for a in bits(r.acts) {
                let (Some(&base), Some(act)) = (act_base.get(a), schema.acts.get(a)) else {
                    continue;
                };
                if act.per_field {
                    for f in bits(r.fields) {
                        if let Some(s) = slot_rules.get_mut(base as usize + f) {
                            s.push((idx, height));
                        }
                    }
                } else if let Some(s) = slot_rules.get_mut(base as usize) {
                    s.push((idx, height));
                }
            }
        }
    }
    let mut slots = Vec::with_capacity(slot_rules.len());
    for mut sr in slot_rules {
        sr.sort_by_key(|&(idx, h)| (h, idx));
        if sr.len() > MAX_RULES_PER_SLOT
            && let Some(r) = sr.first().and_then(|(i, _)| rules.get(*i as usize))
            && let Some(ver) = loaded.versions.get(r.version)
        {
            let (file, off) = ver
                .rules
                .get(r.rule)
                .map_or((ver.file, 0), |r| (r.file, r.offset));
            c.errors.push((
                file,
                off,
                format!(
                    "{} rules speak to one act at once; at most {MAX_RULES_PER_SLOT} are supported",
                    sr.len()
                ),
            ));
            sr.truncate(MAX_RULES_PER_SLOT);
        }
        let ids: Vec<u32> = sr.iter().map(|&(i, _)| i).collect();
        // `exc`: the exceptions that defeat each position. `targets`: where
        // each exception may speak — the rules it excepts and their limits,
        // so it decides the act on both sides of the line such a rule draws,
        // whatever the facts that rule alone reads.
        let mut exc = vec![0u64; ids.len()];
        let mut targets = vec![0u64; ids.len()];
        for (pos, &ri) in ids.iter().enumerate() {
            let Some(target) = rules.get(ri as usize) else {
                continue;
            };
            for (epos, &ei) in ids.iter().enumerate() {
                let Some(e) = rules.get(ei as usize) else {
                    continue;
                };
                if e.version != target.version {
                    continue;
                }
                let ver = loaded.versions.get(e.version);
                let tr = ver.and_then(|v| v.rules.get(target.rule));
                let Some(er) = ver.and_then(|v| v.rules.get(e.rule)) else {
                    continue;
                };
                if er.exception_to.contains(&target.rule) {
                    if let Some(m) = exc.get_mut(pos) {
                        *m |= 1 << epos;
                    }
                    if let Some(m) = targets.get_mut(epos) {
                        *m |= 1 << pos;
                    }
                } else if tr.is_some_and(|tr| tr.limits.iter().any(|l| er.exception_to.contains(l)))
                    && let Some(m) = targets.get_mut(epos)
                {
                    *m |= 1 << pos;
                }
            }
        }
        let mut sets = Vec::new();
        let mut asks = 0u64;
        for &ri in &ids {
            if let Some(r) = rules.get(ri as usize) {
                set_masks(&c.nodes, &c.defs, r.cond, &mut sets);
                asks |= asks_mask(&c.nodes, &c.defs, r.cond);
            }
        }
        slots.push(CSlot {
            rules: ids,
            exc,
            targets,
            sets,
            asks,
        });
    }
    let mut obligations = Vec::new();
    for &v in &versions {
        let Some(ver) = loaded.versions.get(v) else {
            continue;
        };
        for (oi, o) in ver.obligations.iter().enumerate() {
            let (cond, reads) = c.cond(v, &o.when);
            let cond = c.bounded(cond, ver.file, 0, &o.id);
            obligations.push(CObligation {
                version: v,
                obligation: oi,
                cond,
                reads,
            });
        }
    }
    if obligations.len() > MAX_OBLIGATIONS
        && let Some(ver) = versions.last().and_then(|&v| loaded.versions.get(v))
    {
        c.errors.push((
            ver.file,
            0,
            format!(
                "{} obligations are in force at once; at most {MAX_OBLIGATIONS} are supported",
                obligations.len()
            ),
        ));
        obligations.truncate(MAX_OBLIGATIONS);
    }
    let Compiler { nodes, defs, .. } = c;
    let types = schema.facts.iter().map(|f| f.ty).collect();
    let enum_lens = schema.enums.iter().map(|e| e.values.len()).collect();
    Rulebook {
        from,
        until,
        versions,
        nodes,
        defs,
        rules,
        slots,
        act_base,
        obligations,
        types,
        enum_lens,
    }
}

/// How many tests the condition at `n` makes with its definitions expanded
/// (saturating); each definition is measured once.
fn expanded(nodes: &[Node], defs: &[CDef], n: u32, memo: &mut HashMap<u32, u64>) -> u64 {
    match nodes.get(n as usize) {
        Some(&Node::Not(a)) => expanded(nodes, defs, a, memo).saturating_add(1),
        Some(&(Node::And(a, b) | Node::Or(a, b))) => expanded(nodes, defs, a, memo)
            .saturating_add(expanded(nodes, defs, b, memo))
            .saturating_add(1),
        Some(&Node::Def(d)) => {
            if let Some(&size) = memo.get(&d) {
                return size;
            }
            let size = defs
                .get(d as usize)
                .map_or(1, |def| expanded(nodes, defs, def.root, memo));
            memo.insert(d, size);
            size
        }
        _ => 1,
    }
}

/// The acts tested with `asks` under `n`.
fn asks_mask(nodes: &[Node], defs: &[CDef], n: u32) -> u64 {
    match nodes.get(n as usize) {
        Some(&Node::Asks(m)) => m,
        Some(&Node::Not(a)) => asks_mask(nodes, defs, a),
        Some(&(Node::And(a, b) | Node::Or(a, b))) => {
            asks_mask(nodes, defs, a) | asks_mask(nodes, defs, b)
        }
        Some(&Node::Def(d)) => defs
            .get(d as usize)
            .map_or(0, |d| asks_mask(nodes, defs, d.root)),
        _ => 0,
    }
}

/// Adds the set values tested under `n` to `out`, per fact.
fn set_masks(nodes: &[Node], defs: &[CDef], n: u32, out: &mut Vec<(u8, u64)>) {
    match nodes.get(n as usize) {
        Some(&(Node::HasAny(f, m) | Node::HasAll(f, m))) => {
            match out.iter_mut().find(|(x, _)| *x == f) {
                Some((_, acc)) => *acc |= m,
                None => out.push((f, m)),
            }
        }
        Some(&Node::Not(a)) => set_masks(nodes, defs, a, out),
        Some(&(Node::And(a, b) | Node::Or(a, b))) => {
            set_masks(nodes, defs, a, out);
            set_masks(nodes, defs, b, out);
        }
        Some(&Node::Def(d)) => {
            if let Some(d) = defs.get(d as usize) {
                set_masks(nodes, defs, d.root, out);
            }
        }
        _ => {}
    }
}

/// Height 0 for a rule nothing excepts; otherwise one more than its highest exception.
fn exception_heights(rules: &[Rule]) -> Vec<usize> {
    fn h(i: usize, rules: &[Rule], memo: &mut [Option<usize>], depth: usize) -> usize {
        if let Some(Some(x)) = memo.get(i) {
            return *x;
        }
        if depth > rules.len() {
            return 0; // a cycle; reported by the loader
        }
        let mut best = 0;
        let limits: &[usize] = rules.get(i).map_or(&[], |r| r.limits.as_slice());
        for (e, r) in rules.iter().enumerate() {
            if r.exception_to.contains(&i) || limits.iter().any(|l| r.exception_to.contains(l)) {
                best = best.max(1 + h(e, rules, memo, depth + 1));
            }
        }
        if let Some(m) = memo.get_mut(i) {
            *m = Some(best);
        }
        best
    }
    let mut memo = vec![None; rules.len()];
    (0..rules.len())
        .map(|i| h(i, rules, &mut memo, 0))
        .collect()
}

// ---------------------------------------------------------------- evaluation

/// What one evaluation reads besides the facts: the field in question and the acts asked.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub(crate) facts: &'a Facts,
    pub(crate) field: u64,
    pub(crate) asks: u64,
}

impl Rulebook {
    /// Evaluates node `n`. A missing node is a compiler bug: unknown (never
    /// "false", which would read as "not addressed").
    pub(crate) fn eval(&self, n: u32, cx: &Cx<'_>) -> Tri {
        let Some(node) = self.nodes.get(n as usize) else {
            invariant!("a condition refers to a node that does not exist");
            return Tri::U;
        };
        let known = |f: u8| cx.facts.known & (1u128 << f) != 0;
        let val = |f: u8| cx.facts.vals.get(f as usize).copied().unwrap_or(0);
        let tri = |b: bool| if b { Tri::T } else { Tri::F };
        match *node {
            Node::Const(b) => tri(b),
            Node::Bool(f) => {
                if known(f) {
                    tri(val(f) != 0)
                } else {
                    Tri::U
                }
            }
            Node::In(f, m) => {
                if known(f) {
                    tri((1u64 << (val(f) & 63)) & m != 0)
                } else {
                    Tri::U
                }
            }
            Node::HasAny(f, m) => {
                if known(f) {
                    tri(val(f) & m != 0)
                } else {
                    Tri::U
                }
            }
            Node::HasAll(f, m) => {
                if known(f) {
                    tri(val(f) & m == m)
                } else {
                    Tri::U
                }
            }
            Node::FieldIn(m) => tri(cx.field & m != 0),
            Node::Asks(m) => tri(cx.asks & m != 0),
            Node::Not(a) => self.eval(a, cx).not(),
            Node::And(a, b) => match self.eval(a, cx) {
                Tri::F => Tri::F,
                Tri::T => self.eval(b, cx),
                Tri::U => {
                    if self.eval(b, cx) == Tri::F {
                        Tri::F
                    } else {
                        Tri::U
                    }
                }
            },
            Node::Or(a, b) => match self.eval(a, cx) {
                Tri::T => Tri::T,
                Tri::F => self.eval(b, cx),
                Tri::U => {
                    if self.eval(b, cx) == Tri::T {
                        Tri::T
                    } else {
                        Tri::U
                    }
                }
            },
            Node::Def(d) => match self.defs.get(d as usize) {
                Some(d) => self.eval(d.root, cx),
                None => {
                    invariant!("a condition uses a definition that does not exist");
                    Tri::U
                }
            },
        }
    }

    /// The slot of `act` (and `field`), or `None` where the act has no such
    /// slot: never the next act's slot, whose rules are another act's.
    pub(crate) fn slot(&self, act: usize, field: Option<usize>) -> Option<usize> {
        let base = *self.act_base.get(act)? as usize;
        let end = self
            .act_base
            .get(act + 1)
            .map_or(self.slots.len(), |&b| b as usize);
        let slot = base.checked_add(field.unwrap_or(0))?;
        (slot < end && slot < self.slots.len()).then_some(slot)
    }

    /// The rule at position `pos` of `slot`; `None` (reported in debug builds)
    /// where the slot names a rule the rulebook lacks.
    fn rule_at(&self, slot: &CSlot, pos: usize) -> Option<&CRule> {
        let rule = slot
            .rules
            .get(pos)
            .and_then(|&ri| self.rules.get(ri as usize));
        if rule.is_none() {
            invariant!("a slot lists a rule that does not exist");
        }
        rule
    }

    /// Runs one slot: which rules apply (true / unknown) and which are active.
    pub(crate) fn run_slot(&self, slot: &CSlot, cx: &Cx<'_>) -> SlotRun {
        let mut run = SlotRun::default();
        // Applicability, targets first (they sit after their exceptions): an
        // exception speaks only where a rule it excepts applies.
        let mut app = [Tri::F; MAX_RULES_PER_SLOT];
        for pos in (0..slot.rules.len().min(MAX_RULES_PER_SLOT)).rev() {
            let rule = self.rule_at(slot, pos);
            // A missing rule (a compiler bug) is unknown, never "does not apply".
            let own = rule.map_or(Tri::U, |r| self.eval(r.cond, cx));
            let targets = slot.targets.get(pos).copied().unwrap_or_else(|| {
                invariant!("a slot has fewer targets than rules");
                0
            });
            let scoped = if !rule.is_some_and(|r| r.exception) || own == Tri::F {
                own
            } else {
                // An exception with no rule to except here speaks here not at all.
                let mut any = Tri::F;
                for t in bits(targets) {
                    any = any.or(app.get(t).copied().unwrap_or(Tri::F));
                }
                own.and(any)
            };
            if let Some(a) = app.get_mut(pos) {
                *a = scoped;
            }
        }
        // Activity, exceptions first: active if applicable and no active exception defeats it.
        for (pos, &app) in app.iter().enumerate().take(slot.rules.len()) {
            let bit = 1u64 << pos;
            let ex = slot.exc.get(pos).copied().unwrap_or_else(|| {
                invariant!("a slot has fewer exception masks than rules");
                0
            });
            let defeated = if run.act_t & ex != 0 {
                Tri::T
            } else if run.act_u & ex != 0 {
                Tri::U
            } else {
                Tri::F
            };
            match app {
                Tri::T => run.app_t |= bit,
                Tri::U => run.app_u |= bit,
                Tri::F => {}
            }
            let active = match (app, defeated) {
                (Tri::F, _) | (_, Tri::T) => Tri::F,
                (Tri::T, Tri::F) => Tri::T,
                _ => Tri::U,
            };
            match active {
                Tri::T => run.act_t |= bit,
                Tri::U => run.act_u |= bit,
                Tri::F => {}
            }
        }
        run
    }

    /// The slot at `slot_idx`; `None` (reported in debug builds) where it is missing.
    fn slot_at(&self, slot_idx: usize) -> Option<&CSlot> {
        let slot = self.slots.get(slot_idx);
        if slot.is_none() {
            invariant!("a slot index is out of range");
        }
        slot
    }

    /// The outcome of a slot when every fact it reads is known; undetermined
    /// (never "not addressed") for a missing slot.
    #[cfg(test)]
    pub(crate) fn outcome_known(&self, slot_idx: usize, cx: &Cx<'_>) -> Outcome {
        self.grounds_known(slot_idx, cx).0
    }

    /// With every fact it reads known: the active rules (positions) and the outcome.
    pub(crate) fn active_known(&self, slot_idx: usize, cx: &Cx<'_>) -> (u64, Outcome) {
        let Some(slot) = self.slot_at(slot_idx) else {
            return (0, Outcome::Undetermined);
        };
        let run = self.run_slot(slot, cx);
        if run.act_u != 0 {
            invariant!("a slot decided as known hangs on an unknown");
            return (run.act_t, Outcome::Undetermined);
        }
        (run.act_t, combine(self.effects(slot, run.act_t).0))
    }

    /// With every fact it reads known: the outcome, the deciding positions
    /// and those of them whose reading is in doubt here (what an answer
    /// cites, for the diff).
    pub(crate) fn grounds_known(&self, slot_idx: usize, cx: &Cx<'_>) -> (Outcome, u64, u64) {
        let Some(slot) = self.slot_at(slot_idx) else {
            return (Outcome::Undetermined, 0, 0);
        };
        let run = self.run_slot(slot, cx);
        if run.act_u != 0 {
            invariant!("a slot decided as known hangs on an unknown");
            return (Outcome::Undetermined, 0, 0);
        }
        let (eff, deciding) = self.effects(slot, run.act_t);
        let doubtful = bits(deciding)
            .filter(|&pos| {
                self.rule_at(slot, pos)
                    .and_then(|r| r.doubt)
                    .is_some_and(|d| self.eval(d, cx) != Tri::F)
            })
            .fold(0u64, |m, pos| m | 1 << pos);
        (combine(eff), deciding, doubtful)
    }

    /// The facts an obligation's condition reads, the set values it tests
    /// and the acts it tests with `asks`: its fact space, for the diff.
    pub(crate) fn obligation_reads(&self, o: &CObligation) -> (u128, Vec<(u8, u64)>, u64) {
        let mut sets = Vec::new();
        set_masks(&self.nodes, &self.defs, o.cond, &mut sets);
        (o.reads, sets, asks_mask(&self.nodes, &self.defs, o.cond))
    }

    /// The (law version, rule index) at each position of a slot.
    pub(crate) fn slot_rules(&self, slot_idx: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.slots
            .get(slot_idx)
            .map(|s| s.rules.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&ri| self.rules.get(ri as usize).map(|r| (r.version, r.rule)))
    }

    /// The acts a slot's rules test with `asks`.
    pub(crate) fn slot_asks(&self, slot_idx: usize) -> u64 {
        self.slots.get(slot_idx).map_or(0, |s| s.asks)
    }

    /// The facts a slot's rules read, and the set values they test.
    pub(crate) fn slot_reads(&self, slot_idx: usize) -> (u128, &[(u8, u64)]) {
        let Some(slot) = self.slots.get(slot_idx) else {
            return (0, &[]);
        };
        let reads = slot
            .rules
            .iter()
            .filter_map(|&ri| self.rules.get(ri as usize))
            .fold(0u128, |m, r| m | r.reads);
        (reads, &slot.sets)
    }

    /// The union of effect bits of the main rules in `mask` (positions in
    /// `slot`) and the positions that have them; then the positions of the
    /// limits in `mask`.
    fn effects_split(&self, slot: &CSlot, mask: u64) -> (u8, u64, u64) {
        let mut eff = 0u8;
        let mut with_effect = 0u64;
        let mut limits = 0u64;
        for pos in bits(mask) {
            let Some(r) = self.rule_at(slot, pos) else {
                continue;
            };
            if r.limit {
                limits |= 1 << pos;
            } else if let Some(e) = r.effect {
                eff |= e.bit();
                with_effect |= 1 << pos;
            }
        }
        (eff, with_effect, limits)
    }

    /// The effect bits that decide, and the deciding positions: the main
    /// rules' effects; failing any, a limit's "permitted" (the rule stops here).
    fn effects(&self, slot: &CSlot, mask: u64) -> (u8, u64) {
        let (eff, with_effect, limits) = self.effects_split(slot, mask);
        if eff != 0 {
            (eff, with_effect)
        } else if limits != 0 {
            (Effect::Permitted.bit(), limits)
        } else {
            (0, 0)
        }
    }

    /// Decides one slot. Allocation-free.
    pub(crate) fn decide_slot(
        &self,
        slot_idx: usize,
        cx: &Cx<'_>,
        item: &mut Item,
    ) -> Result<(), DecideError> {
        let slot = self
            .slots
            .get(slot_idx)
            .ok_or(DecideError::InternalInvariantViolation(
                "an act asked has no slot in its rulebook",
            ))?;
        let run = self.run_slot(slot, cx);
        item.app_t = run.app_t;
        item.app_u = run.app_u;
        item.active = run.act_t;
        let (t_eff, t_dec) = self.effects(slot, run.act_t);
        let (t_main, _, _) = self.effects_split(slot, run.act_t);
        let (u_main, _, _) = self.effects_split(slot, run.act_u);
        // Settled when nothing is unknown; or when main rules already decide and
        // the unknown ones could add no other effect (a limit never changes a
        // main rule's answer); or when only limits are in play either way.
        if run.act_u == 0
            || (t_main != 0 && u_main & !t_main == 0 && combine(t_main) != Outcome::Conflict)
            || (t_main == 0 && u_main == 0 && t_eff != 0)
        {
            item.outcome = combine(t_eff);
            item.deciding = t_dec;
            item.regardless = run.act_u != 0;
            item.possible = item.outcome.bit();
            item.possible_exact = true;
            item.tried = 0;
        } else {
            self.enumerate(slot, cx, run, item);
        }
        let mut doubts = 0;
        for pos in bits(item.deciding) {
            let doubt = self.rule_at(slot, pos).and_then(|r| r.doubt);
            if let Some(d) = doubt
                && self.eval(d, cx) != Tri::F
            {
                doubts |= 1 << pos;
            }
        }
        item.doubts = doubts;
        Ok(())
    }

    /// The outcome hangs on unknown facts: try every value of those that matter.
    fn enumerate(&self, slot: &CSlot, cx: &Cx<'_>, run: SlotRun, item: &mut Item) {
        const CAP: usize = 16_384;
        let mut reads = 0u128;
        for pos in bits(run.app_u) {
            if let Some(r) = self.rule_at(slot, pos) {
                reads |= r.reads;
            }
        }
        let unknown = reads & !cx.facts.known;
        // Mixed-radix digits, one per unknown fact that matters.
        let mut facts_of: [u8; 16] = [0; 16];
        let mut radix: [usize; 16] = [0; 16];
        let mut n = 0usize;
        let mut total = 1usize;
        for f in bits128(unknown) {
            let r = self.domain(slot, f);
            if n == facts_of.len() || total.saturating_mul(r) > CAP {
                item.outcome = Outcome::Undetermined;
                item.questions = unknown;
                item.deciding = 0;
                item.possible = self.possible_three_valued(slot, run);
                item.possible_exact = false;
                item.tried = 0;
                return;
            }
            if let (Some(fo), Some(ra)) = (facts_of.get_mut(n), radix.get_mut(n)) {
                *fo = u8::try_from(f).unwrap_or(0);
                *ra = r;
            }
            n += 1;
            total *= r;
        }
        let mut table = [0u8; CAP];
        let mut facts = cx.facts.clone();
        let mut all_active = u64::MAX;
        let mut any_active = 0u64;
        let mut possible = 0u8;
        for (idx, cell) in table.iter_mut().enumerate().take(total) {
            let mut rest = idx;
            for d in 0..n {
                let (f, r) = (
                    facts_of.get(d).copied().unwrap_or(0),
                    radix.get(d).copied().unwrap_or(1),
                );
                let digit = rest % r;
                rest /= r;
                facts.set_raw(f as usize, self.value_for(slot, f as usize, digit));
            }
            let sub = Cx {
                facts: &facts,
                field: cx.field,
                asks: cx.asks,
            };
            let r = self.run_slot(slot, &sub);
            let (eff, dec) = self.effects(slot, r.act_t);
            *cell = combine(eff) as u8;
            possible |= combine(eff).bit();
            all_active &= dec;
            any_active |= dec;
        }
        item.possible = possible;
        item.possible_exact = true;
        item.tried = u32::try_from(total).unwrap_or(u32::MAX);
        let first = table.first().copied().unwrap_or(0);
        if table.iter().take(total).all(|&c| c == first) {
            item.outcome = Outcome::from_u8(first);
            item.deciding = if all_active != 0 {
                all_active
            } else {
                any_active
            };
            item.regardless = true;
            return;
        }
        // A fact matters if changing it alone changes the outcome somewhere.
        let mut questions = 0u128;
        let mut stride = 1usize;
        for d in 0..n {
            let r = radix.get(d).copied().unwrap_or(1);
            let mut matters = false;
            'outer: for idx in 0..total {
                if !(idx / stride).is_multiple_of(r) {
                    continue;
                }
                for k in 1..r {
                    if table.get(idx + k * stride) != table.get(idx) {
                        matters = true;
                        break 'outer;
                    }
                }
            }
            if matters {
                questions |= 1u128 << facts_of.get(d).copied().unwrap_or(0);
            }
            stride *= r;
        }
        item.outcome = Outcome::Undetermined;
        item.questions = questions;
        item.deciding = 0;
    }

    /// The outcomes a slot can still have, from its three-valued run alone,
    /// for when trying every value would cost too much. Kleene logic is
    /// monotone: a rule active (or not) stays so whatever the unknown facts
    /// turn out to be, so every completion's active rules are the known ones
    /// plus some of the unknown ones, and its effects the known effects plus
    /// a subset of the unknown ones' (three bits: at most eight subsets).
    /// It may list an outcome no completion gives; it never leaves one out.
    fn possible_three_valued(&self, slot: &CSlot, run: SlotRun) -> u8 {
        let (t_main, _, t_limits) = self.effects_split(slot, run.act_t);
        let (u_main, _, u_limits) = self.effects_split(slot, run.act_u);
        let mut possible = 0u8;
        let mut sub = u_main;
        loop {
            let eff = t_main | sub;
            possible |= if eff != 0 {
                combine(eff).bit()
            } else if t_limits != 0 {
                Outcome::Permitted.bit()
            } else if u_limits != 0 {
                Outcome::Permitted.bit() | Outcome::NotAddressed.bit()
            } else {
                Outcome::NotAddressed.bit()
            };
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & u_main;
        }
        possible
    }

    /// How many values of fact `f` the slot's rules can tell apart; for a set,
    /// every combination of the values they test (`usize::MAX` when too many).
    fn domain(&self, slot: &CSlot, f: usize) -> usize {
        match self.fact_type(f) {
            Some(FactType::Bool) => 2,
            Some(FactType::Enum(e)) => self.enum_len(e).max(1),
            Some(FactType::Set(_)) => match slot.set_mask(f).count_ones() {
                k @ 0..=20 => 1usize << k,
                _ => usize::MAX,
            },
            None => 1,
        }
    }

    fn value_for(&self, slot: &CSlot, f: usize, digit: usize) -> u64 {
        match self.fact_type(f) {
            Some(FactType::Set(_)) => {
                // Deposit the digit's bits into the positions the slot tests.
                let mut out = 0u64;
                for (i, bit) in bits(slot.set_mask(f)).enumerate() {
                    if digit & (1 << i) != 0 {
                        out |= 1 << bit;
                    }
                }
                out
            }
            _ => digit as u64,
        }
    }

    fn fact_type(&self, f: usize) -> Option<FactType> {
        self.types.get(f).copied()
    }

    fn enum_len(&self, e: usize) -> usize {
        self.enum_lens.get(e).copied().unwrap_or(1)
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SlotRun {
    pub(crate) app_t: u64,
    pub(crate) app_u: u64,
    pub(crate) act_t: u64,
    pub(crate) act_u: u64,
}

/// The answer for one act, or one field of a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Outcome {
    /// A rule in force forbids it.
    Prohibited = 0,
    /// A rule in force allows it expressly (an exception or a savings clause).
    Permitted = 1,
    /// A rule in force requires it.
    Required = 2,
    /// No rule in force speaks to it. Nothing is invented.
    NotAddressed = 3,
    /// Rules in force disagree and neither is an exception to the other.
    Conflict = 4,
    /// The answer depends on facts not yet known; see the questions.
    Undetermined = 5,
}

impl Outcome {
    fn from_u8(b: u8) -> Outcome {
        match b {
            0 => Outcome::Prohibited,
            1 => Outcome::Permitted,
            2 => Outcome::Required,
            3 => Outcome::NotAddressed,
            4 => Outcome::Conflict,
            _ => Outcome::Undetermined,
        }
    }

    /// Its bit in a set of outcomes ([`StillPossible`]).
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// `prohibited`, `permitted`, `required`, `not-addressed`, `conflict` or `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Prohibited => "prohibited",
            Outcome::Permitted => "permitted",
            Outcome::Required => "required",
            Outcome::NotAddressed => "not-addressed",
            Outcome::Conflict => "conflict",
            Outcome::Undetermined => "undetermined",
        }
    }

    /// Parses the words [`Outcome::as_str`] gives.
    pub fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Prohibited,
            Outcome::Permitted,
            Outcome::Required,
            Outcome::NotAddressed,
            Outcome::Conflict,
            Outcome::Undetermined,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

fn combine(eff: u8) -> Outcome {
    match eff {
        0 => Outcome::NotAddressed,
        1 => Outcome::Prohibited,
        2 => Outcome::Permitted,
        4 | 6 => Outcome::Required,
        _ => Outcome::Conflict,
    }
}

/// The outcomes an act (or field) can still have, over every value still
/// possible for the unknown facts it reads: what is safe to do until they
/// are known. Found while deciding, at no extra cost: the engine tries every
/// value of the facts that matter (at most 16,384 completions an item, each
/// one run of the item's rules); beyond that, from the three-valued run alone,
/// which may add an outcome no completion gives but never leaves one out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StillPossible {
    mask: u8,
    exact: bool,
    tried: u32,
}

/// What is safe to do about one act while facts are unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interim {
    /// Prohibited whatever the unknown facts are: do not do it.
    DoNot,
    /// Prohibited (or in conflict) under some of their values: do not do it
    /// until they are known.
    DoNotUntilKnown,
    /// Required whatever they are.
    Must,
    /// Prohibited under none of their values: it may be done; `required_if`
    /// when some value would require it.
    May {
        /// Some value of the unknown facts requires it.
        required_if: bool,
    },
    /// The laws conflict whatever the unknown facts are: ask.
    Conflict,
    /// The engine could not answer (see [`crate::Decision::violation`]).
    Unanswered,
}

impl StillPossible {
    /// Every outcome: what an item holds until it is decided.
    pub(crate) const ANY: u8 = 0b11_1111;

    pub(crate) fn of(item: &Item) -> StillPossible {
        StillPossible {
            mask: item.possible,
            exact: item.possible_exact,
            tried: item.tried,
        }
    }

    /// Whether some value of the unknown facts gives `outcome`.
    pub fn can_be(self, outcome: Outcome) -> bool {
        self.mask & outcome.bit() != 0
    }

    /// The outcomes, in [`Outcome`]'s order.
    pub fn outcomes(self) -> impl Iterator<Item = Outcome> {
        [
            Outcome::Prohibited,
            Outcome::Permitted,
            Outcome::Required,
            Outcome::NotAddressed,
            Outcome::Conflict,
            Outcome::Undetermined,
        ]
        .into_iter()
        .filter(move |o| self.can_be(*o))
    }

    /// `false` when the set may hold outcomes no completion gives (too many
    /// completions to try, or no answer at all); it never lacks one.
    pub fn exact(self) -> bool {
        self.exact
    }

    /// How many completions of the unknown facts were tried (0 when the
    /// three-valued run already settled it, or there were too many).
    pub fn completions_tried(self) -> u32 {
        self.tried
    }

    /// What is safe to do until the unknown facts are known.
    pub fn interim(self) -> Interim {
        let only = |o: Outcome| self.mask == o.bit();
        if self.can_be(Outcome::Undetermined) || self.mask == 0 {
            Interim::Unanswered
        } else if only(Outcome::Prohibited) {
            Interim::DoNot
        } else if only(Outcome::Conflict) {
            Interim::Conflict
        } else if self.can_be(Outcome::Prohibited) || self.can_be(Outcome::Conflict) {
            Interim::DoNotUntilKnown
        } else if only(Outcome::Required) {
            Interim::Must
        } else {
            Interim::May {
                required_if: self.can_be(Outcome::Required),
            }
        }
    }
}

/// One answered act (or field): masks over the slot's rule positions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub(crate) act: u8,
    /// `u8::MAX` when the act is not decided per field.
    pub(crate) field: u8,
    pub(crate) slot: u32,
    pub(crate) outcome: Outcome,
    pub(crate) app_t: u64,
    pub(crate) app_u: u64,
    pub(crate) active: u64,
    pub(crate) deciding: u64,
    pub(crate) doubts: u64,
    pub(crate) questions: u128,
    /// Decided although some facts it reads are unknown: it holds whatever they are.
    pub(crate) regardless: bool,
    /// The outcomes it can still have over every value of the unknown facts
    /// (bits of [`Outcome::bit`]); see [`StillPossible`].
    pub(crate) possible: u8,
    /// `possible` is exactly the outcomes some completion gives (else a superset).
    pub(crate) possible_exact: bool,
    /// How many completions were tried to find `possible` (0: none needed, or too many).
    pub(crate) tried: u32,
}

impl Item {
    pub(crate) fn new(act: u8, field: u8, slot: u32) -> Item {
        Item {
            act,
            field,
            slot,
            outcome: Outcome::NotAddressed,
            app_t: 0,
            app_u: 0,
            active: 0,
            deciding: 0,
            doubts: 0,
            questions: 0,
            regardless: false,
            // Until decided: anything, so nothing reads as safe.
            possible: StillPossible::ANY,
            possible_exact: false,
            tried: 0,
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    /// Two acts: act 0 decided whole (slot 0), act 1 per field over two
    /// fields (slots 1 and 2); slot 0 holds one rule whose condition is node 0.
    fn book(nodes: Vec<Node>) -> Rulebook {
        let slot = |rules: Vec<u32>| CSlot {
            exc: vec![0; rules.len()],
            targets: vec![0; rules.len()],
            rules,
            sets: Vec::new(),
            asks: 0,
        };
        Rulebook {
            from: None,
            until: None,
            versions: Vec::new(),
            nodes,
            defs: Vec::new(),
            rules: vec![CRule {
                version: 0,
                rule: 0,
                cond: 0,
                effect: Some(Effect::Prohibited),
                doubt: None,
                reads: 0,
                exception: false,
                limit: false,
            }],
            slots: vec![slot(vec![0]), slot(Vec::new()), slot(Vec::new())],
            act_base: vec![0, 1],
            obligations: Vec::new(),
            types: Vec::new(),
            enum_lens: Vec::new(),
        }
    }

    fn nothing_known(facts: &Facts) -> Cx<'_> {
        Cx {
            facts,
            field: 0,
            asks: 0,
        }
    }

    #[test]
    fn a_slot_never_reaches_into_another_acts_slots() {
        let rb = book(vec![Node::Const(true)]);
        assert_eq!(rb.slot(0, None), Some(0));
        // Act 0 has no field 1: before, this was slot 1, act 1's rules.
        assert_eq!(rb.slot(0, Some(1)), None);
        assert_eq!(rb.slot(1, Some(0)), Some(1));
        assert_eq!(rb.slot(1, Some(1)), Some(2));
        assert_eq!(rb.slot(1, Some(2)), None);
        assert_eq!(rb.slot(2, None), None);
    }

    #[test]
    fn a_consistent_rulebook_decides() {
        let rb = book(vec![Node::Const(true)]);
        let facts = Facts::unknown();
        let cx = nothing_known(&facts);
        let mut item = Item::new(0, u8::MAX, 0);
        assert_eq!(rb.decide_slot(0, &cx, &mut item), Ok(()));
        assert_eq!(item.outcome, Outcome::Prohibited);
    }

    #[test]
    fn a_missing_slot_is_an_error_not_not_addressed() {
        let rb = book(vec![Node::Const(true)]);
        let facts = Facts::unknown();
        let cx = nothing_known(&facts);
        let mut item = Item::new(0, u8::MAX, 7);
        assert!(matches!(
            rb.decide_slot(7, &cx, &mut item),
            Err(DecideError::InternalInvariantViolation(_))
        ));
    }

    /// A rule whose condition names a node that does not exist: before, it
    /// quietly did not apply ("not addressed"); now debug builds fail loudly.
    #[test]
    #[cfg_attr(
        debug_assertions,
        should_panic(expected = "internal invariant violated")
    )]
    fn a_missing_node_is_loud() {
        let rb = book(Vec::new());
        let facts = Facts::unknown();
        let cx = nothing_known(&facts);
        // Release builds: unknown, never "false".
        assert_eq!(rb.eval(0, &cx), Tri::U);
        assert_ne!(rb.outcome_known(0, &cx), Outcome::NotAddressed);
    }
}
