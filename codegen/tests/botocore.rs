//! The botocore importer is faithful: for AWS services whose Smithy model is in the shared
//! corpus and whose botocore model is in the pinned wheel (`models/manifest.json`, section
//! `botocore`), the imported model and the Smithy model agree on everything the generator
//! reads. Compared, from the service's operations down: the protocol, auth and service traits,
//! the endpoint rule set; each operation's input, output, errors and binding traits; each
//! reachable shape's type, members, member targets (by name for aggregates, by type and enum
//! values for simple shapes), the member traits that shape the wire format or the Rust types,
//! and the error traits. Every difference fails the test, except those of [`ALLOWED`], each of
//! which says why botocore cannot carry it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use smithy_codegen::botocore::BotocoreFiles;
use smithy_codegen::{Model, Shape, ShapeKind};
use smithy_testdata::botocore::{locate_wheel, ServiceFiles, Wheel};

mod data;

/// (Smithy model file, botocore service folder): every protocol among them.
const SERVICES: &[(&str, &str)] = &[
    ("ecr-2015-09-21.json", "ecr"),                  // awsJson1_1
    ("dynamodb-2012-08-10.json", "dynamodb"),        // awsJson1_0
    ("sqs-2012-11-05.json", "sqs"),                  // awsJson1_0 + awsQueryCompatible
    ("rds-2014-10-31.json", "rds"),                  // awsQuery
    ("auto-scaling-2011-01-01.json", "autoscaling"), // awsQuery
    ("cloudwatch-2010-08-01.json", "cloudwatch"),    // rpcv2Cbor + awsJson1_0 + awsQuery
    ("s3-2006-03-01.json", "s3"),                    // restXml, noErrorWrapping
    ("cloudfront-2020-05-31.json", "cloudfront"),    // restXml
    ("sso-oidc-2019-06-10.json", "sso-oidc"),        // restJson1
    ("kinesis-2013-12-02.json", "kinesis"),          // awsJson1_1, endpoint context params
];

/// Differences botocore's format or botocore's own customizations cannot avoid: (services, what,
/// why). A difference of one of `services` (all when empty) is allowed when its description
/// contains `what`.
const ALLOWED: &[(&[&str], &str, &str)] = &[
    (&[], "trait smithy.api#default", "botocore carries no default values: every member it does not list as required is optional"),
    (&[], "trait smithy.api#clientOptional", "botocore does not carry @clientOptional (every botocore member is optional on the client)"),
    (&[], "trait smithy.api#input: smithy", "botocore does not mark operation inputs: the import marks a structure that is one operation's input and nothing else's; some Smithy models (older query services) mark none or only some"),
    (&[], "trait smithy.api#output: smithy", "botocore does not mark operation outputs: as for inputs"),
    (&[], "trait smithy.api#addedDefault", "botocore carries no defaults, so nor their history"),
    (&["ecr", "dynamodb", "sqs", "kinesis"], "service: trait smithy.api#xmlNamespace", "botocore gives JSON-protocol services no XML namespace, which no JSON protocol reads"),
    (&["ecr", "dynamodb", "sqs"], "trait smithy.api#httpError", "botocore 1.42 writes no `error` object for some JSON-protocol errors, so their status is lost (the generator never picks an error by status)"),
    (&["dynamodb", "sqs"], "trait aws.protocols#awsQueryError", "botocore 1.42 writes no `error.code` for these JSON-protocol errors: awsQueryCompatible codes are lost (a weakness of the import: SQS errors are then matched by shape name only)"),
    (&["sqs"], "trait smithy.api#xmlName", "SQS speaks awsJson1_0, which ignores xmlName; botocore leaves its query-era names out"),
    (&["dynamodb"], "trait smithy.api#httpHeader", "awsJson1_0 ignores HTTP binding traits, and botocore leaves them out"),
    (&["dynamodb"], "InvalidEndpointException", "botocore leaves the endpoint-discovery error (aws.api#clientEndpointDiscovery) out of the operations' errors"),
    (&["dynamodb", "s3"], "type: smithy union botocore structure", "botocore marks only newer unions with `union`; DynamoDB's AttributeValue and S3's filter unions are plain structures there"),
    (&["kinesis"], "trait aws.protocols#awsJson1_1", "botocore keeps the protocol's HTTP versions in `protocolSettings`, which the generator does not read"),
    (&["rds", "cloudwatch"], "members: smithy [", "botocore leaves the `message` member out of query errors (its parser reads the message of any error)"),
    (&["rds"], "DescribeServerlessV2PlatformVersions", "added to RDS between the Smithy snapshot (2026-04-08) and botocore 1.42.86 (2026-04-09)"),
    (&["autoscaling"], "CreateAutoScalingGroupType: members", "a member added between the Smithy snapshot and botocore 1.42.86"),
    (&["autoscaling"], "\"AvailabilityZoneId", "AvailabilityZoneId(s) members added between the Smithy snapshot and botocore 1.42.86"),
    (&["cloudfront"], "trait smithy.api#xmlName: smithy \"", "CloudFront's payload members name their target (`CachePolicyConfig`), which names the element anyway; botocore leaves the redundant name out"),
    (&["cloudfront"], "target: smithy integer botocore string", "botocore types CloudFront's `MaxItems` query parameters as strings; on the wire both are the same digits"),
    (&["s3"], "Checksum", "botocore lists only the checksum algorithms (and their members) it implements"),
    (&["s3"], "x-id=", "botocore drops S3's `?x-id=Op` URI literals, which only name the operation in S3's logs"),
    (&["s3"], "GetBucketLifecycle", "botocore keeps S3's deprecated operations, which the Smithy model dropped"),
    (&["s3"], "PutBucketLifecycle", "botocore keeps S3's deprecated operations, which the Smithy model dropped"),
    (&["s3"], "GetBucketNotification", "botocore keeps S3's deprecated operations, which the Smithy model dropped"),
    (&["s3"], "PutBucketNotification", "botocore keeps S3's deprecated operations, which the Smithy model dropped"),
    (&["s3"], "errors: smithy {\"NotFound\"}", "botocore's HeadBucket/HeadObject errors (NoSuchBucket, NoSuchKey) are a customization of its own"),
    (&["s3"], "NotFound: shape missing", "botocore's HeadBucket/HeadObject errors (NoSuchBucket, NoSuchKey) are a customization of its own"),
    (&["s3"], "PartNumberMarker", "botocore types S3's part-number markers as integers; on the wire both are the same digits"),
    (&["s3"], "Grantee", "botocore puts Grantee's `xsi` namespace on the shape, Smithy on the members that target it, and orders its members otherwise (XML elements, read in any order)"),
    (&["s3"], "trait smithy.api#xmlName: smithy \"", "botocore does not name the root elements of S3's responses (the restXml decoders do not check the root's name)"),
    (&["s3"], "StreamingBlob", "botocore's streaming S3 bodies target `Body`-like blobs with `streaming`, not Smithy's `StreamingBlob`"),
    (&["s3"], "trait smithy.api#streaming", "botocore's streaming S3 bodies target `Body`-like blobs with `streaming`, not Smithy's `StreamingBlob`"),
    (&["s3"], "trait smithy.api#auth: smithy [\"aws.auth#sigv4\"] botocore absent", "an operation @auth equal to the service's schemes: botocore writes none"),
    (&["sso-oidc"], "trait smithy.api#optionalAuth", "botocore writes @optionalAuth and @auth([]) alike, as `auth: [noAuth]`, which the import reads as @auth([])"),
    (&["sso-oidc"], "trait smithy.api#auth: smithy absent botocore []", "botocore writes @optionalAuth and @auth([]) alike, as `auth: [noAuth]`, which the import reads as @auth([])"),
];

fn wheel() -> Wheel {
    let path =
        locate_wheel(&smithy_testdata::workspace_root()).unwrap_or_else(|e| panic!("error: {e}"));
    Wheel::open(&path).unwrap_or_else(|e| panic!("error: {e}"))
}

fn part(file: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
    file.as_ref().map(|(n, b)| (n.as_str(), b.as_slice()))
}

fn import(files: &ServiceFiles, service_id: &str) -> Model {
    let files = BotocoreFiles {
        service: (&files.service.0, &files.service.1),
        rules: part(&files.rules),
        paginators: part(&files.paginators),
        waiters: part(&files.waiters),
    };
    smithy_codegen::load_botocore(&files, Some(service_id))
        .unwrap_or_else(|e| panic!("error: {e}"))
        .0
}

fn name(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

/// The traits compared on members, operations, services and shapes (documentation, examples and
/// the like are not read by the generator's wire code and are left out).
const MEMBER_TRAITS: &[&str] = &[
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#addedDefault",
    "smithy.api#httpHeader",
    "smithy.api#httpQuery",
    "smithy.api#httpLabel",
    "smithy.api#httpPayload",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpResponseCode",
    "smithy.api#httpQueryParams",
    "smithy.api#jsonName",
    "smithy.api#xmlName",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlNamespace",
    "smithy.api#idempotencyToken",
    "smithy.api#hostLabel",
    "smithy.api#timestampFormat",
    "aws.protocols#ec2QueryName",
    "smithy.rules#contextParam",
    "smithy.api#eventPayload",
    "smithy.api#eventHeader",
];
const SHAPE_TRAITS: &[&str] = &[
    "smithy.api#error",
    "smithy.api#httpError",
    "aws.protocols#awsQueryError",
    "smithy.api#timestampFormat",
    "smithy.api#streaming",
    "smithy.api#mediaType",
    "smithy.api#xmlName",
    "smithy.api#xmlNamespace",
    "smithy.api#sparse",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#requiresLength",
];
const OPERATION_TRAITS: &[&str] = &[
    "smithy.api#http",
    "smithy.api#endpoint",
    "smithy.api#httpChecksumRequired",
    "aws.protocols#httpChecksum",
    "smithy.rules#staticContextParams",
    "smithy.rules#operationContextParams",
    "smithy.api#auth",
    "smithy.api#optionalAuth",
    "aws.auth#unsignedPayload",
    "smithy.api#requestCompression",
];
const SERVICE_TRAITS: &[&str] = &[
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.protocols#restXml",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "smithy.protocols#rpcv2Cbor",
    "aws.protocols#awsQueryCompatible",
    "aws.auth#sigv4",
    "aws.auth#sigv4a",
    "smithy.api#httpBearerAuth",
    "smithy.api#auth",
    "smithy.rules#endpointRuleSet",
    "smithy.api#xmlNamespace",
];

struct Compare<'a> {
    smithy: &'a Model,
    imported: &'a Model,
    service: &'a str,
    differences: Vec<String>,
}

/// The traits of `traits` named in `which`, values with their documentation removed (the
/// documentation of rules and context params is not read).
fn selected(traits: &BTreeMap<String, Value>, which: &[&str]) -> BTreeMap<String, Value> {
    traits
        .iter()
        .filter(|(k, _)| which.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), strip_docs(v)))
        .collect()
}

fn strip_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "documentation")
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

impl Compare<'_> {
    fn differ(&mut self, at: &str, what: String) {
        self.differences
            .push(format!("{}: {at}: {what}", self.service));
    }

    fn traits(
        &mut self,
        at: &str,
        smithy: &BTreeMap<String, Value>,
        imported: &BTreeMap<String, Value>,
        which: &[&str],
    ) {
        let (a, b) = (selected(smithy, which), selected(imported, which));
        for key in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
            let (x, y) = (a.get(key), b.get(key));
            if x != y {
                let show = |v: Option<&Value>| {
                    v.map_or_else(
                        || "absent".to_owned(),
                        |v| v.to_string().chars().take(160).collect(),
                    )
                };
                self.differ(
                    at,
                    format!("trait {key}: smithy {} botocore {}", show(x), show(y)),
                );
            }
        }
    }

    /// How a member's target is compared: aggregates by name, simple shapes by type (and
    /// enum values), as the generator sees them through their type alias or enum.
    fn target_key(model: &Model, id: &str) -> String {
        let Some(shape) = model.shape(id) else {
            return format!("missing {id}");
        };
        match shape.kind {
            ShapeKind::Structure | ShapeKind::Union | ShapeKind::List | ShapeKind::Map => {
                name(id).to_owned()
            }
            ShapeKind::Enum => {
                let mut values: Vec<String> = shape
                    .members
                    .iter()
                    .map(|m| {
                        m.traits
                            .get("smithy.api#enumValue")
                            .and_then(Value::as_str)
                            .unwrap_or(&m.name)
                            .to_owned()
                    })
                    .collect();
                values.sort();
                format!("enum {} [{}]", name(id), values.join(","))
            }
            kind => kind.as_str().to_owned(),
        }
    }

    fn shape(&mut self, id: &str, seen: &mut BTreeSet<String>) {
        if !seen.insert(name(id).to_owned()) {
            return;
        }
        let Some(a) = self.smithy.shape(id) else {
            return;
        };
        let imported_id = format!("{}#{}", id.split('#').next().unwrap_or(""), name(id));
        let Some(b) = self.imported.shape(&imported_id) else {
            if !a.prelude {
                self.differ(name(id), "shape missing from the import".into());
            }
            return;
        };
        if a.kind != b.kind {
            self.differ(
                name(id),
                format!(
                    "type: smithy {} botocore {}",
                    a.kind.as_str(),
                    b.kind.as_str()
                ),
            );
            return;
        }
        self.traits(name(id), &a.traits, &b.traits, SHAPE_TRAITS);
        if !matches!(
            a.kind,
            ShapeKind::Structure | ShapeKind::Union | ShapeKind::List | ShapeKind::Map
        ) {
            if a.kind == ShapeKind::Enum {
                let (x, y) = (
                    Self::target_key(self.smithy, id),
                    Self::target_key(self.imported, &imported_id),
                );
                if x != y {
                    self.differ(name(id), format!("enum values: smithy {x} botocore {y}"));
                }
            }
            return;
        }
        let names = |s: &Shape| s.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
        if names(a) != names(b) {
            self.differ(
                name(id),
                format!("members: smithy {:?} botocore {:?}", names(a), names(b)),
            );
        }
        let mut next = Vec::new();
        for m in &a.members {
            let Some(n) = b.member(&m.name) else { continue };
            let at = format!("{}${}", name(id), m.name);
            let (x, y) = (
                Self::target_key(self.smithy, &m.target),
                Self::target_key(self.imported, &n.target),
            );
            if x != y {
                self.differ(&at, format!("target: smithy {x} botocore {y}"));
            }
            // Timestamp formats: on the member or on its target, as the generator reads them.
            let format = |model: &Model, member: &smithy_codegen::Member| {
                member
                    .traits
                    .get("smithy.api#timestampFormat")
                    .or_else(|| {
                        model
                            .shape(&member.target)
                            .and_then(|t| t.traits.get("smithy.api#timestampFormat"))
                    })
                    .cloned()
            };
            if format(self.smithy, m) != format(self.imported, n) {
                self.differ(
                    &at,
                    format!(
                        "timestamp format: smithy {:?} botocore {:?}",
                        format(self.smithy, m),
                        format(self.imported, n)
                    ),
                );
            }
            let strip = |t: &BTreeMap<String, Value>| {
                let mut t = t.clone();
                t.remove("smithy.api#timestampFormat");
                t
            };
            self.traits(&at, &strip(&m.traits), &strip(&n.traits), MEMBER_TRAITS);
            next.push(m.target.clone());
        }
        for target in next {
            self.shape(&target, seen);
        }
    }
}

fn operations(model: &Model, service: &Shape) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut resources: Vec<String> = service.resources.clone();
    out.extend(service.operations.iter().cloned());
    while let Some(r) = resources.pop() {
        if let Some(shape) = model.shape(&r) {
            out.extend(shape.bound_operations().cloned());
            resources.extend(shape.resources.iter().cloned());
        }
    }
    out
}

fn compare(file: &str, folder: &str, wheel: &mut Wheel) -> Vec<String> {
    let path = data::models_dir().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("error: {}: {e}", path.display()));
    let smithy = smithy_codegen::load(file, &bytes).unwrap_or_else(|e| panic!("error: {e}"));
    let service = smithy
        .services()
        .next()
        .unwrap_or_else(|| panic!("{file}: no service"))
        .clone();
    let version = wheel
        .latest(folder)
        .unwrap_or_else(|| panic!("the wheel has no {folder}"));
    let files = wheel
        .service(folder, &version)
        .unwrap_or_else(|e| panic!("error: {e}"));
    let imported = import(&files, &service.id);
    let imported_service = imported
        .shape(&service.id)
        .unwrap_or_else(|| panic!("{folder}: no {}", service.id))
        .clone();
    let mut c = Compare {
        smithy: &smithy,
        imported: &imported,
        service: folder,
        differences: Vec::new(),
    };
    c.traits(
        "service",
        &service.traits,
        &imported_service.traits,
        SERVICE_TRAITS,
    );
    let api = |s: &Shape| {
        let v = s.traits.get("aws.api#service");
        (
            v.and_then(|v| v.get("sdkId")).cloned(),
            v.and_then(|v| v.get("endpointPrefix")).cloned(),
        )
    };
    if api(&service) != api(&imported_service) {
        c.differ(
            "service",
            format!(
                "aws.api#service: smithy {:?} botocore {:?}",
                api(&service),
                api(&imported_service)
            ),
        );
    }
    let (ops_a, ops_b) = (
        operations(&smithy, &service),
        operations(&imported, &imported_service),
    );
    let names = |ops: &BTreeSet<String>| {
        ops.iter()
            .map(|o| name(o).to_owned())
            .collect::<BTreeSet<_>>()
    };
    for missing in names(&ops_a).symmetric_difference(&names(&ops_b)) {
        c.differ(missing, "operation in only one model".into());
    }
    let mut seen = BTreeSet::new();
    for op in &ops_a {
        let (Some(a), Some(b)) = (smithy.shape(op), imported.shape(op)) else {
            continue;
        };
        let at = name(op).to_owned();
        c.traits(&at, &a.traits, &b.traits, OPERATION_TRAITS);
        for (what, x, y) in [
            ("input", &a.input, &b.input),
            ("output", &a.output, &b.output),
        ] {
            let (x, y) = (
                x.as_deref().map(name).unwrap_or("Unit"),
                y.as_deref().map(name).unwrap_or("Unit"),
            );
            if x != y {
                c.differ(&at, format!("{what}: smithy {x} botocore {y}"));
            }
        }
        let errors = |s: &Shape| {
            s.errors
                .iter()
                .map(|e| name(e).to_owned())
                .collect::<BTreeSet<_>>()
        };
        if errors(a) != errors(b) {
            c.differ(
                &at,
                format!("errors: smithy {:?} botocore {:?}", errors(a), errors(b)),
            );
        }
        for id in a
            .input
            .iter()
            .chain(&a.output)
            .chain(&a.errors)
            .chain(&service.errors)
        {
            c.shape(id, &mut seen);
        }
    }
    c.differences
}

#[test]
fn imported_models_match_the_smithy_models() {
    let mut wheel = wheel();
    let mut failures = Vec::new();
    let mut allowed: BTreeMap<&str, usize> = BTreeMap::new();
    for (file, folder) in SERVICES {
        let differences = compare(file, folder, &mut wheel);
        let mut own = 0;
        for d in &differences {
            let allows = |(services, what, _): &&(&[&str], &str, &str)| {
                (services.is_empty() || services.contains(folder)) && d.contains(what)
            };
            match ALLOWED.iter().find(allows) {
                Some((_, what, _)) => *allowed.entry(what).or_default() += 1,
                None => {
                    own += 1;
                    failures.push(d.clone());
                }
            }
        }
        println!(
            "{folder}: {} differences, {own} not allowed",
            differences.len()
        );
    }
    for (what, n) in &allowed {
        let why = ALLOWED
            .iter()
            .find(|(_, w, _)| w == what)
            .map_or("", |(_, _, why)| why);
        println!("allowed: {n} x `{what}`: {why}");
    }
    if let Ok(path) = std::env::var("BOTOCORE_DIFF_OUT") {
        let _ = std::fs::write(path, failures.join("\n"));
    }
    let shown: Vec<&String> = failures.iter().take(60).collect();
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
