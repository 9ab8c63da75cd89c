//! Building the requests of the rest protocols (restJson1, restXml): the path with its
//! labels, the query string, headers and body, by the HTTP binding traits.
//!
//! [`ToText`] (values as text in labels, query strings and headers) is always here, since
//! every generated enum implements it; `RequestBuilder` needs the `percent-encoding` feature,
//! which generated crates of rest services turn on.

use std::borrow::Cow;
#[cfg(feature = "percent-encoding")]
use std::collections::BTreeMap;

#[cfg(feature = "percent-encoding")]
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

#[cfg(feature = "percent-encoding")]
use crate::http::HttpRequest;
#[cfg(feature = "percent-encoding")]
use crate::operation::EncodeError;
use crate::{BigDecimal, BigInteger, Blob, Timestamp, TimestampFormat};

/// What stays as it is in a label or query value: RFC 3986's unreserved characters.
#[cfg(feature = "percent-encoding")]
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// A greedy label keeps its `/` too.
#[cfg(feature = "percent-encoding")]
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// A value written as text in a label, a query parameter or a header.
pub trait ToText {
    /// The value as text.
    fn to_text(&self) -> Cow<'_, str>;
}

impl ToText for String {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToText for bool {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! int_text {
    ($($ty:ty),*) => {
        $(impl ToText for $ty {
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        })*
    };
}

int_text!(i8, i16, i32, i64);

/// A float: its shortest spelling, or `NaN`, `Infinity`, `-Infinity`.
fn float_text(v: f64) -> Cow<'static, str> {
    if v.is_nan() {
        Cow::Borrowed("NaN")
    } else if v.is_infinite() {
        Cow::Borrowed(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        Cow::Owned(v.to_string())
    }
}

impl ToText for f64 {
    fn to_text(&self) -> Cow<'_, str> {
        float_text(*self)
    }
}

impl ToText for f32 {
    fn to_text(&self) -> Cow<'_, str> {
        if self.is_finite() {
            Cow::Owned(self.to_string())
        } else {
            float_text(f64::from(*self))
        }
    }
}

impl ToText for BigInteger {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
}

impl ToText for BigDecimal {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
}

impl ToText for Blob {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_base64())
    }
}

impl<T: ToText + ?Sized> ToText for Box<T> {
    fn to_text(&self) -> Cow<'_, str> {
        (**self).to_text()
    }
}

/// A timestamp as text in `format` (epoch seconds without a fraction when whole).
pub fn timestamp_text(t: &Timestamp, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::DateTime => t.to_date_time_string(),
        TimestampFormat::HttpDate => t.to_http_date_string(),
        TimestampFormat::EpochSeconds if t.subsec_nanos() == 0 => t.epoch_seconds().to_string(),
        TimestampFormat::EpochSeconds => float_text(t.as_epoch_seconds_f64()).into_owned(),
    }
}

/// One item of a header list: quoted when it holds a comma or a double quote.
#[cfg(feature = "percent-encoding")]
fn header_item(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"']) {
        Cow::Owned(format!(
            "\"{}\"",
            text.replace('\\', "\\\\").replace('"', "\\\"")
        ))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `b` may be in an HTTP token (RFC 9110, section 5.6.2), the syntax of header names.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Why `name` cannot be a header name (it must be an HTTP token: one or more letters, digits
/// and ``!#$%&'*+-.^_`|~``), or `None` when it can.
pub fn header_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the header name is empty".to_owned());
    }
    let bad = name.chars().find(|c| !u8::try_from(*c).is_ok_and(is_tchar))?;
    Some(format!("the header name {name:?} holds {bad:?}, which an HTTP token may not hold"))
}

/// Why `value` cannot be the value of the header `name`, or `None` when it can: a line break
/// (CR, LF), NUL or any other control character but tab would end the header or corrupt it, and
/// give a request with headers the caller never set.
pub fn header_value_problem(name: &str, value: &str) -> Option<String> {
    let bad = value.chars().find(|c| c.is_control() && *c != '\t')?;
    Some(format!("the value of header {name:?} holds the control character {bad:?}"))
}

/// The headers the HTTP layer frames the message with, which a member may not set (a second
/// `Host` or a `Transfer-Encoding` would make a request that two servers read differently);
/// `Content-Length` is checked against the body instead.
#[cfg(feature = "percent-encoding")]
const FRAMING: [&str; 2] = ["host", "transfer-encoding"];

/// Whether a request with `method` and no body must still say `Content-Length: 0` (the methods
/// whose requests carry content: without the header, a server may wait for a body).
pub fn needs_content_length(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

/// A header set from a member, with the member's name for errors.
#[cfg(feature = "percent-encoding")]
#[derive(Debug, Clone)]
struct Header {
    member: String,
    name: String,
    value: String,
}

/// A request of a rest protocol, built part by part.
///
/// Every header a member sets is checked: its name must be an HTTP token and its value hold no
/// control character but tab, else it is an [`EncodeError`] naming the member. `Content-Length`
/// is the runtime's: [`RequestBuilder::build`] writes it from the body (`0` for a bodiless
/// `POST`, `PUT` or `PATCH`), and a member setting another length is an error.
#[cfg(feature = "percent-encoding")]
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: Vec<Header>,
    body: Option<(String, Vec<u8>)>,
    host_prefix: String,
    /// The path continues the endpoint's (S3's path after the bucket): an empty one stays
    /// empty, so that a path-style endpoint (`.../mybucket`) is not given a trailing `/`.
    continues_endpoint_path: bool,
}

/// The error for `member`.
#[cfg(feature = "percent-encoding")]
fn encode_error(member: &str, message: impl Into<String>) -> EncodeError {
    EncodeError { member: member.to_owned(), message: message.into() }
}

/// The error for a label that is one path segment (`member`, a plain label or S3's bucket in
/// the path) and is `.` or `..`: a dot-segment, which a client or server that normalizes the
/// path removes (with the segment before it, for `..`), so that the request would name
/// another resource. Percent-encoding does not help: `%2E%2E` is a dot-segment to WHATWG URL
/// parsers, and to servers that decode before normalizing.
#[cfg(feature = "percent-encoding")]
fn dot_segment(member: &str, value: &str) -> Result<(), EncodeError> {
    if value == "." || value == ".." {
        return Err(encode_error(
            member,
            format!("is an @httpLabel but {value:?}, a path segment that normalizing the path would remove"),
        ));
    }
    Ok(())
}

#[cfg(feature = "percent-encoding")]
impl RequestBuilder {
    /// A request with `method` and an empty path.
    pub fn new(method: &'static str) -> RequestBuilder {
        RequestBuilder {
            method,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            host_prefix: String::new(),
            continues_endpoint_path: false,
        }
    }

    /// Appends literal text of the URI pattern to the path.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends the `@httpLabel` member `member`, percent-encoded (everything but RFC 3986's
    /// unreserved characters). A greedy label keeps its `/` and is sent exactly as given, `..`
    /// segments included (never normalized). A label that is unset or empty, or a plain label
    /// that is `.` or `..`, is an error naming the member.
    pub fn label(
        &mut self,
        member: &str,
        value: Option<Cow<'_, str>>,
        greedy: bool,
    ) -> Result<(), EncodeError> {
        let value = value.ok_or_else(|| encode_error(member, "is an @httpLabel but not set"))?;
        if value.is_empty() {
            return Err(encode_error(member, "is an @httpLabel but empty"));
        }
        if greedy {
            self.path.extend(utf8_percent_encode(&value, GREEDY));
        } else {
            dot_segment(member, &value)?;
            self.path.extend(utf8_percent_encode(&value, UNRESERVED));
        }
        Ok(())
    }

    /// Adds a query parameter written in the URI pattern (`?foo=bar`, or `?flag` without `=`).
    pub fn query_literal(&mut self, key: &str, value: Option<&str>) {
        self.query.push((key.to_owned(), value.map(str::to_owned)));
    }

    /// Adds the query parameter `key`, percent-encoded.
    pub fn query(&mut self, key: &str, value: &str) {
        self.query.push((key.to_owned(), Some(value.to_owned())));
    }

    /// Adds every value of the query parameter `key`, in order.
    pub fn query_all<'v>(&mut self, key: &str, values: impl IntoIterator<Item = Cow<'v, str>>) {
        for value in values {
            self.query(key, &value);
        }
    }

    /// Adds the `@httpQueryParams` map: each key with its value (or values), unless a named
    /// `@httpQuery` member has set the key already (it takes precedence).
    pub fn query_params<'v>(&mut self, params: impl IntoIterator<Item = (&'v str, Cow<'v, str>)>) {
        let named: Vec<String> = self.query.iter().map(|(k, _)| k.clone()).collect();
        for (key, value) in params {
            if !named.iter().any(|k| k == key) {
                self.query(key, &value);
            }
        }
    }

    /// Sets the header `name` from the member `member`: an error naming the member when `name`
    /// is not an HTTP token, `value` holds a control character other than tab, or `name` is
    /// `Host` or `Transfer-Encoding`, which the HTTP layer sets.
    pub fn header(
        &mut self,
        member: &str,
        name: &str,
        value: impl Into<String>,
    ) -> Result<(), EncodeError> {
        let value = value.into();
        let problem = header_name_problem(name).or_else(|| header_value_problem(name, &value));
        if let Some(problem) = problem {
            return Err(encode_error(member, problem));
        }
        if FRAMING.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            return Err(encode_error(member, format!("sets the header {name:?}, which only the HTTP layer may set")));
        }
        self.headers.push(Header { member: member.to_owned(), name: name.to_owned(), value });
        Ok(())
    }

    /// Sets the header `name` to a list of items, comma-separated (items quoted where needed);
    /// checked as [`RequestBuilder::header`] checks.
    pub fn header_list<'v>(
        &mut self,
        member: &str,
        name: &str,
        items: impl IntoIterator<Item = Cow<'v, str>>,
    ) -> Result<(), EncodeError> {
        let items: Vec<String> = items
            .into_iter()
            .map(|item| header_item(&item).into_owned())
            .collect();
        self.header(member, name, items.join(", "))
    }

    /// Sets the header `name` to a list of timestamps (HTTP dates are not quoted, though they
    /// hold a comma).
    pub fn header_timestamps(
        &mut self,
        member: &str,
        name: &str,
        items: &[Timestamp],
        format: TimestampFormat,
    ) -> Result<(), EncodeError> {
        let items: Vec<String> = items.iter().map(|t| timestamp_text(t, format)).collect();
        self.header(member, name, items.join(", "))
    }

    /// Sets a header for each entry of the `@httpPrefixHeaders` map `member`: `prefix` and the
    /// key, unless an `@httpHeader` member has set that header already (it takes precedence).
    /// Each name and value is checked as [`RequestBuilder::header`] checks.
    pub fn prefix_headers<V: ToText>(
        &mut self,
        member: &str,
        prefix: &str,
        map: &BTreeMap<String, V>,
    ) -> Result<(), EncodeError> {
        for (key, value) in map {
            let name = format!("{prefix}{key}");
            if !self.headers.iter().any(|h| h.name.eq_ignore_ascii_case(&name)) {
                self.header(member, &name, value.to_text().into_owned())?;
            }
        }
        Ok(())
    }

    /// S3's bucket: the `@httpLabel` member `member` that opens the operation's URI, which the
    /// request's own path leaves out. The endpoint rules address the bucket (S3's `Bucket`
    /// endpoint parameter, bound to the member by `@contextParam`): in the host
    /// (`mybucket.s3.us-west-2.amazonaws.com`) or at the front of the endpoint's path
    /// (`/mybucket`, path-style). Here it is only checked: unset, empty, `.` or `..` is an
    /// error naming the member, as for any label. The request's path is what follows the
    /// bucket in the URI, which may be nothing (`ListObjectsV2`: the URI is `?list-type=2`).
    pub fn s3_bucket(&mut self, member: &str, bucket: Option<&str>) -> Result<(), EncodeError> {
        self.continues_endpoint_path = true;
        let bucket = bucket.ok_or_else(|| encode_error(member, "is an @httpLabel but not set"))?;
        if bucket.is_empty() {
            return Err(encode_error(member, "is an @httpLabel but empty"));
        }
        dot_segment(member, bucket)
    }

    /// Sets the body and its `Content-Type` (unless a member set that header already).
    pub fn body(&mut self, content_type: &str, bytes: Vec<u8>) {
        self.body = Some((content_type.to_owned(), bytes));
    }

    /// The request: the path and query string (`?a=1&b=2`, percent-encoded), the headers, and
    /// for a body its `Content-Type` and `Content-Length` (`Content-Length: 0` for a bodiless
    /// `POST`, `PUT` or `PATCH`). A member that set `Content-Length` to anything but the body's
    /// length is an error naming it.
    pub fn build(self) -> Result<HttpRequest, EncodeError> {
        let mut uri = self.path;
        if uri.is_empty() && !self.continues_endpoint_path {
            uri.push('/');
        }
        for (i, (key, value)) in self.query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.extend(utf8_percent_encode(key, UNRESERVED));
            if let Some(value) = value {
                uri.push('=');
                uri.extend(utf8_percent_encode(value, UNRESERVED));
            }
        }
        let length = match &self.body {
            Some((_, bytes)) => Some(bytes.len()),
            None => needs_content_length(self.method).then_some(0),
        };
        let mut headers = Vec::with_capacity(self.headers.len() + 2);
        for Header { member, name, value } in self.headers {
            if name.eq_ignore_ascii_case("content-length") {
                // One Content-Length, the body's: a member's is kept out once checked.
                if value.trim() != length.unwrap_or(0).to_string() {
                    return Err(encode_error(
                        &member,
                        format!("sets Content-Length: {value}, but the body is {} bytes", length.unwrap_or(0)),
                    ));
                }
                continue;
            }
            headers.push((name, value));
        }
        let body = match self.body {
            Some((content_type, bytes)) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("Content-Type".to_owned(), content_type));
                }
                bytes
            }
            None => Vec::new(),
        };
        if let Some(length) = length {
            headers.push(("Content-Length".to_owned(), length.to_string()));
        }
        Ok(HttpRequest {
            method: self.method.to_owned(),
            uri,
            headers,
            body,
            host_prefix: self.host_prefix,
            endpoint: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn builds_paths_queries_and_headers() {
        let mut request = RequestBuilder::new("GET");
        request.path("/things/");
        assert!(request
            .label("id", Some(Cow::Borrowed("a b/c")), false)
            .is_ok());
        request.path("/");
        assert!(request
            .label("rest", Some(Cow::Borrowed("x/y z")), true)
            .is_ok());
        request.query_literal("flag", None);
        request.query("q", "1 + 1 = 2");
        request.query_all("list", [Cow::Borrowed("a"), Cow::Borrowed("b")]);
        request.query_params([
            ("q", Cow::Borrowed("ignored")),
            ("extra", Cow::Borrowed("e")),
        ]);
        let list = request.header_list(
            "List",
            "X-List",
            [
                Cow::Borrowed("a"),
                Cow::Borrowed("b,c"),
                Cow::Borrowed("d\"e"),
            ],
        );
        assert_eq!(list, Ok(()));
        let t = Timestamp::from_epoch_seconds(1_576_540_098);
        let dates = request.header_timestamps("Dates", "X-Dates", &[t, t], TimestampFormat::HttpDate);
        assert_eq!(dates, Ok(()));
        let Ok(built) = request.build() else { panic!("a request") };
        assert_eq!(built.method, "GET");
        assert_eq!(
            built.uri,
            "/things/a%20b%2Fc/x/y%20z?flag&q=1%20%2B%201%20%3D%202&list=a&list=b&extra=e"
        );
        assert_eq!(
            built.headers,
            vec![
                ("X-List".to_owned(), r#"a, "b,c", "d\"e""#.to_owned()),
                (
                    "X-Dates".to_owned(),
                    "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT".to_owned()
                ),
            ]
        );
        assert!(built.body.is_empty());
    }

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn s3_buckets_are_left_to_the_endpoint() {
        let mut request = RequestBuilder::new("GET");
        request.path("/");
        assert!(request.label("Key", Some(Cow::Borrowed("a b")), true).is_ok());
        assert!(request.s3_bucket("Bucket", Some("mybucket")).is_ok());
        let Ok(built) = request.build() else { panic!("a request") };
        assert_eq!((built.host_prefix.as_str(), built.uri.as_str()), ("", "/a%20b"));
        let mut request = RequestBuilder::new("GET");
        request.query_literal("list-type", Some("2"));
        assert!(request.s3_bucket("Bucket", Some("My.Bucket")).is_ok());
        let Ok(built) = request.build() else { panic!("a request") };
        assert_eq!((built.host_prefix.as_str(), built.uri.as_str()), ("", "?list-type=2"));
        // What follows the bucket goes after the endpoint's path, which holds the bucket in
        // path-style addressing.
        assert_eq!(built.url("https://s3.us-west-2.amazonaws.com/My.Bucket"), "https://s3.us-west-2.amazonaws.com/My.Bucket?list-type=2");
        assert_eq!(built.url("https://mybucket.s3.us-west-2.amazonaws.com"), "https://mybucket.s3.us-west-2.amazonaws.com/?list-type=2");
        let mut request = RequestBuilder::new("GET");
        assert!(request.s3_bucket("Bucket", None).is_err());
        assert!(request.s3_bucket("Bucket", Some("")).is_err());
    }

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn labels_must_be_set_and_not_empty() {
        let mut request = RequestBuilder::new("GET");
        let missing = request.label("id", None, false).map_err(|e| e.to_string());
        assert_eq!(
            missing,
            Err("member `id`: is an @httpLabel but not set".to_owned())
        );
        let empty = request
            .label("id", Some(Cow::Borrowed("")), false)
            .map_err(|e| e.to_string());
        assert_eq!(
            empty,
            Err("member `id`: is an @httpLabel but empty".to_owned())
        );
    }

    /// The message of an error, or of the lack of one.
    #[cfg(feature = "percent-encoding")]
    fn refusal(result: Result<(), EncodeError>) -> String {
        result.map_or_else(|e| e.to_string(), |()| "accepted".to_owned())
    }

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn headers_that_would_inject_others_are_refused() {
        let mut request = RequestBuilder::new("GET");
        assert_eq!(
            refusal(request.header("Reason", "X-Reason", "ok\r\nX-Injected: 1")),
            r#"member `Reason`: the value of header "X-Reason" holds the control character '\r'"#
        );
        for bad in ["a\nb", "a\0", "\u{7f}", "\u{1b}[0m", "\u{85}"] {
            assert!(request.header("Reason", "X-Reason", bad).is_err(), "{bad:?}");
        }
        assert_eq!(refusal(request.header("Reason", "X-Reason", "a\tb \u{e9}")), "accepted");
        assert_eq!(
            refusal(request.header_list("Tags", "X-Tags", [Cow::Borrowed("a"), Cow::Borrowed("b\r\nc")])),
            r#"member `Tags`: the value of header "X-Tags" holds the control character '\r'"#
        );
        assert_eq!(
            refusal(request.header("M", "X Y", "v")),
            r#"member `M`: the header name "X Y" holds ' ', which an HTTP token may not hold"#
        );
        assert_eq!(refusal(request.header("M", "", "v")), "member `M`: the header name is empty");
        for bad in ["a:b", "a\r\nb", "\u{e9}", "a(b)", "a\"b"] {
            assert!(request.header("M", bad, "v").is_err(), "{bad:?}");
        }
        assert_eq!(refusal(request.header("M", "!#$%&'*+-.^_`|~09azAZ", "v")), "accepted");
        assert_eq!(
            refusal(request.header("M", "host", "evil.example.com")),
            r#"member `M`: sets the header "host", which only the HTTP layer may set"#
        );
        assert!(request.header("M", "Transfer-Encoding", "chunked").is_err());
        let map = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert_eq!(
            refusal(request.prefix_headers("Meta", "x-meta-", &map("a\r\nX-Injected", "1"))),
            r#"member `Meta`: the header name "x-meta-a\r\nX-Injected" holds '\r', which an HTTP token may not hold"#
        );
        assert!(request.prefix_headers("Meta", "x-meta-", &map("a", "1\n2")).is_err());
        assert_eq!(
            refusal(request.prefix_headers("All", "", &map("", "1"))),
            "member `All`: the header name is empty"
        );
        assert_eq!(refusal(request.prefix_headers("Meta", "x-meta-", &map("Good-Key", "v"))), "accepted");
        let Ok(built) = request.build() else { panic!("a request") };
        assert_eq!(
            built.headers,
            vec![
                ("X-Reason".to_owned(), "a\tb \u{e9}".to_owned()),
                ("!#$%&'*+-.^_`|~09azAZ".to_owned(), "v".to_owned()),
                ("x-meta-Good-Key".to_owned(), "v".to_owned()),
            ]
        );
    }

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn content_length_is_the_body_s() {
        let length = |request: RequestBuilder| {
            request.build().map(|r| {
                let lengths: Vec<String> = r
                    .headers
                    .into_iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .map(|(_, v)| v)
                    .collect();
                lengths.join(" ")
            })
        };
        for method in ["POST", "PUT", "PATCH"] {
            assert_eq!(length(RequestBuilder::new(method)), Ok("0".to_owned()), "{method}");
        }
        for method in ["GET", "DELETE", "HEAD"] {
            assert_eq!(length(RequestBuilder::new(method)), Ok(String::new()), "{method}");
        }
        let mut request = RequestBuilder::new("GET");
        request.body("text/plain", b"abc".to_vec());
        assert_eq!(length(request), Ok("3".to_owned()));
        // A member's Content-Length is kept when it is the body's, else refused.
        let mut request = RequestBuilder::new("PUT");
        assert!(request.header("ContentLength", "Content-Length", "3").is_ok());
        request.body("text/plain", b"abc".to_vec());
        assert_eq!(length(request), Ok("3".to_owned()));
        let mut request = RequestBuilder::new("PUT");
        assert!(request.header("ContentLength", "content-length", "10").is_ok());
        request.body("text/plain", b"abc".to_vec());
        assert_eq!(
            length(request).map_err(|e| e.to_string()),
            Err("member `ContentLength`: sets Content-Length: 10, but the body is 3 bytes".to_owned())
        );
        let mut request = RequestBuilder::new("GET");
        assert!(request.header("ContentLength", "Content-Length", "5").is_ok());
        assert!(length(request).is_err());
    }

    #[test]
    #[cfg(feature = "percent-encoding")]
    fn dot_segments_in_plain_labels_are_refused() {
        let path = |value: &str, greedy: bool| {
            let mut request = RequestBuilder::new("GET");
            request.path("/a/");
            let labelled = request.label("L", Some(Cow::Borrowed(value)), greedy);
            labelled.and_then(|()| request.build()).map(|r| r.uri).map_err(|e| e.to_string())
        };
        assert_eq!(
            path("..", false),
            Err(r#"member `L`: is an @httpLabel but "..", a path segment that normalizing the path would remove"#.to_owned())
        );
        assert!(path(".", false).is_err());
        assert_eq!(path("...", false), Ok("/a/...".to_owned()));
        assert_eq!(path("a.b", false), Ok("/a/a.b".to_owned()));
        assert_eq!(path("../x", false), Ok("/a/..%2Fx".to_owned()));
        assert_eq!(path("../x/./y", true), Ok("/a/../x/./y".to_owned()));
        assert_eq!(path("..", true), Ok("/a/..".to_owned()));
        let mut request = RequestBuilder::new("GET");
        assert!(request.s3_bucket("Bucket", Some("..")).is_err());
        assert!(request.s3_bucket("Bucket", Some(".")).is_err());
        assert!(request.s3_bucket("Bucket", Some("a..b")).is_ok());
    }

    #[test]
    fn texts() {
        assert_eq!(f64::NAN.to_text(), "NaN");
        assert_eq!(f32::NEG_INFINITY.to_text(), "-Infinity");
        assert_eq!(1.1f32.to_text(), "1.1");
        assert_eq!(
            timestamp_text(&Timestamp::from_epoch_seconds(1), TimestampFormat::DateTime),
            "1970-01-01T00:00:01Z"
        );
        let half = Timestamp::from_secs_nanos(1, 500_000_000).unwrap_or_default();
        assert_eq!(timestamp_text(&half, TimestampFormat::EpochSeconds), "1.5");
    }
}
