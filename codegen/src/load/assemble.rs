//! Everything the model formats share, done once: [`Fragment`]s to a [`Model`].
//!
//! In order: the files' shapes are merged (a shape defined twice must be defined identically,
//! and no two shapes may have one shape ID ignoring case) and their metadata too; elided member targets are found in the `for` resource or the
//! mixins; trait values the generator reads are checked; the prelude is added; `apply`
//! statements are applied to the members a shape declares; mixins are flattened; `apply`
//! statements reach inherited members; Smithy 1.0 files are upgraded; structural rules are
//! checked; legacy `smithy.api#enum` strings become enum shapes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{merge_trait, Apply, Fragment, Version};
use crate::error::{chain, clip};
use crate::model::{traits, Location, Member, Model, Pos, Shape, ShapeKind, Traits};
use crate::Error;

const UNIT: &str = "smithy.api#Unit";

pub fn assemble(fragments: Vec<Fragment>) -> Result<Model, Error> {
    let file = fragments.first().map(|f| f.file.clone()).unwrap_or_default();
    let mut a = Assembler {
        file: file.clone(),
        shapes: BTreeMap::new(),
        locations: BTreeMap::new(),
        v1: BTreeSet::new(),
        applies: Vec::new(),
        for_resources: Vec::new(),
        declared: BTreeMap::new(),
    };
    let mut metadata: BTreeMap<String, Value> = BTreeMap::new();
    let mut elided: Vec<(String, String, Option<String>)> = Vec::new();
    // Shape IDs lowercased, to the first ID that has them: no two shapes may have the same
    // shape ID ignoring case, the prelude's included.
    let mut lowercased: BTreeMap<String, String> =
        crate::prelude::shapes().into_iter().map(|s| (s.id.to_ascii_lowercase(), s.id)).collect();
    for fragment in fragments {
        let Fragment { file, version, shapes, applies, metadata: meta } = fragment;
        for def in shapes {
            let id = def.shape.id.clone();
            let location = Location { file: file.clone(), pos: def.pos };
            let here = |message: String| Error::new(&file, message).at_pos(def.pos).shape(id.clone());
            if version == Version::V1 {
                if def.shape.has_trait(traits::MIXIN) {
                    return Err(here(format!(
                        "mixins can only be used in Smithy 2.0 or later; the @mixin trait is applied to `{id}` in a file \
                         of version 1.0"
                    )));
                }
                if !def.elided.is_empty() {
                    return Err(here("members can only elide their targets in Smithy 2.0 or later".into()));
                }
            }
            if let Some(existing) = a.shapes.get(&id) {
                if *existing == def.shape {
                    continue;
                }
                let first = a.locations.get(&id).map(show_location).unwrap_or_default();
                return Err(here(format!("the shape is defined twice, differently (first in {first})")));
            }
            match lowercased.get(&id.to_ascii_lowercase()) {
                Some(other) if *other != id => {
                    let place = match a.locations.get(other) {
                        Some(loc) => format!("defined in {}", show_location(loc)),
                        None => "in the prelude".to_owned(),
                    };
                    return Err(here(format!(
                        "shape IDs must be unique ignoring case, and `{id}` clashes with `{other}` ({place})"
                    )));
                }
                Some(_) => {}
                None => {
                    lowercased.insert(id.to_ascii_lowercase(), id.clone());
                }
            }
            for m in &def.elided {
                elided.push((id.clone(), m.clone(), def.for_resource.clone()));
            }
            if version == Version::V1 {
                a.v1.insert(id.clone());
            }
            if let Some(r) = &def.for_resource {
                a.for_resources.push((id.clone(), r.clone()));
            }
            let declared = def.shape.members.iter().map(|m| (m.name.clone(), def.member_pos.get(&m.name).copied())).collect();
            a.declared.insert(id.clone(), declared);
            a.locations.insert(id.clone(), location);
            a.shapes.insert(id, def.shape);
        }
        for apply in applies {
            a.applies.push((file.clone(), apply));
        }
        for (key, value, pos) in meta {
            merge_metadata(&mut metadata, key, value).map_err(|m| Error::new(&file, m).at_pos(pos))?;
        }
    }
    for shape in crate::prelude::shapes() {
        a.shapes.entry(shape.id.clone()).or_insert(shape);
    }
    for shape in a.shapes.values_mut() {
        // An operation without input or output has `smithy.api#Unit` there.
        for io in [&mut shape.input, &mut shape.output] {
            if io.as_deref() == Some(UNIT) {
                *io = None;
            }
        }
        // Bound operations, resources and errors are sets: kept sorted, as `smithy ast`
        // writes them, so that the IDL and the JSON AST give one model.
        for set in [&mut shape.operations, &mut shape.resources, &mut shape.errors, &mut shape.collection_operations] {
            set.sort();
            set.dedup();
        }
        // An enum member without a value has its name as value.
        if shape.kind == ShapeKind::Enum {
            for m in &mut shape.members {
                if !m.has_trait(traits::ENUM_VALUE) {
                    m.traits.insert(traits::ENUM_VALUE.to_owned(), Value::String(m.name.clone()));
                }
            }
        }
    }
    a.check_for_resources()?;
    a.fill_elided(elided)?;
    a.check_trait_values()?;
    a.apply_traits(false)?;
    a.flatten_mixins()?;
    a.apply_traits(true)?;
    a.upgrade_v1();
    a.check_structure()?;
    let Assembler { mut shapes, locations, .. } = a;
    for shape in shapes.values_mut() {
        convert_legacy_enum(&file, shape)?;
    }
    Ok(Model { file, shapes, metadata, locations })
}

fn show_location(loc: &Location) -> String {
    match loc.pos {
        Some(p) => format!("{}:{}:{}", loc.file, p.line, p.col),
        None => loc.file.clone(),
    }
}

/// Merges one metadata entry: lists concatenate, equal values are kept once, anything else
/// is a conflict.
fn merge_metadata(metadata: &mut BTreeMap<String, Value>, key: String, value: Value) -> Result<(), String> {
    match metadata.get_mut(&key) {
        None => {
            metadata.insert(key, value);
        }
        Some(Value::Array(old)) => match value {
            Value::Array(new) => old.extend(new),
            _ => return Err(format!("metadata `{}` conflicts with a list given before", clip(&key))),
        },
        Some(old) if *old == value => {}
        Some(_) => return Err(format!("metadata `{}` is given twice with different values", clip(&key))),
    }
    Ok(())
}

struct Assembler {
    file: String,
    shapes: BTreeMap<String, Shape>,
    locations: BTreeMap<String, Location>,
    /// Shapes defined in Smithy 1.0 files.
    v1: BTreeSet<String>,
    /// `apply` statements, with the file that holds them.
    applies: Vec<(String, Apply)>,
    /// Shapes bound to a resource with `for`.
    for_resources: Vec<(String, String)>,
    /// The members each shape declares itself (not those its mixins give it), with where
    /// their names stand in IDL files.
    declared: BTreeMap<String, BTreeMap<String, Option<Pos>>>,
}

impl Assembler {
    fn error(&self, shape: &str, message: impl Into<String>) -> Error {
        match self.locations.get(shape) {
            Some(loc) => Error::new(&loc.file, message).at_pos(loc.pos).shape(shape),
            None => Error::new(&self.file, message).shape(shape),
        }
    }

    /// The target of `for` must be a resource.
    fn check_for_resources(&self) -> Result<(), Error> {
        for (id, resource) in &self.for_resources {
            match self.shapes.get(resource) {
                Some(r) if r.kind == ShapeKind::Resource => {}
                Some(r) => {
                    return Err(self.error(
                        id,
                        format!("the target of `for` must be a resource shape, but `{resource}` is a {:?}", r.kind),
                    ))
                }
                None => return Err(self.error(id, format!("the resource `{resource}` named by `for` does not exist"))),
            }
        }
        Ok(())
    }

    /// Finds the targets of elided members (`$name`): an identifier or property of the `for`
    /// resource, else the member of that name in a mixin. When that member is elided too, the
    /// search goes on from its shape, and every member met on the way gets the target found,
    /// so each chain is walked once.
    fn fill_elided(&mut self, pending: Vec<(String, String, Option<String>)>) -> Result<(), Error> {
        let resources: BTreeMap<String, String> =
            pending.iter().filter_map(|(id, _, r)| Some((id.clone(), r.clone()?))).collect();
        for (id, name, _) in &pending {
            if self.shapes.get(id).and_then(|s| s.member(name)).is_some_and(|m| !m.target.is_empty()) {
                continue;
            }
            let mut path = vec![id.clone()];
            let mut seen = BTreeSet::new();
            let mut current = id.clone();
            let target = loop {
                if !seen.insert(current.clone()) {
                    break None;
                }
                let from_resource = resources.get(&current).and_then(|r| self.shapes.get(r)).and_then(|r| {
                    r.identifiers.iter().chain(&r.properties).find(|(n, _)| n == name).map(|(_, t)| t.clone())
                });
                if from_resource.is_some() {
                    break from_resource;
                }
                match self.mixin_member_target(&current, name) {
                    None => break None,
                    Some((_, target)) if !target.is_empty() => break Some(target),
                    Some((mixin, _)) => {
                        path.push(mixin.clone());
                        current = mixin;
                    }
                }
            };
            let Some(target) = target else {
                return Err(self
                    .error(id, "member target was elided, but no bound resource or mixin has an identifier or member of that name")
                    .member(name.clone()));
            };
            for shape in path {
                if let Some(m) = self.shapes.get_mut(&shape).and_then(|s| s.members.iter_mut().find(|m| m.name == *name)) {
                    if m.target.is_empty() {
                        m.target = target.clone();
                    }
                }
            }
        }
        Ok(())
    }

    /// The mixin of `id` (searched breadth first) that has a member `name`, with that member's
    /// target (empty when elided).
    fn mixin_member_target(&self, id: &str, name: &str) -> Option<(String, String)> {
        let mut queue: std::collections::VecDeque<&str> = self.shapes.get(id)?.mixins.iter().map(String::as_str).collect();
        let mut seen = BTreeSet::new();
        while let Some(m) = queue.pop_front() {
            if !seen.insert(m) {
                continue;
            }
            let Some(shape) = self.shapes.get(m) else { continue };
            if let Some(member) = shape.member(name) {
                return Some((m.to_owned(), member.target.clone()));
            }
            queue.extend(shape.mixins.iter().map(String::as_str));
        }
        None
    }

    /// Checks the JSON type of the trait values the generator reads.
    fn check_trait_values(&self) -> Result<(), Error> {
        for shape in self.shapes.values() {
            for (id, v) in &shape.traits {
                check_trait_value(id, v).map_err(|m| self.error(&shape.id, m))?;
            }
            for m in &shape.members {
                for (id, v) in &m.traits {
                    check_trait_value(id, v).map_err(|e| self.error(&shape.id, e).member(m.name.clone()))?;
                }
            }
        }
        for (file, apply) in &self.applies {
            for (id, v) in &apply.traits {
                check_trait_value(id, v).map_err(|m| Error::new(file, m).at_pos(apply.pos).shape(apply.target.clone()))?;
            }
        }
        Ok(())
    }

    /// Smithy 1.0 files, upgraded as Smithy 2.0 reads them: a boolean or number shape without
    /// `@box` was never null and gets `@default` of its zero value; a structure member that
    /// targets a shape with a default, and is not `@box` itself, gets the same default.
    fn upgrade_v1(&mut self) {
        for id in &self.v1 {
            let Some(shape) = self.shapes.get_mut(id) else { continue };
            if let Some(zero) = zero_value(shape.kind) {
                if !shape.has_trait(traits::BOX) && !shape.has_trait(traits::DEFAULT) {
                    shape.traits.insert(traits::DEFAULT.to_owned(), zero);
                }
            }
        }
        let mut defaults = Vec::new();
        for id in &self.v1 {
            let Some(shape) = self.shapes.get(id).filter(|s| s.kind == ShapeKind::Structure) else { continue };
            for (i, m) in shape.members.iter().enumerate() {
                if m.has_trait(traits::BOX) || m.has_trait(traits::DEFAULT) {
                    continue;
                }
                if let Some(default) = self.shapes.get(&m.target).and_then(|t| t.traits.get(traits::DEFAULT)) {
                    defaults.push((id.clone(), i, default.clone()));
                }
            }
        }
        for (id, i, default) in defaults {
            if let Some(m) = self.shapes.get_mut(&id).and_then(|s| s.members.get_mut(i)) {
                m.traits.insert(traits::DEFAULT.to_owned(), default);
            }
        }
    }

    /// Structural rules both formats share: lists have a member and maps a key and a value
    /// (after mixins), mixins are of the shape's own type, operation mixins bind no input or
    /// output, resource mixins no properties, enum values are strings and intEnum values
    /// 32-bit integers.
    fn check_structure(&self) -> Result<(), Error> {
        for shape in self.shapes.values().filter(|s| !s.prelude) {
            let id = shape.id.as_str();
            self.check_member_names(shape)?;
            match shape.kind {
                ShapeKind::List if shape.member("member").is_none() => {
                    return Err(self.error(id, "a list shape must have a `member`"))
                }
                ShapeKind::Map => {
                    let missing: Vec<&str> = ["key", "value"].into_iter().filter(|n| shape.member(n).is_none()).collect();
                    if !missing.is_empty() {
                        return Err(self.error(id, format!("a map shape must have a `{}`", missing.join("` and a `"))));
                    }
                }
                _ => {}
            }
            let wrong: Vec<&str> = shape
                .mixins
                .iter()
                .filter(|m| self.shapes.get(*m).is_some_and(|s| s.kind != shape.kind))
                .map(String::as_str)
                .collect();
            if !wrong.is_empty() {
                return Err(self.error(
                    id,
                    format!("mixins may only be mixed into shapes of their own type, and these are not: {}", wrong.join(", ")),
                ));
            }
            if shape.has_trait(traits::MIXIN) {
                let unit = |t: &Option<String>| t.as_deref().is_none_or(|t| t == UNIT);
                if shape.kind == ShapeKind::Operation && !(unit(&shape.input) && unit(&shape.output)) {
                    return Err(self.error(id, "an operation mixin must not bind an input or an output other than `smithy.api#Unit`"));
                }
                if shape.kind == ShapeKind::Resource && !(shape.properties.is_empty() && shape.identifiers.is_empty()) {
                    return Err(self.error(id, "a resource mixin may not define identifiers or properties"));
                }
            }
            for m in &shape.members {
                let Some(value) = m.traits.get(traits::ENUM_VALUE) else { continue };
                let problem = match (shape.kind, value) {
                    (ShapeKind::Enum, Value::String(_)) => None,
                    (ShapeKind::Enum, v) => Some(format!("enum members can only be assigned string values, but found: {}", clip(&v.to_string()))),
                    (ShapeKind::IntEnum, Value::Number(n)) if n.is_f64() => {
                        Some("intEnum members do not support floating point values".to_owned())
                    }
                    (ShapeKind::IntEnum, Value::Number(n)) if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => None,
                    (ShapeKind::IntEnum, Value::Number(n)) => Some(format!("intEnum members must fit within an integer, but found: {n}")),
                    (ShapeKind::IntEnum, v) => Some(format!("intEnum members require integer values, but found: {}", clip(&v.to_string()))),
                    _ => None,
                };
                if let Some(problem) = problem {
                    return Err(self.error(id, problem).member(m.name.clone()));
                }
            }
        }
        Ok(())
    }

    /// A shape's member names, its mixins' included, must be unique ignoring case (`foo` and
    /// `Foo` cannot both be members). The error stands at the later of the two members; a
    /// clash that both members bring from one mixin is reported on that mixin.
    fn check_member_names(&self, shape: &Shape) -> Result<(), Error> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for m in &shape.members {
            let Some(first) = seen.insert(m.name.to_ascii_lowercase(), &m.name) else { continue };
            let second = m.name.as_str();
            let first_from = self.declarer(&shape.id, first, 0);
            let second_from = self.declarer(&shape.id, second, 0);
            if first_from == second_from && first_from.is_some_and(|d| d != shape.id) {
                continue;
            }
            let inherited = |from: Option<&str>| match from {
                Some(d) if d != shape.id => format!(" (from mixin `{d}`)"),
                _ => String::new(),
            };
            let message = format!(
                "member names must be unique ignoring case, and `{second}`{} clashes with `{first}`{}",
                inherited(second_from),
                inherited(first_from)
            );
            let at = second_from.unwrap_or(&shape.id);
            let pos = self.declared.get(at).and_then(|d| d.get(second)).copied().flatten();
            let file = self.locations.get(at).map_or(&self.file, |l| &l.file);
            return Err(Error::new(file, message).at_pos(pos).shape(shape.id.clone()).member(second));
        }
        Ok(())
    }

    /// The shape that declares member `name` of `id`: `id` itself, else the first of its
    /// mixins (searched in order, through their own mixins) that does.
    fn declarer<'a>(&'a self, id: &'a str, name: &str, depth: usize) -> Option<&'a str> {
        if self.declared.get(id).is_some_and(|d| d.contains_key(name)) {
            return Some(id);
        }
        // Mixin cycles are refused when mixins are flattened; the depth bound is a guard.
        if depth > self.shapes.len() {
            return None;
        }
        let shape = self.shapes.get(id)?;
        shape.mixins.iter().find_map(|m| self.declarer(m, name, depth + 1))
    }

    /// Applies `apply` shapes. Before mixins are flattened (`inherited == false`), only to
    /// members the shape declares itself; afterwards, to the rest.
    fn apply_traits(&mut self, inherited: bool) -> Result<(), Error> {
        let mut pending = Vec::new();
        // Member positions by name, for each shape that `apply` shapes target members of.
        let mut positions: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (file, apply) in std::mem::take(&mut self.applies) {
            let Apply { target: id, member, traits, pos } = apply;
            let Some(shape) = self.shapes.get_mut(&id) else {
                return Err(Error::new(&file, "`apply` targets a shape that does not exist").at_pos(pos).shape(id));
            };
            match &member {
                None => apply_to(&mut shape.traits, traits).map_err(|m| Error::new(&file, m).at_pos(pos).shape(id.clone()))?,
                Some(m) => match positions
                    .entry(id.clone())
                    .or_insert_with(|| member_positions(&shape.members))
                    .get(m)
                    .and_then(|&i| shape.members.get_mut(i))
                {
                    Some(x) => apply_to(&mut x.traits, traits)
                        .map_err(|e| Error::new(&file, e).at_pos(pos).shape(id.clone()).member(m.as_str()))?,
                    None if !inherited => pending.push((file, Apply { target: id, member, traits, pos })),
                    None => {
                        return Err(Error::new(&file, "`apply` targets a member that does not exist")
                            .at_pos(pos)
                            .shape(id)
                            .member(m.as_str()))
                    }
                },
            }
        }
        self.applies = pending;
        Ok(())
    }

    /// Flattens mixins: inherited members first, in the order the mixins are listed, then the
    /// shape's own; the shape's own traits win over inherited ones; `@mixin` is not inherited.
    /// Mixins are flattened before the shapes that use them, by an iterative depth-first walk:
    /// however long a chain of mixins, the stack does not grow with it.
    fn flatten_mixins(&mut self) -> Result<(), Error> {
        let mut done: BTreeSet<String> = BTreeSet::new();
        let ids: Vec<String> = self.shapes.keys().cloned().collect();
        for root in ids {
            if done.contains(&root) {
                continue;
            }
            // The path from `root`: each shape with the index of its next mixin to visit.
            let mut path: Vec<(String, usize)> = vec![(root.clone(), 0)];
            let mut on_path: BTreeSet<String> = BTreeSet::from([root]);
            while let Some((id, next)) = path.last_mut() {
                let mixin = self.shapes.get(id.as_str()).and_then(|s| s.mixins.get(*next)).cloned();
                *next += 1;
                let id = id.clone();
                let Some(mixin) = mixin else {
                    self.merge_mixins(&id)?;
                    on_path.remove(&id);
                    done.insert(id);
                    path.pop();
                    continue;
                };
                match self.shapes.get(&mixin) {
                    None => return Err(self.error(&id, format!("mixin `{}` does not exist", clip(&mixin)))),
                    Some(m) if !m.has_trait(traits::MIXIN) => {
                        return Err(self.error(&id, format!("`{}` is used as a mixin but lacks the @mixin trait", clip(&mixin))))
                    }
                    Some(_) => {}
                }
                if done.contains(&mixin) {
                    continue;
                }
                if on_path.contains(&mixin) {
                    let start = path.iter().position(|(s, _)| *s == mixin).unwrap_or(0);
                    let mut cycle: Vec<&str> = path.iter().skip(start).map(|(s, _)| s.as_str()).collect();
                    cycle.push(&mixin);
                    return Err(self.error(&mixin, format!("mixin cycle: {}", chain(&cycle))));
                }
                on_path.insert(mixin.clone());
                path.push((mixin, 0));
            }
        }
        Ok(())
    }

    /// Copies the members and traits of the (already flattened) mixins of `id` into it.
    fn merge_mixins(&mut self, id: &str) -> Result<(), Error> {
        let mixins = self.shapes.get(id).map(|s| s.mixins.clone()).unwrap_or_default();
        if mixins.is_empty() {
            return Ok(());
        }
        let mut members: Vec<Member> = Vec::new();
        let mut positions: BTreeMap<String, usize> = BTreeMap::new();
        let mut inherited = Traits::new();
        for mixin in &mixins {
            let Some(m) = self.shapes.get(mixin) else { continue };
            let local: BTreeSet<String> = m
                .traits
                .get(traits::MIXIN)
                .and_then(|v| v.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            for (k, v) in &m.traits {
                if k != traits::MIXIN && !local.contains(k) {
                    inherited.insert(k.clone(), v.clone());
                }
            }
            for member in &m.members {
                match positions.get(&member.name).and_then(|&i| members.get_mut(i)) {
                    Some(x) if x.target != member.target => {
                        return Err(self
                            .error(id, format!("member `{}` is inherited from two mixins with different targets", member.name))
                            .member(member.name.clone()))
                    }
                    Some(x) => x.traits.extend(member.traits.clone()),
                    None => {
                        positions.insert(member.name.clone(), members.len());
                        members.push(member.clone());
                    }
                }
            }
        }
        let conflict = self.shapes.get(id).and_then(|s| {
            s.members.iter().find(|own| {
                positions.get(&own.name).and_then(|&i| members.get(i)).is_some_and(|x| x.target != own.target)
            })
        });
        if let Some(own) = conflict {
            let from = mixins
                .iter()
                .find(|m| self.shapes.get(*m).is_some_and(|s| s.member(&own.name).is_some()))
                .cloned()
                .unwrap_or_default();
            return Err(self
                .error(id, format!("member conflicts with an inherited mixin member: `{from}${}`", own.name))
                .member(own.name.clone()));
        }
        let Some(shape) = self.shapes.get_mut(id) else { return Ok(()) };
        for own in std::mem::take(&mut shape.members) {
            match positions.get(&own.name).and_then(|&i| members.get_mut(i)) {
                Some(x) => x.traits.extend(own.traits),
                None => {
                    positions.insert(own.name.clone(), members.len());
                    members.push(own);
                }
            }
        }
        shape.members = members;
        inherited.extend(std::mem::take(&mut shape.traits));
        shape.traits = inherited;
        self.inherit_bindings(id, &mixins);
        // `apply` statements for members this shape inherits take effect now, before the
        // shapes that mix this one in inherit them.
        let (now, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.applies).into_iter().partition(|(_, a)| a.target == id && a.member.is_some());
        self.applies = later;
        for (file, apply) in now {
            let member = apply.member.clone().unwrap_or_default();
            match self.shapes.get_mut(id).and_then(|s| s.members.iter_mut().find(|m| m.name == member)) {
                // Traits applied to an inherited member override the inherited ones.
                Some(m) => m.traits.extend(apply.traits),
                None => {
                    return Err(Error::new(&file, "`apply` targets a member that does not exist")
                        .at_pos(apply.pos)
                        .shape(id)
                        .member(member))
                }
            }
        }
        Ok(())
    }

    /// What operations, services and resources inherit from their mixins: errors, bound
    /// operations and resources, the service's version and renames, the resource's
    /// identifiers and lifecycle. The shape's own come after (or win).
    fn inherit_bindings(&mut self, id: &str, mixins: &[String]) {
        let mut base = Shape::new(id, ShapeKind::Structure);
        for mixin in mixins {
            let Some(m) = self.shapes.get(mixin) else { continue };
            let add = |to: &mut Vec<String>, from: &[String]| {
                for x in from {
                    if !to.contains(x) {
                        to.push(x.clone());
                    }
                }
            };
            add(&mut base.errors, &m.errors);
            add(&mut base.operations, &m.operations);
            add(&mut base.resources, &m.resources);
            add(&mut base.collection_operations, &m.collection_operations);
            base.rename.extend(m.rename.clone());
            base.lifecycle.extend(m.lifecycle.clone());
            if m.version.is_some() {
                base.version = m.version.clone();
            }
            for (n, t) in &m.identifiers {
                if !base.identifiers.iter().any(|(x, _)| x == n) {
                    base.identifiers.push((n.clone(), t.clone()));
                }
            }
        }
        let Some(shape) = self.shapes.get_mut(id) else { return };
        let merge = |base: Vec<String>, own: &mut Vec<String>| {
            let mut all = base;
            for x in own.drain(..) {
                if !all.contains(&x) {
                    all.push(x);
                }
            }
            *own = all;
        };
        merge(base.errors, &mut shape.errors);
        merge(base.operations, &mut shape.operations);
        merge(base.resources, &mut shape.resources);
        merge(base.collection_operations, &mut shape.collection_operations);
        base.rename.extend(std::mem::take(&mut shape.rename));
        shape.rename = base.rename;
        base.lifecycle.extend(std::mem::take(&mut shape.lifecycle));
        shape.lifecycle = base.lifecycle;
        if shape.version.is_none() {
            shape.version = base.version;
        }
        for (n, t) in std::mem::take(&mut shape.identifiers) {
            if !base.identifiers.iter().any(|(x, _)| *x == n) {
                base.identifiers.push((n, t));
            }
        }
        shape.identifiers = base.identifiers;
        for set in [&mut shape.operations, &mut shape.resources, &mut shape.errors, &mut shape.collection_operations] {
            set.sort();
        }
    }
}

/// The position of each member, by name (the first, should a name repeat).
fn member_positions(members: &[Member]) -> BTreeMap<String, usize> {
    let mut positions = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        positions.entry(m.name.clone()).or_insert(i);
    }
    positions
}

/// Adds the traits of an `apply` statement, by [`merge_trait`].
fn apply_to(to: &mut Traits, traits: Traits) -> Result<(), String> {
    for (id, value) in traits {
        if !merge_trait(to, id.clone(), value) {
            return Err(format!("`apply` gives the trait `{id}` a value that conflicts with the one it has"));
        }
    }
    Ok(())
}

/// The zero value a Smithy 1.0 boolean or number shape defaults to.
fn zero_value(kind: ShapeKind) -> Option<Value> {
    use ShapeKind::*;
    match kind {
        Boolean => Some(Value::Bool(false)),
        Byte | Short | Integer | Long | Float | Double => Some(Value::from(0)),
        _ => None,
    }
}

/// Checks the JSON type of the values of the traits the generator reads.
fn check_trait_value(id: &str, v: &Value) -> Result<(), String> {
    let expect = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("trait `{id}` must be {what}, found {}", json_type(v)))
        }
    };
    match id {
        traits::DOCUMENTATION | traits::JSON_NAME | traits::XML_NAME | traits::HTTP_HEADER | traits::TITLE => {
            expect(v.is_string(), "a string")
        }
        traits::TIMESTAMP_FORMAT => match v.as_str() {
            Some("date-time" | "http-date" | "epoch-seconds") => Ok(()),
            Some(other) => Err(format!(
                "trait `{id}` must be one of \"date-time\", \"http-date\", \"epoch-seconds\", found \"{}\"",
                clip(other)
            )),
            None => expect(false, "a string"),
        },
        traits::ERROR => match v.as_str() {
            Some("client" | "server") => Ok(()),
            _ => Err(format!("trait `{id}` must be \"client\" or \"server\", found {}", clip(&v.to_string()))),
        },
        traits::ENUM_VALUE => expect(v.is_string() || v.is_i64(), "a string or an integer"),
        traits::HTTP_ERROR => expect(v.as_u64().is_some_and(|c| (100..=599).contains(&c)), "an HTTP status code"),
        traits::REQUIRED
        | traits::CLIENT_OPTIONAL
        | traits::INPUT
        | traits::SPARSE
        | traits::SENSITIVE
        | traits::XML_ATTRIBUTE
        | traits::XML_FLATTENED
        | traits::MIXIN
        | traits::STREAMING
        | traits::AWS_SERVICE
        | traits::REST_XML
        | traits::AWS_QUERY_COMPATIBLE => expect(v.is_object(), "an object"),
        traits::ENUM => expect(v.is_array(), "a list of enum definitions"),
        traits::AWS_QUERY_ERROR => expect(v.get("code").is_some_and(Value::is_string), "an object with a `code` string"),
        _ => Ok(()),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Turns a string shape with the legacy `smithy.api#enum` trait into an enum shape whose
/// members carry `enumValue`; unnamed definitions take their value as member name source.
fn convert_legacy_enum(file: &str, shape: &mut Shape) -> Result<(), Error> {
    if shape.kind != ShapeKind::String {
        return Ok(());
    }
    let Some(Value::Array(defs)) = shape.traits.remove(traits::ENUM) else { return Ok(()) };
    let err = |message: String| Error::new(file, message).shape(shape.id.clone());
    let mut members = Vec::new();
    for def in &defs {
        let def: &Map<String, Value> = def.as_object().ok_or_else(|| err("each `smithy.api#enum` entry must be an object".into()))?;
        let value = def
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| err("each `smithy.api#enum` entry needs a `value` string".into()))?;
        let name = def.get("name").and_then(Value::as_str).unwrap_or(value);
        let mut traits = Traits::new();
        traits.insert(traits::ENUM_VALUE.to_owned(), Value::String(value.to_owned()));
        if let Some(doc) = def.get("documentation").filter(|d| d.is_string()) {
            traits.insert(traits::DOCUMENTATION.to_owned(), doc.clone());
        }
        if def.get("deprecated").and_then(Value::as_bool) == Some(true) {
            traits.insert(traits::DEPRECATED.to_owned(), Value::Object(Map::new()));
        }
        // Legacy names need not be identifiers; naming sanitizes them later.
        members.push(Member { name: name.to_owned(), target: "smithy.api#Unit".to_owned(), traits });
    }
    shape.kind = ShapeKind::Enum;
    shape.members = members;
    Ok(())
}
