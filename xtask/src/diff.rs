//! `cargo xtask diff OLD NEW`: the differences between two versions of a model, as
//! smithy-diff events, then what they change in the generated Rust API.

use std::ffi::OsString;
use std::path::PathBuf;

use smithy_codegen::diff::{self, ApiChange, Event, Severity};
use smithy_codegen::{Model, Settings};

use crate::{set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask diff OLD NEW [--fail-on SEVERITY] [--service SHAPE_ID]

Compares two versions of a model (each a .smithy or .json file, or a folder of them) and
prints:
- one line per difference, as smithy-diff reports them:
  `[SEVERITY] shape-id: message | EventId` (NOTE, WARNING, DANGER, ERROR);
- then what changes in the generated Rust API, item by item, each marked `breaks` when code
  written against the old crate may stop compiling, and a last line saying whether it still
  compiles.
Exits 0, unless --fail-on is given and an event of that severity or higher is found (exit 1).

Options:
      --fail-on SEVERITY   exit 1 when an event of SEVERITY or higher is found (e.g. ERROR)
      --service SHAPE_ID   the service whose Rust API is compared, if the model has several
  -h, --help               print this help
";

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut fail_on: Option<String> = None;
    let mut service: Option<String> = None;
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Positional(p) => paths.push(p.into()),
            Arg::Flag { name, inline } => match name.as_str() {
                "--fail-on" => set_once(&mut fail_on, &name, args.string_value(&name, inline)?)?,
                "--service" => set_once(&mut service, &name, args.string_value(&name, inline)?)?,
                _ => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            },
        }
    }
    let [old, new] = paths.as_slice() else {
        return Err(Stop::Usage("give two models: OLD NEW".into()));
    };
    let threshold = match &fail_on {
        None => None,
        Some(s) => Some(Severity::parse(s).ok_or_else(|| {
            Stop::Usage(format!("unknown severity `{s}`; expected NOTE, WARNING, DANGER or ERROR"))
        })?),
    };
    let old = crate::ast::load_model(std::slice::from_ref(old)).map_err(Stop::error)?;
    let new = crate::ast::load_model(std::slice::from_ref(new)).map_err(Stop::error)?;
    let workspace = crate::manifest::workspace_root();
    let partitions = crate::manifest::read(&workspace)
        .and_then(|manifest| crate::fetch::partitions(&workspace, &manifest))
        .map_err(Stop::error)?;
    let report = Report::new(&old, &new, service, Some(partitions));
    print!("{}", report.text());
    match threshold {
        Some(t) if report.events.iter().any(|e| e.severity >= t) => Err(Stop::Reported),
        _ => Ok(()),
    }
}

/// The events and the Rust API changes between two models.
pub struct Report {
    pub events: Vec<Event>,
    /// The Rust API changes, or why they could not be computed (no service, say).
    pub api: Result<Vec<ApiChange>, String>,
}

impl Report {
    /// `partitions`: the partition table's text, which lowering services whose endpoint rules
    /// call `aws.partition` needs.
    pub fn new(old: &Model, new: &Model, service: Option<String>, partitions: Option<String>) -> Report {
        let settings = Settings { version: None, crate_name: None, runtime_path: String::new(), standalone: true, service, partitions };
        Report {
            events: diff::diff(old, new),
            api: diff::rust_api(old, new, &settings).map_err(|e| e.to_string()),
        }
    }

    /// The events counted by severity: `0 ERROR, 0 DANGER, 1 WARNING, 4 NOTE`.
    pub fn counts(&self) -> String {
        let count = |s: Severity| self.events.iter().filter(|e| e.severity == s).count();
        format!(
            "{} ERROR, {} DANGER, {} WARNING, {} NOTE",
            count(Severity::Error),
            count(Severity::Danger),
            count(Severity::Warning),
            count(Severity::Note)
        )
    }

    /// What the command prints.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&format!("{e}\n"));
        }
        out.push_str(&format!("{} events: {}\n", self.events.len(), self.counts()));
        out.push_str("\nRust API:\n");
        match &self.api {
            Err(e) => out.push_str(&format!("  not compared: {e}\n")),
            Ok(changes) if changes.is_empty() => out.push_str("  unchanged\n"),
            Ok(changes) => {
                for c in changes {
                    let mark = if c.breaks { "breaks" } else { "ok" };
                    out.push_str(&format!("  [{mark}] {}: {}\n", c.item, c.what));
                }
            }
        }
        if let Ok(changes) = &self.api {
            let breaking = changes.iter().filter(|c| c.breaks).count();
            if breaking == 0 {
                out.push_str("Code written against the old crate still compiles.\n");
            } else {
                out.push_str(&format!(
                    "Code written against the old crate may not compile: {breaking} breaking change{}.\n",
                    if breaking == 1 { "" } else { "s" }
                ));
            }
        }
        out
    }
}
