//! `cargo xtask e2e --endpoint http://127.0.0.1:PORT --s3s ... --s3s-key ...`: the proof that
//! our signatures are accepted by servers that check them (moto, with IAM authentication on,
//! and s3s-fs for presigned URLs, which moto does not check; `.ci/e2e` starts both).
//!
//! The test program (`xtask/e2e/`, not part of the workspace) uses the generated crates of IAM,
//! STS, S3 and ECR, generated into the scratch workspace `target/e2e/` (ECR from the model
//! pinned for `generated/ecr`, S3 from the pinned AWS models of the test data, IAM and STS
//! from botocore's models), which is built (its own target folder there) and run against the
//! servers. Its lines are printed as it goes; the last is
//! `e2e: N calls signed and accepted, M refused as expected`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use smithy_codegen::Settings;

use crate::protocol_tests::{path_text, toml_string};
use crate::{manifest, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask e2e --endpoint URL --s3s URL --s3s-key ACCESS_KEY_ID:SECRET [--scratch DIR]

Signs real calls with smithy_runtime::sigv4 and sends them to servers that check them (`.ci/e2e`
installs and starts both on 127.0.0.1 and runs this command):

moto (--endpoint), started with INITIAL_NO_AUTH_ACTION_COUNT=0 so that IAM authentication is
on. Through the generated crates: creates an IAM user, its policy and an access key (in an
unchecked window of exactly those 3 calls, opened with moto's /moto-api/reset-auth), then with
that key calls IAM GetUser, STS GetCallerIdentity, ECR CreateRepository and
DescribeRepositories, S3 CreateBucket, PutObject and GetObject, each of which must give 2xx and
decode. Refusals: a signature with one byte changed (ECR, STS, S3) gives SignatureDoesNotMatch,
decoded through the operation's error enum; an action outside the user's policy AccessDenied;
the bootstrap key, once the window is closed, InvalidClientTokenId.

s3s-fs (--s3s, whose one key --s3s-key gives), which checks presigned URLs too (moto does not):
S3 CreateBucket, PutObject (header-signed) and GetObject through a presigned URL give 2xx; a
PutObject and a presigned GetObject with one byte of the signature changed
SignatureDoesNotMatch.

The crates are generated into the scratch workspace (default target/e2e): ECR from the model
pinned for generated/ecr, S3 from the test data's AWS models, IAM and STS from botocore's; the
program is built there with cargo and run. Prints a line per call, a line per server, and last
`e2e: N calls signed and accepted, M refused as expected`. Exits 1 on any failure.

Options:
      --endpoint URL        moto: http://127.0.0.1:PORT (a loopback address only)
      --s3s URL             s3s-fs: http://127.0.0.1:PORT (a loopback address only)
      --s3s-key ID:SECRET   the access key s3s-fs was started with
      --scratch DIR         the scratch workspace (default: target/e2e in the workspace)
  -h, --help                print this help
";

/// The default scratch workspace, relative to the workspace root.
const SCRATCH: &str = "target/e2e";
/// The checked-in crate whose pinned model ECR's is generated from.
const ECR_OUT: &str = "generated/ecr";
/// The S3 model, among the test data's AWS models.
const S3_MODEL: &str = "s3-2006-03-01.json";
/// The services imported from the pinned botocore wheel (neither is among the AWS models of
/// the test data): IAM (41,000 lines generated, so not checked in) and STS (checked in as
/// generated/sts, generated here too so that the program never sees a stale copy).
const BOTOCORE: &[&str] = &["iam", "sts"];
/// The test program's sources, written into the scratch workspace.
const PROGRAM: &[(&str, &str)] = &[
    ("src/main.rs", include_str!("../e2e/main.rs")),
    ("src/http.rs", include_str!("../e2e/http.rs")),
];

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let mut args = Args::new(args);
    let mut endpoint = None;
    let mut s3s = None;
    let mut s3s_key = None;
    let mut scratch = None;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag { name, inline } if name == "--endpoint" => {
                let url = args.value(&name, inline)?;
                crate::set_once(&mut endpoint, &name, url)?;
            }
            Arg::Flag { name, inline } if name == "--s3s" => {
                let url = args.value(&name, inline)?;
                crate::set_once(&mut s3s, &name, url)?;
            }
            Arg::Flag { name, inline } if name == "--s3s-key" => {
                let key = args.value(&name, inline)?;
                crate::set_once(&mut s3s_key, &name, key)?;
            }
            Arg::Flag { name, inline } if name == "--scratch" => {
                let dir = PathBuf::from(args.value(&name, inline)?);
                crate::set_once(&mut scratch, &name, dir)?;
            }
            Arg::Flag { name, .. } => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            Arg::Positional(arg) => {
                return Err(Stop::Usage(format!(
                    "unexpected argument `{}`",
                    arg.to_string_lossy()
                )))
            }
        }
    }
    let text = |value: Option<OsString>, flag: &str| {
        value
            .map(|v| v.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Stop::Usage(format!(
                    "give {flag} (`.ci/e2e` starts the servers and gives it)"
                ))
            })
    };
    let endpoint = text(endpoint, "--endpoint http://127.0.0.1:PORT (moto)")?;
    let s3s = text(s3s, "--s3s http://127.0.0.1:PORT (s3s-fs)")?;
    let s3s_key = text(s3s_key, "--s3s-key ACCESS_KEY_ID:SECRET")?;
    check_endpoint(&endpoint).map_err(Stop::Usage)?;
    check_endpoint(&s3s).map_err(Stop::Usage)?;
    if !s3s_key.contains(':') {
        return Err(Stop::Usage("--s3s-key: give ACCESS_KEY_ID:SECRET".into()));
    }
    let workspace = manifest::workspace_root();
    let scratch = scratch.unwrap_or_else(|| workspace.join(SCRATCH));
    let exe = build(&workspace, &scratch).map_err(Stop::error)?;
    let started = Instant::now();
    let status = Command::new(&exe)
        .args([&endpoint, &s3s, &s3s_key])
        .status()
        .map_err(|e| Stop::error(format!("cannot run {}: {e}", exe.display())))?;
    eprintln!(
        "e2e: the calls took {:.1}s",
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(Stop::Reported)
    }
}

/// `Ok` for `http://` and a loopback host with a port; the test talks to nothing else.
fn check_endpoint(url: &str) -> Result<(), String> {
    let authority = url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .ok_or_else(|| format!("{url}: give an http:// URL (a local server)"))?;
    let (host, port) = authority
        .rsplit_once(':')
        .ok_or_else(|| format!("{url}: give the port"))?;
    if port.parse::<u16>().is_err() {
        return Err(format!("{url}: `{port}` is not a port"));
    }
    let loopback = host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback || authority.contains('/') {
        return Err(format!(
            "{url}: only a loopback address (127.0.0.1) with a port, no path"
        ));
    }
    Ok(())
}

/// A crate the program depends on: its package name and its folder.
struct Dependency {
    name: String,
    dir: PathBuf,
}

/// Generates the crates into `scratch`, writes the program there and builds it: the path of
/// its executable.
fn build(workspace: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let started = Instant::now();
    let runtime = path_text(&workspace.join("runtime"))?;
    let partitions = crate::endpoint_tests::partitions_text(workspace)?;
    let mut dependencies = Vec::new();
    for (crate_name, file, bytes) in models(workspace)? {
        let model = smithy_codegen::load(&file, &bytes).map_err(|e| crate::ast::report(&e))?;
        let settings = Settings {
            version: None,
            crate_name: Some(crate_name.clone()),
            runtime_path: runtime.clone(),
            standalone: false,
            service: None,
            partitions: Some(partitions.clone()),
        };
        let krate = smithy_codegen::generate(&model, &settings)
            .map_err(|e| format!("{file}: generating {crate_name}: {e}"))?;
        let dir = scratch.join("crates").join(&crate_name);
        crate::write::write_crate(&dir, &krate.files)?;
        dependencies.push(Dependency {
            name: crate_name,
            dir,
        });
    }
    let mut manifest = String::from(
        "# Written by `cargo xtask e2e`; scratch.\n[package]\nname = \"e2e\"\nversion = \"0.0.0\"\n\
         edition = \"2021\"\npublish = false\n\n[dependencies]\n",
    );
    manifest.push_str(&format!(
        "smithy-runtime = {{ path = {}, features = [\"sigv4\", \"endpoint\"] }}\n",
        toml_string(&runtime)
    ));
    for dependency in &dependencies {
        manifest.push_str(&format!(
            "{} = {{ path = {} }}\n",
            dependency.name,
            toml_string(&path_text(&dependency.dir)?)
        ));
    }
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), manifest);
    for (path, text) in PROGRAM {
        files.insert((*path).to_owned(), (*text).to_owned());
    }
    crate::write::write_crate(&scratch.join("program"), &files)?;
    let root = "# Written by `cargo xtask e2e`; scratch, not part of the repository.\n\
                [workspace]\nresolver = \"2\"\nmembers = [\"program\"]\n\n[profile.dev]\ndebug = false\n";
    write_if_changed(&scratch.join("Cargo.toml"), root)?;
    // Start from the workspace's lock file so that no registry lookup is needed.
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        if let Ok(text) = std::fs::read_to_string(workspace.join("Cargo.lock")) {
            write_if_changed(&lock, &text)?;
        }
    }
    let generated = started.elapsed();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    if !status.success() {
        return Err(format!(
            "the test program in {} did not build ({status})",
            scratch.display()
        ));
    }
    eprintln!(
        "e2e: crates generated in {:.1}s, the program built in {:.1}s ({})",
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64(),
        scratch.display()
    );
    Ok(scratch
        .join("target")
        .join("debug")
        .join(format!("e2e{}", std::env::consts::EXE_SUFFIX)))
}

/// The models generated into the scratch workspace: (crate name, file name, JSON AST). ECR's
/// is the one models/manifest.json pins for generated/ecr (so the crate is the checked-in one,
/// which `cargo xtask codegen --check` keeps current), found as `cargo xtask codegen` finds it;
/// IAM and STS come from the pinned botocore wheel, found (or downloaded) the same way.
fn models(workspace: &Path) -> Result<Vec<(String, String, Vec<u8>)>, String> {
    let manifest = manifest::read(workspace)?;
    let ecr = manifest
        .models
        .iter()
        .find(|entry| entry.out == ECR_OUT)
        .ok_or_else(|| format!("{}: no model for {ECR_OUT}", manifest::MANIFEST))?;
    let dirs = crate::fetch::search_dirs(
        workspace,
        std::env::var_os(manifest::MODELS_DIR_VAR).as_deref(),
    );
    let (path, bytes) = crate::fetch::find_model(ecr, &dirs, workspace)?;
    let mut models = vec![("ecr".to_owned(), path.display().to_string(), bytes)];
    let aws = smithy_testdata::locate("models/aws")?;
    let s3 = aws.join(S3_MODEL);
    let bytes = std::fs::read(&s3).map_err(|e| format!("{}: cannot read: {e}", s3.display()))?;
    models.push(("s3".into(), s3.display().to_string(), bytes));
    let mut wheel = crate::botocore::open_wheel(workspace)?;
    for service in BOTOCORE {
        let (file, ast) = crate::botocore::json_ast(&mut wheel, service)?;
        models.push(((*service).to_owned(), file, ast));
    }
    Ok(models)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_endpoints_are_taken() {
        assert!(check_endpoint("http://127.0.0.1:5000").is_ok());
        assert!(check_endpoint("http://localhost:5000/").is_ok());
        assert!(check_endpoint("https://127.0.0.1:5000").is_err());
        assert!(check_endpoint("http://127.0.0.1").is_err());
        assert!(check_endpoint("http://192.168.1.2:5000").is_err());
        assert!(check_endpoint("http://127.0.0.1:5000/path").is_err());
    }
}

/// The program's HTTP exchange, compiled here too so that its unit tests run with the
/// workspace's (and clippy sees it).
#[cfg(test)]
#[path = "../e2e/http.rs"]
mod program_http;
