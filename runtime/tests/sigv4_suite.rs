//! The AWS signing test suite (from aws-c-auth), read where it lies: `$SIGV4_TESTS_DIR`, else
//! `shared/sigv4-tests` beside the repository (else the download cache); its `v4/` and `v4a/`
//! folders must both be there, and hold cases.
//!
//! Each case (a folder: `context.json`, `request.txt` and the expected steps) is signed twice:
//! in the headers ([`sign_details`]) and in the query ([`presign_details`]). For each form the
//! canonical request, the string to sign, the signature and the signed request must be exactly
//! the expected ones. SigV4a signatures are randomized: there the signature is checked by
//! verifying it (ours, and the case's own) against the case's `public-key.json`, which must also
//! be the key we derive from the secret, and the signed request is compared with the signature
//! left out.
//!
//! A case that has no expected steps for a form at all (aws-c-auth's
//! `v4a/get-vanilla-query-order-key` has its inputs alone) is signed, its SigV4a signature
//! verified under the derived key, and counted apart with a `SKIP` line.
//!
//! Prints `sigv4 suite: N passed, M failed, K without expected steps`, counting (case, form)
//! pairs, after one `FAIL` line per failed pair naming the first step that differs.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use smithy_runtime::http::HttpRequest;
use smithy_runtime::sigv4::{
    presign_details, sign_details, v4a_public_key, v4a_verify, Algorithm, Credentials,
    SigningDetails, SigningParams,
};
use smithy_runtime::Timestamp;

/// One case's inputs.
struct Case {
    request: HttpRequest,
    credentials: Credentials,
    region: String,
    service: String,
    time: SystemTime,
    normalize: bool,
    sign_body: bool,
    omit_session_token: bool,
    expires_in: Duration,
}

fn read(dir: &Path, file: &str) -> Result<String, String> {
    fs::read_to_string(dir.join(file)).map_err(|e| format!("{}: {e}", dir.join(file).display()))
}

/// `request.txt`: the request line, headers (a line starting with whitespace continues the
/// value before it, kept with its line break), a blank line, the body.
fn parse_request(text: &str) -> Result<HttpRequest, String> {
    let text = text.replace("\r\n", "\n");
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let first = lines.next().unwrap_or_default();
    let (method, rest) = first
        .split_once(' ')
        .ok_or_else(|| format!("request line {first:?}: no method"))?;
    let (uri, _version) = rest
        .rsplit_once(' ')
        .ok_or_else(|| format!("request line {first:?}: no HTTP version"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers
                .last_mut()
                .ok_or_else(|| format!("a continuation line before any header: {line:?}"))?;
            value.push('\n');
            value.push_str(line);
        } else {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("header line {line:?}: no `:`"))?;
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    Ok(HttpRequest {
        method: method.to_owned(),
        uri: uri.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
        ..HttpRequest::default()
    })
}

fn parse_case(dir: &Path) -> Result<Case, String> {
    let request = parse_request(&read(dir, "request.txt")?)?;
    let context: Value = serde_json::from_str(&read(dir, "context.json")?)
        .map_err(|e| format!("context.json: {e}"))?;
    let text = |v: &Value, key: &str| -> Result<String, String> {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("context.json: no string `{key}`"))
    };
    let flag = |key: &str| context.get(key).and_then(Value::as_bool).unwrap_or(false);
    let creds = context
        .get("credentials")
        .ok_or("context.json: no `credentials`")?;
    let credentials = Credentials::new(
        text(creds, "access_key_id")?,
        text(creds, "secret_access_key")?,
        creds
            .get("token")
            .and_then(Value::as_str)
            .map(str::to_owned),
    );
    let timestamp = text(&context, "timestamp")?;
    let time = Timestamp::parse_date_time(&timestamp)
        .and_then(|t| SystemTime::try_from(t).ok())
        .ok_or_else(|| format!("context.json: timestamp {timestamp:?}"))?;
    let expires = context
        .get("expiration_in_seconds")
        .and_then(Value::as_u64)
        .unwrap_or(3600);
    Ok(Case {
        request,
        credentials,
        region: text(&context, "region")?,
        service: text(&context, "service")?,
        time,
        normalize: context
            .get("normalize")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        sign_body: flag("sign_body"),
        omit_session_token: flag("omit_session_token"),
        expires_in: Duration::from_secs(expires),
    })
}

/// The request as `*-signed-request.txt` writes it.
fn request_text(method: &str, target: &str, request: &HttpRequest) -> String {
    let mut out = format!("{method} {target} HTTP/1.1\n");
    for (name, value) in &request.headers {
        let _ = writeln!(out, "{name}:{value}");
    }
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(&request.body));
    out
}

/// `text` with the value of its `Signature=` / `X-Amz-Signature=` left out.
fn without_signature(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("Signature=") {
        let (before, after) = rest.split_at(at + "Signature=".len());
        out.push_str(before);
        let end = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len());
        rest = after.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("not hex: {text:?}"))
        })
        .collect()
}

/// The step that differs, if one does.
fn step(name: &str, expected: &str, got: &str) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!(
            "{name} differs\n      expected: {expected:?}\n      got:      {got:?}"
        ))
    }
}

/// The marker of a case with no expected steps.
struct Incomplete;

impl std::fmt::Display for Incomplete {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no expected steps in the case")
    }
}

/// Checks one form (`header` or `query`) of a case.
fn check_form(dir: &Path, case: &Case, v4a: bool, form: &str) -> Result<(), String> {
    let mut params = SigningParams::new(&case.credentials, &case.region, &case.service, case.time);
    params.algorithm = if v4a { Algorithm::V4a } else { Algorithm::V4 };
    params.normalize_path = case.normalize;
    params.content_sha256_header = case.sign_body;
    params.omit_session_token = case.omit_session_token;
    let (details, signed): (SigningDetails, String) = if form == "header" {
        let mut request = case.request.clone();
        let details = sign_details(&mut request, &params).map_err(|e| format!("sign: {e}"))?;
        let text = request_text(&request.method, &request.uri, &request);
        (details, text)
    } else {
        let (url, details) = presign_details(&case.request, &params, case.expires_in)
            .map_err(|e| format!("presign: {e}"))?;
        let target = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').and_then(|i| rest.get(i..)))
            .ok_or_else(|| format!("presign gave no path: {url:?}"))?;
        (
            details,
            request_text(&case.request.method, target, &case.request),
        )
    };
    let expected = |step: &str| read(dir, &format!("{form}-{step}.txt"));
    let steps = [
        "canonical-request",
        "string-to-sign",
        "signature",
        "signed-request",
    ];
    if steps
        .iter()
        .all(|s| !dir.join(format!("{form}-{s}.txt")).exists())
    {
        // A case with inputs alone (aws-c-auth has one): what it can check is that our
        // signature verifies under the key derived from its credentials.
        if v4a {
            let public = v4a_public_key(&case.credentials).map_err(|e| e.to_string())?;
            if !v4a_verify(&public, &details.string_to_sign, &details.signature)
                .map_err(|e| format!("our signature: {e}"))?
            {
                return Err("signature: ours does not verify under the derived key".into());
            }
        }
        return Err(Incomplete.to_string());
    }
    step(
        "canonical request",
        &expected("canonical-request")?,
        &details.canonical_request,
    )?;
    step(
        "string to sign",
        &expected("string-to-sign")?,
        &details.string_to_sign,
    )?;
    if v4a {
        let key: Value = serde_json::from_str(&read(dir, "public-key.json")?)
            .map_err(|e| format!("public-key.json: {e}"))?;
        let coordinate = |name: &str| {
            key.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("public-key.json: no `{name}`"))
                .and_then(unhex)
        };
        let mut public = vec![4u8];
        public.extend(coordinate("X")?);
        public.extend(coordinate("Y")?);
        let derived = v4a_public_key(&case.credentials).map_err(|e| e.to_string())?;
        if derived != public {
            return Err(
                "public key differs: the key derived from the secret is not the case's".into(),
            );
        }
        if !v4a_verify(&public, &details.string_to_sign, &details.signature)
            .map_err(|e| format!("our signature: {e}"))?
        {
            return Err("signature: ours does not verify against public-key.json".into());
        }
        let theirs = expected("signature")?;
        if !v4a_verify(&public, &details.string_to_sign, theirs.trim())
            .map_err(|e| format!("the case's signature: {e}"))?
        {
            return Err("signature: the case's does not verify against our string to sign".into());
        }
        step(
            "signed request (signature left out)",
            &without_signature(&expected("signed-request")?),
            &without_signature(&signed),
        )?;
    } else {
        step(
            "signature",
            expected("signature")?.trim(),
            &details.signature,
        )?;
        step("signed request", &expected("signed-request")?, &signed)?;
    }
    Ok(())
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let entries = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("error: the SigV4 test cases at {}: {e}", dir.display()));
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("request.txt").is_file())
        .collect();
    dirs.sort();
    assert!(
        !dirs.is_empty(),
        "error: no SigV4 test cases (folders with request.txt) in {}",
        dir.display()
    );
    dirs
}

/// `$SIGV4_TESTS_DIR` as it is (any set of cases, not only the pinned ones; relative to the
/// workspace root), else the pinned suite where the test data lies.
fn suite_dir() -> PathBuf {
    match std::env::var_os("SIGV4_TESTS_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = smithy_testdata::workspace_root().join(dir);
            for sub in ["v4", "v4a"] {
                assert!(
                    dir.join(sub).is_dir(),
                    "error: $SIGV4_TESTS_DIR is {}, which has no {sub}/ folder of cases",
                    dir.display()
                );
            }
            dir
        }
        None => smithy_testdata::require("sigv4-tests"),
    }
}

#[test]
fn sigv4_suite() {
    let root = suite_dir();
    let (mut passed, mut failed, mut incomplete) = (0usize, 0usize, 0usize);
    for (sub, v4a) in [("v4", false), ("v4a", true)] {
        for dir in case_dirs(&root.join(sub)) {
            let name = format!(
                "{sub}/{}",
                dir.file_name().unwrap_or_default().to_string_lossy()
            );
            let case = match parse_case(&dir) {
                Ok(case) => case,
                Err(e) => {
                    println!("FAIL {name}: cannot read the case: {e}");
                    failed += 2;
                    continue;
                }
            };
            for form in ["header", "query"] {
                match check_form(&dir, &case, v4a, form) {
                    Ok(()) => passed += 1,
                    Err(e) if e == Incomplete.to_string() => {
                        println!("SKIP {name} [{form}]: {e} (signed; a v4a signature verified)");
                        incomplete += 1;
                    }
                    Err(e) => {
                        println!("FAIL {name} [{form}]: {e}");
                        failed += 1;
                    }
                }
            }
        }
    }
    println!(
        "sigv4 suite: {passed} passed, {failed} failed, {incomplete} without expected steps \
         (one per case and form: header, query)"
    );
    assert!(
        passed > 0,
        "error: no SigV4 suite case ran in {}",
        root.display()
    );
    assert_eq!(
        failed, 0,
        "{failed} SigV4 suite checks failed (listed above)"
    );
}
