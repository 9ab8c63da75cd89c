//! Stage 2: reference and consistency checks before anything is generated. Each problem is an
//! [`Error`] naming the file, the shape and the member; the first one (in shape ID order) is
//! returned.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{chain, clip};
use crate::lower::{closure, select_service};
use crate::model::{traits, Member, Model, Shape, ShapeKind};
use crate::{Error, Settings};

/// Everything [`validate_model`] checks, then that the service can be generated.
pub fn validate(model: &Model, settings: &Settings) -> Result<(), Error> {
    validate_model(model)?;
    let service = select_service(model, settings.service.as_deref())?;
    let closure = closure(model, service);
    check_required_cycles(model, &closure.shapes)?;
    Ok(())
}

/// Checks every shape of the model, whatever service is generated: references, enum values,
/// defaults, collections.
pub fn validate_model(model: &Model) -> Result<(), Error> {
    let at = |shape: &Shape, message: String| model.error(&shape.id, message);
    for shape in model.shapes.values().filter(|s| !s.prelude) {
        for m in &shape.members {
            let Some(target) = model.shape(&m.target) else {
                return Err(at(shape, format!("member targets unknown shape `{}`", m.target)).member(m.name.clone()));
            };
            if matches!(target.kind, ShapeKind::Operation | ShapeKind::Service | ShapeKind::Resource) {
                return Err(at(shape, format!("member targets `{}`, which is a {:?} shape", m.target, target.kind))
                    .member(m.name.clone()));
            }
            if target.has_trait(traits::MIXIN) {
                return Err(at(shape, format!("member targets the mixin `{}`", m.target)).member(m.name.clone()));
            }
        }
        match shape.kind {
            ShapeKind::Map => {
                if let Some(key) = shape.member("key") {
                    if model.shape(&key.target).is_some_and(|t| !matches!(t.kind, ShapeKind::String | ShapeKind::Enum)) {
                        return Err(at(shape, "a map key must target a string or enum shape".into()).member("key"));
                    }
                }
            }
            ShapeKind::Operation => {
                for (what, target) in [("input", &shape.input), ("output", &shape.output)] {
                    let Some(target) = target else { continue };
                    match model.shape(target) {
                        None => return Err(at(shape, format!("operation {what} targets unknown shape `{target}`"))),
                        Some(t) if t.kind != ShapeKind::Structure => {
                            return Err(at(shape, format!("operation {what} `{target}` is not a structure")))
                        }
                        Some(_) => {}
                    }
                }
                check_errors(model, shape, "operation")?;
            }
            ShapeKind::Service | ShapeKind::Resource => {
                for (list, kind) in [(shape.bound_operations().collect::<Vec<_>>(), ShapeKind::Operation), (shape.resources.iter().collect(), ShapeKind::Resource)] {
                    for id in list {
                        match model.shape(id) {
                            None => return Err(at(shape, format!("binds unknown shape `{id}`"))),
                            Some(t) if t.kind != kind => {
                                return Err(at(shape, format!("binds `{id}` as a {kind:?}, but it is a {:?}", t.kind)))
                            }
                            Some(_) => {}
                        }
                    }
                }
                if shape.kind == ShapeKind::Service {
                    check_errors(model, shape, "service")?;
                }
            }
            ShapeKind::Enum | ShapeKind::IntEnum => check_enum_values(model, shape)?,
            _ => {}
        }
        if matches!(shape.kind, ShapeKind::Enum | ShapeKind::IntEnum | ShapeKind::Union)
            && shape.members.is_empty()
            && !shape.has_trait(traits::MIXIN)
        {
            return Err(at(shape, format!("a{} shape needs at least one member", kind_article(shape.kind))));
        }
        if shape.kind == ShapeKind::Structure {
            for m in &shape.members {
                let Some(value) = m.traits.get(traits::DEFAULT).filter(|v| !v.is_null()) else { continue };
                let Some(target) = model.shape(&m.target) else { continue };
                if let Some(problem) = default_problem(m, target, value) {
                    return Err(at(shape, format!("@default value {} {problem}", clip(&value.to_string())))
                        .member(m.name.clone()));
                }
            }
        }
    }

    check_collections(model)
}

/// ` enum`, `n intEnum` or ` union`, for messages.
fn kind_article(kind: ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Enum => "n enum",
        ShapeKind::IntEnum => "n intEnum",
        _ => " union",
    }
}

/// Enum values are strings, intEnum values integers that fit in 32 bits, and no two members of
/// one shape have the same value (Smithy requires it; the generated `match` could not tell them
/// apart).
fn check_enum_values(model: &Model, shape: &Shape) -> Result<(), Error> {
    let at = |m: &Member, message: String| model.error(&shape.id, message).member(m.name.clone());
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for m in &shape.members {
        let value = match (shape.kind, m.traits.get(traits::ENUM_VALUE)) {
            (ShapeKind::Enum, None) => m.name.clone(),
            (ShapeKind::Enum, Some(Value::String(s))) if !s.is_empty() => s.clone(),
            (ShapeKind::Enum, Some(_)) => return Err(at(m, "an enum member's @enumValue must be a string, and not empty".into())),
            (_, v) => match v.and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok()) {
                Some(v) => v.to_string(),
                None => return Err(at(m, "an intEnum member needs an integer @enumValue that fits in 32 bits".into())),
            },
        };
        if let Some(first) = seen.insert(value.clone(), &m.name) {
            return Err(at(m, format!("has the value {} of member `{first}` already: enum values must be unique", clip(&value))));
        }
    }
    Ok(())
}

/// Why `value` cannot be the `@default` of member `m` targeting `target`, if it cannot: it must
/// have the target's type, fit its Rust type, satisfy the `@range` and `@length` of the target
/// and the member, be one of an enum's values, and be base64 (blob) or epoch seconds or an
/// RFC 3339 date-time (timestamp).
fn default_problem(m: &Member, target: &Shape, value: &Value) -> Option<std::string::String> {
    use ShapeKind::*;
    let constraint = |id: &str| m.traits.get(id).or_else(|| target.traits.get(id));
    let bound = |id: &str, key: &str| constraint(id).and_then(|c| c.get(key)).and_then(Value::as_f64);
    // A zero outside the range is let through, as Smithy does (a warning there): models
    // upgraded from Smithy 1.0 gave every primitive number member the default 0.
    let check_range = |n: f64| -> Option<std::string::String> {
        if n == 0.0 {
            return None;
        }
        let (min, max) = (bound(traits::RANGE, "min"), bound(traits::RANGE, "max"));
        (min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max))
            .then(|| format!("is outside the @range of the member ({} to {})", show(min), show(max)))
    };
    let check_length = |len: usize, unit: &str| -> Option<std::string::String> {
        let (min, max) = (bound(traits::LENGTH, "min"), bound(traits::LENGTH, "max"));
        let len = len as f64;
        (min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max))
            .then(|| format!("has a length of {len} {unit}, outside the @length of the member ({} to {})", show(min), show(max)))
    };
    let integer = |lo: i64, hi: i64, rust: &str| -> Option<std::string::String> {
        match value.as_i64() {
            Some(n) if (lo..=hi).contains(&n) => check_range(n as f64),
            Some(_) => Some(format!("does not fit the target's type ({rust}: {lo} to {hi})")),
            None if value.is_u64() => Some(format!("does not fit the target's type ({rust}: {lo} to {hi})")),
            None => Some(format!("is not an integer, as {} `{}` needs", kind_name(target.kind), target.id)),
        }
    };
    let float = |max: f64| -> Option<std::string::String> {
        match value {
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.abs() <= max => check_range(f),
                _ => Some("does not fit the target's type".into()),
            },
            Value::String(s) if ["NaN", "Infinity", "-Infinity"].contains(&s.as_str()) => None,
            _ => Some("is not a number (or \"NaN\", \"Infinity\", \"-Infinity\")".into()),
        }
    };
    match target.kind {
        Boolean => (!value.is_boolean()).then(|| "is not a boolean".into()),
        Byte => integer(i8::MIN.into(), i8::MAX.into(), "i8"),
        Short => integer(i16::MIN.into(), i16::MAX.into(), "i16"),
        Integer => integer(i32::MIN.into(), i32::MAX.into(), "i32"),
        Long => integer(i64::MIN, i64::MAX, "i64"),
        Float => float(f64::from(f32::MAX)),
        Double => float(f64::MAX),
        BigInteger => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => None,
            Value::String(s) if is_integer_text(s) => None,
            _ => Some("is not an integer".into()),
        },
        BigDecimal => match value {
            Value::Number(_) => None,
            Value::String(s) if smithy_runtime::BigDecimal::new(s).is_some() => None,
            _ => Some("is not a decimal number".into()),
        },
        String => match value.as_str() {
            Some(s) => check_length(s.chars().count(), "characters"),
            None => Some("is not a string".into()),
        },
        Enum => {
            let Some(s) = value.as_str() else { return Some("is not a string".into()) };
            let known = target.members.iter().any(|e| match e.traits.get(traits::ENUM_VALUE) {
                Some(v) => v.as_str() == Some(s),
                None => e.name == s,
            });
            (!known).then(|| format!("is not a value of the enum `{}`", target.id))
        }
        IntEnum => {
            let Some(n) = value.as_i64() else { return Some("is not an integer".into()) };
            let known = target.members.iter().any(|e| e.traits.get(traits::ENUM_VALUE).and_then(Value::as_i64) == Some(n));
            (!known).then(|| format!("is not a value of the intEnum `{}`", target.id))
        }
        Timestamp => match value {
            Value::Number(n) if n.as_f64().and_then(smithy_runtime::Timestamp::from_epoch_seconds_f64).is_some() => None,
            Value::String(s) if smithy_runtime::Timestamp::parse_date_time(s).is_some() => None,
            _ => Some("is not a timestamp (epoch seconds, or an RFC 3339 date-time string)".into()),
        },
        Blob => match value.as_str().map(smithy_runtime::Blob::from_base64) {
            Some(Some(blob)) => check_length(blob.as_bytes().len(), "bytes"),
            Some(None) => Some("is not base64".into()),
            None => Some("is not a base64 string".into()),
        },
        Document => match value {
            Value::Array(a) if !a.is_empty() => Some("is not allowed: a document default is null, a boolean, a string, a number, [] or {}".into()),
            Value::Object(o) if !o.is_empty() => Some("is not allowed: a document default is null, a boolean, a string, a number, [] or {}".into()),
            _ => None,
        },
        List => (!value.as_array().is_some_and(Vec::is_empty)).then(|| "is not allowed: a list's default can only be []".into()).or_else(|| check_length(0, "entries")),
        Map => (!value.as_object().is_some_and(serde_json::Map::is_empty)).then(|| "is not allowed: a map's default can only be {}".into()).or_else(|| check_length(0, "entries")),
        _ => Some(format!("is not allowed: a member targeting a {} cannot have a default", kind_name(target.kind))),
    }
}

fn show(bound: Option<f64>) -> String {
    bound.map_or_else(|| "any".to_owned(), |b| b.to_string())
}

fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn kind_name(kind: ShapeKind) -> String {
    let debug = format!("{kind:?}");
    let mut chars = debug.chars();
    chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn check_errors(model: &Model, shape: &Shape, what: &str) -> Result<(), Error> {
    for id in &shape.errors {
        match model.shape(id) {
            None => {
                return Err(model.error(&shape.id, format!("{what} error targets unknown shape `{id}`")))
            }
            Some(t) if t.kind != ShapeKind::Structure => {
                return Err(model.error(&shape.id, format!("{what} error `{id}` is not a structure")))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A structure that must contain itself through members that are required (without default)
/// cannot be built. Such members never become optional, so boxing cannot save them either.
fn check_required_cycles(model: &Model, shapes: &BTreeSet<String>) -> Result<(), Error> {
    let edges = |id: &str| -> Vec<(String, String)> {
        let Some(shape) = model.shape(id) else { return Vec::new() };
        if shape.kind != ShapeKind::Structure || shape.has_trait(traits::INPUT) {
            return Vec::new();
        }
        shape
            .members
            .iter()
            .filter(|m| {
                m.has_trait(traits::REQUIRED)
                    && !m.has_trait(traits::CLIENT_OPTIONAL)
                    && matches!(m.traits.get(traits::DEFAULT), None | Some(Value::Null))
                    && model.shape(&m.target).is_some_and(|t| t.kind == ShapeKind::Structure)
            })
            .map(|m| (m.name.clone(), m.target.clone()))
            .collect()
    };
    // Iterative DFS with colours.
    let mut done: BTreeSet<String> = BTreeSet::new();
    for start in shapes {
        if done.contains(start) {
            continue;
        }
        let mut open: Vec<String> = vec![start.clone()];
        let mut on_path: BTreeSet<String> = BTreeSet::from([start.clone()]);
        let mut stack: Vec<(String, Vec<(String, String)>)> = vec![(start.clone(), edges(start))];
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some((member, target)) => {
                    if on_path.contains(&target) {
                        let start = open.iter().position(|s| *s == target).unwrap_or(0);
                        let mut cycle: Vec<&str> = open.iter().skip(start).map(String::as_str).collect();
                        cycle.push(&target);
                        return Err(Error::new(
                            &model.file,
                            format!(
                                "structure cycle through required members only ({}); \
                                 no value of it can exist: make one member optional",
                                chain(&cycle)
                            ),
                        )
                        .shape(node.clone())
                        .member(member));
                    }
                    if !done.contains(&target) {
                        open.push(target.clone());
                        on_path.insert(target.clone());
                        let e = edges(&target);
                        stack.push((target, e));
                    }
                }
                None => {
                    done.insert(node.clone());
                    if let Some(closed) = open.pop() {
                        on_path.remove(&closed);
                    }
                    stack.pop();
                }
            }
        }
    }
    Ok(())
}

/// How deeply lists and maps may nest inside one another (`Vec<Vec<...>>`) before a structure or
/// union comes between them.
pub const MAX_COLLECTION_DEPTH: usize = 64;

/// One list or map on the path of [`check_collections`]' walk.
struct Step {
    id: String,
    /// The member the walk followed last.
    via: Option<String>,
    /// Members left to follow, as (member, target), last first.
    pending: Vec<(String, String)>,
}

/// Lists and maps become nested Rust types (`Vec<BTreeMap<String, Vec<..>>>`), so one that
/// contains itself with no structure or union in between cannot exist (Smithy forbids it too),
/// and a very deep chain of them is refused rather than recursed through. An iterative walk
/// that remembers how deep each finished collection goes: linear in the model's size.
fn check_collections(model: &Model) -> Result<(), Error> {
    let is_collection = |id: &str| model.shape(id).is_some_and(|s| matches!(s.kind, ShapeKind::List | ShapeKind::Map));
    let step = |id: &str| Step {
        id: id.to_owned(),
        via: None,
        pending: model
            .shape(id)
            .map(|s| {
                s.members
                    .iter()
                    .rev()
                    .filter(|m| is_collection(&m.target))
                    .map(|m| (m.name.clone(), m.target.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let too_deep = |path: &[Step]| {
        let ids: Vec<&str> = path.iter().take(3).map(|s| s.id.as_str()).collect();
        let root = path.first().map(|s| (s.id.clone(), s.via.clone().unwrap_or_default())).unwrap_or_default();
        Error::new(
            &model.file,
            format!(
                "lists and maps nest more than {MAX_COLLECTION_DEPTH} levels deep with no structure or union in \
                 between ({} -> ...)",
                chain(&ids)
            ),
        )
        .shape(root.0)
        .member(root.1)
    };
    // How many collections each finished one holds nested, itself included.
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    for (root, _) in model.shapes.iter().filter(|(id, s)| !s.prelude && is_collection(id)) {
        if depth.contains_key(root) {
            continue;
        }
        let mut path = vec![step(root)];
        let mut on_path: BTreeSet<String> = BTreeSet::from([root.clone()]);
        while let Some(last) = path.last_mut() {
            let Some((member, target)) = last.pending.pop() else {
                let below = model
                    .shape(&last.id)
                    .map(|s| s.members.iter().filter_map(|m| depth.get(&m.target)).copied().max().unwrap_or(0))
                    .unwrap_or(0);
                depth.insert(last.id.clone(), below + 1);
                on_path.remove(&last.id);
                path.pop();
                continue;
            };
            last.via = Some(member.clone());
            if on_path.contains(&target) {
                let shape = last.id.clone();
                let start = path.iter().position(|s| s.id == target).unwrap_or(0);
                let mut cycle: Vec<&str> = path.iter().skip(start).map(|s| s.id.as_str()).collect();
                cycle.push(&target);
                return Err(Error::new(
                    &model.file,
                    format!("a list or map contains itself without a structure or union in between ({})", chain(&cycle)),
                )
                .shape(shape)
                .member(member));
            }
            let below = depth.get(&target).copied();
            if path.len() + below.unwrap_or(1) > MAX_COLLECTION_DEPTH {
                return Err(too_deep(&path));
            }
            if below.is_none() {
                on_path.insert(target.clone());
                path.push(step(&target));
            }
        }
    }
    Ok(())
}
