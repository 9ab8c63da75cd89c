//! Web identity: a token file (Kubernetes service account, GitHub Actions OIDC) exchanged for a
//! role's credentials through STS `AssumeRoleWithWebIdentity`, an unsigned call.
//!
//! From the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (both needed),
//! `AWS_ROLE_SESSION_NAME` (else a generated one). From a profile: `web_identity_token_file`,
//! `role_arn` and `role_session_name` ([`ProfileProvider`](super::ProfileProvider)). The file is
//! read on every load: the token in it is rotated.

use std::time::UNIX_EPOCH;

use super::sts::{self, RoleRequest};
use super::{Credentials, CredentialsError, ProvideCredentials, ProviderConfig};
use crate::future::BoxFuture;
use crate::profile::ProfileSet;

/// The source's name in messages.
const SOURCE: &str = "web identity token";

/// Credentials for the role `AWS_ROLE_ARN` in exchange for the token in
/// `AWS_WEB_IDENTITY_TOKEN_FILE` (see the [module](self) docs).
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    config: ProviderConfig,
}

impl WebIdentityProvider {
    /// Reads `config`'s environment.
    pub fn new(config: &ProviderConfig) -> Self {
        WebIdentityProvider {
            config: config.clone(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.config.env;
        let (file, role_arn) = match (
            env.get("AWS_WEB_IDENTITY_TOKEN_FILE"),
            env.get("AWS_ROLE_ARN"),
        ) {
            (Some(file), Some(role)) => (file, role),
            (None, None) => {
                return Err(CredentialsError::not_configured(
                    SOURCE,
                    "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                ))
            }
            (Some(_), None) => {
                return Err(CredentialsError::failed(
                    SOURCE,
                    "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
                ))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::not_configured(
                    SOURCE,
                    "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not",
                ))
            }
        };
        let profiles = ProfileSet::load_profile(env, self.config.profile.as_deref())
            .map_err(|e| CredentialsError::failed(SOURCE, e.to_string()))?;
        let role = RoleRequest {
            role_arn,
            session_name: env.get("AWS_ROLE_SESSION_NAME"),
            external_id: None,
            duration_seconds: None,
        };
        exchange(&self.config, &profiles, &file, &role)
            .await
            .map_err(|why| CredentialsError::failed(SOURCE, why))
    }
}

/// Reads the token in `file` and exchanges it for `role`'s credentials.
pub(crate) async fn exchange(
    config: &ProviderConfig,
    profiles: &ProfileSet,
    file: &str,
    role: &RoleRequest,
) -> Result<Credentials, String> {
    let path = config.env.expand_home(file).ok_or_else(|| {
        format!("the token file {file} is in the home directory, and there is none")
    })?;
    let token = std::fs::read_to_string(&path)
        .map_err(|e| format!("the token file {} cannot be read: {e}", path.display()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(format!("the token file {} is empty", path.display()));
    }
    sts::assume_role_with_web_identity(config, profiles, role, token).await
}

/// A session name for a role assumed without one: `smithy-client-` and the time in
/// milliseconds.
pub(crate) fn default_session_name(config: &ProviderConfig) -> String {
    let millis = config
        .clock
        .now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    format!("smithy-client-{millis}")
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
