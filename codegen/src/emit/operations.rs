//! `src/operations.rs`: one type per operation implementing `rt::operation::Operation`, whose
//! `decode_output` reads a success response by the service's protocol, and
//! `rt::operation::EncodeRequest`. The skeleton and the steps every protocol shares are here;
//! what each wire format writes and reads is in its own module ([`super::json`],
//! [`super::xml`], [`super::query`], [`super::cbor`], [`super::rest`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::{cbor, doc_attrs, json, query, rest, xml};
use crate::ir::{self, Protocol};
use crate::naming::ident;

/// The head of `src/operations.rs`; [`operation`] gives its items.
pub fn operations_rs_head(krate: &ir::Crate) -> TokenStream {
    let types = krate
        .operations
        .iter()
        .any(|op| op.input.is_some() || op.output.is_some())
        .then(|| quote!(use crate::types;));
    quote! {
        //! One type per operation: its input, output and error types, and
        //! [`decode_response`](rt::operation::Operation::decode_response), which turns a whole HTTP
        //! response into the output or the error.
        use ::smithy_runtime as rt;
        use crate::error;
        #types
    }
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
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #name;
        #encode
        impl rt::operation::Operation for #name {
            type Input = #input;
            type Output = #output;
            type Error = error::#error;
            const NAME: &'static str = #wire;
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
