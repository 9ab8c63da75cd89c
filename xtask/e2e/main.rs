//! The end-to-end test program that `cargo xtask e2e` builds in its scratch workspace: every
//! request is built by a generated crate, its endpoint resolved by the crate's rules and
//! finished by `smithy_runtime::endpoint::finish`, signed by `smithy_runtime::sigv4` with the
//! parameters `smithy_runtime::auth` selects, sent to a local server that checks signatures,
//! and its response decoded by the generated operation.
//!
//! `e2e MOTO_URL S3S_URL ACCESS_KEY_ID:SECRET`: moto started with IAM authentication on
//! (`INITIAL_NO_AUTH_ACTION_COUNT=0`), and s3s-fs started with that one key, both on
//! 127.0.0.1, as `.ci/e2e` does.
//!
//! Against moto:
//! 1. Bootstrap: moto checks no request in a window of N actions that `/moto-api/reset-auth`
//!    opens; the IAM calls that create a user, give it a policy and an access key use exactly
//!    that window (signed with a key moto does not know). After it, the bootstrap key is
//!    refused (`InvalidClientTokenId`): the window is closed and checking is on.
//! 2. With the new key: IAM, STS, ECR and S3 calls (S3's PutObject and GetObject signed in
//!    headers) get 2xx and decode.
//! 3. Refusals: one byte of a signature changed gives `SignatureDoesNotMatch` (ECR, STS, S3,
//!    decoded through the operation's generated error enum; for ECR, whose JSON crate cannot
//!    read moto's XML error body, from that body); an action the user's policy does not allow
//!    gives `AccessDenied`.
//!
//! Against s3s-fs (moto checks no presigned URL: it reads only the `Authorization` header):
//! S3 CreateBucket and PutObject signed in headers, GetObject through a presigned URL; a
//! PutObject and a presigned GetObject with one byte of the signature changed are refused
//! with `SignatureDoesNotMatch`, decoded by the error enums.
//!
//! Prints a line per call, a line per server, and last
//! `e2e: N calls signed and accepted, M refused as expected`; exits 1 on the first call that
//! does not do what it should.

mod http;

use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithy_runtime::endpoint::Endpoint;
use smithy_runtime::error::{OperationError, Protocol};
use smithy_runtime::http::HttpRequest;
use smithy_runtime::operation::{EncodeRequest, Operation};
use smithy_runtime::sigv4::{self, Credentials};

/// The region every call is made in.
const REGION: &str = "us-east-1";
/// The access key the bootstrap calls are signed with: moto knows no such key.
const BOOTSTRAP_KEY: (&str, &str) = ("AKIAE2EBOOTSTRAP0000", "bootstrap-secret-not-checked");
/// The calls of the bootstrap window: CreateUser, PutUserPolicy, CreateAccessKey.
const BOOTSTRAP_CALLS: usize = 3;
/// What the test object holds.
const OBJECT: &[u8] = b"signed by smithy_runtime::sigv4, checked by moto\n";

/// What the user's policy allows: each action the checked calls make, and nothing else (so a
/// call outside it is refused after its signature is accepted).
const ALLOWED: &[&str] = &[
    "iam:GetUser",
    "sts:GetCallerIdentity",
    "ecr:CreateRepository",
    "ecr:DescribeRepositories",
    "s3:CreateBucket",
    "s3:PutObject",
    "s3:GetObject",
];

/// Encodes `$input` for `$krate::operations::$op`, resolves its endpoint from `$config` by the
/// crate's rules, and finishes the request for it: `(request, endpoint)`.
macro_rules! prepare {
    ($krate:ident :: $op:ident, $input:expr, $config:expr) => {{
        let input = $input;
        let mut request = <$krate::operations::$op as EncodeRequest>::encode_request(&input)
            .map_err(|e| format!("{}: {e}", stringify!($op)))?;
        let params = $krate::operations::$op::endpoint_params(&input, $config);
        let endpoint = $krate::endpoint::resolve(&params)
            .map_err(|e| format!("{}: the endpoint: {e}", stringify!($op)))?;
        smithy_runtime::endpoint::finish(&mut request, &endpoint);
        (request, endpoint)
    }};
}

/// The crate's endpoint `Config` for the server at `$endpoint`, in [`REGION`].
macro_rules! config {
    ($krate:ident, $endpoint:expr) => {{
        let mut config = $krate::endpoint::Config::default();
        config.endpoint_url = Some($endpoint.clone());
        config.region = Some(REGION.to_owned());
        config
    }};
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [moto, s3s, s3s_key] = args.as_slice() else {
        eprintln!(
            "usage: e2e MOTO_URL S3S_URL ACCESS_KEY_ID:SECRET (moto with IAM authentication on; s3s-fs with that key)"
        );
        return ExitCode::from(2);
    };
    let Some((key_id, secret)) = s3s_key.split_once(':') else {
        eprintln!("error: the s3s-fs key is not ACCESS_KEY_ID:SECRET");
        return ExitCode::from(2);
    };
    let s3s_key = Credentials::new(key_id, secret, None);
    let mut moto = Run::new("moto", moto.trim_end_matches('/'));
    let mut s3s = Run::new("s3s-fs", s3s.trim_end_matches('/'));
    let failure = moto
        .moto()
        .map_err(|why| format!("moto: {why}"))
        .and_then(|()| s3s.s3s(&s3s_key).map_err(|why| format!("s3s-fs: {why}")));
    for run in [&moto, &s3s] {
        println!(
            "{}: {} calls signed and accepted, {} refused as expected",
            run.name, run.accepted, run.refused
        );
    }
    match failure {
        Ok(()) => {
            println!(
                "e2e: {} calls signed and accepted, {} refused as expected",
                moto.accepted + s3s.accepted,
                moto.refused + s3s.refused
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}

/// Whether to change the signature after signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tamper {
    No,
    /// One byte of the `Authorization` header's signature changed.
    Signature,
}

/// One run against one server.
struct Run {
    /// The server's name, before each line.
    name: &'static str,
    endpoint: String,
    /// A suffix that makes this run's names unique (the server may have seen earlier runs).
    suffix: String,
    accepted: usize,
    refused: usize,
}

impl Run {
    fn new(name: &'static str, endpoint: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Run {
            name,
            endpoint: endpoint.to_owned(),
            suffix: format!("{:x}", nanos & 0xffff_ffff_ffff),
            accepted: 0,
            refused: 0,
        }
    }

    /// Everything against moto: the bootstrap, then the checked calls.
    fn moto(&mut self) -> Result<(), String> {
        let user = format!("smithy-e2e-{}", self.suffix);
        let key = self.bootstrap(&user)?;
        self.checked_calls(&user, &key)?;
        Ok(())
    }

    /// Opens moto's unchecked window of [`BOOTSTRAP_CALLS`] actions, makes the user, its policy
    /// and its access key in it, and checks that the window is closed after them.
    fn bootstrap(&mut self, user: &str) -> Result<Credentials, String> {
        self.unchecked_window(BOOTSTRAP_CALLS)?;
        let boot = Credentials::new(BOOTSTRAP_KEY.0, BOOTSTRAP_KEY.1, None);
        let config = config!(iam, self.endpoint);

        let (request, endpoint) = prepare!(
            iam::CreateUser,
            iam::types::CreateUserRequest::new(user),
            &config
        );
        let created =
            expect_ok::<iam::operations::CreateUser>(exchange::<iam::operations::CreateUser>(
                request,
                &endpoint,
                &boot,
                Tamper::No,
            )?)?;
        let arn = created.user.map(|u| u.arn).unwrap_or_default();
        println!("moto: bootstrap (unchecked window): iam CreateUser {arn}");

        let policy = policy_document();
        let (request, endpoint) = prepare!(
            iam::PutUserPolicy,
            iam::types::PutUserPolicyRequest::new(user, "smithy-e2e", policy),
            &config
        );
        expect_ok::<iam::operations::PutUserPolicy>(exchange::<iam::operations::PutUserPolicy>(
            request,
            &endpoint,
            &boot,
            Tamper::No,
        )?)?;
        println!(
            "moto: bootstrap (unchecked window): iam PutUserPolicy allowing {}",
            ALLOWED.join(", ")
        );

        let mut input = iam::types::CreateAccessKeyRequest::default();
        input.user_name = Some(user.to_owned());
        let (request, endpoint) = prepare!(iam::CreateAccessKey, input, &config);
        let key = expect_ok::<iam::operations::CreateAccessKey>(exchange::<
            iam::operations::CreateAccessKey,
        >(
            request,
            &endpoint,
            &boot,
            Tamper::No,
        )?)?
        .access_key;
        println!(
            "moto: bootstrap (unchecked window): iam CreateAccessKey {}",
            key.access_key_id
        );
        let credentials = Credentials::new(key.access_key_id, key.secret_access_key, None);

        // The window is closed: the bootstrap key is now checked, and moto knows no such key.
        let (request, endpoint) =
            prepare!(iam::GetUser, iam::types::GetUserRequest::default(), &config);
        let refused = exchange::<iam::operations::GetUser>(request, &endpoint, &boot, Tamper::No)?;
        self.refused(
            "iam GetUser with the bootstrap key",
            refused,
            iam::error::GetUserError::code,
            "InvalidClientTokenId",
        )?;
        Ok(credentials)
    }

    /// The calls moto checks, made with `key`, the access key of `user`.
    fn checked_calls(&mut self, user: &str, key: &Credentials) -> Result<(), String> {
        // IAM (awsQuery, global).
        let config = config!(iam, self.endpoint);
        let (request, endpoint) =
            prepare!(iam::GetUser, iam::types::GetUserRequest::default(), &config);
        let output = expect_ok::<iam::operations::GetUser>(exchange::<iam::operations::GetUser>(
            request,
            &endpoint,
            key,
            Tamper::No,
        )?)?;
        let arn = output.user.arn;
        check(arn.ends_with(&format!(":user/{user}")), || {
            format!("iam GetUser: the user is {arn}, not {user}")
        })?;
        self.accepted(&format!("iam GetUser: {arn}"));

        // STS (awsQuery).
        let config = config!(sts, self.endpoint);
        for tamper in [Tamper::No, Tamper::Signature] {
            let (request, endpoint) = prepare!(
                sts::GetCallerIdentity,
                sts::types::GetCallerIdentityRequest::default(),
                &config
            );
            let result =
                exchange::<sts::operations::GetCallerIdentity>(request, &endpoint, key, tamper)?;
            if tamper == Tamper::Signature {
                self.refused(
                    "sts GetCallerIdentity, one byte of the signature changed",
                    result,
                    sts::error::GetCallerIdentityError::code,
                    "SignatureDoesNotMatch",
                )?;
                continue;
            }
            let identity = expect_ok::<sts::operations::GetCallerIdentity>(result)?;
            let caller = identity.arn.unwrap_or_default();
            check(caller == arn, || {
                format!("sts GetCallerIdentity: the caller is {caller:?}, not {arn}")
            })?;
            self.accepted(&format!("sts GetCallerIdentity: {caller}"));
        }

        // ECR (awsJson1_1).
        let config = config!(ecr, self.endpoint);
        let repository = format!("smithy-e2e/{}", self.suffix);
        let (request, endpoint) = prepare!(
            ecr::CreateRepository,
            ecr::types::CreateRepositoryRequest::new(repository.clone()),
            &config
        );
        let created =
            expect_ok::<ecr::operations::CreateRepository>(exchange::<
                ecr::operations::CreateRepository,
            >(
                request, &endpoint, key, Tamper::No
            )?)?;
        let uri = created
            .repository
            .and_then(|r| r.repository_uri)
            .unwrap_or_default();
        self.accepted(&format!("ecr CreateRepository: {uri}"));
        for tamper in [Tamper::No, Tamper::Signature] {
            let mut input = ecr::types::DescribeRepositoriesRequest::default();
            input.repository_names = Some(vec![repository.clone()]);
            let (request, endpoint) = prepare!(ecr::DescribeRepositories, input, &config);
            let result =
                exchange::<ecr::operations::DescribeRepositories>(request, &endpoint, key, tamper)?;
            if tamper == Tamper::Signature {
                self.refused(
                    "ecr DescribeRepositories, one byte of the signature changed",
                    result,
                    ecr::error::DescribeRepositoriesError::code,
                    "SignatureDoesNotMatch",
                )?;
                continue;
            }
            let found = expect_ok::<ecr::operations::DescribeRepositories>(result)?;
            let names: Vec<String> = found
                .repositories
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| r.repository_name)
                .collect();
            check(names == [repository.clone()], || {
                format!("ecr DescribeRepositories: found {names:?}, not [{repository:?}]")
            })?;
            self.accepted(&format!("ecr DescribeRepositories: {}", names.join(", ")));
        }
        // Signed right, but outside the policy: refused by IAM, after the signature check.
        let (request, endpoint) = prepare!(
            ecr::DeleteRepository,
            ecr::types::DeleteRepositoryRequest::new(repository.clone()),
            &config
        );
        let result =
            exchange::<ecr::operations::DeleteRepository>(request, &endpoint, key, Tamper::No)?;
        self.refused(
            "ecr DeleteRepository, not in the user's policy",
            result,
            ecr::error::DeleteRepositoryError::code,
            "AccessDenied",
        )?;

        // S3 (restXml; path-style, as the rules choose for an IP address endpoint).
        let config = config!(s3, self.endpoint);
        let bucket = format!("smithy-e2e-{}", self.suffix);
        let object = "signed/object.txt";
        let (request, endpoint) = prepare!(
            s3::CreateBucket,
            s3::types::CreateBucketRequest::new(bucket.clone()),
            &config
        );
        let created =
            expect_ok::<s3::operations::CreateBucket>(exchange::<s3::operations::CreateBucket>(
                request,
                &endpoint,
                key,
                Tamper::No,
            )?)?;
        self.accepted(&format!(
            "s3 CreateBucket {bucket} (Location: {})",
            created.location.as_deref().unwrap_or("none")
        ));
        let mut input = s3::types::PutObjectRequest::new(bucket.clone(), object);
        input.body = Some(OBJECT.to_vec().into());
        let (request, endpoint) = prepare!(s3::PutObject, input, &config);
        let put = expect_ok::<s3::operations::PutObject>(exchange::<s3::operations::PutObject>(
            request,
            &endpoint,
            key,
            Tamper::No,
        )?)?;
        self.accepted(&format!(
            "s3 PutObject (header-signed, x-amz-content-sha256): {} bytes, ETag {}",
            OBJECT.len(),
            put.e_tag.unwrap_or_default()
        ));
        for tamper in [Tamper::No, Tamper::Signature] {
            let (request, endpoint) = prepare!(
                s3::GetObject,
                s3::types::GetObjectRequest::new(bucket.clone(), object),
                &config
            );
            let result = exchange::<s3::operations::GetObject>(request, &endpoint, key, tamper)?;
            if tamper == Tamper::Signature {
                self.refused(
                    "s3 GetObject, one byte of the signature changed",
                    result,
                    s3::error::GetObjectError::code,
                    "SignatureDoesNotMatch",
                )?;
                continue;
            }
            let got = expect_ok::<s3::operations::GetObject>(result)?;
            check(got.body.as_bytes() == OBJECT, || {
                format!(
                    "s3 GetObject: the body is {:?}",
                    String::from_utf8_lossy(got.body.as_bytes())
                )
            })?;
            self.accepted(&format!(
                "s3 GetObject (header-signed): the {} bytes put",
                OBJECT.len()
            ));
        }
        Ok(())
    }

    /// S3 against s3s-fs, whose one key is `key`: header-signed calls, and GetObject through a
    /// presigned URL, which s3s-fs checks (moto does not); each also with one hex digit of its
    /// signature changed.
    fn s3s(&mut self, key: &Credentials) -> Result<(), String> {
        let config = config!(s3, self.endpoint);
        let bucket = format!("smithy-e2e-{}", self.suffix);
        let object = "presigned/object.txt";
        let (request, endpoint) = prepare!(
            s3::CreateBucket,
            s3::types::CreateBucketRequest::new(bucket.clone()),
            &config
        );
        let created = expect_ok(exchange::<s3::operations::CreateBucket>(
            request,
            &endpoint,
            key,
            Tamper::No,
        )?)?;
        self.accepted(&format!(
            "s3 CreateBucket {bucket} (Location: {})",
            created.location.as_deref().unwrap_or("none")
        ));
        for tamper in [Tamper::No, Tamper::Signature] {
            let mut input = s3::types::PutObjectRequest::new(bucket.clone(), object);
            input.body = Some(OBJECT.to_vec().into());
            let (request, endpoint) = prepare!(s3::PutObject, input, &config);
            let outcome = exchange::<s3::operations::PutObject>(request, &endpoint, key, tamper)?;
            if tamper == Tamper::Signature {
                self.refused(
                    "s3 PutObject, one byte of the signature changed",
                    outcome,
                    s3::error::PutObjectError::code,
                    "SignatureDoesNotMatch",
                )?;
                continue;
            }
            expect_ok(outcome)?;
            self.accepted(&format!(
                "s3 PutObject (header-signed, x-amz-content-sha256): {} bytes",
                OBJECT.len()
            ));
        }
        for tamper in [Tamper::No, Tamper::Signature] {
            let (request, endpoint) = prepare!(
                s3::GetObject,
                s3::types::GetObjectRequest::new(bucket.clone(), object),
                &config
            );
            let mut url = presigned_url::<s3::operations::GetObject>(&request, &endpoint, key)?;
            if tamper == Tamper::Signature {
                change_last_hex_digit(&mut url, "X-Amz-Signature=")?;
            }
            let get = HttpRequest {
                method: "GET".into(),
                uri: url,
                ..HttpRequest::default()
            };
            let response = http::send(&get)?;
            let pairs = response.header_pairs();
            let result = s3::operations::GetObject::decode_response(&response.borrow(&pairs));
            let outcome = Outcome::<s3::operations::GetObject> { result, response };
            if tamper == Tamper::Signature {
                self.refused(
                    "s3 GetObject through a presigned URL, one byte of X-Amz-Signature changed",
                    outcome,
                    s3::error::GetObjectError::code,
                    "SignatureDoesNotMatch",
                )?;
                continue;
            }
            let got = expect_ok(outcome)?;
            check(got.body.as_bytes() == OBJECT, || {
                format!(
                    "s3 GetObject (presigned): the body is {:?}",
                    String::from_utf8_lossy(got.body.as_bytes())
                )
            })?;
            self.accepted(&format!(
                "s3 GetObject through a presigned URL (no Authorization header): the {} bytes put",
                OBJECT.len()
            ));
        }
        Ok(())
    }

    /// Has moto check none of the next `actions` actions (`/moto-api/reset-auth`), after
    /// which it checks every request again.
    fn unchecked_window(&self, actions: usize) -> Result<(), String> {
        let mut reset = HttpRequest {
            method: "POST".into(),
            uri: format!("{}/moto-api/reset-auth", self.endpoint),
            body: actions.to_string().into_bytes(),
            ..HttpRequest::default()
        };
        reset
            .headers
            .push(("Content-Type".into(), "text/plain".into()));
        let response = http::send(&reset)?;
        if response.status != 200 {
            return Err(format!(
                "POST /moto-api/reset-auth: status {} (is this moto?)",
                response.status
            ));
        }
        Ok(())
    }

    fn accepted(&mut self, what: &str) {
        self.accepted += 1;
        println!("{}: accepted: {what}", self.name);
    }

    /// Counts `outcome` as refused when it is the error whose code (by `code_of`, the error
    /// enum's `code`) is `code`.
    ///
    /// moto answers its authentication and authorization errors in XML even for JSON-protocol
    /// services (`<ErrorResponse><Errors><Error><Code>`), where AWS sends JSON; the generated
    /// crate of a JSON protocol reads no XML, so its enum gives `Unknown` with the status's
    /// code (`Forbidden`). For those, the code is taken from that XML body, and the line says
    /// so.
    fn refused<O: Operation>(
        &mut self,
        what: &str,
        outcome: Outcome<O>,
        code_of: fn(&O::Error) -> &str,
        code: &str,
    ) -> Result<(), String>
    where
        O::Output: std::fmt::Debug,
        O::Error: std::fmt::Debug,
    {
        let Outcome { result, response } = outcome;
        let error = match result {
            Ok(output) => return Err(format!("{what}: accepted ({output:?}), not refused")),
            Err(error) => error,
        };
        let decoded = code_of(&error);
        if decoded == code {
            self.refused += 1;
            println!(
                "{}: refused as expected: {what}: {code}, decoded by the error enum",
                self.name
            );
            return Ok(());
        }
        let json = matches!(
            <O::Error as OperationError>::PROTOCOL,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1
        );
        let body = String::from_utf8_lossy(&response.body);
        if json
            && Some(decoded) == smithy_runtime::error::status_code(response.status)
            && body.trim_start().starts_with("<")
            && body.contains(&format!("<Code>{code}</Code>"))
        {
            self.refused += 1;
            println!(
                "{}: refused as expected: {what}: {code} in moto's XML body (the JSON crate's enum: Unknown, {decoded})",
                self.name
            );
            return Ok(());
        }
        Err(format!(
            "{what}: refused with code {decoded:?} ({error:?}), not {code}; the body: {body}"
        ))
    }
}

/// The user's policy: [`ALLOWED`] on every resource.
fn policy_document() -> String {
    let actions: Vec<String> = ALLOWED.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[{}],\"Resource\":\"*\"}}]}}",
        actions.join(",")
    )
}

fn check(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

/// The output, or the error as a failure naming the operation.
fn expect_ok<O: Operation>(outcome: Outcome<O>) -> Result<O::Output, String>
where
    O::Error: std::fmt::Debug,
{
    outcome.result.map_err(|error| {
        format!(
            "{}: status {}, {error:?}; the body: {}",
            O::NAME,
            outcome.response.status,
            String::from_utf8_lossy(&outcome.response.body)
        )
    })
}

/// A call's decoded result and the response it was decoded from.
struct Outcome<O: Operation> {
    result: Result<O::Output, O::Error>,
    response: http::Response,
}

/// Signs `request` for `O` with `credentials` (`smithy_runtime::auth::sign`: the scheme,
/// signing name, region and S3 settings selected from the operation's auth and the endpoint's
/// `authSchemes`), tampers with it as asked, sends it and decodes the response. `Err` only
/// when it could not be signed, sent or read.
fn exchange<O: Operation>(
    mut request: HttpRequest,
    endpoint: &Endpoint,
    credentials: &Credentials,
    tamper: Tamper,
) -> Result<Outcome<O>, String> {
    let time = SystemTime::now();
    let signing = smithy_runtime::auth::sign::<O>(
        &mut request,
        endpoint,
        Some(REGION),
        Some(credentials),
        time,
    )
    .map_err(|e| e.to_string())?;
    if signing.is_none() {
        return Err(format!("{}: the auth selection sent it unsigned", O::NAME));
    }
    if tamper == Tamper::Signature {
        change_signature(&mut request)?;
    }
    let response = http::send(&request)?;
    let pairs = response.header_pairs();
    let result = O::decode_response(&response.borrow(&pairs));
    Ok(Outcome { result, response })
}

/// The presigned URL of `request` for `O` (valid 5 minutes), with the presigning parameters
/// of what `smithy_runtime::auth::select` gives for the operation and the endpoint
/// (`Signing::presign_params`: S3's rules presign with `UNSIGNED-PAYLOAD`).
fn presigned_url<O: Operation>(
    request: &HttpRequest,
    endpoint: &Endpoint,
    credentials: &Credentials,
) -> Result<String, String> {
    let signing = smithy_runtime::auth::select(
        O::NAME,
        &O::AUTH,
        endpoint.properties.get("authSchemes"),
        Some(REGION),
        Some(credentials),
    )
    .map_err(|e| e.to_string())?
    .ok_or_else(|| format!("{}: the auth selection sent it unsigned", O::NAME))?;
    let params = signing.presign_params(credentials, SystemTime::now());
    sigv4::presign(request, &params, Duration::from_secs(300))
        .map_err(|e| format!("{}: presigning: {e}", O::NAME))
}

/// Changes the last hex digit of the `Authorization` header's `Signature=`.
fn change_signature(request: &mut HttpRequest) -> Result<(), String> {
    let (_, value) = request
        .headers
        .iter_mut()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .ok_or("the signed request has no Authorization header")?;
    change_last_hex_digit(value, "Signature=")
}

/// Changes the last character of `text`, a hex digit of the signature that follows `marker`
/// (the signature is last in both an `Authorization` header and a presigned URL).
fn change_last_hex_digit(text: &mut String, marker: &str) -> Result<(), String> {
    let signature = text
        .rsplit_once(marker)
        .map(|(_, signature)| signature)
        .unwrap_or_default();
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "no 64-digit signature after {marker} at the end of {text}"
        ));
    }
    let last = text.pop().unwrap_or('0');
    text.push(if last == '0' { '1' } else { '0' });
    Ok(())
}
