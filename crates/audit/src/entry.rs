//! One audit record and its canonical bytes.

use crate::{Hash, merkle};

/// One audit record: who did what to which record, and when, and (from
/// format 2 on) the content the record was left in or read in.
///
/// The fields are plain data; what a valid value is (which actions exist,
/// how objects are named) is the store's business. Keep personal data out of
/// every field: entries can never be deleted or edited without breaking the
/// log, so they must name records (`contact/0193…`), never describe people.
/// A record's content enters only as a digest ([`State`]).
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
    /// A short detail, never personal data.
    pub detail: String,
    /// What the entry commits to about a record's content; it also decides
    /// the entry's format ([`State::Format1`] alone is format 1).
    pub state: State,
}

/// What an entry commits to about the content of the record it concerns: a
/// SHA-256 digest of the record's canonical content (the store defines that
/// content), inside the entry's hashed bytes, so the chain, the tree and the
/// checkpoints protect it like every other field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum State {
    /// An entry of format 1, written before entries carried states: it
    /// commits to no record's content.
    Format1,
    /// Format 2, about no one record's content (a refusal, a sign-out, a read
    /// of the audit log itself).
    NoRecord,
    /// The record's content as this entry left it: the entry created or
    /// changed it. A verifier expects the record to hold exactly this until
    /// a later entry says otherwise.
    After {
        /// The record (`contact/12`, `account/alex`, `token/3`).
        record: String,
        /// The digest of its content after the change.
        digest: Hash,
    },
    /// The record's content as this entry read it (it changed nothing): it
    /// must equal the content the record's previous entry left.
    Read {
        /// The record read.
        record: String,
        /// The digest of its content as read.
        digest: Hash,
    },
    /// What a list or a report returned (rows of many records): a digest of
    /// the answer, which no later state of the records can be checked against.
    Returned {
        /// The digest of the answer.
        digest: Hash,
    },
}

impl State {
    /// The record whose content this state is, if it is one record's.
    pub fn record(&self) -> Option<&str> {
        match self {
            State::After { record, .. } | State::Read { record, .. } => Some(record),
            State::Format1 | State::NoRecord | State::Returned { .. } => None,
        }
    }

    /// The digest carried, if any.
    pub fn digest(&self) -> Option<&Hash> {
        match self {
            State::After { digest, .. }
            | State::Read { digest, .. }
            | State::Returned { digest } => Some(digest),
            State::Format1 | State::NoRecord => None,
        }
    }

    /// The format byte of an entry carrying this state.
    pub fn format(&self) -> u8 {
        match self {
            State::Format1 => FORMAT_1,
            _ => FORMAT,
        }
    }

    /// The state's tag byte in format 2 (none in format 1).
    fn tag(&self) -> Option<u8> {
        match self {
            State::Format1 => None,
            State::NoRecord => Some(0),
            State::After { .. } => Some(1),
            State::Read { .. } => Some(2),
            State::Returned { .. } => Some(3),
        }
    }
}

/// Why bytes are not a canonical [`Entry`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The leading format byte is not one this version knows.
    #[error("unknown entry format {0} (this version reads formats {FORMAT_1} and {FORMAT})")]
    UnknownFormat(u8),
    /// The state's tag is not one format 2 defines.
    #[error("unknown state tag {0}")]
    UnknownState(u8),
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

/// The format byte of entries written by this version (format 2: with a
/// [`State`]).
pub const FORMAT: u8 = 2;

/// The format byte of entries written before states existed. They still
/// verify (their bytes are unchanged), but commit to no record's content.
pub const FORMAT_1: u8 = 1;

const TEXT_FIELDS: [&str; 4] = ["actor", "action", "object", "detail"];

impl Entry {
    /// The canonical bytes: what the chain and the tree hash.
    ///
    /// ```text
    /// format   1 byte   0x01 or 0x02
    /// seq      8 bytes  u64, big-endian
    /// time_ms  8 bytes  i64, big-endian two's complement
    /// actor    8-byte big-endian length, then that many UTF-8 bytes
    /// action   the same
    /// object   the same
    /// detail   the same
    /// -- format 2 only:
    /// state    1 byte   0 no record, 1 after, 2 read, 3 returned
    /// record   (after, read) 8-byte length, then UTF-8 bytes
    /// digest   (after, read, returned) 32 bytes
    /// ```
    ///
    /// Every variable field carries its length, so no two different entries
    /// share bytes (`actor "ab", action "c"` ≠ `actor "a", action "bc"`);
    /// [`Entry::from_bytes`] inverts it exactly. An entry of format 1 has
    /// exactly the bytes it had before format 2 existed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let texts = [&self.actor, &self.action, &self.object, &self.detail];
        let mut out = Vec::with_capacity(
            17 + texts.iter().map(|t| 8 + t.len()).sum::<usize>() + 1 + 8 + 64 + 32,
        );
        out.push(self.state.format());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.time_ms.to_be_bytes());
        for text in texts {
            put_text(&mut out, text);
        }
        if let Some(tag) = self.state.tag() {
            out.push(tag);
            if let Some(record) = self.state.record() {
                put_text(&mut out, record);
            }
            if let Some(digest) = self.state.digest() {
                out.extend_from_slice(digest);
            }
        }
        out
    }

    /// Reads canonical bytes back; rejects anything [`Entry::to_bytes`]
    /// would not have written.
    pub fn from_bytes(bytes: &[u8]) -> Result<Entry, DecodeError> {
        let (&format, mut rest) = bytes
            .split_first()
            .ok_or(DecodeError::Truncated("format"))?;
        if format != FORMAT && format != FORMAT_1 {
            return Err(DecodeError::UnknownFormat(format));
        }
        let seq = u64::from_be_bytes(take_8(&mut rest, "seq")?);
        let time_ms = i64::from_be_bytes(take_8(&mut rest, "time_ms")?);
        let mut texts = TEXT_FIELDS.map(|_| String::new());
        for (text, field) in texts.iter_mut().zip(TEXT_FIELDS) {
            *text = take_text(&mut rest, field)?;
        }
        let state = if format == FORMAT_1 {
            State::Format1
        } else {
            let (&tag, tail) = rest.split_first().ok_or(DecodeError::Truncated("state"))?;
            rest = tail;
            match tag {
                0 => State::NoRecord,
                1 | 2 => {
                    let record = take_text(&mut rest, "record")?;
                    let digest = take_digest(&mut rest)?;
                    if tag == 1 {
                        State::After { record, digest }
                    } else {
                        State::Read { record, digest }
                    }
                }
                3 => State::Returned {
                    digest: take_digest(&mut rest)?,
                },
                other => return Err(DecodeError::UnknownState(other)),
            }
        };
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
            state,
        })
    }

    /// The entry's Merkle leaf hash: SHA-256(0x00 ‖ canonical bytes).
    pub fn leaf_hash(&self) -> Hash {
        merkle::leaf_hash(&self.to_bytes())
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    // A usize always fits in a u64 on the targets Rust supports.
    out.extend_from_slice(&(text.len() as u64).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn take_8(rest: &mut &[u8], field: &'static str) -> Result<[u8; 8], DecodeError> {
    let (head, tail) = rest
        .split_first_chunk::<8>()
        .ok_or(DecodeError::Truncated(field))?;
    *rest = tail;
    Ok(*head)
}

fn take_text(rest: &mut &[u8], field: &'static str) -> Result<String, DecodeError> {
    let len = u64::from_be_bytes(take_8(rest, field)?);
    let len = usize::try_from(len)
        .ok()
        .filter(|&len| len <= rest.len())
        .ok_or(DecodeError::Truncated(field))?;
    let (raw, tail) = rest.split_at(len);
    *rest = tail;
    String::from_utf8(raw.to_vec()).map_err(|_| DecodeError::NotUtf8(field))
}

fn take_digest(rest: &mut &[u8]) -> Result<Hash, DecodeError> {
    let (head, tail) = rest
        .split_first_chunk::<32>()
        .ok_or(DecodeError::Truncated("digest"))?;
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
            state: State::Format1,
        }
    }

    fn texts(out: &mut Vec<u8>, texts: &[&str]) {
        for text in texts {
            out.extend_from_slice(&(text.len() as u64).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = entry().to_bytes();
        let mut want = vec![
            1, 0, 0, 0, 0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        texts(&mut want, &["user/12", "read", "contact/0193", ""]);
        assert_eq!(bytes, want);
        assert_eq!(Entry::from_bytes(&bytes), Ok(entry()));
    }

    #[test]
    fn format_2_layout_is_as_documented() {
        let head = [
            2, 0, 0, 0, 0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let fields = ["user/12", "read", "contact/0193", ""];
        let cases = [
            (State::NoRecord, vec![0]),
            (
                State::After {
                    record: "contact/0193".into(),
                    digest: [0xab; 32],
                },
                [&[1][..], &12u64.to_be_bytes(), b"contact/0193", &[0xab; 32]].concat(),
            ),
            (
                State::Read {
                    record: "contact/0193".into(),
                    digest: [0xcd; 32],
                },
                [&[2][..], &12u64.to_be_bytes(), b"contact/0193", &[0xcd; 32]].concat(),
            ),
            (
                State::Returned { digest: [0xef; 32] },
                [&[3][..], &[0xef; 32]].concat(),
            ),
        ];
        for (state, tail) in cases {
            let e = Entry {
                state: state.clone(),
                ..entry()
            };
            let mut want = head.to_vec();
            texts(&mut want, &fields);
            want.extend_from_slice(&tail);
            assert_eq!(e.to_bytes(), want, "{state:?}");
            assert_eq!(Entry::from_bytes(&want), Ok(e));
        }
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
    fn the_state_and_the_format_change_the_bytes() {
        let digest = [1; 32];
        let states = [
            State::Format1,
            State::NoRecord,
            State::After {
                record: "contact/1".into(),
                digest,
            },
            State::Read {
                record: "contact/1".into(),
                digest,
            },
            State::Returned { digest },
        ];
        for (i, a) in states.iter().enumerate() {
            for b in &states[i + 1..] {
                let (a, b) = (
                    Entry {
                        state: a.clone(),
                        ..entry()
                    },
                    Entry {
                        state: b.clone(),
                        ..entry()
                    },
                );
                assert_ne!(a.leaf_hash(), b.leaf_hash(), "{:?} {:?}", a.state, b.state);
            }
        }
    }

    #[test]
    fn bad_bytes_are_rejected() {
        let bytes = entry().to_bytes();
        assert_eq!(
            Entry::from_bytes(&[]),
            Err(DecodeError::Truncated("format"))
        );
        assert_eq!(Entry::from_bytes(&[3]), Err(DecodeError::UnknownFormat(3)));
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
        // Format 2: the state must be there, known, and whole.
        let mut two = bytes.clone();
        two[0] = 2;
        assert_eq!(
            Entry::from_bytes(&two),
            Err(DecodeError::Truncated("state"))
        );
        two.push(4);
        assert_eq!(Entry::from_bytes(&two), Err(DecodeError::UnknownState(4)));
        *two.last_mut().unwrap() = 3;
        two.extend_from_slice(&[0; 31]);
        assert_eq!(
            Entry::from_bytes(&two),
            Err(DecodeError::Truncated("digest"))
        );
        // A format-1 entry cannot carry a state byte.
        let mut one_with_state = bytes;
        one_with_state.push(0);
        assert_eq!(
            Entry::from_bytes(&one_with_state),
            Err(DecodeError::TrailingBytes(1))
        );
    }
}
