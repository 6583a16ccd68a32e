//! The canonical encoding is one-to-one.

use proptest::prelude::*;
use trustgate_audit::Entry;

fn any_entry() -> impl Strategy<Value = Entry> {
    (
        any::<u64>(),
        any::<i64>(),
        ".{0,12}",
        ".{0,12}",
        ".{0,12}",
        ".{0,40}",
    )
        .prop_map(|(seq, time_ms, actor, action, object, detail)| Entry {
            seq,
            time_ms,
            actor,
            action,
            object,
            detail,
        })
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
