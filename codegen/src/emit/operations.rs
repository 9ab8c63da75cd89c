//! `src/operations.rs`: one type per operation implementing `rt::operation::Operation`, whose
//! `decode_output` reads a success response by the service's protocol.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::ir::{self, Binding, Protocol, RustType};
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
    let version = match krate.service.protocol {
        Protocol::AwsJson1_0 => "1.0",
        Protocol::AwsJson1_1 => "1.1",
        Protocol::RestJson1
        | Protocol::RestXml
        | Protocol::RestXmlUnwrapped
        | Protocol::AwsQuery
        | Protocol::Ec2Query
        | Protocol::RpcV2Cbor => "",
    };
    let name = ident(&op.name);
    let target = format!("{}.{}", krate.service.name, op.wire_name);
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
    // `@awsQueryCompatible` services tell the server that the client understands query errors.
    let request = if krate.service.protocol == Protocol::RpcV2Cbor {
        let service = &krate.service.name;
        let wire = &op.wire_name;
        let body = if op.input.is_some() {
            quote!(::std::option::Option::Some(rt::to_cbor::to_vec(input)))
        } else {
            quote!({ let _ = input; ::std::option::Option::None })
        };
        let mode = krate.service.query_compatible.then(|| {
            quote!(request.headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));)
        });
        let binding = if mode.is_some() { quote!(let mut request) } else { quote!(let request) };
        quote! {
            #binding = rt::operation::cbor_request(#service, #wire, #body);
            #mode
            ::std::result::Result::Ok(request)
        }
    } else if krate.service.protocol.is_rest() {
        rest_request(krate, op, input_struct)
    } else if matches!(krate.service.protocol, Protocol::AwsQuery | Protocol::Ec2Query) {
        let flavor = if krate.service.protocol == Protocol::Ec2Query { quote!(Ec2Query) } else { quote!(AwsQuery) };
        let service_version = krate.service.version.clone().unwrap_or_default();
        let wire = &op.wire_name;
        quote! {
            let mut out = rt::query::QueryWriter::new(rt::query::Flavor::#flavor);
            rt::query::ToQuery::write_query(input, &mut out, "");
            ::std::result::Result::Ok(out.into_request(#wire, #service_version))
        }
    } else if krate.service.query_compatible {
        quote! {
            let mut request = rt::operation::aws_json_request(input, #version, #target);
            request.headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
            ::std::result::Result::Ok(request)
        }
    } else {
        quote!(::std::result::Result::Ok(rt::operation::aws_json_request(input, #version, #target)))
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

/// The statements building a rest request from `input`, by the operation's `@http` trait and
/// the input members' bindings.
fn rest_request(krate: &ir::Crate, op: &ir::Operation, input: Option<&ir::Struct>) -> TokenStream {
    let xml = krate.service.protocol.is_xml();
    // An XML document's root: the member's `@xmlName` (payloads), else the shape's name or
    // `@xmlName`; its namespace the shape's, else the service's.
    let root = |ty: &RustType, member_xml_name: Option<&str>| {
        let def = match ty.base() {
            RustType::Named(r) => krate.type_def(&r.rust_name),
            _ => None,
        };
        let name = member_xml_name.map(str::to_owned).or_else(|| def.map(|d| d.xml_name.clone())).unwrap_or_default();
        let ns = def.and_then(|d| d.xml_namespace.as_ref()).or(krate.service.xml_namespace.as_ref());
        (name, super::types::xml_namespace(ns))
    };
    let (method, path, query) = match &op.http {
        Some(http) => (http.method.as_str(), http.path.as_slice(), http.query.as_slice()),
        None => ("POST", &[][..], &[][..]),
    };
    let fields: &[ir::Field] = input.map_or(&[], |s| s.fields.as_slice());
    let field = |member: &str| fields.iter().find(|f| f.member_name == member);
    let mut statements = Vec::new();
    // S3's virtual-hosted addressing: the bucket label opening the path goes into the host.
    let bucket = op.customizations.s3_bucket.as_ref().and_then(|member| field(member));
    let path: &[ir::UriPart] = match (bucket, path) {
        (Some(_), [ir::UriPart::Literal(slash), ir::UriPart::Label { .. }, rest @ ..]) if slash == "/" => rest,
        _ => path,
    };
    for part in path {
        statements.push(match part {
            ir::UriPart::Literal(text) => quote!(request.path(#text);),
            ir::UriPart::Label { member, greedy } => {
                let value = match field(member) {
                    Some(f) => {
                        let fname = ident(&f.rust_name);
                        let format = format(f.timestamp_format.unwrap_or(ir::TimestampFormat::DateTime));
                        match (f.optional, f.ty.is_timestamp()) {
                            (true, true) => quote!(input.#fname.as_ref().map(|v| ::std::borrow::Cow::Owned(rt::rest::timestamp_text(v, #format)))),
                            (true, false) => match op.customizations.label_defaults.iter().find(|(m, _)| m == member) {
                                // A customization fills an unset or empty label.
                                Some((_, default)) => quote! {
                                    ::std::option::Option::Some(::std::borrow::Cow::Borrowed(
                                        input.#fname.as_deref().filter(|v| !v.is_empty()).unwrap_or(#default),
                                    ))
                                },
                                None => quote!(input.#fname.as_ref().map(rt::rest::ToText::to_text)),
                            },
                            (false, true) => quote!(::std::option::Option::Some(::std::borrow::Cow::Owned(rt::rest::timestamp_text(&input.#fname, #format)))),
                            (false, false) => match op.customizations.label_defaults.iter().find(|(m, _)| m == member) {
                                Some((_, default)) => quote! {
                                    ::std::option::Option::Some(::std::borrow::Cow::Borrowed(
                                        ::std::option::Option::Some(input.#fname.as_str()).filter(|v| !v.is_empty()).unwrap_or(#default),
                                    ))
                                },
                                None => quote!(::std::option::Option::Some(rt::rest::ToText::to_text(&input.#fname))),
                            },
                        }
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(request.label(#member, #value, #greedy)?;)
            }
        });
    }
    for (key, value) in query {
        let value = match value {
            Some(v) => quote!(::std::option::Option::Some(#v)),
            None => quote!(::std::option::Option::None),
        };
        statements.push(quote!(request.query_literal(#key, #value);));
    }
    // Named query parameters and headers first: they take precedence over
    // `@httpQueryParams` and `@httpPrefixHeaders`.
    let order = |f: &&ir::Field| match f.binding {
        Binding::QueryParams | Binding::PrefixHeaders(_) => 1,
        _ => 0,
    };
    let mut bound: Vec<&ir::Field> = fields.iter().filter(|f| !matches!(f.binding, Binding::Body | Binding::Label)).collect();
    bound.sort_by_key(order);
    for f in bound {
        let fname = ident(&f.rust_name);
        let timestamp = |default: ir::TimestampFormat| format(f.timestamp_format.unwrap_or(default));
        let each_text = |default: ir::TimestampFormat| {
            if list_of_timestamps(&f.ty) {
                let format = timestamp(default);
                quote!(v.iter().map(|t| ::std::borrow::Cow::Owned(rt::rest::timestamp_text(t, #format))))
            } else {
                quote!(v.iter().map(rt::rest::ToText::to_text))
            }
        };
        let is_list = matches!(f.ty.base(), RustType::List { .. });
        let statement = match &f.binding {
            Binding::Body | Binding::Label | Binding::ResponseCode => continue,
            Binding::Query(name) => {
                if f.ty.is_timestamp() {
                    let format = timestamp(ir::TimestampFormat::DateTime);
                    quote!(request.query(#name, &rt::rest::timestamp_text(v, #format));)
                } else if is_list {
                    let items = each_text(ir::TimestampFormat::DateTime);
                    quote!(request.query_all(#name, #items);)
                } else {
                    quote!(request.query(#name, &rt::rest::ToText::to_text(v));)
                }
            }
            Binding::QueryParams => match f.ty.base() {
                RustType::Map { value, .. } if matches!(value.base(), RustType::List { .. }) => quote! {
                    request.query_params(v.iter().flat_map(|(k, xs)| xs.iter().map(move |x| (k.as_str(), rt::rest::ToText::to_text(x)))));
                },
                _ => quote!(request.query_params(v.iter().map(|(k, x)| (k.as_str(), rt::rest::ToText::to_text(x))));),
            },
            Binding::Header(name) => {
                if f.ty.is_timestamp() {
                    let format = timestamp(ir::TimestampFormat::HttpDate);
                    quote!(request.header(#name, rt::rest::timestamp_text(v, #format));)
                } else if list_of_timestamps(&f.ty) {
                    let format = timestamp(ir::TimestampFormat::HttpDate);
                    quote!(request.header_timestamps(#name, v, #format);)
                } else if is_list {
                    quote!(request.header_list(#name, v.iter().map(rt::rest::ToText::to_text));)
                } else if f.media_type.is_some() && *f.ty.base() == RustType::String {
                    quote!(request.header(#name, rt::Blob::from(v.as_str()).to_base64());)
                } else {
                    quote!(request.header(#name, rt::rest::ToText::to_text(v).into_owned());)
                }
            }
            Binding::PrefixHeaders(prefix) => quote!(request.prefix_headers(#prefix, v);),
            Binding::Payload => {
                let media = f.media_type.as_deref();
                match f.ty.base() {
                    RustType::Blob => {
                        let media = media.unwrap_or("application/octet-stream");
                        quote!(request.body(#media, v.as_bytes().to_vec());)
                    }
                    RustType::String | RustType::Named(ir::TypeRef { kind: ir::NamedKind::Enum, .. }) => {
                        let media = media.unwrap_or("text/plain");
                        quote!(request.body(#media, rt::rest::ToText::to_text(v).into_owned().into_bytes());)
                    }
                    _ if xml => {
                        // The payload member's own `@xmlName` names the root, if it has one.
                        let named = (f.xml_name != f.member_name).then_some(f.xml_name.as_str());
                        let (name, ns) = root(&f.ty, named);
                        quote!(request.body("application/xml", rt::to_xml::to_vec(v, #name, #ns));)
                    }
                    _ => quote!(request.body("application/json", rt::to_json::to_vec(v));),
                }
            }
        };
        // An unset structure (or document) payload is sent as an empty JSON object; an unset
        // blob, string or union payload as no body at all.
        let empty_object = !xml
            && f.binding == Binding::Payload
            && matches!(f.ty.base(), RustType::Document | RustType::Named(ir::TypeRef { kind: ir::NamedKind::Struct, .. }));
        statements.push(match (f.optional, empty_object) {
            (true, true) => quote! {
                match &input.#fname {
                    ::std::option::Option::Some(v) => { #statement }
                    ::std::option::Option::None => request.body("application/json", b"{}".to_vec()),
                }
            },
            (true, false) => quote!(if let ::std::option::Option::Some(v) = &input.#fname { #statement }),
            (false, _) => quote!({ let v = &input.#fname; #statement }),
        });
    }
    if fields.iter().any(|f| f.binding == Binding::Body) {
        statements.push(match op.input.as_ref().filter(|_| xml) {
            Some(input_ref) => {
                let (name, ns) = root(&RustType::Named(input_ref.clone()), None);
                quote!(request.body("application/xml", rt::to_xml::to_vec(input, #name, #ns));)
            }
            None => quote!(request.body("application/json", rt::to_json::to_vec(input));),
        });
    }
    if let Some(f) = bucket {
        let fname = ident(&f.rust_name);
        let member = &f.member_name;
        let value = if f.optional { quote!(input.#fname.as_deref()) } else { quote!(::std::option::Option::Some(input.#fname.as_str())) };
        statements.push(quote!(request.s3_bucket(#member, #value)?;));
    }
    if statements.is_empty() {
        return quote! {
            let _ = input;
            ::std::result::Result::Ok(rt::rest::RequestBuilder::new(#method).build())
        };
    }
    // An input with no member in the request (or no input) is not read.
    let reads_input = fields.iter().any(|f| f.binding != Binding::ResponseCode);
    let unused = (!reads_input).then(|| quote!(let _ = input;));
    quote! {
        #unused
        let mut request = rt::rest::RequestBuilder::new(#method);
        #( #statements )*
        ::std::result::Result::Ok(request.build())
    }
}

/// The body of `decode_output`.
fn decode_output(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
    if op.event_stream_output {
        return quote!(::std::result::Result::Err(rt::operation::event_stream_unsupported()));
    }
    let Some(output) = &op.output else { return quote!(::std::result::Result::Ok(())) };
    let protocol = krate.service.protocol;
    let wire = &op.wire_name;
    let body = match protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1 => quote!(rt::operation::json_body(response)),
        Protocol::RpcV2Cbor => quote!(rt::operation::cbor_body(response)),
        Protocol::RestXml | Protocol::RestXmlUnwrapped => quote!(rt::operation::xml_body(response)),
        Protocol::AwsQuery => quote!(rt::operation::query_body(response, #wire)),
        Protocol::Ec2Query => quote!(rt::operation::ec2_body(response)),
    };
    let Some(s) = krate.structure(&output.rust_name) else { return body };
    if op.unwrapped_xml_output && protocol.is_xml() {
        if let Some(f) = s.fields.iter().find(|f| f.binding == Binding::Body) {
            let fname = ident(&f.rust_name);
            let value = if f.optional { quote!(value) } else { quote!(value.unwrap_or_default()) };
            let rest = (s.fields.len() > 1).then(|| quote!(..::std::default::Default::default()));
            return quote! {
                let value = rt::operation::xml_payload(response)?;
                ::std::result::Result::Ok(Self::Output { #fname: #value, #rest })
            };
        }
    }
    if !protocol.is_rest() || s.fields.iter().all(|f| f.binding == Binding::Body) {
        return body;
    }
    let payload = s.fields.iter().any(|f| f.binding == Binding::Payload);
    // With a payload member the body is that member alone; when every member is bound
    // elsewhere, the body holds nothing either.
    let read_body = !payload && s.fields.iter().any(|f| f.binding == Binding::Body);
    let fields = s.fields.iter().filter_map(|f| {
        let fname = ident(&f.rust_name);
        // `Some(value)` when the response holds the member, or the value itself when it
        // always does.
        let (got, always) = match &f.binding {
            Binding::Body | Binding::Label | Binding::Query(_) | Binding::QueryParams => return None,
            Binding::Header(header) => {
                let got = if f.ty.is_timestamp() {
                    let format = format(f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate));
                    quote!(rt::http::header_timestamp(response.headers, #header, #format)?)
                } else if list_of_timestamps(&f.ty) {
                    let format = format(f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate));
                    quote!(rt::http::header_timestamps(response.headers, #header, #format)?)
                } else if f.media_type.is_some() && *f.ty.base() == RustType::String {
                    quote!(rt::http::header_media_type(response.headers, #header)?)
                } else {
                    quote!(rt::http::get_header(response.headers, #header)?)
                };
                (got, false)
            }
            Binding::PrefixHeaders(prefix) => (quote!(rt::http::prefix_headers(response.headers, #prefix)?), true),
            Binding::ResponseCode => (quote!(i32::from(response.status)), true),
            Binding::Payload => (payload_decoder(protocol, &f.ty), false),
        };
        let value = match (always, f.boxed) {
            (true, true) => quote!(::std::boxed::Box::new(#got)),
            (true, false) => got,
            (false, true) => quote!(#got.map(::std::boxed::Box::new)),
            (false, false) => got,
        };
        let value = match (always, f.optional) {
            (true, true) => quote!(::std::option::Option::Some(#value)),
            (true, false) => value,
            // A member that is not optional keeps what the body gave when the response leaves
            // it out.
            (false, false) if read_body => quote!(#value.unwrap_or(body.#fname)),
            (false, _) => super::types::or_default(f, value),
        };
        Some(quote!(#fname: #value,))
    });
    if read_body {
        quote! {
            let body: Self::Output = #body?;
            ::std::result::Result::Ok(Self::Output { #( #fields )* ..body })
        }
    } else if s.fields.iter().any(|f| f.binding == Binding::Body) {
        // Body members beside a payload (which Smithy forbids) stay at their defaults.
        quote! {
            ::std::result::Result::Ok(Self::Output { #( #fields )* ..::std::default::Default::default() })
        }
    } else {
        quote! {
            ::std::result::Result::Ok(Self::Output { #( #fields )* })
        }
    }
}

fn format(format: ir::TimestampFormat) -> TokenStream {
    let variant = format_ident!("{}", format.runtime_variant());
    quote!(rt::TimestampFormat::#variant)
}

fn list_of_timestamps(ty: &RustType) -> bool {
    matches!(ty.base(), RustType::List { item, .. } if item.is_timestamp())
}

/// How an `@httpPayload` member is read from the body.
fn payload_decoder(protocol: Protocol, ty: &RustType) -> TokenStream {
    match ty.base() {
        RustType::Blob => quote!(rt::operation::blob_payload(response)),
        RustType::String | RustType::Named(ir::TypeRef { kind: ir::NamedKind::Enum, .. }) => {
            quote!(rt::operation::string_payload(response)?)
        }
        _ if protocol.is_xml() => quote!(rt::operation::xml_payload(response)?),
        _ => quote!(rt::operation::json_payload(response)?),
    }
}
