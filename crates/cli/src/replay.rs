//! `trustgate replay`: which recorded contacts would come out differently
//! under the law as the packs read it now, on each record's own day (a
//! corrected encoding) or on `--on DATE` (the law as it stands then), or
//! with `--as-if-enacted PROPOSAL` (what a bill would have changed).

use std::sync::Arc;

use anyhow::{Result, anyhow};
use clap::Args;
use trustgate_access::Permission;
use trustgate_records::{StoredDecision, replay, scenario};

use crate::exit;
use crate::records::{Database, SystemClock, open, operator, runtime};

#[derive(Args)]
pub(crate) struct ReplayArgs {
    #[command(flatten)]
    db: Database,
    /// Decide every record on this day (YYYY-MM-DD) instead of its own: what
    /// the law in force then would say of the same facts.
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// Take this proposal (a pack marked `status: proposal`, by its law id)
    /// as enacted from its `effective-from`; repeat for several.
    #[arg(long = "as-if-enacted", value_name = "PROPOSAL")]
    as_if_enacted: Vec<String>,
}

/// Exits 0 when every record comes out as kept, 1 when some would not
/// (each listed), 2 on an error.
pub(crate) fn run(packs: Option<&std::path::Path>, args: &ReplayArgs) -> Result<u8> {
    let lib = crate::pack::library(packs)?;
    let lib = if args.as_if_enacted.is_empty() {
        lib
    } else {
        let laws: Vec<&str> = args.as_if_enacted.iter().map(String::as_str).collect();
        lib.as_if_enacted(&laws)
            .map_err(|e| anyhow!("--as-if-enacted: {e}"))?
    };
    if let Some(d) = &args.on {
        trustgate_law::Date::parse(d).map_err(|e| anyhow!("--on {d}: {e}"))?;
    }
    runtime()?.block_on(async {
        let store = open(&args.db, Arc::new(SystemClock)).await?;
        let who = operator("replay", &[Permission::ReadAllContacts]);
        let (mut after, mut records, mut differ, mut flagged, mut unasked) = (None, 0u64, 0u64, 0u64, 0u64);
        loop {
            let page = store.kept_decisions(&who, after, 500).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for k in &page {
                records += 1;
                let record = k.id.object();
                let scenario = scenario::parse(&k.scenario).map_err(|e| anyhow!("{record}: {e}"))?;
                let kept = StoredDecision::parse(&k.decision).map_err(|e| anyhow!("{record}: {e}"))?;
                let replayed = match replay(&lib, &scenario, &kept, &k.acts_done, args.on.as_deref()) {
                    Ok(c) => c,
                    Err(e) => {
                        // The packs no longer have a word the record used.
                        unasked += 1;
                        say!("{record}: cannot be asked of the packs now: {e}");
                        continue;
                    }
                };
                if replayed.is_empty() {
                    continue;
                }
                differ += 1;
                for d in &replayed.duties {
                    let how = if d.now { "would be triggered" } else { "would not be triggered" };
                    say!("{record}: duty {}/{} ({}) {how}", d.law, d.id, d.cite);
                }
                for c in &replayed.items {
                    let word = |o: Option<trustgate_records::Outcome>| o.map_or("not decided", |o| o.as_str());
                    let mark = if c.flags_differently() {
                        flagged += 1;
                        " (done: its compliance exception would change)"
                    } else if c.done {
                        " (done)"
                    } else {
                        ""
                    };
                    say!("{record}: {}: {} -> {}{mark}", c.key, word(c.then), word(c.now));
                }
            }
        }
        let as_if = if args.as_if_enacted.is_empty() {
            String::new()
        } else {
            format!(" as if {} were enacted", args.as_if_enacted.join(" and "))
        };
        say!(
            "{records} record(s) replayed{}{as_if}: {differ} would come out differently, {flagged} act(s) done would be flagged differently, {unasked} cannot be asked now",
            args.on.as_ref().map(|d| format!(" on {d}")).unwrap_or_default()
        );
        Ok(if differ == 0 && unasked == 0 { exit::OK } else { exit::PROHIBITED })
    })
}
