//! The generated STS crate (awsQuery, imported from botocore's model): the three operations the
//! credential providers call, encoded and decoded; the XML error enums; the endpoint rules.
//! The response bodies are written here from the model's shapes, in the layout STS answers with.

use smithy_runtime::http::{HttpRequest, HttpResponse};
use smithy_runtime::operation::{EncodeRequest, Operation};
use sts::operations::{AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity};
use sts::types::{
    AssumeRoleRequest, AssumeRoleWithWebIdentityRequest, GetCallerIdentityRequest,
    PolicyDescriptorType, Tag,
};
use sts::{AssumeRoleError, AssumeRoleWithWebIdentityError, GetCallerIdentityError};

fn form(request: &HttpRequest) -> Vec<(String, String)> {
    let body = std::str::from_utf8(&request.body).expect("a UTF-8 body");
    body.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("key=value");
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("a %XX escape"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn ok(body: &[u8]) -> HttpResponse<'_> {
    HttpResponse {
        status: 200,
        headers: &[],
        body,
    }
}

#[test]
fn assume_role_request_is_the_query_form() {
    let mut input = AssumeRoleRequest::default();
    input.role_arn = Some("arn:aws:iam::123456789012:role/demo".into());
    input.role_session_name = Some("session one".into());
    input.duration_seconds = Some(900);
    let mut policy = PolicyDescriptorType::default();
    policy.arn = Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
    input.policy_arns = Some(vec![policy]);
    let tag = Tag::new("team", "blue");
    input.tags = Some(vec![tag]);
    input.external_id = Some("ext-1".into());
    let request = AssumeRole::encode_request(&input).expect("a request");
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut got = form(&request);
    got.sort();
    let mut want = pairs(&[
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", "arn:aws:iam::123456789012:role/demo"),
        ("RoleSessionName", "session one"),
        ("DurationSeconds", "900"),
        (
            "PolicyArns.member.1.arn",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
        ("Tags.member.1.Key", "team"),
        ("Tags.member.1.Value", "blue"),
        ("ExternalId", "ext-1"),
    ]);
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn assume_role_needs_its_required_members() {
    let error =
        AssumeRole::encode_request(&AssumeRoleRequest::default()).expect_err("RoleArn is required");
    assert!(error.to_string().contains("RoleArn"), "{error}");
}

const ASSUME_ROLE_RESPONSE: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/session-one</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:session-one</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLETOKEN==</SessionToken>
      <Expiration>2026-12-04T22:15:00Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>"#;

#[test]
fn assume_role_response_decodes() {
    let output =
        AssumeRole::decode_response(&ok(ASSUME_ROLE_RESPONSE.as_bytes())).expect("an output");
    let credentials = output.credentials.expect("credentials");
    assert_eq!(credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(
        credentials.secret_access_key,
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    );
    assert_eq!(credentials.session_token, "IQoJb3JpZ2luX2VjEXAMPLETOKEN==");
    // 2026-12-04T22:15:00Z
    assert_eq!(credentials.expiration.epoch_seconds(), 1_796_422_500);
    let user = output.assumed_role_user.expect("the assumed role user");
    assert_eq!(
        user.arn,
        "arn:aws:sts::123456789012:assumed-role/demo/session-one"
    );
    assert_eq!(user.assumed_role_id, "AROA3XFRBF535PLBIFPI4:session-one");
    assert_eq!(output.packed_policy_size, Some(6));
    assert_eq!(output.source_identity.as_deref(), Some("alice"));
}

#[test]
fn assume_role_with_web_identity_round_trip() {
    let mut input = AssumeRoleWithWebIdentityRequest::default();
    input.role_arn = Some("arn:aws:iam::123456789012:role/web".into());
    input.role_session_name = Some("web-session".into());
    input.web_identity_token = Some("eyJhbGciOiJSUzI1NiJ9.e30.c2ln".into());
    let request = AssumeRoleWithWebIdentity::encode_request(&input).expect("a request");
    let mut got = form(&request);
    got.sort();
    let mut want = pairs(&[
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", "2011-06-15"),
        ("RoleArn", "arn:aws:iam::123456789012:role/web"),
        ("RoleSessionName", "web-session"),
        ("WebIdentityToken", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ]);
    want.sort();
    assert_eq!(got, want);

    let body = br#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/web/web-session</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:web-session</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-12-04T23:00:00.5Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;
    let output = AssumeRoleWithWebIdentity::decode_response(&ok(body)).expect("an output");
    let credentials = output.credentials.expect("credentials");
    assert_eq!(credentials.access_key_id, "ASgeIAIOSFODNN7EXAMPLE");
    assert_eq!(
        credentials.session_token,
        "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE"
    );
    assert_eq!(credentials.expiration.epoch_seconds(), 1_796_425_200);
    assert_eq!(output.provider.as_deref(), Some("www.amazon.com"));
    assert_eq!(
        output.audience.as_deref(),
        Some("client.5498841531868486423.1548@apps.example.com")
    );
    assert_eq!(
        output.subject_from_web_identity_token.as_deref(),
        Some("amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A")
    );
}

#[test]
fn get_caller_identity_round_trip() {
    let request =
        GetCallerIdentity::encode_request(&GetCallerIdentityRequest::default()).expect("a request");
    assert_eq!(
        form(&request),
        pairs(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")])
    );
    let body = br#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>"#;
    let output = GetCallerIdentity::decode_response(&ok(body)).expect("an output");
    assert_eq!(
        output.arn.as_deref(),
        Some("arn:aws:iam::123456789012:user/Alice")
    );
    assert_eq!(output.user_id.as_deref(), Some("AKIAI44QH8DHBEXAMPLE"));
    assert_eq!(output.account.as_deref(), Some("123456789012"));
}

fn error_body(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>9b5f3b0e-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>"#
    )
}

#[test]
fn errors_pick_their_variant_by_query_code() {
    let body = error_body("MalformedPolicyDocument", "The policy is not valid JSON.");
    let response = HttpResponse {
        status: 400,
        headers: &[],
        body: body.as_bytes(),
    };
    let error = AssumeRole::decode_response(&response).expect_err("an error");
    assert!(error.is_malformed_policy_document_exception(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "MalformedPolicyDocument: The policy is not valid JSON."
    );

    let body = error_body(
        "IDPCommunicationError",
        "The identity provider could not be reached.",
    );
    let response = HttpResponse {
        status: 400,
        headers: &[],
        body: body.as_bytes(),
    };
    let error = AssumeRoleWithWebIdentityError::from_response(&response);
    assert!(error.is_idp_communication_error_exception(), "{error:?}");

    let body = error_body("ExpiredTokenException", "Token expired.");
    let response = HttpResponse {
        status: 400,
        headers: &[],
        body: body.as_bytes(),
    };
    assert!(AssumeRoleError::from_response(&response).is_expired_token_exception());
}

#[test]
fn a_bad_signature_is_unknown_with_its_code() {
    let body = error_body(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    );
    let response = HttpResponse {
        status: 403,
        headers: &[],
        body: body.as_bytes(),
    };
    let error = GetCallerIdentityError::from_response(&response);
    match &error {
        GetCallerIdentityError::Unknown(unknown) => {
            assert_eq!(unknown.code, "SignatureDoesNotMatch");
            assert_eq!(unknown.status, Some(403));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[test]
fn endpoints_follow_the_rules() {
    use sts::endpoint::{resolve, Config, Params};
    let mut config = Config::default();
    config.region = Some("eu-west-1".into());
    let endpoint = resolve(&Params::from_config(&config)).expect("an endpoint");
    assert_eq!(endpoint.url, "https://sts.eu-west-1.amazonaws.com");
    config.region = Some("aws-global".into());
    let endpoint = resolve(&Params::from_config(&config)).expect("an endpoint");
    assert_eq!(endpoint.url, "https://sts.amazonaws.com");
    config.region = Some("us-east-1".into());
    config.use_fips = Some(true);
    let endpoint = resolve(&Params::from_config(&config)).expect("an endpoint");
    assert_eq!(endpoint.url, "https://sts-fips.us-east-1.amazonaws.com");
    config.use_fips = None;
    config.endpoint_url = Some("http://127.0.0.1:5000".into());
    let endpoint = resolve(&Params::from_config(&config)).expect("an endpoint");
    assert_eq!(endpoint.url, "http://127.0.0.1:5000");
}
