//! Where the tests find the shared data, through `smithy-testdata`: each item of
//! `models/test-data.json` from its environment variable, else `shared/` beside the repository,
//! else the download cache `models/cache/test-data/`, else downloaded there (checked against
//! its sha256). A missing item fails the test with one line: what is missing, where it was
//! looked for, and the command that fetches it. Shared by the test files that read it
//! (`mod data;`); not every file uses every function.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use smithy_codegen::Model;

/// The AWS models: `$SMITHY_MODELS_DIR`, else `shared/models/aws`.
pub fn models_dir() -> PathBuf {
    smithy_testdata::require("models/aws")
}

/// The text of the AWS partition table (smithy-aws-endpoints' `partitions.json`), which
/// endpoint rules calling `aws.partition` need: `shared/reference/endpoints`, else the cache.
pub fn partitions_text() -> String {
    let path = smithy_testdata::require("reference/endpoints").join("partitions.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("error: {}: {e}", path.display()))
}

/// The earlier ECR releases: `$SMITHY_MODELS_DIR/../history/ecr`, else
/// `shared/models/history/ecr`.
pub fn ecr_history() -> PathBuf {
    smithy_testdata::require("models/history/ecr")
}

/// Smithy's IDL loader suite: `$SMITHY_TESTS_DIR/idl`, else `shared/smithy-tests/idl`.
pub fn smithy_idl_suite() -> PathBuf {
    smithy_testdata::require("smithy-tests/idl")
}

/// smithy-diff's suite: `$SMITHY_TESTS_DIR/diff`, else `shared/smithy-tests/diff`.
pub fn smithy_diff_suite() -> PathBuf {
    smithy_testdata::require("smithy-tests/diff")
}

/// The AWS protocol test suite as IDL: the `idl` folder beside `$SMITHY_PROTOCOL_TESTS`, else
/// `shared/protocol-tests/idl`.
pub fn protocol_suite_idl() -> PathBuf {
    smithy_testdata::require("protocol-tests/idl")
}

/// The AWS protocol test suite's JSON AST: `$SMITHY_PROTOCOL_TESTS`, else
/// `shared/protocol-tests/aws-protocol-tests.json`, else the cache or a mirror. No upstream
/// publishes this file (it was assembled here), so on a machine without it this is the
/// one-line reason it is missing.
pub fn protocol_suite_json() -> Result<PathBuf, String> {
    smithy_testdata::locate("protocol-tests/aws-protocol-tests.json")
        .map(|dir| dir.join("aws-protocol-tests.json"))
}

/// Every file under `dir` whose name ends with `suffix` (all with ""), sorted. A missing
/// folder gives none: callers assert how many they expect.
pub fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
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
    (a.metadata != b.metadata)
        .then(|| format!("metadata differs: {:?} vs {:?}", a.metadata, b.metadata))
}

/// Smithy's rules-engine suite: `$SMITHY_TESTS_DIR/rules-engine`, else
/// `shared/smithy-tests/rules-engine`.
pub fn rules_engine_suite() -> PathBuf {
    smithy_testdata::require("smithy-tests/rules-engine")
}

/// The AWS partition table behind `aws.partition` (smithy-aws-endpoints' `partitions.json`),
/// parsed.
pub fn partition_table() -> smithy_runtime::endpoint::Partitions {
    let path = smithy_testdata::require("reference/endpoints").join("partitions.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("error: {}: {e}", path.display()));
    smithy_runtime::endpoint::Partitions::from_json(&text)
        .unwrap_or_else(|e| panic!("error: {}: {e}", path.display()))
}
