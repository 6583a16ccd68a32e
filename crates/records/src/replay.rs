//! Replay: a kept decision against the law as the library reads it now.
//!
//! "Which of our past cases would have come out differently?" A record's
//! scenario is decided again, on its own day (a corrected encoding of the
//! same law) or on another day (the law as it stands then, an amendment
//! in force), and compared item by item with the decision kept with it.
//! Pure: the caller reads the records.

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

/// Decides `scenario` again (on `on`, a day `YYYY-MM-DD`, or its own) and
/// returns the items whose outcome differs from `kept`'s, in the kept order
/// and then any item decided only now.
pub fn replay(
    lib: &Library,
    scenario: &Scenario,
    kept: &StoredDecision,
    acts_done: &[String],
    on: Option<&str>,
) -> Result<Vec<Changed>, IntakeError> {
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
    Ok(out)
}
