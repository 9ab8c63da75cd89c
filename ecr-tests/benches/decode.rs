//! Decoding cost of the generated ECR error decoders, each beside a `#[derive(Deserialize)]`
//! baseline that decodes the same input into an equivalent struct.
//!
//! Run with `cargo bench -p ecr-tests --bench decode` (or `cargo xtask bench decode`, which
//! passes `--tsv` and turns the lines into a table). A hand-rolled harness, so that no
//! benchmark framework enters the workspace's dependencies: each case is timed in batches of
//! the same iteration count (about 2 ms a batch), ours and the baseline alternating batch by
//! batch so that both see the same machine noise. The times are the medians of the batches;
//! the ratio is the median of the ratios of neighbouring batches (ours over the baseline's),
//! which cancels the slow swings of a shared machine's load.
//!
//! Options (after `--`): `--tsv` prints `case<TAB>ours ns<TAB>baseline ns<TAB>ratio<TAB>note`
//! lines; `--batches N` sets the number of batches per side (default 101); `--iters N` fixes
//! the iterations per batch instead of calibrating them (for a profiler: `valgrind
//! --tool=callgrind <bench binary> "from bytes" --batches 1 --iters 10000`); any other word
//! selects the cases whose name contains it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use ecr::operations::{BatchGetImage, DescribeImageScanFindings, DescribeImages, PutImage};
use ecr::types::{BatchGetImageRequest, ImageIdentifier, PutImageRequest};
use serde::Serialize;
use smithy_runtime::operation::EncodeRequest;
use ecr::{StartImageScanError, UploadLayerPartError};
use smithy_runtime::operation::Operation;
use serde::Deserialize;
use smithy_runtime::http::HttpResponse;
use smithy_runtime::json::{Arena, Parsed};
use smithy_runtime::xml;

/// `ImageNotFoundException`, as ECR sends it for StartImageScan (awsJson1_1: the code in `__type`).
const IMAGE_NOT_FOUND: &str = r#"{"__type":"ImageNotFoundException","message":"The image with imageId {imageDigest:'null', imageTag:'latest'} does not exist within the repository with name 'my-repo' in the registry with id '123456789012'"}"#;

/// `InvalidLayerPartException`, the ECR error structure with the most members.
const INVALID_LAYER_PART: &str = r#"{"__type":"InvalidLayerPartException","registryId":"123456789012","repositoryName":"my-repo","uploadId":"8f3a3a9c-5b1e-4f1e-9d7a-0c1b2d3e4f5a","lastValidByteReceived":20971519,"message":"The layer part size is not valid, or the first byte specified is not consecutive to the last byte of a previous layer part upload."}"#;

/// The same error as an XML `<Error>` element (what `from_xml` decodes).
const INVALID_LAYER_PART_XML: &str = "<ErrorResponse><Error><Type>Sender</Type>\
<Code>InvalidLayerPartException</Code><registryId>123456789012</registryId>\
<repositoryName>my-repo</repositoryName><uploadId>8f3a3a9c-5b1e-4f1e-9d7a-0c1b2d3e4f5a</uploadId>\
<lastValidByteReceived>20971519</lastValidByteReceived><Message>The layer part size is not \
valid, or the first byte specified is not consecutive to the last byte of a previous layer \
part upload.</Message></Error><RequestId>0b6c1f8e-2d3a-4c5b-8e9f-1a2b3c4d5e6f</RequestId>\
</ErrorResponse>";

/// The headers of a real awsJson1_1 error response.
const HEADERS: [(&str, &str); 3] = [
    ("x-amzn-RequestId", "0b6c1f8e-2d3a-4c5b-8e9f-1a2b3c4d5e6f"),
    ("Content-Type", "application/x-amz-json-1.1"),
    ("Date", "Tue, 29 Apr 2014 18:30:38 GMT"),
];

/// Baseline for `ImageNotFoundException`: its one member, plus the code that the generated
/// decoder also reads to pick the error.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ImageNotFoundBaseline {
    #[serde(rename = "__type")]
    code: Option<String>,
    message: Option<String>,
}

/// Baseline for `InvalidLayerPartException`: its five members, plus the code.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct InvalidLayerPartBaseline {
    #[serde(rename = "__type")]
    code: Option<String>,
    registry_id: Option<String>,
    repository_name: Option<String>,
    upload_id: Option<String>,
    last_valid_byte_received: Option<i64>,
    message: Option<String>,
}

/// A `DescribeImages` response of `n` image details, as ECR writes one.
fn describe_images_body(n: usize) -> String {
    let details: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"registryId":"123456789012","repositoryName":"team/service-{r}","imageDigest":"sha256:{i:064x}","imageTags":["v1.{i}","build-{i}"],"imageSizeInBytes":{size},"imagePushedAt":{pushed}.{ms:03},"imageScanStatus":{{"status":"COMPLETE","description":"The scan was completed successfully."}},"imageScanFindingsSummary":{{"imageScanCompletedAt":{pushed},"vulnerabilitySourceUpdatedAt":1699990000,"findingSeverityCounts":{{"HIGH":{h},"MEDIUM":{m},"LOW":3}}}},"imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json","artifactMediaType":"application/vnd.docker.container.image.v1+json","lastRecordedPullTime":{pulled}}}"#,
                r = i % 7,
                size = 10_000_000 + i * 4096,
                pushed = 1_700_000_000 + i,
                ms = i % 1000,
                h = i % 3,
                m = i % 11,
                pulled = 1_700_100_000 + i * 3,
            )
        })
        .collect();
    format!(r#"{{"imageDetails":[{}],"nextToken":"eyJuZXh0IjoxMDAwfQ=="}}"#, details.join(","))
}

/// A `DescribeImageScanFindings` response of `n` findings.
fn scan_findings_body(n: usize) -> String {
    let severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];
    let findings: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"CVE-2023-{i:05}","description":"A flaw was found in package {i} that allows a remote attacker to cause a denial of service.","uri":"https://security-tracker.debian.org/tracker/CVE-2023-{i:05}","severity":"{sev}","attributes":[{{"key":"package_version","value":"1.{i}.0-1"}},{{"key":"package_name","value":"lib{i}"}},{{"key":"CVSS2_VECTOR","value":"AV:N/AC:L/Au:N/C:N/I:N/A:P"}},{{"key":"CVSS2_SCORE","value":"5.0"}}]}}"#,
                sev = severities[i % severities.len()],
            )
        })
        .collect();
    format!(
        r#"{{"registryId":"123456789012","repositoryName":"team/service","imageId":{{"imageDigest":"sha256:abc","imageTag":"latest"}},"imageScanStatus":{{"status":"COMPLETE","description":"The scan was completed successfully."}},"imageScanFindings":{{"imageScanCompletedAt":1700000100,"vulnerabilitySourceUpdatedAt":1699990000,"findingSeverityCounts":{{"HIGH":200,"LOW":200}},"findings":[{}]}},"nextToken":"page2"}}"#,
        findings.join(",")
    )
}

/// Baseline for `DescribeImagesResponse`: the same members, enums as strings, timestamps as
/// seconds.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DescribeImagesBaseline {
    image_details: Option<Vec<ImageDetailBaseline>>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ImageDetailBaseline {
    registry_id: Option<String>,
    repository_name: Option<String>,
    image_digest: Option<String>,
    image_tags: Option<Vec<String>>,
    image_size_in_bytes: Option<i64>,
    image_pushed_at: Option<f64>,
    image_scan_status: Option<ScanStatusBaseline>,
    image_scan_findings_summary: Option<FindingsSummaryBaseline>,
    image_manifest_media_type: Option<String>,
    artifact_media_type: Option<String>,
    last_recorded_pull_time: Option<f64>,
    subject_manifest_digest: Option<String>,
    image_status: Option<String>,
    last_archived_at: Option<f64>,
    last_activated_at: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ScanStatusBaseline {
    status: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct FindingsSummaryBaseline {
    image_scan_completed_at: Option<f64>,
    vulnerability_source_updated_at: Option<f64>,
    finding_severity_counts: Option<BTreeMap<String, i32>>,
}

/// Baseline for `DescribeImageScanFindingsResponse` (the basic scan's findings).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ScanFindingsBaseline {
    registry_id: Option<String>,
    repository_name: Option<String>,
    image_id: Option<ImageIdBaseline>,
    image_scan_status: Option<ScanStatusBaseline>,
    image_scan_findings: Option<FindingsBaseline>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ImageIdBaseline {
    #[serde(skip_serializing_if = "Option::is_none")]
    image_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_tag: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct FindingsBaseline {
    image_scan_completed_at: Option<f64>,
    vulnerability_source_updated_at: Option<f64>,
    finding_severity_counts: Option<BTreeMap<String, i32>>,
    findings: Option<Vec<FindingBaseline>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FindingBaseline {
    name: Option<String>,
    description: Option<String>,
    uri: Option<String>,
    severity: Option<String>,
    attributes: Option<Vec<AttributeBaseline>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct AttributeBaseline {
    key: String,
    value: Option<String>,
}

/// Baseline for `BatchGetImageRequest`, serialized with `#[derive(Serialize)]`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchGetImageBaseline {
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_id: Option<String>,
    repository_name: String,
    image_ids: Vec<ImageIdBaseline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_media_types: Option<Vec<String>>,
}

/// Baseline for `PutImageRequest`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PutImageBaseline {
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_id: Option<String>,
    repository_name: String,
    image_manifest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_manifest_media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_tag: Option<String>,
}

/// An image identifier by digest only: `sha256:` and `i` as 64 hex digits.
fn digest_id(i: i32) -> ImageIdentifier {
    let mut id = ImageIdentifier::default();
    id.image_digest = Some(format!("sha256:{i:064x}"));
    id
}

/// A 100 kB image manifest: JSON text (quotes and newlines to escape), as ECR receives one.
fn manifest_100kb() -> String {
    let mut layers = Vec::new();
    let mut i = 0;
    while layers.iter().map(String::len).sum::<usize>() < 100_000 {
        layers.push(format!(
            "    {{\n      \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n      \"size\": {},\n      \"digest\": \"sha256:{i:064x}\"\n    }}",
            1000 + i
        ));
        i += 1;
    }
    format!(
        "{{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n  \"layers\": [\n{}\n  ]\n}}",
        layers.join(",\n")
    )
}

/// One measured case: nanoseconds per decode, medians of the batches.
struct Row {
    name: &'static str,
    ours: f64,
    baseline: f64,
    /// Median of the per-batch-pair ratios.
    ratio: f64,
    note: &'static str,
}

struct Bench {
    batches: usize,
    /// A fixed iteration count per batch instead of calibrating (for profilers).
    iters: Option<u64>,
    filters: Vec<String>,
    rows: Vec<Row>,
}

/// How long one batch should take.
const BATCH: Duration = Duration::from_millis(2);

impl Bench {
    /// Times `ours` against `baseline`, unless the filters exclude `name`.
    fn compare<A, B, RA, RB>(
        &mut self,
        name: &'static str,
        note: &'static str,
        mut ours: A,
        mut baseline: B,
    ) where
        A: FnMut() -> RA,
        B: FnMut() -> RB,
    {
        if !self.filters.is_empty() && !self.filters.iter().any(|f| name.contains(f.as_str())) {
            return;
        }
        // Warm up, then find an iteration count that makes the slower side's batch ~BATCH.
        let mut iters: u64 = self.iters.unwrap_or(1);
        while self.iters.is_none() {
            let slower = batch(&mut ours, iters).max(batch(&mut baseline, iters));
            if slower >= BATCH || iters >= 1 << 30 {
                break;
            }
            let grow = (BATCH.as_secs_f64() / slower.as_secs_f64().max(1e-9)).clamp(2.0, 100.0);
            iters = ((iters as f64) * grow).ceil() as u64;
        }
        let mut a = Vec::with_capacity(self.batches);
        let mut b = Vec::with_capacity(self.batches);
        for i in 0..self.batches {
            // Alternate which side goes first, so that neither always follows the other.
            if i % 2 == 0 {
                a.push(batch(&mut ours, iters));
                b.push(batch(&mut baseline, iters));
            } else {
                b.push(batch(&mut baseline, iters));
                a.push(batch(&mut ours, iters));
            }
        }
        let mut ratios: Vec<f64> = a
            .iter()
            .zip(&b)
            .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64().max(1e-12))
            .collect();
        ratios.sort_by(f64::total_cmp);
        let ratio = ratios[ratios.len() / 2];
        let per_iter = |times: &mut Vec<Duration>| median(times).as_nanos() as f64 / iters as f64;
        self.rows.push(Row {
            name,
            ours: per_iter(&mut a),
            baseline: per_iter(&mut b),
            ratio,
            note,
        });
    }
}

fn batch<F: FnMut() -> R, R>(f: &mut F, iters: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    started.elapsed()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let mut tsv = false;
    let mut batches = 101;
    let mut iters = None;
    let mut filters = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tsv" => tsv = true,
            "--batches" => {
                batches = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n: &usize| n > 0)
                    .expect("--batches needs a positive number");
            }
            "--iters" => {
                iters = Some(
                    args.next()
                        .and_then(|n| n.parse().ok())
                        .filter(|&n: &u64| n > 0)
                        .expect("--iters needs a positive number"),
                );
            }
            // `cargo bench` passes `--bench`; ignore it and any other flag.
            flag if flag.starts_with('-') => {}
            word => filters.push(word.to_owned()),
        }
    }
    let mut bench = Bench {
        batches,
        iters,
        filters,
        rows: Vec::new(),
    };
    check_decoders();

    // Requests: the input to the whole request (method, headers, body bytes).
    let ids: Vec<ImageIdentifier> = (0..1_000)
        .map(digest_id)
        .collect();
    let batch_input = BatchGetImageRequest::new("team/service", ids.clone());
    let batch_baseline = BatchGetImageBaseline {
        registry_id: None,
        repository_name: "team/service".to_owned(),
        image_ids: ids
            .iter()
            .map(|id| ImageIdBaseline { image_digest: id.image_digest.clone(), image_tag: None })
            .collect(),
        accepted_media_types: None,
    };
    bench.compare(
        "BatchGetImage request, 1,000 imageIds, encode",
        "encode_request vs serde_json::to_vec",
        || BatchGetImage::encode_request(black_box(&batch_input)),
        || serde_json::to_vec(black_box(&batch_baseline)),
    );
    let manifest = manifest_100kb();
    let mut put_input = PutImageRequest::new("team/service", manifest.clone());
    put_input.image_tag = Some("v1".to_owned());
    let put_baseline = PutImageBaseline {
        registry_id: None,
        repository_name: "team/service".to_owned(),
        image_manifest: manifest.clone(),
        image_manifest_media_type: None,
        image_tag: Some("v1".to_owned()),
    };
    bench.compare(
        "PutImage request, 100 kB manifest, encode",
        "encode_request vs serde_json::to_vec",
        || PutImage::encode_request(black_box(&put_input)),
        || serde_json::to_vec(black_box(&put_baseline)),
    );

    // Outputs: whole success responses, bytes to the output structure.
    let images = describe_images_body(1_000);
    let images_response = HttpResponse { status: 200, headers: &HEADERS, body: images.as_bytes() };
    bench.compare(
        "DescribeImages output, 1,000 imageDetails, from bytes",
        "decode_response vs serde_json::from_slice",
        || DescribeImages::decode_response(black_box(&images_response)),
        || serde_json::from_slice::<DescribeImagesBaseline>(black_box(images.as_bytes())),
    );
    bench.compare(
        "DescribeImages output body to json::Parsed only",
        "Parsed::from_slice vs from_slice (reference: the tree decode_response reads)",
        || {
            let arena = Arena::with_capacity(images.len());
            Parsed::from_slice(black_box(images.as_bytes()), &arena).is_ok()
        },
        || serde_json::from_slice::<DescribeImagesBaseline>(black_box(images.as_bytes())),
    );
    let findings = scan_findings_body(1_000);
    let findings_response = HttpResponse { status: 200, headers: &HEADERS, body: findings.as_bytes() };
    bench.compare(
        "DescribeImageScanFindings output, 1,000 findings, from bytes",
        "decode_response vs serde_json::from_slice",
        || DescribeImageScanFindings::decode_response(black_box(&findings_response)),
        || serde_json::from_slice::<ScanFindingsBaseline>(black_box(findings.as_bytes())),
    );
    bench.compare(
        "DescribeImageScanFindings output body to json::Parsed only",
        "Parsed::from_slice vs from_slice (reference: the tree decode_response reads)",
        || {
            let arena = Arena::with_capacity(findings.len());
            Parsed::from_slice(black_box(findings.as_bytes()), &arena).is_ok()
        },
        || serde_json::from_slice::<ScanFindingsBaseline>(black_box(findings.as_bytes())),
    );

    // Not a decoder of ours: the baseline given the body as checked text, which is how
    // `Parsed::from_slice` reads a body (one UTF-8 check of the whole body, then
    // `serde_json`'s `&str` reader, which checks no string again).
    bench.compare(
        "DescribeImageScanFindings body, baseline from checked text",
        "from_utf8 + from_str vs from_slice (reference: the baseline reading the body as Parsed does)",
        || {
            std::str::from_utf8(black_box(findings.as_bytes()))
                .ok()
                .map(serde_json::from_str::<ScanFindingsBaseline>)
        },
        || serde_json::from_slice::<ScanFindingsBaseline>(black_box(findings.as_bytes())),
    );

    let scan = HttpResponse {
        status: 400,
        headers: &HEADERS,
        body: IMAGE_NOT_FOUND.as_bytes(),
    };
    bench.compare(
        "StartImageScan ImageNotFoundException, from bytes",
        "from_response vs serde_json::from_slice",
        || StartImageScanError::from_response(black_box(&scan)),
        || serde_json::from_slice::<ImageNotFoundBaseline>(black_box(IMAGE_NOT_FOUND.as_bytes())),
    );
    let scan_value: serde_json::Value = serde_json::from_str(IMAGE_NOT_FOUND).expect("JSON");
    bench.compare(
        "StartImageScan ImageNotFoundException, from Value",
        "from_json vs Deserialize::deserialize(&Value)",
        || {
            StartImageScanError::from_json(
                black_box("ImageNotFoundException"),
                black_box(&scan_value),
            )
        },
        || ImageNotFoundBaseline::deserialize(black_box(&scan_value)),
    );

    let part = HttpResponse {
        status: 400,
        headers: &HEADERS,
        body: INVALID_LAYER_PART.as_bytes(),
    };
    bench.compare(
        "UploadLayerPart InvalidLayerPartException, from bytes",
        "from_response vs serde_json::from_slice",
        || UploadLayerPartError::from_response(black_box(&part)),
        || {
            serde_json::from_slice::<InvalidLayerPartBaseline>(black_box(
                INVALID_LAYER_PART.as_bytes(),
            ))
        },
    );
    // Not decoders: the tree that `from_response` parses the body into first, and the
    // `serde_json::Value` it parsed the body into before `json::Parsed`.
    bench.compare(
        "InvalidLayerPartException body to json::Parsed only",
        "Parsed::from_slice vs from_slice (reference: the tree from_response builds)",
        || {
            let arena = Arena::new();
            Parsed::from_slice(black_box(INVALID_LAYER_PART.as_bytes()), &arena).is_ok()
        },
        || {
            serde_json::from_slice::<InvalidLayerPartBaseline>(black_box(
                INVALID_LAYER_PART.as_bytes(),
            ))
        },
    );
    bench.compare(
        "InvalidLayerPartException body to serde_json::Value only",
        "from_slice::<Value> vs from_slice (reference: the tree from_response built before)",
        || serde_json::from_slice::<serde_json::Value>(black_box(INVALID_LAYER_PART.as_bytes())),
        || {
            serde_json::from_slice::<InvalidLayerPartBaseline>(black_box(
                INVALID_LAYER_PART.as_bytes(),
            ))
        },
    );
    let part_value: serde_json::Value = serde_json::from_str(INVALID_LAYER_PART).expect("JSON");
    bench.compare(
        "UploadLayerPart InvalidLayerPartException, from Value",
        "from_json vs Deserialize::deserialize(&Value)",
        || {
            UploadLayerPartError::from_json(
                black_box("InvalidLayerPartException"),
                black_box(&part_value),
            )
        },
        || InvalidLayerPartBaseline::deserialize(black_box(&part_value)),
    );

    // XML: no serde XML deserializer is a dependency, so the reference is the parse alone.
    bench.compare(
        "UploadLayerPart InvalidLayerPartException, from XML bytes",
        "xml::parse + from_xml vs xml::parse alone (floor)",
        || {
            let document = xml::parse(black_box(INVALID_LAYER_PART_XML)).expect("XML");
            let error = xml::child(document.root_element(), "Error").expect("<Error>");
            smithy_runtime::error::from_xml::<UploadLayerPartError>("InvalidLayerPartException", error)
        },
        || {
            xml::parse(black_box(INVALID_LAYER_PART_XML))
                .map(|d| d.root_element().children().count())
        },
    );

    if tsv {
        for row in &bench.rows {
            println!(
                "{}\t{:.1}\t{:.1}\t{:.3}\t{}",
                row.name, row.ours, row.baseline, row.ratio, row.note
            );
        }
        return;
    }
    let width = bench.rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    println!(
        "{:width$}  {:>10}  {:>11}  {:>6}  compared",
        "case", "ours ns", "baseline ns", "ratio"
    );
    for row in &bench.rows {
        println!(
            "{:width$}  {:>10.1}  {:>11.1}  {:>5.2}x  {}",
            row.name, row.ours, row.baseline, row.ratio, row.note
        );
    }
    println!(
        "(times: medians of {batches} batches of about {} ms per side; ratio: median of the \
         ratios of neighbouring batches)",
        BATCH.as_millis()
    );
}

/// The decoders must decode what they are timed on, or the figures mean nothing.
fn check_decoders() {
    // The encoders and their baselines must write the same JSON.
    let ids: Vec<ImageIdentifier> = (0..3)
        .map(digest_id)
        .collect();
    let ours = BatchGetImage::encode_request(&BatchGetImageRequest::new("r", ids.clone())).expect("a request");
    let baseline = BatchGetImageBaseline {
        registry_id: None,
        repository_name: "r".to_owned(),
        image_ids: ids.iter().map(|id| ImageIdBaseline { image_digest: id.image_digest.clone(), image_tag: None }).collect(),
        accepted_media_types: None,
    };
    assert_eq!(ours.body, serde_json::to_vec(&baseline).expect("JSON"));
    let manifest = manifest_100kb();
    assert!(manifest.len() >= 100_000);
    let ours = PutImage::encode_request(&PutImageRequest::new("r", manifest.clone())).expect("a request");
    let baseline = PutImageBaseline {
        registry_id: None,
        repository_name: "r".to_owned(),
        image_manifest: manifest,
        image_manifest_media_type: None,
        image_tag: None,
    };
    assert_eq!(ours.body, serde_json::to_vec(&baseline).expect("JSON"));

    let images = describe_images_body(1_000);
    let response = HttpResponse { status: 200, headers: &HEADERS, body: images.as_bytes() };
    let output = DescribeImages::decode_response(&response).expect("DescribeImages decodes");
    let details = output.image_details.expect("imageDetails");
    assert_eq!(details.len(), 1_000);
    assert_eq!(details[999].image_tags.as_ref().map(Vec::len), Some(2));
    let baseline: DescribeImagesBaseline = serde_json::from_slice(images.as_bytes()).expect("baseline");
    assert_eq!(baseline.image_details.map(|d| d.len()), Some(1_000));
    let findings = scan_findings_body(1_000);
    let response = HttpResponse { status: 200, headers: &HEADERS, body: findings.as_bytes() };
    let output = DescribeImageScanFindings::decode_response(&response).expect("findings decode");
    let list = output.image_scan_findings.and_then(|f| f.findings).expect("findings");
    assert_eq!(list.len(), 1_000);
    assert_eq!(list[999].attributes.as_ref().map(Vec::len), Some(4));
    let baseline: ScanFindingsBaseline = serde_json::from_slice(findings.as_bytes()).expect("baseline");
    assert_eq!(baseline.image_scan_findings.and_then(|f| f.findings).map(|f| f.len()), Some(1_000));

    let scan = HttpResponse {
        status: 400,
        headers: &HEADERS,
        body: IMAGE_NOT_FOUND.as_bytes(),
    };
    let error = StartImageScanError::from_response(&scan);
    assert!(error.is_image_not_found_exception(), "{error:?}");
    assert!(error
        .message()
        .is_some_and(|m| m.contains("does not exist")));

    let part = HttpResponse {
        status: 400,
        headers: &HEADERS,
        body: INVALID_LAYER_PART.as_bytes(),
    };
    let UploadLayerPartError::InvalidLayerPartException(error) =
        UploadLayerPartError::from_response(&part)
    else {
        panic!("not InvalidLayerPartException");
    };
    assert_eq!(error.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(error.repository_name.as_deref(), Some("my-repo"));
    assert_eq!(
        error.upload_id.as_deref(),
        Some("8f3a3a9c-5b1e-4f1e-9d7a-0c1b2d3e4f5a")
    );
    assert_eq!(error.last_valid_byte_received, Some(20971519));
    assert!(error.message.is_some());
    let value: serde_json::Value = serde_json::from_str(INVALID_LAYER_PART).expect("JSON");
    assert_eq!(
        UploadLayerPartError::from_json("InvalidLayerPartException", &value),
        UploadLayerPartError::InvalidLayerPartException(error.clone())
    );

    let document = xml::parse(INVALID_LAYER_PART_XML).expect("XML");
    let element = xml::child(document.root_element(), "Error").expect("<Error>");
    assert_eq!(
        smithy_runtime::error::from_xml::<UploadLayerPartError>("InvalidLayerPartException", element),
        UploadLayerPartError::InvalidLayerPartException(error)
    );

    let baseline: InvalidLayerPartBaseline =
        serde_json::from_str(INVALID_LAYER_PART).expect("baseline decodes");
    assert_eq!(baseline.last_valid_byte_received, Some(20971519));
    assert!(baseline.message.is_some() && baseline.upload_id.is_some());
}
