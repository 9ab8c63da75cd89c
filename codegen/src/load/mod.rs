//! Stage 1: model files to a [`Model`].
//!
//! Each format has its own parser, which keeps source positions for its errors:
//! [`json`] reads the Smithy JSON AST and [`idl`] the Smithy IDL. Both give a [`Fragment`]:
//! the shapes, `apply` statements and metadata of one file, with absolute shape IDs.
//! [`assemble`] then does everything the formats share, once: it merges the fragments,
//! fills elided member targets, adds the prelude, applies `apply`, flattens mixins, upgrades
//! Smithy 1.0 files and turns legacy `smithy.api#enum` strings into enum shapes.

mod assemble;
pub mod botocore;
pub mod idl;
mod json;

use serde_json::Value;

use crate::model::{Model, Pos, Shape, Traits};
use crate::Error;

/// Adds a trait to `traits` where it may already be (the same trait written twice, or given
/// again by `apply`): a list value gets the new entries after its own, an equal value is kept
/// once; any other value is a conflict, and `false` is returned with nothing changed.
pub fn merge_trait(traits: &mut Traits, id: String, value: Value) -> bool {
    match traits.get_mut(&id) {
        None => {
            traits.insert(id, value);
        }
        Some(Value::Array(old)) if value.is_array() => {
            if let Value::Array(new) = value {
                old.extend(new);
            }
        }
        Some(old) if *old == value => {}
        Some(_) => return false,
    }
    true
}

/// Whether `id` is an absolute shape ID (`namespace#Name`), without a member part.
pub fn is_shape_id(id: &str) -> bool {
    let Some((namespace, name)) = id.split_once('#') else { return false };
    !namespace.is_empty() && namespace.split('.').all(is_identifier) && is_identifier(name)
}

/// Whether `s` is a Smithy identifier: letters, digits and `_`, not starting with a digit,
/// not only underscores.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && s.chars().any(|c| c != '_')
}

/// Refuses a shape type that the file's Smithy version does not have: `enum` and `intEnum`
/// came with 2.0, and `set` went (a 2.0 model writes a list with `@uniqueItems`).
pub fn check_type_version(type_name: &str, version: Version) -> Result<(), String> {
    let missing = match version {
        Version::V1 => matches!(type_name, "enum" | "intEnum"),
        Version::V2 => type_name == "set",
    };
    if missing {
        let v = match version {
            Version::V1 => "1.0",
            Version::V2 => "2.0",
        };
        return Err(format!("{type_name} shapes cannot be used in Smithy version {v}"));
    }
    Ok(())
}

/// The Smithy version a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `1.0` (also when an IDL file declares none): upgraded on assembly.
    V1,
    V2,
}

/// One parsed file: what it defines, before anything is merged or resolved across files.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub file: String,
    pub version: Version,
    pub shapes: Vec<ShapeDef>,
    pub applies: Vec<Apply>,
    pub metadata: Vec<(String, Value, Option<Pos>)>,
}

/// A shape as a file defines it.
#[derive(Debug, Clone)]
pub struct ShapeDef {
    pub shape: Shape,
    pub pos: Option<Pos>,
    /// Where each member's name stands (IDL files), for errors about a member found only
    /// once the files are assembled.
    pub member_pos: std::collections::BTreeMap<String, Pos>,
    /// Members whose target is elided (`$name` in the IDL): their `target` is empty until
    /// [`assemble`] finds it in the `for` resource or the mixins.
    pub elided: Vec<String>,
    /// The resource named by `for` in the IDL.
    pub for_resource: Option<String>,
}

/// An `apply` statement: traits for a shape or a member defined elsewhere.
#[derive(Debug, Clone)]
pub struct Apply {
    pub target: String,
    pub member: Option<String>,
    pub traits: Traits,
    pub pos: Option<Pos>,
}

/// Assembles several files into one model, the way smithy-build does: IDL names resolve
/// across all of them, and a shape may be defined twice only identically.
#[derive(Debug, Default)]
pub struct Loader {
    fragments: Vec<Fragment>,
    idl: Vec<idl::File>,
}

impl Loader {
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Parses a file (`.smithy` as IDL, anything else as a JSON AST) and adds it.
    pub fn add(&mut self, file: &str, bytes: &[u8]) -> Result<(), Error> {
        if file.ends_with(".smithy") {
            self.idl.push(idl::parse_file(file, bytes)?);
        } else {
            self.fragments.push(json::parse(file, bytes)?);
        }
        Ok(())
    }

    /// Resolves the IDL files' names against every shape of every file and assembles the
    /// model.
    pub fn finish(self) -> Result<Model, Error> {
        let Loader { mut fragments, idl } = self;
        let mut defined = std::collections::BTreeMap::new();
        for f in &fragments {
            defined.extend(f.shapes.iter().map(|d| (d.shape.id.clone(), d.shape.kind)));
        }
        for f in &idl {
            defined.extend(f.defined());
        }
        for f in idl {
            fragments.push(f.resolve(&defined)?);
        }
        assemble::assemble(fragments)
    }
}

/// Parses and assembles one file.
pub fn load(file: &str, bytes: &[u8]) -> Result<Model, Error> {
    let mut loader = Loader::new();
    loader.add(file, bytes)?;
    loader.finish()
}
