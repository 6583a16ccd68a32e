//! The same information request answered by trustgate, Cedar and Rego
//! (regorus): which fields the Cambridge Police Department may not disclose.
//!
//! The fact space is the one those rules read: who asks, whether the person
//! is in police custody, an adult arrestee logged publicly or not, whether
//! a law requires the disclosure, and what the federal operation is for.
//! [`Scenario::random`] draws from it; the cross-check (`src/main.rs
//! check`) holds the three engines to the same answer on every draw.

use std::str::FromStr;

use cedar_policy::RestrictedExpression as Expr;
use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use trustgate_law::{FactValue, Library, Outcome, Source};

/// The fields of the request measured: seven, as an ICE request for a
/// person in custody usually lists.
pub const FIELDS: [&str; 7] = [
    "name",
    "home-address",
    "release-date",
    "immigration-status",
    "criminal-history",
    "charges",
    "incarceration-status",
];

const REQUESTERS: [&str; 7] = [
    "ice-ero",
    "ice-hsi",
    "cbp",
    "fbi",
    "federal-other",
    "state-police",
    "public",
];
const CUSTODY: [&str; 3] = ["in-police-custody", "released", "not-in-custody"];
const PURPOSES: [&str; 3] = ["civil-immigration", "other-criminal", "human-trafficking"];

/// One information request to the Police Department.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub requester: &'static str,
    pub custody: &'static str,
    pub adult: bool,
    pub arrested: bool,
    pub separate_log: bool,
    pub legal_mandate: bool,
    pub purpose: &'static str,
    pub fields: Vec<&'static str>,
}

impl Scenario {
    /// The request measured: ICE asks for seven fields about an adult
    /// arrestee in custody, publicly logged.
    pub fn measured() -> Scenario {
        Scenario {
            requester: "ice-ero",
            custody: "in-police-custody",
            adult: true,
            arrested: true,
            separate_log: false,
            legal_mandate: false,
            purpose: "civil-immigration",
            fields: FIELDS.to_vec(),
        }
    }

    /// A draw from the fact space (xorshift64*, so a seed gives the same
    /// scenarios on every machine).
    pub fn random(state: &mut u64) -> Scenario {
        let mut next = |n: usize| -> usize {
            *state ^= *state >> 12;
            *state ^= *state << 25;
            *state ^= *state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        };
        let mut fields: Vec<&'static str> =
            FIELDS.iter().copied().filter(|_| next(2) == 1).collect();
        if fields.is_empty() {
            fields.push(FIELDS[next(FIELDS.len())]);
        }
        Scenario {
            requester: REQUESTERS[next(REQUESTERS.len())],
            custody: CUSTODY[next(CUSTODY.len())],
            adult: next(2) == 1,
            arrested: next(2) == 1,
            separate_log: next(2) == 1,
            legal_mandate: next(2) == 1,
            purpose: PURPOSES[next(PURPOSES.len())],
            fields,
        }
    }
}

/// trustgate with its built-in packs, Cambridge on 1 March 2026.
pub struct Trustgate {
    lib: Library,
    date: trustgate_law::Date,
}

impl Trustgate {
    pub fn new() -> Trustgate {
        let sources: Vec<Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| Source { name, text })
            .collect();
        Trustgate {
            lib: Library::load(&sources).expect("the built-in packs load"),
            date: trustgate_law::Date::parse("2026-03-01").expect("a date"),
        }
    }

    /// The query for `s`.
    pub fn query(&self, s: &Scenario) -> trustgate_law::Query {
        let mut q = self.lib.query("cambridge", self.date).expect("cambridge");
        let one = |q: &mut trustgate_law::QueryBuilder<'_>, f: &str, v: &str| {
            q.fact(f, FactValue::One(v)).expect(f);
        };
        one(&mut q, "department", "police");
        one(&mut q, "requester", s.requester);
        one(&mut q, "custody", s.custody);
        one(
            &mut q,
            "age-group",
            if s.adult { "adult" } else { "juvenile" },
        );
        one(&mut q, "operation-purpose", s.purpose);
        for (f, v) in [
            ("arrested", s.arrested),
            ("separate-log", s.separate_log),
            ("legal-mandate", s.legal_mandate),
        ] {
            q.fact(f, FactValue::Bool(v)).expect(f);
        }
        q.ask_fields("disclose", &s.fields).expect("fields");
        q.build()
    }

    /// Which fields are prohibited (a conflict counts: it is not allowed).
    pub fn prohibited(
        &self,
        q: &trustgate_law::Query,
        d: &mut trustgate_law::Decision,
    ) -> Vec<bool> {
        self.lib.decide_into(q, d);
        d.outcomes()
            .map(|o| matches!(o, Outcome::Prohibited | Outcome::Conflict))
            .collect()
    }

    /// The decision with its citations read out, as an officer's answer
    /// gives them: the deciding rules' citations, per field.
    pub fn cited(&self, q: &trustgate_law::Query, d: &mut trustgate_law::Decision) -> usize {
        self.lib.decide_into(q, d);
        let ex = self.lib.explain(q, d);
        ex.items()
            .map(|i| i.deciding().map(|r| r.cite().len()).sum::<usize>())
            .sum()
    }

    pub fn decision(&self) -> trustgate_law::Decision {
        trustgate_law::Decision::default()
    }
}

impl Default for Trustgate {
    fn default() -> Self {
        Trustgate::new()
    }
}

/// Cedar 4.14: one request per field (Cedar decides one action on one
/// resource), the facts in the context.
pub struct Cedar {
    policies: PolicySet,
    authorizer: Authorizer,
    entities: Entities,
    officer: EntityUid,
    disclose: EntityUid,
    record: EntityUid,
}

impl Cedar {
    pub fn new() -> Cedar {
        Cedar {
            policies: PolicySet::from_str(include_str!("policies.cedar"))
                .expect("the Cedar policies parse"),
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
            officer: EntityUid::from_str(r#"Officer::"desk""#).expect("uid"),
            disclose: EntityUid::from_str(r#"Action::"disclose""#).expect("uid"),
            record: EntityUid::from_str(r#"Person::"record""#).expect("uid"),
        }
    }

    /// Which fields are denied.
    pub fn prohibited(&self, s: &Scenario) -> Vec<bool> {
        s.fields
            .iter()
            .map(|field| {
                let context = Context::from_pairs([
                    (
                        "department".to_owned(),
                        Expr::new_string("police".to_owned()),
                    ),
                    (
                        "requester".to_owned(),
                        Expr::new_string(s.requester.to_owned()),
                    ),
                    ("custody".to_owned(), Expr::new_string(s.custody.to_owned())),
                    (
                        "age".to_owned(),
                        Expr::new_string(if s.adult { "adult" } else { "juvenile" }.to_owned()),
                    ),
                    ("arrested".to_owned(), Expr::new_bool(s.arrested)),
                    ("separate_log".to_owned(), Expr::new_bool(s.separate_log)),
                    ("legal_mandate".to_owned(), Expr::new_bool(s.legal_mandate)),
                    ("purpose".to_owned(), Expr::new_string(s.purpose.to_owned())),
                    ("field".to_owned(), Expr::new_string((*field).to_owned())),
                ])
                .expect("context");
                let request = Request::new(
                    self.officer.clone(),
                    self.disclose.clone(),
                    self.record.clone(),
                    context,
                    None,
                )
                .expect("request");
                self.authorizer
                    .is_authorized(&request, &self.policies, &self.entities)
                    .decision()
                    == Decision::Deny
            })
            .collect()
    }
}

impl Default for Cedar {
    fn default() -> Self {
        Cedar::new()
    }
}

/// Rego, on regorus 0.14: one evaluation per request.
pub struct Rego {
    engine: regorus::Engine,
}

impl Rego {
    pub fn new() -> Rego {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy(
                "policies.rego".to_owned(),
                include_str!("policies.rego").to_owned(),
            )
            .expect("the Rego policy parses");
        Rego { engine }
    }

    /// Which fields are prohibited.
    pub fn prohibited(&mut self, s: &Scenario) -> Vec<bool> {
        let input = serde_json::json!({
            "department": "police",
            "requester": s.requester,
            "custody": s.custody,
            "age": if s.adult { "adult" } else { "juvenile" },
            "arrested": s.arrested,
            "separate_log": s.separate_log,
            "legal_mandate": s.legal_mandate,
            "purpose": s.purpose,
            "fields": s.fields,
        });
        self.engine
            .set_input_json(&input.to_string())
            .expect("input");
        let out = self
            .engine
            .eval_rule("data.cambridge.prohibited".to_owned())
            .expect("eval");
        let set = out.as_set().expect("a set");
        s.fields
            .iter()
            .map(|f| set.contains(&regorus::Value::from(*f)))
            .collect()
    }
}

impl Default for Rego {
    fn default() -> Self {
        Rego::new()
    }
}
