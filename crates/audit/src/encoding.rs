//! The one home of the byte encodings the records use: lowercase hex for
//! hashes and key ids (the `hex` crate, as the engine's pack hashes use it),
//! standard base64 (RFC 4648 §4) for keys, roots and signatures. Pure.

/// Lowercase hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    ::hex::encode(bytes)
}

/// Standard base64 with padding (RFC 4648 §4); decoding accepts only the
/// canonical encoding, so one value has one text.
pub mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let mut group = [0u8; 4];
            group[1..=chunk.len()].copy_from_slice(chunk);
            let n = u32::from_be_bytes(group);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let raw = text.as_bytes();
        if !raw.len().is_multiple_of(4) {
            return None;
        }
        let mut out = Vec::with_capacity(raw.len() / 4 * 3);
        for chunk in raw.chunks(4) {
            let pad = chunk
                .iter()
                .rev()
                .take_while(|&&c| c == b'=')
                .count()
                .min(2);
            let mut n = 0u32;
            for &c in &chunk[..4 - pad] {
                let v = ALPHABET.iter().position(|&a| a == c)?;
                n = n << 6 | v as u32;
            }
            n <<= 6 * pad;
            out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
        }
        // Padding only at the end, zero spare bits: re-encoding must agree.
        (encode(&out) == text).then_some(out)
    }

    /// The lenient reading a keyring file has always had: padding optional
    /// (trailing `=` ignored), spare bits dropped. Only for texts written
    /// before [`encode`] was the one writer; new formats use [`decode`].
    pub fn decode_lenient(text: &str) -> Option<Vec<u8>> {
        let text = text.trim_end_matches('=');
        let mut out = Vec::with_capacity(text.len() * 3 / 4);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.bytes() {
            let v = ALPHABET.iter().position(|&a| a == c)? as u32;
            buffer = (buffer << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
            }
        }
        Some(out)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn rfc4648_vectors() {
            let cases = [
                ("", ""),
                ("f", "Zg=="),
                ("fo", "Zm8="),
                ("foo", "Zm9v"),
                ("foob", "Zm9vYg=="),
                ("fooba", "Zm9vYmE="),
                ("foobar", "Zm9vYmFy"),
            ];
            for (plain, coded) in cases {
                assert_eq!(encode(plain.as_bytes()), coded);
                assert_eq!(decode(coded).as_deref(), Some(plain.as_bytes()));
            }
        }

        #[test]
        fn non_canonical_is_rejected() {
            for bad in ["Zg=", "Zh==", "Zg==Zg==", "Z===", "Zm9v\n", "Zm 9", "Zg=a"] {
                assert_eq!(decode(bad), None, "{bad:?}");
            }
        }

        #[test]
        fn lenient_reads_unpadded_and_padded_alike() {
            for plain in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
                let coded = encode(plain.as_bytes());
                assert_eq!(decode_lenient(&coded).as_deref(), Some(plain.as_bytes()));
                let bare = coded.trim_end_matches('=');
                assert_eq!(decode_lenient(bare).as_deref(), Some(plain.as_bytes()));
            }
            assert_eq!(decode_lenient("Zm 9"), None);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(super::hex(&[]), "");
        assert_eq!(super::hex(&[0, 9, 10, 255, 0x5a]), "00090aff5a");
    }
}
