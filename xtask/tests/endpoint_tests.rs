//! Runs `cargo xtask endpoint-tests` on the AWS models (`$SMITHY_MODELS_DIR`, else
//! `shared/models/aws`, else the test-data cache or a download; missing, the test fails with
//! the one-line error): every `smithy.rules#endpointTests` case must pass, its params resolved
//! in-process and its `operationInputs` through the generated crates, which the command builds
//! in `target/endpoint-tests/` (a few minutes cold, seconds warm). Then on a small model of
//! ours (`fixtures/endpoint_tests.json`) whose cases pass and fail in known ways, for the
//! report; and on bad input, for the one-line error.

use std::path::Path;
use std::process::{Command, Output};

fn endpoint_tests(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("endpoint-tests")
        .args(args)
        .output()
        .expect("run xtask endpoint-tests")
}

/// The `N passed, M failed` of a line that starts with `what`.
fn counts(stdout: &str, what: &str) -> Option<(u32, u32)> {
    let line = stdout.lines().find_map(|line| line.strip_prefix(what))?;
    let (passed, failed) = line
        .trim()
        .strip_suffix(" failed")?
        .split_once(" passed, ")?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

#[test]
fn endpoint_test_cases_pass() {
    let models = smithy_testdata::require("models/aws");
    let output = endpoint_tests(&[models.as_os_str()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stdout.lines().last().unwrap_or_default();
    let total = counts(last, "endpoint tests:");
    assert!(
        output.status.success() && matches!(total, Some((passed, 0)) if passed > 0),
        "endpoint test cases failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // A line per model file, and the operation inputs did run through generated crates.
    let files = std::fs::read_dir(&models)
        .expect("read the models folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count();
    let model_lines = stdout
        .lines()
        .filter(|l| l.contains(".json: ") && l.ends_with(" failed"))
        .count();
    assert_eq!(model_lines, files, "{stdout}");
    assert!(
        stderr.contains(" operation inputs of "),
        "no operation inputs ran:\n{stderr}"
    );

    // Our model: 4 cases pass (an endpoint from the region, a @contextParam member of the
    // input, a client context param, an error rule); one expects the wrong URL (both its
    // params and its operation input fail), one names an operation the service lacks.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoint_tests.json");
    // Its own scratch workspace: sharing one, each build would evict the other's (the runtime's
    // features differ).
    let scratch = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/endpoint-tests-fixture");
    let output = endpoint_tests(&[
        "--scratch".as_ref(),
        scratch.as_os_str(),
        fixture.as_os_str(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let failures: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("FAILED "))
        .collect();
    assert_eq!(failures.len(), 3, "{stdout}");
    assert!(failures[0].contains("case 4 (a wrong expectation): params: url: expected \"https://weather.us-east-1.example.com\", got \"https://weather.eu-west-1.example.com\""), "{stdout}");
    assert!(
        failures[1].contains(
            "case 4 (a wrong expectation): operationInputs[0] GetForecast: url: expected"
        ),
        "{stdout}"
    );
    assert!(failures[2].contains("case 5 (an operation the service lacks): operationInputs[0] GetTides: the service has no operation GetTides"), "{stdout}");
    assert!(
        stdout.contains("endpoint_tests.json: 4 passed, 2 failed\n"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().last(),
        Some("endpoint tests: 4 passed, 2 failed"),
        "{stdout}"
    );
}

#[test]
fn bad_input_is_one_line() {
    let dir = std::env::temp_dir().join(format!("xtask-endpoint-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a temp dir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"smithy\": \"2.0\", \"shapes\": {").expect("write a model");
    let missing = dir.join("missing.json");
    for (path, message) in [(&bad, "invalid JSON"), (&missing, "no such file or folder")] {
        let output = endpoint_tests(&[path.as_os_str()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ")
                && stderr.contains(message)
                && stderr.contains(&path.display().to_string()),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let output = endpoint_tests(&[]);
    assert_eq!(output.status.code(), Some(2));
}
