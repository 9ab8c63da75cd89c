//! awsQuery and ec2Query: `ToQuery` for structures and unions, and the request of an
//! operation. Responses are XML, read by the decoders of [`super::xml`].

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_type;
use crate::ir::{self, Protocol, RustType};
use crate::naming::ident;

/// The statements building an awsQuery or ec2Query request from `input`.
pub(super) fn request(krate: &ir::Crate, op: &ir::Operation) -> TokenStream {
    let flavor = if krate.service.protocol == Protocol::Ec2Query { quote!(Ec2Query) } else { quote!(AwsQuery) };
    let service_version = krate.service.version.clone().unwrap_or_default();
    let wire = &op.wire_name;
    quote! {
        let mut out = rt::query::QueryWriter::new(rt::query::Flavor::#flavor);
        rt::query::ToQuery::write_query(input, &mut out, "");
        ::std::result::Result::Ok(out.into_request(#wire, #service_version))
    }
}

/// The expression reading an output's body members from the XML response of an awsQuery
/// operation (inside `<{Operation}Result>`) or an ec2Query one (the root element).
pub(super) fn output_body(protocol: Protocol, op: &ir::Operation) -> TokenStream {
    if protocol == Protocol::Ec2Query {
        quote!(rt::operation::ec2_body(response))
    } else {
        let wire = &op.wire_name;
        quote!(rt::operation::query_body(response, #wire))
    }
}

/// `ToQuery` of a structure: each set member under its query key.
pub(super) fn struct_to_query(name: &Ident, s: &ir::Struct) -> TokenStream {
    let members: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust_name);
            let write = query_write(&f.ty, f.timestamp_format, f.xml_flattened, &f.query_key);
            if f.optional {
                quote!(if let ::std::option::Option::Some(v) = &self.#fname { #write })
            } else {
                quote!({ let v = &self.#fname; #write })
            }
        })
        .collect();
    let (out, prefix) = if members.is_empty() { (quote!(_out), quote!(_prefix)) } else { (quote!(out), quote!(prefix)) };
    quote! {
        impl rt::query::ToQuery for #name {
            fn write_query(&self, #out: &mut rt::query::QueryWriter, #prefix: &str) {
                #( #members )*
            }
        }
    }
}

/// `ToQuery` of a union: its one member under its query key.
pub(super) fn union_to_query(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        match &v.ty {
            None => quote!(Self::#vname => {}),
            Some(ty) => {
                let write = query_write(ty, None, false, &v.query_key);
                quote!(Self::#vname(v) => { #write })
            }
        }
    });
    quote! {
        impl rt::query::ToQuery for #name {
            /// A member the model does not list is left out.
            fn write_query(&self, out: &mut rt::query::QueryWriter, prefix: &str) {
                match self {
                    #( #arms )*
                    Self::#unknown(_) => {}
                }
            }
        }
    }
}

/// Writes `v` (of type `ty`) under `prefix.key` into `out`.
fn query_write(ty: &RustType, format: Option<ir::TimestampFormat>, flattened: bool, key: &str) -> TokenStream {
    let at = quote!(rt::query::key(prefix, #key));
    match ty.base() {
        RustType::List { item, xml_member, .. } => {
            let member = if flattened { quote!(::std::option::Option::None) } else { quote!(::std::option::Option::Some(#xml_member)) };
            let each = query_item(item, format);
            quote!(out.list(&#at, #member, v, #each);)
        }
        RustType::Map { value, xml_key, xml_value, .. } => {
            let each = query_item(value, format);
            quote!(out.map(&#at, #flattened, #xml_key, #xml_value, v, #each);)
        }
        RustType::Timestamp => {
            let format = format_ident!("{}", format.unwrap_or(ir::TimestampFormat::DateTime).runtime_variant());
            quote!(out.timestamp(#at, v, rt::TimestampFormat::#format);)
        }
        RustType::Named(ir::TypeRef { kind: ir::NamedKind::Struct | ir::NamedKind::Union, .. }) => {
            quote!(rt::query::ToQuery::write_query(v, out, &#at);)
        }
        _ => quote!(out.text(#at, v);),
    }
}

/// A closure writing one value of type `ty` under a key: `|out, key, value| ...`.
fn query_item(ty: &RustType, format: Option<ir::TimestampFormat>) -> TokenStream {
    match ty.base() {
        RustType::Timestamp => {
            let format = format_ident!("{}", format.unwrap_or(ir::TimestampFormat::DateTime).runtime_variant());
            quote!(|out: &mut rt::query::QueryWriter, k: ::std::string::String, item: &rt::Timestamp| out.timestamp(k, item, rt::TimestampFormat::#format))
        }
        RustType::List { item, xml_member, .. } => {
            let each = query_item(item, format);
            let t = rust_type(ty);
            quote!(|out: &mut rt::query::QueryWriter, k: ::std::string::String, item: &#t| out.list(&k, ::std::option::Option::Some(#xml_member), item, #each))
        }
        RustType::Map { value, xml_key, xml_value, .. } => {
            let each = query_item(value, format);
            let t = rust_type(ty);
            quote!(|out: &mut rt::query::QueryWriter, k: ::std::string::String, item: &#t| out.map(&k, false, #xml_key, #xml_value, item, #each))
        }
        RustType::Named(ir::TypeRef { kind: ir::NamedKind::Struct | ir::NamedKind::Union, .. }) => {
            let t = rust_type(ty);
            quote!(|out: &mut rt::query::QueryWriter, k: ::std::string::String, item: &#t| rt::query::ToQuery::write_query(item, out, &k))
        }
        _ => {
            let t = rust_type(ty);
            quote!(|out: &mut rt::query::QueryWriter, k: ::std::string::String, item: &#t| out.text(k, item))
        }
    }
}
