//! Lowering what the model says about authentication: the service's auth traits (`aws.auth#sigv4`
//! and its signing name, `aws.auth#sigv4a`, `smithy.api#http*Auth`, any trait marked
//! `@authDefinition`), the effective schemes of each operation by Smithy's rules (`@auth` on the
//! operation, else `@auth` on the service, else every auth trait of the service sorted by shape
//! ID), `@optionalAuth`, `aws.auth#unsignedPayload`, and S3's signing rules, which follow from the
//! SigV4 signing name.

use serde_json::Value;

use crate::ir::{AuthScheme, OperationAuth, ServiceAuth};
use crate::model::{traits, Model, Shape};
use crate::Error;

/// The auth traits Smithy and AWS define, which models use without declaring them.
const KNOWN_SCHEMES: &[&str] = &[
    traits::SIGV4,
    traits::SIGV4A,
    traits::HTTP_BASIC_AUTH,
    traits::HTTP_DIGEST_AUTH,
    traits::HTTP_BEARER_AUTH,
    traits::HTTP_API_KEY_AUTH,
    "aws.auth#cognitoUserPools",
];

/// The SigV4 signing names of the S3 services, whose requests follow S3's signing rules.
const S3_SIGNING_NAMES: &[&str] = &["s3", "s3-outposts", "s3-object-lambda", "s3express"];

/// The scheme a trait's shape ID names.
fn scheme(id: &str) -> AuthScheme {
    match id {
        traits::SIGV4 => AuthScheme::SigV4,
        traits::SIGV4A => AuthScheme::SigV4a,
        traits::HTTP_BASIC_AUTH => AuthScheme::HttpBasic,
        traits::HTTP_DIGEST_AUTH => AuthScheme::HttpDigest,
        traits::HTTP_BEARER_AUTH => AuthScheme::HttpBearer,
        traits::HTTP_API_KEY_AUTH => AuthScheme::HttpApiKey,
        other => AuthScheme::Other(other.to_owned()),
    }
}

/// Whether the trait `id` defines an auth scheme: one Smithy or AWS defines, or one the model
/// declares with `@authDefinition`.
fn is_auth_trait(model: &Model, id: &str) -> bool {
    KNOWN_SCHEMES.contains(&id) || model.shape(id).is_some_and(|s| s.has_trait(traits::AUTH_DEFINITION))
}

/// The `name` of a SigV4 or SigV4a trait on the service.
fn signing_name(model: &Model, service: &Shape, trait_id: &str) -> Result<Option<String>, Error> {
    let Some(value) = service.traits.get(trait_id) else { return Ok(None) };
    match value.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => Ok(Some(name.to_owned())),
        _ => {
            Err(model
                .error(&service.id, format!("trait `{trait_id}` needs a non-empty string `name` (the signing name)")))
        }
    }
}

/// The schemes an `@auth` trait lists, each checked to be an auth trait applied to the service.
fn auth_list(model: &Model, service: &Shape, shape: &Shape, value: &Value) -> Result<Vec<AuthScheme>, Error> {
    let bad = |message: String| model.error(&shape.id, message);
    let Some(items) = value.as_array() else {
        return Err(bad("trait `smithy.api#auth` must be a list of auth trait shape IDs".to_owned()));
    };
    let mut out: Vec<AuthScheme> = Vec::new();
    for item in items {
        let Some(id) = item.as_str() else {
            return Err(bad("trait `smithy.api#auth` must be a list of auth trait shape IDs".to_owned()));
        };
        if !service.has_trait(id) || !is_auth_trait(model, id) {
            return Err(bad(format!(
                "`@auth` names `{id}`, which is not an auth trait applied to the service `{}`",
                service.id
            )));
        }
        let s = scheme(id);
        if out.contains(&s) {
            return Err(bad(format!("`@auth` names `{id}` twice")));
        }
        out.push(s);
    }
    Ok(out)
}

/// Whether the endpoint rules (the `smithy.rules#endpointRuleSet` value) have an `authSchemes`
/// entry named `name`.
fn rules_name_scheme(rules: &Value, name: &str) -> bool {
    let mut stack = vec![rules];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::Array(schemes)) = map.get("authSchemes") {
                    if schemes.iter().any(|s| s.get("name").and_then(Value::as_str) == Some(name)) {
                        return true;
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// The service's auth traits and the schemes its operations inherit.
pub fn service_auth(model: &Model, service: &Shape) -> Result<ServiceAuth, Error> {
    let sigv4_name = signing_name(model, service, traits::SIGV4)?;
    let sigv4a_name = signing_name(model, service, traits::SIGV4A)?;
    let schemes = match service.traits.get(traits::AUTH) {
        Some(value) => auth_list(model, service, service, value)?,
        // `Traits` is sorted by shape ID: Smithy's order when there is no `@auth`.
        None => service.traits.keys().filter(|id| is_auth_trait(model, id)).map(|id| scheme(id)).collect(),
    };
    let s3_signing = sigv4_name.as_deref().is_some_and(|name| S3_SIGNING_NAMES.contains(&name));
    let rules = service.traits.get(traits::ENDPOINT_RULE_SET);
    let sigv4a_possible = sigv4a_name.is_some() || rules.is_some_and(|r| rules_name_scheme(r, "sigv4a"));
    Ok(ServiceAuth { sigv4_name, sigv4a_name, schemes, s3_signing, sigv4a_possible })
}

/// The effective auth of the operation `op` of `service`.
pub fn operation_auth(model: &Model, service: &Shape, auth: &ServiceAuth, op: &Shape) -> Result<OperationAuth, Error> {
    let schemes = match op.traits.get(traits::AUTH) {
        Some(value) => auth_list(model, service, op, value)?,
        None => auth.schemes.clone(),
    };
    Ok(OperationAuth {
        schemes,
        optional: op.has_trait(traits::OPTIONAL_AUTH),
        unsigned_payload: op.has_trait(traits::UNSIGNED_PAYLOAD),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lower(model: Value) -> Result<crate::ir::Crate, Error> {
        let bytes = serde_json::to_vec(&model).unwrap_or_default();
        let model = crate::load("test.json", &bytes)?;
        let settings = crate::Settings {
            version: None,
            crate_name: None,
            runtime_path: "rt".into(),
            standalone: true,
            service: None,
            partitions: None,
        };
        crate::lower::lower(&model, &settings)
    }

    /// A service with `service_traits` and operations `A` (with `a_traits`) and `B` (none).
    fn model(service_traits: Value, a_traits: Value) -> Value {
        json!({
            "smithy": "2.0",
            "shapes": {
                "ex#S": {
                    "type": "service",
                    "version": "1",
                    "operations": [{"target": "ex#A"}, {"target": "ex#B"}],
                    "traits": service_traits,
                },
                "ex#A": {"type": "operation", "traits": a_traits},
                "ex#B": {"type": "operation"},
                "ex#fooAuth": {"type": "structure", "traits": {"smithy.api#trait": {}, "smithy.api#authDefinition": {}}},
            }
        })
    }

    fn op<'k>(krate: &'k crate::ir::Crate, name: &str) -> &'k OperationAuth {
        &krate.operations.iter().find(|o| o.name == name).expect("the operation").auth
    }

    #[test]
    fn without_auth_every_auth_trait_of_the_service_in_shape_id_order() {
        let krate = lower(model(
            json!({"smithy.api#httpBearerAuth": {}, "aws.auth#sigv4": {"name": "svc"}, "ex#fooAuth": {}, "aws.protocols#restJson1": {}}),
            json!({}),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let auth = &krate.service.auth;
        assert_eq!(auth.sigv4_name.as_deref(), Some("svc"));
        assert_eq!(auth.schemes, [AuthScheme::SigV4, AuthScheme::Other("ex#fooAuth".into()), AuthScheme::HttpBearer]);
        assert!(!auth.s3_signing && !auth.sigv4a_possible);
        assert_eq!(op(&krate, "A").schemes, auth.schemes);
    }

    #[test]
    fn service_auth_gives_the_order_and_operation_auth_overrides_it() {
        let krate = lower(model(
            json!({"smithy.api#httpBearerAuth": {}, "aws.auth#sigv4": {"name": "svc"},
                   "smithy.api#auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4"]}),
            json!({"smithy.api#auth": ["aws.auth#sigv4"], "aws.auth#unsignedPayload": {}}),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(krate.service.auth.schemes, [AuthScheme::HttpBearer, AuthScheme::SigV4]);
        assert_eq!(op(&krate, "B").schemes, [AuthScheme::HttpBearer, AuthScheme::SigV4]);
        let a = op(&krate, "A");
        assert_eq!(a.schemes, [AuthScheme::SigV4]);
        assert!(a.unsigned_payload && !a.optional);
    }

    #[test]
    fn empty_auth_and_optional_auth() {
        let krate = lower(model(
            json!({"aws.auth#sigv4": {"name": "svc"}}),
            json!({"smithy.api#auth": [], "smithy.api#optionalAuth": {}}),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let a = op(&krate, "A");
        assert!(a.schemes.is_empty() && a.optional);
        assert_eq!(op(&krate, "B").schemes, [AuthScheme::SigV4]);
    }

    #[test]
    fn s3_rules_and_sigv4a_follow_from_the_model() {
        let rules = json!({"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint", "conditions": [],
            "endpoint": {"url": "https://example.com", "properties": {"authSchemes": [{"name": "sigv4a", "signingName": "s3", "signingRegionSet": ["*"]}]}}}]});
        let krate =
            lower(model(json!({"aws.auth#sigv4": {"name": "s3"}, "smithy.rules#endpointRuleSet": rules}), json!({})))
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(krate.service.auth.s3_signing && krate.service.auth.sigv4a_possible);
        let krate =
            lower(model(json!({"aws.auth#sigv4": {"name": "s3x"}, "aws.auth#sigv4a": {"name": "s3x"}}), json!({})))
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(!krate.service.auth.s3_signing && krate.service.auth.sigv4a_possible);
        assert_eq!(krate.service.auth.schemes, [AuthScheme::SigV4, AuthScheme::SigV4a]);
    }

    #[test]
    fn bad_auth_traits_are_one_line_errors_naming_the_shape() {
        for (service, a, expected) in [
            (json!({"aws.auth#sigv4": {"name": "svc"}}), json!({"smithy.api#auth": ["smithy.api#httpBearerAuth"]}),
             "shape `ex#A`: `@auth` names `smithy.api#httpBearerAuth`, which is not an auth trait applied to the service `ex#S`"),
            (json!({"aws.auth#sigv4": {"name": "svc"}, "smithy.api#auth": ["aws.auth#sigv4", "aws.auth#sigv4"]}), json!({}),
             "shape `ex#S`: `@auth` names `aws.auth#sigv4` twice"),
            (json!({"aws.auth#sigv4": {}}), json!({}), "shape `ex#S`: trait `aws.auth#sigv4` needs a non-empty string `name`"),
            (json!({"aws.auth#sigv4": {"name": "svc"}}), json!({"smithy.api#auth": "aws.auth#sigv4"}),
             "shape `ex#A`: trait `smithy.api#auth` must be a list"),
        ] {
            let message = lower(model(service, a)).map(|_| ()).expect_err("refused").to_string();
            assert!(message.contains(expected), "{message}");
            assert!(!message.contains('\n'));
        }
    }

    /// The real AWS model `file` (`$SMITHY_MODELS_DIR`, else `shared/models/aws` beside the
    /// repository, else downloaded; missing data fails), lowered.
    fn aws(file: &str) -> crate::ir::Crate {
        let dir = smithy_testdata::require("models/aws");
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let partitions = smithy_testdata::require("reference/endpoints").join("partitions.json");
        let partitions =
            std::fs::read_to_string(&partitions).unwrap_or_else(|e| panic!("{}: {e}", partitions.display()));
        let model = crate::load(file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let settings = crate::Settings {
            version: None,
            crate_name: None,
            runtime_path: "rt".into(),
            standalone: true,
            service: None,
            partitions: Some(partitions),
        };
        crate::lower::lower(&model, &settings).unwrap_or_else(|e| panic!("{e}"))
    }

    fn real_op<'k>(krate: &'k crate::ir::Crate, name: &str) -> &'k OperationAuth {
        &krate.operations.iter().find(|o| o.wire_name == name).unwrap_or_else(|| panic!("no operation {name}")).auth
    }

    #[test]
    fn ecr_signs_every_operation_with_sigv4_as_ecr() {
        let krate = aws("ecr-2015-09-21.json");
        let auth = &krate.service.auth;
        assert_eq!(auth.sigv4_name.as_deref(), Some("ecr"));
        assert_eq!(auth.schemes, [AuthScheme::SigV4]);
        assert!(!auth.s3_signing && !auth.sigv4a_possible);
        assert!(krate.operations.iter().all(|o| o.auth.schemes == [AuthScheme::SigV4] && !o.auth.optional));
        assert!(krate.runtime_features.contains(&"sigv4") && !krate.runtime_features.contains(&"sigv4a"));
    }

    #[test]
    fn s3_follows_s3_s_signing_rules_and_may_be_asked_for_sigv4a() {
        let krate = aws("s3-2006-03-01.json");
        let auth = &krate.service.auth;
        assert_eq!(auth.sigv4_name.as_deref(), Some("s3"));
        assert!(auth.s3_signing, "no double encoding, no normalization, x-amz-content-sha256");
        // The rules give `sigv4a` for multi-region access points; the model has no sigv4a trait.
        assert!(auth.sigv4a_possible && auth.sigv4a_name.is_none());
        assert!(krate.runtime_features.contains(&"sigv4a"));
        let write = real_op(&krate, "WriteGetObjectResponse");
        assert!(write.unsigned_payload);
        assert_eq!(write.schemes, [AuthScheme::SigV4]);
        assert!(!real_op(&krate, "GetObject").unsigned_payload);
        // S3 Control signs as `s3` too.
        assert!(aws("s3-control-2018-08-20.json").service.auth.s3_signing);
    }

    #[test]
    fn sso_oidc_token_operations_go_unsigned() {
        let krate = aws("sso-oidc-2019-06-10.json");
        assert_eq!(krate.service.auth.sigv4_name.as_deref(), Some("sso-oauth"));
        let unsigned: Vec<&str> = krate
            .operations
            .iter()
            .filter(|o| o.auth.schemes.is_empty() && o.auth.optional)
            .map(|o| o.wire_name.as_str())
            .collect();
        assert_eq!(unsigned, ["CreateToken", "RegisterClient", "StartDeviceAuthorization"]);
        assert_eq!(real_op(&krate, "CreateTokenWithIAM").schemes, [AuthScheme::SigV4]);
    }

    #[test]
    fn bedrock_runtime_lists_sigv4_before_bearer() {
        let krate = aws("bedrock-runtime-2023-09-30.json");
        assert_eq!(krate.service.auth.schemes, [AuthScheme::SigV4, AuthScheme::HttpBearer]);
        assert_eq!(krate.service.auth.sigv4_name.as_deref(), Some("bedrock"));
        assert!(real_op(&krate, "Converse").schemes == krate.service.auth.schemes);
    }
}
