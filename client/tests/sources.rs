//! Every credentials source against temporary files and servers on 127.0.0.1, each test with
//! an environment of its own (never the process's).
#![cfg(feature = "credentials")]

mod support;

use std::time::Duration;

use smithy_client::credentials::{
    default_chain, Credentials, CredentialsError, EcsProvider, EnvironmentProvider, ImdsProvider,
    ProfileProvider, ProvideCredentials, ProviderConfig, WebIdentityProvider,
};
use smithy_client::env::Env;
use smithy_client::future::block_on;
use smithy_client::transport::StdTransport;
use support::{closed_port, rfc3339_in, Received, Reply, Server, TempDir};

fn config(vars: &[(&str, &str)]) -> ProviderConfig {
    let fast = StdTransport::new()
        .with_connect_timeout(Duration::from_millis(500))
        .with_read_timeout(Duration::from_secs(2));
    ProviderConfig::new()
        .with_env(Env::from_vars(vars.iter().copied()))
        .with_transport(fast.clone())
        .with_metadata_transport(fast)
}

fn load(provider: &impl ProvideCredentials) -> Result<Credentials, CredentialsError> {
    block_on(provider.provide_credentials())
}

fn ok(provider: &impl ProvideCredentials) -> Credentials {
    match load(provider) {
        Ok(credentials) => credentials,
        Err(e) => panic!("{e}"),
    }
}

fn err(provider: &impl ProvideCredentials) -> CredentialsError {
    match load(provider) {
        Ok(credentials) => panic!("credentials {credentials:?}"),
        Err(e) => e,
    }
}

#[test]
fn environment_variables() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("AWS_SESSION_TOKEN", "TOKEN"),
    ];
    let credentials = ok(&EnvironmentProvider::new(&config(&env)));
    assert_eq!(credentials.access_key_id(), "AKID");
    assert_eq!(
        credentials.session_token().map(|t| t.expose()),
        Some("TOKEN")
    );
}

#[test]
fn profiles_from_both_files_with_precedence() {
    let home = TempDir::new();
    home.write(
        ".aws/config",
        "[default]\nregion = us-west-2\n[profile dev]\naws_access_key_id = FROM_CONFIG\naws_secret_access_key = C\n\
         [profile onlyconfig]\naws_access_key_id = CONFIG_ONLY\naws_secret_access_key = S\n",
    );
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = S\naws_session_token = T\n\
         [dev]\naws_access_key_id = FROM_CREDENTIALS\naws_secret_access_key = S\n",
    );
    let by_home = |profile: Option<&str>| {
        let mut vars = vec![("HOME", home.str())];
        if let Some(profile) = profile {
            vars.push(("AWS_PROFILE", profile));
        }
        ProfileProvider::new(&config(&vars))
    };
    let default = ok(&by_home(None));
    assert_eq!(default.access_key_id(), "DEFAULT");
    assert_eq!(default.session_token().map(|t| t.expose()), Some("T"));
    assert_eq!(
        ok(&by_home(Some("dev"))).access_key_id(),
        "FROM_CREDENTIALS"
    );
    assert_eq!(
        ok(&by_home(Some("onlyconfig"))).access_key_id(),
        "CONFIG_ONLY"
    );
    let missing = err(&by_home(Some("nope")));
    assert!(!missing.is_not_configured());
    assert!(
        missing.to_string().starts_with(
            "credentials from profile `nope`: the shared files define no such profile ("
        ),
        "{missing}"
    );
    // The profile given in code wins over AWS_PROFILE.
    let chosen = ProfileProvider::new(
        &config(&[("HOME", home.str()), ("AWS_PROFILE", "nope")]).with_profile("dev"),
    );
    assert_eq!(ok(&chosen).access_key_id(), "FROM_CREDENTIALS");

    // Files named by the variables, `~` expanded.
    let elsewhere = TempDir::new();
    elsewhere.write(
        "c/creds",
        "[x]\naws_access_key_id = ELSEWHERE\naws_secret_access_key = S\n",
    );
    let provider = ProfileProvider::new(&config(&[
        ("HOME", elsewhere.str()),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/c/creds"),
        ("AWS_CONFIG_FILE", "~/c/none"),
        ("AWS_PROFILE", "x"),
    ]));
    assert_eq!(ok(&provider).access_key_id(), "ELSEWHERE");
}

#[test]
fn absent_files_are_not_configured_and_syntax_errors_name_file_and_line() {
    let home = TempDir::new();
    let absent = err(&ProfileProvider::new(&config(&[("HOME", home.str())])));
    assert!(absent.is_not_configured(), "{absent}");
    assert!(absent.to_string().contains("(absent)"), "{absent}");

    let path = home.write(
        ".aws/config",
        "[default]\nregion = us-east-1\n\n[profile broken\n",
    );
    let broken = err(&ProfileProvider::new(&config(&[("HOME", home.str())])));
    assert_eq!(
        broken.to_string(),
        format!(
            "credentials from the shared config files: {}:4: a section header must end with ']'",
            path.display()
        )
    );
    // The chain stops at the broken file rather than going on to other sources.
    let chained = err(&default_chain(&config(&[
        ("HOME", home.str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ])));
    assert_eq!(chained, broken);
    assert!(!chained.to_string().contains('\n'));
}

#[test]
fn credential_process() {
    let home = TempDir::new();
    let expiration = rfc3339_in(3600);
    let script = home.write(
        "bin/creds.sh",
        &format!(
            "printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"PROC\", \"SecretAccessKey\": \"S\", \"SessionToken\": \"T\", \"Expiration\": \"{expiration}\"}}'\n"
        ),
    );
    home.write(
        ".aws/config",
        &format!(
            "[default]\ncredential_process = sh {}\n\
             [profile fails]\ncredential_process = sh -c 'exit 3'\n\
             [profile garbage]\ncredential_process = echo not-json-secret\n\
             [profile v2]\ncredential_process = echo '{{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}}'\n\
             [profile static]\ncredential_process = echo '{{\"Version\": 1, \"AccessKeyId\": \"NOEXP\", \"SecretAccessKey\": \"S\"}}'\n",
            script.display()
        ),
    );
    let provider = |profile: &str| {
        ProfileProvider::new(&config(&[("HOME", home.str()), ("AWS_PROFILE", profile)]))
    };
    let credentials = ok(&provider("default"));
    assert_eq!(credentials.access_key_id(), "PROC");
    assert_eq!(credentials.session_token().map(|t| t.expose()), Some("T"));
    assert!(credentials.expires_at().is_some());
    assert_eq!(ok(&provider("static")).expires_at(), None);
    let fails = err(&provider("fails")).to_string();
    assert!(
        fails
            == "credentials from profile `fails`: credential_process exited with exit status: 3 (its standard error, if any, is shown above)",
        "{fails}"
    );
    let garbage = err(&provider("garbage")).to_string();
    assert!(
        garbage.contains("credential_process output: the credentials document is not JSON"),
        "{garbage}"
    );
    assert!(!garbage.contains("not-json-secret"), "{garbage}");
    let v2 = err(&provider("v2")).to_string();
    assert!(v2.ends_with("`Version` is 2, only 1 is supported"), "{v2}");
}

/// An ECS endpoint answering `credentials` to a request with `Authorization: token`.
fn ecs_server(token: &'static str) -> Server {
    let body = format!(
        r#"{{"AccessKeyId":"ECS","SecretAccessKey":"S","Token":"T","Expiration":"{}","RoleArn":"arn:aws:iam::1:role/r"}}"#,
        rfc3339_in(3600)
    );
    Server::start(move |request: &Received| {
        if request.header("authorization") != Some(token) {
            return Reply::new(401, r#"{"code":"Unauthorized","message":"bad token"}"#);
        }
        Reply::json(&body)
    })
}

#[test]
fn ecs_full_and_relative_uris_with_tokens() {
    let server = ecs_server("Bearer xyz");
    let full = format!("{}/v2/credentials/abc", server.url());
    let provider = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz"),
    ]));
    let credentials = ok(&provider);
    assert_eq!(credentials.access_key_id(), "ECS");
    assert!(credentials.expires_at().is_some());
    assert_eq!(server.received()[0].method, "GET");
    assert_eq!(server.received()[0].target, "/v2/credentials/abc");

    // The token file wins over the token variable.
    let dir = TempDir::new();
    let token_file = dir.write("token", "Bearer xyz\n");
    let provider = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            dir.path().join("token").to_str().expect("utf-8"),
        ),
    ]));
    assert_eq!(ok(&provider).access_key_id(), "ECS");
    drop(token_file);

    // `localhost` resolves to a loopback address only: allowed.
    let by_name = format!("http://localhost:{}/creds", server.port());
    let provider = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &by_name),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz"),
    ]));
    assert_eq!(ok(&provider).access_key_id(), "ECS");

    // A wrong token: the endpoint's code and message.
    let provider = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "nope"),
    ]));
    assert_eq!(
        err(&provider).to_string(),
        format!("credentials from ECS container: GET {full} answered 401 Unauthorized bad token")
    );

    // The relative URI wins, rooted at 169.254.170.2 (here the test server stands in for it).
    let provider = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/rel/1"),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://10.9.9.9/never",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz"),
    ]))
    .with_relative_base(server.url());
    assert_eq!(ok(&provider).access_key_id(), "ECS");
    assert_eq!(
        server
            .received()
            .last()
            .map(|r| r.target.clone())
            .as_deref(),
        Some("/rel/1")
    );
}

#[test]
fn ecs_refuses_hosts_off_the_machine_and_https_without_tls() {
    let provider = EcsProvider::new(&config(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://10.0.0.1/creds",
    )]));
    let refused = err(&provider);
    assert!(!refused.is_not_configured());
    assert!(
        refused
            .to_string()
            .contains("names 10.0.0.1: an http:// URL must be a loopback"),
        "{refused}"
    );
    let provider = EcsProvider::new(&config(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "https://creds.example.com/",
    )]));
    let https = err(&provider).to_string();
    assert!(
        https.contains("TLS arrives with the client's hyper + rustls transport"),
        "{https}"
    );
    let unset = err(&EcsProvider::new(&config(&[])));
    assert!(unset.is_not_configured());
    let bad_token = EcsProvider::new(&config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nInjected: yes"),
    ]));
    assert!(err(&bad_token).to_string().contains("line break"));
}

/// An IMDSv2 server: the token PUT (with its TTL header), then the role and its credentials,
/// each with the token.
fn imds_server(token_status: u16, role: Option<&'static str>) -> Server {
    let credentials = format!(
        r#"{{"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"IMDS","SecretAccessKey":"S","Token":"T","Expiration":"{}"}}"#,
        rfc3339_in(6 * 3600)
    );
    Server::start(move |request: &Received| {
        let target = request.target.as_str();
        if request.method == "PUT" && target == "/latest/api/token" {
            if request.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") {
                return Reply::new(400, "no ttl");
            }
            return Reply::new(token_status, "TOKEN-1");
        }
        let token_ok =
            token_status != 200 || request.header("x-aws-ec2-metadata-token") == Some("TOKEN-1");
        if request.method != "GET" || !token_ok {
            return Reply::new(401, "");
        }
        match (target, role) {
            ("/latest/meta-data/iam/security-credentials/", Some(role)) => {
                Reply::new(200, format!("{role}\n"))
            }
            ("/latest/meta-data/iam/security-credentials/", None) => Reply::new(404, ""),
            (path, Some(role))
                if path == format!("/latest/meta-data/iam/security-credentials/{role}") =>
            {
                Reply::json(&credentials)
            }
            _ => Reply::new(404, ""),
        }
    })
}

#[test]
fn imds_v2_token_role_and_credentials() {
    let server = imds_server(200, Some("web-role"));
    let provider = ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &server.url(),
    )]));
    let credentials = ok(&provider);
    assert_eq!(credentials.access_key_id(), "IMDS");
    assert!(credentials.expires_at().is_some());
    let received = server.received();
    let calls: Vec<(String, String)> = received
        .iter()
        .map(|r| (r.method.clone(), r.target.clone()))
        .collect();
    assert_eq!(
        calls,
        [
            ("PUT".to_owned(), "/latest/api/token".to_owned()),
            (
                "GET".to_owned(),
                "/latest/meta-data/iam/security-credentials/".to_owned()
            ),
            (
                "GET".to_owned(),
                "/latest/meta-data/iam/security-credentials/web-role".to_owned()
            ),
        ]
    );
    // The endpoint from the profile.
    let home = TempDir::new();
    home.write(
        ".aws/config",
        &format!(
            "[default]\nec2_metadata_service_endpoint = {}/\n",
            server.url()
        ),
    );
    assert_eq!(
        ok(&ImdsProvider::new(&config(&[("HOME", home.str())]))).access_key_id(),
        "IMDS"
    );
}

#[test]
fn imds_absent_disabled_roleless_and_v1() {
    let nothing = format!("http://127.0.0.1:{}", closed_port());
    let absent = err(&ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &nothing,
    )])));
    assert!(absent.is_not_configured(), "{absent}");
    assert!(
        absent.to_string().contains(&format!(
            "no instance metadata service answers at {nothing}"
        )),
        "{absent}"
    );

    let disabled = err(&ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_DISABLED",
        "TRUE",
    )])));
    assert_eq!(
        disabled.to_string(),
        "credentials from EC2 instance metadata: AWS_EC2_METADATA_DISABLED is true"
    );

    let roleless = imds_server(200, None);
    let error = err(&ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &roleless.url(),
    )])));
    assert!(error.is_not_configured());
    assert!(error
        .to_string()
        .ends_with("the instance has no IAM role (instance profile)"));

    // A service without the token API: IMDSv1, unless turned off.
    let v1 = imds_server(405, Some("old-role"));
    let provider = ImdsProvider::new(&config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &v1.url())]));
    assert_eq!(ok(&provider).access_key_id(), "IMDS");
    assert!(v1
        .received()
        .iter()
        .all(|r| r.header("x-aws-ec2-metadata-token").is_none()));
    let provider = ImdsProvider::new(&config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &v1.url()),
        ("AWS_EC2_METADATA_V1_DISABLED", "true"),
    ]));
    assert!(err(&provider).to_string().contains("answered 405"));

    let bad_mode = ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "IPv5",
    )]));
    assert!(err(&bad_mode)
        .to_string()
        .contains("`IPv5` is neither IPv4 nor IPv6"));
}

#[test]
fn imds_retries_server_errors() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&calls);
    let server = Server::start(move |request: &Received| {
        if request.method == "PUT" && counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2
        {
            return Reply::new(503, "busy");
        }
        Reply::new(500, "still broken")
    });
    let provider = ImdsProvider::new(&config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &server.url(),
    )]));
    let error = err(&provider).to_string();
    assert!(error.ends_with("/latest/api/token answered 500"), "{error}");
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[test]
fn web_identity_needs_both_variables() {
    let none = err(&WebIdentityProvider::new(&config(&[])));
    assert!(none.is_not_configured());
    let half = err(&WebIdentityProvider::new(&config(&[(
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "/t",
    )])));
    assert_eq!(
        half.to_string(),
        "credentials from web identity token: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
    );
    let dir = TempDir::new();
    let missing = dir.path().join("missing-token");
    let unreadable = err(&WebIdentityProvider::new(&config(&[
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            missing.to_str().expect("utf-8"),
        ),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"),
    ])));
    assert!(
        unreadable.to_string().contains("cannot be read"),
        "{unreadable}"
    );
}

#[test]
fn the_default_chain_order_and_what_it_found() {
    let home = TempDir::new();
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = S\n",
    );
    let both = [
        ("HOME", home.str()),
        ("AWS_ACCESS_KEY_ID", "ENV"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
    ];
    assert_eq!(ok(&default_chain(&config(&both))).access_key_id(), "ENV");
    assert_eq!(
        ok(&default_chain(&config(&both[..1]))).access_key_id(),
        "PROFILE"
    );

    // Nothing configured: each source says what it found.
    let empty = TempDir::new();
    let nothing = format!("http://127.0.0.1:{}", closed_port());
    let error = err(&default_chain(&config(&[
        ("HOME", empty.str()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &nothing),
    ])));
    let CredentialsError::NoneFound { tried } = &error else {
        panic!("{error}")
    };
    let sources: Vec<&str> = tried.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        sources,
        [
            "environment",
            "profile `default`",
            "web identity token",
            "ECS container",
            "EC2 instance metadata"
        ]
    );
    let message = error.to_string();
    assert!(message.starts_with("no credentials found: environment: AWS_ACCESS_KEY_ID is not set; profile `default`: the shared files define no profile `default` ("), "{message}");
    assert!(message.contains("; web identity token: AWS_WEB_IDENTITY_TOKEN_FILE is not set; ECS container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set; EC2 instance metadata: no instance metadata service answers at "), "{message}");
    assert!(!message.contains('\n'));

    // ECS before IMDS.
    let ecs = ecs_server("t");
    let imds = imds_server(200, Some("r"));
    let chain = default_chain(&config(&[
        ("HOME", empty.str()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &ecs.url()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url()),
    ]));
    assert_eq!(ok(&chain).access_key_id(), "ECS");
    assert!(imds.received().is_empty());
}

#[test]
fn credential_source_and_region() {
    let home = TempDir::new();
    home.write(
        ".aws/config",
        "[default]\nregion = eu-central-1\n[profile bad]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Somewhere\n",
    );
    let bad = ProfileProvider::new(&config(&[("HOME", home.str()), ("AWS_PROFILE", "bad")]));
    assert!(err(&bad)
        .to_string()
        .contains("credential_source `Somewhere`: it must be Environment"));
    let env = Env::from_vars([("HOME", home.str())]);
    let region = smithy_client::region::from_env(&env, None)
        .expect("reads")
        .expect("a region");
    assert_eq!(region.name, "eu-central-1");
    let env = Env::from_vars([("HOME", home.str()), ("AWS_REGION", "sa-east-1")]);
    assert_eq!(
        smithy_client::region::from_env(&env, None)
            .expect("reads")
            .map(|r| r.name)
            .as_deref(),
        Some("sa-east-1")
    );
}
