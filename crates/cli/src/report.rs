//! `trustgate report`: the 2.129.060 report of one period, counted from the
//! records, as JSON, CSV, an HTML page, a tagged PDF or the cover letter; or
//! every period published as files for the public transparency page
//! (`--publish DIR`, served by `trustgate serve --reports DIR`), with charts
//! across periods on its index.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use trustgate_access::Permission;
use trustgate_law::Date;
use trustgate_place::Place;
use trustgate_report::{DayCount, Period, ReimbursementRow, Report, local_date};
use trustgate_store::{Actor, Clock as _};

use crate::exit;
use crate::records::{Database, SystemClock, open, operator, runtime};

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// The period's number (1 = 10 February to 9 August 2020); default: the
    /// period containing today.
    #[arg(long, conflicts_with = "containing")]
    period: Option<u32>,
    /// The period containing this day (YYYY-MM-DD).
    #[arg(long)]
    containing: Option<String>,
    /// List every period since the ordinance passed, and stop.
    #[arg(long)]
    list: bool,
    /// Write every period's report (page, PDF, JSON, CSV, cover letter) and
    /// an index page into this folder: the public version only.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["period", "containing", "staff"])]
    publish: Option<std::path::PathBuf>,
    /// Sign, with this key (from `trustgate audit keygen`), the audit log's
    /// tree head as of each ended period's end, and put it in the report.
    #[arg(long, value_name = "FILE")]
    checkpoint_key: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Name the records behind each number (for staff; never publish it).
    /// Counted from the records themselves; the public version is counted
    /// from the per-day counters kept as records are written.
    #[arg(long)]
    staff: bool,
    /// Rebuild the per-day counters from every record first.
    #[arg(long)]
    recount: bool,
    #[command(flatten)]
    db: Database,
    #[command(flatten)]
    place: crate::pack::PlaceArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    /// The report as a page.
    Html,
    /// The report as a tagged, accessible PDF (PDF/UA-1), to a file or a
    /// pipe (never to a terminal).
    Pdf,
    /// The cover letter to the City Clerk (a draft for signature).
    Letter,
}

pub(crate) fn run(packs: Option<&std::path::Path>, args: &ReportArgs) -> Result<u8> {
    if matches!(args.format, Format::Pdf)
        && args.publish.is_none()
        && std::io::stdout().is_terminal()
    {
        bail!("--format pdf writes a PDF's bytes: redirect them to a file (`> report.pdf`)");
    }
    let clock = Arc::new(SystemClock);
    let today = local_date(clock.now_ms());
    if args.list {
        for p in Period::through(today) {
            say!("{}\t{} to {}", p.number, p.from, p.until);
        }
        return Ok(exit::OK);
    }
    let signer = match &args.checkpoint_key {
        Some(path) => {
            let text = crate::records::read_secret(path, "a checkpoint signing key")?;
            Some(
                trustgate_audit::checkpoint::parse_signer(&text)
                    .with_context(|| path.display().to_string())?,
            )
        }
        None => None,
    };
    let place = args.place.load(packs, &crate::pack::library(packs)?)?;
    if let Some(dir) = &args.publish {
        return publish(dir, &args.db, &place, today, signer.as_ref());
    }
    // Only periods that have begun exist: the first through the one
    // containing today.
    let period = match (args.period, &args.containing) {
        (Some(n), _) => {
            Period::nth_as_of(n, today).map_err(|e| anyhow::anyhow!("--period {n}: {e}"))?
        }
        (None, Some(day)) => {
            let day = Date::parse(day).map_err(|e| anyhow::anyhow!("--containing {day}: {e}"))?;
            Period::containing_as_of(day, today)
                .map_err(|e| anyhow::anyhow!("--containing {day}: {e}"))?
        }
        (None, None) => Period::containing_as_of(today, today)?,
    };
    let report = runtime()?.block_on(async {
        let store = open(&args.db, clock).await?;
        if args.recount {
            let n = store.recount_reports(&Actor::system("report")).await?;
            eprintln!("recounted {n} record(s)");
        }
        let report = count(&store, &place, period, args.staff, signer.as_ref(), today).await;
        store.close().await;
        report
    })?;
    match args.format {
        Format::Json => say!("{}", report.to_json()),
        Format::Csv => say_raw!("{}", report.to_csv()),
        Format::Html => say_raw!("{}", trustgate_render::render_report(&report, &[])),
        Format::Pdf => {
            let pdf = trustgate_report_pdf::report_pdf(&report)?;
            if let Err(e) = std::io::stdout().lock().write_all(&pdf) {
                crate::stdout_failed(e);
            }
        }
        Format::Letter => say_raw!("{}", report.cover_letter()),
    }
    Ok(exit::OK)
}

type Signer = (String, trustgate_audit::SigningKey);

/// Reads one period's records (audited) and counts its report; with a
/// signer, an ended period gets the log's checkpoint as of its end.
async fn count(
    store: &trustgate_store::Store,
    place: &Place,
    period: Period,
    staff: bool,
    signer: Option<&Signer>,
    today: Date,
) -> Result<Report> {
    let days = (period.from.to_string(), period.until.to_string());
    let mut report = if staff {
        let rows = store
            .report_rows(
                &operator("report", &[Permission::ReadAllContacts]),
                period.utc_ms(),
                days,
            )
            .await?;
        Report::count(
            period,
            place,
            &rows.contacts,
            &money_rows(rows.reimbursements),
            true,
        )
    } else {
        let counted = store.report_counts(&operator("report", &[]), days).await?;
        let counts = counted
            .counts
            .into_iter()
            .map(|(day, breakdown, key, count)| {
                Ok(DayCount {
                    day: Date::parse(&day)
                        .map_err(|e| anyhow::anyhow!("a stored counter's day `{day}`: {e}"))?,
                    breakdown,
                    key,
                    count: u64::try_from(count).unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Report::from_counts(period, place, &counts, &money_rows(counted.reimbursements))
    };
    if let (Some((origin, key)), true) = (signer, period.until < today) {
        let end_ms = period.utc_ms().1;
        let (size, root) = store
            .audit_head_at(&operator("report", &[Permission::ReadAuditLog]), end_ms)
            .await?;
        let cp = trustgate_audit::Checkpoint {
            origin: origin.clone(),
            size,
            root,
            time_ms: end_ms,
        };
        report.checkpoint = Some(trustgate_report::Checkpoint {
            note: trustgate_audit::checkpoint::sign(&cp, key)?,
            public_key: trustgate_audit::checkpoint::verifier_text(origin, &key.verifying_key()),
            how_to_check: trustgate_report::HOW_TO_CHECK,
        });
    }
    Ok(report)
}

fn money_rows(rows: Vec<(trustgate_store::ContactId, i64, String)>) -> Vec<ReimbursementRow> {
    rows.into_iter()
        .map(|(contact, amount_cents, received_on)| ReimbursementRow {
            contact: contact.0,
            amount_cents,
            received_on,
        })
        .collect()
}

/// The file names of a period's report, its page first.
fn files(r: &Report) -> Vec<(&'static str, String)> {
    let base = format!("2.129.060-period-{:02}", r.period.number);
    vec![
        ("page", format!("{base}.html")),
        ("PDF", format!("{base}.pdf")),
        ("JSON", format!("{base}.json")),
        ("CSV", format!("{base}.csv")),
        ("cover letter", format!("{base}-letter.txt")),
    ]
}

/// Publishes every period. Ended periods are closed first, in the audit
/// log, and only then counted: a contact recorded after its period was
/// closed is a late entry, so none can slip between the count and the
/// closing unflagged. Every file is rendered before any is written, then
/// each is written beside its final name and renamed over it, so a reader
/// of the folder never sees half a file. If writing fails after the
/// closing, running the command again writes the same files: a report is
/// counted from the records, byte for byte the same.
fn publish(
    dir: &std::path::Path,
    db: &Database,
    place: &Place,
    today: Date,
    signer: Option<&Signer>,
) -> Result<u8> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let reports = runtime()?.block_on(async {
        let store = open(db, Arc::new(SystemClock)).await?;
        let result = async {
            let actor = Actor::system("report");
            for period in Period::through(today)
                .into_iter()
                .filter(|p| p.until < today)
            {
                store.record_publication(&actor, period).await?;
            }
            let mut reports = Vec::new();
            for period in Period::through(today) {
                reports.push(count(&store, place, period, false, signer, today).await?);
            }
            Ok::<_, anyhow::Error>(reports)
        }
        .await;
        store.close().await;
        result
    })?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for r in &reports {
        let names = files(r);
        let name = |label: &str| {
            names
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, f)| f.clone())
                .unwrap_or_default()
        };
        let links: Vec<(&str, &str)> = names
            .iter()
            .skip(1)
            .map(|(l, f)| (*l, f.as_str()))
            .collect();
        out.push((
            name("page"),
            trustgate_render::render_report(r, &links).into_bytes(),
        ));
        out.push((name("PDF"), trustgate_report_pdf::report_pdf(r)?));
        out.push((name("JSON"), r.to_json().into_bytes()));
        out.push((name("CSV"), r.to_csv().into_bytes()));
        out.push((name("cover letter"), r.cover_letter().into_bytes()));
    }
    out.push((
        "index.html".to_owned(),
        trustgate_render::render_report_index(&reports, files).into_bytes(),
    ));
    // Open data: every period's CSV under one table schema.
    let csv_of = |r: &Report| {
        files(r)
            .into_iter()
            .find(|(label, _)| *label == "CSV")
            .map(|(_, f)| f)
            .unwrap_or_default()
    };
    out.push((
        "datapackage.json".to_owned(),
        trustgate_report::data_package(&reports, csv_of).into_bytes(),
    ));
    for (name, bytes) in &out {
        replace(&dir.join(name), bytes).with_context(|| {
            format!(
                "the ended periods are closed, but the reports were not all written to {}: run the command again to write them",
                dir.display()
            )
        })?;
    }
    say!(
        "published {} period(s) to {} (index.html and datapackage.json, and a page, PDF, JSON, CSV and cover letter each)",
        reports.len(),
        dir.display()
    );
    Ok(exit::OK)
}

/// Writes `bytes` to `path` whole or not at all: to a temporary file beside
/// it, flushed to disk, then renamed over it.
fn replace(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}
