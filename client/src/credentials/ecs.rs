//! ECS (and EKS Pod Identity) container credentials: a `GET` of a local HTTP endpoint.
//!
//! - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on `http://169.254.170.2` (the ECS
//!   agent). It wins over the full URI.
//! - `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https://` URL, or an `http://` one whose host is
//!   a loopback address, the ECS address `169.254.170.2` or the EKS Pod Identity addresses
//!   `169.254.170.23` and `fd00:ec2::23`. A host name must resolve to such addresses only (all
//!   of them), as the SDKs require, so the credentials never leave the machine in clear text.
//! - The `Authorization` header: the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
//!   (read on every load: the agent rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! The answer is JSON: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`; an error answer
//! may carry `code` and `message`, which the error repeats.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::sync::Arc;

use smithy_runtime::http::HttpRequest;

use super::{document, Credentials, CredentialsError, ProvideCredentials, ProviderConfig};
use crate::env::Env;
use crate::future::{offload, BoxFuture};
use crate::transport::std_http::parse_http_url;
use crate::transport::HttpTransport;

/// The source's name in messages.
const SOURCE: &str = "ECS container";
/// Where a relative URI points.
pub const ECS_HOST: &str = "http://169.254.170.2";

/// Credentials from the container credentials endpoint (see the [module](self) docs).
#[derive(Debug, Clone)]
pub struct EcsProvider {
    env: Env,
    transport: Arc<dyn HttpTransport>,
    relative_base: String,
}

impl EcsProvider {
    /// Reads `config`'s environment, sending through its metadata transport.
    pub fn new(config: &ProviderConfig) -> Self {
        EcsProvider {
            env: config.env.clone(),
            transport: Arc::clone(&config.metadata_transport),
            relative_base: ECS_HOST.to_owned(),
        }
    }

    /// Resolves a relative URI against `base` instead of [`ECS_HOST`] (for tests and
    /// emulators).
    pub fn with_relative_base(mut self, base: impl Into<String>) -> Self {
        self.relative_base = base.into();
        self
    }

    /// The URL to ask, or why there is none.
    async fn url(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let slash = if relative.starts_with('/') { "" } else { "/" };
            return Ok(format!(
                "{}{slash}{relative}",
                self.relative_base.trim_end_matches('/')
            ));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let fail = |why: String| {
            CredentialsError::failed(SOURCE, format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {why}"))
        };
        if full
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        {
            return Ok(full);
        }
        let url = parse_http_url(&full).map_err(|e| fail(format!("is not usable: {e}")))?;
        let (host, port) = (url.host.to_owned(), url.port);
        if let Ok(ip) = host.parse::<IpAddr>() {
            return if allowed(ip) {
                Ok(full)
            } else {
                Err(fail(format!(
                    "names {ip}: an http:// URL must be a loopback, ECS (169.254.170.2) or EKS (169.254.170.23, fd00:ec2::23) address"
                )))
            };
        }
        let lookup = host.clone();
        let addresses: Vec<IpAddr> = offload(move || {
            (lookup.as_str(), port)
                .to_socket_addrs()
                .map(|addresses| addresses.map(|a| a.ip()).collect())
        })
        .await
        .map_err(|e| fail(format!("could not be checked: {e}")))?
        .map_err(|e| fail(format!("names `{host}`, which does not resolve: {e}")))?;
        if addresses.is_empty() || !addresses.iter().all(|ip| allowed(*ip)) {
            return Err(fail(format!(
                "names `{host}`, which resolves to an address that is not a loopback, ECS or EKS one: an http:// URL must stay on the machine"
            )));
        }
        Ok(full)
    }

    /// The `Authorization` header's value, if any.
    fn token(&self) -> Result<Option<String>, CredentialsError> {
        let token = if let Some(file) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                CredentialsError::failed(
                    SOURCE,
                    format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {file}: cannot be read: {e}"),
                )
            })?;
            Some(text.trim().to_owned())
        } else {
            self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        };
        match token {
            Some(token) if token.contains(['\r', '\n']) => Err(CredentialsError::failed(
                SOURCE,
                "the authorization token holds a line break",
            )),
            other => Ok(other),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let url = self.url().await?;
        let token = self.token()?;
        let mut request = HttpRequest {
            method: "GET".to_owned(),
            uri: url.clone(),
            headers: vec![("Accept".to_owned(), "application/json".to_owned())],
            ..HttpRequest::default()
        };
        if let Some(token) = token {
            request.headers.push(("Authorization".to_owned(), token));
        }
        let fail = |why: String| CredentialsError::failed(SOURCE, why);
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let map = document::object(&response.body);
        if !response.is_success() {
            let detail = map
                .ok()
                .map(|map| {
                    let code = document::string(&map, "code")
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                        .to_owned();
                    let message = document::string(&map, "message")
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                        .to_owned();
                    format!(" {code} {message}").trim_end().to_owned()
                })
                .unwrap_or_default();
            return Err(fail(format!(
                "GET {url} answered {}{detail}",
                response.status
            )));
        }
        document::credentials(&map.map_err(fail)?, &document::METADATA)
            .map_err(|why| fail(format!("GET {url}: {why}")))
    }
}

/// Whether an `http://` container credentials URL may point at `ip`.
fn allowed(ip: IpAddr) -> bool {
    const ECS: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
    const EKS: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
    const EKS_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23);
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4 == ECS || v4 == EKS,
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6 == EKS_V6
                || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

impl ProvideCredentials for EcsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_addresses() {
        for ip in [
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "169.254.170.2",
            "169.254.170.23",
            "fd00:ec2::23",
        ] {
            assert!(allowed(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["10.0.0.1", "169.254.169.254", "8.8.8.8", "fd00:ec2::254"] {
            assert!(!allowed(ip.parse().expect("ip")), "{ip}");
        }
    }
}
