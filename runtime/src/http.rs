//! HTTP messages as the generated code sees them, and strict decoding of header values.
//!
//! With the runtime's `http` feature, `HttpRequest::into_http` gives an `http::Request` and
//! `ResponseParts` borrows an `http::Response` as an [`HttpResponse`], for the clients and
//! servers built on the `http` crate (hyper, reqwest, axum, tower).

use std::collections::BTreeMap;

use crate::decode::{quote, DecodeError};
use crate::{BigDecimal, BigInteger, Blob, Timestamp, TimestampFormat};

#[cfg(feature = "http")]
pub use crate::http_interop::{HeaderPairs, HttpConversionError, ResponseParts};

/// An HTTP request, as a serializer builds it. Its `Debug` prints the values of the
/// `Authorization` and `X-Amz-Security-Token` headers (a signed request's credentials) as
/// `** redacted **`.
#[derive(Clone, PartialEq, Default)]
pub struct HttpRequest {
    /// The method (`GET`, `POST`, ...).
    pub method: String,
    /// The path and query (`/v2/images?maxResults=10`), relative to the endpoint's path. The
    /// path is empty only for S3 operations on a bucket with nothing after it in the URI
    /// (`?list-type=2`): the endpoint's URL holds the bucket, in its host or its path.
    pub uri: String,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// What the operation's `@endpoint` trait puts before the endpoint's host (`foo.`,
    /// `data-{label}.` filled in); empty for most operations.
    pub host_prefix: String,
    /// An endpoint the request itself names, which [`HttpRequest::url`] uses instead of the
    /// caller's (Machine Learning's `Predict` takes its `PredictEndpoint`).
    pub endpoint: Option<String>,
}

impl HttpRequest {
    /// The request's URL against `endpoint` (`https://ecr.us-east-1.amazonaws.com`, with or
    /// without a path of its own): the host prefix goes before the host, the endpoint's path
    /// before the request's (an empty request path gives the endpoint's path, or `/`).
    pub fn url(&self, endpoint: &str) -> String {
        let endpoint = self.endpoint.as_deref().unwrap_or(endpoint);
        let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
        let (host, base) = rest.split_once('/').unwrap_or((rest, ""));
        let base = base.trim_end_matches('/');
        let path = match (base.is_empty(), self.uri.is_empty() || self.uri.starts_with('?')) {
            (true, true) => format!("/{}", self.uri),
            (true, false) => self.uri.clone(),
            (false, _) => format!("/{base}{}", self.uri),
        };
        format!("{scheme}://{}{host}{path}", self.host_prefix)
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// The headers, with the credentials of a signature redacted.
        struct Headers<'a>(&'a [(String, String)]);
        impl std::fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|(name, value)| {
                        let secret = name.eq_ignore_ascii_case("authorization")
                            || name.eq_ignore_ascii_case("x-amz-security-token");
                        let value = if secret { "** redacted **" } else { value };
                        (name, value)
                    }))
                    .finish()
            }
        }
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &Headers(&self.headers))
            .field("body", &self.body)
            .field("host_prefix", &self.host_prefix)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// An HTTP response, as far as decoding needs it.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// The value of the first header named `name` (compared case-insensitively).
pub fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Decoding from a header value: strict, a value that does not fit is a [`DecodeError`].
pub trait FromHeader: Sized {
    /// Decodes `value`.
    fn from_header(value: &str) -> Result<Self, DecodeError>;
}

/// The header `name` decoded: `Ok(None)` when absent, an error located at `name` when it does
/// not fit.
pub fn get_header<T: FromHeader>(
    headers: &[(&str, &str)],
    name: &str,
) -> Result<Option<T>, DecodeError> {
    match header(headers, name) {
        Some(value) => T::from_header(value).map(Some).map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// `text` (trimmed) as a timestamp in `format`.
fn timestamp_text(text: &str, format: TimestampFormat) -> Result<Timestamp, DecodeError> {
    let text = text.trim();
    Timestamp::parse(text, format).ok_or_else(|| {
        DecodeError::expected(&format!("a timestamp in {format} format"), &quote(text))
    })
}

/// The header `name` as a timestamp, read strictly in `format`: `Ok(None)` when absent, an
/// error located at `name` when it does not fit.
pub fn header_timestamp(
    headers: &[(&str, &str)],
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Timestamp>, DecodeError> {
    match header(headers, name) {
        Some(value) => timestamp_text(value, format)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// The header `name` as a comma-separated list of timestamps, each read strictly in `format`
/// (double-quoted items may hold commas). An HTTP date holds a comma itself
/// (`Mon, 16 Dec 2019 23:48:18 GMT`), so for [`TimestampFormat::HttpDate`] unquoted items pair
/// up. `Ok(None)` when absent, an empty list when blank; an item that does not fit is an error
/// located at `name[index]`.
pub fn header_timestamps(
    headers: &[(&str, &str)],
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Vec<Timestamp>>, DecodeError> {
    let Some(value) = header(headers, name) else {
        return Ok(None);
    };
    timestamps(value, format)
        .map(Some)
        .map_err(|e| e.at_key(name))
}

/// The items of a timestamp list header; see [`header_timestamps`].
fn timestamps(value: &str, format: TimestampFormat) -> Result<Vec<Timestamp>, DecodeError> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let items = split_items(value);
    let mut out = Vec::with_capacity(items.len());
    let mut rest = items.iter();
    while let Some(item) = rest.next() {
        let index = out.len();
        let decoded = if format == TimestampFormat::HttpDate && !item.quoted {
            match rest.next() {
                Some(next) if !next.quoted => {
                    timestamp_text(&format!("{},{}", item.raw, next.raw), format)
                }
                _ => Err(DecodeError::expected(
                    "a timestamp in http-date format",
                    &quote(item.text.trim()),
                )),
            }
        } else {
            timestamp_text(&item.text, format)
        };
        out.push(decoded.map_err(|e| e.at_index(index))?);
    }
    Ok(out)
}

/// The header `name` of a `@mediaType` string member: base64 of the UTF-8 text. `Ok(None)`
/// when absent, an error located at `name` when it is not base64 of UTF-8 text.
pub fn header_media_type(
    headers: &[(&str, &str)],
    name: &str,
) -> Result<Option<String>, DecodeError> {
    let Some(value) = header(headers, name) else {
        return Ok(None);
    };
    let decoded = Blob::from_header(value).and_then(|blob| {
        String::from_utf8(blob.into_inner())
            .map_err(|_| DecodeError::new("base64 of text that is not UTF-8"))
    });
    decoded.map(Some).map_err(|e| e.at_key(name))
}

/// Every header whose name starts with `prefix` (compared ASCII case-insensitively), keyed by
/// the rest of its name as received and decoded; an empty prefix takes every header. A name
/// that repeats keeps its first value (as [`header`] does). A value that does not fit is an
/// error located at the header's name.
pub fn prefix_headers<V: FromHeader>(
    headers: &[(&str, &str)],
    prefix: &str,
) -> Result<BTreeMap<String, V>, DecodeError> {
    let mut map = BTreeMap::new();
    for (name, value) in headers {
        let Some(head) = name.get(..prefix.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(prefix) {
            continue;
        }
        let key = name.get(prefix.len()..).unwrap_or_default();
        if map.contains_key(key) {
            continue;
        }
        let decoded = V::from_header(value).map_err(|e| e.at_key(name))?;
        map.insert(key.to_owned(), decoded);
    }
    Ok(map)
}

impl FromHeader for String {
    fn from_header(value: &str) -> Result<Self, DecodeError> {
        Ok(value.to_owned())
    }
}

macro_rules! parsed_header {
    ($($ty:ty),*) => {
        $(impl FromHeader for $ty {
            fn from_header(value: &str) -> Result<Self, DecodeError> {
                crate::text::FromText::from_text(value.trim())
            }
        })*
    };
}

parsed_header!(bool, i8, i16, i32, i64, f32, f64, BigInteger, BigDecimal, Blob);

/// An HTTP date first, then any of the formats ([`Timestamp::parse_any`]); members with a known
/// format decode through [`header_timestamp`].
impl FromHeader for Timestamp {
    fn from_header(value: &str) -> Result<Self, DecodeError> {
        let value = value.trim();
        Timestamp::parse_http_date(value)
            .or_else(|| Timestamp::parse_any(value))
            .ok_or_else(|| DecodeError::expected("a timestamp", &quote(value)))
    }
}

/// A comma-separated list; items are trimmed, and double-quoted items may
/// contain commas. An item that does not decode alone is retried joined with
/// the next one, so that HTTP dates (`Mon, 16 Dec 2019 23:48:18 GMT`) can be
/// listed unquoted; an item that still does not decode is an error at its
/// index. An empty value is an empty list.
impl<T: FromHeader> FromHeader for Vec<T> {
    fn from_header(value: &str) -> Result<Self, DecodeError> {
        if value.trim().is_empty() {
            return Ok(Vec::new());
        }
        let items = split_items(value);
        let mut out = Vec::with_capacity(items.len());
        let mut i = 0;
        while let Some(item) = items.get(i) {
            let error = match T::from_header(&item.text) {
                Ok(v) => {
                    out.push(v);
                    i += 1;
                    continue;
                }
                Err(e) => e,
            };
            let joined = items
                .get(i + 1)
                .filter(|next| !item.quoted && !next.quoted)
                .and_then(|next| T::from_header(&format!("{},{}", item.raw, next.raw)).ok());
            match joined {
                Some(v) => {
                    out.push(v);
                    i += 2;
                }
                None => return Err(error.at_index(out.len())),
            }
        }
        Ok(out)
    }
}

/// One item of a header list.
struct Item {
    /// The item trimmed and unquoted.
    text: String,
    /// The item as written, for rejoining.
    raw: String,
    /// Whether it was double-quoted.
    quoted: bool,
}

fn split_items(value: &str) -> Vec<Item> {
    let mut raws = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    for (pos, c) in value.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                raws.push(value.get(start..pos).unwrap_or_default());
                start = pos + 1;
            }
            _ => {}
        }
    }
    raws.push(value.get(start..).unwrap_or_default());
    raws.into_iter()
        .map(|raw| {
            let trimmed = raw.trim();
            let quoted = trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"');
            let text = if quoted {
                unquote(trimmed)
            } else {
                trimmed.to_string()
            };
            Item {
                text,
                raw: raw.to_string(),
                quoted,
            }
        })
        .collect()
}

/// Removes the surrounding quotes of `"..."` and unescapes `\x` to `x`.
fn unquote(quoted: &str) -> String {
    let inner = quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default();
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of a result, as displayed.
    fn err<T: std::fmt::Debug>(result: Result<T, DecodeError>) -> String {
        match result {
            Ok(decoded) => panic!("decoded {decoded:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn lookup() {
        let headers = [("Content-Type", "a"), ("X-Foo", "1"), ("x-foo", "2")];
        assert_eq!(header(&headers, "content-type"), Some("a"));
        assert_eq!(header(&headers, "X-FOO"), Some("1"));
        assert_eq!(header(&headers, "missing"), None);
        assert_eq!(get_header::<i32>(&headers, "x-foo"), Ok(Some(1)));
        assert_eq!(get_header::<i32>(&headers, "missing"), Ok(None));
        assert_eq!(
            err(get_header::<i32>(&headers, "content-type")),
            r#"content-type: expected an integer, found "a""#
        );
    }

    #[test]
    fn messages() {
        let request = HttpRequest {
            method: "GET".into(),
            uri: "/a?b=c".into(),
            headers: vec![("x".into(), "y".into())],
            body: b"{}".to_vec(),
            host_prefix: "data.".into(),
            endpoint: None,
        };
        assert_eq!(request.clone(), request);
        assert_eq!(
            request.url("https://example.com"),
            "https://data.example.com/a?b=c"
        );
        assert_eq!(
            request.url("http://example.com/custom/"),
            "http://data.example.com/custom/a?b=c"
        );
        assert_eq!(crate::operation::host_label(Some("a-1"), "m"), Ok("a-1"));
        assert!(crate::operation::host_label(Some("a-1.b"), "m").is_err());
        assert!(crate::operation::host_label(Some("a-"), "m").is_err());
        assert!(crate::operation::host_label(Some("-a"), "m").is_err());
        assert!(crate::operation::host_label(Some("a b"), "m").is_err());
        assert!(crate::operation::host_label(None, "m").is_err());
        assert_eq!(HttpRequest::default().uri, "");
        let response = HttpResponse {
            status: 200,
            headers: &[("a", "b")],
            body: b"",
        };
        assert_eq!(header(response.headers, "A"), Some("b"));
    }

    #[test]
    fn scalars() {
        assert_eq!(String::from_header(" a "), Ok(" a ".into()));
        assert_eq!(bool::from_header("true"), Ok(true));
        assert_eq!(
            err(bool::from_header("yes")),
            r#"expected true or false, found "yes""#
        );
        assert_eq!(
            err(i8::from_header("200")),
            r#""200" is out of range for i8"#
        );
        assert_eq!(
            err(i64::from_header("9223372036854775808")),
            r#""9223372036854775808" is out of range for i64"#
        );
        assert_eq!(i16::from_header(" 200 "), Ok(200));
        assert_eq!(i64::from_header("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            err(i32::from_header("1.0")),
            r#"expected an integer, found "1.0""#
        );
        assert_eq!(f64::from_header("1.5"), Ok(1.5));
        assert_eq!(f64::from_header("Infinity"), Ok(f64::INFINITY));
        assert_eq!(
            err(f64::from_header("inf")),
            r#"expected a number, found "inf""#
        );
        assert_eq!(
            err(f32::from_header("1e39")),
            r#""1e39" is out of range for f32"#
        );
        assert_eq!(BigInteger::from_header("12").ok(), BigInteger::new("12"));
        assert_eq!(BigDecimal::from_header("1.2").ok(), BigDecimal::new("1.2"));
        assert!(BigInteger::from_header("1.2").is_err());
        assert_eq!(Blob::from_header("Zm9v"), Ok(Blob::from("foo")));
        assert_eq!(err(Blob::from_header("*")), r#"expected base64, found "*""#);
        let t = Timestamp::from_epoch_seconds(1398796238);
        assert_eq!(
            Timestamp::from_header("Tue, 29 Apr 2014 18:30:38 GMT"),
            Ok(t)
        );
        assert_eq!(Timestamp::from_header("2014-04-29T18:30:38Z"), Ok(t));
        assert_eq!(Timestamp::from_header("1398796238"), Ok(t));
        assert_eq!(
            err(Timestamp::from_header("soon")),
            r#"expected a timestamp, found "soon""#
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            Vec::<String>::from_header("a, b ,c"),
            Ok(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(
            Vec::<String>::from_header(r#""a, b", "c\"d", e"#),
            Ok(vec!["a, b".into(), "c\"d".into(), "e".into()])
        );
        assert_eq!(
            err(Vec::<i32>::from_header("1, x, 3")),
            r#"[1]: expected an integer, found "x""#
        );
        assert_eq!(Vec::<i32>::from_header("1, 3"), Ok(vec![1, 3]));
        assert_eq!(Vec::<bool>::from_header(""), Ok(vec![]));
        let t = Timestamp::from_epoch_seconds(1576540098);
        assert_eq!(
            Vec::<Timestamp>::from_header(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
            ),
            Ok(vec![t, t])
        );
        assert_eq!(
            Vec::<Timestamp>::from_header("2019-12-16T23:48:18Z, 1576540098"),
            Ok(vec![t, t])
        );
        assert!(Vec::<Timestamp>::from_header("2019-12-16T23:48:18Z, soon").is_err());
        assert_eq!(
            Vec::<String>::from_header(r#""unterminated, x"#),
            Ok(vec!["\"unterminated, x".into()])
        );
    }

    #[test]
    fn timestamps_by_format() {
        use TimestampFormat::*;
        let headers = [
            ("x-date", "2019-12-16T23:48:18Z"),
            ("x-http", "Mon, 16 Dec 2019 23:48:18 GMT"),
            ("x-epoch", " 1576540098 "),
            (
                "x-https",
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
            ),
            (
                "x-quoted",
                r#""Mon, 16 Dec 2019 23:48:18 GMT", Mon, 16 Dec 2019 23:48:18 GMT"#,
            ),
            ("x-odd", "Mon, 16 Dec 2019 23:48:18 GMT, Mon"),
            ("x-epochs", "1576540098, 1576540098.5"),
            ("x-blank", " "),
        ];
        let t = Timestamp::from_epoch_seconds(1576540098);
        assert_eq!(header_timestamp(&headers, "x-date", DateTime), Ok(Some(t)));
        assert_eq!(header_timestamp(&headers, "x-http", HttpDate), Ok(Some(t)));
        assert_eq!(
            header_timestamp(&headers, "x-epoch", EpochSeconds),
            Ok(Some(t))
        );
        assert_eq!(header_timestamp(&headers, "x-missing", DateTime), Ok(None));
        assert_eq!(
            err(header_timestamp(&headers, "x-epoch", DateTime)),
            r#"x-epoch: expected a timestamp in date-time format, found "1576540098""#
        );
        assert_eq!(
            err(header_timestamp(&headers, "x-date", HttpDate)),
            r#"x-date: expected a timestamp in http-date format, found "2019-12-16T23:48:18Z""#
        );
        // A list of two HTTP dates, each holding a comma.
        assert_eq!(
            header_timestamps(&headers, "x-https", HttpDate),
            Ok(Some(vec![t, t]))
        );
        assert_eq!(
            header_timestamps(&headers, "x-quoted", HttpDate),
            Ok(Some(vec![t, t]))
        );
        assert_eq!(
            header_timestamps(&headers, "x-http", HttpDate),
            Ok(Some(vec![t]))
        );
        assert_eq!(
            err(header_timestamps(&headers, "x-odd", HttpDate)),
            r#"x-odd[1]: expected a timestamp in http-date format, found "Mon""#
        );
        assert_eq!(
            header_timestamps(&headers, "x-epochs", EpochSeconds),
            Ok(Some(vec![
                t,
                Timestamp::from_secs_nanos(1576540098, 500_000_000).unwrap_or(t)
            ]))
        );
        assert_eq!(
            err(header_timestamps(&headers, "x-https", DateTime)),
            r#"x-https[0]: expected a timestamp in date-time format, found "Mon""#
        );
        assert_eq!(
            header_timestamps(&headers, "x-blank", DateTime),
            Ok(Some(vec![]))
        );
        assert_eq!(header_timestamps(&headers, "x-missing", DateTime), Ok(None));
    }

    #[test]
    fn media_types() {
        let headers = [
            ("x-json", "eyJhIjogMX0="),
            ("x-empty", ""),
            ("x-bad", "not base64!"),
            ("x-binary", "//4="),
        ];
        assert_eq!(
            header_media_type(&headers, "X-Json"),
            Ok(Some(r#"{"a": 1}"#.to_owned()))
        );
        assert_eq!(
            header_media_type(&headers, "x-empty"),
            Ok(Some(String::new()))
        );
        assert_eq!(header_media_type(&headers, "x-missing"), Ok(None));
        assert_eq!(
            err(header_media_type(&headers, "x-bad")),
            r#"x-bad: expected base64, found "not base64!""#
        );
        assert_eq!(
            err(header_media_type(&headers, "x-binary")),
            "x-binary: base64 of text that is not UTF-8"
        );
    }

    #[test]
    fn prefixed_headers() {
        let headers = [
            ("X-Foo-A", "1"),
            ("x-foo-b", "2"),
            ("Content-Type", "text/plain"),
            ("x-foo-a", "3"),
            ("X-Foo-", "4"),
            ("x-fo", "5"),
        ];
        assert_eq!(
            prefix_headers::<i32>(&headers, "x-foo-"),
            Ok(BTreeMap::from([
                ("A".to_owned(), 1),
                ("b".to_owned(), 2),
                ("a".to_owned(), 3),
                (String::new(), 4),
            ]))
        );
        assert_eq!(
            prefix_headers::<String>(&headers, "").map(|m| m.len()),
            Ok(headers.len())
        );
        assert_eq!(
            prefix_headers::<i32>(&headers, "x-bar-"),
            Ok(BTreeMap::new())
        );
        assert_eq!(
            err(prefix_headers::<i32>(&headers, "content-")),
            r#"Content-Type: expected an integer, found "text/plain""#
        );
        // A repeated name keeps its first value; names differing in case are different keys.
        assert_eq!(
            prefix_headers::<i32>(&[("x-a", "1"), ("x-a", "x")], "x-"),
            Ok(BTreeMap::from([("a".to_owned(), 1)]))
        );
        assert_eq!(
            err(prefix_headers::<i32>(&[("x-a", "1"), ("X-A", "x")], "x-")),
            r#"X-A: expected an integer, found "x""#
        );
        // Non-ASCII names are compared by bytes without splitting a character.
        assert_eq!(
            prefix_headers::<String>(&[("é", "v")], "x"),
            Ok(BTreeMap::new())
        );
    }
}
