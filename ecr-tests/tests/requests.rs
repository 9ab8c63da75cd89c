//! ECR requests (awsJson1_1), built with each operation's `encode_request` and checked byte
//! for byte: method, path, headers and body.

use ecr::operations::{BatchGetImage, DescribeImages, PutImage, StartImageScan};
use ecr::types::{
    BatchGetImageRequest, DescribeImagesFilter, DescribeImagesRequest, ImageIdentifier, PutImageRequest,
    StartImageScanRequest, TagStatus,
};
use smithy_runtime::http::HttpRequest;
use smithy_runtime::operation::{EncodeError, EncodeRequest};

const TARGET_PREFIX: &str = "AmazonEC2ContainerRegistry_V20150921";

/// Checks everything but the body, and returns the body as text.
fn check(request: &HttpRequest, operation: &str) -> String {
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/");
    assert_eq!(
        request.headers,
        vec![
            ("Content-Type".to_owned(), "application/x-amz-json-1.1".to_owned()),
            ("X-Amz-Target".to_owned(), format!("{TARGET_PREFIX}.{operation}")),
            ("Content-Length".to_owned(), request.body.len().to_string()),
        ]
    );
    String::from_utf8(request.body.clone()).expect("UTF-8")
}

fn tag(tag: &str) -> ImageIdentifier {
    let mut image = ImageIdentifier::default();
    image.image_tag = Some(tag.to_owned());
    image
}

#[test]
fn start_image_scan() {
    let input = StartImageScanRequest::new("web/app", tag("latest"));
    let request = StartImageScan::encode_request(&input).expect("a request");
    assert_eq!(check(&request, "StartImageScan"), r#"{"repositoryName":"web/app","imageId":{"imageTag":"latest"}}"#);
    let mut image = ImageIdentifier::default();
    image.image_digest = Some("sha256:abc".to_owned());
    let mut input = StartImageScanRequest::new("web/app", image);
    input.registry_id = Some("123456789012".to_owned());
    let request = StartImageScan::encode_request(&input).expect("a request");
    assert_eq!(
        check(&request, "StartImageScan"),
        r#"{"registryId":"123456789012","repositoryName":"web/app","imageId":{"imageDigest":"sha256:abc"}}"#
    );
}

#[test]
fn put_image() {
    let manifest = "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\"\n}";
    let mut input = PutImageRequest::new("web/app", manifest);
    input.image_manifest_media_type = Some("application/vnd.docker.distribution.manifest.v2+json".to_owned());
    input.image_tag = Some("v1.2.3".to_owned());
    let request = PutImage::encode_request(&input).expect("a request");
    assert_eq!(
        check(&request, "PutImage"),
        r#"{"repositoryName":"web/app","imageManifest":"{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\"\n}","imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json","imageTag":"v1.2.3"}"#
    );
}

#[test]
fn batch_get_image() {
    let mut input = BatchGetImageRequest::new("web/app", vec![tag("latest"), tag("v1")]);
    input.accepted_media_types = Some(vec!["application/vnd.oci.image.manifest.v1+json".to_owned()]);
    let request = BatchGetImage::encode_request(&input).expect("a request");
    assert_eq!(
        check(&request, "BatchGetImage"),
        r#"{"repositoryName":"web/app","imageIds":[{"imageTag":"latest"},{"imageTag":"v1"}],"acceptedMediaTypes":["application/vnd.oci.image.manifest.v1+json"]}"#
    );
}

#[test]
fn describe_images_with_a_filter_and_a_page_token() {
    let mut filter = DescribeImagesFilter::default();
    filter.tag_status = Some(TagStatus::Tagged);
    let mut input = DescribeImagesRequest::new("web/app");
    input.next_token = Some("eyJuZXh0IjoxMDAwfQ==".to_owned());
    input.max_results = Some(100);
    input.filter = Some(filter);
    let request = DescribeImages::encode_request(&input).expect("a request");
    assert_eq!(
        check(&request, "DescribeImages"),
        r#"{"repositoryName":"web/app","nextToken":"eyJuZXh0IjoxMDAwfQ==","maxResults":100,"filter":{"tagStatus":"TAGGED"}}"#
    );
}

#[test]
fn a_missing_required_member_is_an_error_naming_it() {
    let mut input = StartImageScanRequest::default();
    input.image_id = Some(tag("latest"));
    assert_eq!(
        StartImageScan::encode_request(&input),
        Err(EncodeError { member: "repositoryName".to_owned(), message: "is required but not set".to_owned() })
    );
    assert_eq!(
        StartImageScan::encode_request(&input).map_err(|e| e.to_string()),
        Err("member `repositoryName`: is required but not set".to_owned())
    );
}

/// The README's example, as written there.
#[test]
fn readme_example() {
    let mut image = ImageIdentifier::default();
    image.image_tag = Some("latest".into());
    let request = StartImageScan::encode_request(&StartImageScanRequest::new("web/app", image)).expect("a request");
    assert_eq!(request.method, "POST");
    assert_eq!(String::from_utf8_lossy(&request.body), r#"{"repositoryName":"web/app","imageId":{"imageTag":"latest"}}"#);
}
