//! The hyper + rustls transport (feature `hyper`) against servers on 127.0.0.1: HTTP and HTTPS
//! round trips reusing one connection, a root given to the builder, an untrusted certificate,
//! the connect and request timeouts, a refused and a dropped connection, and bad input.
//!
//! The servers are blocking ones on std threads (rustls's server side for HTTPS), with the
//! certificate in `tests/data/tls/` (see its README): a test CA and a certificate for
//! 127.0.0.1 it signed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use smithy_client::transport::{
    HttpTransport, HyperTransport, Response, Roots, TransportError, TransportErrorKind,
};
use smithy_runtime::http::HttpRequest;

const CA: &[u8] = include_bytes!("data/tls/ca.pem");
const CERT: &[u8] = include_bytes!("data/tls/server.pem");
const KEY: &[u8] = include_bytes!("data/tls/server.key");

/// How the server behaves on each connection.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Answers each request with `{method} {target} {body}`, keeping the connection open.
    Echo,
    /// Answers after this long.
    Delay(Duration),
    /// Accepts and then says nothing (a TLS handshake never completes).
    Silent,
    /// Reads the request head and closes the connection without answering.
    Drop,
}

struct Server {
    port: u16,
    tls: bool,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    fn start(mode: Mode, tls: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let config = tls.then(server_config);
        let count = Arc::clone(&accepted);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    if mode == Mode::Silent {
                        thread::sleep(Duration::from_secs(5));
                        return;
                    }
                    match config {
                        Some(config) => {
                            let Ok(connection) = rustls::ServerConnection::new(config) else {
                                return;
                            };
                            serve(rustls::StreamOwned::new(connection, stream), mode);
                        }
                        None => serve(stream, mode),
                    }
                });
            }
        });
        Server {
            port,
            tls,
            accepted,
        }
    }

    fn url(&self, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}{path}", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn server_config() -> Arc<rustls::ServerConfig> {
    let certs = CertificateDer::pem_slice_iter(CERT)
        .collect::<Result<Vec<_>, _>>()
        .expect("the test certificate");
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("the test key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the server's certificate");
    Arc::new(config)
}

/// HTTP/1.1 requests on one connection until the client closes it.
fn serve<S: Read + Write>(stream: S, mode: Mode) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut length = 0;
        let mut content_length = "none".to_owned();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                    content_length = value.trim().to_owned();
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        match mode {
            Mode::Drop => return,
            Mode::Delay(delay) => thread::sleep(delay),
            Mode::Echo | Mode::Silent => {}
        }
        let text = format!("{method} {target} {}", String::from_utf8_lossy(&body));
        let reply = format!(
            "HTTP/1.1 201 Created\r\nContent-Length: {}\r\nX-Answer: yes\r\n\
             X-Content-Length: {content_length}\r\n\r\n{text}",
            text.len()
        );
        let stream = reader.get_mut();
        if stream.write_all(reply.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

fn request(method: &str, url: String, body: &[u8]) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        uri: url,
        headers: vec![("X-Test".to_owned(), "1".to_owned())],
        body: body.to_vec(),
        ..HttpRequest::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Three requests through `transport`, checked, on `server`: one connection accepted.
fn two_requests_one_connection(transport: &HyperTransport, server: &Server) {
    let rt = runtime();
    let send =
        |r: HttpRequest| -> Result<Response, TransportError> { rt.block_on(transport.send(r)) };
    let first = send(request("POST", server.url("/p?q=1"), b"hello")).expect("a response");
    assert_eq!(first.status, 201);
    assert_eq!(first.header("x-answer"), Some("yes"));
    assert_eq!(first.body_text(), "POST /p?q=1 hello");
    assert_eq!(first.header("x-content-length"), Some("5"));
    let second = send(request("GET", server.url("/again"), b"")).expect("a response");
    assert_eq!(second.body_text(), "GET /again ");
    assert_eq!(second.header("x-content-length"), Some("none"));
    // A POST without a body says so (some services want the header).
    let third = send(request("POST", server.url("/empty"), b"")).expect("a response");
    assert_eq!(third.header("x-content-length"), Some("0"));
    assert_eq!(
        server.accepted(),
        1,
        "the later requests reuse the connection"
    );
}

#[test]
fn http_round_trips_reuse_the_connection() {
    let server = Server::start(Mode::Echo, false);
    let transport = HyperTransport::new().expect("a transport");
    two_requests_one_connection(&transport, &server);
}

#[test]
fn https_with_a_given_root_reuses_the_connection() {
    let server = Server::start(Mode::Echo, true);
    // The platform's roots (or webpki's) and the test CA.
    let transport = HyperTransport::builder()
        .root_certificates_pem(CA)
        .build()
        .expect("a transport");
    two_requests_one_connection(&transport, &server);
    // Only the test CA.
    let server = Server::start(Mode::Echo, true);
    let transport = HyperTransport::builder()
        .roots(Roots::None)
        .root_certificates_pem(CA)
        .build()
        .expect("a transport");
    two_requests_one_connection(&transport, &server);
}

#[test]
fn an_untrusted_certificate_is_a_connect_error() {
    let server = Server::start(Mode::Echo, true);
    let transport = HyperTransport::builder()
        .roots(Roots::Webpki)
        .build()
        .expect("a transport");
    let error = runtime()
        .block_on(transport.send(request("GET", server.url("/"), b"")))
        .expect_err("the test CA is not trusted");
    assert_eq!(error.kind, TransportErrorKind::Connect, "{error}");
    let message = error.to_string();
    let expected = format!(
        "GET {}: TLS handshake with 127.0.0.1:{} failed: invalid peer certificate",
        server.url("/"),
        server.port
    );
    assert!(message.starts_with(&expected), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn timeouts_refused_and_dropped_connections() {
    let rt = runtime();
    // A TLS handshake that never completes: the connect timeout.
    let silent = Server::start(Mode::Silent, true);
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .build()
        .expect("a transport");
    let started = Instant::now();
    let error = rt
        .block_on(transport.send(request("GET", silent.url("/"), b"")))
        .expect_err("times out");
    assert_eq!(error.kind, TransportErrorKind::ConnectTimeout, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_unreachable());
    assert!(
        error.to_string().ends_with(&format!(
            "connecting to 127.0.0.1:{} timed out after 300ms",
            silent.port
        )),
        "{error}"
    );

    // A slow answer: the request timeout.
    let slow = Server::start(Mode::Delay(Duration::from_secs(2)), false);
    let transport = HyperTransport::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a transport");
    let started = Instant::now();
    let error = rt
        .block_on(transport.send(request("GET", slow.url("/"), b"")))
        .expect_err("times out");
    assert_eq!(error.kind, TransportErrorKind::Timeout, "{error}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        error.to_string(),
        format!("GET {}: no complete response within 300ms", slow.url("/"))
    );

    // Nobody listening.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let error = rt
        .block_on(transport.send(request("GET", url.clone(), b"")))
        .expect_err("refused");
    assert_eq!(error.kind, TransportErrorKind::Connect, "{error}");
    assert!(error.is_unreachable());
    assert!(
        error
            .to_string()
            .starts_with(&format!("GET {url}: connecting to 127.0.0.1:{port}: ")),
        "{error}"
    );

    // The server closes the connection instead of answering.
    let dropping = Server::start(Mode::Drop, false);
    let error = rt
        .block_on(transport.send(request("POST", dropping.url("/"), b"x")))
        .expect_err("no answer");
    assert_eq!(error.kind, TransportErrorKind::Io, "{error}");
    assert!(!error.is_unreachable());
    assert!(!error.to_string().contains('\n'), "{error}");
}

#[test]
fn bad_input_is_an_error_never_a_panic() {
    let error = HyperTransport::builder()
        .root_certificates_pem(&b"not a certificate"[..])
        .build()
        .expect_err("no PEM block");
    assert!(
        error.to_string().contains("no `BEGIN CERTIFICATE` block"),
        "{error}"
    );

    let transport = HyperTransport::new().expect("a transport");
    let rt = runtime();
    for (url, kind) in [
        ("ftp://127.0.0.1/", TransportErrorKind::InvalidUrl),
        ("/relative", TransportErrorKind::InvalidUrl),
        ("http://127.0.0.1/a b", TransportErrorKind::InvalidUrl),
    ] {
        let error = rt
            .block_on(transport.send(request("GET", url.to_owned(), b"")))
            .expect_err(url);
        assert_eq!(error.kind, kind, "{url}: {error}");
        assert!(
            error.to_string().starts_with(&format!("GET {url}: ")),
            "{error}"
        );
    }
    let mut bad_header = request("GET", "http://127.0.0.1:1/".to_owned(), b"");
    bad_header.headers.push(("X-Bad".into(), "a\r\nb".into()));
    let error = rt
        .block_on(transport.send(bad_header))
        .expect_err("bad header");
    assert_eq!(error.kind, TransportErrorKind::InvalidRequest, "{error}");

    // Outside a tokio runtime: an error saying so.
    let error = smithy_client::future::block_on(transport.send(request(
        "GET",
        "http://127.0.0.1:1/".to_owned(),
        b"",
    )))
    .expect_err("no runtime");
    assert_eq!(error.kind, TransportErrorKind::InvalidRequest, "{error}");
    assert!(
        error.to_string().contains("inside a tokio runtime"),
        "{error}"
    );
}
