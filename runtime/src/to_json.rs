//! Writing generated values as JSON request bodies (awsJson1_0/1_1, restJson1), straight into
//! bytes: no intermediate tree, strings escaped by serde_json.

use std::collections::BTreeMap;

use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp, TimestampFormat};

/// The bytes of a JSON document being written.
#[derive(Debug, Default)]
pub struct JsonWriter {
    buf: Vec<u8>,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> JsonWriter {
        JsonWriter::default()
    }

    /// The JSON written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Starts an object; [`ObjectWriter::end`] closes it.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        self.buf.push(b'{');
        ObjectWriter {
            out: self,
            first: true,
        }
    }

    /// Writes `text` as a JSON string.
    pub fn string(&mut self, text: &str) {
        // Writing into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut self.buf, text);
    }

    fn raw(&mut self, text: &str) {
        self.buf.extend_from_slice(text.as_bytes());
    }

    /// Writes `t` in `format`: epoch seconds as a number, the others as strings.
    pub fn timestamp(&mut self, t: &Timestamp, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds => {
                if t.subsec_nanos() == 0 {
                    self.raw(&t.epoch_seconds().to_string());
                } else {
                    self.float(t.as_epoch_seconds_f64());
                }
            }
            TimestampFormat::DateTime => self.string(&t.to_date_time_string()),
            TimestampFormat::HttpDate => self.string(&t.to_http_date_string()),
        }
    }

    /// A float: a JSON number, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(&mut self, v: f64) {
        if v.is_nan() {
            self.raw("\"NaN\"");
        } else if v.is_infinite() {
            self.raw(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else {
            let _ = serde_json::to_writer(&mut self.buf, &v);
        }
    }
}

/// An object being written: its members in order.
#[derive(Debug)]
pub struct ObjectWriter<'w> {
    out: &'w mut JsonWriter,
    first: bool,
}

impl ObjectWriter<'_> {
    /// Writes the key of the next member.
    fn key(&mut self, key: &str) -> &mut JsonWriter {
        if !self.first {
            self.out.buf.push(b',');
        }
        self.first = false;
        self.out.string(key);
        self.out.buf.push(b':');
        self.out
    }

    /// Writes the member `key`.
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        value.write_json(self.key(key));
    }

    /// Writes the member `key` when it is set.
    pub fn optional<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.member(key, value);
        }
    }

    /// Writes the timestamp member `key` in `format`.
    pub fn timestamp(&mut self, key: &str, value: &Timestamp, format: TimestampFormat) {
        self.key(key).timestamp(value, format);
    }

    /// Writes the timestamp member `key` in `format` when it is set.
    pub fn optional_timestamp(
        &mut self,
        key: &str,
        value: &Option<Timestamp>,
        format: TimestampFormat,
    ) {
        if let Some(value) = value {
            self.timestamp(key, value, format);
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.buf.push(b'}');
    }
}

/// A value that writes itself as JSON with the awsJson conventions: blobs in base64,
/// timestamps in epoch seconds, non-finite floats as strings.
pub trait ToJson {
    /// Writes the value.
    fn write_json(&self, out: &mut JsonWriter);
}

/// The JSON bytes of `value`.
pub fn to_vec<T: ToJson + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = JsonWriter::new();
    value.write_json(&mut out);
    out.into_bytes()
}

/// `smithy.api#Unit` (an operation without input, a union member without value): `{}`.
impl ToJson for () {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw("{}");
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw(if *self { "true" } else { "false" });
    }
}

macro_rules! int_to_json {
    ($($ty:ty),*) => {
        $(impl ToJson for $ty {
            fn write_json(&self, out: &mut JsonWriter) {
                let _ = serde_json::to_writer(&mut out.buf, self);
            }
        })*
    };
}

int_to_json!(i8, i16, i32, i64);

impl ToJson for f64 {
    fn write_json(&self, out: &mut JsonWriter) {
        out.float(*self);
    }
}

impl ToJson for f32 {
    fn write_json(&self, out: &mut JsonWriter) {
        if self.is_finite() {
            // The shortest spelling of the f32 (`0.1`, not `0.10000000149011612`).
            let _ = serde_json::to_writer(&mut out.buf, self);
        } else {
            out.float(f64::from(*self));
        }
    }
}

impl ToJson for BigInteger {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw(self.as_str());
    }
}

impl ToJson for BigDecimal {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw(self.as_str());
    }
}

impl ToJson for Timestamp {
    fn write_json(&self, out: &mut JsonWriter) {
        out.timestamp(self, TimestampFormat::EpochSeconds);
    }
}

impl ToJson for Blob {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(&self.to_base64());
    }
}

impl ToJson for Document {
    fn write_json(&self, out: &mut JsonWriter) {
        let _ = serde_json::to_writer(&mut out.buf, &self.to_json());
    }
}

/// An entry of a `@sparse` collection: `null` when unset.
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(out),
            None => out.raw("null"),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        out.buf.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.buf.push(b',');
            }
            item.write_json(out);
        }
        out.buf.push(b']');
    }
}

impl<K: AsRef<str>, V: ToJson> ToJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut JsonWriter) {
        let mut object = out.object();
        for (key, value) in self {
            object.member(key.as_ref(), value);
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_aws_json_conventions() {
        let mut map = BTreeMap::new();
        map.insert("k\"".to_owned(), vec![Some(1i32), None]);
        let mut out = JsonWriter::new();
        let mut object = out.object();
        object.member("s", "a\nb");
        object.optional::<i32>("absent", &None);
        object.member("n", &-3i64);
        object.member("f", &0.1f32);
        object.member("nan", &f64::NAN);
        object.member("inf", &f32::NEG_INFINITY);
        object.member("t", &Timestamp::from_epoch_seconds(1_700_000_000));
        object.timestamp(
            "tf",
            &Timestamp::from_secs_nanos(1, 500_000_000).unwrap_or_default(),
            TimestampFormat::EpochSeconds,
        );
        object.timestamp(
            "dt",
            &Timestamp::from_epoch_seconds(0),
            TimestampFormat::DateTime,
        );
        object.member("b", &Blob::from("foo"));
        object.member("m", &map);
        object.member("e", &Vec::<String>::new());
        object.end();
        let text = String::from_utf8(out.into_bytes()).unwrap_or_default();
        assert_eq!(
            text,
            r#"{"s":"a\nb","n":-3,"f":0.1,"nan":"NaN","inf":"-Infinity","t":1700000000,"tf":1.5,"dt":"1970-01-01T00:00:00Z","b":"Zm9v","m":{"k\"":[1,null]},"e":[]}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(parsed["m"]["k\""][1], serde_json::Value::Null);
    }
}
