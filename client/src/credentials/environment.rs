//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use super::{Credentials, CredentialsError, ProvideCredentials, ProviderConfig};
use crate::env::Env;
use crate::future::BoxFuture;

/// The source's name in messages.
pub(crate) const SOURCE: &str = "environment";

/// Credentials from the environment variables `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
/// and (for temporary credentials) `AWS_SESSION_TOKEN`. Not configured when
/// `AWS_ACCESS_KEY_ID` is unset; a key ID without its secret is an error.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads `config`'s environment.
    pub fn new(config: &ProviderConfig) -> Self {
        EnvironmentProvider {
            env: config.env.clone(),
        }
    }

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(key_id) = self.env.get("AWS_ACCESS_KEY_ID") else {
            let reason = if self.env.get("AWS_SECRET_ACCESS_KEY").is_some() {
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
            } else {
                "AWS_ACCESS_KEY_ID is not set"
            };
            return Err(CredentialsError::not_configured(SOURCE, reason));
        };
        let Some(secret) = self.env.get("AWS_SECRET_ACCESS_KEY") else {
            return Err(CredentialsError::failed(
                SOURCE,
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        };
        Ok(Credentials::new(
            key_id.trim(),
            secret.trim(),
            self.env
                .get("AWS_SESSION_TOKEN")
                .map(|t| t.trim().to_owned()),
        ))
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let loaded = self.load();
        Box::pin(async move { loaded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(vars: &[(&str, &str)]) -> EnvironmentProvider {
        EnvironmentProvider::new(
            &ProviderConfig::new().with_env(Env::from_vars(vars.iter().copied())),
        )
    }

    #[test]
    fn variables() {
        let credentials = provider(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ])
        .load()
        .expect("credentials");
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.secret_access_key().expose(), "SECRET");
        assert_eq!(
            credentials.session_token().map(|t| t.expose()),
            Some("TOKEN")
        );
        assert_eq!(credentials.expires_at(), None);
        let debug = format!("{credentials:?}");
        assert!(
            !debug.contains("SECRET") && !debug.contains("TOKEN"),
            "{debug}"
        );

        let absent = provider(&[]).load().expect_err("absent");
        assert!(absent.is_not_configured());
        assert_eq!(
            absent.to_string(),
            "credentials from environment: AWS_ACCESS_KEY_ID is not set"
        );
        let half = provider(&[("AWS_ACCESS_KEY_ID", "AKID")])
            .load()
            .expect_err("half");
        assert!(!half.is_not_configured());
        assert_eq!(
            half.to_string(),
            "credentials from environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        );
    }
}
