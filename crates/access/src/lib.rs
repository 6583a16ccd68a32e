//! # trustgate-access: who may do what
//!
//! The records are about people's liberty, so every record route asks one
//! question of this crate: may this role (or this token's scopes) do this?
//! The answer is a fixed table ([`Role::may`]), small enough to read in one
//! sitting and tested route by route in the server.
//!
//! Also here, because they decide whether a caller is who they claim:
//! argon2id passwords ([`password`]), RFC 6238 TOTP second factors
//! ([`totp`]) and random bearer tokens stored only as hashes ([`token`]).
//! The crate is pure: no I/O and no clock (callers pass the time in), so
//! lockout and idle rules live beside the data in the store.

pub mod enrolment;
pub mod password;
pub mod token;
pub mod totp;

mod role;

pub use role::{Permission, Role, UnknownName};

/// How long a session may sit idle before it ends (CJIS Security Policy
/// 5.5.5: a session lock after at most 30 minutes of inactivity).
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;

/// Failed sign-ins from one source within [`LOCKOUT_WINDOW_MS`] before the
/// name locks for that source (CJIS Security Policy 5.5.3: no more than 5
/// consecutive invalid attempts). Per source, so an attacker elsewhere
/// cannot lock its owner out.
pub const MAX_FAILED_SIGN_INS: i64 = 5;

/// The window in which failed sign-ins count towards a lockout or the brake.
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;

/// How long a name stays locked for the source that failed
/// (CJIS 5.5.3 asks for at least 10 minutes).
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// Failed sign-ins on one name from all sources within
/// [`LOCKOUT_WINDOW_MS`] after which sources it never signed in from are
/// braked (four sources' worth of lockouts: a distributed guess).
pub const BRAKE_AFTER: i64 = 20;

/// While braked, one attempt at the name from an untrusted source per this
/// long, whatever the number of sources. Trusted sources are not braked.
pub const BRAKE_SPACING_MS: i64 = 60 * 1000;

/// A source from which a name signed in stays trusted this long after.
pub const TRUSTED_SOURCE_MS: i64 = 90 * 24 * 60 * 60 * 1000;
