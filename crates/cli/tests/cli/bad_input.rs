//! Hostile or mistaken input: every refusal is an error that says where,
//! promptly, never a panic, a hang or a runaway allocation.

use crate::records::TempDb;
use crate::{text, trustgate};

/// Today in Cambridge, by the clock the command reads.
fn today() -> trustgate_law::Date {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    trustgate_report::local_date(i64::try_from(now_ms).unwrap())
}

#[test]
fn periods_that_have_not_begun_and_days_to_come_are_refused() {
    let tmp = TempDb::new("periods");
    let db = tmp.db();
    let current = trustgate_report::Period::containing(today()).unwrap();
    let last = format!(
        "the last period is {} ({} to {})",
        current.number, current.from, current.until
    );
    let next = (current.number + 1).to_string();
    for (command, n) in [
        ("report", next.as_str()),
        ("report", "9999"),
        ("report", "357913943"),
        ("report", "4294967295"),
        ("reconcile", "9999"),
        ("reconcile", "4294967295"),
    ] {
        let mut args = vec![command, "--period", n, "--database", &db];
        if command == "reconcile" {
            args.extend(["--ice", "ice.csv", "--facility", "X=y"]);
        }
        let o = trustgate(&args, None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{command} --period {n}: {t}");
        assert!(
            t.contains(&format!("--period {n}: it has not begun; {last}")),
            "{command} --period {n}: {t}"
        );
        assert!(!t.contains("panicked"), "{t}");
    }
    let zero = trustgate(&["report", "--period", "0", "--database", &db], None);
    assert_eq!(zero.status.code(), Some(2));
    assert!(
        text(&zero).contains("--period 0: periods are numbered from 1"),
        "{}",
        text(&zero)
    );
    let tomorrow = today().succ().to_string();
    for day in ["9999-12-31", tomorrow.as_str()] {
        let o = trustgate(&["report", "--containing", day, "--database", &db], None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{t}");
        assert!(
            t.contains(&format!("--containing {day}: it is after today")),
            "{t}"
        );
    }
    let o = trustgate(
        &["report", "--containing", "2019-05-01", "--database", &db],
        None,
    );
    assert!(
        text(&o)
            .contains("--containing 2019-05-01: it is before the ordinance passed (2020-02-10)"),
        "{}",
        text(&o)
    );
    // Refused before the records are opened.
    assert!(!std::path::Path::new(&db).exists());
}

/// Runs `trustgate` with `stdin`, and says how long it took; kills it and
/// fails after `limit`.
fn trustgate_within(
    args: &[&str],
    stdin: &str,
    limit: std::time::Duration,
) -> (std::process::Output, std::time::Duration) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(args)
        .env("TRUSTGATE_PLACE", "cambridge")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_owned();
    // The program may refuse before reading it all: a closed pipe is fine.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "`trustgate {}` took longer than {limit:?}; it said: {}",
                args.join(" "),
                text(&out)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let took = started.elapsed();
    writer.join().unwrap();
    (child.wait_with_output().unwrap(), took)
}

/// JSON went through the YAML parser, which took worse than quadratic time
/// on deep nesting (32,000 levels: 12 s). JSON now goes through serde_json
/// (nesting at most 128), YAML is measured before it is parsed.
#[test]
fn deeply_nested_input_is_refused_at_once() {
    let n = 100_000;
    let deep_array = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_facts = format!(
        "{{\"place\": \"cambridge\", \"facts\": {{\"documents\": {}{}}}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    let deep_map = format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n));
    let flow_yaml = format!(
        "place: cambridge\nacts: {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let dashes_yaml = format!("acts:\n  {}x\n", "- ".repeat(n));
    let block_yaml: String = (0..1_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let cases: [(&str, &str); 6] = [
        (
            &deep_array,
            "-: $ (line 1, column 1): a scenario in JSON is an object",
        ),
        (
            &deep_facts,
            "-: $.facts.documents[0] (line 1, column 47): invalid type: sequence, expected a string",
        ),
        (&deep_map, "-: $.a (line 1, column 4): unknown field `a`"),
        (
            &flow_yaml,
            "-: $ (line 2, column 69): the YAML nests more than 64 levels deep",
        ),
        (
            &dashes_yaml,
            "-: $ (line 2, column 127): the YAML nests more than 64 levels deep",
        ),
        (
            &block_yaml,
            "-: $ (line 64, column 64): the YAML nests more than 64 levels deep",
        ),
    ];
    for (input, want) in cases {
        let (o, took) =
            trustgate_within(&["check", "-"], input, std::time::Duration::from_secs(10));
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{t}");
        assert!(t.contains(want), "wanted: {want}\ngot: {t}");
        assert!(took < std::time::Duration::from_secs(2), "{took:?}: {want}");
    }
    // A .json file is JSON whatever it begins with.
    let tmp = TempDb::new("deep-json");
    let file = tmp.file("deep.json");
    std::fs::write(&file, format!("\n\n  {deep_map}")).unwrap();
    let (o, _) = trustgate_within(&["check", &file], "", std::time::Duration::from_secs(10));
    assert!(
        text(&o).contains("deep.json: $.a (line 3, column 6): unknown field `a`"),
        "{}",
        text(&o)
    );
    let not_json = tmp.file("scenario.json");
    std::fs::write(&not_json, "place: cambridge\n").unwrap();
    let (o, _) = trustgate_within(
        &["check", &not_json],
        "",
        std::time::Duration::from_secs(10),
    );
    assert!(
        text(&o).contains("scenario.json: $ (line 1, column 1): a scenario in JSON is an object"),
        "{}",
        text(&o)
    );
    // And an input too large to be a scenario is refused before it is parsed.
    let huge = format!("place: cambridge\n# {}\n", "x".repeat(2 << 20));
    let (o, _) = trustgate_within(&["check", "-"], &huge, std::time::Duration::from_secs(10));
    assert!(
        text(&o).contains("-: $: the input is larger than 1 MiB; a scenario is far smaller"),
        "{}",
        text(&o)
    );
}

/// A FIFO named like a pack file: opening it to read waits for a writer
/// that never comes. Files are told apart by their metadata first.
#[test]
fn a_fifo_in_a_packs_folder_is_reported_not_waited_on() {
    let tmp = TempDb::new("fifo-packs");
    let dir = tmp.file("packs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        std::path::Path::new(&dir).join("schema.md"),
        include_str!("../../../../packs/schema.md"),
    )
    .unwrap();
    let fifo = std::path::Path::new(&dir).join("evil.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (o, _) = trustgate_within(
        &["--packs", &dir, "pack", "validate"],
        "",
        std::time::Duration::from_secs(10),
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains(&format!(
            "{}: not a regular file (a FIFO); only regular files are read",
            fifo.display()
        )),
        "{t}"
    );
    // The same for case files.
    std::fs::remove_file(&fifo).unwrap();
    let cases = tmp.file("cases");
    std::fs::create_dir_all(&cases).unwrap();
    let fifo = std::path::Path::new(&cases).join("evil.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (o, _) = trustgate_within(
        &["pack", "test", "--cases", &cases],
        "",
        std::time::Duration::from_secs(10),
    );
    assert!(
        text(&o).contains(&format!("{}: not a regular file (a FIFO)", fifo.display())),
        "{}",
        text(&o)
    );
}
