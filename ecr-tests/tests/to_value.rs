//! The exact value trees of StartImageScan's request and response.

use std::borrow::Cow;

use ecr::{ImageIdentifier, ImageScanStatus, ScanStatus, StartImageScanRequest, StartImageScanResponse};
use smithy_runtime::{Member, ToValue, Value};

fn member(name: &'static str, value: Value) -> Member {
    Member { name: Cow::Borrowed(name), value, sensitive: false }
}

fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

#[test]
fn request_tree_omits_absent_members() {
    let mut image = ImageIdentifier::default();
    image.image_digest = Some("sha256:abc".into());
    let request = StartImageScanRequest::new("my-repo", image);
    assert_eq!(
        request.to_value(),
        Value::Structure(vec![
            member("repositoryName", string("my-repo")),
            member("imageId", Value::Structure(vec![member("imageDigest", string("sha256:abc"))])),
        ])
    );
    assert_eq!(
        request.to_value().to_json(),
        serde_json::json!({ "repositoryName": "my-repo", "imageId": { "imageDigest": "sha256:abc" } })
    );
}

#[test]
fn request_tree_in_model_order() {
    let mut image = ImageIdentifier::default();
    image.image_tag = Some("v1".into());
    let mut request = StartImageScanRequest::new("repo", image);
    request.registry_id = Some("123456789012".into());
    let Value::Structure(members) = request.to_value() else { panic!("not a structure") };
    let names: Vec<&str> = members.iter().map(|m| m.name.as_ref()).collect();
    assert_eq!(names, ["registryId", "repositoryName", "imageId"]);
}

#[test]
fn response_tree_with_unknown_scan_status() {
    let mut image_id = ImageIdentifier::default();
    image_id.image_digest = Some("sha256:abc".into());
    image_id.image_tag = Some("latest".into());
    let mut image_scan_status = ImageScanStatus::default();
    image_scan_status.status = Some(ScanStatus::from("SCAN_QUEUED_SOMEWHERE_NEW"));
    let mut response = StartImageScanResponse::default();
    response.registry_id = Some("123456789012".into());
    response.repository_name = Some("repo".into());
    response.image_id = Some(image_id);
    response.image_scan_status = Some(image_scan_status);
    assert_eq!(
        response.to_value(),
        Value::Structure(vec![
            member("registryId", string("123456789012")),
            member("repositoryName", string("repo")),
            member(
                "imageId",
                Value::Structure(vec![
                    member("imageDigest", string("sha256:abc")),
                    member("imageTag", string("latest")),
                ])
            ),
            member(
                "imageScanStatus",
                Value::Structure(vec![member("status", Value::Enum("SCAN_QUEUED_SOMEWHERE_NEW".to_owned()))])
            ),
        ])
    );
}

#[test]
fn response_tree_with_known_status_and_empty_response() {
    let mut image_scan_status = ImageScanStatus::default();
    image_scan_status.status = Some(ScanStatus::InProgress);
    image_scan_status.description = Some("started".into());
    let mut response = StartImageScanResponse::default();
    response.image_scan_status = Some(image_scan_status);
    assert_eq!(
        response.to_value().to_json(),
        serde_json::json!({ "imageScanStatus": { "status": "IN_PROGRESS", "description": "started" } })
    );
    assert_eq!(StartImageScanResponse::default().to_value(), Value::Structure(vec![]));
}

#[test]
fn tree_prints_for_people() {
    let mut image_scan_status = ImageScanStatus::default();
    image_scan_status.status = Some(ScanStatus::Complete);
    let mut response = StartImageScanResponse::default();
    response.repository_name = Some("repo".into());
    response.image_scan_status = Some(image_scan_status);
    let printed = response.to_value().to_string();
    assert!(printed.contains("repositoryName: \"repo\""), "{printed}");
    assert!(printed.contains("status: \"COMPLETE\""), "{printed}");
}

#[test]
fn sensitive_members_are_redacted_when_printed() {
    let mut everything = golden_shapes::Everything::default();
    everything.secret = Some("hunter2".into());
    let tree = everything.to_value();
    let printed = tree.to_string();
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(printed.contains("*** Sensitive Data Redacted ***"), "{printed}");
    // JSON keeps the value: it is data, not a log line.
    assert_eq!(tree.to_json()["secret"], "hunter2");
}
