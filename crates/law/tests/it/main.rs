//! Integration tests of the engine: one binary (link once, on two cores).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly at the first surprise"
)]

mod builtin;
mod cases;
mod diff;
mod fuzz_corpus;
mod hot_path;
mod interim;
mod lint;
mod properties;
mod proposals;
mod robustness;
mod semantics;
mod validation;

use trustgate_law::{Library, Source};

/// The built-in packs, loaded once per test binary.
pub(crate) fn builtin() -> &'static Library {
    static LIB: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    LIB.get_or_init(|| {
        let sources: Vec<Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| Source { name, text })
            .collect();
        match Library::load(&sources) {
            Ok(lib) => lib,
            Err(e) => panic!("built-in packs do not load:\n{e}"),
        }
    })
}
