//! `cargo xtask fetch-test-data`: fetches the pinned test data (`models/test-data.json`) once,
//! builds a mirror of it for an offline network, and pins it from a copy of shared/.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use smithy_testdata::{Item, Origin, Places};

use crate::{manifest, set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask fetch-test-data [--mirror DIR] [--pin [--from DIR] | --check [--from DIR]]

Finds every item of models/test-data.json (the AWS protocol test suite, Smithy's IDL loader,
diff and rules-engine suites, the SigV4 suite, the AWS models and the ECR history) as the tests
do: its environment variable, then ../shared, then the download cache models/cache/test-data/,
and downloads what is missing into that cache (each file checked against its sha256), from
raw.githubusercontent.com, or $SMITHY_TEST_DATA_BASE_URL (else $SMITHY_MODELS_BASE_URL), a
mirror laid out as <OWNER>/<REPO>/<COMMIT>/<PATH>. Prints a line per item; exits 1 naming
each item that could not be found.

Options:
      --mirror DIR  also copy every pinned file (test data and the models of
                    models/manifest.json) into DIR, laid out as <OWNER>/<REPO>/<COMMIT>/<PATH>
                    (files no upstream publishes under local/<ITEM>/<PATH>): serve DIR with
                    any HTTP server and point $SMITHY_TEST_DATA_BASE_URL at it
      --pin         rewrite models/test-data.json from the files in a copy of shared/
      --check       fail if models/test-data.json differs from what --pin would write
      --from DIR    the copy of shared/ for --pin and --check (default: ../shared)
  -h, --help        print this help
";

/// How one item is pinned: where its files lie here and upstream.
struct Spec {
    name: &'static str,
    dir: &'static str,
    env: Option<(&'static str, &'static str)>,
    repository: Option<&'static str>,
    commit: Option<&'static str>,
    upstream: Upstream,
    /// Only these files of the folder (all when empty).
    only: &'static [&'static str],
    note: &'static str,
}

/// Where an item's files lie upstream.
enum Upstream {
    /// Under one folder, with the same relative paths.
    Folder(&'static str),
    /// By first path segments: each local folder under an upstream one.
    Folders(&'static [(&'static str, &'static str)]),
    /// api-models-aws's layout: `<service>-<version>.json` is
    /// `models/<service>/service/<version>/<service>-<version>.json`.
    AwsModels,
    /// Not published upstream (mirrors only).
    Nowhere,
    /// Files that are not in shared/, pinned here: path, upstream path, commit, sha256.
    Fixed(&'static [(&'static str, &'static str, &'static str, &'static str)]),
}

const SMITHY: &str = "https://github.com/smithy-lang/smithy";
const SMITHY_COMMIT: &str = "0f7323128b0606a1b94b1ac482c94d3800a22708";
const API_MODELS: &str = "https://github.com/aws/api-models-aws";
const API_MODELS_COMMIT: &str = "909bc742bc61de7eb623d7b510644a935ce50e66";

const SPECS: &[Spec] = &[
    Spec {
        name: "models/aws",
        dir: "models/aws",
        env: Some(("SMITHY_MODELS_DIR", "")),
        repository: Some(API_MODELS),
        commit: Some(API_MODELS_COMMIT),
        upstream: Upstream::AwsModels,
        only: &[],
        note: "41 AWS service models, as of April 2026; the commit is the ECR model's pin, and the others were taken from the repository at the same time (their sha256 are those of the files here); LICENSE and NOTICE were added here",
    },
    Spec {
        name: "models/history/ecr",
        dir: "models/history/ecr",
        env: Some(("SMITHY_MODELS_DIR", "../history/ecr")),
        repository: Some(API_MODELS),
        commit: None,
        upstream: Upstream::Nowhere,
        only: &[],
        note: "four earlier releases of models/ecr/service/2015-09-21/ecr-2015-09-21.json from the history of aws/api-models-aws; their commits were not identified, so only a mirror serves them",
    },
    Spec {
        name: "protocol-tests/aws-protocol-tests.json",
        dir: "protocol-tests",
        env: Some(("SMITHY_PROTOCOL_TESTS", "..")),
        repository: None,
        commit: None,
        upstream: Upstream::Nowhere,
        only: &["aws-protocol-tests.json"],
        note: "the AWS protocol test suite assembled here into one Smithy JSON AST from smithy-lang/smithy's smithy-aws-protocol-tests and Smithy's trait packages; no upstream publishes it, so only a mirror serves it, and without it the tests load the suite's IDL (protocol-tests/idl)",
    },
    Spec {
        name: "protocol-tests/idl",
        dir: "protocol-tests/idl",
        env: Some(("SMITHY_PROTOCOL_TESTS", "../idl")),
        repository: Some(SMITHY),
        commit: Some(SMITHY_COMMIT),
        upstream: Upstream::Folders(&[
            ("smithy-aws-protocol-tests", "smithy-aws-protocol-tests"),
            ("smithy-protocol-tests", "smithy-protocol-tests"),
        ]),
        only: &[],
        note: "the AWS protocol test suite (smithy-aws-protocol-tests) and Smithy's own (smithy-protocol-tests) as Smithy IDL",
    },
    Spec {
        name: "protocol-tests/library",
        dir: "protocol-tests/library",
        env: None,
        repository: Some(SMITHY),
        commit: None,
        upstream: Upstream::Fixed(&[(
            "smithy.framework.validation.smithy",
            "smithy-validation-model/model/smithy.framework.validation.smithy",
            "b8295074e7b7af2c259066a8dc219624609c4148",
            "299c0dcb4224cdf9732eacc6a87ca07d3920b6d243979652b7cae1e0b64f282a",
        )]),
        only: &[],
        note: "not in shared/: smithy.framework#ValidationException, the one shape from outside the suite that the suite's IDL needs to validate (the JSON AST holds it); read without the JSON AST only. Pinned at the commit of the copy it was hashed from, not the suite's commit",
    },
    Spec {
        name: "smithy-tests/idl",
        dir: "smithy-tests/idl",
        env: Some(("SMITHY_TESTS_DIR", "idl")),
        repository: Some(SMITHY),
        commit: Some(SMITHY_COMMIT),
        upstream: Upstream::Folder("smithy-model/src/test/resources/software/amazon/smithy/model/loader"),
        only: &[],
        note: "Smithy's IDL loader test suite (valid/ and invalid/, two thirds of it)",
    },
    Spec {
        name: "smithy-tests/diff",
        dir: "smithy-tests/diff",
        env: Some(("SMITHY_TESTS_DIR", "diff")),
        repository: Some(SMITHY),
        commit: Some(SMITHY_COMMIT),
        upstream: Upstream::Folder("smithy-diff/src/test/resources/software/amazon/smithy/diff/diffs"),
        only: &[],
        note: "smithy-diff's test cases",
    },
    Spec {
        name: "smithy-tests/rules-engine",
        dir: "smithy-tests/rules-engine",
        env: Some(("SMITHY_TESTS_DIR", "rules-engine")),
        repository: Some(SMITHY),
        commit: Some(SMITHY_COMMIT),
        upstream: Upstream::Folders(&[
            ("tests", "smithy-rules-engine-tests/src/main/resources/META-INF/smithy"),
            ("core", "smithy-rules-engine/src/test/resources/software/amazon/smithy/rulesengine/language"),
            ("aws", "smithy-aws-endpoints/src/test/resources/software/amazon/smithy/rulesengine/aws/language/functions"),
        ]),
        only: &[],
        note: "Smithy's endpoint rules-engine tests: the rulesets with endpointTests, the standard library's and the AWS functions' valid and invalid models",
    },
    Spec {
        name: "sigv4-tests",
        dir: "sigv4-tests",
        env: Some(("SIGV4_TESTS_DIR", "")),
        repository: Some("https://github.com/awslabs/aws-c-auth"),
        commit: Some("495329c243"),
        upstream: Upstream::Folder("tests/aws-signing-test-suite"),
        only: &[],
        note: "the AWS signing test suite (v4, v4a); the commit is abbreviated as shared/README.md gives it (GitHub resolves it), the full hash could not be established here; LICENSE and NOTICE were added here",
    },
    Spec {
        name: "reference/endpoints",
        dir: "reference/endpoints",
        env: None,
        repository: Some(SMITHY),
        commit: Some(SMITHY_COMMIT),
        upstream: Upstream::Folder("smithy-aws-endpoints/src/main/resources/software/amazon/smithy/rulesengine/aws/language/functions/partition"),
        only: &[],
        note: "the AWS partitions behind aws.partition",
    },
];

/// An item read only in place of another (the suite's IDL libraries, in place of its JSON AST),
/// which comes first in the manifest.
const FALLBACK: (&str, &str) = ("protocol-tests/library", "protocol-tests/aws-protocol-tests.json");

/// Files added here, never upstream, and needed by no test.
const ADDED_HERE: &[&str] = &["LICENSE", "NOTICE"];

#[derive(Default)]
struct Options {
    mirror: Option<PathBuf>,
    pin: bool,
    check: bool,
    from: Option<PathBuf>,
}

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let mut options = Options::default();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag { name, inline } if name == "--mirror" => {
                let value = args.value(&name, inline)?;
                set_once(&mut options.mirror, &name, PathBuf::from(value))?;
            }
            Arg::Flag { name, inline } if name == "--from" => {
                let value = args.value(&name, inline)?;
                set_once(&mut options.from, &name, PathBuf::from(value))?;
            }
            Arg::Flag { name, inline } if name == "--pin" || name == "--check" => {
                crate::no_value(&name, &inline)?;
                if name == "--pin" {
                    options.pin = true;
                } else {
                    options.check = true;
                }
            }
            Arg::Flag { name, .. } => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            Arg::Positional(arg) => {
                return Err(Stop::Usage(format!("unexpected argument `{}`", arg.to_string_lossy())))
            }
        }
    }
    if options.pin && options.check {
        return Err(Stop::Usage("give `--pin` or `--check`, not both".into()));
    }
    if options.from.is_some() && !(options.pin || options.check) {
        return Err(Stop::Usage("`--from` goes with `--pin` or `--check`".into()));
    }
    let workspace = manifest::workspace_root();
    if options.pin || options.check {
        let from = options.from.clone().unwrap_or_else(|| Places::from_env(&workspace).shared);
        // Every file is read from `from`: nothing is kept from the current pins.
        let text = pinned_text(&|spec: &Spec| from.join(spec.dir), None).map_err(Stop::error)?;
        let path = workspace.join(smithy_testdata::MANIFEST);
        if options.check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != text {
                return Err(Stop::error(format!(
                    "{}: differs from the files in {}; run `cargo xtask fetch-test-data --pin` and commit it",
                    path.display(),
                    from.display()
                )));
            }
            println!("{}: matches {}", smithy_testdata::MANIFEST, from.display());
        } else {
            crate::write::write_atomic(&path, text.as_bytes()).map_err(Stop::error)?;
            println!("wrote {} from {}", smithy_testdata::MANIFEST, from.display());
        }
        return Ok(());
    }
    let items = &smithy_testdata::manifest().map_err(Stop::error)?.items;
    let places = Places::from_env(&workspace);
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for item in items {
        // Read only in place of the JSON AST: not needed when that is here.
        if item.name == FALLBACK.0 && found.iter().any(|(i, _): &(&Item, PathBuf)| i.name == FALLBACK.1) {
            println!("{}: not needed ({} holds its shapes)", item.name, FALLBACK.1);
            continue;
        }
        match smithy_testdata::locate_in(item, &places) {
            Ok(at) => {
                let how = match at.origin {
                    Origin::Env => format!("${}", item.env.as_ref().map_or("", |(v, _)| v.as_str())),
                    Origin::Shared => "shared/ beside the workspace".into(),
                    Origin::Cache => "the cache".into(),
                    Origin::Downloaded(n) => format!("downloaded {n} files into the cache"),
                };
                println!("{}: {} ({how})", item.name, at.dir.display());
                found.push((item, at.dir));
            }
            Err(e) => errors.push((item.name.as_str(), e)),
        }
    }
    // The one-file JSON AST is assembled in shared/, not published upstream: without it the
    // tests load the suite's IDL and the library item, so its absence is a note, not an error.
    let has = |name: &str| found.iter().any(|(i, _)| i.name == name);
    if has("protocol-tests/idl") && has(FALLBACK.0) {
        if let Some(at) = errors.iter().position(|(name, _)| *name == FALLBACK.1) {
            errors.remove(at);
            println!(
                "{}: not here, and not published upstream; the tests load protocol-tests/idl and {} instead",
                FALLBACK.1, FALLBACK.0
            );
        }
    }
    let errors: Vec<_> = errors.into_iter().map(|(_, e)| e).collect();
    if let Some(dir) = &options.mirror {
        let count = mirror(&workspace, &found, dir).map_err(Stop::error)?;
        println!("mirror: {count} files in {}", dir.display());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Stop::Errors(errors))
    }
}

/// Copies the files of the found items, and the pinned models, into `dir` in the mirror layout.
fn mirror(workspace: &Path, found: &[(&Item, PathBuf)], dir: &Path) -> Result<usize, String> {
    let mut count = 0;
    let copy = |bytes: &[u8], to: PathBuf| -> Result<(), String> {
        smithy_testdata::http::save_atomic(&to, bytes).map_err(|e| format!("{}: cannot write: {e}", to.display()))
    };
    for (item, at) in found {
        for file in &item.files {
            let from = at.join(&file.path);
            let bytes = match std::fs::read(&from) {
                Ok(bytes) => bytes,
                Err(_) if file.optional => continue,
                Err(e) => return Err(format!("{}: cannot read: {e}", from.display())),
            };
            if smithy_testdata::sha256_hex(&bytes) != file.sha256 {
                return Err(format!("{}: sha256 differs from the pin in {}", from.display(), smithy_testdata::MANIFEST));
            }
            copy(&bytes, dir.join(item.remote_path(file)))?;
            count += 1;
        }
    }
    let models = manifest::read(workspace)?;
    let dirs = crate::fetch::search_dirs(workspace, std::env::var_os(manifest::MODELS_DIR_VAR).as_deref());
    for entry in &models.models {
        let (_, bytes) = crate::fetch::find_model(entry, &dirs, workspace)?;
        if let Some(path) = entry.raw_path() {
            copy(&bytes, dir.join(path))?;
            count += 1;
        }
    }
    Ok(count)
}

/// `models/test-data.json` as `--pin` writes it, from the folder `dir_of` gives each item. An
/// optional file (a LICENSE or NOTICE added here) that the folder lacks keeps its pin from
/// `previous`: the download cache never holds one, since no test needs it.
fn pinned_text(dir_of: &dyn Fn(&Spec) -> PathBuf, previous: Option<&smithy_testdata::Manifest>) -> Result<String, String> {
    let mut items = Vec::new();
    for spec in SPECS {
        if let Upstream::Fixed(fixed) = &spec.upstream {
            let files: Vec<String> = fixed
                .iter()
                .map(|(path, upstream, commit, sha256)| {
                    format!(r#"{{"path":"{path}","sha256":"{sha256}","upstream":"{upstream}","commit":"{commit}"}}"#)
                })
                .collect();
            items.push(item_text(spec, &files));
            continue;
        }
        let dir = dir_of(spec);
        let mut paths = Vec::new();
        walk(&dir, "", &mut paths).map_err(|e| format!("{}: cannot list test data \"{}\": {e}", dir.display(), spec.name))?;
        if !spec.only.is_empty() {
            paths.retain(|p| spec.only.contains(&p.as_str()));
        }
        let kept: BTreeMap<String, String> = previous
            .and_then(|m| m.items.iter().find(|i| i.name == spec.name))
            .map(|item| {
                item.files
                    .iter()
                    .filter(|f| f.optional && !paths.contains(&f.path))
                    .map(|f| (f.path.clone(), f.sha256.clone()))
                    .collect()
            })
            .unwrap_or_default();
        paths.extend(kept.keys().cloned());
        paths.sort();
        if paths.is_empty() {
            return Err(format!("{}: no files for test data \"{}\"", dir.display(), spec.name));
        }
        let mut files = Vec::new();
        for path in paths {
            let sha256 = match kept.get(&path) {
                Some(sha256) => sha256.clone(),
                None => {
                    let bytes = std::fs::read(dir.join(&path)).map_err(|e| format!("{}/{path}: {e}", dir.display()))?;
                    smithy_testdata::sha256_hex(&bytes)
                }
            };
            let added = ADDED_HERE.contains(&path.as_str());
            let upstream = if added { None } else { upstream_path(spec, &path)? };
            let mut file = serde_json::Map::new();
            file.insert("path".into(), path.clone().into());
            file.insert("sha256".into(), sha256.into());
            file.insert("upstream".into(), upstream.map_or(serde_json::Value::Null, Into::into));
            if added {
                file.insert("optional".into(), true.into());
            }
            files.push(serde_json::to_string(&file).map_err(|e| e.to_string())?);
        }
        items.push(item_text(spec, &files));
    }
    let text = format!(
        "{{\n  \"comment\": \"The shared test data, pinned: written by `cargo xtask fetch-test-data --pin` from shared/; see models/README.md.\",\n  \"items\": [\n{}\n  ]\n}}\n",
        items.join(",\n")
    );
    smithy_testdata::parse(&text, smithy_testdata::MANIFEST)?;
    Ok(text)
}

/// One item of the manifest: its fields, then `files`, one line each.
fn item_text(spec: &Spec, files: &[String]) -> String {
    let mut head: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
    head.insert("name", spec.name.into());
    head.insert("dir", spec.dir.into());
    if let Some((var, path)) = spec.env {
        head.insert("env", var.into());
        head.insert("env_path", path.into());
    }
    if let Some(repository) = spec.repository {
        head.insert("repository", repository.into());
    }
    if let Some(commit) = spec.commit {
        head.insert("commit", commit.into());
    }
    head.insert("note", spec.note.into());
    let fields: Vec<String> = ["name", "dir", "env", "env_path", "repository", "commit", "note"]
        .iter()
        .filter_map(|key| Some(format!("      \"{key}\": {}", head.get(key)?)))
        .collect();
    format!(
        "    {{\n{},\n      \"files\": [\n        {}\n      ]\n    }}",
        fields.join(",\n"),
        files.join(",\n        ")
    )
}

fn upstream_path(spec: &Spec, path: &str) -> Result<Option<String>, String> {
    Ok(match &spec.upstream {
        Upstream::Nowhere => None,
        Upstream::Fixed(fixed) => fixed.iter().find(|f| f.0 == path).map(|f| f.1.to_owned()),
        Upstream::Folder(folder) => Some(format!("{folder}/{path}")),
        Upstream::Folders(folders) => {
            let (first, rest) = path.split_once('/').unwrap_or((path, ""));
            let folder = folders
                .iter()
                .find(|(local, _)| *local == first)
                .ok_or_else(|| format!("test data \"{}\": {path} lies in no folder with a known upstream", spec.name))?
                .1;
            Some(format!("{folder}/{rest}"))
        }
        Upstream::AwsModels => {
            let stem = path
                .strip_suffix(".json")
                .filter(|stem| !stem.contains('/') && stem.len() > 11)
                .ok_or_else(|| format!("test data \"{}\": {path} is not SERVICE-YYYY-MM-DD.json", spec.name))?;
            let (service, version) = stem.split_at(stem.len() - 10);
            let service = service.strip_suffix('-').unwrap_or(service);
            Some(format!("models/{service}/service/{version}/{path}"))
        }
    })
}

/// Every file under `dir`, relative and `/`-separated, sorted; names starting with `.` skipped.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.path().is_dir() {
            walk(&entry.path(), &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    out.sort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// models/test-data.json is what `--pin` writes from the data the tests use (shared/ when
    /// it is beside the workspace, else the cache), so the pins cannot drift from the files.
    #[test]
    fn the_manifest_matches_the_data() {
        let workspace = manifest::workspace_root();
        let places = Places::from_env(&workspace);
        let dir_of = |spec: &Spec| {
            let item = smithy_testdata::item(spec.name).unwrap_or_else(|e| panic!("{e}"));
            smithy_testdata::locate_in(item, &places).unwrap_or_else(|e| panic!("error: {e}")).dir
        };
        let current = smithy_testdata::manifest().expect("parses");
        let text = pinned_text(&dir_of, Some(current)).unwrap_or_else(|e| panic!("{e}"));
        let committed = std::fs::read_to_string(workspace.join(smithy_testdata::MANIFEST)).expect("read");
        assert!(text == committed, "models/test-data.json is stale: run `cargo xtask fetch-test-data --pin`");
    }

    #[test]
    fn upstream_paths() {
        let models = &SPECS[0];
        assert_eq!(
            upstream_path(models, "ecr-2015-09-21.json"),
            Ok(Some("models/ecr/service/2015-09-21/ecr-2015-09-21.json".into()))
        );
        assert_eq!(
            upstream_path(models, "elastic-load-balancing-v2-2015-12-01.json"),
            Ok(Some("models/elastic-load-balancing-v2/service/2015-12-01/elastic-load-balancing-v2-2015-12-01.json".into()))
        );
        assert!(upstream_path(models, "notes.json").is_err());
        let rules = SPECS.iter().find(|s| s.name == "smithy-tests/rules-engine").expect("rules");
        assert_eq!(
            upstream_path(rules, "tests/split.smithy"),
            Ok(Some("smithy-rules-engine-tests/src/main/resources/META-INF/smithy/split.smithy".into()))
        );
        assert!(upstream_path(rules, "other/x.smithy").is_err());
    }

    #[test]
    fn the_specs_are_the_manifest_items() {
        let manifest = smithy_testdata::manifest().expect("parses");
        let names: Vec<&str> = manifest.items.iter().map(|i| i.name.as_str()).collect();
        let specs: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
        assert_eq!(names, specs);
    }

    #[test]
    fn refuses_bad_flags() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(matches!(run(&args(&["--pin", "--check"])), Err(Stop::Usage(m)) if m.contains("not both")));
        assert!(matches!(run(&args(&["--from", "x"])), Err(Stop::Usage(m)) if m.contains("`--from` goes with")));
        assert!(matches!(run(&args(&["--frob"])), Err(Stop::Usage(m)) if m.contains("--frob")));
    }
}
