//! Finding a pinned model (models/, `$SMITHY_MODELS_DIR`, `../shared/models/aws`, the cache),
//! and downloading one that is not on this machine: from its upstream URL (or from
//! `$SMITHY_MODELS_BASE_URL`), checked against the manifest's sha256, and kept in
//! `models/cache/` so that the next run needs no network. The HTTP getter is the
//! `smithy-testdata` crate's, which the test data downloads use too.
//!
//! Nothing is written unless the whole file arrived and its sha256 is the pinned one, and then
//! atomically (a temporary file in the cache folder, renamed over the cache file).

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use smithy_testdata::http::{self, Failure};

use crate::manifest::{sha256_hex, Entry, MANIFEST, MODELS_DIR_VAR};

/// The environment variable that replaces [`http::DEFAULT_BASE_URL`]: the model is then downloaded
/// from `$SMITHY_MODELS_BASE_URL/<owner>/<repo>/<commit>/<path>`. Plain `http://` is allowed
/// here (a mirror on the local network, a test server), the default is https only.
pub const BASE_URL_VAR: &str = "SMITHY_MODELS_BASE_URL";
/// The cache of downloaded models, relative to the workspace (git-ignored).
pub const CACHE_DIR: &str = "models/cache";
/// The largest model file accepted (AWS's largest models are a few MiB; SageMaker's is 3.5 MiB).
pub const MAX_BYTES: u64 = 64 << 20;

/// The cache folder of `workspace`.
pub fn cache_dir(workspace: &Path) -> PathBuf {
    workspace.join(CACHE_DIR)
}

/// The base URL that models are downloaded from: `$SMITHY_MODELS_BASE_URL` (`var`, when set
/// and not empty) without its trailing `/`, else [`http::DEFAULT_BASE_URL`].
pub fn base_url(var: Option<&OsStr>) -> Result<String, String> {
    http::base_url(BASE_URL_VAR, var)
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
    let bytes = http::get(url, MAX_BYTES).map_err(|failure| {
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
    http::save_atomic(&path, &bytes).map_err(|e| {
        format!(
            "{file}: downloaded from {url}, but cannot save it as {}: {e}; make {} writable, or set ${MODELS_DIR_VAR} to a folder holding the file",
            path.display(),
            cache.display()
        )
    })?;
    Ok((path, bytes))
}

/// The folders searched for pinned model files, in order: `<workspace>/models`,
/// `$SMITHY_MODELS_DIR` (when set and not empty) and `<workspace>/../shared/models/aws`.
pub fn search_dirs(workspace: &Path, models_dir_var: Option<&OsStr>) -> Vec<PathBuf> {
    let mut dirs = vec![workspace.join("models")];
    if let Some(dir) = models_dir_var.filter(|dir| !dir.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    let beside = workspace
        .parent()
        .map_or_else(|| workspace.join(".."), Path::to_path_buf);
    dirs.push(beside.join("shared").join("models").join("aws"));
    dirs
}

/// Finds `entry`'s file in the first of `dirs` that has it, else in the download cache
/// (`models/cache/`), else downloads it there from its source (or `$SMITHY_MODELS_BASE_URL`);
/// checks its SHA-256 and returns its path and contents.
pub fn find_model(
    entry: &Entry,
    dirs: &[PathBuf],
    workspace: &Path,
) -> Result<(PathBuf, Vec<u8>), String> {
    // The one place that reads the variable; everything below takes it as an argument.
    let base_url = std::env::var_os(BASE_URL_VAR);
    find_model_in(
        entry,
        dirs,
        workspace,
        &cache_dir(workspace),
        base_url.as_deref(),
    )
}

/// [`find_model`] with the cache folder and the value of `$SMITHY_MODELS_BASE_URL` given.
pub fn find_model_in(
    entry: &Entry,
    dirs: &[PathBuf],
    workspace: &Path,
    cache: &Path,
    base_url_var: Option<&OsStr>,
) -> Result<(PathBuf, Vec<u8>), String> {
    let searched = dirs
        .iter()
        .map(|dir| dir.display().to_string())
        .collect::<Vec<_>>()
        .join(", then ");
    for dir in dirs {
        let path = dir.join(&entry.file);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let actual = sha256_hex(&bytes);
                if actual != entry.sha256 {
                    return Err(format!(
                        "{}: sha256 {actual} does not match the pinned {} of {}; replace it with {}, or remove it to have the pinned file downloaded into {} (folders searched: {searched})",
                        path.display(),
                        entry.sha256,
                        MANIFEST,
                        entry.download_url(),
                        cache.display()
                    ));
                }
                return Ok((path, bytes));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(format!(
                    "{}: cannot read the pinned model: {e}",
                    path.display()
                ))
            }
        }
    }
    if let Some(found) = cached(entry, cache)? {
        return Ok(found);
    }
    let base = base_url(base_url_var)
        .map_err(|e| format!("{}: not found locally, and {e}", entry.file))?;
    if let Some(url) = url(entry, &base) {
        return download(entry, &url, cache);
    }
    let unset = if dirs.len() < 3 {
        format!(" (${MODELS_DIR_VAR} is not set)")
    } else {
        String::new()
    };
    Err(format!(
        "{}: pinned model not found{unset}; download {} into {} (folders searched: {searched})",
        entry.file,
        entry.download_url(),
        workspace.join("models").display()
    ))
}

/// The environment variable naming an extra folder holding the pinned `partitions.json`.
pub const ENDPOINTS_DIR_VAR: &str = "SMITHY_ENDPOINTS_DIR";

/// The folders searched for the pinned partition table, in order: `<workspace>/models`,
/// `$SMITHY_ENDPOINTS_DIR` (when set and not empty) and
/// `<workspace>/../shared/reference/endpoints`.
pub fn partitions_dirs(workspace: &Path, endpoints_dir_var: Option<&OsStr>) -> Vec<PathBuf> {
    let mut dirs = vec![workspace.join("models")];
    if let Some(dir) = endpoints_dir_var.filter(|dir| !dir.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    let beside = workspace
        .parent()
        .map_or_else(|| workspace.join(".."), Path::to_path_buf);
    dirs.push(beside.join("shared").join("reference").join("endpoints"));
    dirs
}

/// The text of the partition table `manifest` pins, found like a model (the folders of
/// [`partitions_dirs`], then the cache, then a download checked against its sha256): what the
/// generator needs for endpoint rules that call `aws.partition`.
pub fn partitions(workspace: &Path, manifest: &crate::manifest::Manifest) -> Result<String, String> {
    let entry = manifest.partitions.as_ref().ok_or_else(|| {
        format!("{MANIFEST} pins no `partitions` (the partition table endpoint rules need); see models/README.md")
    })?;
    let dirs = partitions_dirs(workspace, std::env::var_os(ENDPOINTS_DIR_VAR).as_deref());
    let (path, bytes) = find_model(entry, &dirs, workspace).map_err(|e| format!("the partition table: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: the partition table is not UTF-8", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Source;
    use smithy_testdata::http::DEFAULT_BASE_URL;
    use crate::temp::TempDir;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc::{self, Receiver};
    use std::thread;
    use std::time::{Duration, Instant};

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
            start.elapsed() < http::CONNECT_TIMEOUT,
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

    fn plain_entry(bytes: &[u8]) -> Entry {
        Entry {
            file: "x-2020-01-01.json".into(),
            out: "generated/x".into(),
            source: Source {
                repository: "https://github.com/aws/api-models-aws".into(),
                path: "models/x/service/2020-01-01/x-2020-01-01.json".into(),
                commit: COMMIT.into(),
            },
            sha256: sha256_hex(bytes),
            version: "0.1.0".into(),
        }
    }

    #[test]
    fn lookup_order_workspace_then_env_then_shared() {
        let temp = TempDir::new("lookup");
        let workspace = temp.path().join("main");
        let env_dir = temp.path().join("env");
        let shared = temp.path().join("shared").join("models").join("aws");
        let dirs = search_dirs(&workspace, Some(env_dir.as_os_str()));
        assert_eq!(
            dirs,
            vec![workspace.join("models"), env_dir.clone(), shared.clone()]
        );
        assert_eq!(
            search_dirs(&workspace, None),
            vec![workspace.join("models"), shared.clone()]
        );
        assert_eq!(search_dirs(&workspace, Some(OsStr::new(""))).len(), 2);

        let mut pinned = plain_entry(b"{}");
        pinned.source.repository = "https://example.com/models".into();
        for dir in [workspace.join("models"), env_dir.clone(), shared.clone()] {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join(&pinned.file), b"{}").expect("write");
        }
        let cache = workspace.join("models").join("cache");
        // Found or not, nothing is downloaded: the model's source is no GitHub repository, and
        // the base URL is a port on this machine.
        let no_server = Some(OsStr::new("http://127.0.0.1:9"));
        let found = |dirs: &[PathBuf]| {
            find_model_in(&pinned, dirs, &workspace, &cache, no_server).map(|(path, _)| path)
        };
        assert_eq!(
            found(&dirs),
            Ok(workspace.join("models").join(&pinned.file))
        );
        std::fs::remove_file(workspace.join("models").join(&pinned.file)).expect("rm");
        assert_eq!(found(&dirs), Ok(env_dir.join(&pinned.file)));
        std::fs::remove_file(env_dir.join(&pinned.file)).expect("rm");
        assert_eq!(found(&dirs), Ok(shared.join(&pinned.file)));
        assert_eq!(
            find_model_in(&pinned, &dirs, &workspace, &cache, no_server).map(|(_, bytes)| bytes),
            Ok(b"{}".to_vec())
        );

        std::fs::remove_file(shared.join(&pinned.file)).expect("rm");
        let message = found(&dirs).expect_err("not found");
        assert!(message.starts_with("x-2020-01-01.json: pinned model not found; download https://example.com/models (file models/x/service/2020-01-01/x-2020-01-01.json at commit "), "{message}");
        for dir in &dirs {
            assert!(message.contains(&dir.display().to_string()), "{message}");
        }
        let message = found(&search_dirs(&workspace, None)).expect_err("not found");
        assert!(
            message.contains("$SMITHY_MODELS_DIR is not set"),
            "{message}"
        );
    }

    #[test]
    fn sha256_mismatch_names_file_hashes_and_url() {
        let temp = TempDir::new("mismatch");
        let workspace = temp.path().join("main");
        let dirs = search_dirs(&workspace, None);
        let pinned = plain_entry(b"the pinned bytes");
        std::fs::create_dir_all(&dirs[0]).expect("mkdir");
        std::fs::create_dir_all(&dirs[1]).expect("mkdir");
        let local = dirs[0].join(&pinned.file);
        std::fs::write(&local, b"other bytes").expect("write");
        // The right file further down the search order does not excuse a wrong one found first.
        std::fs::write(dirs[1].join(&pinned.file), b"the pinned bytes").expect("write");
        let cache = workspace.join("models").join("cache");
        let no_server = Some(OsStr::new("http://127.0.0.1:9"));
        let message =
            find_model_in(&pinned, &dirs, &workspace, &cache, no_server).expect_err("mismatch");
        assert!(
            message.starts_with(&format!(
                "{}: sha256 {} does not match the pinned {}",
                local.display(),
                sha256_hex(b"other bytes"),
                pinned.sha256
            )),
            "{message}"
        );
        assert!(message.contains(&pinned.download_url()), "{message}");
        assert!(
            message.contains(&dirs[1].display().to_string()),
            "{message}"
        );
        assert!(
            message.contains(&format!(
                "remove it to have the pinned file downloaded into {}",
                cache.display()
            )),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    #[test]
    fn the_partition_table_is_found_like_a_model() {
        let temp = TempDir::new("fetch-partitions");
        let workspace = temp.path().join("ws");
        std::fs::create_dir_all(workspace.join("models")).unwrap();
        let text = br#"{"version":"1.1","partitions":[]}"#;
        let mut pin = entry(text);
        pin.file = crate::manifest::PARTITIONS_FILE.into();
        pin.out = String::new();
        let manifest = crate::manifest::Manifest { models: Vec::new(), partitions: Some(pin), botocore: None, botocore_json: None };
        std::fs::write(workspace.join("models").join("partitions.json"), text).unwrap();
        assert_eq!(partitions(&workspace, &manifest).unwrap().as_bytes(), text);
        // Another file in one of the folders is refused, never replaced by a download.
        std::fs::write(workspace.join("models").join("partitions.json"), b"{}").unwrap();
        let message = partitions(&workspace, &manifest).unwrap_err();
        assert!(message.starts_with("the partition table: "), "{message}");
        assert!(message.contains("does not match the pinned"), "{message}");
        let unpinned = crate::manifest::Manifest { models: Vec::new(), partitions: None, botocore: None, botocore_json: None };
        assert!(partitions(&workspace, &unpinned).unwrap_err().contains("pins no `partitions`"));
        let dirs = partitions_dirs(&workspace, Some(OsStr::new("/elsewhere")));
        assert_eq!(dirs.len(), 3);
        assert!(dirs[2].ends_with("shared/reference/endpoints"));
    }
}
