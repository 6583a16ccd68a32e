//! Query parameters as typed structs: each route's struct derives both its
//! parsing (`Deserialize`) and its OpenAPI description (`IntoParams`), and
//! each value type ([`Bounded`], [`OneOf`], [`Day`]) both checks a value and
//! describes the values it takes, so the document and the parsing cannot
//! drift. A bad value answers 400 naming the parameter; nothing is clamped.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use trustgate_access::{Permission, Role};
use trustgate_api::Detail;
use trustgate_store::{Channel, ContactKind, Office};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::AppError;

/// The largest sequence number or size of the audit log, and the largest
/// record id: the store keeps them in signed 64 bits.
pub(crate) const ID_MAX: u64 = i64::MAX as u64;

/// The most contacts one page lists.
pub(crate) const LIMIT_MAX: u64 = 500;

/// The most audit log entries one request reads (`to - from`).
pub(crate) const ENTRIES_MAX: u64 = 1000;

/// Parses a query string into `T`; an error names the parameter.
pub(crate) fn parse<T: DeserializeOwned>(query: Option<&str>) -> Result<T, AppError> {
    let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes());
    serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs)).map_err(|e| {
        let message = e.inner().to_string();
        let name = match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) => key.clone(),
            // A missing or repeated parameter is reported on the whole
            // query; serde names it between backticks.
            _ => message.split('`').nth(1).unwrap_or_default().to_owned(),
        };
        let message = if message.contains(&format!("`{name}`")) {
            message
        } else {
            format!("`{name}`: {message}")
        };
        AppError::BadParameter { name, message }
    })
}

/// A whole number from `MIN` to `MAX`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounded<const MIN: u64, const MAX: u64>(pub(crate) u64);

impl<'de, const MIN: u64, const MAX: u64> serde::Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const MIN: u64, const MAX: u64>;
        impl<const MIN: u64, const MAX: u64> Visitor<'_> for V<MIN, MAX> {
            type Value = Bounded<MIN, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a whole number from {MIN} to {MAX}")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                if (MIN..=MAX).contains(&n) {
                    Ok(Bounded(n))
                } else {
                    Err(E::custom(format!(
                        "must be a whole number from {MIN} to {MAX}, found {n}"
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                match s.parse::<u64>() {
                    // `+5`, `05`: Rust's parser takes them, the document does not.
                    Ok(n) if !s.starts_with('+') && (s == "0" || !s.starts_with('0')) => {
                        self.visit_u64(n)
                    }
                    _ => Err(E::custom(format!(
                        "must be a whole number from {MIN} to {MAX}, found `{s}`"
                    ))),
                }
            }
        }
        d.deserialize_str(V::<MIN, MAX>)
    }
}

impl<const MIN: u64, const MAX: u64> PartialSchema for Bounded<MIN, MAX> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(MIN))
            .maximum(Some(MAX))
            .into()
    }
}

impl<const MIN: u64, const MAX: u64> ToSchema for Bounded<MIN, MAX> {}

/// A closed set of names: every value and its spelling.
pub(crate) trait Closed: Copy + 'static {
    fn all() -> &'static [Self];
    fn name(self) -> &'static str;
    /// The names, in order (for the document and for messages).
    fn names() -> Vec<&'static str> {
        Self::all().iter().map(|v| v.name()).collect()
    }
}

macro_rules! closed {
    ($($t:ty),*) => {$(
        impl Closed for $t {
            fn all() -> &'static [Self] {
                <$t>::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
        }
    )*};
}
closed!(ContactKind, Channel, Office, Role);

impl Closed for Permission {
    /// An API token carries only these.
    fn all() -> &'static [Self] {
        Permission::INTEGRATION
    }
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Closed for Detail {
    fn all() -> &'static [Self] {
        &[Detail::Brief, Detail::Full]
    }
    fn name(self) -> &'static str {
        match self {
            Detail::Brief => "brief",
            Detail::Full => "full",
        }
    }
}

/// One name of the closed set `T`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OneOf<T>(pub(crate) T);

impl<'de, T: Closed> serde::Deserialize<'de> for OneOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: Closed> Visitor<'_> for V<T> {
            type Value = OneOf<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "one of {}", T::names().join(", "))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<OneOf<T>, E> {
                T::all()
                    .iter()
                    .find(|v| v.name() == s)
                    .map(|v| OneOf(*v))
                    .ok_or_else(|| {
                        E::custom(format!(
                            "must be one of `{}`; found `{s}`",
                            T::names().join("`, `")
                        ))
                    })
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl<T: Closed> PartialSchema for OneOf<T> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(T::names()))
            .into()
    }
}

impl<T: Closed> ToSchema for OneOf<T> {}

/// A day, `YYYY-MM-DD`, of the years 1000 to 9999 ([`trustgate_law::Date`]'s).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Day(pub(crate) trustgate_law::Date);

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a day (YYYY-MM-DD)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Day, E> {
                trustgate_law::Date::parse(s)
                    .map(Day)
                    .map_err(|_| E::custom(format!("must be a day (YYYY-MM-DD), found `{s}`")))
            }
        }
        d.deserialize_str(V)
    }
}

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(DAY_PATTERN))
            .into()
    }
}

impl ToSchema for Day {}

// Plain names for the derives (utoipa's `IntoParams` treats generic
// arguments as schemas to compose).
type DetailName = OneOf<Detail>;
type KindName = OneOf<ContactKind>;
type OfficeName = OneOf<Office>;
type ContactIdValue = Bounded<1, ID_MAX>;
type LimitValue = Bounded<1, LIMIT_MAX>;
/// A sequence number or a size of the audit log.
type SeqValue = Bounded<0, ID_MAX>;

/// The years [`trustgate_law::Date::parse`] takes; `format: date` says the rest.
pub(crate) const DAY_PATTERN: &str = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$";

/// `POST /api/v1/decisions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DecideQuery {
    /// `brief` (default) or `full`: also every rule weighed and why it did or did not apply.
    #[param(inline)]
    pub(crate) detail: Option<DetailName>,
}

/// `GET /api/v1/contacts`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ContactsQuery {
    /// Only contacts with a smaller id (the previous page's `next_before`).
    #[param(inline)]
    pub(crate) before: Option<ContactIdValue>,
    /// How many at most; default 50.
    #[param(inline)]
    pub(crate) limit: Option<LimitValue>,
    /// Only contacts of this kind.
    #[param(inline)]
    pub(crate) kind: Option<KindName>,
    /// Only contacts that came in on or after this day (Cambridge time).
    #[param(inline)]
    pub(crate) from: Option<Day>,
    /// Only contacts that came in on or before this day (Cambridge time); not before `from`.
    #[param(inline)]
    pub(crate) until: Option<Day>,
    /// `true`: only compliance exceptions.
    pub(crate) exceptions: Option<bool>,
}

/// `GET /api/v1/obligations`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ObligationsQuery {
    /// `true`: only those past their due time.
    pub(crate) overdue: Option<bool>,
}

/// `GET /api/v1/compliance-exceptions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExceptionsQuery {
    /// Only those routed to this office.
    #[param(inline)]
    pub(crate) routed_to: Option<OfficeName>,
}

/// `GET /api/v1/audit/entries`: entries `from <= seq < to`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EntriesQuery {
    /// The first entry's sequence number; default 0.
    #[param(inline)]
    pub(crate) from: Option<SeqValue>,
    /// One past the last entry's; default and at most `from` + 1000 (more is refused).
    #[param(inline)]
    pub(crate) to: Option<SeqValue>,
}

/// `GET /api/v1/audit/proofs/inclusion`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct InclusionQuery {
    /// The entry's sequence number.
    #[param(inline)]
    pub(crate) entry: SeqValue,
    /// A tree size, such as a checkpoint's.
    #[param(inline)]
    pub(crate) size: SeqValue,
}

/// `GET /api/v1/audit/proofs/consistency`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ConsistencyQuery {
    /// The older size.
    #[param(inline)]
    pub(crate) from: SeqValue,
    /// The newer size.
    #[param(inline)]
    pub(crate) to: SeqValue,
}
