//! `trustgate serve` as an operator starts it: TLS from a certificate and key,
//! a warning when it would serve the network in the clear, and key files
//! refused while other users can read them.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::records::TempDb;
use crate::{text, trustgate};

/// `trustgate serve ARGS`; the child, its address and its log up to the
/// line saying it serves (with the scheme it serves).
fn serve(args: &[&str]) -> (Child, SocketAddr, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .arg("serve")
        .args(args)
        .env("TRUSTGATE_PLACE", "cambridge")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    let addr = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("the server stopped before serving:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.split("trustgate is serving: ").nth(1) {
            let rest = rest.split("://").nth(1).unwrap();
            break rest
                .split('/')
                .next()
                .unwrap()
                .parse::<SocketAddr>()
                .unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr, seen)
}

fn stop(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `trustgate ARGS`, killed if still running after 30 s (a server that
/// should have refused to start).
#[cfg(unix)]
fn trustgate_briefly(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(args)
        .env("TRUSTGATE_PLACE", "cambridge")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn chmod(path: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn listening_beyond_loopback_without_tls_is_warned_about() {
    let tmp = TempDb::new("exposed");
    let db = tmp.db();
    let warning = "listening beyond this machine without TLS";
    let (child, _, log) = serve(&["--listen", "127.0.0.1:0", "--database", &db]);
    stop(child);
    assert!(!log.contains(warning), "{log}");
    // Bound on every interface but never sent anything: the test only reads the log.
    let (child, _, log) = serve(&["--listen", "0.0.0.0:0", "--database", &db]);
    stop(child);
    assert!(log.contains(warning), "{log}");
    assert!(log.contains("trustgate is serving: http://"), "{log}");
}

#[test]
fn serves_https_with_a_certificate_and_key() {
    let tmp = TempDb::new("tls");
    let db = tmp.db();
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_file, key_file) = (tmp.file("cert.pem"), tmp.file("key.pem"));
    std::fs::write(&cert_file, cert.pem()).unwrap();
    std::fs::write(&key_file, signing_key.serialize_pem()).unwrap();
    #[cfg(unix)]
    chmod(&key_file, 0o600);

    // Either file alone is refused.
    let o = trustgate(
        &["serve", "--tls-cert", &cert_file, "--database", &db],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--tls-key"), "{}", text(&o));
    // A key that is not one.
    let o = trustgate(
        &[
            "serve",
            "--tls-cert",
            &cert_file,
            "--tls-key",
            &cert_file,
            "--database",
            &db,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no private key"), "{}", text(&o));

    let (child, addr, log) = serve(&[
        "--listen",
        "0.0.0.0:0",
        "--tls-cert",
        &cert_file,
        "--tls-key",
        &key_file,
        "--database",
        &db,
    ]);
    assert!(log.contains("trustgate is serving: https://"), "{log}");
    assert!(!log.contains("without TLS"), "{log}");
    // Plain HTTP gets no answer from it.
    let mut plain = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], addr.port()))).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(
        !answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    stop(child);
}

/// Data keys and checkpoint signing keys are refused, by every command that
/// reads them, while the file's group or others may read or write it.
#[cfg(unix)]
#[test]
fn key_files_open_to_other_users_are_refused() {
    let tmp = TempDb::new("key_modes");
    let db = tmp.db();
    let line = trustgate(&["keys", "new", "--id", "k1"], None);
    let ring = tmp.file("data.keys");
    std::fs::write(&ring, &line.stdout).unwrap();
    let signing = tmp.file("signing.key");
    let o = trustgate(
        &[
            "audit",
            "keygen",
            "--name",
            "trustgate.test/audit",
            "--out",
            &signing,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let publish = tmp.file("published");
    let commands: [(&str, Vec<&str>); 4] = [
        (
            &ring,
            vec!["keys", "rotate", "--data-keys", &ring, "--database", &db],
        ),
        (
            &ring,
            vec![
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-keys",
                &ring,
                "--database",
                &db,
            ],
        ),
        (
            &signing,
            vec!["audit", "checkpoint", "--key", &signing, "--database", &db],
        ),
        (
            &signing,
            vec![
                "report",
                "--publish",
                &publish,
                "--checkpoint-key",
                &signing,
                "--database",
                &db,
            ],
        ),
    ];
    for mode in [0o644, 0o640, 0o604, 0o620, 0o602] {
        chmod(&ring, mode);
        chmod(&signing, mode);
        for (file, args) in &commands {
            let o = trustgate_briefly(args);
            assert_eq!(o.status.code(), Some(2), "{mode:o} {args:?}: {}", text(&o));
            assert!(
                text(&o).contains(&format!(
                    "other users may read or change it (mode {mode:03o}): run `chmod 600 {file}`"
                )),
                "{args:?}: {}",
                text(&o)
            );
        }
    }
    chmod(&ring, 0o600);
    chmod(&signing, 0o400);
    for (_, args) in &commands[..1] {
        let o = trustgate(args, None);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
    }
    let o = trustgate(&commands[2].1, None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (child, _, log) = serve(&[
        "--listen",
        "127.0.0.1:0",
        "--data-keys",
        &ring,
        "--database",
        &db,
    ]);
    stop(child);
    assert!(
        log.contains("sealed with the operator's data keys"),
        "{log}"
    );
}
