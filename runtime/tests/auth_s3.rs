//! Auth selection on endpoints S3's real rules resolve: the S3 model's
//! `smithy.rules#endpointRuleSet` (from `$SMITHY_MODELS_DIR`, else `shared/models/aws` beside the
//! repository, else downloaded; missing data fails), compiled with the pinned partition table,
//! resolved for a plain bucket, a multi-region access point (`sigv4a`) and an S3 Express
//! directory bucket (`sigv4-s3express`), and each endpoint's `authSchemes` handed to
//! `auth::select` with S3's `OperationAuth` as the generated crate writes it.

use smithy_runtime::auth::{self, AuthErrorKind, AuthScheme, OperationAuth};
use smithy_runtime::endpoint::{finish, Arg, Endpoint, Partitions, RuleSet};
use smithy_runtime::http::HttpRequest;
use smithy_runtime::sigv4::{self, Algorithm, Credentials};
use std::time::{Duration, UNIX_EPOCH};

/// S3's `SERVICE_AUTH`, as the generator writes it for the real model.
const S3: OperationAuth = OperationAuth::new(&[AuthScheme::SigV4])
    .signing_name("s3")
    .s3_rules();

fn s3_rules() -> RuleSet {
    let path = smithy_testdata::require("models/aws").join("s3-2006-03-01.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let model: serde_json::Value = serde_json::from_str(&text).expect("the S3 model is JSON");
    let rules = model["shapes"]["com.amazonaws.s3#AmazonS3"]["traits"]
        ["smithy.rules#endpointRuleSet"]
        .clone();
    assert!(
        rules.is_object(),
        "{}: S3 has no endpoint rules",
        path.display()
    );
    let partitions = smithy_testdata::require("reference/endpoints").join("partitions.json");
    let partitions = std::fs::read_to_string(&partitions)
        .unwrap_or_else(|e| panic!("{}: {e}", partitions.display()));
    let partitions = Partitions::from_json(&partitions).expect("the partition table");
    RuleSet::compile(&rules, partitions).unwrap_or_else(|e| panic!("S3's rules: {e}"))
}

fn resolve(rules: &RuleSet, region: &str, bucket: &str) -> Endpoint {
    let mut args = vec![None; rules.parameters().len()];
    for (name, arg) in [("Region", Arg::Str(region)), ("Bucket", Arg::Str(bucket))] {
        let index = rules
            .param_index(name)
            .unwrap_or_else(|| panic!("S3's rules have no param {name}"));
        args[index] = Some(arg);
    }
    rules
        .resolve(&args)
        .unwrap_or_else(|e| panic!("{bucket}: {e}"))
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
}

#[test]
fn a_bucket_is_signed_by_s3_s_rules() {
    let rules = s3_rules();
    let endpoint = resolve(&rules, "us-west-2", "examplebucket");
    assert_eq!(
        endpoint.url,
        "https://examplebucket.s3.us-west-2.amazonaws.com"
    );
    let signing = auth::select(
        "GetObject",
        &S3,
        endpoint.properties.get("authSchemes"),
        Some("us-west-2"),
        Some(&credentials()),
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .expect("signed");
    assert_eq!(
        (
            signing.algorithm,
            signing.name.as_str(),
            signing.region.as_str()
        ),
        (Algorithm::V4, "s3", "us-west-2")
    );
    assert!(!signing.double_encode && !signing.normalize_path && signing.content_sha256_header);

    // Signed: the path as sent, `x-amz-content-sha256` among the signed headers.
    let mut request = HttpRequest {
        method: "GET".into(),
        uri: "/a//b/../c%20d.txt".into(),
        ..HttpRequest::default()
    };
    finish(&mut request, &endpoint);
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let details =
        sigv4::sign_details(&mut request, &signing.params(&credentials(), time)).expect("signed");
    let first = details.canonical_request.lines().nth(1).unwrap_or_default();
    assert_eq!(first, "/a//b/../c%20d.txt", "{}", details.canonical_request);
    assert!(request
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-content-sha256")));
    let authorization = request
        .headers
        .iter()
        .find(|(k, _)| k == "Authorization")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    assert!(authorization.contains("/20150830/us-west-2/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,"), "{authorization}");
}

#[test]
fn a_multi_region_access_point_asks_for_sigv4a() {
    let rules = s3_rules();
    let endpoint = resolve(
        &rules,
        "us-east-1",
        "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
    );
    assert_eq!(
        endpoint.url,
        "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com"
    );
    let chosen = auth::select(
        "GetObject",
        &S3,
        endpoint.properties.get("authSchemes"),
        Some("us-east-1"),
        Some(&credentials()),
    );
    if cfg!(feature = "sigv4a") {
        let signing = chosen.unwrap_or_else(|e| panic!("{e}")).expect("signed");
        assert_eq!(
            (
                signing.algorithm,
                signing.name.as_str(),
                signing.region.as_str()
            ),
            (Algorithm::V4a, "s3", "*")
        );
        assert!(!signing.double_encode);
    } else {
        let error = chosen.expect_err("no SigV4a in this build");
        assert_eq!(error.kind, AuthErrorKind::Unsupported);
        assert!(
            error
                .to_string()
                .contains("`sigv4a` (needs the runtime's `sigv4a` feature)"),
            "{error}"
        );
    }
}

#[test]
fn an_s3_express_bucket_is_refused_naming_the_scheme() {
    let rules = s3_rules();
    let endpoint = resolve(&rules, "us-west-2", "mybucket--usw2-az1--x-s3");
    let error = auth::select(
        "GetObject",
        &S3,
        endpoint.properties.get("authSchemes"),
        Some("us-west-2"),
        Some(&credentials()),
    )
    .expect_err("S3 Express session auth is not supported");
    assert_eq!(
        error.to_string(),
        "operation `GetObject`: none of the endpoint's auth schemes is supported: `sigv4-s3express` (S3 Express session auth is not supported)"
    );
}
