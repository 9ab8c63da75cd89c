//! `cargo xtask endpoint-tests`: runs the `smithy.rules#endpointTests` cases of every service
//! in the given models.
//!
//! Each case's `params` are resolved in-process by the runtime's rules engine
//! ([`smithy_codegen::endpoint_tests`]); each of its `operationInputs` goes through the
//! generated code, as a real call does: the service's crate is generated with a small program
//! ([`smithy_codegen::endpoint_inputs`]) into a scratch workspace under
//! `target/endpoint-tests/` (its own target folder there), built once for all services, and
//! run; each line it prints is compared with the case. Nothing is written into the
//! repository's tracked files.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;
use smithy_codegen::endpoint_inputs::{self, InputCase};
use smithy_codegen::endpoint_tests::{self, Case};
use smithy_codegen::Settings;
use smithy_runtime::endpoint::{Partitions, RuleSet};

use crate::protocol_tests::{path_text, toml_string};
use crate::{manifest, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask endpoint-tests [--params-only] [--scratch DIR] PATH...

Runs every smithy.rules#endpointTests case of every service in the given models (JSON AST
.json or Smithy IDL .smithy files; a folder stands for every such file under it, each file
one model). For each case, the endpoint is resolved from the case's params by the runtime's
rules engine; and for each of its operationInputs, through the generated code as a real call
does: the operation's input built from operationParams, the crate's endpoint::Config from
builtInParams and clientParams, then `<Op>::endpoint_params(&input, &config)` and
`endpoint::resolve`. The services with operationInputs are generated into a scratch
workspace, target/endpoint-tests/ by default (its own target folder there), and built with
cargo. The URL, headers
and properties are compared exactly, or the error message.

Prints each failing case (model, service, case index and documentation, why), a line per
model (`<model file>: N passed, M failed`), and last `endpoint tests: N passed, M failed`. A
case passes when its params and every one of its operationInputs give what it expects. Exits
1 if any case fails.

The partition table is the one models/manifest.json pins, found as `cargo xtask codegen` finds
it (models/, $SMITHY_ENDPOINTS_DIR, ../shared/reference/endpoints, the cache, a download).

Options:
      --params-only  resolve the cases' params only (no operationInputs, nothing compiled)
      --scratch DIR  the scratch workspace (default: target/endpoint-tests in the workspace);
                     give each set of models its own, as the build of one evicts another's
  -h, --help         print this help
";

/// The default scratch workspace, relative to the workspace root.
const SCRATCH: &str = "target/endpoint-tests";
/// The service trait holding the cases.
const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
/// The service trait holding the ruleset.
const RULE_SET: &str = "smithy.rules#endpointRuleSet";

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let mut args = Args::new(args);
    let mut paths = Vec::new();
    let mut params_only = false;
    let mut scratch = None;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag { name, inline } if name == "--scratch" => {
                let dir = PathBuf::from(args.value(&name, inline)?);
                crate::set_once(&mut scratch, &name, dir)?;
            }
            Arg::Flag { name, inline } if name == "--params-only" => {
                crate::no_value(&name, &inline)?;
                params_only = true;
            }
            Arg::Flag { name, .. } => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            Arg::Positional(path) => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err(Stop::Usage("give at least one model file or folder".into()));
    }
    let workspace = manifest::workspace_root();
    let scratch = scratch.unwrap_or_else(|| workspace.join(SCRATCH));
    let report = run_models(&workspace, &scratch, &paths, params_only).map_err(Stop::error)?;
    for line in report.lines() {
        println!("{line}");
    }
    if report.failed() {
        Err(Stop::Reported)
    } else {
        Ok(())
    }
}

/// The partition table's text: the one models/manifest.json pins, found as the generator
/// finds it ([`crate::fetch::partitions`]).
pub fn partitions_text(workspace: &Path) -> Result<String, String> {
    crate::fetch::partitions(workspace, &manifest::read(workspace)?)
}

/// One case's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The model file, as given.
    pub model: String,
    pub service: String,
    pub index: usize,
    pub documentation: String,
    /// Why it failed, one line per reason; empty when it passed.
    pub failures: Vec<String>,
}

/// The outcomes of a run, in model order.
#[derive(Debug, Default)]
pub struct Report {
    pub cases: Vec<Outcome>,
    /// The models in order, with no case left out (a model without cases has a line too).
    pub models: Vec<String>,
}

impl Report {
    /// What the command prints: each failure, a line per model, the total.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for case in &self.cases {
            for why in &case.failures {
                let doc = if case.documentation.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", case.documentation)
                };
                let mut why = why.lines();
                lines.push(format!(
                    "FAILED {} {} case {}{doc}: {}",
                    case.model,
                    case.service,
                    case.index,
                    why.next().unwrap_or_default()
                ));
                lines.extend(why.map(|line| format!("    {line}")));
            }
        }
        let count = |model: Option<&str>| {
            let cases = self
                .cases
                .iter()
                .filter(|c| model.is_none_or(|m| c.model == m));
            let (passed, failed): (Vec<&Outcome>, Vec<&Outcome>) =
                cases.partition(|c| c.failures.is_empty());
            (passed.len(), failed.len())
        };
        for model in &self.models {
            let (passed, failed) = count(Some(model));
            lines.push(format!("{model}: {passed} passed, {failed} failed"));
        }
        let (passed, failed) = count(None);
        lines.push(format!("endpoint tests: {passed} passed, {failed} failed"));
        lines
    }

    fn failed(&self) -> bool {
        self.cases.iter().any(|c| !c.failures.is_empty())
    }
}

/// A service's generated program, waiting to be built.
struct Pending {
    /// The case outcomes it reports on: indexes into [`Report::cases`] by case index.
    outcomes: BTreeMap<usize, usize>,
    /// The operation of each (case, input) the program runs.
    inputs: BTreeMap<(usize, usize), String>,
    /// The service's cases, for their expectations.
    cases: Vec<Case>,
    runner: endpoint_inputs::Runner,
}

/// Loads each model, runs its cases' params in-process, and its operation inputs through the
/// generated code (unless `params_only`), built in the workspace `scratch`.
pub fn run_models(
    workspace: &Path,
    scratch: &Path,
    paths: &[PathBuf],
    params_only: bool,
) -> Result<Report, String> {
    let started = Instant::now();
    let partitions = partitions_text(workspace)?;
    Partitions::from_json(&partitions).map_err(|e| format!("the partition table: {e}"))?;
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
        files.extend(crate::ast::model_files(path)?);
    }
    let runtime = path_text(&workspace.join("runtime"))?;
    let mut report = Report::default();
    let mut pending: Vec<Pending> = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for file in &files {
        let name = file.display().to_string();
        let bytes =
            std::fs::read(file).map_err(|e| format!("{name}: cannot read the model: {e}"))?;
        let model = smithy_codegen::load(&name, &bytes).map_err(|e| crate::ast::report(&e))?;
        report.models.push(name.clone());
        for service in model.services().filter(|s| s.has_trait(ENDPOINT_TESTS)) {
            let id = service.id.clone();
            let cases = service
                .traits
                .get(ENDPOINT_TESTS)
                .map(endpoint_tests::cases)
                .transpose()
                .map_err(|e| format!("{name}: {id}: smithy.rules#endpointTests: {e}"))?
                .unwrap_or_default();
            let rules = match service.traits.get(RULE_SET) {
                Some(rules) => Partitions::from_json(&partitions)
                    .map_err(|e| format!("the partition table: {e}"))
                    .and_then(|p| {
                        RuleSet::compile(rules, p)
                            .map_err(|e| format!("the ruleset is refused: {e}"))
                    }),
                None => Err("the service has no smithy.rules#endpointRuleSet".to_owned()),
            };
            let first = report.cases.len();
            for (index, case) in cases.iter().enumerate() {
                let failures = match &rules {
                    Ok(rules) => params_failure(rules, case).into_iter().collect(),
                    Err(why) => vec![why.clone()],
                };
                report.cases.push(Outcome {
                    model: name.clone(),
                    service: id.clone(),
                    index,
                    documentation: case.documentation.clone(),
                    failures,
                });
            }
            if params_only || rules.is_err() || cases.iter().all(|c| c.operation_inputs.is_empty())
            {
                continue;
            }
            let inputs: Vec<InputCase<'_>> = cases
                .iter()
                .enumerate()
                .flat_map(|(case, c)| {
                    c.operation_inputs
                        .iter()
                        .enumerate()
                        .map(move |(input, i)| InputCase {
                            case,
                            input,
                            operation_name: &i.operation_name,
                            operation_params: &i.operation_params,
                            built_in_params: &i.built_in_params,
                            client_params: &i.client_params,
                        })
                })
                .collect();
            let settings = Settings {
                version: None,
                crate_name: Some(unique_crate_name(&id, &mut taken)),
                runtime_path: runtime.clone(),
                standalone: false,
                service: Some(id.clone()),
                partitions: Some(partitions.clone()),
            };
            let outcomes: BTreeMap<usize, usize> =
                (0..cases.len()).map(|i| (i, first + i)).collect();
            let generated = endpoint_inputs::runner(&model, &settings, &inputs);
            let runs: Vec<((usize, usize), String)> = inputs
                .iter()
                .map(|i| ((i.case, i.input), i.operation_name.to_owned()))
                .collect();
            drop(inputs);
            let mut fail = |case: usize, why: String| {
                if let Some(outcome) = outcomes.get(&case).and_then(|o| report.cases.get_mut(*o)) {
                    outcome.failures.push(why);
                }
            };
            match generated {
                Ok(runner) => {
                    for ((case, input), why) in &runner.problems {
                        let operation = runs
                            .iter()
                            .find(|(at, _)| *at == (*case, *input))
                            .map_or("", |(_, op)| op.as_str());
                        fail(
                            *case,
                            format!("operationInputs[{input}] {operation}: {why}"),
                        );
                    }
                    let inputs = runs
                        .into_iter()
                        .filter(|(at, _)| !runner.problems.iter().any(|(p, _)| p == at))
                        .collect();
                    pending.push(Pending {
                        outcomes,
                        inputs,
                        cases,
                        runner,
                    });
                }
                Err(e) => {
                    for ((case, input), _) in runs {
                        fail(
                            case,
                            format!("operationInputs[{input}]: generating {id} failed: {e}"),
                        );
                    }
                }
            }
        }
        // One model in memory at a time.
        drop(model);
    }
    let in_process = started.elapsed();
    let total_inputs: usize = pending.iter().map(|p| p.inputs.len()).sum();
    if !pending.is_empty() {
        eprintln!(
            "endpoint-tests: params resolved in {:.1}s; {total_inputs} operation inputs of {} service(s) generated, building in {}",
            in_process.as_secs_f64(),
            pending.len(),
            scratch.display()
        );
        let built = build(workspace, scratch, &runtime, &pending)?;
        for p in &pending {
            let package = runner_package(&p.runner.krate.crate_name);
            let results = match built.executables.get(&package) {
                Some(exe) => run_program(exe),
                None => Err(format!("the program did not build:\n{}", built.diagnostics)),
            };
            record(&mut report, p, results);
        }
    }
    eprintln!(
        "endpoint-tests: done in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(report)
}

/// Why a case's params do not give what it expects, if they do not.
fn params_failure(rules: &RuleSet, case: &Case) -> Option<String> {
    let outcome = endpoint_tests::resolve_json(rules, &case.params)
        .and_then(|result| endpoint_tests::check(&result, &case.expect));
    outcome.err().map(|why| format!("params: {why}"))
}

/// Records what a service's program printed: each input's result checked against its case.
fn record(
    report: &mut Report,
    p: &Pending,
    results: Result<BTreeMap<(usize, usize), endpoint_inputs::InputOutcome>, String>,
) {
    for ((case, input), operation) in &p.inputs {
        let Some(outcome) = p.outcomes.get(case).and_then(|i| report.cases.get_mut(*i)) else {
            continue;
        };
        let why = match &results {
            Err(why) => Some(why.clone()),
            Ok(results) => match results.get(&(*case, *input)) {
                None => Some("the program printed no result for it".to_owned()),
                Some(Err(why)) => Some(why.clone()),
                Some(Ok(result)) => match p.cases.get(*case) {
                    Some(c) => endpoint_tests::check(result, &c.expect).err(),
                    None => Some("internal error: the case is missing".to_owned()),
                },
            },
        };
        if let Some(why) = why {
            outcome
                .failures
                .push(format!("operationInputs[{input}] {operation}: {why}"));
        }
    }
}

/// A package name for a service's crate, unique among `taken`: `et_` and its shape ID in
/// snake case.
fn unique_crate_name(service: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut base = String::from("et_");
    for c in service.chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.ends_with('_') {
            base.push('_');
        }
    }
    let base = base.trim_end_matches('_').to_owned();
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The package of a service's program.
fn runner_package(crate_name: &str) -> String {
    format!("{}-cases", crate_name.replace('_', "-"))
}


/// What the build gave: each program's executable by package, and the compiler's errors.
struct Built {
    executables: BTreeMap<String, PathBuf>,
    diagnostics: String,
}

/// Writes the scratch workspace (a crate and a program package per service) and builds it,
/// every package that compiles even when another does not.
fn build(
    workspace: &Path,
    scratch: &Path,
    runtime: &str,
    pending: &[Pending],
) -> Result<Built, String> {
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("{}: cannot create folder: {e}", scratch.display()))?;
    let mut members = Vec::new();
    for p in pending {
        let krate = &p.runner.krate;
        let dir = format!("crates/{}", krate.crate_name);
        crate::write::write_crate(&scratch.join(&dir), &krate.files)?;
        members.push(dir.clone());
        let package = runner_package(&krate.crate_name);
        let mut files = BTreeMap::new();
        files.insert(
            "Cargo.toml".to_owned(),
            format!(
                "# Written by `cargo xtask endpoint-tests`; scratch.\n[package]\nname = \"{package}\"\n\
                 version = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
                 smithy-runtime = {{ path = {}, features = [\"endpoint\"] }}\n{} = {{ path = {} }}\n",
                toml_string(runtime),
                krate.crate_name,
                toml_string(&format!("../../{dir}"))
            ),
        );
        files.insert("src/main.rs".to_owned(), p.runner.main.clone());
        let runner_dir = format!("programs/{}", krate.crate_name);
        crate::write::write_crate(&scratch.join(&runner_dir), &files)?;
        members.push(runner_dir);
    }
    let members: Vec<String> = members.iter().map(|m| toml_string(m)).collect();
    let root = format!(
        "# Written by `cargo xtask endpoint-tests`; scratch, not part of the repository.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    write_if_changed(&scratch.join("Cargo.toml"), &root)?;
    // Start from the workspace's lock file so that no registry lookup is needed.
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        if let Ok(text) = std::fs::read_to_string(workspace.join("Cargo.lock")) {
            write_if_changed(&lock, &text)?;
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .arg("build")
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .args([
            "--workspace",
            "--bins",
            "--keep-going",
            "--message-format=json-render-diagnostics",
        ])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    let mut executables = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message.get("reason").and_then(Value::as_str) != Some("compiler-artifact") {
            continue;
        }
        let exe = message.get("executable").and_then(Value::as_str);
        let package = message
            .get("target")
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str);
        if let (Some(exe), Some(package)) = (exe, package) {
            executables.insert(package.to_owned(), PathBuf::from(exe));
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim_start().starts_with("Compiling") && !l.trim().is_empty())
        .take(80)
        .collect();
    Ok(Built {
        executables,
        diagnostics: errors.join("\n"),
    })
}

/// Runs a program and reads its lines.
fn run_program(
    exe: &Path,
) -> Result<BTreeMap<(usize, usize), endpoint_inputs::InputOutcome>, String> {
    let output = Command::new(exe)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let mut results = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let (at, result) = endpoint_inputs::read_line(line)?;
        results.insert(at, result);
    }
    if !output.status.success() && results.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} failed ({}): {}",
            exe.display(),
            output.status,
            stderr.lines().last().unwrap_or_default()
        ));
    }
    Ok(results)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}
