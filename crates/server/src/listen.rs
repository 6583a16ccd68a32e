//! Holding connections: our own accept loop over hyper's HTTP/1, so that a
//! flood of connections that send nothing cannot use up the process's file
//! descriptors and silence the health check (as 20,000 idle connections
//! once did under `axum::serve`, which has no cap and no timeouts).
//!
//! ## The cap, and health checks at the cap
//!
//! At most [`Connections::max`] connections are open at once (512 by
//! default). When one more arrives at the cap, the server closes the open
//! connection that has been *idle* longest (no request in progress: never
//! one whose request is being answered) and serves the newcomer in its
//! place. So idle connections, however many are opened, cannot lock out a
//! health check or a person: each new connection displaces the oldest idle
//! one, and a flood only churns through its own connections. If every open
//! connection is in the middle of a request, the server stops accepting
//! until one ends; the newcomers wait in the kernel's listen queue, and no
//! request lasts long (the 10 s [`crate::TIME_LIMIT`], or the stall timeout
//! below). Other designs weighed: a slot reserved for `/healthz` cannot
//! know a connection is a health check before reading its request, so an
//! idle flood fills the reserve too; answering `/healthz` before the cap
//! means parsing requests outside the cap, which is the resource being
//! protected.
//!
//! Why 512: Linux gives a service 1,024 open files unless told otherwise
//! (systemd's soft `LimitNOFILE`); 512 connections leave the rest for the
//! store (a SQLite file and its journal, or a PostgreSQL pool), the
//! reports being served and the log, with room to spare. A city's staff and
//! the public reading the law, at a browser's six connections each, need
//! far fewer at once; `serve --max-connections` raises it with the limit.
//!
//! ## Timeouts
//!
//! - [`Connections::header_read_timeout`] (10 s): the whole head of a
//!   request must arrive within this time of the server starting to wait
//!   for it, which hyper does as soon as a connection opens and again right
//!   after each response on a kept-alive connection. So it closes a
//!   connection that sends nothing, one that sends its head a byte at a
//!   time, *and* a kept-alive connection left idle: it is the idle
//!   keep-alive timeout too. (A separate idle timeout could only be
//!   shorter, and idle connections already make way at the cap.) A client
//!   sends its head in one round trip; 10 s forgives a very bad mobile link.
//! - [`Connections::stall_timeout`] (30 s): a connection on which no byte
//!   has moved either way for this long is closed, whatever it is doing: a
//!   request body that stops coming, a response its client stops reading,
//!   a TLS handshake that stalls. Longer than the 10 s time limit of a
//!   request, so a slow answer is never cut off.
//!
//! With TLS, the handshake must finish within the head timeout too, before
//! the wait for the first head begins.
//!
//! On shutdown the loop stops accepting; idle connections close at once,
//! and those with a request in progress close once it is answered.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt as _;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

/// How many connections are held, and for how long they may idle or stall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    /// The most connections open at once; at the cap, the one idle longest
    /// makes way for a new one. At least 1.
    pub max: usize,
    /// How long the server waits for a request's whole head, from when it
    /// starts waiting (the connection opened, or the previous response was
    /// sent): also how long a kept-alive connection may sit idle.
    pub header_read_timeout: Duration,
    /// How long a connection may go without a byte moving either way before
    /// it is closed. Keep it above [`crate::TIME_LIMIT`].
    pub stall_timeout: Duration,
}

impl Connections {
    /// 512 connections, a 10 s head timeout, a 30 s stall timeout (the
    /// module documentation says why).
    pub const STANDARD: Connections = Connections {
        max: 512,
        header_read_timeout: Duration::from_secs(10),
        stall_timeout: Duration::from_secs(30),
    };
}

/// A certificate chain and its private key, for serving HTTPS directly
/// (rustls, with the *ring* provider; TLS 1.2 and 1.3).
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

/// Why a certificate or key cannot be used.
#[derive(Debug)]
pub struct TlsError(String);

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsError {}

impl Tls {
    /// From PEM text: the certificate chain (the server's certificate
    /// first, then its intermediates) and the private key (PKCS#8, PKCS#1
    /// or SEC1).
    pub fn from_pem(cert_chain: &[u8], key: &[u8]) -> Result<Tls, TlsError> {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs = CertificateDer::pem_slice_iter(cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TlsError(format!("the certificate is not PEM: {e}")))?;
        if certs.is_empty() {
            return Err(TlsError(
                "no certificate found (expected a PEM `BEGIN CERTIFICATE` block)".into(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(key)
            .map_err(|e| TlsError(format!("no private key found in PEM: {e}")))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| TlsError(format!("the certificate and key do not go together: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
        })
    }
}

/// What browsers are told when the server speaks TLS: for a year, only
/// HTTPS on this host (not its subdomains, which are not ours to promise).
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");

/// Serves `app(state)` on `listener` until `shutdown` resolves, holding
/// connections as `connections` says, over TLS if `tls` is given; then
/// stops accepting, lets requests in flight finish, and returns when every
/// connection has closed.
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    connections: Connections,
    tls: Option<Tls>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_site(
        listener,
        state,
        crate::Site::Whole,
        connections,
        tls,
        shutdown,
    )
    .await
}

/// [`serve_with`] for one site of the application: the whole, or only the
/// resident's (for a listener the internet reaches).
pub async fn serve_site(
    listener: TcpListener,
    state: AppState,
    which: crate::Site,
    connections: Connections,
    tls: Option<Tls>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut router = crate::site(state, which);
    if tls.is_some() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HSTS,
        ));
    }
    let shared = Arc::new(Shared {
        router,
        tls: tls.map(|t| tokio_rustls::TlsAcceptor::from(t.config)),
        limits: connections,
        open: Open::new(),
    });
    let slots = Arc::new(Semaphore::new(connections.max.max(1)));
    let (stop, stopping) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::error!(error = %e, "accepting a connection failed");
                    tokio::select! {
                        () = &mut shutdown => break,
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    }
                }
            },
        };
        let Some(permit) = make_room(&slots, &shared.open, &mut shutdown).await else {
            break;
        };
        let _ = tcp.set_nodelay(true);
        // Listed before its task first runs, so that it can be chosen to
        // make way even before then.
        let place = Place {
            conn: shared.open.add(),
            shared: Arc::clone(&shared),
            _permit: permit,
        };
        tokio::spawn(connection(tcp, peer, place, stopping.clone()));
    }
    drop(listener);
    drop(stopping);
    // Each connection finishes its request in flight and closes.
    let _ = stop.send(());
    stop.closed().await;
    Ok(())
}

/// Errors of one connection that leave the listener fine.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A free slot, making one at the cap by closing the connection idle
/// longest, or waiting for one to end or fall idle; `None` on shutdown.
async fn make_room<F: Future<Output = ()>>(
    slots: &Arc<Semaphore>,
    open: &Open,
    shutdown: &mut Pin<&mut F>,
) -> Option<OwnedSemaphorePermit> {
    loop {
        if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
            return Some(permit);
        }
        let fell_idle = open.fell_idle.notified();
        tokio::pin!(fell_idle);
        fell_idle.as_mut().enable();
        let evicted = open.evict_oldest_idle();
        tokio::select! {
            biased;
            () = shutdown.as_mut() => return None,
            permit = Arc::clone(slots).acquire_owned() => return permit.ok(),
            () = fell_idle, if !evicted => {}
        }
    }
}

/// What every connection shares.
struct Shared {
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: Connections,
    open: Open,
}

/// The open connections, to find the one idle longest.
#[derive(Debug)]
struct Open {
    epoch: Instant,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// Woken when a connection's last request in progress ends.
    fell_idle: Notify,
    /// When the cap was last logged (ms since `epoch`), to log it once a minute.
    cap_logged: AtomicU64,
}

/// One connection's state, as the accept loop sees it.
#[derive(Debug)]
struct Conn {
    id: u64,
    epoch: Instant,
    /// Requests in progress: from a head read to its response's last byte.
    busy: AtomicUsize,
    /// When it last had no request in progress (ms since `epoch`).
    idle_since: AtomicU64,
    /// When a byte last moved either way (ms since `epoch`).
    last_io: AtomicU64,
    /// Told to close, to make room.
    evict: Notify,
}

fn ms_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Open {
    fn new() -> Open {
        Open {
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
            fell_idle: Notify::new(),
            cap_logged: AtomicU64::new(0),
        }
    }

    fn add(&self) -> Arc<Conn> {
        let now = ms_since(self.epoch);
        let conn = Arc::new(Conn {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            epoch: self.epoch,
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            last_io: AtomicU64::new(now),
            evict: Notify::new(),
        });
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(conn.id, Arc::clone(&conn));
        conn
    }

    fn remove(&self, id: u64) {
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Tells the connection idle longest to close; false if none is idle.
    fn evict_oldest_idle(&self) -> bool {
        let victim = {
            let mut conns = self.conns.lock().unwrap_or_else(PoisonError::into_inner);
            let oldest = conns
                .values()
                .filter(|c| c.busy.load(Ordering::SeqCst) == 0)
                .min_by_key(|c| c.idle_since.load(Ordering::SeqCst))
                .map(|c| c.id);
            oldest.and_then(|id| conns.remove(&id))
        };
        let Some(victim) = victim else {
            return false;
        };
        victim.evict.notify_one();
        let now = ms_since(self.epoch);
        let logged = self.cap_logged.load(Ordering::Relaxed);
        if (logged == 0 || now.saturating_sub(logged) >= 60_000)
            && self
                .cap_logged
                .compare_exchange(logged, now.max(1), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                "at the connection cap: closing the connections idle longest to make room (logged once a minute)"
            );
        }
        true
    }
}

impl Conn {
    fn moved(&self) {
        self.last_io.store(ms_since(self.epoch), Ordering::Relaxed);
    }

    /// Resolves once no byte has moved for `limit`.
    async fn stalled(&self, limit: Duration) {
        loop {
            let last = Duration::from_millis(self.last_io.load(Ordering::Relaxed));
            let deadline = self.epoch + last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// A request in progress on a connection, until its response's body is
/// dropped (sent, or abandoned).
struct Busy {
    conn: Arc<Conn>,
    shared: Arc<Shared>,
}

impl Busy {
    fn new(conn: Arc<Conn>, shared: Arc<Shared>) -> Busy {
        conn.busy.fetch_add(1, Ordering::SeqCst);
        Busy { conn, shared }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn
            .idle_since
            .store(ms_since(self.conn.epoch), Ordering::SeqCst);
        if self.conn.busy.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.shared.open.fell_idle.notify_waiters();
        }
    }
}

/// A response body that keeps its request counted as in progress.
struct Counted {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A stream that notes when a byte last moved.
struct Watched<T> {
    io: T,
    conn: Arc<Conn>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.conn.moved();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.moved();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.moved();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// A connection's place among the open ones, given up when it ends (first
/// out of the list, then its slot).
struct Place {
    shared: Arc<Shared>,
    conn: Arc<Conn>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.shared.open.remove(self.conn.id);
    }
}

/// One connection, from the TLS handshake (if any) to its close.
async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    place: Place,
    mut stopping: watch::Receiver<()>,
) {
    let (shared, conn) = (Arc::clone(&place.shared), Arc::clone(&place.conn));
    let evicted = conn.evict.notified();
    let stalled = conn.stalled(shared.limits.stall_timeout);
    tokio::pin!(evicted, stalled);
    let io = Watched {
        io: tcp,
        conn: Arc::clone(&conn),
    };
    match &shared.tls {
        None => serve_http(io, peer, &shared, &conn, evicted, stalled, &mut stopping).await,
        Some(acceptor) => {
            let handshake =
                tokio::time::timeout(shared.limits.header_read_timeout, acceptor.accept(io));
            let tls = tokio::select! {
                done = handshake => match done {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, "a TLS handshake failed");
                        return;
                    }
                    Err(_) => return,
                },
                () = evicted.as_mut() => return,
                () = stalled.as_mut() => return,
                _ = stopping.changed() => return,
            };
            serve_http(tls, peer, &shared, &conn, evicted, stalled, &mut stopping).await;
        }
    }
    drop(place);
}

/// HTTP/1 on one connection until it ends, stalls, is evicted or the
/// server stops.
async fn serve_http<I>(
    io: I,
    peer: SocketAddr,
    shared: &Arc<Shared>,
    conn: &Arc<Conn>,
    mut evicted: Pin<&mut tokio::sync::futures::Notified<'_>>,
    mut stalled: Pin<&mut impl Future<Output = ()>>,
    stopping: &mut watch::Receiver<()>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = {
        let (shared, conn) = (Arc::clone(shared), Arc::clone(conn));
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            // Who is asking, for the sign-in throttle.
            req.extensions_mut().insert(ConnectInfo(peer));
            let busy = Busy::new(Arc::clone(&conn), Arc::clone(&shared));
            let router = shared.router.clone();
            async move {
                let res = router.oneshot(req.map(Body::new)).await;
                Ok::<_, Infallible>(match res {
                    Ok(res) => res.map(|body| Body::new(Counted { body, _busy: busy })),
                    Err(never) => match never {},
                })
            }
        })
    };
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.header_read_timeout)
        .keep_alive(true);
    let http = http1.serve_connection(TokioIo::new(io), service);
    tokio::pin!(http);
    let mut draining = false;
    loop {
        tokio::select! {
            ended = http.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(error = %e, "a connection ended with an error");
                }
                return;
            }
            () = stalled.as_mut() => {
                tracing::debug!("closing a connection on which nothing moved");
                return;
            }
            () = evicted.as_mut(), if !draining => {
                if conn.busy.load(Ordering::SeqCst) == 0 {
                    return;
                }
                // A request came in as it was chosen: answer it, then close.
                draining = true;
                http.as_mut().graceful_shutdown();
            }
            _ = stopping.changed(), if !draining => {
                if conn.busy.load(Ordering::SeqCst) == 0 {
                    return;
                }
                draining = true;
                http.as_mut().graceful_shutdown();
            }
        }
    }
}
