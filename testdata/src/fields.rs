//! The field readers of the JSON manifests (`models/test-data.json` here, `models/manifest.json`
//! in the xtask): each error names where in the file it is.

use serde_json::{Map, Value};

/// `value` as a JSON object, else an error at `at`.
pub fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>, String> {
    value.as_object().ok_or_else(|| format!("{at}: expected a JSON object"))
}

/// An error naming the first key of `fields` that is not in `known`.
pub fn only_keys(fields: &Map<String, Value>, known: &[&str], at: &str) -> Result<(), String> {
    match fields.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(format!("{at}: unknown field `{key}` (expected {})", known.join(", "))),
        None => Ok(()),
    }
}

/// The non-empty string field `key` of `fields`.
pub fn string(fields: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match fields.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
        Some(_) => Err(format!("{at}: field `{key}` must be a non-empty string")),
        None => Err(format!("{at}: missing string field `{key}`")),
    }
}

/// The string field `key` of `fields`, absent or `null` giving `None`.
pub fn optional_string(fields: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => string(fields, key, at).map(Some),
    }
}

/// Whether `text` is lowercase hexadecimal digits only.
pub fn is_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
