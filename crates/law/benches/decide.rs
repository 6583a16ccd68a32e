//! Benchmarks of the engine: loading every built-in pack, and deciding typical
//! Cambridge scenarios on 2026-03-01 (the hot path: `decide_into` with a reused
//! `Decision`), with and without building the explanation's citations.
//!
//! Run with `cargo bench -p trustgate-law --bench decide`.

#![allow(
    clippy::panic,
    reason = "a benchmark whose setup fails must stop loudly; there is no caller to report to"
)]
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use trustgate_law::{Date, Decision, FactValue, Library, Query, Source};

/// The built-in pack and schema files.
fn sources() -> Vec<Source<'static>> {
    trustgate_packs::law_files()
        .map(|(name, text)| Source { name, text })
        .collect()
}

fn library() -> Library {
    match Library::load(&sources()) {
        Ok(lib) => lib,
        Err(e) => panic!("built-in packs do not load:\n{e}"),
    }
}

/// A fact given by a benchmark scenario.
type Fact = (&'static str, FactValue<'static>);

/// What a scenario asks: an act decided as a whole, or one decided per field.
enum Ask {
    Whole(&'static str),
    Fields(&'static str, &'static [&'static str]),
}

fn query(lib: &Library, facts: &[Fact], asks: &[Ask]) -> Query {
    let date = match Date::parse("2026-03-01") {
        Ok(d) => d,
        Err(e) => panic!("bad date: {e}"),
    };
    let mut b = match lib.query("cambridge", date) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    for &(name, value) in facts {
        if let Err(e) = b.fact(name, value) {
            panic!("fact {name}: {e}");
        }
    }
    for ask in asks {
        let r = match ask {
            Ask::Whole(act) => b.ask(act),
            Ask::Fields(act, fields) => b.ask_fields(act, fields),
        };
        if let Err(e) = r {
            panic!("{e}");
        }
    }
    b.build()
}

/// ICE-ERO phones the police for seven fields about an adult in custody.
const INFO_FACTS: &[Fact] = &[
    ("requester", FactValue::One("ice-ero")),
    ("department", FactValue::One("police")),
    ("custody", FactValue::One("in-police-custody")),
    ("arrested", FactValue::Bool(true)),
    ("age-group", FactValue::One("adult")),
    ("separate-log", FactValue::Bool(false)),
    ("operation-purpose", FactValue::One("civil-immigration")),
    ("documents", FactValue::Set(&["notification-request"])),
];
const INFO_ASKS: &[Ask] = &[Ask::Fields(
    "disclose",
    &[
        "release-date",
        "incarceration-status",
        "home-address",
        "immigration-status",
        "hearing-information",
        "length-of-detention",
        "charges",
    ],
)];

/// A detainer and an administrative warrant for an adult in police custody.
const DETAINER_FACTS: &[Fact] = &[
    ("requester", FactValue::One("ice-ero")),
    ("department", FactValue::One("police")),
    ("custody", FactValue::One("in-police-custody")),
    ("arrested", FactValue::Bool(true)),
    ("age-group", FactValue::One("adult")),
    ("documents", FactValue::Set(&["detainer-hold", "i-200"])),
    ("other-custody-basis", FactValue::Bool(false)),
];
const DETAINER_ASKS: &[Ask] = &[Ask::Whole("detain"), Ask::Whole("extend-detention")];

/// CBP asks to speak by telephone to a person in police custody.
const ACCESS_FACTS: &[Fact] = &[
    ("requester", FactValue::One("cbp")),
    ("department", FactValue::One("police")),
    ("custody", FactValue::One("in-police-custody")),
    ("access-mode", FactValue::One("telephone")),
    ("documents", FactValue::Set(&[])),
];
const ACCESS_ASKS: &[Ask] = &[Ask::Whole("grant-access")];

/// Decides and reads what a reader of the answer sees: each item's act, field and
/// outcome, and its deciding rules' citations, quotes and pack hashes (all
/// borrowed from the library: no allocation). Returns a checksum so nothing is
/// optimised away.
fn decide_and_cite(lib: &Library, q: &Query, d: &mut Decision) -> usize {
    lib.decide_into(q, d);
    let ex = lib.explain(q, d);
    let mut n = 0;
    for item in ex.items() {
        n += black_box(item.act().name()).len()
            + item.field().map_or(0, |(f, _)| black_box(f).len());
        black_box(item.outcome());
        for rule in item.deciding() {
            n += black_box(rule.cite()).len()
                + black_box(rule.quote()).len()
                + black_box(rule.law().hash()).len();
        }
    }
    n
}

fn bench_load(c: &mut Criterion) {
    let srcs = sources();
    let mut g = c.benchmark_group("load");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(50);
    g.bench_function("all-packs", |b| {
        b.iter(|| Library::load(black_box(&srcs)).is_ok());
    });
    g.finish();
}

fn bench_decide(c: &mut Criterion) {
    let lib = library();
    let scenarios = [
        ("information-request-7-fields", INFO_FACTS, INFO_ASKS),
        ("detainer", DETAINER_FACTS, DETAINER_ASKS),
        ("access-request", ACCESS_FACTS, ACCESS_ASKS),
    ];
    let mut g = c.benchmark_group("decide");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(50);
    for (name, facts, asks) in scenarios {
        let q = query(&lib, facts, asks);
        let mut d = lib.decide(&q);
        // Every act and field asked is settled by the facts given: no item is
        // undetermined. (Obligations may still ask about facts these scenarios
        // leave out, such as a 911 report.)
        let ex = lib.explain(&q, &d);
        let summary: Vec<String> = ex
            .items()
            .map(|i| format!("{} {:?}", i.key(), i.outcome()))
            .collect();
        let open: Vec<String> = ex
            .items()
            .filter(|i| !i.questions().is_empty())
            .map(|i| {
                format!(
                    "{}: {:?}",
                    i.key(),
                    i.questions().iter().map(|f| f.name()).collect::<Vec<_>>()
                )
            })
            .collect();
        if !open.is_empty() {
            panic!("scenario {name} is not fully known: {open:?}");
        }
        eprintln!("scenario {name}: {summary:?}");
        g.bench_function(name, |b| {
            b.iter(|| {
                lib.decide_into(black_box(&q), &mut d);
                black_box(&d);
            });
        });
        g.bench_function(format!("{name}+citations"), |b| {
            b.iter(|| black_box(decide_and_cite(&lib, black_box(&q), &mut d)));
        });
    }
    // The detainer scenario without `other-custody-basis`: the engine must
    // consider both answers and report the question.
    let partial: Vec<Fact> = DETAINER_FACTS
        .iter()
        .copied()
        .filter(|(n, _)| *n != "other-custody-basis")
        .collect();
    let q = query(&lib, &partial, DETAINER_ASKS);
    let mut d = lib.decide(&q);
    let summary: Vec<String> = lib
        .explain(&q, &d)
        .items()
        .map(|i| format!("{} {:?}", i.key(), i.outcome()))
        .collect();
    eprintln!("scenario detainer-partial: {summary:?}");
    g.bench_function("detainer-partial-unknown-other-custody-basis", |b| {
        b.iter(|| {
            lib.decide_into(black_box(&q), &mut d);
            black_box(&d);
        });
    });
    g.bench_function(
        "detainer-partial-unknown-other-custody-basis+citations",
        |b| {
            b.iter(|| black_box(decide_and_cite(&lib, black_box(&q), &mut d)));
        },
    );
    g.finish();
}

criterion_group!(benches, bench_load, bench_decide);
criterion_main!(benches);
