//! The generic call path: an ECR operation encoded, sent to its resolved endpoint (here a
//! server on 127.0.0.1 given as the endpoint URL), signed by the model's scheme, and its
//! output and its modelled error decoded.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use ecr::operations::DescribeRepositories;
use ecr::types::DescribeRepositoriesRequest;
use smithy_client::call::{send, CallError};
use smithy_client::future::block_on;
use smithy_client::transport::StdTransport;
use smithy_runtime::sigv4::Credentials;
use support::{Received, Reply, Server};

#[test]
fn an_ecr_call_is_resolved_signed_sent_and_decoded() {
    let server = Server::start(|request: &Received| {
        if request.body_text().contains("missing") {
            let mut reply = Reply::new(
                400,
                r#"{"__type":"RepositoryNotFoundException","message":"The repository 'missing' does not exist"}"#,
            );
            reply
                .headers
                .push(("Content-Type".into(), "application/x-amz-json-1.1".into()));
            return reply;
        }
        Reply::json(
            r#"{"repositories":[{"repositoryName":"web/app","repositoryUri":"1.dkr.ecr.us-west-2.amazonaws.com/web/app"}]}"#,
        )
    });
    let mut config = ecr::endpoint::Config::default();
    config.region = Some("us-west-2".to_owned());
    config.endpoint_url = Some(server.url());
    let input = DescribeRepositoriesRequest::default();
    let endpoint = ecr::endpoint::resolve(&DescribeRepositories::endpoint_params(&input, &config))
        .expect("an endpoint");
    let credentials = Credentials::new("AKIDEXAMPLE", "secret", Some("session".to_owned()));
    let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let transport = StdTransport::new();
    let output = block_on(send::<DescribeRepositories>(
        &transport,
        &input,
        &endpoint,
        Some("us-west-2"),
        Some(&credentials),
        time,
    ))
    .expect("an output");
    let repositories = output.repositories.expect("repositories");
    assert_eq!(repositories[0].repository_name.as_deref(), Some("web/app"));
    let received = &server.received()[0];
    assert_eq!(
        received.header("x-amz-target"),
        Some("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories")
    );
    let authorization = received.header("authorization").expect("signed");
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-west-2/ecr/aws4_request"
        ),
        "{authorization}"
    );
    assert_eq!(received.header("x-amz-security-token"), Some("session"));
    assert_eq!(received.header("x-amz-date"), Some("20231114T221320Z"));

    let mut missing = DescribeRepositoriesRequest::default();
    missing.repository_names = Some(vec!["missing".to_owned()]);
    let error = block_on(send::<DescribeRepositories>(
        &transport,
        &missing,
        &endpoint,
        Some("us-west-2"),
        Some(&credentials),
        time,
    ))
    .expect_err("an error");
    assert!(
        matches!(
            error.service_error(),
            Some(ecr::error::DescribeRepositoriesError::RepositoryNotFoundException(_))
        ),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "DescribeRepositories: RepositoryNotFoundException: The repository 'missing' does not exist"
    );

    // Unsigned is refused for an operation whose model requires signing.
    let error = block_on(send::<DescribeRepositories>(
        &transport,
        &input,
        &endpoint,
        Some("us-west-2"),
        None,
        time,
    ))
    .expect_err("needs credentials");
    assert!(matches!(error, CallError::Build { .. }), "{error}");
}
