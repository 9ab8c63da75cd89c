//! Lenient decoding of generated shapes from parsed JSON.
//!
//! A value of the wrong kind decodes to `None` rather than an error, so that a
//! response carrying something unexpected still yields what can be read.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp};

/// Decoding from a JSON value; `None` when the value does not fit.
pub trait FromJson: Sized {
    /// Decodes `value`.
    fn from_json(value: &Json) -> Option<Self>;
}

/// Decodes the member `key` of `object`; `None` when it is missing, `null` or
/// does not fit `T`.
pub fn get<T: FromJson>(object: &serde_json::Map<String, Json>, key: &str) -> Option<T> {
    match object.get(key) {
        None | Some(Json::Null) => None,
        Some(value) => T::from_json(value),
    }
}

/// The error message of an error structure: the member's own key first, then the spellings
/// services use (`message`, `Message`, `errorMessage`).
pub fn message(object: &serde_json::Map<String, Json>, key: &str) -> Option<String> {
    std::iter::once(key)
        .chain(crate::error::MESSAGE_KEYS)
        .find_map(|k| get(object, k))
}

impl FromJson for String {
    fn from_json(value: &Json) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Option<Self> {
        value.as_bool()
    }
}

macro_rules! int_from_json {
    ($($ty:ty),*) => {
        $(impl FromJson for $ty {
            fn from_json(value: &Json) -> Option<Self> {
                <$ty>::try_from(value.as_i64()?).ok()
            }
        })*
    };
}

int_from_json!(i8, i16, i32, i64);

impl FromJson for f64 {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Number(n) => n.as_f64(),
            Json::String(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                _ => None,
            },
            _ => None,
        }
    }
}

impl FromJson for f32 {
    fn from_json(value: &Json) -> Option<Self> {
        crate::text::f64_to_f32(f64::from_json(value)?)
    }
}

impl FromJson for BigInteger {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Number(n) => {
                if n.is_f64() {
                    let f = n.as_f64()?;
                    (f.is_finite() && f.fract() == 0.0)
                        .then(|| BigInteger::new(&format!("{f:.0}")))
                        .flatten()
                } else {
                    BigInteger::new(&n.to_string())
                }
            }
            Json::String(s) => BigInteger::new(s),
            _ => None,
        }
    }
}

impl FromJson for BigDecimal {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Number(n) => BigDecimal::new(&n.to_string()),
            Json::String(s) => BigDecimal::new(s),
            _ => None,
        }
    }
}

impl FromJson for Timestamp {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Number(n) => {
                if let Some(secs) = n.as_i64() {
                    Timestamp::from_secs_nanos(secs, 0)
                } else if n.is_f64() {
                    // The shortest spelling of the float keeps the digits that
                    // were sent (`1398796238.123` rather than `...122999906`).
                    Timestamp::parse_epoch_seconds(&n.to_string())
                } else {
                    None
                }
            }
            Json::String(s) => Timestamp::parse_any(s),
            _ => None,
        }
    }
}

impl FromJson for Blob {
    fn from_json(value: &Json) -> Option<Self> {
        Blob::from_base64(value.as_str()?)
    }
}

/// A document nesting deeper than [`crate::MAX_NESTING`] is refused: converting (and later
/// dropping) it would recurse once per level.
impl FromJson for Document {
    fn from_json(value: &Json) -> Option<Self> {
        crate::nesting::json_within(value, crate::MAX_NESTING).then(|| Document::from(value))
    }
}

/// Like a [`Document`], a value nesting deeper than [`crate::MAX_NESTING`] is refused.
impl FromJson for Json {
    fn from_json(value: &Json) -> Option<Self> {
        crate::nesting::json_within(value, crate::MAX_NESTING).then(|| value.clone())
    }
}

/// `null` decodes to `Some(None)`: an explicit null entry of a `@sparse` collection.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Null => Some(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// A boxed (recursive) member; `None` past [`crate::MAX_NESTING`] levels.
impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Json) -> Option<Self> {
        crate::nesting::deeper(|| T::from_json(value).map(Box::new))
    }
}

/// An array; entries that do not decode are skipped. `None` past
/// [`crate::MAX_NESTING`] levels.
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Option<Self> {
        let items = value.as_array()?;
        crate::nesting::deeper(|| Some(items.iter().filter_map(T::from_json).collect()))
    }
}

/// An object; entries whose value does not decode are skipped. `None` past
/// [`crate::MAX_NESTING`] levels.
impl<K: From<String> + Ord, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(value: &Json) -> Option<Self> {
        let object = value.as_object()?;
        crate::nesting::deeper(|| {
            Some(
                object
                    .iter()
                    .filter_map(|(k, v)| Some((K::from(k.clone()), V::from_json(v)?)))
                    .collect(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dec<T: FromJson>(v: Json) -> Option<T> {
        T::from_json(&v)
    }

    #[test]
    fn strings_and_bools() {
        assert_eq!(dec::<String>(json!("a")), Some("a".into()));
        assert_eq!(dec::<String>(json!(1)), None);
        assert_eq!(dec::<bool>(json!(true)), Some(true));
        assert_eq!(dec::<bool>(json!("true")), None);
    }

    #[test]
    fn integers() {
        assert_eq!(dec::<i8>(json!(127)), Some(127));
        assert_eq!(dec::<i8>(json!(128)), None);
        assert_eq!(dec::<i8>(json!(-129)), None);
        assert_eq!(dec::<i16>(json!(-32768)), Some(-32768));
        assert_eq!(dec::<i32>(json!(2147483648i64)), None);
        assert_eq!(dec::<i64>(json!(i64::MIN)), Some(i64::MIN));
        assert_eq!(dec::<i64>(json!(u64::MAX)), None);
        assert_eq!(dec::<i32>(json!(1.0)), None);
        assert_eq!(dec::<i32>(json!("1")), None);
    }

    #[test]
    fn floats() {
        assert_eq!(dec::<f64>(json!(1.5)), Some(1.5));
        assert_eq!(dec::<f64>(json!(2)), Some(2.0));
        assert_eq!(dec::<f64>(json!("Infinity")), Some(f64::INFINITY));
        assert_eq!(dec::<f64>(json!("-Infinity")), Some(f64::NEG_INFINITY));
        assert!(dec::<f64>(json!("NaN")).is_some_and(f64::is_nan));
        assert_eq!(dec::<f64>(json!("inf")), None);
        assert_eq!(dec::<f64>(json!("1.5")), None);
        assert_eq!(dec::<f32>(json!(1.5)), Some(1.5));
        assert_eq!(dec::<f32>(json!(1e300)), None);
        assert_eq!(dec::<f32>(json!("Infinity")), Some(f32::INFINITY));
    }

    #[test]
    fn big_numbers() {
        assert_eq!(dec::<BigInteger>(json!(5)), BigInteger::new("5"));
        assert_eq!(
            dec::<BigInteger>(json!("123456789012345678901234567890")),
            BigInteger::new("123456789012345678901234567890")
        );
        assert_eq!(
            dec::<BigInteger>(json!(1e20)),
            BigInteger::new("100000000000000000000")
        );
        assert_eq!(dec::<BigInteger>(json!(1.5)), None);
        assert_eq!(dec::<BigInteger>(json!("1.5")), None);
        assert_eq!(dec::<BigDecimal>(json!(1.5)), BigDecimal::new("1.5"));
        assert_eq!(dec::<BigDecimal>(json!(-3)), BigDecimal::new("-3"));
        assert_eq!(
            dec::<BigDecimal>(json!("1e-400")),
            BigDecimal::new("1e-400")
        );
        assert_eq!(dec::<BigDecimal>(json!("x")), None);
        assert_eq!(dec::<BigDecimal>(json!(true)), None);
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::from_secs_nanos(1398796238, 123_000_000);
        assert_eq!(dec::<Timestamp>(json!(1398796238.123)), t);
        assert_eq!(
            dec::<Timestamp>(json!(1398796238)),
            Timestamp::from_secs_nanos(1398796238, 0)
        );
        assert_eq!(
            dec::<Timestamp>(json!(-1.5)),
            Timestamp::from_secs_nanos(-2, 500_000_000)
        );
        assert_eq!(dec::<Timestamp>(json!("2014-04-29T18:30:38.123Z")), t);
        assert_eq!(
            dec::<Timestamp>(json!("Tue, 29 Apr 2014 18:30:38 GMT")),
            Timestamp::from_secs_nanos(1398796238, 0)
        );
        assert_eq!(dec::<Timestamp>(json!(1e300)), None);
        assert_eq!(dec::<Timestamp>(json!(u64::MAX)), None);
        assert_eq!(
            dec::<Timestamp>(json!(1e-7)),
            Timestamp::from_secs_nanos(0, 100)
        );
        assert_eq!(dec::<Timestamp>(json!(true)), None);
    }

    #[test]
    fn blobs_and_documents() {
        assert_eq!(dec::<Blob>(json!("Zm9v")), Some(Blob::from("foo")));
        assert_eq!(dec::<Blob>(json!("***")), None);
        assert_eq!(dec::<Blob>(json!(1)), None);
        assert_eq!(dec::<Document>(json!(null)), Some(Document::Null));
    }

    #[test]
    fn collections() {
        assert_eq!(dec::<Vec<i32>>(json!([1, "x", 2, null])), Some(vec![1, 2]));
        assert_eq!(
            dec::<Vec<Option<i32>>>(json!([1, null, "x"])),
            Some(vec![Some(1), None])
        );
        assert_eq!(dec::<Vec<i32>>(json!({})), None);
        let map: Option<BTreeMap<String, i32>> = dec(json!({"a": 1, "b": "x", "c": 3}));
        assert_eq!(
            map,
            Some(BTreeMap::from([("a".into(), 1), ("c".into(), 3)]))
        );
        let sparse: Option<BTreeMap<String, Option<i32>>> = dec(json!({"a": null}));
        assert_eq!(sparse, Some(BTreeMap::from([("a".into(), None)])));
        assert_eq!(dec::<BTreeMap<String, i32>>(json!([])), None);
        assert_eq!(dec::<Box<i32>>(json!(3)), Some(Box::new(3)));
        assert_eq!(
            dec::<Vec<Vec<String>>>(json!([["a"], "b", []])),
            Some(vec![vec!["a".into()], vec![]])
        );
    }

    #[test]
    fn get_member() {
        let v = json!({"a": 1, "n": null, "s": "x"});
        let obj = v.as_object().cloned().unwrap_or_default();
        assert_eq!(get::<i32>(&obj, "a"), Some(1));
        assert_eq!(get::<i32>(&obj, "n"), None);
        assert_eq!(get::<Option<i32>>(&obj, "n"), None);
        assert_eq!(get::<i32>(&obj, "s"), None);
        assert_eq!(get::<i32>(&obj, "missing"), None);
    }
}
