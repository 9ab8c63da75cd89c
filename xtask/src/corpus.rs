//! `cargo xtask corpus DIR`: generates a crate for every model in a folder, builds them all with
//! warnings denied and clippy, and reports one line per model.
//!
//! The crates go into a scratch Cargo workspace, `<workspace>/target/corpus/`, with one shared
//! target folder so the runtime and the registry dependencies compile once. A model that fails
//! to generate, or a crate that fails to build, does not stop the others.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use smithy_codegen::{GeneratedCrate, Settings};

use crate::codegen::relative_path;
use crate::manifest;
use crate::write;
use crate::{no_value, set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask corpus DIR [--no-build] [--jobs N]
       cargo xtask corpus --botocore SERVICE,SERVICE,... [--no-build] [--jobs N]

Generates every `*.json` Smithy model in DIR (in name order) with smithy-codegen, writes the
crates into the scratch workspace target/corpus/ and runs
`cargo clippy --workspace --all-targets --keep-going -- -D warnings` there, so that every
crate must compile without a warning or a clippy lint. Prints one line per model (status,
file, generated lines, generation time, and the first error of a failure), the total
generation time, and last `N passed, M failed`; exits 1 if any model failed.

With --botocore, the models are the services named (botocore's folder names, each optionally
with /API_VERSION; `all` for every service) imported from the pinned botocore wheel (see
`cargo xtask codegen --help`); STS and IAM get their Smithy service shape IDs.

Options:
      --botocore LIST  import these services from the botocore wheel instead of reading DIR
      --no-build   generate and write only (to time the generator)
      --jobs N     passed to cargo as `-j N`
  -h, --help       print this help
";

/// The scratch workspace, relative to the project's workspace.
const SCRATCH: &str = "target/corpus";

/// Every diagnostic of the last build, in the scratch workspace.
const LOG: &str = "build.log";

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    dir: Option<PathBuf>,
    botocore: Option<String>,
    no_build: bool,
    jobs: Option<String>,
}

fn parse(args: &[OsString]) -> Result<Options, Stop> {
    let mut options = Options::default();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Positional(dir) => set_once(&mut options.dir, "DIR", PathBuf::from(dir))?,
            Arg::Flag { name, inline } => match name.as_str() {
                "--botocore" => set_once(&mut options.botocore, &name, args.string_value(&name, inline)?)?,
                "--no-build" => {
                    no_value(&name, &inline)?;
                    options.no_build = true;
                }
                "--jobs" => {
                    let jobs = args.string_value(&name, inline)?;
                    if jobs.parse::<u32>().map_or(true, |n| n == 0) {
                        return Err(Stop::Usage(format!(
                            "`--jobs` needs a positive number, not `{jobs}`"
                        )));
                    }
                    set_once(&mut options.jobs, &name, jobs)?;
                }
                _ => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            },
        }
    }
    if options.dir.is_some() && options.botocore.is_some() {
        return Err(Stop::Usage("give the folder of models, DIR, or `--botocore LIST`, not both".into()));
    }
    if options.dir.is_none() && options.botocore.is_none() {
        return Err(Stop::Usage("the folder of models, DIR, is missing (or give `--botocore LIST`)".into()));
    }
    Ok(options)
}

/// One model of the corpus and what became of it.
#[derive(Debug)]
struct Entry {
    /// The model's file name.
    file: String,
    generated: Result<Generated, String>,
    /// The first build error, once built.
    build_error: Option<String>,
}

#[derive(Debug)]
struct Generated {
    /// The crate's folder name under the scratch workspace (its unique package name).
    name: String,
    lines: usize,
    time: Duration,
}

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let options = parse(args)?;
    let workspace = manifest::workspace_root();
    let models: Vec<Named> = match (&options.dir, &options.botocore) {
        (Some(dir), _) => list_models(dir)
            .map_err(Stop::error)?
            .into_iter()
            .map(|path| {
                let file = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
                (file, std::fs::read(&path).map_err(|e| format!("cannot read the model: {e}")))
            })
            .collect(),
        (None, Some(list)) => botocore_models(&workspace, list).map_err(Stop::error)?,
        (None, None) => Vec::new(),
    };
    let scratch = workspace.join(SCRATCH);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| Stop::error(format!("{}: cannot create: {e}", scratch.display())))?;
    let runtime_path = relative_path(&scratch.join("crate"), &workspace.join("runtime"))
        .ok_or_else(|| Stop::error("no relative path from target/corpus to runtime"))?;

    // The pinned partition table, which the endpoint rules of AWS services need; models
    // without rules calling `aws.partition` are generated even when it cannot be found.
    let partitions = manifest::read(&workspace).and_then(|m| crate::fetch::partitions(&workspace, &m));
    let mut entries = Vec::new();
    let mut taken = BTreeSet::new();
    for (file, bytes) in models {
        let generated =
            generate(bytes, &file, &runtime_path, &partitions, &mut taken).and_then(|(krate, time)| {
                let dir = scratch.join(&krate.crate_name);
                write::write_crate(&dir, &krate.files)?;
                Ok(Generated {
                    lines: write::line_count(&krate.files),
                    name: krate.crate_name,
                    time,
                })
            });
        entries.push(Entry {
            file,
            generated,
            build_error: None,
        });
    }

    let members: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.generated.as_ref().ok())
        .map(|g| g.name.as_str())
        .collect();
    write_workspace(&workspace, &scratch, &members).map_err(Stop::error)?;
    remove_stale_crates(&scratch, &members);

    let mut build_time = None;
    if !options.no_build && !members.is_empty() {
        let started = Instant::now();
        let errors = build(&scratch, options.jobs.as_deref(), &members).map_err(Stop::error)?;
        build_time = Some(started.elapsed());
        for entry in &mut entries {
            if let Ok(g) = &entry.generated {
                entry.build_error = errors.get(&g.name).cloned();
            }
        }
    }

    let mut failed = 0;
    let width = entries.iter().map(|e| e.file.len()).max().unwrap_or(0);
    let mut total = Duration::ZERO;
    for entry in &entries {
        let (status, lines, ms, error) = match &entry.generated {
            Ok(g) => {
                total += g.time;
                (
                    if entry.build_error.is_some() {
                        "FAIL"
                    } else {
                        "ok"
                    },
                    g.lines.to_string(),
                    g.time.as_millis().to_string(),
                    entry.build_error.clone(),
                )
            }
            Err(e) => {
                // The line names the file already.
                let e = e.strip_prefix(&format!("{}: ", entry.file)).unwrap_or(e);
                ("FAIL", "-".into(), "-".into(), Some(e.to_owned()))
            }
        };
        if status == "FAIL" {
            failed += 1;
        }
        let mut line = format!(
            "{status:4}  {:width$}  {lines:>7} lines  {ms:>6} ms",
            entry.file
        );
        if let Some(error) = error {
            line.push_str("  ");
            line.push_str(one_line(&error));
        }
        println!("{line}");
    }
    println!(
        "total generation time: {} ms for {} models",
        total.as_millis(),
        entries.len()
    );
    if let Some(time) = build_time {
        println!(
            "build (clippy, -D warnings) wall time: {:.1} s",
            time.as_secs_f64()
        );
    }
    if entries.iter().any(|e| e.build_error.is_some()) {
        println!("every diagnostic: {}", scratch.join(LOG).display());
    }
    println!("{} passed, {failed} failed", entries.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(Stop::Reported)
    }
}

/// The `*.json` files directly in `dir`, sorted by name: the corpus here and in `bench gen`.
pub fn list_models(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let read =
        std::fs::read_dir(dir).map_err(|e| format!("{}: cannot read: {e}", dir.display()))?;
    let mut models = Vec::new();
    for entry in read {
        let path = entry
            .map_err(|e| format!("{}: cannot read: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            models.push(path);
        }
    }
    models.sort();
    Ok(models)
}

/// A model's file name and its bytes (or why they could not be had).
type Named = (String, Result<Vec<u8>, String>);

/// The services of `list` (comma-separated, `all` for every one) imported from the botocore
/// wheel, each as its file name and JSON AST (or why it could not be imported).
fn botocore_models(workspace: &Path, list: &str) -> Result<Vec<Named>, String> {
    let mut wheel = crate::botocore::open_wheel(workspace)?;
    let specs: Vec<String> = if list == "all" {
        let mut latest: BTreeMap<String, String> = BTreeMap::new();
        for (service, version) in wheel.services() {
            latest.insert(service, version);
        }
        latest.into_iter().map(|(s, v)| format!("{s}/{v}")).collect()
    } else {
        list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    let mut out = Vec::new();
    for spec in specs {
        let (service, version) = crate::botocore::split_spec(&wheel, &spec)?;
        let file = format!("botocore/data/{service}/{version}/service-2.json");
        out.push((file, crate::botocore::json_ast(&mut wheel, &spec).map(|(_, ast)| ast)));
    }
    Ok(out)
}

/// Loads and generates one model, timing both; the crate name is made unique among `taken`.
fn generate(
    bytes: Result<Vec<u8>, String>,
    file: &str,
    runtime_path: &str,
    partitions: &Result<String, String>,
    taken: &mut BTreeSet<String>,
) -> Result<(GeneratedCrate, Duration), String> {
    let bytes = bytes?;
    let mut settings = Settings { version: None,
        crate_name: None,
        runtime_path: runtime_path.to_owned(),
        standalone: false,
        service: None,
        partitions: partitions.as_ref().ok().cloned(),
    };
    let started = Instant::now();
    let model = smithy_codegen::load(file, &bytes).map_err(|e| e.to_string())?;
    let why = |e: smithy_codegen::Error| match partitions {
        Err(missing) if e.message.contains("no partition table was given") => format!("{e}; {missing}"),
        _ => e.to_string(),
    };
    let mut krate = smithy_codegen::generate(&model, &settings).map_err(why)?;
    let mut time = started.elapsed();
    if taken.contains(&krate.crate_name) {
        let name = unique_name(&krate.crate_name, taken);
        settings.crate_name = Some(name);
        let started = Instant::now();
        krate = smithy_codegen::generate(&model, &settings).map_err(why)?;
        time += started.elapsed();
    }
    taken.insert(krate.crate_name.clone());
    Ok((krate, time))
}

/// `name-2`, `name-3`, ...: the first not in `taken`.
fn unique_name(name: &str, taken: &BTreeSet<String>) -> String {
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// The scratch workspace's `Cargo.toml` (and, the first time, the project's `Cargo.lock`, so
/// that dependencies resolve to the versions the project uses).
fn write_workspace(workspace: &Path, scratch: &Path, members: &[&str]) -> Result<(), String> {
    let manifest = workspace_manifest(members);
    let path = scratch.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&path, manifest)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        // Without it cargo resolves afresh; not an error.
        let _ = std::fs::copy(workspace.join("Cargo.lock"), &lock);
    }
    Ok(())
}

/// Removes the crate folders an earlier run generated that this one did not (a model removed,
/// a crate renamed): folders beside the members whose `Cargo.toml` says it is generated.
fn remove_stale_crates(scratch: &Path, members: &[&str]) {
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if members.iter().any(|member| name == **member) || !path.is_dir() {
            continue;
        }
        let generated = std::fs::read_to_string(path.join("Cargo.toml"))
            .is_ok_and(|text| text.starts_with("# @generated"));
        if generated {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

fn workspace_manifest(members: &[&str]) -> String {
    let mut text = String::from(
        "# Written by `cargo xtask corpus`: every crate generated from the corpus of models.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        text.push_str(&format!("    \"{member}\",\n"));
    }
    text.push_str("]\n\n[profile.dev]\ndebug = false\n");
    text
}

/// Runs clippy over the scratch workspace and returns the first error of each member that
/// failed, keyed by member (folder) name.
fn build(
    scratch: &Path,
    jobs: Option<&str>,
    members: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(scratch)
        .args(["clippy", "--workspace", "--all-targets", "--keep-going"])
        .arg("--message-format=json")
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(jobs) = jobs {
        command.args(["-j", jobs]);
    }
    command.args(["--", "-D", "warnings"]);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo clippy: {e}"))?;
    // Drain stderr on a thread so that neither pipe can fill up and block cargo.
    let stderr = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.push(line);
            }
            lines
        })
    });
    let mut outcome = Outcome::default();
    // Every diagnostic in full, for reading after the run.
    let mut log = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rendered) = outcome.message(scratch, &line) {
                log.push_str(&rendered);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo clippy: {e}"))?;
    let stderr = stderr
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default();
    let log_path = scratch.join(LOG);
    for line in &stderr {
        log.push_str(line);
        log.push('\n');
    }
    std::fs::write(&log_path, log)
        .map_err(|e| format!("{}: cannot write: {e}", log_path.display()))?;
    Ok(outcome.errors(members, status.success(), &stderr))
}

/// What the JSON messages of one cargo run said.
#[derive(Debug, Default)]
struct Outcome {
    /// First error of each package that had one, by folder name under the scratch workspace
    /// (or by package name for packages outside it).
    first_error: BTreeMap<String, String>,
    /// Members whose library was checked.
    built: BTreeSet<String>,
}

impl Outcome {
    /// Reads one line of cargo's JSON output; returns a diagnostic's rendered text.
    fn message(&mut self, scratch: &Path, line: &str) -> Option<String> {
        let message = serde_json::from_str::<Value>(line).ok()?;
        let package = message
            .get("manifest_path")
            .and_then(Value::as_str)
            .map(|path| package_key(scratch, Path::new(path)))?;
        match message.get("reason").and_then(Value::as_str) {
            Some("compiler-artifact") => {
                self.built.insert(package);
                None
            }
            Some("compiler-message") => {
                let diagnostic = message.get("message")?;
                let rendered = diagnostic
                    .get("rendered")
                    .and_then(Value::as_str)
                    .map(|text| format!("[{package}] {text}"));
                if diagnostic.get("level").and_then(Value::as_str) != Some("error") {
                    return rendered;
                }
                let text = diagnostic
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if text.starts_with("aborting due to") {
                    return rendered;
                }
                let mut error = format!("error: {text}");
                if let Some(span) = primary_span(diagnostic) {
                    error.push_str(&format!(" ({span})"));
                }
                self.first_error.entry(package).or_insert(error);
                rendered
            }
            _ => None,
        }
    }

    /// The members that failed, each with its first error. A member that reported no error
    /// but was not built either failed for another reason: a dependency's error, or cargo's.
    fn errors(
        &self,
        members: &[&str],
        success: bool,
        stderr: &[String],
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let member_set: BTreeSet<&str> = members.iter().copied().collect();
        let foreign = self
            .first_error
            .iter()
            .find(|(package, _)| !member_set.contains(package.as_str()))
            .map(|(package, error)| format!("dependency `{package}` failed: {error}"));
        let cargo_error = stderr
            .iter()
            .find(|line| line.trim_start().starts_with("error"))
            .cloned();
        for member in members {
            if let Some(error) = self.first_error.get(*member) {
                out.insert(member.to_string(), error.clone());
            } else if !success && !self.built.contains(*member) {
                let reason = foreign
                    .clone()
                    .or_else(|| cargo_error.clone())
                    .unwrap_or_else(|| "cargo clippy failed without building this crate".into());
                out.insert(member.to_string(), reason);
            }
        }
        out
    }
}

/// The folder name of a scratch member (`.../target/corpus/ecr/Cargo.toml` is `ecr`), or the
/// manifest's folder path for any other package.
fn package_key(scratch: &Path, manifest: &Path) -> String {
    let folder = manifest.parent().unwrap_or(manifest);
    match folder.strip_prefix(scratch) {
        Ok(rest) if rest.components().count() == 1 => rest.to_string_lossy().into_owned(),
        _ => folder.display().to_string(),
    }
}

/// `file:line:column` of a diagnostic's primary span.
fn primary_span(diagnostic: &Value) -> Option<String> {
    let spans = diagnostic.get("spans")?.as_array()?;
    let span = spans
        .iter()
        .find(|span| span.get("is_primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| spans.first())?;
    Some(format!(
        "{}:{}:{}",
        span.get("file_name")?.as_str()?,
        span.get("line_start")?.as_u64()?,
        span.get("column_start")?.as_u64()?
    ))
}

/// The first line of a message, for the one-line report.
fn one_line(error: &str) -> &str {
    error.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp::TempDir;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_options() {
        assert_eq!(
            parse(&args(&["models", "--no-build", "--jobs=3"])).ok(),
            Some(Options {
                dir: Some("models".into()),
                botocore: None,
                no_build: true,
                jobs: Some("3".into()),
            })
        );
        for (list, expected) in [
            (&[][..], "DIR, is missing"),
            (&["a", "b"][..], "twice"),
            (&["a", "--jobs", "0"][..], "positive number"),
            (&["a", "--no-build=1"][..], "takes no value"),
            (&["a", "--frobnicate"][..], "unknown option"),
        ] {
            match parse(&args(list)) {
                Err(Stop::Usage(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("expected a usage error for {list:?}, got {other:?}"),
            }
        }
    }

    #[test]
    fn lists_json_models_sorted() {
        let temp = TempDir::new("corpus-list");
        for name in ["b.json", "a.json", "notes.txt"] {
            std::fs::write(temp.path().join(name), "{}").expect("write");
        }
        std::fs::create_dir(temp.path().join("c.json")).expect("mkdir");
        let names: Vec<String> = list_models(temp.path())
            .expect("list")
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, ["a.json", "b.json"]);
    }

    #[test]
    fn removes_only_stale_generated_crates() {
        let temp = TempDir::new("corpus-stale");
        for (dir, manifest) in [
            ("kept", "# @generated\n"),
            ("stale", "# @generated\n"),
            ("mine", "[package]\n"),
            ("target", ""),
        ] {
            std::fs::create_dir(temp.path().join(dir)).expect("mkdir");
            std::fs::write(temp.path().join(dir).join("Cargo.toml"), manifest).expect("write");
        }
        remove_stale_crates(temp.path(), &["kept"]);
        for (dir, exists) in [
            ("kept", true),
            ("stale", false),
            ("mine", true),
            ("target", true),
        ] {
            assert_eq!(temp.path().join(dir).exists(), exists, "{dir}");
        }
    }

    #[test]
    fn unique_names_and_workspace_manifest() {
        let taken: BTreeSet<String> = ["s3".to_owned(), "s3-2".to_owned()].into();
        assert_eq!(unique_name("s3", &taken), "s3-3");
        let manifest = workspace_manifest(&["ecr", "s3"]);
        assert!(manifest.contains(
            "[workspace]\nresolver = \"2\"\nmembers = [\n    \"ecr\",\n    \"s3\",\n]\n"
        ));
    }

    #[test]
    fn attributes_errors_to_members() {
        let scratch = Path::new("/ws/target/corpus");
        let mut outcome = Outcome::default();
        let messages = [
            r#"{"reason":"compiler-artifact","manifest_path":"/ws/runtime/Cargo.toml"}"#,
            r#"{"reason":"compiler-artifact","manifest_path":"/ws/target/corpus/ecr/Cargo.toml"}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/target/corpus/s3/Cargo.toml","message":{"level":"warning","message":"unused","spans":[]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/target/corpus/s3/Cargo.toml","message":{"level":"error","message":"first","spans":[{"is_primary":false,"file_name":"src/a.rs","line_start":1,"column_start":2},{"is_primary":true,"file_name":"src/types.rs","line_start":7,"column_start":5}]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/target/corpus/s3/Cargo.toml","message":{"level":"error","message":"second","spans":[]}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/ws/target/corpus/s3/Cargo.toml","message":{"level":"error","message":"aborting due to 2 previous errors","spans":[]}}"#,
            "not json",
        ];
        for line in messages {
            let _ = outcome.message(scratch, line);
        }
        let errors = outcome.errors(
            &["ecr", "s3", "sqs"],
            false,
            &["error: could not compile `s3`".into()],
        );
        assert_eq!(
            errors.get("s3").map(String::as_str),
            Some("error: first (src/types.rs:7:5)")
        );
        assert_eq!(errors.get("ecr"), None);
        assert_eq!(
            errors.get("sqs").map(String::as_str),
            Some("error: could not compile `s3`")
        );
        // A successful run fails only the members with errors.
        assert_eq!(outcome.errors(&["ecr", "sqs"], true, &[]), BTreeMap::new());
    }
}
