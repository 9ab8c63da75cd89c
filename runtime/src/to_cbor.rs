//! Writing generated values as rpcv2Cbor request bodies, through `minicbor`. Enabled by the
//! `cbor` feature, which generated crates of rpcv2Cbor services turn on.

use std::collections::BTreeMap;

use crate::{Blob, Timestamp};

/// The bytes of a CBOR document being written.
#[derive(Debug)]
pub struct CborWriter {
    enc: minicbor::Encoder<Vec<u8>>,
}

impl Default for CborWriter {
    fn default() -> Self {
        CborWriter::new()
    }
}

// Writing into a `Vec` cannot fail: the results of the encoder are dropped.
impl CborWriter {
    /// An empty writer.
    pub fn new() -> CborWriter {
        CborWriter {
            enc: minicbor::Encoder::new(Vec::new()),
        }
    }

    /// The CBOR written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.enc.into_writer()
    }

    /// Starts a map of unknown length (a structure, union or map); [`CborWriter::end`] ends it.
    pub fn begin_map(&mut self) {
        let _ = self.enc.begin_map();
    }

    /// Starts an array of `len` items.
    pub fn array(&mut self, len: usize) {
        let _ = self.enc.array(len as u64);
    }

    /// Ends the map begun last.
    pub fn end(&mut self) {
        let _ = self.enc.end();
    }

    /// A text string (also a map key).
    pub fn str(&mut self, text: &str) {
        let _ = self.enc.str(text);
    }

    /// A byte string.
    pub fn bytes(&mut self, bytes: &[u8]) {
        let _ = self.enc.bytes(bytes);
    }

    /// A boolean.
    pub fn bool(&mut self, b: bool) {
        let _ = self.enc.bool(b);
    }

    /// An integer, in its smallest form.
    pub fn int(&mut self, v: i64) {
        let _ = self.enc.i64(v);
    }

    /// A single-precision float.
    pub fn f32(&mut self, v: f32) {
        let _ = self.enc.f32(v);
    }

    /// A double-precision float.
    pub fn f64(&mut self, v: f64) {
        let _ = self.enc.f64(v);
    }

    /// `null`.
    pub fn null(&mut self) {
        let _ = self.enc.null();
    }

    /// A timestamp: tag 1 and the epoch seconds, an integer when whole, else a double.
    pub fn timestamp(&mut self, t: &Timestamp) {
        let _ = self.enc.tag(minicbor::data::Tag::new(1));
        if t.subsec_nanos() == 0 {
            self.int(t.epoch_seconds());
        } else {
            self.f64(t.as_epoch_seconds_f64());
        }
    }
}

/// A value that writes itself as CBOR, as rpcv2Cbor sends it.
pub trait ToCbor {
    /// Writes the value.
    fn write_cbor(&self, out: &mut CborWriter);
}

/// The CBOR bytes of `value`.
pub fn to_vec<T: ToCbor + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = CborWriter::new();
    value.write_cbor(&mut out);
    out.into_bytes()
}

impl ToCbor for str {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.str(self);
    }
}

impl ToCbor for String {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.str(self);
    }
}

impl ToCbor for bool {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.bool(*self);
    }
}

macro_rules! int_to_cbor {
    ($($ty:ty),*) => {
        $(impl ToCbor for $ty {
            fn write_cbor(&self, out: &mut CborWriter) {
                out.int(i64::from(*self));
            }
        })*
    };
}

int_to_cbor!(i8, i16, i32, i64);

impl ToCbor for f32 {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.f32(*self);
    }
}

impl ToCbor for f64 {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.f64(*self);
    }
}

impl ToCbor for Blob {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.bytes(self.as_bytes());
    }
}

impl ToCbor for Timestamp {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.timestamp(self);
    }
}

/// `smithy.api#Unit`: an empty map.
impl ToCbor for () {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.begin_map();
        out.end();
    }
}

/// An entry of a `@sparse` collection: `null` when unset.
impl<T: ToCbor> ToCbor for Option<T> {
    fn write_cbor(&self, out: &mut CborWriter) {
        match self {
            Some(value) => value.write_cbor(out),
            None => out.null(),
        }
    }
}

impl<T: ToCbor + ?Sized> ToCbor for Box<T> {
    fn write_cbor(&self, out: &mut CborWriter) {
        (**self).write_cbor(out);
    }
}

impl<T: ToCbor> ToCbor for Vec<T> {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.array(self.len());
        for item in self {
            item.write_cbor(out);
        }
    }
}

impl<K: AsRef<str>, V: ToCbor> ToCbor for BTreeMap<K, V> {
    fn write_cbor(&self, out: &mut CborWriter) {
        out.begin_map();
        for (key, value) in self {
            out.str(key.as_ref());
            value.write_cbor(out);
        }
        out.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_the_reader_reads() {
        let mut map = BTreeMap::new();
        map.insert("k".to_owned(), vec![Some(1i32), None]);
        let mut out = CborWriter::new();
        out.begin_map();
        out.str("s");
        "text".write_cbor(&mut out);
        out.str("m");
        map.write_cbor(&mut out);
        out.str("b");
        Blob::from("foo").write_cbor(&mut out);
        out.str("t");
        Timestamp::from_epoch_seconds(1_700_000_000).write_cbor(&mut out);
        out.str("f");
        1.5f64.write_cbor(&mut out);
        out.end();
        let json = crate::cbor::to_json(&out.into_bytes());
        assert_eq!(
            json,
            Some(
                serde_json::json!({"s": "text", "m": {"k": [1, null]}, "b": "Zm9v", "t": 1700000000, "f": 1.5})
            )
        );
    }
}
