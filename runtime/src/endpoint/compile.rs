//! Parsing and type checking a ruleset's JSON into the [`Program`] that `eval` runs.
//!
//! Parameters are parsed first (sorted by name: their slots are `0..n`); rules follow, with
//! every `assign` given a slot of its own after the parameters, so evaluation indexes a flat
//! vector and never looks a name up.

use serde_json::{Map, Value};

use super::{ParamDefault, ParamType, Parameter, Partitions, RuleError, RuleSet};

/// The compiled rules.
#[derive(Debug)]
pub(crate) struct Program {}

fn err(rule: impl Into<String>, message: impl Into<String>) -> RuleError {
    RuleError {
        rule: rule.into(),
        message: message.into(),
    }
}

/// The JSON kind of a value, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses the `parameters` object, sorted by name.
fn parameters(ruleset: &Map<String, Value>) -> Result<Vec<Parameter>, RuleError> {
    let params = match ruleset.get("parameters") {
        None => return Err(err("ruleset", "missing `parameters`")),
        Some(Value::Object(params)) => params,
        Some(other) => {
            return Err(err(
                "parameters",
                format!("expected an object, found {}", kind(other)),
            ))
        }
    };
    let mut out = Vec::with_capacity(params.len());
    for (name, value) in params {
        out.push(parameter(name, value)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn parameter(name: &str, value: &Value) -> Result<Parameter, RuleError> {
    let at = format!("parameters.{name}");
    if !is_identifier(name) {
        return Err(err(
            at,
            "a parameter name must be an identifier (letters, digits, `_`)",
        ));
    }
    let Value::Object(obj) = value else {
        return Err(err(
            at,
            format!("expected an object, found {}", kind(value)),
        ));
    };
    let string_field = |field: &str| -> Result<Option<String>, RuleError> {
        match obj.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(err(
                at.clone(),
                format!("`{field}` must be a string, found {}", kind(other)),
            )),
        }
    };
    let kind_name = string_field("type")?.ok_or_else(|| err(at.clone(), "missing `type`"))?;
    let param_kind = match kind_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(err(
                at,
                format!(
                    "unknown parameter type `{kind_name}` (expected `string`, `boolean` or `stringArray`)"
                ),
            ))
        }
    };
    let required = match obj.get("required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(err(
                at,
                format!("`required` must be a boolean, found {}", kind(other)),
            ))
        }
    };
    let default = match obj.get("default") {
        None => None,
        Some(value) => Some(param_default(&at, param_kind, value)?),
    };
    if default.is_some() && !required {
        return Err(err(
            at,
            "a parameter with a `default` must also be `required`",
        ));
    }
    let deprecated = match obj.get("deprecated") {
        None => None,
        Some(Value::Object(d)) => match d.get("message") {
            None => Some(String::new()),
            Some(Value::String(m)) => Some(m.clone()),
            Some(other) => {
                return Err(err(
                    at,
                    format!(
                        "`deprecated.message` must be a string, found {}",
                        kind(other)
                    ),
                ))
            }
        },
        Some(other) => {
            return Err(err(
                at,
                format!("`deprecated` must be an object, found {}", kind(other)),
            ))
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        kind: param_kind,
        required,
        default,
        built_in: string_field("builtIn")?,
        documentation: string_field("documentation")?,
        deprecated,
    })
}

fn param_default(
    at: &str,
    param_kind: ParamType,
    value: &Value,
) -> Result<ParamDefault, RuleError> {
    let found = match (param_kind, value) {
        (ParamType::String, Value::String(s)) => return Ok(ParamDefault::String(s.clone())),
        (ParamType::Boolean, Value::Bool(b)) => return Ok(ParamDefault::Boolean(*b)),
        (ParamType::StringArray, Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    other => {
                        return Err(err(
                            at,
                            format!(
                                "the `default` of a `stringArray` must hold strings, found {}",
                                kind(other)
                            ),
                        ))
                    }
                }
            }
            return Ok(ParamDefault::StringArray(out));
        }
        (_, other) => kind(other),
    };
    let expected = match param_kind {
        ParamType::String => "a string",
        ParamType::Boolean => "a boolean",
        ParamType::StringArray => "an array of strings",
    };
    Err(err(
        at,
        format!("the `default` must be {expected} like the parameter, found {found}"),
    ))
}

/// Whether `name` is a rules identifier: ASCII letters, digits and `_`, not starting with a
/// digit.
pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) fn compile(rules: &Value, partitions: Partitions) -> Result<RuleSet, RuleError> {
    let Value::Object(ruleset) = rules else {
        return Err(err(
            "ruleset",
            format!("expected an object, found {}", kind(rules)),
        ));
    };
    let parameters = parameters(ruleset)?;
    // The rules: compiled by the next commit.
    Ok(RuleSet {
        parameters,
        program: Program {},
        partitions,
    })
}
