//! `trustgate report`: the 2.129.060 report of one period, counted from the
//! records, as JSON or CSV (the HTML page, PDF and charts come next).

use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use trustgate_law::Date;
use trustgate_report::{ContactRow, Period, ReimbursementRow, Report, local_date};
use trustgate_store::{Actor, Clock as _};

use crate::exit;
use crate::records::{Database, SystemClock, open, runtime};

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
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Name the records behind each number (for staff; never publish it).
    #[arg(long)]
    staff: bool,
    #[command(flatten)]
    db: Database,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

pub(crate) fn run(args: &ReportArgs) -> Result<u8> {
    let clock = Arc::new(SystemClock);
    let today = local_date(clock.now_ms());
    if args.list {
        for p in Period::through(today) {
            say!("{}\t{} to {}", p.number, p.from, p.until);
        }
        return Ok(exit::OK);
    }
    let period = match (args.period, &args.containing) {
        (Some(n), _) => Period::nth(n).with_context(|| format!("there is no period {n}"))?,
        (None, Some(day)) => {
            let day = Date::parse(day).map_err(|e| anyhow::anyhow!("--containing {day}: {e}"))?;
            match Period::containing(day) {
                Some(p) => p,
                None => bail!("{day} is before the ordinance passed (2020-02-10)"),
            }
        }
        (None, None) => {
            Period::containing(today).context("today is before the ordinance passed")?
        }
    };
    let rows = runtime()?.block_on(async {
        let store = open(&args.db, clock).await?;
        let rows = store
            .report_rows(
                &Actor::system("report"),
                period.utc_ms(),
                (period.from.to_string(), period.until.to_string()),
            )
            .await;
        store.close().await;
        Ok::<_, anyhow::Error>(rows?)
    })?;
    let contacts: Vec<ContactRow> = rows
        .contacts
        .into_iter()
        .map(|c| ContactRow {
            id: c.id.0,
            kind: c.kind.as_str().to_owned(),
            channel: c.channel.as_str().to_owned(),
            receiving_unit: c.receiving_unit,
            received_ms: c.received_ms,
            scenario: c.scenario,
            acts_done: c.acts_done,
        })
        .collect();
    let money: Vec<ReimbursementRow> = rows
        .reimbursements
        .into_iter()
        .map(|(contact, amount_cents, received_on)| ReimbursementRow {
            contact: contact.0,
            amount_cents,
            received_on,
        })
        .collect();
    let report = Report::count(period, &contacts, &money, args.staff);
    match args.format {
        Format::Json => say!("{}", report.to_json()),
        Format::Csv => say_raw!("{}", report.to_csv()),
    }
    Ok(exit::OK)
}
