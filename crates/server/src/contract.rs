//! What the OpenAPI document says beyond the handlers' own attributes, from
//! the same constants and lists the code checks against, so the two cannot
//! drift: the closed sets of names (kinds, channels, roles, scopes, offices,
//! withholding grounds), the store's length limits, the cookie credential,
//! and the statuses every route answers because of its shape (credentials,
//! a JSON body, query or path parameters).

use serde_json::Value;
use trustgate_access::{Permission, Role};
use trustgate_store::{Channel, ContactKind, Office, limits};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ArrayItems, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};

use crate::params::Closed;

/// Applies everything below to the document the routes produced.
pub(crate) fn complete(doc: &mut OpenApi) {
    vocabulary(doc);
    credentials(doc);
    statuses(doc);
}

fn names<T: Closed>() -> Vec<Value> {
    T::names().into_iter().map(Value::from).collect()
}

fn every_permission() -> Vec<Value> {
    Permission::ALL
        .iter()
        .map(|p| Value::from(p.as_str()))
        .collect()
}

fn grounds() -> Vec<Value> {
    trustgate_report::WITHHOLDING_GROUNDS
        .iter()
        .map(|(k, _)| Value::from(*k))
        .collect()
}

/// What one property may hold.
enum Rule {
    OneOf(Vec<Value>),
    /// Items of an array property, each one of these.
    EachOf(Vec<Value>),
    /// 1 to `max` characters on one line, not blank, no control character
    /// (as the store's `text::line` checks).
    Text(usize),
    /// 1 to `max` characters, lines allowed (`text::block`).
    Block(usize),
    /// 0 to `max` characters, lines allowed.
    MaybeEmpty(usize),
    /// A day, YYYY-MM-DD.
    Date,
    /// A UTC instant, `2026-03-01T14:05:00Z`.
    Instant,
    /// At least `min`.
    AtLeast(i64),
    Pattern(&'static str),
    /// An array with at least one item.
    NonEmpty,
}

fn vocabulary(doc: &mut OpenApi) {
    let kinds = names::<ContactKind>();
    let channels = names::<Channel>();
    let roles = names::<Role>();
    let offices = names::<Office>();
    let rules: Vec<(&str, &str, Rule)> = vec![
        ("RecordContact", "kind", Rule::OneOf(kinds.clone())),
        ("RecordContact", "channel", Rule::OneOf(channels.clone())),
        (
            "RecordContact",
            "receiving_unit",
            Rule::Text(limits::RECEIVING_UNIT),
        ),
        ("RecordContact", "done_by", Rule::Text(limits::DONE_BY)),
        (
            "RecordContact",
            "late_entry",
            Rule::Block(limits::LATE_ENTRY),
        ),
        ("RecordContact", "withheld", Rule::OneOf(grounds())),
        ("RecordContact", "received_at", Rule::Instant),
        ("PersonInput", "name", Rule::Text(limits::PERSON_NAME)),
        ("PersonInput", "address", Rule::Text(limits::PERSON_ADDRESS)),
        ("PersonInput", "date_of_birth", Rule::Date),
        ("RecordReimbursement", "amount_cents", Rule::AtLeast(1)),
        ("RecordReimbursement", "received_on", Rule::Date),
        (
            "RecordReimbursement",
            "reference",
            Rule::Text(limits::REFERENCE),
        ),
        ("Explain", "text", Rule::Block(limits::EXPLANATION)),
        ("FulfilObligation", "note", Rule::MaybeEmpty(limits::NOTE)),
        (
            "NewAccountRequest",
            "username",
            Rule::Pattern(limits::USERNAME_PATTERN),
        ),
        ("NewAccountRequest", "role", Rule::OneOf(roles.clone())),
        ("NewTokenRequest", "name", Rule::Text(limits::TOKEN_NAME)),
        (
            "NewTokenRequest",
            "scopes",
            Rule::EachOf(names::<Permission>()),
        ),
        ("NewTokenRequest", "scopes", Rule::NonEmpty),
        // What comes back holds the same names.
        ("ContactView", "kind", Rule::OneOf(kinds.clone())),
        ("ContactView", "channel", Rule::OneOf(channels.clone())),
        ("ContactView", "withheld", Rule::OneOf(grounds())),
        ("ContactSummaryView", "kind", Rule::OneOf(kinds)),
        ("ContactSummaryView", "channel", Rule::OneOf(channels)),
        ("ExceptionView", "routed_to", Rule::OneOf(offices.clone())),
        ("Recorded", "routed_to", Rule::OneOf(offices)),
        ("SessionCreated", "role", Rule::OneOf(roles.clone())),
        ("Me", "role", Rule::OneOf(roles.clone())),
        ("Me", "permissions", Rule::EachOf(every_permission())),
        ("AccountView", "role", Rule::OneOf(roles.clone())),
        ("AccountCreated", "role", Rule::OneOf(roles)),
        (
            "TokenCreated",
            "scopes",
            Rule::EachOf(names::<Permission>()),
        ),
    ];
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (schema, field, rule) in rules {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
            continue;
        };
        let Some(RefOr::T(property)) = object.properties.get_mut(field) else {
            continue;
        };
        apply(property, rule);
    }
}

fn apply(property: &mut Schema, rule: Rule) {
    match (property, rule) {
        (Schema::Array(array), Rule::EachOf(values)) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items
                && let RefOr::T(Schema::Object(item)) = items.as_mut()
            {
                item.enum_values = Some(values);
            }
        }
        (Schema::Array(array), Rule::NonEmpty) => array.min_items = Some(1),
        (Schema::Object(o), rule) => {
            let nullable = matches!(&o.schema_type, utoipa::openapi::schema::SchemaType::Array(t) if t.contains(&Type::Null));
            match rule {
                Rule::OneOf(mut values) => {
                    if nullable {
                        values.push(Value::Null);
                    }
                    o.enum_values = Some(values);
                }
                Rule::Text(max) => {
                    o.min_length = Some(1);
                    o.max_length = Some(max);
                    o.pattern = Some(limits::LINE_PATTERN.into());
                }
                Rule::Block(max) => {
                    o.min_length = Some(1);
                    o.max_length = Some(max);
                    o.pattern = Some(limits::BLOCK_PATTERN.into());
                }
                Rule::MaybeEmpty(max) => {
                    o.max_length = Some(max);
                    o.pattern = Some(limits::BLOCK_OR_EMPTY_PATTERN.into());
                }
                Rule::Date => {
                    o.format = Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Date,
                    ));
                }
                Rule::Instant => {
                    o.pattern = Some(
                        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$"
                            .into(),
                    );
                    o.format = Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::DateTime,
                    ));
                }
                Rule::AtLeast(min) => o.minimum = Some(min.into()),
                Rule::Pattern(p) => o.pattern = Some(p.into()),
                Rule::EachOf(_) | Rule::NonEmpty => {}
            }
        }
        _ => {}
    }
}

/// The staff pages' cookie carries the same session token as a bearer
/// credential; a route that takes one takes either (never both).
fn credentials(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::ui::session::SESSION_COOKIE,
                "The staff pages' session (changes must come from this site: `Origin` or `Sec-Fetch-Site`)",
            ))),
        );
    }
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations(item) {
            if let Some(security) = op.security.as_mut()
                && !security.is_empty()
            {
                security.push(SecurityRequirement::new("session", Vec::<String>::new()));
            }
        }
    }
}

/// A path's operations, each with whether its method is safe (a change
/// made with the cookie must come from this site; a read need not).
fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (bool, &mut Operation)> {
    [
        (true, item.get.as_mut()),
        (false, item.put.as_mut()),
        (false, item.post.as_mut()),
        (false, item.delete.as_mut()),
        (false, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(safe, op)| op.map(|op| (safe, op)))
}

/// The statuses a route answers because of its shape, added where its own
/// attribute did not say them (it then says why in its own words).
fn statuses(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for (safe, op) in operations(item) {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let body = op.request_body.is_some();
            let params = op.parameters.as_deref().unwrap_or_default();
            let query = params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query));
            let path = params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Path));
            let mut add: Vec<(&str, &str)> = Vec::new();
            if body || query || secured {
                add.push((
                    "400",
                    "Bad input: not JSON or not the body's shape (`bad-json`, `path` says where), a query parameter out of its range (`bad-parameter`, `path` names it), or two credentials at once (`two-credentials`)",
                ));
            }
            if secured {
                add.push((
                    "401",
                    "No credential, or one that does not authenticate (`sign-in-required`), or a session ended by 30 idle minutes (`session-expired`)",
                ));
            }
            if secured && !safe {
                add.push((
                    "403",
                    "A change made with the session cookie that did not come from this site (`cross-site`), or a role or token that does not allow it (`forbidden`, audited)",
                ));
            }
            if path {
                add.push(("404", "Nothing here (`not-found`)"));
            }
            if body {
                add.push(("413", "The body is over 64 KiB (`too-large`)"));
                add.push((
                    "415",
                    "The body is not `Content-Type: application/json` (`unsupported-media-type`)",
                ));
            }
            for (status, description) in add {
                if !op.responses.responses.contains_key(status) {
                    op.responses.responses.insert(
                        status.to_owned(),
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/json",
                                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                                )
                                .build(),
                        ),
                    );
                }
            }
        }
    }
}
