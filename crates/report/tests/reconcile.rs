//! Reconciliation against a small synthetic file shaped like ICE's released
//! detainer data, with planted gaps on both sides.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::cast_possible_truncation,
    reason = "tests"
)]

#[path = "reconcile/hostile_xlsx.rs"]
mod hostile_xlsx;

use std::collections::BTreeMap;

use trustgate_law::Date;
use trustgate_report::reconcile::{CityDetainer, read_ice_csv, read_ice_xlsx, reconcile};

const SAMPLE: &str = include_str!("fixtures/ice-detainers-sample.csv");

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn facilities() -> BTreeMap<String, String> {
    BTreeMap::from([("CAMBRIDGE POLICE DEPARTMENT".into(), "booking".into())])
}

fn city(contact: i64, received: &str, unit: &str) -> CityDetainer {
    CityDetainer {
        contact,
        received: received.into(),
        unit: unit.into(),
    }
}

#[test]
fn the_planted_gaps_are_found() {
    let range = (d("2026-02-10"), d("2026-08-09"));
    let mut seen = Vec::new();
    let (read, ice) =
        read_ice_csv(SAMPLE.as_bytes(), &facilities(), range, |n| seen.push(n)).unwrap();
    assert_eq!(read, 8);
    assert_eq!(seen.last(), Some(&8), "progress ends at the rows read");
    // Boston's, the jail's, and the one before the range are left out; the
    // facility name is matched without regard to case or spaces.
    let rows: Vec<u64> = ice.iter().map(|r| r.row).collect();
    assert_eq!(rows, [1, 3, 4, 5, 6]);
    assert_eq!(ice[4].prepared, "2026-04-20", "M/D/YYYY is read");
    let city = vec![
        city(11, "2026-03-02", "booking"),
        city(12, "2026-03-06", "booking"), // the evening fax of 03-05, logged the next day
        city(13, "2026-03-10", "district-4"), // another unit: no match for ICE's 03-10
        city(14, "2026-04-05", "booking"), // four days after ICE's 04-01: too late to be it
        city(15, "2026-04-20", "booking"),
        city(16, "2026-05-01", "booking"), // not in ICE's data at all
        city(17, "2026-09-01", "booking"), // outside the range
    ];
    let r = reconcile(range, read, ice, city);
    assert_eq!(r.matched, 3);
    let missing: Vec<(u64, &str)> = r
        .missing_from_city_records
        .iter()
        .map(|m| (m.row, m.prepared.as_str()))
        .collect();
    assert_eq!(missing, [(4, "2026-03-10"), (5, "2026-04-01")]);
    let extra: Vec<i64> = r.missing_from_ice_data.iter().map(|c| c.contact).collect();
    assert_eq!(extra, [13, 14, 16]);
    assert_eq!(r.ice_rows_at_city_facilities, 5);
    assert!(
        r.matching_rules
            .iter()
            .any(|rule| rule.contains("up to two days after"))
    );
}

#[test]
fn a_bad_file_says_where() {
    let range = (d("2026-01-01"), d("2026-12-31"));
    let no_column = "Date,Detention Facility\n2026-01-01,X\n";
    let e = read_ice_csv(no_column.as_bytes(), &facilities(), range, |_| {}).unwrap_err();
    assert_eq!(e.line, 1);
    assert!(
        e.message.contains("no column `Detainer Prepare Date`"),
        "{e}"
    );
    let bad_date = "Detainer Prepare Date,Detention Facility\n2026-01-01,CAMBRIDGE POLICE DEPARTMENT\nyesterday,CAMBRIDGE POLICE DEPARTMENT\n";
    let e = read_ice_csv(bad_date.as_bytes(), &facilities(), range, |_| {}).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("`yesterday`"), "{e}");
    let ragged = "Detainer Prepare Date,Detention Facility\n2026-01-01\n";
    let e = read_ice_csv(ragged.as_bytes(), &facilities(), range, |_| {}).unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    // Rows at other facilities need no valid date.
    let other = "Detainer Prepare Date,Detention Facility\nnever,ELSEWHERE\n";
    assert_eq!(
        read_ice_csv(other.as_bytes(), &facilities(), range, |_| {})
            .unwrap()
            .1
            .len(),
        0
    );
}

/// ICE's sample as the spreadsheet ICE releases: a title and a note above
/// the header, prepare dates as spreadsheet dates (and one as text, as
/// hand-edited files have).
fn sample_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Detainers").unwrap();
    sheet
        .write_string(0, 0, "ERO Detainers (LESA-STU), FOIA release, synthetic")
        .unwrap();
    sheet
        .write_string(1, 0, "Redactions: (b)(6), (b)(7)(C)")
        .unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let mut lines = SAMPLE.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(3, c as u16, *name).unwrap();
    }
    for (i, line) in lines.enumerate() {
        let row = 4 + i as u32;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        for (c, cell) in record.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            // ISO dates become spreadsheet dates, but for one row left as
            // text; the M/D/YYYY row stays text too.
            let iso = cell.len() >= 10 && cell.as_bytes()[4] == b'-';
            let when = (c == 0 && i != 1 && iso)
                .then(|| ExcelDateTime::parse_from_str(cell).ok())
                .flatten();
            match when {
                Some(when) => sheet
                    .write_datetime_with_format(row, c as u16, &when, &date)
                    .unwrap(),
                None => sheet.write_string(row, c as u16, cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_spreadsheet_reads_as_its_csv() {
    let range = (d("2026-02-10"), d("2026-08-09"));
    let from_csv = read_ice_csv(SAMPLE.as_bytes(), &facilities(), range, |_| {}).unwrap();
    let bytes = sample_xlsx();
    // The workbook holds real spreadsheet dates, not text.
    {
        use calamine::Reader as _;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = book.worksheet_range("Detainers").unwrap();
        assert!(matches!(
            range.get_value((4, 0)),
            Some(calamine::Data::DateTime(_))
        ));
        assert!(matches!(
            range.get_value((5, 0)),
            Some(calamine::Data::String(_))
        ));
    }
    let mut seen = Vec::new();
    let from_xlsx = read_ice_xlsx(std::io::Cursor::new(bytes), &facilities(), range, |n| {
        seen.push(n)
    })
    .unwrap();
    assert_eq!(from_xlsx, from_csv);
    assert_eq!(seen.last(), Some(&8));
}

#[test]
fn a_bad_spreadsheet_says_where() {
    let range = (d("2026-01-01"), d("2026-12-31"));
    let e = read_ice_xlsx(
        std::io::Cursor::new(b"Detainer Prepare Date,Detention Facility\n".to_vec()),
        &facilities(),
        range,
        |_| {},
    )
    .unwrap_err();
    assert!(e.message.starts_with("not a readable XLSX workbook"), "{e}");

    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Detainer Prepare Date").unwrap();
    sheet.write_string(0, 1, "Detention Facility").unwrap();
    sheet.write_string(1, 0, "2026-03-01").unwrap();
    sheet
        .write_string(1, 1, "CAMBRIDGE POLICE DEPARTMENT")
        .unwrap();
    sheet.write_string(2, 0, "yesterday").unwrap();
    sheet
        .write_string(2, 1, "CAMBRIDGE POLICE DEPARTMENT")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let e = read_ice_xlsx(std::io::Cursor::new(bytes), &facilities(), range, |_| {}).unwrap_err();
    assert_eq!((e.sheet.as_deref(), e.line), (Some("Sheet1"), 3), "{e}");
    assert_eq!(
        e.to_string(),
        "sheet `Sheet1`, row 3: `Detainer Prepare Date` is `yesterday`: expected YYYY-MM-DD (a time after it is ignored) or M/D/YYYY"
    );

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Date").unwrap();
    sheet.write_string(1, 0, "2026-03-01").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let e = read_ice_xlsx(std::io::Cursor::new(bytes), &facilities(), range, |_| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("no header row naming `Detainer Prepare Date` and `Detention Facility`"),
        "{e}"
    );
}
