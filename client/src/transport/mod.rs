//! Sending a request: the one small trait a transport implements ([`HttpTransport`]), the
//! response it gives ([`Response`]), and why sending failed ([`TransportError`]).
//!
//! The request is the runtime's [`HttpRequest`] with an absolute URL in `uri` (what
//! `smithy_runtime::endpoint::finish` makes of it). [`StdTransport`] is a minimal blocking
//! HTTP/1.1 exchange over `std::net`, for `http://` URLs only: the instance metadata service,
//! the ECS credentials endpoint and local servers; it refuses an `https://` URL saying so.
//! `HyperTransport` (feature `hyper`) speaks HTTPS and HTTP on tokio with hyper and rustls,
//! reusing connections.

#[cfg(feature = "hyper")]
mod hyper_tls;
pub(crate) mod std_http;

use std::fmt;

use smithy_runtime::http::{HttpRequest, HttpResponse};

use crate::future::BoxFuture;

#[cfg(feature = "hyper")]
pub use hyper_tls::{HyperTransport, HyperTransportBuilder, Roots, TlsConfigError};
pub use std_http::StdTransport;

/// Sends HTTP requests: implement it to bring your own HTTP stack.
///
/// The future must not borrow the request (it is moved in), so a transport can hand it to a
/// connection pool or another thread. Timeouts are the transport's own (each implementation's
/// builder sets them); a timeout is a [`TransportErrorKind::ConnectTimeout`] or
/// [`TransportErrorKind::Timeout`].
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` (its `uri` an absolute URL) and reads the whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>>;
}

impl<T: HttpTransport + ?Sized> HttpTransport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>> {
        (**self).send(request)
    }
}

/// A response, read whole.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order, as received.
    pub headers: Vec<(String, String)>,
    /// The body (after undoing `Transfer-Encoding: chunked`).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Calls `f` with the response as the decoders take it.
    pub fn view<R>(&self, f: impl FnOnce(&HttpResponse<'_>) -> R) -> R {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        f(&HttpResponse {
            status: self.status,
            headers: &headers,
            body: &self.body,
        })
    }

    /// The body as text, lossily (for messages).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Debug for Response {
    /// Status and header names: bodies (credentials) and header values (tokens) may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The URL cannot be sent by this transport (malformed, or a scheme it does not speak).
    InvalidUrl,
    /// The request cannot be written (a header with a line break).
    InvalidRequest,
    /// The host name did not resolve.
    Dns,
    /// No connection could be made (refused, unreachable).
    Connect,
    /// Connecting took longer than allowed.
    ConnectTimeout,
    /// Reading the response took longer than allowed.
    Timeout,
    /// The connection failed while the request was written or the response read.
    Io,
    /// What came back is not an HTTP response (or too large).
    InvalidResponse,
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// The kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, with the method and URL.
    pub message: String,
}

impl TransportError {
    /// An error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

    /// Whether the service could not be reached at all (no DNS, no connection, or no answer in
    /// time to connect): a credentials source behind it is then absent rather than failing.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Dns
                | TransportErrorKind::Connect
                | TransportErrorKind::ConnectTimeout
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}
