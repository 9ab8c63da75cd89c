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
use std::path::Path;

use smithy_codegen::{Loader, Model};

mod data;
use data::difference;

/// Cases we do not pass, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[(
    "valid/traits.smithy",
    "its JSON twin holds 1.7976931348623157E+309, beyond a double; our JSON reader (serde_json without \
     arbitrary precision) refuses it",
)];

/// The invalid cases whose expected message names no line and column (semantic errors), with
/// a part of the message we refuse them with: each must be refused for its own reason, not by
/// some other error on the way.
const SEMANTIC_ERRORS: &[(&str, &str)] = &[
    ("invalid/metadata/space-after-node-array-keyword.smithy", "does not resolve to a valid shape ID"),
    ("invalid/mixins/mixins-trait-in-implicit-1-0.smithy", "mixins can only be used in Smithy 2.0"),
    ("invalid/mixins/member-mixin-conflict-1.smithy", "inherited from two mixins with different targets"),
    ("invalid/mixins/operation-mixin-with-io.smithy", "an operation mixin must not bind an input or an output"),
    ("invalid/mixins/mix-types.smithy", "mixins may only be mixed into shapes of their own type"),
    ("invalid/mixins/resource-mixin-with-properties.smithy", "a resource mixin may not define identifiers or properties"),
    ("invalid/elision/structure-member-elision-in-v1.smithy", "Members can only elide targets in IDL version 2"),
    ("invalid/elision/elide-nonexistent-id.smithy", "member target was elided"),
    ("invalid/elision/for-referencing-non-resource.smithy", "the target of `for` must be a resource shape"),
    ("invalid/elision/elided-type-conflicts.smithy", "member conflicts with an inherited mixin member"),
    ("invalid/elision/eliding-with-resources-in-v1.smithy", "version 2"),
    ("invalid/version/invalid-version-type.smithy", "must have a string value"),
    ("invalid/version/properties-v2-only.json", "resource properties can only be used with Smithy version 2"),
    ("invalid/version/properties-v2-only.smithy", "Resource properties can only be used with Smithy version 2"),
    ("invalid/lists/set-empty-members.smithy", "a list shape must have a `member`"),
    ("invalid/lists/list-empty-members.smithy", "a list shape must have a `member`"),
    ("invalid/operations/invalid-operation-properties.smithy", "Unknown property invalidOperationKey"),
    ("invalid/inline-io/inline-io-in-explicit-1-0.smithy", "Inlined operation inputs and outputs can only be used with Smithy version 2"),
    ("invalid/maps/map-empty-members.smithy", "a map shape must have a `key` and a `value`"),
    ("invalid/enums/enum-without-member.smithy", "an enum shape needs at least one member"),
    ("invalid/enums/enum-with-bad-values.smithy", "enum members can only be assigned string values"),
    ("invalid/enums/intEnum-with-bad-value.smithy", "intEnum members require integer values"),
    ("invalid/enums/int-enum-without-member.smithy", "an intEnum shape needs at least one member"),
    ("invalid/enums/intEnum-with-float.smithy", "must be a string or an integer, found a number"),
    ("invalid/enums/intEnum-with-long.smithy", "intEnum members must fit within an integer"),
    ("invalid/use/conflicting-use.smithy", "Cannot use name `foo.baz#String` because it conflicts"),
    ("invalid/use/conflicting-shape-def.smithy", "conflicts with imported shape `smithy.api#String`"),
    ("invalid/use/use-with-member.smithy", "Use statements cannot use members"),
];

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

fn first_line(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines().next().unwrap_or_default().trim_start_matches('/').trim().to_owned()
}

fn invalid_case(path: &Path) -> Result<String, String> {
    let expected = first_line(path);
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
    let dir = data::smithy_idl_suite();
    let all = data::files(&dir, "");
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
            let result = invalid_case(path).and_then(|message| {
                match SEMANTIC_ERRORS.iter().find(|(case, _)| *case == rel) {
                    Some((_, part)) if !message.contains(part) => {
                        Err(format!("refused with `{message}`, which does not say `{part}`"))
                    }
                    None if expected_position(&first_line(path)).is_none() => {
                        Err(format!("a semantic case missing from SEMANTIC_ERRORS; refused with `{message}`"))
                    }
                    _ => Ok(()),
                }
            });
            results.insert(rel, result);
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
