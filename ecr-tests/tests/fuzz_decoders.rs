//! Bounded fuzzing (proptest) of the generated error decoders: `from_json` with arbitrary JSON
//! values, `from_xml` with arbitrary well-formed XML, and `from_response` with arbitrary status,
//! headers and body bytes. Nothing may panic; bodies nested 100,000 levels deep decode without
//! overflowing the stack. Three generated crates are driven: ECR (awsJson1_1), the `shapes`
//! fixture (restJson1, a recursive union, numbers, timestamps, header-bound members) and the
//! `query` fixture (awsQuery, XML lists and maps).
//!
//! Each run prints how many inputs it tried and how long it took (`--nocapture` shows it);
//! `PROPTEST_CASES=N` sets the number of inputs of each run.

use std::time::Instant;

use ecr::{StartImageScanError, UploadLayerPartError};
use golden_query::SendMessageError;
use golden_shapes::GetThingError;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Number, Value as Json};
use smithy_runtime::error::HttpResponse;
use smithy_runtime::xml;

/// Error codes: every one the three crates declare, spelled as services send them, and some
/// they do not declare.
const CODES: &[&str] = &[
    "ImageNotFoundException",
    "RepositoryNotFoundException",
    "InvalidParameterException",
    "InvalidLayerPartException",
    "ServerException",
    "ValidationException",
    "com.amazonaws.ecr#LimitExceededException",
    "LimitExceededException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
    "NotFound",
    "ServiceFault",
    "example.shapes#NotFound:extra",
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
    "InvalidMessageContents",
    "Throttling",
    "",
    " ",
    ":",
    "#",
];

/// Object keys and element names: members of the error structures of the three crates, the
/// spellings of codes and messages, and the wrappers of the protocols.
const NAMES: &[&str] = &[
    "message", "Message", "errorMessage", "__type", "code", "Code", "registryId", "repositoryName",
    "uploadId", "lastValidByteReceived", "resourceId", "ResourceId", "when", "tree", "leaf", "branch",
    "left", "right", "empty", "color", "level", "names", "member", "Details", "Codes", "Attributes",
    "entry", "key", "value", "id", "Error", "ErrorResponse", "Errors", "Response", "Type", "RequestId",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![4 => prop::sample::select(NAMES).prop_map(str::to_owned), 1 => "[a-zA-Z_][a-zA-Z0-9_.-]{0,8}"]
}

fn number() -> impl Strategy<Value = Json> {
    prop_oneof![
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Json::Number)),
        prop::sample::select(&[1e30, -1e30, 1e20, 1.180_591_620_717_411_3e21, 3.5, -0.0, 2_147_483_648.0, 253_402_300_800.0][..])
            .prop_map(|f| Json::Number(Number::from_f64(f).expect("finite"))),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,16}",
        prop::sample::select(
            &[
                "2014-04-29T18:30:38Z",
                "10000-01-01T00:00:00Z",
                "Tue, 29 Apr 2014 18:30:38 GMT",
                "1e20",
                "NaN",
                "-Infinity",
                "aGVsbG8=",
                "RED",
                "dark-green",
                "QueueDoesNotExist",
                "NotFound",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![Just(Json::Null), any::<bool>().prop_map(Json::Bool), number(), text().prop_map(Json::String)];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((name(), inner), 0..6).prop_map(|entries| Json::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object whose members are drawn from [`NAMES`]: the shape of an error body.
fn json_body() -> impl Strategy<Value = Json> {
    prop::collection::vec((name(), json()), 0..8).prop_map(|entries| Json::Object(entries.into_iter().collect()))
}

/// A well-formed XML element tree, rendered with escapes, CDATA, namespaces and attributes.
#[derive(Debug, Clone)]
enum Node {
    Element { name: String, prefix: bool, attrs: Vec<(String, String)>, children: Vec<Node> },
    Text(String),
    CData(String),
}

/// `s` as XML text: escaped, and without the characters XML 1.0 does not allow.
fn escape(s: &str) -> String {
    s.replace(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{fffe}' | '\u{ffff}'), "?")
        .replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl Node {
    fn render(&self, out: &mut String) {
        match self {
            Node::Text(t) => out.push_str(&escape(t)),
            Node::CData(t) => {
                out.push_str("<![CDATA[");
                out.push_str(&escape(t));
                out.push_str("]]>");
            }
            Node::Element { name, prefix, attrs, children } => {
                let tag = if *prefix { format!("ns:{name}") } else { name.clone() };
                out.push('<');
                out.push_str(&tag);
                if *prefix {
                    out.push_str(" xmlns:ns=\"urn:x\"");
                }
                let mut seen = Vec::new();
                for (k, v) in attrs {
                    if !seen.contains(k) {
                        out.push_str(&format!(" {k}=\"{}\"", escape(v)));
                        seen.push(k.clone());
                    }
                }
                out.push('>');
                for child in children {
                    child.render(out);
                }
                out.push_str(&format!("</{tag}>"));
            }
        }
    }
}

fn xml_node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![4 => text().prop_map(Node::Text), 1 => text().prop_map(Node::CData)];
    leaf.prop_recursive(6, 64, 6, |inner| {
        (name(), any::<bool>(), prop::collection::vec(("[a-z]{1,4}", text()), 0..2), prop::collection::vec(inner, 0..6))
            .prop_map(|(name, prefix, attrs, children)| Node::Element { name, prefix, attrs, children })
    })
}

/// XML text: a rendered tree under a root element that is sometimes `<ErrorResponse>` or
/// `<Error>`.
fn xml_text() -> impl Strategy<Value = String> {
    (prop::sample::select(&["ErrorResponse", "Error", "Response", "Other"][..]), prop::collection::vec(xml_node(), 0..6)).prop_map(
        |(root, children)| {
            let mut out = String::new();
            Node::Element { name: root.to_owned(), prefix: false, attrs: Vec::new(), children }.render(&mut out);
            out
        },
    )
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let header_name = prop_oneof![
        prop::sample::select(&["x-amzn-errortype", "X-Amzn-ErrorType", "x-amzn-query-error", "Retry-After", "Content-Type", "x-amzn-requestid"][..])
            .prop_map(str::to_owned),
        "[A-Za-z-]{1,12}",
    ];
    let value = prop_oneof![prop::sample::select(CODES).prop_map(str::to_owned), text(), "[ -~]{0,24}"];
    prop::collection::vec((header_name, value), 0..5)
}

/// A body: random bytes, a JSON body, an XML body, or one of those with bytes flipped.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let json = json_body().prop_map(|j| j.to_string().into_bytes());
    let xml = xml_text().prop_map(String::into_bytes);
    let flipped = (prop_oneof![json_body().prop_map(|j| j.to_string().into_bytes()), xml_text().prop_map(String::into_bytes)], any::<u64>())
        .prop_map(|(mut bytes, seed)| {
            let mut s = seed | 1;
            for _ in 0..1 + seed % 4 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                if !bytes.is_empty() {
                    let at = (s % bytes.len() as u64) as usize;
                    bytes[at] = (s >> 32) as u8;
                }
            }
            bytes
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..128), json, xml, flipped]
}

/// Uses every part of a decoded error, so that nothing is left unevaluated.
macro_rules! exercise {
    ($error:expr) => {{
        let error = $error;
        let _ = (error.to_string(), error.code().len(), error.message().map(str::len), format!("{error:?}"));
    }};
}

/// How many inputs a run tries: `default`, or `$PROPTEST_CASES` for a longer (or shorter) run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases` inputs of `strategy`; prints and returns how many were tried.
fn fuzz<S: Strategy>(what: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) -> u32
where
    S::Value: std::fmt::Debug,
{
    let tried = std::cell::Cell::new(0u32);
    let start = Instant::now();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |input| {
        tried.set(tried.get() + 1);
        test(input)
    });
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    println!("{what}: {} inputs in {:.2?}", tried.get(), start.elapsed());
    tried.get()
}

#[test]
fn from_json_with_arbitrary_values() {
    let strategy = (prop::sample::select(CODES), prop_oneof![json_body(), json()]);
    let cases = cases(1_000);
    let tried = fuzz("from_json", cases, strategy, |(code, body)| {
        exercise!(StartImageScanError::from_json(code, &body));
        exercise!(UploadLayerPartError::from_json(code, &body));
        exercise!(GetThingError::from_json(code, &body));
        exercise!(SendMessageError::from_json(code, &body));
        Ok(())
    });
    assert_eq!(tried, cases);
}

#[test]
fn from_xml_with_arbitrary_documents() {
    let parsed = std::cell::Cell::new(0u32);
    let strategy = (prop::sample::select(CODES), xml_text());
    let cases = cases(500);
    let tried = fuzz("from_xml", cases, strategy, |(code, text)| {
        let document = xml::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        parsed.set(parsed.get() + 1);
        let root = document.root_element();
        for element in std::iter::once(root).chain(root.descendants().filter(|n| n.is_element()).take(3)) {
            exercise!(StartImageScanError::from_xml(code, element));
            exercise!(UploadLayerPartError::from_xml(code, element));
            exercise!(GetThingError::from_xml(code, element));
            exercise!(SendMessageError::from_xml(code, element));
        }
        Ok(())
    });
    assert_eq!((tried, parsed.get()), (cases, cases), "every generated document parses");
}

#[test]
fn from_response_with_arbitrary_status_headers_and_bytes() {
    let strategy = (any::<u16>(), headers(), body());
    let cases = cases(1_000);
    let tried = fuzz("from_response", cases, strategy, |(status, headers, body)| {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = HttpResponse { status, headers: &headers, body: &body };
        exercise!(StartImageScanError::from_response(&response));
        exercise!(UploadLayerPartError::from_response(&response));
        exercise!(GetThingError::from_response(&response));
        exercise!(SendMessageError::from_response(&response));
        Ok(())
    });
    assert_eq!(tried, cases);
}

// ---------------------------------------------------------------------------
// A hundred thousand levels deep

const DEEP: usize = 100_000;

/// Takes a deep JSON value apart without recursion (dropping it whole would recurse once per
/// level).
fn dismantle(value: Json) {
    let mut stack = vec![value];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Json::Array(items) => stack.append(items),
            Json::Object(map) => stack.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[test]
fn deeply_nested_bodies_through_from_response() {
    let bodies = [
        format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
        format!(r#"{{"__type": "NotFound", "tree": {}"x"{}}}"#, r#"{"branch": {"left": "#.repeat(DEEP), "}}".repeat(DEEP)),
        format!("<ErrorResponse><Error><Code>NotFound</Code>{}{}</Error></ErrorResponse>", "<tree><branch><left>".repeat(DEEP), "</left></branch></tree>".repeat(DEEP)),
        format!("{}{}", "<a>".repeat(DEEP), "</a>".repeat(DEEP)),
    ];
    let start = Instant::now();
    for body in &bodies {
        let headers = [("x-amzn-errortype", "NotFound")];
        let response = HttpResponse { status: 404, headers: &headers, body: body.as_bytes() };
        exercise!(StartImageScanError::from_response(&response));
        exercise!(GetThingError::from_response(&response));
        exercise!(SendMessageError::from_response(&response));
        // Too deep to be read: the code from the header stands, the members are absent.
        let GetThingError::NotFound(found) = GetThingError::from_response(&response) else { panic!("NotFound") };
        assert_eq!(found.tree, None);
    }
    println!("4 bodies nested {DEEP} levels deep through from_response in {:.2?}", start.elapsed());
}

#[test]
fn deeply_nested_values_through_from_json_and_from_xml() {
    let start = Instant::now();
    // A value built in memory is not limited by the JSON parser: the decoders bound their own
    // recursion.
    let mut tree = Json::String("leaf".into());
    for _ in 0..DEEP {
        let mut branch = Map::new();
        branch.insert("left".into(), tree);
        let mut union = Map::new();
        union.insert("branch".into(), Json::Object(branch));
        tree = Json::Object(union);
    }
    let mut body = Map::new();
    body.insert("message".into(), Json::String("deep".into()));
    body.insert("tree".into(), tree);
    let body = Json::Object(body);
    let error = GetThingError::from_json("NotFound", &body);
    exercise!(&error);
    let GetThingError::NotFound(found) = error else { panic!("NotFound") };
    assert_eq!(found.message.as_deref(), Some("deep"));
    exercise!(StartImageScanError::from_json("ImageNotFoundException", &body));
    dismantle(body);

    // Likewise a document parsed without the runtime's depth limit.
    let text = format!(
        "<Error><Message>deep</Message><tree>{}<leaf>x</leaf>{}</tree></Error>",
        "<branch><left>".repeat(DEEP),
        "</left></branch>".repeat(DEEP)
    );
    let options = xml::roxmltree::ParsingOptions { nodes_limit: u32::MAX, ..Default::default() };
    let document = xml::roxmltree::Document::parse_with_options(&text, options).expect("well-formed");
    let error = GetThingError::from_xml("NotFound", document.root_element());
    exercise!(&error);
    let GetThingError::NotFound(found) = error else { panic!("NotFound") };
    assert_eq!(found.message.as_deref(), Some("deep"));
    exercise!(SendMessageError::from_xml("InvalidMessageContents", document.root_element()));
    println!("a value and a document nested {DEEP} levels deep through from_json and from_xml in {:.2?}", start.elapsed());
}
