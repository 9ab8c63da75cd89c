//! `src/types.rs`: one item per shape, with its `to_value`, and decoders for the shapes that
//! error structures reach.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, rust_type};
use crate::ir::{self, RustType, TypeKind};
use crate::naming::ident;

/// The head of `src/types.rs`; [`type_def`] gives its items.
pub fn types_rs_head(krate: &ir::Crate) -> TokenStream {
    // A service without shapes of its own has nothing to name from the runtime.
    let rt = (!krate.types.is_empty()).then(|| quote!(use ::smithy_runtime as rt;));
    quote! {
        //! One Rust item per shape of the service's model.
        #rt
    }
}

pub fn type_def(def: &ir::TypeDef, protocol: ir::Protocol) -> TokenStream {
    let mut doc = def.doc.clone().unwrap_or_default();
    if def.deprecated {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str("**Deprecated** in the model.");
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Shape `{}`.", def.shape_id));
    let doc = doc_attrs(Some(&doc));
    let name = ident(&def.rust_name);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Struct(s) => structure(def, s, doc, protocol),
        TypeKind::Enum(e) => enumeration(def, e, doc),
        TypeKind::IntEnum(e) => int_enum(def, e, doc),
        TypeKind::Union(u) => union(def, u, doc),
    }
}

fn field_type(f: &ir::Field) -> TokenStream {
    let mut ty = rust_type(&f.ty);
    if f.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if f.optional {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

/// The expression of a member's `@default` value, for a field of type `ty`.
fn default_expr(d: &ir::Default, ty: &RustType) -> TokenStream {
    match d {
        ir::Default::Bool(b) => quote!(#b),
        ir::Default::Int(i) => {
            let lit = match ty {
                RustType::I8 => Literal::i8_unsuffixed(*i as i8),
                RustType::I16 => Literal::i16_unsuffixed(*i as i16),
                RustType::I32 => Literal::i32_unsuffixed(*i as i32),
                _ => Literal::i64_unsuffixed(*i),
            };
            quote!(#lit)
        }
        ir::Default::Float(f) if f.is_finite() => {
            let lit = Literal::f64_unsuffixed(*f);
            quote!(#lit)
        }
        ir::Default::Float(f) => {
            let t = rust_type(ty);
            let constant = if f.is_nan() {
                quote!(NAN)
            } else if *f > 0.0 {
                quote!(INFINITY)
            } else {
                quote!(NEG_INFINITY)
            };
            quote!(<#t>::#constant)
        }
        ir::Default::String(s) => quote!(::std::string::String::from(#s)),
        ir::Default::Enum(v) => {
            let t = rust_type(ty);
            quote!(<#t>::from(#v))
        }
        ir::Default::IntEnum(v) => {
            let t = rust_type(ty);
            let v = Literal::i32_unsuffixed(*v as i32);
            quote!(<#t>::from(#v))
        }
        ir::Default::EmptyList => quote!(::std::vec::Vec::new()),
        ir::Default::EmptyMap => quote!(::std::collections::BTreeMap::new()),
        ir::Default::Timestamp(secs) => {
            let lit = Literal::f64_unsuffixed(*secs);
            quote!(rt::Timestamp::from_epoch_seconds_f64(#lit).unwrap_or_default())
        }
        ir::Default::Blob(b64) => quote!(rt::Blob::from_base64(#b64).unwrap_or_default()),
        ir::Default::Document(v) => {
            let json = v.to_string();
            quote!(rt::Document::from(&rt::serde_json::from_str::<rt::serde_json::Value>(#json).unwrap_or_default()))
        }
        ir::Default::BigNumber(s) => {
            let t = rust_type(ty);
            quote!(<#t>::new(#s).unwrap_or_default())
        }
    }
}

/// Whether a default equals what `Default::default()` gives for the type.
fn is_zero_default(d: &ir::Default) -> bool {
    match d {
        ir::Default::Bool(b) => !b,
        ir::Default::Int(i) => *i == 0,
        ir::Default::Float(f) => *f == 0.0 && f.is_sign_positive(),
        ir::Default::String(s) => s.is_empty(),
        ir::Default::EmptyList | ir::Default::EmptyMap => true,
        ir::Default::Timestamp(t) => *t == 0.0,
        ir::Default::Blob(b) => b.is_empty(),
        ir::Default::Document(v) => v.is_null(),
        ir::Default::BigNumber(s) => s == "0",
        ir::Default::Enum(_) | ir::Default::IntEnum(_) => false,
    }
}

/// The value a field takes when nothing else is known: its default, or the type's default.
fn field_default(f: &ir::Field) -> TokenStream {
    match &f.default {
        Some(d) if !f.optional && !is_zero_default(d) => {
            let e = default_expr(d, &f.ty);
            if f.boxed {
                quote!(::std::boxed::Box::new(#e))
            } else {
                e
            }
        }
        _ => quote!(::std::default::Default::default()),
    }
}

fn structure(def: &ir::TypeDef, s: &ir::Struct, doc: TokenStream, protocol: ir::Protocol) -> TokenStream {
    let name = ident(&def.rust_name);
    let fields = s.fields.iter().map(|f| {
        let mut fdoc = f.doc.clone().unwrap_or_default();
        let mut notes = Vec::new();
        if f.required {
            notes.push("Required.".to_owned());
        }
        if f.deprecated {
            notes.push("**Deprecated** in the model.".to_owned());
        }
        if f.sensitive {
            notes.push("Sensitive: redacted when printed as a value tree.".to_owned());
        }
        if !notes.is_empty() {
            if !fdoc.is_empty() {
                fdoc.push_str("\n\n");
            }
            fdoc.push_str(&notes.join(" "));
        }
        let fdoc = doc_attrs((!fdoc.is_empty()).then_some(fdoc.as_str()));
        let fname = ident(&f.rust_name);
        let ty = field_type(f);
        quote! { #fdoc pub #fname: #ty, }
    });
    let custom_default = s.fields.iter().any(|f| !f.optional && f.default.as_ref().is_some_and(|d| !is_zero_default(d)));
    // `#[non_exhaustive]`: a member added to the model later is not a breaking change (see the
    // README's "Source compatibility").
    let derives = if custom_default {
        quote!(#[derive(Debug, Clone, PartialEq)] #[non_exhaustive])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Default)] #[non_exhaustive])
    };
    let default_impl = custom_default.then(|| {
        let inits = s.fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let value = field_default(f);
            quote!(#fname: #value,)
        });
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self { #( #inits )* }
                }
            }
        }
    });

    // Constructor from the required members.
    let required: Vec<&ir::Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let ty = rust_type(&f.ty);
        quote!(#fname: impl ::std::convert::Into<#ty>)
    });
    let inits = required.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let mut value = quote!(#fname.into());
        if f.boxed {
            value = quote!(::std::boxed::Box::new(#value));
        }
        if f.optional {
            value = quote!(::std::option::Option::Some(#value));
        }
        quote!(#fname: #value,)
    });
    let rest = (required.len() < s.fields.len()).then(|| quote!(..::std::default::Default::default()));
    let allow_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let ctor_doc = if required.is_empty() {
        " Creates a value with every member at its default."
    } else {
        " Creates a value from the required members; the others take their defaults."
    };
    let body = if required.is_empty() {
        quote!(::std::default::Default::default())
    } else {
        quote!(Self { #( #inits )* #rest })
    };
    // Without required members, `Default` is the constructor.
    let constructor = (!required.is_empty()).then(|| quote! {
        impl #name {
            #[doc = #ctor_doc]
            #allow_many
            pub fn new(#( #params ),*) -> Self {
                #body
            }
        }
    });

    let members = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let key = &f.member_name;
        if f.sensitive {
            quote!(rt::Member::sensitive(#key, &self.#fname))
        } else {
            quote!(rt::Member::new(#key, &self.#fname))
        }
    });
    let to_value = quote! {
        impl rt::ToValue for #name {
            fn to_value(&self) -> rt::Value {
                rt::Value::structure([ #( #members ),* ])
            }
        }
    };

    let decoders = struct_decoders(def, &name, s, protocol);
    let encoder = def.encode_json.then(|| struct_to_json(&name, s));
    let query_encoder = def.encode_query.then(|| struct_to_query(&name, s));
    let xml_encoder = def.encode_xml.then(|| struct_to_xml(&name, s));
    let cbor_encoder = def.encode_cbor.then(|| struct_to_cbor(&name, s));
    let error = s.error.as_ref().map(|e| error_impls(&name, s, e));
    quote! {
        #doc
        #derives
        pub struct #name { #( #fields )* }
        #default_impl
        #constructor
        #to_value
        #decoders
        #encoder
        #query_encoder
        #xml_encoder
        #cbor_encoder
        #error
    }
}

/// `ToCbor` of a structure: a map of its set members.
fn struct_to_cbor(name: &proc_macro2::Ident, s: &ir::Struct) -> TokenStream {
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

/// An `@xmlNamespace` as an `Option<rt::to_xml::Namespace>` expression.
pub(crate) fn xml_namespace(ns: Option<&ir::XmlNamespace>) -> TokenStream {
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

/// `ToXml` of a structure: its attributes, then its body members as elements.
fn struct_to_xml(name: &proc_macro2::Ident, s: &ir::Struct) -> TokenStream {
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

/// `ToQuery` of a structure: each set member under its query key.
fn struct_to_query(name: &proc_macro2::Ident, s: &ir::Struct) -> TokenStream {
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

/// `ToJson` of a structure: its members in model order under their JSON keys, unset ones left
/// out, timestamps in their format (epoch seconds by default).
fn struct_to_json(name: &proc_macro2::Ident, s: &ir::Struct) -> TokenStream {
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

fn struct_decoders(def: &ir::TypeDef, name: &proc_macro2::Ident, s: &ir::Struct, protocol: ir::Protocol) -> TokenStream {
    let fallback = or_default;
    let boxed = |f: &ir::Field, got: TokenStream| -> TokenStream {
        // `Box<T>` decodes through its own impl; a timestamp helper gives the bare value.
        if f.boxed && f.ty.is_timestamp() {
            quote!(#got.map(::std::boxed::Box::new))
        } else {
            got
        }
    };
    let format = |f: &ir::Field, default: ir::TimestampFormat| {
        let format = format_ident!("{}", f.timestamp_format.unwrap_or(default).runtime_variant());
        quote!(rt::TimestampFormat::#format)
    };
    // An error structure keeps what it can read: a member that does not fit is absent (the
    // message above all must survive); other structures fail with the member's error.
    let read = |call: TokenStream| -> TokenStream {
        if s.error.is_some() {
            quote!(#call.ok().flatten())
        } else {
            quote!(#call?)
        }
    };
    // Body members only: the rest protocols' bound members are read by the operation.
    let body = |f: &ir::Field| f.binding == ir::Binding::Body;
    let unbound = |f: &ir::Field| {
        let fname = ident(&f.rust_name);
        quote!(#fname: ::std::default::Default::default(),)
    };
    let json = def.decode_json.then(|| {
        // CBOR carries timestamps as numbers (epoch seconds) whatever the format trait says.
        let json_format = if protocol == ir::Protocol::RpcV2Cbor { None } else { Some(()) };
        // One pass over the object's entries, each key matched once (a key that repeats counts
        // by its last entry); then each field from what was found.
        let mut locals = Vec::new();
        let mut arms = Vec::new();
        let mut fields = Vec::new();
        let mut message = None;
        for (index, f) in s.fields.iter().enumerate() {
            let fname = ident(&f.rust_name);
            if !body(f) {
                fields.push(unbound(f));
                continue;
            }
            let key = &f.json_key;
            if is_message(s, f) {
                // Any of the spellings services use; read after the pass.
                let value = fallback(f, quote!(rt::json::message(object, #key)));
                message = Some(quote!(#fname: #value,));
                continue;
            }
            let local = format_ident!("m{}", index);
            let got = if f.ty.is_timestamp() && json_format.is_some() {
                let format = format(f, ir::TimestampFormat::EpochSeconds);
                read(quote!(rt::json::timestamp_field(key, value, #format)))
            } else {
                read(quote!(rt::json::field(key, value)))
            };
            // `@jsonName` renames the key in restJson1 bodies; value trees rendered to JSON use
            // the member name, and decode back through it.
            let member = &f.member_name;
            let pattern = if f.json_key != f.member_name { quote!(#key | #member) } else { quote!(#key) };
            locals.push(quote!(let mut #local = ::std::option::Option::None;));
            arms.push((pattern, quote!(#local = #got)));
            let value = fallback(f, boxed(f, quote!(#local)));
            fields.push(quote!(#fname: #value,));
        }
        fields.extend(message.clone());
        let object = if arms.is_empty() && message.is_none() {
            quote!(rt::json::object(value)?;)
        } else {
            quote!(let object = rt::json::object(value)?;)
        };
        let pass = match arms.as_slice() {
            [] => None,
            // One member: an `if` (clippy::single_match).
            [(pattern, assign)] => Some(quote! {
                for (key, value) in rt::json::Object::entries(object) {
                    if matches!(key, #pattern) {
                        #assign;
                    }
                }
            }),
            arms => {
                let arms = arms.iter().map(|(pattern, assign)| quote!(#pattern => #assign,));
                Some(quote! {
                    for (key, value) in rt::json::Object::entries(object) {
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
                    #( #locals )*
                    #pass
                    ::std::result::Result::Ok(Self { #( #fields )* })
                }
            }
        }
    });
    let xml = def.decode_xml.then(|| {
        let fields = s.fields.iter().map(|f| {
            if !body(f) {
                return unbound(f);
            }
            let fname = ident(&f.rust_name);
            let n = &f.xml_name;
            if is_message(s, f) {
                let value = fallback(f, quote!(rt::xml::message(element, #n)));
                return quote!(#fname: #value,);
            }
            let got = if f.ty.is_timestamp() {
                let format = format(f, ir::TimestampFormat::DateTime);
                if f.xml_attribute {
                    read(quote!(rt::xml::attr_timestamp(element, #n, #format)))
                } else {
                    read(quote!(rt::xml::timestamp(element, #n, #format)))
                }
            } else if f.xml_attribute {
                read(quote!(rt::xml::attr(element, #n)))
            } else {
                match (f.ty.base(), f.xml_flattened) {
                    // Entries that are collections themselves are read with their own names.
                    (RustType::List { item, sparse, .. }, true) if is_collection(item) => {
                        let decode = xml_decoder(item, *sparse);
                        read(quote!(rt::xml::flat_list_with(element, #n, #decode)))
                    }
                    (RustType::List { item, xml_member, sparse, .. }, false) if is_collection(item) => {
                        let decode = xml_decoder(item, *sparse);
                        read(quote!(rt::xml::list_with(element, #n, #xml_member, #decode)))
                    }
                    (RustType::Map { value, xml_key, xml_value, sparse, .. }, true) if is_collection(value) => {
                        let decode = xml_decoder(value, *sparse);
                        read(quote!(rt::xml::flat_map_with(element, #n, #xml_key, #xml_value, #decode)))
                    }
                    (RustType::Map { value, xml_key, xml_value, sparse, .. }, false) if is_collection(value) => {
                        let decode = xml_decoder(value, *sparse);
                        read(quote!(rt::xml::map_with(element, #n, #xml_key, #xml_value, #decode)))
                    }
                    (RustType::List { .. }, true) => read(quote!(rt::xml::flat_list(element, #n))),
                    (RustType::List { xml_member, .. }, false) => read(quote!(rt::xml::list(element, #n, #xml_member))),
                    (RustType::Map { xml_key, xml_value, .. }, true) => {
                        read(quote!(rt::xml::flat_map(element, #n, #xml_key, #xml_value)))
                    }
                    (RustType::Map { xml_key, xml_value, .. }, false) => {
                        read(quote!(rt::xml::map(element, #n, #xml_key, #xml_value)))
                    }
                    _ => read(quote!(rt::xml::get(element, #n))),
                }
            };
            let value = fallback(f, boxed(f, got));
            quote!(#fname: #value,)
        });
        let element = (!s.fields.iter().any(body)).then(|| quote!(let _ = element;));
        quote! {
            impl rt::xml::FromXml for #name {
                fn from_xml(element: rt::xml::Element<'_, '_>) -> ::std::result::Result<Self, rt::DecodeError> {
                    #element
                    ::std::result::Result::Ok(Self { #( #fields )* })
                }
            }
        }
    });
    quote!(#json #xml)
}

/// What a field holds given `got`, the `Option` a decoder read: `got` itself for an optional
/// field, else its value or, when absent, the member's default (or its type's).
pub(crate) fn or_default(f: &ir::Field, got: TokenStream) -> TokenStream {
    if f.optional {
        return got;
    }
    match &f.default {
        // A constant is given as is (clippy::unnecessary_lazy_evaluations), anything built is
        // built only when needed.
        Some(d @ (ir::Default::Bool(_) | ir::Default::Int(_) | ir::Default::Float(_))) if !is_zero_default(d) => {
            let e = field_default(f);
            quote!(#got.unwrap_or(#e))
        }
        Some(d) if !is_zero_default(d) => {
            let e = field_default(f);
            quote!(#got.unwrap_or_else(|| #e))
        }
        _ => quote!(#got.unwrap_or_default()),
    }
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

/// Whether `f` is the message of an error structure, which decodes from any of the spellings
/// services use.
fn is_message(s: &ir::Struct, f: &ir::Field) -> bool {
    s.error.as_ref().and_then(|e| e.message_field.as_ref()).is_some_and(|(name, _)| *name == f.rust_name)
}

fn error_impls(name: &proc_macro2::Ident, s: &ir::Struct, e: &ir::ErrorInfo) -> TokenStream {
    let code = &e.code;
    let shared = match &e.message_field {
        Some((field, _)) => {
            let f = ident(field);
            quote!(rt::error_structure!(#name, #code, #f);)
        }
        None => quote!(rt::error_structure!(#name, #code);),
    };
    let headers: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let ir::Binding::Header(header) = &f.binding else { return None };
            let fname = ident(&f.rust_name);
            let read = if f.ty.is_timestamp() {
                let format = format_ident!("{}", f.timestamp_format.unwrap_or(ir::TimestampFormat::HttpDate).runtime_variant());
                quote!(rt::http::header_timestamp(headers, #header, rt::TimestampFormat::#format))
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
    let read_headers = (!headers.is_empty()).then(|| {
        quote! {
            fn read_headers(&mut self, headers: &[(&str, &str)]) {
                #( #headers )*
            }
        }
    });
    quote! {
        impl rt::error::ErrorShape for #name {
            #read_headers
        }
        #shared
    }
}

fn enumeration(def: &ir::TypeDef, e: &ir::Enum, doc: TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let mut vdoc = v.doc.clone().unwrap_or_default();
        if !vdoc.is_empty() {
            vdoc.push_str("\n\n");
        }
        vdoc.push_str(&format!("`{}`", escape_code(&v.value)));
        if v.deprecated {
            vdoc.push_str(" (**deprecated** in the model)");
        }
        let vdoc = doc_attrs(Some(&vdoc));
        let vname = ident(&v.rust_name);
        quote!(#vdoc #vname,)
    });
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let names: Vec<proc_macro2::Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value the model does not list (kept as received).
            #unknown(::std::string::String),
        }
        impl #name {
            /// Every value the model lists, in model order.
            pub const VALUES: &'static [&'static str] = &[ #( #values ),* ];
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #values, )*
                    Self::#unknown(value) => value,
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }
        rt::string_enum!(#name, #unknown);
    }
}

fn escape_code(s: &str) -> String {
    // Inside a code span only backticks matter; enum values never hold one in practice.
    s.replace('`', "'")
}

fn int_enum(def: &ir::TypeDef, e: &ir::IntEnum, doc: TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let mut vdoc = v.doc.clone().unwrap_or_default();
        if !vdoc.is_empty() {
            vdoc.push_str("\n\n");
        }
        vdoc.push_str(&format!("`{}`", v.value));
        if v.deprecated {
            vdoc.push_str(" (**deprecated** in the model)");
        }
        let vdoc = doc_attrs(Some(&vdoc));
        let vname = ident(&v.rust_name);
        quote!(#vdoc #vname,)
    });
    let values: Vec<Literal> = e.variants.iter().map(|v| Literal::i32_unsuffixed(v.value)).collect();
    let names: Vec<proc_macro2::Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value the model does not list (kept as received).
            #unknown(i32),
        }
        impl #name {
            /// Every value the model lists, in model order.
            pub const VALUES: &'static [i32] = &[ #( #values ),* ];
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #( Self::#names => #values, )*
                    Self::#unknown(value) => *value,
                }
            }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::#unknown(other),
                }
            }
        }
        rt::int_enum!(#name);
    }
}

fn union(def: &ir::TypeDef, u: &ir::Union, doc: TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(&u.unknown);
    let variants = u.variants.iter().map(|v| {
        let vdoc = doc_attrs(v.doc.as_deref());
        let vname = ident(&v.rust_name);
        match &v.ty {
            None => quote!(#vdoc #vname,),
            Some(ty) => {
                let mut ty = rust_type(ty);
                if v.boxed {
                    ty = quote!(::std::boxed::Box<#ty>);
                }
                quote!(#vdoc #vname(#ty),)
            }
        }
    });
    let to_value_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let key = &v.member_name;
        let ctor = if v.sensitive { quote!(rt::Member::sensitive) } else { quote!(rt::Member::new) };
        match &v.ty {
            None => quote!(Self::#vname => rt::Value::union(#ctor(#key, &rt::Value::Structure(::std::vec::Vec::new()))),),
            Some(_) => quote!(Self::#vname(value) => rt::Value::union(#ctor(#key, value)),),
        }
    });
    let decoders = {
        let arms = |xml: bool| {
            u.variants
                .iter()
                .map(move |v| {
                    let vname = ident(&v.rust_name);
                    let key = if xml { &v.xml_name } else { &v.json_key };
                    let key_text = key.as_str();
                    let decode = if xml {
                        quote!(rt::xml::FromXml::from_xml(value).map_err(|e| e.at_key(#key_text))?)
                    } else {
                        quote!(rt::json::FromJson::from_json(value).map_err(|e| e.at_key(#key_text))?)
                    };
                    match &v.ty {
                        None => quote!(#key => Self::#vname,),
                        Some(_) => quote!(#key => Self::#vname(#decode),),
                    }
                })
                .collect::<Vec<_>>()
        };
        let unit_only = u.variants.iter().all(|v| v.ty.is_none());
        let value = if unit_only { quote!(_value) } else { quote!(value) };
        let json = def.decode_json.then(|| {
            let json_arms = arms(false);
            quote! {
                impl rt::json::FromJson for #name {
                    fn from_json<J: rt::json::Json>(value: &J) -> ::std::result::Result<Self, rt::DecodeError> {
                        let (key, #value) = rt::json::union_member(value)
                            .ok_or_else(|| rt::DecodeError::new("expected a union: an object with one non-null member"))?;
                        ::std::result::Result::Ok(match key {
                            #( #json_arms )*
                            other => Self::#unknown(other.to_owned()),
                        })
                    }
                }
            }
        });
        let xml = def.decode_xml.then(|| {
            let xml_arms = arms(true);
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
                            #( #xml_arms )*
                            other => Self::#unknown(other.to_owned()),
                        })
                    }
                }
            }
        });
        quote!(#json #xml)
    };
    let encoder = def.encode_json.then(|| {
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
    });
    let query_encoder = def.encode_query.then(|| {
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
    });
    let xml_encoder = def.encode_xml.then(|| {
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
    });
    let cbor_encoder = def.encode_cbor.then(|| {
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
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A member the model does not list, by name (kept as received).
            #unknown(::std::string::String),
        }
        impl ::std::default::Default for #name {
            /// An unknown member with an empty name.
            fn default() -> Self {
                Self::#unknown(::std::string::String::new())
            }
        }
        impl rt::ToValue for #name {
            fn to_value(&self) -> rt::Value {
                match self {
                    #( #to_value_arms )*
                    Self::#unknown(name) => rt::Value::union_unknown(name),
                }
            }
        }
        #decoders
        #encoder
        #query_encoder
        #xml_encoder
        #cbor_encoder
    }
}
