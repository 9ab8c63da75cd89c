//! Bounded fuzzing (proptest) of the generated error decoders: `from_json` with arbitrary JSON
//! values, `from_xml` with arbitrary well-formed XML, and `from_response` with arbitrary status,
//! headers and body bytes. Nothing may panic; bodies nested 100,000 levels deep decode without
//! overflowing the stack. Three generated crates are driven: ECR (awsJson1_1), the `shapes`
//! fixture (restJson1, a recursive union, numbers, timestamps, header-bound members) and the
//! `query` fixture (awsQuery, XML lists and maps). `from_response` must also decode JSON bodies
//! (repeated keys and escapes included) exactly as decoding a parsed `serde_json::Value` does.
//!
//! Each run prints how many inputs it tried and how long it took (`--nocapture` shows it);
//! `PROPTEST_CASES=N` sets the number of inputs of each run.

use std::time::Instant;

use ecr::operations::{DescribeImageScanFindings, DescribeImages, GetAuthorizationToken, StartImageScan};
use ecr::{StartImageScanError, UploadLayerPartError};
use golden_query::SendMessageError;
use golden_shapes::GetThingError;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Number, Value as Json};
use smithy_runtime::error::{ErrorBody, OperationError};
use smithy_runtime::http::HttpResponse;
use smithy_runtime::operation::Operation;
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

/// Spellings a `Value` does not render: escapes (of keys too), other forms of numbers.
const RAW_JSON: &[&str] = &[
    r#""\u00e9t\u00e9""#, r#""a\"b\\c\/""#, r#""\ud83d\ude00""#, r#""\u0000""#, "-0", "1E2", "-1e0", "0.0", "1.5e1",
    "18446744073709551616", "-9223372036854775809", "1e-7", "1398796238.123", r#""Zm9v""#,
];

/// An object key as JSON text: [`NAMES`], often one of a few members the decoded errors have
/// (so that keys repeat), sometimes spelt with escapes.
fn key_text() -> impl Strategy<Value = String> {
    const FEW: &[&str] = &["message", "Message", "__type", "code", "lastValidByteReceived", "when", "tree", "leaf", "branch", "empty"];
    prop_oneof![
        3 => prop::sample::select(FEW).prop_map(|n| Json::String(n.to_owned()).to_string()),
        3 => name().prop_map(|n| Json::String(n).to_string()),
        1 => prop::sample::select(&[r#""mess\u0061ge""#, r#""\u005f_type""#, r#""\u0063ode""#, r#""tr\u0065e""#, r#""l\u0065af""#][..])
            .prop_map(str::to_owned),
    ]
}

/// JSON text whose objects may repeat keys and whose strings and keys may hold escapes.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![3 => json().prop_map(|v| v.to_string()), 1 => prop::sample::select(RAW_JSON).prop_map(str::to_owned)];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((key_text(), inner), 0..6).prop_map(|entries| object_text(&entries)),
        ]
    })
}

fn object_text(entries: &[(String, String)]) -> String {
    let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("{{{}}}", entries.join(","))
}

/// An error body as JSON text: an object of [`NAMES`] (repeated, escaped) and [`json_text`],
/// or often plain strings (which most members are).
fn json_body_text() -> impl Strategy<Value = String> {
    let value = prop_oneof![text().prop_map(|t| Json::String(t).to_string()), json_text()];
    prop::collection::vec((key_text(), value), 0..8).prop_map(|entries| object_text(&entries))
}

/// What `from_response` did before it parsed into `json::Parsed`: the body as a `serde_json::Value`,
/// the code from the `X-Amzn-Errortype` header or the body's `code` or `__type`, else (when that
/// is blank once sanitized) from the status.
fn decode_via_value<E: OperationError>(response: &HttpResponse<'_>) -> E {
    use smithy_runtime::error::{sanitize_code, status_code};
    let value: Option<Json> =
        if response.body.iter().all(u8::is_ascii_whitespace) { None } else { serde_json::from_slice(response.body).ok() };
    let from_header =
        smithy_runtime::http::header(response.headers, "x-amzn-errortype").filter(|c| !sanitize_code(c).is_empty());
    let from_body = || ["code", "__type"].iter().find_map(|key| value.as_ref()?.get(key)?.as_str());
    let code = from_header.or_else(from_body).filter(|c| !sanitize_code(c).is_empty());
    let code = code.or_else(|| status_code(response.status)).unwrap_or("");
    let body = value.as_ref().map_or(ErrorBody::Empty, ErrorBody::Json);
    E::decode(code, &body, response.headers, Some(response.status))
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

/// Decodes a whole response with an operation's `decode_response`, success or error, and uses
/// what came out; a panic fails the run.
macro_rules! decode_all {
    ($response:expr, $($operation:ty),*) => {$(
        match <$operation as Operation>::decode_response($response) {
            Ok(output) => {
                let _ = (format!("{output:?}"), smithy_runtime::ToValue::to_value(&output).to_string());
            }
            Err(error) => exercise!(error),
        }
    )*};
}

#[test]
fn decode_response_with_arbitrary_bodies_and_headers() {
    let bodies = prop_oneof![
        3 => json_body_text().prop_map(String::into_bytes),
        1 => json_text().prop_map(String::into_bytes),
        1 => body()
    ];
    let header = (prop::sample::select(&["x-amzn-errortype", "Retry-After", "x-amz-meta-a", "content-type"][..]), "[ -~]{0,12}");
    let strategy = (prop::sample::select(&[200u16, 204, 400, 404, 500][..]), prop::collection::vec(header, 0..3), bodies);
    let cases = cases(1_000);
    let tried = fuzz("decode_response", cases, strategy, |(status, headers, body)| {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = HttpResponse { status, headers: &headers, body: &body };
        decode_all!(&response, DescribeImages, DescribeImageScanFindings, StartImageScan, GetAuthorizationToken);
        decode_all!(&response, golden_shapes::operations::GetThing, golden_shapes::operations::ListParts);
        decode_all!(&response, golden_shapes::operations::PutEverything, golden_query::operations::SendMessage);
        Ok(())
    });
    assert_eq!(tried, cases);
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
fn from_response_decodes_json_as_a_value_would() {
    let bodies = prop_oneof![3 => json_body_text().prop_map(String::into_bytes), 1 => json_text().prop_map(String::into_bytes), 1 => body()];
    let strategy = (prop::option::of(prop::sample::select(CODES)), bodies);
    let cases = cases(1_000);
    let tried = fuzz("from_response vs a Value", cases, strategy, |(code, body)| {
        let headers: Vec<(&str, &str)> = code.map(|code| ("x-amzn-errortype", code)).into_iter().collect();
        let response = HttpResponse { status: 400, headers: &headers, body: &body };
        // Debug output, in which NaN equals itself.
        macro_rules! same {
            ($($error:ty),*) => {$(
                prop_assert_eq!(
                    format!("{:?}", <$error>::from_response(&response)),
                    format!("{:?}", decode_via_value::<$error>(&response)),
                    "{}", String::from_utf8_lossy(&body)
                );
            )*};
        }
        same!(StartImageScanError, UploadLayerPartError, GetThingError);
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
            exercise!(smithy_runtime::error::from_xml::<StartImageScanError>(code, element));
            exercise!(smithy_runtime::error::from_xml::<UploadLayerPartError>(code, element));
            exercise!(smithy_runtime::error::from_xml::<GetThingError>(code, element));
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
    let error = smithy_runtime::error::from_xml::<GetThingError>("NotFound", document.root_element());
    exercise!(&error);
    // The shapes fixture speaks JSON: its structures read no XML, so the error is its default
    // (the recursion through XML is exercised by the XML crates' decoders below).
    let GetThingError::NotFound(found) = error else { panic!("NotFound") };
    assert_eq!(found.message, None);
    exercise!(SendMessageError::from_xml("InvalidMessageContents", document.root_element()));
    println!("a value and a document nested {DEEP} levels deep through from_json and from_xml in {:.2?}", start.elapsed());
}


