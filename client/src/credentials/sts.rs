//! The STS calls behind assumed roles: `AssumeRole` (signed with the source credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned).
//!
//! NOT WIRED YET: the generated STS crate (`generated/sts`) has not landed in this branch, and
//! these calls go only through it. Until it does, both return an error saying so.

use super::{Credentials, ProviderConfig};
use crate::profile::ProfileSet;

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

const NOT_WIRED: &str =
    "is not wired yet: the generated STS crate (generated/sts) is not part of this build";

/// `AssumeRole` for `role`, signed with `source`.
pub(crate) async fn assume_role(
    _config: &ProviderConfig,
    _profiles: &ProfileSet,
    _source: &Credentials,
    role: &RoleRequest,
) -> Result<Credentials, String> {
    let _session = role
        .session_name
        .clone()
        .unwrap_or_else(|| super::web_identity::default_session_name(_config));
    Err(format!("STS AssumeRole of {} {NOT_WIRED}", role.role_arn))
}

/// `AssumeRoleWithWebIdentity` for `role` with `token`.
pub(crate) async fn assume_role_with_web_identity(
    _config: &ProviderConfig,
    _profiles: &ProfileSet,
    role: &RoleRequest,
    _token: &str,
) -> Result<Credentials, String> {
    Err(format!(
        "STS AssumeRoleWithWebIdentity of {} {NOT_WIRED}",
        role.role_arn
    ))
}
