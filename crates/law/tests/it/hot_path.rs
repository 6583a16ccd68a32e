//! Deciding a scenario allocates nothing once the `Decision` buffer has grown:
//! measured with a counting allocator, not assumed.

use trustgate_law::{Date, Decision, FactValue, Library, Query};

use crate::builtin;

fn query(lib: &Library, facts: &[(&str, FactValue<'_>)], acts: &[&str], fields: &[&str]) -> Query {
    let mut b = lib
        .query("cambridge", Date::parse("2026-03-01").unwrap())
        .unwrap();
    for (k, v) in facts {
        b.fact(k, *v).unwrap();
    }
    for a in acts {
        b.ask(a).unwrap();
    }
    if !fields.is_empty() {
        b.ask_fields("disclose", fields).unwrap();
    }
    b.build()
}

#[test]
fn deciding_allocates_nothing() {
    let lib = builtin();
    let information_request = query(
        lib,
        &[
            ("requester", FactValue::One("ice-ero")),
            ("department", FactValue::One("police")),
            ("custody", FactValue::One("in-police-custody")),
            ("arrested", FactValue::Bool(true)),
            ("age-group", FactValue::One("adult")),
            ("separate-log", FactValue::Bool(false)),
            ("operation-purpose", FactValue::One("civil-immigration")),
            ("documents", FactValue::Set(&["notification-request"])),
        ],
        &[],
        &[
            "release-date",
            "incarceration-status",
            "home-address",
            "immigration-status",
            "hearing-information",
            "length-of-detention",
            "charges",
        ],
    );
    let detainer = query(
        lib,
        &[
            ("requester", FactValue::One("ice-ero")),
            ("department", FactValue::One("police")),
            ("custody", FactValue::One("in-police-custody")),
            ("documents", FactValue::Set(&["detainer-hold", "i-200"])),
            ("other-custody-basis", FactValue::Bool(false)),
        ],
        &["detain", "extend-detention"],
        &[],
    );
    // Partial: the engine must try every value of the unknown facts that matter.
    let partial = query(
        lib,
        &[("requester", FactValue::One("cbp"))],
        &["grant-access", "detain"],
        &[],
    );
    let mut d = Decision::default();
    for q in [&information_request, &detainer, &partial] {
        lib.decide_into(q, &mut d); // grow the buffer once
        let info = allocation_counter::measure(|| lib.decide_into(q, &mut d));
        assert_eq!(
            info.count_total, 0,
            "deciding allocated {} times ({} bytes)",
            info.count_total, info.bytes_total
        );
        // Reading the answer with its citations, quotes and pack hashes borrows only.
        let mut cited = 0;
        let info = allocation_counter::measure(|| {
            for item in lib.explain(q, &d).items() {
                cited += item.act().name().len() + item.field().map_or(0, |(f, _)| f.len());
                for r in item.deciding() {
                    cited += r.cite().len() + r.quote().len() + r.law().hash().len();
                }
            }
        });
        assert_eq!(
            info.count_total, 0,
            "reading citations allocated {} times",
            info.count_total
        );
        assert!(cited > 0);
        assert!(d.outcomes().count() > 0);
        // The counter does count: a fresh buffer must be allocated.
        let fresh = allocation_counter::measure(|| drop(lib.decide(q)));
        assert!(fresh.count_total > 0, "the allocation counter saw nothing");
    }
}
