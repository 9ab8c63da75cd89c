//! AWS Signature Version 4 (and 4a, with the `sigv4a` feature): sans-IO, pure functions over
//! an [`HttpRequest`], [`SigningParams`] and a time.
//!
//! [`sign`] adds `X-Amz-Date`, `X-Amz-Security-Token` (with a session token),
//! `X-Amz-Region-Set` (SigV4a), `x-amz-content-sha256` (when asked, as S3 wants) and
//! `Authorization` to a request. [`presign`] gives the request's URL with the signature in its
//! query string instead (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
//! `X-Amz-SignedHeaders`, `X-Amz-Expires`, `X-Amz-Security-Token`, `X-Amz-Signature`), the URL
//! S3 users share downloads by.
//!
//! The steps in between are public too ([`sign_details`], [`presign_details`] give the
//! canonical request and the string to sign that were signed), for tests against the AWS
//! signing test suite and for debugging a `SignatureDoesNotMatch`.
//!
//! ```
//! use smithy_runtime::http::HttpRequest;
//! use smithy_runtime::sigv4::{sign, Credentials, SigningParams};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
//! let mut request = HttpRequest {
//!     method: "GET".into(),
//!     uri: "https://example.amazonaws.com/".into(),
//!     ..HttpRequest::default()
//! };
//! sign(&mut request, &SigningParams::new(&credentials, "us-east-1", "service", time)).unwrap();
//! assert_eq!(request.headers[0], ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()));
//! assert!(request.headers[1].1.starts_with(
//!     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
//! ));
//! ```

mod canonical;
#[cfg(feature = "sigv4a")]
mod v4a;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::http::HttpRequest;
use crate::Timestamp;

pub use canonical::{canonical_path, canonical_query, uri_encode};
#[cfg(feature = "sigv4a")]
pub use v4a::{v4a_public_key, v4a_verify};

/// A secret: its `Debug` and `Display` print `** redacted **`, so it never reaches a log by
/// accident. [`SecretString::expose`] gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretString(secret.into())
    }

    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        SecretString(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        SecretString(secret.to_owned())
    }
}

/// AWS credentials: an access key ID, its secret key, and a session token for temporary
/// credentials (STS, SSO, instance roles), with the time they expire at. `Debug` shows the
/// access key ID and the expiry, never the secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Credentials that do not expire (until [`Credentials::with_expiry`]).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: SecretString(secret_access_key.into()),
            session_token: session_token.map(SecretString),
            expires_at: None,
        }
    }

    /// The same credentials, expiring at `at`.
    pub fn with_expiry(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The access key ID (`AKIA...`, `ASIA...`): not a secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &SecretString {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&SecretString> {
        self.session_token.as_ref()
    }

    /// When the credentials expire, if they do.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What the canonical request takes as the payload's hash.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Payload {
    /// The SHA-256 of the request's body, computed (hex).
    #[default]
    Compute,
    /// `UNSIGNED-PAYLOAD`: the body is not signed (the model's `@unsignedPayload`, S3 over
    /// HTTPS, presigned S3 URLs).
    Unsigned,
    /// A hash the caller gives (hex SHA-256, or one of S3's `STREAMING-...` values).
    Precomputed(String),
}

/// The signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// SigV4: `AWS4-HMAC-SHA256`, scoped to one region.
    #[default]
    V4,
    /// SigV4a: `AWS4-ECDSA-P256-SHA256`, scoped to a set of regions (`X-Amz-Region-Set`).
    /// Needs the runtime's `sigv4a` feature; without it signing gives
    /// [`SigningError::V4aNotEnabled`].
    V4a,
}

impl Algorithm {
    /// The name in `Authorization` and `X-Amz-Algorithm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::V4 => "AWS4-HMAC-SHA256",
            Algorithm::V4a => "AWS4-ECDSA-P256-SHA256",
        }
    }
}

/// What signing a request takes besides the request: the credentials, the scope and the
/// settings an endpoint's `authSchemes` give.
#[derive(Debug, Clone)]
pub struct SigningParams<'a> {
    /// The credentials.
    pub credentials: &'a Credentials,
    /// SigV4 or SigV4a; [`Algorithm::V4`] by default.
    pub algorithm: Algorithm,
    /// SigV4: the region (`us-east-1`); SigV4a: the region set joined by `,` (`*`,
    /// `us-east-1,us-west-2`).
    pub region: &'a str,
    /// The signing name (`ecr`, `s3`, `sts`).
    pub name: &'a str,
    /// The signing time (`X-Amz-Date`), to the second.
    pub time: SystemTime,
    /// URI-encode the path once more, as every service but S3 wants (`!disableDoubleEncoding`);
    /// `true` by default. With `false` (S3) the path is taken as encoded already: its escapes
    /// stay, and only the bytes AWS would encode but the path holds raw are encoded.
    pub double_encode: bool,
    /// Normalize the path (`//`, `.` and `..` segments) before signing
    /// (`!disableNormalizePath`); `true` by default, `false` for S3.
    pub normalize_path: bool,
    /// The payload hash; [`Payload::Compute`] by default.
    pub payload: Payload,
    /// Send the payload hash as `x-amz-content-sha256` (S3 wants it); `false` by default.
    pub content_sha256_header: bool,
    /// Send the session token unsigned: added after signing, outside the signed headers (or
    /// the signed query), as a few services (IoT's MQTT over WebSocket) want; `false` by
    /// default.
    pub omit_session_token: bool,
}

impl<'a> SigningParams<'a> {
    /// SigV4 parameters with the defaults: double encoding, path normalization, the payload
    /// hash computed, no `x-amz-content-sha256`.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        name: &'a str,
        time: SystemTime,
    ) -> Self {
        SigningParams {
            credentials,
            algorithm: Algorithm::V4,
            region,
            name,
            time,
            double_encode: true,
            normalize_path: true,
            payload: Payload::Compute,
            content_sha256_header: false,
            omit_session_token: false,
        }
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The request names no host: no `host` header and a relative `uri`.
    NoHost,
    /// The signing time is before 1970 or after 9999.
    TimeOutOfRange,
    /// A presigned URL's expiry is not between 1 s and 7 days.
    ExpiresOutOfRange(Duration),
    /// [`Algorithm::V4a`] without the runtime's `sigv4a` feature.
    V4aNotEnabled,
    /// No SigV4a key could be derived from the secret (which the spec puts at a chance of
    /// about 2^-8128).
    KeyDerivation,
    /// A header value that cannot be sent (a control character other than tab, or a line
    /// break not followed by whitespace).
    InvalidHeaderValue(String),
    /// A SigV4a public key or signature that does not parse.
    InvalidKey(String),
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::NoHost => f.write_str(
                "cannot sign a request without a host: give it a `host` header or an absolute `uri`",
            ),
            SigningError::TimeOutOfRange => {
                f.write_str("cannot sign with a time before 1970 or after 9999")
            }
            SigningError::ExpiresOutOfRange(d) => write!(
                f,
                "a presigned URL expires after 1 s to 7 days (604800 s), not {} s",
                d.as_secs_f64()
            ),
            SigningError::V4aNotEnabled => f.write_str(
                "SigV4a (AWS4-ECDSA-P256-SHA256) needs the runtime's `sigv4a` feature",
            ),
            SigningError::KeyDerivation => {
                f.write_str("no SigV4a key could be derived from the secret access key")
            }
            SigningError::InvalidHeaderValue(name) => {
                write!(f, "cannot sign header `{name}`: its value holds a control character")
            }
            SigningError::InvalidKey(why) => write!(f, "SigV4a key or signature: {why}"),
        }
    }
}

impl std::error::Error for SigningError {}

/// What was signed: the steps of the signature, for tests and for debugging a
/// `SignatureDoesNotMatch` (the service's error message shows its canonical request). The
/// canonical request holds the session token, if any: its `Debug` prints it redacted, the
/// fields keep it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningDetails {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature (hex; SigV4a: the hex of the DER-encoded ECDSA signature).
    pub signature: String,
}

impl fmt::Debug for SigningDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningDetails")
            .field("canonical_request", &redact_token(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .finish()
    }
}

/// `canonical_request` with the value of its `x-amz-security-token` header or
/// `X-Amz-Security-Token` parameter redacted.
fn redact_token(canonical_request: &str) -> String {
    let mut out = String::with_capacity(canonical_request.len());
    for (i, line) in canonical_request.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with("x-amz-security-token:") {
            out.push_str("x-amz-security-token:** redacted **");
        } else if let Some(at) = line.find("X-Amz-Security-Token=") {
            let (before, rest) = line.split_at(at + "X-Amz-Security-Token=".len());
            out.push_str(before);
            out.push_str("** redacted **");
            out.push_str(rest.find('&').and_then(|end| rest.get(end..)).unwrap_or(""));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The longest a presigned URL may last: 7 days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

/// The headers never signed: the ones proxies and clients rewrite on the way.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amz-user-agent",
    "x-amzn-trace-id",
];

/// The headers a header signature adds, which a presigned URL neither signs nor needs (its
/// query holds their values).
const HEADER_SIGNATURE: [&str; 4] = [
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-region-set",
    "x-amz-security-token",
];

/// The hex SHA-256 of the empty string.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Signs `request` in its headers: adds `X-Amz-Security-Token` (with a session token),
/// `X-Amz-Date`, `X-Amz-Region-Set` (SigV4a), `x-amz-content-sha256` (when
/// [`SigningParams::content_sha256_header`]) and `Authorization`, replacing earlier ones (a
/// request signed again for a retry). It never adds a `Host` header: the host signed is the
/// request's `host` header, else the authority of an absolute `uri`.
pub fn sign(request: &mut HttpRequest, params: &SigningParams<'_>) -> Result<(), SigningError> {
    sign_details(request, params).map(|_| ())
}

/// [`sign`], giving what was signed.
pub fn sign_details(
    request: &mut HttpRequest,
    params: &SigningParams<'_>,
) -> Result<SigningDetails, SigningError> {
    if params.algorithm == Algorithm::V4a && !cfg!(feature = "sigv4a") {
        return Err(SigningError::V4aNotEnabled);
    }
    let time = AmzTime::new(params.time)?;
    let v4a = params.algorithm == Algorithm::V4a;
    let sha_header = params.content_sha256_header;
    request.headers.retain(|(name, _)| {
        !(name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("x-amz-date")
            || name.eq_ignore_ascii_case("x-amz-security-token")
            || (v4a && name.eq_ignore_ascii_case("x-amz-region-set"))
            || (sha_header && name.eq_ignore_ascii_case("x-amz-content-sha256")))
    });
    let target = canonical::Target::of(request)?;
    let payload_hash = payload_hash(&params.payload, &request.body);
    let token = params.credentials.session_token().map(SecretString::expose);

    let mut added: Vec<(&str, &str)> = Vec::with_capacity(4);
    if let (Some(token), false) = (token, params.omit_session_token) {
        added.push(("x-amz-security-token", token));
    }
    added.push(("x-amz-date", &time.date_time));
    if v4a {
        added.push(("x-amz-region-set", params.region));
    }
    if sha_header {
        added.push(("x-amz-content-sha256", &payload_hash));
    }
    let headers = canonical::Headers::new(
        &request.headers,
        &[],
        target.host_header,
        target.host,
        &added,
    )?;

    let mut canonical_request = String::with_capacity(256 + headers.len_hint());
    canonical_request.push_str(&request.method);
    canonical_request.push('\n');
    canonical::push_path(&mut canonical_request, target.path, params);
    canonical_request.push('\n');
    canonical::push_query(&mut canonical_request, target.query, &[]);
    canonical_request.push('\n');
    headers.push_canonical(&mut canonical_request);
    canonical_request.push('\n');
    let signed_headers_start = canonical_request.len();
    headers.push_signed_names(&mut canonical_request);
    let signed_headers_end = canonical_request.len();
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let scope = scope(&time, params);
    let string_to_sign = string_to_sign(
        params.algorithm,
        &time.date_time,
        &scope,
        &canonical_request,
    );
    let signature = signature(params, &time, &string_to_sign)?;

    let signed_names = canonical_request
        .get(signed_headers_start..signed_headers_end)
        .unwrap_or_default();
    let authorization = format!(
        "{} Credential={}/{scope}, SignedHeaders={signed_names}, Signature={signature}",
        params.algorithm.as_str(),
        params.credentials.access_key_id(),
    );
    if let Some(token) = token {
        request
            .headers
            .push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
    }
    request
        .headers
        .push(("X-Amz-Date".to_owned(), time.date_time.clone()));
    if v4a {
        request
            .headers
            .push(("X-Amz-Region-Set".to_owned(), params.region.to_owned()));
    }
    if sha_header {
        request
            .headers
            .push(("x-amz-content-sha256".to_owned(), payload_hash));
    }
    request
        .headers
        .push(("Authorization".to_owned(), authorization));
    Ok(SigningDetails {
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// The URL of `request` signed in its query string, valid for `expires_in` (1 s to 7 days):
/// the request's query, then `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
/// `X-Amz-SignedHeaders`, `X-Amz-Expires`, `X-Amz-Security-Token` (with a session token),
/// `X-Amz-Region-Set` (SigV4a) and `X-Amz-Signature`. The headers of `request` are signed
/// (`host` always; not those a header signature adds, `X-Amz-Date`, `X-Amz-Security-Token`,
/// `X-Amz-Region-Set`, `x-amz-content-sha256`, `Authorization`): whoever follows the URL sends
/// the same. A relative `uri` gives an
/// `https://` URL on the `host` header's host. [`SigningParams::content_sha256_header`] does
/// not apply; S3 presigns with [`Payload::Unsigned`], which
/// [`Signing::presign_params`](crate::auth::Signing::presign_params) gives under S3's rules.
pub fn presign(
    request: &HttpRequest,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<String, SigningError> {
    presign_details(request, params, expires_in).map(|(url, _)| url)
}

/// [`presign`], giving what was signed.
pub fn presign_details(
    request: &HttpRequest,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<(String, SigningDetails), SigningError> {
    if params.algorithm == Algorithm::V4a && !cfg!(feature = "sigv4a") {
        return Err(SigningError::V4aNotEnabled);
    }
    if expires_in < Duration::from_secs(1) || expires_in > MAX_PRESIGN_EXPIRY {
        return Err(SigningError::ExpiresOutOfRange(expires_in));
    }
    let time = AmzTime::new(params.time)?;
    let target = canonical::Target::of(request)?;
    let payload_hash = payload_hash(&params.payload, &request.body);
    let headers = canonical::Headers::new(
        &request.headers,
        &HEADER_SIGNATURE,
        target.host_header,
        target.host,
        &[],
    )?;
    let mut signed_names = String::with_capacity(64);
    headers.push_signed_names(&mut signed_names);
    let scope = scope(&time, params);
    let credential = format!("{}/{scope}", params.credentials.access_key_id());
    let expires = expires_in.as_secs().to_string();
    let token = params.credentials.session_token().map(SecretString::expose);

    // In the URL's order, each with whether it is signed; the canonical query sorts them.
    let mut added: Vec<(&str, &str, bool)> = Vec::with_capacity(8);
    added.push(("X-Amz-Algorithm", params.algorithm.as_str(), true));
    added.push(("X-Amz-Credential", &credential, true));
    added.push(("X-Amz-Date", &time.date_time, true));
    added.push(("X-Amz-SignedHeaders", &signed_names, true));
    added.push(("X-Amz-Expires", &expires, true));
    if let Some(token) = token {
        added.push(("X-Amz-Security-Token", token, !params.omit_session_token));
    }
    if params.algorithm == Algorithm::V4a {
        added.push(("X-Amz-Region-Set", params.region, true));
    }
    let signed_added: Vec<(&str, &str)> = added
        .iter()
        .filter(|(_, _, signed)| *signed)
        .map(|(name, value, _)| (*name, *value))
        .collect();

    let mut canonical_request = String::with_capacity(512 + headers.len_hint());
    canonical_request.push_str(&request.method);
    canonical_request.push('\n');
    canonical::push_path(&mut canonical_request, target.path, params);
    canonical_request.push('\n');
    canonical::push_query(&mut canonical_request, target.query, &signed_added);
    canonical_request.push('\n');
    headers.push_canonical(&mut canonical_request);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_names);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let string_to_sign = string_to_sign(
        params.algorithm,
        &time.date_time,
        &scope,
        &canonical_request,
    );
    let signature = signature(params, &time, &string_to_sign)?;

    let mut url = String::with_capacity(request.uri.len() + 512);
    url.push_str(target.scheme);
    url.push_str("://");
    // An absolute `uri` is where the URL goes; a relative one goes to its `host` header.
    match target.host_header {
        Some(host) if target.host.is_empty() => url.push_str(host.trim()),
        _ => url.push_str(target.host),
    }
    url.push_str(target.path);
    url.push('?');
    if !target.query.is_empty() {
        url.push_str(target.query);
        url.push('&');
    }
    for (name, value, _) in &added {
        url.push_str(name);
        url.push('=');
        uri_encode(&mut url, value.as_bytes(), false);
        url.push('&');
    }
    url.push_str("X-Amz-Signature=");
    url.push_str(&signature);
    Ok((
        url,
        SigningDetails {
            canonical_request,
            string_to_sign,
            signature,
        },
    ))
}

/// The signing time in the two forms the signature uses.
struct AmzTime {
    /// `20150830T123600Z`.
    date_time: String,
}

impl AmzTime {
    fn new(time: SystemTime) -> Result<Self, SigningError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::TimeOutOfRange)?
            .as_secs();
        let secs = i64::try_from(secs).map_err(|_| SigningError::TimeOutOfRange)?;
        if secs >= 253_402_300_800 {
            return Err(SigningError::TimeOutOfRange);
        }
        let mut date_time = Timestamp::from_epoch_seconds(secs).to_date_time_string();
        date_time.retain(|c| c != '-' && c != ':');
        Ok(AmzTime { date_time })
    }

    /// `20150830`.
    fn date(&self) -> &str {
        self.date_time.get(..8).unwrap_or_default()
    }
}

/// The payload hash the canonical request ends with.
fn payload_hash(payload: &Payload, body: &[u8]) -> String {
    match payload {
        Payload::Compute if body.is_empty() => EMPTY_SHA256.to_owned(),
        Payload::Compute => hex(&Sha256::digest(body)),
        Payload::Unsigned => "UNSIGNED-PAYLOAD".to_owned(),
        Payload::Precomputed(hash) => hash.clone(),
    }
}

/// The credential scope: `20150830/us-east-1/service/aws4_request` (SigV4a: without the
/// region, `20150830/service/aws4_request`).
fn scope(time: &AmzTime, params: &SigningParams<'_>) -> String {
    match params.algorithm {
        Algorithm::V4 => format!(
            "{}/{}/{}/aws4_request",
            time.date(),
            params.region,
            params.name
        ),
        Algorithm::V4a => format!("{}/{}/aws4_request", time.date(), params.name),
    }
}

/// The string to sign: the algorithm, the time, the scope and the canonical request's hash,
/// one a line.
pub fn string_to_sign(
    algorithm: Algorithm,
    date_time: &str,
    scope: &str,
    canonical_request: &str,
) -> String {
    let hash = hex(&Sha256::digest(canonical_request.as_bytes()));
    let mut out =
        String::with_capacity(algorithm.as_str().len() + date_time.len() + scope.len() + 67);
    out.push_str(algorithm.as_str());
    out.push('\n');
    out.push_str(date_time);
    out.push('\n');
    out.push_str(scope);
    out.push('\n');
    out.push_str(&hash);
    out
}

/// The signature of `string_to_sign`.
fn signature(
    params: &SigningParams<'_>,
    time: &AmzTime,
    string_to_sign: &str,
) -> Result<String, SigningError> {
    match params.algorithm {
        Algorithm::V4 => {
            let key = signing_key(
                params.credentials.secret_access_key().expose(),
                time.date(),
                params.region,
                params.name,
            );
            Ok(hex(&hmac_sha256(&key, string_to_sign.as_bytes())))
        }
        #[cfg(feature = "sigv4a")]
        Algorithm::V4a => v4a::sign(params.credentials, string_to_sign),
        #[cfg(not(feature = "sigv4a"))]
        Algorithm::V4a => Err(SigningError::V4aNotEnabled),
    }
}

/// The SigV4 signing key: HMAC-SHA256 chained over the date, region, name and
/// `aws4_request`, keyed first by `AWS4` and the secret.
pub fn signing_key(secret: &str, date: &str, region: &str, name: &str) -> [u8; 32] {
    let mut first = Vec::with_capacity(4 + secret.len());
    first.extend_from_slice(b"AWS4");
    first.extend_from_slice(secret.as_bytes());
    let key = hmac_sha256(&first, date.as_bytes());
    let key = hmac_sha256(&key, region.as_bytes());
    let key = hmac_sha256(&key, name.as_bytes());
    hmac_sha256(&key, b"aws4_request")
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length: `new_from_slice` does not fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'));
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 15));
    }
    out
}

#[cfg(test)]
mod tests;
