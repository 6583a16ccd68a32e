// What the fuzz target does with one input; included by the target
// (`fuzz_targets/pack_parser.rs`) and by the corpus replay test
// (`crates/law/tests/it/fuzz_corpus.rs`), so both do exactly the same.
//
// The built-in schema plus the input as one more pack must load or be refused,
// never panic. A pack that loads is then asked about every act and field with
// nothing known, so fuzzed rules also run through the evaluator and its partial
// evaluation. Returns `None` for input that is not UTF-8, else whether it loaded.

/// Loads `data` as a pack beside the built-in schema and, if it loads, decides with it.
fn exercise(data: &[u8]) -> Option<bool> {
    use trustgate_law::{Date, Library, Source};
    let text = std::str::from_utf8(data).ok()?;
    let (schema_name, schema_text) = trustgate_packs::law_files().find(|(p, _)| p.ends_with("schema.md"))?;
    let sources = [Source { name: schema_name, text: schema_text }, Source { name: "fuzz/input.md", text }];
    let Ok(lib) = Library::load(&sources) else {
        return Some(false);
    };
    let fields = ["name", "release-date", "immigration-status"];
    for date in ["2019-06-01", "2020-06-01", "2026-03-01"] {
        let Ok(date) = Date::parse(date) else { continue };
        for place in lib.places() {
            let Ok(mut q) = lib.query(place.name(), date) else { continue };
            for act in lib.acts() {
                let _ = if act.per_field() { q.ask_fields(act.name(), &fields) } else { q.ask(act.name()) };
            }
            let q = q.build();
            let d = lib.decide(&q);
            for item in lib.explain(&q, &d).items() {
                let _ = item.weighed();
                let _ = item.questions();
            }
        }
    }
    Some(true)
}
