//! `smithy_codegen::diff`: smithy-diff's own test cases (`$SMITHY_TESTS_DIR/diff`, else
//! `shared/smithy-tests/diff` beside the repository, else fetched), and the ECR release history
//! (`$SMITHY_MODELS_DIR/../history/ecr`, and the pinned release in `$SMITHY_MODELS_DIR`; else
//! shared/ or fetched: see `data`). The test fails if either is missing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use smithy_codegen::diff::{self, Severity};
use smithy_codegen::{Model, Settings};

mod data;
use data::models_dir;

fn load(path: &Path) -> Model {
    smithy_codegen::load(&path.display().to_string(), &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn smithy_diff_suite() {
    let dir = data::smithy_diff_suite();
    let all = data::files(&dir, "");
    let cases: Vec<&PathBuf> = all.iter().filter(|p| p.to_string_lossy().ends_with(".a.smithy")).collect();
    assert!(cases.len() >= 8, "only {} diff cases in {}", cases.len(), dir.display());
    let mut failures = Vec::new();
    for a in &cases {
        let base = a.to_string_lossy().trim_end_matches(".a.smithy").to_owned();
        let b = PathBuf::from(format!("{base}.b.smithy"));
        let expected_text = std::fs::read_to_string(format!("{base}.events")).unwrap();
        let mut expected: Vec<String> =
            expected_text.split("\n-----\n").map(|e| e.trim_end_matches('\n').to_owned()).filter(|e| !e.is_empty()).collect();
        expected.sort();
        let mut got: Vec<String> = diff::diff(&load(a), &load(&b)).iter().map(ToString::to_string).collect();
        got.sort();
        if got != expected {
            failures.push(format!("{base}:\n  expected {expected:#?}\n  got {got:#?}"));
        }
    }
    eprintln!("diff suite: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The ECR releases, oldest first, the pinned one last.
fn ecr_releases() -> Vec<PathBuf> {
    let history = data::ecr_history();
    let mut releases: Vec<PathBuf> = std::fs::read_dir(&history)
        .unwrap_or_else(|e| panic!("{}: cannot list the ECR history: {e}", history.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    releases.sort();
    assert_eq!(releases.len(), 4, "expected four earlier ECR releases in {}", history.display());
    releases.push(models_dir().join("ecr-2015-09-21.json"));
    releases
}

#[test]
fn every_changed_shape_of_the_ecr_history_has_an_event() {
    let releases = ecr_releases();
    let settings = Settings { version: None, crate_name: None, runtime_path: String::new(), standalone: true, service: None, partitions: Some(data::partitions_text()) };
    for pair in releases.windows(2) {
        let (old, new) = (load(&pair[0]), load(&pair[1]));
        let events = diff::diff(&old, &new);
        let about: BTreeSet<&str> = events.iter().map(|e| e.shape.split('$').next().unwrap_or_default()).collect();
        // What the test computes from the two files on its own: the shapes that differ.
        let ids: BTreeSet<&String> = old.shapes.keys().chain(new.shapes.keys()).collect();
        let mut differ = 0;
        for id in ids {
            if old.shapes.get(id) != new.shapes.get(id) {
                differ += 1;
                assert!(about.contains(id.as_str()), "{} -> {}: {id} differs but no event names it", pair[0].display(), pair[1].display());
            }
        }
        let added: BTreeSet<&String> = new.shapes.keys().filter(|id| !old.shapes.contains_key(*id)).collect();
        let added_events: BTreeSet<&str> = events.iter().filter(|e| e.id == "AddedShape").map(|e| e.shape.as_str()).collect();
        assert_eq!(added.len(), added_events.len());
        let removed = old.shapes.keys().filter(|id| !new.shapes.contains_key(*id)).count();
        assert_eq!(removed, events.iter().filter(|e| e.id == "RemovedShape").count());
        assert!(differ > 0, "{} and {} do not differ", pair[0].display(), pair[1].display());
        // The Rust API summary is computed for every pair.
        diff::rust_api(&old, &new, &settings).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_signing_configuration_release() {
    let releases = ecr_releases();
    let (old, new) = (load(&releases[0]), load(&releases[1]));
    let events = diff::diff(&old, &new);
    let added: Vec<&str> = events.iter().filter(|e| e.id == "AddedShape").map(|e| e.shape.as_str()).collect();
    assert_eq!(added.len(), 26, "{added:#?}");
    assert!(added.iter().any(|s| s.contains("SigningConfiguration")), "{added:#?}");
    // New operations are bound to the service: a NOTE, nothing breaks.
    assert!(events.iter().any(|e| e.id.starts_with("AddedOperationBinding.ToService.")));
    assert!(events.iter().all(|e| e.severity < Severity::Error), "{events:#?}");
}

/// The README's table: which ECR updates would have broken code written against the release
/// before, with exhaustive types and with `#[non_exhaustive]` ones.
#[test]
fn ecr_updates_break_nothing_with_non_exhaustive_types() {
    let releases = ecr_releases();
    let settings = Settings { version: None, crate_name: None, runtime_path: String::new(), standalone: true, service: None, partitions: Some(data::partitions_text()) };
    let mut table = Vec::new();
    for pair in releases.windows(2) {
        let changes = diff::rust_api(&load(&pair[0]), &load(&pair[1]), &settings).unwrap();
        let now: Vec<String> = changes.iter().filter(|c| c.breaks).map(|c| c.item.clone()).collect();
        let before: Vec<String> = changes.iter().filter(|c| c.breaks_if_exhaustive).map(|c| c.item.clone()).collect();
        table.push((now, before));
    }
    let none: Vec<String> = Vec::new();
    assert_eq!(table[0], (none.clone(), none.clone()));
    assert_eq!(table[1], (none.clone(), vec!["types::RctAppliedFor::CreateOnPush".to_owned()]));
    assert_eq!(table[2], (none.clone(), vec!["types::UpstreamRegistry::Chainguard".to_owned()]));
    assert_eq!(
        table[3],
        (none, vec!["error::ListImageReferrersError::UnableToListUpstreamImageReferrersException".to_owned()])
    );
}

/// An added required member and a removed enum value break code under either rule; the
/// events say so too.
#[test]
fn breaking_changes_are_reported() {
    let old = r#"$version: "2"
namespace ex
use aws.protocols#awsJson1_0
@awsJson1_0
service S { version: "1", operations: [Op] }
operation Op { input := { @required a: String, b: Kind }, errors: [Oops] }
enum Kind { A, B }
@error("client") structure Oops { message: String }
"#;
    let new = r#"$version: "2"
namespace ex
use aws.protocols#awsJson1_0
@awsJson1_0
service S { version: "1", operations: [Op] }
operation Op { input := { @required a: String, @required c: Integer, @jsonName("bee") b: Kind }, errors: [Oops] }
enum Kind { A }
@error("client") structure Oops { message: String }
"#;
    let (a, b) = (smithy_codegen::load("a.smithy", old.as_bytes()).unwrap(), smithy_codegen::load("b.smithy", new.as_bytes()).unwrap());
    let events: Vec<String> = diff::diff(&a, &b).iter().map(ToString::to_string).collect();
    assert!(events.contains(&"[ERROR] ex#OpInput$c: Adding a new member with the @required trait but no @default trait is backwards-incompatible: `ex#OpInput$c` | AddedRequiredMember".to_owned()), "{events:#?}");
    assert!(events.contains(&"[ERROR] ex#Kind$B: Enum value `B` was removed | ChangedEnum.Removed".to_owned()), "{events:#?}");
    assert!(events.contains(&"[ERROR] ex#OpInput$b: Added trait `smithy.api#jsonName` with value `bee` | TraitBreakingChange.Add.smithy.api#jsonName".to_owned()), "{events:#?}");
    let settings = Settings { version: None, crate_name: None, runtime_path: String::new(), standalone: true, service: None, partitions: Some(data::partitions_text()) };
    let changes = diff::rust_api(&a, &b, &settings).unwrap();
    let breaking: Vec<(&str, &str)> = changes.iter().filter(|c| c.breaks).map(|c| (c.item.as_str(), c.what.as_str())).collect();
    assert_eq!(
        breaking,
        [("types::Kind::B", "variant removed"), ("types::OpInput::new", "`new(..)` gained `c`")],
        "{changes:#?}"
    );
}
