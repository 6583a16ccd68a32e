//! Personal data sealed at rest: XChaCha20-Poly1305 under a key the operator
//! supplies (never stored in the database), with the key's id stored beside
//! each ciphertext so keys can be rotated. The associated data binds a
//! ciphertext to its record (`contact/<id>`) and key id, so sealed data moved
//! to another record, or relabelled with another key id, fails to open.
//!
//! A keyring file has one key per line, `<id>:<base64 of 32 bytes>`; the
//! first is current (new data is sealed with it), the others are kept only
//! to open older data until `trustgate keys rotate` has re-sealed it.

use std::fmt;

use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use trustgate_audit::encoding::base64;

/// The operator's data keys.
pub struct Keyring {
    /// (id, cipher); the first is current.
    keys: Vec<(String, XChaCha20Poly1305)>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

/// Why a keyring file or a sealed value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The keyring text is wrong at this line (1-based).
    #[error("line {line}: {message}")]
    Keyring { line: usize, message: String },
    /// No key with this id is in the keyring.
    #[error("the data key `{0}` is not in the keyring")]
    MissingKey(String),
    /// The ciphertext does not open: altered, moved or under another key.
    #[error(
        "sealed data does not open: it was altered, moved to another record, or the key is wrong"
    )]
    Tampered,
    /// The system's random source failed.
    #[error("no random nonce could be drawn: {0}")]
    Random(String),
}

const NONCE: usize = 24;

impl Keyring {
    /// Reads a keyring file's text.
    pub fn parse(text: &str) -> Result<Keyring, SealError> {
        let mut keys = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: &str| SealError::Keyring {
                line: i + 1,
                message: message.to_owned(),
            };
            let (id, b64) = line
                .split_once(':')
                .ok_or_else(|| err("expected `<id>:<base64 key>`"))?;
            if id.is_empty()
                || id.len() > 64
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            {
                return Err(err("a key id is 1 to 64 of A-Z, a-z, 0-9, `-`, `_`, `.`"));
            }
            if keys.iter().any(|(k, _)| k == id) {
                return Err(err("this key id is already in the keyring"));
            }
            let bytes =
                base64::decode_lenient(b64.trim()).ok_or_else(|| err("the key is not base64"))?;
            let cipher =
                XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| err("a key is 32 bytes"))?;
            keys.push((id.to_owned(), cipher));
        }
        if keys.is_empty() {
            return Err(SealError::Keyring {
                line: 0,
                message: "the keyring has no key".into(),
            });
        }
        Ok(Keyring { keys })
    }

    /// A new random key as a keyring line.
    pub fn new_key_line(id: &str) -> Result<String, SealError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| SealError::Random(e.to_string()))?;
        let line = format!("{id}:{}", base64::encode(&key));
        Keyring::parse(&line)?;
        Ok(line)
    }

    /// The current key's id.
    pub fn current(&self) -> &str {
        self.keys.first().map_or("", |(id, _)| id.as_str())
    }

    /// Seals `plain` for `object` under the current key: (key id, nonce ‖ ciphertext).
    pub fn seal(&self, object: &str, plain: &[u8]) -> Result<(String, Vec<u8>), SealError> {
        let Some((id, cipher)) = self.keys.first() else {
            return Err(SealError::MissingKey(String::new()));
        };
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| SealError::Random(e.to_string()))?;
        let aad = aad(id, object);
        let ct = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Tampered)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok((id.clone(), out))
    }

    /// Opens what [`Keyring::seal`] sealed for `object` under `key_id`.
    pub fn open(&self, key_id: &str, object: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(id, _)| id == key_id)
            .ok_or_else(|| SealError::MissingKey(key_id.to_owned()))?;
        let (nonce, ct) = sealed.split_at_checked(NONCE).ok_or(SealError::Tampered)?;
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| SealError::Tampered)?;
        let aad = aad(key_id, object);
        cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| SealError::Tampered)
    }
}

fn aad(key_id: &str, object: &str) -> Vec<u8> {
    format!("trustgate personal data v1\0{key_id}\0{object}").into_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn ring(text: &str) -> Keyring {
        Keyring::parse(text).unwrap()
    }

    #[test]
    fn sealed_data_opens_only_for_its_record_and_key() {
        let a = Keyring::new_key_line("2026-a").unwrap();
        let k = ring(&a);
        let (id, sealed) = k.seal("contact/7", b"Ana Silva").unwrap();
        assert_eq!(id, "2026-a");
        assert_eq!(k.open(&id, "contact/7", &sealed).unwrap(), b"Ana Silva");
        assert!(!sealed.windows(4).any(|w| w == b"Silv"), "no plaintext");
        assert_eq!(
            k.open(&id, "contact/8", &sealed),
            Err(SealError::Tampered),
            "moved"
        );
        let mut flipped = sealed.clone();
        flipped[30] ^= 1;
        assert_eq!(k.open(&id, "contact/7", &flipped), Err(SealError::Tampered));
        assert_eq!(
            k.open(&id, "contact/7", &sealed[..10]),
            Err(SealError::Tampered)
        );
        assert_eq!(
            k.open("old", "contact/7", &sealed),
            Err(SealError::MissingKey("old".into()))
        );
        // Same key under another id: the id is bound too.
        let relabelled = ring(&a.replacen("2026-a", "2026-b", 1));
        assert_eq!(
            relabelled.open("2026-b", "contact/7", &sealed),
            Err(SealError::Tampered)
        );
    }

    #[test]
    fn a_rotated_keyring_opens_old_data_and_seals_with_the_new_key() {
        let old = Keyring::new_key_line("old").unwrap();
        let new = Keyring::new_key_line("new").unwrap();
        let (id, sealed) = ring(&old).seal("contact/1", b"x").unwrap();
        let both = ring(&format!("{new}\n# kept until rotated\n{old}\n"));
        assert_eq!(both.current(), "new");
        assert_eq!(both.open(&id, "contact/1", &sealed).unwrap(), b"x");
        assert_eq!(both.seal("contact/1", b"x").unwrap().0, "new");
    }

    #[test]
    fn keyring_errors_name_the_line() {
        for (text, line, words) in [
            ("", 0, "no key"),
            ("k1", 1, "expected `<id>:<base64 key>`"),
            ("# c\nk1:AAAA", 2, "32 bytes"),
            ("k 1:AAAA", 1, "key id"),
            ("k1:***", 1, "not base64"),
        ] {
            match Keyring::parse(text) {
                Err(SealError::Keyring { line: l, message }) => {
                    assert_eq!(l, line, "{text}");
                    assert!(message.contains(words), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let a = Keyring::new_key_line("a").unwrap();
        assert!(matches!(
            Keyring::parse(&format!("{a}\n{a}")),
            Err(SealError::Keyring { line: 2, .. })
        ));
        assert_eq!(
            base64::decode_lenient(&base64::encode(b"any carnal pleas")).unwrap(),
            b"any carnal pleas"
        );
        assert_eq!(base64::encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64::encode(b"fo"), "Zm8=");
    }

    /// Keyring files written without padding load as they always have: the
    /// base64 moved to trustgate-audit, its lenient reading with it.
    #[test]
    fn a_keyring_line_without_padding_still_loads() {
        let line = Keyring::new_key_line("2026-a").unwrap();
        assert!(line.ends_with('='), "32 bytes pad to 44 characters");
        let bare = line.trim_end_matches('=');
        let (padded, unpadded) = (ring(&line), ring(bare));
        let (id, sealed) = padded.seal("contact/7", b"Ana Silva").unwrap();
        assert_eq!(
            unpadded.open(&id, "contact/7", &sealed).unwrap(),
            b"Ana Silva"
        );
    }
}
