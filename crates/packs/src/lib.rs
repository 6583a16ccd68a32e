//! The law packs that ship with trustgate, embedded at build time from `packs/`.
//!
//! This crate only carries text; it knows nothing of the engine, so an edit to a
//! pack rebuilds this crate and the binary, never the engine.

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// The pack and schema files (`packs/**/*.md`): the sources of the law library.
pub fn law_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(p, _)| p.ends_with(".md") && !p.ends_with("README.md"))
}

/// The scenario case files kept with the packs (`packs/cases/*.yaml`).
pub fn case_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().copied().filter(|(p, _)| p.ends_with(".yaml"))
}

/// Each place's configuration (`packs/**/place.toml`): its receiving units.
pub fn place_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(p, _)| p.ends_with("/place.toml"))
}

/// Each place's messages for residents (`packs/<place>/messages/<lang>.ftl`),
/// in Fluent; `trustgate_messages` loads them beside its own.
pub fn message_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(p, _)| p.contains("/messages/") && p.ends_with(".ftl"))
}
