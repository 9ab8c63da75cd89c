//! Lowering a service's endpoint rules: the `smithy.rules#endpointRuleSet` compiled (which is
//! also its validation: a ruleset the runtime refuses never reaches a generated crate), its
//! parameters and the endpoint `Config` fields (built-ins and `smithy.rules#clientContextParams`),
//! and per operation the bindings of params to its input (`@staticContextParams`,
//! `@contextParam`, `@operationContextParams`, whose JMESPath paths are compiled here into
//! [`ir::ContextPath`]s, typed against the input).

use serde_json::{Map, Value};
use smithy_runtime::endpoint::{Parameter, Partitions, RuleSet};

use crate::docs::html_to_markdown;
use crate::ir::{self, Access, Leaf, ListOp, ListStart, ParamDefault, ParamType, RustType};
use crate::model::{traits, Model, Shape};
use crate::{naming, Error};

/// The partition table used when none is given and the rules do not call `aws.partition`, so
/// that nothing ever looks a region up in it: the smallest table the runtime loads (one `aws`
/// partition matching no region).
const NO_PARTITIONS: &str = r#"{"version":"1.1","partitions":[{"id":"aws","regionRegex":"^$","regions":{},"outputs":{"name":"aws","dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws","supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}}]}"#;

/// The service's endpoint rules, or `None` when it has no `smithy.rules#endpointRuleSet`.
pub fn endpoints(
    model: &Model,
    service: &Shape,
    partitions: Option<&str>,
) -> Result<Option<ir::Endpoints>, Error> {
    let Some(rules) = service.traits.get(traits::ENDPOINT_RULE_SET) else {
        return Ok(None);
    };
    let error = |message: String| Error::new(&model.file, message).shape(&service.id);
    let partitions_json = match partitions {
        Some(text) => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| error(format!("the partition table given is not JSON: {e}")))?;
            serde_json::to_string(&value).map_err(|e| error(format!("the partition table given: {e}")))?
        }
        None if calls_partition(rules) => {
            return Err(error(
                "the endpoint rules call `aws.partition`, but no partition table was given (Settings::partitions: the text of partitions.json)"
                    .to_owned(),
            ))
        }
        None => NO_PARTITIONS.to_owned(),
    };
    let table = Partitions::from_json(&partitions_json)
        .map_err(|e| error(format!("the partition table: {e}")))?;
    let compiled = RuleSet::compile(rules, table)
        .map_err(|e| error(format!("endpoint rules refused: {e}")))?;
    let rules_json = serde_json::to_string(&strip_documentation(rules))
        .map_err(|e| error(format!("the endpoint rules: {e}")))?;

    let client_params = client_context_params(model, service)?;
    let mut config: Vec<ir::ConfigField> = Vec::new();
    let mut params = Vec::new();
    for p in compiled.parameters() {
        let client = client_params.iter().find(|c| c.0 == p.name);
        if let Some((name, kind, _)) = client {
            if *kind != p.kind {
                return Err(error(format!(
                    "client context param `{name}` is a {}, but the ruleset parameter is a {}",
                    type_name(*kind),
                    type_name(p.kind)
                )));
            }
        }
        let config_field = match (&p.built_in, client) {
            (Some(built_in), _) => Some(
                config_field(
                    &mut config,
                    naming::endpoint_config_field(built_in),
                    p.kind,
                    Some(built_in),
                    client.map(|c| c.0.as_str()),
                    p.documentation.as_deref(),
                )
                .map_err(error)?,
            ),
            (None, Some((name, kind, doc))) => Some(
                config_field(
                    &mut config,
                    naming::endpoint_config_field(name),
                    *kind,
                    None,
                    Some(name),
                    doc.as_deref(),
                )
                .map_err(error)?,
            ),
            (None, None) => None,
        };
        params.push(param(p, config_field));
    }
    // Client context params the ruleset has no parameter for still get a field.
    for (name, kind, doc) in &client_params {
        if !params.iter().any(|p| p.name == *name) {
            config_field(
                &mut config,
                naming::endpoint_config_field(name),
                *kind,
                None,
                Some(name),
                doc.as_deref(),
            )
            .map_err(error)?;
        }
    }
    config.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    Ok(Some(ir::Endpoints {
        rules_json,
        partitions_json,
        params,
        config,
    }))
}

fn param(p: &Parameter, config_field: Option<String>) -> ir::EndpointParam {
    ir::EndpointParam {
        name: p.name.clone(),
        rust_name: naming::endpoint_param_field(&p.name),
        kind: p.kind,
        required: p.required,
        default: p.default.clone(),
        built_in: p.built_in.clone(),
        config_field,
        doc: p
            .documentation
            .as_deref()
            .map(html_to_markdown)
            .filter(|d| !d.trim().is_empty()),
        deprecated: p.deprecated.clone(),
    }
}

/// The `Config` field `rust_name`, added unless there (with the same type): its name.
fn config_field(
    config: &mut Vec<ir::ConfigField>,
    rust_name: String,
    kind: ParamType,
    built_in: Option<&String>,
    client_param: Option<&str>,
    doc: Option<&str>,
) -> Result<String, String> {
    if let Some(existing) = config.iter().find(|f| f.rust_name == rust_name) {
        if existing.kind != kind {
            return Err(format!(
                "two endpoint config values are named `{rust_name}`, a {} and a {}",
                type_name(existing.kind),
                type_name(kind)
            ));
        }
        return Ok(rust_name);
    }
    config.push(ir::ConfigField {
        rust_name: rust_name.clone(),
        kind,
        built_in: built_in.cloned(),
        client_param: client_param.map(str::to_owned),
        doc: doc.map(html_to_markdown).filter(|d| !d.trim().is_empty()),
    });
    Ok(rust_name)
}

fn type_name(kind: ParamType) -> &'static str {
    match kind {
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::StringArray => "stringArray",
    }
}

/// The service's `smithy.rules#clientContextParams`: name, type, documentation.
fn client_context_params(
    model: &Model,
    service: &Shape,
) -> Result<Vec<(String, ParamType, Option<String>)>, Error> {
    let Some(value) = service.traits.get(traits::CLIENT_CONTEXT_PARAMS) else {
        return Ok(Vec::new());
    };
    let error = |message: String| Error::new(&model.file, message).shape(&service.id);
    let Some(map) = value.as_object() else {
        return Err(error(
            "`smithy.rules#clientContextParams` must be an object".to_owned(),
        ));
    };
    let mut out = Vec::new();
    for (name, def) in map {
        let kind = match def.get("type").and_then(Value::as_str) {
            Some("string") => ParamType::String,
            Some("boolean") => ParamType::Boolean,
            Some("stringArray") => ParamType::StringArray,
            other => {
                return Err(error(format!(
                    "client context param `{name}`: type {} is not `string`, `boolean` or `stringArray`",
                    other.map_or_else(|| "missing".to_owned(), |t| format!("`{t}`"))
                )))
            }
        };
        let doc = def
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned);
        out.push((name.clone(), kind, doc));
    }
    Ok(out)
}

/// Whether the rules call `aws.partition` anywhere.
fn calls_partition(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("fn").and_then(Value::as_str) == Some("aws.partition")
                || map.values().any(calls_partition)
        }
        Value::Array(items) => items.iter().any(calls_partition),
        _ => false,
    }
}

/// The ruleset without the `documentation` of its rules and parameters, which the generated
/// crate does not need (its params are documented in Rust).
fn strip_documentation(rules: &Value) -> Value {
    fn strip_rules(rules: &Value) -> Value {
        let Value::Array(list) = rules else {
            return rules.clone();
        };
        Value::Array(
            list.iter()
                .map(|rule| match rule {
                    Value::Object(map) => {
                        let mut out = Map::new();
                        for (k, v) in map {
                            match k.as_str() {
                                "documentation" => {}
                                "rules" => {
                                    out.insert(k.clone(), strip_rules(v));
                                }
                                _ => {
                                    out.insert(k.clone(), v.clone());
                                }
                            }
                        }
                        Value::Object(out)
                    }
                    other => other.clone(),
                })
                .collect(),
        )
    }
    let Value::Object(map) = rules else {
        return rules.clone();
    };
    let mut out = Map::new();
    for (k, v) in map {
        let v = match (k.as_str(), v) {
            ("rules", v) => strip_rules(v),
            ("parameters", Value::Object(params)) => Value::Object(
                params
                    .iter()
                    .map(|(name, p)| {
                        let p = match p {
                            Value::Object(fields) => Value::Object(
                                fields
                                    .iter()
                                    .filter(|(k, _)| *k != "documentation")
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect(),
                            ),
                            other => other.clone(),
                        };
                        (name.clone(), p)
                    })
                    .collect(),
            ),
            (_, v) => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}

/// What the bindings are typed against: the crate's generated types, sorted by Rust name.
pub struct Types<'a>(pub &'a [ir::TypeDef]);

impl Types<'_> {
    fn def(&self, rust_name: &str) -> Option<&ir::TypeDef> {
        self.0
            .binary_search_by(|t| t.rust_name.as_str().cmp(rust_name))
            .ok()
            .and_then(|i| self.0.get(i))
    }

    /// The step into member `member` of a value of type `ty`, and the member's type.
    fn member(&self, ty: &RustType, member: &str) -> Result<(Access, RustType), String> {
        let RustType::Named(r) = ty.base() else {
            return Err(format!(
                "`{member}` is taken from a {}, not a structure",
                describe(ty)
            ));
        };
        match self.def(&r.rust_name).map(|d| &d.kind) {
            Some(ir::TypeKind::Struct(s)) => {
                let f = s
                    .fields
                    .iter()
                    .find(|f| f.member_name == member)
                    .ok_or_else(|| format!("`{}` has no member `{member}`", r.shape_id))?;
                Ok((
                    Access::Field {
                        rust_name: f.rust_name.clone(),
                        optional: f.optional,
                        boxed: f.boxed,
                    },
                    f.ty.clone(),
                ))
            }
            Some(ir::TypeKind::Union(u)) => {
                let v = u
                    .variants
                    .iter()
                    .find(|v| v.member_name == member)
                    .ok_or_else(|| format!("`{}` has no member `{member}`", r.shape_id))?;
                let ty = v
                    .ty
                    .clone()
                    .ok_or_else(|| format!("`{}` member `{member}` holds no value", r.shape_id))?;
                Ok((
                    Access::Variant {
                        union: r.rust_name.clone(),
                        variant: v.rust_name.clone(),
                        boxed: v.boxed,
                    },
                    ty,
                ))
            }
            _ => Err(format!(
                "`{member}` is taken from {}, not a structure",
                r.shape_id
            )),
        }
    }
}

fn describe(ty: &RustType) -> &'static str {
    match ty.base() {
        RustType::List { .. } => "list",
        RustType::Map { .. } => "map",
        RustType::Bool => "boolean",
        RustType::String => "string",
        RustType::Named(r) if r.kind == ir::NamedKind::Enum => "enum",
        RustType::Named(_) => "structure",
        _ => "scalar",
    }
}

fn leaf(ty: &RustType) -> Option<Leaf> {
    match ty.base() {
        RustType::String => Some(Leaf::String),
        RustType::Bool => Some(Leaf::Bool),
        RustType::Named(r) if r.kind == ir::NamedKind::Enum => Some(Leaf::Enum),
        _ => None,
    }
}

/// The endpoint bindings of operation `op`, whose input (if any) is `input`.
pub fn bindings(
    model: &Model,
    endpoints: &ir::Endpoints,
    op: &Shape,
    input: Option<&ir::TypeRef>,
    types: &Types<'_>,
) -> Result<Vec<ir::EndpointBinding>, Error> {
    let error = |param: &str, message: String| {
        Error::new(&model.file, format!("endpoint param `{param}`: {message}")).shape(&op.id)
    };
    let find = |name: &str| endpoints.params.iter().find(|p| p.name == name);
    let mut out = Vec::new();
    let bind = |p: &ir::EndpointParam, value| ir::EndpointBinding {
        param: p.rust_name.clone(),
        param_optional: p.default.is_none(),
        value,
    };
    if let Some(value) = op.traits.get(traits::STATIC_CONTEXT_PARAMS) {
        let map = value
            .as_object()
            .ok_or_else(|| error("-", "`@staticContextParams` must be an object".to_owned()))?;
        for (name, def) in map {
            let p = find(name).ok_or_else(|| {
                error(
                    name,
                    "`@staticContextParams` names no parameter of the endpoint rules".to_owned(),
                )
            })?;
            let value = def.get("value").ok_or_else(|| {
                error(
                    name,
                    "`@staticContextParams` entry has no `value`".to_owned(),
                )
            })?;
            let value = match (p.kind, value) {
                (ParamType::String, Value::String(s)) => ParamDefault::String(s.clone()),
                (ParamType::Boolean, Value::Bool(b)) => ParamDefault::Boolean(*b),
                (ParamType::StringArray, Value::Array(items)) => ParamDefault::StringArray(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or_else(|| {
                            error(
                                name,
                                "a `stringArray` value must hold strings only".to_owned(),
                            )
                        })?,
                ),
                (kind, v) => {
                    return Err(error(
                        name,
                        format!(
                            "`@staticContextParams` value {v} is not a {}",
                            type_name(kind)
                        ),
                    ))
                }
            };
            out.push(bind(p, ir::BindingValue::Static(value)));
        }
    }
    let input_ty = input.map(|t| RustType::Named(t.clone()));
    if let (Some(input_id), Some(input_ty)) = (&op.input, &input_ty) {
        if let Some(shape) = model.shape(input_id) {
            for m in &shape.members {
                let Some(name) = m
                    .traits
                    .get(traits::CONTEXT_PARAM)
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                let p = find(name).ok_or_else(|| error(name, format!("`@contextParam` on member `{}` names no parameter of the endpoint rules", m.name)))?;
                let (access, ty) = types
                    .member(input_ty, &m.name)
                    .map_err(|e| error(name, e))?;
                let path = finish(
                    Walk::Scalar {
                        head: vec![access],
                        ty,
                    },
                    p.kind,
                )
                .map_err(|e| error(name, format!("`@contextParam` member `{}`: {e}", m.name)))?;
                out.push(bind(p, ir::BindingValue::Path(path)));
            }
        }
    }
    if let Some(value) = op.traits.get(traits::OPERATION_CONTEXT_PARAMS) {
        let map = value.as_object().ok_or_else(|| {
            error(
                "-",
                "`@operationContextParams` must be an object".to_owned(),
            )
        })?;
        for (name, def) in map {
            let p = find(name).ok_or_else(|| {
                error(
                    name,
                    "`@operationContextParams` names no parameter of the endpoint rules".to_owned(),
                )
            })?;
            let path = def.get("path").and_then(Value::as_str).ok_or_else(|| {
                error(
                    name,
                    "`@operationContextParams` entry has no string `path`".to_owned(),
                )
            })?;
            let input_ty = input_ty
                .as_ref()
                .ok_or_else(|| error(name, format!("path `{path}`: the operation has no input")))?;
            let compiled = compile_path(path, input_ty, p.kind, types)
                .map_err(|e| error(name, format!("path `{path}`: {e}")))?;
            out.push(bind(p, ir::BindingValue::Path(compiled)));
        }
    }
    Ok(out)
}

/// Where a path walk is: at one value, or projecting a list.
enum Walk {
    Scalar {
        head: Vec<Access>,
        ty: RustType,
    },
    List {
        head: Vec<Access>,
        start: ListStart,
        ops: Vec<ListOp>,
        item: Item,
    },
}

/// The type of a projected list's items.
enum Item {
    Ty(RustType),
    /// Already `&str`s (from a multi-select).
    Str,
}

/// The walk's end as a path giving a param of type `kind`.
fn finish(walk: Walk, kind: ParamType) -> Result<ir::ContextPath, String> {
    match (walk, kind) {
        (Walk::Scalar { head, ty }, ParamType::String) => match leaf(&ty) {
            Some(l @ (Leaf::String | Leaf::Enum)) => Ok(ir::ContextPath {
                head,
                list: None,
                leaf: l,
            }),
            _ => Err(format!("gives a {}, not a string", describe(&ty))),
        },
        (Walk::Scalar { head, ty }, ParamType::Boolean) => match leaf(&ty) {
            Some(Leaf::Bool) => Ok(ir::ContextPath {
                head,
                list: None,
                leaf: Leaf::Bool,
            }),
            _ => Err(format!("gives a {}, not a boolean", describe(&ty))),
        },
        (Walk::Scalar { head, ty }, ParamType::StringArray) => match ty.base() {
            RustType::List { item, sparse, .. } => {
                let item = Item::Ty((**item).clone());
                finish(
                    Walk::List {
                        head,
                        start: ListStart::Items { sparse: *sparse },
                        ops: Vec::new(),
                        item,
                    },
                    kind,
                )
            }
            _ => Err(format!("gives a {}, not a list of strings", describe(&ty))),
        },
        (
            Walk::List {
                head,
                start,
                ops,
                item,
            },
            ParamType::StringArray,
        ) => {
            let leaf = match item {
                Item::Str => Leaf::String,
                Item::Ty(ty) => match leaf(&ty) {
                    Some(l @ (Leaf::String | Leaf::Enum)) => l,
                    _ => {
                        return Err(format!(
                            "gives a list of {}s, not of strings",
                            describe(&ty)
                        ))
                    }
                },
            };
            // Items from a multi-select are `&str`s already: `Leaf::String` converts them too.
            Ok(ir::ContextPath {
                head,
                list: Some(ir::ListPath { start, ops }),
                leaf,
            })
        }
        (Walk::List { .. }, kind) => Err(format!("gives a list, not a {}", type_name(kind))),
    }
}

/// The tokens of the supported JMESPath subset.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Dot,
    Comma,
    /// `[*]`
    Star,
    /// `[]`
    Flatten,
    /// `[`, opening a multi-select list.
    Open,
    Close,
    LParen,
    RParen,
}

fn tokens(path: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = path.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '.' => out.push(Token::Dot),
            ',' => out.push(Token::Comma),
            '(' => out.push(Token::LParen),
            ')' => out.push(Token::RParen),
            ']' => out.push(Token::Close),
            '[' => {
                let rest = path.get(i + 1..).unwrap_or("");
                if rest.starts_with("*]") {
                    chars.next();
                    chars.next();
                    out.push(Token::Star);
                } else if rest.starts_with(']') {
                    chars.next();
                    out.push(Token::Flatten);
                } else if rest.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == ':') {
                    return Err("list indexes and slices are not supported".to_owned());
                } else if rest.starts_with('?') {
                    return Err("filter expressions are not supported".to_owned());
                } else {
                    out.push(Token::Open);
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Ident(path.get(i..end).unwrap_or("").to_owned()));
            }
            c => return Err(format!("`{c}` is not supported here (the supported subset: `a.b`, `a[*].b`, `a[]`, `keys(m)`, `a.[b, c]`)")),
        }
    }
    Ok(out)
}

/// Compiles an `@operationContextParams` path against the input type, for a param of `kind`.
pub fn compile_path(
    path: &str,
    input: &RustType,
    kind: ParamType,
    types: &Types<'_>,
) -> Result<ir::ContextPath, String> {
    let toks = tokens(path)?;
    let mut pos = 0;
    let walk = if let (Some(Token::Ident(f)), Some(Token::LParen)) = (toks.first(), toks.get(1)) {
        if f != "keys" {
            return Err(format!("function `{f}` is not supported (only `keys`)"));
        }
        pos = 2;
        let (head, ty) = chain(&toks, &mut pos, input, types)?;
        if toks.get(pos) != Some(&Token::RParen) {
            return Err("`keys(` must hold one path and be closed by `)`".to_owned());
        }
        pos += 1;
        match ty.base() {
            RustType::Map { key, .. }
                if leaf(key) == Some(Leaf::String) || leaf(key) == Some(Leaf::Enum) =>
            {
                Walk::List {
                    head,
                    start: ListStart::Keys,
                    ops: Vec::new(),
                    item: Item::Ty((**key).clone()),
                }
            }
            _ => return Err(format!("`keys` takes a map, not a {}", describe(&ty))),
        }
    } else {
        let (head, ty) = chain(&toks, &mut pos, input, types)?;
        Walk::Scalar { head, ty }
    };
    let mut walk = walk;
    while let Some(tok) = toks.get(pos) {
        pos += 1;
        walk = match (walk, tok) {
            (Walk::Scalar { mut head, ty }, Token::Dot) => match toks.get(pos) {
                Some(Token::Open) => {
                    pos += 1;
                    let select = selects(&toks, &mut pos, &ty, types)?;
                    Walk::List {
                        head,
                        start: ListStart::Select(select),
                        ops: Vec::new(),
                        item: Item::Str,
                    }
                }
                Some(Token::Ident(name)) => {
                    pos += 1;
                    let (access, ty) = types.member(&ty, name)?;
                    head.push(access);
                    Walk::Scalar { head, ty }
                }
                _ => return Err("`.` must be followed by a member name or `[`".to_owned()),
            },
            (Walk::Scalar { head, ty }, Token::Star | Token::Flatten) => match ty.base() {
                RustType::List { item, sparse, .. } => Walk::List {
                    head,
                    start: ListStart::Items { sparse: *sparse },
                    ops: Vec::new(),
                    item: Item::Ty((**item).clone()),
                },
                _ => {
                    return Err(format!(
                        "a projection is taken of a {}, not a list",
                        describe(&ty)
                    ))
                }
            },
            (Walk::Scalar { head, ty }, Token::Open) => {
                let select = selects(&toks, &mut pos, &ty, types)?;
                Walk::List {
                    head,
                    start: ListStart::Select(select),
                    ops: Vec::new(),
                    item: Item::Str,
                }
            }
            (
                Walk::List {
                    head,
                    start,
                    mut ops,
                    item,
                },
                Token::Dot | Token::Open,
            ) => {
                let open = *tok == Token::Open || toks.get(pos) == Some(&Token::Open);
                if open {
                    if *tok == Token::Dot {
                        pos += 1;
                    }
                    let Item::Ty(ty) = &item else {
                        return Err("a multi-select of a multi-select is not supported".to_owned());
                    };
                    let select = selects(&toks, &mut pos, ty, types)?;
                    if toks.get(pos) != Some(&Token::Flatten) {
                        return Err(
                            "a multi-select list in a projection must be flattened with `[]`"
                                .to_owned(),
                        );
                    }
                    pos += 1;
                    ops.push(ListOp::Select(select));
                    Walk::List {
                        head,
                        start,
                        ops,
                        item: Item::Str,
                    }
                } else {
                    let Some(Token::Ident(name)) = toks.get(pos) else {
                        return Err("`.` must be followed by a member name or `[`".to_owned());
                    };
                    pos += 1;
                    let Item::Ty(ty) = &item else {
                        return Err(format!("`{name}` is taken from a string"));
                    };
                    let (access, ty) = types.member(ty, name)?;
                    ops.push(ListOp::Access(access));
                    Walk::List {
                        head,
                        start,
                        ops,
                        item: Item::Ty(ty),
                    }
                }
            }
            (
                Walk::List {
                    head,
                    start,
                    mut ops,
                    item,
                },
                Token::Flatten,
            ) => match &item {
                Item::Ty(ty) => match ty.base() {
                    RustType::List {
                        item: inner,
                        sparse,
                        ..
                    } => {
                        ops.push(ListOp::Flatten { sparse: *sparse });
                        Walk::List {
                            head,
                            start,
                            ops,
                            item: Item::Ty((**inner).clone()),
                        }
                    }
                    // Flattening a list of scalars keeps it as it is.
                    _ => Walk::List {
                        head,
                        start,
                        ops,
                        item,
                    },
                },
                Item::Str => Walk::List {
                    head,
                    start,
                    ops,
                    item,
                },
            },
            (Walk::List { .. }, Token::Star) => {
                return Err("a projection inside a projection is not supported".to_owned())
            }
            (_, tok) => return Err(format!("unexpected {}", token_text(tok))),
        };
    }
    finish(walk, kind)
}

fn token_text(tok: &Token) -> String {
    match tok {
        Token::Ident(s) => format!("`{s}`"),
        Token::Dot => "`.`".into(),
        Token::Comma => "`,`".into(),
        Token::Star => "`[*]`".into(),
        Token::Flatten => "`[]`".into(),
        Token::Open => "`[`".into(),
        Token::Close => "`]`".into(),
        Token::LParen => "`(`".into(),
        Token::RParen => "`)`".into(),
    }
}

/// `a.b.c` from `ty`: the steps and the type reached.
fn chain(
    toks: &[Token],
    pos: &mut usize,
    ty: &RustType,
    types: &Types<'_>,
) -> Result<(Vec<Access>, RustType), String> {
    let mut head = Vec::new();
    let mut ty = ty.clone();
    loop {
        let Some(Token::Ident(name)) = toks.get(*pos) else {
            return Err(match toks.get(*pos) {
                Some(tok) => format!("expected a member name, found {}", token_text(tok)),
                None => "expected a member name at the end".to_owned(),
            });
        };
        *pos += 1;
        let (access, next) = types.member(&ty, name)?;
        head.push(access);
        ty = next;
        let (Some(Token::Dot), Some(Token::Ident(_))) = (toks.get(*pos), toks.get(*pos + 1)) else {
            break;
        };
        *pos += 1;
    }
    Ok((head, ty))
}

/// `b.c, d]` (after the `[`) from `ty`: each path with the string it reaches.
fn selects(
    toks: &[Token],
    pos: &mut usize,
    ty: &RustType,
    types: &Types<'_>,
) -> Result<Vec<(Vec<Access>, Leaf)>, String> {
    let mut out = Vec::new();
    loop {
        let (head, reached) = chain(toks, pos, ty, types)?;
        match leaf(&reached) {
            Some(l @ (Leaf::String | Leaf::Enum)) => out.push((head, l)),
            _ => {
                return Err(format!(
                    "a multi-select item gives a {}, not a string",
                    describe(&reached)
                ))
            }
        }
        match toks.get(*pos) {
            Some(Token::Comma) => *pos += 1,
            Some(Token::Close) => {
                *pos += 1;
                return Ok(out);
            }
            _ => return Err("a multi-select list must be closed by `]`".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;

    /// The errorfiles' `operation-context-params` model: every path that must compile, and the
    /// ones that must be refused, each with its reason.
    fn krate(paths: &[(&str, &str)]) -> Result<ir::Crate, Error> {
        let params: serde_json::Map<String, Value> = paths
            .iter()
            .map(|(name, path)| (name.to_string(), serde_json::json!({ "path": path })))
            .collect();
        let parameters: serde_json::Map<String, Value> = paths
            .iter()
            .map(|(name, _)| {
                let kind = if name.starts_with("list") {
                    "stringArray"
                } else {
                    "string"
                };
                (
                    name.to_string(),
                    serde_json::json!({ "type": kind, "required": false }),
                )
            })
            .collect();
        let model = serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "example#FizzBuzz": { "type": "service", "version": "1", "operations": [{ "target": "example#Bar" }],
                    "traits": { "smithy.rules#endpointRuleSet": {
                        "version": "1.0", "parameters": parameters,
                        "rules": [{ "conditions": [], "error": "none", "type": "error" }] } } },
                "example#Bar": { "type": "operation", "input": { "target": "example#BarInput" },
                    "traits": { "smithy.rules#operationContextParams": params } },
                "example#BarInput": { "type": "structure", "members": {
                    "resourceId": { "target": "smithy.api#String" },
                    "nested": { "target": "example#Nested1" },
                    "listOfObjects": { "target": "example#ListOfObjects" },
                    "listOfUnions": { "target": "example#ListOfUnions" },
                    "map": { "target": "example#Map" } } },
                "example#ListOfObjects": { "type": "list", "member": { "target": "example#ObjectMember" } },
                "example#ListOfUnions": { "type": "list", "member": { "target": "example#UnionMember" } },
                "example#UnionMember": { "type": "union", "members": {
                    "nested": { "target": "example#Nested1" }, "object": { "target": "example#ObjectMember" } } },
                "example#ObjectMember": { "type": "structure", "members": {
                    "key": { "target": "smithy.api#String" }, "listOfStrings": { "target": "example#ListOfStrings" } } },
                "example#ListOfStrings": { "type": "list", "member": { "target": "smithy.api#String" } },
                "example#Map": { "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "smithy.api#String" } },
                "example#Nested1": { "type": "structure", "members": {
                    "foo": { "target": "smithy.api#String" }, "nested": { "target": "example#Nested2" } } },
                "example#Nested2": { "type": "structure", "members": {
                    "bar": { "target": "smithy.api#String" }, "recursiveMember": { "target": "example#Nested1" } } }
            }
        });
        let bytes = serde_json::to_vec(&model).unwrap_or_default();
        let model = crate::load("test.json", &bytes)?;
        let settings = Settings {
            version: None,
            crate_name: None,
            runtime_path: "rt".into(),
            standalone: true,
            service: None,
            partitions: None,
        };
        crate::lower::lower(&model, &settings)
    }

    #[test]
    fn the_supported_paths_compile() {
        let krate = krate(&[
            ("toplLevelMember", "resourceId"),
            ("listProjection", "listOfObjects[*].key"),
            ("subExpression", "nested.nested.bar"),
            ("recursive", "nested.nested.recursiveMember.foo"),
            ("listKeys", "keys(map)"),
            (
                "listMultiSelect",
                "nested.[foo, nested.bar, nested.recursiveMember.foo]",
            ),
            (
                "listMultiSelectFlatten",
                "listOfUnions[*].[nested.foo, object.key][]",
            ),
            ("listNoDot", "listOfUnions[*][nested.foo, object.key][]"),
            ("listFlatten", "listOfObjects[*].listOfStrings[]"),
            ("listMember", "nested.nested.recursiveMember.foo"),
        ]);
        let krate = krate.map_err(|e| e.to_string());
        // `listMember` gives a string, not a list: the one refusal here.
        let message = krate.expect_err("listMember is refused");
        assert!(message.contains("endpoint param `listMember`: path `nested.nested.recursiveMember.foo`: gives a string, not a list of strings"), "{message}");
        let krate = self::krate(&[
            ("toplLevelMember", "resourceId"),
            ("listKeys", "keys(map)"),
            (
                "listMultiSelectFlatten",
                "listOfUnions[*].[nested.foo, object.key][]",
            ),
            ("listFlatten", "listOfObjects[*].listOfStrings[]"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let op = krate.operations.first().expect("Bar");
        assert_eq!(op.endpoint_bindings.len(), 4);
        let ir::BindingValue::Path(path) = &op.endpoint_bindings[3].value else {
            panic!("a path")
        };
        assert_eq!(path.list.as_ref().map(|l| l.ops.len()), Some(2));
    }

    #[test]
    fn unsupported_or_mistyped_paths_are_one_line_errors_naming_the_operation_and_the_param() {
        for (name, path, reason) in [
            (
                "invalidJmesPath",
                "...",
                "expected a member name, found `.`",
            ),
            (
                "arrayAsObject",
                "listOfObjects.notAKey",
                "`notAKey` is taken from a list, not a structure",
            ),
            (
                "incorrectKey",
                "nested.bar",
                "`example#Nested1` has no member `bar`",
            ),
            (
                "projectionOnScalar",
                "nested.foo[*]",
                "a projection is taken of a string, not a list",
            ),
            (
                "unsupportedFunction",
                "length(listOfObjects)",
                "function `length` is not supported",
            ),
            (
                "unsupportedExpression",
                "listOfObjects[1]",
                "list indexes and slices are not supported",
            ),
            (
                "projectionAndUnsupportedExpression",
                "listOfObjects[*].listOfStrings[0]",
                "list indexes and slices are not supported",
            ),
            (
                "filter",
                "listOfObjects[?key == 'a']",
                "filter expressions are not supported",
            ),
            (
                "listNested",
                "listOfObjects[*].listOfStrings[*]",
                "a projection inside a projection",
            ),
            (
                "listUnflattened",
                "listOfUnions[*].[nested.foo, object.key]",
                "must be flattened with `[]`",
            ),
        ] {
            let message = krate(&[(name, path)])
                .map(|_| ())
                .expect_err(name)
                .to_string();
            assert!(!message.contains('\n'), "{message}");
            assert!(message.contains("shape `example#Bar`"), "{message}");
            assert!(
                message.contains(&format!("endpoint param `{name}`: path `{path}`: ")),
                "{message}"
            );
            assert!(message.contains(reason), "{name}: {message}");
        }
    }

    #[test]
    fn rules_calling_aws_partition_need_a_partition_table() {
        let model = serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "example#S": { "type": "service", "version": "1",
                    "traits": { "smithy.rules#endpointRuleSet": {
                        "version": "1.0", "parameters": { "Region": { "type": "string", "required": true } },
                        "rules": [{ "conditions": [{ "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "P" }],
                                    "endpoint": { "url": "https://x.{P#dnsSuffix}" }, "type": "endpoint" },
                                  { "conditions": [], "error": "no", "type": "error" }] } } }
            }
        });
        let bytes = serde_json::to_vec(&model).unwrap_or_default();
        let model = crate::load("test.json", &bytes).unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings {
            version: None,
            crate_name: None,
            runtime_path: "rt".into(),
            standalone: true,
            service: None,
            partitions: None,
        };
        let message = crate::lower::lower(&model, &settings)
            .map(|_| ())
            .expect_err("no table")
            .to_string();
        assert!(message.contains("shape `example#S`: the endpoint rules call `aws.partition`, but no partition table was given"), "{message}");
    }

    #[test]
    fn documentation_is_stripped_from_rules_and_parameters_only() {
        let rules = serde_json::json!({
            "version": "1.0",
            "parameters": { "A": { "type": "string", "documentation": "doc" } },
            "rules": [{ "documentation": "r", "conditions": [], "type": "tree", "rules": [
                { "documentation": "inner", "conditions": [], "type": "endpoint",
                  "endpoint": { "url": "https://x", "properties": { "documentation": "kept" } } }] }]
        });
        let stripped = strip_documentation(&rules);
        assert_eq!(
            stripped,
            serde_json::json!({
                "version": "1.0",
                "parameters": { "A": { "type": "string" } },
                "rules": [{ "conditions": [], "type": "tree", "rules": [
                    { "conditions": [], "type": "endpoint",
                      "endpoint": { "url": "https://x", "properties": { "documentation": "kept" } } }] }]
            })
        );
    }
}
