//! `src/types.rs`: one item per shape (structures, enums, unions), with its defaults, its
//! `to_value` and, for error structures, the error impls. Each wire format's writer and
//! reader of a shape comes from that format's module ([`super::json`], [`super::xml`],
//! [`super::query`], [`super::cbor`]); the helpers every format's decoder shares are here.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{cbor, doc_attrs, json, query, rest, rust_type, xml};
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
    // An error structure without a message member gets a field for the message its body
    // carries (see the README's "Operation errors").
    let generated_message = s.error.as_ref().and_then(|e| e.generated_message.as_deref()).map(ident);
    let message_field = generated_message.as_ref().map(|m| {
        quote! {
            /// The message the error body carries. Not a member of the model, which gives
            /// this error none: the generator adds it so that the message is kept (see the
            /// README's "Operation errors").
            pub #m: ::std::option::Option<::std::string::String>,
        }
    });
    let fields = fields.chain(message_field);
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
        let inits = inits.chain(generated_message.as_ref().map(|m| quote!(#m: ::std::option::Option::None,)));
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
    let rest = (required.len() < s.fields.len() || generated_message.is_some()).then(|| quote!(..::std::default::Default::default()));
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
    // The tree holds the model's members only: not the generated message field.
    let to_value = quote! {
        impl rt::ToValue for #name {
            fn to_value(&self) -> rt::Value {
                rt::Value::structure([ #( #members ),* ])
            }
        }
    };

    // The writers and readers of the formats the service's protocol uses.
    let json_decoder = def.decode_json.then(|| json::struct_from_json(&name, s, protocol));
    let xml_decoder = def.decode_xml.then(|| xml::struct_from_xml(&name, s));
    let json_encoder = def.encode_json.then(|| json::struct_to_json(&name, s));
    let query_encoder = def.encode_query.then(|| query::struct_to_query(&name, s));
    let xml_encoder = def.encode_xml.then(|| xml::struct_to_xml(&name, s));
    let cbor_encoder = def.encode_cbor.then(|| cbor::struct_to_cbor(&name, s));
    let error = s.error.as_ref().map(|e| error_impls(&name, s, e, def.decode_xml));
    quote! {
        #doc
        #derives
        pub struct #name { #( #fields )* }
        #default_impl
        #constructor
        #to_value
        #json_decoder
        #xml_decoder
        #json_encoder
        #query_encoder
        #xml_encoder
        #cbor_encoder
        #error
    }
}

/// What a field holds given `got`, the `Option` a decoder read: `got` itself for an optional
/// field, else its value or, when absent, the member's default (or its type's).
pub(super) fn or_default(f: &ir::Field, got: TokenStream) -> TokenStream {
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

/// Body members only: the rest protocols' bound members are read by the operation
/// ([`super::rest`]).
pub(super) fn is_body(f: &ir::Field) -> bool {
    f.binding == ir::Binding::Body
}

/// A member a structure's decoder leaves at its default: one not in the body.
pub(super) fn unbound(f: &ir::Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    quote!(#fname: ::std::default::Default::default(),)
}

/// `got`, a decoder's `Option` of a member's value, boxed as the field is: `Box<T>` decodes
/// through its own impl, but a timestamp helper gives the bare value.
pub(super) fn box_timestamp(f: &ir::Field, got: TokenStream) -> TokenStream {
    if f.boxed && f.ty.is_timestamp() {
        quote!(#got.map(::std::boxed::Box::new))
    } else {
        got
    }
}

/// A member read by `call`, a decoder's `Result<Option<_>>`. An error structure keeps what it
/// can read: a member that does not fit is absent (the message above all must survive);
/// other structures fail with the member's error.
pub(super) fn read_member(s: &ir::Struct, call: TokenStream) -> TokenStream {
    if s.error.is_some() {
        quote!(#call.ok().flatten())
    } else {
        quote!(#call?)
    }
}

/// Whether `f` is the message of an error structure, which decodes from any of the spellings
/// services use.
pub(super) fn is_message(s: &ir::Struct, f: &ir::Field) -> bool {
    s.error.as_ref().and_then(|e| e.message_field.as_ref()).is_some_and(|(name, _)| *name == f.rust_name)
}

/// `xml`: whether the structure reads XML (the XML protocols), which its `ErrorShape` then does
/// by its `FromXml`.
fn error_impls(name: &proc_macro2::Ident, s: &ir::Struct, e: &ir::ErrorInfo, xml: bool) -> TokenStream {
    let code = &e.code;
    let shared = match &e.message_field {
        Some((field, _)) => {
            let f = ident(field);
            quote!(rt::error_structure!(#name, #code, #f);)
        }
        None => quote!(rt::error_structure!(#name, #code);),
    };
    let read_headers = rest::error_read_headers(s);
    let from_xml_error = xml.then(|| {
        quote! {
            fn from_xml_error(element: rt::xml::Element<'_, '_>) -> Self {
                rt::error::xml_shape(element)
            }
        }
    });
    quote! {
        impl rt::error::ErrorShape for #name {
            #read_headers
            #from_xml_error
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
    let json_decoder = def.decode_json.then(|| json::union_from_json(&name, u));
    let xml_decoder = def.decode_xml.then(|| xml::union_from_xml(&name, u));
    let json_encoder = def.encode_json.then(|| json::union_to_json(&name, u));
    let query_encoder = def.encode_query.then(|| query::union_to_query(&name, u));
    let xml_encoder = def.encode_xml.then(|| xml::union_to_xml(&name, u));
    let cbor_encoder = def.encode_cbor.then(|| cbor::union_to_cbor(&name, u));
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
        #json_decoder
        #xml_decoder
        #json_encoder
        #query_encoder
        #xml_encoder
        #cbor_encoder
    }
}

