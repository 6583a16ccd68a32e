//! `trustgate serve` as an operator starts it: TLS from a certificate and key,
//! and a warning when it would serve the network in the clear.

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
