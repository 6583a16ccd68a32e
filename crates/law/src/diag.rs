//! Diagnostics that point at `file:line:column`, so a city lawyer editing a pack
//! sees where and what, never a panic.

use std::fmt;

/// One problem found in a law pack or the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    file: String,
    line: u32,
    column: u32,
    message: String,
    help: Option<String>,
}

impl Diagnostic {
    /// The pack file, as it was named when loaded.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// 1-based line.
    pub fn line(&self) -> u32 {
        self.line
    }
    /// 1-based column, counted in characters.
    pub fn column(&self) -> u32 {
        self.column
    }
    /// What is wrong, and what was expected.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// A suggestion such as "did you mean `ice-ero`?".
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found while loading packs; loading reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The problems, in file order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        write!(f, "\n{} error(s) in law packs", self.diagnostics.len())
    }
}

/// A loaded source file with its line starts, to turn byte offsets into positions.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) name: String,
    pub(crate) text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub(crate) fn new(name: &str, text: &str) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.to_owned(),
            text: text.to_owned(),
            line_starts,
        }
    }

    /// (line, column), both 1-based; the column counts characters.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (to_u32(line + 1), to_u32(col + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Collects diagnostics against the loaded files.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) items: Vec<(usize, usize, Diagnostic)>,
}

impl Sink {
    pub(crate) fn error(
        &mut self,
        file: &SourceFile,
        file_idx: usize,
        offset: usize,
        message: impl Into<String>,
    ) {
        self.push(file, file_idx, offset, message.into(), None);
    }

    pub(crate) fn error_help(
        &mut self,
        file: &SourceFile,
        file_idx: usize,
        offset: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(file, file_idx, offset, message.into(), help);
    }

    fn push(
        &mut self,
        file: &SourceFile,
        file_idx: usize,
        offset: usize,
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = file.position(offset);
        let d = Diagnostic {
            file: file.name.clone(),
            line,
            column,
            message,
            help,
        };
        if !self.items.iter().any(|(_, _, e)| *e == d) {
            self.items.push((file_idx, offset, d));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn into_error(mut self) -> LoadError {
        self.items.sort_by_key(|(f, o, _)| (*f, *o));
        LoadError {
            diagnostics: self.items.into_iter().map(|(_, _, d)| d).collect(),
        }
    }
}

/// "did you mean `x`?" for the closest known name, if any is close enough.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(wanted, k);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| format!("did you mean `{k}`?"))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let f = SourceFile::new("x.md", "ab\nstudent’s x\n");
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        let x = f.text.find(" x").unwrap() + 1;
        assert_eq!(f.position(x), (2, 11));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("ice-er", ["ice-ero", "fbi"]).as_deref(),
            Some("did you mean `ice-ero`?")
        );
        assert_eq!(did_you_mean("zzz", ["ice-ero", "fbi"]), None);
    }
}
