//! Sign-in guards (issue 10, item 8): failures count per name as typed and
//! source, an unknown name exactly like a known one, a brake on one name
//! from many sources slows without locking its owner out, and neither the
//! address nor an unknown name is stored in clear. Each runs on both
//! backends.

use std::net::IpAddr;
use std::sync::Arc;

use trustgate_access::{
    BRAKE_AFTER, BRAKE_SPACING_MS, LOCKOUT_MS, MAX_FAILED_SIGN_INS, Role, TRUSTED_SOURCE_MS,
};
use trustgate_store::{Actor, Attempt, NewAccount, SignInOutcome};

use crate::conformance::{all_entries, reach_all, verified_size};
use crate::harness::Fixture;

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

fn from(source: Option<IpAddr>, password_ok: bool, step: Option<i64>, session: u8) -> Attempt {
    Attempt {
        password_ok,
        totp_step: step,
        session_hash: [session; 32],
        source,
    }
}

async fn clerk(fx: &Fixture) {
    fx.store
        .add_account(
            &reach_all(&Actor::system("user-add")),
            NewAccount {
                username: "clerk.one".into(),
                role: Role::RecordsClerk,
                password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
                totp_secret: vec![7; 20],
            },
        )
        .await
        .unwrap();
}

/// The outcome with its time made relative to `now`, so two sequences run
/// at different instants compare.
fn relative(o: SignInOutcome, now: i64) -> String {
    match o {
        SignInOutcome::Locked { until_ms } => format!("locked for {} s", (until_ms - now) / 1000),
        other => format!("{other:?}"),
    }
}

pub async fn a_name_locks_only_for_the_source_that_failed(fx: Arc<Fixture>) {
    clerk(&fx).await;
    let a = ip("192.0.2.10");
    let mut got = Vec::new();
    for n in 0..MAX_FAILED_SIGN_INS {
        let o = fx
            .store
            .finish_sign_in("clerk.one", from(a, false, Some(10 + n), 1))
            .await
            .unwrap();
        got.push(matches!(o, SignInOutcome::Locked { .. }));
    }
    assert_eq!(got, [false, false, false, false, true], "the fifth locks");
    // Locked from A even with the right password and a fresh code.
    let at_a = fx
        .store
        .finish_sign_in("clerk.one", from(a, true, Some(20), 2))
        .await
        .unwrap();
    let SignInOutcome::Locked { until_ms } = at_a else {
        panic!("{at_a:?}")
    };
    assert!(until_ms >= crate::harness::T0 + LOCKOUT_MS, "{until_ms}");
    assert!(fx.store.session(&[2; 32]).await.unwrap().is_err());
    // The owner, elsewhere, signs in.
    let at_b = fx
        .store
        .finish_sign_in("clerk.one", from(ip("198.51.100.7"), true, Some(21), 3))
        .await
        .unwrap();
    assert_eq!(at_b, SignInOutcome::SignedIn(Role::RecordsClerk));
    // Another address in A's IPv6 /64 is A: hopping within it does not help.
    let v6 = ip("2001:db8:aa:1::1");
    for n in 0..MAX_FAILED_SIGN_INS {
        fx.store
            .finish_sign_in("clerk.one", from(v6, false, None, 4 + n as u8))
            .await
            .unwrap();
    }
    let hop = fx
        .store
        .finish_sign_in(
            "clerk.one",
            from(ip("2001:db8:aa:1:9::2"), true, Some(22), 20),
        )
        .await
        .unwrap();
    assert!(matches!(hop, SignInOutcome::Locked { .. }), "{hop:?}");

    // The lock lapses after LOCKOUT_MS (the CJIS 5.5.3 lockout), and A signs in.
    fx.clock.advance(LOCKOUT_MS);
    let later = fx
        .store
        .finish_sign_in("clerk.one", from(a, true, Some(23), 21))
        .await
        .unwrap();
    assert_eq!(later, SignInOutcome::SignedIn(Role::RecordsClerk));
    verified_size(&fx).await;
}

pub async fn unknown_names_are_counted_like_known_ones(fx: Arc<Fixture>) {
    clerk(&fx).await;
    let a = ip("192.0.2.20");
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for n in 0..7 {
        let now = crate::harness::T0;
        let k = fx
            .store
            .finish_sign_in("clerk.one", from(a, false, Some(30 + n), 1))
            .await
            .unwrap();
        known.push(relative(k, now));
        // Both a well-formed name and one no account could have.
        for name in ["clerk.two", "Not A Name!"] {
            let u = fx
                .store
                .finish_sign_in(name, from(a, true, Some(30 + n), 2))
                .await
                .unwrap();
            unknown.push((name, relative(u, now)));
        }
    }
    assert_eq!(&known[..4], ["Failed"; 4]);
    assert!(
        known[4..].iter().all(|o| o.starts_with("locked for 9")),
        "{known:?}"
    );
    for (i, (name, u)) in unknown.iter().enumerate() {
        assert_eq!(u, &known[i / 2], "{name}, try {}", i / 2 + 1);
    }
    // Every attempt is in the log; an unknown name by digest only.
    let log = all_entries(&fx).await;
    let anonymous: Vec<_> = log
        .iter()
        .filter(|s| s.entry.actor == "anonymous")
        .collect();
    assert_eq!(anonymous.len(), 14);
    assert!(anonymous.iter().all(|s| s.entry.object == "account/unknown"
        && s.entry.detail.starts_with("name ")
        && s.entry.detail.contains(" from ")));
    // The two unknown names are told apart by their digests.
    let names: std::collections::BTreeSet<_> = anonymous
        .iter()
        .map(|s| s.entry.detail.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(
        anonymous
            .iter()
            .filter(|s| s.entry.action == "sign-in-locked")
            .count(),
        4,
        "locked twice each"
    );
}

pub async fn many_sources_brake_a_name_without_locking_its_owner_out(fx: Arc<Fixture>) {
    clerk(&fx).await;
    // The owner signs in from the office: a trusted source from then on.
    let office = ip("198.51.100.1");
    let ok = fx
        .store
        .finish_sign_in("clerk.one", from(office, true, Some(1), 1))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::RecordsClerk));
    // A distributed guess: four addresses, five tries each.
    let mut n = 0;
    for host in 1..=BRAKE_AFTER / MAX_FAILED_SIGN_INS {
        for _ in 0..MAX_FAILED_SIGN_INS {
            n += 1;
            fx.store
                .finish_sign_in(
                    "clerk.one",
                    from(ip(&format!("203.0.113.{host}")), false, None, 2),
                )
                .await
                .unwrap();
        }
    }
    assert_eq!(n, BRAKE_AFTER);
    // A fresh address is not tried at all: braked, for BRAKE_SPACING_MS.
    let t = crate::harness::T0;
    let fresh = fx
        .store
        .finish_sign_in("clerk.one", from(ip("203.0.113.99"), true, Some(2), 3))
        .await
        .unwrap();
    let SignInOutcome::Locked { until_ms } = fresh else {
        panic!("{fresh:?}")
    };
    assert!(
        until_ms > t && until_ms - t <= BRAKE_SPACING_MS + 1000,
        "{until_ms}"
    );
    // The owner, from the office, is not braked.
    let owner = fx
        .store
        .finish_sign_in("clerk.one", from(office, true, Some(3), 4))
        .await
        .unwrap();
    assert_eq!(owner, SignInOutcome::SignedIn(Role::RecordsClerk));
    // The brake only slows: after the spacing, one try from a new place, and
    // the owner on the road gets in.
    fx.clock.advance(BRAKE_SPACING_MS);
    let road = fx
        .store
        .finish_sign_in("clerk.one", from(ip("192.0.2.200"), true, Some(4), 5))
        .await
        .unwrap();
    assert_eq!(road, SignInOutcome::SignedIn(Role::RecordsClerk));
    // One more failure from a new place brakes again for the spacing.
    fx.store
        .finish_sign_in("clerk.one", from(ip("203.0.113.100"), false, None, 6))
        .await
        .unwrap();
    let again = fx
        .store
        .finish_sign_in("clerk.one", from(ip("203.0.113.101"), false, None, 7))
        .await
        .unwrap();
    assert!(matches!(again, SignInOutcome::Locked { .. }), "{again:?}");
    // Trust lapses TRUSTED_SOURCE_MS after the last sign-in from a place:
    // under a new attack, the office is braked like any stranger.
    fx.clock.advance(TRUSTED_SOURCE_MS);
    for host in 1..=BRAKE_AFTER / MAX_FAILED_SIGN_INS {
        for _ in 0..MAX_FAILED_SIGN_INS {
            fx.store
                .finish_sign_in(
                    "clerk.one",
                    from(ip(&format!("203.0.113.{host}")), false, None, 9),
                )
                .await
                .unwrap();
        }
    }
    let stranger = fx
        .store
        .finish_sign_in("clerk.one", from(office, true, Some(5), 10))
        .await
        .unwrap();
    assert!(
        matches!(stranger, SignInOutcome::Locked { .. }),
        "{stranger:?}"
    );
    let log = all_entries(&fx).await;
    assert_eq!(
        log.iter()
            .filter(|s| s.entry.action == "sign-in-locked" && s.entry.detail.ends_with(", braked"))
            .count(),
        3
    );
    verified_size(&fx).await;
}

pub async fn sign_in_stores_no_address_or_unknown_name_in_clear(fx: Arc<Fixture>) {
    clerk(&fx).await;
    let addr = "203.0.113.77";
    let typed = "Tr0ub4dor&3-typed-in-the-wrong-box";
    for n in 0..6 {
        fx.store
            .finish_sign_in(typed, from(ip(addr), true, Some(n), 1))
            .await
            .unwrap();
        fx.store
            .finish_sign_in("clerk.one", from(ip(addr), false, Some(n), 2))
            .await
            .unwrap();
    }
    let ok = fx
        .store
        .finish_sign_in("clerk.one", from(ip("2001:db8:77::1"), true, Some(9), 3))
        .await
        .unwrap();
    assert_eq!(ok, SignInOutcome::SignedIn(Role::RecordsClerk));
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let octets = [203u8, 0, 113, 77];
    let v6 = "2001:db8:77::1"
        .parse::<std::net::Ipv6Addr>()
        .unwrap()
        .octets();
    let needles: Vec<Vec<u8>> = vec![
        typed.as_bytes().to_vec(),
        "Tr0ub4dor".as_bytes().to_vec(),
        hex(typed.as_bytes()).into_bytes(),
        addr.as_bytes().to_vec(),
        "2001:db8:77".as_bytes().to_vec(),
        octets.to_vec(),
        hex(&octets).into_bytes(),
        v6[..8].to_vec(),
        hex(&v6[..8]).into_bytes(),
    ];
    let dump = fx.dump().await;
    assert!(dump.len() > 1000, "the dump has the data");
    // The dump does hold the known name (a check that the search can find).
    assert!(dump.windows(9).any(|w| w == b"clerk.one"));
    for needle in &needles {
        assert!(
            !dump.windows(needle.len()).any(|w| w == needle.as_slice()),
            "{:?} is stored in clear",
            String::from_utf8_lossy(needle)
        );
    }
    for s in all_entries(&fx).await {
        let text = format!(
            "{} {} {} {}",
            s.entry.actor, s.entry.action, s.entry.object, s.entry.detail
        );
        assert!(
            !text.contains("Tr0ub4dor")
                && !text.contains("203.0.113")
                && !text.contains("2001:db8"),
            "{text}"
        );
    }
}
