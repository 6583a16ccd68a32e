//! Bearer secrets (session tokens and API tokens): 32 random bytes, shown to
//! their holder once, stored only as a SHA-256 hash. A stolen database
//! therefore holds no usable token.

use sha2::{Digest as _, Sha256};

/// What kind of secret a token is, told by its prefix so that a leaked one
/// is recognisable (by people and by secret scanners).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A staff session, from signing in: `tgs_…`.
    Session,
    /// An integration's API token: `tgt_…`.
    Api,
}

impl Kind {
    const fn prefix(self) -> &'static str {
        match self {
            Kind::Session => "tgs_",
            Kind::Api => "tgt_",
        }
    }
}

/// A new secret: the text to hand out once, and the hash to store.
#[derive(Debug)]
pub struct Issued {
    /// The bearer text (prefix + 64 hex digits). Never stored or logged.
    pub secret: String,
    /// What the store keeps.
    pub hash: [u8; 32],
}

/// Draws a new token of `kind`.
pub fn issue(kind: Kind) -> Result<Issued, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let mut secret = String::with_capacity(4 + 64);
    secret.push_str(kind.prefix());
    for b in bytes {
        secret.push(char::from(HEX[usize::from(b >> 4)]));
        secret.push(char::from(HEX[usize::from(b & 15)]));
    }
    let hash = hash(&secret);
    Ok(Issued { secret, hash })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The stored form of a presented secret, if it has the shape of a token of
/// `kind` (anything else is refused before the store is asked).
pub fn parse(kind: Kind, presented: &str) -> Option<[u8; 32]> {
    let rest = presented.strip_prefix(kind.prefix())?;
    (rest.len() == 64 && rest.bytes().all(|b| HEX.contains(&b))).then(|| hash(presented))
}

fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn an_issued_token_parses_to_its_hash_only_as_its_own_kind() {
        let t = issue(Kind::Api).unwrap();
        assert!(t.secret.starts_with("tgt_") && t.secret.len() == 68);
        assert_eq!(parse(Kind::Api, &t.secret), Some(t.hash));
        assert_eq!(parse(Kind::Session, &t.secret), None);
        assert_ne!(issue(Kind::Api).unwrap().hash, t.hash);
    }

    #[test]
    fn malformed_secrets_are_refused() {
        let t = issue(Kind::Session).unwrap();
        for bad in [
            "",
            "tgs_",
            &t.secret[..t.secret.len() - 1],
            &format!("{}0", t.secret),
            &t.secret.to_uppercase(),
        ] {
            assert_eq!(parse(Kind::Session, bad), None, "{bad}");
        }
    }
}
