//! The lookup and the download, against a server on 127.0.0.1 (a `TcpListener`): the order of
//! the places, the cache, checksums, the offline error, files only a mirror serves, and several
//! fetches of one item at once.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use smithy_testdata::http::{self, Failure};
use smithy_testdata::{parse, sha256_hex, Found, Item, Origin, Places};

const COMMIT: &str = "0f7323128b0606a1b94b1ac482c94d3800a22708";

/// A scratch folder, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "smithy-testdata-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server on 127.0.0.1 answering GETs from `files` (path to body; others 404) until dropped;
/// counts the requests.
struct Server {
    base: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(files: BTreeMap<String, Vec<u8>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    listener.set_nonblocking(true).expect("non-blocking");
    let requests = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (count, halt) = (requests.clone(), stop.clone());
    let files = Arc::new(files);
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !halt.load(Ordering::Relaxed) && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    let (files, count) = (files.clone(), count.clone());
                    std::thread::spawn(move || answer(stream, &files, &count));
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => return,
            }
        }
    });
    Server { base, requests, stop }
}

/// Answers the requests of one connection (keep-alive) until it closes.
fn answer(stream: TcpStream, files: &BTreeMap<String, Vec<u8>>, count: &AtomicUsize) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).ok()? == 0 {
            return Some(());
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
                break;
            }
        }
        count.fetch_add(1, Ordering::Relaxed);
        let path = request_line.split_whitespace().nth(1).unwrap_or("");
        let (status, body) = match files.get(path) {
            Some(body) => ("200 OK", body.as_slice()),
            None => ("404 Not Found", &b"404: Not Found"[..]),
        };
        let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n", body.len());
        writer.write_all(head.as_bytes()).ok()?;
        writer.write_all(body).ok()?;
        writer.flush().ok()?;
    }
}

/// A base URL whose port refuses connections.
fn dead_base() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    base
}

const A: &[u8] = b"namespace a\n";
const B: &[u8] = b"namespace b\n";
const JSON: &[u8] = br#"{"smithy": "2.0", "shapes": {}}"#;

/// An item of two upstream files (one in a subfolder), one file only a mirror serves, and an
/// optional one.
fn item() -> Item {
    let text = format!(
        r#"{{ "items": [ {{ "name": "suite/idl", "dir": "suite/idl", "env": "SUITE_DIR", "env_path": "idl",
              "repository": "https://github.com/smithy-lang/smithy", "commit": "{COMMIT}",
              "upstream": "tests/loader", "note": "assembled here",
              "files": [
                {{ "path": "valid/a.smithy", "sha256": "{}" }},
                {{ "path": "b.smithy", "sha256": "{}", "upstream": "elsewhere/b.smithy" }},
                {{ "path": "suite.json", "sha256": "{}", "upstream": null }},
                {{ "path": "LICENSE", "sha256": "{}", "upstream": null, "optional": true }}
              ] }} ] }}"#,
        sha256_hex(A),
        sha256_hex(B),
        sha256_hex(JSON),
        sha256_hex(b"license")
    );
    parse(&text, "test.json").expect("parses").items.remove(0)
}

/// The mirror's files for [`item`].
fn mirror() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(format!("/smithy-lang/smithy/{COMMIT}/tests/loader/valid/a.smithy"), A.to_vec());
    files.insert(format!("/smithy-lang/smithy/{COMMIT}/elsewhere/b.smithy"), B.to_vec());
    files.insert("/local/suite/idl/suite.json".to_owned(), JSON.to_vec());
    files
}

fn places(temp: &Temp, vars: &[(&str, &str)]) -> Places {
    let vars = vars.iter().map(|(k, v)| ((*k).to_owned(), OsString::from(v))).collect();
    Places::new(&temp.0.join("repo"), vars)
}

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path().strip_prefix(dir).expect("prefix").display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn downloads_checks_and_caches_then_uses_the_cache() {
    let temp = Temp::new("ok");
    let item = item();
    let server = serve(mirror());
    let at = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &server.base)]);
    let found = smithy_testdata::locate_in(&item, &at).expect("downloaded");
    let dir = temp.0.join("repo/models/cache/test-data/suite/idl");
    assert_eq!(found, Found { dir: dir.clone(), origin: Origin::Downloaded(3) });
    assert_eq!(std::fs::read(dir.join("valid/a.smithy")).ok().as_deref(), Some(A));
    assert_eq!(std::fs::read(dir.join("b.smithy")).ok().as_deref(), Some(B));
    assert_eq!(std::fs::read(dir.join("suite.json")).ok().as_deref(), Some(JSON));
    // No temporary file is left, and the optional file is not fetched.
    assert_eq!(all_files(&dir), ["b.smithy", "suite.json", "valid/a.smithy"]);
    assert_eq!(server.requests.load(Ordering::Relaxed), 3);

    // The next run needs no server.
    let offline = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &dead_base())]);
    assert_eq!(smithy_testdata::locate_in(&item, &offline), Ok(Found { dir: dir.clone(), origin: Origin::Cache }));

    // A cache from another pin is stale: only the changed file is downloaded again.
    std::fs::write(dir.join("b.smithy"), b"older").expect("write");
    let marker = temp.0.join("repo/models/cache/test-data/.complete/suite+idl");
    std::fs::write(&marker, "another pin").expect("write");
    let again = smithy_testdata::locate_in(&item, &at).expect("refreshed");
    assert_eq!(again.origin, Origin::Downloaded(1));
    assert_eq!(std::fs::read(dir.join("b.smithy")).ok().as_deref(), Some(B));
}

#[test]
fn lookup_order_env_then_shared_then_cache() {
    let temp = Temp::new("order");
    let item = item();
    let full: &[(&str, &[u8])] = &[("valid/a.smithy", A), ("b.smithy", B), ("suite.json", JSON)];
    let env = temp.0.join("env");
    let shared = temp.0.join("shared/suite/idl");
    write(&env.join("idl"), full);
    write(&shared, full);
    let dead = dead_base();
    let with_env = places(&temp, &[("SUITE_DIR", env.to_str().expect("utf-8")), ("SMITHY_TEST_DATA_BASE_URL", &dead)]);
    assert_eq!(smithy_testdata::locate_in(&item, &with_env), Ok(Found { dir: env.join("idl"), origin: Origin::Env }));
    let without = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &dead)]);
    assert_eq!(smithy_testdata::locate_in(&item, &without), Ok(Found { dir: shared.clone(), origin: Origin::Shared }));

    // A variable that is set but points at an incomplete folder is an error, not skipped.
    std::fs::remove_file(env.join("idl/b.smithy")).expect("rm");
    let message = smithy_testdata::locate_in(&item, &with_env).expect_err("incomplete");
    assert_eq!(
        message,
        format!("test data \"suite/idl\" incomplete: $SUITE_DIR is set, but {} has no b.smithy; point $SUITE_DIR at a copy of shared/ (or unset it to have the data fetched)", env.join("idl").display())
    );

    // An incomplete shared/ is passed over for the cache.
    std::fs::remove_file(shared.join("valid/a.smithy")).expect("rm");
    let server = serve(mirror());
    let fetching = places(&temp, &[("SMITHY_MODELS_BASE_URL", &server.base)]);
    let found = smithy_testdata::locate_in(&item, &fetching).expect("fetched");
    assert_eq!(found.origin, Origin::Downloaded(3), "$SMITHY_MODELS_BASE_URL serves when the test-data variable is unset");
    assert_eq!(smithy_testdata::locate_in(&item, &without).map(|f| f.origin), Ok(Origin::Cache));
}

#[test]
fn offline_the_error_is_one_line_naming_places_url_and_command() {
    let temp = Temp::new("offline");
    let item = item();
    let dead = dead_base();
    let at = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &dead)]);
    let message = smithy_testdata::locate_in(&item, &at).expect_err("offline");
    let repo = temp.0.join("repo");
    let prefix = format!(
        "test data \"suite/idl\" missing: looked in $SUITE_DIR/idl (unset), {}, {}; download from {dead}/",
        temp.0.join("shared/suite/idl").display(),
        repo.join("models/cache/test-data/suite/idl").display()
    );
    assert!(message.starts_with(&prefix), "{message}");
    assert!(message.contains(" failed: Connection refused"), "{message}");
    assert!(
        message.ends_with("; run `cargo xtask fetch-test-data` with network access (or set SMITHY_TEST_DATA_BASE_URL to a mirror)"),
        "{message}"
    );
    assert!(!message.contains('\n'));
    assert!(!repo.join("models/cache/test-data/.complete").exists(), "nothing marked complete");
}

#[test]
fn a_wrong_checksum_is_refused_and_not_saved() {
    let temp = Temp::new("sha");
    let item = item();
    let mut files = mirror();
    files.insert(format!("/smithy-lang/smithy/{COMMIT}/elsewhere/b.smithy"), b"tampered".to_vec());
    let server = serve(files);
    let at = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &server.base)]);
    let message = smithy_testdata::locate_in(&item, &at).expect_err("sha256");
    let url = format!("{}/smithy-lang/smithy/{COMMIT}/elsewhere/b.smithy", server.base);
    assert!(
        message.contains(&format!(
            "download from {url} failed: sha256 {}, not the {} pinned in models/test-data.json, so it was not saved",
            sha256_hex(b"tampered"),
            sha256_hex(B)
        )),
        "{message}"
    );
    let dir = temp.0.join("repo/models/cache/test-data/suite/idl");
    assert!(!dir.join("b.smithy").exists());
    assert!(all_files(&dir).iter().all(|f| !f.contains(".part")), "{:?}", all_files(&dir));
}

#[test]
fn a_404_names_the_url() {
    let temp = Temp::new("404");
    let item = item();
    let mut files = mirror();
    files.remove("/local/suite/idl/suite.json");
    let server = serve(files);
    let at = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &server.base)]);
    let message = smithy_testdata::locate_in(&item, &at).expect_err("404");
    assert!(message.contains(&format!("download from {}/local/suite/idl/suite.json failed: HTTP 404 Not Found", server.base)), "{message}");
}

#[test]
fn a_file_no_upstream_publishes_needs_a_mirror() {
    let temp = Temp::new("local");
    let item = item();
    let at = places(&temp, &[]);
    // Nothing is requested: the default base cannot serve suite.json, so the item cannot be
    // complete from it.
    let message = smithy_testdata::locate_in(&item, &at).expect_err("mirror only");
    assert!(message.contains("; suite.json is not published upstream (assembled here), so only a mirror serves it; run `cargo xtask fetch-test-data`"), "{message}");
    assert_eq!(item.remote_path(&item.files[2]), "local/suite/idl/suite.json");
    assert_eq!(item.remote_path(&item.files[0]), format!("smithy-lang/smithy/{COMMIT}/tests/loader/valid/a.smithy"));
}

#[test]
fn several_fetches_of_one_item_at_once_all_succeed() {
    let temp = Temp::new("race");
    let item = item();
    let server = serve(mirror());
    let at = places(&temp, &[("SMITHY_TEST_DATA_BASE_URL", &server.base)]);
    let results: Vec<Result<Found, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6).map(|_| scope.spawn(|| smithy_testdata::locate_in(&item, &at))).collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    for result in results {
        assert!(result.is_ok(), "{result:?}");
    }
    let dir = temp.0.join("repo/models/cache/test-data/suite/idl");
    assert_eq!(std::fs::read(dir.join("valid/a.smithy")).ok().as_deref(), Some(A));
    assert_eq!(all_files(&dir), ["b.smithy", "suite.json", "valid/a.smithy"]);
}

#[test]
fn base_urls_loopback_and_the_size_cap() {
    assert_eq!(http::base_url("V", None).as_deref(), Ok(http::DEFAULT_BASE_URL));
    assert_eq!(http::base_url("V", Some("http://127.0.0.1:8/".as_ref())).as_deref(), Ok("http://127.0.0.1:8"));
    assert_eq!(
        http::base_url("V", Some("ftp://x".as_ref())),
        Err("$V is \"ftp://x\"; it must be an http:// or https:// URL such as https://raw.githubusercontent.com".into())
    );
    for url in ["http://127.0.0.1:80/a", "http://localhost:8/x", "http://[::1]:9/x"] {
        assert!(http::is_loopback(url), "{url}");
    }
    for url in ["https://raw.githubusercontent.com/a", "http://10.0.0.1/", "http://localhost.example/"] {
        assert!(!http::is_loopback(url), "{url}");
    }
    let mut files = BTreeMap::new();
    files.insert("/x".to_owned(), JSON.to_vec());
    let server = serve(files);
    let url = format!("{}/x", server.base);
    match http::get(&url, 4) {
        Err(Failure::Network(reason)) => assert!(reason.starts_with("the file is larger than"), "{reason}"),
        other => panic!("expected the cap, got {other:?}"),
    }
    assert_eq!(http::get(&url, JSON.len() as u64).ok().as_deref(), Some(JSON));
}

#[test]
fn the_real_manifest_parses_and_pins_every_suite() {
    let manifest = smithy_testdata::manifest().expect("models/test-data.json parses");
    let names: Vec<&str> = manifest.items.iter().map(|i| i.name.as_str()).collect();
    for name in [
        "models/aws",
        "models/history/ecr",
        "protocol-tests/aws-protocol-tests.json",
        "protocol-tests/idl",
        "smithy-tests/idl",
        "smithy-tests/diff",
        "smithy-tests/rules-engine",
        "sigv4-tests",
    ] {
        assert!(names.contains(&name), "{name} is not pinned: {names:?}");
    }
    let idl = smithy_testdata::item("smithy-tests/idl").expect("item");
    let shared = idl.files.iter().find(|f| f.path == "valid/__shared.json").expect("__shared.json");
    assert_eq!(
        idl.remote_path(shared),
        format!("smithy-lang/smithy/{COMMIT}/smithy-model/src/test/resources/software/amazon/smithy/model/loader/valid/__shared.json")
    );
    let message = smithy_testdata::item("nope").expect_err("unknown");
    assert!(message.starts_with("no test data item \"nope\" in models/test-data.json (items: models/aws, "), "{message}");
}

#[test]
fn bad_manifests_are_one_line_errors() {
    let bad = |text: &str| parse(text, "m.json").expect_err(text);
    assert!(bad("{").starts_with("m.json: not valid JSON"));
    assert!(bad(r#"{"itemz": []}"#).contains("unknown field `itemz`"));
    let item = |files: &str| format!(r#"{{"items": [{{"name": "x", "dir": "x", "repository": "https://github.com/a/b", "commit": "{COMMIT}", "files": [{files}]}}]}}"#);
    assert!(bad(&item(r#"{"path": "../a", "sha256": "00"}"#)).contains("`path` \"../a\" must be a relative"));
    assert!(bad(&item(r#"{"path": "a", "sha256": "00"}"#)).contains("64 lowercase hex"));
    let sha = "0".repeat(64);
    assert!(bad(&item(&format!(r#"{{"path": "a", "sha256": "{sha}", "upstream": 3}}"#))).contains("`upstream` must be a path or null"));
    assert!(bad(&item(&format!(r#"{{"path": "a", "sha256": "{sha}"}}, {{"path": "b", "sha256": "{sha}", "commit": "main"}}"#))).contains("must be a lowercase hex commit hash"));
    assert!(parse(&item(&format!(r#"{{"path": "a", "sha256": "{sha}", "upstream": "up/a"}}"#)), "m").is_ok());
}
