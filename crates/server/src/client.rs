//! Who is on the other end: the client's address, for sign-in lockout and
//! throttling.
//!
//! Served directly, it is the connection's peer. Behind a reverse proxy every
//! connection comes from the proxy, so lockout per (name, source) would become
//! lockout per name again, and anyone could lock anyone out. The operator
//! names the proxies it trusts ([`TrustedProxies`]); only for a connection
//! from one of them is `X-Forwarded-For` read, from the right, skipping
//! trusted hops, and the first address not trusted is the client. A header
//! from anyone else is ignored, so a client cannot choose its own source.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

/// An address block: `10.0.0.0/8`, `2001:db8::/32`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressBlock {
    network: IpAddr,
    prefix: u8,
}

impl AddressBlock {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for AddressBlock {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network = addr
            .parse::<IpAddr>()
            .map_err(|_| format!("`{s}` is not an IP address or block (10.0.0.0/8, ::1)"))?
            .to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {bits}"))?,
        };
        let block = AddressBlock { network, prefix };
        // `10.0.0.1/8` is most likely a typo for a single proxy.
        if block.masked() != network {
            return Err(format!(
                "`{s}` has bits set beyond its prefix: did you mean {}/{prefix}?",
                block.masked()
            ));
        }
        Ok(block)
    }
}

impl AddressBlock {
    fn masked(&self) -> IpAddr {
        match self.network {
            IpAddr::V4(n) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(n) & mask).into())
            }
            IpAddr::V6(n) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(n) & mask).into())
            }
        }
    }
}

impl fmt::Display for AddressBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed. Empty (the
/// default): the header is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<AddressBlock>);

impl TrustedProxies {
    /// Trust these blocks.
    pub fn new(blocks: Vec<AddressBlock>) -> TrustedProxies {
        TrustedProxies(blocks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|b| b.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy
    /// and says who it forwards for. `None` in-process (no socket).
    pub(crate) fn client(&self, headers: &HeaderMap, extensions: &Extensions) -> Option<IpAddr> {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_canonical())?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        // Every `X-Forwarded-For` line, in order, is one list; each proxy
        // appends the address it received the request from.
        let mut hops = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            let Ok(value) = value.to_str() else {
                return Some(peer);
            };
            for hop in value.split(',') {
                match hop.trim().parse::<IpAddr>() {
                    Ok(ip) => hops.push(ip.to_canonical()),
                    // A list we cannot read: the proxy is the source we know.
                    Err(_) => return Some(peer),
                }
            }
        }
        let origin = hops.first().copied();
        Some(
            hops.into_iter()
                .rev()
                .find(|ip| !self.trusts(*ip))
                // Trusted all the way: the request began inside, at the first.
                .or(origin)
                .unwrap_or(peer),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(peer: &str, forwarded: &[&str], trusted: &[&str]) -> Option<IpAddr> {
        let proxies = TrustedProxies::new(trusted.iter().map(|b| b.parse().unwrap()).collect());
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", f.parse().unwrap());
        }
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 4000)));
        proxies.client(&headers, &extensions)
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        assert_eq!(
            from("198.51.100.7", &["203.0.113.1"], &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            from("198.51.100.7", &["203.0.113.1"], &["10.0.0.0/8"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted = ["10.0.0.0/8", "::1"];
        assert_eq!(
            from("10.0.0.2", &["203.0.113.1"], &trusted),
            ip("203.0.113.1")
        );
        // A client cannot choose its source by sending the header itself: the
        // proxy appends the real one, and that is what is read.
        assert_eq!(
            from("10.0.0.2", &["192.0.2.66, 203.0.113.1"], &trusted),
            ip("203.0.113.1")
        );
        // Two proxies in a row, on two header lines.
        assert_eq!(
            from("::1", &["192.0.2.66, 203.0.113.1", "10.1.2.3"], &trusted),
            ip("203.0.113.1")
        );
        // IPv4 mapped into IPv6 is the same address.
        assert_eq!(
            from("::ffff:10.0.0.2", &["::ffff:203.0.113.1"], &trusted),
            ip("203.0.113.1")
        );
    }

    #[test]
    fn without_a_readable_header_the_proxy_is_the_source() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(from("10.0.0.2", &[], &trusted), ip("10.0.0.2"));
        assert_eq!(from("10.0.0.2", &["unknown"], &trusted), ip("10.0.0.2"));
    }

    #[test]
    fn a_request_from_inside_the_trusted_network_comes_from_where_it_began() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(
            from("10.0.0.2", &["10.9.9.9, 10.0.0.3"], &trusted),
            ip("10.9.9.9")
        );
    }

    #[test]
    fn blocks_are_read_strictly() {
        assert!("10.0.0.0/8".parse::<AddressBlock>().is_ok());
        assert!("2001:db8::/32".parse::<AddressBlock>().is_ok());
        assert!("0.0.0.0/0".parse::<AddressBlock>().is_ok());
        let typo = "10.0.0.1/8".parse::<AddressBlock>().unwrap_err();
        assert!(typo.contains("did you mean 10.0.0.0/8"), "{typo}");
        assert!("10.0.0.0/33".parse::<AddressBlock>().is_err());
        assert!("proxy.local".parse::<AddressBlock>().is_err());
        assert!("10.0.0.0/".parse::<AddressBlock>().is_err());
    }
}
