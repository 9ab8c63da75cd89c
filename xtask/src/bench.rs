//! `cargo xtask bench [gen|parse|build|decode|resolve|sign|all]`: benchmarks anyone can rerun,
//! printed as one Markdown table per part and, with `--write`, kept in `BENCHMARKS.md`.
//!
//! - `gen`: loads, validates and generates the ECR model and every model of the corpus
//!   folder in this process, each beside the time to parse the same bytes with
//!   `serde_json::from_slice::<Value>` (the floor). Needs a release build: run from a debug
//!   build, the command re-runs itself with `cargo run --release`.
//! - `parse`: loads the AWS protocol test suite from its Smithy IDL files (all of them, into
//!   one `Loader`) beside loading it from its JSON AST, both from memory, in this process
//!   (release, like `gen`); the target is the IDL within 2x of the JSON AST.
//! - `build`: what a user pays for the generated ECR crate: its lines, and cold `cargo build`s
//!   (debug and release) of a scratch crate depending on it, under `target/bench/`.
//! - `resolve`: endpoint resolution beside aws-sdk's resolvers (`bench_resolve.rs`).
//! - `sign`: SigV4 signing beside the `aws-sigv4` crate (`bench_sign.rs`).
//! - `decode`: runs `cargo bench -p ecr-tests --bench decode` (`ecr-tests/benches/decode.rs`),
//!   the generated error decoders beside `#[derive(Deserialize)]` baselines.
//!
//! Each part's section of `BENCHMARKS.md` sits between `<!-- bench:NAME -->` and
//! `<!-- /bench:NAME -->`; `--write` replaces the sections of the parts that ran and keeps the
//! rest of the file.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use smithy_codegen::Settings;
use smithy_runtime::Timestamp;

use crate::manifest;
use crate::{no_value, set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask bench [gen|parse|build|decode|resolve|sign|all] [--write] [--runs N] [--models DIR]

Benchmarks, printed as one Markdown table per part (default: all parts):
  gen     load, validate and generate ECR and every model of DIR in-process, beside the
          time serde_json takes to parse the same bytes (the floor), and the ratio
  parse   load the AWS protocol test suite from Smithy IDL (every .smithy file under the
          `idl` folder beside the suite's JSON AST, read into memory first, then parsed and
          assembled by one Loader) beside loading its JSON AST (also from memory), in
          turns; medians, the ratio IDL / JSON (target: within 2x) and each side's shapes
  build   lines of generated/ecr, and cold `cargo build` and `cargo build --release` of a
          scratch crate depending on it (target/bench/ecr-user): crates compiled, wall
          time, peak memory; plus `cargo tree`'s count of dependency crates; and, side by
          side in the same run, cold debug builds of a crate depending on aws-sdk-ecr
          1.138.0 (target/bench/sdk-user, fetched from crates.io once)
  decode  `cargo bench -p ecr-tests --bench decode`: ECR outputs (DescribeImages,
          DescribeImageScanFindings, 1,000 entries each) and error decoders beside
          `#[derive(serde::Deserialize)]` baselines decoding the same input
  resolve endpoint resolution (ECR for a region, S3 with a virtual-hosted bucket) by the
          generated crates beside aws-sdk-ecr's and aws-sdk-s3's `DefaultResolver` on the same
          params, in one release-built scratch crate (target/bench/resolve, the SDK crates
          fetched from crates.io once); and the first resolution in fresh processes
  sign    SigV4 signing of an ECR DescribeImages and a 1 MiB S3 PutObject by the runtime's
          `sigv4::sign` beside the aws-sigv4 crate on the same request, in one release-built
          scratch crate (target/bench/sign, aws-sigv4 fetched from crates.io once)

`gen` and `parse` measure a release build: from a debug build (plain `cargo xtask`) they
re-run themselves as `cargo run --release -p xtask -- bench ...`. Figures are medians; the
machine, date and rustc version are printed with them. `parse` reads the suite from
$SMITHY_PROTOCOL_TESTS, else from ../shared/protocol-tests/aws-protocol-tests.json, and the
IDL from the `idl` folder beside it.

Options:
      --write       also write the parts' sections into BENCHMARKS.md (other parts'
                    sections are kept)
      --runs N      repetitions of each measurement (default: 10 for ECR generation, 3 for
                    the whole corpus and for each cold build, 31 for each side of parse)
      --models DIR  the corpus folder (default: $SMITHY_MODELS_DIR, else ../shared/models/aws)
  -h, --help        print this help
";

/// The benchmark file, relative to the workspace.
const REPORT: &str = "BENCHMARKS.md";
/// The scratch crate of the `build` part, relative to the workspace.
const SCRATCH: &str = "target/bench/ecr-user";
/// Set in the release re-run, so that it never re-runs itself again.
const REEXEC_VAR: &str = "XTASK_BENCH_RELEASE";

/// aws-sdk-ecr 1.138.0 (smithy-rs): its generated lines (from the issue). Its build is
/// measured here, side by side with ours, by a scratch crate depending on it from crates.io.
mod reference {
    pub const LINES: usize = 100_285;
    /// The version compared with.
    pub const VERSION: &str = "1.138.0";
}

/// The scratch crate depending on aws-sdk-ecr, relative to the workspace.
const SDK_SCRATCH: &str = "target/bench/sdk-user";

const SDK_MAIN: &str = "\
//! Written by `cargo xtask bench build`: a user of aws-sdk-ecr, for comparison.
fn main() {
    let id = aws_sdk_ecr::types::ImageIdentifier::builder().image_tag(\"latest\").build();
    println!(\"{id:?}\");
}
";

/// Targets of the issue.
const ECR_TARGET: Duration = Duration::from_millis(100);
const CORPUS_TARGET: Duration = Duration::from_secs(10);
const DECODE_TARGET: f64 = 1.5;
/// Decoding a whole success response into the output, against the derived baseline.
const OUTPUT_DECODE_TARGET: f64 = 1.2;
/// Loading the protocol test suite from IDL, against loading it from the JSON AST.
const PARSE_TARGET: f64 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Gen,
    Parse,
    Build,
    Decode,
    Resolve,
    Sign,
}

impl Part {
    const ALL: [Part; 6] = [
        Part::Gen,
        Part::Parse,
        Part::Build,
        Part::Decode,
        Part::Resolve,
        Part::Sign,
    ];

    fn name(self) -> &'static str {
        match self {
            Part::Gen => "gen",
            Part::Parse => "parse",
            Part::Build => "build",
            Part::Decode => "decode",
            Part::Resolve => "resolve",
            Part::Sign => "sign",
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    parts: Vec<Part>,
    write: bool,
    runs: Option<usize>,
    pub(crate) models: Option<PathBuf>,
}

fn parse(args: &[OsString]) -> Result<Options, Stop> {
    let mut options = Options::default();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Positional(part) => {
                let parts: &[Part] = match part.to_str() {
                    Some("all") => &Part::ALL,
                    Some("gen") => &[Part::Gen],
                    Some("parse") => &[Part::Parse],
                    Some("build") => &[Part::Build],
                    Some("decode") => &[Part::Decode],
                    Some("resolve") => &[Part::Resolve],
                    Some("sign") => &[Part::Sign],
                    _ => {
                        return Err(Stop::Usage(format!(
                            "unknown part `{}`: expected gen, parse, build, decode, resolve, sign or all",
                            part.to_string_lossy()
                        )))
                    }
                };
                options.parts.extend_from_slice(parts);
            }
            Arg::Flag { name, inline } => match name.as_str() {
                "--write" => {
                    no_value(&name, &inline)?;
                    options.write = true;
                }
                "--runs" => {
                    let runs = args.string_value(&name, inline)?;
                    let runs = runs
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| {
                            Stop::Usage(format!("`--runs` needs a positive number, not `{runs}`"))
                        })?;
                    set_once(&mut options.runs, &name, runs)?;
                }
                "--models" => {
                    let dir = PathBuf::from(args.value(&name, inline)?);
                    set_once(&mut options.models, &name, dir)?;
                }
                _ => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            },
        }
    }
    if options.parts.is_empty() {
        options.parts.extend_from_slice(&Part::ALL);
    }
    options.parts.sort();
    options.parts.dedup();
    Ok(options)
}

/// One part's results: a Markdown section, printed and optionally written to the report.
struct Section {
    part: Part,
    text: String,
}

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let options = parse(args)?;
    if cfg!(debug_assertions)
        && (options.parts.contains(&Part::Gen) || options.parts.contains(&Part::Parse))
        && std::env::var_os(REEXEC_VAR).is_none()
    {
        return rerun_in_release(args);
    }
    let workspace = manifest::workspace_root();
    let machine = Machine::describe();
    println!("{}\n", machine.line());
    let mut sections = Vec::new();
    let mut errors = Vec::new();
    for &part in &options.parts {
        let load = load_average();
        let result = match part {
            Part::Gen => bench_gen(&workspace, &options),
            Part::Parse => bench_parse(&workspace, &options),
            Part::Build => bench_build(&workspace, &options),
            Part::Decode => bench_decode(&workspace),
            Part::Resolve => crate::bench_resolve::bench_resolve(&workspace, &options),
            Part::Sign => crate::bench_sign::bench_sign(&workspace),
        };
        match result {
            Ok(body) => {
                let text = format!("{}\n{body}", machine.section_header(part, &load));
                println!("{text}");
                sections.push(Section { part, text });
            }
            Err(error) => errors.push(format!("bench {}: {error}", part.name())),
        }
    }
    if options.write && !sections.is_empty() {
        let path = workspace.join(REPORT);
        let old = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => TEMPLATE.to_owned(),
            Err(e) => return Err(Stop::error(format!("{}: cannot read: {e}", path.display()))),
        };
        let new = update_report(&old, &sections).map_err(Stop::error)?;
        std::fs::write(&path, new)
            .map_err(|e| Stop::error(format!("{}: cannot write: {e}", path.display())))?;
        eprintln!("wrote {}", path.display());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Stop::Errors(errors))
    }
}

/// Runs `cargo run --release -p xtask -- bench ARGS` and reports its outcome as ours.
fn rerun_in_release(args: &[OsString]) -> Result<(), Stop> {
    eprintln!("note: timing the generator and the parsers needs a release build; running `cargo run --release -p xtask -- bench ...`");
    let status = Command::new(cargo())
        .current_dir(manifest::workspace_root())
        .args(["run", "--release", "--quiet", "-p", "xtask", "--", "bench"])
        .args(args)
        .env(REEXEC_VAR, "1")
        .status()
        .map_err(|e| Stop::error(format!("cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Stop::Reported)
    }
}

pub(crate) fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

// ---------------------------------------------------------------------------------------------
// The machine.

struct Machine {
    cpus: usize,
    cpu_model: String,
    ram: String,
    rustc: String,
    date: String,
}

impl Machine {
    fn describe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let rustc = Command::new(rustc)
            .arg("--version")
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .filter(|version| !version.is_empty())
            .unwrap_or_else(|| "rustc (version unknown)".into());
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        Machine {
            cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model: cpu_model(&cpuinfo).unwrap_or_else(|| "unknown CPU".into()),
            ram: mem_total_kib(&meminfo).map_or_else(
                || "RAM unknown".into(),
                |kib| format!("{} GiB RAM", gib(kib)),
            ),
            rustc,
            date: civil_date(now.as_secs()),
        }
    }

    fn line(&self) -> String {
        format!(
            "{} CPUs ({}), {}, {}, {}",
            self.cpus, self.cpu_model, self.ram, self.rustc, self.date
        )
    }

    /// The section's title and what was measured where; `load` is the load average when the
    /// part started.
    fn section_header(&self, part: Part, load: &str) -> String {
        let (title, command) = match part {
            Part::Gen => (
                "Generation",
                "`cargo xtask bench gen` (which re-runs itself as \
                 `cargo run --release -p xtask -- bench gen`)",
            ),
            Part::Parse => (
                "Parsing: Smithy IDL beside the JSON AST",
                "`cargo xtask bench parse` (which re-runs itself as \
                 `cargo run --release -p xtask -- bench parse`)",
            ),
            Part::Build => (
                "What a user pays for the generated crate",
                "`cargo xtask bench build`",
            ),
            Part::Decode => ("Decoding", "`cargo xtask bench decode`"),
            Part::Resolve => ("Endpoint resolution", "`cargo xtask bench resolve`"),
            Part::Sign => ("Signing", "`cargo xtask bench sign`"),
        };
        format!(
            "## {title}\n\nMeasured {} on {} CPUs ({}), {}, with {}, by {command}; load average \
             {load} when it started.\n",
            self.date, self.cpus, self.cpu_model, self.ram, self.rustc
        )
    }
}

/// The 1-minute load average (`/proc/loadavg`), or `unknown`: our machines are shared.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// The time the calling thread has spent on a CPU (`/proc/thread-self/schedstat`), which,
/// unlike wall time, does not grow when other processes take the CPUs.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

fn mem_total_kib(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemTotal:")?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

fn gib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / (1024.0 * 1024.0))
}

/// `YYYY-MM-DD` (UTC) of a Unix time, by the runtime's calendar.
fn civil_date(secs: u64) -> String {
    Timestamp::from_epoch_seconds(i64::try_from(secs).unwrap_or(i64::MAX)).to_date_string()
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

fn median<T: Copy + Ord>(values: &mut [T]) -> Option<T> {
    values.sort();
    values.get(values.len() / 2).copied()
}

fn ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn secs(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

fn thousands(n: usize) -> String {
    let digits: Vec<char> = n.to_string().chars().collect();
    let groups: Vec<String> = digits
        .rchunks(3)
        .rev()
        .map(|group| group.iter().collect())
        .collect();
    groups.join(",")
}

// ---------------------------------------------------------------------------------------------
// gen

/// One model's timings over the runs.
#[derive(Debug, Default)]
struct ModelTimes {
    floor: Vec<Duration>,
    load: Vec<Duration>,
    generate: Vec<Duration>,
    /// On-CPU time of load and generate together, when the system reports it.
    cpu: Vec<Duration>,
}

impl ModelTimes {
    fn total(&self, run: usize) -> Duration {
        self.load.get(run).copied().unwrap_or_default()
            + self.generate.get(run).copied().unwrap_or_default()
    }
}

/// The pinned partition table, found once by `bench_gen` before anything is generated.
static PARTITIONS: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn settings() -> Settings {
    Settings { version: None,
        crate_name: None,
        runtime_path: "../../runtime".into(),
        standalone: false,
        service: None,
        partitions: PARTITIONS.get().cloned(),
    }
}

/// Loads and generates every model on `threads` threads, each taking the next model (largest
/// first) when done with one; returns the wall time.
fn parallel_corpus(corpus: &[&(String, Vec<u8>)], threads: usize) -> Duration {
    let mut order: Vec<&(String, Vec<u8>)> = corpus.to_vec();
    order.sort_by_key(|(_, bytes)| std::cmp::Reverse(bytes.len()));
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let work = || {
                while let Some((name, bytes)) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Ok(model) = smithy_codegen::load(name, bytes) {
                        let _ = std::hint::black_box(smithy_codegen::generate(&model, &settings()));
                    }
                }
            };
            // The main thread's stack size, so that deep models behave as they do there.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                work();
            }
        }
    });
    started.elapsed()
}

/// Times one parse of `bytes` into a `serde_json::Value`, one load and one generation.
fn time_model(file: &str, bytes: &[u8], times: &mut ModelTimes) -> Result<usize, String> {
    let started = Instant::now();
    let value = serde_json::from_slice::<serde_json::Value>(bytes);
    let floor = started.elapsed();
    drop(std::hint::black_box(value));

    let cpu_started = thread_cpu_time();
    let started = Instant::now();
    let model = smithy_codegen::load(file, bytes);
    let load = started.elapsed();
    let model = model.map_err(|e| e.to_string())?;

    let started = Instant::now();
    let krate = smithy_codegen::generate(&model, &settings());
    let generate = started.elapsed();
    let cpu = cpu_started
        .zip(thread_cpu_time())
        .map(|(a, b)| b.saturating_sub(a));
    let krate = krate.map_err(|e| e.to_string())?;

    times.floor.push(floor);
    times.load.push(load);
    times.generate.push(generate);
    times.cpu.extend(cpu);
    Ok(crate::write::line_count(&krate.files))
}

pub(crate) fn default_models_dir(workspace: &Path) -> PathBuf {
    match std::env::var_os(manifest::MODELS_DIR_VAR).filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => workspace
            .parent()
            .unwrap_or(workspace)
            .join("shared/models/aws"),
    }
}

fn bench_gen(workspace: &Path, options: &Options) -> Result<String, String> {
    // ECR: the pinned model of the manifest.
    let manifest = manifest::read(workspace)?;
    let entry = manifest
        .models
        .iter()
        .find(|entry| entry.out == "generated/ecr")
        .ok_or("models/manifest.json pins no model for generated/ecr")?;
    let dirs = crate::fetch::search_dirs(
        workspace,
        std::env::var_os(manifest::MODELS_DIR_VAR).as_deref(),
    );
    let (_, ecr_bytes) = crate::fetch::find_model(entry, &dirs, workspace)?;
    if PARTITIONS.get().is_none() {
        let _ = PARTITIONS.set(crate::fetch::partitions(workspace, &manifest)?);
    }
    let ecr_runs = options.runs.unwrap_or(10);
    eprintln!("gen: ECR, {ecr_runs} runs");
    let mut ecr = ModelTimes::default();
    // One untimed warm-up run.
    time_model(&entry.file, &ecr_bytes, &mut ModelTimes::default())?;
    let mut ecr_lines = 0;
    for _ in 0..ecr_runs {
        ecr_lines = time_model(&entry.file, &ecr_bytes, &mut ecr)?;
    }

    // The corpus: every model, read into memory first.
    let dir = options
        .models
        .clone()
        .unwrap_or_else(|| default_models_dir(workspace));
    let files = crate::corpus::list_models(&dir)?;
    if files.is_empty() {
        return Err(format!("{}: no *.json models", dir.display()));
    }
    let mut corpus = Vec::new();
    for path in &files {
        let bytes =
            std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        corpus.push((name, bytes));
    }
    let corpus_runs = options.runs.unwrap_or(3);
    eprintln!(
        "gen: {} models of {}, {corpus_runs} runs",
        corpus.len(),
        dir.display()
    );
    let mut times: Vec<ModelTimes> = corpus.iter().map(|_| ModelTimes::default()).collect();
    let mut failures = BTreeMap::new();
    let mut corpus_lines = 0;
    for run in 0..corpus_runs {
        corpus_lines = 0;
        for ((name, bytes), times) in corpus.iter().zip(&mut times) {
            match time_model(name, bytes, times) {
                Ok(lines) => corpus_lines += lines,
                Err(error) => {
                    if run == 0 {
                        eprintln!("gen: {name}: {error}");
                    }
                    failures.insert(name.clone(), error);
                }
            }
        }
    }
    let ok: Vec<usize> = (0..corpus.len())
        .filter(|&i| !failures.contains_key(&corpus[i].0))
        .collect();
    let per_run = |pick: &dyn Fn(&ModelTimes, usize) -> Duration| -> Duration {
        let mut sums: Vec<Duration> = (0..corpus_runs)
            .map(|run| ok.iter().map(|&i| pick(&times[i], run)).sum())
            .collect();
        median(&mut sums).unwrap_or_default()
    };
    let at = |list: &[Duration], run: usize| list.get(run).copied().unwrap_or_default();
    let corpus_floor = per_run(&|t, run| at(&t.floor, run));
    let corpus_load = per_run(&|t, run| at(&t.load, run));
    let corpus_generate = per_run(&|t, run| at(&t.generate, run));
    let corpus_total = per_run(&|t, run| t.total(run));
    let corpus_bytes: usize = ok.iter().map(|&i| corpus[i].1.len()).sum();

    let ecr_floor = median(&mut ecr.floor.clone()).unwrap_or_default();
    let ecr_load = median(&mut ecr.load.clone()).unwrap_or_default();
    let ecr_generate = median(&mut ecr.generate.clone()).unwrap_or_default();
    let mut ecr_totals: Vec<Duration> = (0..ecr_runs).map(|run| ecr.total(run)).collect();
    let ecr_total = median(&mut ecr_totals).unwrap_or_default();

    let cpu_of = |times: &ModelTimes| {
        let mut cpu = times.cpu.clone();
        median(&mut cpu)
    };
    let ecr_cpu = cpu_of(&ecr);
    let corpus_cpu = (ok.iter().all(|&i| times[i].cpu.len() == corpus_runs))
        .then(|| per_run(&|t, run| at(&t.cpu, run)));

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "gen: {} models on {threads} threads, {corpus_runs} runs",
        ok.len()
    );
    let ok_models: Vec<&(String, Vec<u8>)> = ok.iter().map(|&i| &corpus[i]).collect();
    let mut parallel: Vec<Duration> = (0..corpus_runs)
        .map(|_| parallel_corpus(&ok_models, threads))
        .collect();
    let parallel = median(&mut parallel).unwrap_or_default();

    let cpu_text = |cpu: Option<Duration>| cpu.map_or_else(|| "n/a".into(), ms);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "In-process, release build; medians of {ecr_runs} runs (ECR) and {corpus_runs} runs \
         (corpus: the median of the per-run sums). \"serde_json floor\" is \
         `serde_json::from_slice::<serde_json::Value>` of the same bytes in the same process \
         (with `preserve_order`, as the generator's serde_json is built). \"load\" is \
         `smithy_codegen::load` (parse, prelude, mixins, `apply`); \"validate + generate\" is \
         `smithy_codegen::generate` (validation, lowering, emitting and formatting the files). \
         Times are wall-clock; \"CPU\" is the calling thread's on-CPU time for load + generate \
         (`/proc/thread-self/schedstat`): the generator formats chunks of items on worker \
         threads, whose time it does not count. The xtask runs on mimalloc. The ratio and the \
         target compare wall times.\n"
    );
    text.push_str(
        "| input | size | serde_json floor | load | validate + generate | total | CPU | total / floor | target | |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|---|\n",
    );
    let _ = writeln!(
        text,
        "| ECR ({}, {} generated lines), one model at a time | {:.1} MB | {} | {} | {} | **{}** | {} | {:.1}x | < {} | {} |",
        entry.file,
        thousands(ecr_lines),
        ecr_bytes.len() as f64 / 1e6,
        ms(ecr_floor),
        ms(ecr_load),
        ms(ecr_generate),
        ms(ecr_total),
        cpu_text(ecr_cpu),
        ratio(ecr_total, ecr_floor),
        ms(ECR_TARGET),
        verdict(ecr_total < ECR_TARGET),
    );
    let complete = failures.is_empty();
    let _ = writeln!(
        text,
        "| all {} models of `{}` ({} generated, {} lines), one model at a time | {:.1} MB | {} | {} | {} | **{}** | {} | {:.1}x | < {} | {} |",
        corpus.len(),
        display_dir(workspace, &dir),
        ok.len(),
        thousands(corpus_lines),
        corpus_bytes as f64 / 1e6,
        ms(corpus_floor),
        ms(corpus_load),
        ms(corpus_generate),
        ms(corpus_total),
        cpu_text(corpus_cpu),
        ratio(corpus_total, corpus_floor),
        secs(CORPUS_TARGET),
        verdict(corpus_total < CORPUS_TARGET && complete),
    );
    let _ = writeln!(
        text,
        "| the same {} models, {threads} threads (one model per thread at a time, largest first) | | | | | **{}** | | {:.1}x | < {} | {} |",
        ok.len(),
        ms(parallel),
        ratio(parallel, corpus_floor),
        secs(CORPUS_TARGET),
        verdict(parallel < CORPUS_TARGET && complete),
    );

    // The slowest models, by median total.
    let mut slowest: Vec<(usize, Duration)> = ok
        .iter()
        .map(|&i| {
            let mut totals: Vec<Duration> = (0..corpus_runs).map(|r| times[i].total(r)).collect();
            (i, median(&mut totals).unwrap_or_default())
        })
        .collect();
    slowest.sort_by_key(|&(_, total)| std::cmp::Reverse(total));
    text.push_str("\nThe five slowest models of the corpus (medians):\n\n");
    text.push_str(
        "| model | size | serde_json floor | total | total / floor |\n|---|---:|---:|---:|---:|\n",
    );
    for &(i, total) in slowest.iter().take(5) {
        let floor = median(&mut times[i].floor.clone()).unwrap_or_default();
        let _ = writeln!(
            text,
            "| {} | {:.1} MB | {} | {} | {:.1}x |",
            corpus[i].0,
            corpus[i].1.len() as f64 / 1e6,
            ms(floor),
            ms(total),
            ratio(total, floor)
        );
    }
    for (name, error) in &failures {
        let _ = writeln!(
            text,
            "\n**{name} failed to generate** (not counted above): {}",
            error.lines().next().unwrap_or("")
        );
    }
    Ok(text)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

/// `dir` relative to the workspace's parent when it lies there (`../shared/models/aws`).
fn display_dir(workspace: &Path, dir: &Path) -> String {
    match workspace
        .parent()
        .and_then(|parent| dir.strip_prefix(parent).ok())
    {
        Some(rest) => format!("../{}", rest.display()),
        None => dir.display().to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// parse

/// The `.smithy` files under `dir` and its subfolders, sorted by path.
fn smithy_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read =
            std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot read: {e}", dir.display()))?;
        for entry in read {
            let path = entry
                .map_err(|e| format!("{}: cannot read: {e}", dir.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "smithy") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Parses and assembles `files` (name, bytes) with one `Loader`.
fn load_all(files: &[(String, Vec<u8>)]) -> Result<smithy_codegen::Model, String> {
    let mut loader = smithy_codegen::Loader::new();
    for (name, bytes) in files {
        loader.add(name, bytes).map_err(|e| e.to_string())?;
    }
    loader.finish().map_err(|e| e.to_string())
}

/// Times [`load_all`] (wall-clock); the clock stops before the model is dropped.
///
/// No on-CPU time beside it, unlike `gen`: on our VMs `/proc/thread-self/schedstat` advances
/// once per 4 ms scheduler tick, too coarse for loads of 10 ms.
fn time_load(files: &[(String, Vec<u8>)]) -> Result<Duration, String> {
    let started = Instant::now();
    let model = load_all(files);
    let wall = started.elapsed();
    drop(std::hint::black_box(model?));
    Ok(wall)
}

/// How many shapes of `model` `other` lacks, and their namespaces with counts (the most
/// first), or `none`.
fn namespaces_missing(
    model: &smithy_codegen::Model,
    other: &smithy_codegen::Model,
) -> (usize, String) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let missing = model
        .shapes
        .keys()
        .filter(|id| !other.shapes.contains_key(*id));
    for id in missing {
        let namespace = id.split('#').next().unwrap_or(id);
        *counts.entry(namespace).or_default() += 1;
    }
    let total = counts.values().sum();
    let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
    list.sort_by_key(|&(namespace, n)| (std::cmp::Reverse(n), namespace));
    let text: Vec<String> = list.iter().map(|(ns, n)| format!("`{ns}` {n}")).collect();
    let text = if text.is_empty() {
        "none".to_owned()
    } else {
        text.join(", ")
    };
    (total, text)
}

/// Times `serde_json::from_slice::<Value>` of `bytes` (the floor), without the drop.
fn time_floor(bytes: &[u8]) -> Duration {
    let started = Instant::now();
    let value = serde_json::from_slice::<serde_json::Value>(bytes);
    let wall = started.elapsed();
    drop(std::hint::black_box(value));
    wall
}

fn bench_parse(workspace: &Path, options: &Options) -> Result<String, String> {
    let var = std::env::var_os(crate::protocol_tests::SUITE_VAR);
    let json_path = crate::protocol_tests::suite_path(workspace, var.as_deref())?;
    // Without `..` (the default is `../shared/...` from the workspace), for the report.
    let json_path = std::fs::canonicalize(&json_path).unwrap_or(json_path);
    let idl_dir = json_path
        .parent()
        .map(|dir| dir.join("idl"))
        .filter(|dir| dir.is_dir())
        .ok_or_else(|| {
            format!(
                "{}: no `idl` folder beside the suite's JSON AST",
                json_path.display()
            )
        })?;

    // Everything is read into memory first: only parsing and assembling is timed.
    let json_bytes = std::fs::read(&json_path)
        .map_err(|e| format!("{}: cannot read: {e}", json_path.display()))?;
    let json_name = json_path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let json = vec![(json_name, json_bytes)];
    let mut idl = Vec::new();
    for path in smithy_files(&idl_dir)? {
        let bytes =
            std::fs::read(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        // The path under `idl/`, so that errors name the file; it ends with `.smithy`, which
        // makes the Loader read it as IDL.
        let name = path.strip_prefix(&idl_dir).unwrap_or(&path);
        idl.push((name.to_string_lossy().into_owned(), bytes));
    }
    if idl.is_empty() {
        return Err(format!("{}: no *.smithy files", idl_dir.display()));
    }
    let idl_bytes: usize = idl.iter().map(|(_, bytes)| bytes.len()).sum();
    let json_size = json[0].1.len();

    let runs = options.runs.unwrap_or(31);
    eprintln!(
        "parse: {} IDL files of {} and {}, {runs} runs each",
        idl.len(),
        display_dir(workspace, &idl_dir),
        display_dir(workspace, &json_path)
    );
    // One untimed warm-up of each, which also checks that both load and compares their
    // shapes.
    let idl_model = load_all(&idl).map_err(|e| format!("loading the IDL: {e}"))?;
    let json_model = load_all(&json).map_err(|e| format!("loading the JSON AST: {e}"))?;
    let (idl_shapes, json_shapes) = (idl_model.shapes.len(), json_model.shapes.len());
    let common = idl_model
        .shapes
        .keys()
        .filter(|id| json_model.shapes.contains_key(*id))
        .count();
    let only_idl = namespaces_missing(&idl_model, &json_model);
    let only_json = namespaces_missing(&json_model, &idl_model);
    drop((idl_model, json_model));
    time_floor(&json[0].1);

    // The two sides take turns, the first of each run alternating, so that a change in the
    // machine's load falls on both.
    let (mut idl_runs, mut json_runs, mut floor_runs) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        if run % 2 == 0 {
            idl_runs.push(time_load(&idl)?);
            json_runs.push(time_load(&json)?);
        } else {
            json_runs.push(time_load(&json)?);
            idl_runs.push(time_load(&idl)?);
        }
        floor_runs.push(time_floor(&json[0].1));
    }
    // The median of the per-run ratios IDL / JSON.
    let mut ratios: Vec<f64> = idl_runs
        .iter()
        .zip(&json_runs)
        .map(|(&idl, &json)| ratio(idl, json))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let run_ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);

    struct Side {
        wall: Duration,
        low: Duration,
        high: Duration,
    }
    let side = |walls: &mut [Duration]| Side {
        wall: median(walls).unwrap_or_default(),
        low: walls.first().copied().unwrap_or_default(),
        high: walls.last().copied().unwrap_or_default(),
    };
    let (idl_side, json_side) = (side(&mut idl_runs), side(&mut json_runs));
    let floor = median(&mut floor_runs).unwrap_or_default();
    let per_shape = |time: Duration, shapes: usize| {
        format!("{:.2} µs", time.as_secs_f64() * 1e6 / shapes.max(1) as f64)
    };
    let per_shape_ratio =
        ratio(idl_side.wall, json_side.wall) * json_shapes as f64 / idl_shapes.max(1) as f64;

    let mut text = String::new();
    let _ = writeln!(
        text,
        "In-process, release build; medians of {runs} runs per side (range in brackets), the \
         two sides taking turns (which goes first alternates from run to run). Every file is \
         read into memory first; a run times only parsing and assembling (prelude, `apply`, \
         mixins, names resolved across files) with one `smithy_codegen::Loader`, the model's \
         drop excluded. IDL: every `.smithy` file under `{idl}`, all added to one `Loader`; \
         that folder also holds `smithy-protocol-tests` (the rpcv2Cbor and rpcv2Json cases), \
         which the JSON AST lacks, while the JSON AST holds the definitions of the traits the \
         suite uses (`smithy.test`, `aws.api`, ...), which the IDL folder lacks: the shapes \
         of each side are counted below the tables. JSON AST: `{json}` through the same \
         `Loader`, that is our JSON reader (serde_json, then the JSON AST to shapes). \
         \"shapes\" is `model.shapes.len()`, the prelude's included. \"serde_json floor\" is \
         `serde_json::from_slice::<serde_json::Value>` of the JSON AST's bytes. Times are \
         wall-clock only: the calling thread's on-CPU time (`/proc/thread-self/schedstat`, \
         which `gen` reports) advances in 4 ms scheduler ticks on our VMs, too coarse for \
         loads of 10 ms. The target compares the median of the per-run ratios IDL / JSON \
         (each run's two loads back to back), which the machine's load moves less than the \
         times.\n",
        idl = display_dir(workspace, &idl_dir),
        json = display_dir(workspace, &json_path),
    );
    text.push_str(
        "| input | files | size | shapes | load (parse + assemble) | per shape |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let _ = writeln!(
        text,
        "| Smithy IDL, one `Loader` | {} | {:.2} MB | {} | **{}** [{} - {}] | {} |",
        idl.len(),
        idl_bytes as f64 / 1e6,
        thousands(idl_shapes),
        ms(idl_side.wall),
        ms(idl_side.low),
        ms(idl_side.high),
        per_shape(idl_side.wall, idl_shapes),
    );
    let _ = writeln!(
        text,
        "| JSON AST, same `Loader` (our JSON reader) | 1 | {:.2} MB | {} | **{}** [{} - {}] | {} |",
        json_size as f64 / 1e6,
        thousands(json_shapes),
        ms(json_side.wall),
        ms(json_side.low),
        ms(json_side.high),
        per_shape(json_side.wall, json_shapes),
    );
    let _ = writeln!(
        text,
        "| serde_json floor: the JSON AST's bytes to a `Value` | 1 | {:.2} MB | | {} | |",
        json_size as f64 / 1e6,
        ms(floor),
    );
    text.push_str("\n| ratio | measured | target | |\n|---|---:|---|---|\n");
    let _ = writeln!(
        text,
        "| IDL / JSON AST, median of the per-run ratios | **{run_ratio:.2}x** | <= {PARSE_TARGET:.1}x | {} |",
        verdict(run_ratio <= PARSE_TARGET),
    );
    let _ = writeln!(
        text,
        "| IDL / JSON AST, ratio of the medians | {:.2}x | | |",
        ratio(idl_side.wall, json_side.wall),
    );
    let _ = writeln!(
        text,
        "| IDL / JSON AST, per shape ({} against {} shapes) | {per_shape_ratio:.2}x | | |",
        thousands(idl_shapes),
        thousands(json_shapes),
    );
    let _ = writeln!(
        text,
        "| JSON AST load / serde_json floor | {:.2}x | | |",
        ratio(json_side.wall, floor),
    );
    let _ = writeln!(
        text,
        "\nThe two models share {} shapes. Only in the IDL: {} ({}). Only in the JSON AST: {} \
         ({}).",
        thousands(common),
        thousands(only_idl.0),
        only_idl.1,
        thousands(only_json.0),
        only_json.1,
    );
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// build

const SCRATCH_MAIN: &str = "\
//! Written by `cargo xtask bench build`: a user of the generated ECR crate.
use smithy_runtime::http::HttpResponse;

use smithy_runtime::operation::Operation;

fn main() {
    let body = std::env::args().nth(1).unwrap_or_default();
    let response = HttpResponse { status: 200, headers: &[], body: body.as_bytes() };
    match ecr::operations::StartImageScan::decode_response(&response) {
        Ok(output) => println!(\"{output:?}\"),
        Err(error) => println!(\"{error}\"),
    }
}
";

fn scratch_manifest(ecr: &str, runtime: &str) -> String {
    format!(
        "# Written by `cargo xtask bench build`: a crate depending on the generated ECR crate.\n\
         [package]\nname = \"ecr-user\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\necr = {{ path = \"{ecr}\" }}\nsmithy-runtime = {{ path = \"{runtime}\" }}\n\n\
         [workspace]\n"
    )
}

/// One cold build.
#[derive(Debug, Clone, Copy)]
struct BuildRun {
    wall: Duration,
    compiled: usize,
    /// `Maximum resident set size` of `/usr/bin/time -v`: the largest single process.
    max_rss_kib: Option<u64>,
    /// User + system CPU time of cargo and all the processes it waited for (`/usr/bin/time`).
    cpu: Option<Duration>,
    /// The largest sum of the RSS of cargo and all its descendants, sampled every 50 ms.
    tree_rss_kib: Option<u64>,
}

fn bench_build(workspace: &Path, options: &Options) -> Result<String, String> {
    let scratch = workspace.join(SCRATCH);
    std::fs::create_dir_all(scratch.join("src"))
        .map_err(|e| format!("{}: cannot create: {e}", scratch.display()))?;
    let ecr = crate::codegen::relative_path(&scratch, &workspace.join("generated/ecr"))
        .ok_or("no relative path from target/bench to generated/ecr")?;
    let runtime = crate::codegen::relative_path(&scratch, &workspace.join("runtime"))
        .ok_or("no relative path from target/bench to runtime")?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
    };
    write(
        scratch.join("Cargo.toml"),
        &scratch_manifest(&ecr, &runtime),
    )?;
    write(scratch.join("src/main.rs"), SCRATCH_MAIN)?;
    // The workspace's lock file, so that the dependencies are the versions the project uses.
    std::fs::copy(workspace.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", scratch.display()))?;

    let time_v = Path::new("/usr/bin/time");
    let time_v = (time_v.is_file()
        && Command::new(time_v)
            .args(["-v", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success()))
    .then_some(time_v);
    // aws-sdk-ecr from crates.io, fetched once (the only part of the benchmarks that needs
    // the network), then built cold alternately with ours.
    let sdk = workspace.join(SDK_SCRATCH);
    std::fs::create_dir_all(sdk.join("src")).map_err(|e| format!("{}: cannot create: {e}", sdk.display()))?;
    write(
        sdk.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench build`: a crate depending on aws-sdk-ecr.\n[package]\n\
             name = \"sdk-user\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\naws-sdk-ecr = \"={}\"\n\n[workspace]\n",
            reference::VERSION
        ),
    )?;
    write(sdk.join("src/main.rs"), SDK_MAIN)?;
    eprintln!("build: fetching aws-sdk-ecr {}", reference::VERSION);
    let fetched = Command::new(cargo())
        .arg("fetch")
        .current_dir(&sdk)
        .status()
        .map_err(|e| format!("cannot run cargo fetch: {e}"))?;
    if !fetched.success() {
        return Err(format!("cargo fetch of aws-sdk-ecr {} failed (it needs crates.io)", reference::VERSION));
    }

    let runs = options.runs.unwrap_or(3);
    let mut results: Vec<(&str, Vec<BuildRun>)> = Vec::new();
    let mut sdk_runs = Vec::new();
    for (label, release) in [("debug", false), ("release", true)] {
        let mut list = Vec::new();
        for run in 1..=runs {
            eprintln!(
                "build: cold `cargo build{}`, run {run} of {runs}",
                if release { " --release" } else { "" }
            );
            list.push(cold_build(&scratch, release, time_v)?);
            if !release {
                eprintln!("build: cold `cargo build` of aws-sdk-ecr, run {run} of {runs}");
                sdk_runs.push(cold_build(&sdk, false, time_v)?);
            }
        }
        results.push((label, list));
    }
    let mut sdk_walls: Vec<Duration> = sdk_runs.iter().map(|r| r.wall).collect();
    let sdk_wall = median(&mut sdk_walls).unwrap_or_default();
    let mut sdk_compiled: Vec<usize> = sdk_runs.iter().map(|r| r.compiled).collect();
    let sdk_compiled = median(&mut sdk_compiled).unwrap_or_default();
    let mut sdk_cpu: Vec<Duration> = sdk_runs.iter().filter_map(|r| r.cpu).collect();
    let sdk_cpu = median(&mut sdk_cpu);
    let tree = dependency_count(&scratch)?;

    let ecr_lines = count_lines(&workspace.join("generated/ecr"))?;
    let runtime_lines = count_lines(&workspace.join("runtime"))?;

    let mut text = String::new();
    let _ = writeln!(
        text,
        "A scratch crate (`{SCRATCH}`, its own target folder, deleted before each build) \
         depends on `generated/ecr` by path and decodes a response; another (`{SDK_SCRATCH}`) \
         depends on aws-sdk-ecr {} from crates.io with its default features, and the two are \
         built cold one after the other in the same run (debug). Cold means no compiled \
         artifact; the registry sources were already downloaded. Medians of {runs} builds \
         each (range in brackets). \"crates compiled\" counts cargo's `Compiling` lines; \
         \"peak RSS, largest process\" is `/usr/bin/time -v`'s maximum resident set size \
         (one process, in practice rustc on the ECR crate); \"peak RSS, all processes\" is the \
         largest sum over cargo and its descendants, sampled every 50 ms from /proc. \"CPU \
         time\" (from `/usr/bin/time -v`) is the work the build did, which unlike the wall time \
         does not grow much when other processes share the machine.\n",
        reference::VERSION
    );
    text.push_str(
        "| | ours | aws-sdk-ecr 1.138.0 (smithy-rs), same runs | target (lines and crates under a fifth, cold debug build under a tenth) | |\n|---|---:|---:|---:|---|\n",
    );
    let lines_target = reference::LINES / 5;
    let _ = writeln!(
        text,
        "| generated lines (`generated/ecr`, .rs + Cargo.toml) | {} | {} | < {} | {} |",
        thousands(ecr_lines),
        thousands(reference::LINES),
        thousands(lines_target),
        verdict(ecr_lines < lines_target)
    );
    for (label, list) in &results {
        let debug = *label == "debug";
        let mut walls: Vec<Duration> = list.iter().map(|r| r.wall).collect();
        let wall = median(&mut walls).unwrap_or_default();
        let (low, high) = (
            walls.first().copied().unwrap_or_default(),
            walls.last().copied().unwrap_or_default(),
        );
        let (sdk_text, target_text, met) = if debug {
            let range = format!(
                "{} [{} - {}]",
                secs(sdk_wall),
                secs(sdk_walls.first().copied().unwrap_or_default()),
                secs(sdk_walls.last().copied().unwrap_or_default())
            );
            let target = sdk_wall / 10;
            (range, format!("< {}", secs(target)), verdict(wall < target))
        } else {
            ("not measured".to_owned(), String::new(), "")
        };
        let _ = writeln!(
            text,
            "| cold `cargo build{}`: wall time | **{}** [{} - {}] | {sdk_text} | {target_text} | {met} |",
            if debug { "" } else { " --release" },
            secs(wall),
            secs(low),
            secs(high),
        );
        let mut compiled: Vec<usize> = list.iter().map(|r| r.compiled).collect();
        let compiled = median(&mut compiled).unwrap_or_default();
        let (sdk_text, target_text, met) = if debug {
            (sdk_compiled.to_string(), format!("< {}", sdk_compiled as f64 / 5.0), verdict(compiled * 5 < sdk_compiled))
        } else {
            (String::new(), String::new(), "")
        };
        let _ = writeln!(text, "| {label}: crates compiled | {compiled} | {sdk_text} | {target_text} | {met} |");
        let mut cpu: Vec<Duration> = list.iter().filter_map(|r| r.cpu).collect();
        let _ = writeln!(
            text,
            "| {label}: CPU time, user + system, all processes | {} | {} | | |",
            median(&mut cpu).map_or_else(|| "n/a".into(), secs),
            if debug { sdk_cpu.map_or_else(|| "n/a".into(), secs) } else { String::new() }
        );
        let mut max_rss: Vec<u64> = list.iter().filter_map(|r| r.max_rss_kib).collect();
        let mut tree_rss: Vec<u64> = list.iter().filter_map(|r| r.tree_rss_kib).collect();
        let mib = |kib: Option<u64>| {
            kib.map_or_else(|| "n/a".into(), |kib| format!("{} MiB", kib / 1024))
        };
        let _ = writeln!(
            text,
            "| {label}: peak RSS, largest process | {} | | | |",
            mib(median(&mut max_rss))
        );
        let _ = writeln!(
            text,
            "| {label}: peak RSS, all processes | {} | | | |",
            mib(median(&mut tree_rss))
        );
    }
    let _ = writeln!(
        text,
        "| dependency crates (`cargo tree`, the scratch crate excluded) | {tree} | | | |"
    );
    let _ = writeln!(
        text,
        "\nThe hand-written runtime (`runtime/`, .rs + Cargo.toml, tests included) that the \
         generated crate depends on is another {} lines; it is among the crates compiled above.",
        thousands(runtime_lines)
    );
    Ok(text)
}

/// Deletes the scratch crate's target folder and builds it, timing and measuring the build.
fn cold_build(scratch: &Path, release: bool, time_v: Option<&Path>) -> Result<BuildRun, String> {
    let target = scratch.join("target");
    match std::fs::remove_dir_all(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: cannot delete: {e}", target.display())),
    }
    let mut command = match time_v {
        Some(time_v) => {
            let mut command = Command::new(time_v);
            command.arg("-v").arg(cargo());
            command
        }
        None => Command::new(cargo()),
    };
    command.arg("build");
    if release {
        command.arg("--release");
    }
    command
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    let sampler = RssSampler::start(child.id());
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo build: {e}"))?;
    let wall = started.elapsed();
    let tree_rss_kib = sampler.stop();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("cargo build failed:\n{}", tail.join("\n")));
    }
    Ok(BuildRun {
        wall,
        compiled: compiling_lines(&stderr),
        max_rss_kib: max_rss_kib(&stderr),
        cpu: cpu_time(&stderr),
        tree_rss_kib,
    })
}

/// The number of `Compiling` lines of cargo's output.
fn compiling_lines(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count()
}

/// `Maximum resident set size (kbytes): N` of `/usr/bin/time -v`.
fn max_rss_kib(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        line.trim()
            .strip_prefix("Maximum resident set size (kbytes):")?
            .trim()
            .parse()
            .ok()
    })
}

/// `User time (seconds)` plus `System time (seconds)` of `/usr/bin/time -v`.
fn cpu_time(stderr: &str) -> Option<Duration> {
    let field = |name: &str| {
        stderr.lines().find_map(|line| {
            line.trim()
                .strip_prefix(name)?
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
        })
    };
    let secs = field("User time (seconds):")? + field("System time (seconds):")?;
    Some(Duration::from_secs_f64(secs))
}

/// The packages of `cargo tree` in the scratch crate, itself excluded.
fn dependency_count(scratch: &Path) -> Result<usize, String> {
    let output = Command::new(cargo())
        .current_dir(scratch)
        .args(["tree", "--prefix", "none", "--edges", "normal,build"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(tree_packages(&String::from_utf8_lossy(&output.stdout)))
}

/// Distinct packages of `cargo tree --prefix none` output, minus the root (the first line).
fn tree_packages(stdout: &str) -> usize {
    let mut lines = stdout.lines().filter(|line| !line.trim().is_empty());
    let root = lines.next();
    let mut packages: Vec<&str> = lines
        .map(|line| line.trim_end_matches(" (*)").trim())
        .filter(|line| Some(*line) != root)
        .collect();
    packages.sort_unstable();
    packages.dedup();
    packages.len()
}

/// Lines of the `.rs` files and `Cargo.toml`s under `dir` (`target/` skipped).
fn count_lines(dir: &Path) -> Result<usize, String> {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read =
            std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot read: {e}", dir.display()))?;
        for entry in read {
            let path = entry
                .map_err(|e| format!("{}: cannot read: {e}", dir.display()))?
                .path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "target" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") || name == "Cargo.toml" {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                total += text.lines().count();
            }
        }
    }
    Ok(total)
}

/// Samples the summed RSS of a process and its descendants on a thread.
struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    fn start(root: u32) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = Path::new("/proc/self/status").exists().then(|| {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(tree_rss_kib(root), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        });
        RssSampler { stop, peak, thread }
    }

    /// The peak, or `None` without `/proc`.
    fn stop(mut self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take()?;
        thread.join().ok()?;
        Some(self.peak.load(Ordering::Relaxed)).filter(|&kib| kib > 0)
    }
}

/// The summed `VmRSS` of `root` and its descendants, from /proc.
fn tree_rss_kib(root: u32) -> u64 {
    let Ok(read) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for entry in read.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|ppid| ppid.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut total = 0;
    let mut stack = vec![root];
    while let Some(pid) = stack.pop() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            total += status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|rest| rest.trim().strip_suffix("kB"))
                .and_then(|kib| kib.trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
        if let Some(list) = children.get(&pid) {
            stack.extend(list);
        }
    }
    total
}

// ---------------------------------------------------------------------------------------------
// decode

/// One line of the decode bench's `--tsv` output.
#[derive(Debug, PartialEq)]
struct DecodeRow {
    case: String,
    ours_ns: f64,
    baseline_ns: f64,
    /// The median of the ratios of neighbouring batches.
    ratio: f64,
    compared: String,
}

fn parse_decode_rows(stdout: &str) -> Vec<DecodeRow> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let case = fields.next()?.to_owned();
            let ours_ns = fields.next()?.parse().ok()?;
            let baseline_ns = fields.next()?.parse().ok()?;
            let ratio = fields.next()?.parse().ok()?;
            let compared = fields.next()?.to_owned();
            Some(DecodeRow {
                case,
                ours_ns,
                baseline_ns,
                ratio,
                compared,
            })
        })
        .collect()
}

fn bench_decode(workspace: &Path) -> Result<String, String> {
    eprintln!("decode: cargo bench -p ecr-tests --bench decode");
    let mut child = Command::new(cargo())
        .current_dir(workspace)
        .args([
            "bench",
            "-p",
            "ecr-tests",
            "--bench",
            "decode",
            "--",
            "--tsv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let mut stdout = String::new();
    if let Some(pipe) = child.stdout.take() {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            stdout.push_str(&line);
            stdout.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench -p ecr-tests --bench decode failed".into());
    }
    let rows = parse_decode_rows(&stdout);
    if rows.is_empty() {
        return Err("cargo bench -p ecr-tests --bench decode printed no results".into());
    }
    let mut text = String::from(
        "`ecr-tests/benches/decode.rs` (run by `cargo bench -p ecr-tests --bench decode`; a \
         hand-rolled harness, no benchmark framework in the dependencies). Each case runs in \
         101 batches of about 2 ms per side, ours and the baseline alternating batch by batch; \
         the times are the medians per decode, the ratio is the median of the ratios of \
         neighbouring batches (robust to the machine's load changing during the run). Baselines are `#[derive(serde::Deserialize)]` \
         structs with the same members (enums as strings, timestamps as numbers; for errors \
         plus `__type`, the code, which our decoder reads too). The output cases decode a \
         whole success response of 1,000 entries with the operation's `decode_response` \
         (strict: a member that does not fit is an error); \"from bytes\" decodes a whole error \
         response (`from_response`: body bytes and three headers) against `serde_json::from_slice`; \"from Value\" decodes an already \
         parsed `serde_json::Value` (`from_json(code, &value)`) against \
         `Deserialize::deserialize(&value)`. The XML case has no serde baseline (no serde XML \
         crate is a dependency): it is compared with parsing the document alone.\n\n\
         | case | ours | baseline | ratio | compared | target |\n|---|---:|---:|---:|---|---|\n",
    );
    for row in &rows {
        let ratio = row.ratio;
        // Operation outputs (whole success responses) and requests have the tighter target.
        let limit = if row.case.contains("output") || row.case.contains("encode") { OUTPUT_DECODE_TARGET } else { DECODE_TARGET };
        let target = if row.compared.contains("floor") || row.compared.contains("reference") {
            "n/a".to_owned()
        } else {
            format!("<= {limit}x {}", verdict(ratio <= limit))
        };
        let _ = writeln!(
            text,
            "| {} | {:.0} ns | {:.0} ns | **{ratio:.2}x** | {} | {target} |",
            row.case, row.ours_ns, row.baseline_ns, row.compared
        );
    }
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

const TEMPLATE: &str = "\
# Benchmarks

Rerun with `cargo xtask bench` (all parts) or `cargo xtask bench gen|parse|build|decode|resolve|sign`; add
`--write` to replace the sections below. Our machines are shared and noisy: compare the ratios
measured in one run rather than absolute times across runs.

<!-- bench:gen -->
<!-- /bench:gen -->

<!-- bench:parse -->
<!-- /bench:parse -->

<!-- bench:build -->
<!-- /bench:build -->

<!-- bench:decode -->
<!-- /bench:decode -->

<!-- bench:resolve -->
<!-- /bench:resolve -->

<!-- bench:sign -->
<!-- /bench:sign -->
";

/// Replaces each section's text between its markers (appending the markers when missing).
fn update_report(old: &str, sections: &[Section]) -> Result<String, String> {
    let mut text = old.to_owned();
    for section in sections {
        let start = format!("<!-- bench:{} -->", section.part.name());
        let end = format!("<!-- /bench:{} -->", section.part.name());
        let body = format!("{start}\n{}\n{end}", section.text.trim_end());
        match (text.find(&start), text.find(&end)) {
            (Some(a), Some(b)) if a < b => text.replace_range(a..b + end.len(), &body),
            (None, None) => {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push('\n');
                text.push_str(&body);
                text.push('\n');
            }
            _ => {
                return Err(format!(
                    "{REPORT}: the markers `{start}` and `{end}` are out of order or unpaired"
                ))
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_parts_and_options() {
        let options = parse(&args(&[])).ok();
        assert_eq!(options.map(|o| o.parts), Some(Part::ALL.to_vec()));
        let options = parse(&args(&[
            "decode", "gen", "--write", "--runs=5", "--models", "m",
        ]));
        assert_eq!(
            options.ok(),
            Some(Options {
                parts: vec![Part::Gen, Part::Decode],
                write: true,
                runs: Some(5),
                models: Some("m".into()),
            })
        );
        for (list, expected) in [
            (&["frob"][..], "unknown part"),
            (&["--runs", "0"][..], "positive number"),
            (&["--runs=1", "--runs=2"][..], "twice"),
            (&["--write=yes"][..], "takes no value"),
            (&["--fast"][..], "unknown option"),
        ] {
            match parse(&args(list)) {
                Err(Stop::Usage(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("expected a usage error for {list:?}, got {other:?}"),
            }
        }
    }

    #[test]
    fn parse_part_and_its_files() {
        let options = parse(&args(&["parse", "gen", "parse"])).ok();
        assert_eq!(options.map(|o| o.parts), Some(vec![Part::Gen, Part::Parse]));
        assert_eq!(Part::Parse.name(), "parse");

        let dir = crate::temp::TempDir::new("bench-idl");
        let nested = dir.path().join("b/model");
        std::fs::create_dir_all(&nested).expect("create dirs");
        for path in [
            dir.path().join("a.smithy"),
            nested.join("c.smithy"),
            nested.join("d.json"),
            dir.path().join("b/build.gradle.kts"),
        ] {
            std::fs::write(path, "").expect("write");
        }
        let files = smithy_files(dir.path()).unwrap_or_default();
        let names: Vec<_> = files
            .iter()
            .filter_map(|path| path.strip_prefix(dir.path()).ok())
            .map(|path| path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.smithy", "b/model/c.smithy"]);
        assert!(smithy_files(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn machine_facts() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n";
        assert_eq!(cpu_model(cpuinfo).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(
            mem_total_kib("MemTotal:       24576000 kB\nMemFree: 1 kB\n"),
            Some(24_576_000)
        );
        assert_eq!(gib(24_576_000), "23.4");
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_776_000_000), "2026-04-12");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(100_285), "100,285");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(ms(Duration::from_micros(1500)), "1.50 ms");
        assert_eq!(ms(Duration::from_millis(42)), "42.0 ms");
        assert_eq!(ms(Duration::from_millis(4200)), "4.20 s");
        assert_eq!(median(&mut [3, 1, 2]), Some(2));
        assert_eq!(median::<u8>(&mut []), None);
    }

    #[test]
    fn reads_build_output() {
        let stderr =
            "   Compiling serde v1.0.229\n   Compiling ecr v0.1.0 (/w/generated/ecr)\n    \
                      Finished `dev` profile\n\tMaximum resident set size (kbytes): 812345\n";
        assert_eq!(compiling_lines(stderr), 2);
        assert_eq!(max_rss_kib(stderr), Some(812_345));
        assert_eq!(max_rss_kib("nothing"), None);
        let times = "\tUser time (seconds): 50.25\n\tSystem time (seconds): 4.75\n";
        assert_eq!(cpu_time(times), Some(Duration::from_secs(55)));
        assert_eq!(cpu_time("\tUser time (seconds): 1.0\n"), None);
        let tree = "ecr-user v0.0.0 (/w/target/bench/ecr-user)\necr v0.1.0 (/w/generated/ecr)\n\
                    smithy-runtime v0.1.0 (/w/runtime)\nserde_json v1.0.154\nserde_json v1.0.154 (*)\n";
        assert_eq!(tree_packages(tree), 3);
    }

    #[test]
    fn reads_decode_rows() {
        let rows = parse_decode_rows("a case\t120.5\t100.0\t1.190\tfrom_json vs x\nnoise\n");
        assert_eq!(
            rows,
            [DecodeRow {
                case: "a case".into(),
                ours_ns: 120.5,
                baseline_ns: 100.0,
                ratio: 1.19,
                compared: "from_json vs x".into(),
            }]
        );
    }

    #[test]
    fn updates_only_the_sections_that_ran() {
        let section = |part, text: &str| Section {
            part,
            text: text.into(),
        };
        let first = update_report(TEMPLATE, &[section(Part::Build, "## Build\nold\n")]);
        let first = first.unwrap_or_default();
        assert!(first.contains("<!-- bench:build -->\n## Build\nold\n<!-- /bench:build -->"));
        let second = update_report(
            &first,
            &[section(Part::Gen, "## Gen\n"), section(Part::Build, "new")],
        )
        .unwrap_or_default();
        assert!(second.contains("<!-- bench:gen -->\n## Gen\n<!-- /bench:gen -->"));
        assert!(second.contains("<!-- bench:build -->\nnew\n<!-- /bench:build -->"));
        assert!(second.contains("<!-- bench:decode -->\n<!-- /bench:decode -->"));
        assert!(!second.contains("old"));
        let appended = update_report("# Mine\n", &[section(Part::Decode, "d")]);
        assert_eq!(
            appended.ok().as_deref(),
            Some("# Mine\n\n<!-- bench:decode -->\nd\n<!-- /bench:decode -->\n")
        );
        assert!(update_report(
            "<!-- /bench:gen --><!-- bench:gen -->",
            &[section(Part::Gen, "")]
        )
        .is_err());
    }
}
