//! The plain-HTTP transport against servers on 127.0.0.1: a round trip, the timeouts, a
//! refused connection, and the refusal of https.

mod support;

use std::time::{Duration, Instant};

use smithy_client::future::block_on;
use smithy_client::transport::{HttpTransport, StdTransport, TransportErrorKind};
use smithy_runtime::http::HttpRequest;
use support::{closed_port, Received, Reply, Server};

fn request(method: &str, url: String, body: &[u8]) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        uri: url,
        headers: vec![("X-Test".to_owned(), "1".to_owned())],
        body: body.to_vec(),
        ..HttpRequest::default()
    }
}

#[test]
fn round_trip() {
    let server = Server::start(|r: &Received| {
        let mut reply = Reply::new(201, format!("{} {} {}", r.method, r.target, r.body_text()));
        reply.headers.push(("X-Answer".into(), "yes".into()));
        reply
    });
    let transport = StdTransport::new();
    let response =
        block_on(transport.send(request("POST", format!("{}/p?q=1", server.url()), b"hello")))
            .expect("a response");
    assert_eq!(response.status, 201);
    assert_eq!(response.header("x-answer"), Some("yes"));
    assert_eq!(response.body_text(), "POST /p?q=1 hello");
    let received = &server.received()[0];
    assert_eq!(
        received.header("host"),
        Some(format!("127.0.0.1:{}", server.port()).as_str())
    );
    assert_eq!(received.header("content-length"), Some("5"));
    assert_eq!(received.header("x-test"), Some("1"));
    // The same through the blocking call.
    let response = transport
        .send_blocking(&request("GET", server.url(), b""))
        .expect("a response");
    assert_eq!(response.body_text(), "GET / ");
    let debug = format!("{response:?}");
    assert!(!debug.contains("GET /"), "{debug}");
}

#[test]
fn read_timeout_connect_refused_and_https() {
    let slow =
        Server::start(|_: &Received| Reply::new(200, "late").delayed(Duration::from_secs(2)));
    let transport = StdTransport::new().with_read_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = block_on(transport.send(request("GET", slow.url(), b""))).expect_err("times out");
    assert_eq!(error.kind, TransportErrorKind::Timeout, "{error}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error
            .to_string()
            .starts_with(&format!("GET {}: ", slow.url())),
        "{error}"
    );
    assert!(!error.is_unreachable());

    let port = closed_port();
    let error = block_on(transport.send(request("GET", format!("http://127.0.0.1:{port}/"), b"")))
        .expect_err("refused");
    assert_eq!(error.kind, TransportErrorKind::Connect, "{error}");
    assert!(error.is_unreachable());

    let error = block_on(transport.send(request("GET", "https://sts.amazonaws.com/".into(), b"")))
        .expect_err("https");
    assert_eq!(error.kind, TransportErrorKind::InvalidUrl);
    assert!(
        error
            .to_string()
            .contains("TLS arrives with the client's hyper + rustls transport"),
        "{error}"
    );
}
