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
