//! The one HTTP getter of the workspace: a GET with timeouts, a size cap and proxy handling,
//! the base-URL rule, SHA-256, and atomic file writes.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// Where the files of a GitHub repository are served from, by commit.
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com";
/// How long a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole download may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The base URL from the value `var` of the variable `name`: the value (when set and not
/// empty) without its trailing `/`, else [`DEFAULT_BASE_URL`]. `http://` is allowed in the
/// variable (a mirror on the local network, a test server); the default is https.
pub fn base_url(name: &str, var: Option<&OsStr>) -> Result<String, String> {
    let Some(var) = var.filter(|var| !var.is_empty()) else {
        return Ok(DEFAULT_BASE_URL.to_owned());
    };
    let text = var
        .to_str()
        .ok_or_else(|| format!("${name} is not valid UTF-8"))?;
    let base = text.trim_end_matches('/');
    let host = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    match host {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(base.to_owned()),
        _ => Err(format!(
            "${name} is \"{text}\"; it must be an http:// or https:// URL such as {DEFAULT_BASE_URL}"
        )),
    }
}

/// Why a download failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this error status.
    Status(u16),
    /// No usable answer: no connection, a timeout, a cut or oversized body.
    Network(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(code) => {
                let reason = ureq::http::StatusCode::from_u16(*code)
                    .ok()
                    .and_then(|status| status.canonical_reason());
                match reason {
                    Some(reason) => write!(f, "HTTP {code} {reason}"),
                    None => write!(f, "HTTP {code}"),
                }
            }
            Failure::Network(reason) => f.write_str(reason),
        }
    }
}

/// A client for several GETs (one connection pool).
pub struct Client {
    agent: ureq::Agent,
    https_only: bool,
}

impl Client {
    /// A client for URLs under `base`: a base on https is never redirected to plain http, and
    /// a base on this machine never goes through a proxy from the environment.
    pub fn new(base: &str) -> Client {
        let https_only = base.starts_with("https://");
        let mut config = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(TIMEOUT))
            .https_only(https_only)
            .user_agent(concat!("smithy-rust-testdata/", env!("CARGO_PKG_VERSION")));
        if is_loopback(base) {
            config = config.proxy(None);
        }
        if let Some(roots) = system_roots() {
            config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build());
        }
        Client {
            agent: config.build().into(),
            https_only,
        }
    }

    /// The body of a GET of `url`, at most `max_bytes` long.
    pub fn get(&self, url: &str, max_bytes: u64) -> Result<Vec<u8>, Failure> {
        if self.https_only && !url.starts_with("https://") {
            return Err(Failure::Network(format!("{url} is not https")));
        }
        let mut response = self.agent.get(url).call().map_err(failure)?;
        response
            .body_mut()
            .with_config()
            .limit(max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => Failure::Network(format!(
                    "the file is larger than the {max_bytes} bytes accepted"
                )),
                e => failure(e),
            })
    }
}

/// The machine's trusted certificates (`SSL_CERT_FILE` / `SSL_CERT_DIR`, else the system
/// store), when it has any: a network whose TLS goes through an inspecting proxy trusts that
/// proxy's CA there, as curl and pip do. Without them, the Mozilla roots built into ureq.
fn system_roots() -> Option<ureq::tls::RootCerts> {
    static ROOTS: std::sync::OnceLock<Option<ureq::tls::RootCerts>> = std::sync::OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let certs: Vec<ureq::tls::Certificate<'static>> = found
                .certs
                .iter()
                .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
                .collect();
            (!certs.is_empty()).then(|| certs.into())
        })
        .clone()
}

/// The body of a GET of `url`, at most `max_bytes` long (a [`Client`] for one request).
pub fn get(url: &str, max_bytes: u64) -> Result<Vec<u8>, Failure> {
    Client::new(url).get(url, max_bytes)
}

fn failure(error: ureq::Error) -> Failure {
    match error {
        ureq::Error::StatusCode(code) => Failure::Status(code),
        ureq::Error::Timeout(timeout) => Failure::Network(format!(
            "timed out ({timeout}; limits: connect {} s, whole download {} s)",
            CONNECT_TIMEOUT.as_secs(),
            TIMEOUT.as_secs()
        )),
        // Connection refused, a DNS failure, a cut connection (without ureq's "io: " prefix).
        ureq::Error::Io(e) => Failure::Network(one_line(&e.to_string())),
        // TLS errors, too many redirects, a bad URL.
        e => Failure::Network(one_line(&e.to_string())),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `url`'s host is this machine (`localhost`, `127.x.x.x`, `[::1]`).
pub fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Writes `path` atomically: a temporary file beside it (named for this process and call, so
/// that processes writing the same file at once never share one), flushed, then renamed over
/// it. Creates the parent folders.
pub fn save_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}.{}.{}.part",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
