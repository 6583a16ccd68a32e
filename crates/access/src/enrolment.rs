//! Enrolment codes: what an administrator hands a new colleague (or one
//! who lost their phone) so that they set their own password and
//! authenticator; no administrator ever knows another's credentials.
//!
//! A code is 100 random bits in base32, grouped for reading aloud
//! (`ABCD-EFGH-IJKL-MNOP-QRST`); only its SHA-256 is stored. Typing is
//! forgiving: case, spaces and dashes do not matter.

use sha2::{Digest as _, Sha256};

/// The password hash of an account awaiting enrolment: not a PHC string,
/// so no password verifies against it.
pub const UNUSABLE_PASSWORD: &str = "!awaiting-enrolment";

/// How long a code stays valid.
pub const ENROLMENT_VALID_MS: i64 = 72 * 60 * 60 * 1000;

/// A new code, and the hash to store.
pub fn issue() -> Result<(String, [u8; 32]), getrandom::Error> {
    let mut bytes = [0u8; 13];
    getrandom::fill(&mut bytes)?;
    let raw: String = crate::totp::base32(&bytes).chars().take(20).collect();
    let grouped = raw
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    let hash = hash(&grouped);
    Ok((grouped, hash))
}

/// The hash of a code as typed.
pub fn hash(typed: &str) -> [u8; 32] {
    let canonical: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Sha256::digest(canonical.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn codes_are_grouped_random_and_forgiving_to_type() {
        let (a, ha) = issue().unwrap();
        let (b, _) = issue().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 24, "{a}");
        assert_eq!(a.matches('-').count(), 4, "{a}");
        assert_eq!(hash(&a), ha);
        assert_eq!(hash(&a.to_lowercase().replace('-', " ")), ha);
        assert_ne!(hash(&b), ha);
    }
}
