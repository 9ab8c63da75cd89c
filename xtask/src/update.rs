//! `cargo xtask update NAME --model FILE`: re-pins a model of `models/manifest.json`,
//! regenerates its crate, writes a dated entry at the top of the crate's `CHANGELOG.md`, and
//! bumps the crate's version by what changed.
//!
//! Everything is computed in memory first (the old and new models loaded, diffed, the crate
//! generated); files are written only when all of it succeeded.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use smithy_codegen::diff::Severity;

use crate::codegen::{apply, generate_manifest, Mode};
use crate::diff::Report;
use crate::manifest::{self, Entry, Manifest, MODELS_DIR_VAR};
use crate::write::CHANGELOG;
use crate::{set_once, Arg, Args, Stop};

pub const USAGE: &str = "\
Usage: cargo xtask update NAME --model FILE [--source URL --commit SHA] [--date YYYY-MM-DD]

Updates the pinned model of the crate NAME (its folder `generated/NAME`, as listed in
models/manifest.json) to the model FILE (a Smithy JSON AST or IDL file):
1. compares the pinned model with FILE (as `cargo xtask diff` does);
2. re-pins the manifest entry: file name, sha256, and the source when given; FILE is copied
   into the git-ignored models/cache/ so that `cargo xtask codegen` finds it;
3. bumps the crate's version: a breaking change (code written against the old crate may not
   compile, or smithy-diff reports an ERROR) bumps the minor version of a 0.x crate (the
   major version from 1.0 on), anything else the patch version;
4. regenerates the crate;
5. writes a dated entry at the top of generated/NAME/CHANGELOG.md, and prints it.
Nothing is written unless every step succeeds.

Options:
      --model FILE     the new model file
      --source URL     the repository the new file comes from (e.g. https://github.com/aws/api-models-aws)
      --commit SHA     the commit of that repository the file is taken from
      --path PATH      the file's path in that repository (default: the pinned path)
      --date DATE      the changelog entry's date (default: today, UTC)
  -h, --help           print this help
";

const CHANGELOG_HEAD: &str = "# Changelog\n\nOne entry per model update, newest first, written by `cargo xtask update`.\n";

#[derive(Debug, Default)]
struct Options {
    name: Option<String>,
    model: Option<PathBuf>,
    source: Option<String>,
    commit: Option<String>,
    path: Option<String>,
    date: Option<String>,
}

fn parse(args: &[OsString]) -> Result<Options, Stop> {
    let mut o = Options::default();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Positional(p) => {
                let p = p.to_string_lossy().into_owned();
                set_once(&mut o.name, "NAME", p)?;
            }
            Arg::Flag { name, inline } => match name.as_str() {
                "--model" => set_once(&mut o.model, &name, args.value(&name, inline)?.into())?,
                "--source" => set_once(&mut o.source, &name, args.string_value(&name, inline)?)?,
                "--commit" => set_once(&mut o.commit, &name, args.string_value(&name, inline)?)?,
                "--path" => set_once(&mut o.path, &name, args.string_value(&name, inline)?)?,
                "--date" => set_once(&mut o.date, &name, args.string_value(&name, inline)?)?,
                _ => return Err(Stop::Usage(format!("unknown option `{name}`"))),
            },
        }
    }
    if o.name.is_none() {
        return Err(Stop::Usage("give the crate's NAME (its folder under generated/)".into()));
    }
    if o.model.is_none() {
        return Err(Stop::Usage("`--model FILE` is required".into()));
    }
    if let Some(d) = &o.date {
        if !is_date(d) {
            return Err(Stop::Usage(format!("`--date {d}`: expected YYYY-MM-DD")));
        }
    }
    Ok(o)
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

pub fn run(args: &[OsString]) -> Result<(), Stop> {
    let o = parse(args)?;
    let workspace = manifest::workspace_root();
    let var = std::env::var_os(MODELS_DIR_VAR);
    let date = o.date.clone().unwrap_or_else(today);
    let (entry, notes) = update(&workspace, var.as_deref(), &o, &date).map_err(Stop::error)?;
    print!("{entry}");
    for note in notes {
        eprintln!("note: {note}");
    }
    Ok(())
}

/// Does the update; returns the changelog entry and notes for the user.
fn update(
    workspace: &Path,
    models_dir_var: Option<&std::ffi::OsStr>,
    o: &Options,
    date: &str,
) -> Result<(String, Vec<String>), String> {
    let name = o.name.as_deref().unwrap_or_default();
    let model_path = o.model.as_deref().unwrap_or(Path::new(""));
    let mut pinned = manifest::read(workspace)?;
    let index = pinned
        .models
        .iter()
        .position(|e| e.out == format!("generated/{name}") || e.out.rsplit('/').next() == Some(name))
        .ok_or_else(|| {
            let known: Vec<&str> = pinned.models.iter().map(|e| e.out.as_str()).collect();
            format!("{}: no model pinned for `{name}` (pinned: {})", manifest::MANIFEST, known.join(", "))
        })?;
    let old_entry = pinned.models.get(index).cloned().ok_or("no entry")?;

    // The old and the new model.
    let dirs = crate::fetch::search_dirs(workspace, models_dir_var);
    let (_, old_bytes) = crate::fetch::find_model(&old_entry, &dirs, workspace)?;
    let old = smithy_codegen::load(&old_entry.file, &old_bytes).map_err(|e| e.to_string())?;
    let new_bytes =
        std::fs::read(model_path).map_err(|e| format!("{}: cannot read the model: {e}", model_path.display()))?;
    let file_name = model_path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a file name", model_path.display()))?
        .to_owned();
    let new = smithy_codegen::load(&file_name, &new_bytes).map_err(|e| crate::ast::report(&e))?;

    let partitions = crate::fetch::partitions(workspace, &pinned)?;
    let report = Report::new(&old, &new, None, Some(partitions));
    let api = report.api.clone().map_err(|e| format!("{}: the Rust API cannot be compared: {e}", model_path.display()))?;
    let breaking = api.iter().any(|c| c.breaks) || report.events.iter().any(|e| e.severity >= Severity::Error);
    let version = bump(&old_entry.version, breaking)?;

    let mut entry = old_entry.clone();
    entry.file = file_name.clone();
    entry.sha256 = manifest::sha256_hex(&new_bytes);
    entry.version = version.clone();
    if let Some(s) = &o.source {
        entry.source.repository = s.clone();
    }
    if let Some(c) = &o.commit {
        entry.source.commit = c.clone();
    }
    if let Some(p) = &o.path {
        entry.source.path = p.clone();
    }
    let mut notes = Vec::new();
    if o.source.is_none() && o.commit.is_none() && entry.sha256 != old_entry.sha256 {
        notes.push(format!(
            "the manifest still names {} at commit {} as the source; pass --source and --commit so that a fresh machine can \
             download this file",
            entry.source.repository, entry.source.commit
        ));
    }
    if let Some(slot) = pinned.models.get_mut(index) {
        *slot = entry.clone();
    }

    // The new crate, in memory, from the new model as the manifest will pin it.
    let cache = crate::fetch::cache_dir(workspace);
    let repinned = o.source.is_some() || o.commit.is_some() || entry.sha256 == old_entry.sha256;
    let text = changelog_entry(&old_entry, &entry, repinned, &report, &api, breaking, date);
    let changelog_path = workspace.join(&entry.out).join(CHANGELOG);
    let old_changelog = match std::fs::read_to_string(&changelog_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: cannot read the changelog: {e}", changelog_path.display())),
    };
    let changelog = prepend(&old_changelog, &text);

    // Write: the model into the cache, the manifest, the crate, the changelog.
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: cannot create the folder: {e}", cache.display()))?;
    crate::write::write_atomic(&cache.join(&file_name), &new_bytes)?;
    let manifest_before = std::fs::read_to_string(workspace.join(manifest::MANIFEST)).unwrap_or_default();
    manifest::write(workspace, &pinned)?;
    let only_this = Manifest { models: vec![entry.clone()], partitions: None, botocore: None, botocore_json: None };
    let generated = generate_with(workspace, models_dir_var, &only_this);
    let result = generated.and_then(|results| apply(results, Mode::Write, &mut std::io::sink()).map_err(|e| e.join("; ")));
    if let Err(e) = result {
        // Put the manifest back: the update did not happen.
        let _ = crate::write::write_atomic(&workspace.join(manifest::MANIFEST), manifest_before.as_bytes());
        return Err(e);
    }
    crate::write::write_atomic(&changelog_path, changelog.as_bytes())?;
    Ok((text, notes))
}

fn generate_with(
    workspace: &Path,
    models_dir_var: Option<&std::ffi::OsStr>,
    only: &Manifest,
) -> Result<Vec<Result<crate::codegen::Output, String>>, String> {
    let results = generate_manifest(workspace, models_dir_var)?;
    Ok(results
        .into_iter()
        .filter(|r| match r {
            Ok(out) => only.models.iter().any(|e| out.label == e.out),
            Err(_) => true,
        })
        .collect())
}

/// The next version: a breaking change bumps the minor version of a 0.x version (the major
/// from 1.0 on), anything else the patch version.
pub fn bump(version: &str, breaking: bool) -> Result<String, String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("version `{version}` is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts.as_slice() else {
        return Err(format!("version `{version}` is not MAJOR.MINOR.PATCH"));
    };
    Ok(match (breaking, *major) {
        (true, 0) => format!("0.{}.0", minor + 1),
        (true, m) => format!("{}.0.0", m + 1),
        (false, m) => format!("{m}.{minor}.{}", patch + 1),
    })
}

/// The changelog with `entry` at the top, under the heading.
fn prepend(old: &str, entry: &str) -> String {
    let body = old.strip_prefix(CHANGELOG_HEAD).unwrap_or(old).trim_start_matches('\n');
    let entry = entry.trim_end_matches('\n');
    if body.is_empty() {
        format!("{CHANGELOG_HEAD}\n{entry}\n")
    } else {
        format!("{CHANGELOG_HEAD}\n{entry}\n\n{body}")
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// One changelog entry, Markdown.
fn changelog_entry(
    old: &Entry,
    new: &Entry,
    repinned: bool,
    report: &Report,
    api: &[smithy_codegen::diff::ApiChange],
    breaking: bool,
    date: &str,
) -> String {
    let mut out = format!("## {} ({date})\n\n", new.version);
    let from = if repinned {
        format!("from {} at `{}`", new.source.repository, short(&new.source.commit))
    } else {
        "from a local file (its upstream source was not given)".to_owned()
    };
    out.push_str(&format!(
        "Model `{}` (sha256 `{}`) {from}, replacing `{}` (sha256 `{}`).\n\n",
        new.file,
        short(&new.sha256),
        old.file,
        short(&old.sha256)
    ));
    let summary = format!("{} model changes: {}", report.events.len(), report.counts());
    let breaks = api.iter().filter(|c| c.breaks).count();
    if breaking {
        out.push_str(&format!(
            "**Breaking** (from {}): {}; {summary}.\n\n",
            old.version,
            if breaks > 0 {
                format!("{breaks} Rust API change{} may stop code written against {} from compiling", plural(breaks), old.version)
            } else {
                format!("code written against {} still compiles, but the wire format changes", old.version)
            }
        ));
    } else {
        out.push_str(&format!("Compatible: code written against {} still compiles; {summary}.\n\n", old.version));
    }
    if !api.is_empty() {
        out.push_str("### Rust API\n\n");
        let added_ops: Vec<&str> = api
            .iter()
            .filter(|c| c.item.starts_with("operations::") && c.what.starts_with("operation added"))
            .map(|c| c.item.trim_start_matches("operations::"))
            .collect();
        let added_types: Vec<&str> = api
            .iter()
            .filter(|c| c.item.starts_with("types::") && c.what == "added")
            .map(|c| c.item.trim_start_matches("types::"))
            .collect();
        if !added_ops.is_empty() {
            out.push_str(&format!("- Added operations: {}.\n", code_list(&added_ops)));
        }
        if !added_types.is_empty() {
            out.push_str(&format!("- Added types: {}.\n", code_list(&added_types)));
        }
        for c in api {
            if (c.item.starts_with("operations::") && c.what.starts_with("operation added"))
                || (c.item.starts_with("types::") && c.what == "added")
            {
                continue;
            }
            let mark = if c.breaks { "**breaks**: " } else { "" };
            out.push_str(&format!("- {mark}`{}`: {}.\n", c.item, c.what));
        }
        out.push('\n');
    }
    if !report.events.is_empty() {
        out.push_str("### Model changes\n\n");
        for e in &report.events {
            // One line each: multi-line trait values are folded.
            let message = e.message.replace("\n```\n", " `").replace("\n```", "`").replace('\n', " ");
            out.push_str(&format!("- [{}] `{}`: {} ({})\n", e.severity.as_str(), e.shape, message.trim(), e.id));
        }
        out.push('\n');
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn code_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// Today's date, UTC, as YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date((secs / 86_400) as i64)
}

/// The calendar date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_what_changed() {
        assert_eq!(bump("0.1.0", false).unwrap(), "0.1.1");
        assert_eq!(bump("0.1.7", true).unwrap(), "0.2.0");
        assert_eq!(bump("1.4.2", true).unwrap(), "2.0.0");
        assert_eq!(bump("1.4.2", false).unwrap(), "1.4.3");
        assert!(bump("1.x", false).is_err());
        assert!(bump("1.2", false).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_422), "2025-11-30");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert!(is_date("2026-11-30") && !is_date("2026-1-30") && !is_date("20261130xx"));
    }

    /// The shared data: the pinned ECR release (`$SMITHY_MODELS_DIR`) and the ECR history
    /// (`../history/ecr` beside it), else from shared/ or the test-data cache.
    fn ecr_releases() -> Vec<PathBuf> {
        let models = smithy_testdata::require("models/aws");
        let history = smithy_testdata::require("models/history/ecr");
        let mut releases: Vec<PathBuf> = std::fs::read_dir(&history)
            .unwrap_or_else(|e| panic!("{}: cannot list the ECR history: {e}", history.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        releases.sort();
        releases.push(models.join("ecr-2015-09-21.json"));
        assert_eq!(releases.len(), 5);
        releases
    }

    /// `cargo xtask update` applied to the ECR releases in turn, from the oldest, in a scratch
    /// workspace: the manifest follows, the version bumps, and the changelog gets one entry
    /// per release, newest first, each computed from the two files.
    #[test]
    fn updating_through_the_ecr_history() {
        let temp = crate::temp::TempDir::new("update-history");
        let ws = temp.path();
        let releases = ecr_releases();
        let first = &releases[0];
        let first_name = first.file_name().unwrap().to_str().unwrap().to_owned();
        std::fs::create_dir_all(ws.join("models")).unwrap();
        std::fs::copy(first, ws.join("models").join(&first_name)).unwrap();
        let bytes = std::fs::read(first).unwrap();
        let pinned = Manifest {
            models: vec![Entry {
                file: first_name.clone(),
                out: "generated/ecr".into(),
                source: manifest::Source {
                    repository: "https://github.com/aws/api-models-aws".into(),
                    path: "models/ecr/service/2015-09-21/ecr-2015-09-21.json".into(),
                    commit: "0000000000000000000000000000000000000000".into(),
                },
                sha256: manifest::sha256_hex(&bytes),
                version: "0.1.0".into(),
            }],
            partitions: pinned_partitions(ws),
            botocore: None,
            botocore_json: None,
        };
        manifest::write(ws, &pinned).unwrap();
        // An empty folder for $SMITHY_MODELS_DIR: the files are found in the scratch `models/`.
        let none = ws.join("no-models");
        std::fs::create_dir_all(&none).unwrap();
        let mut versions = Vec::new();
        for (i, release) in releases.iter().enumerate().skip(1) {
            let o = Options {
                name: Some("ecr".into()),
                model: Some(release.clone()),
                commit: Some(format!("{i:040}")),
                ..Options::default()
            };
            let (entry, _) = update(ws, Some(none.as_os_str()), &o, &format!("2026-01-0{i}")).unwrap();
            let m = manifest::read(ws).unwrap();
            let e = &m.models[0];
            assert_eq!(e.sha256, manifest::sha256_hex(&std::fs::read(release).unwrap()));
            assert_eq!(e.source.commit, format!("{i:040}"));
            assert!(entry.starts_with(&format!("## {} (2026-01-0{i})", e.version)), "{entry}");
            versions.push(e.version.clone());
            let cargo = std::fs::read_to_string(ws.join("generated/ecr/Cargo.toml")).unwrap();
            assert!(cargo.contains(&format!("version = \"{}\"", e.version)), "{cargo}");
        }
        // Nothing breaks code written against the release before (the types are
        // non_exhaustive, and no event is an ERROR): patch versions.
        assert_eq!(versions, ["0.1.1", "0.1.2", "0.1.3", "0.1.4"]);
        let changelog = std::fs::read_to_string(ws.join("generated/ecr/CHANGELOG.md")).unwrap();
        let headings: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings, ["## 0.1.4 (2026-01-04)", "## 0.1.3 (2026-01-03)", "## 0.1.2 (2026-01-02)", "## 0.1.1 (2026-01-01)"]);
        assert!(changelog.contains("- Added operations: `DeleteSigningConfiguration`"), "{changelog}");
        assert!(changelog.contains("`types::UpstreamRegistry::Chainguard`: variant added"), "{changelog}");
        assert!(changelog.contains("AddedOperationError"), "{changelog}");
        // Regenerating keeps the changelog, and the crate is up to date.
        let results = generate_manifest(ws, Some(none.as_os_str())).unwrap();
        assert_eq!(apply(results, Mode::Check, &mut std::io::sink()).unwrap(), Vec::<String>::new());
        assert!(ws.join("generated/ecr/CHANGELOG.md").exists());
    }

    /// The real manifest's partition table pin, its file copied into the scratch workspace's
    /// `models/`.
    fn pinned_partitions(ws: &Path) -> Option<Entry> {
        let file = smithy_testdata::require("reference/endpoints").join(manifest::PARTITIONS_FILE);
        std::fs::create_dir_all(ws.join("models")).unwrap();
        std::fs::copy(&file, ws.join("models").join(manifest::PARTITIONS_FILE)).unwrap();
        manifest::read(&manifest::workspace_root()).unwrap().partitions
    }

    /// A model that does not load changes nothing.
    #[test]
    fn a_bad_model_changes_nothing() {
        let temp = crate::temp::TempDir::new("update-bad");
        let ws = temp.path();
        let releases = ecr_releases();
        let first = &releases[0];
        let name = first.file_name().unwrap().to_str().unwrap().to_owned();
        std::fs::create_dir_all(ws.join("models")).unwrap();
        std::fs::copy(first, ws.join("models").join(&name)).unwrap();
        let pinned = Manifest {
            models: vec![Entry {
                file: name,
                out: "generated/ecr".into(),
                source: manifest::Source { repository: "r".into(), path: "p".into(), commit: "0".repeat(40) },
                sha256: manifest::sha256_hex(&std::fs::read(first).unwrap()),
                version: "0.1.0".into(),
            }],
            partitions: pinned_partitions(ws),
            botocore: None,
            botocore_json: None,
        };
        manifest::write(ws, &pinned).unwrap();
        let bad = ws.join("bad.json");
        std::fs::write(&bad, "{\"smithy\": \"2.0\", \"shapes\": {\"a#B\": {\"type\": \"nope\"}}}").unwrap();
        let before = std::fs::read_to_string(ws.join(manifest::MANIFEST)).unwrap();
        let o = Options { name: Some("ecr".into()), model: Some(bad), ..Options::default() };
        let none = ws.join("no-models");
        let e = update(ws, Some(none.as_os_str()), &o, "2026-01-01").unwrap_err();
        assert!(e.contains("unknown shape type `nope`"), "{e}");
        assert_eq!(std::fs::read_to_string(ws.join(manifest::MANIFEST)).unwrap(), before);
        assert!(!ws.join("generated").exists());
        assert!(!ws.join("models/cache").exists());
    }

    #[test]
    fn entries_go_on_top() {
        let one = prepend("", "## 0.1.1 (d)\n\nx\n");
        assert_eq!(one, format!("{CHANGELOG_HEAD}\n## 0.1.1 (d)\n\nx\n"));
        let two = prepend(&one, "## 0.2.0 (e)\n\ny\n");
        assert_eq!(two, format!("{CHANGELOG_HEAD}\n## 0.2.0 (e)\n\ny\n\n## 0.1.1 (d)\n\nx\n"));
    }
}
