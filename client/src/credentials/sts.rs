//! The STS calls behind assumed roles, through the generated STS crate (`generated/sts`) and
//! the generic call path ([`call::send`]): `AssumeRole`, signed with the source credentials,
//! and `AssumeRoleWithWebIdentity`, sent unsigned (its model says `@auth([])`).
//!
//! - Region: the [`ProviderConfig`]'s, else the environment's and the profile's
//!   ([`region::from_sources`]), else `us-east-1` (where STS's global endpoint is).
//! - Endpoint: STS's endpoint rules for that region, FIPS (`AWS_USE_FIPS_ENDPOINT`,
//!   `use_fips_endpoint`) and dual-stack (`AWS_USE_DUALSTACK_ENDPOINT`,
//!   `use_dualstack_endpoint`) as configured, the global endpoint for the regions it served
//!   when `AWS_STS_REGIONAL_ENDPOINTS` (or `sts_regional_endpoints`) is `legacy` (the default
//!   is `regional`), and a configured endpoint URL
//!   ([`endpoint_url::configured`]: `AWS_ENDPOINT_URL_STS`, ...) when there is one.
//! - Transport: the [`ProviderConfig`]'s.

use std::time::SystemTime;

use sts::operations::{AssumeRole, AssumeRoleWithWebIdentity};
use sts::types::{AssumeRoleRequest, AssumeRoleWithWebIdentityRequest};

use super::web_identity::default_session_name;
use super::{Credentials, ProviderConfig};
use crate::call::{self, CallError};
use crate::endpoint_url;
use crate::profile::ProfileSet;
use crate::region;

/// What assuming a role takes besides the credentials to sign with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleRequest {
    /// The role's ARN.
    pub role_arn: String,
    /// The session name (else a generated one).
    pub session_name: Option<String>,
    /// The external ID the role's trust policy asks for.
    pub external_id: Option<String>,
    /// How long the credentials last, in seconds (else STS's default, one hour).
    pub duration_seconds: Option<i32>,
}

/// A boolean setting: the environment variable, else the profile's property.
fn flag(config: &ProviderConfig, profiles: &ProfileSet, var: &str, property: &str) -> Option<bool> {
    let text = config
        .env
        .get(var)
        .or_else(|| profiles.selected_property(property).map(str::to_owned))?;
    Some(text.trim().eq_ignore_ascii_case("true"))
}

/// The region to call STS in, and its endpoint config.
fn endpoint_config(
    config: &ProviderConfig,
    profiles: &ProfileSet,
) -> (String, sts::endpoint::Config) {
    let region = config
        .region
        .clone()
        .or_else(|| region::from_sources(&config.env, profiles).map(|r| r.name))
        .unwrap_or_else(|| "us-east-1".to_owned());
    let mut endpoint = sts::endpoint::Config::default();
    endpoint.region = Some(region.clone());
    endpoint.endpoint_url = endpoint_url::configured(&config.env, profiles, "STS");
    endpoint.use_fips = flag(
        config,
        profiles,
        "AWS_USE_FIPS_ENDPOINT",
        "use_fips_endpoint",
    );
    endpoint.use_dual_stack = flag(
        config,
        profiles,
        "AWS_USE_DUALSTACK_ENDPOINT",
        "use_dualstack_endpoint",
    );
    endpoint.use_global_endpoint = config
        .env
        .get("AWS_STS_REGIONAL_ENDPOINTS")
        .or_else(|| {
            profiles
                .selected_property("sts_regional_endpoints")
                .map(str::to_owned)
        })
        .map(|v| v.trim().eq_ignore_ascii_case("legacy"));
    (region, endpoint)
}

/// The credentials STS gave, or why there are none.
fn credentials(
    given: Option<sts::types::Credentials>,
    operation: &str,
) -> Result<Credentials, String> {
    let given = given.ok_or_else(|| format!("STS {operation} answered without credentials"))?;
    let expiration = SystemTime::try_from(given.expiration)
        .map_err(|_| format!("STS {operation} answered an expiration out of range"))?;
    Ok(Credentials::new(
        given.access_key_id,
        given.secret_access_key,
        Some(given.session_token),
    )
    .with_expiry(expiration))
}

/// A call's error as one line (the operation's name is in it).
fn message<E: std::fmt::Display>(error: CallError<E>) -> String {
    format!("STS {error}")
}

/// `AssumeRole` for `role`, signed with `source`.
pub(crate) async fn assume_role(
    config: &ProviderConfig,
    profiles: &ProfileSet,
    source: &Credentials,
    role: &RoleRequest,
) -> Result<Credentials, String> {
    let session = role
        .session_name
        .clone()
        .unwrap_or_else(|| default_session_name(config));
    let mut input = AssumeRoleRequest::new(role.role_arn.clone(), session);
    input.external_id = role.external_id.clone();
    input.duration_seconds = role.duration_seconds;
    let (region, endpoint_config) = endpoint_config(config, profiles);
    let endpoint = sts::endpoint::resolve(&AssumeRole::endpoint_params(&input, &endpoint_config))
        .map_err(|e| format!("STS AssumeRole: no endpoint: {e}"))?;
    let output = call::send::<AssumeRole>(
        &*config.transport,
        &input,
        &endpoint,
        Some(&region),
        Some(source),
        config.clock.now(),
    )
    .await
    .map_err(message)?;
    credentials(output.credentials, "AssumeRole")
}

/// `AssumeRoleWithWebIdentity` for `role` with `token`, unsigned.
pub(crate) async fn assume_role_with_web_identity(
    config: &ProviderConfig,
    profiles: &ProfileSet,
    role: &RoleRequest,
    token: &str,
) -> Result<Credentials, String> {
    let session = role
        .session_name
        .clone()
        .unwrap_or_else(|| default_session_name(config));
    let mut input = AssumeRoleWithWebIdentityRequest::new(role.role_arn.clone(), session, token);
    input.duration_seconds = role.duration_seconds;
    let (region, endpoint_config) = endpoint_config(config, profiles);
    let endpoint = sts::endpoint::resolve(&AssumeRoleWithWebIdentity::endpoint_params(
        &input,
        &endpoint_config,
    ))
    .map_err(|e| format!("STS AssumeRoleWithWebIdentity: no endpoint: {e}"))?;
    let output = call::send::<AssumeRoleWithWebIdentity>(
        &*config.transport,
        &input,
        &endpoint,
        Some(&region),
        None,
        config.clock.now(),
    )
    .await
    .map_err(message)?;
    credentials(output.credentials, "AssumeRoleWithWebIdentity")
}
