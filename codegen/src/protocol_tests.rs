//! The AWS protocol test suite as Rust tests: the `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` cases of a loaded model become one `#[test]` each, against
//! the crates the generator makes of the model's services. Built like the generator's own
//! output: from the [`Model`] and the IR, through `quote!`, formatted with prettyplease;
//! `cargo xtask protocol-tests` writes and runs them.
//!
//! Request cases build the input from the case's `params` as a Rust literal, encode it with
//! the operation's `encode_request`, and compare the request as the suite defines it (method,
//! path, query set, headers, host, body by media type). Response cases on operations decode
//! the response with `decode_response` and compare the output's value tree with `params`;
//! cases on error structures decode the error with `from_response` and compare the variant,
//! the code, the message and the structure.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Number, Value};

use crate::lower::closure;
use crate::model::{shape_name, traits, Member, Model, Shape, ShapeKind};
use crate::naming::{self, ident};
use crate::literals::Literals;
use crate::{emit, ir, lower, validate, Error, GeneratedCrate, Settings};

/// The trait holding response cases.
pub const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// The trait holding request cases.
pub const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";

/// What a case tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseKind {
    /// An operation's input serialized into a request.
    Request,
    /// A success response decoded into an operation's output.
    Output,
    /// An error response decoded into an operation's error.
    Error,
}

/// One case of the suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    /// The protocol's name (`restJson1`, `awsQuery`, ...).
    pub protocol: String,
    pub kind: CaseKind,
    /// The test's path in the test crate (`module::function`), when it could be generated.
    pub test: Option<String>,
    /// Why no test could be generated for it.
    pub problem: Option<String>,
}

/// The generated crates and the test crate's source.
#[derive(Debug, Clone)]
pub struct Suite {
    /// One crate per service with cases.
    pub crates: Vec<GeneratedCrate>,
    /// The test crate's `src/lib.rs`: one module per crate, named as the crate.
    pub tests: String,
    /// Every client case of the suite (cases for servers only are left out).
    pub cases: Vec<Case>,
}

/// One case as read from the model.
struct Raw<'m> {
    id: String,
    protocol: String,
    kind: CaseKind,
    /// The operation (output cases) or error structure (error cases).
    shape: &'m Shape,
    test: &'m Value,
}

/// The suite of `model`'s cases; the generated crates depend on the runtime at
/// `runtime_path`, and services with endpoint rules hold `partitions` (the text of
/// `partitions.json`), which request cases resolve their endpoint with.
pub fn suite(model: &Model, runtime_path: &str, partitions: Option<&str>) -> Result<Suite, Error> {
    let mut raws = Vec::new();
    let kinds = model.shapes.values().flat_map(|shape| {
        let request = (shape.kind == ShapeKind::Operation).then_some((shape, REQUEST_TESTS, CaseKind::Request));
        let response = match shape.kind {
            ShapeKind::Operation => Some((shape, RESPONSE_TESTS, CaseKind::Output)),
            ShapeKind::Structure if shape.has_trait(traits::ERROR) => Some((shape, RESPONSE_TESTS, CaseKind::Error)),
            _ => None,
        };
        request.into_iter().chain(response)
    });
    for (shape, trait_id, kind) in kinds {
        let Some(Value::Array(tests)) = shape.traits.get(trait_id) else { continue };
        for test in tests {
            if test.get("appliesTo").and_then(Value::as_str) == Some("server") {
                continue;
            }
            let text = |key: &str| test.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            raws.push(Raw { id: text("id"), protocol: text("protocol"), kind, shape, test });
        }
    }

    // Each case runs against the first service (by shape ID) that speaks its protocol and has
    // the operation, or an operation that can return the error.
    let services: Vec<&Shape> = model.services().collect();
    let closures: BTreeMap<&str, lower::Closure> = services.iter().map(|s| (s.id.as_str(), closure(model, s))).collect();
    let mut planned: BTreeMap<&str, Vec<(&Raw<'_>, String)>> = BTreeMap::new();
    let mut cases = Vec::new();
    for raw in &raws {
        let found = services.iter().find_map(|service| {
            if !service.has_trait(&raw.protocol) {
                return None;
            }
            let closure = closures.get(service.id.as_str())?;
            let operation = match raw.kind {
                CaseKind::Output | CaseKind::Request => {
                    closure.operations.contains(&raw.shape.id).then(|| raw.shape.id.clone())
                }
                CaseKind::Error => closure
                    .operations
                    .iter()
                    .find(|op| {
                        service.errors.contains(&raw.shape.id)
                            || model.shape(op).is_some_and(|o| o.errors.contains(&raw.shape.id))
                    })
                    .cloned(),
            }?;
            Some((service.id.as_str(), operation))
        });
        let protocol = shape_name(&raw.protocol).to_owned();
        match found {
            Some((service, operation)) => planned.entry(service).or_default().push((raw, operation)),
            None => cases.push(Case {
                id: raw.id.clone(),
                protocol,
                kind: raw.kind,
                test: None,
                problem: Some(format!("no service speaking {} has an operation for {}", raw.protocol, raw.shape.id)),
            }),
        }
    }

    let mut crates = Vec::new();
    let mut modules = Vec::new();
    for (service, raws) in planned {
        let krate_name = crate_name_for(service);
        let settings = Settings { version: None,
            crate_name: Some(krate_name.clone()),
            runtime_path: runtime_path.to_owned(),
            standalone: false,
            service: Some(service.to_owned()),
            partitions: partitions.map(str::to_owned),
        };
        let generated = validate::validate(model, &settings)
            .and_then(|()| lower::lower(model, &settings))
            .and_then(|krate| Ok((emit::emit(&krate)?, krate)));
        let (files, krate) = match generated {
            Ok(generated) => generated,
            Err(e) => {
                for (raw, _) in raws {
                    cases.push(Case {
                        id: raw.id.clone(),
                        protocol: shape_name(&raw.protocol).to_owned(),
                        kind: raw.kind,
                        test: None,
                        problem: Some(format!("generating {service} failed: {e}")),
                    });
                }
                continue;
            }
        };
        let mut taken = BTreeSet::new();
        let mut tests = Vec::new();
        for (raw, operation) in raws {
            let function = unique_ident(&raw.id, &mut taken);
            let test = test_fn(model, &krate, raw, &operation, &function);
            let protocol = shape_name(&raw.protocol).to_owned();
            match test {
                Ok(tokens) => {
                    tests.push(tokens);
                    cases.push(Case {
                        id: raw.id.clone(),
                        protocol,
                        kind: raw.kind,
                        test: Some(format!("{krate_name}::{function}")),
                        problem: None,
                    });
                }
                Err(problem) => {
                    cases.push(Case { id: raw.id.clone(), protocol, kind: raw.kind, test: None, problem: Some(problem) })
                }
            }
        }
        let module = ident(&krate_name);
        modules.push(quote! {
            mod #module {
                use ::smithy_runtime as rt;
                use crate::check;
                #( #tests )*
            }
        });
        crates.push(GeneratedCrate { crate_name: krate.crate_name.clone(), files });
    }
    let check = check_module();
    let file = quote! {
        //! Generated from the AWS protocol test suite by `cargo xtask protocol-tests`; scratch.
        #![cfg(test)]
        #![allow(non_snake_case, clippy::all)]
        #check
        #( #modules )*
    };
    let tests = syn::parse2::<syn::File>(file)
        .map(|f| prettyplease::unparse(&f))
        .map_err(|e| Error::new(&model.file, format!("internal error: the protocol tests do not parse: {e}")))?;
    cases.sort_by(|a, b| (&a.protocol, a.kind, &a.id).cmp(&(&b.protocol, b.kind, &b.id)));
    Ok(Suite { crates, tests, cases })
}

/// The namespace of the endpoint rules traits.
const RULES_NAMESPACE: &str = "smithy.rules#";
/// The service trait holding a ruleset.
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// The service trait holding endpoint test cases (the real model's, not the suite's: not
/// adopted).
const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
/// The operation traits binding endpoint parameters.
const OPERATION_RULES_TRAITS: [&str; 2] = ["smithy.rules#staticContextParams", "smithy.rules#operationContextParams"];
/// The member trait binding an endpoint parameter.
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";

/// Gives `service` of the suite, which has no endpoint rules, the rules of the service with
/// the same shape ID in `real` (the AWS model of that service): the service's
/// `smithy.rules#*` traits but its test cases, and of every operation of the suite's service
/// with a same-named operation in the real service, that operation's
/// `@staticContextParams` and `@operationContextParams` and the `@contextParam` of its
/// input's same-named members. Returns how many operations took traits; an error when either
/// model lacks the service, or the suite's service already has rules.
pub fn adopt_endpoint_rules(model: &mut Model, service: &str, real: &Model) -> Result<usize, String> {
    let suite_service = model
        .shape(service)
        .filter(|s| s.kind == ShapeKind::Service)
        .ok_or_else(|| format!("the suite has no service {service}"))?;
    if suite_service.has_trait(ENDPOINT_RULE_SET) {
        return Err(format!("{service} has endpoint rules of its own"));
    }
    let real_service = real
        .shape(service)
        .filter(|s| s.kind == ShapeKind::Service)
        .ok_or_else(|| format!("{}: no service {service}", real.file))?;
    if !real_service.has_trait(ENDPOINT_RULE_SET) {
        return Err(format!("{}: {service} has no endpoint rules", real.file));
    }
    let service_traits: Vec<(String, Value)> = real_service
        .traits
        .iter()
        .filter(|(id, _)| id.starts_with(RULES_NAMESPACE) && id.as_str() != ENDPOINT_TESTS)
        .map(|(id, v)| (id.clone(), v.clone()))
        .collect();
    // The real service's operations by name.
    let real_ops: BTreeMap<&str, &Shape> = closure(real, real_service)
        .operations
        .iter()
        .filter_map(|id| real.shape(id))
        .map(|op| (op.name(), op))
        .collect();
    // (suite operation, its traits), (suite input, member, trait value).
    let mut op_traits = Vec::new();
    let mut member_traits = Vec::new();
    for id in &closure(model, suite_service).operations {
        let Some(op) = model.shape(id) else { continue };
        let Some(real_op) = real_ops.get(op.name()) else { continue };
        let traits: Vec<(String, Value)> = OPERATION_RULES_TRAITS
            .iter()
            .filter_map(|t| real_op.traits.get(*t).map(|v| ((*t).to_owned(), v.clone())))
            .collect();
        let inputs = (op.input.as_deref().and_then(|i| model.shape(i)), real_op.input.as_deref().and_then(|i| real.shape(i)));
        let mut members = Vec::new();
        if let (Some(input), Some(real_input)) = inputs {
            for m in &real_input.members {
                if let (Some(value), Some(_)) = (m.traits.get(CONTEXT_PARAM), input.member(&m.name)) {
                    members.push((input.id.clone(), m.name.clone(), value.clone()));
                }
            }
        }
        if !traits.is_empty() || !members.is_empty() {
            op_traits.push((id.clone(), traits));
            member_traits.extend(members);
        }
    }
    let adopted = op_traits.len();
    if let Some(shape) = model.shapes.get_mut(service) {
        shape.traits.extend(service_traits);
    }
    for (id, traits) in op_traits {
        if let Some(shape) = model.shapes.get_mut(&id) {
            shape.traits.extend(traits);
        }
    }
    for (input, member, value) in member_traits {
        let m = model.shapes.get_mut(&input).and_then(|s| s.members.iter_mut().find(|m| m.name == member));
        if let Some(m) = m {
            m.traits.insert(CONTEXT_PARAM.to_owned(), value);
        }
    }
    Ok(adopted)
}

/// The package name of a service's crate: `pt_` and its shape ID in snake case.
fn crate_name_for(service: &str) -> String {
    let mut name = String::from("pt_");
    for c in service.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_end_matches('_').to_owned()
}

/// A Rust identifier for a case id, unique among `taken`.
fn unique_ident(id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert_str(0, "case_");
    }
    if naming::is_keyword(&base) || base == "rt" {
        base.push('_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The test of one case.
fn test_fn(model: &Model, krate: &ir::Crate, raw: &Raw<'_>, operation: &str, function: &str) -> Result<TokenStream, String> {
    let test = raw.test;
    if raw.kind == CaseKind::Request {
        return request_test(krate, raw, operation, function);
    }
    let status = test
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .ok_or("the case has no valid `code`")?;
    let mut headers = Vec::new();
    if let Some(map) = test.get("headers").and_then(Value::as_object) {
        for (name, value) in map {
            let value = value.as_str().ok_or("a header value is not a string")?;
            headers.push(quote!((#name, #value)));
        }
    }
    let body_text = test.get("body").and_then(Value::as_str).unwrap_or_default();
    let binary = test.get("bodyMediaType").and_then(Value::as_str) == Some("application/cbor");
    let body = if binary {
        base64::engine::general_purpose::STANDARD
            .decode(body_text)
            .map_err(|e| format!("the CBOR body is not base64: {e}"))?
    } else {
        body_text.as_bytes().to_vec()
    };
    let body = Literal::byte_string(&body);
    let params = test.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    let krate_ident = ident(&krate.crate_name);
    let op = krate.operations.iter().find(|o| o.shape_id == operation).ok_or("the operation was not generated")?;
    let op_ident = ident(&op.name);
    let doc = format!(" `{}` ({}): {}", raw.id, shape_name(&raw.protocol), raw.shape.id);
    let function = ident(function);
    let response = quote! {
        let response = rt::http::HttpResponse { status: #status, headers: &[ #( #headers ),* ], body: #body };
    };
    let check = match raw.kind {
        CaseKind::Output => {
            let decode = quote! {
                let output = match <#krate_ident::operations::#op_ident as rt::operation::Operation>::decode_response(&response) {
                    ::std::result::Result::Ok(output) => output,
                    ::std::result::Result::Err(error) => panic!("decode_response failed: {error}"),
                };
            };
            match model.shape(operation).and_then(|o| o.output.clone()).filter(|o| o != "smithy.api#Unit") {
                Some(output) => {
                    let expected = Expected { model }.value(&output, &params, 0)?.to_string();
                    quote! {
                        #decode
                        let expected: rt::serde_json::Value = rt::serde_json::from_str(#expected).unwrap();
                        let actual = rt::ToValue::to_value(&output).to_json();
                        assert!(actual == expected, "decoded output\n  actual: {actual}\nexpected: {expected}");
                    }
                }
                None => quote! { #decode let () = output; },
            }
        }
        CaseKind::Request => return Err("a request case reached the response test".into()),
        CaseKind::Error => {
            let case = op
                .errors
                .iter()
                .find(|e| e.shape_id == raw.shape.id)
                .ok_or_else(|| format!("{} has no case for {}", op.error_enum, raw.shape.id))?;
            let enum_ident = ident(&op.error_enum);
            let variant = ident(&case.variant);
            let code = test
                .get("vendorParams")
                .and_then(|v| v.get("code"))
                .and_then(Value::as_str)
                .unwrap_or_else(|| raw.shape.name())
                .to_owned();
            let message = ["message", "Message", "errorMessage"].iter().find_map(|key| params.get(*key).and_then(Value::as_str));
            let message_check = message.map(|m| quote!(assert_eq!(error.message(), Some(#m), "message()");));
            let expected = Expected { model }.value(&raw.shape.id, &params, 0)?.to_string();
            quote! {
                let error = #krate_ident::error::#enum_ident::from_response(&response);
                let #krate_ident::error::#enum_ident::#variant(decoded) = &error else {
                    panic!("decoded as {error:?}, not as the `{}` case", stringify!(#variant));
                };
                assert_eq!(error.code(), #code, "code()");
                #message_check
                let expected: rt::serde_json::Value = rt::serde_json::from_str(#expected).unwrap();
                let actual = rt::ToValue::to_value(decoded).to_json();
                assert!(actual == expected, "decoded structure\n  actual: {actual}\nexpected: {expected}");
            }
        }
    };
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #function() {
            #response
            #check
        }
    })
}

/// The test of one request case: build the input from the case's `params`, encode it, and
/// compare the request as the suite defines it.
fn request_test(krate: &ir::Crate, raw: &Raw<'_>, operation: &str, function: &str) -> Result<TokenStream, String> {
    let test = raw.test;
    let protocol = krate.service.protocol;
    if !protocol.encodes_requests() {
        return Err(format!("requests are not serialized for {} yet", shape_name(&raw.protocol)));
    }
    let text = |key: &str| test.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let strings = |key: &str| -> Vec<String> {
        test.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    };
    // The request resolved against the case's endpoint (`host`, which may hold a path): the
    // host the operation's `@endpoint` prefix gives, and the path under the endpoint's.
    let host = text("host");
    let resolved = text("resolvedHost");
    let endpoint = if host.is_empty() { "example.com".to_owned() } else { host.clone() };
    let expected_host = if resolved.is_empty() { endpoint.split('/').next().unwrap_or_default().to_owned() } else { resolved };
    let op = krate.operations.iter().find(|o| o.shape_id == operation).ok_or("the operation was not generated")?;
    let params = test.get("params").cloned().filter(|p| !p.is_null()).unwrap_or_else(|| Value::Object(Map::new()));
    let literals = Literals::new(krate);
    let input = match &op.input {
        Some(input) => literals.named(input, &params, 0)?,
        None => quote!(()),
    };
    let krate_ident = ident(&krate.crate_name);
    let op_ident = ident(&op.name);
    let resolve = endpoint_of(krate, test, &op_ident)?;
    let method = text("method");
    let uri = text("uri");
    let query = strings("queryParams");
    let forbid_query = strings("forbidQueryParams");
    let require_query = strings("requireQueryParams");
    let mut headers = Vec::new();
    if let Some(map) = test.get("headers").and_then(Value::as_object) {
        for (name, value) in map {
            let value = value.as_str().ok_or("a header value is not a string")?;
            headers.push(quote!((#name, #value)));
        }
    }
    let forbid_headers = strings("forbidHeaders");
    let require_headers = strings("requireHeaders");
    let body = test.get("body").and_then(Value::as_str).map(|body| {
        let media = text("bodyMediaType");
        quote!(check::body(&request.body, #body, #media);)
    });
    let doc = format!(" `{}` ({}): {}", raw.id, shape_name(&raw.protocol), raw.shape.id);
    let function = ident(function);
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #function() {
            // The suite expects this token where the input leaves an `@idempotencyToken` unset.
            rt::operation::set_idempotency_token_source(Some(|| ::std::string::String::from("00000000-0000-4000-8000-000000000000")));
            let input = #input;
            #[allow(unused_mut)]
            let mut request = match <#krate_ident::operations::#op_ident as rt::operation::EncodeRequest>::encode_request(&input) {
                ::std::result::Result::Ok(request) => request,
                ::std::result::Result::Err(error) => panic!("encode_request failed: {error}"),
            };
            assert_eq!(request.method, #method, "method");
            let (url, headers) = #resolve;
            let (host, path) = url.trim_start_matches("https://").split_once('/').map(|(h, p)| (h.to_owned(), format!("/{p}"))).unwrap_or_default();
            assert_eq!(host, #expected_host, "host");
            check::uri(&path, #uri, &[ #( #query ),* ], &[ #( #forbid_query ),* ], &[ #( #require_query ),* ]);
            check::headers(&headers, &[ #( #headers ),* ], &[ #( #forbid_headers ),* ], &[ #( #require_headers ),* ]);
            #body
        }
    })
}

/// What the case's client configuration (`vendorParams`, the AWS SDKs' settings) sets, as the
/// endpoint rules' built-ins: the region, and S3's dual-stack, accelerate and addressing style.
/// The operation's scope overrides the client's.
fn vendor_built_ins(test: &Value) -> Vec<(&'static str, Value)> {
    let vendor = test.get("vendorParams");
    let scoped = vendor.and_then(|v| v.get("scopedConfig"));
    let option = |path: &[&str]| {
        let at = |scope: &str| {
            let mut value = scoped.and_then(|c| c.get(scope));
            for key in path {
                value = value.and_then(|v| v.get(*key));
            }
            value.cloned()
        };
        at("operation").or_else(|| at("client"))
    };
    let mut out = Vec::new();
    if let Some(region) = option(&["region"]).or_else(|| vendor.and_then(|v| v.get("region")).cloned()) {
        out.push(("AWS::Region", region));
    }
    if let Some(on) = option(&["s3", "use_dualstack_endpoint"]) {
        out.push(("AWS::UseDualStack", on));
    }
    if let Some(on) = option(&["s3", "use_accelerate_endpoint"]) {
        out.push(("AWS::S3::Accelerate", on));
    }
    if let Some(style) = option(&["s3", "addressing_style"]) {
        out.push(("AWS::S3::ForcePathStyle", Value::Bool(style == "path")));
    }
    out
}

/// The expression giving the request's `(url, headers)`: for a service with endpoint rules,
/// its endpoint resolved from the case's client configuration and the input
/// (`<Op>::endpoint_params`, then `endpoint::resolve`), met with the request by
/// `rt::endpoint::apply`, as a real call does; else the request against the case's `host`.
fn endpoint_of(krate: &ir::Crate, test: &Value, op: &proc_macro2::Ident) -> Result<TokenStream, String> {
    let built_ins = vendor_built_ins(test);
    let Some(endpoints) = &krate.endpoints else {
        if let Some((name, _)) = built_ins.iter().find(|(name, _)| *name != "AWS::Region") {
            return Err(format!("the case configures {name}, which only endpoint rules apply; the service has none"));
        }
        let host = test.get("host").and_then(Value::as_str).filter(|h| !h.is_empty()).unwrap_or("example.com");
        return Ok(quote!((request.url(&format!("https://{}", #host)), request.headers.clone())));
    };
    if !built_ins.iter().any(|(name, _)| *name == "AWS::Region") {
        return Err("the service's endpoint rules need a region, which the case's vendorParams do not give".into());
    }
    let mut settings = Vec::new();
    for (name, value) in &built_ins {
        let field = endpoints
            .config
            .iter()
            .find(|f| f.built_in.as_deref() == Some(*name))
            .ok_or_else(|| format!("the case configures {name}, which the service's endpoint rules do not bind"))?;
        let fname = ident(&field.rust_name);
        let value = match (field.kind, value) {
            (ir::ParamType::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
            (ir::ParamType::Boolean, Value::Bool(b)) => quote!(#b),
            _ => return Err(format!("the case sets {name} to {value}, not a {:?}", field.kind)),
        };
        settings.push(quote!(config.#fname = ::std::option::Option::Some(#value);));
    }
    let krate_ident = ident(&krate.crate_name);
    Ok(quote!({
        let mut config = #krate_ident::endpoint::Config::default();
        #( #settings )*
        let params = #krate_ident::operations::#op::endpoint_params(&input, &config);
        let endpoint = match #krate_ident::endpoint::resolve(&params) {
            ::std::result::Result::Ok(endpoint) => endpoint,
            ::std::result::Result::Err(error) => panic!("endpoint resolution failed: {error}"),
        };
        rt::endpoint::apply(&request, &endpoint)
    }))
}

/// The comparisons of request cases, as the suite defines them: the path exactly, query
/// parameters as a set, headers by name (case-insensitive) and value, bodies by media type.
fn check_module() -> TokenStream {
    quote! {
        mod check {
            use ::smithy_runtime as rt;

            /// `a=b` pairs of a query string, percent-decoding left to the comparison of the
            /// raw text.
            fn pairs(query: &str) -> ::std::vec::Vec<::std::string::String> {
                query.split('&').filter(|p| !p.is_empty()).map(str::to_owned).collect()
            }

            pub fn uri(actual: &str, path: &str, query: &[&str], forbid: &[&str], require: &[&str]) {
                let (actual_path, actual_query) = actual.split_once('?').unwrap_or((actual, ""));
                let (expected_path, _) = path.split_once('?').unwrap_or((path, ""));
                assert_eq!(actual_path, expected_path, "path of {actual}");
                let actual_pairs = pairs(actual_query);
                for expected in query {
                    assert!(actual_pairs.iter().any(|p| p == expected), "query parameter {expected} missing from {actual}");
                }
                let keys: ::std::vec::Vec<&str> = actual_pairs.iter().map(|p| p.split_once('=').map_or(p.as_str(), |(k, _)| k)).collect();
                for key in forbid {
                    assert!(!keys.contains(key), "query parameter {key} forbidden in {actual}");
                }
                for key in require {
                    assert!(keys.contains(key), "query parameter {key} required in {actual}");
                }
            }

            pub fn headers(actual: &[(::std::string::String, ::std::string::String)], expected: &[(&str, &str)], forbid: &[&str], require: &[&str]) {
                let find = |name: &str| actual.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
                for (name, value) in expected {
                    assert_eq!(find(name), Some(*value), "header {name} in {actual:?}");
                }
                for name in forbid {
                    assert_eq!(find(name), None, "header {name} forbidden in {actual:?}");
                }
                for name in require {
                    assert!(find(name).is_some(), "header {name} required in {actual:?}");
                }
            }

            pub fn body(actual: &[u8], expected: &str, media_type: &str) {
                let text = ::std::string::String::from_utf8_lossy(actual);
                if expected.is_empty() {
                    assert!(actual.is_empty(), "body: expected none, got {text}");
                } else if media_type.contains("json") {
                    let actual_value: rt::serde_json::Value = rt::serde_json::from_slice(actual).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"));
                    let expected_value: rt::serde_json::Value = rt::serde_json::from_str(expected).unwrap_or_else(|e| panic!("the case's body is not JSON ({e})"));
                    assert!(actual_value == expected_value, "body\n  actual: {actual_value}\nexpected: {expected_value}");
                } else if media_type.contains("cbor") {
                    let expected_bytes = rt::Blob::from_base64(expected).unwrap_or_else(|| panic!("the case's CBOR body is not base64"));
                    let actual_value = rt::cbor::to_json(actual).unwrap_or_else(|| panic!("body is not CBOR"));
                    let expected_value = rt::cbor::to_json(expected_bytes.as_bytes()).unwrap_or_else(|| panic!("the case's body is not CBOR"));
                    assert!(actual_value == expected_value, "CBOR body\n  actual: {actual_value}\nexpected: {expected_value}");
                } else if media_type.contains("xml") {
                    let parse = |text: &str| rt::xml::roxmltree::Document::parse(text).map(|d| tree(d.root_element()));
                    let actual_tree = parse(&text).unwrap_or_else(|e| panic!("body is not XML ({e}): {text}"));
                    let expected_tree = parse(expected).unwrap_or_else(|e| panic!("the case's body is not XML ({e})"));
                    assert!(actual_tree == expected_tree, "XML body\n  actual: {text}\nexpected: {expected}");
                } else if media_type.contains("x-www-form-urlencoded") {
                    let mut actual_pairs = form(&text);
                    let mut expected_pairs = form(&expected.replace('\n', ""));
                    actual_pairs.sort();
                    expected_pairs.sort();
                    assert_eq!(actual_pairs, expected_pairs, "form body {text}");
                } else {
                    assert_eq!(text, expected, "body");
                }
            }

            /// An element as a comparable tree: its namespace and name, its attributes (sorted,
            /// namespace declarations aside), and its children, whitespace between elements
            /// ignored and the text of a leaf kept as it is. Children are compared as a sorted
            /// multiset: the suite gives maps as JSON objects in an order a Rust map does not
            /// keep (list order is not checked in XML bodies either).
            #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
            struct Tree {
                name: (::std::string::String, ::std::string::String),
                attributes: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
                text: ::std::string::String,
                children: ::std::vec::Vec<Tree>,
            }

            fn tree(el: rt::xml::roxmltree::Node<'_, '_>) -> Tree {
                let mut attributes: ::std::vec::Vec<_> = el.attributes().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
                attributes.sort();
                let mut children: ::std::vec::Vec<Tree> = el.children().filter(|c| c.is_element()).map(tree).collect();
                children.sort();
                let text = if children.is_empty() { el.text().unwrap_or_default().to_owned() } else { ::std::string::String::new() };
                Tree {
                    name: (el.tag_name().namespace().unwrap_or_default().to_owned(), el.tag_name().name().to_owned()),
                    attributes,
                    text,
                    children,
                }
            }

            /// A form body's pairs, percent-decoded.
            fn form(body: &str) -> ::std::vec::Vec<(::std::string::String, ::std::string::String)> {
                let decode = |s: &str| {
                    let bytes = s.as_bytes();
                    let mut out = ::std::vec::Vec::new();
                    let mut i = 0;
                    while i < bytes.len() {
                        match bytes[i] {
                            b'%' if i + 2 < bytes.len() => {
                                let hex = ::std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                                i += 3;
                            }
                            b'+' => {
                                out.push(b' ');
                                i += 1;
                            }
                            b => {
                                out.push(b);
                                i += 1;
                            }
                        }
                    }
                    ::std::string::String::from_utf8_lossy(&out).into_owned()
                };
                body.split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        (decode(k), decode(v))
                    })
                    .collect()
            }
        }
    }
}

/// How deep an absent structure's zero value is spelled out.
const ZERO_DEPTH: usize = 16;

/// A case's `params` as `ToValue::to_value(..).to_json()` spells the decoded value: blobs in
/// base64, timestamps in epoch seconds, absent non-optional members at their default.
struct Expected<'m> {
    model: &'m Model,
}

impl Expected<'_> {
    fn value(&self, target: &str, value: &Value, depth: usize) -> Result<Value, String> {
        if depth > 64 {
            return Err("params nested too deeply".into());
        }
        if value.is_null() {
            return Ok(Value::Null);
        }
        let shape = self.model.shape(target).ok_or_else(|| format!("unknown shape {target}"))?;
        let mismatch = || format!("the params do not fit {target}: {value}");
        Ok(match shape.kind {
            ShapeKind::Structure => {
                let object = value.as_object().ok_or_else(mismatch)?;
                if let Some(key) = object.keys().find(|k| shape.member(k).is_none()) {
                    return Err(format!("{target} has no member `{key}`"));
                }
                let input = shape.has_trait(traits::INPUT);
                let mut out = Map::new();
                for m in &shape.members {
                    match object.get(&m.name).filter(|v| !v.is_null()) {
                        Some(v) => {
                            out.insert(m.name.clone(), self.value(&m.target, v, depth + 1)?);
                        }
                        None if !input => {
                            if let Some(v) = self.absent(m, depth)? {
                                out.insert(m.name.clone(), v);
                            }
                        }
                        None => {}
                    }
                }
                Value::Object(out)
            }
            ShapeKind::Union => {
                let object = value.as_object().ok_or_else(mismatch)?;
                let mut out = Map::new();
                for (key, v) in object {
                    let m = shape.member(key).ok_or_else(|| format!("{target} has no member `{key}`"))?;
                    out.insert(key.clone(), self.value(&m.target, v, depth + 1)?);
                }
                Value::Object(out)
            }
            ShapeKind::List => {
                let items = value.as_array().ok_or_else(mismatch)?;
                let member = shape.member("member").map_or("", |m| m.target.as_str());
                Value::Array(items.iter().map(|item| self.value(member, item, depth + 1)).collect::<Result<_, _>>()?)
            }
            ShapeKind::Map => {
                let object = value.as_object().ok_or_else(mismatch)?;
                let member = shape.member("value").map_or("", |m| m.target.as_str());
                let mut out = Map::new();
                for (key, v) in object {
                    out.insert(key.clone(), self.value(member, v, depth + 1)?);
                }
                Value::Object(out)
            }
            ShapeKind::Blob => {
                Value::String(base64::engine::general_purpose::STANDARD.encode(value.as_str().ok_or_else(mismatch)?))
            }
            ShapeKind::Timestamp => timestamp_json(value).ok_or_else(mismatch)?,
            ShapeKind::Float | ShapeKind::Double => float_json(value).ok_or_else(mismatch)?,
            ShapeKind::BigInteger | ShapeKind::BigDecimal => big_json(value).ok_or_else(mismatch)?,
            _ => value.clone(),
        })
    }

    /// What a decoded structure holds for a member the case leaves out: nothing for an
    /// optional member, else its default (or the zero value of its type).
    fn absent(&self, m: &Member, depth: usize) -> Result<Option<Value>, String> {
        let default = m.traits.get(traits::DEFAULT).filter(|d| !d.is_null());
        let optional = !(m.has_trait(traits::REQUIRED) || default.is_some()) || m.has_trait(traits::CLIENT_OPTIONAL);
        if optional {
            return Ok(None);
        }
        let kind = self.model.shape(&m.target).map(|s| s.kind);
        match default {
            // Blob defaults are base64 in the model already.
            Some(d) if kind == Some(ShapeKind::Blob) => Ok(Some(d.clone())),
            Some(d) => self.value(&m.target, d, depth + 1).map(Some),
            None => Ok(Some(self.zero(&m.target, depth))),
        }
    }

    /// `to_value().to_json()` of `Default::default()` for a shape.
    fn zero(&self, target: &str, depth: usize) -> Value {
        let Some(shape) = self.model.shape(target) else { return Value::Null };
        match shape.kind {
            ShapeKind::Boolean => Value::Bool(false),
            ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::IntEnum
            | ShapeKind::Timestamp
            | ShapeKind::BigInteger
            | ShapeKind::BigDecimal => Value::from(0),
            ShapeKind::Float | ShapeKind::Double => Value::from(0.0),
            ShapeKind::String | ShapeKind::Enum | ShapeKind::Blob => Value::from(""),
            ShapeKind::List => Value::Array(Vec::new()),
            ShapeKind::Map => Value::Object(Map::new()),
            ShapeKind::Structure if depth < ZERO_DEPTH => {
                let mut out = Map::new();
                for m in &shape.members {
                    if let Ok(Some(v)) = self.absent(m, depth + 1) {
                        out.insert(m.name.clone(), v);
                    }
                }
                Value::Object(out)
            }
            ShapeKind::Union => {
                let mut out = Map::new();
                out.insert(String::new(), Value::Null);
                Value::Object(out)
            }
            _ => Value::Null,
        }
    }
}

/// A timestamp param (epoch seconds) as `Value::to_json` writes one: whole seconds as an
/// integer, else a float.
fn timestamp_json(value: &Value) -> Option<Value> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(Value::from(i));
    }
    let f = n.as_f64()?;
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Value::from(f as i64));
    }
    Number::from_f64(f).map(Value::Number)
}

/// A float param: numbers as JSON floats, `NaN`/`Infinity`/`-Infinity` as those strings.
fn float_json(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) => Number::from_f64(n.as_f64()?).map(Value::Number),
        Value::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => Some(value.clone()),
        _ => None,
    }
}

/// A big number param: a JSON number when one holds it exactly, else its text.
fn big_json(value: &Value) -> Option<Value> {
    match value {
        Value::Number(_) => Some(value.clone()),
        Value::String(s) => {
            let t = s.strip_prefix('+').unwrap_or(s);
            if let Ok(v) = t.parse::<u64>() {
                return Some(Value::from(v));
            }
            if let Ok(v) = t.parse::<i64>() {
                return Some(Value::from(v));
            }
            let exact = t.parse::<f64>().ok().and_then(Number::from_f64).filter(|n| n.to_string() == t);
            Some(exact.map_or_else(|| value.clone(), Value::Number))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service `ex#S` with operation `ex#Get` (input `ex#GetInput`, member `Bucket`), and
    /// `extra` traits on the service, the operation and the member.
    fn model(service_traits: &str, op_traits: &str, member_traits: &str) -> Model {
        let text = format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "ex#S": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Get"}}], "traits": {{{service_traits}}}}},
                "ex#Get": {{"type": "operation", "input": {{"target": "ex#GetInput"}}, "traits": {{{op_traits}}}}},
                "ex#GetInput": {{"type": "structure", "members": {{"Bucket": {{"target": "smithy.api#String", "traits": {{{member_traits}}}}}}}}}
            }}}}"#
        );
        crate::load("m.json", text.as_bytes()).unwrap()
    }

    #[test]
    fn adopts_the_real_models_endpoint_rules() {
        let rules = r#""smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": []},
                       "smithy.rules#clientContextParams": {"X": {"type": "string"}},
                       "smithy.rules#endpointTests": {"version": "1.0", "testCases": []},
                       "smithy.api#documentation": "real""#;
        let real = model(
            rules,
            r#""smithy.rules#staticContextParams": {"Key": {"value": true}}"#,
            r#""smithy.rules#contextParam": {"name": "Bucket"}"#,
        );
        let mut suite = model("", "", "");
        assert_eq!(adopt_endpoint_rules(&mut suite, "ex#S", &real), Ok(1));
        let service = suite.shape("ex#S").unwrap();
        assert!(service.has_trait(ENDPOINT_RULE_SET) && service.has_trait("smithy.rules#clientContextParams"));
        // Not the real model's cases, nor its other traits.
        assert!(!service.has_trait(ENDPOINT_TESTS) && !service.has_trait("smithy.api#documentation"));
        assert!(suite.shape("ex#Get").unwrap().has_trait("smithy.rules#staticContextParams"));
        assert!(suite.shape("ex#GetInput").unwrap().member("Bucket").unwrap().has_trait(CONTEXT_PARAM));
        // Once only, and only from a service with rules.
        assert!(adopt_endpoint_rules(&mut suite, "ex#S", &real).unwrap_err().contains("rules of its own"));
        let mut bare = model("", "", "");
        assert!(adopt_endpoint_rules(&mut bare, "ex#S", &model("", "", "")).unwrap_err().contains("no endpoint rules"));
        assert!(adopt_endpoint_rules(&mut bare, "ex#T", &real).unwrap_err().contains("no service ex#T"));
    }

    #[test]
    fn names() {
        assert_eq!(crate_name_for("aws.protocoltests.json10#JsonRpc10"), "pt_aws_protocoltests_json10_jsonrpc10");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_ident("Foo-Bar", &mut taken), "Foo_Bar");
        assert_eq!(unique_ident("Foo_Bar", &mut taken), "Foo_Bar_2");
        assert_eq!(unique_ident("3d", &mut taken), "case_3d");
        assert_eq!(unique_ident("type", &mut taken), "type_");
    }

    #[test]
    fn expected_values() {
        assert_eq!(timestamp_json(&serde_json::json!(1.5)), Some(serde_json::json!(1.5)));
        assert_eq!(timestamp_json(&serde_json::json!(2.0)), Some(serde_json::json!(2)));
        assert_eq!(float_json(&serde_json::json!("NaN")), Some(serde_json::json!("NaN")));
        assert_eq!(float_json(&serde_json::json!("nan")), None);
        assert_eq!(big_json(&serde_json::json!("+12")), Some(serde_json::json!(12)));
        assert_eq!(big_json(&serde_json::json!("1e400")), Some(serde_json::json!("1e400")));
    }
}
