//! A fresh app per test: its own SQLite file, a clock the test moves, cheap
//! password hashing, and helpers to sign in as any role.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use trustgate_access::{Permission, Role, password, totp};
use trustgate_law::{Library, Source};
use trustgate_server::{AppState, Settings, app};
use trustgate_store::{Actor, Clock, Enrolment, Grants, NewAccount, Principal, Store};

/// The operator at the command line (`system/<command>`), as the CLI acts:
/// for a test that sets up or reads the store directly.
#[expect(
    clippy::disallowed_methods,
    reason = "tests act as the operator's commands do"
)]
pub fn operator(command: &str, may: &[Permission]) -> Principal {
    Principal::new(Actor::system(command), Grants::Scopes(may.to_vec()))
}

/// An auditor reading the log directly (each read is audited).
pub fn audit_reader() -> Principal {
    operator("test-audit-read", &[Permission::ReadAuditLog])
}

/// 2026-03-01T12:00:00Z; the clock moves only when a test moves it.
pub const T0: i64 = 1_772_366_400_000;

#[derive(Debug)]
pub struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

pub fn library() -> Arc<Library> {
    static LIB: OnceLock<Arc<Library>> = OnceLock::new();
    Arc::clone(LIB.get_or_init(|| {
        let sources: Vec<Source<'_>> = trustgate_packs::law_files()
            .map(|(name, text)| Source { name, text })
            .collect();
        Arc::new(Library::load(&sources).unwrap())
    }))
}

/// The built-in place the server keeps records for (Cambridge's units).
pub fn cambridge() -> Arc<trustgate_place::Place> {
    let (name, text) = trustgate_packs::place_files().next().unwrap();
    Arc::new(trustgate_place::Place::parse(name, text).unwrap())
}

/// The resident pages' words: trustgate's own and Cambridge's.
pub fn messages() -> Arc<trustgate_messages::Messages> {
    messages_of("cambridge")
}

/// Every place configured (`packs/**/place.toml`), with the folder it is in.
pub fn places() -> Vec<(String, Arc<trustgate_place::Place>)> {
    trustgate_packs::place_files()
        .map(|(name, text)| {
            let folder = name.strip_suffix("place.toml").unwrap().to_owned();
            (
                folder,
                Arc::new(trustgate_place::Place::parse(name, text).unwrap()),
            )
        })
        .collect()
}

/// The resident pages' words for a place: trustgate's own and the place's
/// (`messages/<lang>.ftl` beside its `place.toml`), as `serve` loads them.
pub fn messages_of(place: &str) -> Arc<trustgate_messages::Messages> {
    use trustgate_messages::{CatalogueFile, Messages, builtin_files};
    let (folder, _) = places()
        .into_iter()
        .find(|(_, p)| p.id() == place)
        .unwrap_or_else(|| panic!("no place.toml configures {place}"));
    let folder = format!("{folder}messages/");
    let files = trustgate_packs::message_files()
        .filter(|(p, _)| {
            p.strip_prefix(folder.as_str())
                .is_some_and(|f| !f.contains('/'))
        })
        .filter_map(|(p, t)| CatalogueFile::named(p, t));
    Arc::new(Messages::load(builtin_files().chain(files)).unwrap())
}

pub struct TestApp {
    pub state: AppState,
    pub store: Arc<Store>,
    pub clock: Arc<TestClock>,
    /// The cost of every password hash, the accounts' and the decoy's.
    cost: password::Cost,
    path: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

static N: AtomicU32 = AtomicU32::new(0);

/// A response: status, headers, body.
pub type Reply = (StatusCode, axum::http::HeaderMap, Vec<u8>);

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::build(None, Default::default(), password::Cost::Test).await
    }

    /// An app serving another configured place, with that place's words.
    pub async fn at_place(id: &str) -> TestApp {
        TestApp::at_place_publishing(id, Some(reports_dir())).await
    }

    /// [`TestApp::at_place`], with the published reports in `reports` (none:
    /// nothing published).
    pub async fn at_place_publishing(id: &str, reports: Option<PathBuf>) -> TestApp {
        let (_, place) = places()
            .into_iter()
            .find(|(_, p)| p.id() == id)
            .unwrap_or_else(|| panic!("no place.toml configures {id}"));
        TestApp::build_at(
            None,
            Default::default(),
            password::Cost::Test,
            place,
            messages_of(id),
            reports,
        )
        .await
    }

    /// An app served behind reverse proxies it trusts.
    pub async fn behind(proxies: trustgate_server::TrustedProxies) -> TestApp {
        TestApp::build(None, proxies, password::Cost::Test).await
    }

    /// An app hashing passwords at the cost a real server uses (slow: for
    /// measuring sign-in, not for tests).
    #[allow(
        dead_code,
        reason = "for benches/sign_in.rs, which includes this harness"
    )]
    pub async fn at_standard_cost() -> TestApp {
        TestApp::build(None, Default::default(), password::Cost::Standard).await
    }

    /// An app whose store seals personal data with a fresh data key.
    pub async fn with_data_key() -> TestApp {
        let line = trustgate_store::Keyring::new_key_line("test-key").unwrap();
        TestApp::build(
            Some(trustgate_store::Keyring::parse(&line).unwrap()),
            Default::default(),
            password::Cost::Test,
        )
        .await
    }

    async fn build(
        keyring: Option<trustgate_store::Keyring>,
        trusted_proxies: trustgate_server::TrustedProxies,
        cost: password::Cost,
    ) -> TestApp {
        TestApp::build_at(
            keyring,
            trusted_proxies,
            cost,
            cambridge(),
            messages(),
            Some(reports_dir()),
        )
        .await
    }

    async fn build_at(
        keyring: Option<trustgate_store::Keyring>,
        trusted_proxies: trustgate_server::TrustedProxies,
        cost: password::Cost,
        place: Arc<trustgate_place::Place>,
        messages: Arc<trustgate_messages::Messages>,
        reports: Option<PathBuf>,
    ) -> TestApp {
        let path = std::env::temp_dir().join(format!(
            "trustgate_http_{}_{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let clock = Arc::new(TestClock(AtomicI64::new(T0)));
        let mut store = Store::open(path.to_str().unwrap(), clock.clone())
            .await
            .unwrap()
            .with_place(place)
            .unwrap();
        if let Some(k) = keyring {
            store = store.with_keyring(k).unwrap();
        }
        let store = Arc::new(store);
        let settings = Settings {
            password_cost: cost,
            issuer: "trustgate test".into(),
            reports,
            trusted_proxies,
            messages,
        };
        let state = AppState::new(library(), Arc::clone(&store), clock.clone(), settings).unwrap();
        TestApp {
            state,
            store,
            clock,
            cost,
            path,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = app(self.state.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, body)
    }

    /// Sends and parses a JSON reply (an empty body is `null`).
    pub async fn call(&self, req: Request<Body>) -> (StatusCode, Value) {
        let (status, _, body) = self.send(req).await;
        let v = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body).unwrap_or_else(|e| {
                panic!(
                    "{status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&body)
                )
            })
        };
        (status, v)
    }

    /// The first administrator, as `trustgate user add --role admin` makes it;
    /// returns a signed-in session token.
    pub async fn first_admin(&self) -> String {
        let secret = totp::Secret::generate().unwrap();
        self.store
            .add_account(
                &operator("user-add", &[Permission::ManageAccess]),
                NewAccount {
                    username: "admin".into(),
                    role: Role::Admin,
                    password_hash: password::hash(PASSWORD, self.cost).unwrap(),
                    totp_secret: secret.as_bytes().to_vec(),
                },
            )
            .await
            .unwrap();
        self.sign_in("admin", PASSWORD, &secret).await
    }

    /// The current code of `secret`, moving the clock on a step first so
    /// that no code is ever reused.
    pub fn code(&self, secret: &totp::Secret) -> String {
        self.clock.advance(totp::STEP_SECONDS * 1000);
        format!("{:06}", secret.code_at(totp::step_of(self.clock.now_ms())))
    }

    pub async fn sign_in(&self, username: &str, pw: &str, secret: &totp::Secret) -> String {
        let code = self.code(secret);
        let (status, v) = self
            .call(post(
                "/api/v1/sessions",
                None,
                &json!({"username": username, "password": pw, "code": code}),
            ))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        v["token"].as_str().unwrap().to_owned()
    }

    /// An account of `role` made by the administrator through the API,
    /// enrolled by its person with the code the administrator was given;
    /// returns a session token for it.
    pub async fn staff(&self, admin: &str, username: &str, role: Role) -> String {
        let secret = self.enrolled(admin, username, role).await;
        self.sign_in(username, PASSWORD, &secret).await
    }

    /// An account of `role` made by the administrator through the API and
    /// enrolled by its person (password [`PASSWORD`]); returns their
    /// authenticator's secret, which only the person holds.
    pub async fn enrolled(&self, admin: &str, username: &str, role: Role) -> totp::Secret {
        let (status, v) = self
            .call(post(
                "/api/v1/accounts",
                Some(admin),
                &json!({"username": username, "role": role.as_str()}),
            ))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert!(v.get("totp_secret").is_none(), "{v}");
        let code = v["enrolment"]["code"].as_str().unwrap();
        let secret = totp::Secret::generate().unwrap();
        let enrolled = self
            .store
            .enrol(
                username,
                Enrolment {
                    code_hash: trustgate_access::enrolment::hash(code),
                    password_hash: password::hash(PASSWORD, self.cost).unwrap(),
                    totp_secret: secret.as_bytes().to_vec(),
                    totp_step: totp::step_of(self.clock.now_ms()),
                },
            )
            .await
            .unwrap();
        assert!(enrolled, "{username} enrols with the code issued");
        secret
    }
}

/// A folder of published reports shared by the tests: an index and one page.
pub fn reports_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("trustgate_http_reports_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<!DOCTYPE html><title>Reports</title>",
        )
        .unwrap();
        std::fs::write(
            dir.join("2.129.060-period-13.json"),
            "{\"period\":{\"number\":13}}",
        )
        .unwrap();
        dir
    })
    .clone()
}

pub const PASSWORD: &str = "correct horse battery staple";

pub fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    with_token(Request::get(uri), token)
        .body(Body::empty())
        .unwrap()
}

pub fn delete(uri: &str, token: Option<&str>) -> Request<Body> {
    with_token(Request::delete(uri), token)
        .body(Body::empty())
        .unwrap()
}

pub fn post(uri: &str, token: Option<&str>, body: &Value) -> Request<Body> {
    post_raw(uri, token, &body.to_string())
}

pub fn post_raw(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    with_token(Request::post(uri), token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn with_token(
    b: axum::http::request::Builder,
    token: Option<&str>,
) -> axum::http::request::Builder {
    match token {
        Some(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        None => b,
    }
}
