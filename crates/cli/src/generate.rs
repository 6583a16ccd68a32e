//! `trustgate generate`: realistic synthetic records, for load tests, the
//! report's scale benchmark and demonstrations. Never for a database with
//! real records in it: it refuses one, and every record it writes is
//! recorded by `system/generate`, in the audit log like any other.
//!
//! Each record is one of the situations a city meets (a detainer by fax, ICE
//! on the phone about a release date, HSI asking for information in a
//! criminal case, agents at the front desk, a federal operation asking for
//! help, a City lot, fingerprints at booking), on a random day and time in
//! the range, decided by the law packs as the server decides a contact, with
//! what was done drawn so that most records comply and a few are compliance
//! exceptions; some granted administrative warrants are reimbursed weeks
//! later. The same seed gives the same records (ids aside: they are written
//! concurrently) and, written into an empty database, the same public
//! reports on either backend.

use std::collections::HashMap;
use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use serde_json::{Value, json};
use trustgate_access::Permission;
use trustgate_api::Scenario;
use trustgate_law::{Date, Library};
use trustgate_records::{Decided, Intake};
use trustgate_report::local_date;
use trustgate_store::{
    Channel, Clock as _, ContactKind, NewContact, NewReimbursement, Principal, Store,
};

use crate::exit;
use crate::records::{Database, SystemClock, open, operator, runtime};

#[derive(Args)]
pub(crate) struct GenerateArgs {
    /// How many records to write.
    #[arg(long)]
    records: u64,
    /// The first day records arrive (YYYY-MM-DD).
    #[arg(long, default_value = "2020-02-10")]
    from: String,
    /// The last day (YYYY-MM-DD); default: today.
    #[arg(long)]
    until: Option<String>,
    /// The same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    db: Database,
    #[command(flatten)]
    place: crate::pack::PlaceArg,
}

/// Who the generated records are recorded by.
const GENERATOR: &str = "generate";

/// Records written at once (the store commits them in groups).
const IN_FLIGHT: usize = 256;

/// A situation: its kind, the channels it comes by, its facts and acts
/// asked, and what may be done, with weights out of 1000 (the rest: nothing).
struct Situation {
    kind: ContactKind,
    channels: &'static [Channel],
    units: &'static [&'static str],
    /// The scenario's `facts` and `acts` (place and date are added).
    facts: fn(&mut Rng) -> Value,
    acts: fn() -> Value,
    done: &'static [(u32, &'static [&'static str])],
    /// Out of 1000: how often what is given is withheld as investigatory.
    withheld: u32,
    /// How common the situation is, relative to the others.
    weight: u32,
}

const SITUATIONS: &[Situation] = &[
    Situation {
        kind: ContactKind::Detainer,
        channels: &[Channel::Fax, Channel::Fax, Channel::Email, Channel::Portal],
        units: &["booking", "records-office", "district-1", "district-4"],
        facts: |rng| {
            let documents = match rng.below(10) {
                0..=5 => json!(["detainer-hold"]),
                6..=7 => json!(["detainer-hold", "i-200"]),
                _ => json!(["detainer-notify"]),
            };
            json!({"department": "police", "requester": "ice-ero", "custody": "in-police-custody",
                   "documents": documents, "other-custody-basis": false})
        },
        acts: || json!({"detain": true, "transfer-to-ice": true, "disclose": ["release-date"]}),
        done: &[
            (15, &["detain"]),
            (5, &["disclose.release-date"]),
            (3, &["transfer-to-ice"]),
        ],
        withheld: 0,
        weight: 30,
    },
    Situation {
        kind: ContactKind::NotificationRequest,
        channels: &[Channel::Phone, Channel::Phone, Channel::Email, Channel::Fax],
        units: &["front-desk", "booking", "records-office"],
        facts: |_| {
            json!({"requester": "ice-ero", "department": "police", "custody": "in-police-custody",
                   "arrested": true, "age-group": "adult", "separate-log": false,
                   "operation-purpose": "civil-immigration", "documents": ["notification-request"]})
        },
        acts: || json!({"disclose": ["release-date", "incarceration-status", "immigration-status", "charges"]}),
        done: &[
            (20, &["disclose.release-date"]),
            (10, &["disclose.charges"]),
        ],
        withheld: 0,
        weight: 25,
    },
    Situation {
        kind: ContactKind::AdministrativeWarrant,
        channels: &[Channel::Fax, Channel::InPerson],
        units: &["booking", "front-desk"],
        facts: |_| {
            json!({"department": "police", "requester": "ice-ero", "custody": "in-police-custody",
                   "documents": ["i-200"], "other-custody-basis": false})
        },
        acts: || json!({"detain": true, "transfer-to-ice": true}),
        done: &[(10, &["detain"]), (5, &["transfer-to-ice"])],
        withheld: 0,
        weight: 10,
    },
    Situation {
        kind: ContactKind::InformationRequest,
        channels: &[Channel::Email, Channel::Phone],
        units: &["special-investigations", "records-office"],
        facts: |_| {
            json!({"requester": "ice-hsi", "department": "police", "custody": "not-in-custody",
                   "operation-purpose": "other-criminal", "documents": []})
        },
        acts: || json!({"disclose": ["charges", "home-address"]}),
        done: &[
            (500, &["disclose.charges"]),
            (100, &["disclose.home-address"]),
        ],
        withheld: 300,
        weight: 10,
    },
    Situation {
        kind: ContactKind::AccessRequest,
        channels: &[Channel::InPerson, Channel::Phone],
        units: &["front-desk", "booking"],
        facts: |rng| {
            let mode = if rng.below(4) == 0 {
                "telephone"
            } else {
                "in-person"
            };
            json!({"requester": "ice-ero", "department": "police", "custody": "in-police-custody",
                   "access-mode": mode, "documents": []})
        },
        acts: || json!({"grant-access": true}),
        done: &[(10, &["grant-access"])],
        withheld: 0,
        weight: 10,
    },
    Situation {
        kind: ContactKind::AssistanceRequest,
        channels: &[Channel::Phone, Channel::InPerson, Channel::Email],
        units: &["operations", "district-2", "district-3"],
        facts: |rng| {
            let (purpose, kind) = match rng.below(4) {
                0 => ("civil-immigration", "arrest-or-detention"),
                1 => ("civil-immigration", "traffic-control"),
                2 => ("other-criminal", "officer-safety"),
                _ => ("human-trafficking", "traffic-perimeter"),
            };
            json!({"requester": "ice-ero", "department": "police", "operation-lead": "federal-agency",
                   "operation-purpose": purpose, "assistance-kind": kind})
        },
        acts: || json!({"assist-operation": true}),
        done: &[(300, &["assist-operation"])],
        withheld: 200,
        weight: 8,
    },
    Situation {
        kind: ContactKind::PropertyUseRequest,
        channels: &[Channel::Phone, Channel::Email],
        units: &["traffic-parking", "public-works"],
        facts: |_| {
            json!({"requester": "ice-ero", "department": "other-city", "city-property": true,
                   "operation-purpose": "civil-immigration", "assistance-kind": "city-property-use"})
        },
        acts: || json!({"allow-property-use": true}),
        done: &[(5, &["allow-property-use"])],
        withheld: 0,
        weight: 3,
    },
    Situation {
        kind: ContactKind::FingerprintTransmission,
        channels: &[Channel::Ncic],
        units: &["booking"],
        facts: |_| {
            json!({"department": "police", "arrested": true, "booking-after-criminal-arrest": true,
                   "legal-mandate": true, "requester": "state-police"})
        },
        acts: || json!({"transmit-fingerprints": true}),
        done: &[(990, &["transmit-fingerprints"])],
        withheld: 0,
        weight: 4,
    },
];

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        let i = usize::try_from(self.below(from.len() as u64)).unwrap_or(0);
        from[i.min(from.len().saturating_sub(1))]
    }
}

/// One record to write, before its decision.
struct Draw {
    situation: usize,
    channel: Channel,
    unit: &'static str,
    received_ms: i64,
    scenario: Value,
    acts_done: Vec<String>,
    withheld: bool,
    /// A reimbursement received for a granted administrative warrant:
    /// cents, and days after the contact.
    reimbursed: Option<(i64, i64)>,
}

fn draw(rng: &mut Rng, (from_ms, until_ms): (i64, i64)) -> Draw {
    let total: u32 = SITUATIONS.iter().map(|s| s.weight).sum();
    let mut at = u32::try_from(rng.below(u64::from(total))).unwrap_or(0);
    let mut situation = 0;
    for (i, s) in SITUATIONS.iter().enumerate() {
        if at < s.weight {
            situation = i;
            break;
        }
        at -= s.weight;
    }
    let s = &SITUATIONS[situation];
    let span = u64::try_from(until_ms - from_ms).unwrap_or(1);
    let received_ms = from_ms + i64::try_from(rng.below(span)).unwrap_or(0);
    let mut roll = u32::try_from(rng.below(1000)).unwrap_or(0);
    let mut acts_done = Vec::new();
    for (weight, acts) in s.done {
        if roll < *weight {
            acts_done = acts.iter().map(|a| (*a).to_owned()).collect();
            break;
        }
        roll -= weight;
    }
    let withheld = !acts_done.is_empty() && rng.below(1000) < u64::from(s.withheld);
    let granted = s.kind == ContactKind::AdministrativeWarrant && !acts_done.is_empty();
    let reimbursed = (granted && rng.below(2) == 0).then(|| {
        let cents = 5_000 + i64::try_from(rng.below(200_000)).unwrap_or(0);
        let days = 20 + i64::try_from(rng.below(60)).unwrap_or(0);
        (cents, days)
    });
    Draw {
        situation,
        channel: rng.pick(s.channels),
        unit: rng.pick(s.units),
        received_ms,
        scenario: json!({
            "place": "cambridge",
            "date": local_date(received_ms).to_string(),
            "facts": (s.facts)(rng),
            "acts": (s.acts)(),
        }),
        acts_done,
        withheld,
        reimbursed,
    }
}

/// Decides a scenario as the server does when a contact is recorded, and
/// returns the scenario and decision as stored.
fn decide(lib: &Library, scenario: &Value) -> Result<Decided> {
    let parsed: Scenario = serde_json::from_value(scenario.clone())
        .with_context(|| format!("a generated scenario does not parse: {scenario}"))?;
    Decided::new(lib, &parsed)
        .map_err(|e| anyhow::anyhow!("a generated scenario is refused: {e}: {scenario}"))
}

pub(crate) fn run(packs: Option<&Path>, args: &GenerateArgs) -> Result<u8> {
    let lib = crate::pack::library(packs)?;
    let place = Arc::new(args.place.load(packs, &lib)?);
    let clock = Arc::new(SystemClock);
    let from = Date::parse(&args.from).map_err(|e| anyhow::anyhow!("--from {}: {e}", args.from))?;
    let until = match &args.until {
        Some(u) => Date::parse(u).map_err(|e| anyhow::anyhow!("--until {u}: {e}"))?,
        None => local_date(clock.now_ms()),
    };
    if from > until {
        bail!("--from {from} is after --until {until}");
    }
    let range = trustgate_report::Period {
        number: 0,
        from,
        until,
    }
    .utc_ms();
    let actor = operator(
        GENERATOR,
        &[Permission::RecordContact, Permission::RecordReimbursements],
    );
    let tty = std::io::stderr().is_terminal();
    let written = runtime()?.block_on(async {
        let store = Arc::new(open(&args.db, clock).await?.with_place(place)?);
        let others = store.contacts_not_recorded_by(actor.actor()).await?;
        if others > 0 {
            store.close().await;
            bail!(
                "this database holds {others} record(s) made by someone other than the generator: synthetic records go only into a database of their own"
            );
        }
        let result = write(&store, &lib, &actor, args, range, tty).await;
        if let Ok(store) = Arc::try_unwrap(store) {
            store.close().await;
        }
        result
    })?;
    if tty {
        eprintln!();
    }
    say!(
        "wrote {written} synthetic record(s) from {from} to {until} (seed {}), recorded by {}",
        args.seed,
        actor.actor().as_str()
    );
    Ok(exit::OK)
}

async fn write(
    store: &Arc<Store>,
    lib: &Library,
    actor: &Principal,
    args: &GenerateArgs,
    range: (i64, i64),
    tty: bool,
) -> Result<u64> {
    use futures_util::stream::{self, StreamExt as _};
    let mut rng = Rng(args.seed);
    // Decisions depend on the situation and the day (the law's versions):
    // decide each pair once.
    let mut decided: HashMap<String, Decided> = HashMap::new();
    // Records are drawn in order and written up to IN_FLIGHT at a time, so
    // the same seed gives the same records; their ids follow the order the
    // writes reach the store, which can differ from run to run.
    let mut writes = stream::iter(0..args.records)
        .map(|n| {
            let d = draw(&mut rng, range);
            let key = d.scenario.to_string();
            let pair = match decided.get(&key) {
                Some(pair) => Ok(pair.clone()),
                None => decide(lib, &d.scenario).inspect(|pair| {
                    decided.insert(key, pair.clone());
                }),
            };
            let store = Arc::clone(store);
            let actor = actor.clone();
            async move {
                let contact = NewContact {
                    kind: SITUATIONS[d.situation].kind,
                    channel: d.channel,
                    receiving_unit: d.unit.to_owned(),
                    received_ms: Some(d.received_ms),
                    scenario: String::new(),
                    decision: String::new(),
                    acts_done: d.acts_done,
                    done_by: None,
                    withheld: d.withheld.then(|| "investigatory".to_owned()),
                    late_entry: None,
                    obligations_due: Default::default(),
                    person: None,
                };
                let intake = Intake::of(pair?, contact)?;
                let recorded = store.record_contact(&actor, intake).await?;
                if let Some((cents, days)) = d.reimbursed {
                    let r = NewReimbursement {
                        amount_cents: cents,
                        received_on: local_date(d.received_ms + days * 86_400_000).to_string(),
                        reference: format!("SYNTHETIC-{n}"),
                    };
                    store.record_reimbursement(&actor, recorded.id, r).await?;
                }
                Ok::<_, anyhow::Error>(())
            }
        })
        .buffered(IN_FLIGHT);
    let mut written = 0u64;
    while let Some(done) = writes.next().await {
        done?;
        written += 1;
        if tty && written.is_multiple_of(10_000) {
            eprint!("\rwriting synthetic records: {written} of {}", args.records);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::SITUATIONS;

    /// The generator writes Cambridge's records, whose units are a closed
    /// list: every unit it picks must be on it, or recording would refuse.
    #[test]
    fn every_unit_the_generator_picks_is_on_cambridges_list() {
        let place = crate::pack::places(None)
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.id() == "cambridge");
        let Some(place) = place else {
            unreachable!("the built-in packs configure Cambridge");
        };
        for s in SITUATIONS {
            for unit in s.units {
                assert!(place.unit(unit).is_some(), "{unit}");
            }
        }
    }
}
