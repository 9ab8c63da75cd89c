//! Smithy's rules-engine suite, read where it lies: `$SMITHY_TESTS_DIR/rules-engine`, else
//! `shared/smithy-tests/rules-engine` beside the repository. The test fails if it is missing.
//!
//! - `tests/*.smithy`: each service's `endpointRuleSet` compiles and every case of its
//!   `endpointTests` gives exactly the expected endpoint or error. A case with
//!   `operationInputs` runs here by its `params` (which these files all give); the xtask's
//!   `endpoint-tests` checks the operation inputs through the generated `endpoint_params`.
//! - `core/errorfiles` and `aws/errorfiles`: the rulesets under `valid/` compile and their
//!   cases pass; those under `invalid/` whose `.errors` file holds an `[ERROR]` about the
//!   ruleset or its tests are refused (the ruleset does not compile, or a case cannot run),
//!   with one line naming the rule.
//! - `core/invalid-rules/*.json5` and `aws/invalid-rules/*.json5`: each ruleset is refused
//!   with one line naming the rule.
//!
//! Prints one `rules-engine ...: N passed, M failed` tally per part.

use std::path::Path;

use serde_json::Value;
use smithy_codegen::endpoint_tests::{cases, check, resolve_json};
use smithy_codegen::Model;
use smithy_runtime::endpoint::{Partitions, RuleSet};

mod data;

/// The validation events of Smithy's that concern what the rules engine checks: the ruleset
/// (its parsing, types, version, URLs and auth schemes) and its test cases. An `[ERROR]` with
/// another event ID is about how the service's model binds the parameters, checked by the
/// generator's own validation if at all, not by the engine:
/// - `RuleSetParameter.RuleSet.*` (ruleset parameters against `clientContextParams`),
///   `RuleSetParameter.ContextParam.*`, `.StaticContextParams.*`,
///   `.OperationContextParams.*`, `.Operation.RequiredMissing`: the bindings of operations;
/// - `OperationContextParamsTrait`: JMESPath paths of `operationContextParams`;
/// - `RuleSetBuiltIn.*`: which built-ins are registered, a property of the SDK and its
///   plugins, not of a ruleset (an unknown built-in is a parameter like any other here);
/// - `AwsSpecialCaseEndpoint.*`: the `standardRegionalEndpoints` trait, not a ruleset.
const ENGINE_EVENTS: &[&str] = &[
    "RulesEngineVersion",
    "RuleSetTestCase",
    "RuleSetParameter.TestCase",
    "RuleSetUri",
    "RuleSetAuthSchemes",
];

/// Each service's ruleset and tests in a loaded model, by service shape ID.
fn services(model: &Model) -> Vec<(String, Option<Value>, Option<Value>)> {
    model
        .shapes
        .values()
        .filter(|s| s.kind == smithy_codegen::ShapeKind::Service)
        .filter(|s| {
            s.traits.contains_key("smithy.rules#endpointRuleSet")
                || s.traits.contains_key("smithy.rules#endpointTests")
        })
        .map(|s| {
            (
                s.id.clone(),
                s.traits.get("smithy.rules#endpointRuleSet").cloned(),
                s.traits.get("smithy.rules#endpointTests").cloned(),
            )
        })
        .collect()
}

fn load(path: &Path) -> Result<Model, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    smithy_codegen::load(&path.to_string_lossy(), &bytes).map_err(|e| e.to_string())
}

/// Compiles a service's ruleset and runs its cases: the failures, one line each, and how
/// many cases passed.
fn run_service(
    name: &str,
    rules: Option<&Value>,
    tests: Option<&Value>,
    partitions: &Partitions,
) -> (usize, Vec<String>) {
    let Some(rules) = rules else {
        return (
            0,
            vec![format!("{name}: endpointTests without an endpointRuleSet")],
        );
    };
    let rules = match RuleSet::compile(rules, partitions.clone()) {
        Ok(r) => r,
        Err(e) => return (0, vec![format!("{name}: ruleset refused: {e}")]),
    };
    let cases = match tests.map(cases).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return (0, vec![format!("{name}: endpointTests: {e}")]),
    };
    let mut passed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let outcome =
            resolve_json(&rules, &case.params).and_then(|result| check(&result, &case.expect));
        match outcome {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!("{name}: case {i} ({:?}): {e}", case.documentation)),
        }
    }
    (passed, failures)
}

#[test]
fn rules_engine_test_cases() {
    let suite = data::rules_engine_suite();
    let partitions = data::partition_table();
    let files = data::files(&suite.join("tests"), ".smithy");
    assert!(
        files.len() >= 12,
        "expected the suite's tests/*.smithy in {}",
        suite.display()
    );
    let (mut passed, mut failed) = (0, Vec::new());
    for file in &files {
        let short = file
            .strip_prefix(&suite)
            .unwrap_or(file)
            .display()
            .to_string();
        let model = match load(file) {
            Ok(m) => m,
            Err(e) => {
                failed.push(format!("{short}: not loaded: {e}"));
                continue;
            }
        };
        let services = services(&model);
        if services.is_empty() {
            failed.push(format!("{short}: no service with an endpointRuleSet"));
        }
        for (id, rules, tests) in &services {
            let (p, f) = run_service(
                &format!("{short} {id}"),
                rules.as_ref(),
                tests.as_ref(),
                &partitions,
            );
            passed += p;
            failed.extend(f);
        }
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    println!(
        "rules-engine suite: {passed} passed, {} failed",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} rules-engine cases failed",
        failed.len()
    );
}

/// Whether an `.errors` file holds an `[ERROR]` the engine checks (see [`ENGINE_EVENTS`]).
fn engine_error(errors: &str) -> Option<&str> {
    errors
        .lines()
        .filter(|l| l.starts_with("[ERROR]"))
        .find(|line| {
            let event = line.rsplit('|').next().unwrap_or("").trim();
            ENGINE_EVENTS
                .iter()
                .any(|e| event == *e || event.starts_with(&format!("{e}.")))
        })
}

#[test]
fn rules_engine_errorfiles() {
    let suite = data::rules_engine_suite();
    let partitions = data::partition_table();
    let (mut passed, mut failed, mut unchecked) = (0, Vec::new(), Vec::new());
    let mut count = 0;
    for part in ["core", "aws"] {
        for validity in ["valid", "invalid"] {
            let dir = suite.join(part).join("errorfiles").join(validity);
            for file in data::files(&dir, ".smithy") {
                count += 1;
                let short = file
                    .strip_prefix(&suite)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                let errors =
                    std::fs::read_to_string(file.with_extension("errors")).unwrap_or_default();
                let expected_error = engine_error(&errors);
                let model = match load(&file) {
                    Ok(m) => m,
                    Err(e) => {
                        failed.push(format!("{short}: not loaded: {e}"));
                        continue;
                    }
                };
                let mut problems = Vec::new();
                for (id, rules, tests) in services(&model) {
                    let (_, f) = run_service(
                        &format!("{short} {id}"),
                        rules.as_ref(),
                        tests.as_ref(),
                        &partitions,
                    );
                    problems.extend(f);
                }
                match (validity, expected_error) {
                    ("invalid", Some(error)) => {
                        if let Some(first) = problems.first() {
                            println!("refused {short}: {first}");
                            assert!(
                                !first.contains('\n'),
                                "{short}: the refusal is not one line: {first}"
                            );
                            passed += 1;
                        } else {
                            failed.push(format!("{short}: accepted, but expected {error}"));
                        }
                    }
                    (_, expected) => {
                        if validity == "invalid" {
                            let errors: Vec<&str> = errors
                                .lines()
                                .filter(|l| l.starts_with("[ERROR]"))
                                .collect();
                            unchecked.push(format!(
                                "{short}: {}",
                                if errors.is_empty() {
                                    "no [ERROR] line (warnings only)".to_owned()
                                } else {
                                    errors.join("; ")
                                }
                            ));
                        }
                        let _ = expected;
                        if problems.is_empty() {
                            passed += 1;
                        } else {
                            failed.extend(problems);
                        }
                    }
                }
            }
        }
    }
    assert!(
        count >= 50,
        "expected the suite's errorfiles in {}",
        suite.display()
    );
    for u in &unchecked {
        println!("not an engine error, so loaded as valid: {u}");
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    println!(
        "rules-engine errorfiles: {passed} passed, {} failed",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} rules-engine errorfiles failed",
        failed.len()
    );
}

/// A `.json5` file of the suite: JSON with whole-line `//` comments (its header naming the
/// expected error). Anything else JSON5 allows is refused here, loudly.
fn json5(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&json)
        .map_err(|e| format!("not JSON once its comment lines are removed: {e}"))
}

#[test]
fn rules_engine_invalid_rules() {
    let suite = data::rules_engine_suite();
    let partitions = data::partition_table();
    let (mut passed, mut failed) = (0, Vec::new());
    let mut count = 0;
    for part in ["core", "aws"] {
        for file in data::files(&suite.join(part).join("invalid-rules"), ".json5") {
            count += 1;
            let short = file
                .strip_prefix(&suite)
                .unwrap_or(&file)
                .display()
                .to_string();
            let value = match json5(&file) {
                Ok(v) => v,
                Err(e) => {
                    failed.push(format!("{short}: {e}"));
                    continue;
                }
            };
            // Compiled from the text (as a generated crate does) it is refused alike.
            let from_text = RuleSet::from_json(&value.to_string(), partitions.clone())
                .err()
                .map(|e| e.to_string());
            match RuleSet::compile(&value, partitions.clone()) {
                Ok(_) => failed.push(format!("{short}: accepted")),
                Err(e) => {
                    let line = e.to_string();
                    if from_text.as_deref() != Some(line.as_str()) {
                        failed.push(format!(
                            "{short}: refused as {line:?}, but from the text as {from_text:?}"
                        ));
                    } else if line.contains('\n')
                        || !line.starts_with("rules") && !line.starts_with("parameters")
                    {
                        failed.push(format!(
                            "{short}: refused without naming the rule in one line: {line}"
                        ));
                    } else {
                        println!("refused {short}: {line}");
                        passed += 1;
                    }
                }
            }
        }
    }
    assert!(
        count >= 17,
        "expected the suite's invalid-rules in {}",
        suite.display()
    );
    for f in &failed {
        println!("FAIL {f}");
    }
    println!(
        "rules-engine invalid-rules: {passed} passed, {} failed",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} rules-engine invalid-rules failed",
        failed.len()
    );
}
