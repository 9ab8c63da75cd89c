//! `cargo xtask codegen`: generates the crates pinned in `models/manifest.json` (or one model
//! given on the command line) and writes them, or with `--check` reports what is stale.
//!
//! Every crate is generated in memory first; nothing is written unless all of them succeeded.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use smithy_codegen::{GeneratedCrate, Settings};

use crate::manifest::{self, MODELS_DIR_VAR};
use crate::write::{self, Written};
use crate::{no_value, set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask codegen [--check]
       cargo xtask codegen [--check] --model FILE_OR_DIR --out DIR [--service SHAPE_ID] [--crate-name NAME]
       cargo xtask codegen [--check] --botocore SERVICE[/API_VERSION] --out DIR [--service SHAPE_ID] [--crate-name NAME]

Without --model, generates every crate pinned in models/manifest.json into its `out` folder.
Model files are looked up in models/, then $SMITHY_MODELS_DIR, then ../shared/models/aws/, then
the download cache models/cache/, and must match the pinned sha256. If none has it, the file is
downloaded (from raw.githubusercontent.com, or $SMITHY_MODELS_BASE_URL), checked, and kept in
models/cache/. A crate folder is replaced only if some file differs, and then
as a whole (target/ and Cargo.lock are kept). The manifest's `botocore` services are imported
from the pinned botocore wheel (models/, $SMITHY_BOTOCORE_DIR, ../shared/models/botocore/,
models/cache/, else downloaded from files.pythonhosted.org or $SMITHY_PYPI_BASE_URL).

Options:
      --check              write nothing; list the stale files and exit 1 if any
      --model FILE_OR_DIR  generate this model instead of the manifest's: a Smithy IDL (.smithy)
                           or JSON AST (.json) file, or a folder of them assembled as one model
      --botocore SERVICE   import this service (botocore's folder name, optionally /API_VERSION)
                           from the pinned botocore wheel instead of --model
      --out DIR            the folder to write it to (with --model); the crate is its own workspace
      --service SHAPE_ID   the service to generate, if the model has several (with --model)
      --crate-name NAME    the package name (with --model); default: from the service's sdkId
  -h, --help               print this help
";

/// The command that regenerates the manifest's crates.
pub const FIX: &str = "cargo xtask codegen";

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    check: bool,
    model: Option<PathBuf>,
    botocore: Option<String>,
    out: Option<PathBuf>,
    service: Option<String>,
    crate_name: Option<String>,
}

fn parse(args: &[OsString]) -> Result<Options, Stop> {
    let mut options = Options::default();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        let (name, inline) = match arg {
            Arg::Flag { name, inline } => (name, inline),
            Arg::Positional(arg) => {
                return Err(Stop::Usage(format!(
                    "unexpected argument `{}`",
                    arg.to_string_lossy()
                )))
            }
        };
        match name.as_str() {
            "--check" => {
                no_value(&name, &inline)?;
                options.check = true;
            }
            "--model" => set_once(&mut options.model, &name, args.value(&name, inline)?.into())?,
            "--out" => set_once(&mut options.out, &name, args.value(&name, inline)?.into())?,
            "--botocore" => set_once(&mut options.botocore, &name, args.string_value(&name, inline)?)?,
            "--service" => set_once(
                &mut options.service,
                &name,
                args.string_value(&name, inline)?,
            )?,
            "--crate-name" => set_once(
                &mut options.crate_name,
                &name,
                args.string_value(&name, inline)?,
            )?,
            _ => return Err(Stop::Usage(format!("unknown option `{name}`"))),
        }
    }
    if options.model.is_some() && options.botocore.is_some() {
        return Err(Stop::Usage("give `--model` or `--botocore`, not both".into()));
    }
    match (options.model.is_some() || options.botocore.is_some(), &options.out) {
        (true, None) => return Err(Stop::Usage("`--model` needs `--out DIR`".into())),
        (false, Some(_)) => return Err(Stop::Usage("`--out` needs `--model FILE_OR_DIR`".into())),
        (false, None) if options.service.is_some() || options.crate_name.is_some() => {
            return Err(Stop::Usage(
                "`--service` and `--crate-name` apply only with `--model`".into(),
            ))
        }
        _ => {}
    }
    Ok(options)
}

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let options = parse(args)?;
    let workspace = manifest::workspace_root();
    let source = match (&options.model, &options.botocore) {
        (Some(model), _) => Some(Source::File(model.clone())),
        (None, Some(spec)) => Some(Source::Botocore(spec.clone())),
        (None, None) => None,
    };
    let (results, fix) = match (&source, &options.out) {
        (Some(model), Some(out)) => {
            // The same command line without `--check`.
            let given = args
                .iter()
                .map(|arg| arg.to_string_lossy())
                .filter(|arg| arg != "--check");
            let fix = std::iter::once(FIX.into())
                .chain(given)
                .collect::<Vec<_>>()
                .join(" ");
            let settings = Settings { version: None,
                crate_name: options.crate_name.clone(),
                runtime_path: String::new(),
                standalone: true,
                service: options.service.clone(),
                partitions: None,
            };
            (vec![generate_model(&workspace, model, out, settings)], fix)
        }
        _ => {
            let var = std::env::var_os(MODELS_DIR_VAR);
            (
                generate_manifest(&workspace, var.as_deref()).map_err(Stop::error)?,
                FIX.to_owned(),
            )
        }
    };
    let mode = if options.check {
        Mode::Check
    } else {
        Mode::Write
    };
    let stale = apply(results, mode, &mut std::io::stdout().lock()).map_err(Stop::Errors)?;
    if !options.check {
        return Ok(());
    }
    if stale.is_empty() {
        println!("generated code is up to date");
        return Ok(());
    }
    eprintln!("{}", stale_report(&stale, &fix));
    Err(Stop::Reported)
}

/// The stale paths, one a line, then the command that fixes them.
pub fn stale_report(stale: &[String], fix: &str) -> String {
    format!(
        "{}\nrun `{fix}` to update the generated code",
        stale.join("\n")
    )
}

/// A crate generated in memory, and where it goes.
#[derive(Debug, Clone)]
pub struct Output {
    /// The folder as the user knows it (`generated/ecr`, or `--out` as given): prefixes paths
    /// in messages.
    pub label: String,
    pub dir: PathBuf,
    pub krate: GeneratedCrate,
}

/// Generates every crate in the workspace's manifest; one result per model. Fails as a whole
/// only when the manifest cannot be read.
pub fn generate_manifest(
    workspace: &Path,
    models_dir_var: Option<&std::ffi::OsStr>,
) -> Result<Vec<Result<Output, String>>, String> {
    let manifest = manifest::read(workspace)?;
    let dirs = crate::fetch::search_dirs(workspace, models_dir_var);
    let runtime = workspace.join("runtime");
    // The pinned partition table, for endpoint rules that call `aws.partition`; a model
    // without such rules is generated even when it cannot be found.
    let (partitions, missing) = match crate::fetch::partitions(workspace, &manifest) {
        Ok(text) => (Some(text), None),
        Err(why) => (None, Some(why)),
    };
    let botocore_models = manifest.botocore.as_ref().map(|s| s.models.clone()).unwrap_or_default();
    let generate_one = |entry: &manifest::Entry| {
        let (_, bytes) = crate::fetch::find_model(entry, &dirs, workspace)?;
        let dir = workspace.join(&entry.out);
        // Both paths are lexical children of the workspace, so this is `../..`-style and the
        // same on every machine.
        let runtime_path = relative_path(&dir, &runtime).ok_or_else(|| {
            format!(
                "{}: no relative path from {} to {}",
                manifest::MANIFEST,
                dir.display(),
                runtime.display()
            )
        })?;
        let settings = Settings { version: Some(entry.version.clone()),
            crate_name: None,
            runtime_path,
            standalone: false,
            service: None,
            partitions: partitions.clone(),
        };
        // Name the model by its file name alone: the output must not depend on where it was found.
        let krate = generate(&entry.file, &bytes, &settings).map_err(|e| why_no_partitions(e, missing.as_deref()))?;
        Ok(Output {
            label: entry.out.clone(),
            dir,
            krate,
        })
    };
    let mut results: Vec<Result<Output, String>> = manifest.models.iter().map(generate_one).collect();
    if botocore_models.is_empty() {
        return Ok(results);
    }
    // The wheel is opened once for all its services; without it each of them fails alike.
    let mut wheel = crate::botocore::open_wheel(workspace);
    for pin in &botocore_models {
        let result = (|| {
            let wheel = wheel.as_mut().map_err(|e| e.clone())?;
            let (model, _) = crate::botocore::load(wheel, &pin.service, &pin.api_version, pin.shape_id.as_deref())?;
            let dir = workspace.join(&pin.out);
            let runtime_path = relative_path(&dir, &runtime)
                .ok_or_else(|| format!("{}: no relative path from {} to {}", manifest::MANIFEST, dir.display(), runtime.display()))?;
            let settings = Settings {
                version: Some(pin.version.clone()),
                crate_name: None,
                runtime_path,
                standalone: false,
                service: None,
                partitions: partitions.clone(),
            };
            let krate = smithy_codegen::generate(&model, &settings)
                .map_err(|e| why_no_partitions(e.to_string(), missing.as_deref()))?;
            Ok(Output { label: pin.out.clone(), dir, krate })
        })();
        results.push(result);
    }
    Ok(results)
}

/// Where a model given on the command line comes from.
#[derive(Debug, Clone)]
enum Source {
    /// `--model FILE_OR_DIR`.
    File(PathBuf),
    /// `--botocore SERVICE[/API_VERSION]`.
    Botocore(String),
}

/// Generates one model file into `out` (`settings.runtime_path` is filled in here).
fn generate_model(
    workspace: &Path,
    source: &Source,
    out: &Path,
    mut settings: Settings,
) -> Result<Output, String> {
    let loaded = match source {
        Source::File(model) => crate::ast::load_model(&[model.to_owned()])?,
        Source::Botocore(spec) => {
            let mut wheel = crate::botocore::open_wheel(workspace)?;
            let (service, version) = crate::botocore::split_spec(&wheel, spec)?;
            let shape_id = settings.service.take();
            crate::botocore::load(&mut wheel, &service, &version, shape_id.as_deref())?.0
        }
    };
    // The workspace's pinned partition table, for endpoint rules that call `aws.partition`; a
    // model without such rules is generated even when it cannot be found.
    let partitions = manifest::read(workspace).and_then(|m| crate::fetch::partitions(workspace, &m));
    let missing = partitions.as_ref().err().cloned();
    settings.partitions = partitions.ok();
    let dir = std::path::absolute(out)
        .map_err(|e| format!("{}: cannot make the path absolute: {e}", out.display()))?;
    let dir = normalize(&dir);
    settings.runtime_path = runtime_path_from(&dir, &workspace.join("runtime"))?;
    let krate = smithy_codegen::generate(&loaded, &settings)
        .map_err(|e| why_no_partitions(crate::ast::report(&e), missing.as_deref()))?;
    Ok(Output {
        label: out.display().to_string(),
        dir,
        krate,
    })
}

/// A generation error, with why the partition table is missing when that is what it says.
fn why_no_partitions(error: String, missing: Option<&str>) -> String {
    match missing {
        Some(why) if error.contains("no partition table was given") => format!("{error}; {why}"),
        _ => error,
    }
}

fn generate(file: &str, bytes: &[u8], settings: &Settings) -> Result<GeneratedCrate, String> {
    let model = smithy_codegen::load(file, bytes).map_err(|e| e.to_string())?;
    smithy_codegen::generate(&model, settings).map_err(|e| e.to_string())
}

/// What [`apply`] does with the generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write each crate whose folder is stale, and log one line per crate.
    Write,
    /// Write nothing; return the stale paths.
    Check,
}

/// Writes or checks the generated crates, but only if every one of them was generated: with
/// any error, returns all errors and touches nothing. Returns the stale paths (`Check` only),
/// as `<label>/<path> (changed|missing|extra)`.
pub fn apply(
    results: Vec<Result<Output, String>>,
    mode: Mode,
    log: &mut dyn Write,
) -> Result<Vec<String>, Vec<String>> {
    let (outputs, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if !errors.is_empty() {
        return Err(errors.into_iter().filter_map(Result::err).collect());
    }
    let mut stale = Vec::new();
    for output in outputs.into_iter().flatten() {
        let files = &output.krate.files;
        let label = output.label.trim_end_matches(['/', '\\']);
        match mode {
            Mode::Check => {
                write::check_paths(&output.dir, files).map_err(|e| vec![e])?;
                let found = write::stale_files(&output.dir, files).map_err(|e| vec![e])?;
                stale.extend(
                    found
                        .into_iter()
                        .map(|s| format!("{label}/{} ({})", s.path, s.change)),
                );
            }
            Mode::Write => {
                let done = write::write_crate(&output.dir, files).map_err(|e| vec![e])?;
                let (count, lines) = (files.len(), write::line_count(files));
                let plural = if count == 1 { "" } else { "s" };
                // A closed stdout is no reason to stop writing crates.
                let _ = match done {
                    Written::Wrote => {
                        writeln!(log, "{label}: wrote {count} file{plural} ({lines} lines)")
                    }
                    Written::UpToDate => writeln!(
                        log,
                        "{label}: up to date ({count} file{plural}, {lines} lines)"
                    ),
                };
            }
        }
    }
    Ok(stale)
}

/// The `runtime_path` for a crate written to the absolute folder `dir`: relative when one
/// exists (after resolving symlinks in the parts that exist), else absolute.
fn runtime_path_from(dir: &Path, runtime: &Path) -> Result<String, String> {
    if let Some(relative) = relative_path(&resolve(dir), &resolve(runtime)) {
        return Ok(relative);
    }
    let absolute = normalize(runtime);
    let text = absolute.to_str().ok_or_else(|| {
        format!(
            "{}: the runtime crate's path is not UTF-8; move the workspace",
            absolute.display()
        )
    })?;
    Ok(if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.to_owned()
    })
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// An absolute `path` with symlinks resolved in its longest existing ancestor (the rest may
/// not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let path = normalize(path);
    let mut existing = path.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return match path.strip_prefix(existing) {
                Ok(rest) if !rest.as_os_str().is_empty() => real.join(rest),
                _ => real,
            };
        }
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return path,
        }
    }
}

/// The `/`-separated path that leads from the folder `from` to `to`, both absolute; `None` when
/// they share no root (another drive) or a part is not UTF-8.
pub fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let (from, to) = (normalize(from), normalize(to));
    if !from.is_absolute() || !to.is_absolute() {
        return None;
    }
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 || !matches!(from[common - 1], Component::RootDir | Component::Normal(_)) {
        return None;
    }
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    for component in &to[common..] {
        parts.push(component.as_os_str().to_str()?);
    }
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp::TempDir;
    use std::collections::BTreeMap;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn usage_error(list: &[&str]) -> String {
        match parse(&args(list)) {
            Err(Stop::Usage(message)) => message,
            other => panic!("expected a usage error for {list:?}, got {other:?}"),
        }
    }

    #[test]
    fn parses_options() {
        assert_eq!(parse(&args(&[])).ok(), Some(Options::default()));
        assert_eq!(
            parse(&args(&["--check"])).ok(),
            Some(Options {
                check: true,
                ..Options::default()
            })
        );
        let all = [
            "--check",
            "--model",
            "m.json",
            "--out=o",
            "--service",
            "a.b#S",
            "--crate-name=x",
        ];
        assert_eq!(
            parse(&args(&all)).ok(),
            Some(Options {
                check: true,
                model: Some("m.json".into()),
                botocore: None,
                out: Some("o".into()),
                service: Some("a.b#S".into()),
                crate_name: Some("x".into()),
            })
        );
        assert!(matches!(
            parse(&args(&["--model", "m", "-h"])),
            Err(Stop::Help)
        ));
        assert_eq!(
            usage_error(&["--frobnicate"]),
            "unknown option `--frobnicate`"
        );
        assert_eq!(usage_error(&["stray"]), "unexpected argument `stray`");
        assert_eq!(
            usage_error(&["--model", "m.json"]),
            "`--model` needs `--out DIR`"
        );
        assert_eq!(usage_error(&["--out", "o"]), "`--out` needs `--model FILE_OR_DIR`");
        assert!(usage_error(&["--crate-name", "x"]).contains("only with `--model`"));
        assert!(usage_error(&["--out", "a", "--out", "b"]).contains("twice"));
        assert!(usage_error(&["--check=yes"]).contains("takes no value"));
        assert!(usage_error(&["--model"]).contains("needs a value"));
    }

    #[test]
    fn relative_paths() {
        let root = std::env::temp_dir();
        let at = |rel: &str| root.join(rel);
        assert_eq!(
            relative_path(&at("ws/generated/ecr"), &at("ws/runtime")).as_deref(),
            Some("../../runtime")
        );
        assert_eq!(
            relative_path(&at("ws"), &at("ws/runtime")).as_deref(),
            Some("runtime")
        );
        assert_eq!(
            relative_path(&at("ws/runtime"), &at("ws/runtime")).as_deref(),
            Some(".")
        );
        assert_eq!(
            relative_path(&at("out/./a/../b"), &at("ws/runtime")).as_deref(),
            Some("../../ws/runtime")
        );
        assert_eq!(relative_path(Path::new("relative"), &at("ws")), None);
        if cfg!(unix) {
            assert_eq!(
                relative_path(Path::new("/"), Path::new("/ws/runtime")).as_deref(),
                Some("ws/runtime")
            );
            assert_eq!(
                relative_path(Path::new("/a/b"), Path::new("/")).as_deref(),
                Some("../..")
            );
        }
        if cfg!(windows) {
            assert_eq!(relative_path(Path::new(r"C:\a"), Path::new(r"D:\b")), None);
        }
        assert_eq!(normalize(Path::new("a/./b/../../..")), PathBuf::from(".."));
    }

    #[test]
    fn runtime_path_for_a_folder_that_does_not_exist_yet() {
        let temp = TempDir::new("runtime-path");
        let runtime = temp.path().join("ws").join("runtime");
        std::fs::create_dir_all(&runtime).expect("mkdir");
        let out = temp.path().join("elsewhere").join("not").join("yet");
        assert_eq!(
            runtime_path_from(&out, &runtime),
            Ok("../../../ws/runtime".to_owned())
        );
        assert!(!temp.path().join("elsewhere").exists());
        assert_eq!(
            runtime_path_from(&temp.path().join("ws/generated/x"), &runtime),
            Ok("../../runtime".to_owned())
        );
    }

    fn fake(label: &str, dir: &Path, files: &[(&str, &str)]) -> Output {
        Output {
            label: label.to_owned(),
            dir: dir.to_path_buf(),
            krate: GeneratedCrate {
                crate_name: "fake".to_owned(),
                files: files
                    .iter()
                    .map(|(path, text)| (path.to_string(), text.to_string()))
                    .collect(),
            },
        }
    }

    fn read_all(dir: &Path, paths: &[&str]) -> BTreeMap<String, Option<String>> {
        paths
            .iter()
            .map(|path| {
                (
                    path.to_string(),
                    std::fs::read_to_string(dir.join(path)).ok(),
                )
            })
            .collect()
    }

    #[test]
    fn a_failed_generation_writes_nothing() {
        let temp = TempDir::new("apply-fail");
        let a = temp.path().join("generated/a");
        let old = [("Cargo.toml", "[package]\n"), ("src/lib.rs", "old\n")];
        let mut log = Vec::new();
        assert_eq!(
            apply(
                vec![Ok(fake("generated/a", &a, &old))],
                Mode::Write,
                &mut log
            ),
            Ok(vec![])
        );
        let before = read_all(&a, &["Cargo.toml", "src/lib.rs", "src/new.rs"]);

        let new = [
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "new\n"),
            ("src/new.rs", ""),
        ];
        let b = temp.path().join("generated/b");
        let results = vec![
            Ok(fake("generated/a", &a, &new)),
            Err("b.json: shape `b#X`: broken".to_owned()),
            Ok(fake("generated/b", &b, &new)),
            Err("c.json: not found".to_owned()),
        ];
        for mode in [Mode::Write, Mode::Check] {
            let mut log = Vec::new();
            let errors = apply(results.clone(), mode, &mut log).expect_err("errors");
            assert_eq!(
                errors,
                vec![
                    "b.json: shape `b#X`: broken".to_owned(),
                    "c.json: not found".to_owned()
                ]
            );
            assert!(log.is_empty());
        }
        assert_eq!(
            read_all(&a, &["Cargo.toml", "src/lib.rs", "src/new.rs"]),
            before
        );
        assert!(!b.exists());
    }

    #[test]
    fn writes_then_reports_up_to_date_then_checks() {
        let temp = TempDir::new("apply");
        let dir = temp.path().join("generated/ecr");
        let files = [("Cargo.toml", "[package]\n"), ("src/lib.rs", "a\nb\n")];
        let run = |mode, files: &[(&str, &str)]| {
            let mut log = Vec::new();
            let result = apply(vec![Ok(fake("generated/ecr", &dir, files))], mode, &mut log);
            (result, String::from_utf8_lossy(&log).into_owned())
        };
        assert_eq!(
            run(Mode::Check, &files).0,
            Ok(vec![
                "generated/ecr/Cargo.toml (missing)".into(),
                "generated/ecr/src/lib.rs (missing)".into()
            ])
        );
        assert!(!dir.exists());
        assert_eq!(
            run(Mode::Write, &files),
            (
                Ok(vec![]),
                "generated/ecr: wrote 2 files (3 lines)\n".into()
            )
        );
        assert_eq!(
            run(Mode::Write, &files),
            (
                Ok(vec![]),
                "generated/ecr: up to date (2 files, 3 lines)\n".into()
            )
        );
        assert_eq!(run(Mode::Check, &files).0, Ok(vec![]));

        std::fs::write(dir.join("src/extra.rs"), "").expect("write");
        let changed = [("Cargo.toml", "[package]\n"), ("src/lib.rs", "a\n")];
        let stale = run(Mode::Check, &changed).0.expect("checked");
        assert_eq!(
            stale,
            vec![
                "generated/ecr/src/extra.rs (extra)".to_owned(),
                "generated/ecr/src/lib.rs (changed)".to_owned()
            ]
        );
        assert_eq!(
            stale_report(&stale, FIX),
            "generated/ecr/src/extra.rs (extra)\ngenerated/ecr/src/lib.rs (changed)\nrun `cargo xtask codegen` to update the generated code"
        );
        assert!(dir.join("src/extra.rs").exists(), "--check writes nothing");
    }

    /// The manifest path end to end: one bad model among good ones, and no crate folder is
    /// touched, not even the good model's.
    #[test]
    fn a_bad_model_in_the_manifest_leaves_every_crate_untouched() {
        let temp = TempDir::new("manifest-bad");
        let workspace = temp.path();
        let fixture = manifest::workspace_root().join("codegen/tests/fixtures/shapes.json");
        let good = std::fs::read(&fixture).expect("read the fixture");
        let bad = br#"{"smithy": "2.0", "shapes": {"ex#S": {"type": "service"}, "ex#T": {"type": "structure", "members": {"x": {"target": "ex#Missing"}}}}}"#;
        std::fs::create_dir_all(workspace.join("models")).expect("mkdir");
        std::fs::write(workspace.join("models/good.json"), &good).expect("write");
        std::fs::write(workspace.join("models/bad.json"), bad).expect("write");
        let entry = |file: &str, out: &str, bytes: &[u8]| {
            format!(
                r#"{{"file": "{file}", "out": "{out}", "sha256": "{}", "source": {{"repository": "https://example.com/models", "path": "{file}", "commit": "{}"}}}}"#,
                manifest::sha256_hex(bytes),
                "0".repeat(40)
            )
        };
        let text = format!(
            r#"{{"models": [{}, {}]}}"#,
            entry("good.json", "generated/good", &good),
            entry("bad.json", "generated/bad", bad)
        );
        std::fs::write(workspace.join(manifest::MANIFEST), text).expect("write");
        let old = [("Cargo.toml", "[package]\n"), ("src/lib.rs", "old\n")];
        for out in ["generated/good", "generated/bad"] {
            for (path, text) in old {
                let path = workspace.join(out).join(path);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, text).expect("write");
            }
        }
        let paths = ["Cargo.toml", "src/lib.rs", "src/types.rs", "src/error.rs"];
        let before_good = read_all(&workspace.join("generated/good"), &paths);
        let before_bad = read_all(&workspace.join("generated/bad"), &paths);

        let results = generate_manifest(workspace, None).expect("the manifest reads");
        assert!(results[0].is_ok(), "the good model generates");
        for mode in [Mode::Write, Mode::Check] {
            let mut log = Vec::new();
            let errors = apply(results.clone(), mode, &mut log).expect_err("the bad model fails");
            assert_eq!(
                errors,
                vec![
                    "bad.json: shape `ex#T`, member `x`: member targets unknown shape `ex#Missing`"
                        .to_owned()
                ]
            );
            assert!(log.is_empty());
        }
        assert_eq!(
            read_all(&workspace.join("generated/good"), &paths),
            before_good
        );
        assert_eq!(
            read_all(&workspace.join("generated/bad"), &paths),
            before_bad
        );
        let mut names: Vec<_> = std::fs::read_dir(workspace.join("generated"))
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["bad", "good"], "nothing is left beside the crates");
    }

    #[test]
    fn generate_model_reports_an_unreadable_model() {
        let temp = TempDir::new("model");
        let missing = temp.path().join("missing.json");
        let settings = Settings { version: None,
            crate_name: None,
            runtime_path: String::new(),
            standalone: true,
            service: None,
            partitions: None,
        };
        let error = generate_model(
            &manifest::workspace_root(),
            &Source::File(missing.clone()),
            &temp.path().join("out"),
            settings,
        )
        .expect_err("missing");
        assert!(
            error.starts_with(&format!("{}: cannot read the model: ", missing.display())),
            "{error}"
        );
    }

    /// `cargo test` fails when the checked-in generated code is stale.
    #[test]
    fn generated_code_is_up_to_date() {
        let workspace = manifest::workspace_root();
        let var = std::env::var_os(MODELS_DIR_VAR);
        let results =
            generate_manifest(&workspace, var.as_deref()).unwrap_or_else(|e| panic!("error: {e}"));
        match apply(results, Mode::Check, &mut std::io::sink()) {
            Err(errors) => panic!("error: {}", errors.join("\nerror: ")),
            Ok(stale) => assert!(
                stale.is_empty(),
                "the generated code is stale:\n{}",
                stale_report(&stale, FIX)
            ),
        }
    }
}
