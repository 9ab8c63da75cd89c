//! Stage 3: the validated model to the [`ir`](crate::ir): the service closure, Rust names beside
//! wire names, nullability, defaults, boxing, and which shapes need decoders.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;
use smithy_runtime::checksum::ChecksumAlgorithm;

use crate::docs::html_to_markdown;
use crate::error::clip;
use crate::ir::{self, Protocol, RustType};
use crate::model::{shape_name, traits, Member, Model, Shape, ShapeKind};
use crate::{naming, Error, Settings};

mod auth;
mod endpoint;

/// The service a crate is generated for: the only one in the model, or the one named.
pub fn select_service<'m>(model: &'m Model, wanted: Option<&str>) -> Result<&'m Shape, Error> {
    if let Some(id) = wanted {
        return match model.shape(id) {
            Some(s) if s.kind == ShapeKind::Service => Ok(s),
            Some(_) => Err(Error::new(&model.file, "the shape given as the service is not a service").shape(id)),
            None => Err(Error::new(&model.file, "the service given does not exist in the model").shape(id)),
        };
    }
    let mut services = model.services();
    match (services.next(), services.next()) {
        (Some(s), None) => Ok(s),
        (None, _) => Err(Error::new(&model.file, "the model defines no service shape; nothing to generate")),
        (Some(a), Some(b)) => Err(Error::new(
            &model.file,
            format!("the model defines several services (`{}`, `{}`, ...); choose one with --service", a.id, b.id),
        )),
    }
}

/// The service closure: the operations reachable from the service (through its resources too)
/// and every shape they reach.
pub struct Closure {
    pub operations: BTreeSet<String>,
    pub shapes: BTreeSet<String>,
}

pub fn closure(model: &Model, service: &Shape) -> Closure {
    let mut operations = BTreeSet::new();
    let mut containers = vec![service];
    let mut seen_resources = BTreeSet::new();
    while let Some(c) = containers.pop() {
        operations.extend(c.bound_operations().cloned());
        for r in &c.resources {
            if seen_resources.insert(r.clone()) {
                if let Some(shape) = model.shape(r) {
                    containers.push(shape);
                }
            }
        }
    }
    let mut shapes = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    queue.extend(service.errors.iter().cloned());
    for op in &operations {
        if let Some(op) = model.shape(op) {
            queue.extend(op.input.iter().chain(op.output.iter()).chain(op.errors.iter()).cloned());
        }
    }
    while let Some(id) = queue.pop_front() {
        if !shapes.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = model.shape(&id) {
            queue.extend(shape.members.iter().map(|m| m.target.clone()));
        }
    }
    Closure { operations, shapes }
}

/// The Rust type name of a shape, after the service's `rename`.
pub fn rust_type_name(service: &Shape, id: &str) -> String {
    naming::type_name(service.rename.get(id).map_or_else(|| shape_name(id), String::as_str))
}

/// The Rust names of the generated shapes of the closure, by shape ID, told apart where two
/// would be the same (see [`naming::type_names`]).
pub fn type_names(model: &Model, service: &Shape, closure: &Closure) -> BTreeMap<String, String> {
    let shapes = closure.shapes.iter().filter(|id| model.shape(id).is_some_and(is_generated)).map(|id| {
        let name = service.rename.get(id).map_or_else(|| shape_name(id), String::as_str);
        (id.as_str(), name)
    });
    naming::type_names(shapes)
}

/// Whether a shape becomes a generated item (type alias, struct, enum).
pub fn is_generated(shape: &Shape) -> bool {
    !shape.prelude
        && !shape.has_trait(traits::MIXIN)
        && !shape.has_trait(traits::UNIT_TYPE)
        && (shape.kind.is_simple()
            || matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum))
}

fn protocol_of(service: &Shape) -> (Protocol, String) {
    let candidates = [
        (traits::AWS_JSON_1_0, Protocol::AwsJson1_0),
        (traits::AWS_JSON_1_1, Protocol::AwsJson1_1),
        (traits::REST_JSON_1, Protocol::RestJson1),
        (traits::REST_XML, Protocol::RestXml),
        (traits::AWS_QUERY, Protocol::AwsQuery),
        (traits::EC2_QUERY, Protocol::Ec2Query),
        (traits::RPC_V2_CBOR, Protocol::RpcV2Cbor),
    ];
    for (id, protocol) in candidates {
        if let Some(value) = service.traits.get(id) {
            let unwrapped = value.get("noErrorWrapping").and_then(Value::as_bool) == Some(true);
            let protocol = if protocol == Protocol::RestXml && unwrapped { Protocol::RestXmlUnwrapped } else { protocol };
            return (protocol, id.to_owned());
        }
    }
    // No protocol trait: decode errors the restJson1 way (header, `code`, `__type`).
    (Protocol::RestJson1, "none".to_owned())
}

struct Lowerer<'m> {
    model: &'m Model,
    service: &'m Shape,
    protocol: Protocol,
    query_codes: bool,
    /// Rust names of generated shapes.
    names: BTreeMap<String, String>,
    boxed: BTreeSet<(String, String)>,
    /// Shapes that error structures reach.
    error_shapes: BTreeSet<String>,
    /// Shapes that operation outputs reach.
    output_shapes: BTreeSet<String>,
    /// Shapes that operation inputs reach.
    input_shapes: BTreeSet<String>,
    /// Operation inputs: the structures whose members request bindings apply to.
    inputs: BTreeSet<String>,
    /// Operation outputs and errors: the structures whose members response bindings apply to.
    responses: BTreeSet<String>,
}

pub fn lower(model: &Model, settings: &Settings) -> Result<ir::Crate, Error> {
    let service = select_service(model, settings.service.as_deref())?;
    let closure = closure(model, service);
    let (protocol, protocol_trait) = protocol_of(service);
    let query_compatible = service.has_trait(traits::AWS_QUERY_COMPATIBLE);
    let query_codes = query_compatible || matches!(protocol, Protocol::AwsQuery | Protocol::Ec2Query);

    let names = type_names(model, service, &closure);
    let mut lowerer = Lowerer {
        model,
        service,
        protocol,
        query_codes,
        boxed: boxed_members(model, &names),
        error_shapes: BTreeSet::new(),
        output_shapes: BTreeSet::new(),
        input_shapes: BTreeSet::new(),
        inputs: closure.operations.iter().filter_map(|id| model.shape(id)?.input.clone()).collect(),
        responses: response_structures(model, service, &closure),
        names,
    };
    let errors = closure.shapes.iter().filter(|id| model.shape(id).is_some_and(|s| s.has_trait(traits::ERROR)));
    lowerer.error_shapes = lowerer.reachable(errors.cloned().collect());
    let outputs = closure.operations.iter().filter_map(|id| model.shape(id)?.output.clone()).collect();
    lowerer.output_shapes = lowerer.reachable(outputs);
    lowerer.input_shapes = lowerer.reachable(lowerer.inputs.iter().cloned().collect());

    let mut types = Vec::new();
    for id in lowerer.names.keys() {
        if let Some(shape) = model.shape(id) {
            types.push(lowerer.type_def(shape)?);
        }
    }
    types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

    let endpoints = endpoint::endpoints(model, service, settings.partitions.as_deref())?;
    let service_auth = auth::service_auth(model, service)?;

    // Operation types and error enums live beside the shapes' types: their names give way.
    let mut taken: BTreeSet<String> = lowerer.names.values().cloned().collect();
    let mut operations = Vec::new();
    let mut op_ids: Vec<(String, &String)> =
        closure.operations.iter().map(|id| (rust_type_name(service, id), id)).collect();
    op_ids.sort();
    for (rust_name, id) in op_ids {
        let Some(op) = model.shape(id) else { continue };
        let type_name = naming::unique(rust_name, &mut taken);
        let error_enum = naming::unique(naming::operation_error_name(&type_name), &mut taken);
        let mut operation = lowerer.operation(op, type_name, error_enum);
        operation.checksum = http_checksum(model, op)?;
        operation.auth = auth::operation_auth(model, service, &service_auth, op)?;
        if let Some(endpoints) = &endpoints {
            let types = endpoint::Types(&types);
            operation.endpoint_bindings = endpoint::bindings(model, endpoints, op, operation.input.as_ref(), &types)?;
        }
        operations.push(operation);
    }

    let aws = service.traits.get(traits::AWS_SERVICE);
    let sdk_id = aws
        .and_then(|a| a.get("sdkId"))
        .and_then(Value::as_str)
        .map_or_else(|| service.name().to_owned(), str::to_owned);
    let title = service.traits.get(traits::TITLE).and_then(Value::as_str).unwrap_or(&sdk_id).to_owned();
    let mut runtime_features = Vec::new();
    if protocol.needs_percent_encoding() {
        runtime_features.push("percent-encoding");
    }
    let input_fields = || {
        operations
            .iter()
            .filter_map(|op| op.input.as_ref())
            .filter_map(|input| types.iter().find(|t| t.rust_name == input.rust_name))
            .filter_map(|t| match &t.kind {
                ir::TypeKind::Struct(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| s.fields.iter())
    };
    if protocol.encodes_requests() && input_fields().any(|f| f.idempotency_token && f.optional) {
        runtime_features.push("idempotency");
    }
    if protocol.encodes_requests() && operations.iter().any(|op| op.gzip_request) {
        runtime_features.push("gzip");
    }
    if protocol.encodes_requests() && operations.iter().any(|op| op.customizations.glacier_checksums) {
        runtime_features.push("sha256");
    }
    if protocol.encodes_requests() && operations.iter().any(|op| op.content_md5) {
        runtime_features.push("md5");
    }
    // `httpChecksum`: a feature per algorithm a request may be sent with or a response
    // validated by.
    for op in &operations {
        let Some(c) = &op.checksum else { continue };
        let mut names: Vec<&str> = Vec::new();
        if protocol.encodes_requests() && c.on_requests() {
            names.extend(c.request_algorithms.iter().map(String::as_str));
            if c.request_required {
                names.push(ChecksumAlgorithm::DEFAULT.name());
            }
        }
        if c.validation_mode_member.is_some() {
            names.extend(c.response_algorithms.iter().map(String::as_str));
        }
        for algorithm in names.into_iter().filter_map(ChecksumAlgorithm::from_name) {
            if !runtime_features.contains(&algorithm.feature()) {
                runtime_features.push(algorithm.feature());
            }
        }
    }
    if protocol.is_xml() {
        runtime_features.push("xml");
    }
    if protocol == Protocol::RpcV2Cbor && operations.iter().any(|op| op.input.is_some()) {
        runtime_features.push("cbor");
    }
    if endpoints.is_some() {
        runtime_features.push("endpoint");
    }
    // Signing: SigV4 for a service with `aws.auth#sigv4`, SigV4a too where its trait or the
    // endpoint rules can ask for it.
    if service_auth.signs() {
        runtime_features.push("sigv4");
    }
    if service_auth.sigv4a_possible {
        runtime_features.push("sigv4a");
    }
    Ok(ir::Crate {
        endpoints,
        runtime_features,
        crate_name: settings.crate_name.clone().unwrap_or_else(|| naming::crate_name(&sdk_id)),
        crate_version: settings.version.clone().unwrap_or_else(|| "0.1.0".to_owned()),
        runtime_path: settings.runtime_path.clone(),
        standalone: settings.standalone,
        service: ir::Service {
            shape_id: service.id.clone(),
            name: service.name().to_owned(),
            xml_namespace: xml_namespace(&service.traits),
            title,
            sdk_id,
            version: service.version.clone(),
            doc: doc_of(&service.traits),
            protocol,
            protocol_trait,
            query_compatible,
            model_file: model.file.clone(),
            auth: service_auth,
        },
        types,
        operations,
    })
}

fn doc_of(traits: &crate::model::Traits) -> Option<String> {
    let text = html_to_markdown(traits.get(traits::DOCUMENTATION)?.as_str()?);
    (!text.trim().is_empty()).then_some(text)
}

/// Decides which structure and union members are boxed: on every cycle of members that hold
/// their target inline (not through a list or map), the member with the smallest
/// (shape ID, member name) is boxed, until no such cycle is left.
fn boxed_members(model: &Model, names: &BTreeMap<String, String>) -> BTreeSet<(String, String)> {
    let inline = |s: &Shape| matches!(s.kind, ShapeKind::Structure | ShapeKind::Union);
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for id in names.keys() {
        let Some(shape) = model.shape(id).filter(|s| inline(s)) else { continue };
        for m in &shape.members {
            if model.shape(&m.target).is_some_and(|t| inline(t) && names.contains_key(&t.id)) {
                edges.entry(shape.id.as_str()).or_default().push((m.name.as_str(), m.target.as_str()));
            }
        }
    }
    break_cycles(edges)
}

/// Breaks every cycle of `edges` (shape to (member, target)): the cycle that a depth-first
/// search in sorted order meets first loses the smallest of its (shape, member) edges, until
/// no cycle is left. Returns the edges removed.
///
/// One search does it all: after an edge is removed, the search steps back to where that edge
/// was taken and goes on from there, which is exactly where a search started afresh would be
/// (shapes it had finished can reach no cycle, so they stay finished). Linear in the graph's
/// size plus the length of the cycles met, where restarting the search for each cycle was
/// quadratic.
fn break_cycles<'a>(mut edges: BTreeMap<&'a str, Vec<(&'a str, &'a str)>>) -> BTreeSet<(String, String)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        /// On the search path, at this index of the stack.
        Open(usize),
        Done,
    }
    let mut removed = BTreeSet::new();
    let mut state: BTreeMap<&str, State> = BTreeMap::new();
    let starts: Vec<&str> = edges.keys().copied().collect();
    for start in starts {
        if state.contains_key(start) {
            continue;
        }
        // The search path: each shape with the index of its next edge (so the edge it took to
        // the shape above it is the one before).
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        state.insert(start, State::Open(0));
        while let Some(&(node, next)) = stack.last() {
            let Some(&(_, target)) = edges.get(node).and_then(|out| out.get(next)) else {
                state.insert(node, State::Done);
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            match state.get(target).copied() {
                Some(State::Done) => {}
                None => {
                    state.insert(target, State::Open(stack.len()));
                    stack.push((target, 0));
                }
                Some(State::Open(begin)) => {
                    // The cycle runs from `target` up the stack and back through `member`.
                    let taken = |&(shape, next): &(&'a str, usize)| {
                        let member = edges.get(shape).and_then(|out| out.get(next.wrapping_sub(1))).map_or("", |e| e.0);
                        (shape, member)
                    };
                    let Some((at, (from, member))) =
                        stack.iter().enumerate().skip(begin).map(|(i, entry)| (i, taken(entry))).min_by_key(|&(_, edge)| edge)
                    else {
                        break;
                    };
                    removed.insert((from.to_owned(), member.to_owned()));
                    if let Some(out) = edges.get_mut(from) {
                        out.retain(|(m, _)| *m != member);
                    }
                    for (shape, _) in stack.drain(at + 1..) {
                        state.remove(shape);
                    }
                    if let Some(entry) = stack.get_mut(at) {
                        entry.1 -= 1;
                    }
                }
            }
        }
    }
    removed
}

impl Lowerer<'_> {
    fn shape(&self, id: &str) -> Option<&Shape> {
        self.model.shape(id)
    }

    /// The shapes reachable from `roots`, the roots included.
    fn reachable(&self, mut queue: Vec<String>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        while let Some(id) = queue.pop() {
            if out.insert(id.clone()) {
                if let Some(shape) = self.shape(&id) {
                    queue.extend(shape.members.iter().map(|m| m.target.clone()));
                }
            }
        }
        out
    }

    /// A reference to the generated type of shape `id`.
    fn type_ref(&self, id: &str) -> Option<ir::TypeRef> {
        let rust_name = self.names.get(id)?.clone();
        let shape = self.shape(id)?;
        let kind = match shape.kind {
            ShapeKind::Structure => ir::NamedKind::Struct,
            ShapeKind::Union => ir::NamedKind::Union,
            ShapeKind::Enum => ir::NamedKind::Enum,
            ShapeKind::IntEnum => ir::NamedKind::IntEnum,
            kind => ir::NamedKind::Alias(Box::new(self.base_type(kind))),
        };
        Some(ir::TypeRef { rust_name, shape_id: id.to_owned(), kind })
    }

    fn rust_type(&self, id: &str) -> RustType {
        if let Some(type_ref) = self.type_ref(id) {
            return RustType::Named(type_ref);
        }
        let Some(shape) = self.shape(id) else { return RustType::Document };
        match shape.kind {
            ShapeKind::Blob => RustType::Blob,
            ShapeKind::Boolean => RustType::Bool,
            ShapeKind::String | ShapeKind::Enum => RustType::String,
            ShapeKind::Byte => RustType::I8,
            ShapeKind::Short => RustType::I16,
            ShapeKind::Integer | ShapeKind::IntEnum => RustType::I32,
            ShapeKind::Long => RustType::I64,
            ShapeKind::Float => RustType::F32,
            ShapeKind::Double => RustType::F64,
            ShapeKind::BigInteger => RustType::BigInteger,
            ShapeKind::BigDecimal => RustType::BigDecimal,
            ShapeKind::Timestamp => RustType::Timestamp,
            ShapeKind::List => {
                let member = shape.members.first();
                RustType::List {
                    item: Box::new(member.map_or(RustType::Document, |m| self.rust_type(&m.target))),
                    sparse: shape.has_trait(traits::SPARSE),
                    xml_member: member.and_then(xml_name_trait).unwrap_or("member").to_owned(),
                    xml_member_namespace: member.and_then(|m| xml_namespace(&m.traits)),
                }
            }
            ShapeKind::Map => {
                let key = shape.member("key");
                let value = shape.member("value");
                RustType::Map {
                    key: Box::new(key.map_or(RustType::String, |m| self.rust_type(&m.target))),
                    value: Box::new(value.map_or(RustType::Document, |m| self.rust_type(&m.target))),
                    sparse: shape.has_trait(traits::SPARSE),
                    xml_key: key.and_then(xml_name_trait).unwrap_or("key").to_owned(),
                    xml_value: value.and_then(xml_name_trait).unwrap_or("value").to_owned(),
                    xml_key_namespace: key.and_then(|m| xml_namespace(&m.traits)),
                    xml_value_namespace: value.and_then(|m| xml_namespace(&m.traits)),
                }
            }
            // Structures, unions, operations... outside the generated set: not reachable in
            // a validated closure; a document keeps the value whatever it is.
            _ => RustType::Document,
        }
    }

    fn type_def(&self, shape: &Shape) -> Result<ir::TypeDef, Error> {
        let rust_name = self.names.get(&shape.id).cloned().unwrap_or_default();
        let kind = match shape.kind {
            ShapeKind::Structure => ir::TypeKind::Struct(self.structure(shape)?),
            ShapeKind::Union => ir::TypeKind::Union(self.union(shape)),
            ShapeKind::Enum => ir::TypeKind::Enum(self.enumeration(shape)),
            ShapeKind::IntEnum => ir::TypeKind::IntEnum(self.int_enum(shape)?),
            _ => ir::TypeKind::Alias(self.base_type(shape.kind)),
        };
        Ok(ir::TypeDef {
            shape_id: shape.id.clone(),
            rust_name,
            doc: doc_of(&shape.traits),
            deprecated: shape.has_trait(traits::DEPRECATED),
            decode_json: self.error_shapes.contains(&shape.id)
                || (!self.protocol.is_xml() && self.output_shapes.contains(&shape.id)),
            decode_xml: self.protocol.is_xml()
                && (self.error_shapes.contains(&shape.id) || self.output_shapes.contains(&shape.id)),
            encode_json: matches!(self.protocol, Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1)
                && self.input_shapes.contains(&shape.id),
            encode_query: matches!(self.protocol, Protocol::AwsQuery | Protocol::Ec2Query)
                && self.input_shapes.contains(&shape.id),
            encode_xml: matches!(self.protocol, Protocol::RestXml | Protocol::RestXmlUnwrapped)
                && self.input_shapes.contains(&shape.id),
            encode_cbor: self.protocol == Protocol::RpcV2Cbor && self.input_shapes.contains(&shape.id),
            xml_name: shape.traits.get(traits::XML_NAME).and_then(Value::as_str).unwrap_or(shape.name()).to_owned(),
            xml_namespace: xml_namespace(&shape.traits),
            kind,
        })
    }

    fn base_type(&self, kind: ShapeKind) -> RustType {
        match kind {
            ShapeKind::Blob => RustType::Blob,
            ShapeKind::Boolean => RustType::Bool,
            ShapeKind::Byte => RustType::I8,
            ShapeKind::Short => RustType::I16,
            ShapeKind::Integer => RustType::I32,
            ShapeKind::Long => RustType::I64,
            ShapeKind::Float => RustType::F32,
            ShapeKind::Double => RustType::F64,
            ShapeKind::BigInteger => RustType::BigInteger,
            ShapeKind::BigDecimal => RustType::BigDecimal,
            ShapeKind::Timestamp => RustType::Timestamp,
            ShapeKind::Document => RustType::Document,
            _ => RustType::String,
        }
    }

    fn json_key(&self, m: &Member) -> String {
        match (self.protocol, m.traits.get(traits::JSON_NAME).and_then(Value::as_str)) {
            (Protocol::RestJson1, Some(name)) => name.to_owned(),
            _ => m.name.clone(),
        }
    }

    /// The element name in XML bodies, both directions.
    fn xml_name(&self, m: &Member) -> String {
        xml_name_trait(m).unwrap_or(&m.name).to_owned()
    }

    /// The key in query request bodies (input only): ec2Query's own rules, else the XML name.
    fn query_key(&self, m: &Member) -> String {
        if self.protocol != Protocol::Ec2Query {
            return self.xml_name(m);
        }
        if let Some(name) = m.traits.get(traits::EC2_QUERY_NAME).and_then(Value::as_str) {
            return name.to_owned();
        }
        let name = xml_name_trait(m).unwrap_or(&m.name);
        let mut chars = name.chars();
        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    }

    fn is_sensitive(&self, m: &Member) -> bool {
        m.has_trait(traits::SENSITIVE) || self.shape(&m.target).is_some_and(|t| t.has_trait(traits::SENSITIVE))
    }

    fn structure(&self, shape: &Shape) -> Result<ir::Struct, Error> {
        let input = shape.has_trait(traits::INPUT);
        let mut taken = BTreeSet::new();
        let mut fields = Vec::new();
        for m in &shape.members {
            let default = match m.traits.get(traits::DEFAULT) {
                None | Some(Value::Null) => None,
                Some(v) => Some(self.default_value(shape, m, v)?),
            };
            let required = m.has_trait(traits::REQUIRED);
            let optional =
                !(required || default.is_some()) || m.has_trait(traits::CLIENT_OPTIONAL) || input;
            let binding = if self.protocol.is_rest() {
                binding_of(m, self.inputs.contains(&shape.id), self.responses.contains(&shape.id))
            } else {
                ir::Binding::Body
            };
            let target = self.shape(&m.target);
            let timestamp_format = m
                .traits
                .get(traits::TIMESTAMP_FORMAT)
                .or_else(|| target.and_then(|t| t.traits.get(traits::TIMESTAMP_FORMAT)))
                .and_then(Value::as_str)
                .and_then(|f| match f {
                    "date-time" => Some(ir::TimestampFormat::DateTime),
                    "http-date" => Some(ir::TimestampFormat::HttpDate),
                    "epoch-seconds" => Some(ir::TimestampFormat::EpochSeconds),
                    _ => None,
                });
            let media_type = target
                .filter(|t| matches!(t.kind, ShapeKind::String | ShapeKind::Blob))
                .and_then(|t| t.traits.get(traits::MEDIA_TYPE))
                .and_then(Value::as_str)
                .map(str::to_owned);
            fields.push(ir::Field {
                rust_name: naming::unique(naming::field_name(&m.name), &mut taken),
                member_name: m.name.clone(),
                json_key: self.json_key(m),
                xml_name: self.xml_name(m),
                query_key: self.query_key(m),
                xml_attribute: m.has_trait(traits::XML_ATTRIBUTE),
                xml_namespace: xml_namespace(&m.traits),
                idempotency_token: m.has_trait(traits::IDEMPOTENCY_TOKEN),
                xml_flattened: m.has_trait(traits::XML_FLATTENED),
                binding,
                timestamp_format,
                media_type,
                ty: self.rust_type(&m.target),
                optional,
                boxed: self.boxed.contains(&(shape.id.clone(), m.name.clone())),
                required,
                default: if optional { None } else { default },
                sensitive: self.is_sensitive(m),
                deprecated: m.has_trait(traits::DEPRECATED),
                doc: doc_of(&m.traits),
            });
        }
        let error = shape.has_trait(traits::ERROR).then(|| {
            let message_field = ["message", "Message", "errorMessage"].iter().find_map(|name| {
                let m = shape.member(name)?;
                let target = self.shape(&m.target)?;
                (target.kind == ShapeKind::String).then_some(())?;
                let f = fields.iter().find(|f| f.member_name == *name)?;
                Some((f.rust_name.clone(), f.optional))
            });
            // Without a message member, a field of its own keeps the message the body carries.
            let generated_message = message_field.is_none().then(|| {
                let mut taken: BTreeSet<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
                naming::unique("message".to_owned(), &mut taken)
            });
            let message_field = message_field.or_else(|| generated_message.clone().map(|name| (name, true)));
            ir::ErrorInfo { code: self.error_code(shape), message_field, generated_message }
        });
        Ok(ir::Struct { fields, error })
    }

    /// The code an error is known by: its `@awsQueryError` code for query protocols, else its
    /// shape name.
    fn error_code(&self, shape: &Shape) -> String {
        if self.query_codes {
            if let Some(code) = query_error_code(shape) {
                return code.to_owned();
            }
        }
        shape.name().to_owned()
    }

    /// A member's `@default`, typed. [`validate`](crate::validate) has checked it against the
    /// target, so a value of the wrong form here is an internal inconsistency, reported as such.
    fn default_value(&self, shape: &Shape, m: &Member, v: &Value) -> Result<ir::Default, Error> {
        let bad = || {
            Error::new(&self.model.file, format!("@default value {} does not fit the target", clip(&v.to_string())))
                .shape(shape.id.clone())
                .member(m.name.clone())
        };
        let Some(target) = self.shape(&m.target) else { return Err(bad()) };
        use ShapeKind::*;
        Ok(match (target.kind, v) {
            (Boolean, Value::Bool(b)) => ir::Default::Bool(*b),
            (Byte | Short | Integer | Long, _) => ir::Default::Int(v.as_i64().ok_or_else(bad)?),
            (IntEnum, _) => ir::Default::IntEnum(v.as_i64().ok_or_else(bad)?),
            (Float | Double, Value::Number(n)) => ir::Default::Float(n.as_f64().ok_or_else(bad)?),
            (Float | Double, Value::String(s)) => ir::Default::Float(match s.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                _ => return Err(bad()),
            }),
            (String, Value::String(s)) => ir::Default::String(s.clone()),
            (Enum, Value::String(s)) => ir::Default::Enum(s.clone()),
            (BigInteger | BigDecimal, Value::Number(n)) => ir::Default::BigNumber(n.to_string()),
            (BigInteger | BigDecimal, Value::String(s)) => ir::Default::BigNumber(s.clone()),
            (Timestamp, Value::Number(n)) => ir::Default::Timestamp(n.as_f64().ok_or_else(bad)?),
            (Timestamp, Value::String(s)) => ir::Default::Timestamp(
                smithy_runtime::Timestamp::parse_date_time(s).ok_or_else(bad)?.as_epoch_seconds_f64(),
            ),
            (Blob, Value::String(s)) => ir::Default::Blob(s.clone()),
            (Document, _) => ir::Default::Document(v.clone()),
            (List, Value::Array(a)) if a.is_empty() => ir::Default::EmptyList,
            (Map, Value::Object(o)) if o.is_empty() => ir::Default::EmptyMap,
            _ => return Err(bad()),
        })
    }

    fn union(&self, shape: &Shape) -> ir::Union {
        let mut taken = BTreeSet::new();
        let variants = shape
            .members
            .iter()
            .map(|m| {
                let unit = self.shape(&m.target).is_some_and(|t| t.has_trait(traits::UNIT_TYPE));
                ir::UnionVariant {
                    rust_name: naming::unique(naming::type_name(&m.name), &mut taken),
                    member_name: m.name.clone(),
                    json_key: self.json_key(m),
                    xml_name: self.xml_name(m),
                    query_key: self.query_key(m),
                    ty: (!unit).then(|| self.rust_type(&m.target)),
                    boxed: self.boxed.contains(&(shape.id.clone(), m.name.clone())),
                    sensitive: self.is_sensitive(m),
                    doc: doc_of(&m.traits),
                }
            })
            .collect();
        ir::Union { variants, unknown: naming::unique(naming::UNKNOWN.to_owned(), &mut taken) }
    }

    fn enumeration(&self, shape: &Shape) -> ir::Enum {
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        // Values are unique ([`validate`](crate::validate) refuses a repeated one); two names that
        // give one Rust variant are told apart by [`naming::unique`].
        for m in &shape.members {
            let value = m.traits.get(traits::ENUM_VALUE).and_then(Value::as_str).unwrap_or(&m.name).to_owned();
            variants.push(ir::EnumVariant {
                rust_name: naming::unique(naming::type_name(&m.name), &mut taken),
                value,
                doc: doc_of(&m.traits),
                deprecated: m.has_trait(traits::DEPRECATED),
            });
        }
        ir::Enum { variants, unknown: naming::unique(naming::UNKNOWN.to_owned(), &mut taken) }
    }

    fn int_enum(&self, shape: &Shape) -> Result<ir::IntEnum, Error> {
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        for m in &shape.members {
            let value = m
                .traits
                .get(traits::ENUM_VALUE)
                .and_then(Value::as_i64)
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(|| {
                    Error::new(&self.model.file, "an intEnum member needs an integer @enumValue that fits in 32 bits")
                        .shape(shape.id.clone())
                        .member(m.name.clone())
                })?;
            variants.push(ir::IntEnumVariant {
                rust_name: naming::unique(naming::type_name(&m.name), &mut taken),
                value,
                doc: doc_of(&m.traits),
                deprecated: m.has_trait(traits::DEPRECATED),
            });
        }
        Ok(ir::IntEnum { variants, unknown: naming::unique(naming::UNKNOWN.to_owned(), &mut taken) })
    }

    fn operation(&self, op: &Shape, rust_name: String, error_enum: String) -> ir::Operation {
        let io = |t: &Option<String>| t.as_ref().and_then(|id| self.type_ref(id));
        let http = op.traits.get(traits::HTTP).and_then(|h| {
            let (path, query) = parse_uri(h.get("uri")?.as_str()?);
            Some(ir::Http {
                method: h.get("method")?.as_str()?.to_owned(),
                path,
                query,
                code: h.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200),
            })
        });
        let host_prefix = op
            .traits
            .get(traits::ENDPOINT)
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
            .map(|prefix| parse_uri(prefix).0);
        let event_stream_input = op.input.as_deref().and_then(|id| self.shape(id)).is_some_and(|input| {
            input.members.iter().any(|m| self.shape(&m.target).is_some_and(|t| t.has_trait(traits::STREAMING) && t.kind == ShapeKind::Union))
        });
        let event_stream_output = op.output.as_deref().and_then(|id| self.shape(id)).is_some_and(|output| {
            output.members.iter().any(|m| self.shape(&m.target).is_some_and(|t| t.has_trait(traits::STREAMING) && t.kind == ShapeKind::Union))
        });
        let mut error_ids: Vec<&String> = Vec::new();
        for e in op.errors.iter().chain(self.service.errors.iter()) {
            if !error_ids.contains(&e) {
                error_ids.push(e);
            }
        }
        let mut taken = BTreeSet::new();
        let mut used_codes = BTreeSet::new();
        let mut errors: Vec<ir::ErrorCase> = Vec::new();
        // Custom query codes take precedence over shape names, so they claim their codes first.
        let mut codes_of: Vec<Vec<String>> = vec![Vec::new(); error_ids.len()];
        if self.query_codes {
            for (codes, id) in codes_of.iter_mut().zip(&error_ids) {
                if let Some(code) = self.shape(id).and_then(query_error_code) {
                    if used_codes.insert(code.to_owned()) {
                        codes.push(code.to_owned());
                    }
                }
            }
        }
        for (mut codes, id) in codes_of.into_iter().zip(&error_ids) {
            let Some(type_name) = self.names.get(*id) else { continue };
            let renamed = self.service.rename.get(*id).cloned();
            for code in std::iter::once(shape_name(id).to_owned()).chain(renamed) {
                if used_codes.insert(code.clone()) {
                    codes.push(code.clone());
                }
            }
            errors.push(ir::ErrorCase {
                shape_id: (*id).clone(),
                variant: naming::unique(type_name.clone(), &mut taken),
                type_name: type_name.clone(),
                codes,
                doc: self.shape(id).and_then(|s| doc_of(&s.traits)),
            });
        }
        let wire_name = self.service.rename.get(&op.id).map_or_else(|| op.name().to_owned(), String::clone);
        ir::Operation {
            unwrapped_xml_output: op.has_trait(traits::S3_UNWRAPPED_XML_OUTPUT),
            content_md5: op.has_trait(traits::HTTP_CHECKSUM_REQUIRED),
            checksum: None,
            endpoint_bindings: Vec::new(),
            auth: ir::OperationAuth::default(),
            customizations: crate::customize::for_operation(self.model, self.service, op),
            gzip_request: op
                .traits
                .get(traits::REQUEST_COMPRESSION)
                .and_then(|c| c.get("encodings"))
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|e| e.as_str() == Some("gzip"))),
            wire_name,
            name: rust_name,
            shape_id: op.id.clone(),
            http,
            host_prefix,
            event_stream_input,
            event_stream_output,
            summary: doc_of(&op.traits).and_then(|d| d.split("\n\n").next().map(str::to_owned)),
            input: io(&op.input),
            output: io(&op.output),
            error_enum,
            errors,
            unknown: naming::unique(naming::UNKNOWN.to_owned(), &mut taken),
            malformed: naming::unique(naming::MALFORMED.to_owned(), &mut taken),
        }
    }
}

/// An operation's `aws.protocols#httpChecksum` trait, checked: its members of the right types,
/// at least one behavior, and the input members it names present and of string or enum type.
fn http_checksum(model: &Model, op: &Shape) -> Result<Option<ir::HttpChecksum>, Error> {
    let Some(value) = op.traits.get(traits::HTTP_CHECKSUM) else { return Ok(None) };
    let bad = |message: String| Error::new(&model.file, format!("@httpChecksum: {message}")).shape(op.id.clone());
    let Some(fields) = value.as_object() else { return Err(bad("the trait's value must be an object".into())) };
    let string = |key: &str| match fields.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("`{key}` must be a string"))),
    };
    let request_required = match fields.get("requestChecksumRequired") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("`requestChecksumRequired` must be a boolean".into())),
    };
    let request_algorithm_member = string("requestAlgorithmMember")?;
    let validation_mode_member = string("requestValidationModeMember")?;
    let response_algorithms = match fields.get("responseAlgorithms") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("`responseAlgorithms` must be a list of strings".into()))?,
        Some(_) => return Err(bad("`responseAlgorithms` must be a list of strings".into())),
    };
    if !request_required && request_algorithm_member.is_none() && validation_mode_member.is_none() {
        return Err(bad(
            "sets none of `requestChecksumRequired`, `requestAlgorithmMember` and `requestValidationModeMember`".into(),
        ));
    }
    let input = op.input.as_deref().and_then(|id| model.shape(id));
    // The values of the enum an input member names (empty for a string), or the error saying
    // why it cannot be used.
    let member_values = |key: &str, name: &str| -> Result<Vec<String>, Error> {
        let member = input
            .and_then(|s| s.members.iter().find(|m| m.name == name))
            .ok_or_else(|| bad(format!("`{key}` names `{name}`, which is not a member of the operation's input")))?;
        let target = model.shape(&member.target);
        match target.map(|t| t.kind) {
            Some(ShapeKind::Enum) => Ok(target
                .map(|t| {
                    t.members
                        .iter()
                        .map(|m| m.traits.get(traits::ENUM_VALUE).and_then(Value::as_str).unwrap_or(&m.name).to_owned())
                        .collect()
                })
                .unwrap_or_default()),
            Some(ShapeKind::String) => Ok(Vec::new()),
            _ => Err(bad(format!("`{key}` names `{name}`, which must target a string or an enum"))),
        }
    };
    let request_algorithms = match &request_algorithm_member {
        Some(name) => member_values("requestAlgorithmMember", name)?,
        None => Vec::new(),
    };
    if let Some(name) = &validation_mode_member {
        member_values("requestValidationModeMember", name)?;
    }
    Ok(Some(ir::HttpChecksum {
        request_required,
        request_algorithm_member,
        request_algorithms,
        validation_mode_member,
        response_algorithms,
    }))
}

/// An `@xmlNamespace` trait's URI and prefix.
fn xml_namespace(traits: &crate::model::Traits) -> Option<ir::XmlNamespace> {
    let ns = traits.get(traits::XML_NAMESPACE)?;
    Some(ir::XmlNamespace {
        uri: ns.get("uri")?.as_str()?.to_owned(),
        prefix: ns.get("prefix").and_then(Value::as_str).map(str::to_owned),
    })
}

/// An `@http` URI pattern: its path as literal text and labels, and its literal query.
fn parse_uri(uri: &str) -> (Vec<ir::UriPart>, Vec<(String, Option<String>)>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest.get(open..).and_then(|r| r.find('}')).map(|c| open + c) else { break };
        if open > 0 {
            parts.push(ir::UriPart::Literal(rest.get(..open).unwrap_or_default().to_owned()));
        }
        let label = rest.get(open + 1..close).unwrap_or_default();
        let (member, greedy) = match label.strip_suffix('+') {
            Some(member) => (member, true),
            None => (label, false),
        };
        parts.push(ir::UriPart::Label { member: member.to_owned(), greedy });
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        parts.push(ir::UriPart::Literal(rest.to_owned()));
    }
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (p.to_owned(), None),
        })
        .collect();
    (parts, query)
}

/// Operation outputs and error structures of the closure.
fn response_structures(model: &Model, service: &Shape, closure: &Closure) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = service.errors.iter().cloned().collect();
    for op in closure.operations.iter().filter_map(|id| model.shape(id)) {
        out.extend(op.output.iter().chain(op.errors.iter()).cloned());
    }
    out
}

/// The HTTP binding of a member, by its traits: headers and payloads bind members of inputs
/// and responses, labels and query parameters those of inputs, the status code those of
/// responses. Any other member (and one whose binding does not apply where its structure is
/// used) is in the body.
fn binding_of(m: &Member, input: bool, response: bool) -> ir::Binding {
    let text = |id: &str| m.traits.get(id).and_then(Value::as_str).map(str::to_owned);
    let top_level = input || response;
    if let Some(name) = text(traits::HTTP_HEADER).filter(|_| top_level) {
        ir::Binding::Header(name)
    } else if let Some(prefix) = text(traits::HTTP_PREFIX_HEADERS).filter(|_| top_level) {
        ir::Binding::PrefixHeaders(prefix)
    } else if top_level && m.has_trait(traits::HTTP_PAYLOAD) {
        ir::Binding::Payload
    } else if response && m.has_trait(traits::HTTP_RESPONSE_CODE) {
        ir::Binding::ResponseCode
    } else if input && m.has_trait(traits::HTTP_LABEL) {
        ir::Binding::Label
    } else if let Some(name) = text(traits::HTTP_QUERY).filter(|_| input) {
        ir::Binding::Query(name)
    } else if input && m.has_trait(traits::HTTP_QUERY_PARAMS) {
        ir::Binding::QueryParams
    } else {
        ir::Binding::Body
    }
}

fn xml_name_trait(m: &Member) -> Option<&str> {
    m.traits.get(traits::XML_NAME).and_then(Value::as_str)
}

fn query_error_code(shape: &Shape) -> Option<&str> {
    shape.traits.get(traits::AWS_QUERY_ERROR)?.get("code")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Edges = BTreeMap<&'static str, Vec<(&'static str, &'static str)>>;

    /// The definition [`break_cycles`] must agree with: search afresh for a cycle, remove its
    /// smallest edge, repeat.
    fn break_cycles_by_restarting(mut edges: Edges) -> BTreeSet<(String, String)> {
        fn find_cycle(edges: &Edges) -> Option<Vec<(&'static str, &'static str)>> {
            let mut done = BTreeSet::new();
            for &start in edges.keys() {
                if done.contains(start) {
                    continue;
                }
                let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
                let mut path: Vec<(&str, &str)> = Vec::new();
                while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                    let out = edges.get(node).map_or(&[][..], Vec::as_slice);
                    if let Some(&(member, target)) = out.get(*next) {
                        *next += 1;
                        if let Some(begin) = stack.iter().position(|(n, _)| *n == target) {
                            path.push((node, member));
                            return Some(path[begin..].to_vec());
                        }
                        if !done.contains(target) {
                            path.push((node, member));
                            stack.push((target, 0));
                        }
                    } else {
                        done.insert(node);
                        stack.pop();
                        path.pop();
                    }
                }
            }
            None
        }
        let mut removed = BTreeSet::new();
        while let Some(cycle) = find_cycle(&edges) {
            let &(from, member) = cycle.iter().min().expect("a cycle has edges");
            removed.insert((from.to_owned(), member.to_owned()));
            edges.get_mut(from).expect("an edge's shape").retain(|(m, _)| *m != member);
        }
        removed
    }

    fn lower_json(model: serde_json::Value) -> ir::Crate {
        let bytes = serde_json::to_vec(&model).unwrap_or_default();
        let model = crate::load("test.json", &bytes).unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings { version: None, crate_name: None, runtime_path: "rt".into(), standalone: true, service: None, partitions: None };
        crate::validate::validate(&model, &settings).unwrap_or_else(|e| panic!("{e}"));
        lower(&model, &settings).unwrap_or_else(|e| panic!("{e}"))
    }

    fn field<'a>(krate: &'a ir::Crate, ty: &str, member: &str) -> &'a ir::Field {
        let def = krate.types.iter().find(|t| t.rust_name == ty).unwrap_or_else(|| panic!("no type {ty}"));
        let ir::TypeKind::Struct(s) = &def.kind else { panic!("{ty} is not a struct") };
        s.fields.iter().find(|f| f.member_name == member).unwrap_or_else(|| panic!("no member {member}"))
    }

    /// `@ec2QueryName` names the key of an input member in ec2Query requests; XML bodies (the
    /// responses) use `@xmlName` or the member name, in every protocol.
    #[test]
    fn ec2_query_name_applies_to_query_keys_only() {
        let krate = lower_json(serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "t#S": { "type": "service", "version": "1", "operations": [{ "target": "t#Op" }],
                         "traits": { "aws.protocols#ec2Query": {} } },
                "t#Op": { "type": "operation", "input": { "target": "t#In" }, "output": { "target": "t#Out" } },
                "t#In": { "type": "structure", "members": {
                    "named": { "target": "smithy.api#String", "traits": { "aws.protocols#ec2QueryName": "Renamed" } },
                    "xml": { "target": "smithy.api#String", "traits": { "smithy.api#xmlName": "xmlKey" } },
                    "plain": { "target": "smithy.api#String" } } },
                "t#Out": { "type": "structure", "members": {
                    "ignored": { "target": "smithy.api#String", "traits": { "aws.protocols#ec2QueryName": "IgnoreMe" } } } }
            }
        }));
        let named = field(&krate, "In", "named");
        assert_eq!((named.query_key.as_str(), named.xml_name.as_str()), ("Renamed", "named"));
        let xml = field(&krate, "In", "xml");
        assert_eq!((xml.query_key.as_str(), xml.xml_name.as_str()), ("XmlKey", "xmlKey"));
        assert_eq!(field(&krate, "In", "plain").query_key, "Plain");
        let ignored = field(&krate, "Out", "ignored");
        assert_eq!(ignored.xml_name, "ignored");
    }

    const NODES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];
    const MEMBERS: [&str; 4] = ["m0", "m1", "m2", "m3"];

    fn graph() -> impl Strategy<Value = Edges> {
        prop::collection::btree_map(
            prop::sample::select(&NODES[..]),
            prop::collection::vec(prop::sample::select(&NODES[..]), 0..4),
            0..7,
        )
        .prop_map(|map| {
            map.into_iter()
                .map(|(node, targets)| (node, targets.into_iter().zip(MEMBERS).map(|(t, m)| (m, t)).collect()))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn one_search_breaks_the_cycles_a_restarted_search_breaks(edges in graph()) {
            prop_assert_eq!(break_cycles(edges.clone()), break_cycles_by_restarting(edges));
        }
    }

    #[test]
    fn many_cycles_are_broken_in_linear_time() {
        // A ring of 20,000 shapes, each also holding itself: 20,001 cycles (restarting the
        // search for each took minutes).
        let n = 20_000;
        let names: Vec<&'static str> = (0..n).map(|i| &*format!("s{i:06}").leak()).collect();
        let edges: Edges = (0..n).map(|i| (names[i], vec![("me", names[i]), ("next", names[(i + 1) % n])])).collect();
        let start = std::time::Instant::now();
        let removed = break_cycles(edges);
        assert_eq!(removed.len(), n + 1);
        assert!(removed.contains(&("s000000".to_owned(), "next".to_owned())));
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }
}
