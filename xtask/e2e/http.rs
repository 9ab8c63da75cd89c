//! A minimal blocking HTTP/1.1 exchange over `std::net`, for plain `http://` URLs on the
//! loopback address only: one request per connection (`Connection: close`), the response read
//! to its end. Enough for a local test server; the real transport comes with the client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use smithy_runtime::http::{HttpRequest, HttpResponse};

/// The largest response accepted.
const MAX_RESPONSE: u64 = 16 << 20;
/// How long a connection may stay silent.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A response, owned.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The headers as the decoders borrow them.
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// `self` as [`HttpResponse`], over `pairs` (from [`Response::header_pairs`]).
    pub fn borrow<'a>(&'a self, pairs: &'a [(&'a str, &'a str)]) -> HttpResponse<'a> {
        HttpResponse {
            status: self.status,
            headers: pairs,
            body: &self.body,
        }
    }
}

/// The authority (`127.0.0.1:5000`) and the path and query (`/a?b`) of an `http://` URL whose
/// host is a loopback address; anything else is refused.
pub fn split_url(url: &str) -> Result<(&str, &str), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are sent (a local test server)"))?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let loopback = host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return Err(format!(
            "{url}: the host is not a loopback address; this test talks to 127.0.0.1 only"
        ));
    }
    Ok((authority, if target.is_empty() { "/" } else { target }))
}

/// Sends `request` (its `uri` an absolute `http://` URL, as `endpoint::finish` or `presign`
/// gives) and reads the response.
pub fn send(request: &HttpRequest) -> Result<Response, String> {
    let (authority, target) = split_url(&request.uri)?;
    let mut head = format!("{} {target} HTTP/1.1\r\n", request.method);
    let has = |name: &str| {
        request
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has("host") {
        head.push_str(&format!("Host: {authority}\r\n"));
    }
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has("content-length")
        && (!request.body.is_empty() || matches!(request.method.as_str(), "POST" | "PUT" | "PATCH"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");

    let at = |e: std::io::Error| format!("{} {}: {e}", request.method, request.uri);
    let mut stream = TcpStream::connect(authority).map_err(at)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(at)?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(at)?;
    stream.write_all(head.as_bytes()).map_err(at)?;
    stream.write_all(&request.body).map_err(at)?;
    stream.flush().map_err(at)?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE + 1)
        .read_to_end(&mut raw)
        .map_err(at)?;
    if raw.len() as u64 > MAX_RESPONSE {
        return Err(format!(
            "{} {}: the response is larger than {MAX_RESPONSE} bytes",
            request.method, request.uri
        ));
    }
    parse(&raw).map_err(|why| format!("{} {}: {why}", request.method, request.uri))
}

/// Parses a whole HTTP/1.1 response (the connection closed after it).
fn parse(raw: &[u8]) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response has no end of headers")?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| "the response head is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("not an HTTP/1.x status line: {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("not a header line: {line:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let rest = &raw[end + 4..];
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        dechunk(rest)?
    } else if let Some(length) = header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| format!("bad Content-Length {length:?}"))?;
        rest.get(..length)
            .ok_or_else(|| format!("the body ends after {} of {length} bytes", rest.len()))?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk size line has no end")?;
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .map(|line| line.split(';').next().unwrap_or_default().trim())
            .and_then(|hex| usize::from_str_radix(hex, 16).ok())
            .ok_or("a chunk size is not hexadecimal")?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("a chunk is cut short")?;
        body.extend_from_slice(chunk);
        rest = rest.get(size + 2..).ok_or("a chunk has no end")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_other_than_loopback_http_are_refused() {
        assert_eq!(
            split_url("http://127.0.0.1:5000/a?b").unwrap(),
            ("127.0.0.1:5000", "/a?b")
        );
        assert_eq!(
            split_url("http://localhost:1?x").unwrap(),
            ("localhost:1", "?x")
        );
        assert!(split_url("https://127.0.0.1/").is_err());
        assert!(split_url("http://10.0.0.1:80/").is_err());
        assert!(split_url("http://127.0.0.1.example.com/").is_err());
    }

    #[test]
    fn bodies_by_length_and_by_chunks() {
        let r = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiXX").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"hi"[..]));
        let r = parse(b"HTTP/1.1 403 FORBIDDEN\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n")
            .unwrap();
        assert_eq!((r.status, r.body.as_slice()), (403, &b"abc"[..]));
        assert!(parse(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi").is_err());
    }

    #[test]
    fn an_exchange_with_a_local_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut received = Vec::new();
            let mut buf = [0u8; 1024];
            while !received.ends_with(b"body") {
                let n = stream.read(&mut buf).unwrap();
                assert!(n > 0, "the client closed early");
                received.extend_from_slice(&buf[..n]);
            }
            stream
                .write_all(b"HTTP/1.1 201 Created\r\nX-Thing: a\r\nContent-Length: 2\r\n\r\nok")
                .unwrap();
            String::from_utf8(received).unwrap()
        });
        let request = HttpRequest {
            method: "PUT".into(),
            uri: format!("http://127.0.0.1:{port}/a/b?c=d"),
            headers: vec![("X-Amz-Date".into(), "20260101T000000Z".into())],
            body: b"body".to_vec(),
            ..HttpRequest::default()
        };
        let response = send(&request).unwrap();
        let pairs = response.header_pairs();
        let borrowed = response.borrow(&pairs);
        assert_eq!((borrowed.status, borrowed.body), (201, &b"ok"[..]));
        assert_eq!(
            smithy_runtime::http::header(borrowed.headers, "x-thing"),
            Some("a")
        );
        let received = server.join().unwrap();
        assert!(received.starts_with(&format!(
            "PUT /a/b?c=d HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Date: 20260101T000000Z\r\n"
        )));
        assert!(received.contains("\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"));
    }
}
