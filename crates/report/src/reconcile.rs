//! Reconciliation with ICE's own detainer records, as released under FOIA
//! (the Deportation Data Project's detainer files). Boston logged 15
//! detainers in 2024 where ICE says it sent 198: faxes to district stations
//! were never logged. This lists, for the city's facilities, the detainers
//! in ICE's data that the city never logged, and the city's detainers that
//! ICE's data lacks, under the matching rules in [`MATCHING_RULES`].

use std::collections::BTreeMap;

use serde::Serialize;
use trustgate_law::Date;

/// The rules by which an ICE row and a city record are the same detainer.
pub const MATCHING_RULES: &[&str] = &[
    "Only ICE rows whose Detention Facility is one of the city's facilities (as the operator names them, compared without regard to case or surrounding spaces) are considered; each facility maps to the receiving unit the city logs it under.",
    "An ICE row matches a city detainer record of the same receiving unit received on the row's Detainer Prepare Date or up to two days after it (a fax prepared in the evening may be logged the next days).",
    "Each ICE row and each city record matches at most once; rows are matched in date order, each to the earliest unmatched record it can match.",
    "Only the days both sides cover are compared: from the first to the last day given.",
];

/// The columns read from ICE's file (others are ignored).
pub const PREPARE_DATE: &str = "Detainer Prepare Date";
pub const FACILITY: &str = "Detention Facility";
pub const FACILITY_CITY: &str = "Facility City";
pub const DETAINER_TYPE: &str = "Detainer Type";

/// One detainer as ICE's data records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IceDetainer {
    /// The data row (1 = the first after the header).
    pub row: u64,
    pub prepared: String,
    pub facility: String,
    pub facility_city: String,
    pub detainer_type: String,
    /// The city's receiving unit for that facility.
    pub unit: String,
}

/// One detainer as the city's records hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityDetainer {
    pub contact: i64,
    /// The day received, in Cambridge.
    pub received: String,
    pub unit: String,
}

/// What reconciliation found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub from: String,
    pub until: String,
    pub ice_rows_read: u64,
    pub ice_rows_at_city_facilities: u64,
    pub matched: u64,
    /// In ICE's data, never logged by the city.
    pub missing_from_city_records: Vec<IceDetainer>,
    /// Logged by the city, not in ICE's data.
    pub missing_from_ice_data: Vec<CityDetainer>,
    pub matching_rules: &'static [&'static str],
}

/// A problem with ICE's file, at a line of a CSV, a row of a spreadsheet,
/// or an entry of the spreadsheet's zip archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The line in a CSV (1 = the header), or the row in a spreadsheet as
    /// the spreadsheet numbers it; 0 for the file or workbook as a whole.
    pub line: u64,
    /// The worksheet, for a spreadsheet.
    pub sheet: Option<String>,
    /// The entry of the XLSX archive (`xl/sharedStrings.xml`), for a
    /// problem found before the sheets are read.
    pub entry: Option<String>,
    pub message: String,
}

impl ImportError {
    fn at(line: u64, message: impl Into<String>) -> ImportError {
        ImportError {
            line,
            sheet: None,
            entry: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = &self.message;
        match (&self.entry, &self.sheet, self.line) {
            (Some(entry), _, 0) => write!(f, "`{entry}` in the workbook: {message}"),
            (Some(entry), _, row) => write!(f, "`{entry}` in the workbook, row {row}: {message}"),
            (None, Some(sheet), 0) => write!(f, "sheet `{sheet}`: {message}"),
            (None, Some(sheet), row) => write!(f, "sheet `{sheet}`, row {row}: {message}"),
            (None, None, 0) => write!(f, "{message}"),
            (None, None, line) => write!(f, "line {line}: {message}"),
        }
    }
}

/// The most of a cell's text the reader keeps (a date, a facility's name
/// and a detainer's type are far shorter): a shared string of a megabyte
/// named in every row is not copied for every row.
pub const MAX_FIELD_BYTES: usize = 1024;

/// At most [`MAX_FIELD_BYTES`] of `s`, cut at a character's boundary.
fn field(s: &str) -> &str {
    if s.len() <= MAX_FIELD_BYTES {
        return s;
    }
    let mut end = MAX_FIELD_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// What a reader found: the data rows read, and those kept.
pub type IceRows = (u64, Vec<IceDetainer>);

/// The columns of ICE's table that reconciliation reads, found by name in
/// its header, and the rows kept so far. One filter serves every file type.
struct Filter<'a> {
    date: usize,
    facility: usize,
    city: Option<usize>,
    kind: Option<usize>,
    wanted: BTreeMap<String, &'a String>,
    range: (Date, Date),
    rows: u64,
    kept: Vec<IceDetainer>,
}

/// One cell of a row as the filter reads it.
enum Cell<'c> {
    Text(&'c str),
    /// A spreadsheet date.
    Day(Date),
}

impl<'a> Filter<'a> {
    fn new(
        header: &[&str],
        line: u64,
        facilities: &'a BTreeMap<String, String>,
        range: (Date, Date),
    ) -> Result<Filter<'a>, ImportError> {
        let column = |name: &str| {
            header.iter().position(|h| h.trim() == name).ok_or_else(|| {
                ImportError::at(
                    line,
                    format!(
                        "no column `{name}` (the columns are: {})",
                        header.join(", ")
                    ),
                )
            })
        };
        Ok(Filter {
            date: column(PREPARE_DATE)?,
            facility: column(FACILITY)?,
            city: column(FACILITY_CITY).ok(),
            kind: column(DETAINER_TYPE).ok(),
            wanted: facilities
                .iter()
                .map(|(k, v)| (k.trim().to_uppercase(), v))
                .collect(),
            range,
            rows: 0,
            kept: Vec::new(),
        })
    }

    /// The columns read, for readers that pick cells out of wide rows.
    fn columns(&self) -> [Option<usize>; 4] {
        [Some(self.date), Some(self.facility), self.city, self.kind]
    }

    /// Reads one data row; `cell(column)` gives a cell (`None` if empty).
    fn row<'c>(
        &mut self,
        line: u64,
        cell: impl Fn(usize) -> Option<Cell<'c>>,
    ) -> Result<(), ImportError> {
        self.rows += 1;
        let text = |c: Option<usize>| match c.and_then(&cell) {
            Some(Cell::Text(t)) => field(t).trim().to_owned(),
            Some(Cell::Day(d)) => d.to_string(),
            None => String::new(),
        };
        let facility = text(Some(self.facility));
        let Some(unit) = self.wanted.get(&facility.to_uppercase()) else {
            return Ok(());
        };
        let day = match cell(self.date) {
            Some(Cell::Day(d)) => d,
            Some(Cell::Text(raw)) => parse_day(field(raw)).ok_or_else(|| {
                let shown: String = raw.chars().take(40).collect();
                let more = if shown.len() < raw.len() { "…" } else { "" };
                ImportError::at(line, format!("`{PREPARE_DATE}` is `{shown}{more}`: expected YYYY-MM-DD (a time after it is ignored) or M/D/YYYY"))
            })?,
            None => {
                return Err(ImportError::at(
                    line,
                    format!("`{PREPARE_DATE}` is empty"),
                ));
            }
        };
        if day < self.range.0 || day > self.range.1 {
            return Ok(());
        }
        self.kept.push(IceDetainer {
            row: self.rows,
            prepared: day.to_string(),
            facility,
            facility_city: text(self.city),
            detainer_type: text(self.kind),
            unit: (*unit).clone(),
        });
        Ok(())
    }

    fn finish(self) -> IceRows {
        (self.rows, self.kept)
    }
}

/// How often a reader reports progress, in rows.
const PROGRESS_EVERY: u64 = 10_000;

/// Reads ICE's detainer CSV, keeping the rows at the city's facilities
/// (`facilities`: ICE's facility name → the city's receiving unit) prepared
/// between `from` and `until`. `progress` is called every 10,000 rows with
/// the rows read so far.
pub fn read_ice_csv(
    data: impl std::io::Read,
    facilities: &BTreeMap<String, String>,
    range: (Date, Date),
    mut progress: impl FnMut(u64),
) -> Result<IceRows, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let header = reader
        .headers()
        .map_err(|e| ImportError::at(1, e.to_string()))?
        .clone();
    let names: Vec<&str> = header.iter().collect();
    let mut filter = Filter::new(&names, 1, facilities, range)?;
    for record in reader.records() {
        let line = filter.rows + 2;
        let record = record.map_err(|e| ImportError::at(line, e.to_string()))?;
        filter.row(line, |c| record.get(c).map(Cell::Text))?;
        if filter.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(filter.rows);
        }
    }
    progress(filter.rows);
    Ok(filter.finish())
}

/// How many rows above the header a spreadsheet may have (ICE's releases
/// put a title and notes there).
const HEADER_SEARCH_ROWS: u32 = 50;

/// Reads ICE's detainer spreadsheet (XLSX, as the Deportation Data Project
/// and ICE's FOIA office release it) as [`read_ice_csv`] reads a CSV: the
/// first worksheet, whose header is the first row naming both
/// `Detainer Prepare Date` and `Detention Facility` (title rows above it are
/// skipped). Cells are streamed, so a 100 MB release is not held in memory
/// as a grid; dates may be spreadsheet dates or text.
///
/// Hostile files are bounded before calamine opens them (see
/// [`crate::workbook`]: the archive's declared sizes and compression
/// ratios, the length of every tag and text, every cell reference); then
/// the cells must lie in Excel's grid, in order, row by row; of a cell only
/// [`MAX_FIELD_BYTES`] are kept. Every failure is an [`ImportError`] naming
/// the archive's entry, or the sheet and row.
///
/// The last line: calamine is called inside [`std::panic::catch_unwind`],
/// so that a panic the checks above did not foresee (calamine parses
/// attacker-chosen XML with unchecked arithmetic) becomes an error for this
/// file rather than the end of the program. The panic's own message is
/// still printed to standard error by the panic hook.
pub fn read_ice_xlsx<R: std::io::Read + std::io::Seek>(
    mut data: R,
    facilities: &BTreeMap<String, String>,
    range: (Date, Date),
    progress: impl FnMut(u64),
) -> Result<IceRows, ImportError> {
    crate::workbook::check(&mut data)?;
    data.seek(std::io::SeekFrom::Start(0))
        .map_err(|e| ImportError::at(0, format!("reading the workbook again: {e}")))?;
    let read = std::panic::AssertUnwindSafe(|| read_cells(data, facilities, range, progress));
    std::panic::catch_unwind(read).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ImportError::at(
            0,
            format!("the XLSX reader (calamine) failed on this workbook: {detail}"),
        ))
    })
}

fn read_cells<'f, R: std::io::Read + std::io::Seek>(
    data: R,
    facilities: &'f BTreeMap<String, String>,
    range: (Date, Date),
    mut progress: impl FnMut(u64),
) -> Result<IceRows, ImportError> {
    use crate::workbook::{MAX_COLUMN, MAX_ROW};
    use calamine::{DataRef, Reader as _, Xlsx};

    let not_a_workbook =
        |e: calamine::XlsxError| ImportError::at(0, format!("not a readable XLSX workbook: {e}"));
    let mut book = Xlsx::new(data).map_err(not_a_workbook)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(ImportError::at(0, "the workbook has no worksheet"));
    };
    let in_sheet = |line: u64, message: String| ImportError {
        line,
        sheet: Some(sheet.clone()),
        entry: None,
        message,
    };
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| in_sheet(0, e.to_string()))?;

    // Cells arrive in row order, empty ones left out: gather one row at a
    // time, keeping every cell until the header is found and then only the
    // columns read.
    let mut filter: Option<Filter<'f>> = None;
    let mut keep: Vec<usize> = Vec::new();
    let mut current: Option<u32> = None;
    let mut last: Option<(u32, u32)> = None;
    let mut row: BTreeMap<usize, RowCell> = BTreeMap::new();
    let mut flush = |at: u32,
                     row: &mut BTreeMap<usize, RowCell>,
                     filter: &mut Option<Filter<'f>>,
                     keep: &mut Vec<usize>|
     -> Result<(), ImportError> {
        let line = u64::from(at) + 1;
        match filter {
            Some(f) => {
                f.row(line, |c| match row.get(&c) {
                    Some(RowCell::Text(t)) => Some(Cell::Text(t)),
                    Some(RowCell::Day(d)) => Some(Cell::Day(*d)),
                    None => None,
                })
                .map_err(|e| in_sheet(e.line, e.message))?;
                if f.rows.is_multiple_of(PROGRESS_EVERY) {
                    progress(f.rows);
                }
            }
            None => {
                let width = row.keys().next_back().map_or(0, |last| last + 1);
                let names: Vec<&str> = (0..width)
                    .map(|c| match row.get(&c) {
                        Some(RowCell::Text(t)) => t.as_str(),
                        _ => "",
                    })
                    .collect();
                let is_header = names.iter().any(|n| n.trim() == PREPARE_DATE)
                    && names.iter().any(|n| n.trim() == FACILITY);
                if is_header {
                    let f = Filter::new(&names, line, facilities, range)
                        .map_err(|e| in_sheet(e.line, e.message))?;
                    *keep = f.columns().into_iter().flatten().collect();
                    *filter = Some(f);
                } else if at + 1 >= HEADER_SEARCH_ROWS {
                    return Err(in_sheet(
                        line,
                        format!(
                            "no header row naming `{PREPARE_DATE}` and `{FACILITY}` in the first {HEADER_SEARCH_ROWS} rows"
                        ),
                    ));
                }
            }
        }
        row.clear();
        Ok(())
    };
    loop {
        let next = cells
            .next_cell()
            .map_err(|e| in_sheet(current.map_or(0, |r| u64::from(r) + 1), e.to_string()))?;
        let Some(cell) = next else { break };
        let (r, c) = cell.get_position();
        // Excel's grid, in order: a row read twice would be counted twice.
        if r >= MAX_ROW || c >= MAX_COLUMN {
            return Err(in_sheet(
                u64::from(r) + 1,
                format!(
                    "a cell at {} is outside Excel's grid (A1 to XFD1048576)",
                    cell_name(r, c)
                ),
            ));
        }
        if let Some(before) = last
            && (r, c) <= before
        {
            return Err(in_sheet(
                u64::from(r) + 1,
                format!(
                    "cell {} comes after {}: a sheet's cells must be in order, row by row, column by column",
                    cell_name(r, c),
                    cell_name(before.0, before.1)
                ),
            ));
        }
        last = Some((r, c));
        if current != Some(r) {
            if let Some(at) = current {
                flush(at, &mut row, &mut filter, &mut keep)?;
            }
            current = Some(r);
        }
        let c = usize::try_from(c).unwrap_or(usize::MAX);
        if filter.is_some() && !keep.contains(&c) {
            continue;
        }
        let value = match cell.get_value() {
            DataRef::String(s) | DataRef::DateTimeIso(s) => RowCell::Text(field(s).to_owned()),
            DataRef::SharedString(s) => RowCell::Text(field(s).to_owned()),
            DataRef::Int(i) => RowCell::Text(i.to_string()),
            DataRef::Float(f) => RowCell::Text(f.to_string()),
            DataRef::Bool(b) => RowCell::Text(b.to_string()),
            DataRef::DateTime(dt) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                match Date::from_ymd(i32::from(y), i32::from(m), i32::from(d)) {
                    Some(day) => RowCell::Day(day),
                    None => RowCell::Text(dt.as_f64().to_string()),
                }
            }
            DataRef::DurationIso(_) | DataRef::Error(_) | DataRef::Empty => continue,
        };
        row.insert(c, value);
    }
    if let Some(at) = current {
        flush(at, &mut row, &mut filter, &mut keep)?;
    }
    let Some(filter) = filter else {
        return Err(in_sheet(
            0,
            format!("no header row naming `{PREPARE_DATE}` and `{FACILITY}`"),
        ));
    };
    progress(filter.rows);
    Ok(filter.finish())
}

/// `B7` for (row 6, column 1), both 0-based.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.reverse();
    let letters: String = letters.into_iter().collect();
    format!("{letters}{}", u64::from(row) + 1)
}

/// A spreadsheet cell kept for the row being read.
enum RowCell {
    Text(String),
    Day(Date),
}

/// `2024-03-05`, `2024-03-05 14:00:00`, `2024-03-05T14:00:00` or `3/5/2024`.
fn parse_day(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if let Some(iso) = raw.get(..10)
        && let Ok(d) = Date::parse(iso)
    {
        return Some(d);
    }
    let mut parts = raw.split(' ').next()?.split('/');
    let (m, d, y) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if parts.next().is_some() {
        return None;
    }
    Date::from_ymd(y, m, d)
}

/// Matches ICE's rows with the city's detainer records under
/// [`MATCHING_RULES`].
pub fn reconcile(
    (from, until): (Date, Date),
    ice_rows_read: u64,
    mut ice: Vec<IceDetainer>,
    mut city: Vec<CityDetainer>,
) -> Reconciliation {
    city.retain(|c| Date::parse(&c.received).is_ok_and(|d| from <= d && d <= until));
    ice.sort_by(|a, b| (&a.prepared, a.row).cmp(&(&b.prepared, b.row)));
    city.sort_by(|a, b| (&a.received, a.contact).cmp(&(&b.received, b.contact)));
    let mut taken = vec![false; city.len()];
    let mut missing = Vec::new();
    let mut matched = 0;
    for row in &ice {
        let Ok(prepared) = Date::parse(&row.prepared) else {
            continue;
        };
        let last = prepared.succ().succ();
        let found = city.iter().enumerate().position(|(i, c)| {
            !taken[i]
                && c.unit == row.unit
                && Date::parse(&c.received).is_ok_and(|d| prepared <= d && d <= last)
        });
        match found {
            Some(i) => {
                taken[i] = true;
                matched += 1;
            }
            None => missing.push(row.clone()),
        }
    }
    let at_facilities = u64::try_from(ice.len()).unwrap_or(u64::MAX);
    Reconciliation {
        from: from.to_string(),
        until: until.to_string(),
        ice_rows_read,
        ice_rows_at_city_facilities: at_facilities,
        matched,
        missing_from_city_records: missing,
        missing_from_ice_data: city
            .into_iter()
            .zip(taken)
            .filter(|(_, t)| !t)
            .map(|(c, _)| c)
            .collect(),
        matching_rules: MATCHING_RULES,
    }
}
