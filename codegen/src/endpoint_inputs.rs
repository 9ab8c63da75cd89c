//! The `operationInputs` of endpoint test cases as a program: a service's crate, generated as
//! for any user, and a `main` that, for each input, builds the operation's input from its
//! `operationParams` (a Rust literal of the crate's types), the crate's `endpoint::Config` from
//! its `builtInParams` and `clientParams`, and resolves the endpoint the way a real call does:
//! `<Op>::endpoint_params(&input, &config)`, then `endpoint::resolve(&params)`. It prints one
//! JSON line per input, which [`read_line`] reads back; `cargo xtask endpoint-tests` compiles
//! and runs it and compares each result with the case's expectation.
//!
//! The `Config` field of a built-in or client context parameter is the generated crate's (named
//! by [`naming::endpoint_config_field`](crate::naming::endpoint_config_field)), with its type; a
//! built-in the ruleset does not bind is left out, as it cannot change the endpoint. An input that cannot be written (an operation the
//! service lacks, params that do not fit the input, a value of the wrong type) is one of the
//! runner's [`Runner::problems`], not a compile error in the program.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};
use smithy_runtime::endpoint::{Endpoint, EndpointError};
use smithy_runtime::Document;

use crate::ir::{self, ParamType};
use crate::literals::Literals;
use crate::model::{shape_name, Model};
use crate::naming::ident;
use crate::{emit, lower, validate, Error, GeneratedCrate, Settings};

/// One operation input of an endpoint test case.
#[derive(Debug, Clone, Copy)]
pub struct InputCase<'a> {
    /// The case's index among the service's cases.
    pub case: usize,
    /// The input's index among the case's `operationInputs`.
    pub input: usize,
    /// `operationName`: the operation's name in the model.
    pub operation_name: &'a str,
    /// `operationParams`: the input structure's members by name.
    pub operation_params: &'a Map<String, Value>,
    /// `builtInParams`: values by built-in name (`AWS::Region`).
    pub built_in_params: &'a Map<String, Value>,
    /// `clientParams`: values by client context parameter name.
    pub client_params: &'a Map<String, Value>,
}

/// A service's crate and the program running its inputs.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The service's crate.
    pub krate: GeneratedCrate,
    /// The program's `src/main.rs`; it depends on the crate (by its package name) and on
    /// `smithy-runtime`.
    pub main: String,
    /// The inputs left out of the program, by (case, input), and why.
    pub problems: Vec<((usize, usize), String)>,
}

/// Generates the crate of `settings.service` (its name and runtime path from `settings`) and
/// the program running `inputs` against it.
pub fn runner(
    model: &Model,
    settings: &Settings,
    inputs: &[InputCase<'_>],
) -> Result<Runner, Error> {
    validate::validate(model, settings)?;
    let krate = lower::lower(model, settings)?;
    let files = emit::emit(&krate)?;
    let endpoints = krate.endpoints.as_ref().ok_or_else(|| {
        Error::new(
            &model.file,
            format!(
                "{}: no endpoint rules to resolve the inputs with",
                krate.service.shape_id
            ),
        )
    })?;
    // The Config fields: each built-in the ruleset binds, each client context parameter.
    let built_ins: BTreeMap<&str, &ir::ConfigField> = endpoints
        .config
        .iter()
        .filter_map(|f| Some((f.built_in.as_deref()?, f)))
        .collect();
    let client: BTreeMap<&str, &ir::ConfigField> = endpoints
        .config
        .iter()
        .filter_map(|f| Some((f.client_param.as_deref()?, f)))
        .collect();
    let literals = Literals::new(&krate);
    let krate_ident = ident(&krate.crate_name);
    let mut calls = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        let call = (|| -> Result<TokenStream, String> {
            let op = krate
                .operations
                .iter()
                .find(|o| shape_name(&o.shape_id) == input.operation_name)
                .ok_or_else(|| format!("the service has no operation {}", input.operation_name))?;
            let params = Value::Object(input.operation_params.clone());
            let value = match &op.input {
                Some(ty) => literals.named(ty, &params, 0)?,
                None if input.operation_params.is_empty() => quote!(()),
                None => {
                    return Err(format!(
                        "{} has no input, but the case gives operationParams",
                        input.operation_name
                    ))
                }
            };
            let mut config = Vec::new();
            for (name, value) in input.built_in_params {
                // A built-in the ruleset does not bind cannot change the endpoint; a client
                // has no setting for it here.
                let Some(field) = built_ins.get(name.as_str()) else {
                    continue;
                };
                config.push(config_field(name, field, value)?);
            }
            for (name, value) in input.client_params {
                let field = client
                    .get(name.as_str())
                    .ok_or_else(|| format!("clientParams names {name}, which is no @clientContextParams of the service"))?;
                config.push(config_field(name, field, value)?);
            }
            let op_ident = ident(&op.name);
            let (case, index) = (input.case, input.input);
            Ok(quote! {
                report(#case, #index, || {
                    let input = #value;
                    #[allow(unused_mut)]
                    let mut config = #krate_ident::endpoint::Config::default();
                    #( #config )*
                    let params = #krate_ident::operations::#op_ident::endpoint_params(&input, &config);
                    #krate_ident::endpoint::resolve(&params)
                });
            })
        })();
        match call {
            Ok(call) => calls.push(call),
            Err(why) => problems.push(((input.case, input.input), why)),
        }
    }
    let file = quote! {
        //! Written by `cargo xtask endpoint-tests`; scratch. Resolves the endpoint of each
        //! operation input of the service's endpoint test cases and prints it as a JSON line.
        #![allow(clippy::all)]
        use ::smithy_runtime as rt;

        /// Runs one input and prints `{"case", "input"}` with `url`, `headers` and `properties`,
        /// or `error` (the resolver's), or `panic`.
        fn report<F>(case: usize, input: usize, run: F)
        where
            F: FnOnce() -> ::std::result::Result<rt::endpoint::Endpoint, rt::endpoint::EndpointError> + ::std::panic::UnwindSafe,
        {
            use rt::serde_json::Value;
            let mut line = rt::serde_json::Map::new();
            line.insert("case".into(), Value::from(case));
            line.insert("input".into(), Value::from(input));
            match ::std::panic::catch_unwind(run) {
                ::std::result::Result::Ok(::std::result::Result::Ok(endpoint)) => {
                    line.insert("url".into(), Value::from(endpoint.url));
                    let headers = endpoint.headers.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
                    line.insert("headers".into(), Value::Object(headers));
                    let properties = endpoint.properties.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
                    line.insert("properties".into(), Value::Object(properties));
                }
                ::std::result::Result::Ok(::std::result::Result::Err(error)) => {
                    line.insert("error".into(), Value::from(error.message()));
                }
                ::std::result::Result::Err(payload) => {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| payload.downcast_ref::<::std::string::String>().cloned())
                        .unwrap_or_else(|| "a panic".into());
                    line.insert("panic".into(), Value::from(message));
                }
            }
            println!("{}", Value::Object(line));
        }

        fn main() {
            ::std::panic::set_hook(::std::boxed::Box::new(|_| {}));
            #( #calls )*
        }
    };
    let main = syn::parse2::<syn::File>(file)
        .map(|f| prettyplease::unparse(&f))
        .map_err(|e| {
            Error::new(
                &model.file,
                format!("internal error: the endpoint test program does not parse: {e}"),
            )
        })?;
    Ok(Runner {
        krate: GeneratedCrate {
            crate_name: krate.crate_name,
            files,
        },
        main,
        problems,
    })
}

/// `config.<field> = Some(<value>);` for the built-in or client context parameter `name`.
fn config_field(name: &str, field: &ir::ConfigField, value: &Value) -> Result<TokenStream, String> {
    let kind = field.kind;
    let field = ident(&field.rust_name);
    let mismatch = || format!("{name} is a {kind:?} parameter, but the case gives {value}");
    let value = match kind {
        ParamType::String => {
            let s = value.as_str().ok_or_else(mismatch)?;
            quote!(::std::string::String::from(#s))
        }
        ParamType::Boolean => {
            let b = value.as_bool().ok_or_else(mismatch)?;
            quote!(#b)
        }
        ParamType::StringArray => {
            let items = value.as_array().ok_or_else(mismatch)?;
            let items = items
                .iter()
                .map(|v| v.as_str().map(Literal::string).ok_or_else(mismatch))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::vec![ #( ::std::string::String::from(#items) ),* ])
        }
    };
    Ok(quote!(config.#field = ::std::option::Option::Some(#value);))
}

/// What the resolver gave for one input.
pub type InputResult = Result<Endpoint, EndpointError>;

/// What the program printed for one input: the resolver's result, or why it has none (the
/// input panicked).
pub type InputOutcome = Result<InputResult, String>;

/// Reads one line the program printed: (case, input) and the resolver's result, or what went
/// wrong (the input panicked, or the line is not the program's).
pub fn read_line(line: &str) -> Result<((usize, usize), InputOutcome), String> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| format!("not a result line ({e}): {line}"))?;
    let index = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let (Some(case), Some(input)) = (index("case"), index("input")) else {
        return Err(format!("a result line without case and input: {line}"));
    };
    let result = if let Some(message) = value.get("panic").and_then(Value::as_str) {
        Err(format!("panicked: {message}"))
    } else if let Some(message) = value.get("error").and_then(Value::as_str) {
        Ok(Err(EndpointError::new(message)))
    } else {
        let url = value
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("a result line without url: {line}"))?;
        let mut headers = BTreeMap::new();
        for (name, values) in value
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let values = values
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("a header value is not a string: {line}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            headers.insert(name.clone(), values);
        }
        let properties = value
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Document::from(v)))
            .collect::<std::collections::BTreeMap<_, _>>();
        Ok(Ok(Endpoint {
            url: url.to_owned(),
            headers,
            properties: properties.into(),
        }))
    };
    Ok(((case, input), result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_programs_lines() {
        let line = r#"{"case":3,"input":1,"url":"https://a.example.com","headers":{"x-a":["1","2"]},"properties":{"authSchemes":[{"name":"sigv4"}]}}"#;
        let ((case, input), result) = read_line(line).unwrap();
        assert_eq!((case, input), (3, 1));
        let endpoint = result.unwrap().unwrap();
        assert_eq!(endpoint.url, "https://a.example.com");
        assert_eq!(
            endpoint.headers.get("x-a"),
            Some(&vec!["1".to_owned(), "2".to_owned()])
        );
        assert_eq!(
            endpoint
                .properties
                .get("authSchemes")
                .map(Document::to_json),
            Some(serde_json::json!([{"name": "sigv4"}]))
        );
        let ((_, _), error) =
            read_line(r#"{"case":0,"input":0,"error":"Invalid Configuration: Missing Region"}"#)
                .unwrap();
        assert_eq!(
            error.unwrap().unwrap_err().message(),
            "Invalid Configuration: Missing Region"
        );
        let ((_, _), panicked) = read_line(r#"{"case":0,"input":0,"panic":"boom"}"#).unwrap();
        assert_eq!(panicked.unwrap_err(), "panicked: boom");
        assert!(read_line("warning: x").is_err());
        assert!(read_line(r#"{"case":0}"#).is_err());
    }

    #[test]
    fn config_fields_by_type() {
        let field = |name: &str, kind, value: Value| {
            let f = ir::ConfigField {
                rust_name: "f".into(),
                kind,
                built_in: None,
                client_param: None,
                doc: None,
            };
            config_field(name, &f, &value).map(|t| t.to_string())
        };
        assert!(field("AWS::UseFIPS", ParamType::Boolean, Value::from("x"))
            .unwrap_err()
            .contains("AWS::UseFIPS"));
        assert!(
            field("AWS::Region", ParamType::String, Value::from("us-east-1"))
                .unwrap()
                .contains("\"us-east-1\"")
        );
        assert!(field("X", ParamType::StringArray, serde_json::json!(["a", 1])).is_err());
    }
}
