//! `cargo xtask codegen --model FILE --out DIR` on bad models: for each, exit code 1, exactly one
//! `error: ` line on stderr naming the file (and the shape and member where they apply), no
//! panic, and the folder `DIR` (which holds a previously generated crate) byte-identical
//! afterwards, with nothing left beside it. The large inputs (50 MB, 100,000 levels deep) are
//! made here, never committed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

// The xtask binary's scratch folders; an integration test cannot reach its modules otherwise.
#[path = "../src/temp.rs"]
mod temp;

use temp::TempDir;

fn xtask(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask")
}

fn codegen(model: &Path, out: &Path, check: bool) -> Output {
    let mut args = vec!["codegen".as_ref()];
    if check {
        args.push("--check".as_ref());
    }
    args.extend([
        "--model".as_ref(),
        model.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    xtask(&args)
}

/// Every file and folder under `dir`, with the bytes of the files.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.insert(format!("{rel}/"), None);
                stack.push(path);
            } else {
                out.insert(rel, Some(fs::read(&path).expect("read")));
            }
        }
    }
    out
}

/// A folder holding a crate generated from a small valid model, plus a build folder and a lock
/// file as `cargo build` would leave them.
fn previously_generated(root: &Path) -> PathBuf {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/shapes.json");
    let out = root.join("out").join("crate");
    let output = codegen(&fixture, &out, false);
    assert!(
        output.status.success(),
        "generating the fixture failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::create_dir_all(out.join("target/debug")).expect("mkdir");
    fs::write(out.join("target/debug/sentinel"), "build output").expect("write");
    fs::write(out.join("Cargo.lock"), "# lock\n").expect("write");
    fs::write(
        out.join("src/lib.rs"),
        b"// edited by hand, so a write would be noticed\n",
    )
    .expect("write");
    out
}

/// What the one line must say.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// `shape `...``, `member `...`` and message fragments.
    expect: Vec<String>,
}

fn case(name: &'static str, bytes: impl Into<Vec<u8>>, expect: &[&str]) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

/// A model with a service, an operation and the given extra shapes (JSON object entries).
fn model(extra: &str) -> String {
    let base = r#""ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
            "traits": {"aws.protocols#awsJson1_1": {}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "errors": [{"target": "ex#Oops"}]},
        "ex#Oops": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "client"}}"#;
    let input = if extra.contains("\"ex#In\"") {
        String::new()
    } else {
        r#", "ex#In": {"type": "structure", "members": {"thing": {"target": "ex#Thing"}}}"#
            .to_owned()
    };
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(r#"{{"smithy": "2.0", "shapes": {{{base}{input}{extra}}}}}"#)
}

fn cases() -> Vec<Case> {
    let thing = |members: &str| {
        model(&format!(
            r#""ex#Thing": {{"type": "structure", "members": {{{members}}}}}"#
        ))
    };
    let deep = 100_000;
    let fifty_mb = 50 << 20;
    let doc = "All work and no play makes a long model. ".repeat(30);
    let mut long = String::with_capacity(fifty_mb + 4096);
    long.push_str(r#""ex#Thing": {"type": "structure", "members": {"s": {"target": "ex#S0"}}}"#);
    let mut i = 0;
    while long.len() < fifty_mb {
        long.push_str(&format!(
            r#", "ex#S{i}": {{"type": "structure", "members": {{"next": {{"target": "ex#S{}"}}}}, "traits": {{"smithy.api#documentation": "{doc}"}}}}"#,
            i + 1
        ));
        i += 1;
    }
    let last = format!("shape `ex#S{}`", i - 1);
    let missing = format!("member targets unknown shape `ex#S{i}`");
    let fifty_mb_model = model(&long);
    drop(long);
    vec![
        case("empty", "", &["the file is empty"]),
        case(
            "malformed",
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "string",}}}"#,
            &["invalid JSON: trailing comma at line 1"],
        ),
        case(
            "truncated",
            &model("")[..100],
            &["invalid JSON: EOF while parsing"],
        ),
        case(
            "wrong smithy version",
            r#"{"smithy": "0.9", "shapes": {}}"#,
            &["unsupported Smithy version `0.9`"],
        ),
        case(
            "no service",
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "string"}}}"#,
            &["the model defines no service shape"],
        ),
        case(
            "unknown shape type",
            model(r#""ex#Thing": {"type": "widget"}"#),
            &["shape `ex#Thing`", "unknown shape type `widget`"],
        ),
        case(
            "dangling target",
            thing(r#""x": {"target": "ex#Missing"}"#),
            &[
                "shape `ex#Thing`",
                "member `x`",
                "member targets unknown shape `ex#Missing`",
            ],
        ),
        case(
            "dangling operation input",
            model(
                r#""ex#Other": {"type": "operation", "input": {"target": "ex#Nope"}}, "ex#Thing": {"type": "string"}"#,
            ),
            &[
                "shape `ex#Other`",
                "operation input targets unknown shape `ex#Nope`",
            ],
        ),
        case(
            "invalid shape ID",
            model(r#""ex#Thing": {"type": "string"}, "not-an-id": {"type": "string"}"#),
            &["invalid shape ID `not-an-id`"],
        ),
        case(
            "invalid target ID",
            thing(r#""x": {"target": "String"}"#),
            &[
                "shape `ex#Thing`",
                "member `x`",
                "invalid target shape ID `String`",
            ],
        ),
        case(
            "missing mixin",
            model(r#""ex#Thing": {"type": "structure", "mixins": [{"target": "ex#Base"}]}"#),
            &["shape `ex#Thing`", "mixin `ex#Base` does not exist"],
        ),
        case(
            "trait value of the wrong type",
            thing(
                r#""x": {"target": "smithy.api#String", "traits": {"smithy.api#required": true}}"#,
            ),
            &[
                "shape `ex#Thing`",
                "member `x`",
                "trait `smithy.api#required` must be an object, found a boolean",
            ],
        ),
        case(
            "member on a string",
            model(
                r#""ex#Thing": {"type": "string", "members": {"x": {"target": "smithy.api#String"}}}"#,
            ),
            &["shape `ex#Thing`", "a string shape cannot have `members`"],
        ),
        case(
            "cycle of required members",
            model(
                r#""ex#Thing": {"type": "structure", "members": {"a": {"target": "ex#A"}}},
                "ex#A": {"type": "structure", "members": {"b": {"target": "ex#B", "traits": {"smithy.api#required": {}}}}},
                "ex#B": {"type": "structure", "members": {"a": {"target": "ex#A", "traits": {"smithy.api#required": {}}}}}"#,
            ),
            &[
                "shape `ex#B`",
                "member `a`",
                "structure cycle through required members only (ex#A -> ex#B -> ex#A)",
            ],
        ),
        case(
            "a list of itself",
            model(r#""ex#Thing": {"type": "list", "member": {"target": "ex#Thing"}}"#),
            &[
                "shape `ex#Thing`",
                "member `member`",
                "a list or map contains itself",
            ],
        ),
        case(
            "not UTF-8",
            b"{\"smithy\": \"2.0\", \"shapes\": {\"ex#\xc0\xafA\": {}}}".to_vec(),
            &["not valid UTF-8 (invalid byte at offset 33)"],
        ),
        case(
            "nested 100,000 levels",
            format!(
                "{{\"smithy\": \"2.0\", \"x\": {}{}}}",
                "[".repeat(deep),
                "]".repeat(deep)
            ),
            &["invalid JSON: recursion limit exceeded"],
        ),
        case(
            "50 MB",
            fifty_mb_model,
            &[last.as_str(), "member `next`", missing.as_str()],
        ),
        case(
            "50 MB shape ID",
            format!(
                r#"{{"smithy": "2.0", "shapes": {{"ex#{}": {{"type": "string"}}}}}}"#,
                "a-".repeat(fifty_mb / 2)
            ),
            &["invalid shape ID `ex#a-a-a-", "…"],
        ),
    ]
}

#[test]
fn bad_models_fail_with_one_line_and_touch_nothing() {
    let temp = TempDir::new("bad-models-cases");
    let out = previously_generated(temp.path());
    let out_parent = out.parent().expect("parent").to_path_buf();
    let before = snapshot(&out_parent);
    let mut failures = Vec::new();
    for (n, c) in cases().into_iter().enumerate() {
        let file = temp.path().join(format!("case-{n}.json"));
        fs::write(&file, &c.bytes).expect("write the model");
        let shown = file.display().to_string();
        for check in [false, true] {
            let start = Instant::now();
            let output = codegen(&file, &out, check);
            let took = start.elapsed();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            let line = lines.first().copied().unwrap_or_default();
            let mut problems = Vec::new();
            if output.status.code() != Some(1) {
                problems.push(format!("exit status {}", output.status));
            }
            if lines.len() != 1 {
                problems.push(format!("{} lines on stderr", lines.len()));
            }
            if !line.starts_with(&format!("error: {shown}: ")) {
                problems.push("the line does not start with `error: <file>: `".to_owned());
            }
            for expected in &c.expect {
                if !line.contains(expected.as_str()) {
                    problems.push(format!("no {expected:?}"));
                }
            }
            if stderr.contains("panicked") || stderr.contains("overflow") {
                problems.push("a panic".to_owned());
            }
            if line.len() > 2_000 {
                problems.push(format!("a line of {} bytes", line.len()));
            }
            if !output.stdout.is_empty() {
                problems.push(format!(
                    "stdout: {}",
                    String::from_utf8_lossy(&output.stdout)
                ));
            }
            if took > Duration::from_secs(60) {
                problems.push(format!("took {took:?}"));
            }
            if snapshot(&out_parent) != before {
                problems.push("the output folder changed".to_owned());
            }
            if !problems.is_empty() {
                let short: String = stderr.chars().take(500).collect();
                failures.push(format!(
                    "{}{}: {}\n  stderr: {short}",
                    c.name,
                    if check { " (--check)" } else { "" },
                    problems.join("; ")
                ));
            }
        }
        let _ = fs::remove_file(&file);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unreadable_model_fails_the_same_way() {
    let temp = TempDir::new("bad-models-unreadable");
    let out = previously_generated(temp.path());
    // A missing file, and a folder with no model file in it (a folder is read as a model of
    // all its `.smithy` and `.json` files).
    let empty = temp.path().join("empty-folder");
    fs::create_dir(&empty).unwrap();
    let before = snapshot(temp.path());
    for (model, expected) in [
        (temp.path().join("missing.json"), "cannot read the model: "),
        (empty.clone(), "the folder holds no .smithy or .json file"),
    ] {
        let output = codegen(&model, &out, false);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {}: {expected}", model.display())),
            "{stderr}"
        );
        assert_eq!(snapshot(temp.path()), before);
    }
}

#[test]
fn a_bad_model_into_a_new_folder_creates_nothing() {
    let temp = TempDir::new("bad-models-new-folder");
    let file = temp.path().join("bad.json");
    fs::write(&file, model(r#""ex#Thing": {"type": "widget"}"#)).expect("write");
    let out = temp.path().join("not").join("yet");
    let output = codegen(&file, &out, false);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        !temp.path().join("not").exists(),
        "the output folder was created"
    );
}
