//! The operator's settings, typed, read once at start: defaults, then a TOML
//! file (`--config FILE` or `TRUSTGATE_CONFIG`), then the environment
//! (`TRUSTGATE_…`), then the command's flags, each overriding the one
//! before. Every flag of `serve` has a setting of the same name
//! (`--max-connections` is `max-connections`, `TRUSTGATE_MAX_CONNECTIONS`),
//! so a service can be configured entirely in one file.
//!
//! Every value is parsed by the same function whichever layer it comes
//! from, so a value the file may hold is exactly one a flag may. Errors are
//! all collected (not only the first) and say where: `file:line:column` for
//! the file, the variable's name for the environment; an unknown key in the
//! file is an error with the closest known name, since a misspelt key
//! silently ignored is a setting the operator believes in and does not have.
//!
//! Why not figment: it reports where a bad value came from, but not at a
//! line and column, and has no did-you-mean for keys; the `toml` parser the
//! place files use already gives spans.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use toml::Spanned;
use trustgate_server::AddressBlock;

/// The effective settings: every value with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Address and port of the whole site.
    pub(crate) listen: SocketAddr,
    /// The resident's site alone, on its own address.
    pub(crate) public_listen: Option<SocketAddr>,
    /// A SQLite file or a `postgres://` URL (its password is a secret).
    pub(crate) database: String,
    /// The keyring file of data keys.
    pub(crate) data_keys: Option<PathBuf>,
    /// The place whose records these are.
    pub(crate) place: Option<String>,
    /// Law packs from a folder instead of the built-in ones.
    pub(crate) packs: Option<PathBuf>,
    /// The published reports' folder.
    pub(crate) reports: Option<PathBuf>,
    /// The most connections held at once.
    pub(crate) max_connections: usize,
    /// The TLS certificate chain.
    pub(crate) tls_cert: Option<PathBuf>,
    /// The TLS private key.
    pub(crate) tls_key: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub(crate) trusted_proxies: Vec<AddressBlock>,
    /// The issuer authenticator apps show.
    pub(crate) issuer: String,
    /// Logs as JSON lines.
    pub(crate) log_json: bool,
    /// Where each value that is not a default came from.
    sources: BTreeMap<&'static str, Source>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Default,
    /// `file:line:column` of the value.
    File(String),
    /// The variable's name.
    Env(String),
    /// The flag.
    Flag(String),
}

/// A setting that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SettingError {
    /// `file:line:column`, or the environment variable's name.
    pub(crate) at: String,
    pub(crate) message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// How a value is written in the file (the environment and flags are text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Integer,
    Bool,
    List,
}

/// One setting: its key in the file, its variable, how it is written, how
/// it is set from text and shown.
struct Key {
    name: &'static str,
    shape: Shape,
    /// What a value looks like, for errors.
    example: &'static str,
    set: fn(&mut Settings, &str) -> Result<(), String>,
    show: fn(&Settings) -> Option<String>,
}

impl Key {
    /// `TRUSTGATE_` and the key in capitals, `-` as `_`.
    fn env(&self) -> String {
        format!("TRUSTGATE_{}", self.name.to_uppercase().replace('-', "_"))
    }
}

fn path(s: &str) -> Result<PathBuf, String> {
    if s.is_empty() {
        Err("an empty path".into())
    } else {
        Ok(PathBuf::from(s))
    }
}

fn addr(s: &str) -> Result<SocketAddr, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not an address and port such as 127.0.0.1:8080"))
}

fn quoted(s: &str) -> String {
    // TOML basic strings share JSON's escapes for what a setting holds.
    serde_json::Value::String(s.to_owned()).to_string()
}

fn shown_path(p: Option<&PathBuf>) -> Option<String> {
    p.map(|p| quoted(&p.display().to_string()))
}

/// Every setting, in the order `config check` prints them.
const KEYS: &[Key] = &[
    Key {
        name: "listen",
        shape: Shape::Text,
        example: "\"127.0.0.1:8080\"",
        set: |s, v| addr(v).map(|a| s.listen = a),
        show: |s| Some(quoted(&s.listen.to_string())),
    },
    Key {
        name: "public-listen",
        shape: Shape::Text,
        example: "\"0.0.0.0:8443\"",
        set: |s, v| addr(v).map(|a| s.public_listen = Some(a)),
        show: |s| s.public_listen.map(|a| quoted(&a.to_string())),
    },
    Key {
        name: "database",
        shape: Shape::Text,
        example: "\"/var/lib/trustgate/trustgate.db\" or \"postgres://user:pass@host/db\"",
        set: |s, v| {
            if v.is_empty() {
                return Err("an empty location: give a SQLite file or a postgres:// URL".into());
            }
            s.database = v.to_owned();
            Ok(())
        },
        // The URL's password is a secret: never printed.
        show: |s| Some(quoted(&crate::records::redacted(&s.database))),
    },
    Key {
        name: "data-keys",
        shape: Shape::Text,
        example: "\"/etc/trustgate/data.keys\"",
        set: |s, v| path(v).map(|p| s.data_keys = Some(p)),
        show: |s| shown_path(s.data_keys.as_ref()),
    },
    Key {
        name: "place",
        shape: Shape::Text,
        example: "\"cambridge\"",
        set: |s, v| {
            if v.is_empty()
                || !v
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(format!(
                    "`{v}` is not a place id (a-z, 0-9 and -, such as cambridge)"
                ));
            }
            s.place = Some(v.to_owned());
            Ok(())
        },
        show: |s| s.place.as_deref().map(quoted),
    },
    Key {
        name: "packs",
        shape: Shape::Text,
        example: "\"/etc/trustgate/packs\"",
        set: |s, v| path(v).map(|p| s.packs = Some(p)),
        show: |s| shown_path(s.packs.as_ref()),
    },
    Key {
        name: "reports",
        shape: Shape::Text,
        example: "\"/var/lib/trustgate/reports\"",
        set: |s, v| path(v).map(|p| s.reports = Some(p)),
        show: |s| shown_path(s.reports.as_ref()),
    },
    Key {
        name: "max-connections",
        shape: Shape::Integer,
        example: "512",
        set: |s, v| match v.parse::<u32>() {
            Ok(n @ 1..=1_000_000) => {
                s.max_connections = n as usize;
                Ok(())
            }
            _ => Err(format!(
                "`{v}` is not a number of connections from 1 to 1000000"
            )),
        },
        show: |s| Some(s.max_connections.to_string()),
    },
    Key {
        name: "tls-cert",
        shape: Shape::Text,
        example: "\"/etc/trustgate/cert.pem\"",
        set: |s, v| path(v).map(|p| s.tls_cert = Some(p)),
        show: |s| shown_path(s.tls_cert.as_ref()),
    },
    Key {
        name: "tls-key",
        shape: Shape::Text,
        example: "\"/etc/trustgate/key.pem\"",
        set: |s, v| path(v).map(|p| s.tls_key = Some(p)),
        show: |s| shown_path(s.tls_key.as_ref()),
    },
    Key {
        name: "trusted-proxies",
        shape: Shape::List,
        example: "[\"10.0.0.0/8\"]",
        set: |s, v| {
            s.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(|b| b.parse::<AddressBlock>().map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?;
            Ok(())
        },
        show: |s| {
            (!s.trusted_proxies.is_empty()).then(|| {
                let blocks: Vec<String> = s
                    .trusted_proxies
                    .iter()
                    .map(|b| quoted(&b.to_string()))
                    .collect();
                format!("[{}]", blocks.join(", "))
            })
        },
    },
    Key {
        name: "issuer",
        shape: Shape::Text,
        example: "\"City of Cambridge\"",
        set: |s, v| {
            if v.trim().is_empty() {
                return Err("an empty issuer".into());
            }
            s.issuer = v.to_owned();
            Ok(())
        },
        show: |s| Some(quoted(&s.issuer)),
    },
    Key {
        name: "log-json",
        shape: Shape::Bool,
        example: "true",
        set: |s, v| {
            s.log_json = match v {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return Err(format!("`{v}` is not true or false")),
            };
            Ok(())
        },
        show: |s| Some(s.log_json.to_string()),
    },
];

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_listen: None,
            database: "trustgate.db".to_owned(),
            data_keys: None,
            place: None,
            packs: None,
            reports: None,
            max_connections: trustgate_server::Connections::STANDARD.max,
            tls_cert: None,
            tls_key: None,
            trusted_proxies: Vec::new(),
            issuer: "trustgate".to_owned(),
            log_json: false,
            sources: BTreeMap::new(),
        }
    }
}

fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// "did you mean `x`?" for the closest key, if one is close.
fn did_you_mean(wanted: &str) -> Option<&'static str> {
    // `max_connections` is `max-connections`: TOML users often write snake case.
    let wanted = wanted.replace('_', "-");
    let mut best: Option<(f64, &'static str)> = None;
    for k in KEYS {
        let score = strsim::jaro_winkler(&wanted, k.name);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, k.name));
        }
    }
    best.map(|(_, k)| k)
}

/// A TOML value as the text every layer parses, or why it has the wrong shape.
fn as_text(key: &Key, value: &toml::Value) -> Result<String, String> {
    let wrong = || {
        format!(
            "expected {}, such as {}; found {} {}",
            match key.shape {
                Shape::Text => "a string",
                Shape::Integer => "a whole number",
                Shape::Bool => "true or false",
                Shape::List => "a list of strings",
            },
            key.example,
            value.type_str(),
            value
        )
    };
    match (key.shape, value) {
        (Shape::Text, toml::Value::String(s)) => Ok(s.clone()),
        (Shape::Integer, toml::Value::Integer(n)) => Ok(n.to_string()),
        (Shape::Bool, toml::Value::Boolean(b)) => Ok(b.to_string()),
        (Shape::List, toml::Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        _ => Err(wrong()),
    }
}

impl Settings {
    /// The settings from the defaults, the file (its name and text, if
    /// one is given) and the environment (`env` looks a variable up), with
    /// every error found, each saying where.
    pub(crate) fn load(
        file: Option<(&str, &str)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> (Settings, Vec<SettingError>) {
        let mut settings = Settings::default();
        let mut errors = Vec::new();
        if let Some((name, text)) = file {
            settings.read_file(name, text, &mut errors);
        }
        for k in KEYS {
            let var = k.env();
            let Some(value) = env(&var) else { continue };
            match (k.set)(&mut settings, &value) {
                Ok(()) => {
                    settings.sources.insert(k.name, Source::Env(var));
                }
                Err(message) => errors.push(SettingError { at: var, message }),
            }
        }
        if let Err(e) = settings.check() {
            errors.push(e);
        }
        (settings, errors)
    }

    fn read_file(&mut self, name: &str, text: &str, errors: &mut Vec<SettingError>) {
        let at = |offset: usize| {
            let (line, column) = line_column(text, offset);
            format!("{name}:{line}:{column}")
        };
        let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                errors.push(SettingError {
                    at: at(e.span().map_or(0, |s| s.start)),
                    message: e.message().to_owned(),
                });
                return;
            }
        };
        // In the file's order, so errors read top to bottom.
        let mut entries: Vec<_> = table.into_iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (k, v) in entries {
            let Some(key) = key(k.get_ref()) else {
                let mut message = format!("unknown setting `{}`", k.get_ref());
                match did_you_mean(k.get_ref()) {
                    Some(known) => {
                        let _ = write!(message, ": did you mean `{known}`?");
                    }
                    None => {
                        let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
                        let _ = write!(message, " (settings: {})", names.join(", "));
                    }
                }
                errors.push(SettingError {
                    at: at(k.span().start),
                    message,
                });
                continue;
            };
            let value_at = at(v.span().start);
            match as_text(key, v.get_ref()).and_then(|t| (key.set)(self, &t)) {
                Ok(()) => {
                    self.sources.insert(key.name, Source::File(value_at));
                }
                Err(message) => errors.push(SettingError {
                    at: value_at,
                    message: format!("{}: {message}", key.name),
                }),
            }
        }
    }

    /// What no single value can say: a certificate needs its key.
    pub(crate) fn check(&self) -> Result<(), SettingError> {
        let at = |name: &str| match self.source(name) {
            Source::Default => name.to_owned(),
            Source::File(at) => at,
            Source::Env(var) => var,
            Source::Flag(flag) => flag,
        };
        match (&self.tls_cert, &self.tls_key) {
            (Some(_), None) => Err(SettingError {
                at: at("tls-cert"),
                message: "tls-cert needs tls-key (`--tls-key FILE`: the certificate's private key)"
                    .into(),
            }),
            (None, Some(_)) => Err(SettingError {
                at: at("tls-key"),
                message: "tls-key needs tls-cert (`--tls-cert FILE`: the certificate chain)".into(),
            }),
            _ => Ok(()),
        }
    }

    /// Records that a flag set `name` (the flags are applied by the caller,
    /// already typed by clap).
    fn flagged(&mut self, name: &'static str) {
        self.sources.insert(name, Source::Flag(format!("--{name}")));
    }

    /// Where `name`'s value came from.
    pub(crate) fn source(&self, name: &str) -> Source {
        self.sources.get(name).cloned().unwrap_or(Source::Default)
    }

    /// The effective settings as a TOML file would hold them, secrets
    /// masked, each with where it came from; settings left unset are
    /// listed as comments.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for k in KEYS {
            let from = match self.source(k.name) {
                Source::Default => "default".to_owned(),
                Source::File(at) => at,
                Source::Env(var) => var,
                Source::Flag(flag) => flag,
            };
            match (k.show)(self) {
                Some(v) => {
                    let line = format!("{} = {v}", k.name);
                    let _ = writeln!(out, "{line:<48} # {from}");
                }
                None => {
                    let _ = writeln!(out, "# {} (not set; e.g. {})", k.name, k.example);
                }
            }
        }
        out
    }

    /// Applies a flag's value: flags override the file and the environment.
    pub(crate) fn flag<T>(
        &mut self,
        name: &'static str,
        value: Option<T>,
        set: impl FnOnce(&mut Settings, T),
    ) {
        if let Some(v) = value {
            set(self, v);
            self.flagged(name);
        }
    }
}

/// The settings read at start (`main` loads them once, before the command
/// runs); the defaults for commands that do not read them.
static LOADED: OnceLock<Settings> = OnceLock::new();

/// Reads the file (if given) and the environment once; `Err` holds every
/// error, each saying where.
pub(crate) fn load_from(config: Option<&std::path::Path>) -> Result<Settings, Vec<SettingError>> {
    let text = match config {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => Some((p.display().to_string(), t)),
            Err(e) => {
                return Err(vec![SettingError {
                    at: p.display().to_string(),
                    message: format!("cannot read the settings file: {e}"),
                }]);
            }
        },
        None => None,
    };
    let (settings, errors) = Settings::load(
        text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        |var| std::env::var(var).ok(),
    );
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}

/// Keeps the settings read at start for the command's parts.
pub(crate) fn install(settings: Settings) {
    let _ = LOADED.set(settings);
}

/// The settings read at start, or the defaults.
pub(crate) fn current() -> Settings {
    LOADED.get().cloned().unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    fn load(file: &str, env: &[(&str, &str)]) -> (Settings, Vec<String>) {
        let env: BTreeMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let (s, errors) =
            Settings::load(Some(("trustgate.toml", file)), |var| env.get(var).cloned());
        (s, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn defaults_need_no_file() {
        let (s, errors) = Settings::load(None, |_| None);
        assert!(errors.is_empty());
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database, "trustgate.db");
        assert_eq!(s.source("listen"), Source::Default);
    }

    #[test]
    fn the_environment_overrides_the_file_and_flags_override_both() {
        let file = "listen = \"127.0.0.1:9000\"\nmax-connections = 100\nissuer = \"Cambridge\"\n";
        let (mut s, errors) = load(
            file,
            &[
                ("TRUSTGATE_MAX_CONNECTIONS", "200"),
                ("TRUSTGATE_ISSUER", "Env"),
            ],
        );
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(s.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(
            s.source("listen"),
            Source::File("trustgate.toml:1:10".into())
        );
        assert_eq!(s.max_connections, 200);
        assert_eq!(
            s.source("max-connections"),
            Source::Env("TRUSTGATE_MAX_CONNECTIONS".into())
        );
        s.flag("issuer", Some("Flag".to_owned()), |s, v| s.issuer = v);
        s.flag("listen", None::<SocketAddr>, |s, v| s.listen = v);
        assert_eq!(s.issuer, "Flag");
        assert_eq!(s.source("issuer"), Source::Flag("--issuer".into()));
        assert_eq!(
            s.listen.to_string(),
            "127.0.0.1:9000",
            "an absent flag changes nothing"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_with_the_closest_name_at_its_line_and_column() {
        let (_, errors) = load("listen = \"127.0.0.1:9000\"\n  max_conections = 5\n", &[]);
        assert_eq!(
            errors,
            [
                "trustgate.toml:2:3: unknown setting `max_conections`: did you mean `max-connections`?"
            ]
        );
        let (_, errors) = load("colour = \"blue\"\n", &[]);
        assert!(
            errors[0]
                .starts_with("trustgate.toml:1:1: unknown setting `colour` (settings: listen, "),
            "{errors:?}"
        );
    }

    #[test]
    fn a_bad_value_is_an_error_at_its_line_and_column_and_every_error_is_told() {
        let file = "listen = \"nowhere\"\nmax-connections = \"many\"\nlog-json = true\ntrusted-proxies = [\"10.0.0.1/8\"]\n";
        let (s, errors) = load(file, &[("TRUSTGATE_LISTEN", "also bad")]);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(
            errors[0],
            "trustgate.toml:1:10: listen: `nowhere` is not an address and port such as 127.0.0.1:8080"
        );
        assert_eq!(
            errors[1],
            "trustgate.toml:2:19: max-connections: expected a whole number, such as 512; found string \"many\""
        );
        assert!(
            errors[2].starts_with("trustgate.toml:4:19: trusted-proxies: "),
            "{errors:?}"
        );
        assert!(errors[2].contains("did you mean 10.0.0.0/8"), "{errors:?}");
        assert_eq!(
            errors[3],
            "TRUSTGATE_LISTEN: `also bad` is not an address and port such as 127.0.0.1:8080"
        );
        assert!(s.log_json, "good values are still read");
    }

    #[test]
    fn a_syntax_error_is_at_its_line_and_column() {
        let (_, errors) = load("listen = \"127.0.0.1:9000\"\nissuer = \n", &[]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("trustgate.toml:2:"), "{errors:?}");
    }

    #[test]
    fn the_database_password_is_masked() {
        let (s, errors) = load(
            "database = \"postgres://city:hunter2@db.example/trustgate\"\n",
            &[],
        );
        assert!(errors.is_empty());
        let shown = s.render();
        assert!(
            shown.contains("database = \"postgres://city:***@db.example/trustgate\""),
            "{shown}"
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            s.database, "postgres://city:hunter2@db.example/trustgate",
            "only the printing masks"
        );
    }

    #[test]
    fn every_key_reads_back_what_it_shows() {
        // What `config check` prints is a file that gives the same settings.
        let file = "listen = \"0.0.0.0:443\"\npublic-listen = \"[::]:8443\"\ndatabase = \"/var/lib/trustgate/t.db\"\n\
                    data-keys = \"/etc/trustgate/data.keys\"\nplace = \"cambridge\"\npacks = \"/p\"\nreports = \"/r\"\n\
                    max-connections = 64\ntls-cert = \"/c.pem\"\ntls-key = \"/k.pem\"\ntrusted-proxies = [\"10.0.0.0/8\", \"::1\"]\n\
                    issuer = \"City \\\"of\\\" Cambridge\"\nlog-json = true\n";
        let (s, errors) = load(file, &[]);
        assert_eq!(errors, Vec::<String>::new());
        let shown = s.render();
        let (again, errors) = load(&shown, &[]);
        assert_eq!(errors, Vec::<String>::new(), "{shown}");
        assert_eq!(
            again
                .render()
                .lines()
                .map(|l| l.split(" # ").next())
                .collect::<Vec<_>>(),
            shown
                .lines()
                .map(|l| l.split(" # ").next())
                .collect::<Vec<_>>()
        );
        assert_eq!(again.issuer, "City \"of\" Cambridge");
        assert_eq!(again.trusted_proxies.len(), 2);
    }
}
