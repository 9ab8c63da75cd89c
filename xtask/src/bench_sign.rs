//! `cargo xtask bench sign`: SigV4 signing by the runtime beside the `aws-sigv4` crate, in one
//! process.
//!
//! A scratch crate under `target/bench/sign/` (outside the workspace; the only place
//! `aws-sigv4` is ever built) depends on the runtime with its `sigv4` feature, on the checked-in
//! ECR crate (which encodes the ECR request) and on a pinned `aws-sigv4` from crates.io. Built
//! in release, it signs two requests with both sides, after checking that both give the same
//! `Authorization` header: an ECR `DescribeImages` (awsJson1_1 POST, a small JSON body) and an
//! S3 `PutObject` of 1 MiB (S3's settings: the path neither normalized nor encoded twice, the
//! body's SHA-256 in `x-amz-content-sha256`). The sides take turns in batches (the way
//! `bench resolve` times resolution) and it prints one tab-separated row per case.

use std::path::Path;

use crate::bench::verdict;

/// The scratch crate, relative to the workspace.
const SCRATCH: &str = "target/bench/sign";
/// The crates compared with, pinned (and the two whose types its API takes).
const AWS_SIGV4: &str = "1.6.6";
const AWS_CREDENTIAL_TYPES: &str = "1.3.1";
const AWS_SMITHY_RUNTIME_API: &str = "1.22.1";
/// Signing time against aws-sigv4's (the issue's budget).
pub const TARGET: f64 = 1.0;

const MAIN: &str = r#"//! Written by `cargo xtask bench sign`: SigV4 signing, ours beside aws-sigv4's.
//! Prints `agree<TAB>N<TAB>of` (the cross-check: generated requests both sides sign alike),
//! then `case<TAB>ours ns<TAB>aws-sigv4 ns<TAB>median ratio<TAB>body bytes` per case.
use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    sign as sdk_sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest,
    SignatureLocation, SigningSettings, UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;
use smithy_runtime::http::HttpRequest;
use smithy_runtime::operation::EncodeRequest as _;
use smithy_runtime::sigv4::{self, Credentials, SigningParams};

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct Case {
    name: &'static str,
    request: HttpRequest,
    region: &'static str,
    service: &'static str,
    s3: bool,
}

fn cases() -> Vec<Case> {
    let mut input = ecr::types::DescribeImagesRequest::new("web/app");
    input.max_results = Some(100);
    input.registry_id = Some("123456789012".to_owned());
    let mut ecr_request = ecr::operations::DescribeImages::encode_request(&input).expect("a request");
    ecr_request.uri = ecr_request.url("https://api.ecr.us-east-1.amazonaws.com");
    ecr_request.headers.push(("content-length".to_owned(), ecr_request.body.len().to_string()));
    let body: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let put = HttpRequest {
        method: "PUT".to_owned(),
        uri: "https://mybucket.s3.us-west-2.amazonaws.com/photos/2026/cat%20picture.jpg".to_owned(),
        headers: vec![
            ("content-type".to_owned(), "image/jpeg".to_owned()),
            ("content-length".to_owned(), body.len().to_string()),
        ],
        body,
        ..HttpRequest::default()
    };
    vec![
        Case { name: "ECR DescribeImages (awsJson1_1 POST, small JSON body)", request: ecr_request, region: "us-east-1", service: "ecr", s3: false },
        Case { name: "S3 PutObject, 1 MiB body (x-amz-content-sha256)", request: put, region: "us-west-2", service: "s3", s3: true },
    ]
}

fn time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_764_806_400)
}

/// Ours: the request signed in place (signing again replaces the headers signing adds).
fn ours(case: &Case, credentials: &Credentials, request: &mut HttpRequest) -> String {
    let mut params = SigningParams::new(credentials, case.region, case.service, time());
    if case.s3 {
        params.double_encode = false;
        params.normalize_path = false;
        params.content_sha256_header = true;
    }
    sigv4::sign(request, &params).expect("signed");
    request.headers.iter().find(|(n, _)| n == "Authorization").map(|(_, v)| v.clone()).unwrap_or_default()
}

/// aws-sigv4: a `SignableRequest` of the same request, signed; the headers to add, owned.
fn sdk(case: &Case, identity: &Identity) -> Vec<(&'static str, String)> {
    let mut settings = SigningSettings::default();
    if case.s3 {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region(case.region)
        .name(case.service)
        .time(time())
        .settings(settings)
        .build()
        .expect("params")
        .into();
    let request = &case.request;
    let signable = SignableRequest::new(
        &request.method,
        request.uri.as_str(),
        request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .expect("a signable request");
    let (instructions, _signature) = sdk_sign(signable, &params).expect("signed").into_parts();
    instructions.into_parts().0.into_iter().map(|h| (h.name(), h.value().to_owned())).collect()
}

/// A xorshift generator: the cross-check's requests are the same in every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Signs `count` generated requests both ways (in the headers and presigned, with and without
/// a session token, S3's settings or the others', signed, unsigned and hashed-header payloads)
/// and gives how many agree on the signature; the first that does not is printed.
fn cross_check(count: usize) -> usize {
    // Paths: dot segments, empty segments and escapes (raw sub-delimiters are left out: in S3's
    // single-encoded paths we encode them, as S3's documentation does, aws-sigv4 does not).
    let segments = ["a", "b%20c", "..", ".", "", "%2F", "%E1%88%B4", "~x", "a%2Bb", "x.y", "%25", "A-Z_"];
    let keys = ["a", "B", "a%20b", "%E1%88%B4", "x+y", "k%2Bk", "", "Param", "Param-3", "p=q", "~", "%3D", "A"];
    let values = ["", "1", "v%20w", "x+y", "%2B", "%E1%88%B4", "a=b", "%3D", "Z", "z", "!", "%20"];
    let names = ["X-Custom", "x-custom", "My-Header", "content-type", "X-Amz-Meta-A", "Range"];
    // Header values: spaces to trim and fold (not tabs: we fold them as botocore does, aws-sigv4
    // keeps them).
    let header_values = ["v", "  lead", "trail  ", "a   b", "\"q   q\"", "", "a, b", "UPPER"];
    let sides = [(None, None), (Some("TOKEN/a+b="), Some("TOKEN/a+b="))];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut agree = 0;
    for i in 0..count {
        let mut uri = "https://example.amazonaws.com".to_owned();
        for _ in 0..rng.below(5) {
            uri.push('/');
            uri.push_str(rng.pick(&segments));
        }
        if uri.ends_with(".com") || rng.below(4) == 0 {
            uri.push('/');
        }
        for q in 0..rng.below(4) {
            uri.push(if q == 0 { '?' } else { '&' });
            uri.push_str(rng.pick(&keys));
            if rng.below(5) != 0 {
                uri.push('=');
                uri.push_str(rng.pick(&values));
            }
        }
        let headers: Vec<(String, String)> = (0..rng.below(4))
            .map(|_| (rng.pick(&names).to_owned(), rng.pick(&header_values).to_owned()))
            .collect();
        let body = if rng.below(2) == 0 { Vec::new() } else { b"{\"a\":1}".to_vec() };
        let method = rng.pick(&["GET", "POST", "PUT"]);
        let (s3, unsigned, sha_header, presign) = (rng.below(2) == 0, rng.below(4) == 0, rng.below(2) == 0, rng.below(3) == 0);
        let token = sides[i % 2].0;
        let credentials = Credentials::new(KEY_ID, SECRET, token.map(str::to_owned));
        let identity: Identity = aws_credential_types::Credentials::new(KEY_ID, SECRET, sides[i % 2].1.map(str::to_owned), None, "bench").into();
        let request = HttpRequest { method: method.to_owned(), uri: uri.clone(), headers: headers.clone(), body: body.clone(), ..HttpRequest::default() };
        let mut params = SigningParams::new(&credentials, "us-east-1", "service", time());
        params.double_encode = !s3;
        params.normalize_path = !s3;
        params.content_sha256_header = sha_header && !presign;
        if unsigned {
            params.payload = sigv4::Payload::Unsigned;
        }
        let mut settings = SigningSettings::default();
        if s3 {
            settings.percent_encoding_mode = PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        if sha_header && !presign {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        if presign {
            settings.signature_location = SignatureLocation::QueryParams;
            settings.expires_in = Some(Duration::from_secs(900));
        }
        let sdk_params = aws_sigv4::sign::v4::SigningParams::builder().identity(&identity).region("us-east-1").name("service").time(time()).settings(settings).build().expect("params").into();
        let body_of = if unsigned { SignableBody::UnsignedPayload } else { SignableBody::Bytes(&body) };
        let signable = SignableRequest::new(method, uri.as_str(), headers.iter().map(|(n, v)| (n.as_str(), v.as_str())), body_of).expect("a signable request");
        let (_, theirs) = sdk_sign(signable, &sdk_params).expect("signed").into_parts();
        let (ours, canonical) = if presign {
            let (url, details) = sigv4::presign_details(&request, &params, Duration::from_secs(900)).expect("presigned");
            (url.rsplit_once("X-Amz-Signature=").map(|(_, s)| s.to_owned()).unwrap_or_default(), details.canonical_request)
        } else {
            let details = sigv4::sign_details(&mut request.clone(), &params).expect("signed");
            (details.signature, details.canonical_request)
        };
        if ours == theirs {
            agree += 1;
        } else if agree == i {
            // The first that differs (every earlier one agreed).
            eprintln!("cross-check: {method} {uri} {headers:?} (S3 settings {s3}, unsigned {unsigned}, x-amz-content-sha256 {sha_header}, presigned {presign}): the signatures differ; our canonical request: {canonical:?}");
        }
    }
    agree
}

fn batch(f: &mut dyn FnMut(), iterations: u32) -> Duration {
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    started.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Requests the cross-check signs both ways.
const CROSS_CHECK: usize = 5000;

fn main() {
    let agree = cross_check(CROSS_CHECK);
    println!("agree\t{agree}\t{CROSS_CHECK}");
    if agree != CROSS_CHECK {
        std::process::exit(1);
    }
    let credentials = Credentials::new(KEY_ID, SECRET, None);
    let identity: Identity = aws_credential_types::Credentials::new(KEY_ID, SECRET, None, None, "bench").into();
    for case in cases() {
        let mut request = case.request.clone();
        let mine = ours(&case, &credentials, &mut request);
        let theirs = sdk(&case, &identity).into_iter().find(|(n, _)| n.eq_ignore_ascii_case("authorization")).map(|(_, v)| v).unwrap_or_default();
        if mine != theirs {
            eprintln!("{}: the two sides disagree:\n  ours:      {mine}\n  aws-sigv4: {theirs}", case.name);
            std::process::exit(1);
        }
        let mut ours_timed = || { black_box(ours(&case, &credentials, black_box(&mut request))); };
        let mut sdk_timed = || { black_box(sdk(black_box(&case), &identity)); };
        // Iterations per batch: about 3 ms of aws-sigv4's side.
        let mut iterations = 1u32;
        while batch(&mut sdk_timed, iterations) < Duration::from_millis(3) && iterations < 1 << 24 {
            iterations *= 2;
        }
        let (mut o, mut s, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..151 {
            let (a, b) = if round % 2 == 0 {
                let a = batch(&mut ours_timed, iterations);
                (a, batch(&mut sdk_timed, iterations))
            } else {
                let b = batch(&mut sdk_timed, iterations);
                (batch(&mut ours_timed, iterations), b)
            };
            let (a, b) = (a.as_nanos() as f64 / f64::from(iterations), b.as_nanos() as f64 / f64::from(iterations));
            o.push(a);
            s.push(b);
            ratios.push(a / b);
        }
        println!("{}\t{:.1}\t{:.1}\t{:.4}\t{}", case.name, median(&mut o), median(&mut s), median(&mut ratios), case.request.body.len());
    }
}
"#;

/// One case's row.
struct Row {
    case: String,
    ours_ns: f64,
    sdk_ns: f64,
    ratio: f64,
    body: usize,
}

fn manifest(ecr: &str, runtime: &str) -> String {
    format!(
        "# Written by `cargo xtask bench sign`: SigV4 signing, ours beside aws-sigv4's.\n\
         [package]\nname = \"sign-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\necr = {{ path = \"{ecr}\" }}\n\
         smithy-runtime = {{ path = \"{runtime}\", features = [\"sigv4\"] }}\n\
         aws-sigv4 = \"={AWS_SIGV4}\"\naws-credential-types = \"={AWS_CREDENTIAL_TYPES}\"\n\
         aws-smithy-runtime-api = {{ version = \"={AWS_SMITHY_RUNTIME_API}\", features = [\"client\"] }}\n\n\
         [profile.release]\ndebug = false\n\n[workspace]\n"
    )
}

pub fn bench_sign(workspace: &Path) -> Result<String, String> {
    let scratch = workspace.join(SCRATCH);
    std::fs::create_dir_all(scratch.join("src"))
        .map_err(|e| format!("{}: cannot create: {e}", scratch.display()))?;
    let (build, stdout) = crate::bench_resolve::run_release_scratch(
        workspace,
        &scratch,
        &manifest,
        MAIN,
        "sign-bench",
        &format!("aws-sigv4 {AWS_SIGV4}"),
    )?;
    let binary = scratch.join("target/release/sign-bench");
    let agreed = stdout
        .lines()
        .find_map(|line| line.strip_prefix("agree\t"))
        .and_then(|counts| counts.split_once('\t'))
        .map(|(agreed, total)| format!("{total} generated requests both ways ({agreed} agreed)"))
        .ok_or_else(|| format!("{} printed no cross-check", binary.display()))?;
    let rows: Vec<Row> = stdout
        .lines()
        .filter(|line| !line.starts_with("agree\t"))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some(Row {
                case: fields.next()?.to_owned(),
                ours_ns: fields.next()?.parse().ok()?,
                sdk_ns: fields.next()?.parse().ok()?,
                ratio: fields.next()?.parse().ok()?,
                body: fields.next()?.parse().ok()?,
            })
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("{} printed no results", binary.display()));
    }
    let mut text = format!(
        "A scratch crate (`{SCRATCH}`, release; outside the workspace, the only build that \
         compiles `aws-sigv4`) depends on the runtime with its `sigv4` feature, on the checked-in \
         ECR crate (which encodes the ECR request), and on aws-sigv4 {AWS_SIGV4} (smithy-rs) from \
         crates.io (built once and kept; this run's build took {:.0} s). Both sides sign the same \
         request with the same credentials and time, and before timing the bench checks that they \
         give the same `Authorization` header; it first signs {agreed} and requires the same \
         signature for each (paths with dot segments, empty segments and \
         escapes, normalized or not, encoded once or twice; queries with repeated and empty \
         parameters, `+` and escapes; headers to trim and fold, repeated names; header-signed and \
         presigned, with and without a session token, with the payload hashed, unsigned or in \
         `x-amz-content-sha256`). They differ on two things it leaves out: a tab in a header value \
         (we fold it like a space, as botocore does; aws-sigv4 keeps it) and a raw sub-delimiter \
         (`$`, `+`, `!`, `=`, `@`) in an S3 path (we encode it, as S3's documented example does; \
         aws-sigv4 signs it raw). Ours is `smithy_runtime::sigv4::sign` on the \
         `HttpRequest` (signing again replaces the headers it adds); aws-sigv4's is its \
         `http_request::sign` of a `SignableRequest` borrowing the same method, URL, headers and \
         body, up to the owned headers to add (`SigningInstructions::into_parts`). The S3 case \
         uses S3's settings on both sides (single encoding, no path normalization, the body's \
         SHA-256 in `x-amz-content-sha256`), so each side hashes the 1 MiB body once per \
         signature. Each case runs 151 batches of about 3 ms per side, the sides alternating; \
         times are the medians per signature, the ratio is the median of the ratios of \
         neighbouring batches.\n\n\
         | case | body | ours | aws-sigv4 | ratio | target |\n|---|---:|---:|---:|---:|---|\n",
        build.as_secs_f64(),
    );
    for row in &rows {
        let time = |ns: f64| {
            if ns >= 100_000.0 {
                format!("{:.0} µs", ns / 1000.0)
            } else {
                format!("{:.2} µs", ns / 1000.0)
            }
        };
        text.push_str(&format!(
            "| {} | {} B | {} | {} | **{:.2}x** | <= {TARGET:.1}x {} |\n",
            row.case,
            row.body,
            time(row.ours_ns),
            time(row.sdk_ns),
            row.ratio,
            verdict(row.ratio <= TARGET)
        ));
    }
    Ok(text)
}
