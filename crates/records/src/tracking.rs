//! A complaint's tracking code: what a complainant keeps to follow their
//! complaint without an account.
//!
//! Unguessable: 95 bits drawn from the OS by the caller (the library stays
//! pure), so guessing one among millions of complaints at the public
//! endpoint's rate limit takes longer than the records are kept. Easy to
//! read aloud and type back: Crockford's base32 (no I, L, O or U), 19
//! characters and a check character, in five groups of four
//! (`7KQ2-M9XD-…`). Typed back, case, spaces and hyphens do not matter and
//! I/L read as 1, O as 0; a typing mistake is caught by the check character
//! (Luhn mod 32: every single wrong character and every swap of two
//! neighbours) and said as such, rather than answered "not found".

use std::fmt;

/// How many random bytes a code is made from (95 of their 96 bits are used).
pub const CODE_BYTES: usize = 12;

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters carrying the random bits (19 × 5 = 95 bits).
const DATA_CHARS: usize = 19;

/// A code's length without its hyphens.
const CHARS: usize = DATA_CHARS + 1;

/// A tracking code, held in its canonical form (20 characters, no hyphens).
#[derive(Clone, PartialEq, Eq)]
pub struct TrackingCode(String);

/// Why a typed code is not a tracking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a tracking code has 20 letters and digits (five groups of four); this has {0}")]
    Length(usize),
    #[error(
        "`{0}` is not in a tracking code: it holds the digits 0-9 and the letters A-Z except I, L, O and U"
    )]
    Character(char),
    #[error(
        "this code is mistyped: one of its characters is wrong or two are swapped; check it against what you were given"
    )]
    Mistyped,
}

impl TrackingCode {
    /// A new code from `CODE_BYTES` bytes of the OS's randomness.
    pub fn from_random(bytes: [u8; CODE_BYTES]) -> TrackingCode {
        let mut n = bytes.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b)) >> 1;
        let mut digits = [0u8; DATA_CHARS];
        for d in digits.iter_mut().rev() {
            // The mask keeps the value below 32.
            *d = (n & 31) as u8;
            n >>= 5;
        }
        let mut s: String = digits.iter().map(|d| symbol(*d)).collect();
        s.push(symbol(check_digit(&digits)));
        TrackingCode(s)
    }

    /// A code as a person typed it back.
    pub fn parse(typed: &str) -> Result<TrackingCode, CodeError> {
        let mut values = Vec::with_capacity(CHARS);
        for c in typed.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            let v = ALPHABET
                .iter()
                .position(|a| char::from(*a) == c)
                .ok_or(CodeError::Character(c))?;
            values.push(v as u8);
            if values.len() > 64 {
                break;
            }
        }
        let Some((check, data)) = values.split_last() else {
            return Err(CodeError::Length(0));
        };
        if values.len() != CHARS {
            return Err(CodeError::Length(values.len()));
        }
        if check_digit(data) != *check {
            return Err(CodeError::Mistyped);
        }
        Ok(TrackingCode(values.iter().map(|v| symbol(*v)).collect()))
    }

    /// The canonical form (what the store hashes): 20 characters, no hyphens.
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    /// In five groups of four, for people: `7KQ2-M9XD-…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                f.write_str("-")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TrackingCode {
    /// Never the code itself: it is the complainant's only credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingCode(…)")
    }
}

fn symbol(v: u8) -> char {
    char::from(ALPHABET.get(usize::from(v & 31)).copied().unwrap_or(b'0'))
}

/// Luhn mod 32 over `digits` (each below 32): the check digit that makes
/// the whole sum a multiple of 32.
fn check_digit(digits: &[u8]) -> u8 {
    let n = 32u32;
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let factor = if i % 2 == 0 { 2 } else { 1 };
        let addend = factor * u32::from(*d);
        sum += addend / n + addend % n;
    }
    ((n - sum % n) % n) as u8
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    fn code(seed: u8) -> TrackingCode {
        let mut b = [0u8; CODE_BYTES];
        for (i, x) in b.iter_mut().enumerate() {
            *x = seed
                .wrapping_mul(37)
                .wrapping_add((i as u8).wrapping_mul(91));
        }
        TrackingCode::from_random(b)
    }

    #[test]
    fn a_code_reads_back_in_any_case_with_or_without_hyphens() {
        let c = code(7);
        let shown = c.to_string();
        assert_eq!(shown.len(), 24, "{shown}");
        assert_eq!(shown.matches('-').count(), 4, "{shown}");
        assert_eq!(TrackingCode::parse(&shown).unwrap(), c);
        assert_eq!(TrackingCode::parse(&shown.to_lowercase()).unwrap(), c);
        assert_eq!(TrackingCode::parse(c.canonical()).unwrap(), c);
        let spaced = shown.replace('-', " ");
        assert_eq!(TrackingCode::parse(&format!(" {spaced} ")).unwrap(), c);
    }

    #[test]
    fn i_l_and_o_read_as_one_and_zero() {
        // All-zero bits: the data is nineteen zeros.
        let c = TrackingCode::from_random([0; CODE_BYTES]);
        assert!(c.canonical().starts_with("0000000000000000000"));
        let typed = format!("oOoo-OOOO-0000-0000-000{}", &c.canonical()[19..]);
        assert_eq!(TrackingCode::parse(&typed).unwrap(), c);
        let c = TrackingCode::from_random([0x08; CODE_BYTES]);
        let with_ones = c.canonical().replace('1', "l");
        assert_eq!(TrackingCode::parse(&with_ones).unwrap(), c);
    }

    #[test]
    fn every_single_wrong_character_and_neighbour_swap_is_called_mistyped() {
        for seed in 0..20u8 {
            let c = code(seed);
            let chars: Vec<u8> = c.canonical().bytes().collect();
            for i in 0..CHARS {
                for a in ALPHABET {
                    if *a == chars[i] {
                        continue;
                    }
                    let mut t = chars.clone();
                    t[i] = *a;
                    let typed = String::from_utf8(t).unwrap();
                    assert_eq!(
                        TrackingCode::parse(&typed),
                        Err(CodeError::Mistyped),
                        "{typed}"
                    );
                }
                if i + 1 < CHARS && chars[i] != chars[i + 1] {
                    let mut t = chars.clone();
                    t.swap(i, i + 1);
                    let typed = String::from_utf8(t).unwrap();
                    let got = TrackingCode::parse(&typed);
                    // Luhn mod N misses only the swap of the two symbols
                    // whose doubled values wrap to the same sum.
                    let (x, y) = (
                        ALPHABET.iter().position(|a| *a == chars[i]).unwrap(),
                        ALPHABET.iter().position(|a| *a == chars[i + 1]).unwrap(),
                    );
                    if !matches!((x.min(y), x.max(y)), (0, 31)) {
                        assert_eq!(got, Err(CodeError::Mistyped), "{typed}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_short_long_or_foreign_code_says_what_is_wrong() {
        assert_eq!(TrackingCode::parse(""), Err(CodeError::Length(0)));
        assert_eq!(TrackingCode::parse("7KQ2-M9XD"), Err(CodeError::Length(8)));
        let long = format!("{}0", code(1).canonical());
        assert_eq!(TrackingCode::parse(&long), Err(CodeError::Length(21)));
        assert_eq!(
            TrackingCode::parse("7KQ2-M9XU"),
            Err(CodeError::Character('U'))
        );
        let many = "0".repeat(10_000);
        assert!(matches!(
            TrackingCode::parse(&many),
            Err(CodeError::Length(_))
        ));
    }

    #[test]
    fn codes_carry_95_random_bits_and_never_show_in_debug() {
        let a = TrackingCode::from_random([0xff; CODE_BYTES]);
        let b = TrackingCode::from_random([0xfe; CODE_BYTES]);
        assert_ne!(a, b);
        assert!(a.canonical().starts_with("ZZZZZZZZZZZZZZZZZZZ"));
        // The last byte's lowest bit is the one left out.
        let mut c = [0xff; CODE_BYTES];
        c[0] = 0x7f;
        assert_ne!(TrackingCode::from_random(c), a);
        let mut d = [0xff; CODE_BYTES];
        d[CODE_BYTES - 1] = 0xfe;
        assert_eq!(TrackingCode::from_random(d), a);
        assert_eq!(format!("{a:?}"), "TrackingCode(…)");
    }
}
