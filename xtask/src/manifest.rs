//! `models/manifest.json`: the pinned models whose crates the workspace holds, and where the
//! model files are found (they are not committed; see `models/README.md`).

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::fetch;

/// The manifest's path, relative to the workspace root.
pub const MANIFEST: &str = "models/manifest.json";
/// The environment variable naming an extra folder of model files.
pub const MODELS_DIR_VAR: &str = "SMITHY_MODELS_DIR";

/// Top-level folders of the workspace that a manifest `out` may never replace.
const RESERVED: &[&str] = &[
    ".git", ".cargo", "target", "models", "codegen", "runtime", "xtask",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub models: Vec<Entry>,
}

/// One pinned model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The model's file name.
    pub file: String,
    /// The crate's folder, relative to the workspace, `/`-separated.
    pub out: String,
    pub source: Source,
    /// Lowercase hex SHA-256 of the pinned file.
    pub sha256: String,
    /// The generated crate's version (`MAJOR.MINOR.PATCH`; `0.1.0` when the manifest gives
    /// none), bumped by `cargo xtask update`.
    pub version: String,
}

/// Where a pinned model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub repository: String,
    pub path: String,
    pub commit: String,
}

impl Entry {
    /// The file's path under raw.githubusercontent.com, `<owner>/<repo>/<commit>/<path>`, when
    /// the source is a GitHub repository.
    pub fn raw_path(&self) -> Option<String> {
        let Source {
            repository,
            path,
            commit,
        } = &self.source;
        let repo = repository.strip_prefix("https://github.com/")?;
        Some(format!("{}/{commit}/{path}", repo.trim_end_matches('/')))
    }

    /// Where the pinned file can be downloaded.
    pub fn download_url(&self) -> String {
        match self.raw_path() {
            Some(path) => format!("{}/{path}", fetch::DEFAULT_BASE_URL),
            None => {
                let Source {
                    repository,
                    path,
                    commit,
                } = &self.source;
                format!("{repository} (file {path} at commit {commit})")
            }
        }
    }
}

/// The workspace root: the xtask crate's parent folder.
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Reads and checks `<workspace>/models/manifest.json`.
pub fn read(workspace: &Path) -> Result<Manifest, String> {
    let path = workspace.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read the models manifest: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Parses and checks a manifest; `name` names it in errors.
pub fn parse(text: &str, name: &str) -> Result<Manifest, String> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| format!("{name}: not valid JSON: {e}"))?;
    let top = object(&root, name)?;
    only_keys(top, &["models"], name)?;
    let list = top
        .get("models")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{name}: expected a top-level `models` array"))?;
    let mut models: Vec<Entry> = Vec::new();
    for (index, value) in list.iter().enumerate() {
        let entry = entry(value, &format!("{name}: models[{index}]"))?;
        for earlier in &models {
            if nested(&earlier.out, &entry.out) {
                return Err(format!(
                    "{name}: models[{index}] ({}): `out` \"{}\" overlaps the `out` \"{}\" of {}; give each model its own folder",
                    entry.file, entry.out, earlier.out, earlier.file
                ));
            }
        }
        models.push(entry);
    }
    Ok(Manifest { models })
}

fn entry(value: &Value, at: &str) -> Result<Entry, String> {
    let fields = object(value, at)?;
    only_keys(fields, &["file", "out", "source", "sha256", "version"], at)?;
    let file = string(fields, "file", at)?;
    let at = format!("{at} ({file})");
    let at = at.as_str();
    if file.contains(['/', '\\']) || !file.ends_with(".json") || file == "manifest.json" {
        return Err(format!("{at}: `file` must be a bare file name ending in .json, such as \"ecr-2015-09-21.json\""));
    }
    let out = string(fields, "out", at)?;
    let segments: Vec<&str> = out.split('/').collect();
    if out.contains('\\')
        || segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err(format!("{at}: `out` must be a relative folder inside the workspace, `/`-separated, such as \"generated/ecr\""));
    }
    if RESERVED.contains(&segments[0]) {
        return Err(format!(
            "{at}: `out` \"{out}\" would replace the workspace's own `{}` folder",
            segments[0]
        ));
    }
    let sha256 = string(fields, "sha256", at)?;
    if !is_hex(&sha256, 64) {
        return Err(format!("{at}: `sha256` must be 64 lowercase hex digits"));
    }
    let source_at = format!("{at}: source");
    let source = fields
        .get("source")
        .ok_or_else(|| format!("{at}: missing object field `source`"))?;
    let source_fields = object(source, &source_at)?;
    only_keys(source_fields, &["repository", "path", "commit"], &source_at)?;
    let source = Source {
        repository: string(source_fields, "repository", &source_at)?,
        path: string(source_fields, "path", &source_at)?,
        commit: string(source_fields, "commit", &source_at)?,
    };
    if !is_hex(&source.commit, 40) {
        return Err(format!(
            "{source_at}: `commit` must be a full 40-digit lowercase hex commit hash"
        ));
    }
    let version = match fields.get("version") {
        None => DEFAULT_VERSION.to_owned(),
        Some(_) => string(fields, "version", at)?,
    };
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("{at}: `version` must be MAJOR.MINOR.PATCH, such as \"0.1.0\""));
    }
    Ok(Entry {
        file,
        out,
        source,
        sha256,
        version,
    })
}

/// The version of a crate whose manifest entry gives none.
pub const DEFAULT_VERSION: &str = "0.1.0";

/// The manifest as JSON text, as `cargo xtask update` writes it.
pub fn to_json(manifest: &Manifest) -> String {
    let models: Vec<Value> = manifest
        .models
        .iter()
        .map(|e| {
            serde_json::json!({
                "file": e.file,
                "out": e.out,
                "source": {
                    "repository": e.source.repository,
                    "path": e.source.path,
                    "commit": e.source.commit,
                },
                "sha256": e.sha256,
                "version": e.version,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "models": models })).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `<workspace>/models/manifest.json` (atomically).
pub fn write(workspace: &Path, manifest: &Manifest) -> Result<(), String> {
    let path = workspace.join(MANIFEST);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    }
    crate::write::write_atomic(&path, to_json(manifest).as_bytes())
}

fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{at}: expected a JSON object"))
}

fn only_keys(fields: &Map<String, Value>, known: &[&str], at: &str) -> Result<(), String> {
    match fields.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(format!(
            "{at}: unknown field `{key}` (expected {})",
            known.join(", ")
        )),
        None => Ok(()),
    }
}

fn string(fields: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match fields.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
        Some(_) => Err(format!("{at}: field `{key}` must be a non-empty string")),
        None => Err(format!("{at}: missing string field `{key}`")),
    }
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether one `/`-separated folder is the other or inside it.
fn nested(a: &str, b: &str) -> bool {
    let (a, b): (Vec<_>, Vec<_>) = (a.split('/').collect(), b.split('/').collect());
    a.iter().zip(&b).all(|(x, y)| x == y)
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    let base_url = std::env::var_os(fetch::BASE_URL_VAR);
    find_model_in(
        entry,
        dirs,
        workspace,
        &fetch::cache_dir(workspace),
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
    if let Some(found) = fetch::cached(entry, cache)? {
        return Ok(found);
    }
    let base = fetch::base_url(base_url_var)
        .map_err(|e| format!("{}: not found locally, and {e}", entry.file))?;
    if let Some(url) = fetch::url(entry, &base) {
        return fetch::download(entry, &url, cache);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp::TempDir;

    const SHA: &str = "30aa2a641a682dd9ed374edafff8cbaee6322b94dafcdfc302dde9ef97866b91";
    const COMMIT: &str = "909bc742bc61de7eb623d7b510644a935ce50e66";

    fn manifest_with(file: &str, out: &str, sha256: &str) -> String {
        manifest_of(&[(file, out, sha256)])
    }

    fn manifest_of(entries: &[(&str, &str, &str)]) -> String {
        let entries: Vec<String> = entries
            .iter()
            .map(|(file, out, sha256)| {
                format!(
                    r#"{{ "file": "{file}", "out": "{out}", "sha256": "{sha256}",
                         "source": {{ "repository": "https://github.com/aws/api-models-aws",
                                     "path": "models/x/service/2020-01-01/{file}", "commit": "{COMMIT}" }} }}"#
                )
            })
            .collect();
        format!(r#"{{ "models": [ {} ] }}"#, entries.join(", "))
    }

    fn err(text: &str) -> String {
        match parse(text, "manifest.json") {
            Ok(manifest) => panic!("expected an error, parsed {manifest:?}"),
            Err(message) => message,
        }
    }

    #[test]
    fn parses_the_real_manifest() {
        let manifest = read(&workspace_root()).expect("models/manifest.json parses");
        let ecr = manifest
            .models
            .iter()
            .find(|m| m.file == "ecr-2015-09-21.json")
            .expect("ECR is pinned");
        assert_eq!(ecr.out, "generated/ecr");
        assert_eq!(ecr.sha256, SHA);
        assert_eq!(
            ecr.download_url(),
            format!("https://raw.githubusercontent.com/aws/api-models-aws/{COMMIT}/models/ecr/service/2015-09-21/ecr-2015-09-21.json")
        );
    }

    #[test]
    fn parses_an_entry() {
        let manifest = parse(
            &manifest_with("ecr-2015-09-21.json", "generated/ecr", SHA),
            "m",
        )
        .expect("parses");
        assert_eq!(
            manifest.models,
            vec![Entry {
                file: "ecr-2015-09-21.json".into(),
                out: "generated/ecr".into(),
                source: Source {
                    repository: "https://github.com/aws/api-models-aws".into(),
                    path: "models/x/service/2020-01-01/ecr-2015-09-21.json".into(),
                    commit: COMMIT.into(),
                },
                sha256: SHA.into(),
                version: "0.1.0".into(),
            }]
        );
        assert_eq!(
            parse(r#"{"models": []}"#, "m").map(|m| m.models.len()),
            Ok(0)
        );
    }

    #[test]
    fn refuses_bad_manifests() {
        assert!(err("{").starts_with("manifest.json: not valid JSON"));
        assert!(err("[]").contains("expected a JSON object"));
        assert!(err(r#"{"modles": []}"#).contains("unknown field `modles`"));
        assert!(err(r#"{"models": [{"out": "generated/x"}]}"#)
            .contains("models[0]: missing string field `file`"));
        assert!(err(&manifest_with("../ecr.json", "generated/ecr", SHA)).contains("bare file name"));
        assert!(err(&manifest_with("ecr.json", "../elsewhere", SHA))
            .contains("relative folder inside the workspace"));
        assert!(err(&manifest_with("ecr.json", "/abs", SHA)).contains("relative folder"));
        assert!(
            err(&manifest_with("ecr.json", "codegen/src", SHA)).contains("own `codegen` folder")
        );
        assert!(
            err(&manifest_with("ecr.json", "generated/ecr", "abc")).contains("64 lowercase hex")
        );
        assert!(err(&manifest_with(
            "ecr.json",
            "generated/ecr",
            &SHA.to_uppercase()
        ))
        .contains("64 lowercase hex"));
        let bad_commit = manifest_with("ecr.json", "generated/ecr", SHA).replace(COMMIT, "main");
        assert!(err(&bad_commit).contains("source: `commit` must be a full"));
        let extra_field = manifest_with("ecr.json", "generated/ecr", SHA)
            .replace("\"file\"", "\"crate\": \"x\", \"file\"");
        assert!(err(&extra_field).contains("unknown field `crate`"));
    }

    #[test]
    fn refuses_overlapping_outs() {
        for out in ["generated/a", "generated/a/b", "generated"] {
            let text = manifest_of(&[("a.json", "generated/a", SHA), ("b.json", out, SHA)]);
            assert!(err(&text).contains(&format!("models[1] (b.json): `out` \"{out}\" overlaps the `out` \"generated/a\" of a.json")), "{out}");
        }
        let text = manifest_of(&[
            ("a.json", "generated/a", SHA),
            ("b.json", "generated/ab", SHA),
        ]);
        assert_eq!(parse(&text, "m").map(|m| m.models.len()), Ok(2));
    }

    fn entry(bytes: &[u8]) -> Entry {
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
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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

        let mut pinned = entry(b"{}");
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
        let pinned = entry(b"the pinned bytes");
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
}
