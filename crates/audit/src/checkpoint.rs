//! Signed tree heads, as C2SP signed notes.
//!
//! ```text
//! trustgate.example/cambridge/audit          origin
//! 1234                                       tree size
//! 3MOH6…=                                    base64 root
//! time-ms 1718000000123                      when it was signed (extension line)
//!
//! — trustgate.example/cambridge/audit AbCd…  signature line(s)
//! ```
//!
//! The body is a C2SP `tlog-checkpoint` with one extension line for the time
//! (the law asks when; extension lines are allowed, and tools that ignore them
//! still check the tree head). The signature is a C2SP `signed-note` Ed25519
//! signature over the body: key name = origin, key id = the first four bytes
//! of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), then the 64-byte signature,
//! base64 together. So the text can be checked with the Go
//! `golang.org/x/mod/sumdb/note` package as well as with [`verify`].

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::Hash;
use crate::encoding::base64;
use crate::merkle::sha256;

/// A tree head: the log had `size` entries with Merkle root `root` at
/// `time_ms` (UTC milliseconds since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Names the log, e.g. `trustgate.example/cambridge/audit`: no spaces,
    /// no `+`, no control characters.
    pub origin: String,
    /// How many entries the tree covers.
    pub size: u64,
    /// The Merkle root over those entries.
    pub root: Hash,
    /// When the head was taken.
    pub time_ms: i64,
}

/// Why a checkpoint could not be signed, or its text was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The origin cannot be a signed-note key name.
    #[error("the origin {0:?} must be non-empty, without spaces, `+` or control characters")]
    BadOrigin(String),
    /// The text is not a checkpoint in this format.
    #[error("not a checkpoint: {0}")]
    Malformed(&'static str),
    /// No signature line is from the expected key.
    #[error("the checkpoint carries no signature by the expected key for {0:?}")]
    NotSigned(String),
    /// The expected key's signature does not match the text.
    #[error(
        "the signature does not match the checkpoint: the text was altered or signed by another key"
    )]
    BadSignature,
    /// A key's text is not in the `note` key format.
    #[error("not a key in the signed-note format (`name+hash+key`): {0}")]
    BadKey(&'static str),
}

/// Longest checkpoint text accepted; a real one is a few hundred bytes.
const MAX_TEXT: usize = 16 * 1024;
/// Most signature lines read (C2SP asks verifiers to accept at least 16).
const MAX_SIGNATURES: usize = 64;
const ED25519_TYPE: u8 = 0x01;
const TIME_PREFIX: &str = "time-ms ";

impl Checkpoint {
    /// The signed note's text: four lines, each ending in a newline.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n{TIME_PREFIX}{}\n",
            self.origin,
            self.size,
            base64::encode(&self.root),
            self.time_ms
        )
    }
}

/// The C2SP key id of an Ed25519 key under a key name.
pub fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let hash = sha256(&[name.as_bytes(), b"\n", &[ED25519_TYPE], key.as_bytes()]);
    [hash[0], hash[1], hash[2], hash[3]]
}

/// A signing key as text, in the form of Go's `note.GenerateKey`:
/// `PRIVATE+KEY+<name>+<key id, hex>+<base64(0x01 ‖ seed)>`. Keep it off the
/// database's host: whoever holds it can sign a rewritten log.
pub fn signer_text(name: &str, key: &SigningKey) -> String {
    let mut raw = vec![ED25519_TYPE];
    raw.extend_from_slice(key.as_bytes());
    format!(
        "PRIVATE+KEY+{name}+{}+{}",
        hex_id(name, &key.verifying_key()),
        base64::encode(&raw)
    )
}

/// The public key as text, in the form `note.NewVerifier` reads:
/// `<name>+<key id, hex>+<base64(0x01 ‖ public key)>`. Publish it.
pub fn verifier_text(name: &str, key: &VerifyingKey) -> String {
    let mut raw = vec![ED25519_TYPE];
    raw.extend_from_slice(key.as_bytes());
    format!("{name}+{}+{}", hex_id(name, key), base64::encode(&raw))
}

/// Reads [`signer_text`]: the key's name and the key, checked against its id.
pub fn parse_signer(text: &str) -> Result<(String, SigningKey), CheckpointError> {
    let rest = text
        .trim()
        .strip_prefix("PRIVATE+KEY+")
        .ok_or(CheckpointError::BadKey(
            "a signing key starts with PRIVATE+KEY+",
        ))?;
    let (name, seed) = split_key(rest)?;
    let key = SigningKey::from_bytes(&seed);
    check_key_id(rest, &name, &key.verifying_key())?;
    Ok((name, key))
}

/// Reads [`verifier_text`]: the key's name and the public key.
pub fn parse_verifier(text: &str) -> Result<(String, VerifyingKey), CheckpointError> {
    let text = text.trim();
    let (name, raw) = split_key(text)?;
    let key = VerifyingKey::from_bytes(&raw)
        .map_err(|_| CheckpointError::BadKey("not an Ed25519 public key"))?;
    check_key_id(text, &name, &key)?;
    Ok((name, key))
}

fn hex_id(name: &str, key: &VerifyingKey) -> String {
    crate::encoding::hex(&key_id(name, key))
}

/// `name+hash+base64` → the name and the 32 key bytes after the type byte.
fn split_key(text: &str) -> Result<(String, [u8; 32]), CheckpointError> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(_), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CheckpointError::BadKey(
            "expected three fields joined by `+`",
        ));
    };
    check_origin(name).map_err(|_| CheckpointError::BadKey("the key name is not valid"))?;
    let raw = base64::decode(data).ok_or(CheckpointError::BadKey("the key is not base64"))?;
    match raw.split_first() {
        Some((&ED25519_TYPE, key)) => key
            .try_into()
            .map(|k| (name.to_owned(), k))
            .map_err(|_| CheckpointError::BadKey("an Ed25519 key has 32 bytes")),
        _ => Err(CheckpointError::BadKey(
            "only Ed25519 keys (type 0x01) are used",
        )),
    }
}

fn check_key_id(text: &str, name: &str, key: &VerifyingKey) -> Result<(), CheckpointError> {
    let hash = text.split('+').nth(1).unwrap_or_default();
    if hash == hex_id(name, key) {
        Ok(())
    } else {
        Err(CheckpointError::BadKey(
            "the key id does not match the name and key",
        ))
    }
}

/// The checkpoint as signed-note text, signed by `key` under the origin's
/// name.
pub fn sign(checkpoint: &Checkpoint, key: &SigningKey) -> Result<String, CheckpointError> {
    check_origin(&checkpoint.origin)?;
    Ok(sign_note(&checkpoint.body(), &checkpoint.origin, key))
}

/// Reads a signed checkpoint, accepting it only if `key` signed it under the
/// origin's name. Signatures by other keys are ignored, as the signed-note
/// format requires (they may be witnesses' cosignatures).
pub fn verify(text: &str, key: &VerifyingKey) -> Result<Checkpoint, CheckpointError> {
    let origin = text.split('\n').next().unwrap_or_default();
    check_origin(origin)
        .map_err(|_| CheckpointError::Malformed("the first line is not a valid origin"))?;
    parse_body(open_note(text, origin, key)?)
}

/// `text` (ending in a newline) with one Ed25519 signature line.
fn sign_note(text: &str, name: &str, key: &SigningKey) -> String {
    let signature = key.sign(text.as_bytes());
    let mut blob = key_id(name, &key.verifying_key()).to_vec();
    blob.extend_from_slice(&signature.to_bytes());
    format!("{text}\n— {name} {}\n", base64::encode(&blob))
}

/// The text of a signed note, if `key` signed it under `name`.
fn open_note<'t>(
    note: &'t str,
    name: &str,
    key: &VerifyingKey,
) -> Result<&'t str, CheckpointError> {
    use CheckpointError::Malformed;
    if note.len() > MAX_TEXT {
        return Err(Malformed("longer than any checkpoint"));
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Malformed("contains control characters"));
    }
    // The text ends at the last blank line; signature lines follow it.
    let split = note
        .rfind("\n\n")
        .ok_or(Malformed("no blank line before the signatures"))?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let signatures = signatures.strip_suffix('\n').ok_or(Malformed(
        "the last signature line does not end in a newline",
    ))?;
    let wanted_id = key_id(name, key);
    let mut signed = false;
    for (i, line) in signatures.split('\n').enumerate() {
        if i == MAX_SIGNATURES {
            return Err(Malformed("too many signature lines"));
        }
        let (signer, blob) = line
            .strip_prefix("— ")
            .and_then(|rest| rest.split_once(' '))
            .ok_or(Malformed("a signature line is not `— name base64`"))?;
        let blob = base64::decode(blob).ok_or(Malformed("a signature is not base64"))?;
        let Some((id, signature)) = blob.split_first_chunk::<4>() else {
            return Err(Malformed("a signature is shorter than its key id"));
        };
        if signer != name || *id != wanted_id {
            continue; // Someone else's signature.
        }
        let signature: &[u8; 64] = signature
            .try_into()
            .map_err(|_| CheckpointError::BadSignature)?;
        key.verify_strict(text.as_bytes(), &Signature::from_bytes(signature))
            .map_err(|_| CheckpointError::BadSignature)?;
        signed = true;
    }
    if !signed {
        return Err(CheckpointError::NotSigned(name.to_owned()));
    }
    Ok(text)
}

fn parse_body(body: &str) -> Result<Checkpoint, CheckpointError> {
    use CheckpointError::Malformed;
    let lines: Vec<&str> = body
        .strip_suffix('\n')
        .unwrap_or(body)
        .split('\n')
        .collect();
    let [origin, size, root, time] = lines[..] else {
        return Err(Malformed(
            "the body is not four lines: origin, size, root, time",
        ));
    };
    // Round-tripping through the number rejects `+1`, `01`, `-0` and spaces.
    let size: u64 = size
        .parse()
        .ok()
        .filter(|n: &u64| n.to_string() == size)
        .ok_or(Malformed("the tree size is not a decimal number"))?;
    let root: Hash = base64::decode(root)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(Malformed("the root is not 32 bytes of base64"))?;
    let time_ms: i64 = time
        .strip_prefix(TIME_PREFIX)
        .and_then(|ms| ms.parse().ok().filter(|n: &i64| n.to_string() == ms))
        .ok_or(Malformed("the fourth line is not `time-ms <milliseconds>`"))?;
    Ok(Checkpoint {
        origin: origin.to_owned(),
        size,
        root,
        time_ms,
    })
}

fn check_origin(origin: &str) -> Result<(), CheckpointError> {
    if origin.is_empty()
        || origin
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '+')
    {
        return Err(CheckpointError::BadOrigin(origin.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known-answer test for the signed-note format: key, text and signature
    // from golang/mod, sumdb/note/note_test.go (TestSign, TestOpen).
    const GO_SIGNER: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const GO_VERIFIER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const GO_PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const GO_ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    /// The 32 bytes after the 0x01 algorithm byte of a Go key's last field
    /// (which follows the key hash, and may itself contain `+`).
    fn go_key_bytes(key: &str) -> [u8; 32] {
        let field = key.split_once("+c74f20a3+").unwrap().1;
        let raw = base64::decode(field).unwrap();
        assert_eq!(raw[0], ED25519_TYPE);
        raw[1..].try_into().unwrap()
    }

    #[test]
    fn key_texts_are_gos() {
        let (name, key) = parse_signer(GO_SIGNER).unwrap();
        assert_eq!(name, "PeterNeumann");
        assert_eq!(signer_text(&name, &key), GO_SIGNER);
        assert_eq!(verifier_text(&name, &key.verifying_key()), GO_VERIFIER);
        let (vname, public) = parse_verifier(GO_VERIFIER).unwrap();
        assert_eq!(
            (vname.as_str(), public),
            ("PeterNeumann", key.verifying_key())
        );
        for bad in [
            "",
            "PeterNeumann+c74f20a3",
            &GO_VERIFIER.replace("c74f20a3", "c74f20a4"),
            &GO_VERIFIER.replace("+ARpc", "+AhPc"),
            &GO_VERIFIER.replace("PeterNeumann", "Peter Neumann"),
        ] {
            assert!(parse_verifier(bad).is_err(), "{bad}");
        }
        assert!(parse_signer(GO_VERIFIER).is_err());
        assert!(parse_signer(&GO_SIGNER.replace("c74f20a3", "00000000")).is_err());
    }

    #[test]
    fn signs_exactly_as_the_go_reference() {
        let key = SigningKey::from_bytes(&go_key_bytes(GO_SIGNER));
        let public = VerifyingKey::from_bytes(&go_key_bytes(GO_VERIFIER)).unwrap();
        assert_eq!(key.verifying_key(), public);
        assert_eq!(
            u32::from_be_bytes(key_id("PeterNeumann", &public)),
            0xc74f20a3
        );
        assert_eq!(
            sign_note(GO_TEXT, "PeterNeumann", &key),
            format!("{GO_TEXT}\n{GO_PETER_SIG}")
        );
    }

    #[test]
    fn signed_bodies_that_are_not_checkpoints_are_rejected() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let zero_root = base64::encode(&[0; 32]);
        let bodies = [
            format!("o\n013\n{zero_root}\ntime-ms 1\n"),
            format!("o\n+13\n{zero_root}\ntime-ms 1\n"),
            "o\n13\nAAAA\ntime-ms 1\n".to_owned(),
            format!("o\n1\n{zero_root}\n"),
            format!("o\n1\n{zero_root}\ntime-ms 01\n"),
            format!("o\n1\n{zero_root}\ntime 1\n"),
            format!("o\n1\n{zero_root}\ntime-ms 1\nextra\n"),
        ];
        for body in bodies {
            let note = sign_note(&body, "o", &key);
            assert!(
                matches!(
                    verify(&note, &key.verifying_key()),
                    Err(CheckpointError::Malformed(_))
                ),
                "{body:?}"
            );
        }
        let good = sign_note(&format!("o\n1\n{zero_root}\ntime-ms -1\n"), "o", &key);
        let want = Checkpoint {
            origin: "o".into(),
            size: 1,
            root: [0; 32],
            time_ms: -1,
        };
        assert_eq!(verify(&good, &key.verifying_key()), Ok(want));
    }

    #[test]
    fn opens_the_go_reference_note() {
        let public = VerifyingKey::from_bytes(&go_key_bytes(GO_VERIFIER)).unwrap();
        let both = format!("{GO_TEXT}\n{GO_PETER_SIG}{GO_ENOCH_SIG}");
        assert_eq!(open_note(&both, "PeterNeumann", &public), Ok(GO_TEXT));
        let only_enoch = format!("{GO_TEXT}\n{GO_ENOCH_SIG}");
        assert_eq!(
            open_note(&only_enoch, "PeterNeumann", &public),
            Err(CheckpointError::NotSigned("PeterNeumann".into()))
        );
        let corrupt = format!(
            "{GO_TEXT}\n{}ABCD{}",
            &GO_PETER_SIG[..60],
            &GO_PETER_SIG[60..]
        );
        assert_eq!(
            open_note(&corrupt, "PeterNeumann", &public),
            Err(CheckpointError::BadSignature)
        );
        let bad = [
            GO_TEXT.to_owned(),
            format!("{GO_TEXT}\n"),
            format!("{GO_TEXT}\n{}", &GO_PETER_SIG[..GO_PETER_SIG.len() - 1]),
            format!("\x01{GO_TEXT}\n{GO_PETER_SIG}"),
            format!("{GO_TEXT}\n{GO_PETER_SIG}Unexpected line.\n"),
            format!("{GO_TEXT}\n{}", GO_PETER_SIG.repeat(MAX_SIGNATURES + 1)),
        ];
        for note in bad {
            assert!(
                matches!(
                    open_note(&note, "PeterNeumann", &public),
                    Err(CheckpointError::Malformed(_))
                ),
                "{note:?}"
            );
        }
    }
}
