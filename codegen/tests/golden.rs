//! Golden tests: each model in `tests/fixtures/` is generated and compared with the checked-in
//! crate in `tests/golden/<name>/`. Those crates are workspace members, so `cargo build`,
//! `cargo clippy` and `cargo test` compile what the generator produced.
//!
//! A mismatch fails. To accept new output, rerun with `UPDATE_EXPECT=1`; checking never
//! rewrites anything on its own.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use smithy_codegen::Settings;

mod data;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn generate(name: &str) -> BTreeMap<String, String> {
    let path = root().join("fixtures").join(format!("{name}.json"));
    let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = format!("fixtures/{name}.json");
    let model = smithy_codegen::load(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings { version: None,
        crate_name: Some(format!("golden-{name}")),
        runtime_path: "../../../../runtime".to_owned(),
        standalone: false,
        service: None,
        partitions: Some(data::partitions_text()),
    };
    smithy_codegen::generate(&model, &settings).unwrap_or_else(|e| panic!("{e}")).files
}

fn files_on_disk(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = fs::read_to_string(&path) {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                out.insert(rel, text);
            }
        }
    }
    out
}

fn check(name: &str) {
    let generated = generate(name);
    // Byte-identical on a second run.
    assert_eq!(generated, generate(name), "{name}: output is not deterministic");
    let dir = root().join("golden").join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let _ = fs::remove_dir_all(&dir);
        for (rel, text) in &generated {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
        }
        return;
    }
    let on_disk = files_on_disk(&dir);
    let mut problems = Vec::new();
    for (rel, text) in &generated {
        match on_disk.get(rel) {
            None => problems.push(format!("{rel}: missing")),
            Some(old) if old != text => {
                let line = old.lines().zip(text.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
                problems.push(format!("{rel}: differs (first at line {line})"));
            }
            Some(_) => {}
        }
    }
    for rel in on_disk.keys().filter(|k| !generated.contains_key(*k)) {
        problems.push(format!("{rel}: not generated any more"));
    }
    assert!(
        problems.is_empty(),
        "golden output of fixtures/{name}.json is stale:\n  {}\nrerun with UPDATE_EXPECT=1 to accept the new output",
        problems.join("\n  ")
    );
}

#[test]
fn naming_obstacle_course() {
    check("naming");
}

#[test]
fn every_shape_type() {
    check("shapes");
}

#[test]
fn query_errors() {
    check("query");
}

#[test]
fn service_without_errors() {
    check("quiet");
}

#[test]
fn rpcv2_cbor_requests_and_responses() {
    check("cbor");
}

#[test]
fn rest_request_bindings() {
    check("rest");
}

#[test]
fn http_checksums() {
    check("checksum");
}

#[test]
fn errors_as_s3_sends_them() {
    check("errors");
}

#[test]
fn endpoint_rules_and_bindings() {
    check("endpoints");
}

#[test]
fn auth_schemes_optional_auth_and_unsigned_payload() {
    check("auth");
}
