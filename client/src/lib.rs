//! The I/O side of the crates `smithy-codegen` generates: what reads files, the environment
//! and the network, kept apart from the sans-IO runtime (`smithy-runtime`), which stays usable
//! on its own.
//!
//! - [`credentials`] (feature `credentials`, on by default): credentials from the standard
//!   sources in the AWS SDKs' default order, cached and refreshed before they expire.
//! - [`region`]: the region from `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile.
//! - [`profile`]: the shared `config` and `credentials` files.
//! - [`endpoint_url`]: endpoint URLs configured in the environment or the profile.
//! - [`transport`]: the small trait a transport implements, a plain-HTTP/1.1 one over
//!   `std::net` for `http://` URLs (the metadata services, local servers), and (feature
//!   `hyper`) `HyperTransport`: HTTPS and HTTP on tokio + hyper + rustls, with connection reuse.
//! - [`call`]: one operation call over a transport (encode, endpoint, sign, send, decode):
//!   the seed of the client.
//! - [`env`](mod@env) and [`future`]: the injectable environment every provider reads, and the runtime-free
//!   async pieces (`block_on`, `offload`).
//!
//! The client (one `send::<Op>` per call with retries, timeouts and tracing) grows from
//! [`call::send`] in a `client` module beside these, with its transports (hyper + rustls, a
//! blocking one) behind features of their own implementing [`transport::HttpTransport`]; the
//! credentials providers then reach STS over TLS through the same transport.
//!
//! ```no_run
//! use smithy_client::credentials::{default_provider, ProviderConfig, ProvideCredentials};
//! use smithy_client::future::block_on;
//!
//! let provider = default_provider(&ProviderConfig::new());
//! match block_on(provider.provide_credentials()) {
//!     Ok(credentials) => println!("access key {}", credentials.access_key_id()),
//!     Err(error) => eprintln!("{error}"),
//! }
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod call;
#[cfg(feature = "credentials")]
pub mod credentials;
pub mod endpoint_url;
pub mod env;
pub mod future;
pub mod profile;
pub mod region;
pub mod transport;
