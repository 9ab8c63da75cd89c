//! Smithy's own IDL loader test suite, read where it lies: `$SMITHY_TESTS_DIR/idl`, else
//! `shared/smithy-tests/idl` beside the repository. The test fails if the suite is missing.
//!
//! - `valid/X.smithy` loads beside `valid/__shared.json`, and gives the model that
//!   `valid/X.json` gives; `X.flattened.smithy` gives the shapes of `X.smithy` once its mixins
//!   are flattened (the mixins themselves left out).
//! - `invalid/X.smithy` (and `.json`) must be refused, when loaded or when validated. Its
//!   first line names the expected error; a syntax error names a line and column, and ours
//!   must name the same.
//!
//! Prints `idl suite: N passed, M failed`. A case we cannot pass is listed in
//! [`KNOWN_FAILURES`] with its reason, and still counts as failed; the test fails when any
//! other case fails, and when a listed case passes (so the list stays true).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smithy_codegen::{Loader, Model};

/// Cases we do not pass, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[(
    "valid/traits.smithy",
    "its JSON twin holds 1.7976931348623157E+309, beyond a double; our JSON reader (serde_json without \
     arbitrary precision) refuses it",
)];

fn suite_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SMITHY_TESTS_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("idl");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy-tests/idl")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn load(paths: &[&Path]) -> Result<Model, smithy_codegen::Error> {
    let mut loader = Loader::new();
    for path in paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        loader.add(&path.display().to_string(), &bytes)?;
    }
    let model = loader.finish()?;
    smithy_codegen::validate_model(&model)?;
    Ok(model)
}

/// The first difference between two models' shapes and metadata, if any.
fn difference(a: &Model, b: &Model) -> Option<String> {
    for id in a.shapes.keys().chain(b.shapes.keys()) {
        match (a.shapes.get(id), b.shapes.get(id)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => return Some(format!("shape {id} differs:\n  {x:?}\n  {y:?}")),
            (Some(_), None) => return Some(format!("shape {id} only in the first")),
            (None, _) => return Some(format!("shape {id} only in the second")),
        }
    }
    (a.metadata != b.metadata).then(|| format!("metadata differs: {:?} vs {:?}", a.metadata, b.metadata))
}

/// The model without its mixins: what a `.flattened.smithy` file holds.
fn flattened(model: &Model) -> Model {
    let mut out = model.clone();
    out.shapes.retain(|_, s| !s.traits.contains_key("smithy.api#mixin"));
    for s in out.shapes.values_mut() {
        s.mixins.clear();
    }
    out
}

fn valid_case(dir: &Path, smithy: &Path) -> Result<(), String> {
    let shared = dir.join("valid/__shared.json");
    let ours = load(&[smithy, &shared]).map_err(|e| format!("refused: {e}"))?;
    let json = smithy.with_extension("json");
    if json.exists() {
        let expected = load(&[&json, &shared]).map_err(|e| format!("its JSON twin is refused: {e}"))?;
        if let Some(d) = difference(&ours, &expected) {
            return Err(d);
        }
    }
    let flat = smithy.with_extension("flattened.smithy");
    if flat.exists() {
        let expected = load(&[&flat, &shared]).map_err(|e| format!("its flattened twin is refused: {e}"))?;
        if let Some(d) = difference(&flattened(&ours), &expected) {
            return Err(format!("flattened: {d}"));
        }
    }
    Ok(())
}

/// `Syntax error at line L, column C` in the expected message.
fn expected_position(first_line: &str) -> Option<(u32, u32)> {
    let rest = first_line.split("Syntax error at line ").nth(1)?;
    let (line, rest) = rest.split_once(", column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

fn invalid_case(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let expected = text.lines().next().unwrap_or_default().trim_start_matches('/').trim().to_owned();
    match load(&[path]) {
        Ok(_) => Err(format!("loaded, but must be refused with: {expected}")),
        Err(e) => {
            if let Some((line, col)) = expected_position(&expected) {
                let got = e.pos.map(|p| (p.line, p.col));
                if got != Some((line, col)) {
                    return Err(format!("refused at {got:?}, expected line {line}, column {col}: {e}\n  expected: {expected}"));
                }
            }
            Ok(e.to_string())
        }
    }
}

#[test]
fn smithy_idl_loader_suite() {
    let dir = suite_dir();
    assert!(
        dir.join("valid/__shared.json").exists(),
        "the Smithy IDL suite is missing: set $SMITHY_TESTS_DIR or put shared/smithy-tests beside the repository \
         (looked in {})",
        dir.display()
    );
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    let mut results: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    for path in &all {
        let rel = path.strip_prefix(&dir).unwrap_or(path).display().to_string();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if rel.starts_with("valid/") {
            if !name.ends_with(".smithy") || name.ends_with(".flattened.smithy") {
                continue;
            }
            results.insert(rel, valid_case(&dir, path));
        } else if rel.starts_with("invalid/") {
            if !(name.ends_with(".smithy") || name.ends_with(".json")) {
                continue;
            }
            results.insert(rel, invalid_case(path).map(|_| ()));
        }
    }
    let passed = results.values().filter(|r| r.is_ok()).count();
    let failed = results.len() - passed;
    let mut problems = Vec::new();
    for (case, result) in &results {
        let known = KNOWN_FAILURES.iter().find(|(c, _)| c == case);
        match (result, known) {
            (Err(e), Some((_, reason))) => eprintln!("known failure {case}: {reason}\n  {e}"),
            (Err(e), None) => problems.push(format!("{case}: {e}")),
            (Ok(()), Some(_)) => problems.push(format!("{case}: passes, but is listed in KNOWN_FAILURES")),
            (Ok(()), None) => {}
        }
    }
    assert!(results.len() > 150, "only {} cases found in {}", results.len(), dir.display());
    eprintln!("idl suite: {passed} passed, {failed} failed");
    assert!(problems.is_empty(), "{} unexpected results:\n{}", problems.len(), problems.join("\n"));
}
