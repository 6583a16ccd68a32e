//! Fuzzes the pack parser, validator, compiler and evaluator; see `../exercise.rs`.
#![no_main]

include!("../exercise.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = exercise(data);
});
