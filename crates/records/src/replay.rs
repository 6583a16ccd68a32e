//! Replay: a kept decision against the law as the library reads it now.
//!
//! "Which of our past cases would have come out differently?" A record's
//! scenario is decided again, on its own day (a corrected encoding of the
//! same law) or on another day (the law as it stands then, an amendment
//! in force, a proposal taken as enacted), and compared with the decision
//! kept with it: item by item, and duty by duty. Pure: the caller reads the
//! records.

use trustgate_api::Scenario;
use trustgate_law::Library;

use crate::decision::{Outcome, StoredDecision};
use crate::intake::{IntakeError, decide};

/// One item whose answer differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// `act` or `act.field`.
    pub key: String,
    /// As kept with the record (`None`: the item was not decided then).
    pub then: Option<Outcome>,
    /// As decided now (`None`: not decided now).
    pub now: Option<Outcome>,
    /// Whether the act was done.
    pub done: bool,
}

impl Changed {
    /// An act done that was not prohibited then and is now, or the reverse:
    /// the record's compliance exception would change.
    pub fn flags_differently(&self) -> bool {
        self.done
            && (self.then == Some(Outcome::Prohibited)) != (self.now == Some(Outcome::Prohibited))
    }
}

/// A duty triggered for certain on one side only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyChanged {
    /// The law's id.
    pub law: String,
    /// The duty's id in its pack.
    pub id: String,
    /// Its citation.
    pub cite: String,
    /// `true`: triggered now and not then; `false`: then and not now.
    pub now: bool,
}

/// What would come out differently for one record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    /// The items whose outcome differs, in the kept order, then any item
    /// decided only now.
    pub items: Vec<Changed>,
    /// The duties triggered for certain then and not now, or now and not
    /// then (by law and id).
    pub duties: Vec<DutyChanged>,
}

impl Replayed {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.duties.is_empty()
    }
}

/// Decides `scenario` again (on `on`, a day `YYYY-MM-DD`, or its own) and
/// returns what differs from `kept`.
pub fn replay(
    lib: &Library,
    scenario: &Scenario,
    kept: &StoredDecision,
    acts_done: &[String],
    on: Option<&str>,
) -> Result<Replayed, IntakeError> {
    let mut asked = scenario.clone();
    if let Some(day) = on {
        day.clone_into(&mut asked.date);
    }
    let now = decide(lib, &asked)?;
    let done = |key: &str| acts_done.iter().any(|a| a == key);
    let mut out = Vec::new();
    for item in &kept.items {
        let now_outcome = now.item(&item.key).map(|i| i.outcome);
        if now_outcome != Some(item.outcome) {
            out.push(Changed {
                key: item.key.clone(),
                then: Some(item.outcome),
                now: now_outcome,
                done: done(&item.key),
            });
        }
    }
    for item in &now.items {
        if kept.item(&item.key).is_none() {
            out.push(Changed {
                key: item.key.clone(),
                then: None,
                now: Some(item.outcome),
                done: done(&item.key),
            });
        }
    }
    let certain = |d: &StoredDecision| -> Vec<(String, String, String)> {
        d.obligations
            .iter()
            .filter(|o| o.certain)
            .map(|o| (o.law.clone(), o.id.clone(), o.cite.clone()))
            .collect()
    };
    let (then_duties, now_duties) = (certain(kept), certain(&now));
    let key = |d: &(String, String, String)| (d.0.clone(), d.1.clone());
    let mut duties = Vec::new();
    for (side, other, is_now) in [
        (&then_duties, &now_duties, false),
        (&now_duties, &then_duties, true),
    ] {
        for d in side {
            if !other.iter().any(|o| key(o) == key(d)) {
                duties.push(DutyChanged {
                    law: d.0.clone(),
                    id: d.1.clone(),
                    cite: d.2.clone(),
                    now: is_now,
                });
            }
        }
    }
    Ok(Replayed { items: out, duties })
}
