//! Hostile workbooks, built here byte by byte: each is refused with an
//! error that says where, promptly, in bounded memory, never a panic.

use std::io::{Cursor, Read as _};
use std::time::{Duration, Instant};

use trustgate_report::reconcile::{IceRows, ImportError, read_ice_xlsx};

use super::{d, facilities};

const SHEET: &str = "xl/worksheets/sheet1.xml";
const STRINGS: &str = "xl/sharedStrings.xml";

/// One entry of a zip archive as written: its data already stored or
/// deflated, and the sizes and checksum it declares.
struct Entry {
    name: String,
    deflated: bool,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

fn stored(name: &str, bytes: &[u8]) -> Entry {
    let mut crc = crc32fast::Hasher::new();
    crc.update(bytes);
    Entry {
        name: name.to_owned(),
        deflated: false,
        crc: crc.finalize(),
        size: u32::try_from(bytes.len()).unwrap(),
        data: bytes.to_vec(),
    }
}

/// Raw deflate of `bytes`, ending on a byte boundary and not final, so
/// pieces can be laid end to end.
fn deflate_piece(bytes: &[u8]) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(bytes.len() + 4096);
    c.compress_vec(bytes, &mut out, flate2::FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in(), bytes.len() as u64);
    assert!(
        out.ends_with(&[0, 0, 0xFF, 0xFF]),
        "a sync flush ends the piece"
    );
    out
}

/// `head`, then `body` `times` over, then `tail`, deflated: the body is
/// compressed once and its bytes repeated, so a gigabyte of XML takes a
/// megabyte and a moment to build. Its checksum is the true one.
fn repeated(name: &str, head: &str, body: &str, times: u32, tail: &str) -> Entry {
    let hash = |s: &str| {
        let mut h = crc32fast::Hasher::new();
        h.update(s.as_bytes());
        h
    };
    let mut crc = hash(head);
    let body_crc = hash(body);
    for _ in 0..times {
        crc.combine(&body_crc);
    }
    crc.combine(&hash(tail));
    let piece = deflate_piece(body.as_bytes());
    let mut data = deflate_piece(head.as_bytes());
    for _ in 0..times {
        data.extend_from_slice(&piece);
    }
    data.extend_from_slice(&deflate_piece(tail.as_bytes()));
    data.extend_from_slice(&[0x03, 0x00]); // an empty final block
    let size = head.len() as u64 + body.len() as u64 * u64::from(times) + tail.len() as u64;
    Entry {
        name: name.to_owned(),
        deflated: true,
        crc: crc.finalize(),
        size: u32::try_from(size).unwrap(),
        data,
    }
}

/// A zip archive of `entries`, as PKWARE's APPNOTE lays one out.
fn archive(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: usize| u16::try_from(v).unwrap().to_le_bytes();
    let u32le = |v: usize| u32::try_from(v).unwrap().to_le_bytes();
    for e in entries {
        let offset = out.len();
        let method: u16 = if e.deflated { 8 } else { 0 };
        let common = [
            &20u16.to_le_bytes()[..], // version needed
            &0u16.to_le_bytes(),      // flags
            &method.to_le_bytes(),
            &0u16.to_le_bytes(),    // time
            &0x21u16.to_le_bytes(), // 1980-01-01
            &e.crc.to_le_bytes(),
            &u32le(e.data.len()),
            &e.size.to_le_bytes(),
            &u16le(e.name.len()),
            &0u16.to_le_bytes(), // extra field
        ]
        .concat();
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&common);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&common);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&u32le(offset));
        central.extend_from_slice(e.name.as_bytes());
    }
    let at = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&u16le(entries.len()));
    out.extend_from_slice(&u16le(entries.len()));
    out.extend_from_slice(&u32le(central.len()));
    out.extend_from_slice(&u32le(at));
    out.extend_from_slice(&[0; 2]);
    out
}

/// The parts of a small, valid workbook (rust_xlsxwriter's): a header and
/// one row, with shared strings.
fn parts() -> Vec<(String, Vec<u8>)> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Detainer Prepare Date").unwrap();
    sheet.write_string(0, 1, "Detention Facility").unwrap();
    sheet.write_string(1, 0, "2026-03-01").unwrap();
    sheet
        .write_string(1, 1, "CAMBRIDGE POLICE DEPARTMENT")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn part(name: &str) -> String {
    let (_, data) = parts().into_iter().find(|(n, _)| n == name).unwrap();
    String::from_utf8(data).unwrap()
}

/// The small workbook with some parts replaced.
fn workbook(replaced: Vec<Entry>) -> Vec<u8> {
    let mut entries: Vec<Entry> = parts()
        .iter()
        .filter(|(name, _)| !replaced.iter().any(|e| &e.name == name))
        .map(|(name, data)| stored(name, data))
        .collect();
    entries.extend(replaced);
    archive(&entries)
}

/// A worksheet of these rows (`<row>…</row>` elements).
fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Detainer Prepare Date</t></is></c><c r="B1" t="inlineStr"><is><t>Detention Facility</t></is></c></row>"#;

fn row(r: u32, date: &str, facility: &str) -> String {
    format!(
        r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{date}</t></is></c><c r="B{r}" t="inlineStr"><is><t>{facility}</t></is></c></row>"#
    )
}

/// Reads the workbook, and says how long that took.
fn read(bytes: Vec<u8>) -> (Result<IceRows, ImportError>, Duration) {
    let started = Instant::now();
    let range = (d("2026-01-01"), d("2026-12-31"));
    let read = read_ice_xlsx(Cursor::new(bytes), &facilities(), range, |_| {});
    (read, started.elapsed())
}

fn refused(bytes: Vec<u8>) -> String {
    let (result, took) = read(bytes);
    let e = result.unwrap_err().to_string();
    assert!(took < Duration::from_secs(5), "{took:?}: {e}");
    e
}

#[test]
fn the_small_workbook_reads() {
    let (plain, _) = read(workbook(Vec::new()));
    assert_eq!(plain.unwrap().1.len(), 1);
    let rows = format!(
        "{HEADER_ROW}{}",
        row(2, "2026-03-01", "CAMBRIDGE POLICE DEPARTMENT")
    );
    let (written, _) = read(workbook(vec![stored(SHEET, sheet_xml(&rows).as_bytes())]));
    assert_eq!(written.unwrap().1.len(), 1);
}

/// calamine reads `ZZZZZZZ2` with arithmetic that overflows (a panic), and
/// subtracts a dimension's start from its end.
#[test]
fn cell_references_outside_excels_grid_are_refused() {
    let sheet = part(SHEET);
    for (from, to, want) in [
        (
            r#"r="A2""#,
            r#"r="ZZZZZZZ2""#,
            "`xl/worksheets/sheet1.xml` in the workbook, row 2: cell reference `ZZZZZZZ2` is outside Excel's grid (A1 to XFD1048576)",
        ),
        (
            r#"<row r="2""#,
            r#"<row r="99999999999""#,
            "`xl/worksheets/sheet1.xml` in the workbook, row 2: row number `99999999999` is outside Excel's grid (A1 to XFD1048576)",
        ),
        (
            r#"<dimension ref="A1:B2"/>"#,
            r#"<dimension ref="B2:A1"/>"#,
            "`xl/worksheets/sheet1.xml` in the workbook: dimension `B2:A1` ends before it begins",
        ),
    ] {
        assert!(sheet.contains(from), "{sheet}");
        let hostile = sheet.replace(from, to);
        let e = refused(workbook(vec![stored(SHEET, hostile.as_bytes())]));
        assert_eq!(e, want);
    }
}

/// calamine reserves room for as many strings as `uniqueCount` claims.
#[test]
fn a_shared_string_count_beyond_what_the_part_holds_is_refused() {
    let strings = part(STRINGS);
    let count = strings
        .split("uniqueCount=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let hostile = strings.replace(
        &format!("uniqueCount=\"{count}\""),
        "uniqueCount=\"1000000000000\"",
    );
    let e = refused(workbook(vec![stored(STRINGS, hostile.as_bytes())]));
    assert!(
        e.starts_with(
            "`xl/sharedStrings.xml` in the workbook: it claims 1000000000000 strings, but its "
        ),
        "{e}"
    );
}

/// 1.5 MB of file, 1.5 GB of shared strings (a thousandfold, as deflate
/// allows at most): refused from the archive's directory, before a byte is
/// inflated.
#[test]
fn shared_strings_that_expand_to_gigabytes_are_refused_unread() {
    // One string of 1 MiB, over and over.
    let body = format!("<si><t>{}</t></si>", "x".repeat((1 << 20) - 16));
    let bomb = repeated(
        STRINGS,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        &body,
        1_431,
        "</sst>",
    );
    assert!(bomb.size > 1_500_000_000);
    let bytes = workbook(vec![bomb]);
    assert!(bytes.len() < 1_600_000, "{} bytes", bytes.len());
    let e = refused(bytes);
    assert_eq!(
        e,
        "`xl/sharedStrings.xml` in the workbook: the shared strings would be 1.4 GiB when read; 128.0 MiB is the most accepted"
    );
}

/// An entry that inflates past the size it declares is cut off there (the
/// zip reader's own check), so a declared size bounds what is read.
#[test]
fn an_entry_that_inflates_past_its_declared_size_is_stopped_there() {
    let body = "<si><t>x</t></si>".repeat(61_681);
    let mut bomb = repeated(STRINGS, "<sst>", &body, 100, "</sst>");
    bomb.size = 100_000;
    let e = refused(workbook(vec![bomb]));
    assert!(
        e.starts_with("`xl/sharedStrings.xml` in the workbook") && e.contains("cannot be read"),
        "{e}"
    );
}

/// A worksheet hundreds of times its compressed size: refused by the ratio
/// (a streamed sheet needs no memory, but reading it takes the time).
#[test]
fn a_worksheet_that_expands_hundreds_of_times_is_refused() {
    let body = r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(20_000);
    let bomb = repeated(
        SHEET,
        &sheet_xml(HEADER_ROW).replace("</sheetData></worksheet>", ""),
        &body,
        200,
        "</sheetData></worksheet>",
    );
    let e = refused(workbook(vec![bomb]));
    assert!(
        e.starts_with("`xl/worksheets/sheet1.xml` in the workbook: ")
            && e.contains("of compressed data would expand to 186.9 MiB (")
            && e.contains("-fold; at most 100-fold is accepted)"),
        "{e}"
    );
}

/// A row read twice would be counted twice; a cell past XFD is no cell.
#[test]
fn cells_out_of_order_or_past_the_grid_are_refused() {
    let cambridge = "CAMBRIDGE POLICE DEPARTMENT";
    let rows = format!(
        "{HEADER_ROW}{}{}",
        row(3, "2026-03-01", cambridge),
        row(2, "2026-03-02", cambridge)
    );
    let e = refused(workbook(vec![stored(SHEET, sheet_xml(&rows).as_bytes())]));
    assert_eq!(
        e,
        "sheet `Sheet1`, row 2: cell A2 comes after B3: a sheet's cells must be in order, row by row, column by column"
    );
    let wide = format!(
        "{HEADER_ROW}<row r=\"2\">{}</row>",
        "<c><v>1</v></c>".repeat(16_385)
    );
    let e = refused(workbook(vec![stored(SHEET, sheet_xml(&wide).as_bytes())]));
    assert_eq!(
        e,
        "sheet `Sheet1`, row 2: a cell at XFE2 is outside Excel's grid (A1 to XFD1048576)"
    );
}

#[test]
fn a_cell_longer_than_a_megabyte_is_refused() {
    let rows = format!("{HEADER_ROW}{}", row(2, "2026-03-01", &"A".repeat(2 << 20)));
    let e = refused(workbook(vec![stored(SHEET, sheet_xml(&rows).as_bytes())]));
    assert_eq!(
        e,
        "`xl/worksheets/sheet1.xml` in the workbook, row 2: a text longer than 1.0 MiB between two tags"
    );
}

/// A long shared string named in every row is read once, not copied for
/// every row (100,000 rows × 900 KiB would be 90 GB of copying).
#[test]
fn a_long_shared_string_in_every_row_is_not_copied_for_every_row() {
    let long = "A".repeat(900 << 10);
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Detainer Prepare Date</t></si><si><t>Detention Facility</t></si><si><t>{long}</t></si></sst>"#
    );
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
    );
    for r in 2..=100_001 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="B{r}" t="s"><v>2</v></c></row>"#
        ));
    }
    let (result, took) = read(workbook(vec![
        stored(STRINGS, strings.as_bytes()),
        stored(SHEET, sheet_xml(&rows).as_bytes()),
    ]));
    let (rows_read, kept) = result.unwrap();
    assert_eq!((rows_read, kept.len()), (100_000, 0));
    assert!(took < Duration::from_secs(10), "{took:?}");
}
