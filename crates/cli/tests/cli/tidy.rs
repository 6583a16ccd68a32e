//! Tidy tests: ARCHITECTURE.md's checkable claims, checked, so the map stays
//! true of the territory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{text, trustgate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap()
}

/// The subcommands a `--help` lists, from its `Commands:` section.
fn commands(args: &[&str]) -> Vec<String> {
    let o = trustgate(args, None);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let mut names = Vec::new();
    let mut inside = false;
    for line in out.lines() {
        if line.starts_with("Commands:") {
            inside = true;
        } else if inside && !line.starts_with(' ') {
            break;
        } else if inside && line.starts_with("  ") && !line.starts_with("   ") {
            let name = line.split_whitespace().next().unwrap_or_default();
            if name != "help" {
                names.push(name.to_owned());
            }
        }
    }
    names
}

#[test]
fn the_entry_point_list_names_every_command_of_the_binary() {
    let mut actual = BTreeSet::new();
    for command in commands(&["--help"]) {
        let sub = commands(&[&command, "--help"]);
        if sub.is_empty() {
            actual.insert(command);
        } else {
            actual.extend(sub.into_iter().map(|s| format!("{command} {s}")));
        }
    }
    let doc = architecture();
    let line = doc
        .lines()
        .find(|l| l.starts_with("- `crates/cli/src/main.rs`: the `trustgate` binary ("))
        .expect("ARCHITECTURE.md lists the binary's commands under Entry points");
    let list = &line[line.find('(').unwrap() + 1..line.find(')').unwrap()];
    let mut claimed = BTreeSet::new();
    for item in list.split(", ") {
        let item = item.trim_matches('`');
        match item.split_once(' ') {
            Some((command, subs)) => {
                claimed.extend(subs.split('|').map(|s| format!("{command} {s}")));
            }
            None => {
                claimed.insert(item.to_owned());
            }
        }
    }
    assert_eq!(
        claimed, actual,
        "ARCHITECTURE.md's entry points against `trustgate --help`"
    );
}

#[test]
fn only_the_crates_architecture_names_derive_serialize() {
    let mut actual = BTreeSet::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        let krate = krate.unwrap().path();
        let mut stack = vec![krate.join("src")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let src = std::fs::read_to_string(&path).unwrap();
                    if src
                        .lines()
                        .any(|l| l.trim_start().starts_with("#[derive(") && l.contains("Serialize"))
                    {
                        let name = krate.file_name().unwrap().to_string_lossy();
                        actual.insert(format!("crates/{name}"));
                    }
                }
            }
        }
    }
    let doc = architecture();
    let line = doc
        .lines()
        .find(|l| l.starts_with("**Serialize types** live only in "))
        .expect("ARCHITECTURE.md says which crates hold Serialize types");
    let claimed: BTreeSet<String> = line
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert_eq!(
        claimed, actual,
        "ARCHITECTURE.md's Serialize claim against the sources"
    );
}
