//! Runs `cargo xtask protocol-tests` and fails if any case of the AWS protocol test suite fails.
//!
//! Takes a minute or so on a cold build (the generated crates are compiled in
//! `target/protocol-tests/`). The suite is `$SMITHY_PROTOCOL_TESTS`, else
//! `../shared/protocol-tests/aws-protocol-tests.json` beside the workspace; without it the test
//! fails, saying what to set.

use std::path::Path;
use std::process::Command;

#[test]
fn every_protocol_test_case_passes() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace folder");
    let suite = match std::env::var_os("SMITHY_PROTOCOL_TESTS").filter(|v| !v.is_empty()) {
        Some(var) => var.into(),
        None => workspace.join("../shared/protocol-tests/aws-protocol-tests.json"),
    };
    assert!(
        suite.is_file(),
        "no AWS protocol test suite at {}: set SMITHY_PROTOCOL_TESTS to the \
         aws-protocol-tests.json file, or put shared/ (with protocol-tests/ in it) beside the \
         repository",
        suite.display()
    );
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("protocol-tests")
        .output()
        .expect("run xtask protocol-tests");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stdout.lines().last().unwrap_or_default();
    let counts: Option<(u32, u32)> = last
        .strip_suffix(" failed")
        .and_then(|rest| rest.split_once(" passed, "))
        .and_then(|(passed, failed)| Some((passed.parse().ok()?, failed.parse().ok()?)));
    assert!(
        output.status.success() && matches!(counts, Some((passed, 0)) if passed > 0),
        "cargo xtask protocol-tests failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}
