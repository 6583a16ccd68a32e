//! `trustgate reconcile`: the city's detainer records against ICE's own
//! released detainer data (CSV), for the city's facilities.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use trustgate_law::Date;
use trustgate_report::reconcile::{CityDetainer, read_ice_csv, reconcile};
use trustgate_report::{Period, carries_detainer, local_date};
use trustgate_store::Actor;

use crate::exit;
use crate::records::{Database, SystemClock, open, runtime};

#[derive(Args)]
pub(crate) struct ReconcileArgs {
    /// ICE's detainer records as CSV (the Deportation Data Project's
    /// columns: Detainer Prepare Date, Detention Facility, …).
    #[arg(long, value_name = "FILE")]
    ice: PathBuf,
    /// One of the city's facilities as ICE's data names it, and the
    /// receiving unit the city logs it under: `"CAMBRIDGE POLICE DEPARTMENT=booking"` (repeatable).
    #[arg(long = "facility", value_name = "NAME=UNIT", required = true)]
    facilities: Vec<String>,
    /// The first day compared (YYYY-MM-DD); or give --period.
    #[arg(long, requires = "until", conflicts_with = "period")]
    from: Option<String>,
    /// The last day compared.
    #[arg(long, requires = "from")]
    until: Option<String>,
    /// A reporting period's days.
    #[arg(long)]
    period: Option<u32>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    db: Database,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: &ReconcileArgs) -> Result<u8> {
    let (from, until) = match (&args.from, &args.until, args.period) {
        (Some(f), Some(u), _) => (day(f)?, day(u)?),
        (_, _, Some(n)) => {
            let p = Period::nth(n).with_context(|| format!("there is no period {n}"))?;
            (p.from, p.until)
        }
        _ => bail!("give --from DAY --until DAY, or --period N"),
    };
    if from > until {
        bail!("--from {from} is after --until {until}");
    }
    let mut facilities = BTreeMap::new();
    for f in &args.facilities {
        let Some((name, unit)) = f.split_once('=') else {
            bail!("--facility {f:?}: expected NAME=UNIT");
        };
        facilities.insert(name.trim().to_owned(), unit.trim().to_owned());
    }
    let file = std::fs::File::open(&args.ice)
        .with_context(|| format!("opening {}", args.ice.display()))?;
    let tty = std::io::stderr().is_terminal();
    let (read, ice) = read_ice_csv(
        std::io::BufReader::new(file),
        &facilities,
        (from, until),
        |n| {
            if tty {
                eprint!("\rreading ICE's rows: {n}");
            }
        },
    )
    .map_err(|e| anyhow::anyhow!("{}:{e}", args.ice.display()))?;
    if tty {
        eprintln!();
    }
    let span = Period {
        number: 0,
        from,
        until,
    }
    .utc_ms();
    let rows = runtime()?.block_on(async {
        let store = open(&args.db, Arc::new(SystemClock)).await?;
        let rows = store
            .report_rows(
                &Actor::system("reconcile"),
                span,
                (from.to_string(), until.to_string()),
            )
            .await;
        store.close().await;
        Ok::<_, anyhow::Error>(rows?)
    })?;
    let city: Vec<CityDetainer> = rows
        .contacts
        .into_iter()
        .filter_map(|row| {
            carries_detainer(&row).then(|| CityDetainer {
                contact: row.id,
                received: local_date(row.received_ms).to_string(),
                unit: row.receiving_unit,
            })
        })
        .collect();
    let r = reconcile((from, until), read, ice, city);
    match args.format {
        Format::Json => say!("{}", serde_json::to_string_pretty(&r)?),
        Format::Text => {
            say!(
                "{} to {}: {} of ICE's {} rows are at the city's facilities; {} matched the city's records",
                r.from,
                r.until,
                r.ice_rows_at_city_facilities,
                r.ice_rows_read,
                r.matched
            );
            say!(
                "in ICE's data, never logged by the city: {}",
                r.missing_from_city_records.len()
            );
            for m in &r.missing_from_city_records {
                say!(
                    "  row {}: prepared {} at {} ({}), {}",
                    m.row,
                    m.prepared,
                    m.facility,
                    m.unit,
                    m.detainer_type
                );
            }
            say!(
                "logged by the city, not in ICE's data: {}",
                r.missing_from_ice_data.len()
            );
            for c in &r.missing_from_ice_data {
                say!(
                    "  contact/{}: received {} at {}",
                    c.contact,
                    c.received,
                    c.unit
                );
            }
            say!("matching rules:");
            for rule in r.matching_rules {
                say!("  - {rule}");
            }
        }
    }
    Ok(exit::OK)
}

fn day(s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| anyhow::anyhow!("`{s}`: {e}"))
}
