//! The raw `key: value` lines of a fenced `rule` / `define` / `obligation` block,
//! read with the pack format's rules: a line `key: value` starts an entry, a
//! deeper-indented line continues the previous value, blank lines and lines
//! starting with `#` are skipped. Anything else is kept as a stray line so the
//! page can show it rather than hide it.

/// One `key: value` entry; `lines` are the value's lines as written (the first
/// after the colon, then each continuation line without its indentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) lines: Vec<String>,
}

impl Entry {
    /// The value joined as the engine joins it: lines with single spaces.
    pub(crate) fn joined(&self) -> String {
        let mut out = String::new();
        for l in self.lines.iter().filter(|l| !l.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(l);
        }
        out
    }
}

/// A block's entries in order, and any lines that are not `key: value`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawBlock {
    pub(crate) entries: Vec<Entry>,
    pub(crate) stray: Vec<String>,
}

impl RawBlock {
    pub(crate) fn parse(body: &str) -> RawBlock {
        let mut out = RawBlock::default();
        for raw in body.lines() {
            let text = raw.trim_start_matches([' ', '\t']);
            let indent = raw.len() - text.len();
            let text = text.trim_end();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            if indent > 0 {
                match out.entries.last_mut() {
                    Some(e) => e.lines.push(text.to_owned()),
                    None => out.stray.push(text.to_owned()),
                }
                continue;
            }
            match text.split_once(':') {
                Some((k, v)) if is_key(k) => out.entries.push(Entry {
                    key: k.to_owned(),
                    lines: vec![v.trim().to_owned()],
                }),
                _ => out.stray.push(text.to_owned()),
            }
        }
        out
    }

    /// The first entry under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The first value under `key`, joined.
    pub(crate) fn value(&self, key: &str) -> Option<String> {
        self.get(key).map(Entry::joined)
    }
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_continuations_and_stray_lines() {
        let b = RawBlock::parse(
            "id: r\n# a comment\n\nwhen: a and\n  b or\n\tc\nthen: prohibited\nnot a key line\n",
        );
        assert_eq!(b.value("id").as_deref(), Some("r"));
        assert_eq!(
            b.get("when").map(|e| e.lines.clone()),
            Some(vec!["a and".to_owned(), "b or".to_owned(), "c".to_owned()])
        );
        assert_eq!(b.value("when").as_deref(), Some("a and b or c"));
        assert_eq!(b.value("then").as_deref(), Some("prohibited"));
        assert_eq!(b.stray, vec!["not a key line".to_owned()]);
    }

    #[test]
    fn colons_in_values_and_urls_stay_in_the_value() {
        let b = RawBlock::parse("quote: see: this\nexplain: a: b\n");
        assert_eq!(b.value("quote").as_deref(), Some("see: this"));
        assert_eq!(b.value("explain").as_deref(), Some("a: b"));
        // `Capital:` is not a key: keys are lower-case.
        let b = RawBlock::parse("Capital: x\n");
        assert!(b.entries.is_empty());
        assert_eq!(b.stray.len(), 1);
    }
}
