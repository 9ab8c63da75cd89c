//! Downloading a pinned model that is not on this machine: from its upstream URL (or from
//! `$SMITHY_MODELS_BASE_URL`), checked against the manifest's sha256, and kept in
//! `models/cache/` so that the next run needs no network.
//!
//! Nothing is written unless the whole file arrived and its sha256 is the pinned one, and then
//! atomically (a temporary file in the cache folder, renamed over the cache file).

use std::ffi::OsStr;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::manifest::{sha256_hex, Entry, MANIFEST, MODELS_DIR_VAR};

/// The environment variable that replaces [`DEFAULT_BASE_URL`]: the model is then downloaded
/// from `$SMITHY_MODELS_BASE_URL/<owner>/<repo>/<commit>/<path>`. Plain `http://` is allowed
/// here (a mirror on the local network, a test server), the default is https only.
pub const BASE_URL_VAR: &str = "SMITHY_MODELS_BASE_URL";
/// Where the files of a GitHub repository are served from, by commit.
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com";
/// The cache of downloaded models, relative to the workspace (git-ignored).
pub const CACHE_DIR: &str = "models/cache";
/// The largest model file accepted (AWS's largest models are a few MiB; SageMaker's is 3.5 MiB).
pub const MAX_BYTES: u64 = 64 << 20;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(60);

/// The cache folder of `workspace`.
pub fn cache_dir(workspace: &Path) -> PathBuf {
    workspace.join(CACHE_DIR)
}

/// The base URL that models are downloaded from: `$SMITHY_MODELS_BASE_URL` (`var`, when set
/// and not empty) without its trailing `/`, else [`DEFAULT_BASE_URL`].
pub fn base_url(var: Option<&OsStr>) -> Result<String, String> {
    let Some(var) = var.filter(|var| !var.is_empty()) else {
        return Ok(DEFAULT_BASE_URL.to_owned());
    };
    let text = var
        .to_str()
        .ok_or_else(|| format!("${BASE_URL_VAR} is not valid UTF-8"))?;
    let base = text.trim_end_matches('/');
    let host = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    match host {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(base.to_owned()),
        _ => Err(format!(
            "${BASE_URL_VAR} is \"{text}\"; it must be an http:// or https:// URL such as {DEFAULT_BASE_URL}"
        )),
    }
}

/// Where `entry` is downloaded from under `base`, or `None` when its source is not a GitHub
/// repository (the manifest gives no file URL then).
pub fn url(entry: &Entry, base: &str) -> Option<String> {
    entry.raw_path().map(|path| format!("{base}/{path}"))
}

/// The cached copy of `entry` in `cache`, if there is one with the pinned sha256. A cached file
/// with another sha256 (the pin moved on) counts as absent: the download replaces it.
pub fn cached(entry: &Entry, cache: &Path) -> Result<Option<(PathBuf, Vec<u8>)>, String> {
    let path = cache.join(&entry.file);
    match std::fs::read(&path) {
        Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => Ok(Some((path, bytes))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "{}: cannot read the cached model: {e}",
            path.display()
        )),
    }
}

/// Downloads `entry` from `url`, checks its sha256 and saves it as `<cache>/<file>`. On any
/// failure, one line naming the file, the URL and what to do, and nothing changed on disk.
pub fn download(entry: &Entry, url: &str, cache: &Path) -> Result<(PathBuf, Vec<u8>), String> {
    let file = &entry.file;
    let bytes = get(url, MAX_BYTES).map_err(|failure| {
        let fix = match failure {
            Failure::Status(_) => format!(
                "check `source` of {file} in {MANIFEST}, or set ${MODELS_DIR_VAR} to a folder holding the file"
            ),
            Failure::Network(_) => format!(
                "check the network (or ${BASE_URL_VAR}), or set ${MODELS_DIR_VAR} to a folder holding the file"
            ),
        };
        format!("{file}: not found locally, and the download from {url} failed: {failure}; {fix}")
    })?;
    let actual = sha256_hex(&bytes);
    if actual != entry.sha256 {
        return Err(format!(
            "{file}: sha256 mismatch: the file downloaded from {url} has sha256 {actual}, not the {} pinned in {MANIFEST}, so it was not saved; if upstream is right, re-pin it with `cargo xtask update NAME --model FILE --source URL --commit SHA`, else set ${MODELS_DIR_VAR} to a folder holding the pinned file",
            entry.sha256
        ));
    }
    let path = cache.join(file);
    save(&path, &bytes).map_err(|e| {
        format!(
            "{file}: downloaded from {url}, but cannot save it as {}: {e}; make {} writable, or set ${MODELS_DIR_VAR} to a folder holding the file",
            path.display(),
            cache.display()
        )
    })?;
    Ok((path, bytes))
}

/// Why a download failed.
#[derive(Debug)]
enum Failure {
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

/// The body of a GET of `url`, at most `max_bytes` long.
fn get(url: &str, max_bytes: u64) -> Result<Vec<u8>, Failure> {
    let https = url.starts_with("https://");
    let mut config = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(TIMEOUT))
        // An https download is never redirected to plain http.
        .https_only(https)
        .user_agent(concat!("smithy-rust-xtask/", env!("CARGO_PKG_VERSION")));
    if is_loopback(url) {
        // A proxy from the environment cannot reach this machine's own servers.
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let mut response = agent.get(url).call().map_err(failure)?;
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
fn is_loopback(url: &str) -> bool {
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

/// Writes `path` atomically: a temporary file beside it, flushed, then renamed over it.
fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{find_model_in, search_dirs, Source};
    use crate::temp::TempDir;
    use std::io::{BufRead, BufReader};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc::{self, Receiver};
    use std::thread;
    use std::time::Instant;

    const COMMIT: &str = "909bc742bc61de7eb623d7b510644a935ce50e66";
    const PATH: &str = "models/x/service/2020-01-01/x-2020-01-01.json";
    const BODY: &[u8] = br#"{"smithy": "2.0", "shapes": {}}"#;

    fn entry(pinned: &[u8]) -> Entry {
        Entry {
            file: "x-2020-01-01.json".into(),
            out: "generated/x".into(),
            source: Source {
                repository: "https://github.com/aws/api-models-aws".into(),
                path: PATH.into(),
                commit: COMMIT.into(),
            },
            sha256: sha256_hex(pinned),
            version: "0.1.0".into(),
        }
    }

    /// A server on 127.0.0.1 that answers `answers` GET requests with `status` and `body`,
    /// one per connection, then stops, as it does after 10 s in any case; it reports each
    /// request's path.
    struct Server {
        base: String,
        paths: Receiver<String>,
    }

    fn serve(status: &'static str, body: &'static [u8], answers: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        listener.set_nonblocking(true).expect("non-blocking");
        let (sender, paths) = mpsc::channel();
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut answered = 0;
            while answered < answers && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        answered += 1;
                        if let Some(path) = answer(stream, status, body) {
                            let _ = sender.send(path);
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(2))
                    }
                    Err(_) => return,
                }
            }
        });
        Server { base, paths }
    }

    fn answer(mut stream: TcpStream, status: &str, body: &[u8]) -> Option<String> {
        stream.set_nonblocking(false).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).ok()?;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
                break;
            }
        }
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).ok()?;
        stream.write_all(body).ok()?;
        stream.flush().ok()?;
        let mut words = request_line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("GET"), Some(path)) => Some(path.to_owned()),
            _ => None,
        }
    }

    /// A base URL whose port refuses connections: a listener's, once it is closed.
    fn dead_base() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        drop(listener);
        base
    }

    /// A workspace with no model file anywhere: its search folders and its cache.
    fn empty_workspace(temp: &TempDir) -> (PathBuf, Vec<PathBuf>, PathBuf) {
        let workspace = temp.path().join("main");
        let dirs = search_dirs(&workspace, None);
        let cache = cache_dir(&workspace);
        (workspace, dirs, cache)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn raw_path() -> String {
        format!("/aws/api-models-aws/{COMMIT}/{PATH}")
    }

    #[test]
    fn base_url_default_override_and_bad_values() {
        assert_eq!(base_url(None).as_deref(), Ok(DEFAULT_BASE_URL));
        assert_eq!(
            base_url(Some(OsStr::new(""))).as_deref(),
            Ok(DEFAULT_BASE_URL)
        );
        assert_eq!(
            base_url(Some(OsStr::new("http://127.0.0.1:8080/"))).as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert_eq!(
            base_url(Some(OsStr::new("https://mirror.example/raw"))).as_deref(),
            Ok("https://mirror.example/raw")
        );
        for bad in [
            "ftp://mirror.example",
            "mirror.example",
            "https://",
            "http:///x",
        ] {
            let message = base_url(Some(OsStr::new(bad))).expect_err(bad);
            assert_eq!(
                message,
                format!("$SMITHY_MODELS_BASE_URL is \"{bad}\"; it must be an http:// or https:// URL such as https://raw.githubusercontent.com")
            );
        }
        let pinned = entry(BODY);
        assert_eq!(url(&pinned, DEFAULT_BASE_URL), Some(pinned.download_url()));
        assert_eq!(
            url(&pinned, "http://127.0.0.1:1"),
            Some(format!("http://127.0.0.1:1{}", raw_path()))
        );
        let mut elsewhere = pinned;
        elsewhere.source.repository = "https://example.com/models".into();
        assert_eq!(url(&elsewhere, DEFAULT_BASE_URL), None);
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://127.0.0.1:80/a",
            "http://127.1.2.3",
            "http://localhost:8/x",
            "http://LOCALHOST",
            "http://[::1]:9/x",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://raw.githubusercontent.com/a",
            "http://10.0.0.1/",
            "http://localhost.example/",
            "http://[::2]/",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn downloads_checks_and_caches_then_uses_the_cache() {
        let temp = TempDir::new("fetch-ok");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        let server = serve("200 OK", BODY, 1);

        let found = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        );
        assert_eq!(found, Ok((cache.join(&pinned.file), BODY.to_vec())));
        assert_eq!(server.paths.recv().as_deref(), Ok(raw_path().as_str()));
        assert_eq!(
            std::fs::read(cache.join(&pinned.file)).ok().as_deref(),
            Some(BODY)
        );
        assert_eq!(
            names(&cache),
            vec![pinned.file.clone()],
            "no temporary file is left"
        );

        // The second run needs no server.
        let dead = dead_base();
        let again = find_model_in(&pinned, &dirs, &workspace, &cache, Some(OsStr::new(&dead)));
        assert_eq!(again, Ok((cache.join(&pinned.file), BODY.to_vec())));
        // A file in the search folders still comes first.
        std::fs::create_dir_all(&dirs[0]).expect("mkdir");
        std::fs::write(dirs[0].join(&pinned.file), BODY).expect("write");
        let local = find_model_in(&pinned, &dirs, &workspace, &cache, Some(OsStr::new(&dead)));
        assert_eq!(local.map(|(path, _)| path), Ok(dirs[0].join(&pinned.file)));
    }

    #[test]
    fn a_stale_cache_file_is_replaced() {
        let temp = TempDir::new("fetch-stale");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        std::fs::create_dir_all(&cache).expect("mkdir");
        std::fs::write(cache.join(&pinned.file), b"the previous pin").expect("write");
        let server = serve("200 OK", BODY, 1);
        let found = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        );
        assert_eq!(found, Ok((cache.join(&pinned.file), BODY.to_vec())));
        assert_eq!(
            std::fs::read(cache.join(&pinned.file)).ok().as_deref(),
            Some(BODY)
        );
        assert_eq!(names(&cache), vec![pinned.file.clone()]);
    }

    #[test]
    fn wrong_checksum_is_refused_and_nothing_is_saved() {
        let temp = TempDir::new("fetch-sha");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(b"the pinned bytes");
        let server = serve("200 OK", BODY, 1);
        let message = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        )
        .expect_err("sha256 mismatch");
        let url = format!("{}{}", server.base, raw_path());
        assert_eq!(
            message,
            format!(
                "x-2020-01-01.json: sha256 mismatch: the file downloaded from {url} has sha256 {}, not the {} pinned in models/manifest.json, so it was not saved; if upstream is right, re-pin it with `cargo xtask update NAME --model FILE --source URL --commit SHA`, else set $SMITHY_MODELS_DIR to a folder holding the pinned file",
                sha256_hex(BODY),
                pinned.sha256
            )
        );
        assert!(!cache.exists(), "nothing is written: {:?}", names(&cache));

        // A stale cache file stays as it was.
        std::fs::create_dir_all(&cache).expect("mkdir");
        std::fs::write(cache.join(&pinned.file), b"old").expect("write");
        let server = serve("200 OK", BODY, 1);
        let message = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        )
        .expect_err("sha256 mismatch");
        assert!(message.contains("sha256 mismatch"), "{message}");
        assert_eq!(names(&cache), vec![pinned.file.clone()]);
        assert_eq!(
            std::fs::read(cache.join(&pinned.file)).ok().as_deref(),
            Some(&b"old"[..])
        );
    }

    #[test]
    fn dead_server_is_one_line_naming_the_url() {
        let temp = TempDir::new("fetch-dead");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        let base = dead_base();
        let start = Instant::now();
        let message = find_model_in(&pinned, &dirs, &workspace, &cache, Some(OsStr::new(&base)))
            .expect_err("connection refused");
        assert!(
            start.elapsed() < CONNECT_TIMEOUT,
            "refused at once, not timed out"
        );
        let url = format!("{base}{}", raw_path());
        let prefix =
            format!("x-2020-01-01.json: not found locally, and the download from {url} failed: ");
        assert!(message.starts_with(&prefix), "{message}");
        assert!(
            message.ends_with("; check the network (or $SMITHY_MODELS_BASE_URL), or set $SMITHY_MODELS_DIR to a folder holding the file"),
            "{message}"
        );
        assert!(!message.contains("failed: io: "), "{message}");
        assert!(
            cfg!(windows) || message.contains("failed: Connection refused"),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
        assert!(!cache.exists());
    }

    #[test]
    fn http_404_names_the_url_and_status() {
        let temp = TempDir::new("fetch-404");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        let server = serve("404 Not Found", b"404: Not Found", 1);
        let message = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        )
        .expect_err("404");
        let url = format!("{}{}", server.base, raw_path());
        assert_eq!(
            message,
            format!("x-2020-01-01.json: not found locally, and the download from {url} failed: HTTP 404 Not Found; check `source` of x-2020-01-01.json in models/manifest.json, or set $SMITHY_MODELS_DIR to a folder holding the file")
        );
        assert!(!cache.exists());
    }

    #[test]
    fn a_local_file_with_another_sha256_is_an_error_not_a_download() {
        let temp = TempDir::new("fetch-local");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        std::fs::create_dir_all(&dirs[0]).expect("mkdir");
        let local = dirs[0].join(&pinned.file);
        std::fs::write(&local, b"edited").expect("write");
        let server = serve("200 OK", BODY, 1);
        let message = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new(&server.base)),
        )
        .expect_err("mismatch");
        assert!(
            message.starts_with(&format!("{}: sha256 ", local.display())),
            "{message}"
        );
        assert!(server.paths.try_recv().is_err(), "no request was made");
        assert_eq!(std::fs::read(&local).ok().as_deref(), Some(&b"edited"[..]));
        assert!(!cache.exists());
    }

    #[test]
    fn a_bad_base_url_or_a_source_off_github_is_reported() {
        let temp = TempDir::new("fetch-bad");
        let (workspace, dirs, cache) = empty_workspace(&temp);
        let pinned = entry(BODY);
        let message = find_model_in(
            &pinned,
            &dirs,
            &workspace,
            &cache,
            Some(OsStr::new("ftp://x")),
        )
        .expect_err("bad base URL");
        assert!(
            message.starts_with(
                "x-2020-01-01.json: not found locally, and $SMITHY_MODELS_BASE_URL is \"ftp://x\""
            ),
            "{message}"
        );
        let mut elsewhere = entry(BODY);
        elsewhere.source.repository = "https://example.com/models".into();
        let message = find_model_in(&elsewhere, &dirs, &workspace, &cache, None)
            .expect_err("not downloadable");
        assert!(
            message.starts_with("x-2020-01-01.json: pinned model not found ($SMITHY_MODELS_DIR is not set); download https://example.com/models (file "),
            "{message}"
        );
    }

    #[test]
    fn the_size_cap_stops_a_large_body() {
        let server = serve("200 OK", BODY, 1);
        let url = format!("{}/x.json", server.base);
        match get(&url, 4) {
            Err(Failure::Network(reason)) => {
                assert!(reason.starts_with("the file is larger than"), "{reason}")
            }
            other => panic!("expected the cap, got {other:?}"),
        }
        let server = serve("200 OK", BODY, 1);
        let url = format!("{}/x.json", server.base);
        assert_eq!(get(&url, BODY.len() as u64).ok().as_deref(), Some(BODY));
    }
}
