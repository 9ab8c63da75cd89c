//! ECR operations sent as `http::Request`s and decoded from `http::Response`s, through the
//! runtime's `http` feature.

use ecr::operations::{DescribeImages, StartImageScan};
use ecr::types::{ImageIdentifier, ScanStatus, StartImageScanRequest};
use ecr::{DescribeImagesError, StartImageScanError};
use smithy_runtime::http::{HeaderPairs, HttpConversionError, HttpRequest, ResponseParts};
use smithy_runtime::operation::{EncodeRequest, Operation};

const ENDPOINT: &str = "https://api.ecr.us-east-1.amazonaws.com";

fn start_image_scan_request() -> HttpRequest {
    let mut image = ImageIdentifier::default();
    image.image_digest = Some("sha256:abc".into());
    let mut input = StartImageScanRequest::new("web/app", image);
    input.registry_id = Some("123456789012".into());
    StartImageScan::encode_request(&input).expect("a request")
}

#[test]
fn start_image_scan_as_an_http_request() {
    let request = start_image_scan_request();
    let sent = request.to_http(ENDPOINT).expect("an http::Request");
    assert_eq!(sent.method(), http::Method::POST);
    assert_eq!(sent.uri(), "https://api.ecr.us-east-1.amazonaws.com/");
    assert_eq!(sent.headers()["content-type"], "application/x-amz-json-1.1");
    assert_eq!(sent.headers()["x-amz-target"], "AmazonEC2ContainerRegistry_V20150921.StartImageScan");
    assert_eq!(sent.headers()["content-length"], request.body.len().to_string().as_str());
    assert_eq!(sent.headers().len(), request.headers.len());
    assert_eq!(sent.body(), &request.body);
    assert_eq!(
        String::from_utf8_lossy(sent.body()),
        r#"{"registryId":"123456789012","repositoryName":"web/app","imageId":{"imageDigest":"sha256:abc"}}"#
    );
    // The endpoint's own path goes before the request's.
    let proxied = request.into_http("http://localhost:4566/ecr").expect("an http::Request");
    assert_eq!(proxied.uri(), "http://localhost:4566/ecr/");
}

#[test]
fn a_hand_built_header_value_http_refuses_is_an_error() {
    let mut request = start_image_scan_request();
    request.headers.push(("X-Amz-Security-Token".into(), "abc\ndef".into()));
    let error = request.into_http(ENDPOINT).expect_err("a line break");
    assert_eq!(error, HttpConversionError::HeaderValue { name: "X-Amz-Security-Token".into(), byte: b'\n', offset: 3 });
    assert_eq!(
        error.to_string(),
        "header `X-Amz-Security-Token`: the value holds the control character 0x0a at byte 3, which HTTP header values cannot carry"
    );
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).expect("a response")
}

#[test]
fn start_image_scan_decoded_from_an_http_response() {
    let received = response(
        200,
        &[("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "6f1a1b52")],
        r#"{"registryId":"123456789012","repositoryName":"web/app","imageId":{"imageDigest":"sha256:abc"},"imageScanStatus":{"status":"IN_PROGRESS","description":"started"}}"#,
    );
    let parts = ResponseParts::from_http(&received).expect("UTF-8 headers");
    let output = StartImageScan::decode_response(&parts.as_response()).expect("an output");
    assert_eq!(output.repository_name.as_deref(), Some("web/app"));
    assert_eq!(output.image_id.and_then(|id| id.image_digest).as_deref(), Some("sha256:abc"));
    let status = output.image_scan_status.expect("a status");
    assert_eq!(status.status, Some(ScanStatus::InProgress));
    assert_eq!(status.description.as_deref(), Some("started"));

    // An error whose code comes in a header, which `HeaderMap` lowercases: still found.
    let received = response(
        400,
        &[("X-Amzn-ErrorType", "ImageNotFoundException:http://internal.amazon.com/"), ("Content-Type", "application/x-amz-json-1.1")],
        r#"{"message":"gone"}"#,
    );
    let parts = ResponseParts::from_http(&received).expect("UTF-8 headers");
    let error = StartImageScan::decode_response(&parts.as_response()).expect_err("an error");
    assert!(error.is_image_not_found_exception(), "{error:?}");
    assert_eq!(error.to_string(), "ImageNotFoundException: gone");
    let error = StartImageScanError::from_response(&parts.as_response());
    assert!(error.is_image_not_found_exception(), "{error:?}");
}

#[test]
fn describe_images_decoded_from_a_head_and_a_body_read_apart() {
    let received = response(
        200,
        &[("Content-Type", "application/x-amz-json-1.1")],
        r#"{"imageDetails":[{"imageDigest":"sha256:abc","imageTags":["latest","v1"],"imagePushedAt":1700000000.5}],"nextToken":"t"}"#,
    );
    // A client that streams the body gives the head first and the bytes later.
    let (head, body) = received.into_parts();
    let body: bytes_like::Body = bytes_like::Body(body);
    let parts = ResponseParts::from_parts(&head, body.as_ref()).expect("UTF-8 headers");
    let output = DescribeImages::decode_response(&parts.as_response()).expect("an output");
    assert_eq!(output.next_token.as_deref(), Some("t"));
    let images = output.image_details.expect("images");
    assert_eq!(images[0].image_tags.as_deref(), Some(&["latest".to_owned(), "v1".to_owned()][..]));
    let pushed = images[0].image_pushed_at.expect("a time");
    assert_eq!((pushed.epoch_seconds(), pushed.subsec_nanos()), (1_700_000_000, 500_000_000));
    // The same through `HeaderPairs`, with the status given apart.
    let headers = HeaderPairs::from_http(&head.headers).expect("UTF-8 headers");
    let again = DescribeImages::decode_response(&headers.response(head.status, body.as_ref())).expect("an output");
    assert_eq!(again.next_token.as_deref(), Some("t"));
    // A body that does not fit is the malformed case, as with a hand-built response.
    let received = response(200, &[], r#"{"imageDetails":[{"imageTags":[1]}]}"#);
    let parts = ResponseParts::from_http(&received).expect("UTF-8 headers");
    let error = DescribeImages::decode_response(&parts.as_response()).expect_err("malformed");
    assert!(matches!(error, DescribeImagesError::Malformed(_)), "{error:?}");
}

/// A body type of the caller's, as `bytes::Bytes` would be: anything that gives its bytes.
mod bytes_like {
    pub struct Body(pub Vec<u8>);

    impl AsRef<[u8]> for Body {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
}

#[test]
fn a_non_utf8_header_value_is_an_error_naming_the_header() {
    let mut received = response(200, &[("Content-Type", "application/x-amz-json-1.1")], "{}");
    received.headers_mut().insert("x-amz-meta-blob", http::HeaderValue::from_bytes(b"\xc3(").expect("a header value"));
    let error = ResponseParts::from_http(&received).expect_err("not UTF-8");
    assert_eq!(error, HttpConversionError::NonUtf8HeaderValue { name: "x-amz-meta-blob".into(), offset: 0 });
    assert_eq!(error.to_string(), "header `x-amz-meta-blob`: the value is not UTF-8 (from byte 0 on)");
}

/// The README's example, as written there.
#[test]
fn readme_example() {
    let mut image = ImageIdentifier::default();
    image.image_tag = Some("latest".into());
    let request = StartImageScan::encode_request(&StartImageScanRequest::new("web/app", image)).expect("a request");
    let request: http::Request<Vec<u8>> = request.into_http("https://api.ecr.us-east-1.amazonaws.com").expect("an http::Request");
    assert_eq!(request.uri(), "https://api.ecr.us-east-1.amazonaws.com/");
    // Sign it, send it with hyper, reqwest, ...; then decode what comes back:
    let response = http::Response::builder()
        .status(200)
        .header("Content-Type", "application/x-amz-json-1.1")
        .body(br#"{"repositoryName":"web/app","imageScanStatus":{"status":"IN_PROGRESS"}}"#.to_vec())
        .expect("a response");
    let parts = ResponseParts::from_http(&response).expect("UTF-8 headers");
    let output = StartImageScan::decode_response(&parts.as_response()).expect("a StartImageScan output");
    assert_eq!(output.image_scan_status.and_then(|s| s.status), Some(ScanStatus::InProgress));
}
