//! Bounded fuzzing (proptest) of the model loader and the generator behind it: arbitrary bytes,
//! and the fixture models mutated (a node replaced, removed or duplicated, a type, ID, key or
//! trait swapped for another, the text cut short or flipped). `load` returns a model or an
//! error, and so does `generate` on any model `load` accepts; nothing panics, and every error
//! is one line naming the file.
//!
//! The Smithy IDL parser gets the same: arbitrary bytes loaded as `fuzz.smithy`, and small IDL
//! models (written below) mutated byte by byte (ranges deleted, inserted, replaced, duplicated,
//! the text cut short). Deterministic tests beside them: values nested a hundred thousand
//! levels deep are refused, and a chain of a hundred thousand mixins is flattened, both
//! without overflowing the stack.
//!
//! Each run prints how many inputs it tried and how long it took (`--nocapture` shows it);
//! `PROPTEST_CASES=N` sets the number of inputs of each run.

use std::path::Path;
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use smithy_codegen::Settings;

const FILE: &str = "fuzz.json";
const IDL_FILE: &str = "fuzz.smithy";

/// Loads, then generates what loads; checks the form of any error. Whether it generated.
fn run(bytes: &[u8]) -> Result<bool, TestCaseError> {
    run_file(FILE, bytes)
}

/// Loads `bytes` as `file`, validates what loads and generates what validates; checks the
/// form of any error (and, for an error with a position, its snippet). Whether it generated.
fn run_file(file: &str, bytes: &[u8]) -> Result<bool, TestCaseError> {
    let settings = Settings { version: None, crate_name: None, runtime_path: "../runtime".into(), standalone: true, service: None, partitions: None };
    let result = smithy_codegen::load(file, bytes)
        .and_then(|model| smithy_codegen::validate_model(&model).map(|()| model))
        .and_then(|model| smithy_codegen::generate(&model, &settings));
    match result {
        Ok(krate) => {
            prop_assert!(krate.files.contains_key("src/lib.rs"));
            Ok(true)
        }
        Err(e) => {
            let line = e.to_string();
            prop_assert!(names_file(&line, file) && !line.contains('\n'), "{}", line);
            prop_assert!(!line.contains("internal error"), "{}", line);
            if let Some(snippet) = e.snippet(&String::from_utf8_lossy(bytes)) {
                prop_assert_eq!(snippet.matches('\n').count(), 1, "{}", snippet);
            }
            Ok(false)
        }
    }
}

/// Whether an error line starts with `file: ` or `file:line:col: `.
fn names_file(line: &str, file: &str) -> bool {
    let Some(rest) = line.strip_prefix(file) else { return false };
    if rest.starts_with(": ") {
        return true;
    }
    let mut parts = rest.splitn(4, ':');
    let number = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    parts.next() == Some("") && number(parts.next()) && number(parts.next()) && parts.next().is_some_and(|p| p.starts_with(' '))
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases` inputs; prints how many were tried, how many generated a crate and
/// how long it took.
fn fuzz<S: Strategy>(what: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<bool, TestCaseError>) -> (u32, u32)
where
    S::Value: std::fmt::Debug,
{
    let (tried, generated) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let start = Instant::now();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |input| {
        tried.set(tried.get() + 1);
        if test(input)? {
            generated.set(generated.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    println!("{what}: {} inputs ({} generated a crate) in {:.2?}", tried.get(), generated.get(), start.elapsed());
    (tried.get(), generated.get())
}

/// Pieces of Smithy JSON AST, so that random input gets past the first byte now and then.
const PIECES: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\"smithy\"", "\"2.0\"", "\"shapes\"", "\"type\"", "\"structure\"",
    "\"service\"", "\"operation\"", "\"list\"", "\"member\"", "\"members\"", "\"target\"", "\"ex#A\"",
    "\"ex#B\"", "\"smithy.api#String\"", "\"traits\"", "\"mixins\"", "null", "true", "1", "-0.5e9", " ",
    "\\u0000", "\\ud800", "\u{fffd}", "\u{0}",
];

#[test]
fn arbitrary_bytes() {
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(prop::sample::select(PIECES), 0..64).prop_map(|p| p.concat().into_bytes()),
    ];
    let cases = cases(2_000);
    let (tried, _) = fuzz("load(arbitrary bytes)", cases, strategy, |bytes| run(&bytes));
    assert_eq!(tried, cases);
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("fixture JSON")
}

/// Strings a mutation may put in place of another: shape types, IDs, keys, trait IDs and
/// names that are hard to turn into Rust.
const STRINGS: &[&str] = &[
    "structure", "union", "enum", "intEnum", "list", "set", "map", "string", "integer", "long", "timestamp",
    "document", "blob", "bigDecimal", "operation", "service", "resource", "apply", "widget", "",
    "example.shapes#Tree", "example.shapes#Node", "example.shapes#Names", "example.shapes#Tags",
    "example.shapes#Color", "example.shapes#Level", "example.shapes#NotFound", "example.shapes#GetThing",
    "example.shapes#Shapes", "example.shapes#IdMixin", "example.shapes#Missing", "smithy.api#Unit",
    "smithy.api#String", "smithy.api#PrimitiveInteger", "members", "member", "key", "value", "target",
    "traits", "mixins", "input", "output", "errors", "operations", "resources", "rename",
    "smithy.api#required", "smithy.api#default", "smithy.api#mixin", "smithy.api#error",
    "smithy.api#enumValue", "smithy.api#enum", "smithy.api#httpHeader", "smithy.api#jsonName",
    "smithy.api#xmlName", "smithy.api#xmlFlattened", "smithy.api#sparse", "smithy.api#input",
    "smithy.api#unitType", "smithy.api#documentation", "aws.protocols#restXml", "aws.protocols#awsQuery",
    "aws.protocols#ec2Query", "aws.protocols#awsQueryError", "client", "self", "Self", "type", "r#type",
    "Unknown", "5xx", "a b", "_", "__", "é", "<p>doc</p>", "</code><pre>", "#", "a#b$c", "ex#Loop",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(&[0.5, -1.0, 1e300, 4_294_967_296.0][..]).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        prop::sample::select(STRINGS).prop_map(|t| serde_json::json!({ "target": t })),
    ]
}

/// One mutation: which node (an index into the nodes in document order), what to do, and a
/// value to use.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    /// Copies the node at the second index over the first.
    Copy(usize, usize),
    /// Adds a member named by a string of [`STRINGS`] to an object.
    Insert(usize, &'static str, Value),
    Rename(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>().prop_map(|i| i.index(usize::MAX));
    prop_oneof![
        (at.clone(), leaf()).prop_map(|(a, v)| Mutation::Replace(a, v)),
        at.clone().prop_map(Mutation::Remove),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::Copy(a, b)),
        (at.clone(), prop::sample::select(STRINGS), leaf()).prop_map(|(a, k, v)| Mutation::Insert(a, k, v)),
        (at, prop::sample::select(STRINGS)).prop_map(|(a, s)| Mutation::Rename(a, s)),
    ]
}

/// The JSON pointers of every node of `value`, in document order.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, v)) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter().rev() {
                    stack.push((format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let (parent, key) = pointer.rsplit_once('/')?;
    Some((parent, key.replace("~1", "/").replace("~0", "~")))
}

fn apply(model: &mut Value, mutation: &Mutation) {
    let nodes = pointers(model);
    let pick = |i: usize| nodes[i % nodes.len()].clone();
    match mutation {
        Mutation::Replace(at, v) => {
            if let Some(node) = model.pointer_mut(&pick(*at)) {
                *node = v.clone();
            }
        }
        Mutation::Remove(at) => {
            let pointer = pick(*at);
            let Some((parent, key)) = parent_and_key(&pointer) else { return };
            match model.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Some(i) = key.parse::<usize>().ok().filter(|i| *i < items.len()) {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        Mutation::Copy(to, from) => {
            let value = model.pointer(&pick(*from)).cloned();
            if let (Some(value), Some(node)) = (value, model.pointer_mut(&pick(*to))) {
                *node = value;
            }
        }
        Mutation::Insert(at, key, v) => {
            if let Some(Value::Object(map)) = model.pointer_mut(&pick(*at)) {
                map.insert((*key).to_owned(), v.clone());
            }
        }
        Mutation::Rename(at, to) => {
            let pointer = pick(*at);
            match model.pointer_mut(&pointer) {
                Some(Value::String(s)) => *s = (*to).to_owned(),
                Some(_) => {
                    // A key: move the value under the new name.
                    let Some((parent, key)) = parent_and_key(&pointer) else { return };
                    if let Some(Value::Object(map)) = model.pointer_mut(parent) {
                        if let Some(v) = map.remove(&key) {
                            map.insert((*to).to_owned(), v);
                        }
                    }
                }
                None => {}
            }
        }
    }
}

#[test]
fn mutated_fixture_models() {
    let fixtures: Vec<Value> = ["shapes.json", "naming.json", "query.json"].into_iter().map(fixture).collect();
    let strategy = (0..fixtures.len(), prop::collection::vec(mutation(), 1..4));
    let cases = cases(150);
    let (tried, generated) = fuzz("load+generate(mutated fixtures)", cases, strategy, |(which, mutations)| {
        let mut model = fixtures[which].clone();
        for m in &mutations {
            apply(&mut model, m);
        }
        run(&serde_json::to_vec(&model).expect("serializes"))
    });
    assert_eq!(tried, cases);
    assert!(generated > 0, "some mutations keep the model valid");
}

#[test]
fn mutated_fixture_text() {
    let texts: Vec<Vec<u8>> = ["shapes.json", "naming.json", "query.json"]
        .into_iter()
        .map(|name| serde_json::to_vec(&fixture(name)).expect("serializes"))
        .collect();
    // (which fixture, cut at, bytes to overwrite).
    let strategy = (0..texts.len(), any::<prop::sample::Index>(), prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4), any::<bool>());
    let cases = cases(150);
    let (tried, _) = fuzz("load+generate(mutated fixture text)", cases, strategy, |(which, cut, flips, truncate)| {
        let mut bytes = texts[which].clone();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        run(&bytes)
    });
    assert_eq!(tried, cases);
}

// --- Smithy IDL ----------------------------------------------------------------------------

/// Small IDL models, each loading, validating and (when it has a service) generating: Smithy
/// 2.0 with a service and resources, a 1.0 file, awsQuery with mixins and suffixes, trait
/// definitions with structured values, and last a model without a service.
const IDL_MODELS: &[&str] = &[
    r##"$version: "2.0"

metadata suppressions = [
    { id: "UnstableTrait", namespace: "example.weather", reason: """
        Text blocks work in metadata too.
        """ }
]
metadata "owner" = { team: "forecasts", oncall: null, priority: 1, ratio: 0.25, active: true }

namespace example.weather

use aws.api#service
use aws.protocols#restJson1

/// Provides weather forecasts.
/// Second line of the documentation.
@service(sdkId: "Weather")
@restJson1
@title("Weather Service")
service Weather {
    version: "2006-03-01"
    resources: [City]
    operations: [GetCurrentTime]
    errors: [ServiceFault]
}

resource City {
    identifiers: { cityId: CityId }
    properties: { name: String, coordinates: CityCoordinates }
    read: GetCity
    list: ListCities
}

@pattern("^[A-Za-z0-9 ]+$")
@length(min: 1, max: 64)
string CityId

@readonly
@http(method: "GET", uri: "/cities/{cityId}", code: 200)
operation GetCity {
    input := for City {
        @required
        @httpLabel
        $cityId
    }
    output := for City with [Timestamped] {
        @required
        $name

        @required
        $coordinates
    }
    errors: [NoSuchResource]
}

@readonly
@paginated(inputToken: "nextToken", outputToken: "nextToken", pageSize: "pageSize", items: "items")
@http(method: "GET", uri: "/cities")
operation ListCities {
    input := {
        @httpQuery("nextToken")
        nextToken: String

        @httpQuery("pageSize")
        @range(min: 1, max: 100)
        pageSize: Integer = 10
    }
    output := {
        nextToken: String

        @required
        items: CitySummaries
    }
}

@readonly
@http(method: "GET", uri: "/time")
operation GetCurrentTime {
    output := {
        @required
        time: Timestamp
    }
}

@mixin
structure Timestamped {
    /// When it was observed.
    @timestampFormat("date-time")
    observedAt: Timestamp
}

structure CityCoordinates {
    @required
    latitude: Float

    @required
    longitude: Float
}

list CitySummaries {
    member: CitySummary
}

@references([{ resource: City }])
structure CitySummary {
    @required
    cityId: CityId

    @required
    name: String

    unit: Unit = "CELSIUS"
}

/// A temperature unit.
enum Unit {
    CELSIUS
    FAHRENHEIT = "F"
    @deprecated(message: "use CELSIUS", since: "2020")
    KELVIN
}

intEnum Level {
    LOW = 1
    HIGH = 10
}

@error("client")
@httpError(404)
structure NoSuchResource {
    @required
    resourceType: String
    level: Level = 1
}

@error("server")
@retryable(throttling: false)
structure ServiceFault with [Timestamped] {
    message: String = """
        Something went wrong: "quoted", \\ escaped, \u00e9.
        """
}

apply CityCoordinates$latitude @documentation("North is positive.")
apply NoSuchResource {
    @documentation("Not found.")
    @sensitive
}
"##,
    r##"$version: "1.0"

namespace example.legacy

use aws.protocols#awsJson1_1
use aws.api#service

@awsJson1_1
@service(sdkId: "Legacy")
service Legacy {
    version: "2019-01-01",
    operations: [PutItem, DeleteItem],
}

@idempotent
operation PutItem {
    input: PutItemInput,
    output: PutItemOutput,
    errors: [Conflict],
}

operation DeleteItem {
    input: DeleteItemInput,
}

structure PutItemInput {
    @required
    key: String,
    value: Blob,
    count: PrimitiveInteger,
    tags: TagSet,
    @box
    boxed: Integer,
    attributes: AttributeMap,
}

structure PutItemOutput {
    status: Status,
}

structure DeleteItemInput {
    @required
    key: String,
}

set TagSet {
    member: String
}

map AttributeMap {
    key: String,
    value: AttributeValue,
}

union AttributeValue {
    s: String,
    n: Long,
    l: AttributeList,
}

list AttributeList {
    member: AttributeValue
}

@enum([
    { value: "ok", name: "OK", documentation: "Fine." },
    { value: "failed", name: "FAILED", tags: ["bad"] },
])
string Status

@error("client")
structure Conflict {
    message: String,
}
"##,
    r##"$version: "2"
$operationInputSuffix: "Request"
$operationOutputSuffix: "Response"

namespace example.queue

use aws.protocols#awsQuery
use aws.protocols#awsQueryError
use aws.api#service

@awsQuery
@xmlNamespace(uri: "https://example.com/doc/2012-11-05/")
@service(sdkId: "Queue")
service Queue {
    version: "2012-11-05"
    operations: [SendMessage, ListQueues]
    rename: { "example.queue#Attr": "QueueAttr" }
}

operation SendMessage {
    input := with [QueueUrlMixin] {
        @required
        body: String

        @xmlFlattened
        @xmlName("Attribute")
        attributes: Attrs

        delaySeconds: Integer = 0
        priority: Priority = "normal"
    }
    output := {
        messageId: String

        @xmlName("MD5OfBody")
        md5: String
    }
    errors: [TooBig]
}

operation ListQueues {
    input := {
        prefix: String
    }
    output := {
        @xmlFlattened
        urls: UrlList
    }
}

@mixin
structure QueueUrlMixin with [BaseMixin] {
    @required
    queueUrl: String
}

@mixin
structure BaseMixin {
    requestId: String
}

map Attrs {
    key: String
    value: Attr
}

structure Attr {
    @xmlAttribute
    name: String
    value: String
}

list UrlList {
    member: String
}

enum Priority {
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
}

@awsQueryError(code: "TooBig", httpResponseCode: 400)
@error("client")
structure TooBig {
    message: String
}
"##,
    r##"$version: "2.0"

namespace example.traits

use aws.protocols#restXml
use aws.api#service

/// A custom trait with structured values.
@trait(selector: "structure > member")
structure limits {
    min: Integer
    max: Integer
    labels: LabelMap
}

map LabelMap {
    key: String
    value: String
}

@trait
list aliases {
    member: String
}

@restXml
@service(sdkId: "Traits")
service Traits {
    version: "1"
    operations: [Echo]
}

@http(method: "POST", uri: "/echo/{label}?fixed=1")
operation Echo {
    input := {
        @required
        @httpLabel
        label: String

        @httpHeader("X-Count")
        @limits(min: 0, max: 10, labels: { a: "1", "b c": "2" })
        count: Integer

        @httpPayload
        body: Blob
    }
    output := {
        @httpResponseCode
        code: Integer

        @httpPrefixHeaders("X-Meta-")
        meta: LabelMap
    }
}

apply Echo @documentation("""
    Echoes the request.

    * Text blocks keep relative indentation
        like this.
    """)

apply example.traits#LabelMap @aliases(["Labels", "Tags"])
"##,
    r##"// No service here: it loads and validates, and `generate` has nothing to generate.
$version: "2.0"

metadata numbers = [0, -1, 1.5, 2e10, -3.25E-2, 9223372036854775807, 18446744073709551615]
metadata strings = ["", "\"", "\\", "\n\t\r\b\f\/", "\ud83d\ude00", """
    multi
      line
    """]

namespace smithy.example // a trailing comment

@mixin
@length(min: 1)
string NameMixin

@pattern("^[a-z]+$")
string Name with [NameMixin]

@mixin
structure Identified {
    @required
    id: Name
}

structure Thing with [Identified] {
    props: Props

    doc: Document

    when: Timestamp

    big: BigDecimal = 1.5

    flags: FlagList = []
}

@uniqueItems
list FlagList {
    @length(max: 10)
    member: String
}

@sparse
map Props {
    key: Name
    value: Document
}

@unstable
@externalDocumentation("Home": "https://example.com", "API Reference": "https://example.com/api")
@tags(["a", "b"])
@since("2.0")
document Blobish

resource Garage {
    identifiers: { garageId: GarageId }
    put: PutGarage
    collectionOperations: [InspectGarages]
}

string GarageId

@idempotent
operation PutGarage {
    input := for Garage {
        @required
        $garageId

        car: Thing
    }
    output: Unit
}

operation InspectGarages {
    input: Unit
    output := {}
}

apply Thing$id @documentation("Inherited, then documented.")
"##,
];

/// How many of [`IDL_MODELS`], the first, have a service and so generate a crate.
const IDL_SERVICES: usize = 4;

/// Pieces of Smithy IDL, so that random input gets past the first token now and then.
const IDL_PIECES: &[&str] = &[
    " ", "\n", "\r\n", "\t", ",", "$version", ": ", "\"2.0\"", "\"1.0\"", "namespace ", "ex.a", "use ",
    "metadata ", "apply ", "@", "(", ")", "{", "}", "[", "]", ":", ":=", "=", "#", "$", ".", "\"", "\"\"\"",
    "\"\"\"\n", "//", "/// doc\n", "structure ", "union ", "list ", "map ", "string ", "integer ", "enum ",
    "intEnum ", "operation ", "resource ", "service ", "with ", "for ", "input", "output", "errors", "member",
    "key", "value", "A", "B", "smithy.api#String", "smithy.api#required", "required", "mixin", "default",
    "documentation", "1", "-1.5e3", "1.", "-", "1e", "true", "null", "\\", "\\u", "\\ud800", "é", "\u{0}",
    "\u{fffd}",
];

/// An IDL file's first lines, so that pieces after it reach the shape statements.
const IDL_HEADER: &str = "$version: \"2.0\"\nnamespace ex\n";

/// Loads `text` as `fuzz.smithy` and validates the model; panics on an error.
fn load_idl(what: &str, text: &str) -> smithy_codegen::Model {
    let model = smithy_codegen::load(IDL_FILE, text.as_bytes()).unwrap_or_else(|e| panic!("{what}: {e}"));
    smithy_codegen::validate_model(&model).unwrap_or_else(|e| panic!("{what}: {e}"));
    model
}

/// The inline models are valid: what the mutations start from.
#[test]
fn idl_models_are_valid() {
    let settings = Settings { version: None, crate_name: None, runtime_path: "../runtime".into(), standalone: true, service: None, partitions: None };
    for (i, text) in IDL_MODELS.iter().enumerate() {
        let model = load_idl(&format!("IDL model {i}"), text);
        let result = smithy_codegen::generate(&model, &settings);
        if i < IDL_SERVICES {
            let krate = result.unwrap_or_else(|e| panic!("IDL model {i}: {e}"));
            assert!(krate.files.contains_key("src/lib.rs"), "IDL model {i}");
        } else {
            assert!(result.is_err(), "IDL model {i} has no service");
        }
    }
}

#[test]
fn idl_arbitrary_bytes() {
    let pieces = || prop::collection::vec(prop::sample::select(IDL_PIECES), 0..64).prop_map(|p| p.concat());
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        pieces().prop_map(String::into_bytes),
        pieces().prop_map(|p| format!("{IDL_HEADER}{p}").into_bytes()),
    ];
    let cases = cases(2_000);
    let (tried, _) = fuzz("load(arbitrary bytes as IDL)", cases, strategy, |bytes| run_file(IDL_FILE, &bytes));
    assert_eq!(tried, cases);
}

/// A byte-level edit of a text. A span is a start (an index into the text, or its end) and a
/// length, cut at the end of the text.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Replace(prop::sample::Index, usize, Vec<u8>),
    /// Copies the span to the second index.
    Duplicate(prop::sample::Index, usize, prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<prop::sample::Index>;
    // Mostly short spans, now and then a long one.
    let len = || prop_oneof![4 => 1..8usize, 1 => 1..2_000usize];
    let bytes = || {
        prop_oneof![
            prop::sample::select(IDL_PIECES).prop_map(|p| p.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 1..8),
        ]
    };
    prop_oneof![
        3 => (at(), len()).prop_map(|(a, n)| Edit::Delete(a, n)),
        3 => (at(), bytes()).prop_map(|(a, b)| Edit::Insert(a, b)),
        3 => (at(), len(), bytes()).prop_map(|(a, n, b)| Edit::Replace(a, n, b)),
        2 => (at(), len(), at()).prop_map(|(a, n, to)| Edit::Duplicate(a, n, to)),
        1 => at().prop_map(Edit::Truncate),
    ]
}

fn apply_edit(text: &mut Vec<u8>, edit: &Edit) {
    let span = |text: &Vec<u8>, at: &prop::sample::Index, len: usize| {
        let start = at.index(text.len() + 1);
        start..(start + len).min(text.len())
    };
    match edit {
        Edit::Delete(at, len) => {
            let range = span(text, at, *len);
            text.drain(range);
        }
        Edit::Insert(at, bytes) => {
            let i = at.index(text.len() + 1);
            text.splice(i..i, bytes.iter().copied());
        }
        Edit::Replace(at, len, bytes) => {
            let range = span(text, at, *len);
            text.splice(range, bytes.iter().copied());
        }
        Edit::Duplicate(at, len, to) => {
            let copy = text[span(text, at, *len)].to_vec();
            let i = to.index(text.len() + 1);
            text.splice(i..i, copy);
        }
        Edit::Truncate(at) => text.truncate(at.index(text.len() + 1)),
    }
}

#[test]
fn mutated_idl_text() {
    let strategy = (0..IDL_MODELS.len(), prop::collection::vec(edit(), 1..4));
    let cases = cases(1_000);
    let (tried, generated) = fuzz("load+validate+generate(mutated IDL)", cases, strategy, |(which, edits)| {
        let mut text = IDL_MODELS[which].as_bytes().to_vec();
        for e in &edits {
            apply_edit(&mut text, e);
        }
        run_file(IDL_FILE, &text)
    });
    assert_eq!(tried, cases);
    assert!(generated > 0, "some edits keep the model valid");
}

/// Loads `text`, which must be refused for nesting too deeply, with one line.
fn refused_for_nesting(what: &str, text: &str) {
    let start = Instant::now();
    let result = smithy_codegen::load(IDL_FILE, text.as_bytes());
    let took = start.elapsed();
    let line = match result {
        Ok(_) => panic!("{what}: loaded"),
        Err(e) => e.to_string(),
    };
    assert!(line.starts_with("fuzz.smithy:") && !line.contains('\n'), "{what}: {line}");
    assert!(line.contains("nest"), "{what}: {line}");
    println!("{what}: refused in {took:.2?}: {line}");
}

/// Node values nested a hundred thousand levels deep, wherever a node value goes: refused
/// with an error, not a stack overflow.
#[test]
fn idl_nested_a_hundred_thousand_levels() {
    let depth = 100_000;
    let lists = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}{}", "{a: ".repeat(depth), "}".repeat(depth));
    let unclosed = "[{a: ".repeat(depth);
    let shape = "\nstring S\n";
    for (what, text) in [
        ("lists in a trait", format!("namespace a.b\n@tags({lists}){shape}")),
        ("objects in a trait", format!("namespace a.b\n@deep({objects}){shape}")),
        ("objects in a structured trait", format!("namespace a.b\n@deep(a: {objects}){shape}")),
        ("unclosed in a trait", format!("namespace a.b\n@deep({unclosed}")),
        ("lists in metadata", format!("metadata m = {lists}\nnamespace a.b\n")),
        ("objects in metadata", format!("metadata m = {objects}\n")),
        ("a control statement", format!("$version: {lists}\nnamespace a.b\n")),
        ("a default value", format!("$version: \"2.0\"\nnamespace a.b\nstructure S {{\n    a: Document = {objects}\n}}\n")),
        ("an enum value", format!("$version: \"2.0\"\nnamespace a.b\nintEnum E {{\n    A = {lists}\n}}\n")),
        ("a service", format!("$version: \"2.0\"\nnamespace a.b\nservice S {{\n    version: {lists}\n}}\n")),
        ("an apply statement", format!("namespace a.b\nstring S\napply S @tags({lists})\n")),
        ("a member trait", format!("namespace a.b\nstructure S {{\n    @deep({objects})\n    a: String\n}}\n")),
    ] {
        refused_for_nesting(what, &text);
    }
}

/// The limit is 128 levels (`MAX_DEPTH` of the IDL parser): values that deep load, validate
/// and generate, wherever they are; one level more is refused.
#[test]
fn idl_nesting_limit() {
    let file = |n: usize| {
        let lists = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let objects = format!("{}{{}}{}", "{a: ".repeat(n - 1), "}".repeat(n - 1));
        // `@examples([{ input: { doc: ... } }])`: three levels before the document's own.
        let example = format!("{}{}", "[".repeat(n - 3), "]".repeat(n - 3));
        format!(
            r#"$version: "2.0"
metadata m = {lists}
namespace ex
use aws.protocols#restJson1
use aws.api#service
@restJson1
@service(sdkId: "Deep")
@deep({objects})
service S {{ version: "1", operations: [Op] }}
@examples([{{ title: "deep", input: {{ doc: {example} }} }}])
@http(method: "POST", uri: "/")
operation Op {{
    input := {{
        @deep({lists})
        doc: Document
        @deep(a: {objects})
        other: Document
    }}
}}
"#
        )
    };
    let model = load_idl("128 levels", &file(128));
    let mut depth = 0;
    let mut value = &model.metadata["m"];
    while let Some(first) = value.as_array().and_then(|items| items.first()) {
        depth += 1;
        value = first;
    }
    assert_eq!(depth, 127, "the innermost list is empty");
    let settings = Settings { version: None, crate_name: None, runtime_path: "../runtime".into(), standalone: true, service: None, partitions: None };
    let krate = smithy_codegen::generate(&model, &settings).unwrap_or_else(|e| panic!("128 levels: {e}"));
    assert!(krate.files.contains_key("src/lib.rs"));
    refused_for_nesting("129 levels", &file(129));
}

/// A hundred thousand structures, each mixing in the next: flattened without recursion, so
/// the first inherits the last one's member.
#[test]
fn idl_mixin_chain_of_a_hundred_thousand() {
    let n = 100_000;
    let mut text = String::from("$version: \"2.0\"\nnamespace ex\n\nstructure S0 with [S1] {}\n");
    for i in 1..n - 1 {
        text.push_str(&format!("@mixin\nstructure S{i} with [S{}] {{}}\n", i + 1));
    }
    text.push_str(&format!("@mixin\nstructure S{} {{\n    last: String\n}}\n", n - 1));
    let start = Instant::now();
    let model = load_idl("mixin chain", &text);
    let took = start.elapsed();
    let first = &model.shapes["ex#S0"];
    assert_eq!(first.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["last"]);
    println!("mixin chain of {n}: loaded and validated in {took:.2?}");

    // The same chain, closed into a cycle: refused, naming it.
    let cyclic = text.replace(&format!("structure S{} {{", n - 1), &format!("structure S{} with [S1] {{", n - 1));
    let start = Instant::now();
    let error = smithy_codegen::load(IDL_FILE, cyclic.as_bytes()).map(|_| ()).unwrap_err();
    let line = error.to_string();
    assert!(line.contains("mixin cycle") && !line.contains('\n'), "{line}");
    println!("mixin cycle of {}: refused in {:.2?}: {line}", n - 1, start.elapsed());
}
