//! Signing generated operations: each operation's `AUTH` (what the model says), the choice of
//! scheme for a resolved endpoint (`smithy_runtime::auth::select`), and the signature over a
//! request `endpoint::finish` made absolute.

use std::time::{Duration, UNIX_EPOCH};

use ecr::endpoint::{self, Config, Params};
use ecr::operations::{DescribeImages, StartImageScan};
use ecr::types::{DescribeImagesRequest, ImageIdentifier, StartImageScanRequest};
use smithy_runtime::auth::{self, AuthErrorKind, AuthScheme, OperationAuth};
use smithy_runtime::endpoint::finish;
use smithy_runtime::operation::{EncodeRequest, Operation};
use smithy_runtime::sigv4::{Algorithm, Credentials, Payload};

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".to_owned()),
    )
}

fn header<'r>(headers: &'r [(String, String)], name: &str) -> Option<&'r str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn ecr_operations_are_signed_with_sigv4_as_ecr() {
    assert_eq!(
        DescribeImages::AUTH,
        OperationAuth::new(&[AuthScheme::SigV4]).signing_name("ecr")
    );
    assert_eq!(StartImageScan::AUTH, DescribeImages::AUTH);
    assert!(!StartImageScan::AUTH.may_be_unsigned());
}

#[test]
fn an_ecr_request_resolved_finished_and_signed() {
    let mut config = Config::default();
    config.region = Some("us-west-2".to_owned());
    let endpoint = endpoint::resolve(&Params::from_config(&config)).expect("an endpoint");
    let mut image = ImageIdentifier::default();
    image.image_tag = Some("latest".into());
    let mut request = StartImageScan::encode_request(&StartImageScanRequest::new("web/app", image))
        .expect("a request");
    finish(&mut request, &endpoint);
    assert_eq!(request.uri, "https://api.ecr.us-west-2.amazonaws.com/");

    // ECR's endpoints give no authSchemes: the model's name and the configured region.
    let signing = auth::select(
        StartImageScan::NAME,
        &StartImageScan::AUTH,
        endpoint.properties.get("authSchemes"),
        config.region.as_deref(),
        Some(&credentials()),
    )
    .expect("a choice")
    .expect("signed");
    assert_eq!(
        (
            signing.algorithm,
            signing.name.as_str(),
            signing.region.as_str()
        ),
        (Algorithm::V4, "ecr", "us-west-2")
    );
    assert!(signing.double_encode && signing.normalize_path && !signing.content_sha256_header);
    assert_eq!(signing.payload, Payload::Compute);

    // 2015-08-30T12:36:00Z
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let signed = auth::sign::<StartImageScan>(
        &mut request,
        &endpoint,
        config.region.as_deref(),
        Some(&credentials()),
        time,
    )
    .expect("signed");
    assert_eq!(signed, Some(signing));
    let authorization = header(&request.headers, "authorization").expect("an Authorization header");
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/ecr/aws4_request, SignedHeaders="
        ),
        "{authorization}"
    );
    assert!(authorization.contains("x-amz-target"), "{authorization}");
    assert_eq!(
        header(&request.headers, "x-amz-date"),
        Some("20150830T123600Z")
    );
    assert_eq!(
        header(&request.headers, "x-amz-security-token"),
        Some("session-token")
    );
    assert_eq!(header(&request.headers, "x-amz-content-sha256"), None);
}

#[test]
fn an_ecr_call_without_credentials_or_region_is_refused_naming_the_operation() {
    let input = DescribeImagesRequest::new("web/app");
    let config = Config::default();
    let mut with_region = Config::default();
    with_region.region = Some("us-east-1".to_owned());
    let endpoint = endpoint::resolve(&Params::from_config(&with_region)).expect("an endpoint");
    let mut request = DescribeImages::encode_request(&input).expect("a request");
    finish(&mut request, &endpoint);
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let error = auth::sign::<DescribeImages>(
        &mut request,
        &endpoint,
        with_region.region.as_deref(),
        None,
        time,
    )
    .expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingCredentials);
    assert!(
        error
            .to_string()
            .starts_with("operation `DescribeImages`: "),
        "{error}"
    );
    let error = auth::sign::<DescribeImages>(
        &mut request,
        &endpoint,
        config.region.as_deref(),
        Some(&credentials()),
        time,
    )
    .expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingRegion);
    assert!(header(&request.headers, "authorization").is_none());
}

mod golden {
    //! The golden `auth` crate: `@auth` orders, `@auth([])`, `@optionalAuth`, `@unsignedPayload`.
    use super::*;
    use ::golden_auth::operations::{Anonymous, BearerFirst, Default, Optional, Upload};

    fn select<O: Operation>(
        credentials: Option<&Credentials>,
    ) -> Result<Option<auth::Signing>, auth::AuthError> {
        auth::select(O::NAME, &O::AUTH, None, Some("eu-west-1"), credentials)
    }

    #[test]
    fn each_operation_s_auth_is_the_model_s() {
        assert_eq!(
            Default::AUTH.schemes,
            [AuthScheme::SigV4a, AuthScheme::SigV4]
        );
        assert_eq!(Default::AUTH.signing_name, Some("signed"));
        assert_eq!(Default::AUTH.sigv4a_signing_name, Some("signed"));
        assert_eq!(
            BearerFirst::AUTH.schemes,
            [AuthScheme::HttpBearer, AuthScheme::SigV4]
        );
        assert!(Anonymous::AUTH.schemes.is_empty() && Anonymous::AUTH.optional);
        assert!(Optional::AUTH.optional && !Optional::AUTH.unsigned_payload);
        assert!(Upload::AUTH.unsigned_payload && !Upload::AUTH.optional);
    }

    #[test]
    fn the_first_scheme_this_build_supports_is_chosen() {
        let c = credentials();
        // The crate turns `sigv4a` on: SigV4a first, with the configured region as its set.
        let s = select::<Default>(Some(&c))
            .expect("a choice")
            .expect("signed");
        assert_eq!(
            (s.algorithm, s.name.as_str(), s.region.as_str()),
            (Algorithm::V4a, "signed", "eu-west-1")
        );
        // Bearer first: not a scheme the runtime signs with, so SigV4.
        let s = select::<BearerFirst>(Some(&c))
            .expect("a choice")
            .expect("signed");
        assert_eq!(s.algorithm, Algorithm::V4);
        let s = select::<Upload>(Some(&c))
            .expect("a choice")
            .expect("signed");
        assert_eq!(s.payload, Payload::Unsigned);
        assert!(s.content_sha256_header);
    }

    #[test]
    fn unsigned_where_the_model_allows_it() {
        let c = credentials();
        assert_eq!(select::<Anonymous>(Some(&c)), Ok(None));
        assert_eq!(select::<Anonymous>(None), Ok(None));
        assert_eq!(select::<Optional>(None), Ok(None));
        assert!(select::<Optional>(Some(&c)).expect("a choice").is_some());
        let error = select::<Upload>(None).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "operation `Upload`: it must be signed (aws.auth#sigv4a), and no credentials were given"
        );
    }
}
