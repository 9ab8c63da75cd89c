//! HTTPS and HTTP on tokio: hyper 1 through hyper-util's pooled ("legacy") client, which keeps
//! connections alive and reuses them, and rustls with the `ring` crypto provider for TLS
//! (feature `hyper`).
//!
//! Which roots it trusts, and why: [`HyperTransport`]'s docs.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use smithy_runtime::http::HttpRequest;

use super::{HttpTransport, Response, TransportError, TransportErrorKind as Kind};
use crate::future::BoxFuture;

/// The largest response body read.
const MAX_BODY: usize = 16 * 1024 * 1024;

type BoxError = Box<dyn StdError + Send + Sync>;
type Connector = ConnectTimeout<HttpsConnector<HttpConnector>>;

/// Which roots a [`HyperTransport`] trusts, besides those given to
/// [`HyperTransportBuilder::root_certificates_pem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Roots {
    /// The platform's store, else (when it holds none) the compiled-in Mozilla roots.
    #[default]
    PlatformElseWebpki,
    /// The platform's store only.
    Platform,
    /// The compiled-in Mozilla roots only (`webpki-roots`).
    Webpki,
    /// None: only the roots given to the builder.
    None,
}

/// HTTPS and HTTP/1.1 on tokio: hyper 1 through hyper-util's pooled client, which keeps
/// connections alive and reuses them, and rustls with the `ring` crypto provider. Cloning
/// shares the pool.
///
/// It trusts the platform's roots (`rustls-native-certs`: `/etc/ssl/certs` and the like on
/// Linux, the keychain on macOS, the system store on Windows), else, when that store is empty
/// or unreadable (a minimal container), the Mozilla roots compiled in (`webpki-roots`): the
/// platform's store is where an administrator puts the CA of an inspecting proxy or a private
/// endpoint, and what `aws` and `curl` trust; the compiled-in roots are a fallback, never merged
/// in, so a root the administrator removed stays removed.
/// [`HyperTransportBuilder::root_certificates_pem`] adds roots (a private CA, a local server's
/// test CA); [`Roots`] chooses another set.
///
/// Its futures must be awaited inside a tokio runtime (with time and I/O enabled): the pool
/// runs each connection as a task of that runtime. Outside one, `send` gives an error.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<Connector, Full<Bytes>>,
    timeout: Duration,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`HyperTransport`].
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    idle_timeout: Duration,
    roots: Roots,
    extra_pem: Vec<Vec<u8>>,
}

impl Default for HyperTransportBuilder {
    /// 3.1 s to connect (TCP and the TLS handshake), 30 s per request, idle connections kept
    /// 90 s, [`Roots::PlatformElseWebpki`].
    fn default() -> Self {
        HyperTransportBuilder {
            connect_timeout: Duration::from_millis(3100),
            timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(90),
            roots: Roots::default(),
            extra_pem: Vec::new(),
        }
    }
}

/// Why a [`HyperTransport`] could not be built (a root certificate that does not parse, no
/// roots at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfigError {
    message: String,
}

impl fmt::Display for TlsConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TlsConfigError {}

fn config_error(message: impl Into<String>) -> TlsConfigError {
    TlsConfigError {
        message: message.into(),
    }
}

impl HyperTransportBuilder {
    /// How long making a connection may take: resolving, TCP and the TLS handshake together.
    /// Past it, a [`Kind::ConnectTimeout`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, from its start (connecting included) to the last byte
    /// of the response. Past it, a [`Kind::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long an idle connection stays in the pool for reuse.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Which roots to trust (see [`Roots`]).
    pub fn roots(mut self, roots: Roots) -> Self {
        self.roots = roots;
        self
    }

    /// Also trusts the certificates in `pem` (one or more `BEGIN CERTIFICATE` blocks), for a
    /// private CA or a local server's self-signed certificate. Parsed by [`build`](Self::build).
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_pem.push(pem.into());
        self
    }

    /// The transport; an error when a given root does not parse or no root is left to trust.
    pub fn build(self) -> Result<HyperTransport, TlsConfigError> {
        let roots = self.root_store()?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| config_error(format!("TLS configuration: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let connector = ConnectTimeout {
            inner: https,
            timeout: self.connect_timeout,
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.idle_timeout)
            .build(connector);
        Ok(HyperTransport {
            client,
            timeout: self.timeout,
        })
    }

    fn root_store(&self) -> Result<RootCertStore, TlsConfigError> {
        let mut store = RootCertStore::empty();
        let platform = || {
            let mut store = RootCertStore::empty();
            // Certificates the store holds but webpki cannot use are skipped, as are files
            // that cannot be read: what is left is what the platform lets us trust.
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            store
        };
        let webpki = || RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        match self.roots {
            Roots::PlatformElseWebpki => {
                store = platform();
                if store.is_empty() {
                    store = webpki();
                }
            }
            Roots::Platform => store = platform(),
            Roots::Webpki => store = webpki(),
            Roots::None => {}
        }
        for pem in &self.extra_pem {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert =
                    cert.map_err(|e| config_error(format!("a root certificate's PEM: {e}")))?;
                store
                    .add(cert)
                    .map_err(|e| config_error(format!("a root certificate: {e}")))?;
                added += 1;
            }
            if added == 0 {
                return Err(config_error(
                    "the root certificates' PEM holds no `BEGIN CERTIFICATE` block",
                ));
            }
        }
        if store.is_empty() {
            return Err(config_error(format!(
                "no root certificates to trust ({:?}, none given)",
                self.roots
            )));
        }
        Ok(store)
    }
}

impl HyperTransport {
    /// A transport with the [default](HyperTransportBuilder::default) settings.
    pub fn new() -> Result<Self, TlsConfigError> {
        Self::builder().build()
    }

    /// A builder with the default settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    async fn exchange(&self, request: HttpRequest) -> Result<Response, TransportError> {
        let what = format!("{} {}", request.method, request.uri);
        let prefix = |e: TransportError| TransportError::new(e.kind, format!("{what}: {e}"));
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(prefix(TransportError::new(
                Kind::InvalidRequest,
                "the hyper transport must be awaited inside a tokio runtime",
            )));
        }
        let request = to_hyper(request).map_err(prefix)?;
        let authority = request
            .uri()
            .authority()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default();
        let timeout = self.timeout;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| classify(&e, &authority))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| body_error(&*e))?
                .to_bytes();
            let headers = parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect();
            Ok(Response {
                status: parts.status.as_u16(),
                headers,
                body: body.to_vec(),
            })
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result.map_err(prefix),
            Err(_) => Err(prefix(TransportError::new(
                Kind::Timeout,
                format!("no complete response within {timeout:?}"),
            ))),
        }
    }
}

impl HttpTransport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(self.exchange(request))
    }
}

/// The runtime's request as hyper's, its URL checked to be `http://` or `https://`.
fn to_hyper(request: HttpRequest) -> Result<http::Request<Full<Bytes>>, TransportError> {
    let uri: http::Uri = request
        .uri
        .parse()
        .map_err(|e| TransportError::new(Kind::InvalidUrl, format!("invalid URL: {e}")))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        Some(s) => {
            return Err(TransportError::new(
                Kind::InvalidUrl,
                format!("unsupported scheme `{s}`"),
            ))
        }
        None => {
            return Err(TransportError::new(
                Kind::InvalidUrl,
                "not an absolute URL (no scheme)",
            ))
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(TransportError::new(Kind::InvalidUrl, "the URL has no host"));
    }
    let method = http::Method::from_bytes(request.method.as_bytes()).map_err(|_| {
        TransportError::new(
            Kind::InvalidRequest,
            format!("invalid method `{}`", request.method),
        )
    })?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in &request.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            TransportError::new(
                Kind::InvalidRequest,
                format!("invalid header name `{name}`"),
            )
        })?;
        let value = http::HeaderValue::from_str(value).map_err(|_| {
            TransportError::new(
                Kind::InvalidRequest,
                format!("the value of header `{name}` holds a line break or control character"),
            )
        })?;
        builder = builder.header(name, value);
    }
    // hyper leaves `Content-Length` out of an empty body; some services want it on a POST,
    // PUT or PATCH (what StdTransport sends too).
    let wants_length = matches!(
        builder.method_ref(),
        Some(&http::Method::POST | &http::Method::PUT | &http::Method::PATCH)
    );
    let has_length = builder
        .headers_ref()
        .is_some_and(|h| h.contains_key(http::header::CONTENT_LENGTH));
    if request.body.is_empty() && wants_length && !has_length {
        builder = builder.header(http::header::CONTENT_LENGTH, "0");
    }
    builder
        .body(Full::new(Bytes::from(request.body)))
        .map_err(|e| TransportError::new(Kind::InvalidRequest, e.to_string()))
}

/// The error of the connect timeout (TCP and TLS together).
#[derive(Debug)]
struct ConnectTimedOut(Duration);

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connecting timed out after {:?}", self.0)
    }
}

impl StdError for ConnectTimedOut {}

/// A connector whose connections must be made (TLS handshake included) within `timeout`.
#[derive(Debug, Clone)]
struct ConnectTimeout<C> {
    inner: C,
    timeout: Duration,
}

impl<C> tower_service::Service<http::Uri> for ConnectTimeout<C>
where
    C: tower_service::Service<http::Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(Box::new(ConnectTimedOut(timeout)) as BoxError),
            }
        })
    }
}

/// The errors of `error`'s chain, each once: an `io::Error` wrapping another error (rustls's,
/// through tokio-rustls) shows that one as its next link.
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut links = Vec::new();
    let mut next = Some(error);
    while let Some(link) = next {
        links.push(link);
        next = match link.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => None,
            },
            None => link.source(),
        };
    }
    links
}

/// One line from the messages of `links`, joined by `: `, one another holds left out.
fn summary(links: &[&(dyn StdError + 'static)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for link in links {
        let text = link.to_string().replace(['\r', '\n'], " ");
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// The kind and message of a failed request (hyper-util's error and its sources).
fn classify(error: &hyper_util::client::legacy::Error, authority: &str) -> TransportError {
    let links = chain(error);
    // hyper-util's own message ("client error (Connect)") says nothing: its sources do.
    let text = summary(links.get(1..).filter(|l| !l.is_empty()).unwrap_or(&links));
    let io_kind = links
        .iter()
        .find_map(|l| l.downcast_ref::<std::io::Error>().map(std::io::Error::kind));
    if let Some(timed_out) = links
        .iter()
        .find_map(|l| l.downcast_ref::<ConnectTimedOut>())
    {
        return TransportError::new(
            Kind::ConnectTimeout,
            format!(
                "connecting to {authority} timed out after {:?}",
                timed_out.0
            ),
        );
    }
    let tls = links.iter().find_map(|l| l.downcast_ref::<rustls::Error>());
    if error.is_connect() {
        if let Some(tls) = tls {
            return TransportError::new(
                Kind::Connect,
                format!("TLS handshake with {authority} failed: {tls}"),
            );
        }
        // hyper-util's connector names a failed lookup "dns error".
        if links.iter().any(|l| l.to_string() == "dns error") {
            return TransportError::new(Kind::Dns, format!("cannot resolve {authority}: {text}"));
        }
        if io_kind == Some(std::io::ErrorKind::TimedOut) {
            return TransportError::new(
                Kind::ConnectTimeout,
                format!("connecting to {authority} timed out: {text}"),
            );
        }
        return TransportError::new(Kind::Connect, format!("connecting to {authority}: {text}"));
    }
    let hyper_error = links.iter().find_map(|l| l.downcast_ref::<hyper::Error>());
    match hyper_error {
        Some(e) if e.is_parse() || e.is_parse_status() => TransportError::new(
            Kind::InvalidResponse,
            format!("not an HTTP response: {text}"),
        ),
        // A reset or closed connection, or a failure writing the request.
        _ => TransportError::new(Kind::Io, text),
    }
}

/// A failure while reading the response body.
fn body_error(error: &(dyn StdError + 'static)) -> TransportError {
    if error
        .downcast_ref::<http_body_util::LengthLimitError>()
        .is_some()
    {
        return TransportError::new(
            Kind::InvalidResponse,
            format!("the response body is larger than {MAX_BODY} bytes"),
        );
    }
    let text = summary(&chain(error));
    TransportError::new(Kind::Io, format!("reading the response body: {text}"))
}
