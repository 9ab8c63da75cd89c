//! Whole ECR responses, written the way the service sends them (awsJson1_1: epoch-second
//! timestamps, nested findings), decoded through each operation's `decode_response` and
//! checked field by field; then bodies that do not fit and error statuses.

use ecr::operations::{DescribeImageScanFindings, DescribeImages, GetAuthorizationToken, StartImageScan};
use ecr::types::{FindingSeverity, ScanStatus};
use ecr::{DescribeImagesError, StartImageScanError};
use smithy_runtime::http::HttpResponse;
use smithy_runtime::operation::Operation;
use smithy_runtime::Timestamp;

const HEADERS: &[(&str, &str)] = &[
    ("Content-Type", "application/x-amz-json-1.1"),
    ("x-amzn-RequestId", "6f1a1b52-2d53-4a41-9a6b-0123456789ab"),
];

fn ok(body: &str) -> HttpResponse<'_> {
    HttpResponse { status: 200, headers: HEADERS, body: body.as_bytes() }
}

#[test]
fn describe_images() {
    let body = r#"{
        "imageDetails": [
            {
                "registryId": "123456789012",
                "repositoryName": "web/app",
                "imageDigest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
                "imageTags": ["latest", "v1.2.3"],
                "imageSizeInBytes": 52428800,
                "imagePushedAt": 1.700000000123E9,
                "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
                "imageScanFindingsSummary": {
                    "imageScanCompletedAt": 1700000100,
                    "vulnerabilitySourceUpdatedAt": 1699990000,
                    "findingSeverityCounts": {"HIGH": 2, "MEDIUM": 5, "INFORMATIONAL": 1}
                },
                "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "artifactMediaType": "application/vnd.docker.container.image.v1+json",
                "lastRecordedPullTime": 1700003600.5,
                "someFieldAddedLater": {"ignored": [1, 2, 3]}
            },
            {
                "registryId": "123456789012",
                "repositoryName": "web/app",
                "imageDigest": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                "imageScanStatus": {"status": "DEFERRED_BY_A_NEWER_RELEASE"}
            }
        ],
        "nextToken": "eyJuZXh0IjoyfQ=="
    }"#;
    let output = DescribeImages::decode_response(&ok(body)).expect("decodes");
    assert_eq!(output.next_token.as_deref(), Some("eyJuZXh0IjoyfQ=="));
    let details = output.image_details.expect("imageDetails");
    assert_eq!(details.len(), 2);
    let first = &details[0];
    assert_eq!(first.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(first.repository_name.as_deref(), Some("web/app"));
    assert_eq!(
        first.image_digest.as_deref(),
        Some("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270")
    );
    assert_eq!(first.image_tags, Some(vec!["latest".to_owned(), "v1.2.3".to_owned()]));
    assert_eq!(first.image_size_in_bytes, Some(52_428_800));
    let pushed = first.image_pushed_at.expect("imagePushedAt");
    assert_eq!((pushed.epoch_seconds(), pushed.subsec_nanos()), (1_700_000_000, 123_000_000));
    let status = first.image_scan_status.as_ref().expect("imageScanStatus");
    assert_eq!(status.status, Some(ScanStatus::Complete));
    assert_eq!(status.description.as_deref(), Some("The scan was completed successfully."));
    let summary = first.image_scan_findings_summary.as_ref().expect("summary");
    assert_eq!(summary.image_scan_completed_at, Some(Timestamp::from_epoch_seconds(1_700_000_100)));
    assert_eq!(summary.vulnerability_source_updated_at, Some(Timestamp::from_epoch_seconds(1_699_990_000)));
    let counts = summary.finding_severity_counts.as_ref().expect("counts");
    assert_eq!(counts.get(&FindingSeverity::High), Some(&2));
    assert_eq!(counts.get(&FindingSeverity::Medium), Some(&5));
    assert_eq!(counts.get(&FindingSeverity::Informational), Some(&1));
    assert_eq!(counts.len(), 3);
    assert_eq!(first.image_manifest_media_type.as_deref(), Some("application/vnd.docker.distribution.manifest.v2+json"));
    assert_eq!(first.artifact_media_type.as_deref(), Some("application/vnd.docker.container.image.v1+json"));
    let pulled = first.last_recorded_pull_time.expect("lastRecordedPullTime");
    assert_eq!((pulled.epoch_seconds(), pulled.subsec_nanos()), (1_700_003_600, 500_000_000));
    let second = &details[1];
    assert_eq!(second.image_tags, None);
    // A value the model does not list yet is kept.
    assert_eq!(
        second.image_scan_status.as_ref().and_then(|s| s.status.clone()),
        Some(ScanStatus::Unknown("DEFERRED_BY_A_NEWER_RELEASE".to_owned()))
    );
}

#[test]
fn start_image_scan() {
    let body = r#"{"registryId":"123456789012","repositoryName":"web/app",
        "imageId":{"imageDigest":"sha256:abc","imageTag":"latest"},
        "imageScanStatus":{"status":"IN_PROGRESS"}}"#;
    let output = StartImageScan::decode_response(&ok(body)).expect("decodes");
    assert_eq!(output.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(output.repository_name.as_deref(), Some("web/app"));
    let image = output.image_id.expect("imageId");
    assert_eq!(image.image_digest.as_deref(), Some("sha256:abc"));
    assert_eq!(image.image_tag.as_deref(), Some("latest"));
    assert_eq!(output.image_scan_status.and_then(|s| s.status), Some(ScanStatus::InProgress));
}

#[test]
fn get_authorization_token() {
    let body = r#"{"authorizationData":[{"authorizationToken":"QVdTOnBhc3N3b3Jk",
        "expiresAt":1.700043200E9,"proxyEndpoint":"https://123456789012.dkr.ecr.us-east-1.amazonaws.com"}]}"#;
    let output = GetAuthorizationToken::decode_response(&ok(body)).expect("decodes");
    let data = output.authorization_data.expect("authorizationData");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0].authorization_token.as_deref(), Some("QVdTOnBhc3N3b3Jk"));
    assert_eq!(data[0].expires_at, Some(Timestamp::from_epoch_seconds(1_700_043_200)));
    assert_eq!(data[0].proxy_endpoint.as_deref(), Some("https://123456789012.dkr.ecr.us-east-1.amazonaws.com"));
}

#[test]
fn describe_image_scan_findings() {
    let body = r#"{
        "registryId": "123456789012",
        "repositoryName": "web/app",
        "imageId": {"imageDigest": "sha256:abc"},
        "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
        "imageScanFindings": {
            "imageScanCompletedAt": 1700000100,
            "vulnerabilitySourceUpdatedAt": 1699990000,
            "findingSeverityCounts": {"HIGH": 1, "LOW": 1},
            "findings": [
                {
                    "name": "CVE-2023-0001",
                    "description": "A flaw in libexample.",
                    "uri": "https://security-tracker.debian.org/tracker/CVE-2023-0001",
                    "severity": "HIGH",
                    "attributes": [
                        {"key": "package_version", "value": "1.2.3-1"},
                        {"key": "package_name", "value": "libexample"},
                        {"key": "CVSS2_VECTOR", "value": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                        {"key": "CVSS2_SCORE", "value": "7.5"}
                    ]
                },
                {"name": "CVE-2023-0002", "severity": "LOW", "attributes": []}
            ],
            "enhancedFindings": [
                {
                    "awsAccountId": "123456789012",
                    "findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/abc",
                    "firstObservedAt": 1699000000,
                    "lastObservedAt": 1700000000.25,
                    "score": 9.8,
                    "severity": "CRITICAL",
                    "status": "ACTIVE",
                    "title": "CVE-2023-0003 - openssl",
                    "type": "PACKAGE_VULNERABILITY",
                    "packageVulnerabilityDetails": {
                        "cvss": [{"baseScore": 9.8, "scoringVector": "CVSS:3.1/AV:N", "source": "NVD", "version": "3.1"}],
                        "vulnerablePackages": [{"name": "openssl", "version": "3.0.1", "epoch": 0, "arch": "X86_64"}],
                        "vulnerabilityId": "CVE-2023-0003"
                    }
                }
            ]
        },
        "nextToken": "page2"
    }"#;
    let output = DescribeImageScanFindings::decode_response(&ok(body)).expect("decodes");
    assert_eq!(output.next_token.as_deref(), Some("page2"));
    let findings = output.image_scan_findings.expect("imageScanFindings");
    assert_eq!(findings.image_scan_completed_at, Some(Timestamp::from_epoch_seconds(1_700_000_100)));
    let counts = findings.finding_severity_counts.expect("counts");
    assert_eq!((counts.get(&FindingSeverity::High), counts.get(&FindingSeverity::Low)), (Some(&1), Some(&1)));
    let list = findings.findings.expect("findings");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].name.as_deref(), Some("CVE-2023-0001"));
    assert_eq!(list[0].severity, Some(FindingSeverity::High));
    assert_eq!(list[0].uri.as_deref(), Some("https://security-tracker.debian.org/tracker/CVE-2023-0001"));
    let attributes = list[0].attributes.as_ref().expect("attributes");
    assert_eq!(attributes.len(), 4);
    assert_eq!(attributes[3].key, "CVSS2_SCORE");
    assert_eq!(attributes[3].value.as_deref(), Some("7.5"));
    assert_eq!(list[1].attributes, Some(Vec::new()));
    let enhanced = findings.enhanced_findings.expect("enhancedFindings");
    let finding = &enhanced[0];
    assert_eq!(finding.score, 9.8);
    assert_eq!(finding.first_observed_at, Some(Timestamp::from_epoch_seconds(1_699_000_000)));
    assert_eq!(finding.last_observed_at.map(|t| t.subsec_nanos()), Some(250_000_000));
    assert_eq!(finding.title.as_deref(), Some("CVE-2023-0003 - openssl"));
    let details = finding.package_vulnerability_details.as_ref().expect("details");
    assert_eq!(details.vulnerability_id.as_deref(), Some("CVE-2023-0003"));
    let package = &details.vulnerable_packages.as_ref().expect("packages")[0];
    assert_eq!(package.name.as_deref(), Some("openssl"));
    assert_eq!(package.epoch, Some(0));
}

#[test]
fn an_empty_body_is_an_output_without_members() {
    let output = StartImageScan::decode_response(&ok("")).expect("decodes");
    assert_eq!(output, Default::default());
}

#[test]
fn a_truncated_body_is_malformed() {
    let body = r#"{"imageDetails":[{"registryId":"123456789012","imageTags":["lat"#;
    let error = DescribeImages::decode_response(&ok(body)).expect_err("truncated");
    let DescribeImagesError::Malformed(malformed) = &error else { panic!("{error:?}") };
    assert_eq!(malformed.status, 200);
    assert!(error.to_string().starts_with("malformed response (HTTP 200): the body is not JSON: EOF"), "{error}");
    assert_eq!(error.code(), "");
}

#[test]
fn a_body_that_is_not_utf8_is_malformed_and_says_where() {
    // A Latin-1 "é" inside a string: JSON is UTF-8.
    let body = b"{\"imageDetails\":[{\"imageTags\":[\"caf\xe9\"]}]}";
    let response = HttpResponse { status: 200, headers: HEADERS, body };
    let error = DescribeImages::decode_response(&response).expect_err("not UTF-8");
    let DescribeImagesError::Malformed(malformed) = &error else { panic!("{error:?}") };
    assert_eq!(malformed.status, 200);
    assert_eq!(
        error.to_string(),
        "malformed response (HTTP 200): the body is not JSON: invalid unicode code point at line 1 column 36"
    );
}

#[test]
fn a_wrong_type_is_malformed_and_says_where() {
    let body = r#"{"imageDetails":[{"imageTags":["latest"]},{"imageTags":["v1", 7]}]}"#;
    let error = DescribeImages::decode_response(&ok(body)).expect_err("a number in a list of strings");
    let DescribeImagesError::Malformed(malformed) = &error else { panic!("{error:?}") };
    assert_eq!(malformed.error.path(), "imageDetails[1].imageTags[1]");
    assert_eq!(
        error.to_string(),
        "malformed response (HTTP 200): imageDetails[1].imageTags[1]: expected a string, found a number"
    );
    let body = r#"{"imageDetails":{"registryId":"1"}}"#;
    let error = DescribeImages::decode_response(&ok(body)).expect_err("an object for a list");
    assert_eq!(error.to_string(), "malformed response (HTTP 200): imageDetails: expected an array, found an object");
    let body = r#"{"imageScanStatus":{"status":5}}"#;
    let error = StartImageScan::decode_response(&ok(body)).expect_err("a number for an enum");
    assert!(error.to_string().contains("imageScanStatus.status: expected a string"), "{error}");
}

#[test]
fn an_error_status_decodes_the_error() {
    let body = r#"{"__type":"RepositoryNotFoundException","message":"The repository with name 'web/app' does not exist"}"#;
    let response = HttpResponse { status: 400, headers: HEADERS, body: body.as_bytes() };
    let error = DescribeImages::decode_response(&response).expect_err("an error");
    assert!(error.is_repository_not_found_exception(), "{error:?}");
    assert_eq!(error.to_string(), "RepositoryNotFoundException: The repository with name 'web/app' does not exist");
    // An error the operation does not declare, with the code in the header.
    let headers = [("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/"), ("Content-Type", "application/x-amz-json-1.1")];
    let response = HttpResponse { status: 400, headers: &headers, body: br#"{"message":"Rate exceeded"}"# };
    let error = StartImageScan::decode_response(&response).expect_err("an error");
    let StartImageScanError::Unknown(unknown) = &error else { panic!("{error:?}") };
    assert_eq!((unknown.code.as_str(), unknown.message.as_deref(), unknown.status), ("ThrottlingException", Some("Rate exceeded"), Some(400)));
    // A 500 with a body that is not JSON at all.
    let response = HttpResponse { status: 500, headers: &[], body: b"<html>Internal Server Error</html>" };
    let error = StartImageScan::decode_response(&response).expect_err("an error");
    assert!(matches!(error, StartImageScanError::Unknown(ref u) if u.status == Some(500)), "{error:?}");
}

/// The README's example, as written there.
#[test]
fn readme_example() {
    let body = br#"{"imageDetails":[{"imageDigest":"sha256:abc","imageTags":["latest"],"imagePushedAt":1700000000}]}"#;
    let response = HttpResponse { status: 200, headers: &[], body };
    let output = DescribeImages::decode_response(&response).expect("a DescribeImages output");
    let image = &output.image_details.unwrap()[0];
    assert_eq!(image.image_tags.as_deref(), Some(&["latest".to_owned()][..]));
    assert_eq!(image.image_pushed_at.unwrap().epoch_seconds(), 1_700_000_000);
}
