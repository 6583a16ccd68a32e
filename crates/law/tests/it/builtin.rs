//! The built-in packs load, and say what they are.

use crate::builtin;

#[test]
fn builtin_packs_load() {
    let lib = builtin();
    let laws: Vec<String> = lib
        .laws()
        .map(|l| {
            format!(
                "{} {}",
                l.law(),
                l.effective_from()
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )
        })
        .collect();
    assert!(
        laws.contains(&"cambridge-2.129 2020-02-10".to_owned()),
        "{laws:?}"
    );
    assert!(
        laws.contains(&"cambridge-2.129 2025-08-04".to_owned()),
        "{laws:?}"
    );
    for l in lib.laws() {
        assert!(
            l.hash().starts_with("sha256:") && l.hash().len() == 7 + 64,
            "{}",
            l.hash()
        );
    }
}
