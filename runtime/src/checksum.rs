//! The flexible checksums of `aws.protocols#httpChecksum`: a request's checksum in an
//! `x-amz-checksum-<algorithm>` header, and the validation of the one a response carries.
//!
//! A checksum is the base64 of the body's big-endian digest: CRC32 (`crc32` feature), CRC32C
//! (`crc32c`), CRC64/NVME (`crc64nvme`), SHA-1 (`sha1`) and SHA-256 (`sha256`). Each algorithm's
//! crate is compiled only when its feature is on; a generated crate turns on those its model
//! names. The rules of which checksum a request gets and which one of a response is validated
//! live here; the generated code passes what its model says.

use std::fmt;

use crate::http::{HttpRequest, HttpResponse};
use crate::operation::EncodeError;
use crate::Blob;

/// A checksum algorithm of the `httpChecksum` trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (ISO-HDLC, as zlib computes it).
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl ChecksumAlgorithm {
    /// Every algorithm, in the order response checksums are looked for: the CRCs (fastest
    /// first) before the SHAs.
    pub const PRIORITY: [ChecksumAlgorithm; 5] = [
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
    ];

    /// The request checksum when an operation requires one and the input chooses none, as the
    /// AWS SDKs send it.
    pub const DEFAULT: ChecksumAlgorithm = ChecksumAlgorithm::Crc32;

    /// The algorithm a model's value names (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`,
    /// in any case); `None` for any other value.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::PRIORITY
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The name the model gives it: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`.
    pub const fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// The header its checksum travels in: `x-amz-checksum-` and the name in lower case.
    pub const fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The runtime feature that computes it.
    pub const fn feature(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "crc32",
            ChecksumAlgorithm::Crc32c => "crc32c",
            ChecksumAlgorithm::Crc64Nvme => "crc64nvme",
            ChecksumAlgorithm::Sha1 => "sha1",
            ChecksumAlgorithm::Sha256 => "sha256",
        }
    }

    /// Whether this build computes it (its feature is on).
    pub fn is_available(self) -> bool {
        self.digest(&[]).is_some()
    }

    /// The big-endian digest of `bytes`; `None` when its feature is off.
    pub fn digest(self, bytes: &[u8]) -> Option<Vec<u8>> {
        match self {
            #[cfg(feature = "crc32")]
            ChecksumAlgorithm::Crc32 => Some(crc32fast::hash(bytes).to_be_bytes().to_vec()),
            #[cfg(feature = "crc32c")]
            ChecksumAlgorithm::Crc32c => Some(crc32c::crc32c(bytes).to_be_bytes().to_vec()),
            #[cfg(feature = "crc64nvme")]
            ChecksumAlgorithm::Crc64Nvme => {
                let mut digest = crc64fast_nvme::Digest::new();
                digest.write(bytes);
                Some(digest.sum64().to_be_bytes().to_vec())
            }
            #[cfg(feature = "sha1")]
            ChecksumAlgorithm::Sha1 => {
                use sha1::Digest as _;
                Some(sha1::Sha1::digest(bytes).to_vec())
            }
            #[cfg(feature = "sha256")]
            ChecksumAlgorithm::Sha256 => {
                use sha2::Digest as _;
                Some(sha2::Sha256::digest(bytes).to_vec())
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = bytes;
                None
            }
        }
    }

    /// The checksum of `bytes` as it is sent: the base64 of [`ChecksumAlgorithm::digest`].
    pub fn checksum(self, bytes: &[u8]) -> Option<String> {
        self.digest(bytes)
            .map(|d| Blob::from(d.as_slice()).to_base64())
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of the algorithms this build computes, comma-separated.
fn available() -> String {
    let names: Vec<&str> = ChecksumAlgorithm::PRIORITY
        .into_iter()
        .filter(|a| a.is_available())
        .map(ChecksumAlgorithm::name)
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// What an operation's `httpChecksum` trait says of its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestChecksum<'a> {
    /// `requestChecksumRequired`: a request without a checksum is refused by the service.
    pub required: bool,
    /// The input member choosing the algorithm (`requestAlgorithmMember`), by its name in the
    /// model; errors about the chosen value name it.
    pub algorithm_member: &'a str,
    /// The header that member is bound to (`x-amz-sdk-checksum-algorithm` in S3): set to the
    /// algorithm used when the checksum is the required default.
    pub algorithm_header: Option<&'a str>,
    /// The `x-amz-checksum-*` headers input members are bound to: when the input sets one,
    /// its checksum is sent as given and none is computed.
    pub given_headers: &'a [&'a str],
}

/// Adds the checksum `spec` asks for to `request` (after its body is final): in the header of
/// the algorithm `chosen` (the value of the input's algorithm member), else, when the
/// operation requires a checksum, of [`ChecksumAlgorithm::DEFAULT`], also naming it in
/// [`RequestChecksum::algorithm_header`]. Nothing is computed when the input gives a checksum
/// header itself, or chooses no algorithm for an operation that does not require one.
/// Gives the algorithm used; a chosen algorithm this build does not compute is an error
/// naming the member.
pub fn request_checksum(
    request: &mut HttpRequest,
    chosen: Option<&str>,
    spec: &RequestChecksum<'_>,
) -> Result<Option<ChecksumAlgorithm>, EncodeError> {
    let has = |request: &HttpRequest, name: &str| {
        request
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if spec.given_headers.iter().any(|h| has(request, h)) {
        return Ok(None);
    }
    let unsupported = |value: &str| EncodeError {
        member: spec.algorithm_member.to_owned(),
        message: format!(
            "`{value}` is not a checksum algorithm this crate computes (it computes {})",
            available()
        ),
    };
    let algorithm = match chosen {
        Some(value) => ChecksumAlgorithm::from_name(value).ok_or_else(|| unsupported(value))?,
        None if spec.required => {
            let algorithm = ChecksumAlgorithm::DEFAULT;
            if let Some(header) = spec.algorithm_header {
                if !has(request, header) {
                    request
                        .headers
                        .push((header.to_owned(), algorithm.name().to_owned()));
                }
            }
            algorithm
        }
        None => return Ok(None),
    };
    let value = algorithm
        .checksum(&request.body)
        .ok_or_else(|| unsupported(algorithm.name()))?;
    request.headers.push((algorithm.header().to_owned(), value));
    Ok(Some(algorithm))
}

/// What [`validate_response`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChecksumValidation {
    /// The input did not ask for validation (its validation-mode member is not `ENABLED`).
    NotRequested,
    /// The response carries no checksum that can be validated: none of the operation's
    /// algorithms this build computes, or only composite ones of multipart objects (`...-3`).
    NoChecksum,
    /// The body's checksum by this algorithm is the one its header gives.
    Validated(ChecksumAlgorithm),
}

/// A response whose body does not have the checksum its header gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The header (`x-amz-checksum-crc32`).
    pub header: String,
    /// Its value: the checksum the service computed.
    pub expected: String,
    /// The checksum of the body received, by the same algorithm.
    pub actual: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response checksum mismatch: header `{}` gives `{}`, the body's is `{}`",
            self.header, self.expected, self.actual
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// Whether a checksum value is the composite checksum of a multipart object (the checksum of
/// its parts' checksums, then `-` and the number of parts), which the body does not give.
pub fn is_composite(value: &str) -> bool {
    value
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Validates the response's checksum when `enabled` (the input's validation-mode member is
/// `ENABLED`): the first of `algorithms` (the operation's `responseAlgorithms`, by name) in
/// [`ChecksumAlgorithm::PRIORITY`] order whose header the response carries with a checksum of
/// the whole body (composite multipart checksums are passed over). Names this build does not
/// compute are ignored. A body whose checksum differs is an error naming the header, the value
/// it gives and the body's.
pub fn validate_response(
    enabled: bool,
    algorithms: &[&str],
    response: &HttpResponse<'_>,
) -> Result<ChecksumValidation, ChecksumMismatch> {
    if !enabled {
        return Ok(ChecksumValidation::NotRequested);
    }
    let listed = |a: &ChecksumAlgorithm| {
        algorithms
            .iter()
            .any(|name| a.name().eq_ignore_ascii_case(name))
    };
    for algorithm in ChecksumAlgorithm::PRIORITY.into_iter().filter(listed) {
        let Some(expected) = crate::http::header(response.headers, algorithm.header()) else {
            continue;
        };
        let expected = expected.trim();
        if is_composite(expected) {
            continue;
        }
        let Some(digest) = algorithm.digest(response.body) else {
            continue;
        };
        if Blob::from_base64(expected).as_ref().map(Blob::as_bytes) == Some(digest.as_slice()) {
            return Ok(ChecksumValidation::Validated(algorithm));
        }
        return Err(ChecksumMismatch {
            header: algorithm.header().to_owned(),
            expected: expected.to_owned(),
            actual: Blob::from(digest.as_slice()).to_base64(),
        });
    }
    Ok(ChecksumValidation::NoChecksum)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The standard check input of the CRC catalogue.
    const CHECK: &[u8] = b"123456789";

    #[cfg_attr(
        not(any(
            feature = "crc32",
            feature = "crc32c",
            feature = "crc64nvme",
            feature = "sha1",
            feature = "sha256"
        )),
        allow(dead_code)
    )]
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn names_and_headers() {
        for a in ChecksumAlgorithm::PRIORITY {
            assert_eq!(ChecksumAlgorithm::from_name(a.name()), Some(a));
            assert_eq!(
                ChecksumAlgorithm::from_name(&a.name().to_lowercase()),
                Some(a)
            );
            assert_eq!(
                a.header(),
                format!("x-amz-checksum-{}", a.name().to_lowercase())
            );
        }
        assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
        assert_eq!(ChecksumAlgorithm::from_name("XXHASH64"), None);
    }

    #[test]
    fn composite_checksums() {
        assert!(is_composite("vaa6lg==-3"));
        assert!(is_composite("Zm9v-12"));
        assert!(!is_composite("vaa6lg=="));
        assert!(!is_composite("abc-"));
        assert!(!is_composite("ab-c"));
        // base64 has no `-`, so a plain checksum is never composite.
        assert!(!is_composite("+/+/AA=="));
    }

    #[cfg(feature = "crc32")]
    #[test]
    fn crc32_check_values() {
        // CRC-32/ISO-HDLC check value.
        assert_eq!(
            ChecksumAlgorithm::Crc32.digest(CHECK).map(|d| hex(&d)),
            Some("cbf43926".to_owned())
        );
        assert_eq!(
            ChecksumAlgorithm::Crc32.checksum(CHECK).as_deref(),
            Some("y/Q5Jg==")
        );
        // The empty body.
        assert_eq!(
            ChecksumAlgorithm::Crc32.checksum(b"").as_deref(),
            Some("AAAAAA==")
        );
    }

    #[cfg(feature = "crc32c")]
    #[test]
    fn crc32c_check_values() {
        assert_eq!(
            ChecksumAlgorithm::Crc32c.digest(CHECK).map(|d| hex(&d)),
            Some("e3069283".to_owned())
        );
        assert_eq!(
            ChecksumAlgorithm::Crc32c.checksum(CHECK).as_deref(),
            Some("4waSgw==")
        );
    }

    #[cfg(feature = "crc64nvme")]
    #[test]
    fn crc64nvme_check_values() {
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.digest(CHECK).map(|d| hex(&d)),
            Some("ae8b14860a799888".to_owned())
        );
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.checksum(CHECK).as_deref(),
            Some("rosUhgp5mIg=")
        );
    }

    #[cfg(feature = "sha1")]
    #[test]
    fn sha1_check_values() {
        // FIPS 180 example "abc".
        assert_eq!(
            ChecksumAlgorithm::Sha1.digest(b"abc").map(|d| hex(&d)),
            Some("a9993e364706816aba3e25717850c26c9cd0d89d".to_owned())
        );
        assert_eq!(
            ChecksumAlgorithm::Sha1.checksum(b"abc").as_deref(),
            Some("qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        );
    }

    #[cfg(feature = "sha256")]
    #[test]
    fn sha256_check_values() {
        assert_eq!(
            ChecksumAlgorithm::Sha256.digest(b"abc").map(|d| hex(&d)),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_owned())
        );
        assert_eq!(
            ChecksumAlgorithm::Sha256.checksum(b"abc").as_deref(),
            Some("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        );
    }

    const SPEC: RequestChecksum<'static> = RequestChecksum {
        required: true,
        algorithm_member: "ChecksumAlgorithm",
        algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
        given_headers: &["x-amz-checksum-crc32", "x-amz-checksum-sha256"],
    };

    fn request(body: &[u8]) -> HttpRequest {
        HttpRequest {
            method: "PUT".to_owned(),
            uri: "/".to_owned(),
            body: body.to_vec(),
            ..HttpRequest::default()
        }
    }

    #[cfg(feature = "crc32")]
    #[test]
    fn required_checksum_defaults_to_crc32_and_names_it() {
        let mut r = request(CHECK);
        assert_eq!(
            request_checksum(&mut r, None, &SPEC),
            Ok(Some(ChecksumAlgorithm::Crc32))
        );
        assert_eq!(
            r.headers,
            vec![
                (
                    "x-amz-sdk-checksum-algorithm".to_owned(),
                    "CRC32".to_owned()
                ),
                ("x-amz-checksum-crc32".to_owned(), "y/Q5Jg==".to_owned()),
            ]
        );
    }

    #[test]
    fn optional_checksum_without_a_choice_is_not_computed() {
        let mut r = request(CHECK);
        let spec = RequestChecksum {
            required: false,
            ..SPEC
        };
        assert_eq!(request_checksum(&mut r, None, &spec), Ok(None));
        assert!(r.headers.is_empty());
    }

    #[cfg(feature = "sha256")]
    #[test]
    fn chosen_algorithm_is_used() {
        let mut r = request(b"abc");
        // The rest binding already wrote the member's header.
        r.headers.push((
            "x-amz-sdk-checksum-algorithm".to_owned(),
            "SHA256".to_owned(),
        ));
        assert_eq!(
            request_checksum(&mut r, Some("SHA256"), &SPEC),
            Ok(Some(ChecksumAlgorithm::Sha256))
        );
        assert_eq!(
            r.headers.get(1),
            Some(&(
                "x-amz-checksum-sha256".to_owned(),
                "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=".to_owned()
            ))
        );
        assert_eq!(r.headers.len(), 2);
    }

    #[test]
    fn a_given_checksum_is_kept() {
        let mut r = request(b"abc");
        r.headers
            .push(("X-Amz-Checksum-Crc32".to_owned(), "given".to_owned()));
        assert_eq!(request_checksum(&mut r, Some("SHA256"), &SPEC), Ok(None));
        assert_eq!(
            r.headers,
            vec![("X-Amz-Checksum-Crc32".to_owned(), "given".to_owned())]
        );
    }

    #[test]
    fn an_unknown_algorithm_is_an_error_naming_the_member() {
        let mut r = request(b"abc");
        let error = request_checksum(&mut r, Some("XXHASH64"), &SPEC).unwrap_err();
        assert_eq!(error.member, "ChecksumAlgorithm");
        assert!(
            error
                .message
                .starts_with("`XXHASH64` is not a checksum algorithm this crate computes"),
            "{}",
            error.message
        );
    }

    fn response<'a>(headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> HttpResponse<'a> {
        HttpResponse {
            status: 200,
            headers,
            body,
        }
    }

    const ALL: &[&str] = &["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "XXHASH3"];

    #[test]
    fn validation_only_when_enabled() {
        let headers = [("x-amz-checksum-crc32", "AAAAAA==")];
        assert_eq!(
            validate_response(false, ALL, &response(&headers, CHECK)),
            Ok(ChecksumValidation::NotRequested)
        );
    }

    #[cfg(all(feature = "crc32", feature = "sha256"))]
    #[test]
    fn validation_takes_the_first_algorithm_in_priority_order() {
        // CRC32 comes before SHA256, whatever the header order.
        let headers = [
            (
                "x-amz-checksum-sha256",
                "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
            ),
            ("X-Amz-Checksum-CRC32", "NSRBwg=="),
        ];
        assert_eq!(
            validate_response(true, ALL, &response(&headers, b"abc")),
            Ok(ChecksumValidation::Validated(ChecksumAlgorithm::Crc32))
        );
        // An algorithm the operation does not list is not looked at.
        assert_eq!(
            validate_response(true, &["SHA256"], &response(&headers, b"abc")),
            Ok(ChecksumValidation::Validated(ChecksumAlgorithm::Sha256))
        );
    }

    #[cfg(all(feature = "crc32", feature = "sha256"))]
    #[test]
    fn composite_checksums_are_passed_over() {
        let headers = [
            ("x-amz-checksum-crc32", "NSRBwg==-2"),
            (
                "x-amz-checksum-sha256",
                "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
            ),
        ];
        assert_eq!(
            validate_response(true, ALL, &response(&headers, b"abc")),
            Ok(ChecksumValidation::Validated(ChecksumAlgorithm::Sha256))
        );
        let headers = [("x-amz-checksum-crc32", "NSRBwg==-2")];
        assert_eq!(
            validate_response(true, ALL, &response(&headers, b"abc")),
            Ok(ChecksumValidation::NoChecksum)
        );
        assert_eq!(
            validate_response(true, ALL, &response(&[], b"abc")),
            Ok(ChecksumValidation::NoChecksum)
        );
    }

    #[cfg(feature = "crc32")]
    #[test]
    fn a_mismatch_names_header_expected_and_actual() {
        let headers = [("x-amz-checksum-crc32", "AAAAAA==")];
        let error = validate_response(true, ALL, &response(&headers, CHECK)).unwrap_err();
        assert_eq!(
            error,
            ChecksumMismatch {
                header: "x-amz-checksum-crc32".to_owned(),
                expected: "AAAAAA==".to_owned(),
                actual: "y/Q5Jg==".to_owned(),
            }
        );
        assert_eq!(
            error.to_string(),
            "response checksum mismatch: header `x-amz-checksum-crc32` gives `AAAAAA==`, the body's is `y/Q5Jg==`"
        );
        // A value that is not base64 is a mismatch too, not a panic.
        let headers = [("x-amz-checksum-crc32", "not base64!")];
        assert!(validate_response(true, ALL, &response(&headers, CHECK)).is_err());
    }
}
