//! A small CBOR (RFC 8949) reader for rpcv2Cbor error bodies: it turns a body into the same
//! `serde_json::Value` the JSON protocols decode from, so one set of generated decoders serves
//! both. Byte strings become base64 text (what blob decoders read), tag 1 (epoch time) its
//! number, non-finite floats the strings `NaN`, `Infinity`, `-Infinity`.
//!
//! Bodies are hostile: lengths are checked against the bytes left, nesting is limited to
//! [`MAX_DEPTH`], and nothing panics.

use base64::Engine as _;
use serde_json::{Map, Number, Value};

/// Deepest nesting of arrays, maps and tags accepted.
pub const MAX_DEPTH: usize = 128;

/// Decodes one CBOR data item that makes up the whole of `bytes`.
pub fn to_json(bytes: &[u8]) -> Option<Value> {
    let mut reader = Reader { bytes, pos: 0 };
    let value = reader.item(0)?;
    (reader.pos == bytes.len()).then_some(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// What a head byte announces.
enum Head {
    /// A definite argument (a length, an integer, a simple value or float bits).
    Value(u64),
    /// An indefinite length (`ai == 31`).
    Indefinite,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take(&mut self, n: u64) -> Option<&[u8]> {
        let n = usize::try_from(n).ok()?;
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn uint(&mut self, size: u64) -> Option<u64> {
        let bytes = self.take(size)?;
        Some(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// The major type, additional information and argument of the next head.
    fn head(&mut self) -> Option<(u8, u8, Head)> {
        let initial = self.byte()?;
        let major = initial >> 5;
        let info = initial & 0x1f;
        let arg = match info {
            n @ 0..=23 => Head::Value(u64::from(n)),
            24 => Head::Value(self.uint(1)?),
            25 => Head::Value(self.uint(2)?),
            26 => Head::Value(self.uint(4)?),
            27 => Head::Value(self.uint(8)?),
            31 => Head::Indefinite,
            _ => return None,
        };
        Some((major, info, arg))
    }

    fn is_break(&self) -> bool {
        self.bytes.get(self.pos) == Some(&0xff)
    }

    /// A byte or text string's bytes, definite or in chunks.
    fn string_bytes(&mut self, major: u8, arg: Head) -> Option<Vec<u8>> {
        match arg {
            Head::Value(len) => Some(self.take(len)?.to_vec()),
            Head::Indefinite => {
                let mut out = Vec::new();
                while !self.is_break() {
                    match self.head()? {
                        (m, _, Head::Value(len)) if m == major => {
                            out.extend_from_slice(self.take(len)?)
                        }
                        _ => return None,
                    }
                }
                self.pos += 1;
                Some(out)
            }
        }
    }

    fn item(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (major, info, arg) = self.head()?;
        match major {
            0 => match arg {
                Head::Value(n) => Some(Value::Number(n.into())),
                Head::Indefinite => None,
            },
            1 => match arg {
                // -1 - n; beyond i64 it is only representable as a float.
                Head::Value(n) => Some(match i64::try_from(n) {
                    Ok(n) => Value::Number((-1 - n).into()),
                    Err(_) => float(-1.0 - n as f64),
                }),
                Head::Indefinite => None,
            },
            2 => {
                let bytes = self.string_bytes(2, arg)?;
                Some(Value::String(
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                ))
            }
            3 => String::from_utf8(self.string_bytes(3, arg)?)
                .ok()
                .map(Value::String),
            4 => {
                let mut out = Vec::new();
                match arg {
                    Head::Value(len) => {
                        for _ in 0..len {
                            out.push(self.item(depth + 1)?);
                        }
                    }
                    Head::Indefinite => {
                        while !self.is_break() {
                            out.push(self.item(depth + 1)?);
                        }
                        self.pos += 1;
                    }
                }
                Some(Value::Array(out))
            }
            5 => {
                let mut out = Map::new();
                let mut entry = |reader: &mut Self| -> Option<()> {
                    let key = match reader.item(depth + 1)? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    let value = reader.item(depth + 1)?;
                    out.insert(key, value);
                    Some(())
                };
                match arg {
                    Head::Value(len) => {
                        for _ in 0..len {
                            entry(self)?;
                        }
                    }
                    Head::Indefinite => {
                        while !self.is_break() {
                            entry(self)?;
                        }
                        self.pos += 1;
                    }
                }
                Some(Value::Object(out))
            }
            // Tags (epoch time, big numbers...): the tagged item itself.
            6 => self.item(depth + 1),
            _ => match (info, arg) {
                (25, Head::Value(bits)) => Some(float(f16_to_f64(u16::try_from(bits).ok()?))),
                (26, Head::Value(bits)) => {
                    Some(float(f64::from(f32::from_bits(u32::try_from(bits).ok()?))))
                }
                (27, Head::Value(bits)) => Some(float(f64::from_bits(bits))),
                (_, Head::Value(20)) => Some(Value::Bool(false)),
                (_, Head::Value(21)) => Some(Value::Bool(true)),
                (_, Head::Value(22 | 23)) => Some(Value::Null),
                _ => None,
            },
        }
    }
}

fn float(v: f64) -> Value {
    match Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None if v.is_nan() => Value::String("NaN".into()),
        None if v > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}

fn f16_to_f64(half: u16) -> f64 {
    let sign = if half & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((half >> 10) & 0x1f);
    let fraction = f64::from(half & 0x03ff);
    let magnitude = match exponent {
        0 => fraction * 2f64.powi(-24),
        31 if fraction == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + fraction / 1024.0) * 2f64.powi(e - 15),
    };
    sign * magnitude
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_body_from_the_protocol_suite() {
        // {"__type": "aws.protocoltests.rpcv2cbor#CustomCodeError", "message": "Hi"}, as an
        // indefinite-length map.
        let bytes = base64::engine::general_purpose::STANDARD
            .decode("uQACZl9fdHlwZXgrYXdzLnByb3RvY29sdGVzdHMucnBjdjJjYm9yI0N1c3RvbUNvZGVFcnJvcmdtZXNzYWdlYkhp")
            .unwrap();
        assert_eq!(
            to_json(&bytes),
            Some(json!({"__type": "aws.protocoltests.rpcv2cbor#CustomCodeError", "message": "Hi"}))
        );
    }

    #[test]
    fn scalars() {
        assert_eq!(to_json(&[0x17]), Some(json!(23)));
        assert_eq!(to_json(&[0x18, 0xff]), Some(json!(255)));
        assert_eq!(to_json(&[0x20]), Some(json!(-1)));
        assert_eq!(
            to_json(&[0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Some(json!(-18446744073709551616.0))
        );
        assert_eq!(to_json(&[0xf4]), Some(json!(false)));
        assert_eq!(to_json(&[0xf5]), Some(json!(true)));
        assert_eq!(to_json(&[0xf6]), Some(Value::Null));
        assert_eq!(to_json(&[0xf9, 0x3c, 0x00]), Some(json!(1.0)));
        assert_eq!(to_json(&[0xf9, 0x7c, 0x00]), Some(json!("Infinity")));
        assert_eq!(to_json(&[0xfa, 0x3f, 0xc0, 0x00, 0x00]), Some(json!(1.5)));
        assert_eq!(
            to_json(&[0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]),
            Some(json!(1.5))
        );
        assert_eq!(to_json(&[0x43, 1, 2, 3]), Some(json!("AQID")));
        assert_eq!(to_json(&[0x62, b'h', b'i']), Some(json!("hi")));
        assert_eq!(
            to_json(&[0x7f, 0x61, b'h', 0x61, b'i', 0xff]),
            Some(json!("hi"))
        );
        assert_eq!(
            to_json(&[0xc1, 0x1a, 0x53, 0x5f, 0xe2, 0x8e]),
            Some(json!(1398792846))
        );
        assert_eq!(
            to_json(&[0x82, 0x01, 0x9f, 0x02, 0xff]),
            Some(json!([1, [2]]))
        );
    }

    #[test]
    fn hostile_input_is_refused() {
        assert_eq!(to_json(&[]), None);
        assert_eq!(
            to_json(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        assert_eq!(
            to_json(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        assert_eq!(to_json(&[0x62, 0xff, 0xfe]), None);
        assert_eq!(to_json(&[0x01, 0x02]), None);
        assert_eq!(to_json(&[0x1c]), None);
        // 100,000 nested arrays: refused by the depth limit, no stack overflow.
        assert_eq!(to_json(&vec![0x81; 100_000]), None);
        let tags = vec![0xc1; 100_000];
        assert_eq!(to_json(&tags), None);
        // Arbitrary bytes never panic.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let len = (state % 24) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let _ = to_json(&bytes);
        }
    }
}
