//! Turning an error response into an operation error, by each protocol's rules.
//!
//! Generated code implements [`OperationError`] for each operation's error
//! enum; [`from_response`] finds the error code and body the way the
//! service's protocol sends them and hands them to [`OperationError::decode`].
//! A response whose protocol's places name no code (every `HEAD` error: it has no body) is
//! named, in every protocol, by its status ([`status_code`]: `404` is `NotFound`).

use std::fmt;

use crate::decode::DecodeError;
use crate::http::{header, HttpResponse};
use crate::json::{FromJson, Json, Object, Parsed};
#[cfg(feature = "xml")]
use crate::xml::{self, Element, FromXml};

/// The wire protocols a service may speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `awsJson1_0`.
    AwsJson1_0,
    /// `awsJson1_1`.
    AwsJson1_1,
    /// `restJson1`.
    RestJson1,
    /// `restXml`, errors wrapped in `<ErrorResponse>`.
    RestXml,
    /// `restXml` with `noErrorWrapping: true`: the body is the `<Error>` itself.
    RestXmlUnwrapped,
    /// `awsQuery`.
    AwsQuery,
    /// `ec2Query`.
    Ec2Query,
    /// `rpcv2Cbor`: the CBOR body, read into the same tree as JSON, names the error in `__type`.
    RpcV2Cbor,
}

/// The parsed body of an error response.
///
/// Non-exhaustive: the `Xml` case exists only with the `xml` feature.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ErrorBody<'a, 'i> {
    /// A JSON body given as a `serde_json::Value` ([`from_json`], and `rpcv2Cbor` bodies).
    Json(&'a serde_json::Value),
    /// A JSON body as [`from_response`] parses it, its strings borrowed from the response.
    Parsed(&'a Parsed<'i>),
    /// The XML element describing the error (`<Error>` for XML protocols).
    #[cfg(feature = "xml")]
    Xml(Element<'a, 'i>),
    /// No usable body.
    Empty,
}

/// Reduces an error code to the bare shape name: drops what follows the
/// first `:` (`FooError:http://...`), then what precedes the first `#`
/// (`aws.protocoltests#FooError`), and trims.
pub fn sanitize_code(code: &str) -> &str {
    // This runs on every decoded error, and two `split_once` searches and a `trim` cost more
    // than the rest of a small error's decoding. The common bare name (`FooError`) is
    // recognised by one pass, eight bytes at a time, and returned as is.
    let bytes = code.as_bytes();
    let graphic = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if !has_separator(bytes) && graphic(bytes.first()) && graphic(bytes.last()) {
        return code;
    }
    let mut end = code.len();
    let mut hash = None;
    for (i, byte) in code.bytes().enumerate() {
        match byte {
            b':' => {
                end = i;
                break;
            }
            b'#' if hash.is_none() => hash = Some(i),
            _ => {}
        }
    }
    // `:` and `#` are ASCII, so both cuts fall on character boundaries.
    let start = hash.map_or(0, |i| i + 1);
    code.get(start..end).unwrap_or(code).trim()
}

/// Whether `bytes` holds a `:` or a `#`, tested eight bytes at a time.
fn has_separator(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Whether a byte of `word` equals `byte`: the classic test for a zero byte in
    // `word ^ (byte repeated)`, exact as to whether there is one.
    let holds = |word: u64, byte: u8| {
        let v = word ^ (ONES * u64::from(byte));
        v.wrapping_sub(ONES) & !v & (ONES << 7) != 0
    };
    let either = |word: &[u8; 8]| {
        let word = u64::from_le_bytes(*word);
        holds(word, b':') | holds(word, b'#')
    };
    match bytes.last_chunk::<8>() {
        // Whole words, then the last eight bytes (overlapping the words when the length is
        // not a multiple of eight).
        Some(last) => {
            bytes
                .chunks_exact(8)
                .any(|chunk| chunk.first_chunk().is_some_and(either))
                || either(last)
        }
        None => bytes.iter().any(|&b| b == b':' || b == b'#'),
    }
}

pub use crate::message::MESSAGE_KEYS;

/// The error message of a body: a top-level `message`, `Message` or
/// `errorMessage` string for JSON, the text of a `<Message>` (or `<message>`)
/// child for XML.
pub fn message_of(body: &ErrorBody<'_, '_>) -> Option<String> {
    match body {
        ErrorBody::Json(value) => json_message(*value),
        ErrorBody::Parsed(value) => json_message(*value),
        #[cfg(feature = "xml")]
        ErrorBody::Xml(el) => xml::child(*el, "Message")
            .or_else(|| xml::child(*el, "message"))
            .map(xml::text),
        ErrorBody::Empty => None,
    }
}

/// The first of the [`MESSAGE_KEYS`] members of a JSON body that is a string.
fn json_message<J: Json>(value: &J) -> Option<String> {
    let object = value.as_object()?;
    MESSAGE_KEYS
        .iter()
        .find_map(|key| object.get(key)?.as_str())
        .map(str::to_string)
}

/// The query-compatible error code of a JSON service: the part before `;`
/// of the `x-amzn-query-error` header (`Code;Fault`).
pub fn query_error_code<'a>(headers: &[(&'a str, &'a str)]) -> Option<&'a str> {
    let value = header(headers, "x-amzn-query-error")?;
    let code = value.split_once(';').map_or(value, |(code, _)| code).trim();
    (!code.is_empty()).then_some(code)
}

/// An error the operation does not model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnknownError {
    /// The code the response named, sanitized; when it named none, the status's
    /// [`status_code`]; empty when there is neither.
    pub code: String,
    /// The error message, if any.
    pub message: Option<String>,
    /// The HTTP status, when known.
    pub status: Option<u16>,
}

impl fmt::Display for UnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_error(self, f)
    }
}

/// The code and message of an error, modeled or not: implemented by every generated error
/// structure and by [`UnknownError`], and what operation error enums delegate to.
pub trait ErrorDetails {
    /// The code the service names the error by on the wire, without namespace or URI: for a
    /// modeled error its `CODE` (the `@awsQueryError` code in awsQuery, ec2Query and
    /// `@awsQueryCompatible` services, else the shape name, as in `ImageNotFoundException`);
    /// for an unknown one the code the response named, or its status's [`status_code`]
    /// (`NotFound`) when it named none; empty when there is neither.
    fn code(&self) -> &str;
    /// The error message, if the error has one.
    fn message(&self) -> Option<&str>;
}

impl ErrorDetails for UnknownError {
    fn code(&self) -> &str {
        &self.code
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// A message member, required (`String`) or optional (`Option<String>`), as the message of
/// [`ErrorDetails`]; what [`error_structure!`](crate::error_structure) reads.
pub trait MessageField {
    /// The message, if there is one.
    fn as_message(&self) -> Option<&str>;
}

impl MessageField for String {
    fn as_message(&self) -> Option<&str> {
        Some(self)
    }
}

impl MessageField for Option<String> {
    fn as_message(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// Writes `code: message` (or just the code); an empty code reads `unknown error`.
pub fn fmt_error(error: &dyn ErrorDetails, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let code = match error.code() {
        "" => "unknown error",
        code => code,
    };
    match error.message() {
        Some(message) => write!(f, "{code}: {message}"),
        None => f.write_str(code),
    }
}

impl std::error::Error for UnknownError {}

/// An [`UnknownError`] with the sanitized `code` and the body's message.
pub fn unknown(code: &str, body: &ErrorBody<'_, '_>, status: Option<u16>) -> UnknownError {
    UnknownError {
        code: sanitize_code(code).to_string(),
        message: message_of(body),
        status,
    }
}

/// A modeled error structure.
///
/// Error structures are read leniently, unlike operation outputs: the error is what the caller
/// needs to see, so a body that does not fit the structure decodes as its `Default`, and a
/// header-bound member whose header does not decode is left unset.
pub trait ErrorShape: Default + FromJson {
    /// Reads members bound to HTTP headers (rest protocols); default does nothing.
    /// Implementations leave a member unset when its header does not decode
    /// (`get_header(..).ok().flatten()`).
    fn read_headers(&mut self, headers: &[(&str, &str)]) {
        let _ = headers;
    }

    /// Reads the structure from the `<Error>` element of an XML error body, its default when
    /// the element does not fit. Generated crates of the XML protocols implement it by
    /// [`xml_shape`]; the default, which the structures of other protocols keep, reads nothing.
    #[cfg(feature = "xml")]
    fn from_xml_error(element: Element<'_, '_>) -> Self {
        let _ = element;
        Self::default()
    }
}

/// An error structure read leniently from its XML element: its default when the element does
/// not fit. What generated [`ErrorShape::from_xml_error`] implementations call.
#[cfg(feature = "xml")]
pub fn xml_shape<T: FromXml + Default>(element: Element<'_, '_>) -> T {
    T::from_xml(element).unwrap_or_default()
}

/// Decodes an error structure from `body` (its default when the body is
/// empty or does not fit), then reads its header-bound members.
pub fn decode_shape<T: ErrorShape>(body: &ErrorBody<'_, '_>, headers: &[(&str, &str)]) -> T {
    let mut shape = match body {
        ErrorBody::Json(value) => T::from_json(*value).unwrap_or_default(),
        ErrorBody::Parsed(value) => T::from_json(*value).unwrap_or_default(),
        #[cfg(feature = "xml")]
        ErrorBody::Xml(el) => T::from_xml_error(*el),
        ErrorBody::Empty => T::default(),
    };
    shape.read_headers(headers);
    shape
}

impl ErrorBody<'_, '_> {
    /// [`decode_shape`] as a method: what generated `decode` arms call.
    pub fn shape<T: ErrorShape>(&self, headers: &[(&str, &str)]) -> T {
        decode_shape(self, headers)
    }
}

/// The error of an operation: one case per modeled error, plus unknown ones.
pub trait OperationError: Sized {
    /// The protocol of the service.
    const PROTOCOL: Protocol;

    /// Generated: picks the case for an already extracted `code` (raw, not
    /// yet sanitized; empty when the response had none).
    fn decode(
        code: &str,
        body: &ErrorBody<'_, '_>,
        headers: &[(&str, &str)],
        status: Option<u16>,
    ) -> Self;

    /// Generated: the case of a success response whose body does not fit the output.
    fn malformed(error: MalformedResponse) -> Self;
}

/// A success response whose body does not fit the operation's output: the case
/// [`OperationError::malformed`] gives.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedResponse {
    /// The response's status code.
    pub status: u16,
    /// What did not fit, and where.
    pub error: DecodeError,
    /// The error as text, which [`ErrorDetails::message`] lends.
    message: String,
}

impl MalformedResponse {
    /// The malformed response of `status` that `error` describes.
    pub fn new(status: u16, error: DecodeError) -> Self {
        let message = error.to_string();
        MalformedResponse {
            status,
            error,
            message,
        }
    }
}

impl ErrorDetails for MalformedResponse {
    /// Empty: the service sent no error.
    fn code(&self) -> &str {
        ""
    }
    fn message(&self) -> Option<&str> {
        Some(&self.message)
    }
}

impl fmt::Display for MalformedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed response (HTTP {}): {}",
            self.status, self.message
        )
    }
}

impl std::error::Error for MalformedResponse {}

/// Decodes an error from a JSON body whose code is already known.
pub fn from_json<E: OperationError>(code: &str, body: &serde_json::Value) -> E {
    E::decode(code, &ErrorBody::Json(body), &[], None)
}

/// Decodes an error from an XML error element whose code is already known.
#[cfg(feature = "xml")]
pub fn from_xml<E: OperationError>(code: &str, body: Element<'_, '_>) -> E {
    E::decode(code, &ErrorBody::Xml(body), &[], None)
}

/// The code of a JSON error: the `X-Amzn-Errortype` header (unless blank once sanitized),
/// else the top-level `code` or `__type` string of the body.
fn json_code<'a, J: Json>(headers: &[(&'a str, &'a str)], body: Option<&'a J>) -> &'a str {
    if let Some(code) = header(headers, "x-amzn-errortype").filter(|c| !sanitize_code(c).is_empty())
    {
        return code;
    }
    body.and_then(J::as_object)
        .and_then(|object| {
            ["code", "__type"]
                .iter()
                .find_map(|key| object.get(key)?.as_str())
        })
        .unwrap_or("")
}

/// Follows the path of element names from the root, which must be named
/// `path[0]`.
#[cfg(feature = "xml")]
fn element_at<'a, 'i>(root: Element<'a, 'i>, path: &[&str]) -> Option<Element<'a, 'i>> {
    let (first, rest) = path.split_first()?;
    if root.tag_name().name() != *first {
        return None;
    }
    rest.iter().try_fold(root, |el, name| xml::child(el, name))
}

/// The `<Error>` element of an XML error document, per protocol.
#[cfg(feature = "xml")]
fn xml_error<'a, 'i>(protocol: Protocol, root: Element<'a, 'i>) -> Element<'a, 'i> {
    let candidates: &[&[&str]] = match protocol {
        Protocol::Ec2Query => &[
            &["Response", "Errors", "Error"],
            &["Errors", "Error"],
            &["Error"],
        ],
        Protocol::RestXmlUnwrapped => &[&["Error"], &["ErrorResponse", "Error"]],
        // `<ErrorResponse><Errors><Error>`: what moto (the AWS mock server) sends for its
        // authentication errors (`SignatureDoesNotMatch`, `InvalidClientTokenId`).
        _ => &[
            &["ErrorResponse", "Error"],
            &["ErrorResponse", "Errors", "Error"],
            &["Error"],
        ],
    };
    candidates
        .iter()
        .find_map(|path| element_at(root, path))
        .unwrap_or(root)
}

/// The code an error response names by its status alone: the status's reason phrase
/// (RFC 9110) without its spaces and hyphens (`404` gives `NotFound`, `403` `Forbidden`,
/// `500` `InternalServerError`); `None` for a status that is not a registered 3xx, 4xx or 5xx.
///
/// This is the code of an error response that names none, in every protocol (see
/// [`from_response`]): a `HEAD` request's error has no body, nor has an error that a proxy or
/// load balancer answers, and a status is then all there is.
pub fn status_code(status: u16) -> Option<&'static str> {
    Some(match status {
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        305 => "UseProxy",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "ContentTooLarge",
        414 => "URITooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        421 => "MisdirectedRequest",
        422 => "UnprocessableContent",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HTTPVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return None,
    })
}

/// `code`, the code found where the protocol puts it, unless it is blank once sanitized; else
/// the status's [`status_code`], else empty.
fn or_status(code: &str, status: u16) -> &str {
    if !sanitize_code(code).is_empty() {
        return code;
    }
    status_code(status).unwrap_or("")
}

/// Decodes the error of a failed response: finds the error code and body by
/// the rules of `E::PROTOCOL`, then calls [`OperationError::decode`] with the
/// raw code. Never fails: an unreadable body is passed as [`ErrorBody::Empty`].
///
/// Where the code is read, by protocol:
/// - awsJson1_0, awsJson1_1, restJson1: the `x-amzn-query-error` header (the query code
///   that an `@awsQueryCompatible` service sends beside its JSON), then the
///   `X-Amzn-Errortype` header, then the body's top-level `code`, then `__type`;
/// - restXml, awsQuery, ec2Query: the `<Code>` of the protocol's `<Error>` element;
/// - rpcv2Cbor: the `x-amzn-query-error` header, then the body's `__type`.
///
/// When those give no code (a bodiless response above all: every `HEAD` error, and errors
/// that proxies answer), the same rule holds in every protocol: the status names it, as
/// [`status_code`] gives (`404` gives `NotFound`, the error S3's `HeadObject` models), else
/// the code is empty. No other header is read then: `X-Amzn-Errortype` is a place of the
/// JSON protocols only, and rpcv2Cbor clients must ignore it. A status never picks a modeled error by
/// its `@httpError` code: a status is shared by many errors, the model's and those of the
/// servers in between, so an error whose code the response does not name is the unknown case,
/// which keeps the status.
pub fn from_response<E: OperationError>(response: &HttpResponse<'_>) -> E {
    let headers = response.headers;
    let status = Some(response.status);
    match E::PROTOCOL {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1 => {
            let arena = crate::json::Arena::new();
            let parsed = if response.body.iter().all(u8::is_ascii_whitespace) {
                None
            } else {
                Parsed::from_slice(response.body, &arena).ok()
            };
            // An `@awsQueryCompatible` service names the error by its query code first.
            let code =
                query_error_code(headers).unwrap_or_else(|| json_code(headers, parsed.as_ref()));
            let code = or_status(code, response.status);
            let body = parsed.as_ref().map_or(ErrorBody::Empty, ErrorBody::Parsed);
            E::decode(code, &body, headers, status)
        }
        #[cfg(feature = "xml")]
        Protocol::RestXml
        | Protocol::RestXmlUnwrapped
        | Protocol::AwsQuery
        | Protocol::Ec2Query => {
            let text = std::str::from_utf8(response.body).ok();
            let doc = text.and_then(|t| xml::parse(t).ok());
            match &doc {
                Some(doc) => {
                    let error = xml_error(E::PROTOCOL, doc.root_element());
                    let code = xml::child(error, "Code").map(xml::text).unwrap_or_default();
                    let code = or_status(code.trim(), response.status);
                    E::decode(code, &ErrorBody::Xml(error), headers, status)
                }
                None => {
                    let code = or_status("", response.status);
                    E::decode(code, &ErrorBody::Empty, headers, status)
                }
            }
        }
        // Without the `xml` feature no XML body is read: the status alone names the error.
        // Generated crates of the XML protocols always turn the feature on.
        #[cfg(not(feature = "xml"))]
        Protocol::RestXml
        | Protocol::RestXmlUnwrapped
        | Protocol::AwsQuery
        | Protocol::Ec2Query => {
            let code = or_status("", response.status);
            E::decode(code, &ErrorBody::Empty, headers, status)
        }
        Protocol::RpcV2Cbor => {
            // The body's `__type` names the error, after the query code of an
            // `@awsQueryCompatible` service.
            let parsed = crate::cbor::to_json(response.body);
            let from_body = || {
                parsed
                    .as_ref()
                    .and_then(|v| v.get("__type"))
                    .and_then(serde_json::Value::as_str)
            };
            let code = query_error_code(headers).or_else(from_body).unwrap_or("");
            let code = or_status(code, response.status);
            let body = parsed.as_ref().map_or(ErrorBody::Empty, ErrorBody::Json);
            E::decode(code, &body, headers, status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A modeled error with a message and a header-bound member.
    #[derive(Debug, Default, PartialEq)]
    struct FooError {
        message: Option<String>,
        request_id: Option<String>,
        retries: Option<i32>,
    }

    impl FromJson for FooError {
        fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
            let object = crate::json::object(value)?;
            Ok(FooError {
                message: match crate::json::get(object, "message")? {
                    Some(message) => Some(message),
                    None => crate::json::get(object, "Message")?,
                },
                request_id: None,
                retries: crate::json::get(object, "retries")?,
            })
        }
    }

    #[cfg(feature = "xml")]
    impl FromXml for FooError {
        fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
            Ok(FooError {
                message: xml::get(element, "Message")?,
                request_id: None,
                retries: xml::get(element, "Retries")?,
            })
        }
    }

    impl ErrorShape for FooError {
        fn read_headers(&mut self, headers: &[(&str, &str)]) {
            self.request_id = crate::http::get_header(headers, "x-amzn-requestid")
                .ok()
                .flatten();
            if let Some(retries) = crate::http::get_header(headers, "x-retries").ok().flatten() {
                self.retries = Some(retries);
            }
        }
        #[cfg(feature = "xml")]
        fn from_xml_error(element: Element<'_, '_>) -> Self {
            xml_shape(element)
        }
    }

    #[derive(Debug, PartialEq)]
    enum OpError {
        Foo(FooError),
        /// An error that models no `@httpError`, as S3's `NotFound`.
        NotFound(FooError),
        Unknown(UnknownError),
        Malformed(MalformedResponse),
    }

    fn decode_for(
        code: &str,
        body: &ErrorBody<'_, '_>,
        headers: &[(&str, &str)],
        status: Option<u16>,
    ) -> OpError {
        match sanitize_code(code) {
            "FooError" => OpError::Foo(decode_shape(body, headers)),
            "NotFound" => OpError::NotFound(decode_shape(body, headers)),
            _ => OpError::Unknown(unknown(code, body, status)),
        }
    }

    macro_rules! op_error {
        ($name:ident, $protocol:expr) => {
            #[derive(Debug, PartialEq)]
            struct $name(OpError);

            impl OperationError for $name {
                const PROTOCOL: Protocol = $protocol;

                fn decode(
                    code: &str,
                    body: &ErrorBody<'_, '_>,
                    headers: &[(&str, &str)],
                    status: Option<u16>,
                ) -> Self {
                    $name(decode_for(code, body, headers, status))
                }

                fn malformed(error: MalformedResponse) -> Self {
                    $name(OpError::Malformed(error))
                }
            }
        };
    }

    op_error!(Json10, Protocol::AwsJson1_0);
    op_error!(Json11, Protocol::AwsJson1_1);
    op_error!(RestJson, Protocol::RestJson1);
    op_error!(RestXml, Protocol::RestXml);
    op_error!(RestXmlUnwrapped, Protocol::RestXmlUnwrapped);
    op_error!(Query, Protocol::AwsQuery);
    op_error!(Ec2, Protocol::Ec2Query);
    op_error!(Cbor, Protocol::RpcV2Cbor);

    fn response<'a>(headers: &'a [(&'a str, &'a str)], body: &'a str) -> HttpResponse<'a> {
        HttpResponse {
            status: 400,
            headers,
            body: body.as_bytes(),
        }
    }

    fn foo(message: &str) -> OpError {
        OpError::Foo(FooError {
            message: Some(message.into()),
            request_id: None,
            retries: None,
        })
    }

    fn unknown_error(code: &str, message: Option<&str>) -> OpError {
        OpError::Unknown(UnknownError {
            code: code.into(),
            message: message.map(str::to_string),
            status: Some(400),
        })
    }

    #[test]
    fn sanitizing() {
        assert_eq!(
            sanitize_code("aws.protocoltests.json#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(sanitize_code("FooError"), "FooError");
        assert_eq!(sanitize_code(" FooError "), "FooError");
        assert_eq!(
            sanitize_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_code("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(sanitize_code(""), "");
        assert_eq!(sanitize_code("a#b#c:d:e"), "b#c");
        assert_eq!(sanitize_code("a:b#c"), "a");
        assert_eq!(sanitize_code("ns.é#Fée\u{2003}:x"), "Fée");
        // The separators are found at every position of the eight-byte words.
        for len in 1..=20 {
            for at in 0..len {
                for separator in [':', '#'] {
                    let mut code: Vec<char> = "ABCDEFGHIJKLMNOPQRST".chars().take(len).collect();
                    code[at] = separator;
                    let code: String = code.into_iter().collect();
                    assert!(has_separator(code.as_bytes()), "{code}");
                    assert_ne!(sanitize_code(&code), code, "{code}");
                }
            }
            let plain = &"ABCDEFGHIJKLMNOPQRST"[..len];
            assert!(!has_separator(plain.as_bytes()));
            assert_eq!(sanitize_code(plain), plain);
        }
        for byte in 0..=255u8 {
            assert_eq!(
                has_separator(&[b'a', byte, b'b']),
                matches!(byte, b':' | b'#'),
                "{byte}"
            );
            assert_eq!(
                has_separator(&[byte; 9]),
                matches!(byte, b':' | b'#'),
                "{byte}"
            );
        }
    }

    #[test]
    fn json_code_sources() {
        let body = r#"{"__type": "aws.protocoltests.json#FooError", "message": "hi"}"#;
        assert_eq!(from_response::<Json10>(&response(&[], body)).0, foo("hi"));
        let body = r#"{"code": "FooError", "__type": "Other", "Message": "hi"}"#;
        assert_eq!(from_response::<Json11>(&response(&[], body)).0, foo("hi"));
        let headers = [(
            "X-Amzn-Errortype",
            "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        )];
        let body = r#"{"__type": "Other", "message": "hi"}"#;
        assert_eq!(
            from_response::<RestJson>(&response(&headers, body)).0,
            foo("hi")
        );
        let headers = [
            ("x-amzn-errortype", "FooError"),
            ("X-Amzn-RequestId", "req"),
        ];
        assert_eq!(
            from_response::<RestJson>(&response(&headers, "")).0,
            OpError::Foo(FooError {
                message: None,
                request_id: Some("req".into()),
                retries: None,
            })
        );
        assert_eq!(
            from_response::<RestJson>(&response(&headers, "{not json")).0,
            OpError::Foo(FooError {
                message: None,
                request_id: Some("req".into()),
                retries: None,
            })
        );
        for blank in [" ", "ns#", ":http://internal.amazon.com/"] {
            let headers = [("X-Amzn-Errortype", blank)];
            let body = r#"{"__type": "FooError", "message": "hi"}"#;
            assert_eq!(
                from_response::<RestJson>(&response(&headers, body)).0,
                foo("hi")
            );
        }
        // A nested __type does not count.
        let body = r#"{"nested": {"__type": "FooError"}, "message": "m"}"#;
        assert_eq!(
            from_response::<Json10>(&response(&[], body)).0,
            unknown_error("BadRequest", Some("m"))
        );
        let body = r#"{"__type": "com.example#Mystery", "errorMessage": "m"}"#;
        assert_eq!(
            from_response::<Json10>(&response(&[], body)).0,
            unknown_error("Mystery", Some("m"))
        );
        assert_eq!(
            from_response::<Json10>(&response(&[], "[1, 2]")).0,
            unknown_error("BadRequest", None)
        );
        // A body of the wrong shape falls back to the default.
        let headers = [("x-amzn-errortype", "FooError")];
        assert_eq!(
            from_response::<RestJson>(&response(&headers, "[1]")).0,
            OpError::Foo(FooError::default())
        );
    }

    #[test]
    fn error_structures_decode_leniently() {
        // A member of the wrong kind: the structure falls back to its default...
        let headers = [("x-amzn-errortype", "FooError"), ("x-retries", "3")];
        let body = r#"{"message": "hi", "retries": "many"}"#;
        assert_eq!(
            from_response::<RestJson>(&response(&headers, body)).0,
            OpError::Foo(FooError {
                retries: Some(3),
                ..FooError::default()
            })
        );
        // ...and a header that does not decode leaves its member unset.
        let headers = [
            ("x-amzn-errortype", "FooError"),
            ("x-retries", "often"),
            ("x-amzn-requestid", "req"),
        ];
        let body = r#"{"message": "hi", "retries": 2}"#;
        assert_eq!(
            from_response::<RestJson>(&response(&headers, body)).0,
            OpError::Foo(FooError {
                message: Some("hi".into()),
                request_id: Some("req".into()),
                retries: Some(2),
            })
        );
        #[cfg(feature = "xml")]
        {
            let body =
                "<Error><Code>FooError</Code><Message>hi</Message><Retries>x</Retries></Error>";
            assert_eq!(
                from_response::<RestXml>(&response(&[], body)).0,
                OpError::Foo(FooError::default())
            );
        }
        // The message of an unmodeled error is read all the same.
        let body = r#"{"__type": "Mystery", "message": "m", "retries": "x"}"#;
        assert_eq!(
            from_response::<Json10>(&response(&[], body)).0,
            unknown_error("Mystery", Some("m"))
        );
    }

    #[test]
    fn query_compatible_header() {
        let headers = [(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )];
        assert_eq!(
            query_error_code(&headers),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(
            query_error_code(&[("x-amzn-query-error", "Code")]),
            Some("Code")
        );
        assert_eq!(query_error_code(&[("x-amzn-query-error", ";Sender")]), None);
        assert_eq!(query_error_code(&[]), None);
        let headers = [("x-amzn-query-error", "FooError;Sender")];
        assert_eq!(
            from_response::<Cbor>(&response(&headers, "\u{a1}")).0,
            OpError::Foo(FooError::default())
        );
        assert_eq!(
            from_response::<Cbor>(&response(&[], "")).0,
            unknown_error("BadRequest", None)
        );
        // The query code comes first in the JSON protocols too, so that an unknown error of
        // a query-compatible service has the code a modeled one would.
        let headers = [(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )];
        let body = r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "m"}"#;
        for decoded in [
            from_response::<Json10>(&response(&headers, body)).0,
            from_response::<RestJson>(&response(&headers, body)).0,
        ] {
            assert_eq!(
                decoded,
                unknown_error("AWS.SimpleQueueService.NonExistentQueue", Some("m"))
            );
        }
        let headers = [("x-amzn-query-error", "FooError;Sender")];
        let body = r#"{"__type": "com.amazonaws.sqs#Other", "message": "m"}"#;
        assert_eq!(
            from_response::<Json11>(&response(&headers, body)).0,
            foo("m")
        );
    }

    #[cfg(feature = "xml")]
    #[test]
    fn rest_xml() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>FooError</Code>\
                    <Message>hi</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        assert_eq!(from_response::<RestXml>(&response(&[], body)).0, foo("hi"));
        let body = "<Error><Code>FooError</Code><Message>hi</Message></Error>";
        assert_eq!(from_response::<RestXml>(&response(&[], body)).0, foo("hi"));
        assert_eq!(
            from_response::<RestXmlUnwrapped>(&response(&[], body)).0,
            foo("hi")
        );
        let body = "<Error><Code> NoSuchKey </Code><Message>gone</Message></Error>";
        assert_eq!(
            from_response::<RestXmlUnwrapped>(&response(&[], body)).0,
            unknown_error("NoSuchKey", Some("gone"))
        );
        let body = r#"<ErrorResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Error>
            <Code>FooError</Code><Message>ns</Message></Error></ErrorResponse>"#;
        assert_eq!(from_response::<RestXml>(&response(&[], body)).0, foo("ns"));
        assert_eq!(
            from_response::<RestXml>(&response(&[], "")).0,
            unknown_error("BadRequest", None)
        );
        assert_eq!(
            from_response::<RestXml>(&response(&[], "<oops")).0,
            unknown_error("BadRequest", None)
        );
        assert_eq!(
            from_response::<RestXml>(&response(&[], "<Other><Message>m</Message></Other>")).0,
            unknown_error("BadRequest", Some("m"))
        );
        let invalid_utf8 = HttpResponse {
            status: 400,
            headers: &[],
            body: &[0xff, 0xfe],
        };
        assert_eq!(
            from_response::<RestXml>(&invalid_utf8).0,
            unknown_error("BadRequest", None)
        );
    }

    #[cfg(feature = "xml")]
    #[test]
    fn aws_query_and_ec2() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>FooError</Code>\
                    <Message>q</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        assert_eq!(from_response::<Query>(&response(&[], body)).0, foo("q"));
        let body = "<ErrorResponse><Errors><Error><Code>FooError</Code><Message>w</Message>\
                    <Type>Sender</Type></Error></Errors></ErrorResponse>";
        assert_eq!(from_response::<Query>(&response(&[], body)).0, foo("w"));
        let body = "<Response><Errors><Error><Code>FooError</Code><Message>e</Message></Error>\
                    </Errors><RequestID>r</RequestID></Response>";
        assert_eq!(from_response::<Ec2>(&response(&[], body)).0, foo("e"));
        let body = "<Response><Errors><Error><Code>InvalidThing</Code><Message>bad</Message>\
                    </Error></Errors></Response>";
        assert_eq!(
            from_response::<Ec2>(&response(&[], body)).0,
            unknown_error("InvalidThing", Some("bad"))
        );
    }

    /// Decodes `body` with `status` and `headers` by each protocol's rules.
    fn in_every_protocol(status: u16, headers: &[(&str, &str)], body: &str) -> [OpError; 8] {
        let response = HttpResponse {
            status,
            headers,
            body: body.as_bytes(),
        };
        [
            from_response::<Json10>(&response).0,
            from_response::<Json11>(&response).0,
            from_response::<RestJson>(&response).0,
            from_response::<RestXml>(&response).0,
            from_response::<RestXmlUnwrapped>(&response).0,
            from_response::<Query>(&response).0,
            from_response::<Ec2>(&response).0,
            from_response::<Cbor>(&response).0,
        ]
    }

    #[test]
    fn bodiless_errors_take_their_code_from_the_status() {
        let unknown = |code: &str, status| {
            OpError::Unknown(UnknownError {
                code: code.into(),
                message: None,
                status: Some(status),
            })
        };
        let request_id = [("x-amzn-requestid", "req")];
        for body in ["", " \r\n"] {
            // A modeled error that the status names is that error, its members read from
            // the headers as ever.
            for decoded in in_every_protocol(404, &request_id, body) {
                assert_eq!(
                    decoded,
                    OpError::NotFound(FooError {
                        request_id: Some("req".into()),
                        ..FooError::default()
                    })
                );
            }
            for (status, code) in [
                (403, "Forbidden"),
                (400, "BadRequest"),
                (500, "InternalServerError"),
                (503, "ServiceUnavailable"),
                (304, "NotModified"),
            ] {
                for decoded in in_every_protocol(status, &[], body) {
                    assert_eq!(decoded, unknown(code, status));
                }
            }
            // A status without a registered reason phrase names nothing.
            for decoded in in_every_protocol(499, &[], body) {
                assert_eq!(decoded, unknown("", 499));
            }
            // The X-Amzn-Errortype header names the error in the JSON protocols, before the
            // status does (a blank one does not count); the others do not read it.
            let typed = [("X-Amzn-Errortype", "FooError:http://internal.amazon.com/")];
            let [json10, json11, rest_json, others @ ..] = in_every_protocol(404, &typed, body);
            for decoded in [json10, json11, rest_json] {
                assert_eq!(decoded, OpError::Foo(FooError::default()));
            }
            for decoded in others {
                assert_eq!(decoded, OpError::NotFound(FooError::default()));
            }
            let typed = [("X-Amzn-Errortype", "ns#Throttling")];
            let [json10, json11, rest_json, others @ ..] = in_every_protocol(400, &typed, body);
            for decoded in [json10, json11, rest_json] {
                assert_eq!(decoded, unknown("Throttling", 400));
            }
            for decoded in others {
                assert_eq!(decoded, unknown("BadRequest", 400));
            }
            for blank in [" ", "ns#", ":x"] {
                let typed = [("X-Amzn-Errortype", blank)];
                for decoded in in_every_protocol(404, &typed, body) {
                    assert_eq!(decoded, OpError::NotFound(FooError::default()));
                }
            }
        }
    }

    #[test]
    fn a_body_without_a_code_takes_it_from_the_status() {
        // A body that names no code, or one that is blank once sanitized, keeps its message.
        let json = r#"{"message": "no such thing"}"#;
        let blank_type = r#"{"__type": "ns#", "message": "no such thing"}"#;
        for body in [json, blank_type] {
            let response = HttpResponse {
                status: 404,
                headers: &[],
                body: body.as_bytes(),
            };
            let expected = || FooError {
                message: Some("no such thing".into()),
                ..FooError::default()
            };
            assert_eq!(
                from_response::<Json10>(&response).0,
                OpError::NotFound(expected())
            );
            assert_eq!(
                from_response::<RestJson>(&response).0,
                OpError::NotFound(expected())
            );
        }
        #[cfg(feature = "xml")]
        {
            let xml = [
                (Protocol::RestXml, "<Error><Message>m</Message></Error>"),
                (
                    Protocol::AwsQuery,
                    "<ErrorResponse><Error><Code> </Code><Message>m</Message></Error></ErrorResponse>",
                ),
                (
                    Protocol::Ec2Query,
                    "<Response><Errors><Error><Message>m</Message></Error></Errors></Response>",
                ),
            ];
            for (protocol, body) in xml {
                let response = HttpResponse {
                    status: 403,
                    headers: &[],
                    body: body.as_bytes(),
                };
                let decoded = match protocol {
                    Protocol::RestXml => from_response::<RestXml>(&response).0,
                    Protocol::AwsQuery => from_response::<Query>(&response).0,
                    _ => from_response::<Ec2>(&response).0,
                };
                assert_eq!(
                    decoded,
                    OpError::Unknown(UnknownError {
                        code: "Forbidden".into(),
                        message: Some("m".into()),
                        status: Some(403),
                    }),
                    "{protocol:?}"
                );
            }
            // A code in the body wins over the status, and XML protocols ignore the header.
            let headers = [("X-Amzn-Errortype", "Other")];
            let body = "<Error><Code>FooError</Code><Message>hi</Message></Error>";
            let response = HttpResponse {
                status: 404,
                headers: &headers,
                body: body.as_bytes(),
            };
            assert_eq!(from_response::<RestXml>(&response).0, foo("hi"));
        }
    }

    #[test]
    fn status_codes() {
        assert_eq!(status_code(404), Some("NotFound"));
        assert_eq!(status_code(403), Some("Forbidden"));
        assert_eq!(status_code(505), Some("HTTPVersionNotSupported"));
        for status in [0, 100, 200, 204, 299, 306, 418, 499, 599, 1000] {
            assert_eq!(status_code(status), None, "{status}");
        }
        // Every name is one identifier-like word, as error shape names are.
        for status in 0..=u16::MAX {
            if let Some(name) = status_code(status) {
                assert!(name.bytes().all(|b| b.is_ascii_alphabetic()), "{name}");
                assert_eq!(sanitize_code(name), name);
            }
        }
    }

    #[test]
    fn direct_decoding() {
        let body = json!({"message": "direct"});
        assert_eq!(
            from_json::<Json10>("FooError", &body).0,
            OpError::Foo(FooError {
                message: Some("direct".into()),
                request_id: None,
                retries: None,
            })
        );
        #[cfg(feature = "xml")]
        {
            let doc = xml::parse("<Error><message>lower</message></Error>");
            let Ok(doc) = doc else { panic!("parse failed") };
            let err = from_xml::<RestXml>("Other", doc.root_element()).0;
            assert_eq!(
                err,
                OpError::Unknown(UnknownError {
                    code: "Other".into(),
                    message: Some("lower".into()),
                    status: None
                })
            );
        }
    }

    #[test]
    fn unknown_display() {
        let e = UnknownError {
            code: "Throttling".into(),
            message: Some("slow down".into()),
            status: Some(400),
        };
        assert_eq!(e.to_string(), "Throttling: slow down");
        let e = UnknownError {
            code: "Throttling".into(),
            message: None,
            status: None,
        };
        assert_eq!(e.to_string(), "Throttling");
        assert_eq!(UnknownError::default().to_string(), "unknown error");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "Throttling");
        assert_eq!(message_of(&ErrorBody::Empty), None);
        assert_eq!(message_of(&ErrorBody::Json(&json!({"message": 1}))), None);
    }
}
