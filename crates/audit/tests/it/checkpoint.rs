//! Signed checkpoints: round trip, wrong key, altered text.

use trustgate_audit::checkpoint::{sign, verify};
use trustgate_audit::{Checkpoint, CheckpointError, SigningKey};

use crate::{build, entry};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn checkpoint() -> Checkpoint {
    let (_, _, head) = build((0..13).map(entry).collect());
    head.checkpoint("trustgate.example/cambridge/audit", 1_718_000_123_456)
}

#[test]
fn round_trip() {
    let cp = checkpoint();
    let text = sign(&cp, &key(1)).unwrap();
    assert_eq!(verify(&text, &key(1).verifying_key()), Ok(cp.clone()));

    // The text is a C2SP checkpoint: origin, size, base64 root, then the
    // time extension line, a blank line and one signature line.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(lines[0], cp.origin);
    assert_eq!(lines[1], "13");
    assert_eq!(lines[2].len(), 44);
    assert_eq!(lines[3], "time-ms 1718000123456");
    assert_eq!(lines[4], "");
    assert!(lines[5].starts_with("— trustgate.example/cambridge/audit "));
    assert!(text.ends_with('\n'));

    // Negative times and the empty tree survive too.
    let odd = Checkpoint {
        size: 0,
        time_ms: -5,
        ..cp
    };
    assert_eq!(
        verify(&sign(&odd, &key(1)).unwrap(), &key(1).verifying_key()),
        Ok(odd)
    );
}

#[test]
fn wrong_key_is_rejected() {
    let text = sign(&checkpoint(), &key(1)).unwrap();
    assert_eq!(
        verify(&text, &key(2).verifying_key()),
        Err(CheckpointError::NotSigned(
            "trustgate.example/cambridge/audit".into()
        ))
    );
}

#[test]
fn other_signatures_are_ignored() {
    let cp = checkpoint();
    let text = sign(&cp, &key(1)).unwrap();
    // A witness cosigning under its own name: appended, and ignored.
    let witness = sign(&cp, &key(3)).unwrap();
    let witness_line = witness.lines().last().unwrap();
    let cosigned = format!("{text}{witness_line}\n");
    assert_eq!(verify(&cosigned, &key(1).verifying_key()), Ok(cp.clone()));
    assert_eq!(verify(&cosigned, &key(3).verifying_key()), Ok(cp));
}

#[test]
fn altered_text_is_rejected() {
    let cp = checkpoint();
    let text = sign(&cp, &key(1)).unwrap();
    let public = key(1).verifying_key();
    let root_line = text.lines().nth(2).unwrap().to_owned();
    let other_root = sign(
        &Checkpoint {
            root: [7; 32],
            ..cp.clone()
        },
        &key(1),
    )
    .unwrap();
    let other_root_line = other_root.lines().nth(2).unwrap();
    let altered = [
        text.replacen("\n13\n", "\n12\n", 1),
        text.replacen("\n13\n", "\n130\n", 1),
        text.replacen(&root_line, other_root_line, 1),
        text.replacen("time-ms 1718000123456", "time-ms 1718000123457", 1),
        // A valid-looking signature from another note, pasted in.
        format!(
            "{}{}",
            &text[..text.rfind("— ").unwrap()],
            other_root.lines().last().unwrap()
        ) + "\n",
    ];
    for bad in altered {
        assert_eq!(
            verify(&bad, &public),
            Err(CheckpointError::BadSignature),
            "{bad}"
        );
    }
    // Changing the origin changes the key id the verifier looks for.
    let renamed = text.replacen(
        "trustgate.example/cambridge/audit\n",
        "trustgate.example/boston/audit\n",
        1,
    );
    assert!(matches!(
        verify(&renamed, &public),
        Err(CheckpointError::NotSigned(_))
    ));
}

#[test]
fn malformed_text_is_rejected() {
    let text = sign(&checkpoint(), &key(1)).unwrap();
    let public = key(1).verifying_key();
    let body_end = text.find("\n\n").unwrap() + 1;
    let malformed = [
        String::new(),
        text[..body_end].to_owned(),
        text.trim_end().to_owned(),
        text.replacen("\n— ", "\n- ", 1),
        format!("\r{text}"),
        text.replacen("trustgate.example/cambridge/audit\n", "trust gate\n", 1),
        format!("{text}{}", "x".repeat(20_000)),
    ];
    for bad in malformed {
        assert!(
            matches!(verify(&bad, &public), Err(CheckpointError::Malformed(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn bad_origin_cannot_be_signed() {
    for origin in ["", "a b", "a+b", "a\nb"] {
        let cp = Checkpoint {
            origin: origin.into(),
            ..checkpoint()
        };
        assert_eq!(
            sign(&cp, &key(1)),
            Err(CheckpointError::BadOrigin(origin.into()))
        );
    }
}
