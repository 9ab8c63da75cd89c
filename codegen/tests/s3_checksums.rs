//! The real S3 model's `aws.protocols#httpChecksum` operations, generated (the model is read from
//! `$SMITHY_MODELS_DIR`, else `shared/models/aws` beside the repository; the test fails if
//! neither exists). `ecr-tests/tests/checksum.rs` runs the same code on a fixture shaped like
//! these operations; here the S3 crate's code is checked for every operation S3 marks.

use std::collections::BTreeMap;

mod data;

/// Each operation's `encode_request` and inherent impl, by operation name.
fn s3() -> (String, BTreeMap<String, String>) {
    let path = data::models_dir().join("s3-2006-03-01.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("the S3 model is missing: set $SMITHY_MODELS_DIR or put shared/models/aws beside the repository ({}: {e})", path.display())
    });
    let model = smithy_codegen::load("s3-2006-03-01.json", &bytes).unwrap_or_else(|e| panic!("{e}"));
    let settings = smithy_codegen::Settings {
        crate_name: None,
        runtime_path: "../runtime".to_owned(),
        standalone: false,
        service: None,
        version: None,
        partitions: Some(data::partitions_text()),
    };
    let files = smithy_codegen::generate(&model, &settings).unwrap_or_else(|e| panic!("{e}")).files;
    let operations = &files["src/operations.rs"];
    let mut by_name = BTreeMap::new();
    for item in operations.split("\nimpl ").skip(1) {
        let name = item
            .strip_prefix("rt::operation::EncodeRequest for ")
            .unwrap_or(item)
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned();
        by_name.entry(name).or_insert_with(String::new).push_str(item);
    }
    (files["Cargo.toml"].clone(), by_name)
}

/// The `request_checksum` step of an operation, whitespace removed.
fn checksum_step(ops: &BTreeMap<String, String>, name: &str) -> Option<String> {
    let code = ops.get(name).unwrap_or_else(|| panic!("no operation {name}"));
    let start = code.find("rt::checksum::request_checksum(")?;
    let end = start + code[start..].find(")?;")?;
    Some(code[start..end].split_whitespace().collect())
}

#[test]
fn s3_operations_send_the_checksums_s3_requires() {
    let (cargo_toml, ops) = s3();
    for feature in ["\"crc32\"", "\"crc32c\"", "\"crc64nvme\"", "\"sha1\"", "\"sha256\""] {
        assert!(cargo_toml.contains(feature), "the S3 crate lacks the runtime feature {feature}:\n{cargo_toml}");
    }
    // The 24 operations S3 marks `requestChecksumRequired` send CRC32 when no algorithm is chosen,
    // naming it in `x-amz-sdk-checksum-algorithm`.
    let required: Vec<&String> = ops
        .keys()
        .filter(|name| checksum_step(&ops, name).is_some_and(|step| step.contains("required:true")))
        .collect();
    assert_eq!(required.len(), 24, "{required:?}");
    for name in ["DeleteObjects", "PutBucketLifecycleConfiguration", "PutBucketCors", "PutObjectLockConfiguration"] {
        let step = checksum_step(&ops, name).unwrap_or_else(|| panic!("{name} computes no checksum"));
        assert_eq!(
            step,
            "rt::checksum::request_checksum(&mutrequest,input.checksum_algorithm.as_ref().map(|value|value.as_str()),\
             &rt::checksum::RequestChecksum{required:true,algorithm_member:\"ChecksumAlgorithm\",\
             algorithm_header:::std::option::Option::Some(\"x-amz-sdk-checksum-algorithm\",),given_headers:&[],},",
            "{name}"
        );
    }
    // PutObject: the chosen algorithm only, and the checksums the caller gives kept (all ten of
    // S3's `x-amz-checksum-*` members, not `x-amz-checksum-type`).
    let step = checksum_step(&ops, "PutObject").expect("PutObject computes a checksum");
    assert!(step.contains("required:false"), "{step}");
    for algorithm in ["crc32", "crc32c", "crc64nvme", "sha1", "sha256", "sha512", "md5", "xxhash64", "xxhash3", "xxhash128"] {
        assert!(step.contains(&format!("\"x-amz-checksum-{algorithm}\"")), "{algorithm}: {step}");
    }
    assert!(!step.contains("x-amz-checksum-type"), "{step}");
    // Operations without the trait compute none.
    for name in ["ListBuckets", "HeadObject", "CreateBucket"] {
        assert_eq!(checksum_step(&ops, name), None, "{name}");
    }
    // GetObject validates responses when `ChecksumMode` is ENABLED.
    let get = &ops["GetObject"];
    assert!(get.contains("pub fn validate_response_checksum("), "{get}");
    assert!(get.contains("input.checksum_mode.as_ref().map(|value| value.as_str())"), "{get}");
    assert_eq!(ops.values().filter(|code| code.contains("pub fn validate_response_checksum(")).count(), 1);
}
