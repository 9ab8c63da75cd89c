//! `models/manifest.json`: the pinned models whose crates the workspace holds, and where the
//! model files are found (they are not committed; see `models/README.md`).

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use smithy_testdata::sha256_hex;
use smithy_testdata::fields::{self, object, only_keys, string};
use smithy_testdata::http::DEFAULT_BASE_URL;

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
    /// The AWS partition table (`partitions.json` of smithy-aws-endpoints) that endpoint rules
    /// calling `aws.partition` are generated with: found and fetched like a model (see
    /// [`crate::fetch::partitions`]). Its `out` is empty and its `version` unused.
    pub partitions: Option<Entry>,
    /// The `botocore` section: the pinned botocore wheel and the services generated from it
    /// (parsed and checked by [`smithy_testdata::botocore::parse_section`]).
    pub botocore: Option<smithy_testdata::botocore::Section>,
    /// The section's JSON as written, kept so that [`to_json`] writes it back unchanged.
    pub botocore_json: Option<Value>,
}

/// The file name the partition table is pinned under.
pub const PARTITIONS_FILE: &str = "partitions.json";

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
            Some(path) => format!("{DEFAULT_BASE_URL}/{path}"),
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
    only_keys(top, &["models", "partitions", "botocore"], name)?;
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
    let partitions = match top.get("partitions") {
        None => None,
        Some(value) => Some(partitions_entry(value, &format!("{name}: partitions"))?),
    };
    let botocore = smithy_testdata::botocore::parse_section(text, name)?;
    if let Some(section) = &botocore {
        for (index, model) in section.models.iter().enumerate() {
            let at = format!("{name}: botocore.models[{index}] ({})", model.service);
            let clash = models.iter().map(|e| &e.out).chain(section.models.iter().take(index).map(|m| &m.out)).find(|o| nested(o, &model.out));
            if let Some(other) = clash {
                return Err(format!("{at}: `out` \"{}\" overlaps the `out` \"{other}\"; give each model its own folder", model.out));
            }
            check_out(&model.out, &at)?;
        }
    }
    let botocore_json = top.get("botocore").cloned();
    Ok(Manifest { models, partitions, botocore, botocore_json })
}

/// The `partitions` pin: `file` (`partitions.json`), `source` and `sha256`, as a model's.
fn partitions_entry(value: &Value, at: &str) -> Result<Entry, String> {
    let fields = object(value, at)?;
    only_keys(fields, &["file", "source", "sha256"], at)?;
    let mut with_out = fields.clone();
    with_out.insert("out".to_owned(), Value::String("generated/partitions".to_owned()));
    let mut entry = entry(&Value::Object(with_out), at)?;
    if entry.file != PARTITIONS_FILE {
        return Err(format!("{at}: `file` must be \"{PARTITIONS_FILE}\""));
    }
    entry.out = String::new();
    Ok(entry)
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
    check_out(&out, at)?;
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

/// Checks an `out` folder: relative, inside the workspace, not one of its own folders.
fn check_out(out: &str, at: &str) -> Result<(), String> {
    let segments: Vec<&str> = out.split('/').collect();
    if out.contains('\\') || segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(format!("{at}: `out` must be a relative folder inside the workspace, `/`-separated, such as \"generated/ecr\""));
    }
    if let Some(first) = segments.first().filter(|s| RESERVED.contains(s)) {
        return Err(format!("{at}: `out` \"{out}\" would replace the workspace's own `{first}` folder"));
    }
    Ok(())
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
    let mut top = serde_json::json!({ "models": models });
    if let (Some(p), Some(map)) = (&manifest.partitions, top.as_object_mut()) {
        map.insert(
            "partitions".to_owned(),
            serde_json::json!({
                "file": p.file,
                "source": {
                    "repository": p.source.repository,
                    "path": p.source.path,
                    "commit": p.source.commit,
                },
                "sha256": p.sha256,
            }),
        );
    }
    if let (Some(b), Some(map)) = (&manifest.botocore_json, top.as_object_mut()) {
        map.insert("botocore".to_owned(), b.clone());
    }
    let mut text = serde_json::to_string_pretty(&top).unwrap_or_default();
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

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && fields::is_hex(text)
}

/// Whether one `/`-separated folder is the other or inside it.
fn nested(a: &str, b: &str) -> bool {
    let (a, b): (Vec<_>, Vec<_>) = (a.split('/').collect(), b.split('/').collect());
    a.iter().zip(&b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let partitions = manifest.partitions.as_ref().expect("the partition table is pinned");
        assert_eq!(partitions.file, PARTITIONS_FILE);
        assert_eq!(
            partitions.download_url(),
            "https://raw.githubusercontent.com/smithy-lang/smithy/0f7323128b0606a1b94b1ac482c94d3800a22708/smithy-aws-endpoints/src/main/resources/software/amazon/smithy/rulesengine/aws/language/functions/partition/partitions.json"
        );
        assert_eq!(parse(&to_json(&manifest), "again").as_ref(), Ok(&manifest));
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

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

}
