//! Conversions between the runtime's HTTP messages and the `http` crate's (feature `http`),
//! whose `Request`, `Response` and `HeaderMap` hyper, reqwest, axum and tower share.
//!
//! A request goes out with [`HttpRequest::into_http`] (or [`HttpRequest::to_http`]); a
//! response comes back through [`ResponseParts`], which borrows an `http::Response` as the
//! [`HttpResponse`] that `decode_response` takes, or through [`HeaderPairs`] when the status,
//! headers and body arrive apart.

use std::fmt;

use crate::http::{HttpRequest, HttpResponse};

/// Why a message could not be converted to or from the `http` crate's types (runtime feature
/// `http`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpConversionError {
    /// A request method that is not an HTTP token.
    Method {
        /// The method.
        method: String,
    },
    /// A request URL (endpoint, host prefix and path joined) that `http::Uri` refuses.
    Uri {
        /// The URL.
        uri: String,
        /// The `http` crate's reason.
        reason: String,
    },
    /// A request header name that is not an HTTP token.
    HeaderName {
        /// The name.
        name: String,
    },
    /// A request header value holding a byte `http::HeaderValue` refuses: a control character
    /// other than tab (a line break, NUL, DEL).
    HeaderValue {
        /// The header's name.
        name: String,
        /// The byte refused.
        byte: u8,
        /// Its offset in the value.
        offset: usize,
    },
    /// A response header value that is not UTF-8, which the decoders cannot read.
    NonUtf8HeaderValue {
        /// The header's name.
        name: String,
        /// The offset in the value of the first byte that is not UTF-8.
        offset: usize,
    },
}

impl fmt::Display for HttpConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpConversionError::Method { method } => {
                write!(f, "method {method:?} is not a valid HTTP method")
            }
            HttpConversionError::Uri { uri, reason } => {
                write!(f, "URL {uri:?} is not a valid URI: {reason}")
            }
            HttpConversionError::HeaderName { name } => {
                write!(f, "header name {name:?} is not a valid HTTP header name")
            }
            HttpConversionError::HeaderValue { name, byte, offset } => write!(
                f,
                "header `{name}`: the value holds the control character 0x{byte:02x} at byte \
                 {offset}, which HTTP header values cannot carry"
            ),
            HttpConversionError::NonUtf8HeaderValue { name, offset } => write!(
                f,
                "header `{name}`: the value is not UTF-8 (from byte {offset} on)"
            ),
        }
    }
}

impl std::error::Error for HttpConversionError {}

impl HttpRequest {
    /// The request as an `http::Request`, sent to `endpoint` (see [`HttpRequest::url`]: the
    /// request's own endpoint, when it names one, wins; the host prefix goes before the host,
    /// the endpoint's path before the request's). Method, headers (in order) and body are
    /// moved over as they are; no header is added (the client sets `Host` from the URI).
    /// Runtime feature `http`.
    ///
    /// A method, URL or header that HTTP cannot carry (a header value with a line break) is an
    /// error saying which, never a panic.
    pub fn into_http(
        self,
        endpoint: &str,
    ) -> Result<::http::Request<Vec<u8>>, HttpConversionError> {
        let mut request = ::http::Request::new(Vec::new());
        *request.method_mut() =
            ::http::Method::from_bytes(self.method.as_bytes()).map_err(|_| {
                HttpConversionError::Method {
                    method: self.method.clone(),
                }
            })?;
        let url = self.url(endpoint);
        *request.uri_mut() =
            ::http::Uri::try_from(url.as_str()).map_err(|e| HttpConversionError::Uri {
                reason: e.to_string(),
                uri: url.clone(),
            })?;
        let headers = request.headers_mut();
        headers.reserve(self.headers.len());
        for (name, value) in &self.headers {
            headers.append(header_name(name)?, header_value(name, value)?);
        }
        *request.body_mut() = self.body;
        Ok(request)
    }

    /// [`HttpRequest::into_http`] of a copy, leaving the request as it is (runtime feature
    /// `http`).
    pub fn to_http(&self, endpoint: &str) -> Result<::http::Request<Vec<u8>>, HttpConversionError> {
        self.clone().into_http(endpoint)
    }
}

fn header_name(name: &str) -> Result<::http::HeaderName, HttpConversionError> {
    ::http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| HttpConversionError::HeaderName {
        name: name.to_owned(),
    })
}

/// `value` as a header value: any UTF-8 text but control characters other than tab.
fn header_value(name: &str, value: &str) -> Result<::http::HeaderValue, HttpConversionError> {
    ::http::HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
        let refused = value
            .bytes()
            .enumerate()
            .find(|&(_, b)| (b < 0x20 && b != b'\t') || b == 0x7f);
        let (offset, byte) = refused.unwrap_or((0, 0));
        HttpConversionError::HeaderValue {
            name: name.to_owned(),
            byte,
            offset,
        }
    })
}

/// The headers of an `http::HeaderMap` as the `(name, value)` pairs the decoders read,
/// borrowed from the map after checking that every value is UTF-8 (runtime feature `http`).
///
/// Names come lowercase, as `HeaderMap` keeps them (the decoders compare names
/// case-insensitively; `@httpPrefixHeaders` keys are the lowercase rest of the name). A name
/// given several times gives one pair per value, in the order received; the decoders read the
/// first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderPairs<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> HeaderPairs<'a> {
    /// The pairs of `headers`; a value that is not UTF-8 is an error naming its header.
    pub fn from_http(headers: &'a ::http::HeaderMap) -> Result<Self, HttpConversionError> {
        let mut pairs = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            let value = std::str::from_utf8(value.as_bytes()).map_err(|e| {
                HttpConversionError::NonUtf8HeaderValue {
                    name: name.as_str().to_owned(),
                    offset: e.valid_up_to(),
                }
            })?;
            pairs.push((name.as_str(), value));
        }
        Ok(HeaderPairs { pairs })
    }

    /// The pairs, in the form [`HttpResponse::headers`] holds.
    pub fn as_slice(&self) -> &[(&'a str, &'a str)] {
        &self.pairs
    }

    /// A response of these headers with `status` and `body`.
    pub fn response<'s>(&'s self, status: ::http::StatusCode, body: &'s [u8]) -> HttpResponse<'s> {
        HttpResponse {
            status: status.as_u16(),
            headers: &self.pairs,
            body,
        }
    }
}

/// An `http::Response` (or its head and the body read apart) borrowed as the
/// [`HttpResponse`] that `decode_response` and `from_response` take; see [`HeaderPairs`] for
/// the headers. Runtime feature `http`.
///
/// ```
/// # fn main() -> Result<(), smithy_runtime::http::HttpConversionError> {
/// use smithy_runtime::http::ResponseParts;
///
/// let response = http::Response::builder()
///     .status(200)
///     .header("Content-Type", "application/json")
///     .body(br#"{"a":1}"#.to_vec())
///     .unwrap_or_default();
/// let parts = ResponseParts::from_http(&response)?;
/// let view = parts.as_response();
/// assert_eq!(view.status, 200);
/// assert_eq!(view.headers, &[("content-type", "application/json")][..]);
/// assert_eq!(view.body, br#"{"a":1}"#);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseParts<'a> {
    status: ::http::StatusCode,
    headers: HeaderPairs<'a>,
    body: &'a [u8],
}

impl<'a> ResponseParts<'a> {
    /// The status, headers and body of `response`, whose body holds the bytes received
    /// (`Vec<u8>`, `bytes::Bytes`, `String`, ...). A header value that is not UTF-8 is an
    /// error naming its header.
    pub fn from_http<B: AsRef<[u8]>>(
        response: &'a ::http::Response<B>,
    ) -> Result<Self, HttpConversionError> {
        Ok(ResponseParts {
            status: response.status(),
            headers: HeaderPairs::from_http(response.headers())?,
            body: response.body().as_ref(),
        })
    }

    /// The head of a response (`http::Response::into_parts`) and the body read apart from it.
    pub fn from_parts(
        parts: &'a ::http::response::Parts,
        body: &'a [u8],
    ) -> Result<Self, HttpConversionError> {
        Ok(ResponseParts {
            status: parts.status,
            headers: HeaderPairs::from_http(&parts.headers)?,
            body,
        })
    }

    /// The response as `decode_response` takes it.
    pub fn as_response(&self) -> HttpResponse<'_> {
        self.headers.response(self.status, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> HttpRequest {
        HttpRequest {
            method: "PUT".into(),
            uri: "/v2/images/a%2Fb?maxResults=10&tag=x".into(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("X-Amz-Meta".into(), "a".into()),
                ("x-amz-meta".into(), "b\tc é".into()),
                ("Content-Length".into(), "2".into()),
            ],
            body: b"{}".to_vec(),
            host_prefix: "data-7.".into(),
            endpoint: None,
        }
    }

    #[test]
    fn requests_become_http_requests() {
        let request = request();
        let converted = request.to_http("https://ecr.us-east-1.amazonaws.com/base/");
        let Ok(converted) = converted else {
            panic!("{converted:?}")
        };
        assert_eq!(converted.method(), ::http::Method::PUT);
        assert_eq!(
            converted.uri().to_string(),
            "https://data-7.ecr.us-east-1.amazonaws.com/base/v2/images/a%2Fb?maxResults=10&tag=x"
        );
        assert_eq!(
            converted.uri().host(),
            Some("data-7.ecr.us-east-1.amazonaws.com")
        );
        assert_eq!(
            converted.uri().path_and_query().map(|p| p.as_str()),
            Some("/base/v2/images/a%2Fb?maxResults=10&tag=x")
        );
        // Every header, in order, names lowercased; a repeated name keeps both values.
        let headers: Vec<(&str, &[u8])> = converted
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        assert_eq!(
            headers,
            [
                ("content-type", &b"application/json"[..]),
                ("x-amz-meta", b"a"),
                ("x-amz-meta", "b\tc é".as_bytes()),
                ("content-length", b"2"),
            ]
        );
        assert_eq!(converted.body(), &request.body);
        assert_eq!(converted.version(), ::http::Version::HTTP_11);
        // The request's own endpoint wins; an endpoint without a scheme is https.
        let mut own = request.clone();
        own.endpoint = Some("http://localhost:8080".into());
        own.host_prefix.clear();
        let uri = own
            .into_http("ecr.example.com")
            .map(|r| r.uri().to_string());
        assert_eq!(
            uri.as_deref(),
            Ok("http://localhost:8080/v2/images/a%2Fb?maxResults=10&tag=x")
        );
        let uri = request
            .into_http("ecr.example.com")
            .map(|r| r.uri().to_string());
        assert_eq!(
            uri.as_deref(),
            Ok("https://data-7.ecr.example.com/v2/images/a%2Fb?maxResults=10&tag=x")
        );
    }

    #[test]
    fn what_http_refuses_is_an_error() {
        let error = |request: HttpRequest, endpoint: &str| match request.into_http(endpoint) {
            Ok(converted) => panic!("converted {converted:?}"),
            Err(e) => e.to_string(),
        };
        let mut bad = request();
        bad.headers
            .push(("X-Note".into(), "one\r\nX-Injected: 1".into()));
        assert_eq!(
            error(bad, "https://example.com"),
            "header `X-Note`: the value holds the control character 0x0d at byte 3, which HTTP \
             header values cannot carry"
        );
        let mut bad = request();
        bad.headers.insert(0, ("X-Zero".into(), "\u{0}".into()));
        assert_eq!(
            bad.into_http("https://example.com").map(|_| ()),
            Err(HttpConversionError::HeaderValue {
                name: "X-Zero".into(),
                byte: 0,
                offset: 0
            })
        );
        let mut bad = request();
        bad.headers.push(("X Bad".into(), "v".into()));
        assert_eq!(
            error(bad, "https://example.com"),
            r#"header name "X Bad" is not a valid HTTP header name"#
        );
        let mut bad = request();
        bad.method = "GET /".into();
        assert_eq!(
            error(bad, "https://example.com"),
            r#"method "GET /" is not a valid HTTP method"#
        );
        assert_eq!(
            error(request(), "https://exa mple.com"),
            r#"URL "https://data-7.exa mple.com/v2/images/a%2Fb?maxResults=10&tag=x" is not a valid URI: invalid uri character"#
        );
    }

    #[test]
    fn responses_borrow_http_responses() {
        let response = ::http::Response::builder()
            .status(404)
            .header("X-Amzn-ErrorType", "RepositoryNotFoundException")
            .header("x-amz-meta-a", "1")
            .header("X-Amz-Meta-A", "2 é")
            .body(bytes_of("{}"));
        let Ok(response) = response else {
            panic!("{response:?}")
        };
        let parts = ResponseParts::from_http(&response);
        let Ok(parts) = parts else {
            panic!("{parts:?}")
        };
        let view = parts.as_response();
        assert_eq!(view.status, 404);
        assert_eq!(view.body, b"{}");
        assert_eq!(
            view.headers,
            &[
                ("x-amzn-errortype", "RepositoryNotFoundException"),
                ("x-amz-meta-a", "1"),
                ("x-amz-meta-a", "2 é"),
            ][..]
        );
        assert_eq!(
            crate::http::header(view.headers, "X-Amzn-ErrorType"),
            Some("RepositoryNotFoundException")
        );
        // The head and a body read apart give the same.
        let (head, body) = response.clone().into_parts();
        let apart = ResponseParts::from_parts(&head, body.as_bytes());
        assert_eq!(
            apart
                .as_ref()
                .map(ResponseParts::as_response)
                .map(|r| r.headers.len()),
            Ok(3)
        );
        let pairs = HeaderPairs::from_http(&head.headers);
        assert_eq!(pairs.as_ref().map(HeaderPairs::as_slice), Ok(view.headers));
        // A request converted and its headers read back round-trip.
        let sent = request().into_http("https://example.com");
        let Ok(sent) = sent else { panic!("{sent:?}") };
        let pairs = HeaderPairs::from_http(sent.headers());
        let expected: Vec<(String, String)> = request()
            .headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let got: Option<Vec<(String, String)>> = pairs.ok().map(|p| {
            p.as_slice()
                .iter()
                .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        });
        assert_eq!(got, Some(expected));
    }

    /// A body as `String`, to show that any `AsRef<[u8]>` body serves.
    fn bytes_of(text: &str) -> String {
        text.to_owned()
    }

    #[test]
    fn non_utf8_header_values_are_an_error_naming_the_header() {
        let mut headers = ::http::HeaderMap::new();
        headers.insert("x-fine", ::http::HeaderValue::from_static("ok"));
        let binary = ::http::HeaderValue::from_bytes(b"ab\xff\xfe");
        let Ok(binary) = binary else {
            panic!("{binary:?}")
        };
        headers.insert("x-binary", binary);
        let error = HeaderPairs::from_http(&headers);
        assert_eq!(
            error,
            Err(HttpConversionError::NonUtf8HeaderValue {
                name: "x-binary".into(),
                offset: 2
            })
        );
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err("header `x-binary`: the value is not UTF-8 (from byte 2 on)".to_owned())
        );
        let mut response = ::http::Response::new(Vec::<u8>::new());
        *response.headers_mut() = headers;
        assert!(matches!(
            ResponseParts::from_http(&response),
            Err(HttpConversionError::NonUtf8HeaderValue { ref name, .. }) if name == "x-binary"
        ));
    }

    use crate::test_rng::Rng;

    /// Bytes a header or body can hold, and those `http` refuses.
    const BYTES: &[u8] = b"aZ09 -_:/?#[]@!$&'()*+,;=%\t\r\n\0\x7f\x80\xc3\xa9\xff\"";

    #[test]
    fn no_conversion_panics() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut converted, mut refused, mut utf8, mut not_utf8) = (0, 0, 0, 0);
        for _ in 0..5_000 {
            let text = |rng: &mut Rng| String::from_utf8_lossy(&rng.pick(BYTES, 12)).into_owned();
            // Mostly valid methods, endpoints and prefixes, so that paths and headers get tried.
            let or_text = |rng: &mut Rng, usual: &str| {
                if rng.next().is_multiple_of(4) {
                    text(rng)
                } else {
                    usual.to_owned()
                }
            };
            let request = HttpRequest {
                method: or_text(&mut rng, "GET"),
                uri: format!("/{}", text(&mut rng)),
                headers: vec![(or_text(&mut rng, "x-a"), text(&mut rng))],
                body: rng.pick(BYTES, 4),
                host_prefix: or_text(&mut rng, ""),
                endpoint: None,
            };
            let endpoint = or_text(&mut rng, "https://example.com");
            let sent = request.clone().into_http(&endpoint);
            // What converts keeps the method, the header value and the body.
            if sent.is_err() {
                refused += 1;
            }
            if let Ok(sent) = sent {
                converted += 1;
                assert_eq!(sent.method().as_str(), request.method);
                let value = sent.headers().values().next().map(|v| v.as_bytes());
                assert_eq!(value, request.headers.first().map(|(_, v)| v.as_bytes()));
                assert_eq!(sent.body(), &request.body);
            }
            let mut headers = ::http::HeaderMap::new();
            if let Ok(value) = ::http::HeaderValue::from_bytes(&rng.pick(BYTES, 12)) {
                headers.append("x-a", value);
            }
            let pairs = HeaderPairs::from_http(&headers);
            let valid = headers
                .values()
                .all(|v| std::str::from_utf8(v.as_bytes()).is_ok());
            assert_eq!(pairs.is_ok(), valid, "{headers:?}");
            if headers.is_empty() {
                continue;
            }
            if valid {
                utf8 += 1;
            } else {
                not_utf8 += 1;
            }
        }
        // Both ways were taken often.
        let counts = [converted, refused, utf8, not_utf8];
        assert!(counts.iter().all(|&n| n > 100), "{counts:?}");
    }
}
