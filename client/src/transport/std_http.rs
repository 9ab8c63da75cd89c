//! A minimal HTTP/1.1 exchange over `std::net`: one connection per request
//! (`Connection: close`), `http://` only, a connect timeout and a timeout on reading the whole
//! response. The blocking socket work runs on a thread of its own ([`offload`]), so the future
//! is safe to await in any async runtime.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use smithy_runtime::http::HttpRequest;

use super::{HttpTransport, Response, TransportError, TransportErrorKind as Kind};
use crate::future::{offload, BoxFuture};

/// The largest response head (status line and headers) read.
const MAX_HEAD: usize = 64 * 1024;
/// The largest response body read.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Plain HTTP/1.1 over `std::net`, for `http://` URLs (see the [module](super) docs).
#[derive(Debug, Clone)]
pub struct StdTransport {
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl Default for StdTransport {
    /// 3 s to connect, 10 s to read the response.
    fn default() -> Self {
        StdTransport {
            connect_timeout: Duration::from_secs(3),
            read_timeout: Duration::from_secs(10),
        }
    }
}

impl StdTransport {
    /// A transport with the default timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long connecting may take (per address the host resolves to).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long writing the request and reading the whole response may take.
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sends `request` on the current thread, blocking until the response is read.
    pub fn send_blocking(&self, request: &HttpRequest) -> Result<Response, TransportError> {
        let what = format!("{} {}", request.method, request.uri);
        exchange(request, self.connect_timeout, self.read_timeout)
            .map_err(|e| TransportError::new(e.kind, format!("{what}: {}", e.message)))
    }
}

impl HttpTransport for StdTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<Response, TransportError>> {
        let transport = self.clone();
        Box::pin(async move {
            let what = format!("{} {}", request.method, request.uri);
            offload(move || transport.send_blocking(&request))
                .await
                .unwrap_or_else(|e| Err(TransportError::new(Kind::Io, format!("{what}: {e}"))))
        })
    }
}

/// An `http://` URL's parts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HttpUrl<'a> {
    /// The host and port as written (for the `Host` header).
    pub authority: &'a str,
    /// The host, without brackets for IPv6.
    pub host: &'a str,
    /// The port (80 by default).
    pub port: u16,
    /// The path and query (`/` when empty).
    pub target: String,
}

/// Splits an `http://` URL; any other URL is an error saying why.
pub(crate) fn parse_http_url(url: &str) -> Result<HttpUrl<'_>, TransportError> {
    let invalid = |why: &str| TransportError::new(Kind::InvalidUrl, why.to_owned());
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(invalid("not an absolute URL (no scheme)"));
    };
    if scheme.eq_ignore_ascii_case("https") {
        return Err(invalid(
            "https is not supported by this plain-HTTP transport: TLS arrives with the client's \
             hyper + rustls transport; give an http:// URL or bring a transport that speaks TLS",
        ));
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(invalid(&format!("unsupported scheme `{scheme}`")));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or_default();
    let mut target = rest
        .get(end..)
        .unwrap_or_default()
        .split('#')
        .next()
        .unwrap_or_default()
        .to_owned();
    if target.is_empty() || target.starts_with('?') {
        target.insert(0, '/');
    }
    if authority.is_empty() {
        return Err(invalid("the URL has no host"));
    }
    if authority.contains('@') {
        return Err(invalid("user information in the URL is not supported"));
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((host, after)) = bracketed.split_once(']') else {
            return Err(invalid("an IPv6 host lacks its closing ']'"));
        };
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => 80,
        Some(port) => port
            .parse()
            .map_err(|_| invalid(&format!("invalid port `{port}`")))?,
    };
    if host.is_empty() {
        return Err(invalid("the URL has no host"));
    }
    if target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(invalid("the path holds a space or a control character"));
    }
    Ok(HttpUrl {
        authority,
        host,
        port,
        target,
    })
}

/// A failure before the method and URL are prefixed.
struct Failure {
    kind: Kind,
    message: String,
}

fn fail(kind: Kind, message: impl Into<String>) -> Failure {
    Failure {
        kind,
        message: message.into(),
    }
}

impl From<TransportError> for Failure {
    fn from(e: TransportError) -> Self {
        fail(e.kind, e.message)
    }
}

/// Connects, writes the request, reads the response.
fn exchange(
    request: &HttpRequest,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<Response, Failure> {
    let url = parse_http_url(&request.uri)?;
    let head = request_head(request, &url)?;
    let addresses: Vec<SocketAddr> = (url.host, url.port)
        .to_socket_addrs()
        .map_err(|e| fail(Kind::Dns, format!("cannot resolve `{}`: {e}", url.host)))?
        .collect();
    let mut last = fail(Kind::Dns, format!("`{}` resolves to no address", url.host));
    let mut stream = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, connect_timeout) {
            Ok(connected) => {
                stream = Some(connected);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last = fail(
                    Kind::ConnectTimeout,
                    format!("connecting to {address} timed out after {connect_timeout:?}"),
                );
            }
            Err(e) => last = fail(Kind::Connect, format!("connecting to {address}: {e}")),
        }
    }
    let Some(stream) = stream else {
        return Err(last);
    };
    let deadline = Instant::now() + read_timeout;
    let mut stream = Deadline {
        stream,
        deadline,
        timeout: read_timeout,
    };
    stream.write_all(head.as_bytes()).map_err(io_failure)?;
    stream.write_all(&request.body).map_err(io_failure)?;
    stream.flush().map_err(io_failure)?;
    let head_only = request.method.eq_ignore_ascii_case("HEAD");
    read_response(BufReader::new(stream), head_only)
}

/// The request line and headers: the caller's headers (no line breaks allowed), `Host` unless
/// given, `Content-Length` for a body (or a `POST`/`PUT` without one), `Connection: close`.
fn request_head(request: &HttpRequest, url: &HttpUrl<'_>) -> Result<String, Failure> {
    let method = &request.method;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(fail(
            Kind::InvalidRequest,
            format!("invalid method `{method}`"),
        ));
    }
    let mut head = format!("{method} {} HTTP/1.1\r\n", url.target);
    let has = |name: &str| {
        request
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has("host") {
        head.push_str(&format!("Host: {}\r\n", url.authority));
    }
    for (name, value) in &request.headers {
        let bad_name = name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if bad_name {
            return Err(fail(
                Kind::InvalidRequest,
                format!("invalid header name `{name}`"),
            ));
        }
        if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(fail(
                Kind::InvalidRequest,
                format!("the value of header `{name}` holds a line break"),
            ));
        }
        if name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let needs_length = !request.body.is_empty()
        || method.eq_ignore_ascii_case("POST")
        || method.eq_ignore_ascii_case("PUT");
    if needs_length && !has("content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    Ok(head)
}

/// A stream whose every read and write must end before one deadline.
struct Deadline {
    stream: TcpStream,
    deadline: Instant,
    timeout: Duration,
}

impl Deadline {
    fn arm(&self) -> std::io::Result<()> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no complete response within {:?}", self.timeout),
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.set_write_timeout(Some(left))
    }
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.arm()?;
        self.stream.read(buf).map_err(|e| self.timed_out(e))
    }
}

impl Write for Deadline {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.arm()?;
        self.stream.write(buf).map_err(|e| self.timed_out(e))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

impl Deadline {
    /// A socket timeout (`WouldBlock` on Unix) as `TimedOut`, with the allowed time.
    fn timed_out(&self, e: std::io::Error) -> std::io::Error {
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no complete response within {:?}", self.timeout),
            ),
            _ => e,
        }
    }
}

fn io_failure(e: std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::TimedOut => fail(Kind::Timeout, e.to_string()),
        _ => fail(Kind::Io, e.to_string()),
    }
}

/// One line of the head, without its CRLF; the head's size is counted in `read`.
fn read_line(reader: &mut impl BufRead, read: &mut usize) -> Result<String, Failure> {
    let mut line = Vec::new();
    let n = reader
        .take((MAX_HEAD - *read + 1) as u64)
        .read_until(b'\n', &mut line)
        .map_err(io_failure)?;
    *read += n;
    if *read > MAX_HEAD {
        return Err(fail(
            Kind::InvalidResponse,
            format!("the response head is larger than {MAX_HEAD} bytes"),
        ));
    }
    if n == 0 || !line.ends_with(b"\n") {
        return Err(fail(
            Kind::InvalidResponse,
            "the connection closed before the response head ended",
        ));
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    String::from_utf8(line)
        .map_err(|_| fail(Kind::InvalidResponse, "the response head is not UTF-8"))
}

/// Reads the status line, the headers and the body (by `Content-Length`, chunked, or to the
/// end of the connection). Informational (1xx) responses are skipped.
fn read_response(mut reader: impl BufRead, head_only: bool) -> Result<Response, Failure> {
    let mut read = 0;
    loop {
        let status_line = read_line(&mut reader, &mut read)?;
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default();
        let code = parts.next().unwrap_or_default();
        if !version.starts_with("HTTP/1.") {
            return Err(fail(
                Kind::InvalidResponse,
                format!("not an HTTP/1.x status line: {status_line:?}"),
            ));
        }
        let status: u16 = code
            .parse()
            .ok()
            .filter(|s| (100..1000).contains(s))
            .ok_or_else(|| fail(Kind::InvalidResponse, format!("invalid status `{code}`")))?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(&mut reader, &mut read)?;
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(fail(
                    Kind::InvalidResponse,
                    format!("a header line without ':': {line:?}"),
                ));
            };
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        if (100..200).contains(&status) {
            continue;
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if head_only || status == 204 || status == 304 {
            return Ok(response);
        }
        let chunked = response
            .header("transfer-encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        response.body = if chunked {
            read_chunked(&mut reader)?
        } else if let Some(length) = response.header("content-length") {
            let length: usize = length.trim().parse().map_err(|_| {
                fail(
                    Kind::InvalidResponse,
                    format!("invalid Content-Length `{length}`"),
                )
            })?;
            if length > MAX_BODY {
                return Err(too_large());
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => fail(
                    Kind::InvalidResponse,
                    "the connection closed before the body ended",
                ),
                _ => io_failure(e),
            })?;
            body
        } else {
            let mut body = Vec::new();
            reader
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body)
                .map_err(io_failure)?;
            if body.len() > MAX_BODY {
                return Err(too_large());
            }
            body
        };
        return Ok(response);
    }
}

fn too_large() -> Failure {
    fail(
        Kind::InvalidResponse,
        format!("the response body is larger than {MAX_BODY} bytes"),
    )
}

/// A `Transfer-Encoding: chunked` body.
fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let mut read = 0;
    loop {
        let line = read_line(reader, &mut read)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| {
            fail(
                Kind::InvalidResponse,
                format!("invalid chunk size `{size}`"),
            )
        })?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(reader, &mut read)?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(too_large());
        }
        let start = body.len();
        body.resize(start + size, 0);
        let chunk = body.get_mut(start..).unwrap_or_default();
        reader.read_exact(chunk).map_err(io_failure)?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf).map_err(io_failure)?;
        read = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = parse_http_url("http://127.0.0.1:8080/a/b?c=d#frag").expect("url");
        assert_eq!(
            url,
            HttpUrl {
                authority: "127.0.0.1:8080",
                host: "127.0.0.1",
                port: 8080,
                target: "/a/b?c=d".to_owned()
            }
        );
        let url = parse_http_url("http://[fd00:ec2::254]").expect("url");
        assert_eq!(
            (url.host, url.port, url.target.as_str()),
            ("fd00:ec2::254", 80, "/")
        );
        assert_eq!(parse_http_url("http://h?x").expect("url").target, "/?x");
        let https = parse_http_url("https://sts.amazonaws.com/").expect_err("https");
        assert!(
            https.message.contains("TLS arrives with the client's"),
            "{https}"
        );
        assert!(parse_http_url("ftp://x/").is_err());
        assert!(parse_http_url("http://u@h/").is_err());
        assert!(parse_http_url("http://h:99999/").is_err());
        assert!(parse_http_url("http:///x").is_err());
        assert!(parse_http_url("h/x").is_err());
    }

    fn response(text: &[u8]) -> Result<Response, String> {
        read_response(std::io::Cursor::new(text.to_vec()), false).map_err(|e| e.message)
    }

    #[test]
    fn responses() {
        let ok = response(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhi")
            .expect("response");
        assert_eq!(
            (ok.status, ok.header("x-a"), ok.body.as_slice()),
            (200, Some("b"), &b"hi"[..])
        );
        let chunked = response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext\r\nabc\r\n2\r\nde\r\n0\r\nT: x\r\n\r\n",
        )
        .expect("chunked");
        assert_eq!(chunked.body, b"abcde");
        let to_end = response(b"HTTP/1.0 404 Not Found\nServer: x\n\nmissing").expect("to end");
        assert_eq!(
            (to_end.status, to_end.body.as_slice()),
            (404, &b"missing"[..])
        );
        assert_eq!(
            response(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab").expect_err("short"),
            "the connection closed before the body ended"
        );
        assert!(response(b"SSH-2.0\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 2x OK\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 200 OK\r\nbad\r\n\r\n").is_err());
        assert!(response(b"HTTP/1.1 200 OK\r\n").is_err());
    }

    #[test]
    fn request_heads_refuse_line_breaks() {
        let url = parse_http_url("http://127.0.0.1:1/p").expect("url");
        let mut request = HttpRequest {
            method: "PUT".into(),
            uri: "http://127.0.0.1:1/p".into(),
            headers: vec![("X-Token".into(), "a".into())],
            ..HttpRequest::default()
        };
        let head = request_head(&request, &url)
            .map_err(|e| e.message)
            .expect("head");
        assert_eq!(
            head,
            "PUT /p HTTP/1.1\r\nHost: 127.0.0.1:1\r\nX-Token: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        request
            .headers
            .push(("X-Bad".into(), "a\r\nInjected: 1".into()));
        assert!(request_head(&request, &url).is_err());
    }
}
