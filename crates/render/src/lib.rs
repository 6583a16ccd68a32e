//! # trustgate-render: a law pack as a page for review
//!
//! Turns one law version, as loaded by `trustgate-law`, into a single
//! self-contained HTML5 page a lawyer can read line by line: the pack's
//! metadata (source, reliability, hash) at the top, then the law's text with
//! every `rule`, `define` and `obligation` block shown as a card beside the
//! words it encodes, each with an anchor (`rule-<id>`, `define-<id>`,
//! `obligation-<id>`) that citations can link to. [`render_index`] lists every
//! law version, and [`page_file_name`] names the page a version is linked under.
//!
//! The law text is Markdown read with `pulldown-cmark`; all of it is escaped:
//! raw HTML in a pack is shown as text, never passed through, links leaving the
//! page are shown as text with their address, and images as their description.
//!
//! ## What this crate does not do
//! No I/O: it reads nothing and writes nothing; each function returns a
//! `String` and the caller decides where it goes. The pages carry no
//! JavaScript and load nothing from elsewhere (the CSS is inline). It does not
//! validate packs (the engine has already done that when the library loaded)
//! and does not decide anything: it shows what a pack says, not what it means
//! for a given scenario.

mod block;
mod style;

mod reconcile;
mod report;
pub use reconcile::render_reconciliation;
pub use report::{
    MAX_LINKED_RECORDS, RecordLink, render_report, render_report_body, render_report_index,
    report_title,
};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use trustgate_law::{LawView, ObligationView, Reliability, RuleView};

use block::RawBlock;

/// The page for one law version: one complete HTML5 document.
pub fn render_law(law: &LawView<'_>) -> String {
    let ix = Index::new(law);
    let mut body = String::new();
    let (text_html, placed) = render_text(strip_front_matter(law.text()), &ix);
    let rest = ix.unplaced(&placed);

    let title = if law.title().is_empty() {
        law.law()
    } else {
        law.title()
    };
    let _ = writeln!(
        body,
        "<a class=\"skip\" href=\"#law-text\">Skip to the law text</a>\n<header class=\"top\">\n<p class=\"eyebrow\">Law pack for review · <a href=\"index.html\">all law packs</a></p>\n<h1>{}</h1>",
        esc(title)
    );
    if law.is_proposal() {
        body.push_str("<div class=\"banner rel-low\" role=\"note\"><p><strong><span aria-hidden=\"true\">⚠ </span>A proposal, not law.</strong> This is a bill or a draft: it never answers what the law is. <code>trustgate pack diff PLACE@DATE PLACE@DATE+LAW</code> shows what it would change, and <code>trustgate replay --as-if-enacted LAW</code> which records would come out differently.</p></div>\n");
    }
    banner(&mut body, law.reliability());
    meta(&mut body, law);
    body.push_str("<p class=\"legend\"><span class=\"legend-law\">Quoted, serif text</span> is the law's own words. <span class=\"legend-note\">Plain text with a dotted rule</span> is the pack author's commentary. Cards beside the text show how each passage is encoded; [square brackets] in the law are editorial.</p>\n");
    contents(&mut body, &ix);
    body.push_str("</header>\n<main id=\"law-text\" tabindex=\"-1\">\n");
    body.push_str(&text_html);
    if let (false, Some(base)) = (rest.is_empty(), law.amends()) {
        // An amendment states only what it changes; the rest is the earlier text.
        let _ = write!(
            body,
            "<section class=\"unplaced\" aria-labelledby=\"unplaced-h\">\n<h2 id=\"unplaced-h\">Unchanged by this amendment</h2>\n<p>This version amends <a href=\"{}\">version {}</a> and keeps everything below from it; the words they encode are on that page.</p>\n<div class=\"cards\">",
            esc(&page_file_name(&base)),
            esc(base.version())
        );
        body.push_str(&rest);
        body.push_str("</div>\n</section>\n");
    } else if !rest.is_empty() {
        body.push_str("<section class=\"unplaced\" aria-labelledby=\"unplaced-h\">\n<h2 id=\"unplaced-h\">Encoded but not found beside the text</h2>\n<p>These were loaded from the pack, but their fenced block could not be placed in the rendered text.</p>\n<div class=\"cards\">");
        body.push_str(&rest);
        body.push_str("</div>\n</section>\n");
    }
    let _ = writeln!(
        body,
        "</main>\n<footer class=\"foot\"><p>Rendered from <code>{}</code> (<code class=\"hash\">{}</code>). This page shows what the pack says; it is not legal advice.</p></footer>",
        esc(law.file_name()),
        esc(law.hash())
    );
    let page_title = format!("{} — {}", title, law.version());
    page(&page_title, &body)
}

/// A page listing every law version, grouped by law (ordered by jurisdiction and
/// id) and by date within each law, each linked to its [`page_file_name`].
pub fn render_index(laws: &[LawView<'_>]) -> String {
    let mut groups: BTreeMap<(&str, &str), Vec<&LawView<'_>>> = BTreeMap::new();
    for l in laws {
        groups
            .entry((l.jurisdiction(), l.law()))
            .or_default()
            .push(l);
    }
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<header class=\"top\">\n<p class=\"eyebrow\">trustgate</p>\n<h1>Law packs</h1>\n<p>{} version{} of {} law{}, each shown with its rules beside the text for review.</p>\n</header>\n<main id=\"laws\">",
        laws.len(),
        plural(laws.len()),
        groups.len(),
        plural(groups.len())
    );
    for ((jurisdiction, law), mut versions) in groups {
        versions.sort_by_key(|l| (l.effective_from(), l.effective_until()));
        let latest = versions.last().copied();
        let title = latest.map_or("", |l| l.title());
        let instrument = latest.map_or("", |l| l.instrument());
        let hid = format!("law-{}", slug(law));
        let _ = writeln!(
            body,
            "<section class=\"law\" aria-labelledby=\"{hid}\">\n<h2 id=\"{hid}\">{}</h2>\n<p class=\"law-meta\"><code>{}</code> · {} · {}</p>\n<ul class=\"versions\">",
            esc(if title.is_empty() { law } else { title }),
            esc(law),
            esc(jurisdiction),
            esc(instrument),
        );
        for v in versions {
            let rel = v.reliability();
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> <span class=\"dates\">{}</span> · {} rule{}, {} definition{}, {} obligation{}",
                esc(&page_file_name(v)),
                esc(if v.version().is_empty() {
                    "version"
                } else {
                    v.version()
                }),
                esc(&in_force(v)),
                v.rules().len(),
                plural(v.rules().len()),
                v.definitions().len(),
                plural(v.definitions().len()),
                v.obligations().len(),
                plural(v.obligations().len()),
            );
            if rel != Reliability::High {
                let _ = write!(
                    body,
                    " <span class=\"badge rel-{0}\"><span aria-hidden=\"true\">⚠</span> reliability {0}</span>",
                    rel.as_str()
                );
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ul>\n</section>\n");
    }
    body.push_str("</main>\n");
    page("Law packs — trustgate", &body)
}

/// The file a version's page is written to and linked as:
/// `<law>-<effective-from>.html`, such as `cambridge-2.129-2020-02-10.html`.
/// Characters other than ASCII letters, digits, `.`, `_` and `-` become `-`.
pub fn page_file_name(law: &LawView<'_>) -> String {
    let from = law
        .effective_from()
        .map_or_else(|| "undated".to_owned(), |d| d.to_string());
    let name: String = law
        .law()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_start_matches('.');
    let name = if name.is_empty() { "law" } else { name };
    format!("{name}-{from}.html")
}

// ---------------------------------------------------------------------------
// The page frame and header.

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(title),
        style::CSS,
        body
    )
}

fn banner(out: &mut String, r: Reliability) {
    let what = match r {
        Reliability::High => return,
        Reliability::Medium => {
            "This pack's text is reconstructed from reliable reporting; the official text was not available. Check every quote against the official text before relying on it."
        }
        Reliability::Low => {
            "This pack rests on a single weak source. Treat every rule as unconfirmed until it is checked against the official text."
        }
    };
    let _ = writeln!(
        out,
        "<div class=\"banner rel-{0}\" role=\"note\"><p><strong><span aria-hidden=\"true\">⚠ </span>Reliability: {0}.</strong> {1}</p></div>",
        r.as_str(),
        what
    );
}

fn meta(out: &mut String, law: &LawView<'_>) {
    out.push_str("<dl class=\"meta\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    };
    row("Law", format!("<code>{}</code>", esc(law.law())));
    row("Version", esc(law.version()));
    row("Jurisdiction", esc(law.jurisdiction()));
    row("Instrument", esc(law.instrument()));
    row("In force", esc(&in_force(law)));
    row("Source", esc(law.source()));
    let rel = law.reliability();
    row(
        "Reliability",
        if rel == Reliability::High {
            "high".to_owned()
        } else {
            format!(
                "<strong class=\"badge rel-{0}\"><span aria-hidden=\"true\">⚠ </span>{0}</strong>",
                rel.as_str()
            )
        },
    );
    if let Some(n) = law.note() {
        row("Note", esc(n));
    }
    row(
        "SHA-256",
        format!("<code class=\"hash\">{}</code>", esc(law.hash())),
    );
    row("File", format!("<code>{}</code>", esc(law.file_name())));
    out.push_str("</dl>\n");
}

fn in_force(law: &LawView<'_>) -> String {
    match (law.effective_from(), law.effective_until()) {
        (Some(f), Some(u)) => format!("from {f} until {u}"),
        (Some(f), None) => format!("from {f}, no end date"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "dates not given".to_owned(),
    }
}

/// A folding list of every encoded block, with its effect and any doubt.
fn contents(out: &mut String, ix: &Index<'_>) {
    let (r, d, o) = (ix.rules.len(), ix.defs.len(), ix.obligations.len());
    let doubts = ix.rules.iter().filter(|r| r.doubt().is_some()).count();
    let _ = writeln!(
        out,
        "<details class=\"contents\">\n<summary>Encoded here: {r} rule{}, {d} definition{}, {o} obligation{}{}</summary>\n<ul>",
        plural(r),
        plural(d),
        plural(o),
        if doubts > 0 {
            format!("; {doubts} with a doubt")
        } else {
            String::new()
        }
    );
    for (id, cite, _) in &ix.defs {
        let _ = writeln!(
            out,
            "<li><a href=\"#define-{0}\">define <code>{0}</code></a> {1}</li>",
            esc(id),
            esc(cite)
        );
    }
    for rule in &ix.rules {
        let eff = Effect::of(rule);
        let _ = writeln!(
            out,
            "<li><a href=\"#rule-{0}\">rule <code>{0}</code></a> {1} <span class=\"eff eff-{2}\"><span aria-hidden=\"true\">{3}</span> {2}</span>{4}</li>",
            esc(rule.id()),
            esc(rule.cite()),
            eff.word(),
            eff.mark(),
            flags(rule.doubt().is_some(), rule.reliability())
        );
    }
    for ob in &ix.obligations {
        let _ = writeln!(
            out,
            "<li><a href=\"#obligation-{0}\">obligation <code>{0}</code></a> {1}{2}</li>",
            esc(ob.id()),
            esc(ob.cite()),
            flags(false, ob.reliability())
        );
    }
    out.push_str("</ul>\n</details>\n");
}

fn flags(doubt: bool, rel: Reliability) -> String {
    let mut s = String::new();
    if doubt {
        s.push_str(" <span class=\"flag doubt-flag\">doubt</span>");
    }
    if rel != Reliability::High {
        let _ = write!(
            s,
            " <span class=\"flag rel-{0}\">reliability {0}</span>",
            rel.as_str()
        );
    }
    s
}

// ---------------------------------------------------------------------------
// The law's text, with cards beside it.

/// The pack without its front matter (`---` … `---` at the very start).
fn strip_front_matter(text: &str) -> &str {
    let Some(first) = text.split_inclusive('\n').next() else {
        return text;
    };
    if first.trim_end() != "---" {
        return text;
    }
    let mut at = first.len();
    for l in text.get(at..).unwrap_or("").split_inclusive('\n') {
        at += l.len();
        if l.trim_end() == "---" {
            return text.get(at..).unwrap_or("");
        }
    }
    text
}

/// The kinds of fenced block shown as cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rule,
    Define,
    Obligation,
}

impl Kind {
    fn of(info: &str) -> Option<Kind> {
        match info.split_whitespace().next()? {
            "rule" => Some(Kind::Rule),
            "define" => Some(Kind::Define),
            "obligation" => Some(Kind::Obligation),
            _ => None,
        }
    }
    fn prefix(self) -> &'static str {
        match self {
            Kind::Rule => "rule",
            Kind::Define => "define",
            Kind::Obligation => "obligation",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Kind::Rule => "Rule",
            Kind::Define => "Definition",
            Kind::Obligation => "Obligation",
        }
    }
}

/// Renders the Markdown body; returns the HTML and the anchors placed.
fn render_text(md: &str, ix: &Index<'_>) -> (String, HashSet<String>) {
    let events = sanitize(Parser::new_ext(
        md,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ));
    let mut placed = HashSet::new();
    let mut out = String::new();
    let mut text: Vec<Event<'_>> = Vec::new();
    let mut cards = String::new();
    let mut depth = 0usize;
    let mut it = events.into_iter();
    while let Some(ev) = it.next() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &ev
            && let Some(kind) = Kind::of(info)
        {
            let mut body = String::new();
            for e in it.by_ref() {
                match e {
                    Event::End(TagEnd::CodeBlock) => break,
                    Event::Text(t) => body.push_str(&t),
                    _ => {}
                }
            }
            let html = ix.card(kind, &RawBlock::parse(&body), &mut placed);
            if depth == 0 {
                cards.push_str(&html);
            } else {
                // Inside a quote or list: the card stays where it was written.
                text.push(Event::Html(CowStr::from(html)));
            }
            continue;
        }
        if depth == 0 {
            match &ev {
                Event::Start(Tag::Heading { .. }) => {
                    flush(&mut out, &mut text, &mut cards);
                    let mut heading = vec![ev];
                    for e in it.by_ref() {
                        let end = matches!(e, Event::End(TagEnd::Heading(_)));
                        heading.push(e);
                        if end {
                            break;
                        }
                    }
                    pulldown_cmark::html::push_html(&mut out, heading.into_iter());
                    continue;
                }
                Event::Start(_) | Event::Rule if !cards.is_empty() => {
                    flush(&mut out, &mut text, &mut cards);
                }
                _ => {}
            }
        }
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        text.push(ev);
    }
    flush(&mut out, &mut text, &mut cards);
    (out, placed)
}

/// Writes one row: the text so far on the left, its cards on the right.
fn flush(out: &mut String, text: &mut Vec<Event<'_>>, cards: &mut String) {
    if text.is_empty() && cards.is_empty() {
        return;
    }
    out.push_str("<div class=\"row\">\n<div class=\"text\">\n");
    pulldown_cmark::html::push_html(out, text.drain(..));
    out.push_str("</div>\n");
    if !cards.is_empty() {
        out.push_str("<div class=\"cards\">\n");
        out.push_str(cards);
        out.push_str("</div>\n");
        cards.clear();
    }
    out.push_str("</div>\n");
}

/// Makes the event stream safe and fit for the page: raw HTML becomes text,
/// headings move one level down (the page's title is the only `h1`) and get
/// ids, links leaving the page become text with their address, images their
/// description.
fn sanitize<'a>(parser: Parser<'a>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();
    for ev in parser {
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => out.push(Event::Text(s)),
            Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Heading { level, .. }) => out.push(Event::Start(Tag::Heading {
                level: demote(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })),
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(demote(level))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if dest_url.starts_with('#') {
                    links.push(None);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    links.push(Some(dest_url.to_string()));
                }
            }
            Event::End(TagEnd::Link) => match links.pop() {
                Some(Some(dest)) => out.push(Event::Text(CowStr::from(format!(" ({dest})")))),
                _ => out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image { .. }) => out.push(Event::Text(CowStr::from("[image: "))),
            Event::End(TagEnd::Image) => out.push(Event::Text(CowStr::from("]"))),
            Event::Start(Tag::MetadataBlock(_)) | Event::End(TagEnd::MetadataBlock(_)) => {}
            other => out.push(other),
        }
    }
    // Give every heading an id, unique within the page.
    let mut used: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < out.len() {
        if let Some(Event::Start(Tag::Heading { .. })) = out.get(i) {
            let mut words = String::new();
            for e in out.iter().skip(i + 1) {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => words.push_str(t),
                    _ => {}
                }
            }
            let base = format!("sec-{}", slug(&words));
            let mut id = base.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) = out.get_mut(i) {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    out
}

fn demote(l: HeadingLevel) -> HeadingLevel {
    match l {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

// ---------------------------------------------------------------------------
// Cards.

/// The law version's structured data, by id.
struct Index<'a> {
    rules: Vec<RuleView<'a>>,
    defs: Vec<(&'a str, &'a str, &'a str)>,
    obligations: Vec<ObligationView<'a>>,
    /// Rule id → the ids of the rules that are exceptions to it.
    excepted_by: HashMap<&'a str, Vec<&'a str>>,
}

/// What a rule says of its acts, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Prohibited,
    Permitted,
    Required,
    Lifts,
    None,
}

impl Effect {
    fn of(r: &RuleView<'_>) -> Effect {
        if r.is_limit() {
            return Effect::Lifts;
        }
        match r.effect().map(|o| o.as_str()) {
            Some("prohibited") => Effect::Prohibited,
            Some("permitted") => Effect::Permitted,
            Some("required") => Effect::Required,
            Some(_) => Effect::None,
            None if !r.exception_to().is_empty() => Effect::Lifts,
            None => Effect::None,
        }
    }
    fn from_raw(raw: &RawBlock) -> Effect {
        match raw.value("then").as_deref() {
            Some("prohibited") => Effect::Prohibited,
            Some("permitted") => Effect::Permitted,
            Some("required") => Effect::Required,
            _ if raw.get("limits").is_some() => Effect::Lifts,
            _ if raw.get("exception-to").is_some() => Effect::Lifts,
            _ => Effect::None,
        }
    }
    fn word(self) -> &'static str {
        match self {
            Effect::Prohibited => "prohibited",
            Effect::Permitted => "permitted",
            Effect::Required => "required",
            Effect::Lifts => "lifts",
            Effect::None => "no effect",
        }
    }
    /// A shape as well as a colour, so the effect never rests on colour alone.
    fn mark(self) -> &'static str {
        match self {
            Effect::Prohibited => "✕",
            Effect::Permitted => "✓",
            Effect::Required => "!",
            Effect::Lifts => "↺",
            Effect::None => "–",
        }
    }
    fn class(self) -> &'static str {
        match self {
            Effect::None => "none",
            other => other.word(),
        }
    }
}

/// Keys shown in their own place on a card; any other key is listed as written.
const KNOWN: &[&str] = &[
    "id",
    "cite",
    "quote",
    "explain",
    "acts",
    "fields",
    "when",
    "means",
    "then",
    "exception-to",
    "doubt",
    "doubt-when",
    "reliability",
    "duty",
    "due",
];

impl<'a> Index<'a> {
    fn new(law: &LawView<'a>) -> Index<'a> {
        let rules = law.rules();
        let mut excepted_by: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for r in &rules {
            for t in r.exception_to() {
                excepted_by.entry(t).or_default().push(r.id());
            }
        }
        Index {
            rules,
            defs: law.definitions(),
            obligations: law.obligations(),
            excepted_by,
        }
    }

    fn has(&self, kind: Kind, id: &str) -> bool {
        match kind {
            Kind::Rule => self.rules.iter().any(|r| r.id() == id),
            Kind::Define => self.defs.iter().any(|d| d.0 == id),
            Kind::Obligation => self.obligations.iter().any(|o| o.id() == id),
        }
    }

    /// Cards for the structured entries whose block was not placed.
    fn unplaced(&self, placed: &HashSet<String>) -> String {
        let mut out = String::new();
        let mut done = placed.clone();
        let empty = RawBlock::default();
        let ids = self
            .defs
            .iter()
            .map(|d| (Kind::Define, d.0))
            .chain(self.rules.iter().map(|r| (Kind::Rule, r.id())))
            .chain(self.obligations.iter().map(|o| (Kind::Obligation, o.id())));
        for (kind, id) in ids {
            if !placed.contains(&anchor(kind, id)) {
                out.push_str(&self.card_for(kind, id, &empty, &mut done));
            }
        }
        out
    }

    fn card(&self, kind: Kind, raw: &RawBlock, placed: &mut HashSet<String>) -> String {
        let id = raw.value("id").unwrap_or_default();
        self.card_for(kind, &id, raw, placed)
    }

    fn card_for(
        &self,
        kind: Kind,
        id: &str,
        raw: &RawBlock,
        placed: &mut HashSet<String>,
    ) -> String {
        let rule = (kind == Kind::Rule)
            .then(|| self.rules.iter().find(|r| r.id() == id))
            .flatten();
        let def = (kind == Kind::Define)
            .then(|| self.defs.iter().find(|d| d.0 == id))
            .flatten();
        let ob = (kind == Kind::Obligation)
            .then(|| self.obligations.iter().find(|o| o.id() == id))
            .flatten();
        let rawv = |k: &str| raw.value(k).filter(|v| !v.is_empty());

        let cite = rule
            .map(|r| r.cite().to_owned())
            .or_else(|| def.map(|d| d.1.to_owned()))
            .or_else(|| ob.map(|o| o.cite().to_owned()))
            .or_else(|| rawv("cite"))
            .unwrap_or_default();
        let quote = rule
            .map(|r| r.quote().to_owned())
            .or_else(|| def.map(|d| d.2.to_owned()))
            .or_else(|| ob.map(|o| o.quote().to_owned()))
            .or_else(|| rawv("quote"))
            .unwrap_or_default();
        let reliability = rule
            .map(RuleView::reliability)
            .or_else(|| ob.map(ObligationView::reliability));
        let reliability_word = reliability
            .map(|r| r.as_str().to_owned())
            .or_else(|| rawv("reliability"));
        let doubt = rule
            .and_then(|r| r.doubt().map(str::to_owned))
            .or_else(|| rawv("doubt"));
        let effect = rule.map_or_else(|| Effect::from_raw(raw), Effect::of);

        // The anchor, unique even if a pack repeats an id.
        let base = anchor(kind, id);
        let mut a = base.clone();
        let mut n = 2;
        while placed.contains(&a) {
            a = format!("{base}-{n}");
            n += 1;
        }
        placed.insert(a.clone());

        let mut classes = format!("card kind-{}", kind.prefix());
        if kind == Kind::Rule {
            let _ = write!(classes, " eff-{}", effect.class());
        }
        if doubt.is_some() {
            classes.push_str(" has-doubt");
        }
        let mut c = String::new();
        let _ = write!(
            c,
            "<article class=\"{classes}\" id=\"{}\" aria-label=\"{} {}\">\n<p class=\"card-head\"><span class=\"kind\">{}</span> <a class=\"self\" href=\"#{}\"><code>{}</code></a>",
            esc(&a),
            kind.label(),
            esc(id),
            kind.label(),
            esc(&a),
            if id.is_empty() {
                "(no id)".to_owned()
            } else {
                esc(id)
            },
        );
        if !cite.is_empty() {
            let _ = write!(c, " <span class=\"cite\">{}</span>", esc(&cite));
        }
        c.push_str("</p>\n");
        if kind == Kind::Rule {
            let _ = writeln!(
                c,
                "<p class=\"effect eff-{}\"><span class=\"mark\" aria-hidden=\"true\">{}</span> {}</p>",
                effect.class(),
                effect.mark(),
                match effect {
                    Effect::Lifts => "lifts: where it applies the rule stops, and the act is permitted unless another rule decides".to_owned(),
                    other => other.word().to_owned(),
                }
            );
        }
        if !self.has(kind, id) && !id.is_empty() {
            c.push_str("<p class=\"warn\">Not found among the loaded entries: shown as written in the pack.</p>\n");
        }
        c.push_str("<dl>\n");
        let mut row = |k: &str, v: &str| {
            let _ = writeln!(c, "<dt>{k}</dt><dd>{v}</dd>");
        };
        if kind == Kind::Rule {
            let acts = rule
                .map(|r| r.acts().join(", "))
                .filter(|s| !s.is_empty())
                .or_else(|| rawv("acts"));
            if let Some(acts) = acts {
                row("Acts", &format!("<code>{}</code>", esc(&acts)));
            }
            if let Some(f) = rawv("fields") {
                row("Fields", &format!("<code>{}</code>", esc(&f)));
            }
        }
        let cond_key = if kind == Kind::Define {
            "means"
        } else {
            "when"
        };
        match raw.get(cond_key) {
            Some(e) => {
                let lines: Vec<&str> = e.lines.iter().map(String::as_str).collect();
                row(
                    if kind == Kind::Define {
                        "Means"
                    } else {
                        "When"
                    },
                    &format!(
                        "<pre class=\"cond\"><code>{}</code></pre>",
                        esc(&lines.join("\n"))
                    ),
                );
            }
            None if kind == Kind::Rule && rule.is_some() => {
                row(
                    "When",
                    "<span class=\"muted\">always (no <code>when:</code>)</span>",
                );
            }
            None => {}
        }
        if let Some(e) = raw.get("doubt-when") {
            let lines: Vec<&str> = e.lines.iter().map(String::as_str).collect();
            row(
                "Doubtful when",
                &format!(
                    "<pre class=\"cond\"><code>{}</code></pre>",
                    esc(&lines.join("\n"))
                ),
            );
        }
        if kind == Kind::Rule {
            let to: Vec<String> = match rule {
                Some(r) => r.exception_to().iter().map(|s| (*s).to_owned()).collect(),
                None => rawv("exception-to")
                    .map(|v| {
                        v.split(',')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if !to.is_empty() {
                row("Exception to", &self.rule_links(&to));
            }
            if let Some(by) = self.excepted_by.get(id) {
                let by: Vec<String> = by.iter().map(|s| (*s).to_owned()).collect();
                row("Excepted by", &self.rule_links(&by));
            }
        }
        if !quote.is_empty() {
            row(
                "Quote",
                &format!("<blockquote class=\"quote\">{}</blockquote>", esc(&quote)),
            );
        }
        let explain = rule
            .and_then(|r| r.explain().map(str::to_owned))
            .or_else(|| rawv("explain"));
        if let Some(x) = explain {
            row("In plain words", &esc(&x));
        }
        if kind == Kind::Obligation {
            let duty = ob
                .map(|o| o.duty().to_owned())
                .filter(|d| !d.is_empty())
                .or_else(|| rawv("duty"));
            if let Some(d) = duty {
                row("Duty", &esc(&d));
            }
            let due = ob
                .and_then(|o| o.due().map(str::to_owned))
                .or_else(|| rawv("due"));
            if let Some(d) = due {
                row("Due", &esc(&d));
            }
        }
        for e in raw
            .entries
            .iter()
            .filter(|e| !KNOWN.contains(&e.key.as_str()))
        {
            row(&format!("<code>{}</code>", esc(&e.key)), &esc(&e.joined()));
        }
        for s in &raw.stray {
            row("Unread line", &format!("<code>{}</code>", esc(s)));
        }
        c.push_str("</dl>\n");
        if let Some(d) = doubt {
            let _ = writeln!(
                c,
                "<div class=\"doubt\"><p><strong><span aria-hidden=\"true\">? </span>Doubt:</strong> {}</p></div>",
                esc(&d)
            );
        }
        if let Some(r) = reliability_word.filter(|r| r != "high") {
            let _ = writeln!(
                c,
                "<p class=\"rel badge rel-{0}\"><span aria-hidden=\"true\">⚠ </span>Reliability: {0}</p>",
                esc(&r)
            );
        }
        c.push_str("</article>\n");
        c
    }

    fn rule_links(&self, ids: &[String]) -> String {
        let links: Vec<String> = ids
            .iter()
            .map(|t| {
                if self.has(Kind::Rule, t) {
                    format!("<a href=\"#rule-{0}\"><code>{0}</code></a>", esc(t))
                } else {
                    format!(
                        "<code>{}</code> <span class=\"warn\">(no such rule here)</span>",
                        esc(t)
                    )
                }
            })
            .collect();
        links.join(", ")
    }
}

fn anchor(kind: Kind, id: &str) -> String {
    format!("{}-{id}", kind.prefix())
}

// ---------------------------------------------------------------------------
// Small helpers.

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Lower-case letters and digits, other runs as single `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let t = out.trim_end_matches('-');
    if t.is_empty() {
        "section".to_owned()
    } else {
        t.to_owned()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests;
