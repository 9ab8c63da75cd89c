//! The Smithy IDL (2.0, and 1.0 files, which assembly upgrades) to a [`Fragment`].
//!
//! A hand-written recursive-descent parser over the tokens of [`lexer`]. It parses one file
//! into a [`File`] whose shape IDs are still as written: a relative name resolves to a `use`d
//! shape, else to a shape of the file's namespace (in any file of the model), else to the
//! prelude, so names resolve only once every file is parsed, in [`File::resolve`].
//!
//! Errors are one line, `file:line:col: message`, at the token that is wrong; nesting is
//! bounded ([`MAX_DEPTH`]), so no input can exhaust the stack.

mod lexer;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Number, Value};

use self::lexer::{Tok, Token};
use super::{is_identifier, Apply, Fragment, ShapeDef, Version};
use crate::error::clip;
use crate::model::{traits, Member, Pos, Shape, ShapeKind, Traits, LIFECYCLE};
use crate::Error;

/// How deeply node values (lists and objects) may nest.
pub const MAX_DEPTH: usize = 128;

/// A parsed IDL file whose names are not resolved yet.
#[derive(Debug)]
pub struct File {
    file: String,
    version: Version,
    namespace: String,
    /// `use` statements: name to absolute shape ID.
    uses: BTreeMap<String, String>,
    shapes: Vec<ShapeDef>,
    applies: Vec<Apply>,
    metadata: Vec<(String, Node)>,
    /// Trait values, kept as nodes until their shape IDs resolve: by owner.
    trait_nodes: Vec<(Owner, String, Option<Node>, Pos)>,
}

/// What a trait is applied to.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Shape(usize),
    Member(usize, usize),
    Apply(usize),
}

/// A node value with its position; strings written as bare shape IDs are marked, since they
/// resolve to absolute shape IDs.
#[derive(Debug, Clone)]
struct Node {
    value: NodeValue,
    pos: Pos,
}

#[derive(Debug, Clone)]
enum NodeValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    ShapeId(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// Parses one IDL file; its names resolve later, in [`File::resolve`].
pub fn parse_file(file: &str, bytes: &[u8]) -> Result<File, Error> {
    let src = std::str::from_utf8(bytes)
        .map_err(|e| Error::new(file, format!("not valid UTF-8 (invalid byte at offset {})", e.valid_up_to())))?;
    if u32::try_from(src.len()).is_err() {
        return Err(Error::new(file, "the file is larger than 4 GiB"));
    }
    let tokens = lexer::lex(src);
    let mut p = Parser {
        file,
        src,
        tokens,
        at: 0,
        docs: Vec::new(),
        version: Version::V1,
        version_set: false,
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        out: File {
            file: file.to_owned(),
            version: Version::V1,
            namespace: String::new(),
            uses: BTreeMap::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
            metadata: Vec::new(),
            trait_nodes: Vec::new(),
        },
        depth: 0,
    };
    p.idl()?;
    p.out.version = p.version;
    Ok(p.out)
}

struct Parser<'a> {
    file: &'a str,
    src: &'a str,
    tokens: Vec<Token>,
    at: usize,
    /// Documentation comment lines seen since the last token that was not whitespace.
    docs: Vec<String>,
    version: Version,
    version_set: bool,
    input_suffix: String,
    output_suffix: String,
    out: File,
    depth: usize,
}

type Parsed<T> = Result<T, Error>;

/// The shape types and how their bodies are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    Simple,
    Enum,
    Members,
    Entity,
    Operation,
}

fn shape_type(name: &str) -> Option<(ShapeKind, Body)> {
    let kind = ShapeKind::parse(name)?;
    let body = match kind {
        ShapeKind::Enum | ShapeKind::IntEnum => Body::Enum,
        ShapeKind::List | ShapeKind::Map | ShapeKind::Structure | ShapeKind::Union => Body::Members,
        ShapeKind::Service | ShapeKind::Resource => Body::Entity,
        ShapeKind::Operation => Body::Operation,
        _ => Body::Simple,
    };
    Some((kind, body))
}

impl Parser<'_> {
    // --- tokens -------------------------------------------------------------------------

    fn tok(&self) -> &Token {
        // The token list always ends with `Eof`, which is never moved past.
        self.tokens.get(self.at).or_else(|| self.tokens.last()).unwrap_or(&EOF)
    }

    fn kind(&self) -> Tok {
        self.tok().kind
    }

    fn text(&self) -> &str {
        let t = self.tok();
        self.src.get(t.start as usize..t.end as usize).unwrap_or_default()
    }

    fn is_word(&self, word: &str) -> bool {
        self.kind() == Tok::Identifier && self.text() == word
    }

    fn pos(&self) -> Pos {
        self.tok().pos
    }

    fn bump(&mut self) {
        if self.kind() != Tok::Eof {
            if !matches!(self.kind(), Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment) {
                self.docs.clear();
            }
            self.at += 1;
        }
    }

    fn error_at(&self, pos: Pos, message: impl Into<String>) -> Error {
        Error::new(self.file, message).at_pos(Some(pos))
    }

    /// The current token, described as Smithy describes it: `IDENTIFIER('apply')`.
    fn found(&self) -> String {
        let t = self.tok();
        match t.kind {
            Tok::Eof => "EOF".to_owned(),
            kind => {
                let text: String = self.text().chars().take(40).collect();
                format!("{}('{}')", kind.name(), text.escape_debug())
            }
        }
    }

    /// An error at the current token: its own if it is an error token, else "expected".
    fn unexpected(&self, expected: &str) -> Error {
        if let Some((message, pos)) = self.tok().error.as_deref() {
            return self.error_at(*pos, message.clone());
        }
        self.error_at(self.pos(), format!("Expected {expected} but found {}", self.found()))
    }

    fn expect(&mut self, kind: Tok) -> Parsed<Pos> {
        if self.kind() != kind {
            return Err(self.unexpected(&kind.expected()));
        }
        let pos = self.pos();
        self.bump();
        Ok(pos)
    }

    fn identifier(&mut self) -> Parsed<(String, Pos)> {
        if self.kind() != Tok::Identifier {
            return Err(self.unexpected("IDENTIFIER"));
        }
        let (text, pos) = (self.text().to_owned(), self.pos());
        if !is_identifier(&text) {
            return Err(self.error_at(pos, format!("invalid identifier `{}`", clip(&text))));
        }
        self.bump();
        Ok((text, pos))
    }

    // --- whitespace ---------------------------------------------------------------------

    /// Spaces and tabs.
    fn sp(&mut self) {
        while self.kind() == Tok::Space {
            self.bump();
        }
    }

    /// At least one space or tab.
    fn require_sp(&mut self) -> Parsed<()> {
        if self.kind() != Tok::Space {
            return Err(self.unexpected(&Tok::Space.expected()));
        }
        self.sp();
        Ok(())
    }

    /// At least one whitespace token (a space, line break, comma or comment), then any more.
    fn require_ws(&mut self) -> Parsed<()> {
        if !matches!(self.kind(), Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment) {
            if let Some((message, pos)) = self.tok().error.as_deref() {
                return Err(self.error_at(*pos, message.clone()));
            }
            return Err(self.error_at(
                self.pos(),
                format!("Expected one or more whitespace characters, but found {}", self.found()),
            ));
        }
        self.ws();
        Ok(())
    }

    /// Any whitespace: spaces, line breaks, commas, comments. Documentation comments are
    /// kept for the shape or member that follows.
    fn ws(&mut self) {
        loop {
            match self.kind() {
                Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment => self.bump(),
                Tok::DocComment => {
                    let text = self.text();
                    let line = text.strip_prefix("///").unwrap_or(text).trim_end_matches(['\n', '\r']);
                    let line = line.strip_prefix(' ').unwrap_or(line).to_owned();
                    self.docs.push(line);
                    self.bump();
                }
                _ => return,
            }
        }
    }

    /// The end of a statement: spaces, then a line break or a comment (or the end of the
    /// file), then any whitespace.
    fn br(&mut self) -> Parsed<()> {
        self.sp();
        match self.kind() {
            Tok::Newline | Tok::Comment | Tok::DocComment | Tok::Eof => {
                self.ws();
                Ok(())
            }
            _ => {
                if let Some((message, pos)) = self.tok().error.as_deref() {
                    return Err(self.error_at(*pos, message.clone()));
                }
                Err(self.error_at(self.pos(), format!("Expected a line break, but found {}", self.found())))
            }
        }
    }

    // --- statements ---------------------------------------------------------------------

    fn idl(&mut self) -> Parsed<()> {
        self.ws();
        let mut controls = BTreeSet::new();
        while self.kind() == Tok::Dollar {
            self.control(&mut controls)?;
        }
        while self.is_word("metadata") {
            self.metadata()?;
        }
        if self.kind() == Tok::Eof {
            return Ok(());
        }
        if !self.is_word("namespace") {
            return Err(self.unexpected_statement("a namespace definition"));
        }
        self.bump();
        self.require_sp()?;
        let mut namespace = self.identifier()?.0;
        while self.kind() == Tok::Dot {
            self.bump();
            namespace.push('.');
            namespace.push_str(&self.identifier()?.0);
        }
        self.out.namespace = namespace;
        self.br()?;
        while self.is_word("use") {
            self.use_statement()?;
        }
        while self.kind() != Tok::Eof {
            self.shape_or_apply()?;
        }
        Ok(())
    }

    fn unexpected_statement(&self, what: &str) -> Error {
        if let Some((message, pos)) = self.tok().error.as_deref() {
            return self.error_at(*pos, message.clone());
        }
        self.error_at(self.pos(), format!("Expected {what} but found {}", self.found()))
    }

    /// `$name: value`
    fn control(&mut self, seen: &mut BTreeSet<String>) -> Parsed<()> {
        self.bump();
        let (key, _) = self.object_key()?;
        self.sp();
        self.expect(Tok::Colon)?;
        self.sp();
        let value = self.node()?;
        if !seen.insert(key.clone()) {
            return Err(self.error_at(value.pos, format!("Duplicate control statement `{}`", clip(&key))));
        }
        let string = |v: &Node, what: &str| match &v.value {
            NodeValue::String(s) => Ok(s.clone()),
            _ => Err(self.error_at(
                v.pos,
                format!("The ${what} control statement must have a string value, but found {}", show_node(v)),
            )),
        };
        match key.as_str() {
            "version" => {
                let v = string(&value, "version")?;
                // Reported at the token after the value, where Smithy reports it.
                self.version = super::json::version(&v).ok_or_else(|| {
                    self.error_at(self.pos(), format!("Unsupported Smithy version number: {}", clip(&v)))
                })?;
                self.version_set = true;
            }
            "operationInputSuffix" => self.input_suffix = self.suffix(string(&value, "operationInputSuffix")?, value.pos)?,
            "operationOutputSuffix" => {
                self.output_suffix = self.suffix(string(&value, "operationOutputSuffix")?, value.pos)?
            }
            // Unknown control statements are allowed (Smithy warns about them).
            _ => {}
        }
        self.br()
    }

    fn suffix(&self, s: String, pos: Pos) -> Parsed<String> {
        if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !s.is_empty() {
            Ok(s)
        } else {
            Err(self.error_at(pos, format!("an operation input or output suffix must be identifier characters, not `{}`", clip(&s))))
        }
    }

    /// `metadata key = value`
    fn metadata(&mut self) -> Parsed<()> {
        self.bump();
        self.require_sp()?;
        let (key, _) = self.object_key()?;
        self.sp();
        self.expect(Tok::Equal)?;
        self.sp();
        let value = self.node()?;
        self.out.metadata.push((key, value));
        self.br()
    }

    /// `use namespace#Name`
    fn use_statement(&mut self) -> Parsed<()> {
        self.bump();
        self.require_sp()?;
        let pos = self.pos();
        let (id, member) = self.shape_id(true)?;
        if member.is_some() {
            return Err(self.error_at(pos, "Use statements cannot use members"));
        }
        let name = crate::model::shape_name(&id).to_owned();
        if let Some(old) = self.out.uses.get(&name) {
            if *old != id {
                return Err(self.error_at(pos, format!("Cannot use name `{id}` because it conflicts with `{old}`")));
            }
        }
        // A `use` may shadow a prelude name: resolution tries `use`d names first.
        self.out.uses.insert(name, id);
        self.br()
    }

    /// A shape ID: `Name`, `a.b#Name`, with `$member` if `member` is allowed. `absolute`
    /// requires the namespace.
    fn shape_id(&mut self, absolute: bool) -> Parsed<(String, Option<String>)> {
        let (mut id, _) = self.identifier()?;
        let mut dotted = false;
        while self.kind() == Tok::Dot {
            self.bump();
            dotted = true;
            id.push('.');
            id.push_str(&self.identifier()?.0);
        }
        if self.kind() == Tok::Pound {
            self.bump();
            id.push('#');
            id.push_str(&self.identifier()?.0);
        } else if dotted || absolute {
            return Err(self.unexpected(&Tok::Pound.expected()));
        }
        let mut member = None;
        if self.kind() == Tok::Dollar {
            self.bump();
            member = Some(self.identifier()?.0);
        }
        Ok((id, member))
    }

    /// A shape ID that may not name a member.
    fn target(&mut self) -> Parsed<String> {
        let pos = self.pos();
        let (id, member) = self.shape_id(false)?;
        if member.is_some() {
            return Err(self.error_at(pos, "a member cannot be referenced here; expected a shape ID"));
        }
        Ok(id)
    }

    fn shape_or_apply(&mut self) -> Parsed<()> {
        let docs = std::mem::take(&mut self.docs);
        let traits = self.trait_statements()?;
        if self.kind() != Tok::Identifier {
            return Err(self.unexpected("IDENTIFIER"));
        }
        if self.is_word("apply") {
            if !traits.is_empty() {
                return Err(self.error_at(self.pos(), "Traits applied to apply statement"));
            }
            return self.apply();
        }
        let (word, pos) = (self.text().to_owned(), self.pos());
        let Some((kind, body)) = shape_type(&word) else {
            return Err(self.error_at(pos, format!("Unknown shape type: {}", clip(&word))));
        };
        self.bump();
        self.require_sp()?;
        let (name, name_pos) = self.identifier()?;
        let id = format!("{}#{name}", self.out.namespace);
        super::check_type_version(&word, self.version)
            .map_err(|m| self.error_at(pos, m).shape(id.clone()))?;
        let mut shape = Shape::new(&id, kind);
        if word == "set" {
            shape.traits.insert(traits::UNIQUE_ITEMS.to_owned(), Value::Object(Map::new()));
        }
        let index = self.out.shapes.len();
        self.out.shapes.push(ShapeDef { shape, pos: Some(name_pos), member_pos: Default::default(), elided: Vec::new(), for_resource: None });
        self.add_traits(Owner::Shape(index), docs, traits);
        match body {
            Body::Simple => {
                self.sp();
                self.mixins(index)?;
                self.br()?;
            }
            Body::Enum => {
                self.sp();
                self.mixins(index)?;
                self.ws();
                self.enum_members(index)?;
                self.br()?;
            }
            Body::Members => {
                self.sp();
                self.for_resource(index)?;
                self.mixins(index)?;
                self.ws();
                self.members(index)?;
                self.br()?;
            }
            Body::Entity => {
                self.sp();
                self.mixins(index)?;
                self.ws();
                if self.kind() != Tok::LBrace {
                    return Err(self.unexpected(&Tok::LBrace.expected()));
                }
                let body = self.node()?;
                self.entity(index, body)?;
                self.br()?;
            }
            Body::Operation => {
                self.sp();
                self.mixins(index)?;
                self.ws();
                self.operation(index, &name)?;
                self.br()?;
            }
        }
        Ok(())
    }

    fn def(&mut self, index: usize) -> Option<&mut ShapeDef> {
        self.out.shapes.get_mut(index)
    }

    /// `with [A, B]`, when the next word is `with`.
    fn mixins(&mut self, index: usize) -> Parsed<()> {
        if !self.is_word("with") {
            return Ok(());
        }
        if self.version == Version::V1 {
            return Err(self.error_at(
                self.pos(),
                "Mixins can only be used with Smithy version 2 or later. Attempted to use mixins with version `1.0`.",
            ));
        }
        self.bump();
        self.ws();
        self.expect(Tok::LBracket)?;
        self.ws();
        // At least one mixin: `with []` is an error at the `]`.
        let mut mixins = Vec::new();
        loop {
            mixins.push(self.target()?);
            self.ws();
            if self.kind() == Tok::RBracket {
                break;
            }
        }
        self.bump();
        if let Some(d) = self.def(index) {
            d.shape.mixins = mixins;
        }
        Ok(())
    }

    /// `for Resource`, when the next word is `for`.
    fn for_resource(&mut self, index: usize) -> Parsed<()> {
        if !self.is_word("for") {
            return Ok(());
        }
        if self.version == Version::V1 {
            let id = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
            return Err(self
                .error_at(
                    self.pos(),
                    "Structures can only be bound to resources with Smithy version 2 or later. Attempted to bind a \
                     structure to a resource with version `1.0`.",
                )
                .shape(id));
        }
        self.bump();
        self.require_sp()?;
        let resource = self.target()?;
        self.sp();
        if let Some(d) = self.def(index) {
            d.for_resource = Some(resource);
        }
        Ok(())
    }

    /// `{ members }` of a structure, union, list or map.
    fn members(&mut self, index: usize) -> Parsed<()> {
        self.expect(Tok::LBrace)?;
        self.ws();
        let kind = self.out.shapes.get(index).map(|d| d.shape.kind);
        let mut names = BTreeSet::new();
        while self.kind() != Tok::RBrace {
            // A file that ends inside the braces needs the `}`, as Smithy says.
            if self.kind() == Tok::Eof {
                return Err(self.unexpected(&Tok::RBrace.expected()));
            }
            let docs = std::mem::take(&mut self.docs);
            let traits = self.trait_statements()?;
            let (name, target, pos) = if self.kind() == Tok::Dollar {
                let dollar = self.pos();
                self.bump();
                let (name, pos) = self.identifier()?;
                if self.version == Version::V1 {
                    // Smithy reports a list's or map's elided member at the `$`, a structure's
                    // or union's at the name.
                    let at = if matches!(kind, Some(ShapeKind::List | ShapeKind::Map)) { dollar } else { pos };
                    return Err(self.error_at(at, "Members can only elide targets in IDL version 2 or later"));
                }
                (name, None, pos)
            } else {
                let (name, pos) = self.identifier()?;
                self.sp();
                self.expect(Tok::Colon)?;
                self.sp();
                (name, Some(self.target()?), pos)
            };
            let allowed: &[&str] = match kind {
                Some(ShapeKind::List) => &["member"],
                Some(ShapeKind::Map) => &["key", "value"],
                _ => &[],
            };
            if !allowed.is_empty() && !allowed.contains(&name.as_str()) {
                return Err(self.error_at(pos, format!("a {} shape cannot have a member named `{name}`", kind.map_or("shape", ShapeKind::as_str))));
            }
            if !names.insert(name.clone()) {
                let parent = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
                return Err(self.error_at(pos, format!("Duplicate member of `{parent}`: '{name}'")));
            }
            let Some(def) = self.out.shapes.get_mut(index) else { break };
            if target.is_none() {
                def.elided.push(name.clone());
            }
            def.member_pos.insert(name.clone(), pos);
            def.shape.members.push(Member { name, target: target.unwrap_or_default(), traits: Traits::new() });
            let m = def.shape.members.len() - 1;
            self.add_traits(Owner::Member(index, m), docs, traits);
            // Only structure members take a default (`= value`); elsewhere the `=` is where
            // the next member should be.
            if kind == Some(ShapeKind::Structure) {
                if let Some(value) = self.value_assignment()? {
                    self.out.trait_nodes.push((Owner::Member(index, m), traits::DEFAULT.to_owned(), Some(value), pos));
                }
            }
            self.ws();
        }
        self.bump();
        Ok(())
    }

    /// `= value` after a member, followed by a line break.
    fn value_assignment(&mut self) -> Parsed<Option<Node>> {
        self.sp();
        if self.kind() != Tok::Equal {
            return Ok(None);
        }
        if self.version == Version::V1 {
            return Err(self.error_at(self.pos(), "@default assignment is only supported in IDL version 2 or later"));
        }
        self.bump();
        self.sp();
        let value = self.node()?;
        self.sp();
        if self.kind() == Tok::Comma {
            self.bump();
        }
        self.br()?;
        Ok(Some(value))
    }

    /// `{ A, B = "b" }` of an enum or intEnum.
    fn enum_members(&mut self, index: usize) -> Parsed<()> {
        self.expect(Tok::LBrace)?;
        self.ws();
        let mut names = BTreeSet::new();
        while self.kind() != Tok::RBrace {
            if self.kind() == Tok::Eof {
                return Err(self.unexpected(&Tok::RBrace.expected()));
            }
            let docs = std::mem::take(&mut self.docs);
            let traits = self.trait_statements()?;
            let (name, pos) = self.identifier()?;
            if !names.insert(name.clone()) {
                let parent = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
                return Err(self.error_at(pos, format!("Duplicate member of `{parent}`: '{name}'")));
            }
            let Some(def) = self.out.shapes.get_mut(index) else { break };
            def.member_pos.insert(name.clone(), pos);
            def.shape.members.push(Member { name: name.clone(), target: "smithy.api#Unit".to_owned(), traits: Traits::new() });
            let m = def.shape.members.len() - 1;
            self.add_traits(Owner::Member(index, m), docs, traits);
            // An enum member without a value takes its name (in assembly); an intEnum member
            // may take its value from an `@enumValue` trait.
            if let Some(value) = self.value_assignment()? {
                self.out.trait_nodes.push((Owner::Member(index, m), traits::ENUM_VALUE.to_owned(), Some(value), pos));
            }
            self.ws();
        }
        self.bump();
        Ok(())
    }

    /// `{ input: A, output := { ... }, errors: [B] }`
    fn operation(&mut self, index: usize, name: &str) -> Parsed<()> {
        self.expect(Tok::LBrace)?;
        self.ws();
        let (mut input, mut output, mut errors) = (false, false, false);
        while self.kind() != Tok::RBrace {
            if self.kind() == Tok::Eof {
                return Err(self.unexpected(&Tok::RBrace.expected()));
            }
            let (key, pos) = self.identifier()?;
            let seen = match key.as_str() {
                "input" => &mut input,
                "output" => &mut output,
                "errors" => &mut errors,
                _ => {
                    let id = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
                    return Err(self.error_at(pos, format!("Unknown property {} for {id}", clip(&key))));
                }
            };
            if std::mem::replace(seen, true) {
                let id = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
                return Err(self.error_at(pos, format!("Duplicate operation {key} property for `{id}`")));
            }
            self.ws();
            if key == "errors" {
                self.expect(Tok::Colon)?;
                self.ws();
                self.expect(Tok::LBracket)?;
                self.ws();
                let mut list = Vec::new();
                while self.kind() != Tok::RBracket {
                    list.push(self.target()?);
                    self.ws();
                }
                self.bump();
                if let Some(d) = self.def(index) {
                    d.shape.errors = list;
                }
            } else if self.kind() == Tok::Walrus {
                self.bump();
                if self.version == Version::V1 {
                    // Where Smithy reports it: the token after `:=`.
                    let id = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
                    return Err(self
                        .error_at(
                            self.pos(),
                            "Inlined operation inputs and outputs can only be used with Smithy version 2 or later. \
                             Attempted to use inlined IO with version `1.0`.",
                        )
                        .shape(id));
                }
                self.ws();
                let suffix = if key == "input" { self.input_suffix.clone() } else { self.output_suffix.clone() };
                let trait_id = if key == "input" { traits::INPUT } else { traits::OUTPUT };
                let id = self.inline_structure(&format!("{name}{suffix}"), trait_id, pos)?;
                if let Some(d) = self.def(index) {
                    if key == "input" {
                        d.shape.input = Some(id);
                    } else {
                        d.shape.output = Some(id);
                    }
                }
            } else {
                self.expect(Tok::Colon)?;
                self.ws();
                let target = self.target()?;
                if let Some(d) = self.def(index) {
                    if key == "input" {
                        d.shape.input = Some(target);
                    } else {
                        d.shape.output = Some(target);
                    }
                }
            }
            // Smithy requires whitespace after each property, even before the `}`.
            self.require_ws()?;
        }
        self.bump();
        Ok(())
    }

    /// The structure after `input :=` or `output :=`; returns its shape ID as written.
    fn inline_structure(&mut self, name: &str, io_trait: &str, pos: Pos) -> Parsed<String> {
        let docs = std::mem::take(&mut self.docs);
        let traits = self.trait_statements()?;
        let id = format!("{}#{name}", self.out.namespace);
        let mut shape = Shape::new(&id, ShapeKind::Structure);
        shape.traits.insert(io_trait.to_owned(), Value::Object(Map::new()));
        let index = self.out.shapes.len();
        self.out.shapes.push(ShapeDef { shape, pos: Some(pos), member_pos: Default::default(), elided: Vec::new(), for_resource: None });
        self.add_traits(Owner::Shape(index), docs, traits);
        self.for_resource(index)?;
        self.mixins(index)?;
        self.ws();
        self.members(index)?;
        Ok(name.to_owned())
    }

    /// The properties of a service or resource, from its node object.
    fn entity(&mut self, index: usize, body: Node) -> Parsed<()> {
        let NodeValue::Object(props) = body.value else { return Ok(()) };
        let Some(kind) = self.out.shapes.get(index).map(|d| d.shape.kind) else { return Ok(()) };
        let id = self.out.shapes.get(index).map(|d| d.shape.id.clone()).unwrap_or_default();
        let mut shape = self.out.shapes.get(index).map(|d| d.shape.clone()).unwrap_or_else(|| Shape::new(&id, kind));
        let mut seen = BTreeSet::new();
        for (key, value) in props {
            if !seen.insert(key.clone()) {
                return Err(self.error_at(value.pos, format!("Duplicate property `{}` for {id}", clip(&key))));
            }
            let service = kind == ShapeKind::Service;
            match key.as_str() {
                "version" if service => match &value.value {
                    NodeValue::String(v) => shape.version = Some(v.clone()),
                    _ => return Err(self.error_at(value.pos, "the service `version` must be a string")),
                },
                "operations" => shape.operations = self.id_list(&value)?,
                "resources" => shape.resources = self.id_list(&value)?,
                "errors" if service => shape.errors = self.id_list(&value)?,
                "rename" if service => {
                    let NodeValue::Object(entries) = &value.value else {
                        return Err(self.error_at(value.pos, "`rename` must be an object of shape IDs to names"));
                    };
                    for (from, to) in entries {
                        let NodeValue::String(to) = &to.value else {
                            return Err(self.error_at(to.pos, "a `rename` value must be a string"));
                        };
                        shape.rename.insert(from.clone(), to.clone());
                    }
                }
                "identifiers" | "properties" if !service => {
                    let NodeValue::Object(entries) = &value.value else {
                        return Err(self.error_at(value.pos, format!("`{key}` must be an object of names to shape IDs")));
                    };
                    let mut list = Vec::new();
                    for (name, target) in entries {
                        list.push((name.clone(), self.id(target)?));
                    }
                    if key == "identifiers" {
                        shape.identifiers = list;
                    } else {
                        if self.version == Version::V1 {
                            return Err(self.error_at(value.pos, "Resource properties can only be used with Smithy version 2 or later."));
                        }
                        shape.properties = list;
                    }
                }
                "collectionOperations" if !service => shape.collection_operations = self.id_list(&value)?,
                k if !service && LIFECYCLE.contains(&k) => {
                    shape.lifecycle.insert(key.clone(), self.id(&value)?);
                }
                _ => return Err(self.error_at(value.pos, format!("Unknown property {} for {id}", clip(&key)))),
            }
        }
        if let Some(d) = self.def(index) {
            d.shape = shape;
        }
        Ok(())
    }

    fn id(&self, node: &Node) -> Parsed<String> {
        match &node.value {
            NodeValue::ShapeId(s) | NodeValue::String(s) if !s.contains('$') => Ok(s.clone()),
            _ => Err(self.error_at(node.pos, format!("expected a shape ID, found {}", show_node(node)))),
        }
    }

    fn id_list(&self, node: &Node) -> Parsed<Vec<String>> {
        match &node.value {
            NodeValue::Array(items) => items.iter().map(|n| self.id(n)).collect(),
            _ => Err(self.error_at(node.pos, format!("expected a list of shape IDs, found {}", show_node(node)))),
        }
    }

    /// `apply Target @trait` or `apply Target { @a @b }`.
    fn apply(&mut self) -> Parsed<()> {
        let pos = self.pos();
        self.bump();
        self.require_sp()?;
        let (target, member) = self.shape_id(false)?;
        self.require_ws()?;
        let traits = match self.kind() {
            Tok::At => vec![self.trait_statement()?],
            Tok::LBrace => {
                self.bump();
                self.ws();
                let traits = self.trait_statements()?;
                self.expect(Tok::RBrace)?;
                traits
            }
            _ => return Err(self.unexpected("one of AT('@'), LBRACE('{');")),
        };
        let index = self.out.applies.len();
        self.out.applies.push(Apply { target, member, traits: Traits::new(), pos: Some(pos) });
        for (id, value, pos) in traits {
            self.out.trait_nodes.push((Owner::Apply(index), id, value, pos));
        }
        self.br()
    }

    // --- traits -------------------------------------------------------------------------

    fn trait_statements(&mut self) -> Parsed<Vec<(String, Option<Node>, Pos)>> {
        let mut out = Vec::new();
        while self.kind() == Tok::At {
            out.push(self.trait_statement()?);
            self.ws();
        }
        Ok(out)
    }

    /// `@id`, `@id(value)` or `@id(key: value, ...)`.
    fn trait_statement(&mut self) -> Parsed<(String, Option<Node>, Pos)> {
        let pos = self.expect(Tok::At)?;
        let id = self.target()?;
        if self.kind() != Tok::LParen {
            return Ok((id, None, pos));
        }
        let open = self.pos();
        self.bump();
        self.ws();
        if self.kind() == Tok::RParen {
            self.bump();
            return Ok((id, None, pos));
        }
        let structured = matches!(self.kind(), Tok::Identifier | Tok::String) && {
            let mut i = self.at + 1;
            while self.tokens.get(i).is_some_and(|t| matches!(t.kind, Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment)) {
                i += 1;
            }
            self.tokens.get(i).is_some_and(|t| t.kind == Tok::Colon)
        };
        let value = if structured {
            let mut entries: Vec<(String, Node)> = Vec::new();
            let mut keys = BTreeSet::new();
            while self.kind() != Tok::RParen {
                if !matches!(self.kind(), Tok::Identifier | Tok::String) {
                    return Err(self.unexpected("one of IDENTIFIER, STRING('\"');"));
                }
                let (key, key_pos, node) = self.key_value()?;
                if !keys.insert(key.clone()) {
                    return Err(self.error_at(key_pos, format!("Duplicate member of trait: '{}'", clip(&key))));
                }
                entries.push((key, node));
                self.ws();
            }
            Node { value: NodeValue::Object(entries), pos: open }
        } else {
            let value = self.node()?;
            self.ws();
            if self.kind() != Tok::RParen {
                // A bare name could only have been the first key of a structure.
                let key = match &value.value {
                    NodeValue::ShapeId(s) => !s.contains(['.', '#', '$']),
                    NodeValue::Bool(_) | NodeValue::Null => true,
                    _ => false,
                };
                return Err(self.unexpected(&if key { Tok::Colon } else { Tok::RParen }.expected()));
            }
            value
        };
        self.bump();
        Ok((id, Some(value), pos))
    }

    /// Records the traits of a shape, member or apply statement, with the documentation
    /// comment (if any) as `@documentation`.
    fn add_traits(&mut self, owner: Owner, docs: Vec<String>, traits: Vec<(String, Option<Node>, Pos)>) {
        if !docs.is_empty() {
            let pos = traits.first().map(|t| t.2).unwrap_or(Pos { line: 0, col: 0 });
            let value = Node { value: NodeValue::String(docs.join("\n")), pos };
            self.out.trait_nodes.push((owner, "smithy.api#documentation".to_owned(), Some(value), pos));
        }
        for (id, value, pos) in traits {
            self.out.trait_nodes.push((owner, id, value, pos));
        }
    }

    // --- node values --------------------------------------------------------------------

    /// An object key: an identifier or a quoted string.
    fn object_key(&mut self) -> Parsed<(String, Pos)> {
        let pos = self.pos();
        match self.kind() {
            Tok::Identifier => {
                let text = self.text().to_owned();
                self.bump();
                Ok((text, pos))
            }
            Tok::String => {
                let s = self.string_value()?;
                Ok((s, pos))
            }
            _ => Err(self.unexpected("IDENTIFIER")),
        }
    }

    /// `key: value`, with the key's position.
    fn key_value(&mut self) -> Parsed<(String, Pos, Node)> {
        let (key, pos) = self.object_key()?;
        self.ws();
        self.expect(Tok::Colon)?;
        self.ws();
        Ok((key, pos, self.node()?))
    }

    fn string_value(&mut self) -> Parsed<String> {
        let (pos, text) = (self.pos(), self.text());
        if let Some((message, at)) = self.tok().error.as_deref() {
            return Err(self.error_at(*at, message.clone()));
        }
        let value = if self.kind() == Tok::TextBlock {
            lexer::text_block(text.get(3..text.len().saturating_sub(3)).unwrap_or_default())
        } else {
            lexer::quoted_string(text.get(1..text.len().saturating_sub(1)).unwrap_or_default())
        };
        let value = value.map_err(|m| self.error_at(pos, m))?;
        self.bump();
        Ok(value)
    }

    fn node(&mut self) -> Parsed<Node> {
        let pos = self.pos();
        if self.depth >= MAX_DEPTH {
            return Err(self.error_at(pos, format!("values nest more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let value = self.node_value();
        self.depth -= 1;
        Ok(Node { value: value?, pos })
    }

    fn node_value(&mut self) -> Parsed<NodeValue> {
        match self.kind() {
            Tok::LBrace => {
                self.bump();
                self.ws();
                let mut entries: Vec<(String, Node)> = Vec::new();
                let mut keys = BTreeSet::new();
                while self.kind() != Tok::RBrace {
                    if !matches!(self.kind(), Tok::Identifier | Tok::String) {
                        return Err(self.unexpected("one of RBRACE('}'), STRING('\"'), IDENTIFIER;"));
                    }
                    let (key, key_pos, node) = self.key_value()?;
                    if !keys.insert(key.clone()) {
                        return Err(self.error_at(key_pos, format!("Duplicate member: '{}'", clip(&key))));
                    }
                    entries.push((key, node));
                    self.ws();
                }
                self.bump();
                Ok(NodeValue::Object(entries))
            }
            Tok::LBracket => {
                self.bump();
                self.ws();
                let mut items = Vec::new();
                while self.kind() != Tok::RBracket {
                    items.push(self.node()?);
                    self.ws();
                }
                self.bump();
                Ok(NodeValue::Array(items))
            }
            Tok::String | Tok::TextBlock => Ok(NodeValue::String(self.string_value()?)),
            Tok::Number => {
                let (pos, text) = (self.pos(), self.text().to_owned());
                let n = number(&text).ok_or_else(|| self.error_at(pos, format!("number `{}` is out of range", clip(&text))))?;
                self.bump();
                Ok(NodeValue::Number(n))
            }
            Tok::Identifier => match self.text() {
                "true" => {
                    self.bump();
                    Ok(NodeValue::Bool(true))
                }
                "false" => {
                    self.bump();
                    Ok(NodeValue::Bool(false))
                }
                "null" => {
                    self.bump();
                    Ok(NodeValue::Null)
                }
                _ => {
                    let (id, member) = self.shape_id(false)?;
                    Ok(NodeValue::ShapeId(match member {
                        Some(m) => format!("{id}${m}"),
                        None => id,
                    }))
                }
            },
            _ => Err(self.unexpected(
                "one of LBRACE('{'), LBRACKET('['), TEXT_BLOCK('\"\"\"'), STRING('\"'), NUMBER, IDENTIFIER;",
            )),
        }
    }
}

static EOF: Token = Token { kind: Tok::Eof, start: 0, end: 0, pos: Pos { line: 1, col: 1 }, error: None };

/// A number: an integer when written as one and it fits 64 bits, else a double.
fn number(text: &str) -> Option<Number> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(Number::from(u));
        }
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

fn show_node(node: &Node) -> String {
    match &node.value {
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Number(n) => n.to_string(),
        NodeValue::String(s) => format!("\"{}\"", clip(s)),
        NodeValue::ShapeId(s) => clip(s),
        NodeValue::Array(_) => "a list".into(),
        NodeValue::Object(_) => "an object".into(),
    }
}

impl File {
    /// The shapes this file defines: absolute ID and type.
    pub fn defined(&self) -> impl Iterator<Item = (String, ShapeKind)> + '_ {
        self.shapes.iter().map(|d| (d.shape.id.clone(), d.shape.kind))
    }

    /// Resolves every name against the shapes `defined` in all the model's files, turns trait
    /// values into JSON values (bare shape IDs become absolute), and gives the fragment.
    pub fn resolve(self, defined: &BTreeMap<String, ShapeKind>) -> Result<Fragment, Error> {
        let File { file, version, namespace, uses, mut shapes, mut applies, metadata, trait_nodes } = self;
        let r = Resolver { file: &file, namespace: &namespace, uses: &uses, defined };
        // A shape of the file may not take a name that a `use` statement imports.
        for def in &shapes {
            let name = def.shape.name();
            if let Some(used) = uses.get(name) {
                if *used != def.shape.id {
                    return Err(Error::new(&file, format!("Shape name `{name}` conflicts with imported shape `{used}`"))
                        .at_pos(def.pos)
                        .shape(def.shape.id.clone()));
                }
            }
        }
        for def in &mut shapes {
            let s = &mut def.shape;
            for m in &mut s.members {
                if !m.target.is_empty() {
                    m.target = r.name(&m.target);
                }
            }
            for list in [&mut s.mixins, &mut s.errors, &mut s.operations, &mut s.resources, &mut s.collection_operations] {
                for id in list.iter_mut() {
                    *id = r.name(id);
                }
            }
            for id in s.input.iter_mut().chain(s.output.iter_mut()).chain(s.lifecycle.values_mut()) {
                *id = r.name(id);
            }
            for (_, id) in s.identifiers.iter_mut().chain(s.properties.iter_mut()) {
                *id = r.name(id);
            }
            if let Some(res) = &mut def.for_resource {
                *res = r.name(res);
            }
        }
        for apply in &mut applies {
            apply.target = r.name(&apply.target);
        }
        for (owner, id, node, pos) in trait_nodes {
            let id = r.name(&id);
            let value = match node {
                Some(node) => r.value(node)?,
                None => annotation_value(defined.get(&id).copied().or_else(|| id.strip_prefix("smithy.api#").and_then(crate::prelude::kind))),
            };
            let traits = match owner {
                Owner::Shape(i) => shapes.get_mut(i).map(|d| &mut d.shape.traits),
                Owner::Member(i, m) => shapes.get_mut(i).and_then(|d| d.shape.members.get_mut(m)).map(|m| &mut m.traits),
                Owner::Apply(i) => applies.get_mut(i).map(|a| &mut a.traits),
            };
            let Some(traits) = traits else { continue };
            // The same trait twice: lists concatenate, equal values are one, else a conflict.
            if !super::merge_trait(traits, id.clone(), value) {
                return Err(Error::new(&file, format!("the trait `{id}` is applied twice with different values"))
                    .at_pos(Some(pos)));
            }
        }
        let mut meta = Vec::new();
        for (key, node) in metadata {
            let pos = node.pos;
            meta.push((key, r.value(node)?, Some(pos)));
        }
        Ok(Fragment { file, version, shapes, applies, metadata: meta })
    }
}

/// The value of a trait written without one (`@sensitive`, `@tags`): an empty list for list
/// traits, an empty object otherwise.
fn annotation_value(kind: Option<ShapeKind>) -> Value {
    match kind {
        Some(ShapeKind::List) => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    }
}

struct Resolver<'a> {
    file: &'a str,
    namespace: &'a str,
    uses: &'a BTreeMap<String, String>,
    defined: &'a BTreeMap<String, ShapeKind>,
}

impl Resolver<'_> {
    /// A shape ID as written to an absolute one: `use`d names, then the file's namespace,
    /// then the prelude; a name found nowhere stays in the file's namespace (and validation
    /// reports it if something needs it).
    fn name(&self, written: &str) -> String {
        self.try_name(written).unwrap_or_else(|| format!("{}#{written}", self.namespace))
    }

    fn try_name(&self, written: &str) -> Option<String> {
        if written.contains('#') {
            return Some(written.to_owned());
        }
        let (name, member) = match written.split_once('$') {
            Some((n, m)) => (n, Some(m)),
            None => (written, None),
        };
        let local = format!("{}#{name}", self.namespace);
        let id = if let Some(used) = self.uses.get(name) {
            used.clone()
        } else if self.defined.contains_key(&local) {
            local
        } else if crate::prelude::kind(name).is_some() {
            format!("smithy.api#{name}")
        } else {
            return None;
        };
        Some(match member {
            Some(m) => format!("{id}${m}"),
            None => id,
        })
    }

    /// A node as a JSON value; bare shape IDs must resolve.
    fn value(&self, node: Node) -> Result<Value, Error> {
        Ok(match node.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(b),
            NodeValue::Number(n) => Value::Number(n),
            NodeValue::String(s) => Value::String(s),
            NodeValue::ShapeId(s) => match self.try_name(&s) {
                Some(id) => Value::String(id),
                None => {
                    return Err(Error::new(
                        self.file,
                        format!(
                            "Syntactic shape ID `{}` does not resolve to a valid shape ID: `{}#{}`; quote it if it is a string",
                            clip(&s),
                            self.namespace,
                            clip(&s)
                        ),
                    )
                    .at_pos(Some(node.pos)))
                }
            },
            NodeValue::Array(items) => Value::Array(items.into_iter().map(|n| self.value(n)).collect::<Result<_, _>>()?),
            NodeValue::Object(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k, self.value(v)?);
                }
                Value::Object(map)
            }
        })
    }
}
