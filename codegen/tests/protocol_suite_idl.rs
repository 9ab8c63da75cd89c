//! The AWS protocol test suite written in Smithy IDL, loaded as a folder, gives the shapes,
//! members and traits of the same suite's JSON AST, compared shape by shape.
//!
//! Both are read where they lie: `$SMITHY_PROTOCOL_TESTS` (the JSON AST file) and the `idl`
//! folder beside it, else `shared/protocol-tests/` beside the repository, else the download
//! cache (see `data`). The IDL is published upstream and fetched when missing; the JSON AST was
//! assembled here and only a mirror serves it. Without it, the test checks what the IDL alone
//! shows (every file loads, the model holds the suite's services and cases with unique ids)
//! and prints on stderr that the JSON comparison did not run, and why.
//!
//! Explained differences, and only these, are allowed:
//! - The JSON AST also holds the shapes of the libraries the suite depends on (the trait
//!   definitions of `aws.api`, `aws.auth`, `aws.customizations`, `aws.protocols`,
//!   `smithy.protocols`, `smithy.test`, and `smithy.framework#ValidationException`), which
//!   smithy-build takes from Smithy's own packages, not from the suite's IDL files. Shapes of
//!   a namespace that no IDL file of the suite declares are left out of the comparison.
//! - The IDL folder also holds `smithy-protocol-tests` (rpcv2Cbor and rpcv2Json cases of
//!   Smithy's own), which the JSON AST (built from `smithy-aws-protocol-tests`) does not; only
//!   `smithy-aws-protocol-tests` is compared.
//! - The IDL snapshot is a little newer than the JSON AST: it adds nested unions to restJson1
//!   (the union `NestedUnion`, the member `MyUnion$unionValue`, and the cases
//!   `RestJsonSerializeNestedUnionValue` and `RestJsonDeserializeNestedUnionValue` of
//!   `JsonUnions`). [`without_newer_additions`] removes exactly these from the IDL's model
//!   before the comparison, and fails if any of them is not there.

use std::collections::BTreeSet;
use std::path::Path;

use smithy_codegen::{Loader, Model};

mod data;

fn load_idl(dir: &Path) -> Model {
    let files = data::files(dir, ".smithy");
    assert!(files.len() > 100, "only {} IDL files under {}", files.len(), dir.display());
    let mut loader = Loader::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        loader.add(&f.display().to_string(), &bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    loader.finish().unwrap_or_else(|e| panic!("{e}"))
}

fn namespace(id: &str) -> &str {
    id.split_once('#').map_or(id, |(ns, _)| ns)
}

/// Where two versions of a shape first differ: a field, or a trait and the JSON path in it.
fn first_difference(a: &smithy_codegen::Shape, b: &smithy_codegen::Shape) -> String {
    if a.members.len() != b.members.len() || a.members.iter().zip(&b.members).any(|(x, y)| x.name != y.name || x.target != y.target) {
        let names = |s: &smithy_codegen::Shape| s.members.iter().map(|m| format!("{}: {}", m.name, m.target)).collect::<Vec<_>>();
        return format!("members {:?} vs {:?}", names(a), names(b));
    }
    let traits = std::iter::once((String::new(), &a.traits, &b.traits))
        .chain(a.members.iter().zip(&b.members).map(|(x, y)| (format!("${}", x.name), &x.traits, &y.traits)));
    for (at, ta, tb) in traits {
        for key in ta.keys().chain(tb.keys()) {
            match (ta.get(key), tb.get(key)) {
                (Some(x), Some(y)) if x == y => {}
                (Some(x), Some(y)) => return format!("{at} trait {key}: {}", value_difference(x, y, String::new())),
                (x, y) => return format!("{at} trait {key}: {x:?} vs {y:?}"),
            }
        }
    }
    format!("{a:?}\n  vs {b:?}")
}

fn value_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return value_difference(p, q, format!("{path}[{i}]"));
                }
            }
            String::new()
        }
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            for (k, p) in x {
                match y.get(k) {
                    Some(q) if q == p => {}
                    Some(q) => return value_difference(p, q, format!("{path}.{k}")),
                    None => return format!("{path}.{k} only in the IDL"),
                }
            }
            String::new()
        }
        _ => format!("{path}: {} vs {}", clip(a), clip(b)),
    }
}

fn clip(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        format!("{}…", &s[..300])
    } else {
        s
    }
}

/// The IDL's model without what its newer snapshot adds (see the module documentation).
fn without_newer_additions(mut idl: Model) -> Model {
    let ns = "aws.protocoltests.restjson";
    assert!(idl.shapes.remove(&format!("{ns}#NestedUnion")).is_some(), "NestedUnion is no longer in the IDL");
    let union = idl.shapes.get_mut(&format!("{ns}#MyUnion")).expect("MyUnion");
    let before = union.members.len();
    union.members.retain(|m| m.name != "unionValue");
    assert_eq!(union.members.len() + 1, before, "MyUnion$unionValue is no longer in the IDL");
    let op = idl.shapes.get_mut(&format!("{ns}#JsonUnions")).expect("JsonUnions");
    for (trait_id, case) in [
        ("smithy.test#httpRequestTests", "RestJsonSerializeNestedUnionValue"),
        ("smithy.test#httpResponseTests", "RestJsonDeserializeNestedUnionValue"),
    ] {
        let cases = op.traits.get_mut(trait_id).and_then(|v| v.as_array_mut()).expect("JsonUnions test cases");
        let before = cases.len();
        cases.retain(|c| c.get("id").and_then(|i| i.as_str()) != Some(case));
        assert_eq!(cases.len() + 1, before, "{case} is no longer in the IDL");
    }
    idl
}

/// What the IDL alone must give: the suite's services and its test cases, each case id once
/// per trait. Returns the number of services and of cases.
fn check_idl_alone(idl: &Model) -> (usize, usize) {
    let services = idl.shapes.values().filter(|s| !s.prelude && s.kind == smithy_codegen::ShapeKind::Service).count();
    let mut cases = 0;
    let mut problems = Vec::new();
    for trait_id in ["smithy.test#httpRequestTests", "smithy.test#httpResponseTests"] {
        let mut seen = BTreeSet::new();
        for shape in idl.shapes.values() {
            let Some(list) = shape.traits.get(trait_id) else { continue };
            let Some(list) = list.as_array() else {
                problems.push(format!("{}: {trait_id} is not a list", shape.id));
                continue;
            };
            for case in list {
                let id = case.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_owned();
                let protocol = case.get("protocol").and_then(|p| p.as_str()).unwrap_or_default();
                if id.is_empty() || protocol.is_empty() {
                    problems.push(format!("{}: a {trait_id} case without id or protocol", shape.id));
                }
                // An id names one case per protocol; clients and servers may share it.
                let applies = case.get("appliesTo").and_then(|a| a.as_str()).unwrap_or("both").to_owned();
                if !seen.insert((id.clone(), applies)) {
                    problems.push(format!("{}: {trait_id} case {id} given twice", shape.id));
                }
                cases += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    (services, cases)
}

#[test]
fn idl_suite_gives_the_json_ast_suite() {
    let idl_dir = data::protocol_suite_idl().join("smithy-aws-protocol-tests");
    let idl = without_newer_additions(load_idl(&idl_dir));
    let (services, cases) = check_idl_alone(&idl);
    eprintln!("protocol suite as IDL: {services} services, {cases} request and response cases");
    assert!(services >= 15, "only {services} services in {}", idl_dir.display());
    assert!(cases > 700, "only {cases} cases in {}", idl_dir.display());
    let json_file = match data::protocol_suite_json() {
        Ok(file) => file,
        Err(why) => {
            eprintln!("NOT RUN: the comparison with the suite's JSON AST (only the IDL was checked): {why}");
            return;
        }
    };
    let json = smithy_codegen::load(&json_file.display().to_string(), &std::fs::read(&json_file).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));


    let declared: BTreeSet<&str> =
        idl.shapes.values().filter(|s| !s.prelude).map(|s| namespace(&s.id)).collect();
    let compared: Vec<&String> =
        json.shapes.keys().filter(|id| declared.contains(namespace(id)) && !json.shapes[*id].prelude).collect();
    let mut problems = Vec::new();
    for id in &compared {
        match idl.shapes.get(*id) {
            None => problems.push(format!("{id}: in the JSON AST, not in the IDL")),
            Some(s) if s == &json.shapes[*id] => {}
            Some(s) => problems.push(format!("{id} differs: {}", first_difference(s, &json.shapes[*id]))),
        }
    }
    for (id, s) in idl.shapes.iter().filter(|(_, s)| !s.prelude) {
        if !json.shapes.contains_key(id) {
            problems.push(format!("{id}: in the IDL ({:?}), not in the JSON AST", s.kind));
        }
    }
    eprintln!(
        "protocol suite as IDL: {} shapes in {} namespaces compared, {} differ",
        compared.len(),
        declared.len(),
        problems.len()
    );
    assert!(compared.len() > 900, "only {} shapes compared", compared.len());
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}
