//! The Smithy JSON AST (1.0 and 2.0) to a [`Fragment`].
//!
//! Structural problems (malformed JSON, unknown shape types, members where they cannot be...)
//! are reported here; everything the IDL shares, in [`super::assemble`].

use serde_json::Value;

use super::{is_identifier, is_shape_id, Apply, Fragment, ShapeDef, Version};
use crate::error::clip;
use crate::model::{Member, Shape, ShapeKind, Traits, LIFECYCLE};
use crate::Error;

/// Parses the bytes of a JSON AST file.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Fragment, Error> {
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

    let version = match root.get("smithy") {
        Some(Value::String(v)) => version(v).ok_or_else(|| {
            err(format!("unsupported Smithy version `{}`; this generator reads Smithy 1.0 and 2.0 models", clip(v)))
        })?,
        Some(_) => return Err(err("the `smithy` version must be a string such as \"2.0\"".into())),
        None => return Err(err("missing the `smithy` version property; is this a Smithy JSON AST?".into())),
    };

    let mut loader = Loader { file, version, shapes: Vec::new(), applies: Vec::new() };
    match root.get("shapes") {
        None => {}
        Some(Value::Object(shapes)) => {
            for (id, value) in shapes {
                loader.shape(id, value)?;
            }
        }
        Some(_) => return Err(err("`shapes` must be an object keyed by shape ID".into())),
    }
    let mut metadata = Vec::new();
    match root.get("metadata") {
        None => {}
        Some(Value::Object(m)) => metadata.extend(m.iter().map(|(k, v)| (k.clone(), v.clone(), None))),
        Some(_) => return Err(err("`metadata` must be an object".into())),
    }
    Ok(Fragment { file: file.to_owned(), version, shapes: loader.shapes, applies: loader.applies, metadata })
}

/// The version a `smithy` property or `$version` statement names: `1`, `1.0`, `2`, `2.0`
/// (and later minor versions).
pub fn version(v: &str) -> Option<Version> {
    let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
    if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match major {
        "1" => Some(Version::V1),
        "2" => Some(Version::V2),
        _ => None,
    }
}

struct Loader<'a> {
    file: &'a str,
    version: Version,
    shapes: Vec<ShapeDef>,
    applies: Vec<Apply>,
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
            self.applies.push(Apply { target: shape_id.to_owned(), member: member.map(str::to_owned), traits, pos: None });
            return Ok(());
        }
        if member.is_some() {
            return Err(self.error(id, "only `apply` shapes may use a member shape ID as their key"));
        }
        let kind = ShapeKind::parse(kind_name)
            .ok_or_else(|| self.error(id, format!("unknown shape type `{}`", clip(kind_name))))?;
        super::check_type_version(kind_name, self.version).map_err(|m| self.error(id, m))?;
        let mut shape = Shape::new(id, kind);
        shape.traits = traits;
        if kind_name == "set" {
            shape.traits.insert(crate::model::traits::UNIQUE_ITEMS.to_owned(), Value::Object(Default::default()));
        }
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
                if kind == ShapeKind::Resource {
                    shape.identifiers = self.named_targets(id, obj.get("identifiers"), "identifiers")?;
                    shape.properties = self.named_targets(id, obj.get("properties"), "properties")?;
                    if !shape.properties.is_empty() && self.version == Version::V1 {
                        return Err(self.error(id, "resource properties can only be used with Smithy version 2 or later"));
                    }
                }
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
                    shape.collection_operations =
                        self.targets(id, obj.get("collectionOperations"), "collectionOperations")?;
                    for lifecycle in LIFECYCLE {
                        if let Some(t) = self.target(id, obj.get(lifecycle), lifecycle)? {
                            shape.lifecycle.insert(lifecycle.to_owned(), t);
                        }
                    }
                }
            }
            _ => {}
        }
        self.shapes.push(ShapeDef { shape, pos: None, member_pos: Default::default(), elided: Vec::new(), for_resource: None });
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

    /// `identifiers` or `properties`: an object of names to shape references.
    fn named_targets(&self, shape: &str, value: Option<&Value>, prop: &str) -> Result<Vec<(String, String)>, Error> {
        let Some(value) = value else { return Ok(Vec::new()) };
        let obj = value
            .as_object()
            .ok_or_else(|| self.error(shape, format!("`{prop}` must be an object of shape references")))?;
        obj.iter()
            .map(|(name, v)| Ok((name.clone(), self.target(shape, Some(v), prop)?.unwrap_or_default())))
            .collect()
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

}
