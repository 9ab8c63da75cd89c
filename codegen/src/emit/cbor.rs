//! rpcv2Cbor: `ToCbor` for structures and unions, and the request of an operation. Responses
//! are read through the JSON decoders ([`super::json`]): the runtime turns a CBOR body into
//! the same tree.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{self, RustType};
use crate::naming::ident;

/// The statements building an rpcv2Cbor request from `input`.
pub(super) fn request(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
    let service = &krate.service.name;
    let wire = &op.wire_name;
    let body = if op.input.is_some() {
        quote!(::std::option::Option::Some(rt::to_cbor::to_vec(input)))
    } else {
        quote!({ let _ = input; ::std::option::Option::None })
    };
    // `@awsQueryCompatible` services tell the server that the client understands query errors.
    let mode = krate.service.query_compatible.then(|| {
        quote!(request.headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));)
    });
    let binding = if mode.is_some() { quote!(let mut request) } else { quote!(let request) };
    quote! {
        #binding = rt::operation::cbor_request(#service, #wire, #body);
        #mode
        ::std::result::Result::Ok(request)
    }
}

/// The expression reading an output's body members from a CBOR body.
pub(super) fn output_body() -> TokenStream {
    quote!(rt::operation::cbor_body(response))
}

/// `ToCbor` of a structure: a map of its set members.
pub(super) fn struct_to_cbor(name: &Ident, s: &ir::Struct) -> TokenStream {
    let members = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let key = &f.member_name;
        let write = cbor_write(&f.ty);
        if f.optional {
            quote!(if let ::std::option::Option::Some(v) = &self.#fname { out.str(#key); #write })
        } else {
            quote!({ let v = &self.#fname; out.str(#key); #write })
        }
    });
    quote! {
        impl rt::to_cbor::ToCbor for #name {
            fn write_cbor(&self, out: &mut rt::to_cbor::CborWriter) {
                out.begin_map();
                #( #members )*
                out.end();
            }
        }
    }
}

/// `ToCbor` of a union: a map of its one member.
pub(super) fn union_to_cbor(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.member_name;
        match &v.ty {
            None => quote!(Self::#vname => { out.str(#key); out.begin_map(); out.end(); }),
            Some(ty) => {
                let write = cbor_write(ty);
                quote!(Self::#vname(v) => { out.str(#key); #write })
            }
        }
    });
    quote! {
        impl rt::to_cbor::ToCbor for #name {
            /// A member the model does not list is written as an empty map.
            fn write_cbor(&self, out: &mut rt::to_cbor::CborWriter) {
                out.begin_map();
                match self {
                    #( #arms )*
                    Self::#unknown(_) => {}
                }
                out.end();
            }
        }
    }
}

/// Writes `v`, a reference to a value of type `ty`, as CBOR into `out`.
fn cbor_write(ty: &RustType) -> TokenStream {
    match ty.base() {
        RustType::Named(ir::TypeRef { kind: ir::NamedKind::Enum, .. }) => quote!(out.str(v.as_str());),
        RustType::Named(ir::TypeRef { kind: ir::NamedKind::IntEnum, .. }) => quote!(out.int(i64::from(v.as_i32()));),
        RustType::BigInteger | RustType::BigDecimal => quote!(out.str(v.as_str());),
        // rpcv2Cbor has no documents.
        RustType::Document => quote!(let _ = v; out.null();),
        RustType::List { item, sparse, .. } => {
            let inner = cbor_write(item);
            let inner = if *sparse {
                quote!(match v { ::std::option::Option::Some(v) => { #inner } ::std::option::Option::None => out.null(), })
            } else {
                inner
            };
            quote! {
                out.array(v.len());
                for v in v.iter() { #inner }
            }
        }
        RustType::Map { value, sparse, .. } => {
            let inner = cbor_write(value);
            let inner = if *sparse {
                quote!(match v { ::std::option::Option::Some(v) => { #inner } ::std::option::Option::None => out.null(), })
            } else {
                inner
            };
            quote! {
                out.begin_map();
                for (k, v) in v.iter() {
                    out.str(k.as_ref());
                    #inner
                }
                out.end();
            }
        }
        _ => quote!(rt::to_cbor::ToCbor::write_cbor(v, out);),
    }
}
