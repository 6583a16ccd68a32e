//! # trustgate-report: the 2.129.060 report, counted from the records
//!
//! The ordinance asks the Police Commissioner for a report every six months
//! ([`Period`]), to the City Clerk with a copy to the City Manager, for the
//! Public Safety Committee's agenda. This crate counts it from records the
//! caller has read ([`ContactRow`], [`ReimbursementRow`]) under rules it
//! states in the report itself ([`COUNTING_RULES`]), and writes it as JSON
//! or CSV. The same records always give the same bytes.
//!
//! It is pure: no I/O, no clock, no store. Nothing is assumed to be zero: a
//! count is what the records hold, and a recorded hold (a compliance
//! exception) shows under (b).

mod period;
pub mod reconcile;
pub mod workbook;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use trustgate_law::Date;
use trustgate_place::Place;
use trustgate_records::{Scenario, scenario};

pub use period::{NoPeriod, PASSAGE, Period, local_date, local_time_text, local_to_utc_ms};

/// A recorded contact, as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: i64,
    /// detainer, administrative-warrant, notification-request, …
    pub kind: String,
    pub channel: String,
    pub receiving_unit: String,
    /// When it arrived (UTC ms).
    pub received_ms: i64,
    /// The recorded scenario (its `facts` are read).
    pub scenario: Scenario,
    /// The acts done, by key.
    pub acts_done: Vec<String>,
    /// Why part of what was given to ICE cannot be publicly disclosed, if
    /// it cannot: a key of [`WITHHOLDING_GROUNDS`].
    pub withheld: Option<String>,
    /// Entered late, into a period whose report had been published: the
    /// report it counts in has changed since.
    pub late_entry: bool,
}

/// The grounds on which an investigation's information can be withheld from
/// (e), as the Massachusetts public records law states them (G.L. c. 4,
/// § 7, cl. 26): the key a record carries, and the ground as printed.
pub const WITHHOLDING_GROUNDS: &[(&str, &str)] = &[
    (
        "investigatory",
        "investigatory materials whose disclosure would prejudice effective law enforcement (G.L. c. 4, § 7, cl. 26(f))",
    ),
    (
        "statute",
        "exempted from disclosure by statute, such as criminal offender record information (G.L. c. 4, § 7, cl. 26(a))",
    ),
    (
        "privacy",
        "disclosure would be an unwarranted invasion of personal privacy (G.L. c. 4, § 7, cl. 26(c))",
    ),
];

/// The ground printed for a withholding key, if the key is one.
pub fn withholding_ground(key: &str) -> Option<&'static str> {
    WITHHOLDING_GROUNDS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, ground)| *ground)
}

/// A reimbursement received, by case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReimbursementRow {
    pub contact: i64,
    pub amount_cents: i64,
    /// YYYY-MM-DD.
    pub received_on: String,
}

/// How each section is counted, printed with every report so a reader can
/// check the numbers against the law's words.
/// The key under which (a)'s breakdown by receiving unit counts a record
/// whose unit is not on the place's list (`place.toml`): a record from
/// before the list, or one altered in the database. What a person typed
/// never reaches a public report.
pub const UNLISTED_UNIT: &str = "unlisted";

pub const COUNTING_RULES: &[&str] = &[
    "A record counts in the period of the day it was received, in Cambridge time (America/New_York).",
    "(a) counts instruments, not records: a record lodged with the Police Department (its scenario names the Police Department, or no department) counts once for each of a detainer, an administrative warrant (Form I-200, I-203 or I-205) and a notification request that it is or that its documents include, so an I-247A with an I-200 attached is one detainer and one administrative warrant. A detainer is a hold request if its documents include an I-247A custody request or another hold request, and notify-only otherwise. The breakdowns by month, channel and receiving unit count the same instruments.",
    "The breakdown by receiving unit names only the units on the city's list (its place.toml); a record whose unit is not on the list is counted as unlisted, so no text typed into a record is published.",
    "(b) counts detainer and administrative-warrant records on which the person was held (the acts done include holding the person, or keeping them in custody longer). The law prohibits such holds, so each is also a compliance exception.",
    "(c) counts records on which the person was transferred to ICE custody (the acts done include the transfer).",
    "(d) sums the reimbursements received in the period (by the day received), by the record of the case; cases are listed in the order they were first paid.",
    "(e) counts records of a request by ICE (ERO or HSI) on which information was given or an operation assisted (the acts done include giving any information, or assisting an operation). A record marked as holding information that cannot be publicly disclosed is not in the total: it is counted under the ground the record gives (G.L. c. 4, § 7, cl. 26), so the report says how many were withheld and why.",
    "One record is one request as received; a person who is the subject of several records is counted once per record (records keep no identity to merge them).",
];

/// The report for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub ordinance: &'static str,
    pub period: PeriodView,
    pub addressed: Addressed,
    pub a: Breakdown,
    pub b: Count,
    pub c: Count,
    pub d: Reimbursements,
    pub e: Count,
    pub counting_rules: &'static [&'static str],
    /// Records entered late, after this period's report was published: if
    /// not zero, the report differs from the one published, by them.
    #[serde(skip_serializing_if = "is_zero")]
    pub entered_late: u64,
    /// The audit log's signed checkpoint as of the period's end (a C2SP
    /// signed note), when the period has ended and the operator signed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The audit log as it stood at the end of the period, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    /// The signed note, as published.
    pub note: String,
    /// The public key that signed it (`name+id+key`, Go `note` form).
    pub public_key: String,
    pub how_to_check: &'static str,
}

/// How anyone can check a report's checkpoint.
pub const HOW_TO_CHECK: &str = "The checkpoint is a signed tree head (C2SP signed-note format, Ed25519) of the audit log in which every record behind this report was written. Check its signature with the public key given (any signed-note verifier, such as Go's golang.org/x/mod/sumdb/note), and keep it: later checkpoints must extend this one. The City can prove, without showing any record, that the log still holds exactly these entries (`trustgate audit verify --checkpoint` with this file, or an RFC 6962 consistency proof from `trustgate audit prove --from SIZE --to NOW`).";

/// A period in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodView {
    pub number: u32,
    pub from: String,
    pub until: String,
}

/// Who sends the report, to whom, and for what (2.129.060, first paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Addressed {
    pub from: &'static str,
    pub to: &'static str,
    pub copy: &'static str,
    #[serde(rename = "for")]
    pub for_: &'static str,
}

/// Section (a): the total and its breakdowns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub law: &'static str,
    pub total: u64,
    pub by_type: BTreeMap<String, u64>,
    /// `YYYY-MM` → type → count.
    pub by_month: BTreeMap<String, BTreeMap<String, u64>>,
    pub by_channel: BTreeMap<String, u64>,
    pub by_receiving_unit: BTreeMap<String, u64>,
    /// The records counted (staff version only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<i64>>,
}

/// Sections (b), (c), (e): a total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub law: &'static str,
    pub total: u64,
    /// For (e): how many were withheld as not publicly disclosable, by
    /// ground (every ground listed, zeros included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Vec<Withheld>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<i64>>,
}

/// Investigations left out of (e) because part cannot be disclosed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    /// The key records carry (`investigatory`, `statute`, `privacy`).
    pub key: &'static str,
    pub ground: &'static str,
    pub count: u64,
    /// The records withheld (staff version only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<i64>>,
}

/// Section (d): reimbursements by case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reimbursements {
    pub law: &'static str,
    pub total_cents: i64,
    /// One entry per case; the case is named by its record's id in the staff
    /// version and by its order in the public one.
    pub by_case: Vec<Case>,
}

/// One case's reimbursements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub case: String,
    pub payments: u64,
    pub total_cents: i64,
}

const QUOTE_A: &str = "A statistical breakdown of the total number of ICE detainers requests and ICE holds, administrative warrants, and notification requests lodged with the Cambridge Police Department";
const QUOTE_B: &str = "The total number of individuals detained on an ICE hold as a result of an ICE detainer or administrative warrants, if any";
const QUOTE_C: &str = "The total number of individuals transferred to ICE custody, if any";
const QUOTE_D: &str = "The total reimbursements received from the federal government pursuant to any granted administrative warrant, organized by case";
const QUOTE_E: &str = "The total number of investigations where the Cambridge Police Department cooperated with or provided information to ICE unless any part of such information cannot be publicly disclosed";

/// Whether the scenario's `documents` include one of `names`.
fn has_document(s: &Scenario, names: &[&str]) -> bool {
    scenario::set(s, "documents")
        .iter()
        .any(|d| names.contains(&d.as_str()))
}

/// Whether a record carries an immigration detainer (for reconciliation
/// with ICE's detainer data): a detainer record, or one whose documents
/// include one, lodged with the Police Department.
pub fn carries_detainer(row: &ContactRow) -> bool {
    section_a_types(&row.kind, &row.scenario)
        .iter()
        .any(|t| t.starts_with("detainer"))
}

/// The instruments (a) counts in a record, at most one of each type.
fn section_a_types(kind: &str, f: &Scenario) -> Vec<&'static str> {
    if scenario::one(f, "department").is_some_and(|d| d != "police") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let hold = has_document(f, &["detainer-hold", "hold-request"]);
    if hold {
        out.push("detainer (hold)");
    } else if kind == "detainer" || has_document(f, &["detainer-notify"]) {
        out.push("detainer (notify only)");
    }
    if kind == "administrative-warrant" || has_document(f, &["i-200", "i-203", "i-205"]) {
        out.push("administrative warrant");
    }
    if kind == "notification-request" || has_document(f, &["notification-request"]) {
        out.push("notification request");
    }
    out
}

impl Report {
    /// Counts the report for `period` from the records (those outside the
    /// period are ignored). `staff`: list the records behind each number.
    pub fn count(
        period: Period,
        place: &Place,
        contacts: &[ContactRow],
        reimbursements: &[ReimbursementRow],
        staff: bool,
    ) -> Report {
        let mut sections = Sections::new(place, staff);
        for row in contacts {
            let (day, counters) = tally(row);
            if period.contains(day) {
                for (breakdown, key) in counters {
                    sections.add(day, breakdown, &key, 1, Some(row.id));
                }
            }
        }
        sections.finish(period, reimbursements, staff)
    }

    /// The same report from per-day counters ([`tally`]'s, summed by day,
    /// breakdown and key, as the store keeps them): the public version,
    /// whatever the number of records.
    pub fn from_counts(
        period: Period,
        place: &Place,
        counts: &[DayCount],
        reimbursements: &[ReimbursementRow],
    ) -> Report {
        let mut sections = Sections::new(place, false);
        for c in counts {
            if period.contains(c.day) {
                sections.add(c.day, &c.breakdown, &c.key, c.count, None);
            }
        }
        sections.finish(period, reimbursements, false)
    }
}

/// The most counters one record adds to: three instruments × three
/// breakdowns, (b), (c), (e), and whether it was entered late.
pub const MAX_COUNTERS: usize = 13;

/// One counter of one day: how many records of that day add to `breakdown`
/// under `key` ([`tally`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: Date,
    pub breakdown: String,
    pub key: String,
    pub count: u64,
}

/// The counters a record adds to, under the [`COUNTING_RULES`], and the day
/// (in Cambridge) it counts on. Breakdowns: `a-type`, `a-channel`, `a-unit`
/// (all three for each instrument (a) counts), `b`, `c`, `e`, `late` (key empty),
/// `e-withheld` (key: the ground's key):
/// at most [`MAX_COUNTERS`]. The store
/// keeps these per day as it records, so reports need not read the records.
pub fn tally(row: &ContactRow) -> (Date, Vec<(&'static str, String)>) {
    let day = local_date(row.received_ms);
    let f = &row.scenario;
    let done = |act: &str| row.acts_done.iter().any(|a| a == act);
    let mut out = Vec::new();
    for kind in section_a_types(&row.kind, f) {
        out.push(("a-type", kind.to_owned()));
        out.push(("a-channel", row.channel.clone()));
        out.push(("a-unit", row.receiving_unit.clone()));
    }
    if row.late_entry {
        out.push(("late", String::new()));
    }
    let warrant_or_detainer = matches!(row.kind.as_str(), "detainer" | "administrative-warrant");
    if warrant_or_detainer && (done("detain") || done("extend-detention")) {
        out.push(("b", String::new()));
    }
    if done("transfer-to-ice") {
        out.push(("c", String::new()));
    }
    let ice = matches!(scenario::one(f, "requester"), Some("ice-ero" | "ice-hsi"));
    let cooperated = row
        .acts_done
        .iter()
        .any(|a| a.starts_with("disclose.") || a == "disclose" || a == "assist-operation");
    if ice && cooperated {
        match row.withheld.as_deref().and_then(|k| {
            WITHHOLDING_GROUNDS
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(key, _)| *key)
        }) {
            Some(key) => out.push(("e-withheld", key.to_owned())),
            None => out.push(("e", String::new())),
        }
    }
    (day, out)
}

/// A report being counted.
struct Sections<'p> {
    /// Whose units (a) may name.
    place: &'p Place,
    /// Records entered late into the period after its report was published.
    late: u64,
    a: Breakdown,
    b: Count,
    c: Count,
    e: Count,
}

impl<'p> Sections<'p> {
    fn new(place: &'p Place, staff: bool) -> Sections<'p> {
        let count = |law| Count {
            law,
            total: 0,
            withheld: None,
            records: staff.then(Vec::new),
        };
        Sections {
            place,
            late: 0,
            a: Breakdown {
                law: QUOTE_A,
                total: 0,
                by_type: BTreeMap::new(),
                by_month: BTreeMap::new(),
                by_channel: BTreeMap::new(),
                by_receiving_unit: BTreeMap::new(),
                records: staff.then(Vec::new),
            },
            b: count(QUOTE_B),
            c: count(QUOTE_C),
            e: Count {
                withheld: Some(
                    WITHHOLDING_GROUNDS
                        .iter()
                        .map(|(key, ground)| Withheld {
                            key,
                            ground,
                            count: 0,
                            records: staff.then(Vec::new),
                        })
                        .collect(),
                ),
                ..count(QUOTE_E)
            },
        }
    }

    /// Adds `n` to a counter; `a-type` also counts the total and the month,
    /// and names the record.
    fn add(&mut self, day: Date, breakdown: &str, key: &str, n: u64, id: Option<i64>) {
        let bump = |map: &mut BTreeMap<String, u64>| *map.entry(key.to_owned()).or_default() += n;
        match breakdown {
            "a-type" => {
                self.a.total += n;
                bump(&mut self.a.by_type);
                let (y, m, _) = day.ymd();
                bump(self.a.by_month.entry(format!("{y:04}-{m:02}")).or_default());
                push(&mut self.a.records, id);
            }
            "a-channel" => bump(&mut self.a.by_channel),
            "a-unit" => {
                let key = if self.place.unit(key).is_some() {
                    key
                } else {
                    UNLISTED_UNIT
                };
                *self.a.by_receiving_unit.entry(key.to_owned()).or_default() += n;
            }
            "late" => self.late += n,
            "b" => tally_count(&mut self.b, n, id),
            "c" => tally_count(&mut self.c, n, id),
            "e" => tally_count(&mut self.e, n, id),
            "e-withheld" => {
                if let Some(w) = self.e.withheld.iter_mut().flatten().find(|w| w.key == key) {
                    w.count += n;
                    push(&mut w.records, id);
                }
            }
            _ => {}
        }
    }

    fn finish(self, period: Period, reimbursements: &[ReimbursementRow], staff: bool) -> Report {
        let Sections {
            a, b, c, e, late, ..
        } = self;
        // contact → (payments, cents, first day paid)
        let mut cases: BTreeMap<i64, (u64, i64, Date)> = BTreeMap::new();
        for r in reimbursements {
            let Ok(day) = Date::parse(&r.received_on) else {
                continue;
            };
            if period.contains(day) {
                let case = cases.entry(r.contact).or_insert((0, 0, day));
                case.0 += 1;
                case.1 += r.amount_cents;
                case.2 = case.2.min(day);
            }
        }
        // Cases in the order they were first paid (then by amount): an
        // order the records' content decides, not their ids.
        let mut ordered: Vec<(i64, (u64, i64, Date))> = cases.into_iter().collect();
        ordered.sort_by_key(|(contact, (_, cents, first))| (*first, *cents, *contact));
        let d = Reimbursements {
            law: QUOTE_D,
            total_cents: ordered.iter().map(|(_, c)| c.1).sum(),
            by_case: ordered
                .iter()
                .enumerate()
                .map(|(i, (contact, (n, cents, _)))| Case {
                    case: if staff {
                        format!("contact/{contact}")
                    } else {
                        format!("case {}", i + 1)
                    },
                    payments: *n,
                    total_cents: *cents,
                })
                .collect(),
        };
        Report {
            ordinance: "Cambridge Municipal Code, chapter 2.129 (Welcoming Community Ordinance), section 2.129.060",
            period: PeriodView {
                number: period.number,
                from: period.from.to_string(),
                until: period.until.to_string(),
            },
            addressed: Addressed {
                from: "the Police Commissioner",
                to: "the City Clerk",
                copy: "the City Manager",
                for_: "the agenda of the next meeting of the Public Safety Committee",
            },
            a,
            b,
            c,
            d,
            e,
            counting_rules: COUNTING_RULES,
            entered_late: late,
            checkpoint: None,
        }
    }
}

impl Report {
    /// The cover letter, as 2.129.060 addresses the report: a draft for the
    /// Police Commissioner's signature.
    pub fn cover_letter(&self) -> String {
        format!(
            "DRAFT FOR SIGNATURE\n\nTo: the City Clerk\nCopy: the City Manager\nFrom: the Police Commissioner\nSubject: Report under section 2.129.060 of the Welcoming Community Ordinance, {from} to {until}\n\nPursuant to section 2.129.060 of the Cambridge Municipal Code, the Police Department submits its report for the period from {from} to {until} (the {nth} reporting period since the ordinance passed on 10 February 2020), for inclusion on the agenda of the next meeting of the Public Safety Committee.\n\n(a) ICE detainer requests and holds, administrative warrants and notification requests lodged with the Department: {a}.\n(b) Individuals detained on an ICE hold as a result of a detainer or administrative warrant: {b}.\n(c) Individuals transferred to ICE custody: {c}.\n(d) Reimbursements received from the federal government pursuant to a granted administrative warrant: {d} in {cases} case(s).\n(e) Investigations in which the Department cooperated with or provided information to ICE: {e}.\n\nThe attached report breaks these numbers down and states how each is counted from the Department's records.\n{late}\n\n______________________________\nPolice Commissioner\n",
            from = self.period.from,
            until = self.period.until,
            nth = ordinal(self.period.number),
            a = self.a.total,
            b = self.b.total,
            c = self.c.total,
            d = dollars(self.d.total_cents),
            cases = self.d.by_case.len(),
            e = self.e.total,
            late = if self.entered_late > 0 {
                format!(
                    "\n{} record(s) were entered late, after this period's report was first published; these numbers include them, so they differ from the report published before.\n",
                    self.entered_late
                )
            } else {
                String::new()
            },
        )
    }

    /// The report as JSON (pretty, stable key order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as CSV: `section,breakdown,key,value` (values are counts,
    /// or cents for (d)). Cells are quoted, and cells that a spreadsheet
    /// would run as a formula are prefixed with `'`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,breakdown,key,value\r\n");
        let mut row = |section: &str, breakdown: &str, key: &str, value: i64| {
            let _ = write!(
                out,
                "{},{},{},{}\r\n",
                cell(section),
                cell(breakdown),
                cell(key),
                value
            );
        };
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        row("a", "total", "", n(self.a.total));
        for (k, v) in &self.a.by_type {
            row("a", "type", k, n(*v));
        }
        for (month, types) in &self.a.by_month {
            for (k, v) in types {
                row("a", "month", &format!("{month} {k}"), n(*v));
            }
        }
        for (k, v) in &self.a.by_channel {
            row("a", "channel", k, n(*v));
        }
        for (k, v) in &self.a.by_receiving_unit {
            row("a", "receiving unit", k, n(*v));
        }
        row("b", "total", "", n(self.b.total));
        row("c", "total", "", n(self.c.total));
        row("d", "total cents", "", self.d.total_cents);
        for case in &self.d.by_case {
            row("d", "case cents", &case.case, case.total_cents);
        }
        row("e", "total", "", n(self.e.total));
        for w in self.e.withheld.iter().flatten() {
            row("e", "withheld", w.key, n(w.count));
        }
        out
    }
}

/// A Frictionless Data Package (`datapackage.json`) describing the CSV of
/// every report: one resource per period, all with the same table schema.
/// `csv_of` names a report's CSV file, relative to the package.
pub fn data_package(reports: &[Report], csv_of: impl Fn(&Report) -> String) -> String {
    let schema = serde_json::json!({
        "fields": [
            {"name": "section", "type": "string", "description": "The section of 2.129.060: a, b, c, d or e.",
             "constraints": {"required": true, "enum": ["a", "b", "c", "d", "e"]}},
            {"name": "breakdown", "type": "string", "description": "total, type, month, channel, receiving unit, total cents, case cents or withheld.",
             "constraints": {"required": true}},
            {"name": "key", "type": "string", "description": "What the row counts within its breakdown (a type, `YYYY-MM type`, a channel, a unit, a case, or for withheld the ground: investigatory, statute or privacy, G.L. c. 4, § 7, cl. 26(f), (a) or (c)); empty for totals. A leading ' marks a value a spreadsheet would otherwise run as a formula."},
            {"name": "value", "type": "integer", "description": "A count, or for section d an amount in cents.",
             "constraints": {"required": true, "minimum": 0}}
        ],
        "missingValues": []
    });
    let resources: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": format!("period-{:02}", r.period.number),
                "profile": "tabular-data-resource",
                "title": format!("2.129.060 report, {} to {}", r.period.from, r.period.until),
                "path": csv_of(r),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "header": true},
                "schema": schema,
            })
        })
        .collect();
    let package = serde_json::json!({
        "profile": "tabular-data-package",
        "name": "cambridge-2-129-060-reports",
        "title": "Reports under section 2.129.060 of the Cambridge Welcoming Community Ordinance",
        "description": "Every six-month report since the ordinance passed on 10 February 2020, counted from the Police Department's records under the counting rules stated in each report's JSON.",
        "resources": resources,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default()
}

/// `$1,234.56`.
pub fn dollars(cents: i64) -> String {
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Names a record behind a number, once (a record's counters come together).
fn push(records: &mut Option<Vec<i64>>, id: Option<i64>) {
    if let (Some(r), Some(id)) = (records, id)
        && r.last() != Some(&id)
    {
        r.push(id);
    }
}

fn tally_count(count: &mut Count, n: u64, id: Option<i64>) {
    count.total += n;
    push(&mut count.records, id);
}

/// A CSV cell: quoted, quotes doubled, and a leading `= + - @`, tab or CR
/// neutralised so that no spreadsheet runs it as a formula.
fn cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    format!(
        "\"{}{}\"",
        if risky { "'" } else { "" },
        s.replace('"', "\"\"")
    )
}

#[cfg(test)]
mod tests;
