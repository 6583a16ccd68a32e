//! Intake and the kept decision, against the built-in packs.
#![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

use trustgate_api::{Decision, Detail, RecordContact, Scenario};
use trustgate_law::{Library, Source};
use trustgate_records::{
    ContactKind, Decided, Intake, IntakeError, Office, Outcome, StoredDecision, scenario,
};

fn lib() -> &'static Library {
    static LIB: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    LIB.get_or_init(|| {
        let sources: Vec<Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| Source { name, text })
            .collect();
        match Library::load(&sources) {
            Ok(lib) => lib,
            Err(e) => panic!("built-in packs do not load:\n{e}"),
        }
    })
}

/// A detainer asking for a hold on a person in police custody, on a day the
/// 2025 ordinance and the executive order are in force.
fn detainer_hold() -> Scenario {
    serde_json::from_value(serde_json::json!({
        "place": "cambridge",
        "date": "2026-03-02",
        "facts": {
            "requester": "ice-ero",
            "department": "police",
            "custody": "in-police-custody",
            "documents": ["detainer-hold"],
            "other-custody-basis": false
        },
        "acts": {"extend-detention": true, "disclose": ["release-date"]}
    }))
    .unwrap()
}

fn body(scenario: Scenario, acts_done: &[&str]) -> RecordContact {
    serde_json::from_value(serde_json::json!({
        "kind": "detainer",
        "channel": "fax",
        "receiving_unit": "booking",
        "scenario": serde_json::to_value(&scenario).unwrap(),
        "acts_done": acts_done,
    }))
    .unwrap()
}

/// The kept decision is the engine's brief answer, field for field: read
/// back and written again it gives the API's bytes, plus its format.
#[test]
fn the_kept_decision_is_the_engines_answer_round_tripped() {
    let s = detainer_hold();
    let query = s.to_query(lib()).unwrap();
    let decided = lib().decide(&query);
    let api = Decision::from_explanation(&lib().explain(&query, &decided), Detail::Brief);
    let api_json = serde_json::to_value(&api).unwrap();

    let kept = StoredDecision::of(&api).unwrap();
    let mut again = serde_json::to_value(&kept).unwrap();
    assert_eq!(again["format"], 1);
    again.as_object_mut().unwrap().remove("format");
    assert_eq!(again, api_json);
    assert_eq!(StoredDecision::parse(&kept.to_json()).unwrap(), kept);

    // The typed reading agrees with the engine's own answer, item by item.
    assert_eq!(kept.items.len(), api.items.len());
    for (k, a) in kept.items.iter().zip(&api.items) {
        assert_eq!(k.key, a.key.to_string());
        assert_eq!(k.outcome.as_str(), a.outcome);
    }
    assert_eq!(
        kept.item("extend-detention").map(|i| i.outcome),
        Some(Outcome::Prohibited)
    );
}

#[test]
fn a_record_kept_before_the_format_field_reads_as_format_1() {
    let kept = Decided::new(lib(), &detainer_hold())
        .unwrap()
        .decision()
        .clone();
    let mut old = serde_json::to_value(&kept).unwrap();
    old.as_object_mut().unwrap().remove("format");
    let read = StoredDecision::parse(&old.to_string()).unwrap();
    assert_eq!(read, kept);
}

#[test]
fn a_decision_from_a_newer_trustgate_or_a_damaged_one_is_refused() {
    let kept = Decided::new(lib(), &detainer_hold())
        .unwrap()
        .decision()
        .clone();
    let mut newer = serde_json::to_value(&kept).unwrap();
    newer["format"] = 2.into();
    let e = StoredDecision::parse(&newer.to_string()).unwrap_err();
    assert!(e.to_string().contains("format 2"), "{e}");

    let mut damaged = serde_json::to_value(&kept).unwrap();
    damaged["items"][0]["outcome"] = "forbidden".into();
    let e = StoredDecision::parse(&damaged.to_string()).unwrap_err();
    assert!(e.to_string().contains("forbidden"), "{e}");

    assert!(StoredDecision::parse("{}").is_err());
    assert!(scenario::parse("{\"place\": 3}").is_err());
}

#[test]
fn a_prohibited_act_done_is_a_compliance_exception_routed_by_department() {
    let intake = Intake::new(lib(), body(detainer_hold(), &["extend-detention"])).unwrap();
    assert_eq!(intake.prohibited(), ["extend-detention"]);
    assert_eq!(intake.routed_to(), Office::ProfessionalStandards);
    assert_eq!(intake.contact().kind, ContactKind::Detainer);
    // What is kept is what was decided.
    assert_eq!(
        StoredDecision::parse(&intake.contact().decision).unwrap(),
        *intake.decision()
    );
    let kept = scenario::parse(&intake.contact().scenario).unwrap();
    assert_eq!(scenario::one(&kept, "department"), Some("police"));
    assert_eq!(scenario::set(&kept, "documents"), ["detainer-hold"]);

    // Nothing done: nothing flagged, the same duties opened.
    let clean = Intake::new(lib(), body(detainer_hold(), &[])).unwrap();
    assert!(clean.prohibited().is_empty());
    assert_eq!(clean.opened(), intake.opened());
    // Every opened duty is one the decision triggered for certain.
    for o in clean.opened() {
        let d = clean.decision().obligations.iter().find(|d| d.id == o.id);
        assert!(d.is_some_and(|d| d.certain), "{}", o.id);
    }
}

#[test]
fn a_school_exception_goes_to_the_superintendent_and_others_to_the_city_manager() {
    let mut s = detainer_hold();
    s.facts.insert(
        "department".into(),
        trustgate_api::FactInput::One("school".into()),
    );
    let i = Intake::new(lib(), body(s.clone(), &[])).unwrap();
    assert_eq!(i.routed_to(), Office::Superintendent);
    s.facts.remove("department");
    let i = Intake::new(lib(), body(s, &[])).unwrap();
    assert_eq!(i.routed_to(), Office::CityManager);
}

fn path_of(e: IntakeError) -> (String, String) {
    match e {
        IntakeError::Invalid(e) | IntakeError::Scenario(e) => (e.path, e.message),
        IntakeError::Decision(e) => panic!("{e}"),
        IntakeError::Engine(e) => panic!("{e}"),
    }
}

#[test]
fn every_refusal_names_its_json_path() {
    let e = Intake::new(lib(), body(detainer_hold(), &["detain"])).unwrap_err();
    let (path, message) = path_of(e);
    assert_eq!(path, "$.acts_done[0]");
    assert!(
        message.contains("`detain` was not asked about"),
        "{message}"
    );

    let mut b = body(detainer_hold(), &[]);
    b.kind = "subpoena".into();
    let (path, message) = path_of(Intake::new(lib(), b).unwrap_err());
    assert_eq!(path, "$.kind");
    assert!(message.contains("expected one of: detainer,"), "{message}");

    let mut b = body(detainer_hold(), &[]);
    b.obligations_due
        .insert("no-such-duty".into(), "2026-03-02T10:00:00Z".into());
    let (path, message) = path_of(Intake::new(lib(), b).unwrap_err());
    assert_eq!(path, "$.obligations_due");
    assert!(
        message.contains("`no-such-duty` is not an obligation"),
        "{message}"
    );

    let mut s = detainer_hold();
    s.facts.insert(
        "requester".into(),
        trustgate_api::FactInput::One("fbi?".into()),
    );
    let e = Intake::new(lib(), body(s, &[])).unwrap_err();
    assert!(matches!(e, IntakeError::Scenario(_)));
    assert_eq!(path_of(e).0, "$.scenario.facts.requester");
}

/// Only the 2.129.060 duties are performed by recording; a citation that
/// merely starts with the same digits is not one.
#[test]
fn only_the_reports_own_duties_are_performed_by_recording() {
    use trustgate_records::performed_by_recording;
    assert!(performed_by_recording("2.129.060(a)"));
    assert!(performed_by_recording(" 2.129.060(e)"));
    assert!(!performed_by_recording("2.129.040(g)"));
    assert!(!performed_by_recording("2.129.0600"));
    // Submitting the report and putting it on the agenda are acts of their own.
    assert!(!performed_by_recording("2.129.060"));
}

/// Replay finds exactly the items whose answer differs: none on the record's
/// own day, the release date on a day before 2.129 was passed (and that the
/// act done would no longer be flagged), and a kept answer altered since.
#[test]
fn replay_names_the_items_that_would_come_out_differently() {
    use trustgate_records::replay;
    let s = detainer_hold();
    let intake = Intake::new(lib(), body(s.clone(), &["disclose.release-date"])).unwrap();
    let kept = intake.decision();
    let done = ["disclose.release-date".to_owned()];
    assert_eq!(
        kept.item("disclose.release-date").map(|i| i.outcome),
        Some(Outcome::Prohibited)
    );
    assert!(replay(lib(), &s, kept, &done, None).unwrap().is_empty());

    let before = replay(lib(), &s, kept, &done, Some("2019-06-01")).unwrap();
    // Before 2.129, its duties fall away: the copy to the person and the
    // 2.129.060 report among them.
    for id in ["copy-to-person", "report-060a"] {
        assert!(
            before.duties.iter().any(|d| d.id == id && !d.now),
            "{id}: {:?}",
            before.duties
        );
    }
    assert!(before.duties.iter().all(|d| !d.now), "{:?}", before.duties);
    let release = before
        .items
        .iter()
        .find(|c| c.key == "disclose.release-date")
        .expect("the release date was not barred before 2.129");
    assert_eq!(release.then, Some(Outcome::Prohibited));
    assert_ne!(release.now, Some(Outcome::Prohibited));
    assert!(release.done && release.flags_differently());

    let mut altered = kept.clone();
    for i in &mut altered.items {
        if i.key == "extend-detention" {
            i.outcome = Outcome::Permitted;
        }
    }
    altered.obligations.retain(|o| o.id != "copy-to-person");
    let replayed = replay(lib(), &s, &altered, &done, None).unwrap();
    assert_eq!(replayed.duties.len(), 1, "{:?}", replayed.duties);
    assert!(replayed.duties[0].id == "copy-to-person" && replayed.duties[0].now);
    let changed = replayed.items;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].key, "extend-detention");
    assert_eq!(changed[0].now, Some(Outcome::Prohibited));
    assert!(!changed[0].flags_differently(), "not done");
}
