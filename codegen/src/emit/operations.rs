//! `src/operations.rs`: one type per operation implementing `rt::operation::Operation`, whose
//! `decode_output` reads a success response by the service's protocol, and
//! `rt::operation::EncodeRequest`. The skeleton and the steps every protocol shares are here;
//! what each wire format writes and reads is in its own module ([`super::json`],
//! [`super::xml`], [`super::query`], [`super::cbor`], [`super::rest`]).

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::{cbor, doc_attrs, endpoint, json, query, rest, xml};
use crate::ir::{self, Protocol};
use crate::naming::{self, ident};
use smithy_runtime::checksum::ChecksumAlgorithm;

/// The head of `src/operations.rs`; [`operation`] gives its items.
pub fn operations_rs_head(krate: &ir::Crate) -> TokenStream {
    let types = krate
        .operations
        .iter()
        .any(|op| op.input.is_some() || op.output.is_some())
        .then(|| quote!(use crate::types;));
    let endpoint_doc = krate.endpoints.is_some().then(|| {
        quote! {
            //!
            //! Each type's `endpoint_params` gives the [endpoint params](crate::endpoint::Params) of a
            //! call: a [`Config`](crate::endpoint::Config)'s, and those the operation binds to its input.
        }
    });
    let service_auth = service_auth(krate);
    quote! {
        //! One type per operation: its input, output and error types, and
        //! [`decode_response`](rt::operation::Operation::decode_response), which turns a whole HTTP
        //! response into the output or the error.
        #endpoint_doc
        use ::smithy_runtime as rt;
        use crate::error;
        #types
        #service_auth
    }
}

/// Whether the service says anything about auth (else every operation keeps the trait's
/// default, no authentication).
fn has_auth(krate: &ir::Crate) -> bool {
    let auth = &krate.service.auth;
    !auth.schemes.is_empty() || auth.signs()
}

/// An `rt::auth::AuthScheme` list.
fn schemes(schemes: &[ir::AuthScheme]) -> TokenStream {
    let items = schemes.iter().map(|s| match s {
        ir::AuthScheme::SigV4 => quote!(rt::auth::AuthScheme::SigV4),
        ir::AuthScheme::SigV4a => quote!(rt::auth::AuthScheme::SigV4a),
        ir::AuthScheme::HttpBasic => quote!(rt::auth::AuthScheme::HttpBasic),
        ir::AuthScheme::HttpDigest => quote!(rt::auth::AuthScheme::HttpDigest),
        ir::AuthScheme::HttpBearer => quote!(rt::auth::AuthScheme::HttpBearer),
        ir::AuthScheme::HttpApiKey => quote!(rt::auth::AuthScheme::HttpApiKey),
        ir::AuthScheme::Other(id) => quote!(rt::auth::AuthScheme::Other(#id)),
    });
    quote!(&[ #( #items ),* ])
}

/// How the schemes read in documentation: `SigV4 (signing name `ecr`), then HTTP bearer`.
fn schemes_doc(krate: &ir::Crate, schemes: &[ir::AuthScheme]) -> String {
    let auth = &krate.service.auth;
    let names: Vec<String> = schemes
        .iter()
        .map(|s| match s {
            ir::AuthScheme::SigV4 => match &auth.sigv4_name {
                Some(name) => format!("SigV4 (signing name `{name}`)"),
                None => "SigV4".to_owned(),
            },
            ir::AuthScheme::SigV4a => match &auth.sigv4a_name {
                Some(name) => format!("SigV4a (signing name `{name}`)"),
                None => "SigV4a".to_owned(),
            },
            ir::AuthScheme::HttpBasic => "HTTP basic".to_owned(),
            ir::AuthScheme::HttpDigest => "HTTP digest".to_owned(),
            ir::AuthScheme::HttpBearer => "HTTP bearer".to_owned(),
            ir::AuthScheme::HttpApiKey => "an HTTP API key".to_owned(),
            ir::AuthScheme::Other(id) => format!("`{id}`"),
        })
        .collect();
    names.join(", then ")
}

/// The constant every operation's `AUTH` starts from: the service's schemes, signing names
/// and S3's rules.
fn service_auth(krate: &ir::Crate) -> Option<TokenStream> {
    if !has_auth(krate) {
        return None;
    }
    let auth = &krate.service.auth;
    let name = ident(naming::SERVICE_AUTH);
    let list = schemes(&auth.schemes);
    let mut value = quote!(rt::auth::OperationAuth::new(#list));
    if let Some(n) = &auth.sigv4_name {
        value = quote!(#value.signing_name(#n));
    }
    if let Some(n) = &auth.sigv4a_name {
        value = quote!(#value.sigv4a_signing_name(#n));
    }
    if auth.s3_signing {
        value = quote!(#value.s3_rules());
    }
    let mut doc = format!(
        "How the operations are authenticated unless their documentation says otherwise: {}.",
        if auth.schemes.is_empty() { "not at all".to_owned() } else { schemes_doc(krate, &auth.schemes) }
    );
    if auth.s3_signing {
        doc.push_str(" S3's signing rules apply: no double encoding or normalization of the path, `x-amz-content-sha256` on every request.");
    }
    let doc = doc_attrs(Some(&doc));
    Some(quote! {
        #doc
        const #name: rt::auth::OperationAuth = #value;
    })
}

/// The operation's `AUTH` constant, and what its documentation says where it differs from the
/// service's.
fn operation_auth(krate: &ir::Crate, op: &ir::Operation) -> (Option<TokenStream>, Option<String>) {
    if !has_auth(krate) {
        return (None, None);
    }
    let a = &op.auth;
    let mut value = ident(naming::SERVICE_AUTH).into_token_stream();
    let mut doc = Vec::new();
    if a.schemes != krate.service.auth.schemes {
        let list = schemes(&a.schemes);
        value = quote!(#value.schemes(#list));
        if a.schemes.is_empty() {
            doc.push("It is never authenticated: the model gives it no auth scheme (`@auth([])`).".to_owned());
        } else {
            doc.push(format!("It is authenticated by {} (its own `@auth`).", schemes_doc(krate, &a.schemes)));
        }
    }
    if a.optional {
        value = quote!(#value.optional());
        if !a.schemes.is_empty() {
            doc.push("It may be sent unsigned (`@optionalAuth`).".to_owned());
        }
    }
    if a.unsigned_payload {
        value = quote!(#value.unsigned_payload());
        doc.push("Its signature does not cover the payload (`@unsignedPayload`).".to_owned());
    }
    let doc = (!doc.is_empty()).then(|| doc.join(" "));
    (Some(quote!(const AUTH: rt::auth::OperationAuth = #value;)), doc)
}

pub fn operation(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
    let name = ident(&op.name);
    let error = ident(&op.error_enum);
    let wire = &op.wire_name;
    let io = |ty: &Option<ir::TypeRef>| match ty {
        Some(t) => {
            let t = ident(&t.rust_name);
            quote!(types::#t)
        }
        None => quote!(()),
    };
    let (input, output) = (io(&op.input), io(&op.output));
    let mut doc = format!("The `{}` operation", op.wire_name);
    if let Some(summary) = &op.summary {
        doc.push_str(&format!(": {summary}"));
    } else {
        doc.push('.');
    }
    let (auth, auth_doc) = operation_auth(krate, op);
    if let Some(auth_doc) = auth_doc {
        doc.push_str(&format!("\n\n{auth_doc}"));
    }
    doc.push_str(&format!(
        "\n\n[`encode_request`](rt::operation::EncodeRequest::encode_request) builds the HTTP request for an input; \
         [`decode_response`](rt::operation::Operation::decode_response) gives the output of a response, or a [`{0}`](error::{0}).",
        op.error_enum
    ));
    let doc = doc_attrs(Some(&doc));
    let body = decode_output(krate, op);
    // Operations without output (or with an event stream) do not read the response.
    let reads = op.output.is_some() && !op.event_stream_output;
    let response = if reads { quote!(response) } else { quote!(_response) };
    let encode = encode_request(krate, op);
    let validate = validate_response_checksum(krate, op);
    let endpoint_params = krate.endpoints.is_some().then(|| endpoint::endpoint_params(op));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #name;
        #encode
        #validate
        #endpoint_params
        impl rt::operation::Operation for #name {
            type Input = #input;
            type Output = #output;
            type Error = error::#error;
            const NAME: &'static str = #wire;
            #auth
            fn decode_output(#response: &rt::http::HttpResponse<'_>) -> ::std::result::Result<Self::Output, rt::DecodeError> {
                #body
            }
        }
    }
}

/// `EncodeRequest`, for the protocols whose requests are serialized.
fn encode_request(krate: &ir::Crate, op: &ir::Operation) -> Option<TokenStream> {
    let name = ident(&op.name);
    // An `@input` structure's members are all `Option`s: the required ones must be set.
    let checks: Vec<TokenStream> = op
        .input
        .as_ref()
        .and_then(|input| krate.structure(&input.rust_name))
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| f.required && f.optional)
                .map(|f| {
                    let fname = ident(&f.rust_name);
                    let member = &f.member_name;
                    quote!(rt::operation::require(&input.#fname, #member)?;)
                })
                .collect()
        })
        .unwrap_or_default();
    if op.event_stream_input {
        return Some(quote! {
            impl rt::operation::EncodeRequest for #name {
                /// Event streams are not serialized yet: always an error.
                fn encode_request(_input: &Self::Input) -> ::std::result::Result<rt::http::HttpRequest, rt::operation::EncodeError> {
                    ::std::result::Result::Err(rt::operation::event_stream_request_unsupported())
                }
            }
        });
    }
    let input_struct = op.input.as_ref().and_then(|input| krate.structure(&input.rust_name));
    // The request by the protocol, before the steps every protocol shares.
    let request = match krate.service.protocol {
        Protocol::RpcV2Cbor => cbor::request(krate, op),
        protocol if protocol.is_rest() => rest::request(krate, op, input_struct),
        Protocol::AwsQuery | Protocol::Ec2Query => query::request(krate, op),
        _ => json::request(krate, op),
    };
    // Steps on the built request, in order; each may need the input.
    let mut steps: Vec<TokenStream> = Vec::new();
    // `@requestCompression`: gzip the body (from 10 KiB on).
    if op.gzip_request {
        steps.push(quote!(rt::operation::gzip(&mut request);));
    }
    // The AWS SDKs' customizations (`customize`): extra headers, checksums, an endpoint.
    let custom = &op.customizations;
    steps.extend(
        custom.headers.iter().map(|(name, value)| quote!(request.headers.push((#name.to_owned(), #value.to_owned()));)),
    );
    if custom.glacier_checksums {
        steps.push(quote!(rt::customize::glacier_checksums(&mut request);));
    }
    let endpoint_field = custom
        .endpoint_member
        .as_ref()
        .and_then(|member| input_struct?.fields.iter().find(|f| f.member_name == *member));
    if let Some(f) = endpoint_field {
        let fname = ident(&f.rust_name);
        steps.push(if f.optional {
            quote!(request.endpoint = input.#fname.clone();)
        } else {
            quote!(request.endpoint = ::std::option::Option::Some(input.#fname.clone());)
        });
    }
    // `httpChecksum`: the body's checksum by the chosen algorithm, or CRC32 where one is
    // required (after compression, which changes the body).
    if let Some(c) = op.checksum.as_ref().filter(|c| c.on_requests()) {
        steps.push(request_checksum(c, input_struct));
    }
    // `@httpChecksumRequired`: the body's MD5 (after compression, which changes the body).
    if op.content_md5 {
        steps.push(quote!(rt::operation::content_md5(&mut request);));
    }
    // `@endpoint`'s host prefix, its `@hostLabel`s checked and filled in.
    if let Some(parts) = &op.host_prefix {
        let pieces = parts.iter().map(|part| match part {
            ir::UriPart::Literal(text) => quote!(#text),
            ir::UriPart::Label { member, .. } => {
                let value = match input_struct.and_then(|s| s.fields.iter().find(|f| f.member_name == *member)) {
                    Some(f) if f.optional => {
                        let fname = ident(&f.rust_name);
                        quote!(input.#fname.as_deref())
                    }
                    Some(f) => {
                        let fname = ident(&f.rust_name);
                        quote!(::std::option::Option::Some(input.#fname.as_str()))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(rt::operation::host_label(#value, #member)?)
            }
        });
        steps.push(quote!(request.host_prefix = [ #( #pieces ),* ].concat();));
    }
    let request = if steps.is_empty() {
        request
    } else {
        quote! {
            let mut request = { #request }?;
            #( #steps )*
            ::std::result::Result::Ok(request)
        }
    };
    // `@idempotencyToken` members left unset get a fresh token, in a copy of the input.
    let tokens: Vec<&ir::Field> = input_struct
        .map(|s| s.fields.iter().filter(|f| f.idempotency_token && f.optional).collect())
        .unwrap_or_default();
    let fill = (!tokens.is_empty()).then(|| {
        let unset = tokens.iter().map(|f| {
            let fname = ident(&f.rust_name);
            quote!(input.#fname.is_none())
        });
        let fills = tokens.iter().map(|f| {
            let fname = ident(&f.rust_name);
            quote!(#fname: ::std::option::Option::Some(input.#fname.clone().unwrap_or_else(rt::operation::idempotency_token)),)
        });
        let rest = (tokens.len() < input_struct.map_or(0, |s| s.fields.len())).then(|| quote!(..input.clone()));
        quote! {
            let filled;
            let input = if #( #unset )||* {
                filled = Self::Input { #( #fills )* #rest };
                &filled
            } else {
                input
            };
        }
    });
    Some(quote! {
        impl rt::operation::EncodeRequest for #name {
            fn encode_request(input: &Self::Input) -> ::std::result::Result<rt::http::HttpRequest, rt::operation::EncodeError> {
                #fill
                #( #checks )*
                #request
            }
        }
    })
}

/// The `x-amz-checksum-<algorithm>` headers input members are bound to, for any algorithm the
/// trait or the algorithm member's enum names, or the runtime computes.
fn given_checksum_headers<'s>(c: &ir::HttpChecksum, input: Option<&'s ir::Struct>) -> Vec<&'s str> {
    let names: Vec<String> = c
        .request_algorithms
        .iter()
        .chain(&c.response_algorithms)
        .map(|a| a.to_ascii_lowercase())
        .chain(ChecksumAlgorithm::PRIORITY.iter().map(|a| a.name().to_ascii_lowercase()))
        .collect();
    input
        .map(|s| {
            s.fields
                .iter()
                .filter_map(|f| match &f.binding {
                    ir::Binding::Header(h) => Some(h.as_str()),
                    _ => None,
                })
                .filter(|h| {
                    let h = h.to_ascii_lowercase();
                    h.strip_prefix("x-amz-checksum-").is_some_and(|a| names.iter().any(|n| n == a))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The value of the input's string or enum member `member` as an `Option<&str>`.
fn member_str<'s>(input: Option<&'s ir::Struct>, member: &str) -> (TokenStream, Option<&'s ir::Field>) {
    let Some(f) = input.and_then(|s| s.fields.iter().find(|f| f.member_name == member)) else {
        return (quote!(::std::option::Option::None), None);
    };
    let fname = ident(&f.rust_name);
    let value = match (f.optional, f.ty.base()) {
        (true, ir::RustType::String) => quote!(input.#fname.as_deref()),
        (true, _) => quote!(input.#fname.as_ref().map(|value| value.as_str())),
        (false, _) => quote!(::std::option::Option::Some(input.#fname.as_str())),
    };
    (value, Some(f))
}

/// The `encode_request` step adding an `httpChecksum` request checksum.
fn request_checksum(c: &ir::HttpChecksum, input: Option<&ir::Struct>) -> TokenStream {
    let member = c.request_algorithm_member.as_deref().unwrap_or_default();
    let (chosen, field) = if c.request_algorithm_member.is_some() {
        member_str(input, member)
    } else {
        (quote!(::std::option::Option::None), None)
    };
    let header = match field.map(|f| &f.binding) {
        Some(ir::Binding::Header(h)) => quote!(::std::option::Option::Some(#h)),
        _ => quote!(::std::option::Option::None),
    };
    let given = given_checksum_headers(c, input);
    let required = c.request_required;
    quote! {
        rt::checksum::request_checksum(&mut request, #chosen, &rt::checksum::RequestChecksum {
            required: #required,
            algorithm_member: #member,
            algorithm_header: #header,
            given_headers: &[ #( #given ),* ],
        })?;
    }
}

/// `validate_response_checksum`, for operations with an `httpChecksum` validation mode.
fn validate_response_checksum(krate: &ir::Crate, op: &ir::Operation) -> Option<TokenStream> {
    let c = op.checksum.as_ref()?;
    let member = c.validation_mode_member.as_deref()?;
    let input_ref = op.input.as_ref()?;
    let input_struct = krate.structure(&input_ref.rust_name);
    let (mode, _) = member_str(input_struct, member);
    let name = ident(&op.name);
    let input_ty = ident(&input_ref.rust_name);
    let algorithms = &c.response_algorithms;
    let const_doc = format!(
        "The checksums a `{}` response may carry, by algorithm (the trait's `responseAlgorithms`); \
         [`validate_response_checksum`](Self::validate_response_checksum) validates the first of \
         them, in [`PRIORITY`](rt::checksum::ChecksumAlgorithm::PRIORITY) order, that the \
         response has and this crate computes.",
        op.wire_name
    );
    let fn_doc = format!(
        "Validates the checksum of a response to `input` when its `{member}` member is `ENABLED`: \
         `Ok` says whether a checksum was validated, and by which algorithm; a body whose \
         checksum is not its header's is the error naming both. \
         [`decode_response`](rt::operation::Operation::decode_response) does not validate: call \
         this on the same response."
    );
    Some(quote! {
        impl #name {
            #[doc = #const_doc]
            pub const RESPONSE_CHECKSUM_ALGORITHMS: &'static [&'static str] = &[ #( #algorithms ),* ];
            #[doc = #fn_doc]
            pub fn validate_response_checksum(
                input: &types::#input_ty,
                response: &rt::http::HttpResponse<'_>,
            ) -> ::std::result::Result<rt::checksum::ChecksumValidation, rt::checksum::ChecksumMismatch> {
                let enabled = #mode == ::std::option::Option::Some("ENABLED");
                rt::checksum::validate_response(enabled, Self::RESPONSE_CHECKSUM_ALGORITHMS, response)
            }
        }
    })
}

/// The body of `decode_output`.
fn decode_output(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
    if op.event_stream_output {
        return quote!(::std::result::Result::Err(rt::operation::event_stream_unsupported()));
    }
    let Some(output) = &op.output else { return quote!(::std::result::Result::Ok(())) };
    let protocol = krate.service.protocol;
    // The output's body members, read by the protocol's format.
    let body = match protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1 => json::output_body(),
        Protocol::RpcV2Cbor => cbor::output_body(),
        Protocol::RestXml | Protocol::RestXmlUnwrapped => xml::output_body(),
        Protocol::AwsQuery | Protocol::Ec2Query => query::output_body(protocol, op),
    };
    let Some(s) = krate.structure(&output.rust_name) else { return body };
    if op.unwrapped_xml_output && protocol.is_xml() {
        if let Some(unwrapped) = xml::unwrapped_output(s) {
            return unwrapped;
        }
    }
    if !protocol.is_rest() {
        return body;
    }
    rest::decode_output(protocol, s, body)
}
