//! Sign-in throttling. Checking a password costs tens of milliseconds of a
//! core and 19 MiB by design, so unauthenticated callers must not be able to
//! ask for it without limit: at most [`PER_ADDRESS`] attempts per client
//! address per minute (the per-account lockout in the store is the other
//! half), and at most [`AT_ONCE`] checks at a time, whatever the number of
//! callers.
//!
//! Behind a reverse proxy every client has the proxy's address, so the
//! per-address limit then applies to all of them together; deployments
//! behind one should rate-limit at the proxy as well.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use tokio::sync::Semaphore;

/// Sign-in attempts allowed per client address per window.
pub(crate) const PER_ADDRESS: u32 = 20;
/// The window, in ms.
pub(crate) const WINDOW_MS: i64 = 60_000;
/// Password checks running at once.
pub(crate) const AT_ONCE: usize = 2;
/// Addresses remembered before expired windows are swept.
const REMEMBERED: usize = 10_000;

/// Requests counted per client address in fixed one-minute windows. An
/// IPv6 address counts by its /64, which one subscriber usually holds whole.
#[derive(Debug)]
pub(crate) struct PerAddress {
    limit: u32,
    windows: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

impl PerAddress {
    pub(crate) fn new(limit: u32) -> PerAddress {
        PerAddress {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `addr` at `now_ms`; `Err(retry_after_s)` when
    /// over the limit.
    pub(crate) fn admit(&self, addr: IpAddr, now_ms: i64) -> Result<(), i64> {
        let key = match addr.to_canonical() {
            IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
            v4 => v4,
        };
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= REMEMBERED {
            windows.retain(|_, (start, _)| now_ms - *start < WINDOW_MS);
        }
        let (start, count) = windows.entry(key).or_insert((now_ms, 0));
        if now_ms - *start >= WINDOW_MS {
            (*start, *count) = (now_ms, 0);
        }
        if *count >= self.limit {
            return Err(((*start + WINDOW_MS - now_ms + 999) / 1000).max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[derive(Debug)]
pub(crate) struct SignInThrottle {
    pub(crate) checks: Semaphore,
    attempts: PerAddress,
}

impl SignInThrottle {
    pub(crate) fn new() -> SignInThrottle {
        SignInThrottle {
            checks: Semaphore::new(AT_ONCE),
            attempts: PerAddress::new(PER_ADDRESS),
        }
    }

    /// Counts an attempt from `addr` at `now_ms`; `Err(retry_after_s)` when
    /// over the limit.
    pub(crate) fn admit(&self, addr: IpAddr, now_ms: i64) -> Result<(), i64> {
        self.attempts.admit(addr, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_window() {
        let t = SignInThrottle::new();
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        for _ in 0..PER_ADDRESS {
            assert_eq!(t.admit(a, 1_000), Ok(()));
        }
        assert_eq!(t.admit(a, 31_000), Err(30));
        assert_eq!(t.admit(b, 31_000), Ok(()), "another address is not held up");
        assert_eq!(t.admit(a, 61_000), Ok(()), "a new window");
    }

    #[test]
    fn an_ipv6_subscriber_counts_once_for_its_whole_slash_64() {
        let t = PerAddress::new(2);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(t.admit(a, 0), Ok(()));
        assert_eq!(t.admit(b, 0), Ok(()));
        assert!(t.admit(a, 0).is_err(), "the same /64");
        assert_eq!(t.admit(other, 0), Ok(()), "another /64");
    }
}
