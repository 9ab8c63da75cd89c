//! What every provider is built from: where the environment comes from, the transports, the
//! clock, and the profile and region a caller chose.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::env::Env;
use crate::transport::{HttpTransport, StdTransport};

/// The time, as the providers and the cache read it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(Arc::new(SystemTime::now))
    }

    /// A clock reading `now` (tests move time with it).
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    /// The time now.
    pub fn now(&self) -> SystemTime {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

/// The settings every provider takes.
///
/// ```
/// use smithy_client::credentials::ProviderConfig;
/// use smithy_client::env::Env;
///
/// let config = ProviderConfig::new()
///     .with_env(Env::from_vars([("AWS_PROFILE", "dev")]))
///     .with_region("eu-west-1");
/// ```
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    pub(crate) env: Env,
    pub(crate) transport: Arc<dyn HttpTransport>,
    pub(crate) metadata_transport: Arc<dyn HttpTransport>,
    pub(crate) clock: Clock,
    pub(crate) profile: Option<String>,
    pub(crate) region: Option<String>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig::new()
    }
}

impl ProviderConfig {
    /// The process environment, the system clock, [`StdTransport`] for STS (plain HTTP only
    /// until the client's TLS transport: give one with [`ProviderConfig::with_transport`]) and
    /// a [`StdTransport`] with short timeouts (1 s to connect, 2 s to read) for the metadata
    /// services (IMDS, ECS), which a machine outside AWS does not answer.
    pub fn new() -> Self {
        ProviderConfig {
            env: Env::process(),
            transport: Arc::new(StdTransport::new()),
            metadata_transport: Arc::new(
                StdTransport::new()
                    .with_connect_timeout(Duration::from_secs(1))
                    .with_read_timeout(Duration::from_secs(2)),
            ),
            clock: Clock::system(),
            profile: None,
            region: None,
        }
    }

    /// Reads the environment from `env` instead of the process.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends the STS calls (AssumeRole, AssumeRoleWithWebIdentity) through `transport`.
    pub fn with_transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Arc::new(transport);
        self
    }

    /// Sends the instance metadata and ECS requests through `transport`.
    pub fn with_metadata_transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.metadata_transport = Arc::new(transport);
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Uses the profile `name` instead of `AWS_PROFILE` (or `default`).
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Calls STS in `region` instead of the one the environment and profile give.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}
