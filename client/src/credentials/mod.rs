//! Credentials from the standard sources, in the AWS SDKs' default order, cached and refreshed
//! before they expire.
//!
//! | source | provider | configured by |
//! | --- | --- | --- |
//! | environment | [`EnvironmentProvider`] | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` |
//! | shared files | [`ProfileProvider`] | `AWS_PROFILE`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`: static keys, `credential_process`, `role_arn` with `source_profile` / `credential_source` (STS `AssumeRole`, chained, loops refused), `role_arn` with `web_identity_token_file` |
//! | web identity | [`WebIdentityProvider`] | `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` (STS `AssumeRoleWithWebIdentity`) |
//! | ECS container | [`EcsProvider`] | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN` / `_TOKEN_FILE` |
//! | EC2 instance metadata | [`ImdsProvider`] | IMDSv2; `AWS_EC2_METADATA_SERVICE_ENDPOINT`, `_ENDPOINT_MODE`, `AWS_EC2_METADATA_DISABLED` |
//!
//! [`default_provider`] chains them in that order ([`CredentialsChain`]) behind a
//! [`CachedProvider`]. A source that is not configured is skipped; one that is configured but
//! fails stops the chain with its reason (a broken profile never falls through to the instance
//! role, whose permissions may differ); when none is configured, the error lists each source
//! and what it found.
//!
//! # Why the provider trait is async, with boxed futures
//!
//! [`ProvideCredentials::provide_credentials`] returns a [`BoxFuture`] and names no async
//! runtime. The async client awaits it on tokio with its own transport (hyper, so the STS calls
//! of `AssumeRole` go out over its TLS); the blocking client runs the same providers with
//! [`block_on`](crate::future::block_on) and its blocking transport. One implementation of
//! each source serves both, and the providers never need a second, blocking HTTPS stack inside
//! an async program (which sync providers wrapped in `spawn_blocking` would). The blocking
//! pieces a provider has (a socket of [`StdTransport`](crate::transport::StdTransport), a
//! `credential_process` child) run on a thread of their own ([`offload`](crate::future::offload)),
//! so no provider stalls an executor. The boxing costs an allocation per load, and loads are
//! rare: the cache answers every other call with a clone.

pub mod cache;
pub mod chain;
mod config;
mod document;
pub mod ecs;
pub mod environment;
pub mod imds;
pub mod process;
pub mod profile;
mod sts;
pub mod web_identity;

use std::fmt;
use std::sync::Arc;

pub use smithy_runtime::sigv4::{Credentials, SecretString};

pub use cache::CachedProvider;
pub use chain::{default_chain, default_provider, CredentialsChain};
pub use config::{Clock, ProviderConfig};
pub use ecs::EcsProvider;
pub use environment::EnvironmentProvider;
pub use imds::ImdsProvider;
pub use process::CredentialProcess;
pub use profile::ProfileProvider;
pub use web_identity::WebIdentityProvider;

use crate::future::BoxFuture;

/// A source of credentials.
///
/// Implementations are cheap to call again: the cache ([`CachedProvider`]) decides when to.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Fixed credentials are a provider of themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

/// A provider shared by clients and threads.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }
}

/// Why no credentials came from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source is not configured here (its variables are unset, no instance metadata
    /// service answers): a chain goes on to the next source.
    NotConfigured {
        /// The source (`environment`, `EC2 instance metadata`).
        source: String,
        /// What it found (`AWS_ACCESS_KEY_ID is not set`).
        reason: String,
    },
    /// The source is configured but gave no credentials: a chain stops here.
    Failed {
        /// The source (`profile \`dev\``).
        source: String,
        /// Why (`/home/u/.aws/config:3: expected a property \`name = value\``).
        message: String,
    },
    /// No source of a chain is configured: each, with what it found.
    NoneFound {
        /// `(source, what it found)`, in the chain's order.
        tried: Vec<(String, String)>,
    },
}

impl CredentialsError {
    /// The source `source` is not configured, because `reason`.
    pub fn not_configured(source: impl Into<String>, reason: impl Into<String>) -> Self {
        CredentialsError::NotConfigured {
            source: source.into(),
            reason: reason.into(),
        }
    }

    /// The source `source` failed, because `message`.
    pub fn failed(source: impl Into<String>, message: impl Into<String>) -> Self {
        CredentialsError::Failed {
            source: source.into(),
            message: message.into(),
        }
    }

    /// Whether the source is simply not configured (a chain skips it).
    pub fn is_not_configured(&self) -> bool {
        matches!(self, CredentialsError::NotConfigured { .. })
    }

    /// The same error as a failure (a source that a profile names must work).
    pub(crate) fn into_failure(self) -> Self {
        match self {
            CredentialsError::NotConfigured { source, reason } => CredentialsError::Failed {
                source,
                message: reason,
            },
            other => other,
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotConfigured { source, reason } => {
                write!(f, "credentials from {source}: {reason}")
            }
            CredentialsError::Failed { source, message } => {
                write!(f, "credentials from {source}: {message}")
            }
            CredentialsError::NoneFound { tried } => {
                f.write_str("no credentials found")?;
                for (i, (source, found)) in tried.iter().enumerate() {
                    let sep = if i == 0 { ": " } else { "; " };
                    write!(f, "{sep}{source}: {found}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CredentialsError {}
