//! Every `endpointTests` case of the AWS models (`$SMITHY_MODELS_DIR`, else
//! `shared/models/aws`) resolved by the runtime's rules engine from its params: the ruleset of
//! each service compiles, and each case gives exactly the expected endpoint or error. Cases
//! with `operationInputs` run here by their `params` too; `cargo xtask endpoint-tests` checks
//! their operation inputs through the generated `endpoint_params`.
//!
//! Prints each failing case and `rules-engine aws models: N passed, M failed`.

use serde_json::Value;
use smithy_codegen::endpoint_tests::{cases, check, resolve_json};
use smithy_runtime::endpoint::RuleSet;

mod data;

#[test]
fn aws_models_endpoint_tests() {
    let dir = data::models_dir();
    let partitions = data::partition_table();
    let files = data::files(&dir, ".json");
    let (mut passed, mut failed, mut services) = (0usize, Vec::new(), 0usize);
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("error: {}: {e}", file.display()));
        let model: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("error: {}: {e}", file.display()));
        let Some(shapes) = model.get("shapes").and_then(Value::as_object) else {
            continue;
        };
        for (id, shape) in shapes {
            if shape.get("type").and_then(Value::as_str) != Some("service") {
                continue;
            }
            let traits = shape.get("traits");
            let Some(rules) = traits.and_then(|t| t.get("smithy.rules#endpointRuleSet")) else {
                continue;
            };
            services += 1;
            // From the text, as a generated crate compiles it (`RuleSet::compile` of the
            // `Value` is what the generator and the rules-engine suite run).
            let rules = match RuleSet::from_json(&rules.to_string(), partitions.clone()) {
                Ok(r) => r,
                Err(e) => {
                    failed.push(format!("{name} {id}: ruleset refused: {e}"));
                    continue;
                }
            };
            let Some(tests) = traits.and_then(|t| t.get("smithy.rules#endpointTests")) else {
                continue;
            };
            let cases = cases(tests).unwrap_or_else(|e| panic!("{name} {id}: endpointTests: {e}"));
            for (i, case) in cases.iter().enumerate() {
                match resolve_json(&rules, &case.params).and_then(|r| check(&r, &case.expect)) {
                    Ok(()) => passed += 1,
                    Err(e) => failed.push(format!(
                        "{name} {id}: case {i} ({:?}): {e}",
                        case.documentation
                    )),
                }
            }
        }
    }
    assert!(
        services >= 41,
        "expected the 41 AWS models with endpoint rules in {}, found {services}",
        dir.display()
    );
    for f in &failed {
        println!("FAIL {f}");
    }
    println!(
        "rules-engine aws models: {passed} passed, {} failed ({services} services)",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} endpoint cases of the AWS models failed",
        failed.len()
    );
}
