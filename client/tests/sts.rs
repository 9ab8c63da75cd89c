//! The assumed-role sources against a stand-in for STS on 127.0.0.1 (awsQuery requests, XML
//! answers), reached through `AWS_ENDPOINT_URL_STS`: role chains signed link by link, web
//! identity unsigned, and STS's errors.
#![cfg(feature = "credentials")]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use smithy_client::credentials::{
    default_chain, Credentials, CredentialsError, ProfileProvider, ProvideCredentials,
    ProviderConfig, WebIdentityProvider,
};
use smithy_client::env::Env;
use smithy_client::future::block_on;
use smithy_client::transport::StdTransport;
use support::{Received, Reply, Server, TempDir};

/// The form body's parameters.
fn form(request: &Received) -> BTreeMap<String, String> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                    out.push(u8::from_str_radix(hex, 16).expect("hex"));
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
        String::from_utf8(out).expect("utf-8")
    }
    request
        .body_text()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn assumed(action: &str, key: &str) -> Reply {
    let mut reply = Reply::new(
        200,
        format!(
            r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>secret-{key}</SecretAccessKey>
      <SessionToken>token-{key}</SessionToken>
      <Expiration>{}</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</{action}Response>"#,
            support::rfc3339_in(3600)
        ),
    );
    reply
        .headers
        .push(("Content-Type".into(), "text/xml".into()));
    reply
}

fn denied(message: &str) -> Reply {
    let mut reply = Reply::new(
        403,
        format!(
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message></Error><RequestId>req-2</RequestId></ErrorResponse>"#
        ),
    );
    reply
        .headers
        .push(("Content-Type".into(), "text/xml".into()));
    reply
}

/// STS: `AssumeRole` of `arn:...:role/<name>` gives `ASIA-<name>`, of `.../denied` AccessDenied;
/// `AssumeRoleWithWebIdentity` with the token `good-token` gives `ASIA-WEB`.
fn sts_server() -> Server {
    Server::start(|request: &Received| {
        let params = form(request);
        match params.get("Action").map(String::as_str) {
            Some("AssumeRole") => {
                let role = params.get("RoleArn").cloned().unwrap_or_default();
                let name = role.rsplit('/').next().unwrap_or_default().to_owned();
                if name == "denied" {
                    return denied("User is not authorized to perform: sts:AssumeRole");
                }
                assumed("AssumeRole", &format!("ASIA-{}", name.to_uppercase()))
            }
            Some("AssumeRoleWithWebIdentity") => {
                if params.get("WebIdentityToken").map(String::as_str) != Some("good-token") {
                    return denied("bad token");
                }
                assumed("AssumeRoleWithWebIdentity", "ASIA-WEB")
            }
            _ => Reply::new(400, "unknown action"),
        }
    })
}

fn config(vars: &[(&str, &str)]) -> ProviderConfig {
    let transport = StdTransport::new().with_read_timeout(Duration::from_secs(5));
    ProviderConfig::new()
        .with_env(Env::from_vars(vars.iter().copied()))
        .with_transport(transport.clone())
        .with_metadata_transport(transport)
}

fn load(provider: &impl ProvideCredentials) -> Result<Credentials, CredentialsError> {
    block_on(provider.provide_credentials())
}

/// The access key ID in a SigV4 `Authorization` header, and the scope after it.
fn signer(request: &Received) -> Option<String> {
    let authorization = request.header("authorization")?;
    let credential = authorization.split("Credential=").nth(1)?;
    Some(credential.split(',').next()?.to_owned())
}

#[test]
fn a_role_chain_is_assumed_link_by_link_each_signed_with_the_one_before() {
    let sts = sts_server();
    let home = TempDir::new();
    home.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    home.write(
        ".aws/config",
        "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/mid\nsource_profile = base\n\
         [profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = mid\n\
         external_id = ext-1\nduration_seconds = 900\nrole_session_name = my-session\n",
    );
    let url = sts.url();
    let provider = ProfileProvider::new(&config(&[
        ("HOME", home.str()),
        ("AWS_PROFILE", "top"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ENDPOINT_URL_STS", &url),
    ]));
    let credentials = load(&provider).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(credentials.access_key_id(), "ASIA-TOP");
    assert_eq!(
        credentials.session_token().map(|t| t.expose()),
        Some("token-ASIA-TOP")
    );
    assert!(credentials.expires_at().is_some());

    let received = sts.received();
    assert_eq!(received.len(), 2);
    let (first, second) = (&received[0], &received[1]);
    assert_eq!(first.method, "POST");
    let first_form = form(first);
    assert_eq!(
        first_form.get("RoleArn").map(String::as_str),
        Some("arn:aws:iam::123456789012:role/mid")
    );
    assert_eq!(
        first_form.get("Version").map(String::as_str),
        Some("2011-06-15")
    );
    assert!(first_form
        .get("RoleSessionName")
        .is_some_and(|s| s.starts_with("smithy-client-")));
    let scope = signer(first).expect("signed");
    assert!(
        scope.starts_with("AKIDBASE/") && scope.ends_with("/eu-west-1/sts/aws4_request"),
        "{scope}"
    );
    assert_eq!(first.header("x-amz-security-token"), None);

    let second_form = form(second);
    assert_eq!(
        second_form.get("RoleArn").map(String::as_str),
        Some("arn:aws:iam::123456789012:role/top")
    );
    assert_eq!(
        second_form.get("ExternalId").map(String::as_str),
        Some("ext-1")
    );
    assert_eq!(
        second_form.get("DurationSeconds").map(String::as_str),
        Some("900")
    );
    assert_eq!(
        second_form.get("RoleSessionName").map(String::as_str),
        Some("my-session")
    );
    assert!(signer(second).expect("signed").starts_with("ASIA-MID/"));
    assert_eq!(
        second.header("x-amz-security-token"),
        Some("token-ASIA-MID")
    );
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("secret-ASIA-TOP") && !debug.contains("token-ASIA-TOP"),
        "{debug}"
    );
}

#[test]
fn sts_errors_and_credential_sources() {
    let sts = sts_server();
    let home = TempDir::new();
    home.write(
        ".aws/config",
        "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\ncredential_source = Environment\n\
         [profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/fromenv\ncredential_source = Environment\n\
         region = ap-southeast-2\n\
         [profile proc]\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"S\"}'\n\
         [profile viaproc]\nrole_arn = arn:aws:iam::123456789012:role/viaproc\nsource_profile = proc\n",
    );
    let url = sts.url();
    let vars = |profile: &'static str| {
        vec![
            ("HOME", home.str().to_owned()),
            ("AWS_PROFILE", profile.to_owned()),
            ("AWS_ENDPOINT_URL_STS", url.clone()),
            ("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "env-secret".to_owned()),
        ]
    };
    let provider = |profile| {
        let vars = vars(profile);
        let refs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        ProfileProvider::new(&config(&refs))
    };
    let credentials = load(&provider("fromenv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(credentials.access_key_id(), "ASIA-FROMENV");
    let scope = signer(&sts.received()[0]).expect("signed");
    assert!(
        scope.starts_with("AKIDENV/") && scope.ends_with("/ap-southeast-2/sts/aws4_request"),
        "{scope}"
    );

    // A source profile whose credentials come from its credential_process.
    let credentials = load(&provider("viaproc")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(credentials.access_key_id(), "ASIA-VIAPROC");
    let last = sts.received().pop().expect("a request");
    assert!(signer(&last).expect("signed").starts_with("AKIDPROC/"));

    let error = load(&provider("denied")).expect_err("denied");
    assert_eq!(
        error.to_string(),
        "credentials from profile `denied`: the role_arn of profile `denied`: STS AssumeRole: AccessDenied: User is not authorized to perform: sts:AssumeRole"
    );

    // The environment without keys: the credential source says so.
    let vars: Vec<(&str, &str)> = vec![
        ("HOME", home.str()),
        ("AWS_PROFILE", "fromenv"),
        ("AWS_ENDPOINT_URL_STS", &url),
    ];
    let error = load(&ProfileProvider::new(&config(&vars))).expect_err("no env keys");
    assert!(!error.is_not_configured());
    assert!(
        error
            .to_string()
            .contains("the credential_source of profile `fromenv`: credentials from environment: AWS_ACCESS_KEY_ID is not set"),
        "{error}"
    );
}

#[test]
fn web_identity_from_the_environment_and_the_profile_is_sent_unsigned() {
    let sts = sts_server();
    let dir = TempDir::new();
    let token = dir.write("token", "good-token\n");
    let token = token.to_str().expect("utf-8");
    let url = sts.url();
    let provider = WebIdentityProvider::new(&config(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
        ("AWS_ROLE_SESSION_NAME", "pod-1"),
        ("AWS_ENDPOINT_URL_STS", &url),
        ("HOME", dir.str()),
    ]));
    let credentials = load(&provider).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(credentials.access_key_id(), "ASIA-WEB");
    let request = &sts.received()[0];
    assert_eq!(request.header("authorization"), None);
    let params = form(request);
    assert_eq!(
        params.get("Action").map(String::as_str),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(
        params.get("RoleSessionName").map(String::as_str),
        Some("pod-1")
    );
    assert_eq!(
        params.get("WebIdentityToken").map(String::as_str),
        Some("good-token")
    );

    // In the default chain, after the (absent) environment keys and profile.
    let chain = default_chain(&config(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
        ("AWS_ENDPOINT_URL_STS", &url),
        ("HOME", dir.str()),
    ]));
    assert_eq!(
        load(&chain)
            .map(|c| c.access_key_id().to_owned())
            .as_deref(),
        Ok("ASIA-WEB")
    );

    // From a profile, then a role assumed with it.
    dir.write(
        ".aws/config",
        &format!(
            "[profile web]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {token}\n\
             [profile chained]\nrole_arn = arn:aws:iam::123456789012:role/next\nsource_profile = web\n\
             [profile badtoken]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = ~/token-bad\n"
        ),
    );
    dir.write("token-bad", "bad");
    let profile = |name: &str| {
        ProfileProvider::new(&config(&[
            ("HOME", dir.str()),
            ("AWS_ENDPOINT_URL_STS", &url),
            ("AWS_PROFILE", name),
        ]))
    };
    assert_eq!(
        load(&profile("web"))
            .map(|c| c.access_key_id().to_owned())
            .as_deref(),
        Ok("ASIA-WEB")
    );
    let chained = load(&profile("chained")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(chained.access_key_id(), "ASIA-NEXT");
    let last = sts.received().pop().expect("a request");
    assert!(signer(&last).expect("signed").starts_with("ASIA-WEB/"));
    let error = load(&profile("badtoken")).expect_err("bad token");
    assert!(
        error
            .to_string()
            .ends_with("STS AssumeRoleWithWebIdentity: AccessDenied: bad token"),
        "{error}"
    );
}

#[test]
fn sts_over_https_needs_the_clients_transport() {
    // Without an endpoint override STS is https: the plain-HTTP transport says what is missing.
    let home = TempDir::new();
    home.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = A\naws_secret_access_key = S\n",
    );
    home.write(
        ".aws/config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n",
    );
    let error = load(&ProfileProvider::new(&config(&[
        ("HOME", home.str()),
        ("AWS_REGION", "us-east-2"),
    ])))
    .expect_err("https");
    let message = error.to_string();
    assert!(
        message.contains("POST https://sts.us-east-2.amazonaws.com/"),
        "{message}"
    );
    assert!(
        message.contains("TLS arrives with the client's hyper + rustls transport"),
        "{message}"
    );
    // The legacy global endpoint, as configured.
    let error = load(&ProfileProvider::new(&config(&[
        ("HOME", home.str()),
        ("AWS_REGION", "us-east-2"),
        ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
    ])))
    .expect_err("https");
    assert!(
        error
            .to_string()
            .contains("POST https://sts.amazonaws.com/"),
        "{error}"
    );
}
