//! The generic tree every generated value converts into, for serialization
//! and for display.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp};

/// Any Smithy value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing: an absent entry of a `@sparse` list or map (or an absent member,
    /// which [`Value::structure`] drops).
    Null,
    /// A `boolean`.
    Boolean(bool),
    /// A `byte`.
    Byte(i8),
    /// A `short`.
    Short(i16),
    /// An `integer`.
    Integer(i32),
    /// A `long`.
    Long(i64),
    /// A `float`.
    Float(f32),
    /// A `double`.
    Double(f64),
    /// A `bigInteger`.
    BigInteger(BigInteger),
    /// A `bigDecimal`.
    BigDecimal(BigDecimal),
    /// A `string`.
    String(String),
    /// The wire value of an `enum` (unknown values included).
    Enum(String),
    /// The value of an `intEnum`.
    IntEnum(i32),
    /// A `timestamp`.
    Timestamp(Timestamp),
    /// A `blob`.
    Blob(Blob),
    /// A `document`.
    Document(Document),
    /// A `list`.
    List(Vec<Value>),
    /// A `map`, in its iteration order.
    Map(Vec<(String, Value)>),
    /// A `structure` or `union`, members in declaration order.
    Structure(Vec<Member>),
}

/// A member of a [`Value::Structure`].
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name as modeled.
    pub name: Cow<'static, str>,
    /// The member value.
    pub value: Value,
    /// Whether the member (or its target) is `@sensitive`: display redacts it.
    pub sensitive: bool,
}

impl Member {
    /// A member named `name` holding `value`.
    pub fn new<T: ToValue + ?Sized>(name: &'static str, value: &T) -> Member {
        Member {
            name: Cow::Borrowed(name),
            value: value.to_value(),
            sensitive: false,
        }
    }

    /// A `@sensitive` member named `name` holding `value`.
    pub fn sensitive<T: ToValue + ?Sized>(name: &'static str, value: &T) -> Member {
        Member {
            name: Cow::Borrowed(name),
            value: value.to_value(),
            sensitive: true,
        }
    }
}

/// Conversion into the generic [`Value`] tree.
pub trait ToValue {
    /// The value as a [`Value`].
    fn to_value(&self) -> Value;
}

impl Value {
    /// A structure of the given members, leaving out those whose value is
    /// [`Value::Null`] (absent optional members).
    pub fn structure(members: impl IntoIterator<Item = Member>) -> Value {
        Value::Structure(
            members
                .into_iter()
                .filter(|m| m.value != Value::Null)
                .collect(),
        )
    }

    /// The value of a union: a structure with its one member (kept even when null).
    pub fn union(member: Member) -> Value {
        Value::Structure(vec![member])
    }

    /// The value of a union holding a variant this client does not know:
    /// a structure with the single member `tag` whose value (unknown to this client) is
    /// an empty structure, so that it renders as `{"tag": {}}` and decodes back.
    pub fn union_unknown(tag: &str) -> Value {
        Value::Structure(vec![Member {
            name: Cow::Owned(tag.to_string()),
            value: Value::Structure(Vec::new()),
            sensitive: false,
        }])
    }

    /// The value as JSON, following the awsJson conventions: timestamps as
    /// epoch seconds, blobs as base64, non-finite floats as `"NaN"`,
    /// `"Infinity"` or `"-Infinity"`, big numbers as JSON numbers when one
    /// holds them exactly and as strings otherwise.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Boolean(b) => J::Bool(*b),
            Value::Byte(v) => J::from(*v),
            Value::Short(v) => J::from(*v),
            Value::Integer(v) | Value::IntEnum(v) => J::from(*v),
            Value::Long(v) => J::from(*v),
            Value::Float(v) => crate::document::float_to_json(f32_to_f64(*v)),
            Value::Double(v) => crate::document::float_to_json(*v),
            Value::BigInteger(v) => big_to_json(v.as_str()),
            Value::BigDecimal(v) => big_to_json(v.as_str()),
            Value::String(s) | Value::Enum(s) => J::String(s.clone()),
            Value::Timestamp(t) => timestamp_to_json(t),
            Value::Blob(b) => J::String(b.to_base64()),
            Value::Document(d) => d.to_json(),
            Value::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
            Value::Structure(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.name.to_string(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Widens an `f32` keeping its shortest decimal spelling (`0.1f32` gives `0.1`).
fn f32_to_f64(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(f64::from(v))
    } else {
        f64::from(v)
    }
}

fn big_to_json(text: &str) -> serde_json::Value {
    match crate::big::exact_json_number(text) {
        Some(n) => serde_json::Value::Number(n),
        None => serde_json::Value::String(text.to_string()),
    }
}

fn timestamp_to_json(t: &Timestamp) -> serde_json::Value {
    if t.subsec_nanos() == 0 {
        serde_json::Value::from(t.epoch_seconds())
    } else {
        crate::document::float_to_json(t.as_epoch_seconds_f64())
    }
}

// ---------------------------------------------------------------------------
// Display

/// Values whose one-line form fits this many columns stay on one line.
const WIDTH: usize = 80;
const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        v.to_string()
    }
}

/// Writes a scalar (anything but a list, map or structure).
fn write_scalar(out: &mut String, value: &Value) {
    let _ = match value {
        Value::Null => write!(out, "null"),
        Value::Boolean(b) => write!(out, "{b}"),
        Value::Byte(v) => write!(out, "{v}"),
        Value::Short(v) => write!(out, "{v}"),
        Value::Integer(v) | Value::IntEnum(v) => write!(out, "{v}"),
        Value::Long(v) => write!(out, "{v}"),
        Value::Float(v) => write!(out, "{}", float_text(f32_to_f64(*v))),
        Value::Double(v) => write!(out, "{}", float_text(*v)),
        Value::BigInteger(v) => write!(out, "{v}"),
        Value::BigDecimal(v) => write!(out, "{v}"),
        Value::String(s) | Value::Enum(s) => write!(out, "{s:?}"),
        Value::Timestamp(t) => write!(out, "{t}"),
        Value::Blob(b) => write!(out, "<{} bytes>", b.as_bytes().len()),
        Value::Document(d) => write!(out, "{}", d.to_json()),
        Value::List(_) | Value::Map(_) | Value::Structure(_) => Ok(()),
    };
}

/// Writes `value` on one line; gives up (returning false) once `out` grows
/// past `limit` bytes.
fn write_compact(out: &mut String, value: &Value, limit: usize) -> bool {
    match value {
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !write_compact(out, item, limit) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Value::Map(entries) => {
            out.push_str("{ ");
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{key:?}: ");
                if !write_compact(out, item, limit) {
                    return false;
                }
            }
            out.push_str(" }");
        }
        Value::Structure(members) if members.is_empty() => out.push_str("{}"),
        Value::Structure(members) => {
            out.push_str("{ ");
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&member.name);
                out.push_str(": ");
                if member.sensitive {
                    out.push_str(REDACTED);
                } else if !write_compact(out, &member.value, limit) {
                    return false;
                }
            }
            out.push_str(" }");
        }
        scalar => write_scalar(out, scalar),
    }
    out.len() <= limit
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Writes `value`, starting at column `column` of a line indented `depth`
/// levels: on one line when it fits, else one entry per line.
fn write_pretty(out: &mut String, value: &Value, depth: usize, column: usize) {
    let start = out.len();
    let budget = WIDTH.saturating_sub(column);
    if write_compact(out, value, start + budget) {
        return;
    }
    out.truncate(start);
    let inner = depth + 1;
    match value {
        Value::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                push_indent(out, inner);
                write_pretty(out, item, inner, inner * 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            push_indent(out, depth);
            out.push(']');
        }
        Value::Map(entries) => {
            out.push_str("{\n");
            for (i, (key, item)) in entries.iter().enumerate() {
                push_indent(out, inner);
                let line_start = out.len();
                let _ = write!(out, "{key:?}: ");
                let column = inner * 2 + (out.len() - line_start);
                write_pretty(out, item, inner, column);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            push_indent(out, depth);
            out.push('}');
        }
        Value::Structure(members) => {
            out.push_str("{\n");
            for (i, member) in members.iter().enumerate() {
                push_indent(out, inner);
                out.push_str(&member.name);
                out.push_str(": ");
                if member.sensitive {
                    out.push_str(REDACTED);
                } else {
                    let column = inner * 2 + member.name.len() + 2;
                    write_pretty(out, &member.value, inner, column);
                }
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            push_indent(out, depth);
            out.push('}');
        }
        scalar => write_scalar(out, scalar),
    }
}

/// Readable text: short values on one line, longer ones indented one entry
/// per line; strings and enum values quoted, timestamps in RFC 3339, blobs as
/// their length, and `@sensitive` members as `*** Sensitive Data Redacted ***`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_pretty(&mut out, self, 0, 0);
        f.write_str(&out)
    }
}

// ---------------------------------------------------------------------------
// ToValue

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

macro_rules! copy_to_value {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$variant(*self)
            }
        })*
    };
}

copy_to_value!(
    bool => Boolean,
    i8 => Byte,
    i16 => Short,
    i32 => Integer,
    i64 => Long,
    f32 => Float,
    f64 => Double,
    Timestamp => Timestamp,
);

macro_rules! clone_to_value {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
        })*
    };
}

clone_to_value!(
    BigInteger => BigInteger,
    BigDecimal => BigDecimal,
    Blob => Blob,
    Document => Document,
);

/// `smithy.api#Unit`, the input or output of an operation without one: an empty structure.
impl ToValue for () {
    fn to_value(&self) -> Value {
        Value::Structure(Vec::new())
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl<T: ToValue + ?Sized> ToValue for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

impl<K: AsRef<str>, V: ToValue> ToValue for BTreeMap<K, V> {
    fn to_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.as_ref().to_string(), v.to_value()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct ScanStatus(String);

    impl ToValue for ScanStatus {
        fn to_value(&self) -> Value {
            Value::Enum(self.0.clone())
        }
    }

    struct ImageScanStatus {
        status: Option<ScanStatus>,
        description: Option<String>,
    }

    impl ToValue for ImageScanStatus {
        fn to_value(&self) -> Value {
            Value::structure(vec![
                Member::new("status", &self.status),
                Member::new("description", &self.description),
            ])
        }
    }

    struct Response {
        registry_id: Option<String>,
        scan: Option<Box<ImageScanStatus>>,
        token: Option<String>,
    }

    impl ToValue for Response {
        fn to_value(&self) -> Value {
            Value::structure(vec![
                Member::new("registryId", &self.registry_id),
                Member::new("imageScanStatus", &self.scan),
                Member::sensitive("token", &self.token),
            ])
        }
    }

    fn response() -> Response {
        Response {
            registry_id: Some("123".into()),
            scan: Some(Box::new(ImageScanStatus {
                status: Some(ScanStatus("IN_PROGRESS".into())),
                description: None,
            })),
            token: Some("secret".into()),
        }
    }

    #[test]
    fn absent_members_are_dropped() {
        let v = response().to_value();
        let Value::Structure(members) = &v else {
            panic!("not a structure")
        };
        assert_eq!(members.len(), 3);
        let v = Response {
            registry_id: None,
            scan: None,
            token: None,
        }
        .to_value();
        assert_eq!(v, Value::Structure(vec![]));
        assert_eq!(
            Value::union_unknown("SDK_UNKNOWN"),
            Value::Structure(vec![Member {
                name: "SDK_UNKNOWN".into(),
                value: Value::Structure(vec![]),
                sensitive: false
            }])
        );
    }

    #[test]
    fn display_short_on_one_line_with_redaction() {
        let mut r = response();
        r.token = None;
        assert_eq!(
            r.to_value().to_string(),
            "{ registryId: \"123\", imageScanStatus: { status: \"IN_PROGRESS\" } }"
        );
        let login = Value::structure(vec![
            Member::new("user", "bob"),
            Member::sensitive("password", "hunter2"),
        ]);
        assert_eq!(
            login.to_string(),
            "{ user: \"bob\", password: *** Sensitive Data Redacted *** }"
        );
        assert_eq!(
            response().to_value().to_string(),
            "{\n  registryId: \"123\",\n  imageScanStatus: { status: \"IN_PROGRESS\" },\n  \
             token: *** Sensitive Data Redacted ***\n}"
        );
        let secret = Value::structure(vec![Member::sensitive("password", "hunter2")]);
        assert!(!secret.to_string().contains("hunter2"));
    }

    #[test]
    fn display_long_indented() {
        let long = "x".repeat(70);
        let v = Value::structure(vec![
            Member::new("name", long.as_str()),
            Member::new("tags", &vec!["a".to_string(), "b".to_string()]),
            Member::new("nested", &Value::structure(vec![Member::new("n", &1i32)])),
            Member::sensitive("secret", &long),
        ]);
        let expected = format!(
            "{{\n  name: \"{long}\",\n  tags: [\"a\", \"b\"],\n  nested: {{ n: 1 }},\n  \
             secret: *** Sensitive Data Redacted ***\n}}"
        );
        assert_eq!(v.to_string(), expected);
        let list = Value::List(vec![
            Value::String(long.clone()),
            Value::String(long.clone()),
        ]);
        assert_eq!(
            list.to_string(),
            format!("[\n  \"{long}\",\n  \"{long}\"\n]")
        );
        let map = Value::Map(vec![("k".into(), Value::String(long.clone()))]);
        assert_eq!(map.to_string(), format!("{{\n  \"k\": \"{long}\"\n}}"));
    }

    #[test]
    fn display_scalars() {
        assert_eq!(Value::Null.to_string(), "null");
        assert_eq!(Value::Double(f64::NAN).to_string(), "NaN");
        assert_eq!(Value::Float(f32::NEG_INFINITY).to_string(), "-Infinity");
        assert_eq!(Value::Float(0.1).to_string(), "0.1");
        assert_eq!(Value::Blob(Blob::from("abc")).to_string(), "<3 bytes>");
        assert_eq!(
            Value::Timestamp(Timestamp::from_epoch_seconds(0)).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(Value::String("a\"b\n".into()).to_string(), "\"a\\\"b\\n\"");
        assert_eq!(Value::Map(vec![]).to_string(), "{}");
        assert_eq!(Value::List(vec![]).to_string(), "[]");
        assert_eq!(Value::Document(Document::Bool(true)).to_string(), "true");
    }

    #[test]
    fn to_json_conventions() {
        let mut map = BTreeMap::new();
        map.insert("k".to_string(), 1i32);
        let v = Value::structure(vec![
            Member::new("s", "x"),
            Member::new("e", &Value::Enum("A".into())),
            Member::new("ie", &Value::IntEnum(2)),
            Member::new("b", &true),
            Member::new("byte", &-1i8),
            Member::new("short", &300i16),
            Member::new("long", &i64::MIN),
            Member::new("f", &0.1f32),
            Member::new("nan", &f64::NAN),
            Member::new("inf", &f32::INFINITY),
            Member::new("ninf", &f64::NEG_INFINITY),
            Member::new("t", &Timestamp::from_epoch_seconds(1398796238)),
            Member::new("tf", &Timestamp::from_secs_nanos(1, 500_000_000)),
            Member::new("blob", &Blob::from("foo")),
            Member::new("bi", &BigInteger::new("123")),
            Member::new("bihuge", &BigInteger::new("123456789012345678901234567890")),
            Member::new("bd", &BigDecimal::new("1.5")),
            Member::new("bdhuge", &BigDecimal::new("1.00000000000000000000001")),
            Member::new("doc", &Document::from(&json!({"a": [1]}))),
            Member::new("list", &vec![Some(1i32), None]),
            Member::new("map", &map),
            Member::new("absent", &None::<String>),
            Member::sensitive("secret", "shown in JSON"),
        ]);
        assert_eq!(
            v.to_json(),
            json!({
                "s": "x", "e": "A", "ie": 2, "b": true, "byte": -1, "short": 300,
                "long": i64::MIN, "f": 0.1, "nan": "NaN", "inf": "Infinity",
                "ninf": "-Infinity", "t": 1398796238, "tf": 1.5, "blob": "Zm9v",
                "bi": 123, "bihuge": "123456789012345678901234567890", "bd": 1.5,
                "bdhuge": "1.00000000000000000000001", "doc": {"a": [1]},
                "list": [1, null], "map": {"k": 1}, "secret": "shown in JSON"
            })
        );
        assert_eq!(Value::union_unknown("X").to_json(), json!({"X": {}}));
    }
}
