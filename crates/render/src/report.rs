//! The 2.129.060 report as a page: every number with the law's words it
//! answers, each breakdown a table with a caption and header cells, the
//! counting rules, and the downloads. Public pages name no record.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use trustgate_report::{Report, dollars};

use crate::{esc, page};

/// One report as a page. `downloads` are (label, file name) pairs linked at
/// the top (the JSON and CSV of the same report).
pub fn render_report(r: &Report, downloads: &[(&str, &str)]) -> String {
    let body = format!(
        "<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header class=\"top\">\n{}</header>\n<main id=\"main\" tabindex=\"-1\">\n{}</main>\n",
        intro(r, downloads),
        sections(r, None)
    );
    page(&report_title(r), &body)
}

/// A report's title.
pub fn report_title(r: &Report) -> String {
    format!(
        "Report under 2.129.060, {} to {}",
        r.period.from, r.period.until
    )
}

/// How a staff page links a record: its id to the record's address.
pub type RecordLink<'a> = &'a dyn Fn(i64) -> String;

/// At most this many records are linked under a number; the rest are
/// counted (the staff JSON names them all).
pub const MAX_LINKED_RECORDS: usize = 200;

/// The report's content, for a page of its own or inside the staff UI's
/// frame (no landmarks of its own). With `record_link`, each number of a
/// staff version is followed by links to the records behind it.
pub fn render_report_body(
    r: &Report,
    downloads: &[(&str, &str)],
    record_link: Option<RecordLink<'_>>,
) -> String {
    format!("{}{}", intro(r, downloads), sections(r, record_link))
}

/// The heading, who it is from and to, and the downloads.
fn intro(r: &Report, downloads: &[(&str, &str)]) -> String {
    let mut b = String::new();
    let title = report_title(r);
    let _ = write!(
        b,
        "<p class=\"eyebrow\">City of Cambridge · {}</p>\n<h1>{}</h1>\n<p>From {} to {}, with a copy to {}, for {}. Period {} since the ordinance passed on 10 February 2020.</p>\n",
        esc(r.ordinance),
        esc(&title),
        esc(r.addressed.from),
        esc(r.addressed.to),
        esc(r.addressed.copy),
        esc(r.addressed.for_),
        r.period.number
    );
    if !downloads.is_empty() {
        b.push_str("<p>Download: ");
        for (i, (label, file)) in downloads.iter().enumerate() {
            if i > 0 {
                b.push_str(" · ");
            }
            let _ = write!(b, "<a href=\"{}\">{}</a>", esc(file), esc(label));
        }
        b.push_str("</p>\n");
    }
    b
}

/// The sections (a) to (e), the checkpoint and the counting rules.
fn sections(r: &Report, record_link: Option<RecordLink<'_>>) -> String {
    let mut b = String::new();
    if r.entered_late > 0 {
        let _ = writeln!(
            b,
            "<p class=\"tg-late\"><strong>Changed since published:</strong> {} record(s) were entered late, after this period's report was first published. The numbers below include them, so they differ from the report published before.</p>",
            r.entered_late
        );
    }
    section(&mut b, "a", r.a.law, r.a.total, "Requests lodged");
    records(&mut b, r.a.records.as_ref(), record_link);
    table(&mut b, "By type", "Type", &r.a.by_type);
    let mut months = String::new();
    let _ = write!(
        months,
        "<table>\n<caption>By month and type</caption>\n<thead><tr><th scope=\"col\">Month</th><th scope=\"col\">Type</th><th scope=\"col\">Count</th></tr></thead>\n<tbody>\n"
    );
    for (month, types) in &r.a.by_month {
        for (kind, n) in types {
            let _ = writeln!(
                months,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{n}</td></tr>",
                esc(month),
                esc(kind)
            );
        }
    }
    months.push_str("</tbody>\n</table>\n");
    if !r.a.by_month.is_empty() {
        b.push_str(&months);
    }
    table(&mut b, "By channel", "Channel", &r.a.by_channel);
    table(&mut b, "By receiving unit", "Unit", &r.a.by_receiving_unit);
    section(&mut b, "b", r.b.law, r.b.total, "Individuals held");
    records(&mut b, r.b.records.as_ref(), record_link);
    section(&mut b, "c", r.c.law, r.c.total, "Individuals transferred");
    records(&mut b, r.c.records.as_ref(), record_link);
    section_money(&mut b, r);
    section(&mut b, "e", r.e.law, r.e.total, "Investigations");
    records(&mut b, r.e.records.as_ref(), record_link);
    if let Some(withheld) = &r.e.withheld {
        let total: u64 = withheld.iter().map(|w| w.count).sum();
        let _ = writeln!(
            b,
            "<p>Withheld as not publicly disclosable, and not in the total above: {total}.</p>"
        );
        if total > 0 {
            b.push_str("<ul>\n");
            for w in withheld.iter().filter(|w| w.count > 0) {
                let _ = writeln!(b, "<li>{}: {}</li>", w.count, esc(w.ground));
                records(&mut b, w.records.as_ref(), record_link);
            }
            b.push_str("</ul>\n");
        }
    }
    if let Some(cp) = &r.checkpoint {
        let _ = writeln!(
            b,
            "<h2 id=\"checkpoint\">The records' audit log at the period's end</h2>\n<p>{}</p>\n<pre>{}</pre>\n<p>Public key: <code>{}</code></p>",
            esc(cp.how_to_check),
            esc(&cp.note),
            esc(&cp.public_key)
        );
    }
    b.push_str("<h2 id=\"rules\">How the numbers are counted</h2>\n<ul>\n");
    for rule in r.counting_rules {
        let _ = writeln!(b, "<li>{}</li>", esc(rule));
    }
    b.push_str("</ul>\n");
    b
}

/// Links to the records behind a number (staff versions only).
fn records(b: &mut String, ids: Option<&Vec<i64>>, link: Option<RecordLink<'_>>) {
    let (Some(ids), Some(link)) = (ids, link) else {
        return;
    };
    if ids.is_empty() {
        return;
    }
    b.push_str("<p class=\"records\">Records: ");
    for (i, id) in ids.iter().take(MAX_LINKED_RECORDS).enumerate() {
        if i > 0 {
            b.push_str(", ");
        }
        let _ = write!(b, "<a href=\"{}\">{id}</a>", esc(&link(*id)));
    }
    if ids.len() > MAX_LINKED_RECORDS {
        let _ = write!(b, " and {} more", ids.len() - MAX_LINKED_RECORDS);
    }
    b.push_str("</p>\n");
}

fn section(b: &mut String, letter: &str, law: &str, total: u64, noun: &str) {
    let _ = write!(
        b,
        "<h2 id=\"section-{letter}\">({letter}) {}: {total}</h2>\n<blockquote><p>“{}”</p><footer>2.129.060 ({letter})</footer></blockquote>\n",
        esc(noun),
        esc(law)
    );
}

fn section_money(b: &mut String, r: &Report) {
    let d = &r.d;
    let _ = write!(
        b,
        "<h2 id=\"section-d\">(d) Reimbursements received: {}</h2>\n<blockquote><p>“{}”</p><footer>2.129.060 (d)</footer></blockquote>\n",
        dollars(d.total_cents),
        esc(d.law)
    );
    if d.by_case.is_empty() {
        return;
    }
    b.push_str("<table>\n<caption>By case</caption>\n<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Payments</th><th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
    for c in &d.by_case {
        let _ = writeln!(
            b,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(&c.case),
            c.payments,
            dollars(c.total_cents)
        );
    }
    b.push_str("</tbody>\n</table>\n");
}

fn table(b: &mut String, caption: &str, key: &str, rows: &BTreeMap<String, u64>) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        b,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">Count</th></tr></thead>\n<tbody>\n",
        esc(caption),
        esc(key)
    );
    for (k, n) in rows {
        let _ = writeln!(b, "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>", esc(k));
    }
    b.push_str("</tbody>\n</table>\n");
}

/// The public transparency page: every period's report, newest first, with
/// its totals and downloads. `files(report)` names a report's files, its
/// page first, as (label, file name) relative to the index.
pub fn render_report_index(
    reports: &[Report],
    files: impl Fn(&Report) -> Vec<(&'static str, String)>,
) -> String {
    let title = "Reports under 2.129.060 of the Welcoming Community Ordinance";
    let mut b = String::new();
    let _ = write!(
        b,
        "<a class=\"skip\" href=\"#main\">Skip to the reports</a>\n<header class=\"top\">\n<p class=\"eyebrow\">City of Cambridge</p>\n<h1>{}</h1>\n<p>Every six months since the ordinance passed on 10 February 2020, the Police Commissioner reports to the City Clerk, with a copy to the City Manager, for the Public Safety Committee. Each report is counted from the records and states how.</p>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<table>\n<caption>Reports, newest first</caption>\n<thead><tr><th scope=\"col\">Period</th><th scope=\"col\">(a) requests</th><th scope=\"col\">(b) held</th><th scope=\"col\">(c) transferred</th><th scope=\"col\">(d) reimbursed</th><th scope=\"col\">(e) investigations</th><th scope=\"col\">Files</th></tr></thead>\n<tbody>\n",
        esc(title)
    );
    for r in reports.iter().rev() {
        let f = files(r);
        let links: Vec<String> = f
            .iter()
            .map(|(label, file)| format!("<a href=\"{}\">{}</a>", esc(file), esc(label)))
            .collect();
        let page = f.first().map_or("", |(_, file)| file.as_str());
        let _ = writeln!(
            b,
            "<tr><th scope=\"row\"><a href=\"{}\">{} to {}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(page),
            esc(&r.period.from),
            esc(&r.period.until),
            r.a.total,
            r.b.total,
            r.c.total,
            dollars(r.d.total_cents),
            r.e.total,
            links.join(" · ")
        );
    }
    b.push_str("</tbody>\n</table>\n<p>Open data: <a href=\"datapackage.json\">datapackage.json</a>, a Frictionless tabular data package describing every period's CSV with one table schema.</p>\n<h2 id=\"trends\">Across periods</h2>\n");
    let series: [Series; 5] = [
        ("a", "(a) Requests lodged", |r| count(r.a.total)),
        ("b", "(b) Individuals held", |r| count(r.b.total)),
        ("c", "(c) Individuals transferred", |r| count(r.c.total)),
        ("d", "(d) Reimbursements received, dollars", |r| {
            r.d.total_cents / 100
        }),
        ("e", "(e) Investigations", |r| count(r.e.total)),
    ];
    for (id, label, value) in series {
        bar_chart(&mut b, id, label, reports, value);
    }
    b.push_str("</main>\n");
    page(title, &b)
}

/// A chart's id, its label, and how to read its number from a report.
type Series = (&'static str, &'static str, fn(&Report) -> i64);

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// One bar per period, oldest on the left, as an SVG with a title and a
/// description for screen readers; the numbers are in the table above it.
fn bar_chart(b: &mut String, id: &str, label: &str, reports: &[Report], value: fn(&Report) -> i64) {
    const W: i64 = 640;
    const H: i64 = 140;
    const BASE: i64 = 120;
    let n = i64::try_from(reports.len()).unwrap_or(1).max(1);
    let max = reports.iter().map(value).max().unwrap_or(0).max(1);
    let slot = W / n;
    let values: Vec<String> = reports
        .iter()
        .map(|r| format!("period {}: {}", r.period.number, value(r)))
        .collect();
    let _ = writeln!(
        b,
        "<figure>\n<svg role=\"img\" aria-labelledby=\"chart-{id}-t chart-{id}-d\" viewBox=\"0 0 {W} {H}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:40rem\">\n<title id=\"chart-{id}-t\">{}</title>\n<desc id=\"chart-{id}-d\">{}</desc>\n<line x1=\"0\" y1=\"{BASE}\" x2=\"{W}\" y2=\"{BASE}\" stroke=\"#1b1b1b\"/>",
        esc(label),
        esc(&values.join("; "))
    );
    for (i, r) in reports.iter().enumerate() {
        let v = value(r);
        let h = v * (BASE - 10) / max;
        let x = i64::try_from(i).unwrap_or(0) * slot + slot / 6;
        let _ = writeln!(
            b,
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"#0b57a4\"/><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text>",
            BASE - h,
            (slot * 2 / 3).max(1),
            x + slot / 3,
            BASE + 14,
            r.period.number
        );
    }
    let _ = writeln!(
        b,
        "</svg>\n<figcaption>{}, by period (numbered from 1, 10 February to 9 August 2020); the numbers are in the table above.</figcaption>\n</figure>",
        esc(label)
    );
}
