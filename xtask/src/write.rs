//! Comparing a generated crate with its folder on disk, and replacing the folder atomically.
//!
//! One comparison serves both `cargo xtask codegen --check` (report what differs) and
//! `cargo xtask codegen` (write only when something differs), so the two cannot disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Top-level entries of a crate folder that are not generated and survive a rewrite: the build
/// folder, the lock file `cargo build` leaves in a standalone crate, and the changelog that
/// `cargo xtask update` writes.
const KEPT: &[&str] = &["target", "Cargo.lock", CHANGELOG];

/// The changelog of a generated crate, beside its `Cargo.toml`: written by `cargo xtask update`
/// and kept when `cargo xtask codegen` rewrites the crate.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// How a file on disk differs from the generated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The file exists with other contents.
    Changed,
    /// The file is generated but not on disk.
    Missing,
    /// The file (or folder, path ending in `/`) is on disk but not generated.
    Extra,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Changed => "changed",
            Change::Missing => "missing",
            Change::Extra => "extra",
        })
    }
}

/// One difference between the folder and the generated files; `path` is relative to the
/// crate folder and `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: String,
    pub change: Change,
}

/// Writes a file through a temporary file beside it and a rename, so that it is either the
/// old or the new one, never half written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&temp, bytes).map_err(|e| format!("{}: cannot write: {e}", temp.display()))?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        format!("{}: cannot write: {e}", path.display())
    })
}

/// The total number of lines in the files.
pub fn line_count(files: &BTreeMap<String, String>) -> usize {
    files.values().map(|text| text.lines().count()).sum()
}

/// Checks that every file path is `/`-separated, relative, stays inside the crate folder, and
/// is not also the folder of another file.
pub fn check_paths(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    for path in files.keys() {
        let segments: Vec<&str> = path.split('/').collect();
        if path.contains(['\\', ':', '\0'])
            || segments
                .iter()
                .any(|s| s.is_empty() || *s == "." || *s == "..")
        {
            return Err(format!(
                "{}: generated file path `{path}` is not a relative path inside the crate (a bug in smithy-codegen)",
                dir.display()
            ));
        }
        for end in 1..segments.len() {
            let folder = segments[..end].join("/");
            if files.contains_key(&folder) {
                return Err(format!(
                    "{}: `{folder}` is generated both as a file and as the folder of `{path}` (a bug in smithy-codegen)",
                    dir.display()
                ));
            }
        }
    }
    Ok(())
}

/// The top-level entries of `dir` to leave alone: [`KEPT`] minus any the generator writes.
fn kept(files: &BTreeMap<String, String>) -> Vec<&'static str> {
    KEPT.iter()
        .copied()
        .filter(|name| {
            !files
                .keys()
                .any(|path| path.split('/').next() == Some(name))
        })
        .collect()
}

/// What differs between `dir` and `files`, sorted by path; empty when `dir` is up to date.
/// A missing `dir` makes every file missing.
pub fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Stale>, String> {
    let mut stale = Vec::new();
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "{}: exists but is not a folder; move it away or write the crate elsewhere",
                dir.display()
            ))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            stale.extend(files.keys().map(|path| Stale {
                path: path.clone(),
                change: Change::Missing,
            }));
            return Ok(stale);
        }
        Err(e) => return Err(format!("{}: cannot read: {e}", dir.display())),
    }
    let mut seen = BTreeSet::new();
    compare_folder(dir, "", files, &kept(files), &mut seen, &mut stale)?;
    stale.extend(
        files
            .keys()
            .filter(|path| !seen.contains(path.as_str()))
            .map(|path| Stale {
                path: path.clone(),
                change: Change::Missing,
            }),
    );
    stale.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(stale)
}

/// Compares the folder `dir/rel` (rel is "" or ends in `/`) with the files under it; records the
/// generated paths it found in `seen`.
fn compare_folder(
    dir: &Path,
    rel: &str,
    files: &BTreeMap<String, String>,
    kept: &[&str],
    seen: &mut BTreeSet<String>,
    stale: &mut Vec<Stale>,
) -> Result<(), String> {
    let folder = dir.join(rel);
    let read_error = |e: std::io::Error| format!("{}: cannot read folder: {e}", folder.display());
    let mut entries = fs::read_dir(&folder)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if rel.is_empty() && kept.contains(&name.as_str()) {
            continue;
        }
        let path = format!("{rel}{name}");
        let file_type = entry
            .file_type()
            .map_err(|e| format!("{}: cannot read: {e}", entry.path().display()))?;
        if file_type.is_dir() {
            let prefix = format!("{path}/");
            let has_files = files
                .range(prefix.clone()..)
                .next()
                .is_some_and(|(key, _)| key.starts_with(&prefix));
            if has_files {
                compare_folder(dir, &prefix, files, kept, seen, stale)?;
            } else {
                stale.push(Stale {
                    path: prefix,
                    change: Change::Extra,
                });
            }
            continue;
        }
        let Some(text) = files.get(&path) else {
            stale.push(Stale {
                path,
                change: Change::Extra,
            });
            continue;
        };
        let same = match fs::read(entry.path()) {
            Ok(bytes) => bytes == text.as_bytes(),
            // A dangling symlink, or one to a folder, is no generated file.
            Err(_) if file_type.is_symlink() && !entry.path().is_file() => false,
            Err(e) => return Err(format!("{}: cannot read: {e}", entry.path().display())),
        };
        if !same {
            stale.push(Stale {
                path: path.clone(),
                change: Change::Changed,
            });
        }
        seen.insert(path);
    }
    Ok(())
}

/// What [`write_crate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Every file was already byte-identical and nothing extra was there: nothing was touched.
    UpToDate,
    /// The folder was replaced.
    Wrote,
}

/// Makes `dir` hold exactly `files` (plus the kept `target/` and `Cargo.lock`).
///
/// Nothing is touched when the folder is up to date. Otherwise the complete new folder is
/// built beside it (`.<name>.tmp-<pid>`) and swapped in with two renames, so an interrupted or
/// failed write leaves either the old folder or the new one, never a mix.
pub fn write_crate(dir: &Path, files: &BTreeMap<String, String>) -> Result<Written, String> {
    check_paths(dir, files)?;
    // Write where a symlinked folder points, rather than replacing the link.
    let dir = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(dir)
            .map_err(|e| format!("{}: cannot resolve the symlink: {e}", dir.display()))?,
        _ => dir.to_path_buf(),
    };
    let dir = dir.as_path();
    let stale = stale_files(dir, files)?;
    let exists = dir.is_dir();
    if exists && stale.is_empty() {
        return Ok(Written::UpToDate);
    }
    if exists {
        refuse_foreign_folder(dir, &stale)?;
    }

    let name = dir
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| {
            format!(
                "{}: cannot write a crate here; name a folder such as generated/ecr",
                dir.display()
            )
        })?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| format!("{}: cannot create folder: {e}", parent.display()))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let backup = parent.join(format!(".{name}.old-{pid}"));
    for leftover in [&staging, &backup] {
        remove_if_present(leftover)?;
    }

    if let Err(e) = fill(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if exists {
        if let Err(e) = fs::rename(dir, &backup) {
            let _ = fs::remove_dir_all(&staging);
            return Err(format!(
                "{}: cannot move the old crate aside to {}: {e}",
                dir.display(),
                backup.display()
            ));
        }
    }
    if let Err(e) = fs::rename(&staging, dir) {
        let failed = format!(
            "{}: cannot move the new crate into place from {}: {e}",
            dir.display(),
            staging.display()
        );
        if exists {
            if let Err(restore) = fs::rename(&backup, dir) {
                return Err(format!(
                    "{failed}; restoring the old crate failed too ({restore}): move {} back to {} by hand",
                    backup.display(),
                    dir.display()
                ));
            }
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(failed);
    }
    if exists {
        for kept_name in kept(files) {
            let old = backup.join(kept_name);
            if fs::symlink_metadata(&old).is_ok() {
                if let Err(e) = fs::rename(&old, dir.join(kept_name)) {
                    eprintln!(
                        "warning: {}: could not keep the old {kept_name} ({e}); it is left in {}",
                        dir.display(),
                        backup.display()
                    );
                    return Ok(Written::Wrote);
                }
            }
        }
        if let Err(e) = fs::remove_dir_all(&backup) {
            eprintln!(
                "warning: {}: could not remove the old crate ({e}); delete it by hand",
                backup.display()
            );
        }
    }
    Ok(Written::Wrote)
}

/// Refuses to replace a folder that does not look like a crate written by this tool, so that a
/// mistaken `--out` (a home folder, a repository) cannot be swapped away.
fn refuse_foreign_folder(dir: &Path, stale: &[Stale]) -> Result<(), String> {
    let nothing_to_lose = stale.iter().all(|s| s.change == Change::Missing);
    if nothing_to_lose {
        return Ok(());
    }
    if fs::symlink_metadata(dir.join(".git")).is_ok() {
        return Err(format!(
            "{}: holds a git repository; refusing to replace it with a generated crate",
            dir.display()
        ));
    }
    if !dir.join("Cargo.toml").is_file() {
        return Err(format!(
            "{}: has files but no Cargo.toml, so it is not a generated crate; refusing to replace it (choose a new or empty folder)",
            dir.display()
        ));
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "{}: cannot remove a leftover folder: {e}; delete it by hand",
            path.display()
        )),
    }
}

/// Writes `files` into the new folder `root`.
fn fill(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    fs::create_dir(root).map_err(|e| format!("{}: cannot create folder: {e}", root.display()))?;
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)
                .map_err(|e| format!("{}: cannot create folder: {e}", folder.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp::TempDir;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    fn put(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// Every file under `dir`, as (relative path, contents).
    fn snapshot(dir: &Path) -> BTreeMap<String, String> {
        fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
            for entry in fs::read_dir(dir.join(rel)).expect("read_dir") {
                let entry = entry.expect("entry");
                let path = format!("{rel}{}", entry.file_name().to_string_lossy());
                if entry.file_type().expect("type").is_dir() {
                    out.insert(format!("{path}/"), String::new());
                    walk(dir, &format!("{path}/"), out);
                } else {
                    out.insert(path, fs::read_to_string(entry.path()).expect("read"));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, "", &mut out);
        out
    }

    /// The names directly inside `dir`.
    fn children(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    fn stale(list: &[(&str, Change)]) -> Vec<Stale> {
        list.iter()
            .map(|(path, change)| Stale {
                path: path.to_string(),
                change: *change,
            })
            .collect()
    }

    #[test]
    fn counts_lines() {
        assert_eq!(
            line_count(&files(&[("a", "1\n2\n"), ("b", "3"), ("c", "")])),
            3
        );
    }

    #[test]
    fn detects_changed_missing_and_extra_files() {
        let temp = TempDir::new("stale");
        let dir = temp.path().join("crate");
        let generated = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "pub mod a;\n"),
            ("src/a.rs", "// a\n"),
        ]);
        assert_eq!(
            stale_files(&dir, &generated),
            Ok(stale(&[
                ("Cargo.toml", Change::Missing),
                ("src/a.rs", Change::Missing),
                ("src/lib.rs", Change::Missing)
            ]))
        );

        for (path, text) in &generated {
            put(&dir, path, text);
        }
        put(&dir, "target/debug/junk", "x");
        put(&dir, "Cargo.lock", "x");
        assert_eq!(stale_files(&dir, &generated), Ok(vec![]));

        put(&dir, "src/a.rs", "// edited\n");
        fs::remove_file(dir.join("Cargo.toml")).expect("rm");
        put(&dir, "src/old.rs", "// gone from the model\n");
        put(&dir, "old/mod.rs", "");
        put(&dir, "README.md", "");
        assert_eq!(
            stale_files(&dir, &generated),
            Ok(stale(&[
                ("Cargo.toml", Change::Missing),
                ("README.md", Change::Extra),
                ("old/", Change::Extra),
                ("src/a.rs", Change::Changed),
                ("src/old.rs", Change::Extra),
            ]))
        );

        // A generated `target/...` file is compared like any other.
        let with_target = files(&[("target/x", "1")]);
        assert_eq!(
            stale_files(&dir, &with_target).map(|s| s.iter().any(|s| s.path == "target/x")),
            Ok(true)
        );

        put(temp.path(), "file", "");
        let message = stale_files(&temp.path().join("file"), &generated).expect_err("not a folder");
        assert!(message.contains("exists but is not a folder"), "{message}");
    }

    #[test]
    fn a_file_beside_a_folder_of_the_same_stem_is_found() {
        // `src.rs` sorts before `src/a.rs` as a string but after `src` as a folder entry.
        let temp = TempDir::new("stem");
        let generated = files(&[("src.rs", "1"), ("src/a.rs", "2"), ("src-x/b.rs", "3")]);
        for (path, text) in &generated {
            put(temp.path(), path, text);
        }
        assert_eq!(stale_files(temp.path(), &generated), Ok(vec![]));
    }

    #[test]
    fn refuses_paths_outside_the_crate() {
        let dir = Path::new("out");
        for bad in [
            "../x.rs",
            "/abs.rs",
            "src//a.rs",
            "src/./a.rs",
            "src\\a.rs",
            "C:/x",
            "",
        ] {
            let message = check_paths(dir, &files(&[(bad, "")])).expect_err(bad);
            assert!(
                message.contains("not a relative path inside the crate"),
                "{message}"
            );
        }
        let message = check_paths(dir, &files(&[("src", ""), ("src/lib.rs", "")]))
            .expect_err("file and folder");
        assert!(
            message.contains("`src` is generated both as a file and as the folder of `src/lib.rs`"),
            "{message}"
        );
        assert_eq!(
            check_paths(dir, &files(&[("src/lib.rs", ""), ("src.rs", "")])),
            Ok(())
        );
    }

    #[test]
    fn writes_then_skips_then_replaces_atomically() {
        let temp = TempDir::new("write");
        let dir = temp.path().join("generated").join("ecr");
        let first = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "pub mod a;\n"),
            ("src/a.rs", "// a\n"),
        ]);
        assert_eq!(write_crate(&dir, &first), Ok(Written::Wrote));
        assert_eq!(
            snapshot(&dir),
            files(&[
                ("Cargo.toml", "[package]\n"),
                ("src/", ""),
                ("src/a.rs", "// a\n"),
                ("src/lib.rs", "pub mod a;\n")
            ])
        );

        let modified = fs::metadata(dir.join("src/lib.rs"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(write_crate(&dir, &first), Ok(Written::UpToDate));
        assert_eq!(
            fs::metadata(dir.join("src/lib.rs"))
                .and_then(|m| m.modified())
                .ok(),
            Some(modified)
        );

        // An extra file alone makes the folder stale.
        put(&dir, "src/stray.rs", "");
        assert_eq!(write_crate(&dir, &first), Ok(Written::Wrote));
        assert!(!dir.join("src/stray.rs").exists());

        put(&dir, "target/debug/build.log", "cached");
        put(&dir, "Cargo.lock", "lock");
        let second = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "pub mod b;\n"),
            ("src/b.rs", "// b\n"),
        ]);
        assert_eq!(write_crate(&dir, &second), Ok(Written::Wrote));
        assert_eq!(
            snapshot(&dir),
            files(&[
                ("Cargo.lock", "lock"),
                ("Cargo.toml", "[package]\n"),
                ("src/", ""),
                ("src/b.rs", "// b\n"),
                ("src/lib.rs", "pub mod b;\n"),
                ("target/", ""),
                ("target/debug/", ""),
                ("target/debug/build.log", "cached"),
            ])
        );
        // No staging or backup folder is left beside the crate.
        assert_eq!(children(&temp.path().join("generated")), vec!["ecr"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_crate_untouched() {
        let temp = TempDir::new("write-fail");
        let dir = temp.path().join("ecr");
        let old = files(&[("Cargo.toml", "[package]\n"), ("src/lib.rs", "old\n")]);
        assert_eq!(write_crate(&dir, &old), Ok(Written::Wrote));
        let before = snapshot(&dir);

        // A file name no filesystem accepts makes the staging step fail midway.
        let long = format!("src/{}.rs", "x".repeat(300));
        let new = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "new\n"),
            (long.as_str(), ""),
        ]);
        let message = write_crate(&dir, &new).expect_err("name too long");
        assert!(message.contains("cannot write"), "{message}");
        assert_eq!(snapshot(&dir), before);
        assert_eq!(
            children(temp.path()),
            vec!["ecr"],
            "the staging folder is removed"
        );

        let message = write_crate(&dir, &files(&[("../escape.rs", "")])).expect_err("bad path");
        assert!(
            message.contains("not a relative path inside the crate"),
            "{message}"
        );
        assert_eq!(snapshot(&dir), before);
    }

    #[test]
    fn refuses_to_replace_a_folder_that_is_not_a_generated_crate() {
        let temp = TempDir::new("foreign");
        let crate_files = files(&[("Cargo.toml", "[package]\n"), ("src/lib.rs", "")]);

        let home = temp.path().join("home");
        put(&home, "notes.txt", "precious");
        let message = write_crate(&home, &crate_files).expect_err("no Cargo.toml");
        assert!(
            message.contains("no Cargo.toml") && message.contains("refusing"),
            "{message}"
        );
        assert_eq!(snapshot(&home), files(&[("notes.txt", "precious")]));

        let repo = temp.path().join("repo");
        put(&repo, "Cargo.toml", "[workspace]\n");
        put(&repo, ".git/HEAD", "ref");
        let message = write_crate(&repo, &crate_files).expect_err("a repository");
        assert!(message.contains("git repository"), "{message}");
        assert!(repo.join(".git/HEAD").is_file());

        // An empty folder, or one holding only build output, is fine.
        let empty = temp.path().join("empty");
        put(&empty, "target/x", "");
        assert_eq!(write_crate(&empty, &crate_files), Ok(Written::Wrote));
        assert!(empty.join("target/x").is_file() && empty.join("src/lib.rs").is_file());
    }
}
