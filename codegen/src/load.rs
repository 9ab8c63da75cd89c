//! Stage 1: the Smithy 2.0 JSON AST to a [`Model`].
//!
//! Reads every shape type, adds the built-in prelude, applies `apply` shapes, flattens mixins
//! in the specification's order and turns legacy `smithy.api#enum` strings into enum shapes.
//! Structural problems (malformed JSON, unknown shape types, members where they cannot be,
//! a list without `member`...) are reported here; reference problems in [`crate::validate`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{chain, clip};
use crate::model::{traits, Member, Model, Shape, ShapeKind, Traits};
use crate::Error;

/// Parses the bytes of a JSON AST file.
pub fn load(file: &str, bytes: &[u8]) -> Result<Model, Error> {
    let err = |message: String| Error::new(file, message);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(err("the file is empty; expected a Smithy JSON AST object".into()));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| err(format!("not valid UTF-8 (invalid byte at offset {})", e.valid_up_to())))?;
    let root: Value = serde_json::from_str(text).map_err(|e| err(format!("invalid JSON: {e}")))?;
    let root = root
        .as_object()
        .ok_or_else(|| err("expected a JSON object at the top level of a Smithy JSON AST".into()))?;

    match root.get("smithy") {
        Some(Value::String(v)) if v == "2" || v.starts_with("2.") => {}
        Some(Value::String(v)) => {
            return Err(err(format!(
                "unsupported Smithy version `{}`; this generator reads Smithy 2.0 JSON AST models",
                clip(v)
            )))
        }
        Some(_) => return Err(err("the `smithy` version must be a string such as \"2.0\"".into())),
        None => return Err(err("missing the `smithy` version property; is this a Smithy JSON AST?".into())),
    }

    let mut loader = Loader { file, shapes: BTreeMap::new(), applies: Vec::new() };
    match root.get("shapes") {
        None => {}
        Some(Value::Object(shapes)) => {
            for (id, value) in shapes {
                loader.shape(id, value)?;
            }
        }
        Some(_) => return Err(err("`shapes` must be an object keyed by shape ID".into())),
    }
    for shape in crate::prelude::shapes() {
        loader.shapes.entry(shape.id.clone()).or_insert(shape);
    }
    loader.apply_traits(false)?;
    loader.flatten_mixins()?;
    loader.apply_traits(true)?;
    let mut shapes = loader.shapes;
    for shape in shapes.values_mut() {
        convert_legacy_enum(file, shape)?;
    }
    Ok(Model { file: file.to_owned(), shapes })
}

struct Loader<'a> {
    file: &'a str,
    shapes: BTreeMap<String, Shape>,
    /// `apply` shapes: (target shape, member, traits).
    applies: Vec<(String, Option<String>, Traits)>,
}

/// Whether `id` is an absolute shape ID (`namespace#Name`), without a member part.
pub fn is_shape_id(id: &str) -> bool {
    let Some((namespace, name)) = id.split_once('#') else { return false };
    !namespace.is_empty() && namespace.split('.').all(is_identifier) && is_identifier(name)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && s.chars().any(|c| c != '_')
}

impl Loader<'_> {
    fn error(&self, shape: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, message).shape(shape)
    }

    fn shape(&mut self, id: &str, value: &Value) -> Result<(), Error> {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id, None),
        };
        if !is_shape_id(shape_id) || member.is_some_and(|m| !is_identifier(m)) {
            return Err(Error::new(
                self.file,
                format!("invalid shape ID `{}`; expected `namespace#Name` (e.g. `com.example#MyShape`)", clip(id)),
            ));
        }
        let obj = value.as_object().ok_or_else(|| self.error(id, "a shape must be a JSON object"))?;
        let kind_name = match obj.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(_) => return Err(self.error(id, "the shape's `type` must be a string")),
            None => return Err(self.error(id, "the shape has no `type`")),
        };
        let traits = self.traits(id, None, obj.get("traits"))?;
        if kind_name == "apply" {
            self.applies.push((shape_id.to_owned(), member.map(str::to_owned), traits));
            return Ok(());
        }
        if member.is_some() {
            return Err(self.error(id, "only `apply` shapes may use a member shape ID as their key"));
        }
        let kind = ShapeKind::parse(kind_name)
            .ok_or_else(|| self.error(id, format!("unknown shape type `{}`", clip(kind_name))))?;
        let mut shape = Shape::new(id, kind);
        shape.traits = traits;
        shape.mixins = self.targets(id, obj.get("mixins"), "mixins")?;

        // Which member-like properties this shape type may have.
        let allowed: &[&str] = match kind {
            ShapeKind::List => &["member"],
            ShapeKind::Map => &["key", "value"],
            k if k.has_named_members() => &["members"],
            _ => &[],
        };
        for prop in ["members", "member", "key", "value"] {
            if obj.contains_key(prop) && !allowed.contains(&prop) {
                return Err(self.error(id, format!("a {kind_name} shape cannot have `{prop}`")));
            }
        }
        match kind {
            ShapeKind::List => {
                // A list may inherit its member from a mixin.
                if let Some(m) = obj.get("member") {
                    shape.members.push(self.member(id, "member", m)?);
                } else if shape.mixins.is_empty() {
                    return Err(self.error(id, "a list shape must have a `member`"));
                }
            }
            ShapeKind::Map => {
                for name in ["key", "value"] {
                    if let Some(m) = obj.get(name) {
                        shape.members.push(self.member(id, name, m)?);
                    } else if shape.mixins.is_empty() {
                        return Err(self.error(id, format!("a map shape must have a `{name}`")));
                    }
                }
            }
            k if k.has_named_members() => {
                if let Some(members) = obj.get("members") {
                    let members = members
                        .as_object()
                        .ok_or_else(|| self.error(id, "`members` must be an object"))?;
                    for (name, m) in members {
                        if !is_identifier(name) {
                            return Err(self.error(id, format!("invalid member name `{}`", clip(name))).member(name));
                        }
                        shape.members.push(self.member(id, name, m)?);
                    }
                }
            }
            _ => {}
        }
        match kind {
            ShapeKind::Operation => {
                shape.input = self.target(id, obj.get("input"), "input")?;
                shape.output = self.target(id, obj.get("output"), "output")?;
                shape.errors = self.targets(id, obj.get("errors"), "errors")?;
            }
            ShapeKind::Service | ShapeKind::Resource => {
                shape.operations = self.targets(id, obj.get("operations"), "operations")?;
                shape.resources = self.targets(id, obj.get("resources"), "resources")?;
                if kind == ShapeKind::Service {
                    shape.errors = self.targets(id, obj.get("errors"), "errors")?;
                    shape.version = obj.get("version").and_then(Value::as_str).map(str::to_owned);
                    if let Some(rename) = obj.get("rename") {
                        let rename = rename
                            .as_object()
                            .ok_or_else(|| self.error(id, "`rename` must be an object"))?;
                        for (from, to) in rename {
                            let to = to
                                .as_str()
                                .ok_or_else(|| self.error(id, format!("`rename` of `{}` must be a string", clip(from))))?;
                            shape.rename.insert(from.clone(), to.to_owned());
                        }
                    }
                } else {
                    shape.operations.extend(self.targets(id, obj.get("collectionOperations"), "collectionOperations")?);
                    for lifecycle in ["create", "put", "read", "update", "delete", "list"] {
                        if let Some(t) = self.target(id, obj.get(lifecycle), lifecycle)? {
                            shape.operations.push(t);
                        }
                    }
                }
            }
            _ => {}
        }
        self.shapes.insert(id.to_owned(), shape);
        Ok(())
    }

    fn member(&self, shape: &str, name: &str, value: &Value) -> Result<Member, Error> {
        let obj = value
            .as_object()
            .ok_or_else(|| self.error(shape, "a member must be an object with a `target`").member(name))?;
        let target = match obj.get("target") {
            Some(Value::String(t)) => t.clone(),
            _ => return Err(self.error(shape, "the member has no `target` string").member(name)),
        };
        if !is_shape_id(&target) {
            return Err(self
                .error(shape, format!("invalid target shape ID `{}`; expected `namespace#Name`", clip(&target)))
                .member(name));
        }
        let traits = self.traits(shape, Some(name), obj.get("traits"))?;
        Ok(Member { name: name.to_owned(), target, traits })
    }

    fn traits(&self, shape: &str, member: Option<&str>, value: Option<&Value>) -> Result<Traits, Error> {
        let at = |message: String| {
            let e = self.error(shape, message);
            match member {
                Some(m) => e.member(m),
                None => e,
            }
        };
        let Some(value) = value else { return Ok(Traits::new()) };
        let obj = value.as_object().ok_or_else(|| at("`traits` must be an object".into()))?;
        let mut out = Traits::new();
        for (id, v) in obj {
            if !is_shape_id(id) {
                return Err(at(format!("invalid trait ID `{}`", clip(id))));
            }
            check_trait_value(id, v).map_err(at)?;
            out.insert(id.clone(), v.clone());
        }
        Ok(out)
    }

    fn target(&self, shape: &str, value: Option<&Value>, prop: &str) -> Result<Option<String>, Error> {
        let Some(value) = value else { return Ok(None) };
        match value.get("target") {
            Some(Value::String(t)) if is_shape_id(t) => Ok(Some(t.clone())),
            Some(Value::String(t)) => Err(self.error(shape, format!("`{prop}` has an invalid shape ID `{}`", clip(t)))),
            _ => Err(self.error(shape, format!("`{prop}` must be an object with a `target` string"))),
        }
    }

    fn targets(&self, shape: &str, value: Option<&Value>, prop: &str) -> Result<Vec<String>, Error> {
        let Some(value) = value else { return Ok(Vec::new()) };
        let list = value
            .as_array()
            .ok_or_else(|| self.error(shape, format!("`{prop}` must be a list of shape references")))?;
        list.iter()
            .map(|v| self.target(shape, Some(v), prop).map(Option::unwrap_or_default))
            .collect()
    }

    /// Applies `apply` shapes. Before mixins are flattened (`inherited == false`), only to
    /// members the shape declares itself; afterwards, to the rest.
    fn apply_traits(&mut self, inherited: bool) -> Result<(), Error> {
        let mut pending = Vec::new();
        // Member positions by name, for each shape that `apply` shapes target members of.
        let mut positions: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (id, member, traits) in std::mem::take(&mut self.applies) {
            let Some(shape) = self.shapes.get_mut(&id) else {
                return Err(Error::new(self.file, "`apply` targets a shape that does not exist").shape(id));
            };
            match &member {
                None => shape.traits.extend(traits),
                Some(m) => match positions
                    .entry(id.clone())
                    .or_insert_with(|| member_positions(&shape.members))
                    .get(m)
                    .and_then(|&i| shape.members.get_mut(i))
                {
                    Some(x) => x.traits.extend(traits),
                    None if !inherited => pending.push((id, member, traits)),
                    None => {
                        return Err(Error::new(self.file, "`apply` targets a member that does not exist")
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
                    Some(x) => x.traits.extend(member.traits.clone()),
                    None => {
                        positions.insert(member.name.clone(), members.len());
                        members.push(member.clone());
                    }
                }
            }
        }
        let Some(shape) = self.shapes.get_mut(id) else { return Ok(()) };
        for own in std::mem::take(&mut shape.members) {
            match positions.get(&own.name).and_then(|&i| members.get_mut(i)) {
                Some(x) => {
                    x.target = own.target;
                    x.traits.extend(own.traits);
                }
                None => {
                    positions.insert(own.name.clone(), members.len());
                    members.push(own);
                }
            }
        }
        shape.members = members;
        inherited.extend(std::mem::take(&mut shape.traits));
        shape.traits = inherited;
        if shape.kind == ShapeKind::List && shape.members.is_empty() {
            return Err(self.error(id, "a list shape must have a `member`"));
        }
        Ok(())
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
