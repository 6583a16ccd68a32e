//! Digests of what a list or a report returned: a read entry commits to
//! what its reader was shown.

use trustgate_audit::Hash;

use super::{Canon, Value};

pub(crate) fn returned_contacts(list: &[crate::ContactSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/contacts/1");
    c.count(list.len());
    for s in list {
        c.int(s.id.0);
        c.text(s.kind.as_str());
        c.text(s.channel.as_str());
        c.text(&s.receiving_unit);
        c.int(s.received_ms);
        c.bool(s.compliance_exception);
        c.int(s.open_obligations);
        c.text(s.recorded_by.as_str());
    }
    c.finish()
}

pub(crate) fn returned_exceptions(list: &[crate::ComplianceException]) -> Hash {
    let mut c = Canon::new("trustgate/returned/compliance-exceptions/1");
    c.count(list.len());
    for e in list {
        c.int(e.id);
        c.int(e.contact.0);
        c.text(&e.act);
        c.text(e.routed_to.as_str());
        c.int(e.flagged_ms);
        c.count(e.explanations.len());
        for x in &e.explanations {
            c.text(&x.text);
            c.text(x.by.as_str());
            c.int(x.at_ms);
        }
    }
    c.finish()
}

fn obligation(c: &mut Canon, o: &crate::ObligationRecord) {
    c.int(o.id);
    c.text(&o.obligation);
    c.text(&o.law);
    c.text(&o.duty);
    c.opt_text(o.due.as_deref());
    c.opt_int(o.due_ms);
    match &o.fulfilment {
        Some(f) => {
            c.text(f.by.as_str());
            c.int(f.at_ms);
            c.text(&f.note);
        }
        None => c.value(&Value::Null),
    }
}

pub(crate) fn returned_obligations(list: &[crate::OpenObligation]) -> Hash {
    let mut c = Canon::new("trustgate/returned/obligations/1");
    c.count(list.len());
    for o in list {
        c.int(o.contact.0);
        obligation(&mut c, &o.obligation);
        c.int(o.received_ms);
        c.text(o.recorded_by.as_str());
    }
    c.finish()
}

pub(crate) fn returned_accounts(list: &[crate::AccountSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/accounts/1");
    c.count(list.len());
    for a in list {
        c.text(&a.username);
        c.text(a.role.as_str());
        c.text(a.created_by.as_str());
        c.int(a.created_ms);
        c.opt_int(a.locked_until_ms);
        c.opt_int(a.disabled_ms);
    }
    c.finish()
}

pub(crate) fn returned_tokens(list: &[crate::TokenSummary]) -> Hash {
    let mut c = Canon::new("trustgate/returned/tokens/1");
    c.count(list.len());
    for t in list {
        c.int(t.id);
        c.text(&t.name);
        c.count(t.scopes.len());
        for s in &t.scopes {
            c.text(s);
        }
        c.text(t.created_by.as_str());
        c.int(t.created_ms);
        c.opt_int(t.revoked_ms);
    }
    c.finish()
}

fn reimbursements(c: &mut Canon, list: &[(crate::ContactId, i64, String)]) {
    c.count(list.len());
    for (id, cents, day) in list {
        c.int(id.0);
        c.int(*cents);
        c.text(day);
    }
}

pub(crate) fn returned_report_rows(r: &crate::ReportRows) -> Hash {
    let mut c = Canon::new("trustgate/returned/report-rows/1");
    c.count(r.contacts.len());
    for row in &r.contacts {
        c.int(row.id);
        c.text(&row.kind);
        c.text(&row.channel);
        c.text(&row.receiving_unit);
        c.int(row.received_ms);
        // The scenario as kept: trustgate wrote it with this same serialiser.
        c.text(&trustgate_records::scenario::to_json(&row.scenario));
        c.count(row.acts_done.len());
        for a in &row.acts_done {
            c.text(a);
        }
        c.opt_text(row.withheld.as_deref());
        c.opt_text(row.late_entry.then_some("late-entry"));
    }
    reimbursements(&mut c, &r.reimbursements);
    c.finish()
}

pub(crate) fn returned_report_counts(r: &crate::ReportCounts) -> Hash {
    let mut c = Canon::new("trustgate/returned/report-counts/1");
    c.count(r.counts.len());
    for (day, breakdown, key, n) in &r.counts {
        c.text(day);
        c.text(breakdown);
        c.text(key);
        c.int(*n);
    }
    reimbursements(&mut c, &r.reimbursements);
    c.finish()
}

pub(crate) fn returned_complaints(list: &[crate::QueuedComplaint]) -> Hash {
    let mut c = Canon::new("trustgate/returned/complaints/1");
    c.count(list.len());
    for q in list {
        c.int(q.id.0);
        c.text(&q.against);
        c.text(&q.occurred_on);
        c.text(&q.filed_on);
        c.int(q.filed_ms);
        c.text(q.status.as_str());
        c.opt_text(q.disposition.map(|d| d.as_str()));
        c.opt_text(q.assigned_to.as_deref());
        c.count(q.offices.len());
        for o in &q.offices {
            c.text(o);
        }
        c.int(q.open_duties);
        c.int(q.overdue_duties);
    }
    c.finish()
}
