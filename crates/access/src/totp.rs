//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps,
//! 6 digits), the form every authenticator app reads from an `otpauth://`
//! URI. A code is accepted once: the caller stores the last accepted step
//! and passes it back, so a code seen over a shoulder cannot be replayed.

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted (phone clocks drift).
pub const SKEW_STEPS: i64 = 1;

/// A shared secret: 20 random bytes (160 bits, RFC 4226's recommendation).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 20]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// Draws a new secret.
    pub fn generate() -> Result<Secret, getrandom::Error> {
        let mut b = [0u8; 20];
        getrandom::fill(&mut b)?;
        Ok(Secret(b))
    }

    /// A stored secret; `None` unless exactly 20 bytes.
    pub fn from_bytes(b: &[u8]) -> Option<Secret> {
        b.try_into().ok().map(Secret)
    }

    /// A secret from its base32 text (as [`Secret::base32`] writes it;
    /// case and spaces do not matter).
    pub fn from_base32(text: &str) -> Option<Secret> {
        const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let c = u8::try_from(c.to_ascii_uppercase()).ok()?;
            let v = ALPHABET.iter().position(|a| *a == c)?;
            buffer = (buffer << 5) | u32::try_from(v).ok()?;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
            }
        }
        Secret::from_bytes(&out)
    }

    /// The raw bytes, to store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret as authenticator apps accept it typed in: RFC 4648
    /// base32, without padding.
    pub fn base32(&self) -> String {
        base32(&self.0)
    }

    /// The `otpauth://` URI an authenticator app scans from a QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        format!(
            "otpauth://totp/{issuer_label}:{account}?secret={secret}&issuer={issuer_param}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            issuer_label = percent(issuer),
            account = percent(account),
            secret = self.base32(),
            issuer_param = percent(issuer),
        )
    }

    /// The code for a step.
    pub fn code_at(&self, step: i64) -> u32 {
        hotp(&self.0, step, DIGITS)
    }

    /// Checks a typed code at `now_ms`. Returns the step it matched, which
    /// the caller must store, or `None` if it matches no step within
    /// [`SKEW_STEPS`] of now that is later than `last_step`.
    pub fn verify(&self, code: &str, now_ms: i64, last_step: i64) -> Option<i64> {
        let code = code.trim();
        if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let typed: u32 = code.parse().ok()?;
        let now = step_of(now_ms);
        // Check every candidate, so timing does not say which one matched.
        let mut matched = None;
        for step in now - SKEW_STEPS..=now + SKEW_STEPS {
            if step > last_step && self.code_at(step) == typed && matched.is_none() {
                matched = Some(step);
            }
        }
        matched
    }
}

/// The step containing `unix_ms`.
pub fn step_of(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(STEP_SECONDS * 1000)
}

/// RFC 4226 HOTP with SHA-1 and dynamic truncation.
fn hotp(key: &[u8], counter: i64, digits: u32) -> u32 {
    // A key of any length is valid for HMAC, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

pub(crate) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn base32_round_trips() {
        let s = Secret::generate().unwrap();
        let text = s.base32();
        assert_eq!(Secret::from_base32(&text).unwrap().as_bytes(), s.as_bytes());
        let spaced: String = text
            .to_lowercase()
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            Secret::from_base32(&spaced).unwrap().as_bytes(),
            s.as_bytes()
        );
        assert!(Secret::from_base32("not base32!").is_none());
        assert!(Secret::from_base32("ABCD").is_none(), "too short");
    }

    /// RFC 6238 appendix B, SHA-1 rows (8 digits there).
    #[test]
    fn rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(key, step_of(t * 1000), 8), want, "T={t}");
        }
    }

    /// RFC 4226 appendix D.
    #[test]
    fn rfc_4226_test_vectors() {
        let key = b"12345678901234567890";
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (count, w) in want.iter().enumerate() {
            assert_eq!(hotp(key, count as i64, 6), *w);
        }
    }

    /// RFC 4648 section 10, without padding.
    #[test]
    fn rfc_4648_base32_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(input.as_bytes()), want);
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_the_skew_and_never_outside_it() {
        let s = Secret::from_bytes(b"12345678901234567890").unwrap();
        let now = 1_111_111_111_000;
        let step = step_of(now);
        let code = format!("{:06}", s.code_at(step));
        assert_eq!(s.verify(&code, now, 0), Some(step));
        assert_eq!(s.verify(&code, now, step), None, "replayed");
        let late = format!("{:06}", s.code_at(step - 1));
        assert_eq!(s.verify(&late, now, 0), Some(step - 1));
        let stale = format!("{:06}", s.code_at(step - 2));
        assert_eq!(s.verify(&stale, now, 0), None);
        for bad in ["", "12345", "1234567", "12a456", "-12345"] {
            assert_eq!(s.verify(bad, now, 0), None, "{bad}");
        }
    }

    #[test]
    fn otpauth_uri_escapes_the_label() {
        let s = Secret::from_bytes(&[0; 20]).unwrap();
        let uri = s.otpauth_uri("trustgate Cambridge", "a.clerk@city");
        assert_eq!(
            uri,
            "otpauth://totp/trustgate%20Cambridge:a.clerk%40city?secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&issuer=trustgate%20Cambridge&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(format!("{s:?}"), "Secret(…)");
    }
}
