//! The pinned test data: `models/test-data.json` names each item of shared data the tests read
//! (the AWS protocol test suite, Smithy's IDL loader, diff and rules-engine suites, the SigV4
//! suite, the AWS models), where it comes from upstream, and every file's SHA-256.
//!
//! [`locate`] finds an item, in this order: its environment variable, `shared/` beside the
//! workspace, the download cache (`models/cache/test-data/`, git-ignored), and last a download
//! into that cache, each file checked against its SHA-256 before it is saved (atomically, so
//! that test processes fetching at once never see half a file). Every place holds the item in
//! the same layout, shared/'s.
//!
//! The HTTP getter is [`http`]; the xtask's model downloads use it too.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

pub mod botocore;
pub mod fields;
pub mod http;

use fields::{is_hex, object, only_keys, optional_string, string};

pub use http::sha256_hex;

/// The manifest's path, relative to the workspace root.
pub const MANIFEST: &str = "models/test-data.json";
/// The download cache, relative to the workspace root (git-ignored).
pub const CACHE_DIR: &str = "models/cache/test-data";
/// The variable naming a mirror to download test data from.
pub const BASE_URL_VAR: &str = "SMITHY_TEST_DATA_BASE_URL";
/// The models' mirror variable, used for test data too when [`BASE_URL_VAR`] is not set.
pub const MODELS_BASE_URL_VAR: &str = "SMITHY_MODELS_BASE_URL";
/// The command that fetches every item once.
pub const FETCH_COMMAND: &str = "cargo xtask fetch-test-data";
/// The largest file accepted (the largest AWS model, SageMaker's, is 3.5 MiB).
pub const MAX_BYTES: u64 = 64 << 20;
/// The folder of a mirror that holds the files no upstream repository publishes.
pub const LOCAL_PREFIX: &str = "local";

const MANIFEST_TEXT: &str = include_str!("../../models/test-data.json");
/// Downloads at once.
const WORKERS: usize = 4;

/// `models/test-data.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub items: Vec<Item>,
}

/// One item: a folder of files in shared/'s layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item's name, e.g. `smithy-tests/idl`.
    pub name: String,
    /// Its folder in shared/'s layout, `/`-separated.
    pub dir: String,
    /// The environment variable that points at it, and the item's folder relative to the
    /// variable's value (`..` allowed: `$SMITHY_PROTOCOL_TESTS` names a file).
    pub env: Option<(String, String)>,
    /// The upstream GitHub repository (`https://github.com/OWNER/REPO`) and commit.
    pub repository: Option<String>,
    pub commit: Option<String>,
    /// What the manifest says about where the files come from.
    pub note: String,
    pub files: Vec<File>,
}

/// One file of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative to the item's folder, `/`-separated.
    pub path: String,
    pub sha256: String,
    /// Its path in the upstream repository at the item's commit (or at `commit`, when the
    /// file gives its own); `None` for a file no upstream repository publishes (assembled or
    /// added here), which only a mirror serves.
    pub upstream: Option<String>,
    pub commit: Option<String>,
    /// Not needed by any test (a LICENSE or NOTICE added here): never downloaded, never
    /// required for the item to be complete.
    pub optional: bool,
}

impl Item {
    /// The files the item needs.
    pub fn required(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| !f.optional)
    }

    /// Where `file` lies under a base URL: `<owner>/<repo>/<commit>/<upstream path>` like
    /// raw.githubusercontent.com, or `local/<item folder>/<path>` (mirrors only).
    pub fn remote_path(&self, file: &File) -> String {
        let upstream = file.upstream.as_deref();
        let repo = self
            .repository
            .as_deref()
            .and_then(|r| r.strip_prefix("https://github.com/"));
        let commit = file.commit.as_deref().or(self.commit.as_deref());
        match (upstream, repo, commit) {
            (Some(path), Some(repo), Some(commit)) => {
                format!("{}/{commit}/{path}", repo.trim_end_matches('/'))
            }
            _ => format!("{LOCAL_PREFIX}/{}/{}", self.dir, file.path),
        }
    }

    /// Whether some upstream repository publishes `file`.
    pub fn is_upstream(&self, file: &File) -> bool {
        !self.remote_path(file).starts_with(&format!("{LOCAL_PREFIX}/"))
    }

    /// A digest of everything the item pins: a cache marker holding another one is stale.
    fn pin(&self) -> String {
        let mut text = String::new();
        for file in self.required() {
            text.push_str(&format!("{} {} {}\n", file.path, file.sha256, self.remote_path(file)));
        }
        sha256_hex(text.as_bytes())
    }
}

/// The workspace root: this crate's parent folder.
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The manifest this crate was built with.
pub fn manifest() -> Result<&'static Manifest, String> {
    static PARSED: OnceLock<Result<Manifest, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| parse(MANIFEST_TEXT, MANIFEST))
        .as_ref()
        .map_err(Clone::clone)
}

/// The item called `name`.
pub fn item(name: &str) -> Result<&'static Item, String> {
    let manifest = manifest()?;
    manifest.items.iter().find(|i| i.name == name).ok_or_else(|| {
        let names: Vec<&str> = manifest.items.iter().map(|i| i.name.as_str()).collect();
        format!("no test data item \"{name}\" in {MANIFEST} (items: {})", names.join(", "))
    })
}

/// Parses and checks a test-data manifest; `at` names it in errors.
pub fn parse(text: &str, at: &str) -> Result<Manifest, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("{at}: not valid JSON: {e}"))?;
    let top = object(&root, at)?;
    only_keys(top, &["comment", "items"], at)?;
    let list = top
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{at}: expected a top-level `items` array"))?;
    let mut items: Vec<Item> = Vec::new();
    for (index, value) in list.iter().enumerate() {
        let item = parse_item(value, &format!("{at}: items[{index}]"))?;
        if items.iter().any(|i| i.name == item.name) {
            return Err(format!("{at}: items[{index}]: a second item \"{}\"", item.name));
        }
        items.push(item);
    }
    Ok(Manifest { items })
}

fn parse_item(value: &Value, at: &str) -> Result<Item, String> {
    let fields = object(value, at)?;
    only_keys(
        fields,
        &["name", "dir", "env", "env_path", "repository", "commit", "upstream", "note", "files"],
        at,
    )?;
    let name = string(fields, "name", at)?;
    let at = &format!("{at} ({name})");
    let dir = string(fields, "dir", at)?;
    relative(&dir, false).map_err(|e| format!("{at}: `dir` {e}"))?;
    let env = match fields.get("env") {
        None => None,
        Some(_) => {
            let path = match fields.get("env_path") {
                None => String::new(),
                Some(Value::String(p)) => p.clone(),
                Some(_) => return Err(format!("{at}: `env_path` must be a string")),
            };
            relative(&path, true).map_err(|e| format!("{at}: `env_path` {e}"))?;
            Some((string(fields, "env", at)?, path))
        }
    };
    let repository = optional_string(fields, "repository", at)?;
    if let Some(repo) = &repository {
        let rest = repo.strip_prefix("https://github.com/").unwrap_or_default();
        if rest.split('/').filter(|s| !s.is_empty()).count() != 2 {
            return Err(format!("{at}: `repository` must be https://github.com/OWNER/REPO"));
        }
    }
    let commit = optional_string(fields, "commit", at)?;
    if let Some(commit) = &commit {
        check_commit(commit).map_err(|e| format!("{at}: {e}"))?;
    }
    let folder = optional_string(fields, "upstream", at)?;
    let note = optional_string(fields, "note", at)?.unwrap_or_default();
    let list = fields
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{at}: missing array field `files`"))?;
    let mut files = Vec::with_capacity(list.len());
    for (index, value) in list.iter().enumerate() {
        let at = &format!("{at}: files[{index}]");
        let fields = object(value, at)?;
        only_keys(fields, &["path", "sha256", "upstream", "commit", "optional"], at)?;
        let path = string(fields, "path", at)?;
        relative(&path, false).map_err(|e| format!("{at}: `path` {e}"))?;
        let sha256 = string(fields, "sha256", at)?;
        if !is_hex(&sha256) || sha256.len() != 64 {
            return Err(format!("{at}: `sha256` must be 64 lowercase hex digits"));
        }
        let upstream = match fields.get("upstream") {
            None => folder.as_ref().map(|f| format!("{f}/{path}")),
            Some(Value::Null) => None,
            Some(Value::String(p)) if !p.is_empty() => Some(p.clone()),
            Some(_) => return Err(format!("{at}: `upstream` must be a path or null")),
        };
        let file_commit = optional_string(fields, "commit", at)?;
        if let Some(commit) = &file_commit {
            check_commit(commit).map_err(|e| format!("{at}: {e}"))?;
        }
        if upstream.is_some() && (repository.is_none() || (commit.is_none() && file_commit.is_none())) {
            return Err(format!("{at}: an `upstream` path needs the item's `repository` and a `commit`"));
        }
        let optional = match fields.get("optional") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(format!("{at}: `optional` must be true or false")),
        };
        files.push(File { path, sha256, upstream, commit: file_commit, optional });
    }
    Ok(Item { name, dir, env, repository, commit, note, files })
}

fn check_commit(commit: &str) -> Result<(), String> {
    // A full commit hash; an abbreviated one (at least 10 digits) only where the full one could
    // not be established (the manifest's note says so).
    if is_hex(commit) && (10..=40).contains(&commit.len()) {
        Ok(())
    } else {
        Err(format!("`commit` \"{commit}\" must be a lowercase hex commit hash (40 digits)"))
    }
}

fn relative(path: &str, dots: bool) -> Result<(), String> {
    if path.is_empty() && dots {
        return Ok(());
    }
    let bad = path.is_empty()
        || path.contains('\\')
        || path.split('/').any(|s| s.is_empty() || s == "." || (s == ".." && !dots));
    if bad {
        Err(format!("\"{path}\" must be a relative `/`-separated path"))
    } else {
        Ok(())
    }
}

/// Where to look, and the values of the variables that matter; [`Places::from_env`] reads
/// them once, the rest of the lookup takes them as arguments.
#[derive(Debug, Clone)]
pub struct Places {
    /// Environment variables by name (only those that are set and not empty).
    pub vars: BTreeMap<String, OsString>,
    /// The folder in shared/'s layout beside the workspace (`<workspace>/../shared`).
    pub shared: PathBuf,
    /// The download cache.
    pub cache: PathBuf,
}

impl Places {
    /// The places of `workspace`, with the variables of this process.
    pub fn from_env(workspace: &Path) -> Places {
        let mut names: Vec<String> = vec![BASE_URL_VAR.into(), MODELS_BASE_URL_VAR.into()];
        if let Ok(manifest) = manifest() {
            names.extend(manifest.items.iter().filter_map(|i| i.env.as_ref().map(|(v, _)| v.clone())));
        }
        let vars = names
            .into_iter()
            .filter_map(|name| {
                let value = std::env::var_os(&name).filter(|v| !v.is_empty())?;
                Some((name, value))
            })
            .collect();
        Places::new(workspace, vars)
    }

    /// The places of `workspace` with the variables `vars`.
    pub fn new(workspace: &Path, vars: BTreeMap<String, OsString>) -> Places {
        let beside = workspace.parent().map_or_else(|| workspace.join(".."), Path::to_path_buf);
        Places { vars, shared: beside.join("shared"), cache: workspace.join(CACHE_DIR) }
    }

    /// The base URL downloads use: `$SMITHY_TEST_DATA_BASE_URL`, else
    /// `$SMITHY_MODELS_BASE_URL`, else raw.githubusercontent.com.
    pub fn base_url(&self) -> Result<String, String> {
        for name in [BASE_URL_VAR, MODELS_BASE_URL_VAR] {
            if let Some(value) = self.vars.get(name) {
                return http::base_url(name, Some(value));
            }
        }
        Ok(http::DEFAULT_BASE_URL.to_owned())
    }
}

/// Where an item was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// In the folder its environment variable points at.
    Env,
    /// In shared/ beside the workspace.
    Shared,
    /// In the download cache, complete from an earlier run.
    Cache,
    /// Downloaded now into the cache: this many files.
    Downloaded(usize),
}

/// An item's folder and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub dir: PathBuf,
    pub origin: Origin,
}

/// The folder of the item called `name`, from the places of this workspace and process; the
/// download (if one is needed) runs once per process at a time.
pub fn locate(name: &str) -> Result<PathBuf, String> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let item = item(name)?;
    let places = Places::from_env(&workspace_root());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    locate_in(item, &places).map(|found| found.dir)
}

/// [`locate`] for tests: the folder, or a panic whose message is the one-line error.
pub fn require(name: &str) -> PathBuf {
    match locate(name) {
        Ok(dir) => dir,
        Err(message) => panic!("error: {message}"),
    }
}

/// The folder the item's variable points at: `$VAR/<env_path>`, `..` applied.
pub fn env_dir(item: &Item, places: &Places) -> Option<PathBuf> {
    let (var, path) = item.env.as_ref()?;
    let mut dir = PathBuf::from(places.vars.get(var)?);
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part == ".." {
            // `$SMITHY_PROTOCOL_TESTS/..` is the folder of the file it names.
            if !dir.pop() || dir.as_os_str().is_empty() {
                dir = PathBuf::from(".");
            }
        } else {
            dir.push(part);
        }
    }
    Some(dir)
}

/// The first required file of `item` that `dir` lacks.
fn first_missing(item: &Item, dir: &Path) -> Option<String> {
    item.required().find(|f| !dir.join(&f.path).is_file()).map(|f| f.path.clone())
}

/// The item's folder in `root` (shared/'s layout).
pub fn dir_in(item: &Item, root: &Path) -> PathBuf {
    let mut dir = root.to_path_buf();
    for part in item.dir.split('/') {
        dir.push(part);
    }
    dir
}

fn marker(item: &Item, places: &Places) -> PathBuf {
    places.cache.join(".complete").join(item.name.replace('/', "+"))
}

/// Finds `item` in the places without downloading: the variable's folder, shared/, the cache.
/// `Err` when the variable is set but its folder lacks a file; `Ok(None)` when nothing has it.
pub fn find_local(item: &Item, places: &Places) -> Result<Option<Found>, String> {
    if let Some(dir) = env_dir(item, places) {
        let var = item.env.as_ref().map_or("", |(v, _)| v.as_str());
        return match first_missing(item, &dir) {
            None => Ok(Some(Found { dir, origin: Origin::Env })),
            Some(file) => Err(format!(
                "test data \"{}\" incomplete: ${var} is set, but {} has no {file}; point ${var} at a copy of shared/ (or unset it to have the data fetched)",
                item.name,
                dir.display()
            )),
        };
    }
    let shared = dir_in(item, &places.shared);
    if first_missing(item, &shared).is_none() {
        return Ok(Some(Found { dir: shared, origin: Origin::Shared }));
    }
    let cached = dir_in(item, &places.cache);
    let complete = std::fs::read_to_string(marker(item, places)).is_ok_and(|pin| pin.trim() == item.pin());
    if complete && first_missing(item, &cached).is_none() {
        return Ok(Some(Found { dir: cached, origin: Origin::Cache }));
    }
    Ok(None)
}

/// Finds `item` (see [`locate`]), downloading it into the cache when no place has it.
pub fn locate_in(item: &Item, places: &Places) -> Result<Found, String> {
    if let Some(found) = find_local(item, places)? {
        return Ok(found);
    }
    let downloaded = download(item, places).map_err(|reason| missing(item, places, &reason))?;
    Ok(Found { dir: dir_in(item, &places.cache), origin: Origin::Downloaded(downloaded) })
}

/// The one-line error for an item that no place has and that could not be downloaded.
fn missing(item: &Item, places: &Places, reason: &str) -> String {
    let mut looked = Vec::new();
    if let Some((var, path)) = &item.env {
        let at = if path.is_empty() { format!("${var}") } else { format!("${var}/{path}") };
        looked.push(format!("{at} (unset)"));
    }
    let shared = dir_in(item, &places.shared);
    looked.push(match first_missing(item, &shared) {
        Some(file) if shared.is_dir() => format!("{} (no {file})", shared.display()),
        _ => shared.display().to_string(),
    });
    looked.push(dir_in(item, &places.cache).display().to_string());
    format!(
        "test data \"{}\" missing: looked in {}; {reason}; run `{FETCH_COMMAND}` with network access (or set {BASE_URL_VAR} to a mirror)",
        item.name,
        looked.join(", ")
    )
}

/// Downloads every required file of `item` that the cache lacks (or holds with another
/// SHA-256) and marks the item complete; returns how many files it downloaded.
pub fn download(item: &Item, places: &Places) -> Result<usize, String> {
    let base = places.base_url()?;
    let dir = dir_in(item, &places.cache);
    let needed: Vec<&File> = item
        .required()
        .filter(|f| !std::fs::read(dir.join(&f.path)).is_ok_and(|bytes| sha256_hex(&bytes) == f.sha256))
        .collect();
    if base == http::DEFAULT_BASE_URL {
        if let Some(local) = needed.iter().find(|f| !item.is_upstream(f)) {
            return Err(format!(
                "{} is not published upstream ({}), so only a mirror serves it",
                local.path, item.note
            ));
        }
    }
    let client = http::Client::new(&base);
    let next = AtomicUsize::new(0);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(needed.len()) {
            scope.spawn(|| loop {
                if !errors.lock().map(|e| e.is_empty()).unwrap_or(false) {
                    return;
                }
                let Some(file) = needed.get(next.fetch_add(1, Ordering::Relaxed)) else { return };
                if let Err(e) = fetch_file(&client, &base, item, file, &dir) {
                    if let Ok(mut errors) = errors.lock() {
                        errors.push(e);
                    }
                    return;
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_default();
    if let Some(first) = errors.into_iter().next() {
        return Err(first);
    }
    http::save_atomic(&marker(item, places), item.pin().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", marker(item, places).display()))?;
    Ok(needed.len())
}

fn fetch_file(client: &http::Client, base: &str, item: &Item, file: &File, dir: &Path) -> Result<(), String> {
    let url = format!("{base}/{}", item.remote_path(file));
    let bytes = client
        .get(&url, MAX_BYTES)
        .map_err(|failure| format!("download from {url} failed: {failure}"))?;
    let actual = sha256_hex(&bytes);
    if actual != file.sha256 {
        return Err(format!(
            "download from {url} failed: sha256 {actual}, not the {} pinned in {MANIFEST}, so it was not saved",
            file.sha256
        ));
    }
    let path = dir.join(&file.path);
    http::save_atomic(&path, &bytes)
        .map_err(|e| format!("downloaded {url}, but cannot save it as {}: {e}", path.display()))
}
