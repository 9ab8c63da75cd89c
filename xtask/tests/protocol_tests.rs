//! Runs `cargo xtask protocol-tests`, then `cargo xtask protocol-tests --idl`, and fails if any
//! case of the AWS protocol test suite fails, or if fewer request cases run than already did.
//! S3's request cases take their hosts from S3's endpoint rules, which the command borrows from
//! the AWS S3 model in the models folder (`$SMITHY_MODELS_DIR`, else `shared/models/aws`).
//!
//! Takes a minute or so on a cold build (the generated crates are compiled in
//! `target/protocol-tests/`). The command finds the suite: `$SMITHY_PROTOCOL_TESTS`, else
//! `../shared/protocol-tests/aws-protocol-tests.json` beside the workspace, else the test-data
//! cache or a mirror; without it the test fails with the command's one-line error.

use std::process::Command;

#[test]
fn protocol_test_cases_pass() {
    // The suite from its JSON AST, then from its IDL (one after the other: both use the same
    // scratch workspace). The JSON AST was assembled here and no upstream publishes it: without
    // it (a bare machine with no mirror), only the IDL runs, and this says so.
    match smithy_testdata::locate("protocol-tests/aws-protocol-tests.json") {
        Ok(_) => check(&[], MIN_REQUESTS_PASSING),
        Err(why) => eprintln!("NOT RUN: the protocol tests from the suite's JSON AST (the IDL's run below): {why}"),
    }
    check(&["--idl"], MIN_REQUESTS_PASSING_IDL);
}

fn check(args: &[&str], min_requests: u32) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("protocol-tests")
        .args(args)
        .output()
        .expect("run xtask protocol-tests");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `<what>: N passed, M failed`
    let counts = |what: &str| -> Option<(u32, u32)> {
        let line = stdout.lines().find_map(|line| line.strip_prefix(what))?;
        let (passed, failed) = line.strip_suffix(" failed")?.split_once(" passed, ")?;
        Some((passed.trim().parse().ok()?, failed.parse().ok()?))
    };
    let responses = counts("responses:");
    assert!(
        matches!(responses, Some((passed, 0)) if passed > 0),
        "response cases failed ({args:?}, {}):\n{stdout}\n{stderr}",
        output.status
    );
    // Every request case passes, and none went missing.
    let requests = counts("requests:");
    assert!(
        matches!(requests, Some((passed, 0)) if passed >= min_requests),
        "request cases failed, or fewer than {min_requests} passed ({args:?}, {}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(output.status.success(), "protocol-tests {args:?} failed ({}):\n{stdout}\n{stderr}", output.status);
}

/// The request cases of the suite's JSON AST, all passing.
const MIN_REQUESTS_PASSING: u32 = 406;
/// The same from the suite's IDL, whose newer snapshot has one more request case (a nested
/// union in restJson1).
const MIN_REQUESTS_PASSING_IDL: u32 = 407;
