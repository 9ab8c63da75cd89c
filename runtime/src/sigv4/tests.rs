//! S3's signing rules (against the examples of S3's SigV4 documentation), presigning, the
//! canonical parts, errors and the redaction of secrets.

use super::*;

const S3_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn s3_credentials() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", S3_SECRET, None)
}

/// 2013-05-24T00:00:00Z, the time of S3's examples.
fn s3_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_369_353_600)
}

/// The settings S3's `authSchemes` give.
fn s3_params(credentials: &Credentials) -> SigningParams<'_> {
    let mut params = SigningParams::new(credentials, "us-east-1", "s3", s3_time());
    params.double_encode = false;
    params.normalize_path = false;
    params.content_sha256_header = true;
    params
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn s3_get_object_signs_the_payload_hash_header() {
    let credentials = s3_credentials();
    let mut request = HttpRequest {
        method: "GET".into(),
        uri: "https://examplebucket.s3.amazonaws.com/test.txt".into(),
        headers: vec![("Range".into(), "bytes=0-9".into())],
        ..HttpRequest::default()
    };
    let details = sign_details(&mut request, &s3_params(&credentials)).unwrap();
    assert_eq!(
        details.canonical_request,
        "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n\
         x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(header(&request, "x-amz-content-sha256"), Some(EMPTY_SHA256));
    assert_eq!(
        header(&request, "authorization"),
        Some(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    );
    // No `Host` header added: the transport sends the URL's authority.
    assert_eq!(header(&request, "host"), None);
}

#[test]
fn s3_put_object_hashes_the_body() {
    let credentials = s3_credentials();
    let mut request = HttpRequest {
        method: "PUT".into(),
        uri: "https://examplebucket.s3.amazonaws.com/test$file.text".into(),
        headers: vec![
            ("Date".into(), "Fri, 24 May 2013 00:00:00 GMT".into()),
            ("x-amz-storage-class".into(), "REDUCED_REDUNDANCY".into()),
        ],
        body: b"Welcome to Amazon S3.".to_vec(),
        ..HttpRequest::default()
    };
    let details = sign_details(&mut request, &s3_params(&credentials)).unwrap();
    let hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
    assert!(details
        .canonical_request
        .starts_with("PUT\n/test%24file.text\n\n"));
    assert!(details.canonical_request.ends_with(hash));
    assert_eq!(header(&request, "x-amz-content-sha256"), Some(hash));
    assert_eq!(
        details.signature,
        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
    );
}

#[test]
fn s3_presigned_get() {
    let credentials = s3_credentials();
    let request = HttpRequest {
        method: "GET".into(),
        uri: "https://examplebucket.s3.amazonaws.com/test.txt".into(),
        ..HttpRequest::default()
    };
    let mut params = s3_params(&credentials);
    params.payload = Payload::Unsigned;
    let (url, details) = presign_details(&request, &params, Duration::from_secs(86_400)).unwrap();
    assert_eq!(
        details.canonical_request,
        "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\
         AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=\
         20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n\
         host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
    );
    assert_eq!(
        url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=86400\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert_eq!(
        presign(&request, &params, Duration::from_secs(86_400)).unwrap(),
        url
    );
}

#[test]
fn s3_unsigned_payload() {
    let credentials = s3_credentials();
    let mut request = HttpRequest {
        method: "PUT".into(),
        uri: "https://examplebucket.s3.amazonaws.com/big".into(),
        body: vec![7; 1000],
        ..HttpRequest::default()
    };
    let mut params = s3_params(&credentials);
    params.payload = Payload::Unsigned;
    let details = sign_details(&mut request, &params).unwrap();
    assert!(details
        .canonical_request
        .ends_with("x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"));
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );

    params.payload = Payload::Precomputed("STREAMING-UNSIGNED-PAYLOAD-TRAILER".into());
    let details = sign_details(&mut request, &params).unwrap();
    assert!(details
        .canonical_request
        .ends_with("\nSTREAMING-UNSIGNED-PAYLOAD-TRAILER"));
    // Signed again: one of each header, the new values.
    let count = |name: &str| {
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    };
    assert_eq!(
        (
            count("authorization"),
            count("x-amz-date"),
            count("x-amz-content-sha256")
        ),
        (1, 1, 1)
    );
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    );
}

#[test]
fn s3_paths_are_encoded_once_and_not_normalized() {
    // S3: the path as sent, decoded and encoded once; `//`, `.`, `..` are parts of keys.
    assert_eq!(
        canonical_path("/bucket/my%20key//a/./../b+c", false, false),
        "/bucket/my%20key//a/./../b%2Bc"
    );
    assert_eq!(
        canonical_path("/bucket/caf\u{e9}", false, false),
        "/bucket/caf%C3%A9"
    );
    // Everything else: normalized, and the path as sent encoded once more.
    assert_eq!(
        canonical_path("/bucket/my%20key//a/./../b", true, true),
        "/bucket/my%2520key/b"
    );
    assert_eq!(canonical_path("/a/b/../../..", true, true), "/");
    assert_eq!(canonical_path("/a/./b/", true, true), "/a/b/");
    assert_eq!(canonical_path("", true, true), "/");
    assert_eq!(canonical_path("", false, false), "/");
}

#[test]
fn canonical_queries() {
    assert_eq!(
        canonical_query("Param1=value2&Param1=Value1&b&a=", &[]),
        "Param1=Value1&Param1=value2&a=&b="
    );
    assert_eq!(
        canonical_query("k=a+b%2Bc&sp=a%20b&%E1%88%B4=x&uni=\u{1234}", &[]),
        "%E1%88%B4=x&k=a%20b%2Bc&sp=a%20b&uni=%E1%88%B4"
    );
    assert_eq!(
        canonical_query("", &[("X-Amz-A", "a/b;c")]),
        "X-Amz-A=a%2Fb%3Bc"
    );
}

#[test]
fn host_and_port_from_the_url() {
    let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
    let mut request = HttpRequest {
        method: "POST".into(),
        uri: "http://127.0.0.1:5000/?Action=GetCallerIdentity".into(),
        headers: vec![
            ("User-Agent".into(), "not signed".into()),
            (
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
        ],
        ..HttpRequest::default()
    };
    let time = s3_time();
    let details = sign_details(
        &mut request,
        &SigningParams::new(&credentials, "us-east-1", "sts", time),
    )
    .unwrap();
    assert!(details.canonical_request.contains(
        "\ncontent-type:application/x-www-form-urlencoded\nhost:127.0.0.1:5000\n\
         x-amz-date:20130524T000000Z\nx-amz-security-token:TOKEN\n\n\
         content-type;host;x-amz-date;x-amz-security-token\n"
    ));
    assert_eq!(header(&request, "x-amz-security-token"), Some("TOKEN"));
    assert_eq!(header(&request, "x-amz-content-sha256"), None);
}

#[test]
fn errors() {
    let credentials = s3_credentials();
    let params = SigningParams::new(&credentials, "us-east-1", "ecr", s3_time());
    let mut relative = HttpRequest {
        method: "GET".into(),
        uri: "/".into(),
        ..HttpRequest::default()
    };
    assert_eq!(sign(&mut relative, &params), Err(SigningError::NoHost));
    relative.headers.push(("Host".into(), "example.com".into()));
    let url = presign(&relative, &params, Duration::from_secs(60)).unwrap();
    assert!(url.starts_with("https://example.com/?X-Amz-Algorithm="));
    for expires in [Duration::ZERO, MAX_PRESIGN_EXPIRY + Duration::from_secs(1)] {
        let error = presign(&relative, &params, expires).unwrap_err();
        assert_eq!(error, SigningError::ExpiresOutOfRange(expires));
    }
    let mut early = params.clone();
    early.time = UNIX_EPOCH - Duration::from_secs(1);
    assert_eq!(
        sign(&mut relative, &early),
        Err(SigningError::TimeOutOfRange)
    );
    relative.headers.push(("X-Bad".into(), "a\u{0}b".into()));
    assert_eq!(
        sign(&mut relative, &params).unwrap_err().to_string(),
        "cannot sign header `X-Bad`: its value holds a control character"
    );
}

#[test]
fn secrets_are_redacted() {
    let credentials = Credentials::new("AKIDEXAMPLE", "very-secret", Some("session-secret".into()));
    let debug = format!("{credentials:?}");
    assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
    assert!(!debug.contains("secret\""), "{debug}");
    assert!(
        !debug.contains("very-secret") && !debug.contains("session-secret"),
        "{debug}"
    );
    assert_eq!(debug.matches("** redacted **").count(), 2, "{debug}");
    let secret = SecretString::new("hunter2");
    assert_eq!(
        format!("{secret} {secret:?}"),
        "** redacted ** ** redacted **"
    );
    assert_eq!(secret.expose(), "hunter2");
    let params = SigningParams::new(&credentials, "us-east-1", "ecr", s3_time());
    assert!(!format!("{params:?}").contains("very-secret"));
}

#[cfg(feature = "sigv4a")]
#[test]
fn v4a_signs_for_a_region_set() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    );
    let mut params = SigningParams::new(&credentials, "us-east-1,us-west-2", "s3", s3_time());
    params.algorithm = Algorithm::V4a;
    let mut request = HttpRequest {
        method: "GET".into(),
        uri: "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/key".into(),
        ..HttpRequest::default()
    };
    let details = sign_details(&mut request, &params).unwrap();
    assert_eq!(
        header(&request, "x-amz-region-set"),
        Some("us-east-1,us-west-2")
    );
    assert!(details
        .string_to_sign
        .starts_with("AWS4-ECDSA-P256-SHA256\n20130524T000000Z\n20130524/s3/aws4_request\n"));
    let public = v4a_public_key(&credentials).unwrap();
    assert!(v4a_verify(&public, &details.string_to_sign, &details.signature).unwrap());
    assert!(!v4a_verify(&public, "another string", &details.signature).unwrap());
    assert!(v4a_verify(&public, "x", "zz").is_err());
}

#[cfg(not(feature = "sigv4a"))]
#[test]
fn v4a_needs_its_feature() {
    let credentials = s3_credentials();
    let mut params = SigningParams::new(&credentials, "*", "s3", s3_time());
    params.algorithm = Algorithm::V4a;
    let mut request = HttpRequest {
        method: "GET".into(),
        uri: "https://example.com/".into(),
        ..HttpRequest::default()
    };
    assert_eq!(
        sign(&mut request, &params),
        Err(SigningError::V4aNotEnabled)
    );
    assert_eq!(
        presign(&request, &params, Duration::from_secs(60)),
        Err(SigningError::V4aNotEnabled)
    );
    assert!(request.headers.is_empty());
}
