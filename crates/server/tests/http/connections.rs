//! Connections over a real socket on 127.0.0.1: the cap, the timeouts, a
//! health check answered while the cap is full, and TLS. Every test holds a
//! bounded number of connections for a bounded time, and only to loopback.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use trustgate_server::{Connections, Tls};

use crate::harness::TestApp;

/// A server on port 0; stops when the returned sender is dropped or sent to.
struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _app: TestApp,
}

impl Running {
    async fn start(connections: Connections, tls: Option<Tls>) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = TestApp::new().await;
        let server = tokio::spawn(trustgate_server::serve_with(
            listener,
            app.state.clone(),
            connections,
            tls,
            async {
                let _ = stopped.await;
            },
        ));
        Running {
            addr,
            stop: Some(stop),
            server: Some(server),
            _app: app,
        }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(20), server)
                .await
                .expect("the server stops")
                .unwrap()
                .unwrap();
        }
    }
}

/// One request on a fresh connection that closes after it; the whole
/// response, or an error after 5 s.
async fn request(addr: SocketAddr, path: &str) -> String {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    exchange(&mut conn, path).await
}

async fn exchange(conn: &mut (impl AsyncRead + AsyncWrite + Unpin), path: &str) -> String {
    conn.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut response = Vec::new();
    // A TLS peer may close without close_notify; what arrived is the answer.
    let _ = tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut response)).await;
    String::from_utf8_lossy(&response).into_owned()
}

/// Whether the server closes `conn` (EOF or reset) within `limit`; whatever
/// it sends before closing is read and ignored.
async fn closed_within(conn: &mut (impl AsyncRead + Unpin), limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

/// 300 connections that send nothing, against a cap of 8 and timeouts far
/// longer than the test: the health check still answers, each time, and
/// the server holds no more than its cap (the oldest idle ones are closed
/// to make room).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_cannot_crowd_out_a_health_check() {
    const HELD: usize = 300;
    const CAP: usize = 8;
    let server = Running::start(
        Connections {
            max: CAP,
            header_read_timeout: Duration::from_secs(60),
            stall_timeout: Duration::from_secs(60),
        },
        None,
    )
    .await;
    let mut idle = Vec::with_capacity(HELD);
    for _ in 0..HELD {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    for _ in 0..3 {
        let started = Instant::now();
        let response = request(server.addr, "/healthz").await;
        assert!(
            response.starts_with("HTTP/1.1 200 OK") && response.ends_with("ok"),
            "{response:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }
    let mut checks = tokio::task::JoinSet::new();
    for mut conn in idle {
        checks.spawn(async move { closed_within(&mut conn, Duration::from_secs(3)).await });
    }
    let mut closed = 0;
    while let Some(c) = checks.join_next().await {
        closed += usize::from(c.unwrap());
    }
    assert!(
        closed >= HELD - CAP,
        "only {closed} of {HELD} idle connections were closed"
    );
    server.stop().await;
}

/// A connection that sends nothing, one kept alive after a request, one
/// that sends its head a line at a time, and one whose body stops halfway
/// are all closed after their timeouts. The first three close well before
/// the stall timeout could: the head timeout (hyper's, which starts again
/// after each response) is what closes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_slow_and_stalled_connections_are_closed() {
    let head = Duration::from_millis(800);
    let stall = Duration::from_secs(3);
    let server = Running::start(
        Connections {
            max: 64,
            header_read_timeout: head,
            stall_timeout: stall,
        },
        None,
    )
    .await;
    let addr = server.addr;
    let margin = Duration::from_millis(1500);
    assert!(head + margin < stall);

    // Sends nothing.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    assert!(
        closed_within(&mut silent, head + margin).await,
        "a silent connection stays open"
    );
    assert!(
        started.elapsed() >= head / 2,
        "closed too early: {:?}",
        started.elapsed()
    );

    // Kept alive after one request, then idle.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.ends_with(b"ok") {
        let n = tokio::time::timeout(Duration::from_secs(5), kept.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "closed before answering");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(got.starts_with(b"HTTP/1.1 200 OK"));
    assert!(
        closed_within(&mut kept, head + margin).await,
        "an idle kept-alive connection stays open"
    );

    // A head sent a line every 200 ms, never finished.
    let slow = TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = slow.into_split();
    let trickle = tokio::spawn(async move {
        let _ = write
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            .await;
        for i in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write
                .write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    });
    assert!(
        closed_within(&mut read, head + margin).await,
        "a slow head is waited for"
    );
    trickle.abort();

    // A body announced as 1000 bytes that stops after 10: closed after the
    // stall timeout, well before the 10 s request time limit would answer.
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(b"POST /api/v1/decisions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"place\": ")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        closed_within(&mut stalled, stall + margin).await,
        "a stalled body is waited for"
    );
    assert!(started.elapsed() < trustgate_server::TIME_LIMIT);
    server.stop().await;
}

/// With a certificate and key, the server speaks TLS (and only TLS) and
/// tells browsers to keep to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_served_with_a_certificate_and_key() {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let tls = Tls::from_pem(
        cert.pem().as_bytes(),
        signing_key.serialize_pem().as_bytes(),
    )
    .unwrap();
    let server = Running::start(
        Connections {
            max: 16,
            header_read_timeout: Duration::from_secs(5),
            stall_timeout: Duration::from_secs(5),
        },
        Some(tls),
    )
    .await;

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut conn = tokio::time::timeout(
        Duration::from_secs(5),
        tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp),
    )
    .await
    .expect("the handshake finishes")
    .expect("the handshake succeeds");
    let response = exchange(&mut conn, "/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response:?}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "{response}"
    );
    // Plain HTTP on the TLS port gets no answer.
    let plain = request(server.addr, "/healthz").await;
    assert!(!plain.contains("200 OK"), "{plain:?}");
    server.stop().await;
}
