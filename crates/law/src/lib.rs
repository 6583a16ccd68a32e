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

pub use date::{Date, DateError};
pub use diag::{Diagnostic, LoadError};
pub use diff::{Change, LawDiff, Skipped};
pub use engine::Outcome;
pub use explain::{
    ActView, Applies, Explanation, FactKind, FactView, ItemView, LawView, ObligationView,
    PlaceView, RuleView, Weighed,
};
pub use lint::{ConflictRegion, Lint, NeverApplies};
pub use model::Reliability;
pub use query::{FactValue, Query, QueryBuilder, ScenarioError};

use diag::{Sink, SourceFile};
use engine::{Cx, Item, Rulebook, Tri};
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
}

/// The engine's answer, as compact masks; read it through [`Library::explain`].
/// Reuse one with [`Library::decide_into`] to decide without allocating.
#[derive(Debug, Default, Clone)]
pub struct Decision {
    rulebook: usize,
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
}

impl Library {
    /// Loads and validates every source; reports all problems at once.
    pub fn load(sources: &[Source<'_>]) -> Result<Library, LoadError> {
        let files: Vec<SourceFile> = sources
            .iter()
            .map(|s| SourceFile::new(s.name, s.text))
            .collect();
        let mut sink = Sink::default();
        let loaded = load::load(&files, &mut sink);
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
                place: p,
                date,
                facts: Facts::unknown(),
                asks: Vec::new(),
                asks_mask: 0,
                assumed: 0,
            },
        })
    }

    fn rulebook_for(&self, q: &Query) -> usize {
        let entries = self
            .index
            .get(q.place)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let i = entries
            .partition_point(|(from, _)| *from <= Some(q.date))
            .saturating_sub(1);
        entries.get(i).map_or(0, |(_, b)| *b)
    }

    /// Decides a query.
    pub fn decide(&self, q: &Query) -> Decision {
        let mut d = Decision::default();
        self.decide_into(q, &mut d);
        d
    }

    /// Decides a query into a reused buffer: no allocation once it has grown.
    pub fn decide_into(&self, q: &Query, d: &mut Decision) {
        let rbi = self.rulebook_for(q);
        d.rulebook = rbi;
        d.items.clear();
        d.obl_t = 0;
        d.obl_u = 0;
        d.obl_questions = 0;
        let Some(rb) = self.books.get(rbi) else {
            return;
        };
        for &(act, field) in &q.asks {
            let field = (field != u8::MAX).then_some(usize::from(field));
            let slot = rb.slot(usize::from(act), field).unwrap_or(0);
            let f8 = field.map_or(u8::MAX, |f| u8::try_from(f).unwrap_or(u8::MAX));
            let mut item = Item::new(act, f8, u32::try_from(slot).unwrap_or(0));
            let cx = Cx {
                facts: &q.facts,
                field: field.map_or(0, |f| 1 << f),
                asks: q.asks_mask,
            };
            rb.decide_slot(slot, &cx, &mut item);
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
        let Some(rb) = self.books.get(self.rulebook_for(q)) else {
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
        let rb = self.books.get(self.rulebook_for(q));
        rb.map(|rb| rb.versions.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&v| LawView::new(self, v))
    }
}
