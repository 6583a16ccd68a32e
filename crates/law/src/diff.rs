//! The semantic diff of the law: the exact scenarios whose answer differs
//! between two places or two dates (two versions of a law, or two cities, or
//! the law and a proposal taken as enacted): in outcome, in the words that
//! decide it and their doubts, and in the duties triggered.
//!
//! The fact space is finite, so for each act (and each field of a disclosure)
//! the diff tries every combination of the facts that either side's rules read
//! — a set fact counts as one yes/no per value the rules test — decides it on
//! both sides, and keeps the combinations whose outcome differs. Those are then
//! merged into *cubes*: two cubes that differ in one fact's values only become
//! one, so the union stays exact and reads like a rule ("department = police
//! and assistance-kind in {…}"). A fact whose every value is in a cube is left
//! out of its description: it does not matter there.

use std::collections::HashMap;

use crate::engine::{Cx, Rulebook};
use crate::model::{FactType, Schema, bits, bits128};
use crate::query::Facts;
use crate::{Date, Library, Outcome, ScenarioError};

/// The most combinations tried for one act; beyond it the act is reported as
/// too large to compare rather than compared in part.
pub(crate) const MAX_COMBINATIONS: u64 = 1 << 20;

/// One variable of the comparison: a whole fact, or one value of a set fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    Fact(usize),
    SetValue(usize, usize),
    /// Whether another act is asked about too (rules may test `asks`).
    Asks(usize),
}

/// How an act's answer changes between the two sides.
#[derive(Debug, Clone)]
pub struct Change {
    /// The act.
    pub act: String,
    /// The field, for a disclosure.
    pub field: Option<String>,
    /// The answer on the first side.
    pub before: Outcome,
    /// The answer on the second side.
    pub after: Outcome,
    /// How many combinations of the relevant facts change this way.
    pub scenarios: u64,
    /// Out of how many combinations of the facts either side reads for this act.
    pub of: u64,
    /// When: each entry is one conjunction of conditions (a cube); the change
    /// happens exactly in their union.
    pub when: Vec<Vec<String>>,
}

/// Combinations whose answer changes, grouped by (before, after); each
/// combination as one value mask per variable (a cube of one point).
type Groups = HashMap<(Outcome, Outcome), Vec<Vec<u64>>>;

/// Combinations whose answer stays but rests on other words, grouped by
/// (outcome, words before, words after).
type GroundsGroups = HashMap<(Outcome, Vec<String>, Vec<String>), Vec<Vec<u64>>>;

/// Where an act keeps its answer but rests on other words: another
/// citation decides it, or a reading is now (or no longer) in doubt.
#[derive(Debug, Clone)]
pub struct GroundsChange {
    /// The act.
    pub act: String,
    /// The field, for a disclosure.
    pub field: Option<String>,
    /// The answer, the same on both sides.
    pub outcome: Outcome,
    /// What decides it on the first side: `law cite`, with ` (doubtful)`
    /// where the reading is in doubt there.
    pub before: Vec<String>,
    /// What decides it on the second side.
    pub after: Vec<String>,
    /// How many combinations of the relevant facts change this way.
    pub scenarios: u64,
    /// Out of how many.
    pub of: u64,
    /// When, as for [`Change::when`].
    pub when: Vec<Vec<String>>,
}

/// A duty triggered on one side and not on the other.
#[derive(Debug, Clone)]
pub struct DutyChange {
    /// The law's id.
    pub law: String,
    /// The duty's id in its pack.
    pub id: String,
    /// Its citation.
    pub cite: String,
    /// What must be done, in plain words.
    pub duty: String,
    /// `true`: triggered on the second side only (a new duty); `false`: on
    /// the first side only (a duty that falls away).
    pub added: bool,
    /// How many combinations of the facts its conditions read change this way.
    pub scenarios: u64,
    /// Out of how many.
    pub of: u64,
    /// When, as for [`Change::when`].
    pub when: Vec<Vec<String>>,
}

/// An act too large to compare exhaustively.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// `act` or `act.field`.
    pub key: String,
    /// Combinations it would take.
    pub combinations: u64,
}

/// The result of a comparison.
#[derive(Debug, Clone, Default)]
pub struct LawDiff {
    /// Every change, act by act, in schema order.
    pub changes: Vec<Change>,
    /// Where an answer stays but the words deciding it, or their doubts, change.
    pub grounds: Vec<GroundsChange>,
    /// Duties triggered on one side only.
    pub duties: Vec<DutyChange>,
    /// Acts (and duties) not compared because their fact space is too large.
    pub skipped: Vec<Skipped>,
}

/// One act's fact space over one or more rulebooks: a variable per fact their
/// rules read (a set fact gives one yes/no variable per value tested).
pub(crate) struct Space {
    vars: Vec<(Var, usize)>,
    total: u64,
}

// INVARIANT: every variable's domain is at most 64 (an enumeration's values),
// so a value set is a u64 mask.

impl Space {
    pub(crate) fn of(schema: &Schema, act: usize, slots: &[(&Rulebook, usize)]) -> Space {
        let mut reads = 0u128;
        let mut sets: Vec<(u8, u64)> = Vec::new();
        let mut asks = 0u64;
        for (rb, slot) in slots {
            let (r, s) = rb.slot_reads(*slot);
            reads |= r;
            sets.extend_from_slice(s);
            asks |= rb.slot_asks(*slot);
        }
        // The act in question is always asked; any other act a rule tests may be.
        Space::over(schema, reads, &sets, asks & !(1 << act))
    }

    /// The space of the facts `reads` (a set fact: the values in `sets`) and
    /// of whether each act in `asks` is asked.
    fn over(schema: &Schema, reads: u128, sets: &[(u8, u64)], asks: u64) -> Space {
        let mut vars: Vec<(Var, usize)> = Vec::new();
        for f in bits128(reads) {
            match schema.facts.get(f).map(|x| x.ty) {
                Some(FactType::Bool) => vars.push((Var::Fact(f), 2)),
                Some(FactType::Enum(e)) => vars.push((
                    Var::Fact(f),
                    schema.enums.get(e).map_or(1, |e| e.values.len()),
                )),
                Some(FactType::Set(_)) => {
                    let mask = sets
                        .iter()
                        .filter(|(x, _)| usize::from(*x) == f)
                        .fold(0u64, |m, (_, v)| m | v);
                    vars.extend(bits(mask).map(|bit| (Var::SetValue(f, bit), 2)));
                }
                None => {}
            }
        }
        vars.extend(bits(asks).map(|a| (Var::Asks(a), 2)));
        let total = vars
            .iter()
            .fold(1u64, |t, &(_, n)| t.saturating_mul(n as u64));
        Space { vars, total }
    }

    /// How many combinations there are.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Calls `f` with every combination, as the context to decide with and as
    /// one single-value mask per variable (a one-point cube).
    pub(crate) fn for_each(
        &self,
        act: usize,
        field: Option<usize>,
        f: impl FnMut(&Cx<'_>, &dyn Fn() -> Vec<u64>),
    ) {
        self.walk(1u64 << act, field.map_or(0, |x| 1u64 << x), f);
    }

    /// [`Space::for_each`] with `asked` always asked and the field mask `field`.
    fn walk(&self, asked: u64, field: u64, mut f: impl FnMut(&Cx<'_>, &dyn Fn() -> Vec<u64>)) {
        let mut facts = Facts::unknown();
        let mut digits = vec![0usize; self.vars.len()];
        for _ in 0..self.total {
            facts.known = 0;
            let mut asks = asked;
            for (d, &(v, _)) in digits.iter().zip(&self.vars) {
                match v {
                    Var::Asks(a) => asks |= (*d as u64) << a,
                    Var::Fact(fact) => facts.set_raw(fact, *d as u64),
                    Var::SetValue(fact, bit) => {
                        let current = if facts.known & (1u128 << fact) != 0 {
                            facts.vals.get(fact).copied().unwrap_or(0)
                        } else {
                            0
                        };
                        facts.set_raw(fact, current | ((*d as u64) << bit));
                    }
                }
            }
            let cx = Cx {
                facts: &facts,
                field,
                asks,
            };
            f(&cx, &|| digits.iter().map(|&d| 1u64 << d).collect());
            // Next combination (mixed radix).
            for (d, &(_, n)) in digits.iter_mut().zip(&self.vars) {
                *d += 1;
                if *d < n {
                    break;
                }
                *d = 0;
            }
        }
    }

    /// The conditions of each merged cube, in words.
    pub(crate) fn describe(&self, schema: &Schema, cubes: Vec<Vec<u64>>) -> Vec<Vec<String>> {
        merge(cubes, self.vars.len())
            .iter()
            .map(|c| describe(schema, &self.vars, c))
            .collect()
    }
}

/// `act` or `act.field`.
pub(crate) fn slot_key(schema: &Schema, act: usize, field: Option<usize>) -> String {
    let name = schema.acts.get(act).map_or("?", |a| a.name.as_str());
    match field.and_then(|f| {
        schema
            .field_enum
            .and_then(|e| schema.enums.get(e))
            .and_then(|e| e.values.get(f))
    }) {
        Some((f, _)) => format!("{name}.{f}"),
        None => name.to_owned(),
    }
}

/// Every (act, field) slot of the schema.
pub(crate) fn slots(schema: &Schema) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    for (a, act) in schema.acts.iter().enumerate() {
        if act.per_field {
            out.extend((0..schema.field_count()).map(|f| (a, Some(f))));
        } else {
            out.push((a, None));
        }
    }
    out
}

impl Library {
    /// Compares what the law says at `(place_a, date_a)` with `(place_b, date_b)`.
    pub fn diff(
        &self,
        place_a: &str,
        date_a: Date,
        place_b: &str,
        date_b: Date,
    ) -> Result<LawDiff, ScenarioError> {
        self.diff_with(place_a, date_a, self, place_b, date_b)
    }

    /// [`Library::diff`] with the second side decided by `other`: the same
    /// packs with proposals taken as enacted ([`Library::as_if_enacted`]),
    /// so "what would this bill change here" is the same tool. Libraries
    /// loaded from other sources cannot be compared (their acts and facts
    /// are numbered differently): that is refused.
    pub fn diff_with(
        &self,
        place_a: &str,
        date_a: Date,
        other: &Library,
        place_b: &str,
        date_b: Date,
    ) -> Result<LawDiff, ScenarioError> {
        if !self.same_sources(other) {
            return Err(ScenarioError::NotEnactable {
                laws: "the second side".to_owned(),
                reason: "it was loaded from other packs".to_owned(),
            });
        }
        let qa = self.query(place_a, date_a)?.build();
        let qb = other.query(place_b, date_b)?.build();
        let (Some(a), Some(b)) = (self.book(&qa), other.book(&qb)) else {
            return Ok(LawDiff::default());
        };
        let schema = &self.loaded.schema;
        let mut out = LawDiff::default();
        for (act, field) in slots(schema) {
            let (Some(sa), Some(sb)) = (a.slot(act, field), b.slot(act, field)) else {
                crate::engine::invariant!("a schema act has no slot in a rulebook");
                continue;
            };
            let space = Space::of(schema, act, &[(a, sa), (b, sb)]);
            if space.total() > MAX_COMBINATIONS {
                out.skipped.push(Skipped {
                    key: slot_key(schema, act, field),
                    combinations: space.total(),
                });
                continue;
            }
            let mut groups: Groups = HashMap::new();
            let mut grounds: GroundsGroups = HashMap::new();
            let (mut words_a, mut words_b) = (HashMap::new(), HashMap::new());
            space.for_each(act, field, |cx, cube| {
                let (before, dec_a, doubt_a) = a.grounds_known(sa, cx);
                let (after, dec_b, doubt_b) = b.grounds_known(sb, cx);
                if before != after {
                    groups.entry((before, after)).or_default().push(cube());
                    return;
                }
                let wa = words_a
                    .entry((dec_a, doubt_a))
                    .or_insert_with(|| self.cited(a, sa, dec_a, doubt_a));
                let wb = words_b
                    .entry((dec_b, doubt_b))
                    .or_insert_with(|| other.cited(b, sb, dec_b, doubt_b));
                if wa != wb {
                    grounds
                        .entry((before, wa.clone(), wb.clone()))
                        .or_default()
                        .push(cube());
                }
            });
            let mut grounds: Vec<_> = grounds.into_iter().collect();
            grounds.sort_by(|((oa, ba, aa), _), ((ob, bb, ab), _)| {
                (*oa as u8, ba, aa).cmp(&(*ob as u8, bb, ab))
            });
            for ((outcome, before, after), cubes) in grounds {
                out.grounds.push(GroundsChange {
                    act: act_name(schema, act),
                    field: field_name(schema, field),
                    outcome,
                    before,
                    after,
                    scenarios: cubes.len() as u64,
                    of: space.total(),
                    when: space.describe(schema, cubes),
                });
            }
            let mut changes: Vec<_> = groups.into_iter().collect();
            changes.sort_by_key(|((b, a), _)| (*b as u8, *a as u8));
            for ((before, after), cubes) in changes {
                out.changes.push(Change {
                    act: act_name(schema, act),
                    field: field_name(schema, field),
                    before,
                    after,
                    scenarios: cubes.len() as u64,
                    of: space.total(),
                    when: space.describe(schema, cubes),
                });
            }
        }
        self.diff_duties(a, other, b, &mut out);
        Ok(out)
    }

    /// The duties triggered on one side only: for each duty (by law and id)
    /// of either side, every combination of the facts its conditions read.
    fn diff_duties(&self, a: &Rulebook, other: &Library, b: &Rulebook, out: &mut LawDiff) {
        let schema = &self.loaded.schema;
        // (law, id) -> (its condition on each side, with the rulebook).
        let mut keys: Vec<(String, String)> = Vec::new();
        fn duty<'r>(
            lib: &Library,
            rb: &'r Rulebook,
            key: &(String, String),
        ) -> Option<&'r crate::engine::CObligation> {
            rb.obligations.iter().find(|o| {
                lib.obligation(o)
                    .is_some_and(|(law, ob)| law == key.0 && ob.id == key.1)
            })
        }
        for (lib, rb) in [(self, a), (other, b)] {
            for o in &rb.obligations {
                if let Some((law, ob)) = lib.obligation(o) {
                    let key = (law.to_owned(), ob.id.clone());
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        for key in keys {
            let (oa, ob) = (duty(self, a, &key), duty(other, b, &key));
            let mut reads = 0u128;
            let mut sets = Vec::new();
            let mut asks = 0u64;
            for (rb, o) in [(a, oa), (b, ob)] {
                if let Some(o) = o {
                    let (r, s, k) = rb.obligation_reads(o);
                    reads |= r;
                    sets.extend(s);
                    asks |= k;
                }
            }
            let space = Space::over(schema, reads, &sets, asks);
            if space.total() > MAX_COMBINATIONS {
                out.skipped.push(Skipped {
                    key: format!("duty {}/{}", key.0, key.1),
                    combinations: space.total(),
                });
                continue;
            }
            let (mut added, mut dropped) = (Vec::new(), Vec::new());
            space.walk(0, 0, |cx, cube| {
                let on = |rb: &Rulebook, o: Option<&crate::engine::CObligation>| {
                    o.is_some_and(|o| rb.eval(o.cond, cx) == crate::engine::Tri::T)
                };
                match (on(a, oa), on(b, ob)) {
                    (false, true) => added.push(cube()),
                    (true, false) => dropped.push(cube()),
                    _ => {}
                }
            });
            let words = oa
                .and_then(|o| self.obligation(o))
                .or_else(|| ob.and_then(|o| other.obligation(o)))
                .map(|(_, o)| (o.cite.clone(), o.duty.clone()))
                .unwrap_or_default();
            for (is_added, cubes) in [(true, added), (false, dropped)] {
                if cubes.is_empty() {
                    continue;
                }
                out.duties.push(DutyChange {
                    law: key.0.clone(),
                    id: key.1.clone(),
                    cite: words.0.clone(),
                    duty: words.1.clone(),
                    added: is_added,
                    scenarios: cubes.len() as u64,
                    of: space.total(),
                    when: space.describe(schema, cubes),
                });
            }
        }
    }

    /// The law id and the pack's duty behind a compiled obligation.
    fn obligation(
        &self,
        o: &crate::engine::CObligation,
    ) -> Option<(&str, &crate::model::Obligation)> {
        let v = self.loaded.versions.get(o.version)?;
        Some((v.meta.law.as_str(), v.obligations.get(o.obligation)?))
    }

    /// What decides an answer, in words: `law cite`, sorted, each with
    /// ` (doubtful)` where its reading is in doubt.
    fn cited(&self, rb: &Rulebook, slot: usize, deciding: u64, doubtful: u64) -> Vec<String> {
        let positions: Vec<(usize, usize)> = rb.slot_rules(slot).collect();
        let mut out: Vec<String> = bits(deciding)
            .filter_map(|p| {
                let &(v, r) = positions.get(p)?;
                let ver = self.loaded.versions.get(v)?;
                let rule = ver.rules.get(r)?;
                let doubt = if doubtful & (1 << p) != 0 {
                    " (doubtful)"
                } else {
                    ""
                };
                Some(format!("{} {}{doubt}", ver.meta.law, rule.cite))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

fn act_name(schema: &Schema, act: usize) -> String {
    schema
        .acts
        .get(act)
        .map_or_else(String::new, |a| a.name.clone())
}

fn field_name(schema: &Schema, field: Option<usize>) -> Option<String> {
    field
        .and_then(|f| {
            schema
                .field_enum
                .and_then(|e| schema.enums.get(e))
                .and_then(|e| e.values.get(f))
        })
        .map(|(n, _)| n.clone())
}

fn describe(schema: &Schema, vars: &[(Var, usize)], cube: &[u64]) -> Vec<String> {
    let mut out = Vec::new();
    for (&(v, n), &mask) in vars.iter().zip(cube) {
        let full = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        if mask == full {
            continue; // every value: this fact does not matter here
        }
        match v {
            Var::Fact(f) => {
                let Some(fact) = schema.facts.get(f) else {
                    continue;
                };
                match fact.ty {
                    FactType::Bool => out.push(if mask == 0b10 {
                        fact.name.clone()
                    } else {
                        format!("not {}", fact.name)
                    }),
                    FactType::Enum(e) => {
                        let names: Vec<&str> = bits(mask)
                            .filter_map(|i| {
                                schema
                                    .enums
                                    .get(e)
                                    .and_then(|en| en.values.get(i))
                                    .map(|(n, _)| n.as_str())
                            })
                            .collect();
                        out.push(match names.as_slice() {
                            [one] => format!("{} = {one}", fact.name),
                            many => format!("{} in {{{}}}", fact.name, many.join(", ")),
                        });
                    }
                    FactType::Set(_) => {}
                }
            }
            Var::Asks(a) => {
                let name = schema.acts.get(a).map_or("?", |x| x.name.as_str());
                out.push(if mask == 0b10 {
                    format!("asks {name} too")
                } else {
                    format!("does not ask {name}")
                });
            }
            Var::SetValue(f, bit) => {
                let Some(fact) = schema.facts.get(f) else {
                    continue;
                };
                let FactType::Set(e) = fact.ty else { continue };
                let value = schema
                    .enums
                    .get(e)
                    .and_then(|en| en.values.get(bit))
                    .map_or("?", |(n, _)| n.as_str());
                out.push(if mask == 0b10 {
                    format!("{} has {value}", fact.name)
                } else {
                    format!("{} lacks {value}", fact.name)
                });
            }
        }
    }
    out
}

/// Merges cubes that differ in one variable only, until none do. Exact: the
/// union of the result is the union of the input.
fn merge(mut cubes: Vec<Vec<u64>>, n: usize) -> Vec<Vec<u64>> {
    loop {
        let before = cubes.len();
        for v in 0..n {
            let mut by_rest: HashMap<Vec<u64>, u64> = HashMap::new();
            let mut order: Vec<Vec<u64>> = Vec::new();
            for c in cubes.drain(..) {
                let mut rest = c.clone();
                let own = rest.get(v).copied().unwrap_or(0);
                if let Some(x) = rest.get_mut(v) {
                    *x = 0;
                }
                match by_rest.get_mut(&rest) {
                    Some(m) => *m |= own,
                    None => {
                        by_rest.insert(rest.clone(), own);
                        order.push(rest);
                    }
                }
            }
            for mut rest in order {
                let m = by_rest.get(&rest).copied().unwrap_or(0);
                if let Some(x) = rest.get_mut(v) {
                    *x = m;
                }
                cubes.push(rest);
            }
        }
        if cubes.len() == before {
            cubes.sort();
            return cubes;
        }
    }
}
