//! What can go wrong in the store, the clock it is given, and the checked
//! conversions between stored and domain values.

use std::fmt;
use std::str::FromStr;

use trustgate_access::Permission;
use trustgate_audit::Hash;

/// Everything that can go wrong in the store. No database type crosses this
/// boundary: backend errors are carried as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No such record (`contact/<id>`).
    #[error("no such record: {0}")]
    NotFound(String),
    /// The input cannot be recorded (bad JSON, an unknown kind, …).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// One field's value is refused; `field` is its name in the API's JSON.
    #[error("invalid {field}: {message}")]
    Field {
        /// The field (`amount_cents`, `received_on`, …).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The record exists already (an account's username).
    #[error("already exists: {0}")]
    Conflict(String),
    /// What is stored is not what the store writes (a broken audit head, an
    /// unknown stored kind, …).
    #[error("the stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(String),
    /// The principal may not do this (the refusal is in the audit log).
    #[error("not permitted: {0}")]
    Forbidden(Permission),
}

pub(crate) fn db(e: impl fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The time source. Only the CLI reads the clock, so the caller supplies it.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Now, in UTC milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

pub(crate) fn parse_stored<T: FromStr>(s: &str) -> Result<T, StoreError>
where
    T::Err: fmt::Display,
{
    s.parse()
        .map_err(|e: T::Err| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn hash_of(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("a stored hash has {} bytes", bytes.len())))
}

pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n)
        .map_err(|_| StoreError::Corrupt(format!("{n} does not fit a database integer")))
}

pub(crate) fn seq_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative sequence number {n}")))
}
