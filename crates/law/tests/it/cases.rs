//! Every scenario case kept with the packs (`packs/cases/*.yaml`) passes.

use crate::builtin;

#[test]
fn all_pack_cases_pass() {
    let lib = builtin();
    let mut failed = Vec::new();
    let mut total = 0;
    for (file, text) in trustgate_packs::case_files() {
        for r in trustgate_casebook::run_file(lib, file, text) {
            total += 1;
            if !r.passed() {
                failed.push(format!(
                    "{}#{} {}:\n    {}",
                    r.file,
                    r.index,
                    r.name,
                    r.failures.join("\n    ")
                ));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} cases failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        total >= 120,
        "only {total} scenario cases; the packs need at least 120"
    );
}
