//! Replays the pack parser's fuzz corpus (`fuzz/corpus/pack_parser/`): every
//! input, loaded as the fuzz target loads it (the built-in schema plus the input
//! as one more pack), must be accepted or refused, never panic or crash.
//!
//! Each input runs in a child process (this test binary, re-run on one input),
//! so that an abort such as a stack overflow is reported against the file that
//! caused it instead of killing every other test in the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child process to the input it must replay.
const CHILD_ENV: &str = "TRUSTGATE_FUZZ_CORPUS_INPUT";
/// Printed by the child when the load returned.
const CHILD_OK: &str = "fuzz-corpus-input-returned";
/// The stack the load runs on: the main thread's usual 8 MiB, as in the fuzz target.
const STACK: usize = 8 << 20;
/// Longest a single input may take.
const TIMEOUT: Duration = Duration::from_secs(120);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/pack_parser")
}

// `exercise(data)`: exactly what the fuzz target does with one input.
include!("../../../../fuzz/exercise.rs");

/// The child's side: replays the one input named by [`CHILD_ENV`]; does
/// nothing in an ordinary test run.
#[test]
fn replay_one_input() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let data = std::fs::read(&path).expect("read the corpus input");
    let outcome = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || exercise(&data))
        .expect("spawn the loading thread")
        .join()
        .expect("loading the input panicked");
    println!("{CHILD_OK}: {outcome:?}");
}

#[test]
fn corpus_replays_without_panic() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    assert!(
        trustgate_packs::law_files().any(|(p, _)| p.ends_with("schema.md")),
        "the built-in packs carry no schema.md"
    );

    let exe = std::env::current_exe().expect("the test binary's path");
    let mut failures = Vec::new();
    for file in &files {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "fuzz_corpus::replay_one_input",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("re-run the test binary");
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait for the child") {
                break Some(s);
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let out = child.wait_with_output().expect("the child's output");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match status {
            None => failures.push(format!("{name}: still running after {TIMEOUT:?}")),
            Some(s) if !s.success() || !stdout.contains(CHILD_OK) => {
                let tail: Vec<&str> = stderr
                    .lines()
                    .chain(stdout.lines())
                    .filter(|l| !l.trim().is_empty())
                    .rev()
                    .take(8)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                failures.push(format!("{name}: {s}\n      {}", tail.join("\n      ")));
            }
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus inputs did not return from Library::load:\n  {}",
        failures.len(),
        files.len(),
        failures.join("\n  ")
    );
}
