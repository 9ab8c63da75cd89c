//! StartImageScan's request and response, and the shapes they reach, as generated.

use ecr::{
    ImageIdentifier, ImageScanStatus, RegistryId, RepositoryName, ScanStatus, StartImageScanRequest,
    StartImageScanResponse,
};

#[test]
fn request_from_required_members() {
    let mut image = ImageIdentifier::default();
    image.image_digest = Some("sha256:abc".into());
    let request = StartImageScanRequest::new("my-repo", image.clone());
    // An @input structure: every member is optional, the constructor fills the required ones.
    assert_eq!(request.repository_name.as_deref(), Some("my-repo"));
    assert_eq!(request.image_id, Some(image));
    assert_eq!(request.registry_id, None);
    let mut with_registry = request.clone();
    with_registry.registry_id = Some("123456789012".into());
    assert_ne!(with_registry, request);
}

#[test]
fn named_simple_shapes_are_aliases() {
    let registry: RegistryId = String::from("123456789012");
    let repository: RepositoryName = "repo".to_owned();
    let mut request = StartImageScanRequest::default();
    request.registry_id = Some(registry);
    request.repository_name = Some(repository);
    request.image_id = Some(ImageIdentifier::default());
    assert_eq!(request.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(ImageIdentifier::default().image_tag, None);
}

#[test]
fn response_with_status() {
    let mut image_id = ImageIdentifier::default();
    image_id.image_tag = Some("latest".into());
    let mut image_scan_status = ImageScanStatus::default();
    image_scan_status.status = Some(ScanStatus::InProgress);
    image_scan_status.description = Some("The scan was started".into());
    let mut response = StartImageScanResponse::default();
    response.registry_id = Some("123456789012".into());
    response.repository_name = Some("repo".into());
    response.image_id = Some(image_id);
    response.image_scan_status = Some(image_scan_status);
    let status = response.image_scan_status.as_ref().and_then(|s| s.status.as_ref());
    assert_eq!(status, Some(&ScanStatus::InProgress));
    assert_eq!(StartImageScanResponse::default().image_scan_status, None);
}

#[test]
fn scan_status_known_values() {
    assert_eq!(ScanStatus::from("COMPLETE"), ScanStatus::Complete);
    assert_eq!(ScanStatus::Complete.as_str(), "COMPLETE");
    assert_eq!(ScanStatus::ScanEligibilityExpired.to_string(), "SCAN_ELIGIBILITY_EXPIRED");
    assert!(ScanStatus::VALUES.contains(&"FINDINGS_UNAVAILABLE"));
    for value in ScanStatus::VALUES {
        let status = ScanStatus::from(*value);
        assert!(!matches!(status, ScanStatus::Unknown(_)), "{value} should be known");
        assert_eq!(status.as_str(), *value);
    }
}

#[test]
fn scan_status_keeps_unknown_values() {
    let status = ScanStatus::from("QUEUED_FOR_LATER");
    assert_eq!(status, ScanStatus::Unknown("QUEUED_FOR_LATER".to_owned()));
    assert_eq!(status.as_str(), "QUEUED_FOR_LATER");
    assert_eq!(ScanStatus::from(String::from("QUEUED_FOR_LATER")), status);
    // Wire values are case-sensitive.
    assert!(matches!(ScanStatus::from("complete"), ScanStatus::Unknown(_)));
}
