//! One audit record and its canonical bytes.

use crate::{Hash, merkle};

/// One audit record: who did what to which record, and when.
///
/// The fields are plain data; what a valid value is (which actions exist,
/// how objects are named) is the store's business. Keep personal data out of
/// every field: entries can never be deleted or edited without breaking the
/// log, so they must name records (`contact/0193…`), never describe people.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Position in the log, from 0, without gaps.
    pub seq: u64,
    /// When it happened: UTC milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Who: an account or token id.
    pub actor: String,
    /// What: `create`, `read`, `update`, …
    pub action: String,
    /// To which record: `contact/0193…`.
    pub object: String,
    /// A short detail or a digest (hex) of the record version concerned.
    pub detail: String,
}

/// Why bytes are not a canonical [`Entry`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The leading format byte is not one this version knows.
    #[error("unknown entry format {0} (this version reads format {FORMAT})")]
    UnknownFormat(u8),
    /// The bytes end inside a field.
    #[error("entry bytes end inside the {0} field")]
    Truncated(&'static str),
    /// A text field is not UTF-8.
    #[error("the {0} field is not UTF-8")]
    NotUtf8(&'static str),
    /// Bytes follow the last field.
    #[error("{0} unexpected bytes after the last field")]
    TrailingBytes(usize),
}

/// The format byte that starts every canonical entry of this version.
pub const FORMAT: u8 = 1;

const TEXT_FIELDS: [&str; 4] = ["actor", "action", "object", "detail"];

impl Entry {
    /// The canonical bytes: what the chain and the tree hash.
    ///
    /// ```text
    /// format   1 byte   0x01
    /// seq      8 bytes  u64, big-endian
    /// time_ms  8 bytes  i64, big-endian two's complement
    /// actor    8-byte big-endian length, then that many UTF-8 bytes
    /// action   the same
    /// object   the same
    /// detail   the same
    /// ```
    ///
    /// Every variable field carries its length, so no two different entries
    /// share bytes (`actor "ab", action "c"` ≠ `actor "a", action "bc"`);
    /// [`Entry::from_bytes`] inverts it exactly.
    pub fn to_bytes(&self) -> Vec<u8> {
        let texts = [&self.actor, &self.action, &self.object, &self.detail];
        let mut out = Vec::with_capacity(17 + texts.iter().map(|t| 8 + t.len()).sum::<usize>());
        out.push(FORMAT);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.time_ms.to_be_bytes());
        for text in texts {
            // A usize always fits in a u64 on the targets Rust supports.
            out.extend_from_slice(&(text.len() as u64).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        out
    }

    /// Reads canonical bytes back; rejects anything [`Entry::to_bytes`]
    /// would not have written.
    pub fn from_bytes(bytes: &[u8]) -> Result<Entry, DecodeError> {
        let (&format, mut rest) = bytes
            .split_first()
            .ok_or(DecodeError::Truncated("format"))?;
        if format != FORMAT {
            return Err(DecodeError::UnknownFormat(format));
        }
        let seq = u64::from_be_bytes(take_8(&mut rest, "seq")?);
        let time_ms = i64::from_be_bytes(take_8(&mut rest, "time_ms")?);
        let mut texts = TEXT_FIELDS.map(|_| String::new());
        for (text, field) in texts.iter_mut().zip(TEXT_FIELDS) {
            let len = u64::from_be_bytes(take_8(&mut rest, field)?);
            let len = usize::try_from(len)
                .ok()
                .filter(|&len| len <= rest.len())
                .ok_or(DecodeError::Truncated(field))?;
            let (raw, tail) = rest.split_at(len);
            *text = String::from_utf8(raw.to_vec()).map_err(|_| DecodeError::NotUtf8(field))?;
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes(rest.len()));
        }
        let [actor, action, object, detail] = texts;
        Ok(Entry {
            seq,
            time_ms,
            actor,
            action,
            object,
            detail,
        })
    }

    /// The entry's Merkle leaf hash: SHA-256(0x00 ‖ canonical bytes).
    pub fn leaf_hash(&self) -> Hash {
        merkle::leaf_hash(&self.to_bytes())
    }
}

fn take_8(rest: &mut &[u8], field: &'static str) -> Result<[u8; 8], DecodeError> {
    let (head, tail) = rest
        .split_first_chunk::<8>()
        .ok_or(DecodeError::Truncated(field))?;
    *rest = tail;
    Ok(*head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            seq: 7,
            time_ms: -1,
            actor: "user/12".into(),
            action: "read".into(),
            object: "contact/0193".into(),
            detail: String::new(),
        }
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = entry().to_bytes();
        let mut want = vec![
            1, 0, 0, 0, 0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        for text in ["user/12", "read", "contact/0193", ""] {
            want.extend_from_slice(&(text.len() as u64).to_be_bytes());
            want.extend_from_slice(text.as_bytes());
        }
        assert_eq!(bytes, want);
        assert_eq!(Entry::from_bytes(&bytes), Ok(entry()));
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let a = Entry {
            actor: "ab".into(),
            action: "c".into(),
            ..entry()
        };
        let b = Entry {
            actor: "a".into(),
            action: "bc".into(),
            ..entry()
        };
        assert_ne!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn bad_bytes_are_rejected() {
        let bytes = entry().to_bytes();
        assert_eq!(
            Entry::from_bytes(&[]),
            Err(DecodeError::Truncated("format"))
        );
        assert_eq!(Entry::from_bytes(&[2]), Err(DecodeError::UnknownFormat(2)));
        assert_eq!(
            Entry::from_bytes(&bytes[..bytes.len() - 1]),
            Err(DecodeError::Truncated("detail"))
        );
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(Entry::from_bytes(&long), Err(DecodeError::TrailingBytes(1)));
        let mut huge = bytes[..17].to_vec();
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(
            Entry::from_bytes(&huge),
            Err(DecodeError::Truncated("actor"))
        );
        let mut bad_utf8 = bytes[..17].to_vec();
        bad_utf8.extend_from_slice(&1u64.to_be_bytes());
        bad_utf8.push(0xff);
        assert_eq!(
            Entry::from_bytes(&bad_utf8),
            Err(DecodeError::NotUtf8("actor"))
        );
    }
}
