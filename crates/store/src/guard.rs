//! Sign-in guards are kept by keyed digests, never by what was typed or where
//! it came from: a name typed at sign-in may be a password typed in the wrong
//! box, and a client's address says where a person is. HMAC-SHA256 under the
//! store's sign-in key (`sign_in_key`, drawn on first use) turns each into a
//! fixed 32-byte key that counts the same on every server sharing the
//! database and survives a restart, so a lock means the same everywhere.
//!
//! The key is in the database, so whoever holds the database can test
//! guesses against a digest (every IPv4 address, a dictionary of names); it
//! keeps the values out of backups, exports, the audit log and the eyes of
//! the log's readers, who never see the key.

use std::fmt;
use std::net::IpAddr;

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

/// A name as typed at sign-in: may be anything, even a password, so its
/// `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Typed(pub(crate) String);

impl fmt::Debug for Typed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Typed(…)")
    }
}

fn keyed(key: &[u8], label: &[u8], value: &[u8]) -> [u8; 32] {
    // HMAC accepts a key of any length; the store's is 32 bytes.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(label);
    mac.update(&[0]);
    mac.update(value);
    mac.finalize().into_bytes().into()
}

/// The guard key of a name as typed (known or not: the same function, so
/// the two are counted alike).
pub(crate) fn name_key(key: &[u8], typed: &str) -> [u8; 32] {
    keyed(key, b"sign-in name", typed.as_bytes())
}

/// The guard key of a client: an IPv4 address, or an IPv6 /64 (one
/// subscriber's usual allocation, so hopping within it is one source).
/// Without a peer address (in-process calls) every caller is one source.
pub(crate) fn source_key(key: &[u8], source: Option<IpAddr>) -> [u8; 32] {
    let bytes: Vec<u8> = match source.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => [&[4u8][..], &v4.octets()].concat(),
        Some(IpAddr::V6(v6)) => [&[6u8][..], &v6.octets()[..8]].concat(),
        None => vec![0],
    };
    keyed(key, b"sign-in source", &bytes)
}

/// The first 8 bytes of a guard key in hex: enough to follow one source or
/// one unknown name through the audit log, nothing more.
pub(crate) fn short(k: &[u8; 32]) -> String {
    trustgate_audit::encoding::hex(k.get(..8).unwrap_or(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_addresses_or_ipv6_prefixes_under_the_key() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let k = [7u8; 32];
        let a = source_key(&k, ip("192.0.2.1"));
        assert_eq!(a, source_key(&k, ip("::ffff:192.0.2.1")), "mapped IPv4");
        assert_ne!(a, source_key(&k, ip("192.0.2.2")));
        assert_ne!(a, source_key(&[8u8; 32], ip("192.0.2.1")), "keyed");
        assert_eq!(
            source_key(&k, ip("2001:db8:1:2::1")),
            source_key(&k, ip("2001:db8:1:2:ffff::9")),
            "one /64"
        );
        assert_ne!(
            source_key(&k, ip("2001:db8:1:2::1")),
            source_key(&k, ip("2001:db8:1:3::1"))
        );
        assert_ne!(source_key(&k, None), a);
        assert_ne!(name_key(&k, "clerk.one"), name_key(&k, "clerk.two"));
        assert_eq!(short(&a).len(), 16);
        assert_eq!(format!("{:?}", Typed("hunter2".into())), "Typed(…)");
    }
}
