//! `cargo xtask diff OLD NEW`: event lines, the Rust API summary, and `--fail-on`.

use std::path::PathBuf;
use std::process::Command;

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const OLD: &str = r#"$version: "2"
namespace ex
use aws.protocols#restJson1
@restJson1
service S { version: "1", operations: [Get] }
@readonly @http(method: "GET", uri: "/things/{id}")
operation Get { input := { @required @httpLabel id: String }, output := { name: String } }
"#;

#[test]
fn events_then_the_rust_api_and_fail_on() {
    let dir = std::env::temp_dir().join(format!("xtask-diff-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = write(&dir, "old.smithy", OLD);
    // Compatible: a member added to the output.
    let added = write(&dir, "added.smithy", &OLD.replace("output := { name: String }", "output := { name: String, size: Long }"));
    // Breaking: the label renamed.
    let renamed = write(&dir, "renamed.smithy", &OLD.replace("{id}", "{key}").replace("id: String", "key: String"));
    let run = |a: &PathBuf, b: &PathBuf, extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("diff").arg(a).arg(b).args(extra).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };

    let (code, out, err) = run(&old, &added, &["--fail-on", "ERROR"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("[NOTE] ex#GetOutput$size: Added member `ex#GetOutput$size` | AddedMember\n"), "{out}");
    assert!(out.contains("  [ok] types::GetOutput::size: field added (`Option<i64>`)\n"), "{out}");
    assert!(out.ends_with("Code written against the old crate still compiles.\n"), "{out}");

    let (code, out, err) = run(&old, &renamed, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("[ERROR] ex#GetInput$id: Removed member `ex#GetInput$id` | RemovedMember\n"), "{out}");
    assert!(out.contains("[ERROR] ex#Get: Changed trait `smithy.api#http` from"), "{out}");
    assert!(out.contains("  [breaks] types::GetInput::new: `new(..)` gained `key` and lost `id`\n"), "{out}");
    assert!(out.contains("Code written against the old crate may not compile"), "{out}");
    let (code, _, _) = run(&old, &renamed, &["--fail-on", "ERROR"]);
    assert_eq!(code, Some(1));
    let (code, _, err) = run(&old, &renamed, &["--fail-on", "SEVERE"]);
    assert_eq!(code, Some(2), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
