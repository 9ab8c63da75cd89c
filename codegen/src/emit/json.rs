//! JSON (awsJson1_0, awsJson1_1, restJson1 bodies): `ToJson` and `FromJson` for structures
//! and unions, and the awsJson request of an operation. rpcv2Cbor responses decode through
//! `FromJson` too: the runtime reads a CBOR body into the same tree.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::timestamp_format;
use super::types::{box_timestamp, is_body, is_message, or_default, read_member, unbound};
use crate::ir::{self, Protocol};
use crate::naming::ident;

/// The statements building an awsJson request from `input`.
pub(super) fn request(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
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
    let target = format!("{}.{}", krate.service.name, op.wire_name);
    // `@awsQueryCompatible` services tell the server that the client understands query errors.
    if krate.service.query_compatible {
        quote! {
            let mut request = rt::operation::aws_json_request(input, #version, #target);
            request.headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
            ::std::result::Result::Ok(request)
        }
    } else {
        quote!(::std::result::Result::Ok(rt::operation::aws_json_request(input, #version, #target)))
    }
}

/// The expression reading an output's body members from a JSON body.
pub(super) fn output_body() -> TokenStream {
    quote!(rt::operation::json_body(response))
}

/// `ToJson` of a structure: its members in model order under their JSON keys, unset ones left
/// out, timestamps in their format (epoch seconds by default).
pub(super) fn struct_to_json(name: &Ident, s: &ir::Struct) -> TokenStream {
    let members = s.fields.iter().filter(|f| f.binding == ir::Binding::Body).map(|f| {
        let fname = ident(&f.rust_name);
        let key = &f.json_key;
        if f.ty.is_timestamp() && !f.boxed {
            let format = format_ident!("{}", f.timestamp_format.unwrap_or(ir::TimestampFormat::EpochSeconds).runtime_variant());
            if f.optional {
                quote!(object.optional_timestamp(#key, &self.#fname, rt::TimestampFormat::#format);)
            } else {
                quote!(object.timestamp(#key, &self.#fname, rt::TimestampFormat::#format);)
            }
        } else if f.optional {
            quote!(object.optional(#key, &self.#fname);)
        } else {
            quote!(object.member(#key, &self.#fname);)
        }
    });
    let members: Vec<TokenStream> = members.collect();
    let body = if members.is_empty() {
        quote!(out.object().end();)
    } else {
        quote! {
            let mut object = out.object();
            #( #members )*
            object.end();
        }
    };
    quote! {
        impl rt::to_json::ToJson for #name {
            fn write_json(&self, out: &mut rt::to_json::JsonWriter) {
                #body
            }
        }
    }
}

/// `ToJson` of a union: an object with its one member.
pub(super) fn union_to_json(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.json_key;
        match &v.ty {
            None => quote!(Self::#vname => object.member(#key, &()),),
            Some(_) => quote!(Self::#vname(value) => object.member(#key, value),),
        }
    });
    quote! {
        impl rt::to_json::ToJson for #name {
            /// A member the model does not list is written as an empty object.
            fn write_json(&self, out: &mut rt::to_json::JsonWriter) {
                let mut object = out.object();
                match self {
                    #( #arms )*
                    Self::#unknown(_) => {}
                }
                object.end();
            }
        }
    }
}

/// `FromJson` of a structure: its body members by their JSON keys. `protocol` says how
/// timestamps are carried.
pub(super) fn struct_from_json(name: &Ident, s: &ir::Struct, protocol: Protocol) -> TokenStream {
    // CBOR carries timestamps as numbers (epoch seconds) whatever the format trait says.
    let json_format = if protocol == Protocol::RpcV2Cbor { None } else { Some(()) };
    // One pass over the object's entries, each key matched once (a key that repeats counts
    // by its last entry); then each field from what was found.
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut fields = Vec::new();
    let mut message = None;
    for (index, f) in s.fields.iter().enumerate() {
        let fname = ident(&f.rust_name);
        if !is_body(f) {
            fields.push(unbound(f));
            continue;
        }
        let key = &f.json_key;
        if is_message(s, f) {
            // Any of the spellings services use: each entry is offered to the seeker during
            // the pass, and the message taken after it.
            let value = or_default(f, quote!(message.take()));
            message = Some((quote!(#key), quote!(#fname: #value,)));
            continue;
        }
        let local = format_ident!("m{}", index);
        let got = if f.ty.is_timestamp() && json_format.is_some() {
            let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::EpochSeconds));
            read_member(s, quote!(rt::json::timestamp_field(key, value, #format)))
        } else {
            read_member(s, quote!(rt::json::field(key, value)))
        };
        // `@jsonName` renames the key in restJson1 bodies; value trees rendered to JSON use
        // the member name, and decode back through it.
        let member = &f.member_name;
        let pattern = if f.json_key != f.member_name { quote!(#key | #member) } else { quote!(#key) };
        locals.push(quote!(let mut #local = ::std::option::Option::None;));
        arms.push((pattern, quote!(#local = #got)));
        let value = or_default(f, box_timestamp(f, quote!(#local)));
        fields.push(quote!(#fname: #value,));
    }
    if let Some(m) = s.error.as_ref().and_then(|e| e.generated_message.as_deref()) {
        // An error structure without a message member keeps the body's message all the same.
        let m = ident(m);
        message = Some((quote!("message"), quote!(#m: message.take(),)));
    }
    // The message seeker sees every entry, before the members' match: a member's key may be
    // one of the keys a message goes by.
    let (seeker, offer) = match &message {
        Some((key, field)) => {
            fields.push(field.clone());
            (
                Some(quote!(let mut message = rt::json::MessageSeeker::new(#key);)),
                Some(quote!(message.offer(key, value);)),
            )
        }
        None => (None, None),
    };
    let object = if arms.is_empty() && message.is_none() {
        quote!(rt::json::object(value)?;)
    } else {
        quote!(let object = rt::json::object(value)?;)
    };
    let pass = match arms.as_slice() {
        [] => offer.map(|offer| {
            quote! {
                for (key, value) in rt::json::Object::entries(object) {
                    #offer
                }
            }
        }),
        // One member: an `if` (clippy::single_match).
        [(pattern, assign)] => Some(quote! {
            for (key, value) in rt::json::Object::entries(object) {
                #offer
                if matches!(key, #pattern) {
                    #assign;
                }
            }
        }),
        arms => {
            let arms = arms.iter().map(|(pattern, assign)| quote!(#pattern => #assign,));
            Some(quote! {
                for (key, value) in rt::json::Object::entries(object) {
                    #offer
                    match key {
                        #( #arms )*
                        _ => {}
                    }
                }
            })
        }
    };
    quote! {
        impl rt::json::FromJson for #name {
            fn from_json<J: rt::json::Json>(value: &J) -> ::std::result::Result<Self, rt::DecodeError> {
                #object
                #seeker
                #( #locals )*
                #pass
                ::std::result::Result::Ok(Self { #( #fields )* })
            }
        }
    }
}

/// `FromJson` of a union: the object's one non-null member.
pub(super) fn union_from_json(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.json_key;
        let key_text = key.as_str();
        match &v.ty {
            None => quote!(#key => Self::#vname,),
            Some(_) => quote!(#key => Self::#vname(rt::json::FromJson::from_json(value).map_err(|e| e.at_key(#key_text))?),),
        }
    });
    let unit_only = u.variants.iter().all(|v| v.ty.is_none());
    let value = if unit_only { quote!(_value) } else { quote!(value) };
    quote! {
        impl rt::json::FromJson for #name {
            fn from_json<J: rt::json::Json>(value: &J) -> ::std::result::Result<Self, rt::DecodeError> {
                let (key, #value) = rt::json::union_member(value)
                    .ok_or_else(|| rt::DecodeError::new("expected a union: an object with one non-null member"))?;
                ::std::result::Result::Ok(match key {
                    #( #arms )*
                    other => Self::#unknown(other.to_owned()),
                })
            }
        }
    }
}
