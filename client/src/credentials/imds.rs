//! EC2 instance metadata (IMDSv2): the instance role's credentials.
//!
//! 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds: 21600` gives a
//!    session token, sent with the next requests as `x-aws-ec2-metadata-token`.
//! 2. `GET /latest/meta-data/iam/security-credentials/` names the instance's role.
//! 3. `GET /latest/meta-data/iam/security-credentials/{role}` gives its credentials (JSON:
//!    `Code`, `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`).
//!
//! Where: `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's
//! `ec2_metadata_service_endpoint`), else by `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (or
//! `ec2_metadata_service_endpoint_mode`): `IPv4` (default) `http://169.254.169.254`, `IPv6`
//! `http://[fd00:ec2::254]`. `AWS_EC2_METADATA_DISABLED=true` turns the source off. A service
//! that does not take the token `PUT` (404, 405) is asked without a token (IMDSv1), unless
//! `AWS_EC2_METADATA_V1_DISABLED` (or the profile's `ec2_metadata_v1_disabled`) is true.
//!
//! A machine with no metadata service (no connection within the metadata transport's timeout)
//! or an instance without a role is "not configured"; 5xx answers and read timeouts are tried
//! up to three times.

use std::sync::Arc;

use smithy_runtime::http::HttpRequest;

use super::{document, Credentials, CredentialsError, ProvideCredentials, ProviderConfig};
use crate::env::Env;
use crate::future::BoxFuture;
use crate::profile::ProfileSet;
use crate::transport::{HttpTransport, Response, TransportError, TransportErrorKind};

/// The source's name in messages.
const SOURCE: &str = "EC2 instance metadata";
/// The IPv4 endpoint.
pub const IPV4_ENDPOINT: &str = "http://169.254.169.254";
/// The IPv6 endpoint.
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
/// The session token's lifetime asked for, in seconds (6 hours, the most IMDS grants).
const TOKEN_TTL: &str = "21600";
/// Attempts per request on 5xx answers and read timeouts.
const ATTEMPTS: usize = 3;

/// Credentials of the EC2 instance's role (see the [module](self) docs).
#[derive(Debug, Clone)]
pub struct ImdsProvider {
    env: Env,
    profile: Option<String>,
    transport: Arc<dyn HttpTransport>,
}

/// What a request found.
enum Outcome {
    Answer(Response),
    Unreachable(TransportError),
}

impl ImdsProvider {
    /// Reads `config`'s environment and profile, sending through its metadata transport.
    pub fn new(config: &ProviderConfig) -> Self {
        ImdsProvider {
            env: config.env.clone(),
            profile: config.profile.clone(),
            transport: Arc::clone(&config.metadata_transport),
        }
    }

    /// The endpoint, and whether IMDSv1 is allowed; or why the source is off.
    fn settings(&self) -> Result<(String, bool), CredentialsError> {
        if self.env.is_true("AWS_EC2_METADATA_DISABLED") {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        }
        let profiles = ProfileSet::load_profile(&self.env, self.profile.as_deref())
            .map_err(|e| CredentialsError::failed(SOURCE, e.to_string()))?;
        let property = |name: &str| profiles.selected_property(name).map(str::to_owned);
        let v1_disabled = self.env.is_true("AWS_EC2_METADATA_V1_DISABLED")
            || property("ec2_metadata_v1_disabled")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let endpoint = if let Some(endpoint) = self
            .env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .or_else(|| property("ec2_metadata_service_endpoint"))
        {
            endpoint.trim_end_matches('/').to_owned()
        } else {
            let mode = self
                .env
                .get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                .or_else(|| property("ec2_metadata_service_endpoint_mode"));
            match mode.as_deref().map(str::trim) {
                None => IPV4_ENDPOINT.to_owned(),
                Some(m) if m.eq_ignore_ascii_case("ipv4") => IPV4_ENDPOINT.to_owned(),
                Some(m) if m.eq_ignore_ascii_case("ipv6") => IPV6_ENDPOINT.to_owned(),
                Some(other) => {
                    return Err(CredentialsError::failed(
                        SOURCE,
                        format!("the endpoint mode `{other}` is neither IPv4 nor IPv6"),
                    ))
                }
            }
        };
        Ok((endpoint, !v1_disabled))
    }

    /// Sends one request, retrying 5xx answers and read timeouts.
    async fn send(&self, request: HttpRequest) -> Result<Outcome, CredentialsError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.transport.send(request.clone()).await {
                Ok(response) if response.status >= 500 && attempt < ATTEMPTS => continue,
                Ok(response) => return Ok(Outcome::Answer(response)),
                Err(e) if e.is_unreachable() => return Ok(Outcome::Unreachable(e)),
                Err(e) if e.kind == TransportErrorKind::Timeout && attempt < ATTEMPTS => continue,
                Err(e) => return Err(CredentialsError::failed(SOURCE, e.to_string())),
            }
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (endpoint, v1_allowed) = self.settings()?;
        let fail = |why: String| CredentialsError::failed(SOURCE, why);
        let unreachable = |e: TransportError| {
            CredentialsError::not_configured(
                SOURCE,
                format!("no instance metadata service answers at {endpoint}: {e}"),
            )
        };
        let token_request = HttpRequest {
            method: "PUT".to_owned(),
            uri: format!("{endpoint}/latest/api/token"),
            headers: vec![(
                "x-aws-ec2-metadata-token-ttl-seconds".to_owned(),
                TOKEN_TTL.to_owned(),
            )],
            ..HttpRequest::default()
        };
        let token = match self.send(token_request).await? {
            Outcome::Unreachable(e) => return Err(unreachable(e)),
            Outcome::Answer(r) if r.status == 200 => {
                let token = r.body_text().trim().to_owned();
                if token.is_empty() || token.contains(['\r', '\n']) {
                    return Err(fail("the session token answered is empty or holds a line break".to_owned()));
                }
                Some(token)
            }
            Outcome::Answer(r) if (r.status == 404 || r.status == 405) && v1_allowed => None,
            Outcome::Answer(r) if r.status == 403 => {
                return Err(fail(
                    "the token request was refused (403): instance metadata is turned off for this instance".to_owned(),
                ))
            }
            Outcome::Answer(r) => {
                return Err(fail(format!(
                    "PUT {endpoint}/latest/api/token answered {}",
                    r.status
                )))
            }
        };
        let get = |path: String| {
            let mut request = HttpRequest {
                method: "GET".to_owned(),
                uri: format!("{endpoint}{path}"),
                ..HttpRequest::default()
            };
            if let Some(token) = &token {
                request
                    .headers
                    .push(("x-aws-ec2-metadata-token".to_owned(), token.clone()));
            }
            request
        };
        let roles_path = "/latest/meta-data/iam/security-credentials/".to_owned();
        let role = match self.send(get(roles_path.clone())).await? {
            Outcome::Unreachable(e) => return Err(unreachable(e)),
            Outcome::Answer(r) if r.status == 200 => r
                .body_text()
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned),
            Outcome::Answer(r) if r.status == 404 => None,
            Outcome::Answer(r) => {
                return Err(fail(format!(
                    "GET {endpoint}{roles_path} answered {}",
                    r.status
                )))
            }
        };
        let Some(role) = role else {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "the instance has no IAM role (instance profile)",
            ));
        };
        if !role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        {
            return Err(fail(
                "the role name answered is not a valid IAM role name".to_owned(),
            ));
        }
        let path = format!("{roles_path}{role}");
        let response = match self.send(get(path.clone())).await? {
            Outcome::Unreachable(e) => return Err(unreachable(e)),
            Outcome::Answer(r) if r.status == 200 => r,
            Outcome::Answer(r) => {
                return Err(fail(format!("GET {endpoint}{path} answered {}", r.status)))
            }
        };
        let map = document::object(&response.body).map_err(fail)?;
        if let Some(code) = document::string(&map, "Code").map_err(fail)? {
            if code != "Success" {
                return Err(fail(format!(
                    "the role `{role}`'s credentials have Code `{code}`"
                )));
            }
        }
        document::credentials(&map, &document::METADATA)
            .map_err(|why| fail(format!("the role `{role}`'s credentials: {why}")))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
