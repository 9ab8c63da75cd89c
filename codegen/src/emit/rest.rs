//! The HTTP bindings of the rest protocols (restJson1, restXml), both directions: the request's
//! method, path labels, query, headers and payload, with the body written by
//! [`super::json`] or [`super::xml`]; and the members of a response (and of an error
//! structure) bound to headers, the status code or the payload.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::or_default;
use super::{timestamp_format, xml};
use crate::ir::{self, Binding, Protocol, RustType};
use crate::naming::ident;

/// The statements building a rest request from `input`, by the operation's `@http` trait and
/// the input members' bindings.
pub(super) fn request(krate: &ir::Crate, op: &ir::Operation, input: Option<&ir::Struct>) -> TokenStream {
    let xml_body = krate.service.protocol.is_xml();
    let (method, path, query) = match &op.http {
        Some(http) => (http.method.as_str(), http.path.as_slice(), http.query.as_slice()),
        None => ("POST", &[][..], &[][..]),
    };
    let fields: &[ir::Field] = input.map_or(&[], |s| s.fields.as_slice());
    let field = |member: &str| fields.iter().find(|f| f.member_name == member);
    let mut statements = Vec::new();
    // S3's bucket label opening the path is the endpoint's to address (in the host or the
    // endpoint's path): left out of the request's path, only checked.
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
                        let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::DateTime));
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
        let timestamp = |default: ir::TimestampFormat| timestamp_format(f.timestamp_format.unwrap_or(default));
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
            // Headers name their member: the runtime refuses a value or name that would
            // inject another header, as an error naming it.
            Binding::Header(name) => {
                let member = &f.member_name;
                if f.ty.is_timestamp() {
                    let format = timestamp(ir::TimestampFormat::HttpDate);
                    quote!(request.header(#member, #name, rt::rest::timestamp_text(v, #format))?;)
                } else if list_of_timestamps(&f.ty) {
                    let format = timestamp(ir::TimestampFormat::HttpDate);
                    quote!(request.header_timestamps(#member, #name, v, #format)?;)
                } else if is_list {
                    quote!(request.header_list(#member, #name, v.iter().map(rt::rest::ToText::to_text))?;)
                } else if f.media_type.is_some() && *f.ty.base() == RustType::String {
                    quote!(request.header(#member, #name, rt::Blob::from(v.as_str()).to_base64())?;)
                } else {
                    quote!(request.header(#member, #name, rt::rest::ToText::to_text(v).into_owned())?;)
                }
            }
            Binding::PrefixHeaders(prefix) => {
                let member = &f.member_name;
                quote!(request.prefix_headers(#member, #prefix, v)?;)
            }
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
                    _ if xml_body => {
                        // The payload member's own `@xmlName` names the root, if it has one.
                        let named = (f.xml_name != f.member_name).then_some(f.xml_name.as_str());
                        let (name, ns) = xml::root(krate, &f.ty, named);
                        quote!(request.body("application/xml", rt::to_xml::to_vec(v, #name, #ns));)
                    }
                    _ => quote!(request.body("application/json", rt::to_json::to_vec(v));),
                }
            }
        };
        // An unset structure (or document) payload is sent as an empty JSON object; an unset
        // blob, string or union payload as no body at all.
        let empty_object = !xml_body
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
        statements.push(match op.input.as_ref().filter(|_| xml_body) {
            Some(input_ref) => {
                let (name, ns) = xml::root(krate, &RustType::Named(input_ref.clone()), None);
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
            rt::rest::RequestBuilder::new(#method).build()
        };
    }
    // An input with no member in the request (or no input) is not read.
    let reads_input = fields.iter().any(|f| f.binding != Binding::ResponseCode);
    let unused = (!reads_input).then(|| quote!(let _ = input;));
    quote! {
        #unused
        let mut request = rt::rest::RequestBuilder::new(#method);
        #( #statements )*
        request.build()
    }
}

/// The body of `decode_output` for a rest protocol's output `s`, given `body`, the expression
/// reading the output's body members: the body, then each member bound elsewhere.
pub(super) fn decode_output(protocol: Protocol, s: &ir::Struct, body: TokenStream) -> TokenStream {
    if s.fields.iter().all(|f| f.binding == Binding::Body) {
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
                    let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate));
                    quote!(rt::http::header_timestamp(response.headers, #header, #format)?)
                } else if list_of_timestamps(&f.ty) {
                    let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate));
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
            (false, _) => or_default(f, value),
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

/// `read_headers` of an error structure: its header-bound members, each left unset when its
/// header does not decode; `None` without such members.
pub(super) fn error_read_headers(s: &ir::Struct) -> Option<TokenStream> {
    let headers: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let Binding::Header(header) = &f.binding else { return None };
            let fname = ident(&f.rust_name);
            let read = if f.ty.is_timestamp() {
                let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate));
                quote!(rt::http::header_timestamp(headers, #header, #format))
            } else {
                quote!(rt::http::get_header(headers, #header))
            };
            let mut value = quote!(value);
            if f.boxed {
                value = quote!(::std::boxed::Box::new(#value));
            }
            if f.optional {
                value = quote!(::std::option::Option::Some(#value));
            }
            Some(quote! {
                if let ::std::result::Result::Ok(::std::option::Option::Some(value)) = #read {
                    self.#fname = #value;
                }
            })
        })
        .collect();
    (!headers.is_empty()).then(|| {
        quote! {
            fn read_headers(&mut self, headers: &[(&str, &str)]) {
                #( #headers )*
            }
        }
    })
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
