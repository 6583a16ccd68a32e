//! What a person may type into a record: one rule for every text field the
//! store takes, so no path (API, page, command) can store what another
//! refuses.
//!
//! Control characters are refused everywhere: a record is read back on
//! pages, in CSV and JSON exports and in terminals, where a stray escape,
//! carriage return or NUL can hide or forge what the record says. So are
//! the Unicode bidirectional controls (the "Trojan Source" characters,
//! CVE-2021-42574), which reorder what a reader sees without changing what
//! is stored. A *line* (a name, a unit, a reference) has none of them; a
//! *block* (a note, an explanation) may also hold line breaks and tabs,
//! with `\r\n` taken as `\n`.

use crate::StoreError;

/// The bidirectional embedding, override and isolate controls (U+202A to
/// U+202E, U+2066 to U+2069). The marks (U+200E, U+200F) stay allowed: they
/// only set the direction of the text around them, as Arabic or Hebrew
/// text may need.
use trustgate_records::text::forbidden;

fn check(
    field: &'static str,
    s: String,
    max: usize,
    may_be_empty: bool,
    block: bool,
) -> Result<String, StoreError> {
    let s = if block && s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s
    };
    if let Some((at, c)) = forbidden(&s, block) {
        return Err(StoreError::Field {
            field,
            message: format!(
                "character {} is the control character U+{:04X}, which a record may not hold{}",
                at + 1,
                u32::from(c),
                if block {
                    " (line breaks and tabs are fine)"
                } else {
                    ""
                }
            ),
        });
    }
    let n = s.chars().count();
    if (!may_be_empty && s.trim().is_empty()) || n > max {
        return Err(StoreError::Field {
            field,
            message: format!(
                "must be {} to {max} characters, not blank; it has {n}",
                if may_be_empty { 0 } else { 1 }
            ),
        });
    }
    Ok(s)
}

/// A one-line text (a name, a unit, a reference): 1 to `max` characters,
/// not blank, no control characters.
pub(crate) fn line(field: &'static str, s: String, max: usize) -> Result<String, StoreError> {
    check(field, s, max, false, false)
}

/// A text of several lines (a note, an explanation): at most `max`
/// characters, blank only if `may_be_empty`; line breaks and tabs allowed,
/// other control characters not.
pub(crate) fn block(
    field: &'static str,
    s: String,
    max: usize,
    may_be_empty: bool,
) -> Result<String, StoreError> {
    check(field, s, max, may_be_empty, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<String, StoreError>) -> String {
        match r {
            Err(StoreError::Field { message, .. }) => message,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_line_refuses_every_control_character_and_says_which() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let m = refused(line("unit", format!("front{c}desk"), 200));
            assert!(m.contains(&format!("U+{:04X}", u32::from(c))), "{m}");
            assert!(m.starts_with("character 6 "), "{m}");
        }
    }

    #[test]
    fn bidi_controls_are_refused_in_lines_and_blocks() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            refused(line("unit", format!("a{c}b"), 200));
            refused(block("note", format!("a{c}b"), 200, true));
        }
    }

    #[test]
    fn a_block_keeps_line_breaks_and_tabs_and_takes_crlf_as_lf() {
        assert_eq!(
            block("note", "one\r\ntwo\tthree\n".into(), 200, false).unwrap(),
            "one\ntwo\tthree\n"
        );
        refused(block("note", "one\rtwo".into(), 200, false));
        refused(block("note", "bell\u{7}".into(), 200, false));
        refused(line("unit", "one\ntwo".into(), 200));
    }

    #[test]
    fn length_and_blankness_are_counted_in_characters() {
        assert_eq!(line("unit", "é".repeat(3), 3).unwrap(), "ééé");
        refused(line("unit", "é".repeat(4), 3));
        refused(line("unit", "   ".into(), 3));
        assert_eq!(block("note", String::new(), 3, true).unwrap(), "");
        refused(block("note", String::new(), 3, false));
        // Letters of every script are text, not control characters.
        assert!(line("name", "Jean-Baptiste Désir • 陈 • محمد".into(), 200).is_ok());
    }
}
