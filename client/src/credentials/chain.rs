//! Trying sources in order: the first that is configured gives the credentials (or its error).

use super::{
    CachedProvider, Credentials, CredentialsError, EcsProvider, EnvironmentProvider, ImdsProvider,
    ProfileProvider, ProvideCredentials, ProviderConfig, SharedCredentialsProvider,
    WebIdentityProvider,
};
use crate::future::BoxFuture;

/// Sources tried in order. A source that is [not configured](CredentialsError::NotConfigured)
/// is skipped; the first other answer (credentials, or a failure) is the chain's. When every
/// source is skipped, the error is [`CredentialsError::NoneFound`] with what each found.
#[derive(Clone, Debug, Default)]
pub struct CredentialsChain {
    sources: Vec<SharedCredentialsProvider>,
}

impl CredentialsChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `provider` at the end.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.sources.push(SharedCredentialsProvider::new(provider));
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for source in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(CredentialsError::NotConfigured { source, reason }) => {
                    tried.push((source, reason));
                }
                Err(CredentialsError::NoneFound { tried: inner }) => tried.extend(inner),
                Err(failure) => return Err(failure),
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The AWS SDKs' default sources, in their order, uncached: the environment, the shared
/// profile files, web identity from the environment, ECS container credentials, and EC2
/// instance metadata.
pub fn default_chain(config: &ProviderConfig) -> CredentialsChain {
    CredentialsChain::new()
        .or_else(EnvironmentProvider::new(config))
        .or_else(ProfileProvider::new(config))
        .or_else(WebIdentityProvider::new(config))
        .or_else(EcsProvider::new(config))
        .or_else(ImdsProvider::new(config))
}

/// The default chain behind a [`CachedProvider`] on `config`'s clock: what a client uses when
/// given no credentials.
pub fn default_provider(config: &ProviderConfig) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(
        CachedProvider::new(default_chain(config)).with_clock(config.clock.clone()),
    )
}
