//! `aws.protocols#httpChecksum` in a generated crate (`codegen/tests/fixtures/checksum.json`,
//! shaped like S3's checksum operations): the request checksum headers of each algorithm, the
//! CRC32 default of operations that require a checksum, checksums the caller gives, and the
//! validation of response checksums.
//!
//! Expected values come from the algorithms' published check values (the CRC catalogue's
//! `123456789`, FIPS 180's `abc`) and from bit-by-bit reference CRCs written here, independent
//! of the crates the runtime uses.

use golden_checksum::operations::{DeleteObjects, GetObject, PutBucketLifecycleConfiguration, PutObject, PutRequired};
use golden_checksum::types::{
    BucketLifecycleConfiguration, ChecksumAlgorithm, ChecksumMode, Delete, DeleteObjectsInput, GetObjectInput,
    LifecycleRule, ObjectIdentifier, PutBucketLifecycleConfigurationInput, PutObjectInput, PutRequiredInput,
};
use smithy_runtime::checksum::{ChecksumAlgorithm as Algorithm, ChecksumMismatch, ChecksumValidation};
use smithy_runtime::http::{header, HttpRequest, HttpResponse};
use smithy_runtime::operation::{EncodeRequest, Operation};
use smithy_runtime::Blob;

/// A reflected CRC, bit by bit: `poly` reflected, initial value and final xor all ones (the
/// parameters of CRC-32/ISO-HDLC, CRC-32C and CRC-64/NVME).
fn reference_crc(poly: u64, width: u32, bytes: &[u8]) -> u64 {
    let mask = if width == 64 { u64::MAX } else { (1 << width) - 1 };
    let mut crc = mask;
    for &b in bytes {
        crc ^= u64::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ poly } else { crc >> 1 };
        }
    }
    crc ^ mask
}

fn crc32(bytes: &[u8]) -> String {
    base64(&(reference_crc(0xEDB8_8320, 32, bytes) as u32).to_be_bytes())
}

fn crc32c(bytes: &[u8]) -> String {
    base64(&(reference_crc(0x82F6_3B78, 32, bytes) as u32).to_be_bytes())
}

fn crc64nvme(bytes: &[u8]) -> String {
    base64(&reference_crc(0x9A6C_9329_AC4B_C9B5, 64, bytes).to_be_bytes())
}

fn base64(bytes: &[u8]) -> String {
    Blob::from(bytes).to_base64()
}

fn hex_to_base64(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    base64(&bytes)
}

fn headers(request: &HttpRequest) -> Vec<(&str, &str)> {
    request.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn checksum_headers(request: &HttpRequest) -> Vec<(&str, &str)> {
    headers(request).into_iter().filter(|(k, _)| k.starts_with("x-amz-checksum-") || k.starts_with("x-amz-sdk-")).collect()
}

#[test]
fn the_reference_crcs_give_the_catalogue_check_values() {
    assert_eq!(reference_crc(0xEDB8_8320, 32, b"123456789"), 0xCBF4_3926);
    assert_eq!(reference_crc(0x82F6_3B78, 32, b"123456789"), 0xE306_9283);
    assert_eq!(reference_crc(0x9A6C_9329_AC4B_C9B5, 64, b"123456789"), 0xAE8B_1486_0A79_9888);
}

fn put_object(body: &[u8], algorithm: Option<ChecksumAlgorithm>) -> PutObjectInput {
    let mut input = PutObjectInput::new("bucket", "key.txt");
    input.body = Some(Blob::from(body));
    input.checksum_algorithm = algorithm;
    input
}

#[test]
fn put_object_sends_the_chosen_algorithm_s_checksum() {
    let cases = [
        (ChecksumAlgorithm::Crc32, "x-amz-checksum-crc32", crc32(b"123456789")),
        (ChecksumAlgorithm::Crc32c, "x-amz-checksum-crc32c", crc32c(b"123456789")),
        (ChecksumAlgorithm::Crc64nvme, "x-amz-checksum-crc64nvme", crc64nvme(b"123456789")),
        (ChecksumAlgorithm::Sha1, "x-amz-checksum-sha1", hex_to_base64("f7c3bc1d808e04732adf679965ccc34ca7ae3441")),
        (
            ChecksumAlgorithm::Sha256,
            "x-amz-checksum-sha256",
            hex_to_base64("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"),
        ),
    ];
    for (algorithm, name, value) in cases {
        let request = PutObject::encode_request(&put_object(b"123456789", Some(algorithm.clone()))).unwrap();
        assert_eq!(
            checksum_headers(&request),
            vec![("x-amz-sdk-checksum-algorithm", algorithm.as_str()), (name, value.as_str())],
            "{algorithm}"
        );
    }
    // The catalogue's check values, as S3 would receive them.
    let request = PutObject::encode_request(&put_object(b"123456789", Some(ChecksumAlgorithm::Crc32))).unwrap();
    assert_eq!(header(&headers(&request), "x-amz-checksum-crc32"), Some("y/Q5Jg=="));
    let request = PutObject::encode_request(&put_object(b"123456789", Some(ChecksumAlgorithm::Crc64nvme))).unwrap();
    assert_eq!(header(&headers(&request), "x-amz-checksum-crc64nvme"), Some("rosUhgp5mIg="));
    // FIPS 180's "abc".
    let request = PutObject::encode_request(&put_object(b"abc", Some(ChecksumAlgorithm::Sha256))).unwrap();
    assert_eq!(
        header(&headers(&request), "x-amz-checksum-sha256"),
        Some(hex_to_base64("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").as_str())
    );
    let request = PutObject::encode_request(&put_object(b"abc", Some(ChecksumAlgorithm::Sha1))).unwrap();
    assert_eq!(
        header(&headers(&request), "x-amz-checksum-sha1"),
        Some(hex_to_base64("a9993e364706816aba3e25717850c26c9cd0d89d").as_str())
    );
}

#[test]
fn put_object_without_an_algorithm_sends_no_checksum() {
    // The operation does not require one: nothing is computed unless the input chooses.
    let request = PutObject::encode_request(&put_object(b"hello", None)).unwrap();
    assert_eq!(checksum_headers(&request), vec![]);
    // An empty body still gets a checksum when one is chosen.
    let request = PutObject::encode_request(&put_object(b"", Some(ChecksumAlgorithm::Crc32))).unwrap();
    assert_eq!(header(&headers(&request), "x-amz-checksum-crc32"), Some("AAAAAA=="));
}

#[test]
fn a_checksum_the_caller_gives_is_sent_as_given() {
    let mut input = put_object(b"hello", Some(ChecksumAlgorithm::Crc32));
    input.checksum_crc32 = Some("precomputed".into());
    let request = PutObject::encode_request(&input).unwrap();
    assert_eq!(
        checksum_headers(&request),
        vec![("x-amz-sdk-checksum-algorithm", "CRC32"), ("x-amz-checksum-crc32", "precomputed")]
    );
    // Also a checksum of an algorithm the runtime does not compute.
    let mut input = put_object(b"hello", Some(ChecksumAlgorithm::Xxhash64));
    input.checksum_xxhash64 = Some("given".into());
    let request = PutObject::encode_request(&input).unwrap();
    assert_eq!(
        checksum_headers(&request),
        vec![("x-amz-sdk-checksum-algorithm", "XXHASH64"), ("x-amz-checksum-xxhash64", "given")]
    );
}

#[test]
fn an_algorithm_the_runtime_does_not_compute_is_an_error() {
    let error = PutObject::encode_request(&put_object(b"hello", Some(ChecksumAlgorithm::Xxhash64))).unwrap_err();
    assert_eq!(error.member, "ChecksumAlgorithm");
    assert_eq!(
        error.to_string(),
        "member `ChecksumAlgorithm`: `XXHASH64` is not a checksum algorithm this crate computes (it computes CRC64NVME, CRC32C, CRC32, SHA1, SHA256)"
    );
    let error =
        PutObject::encode_request(&put_object(b"hello", Some(ChecksumAlgorithm::from("MD4")))).unwrap_err();
    assert!(error.message.starts_with("`MD4` is not a checksum algorithm"), "{error}");
}

fn delete_objects(algorithm: Option<ChecksumAlgorithm>) -> DeleteObjectsInput {
    let mut delete = Delete::new(vec![ObjectIdentifier::new("sample1.txt"), ObjectIdentifier::new("sample2.txt")]);
    delete.quiet = Some(true);
    let mut input = DeleteObjectsInput::new("examplebucket", delete);
    input.checksum_algorithm = algorithm;
    input
}

#[test]
fn delete_objects_gets_the_crc32_s3_requires() {
    let request = DeleteObjects::encode_request(&delete_objects(None)).unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/examplebucket?delete");
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(body.contains("<Object><Key>sample1.txt</Key></Object>"), "{body}");
    // The default algorithm is named as the SDKs name it, and the checksum is of the body sent.
    assert_eq!(
        checksum_headers(&request),
        vec![("x-amz-sdk-checksum-algorithm", "CRC32"), ("x-amz-checksum-crc32", crc32(&request.body).as_str())]
    );
    // A chosen algorithm replaces the default.
    let request = DeleteObjects::encode_request(&delete_objects(Some(ChecksumAlgorithm::Crc64nvme))).unwrap();
    assert_eq!(
        checksum_headers(&request),
        vec![
            ("x-amz-sdk-checksum-algorithm", "CRC64NVME"),
            ("x-amz-checksum-crc64nvme", crc64nvme(&request.body).as_str())
        ]
    );
}

#[test]
fn put_bucket_lifecycle_configuration_gets_a_checksum_of_each_algorithm() {
    let mut rule = LifecycleRule::new("Enabled");
    rule.id = Some("expire-logs".into());
    let mut input = PutBucketLifecycleConfigurationInput::new("examplebucket");
    input.lifecycle_configuration = Some(BucketLifecycleConfiguration::new(vec![rule]));
    let request = PutBucketLifecycleConfiguration::encode_request(&input).unwrap();
    assert_eq!(request.uri, "/examplebucket?lifecycle");
    assert_eq!(header(&headers(&request), "x-amz-checksum-crc32"), Some(crc32(&request.body).as_str()));
    input.checksum_algorithm = Some(ChecksumAlgorithm::Crc32c);
    let request = PutBucketLifecycleConfiguration::encode_request(&input).unwrap();
    assert_eq!(
        checksum_headers(&request),
        vec![("x-amz-sdk-checksum-algorithm", "CRC32C"), ("x-amz-checksum-crc32c", crc32c(&request.body).as_str())]
    );
}

#[test]
fn a_required_checksum_without_an_algorithm_member_is_crc32() {
    let mut input = PutRequiredInput::new("bucket");
    input.body = Some(Blob::from(&b"123456789"[..]));
    let request = PutRequired::encode_request(&input).unwrap();
    // No member to name the algorithm in.
    assert_eq!(checksum_headers(&request), vec![("x-amz-checksum-crc32", "y/Q5Jg==")]);
    assert_eq!(header(&headers(&request), "Content-MD5"), None);
}

fn get_object(mode: Option<ChecksumMode>) -> GetObjectInput {
    let mut input = GetObjectInput::new("bucket", "key.txt");
    input.checksum_mode = mode;
    input
}

fn response<'a>(headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> HttpResponse<'a> {
    HttpResponse { status: 200, headers, body }
}

#[test]
fn get_object_asks_for_checksums_and_validates_them() {
    let input = get_object(Some(ChecksumMode::Enabled));
    let request = GetObject::encode_request(&input).unwrap();
    assert_eq!(header(&headers(&request), "x-amz-checksum-mode"), Some("ENABLED"));

    let body = b"123456789";
    let crc = crc32(body);
    let sha = hex_to_base64("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225");
    let good = [("x-amz-checksum-sha256", sha.as_str()), ("x-amz-checksum-crc32", crc.as_str())];
    // CRC32 before SHA256, whatever the order of the headers.
    assert_eq!(
        GetObject::validate_response_checksum(&input, &response(&good, body)),
        Ok(ChecksumValidation::Validated(Algorithm::Crc32))
    );
    let output = GetObject::decode_response(&response(&good, body)).unwrap();
    assert_eq!(output.body.as_ref().map(Blob::as_bytes), Some(&body[..]));

    // A body that changed on the way.
    let error = GetObject::validate_response_checksum(&input, &response(&good, b"123456780")).unwrap_err();
    assert_eq!(
        error,
        ChecksumMismatch {
            header: "x-amz-checksum-crc32".into(),
            expected: crc.clone(),
            actual: crc32(b"123456780"),
        }
    );
    assert!(error.to_string().contains("x-amz-checksum-crc32"), "{error}");

    // Not asked for: nothing is validated, even a wrong checksum.
    assert_eq!(
        GetObject::validate_response_checksum(&get_object(None), &response(&good, b"other")),
        Ok(ChecksumValidation::NotRequested)
    );
}

#[test]
fn composite_and_unlisted_checksums_are_not_validated() {
    let input = get_object(Some(ChecksumMode::Enabled));
    let body = b"abc";
    // A multipart object's composite checksum is passed over for the next algorithm.
    let sha = hex_to_base64("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    let headers = [("x-amz-checksum-crc32", "oVoM3Q==-3"), ("x-amz-checksum-sha256", sha.as_str())];
    assert_eq!(
        GetObject::validate_response_checksum(&input, &response(&headers, body)),
        Ok(ChecksumValidation::Validated(Algorithm::Sha256))
    );
    let headers = [("x-amz-checksum-crc32", "oVoM3Q==-3")];
    assert_eq!(
        GetObject::validate_response_checksum(&input, &response(&headers, body)),
        Ok(ChecksumValidation::NoChecksum)
    );
    // MD5 is not among GetObject's responseAlgorithms here; XXHASH64 is, but is not computed.
    let headers = [("x-amz-checksum-md5", "wrong"), ("x-amz-checksum-xxhash64", "wrong")];
    assert_eq!(
        GetObject::validate_response_checksum(&input, &response(&headers, body)),
        Ok(ChecksumValidation::NoChecksum)
    );
    assert_eq!(
        GetObject::RESPONSE_CHECKSUM_ALGORITHMS,
        &["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1", "XXHASH64"]
    );
}

#[test]
fn aws_sdk_hello_world_checksums() {
    // The values the AWS SDKs' own tests expect for the body "Hello world".
    let cases = [
        (ChecksumAlgorithm::Crc32, "x-amz-checksum-crc32", "i9aeUg=="),
        (ChecksumAlgorithm::Crc32c, "x-amz-checksum-crc32c", "crUfeA=="),
        (ChecksumAlgorithm::Sha1, "x-amz-checksum-sha1", "e1AsOh9IyGCa4hLN+2Od7jlnP14="),
        (ChecksumAlgorithm::Sha256, "x-amz-checksum-sha256", "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="),
    ];
    for (algorithm, name, value) in cases {
        let request = PutObject::encode_request(&put_object(b"Hello world", Some(algorithm))).unwrap();
        assert_eq!(header(&headers(&request), name), Some(value));
    }
    assert_eq!(crc32(b"Hello world"), "i9aeUg==");
    assert_eq!(crc32c(b"Hello world"), "crUfeA==");
}
