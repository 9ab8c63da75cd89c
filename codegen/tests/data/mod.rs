//! Where the tests find the shared data, read where it lies: each folder from its environment
//! variable, else from `shared/` beside the repository. Shared by the test files that read it
//! (`mod data;`); not every file uses every function.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use smithy_codegen::Model;

fn from_var(var: &str, default: &str) -> PathBuf {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared").join(default),
    }
}

/// The AWS models: `$SMITHY_MODELS_DIR`, else `shared/models/aws`.
pub fn models_dir() -> PathBuf {
    from_var("SMITHY_MODELS_DIR", "models/aws")
}

/// Smithy's test suites (`idl/`, `diff/`): `$SMITHY_TESTS_DIR`, else `shared/smithy-tests`.
pub fn smithy_tests_dir() -> PathBuf {
    from_var("SMITHY_TESTS_DIR", "smithy-tests")
}

/// The AWS protocol test suite's JSON AST: `$SMITHY_PROTOCOL_TESTS`, else
/// `shared/protocol-tests/aws-protocol-tests.json`; its IDL is the `idl` folder beside it.
pub fn protocol_suite() -> PathBuf {
    from_var("SMITHY_PROTOCOL_TESTS", "protocol-tests/aws-protocol-tests.json")
}

/// Every file under `dir` whose name ends with `suffix` (all with ""), sorted. A missing
/// folder gives none: callers assert how many they expect.
pub fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The first difference between two models' shapes and metadata, if any.
pub fn difference(a: &Model, b: &Model) -> Option<String> {
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
