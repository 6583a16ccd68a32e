//! # trustgate-api: the JSON contract
//!
//! What callers send (a [`Scenario`]) and receive (a [`Decision`], or an
//! [`ErrorBody`]), shared by `trustgate check --json` and the server's
//! `/api/v1`. These are the only serialisable types in trustgate; the engine's
//! own types are not, so the contract changes only on purpose. Both the JSON
//! Schema (`docs/check-output.schema.json`) and the OpenAPI document
//! (`docs/openapi.json`) are generated from these types and snapshot-tested.
//!
//! This crate knows nothing of HTTP or files.

mod catalogue;
mod decision;
mod error;
mod scenario;

pub use catalogue::{ActEntry, Catalogue, FactEntry, PlaceEntry, ValueEntry};
pub use decision::{
    Decision, Detail, Doubt, Item, Law, LawRef, Obligation, Period, Place, Question, Rule, Weighed,
    kind,
};
pub use error::ErrorBody;
pub use scenario::{
    ActInput, FactInput, InputError, Scenario, json_path, plain, scenario_from_json,
};
