//! Properties over random scenarios drawn from the built-in schema: evaluation is
//! total and deterministic; every decided answer cites its rule; facts no rule
//! reads never change an outcome; and a partial answer holds for every completion.

use proptest::prelude::*;
use trustgate_law::{Date, Decision, FactKind, FactValue, Library, Outcome, Query};

use crate::builtin;

/// A random choice per fact: `None` = unknown, else a seed picking a value.
#[derive(Debug, Clone)]
struct Draw {
    place: usize,
    day: i32,
    facts: Vec<Option<u64>>,
    acts: Vec<u64>,
}

fn draw() -> impl Strategy<Value = Draw> {
    let lib = builtin();
    let n_facts = lib.facts().count();
    let n_acts = lib.acts().count();
    (
        0..lib.places().count(),
        // 2016-01-01 .. 2027-12-31, so every version boundary is crossed.
        16_801i32..21_914,
        prop::collection::vec(prop::option::weighted(0.8, any::<u64>()), n_facts),
        prop::collection::vec(any::<u64>(), n_acts),
    )
        .prop_map(|(place, day, facts, acts)| Draw {
            place,
            day,
            facts,
            acts,
        })
}

fn values_of(lib: &Library, i: usize) -> (FactKind, Vec<&str>) {
    let f = lib.facts().nth(i).unwrap();
    (f.kind(), f.values().iter().map(|(v, _)| *v).collect())
}

/// Builds the query; `override_fact` replaces one fact's draw.
fn build(lib: &Library, d: &Draw, override_fact: Option<(usize, Option<u64>)>) -> Query {
    let place = lib.places().nth(d.place).unwrap().name();
    let mut b = lib.query(place, Date::from_unix_days(d.day)).unwrap();
    for (i, f) in lib.facts().enumerate() {
        let seed = match override_fact {
            Some((j, s)) if j == i => s,
            _ => d.facts[i],
        };
        let Some(seed) = seed else { continue };
        let (kind, vals) = values_of(lib, i);
        match kind {
            FactKind::YesNo => b.fact(f.name(), FactValue::Bool(seed & 1 == 1)).unwrap(),
            FactKind::One => b
                .fact(f.name(), FactValue::One(vals[(seed as usize) % vals.len()]))
                .unwrap(),
            FactKind::Set => {
                let chosen: Vec<&str> = vals
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| seed >> k & 1 == 1)
                    .map(|(_, v)| *v)
                    .collect();
                b.fact(f.name(), FactValue::Set(&chosen)).unwrap();
            }
        }
    }
    for (i, a) in lib.acts().enumerate() {
        let seed = d.acts[i];
        if seed & 3 != 0 {
            continue; // about a quarter of the acts each time
        }
        if a.per_field() {
            let all = [
                "name",
                "home-address",
                "release-date",
                "immigration-status",
                "citizenship",
                "charges",
                "place-of-birth",
                "hearing-information",
            ];
            let chosen: Vec<&str> = all
                .iter()
                .enumerate()
                .filter(|(k, _)| seed >> (2 + k) & 1 == 1)
                .map(|(_, v)| *v)
                .collect();
            if !chosen.is_empty() {
                b.ask_fields(a.name(), &chosen).unwrap();
            }
        } else {
            b.ask(a.name()).unwrap();
        }
    }
    b.build()
}

fn answers(lib: &Library, q: &Query) -> Vec<(String, Outcome, Vec<String>)> {
    let d = lib.decide(q);
    let ex = lib.explain(q, &d);
    let mut v: Vec<(String, Outcome, Vec<String>)> = ex
        .items()
        .map(|i| {
            (
                i.key(),
                i.outcome(),
                i.deciding()
                    .map(|r| format!("{}:{}", r.law().law(), r.id()))
                    .collect(),
            )
        })
        .collect();
    let obligations: Vec<String> = ex
        .obligations()
        .iter()
        .map(|o| format!("{}{}", o.id(), o.certain()))
        .collect();
    v.push(("obligations".into(), Outcome::NotAddressed, obligations));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn total_deterministic_and_cited(d in draw()) {
        let lib = builtin();
        let q = build(lib, &d, None);
        let a = answers(lib, &q);
        prop_assert_eq!(&a, &answers(lib, &q));
        let mut buf = Decision::default();
        lib.decide_into(&q, &mut buf);
        lib.decide_into(&q, &mut buf);
        prop_assert_eq!(buf.outcomes().collect::<Vec<_>>(), lib.decide(&q).outcomes().collect::<Vec<_>>());
        let dec = lib.decide(&q);
        for item in lib.explain(&q, &dec).items() {
            match item.outcome() {
                Outcome::NotAddressed | Outcome::Undetermined => {}
                _ => {
                    prop_assert!(item.deciding().next().is_some(), "{} decided without a rule", item.key());
                    for r in item.deciding() {
                        prop_assert!(!r.cite().is_empty() && !r.quote().is_empty());
                    }
                }
            }
            if item.outcome() == Outcome::Undetermined {
                prop_assert!(!item.questions().is_empty(), "{} undetermined without a question", item.key());
            }
        }
    }

    #[test]
    fn facts_no_rule_reads_change_nothing(d in draw(), pick in any::<usize>(), seed in prop::option::of(any::<u64>())) {
        let lib = builtin();
        let q = build(lib, &d, None);
        let read: Vec<&str> = lib.facts_read(&q).iter().map(|f| f.name()).collect();
        let unread: Vec<usize> = lib.facts().enumerate().filter(|(_, f)| !read.contains(&f.name())).map(|(i, _)| i).collect();
        prop_assume!(!unread.is_empty());
        let f = unread[pick % unread.len()];
        let q2 = build(lib, &d, Some((f, seed)));
        prop_assert_eq!(answers(lib, &q), answers(lib, &q2));
    }

    #[test]
    fn decided_partial_answers_hold_for_every_completion(d in draw(), fill in prop::collection::vec(any::<u64>(), 64)) {
        let lib = builtin();
        let q = build(lib, &d, None);
        let partial = answers(lib, &q);
        // Fill every unknown fact at random: decided answers must not move.
        // A fact the schema assumes when left out stays left out: the answer
        // holds for every completion of what was not assumed (and says so).
        let assumed: Vec<bool> = lib.facts().map(|f| f.assumed().is_some()).collect();
        let mut full = d.clone();
        for (i, f) in full.facts.iter_mut().enumerate() {
            if f.is_none() && !assumed.get(i).copied().unwrap_or(false) {
                *f = Some(fill[i % fill.len()].rotate_left(i as u32));
            }
        }
        let complete = answers(lib, &build(lib, &full, None));
        for ((key, outcome, _), (key2, outcome2, _)) in partial.iter().zip(&complete) {
            prop_assert_eq!(key, key2);
            if key != "obligations" && *outcome != Outcome::Undetermined {
                prop_assert_eq!(outcome, outcome2, "{} moved once unknown facts were filled", key);
            }
        }
    }
}
