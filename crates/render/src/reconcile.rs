//! Reconciliation with ICE's released data as a page, for the records unit:
//! the counts, the two lists of gaps, and the matching rules the lists were
//! made under. It names the city's records by id, so it is a staff page,
//! never published.

use std::fmt::Write as _;

use trustgate_report::reconcile::Reconciliation;

use crate::{esc, page};

/// The page. `source` names ICE's file as the operator gave it.
pub fn render_reconciliation(r: &Reconciliation, source: &str) -> String {
    let title = format!(
        "Detainers: the city's records against ICE's data, {} to {}",
        r.from, r.until
    );
    let mut b = String::new();
    let _ = write!(
        b,
        "<a class=\"skip\" href=\"#main\">Skip to the findings</a>\n<header class=\"top\">\n<p class=\"eyebrow\">City of Cambridge · for staff: names records</p>\n<h1>{}</h1>\n<p>ICE's file: <code>{}</code>. Of its {} rows, {} are at the city's facilities in these days; {} match a detainer in the city's records.</p>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n",
        esc(&title),
        esc(source),
        r.ice_rows_read,
        r.ice_rows_at_city_facilities,
        r.matched
    );
    let _ = writeln!(
        b,
        "<h2 id=\"missing-from-city\">In ICE's data, never logged by the city: {}</h2>",
        r.missing_from_city_records.len()
    );
    if !r.missing_from_city_records.is_empty() {
        b.push_str("<table>\n<caption>ICE's rows with no city record</caption>\n<thead><tr><th scope=\"col\">ICE's row</th><th scope=\"col\">Prepared</th><th scope=\"col\">Facility</th><th scope=\"col\">City unit</th><th scope=\"col\">Detainer type</th></tr></thead>\n<tbody>\n");
        for m in &r.missing_from_city_records {
            let _ = writeln!(
                b,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                m.row,
                esc(&m.prepared),
                esc(&m.facility),
                esc(&m.unit),
                esc(&m.detainer_type)
            );
        }
        b.push_str("</tbody>\n</table>\n");
    }
    let _ = writeln!(
        b,
        "<h2 id=\"missing-from-ice\">Logged by the city, not in ICE's data: {}</h2>",
        r.missing_from_ice_data.len()
    );
    if !r.missing_from_ice_data.is_empty() {
        b.push_str("<table>\n<caption>City records with no row in ICE's data</caption>\n<thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Received</th><th scope=\"col\">Unit</th></tr></thead>\n<tbody>\n");
        for c in &r.missing_from_ice_data {
            let _ = writeln!(
                b,
                "<tr><th scope=\"row\">contact/{}</th><td>{}</td><td>{}</td></tr>",
                c.contact,
                esc(&c.received),
                esc(&c.unit)
            );
        }
        b.push_str("</tbody>\n</table>\n");
    }
    b.push_str("<h2 id=\"rules\">How rows and records were matched</h2>\n<ul>\n");
    for rule in r.matching_rules {
        let _ = writeln!(b, "<li>{}</li>", esc(rule));
    }
    b.push_str("</ul>\n</main>\n");
    page(&title, &b)
}
