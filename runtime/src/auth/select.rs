//! Choosing how to sign one call (feature `sigv4`).

use std::fmt;
use std::time::SystemTime;

use super::{AuthScheme, OperationAuth};
use crate::http::HttpRequest;
use crate::sigv4::{Algorithm, Credentials, Payload, SigningError, SigningParams};
use crate::Document;

/// How one call is signed: what [`select`] chose. Owned, so that it can be kept beside the
/// request; [`Signing::params`] lends it to [`sign`](crate::sigv4::sign) with the credentials
/// and the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signing {
    /// SigV4 or SigV4a.
    pub algorithm: Algorithm,
    /// The signing name (`ecr`, `s3`).
    pub name: String,
    /// SigV4: the region; SigV4a: the region set joined by `,` (`*`).
    pub region: String,
    /// Encode the path a second time (every service but S3).
    pub double_encode: bool,
    /// Normalize the path before signing (every service but S3).
    pub normalize_path: bool,
    /// [`Payload::Unsigned`] for `@unsignedPayload` operations, else [`Payload::Compute`].
    pub payload: Payload,
    /// Send `x-amz-content-sha256` (S3, and every unsigned payload).
    pub content_sha256_header: bool,
}

impl Signing {
    /// The parameters of [`sign`](crate::sigv4::sign) and [`presign`](crate::sigv4::presign).
    pub fn params<'a>(
        &'a self,
        credentials: &'a Credentials,
        time: SystemTime,
    ) -> SigningParams<'a> {
        let mut params = SigningParams::new(credentials, &self.region, &self.name, time);
        params.algorithm = self.algorithm;
        params.double_encode = self.double_encode;
        params.normalize_path = self.normalize_path;
        params.payload = self.payload.clone();
        params.content_sha256_header = self.content_sha256_header;
        params
    }

    /// The parameters of [`presign`](crate::sigv4::presign): those of [`params`](Self::params),
    /// except that under S3's rules (`content_sha256_header`) a payload to be hashed becomes
    /// `UNSIGNED-PAYLOAD`, as S3 checks presigned URLs: the URL is made before any body exists.
    /// Other services presign over the hash of the request's body, as their SDKs do.
    pub fn presign_params<'a>(
        &'a self,
        credentials: &'a Credentials,
        time: SystemTime,
    ) -> SigningParams<'a> {
        let mut params = self.params(credentials, time);
        if self.content_sha256_header && matches!(params.payload, Payload::Compute) {
            params.payload = Payload::Unsigned;
        }
        params
    }
}

/// What went wrong choosing how to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The operation must be signed and no credentials were given.
    MissingCredentials,
    /// Neither the endpoint nor the caller gives a region to sign for.
    MissingRegion,
    /// Neither the endpoint nor the model gives a signing name.
    MissingSigningName,
    /// None of the schemes offered is one this build of the runtime signs with.
    Unsupported,
    /// The endpoint's `authSchemes` property is not a list of objects with a string `name`.
    InvalidAuthSchemes,
    /// Signing failed.
    Signing(SigningError),
}

/// Why a call could not be signed: the operation, what is missing or unsupported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// The operation's name in the model.
    pub operation: &'static str,
    /// What went wrong.
    pub kind: AuthErrorKind,
    message: String,
}

impl AuthError {
    fn new(operation: &'static str, kind: AuthErrorKind, message: impl Into<String>) -> Self {
        AuthError {
            operation,
            kind,
            message: message.into(),
        }
    }

    /// What went wrong, without the operation's name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation `{}`: {}", self.operation, self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            AuthErrorKind::Signing(e) => Some(e),
            _ => None,
        }
    }
}

/// Whether this build signs with SigV4a.
const SIGV4A: bool = cfg!(feature = "sigv4a");

/// One entry of an endpoint's `authSchemes`, its properties borrowed.
struct EndpointScheme<'d> {
    name: &'d str,
    fields: &'d std::collections::BTreeMap<String, Document>,
}

impl<'d> EndpointScheme<'d> {
    fn str(&self, key: &str) -> Option<&'d str> {
        match self.fields.get(key) {
            Some(Document::String(s)) => Some(s),
            _ => None,
        }
    }

    fn flag(&self, key: &str) -> Option<bool> {
        match self.fields.get(key) {
            Some(Document::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn region_set(&self) -> Option<Vec<&'d str>> {
        match self.fields.get("signingRegionSet") {
            Some(Document::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Document::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

/// The entries of an endpoint's `authSchemes` property, in order.
fn endpoint_schemes<'d>(
    operation: &'static str,
    auth_schemes: &'d Document,
) -> Result<Vec<EndpointScheme<'d>>, AuthError> {
    let invalid = || {
        AuthError::new(
            operation,
            AuthErrorKind::InvalidAuthSchemes,
            "the endpoint's `authSchemes` is not a list of objects with a string `name`",
        )
    };
    let Document::Array(items) = auth_schemes else {
        return Err(invalid());
    };
    items
        .iter()
        .map(|item| match item {
            Document::Object(fields) => match fields.get("name") {
                Some(Document::String(name)) => Ok(EndpointScheme { name, fields }),
                _ => Err(invalid()),
            },
            _ => Err(invalid()),
        })
        .collect()
}

/// How to sign a call of `operation`, whose model says `auth`, sent to an endpoint whose
/// `authSchemes` property is `auth_schemes` (`endpoint.properties.get("authSchemes")`), in the
/// configured `region`, with `credentials` or none:
///
/// - `Ok(None)`: sent unsigned. The operation has no auth scheme (`@auth([])`), or it is
///   `@optionalAuth` and no credentials are given, or it is `@optionalAuth` and none of its
///   schemes (or of the endpoint's) is one this build signs with: no auth is its last option.
/// - `Ok(Some(signing))`: the first of the model's schemes this build supports decides the
///   family. For SigV4 and SigV4a the endpoint's `authSchemes` decide, when it has them: the
///   first entry this build supports wins (`sigv4`: `signingName`, `signingRegion`,
///   `disableDoubleEncoding`, `disableNormalizePath`; `sigv4a`: `signingRegionSet`, with the
///   `sigv4a` feature; `sigv4-s3express` is not supported). What an entry leaves out comes
///   from the model (the `aws.auth#sigv4` name, S3's rules) and the configured region. An
///   endpoint without `authSchemes` gives the model's scheme with the trait's name and the
///   configured region (SigV4a: the region set is that region).
/// - `Err`: the operation must be signed and cannot be: no credentials, no region, no
///   signing name, or no scheme this build supports (SigV4a without the `sigv4a` feature).
pub fn select(
    operation: &'static str,
    auth: &OperationAuth,
    auth_schemes: Option<&Document>,
    region: Option<&str>,
    credentials: Option<&Credentials>,
) -> Result<Option<Signing>, AuthError> {
    if auth.schemes.is_empty() {
        return Ok(None);
    }
    if credentials.is_none() {
        if auth.optional {
            return Ok(None);
        }
        return Err(AuthError::new(
            operation,
            AuthErrorKind::MissingCredentials,
            format!(
                "it must be signed ({}), and no credentials were given",
                auth.schemes.first().map_or("", |s| s.shape_id())
            ),
        ));
    }
    let supported = |s: &AuthScheme| match s {
        AuthScheme::SigV4 => true,
        AuthScheme::SigV4a => SIGV4A,
        _ => false,
    };
    let Some(scheme) = auth.schemes.iter().find(|s| supported(s)) else {
        if auth.optional {
            return Ok(None);
        }
        let offered: Vec<&str> = auth.schemes.iter().map(|s| s.shape_id()).collect();
        let hint = if auth.schemes.contains(&AuthScheme::SigV4a) {
            " (SigV4a needs the runtime's `sigv4a` feature)"
        } else {
            ""
        };
        return Err(AuthError::new(
            operation,
            AuthErrorKind::Unsupported,
            format!(
                "none of its auth schemes is supported: {}{hint}",
                offered.join(", ")
            ),
        ));
    };
    let payload = if auth.unsigned_payload {
        Payload::Unsigned
    } else {
        Payload::Compute
    };
    let base = |algorithm: Algorithm, name: String, region: String| Signing {
        algorithm,
        name,
        region,
        double_encode: !auth.s3_rules,
        normalize_path: !auth.s3_rules,
        payload: payload.clone(),
        content_sha256_header: auth.s3_rules || auth.unsigned_payload,
    };
    let no_region = || {
        AuthError::new(
            operation,
            AuthErrorKind::MissingRegion,
            "no region to sign for: the endpoint gives none and no region is configured",
        )
    };
    let model_name = |algorithm: Algorithm| {
        let name = match algorithm {
            Algorithm::V4a => auth.sigv4a_signing_name.or(auth.signing_name),
            Algorithm::V4 => auth.signing_name,
        };
        name.ok_or_else(|| {
            AuthError::new(
                operation,
                AuthErrorKind::MissingSigningName,
                "no signing name: the endpoint gives none and the model has no `aws.auth#sigv4` name",
            )
        })
    };

    let entries = match auth_schemes {
        Some(document) => endpoint_schemes(operation, document)?,
        None => Vec::new(),
    };
    if entries.is_empty() {
        // The model alone: its trait's name, the configured region.
        let algorithm = if *scheme == AuthScheme::SigV4a {
            Algorithm::V4a
        } else {
            Algorithm::V4
        };
        let name = model_name(algorithm)?;
        let region = region.ok_or_else(no_region)?;
        return Ok(Some(base(algorithm, name.to_owned(), region.to_owned())));
    }
    let mut passed: Vec<String> = Vec::new();
    for entry in &entries {
        let (algorithm, region) = match entry.name {
            "sigv4" => (
                Algorithm::V4,
                entry.str("signingRegion").or(region).map(str::to_owned),
            ),
            "sigv4a" if SIGV4A => {
                let set = entry
                    .region_set()
                    .filter(|set| !set.is_empty())
                    .map(|set| set.join(","));
                (Algorithm::V4a, set.or_else(|| region.map(str::to_owned)))
            }
            "sigv4a" => {
                passed.push("`sigv4a` (needs the runtime's `sigv4a` feature)".to_owned());
                continue;
            }
            "sigv4-s3express" => {
                passed.push(
                    "`sigv4-s3express` (S3 Express session auth is not supported)".to_owned(),
                );
                continue;
            }
            other => {
                passed.push(format!("`{other}` (unknown)"));
                continue;
            }
        };
        let name = match entry.str("signingName") {
            Some(name) => name,
            None => model_name(algorithm)?,
        };
        let mut signing = base(algorithm, name.to_owned(), region.ok_or_else(no_region)?);
        if let Some(disable) = entry.flag("disableDoubleEncoding") {
            signing.double_encode = !disable;
        }
        if let Some(disable) = entry.flag("disableNormalizePath") {
            signing.normalize_path = !disable;
        }
        return Ok(Some(signing));
    }
    // No auth is an `@optionalAuth` operation's last option.
    if auth.optional {
        return Ok(None);
    }
    Err(AuthError::new(
        operation,
        AuthErrorKind::Unsupported,
        format!(
            "none of the endpoint's auth schemes is supported: {}",
            passed.join(", ")
        ),
    ))
}

/// Signs `request`, already [`finish`](crate::endpoint::finish)ed for `endpoint`, as a call of
/// the operation `O` (its [`AUTH`](crate::operation::Operation::AUTH) and the endpoint's
/// `authSchemes`, as [`select`] chooses), in the configured `region`, with `credentials` at
/// `time`. Gives how it was signed, or `None` when it is sent unsigned.
#[cfg(feature = "endpoint")]
pub fn sign<O: crate::operation::Operation>(
    request: &mut HttpRequest,
    endpoint: &crate::endpoint::Endpoint,
    region: Option<&str>,
    credentials: Option<&Credentials>,
    time: SystemTime,
) -> Result<Option<Signing>, AuthError> {
    let schemes = endpoint.properties.get("authSchemes");
    let chosen = select(O::NAME, &O::AUTH, schemes, region, credentials)?;
    if let (Some(signing), Some(credentials)) = (&chosen, credentials) {
        sign_with(O::NAME, request, signing, credentials, time)?;
    }
    Ok(chosen)
}

/// Signs `request` as `signing` says, an error naming `operation` when it cannot be.
pub fn sign_with(
    operation: &'static str,
    request: &mut HttpRequest,
    signing: &Signing,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<(), AuthError> {
    crate::sigv4::sign(request, &signing.params(credentials, time)).map_err(|e| {
        AuthError::new(
            operation,
            AuthErrorKind::Signing(e.clone()),
            format!("signing failed: {e}"),
        )
    })
}

#[cfg(test)]
mod tests;
