//! The rules engine's functions on values: the standard library (`substring`, `uriEncode`,
//! `parseURL`, `isValidHostLabel`, `split`) and the AWS ones (`aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`; `aws.partition` is [`super::Partitions::lookup`]).
//! Each is a pure function; `None` is the rules' "unset" result.
//!
//! TODO(fns helper): the bodies and their tests.

/// What `parseURL` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// The host and port (`example.com:8443`).
    pub authority: String,
    /// The path as given (`/foo/bar`, or empty).
    pub path: String,
    /// The path with a `/` at its end (`/foo/bar/`, or `/`).
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// What `aws.parseArn` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// `partition`.
    pub partition: String,
    /// `service`.
    pub service: String,
    /// `region` (may be empty).
    pub region: String,
    /// `accountId` (may be empty).
    pub account_id: String,
    /// `resourceId`: the resource split at `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `substring(input, start, stop, reverse)`: the characters `start..stop` (counted from the
/// end when `reverse`), or `None` when out of range or when `input` is not all ASCII.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    let _ = (input, start, stop, reverse);
    todo!("fns helper")
}

/// `uriEncode(value)`: percent-encoding of everything but the unreserved characters.
pub fn uri_encode(value: &str) -> String {
    let _ = value;
    todo!("fns helper")
}

/// `parseURL(value)`: `None` for anything but an `http`/`https` URL without a query.
pub fn parse_url(value: &str) -> Option<Url> {
    let _ = value;
    todo!("fns helper")
}

/// `isValidHostLabel(value, allowSubDomains)`.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    let _ = (value, allow_subdomains);
    todo!("fns helper")
}

/// `split(value, delimiter, limit)`: as the standard library specifies (`limit` 0 for no
/// limit).
pub fn split(value: &str, delimiter: &str, limit: i64) -> Vec<String> {
    let _ = (value, delimiter, limit);
    todo!("fns helper")
}

/// `aws.parseArn(value)`.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let _ = value;
    todo!("fns helper")
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let _ = (value, allow_subdomains);
    todo!("fns helper")
}
