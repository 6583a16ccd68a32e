//! Wall time per decision of the measured request (seven fields), the three
//! engines in one run, so the machine's noise falls on all of them alike.

use criterion::{Criterion, criterion_group, criterion_main};
use policy_compare::{Cedar, Rego, Scenario, Trustgate};
use std::hint::black_box;

fn compare(c: &mut Criterion) {
    let s = Scenario::measured();
    let tg = Trustgate::new();
    let q = tg.query(&s);
    let mut d = tg.decision();
    let cedar = Cedar::new();
    let mut rego = Rego::new();
    let mut g = c.benchmark_group("seven-field information request");
    g.bench_function("trustgate", |b| {
        b.iter(|| black_box(tg.prohibited(black_box(&q), &mut d)))
    });
    g.bench_function("trustgate with citations", |b| {
        b.iter(|| black_box(tg.cited(black_box(&q), &mut d)))
    });
    g.bench_function("cedar (7 requests)", |b| {
        b.iter(|| black_box(cedar.prohibited(black_box(&s))))
    });
    g.bench_function("regorus", |b| {
        b.iter(|| black_box(rego.prohibited(black_box(&s))))
    });
    g.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
