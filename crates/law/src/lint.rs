//! Reasoning over every scenario at once, for the people who keep the law
//! current: rules that can never apply (almost always an encoding mistake: a
//! condition that contradicts itself, or an exception whose rule never applies
//! where it does), limits that overlap the rule they limit (a `limits:` rule
//! is the other side of a line, so a scenario where both decide is a line
//! drawn wrongly), and every conflict the packs in force can produce, with its
//! exact conditions.

use std::collections::BTreeSet;

use crate::diff::{MAX_COMBINATIONS, Skipped, Space, slot_key, slots};
use crate::{Date, Library, Outcome};

/// A rule that never takes effect: no scenario, at any place or date where it
/// is in force, makes it apply without an exception overriding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeverApplies {
    /// The law's id.
    pub law: String,
    /// The version.
    pub version: String,
    /// The rule's id.
    pub rule: String,
    /// Where it is written: `file:line:column`.
    pub at: String,
}

/// A `limits:` rule that applies in a scenario where the rule it limits
/// applies too: the limit claims the other side of the rule's line, yet both
/// decide the same act there, so one of their conditions is drawn wrongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitOverlap {
    /// The law's id.
    pub law: String,
    /// The version.
    pub version: String,
    /// The limit's id.
    pub limit: String,
    /// The id of the rule it limits.
    pub rule: String,
    /// Where the limit is written: `file:line:column`.
    pub at: String,
    /// The first place where they overlap.
    pub place: String,
    /// `act` or `act.field`.
    pub key: String,
    /// When both apply (a union of conjunctions).
    pub when: Vec<Vec<String>>,
}

/// Scenarios in which rules in force disagree, at one place over a stretch of dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRegion {
    /// The place.
    pub place: String,
    /// First day of the stretch (`None`: before every law).
    pub from: Option<Date>,
    /// Last day (`None`: open).
    pub until: Option<Date>,
    /// `act` or `act.field`.
    pub key: String,
    /// The rules in conflict (`law/id`).
    pub rules: Vec<String>,
    /// How many combinations of the facts conflict, of how many.
    pub scenarios: u64,
    /// Out of.
    pub of: u64,
    /// When (a union of conjunctions).
    pub when: Vec<Vec<String>>,
}

/// What a lint of all the packs found.
#[derive(Debug, Clone, Default)]
pub struct Lint {
    /// Rules that never take effect.
    pub never_apply: Vec<NeverApplies>,
    /// Limits that overlap the rule they limit, once per pair.
    pub limit_overlaps: Vec<LimitOverlap>,
    /// Every conflict, by place and stretch of dates.
    pub conflicts: Vec<ConflictRegion>,
    /// Acts whose fact space was too large to try whole (their rules are not
    /// judged "never applies").
    pub skipped: Vec<Skipped>,
}

impl Library {
    /// Tries every scenario at every place and stretch of dates.
    pub fn lint(&self) -> Lint {
        let schema = &self.loaded.schema;
        let mut out = Lint::default();
        let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut active: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut reported: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
        for (place, entries) in self.index.iter().enumerate() {
            let place_name = schema.places.get(place).map_or("?", |p| p.name.as_str());
            for &(from, book) in entries {
                let Some(rb) = self.books.get(book) else {
                    continue;
                };
                if rb.versions.is_empty() {
                    continue;
                }
                for (act, field) in slots(schema) {
                    let Some(slot) = rb.slot(act, field) else {
                        crate::engine::invariant!("a schema act has no slot in a rulebook");
                        continue;
                    };
                    let positions: Vec<(usize, usize)> = rb.slot_rules(slot).collect();
                    if positions.is_empty() {
                        continue;
                    }
                    let space = Space::of(schema, act, &[(rb, slot)]);
                    if space.total() > MAX_COMBINATIONS {
                        out.skipped.push(Skipped {
                            key: slot_key(schema, act, field),
                            combinations: space.total(),
                        });
                        active.extend(positions.iter().copied());
                        continue;
                    }
                    let pairs = self.limit_pairs(&positions);
                    let mut overlap_cubes: Vec<Vec<_>> = vec![Vec::new(); pairs.len()];
                    let (mut ever, mut in_conflict) = (0u64, 0u64);
                    let mut cubes = Vec::new();
                    space.for_each(act, field, |cx, cube| {
                        let (act_t, outcome) = rb.active_known(slot, cx);
                        ever |= act_t;
                        if outcome == Outcome::Conflict {
                            in_conflict |= act_t;
                            cubes.push(cube());
                        }
                        for (&(l, t), found) in pairs.iter().zip(overlap_cubes.iter_mut()) {
                            if act_t & (1 << l) != 0 && act_t & (1 << t) != 0 {
                                found.push(cube());
                            }
                        }
                    });
                    for (&(l, t), found) in pairs.iter().zip(overlap_cubes) {
                        if found.is_empty() {
                            continue;
                        }
                        let (Some(&(v, lr)), Some(&(_, tr))) = (positions.get(l), positions.get(t))
                        else {
                            continue;
                        };
                        if !reported.insert((v, lr, tr)) {
                            continue;
                        }
                        let (Some(ver), Some(limit), Some(rule)) = (
                            self.loaded.versions.get(v),
                            self.loaded.versions.get(v).and_then(|x| x.rules.get(lr)),
                            self.loaded.versions.get(v).and_then(|x| x.rules.get(tr)),
                        ) else {
                            continue;
                        };
                        out.limit_overlaps.push(LimitOverlap {
                            law: ver.meta.law.clone(),
                            version: ver.meta.version.clone(),
                            limit: limit.id.clone(),
                            rule: rule.id.clone(),
                            at: self.rule_at_text(limit.file, limit.offset),
                            place: place_name.to_owned(),
                            key: slot_key(schema, act, field),
                            when: space.describe(schema, found),
                        });
                    }
                    for (pos, &vr) in positions.iter().enumerate() {
                        seen.insert(vr);
                        if ever & (1 << pos) != 0 {
                            active.insert(vr);
                        }
                    }
                    if !cubes.is_empty() {
                        let rules = positions
                            .iter()
                            .enumerate()
                            .filter(|(pos, _)| in_conflict & (1 << pos) != 0)
                            .filter_map(|(_, &(v, r))| self.rule_ref(v, r))
                            .collect();
                        let region = ConflictRegion {
                            place: place_name.to_owned(),
                            from,
                            until: rb.until,
                            key: slot_key(schema, act, field),
                            rules,
                            scenarios: cubes.len() as u64,
                            of: space.total(),
                            when: space.describe(schema, cubes),
                        };
                        // One region over adjoining stretches where nothing about it changed.
                        match out.conflicts.iter_mut().find(|c| {
                            c.place == region.place
                                && c.key == region.key
                                && c.rules == region.rules
                                && c.when == region.when
                                && c.until.map(Date::succ) == region.from
                        }) {
                            Some(c) => c.until = region.until,
                            None => out.conflicts.push(region),
                        }
                    }
                }
            }
        }
        for &(v, r) in seen.difference(&active) {
            let (Some(ver), Some(rule)) = (
                self.loaded.versions.get(v),
                self.loaded.versions.get(v).and_then(|x| x.rules.get(r)),
            ) else {
                continue;
            };
            let at = self.rule_at_text(rule.file, rule.offset);
            out.never_apply.push(NeverApplies {
                law: ver.meta.law.clone(),
                version: ver.meta.version.clone(),
                rule: rule.id.clone(),
                at,
            });
        }
        out
    }

    /// `file:line:column` of a rule.
    fn rule_at_text(&self, file: usize, offset: usize) -> String {
        self.files.get(file).map_or_else(String::new, |f| {
            let (line, col) = f.position(offset);
            format!("{}:{line}:{col}", f.name)
        })
    }

    /// In one slot, the positions `(limit, rule it limits)` of each `limits:`
    /// pair (a limit and its rule are of the same version).
    fn limit_pairs(&self, positions: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (l, &(v, r)) in positions.iter().enumerate() {
            let Some(rule) = self.loaded.versions.get(v).and_then(|x| x.rules.get(r)) else {
                continue;
            };
            for &target in &rule.limits {
                if let Some(t) = positions.iter().position(|&p| p == (v, target)) {
                    pairs.push((l, t));
                }
            }
        }
        pairs
    }

    fn rule_ref(&self, version: usize, rule: usize) -> Option<String> {
        let v = self.loaded.versions.get(version)?;
        Some(format!("{}/{}", v.meta.law, v.rules.get(rule)?.id))
    }
}
