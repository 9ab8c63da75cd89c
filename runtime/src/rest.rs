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

/// S3's path-style addressing, for a request built with its bucket in the host (what a client
/// configured for path-style addressing, or an endpoint without virtual hosts, needs): the
/// bucket moves from the host prefix to the front of the path.
#[cfg(feature = "percent-encoding")]
pub fn s3_path_style(request: &mut HttpRequest) {
    let Some(bucket) = request.host_prefix.strip_suffix('.').filter(|b| !b.is_empty()) else { return };
    let bucket = utf8_percent_encode(bucket, UNRESERVED).to_string();
    let (path, query) = match request.uri.split_once('?') {
        Some((path, query)) => (path.to_owned(), format!("?{query}")),
        None => (request.uri.clone(), String::new()),
    };
    let path = if path == "/" { String::new() } else { path };
    request.uri = format!("/{bucket}{path}{query}");
    request.host_prefix.clear();
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

/// A request of a rest protocol, built part by part.
#[cfg(feature = "percent-encoding")]
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: Vec<(String, String)>,
    body: Option<(String, Vec<u8>)>,
    host_prefix: String,
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
        }
    }

    /// Appends literal text of the URI pattern to the path.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends the `@httpLabel` member `member`, percent-encoded (a greedy label keeps its
    /// `/`). A label that is unset or empty is an error naming the member.
    pub fn label(
        &mut self,
        member: &str,
        value: Option<Cow<'_, str>>,
        greedy: bool,
    ) -> Result<(), EncodeError> {
        let error = |message: &str| EncodeError {
            member: member.to_owned(),
            message: message.to_owned(),
        };
        let value = value.ok_or_else(|| error("is an @httpLabel but not set"))?;
        if value.is_empty() {
            return Err(error("is an @httpLabel but empty"));
        }
        let set = if greedy { GREEDY } else { UNRESERVED };
        self.path.extend(utf8_percent_encode(&value, set));
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

    /// Sets the header `name`.
    pub fn header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.push((name.to_owned(), value.into()));
    }

    /// Sets the header `name` to a list of items, comma-separated (items quoted where needed).
    pub fn header_list<'v>(&mut self, name: &str, items: impl IntoIterator<Item = Cow<'v, str>>) {
        let items: Vec<String> = items
            .into_iter()
            .map(|item| header_item(&item).into_owned())
            .collect();
        self.header(name, items.join(", "));
    }

    /// Sets the header `name` to a list of timestamps (HTTP dates are not quoted, though they
    /// hold a comma).
    pub fn header_timestamps(&mut self, name: &str, items: &[Timestamp], format: TimestampFormat) {
        let items: Vec<String> = items.iter().map(|t| timestamp_text(t, format)).collect();
        self.header(name, items.join(", "));
    }

    /// Sets a header for each entry of an `@httpPrefixHeaders` map: `prefix` and the key,
    /// unless an `@httpHeader` member has set that header already (it takes precedence).
    pub fn prefix_headers<V: ToText>(&mut self, prefix: &str, map: &BTreeMap<String, V>) {
        for (key, value) in map {
            let name = format!("{prefix}{key}");
            if !self
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(&name))
            {
                self.header(&name, value.to_text().into_owned());
            }
        }
    }

    /// S3's bucket, addressed in the host (`mybucket.` before the endpoint's host) when it is
    /// a valid host label (lowercase letters, digits and `-`, 3 to 63 of them), else in the
    /// path (`/mybucket` before the rest). Unset or empty is an error naming the member.
    pub fn s3_bucket(&mut self, member: &str, bucket: Option<&str>) -> Result<(), EncodeError> {
        let error = |message: &str| EncodeError { member: member.to_owned(), message: message.to_owned() };
        let bucket = bucket.ok_or_else(|| error("is an @httpLabel but not set"))?;
        if bucket.is_empty() {
            return Err(error("is an @httpLabel but empty"));
        }
        let virtual_host = (3..=63).contains(&bucket.len())
            && !bucket.starts_with('-')
            && !bucket.ends_with('-')
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if virtual_host {
            self.host_prefix = format!("{bucket}.");
        } else {
            let rest = std::mem::take(&mut self.path);
            self.path = format!("/{}", utf8_percent_encode(bucket, UNRESERVED));
            if rest != "/" {
                self.path.push_str(&rest);
            }
        }
        Ok(())
    }

    /// Sets the body and its `Content-Type` (unless a member set that header already).
    pub fn body(&mut self, content_type: &str, bytes: Vec<u8>) {
        self.body = Some((content_type.to_owned(), bytes));
    }

    /// The request: the path and query string (`?a=1&b=2`, percent-encoded), the headers, and
    /// for a body its `Content-Type` and `Content-Length`.
    pub fn build(self) -> HttpRequest {
        let mut uri = self.path;
        if uri.is_empty() {
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
        let mut headers = self.headers;
        let body = match self.body {
            Some((content_type, bytes)) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("Content-Type".to_owned(), content_type));
                }
                headers.push(("Content-Length".to_owned(), bytes.len().to_string()));
                bytes
            }
            None => Vec::new(),
        };
        HttpRequest {
            method: self.method.to_owned(),
            uri,
            headers,
            body,
            host_prefix: self.host_prefix,
            endpoint: None,
        }
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
        request.header_list(
            "X-List",
            [
                Cow::Borrowed("a"),
                Cow::Borrowed("b,c"),
                Cow::Borrowed("d\"e"),
            ],
        );
        let t = Timestamp::from_epoch_seconds(1_576_540_098);
        request.header_timestamps("X-Dates", &[t, t], TimestampFormat::HttpDate);
        let built = request.build();
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
    fn s3_buckets_in_the_host_or_the_path() {
        let mut request = RequestBuilder::new("GET");
        request.path("/");
        assert!(request.label("Key", Some(Cow::Borrowed("a b")), true).is_ok());
        assert!(request.s3_bucket("Bucket", Some("mybucket")).is_ok());
        let mut built = request.build();
        assert_eq!((built.host_prefix.as_str(), built.uri.as_str()), ("mybucket.", "/a%20b"));
        s3_path_style(&mut built);
        assert_eq!((built.host_prefix.as_str(), built.uri.as_str()), ("", "/mybucket/a%20b"));
        let mut request = RequestBuilder::new("GET");
        request.query_literal("list-type", Some("2"));
        assert!(request.s3_bucket("Bucket", Some("My.Bucket")).is_ok());
        let built = request.build();
        assert_eq!((built.host_prefix.as_str(), built.uri.as_str()), ("", "/My.Bucket?list-type=2"));
        let mut request = RequestBuilder::new("GET");
        assert!(request.s3_bucket("Bucket", None).is_err());
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
