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

/// A problem with ICE's file, at a row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The line in the file (1 = the header).
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads ICE's detainer CSV, keeping the rows at the city's facilities
/// (`facilities`: ICE's facility name → the city's receiving unit) prepared
/// between `from` and `until`. `progress` is called every 10,000 rows with
/// the rows read so far.
pub fn read_ice_csv(
    data: impl std::io::Read,
    facilities: &BTreeMap<String, String>,
    (from, until): (Date, Date),
    mut progress: impl FnMut(u64),
) -> Result<(u64, Vec<IceDetainer>), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let header = reader
        .headers()
        .map_err(|e| ImportError {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| ImportError {
                line: 1,
                message: format!(
                    "no column `{name}` (the columns are: {})",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            })
    };
    let (date_col, facility_col) = (column(PREPARE_DATE)?, column(FACILITY)?);
    let (city_col, type_col) = (column(FACILITY_CITY).ok(), column(DETAINER_TYPE).ok());
    let wanted: BTreeMap<String, &String> = facilities
        .iter()
        .map(|(k, v)| (k.trim().to_uppercase(), v))
        .collect();
    let mut rows = 0u64;
    let mut kept = Vec::new();
    for record in reader.records() {
        rows += 1;
        if rows.is_multiple_of(10_000) {
            progress(rows);
        }
        let line = rows + 1;
        let record = record.map_err(|e| ImportError {
            line,
            message: e.to_string(),
        })?;
        let facility = record.get(facility_col).unwrap_or_default().trim();
        let Some(unit) = wanted.get(&facility.to_uppercase()) else {
            continue;
        };
        let raw = record.get(date_col).unwrap_or_default();
        let day = parse_day(raw).ok_or_else(|| ImportError {
            line,
            message: format!("`{PREPARE_DATE}` is `{raw}`: expected YYYY-MM-DD (a time after it is ignored) or M/D/YYYY"),
        })?;
        if day < from || day > until {
            continue;
        }
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        kept.push(IceDetainer {
            row: rows,
            prepared: day.to_string(),
            facility: facility.to_owned(),
            facility_city: get(city_col),
            detainer_type: get(type_col),
            unit: (*unit).clone(),
        });
    }
    progress(rows);
    Ok((rows, kept))
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
