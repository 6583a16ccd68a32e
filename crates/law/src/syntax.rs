//! The surface syntax of a law pack: a Markdown document whose prose is the law's
//! own text and whose fenced blocks (`rule`, `define`, `obligation`, `schema`)
//! encode it. This module only splits the document; meaning is given in `load`.
//!
//! Every piece keeps its byte offset in the file so that any later error can say
//! `file:line:column`.

/// A piece of text and the byte offset where it starts in its file.
#[derive(Debug, Clone)]
pub(crate) struct Spanned {
    pub(crate) text: String,
    pub(crate) offset: usize,
}

/// A value that may run over several lines. Joined with single spaces; `segs`
/// maps positions in `text` back to offsets in the file.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub(crate) text: String,
    segs: Vec<(usize, usize)>,
}

impl Value {
    pub(crate) fn new(text: &str, offset: usize) -> Value {
        Value {
            text: text.to_owned(),
            segs: vec![(0, offset)],
        }
    }

    fn push_line(&mut self, text: &str, offset: usize) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.segs.push((self.text.len(), offset));
        self.text.push_str(text);
    }

    /// The file offset of byte `pos` of `text`.
    pub(crate) fn offset_of(&self, pos: usize) -> usize {
        let i = self
            .segs
            .partition_point(|&(p, _)| p <= pos)
            .saturating_sub(1);
        self.segs
            .get(i)
            .map_or(0, |&(p, o)| o + pos.saturating_sub(p))
    }

    pub(crate) fn offset(&self) -> usize {
        self.offset_of(0)
    }
}

/// `key: value` inside a block or the front matter.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: Spanned,
    pub(crate) value: Value,
}

/// One raw line of a fenced block.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) indent: usize,
    /// Without the indentation or the line end.
    pub(crate) text: String,
    /// Offset of `text` in the file.
    pub(crate) offset: usize,
}

/// A fenced block such as ```` ```rule ````.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) kind: Spanned,
    pub(crate) section: usize,
    pub(crate) lines: Vec<Line>,
}

/// The law text under one heading (section 0 is the text before the first).
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) heading: String,
    /// The prose, normalised for quoting (see [`normalize`]).
    pub(crate) prose: String,
}

/// A pack document split into its parts.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) front: Vec<Entry>,
    pub(crate) sections: Vec<Section>,
    pub(crate) blocks: Vec<Block>,
}

/// A problem in the document's shape: (offset, message).
pub(crate) type SyntaxError = (usize, String);

/// Splits a pack into front matter, sections of prose and fenced blocks.
pub(crate) fn split(text: &str) -> (Doc, Vec<SyntaxError>) {
    let mut errors = Vec::new();
    let mut doc = Doc {
        front: Vec::new(),
        sections: vec![Section {
            heading: String::new(),
            prose: String::new(),
        }],
        blocks: Vec::new(),
    };
    let mut lines = lines_with_offsets(text).peekable();

    if let Some(&(0, first)) = lines.peek()
        && first.trim_end() == "---"
    {
        lines.next();
        let mut closed = false;
        let mut entry_lines = Vec::new();
        for (off, line) in lines.by_ref() {
            if line.trim_end() == "---" {
                closed = true;
                break;
            }
            entry_lines.push(make_line(line, off));
        }
        if !closed {
            errors.push((
                0,
                "front matter opened with `---` is never closed by a `---` line".to_owned(),
            ));
        }
        doc.front = entries(&entry_lines, &mut errors);
    }

    while let Some((off, line)) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let info_trim = info.trim();
            let kind = Spanned {
                text: info_trim.to_owned(),
                offset: off + 3 + (info.len() - info.trim_start().len()),
            };
            let mut body = Vec::new();
            let mut closed = false;
            for (o, l) in lines.by_ref() {
                if l.trim_end() == "```" {
                    closed = true;
                    break;
                }
                body.push(make_line(l, o));
            }
            if !closed {
                errors.push((
                    off,
                    format!("fenced block ```{info_trim} is never closed by a ``` line"),
                ));
            }
            doc.blocks.push(Block {
                kind,
                section: doc.sections.len() - 1,
                lines: body,
            });
        } else if line.starts_with('#') {
            let heading = line.trim_start_matches('#').trim().to_owned();
            doc.sections.push(Section {
                heading,
                prose: String::new(),
            });
        } else if let Some(section) = doc.sections.last_mut() {
            let n = normalize(line);
            if !n.is_empty() {
                if !section.prose.is_empty() {
                    section.prose.push(' ');
                }
                section.prose.push_str(&n);
            }
        }
    }
    (doc, errors)
}

/// Parses `key: value` lines; deeper-indented lines continue the previous value;
/// blank lines and lines starting with `#` are skipped.
pub(crate) fn entries(lines: &[Line], errors: &mut Vec<SyntaxError>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in lines {
        if line.text.trim().is_empty() || line.text.starts_with('#') {
            continue;
        }
        if line.indent > 0 {
            match out.last_mut() {
                Some(e) => e.value.push_line(line.text.trim_end(), line.offset),
                None => errors.push((line.offset, "expected `key: value`; an indented line continues a value, but none came before".to_owned())),
            }
            continue;
        }
        match line.text.split_once(':') {
            Some((k, v)) if is_key(k) => {
                let lead = v.len() - v.trim_start().len();
                out.push(Entry {
                    key: Spanned {
                        text: k.to_owned(),
                        offset: line.offset,
                    },
                    value: Value::new(v.trim(), line.offset + k.len() + 1 + lead),
                });
            }
            _ => errors.push((
                line.offset,
                format!("expected `key: value`, found `{}`", line.text.trim_end()),
            )),
        }
    }
    out
}

/// One `key: value` entry of a fenced block as written, for a reader that
/// shows blocks rather than loads them (the pack pages): the value's lines,
/// the first after the colon, then each continuation line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    pub key: String,
    pub lines: Vec<String>,
}

impl RawEntry {
    /// The value as the engine reads it: the lines joined with single spaces.
    pub fn joined(&self) -> String {
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

/// A fenced block's body read with the loader's own rules ([`entries`]):
/// its entries, and the lines the loader would refuse (kept, so a page can
/// show them rather than hide them). The one block reader of the workspace.
pub fn raw_block(body: &str) -> (Vec<RawEntry>, Vec<String>) {
    let lines: Vec<Line> = lines_with_offsets(body)
        .map(|(o, l)| make_line(l, o))
        .collect();
    let mut errors = Vec::new();
    let parsed = entries(&lines, &mut errors);
    let stray = errors
        .iter()
        .filter_map(|(offset, _)| lines.iter().find(|l| l.offset == *offset))
        .map(|l| l.text.trim_end().to_owned())
        .collect();
    let entries = parsed
        .into_iter()
        .map(|e| {
            let v = &e.value;
            let starts: Vec<usize> = v.segs.iter().map(|&(p, _)| p).collect();
            let lines = starts
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    // A continuation was joined after one space, unless the
                    // value before it was empty.
                    let end = match starts.get(i + 1) {
                        Some(&next) if next > p => next - 1,
                        Some(_) => p,
                        None => v.text.len(),
                    };
                    v.text.get(p..end).unwrap_or_default().to_owned()
                })
                .collect();
            RawEntry {
                key: e.key.text,
                lines,
            }
        })
        .collect();
    (entries, stray)
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
}

fn make_line(raw: &str, offset: usize) -> Line {
    let trimmed = raw.trim_start_matches([' ', '\t']);
    let indent = raw.len() - trimmed.len();
    Line {
        indent,
        text: trimmed.trim_end_matches(['\r', '\n']).to_owned(),
        offset: offset + indent,
    }
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |l| {
        let o = offset;
        offset += l.len();
        (o, l.trim_end_matches(['\r', '\n']))
    })
}

/// Normalises prose and quotes alike so a quote can be checked against the text:
/// block-quote and list markers, emphasis and extra whitespace are dropped.
pub(crate) fn normalize(s: &str) -> String {
    let mut t = s.trim_start();
    loop {
        let before = t;
        t = t.trim_start_matches('>').trim_start();
        if let Some(rest) = t.strip_prefix("- ") {
            t = rest;
        }
        if t == before {
            break;
        }
    }
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        let w: String = word.chars().filter(|&c| c != '*').collect();
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// Whether `quote` appears in `prose`; an ellipsis (`…`) in the quote stands for
/// omitted words, and the parts must appear in order.
pub(crate) fn quote_found(prose: &str, quote: &str) -> bool {
    let q = normalize(quote);
    let mut from = 0;
    let mut words = 0;
    for part in q.split('…').map(str::trim).filter(|p| !p.is_empty()) {
        match prose.get(from..).and_then(|rest| rest.find(part)) {
            Some(i) => from += i + part.len(),
            None => return false,
        }
        words += 1;
    }
    // A quote of nothing but ellipses quotes nothing.
    words > 0
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    #[test]
    fn a_raw_block_keeps_each_line_as_written_and_what_the_loader_refuses() {
        let (entries, stray) = raw_block(
            "id: r\n# a comment\n\nwhen:\n  a and\n  b or\n\tc\nthen: prohibited\nNot a key\n",
        );
        let when = entries.iter().find(|e| e.key == "when").unwrap();
        assert_eq!(when.lines, ["", "a and", "b or", "c"]);
        assert_eq!(when.joined(), "a and b or c");
        assert_eq!(entries.first().map(|e| e.joined()), Some("r".to_owned()));
        assert_eq!(stray, ["Not a key"]);
    }

    #[test]
    fn splits_front_matter_sections_and_blocks() {
        let text = "---\nlaw: x\ntitle: A law\n  continued\n---\n# 1\n> Some *law* text,\n> more.\n```rule\nid: r\nwhen: a and\n  b\n```\n## 2\ntail\n";
        let (doc, errors) = split(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(doc.front.len(), 2);
        assert_eq!(doc.front[1].value.text, "A law continued");
        assert_eq!(doc.sections.len(), 3);
        assert_eq!(doc.sections[1].prose, "Some law text, more.");
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].section, 1);
        let mut e = Vec::new();
        let entries = entries(&doc.blocks[0].lines, &mut e);
        assert_eq!(entries[1].value.text, "a and b");
        let b_at = entries[1]
            .value
            .offset_of(entries[1].value.text.find('b').unwrap());
        assert_eq!(&text[b_at..b_at + 1], "b");
    }

    #[test]
    fn unclosed_fences_and_bad_lines_are_errors() {
        let (_, errors) = split("```rule\nid: r\n");
        assert_eq!(errors.len(), 1);
        let mut e = Vec::new();
        entries(
            &[make_line("no colon here", 0), make_line("  orphan", 0)],
            &mut e,
        );
        assert_eq!(
            e.len(),
            2,
            "both the line without a colon and the orphan continuation: {e:?}"
        );
    }

    #[test]
    fn quotes_match_with_ellipses_in_order() {
        let prose =
            "no officer may arrest or detain an individual solely on the basis of an ICE detainer";
        assert!(quote_found(prose, "no officer may arrest"));
        assert!(quote_found(prose, "no officer … solely on the basis"));
        assert!(!quote_found(prose, "solely … no officer"));
        assert!(!quote_found(prose, "no officer shall"));
        assert!(!quote_found(prose, " … "));
    }
}
