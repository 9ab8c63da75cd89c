//! Rust expressions building values of a generated crate's types from JSON: the `params` of
//! a protocol test case, the `operationParams` of an endpoint test case. The expressions name
//! the crate's types through its identifier and the runtime as `rt`, and build structures from
//! `Default` field by field, as users do (they are `#[non_exhaustive]`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{self, RustType};
use crate::naming::ident;

/// Rust expressions building values of the generated types of `krate` from JSON.
pub(crate) struct Literals<'k> {
    krate: &'k ir::Crate,
    krate_ident: proc_macro2::Ident,
}

impl<'k> Literals<'k> {
    /// The expressions of `krate`'s types, named through the crate's identifier.
    pub(crate) fn new(krate: &'k ir::Crate) -> Self {
        Literals {
            krate,
            krate_ident: ident(&krate.crate_name),
        }
    }

    /// A value of the named type `ty` (an operation's input structure, say) from `value`;
    /// an error says where the JSON does not fit the type.
    pub(crate) fn named(
        &self,
        ty: &ir::TypeRef,
        value: &Value,
        depth: usize,
    ) -> Result<TokenStream, String> {
        self.value(&RustType::Named(ty.clone()), value, depth)
    }

    fn value(&self, ty: &RustType, value: &Value, depth: usize) -> Result<TokenStream, String> {
        if depth > 64 {
            return Err("params nested too deeply".into());
        }
        let mismatch = || format!("the params do not fit {ty:?}: {value}");
        let krate = &self.krate_ident;
        Ok(match ty {
            RustType::Bool => {
                let b = value.as_bool().ok_or_else(mismatch)?;
                quote!(#b)
            }
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                let n = Literal::i64_unsuffixed(value.as_i64().ok_or_else(mismatch)?);
                quote!(#n)
            }
            RustType::F32 | RustType::F64 => {
                let t = if *ty == RustType::F32 {
                    quote!(f32)
                } else {
                    quote!(f64)
                };
                match value {
                    Value::String(s) if s == "NaN" => quote!(#t::NAN),
                    Value::String(s) if s == "Infinity" => quote!(#t::INFINITY),
                    Value::String(s) if s == "-Infinity" => quote!(#t::NEG_INFINITY),
                    _ => {
                        let f = Literal::f64_unsuffixed(value.as_f64().ok_or_else(mismatch)?);
                        quote!(#f as #t)
                    }
                }
            }
            RustType::String => {
                let s = value.as_str().ok_or_else(mismatch)?;
                quote!(::std::string::String::from(#s))
            }
            RustType::Blob => {
                let bytes = Literal::byte_string(value.as_str().ok_or_else(mismatch)?.as_bytes());
                quote!(rt::Blob::from(&#bytes[..]))
            }
            RustType::Timestamp => {
                let f = Literal::f64_unsuffixed(value.as_f64().ok_or_else(mismatch)?);
                quote!(rt::Timestamp::from_epoch_seconds_f64(#f).unwrap())
            }
            RustType::Document => {
                let text = value.to_string();
                quote!(rt::Document::from(rt::serde_json::from_str::<rt::serde_json::Value>(#text).unwrap()))
            }
            RustType::BigInteger | RustType::BigDecimal => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => return Err(mismatch()),
                };
                let t = if *ty == RustType::BigInteger {
                    quote!(rt::BigInteger)
                } else {
                    quote!(rt::BigDecimal)
                };
                quote!(#t::new(#text).unwrap())
            }
            RustType::List { item, sparse, .. } => {
                let items = value.as_array().ok_or_else(mismatch)?;
                let items = items
                    .iter()
                    .map(|v| self.entry(item, *sparse, v, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(::std::vec![ #( #items ),* ])
            }
            RustType::Map {
                key,
                value: value_ty,
                sparse,
                ..
            } => {
                let object = value.as_object().ok_or_else(mismatch)?;
                let entries = object
                    .iter()
                    .map(|(k, v)| {
                        let k = self.value(key, &Value::String(k.clone()), depth + 1)?;
                        let v = self.entry(value_ty, *sparse, v, depth + 1)?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                quote!([ #( #entries ),* ].into_iter().collect::<::std::collections::BTreeMap<_, _>>())
            }
            RustType::Named(r) => {
                let name = ident(&r.rust_name);
                match &r.kind {
                    ir::NamedKind::Alias(inner) => self.value(inner, value, depth)?,
                    ir::NamedKind::Enum => {
                        let s = value.as_str().ok_or_else(mismatch)?;
                        quote!(#krate::types::#name::from(#s))
                    }
                    ir::NamedKind::IntEnum => {
                        let n = Literal::i32_unsuffixed(
                            value
                                .as_i64()
                                .and_then(|n| i32::try_from(n).ok())
                                .ok_or_else(mismatch)?,
                        );
                        quote!(#krate::types::#name::from(#n))
                    }
                    ir::NamedKind::Struct => {
                        let object = value.as_object().ok_or_else(mismatch)?;
                        let s = self
                            .krate
                            .structure(&r.rust_name)
                            .ok_or_else(|| format!("no structure {}", r.rust_name))?;
                        let mut fields = Vec::new();
                        for (key, v) in object {
                            let f =
                                s.fields.iter().find(|f| f.member_name == *key).ok_or_else(
                                    || format!("{} has no member {key}", r.rust_name),
                                )?;
                            if v.is_null() {
                                continue;
                            }
                            let fname = ident(&f.rust_name);
                            let mut e = self.value(&f.ty, v, depth + 1)?;
                            if f.boxed {
                                e = quote!(::std::boxed::Box::new(#e));
                            }
                            if f.optional {
                                e = quote!(::std::option::Option::Some(#e));
                            }
                            fields.push(quote!(value.#fname = #e;));
                        }
                        // Generated structures are `#[non_exhaustive]`: built from `Default`,
                        // field by field, as users build them.
                        if fields.is_empty() {
                            quote!(<#krate::types::#name as ::std::default::Default>::default())
                        } else {
                            quote!({
                                let mut value = <#krate::types::#name as ::std::default::Default>::default();
                                #( #fields )*
                                value
                            })
                        }
                    }
                    ir::NamedKind::Union => {
                        let object = value.as_object().ok_or_else(mismatch)?;
                        let (key, v) = object.iter().next().ok_or_else(mismatch)?;
                        let def = self
                            .krate
                            .type_def(&r.rust_name)
                            .ok_or_else(|| format!("no union {}", r.rust_name))?;
                        let ir::TypeKind::Union(u) = &def.kind else {
                            return Err(format!("{} is not a union", r.rust_name));
                        };
                        let variant = u
                            .variants
                            .iter()
                            .find(|x| x.member_name == *key)
                            .ok_or_else(|| format!("{} has no member {key}", r.rust_name))?;
                        let vname = ident(&variant.rust_name);
                        match &variant.ty {
                            None => quote!(#krate::types::#name::#vname),
                            Some(ty) => {
                                let mut e = self.value(ty, v, depth + 1)?;
                                if variant.boxed {
                                    e = quote!(::std::boxed::Box::new(#e));
                                }
                                quote!(#krate::types::#name::#vname(#e))
                            }
                        }
                    }
                }
            }
        })
    }

    /// An entry of a list or map: `Some`/`None` in a sparse one.
    fn entry(
        &self,
        ty: &RustType,
        sparse: bool,
        value: &Value,
        depth: usize,
    ) -> Result<TokenStream, String> {
        if !sparse {
            return self.value(ty, value, depth);
        }
        if value.is_null() {
            return Ok(quote!(::std::option::Option::None));
        }
        let e = self.value(ty, value, depth)?;
        Ok(quote!(::std::option::Option::Some(#e)))
    }
}
