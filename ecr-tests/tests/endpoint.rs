//! The generated ECR crate's endpoint module: params from a config, resolved by ECR's rules.

use ecr::endpoint::{self, Config, Params};
use ecr::operations::DescribeImages;
use ecr::types::DescribeImagesRequest;

fn config(region: &str) -> Config {
    let mut config = Config::default();
    config.region = Some(region.to_owned());
    config
}

#[test]
fn resolves_a_region() {
    let params = Params::from_config(&config("us-east-1"));
    assert_eq!(params.region.as_deref(), Some("us-east-1"));
    assert!(!params.use_fips && !params.use_dual_stack);
    let endpoint = endpoint::resolve(&params).expect("an endpoint");
    assert_eq!(endpoint.url, "https://api.ecr.us-east-1.amazonaws.com");
}

#[test]
fn fips_dual_stack_and_other_partitions() {
    let mut c = config("us-gov-west-1");
    c.use_fips = Some(true);
    let endpoint = endpoint::resolve(&Params::from_config(&c)).expect("an endpoint");
    assert_eq!(
        endpoint.url,
        "https://api.ecr-fips.us-gov-west-1.amazonaws.com"
    );
    let endpoint =
        endpoint::resolve(&Params::from_config(&config("cn-north-1"))).expect("an endpoint");
    assert_eq!(endpoint.url, "https://api.ecr.cn-north-1.amazonaws.com.cn");
    // A region no table lists yet resolves by its partition's pattern.
    let endpoint =
        endpoint::resolve(&Params::from_config(&config("us-west-9"))).expect("an endpoint");
    assert_eq!(endpoint.url, "https://api.ecr.us-west-9.amazonaws.com");
}

#[test]
fn rule_errors_are_the_rules_messages() {
    let mut c = config("us-east-1");
    c.use_fips = Some(true);
    c.endpoint_url = Some("https://example.com".to_owned());
    let error =
        endpoint::resolve(&Params::from_config(&c)).expect_err("FIPS with a custom endpoint");
    assert_eq!(
        error.message(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let error = endpoint::resolve(&Params::default()).expect_err("no region");
    assert!(!error.message().is_empty());
}

#[test]
fn an_operation_without_bindings_takes_the_config() {
    let c = config("eu-west-1");
    assert_eq!(
        DescribeImages::endpoint_params(&DescribeImagesRequest::default(), &c),
        Params::from_config(&c)
    );
}

#[test]
fn a_custom_endpoint_meets_the_request() {
    use smithy_runtime::operation::EncodeRequest;
    let mut c = config("us-east-1");
    c.endpoint_url = Some("https://proxy.example.com/ecr/".to_owned());
    let endpoint = endpoint::resolve(&Params::from_config(&c)).expect("an endpoint");
    let request =
        DescribeImages::encode_request(&DescribeImagesRequest::new("web/app")).expect("a request");
    let (url, headers) = smithy_runtime::endpoint::apply(&request, &endpoint);
    assert_eq!(url, "https://proxy.example.com/ecr/");
    assert_eq!(headers, request.headers);
}
