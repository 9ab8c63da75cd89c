//! `src/error.rs`: one error enum per operation, decoding from JSON, XML and whole HTTP
//! responses through the runtime's shared machinery.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::ir;
use crate::naming::{self, ident};

/// The head of `src/error.rs`; [`operation_error`] gives its items. `types` is imported only
/// when some operation declares an error (documentation links use full paths).
pub fn error_rs_head(operations: &[ir::Operation]) -> TokenStream {
    let types = operations.iter().any(|op| !op.errors.is_empty()).then(|| quote!(use crate::types;));
    quote! {
        //! One error enum per operation: a case per error the operation can return (its own and
        //! the service's), and a case for codes the model does not declare.
        use ::smithy_runtime as rt;
        #types
    }
}

pub fn operation_error(op: &ir::Operation, protocol: ir::Protocol) -> TokenStream {
    let xml_decoder = protocol.is_xml().then(|| {
        let name = ident(&op.error_enum);
        quote!(rt::xml_operation_error!(#name);)
    });
    let xml = protocol.is_xml();
    let protocol = format_ident!("{}", protocol.runtime_variant());
    let protocol = &protocol;
    let name = ident(&op.error_enum);
    let unknown = ident(&op.unknown);
    let mut doc = format!("Errors of the `{}` operation", op.name);
    let io: Vec<String> = [("input", &op.input), ("output", &op.output)]
        .iter()
        .filter_map(|(what, ty)| ty.as_ref().map(|t| format!("{what} [`{0}`](crate::types::{0})", t.rust_name)))
        .collect();
    if !io.is_empty() {
        doc.push_str(&format!(" ({})", io.join(", ")));
    }
    doc.push('.');
    if let Some(summary) = &op.summary {
        doc.push_str(&format!("\n\n{summary}"));
    }
    let decoders = if xml {
        format!("[`{0}::from_response`], [`{0}::from_json`] or [`{0}::from_xml`]", op.error_enum)
    } else {
        format!("[`{0}::from_response`] or [`{0}::from_json`]", op.error_enum)
    };
    doc.push_str(&format!(
        "\n\nDecode one with {decoders}, or a whole response with [`{0}`](crate::operations::{0}).",
        op.name
    ));
    let doc = doc_attrs(Some(&doc));
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = ident(&e.type_name);
        // One line: the first paragraph when it is short (the full text is on the structure).
        let summary = e
            .doc
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| p.len() <= 160 && !p.starts_with(['-', '`', '*']))
            .unwrap_or_default();
        let vdoc = if summary.is_empty() {
            format!("See [`{0}`](types::{0}).", e.type_name)
        } else {
            format!("{summary} See [`{0}`](types::{0}).", e.type_name)
        };
        let vdoc = doc_attrs(Some(&vdoc));
        quote!(#vdoc #v(types::#t),)
    });
    let decode_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .filter(|e| !e.codes.is_empty())
        .map(|e| {
            let v = ident(&e.variant);
            let codes = &e.codes;
            quote!(#( #codes )|* => Self::#v(body.shape(headers)),)
        })
        .collect();
    // Without a declared error there is nothing to match on (clippy::match_single_binding).
    let unknown_error = quote!(Self::#unknown(rt::error::unknown(code, body, status)));
    let decode_body = if decode_arms.is_empty() {
        unknown_error
    } else {
        quote! {
            match rt::error::sanitize_code(code) {
                #( #decode_arms )*
                _ => #unknown_error,
            }
        }
    };
    let variant_names = op.errors.iter().map(|e| ident(&e.variant));
    let malformed = ident(&op.malformed);
    let is_methods = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let method = ident(&naming::is_method(&e.variant));
        let mdoc = format!(" Whether this is a [`{0}`](types::{0}).", e.type_name);
        quote! {
            #[doc = #mdoc]
            pub fn #method(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    let is_methods = (!op.errors.is_empty()).then(|| quote!(impl #name { #( #is_methods )* }));
    let headers = if !decode_arms.is_empty() { quote!(headers) } else { quote!(_headers) };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// An error the model does not declare for this operation: its code and message.
            #unknown(rt::error::UnknownError),
            /// A success response whose body does not fit the operation's output.
            #malformed(rt::operation::MalformedResponse),
        }
        #is_methods
        rt::operation_error!(#name, [#( #variant_names ),*], #unknown, #malformed);
        #xml_decoder
        impl rt::error::OperationError for #name {
            const PROTOCOL: rt::error::Protocol = rt::error::Protocol::#protocol;
            fn decode(
                code: &str,
                body: &rt::error::ErrorBody<'_, '_>,
                #headers: &[(&str, &str)],
                status: ::std::option::Option<u16>,
            ) -> Self {
                #decode_body
            }
            fn malformed(error: rt::operation::MalformedResponse) -> Self {
                Self::#malformed(error)
            }
        }
    }
}
