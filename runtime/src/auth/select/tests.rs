use std::collections::BTreeMap;

use super::*;

const ECR: OperationAuth = OperationAuth::new(&[AuthScheme::SigV4]).signing_name("ecr");
const S3: OperationAuth = OperationAuth::new(&[AuthScheme::SigV4])
    .signing_name("s3")
    .s3_rules();

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
}

/// An `authSchemes` list of objects, each given as JSON.
fn schemes(json: &str) -> Document {
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    fn doc(v: &serde_json::Value) -> Document {
        match v {
            serde_json::Value::Null => Document::Null,
            serde_json::Value::Bool(b) => Document::Bool(*b),
            serde_json::Value::String(s) => Document::String(s.clone()),
            serde_json::Value::Array(a) => Document::Array(a.iter().map(doc).collect()),
            serde_json::Value::Object(o) => Document::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), doc(v)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            serde_json::Value::Number(_) => Document::Null,
        }
    }
    doc(&value)
}

fn chosen(auth: &OperationAuth, endpoint: Option<&Document>, region: Option<&str>) -> Signing {
    select("Op", auth, endpoint, region, Some(&credentials()))
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("signed")
}

#[test]
fn without_auth_schemes_the_model_s_name_and_the_configured_region() {
    let s = chosen(&ECR, None, Some("us-west-2"));
    assert_eq!(
        s,
        Signing {
            algorithm: Algorithm::V4,
            name: "ecr".into(),
            region: "us-west-2".into(),
            double_encode: true,
            normalize_path: true,
            payload: Payload::Compute,
            content_sha256_header: false,
        }
    );
    // An empty list is no list.
    assert_eq!(chosen(&ECR, Some(&schemes("[]")), Some("us-west-2")), s);
}

#[test]
fn the_endpoint_s_sigv4_entry_gives_name_region_and_encoding() {
    let e = schemes(
        r#"[{"name":"sigv4","signingName":"s3-outposts","signingRegion":"us-east-1","disableDoubleEncoding":true}]"#,
    );
    let s = chosen(&S3, Some(&e), Some("eu-west-1"));
    assert_eq!(
        (s.name.as_str(), s.region.as_str()),
        ("s3-outposts", "us-east-1")
    );
    assert!(!s.double_encode && !s.normalize_path && s.content_sha256_header);
    // What the entry leaves out comes from the model and the configuration.
    let s = chosen(
        &ECR,
        Some(&schemes(r#"[{"name":"sigv4"}]"#)),
        Some("eu-west-1"),
    );
    assert_eq!((s.name.as_str(), s.region.as_str()), ("ecr", "eu-west-1"));
    assert!(s.double_encode && s.normalize_path && !s.content_sha256_header);
    // The entry's flags win over S3's defaults, both ways.
    let e =
        schemes(r#"[{"name":"sigv4","disableDoubleEncoding":false,"disableNormalizePath":false}]"#);
    let s = chosen(&S3, Some(&e), Some("eu-west-1"));
    assert!(s.double_encode && s.normalize_path);
}

#[test]
fn the_first_entry_this_build_supports_wins() {
    let e = schemes(
        r#"[{"name":"sigv4a","signingName":"s3","signingRegionSet":["*"]},{"name":"sigv4","signingName":"s3","signingRegion":"us-east-1"}]"#,
    );
    let s = chosen(&S3, Some(&e), Some("us-west-2"));
    if cfg!(feature = "sigv4a") {
        assert_eq!((s.algorithm, s.region.as_str()), (Algorithm::V4a, "*"));
    } else {
        assert_eq!(
            (s.algorithm, s.region.as_str()),
            (Algorithm::V4, "us-east-1")
        );
    }
    let e = schemes(
        r#"[{"name":"sigv4-s3express","signingName":"s3express"},{"name":"sigv4","signingName":"s3express","signingRegion":"us-east-1"}]"#,
    );
    let s = chosen(&S3, Some(&e), None);
    assert_eq!((s.algorithm, s.name.as_str()), (Algorithm::V4, "s3express"));
}

#[cfg(feature = "sigv4a")]
#[test]
fn sigv4a_joins_the_region_set_or_takes_the_region() {
    let e = schemes(r#"[{"name":"sigv4a","signingRegionSet":["us-east-1","us-west-2"]}]"#);
    let s = chosen(&S3, Some(&e), None);
    assert_eq!(
        (s.algorithm, s.region.as_str(), s.name.as_str()),
        (Algorithm::V4a, "us-east-1,us-west-2", "s3")
    );
    let s = chosen(
        &S3,
        Some(&schemes(r#"[{"name":"sigv4a"}]"#)),
        Some("eu-west-1"),
    );
    assert_eq!(s.region, "eu-west-1");
    // A model whose first scheme is SigV4a, without authSchemes: its name, the region.
    let auth = OperationAuth::new(&[AuthScheme::SigV4a, AuthScheme::SigV4])
        .signing_name("events")
        .sigv4a_signing_name("events-a");
    let s = chosen(&auth, None, Some("eu-west-1"));
    assert_eq!(
        (s.algorithm, s.name.as_str(), s.region.as_str()),
        (Algorithm::V4a, "events-a", "eu-west-1")
    );
}

#[cfg(not(feature = "sigv4a"))]
#[test]
fn sigv4a_without_the_feature_is_an_error_naming_it() {
    let e = schemes(r#"[{"name":"sigv4a","signingRegionSet":["*"]}]"#);
    let error = select(
        "GetObject",
        &S3,
        Some(&e),
        Some("us-east-1"),
        Some(&credentials()),
    )
    .expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::Unsupported);
    assert_eq!(
        error.to_string(),
        "operation `GetObject`: none of the endpoint's auth schemes is supported: `sigv4a` (needs the runtime's `sigv4a` feature)"
    );
    let auth = OperationAuth::new(&[AuthScheme::SigV4a]).sigv4a_signing_name("events");
    let error = select(
        "PutEvents",
        &auth,
        None,
        Some("us-east-1"),
        Some(&credentials()),
    )
    .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("SigV4a needs the runtime's `sigv4a` feature"),
        "{error}"
    );
}

#[test]
fn unsupported_entries_are_listed() {
    let e = schemes(r#"[{"name":"sigv4-s3express","signingName":"s3express"},{"name":"bearer"}]"#);
    let error = select(
        "GetObject",
        &S3,
        Some(&e),
        Some("us-east-1"),
        Some(&credentials()),
    )
    .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "operation `GetObject`: none of the endpoint's auth schemes is supported: `sigv4-s3express` (S3 Express session auth is not supported), `bearer` (unknown)"
    );
}

#[test]
fn unsigned_calls() {
    // `@auth([])`: never signed, credentials or not.
    let none = ECR.schemes(&[]);
    assert_eq!(
        select("Op", &none, None, Some("us-east-1"), Some(&credentials())),
        Ok(None)
    );
    assert_eq!(
        select("Op", &OperationAuth::NONE, None, None, None),
        Ok(None)
    );
    // `@optionalAuth`: signed with credentials, unsigned without.
    let optional = ECR.optional();
    assert!(chosen(&optional, None, Some("us-east-1")).name == "ecr");
    assert_eq!(
        select("Op", &optional, None, Some("us-east-1"), None),
        Ok(None)
    );
    // An optional operation whose schemes this build cannot sign with goes unsigned.
    let bearer = OperationAuth::new(&[AuthScheme::HttpBearer]).optional();
    assert_eq!(
        select("Op", &bearer, None, None, Some(&credentials())),
        Ok(None)
    );
    // So does one whose endpoint offers none.
    let express = schemes(r#"[{"name":"sigv4-s3express"}]"#);
    assert_eq!(
        select(
            "Op",
            &S3.optional(),
            Some(&express),
            Some("us-east-1"),
            Some(&credentials())
        ),
        Ok(None)
    );
}

#[test]
fn unsigned_payload_sends_the_header() {
    let s = chosen(&ECR.unsigned_payload(), None, Some("us-east-1"));
    assert_eq!(s.payload, Payload::Unsigned);
    assert!(s.content_sha256_header);
}

#[test]
fn what_is_missing_is_named() {
    let error = select("DescribeImages", &ECR, None, Some("us-east-1"), None).expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingCredentials);
    assert_eq!(
        error.to_string(),
        "operation `DescribeImages`: it must be signed (aws.auth#sigv4), and no credentials were given"
    );
    let error =
        select("DescribeImages", &ECR, None, None, Some(&credentials())).expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingRegion);
    assert!(
        error
            .to_string()
            .starts_with("operation `DescribeImages`: no region"),
        "{error}"
    );
    let nameless = OperationAuth::new(&[AuthScheme::SigV4]);
    let error = select(
        "Op",
        &nameless,
        None,
        Some("us-east-1"),
        Some(&credentials()),
    )
    .expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingSigningName);
    let bearer = OperationAuth::new(&[AuthScheme::HttpBearer, AuthScheme::Other("ex#fooAuth")]);
    let error = select("Converse", &bearer, None, None, Some(&credentials())).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "operation `Converse`: none of its auth schemes is supported: smithy.api#httpBearerAuth, ex#fooAuth"
    );
    for bad in [
        r#"{"name":"sigv4"}"#,
        r#"["sigv4"]"#,
        r#"[{"signingName":"s3"}]"#,
    ] {
        let error = select(
            "Op",
            &ECR,
            Some(&schemes(bad)),
            Some("us-east-1"),
            Some(&credentials()),
        )
        .expect_err(bad);
        assert_eq!(error.kind, AuthErrorKind::InvalidAuthSchemes, "{bad}");
    }
}

#[cfg(feature = "endpoint")]
#[test]
fn sign_signs_a_finished_request_as_the_operation_says() {
    use crate::endpoint::{finish, Endpoint};
    use std::time::{Duration, UNIX_EPOCH};
    struct Op;
    struct Never;
    impl crate::error::OperationError for Never {
        const PROTOCOL: crate::error::Protocol = crate::error::Protocol::AwsJson1_1;
        fn decode(
            _: &str,
            _: &crate::error::ErrorBody<'_, '_>,
            _: &[(&str, &str)],
            _: Option<u16>,
        ) -> Self {
            Never
        }
        fn malformed(_: crate::operation::MalformedResponse) -> Self {
            Never
        }
    }
    impl crate::operation::Operation for Op {
        type Input = ();
        type Output = ();
        type Error = Never;
        const NAME: &'static str = "Op";
        const AUTH: OperationAuth = ECR;
        fn decode_output(_: &crate::http::HttpResponse<'_>) -> Result<(), crate::DecodeError> {
            Ok(())
        }
    }
    let endpoint = Endpoint {
        url: "https://api.ecr.us-west-2.amazonaws.com".into(),
        ..Endpoint::default()
    };
    let mut request = HttpRequest {
        method: "POST".into(),
        uri: "/".into(),
        ..HttpRequest::default()
    };
    finish(&mut request, &endpoint);
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let signing = sign::<Op>(
        &mut request,
        &endpoint,
        Some("us-west-2"),
        Some(&credentials()),
        time,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(signing.is_some());
    let authorization = crate::http::header(
        &request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
        "authorization",
    )
    .map(str::to_owned)
    .expect("an Authorization header");
    assert!(
        authorization.contains("Credential=AKIDEXAMPLE/20150830/us-west-2/ecr/aws4_request"),
        "{authorization}"
    );
    // Without credentials: refused, the request untouched.
    let mut unsigned = HttpRequest {
        method: "POST".into(),
        uri: "/".into(),
        ..HttpRequest::default()
    };
    finish(&mut unsigned, &endpoint);
    let error =
        sign::<Op>(&mut unsigned, &endpoint, Some("us-west-2"), None, time).expect_err("refused");
    assert_eq!(error.kind, AuthErrorKind::MissingCredentials);
    assert!(unsigned.headers.is_empty());
}

#[test]
fn presigning_under_s3_rules_leaves_the_payload_unsigned() {
    let creds = credentials();
    let time = SystemTime::UNIX_EPOCH;
    let s3 = chosen(&S3, None, Some("us-east-1"));
    assert_eq!(s3.params(&creds, time).payload, Payload::Compute);
    assert_eq!(s3.presign_params(&creds, time).payload, Payload::Unsigned);
    // Other services presign over the body's hash.
    let ecr = chosen(&ECR, None, Some("us-west-2"));
    assert_eq!(ecr.presign_params(&creds, time).payload, Payload::Compute);
}
