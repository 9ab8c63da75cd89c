//! Stage 2: reference and consistency checks before anything is generated. Each problem is an
//! [`Error`] naming the file, the shape and the member; the first one (in shape ID order) is
//! returned.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::chain;
use crate::lower::{closure, select_service};
use crate::model::{traits, Model, Shape, ShapeKind};
use crate::{Error, Settings};

pub fn validate(model: &Model, settings: &Settings) -> Result<(), Error> {
    let file = model.file.as_str();
    let at = |shape: &Shape, message: String| Error::new(file, message).shape(shape.id.clone());
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
                for (list, kind) in [(&shape.operations, ShapeKind::Operation), (&shape.resources, ShapeKind::Resource)] {
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
            ShapeKind::Enum => {
                for m in &shape.members {
                    if let Some(v) = m.traits.get(traits::ENUM_VALUE) {
                        if !v.is_string() {
                            return Err(at(shape, "an enum member's @enumValue must be a string".into()).member(m.name.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    check_collections(model)?;
    let service = select_service(model, settings.service.as_deref())?;
    let closure = closure(model, service);
    check_required_cycles(model, &closure.shapes)?;

    Ok(())
}

fn check_errors(model: &Model, shape: &Shape, what: &str) -> Result<(), Error> {
    for id in &shape.errors {
        match model.shape(id) {
            None => {
                return Err(Error::new(&model.file, format!("{what} error targets unknown shape `{id}`")).shape(shape.id.clone()))
            }
            Some(t) if t.kind != ShapeKind::Structure => {
                return Err(Error::new(&model.file, format!("{what} error `{id}` is not a structure")).shape(shape.id.clone()))
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
                        let mut cycle: Vec<&str> = open[start..].iter().map(String::as_str).collect();
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
                let mut cycle: Vec<&str> = path[start..].iter().map(|s| s.id.as_str()).collect();
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
