//! The golden `endpoints` crate: params filled from a config, `@staticContextParams`,
//! `@contextParam` members and `@operationContextParams` paths, then resolved by its rules.

use golden_endpoints::endpoint::{self, Config, Params};
use golden_endpoints::operations::{GetThing, ListThings, Ping, PutThing};
use golden_endpoints::types::{
    Entry, Filter, GetThingInput, Kind, ListThingsInput, Named, PutThingInput, Thing,
};

fn config() -> Config {
    let mut config = Config::default();
    config.region = Some("us-west-2".to_owned());
    config
}

#[test]
fn defaults_and_config() {
    let params = Params::default();
    assert_eq!(
        (
            params.mode.as_str(),
            params.accelerate,
            params.region.as_deref()
        ),
        ("standard", false, None)
    );
    let mut c = config();
    c.accelerate = Some(true);
    c.kind = Some("large".to_owned());
    let params = Params::from_config(&c);
    assert!(params.accelerate);
    assert_eq!(params.kind.as_deref(), Some("large"));
    assert_eq!(Ping::endpoint_params(&(), &c), params);
}

#[test]
fn static_and_context_params() {
    let mut c = config();
    c.accelerate = Some(true);
    c.kind = Some("large".to_owned());
    let mut input = GetThingInput::default();
    input.bucket = Some("my-bucket".to_owned());
    input.kind = Some(Kind::Small);
    let params = GetThing::endpoint_params(&input, &c);
    // Static params override the config, members override both; an unset member keeps it.
    assert_eq!(params.mode, "object");
    assert!(!params.accelerate);
    assert_eq!(params.bucket.as_deref(), Some("my-bucket"));
    assert_eq!(params.kind.as_deref(), Some("small"));
    input.kind = None;
    assert_eq!(
        GetThing::endpoint_params(&input, &c).kind.as_deref(),
        Some("large")
    );

    let endpoint = endpoint::resolve(&params).expect("an endpoint");
    assert_eq!(
        endpoint.url,
        "https://things.us-west-2.amazonaws.com/my-bucket"
    );
    assert!(endpoint.properties.contains_key("authSchemes"));
}

#[test]
fn operation_context_paths() {
    let mut input = ListThingsInput::default();
    let params = ListThings::endpoint_params(&input, &config());
    assert_eq!(
        (params.tags, params.names, params.bucket),
        (None, None, None)
    );

    let thing = |tag: Option<&str>| {
        let mut t = Thing::default();
        t.tag = tag.map(str::to_owned);
        t
    };
    input.things = Some(vec![thing(Some("a")), thing(None), thing(Some("b"))]);
    input.entries = Some(vec![
        Entry::Named(Named::new("n1")),
        Entry::Kind(Kind::Large),
        Entry::Named(Named::new("n2")),
    ]);
    let mut filter = Filter::default();
    filter.bucket = Some("filtered".to_owned());
    input.filter = Some(filter);
    let params = ListThings::endpoint_params(&input, &config());
    assert_eq!(params.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(
        params.names,
        Some(vec!["n1".to_owned(), "large".to_owned(), "n2".to_owned()])
    );
    assert_eq!(params.bucket.as_deref(), Some("filtered"));
    // An empty list is an empty array, not an unset one.
    input.things = Some(Vec::new());
    assert_eq!(
        ListThings::endpoint_params(&input, &config()).tags,
        Some(Vec::new())
    );

    let mut put = PutThingInput::default();
    put.bucket = "b".to_owned();
    put.labels.insert("x".to_owned(), "1".to_owned());
    put.labels.insert("w".to_owned(), "2".to_owned());
    let params = PutThing::endpoint_params(&put, &config());
    assert_eq!(params.tags, Some(vec!["w".to_owned(), "x".to_owned()]));
    assert_eq!(params.bucket.as_deref(), Some("b"));
}

#[test]
fn rule_errors() {
    let mut c = config();
    c.use_fips = Some(true);
    c.endpoint_url = Some("https://example.com".to_owned());
    let error = endpoint::resolve(&Params::from_config(&c)).expect_err("refused");
    assert_eq!(
        error.message(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let error = endpoint::resolve(&Params::default()).expect_err("no region");
    assert_eq!(error.message(), "Invalid Configuration: Missing Region");
}
