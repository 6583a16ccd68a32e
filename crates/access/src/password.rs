//! Passwords, hashed with argon2id into PHC strings (which carry their own
//! parameters, so the cost can be raised later without breaking old hashes).
//!
//! Hashing costs tens of milliseconds of one core by design: callers on an
//! async runtime run it on a blocking thread.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted. A second factor is always required as
/// well; NIST SP 800-63B asks for at least 8 characters, and we ask 12.
pub const MIN_LEN: usize = 12;

/// The longest password accepted (argon2 hashes any length; this bounds the
/// work an unauthenticated caller can ask for).
pub const MAX_LEN: usize = 256;

/// How expensive a new hash is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
    Standard,
    /// The smallest parameters argon2 allows: for tests only, where hundreds
    /// of sign-ins share two cores. Hashes made with it still verify, so
    /// never use it for a real account.
    Test,
}

/// Why a password cannot be set or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Too short or too long.
    #[error("a password must be {MIN_LEN} to {MAX_LEN} characters long; this one has {0}")]
    Length(usize),
    /// The stored hash is not an argon2 PHC string.
    #[error("the stored password hash is unreadable: {0}")]
    Stored(String),
    /// The system's random source failed.
    #[error("no random salt could be drawn: {0}")]
    Random(String),
}

fn hasher(cost: Cost) -> Result<Argon2<'static>, PasswordError> {
    let params = match cost {
        Cost::Standard => Params::DEFAULT,
        Cost::Test => Params::new(Params::MIN_M_COST, 1, 1, None)
            .map_err(|e| PasswordError::Stored(e.to_string()))?,
    };
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Checks the length rule (in characters, not bytes).
pub fn check_policy(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if (MIN_LEN..=MAX_LEN).contains(&n) {
        Ok(())
    } else {
        Err(PasswordError::Length(n))
    }
}

/// Hashes a new password (after [`check_policy`]) with a random salt.
pub fn hash(password: &str, cost: Cost) -> Result<String, PasswordError> {
    check_policy(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Random(e.to_string()))?;
    hasher(cost)?
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Stored(e.to_string()))
}

/// Whether `password` matches the stored PHC string. Runs the full hash even
/// for over-long input, so timing does not tell lengths apart.
pub fn verify(password: &str, stored: &str) -> Result<bool, PasswordError> {
    let password = if password.len() > 4 * MAX_LEN {
        ""
    } else {
        password
    };
    match Argon2::default().verify_password(password.as_bytes(), stored) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(PasswordError::Stored(e.to_string())),
    }
}

/// A hash of a random password, verified against when an account does not
/// exist, so a wrong username costs the same time as a wrong password.
pub fn decoy_hash(cost: Cost) -> Result<String, PasswordError> {
    let mut pw = [0u8; 24];
    getrandom::fill(&mut pw).map_err(|e| PasswordError::Random(e.to_string()))?;
    let pw: String = pw.iter().map(|b| char::from(b'a' + b % 26)).collect();
    hash(&pw, cost)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let h = hash("correct horse battery", Cost::Test).unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify("correct horse battery", &h).unwrap());
        assert!(!verify("correct horse batterz", &h).unwrap());
        assert!(!verify("", &h).unwrap());
        assert_ne!(
            h,
            hash("correct horse battery", Cost::Test).unwrap(),
            "salted"
        );
    }

    #[test]
    fn the_standard_cost_is_owasps() {
        let h = hash("correct horse battery", Cost::Standard).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", &h).unwrap());
    }

    #[test]
    fn length_is_counted_in_characters_and_bounded() {
        assert_eq!(check_policy("short"), Err(PasswordError::Length(5)));
        assert!(
            check_policy("ñññññññññññ").is_err(),
            "11 characters, 22 bytes"
        );
        assert!(check_policy("ñññññññññññññ").is_ok());
        assert!(hash(&"x".repeat(MAX_LEN + 1), Cost::Test).is_err());
    }

    #[test]
    fn a_garbled_stored_hash_is_an_error_not_a_mismatch() {
        assert!(matches!(
            verify("whatever", "plaintext"),
            Err(PasswordError::Stored(_))
        ));
    }
}
