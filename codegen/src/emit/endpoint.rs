//! `src/endpoint.rs`: the service's endpoint rules as the runtime runs them. The ruleset and
//! the partition table are string constants that `rt::endpoint::LazyRuleSet` compiles on first
//! use; [`Params`], `Config` and `resolve` are typed from the ruleset's parameters. Beside
//! it, [`endpoint_params`] writes each operation's `endpoint_params`, which fills the params
//! from its input (paths compiled at lowering into [`ir::ContextPath`]s).

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_attrs;
use crate::ir::{self, Access, BindingValue, Leaf, ListOp, ListStart, ParamDefault, ParamType};
use crate::naming::ident;

/// The macro writing `endpoint_params` for operations that bind no param to their input: one
/// line per such operation instead of an impl block. Written as text: a formatter would
/// reflow its `$` fragments.
const MACRO: &str = r#"
/// Writes `endpoint_params` for an operation that binds no endpoint param to its input:
/// `endpoint_params!(Operation, InputType);`.
macro_rules! endpoint_params {
    ($operation:ty, $input:ty) => {
        impl $operation {
            /// The endpoint [`Params`](crate::endpoint::Params) of a call: those of `config`,
            /// else the defaults ([`Params::from_config`](crate::endpoint::Params::from_config)).
            /// The operation binds no param to its input.
            #[inline]
            pub fn endpoint_params(_input: &$input, config: &crate::endpoint::Config) -> crate::endpoint::Params {
                crate::endpoint::Params::from_config(config)
            }
        }
    };
}

pub(crate) use endpoint_params;
"#;

/// `text` as a raw string literal (`r#"..."#`, with as many `#` as it needs), which reads
/// better than JSON with every quote escaped.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    literal.parse().unwrap_or_else(|_| quote!(#text))
}

fn param_type(kind: ParamType) -> TokenStream {
    match kind {
        ParamType::String => quote!(::std::string::String),
        ParamType::Boolean => quote!(bool),
        ParamType::StringArray => quote!(::std::vec::Vec<::std::string::String>),
    }
}

fn value(v: &ParamDefault) -> TokenStream {
    match v {
        ParamDefault::String(s) => quote!(#s.to_owned()),
        ParamDefault::Boolean(b) => quote!(#b),
        ParamDefault::StringArray(items) if items.is_empty() => quote!(::std::vec::Vec::new()),
        ParamDefault::StringArray(items) => quote!(::std::vec![ #( #items.to_owned() ),* ]),
    }
}

fn value_text(v: &ParamDefault) -> String {
    match v {
        ParamDefault::String(s) => format!("`{s:?}`"),
        ParamDefault::Boolean(b) => format!("`{b}`"),
        ParamDefault::StringArray(items) => format!("`{items:?}`"),
    }
}

/// The text of `src/endpoint.rs` (unformatted tokens, and the macro's text to append).
pub fn endpoint_rs(krate: &ir::Crate, e: &ir::Endpoints) -> (TokenStream, &'static str) {
    // The macro only where an operation uses it (an unused one is a warning).
    let macro_text = if krate
        .operations
        .iter()
        .any(|op| op.endpoint_bindings.is_empty())
    {
        MACRO
    } else {
        ""
    };
    let title = &krate.service.title;
    let head_doc = format!(
        "Endpoint resolution for {title}, by the service's endpoint rules (`smithy.rules#endpointRuleSet`).\n\n\
         Fill a [`Params`] (from a [`Config`] with [`Params::from_config`], or from a call's input with \
         its operation type's `endpoint_params`), and [`resolve`] it into an \
         [`Endpoint`](rt::endpoint::Endpoint): the URL, its headers, and its properties (the \
         `authSchemes` the request is signed by). A rule that refuses the params gives an \
         [`EndpointError`](rt::endpoint::EndpointError) with the rule's message. The rules are compiled \
         on first use."
    );
    let head_doc = head_doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    let rules = raw_string(&e.rules_json);
    let partitions = raw_string(&e.partitions_json);

    let fields = e.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = param_type(p.kind);
        let ty = if p.default.is_some() {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let mut doc = p
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` parameter.", p.name));
        doc.push_str(&format!("\n\nRuleset parameter `{}`", p.name));
        if p.required {
            doc.push_str(", required");
        }
        doc.push('.');
        if let Some(b) = &p.built_in {
            doc.push_str(&format!(" Built-in `{b}`."));
        }
        if let Some(f) = &p.config_field {
            doc.push_str(&format!(
                " Set from [`Config::{}`].",
                f.trim_start_matches("r#")
            ));
        }
        if let Some(d) = &p.default {
            doc.push_str(&format!(" Default: {}.", value_text(d)));
        }
        if let Some(msg) = &p.deprecated {
            doc.push_str("\n\n**Deprecated**");
            if !msg.is_empty() {
                doc.push_str(&format!(": {msg}"));
            }
            if !doc.ends_with(['.', '!', '?']) {
                doc.push('.');
            }
        }
        let doc = doc_attrs(Some(&doc));
        quote! { #doc pub #name: #ty, }
    });
    let derivable = e
        .params
        .iter()
        .all(|p| matches!(p.default, None | Some(ParamDefault::Boolean(false))));
    let defaults = e.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        match &p.default {
            Some(d) => {
                let v = value(d);
                quote!(#name: #v,)
            }
            None => quote!(#name: ::std::option::Option::None,),
        }
    });
    let (derive_default, default_impl) = if derivable {
        (quote!(Default,), None)
    } else {
        (
            quote!(),
            Some(quote! {
                impl ::std::default::Default for Params {
                    /// Every parameter at its default; those without one unset.
                    fn default() -> Self {
                        Params { #( #defaults )* }
                    }
                }
            }),
        )
    };
    let from_config = e.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let Some(field) = &p.config_field else {
            return match &p.default {
                Some(d) => {
                    let v = value(d);
                    quote!(#name: #v,)
                }
                None => quote!(#name: ::std::option::Option::None,),
            };
        };
        let field = ident(field);
        match (&p.default, p.kind) {
            (None, ParamType::Boolean) => quote!(#name: config.#field,),
            (None, _) => quote!(#name: config.#field.clone(),),
            (Some(ParamDefault::Boolean(b)), _) => quote!(#name: config.#field.unwrap_or(#b),),
            (Some(d), _) => {
                let v = value(d);
                quote!(#name: config.#field.clone().unwrap_or_else(|| #v),)
            }
        }
    });
    let args = e.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        match (p.kind, p.default.is_some()) {
            (ParamType::String, true) => {
                quote!(::std::option::Option::Some(rt::endpoint::Arg::Str(&params.#name)))
            }
            (ParamType::String, false) => {
                quote!(params.#name.as_deref().map(rt::endpoint::Arg::Str))
            }
            (ParamType::Boolean, true) => {
                quote!(::std::option::Option::Some(rt::endpoint::Arg::Bool(params.#name)))
            }
            (ParamType::Boolean, false) => quote!(params.#name.map(rt::endpoint::Arg::Bool)),
            (ParamType::StringArray, true) => {
                quote!(::std::option::Option::Some(rt::endpoint::Arg::StrArray(&params.#name)))
            }
            (ParamType::StringArray, false) => {
                quote!(params.#name.as_deref().map(rt::endpoint::Arg::StrArray))
            }
        }
    });
    let config_fields = e.config.iter().map(|f| {
        let name = ident(&f.rust_name);
        let ty = param_type(f.kind);
        let mut doc = match (&f.built_in, &f.client_param) {
            (Some(b), Some(c)) => {
                format!("The built-in `{b}` (also the client context param `{c}`).")
            }
            (Some(b), None) => format!("The built-in `{b}`."),
            (None, Some(c)) => format!("The client context param `{c}`."),
            (None, None) => String::new(),
        };
        if let Some(d) = &f.doc {
            doc.push_str("\n\n");
            doc.push_str(d);
        }
        let doc = doc_attrs(Some(&doc));
        quote! { #doc pub #name: ::std::option::Option<#ty>, }
    });
    let tokens = quote! {
        #( #![doc = #head_doc] )*
        use ::smithy_runtime as rt;

        /// The endpoint rules (`smithy.rules#endpointRuleSet`), as JSON without their documentation.
        pub const RULES: &str = #rules;

        /// The AWS partition table the rules' `aws.partition` looks regions up in, as JSON.
        pub const PARTITIONS: &str = #partitions;

        /// [`RULES`] and [`PARTITIONS`], compiled on first use.
        static RULE_SET: rt::endpoint::LazyRuleSet = rt::endpoint::LazyRuleSet::new(RULES, PARTITIONS);

        /// The parameters of the endpoint rules. [`Default`] gives each its default (the others unset),
        /// [`Params::from_config`] takes them from a [`Config`].
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct Params {
            #( #fields )*
        }

        #default_impl

        impl Params {
            /// The params a [`Config`] gives: its values, and each parameter's default where it has none.
            pub fn from_config(config: &Config) -> Params {
                Params { #( #from_config )* }
            }
        }

        /// What a client is configured with that the endpoint rules read: the built-ins they bind and the
        /// service's client context params (`smithy.rules#clientContextParams`). Unset values take the
        /// parameters' defaults.
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct Config {
            #( #config_fields )*
        }

        /// Resolves the endpoint for `params` by the rules: the [`Endpoint`](rt::endpoint::Endpoint), or the
        /// [`EndpointError`](rt::endpoint::EndpointError) of the rule that refused them (or of a required
        /// parameter left unset).
        pub fn resolve(params: &Params) -> ::std::result::Result<rt::endpoint::Endpoint, rt::endpoint::EndpointError> {
            RULE_SET.resolve(&[ #( #args ),* ])
        }
    };
    (tokens, macro_text)
}

/// An operation's `endpoint_params`: the `endpoint_params!` line when it binds nothing, else
/// an impl filling the params from its input.
pub fn endpoint_params(op: &ir::Operation) -> TokenStream {
    let name = ident(&op.name);
    let input = match &op.input {
        Some(t) => {
            let t = ident(&t.rust_name);
            quote!(types::#t)
        }
        None => quote!(()),
    };
    if op.endpoint_bindings.is_empty() {
        return quote!(crate::endpoint::endpoint_params!(#name, #input););
    }
    let reads_input = op
        .endpoint_bindings
        .iter()
        .any(|b| matches!(b.value, BindingValue::Path(_)));
    let input_arg = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let steps = op.endpoint_bindings.iter().map(|b| {
        let field = ident(&b.param);
        let set = |v: TokenStream| {
            if b.param_optional {
                quote!(::std::option::Option::Some(#v))
            } else {
                v
            }
        };
        match &b.value {
            BindingValue::Static(v) => {
                let v = set(value(v));
                quote!(params.#field = #v;)
            }
            BindingValue::Path(path) => match path_value(path) {
                Value::Always(v) => {
                    let v = set(v);
                    quote!(params.#field = #v;)
                }
                Value::Maybe(v) => {
                    let set = set(quote!(value));
                    quote! {
                        if let ::std::option::Option::Some(value) = #v {
                            params.#field = #set;
                        }
                    }
                }
                Value::MaybeRef { opt, owned } => {
                    let set = set(owned);
                    quote! {
                        if let ::std::option::Option::Some(value) = #opt {
                            params.#field = #set;
                        }
                    }
                }
            },
        }
    });
    let doc = format!(
        "The endpoint [`Params`](crate::endpoint::Params) of a call of `{}`: those of `config` (else the \
         defaults), then what the operation binds: {}. A member left unset keeps the value before it.",
        op.wire_name,
        describe_bindings(op)
    );
    let doc = doc_attrs(Some(&doc));
    quote! {
        impl #name {
            #doc
            pub fn endpoint_params(#input_arg: &#input, config: &crate::endpoint::Config) -> crate::endpoint::Params {
                let mut params = crate::endpoint::Params::from_config(config);
                #( #steps )*
                params
            }
        }
    }
}

fn describe_bindings(op: &ir::Operation) -> String {
    let parts: Vec<String> = op
        .endpoint_bindings
        .iter()
        .map(|b| match &b.value {
            BindingValue::Static(v) => {
                format!("`{}` = {}", b.param.trim_start_matches("r#"), value_text(v))
            }
            BindingValue::Path(_) => {
                format!("`{}` from the input", b.param.trim_start_matches("r#"))
            }
        })
        .collect();
    parts.join(", ")
}

/// A path's value: always there (a required member), or an `Option`.
enum Value {
    Always(TokenStream),
    Maybe(TokenStream),
    /// An `Option<&T>` (or `&Option<T>`), and the owned value from its `value: &T`.
    MaybeRef {
        opt: TokenStream,
        owned: TokenStream,
    },
}

/// Where a walk of accesses is: a place (`input.a.b`, always there) or an `Option<&T>`.
#[derive(Clone)]
enum At {
    /// `is_ref`: the place is a reference itself (the root), not a field of one.
    Place {
        expr: TokenStream,
        boxed: bool,
        is_ref: bool,
    },
    Opt(TokenStream),
}

fn variant_match(union: &str, variant: &str, boxed: bool, value: TokenStream) -> TokenStream {
    let union = ident(union);
    let variant = ident(variant);
    let inner = if boxed {
        quote!(&**inner)
    } else {
        quote!(inner)
    };
    quote! {
        match #value {
            types::#union::#variant(inner) => ::std::option::Option::Some(#inner),
            _ => ::std::option::Option::None,
        }
    }
}

/// `At` a reference.
fn root(expr: TokenStream) -> At {
    At::Place {
        expr,
        boxed: false,
        is_ref: true,
    }
}

/// Walks `accesses` from `at`.
fn walk(mut at: At, accesses: &[Access]) -> At {
    for a in accesses {
        at = match (at, a) {
            (
                At::Place { expr, .. },
                Access::Field {
                    rust_name,
                    optional: false,
                    boxed,
                },
            ) => {
                let f = ident(rust_name);
                At::Place {
                    expr: quote!(#expr.#f),
                    boxed: *boxed,
                    is_ref: false,
                }
            }
            (
                At::Place { expr, .. },
                Access::Field {
                    rust_name,
                    optional: true,
                    boxed,
                },
            ) => {
                let f = ident(rust_name);
                At::Opt(if *boxed {
                    quote!(#expr.#f.as_deref())
                } else {
                    quote!(#expr.#f.as_ref())
                })
            }
            (
                At::Place {
                    expr,
                    boxed,
                    is_ref,
                },
                Access::Variant {
                    union,
                    variant,
                    boxed: vb,
                },
            ) => {
                let value = match (is_ref, boxed) {
                    (true, _) => expr,
                    (false, true) => quote!(&*#expr),
                    (false, false) => quote!(&#expr),
                };
                At::Opt(variant_match(union, variant, *vb, value))
            }
            (
                At::Opt(expr),
                Access::Field {
                    rust_name,
                    optional: false,
                    boxed,
                },
            ) => {
                let f = ident(rust_name);
                let r = if *boxed {
                    quote!(&*v.#f)
                } else {
                    quote!(&v.#f)
                };
                At::Opt(quote!(#expr.map(|v| #r)))
            }
            (
                At::Opt(expr),
                Access::Field {
                    rust_name,
                    optional: true,
                    boxed,
                },
            ) => {
                let f = ident(rust_name);
                let r = if *boxed {
                    quote!(v.#f.as_deref())
                } else {
                    quote!(v.#f.as_ref())
                };
                At::Opt(quote!(#expr.and_then(|v| #r)))
            }
            (
                At::Opt(expr),
                Access::Variant {
                    union,
                    variant,
                    boxed,
                },
            ) => {
                let m = variant_match(union, variant, *boxed, quote!(v));
                At::Opt(quote!(#expr.and_then(|v| #m)))
            }
        };
    }
    at
}

/// A reference to what `at` reaches, as an expression (for a place) or an `Option<&T>`.
fn reference(at: At) -> Value {
    match at {
        At::Place {
            expr, is_ref: true, ..
        } => Value::Always(expr),
        At::Place {
            expr, boxed: true, ..
        } => Value::Always(quote!(&*#expr)),
        At::Place {
            expr, boxed: false, ..
        } => Value::Always(quote!(&#expr)),
        At::Opt(expr) => Value::Maybe(expr),
    }
}

/// One multi-select item from `root`, as an `Option<&str>`.
fn select_item(root: At, accesses: &[Access], leaf: Leaf) -> TokenStream {
    let as_str = match leaf {
        Leaf::Enum => quote!(|v| v.as_str()),
        _ => quote!(::std::string::String::as_str),
    };
    // A last required field after an `Option` is read in the same closure.
    if let Some((
        Access::Field {
            rust_name,
            optional: false,
            boxed: false,
        },
        before,
    )) = accesses.split_last()
    {
        if let At::Opt(o) = walk(root.clone(), before) {
            let f = ident(rust_name);
            return quote!(#o.map(|v| v.#f.as_str()));
        }
    }
    match walk(root, accesses) {
        At::Place { expr, .. } => quote!(::std::option::Option::Some(#expr.as_str())),
        At::Opt(o) => quote!(#o.map(#as_str)),
    }
}

/// The value of a path from `input`.
fn path_value(path: &ir::ContextPath) -> Value {
    let at = walk(root(quote!(input)), &path.head);
    let Some(list) = &path.list else {
        return match at {
            At::Place { expr, .. } => Value::Always(match path.leaf {
                Leaf::Bool => quote!(#expr),
                Leaf::Enum => quote!(#expr.as_str().to_owned()),
                Leaf::String => quote!(#expr.clone()),
            }),
            At::Opt(o) => {
                // A last optional field of a place is matched as `&place.field`.
                let opt = match path.head.split_last() {
                    Some((
                        Access::Field {
                            rust_name,
                            optional: true,
                            boxed: false,
                        },
                        before,
                    )) => match walk(root(quote!(input)), before) {
                        At::Place { expr, .. } => {
                            let f = ident(rust_name);
                            quote!(&#expr.#f)
                        }
                        At::Opt(_) => o,
                    },
                    _ => o,
                };
                let owned = match path.leaf {
                    Leaf::Bool => quote!(*value),
                    Leaf::String => quote!(value.clone()),
                    Leaf::Enum => quote!(value.as_str().to_owned()),
                };
                Value::MaybeRef { opt, owned }
            }
        };
    };
    // `r`: what the list is made of, as a place or reference (methods autoref), and `at` where
    // the multi-select's paths start.
    let items = |r: TokenStream, at: &dyn Fn() -> At| -> TokenStream {
        let mut it = match &list.start {
            ListStart::Items { sparse: false } => quote!(#r.iter()),
            ListStart::Items { sparse: true } => quote!(#r.iter().flatten()),
            ListStart::Keys => quote!(#r.keys()),
            ListStart::Select(items) => {
                let items = items.iter().map(|(a, l)| select_item(at(), a, *l));
                quote!([ #( #items ),* ].into_iter().flatten())
            }
        };
        for op in &list.ops {
            it = match op {
                ListOp::Access(a) => {
                    match reference(walk(root(quote!(v)), std::slice::from_ref(a))) {
                        Value::Always(r) => quote!(#it.map(|v| #r)),
                        Value::Maybe(o) | Value::MaybeRef { opt: o, .. } => {
                            quote!(#it.filter_map(|v| #o))
                        }
                    }
                }
                ListOp::Flatten { sparse: false } => quote!(#it.flatten()),
                ListOp::Flatten { sparse: true } => quote!(#it.flatten().flatten()),
                ListOp::Select(items) => {
                    let items = items
                        .iter()
                        .map(|(a, l)| select_item(root(quote!(v)), a, *l));
                    quote!(#it.flat_map(|v| [ #( #items ),* ]).flatten())
                }
            };
        }
        let owned = match path.leaf {
            Leaf::Enum => quote!(.map(|v| v.as_str().to_owned())),
            _ => quote!(.map(::std::borrow::ToOwned::to_owned)),
        };
        quote!(#it #owned .collect::<::std::vec::Vec<_>>())
    };
    match at {
        At::Place {
            expr,
            boxed,
            is_ref,
        } => {
            let place = || At::Place {
                expr: expr.clone(),
                boxed,
                is_ref,
            };
            Value::Always(items(expr.clone(), &place))
        }
        At::Opt(o) => {
            let items = items(quote!(list), &|| root(quote!(list)));
            Value::Maybe(quote!(#o.map(|list| #items)))
        }
    }
}
