//! Hostile input on the request side, through the golden `rest` crate (restJson1, with every
//! request binding: plain and greedy labels, query parameters and maps, headers of each kind,
//! prefix headers with and without a prefix, a blob payload and a host label).
//!
//! A header value holding a line break, or a prefix-header key that is not an HTTP token, must
//! be an `EncodeError` naming the member, never a request with headers nobody set; a host label
//! must be one DNS label; labels and query values are percent-encoded, and a greedy label is
//! sent as given. Last, `encode_request` is fuzzed with arbitrary strings in every bound
//! member: every result is an error or a request that `http::Request::builder()` accepts
//! unchanged.

use std::collections::BTreeMap;

use golden_rest::operations::{DeleteThing, GetStatus, Ping, PutObject};
use golden_rest::types::{DeleteThingInput, GetStatusInput, Mode, PingInput, PutObjectInput};
use proptest::prelude::*;
use smithy_runtime::http::HttpRequest;
use smithy_runtime::operation::{EncodeError, EncodeRequest};
use smithy_runtime::Timestamp;

/// The endpoint the requests are checked against.
const ENDPOINT: &str = "https://example.com";

/// `request` passed through `http::Request::builder()`: an error when the builder refuses it, or
/// when the built request does not read back exactly as given (method, host, path and query,
/// every header name and value, the body), or when `HttpRequest::to_http` refuses it.
fn through_http(request: &HttpRequest) -> Result<(), String> {
    let url = request.url(ENDPOINT);
    let mut builder = http::Request::builder().method(request.method.as_str()).uri(url.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    let built = builder.body(request.body.clone()).map_err(|e| format!("{e} in {request:?}"))?;
    let host = format!("{}example.com", request.host_prefix);
    let read_back = (
        built.method().as_str(),
        built.uri().host(),
        built.uri().path_and_query().map(|p| p.as_str()),
    );
    if read_back != (request.method.as_str(), Some(host.as_str()), Some(request.uri.as_str())) {
        return Err(format!("read back as {read_back:?}: {request:?}"));
    }
    let mut given: Vec<(String, &[u8])> =
        request.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_bytes())).collect();
    let mut got: Vec<(String, &[u8])> =
        built.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.as_bytes())).collect();
    given.sort();
    got.sort();
    if given != got || built.body() != &request.body {
        return Err(format!("headers read back as {got:?}: {request:?}"));
    }
    // The runtime's own conversion (feature `http`) takes it too.
    request.to_http(ENDPOINT).map(drop).map_err(|e| format!("to_http: {e} in {request:?}"))
}

/// A request that must be built and pass `http`'s builder.
fn accepted(result: Result<HttpRequest, EncodeError>) -> HttpRequest {
    let request = result.unwrap_or_else(|e| panic!("refused: {e}"));
    through_http(&request).unwrap_or_else(|e| panic!("{e}"));
    request
}

/// The error's display, or what was built instead.
fn refused(result: Result<HttpRequest, EncodeError>) -> String {
    match result {
        Ok(request) => panic!("built {request:?}"),
        Err(e) => e.to_string(),
    }
}

fn header<'r>(request: &'r HttpRequest, name: &str) -> Vec<&'r str> {
    request.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
}

fn reason(text: &str) -> Result<HttpRequest, EncodeError> {
    let mut input = DeleteThingInput::new("t1");
    input.reason = Some(text.to_owned());
    DeleteThing::encode_request(&input)
}

#[test]
fn header_values_with_line_breaks_are_refused() {
    assert_eq!(
        refused(reason("ok\r\nX-Injected: 1")),
        r#"member `Reason`: the value of header "X-Reason" holds the control character '\r'"#
    );
    assert_eq!(
        refused(reason("ok\nX-Injected: 1")),
        r#"member `Reason`: the value of header "X-Reason" holds the control character '\n'"#
    );
    for bad in ["a\rb", "\0", "a\u{7f}", "\u{1b}[31m", "a\u{85}b", "\u{b}", "\u{c}"] {
        let error = reason(bad).err().map(|e| e.member);
        assert_eq!(error.as_deref(), Some("Reason"), "{bad:?}");
    }
    // Tab, spaces and non-ASCII text are field content.
    let request = accepted(reason("a\tb c, \u{e9}t\u{e9} \u{1f600}"));
    assert_eq!(header(&request, "X-Reason"), ["a\tb c, \u{e9}t\u{e9} \u{1f600}"]);
}

#[test]
fn every_kind_of_header_member_is_checked() {
    let mut input = PutObjectInput::new("b", "k");
    input.tags = Some(vec!["a".to_owned(), "b\r\nX-Injected: 1".to_owned()]);
    assert_eq!(
        refused(PutObject::encode_request(&input)),
        r#"member `Tags`: the value of header "X-Tags" holds the control character '\r'"#
    );
    let mut input = PutObjectInput::new("b", "k");
    input.mode = Some(Mode::from("fast\nX-Injected: 1"));
    assert_eq!(PutObject::encode_request(&input).err().map(|e| e.member).as_deref(), Some("Mode"));
    let mut input = PutObjectInput::new("b", "k");
    input.content_language = Some("en\r".to_owned());
    assert_eq!(PutObject::encode_request(&input).err().map(|e| e.member).as_deref(), Some("ContentLanguage"));
    // A `@mediaType` header is base64: any text is safe in it.
    let mut input = PutObjectInput::new("b", "k");
    input.context = Some("{\"a\":\"\r\n\"}".to_owned());
    let request = accepted(PutObject::encode_request(&input));
    assert_eq!(header(&request, "X-Context"), ["eyJhIjoiDQoifQ=="]);
}

fn metadata(key: &str, value: &str) -> Option<BTreeMap<String, String>> {
    Some(BTreeMap::from([(key.to_owned(), value.to_owned())]))
}

#[test]
fn prefix_header_keys_and_values_are_checked() {
    let mut input = PutObjectInput::new("b", "k");
    input.metadata = metadata("a\r\nX-Injected", "1");
    assert_eq!(
        refused(PutObject::encode_request(&input)),
        r#"member `Metadata`: the header name "x-meta-a\r\nX-Injected" holds '\r', which an HTTP token may not hold"#
    );
    for bad in ["a b", "a:b", "a\tb", "\u{e9}", "a/b", "a\0"] {
        input.metadata = metadata(bad, "1");
        let error = PutObject::encode_request(&input).err().map(|e| e.member);
        assert_eq!(error.as_deref(), Some("Metadata"), "{bad:?}");
    }
    input.metadata = metadata("a", "1\n2");
    assert_eq!(PutObject::encode_request(&input).err().map(|e| e.member).as_deref(), Some("Metadata"));
    input.metadata = metadata("Good-Key_1", "v");
    let request = accepted(PutObject::encode_request(&input));
    assert_eq!(header(&request, "x-meta-Good-Key_1"), ["v"]);
    // With an empty prefix the key is the whole name: an empty key is no name at all, and the
    // headers that frame the message are not a member's to set.
    let mut input = GetStatusInput::new("123456789012");
    input.headers = metadata("", "1");
    assert_eq!(refused(GetStatus::encode_request(&input)), "member `Headers`: the header name is empty");
    for framing in ["Host", "transfer-encoding"] {
        input.headers = metadata(framing, "x");
        assert_eq!(
            refused(GetStatus::encode_request(&input)),
            format!("member `Headers`: sets the header {framing:?}, which only the HTTP layer may set")
        );
    }
    input.headers = metadata("Content-Length", "5");
    assert!(refused(GetStatus::encode_request(&input)).starts_with("member `Headers`: sets Content-Length: 5, but the body is "));
}

fn account(id: &str) -> Result<HttpRequest, EncodeError> {
    GetStatus::encode_request(&GetStatusInput::new(id))
}

#[test]
fn host_labels_are_dns_labels() {
    let request = accepted(account("123456789012"));
    assert_eq!(request.host_prefix, "123456789012.status.");
    assert_eq!(request.url(ENDPOINT), "https://123456789012.status.example.com/status");
    let longest = "a".repeat(63);
    assert_eq!(accepted(account(&longest)).host_prefix, format!("{longest}.status."));
    accepted(account("a-1-B"));
    assert_eq!(
        refused(account("a.b")),
        "member `AccountId`: is a @hostLabel but \"a.b\" is not a DNS label (1 to 63 letters, digits and '-', not starting or ending with '-')"
    );
    let too_long = "a".repeat(64);
    for bad in
        ["", "a-", "-a", "a_b", "a b", "\u{e9}", "evil.com/", "a@b", "a:1", "a\r\nb", too_long.as_str(), "..", "%41"]
    {
        let error = account(bad).err().map(|e| e.member);
        assert_eq!(error.as_deref(), Some("AccountId"), "{bad:?}");
    }
}

fn object(key: &str) -> HttpRequest {
    accepted(PutObject::encode_request(&PutObjectInput::new("my-bucket", key)))
}

fn thing(id: &str) -> HttpRequest {
    accepted(DeleteThing::encode_request(&DeleteThingInput::new(id)))
}

#[test]
fn plain_labels_are_one_segment() {
    // `..` or `.` sent as a segment would be removed by a client or server normalizing the path
    // (`/things/../delete` is `/delete`), encoded or not: refused.
    let dots = DeleteThing::encode_request(&DeleteThingInput::new(".."));
    assert_eq!(
        refused(dots),
        r#"member `ThingId`: is an @httpLabel but "..", a path segment that normalizing the path would remove"#
    );
    let dot = DeleteThing::encode_request(&DeleteThingInput::new("."));
    assert_eq!(dot.err().map(|e| e.member).as_deref(), Some("ThingId"));
    assert_eq!(thing("...").uri, "/things/.../delete");
    assert_eq!(thing("a.b").uri, "/things/a.b/delete");
    assert_eq!(thing("../admin").uri, "/things/..%2Fadmin/delete");
    assert_eq!(thing("a?b#c%d").uri, "/things/a%3Fb%23c%25d/delete");
    assert_eq!(thing("%2E%2E").uri, "/things/%252E%252E/delete");
    assert_eq!(thing("caf\u{e9} \u{1f600}").uri, "/things/caf%C3%A9%20%F0%9F%98%80/delete");
}

#[test]
fn greedy_labels_are_sent_as_given() {
    // An S3 key with `..` segments is the key exactly as given, never a normalized path.
    assert_eq!(object("a/../../b/./c").uri, "/my-bucket/a/../../b/./c?x-id=PutObject");
    assert_eq!(object("..").uri, "/my-bucket/..?x-id=PutObject");
    assert_eq!(object("/a//b/").uri, "/my-bucket//a//b/?x-id=PutObject");
    assert_eq!(object("a?b#c%d").uri, "/my-bucket/a%3Fb%23c%25d?x-id=PutObject");
    assert_eq!(object("caf\u{e9}/\u{1f600}").uri, "/my-bucket/caf%C3%A9/%F0%9F%98%80?x-id=PutObject");
}

#[test]
fn query_values_are_encoded() {
    let mut input = PutObjectInput::new("b", "k");
    input.version_id = Some("a&b=c?d#e%f ..".to_owned());
    input.filters = Some(vec![".".to_owned(), "\u{e9}".to_owned()]);
    input.params = Some(BTreeMap::from([("k&=?#".to_owned(), "v&=?#".to_owned())]));
    let request = accepted(PutObject::encode_request(&input));
    assert_eq!(
        request.uri,
        "/b/k?x-id=PutObject&versionId=a%26b%3Dc%3Fd%23e%25f%20..&filter=.&filter=%C3%A9&k%26%3D%3F%23=v%26%3D%3F%23"
    );
}

#[test]
fn bodiless_puts_and_posts_say_content_length_0() {
    let request = thing("t1");
    assert_eq!((request.method.as_str(), header(&request, "Content-Length")), ("POST", vec!["0"]));
    let request = accepted(Ping::encode_request(&PingInput::default()));
    assert_eq!((request.method.as_str(), header(&request, "Content-Length")), ("PUT", vec!["0"]));
    let request = object("k");
    assert_eq!((request.body.len(), header(&request, "Content-Length")), (0, vec!["0"]));
    let mut input = PutObjectInput::new("b", "k");
    input.body = Some(b"12345".as_slice().into());
    let request = accepted(PutObject::encode_request(&input));
    assert_eq!(header(&request, "Content-Length"), ["5"]);
    // rpcv2Cbor: an operation without input is a POST without a body.
    let request = smithy_runtime::operation::cbor_request("S", "NoInput", None);
    assert_eq!(
        (header(&request, "Content-Length"), header(&request, "Content-Type")),
        (vec!["0"], vec![])
    );
    through_http(&request).unwrap_or_else(|e| panic!("{e}"));
}

/// Text for a bound member: arbitrary Unicode, or short strings of the characters that matter
/// (line breaks, controls, separators, dots, percent signs, non-ASCII).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9.%?#/&=:; \t\r\n\0\u{7f}\u{85}\u{e9}-]{0,12}",
        prop::sample::select(vec!["", ".", "..", "a", "a-1", "Content-Length", "Host", "0"]).prop_map(str::to_owned),
    ]
}

fn map() -> impl Strategy<Value = Option<BTreeMap<String, String>>> {
    prop::option::of(prop::collection::btree_map(text(), text(), 0..3))
}

fn list() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(prop::collection::vec(text(), 0..3))
}

/// Every result is an error naming a member of the input, or a request that `http`'s builder
/// accepts unchanged; nothing panics.
fn check(result: Result<HttpRequest, EncodeError>, members: &[&str]) -> Result<(), TestCaseError> {
    match result {
        Ok(request) => {
            if let Err(problem) = through_http(&request) {
                return Err(TestCaseError::fail(problem));
            }
        }
        Err(error) => prop_assert!(members.contains(&error.member.as_str()), "{error}"),
    }
    Ok(())
}

const PUT_OBJECT: &[&str] = &[
    "Bucket", "Key", "ContentLanguage", "Mode", "Tags", "Expires", "Stamps", "Context", "Count", "Metadata",
    "VersionId", "Filters", "Params", "Body",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn put_object_fuzz(
        (bucket, key, language, mode) in (text(), text(), prop::option::of(text()), prop::option::of(text())),
        (tags, filters, metadata, params) in (list(), list(), map(), map()),
        (context, version, count, seconds) in (prop::option::of(text()), prop::option::of(text()), any::<Option<i32>>(), any::<Option<i32>>()),
        body in prop::option::of(prop::collection::vec(any::<u8>(), 0..8)),
    ) {
        let mut input = PutObjectInput::new(bucket, key);
        input.content_language = language;
        input.mode = mode.as_deref().map(Mode::from);
        input.tags = tags;
        input.filters = filters;
        input.metadata = metadata;
        input.params = params;
        input.context = context;
        input.version_id = version;
        input.count = count;
        input.expires = seconds.map(|s| Timestamp::from_epoch_seconds(i64::from(s)));
        input.stamps = seconds.map(|s| vec![Timestamp::from_epoch_seconds(i64::from(s)); 2]);
        input.body = body.map(Into::into);
        check(PutObject::encode_request(&input), PUT_OBJECT)?;
    }

    #[test]
    fn delete_thing_and_get_status_fuzz(id in text(), reason in prop::option::of(text()), headers in map()) {
        let mut input = DeleteThingInput::new(id.clone());
        input.reason = reason;
        check(DeleteThing::encode_request(&input), &["ThingId", "Reason"])?;
        let mut input = GetStatusInput::new(id);
        input.headers = headers;
        check(GetStatus::encode_request(&input), &["AccountId", "Headers"])?;
    }
}
