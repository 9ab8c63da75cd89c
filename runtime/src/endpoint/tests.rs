//! Tests of the compiler and the interpreter on small rulesets written here.

use serde_json::{json, Value};

use super::{Arg, Partitions, RuleSet};
use crate::test_rng::Rng;
use crate::Document;

const PARTITIONS: &str = r#"{"version":"1.1","partitions":[{"id":"aws",
  "regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{"us-east-1":{}},
  "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws",
  "supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}}]}"#;

fn compile(rules: &Value) -> Result<RuleSet, String> {
    let partitions = Partitions::from_json(PARTITIONS).expect("partitions");
    RuleSet::compile(rules, partitions).map_err(|e| e.to_string())
}

fn ruleset(version: &str, params: Value, rules: Value) -> Value {
    json!({ "version": version, "parameters": params, "rules": rules })
}

/// A ruleset touching every kind of rule and most functions.
fn sample() -> Value {
    ruleset(
        "1.1",
        json!({
            "Region": { "type": "String", "builtIn": "AWS::Region" },
            "UseFIPS": { "type": "Boolean", "required": true, "default": false },
            "Bucket": { "type": "string" },
            "Tags": { "type": "stringArray", "required": true, "default": ["a", "b"] }
        }),
        json!([
            { "conditions": [ { "fn": "isSet", "argv": [ { "ref": "Bucket" } ] },
                              { "fn": "aws.parseArn", "argv": [ "{Bucket}" ], "assign": "arn" },
                              { "fn": "getAttr", "argv": [ { "ref": "arn" }, "resourceId[0]" ], "assign": "res" } ],
              "type": "endpoint",
              "endpoint": { "url": "https://{res}.{arn#region}.example.com/{{x}}",
                            "headers": { "x-tag": [ "{arn#service}", "lit" ] },
                            "properties": { "authSchemes": [ { "name": "sigv4", "signingName": "s3",
                                                               "signingRegion": "{arn#region}",
                                                               "disableDoubleEncoding": true } ] } } },
            { "conditions": [ { "fn": "isSet", "argv": [ { "ref": "Region" } ] } ],
              "type": "tree",
              "rules": [
                { "conditions": [ { "fn": "aws.partition", "argv": [ "{Region}" ], "assign": "p" },
                                  { "fn": "booleanEquals", "argv": [ { "ref": "UseFIPS" }, true ] } ],
                  "type": "endpoint",
                  "endpoint": { "url": { "fn": "coalesce", "argv": [
                      { "fn": "ite", "argv": [ { "fn": "getAttr", "argv": [ { "ref": "p" }, "supportsFIPS" ] },
                                               "https://fips.{Region}.{p#dnsSuffix}", "https://x" ] },
                      "unused" ] } } },
                { "conditions": [ { "fn": "substring", "argv": [ "{Region}", 0, 2, false ], "assign": "prefix" },
                                  { "fn": "stringEquals", "argv": [ { "ref": "prefix" }, "eu" ] } ],
                  "type": "error", "error": "no {prefix} today" }
              ] },
            { "conditions": [], "type": "error", "error": "Region must be set" }
        ]),
    )
}

fn resolve(rules: &RuleSet, args: &[(&str, Arg<'_>)]) -> Result<super::Endpoint, String> {
    let mut list = vec![None; rules.parameters().len()];
    for (name, arg) in args {
        list[rules.param_index(name).expect("param")] = Some(*arg);
    }
    rules.resolve(&list).map_err(|e| e.to_string())
}

#[test]
fn parameters_are_sorted_with_defaults() {
    let rules = compile(&sample()).unwrap();
    let names: Vec<&str> = rules.parameters().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Bucket", "Region", "Tags", "UseFIPS"]);
    assert_eq!(
        rules.parameters()[1].built_in.as_deref(),
        Some("AWS::Region")
    );
}

#[test]
fn resolves_each_kind_of_rule() {
    let rules = compile(&sample()).unwrap();
    let e = resolve(
        &rules,
        &[
            ("Region", Arg::Str("us-east-1")),
            ("UseFIPS", Arg::Bool(true)),
        ],
    )
    .unwrap();
    assert_eq!(e.url, "https://fips.us-east-1.amazonaws.com");
    assert_eq!(
        resolve(&rules, &[("Region", Arg::Str("eu-west-1"))]),
        Err("no eu today".to_owned())
    );
    assert_eq!(
        resolve(&rules, &[("Region", Arg::Str("ap-east-1"))]),
        Err("no rule of a matching tree rule matched these parameters".to_owned())
    );
    assert_eq!(resolve(&rules, &[]), Err("Region must be set".to_owned()));

    let tags = vec!["t0".to_owned(), "t1".to_owned()];
    let e = resolve(
        &rules,
        &[
            (
                "Bucket",
                Arg::Str("arn:aws:s3:us-west-2:123:accesspoint/ap"),
            ),
            ("Tags", Arg::StrArray(&tags)),
        ],
    )
    .unwrap();
    assert_eq!(e.url, "https://accesspoint.us-west-2.example.com/{x}");
    assert_eq!(e.headers["x-tag"], ["s3", "lit"]);
    let Document::Array(schemes) = &e.properties["authSchemes"] else {
        panic!()
    };
    assert_eq!(
        schemes[0].to_json(),
        json!({ "name": "sigv4", "signingName": "s3", "signingRegion": "us-west-2", "disableDoubleEncoding": true })
    );
}

#[test]
fn bad_args_are_errors() {
    let rules = compile(&sample()).unwrap();
    let err = resolve(&rules, &[("UseFIPS", Arg::Str("yes"))]).unwrap_err();
    assert_eq!(
        err,
        "endpoint parameter `UseFIPS` must be a boolean, not a string"
    );
    assert!(rules.resolve(&[]).is_err());
    let required = compile(&ruleset(
        "1.0",
        json!({ "R": { "type": "string", "required": true } }),
        json!([ { "conditions": [], "type": "endpoint", "endpoint": { "url": "https://{R}" } } ]),
    ))
    .unwrap();
    assert_eq!(
        required.resolve(&[None]).unwrap_err().message(),
        "endpoint parameter `R` is required"
    );
    let none = compile(&ruleset("1.0", json!({}), json!([]))).unwrap();
    assert_eq!(
        none.resolve(&[]).unwrap_err().message(),
        "no endpoint rule matched these parameters"
    );
}

#[test]
fn split_and_negative_indexes() {
    let rules = compile(&ruleset(
        "1.1",
        json!({ "In": { "type": "string", "required": true } }),
        json!([ { "conditions": [
                    { "fn": "split", "argv": [ "{In}", "--", 0 ], "assign": "parts" },
                    { "fn": "getAttr", "argv": [ { "ref": "parts" }, "[-1]" ], "assign": "last" },
                    { "fn": "getAttr", "argv": [ { "fn": "split", "argv": [ "{In}", "--", 0 ] }, "[0]" ], "assign": "first" } ],
                  "type": "endpoint", "endpoint": { "url": "https://{first}.{last}" } },
                { "conditions": [], "type": "error", "error": "none" } ]),
    ))
    .unwrap();
    assert_eq!(
        resolve(&rules, &[("In", Arg::Str("a--b--c"))]).unwrap().url,
        "https://a.c"
    );
}

#[test]
fn refusals_name_the_rule() {
    let p = json!({ "R": { "type": "string" } });
    let cases = [
        (json!([ { "conditions": [ { "fn": "frob", "argv": [] } ], "type": "error", "error": "e" } ]),
         "rules[0].conditions[0]: unknown function `frob`"),
        (json!([ { "documentation": "d", "conditions": [ { "fn": "not", "argv": [ true, true ] } ], "type": "error", "error": "e" } ]),
         "rules[0].conditions[0] (\"d\"): `not` takes 1 argument, not 2"),
        (json!([ { "conditions": [], "type": "endpoint", "endpoint": { "url": "https://{Q}" } } ]),
         "rules[0].endpoint.url: `Q` is not a parameter or an `assign` in scope here (in `{Q}` of template `https://{Q}`)"),
        (json!([ { "conditions": [ { "fn": "coalesce", "argv": [ { "ref": "R" }, "x" ] } ], "type": "error", "error": "e" } ]),
         "rules[0].conditions[0]: `coalesce` needs ruleset version 1.1 or later, but the ruleset declares 1.0"),
        (json!([ { "conditions": [], "type": "endpoint", "endpoint": { "url": "https://{R" } } ]),
         "rules[0].endpoint.url: unclosed `{` in template `https://{R`"),
    ];
    for (rules, expected) in cases {
        assert_eq!(
            compile(&ruleset("1.0", p.clone(), rules)).unwrap_err(),
            expected
        );
    }
}

/// Mutates the sample ruleset at random and compiles and resolves each: never a panic.
#[test]
fn mutated_rulesets_never_panic() {
    let pieces = [
        json!(null),
        json!(true),
        json!(3),
        json!(-1),
        json!("x"),
        json!("{Region}"),
        json!("{p#name}"),
        json!("{arn#resourceId[9]}"),
        json!("{"),
        json!([]),
        json!({}),
        json!({ "ref": "Region" }),
        json!({ "ref": "nope" }),
        json!({ "fn": "isSet", "argv": [] }),
        json!({ "fn": "getAttr", "argv": [ { "ref": "p" }, "[0]" ] }),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let base = sample();
    let tags = vec!["t".to_owned()];
    for _ in 0..3000 {
        let mut value = base.clone();
        for _ in 0..1 + rng.next() % 3 {
            mutate(&mut value, &mut rng, &pieces);
        }
        if let Ok(rules) = compile(&value) {
            for args in [
                vec![
                    ("Region", Arg::Str("us-east-1")),
                    ("UseFIPS", Arg::Bool(true)),
                ],
                vec![
                    ("Bucket", Arg::Str("arn:aws:s3:::b")),
                    ("Tags", Arg::StrArray(&tags)),
                ],
                vec![],
            ] {
                let list: Vec<Option<Arg<'_>>> = rules
                    .parameters()
                    .iter()
                    .map(|p| args.iter().find(|(n, _)| *n == p.name).map(|(_, a)| *a))
                    .collect();
                let _ = rules.resolve(&list);
            }
        }
    }
}

/// Replaces one value somewhere in `value` by a piece.
fn mutate(value: &mut Value, rng: &mut Rng, pieces: &[Value]) {
    let children = match value {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    };
    if children == 0 || rng.next().is_multiple_of(4) {
        *value = pieces[(rng.next() % pieces.len() as u64) as usize].clone();
        return;
    }
    let at = (rng.next() % children as u64) as usize;
    match value {
        Value::Array(items) => mutate(&mut items[at], rng, pieces),
        Value::Object(map) => {
            if let Some((_, child)) = map.iter_mut().nth(at) {
                mutate(child, rng, pieces);
            }
        }
        _ => {}
    }
}

/// The args of `sample()` for each of a few inputs, in parameter order.
fn sample_args<'a>(
    rules: &RuleSet,
    region: &'a str,
    fips: bool,
    bucket: Option<&'a str>,
) -> Vec<Option<Arg<'a>>> {
    let mut list = vec![None; rules.parameters().len()];
    list[rules.param_index("Region").expect("Region")] = Some(Arg::Str(region));
    list[rules.param_index("UseFIPS").expect("UseFIPS")] = Some(Arg::Bool(fips));
    if let Some(b) = bucket {
        list[rules.param_index("Bucket").expect("Bucket")] = Some(Arg::Str(b));
    }
    list
}

#[test]
fn the_cache_gives_what_resolving_gives() {
    let rules = compile(&sample()).unwrap();
    let inputs = [
        ("us-east-1", true, None),
        ("us-east-1", true, None),
        ("us-west-2", true, None),
        ("us-west-2", false, None),
        ("eu-west-1", true, None),
        ("us-west-2", true, Some("arn:aws:s3:us-east-2:123:bucket")),
        ("us-west-2", true, Some("arn:aws:sqs:us-east-2:123:queue")),
        ("us-west-2", true, None),
        ("us-west-2", true, None),
    ];
    for (region, fips, bucket) in inputs {
        let args = sample_args(&rules, region, fips, bucket);
        assert_eq!(
            rules.resolve_cached(&args),
            rules.resolve(&args),
            "{region} {fips} {bucket:?}"
        );
    }
}

#[test]
fn the_cache_is_right_under_concurrent_callers() {
    let rules = compile(&sample()).unwrap();
    let regions = ["us-east-1", "us-west-2", "ap-south-1", "eu-west-1"];
    let expected: Vec<_> = regions
        .iter()
        .map(|r| rules.resolve(&sample_args(&rules, r, true, None)))
        .collect();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (rules, expected) = (&rules, &expected);
            s.spawn(move || {
                for i in 0..2000 {
                    // Each thread mostly repeats its region and sometimes takes another's.
                    let k = if i % 7 == 0 {
                        (t + i) % regions.len()
                    } else {
                        t
                    };
                    let args = sample_args(rules, regions[k], true, None);
                    assert_eq!(rules.resolve_cached(&args), expected[k]);
                }
            });
        }
    });
}
