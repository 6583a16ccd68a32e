//! What an XLSX workbook may hold before calamine reads it. An XLSX file is
//! a zip archive of XML parts; calamine keeps the shared strings in memory,
//! reserves what `<sst uniqueCount>` claims, buffers one XML event at a time
//! (a whole text run, a whole tag), and parses cell references with
//! arithmetic that overflows (`ZZZZZZZ1` panics). So, from the archive's
//! central directory, before anything is decompressed:
//!
//! - at most [`MAX_ENTRIES`] entries;
//! - each entry's declared size under the cap of its kind: the shared
//!   strings (held whole) [`MAX_SHARED_STRINGS`], a worksheet (streamed)
//!   [`MAX_WORKSHEET`], any other part [`MAX_PART`]. The zip reader itself
//!   fails an entry that inflates past its declared size, so a declared
//!   size bounds what calamine can read of it;
//! - each entry over 1 MiB expands at most [`MAX_RATIO`]-fold, and the whole
//!   archive at most that much (plus 16 MiB), so reading time follows the
//!   file's size;
//!
//! and then every entry is read once through a small XML tokenizer that
//! holds nothing but the tag at hand:
//!
//! - a tag is at most [`MAX_TAG`] bytes, a text run, comment or CDATA
//!   section at most [`MAX_TEXT`], and so is the text of one cell (`<c>`) or
//!   one shared string (`<si>`); a document type declaration is refused
//!   (OOXML parts have none);
//! - a cell reference (`<c r>`, `<row r>`, `<dimension ref>`) lies in
//!   Excel's grid, A1 to XFD1048576, and a dimension's end is not before its
//!   start;
//! - `<sst uniqueCount>` is no more than the part could hold (one string
//!   takes at least 13 bytes: `<si><t/></si>`).
//!
//! Entries that neither are named as XML (`.xml`, `.rels`, `.vml`) nor begin
//! with `<` (images, embedded binaries) get only the reference checks: the
//! length limits would refuse a picture for bytes that merely look like
//! markup, and their declared size already bounds what reading them as XML
//! could hold.

use std::io::{Read, Seek};

use crate::reconcile::ImportError;

/// Entries in the archive (a workbook of a few sheets has about a dozen).
pub const MAX_ENTRIES: usize = 10_000;
/// `sharedStrings.xml`, which calamine holds in memory whole.
pub const MAX_SHARED_STRINGS: u64 = 128 << 20;
/// A worksheet, streamed: a full sheet of ICE's forty-odd columns,
/// 1,048,576 rows, is about 1.5 GiB of XML.
pub const MAX_WORKSHEET: u64 = 2 << 30;
/// Any other part (workbook, styles, relationships, theme, pictures).
pub const MAX_PART: u64 = 32 << 20;
/// How many times an entry (over 1 MiB), or the whole archive, may expand.
/// Spreadsheet XML deflates about 5 to 30 times; a zip bomb, about 1,000.
pub const MAX_RATIO: u64 = 100;
/// One tag, attributes and all.
pub const MAX_TAG: usize = 64 << 10;
/// One text run, comment or CDATA section, and the text of one cell or one
/// shared string (Excel's own limit is 32,767 characters).
pub const MAX_TEXT: u64 = 1 << 20;
/// Excel's grid: rows 1 to 1,048,576, columns A to XFD (16,384).
pub const MAX_ROW: u32 = 1_048_576;
pub const MAX_COLUMN: u32 = 16_384;

/// Entries smaller than this are not held to [`MAX_RATIO`] alone.
const RATIO_FROM: u64 = 1 << 20;
/// The least bytes of XML that give calamine one shared string.
const LEAST_STRING_BYTES: u64 = 13;

/// Checks the archive in `data` as the module explains, leaving `data`
/// wherever reading stopped (the caller rewinds it).
pub fn check<R: Read + Seek>(data: R) -> Result<(), ImportError> {
    let mut zip = zip::ZipArchive::new(data)
        .map_err(|e| plain(format!("not a readable XLSX workbook: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(plain(format!(
            "the workbook's archive has {} entries; more than {MAX_ENTRIES} is not a spreadsheet",
            zip.len()
        )));
    }
    let mut entries = Vec::with_capacity(zip.len());
    let (mut total, mut packed) = (0u64, 0u64);
    for i in 0..zip.len() {
        let entry = zip
            .by_index_data(i)
            .map_err(|e| plain(format!("the workbook's archive: entry {i}: {e}")))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_dir() {
            continue;
        }
        let (size, compressed) = (entry.size(), entry.compressed_size());
        let kind = Kind::of(&name);
        if size > kind.cap() {
            return Err(at_entry(
                &name,
                None,
                format!(
                    "{} would be {} when read; {} is the most accepted",
                    kind.what(),
                    bytes(size),
                    bytes(kind.cap())
                ),
            ));
        }
        if size > RATIO_FROM && size > compressed.saturating_mul(MAX_RATIO) {
            return Err(at_entry(
                &name,
                None,
                format!(
                    "{} of compressed data would expand to {} ({}-fold; at most {MAX_RATIO}-fold is accepted)",
                    bytes(compressed),
                    bytes(size),
                    size / compressed.max(1)
                ),
            ));
        }
        total = total.saturating_add(size);
        packed = packed.saturating_add(compressed);
        entries.push((i, name, size));
    }
    if total > packed.saturating_mul(MAX_RATIO).saturating_add(16 << 20) {
        return Err(plain(format!(
            "the workbook's {} of compressed entries would expand to {}; at most {MAX_RATIO}-fold is accepted",
            bytes(packed),
            bytes(total)
        )));
    }
    let mut chunk = vec![0u8; 64 << 10];
    for (i, name, size) in entries {
        let mut file = zip
            .by_index(i)
            .map_err(|e| at_entry(&name, None, format!("cannot be read: {e}")))?;
        let mut scan = Scan::new(&name, size);
        loop {
            let n = match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(at_entry(&name, scan.row(), format!("cannot be read: {e}")));
                }
            };
            scan.feed(chunk.get(..n).unwrap_or_default())
                .map_err(|message| at_entry(&name, scan.row(), message))?;
        }
    }
    Ok(())
}

fn plain(message: String) -> ImportError {
    ImportError {
        line: 0,
        sheet: None,
        entry: None,
        message,
    }
}

fn at_entry(name: &str, row: Option<u32>, message: String) -> ImportError {
    ImportError {
        line: row.map_or(0, u64::from),
        sheet: None,
        entry: Some(name.to_owned()),
        message,
    }
}

/// `1.5 GiB`, `300 KiB`, `12 bytes`.
fn bytes(n: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if n >= 1 << shift {
            let tenths = n.saturating_mul(10).saturating_add(1 << (shift - 1)) >> shift;
            return format!("{}.{} {unit}", tenths / 10, tenths % 10);
        }
    }
    format!("{n} bytes")
}

#[derive(Clone, Copy)]
enum Kind {
    SharedStrings,
    Worksheet,
    Part,
}

impl Kind {
    fn of(name: &str) -> Kind {
        let lower = name.replace('\\', "/").to_ascii_lowercase();
        let mut parts = lower.rsplit('/');
        let file = parts.next().unwrap_or_default();
        if file == "sharedstrings.xml" {
            Kind::SharedStrings
        } else if file.ends_with(".xml") && parts.next() == Some("worksheets") {
            Kind::Worksheet
        } else {
            Kind::Part
        }
    }

    fn cap(self) -> u64 {
        match self {
            Kind::SharedStrings => MAX_SHARED_STRINGS,
            Kind::Worksheet => MAX_WORKSHEET,
            Kind::Part => MAX_PART,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::SharedStrings => "the shared strings",
            Kind::Worksheet => "the worksheet",
            Kind::Part => "the part",
        }
    }
}

/// Where the tokenizer is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`.
    Open,
    /// After `<!`.
    Bang,
    /// After `<!-`: the second `-` is expected.
    CommentStart,
    /// Inside `<!-- … -->`: how many `-` were just seen.
    Comment(u8),
    /// Inside `<![ … ]]>`: how many `]` were just seen.
    CData(u8),
    /// Inside `<? … ?>`: whether `?` was just seen.
    Pi(bool),
    /// Inside `<!DOCTYPE … >` (only where it is not refused): bracket depth.
    Doctype(u32),
    /// Inside a tag; the quote it is inside, if any.
    Tag(Option<u8>),
}

/// The tokenizer over one entry, fed in chunks.
struct Scan {
    /// Length limits apply (the entry is XML by name or by its first byte);
    /// `None` until the first byte that is not a byte-order mark or space.
    strict: Option<bool>,
    named_xml: bool,
    size: u64,
    state: State,
    /// The tag being read, from after `<` (`/name …` for an end tag).
    tag: Vec<u8>,
    /// The tag grew past [`MAX_TAG`] in a lenient entry: not examined.
    overlong: bool,
    /// Bytes of the current text run, comment, CDATA or instruction.
    run: u64,
    /// Nesting of `<c>` and `<si>`, and the text inside the outermost.
    cell_depth: u32,
    cell_text: u64,
    /// The row being read: its `r`, or the rows counted.
    row_r: Option<u32>,
    rows: u32,
    /// Bytes seen before the first significant one, for skipping a leading
    /// byte-order mark.
    seen: u64,
}

impl Scan {
    fn new(name: &str, size: u64) -> Scan {
        let lower = name.to_ascii_lowercase();
        let named_xml = [".xml", ".rels", ".vml"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        Scan {
            strict: named_xml.then_some(true),
            named_xml,
            size,
            state: State::Text,
            tag: Vec::new(),
            overlong: false,
            run: 0,
            cell_depth: 0,
            cell_text: 0,
            row_r: None,
            rows: 0,
            seen: 0,
        }
    }

    /// The spreadsheet row being read, for an error's place.
    fn row(&self) -> Option<u32> {
        self.row_r.or((self.rows > 0).then_some(self.rows))
    }

    fn strict(&self) -> bool {
        self.strict.unwrap_or(false)
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        let mut i = 0;
        while let Some(&b) = chunk.get(i) {
            if self.state == State::Text && self.strict.is_some() {
                // The run up to the next `<`, at once.
                let rest = chunk.get(i..).unwrap_or_default();
                let n = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                self.text(u64::try_from(n).unwrap_or(u64::MAX))?;
                if n < rest.len() {
                    self.state = State::Open;
                    self.run = 0;
                }
                i += n + 1;
                continue;
            }
            if self.strict.is_none() {
                let bom = self.seen < 3 && matches!(b, 0xEF | 0xBB | 0xBF);
                if !bom && !b.is_ascii_whitespace() {
                    self.strict = Some(self.named_xml || b == b'<');
                }
                self.seen = self.seen.saturating_add(1);
            }
            match self.state {
                State::Text => {
                    if b == b'<' {
                        self.state = State::Open;
                        self.run = 0;
                    } else {
                        self.text(1)?;
                    }
                }
                State::Open => {
                    self.tag.clear();
                    self.overlong = false;
                    self.state = match b {
                        b'!' => State::Bang,
                        b'?' => State::Pi(false),
                        _ => {
                            // This byte begins the tag: read it as such.
                            self.state = State::Tag(None);
                            continue;
                        }
                    };
                }
                State::Bang => {
                    self.state = match b {
                        b'-' => State::CommentStart,
                        b'[' => State::CData(0),
                        b'D' | b'd' if self.strict() => {
                            return Err(
                                "a document type declaration (OOXML parts have none)".to_owned()
                            );
                        }
                        b'D' | b'd' => State::Doctype(0),
                        _ => State::Tag(None),
                    };
                }
                State::CommentStart => {
                    self.state = State::Comment(0);
                    if b != b'-' {
                        self.long_markup(1)?;
                    }
                }
                State::Comment(dashes) => {
                    self.long_markup(1)?;
                    self.state = match b {
                        b'-' => State::Comment(dashes.saturating_add(1)),
                        b'>' if dashes >= 2 => self.markup_ends(),
                        _ => State::Comment(0),
                    };
                }
                State::CData(brackets) => {
                    self.long_markup(1)?;
                    if self.cell_depth > 0 {
                        self.cell_text = self.cell_text.saturating_add(1);
                        self.check_cell_text()?;
                    }
                    self.state = match b {
                        b']' => State::CData(brackets.saturating_add(1)),
                        b'>' if brackets >= 2 => self.markup_ends(),
                        _ => State::CData(0),
                    };
                }
                State::Pi(question) => {
                    self.long_markup(1)?;
                    self.state = match b {
                        b'>' if question => self.markup_ends(),
                        _ => State::Pi(b == b'?'),
                    };
                }
                State::Doctype(depth) => {
                    self.state = match b {
                        b'[' => State::Doctype(depth.saturating_add(1)),
                        b']' => State::Doctype(depth.saturating_sub(1)),
                        b'>' if depth == 0 => State::Text,
                        _ => State::Doctype(depth),
                    };
                }
                State::Tag(quote) => {
                    // Up to the next byte that matters here, at once.
                    let rest = chunk.get(i..).unwrap_or_default();
                    let n = match quote {
                        None => memchr::memchr3(b'>', b'"', b'\'', rest),
                        Some(q) => memchr::memchr(q, rest),
                    }
                    .unwrap_or(rest.len());
                    let (plain, stop) = rest.split_at(n);
                    self.push_tag(plain)?;
                    match stop.first() {
                        None => {}
                        Some(b'>') if quote.is_none() => {
                            self.end_tag()?;
                            self.state = State::Text;
                        }
                        Some(&c) => {
                            self.push_tag(&[c])?;
                            self.state = State::Tag(quote_of(c, quote));
                        }
                    }
                    i += n + 1;
                    continue;
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// More of the tag being read.
    fn push_tag(&mut self, more: &[u8]) -> Result<(), String> {
        if self.tag.len().saturating_add(more.len()) <= MAX_TAG {
            self.tag.extend_from_slice(more);
        } else if self.strict() {
            return Err(format!(
                "a tag longer than {} (`<{}…`)",
                bytes(MAX_TAG as u64),
                shown(self.tag.get(..40).unwrap_or_default())
            ));
        } else {
            self.overlong = true;
        }
        Ok(())
    }

    /// `n` bytes of text.
    fn text(&mut self, n: u64) -> Result<(), String> {
        self.run = self.run.saturating_add(n);
        if self.strict() && self.run > MAX_TEXT {
            return Err(format!(
                "a text longer than {} between two tags",
                bytes(MAX_TEXT)
            ));
        }
        if self.cell_depth > 0 {
            self.cell_text = self.cell_text.saturating_add(n);
            self.check_cell_text()?;
        }
        Ok(())
    }

    fn check_cell_text(&self) -> Result<(), String> {
        if self.strict() && self.cell_text > MAX_TEXT {
            return Err(format!(
                "a cell or shared string whose text is longer than {} (Excel's limit is 32,767 characters)",
                bytes(MAX_TEXT)
            ));
        }
        Ok(())
    }

    /// `n` more bytes of a comment, CDATA section or instruction.
    fn long_markup(&mut self, n: u64) -> Result<(), String> {
        self.run = self.run.saturating_add(n);
        if self.strict() && self.run > MAX_TEXT {
            return Err(format!(
                "a comment, CDATA section or processing instruction longer than {}",
                bytes(MAX_TEXT)
            ));
        }
        Ok(())
    }

    /// A comment, CDATA section or instruction has ended: text follows.
    fn markup_ends(&mut self) -> State {
        self.run = 0;
        State::Text
    }

    /// A whole tag has been read into `self.tag` (without `<` and `>`).
    fn end_tag(&mut self) -> Result<(), String> {
        self.run = 0;
        if self.overlong {
            return Ok(());
        }
        let tag = std::mem::take(&mut self.tag);
        let result = self.examine(&tag);
        self.tag = tag;
        result
    }

    fn examine(&mut self, tag: &[u8]) -> Result<(), String> {
        let (closing, body) = match tag.split_first() {
            Some((b'/', rest)) => (true, rest),
            _ => (false, tag),
        };
        let name_len = body
            .iter()
            .position(|&c| c.is_ascii_whitespace() || c == b'/')
            .unwrap_or(body.len());
        let (name, attrs) = body.split_at(name_len);
        let local = match name.iter().rposition(|&c| c == b':') {
            Some(colon) => name.get(colon + 1..).unwrap_or_default(),
            None => name,
        };
        let empty = !closing && body.trim_ascii_end().ends_with(b"/");
        let holds_text = local == b"c" || local == b"si";
        if closing {
            if holds_text {
                self.cell_depth = self.cell_depth.saturating_sub(1);
                if self.cell_depth == 0 {
                    self.cell_text = 0;
                }
            }
            return Ok(());
        }
        if holds_text && !empty {
            if self.cell_depth == 0 {
                self.cell_text = 0;
            }
            self.cell_depth = self.cell_depth.saturating_add(1);
        }
        match local {
            b"row" => {
                self.rows = self.rows.saturating_add(1);
                self.row_r = None;
                for value in values(attrs, b"r") {
                    let (_, row) = reference(value)
                        .filter(|&(_, row)| row > 0)
                        .ok_or_else(|| format!("row number `{}` {OUTSIDE}", shown(value)))?;
                    self.row_r = Some(row);
                }
            }
            b"c" => {
                for value in values(attrs, b"r") {
                    match reference(value) {
                        Some((col, row)) if col > 0 && row > 0 => {}
                        _ => return Err(format!("cell reference `{}` {OUTSIDE}", shown(value))),
                    }
                }
            }
            b"dimension" => {
                for value in values(attrs, b"ref") {
                    let mut ends = value.split(|&c| c == b':').map(reference);
                    let bad = || format!("dimension `{}` {OUTSIDE}", shown(value));
                    let first = ends.next().flatten().ok_or_else(bad)?;
                    let last = match ends.next() {
                        Some(end) => end.ok_or_else(bad)?,
                        None => first,
                    };
                    let whole = |(col, row): (u32, u32)| col > 0 && row > 0;
                    if ends.next().is_some() || !whole(first) || !whole(last) {
                        return Err(bad());
                    }
                    if last.0 < first.0 || last.1 < first.1 {
                        return Err(format!(
                            "dimension `{}` ends before it begins",
                            shown(value)
                        ));
                    }
                }
            }
            b"sst" => {
                let most = self.size / LEAST_STRING_BYTES;
                for value in values(attrs, b"uniqueCount") {
                    let claimed = std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.trim().parse::<u128>().ok());
                    if let Some(claimed) = claimed
                        && claimed > u128::from(most)
                    {
                        return Err(format!(
                            "it claims {claimed} strings, but its {} hold at most {most}",
                            bytes(self.size)
                        ));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

const OUTSIDE: &str = "is outside Excel's grid (A1 to XFD1048576)";

/// The next quote state after byte `b` in a tag.
fn quote_of(b: u8, quote: Option<u8>) -> Option<u8> {
    match (quote, b) {
        (None, b'"' | b'\'') => Some(b),
        (Some(q), b) if b == q => None,
        (q, _) => q,
    }
}

/// The values of the attributes whose local name is `want`, raw.
fn values<'t>(mut attrs: &'t [u8], want: &'t [u8]) -> impl Iterator<Item = &'t [u8]> + 't {
    std::iter::from_fn(move || {
        loop {
            attrs = attrs.trim_ascii_start();
            let eq = attrs.iter().position(|&c| c == b'=')?;
            // The name just before `=` (a malformed name-only attribute
            // before it is passed over).
            let before = attrs.get(..eq)?.trim_ascii();
            let start = before
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(0, |p| p + 1);
            let key = before.get(start..)?;
            let rest = attrs.get(eq + 1..)?.trim_ascii_start();
            let (&q, rest) = rest.split_first()?;
            let (value, after) = if q == b'"' || q == b'\'' {
                let end = rest.iter().position(|&c| c == q)?;
                (rest.get(..end)?, rest.get(end + 1..)?)
            } else {
                let end = rest
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .unwrap_or(rest.len());
                (rest.get(..end)?, rest.get(end..)?)
            };
            attrs = after;
            let local = match key.iter().rposition(|&c| c == b':') {
                Some(colon) => key.get(colon + 1..)?,
                None => key,
            };
            if local == want {
                return Some(value);
            }
        }
    })
}

/// A cell reference as calamine reads one (letters, then digits) within
/// Excel's grid: (column, row), both 1-based, 0 where absent. `None` for
/// anything else, or anything past XFD or row 1,048,576.
pub fn reference(value: &[u8]) -> Option<(u32, u32)> {
    let letters = value
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(value.len());
    let (col_part, row_part) = value.split_at(letters);
    if col_part.len() > 3 || row_part.len() > 7 || !row_part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col_part.iter().fold(0u32, |n, c| {
        n * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row = row_part
        .iter()
        .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    (col <= MAX_COLUMN && row <= MAX_ROW).then_some((col, row))
}

/// Bytes from the file, shown in an error: at most 40 characters.
fn shown(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn scan(name: &str, xml: &str) -> Result<(), String> {
        let mut s = Scan::new(name, u64::try_from(xml.len()).unwrap());
        // Fed in small pieces: the tokenizer keeps its place across chunks.
        for piece in xml.as_bytes().chunks(7) {
            s.feed(piece)?;
        }
        Ok(())
    }

    #[test]
    fn references_are_read_as_calamine_reads_them_within_the_grid() {
        assert_eq!(reference(b"A1"), Some((1, 1)));
        assert_eq!(reference(b"xfd1048576"), Some((16_384, 1_048_576)));
        assert_eq!(reference(b"5"), Some((0, 5)));
        for bad in [
            &b"XFE1"[..],
            b"A1048577",
            b"ZZZZZZZ1",
            b"A99999999999",
            b"A1B",
            b"A-1",
            b"\xc3\x801",
        ] {
            assert_eq!(reference(bad), None, "{}", shown(bad));
        }
    }

    #[test]
    fn the_tokenizer_finds_what_calamine_would_choke_on() {
        let sheet = "xl/worksheets/sheet1.xml";
        assert_eq!(
            scan(
                sheet,
                r#"<?xml version="1.0"?><worksheet><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
            ),
            Ok(())
        );
        assert_eq!(
            scan(
                sheet,
                r#"<worksheet><sheetData><row r="2"><c r="ZZZZZZZ2"/></row></sheetData></worksheet>"#
            ),
            Err("cell reference `ZZZZZZZ2` is outside Excel's grid (A1 to XFD1048576)".to_owned())
        );
        assert!(scan(sheet, r#"<x:row x:r="99999999999">"#).is_err());
        assert_eq!(
            scan(sheet, r#"<dimension ref="B2:A1"/>"#),
            Err("dimension `B2:A1` ends before it begins".to_owned())
        );
        // A `>` inside quotes does not end a tag; a reference in a comment
        // or a CDATA section is not a cell.
        assert!(scan(sheet, r#"<c t=">" r='XFE1'/>"#).is_err());
        assert_eq!(
            scan(
                sheet,
                r#"<!-- <c r="ZZZZZZZ1"/> --><![CDATA[<c r="ZZZZZZZ1"/>]]>"#
            ),
            Ok(())
        );
        assert!(scan(sheet, "<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").is_err());
        let long_cell = format!(
            "<c><is><t>{}</t><t>{}</t></is></c>",
            "a".repeat(600 << 10),
            "b".repeat(600 << 10)
        );
        assert!(
            scan(sheet, &long_cell)
                .unwrap_err()
                .contains("cell or shared string")
        );
        let strings = r#"<sst uniqueCount="1000000000000"><si><t>x</t></si></sst>"#;
        assert!(
            scan("xl/sharedStrings.xml", strings)
                .unwrap_err()
                .contains("claims 1000000000000 strings")
        );
        // A picture is not held to the length limits.
        let picture = format!("\u{89}PNG<!--{}", "x".repeat(2 << 20));
        assert_eq!(scan("xl/media/image1.png", &picture), Ok(()));
        assert!(scan("xl/media/image1.png", "<?xml?><!--").is_ok());
    }

    #[test]
    fn sizes_are_told_in_binary_units() {
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 << 29), "1.5 GiB");
    }
}
