#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use super::*;
use trustgate_law::Source;

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

const LANGUAGES: &[&str] = &["en", "es", "ht", "pt"];

fn form(against: &str) -> ComplaintForm {
    ComplaintForm {
        what: "An officer asked my neighbour for her papers.\r\nTwice.".into(),
        date: "2026-02-01".into(),
        time: Some("14:30".into()),
        location: "Central Square".into(),
        against: against.into(),
        contact: None,
        language: Some("es".into()),
    }
}

fn file(f: ComplaintForm) -> Result<Filing, ComplaintError> {
    Filing::new(lib(), "cambridge", "2026-03-02", LANGUAGES, f)
}

fn path_of(r: Result<Filing, ComplaintError>) -> String {
    match r {
        Err(ComplaintError::Invalid(e)) => e.path,
        other => panic!("expected a refused field, got {other:?}"),
    }
}

#[test]
fn routing_comes_from_the_law_city_manager_always_and_the_department_besides() {
    let offices = |against: &str| {
        let f = file(form(against)).unwrap();
        let ids: Vec<String> = f.duties().iter().map(|d| d.opened.id.clone()).collect();
        (
            f.offices()
                .iter()
                .map(|o| (*o).to_owned())
                .collect::<Vec<_>>(),
            ids,
        )
    };
    assert_eq!(
        offices("police-employee"),
        (
            vec![
                "city-manager".to_owned(),
                "professional-standards".to_owned()
            ],
            vec![
                "complaint-to-city-manager".to_owned(),
                "complaint-to-professional-standards".to_owned()
            ]
        )
    );
    assert_eq!(
        offices("school-employee").0,
        ["city-manager", "superintendent"]
    );
    assert_eq!(offices("other-city-employee").0, ["city-manager"]);
    assert_eq!(offices("unknown").0, ["city-manager"]);
    let f = file(form("police-employee")).unwrap();
    assert_eq!(f.duties()[0].opened.law, "cambridge-2.129");
    assert_eq!(f.duties()[0].opened.cite, "2.129.050");
}

#[test]
fn a_complaint_no_law_sends_anywhere_is_refused_at_against() {
    // Federal agents are outside 2.129 (the executive order's incidents
    // cover them); "none" is no complaint; Somerville's packs route none.
    for against in ["federal-agent", "none"] {
        let e = file(form(against)).unwrap_err();
        assert!(e.to_string().contains("no law of cambridge"), "{e}");
        assert_eq!(path_of(Err(e)), "$.against");
    }
    let e = Filing::new(
        lib(),
        "somerville",
        "2026-03-02",
        LANGUAGES,
        form("unknown"),
    );
    assert_eq!(path_of(e), "$.against");
    // Not a value of the schema: the engine's message, at the same path.
    let e = file(form("sheriff")).unwrap_err();
    assert!(e.to_string().contains("police-employee"), "{e}");
    assert_eq!(path_of(Err(e)), "$.against");
}

#[test]
fn the_narrative_place_time_and_contact_are_the_sealed_content() {
    let mut f = form("unknown");
    f.contact = Some(Complainant {
        name: Some("  Ana  ".into()),
        email: Some("ana@example.org".into()),
        phone: None,
    });
    let filed = file(f).unwrap();
    let c = filed.content();
    assert_eq!(
        c.what,
        "An officer asked my neighbour for her papers.\nTwice."
    );
    assert_eq!(c.location, "Central Square");
    assert_eq!(c.time.as_deref(), Some("14:30"));
    assert_eq!(c.contact.as_ref().unwrap().name.as_deref(), Some("Ana"));
    assert_eq!(
        (filed.occurred_on(), filed.filed_on()),
        ("2026-02-01", "2026-03-02")
    );
    assert_eq!(filed.language(), Some("es"));
    // Empty contact details are no contact details: anonymous.
    let mut f = form("unknown");
    f.contact = Some(Complainant {
        name: Some(" ".into()),
        email: None,
        phone: Some(String::new()),
    });
    f.time = Some(String::new());
    f.language = None;
    let filed = file(f).unwrap();
    assert_eq!(filed.content().contact, None);
    assert_eq!(filed.content().time, None);
    assert_eq!(filed.language(), None);
    let json = serde_json::to_string(filed.content()).unwrap();
    assert!(json.contains("\"where\":\"Central Square\""), "{json}");
}

#[test]
fn every_refusal_names_its_json_path() {
    type Edit = fn(&mut ComplaintForm);
    let cases: &[(Edit, &str)] = &[
        (|f| f.what = " \n ".into(), "$.what"),
        (|f| f.what = "x".repeat(limits::WHAT + 1), "$.what"),
        (|f| f.what = "a\u{1b}[2Jb".into(), "$.what"),
        (|f| f.what = "a\u{202e}b".into(), "$.what"),
        (|f| f.location = "a\nb".into(), "$.where"),
        (|f| f.location = "x".repeat(limits::WHERE + 1), "$.where"),
        (|f| f.date = "2026-02-30".into(), "$.when.date"),
        (|f| f.date = "yesterday".into(), "$.when.date"),
        (|f| f.date = "2026-03-03".into(), "$.when.date"),
        (|f| f.time = Some("24:00".into()), "$.when.time"),
        (|f| f.time = Some("9:30".into()), "$.when.time"),
        (|f| f.time = Some("+9:30".into()), "$.when.time"),
        (|f| f.language = Some("fr".into()), "$.language"),
        (
            |f| {
                f.contact = Some(Complainant {
                    email: Some("ana at example.org".into()),
                    ..Complainant::default()
                })
            },
            "$.contact.email",
        ),
        (
            |f| {
                f.contact = Some(Complainant {
                    phone: Some("call me".into()),
                    ..Complainant::default()
                })
            },
            "$.contact.phone",
        ),
        (
            |f| {
                f.contact = Some(Complainant {
                    name: Some("x".repeat(limits::NAME + 1)),
                    ..Complainant::default()
                })
            },
            "$.contact.name",
        ),
    ];
    for (edit, path) in cases {
        let mut f = form("unknown");
        edit(&mut f);
        assert_eq!(path_of(file(f.clone())), *path, "{f:?}");
    }
    // At the bounds, it is taken.
    let mut f = form("unknown");
    f.what = "x".repeat(limits::WHAT);
    f.location = "y".repeat(limits::WHERE);
    f.date = "2026-03-02".into();
    f.time = Some("23:59".into());
    assert!(file(f).is_ok());
}

#[test]
fn status_moves_forward_one_step_and_closing_needs_a_disposition() {
    use ComplaintStatus::{Closed, Received, UnderInvestigation};
    let change = |to: &str, d: Option<&str>| StatusChange::new(to, d, "We are on it.".into());
    let investigate = change("under-investigation", None).unwrap();
    let close = change("closed", Some("not-sustained")).unwrap();
    assert_eq!(close.disposition, Some(Disposition::NotSustained));
    assert!(investigate.check_from(Received).is_ok());
    assert!(close.check_from(UnderInvestigation).is_ok());
    for (c, from) in [
        (&close, Received),
        (&close, Closed),
        (&investigate, UnderInvestigation),
        (&investigate, Closed),
    ] {
        let e = c.check_from(from).unwrap_err();
        assert!(matches!(e, ComplaintError::Transition { .. }), "{e}");
    }
    let received = change("received", None).unwrap();
    assert!(received.check_from(UnderInvestigation).is_err());
    let at = |r: Result<StatusChange, ComplaintError>| match r {
        Err(ComplaintError::Invalid(e)) => e.path,
        other => panic!("{other:?}"),
    };
    assert_eq!(at(change("closed", None)), "$.disposition");
    assert_eq!(
        at(change("under-investigation", Some("sustained"))),
        "$.disposition"
    );
    assert_eq!(at(change("closed", Some("guilty"))), "$.disposition");
    assert_eq!(at(change("reopened", None)), "$.status");
    assert_eq!(
        at(StatusChange::new("under-investigation", None, " ".into())),
        "$.notice"
    );
    for d in Disposition::ALL {
        assert!(change("closed", Some(d.as_str())).is_ok());
    }
    assert!(check_note("x".repeat(limits::NOTE + 1)).is_err());
    assert_eq!(
        check_note("line one\r\nline two".into()).unwrap(),
        "line one\nline two"
    );
}
