//! The canonical encoding is one-to-one.

use proptest::prelude::*;
use trustgate_audit::{Entry, State};

fn any_state() -> impl Strategy<Value = State> {
    prop_oneof![
        Just(State::Format1),
        Just(State::NoRecord),
        (".{0,12}", any::<[u8; 32]>()).prop_map(|(record, digest)| State::After { record, digest }),
        (".{0,12}", any::<[u8; 32]>()).prop_map(|(record, digest)| State::Read { record, digest }),
        any::<[u8; 32]>().prop_map(|digest| State::Returned { digest }),
    ]
}

fn any_entry() -> impl Strategy<Value = Entry> {
    (
        any::<u64>(),
        any::<i64>(),
        ".{0,12}",
        ".{0,12}",
        ".{0,12}",
        ".{0,40}",
        any_state(),
    )
        .prop_map(
            |(seq, time_ms, actor, action, object, detail, state)| Entry {
                seq,
                time_ms,
                actor,
                action,
                object,
                detail,
                state,
            },
        )
}

proptest! {
    #[test]
    fn bytes_round_trip(e in any_entry()) {
        prop_assert_eq!(Entry::from_bytes(&e.to_bytes()), Ok(e));
    }

    #[test]
    fn different_entries_have_different_bytes(a in any_entry(), b in any_entry()) {
        prop_assert_eq!(a == b, a.to_bytes() == b.to_bytes());
        prop_assert_eq!(a == b, a.leaf_hash() == b.leaf_hash());
    }
}
