//! Bounded fuzzing (proptest) of the model loader and the generator behind it: arbitrary bytes,
//! and the fixture models mutated (a node replaced, removed or duplicated, a type, ID, key or
//! trait swapped for another, the text cut short or flipped). `load` returns a model or an
//! error, and so does `generate` on any model `load` accepts; nothing panics, and every error
//! is one line naming the file.
//!
//! Each run prints how many inputs it tried and how long it took (`--nocapture` shows it);
//! `PROPTEST_CASES=N` sets the number of inputs of each run.

use std::path::Path;
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use smithy_codegen::Settings;

const FILE: &str = "fuzz.json";

/// Loads, then generates what loads; checks the form of any error. Whether it generated.
fn run(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let settings = Settings { crate_name: None, runtime_path: "../runtime".into(), standalone: true, service: None };
    let result = smithy_codegen::load(FILE, bytes).and_then(|model| smithy_codegen::generate(&model, &settings));
    match result {
        Ok(krate) => {
            prop_assert!(krate.files.contains_key("src/lib.rs"));
            Ok(true)
        }
        Err(e) => {
            let line = e.to_string();
            prop_assert!(line.starts_with("fuzz.json: ") && !line.contains('\n'), "{}", line);
            prop_assert!(!line.contains("internal error"), "{}", line);
            Ok(false)
        }
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases` inputs; prints how many were tried, how many generated a crate and
/// how long it took.
fn fuzz<S: Strategy>(what: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<bool, TestCaseError>) -> (u32, u32)
where
    S::Value: std::fmt::Debug,
{
    let (tried, generated) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let start = Instant::now();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |input| {
        tried.set(tried.get() + 1);
        if test(input)? {
            generated.set(generated.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    println!("{what}: {} inputs ({} generated a crate) in {:.2?}", tried.get(), generated.get(), start.elapsed());
    (tried.get(), generated.get())
}

/// Pieces of Smithy JSON AST, so that random input gets past the first byte now and then.
const PIECES: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\"smithy\"", "\"2.0\"", "\"shapes\"", "\"type\"", "\"structure\"",
    "\"service\"", "\"operation\"", "\"list\"", "\"member\"", "\"members\"", "\"target\"", "\"ex#A\"",
    "\"ex#B\"", "\"smithy.api#String\"", "\"traits\"", "\"mixins\"", "null", "true", "1", "-0.5e9", " ",
    "\\u0000", "\\ud800", "\u{fffd}", "\u{0}",
];

#[test]
fn arbitrary_bytes() {
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(prop::sample::select(PIECES), 0..64).prop_map(|p| p.concat().into_bytes()),
    ];
    let cases = cases(2_000);
    let (tried, _) = fuzz("load(arbitrary bytes)", cases, strategy, |bytes| run(&bytes));
    assert_eq!(tried, cases);
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("fixture JSON")
}

/// Strings a mutation may put in place of another: shape types, IDs, keys, trait IDs and
/// names that are hard to turn into Rust.
const STRINGS: &[&str] = &[
    "structure", "union", "enum", "intEnum", "list", "set", "map", "string", "integer", "long", "timestamp",
    "document", "blob", "bigDecimal", "operation", "service", "resource", "apply", "widget", "",
    "example.shapes#Tree", "example.shapes#Node", "example.shapes#Names", "example.shapes#Tags",
    "example.shapes#Color", "example.shapes#Level", "example.shapes#NotFound", "example.shapes#GetThing",
    "example.shapes#Shapes", "example.shapes#IdMixin", "example.shapes#Missing", "smithy.api#Unit",
    "smithy.api#String", "smithy.api#PrimitiveInteger", "members", "member", "key", "value", "target",
    "traits", "mixins", "input", "output", "errors", "operations", "resources", "rename",
    "smithy.api#required", "smithy.api#default", "smithy.api#mixin", "smithy.api#error",
    "smithy.api#enumValue", "smithy.api#enum", "smithy.api#httpHeader", "smithy.api#jsonName",
    "smithy.api#xmlName", "smithy.api#xmlFlattened", "smithy.api#sparse", "smithy.api#input",
    "smithy.api#unitType", "smithy.api#documentation", "aws.protocols#restXml", "aws.protocols#awsQuery",
    "aws.protocols#ec2Query", "aws.protocols#awsQueryError", "client", "self", "Self", "type", "r#type",
    "Unknown", "5xx", "a b", "_", "__", "é", "<p>doc</p>", "</code><pre>", "#", "a#b$c", "ex#Loop",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(&[0.5, -1.0, 1e300, 4_294_967_296.0][..]).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        prop::sample::select(STRINGS).prop_map(|t| serde_json::json!({ "target": t })),
    ]
}

/// One mutation: which node (an index into the nodes in document order), what to do, and a
/// value to use.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    /// Copies the node at the second index over the first.
    Copy(usize, usize),
    /// Adds a member named by a string of [`STRINGS`] to an object.
    Insert(usize, &'static str, Value),
    Rename(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>().prop_map(|i| i.index(usize::MAX));
    prop_oneof![
        (at.clone(), leaf()).prop_map(|(a, v)| Mutation::Replace(a, v)),
        at.clone().prop_map(Mutation::Remove),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::Copy(a, b)),
        (at.clone(), prop::sample::select(STRINGS), leaf()).prop_map(|(a, k, v)| Mutation::Insert(a, k, v)),
        (at, prop::sample::select(STRINGS)).prop_map(|(a, s)| Mutation::Rename(a, s)),
    ]
}

/// The JSON pointers of every node of `value`, in document order.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, v)) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter().rev() {
                    stack.push((format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, key) = pointer.rsplit_once('/')?;
    Some((parent, key.replace("~1", "/").replace("~0", "~")))
}

fn apply(model: &mut Value, mutation: &Mutation) {
    let nodes = pointers(model);
    let pick = |i: usize| nodes[i % nodes.len()].clone();
    match mutation {
        Mutation::Replace(at, v) => {
            if let Some(node) = model.pointer_mut(&pick(*at)) {
                *node = v.clone();
            }
        }
        Mutation::Remove(at) => {
            let pointer = pick(*at);
            let Some((parent, key)) = parent_and_key(&pointer) else { return };
            match model.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Some(i) = key.parse::<usize>().ok().filter(|i| *i < items.len()) {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        Mutation::Copy(to, from) => {
            let value = model.pointer(&pick(*from)).cloned();
            if let (Some(value), Some(node)) = (value, model.pointer_mut(&pick(*to))) {
                *node = value;
            }
        }
        Mutation::Insert(at, key, v) => {
            if let Some(Value::Object(map)) = model.pointer_mut(&pick(*at)) {
                map.insert((*key).to_owned(), v.clone());
            }
        }
        Mutation::Rename(at, to) => {
            let pointer = pick(*at);
            match model.pointer_mut(&pointer) {
                Some(Value::String(s)) => *s = (*to).to_owned(),
                Some(_) => {
                    // A key: move the value under the new name.
                    let Some((parent, key)) = parent_and_key(&pointer) else { return };
                    if let Some(Value::Object(map)) = model.pointer_mut(parent) {
                        if let Some(v) = map.remove(&key) {
                            map.insert((*to).to_owned(), v);
                        }
                    }
                }
                None => {}
            }
        }
    }
}

#[test]
fn mutated_fixture_models() {
    let fixtures: Vec<Value> = ["shapes.json", "naming.json", "query.json"].into_iter().map(fixture).collect();
    let strategy = (0..fixtures.len(), prop::collection::vec(mutation(), 1..4));
    let cases = cases(150);
    let (tried, generated) = fuzz("load+generate(mutated fixtures)", cases, strategy, |(which, mutations)| {
        let mut model = fixtures[which].clone();
        for m in &mutations {
            apply(&mut model, m);
        }
        run(&serde_json::to_vec(&model).expect("serializes"))
    });
    assert_eq!(tried, cases);
    assert!(generated > 0, "some mutations keep the model valid");
}

#[test]
fn mutated_fixture_text() {
    let texts: Vec<Vec<u8>> = ["shapes.json", "naming.json", "query.json"]
        .into_iter()
        .map(|name| serde_json::to_vec(&fixture(name)).expect("serializes"))
        .collect();
    // (which fixture, cut at, bytes to overwrite).
    let strategy = (0..texts.len(), any::<prop::sample::Index>(), prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4), any::<bool>());
    let cases = cases(150);
    let (tried, _) = fuzz("load+generate(mutated fixture text)", cases, strategy, |(which, cut, flips, truncate)| {
        let mut bytes = texts[which].clone();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        run(&bytes)
    });
    assert_eq!(tried, cases);
}
