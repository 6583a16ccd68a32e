//! Views that read a [`Decision`](crate::Decision) back into words: the deciding
//! rules with their citations and quotes, every rule weighed and why it did or
//! did not apply, the obligations triggered, and the questions still open.
//! Built on demand, off the hot path.

use crate::date::Date;
use crate::engine::{Cx, Item, Node, Rulebook, StillPossible, Tri};
use crate::model::*;
use crate::query::Query;
use crate::{Decision, Library, Outcome};

/// A decision, read back.
#[derive(Debug, Clone, Copy)]
pub struct Explanation<'a> {
    lib: &'a Library,
    q: &'a Query,
    d: &'a Decision,
}

impl<'a> Explanation<'a> {
    pub(crate) fn new(lib: &'a Library, q: &'a Query, d: &'a Decision) -> Explanation<'a> {
        Explanation { lib, q, d }
    }

    fn rb(&self) -> Option<&'a Rulebook> {
        self.lib.books.get(self.d.rulebook?)
    }

    /// Why the engine could not answer, if it could not (see
    /// [`Decision::violation`]): then no item can be read back.
    pub fn violation(&self) -> Option<crate::DecideError> {
        self.d.violation()
    }

    /// Where the question was asked.
    pub fn place(&self) -> PlaceView<'a> {
        PlaceView::new(self.lib, self.q.place)
    }

    /// When.
    pub fn date(&self) -> Date {
        self.q.date
    }

    /// The stretch of dates over which the same law versions are in force
    /// (`None`: open-ended); the answer holds for any date in it.
    pub fn period(&self) -> (Option<Date>, Option<Date>) {
        self.rb().map_or((None, None), |rb| (rb.from, rb.until))
    }

    /// The law versions that were in force, and so consulted.
    pub fn laws(&self) -> Vec<LawView<'a>> {
        self.rb()
            .map(|rb| {
                rb.versions
                    .iter()
                    .map(|&v| LawView::new(self.lib, v))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One answer per act asked, or per field of a disclosure, in the order
    /// asked. Borrowing, not allocating: reading the citations costs nothing.
    pub fn items(&self) -> impl Iterator<Item = ItemView<'a>> + 'a {
        let (lib, q, rb) = (self.lib, self.q, self.rb());
        let items = match rb {
            Some(_) => self.d.items.as_slice(),
            None => &[],
        };
        items.iter().filter_map(move |item| {
            Some(ItemView {
                lib,
                q,
                rb: rb?,
                item,
            })
        })
    }

    /// Obligations triggered (certain), then those that may be (depending on unknown facts).
    pub fn obligations(&self) -> Vec<ObligationView<'a>> {
        let Some(rb) = self.rb() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (certain, mask) in [(true, self.d.obl_t), (false, self.d.obl_u)] {
            for i in bits(mask) {
                if let Some(o) = rb.obligations.get(i) {
                    let depends = if certain {
                        0
                    } else {
                        o.reads & !self.q.facts.known
                    };
                    out.push(ObligationView {
                        lib: self.lib,
                        version: o.version,
                        idx: o.obligation,
                        certain,
                        depends,
                    });
                }
            }
        }
        out
    }

    /// Every unknown fact whose answer could change an outcome or an obligation:
    /// the questions worth asking next, in schema order.
    pub fn questions(&self) -> Vec<FactView<'a>> {
        let mut m = self.d.obl_questions;
        for i in &self.d.items {
            m |= i.questions;
        }
        bits128(m).map(|f| FactView::new(self.lib, f)).collect()
    }

    /// Facts the scenario left out that took the schema's assumed value
    /// (`assume:`), with that value: the answer holds only if they are so.
    /// Only those a rule or duty weighed here reads.
    pub fn assumed(&self) -> Vec<(FactView<'a>, bool)> {
        let s = &self.lib.loaded.schema;
        let Some(rb) = self.rb() else {
            return Vec::new();
        };
        let mut read = rb.obligations.iter().fold(0u128, |m, o| m | o.reads);
        for i in &self.d.items {
            read |= rb.slot_reads(i.slot as usize).0;
        }
        bits128(self.q.assumed & read)
            .map(|f| {
                let v = s.facts.get(f).and_then(|d| d.assume).unwrap_or(false);
                (FactView::new(self.lib, f), v)
            })
            .collect()
    }

    /// Whether any item is prohibited.
    pub fn any_prohibited(&self) -> bool {
        self.d
            .items
            .iter()
            .any(|i| i.outcome == Outcome::Prohibited)
    }
}

/// Whether a rule's condition held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// It held.
    Yes,
    /// It did not.
    No,
    /// It depends on facts not known.
    Unknown,
}

/// The answer for one act, or one field of a disclosure.
#[derive(Debug, Clone, Copy)]
pub struct ItemView<'a> {
    lib: &'a Library,
    q: &'a Query,
    rb: &'a Rulebook,
    item: &'a Item,
}

impl<'a> ItemView<'a> {
    /// The act.
    pub fn act(&self) -> ActView<'a> {
        ActView::new(self.lib, self.item.act as usize)
    }

    /// The data field, for a disclosure.
    pub fn field(&self) -> Option<(&'a str, &'a str)> {
        if self.item.field == u8::MAX {
            return None;
        }
        let s = &self.lib.loaded.schema;
        let e = s.enums.get(s.field_enum?)?;
        e.values
            .get(self.item.field as usize)
            .map(|(n, d)| (n.as_str(), d.as_str()))
    }

    /// `act` or `act.field`: the key used in test files and JSON.
    pub fn key(&self) -> String {
        match self.field() {
            Some((f, _)) => format!("{}.{f}", self.act().name()),
            None => self.act().name().to_owned(),
        }
    }

    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        self.item.outcome
    }

    /// Decided although some facts it reads are unknown: it holds whatever they are.
    pub fn holds_regardless(&self) -> bool {
        self.item.regardless
    }

    /// The outcomes it can still have over every value still possible for
    /// the unknown facts, and so what is safe to do until they are known.
    pub fn still_possible(&self) -> StillPossible {
        StillPossible::of(self.item)
    }

    fn rule_at(&self, pos: usize) -> Option<RuleView<'a>> {
        let slot = self.rb.slots.get(self.item.slot as usize)?;
        let r = self.rb.rules.get(*slot.rules.get(pos)? as usize)?;
        Some(RuleView {
            lib: self.lib,
            version: r.version,
            rule: r.rule,
        })
    }

    /// The rules that decided it (several when laws concur; those in conflict).
    pub fn deciding(&self) -> impl Iterator<Item = RuleView<'a>> + 'a {
        let this = *self;
        bits(self.item.deciding).filter_map(move |p| this.rule_at(p))
    }

    /// Deciding rules whose reading is in doubt here, with the doubt.
    pub fn doubts(&self) -> Vec<(RuleView<'a>, &'a str)> {
        bits(self.item.doubts)
            .filter_map(|p| self.rule_at(p))
            .filter_map(|r| r.doubt().map(|d| (r, d)))
            .collect()
    }

    /// The lowest reliability among the deciding rules.
    pub fn reliability(&self) -> Option<Reliability> {
        self.deciding().map(|r| r.reliability()).max()
    }

    /// Facts not known whose answer would settle an undetermined outcome.
    pub fn questions(&self) -> Vec<FactView<'a>> {
        bits128(self.item.questions)
            .map(|f| FactView::new(self.lib, f))
            .collect()
    }

    /// Every rule that speaks to this act or field, and how it fared.
    pub fn weighed(&self) -> Vec<Weighed<'a>> {
        let Some(slot) = self.rb.slots.get(self.item.slot as usize) else {
            return Vec::new();
        };
        let field = if self.item.field == u8::MAX {
            0
        } else {
            1u64 << self.item.field
        };
        let cx = Cx {
            facts: &self.q.facts,
            field,
            asks: self.q.asks_mask,
        };
        let mut out = Vec::new();
        for (pos, &ri) in slot.rules.iter().enumerate() {
            let Some(r) = self.rb.rules.get(ri as usize) else {
                continue;
            };
            let bit = 1u64 << pos;
            let applies = if self.item.app_t & bit != 0 {
                Applies::Yes
            } else if self.item.app_u & bit != 0 {
                Applies::Unknown
            } else {
                Applies::No
            };
            let ex_mask = slot.exc.get(pos).copied().unwrap_or(0);
            let defeated_by = bits(ex_mask & self.item.active)
                .filter_map(|p| self.rule_at(p))
                .collect();
            let excepts = (0..slot.rules.len())
                .filter(|&t| slot.exc.get(t).is_some_and(|m| m & bit != 0))
                .filter_map(|t| self.rule_at(t))
                .collect();
            out.push(Weighed {
                rule: RuleView {
                    lib: self.lib,
                    version: r.version,
                    rule: r.rule,
                },
                applies,
                active: self.item.active & bit != 0,
                excepts,
                defeated_by,
                condition: render(
                    self.lib,
                    self.rb,
                    r.cond,
                    &cx,
                    self.lib
                        .loaded
                        .versions
                        .get(r.version)
                        .map_or(usize::MAX, |v| v.law),
                ),
            });
        }
        out
    }
}

/// One rule weighed for an item.
#[derive(Debug, Clone)]
pub struct Weighed<'a> {
    /// The rule.
    pub rule: RuleView<'a>,
    /// Whether its condition held.
    pub applies: Applies,
    /// Whether it applied and no exception defeated it.
    pub active: bool,
    /// The rules it is an exception to (empty for a main rule).
    pub excepts: Vec<RuleView<'a>>,
    /// The exceptions that defeated it here.
    pub defeated_by: Vec<RuleView<'a>>,
    /// Its condition, each test marked ✓ (holds), ✗ (does not) or ? (unknown).
    pub condition: String,
}

fn render(lib: &Library, rb: &Rulebook, n: u32, cx: &Cx<'_>, home: usize) -> String {
    let s = &lib.loaded.schema;
    let mark = |t: Tri| match t {
        Tri::T => "✓",
        Tri::F => "✗",
        Tri::U => "?",
    };
    let fact = |f: u8| s.facts.get(f as usize).map_or("?", |f| f.name.as_str());
    let names = |e: Option<usize>, m: u64| -> String {
        let en = e.and_then(|e| s.enums.get(e));
        let v: Vec<&str> = bits(m)
            .filter_map(|i| en.and_then(|en| en.values.get(i)).map(|(n, _)| n.as_str()))
            .collect();
        if v.len() == 1 {
            v.concat()
        } else {
            format!("{{{}}}", v.join(", "))
        }
    };
    let enum_of = |f: u8| match s.facts.get(f as usize).map(|f| f.ty) {
        Some(FactType::Enum(e) | FactType::Set(e)) => Some(e),
        _ => None,
    };
    let t = rb.eval(n, cx);
    let Some(node) = rb.nodes.get(n as usize) else {
        return String::new();
    };
    match *node {
        Node::Const(true) => "always".to_owned(),
        Node::Const(false) => "never".to_owned(),
        Node::Bool(f) => format!("{} {}", fact(f), mark(t)),
        Node::In(f, m) => {
            let op = if m.count_ones() == 1 { "=" } else { "in" };
            format!("{} {op} {} {}", fact(f), names(enum_of(f), m), mark(t))
        }
        Node::HasAny(f, m) => format!(
            "{} has any of {} {}",
            fact(f),
            names(enum_of(f), m),
            mark(t)
        ),
        Node::HasAll(f, m) => format!(
            "{} has all of {} {}",
            fact(f),
            names(enum_of(f), m),
            mark(t)
        ),
        Node::FieldIn(m) => format!("field in {} {}", names(s.field_enum, m), mark(t)),
        Node::Asks(m) => {
            let acts: Vec<&str> = bits(m)
                .filter_map(|a| s.acts.get(a).map(|a| a.name.as_str()))
                .collect();
            format!("asks {} {}", acts.join(", "), mark(t))
        }
        Node::Not(a) => match rb.nodes.get(a as usize) {
            Some(Node::In(f, m)) => {
                let op = if m.count_ones() == 1 { "≠" } else { "not in" };
                format!("{} {op} {} {}", fact(*f), names(enum_of(*f), *m), mark(t))
            }
            _ => format!("not ({})", render(lib, rb, a, cx, home)),
        },
        Node::And(a, b) => format!(
            "{} and {}",
            paren(lib, rb, a, cx, true, home),
            paren(lib, rb, b, cx, true, home)
        ),
        Node::Or(a, b) => format!(
            "{} or {}",
            paren(lib, rb, a, cx, false, home),
            paren(lib, rb, b, cx, false, home)
        ),
        Node::Def(d) => {
            let def = rb.defs.get(d as usize).and_then(|cd| {
                lib.loaded
                    .versions
                    .get(cd.version)
                    .and_then(|v| v.defs.get(cd.def).map(|x| (v, x)))
            });
            match def {
                Some((v, x)) if v.law != home => {
                    format!("{}::{} ({}) {}", v.meta.law, x.id, x.cite, mark(t))
                }
                Some((_, x)) => format!("{} ({}) {}", x.id, x.cite, mark(t)),
                None => format!("? {}", mark(t)),
            }
        }
    }
}

fn paren(lib: &Library, rb: &Rulebook, n: u32, cx: &Cx<'_>, in_and: bool, home: usize) -> String {
    let inner = render(lib, rb, n, cx, home);
    match rb.nodes.get(n as usize) {
        Some(Node::Or(..)) if in_and => format!("({inner})"),
        Some(Node::And(..)) if !in_and => format!("({inner})"),
        _ => inner,
    }
}

/// One rule of one law version.
#[derive(Debug, Clone, Copy)]
pub struct RuleView<'a> {
    lib: &'a Library,
    version: usize,
    rule: usize,
}

impl<'a> RuleView<'a> {
    fn r(&self) -> Option<&'a Rule> {
        self.lib
            .loaded
            .versions
            .get(self.version)?
            .rules
            .get(self.rule)
    }
    /// The rule's id within its pack.
    pub fn id(&self) -> &'a str {
        self.r().map_or("", |r| r.id.as_str())
    }
    /// The law version it belongs to.
    pub fn law(&self) -> LawView<'a> {
        LawView::new(self.lib, self.version)
    }
    /// The pinpoint citation, such as `2.129.040(e)`.
    pub fn cite(&self) -> &'a str {
        self.r().map_or("", |r| r.cite.as_str())
    }
    /// The law's words that the rule encodes, quoted exactly (… for words left out).
    pub fn quote(&self) -> &'a str {
        self.r().map_or("", |r| r.quote.as_str())
    }
    /// A plain-language gloss, when the pack gives one.
    pub fn explain(&self) -> Option<&'a str> {
        self.r()?.explain.as_deref()
    }
    /// The heading of the section it sits under.
    pub fn section(&self) -> &'a str {
        self.r().map_or("", |r| r.section.as_str())
    }
    /// What it says of the act; `None` for an exception that only lifts another rule.
    pub fn effect(&self) -> Option<Outcome> {
        self.r()?.then.map(|e| match e {
            Effect::Prohibited => Outcome::Prohibited,
            Effect::Permitted => Outcome::Permitted,
            Effect::Required => Outcome::Required,
        })
    }
    /// How reliable the text it rests on is.
    pub fn reliability(&self) -> Reliability {
        self.r().map_or(Reliability::Low, |r| r.reliability)
    }
    /// What is doubtful about this reading, if the pack says.
    pub fn doubt(&self) -> Option<&'a str> {
        self.r()?.doubt.as_deref()
    }
    /// The ids of the rules this one is an exception to.
    pub fn exception_to(&self) -> Vec<&'a str> {
        let Some(v) = self.lib.loaded.versions.get(self.version) else {
            return Vec::new();
        };
        self.r()
            .map(|r| {
                r.exception_to
                    .iter()
                    .filter_map(|&t| v.rules.get(t).map(|t| t.id.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Whether it is kept from the version this one amends (`amends:`), and so
    /// written, with the words it quotes, in that version's file.
    pub fn inherited(&self) -> bool {
        let file = self.lib.loaded.versions.get(self.version).map(|v| v.file);
        self.r().is_some_and(|r| Some(r.file) != file)
    }
    /// The ids of the rules whose reach this one bounds (`limits:`).
    pub fn limits(&self) -> Vec<&'a str> {
        let Some(v) = self.lib.loaded.versions.get(self.version) else {
            return Vec::new();
        };
        self.r()
            .map(|r| {
                r.limits
                    .iter()
                    .filter_map(|&t| v.rules.get(t).map(|t| t.id.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Whether it only marks where rules stop (a `limits:` rule, or an
    /// exception without an effect of its own): its "permitted" yields to any
    /// other rule that decides the act.
    pub fn is_limit(&self) -> bool {
        self.r().is_some_and(Rule::is_limit)
    }
    /// The names of the acts it speaks to.
    pub fn acts(&self) -> Vec<&'a str> {
        let s = &self.lib.loaded.schema;
        self.r()
            .map(|r| {
                bits(r.acts)
                    .filter_map(|a| s.acts.get(a).map(|a| a.name.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One version of one law.
#[derive(Debug, Clone, Copy)]
pub struct LawView<'a> {
    lib: &'a Library,
    version: usize,
}

impl<'a> LawView<'a> {
    pub(crate) fn new(lib: &'a Library, version: usize) -> LawView<'a> {
        LawView { lib, version }
    }
    fn v(&self) -> Option<&'a Version> {
        self.lib.loaded.versions.get(self.version)
    }
    fn m(&self) -> Option<&'a Meta> {
        self.v().map(|v| &v.meta)
    }
    /// The law's id, shared by all its versions (`cambridge-2.129`).
    pub fn law(&self) -> &'a str {
        self.m().map_or("", |m| m.law.as_str())
    }
    /// The jurisdiction path (`us/ma/cambridge`).
    pub fn jurisdiction(&self) -> &'a str {
        self.m().map_or("", |m| m.jurisdiction.as_str())
    }
    /// Ordinance, executive order, case, statute, practice…
    pub fn instrument(&self) -> &'a str {
        self.m().map_or("", |m| m.instrument.as_str())
    }
    /// The law's title.
    pub fn title(&self) -> &'a str {
        self.m().map_or("", |m| m.title.as_str())
    }
    /// Whether it is a bill or a draft (`status: proposal`), not law: also
    /// in a what-if library that takes it as enacted.
    pub fn is_proposal(&self) -> bool {
        self.m()
            .is_some_and(|m| m.status != crate::model::Status::Enacted)
    }
    /// The version's label.
    pub fn version(&self) -> &'a str {
        self.m().map_or("", |m| m.version.as_str())
    }
    /// First day in force.
    pub fn effective_from(&self) -> Option<Date> {
        self.m().map(|m| m.effective_from)
    }
    /// Last day in force, if it has ended.
    pub fn effective_until(&self) -> Option<Date> {
        self.m().and_then(|m| m.effective_until)
    }
    /// Where the text comes from.
    pub fn source(&self) -> &'a str {
        self.m().map_or("", |m| m.source.as_str())
    }
    /// How reliable that source is.
    pub fn reliability(&self) -> Reliability {
        self.m().map_or(Reliability::Low, |m| m.reliability)
    }
    /// Assumptions and remarks the pack records.
    pub fn note(&self) -> Option<&'a str> {
        self.m()?.note.as_deref()
    }
    /// `sha256:` of the pack file: every decision names the exact text it used.
    pub fn hash(&self) -> &'a str {
        self.v().map_or("", |v| v.hash.as_str())
    }
    /// The version this one amends (`amends:`): it inherits every section it
    /// does not rewrite.
    pub fn amends(&self) -> Option<LawView<'a>> {
        self.v()?.amends.map(|b| LawView::new(self.lib, b))
    }
    /// The file name it was loaded under.
    pub fn file_name(&self) -> &'a str {
        self.v()
            .and_then(|v| self.lib.files.get(v.file))
            .map_or("", |f| f.name.as_str())
    }
    /// The pack's full text.
    pub fn text(&self) -> &'a str {
        self.v()
            .and_then(|v| self.lib.files.get(v.file))
            .map_or("", |f| f.text.as_str())
    }
    /// Its rules, in pack order.
    pub fn rules(&self) -> Vec<RuleView<'a>> {
        let n = self.v().map_or(0, |v| v.rules.len());
        (0..n)
            .map(|rule| RuleView {
                lib: self.lib,
                version: self.version,
                rule,
            })
            .collect()
    }
    /// Its definitions: (id, cite, quote).
    pub fn definitions(&self) -> Vec<(&'a str, &'a str, &'a str)> {
        self.v()
            .map(|v| {
                v.defs
                    .iter()
                    .map(|d| (d.id.as_str(), d.cite.as_str(), d.quote.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Its obligations.
    pub fn obligations(&self) -> Vec<ObligationView<'a>> {
        let n = self.v().map_or(0, |v| v.obligations.len());
        (0..n)
            .map(|idx| ObligationView {
                lib: self.lib,
                version: self.version,
                idx,
                certain: true,
                depends: 0,
            })
            .collect()
    }
}

/// A duty triggered by the facts.
#[derive(Debug, Clone, Copy)]
pub struct ObligationView<'a> {
    lib: &'a Library,
    version: usize,
    idx: usize,
    certain: bool,
    depends: u128,
}

impl<'a> ObligationView<'a> {
    fn o(&self) -> Option<&'a Obligation> {
        self.lib
            .loaded
            .versions
            .get(self.version)?
            .obligations
            .get(self.idx)
    }
    /// Its id within its pack.
    pub fn id(&self) -> &'a str {
        self.o().map_or("", |o| o.id.as_str())
    }
    /// The pinpoint citation.
    pub fn cite(&self) -> &'a str {
        self.o().map_or("", |o| o.cite.as_str())
    }
    /// The law's words.
    pub fn quote(&self) -> &'a str {
        self.o().map_or("", |o| o.quote.as_str())
    }
    /// What must be done, in plain words.
    pub fn duty(&self) -> &'a str {
        self.o().map_or("", |o| o.duty.as_str())
    }
    /// When, if the law says.
    pub fn due(&self) -> Option<&'a str> {
        self.o()?.due.as_deref()
    }
    /// The office the law sends it to (`office:`), if it names one.
    pub fn office(&self) -> Option<&'a str> {
        self.o()?.office.as_deref()
    }
    /// Whether recording the contact performs it (`performed-by: recording`).
    pub fn performed_by_recording(&self) -> bool {
        self.o().is_some_and(|o| o.performed_by_recording)
    }
    /// The law version it comes from.
    pub fn law(&self) -> LawView<'a> {
        LawView::new(self.lib, self.version)
    }
    /// How reliable the text it rests on is.
    pub fn reliability(&self) -> Reliability {
        self.o().map_or(Reliability::Low, |o| o.reliability)
    }
    /// Triggered for certain (`true`), or only if unknown facts turn out so (`false`).
    pub fn certain(&self) -> bool {
        self.certain
    }
    /// For an uncertain obligation: the unknown facts it depends on.
    pub fn depends_on(&self) -> Vec<FactView<'a>> {
        bits128(self.depends)
            .map(|f| FactView::new(self.lib, f))
            .collect()
    }
}

/// What kind of answer a fact takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// Yes or no.
    YesNo,
    /// Exactly one of the values.
    One,
    /// Any number of the values.
    Set,
}

/// One fact of the shared schema.
#[derive(Debug, Clone, Copy)]
pub struct FactView<'a> {
    lib: &'a Library,
    idx: usize,
}

impl<'a> FactView<'a> {
    pub(crate) fn new(lib: &'a Library, idx: usize) -> FactView<'a> {
        FactView { lib, idx }
    }
    fn f(&self) -> Option<&'a FactDef> {
        self.lib.loaded.schema.facts.get(self.idx)
    }
    /// Its name, as used in scenarios and packs.
    pub fn name(&self) -> &'a str {
        self.f().map_or("", |f| f.name.as_str())
    }
    /// The question to ask to learn it.
    pub fn ask(&self) -> &'a str {
        self.f().map_or("", |f| f.ask.as_str())
    }
    /// The value taken when a scenario leaves it out (`assume:`), if any.
    pub fn assumed(&self) -> Option<bool> {
        self.lib.loaded.schema.facts.get(self.idx)?.assume
    }
    /// Yes/no, one value, or a set of values.
    pub fn kind(&self) -> FactKind {
        match self.f().map(|f| f.ty) {
            Some(FactType::Enum(_)) => FactKind::One,
            Some(FactType::Set(_)) => FactKind::Set,
            _ => FactKind::YesNo,
        }
    }
    /// The possible values with what each means (empty for yes/no facts).
    pub fn values(&self) -> Vec<(&'a str, &'a str)> {
        let s = &self.lib.loaded.schema;
        match self.f().map(|f| f.ty) {
            Some(FactType::Enum(e) | FactType::Set(e)) => s
                .enums
                .get(e)
                .map(|e| {
                    e.values
                        .iter()
                        .map(|(n, d)| (n.as_str(), d.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// One act of the shared schema.
#[derive(Debug, Clone, Copy)]
pub struct ActView<'a> {
    lib: &'a Library,
    idx: usize,
}

impl<'a> ActView<'a> {
    pub(crate) fn new(lib: &'a Library, idx: usize) -> ActView<'a> {
        ActView { lib, idx }
    }
    /// Its name.
    pub fn name(&self) -> &'a str {
        self.lib
            .loaded
            .schema
            .acts
            .get(self.idx)
            .map_or("", |a| a.name.as_str())
    }
    /// Whether it is decided per data field.
    pub fn per_field(&self) -> bool {
        self.lib
            .loaded
            .schema
            .acts
            .get(self.idx)
            .is_some_and(|a| a.per_field)
    }
    /// What it means, in plain words.
    pub fn means(&self) -> &'a str {
        self.lib
            .loaded
            .schema
            .acts
            .get(self.idx)
            .map_or("", |a| a.means.as_str())
    }
    /// For an act decided per data field, the words of one of its fields
    /// (`home-address` → "home address").
    pub fn field_words(&self, field: &str) -> Option<&'a str> {
        if !self.per_field() {
            return None;
        }
        let s = &self.lib.loaded.schema;
        let e = s.enums.get(s.field_enum?)?;
        e.values
            .iter()
            .find(|(n, _)| n == field)
            .map(|(_, d)| d.as_str())
    }
}

/// A place questions can be asked of.
#[derive(Debug, Clone, Copy)]
pub struct PlaceView<'a> {
    lib: &'a Library,
    idx: usize,
}

impl<'a> PlaceView<'a> {
    pub(crate) fn new(lib: &'a Library, idx: usize) -> PlaceView<'a> {
        PlaceView { lib, idx }
    }
    fn p(&self) -> Option<&'a PlaceDef> {
        self.lib.loaded.schema.places.get(self.idx)
    }
    /// Its short name (`cambridge`).
    pub fn name(&self) -> &'a str {
        self.p().map_or("", |p| p.name.as_str())
    }
    /// Its jurisdiction path (`us/ma/cambridge`).
    pub fn jurisdiction(&self) -> &'a str {
        self.p().map_or("", |p| p.jurisdiction.as_str())
    }
    /// Its full name.
    pub fn title(&self) -> &'a str {
        self.p().map_or("", |p| p.title.as_str())
    }
    /// What is and is not encoded for it.
    pub fn note(&self) -> Option<&'a str> {
        self.p()?.note.as_deref()
    }
}
