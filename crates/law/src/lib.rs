//! # trustgate-law: the law as code
//!
//! A *law pack* is a Markdown document: the law's own text, section by section,
//! with each rule in a fenced block directly under the words it encodes. This
//! crate reads packs, validates them (every error at `file:line:column`),
//! compiles them per place and date, and decides *scenarios*: for each act
//! contemplated (and, for a disclosure, each data field) it answers
//! **prohibited**, **permitted**, **required**, **not addressed**, a **conflict**,
//! or **undetermined** with the questions whose answers would settle it.
//!
//! ```text
//! packs (Markdown) ──load──▶ model ──compile──▶ rulebooks (per place × dates)
//!                                                    │
//!                  Query (facts, acts, place, date) ─┴─▶ decide ─▶ Decision ─▶ Explanation
//! ```
//!
//! The semantics are default logic as statutes are written: "shall not …
//! except …". An exception applies only where the rule it excepts (or a limit
//! of that rule) applies, and then defeats it; a *limit* — the law's own words
//! that end a rule's reach ("solely", "unless …") — answers "permitted: the
//! rule stops here" where no other rule decides; rules that disagree without
//! one excepting the other are reported as a conflict, never resolved silently. See `engine` for the details, and the pack format in
//! `docs/pack-format.md` at the repository root.
//!
//! ## What this crate does not do
//! No I/O, no async, no SQL, no HTTP, no serialisation: sources come in as
//! strings, answers go out as views borrowing the library. Deciding a fully
//! known scenario allocates nothing once the [`Decision`] buffer has grown.

// An out-of-range index is a broken invariant: it must be a `.get()` handled
// loudly (see `engine::DecideError`), never a panic or a quiet default.
#![deny(clippy::indexing_slicing)]

mod date;
mod diag;
mod diff;
mod engine;
mod explain;
mod expr;
mod lint;
mod load;
mod model;
mod query;
mod syntax;

pub use date::{Date, DateError, civil_from_unix_days, days_in_month, unix_days_from_civil};
pub use diag::{Diagnostic, LoadError};
pub use diff::{Change, DutyChange, GroundsChange, LawDiff, Skipped};
pub use engine::{DecideError, Interim, Outcome, StillPossible};
pub use explain::{
    ActView, Applies, Explanation, FactKind, FactView, ItemView, LawView, ObligationView,
    PlaceView, RuleView, Weighed,
};
pub use lint::{ConflictRegion, LimitOverlap, Lint, NeverApplies};
pub use model::Reliability;
pub use query::{FactValue, Query, QueryBuilder, ScenarioError};
pub use syntax::{RawEntry, raw_block};

use diag::{Sink, SourceFile};
use engine::{Cx, Item, Rulebook, Tri, invariant};
use load::Loaded;
use query::Facts;

/// One pack or schema file, as text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// How diagnostics name the file (usually its path).
    pub name: &'a str,
    /// The file's contents.
    pub text: &'a str,
}

/// All packs and the schema, validated and compiled.
#[derive(Debug)]
pub struct Library {
    files: Vec<SourceFile>,
    loaded: Loaded,
    books: Vec<Rulebook>,
    /// Per place: (first day, rulebook), sorted; `None` is "before every law".
    index: Vec<Vec<(Option<Date>, usize)>>,
    /// Unique per loaded library, so a [`Query`] built by another is refused:
    /// its indices would name other places, acts and facts here.
    id: u64,
}

/// The next [`Library`]'s id.
static NEXT_LIBRARY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The engine's answer, as compact masks; read it through [`Library::explain`].
/// Reuse one with [`Library::decide_into`] to decide without allocating.
#[derive(Debug, Default, Clone)]
pub struct Decision {
    /// `None` until decided, or when no rulebook could be found.
    rulebook: Option<usize>,
    /// Set when the engine could not answer; every item is then undetermined.
    violation: Option<DecideError>,
    items: Vec<Item>,
    obl_t: u64,
    obl_u: u64,
    obl_questions: u128,
}

impl Decision {
    /// The outcome of each item, in the order asked (acts, then fields).
    pub fn outcomes(&self) -> impl Iterator<Item = Outcome> + '_ {
        self.items.iter().map(|i| i.outcome)
    }

    /// Why the engine could not answer, if it could not: then every act asked
    /// is "undetermined" and no obligation is listed. A caller that records or
    /// shows a decision should refuse one that carries this.
    pub fn violation(&self) -> Option<DecideError> {
        self.violation
    }
}

impl Library {
    /// Loads and validates every source; reports all problems at once.
    /// A pack marked `status: proposal` is loaded and checked, but never
    /// answers what the law is.
    pub fn load(sources: &[Source<'_>]) -> Result<Library, LoadError> {
        let files: Vec<SourceFile> = sources
            .iter()
            .map(|s| SourceFile::new(s.name, s.text))
            .collect();
        Library::build(files, &[])
    }

    /// The same packs with the proposals `laws` (law ids) taken as enacted
    /// from their own `effective-from`: the library a what-if decides and
    /// diffs with ("what would this bill change, and for which records").
    /// Its answers are never the law; a query built here is refused by
    /// `self`, and the reverse.
    pub fn as_if_enacted(&self, laws: &[&str]) -> Result<Library, ScenarioError> {
        let proposals: Vec<&str> = self
            .laws()
            .filter(|l| l.is_proposal())
            .map(|l| l.law())
            .collect();
        for name in laws {
            if !proposals.contains(name) {
                return Err(ScenarioError::UnknownProposal {
                    name: (*name).to_owned(),
                    suggestion: diag::did_you_mean(name, proposals.iter().copied()),
                });
            }
        }
        let as_if: Vec<String> = laws.iter().map(|l| (*l).to_owned()).collect();
        let files = self
            .files
            .iter()
            .map(|f| SourceFile::new(&f.name, &f.text))
            .collect();
        Library::build(files, &as_if).map_err(|e| ScenarioError::NotEnactable {
            laws: as_if.join(", "),
            reason: e.to_string(),
        })
    }

    /// Whether `other` was loaded from the same files (itself, or a what-if
    /// of the same packs), so their numbering of acts and facts agrees.
    fn same_sources(&self, other: &Library) -> bool {
        self.id == other.id
            || (self.files.len() == other.files.len()
                && self
                    .files
                    .iter()
                    .zip(&other.files)
                    .all(|(a, b)| a.name == b.name && a.text == b.text))
    }

    fn build(files: Vec<SourceFile>, as_if: &[String]) -> Result<Library, LoadError> {
        let mut sink = Sink::default();
        let loaded = load::load(&files, as_if, &mut sink);
        if !sink.is_empty() {
            return Err(sink.into_error());
        }
        let (books, index, errors) = engine::build(&loaded);
        for (f, off, msg) in errors {
            if let Some(file) = files.get(f) {
                sink.error(file, f, off, msg);
            }
        }
        if !sink.is_empty() {
            return Err(sink.into_error());
        }
        Ok(Library {
            files,
            loaded,
            books,
            index,
            id: NEXT_LIBRARY.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Starts a question about `place` (a place name such as `cambridge`) on `date`.
    pub fn query(&self, place: &str, date: Date) -> Result<QueryBuilder<'_>, ScenarioError> {
        let schema = &self.loaded.schema;
        let Some(p) = schema.places.iter().position(|p| p.name == place) else {
            return Err(ScenarioError::UnknownPlace {
                name: place.to_owned(),
                suggestion: diag::did_you_mean(
                    place,
                    schema.places.iter().map(|p| p.name.as_str()),
                ),
            });
        };
        Ok(QueryBuilder {
            schema,
            query: Query {
                library: self.id,
                place: p,
                date,
                facts: Facts::unknown(),
                asks: Vec::new(),
                asks_mask: 0,
                assumed: 0,
            },
        })
    }

    /// The rulebook in force for the query's place and date: never another
    /// place's (the index has an entry per place, starting before every law).
    fn rulebook_for(&self, q: &Query) -> Result<usize, DecideError> {
        if q.library != self.id {
            return Err(DecideError::ForeignQuery);
        }
        let entries = self
            .index
            .get(q.place)
            .ok_or(DecideError::InternalInvariantViolation(
                "the query's place has no rulebooks",
            ))?;
        let i = entries
            .partition_point(|(from, _)| *from <= Some(q.date))
            .saturating_sub(1);
        let book =
            entries
                .get(i)
                .map(|(_, b)| *b)
                .ok_or(DecideError::InternalInvariantViolation(
                    "the query's place has an empty rulebook index",
                ))?;
        if book >= self.books.len() {
            return Err(DecideError::InternalInvariantViolation(
                "a place's index names a rulebook that does not exist",
            ));
        }
        Ok(book)
    }

    /// The rulebook for a query off the hot path; `None` (and a failure in
    /// debug builds) when [`Library::rulebook_for`] refuses.
    fn book(&self, q: &Query) -> Option<&Rulebook> {
        match self.rulebook_for(q) {
            Ok(b) => self.books.get(b),
            Err(e) => {
                invariant!(e);
                None
            }
        }
    }

    /// Decides a query.
    pub fn decide(&self, q: &Query) -> Decision {
        let mut d = Decision::default();
        self.decide_into(q, &mut d);
        d
    }

    /// Decides a query, or says why the engine could not: what a caller that
    /// shows or records the answer uses, so a broken invariant is a loud
    /// error there and never an answer.
    pub fn try_decide(&self, q: &Query) -> Result<Decision, DecideError> {
        let mut d = Decision::default();
        self.try_decide_into(q, &mut d)?;
        Ok(d)
    }

    /// Decides a query into a reused buffer: no allocation once it has grown.
    ///
    /// A query built by another library, or a broken engine invariant, fails
    /// in debug builds; in release the decision answers every act
    /// "undetermined" and carries the reason ([`Decision::violation`]).
    /// [`Library::try_decide_into`] returns it instead.
    pub fn decide_into(&self, q: &Query, d: &mut Decision) {
        if let Err(e) = self.try_decide_into(q, d) {
            invariant!(e);
        }
    }

    /// [`Library::decide_into`], returning why the engine could not answer
    /// (also kept in [`Decision::violation`]). Allocation-free as well.
    pub fn try_decide_into(&self, q: &Query, d: &mut Decision) -> Result<(), DecideError> {
        d.rulebook = None;
        d.violation = None;
        d.items.clear();
        d.obl_t = 0;
        d.obl_u = 0;
        d.obl_questions = 0;
        let result = self.decide_checked(q, d);
        if let Err(e) = result {
            // The least harmful answer: no claim about any act, no obligation
            // from rules that may be another act's or place's.
            d.violation = Some(e);
            d.items.clear();
            d.obl_t = 0;
            d.obl_u = 0;
            d.obl_questions = 0;
            for &(act, field) in &q.asks {
                let mut item = Item::new(act, field, u32::MAX);
                item.outcome = Outcome::Undetermined;
                d.items.push(item);
            }
        }
        result
    }

    fn decide_checked(&self, q: &Query, d: &mut Decision) -> Result<(), DecideError> {
        let rbi = self.rulebook_for(q)?;
        d.rulebook = Some(rbi);
        let rb = self
            .books
            .get(rbi)
            .ok_or(DecideError::InternalInvariantViolation(
                "the rulebook found does not exist",
            ))?;
        for &(act, field) in &q.asks {
            let field = (field != u8::MAX).then_some(usize::from(field));
            let slot =
                rb.slot(usize::from(act), field)
                    .ok_or(DecideError::InternalInvariantViolation(
                        "an act asked has no slot in its rulebook",
                    ))?;
            let f8 = field.map_or(u8::MAX, |f| u8::try_from(f).unwrap_or(u8::MAX));
            let slot32 = u32::try_from(slot)
                .map_err(|_| DecideError::InternalInvariantViolation("a slot index exceeds u32"))?;
            let mut item = Item::new(act, f8, slot32);
            let cx = Cx {
                facts: &q.facts,
                field: field.map_or(0, |f| 1 << f),
                asks: q.asks_mask,
            };
            rb.decide_slot(slot, &cx, &mut item)?;
            d.items.push(item);
        }
        let cx = Cx {
            facts: &q.facts,
            field: 0,
            asks: q.asks_mask,
        };
        for (i, o) in rb.obligations.iter().enumerate() {
            match rb.eval(o.cond, &cx) {
                Tri::T => d.obl_t |= 1 << i,
                Tri::U => {
                    d.obl_u |= 1 << i;
                    d.obl_questions |= o.reads & !q.facts.known;
                }
                Tri::F => {}
            }
        }
        Ok(())
    }

    /// Reads a decision: outcomes with their rules, citations, quotes, exceptions
    /// weighed, obligations and questions.
    pub fn explain<'a>(&'a self, query: &'a Query, decision: &'a Decision) -> Explanation<'a> {
        Explanation::new(self, query, decision)
    }

    /// Every place known to the schema.
    pub fn places(&self) -> impl Iterator<Item = PlaceView<'_>> {
        (0..self.loaded.schema.places.len()).map(|i| PlaceView::new(self, i))
    }

    /// Every version of every law, in load order.
    pub fn laws(&self) -> impl Iterator<Item = LawView<'_>> {
        (0..self.loaded.versions.len()).map(|i| LawView::new(self, i))
    }

    /// Every fact in the shared schema.
    pub fn facts(&self) -> impl Iterator<Item = FactView<'_>> {
        (0..self.loaded.schema.facts.len()).map(|i| FactView::new(self, i))
    }

    /// Every act in the shared schema.
    pub fn acts(&self) -> impl Iterator<Item = ActView<'_>> {
        (0..self.loaded.schema.acts.len()).map(|i| ActView::new(self, i))
    }

    /// The facts that some rule or obligation in force for this query reads: the
    /// only facts worth asking about there and then. Any other fact cannot change
    /// an answer.
    pub fn facts_read(&self, q: &Query) -> Vec<FactView<'_>> {
        let Some(rb) = self.book(q) else {
            return Vec::new();
        };
        let mut m = 0u128;
        for r in &rb.rules {
            m |= r.reads;
        }
        for o in &rb.obligations {
            m |= o.reads;
        }
        model::bits128(m).map(|f| FactView::new(self, f)).collect()
    }

    /// The law versions in force at `place` on `date`.
    pub fn laws_in_force(&self, q: &Query) -> impl Iterator<Item = LawView<'_>> {
        let rb = self.book(q);
        rb.map(|rb| rb.versions.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&v| LawView::new(self, v))
    }
}
