//! A loaded [`Model`] written back as a Smithy 2.0 JSON AST, as `smithy ast` prints it:
//! shapes sorted by shape ID, the prelude left out, metadata first.
//!
//! Shapes are written as assembled: mixins are listed and their members and traits are also
//! written on the shapes that use them, `apply` statements are applied, Smithy 1.0 files are
//! upgraded and legacy `@enum` strings are enum shapes. Loading the output gives the same
//! model again.

use serde_json::{json, Map, Value};

use crate::model::{Member, Model, Shape, ShapeKind, Traits, LIFECYCLE};

/// The model as pretty-printed JSON AST text, ending with a line break.
pub fn to_json_ast(model: &Model) -> String {
    let mut root = Map::new();
    root.insert("smithy".into(), json!("2.0"));
    if !model.metadata.is_empty() {
        root.insert("metadata".into(), Value::Object(model.metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect()));
    }
    let shapes: Map<String, Value> =
        model.shapes.values().filter(|s| !s.prelude).map(|s| (s.id.clone(), shape(s))).collect();
    root.insert("shapes".into(), Value::Object(shapes));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

fn target(id: &str) -> Value {
    json!({ "target": id })
}

fn targets(ids: &[String]) -> Value {
    Value::Array(ids.iter().map(|id| target(id)).collect())
}

fn traits(t: &Traits) -> Value {
    Value::Object(t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn member(m: &Member) -> Value {
    let mut out = Map::new();
    out.insert("target".into(), json!(m.target));
    if !m.traits.is_empty() {
        out.insert("traits".into(), traits(&m.traits));
    }
    Value::Object(out)
}

fn named_targets(pairs: &[(String, String)]) -> Value {
    Value::Object(pairs.iter().map(|(n, t)| (n.clone(), target(t))).collect())
}

fn shape(s: &Shape) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(s.kind.as_str()));
    if !s.mixins.is_empty() {
        out.insert("mixins".into(), targets(&s.mixins));
    }
    match s.kind {
        ShapeKind::List | ShapeKind::Map => {
            for m in &s.members {
                out.insert(m.name.clone(), member(m));
            }
        }
        k if k.has_named_members() => {
            let members: Map<String, Value> = s.members.iter().map(|m| (m.name.clone(), member(m))).collect();
            out.insert("members".into(), Value::Object(members));
        }
        _ => {}
    }
    let mut put = |key: &str, v: Value| {
        out.insert(key.into(), v);
    };
    match s.kind {
        ShapeKind::Operation => {
            if let Some(i) = &s.input {
                put("input", target(i));
            }
            if let Some(o) = &s.output {
                put("output", target(o));
            }
            if !s.errors.is_empty() {
                put("errors", targets(&s.errors));
            }
        }
        ShapeKind::Service => {
            if let Some(v) = &s.version {
                put("version", json!(v));
            }
            if !s.operations.is_empty() {
                put("operations", targets(&s.operations));
            }
            if !s.resources.is_empty() {
                put("resources", targets(&s.resources));
            }
            if !s.errors.is_empty() {
                put("errors", targets(&s.errors));
            }
            if !s.rename.is_empty() {
                put("rename", Value::Object(s.rename.iter().map(|(k, v)| (k.clone(), json!(v))).collect()));
            }
        }
        ShapeKind::Resource => {
            if !s.identifiers.is_empty() {
                put("identifiers", named_targets(&s.identifiers));
            }
            if !s.properties.is_empty() {
                put("properties", named_targets(&s.properties));
            }
            for p in LIFECYCLE {
                if let Some(op) = s.lifecycle.get(p) {
                    put(p, target(op));
                }
            }
            if !s.operations.is_empty() {
                put("operations", targets(&s.operations));
            }
            if !s.collection_operations.is_empty() {
                put("collectionOperations", targets(&s.collection_operations));
            }
            if !s.resources.is_empty() {
                put("resources", targets(&s.resources));
            }
        }
        _ => {}
    }
    if !s.traits.is_empty() {
        out.insert("traits".into(), traits(&s.traits));
    }
    Value::Object(out)
}
