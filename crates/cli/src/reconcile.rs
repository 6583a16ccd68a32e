//! `trustgate reconcile`: the city's detainer records against ICE's own
//! released detainer data (CSV or XLSX), for the city's facilities.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Read, Seek as _, SeekFrom};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use trustgate_access::Permission;
use trustgate_law::Date;
use trustgate_report::reconcile::{CityDetainer, IceRows, read_ice_csv, read_ice_xlsx, reconcile};
use trustgate_report::{Period, carries_detainer, local_date};
use trustgate_store::Clock as _;

use crate::exit;
use crate::records::{Database, SystemClock, open, operator, runtime};

#[derive(Args)]
pub(crate) struct ReconcileArgs {
    /// ICE's detainer records as CSV or XLSX (told apart by their bytes;
    /// the Deportation Data Project's columns: Detainer Prepare Date,
    /// Detention Facility, …).
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
    /// A page for the records unit (it names the city's records).
    Html,
}

pub(crate) fn run(args: &ReconcileArgs) -> Result<u8> {
    let (from, until) = match (&args.from, &args.until, args.period) {
        (Some(f), Some(u), _) => (day(f)?, day(u)?),
        (_, _, Some(n)) => {
            let today = local_date(SystemClock.now_ms());
            let p =
                Period::nth_as_of(n, today).map_err(|e| anyhow::anyhow!("--period {n}: {e}"))?;
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
    let (read, ice) = read_ice(&args.ice, &facilities, (from, until))?;
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
                &operator("reconcile", &[Permission::ReadAllContacts]),
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
        Format::Html => say_raw!(
            "{}",
            trustgate_render::render_reconciliation(&r, &args.ice.display().to_string())
        ),
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

/// Reads ICE's file, CSV or XLSX, with a progress line on a terminal: the
/// rows read, and for a CSV how far through the file that is.
fn read_ice(
    path: &std::path::Path,
    facilities: &BTreeMap<String, String>,
    range: (Date, Date),
) -> Result<IceRows> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut magic = [0u8; 4];
    let is_xlsx = file.read_exact(&mut magic).is_ok() && magic == *b"PK\x03\x04";
    file.seek(SeekFrom::Start(0))
        .with_context(|| format!("reading {}", path.display()))?;
    let tty = std::io::stderr().is_terminal();
    let done = Rc::new(Cell::new(0u64));
    let show = |rows: u64| {
        if !tty {
            return;
        }
        if is_xlsx || size == 0 {
            eprint!("\rreading ICE's rows: {rows}");
        } else {
            eprint!(
                "\rreading ICE's rows: {rows} ({}% of the file)",
                done.get().saturating_mul(100) / size
            );
        }
    };
    let read = if is_xlsx {
        read_ice_xlsx(std::io::BufReader::new(file), facilities, range, show)
    } else {
        let counted = Counted {
            inner: std::io::BufReader::new(file),
            done: Rc::clone(&done),
        };
        read_ice_csv(counted, facilities, range, show)
    };
    if tty {
        eprintln!();
    }
    read.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// A reader that counts the bytes read through it, for the progress line.
struct Counted<R> {
    inner: R,
    done: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done
            .set(self.done.get() + u64::try_from(n).unwrap_or(0));
        Ok(n)
    }
}

fn day(s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| anyhow::anyhow!("`{s}`: {e}"))
}
