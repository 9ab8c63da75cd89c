//! Operations: one generated type per operation implements [`Operation`], which turns a whole
//! HTTP response into the operation's output or its error, by the service's protocol.
//!
//! The functions here read the body of a success response the way each protocol sends it;
//! generated `decode_output` implementations call them, then read the members bound to
//! headers, the status code or the payload (rest protocols).

use std::fmt;

use crate::error::OperationError;
use crate::http::{HttpRequest, HttpResponse};
use crate::json::{Arena, FromJson, Parsed};
use crate::to_json::ToJson;
#[cfg(feature = "xml")]
use crate::xml::{self, Element, FromXml};
use crate::{Blob, DecodeError};

/// An operation of a service: its input, output and error types, and the decoding of its
/// responses.
///
/// ```ignore
/// let output = StartImageScan::decode_response(&response)?;
/// ```
pub trait Operation {
    /// The input structure (`()` when the operation takes none).
    type Input;
    /// The output structure (`()` when the operation returns none).
    type Output;
    /// The operation's error enum.
    type Error: OperationError;
    /// The operation's name in the model.
    const NAME: &'static str;
    /// How its requests are authenticated, as the model says: the schemes in priority order,
    /// the SigV4 signing name, `@optionalAuth`, `@unsignedPayload`, S3's rules. The default
    /// is no authentication.
    const AUTH: crate::auth::OperationAuth = crate::auth::OperationAuth::NONE;

    /// Decodes the output from a success response.
    fn decode_output(response: &HttpResponse<'_>) -> Result<Self::Output, DecodeError>;

    /// Decodes a whole response: a 2xx status gives the output (or, when the body does not
    /// fit it, the error enum's malformed case saying why), any other status the error the
    /// response describes.
    fn decode_response(response: &HttpResponse<'_>) -> Result<Self::Output, Self::Error> {
        if (200..300).contains(&response.status) {
            Self::decode_output(response).map_err(|error| {
                Self::Error::malformed(MalformedResponse::new(response.status, error))
            })
        } else {
            Err(crate::error::from_response(response))
        }
    }
}

/// Operations whose requests the generated crate serializes: the HTTP request for an input.
pub trait EncodeRequest: Operation {
    /// The request for `input`: method, path and query, headers and body. An input that
    /// cannot be sent (a required member left unset) is an error naming the member.
    fn encode_request(input: &Self::Input) -> Result<HttpRequest, EncodeError>;
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// The member at fault, by its name in the model.
    pub member: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "member `{}`: {}", self.member, self.message)
    }
}

impl std::error::Error for EncodeError {}

/// `Ok` when the required member `member` is set, else the error saying it is not.
pub fn require<T>(value: &Option<T>, member: &str) -> Result<(), EncodeError> {
    match value {
        Some(_) => Ok(()),
        None => Err(EncodeError {
            member: member.to_owned(),
            message: "is required but not set".to_owned(),
        }),
    }
}

/// An awsJson request: `POST /` with the JSON body, `Content-Type:
/// application/x-amz-json-{version}`, `X-Amz-Target: {target}` (the service's shape name and
/// the operation's, joined by `.`) and `Content-Length`.
pub fn aws_json_request<T: ToJson + ?Sized>(input: &T, version: &str, target: &str) -> HttpRequest {
    let body = crate::to_json::to_vec(input);
    HttpRequest {
        method: "POST".to_owned(),
        uri: "/".to_owned(),
        headers: vec![
            (
                "Content-Type".to_owned(),
                format!("application/x-amz-json-{version}"),
            ),
            ("X-Amz-Target".to_owned(), target.to_owned()),
            ("Content-Length".to_owned(), body.len().to_string()),
        ],
        body,
        host_prefix: String::new(),
        endpoint: None,
    }
}

thread_local! {
    static TOKEN_SOURCE: std::cell::Cell<Option<fn() -> String>> = const { std::cell::Cell::new(None) };
}

/// Replaces, on this thread, where idempotency tokens come from (`None` restores fresh UUID
/// v4s): tests that expect a fixed token set it.
pub fn set_idempotency_token_source(source: Option<fn() -> String>) {
    TOKEN_SOURCE.with(|cell| cell.set(source));
}

/// A token for an `@idempotencyToken` member the input leaves unset: a fresh UUID v4, unless
/// [`set_idempotency_token_source`] gave this thread another source.
#[cfg(feature = "idempotency")]
pub fn idempotency_token() -> String {
    match TOKEN_SOURCE.with(std::cell::Cell::get) {
        Some(source) => source(),
        None => uuid::Uuid::new_v4().to_string(),
    }
}

/// The smallest body `@requestCompression` compresses (smaller ones are sent as they are).
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// gzips the body of a `@requestCompression` request (from [`MIN_COMPRESSION_SIZE`] bytes on),
/// adding `gzip` to its `Content-Encoding` and mending its `Content-Length`.
#[cfg(feature = "gzip")]
pub fn gzip(request: &mut HttpRequest) {
    use std::io::Write as _;
    if request.body.len() < MIN_COMPRESSION_SIZE {
        return;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a `Vec` cannot fail.
    let compressed = encoder
        .write_all(&request.body)
        .and_then(|()| encoder.finish());
    let Ok(compressed) = compressed else { return };
    request.body = compressed;
    match request
        .headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, value)) => value.push_str(", gzip"),
        None => request
            .headers
            .push(("Content-Encoding".to_owned(), "gzip".to_owned())),
    }
    for (k, value) in request.headers.iter_mut() {
        if k.eq_ignore_ascii_case("content-length") {
            *value = request.body.len().to_string();
        }
    }
}

/// An rpcv2Cbor request: `POST /service/{service}/operation/{operation}` with the
/// `smithy-protocol` and `Accept` headers, and for an operation with input the CBOR body with
/// its `Content-Type`; its `Content-Length` is the body's, `0` without input.
pub fn cbor_request(service: &str, operation: &str, body: Option<Vec<u8>>) -> HttpRequest {
    let mut headers = vec![
        ("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()),
        ("Accept".to_owned(), "application/cbor".to_owned()),
    ];
    if body.is_some() {
        headers.push(("Content-Type".to_owned(), "application/cbor".to_owned()));
    }
    let length = body.as_ref().map_or(0, Vec::len);
    headers.push(("Content-Length".to_owned(), length.to_string()));
    HttpRequest {
        method: "POST".to_owned(),
        uri: format!("/service/{service}/operation/{operation}"),
        headers,
        body: body.unwrap_or_default(),
        host_prefix: String::new(),
        endpoint: None,
    }
}

/// Sets the `Content-MD5` header of an `@httpChecksumRequired` request: the base64 MD5 digest
/// of its body.
#[cfg(feature = "md5")]
pub fn content_md5(request: &mut HttpRequest) {
    use md5::Digest as _;
    let digest = md5::Md5::digest(&request.body);
    request.headers.push((
        "Content-MD5".to_owned(),
        crate::Blob::from(digest.as_slice()).to_base64(),
    ));
}

/// The value of the `@hostLabel` member `member`, which must be set and be one DNS label
/// (RFC 1123): 1 to 63 ASCII letters, digits and `-`, neither first nor last a `-`. So a value
/// cannot add a level to the host (`a.b`), leave it (`a/b`, `a@b`, `a:1`) or be empty, as the
/// `@endpoint` trait requires of the host it expands to.
pub fn host_label<'v>(value: Option<&'v str>, member: &str) -> Result<&'v str, EncodeError> {
    let error = |message: String| EncodeError {
        member: member.to_owned(),
        message,
    };
    let value = value.ok_or_else(|| error("is a @hostLabel but not set".to_owned()))?;
    let valid = (1..=63).contains(&value.len())
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if valid {
        Ok(value)
    } else {
        Err(error(format!(
            "is a @hostLabel but {value:?} is not a DNS label (1 to 63 letters, digits and '-', not starting or ending with '-')"
        )))
    }
}

/// Re-exported from [`error`](crate::error), where [`OperationError::malformed`] takes it.
pub use crate::error::MalformedResponse;

/// Whether the body is empty or only whitespace.
fn blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The body as text.
fn text(body: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(body).map_err(|e| DecodeError::new(format!("the body is not UTF-8: {e}")))
}

/// A JSON document body (awsJson, restJson1): an empty body is the output with every member
/// absent.
pub fn json_body<T: FromJson + Default>(response: &HttpResponse<'_>) -> Result<T, DecodeError> {
    if blank(response.body) {
        return Ok(T::default());
    }
    let arena = Arena::new();
    let parsed = Parsed::from_slice(response.body, &arena)
        .map_err(|e| DecodeError::new(format!("the body is not JSON: {e}")))?;
    T::from_json(&parsed)
}

/// A structure, union or document bound to the whole JSON body with `@httpPayload`; `None`
/// for an empty body.
pub fn json_payload<T: FromJson>(response: &HttpResponse<'_>) -> Result<Option<T>, DecodeError> {
    if blank(response.body) {
        return Ok(None);
    }
    let arena = Arena::new();
    let parsed = Parsed::from_slice(response.body, &arena)
        .map_err(|e| DecodeError::new(format!("the body is not JSON: {e}")))?;
    T::from_json(&parsed).map(Some)
}

/// A CBOR document body (rpcv2Cbor): an empty body is the output with every member absent.
pub fn cbor_body<T: FromJson + Default>(response: &HttpResponse<'_>) -> Result<T, DecodeError> {
    if response.body.is_empty() {
        return Ok(T::default());
    }
    let value = crate::cbor::to_json(response.body)
        .ok_or_else(|| DecodeError::new("the body is not valid CBOR"))?;
    T::from_json(&value)
}

#[cfg(feature = "xml")]
/// Parses an XML body and decodes from its root element.
fn with_xml<T>(
    response: &HttpResponse<'_>,
    decode: impl FnOnce(Element<'_, '_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let doc = xml::parse(text(response.body)?)
        .map_err(|e| DecodeError::new(format!("the body is not XML: {e}")))?;
    decode(doc.root_element())
}

#[cfg(feature = "xml")]
/// An XML document body (restXml): the root element holds the members; an empty body is the
/// output with every member absent.
pub fn xml_body<T: FromXml + Default>(response: &HttpResponse<'_>) -> Result<T, DecodeError> {
    if blank(response.body) {
        return Ok(T::default());
    }
    with_xml(response, T::from_xml)
}

#[cfg(feature = "xml")]
/// A structure or union bound to the whole XML body with `@httpPayload`; `None` for an
/// empty body.
pub fn xml_payload<T: FromXml>(response: &HttpResponse<'_>) -> Result<Option<T>, DecodeError> {
    if blank(response.body) {
        return Ok(None);
    }
    with_xml(response, T::from_xml).map(Some)
}

#[cfg(feature = "xml")]
/// An awsQuery body: `<{operation}Response><{operation}Result>` holds the members (the result
/// element is absent for an output without members).
pub fn query_body<T: FromXml + Default>(
    response: &HttpResponse<'_>,
    operation: &str,
) -> Result<T, DecodeError> {
    if blank(response.body) {
        return Ok(T::default());
    }
    let result = format!("{operation}Result");
    let decoded = with_xml(response, |root| match xml::child(root, &result) {
        Some(element) => T::from_xml(element).map(Some),
        None => Ok(None),
    })?;
    Ok(decoded.unwrap_or_default())
}

#[cfg(feature = "xml")]
/// An ec2Query body: the root `<{operation}Response>` holds the members.
pub fn ec2_body<T: FromXml + Default>(response: &HttpResponse<'_>) -> Result<T, DecodeError> {
    xml_body(response)
}

/// A blob bound to the body with `@httpPayload`: the body's bytes; `None` when empty.
pub fn blob_payload(response: &HttpResponse<'_>) -> Option<Blob> {
    (!response.body.is_empty()).then(|| Blob::new(response.body))
}

/// A string (or string enum) bound to the body with `@httpPayload`: the body's text; `None`
/// when empty.
pub fn string_payload<T: From<String>>(
    response: &HttpResponse<'_>,
) -> Result<Option<T>, DecodeError> {
    if response.body.is_empty() {
        return Ok(None);
    }
    Ok(Some(T::from(text(response.body)?.to_owned())))
}

/// Event streams are not serialized yet: the error a generated `encode_request` returns for
/// an operation whose input has one.
pub fn event_stream_request_unsupported() -> EncodeError {
    EncodeError {
        member: String::new(),
        message: "event stream requests are not serialized yet".to_owned(),
    }
}

/// Event streams are not decoded yet: the error a generated `decode_output` returns for an
/// operation whose output is one.
pub fn event_stream_unsupported() -> DecodeError {
    DecodeError::new("event stream responses are not decoded yet")
}

/// The inherent methods and trait impls every operation error enum shares: `from_json`,
/// `from_response`, `details`, `code`, `message`, `Display` and `Error`. Generated
/// code calls it with the enum's name, its modeled variants and its generated unknown and
/// malformed variants, and implements [`OperationError`] itself.
#[macro_export]
macro_rules! operation_error {
    ($name:ident, [$($variant:ident),*], $unknown:ident, $malformed:ident) => {
        impl $name {
            /// Decodes an error from its code (as found in the response) and a JSON body.
            #[inline]
            pub fn from_json(code: &str, body: &$crate::serde_json::Value) -> Self {
                $crate::error::from_json(code, body)
            }
            /// Decodes an error from a whole HTTP response, finding the code by the protocol's
            /// rules.
            #[inline]
            pub fn from_response(response: &$crate::http::HttpResponse<'_>) -> Self {
                $crate::error::from_response(response)
            }
            /// The error's code and message.
            #[inline]
            pub fn details(&self) -> &dyn $crate::error::ErrorDetails {
                match self {
                    $(Self::$variant(error) => error,)*
                    Self::$unknown(error) => error,
                    Self::$malformed(error) => error,
                }
            }
            /// The error's code as the service names it on the wire, namespace and URI
            /// stripped (see [`ErrorDetails::code`](crate::error::ErrorDetails::code)); empty
            /// for a malformed response.
            #[inline]
            pub fn code(&self) -> &str {
                self.details().code()
            }
            /// The error's message, if it has one.
            #[inline]
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.details().message()
            }
        }
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::$malformed(error) => ::std::fmt::Display::fmt(error, f),
                    _ => $crate::error::fmt_error(self.details(), f),
                }
            }
        }
        impl ::std::error::Error for $name {}
    };
}

/// The inherent `from_xml` of an operation error enum of an XML protocol (restXml, awsQuery,
/// ec2Query), which generated crates of those services call beside [`operation_error!`].
#[cfg(feature = "xml")]
#[macro_export]
macro_rules! xml_operation_error {
    ($name:ident) => {
        impl $name {
            /// Decodes an error from its code and the XML element holding its members.
            #[inline]
            pub fn from_xml(code: &str, body: $crate::xml::Element<'_, '_>) -> Self {
                $crate::error::from_xml(code, body)
            }
        }
    };
}
