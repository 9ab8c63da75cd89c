//! How an operation's requests are authenticated: what the model says ([`OperationAuth`], one
//! constant per operation, [`Operation::AUTH`](crate::operation::Operation::AUTH)) and, with the
//! `sigv4` feature, the choice of scheme, signing name and region for one call
//! ([`select`]): from the resolved endpoint's `authSchemes` when it has them, else from the
//! model's `aws.auth#sigv4` trait and the configured region.

/// An auth scheme of a Smithy model: a trait marked `@authDefinition` that the service has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `aws.auth#sigv4`: AWS Signature Version 4.
    SigV4,
    /// `aws.auth#sigv4a`: AWS Signature Version 4a (ECDSA, a set of regions).
    SigV4a,
    /// `smithy.api#httpBasicAuth`.
    HttpBasic,
    /// `smithy.api#httpDigestAuth`.
    HttpDigest,
    /// `smithy.api#httpBearerAuth`.
    HttpBearer,
    /// `smithy.api#httpApiKeyAuth`.
    HttpApiKey,
    /// Another auth trait, by its shape ID (`aws.auth#cognitoUserPools`, a model's own).
    Other(&'static str),
}

impl AuthScheme {
    /// The shape ID of the scheme's trait.
    pub const fn shape_id(self) -> &'static str {
        match self {
            AuthScheme::SigV4 => "aws.auth#sigv4",
            AuthScheme::SigV4a => "aws.auth#sigv4a",
            AuthScheme::HttpBasic => "smithy.api#httpBasicAuth",
            AuthScheme::HttpDigest => "smithy.api#httpDigestAuth",
            AuthScheme::HttpBearer => "smithy.api#httpBearerAuth",
            AuthScheme::HttpApiKey => "smithy.api#httpApiKeyAuth",
            AuthScheme::Other(id) => id,
        }
    }

    /// Whether it is one of AWS's signatures (SigV4, SigV4a), whose details the endpoint's
    /// `authSchemes` may give.
    pub const fn is_aws_signature(self) -> bool {
        matches!(self, AuthScheme::SigV4 | AuthScheme::SigV4a)
    }
}

/// What the model says about authenticating an operation's requests. Generated crates set one
/// per operation from a constant for the whole service:
///
/// ```
/// use smithy_runtime::auth::{AuthScheme, OperationAuth};
/// const SERVICE: OperationAuth = OperationAuth::new(&[AuthScheme::SigV4]).signing_name("ecr");
/// const UNSIGNED: OperationAuth = SERVICE.schemes(&[]).optional();
/// assert_eq!(SERVICE.signing_name, Some("ecr"));
/// assert!(UNSIGNED.may_be_unsigned());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationAuth {
    /// The effective schemes, in priority order (Smithy's rules: the operation's `@auth`, else
    /// the service's, else every auth trait of the service by shape ID). Empty: the operation
    /// is never authenticated (`@auth([])`, or a service without auth traits).
    pub schemes: &'static [AuthScheme],
    /// The name of the service's `aws.auth#sigv4` trait: the signing name when the endpoint
    /// gives none.
    pub signing_name: Option<&'static str>,
    /// The name of the service's `aws.auth#sigv4a` trait.
    pub sigv4a_signing_name: Option<&'static str>,
    /// `@optionalAuth`: the operation may be sent unauthenticated.
    pub optional: bool,
    /// `aws.auth#unsignedPayload`: the signature does not cover the payload
    /// (`x-amz-content-sha256: UNSIGNED-PAYLOAD`).
    pub unsigned_payload: bool,
    /// S3's signing rules: the path is neither encoded twice nor normalized, and every request
    /// carries `x-amz-content-sha256`.
    pub s3_rules: bool,
}

impl OperationAuth {
    /// No authentication: the default of operations of services without auth traits.
    pub const NONE: OperationAuth = OperationAuth::new(&[]);

    /// The schemes `schemes`, in priority order, and nothing else.
    pub const fn new(schemes: &'static [AuthScheme]) -> Self {
        OperationAuth {
            schemes,
            signing_name: None,
            sigv4a_signing_name: None,
            optional: false,
            unsigned_payload: false,
            s3_rules: false,
        }
    }

    /// With other effective schemes (an operation's own `@auth`).
    pub const fn schemes(mut self, schemes: &'static [AuthScheme]) -> Self {
        self.schemes = schemes;
        self
    }

    /// With the `aws.auth#sigv4` signing name.
    pub const fn signing_name(mut self, name: &'static str) -> Self {
        self.signing_name = Some(name);
        self
    }

    /// With the `aws.auth#sigv4a` signing name.
    pub const fn sigv4a_signing_name(mut self, name: &'static str) -> Self {
        self.sigv4a_signing_name = Some(name);
        self
    }

    /// `@optionalAuth`.
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// `aws.auth#unsignedPayload`.
    pub const fn unsigned_payload(mut self) -> Self {
        self.unsigned_payload = true;
        self
    }

    /// S3's signing rules.
    pub const fn s3_rules(mut self) -> Self {
        self.s3_rules = true;
        self
    }

    /// Whether a request may go out unsigned: the operation has no scheme, or `@optionalAuth`.
    pub const fn may_be_unsigned(&self) -> bool {
        self.optional || self.schemes.is_empty()
    }
}

impl Default for OperationAuth {
    fn default() -> Self {
        OperationAuth::NONE
    }
}

#[cfg(feature = "sigv4")]
mod select;
#[cfg(feature = "sigv4")]
pub use select::*;
