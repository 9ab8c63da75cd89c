//! botocore's service models (the JSON that botocore, the AWS SDK for Python, ships for every
//! AWS service) to a Smithy 2.0 JSON AST, which the JSON AST reader (`load::json`) then reads like any other.
//!
//! A botocore service folder holds `service-2.json` (metadata, operations, shapes),
//! `endpoint-rule-set-1.json` (the endpoint rules, in the rules language of
//! `smithy.rules#endpointRuleSet`), `paginators-1.json` and `waiters-2.json`. botocore's models
//! are generated from the Smithy models, so each botocore key has a Smithy trait or property it
//! came from; [`import`] maps each back. What botocore does not carry cannot come back:
//! `@default` values (every botocore member is optional unless `required`), the Smithy names
//! of prelude targets (`String` is a shape of the service's namespace), the service shape's
//! name outside the JSON protocols (given by the caller, else derived), `@endpointTests`.
//!
//! Keys this importer does not know are listed in [`Imported::unknown`], never silently
//! dropped; keys it knows but that have no Smithy meaning for a client (`uid`, `box`,
//! `xmlOrder`, ...) are skipped. A value that would change the wire format if misread (an
//! unknown protocol, `location`, shape type or timestamp format) is an error naming the file,
//! the shape and the member.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::Error;

/// The files of one botocore service folder, each as its name (for errors) and bytes
/// (decompressed: the wheel holds `service-2.json.gz` and `endpoint-rule-set-1.json.gz`).
#[derive(Debug, Clone, Copy)]
pub struct BotocoreFiles<'a> {
    pub service: (&'a str, &'a [u8]),
    pub rules: Option<(&'a str, &'a [u8])>,
    pub paginators: Option<(&'a str, &'a [u8])>,
    pub waiters: Option<(&'a str, &'a [u8])>,
}

/// The result of [`import`].
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model as a Smithy 2.0 JSON AST.
    pub ast: Value,
    /// The service's absolute shape ID.
    pub service: String,
    /// Keys of the botocore files that were not mapped, each with where it stood first and how
    /// often it stood anywhere, e.g. `shapes.X.foo (3 times)`; sorted.
    pub unknown: Vec<String>,
}

/// Keys every object kind may hold without a Smithy meaning for a client, and why.
const SKIPPED_METADATA: &[&str] = &[
    "apiVersion",          // the service shape's `version`
    "uid",                 // botocore's own identifier of the model
    "serviceAbbreviation", // a short title for botocore's docs
    "globalEndpoint",      // the endpoint rules say it
    "protocolSettings", // HTTP/2 preference (the protocol trait's `http`), not read by the generator
    "ripServiceName",   // an internal name
    "checksumFormat",   // Glacier's tree hash, a customization of the generator
    "jsonVersion",      // read with `protocol`
    "targetPrefix",     // read for the service name
    "protocol",
    "protocols",
    "signatureVersion",
    "signingName",
    "auth",
    "endpointPrefix",
    "serviceId",
    "serviceFullName",
    "xmlNamespace",
    "awsQueryCompatible",
];

/// Converts one botocore service to a Smithy JSON AST. `service_id` names the service shape
/// (`com.amazonaws.sts#AWSSecurityTokenServiceV20110615`); without it the namespace is
/// `com.amazonaws.` and the `serviceId` lowercased without spaces or dashes (Smithy's own
/// convention), and the name is the JSON protocols' `targetPrefix`, else the `serviceId`'s
/// letters and digits.
pub fn import(files: &BotocoreFiles<'_>, service_id: Option<&str>) -> Result<Imported, Error> {
    let (file, bytes) = files.service;
    let root = parse_json(file, bytes)?;
    let root = root
        .as_object()
        .ok_or_else(|| Error::new(file, "expected a JSON object (a botocore service-2.json)"))?;
    let mut importer = Importer {
        file,
        unknown: BTreeMap::new(),
        shapes: Map::new(),
        ns: String::new(),
        protocol: Protocol::Json,
        renamed: BTreeMap::new(),
        xml_namespace: None,
    };
    importer.run(root, files, service_id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Json,
    RestJson,
    RestXml,
    Query,
    Ec2,
    Cbor,
}

impl Protocol {
    fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson | Protocol::RestXml)
    }
    fn is_xml(self) -> bool {
        matches!(self, Protocol::RestXml | Protocol::Query | Protocol::Ec2)
    }
}

struct Importer<'a> {
    file: &'a str,
    unknown: BTreeMap<String, (String, usize)>,
    shapes: Map<String, Value>,
    ns: String,
    protocol: Protocol,
    /// Shapes renamed because Smithy shape IDs must be unique ignoring case, and botocore's
    /// need not be (STS has `JWTPayloadSizeExceededException` and the string
    /// `jwtPayloadSizeExceededException`): the simple shape of such a pair gets `_` appended.
    renamed: BTreeMap<String, String>,
    /// The service's XML namespace: a member's or input's equal to it says nothing more.
    xml_namespace: Option<Value>,
}

fn parse_json(file: &str, bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(
            file,
            format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    serde_json::from_str(text).map_err(|e| Error::new(file, format!("invalid JSON: {e}")))
}

fn obj(value: &Value, what: impl FnOnce() -> Error) -> Result<&Map<String, Value>, Error> {
    value.as_object().ok_or_else(what)
}

fn doc(traits: &mut Map<String, Value>, value: Option<&Value>) {
    if let Some(Value::String(text)) = value {
        traits.insert(
            "smithy.api#documentation".into(),
            Value::String(text.clone()),
        );
    }
}

fn deprecated(traits: &mut Map<String, Value>, o: &Map<String, Value>) {
    if o.get("deprecated").and_then(Value::as_bool) == Some(true) {
        let mut value = Map::new();
        if let Some(Value::String(m)) = o.get("deprecatedMessage") {
            value.insert("message".into(), Value::String(m.clone()));
        }
        if let Some(Value::String(s)) = o.get("deprecatedSince") {
            value.insert("since".into(), Value::String(s.clone()));
        }
        traits.insert("smithy.api#deprecated".into(), Value::Object(value));
    }
}

fn flag(o: &Map<String, Value>, key: &str) -> bool {
    o.get(key).and_then(Value::as_bool) == Some(true)
}

/// `min`/`max` as a `@length` or `@range` value.
fn bounds(o: &Map<String, Value>) -> Option<Value> {
    let mut value = Map::new();
    for key in ["min", "max"] {
        if let Some(n) = o.get(key).filter(|n| n.is_number()) {
            value.insert(key.into(), n.clone());
        }
    }
    (!value.is_empty()).then_some(Value::Object(value))
}

impl Importer<'_> {
    fn error(&self, shape: &str, message: impl Into<String>) -> Error {
        Error::new(self.file, message).shape(shape)
    }

    /// Records the keys of `o` outside `known`, at `at`.
    fn note_unknown(&mut self, o: &Map<String, Value>, known: &[&str], at: &str) {
        for key in o.keys().filter(|k| !known.contains(&k.as_str())) {
            let entry = self
                .unknown
                .entry(key.clone())
                .or_insert_with(|| (format!("{at}.{key}"), 0));
            entry.1 += 1;
        }
    }

    fn id(&self, name: &str) -> String {
        let name = self.renamed.get(name).map_or(name, String::as_str);
        format!("{}#{name}", self.ns)
    }

    /// Fills [`Importer::renamed`]: of shapes (and operations) whose names are equal ignoring
    /// case, operations and aggregate shapes keep theirs, simple shapes get `_` appended until
    /// the name is unique.
    fn rename_clashes(&mut self, shapes: &Map<String, Value>, operations: &Map<String, Value>) {
        let simple = |name: &str| {
            shapes
                .get(name)
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .is_some_and(|t| !matches!(t, "structure" | "list" | "map"))
                && !operations.contains_key(name)
        };
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let mut names: Vec<&String> = operations
            .keys()
            .chain(shapes.keys().filter(|n| !operations.contains_key(*n)))
            .collect();
        // Aggregates and operations first, so that they keep their names.
        names.sort_by_key(|n| (simple(n), n.to_string()));
        for name in names {
            let mut new = name.clone();
            while taken.contains(&new.to_ascii_lowercase()) {
                new.push('_');
            }
            taken.insert(new.to_ascii_lowercase());
            if new != *name {
                self.note_unknown(
                    &Map::from_iter([(
                        format!("renamed {name} to {new} (a shape ID unique only by case)"),
                        Value::Null,
                    )]),
                    &[],
                    "shapes",
                );
                self.renamed.insert(name.clone(), new);
            }
        }
    }

    fn run(
        &mut self,
        root: &Map<String, Value>,
        files: &BotocoreFiles<'_>,
        service_id: Option<&str>,
    ) -> Result<Imported, Error> {
        self.note_unknown(
            root,
            &[
                "version",
                "metadata",
                "operations",
                "shapes",
                "documentation",
                "examples",
                "clientContextParams",
                "deprecated",
                "deprecatedMessage",
            ],
            "",
        );
        let metadata = obj(root.get("metadata").unwrap_or(&Value::Null), || {
            Error::new(self.file, "missing the `metadata` object")
        })?;
        self.note_unknown(metadata, SKIPPED_METADATA, "metadata");
        let text = |key: &str| metadata.get(key).and_then(Value::as_str);
        let sdk_id = text("serviceId")
            .ok_or_else(|| Error::new(self.file, "metadata has no `serviceId`"))?;
        let endpoint_prefix = text("endpointPrefix");

        // Protocols: `protocols` in botocore's order of preference, else `protocol`.
        let names: Vec<String> = match metadata.get("protocols").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => text("protocol").map(str::to_owned).into_iter().collect(),
        };
        let first = names
            .first()
            .ok_or_else(|| Error::new(self.file, "metadata names no `protocol`"))?;
        let mut service_traits = Map::new();
        let mut protocols = Vec::new();
        for name in &names {
            let (protocol, trait_id) = match name.as_str() {
                "json" => match text("jsonVersion").unwrap_or("1.0") {
                    "1.0" => (Protocol::Json, "aws.protocols#awsJson1_0"),
                    "1.1" => (Protocol::Json, "aws.protocols#awsJson1_1"),
                    other => {
                        return Err(Error::new(
                            self.file,
                            format!(
                                "metadata: unknown `jsonVersion` `{other}` (expected 1.0 or 1.1)"
                            ),
                        ))
                    }
                },
                "rest-json" => (Protocol::RestJson, "aws.protocols#restJson1"),
                "rest-xml" => (Protocol::RestXml, "aws.protocols#restXml"),
                "query" => (Protocol::Query, "aws.protocols#awsQuery"),
                "ec2" => (Protocol::Ec2, "aws.protocols#ec2Query"),
                "smithy-rpc-v2-cbor" => (Protocol::Cbor, "smithy.protocols#rpcv2Cbor"),
                other => {
                    return Err(Error::new(
                        self.file,
                        format!("metadata: unknown protocol `{other}`"),
                    ))
                }
            };
            let mut value = Map::new();
            // botocore reads S3's errors without the `<ErrorResponse>` wrapper by a
            // customization of its own; the Smithy model says it with `noErrorWrapping`.
            if protocol == Protocol::RestXml && sdk_id == "S3" {
                value.insert("noErrorWrapping".into(), Value::Bool(true));
            }
            service_traits.insert(trait_id.into(), Value::Object(value));
            protocols.push(protocol);
        }
        self.protocol = protocols.first().copied().unwrap_or(Protocol::Json);
        if metadata.contains_key("awsQueryCompatible") {
            service_traits.insert("aws.protocols#awsQueryCompatible".into(), json!({}));
        }
        let query_codes = protocols
            .iter()
            .any(|p| matches!(p, Protocol::Query | Protocol::Ec2))
            || metadata.contains_key("awsQueryCompatible");

        // The service shape ID.
        let (ns, name) = match service_id {
            Some(id) => {
                let (ns, name) = id
                    .split_once('#')
                    .filter(|_| super::is_shape_id(id))
                    .ok_or_else(|| {
                        Error::new(
                            self.file,
                            format!("`{id}` is not an absolute shape ID (namespace#Name)"),
                        )
                    })?;
                (ns.to_owned(), name.to_owned())
            }
            None => {
                let ns: String = sdk_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let prefix =
                    text("targetPrefix").filter(|p| first == "json" && super::is_identifier(p));
                let name = prefix.map_or_else(
                    || {
                        sdk_id
                            .chars()
                            .filter(|c| c.is_ascii_alphanumeric())
                            .collect()
                    },
                    str::to_owned,
                );
                (format!("com.amazonaws.{ns}"), name)
            }
        };
        if !super::is_shape_id(&format!("{ns}#{name}")) {
            return Err(Error::new(
                self.file,
                format!("cannot derive a service shape ID from serviceId `{sdk_id}`; give one"),
            ));
        }
        self.ns = ns;
        let service = self.id(&name);

        let mut api = Map::new();
        api.insert("sdkId".into(), Value::String(sdk_id.to_owned()));
        if let Some(prefix) = endpoint_prefix {
            api.insert("endpointPrefix".into(), Value::String(prefix.to_owned()));
        }
        service_traits.insert("aws.api#service".into(), Value::Object(api));

        // Auth: `auth` (the effective schemes, in order), else `signatureVersion`.
        let signing_name = text("signingName")
            .or(endpoint_prefix)
            .unwrap_or(sdk_id)
            .to_owned();
        let schemes: Vec<String> = match metadata.get("auth").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => match text("signatureVersion") {
                Some("v4" | "s3" | "s3v4") => vec!["aws.auth#sigv4".into()],
                Some("v4a") => vec!["aws.auth#sigv4a".into()],
                Some("bearer") => vec!["smithy.api#httpBearerAuth".into()],
                Some(other) => {
                    self.note_unknown(
                        &Map::from_iter([(format!("signatureVersion={other}"), Value::Null)]),
                        &[],
                        "metadata",
                    );
                    Vec::new()
                }
                None => Vec::new(),
            },
        };
        for scheme in &schemes {
            let value = match scheme.as_str() {
                "aws.auth#sigv4" | "aws.auth#sigv4a" => json!({ "name": signing_name }),
                "smithy.api#httpBearerAuth"
                | "smithy.api#httpBasicAuth"
                | "smithy.api#httpDigestAuth" => json!({}),
                other => {
                    return Err(Error::new(
                        self.file,
                        format!("metadata: unknown auth scheme `{other}`"),
                    ))
                }
            };
            service_traits.insert(scheme.clone(), value);
        }
        if schemes.len() > 1 {
            // Smithy's default order is the traits' shape IDs sorted; botocore lists the
            // effective order, which `@auth` keeps.
            service_traits.insert("smithy.api#auth".into(), json!(schemes));
        }
        // The service's XML namespace: botocore's metadata, else (S3) the one every operation
        // input of a rest-xml service names.
        let ops_ns: BTreeSet<String> = root
            .get("operations")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|ops| ops.values())
            .filter_map(|op| {
                op.get("input")?
                    .get("xmlNamespace")?
                    .get("uri")?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        let uri = metadata
            .get("xmlNamespace")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                (self.protocol == Protocol::RestXml && ops_ns.len() == 1)
                    .then(|| ops_ns.iter().next().cloned())
                    .flatten()
            });
        if let Some(uri) = uri {
            self.xml_namespace = Some(json!({ "uri": uri }));
            service_traits.insert("smithy.api#xmlNamespace".into(), json!({ "uri": uri }));
        }
        if let Some(title) = text("serviceFullName") {
            service_traits.insert("smithy.api#title".into(), Value::String(title.to_owned()));
        }
        doc(&mut service_traits, root.get("documentation"));
        if let Some(params) = root.get("clientContextParams") {
            service_traits.insert("smithy.rules#clientContextParams".into(), params.clone());
        }
        if let Some((rules_file, bytes)) = files.rules {
            let rules = parse_json(rules_file, bytes)?;
            if !rules.is_object() {
                return Err(Error::new(
                    rules_file,
                    "expected a JSON object (an endpoint rule set)",
                ));
            }
            service_traits.insert("smithy.rules#endpointRuleSet".into(), rules);
        }

        // Shapes first: operations refer to them, and members' `location` needs each target.
        let shapes = obj(root.get("shapes").unwrap_or(&Value::Null), || {
            Error::new(self.file, "missing the `shapes` object")
        })?;
        let operations = obj(root.get("operations").unwrap_or(&Value::Null), || {
            Error::new(self.file, "missing the `operations` object")
        })?;
        self.rename_clashes(shapes, operations);
        let io = io_uses(operations);
        let flattened: BTreeSet<&str> = shapes
            .iter()
            .filter(|(_, s)| s.get("flattened").and_then(Value::as_bool) == Some(true))
            .map(|(n, _)| n.as_str())
            .collect();
        let mut payloads: BTreeMap<String, (String, Option<String>, Option<Value>)> =
            BTreeMap::new();
        for (name, op) in operations {
            if let Some(input) = op.get("input").and_then(Value::as_object) {
                if let Some(Value::String(shape)) = input.get("shape") {
                    let loc = input
                        .get("locationName")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    payloads.insert(
                        shape.clone(),
                        (name.clone(), loc, input.get("xmlNamespace").cloned()),
                    );
                }
            }
        }
        let mut extra: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for (name, shape) in shapes {
            self.shape(
                name,
                shape,
                shapes,
                &flattened,
                &io,
                query_codes,
                &mut extra,
            )?;
        }
        for (name, traits) in extra {
            if let Some(Value::Object(shape)) = self.shapes.get_mut(&self.id(&name)) {
                let entry = shape.entry("traits").or_insert_with(|| json!({}));
                if let Value::Object(t) = entry {
                    t.extend(traits);
                }
            }
        }
        // A rest-xml input whose root element botocore names on the operation's input.
        for (shape, (_, loc, ns)) in &payloads {
            let id = self.id(shape);
            if let Some(Value::Object(s)) = self.shapes.get_mut(&id) {
                if let Value::Object(t) = s.entry("traits").or_insert_with(|| json!({})) {
                    if let Some(loc) = loc.as_ref().filter(|l| *l != shape) {
                        t.insert("smithy.api#xmlName".into(), Value::String(loc.clone()));
                    }
                    if let Some(ns) = ns
                        .as_ref()
                        .filter(|ns| Some(*ns) != self.xml_namespace.as_ref())
                    {
                        t.insert("smithy.api#xmlNamespace".into(), ns.clone());
                    }
                }
            }
        }

        let paginators = match files.paginators {
            Some((f, b)) => self.paginators(f, b)?,
            None => BTreeMap::new(),
        };
        let waiters = match files.waiters {
            Some((f, b)) => self.waiters(f, b)?,
            None => BTreeMap::new(),
        };
        let mut operation_ids = Vec::new();
        for (name, op) in operations {
            let id = self.id(name);
            let value =
                self.operation(name, op, shapes, paginators.get(name), waiters.get(name))?;
            if self.shapes.contains_key(&id) {
                return Err(self.error(&id, "an operation has the name of a shape"));
            }
            self.shapes.insert(id.clone(), value);
            operation_ids.push(json!({ "target": id }));
        }
        let version = text("apiVersion").unwrap_or_default();
        self.shapes.insert(
            service.clone(),
            json!({ "type": "service", "version": version, "operations": operation_ids, "traits": service_traits }),
        );
        let unknown = self
            .unknown
            .values()
            .map(|(at, n)| {
                if *n == 1 {
                    at.clone()
                } else {
                    format!("{at} ({n} times)")
                }
            })
            .collect();
        let shapes = std::mem::take(&mut self.shapes);
        Ok(Imported {
            ast: json!({ "smithy": "2.0", "shapes": shapes }),
            service,
            unknown,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn shape(
        &mut self,
        name: &str,
        value: &Value,
        shapes: &Map<String, Value>,
        flattened: &BTreeSet<&str>,
        io: &BTreeMap<String, (usize, usize)>,
        query_codes: bool,
        extra: &mut BTreeMap<String, Map<String, Value>>,
    ) -> Result<(), Error> {
        let id = self.id(name);
        if !super::is_identifier(name) {
            return Err(self.error(&id, "the shape name is not a Smithy identifier"));
        }
        let s = obj(value, || self.error(&id, "a shape must be a JSON object"))?;
        let kind = s
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(&id, "the shape has no `type`"))?;
        let mut traits = Map::new();
        doc(&mut traits, s.get("documentation"));
        deprecated(&mut traits, s);
        if flag(s, "sensitive") {
            traits.insert("smithy.api#sensitive".into(), json!({}));
        }
        let common = [
            "type",
            "documentation",
            "deprecated",
            "deprecatedMessage",
            "deprecatedSince",
            "sensitive",
            "box",
        ];
        let mut out = Map::new();
        let smithy_kind = match kind {
            "structure" => {
                let known = [
                    "members",
                    "required",
                    "exception",
                    "error",
                    "fault",
                    "retryable",
                    "payload",
                    "union",
                    "document",
                    "event",
                    "eventstream",
                    "wrapper",
                    "synthetic",
                    "xmlOrder",
                    "locationName",
                    "xmlNamespace",
                ];
                self.note_unknown(
                    s,
                    &[&common[..], &known[..]].concat(),
                    &format!("shapes.{name}"),
                );
                if flag(s, "document") {
                    "document"
                } else {
                    let required: BTreeSet<&str> = s
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let payload = s.get("payload").and_then(Value::as_str);
                    let mut members = Map::new();
                    if let Some(list) = s.get("members") {
                        let list = obj(list, || self.error(&id, "`members` must be an object"))?;
                        for (member, m) in list {
                            let target = self.member_target(&id, member, m)?;
                            let mut t =
                                self.member_traits(&id, member, m, shapes, flattened, extra)?;
                            if required.contains(member.as_str()) {
                                t.insert("smithy.api#required".into(), json!({}));
                            }
                            if payload == Some(member) && self.protocol.is_rest() {
                                t.insert("smithy.api#httpPayload".into(), json!({}));
                                // A payload's element is named by the member's `xmlName`, else by
                                // its target: botocore's `locationName` counts even when it is the
                                // member's name.
                                let target = m.get("shape").and_then(Value::as_str);
                                if let (Some(Value::String(loc)), true) = (
                                    m.get("locationName"),
                                    self.protocol.is_xml()
                                        && target != m.get("locationName").and_then(Value::as_str),
                                ) {
                                    t.insert(
                                        "smithy.api#xmlName".into(),
                                        Value::String(loc.clone()),
                                    );
                                }
                            }
                            members.insert(
                                member.clone(),
                                json!({ "target": self.id(&target), "traits": t }),
                            );
                        }
                    }
                    if let Some(p) = payload.filter(|p| !members.contains_key(*p)) {
                        return Err(self
                            .error(&id, format!("`payload` names `{p}`, which is not a member")));
                    }
                    out.insert("members".into(), Value::Object(members));
                    if flag(s, "exception") || s.contains_key("error") {
                        // `fault` says server, and so does a 5xx status (botocore marks some
                        // query errors of status 500 `senderFault`; their Smithy models say server).
                        let error = s.get("error").and_then(Value::as_object);
                        let status_5xx = error
                            .and_then(|e| e.get("httpStatusCode"))
                            .and_then(Value::as_u64)
                            .is_some_and(|c| c >= 500);
                        let fault = flag(s, "fault") || status_5xx;
                        traits.insert(
                            "smithy.api#error".into(),
                            Value::String(if fault { "server" } else { "client" }.into()),
                        );
                        if let Some(error) = s.get("error").and_then(Value::as_object) {
                            let status = error.get("httpStatusCode").filter(|v| v.is_u64());
                            if let Some(status) = status {
                                traits.insert("smithy.api#httpError".into(), status.clone());
                            }
                            if let (Some(Value::String(code)), true) =
                                (error.get("code"), query_codes)
                            {
                                let mut q = Map::new();
                                q.insert("code".into(), Value::String(code.clone()));
                                q.insert(
                                    "httpResponseCode".into(),
                                    status
                                        .cloned()
                                        .unwrap_or(json!(if fault { 500 } else { 400 })),
                                );
                                traits
                                    .insert("aws.protocols#awsQueryError".into(), Value::Object(q));
                            }
                        }
                    }
                    if let Some(Value::Object(r)) = s.get("retryable") {
                        let mut v = Map::new();
                        if let Some(t) = r.get("throttling").filter(|t| t.as_bool() == Some(true)) {
                            v.insert("throttling".into(), t.clone());
                        }
                        traits.insert("smithy.api#retryable".into(), Value::Object(v));
                    }
                    if let Some(Value::String(loc)) = s.get("locationName") {
                        if loc != name {
                            traits.insert("smithy.api#xmlName".into(), Value::String(loc.clone()));
                        }
                    }
                    if let Some(ns) = s.get("xmlNamespace").filter(|v| v.is_object()) {
                        traits.insert("smithy.api#xmlNamespace".into(), ns.clone());
                    }
                    if let Some((inputs, outputs)) = io.get(name) {
                        // Smithy's `@input`/`@output`: a structure used by one operation only, as
                        // its input (or output), and by no member.
                        let referenced = shapes.values().any(|other| refers_to(other, name));
                        if !referenced && inputs + outputs == 1 {
                            let t = if *inputs == 1 {
                                "smithy.api#input"
                            } else {
                                "smithy.api#output"
                            };
                            traits.insert(t.into(), json!({}));
                        }
                    }
                    if flag(s, "eventstream") {
                        traits.insert("smithy.api#streaming".into(), json!({}));
                        "union"
                    } else if flag(s, "union") {
                        "union"
                    } else {
                        "structure"
                    }
                }
            }
            "list" | "map" => {
                let parts: &[&str] = if kind == "list" {
                    &["member"]
                } else {
                    &["key", "value"]
                };
                let known = [
                    "member",
                    "key",
                    "value",
                    "min",
                    "max",
                    "flattened",
                    "sparse",
                    "locationName",
                ];
                self.note_unknown(
                    s,
                    &[&common[..], &known[..]].concat(),
                    &format!("shapes.{name}"),
                );
                for part in parts {
                    let m = s.get(*part).ok_or_else(|| {
                        self.error(&id, format!("a {kind} shape must have a `{part}`"))
                    })?;
                    let mo = obj(m, || {
                        self.error(&id, format!("`{part}` must be an object"))
                            .member(*part)
                    })?;
                    self.note_unknown(
                        mo,
                        &["shape", "locationName", "documentation", "jsonvalue"],
                        &format!("shapes.{name}.{part}"),
                    );
                    let target = self.member_target(&id, part, m)?;
                    let mut t = Map::new();
                    let default_name = if *part == "member" { "member" } else { part };
                    let loc = mo.get("locationName").or(if *part == "member" {
                        s.get("locationName")
                    } else {
                        None
                    });
                    if let Some(Value::String(loc)) = loc {
                        if loc != default_name && self.protocol.is_xml() {
                            t.insert("smithy.api#xmlName".into(), Value::String(loc.clone()));
                        }
                    }
                    doc(&mut t, mo.get("documentation"));
                    out.insert(
                        (*part).into(),
                        json!({ "target": self.id(&target), "traits": t }),
                    );
                }
                if let Some(b) = bounds(s) {
                    traits.insert("smithy.api#length".into(), b);
                }
                if flag(s, "sparse") {
                    traits.insert("smithy.api#sparse".into(), json!({}));
                }
                kind
            }
            "string" => {
                self.note_unknown(
                    s,
                    &[&common[..], &["enum", "min", "max", "pattern"][..]].concat(),
                    &format!("shapes.{name}"),
                );
                if let Some(values) = s.get("enum").and_then(Value::as_array) {
                    let defs: Vec<Value> = values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|v| json!({ "value": v }))
                        .collect();
                    if defs.len() != values.len() {
                        return Err(self.error(&id, "`enum` must be a list of strings"));
                    }
                    traits.insert("smithy.api#enum".into(), Value::Array(defs));
                }
                if let Some(b) = bounds(s) {
                    traits.insert("smithy.api#length".into(), b);
                }
                if let Some(Value::String(p)) = s.get("pattern") {
                    traits.insert("smithy.api#pattern".into(), Value::String(p.clone()));
                }
                "string"
            }
            "integer" | "long" | "float" | "double" | "boolean" => {
                self.note_unknown(
                    s,
                    &[&common[..], &["min", "max"][..]].concat(),
                    &format!("shapes.{name}"),
                );
                if let Some(b) = bounds(s).filter(|_| kind != "boolean") {
                    traits.insert("smithy.api#range".into(), b);
                }
                kind
            }
            "blob" => {
                self.note_unknown(
                    s,
                    &[
                        &common[..],
                        &["min", "max", "streaming", "requiresLength"][..],
                    ]
                    .concat(),
                    &format!("shapes.{name}"),
                );
                if let Some(b) = bounds(s) {
                    traits.insert("smithy.api#length".into(), b);
                }
                if flag(s, "streaming") {
                    traits.insert("smithy.api#streaming".into(), json!({}));
                }
                if flag(s, "requiresLength") {
                    traits.insert("smithy.api#requiresLength".into(), json!({}));
                }
                "blob"
            }
            "timestamp" => {
                self.note_unknown(
                    s,
                    &[&common[..], &["timestampFormat"][..]].concat(),
                    &format!("shapes.{name}"),
                );
                if let Some(format) = s.get("timestampFormat") {
                    traits.insert(
                        "smithy.api#timestampFormat".into(),
                        Value::String(self.timestamp_format(&id, None, format)?.into()),
                    );
                }
                "timestamp"
            }
            other => return Err(self.error(&id, format!("unknown shape type `{other}`"))),
        };
        out.insert("type".into(), Value::String(smithy_kind.into()));
        if smithy_kind == "union" {
            // A union's members are never `@required`.
            if let Some(Value::Object(members)) = out.get_mut("members") {
                for m in members.values_mut() {
                    if let Some(Value::Object(t)) = m.get_mut("traits") {
                        t.remove("smithy.api#required");
                    }
                }
            }
        }
        out.insert("traits".into(), Value::Object(traits));
        self.shapes.insert(id, Value::Object(out));
        Ok(())
    }

    fn timestamp_format(
        &self,
        id: &str,
        member: Option<&str>,
        format: &Value,
    ) -> Result<&'static str, Error> {
        match format.as_str() {
            Some("iso8601") => Ok("date-time"),
            Some("unixTimestamp") => Ok("epoch-seconds"),
            Some("rfc822") => Ok("http-date"),
            _ => {
                let e = self.error(id, format!("unknown `timestampFormat` {format}"));
                Err(match member {
                    Some(m) => e.member(m),
                    None => e,
                })
            }
        }
    }

    fn member_target(&self, id: &str, member: &str, m: &Value) -> Result<String, Error> {
        match m.get("shape") {
            Some(Value::String(t)) if super::is_identifier(t) => Ok(t.clone()),
            _ => Err(self
                .error(id, "the member has no `shape` naming a shape")
                .member(member)),
        }
    }

    fn member_traits(
        &mut self,
        id: &str,
        member: &str,
        m: &Value,
        shapes: &Map<String, Value>,
        flattened: &BTreeSet<&str>,
        extra: &mut BTreeMap<String, Map<String, Value>>,
    ) -> Result<Map<String, Value>, Error> {
        let err = |message: String| Error::new(self.file, message).shape(id).member(member);
        let mo = m
            .as_object()
            .ok_or_else(|| err("a member must be a JSON object".into()))?;
        self.note_unknown(
            mo,
            &[
                "shape",
                "documentation",
                "locationName",
                "location",
                "idempotencyToken",
                "box",
                "contextParam",
                "deprecated",
                "deprecatedMessage",
                "deprecatedSince",
                "xmlNamespace",
                "hostLabel",
                "jsonvalue",
                "flattened",
                "queryName",
                "eventpayload",
                "eventheader",
                "streaming",
                "xmlAttribute",
                "timestampFormat",
                "enum",
            ],
            &format!("shapes.{}.{member}", id.rsplit('#').next().unwrap_or(id)),
        );
        let target = self.member_target(id, member, m)?;
        let target_kind = shapes
            .get(&target)
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut t = Map::new();
        doc(&mut t, mo.get("documentation"));
        deprecated(&mut t, mo);
        let loc = mo.get("locationName").and_then(Value::as_str);
        match mo.get("location").and_then(Value::as_str) {
            None => {
                if let Some(loc) = loc.filter(|l| *l != member) {
                    let trait_id = if self.protocol.is_xml() {
                        "smithy.api#xmlName"
                    } else {
                        "smithy.api#jsonName"
                    };
                    t.insert(trait_id.into(), Value::String(loc.to_owned()));
                }
            }
            Some(location) => {
                let name = || {
                    loc.map(str::to_owned)
                        .ok_or_else(|| err(format!("`location` {location} needs a `locationName`")))
                };
                match location {
                    "header" => {
                        t.insert("smithy.api#httpHeader".into(), Value::String(name()?));
                    }
                    "headers" => {
                        t.insert(
                            "smithy.api#httpPrefixHeaders".into(),
                            Value::String(loc.unwrap_or_default().to_owned()),
                        );
                    }
                    "uri" => {
                        t.insert("smithy.api#httpLabel".into(), json!({}));
                    }
                    "querystring" if target_kind == "map" => {
                        t.insert("smithy.api#httpQueryParams".into(), json!({}));
                    }
                    "querystring" => {
                        t.insert("smithy.api#httpQuery".into(), Value::String(name()?));
                    }
                    "statusCode" => {
                        t.insert("smithy.api#httpResponseCode".into(), json!({}));
                    }
                    other => return Err(err(format!("unknown `location` `{other}`"))),
                }
            }
        }
        if let Some(Value::String(q)) = mo.get("queryName") {
            t.insert(
                "aws.protocols#ec2QueryName".into(),
                Value::String(q.clone()),
            );
        }
        if flag(mo, "flattened") || flattened.contains(target.as_str()) {
            t.insert("smithy.api#xmlFlattened".into(), json!({}));
        }
        if flag(mo, "xmlAttribute") {
            t.insert("smithy.api#xmlAttribute".into(), json!({}));
        }
        if let Some(ns) = mo
            .get("xmlNamespace")
            .filter(|v| v.is_object() && Some(*v) != self.xml_namespace.as_ref())
        {
            t.insert("smithy.api#xmlNamespace".into(), ns.clone());
        }
        if flag(mo, "idempotencyToken") {
            t.insert("smithy.api#idempotencyToken".into(), json!({}));
        }
        if flag(mo, "hostLabel") {
            t.insert("smithy.api#hostLabel".into(), json!({}));
        }
        if flag(mo, "eventpayload") {
            t.insert("smithy.api#eventPayload".into(), json!({}));
        }
        if flag(mo, "eventheader") {
            t.insert("smithy.api#eventHeader".into(), json!({}));
        }
        if let Some(p) = mo.get("contextParam").filter(|v| v.is_object()) {
            t.insert("smithy.rules#contextParam".into(), p.clone());
        }
        if let Some(format) = mo.get("timestampFormat") {
            t.insert(
                "smithy.api#timestampFormat".into(),
                Value::String(self.timestamp_format(id, Some(member), format)?.into()),
            );
        }
        // Traits Smithy puts on the target shape, which botocore repeats on the member.
        if flag(mo, "streaming") {
            extra
                .entry(target.clone())
                .or_default()
                .insert("smithy.api#streaming".into(), json!({}));
        }
        if flag(mo, "jsonvalue") && mo.get("location").and_then(Value::as_str) == Some("header") {
            extra
                .entry(target.clone())
                .or_default()
                .insert("smithy.api#mediaType".into(), json!("application/json"));
        }
        if mo.contains_key("enum") {
            self.note_unknown(
                &Map::from_iter([(
                    "enum on a member (kept as its target's type)".to_owned(),
                    Value::Null,
                )]),
                &[],
                &format!("shapes.{id}.{member}"),
            );
        }
        Ok(t)
    }

    #[allow(clippy::too_many_lines)]
    fn operation(
        &mut self,
        name: &str,
        op: &Value,
        shapes: &Map<String, Value>,
        paginated: Option<&Value>,
        waitable: Option<&Map<String, Value>>,
    ) -> Result<Value, Error> {
        let id = self.id(name);
        if !super::is_identifier(name) {
            return Err(self.error(&id, "the operation name is not a Smithy identifier"));
        }
        let o = obj(op, || self.error(&id, "an operation must be a JSON object"))?;
        self.note_unknown(
            o,
            &[
                "name",
                "http",
                "documentation",
                "input",
                "output",
                "errors",
                "idempotent",
                "readonly",
                "endpoint",
                "staticContextParams",
                "deprecated",
                "deprecatedMessage",
                "deprecatedSince",
                "endpointdiscovery",
                "authtype",
                "auth",
                "httpChecksumRequired",
                "httpChecksum",
                "unsignedPayload",
                "operationContextParams",
                "endpointoperation",
                "requestcompression",
                "documentationUrl",
            ],
            &format!("operations.{name}"),
        );
        let mut traits = Map::new();
        doc(&mut traits, o.get("documentation"));
        deprecated(&mut traits, o);
        let shape_ref = |key: &str| -> Result<Option<String>, Error> {
            match o.get(key) {
                None => Ok(None),
                Some(r) => match r.get("shape") {
                    Some(Value::String(s)) if shapes.contains_key(s) => Ok(Some(s.clone())),
                    _ => Err(self.error(&id, format!("`{key}` names no shape of the model"))),
                },
            }
        };
        let input = shape_ref("input")?;
        let output = shape_ref("output")?;
        if let Some(wrapper) = o
            .get("output")
            .and_then(|r| r.get("resultWrapper"))
            .and_then(Value::as_str)
        {
            // awsQuery and ec2Query put the output in `<OpResponse><OpResult>`; another
            // element name has no Smithy form.
            if wrapper != format!("{name}Result") {
                return Err(self.error(&id, format!("output `resultWrapper` `{wrapper}` is not `{name}Result`, which the awsQuery protocol implies")));
            }
        }
        let http = o.get("http").and_then(Value::as_object);
        if self.protocol.is_rest() {
            let http = http.ok_or_else(|| self.error(&id, "a REST operation needs `http`"))?;
            let method = http
                .get("method")
                .and_then(Value::as_str)
                .ok_or_else(|| self.error(&id, "`http` has no `method`"))?;
            let mut uri = http
                .get("requestUri")
                .and_then(Value::as_str)
                .ok_or_else(|| self.error(&id, "`http` has no `requestUri`"))?
                .to_owned();
            // Labels name members by their `locationName` in botocore, by member name in Smithy.
            if let Some(members) = input
                .as_ref()
                .and_then(|i| shapes.get(i))
                .and_then(|s| s.get("members"))
                .and_then(Value::as_object)
            {
                for (member, m) in members {
                    if m.get("location").and_then(Value::as_str) != Some("uri") {
                        continue;
                    }
                    let loc = m
                        .get("locationName")
                        .and_then(Value::as_str)
                        .unwrap_or(member);
                    if loc != member {
                        uri = uri
                            .replace(&format!("{{{loc}}}"), &format!("{{{member}}}"))
                            .replace(&format!("{{{loc}+}}"), &format!("{{{member}+}}"));
                    }
                }
            }
            let mut value = Map::new();
            value.insert("method".into(), Value::String(method.to_owned()));
            value.insert("uri".into(), Value::String(uri));
            let code = http
                .get("responseCode")
                .filter(|c| c.is_u64())
                .cloned()
                .unwrap_or(json!(200));
            value.insert("code".into(), code);
            traits.insert("smithy.api#http".into(), Value::Object(value));
        }
        if let Some(http) = http {
            self.note_unknown(
                http,
                &["method", "requestUri", "responseCode"],
                &format!("operations.{name}.http"),
            );
        }
        if let Some(Value::String(prefix)) = o.get("endpoint").and_then(|e| e.get("hostPrefix")) {
            traits.insert(
                "smithy.api#endpoint".into(),
                json!({ "hostPrefix": prefix }),
            );
        }
        if flag(o, "idempotent") {
            traits.insert("smithy.api#idempotent".into(), json!({}));
        }
        if flag(o, "readonly") {
            traits.insert("smithy.api#readonly".into(), json!({}));
        }
        if flag(o, "httpChecksumRequired") {
            traits.insert("smithy.api#httpChecksumRequired".into(), json!({}));
        }
        if let Some(c) = o.get("httpChecksum").filter(|c| c.is_object()) {
            traits.insert("aws.protocols#httpChecksum".into(), c.clone());
        }
        if let Some(p) = o.get("staticContextParams").filter(|c| c.is_object()) {
            traits.insert("smithy.rules#staticContextParams".into(), p.clone());
        }
        if let Some(p) = o.get("operationContextParams").filter(|c| c.is_object()) {
            traits.insert("smithy.rules#operationContextParams".into(), p.clone());
        }
        if let Some(c) = o.get("requestcompression").and_then(|c| c.get("encodings")) {
            traits.insert(
                "smithy.api#requestCompression".into(),
                json!({ "encodings": c }),
            );
        }
        // `auth` lists the operation's schemes (`smithy.api#noAuth` for none); the older
        // `authtype` says `none` or `v4-unsigned-body`.
        let authtype = o.get("authtype").and_then(Value::as_str);
        match o.get("auth").and_then(Value::as_array) {
            Some(list) => {
                let schemes: Vec<&str> = list
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|s| *s != "smithy.api#noAuth")
                    .collect();
                traits.insert("smithy.api#auth".into(), json!(schemes));
            }
            None if authtype == Some("none") => {
                traits.insert("smithy.api#auth".into(), json!([]));
            }
            None => {}
        }
        match authtype {
            None | Some("none") => {}
            Some("v4-unsigned-body") => {
                traits.insert("aws.auth#unsignedPayload".into(), json!({}));
            }
            Some(other) => return Err(self.error(&id, format!("unknown `authtype` `{other}`"))),
        }
        if flag(o, "unsignedPayload") {
            traits.insert("aws.auth#unsignedPayload".into(), json!({}));
        }
        if let Some(p) = paginated {
            traits.insert("smithy.api#paginated".into(), p.clone());
        }
        if let Some(w) = waitable {
            traits.insert("smithy.waiters#waitable".into(), Value::Object(w.clone()));
        }
        let mut value = Map::new();
        value.insert("type".into(), json!("operation"));
        value.insert("input".into(), json!({ "target": input.map_or_else(|| "smithy.api#Unit".to_owned(), |i| self.id(&i)) }));
        value.insert("output".into(), json!({ "target": output.map_or_else(|| "smithy.api#Unit".to_owned(), |i| self.id(&i)) }));
        let mut errors = Vec::new();
        for e in o
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match e.get("shape") {
                Some(Value::String(s)) if shapes.contains_key(s) => {
                    errors.push(json!({ "target": self.id(s) }))
                }
                _ => {
                    return Err(self.error(&id, "an entry of `errors` names no shape of the model"))
                }
            }
        }
        if !errors.is_empty() {
            value.insert("errors".into(), Value::Array(errors));
        }
        value.insert("traits".into(), Value::Object(traits));
        Ok(Value::Object(value))
    }

    /// `paginators-1.json` to `@paginated` values by operation. A paginator Smithy cannot
    /// say (several tokens, a token that is an expression) is listed as unknown.
    fn paginators(&mut self, file: &str, bytes: &[u8]) -> Result<BTreeMap<String, Value>, Error> {
        let root = parse_json(file, bytes)?;
        let all = root
            .get("pagination")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::new(file, "expected a `pagination` object"))?;
        let mut out = BTreeMap::new();
        for (op, p) in all {
            let p = obj(p, || {
                Error::new(file, format!("pagination.{op}: expected an object"))
            })?;
            self.note_unknown(
                p,
                &[
                    "input_token",
                    "output_token",
                    "limit_key",
                    "result_key",
                    "more_results",
                    "non_aggregate_keys",
                ],
                &format!("paginators.{op}"),
            );
            let simple = |key: &str| {
                p.get(key)
                    .and_then(Value::as_str)
                    .filter(|v| super::is_identifier(v) || v.split('.').all(super::is_identifier))
            };
            let (Some(input), Some(output)) = (
                p.get("input_token").and_then(Value::as_str),
                simple("output_token"),
            ) else {
                self.note_unknown(
                    &Map::from_iter([(
                        "paginator with several or computed tokens".to_owned(),
                        Value::Null,
                    )]),
                    &[],
                    &format!("paginators.{op}"),
                );
                continue;
            };
            let mut v = Map::new();
            v.insert("inputToken".into(), json!(input));
            v.insert("outputToken".into(), json!(output));
            if let Some(limit) = simple("limit_key") {
                v.insert("pageSize".into(), json!(limit));
            }
            if let Some(items) = simple("result_key") {
                v.insert("items".into(), json!(items));
            }
            out.insert(op.clone(), Value::Object(v));
        }
        Ok(out)
    }

    /// `waiters-2.json` to `smithy.waiters#waitable` values by operation. A waiter with an
    /// acceptor Smithy cannot say (a status other than success) is listed as unknown.
    fn waiters(
        &mut self,
        file: &str,
        bytes: &[u8],
    ) -> Result<BTreeMap<String, Map<String, Value>>, Error> {
        let root = parse_json(file, bytes)?;
        let all = root
            .get("waiters")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::new(file, "expected a `waiters` object"))?;
        let mut out: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        'waiter: for (name, w) in all {
            let w = obj(w, || {
                Error::new(file, format!("waiters.{name}: expected an object"))
            })?;
            self.note_unknown(
                w,
                &[
                    "delay",
                    "operation",
                    "maxAttempts",
                    "acceptors",
                    "description",
                ],
                &format!("waiters.{name}"),
            );
            let op = w
                .get("operation")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::new(file, format!("waiters.{name}: no `operation`")))?;
            let mut acceptors = Vec::new();
            for a in w
                .get("acceptors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let state = a.get("state").and_then(Value::as_str).unwrap_or_default();
                let expected = a.get("expected").cloned().unwrap_or(Value::Null);
                let path = a.get("argument").and_then(Value::as_str);
                let comparator = |all: &str, any: &str, one: &str| match (
                    &expected,
                    a.get("matcher").and_then(Value::as_str),
                ) {
                    (Value::Bool(_), _) => "booleanEquals".to_owned(),
                    (_, Some("pathAll")) => all.to_owned(),
                    (_, Some("pathAny")) => any.to_owned(),
                    _ => one.to_owned(),
                };
                let text = match &expected {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let matcher = match (a.get("matcher").and_then(Value::as_str), path) {
                    (Some("path" | "pathAll" | "pathAny"), Some(path)) => {
                        json!({ "output": { "path": path, "expected": text, "comparator": comparator("allStringEquals", "anyStringEquals", "stringEquals") } })
                    }
                    (Some("status"), _)
                        if expected.as_u64().is_some_and(|s| (200..300).contains(&s)) =>
                    {
                        json!({ "success": true })
                    }
                    (Some("error"), _) if expected.is_string() => json!({ "errorType": text }),
                    (Some("error"), _) if expected.is_boolean() => {
                        json!({ "success": !expected.as_bool().unwrap_or(false) })
                    }
                    _ => {
                        self.note_unknown(
                            &Map::from_iter([(
                                "waiter acceptor without a Smithy form".to_owned(),
                                Value::Null,
                            )]),
                            &[],
                            &format!("waiters.{name}"),
                        );
                        continue 'waiter;
                    }
                };
                acceptors.push(json!({ "state": state, "matcher": matcher }));
            }
            let mut v = Map::new();
            if let Some(Value::String(d)) = w.get("description") {
                v.insert("documentation".into(), json!(d));
            }
            v.insert("acceptors".into(), Value::Array(acceptors));
            if let Some(delay) = w.get("delay").filter(|d| d.is_u64()) {
                v.insert("minDelay".into(), delay.clone());
            }
            out.entry(op.to_owned())
                .or_default()
                .insert(name.clone(), Value::Object(v));
        }
        Ok(out)
    }
}

/// How often each shape is an operation's input and output.
fn io_uses(operations: &Map<String, Value>) -> BTreeMap<String, (usize, usize)> {
    let mut uses: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for op in operations.values() {
        for (key, input) in [("input", true), ("output", false)] {
            if let Some(Value::String(s)) = op.get(key).and_then(|r| r.get("shape")) {
                let entry = uses.entry(s.clone()).or_default();
                if input {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
        }
    }
    uses
}

/// Whether a botocore shape has a member (or list member, map key or value) targeting `name`.
fn refers_to(shape: &Value, name: &str) -> bool {
    let target = |m: &Value| m.get("shape").and_then(Value::as_str) == Some(name);
    let members = shape
        .get("members")
        .and_then(Value::as_object)
        .is_some_and(|ms| ms.values().any(target));
    members
        || ["member", "key", "value"]
            .iter()
            .any(|k| shape.get(*k).is_some_and(target))
}
