//! The raw `key: value` lines of a fenced `rule` / `define` / `obligation` block,
//! read by the law library's own block reader (one reader in the workspace): a
//! line `key: value` starts an entry, a deeper-indented line continues the
//! previous value, blank lines and lines starting with `#` are skipped.
//! Anything else is kept as a stray line so the page can show it rather than
//! hide it.

/// One `key: value` entry, as the law library reads it.
pub(crate) type Entry = trustgate_law::RawEntry;

/// A block's entries in order, and any lines that are not `key: value`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawBlock {
    pub(crate) entries: Vec<Entry>,
    pub(crate) stray: Vec<String>,
}

impl RawBlock {
    /// Reads a block with the loader's own rules (`trustgate_law::raw_block`),
    /// so the page shows a block as the engine reads it.
    pub(crate) fn parse(body: &str) -> RawBlock {
        let (entries, stray) = trustgate_law::raw_block(body);
        RawBlock { entries, stray }
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
