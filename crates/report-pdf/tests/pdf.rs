//! The PDF is checked by Poppler, as a reader of the published file would:
//! `pdfinfo` must call it tagged and PDF/UA, `pdftoppm` must render every
//! page, and `pdftotext` must find the numbers and the law's words. The
//! tests need poppler-utils (`.ci/run` installs it) and fail without it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;
use std::process::Command;

use trustgate_law::Date;
use trustgate_report::{Checkpoint, ContactRow, HOW_TO_CHECK, Period, ReimbursementRow, Report};
use trustgate_report_pdf::report_pdf;

/// 2026-03-01 12:00 EST.
const MARCH: i64 = 1_772_384_400_000;
const DAY: i64 = 86_400_000;

fn row(id: i64, kind: &str, unit: &str, facts: &str, acts: &[&str], at: i64) -> ContactRow {
    ContactRow {
        id,
        kind: kind.into(),
        channel: "fax".into(),
        receiving_unit: unit.into(),
        received_ms: at,
        scenario: trustgate_records::scenario::parse(&format!(
            r#"{{"place":"cambridge","date":"2026-03-01","facts":{{{facts}}},"acts":{{}}}}"#
        ))
        .unwrap(),
        acts_done: acts.iter().map(|a| (*a).to_owned()).collect(),
        withheld: None,
        late_entry: false,
    }
}

/// The units the rows use.
fn place() -> trustgate_place::Place {
    trustgate_place::Place::parse(
        "test.toml",
        "id = \"test\"\nname = \"Test\"\n[[units]]\nid = \"booking\"\nname = \"Booking\"\n[[units]]\nid = \"front-desk\"\nname = \"Front desk\"\n",
    )
    .unwrap()
}

fn period() -> Period {
    Period::containing(Date::parse("2026-03-01").unwrap()).unwrap()
}

/// A report with every section non-empty, a unit name that is Typst markup
/// (it must print as written), and a checkpoint.
fn varied_report() -> Report {
    let hold =
        r#""department":"police","requester":"ice-ero","documents":["detainer-hold","i-200"]"#;
    let rows = vec![
        row(1, "detainer", "booking", hold, &["detain"], MARCH),
        row(
            2,
            "detainer",
            "#panic(\"x\") *bold* $math$ [a]",
            r#""department":"police","documents":["detainer-notify"]"#,
            &[],
            MARCH + DAY,
        ),
        row(
            3,
            "administrative-warrant",
            "booking",
            r#""requester":"ice-ero""#,
            &["transfer-to-ice"],
            MARCH + 40 * DAY,
        ),
        row(
            4,
            "notification-request",
            "front-desk",
            r#""department":"police","requester":"ice-hsi""#,
            &["disclose.release-date"],
            MARCH + 2 * DAY,
        ),
    ];
    let money = vec![ReimbursementRow {
        contact: 3,
        amount_cents: 123_456,
        received_on: "2026-04-20".into(),
    }];
    let mut report = Report::count(period(), &place(), &rows, &money, false);
    // A unit off the list counts as unlisted; the PDF must still print any
    // key as written, so put markup there directly.
    let unlisted = report
        .a
        .by_receiving_unit
        .remove(trustgate_report::UNLISTED_UNIT)
        .unwrap();
    report
        .a
        .by_receiving_unit
        .insert("#panic(\"x\") *bold* $math$ [a]".into(), unlisted);
    report.checkpoint = Some(Checkpoint {
        note: "trustgate.example/audit\n42\nq5Zy0yq2b6Vg8Jc7vQ2C3g==\n\n— trustgate.example/audit AbCdEf==\n".into(),
        public_key: "trustgate.example/audit+1a2b3c4d+AQID".into(),
        how_to_check: HOW_TO_CHECK,
    });
    report
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install poppler-utils (.ci/run does)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn the_pdf_is_tagged_titled_and_renders() {
    let report = varied_report();
    let pdf = report_pdf(&report).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "report.pdf", &pdf);

    let info = poppler("pdfinfo", &[&file]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("pdfinfo has no {name}\n{info}"))
    };
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(
        field("Title:"),
        "Report under 2.129.060, 2026-02-10 to 2026-08-09"
    );
    assert_eq!(field("Author:"), report.addressed.from);
    let pages: u32 = field("Pages:").parse().unwrap();
    assert!(pages >= 2, "{info}");
    // PDF/UA-1 is declared in the XMP metadata (pdfuaid:part 1).
    let meta = poppler("pdfinfo", &["-meta", &file]);
    assert!(meta.contains("pdfuaid:part"), "{meta}");
    assert!(
        !info.contains("CreationDate"),
        "no clock in the bytes: {info}"
    );

    // Every page renders.
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &["-png", "-r", "40", &file, prefix.to_str().unwrap()],
    );
    let rendered = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(u32::try_from(rendered).unwrap(), pages);

    // The numbers, the law's words, the money, the checkpoint, and the
    // markup-looking unit printed as written.
    let text = poppler("pdftotext", &["-layout", &file, "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        format!("(a) Requests lodged: {}", report.a.total),
        format!("(b) Individuals held: {}", report.b.total),
        format!("(c) Individuals transferred: {}", report.c.total),
        "(d) Reimbursements received: $1,234.56".to_owned(),
        format!("(e) Investigations: {}", report.e.total),
        "A statistical breakdown of the total number of ICE detainers requests".to_owned(),
        "#panic(\"x\") *bold* $math$ [a]".to_owned(),
        "trustgate.example/audit+1a2b3c4d+AQID".to_owned(),
        "How the numbers are counted".to_owned(),
    ] {
        assert!(flat.contains(&expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(report.a.total, 5, "two instruments on record 1");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = varied_report();
    let one = report_pdf(&report).unwrap();
    let two = report_pdf(&report).unwrap();
    assert!(one.starts_with(b"%PDF-"));
    assert!(one == two, "two typesettings of one report differ");

    let mut other = report.clone();
    other.b.total += 1;
    assert!(
        report_pdf(&other).unwrap() != one,
        "a changed number must show"
    );
}

#[test]
fn an_empty_period_is_typeset_with_its_zeros() {
    let report = Report::count(period(), &place(), &[], &[], false);
    let pdf = report_pdf(&report).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "empty.pdf", &pdf);
    let text = poppler("pdftotext", &[&file, "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("(a) Requests lodged: 0"), "{text}");
    assert!(
        flat.contains("(d) Reimbursements received: $0.00"),
        "{text}"
    );
}
