//! XML (restXml bodies, and the responses of awsQuery and ec2Query): `ToXml` and `FromXml` for
//! structures and unions, document roots and namespaces, and the unwrapped output of an
//! operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::{box_timestamp, is_body, is_message, or_default, read_member, unbound};
use super::{rust_type, timestamp_format};
use crate::ir::{self, Binding, RustType};
use crate::naming::ident;

/// An `@xmlNamespace` as an `Option<rt::to_xml::Namespace>` expression.
fn xml_namespace(ns: Option<&ir::XmlNamespace>) -> TokenStream {
    match ns {
        None => quote!(::std::option::Option::None),
        Some(ns) => {
            let uri = &ns.uri;
            let prefix = match &ns.prefix {
                Some(p) => quote!(::std::option::Option::Some(#p)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(rt::to_xml::Namespace { uri: #uri, prefix: #prefix }))
        }
    }
}

/// The root element of an XML document holding a value of type `ty`: the member's
/// `@xmlName` (payloads), else the shape's name or `@xmlName`; its namespace the shape's, else
/// the service's.
pub(super) fn root(krate: &ir::Crate, ty: &RustType, member_xml_name: Option<&str>) -> (String, TokenStream) {
    let def = match ty.base() {
        RustType::Named(r) => krate.type_def(&r.rust_name),
        _ => None,
    };
    let name = member_xml_name.map(str::to_owned).or_else(|| def.map(|d| d.xml_name.clone())).unwrap_or_default();
    let ns = def.and_then(|d| d.xml_namespace.as_ref()).or(krate.service.xml_namespace.as_ref());
    (name, xml_namespace(ns))
}

/// `ToXml` of a structure: its attributes, then its body members as elements.
pub(super) fn struct_to_xml(name: &Ident, s: &ir::Struct) -> TokenStream {
    let body = |f: &&ir::Field| f.binding == ir::Binding::Body;
    let optional = |f: &ir::Field, write: TokenStream| {
        let fname = ident(&f.rust_name);
        if f.optional {
            quote!(if let ::std::option::Option::Some(v) = &self.#fname { #write })
        } else {
            quote!({ let v = &self.#fname; #write })
        }
    };
    let attributes = s.fields.iter().filter(body).filter(|f| f.xml_attribute).map(|f| {
        let key = &f.xml_name;
        let write = if f.ty.is_timestamp() {
            let format = format_ident!("{}", f.timestamp_format.unwrap_or(ir::TimestampFormat::DateTime).runtime_variant());
            quote!(out.attribute(#key, &rt::rest::timestamp_text(v, rt::TimestampFormat::#format));)
        } else {
            quote!(out.attribute(#key, &rt::rest::ToText::to_text(v));)
        };
        optional(f, write)
    });
    let elements = s.fields.iter().filter(body).filter(|f| !f.xml_attribute).map(|f| {
        let write = xml_write(&f.ty, f.boxed, &f.xml_name, f.xml_namespace.as_ref(), f.xml_flattened, f.timestamp_format);
        optional(f, write)
    });
    quote! {
        impl rt::to_xml::ToXml for #name {
            fn write_xml(&self, out: &mut rt::to_xml::XmlWriter, name: &str, namespace: ::std::option::Option<rt::to_xml::Namespace<'_>>) {
                out.open(name, namespace);
                #( #attributes )*
                out.content();
                #( #elements )*
                out.close(name);
            }
        }
    }
}

/// `ToXml` of a union: an element holding its one member's element.
pub(super) fn union_to_xml(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.xml_name;
        match &v.ty {
            None => quote!(Self::#vname => out.element_text(#key, ::std::option::Option::None, ""),),
            Some(ty) => {
                let write = xml_write(ty, v.boxed, key, None, false, None);
                quote!(Self::#vname(v) => { #write })
            }
        }
    });
    quote! {
        impl rt::to_xml::ToXml for #name {
            /// A member the model does not list is left out.
            fn write_xml(&self, out: &mut rt::to_xml::XmlWriter, name: &str, namespace: ::std::option::Option<rt::to_xml::Namespace<'_>>) {
                out.open(name, namespace);
                out.content();
                match self {
                    #( #arms )*
                    Self::#unknown(_) => {}
                }
                out.close(name);
            }
        }
    }
}

/// Writes `v` (of type `ty`) as the element (or flattened elements) `key`.
fn xml_write(
    ty: &RustType,
    boxed: bool,
    key: &str,
    ns: Option<&ir::XmlNamespace>,
    flattened: bool,
    format: Option<ir::TimestampFormat>,
) -> TokenStream {
    let ns = xml_namespace(ns);
    match ty.base() {
        RustType::Timestamp => {
            let format = format_ident!("{}", format.unwrap_or(ir::TimestampFormat::DateTime).runtime_variant());
            quote!(out.timestamp(#key, #ns, v, rt::TimestampFormat::#format);)
        }
        RustType::List { item, xml_member, xml_member_namespace, .. } => {
            let each = xml_item(item, format, xml_member_namespace.as_ref());
            if flattened {
                quote!(out.flat_list(#key, v, #each);)
            } else {
                quote!(out.list(#key, #ns, #xml_member, v, #each);)
            }
        }
        RustType::Map { value, xml_key, xml_value, xml_key_namespace, xml_value_namespace, .. } => {
            let each = xml_item(value, format, xml_value_namespace.as_ref());
            let key_ns = xml_namespace(xml_key_namespace.as_ref());
            quote!(out.map(#key, #ns, #flattened, (#xml_key, #key_ns), #xml_value, v, #each);)
        }
        _ if boxed => quote!(rt::to_xml::ToXml::write_xml(&**v, out, #key, #ns);),
        _ => quote!(rt::to_xml::ToXml::write_xml(v, out, #key, #ns);),
    }
}

/// A closure writing one list entry or map value of type `ty` as the element `name`, in the
/// namespace `ns` of the list's member or the map's value.
fn xml_item(ty: &RustType, format: Option<ir::TimestampFormat>, ns: Option<&ir::XmlNamespace>) -> TokenStream {
    let t = rust_type(ty);
    let params = quote!(out: &mut rt::to_xml::XmlWriter, name: &str, item: &#t);
    let ns = xml_namespace(ns);
    match ty.base() {
        RustType::Timestamp => {
            let format = format_ident!("{}", format.unwrap_or(ir::TimestampFormat::DateTime).runtime_variant());
            quote!(|#params| out.timestamp(name, #ns, item, rt::TimestampFormat::#format))
        }
        RustType::List { item: inner, xml_member, xml_member_namespace, .. } => {
            let each = xml_item(inner, format, xml_member_namespace.as_ref());
            quote!(|#params| out.list(name, #ns, #xml_member, item, #each))
        }
        RustType::Map { value, xml_key, xml_value, xml_key_namespace, xml_value_namespace, .. } => {
            let each = xml_item(value, format, xml_value_namespace.as_ref());
            let key_ns = xml_namespace(xml_key_namespace.as_ref());
            quote!(|#params| out.map(name, #ns, false, (#xml_key, #key_ns), #xml_value, item, #each))
        }
        _ => quote!(|#params| rt::to_xml::ToXml::write_xml(item, out, name, #ns)),
    }
}

/// `FromXml` of a structure: its body members from child elements and attributes.
pub(super) fn struct_from_xml(name: &Ident, s: &ir::Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        if !is_body(f) {
            return unbound(f);
        }
        let fname = ident(&f.rust_name);
        let n = &f.xml_name;
        if is_message(s, f) {
            let value = or_default(f, quote!(rt::xml::message(element, #n)));
            return quote!(#fname: #value,);
        }
        let got = if f.ty.is_timestamp() {
            let format = timestamp_format(f.timestamp_format.unwrap_or(ir::TimestampFormat::DateTime));
            if f.xml_attribute {
                read_member(s, quote!(rt::xml::attr_timestamp(element, #n, #format)))
            } else {
                read_member(s, quote!(rt::xml::timestamp(element, #n, #format)))
            }
        } else if f.xml_attribute {
            read_member(s, quote!(rt::xml::attr(element, #n)))
        } else {
            match (f.ty.base(), f.xml_flattened) {
                // Entries that are collections themselves are read with their own names.
                (RustType::List { item, sparse, .. }, true) if is_collection(item) => {
                    let decode = xml_decoder(item, *sparse);
                    read_member(s, quote!(rt::xml::flat_list_with(element, #n, #decode)))
                }
                (RustType::List { item, xml_member, sparse, .. }, false) if is_collection(item) => {
                    let decode = xml_decoder(item, *sparse);
                    read_member(s, quote!(rt::xml::list_with(element, #n, #xml_member, #decode)))
                }
                (RustType::Map { value, xml_key, xml_value, sparse, .. }, true) if is_collection(value) => {
                    let decode = xml_decoder(value, *sparse);
                    read_member(s, quote!(rt::xml::flat_map_with(element, #n, #xml_key, #xml_value, #decode)))
                }
                (RustType::Map { value, xml_key, xml_value, sparse, .. }, false) if is_collection(value) => {
                    let decode = xml_decoder(value, *sparse);
                    read_member(s, quote!(rt::xml::map_with(element, #n, #xml_key, #xml_value, #decode)))
                }
                (RustType::List { .. }, true) => read_member(s, quote!(rt::xml::flat_list(element, #n))),
                (RustType::List { xml_member, .. }, false) => read_member(s, quote!(rt::xml::list(element, #n, #xml_member))),
                (RustType::Map { xml_key, xml_value, .. }, true) => {
                    read_member(s, quote!(rt::xml::flat_map(element, #n, #xml_key, #xml_value)))
                }
                (RustType::Map { xml_key, xml_value, .. }, false) => {
                    read_member(s, quote!(rt::xml::map(element, #n, #xml_key, #xml_value)))
                }
                _ => read_member(s, quote!(rt::xml::get(element, #n))),
            }
        };
        let value = or_default(f, box_timestamp(f, got));
        quote!(#fname: #value,)
    });
    // An error structure without a message member keeps the body's message all the same.
    let generated_message = s.error.as_ref().and_then(|e| e.generated_message.as_deref()).map(ident);
    let fields = fields.chain(generated_message.as_ref().map(|m| quote!(#m: rt::xml::message(element, "Message"),)));
    let element = (!s.fields.iter().any(is_body) && generated_message.is_none()).then(|| quote!(let _ = element;));
    quote! {
        impl rt::xml::FromXml for #name {
            fn from_xml(element: rt::xml::Element<'_, '_>) -> ::std::result::Result<Self, rt::DecodeError> {
                #element
                ::std::result::Result::Ok(Self { #( #fields )* })
            }
        }
    }
}

/// `FromXml` of a union: the element's one member element.
pub(super) fn union_from_xml(name: &Ident, u: &ir::Union) -> TokenStream {
    let unknown = ident(&u.unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.xml_name;
        let key_text = key.as_str();
        match &v.ty {
            None => quote!(#key => Self::#vname,),
            Some(_) => quote!(#key => Self::#vname(rt::xml::FromXml::from_xml(value).map_err(|e| e.at_key(#key_text))?),),
        }
    });
    let unit_only = u.variants.iter().all(|v| v.ty.is_none());
    let unused = unit_only.then(|| quote!(let _ = &value;));
    quote! {
        impl rt::xml::FromXml for #name {
            fn from_xml(element: rt::xml::Element<'_, '_>) -> ::std::result::Result<Self, rt::DecodeError> {
                let value = element
                    .children()
                    .find(|child| child.is_element())
                    .ok_or_else(|| rt::DecodeError::new("expected a union: an element with one member element"))?;
                #unused
                ::std::result::Result::Ok(match value.tag_name().name() {
                    #( #arms )*
                    other => Self::#unknown(other.to_owned()),
                })
            }
        }
    }
}

/// The expression reading an output's body members from an XML document body (restXml).
pub(super) fn output_body() -> TokenStream {
    quote!(rt::operation::xml_body(response))
}

/// The body of `decode_output` for an output whose one body member is the whole XML document
/// (an unwrapped restXml output); `None` when the output has no body member.
pub(super) fn unwrapped_output(s: &ir::Struct) -> Option<TokenStream> {
    let f = s.fields.iter().find(|f| f.binding == Binding::Body)?;
    let fname = ident(&f.rust_name);
    let value = if f.optional { quote!(value) } else { quote!(value.unwrap_or_default()) };
    let rest = (s.fields.len() > 1).then(|| quote!(..::std::default::Default::default()));
    Some(quote! {
        let value = rt::operation::xml_payload(response)?;
        ::std::result::Result::Ok(Self::Output { #fname: #value, #rest })
    })
}

fn is_collection(ty: &RustType) -> bool {
    matches!(ty.base(), RustType::List { .. } | RustType::Map { .. })
}

/// How an XML list entry or map value of type `ty` is read: a list or map nested in another
/// with its own element names, anything else through `FromXml`.
/// `sparse`: the entry is an `Option` (of a `@sparse` collection).
fn xml_decoder(ty: &RustType, sparse: bool) -> TokenStream {
    let decoder = match ty.base() {
        RustType::List { item, xml_member, sparse: inner, .. } => {
            let inner = xml_decoder(item, *inner);
            quote!(|e: rt::xml::Element<'_, '_>| rt::xml::entries_in(e, #xml_member, #inner))
        }
        RustType::Map { value, xml_key, xml_value, sparse: inner, .. } => {
            let inner = xml_decoder(value, *inner);
            quote!(|e: rt::xml::Element<'_, '_>| rt::xml::map_in(e, #xml_key, #xml_value, #inner))
        }
        _ => {
            let t = rust_type(ty);
            let t = if sparse { quote!(::std::option::Option<#t>) } else { t };
            return quote!(<#t as rt::xml::FromXml>::from_xml);
        }
    };
    if sparse {
        quote!(|e: rt::xml::Element<'_, '_>| (#decoder)(e).map(::std::option::Option::Some))
    } else {
        decoder
    }
}
