//! Where a request and its resolved endpoint meet: the URL (the operation's host prefix before
//! the endpoint's host, the endpoint's path before the request's) and the headers (the
//! request's, then the endpoint's).

use super::Endpoint;
use crate::http::HttpRequest;

/// The URL and the headers of `request` sent to `endpoint`.
///
/// - The URL is [`HttpRequest::url`] against the endpoint's URL: `@endpoint`'s host prefix
///   (`data-` + a label) goes before the endpoint's host, and a path the endpoint has (a custom
///   endpoint with a base path, an S3 access point) before the request's path. A request that
///   names its own endpoint ([`HttpRequest::endpoint`]) keeps it.
/// - The headers are the request's, in order, then the endpoint's (by name, each value as one
///   header, in the order the rules give them).
pub fn apply(request: &HttpRequest, endpoint: &Endpoint) -> (String, Vec<(String, String)>) {
    let url = request.url(&endpoint.url);
    let mut headers = request.headers.clone();
    for (name, values) in &endpoint.headers {
        headers.extend(values.iter().map(|v| (name.clone(), v.clone())));
    }
    (url, headers)
}

/// Makes `request` the one to sign and send to `endpoint`: its `uri` becomes the absolute URL
/// ([`HttpRequest::url`]: the host prefix before the endpoint's host, the endpoint's path before
/// the request's, a request's own endpoint kept), the endpoint's headers are appended after the
/// request's (as [`apply`] gives them), and `host_prefix` and `endpoint` are cleared, since the
/// URL holds them now. A signer takes the host from that URL.
pub fn finish(request: &mut HttpRequest, endpoint: &Endpoint) {
    request.uri = request.url(&endpoint.url);
    for (name, values) in &endpoint.headers {
        request
            .headers
            .extend(values.iter().map(|v| (name.clone(), v.clone())));
    }
    request.host_prefix.clear();
    request.endpoint = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn request(uri: &str, host_prefix: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            uri: uri.into(),
            headers: vec![("content-type".into(), "application/json".into())],
            host_prefix: host_prefix.into(),
            ..HttpRequest::default()
        }
    }

    fn endpoint(url: &str) -> Endpoint {
        Endpoint {
            url: url.into(),
            ..Endpoint::default()
        }
    }

    #[test]
    fn host_prefix_goes_before_the_endpoint_host() {
        let (url, _) = apply(
            &request("/", "data-my-label."),
            &endpoint("https://ecr.us-east-1.amazonaws.com"),
        );
        assert_eq!(url, "https://data-my-label.ecr.us-east-1.amazonaws.com/");
        let (url, _) = apply(
            &request("/x?a=1", "api."),
            &endpoint("http://localhost:8080"),
        );
        assert_eq!(url, "http://api.localhost:8080/x?a=1");
    }

    #[test]
    fn endpoint_path_goes_before_the_request_path() {
        let access_point = endpoint(
            "https://myendpoint-123456789012.s3-accesspoint.us-west-2.amazonaws.com/mybucket",
        );
        let (url, _) = apply(&request("/key/a.txt?x-id=GetObject", ""), &access_point);
        assert_eq!(url, "https://myendpoint-123456789012.s3-accesspoint.us-west-2.amazonaws.com/mybucket/key/a.txt?x-id=GetObject");
        // A base path with a trailing `/` does not double it.
        let (url, _) = apply(
            &request("/v2/images", "data."),
            &endpoint("https://example.com/base/path/"),
        );
        assert_eq!(url, "https://data.example.com/base/path/v2/images");
        let (url, _) = apply(&request("/", ""), &endpoint("https://example.com/"));
        assert_eq!(url, "https://example.com/");
    }

    #[test]
    fn endpoint_headers_are_added_after_the_request_headers() {
        let mut e = endpoint("https://example.com");
        e.headers = BTreeMap::from([
            ("x-amz-a".to_owned(), vec!["1".to_owned(), "2".to_owned()]),
            ("x-amz-b".to_owned(), vec!["3".to_owned()]),
        ]);
        let (_, headers) = apply(&request("/", ""), &e);
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("content-type", "application/json"),
                ("x-amz-a", "1"),
                ("x-amz-a", "2"),
                ("x-amz-b", "3")
            ]
        );
    }

    #[test]
    fn finish_gives_the_absolute_url_with_the_host_prefix_and_the_base_path() {
        let mut r = request("/v2/images?maxResults=10", "data-my-label.");
        finish(&mut r, &endpoint("https://example.com/base/"));
        assert_eq!(
            r.uri,
            "https://data-my-label.example.com/base/v2/images?maxResults=10"
        );
        assert!(r.host_prefix.is_empty() && r.endpoint.is_none());
        // An S3 request on a bucket with nothing after it: the endpoint's path, then the query.
        let mut r = request("?list-type=2", "");
        finish(
            &mut r,
            &endpoint("https://s3.us-west-2.amazonaws.com/bucket"),
        );
        assert_eq!(
            r.uri,
            "https://s3.us-west-2.amazonaws.com/bucket?list-type=2"
        );
        // A port stays.
        let mut r = request("/", "");
        finish(&mut r, &endpoint("http://127.0.0.1:5000"));
        assert_eq!(r.uri, "http://127.0.0.1:5000/");
    }

    #[test]
    fn finish_appends_the_endpoint_headers_and_agrees_with_apply() {
        let mut e = endpoint("https://example.com");
        e.headers = BTreeMap::from([
            ("x-amz-a".to_owned(), vec!["1".to_owned(), "2".to_owned()]),
            ("x-amz-b".to_owned(), vec!["3".to_owned()]),
        ]);
        let mut r = request("/x", "api.");
        let (url, headers) = apply(&r, &e);
        finish(&mut r, &e);
        assert_eq!((r.uri.as_str(), &r.headers), (url.as_str(), &headers));
        assert_eq!(r.headers.len(), 4);
        assert_eq!(r.method, "GET");
    }

    #[test]
    fn finish_keeps_a_request_s_own_endpoint_and_clears_it() {
        let mut r = request("/", "");
        r.endpoint = Some("https://realtime.machinelearning.us-east-1.amazonaws.com".into());
        finish(
            &mut r,
            &endpoint("https://machinelearning.us-east-1.amazonaws.com"),
        );
        assert_eq!(
            r.uri,
            "https://realtime.machinelearning.us-east-1.amazonaws.com/"
        );
        assert_eq!(r.endpoint, None);
    }

    #[test]
    fn a_request_naming_its_own_endpoint_keeps_it() {
        let mut r = request("/", "");
        r.endpoint = Some("https://realtime.machinelearning.us-east-1.amazonaws.com".into());
        let (url, _) = apply(
            &r,
            &endpoint("https://machinelearning.us-east-1.amazonaws.com"),
        );
        assert_eq!(
            url,
            "https://realtime.machinelearning.us-east-1.amazonaws.com/"
        );
    }
}
