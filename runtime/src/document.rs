//! Untyped JSON-like data (the Smithy `document` type).

use std::collections::BTreeMap;

use crate::json::{Json, Object, View};

/// A number inside a [`Document`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number (possibly NaN or infinite).
    Float(f64),
}

impl Number {
    /// The number as a float (integers may lose precision).
    pub fn as_f64(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        match *self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }

    /// The number if it is an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// Whether the number is a float (was written with a fraction or exponent).
    pub fn is_f64(&self) -> bool {
        matches!(self, Number::Float(_))
    }

    /// The number as JSON: non-finite floats become the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"`.
    pub fn to_json(&self) -> serde_json::Value {
        match *self {
            Number::PosInt(v) => serde_json::Value::from(v),
            Number::NegInt(v) => serde_json::Value::from(v),
            Number::Float(v) => float_to_json(v),
        }
    }
}

/// The number as JSON writes it (floats in their shortest form, as serde_json writes them).
impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Number::PosInt(v) => write!(f, "{v}"),
            Number::NegInt(v) => write!(f, "{v}"),
            Number::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "{n}"),
                None => write!(f, "{v}"),
            },
        }
    }
}

/// A float as JSON, with the Smithy spelling of non-finite values.
pub(crate) fn float_to_json(v: f64) -> serde_json::Value {
    match serde_json::Number::from_f64(v) {
        Some(n) => serde_json::Value::Number(n),
        None if v.is_nan() => serde_json::Value::from("NaN"),
        None if v > 0.0 => serde_json::Value::from("Infinity"),
        None => serde_json::Value::from("-Infinity"),
    }
}

impl From<&serde_json::Number> for Number {
    fn from(n: &serde_json::Number) -> Self {
        if let Some(v) = n.as_u64() {
            Number::PosInt(v)
        } else if let Some(v) = n.as_i64() {
            Number::NegInt(v)
        } else {
            Number::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }
}

/// A JSON-like value of any shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Document {
    /// `null`; the default.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered sequence.
    Array(Vec<Document>),
    /// String keys to values.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// The document as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Document::Null => serde_json::Value::Null,
            Document::Bool(b) => serde_json::Value::Bool(*b),
            Document::Number(n) => n.to_json(),
            Document::String(s) => serde_json::Value::String(s.clone()),
            Document::Array(items) => items.iter().map(Document::to_json).collect(),
            Document::Object(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
            ),
        }
    }
}

impl Document {
    /// Converts any JSON tree; a repeated object key keeps its last entry. Recurses once per
    /// level: callers bound the depth.
    pub(crate) fn from_json_view<J: Json>(value: &J) -> Document {
        match value.view() {
            View::Null => Document::Null,
            View::Bool(b) => Document::Bool(b),
            View::Number(n) => Document::Number(n),
            View::String(s) => Document::String(s.to_owned()),
            View::Array(items) => {
                Document::Array(items.iter().map(Document::from_json_view).collect())
            }
            View::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.entries() {
                    map.insert(key.to_owned(), Document::from_json_view(value));
                }
                Document::Object(map)
            }
        }
    }
}

impl From<&serde_json::Value> for Document {
    fn from(value: &serde_json::Value) -> Self {
        Document::from_json_view(value)
    }
}

impl From<serde_json::Value> for Document {
    fn from(value: serde_json::Value) -> Self {
        Document::from(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn from_and_to_json() {
        let value = json!({
            "a": [1, -2, 2.5, "x", null, true],
            "b": {"c": {}},
            "big": 18446744073709551615u64,
        });
        let doc = Document::from(&value);
        match &doc {
            Document::Object(map) => {
                assert_eq!(
                    map.get("a"),
                    Some(&Document::Array(vec![
                        Document::Number(Number::PosInt(1)),
                        Document::Number(Number::NegInt(-2)),
                        Document::Number(Number::Float(2.5)),
                        Document::String("x".into()),
                        Document::Null,
                        Document::Bool(true),
                    ]))
                );
                assert_eq!(
                    map.get("big"),
                    Some(&Document::Number(Number::PosInt(u64::MAX)))
                );
            }
            other => panic!("not an object: {other:?}"),
        }
        assert_eq!(doc.to_json(), value);
    }

    #[test]
    fn non_finite() {
        assert_eq!(
            Document::Number(Number::Float(f64::NAN)).to_json(),
            json!("NaN")
        );
        assert_eq!(
            Document::Number(Number::Float(f64::INFINITY)).to_json(),
            json!("Infinity")
        );
        assert_eq!(
            Document::Number(Number::Float(f64::NEG_INFINITY)).to_json(),
            json!("-Infinity")
        );
        assert_eq!(Number::NegInt(-3).as_f64(), -3.0);
        assert_eq!(Document::default(), Document::Null);
    }
}
