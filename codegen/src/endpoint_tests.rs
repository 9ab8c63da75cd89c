//! The cases of a `smithy.rules#endpointTests` trait and how to run them against a compiled
//! [`RuleSet`]: [`cases`] reads them, [`resolve_json`] resolves a case's params given as JSON,
//! [`check`] compares the result with what the case expects, exactly.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use smithy_runtime::endpoint::{Arg, Endpoint, EndpointError, ParamType, RuleSet};

/// One test case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its `documentation` (empty when it has none).
    pub documentation: String,
    /// The ruleset parameters by name.
    pub params: Map<String, Value>,
    /// What resolving them gives.
    pub expect: Expect,
    /// The operation calls that must give the same params.
    pub operation_inputs: Vec<OperationInput>,
}

/// What a case expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// An endpoint, compared exactly.
    Endpoint {
        /// The URL.
        url: String,
        /// Header names to their values, in order.
        headers: BTreeMap<String, Vec<String>>,
        /// The properties (`authSchemes` ...) as JSON.
        properties: Map<String, Value>,
    },
    /// A ruleset error with this message.
    Error(String),
}

/// An operation call of a case: the params come from its input and config.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationInput {
    /// The operation's name (`GetObject`).
    pub operation_name: String,
    /// The input members by name, as JSON.
    pub operation_params: Map<String, Value>,
    /// Built-in values by built-in name (`AWS::Region`).
    pub built_in_params: Map<String, Value>,
    /// `clientContextParams` values by name.
    pub client_params: Map<String, Value>,
}

/// The cases of an `smithy.rules#endpointTests` trait value.
pub fn cases(trait_value: &Value) -> Result<Vec<Case>, String> {
    let obj = trait_value
        .as_object()
        .ok_or("endpointTests: expected an object")?;
    let list = match obj.get("testCases") {
        None => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err("endpointTests: `testCases` must be an array".to_owned()),
    };
    list.iter()
        .enumerate()
        .map(|(i, c)| case(c).map_err(|e| format!("testCases[{i}]: {e}")))
        .collect()
}

fn object<'v>(
    value: Option<&'v Value>,
    what: &str,
) -> Result<Option<&'v Map<String, Value>>, String> {
    match value {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(format!("`{what}` must be an object")),
    }
}

fn case(value: &Value) -> Result<Case, String> {
    let obj = value.as_object().ok_or("a test case must be an object")?;
    let documentation = match obj.get("documentation") {
        None => String::new(),
        Some(Value::String(d)) => d.clone(),
        Some(_) => return Err("`documentation` must be a string".to_owned()),
    };
    let params = object(obj.get("params"), "params")?
        .cloned()
        .unwrap_or_default();
    let expect = object(obj.get("expect"), "expect")?.ok_or("missing `expect`")?;
    let expect = match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => {
            let endpoint = endpoint
                .as_object()
                .ok_or("`expect.endpoint` must be an object")?;
            let url = match endpoint.get("url") {
                Some(Value::String(u)) => u.clone(),
                _ => return Err("`expect.endpoint.url` must be a string".to_owned()),
            };
            let mut headers = BTreeMap::new();
            for (name, values) in object(endpoint.get("headers"), "expect.endpoint.headers")?
                .into_iter()
                .flatten()
            {
                let values = values
                    .as_array()
                    .and_then(|v| {
                        v.iter()
                            .map(|s| s.as_str().map(str::to_owned))
                            .collect::<Option<Vec<_>>>()
                    })
                    .ok_or_else(|| format!("header `{name}`: expected an array of strings"))?;
                headers.insert(name.clone(), values);
            }
            let properties = object(endpoint.get("properties"), "expect.endpoint.properties")?
                .cloned()
                .unwrap_or_default();
            Expect::Endpoint {
                url,
                headers,
                properties,
            }
        }
        (None, Some(Value::String(message))) => Expect::Error(message.clone()),
        _ => {
            return Err(
                "`expect` needs one of `endpoint` (an object) or `error` (a string)".to_owned(),
            )
        }
    };
    let mut operation_inputs = Vec::new();
    match obj.get("operationInputs") {
        None => {}
        Some(Value::Array(inputs)) => {
            for input in inputs {
                let input = input
                    .as_object()
                    .ok_or("an operation input must be an object")?;
                let operation_name = match input.get("operationName") {
                    Some(Value::String(n)) => n.clone(),
                    _ => return Err("an operation input needs a string `operationName`".to_owned()),
                };
                let map = |key: &str| -> Result<Map<String, Value>, String> {
                    Ok(object(input.get(key), key)?.cloned().unwrap_or_default())
                };
                operation_inputs.push(OperationInput {
                    operation_name,
                    operation_params: map("operationParams")?,
                    built_in_params: map("builtInParams")?,
                    client_params: map("clientParams")?,
                });
            }
        }
        Some(_) => return Err("`operationInputs` must be an array".to_owned()),
    }
    Ok(Case {
        documentation,
        params,
        expect,
        operation_inputs,
    })
}

/// Resolves with params given by name as JSON (strings, booleans, arrays of strings). A
/// param the ruleset does not declare, or of another type than declared, is an `Err`: the
/// case is wrong, not the ruleset.
pub fn resolve_json(
    rules: &RuleSet,
    params: &Map<String, Value>,
) -> Result<Result<Endpoint, EndpointError>, String> {
    if let Some(name) = params.keys().find(|name| rules.param_index(name).is_none()) {
        return Err(format!(
            "test parameter `{name}` is not a parameter of the ruleset"
        ));
    }
    // The arrays, owned here so the args can borrow them.
    let arrays: Vec<Option<Vec<String>>> = rules
        .parameters()
        .iter()
        .map(|p| match params.get(&p.name) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        })
        .collect();
    let mut args = Vec::with_capacity(arrays.len());
    for (p, array) in rules.parameters().iter().zip(&arrays) {
        let arg = match (params.get(&p.name), p.kind) {
            (None, _) => None,
            (Some(Value::String(s)), ParamType::String) => Some(Arg::Str(s)),
            (Some(Value::Bool(b)), ParamType::Boolean) => Some(Arg::Bool(*b)),
            (Some(Value::Array(_)), ParamType::StringArray) => match array {
                Some(a) => Some(Arg::StrArray(a)),
                None => {
                    return Err(format!(
                        "test parameter `{}`: expected an array of strings",
                        p.name
                    ))
                }
            },
            (Some(v), kind) => {
                return Err(format!(
                    "test parameter `{}` is {}, but the ruleset declares it {kind:?}",
                    p.name,
                    json_kind(v)
                ))
            }
        };
        args.push(arg);
    }
    Ok(rules.resolve(&args))
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Compares exactly; `Err` says what differs, in one line.
pub fn check(result: &Result<Endpoint, EndpointError>, expect: &Expect) -> Result<(), String> {
    match (result, expect) {
        (Err(e), Expect::Error(message)) if e.message() == message => Ok(()),
        (Err(e), Expect::Error(message)) => Err(format!(
            "expected error {message:?}, got error {:?}",
            e.message()
        )),
        (Err(e), Expect::Endpoint { url, .. }) => Err(format!(
            "expected endpoint {url:?}, got error {:?}",
            e.message()
        )),
        (Ok(endpoint), Expect::Error(message)) => Err(format!(
            "expected error {message:?}, got endpoint {:?}",
            endpoint.url
        )),
        (
            Ok(endpoint),
            Expect::Endpoint {
                url,
                headers,
                properties,
            },
        ) => {
            if endpoint.url != *url {
                return Err(format!("url: expected {url:?}, got {:?}", endpoint.url));
            }
            if endpoint.headers != *headers {
                return Err(format!(
                    "headers: expected {headers:?}, got {:?}",
                    endpoint.headers
                ));
            }
            let got: Map<String, Value> = endpoint
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect();
            if got != *properties {
                return Err(format!(
                    "properties: expected {}, got {}",
                    Value::Object(properties.clone()),
                    Value::Object(got)
                ));
            }
            Ok(())
        }
    }
}
