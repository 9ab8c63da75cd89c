//! Strict decoding of generated shapes from parsed JSON.
//!
//! A value that does not fit the model (of the wrong kind, out of range, malformed) is a
//! [`DecodeError`] that says why and where; `null` and absent members are `None`.
//!
//! The decoders read JSON through the [`Json`] view, which two trees implement: a
//! `serde_json::Value` (what `from_json` is given) and [`Parsed`], the tree
//! [`from_response`](crate::error::from_response) parses a body into. [`Parsed`] borrows
//! its strings from the body when they hold no escapes and keeps objects as lists of
//! entries, so that parsing allocates little more than the decoded values themselves.
//!
//! Both trees decode alike. An object that repeats a key counts only its last entry (what a
//! `serde_json::Value` keeps); a union is the non-null member with the smallest key (the
//! first non-null member of a `serde_json::Value` object, unless serde_json's `preserve_order`
//! feature orders its objects as received).

use std::collections::BTreeMap;
use std::fmt;

use serde_core::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::document::Number;

use crate::decode::{quote, DecodeError};
use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp, TimestampFormat};

/// What a JSON value is, as the decoders see it: one level of a [`Json`] tree.
#[derive(Debug)]
pub enum View<'a, J: Json> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(&'a str),
    /// An array.
    Array(&'a [J]),
    /// An object.
    Object(&'a J::Object),
}

/// A parsed JSON value the decoders read: `serde_json::Value` or [`Parsed`].
pub trait Json: Sized {
    /// The objects of the tree.
    type Object: Object<Value = Self> + ?Sized;

    /// The kind of the value, and its contents.
    fn view(&self) -> View<'_, Self>;

    /// Whether the value is `null`.
    fn is_null(&self) -> bool {
        matches!(self.view(), View::Null)
    }

    /// The value if it is a boolean.
    fn as_bool(&self) -> Option<bool> {
        match self.view() {
            View::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value if it is a number.
    fn as_number(&self) -> Option<Number> {
        match self.view() {
            View::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The value if it is an integer that fits an `i64`.
    fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    /// The value if it is a string.
    fn as_str(&self) -> Option<&str> {
        match self.view() {
            View::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items if the value is an array.
    fn as_array(&self) -> Option<&[Self]> {
        match self.view() {
            View::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object if the value is one.
    fn as_object(&self) -> Option<&Self::Object> {
        match self.view() {
            View::Object(object) => Some(object),
            _ => None,
        }
    }
}

/// A JSON object of a [`Json`] tree.
pub trait Object {
    /// The values of the tree.
    type Value: Json;

    /// The value of `key` (of its last entry, should the key repeat).
    fn get(&self, key: &str) -> Option<&Self::Value>;

    /// The entries in order. A key may repeat ([`Parsed`] keeps what the body holds); its
    /// last entry is the one that counts.
    fn entries(&self) -> impl Iterator<Item = (&str, &Self::Value)>;
}

impl Json for Value {
    type Object = serde_json::Map<String, Value>;

    fn view(&self) -> View<'_, Self> {
        match self {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n.into()),
            Value::String(s) => View::String(s),
            Value::Array(items) => View::Array(items),
            Value::Object(object) => View::Object(object),
        }
    }
}

impl Object for serde_json::Map<String, Value> {
    type Value = Value;

    fn get(&self, key: &str) -> Option<&Value> {
        serde_json::Map::get(self, key)
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Where a [`Parsed`] tree lives: one arena per body, dropped at once with everything in it.
///
/// Building a tree of `Vec`s costs an allocation per array and object of the body, and as many
/// frees; here each container is copied into the arena when it is complete (a bump of a
/// pointer), and nothing in the tree needs dropping.
#[derive(Default)]
pub struct Arena(bumpalo::Bump);

impl Arena {
    /// An empty arena; it allocates when the first container is stored.
    pub fn new() -> Arena {
        Arena(bumpalo::Bump::new())
    }

    /// An arena with room for about `bytes` bytes of tree before it grows (a body's length is
    /// a good guess for its tree).
    pub fn with_capacity(bytes: usize) -> Arena {
        Arena(bumpalo::Bump::with_capacity(bytes))
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Arena({} bytes)", self.0.allocated_bytes())
    }
}

/// A JSON value parsed from bytes it borrows from, its containers in an [`Arena`]: strings
/// without escapes (object keys included) point into the input, others into the arena, and
/// objects are their entries in the order received.
///
/// This is what [`from_response`](crate::error::from_response) and the operations' output
/// decoders read JSON bodies from: parsing into it takes less than parsing into a
/// `#[derive(Deserialize)]` struct (no allocation per string, one bump per container, nothing
/// to drop), and the decoders read it through [`Json`] as they read a `serde_json::Value`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Parsed<'a> {
    /// `null`; the default.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(&'a str),
    /// An array.
    Array(&'a [Parsed<'a>]),
    /// An object: its entries in order, repeated keys kept.
    Object(&'a [(&'a str, Parsed<'a>)]),
}

impl<'a> Parsed<'a> {
    /// Parses one JSON value, which `bytes` must hold alone (whitespace aside), into `arena`.
    ///
    /// Fails on malformed JSON, and on values nested deeper than serde_json's recursion limit
    /// (128 arrays and objects).
    pub fn from_slice(bytes: &'a [u8], arena: &'a Arena) -> Result<Parsed<'a>, serde_json::Error> {
        // JSON text is UTF-8. Checked once for the whole body, a run of ASCII goes a word at a
        // time; reading bytes, serde_json checks each string on its own (a call and its setup
        // per key and per value), which cost a sixth of the parse on bodies of short strings.
        // Bytes that are not UTF-8 are read as bytes, for serde_json's error and its position.
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::from_text(serde_json::Deserializer::from_str(text), arena),
            Err(_) => Self::from_text(serde_json::Deserializer::from_slice(bytes), arena),
        }
    }

    /// Reads one value and then the end of the input.
    fn from_text<R: serde_json::de::Read<'a>>(
        mut deserializer: serde_json::Deserializer<R>,
        arena: &'a Arena,
    ) -> Result<Parsed<'a>, serde_json::Error> {
        let value = Self::deserialize_in(&mut deserializer, arena)?;
        deserializer.end()?;
        Ok(value)
    }

    /// Reads one value from any self-describing deserializer into `arena`.
    fn deserialize_in<D: Deserializer<'a>>(
        deserializer: D,
        arena: &'a Arena,
    ) -> Result<Parsed<'a>, D::Error> {
        let mut values = Vec::new();
        let mut entries = Vec::new();
        let seed = Seed {
            arena: &arena.0,
            values: &mut values,
            entries: &mut entries,
        };
        de::DeserializeSeed::deserialize(seed, deserializer)
    }
}

impl<'a> Json for Parsed<'a> {
    type Object = [(&'a str, Parsed<'a>)];

    fn view(&self) -> View<'_, Self> {
        match *self {
            Parsed::Null => View::Null,
            Parsed::Bool(b) => View::Bool(b),
            Parsed::Number(n) => View::Number(n),
            Parsed::String(s) => View::String(s),
            Parsed::Array(items) => View::Array(items),
            Parsed::Object(entries) => View::Object(entries),
        }
    }
}

impl<'a> Object for [(&'a str, Parsed<'a>)] {
    type Value = Parsed<'a>;

    fn get(&self, key: &str) -> Option<&Parsed<'a>> {
        // From the end: the last entry of a repeated key wins.
        self.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &Parsed<'a>)> {
        self.iter().map(|(k, v)| (*k, v))
    }
}

/// Parses one value into the arena. Containers collect their items on the shared stacks
/// `values` and `entries` (a nested container pushes above its parent's items and takes its
/// own off when complete), then copy them into the arena.
struct Seed<'s, 'a> {
    arena: &'a bumpalo::Bump,
    values: &'s mut Vec<Parsed<'a>>,
    entries: &'s mut Vec<(&'a str, Parsed<'a>)>,
}

impl<'a> Seed<'_, 'a> {
    fn child(&mut self) -> Seed<'_, 'a> {
        Seed {
            arena: self.arena,
            values: self.values,
            entries: self.entries,
        }
    }
}

impl<'a> de::DeserializeSeed<'a> for Seed<'_, 'a> {
    type Value = Parsed<'a>;

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Parsed<'a>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The key serde_json (with its `arbitrary_precision` feature) passes a number under, as a
/// one-entry map whose value is the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'a> Visitor<'a> for Seed<'_, 'a> {
    type Value = Parsed<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Parsed<'a>, E> {
        Ok(Parsed::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Parsed<'a>, E> {
        Ok(Parsed::Number(if v < 0 {
            Number::NegInt(v)
        } else {
            Number::PosInt(v.unsigned_abs())
        }))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parsed<'a>, E> {
        Ok(Parsed::Number(Number::PosInt(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parsed<'a>, E> {
        // JSON has no spelling for the non-finite ones; a `serde_json::Value` makes them null.
        Ok(if v.is_finite() {
            Parsed::Number(Number::Float(v))
        } else {
            Parsed::Null
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Parsed<'a>, E> {
        Ok(Parsed::String(self.arena.alloc_str(v)))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<Parsed<'a>, E> {
        Ok(Parsed::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Parsed<'a>, E> {
        Ok(Parsed::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Parsed<'a>, E> {
        Ok(Parsed::Null)
    }

    fn visit_some<D: Deserializer<'a>>(self, deserializer: D) -> Result<Parsed<'a>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'a>>(mut self, mut seq: A) -> Result<Parsed<'a>, A::Error> {
        let start = self.values.len();
        while let Some(item) = seq.next_element_seed(self.child())? {
            self.values.push(item);
        }
        let items = self
            .arena
            .alloc_slice_copy(self.values.get(start..).unwrap_or_default());
        self.values.truncate(start);
        Ok(Parsed::Array(items))
    }

    fn visit_map<A: MapAccess<'a>>(mut self, mut map: A) -> Result<Parsed<'a>, A::Error> {
        let start = self.entries.len();
        let mut first = true;
        while let Some(key) = map.next_key_seed(KeySeed(self.arena))? {
            let value = map.next_value_seed(self.child())?;
            if first && key == NUMBER_TOKEN {
                if let Parsed::String(text) = value {
                    return number_text(text)
                        .map(Parsed::Number)
                        .ok_or_else(|| de::Error::custom("invalid number"));
                }
            }
            first = false;
            self.entries.push((key, value));
        }
        let entries = self
            .arena
            .alloc_slice_copy(self.entries.get(start..).unwrap_or_default());
        self.entries.truncate(start);
        Ok(Parsed::Object(entries))
    }
}

/// A number given as text (serde_json's `arbitrary_precision`).
fn number_text(text: &str) -> Option<Number> {
    if let Ok(v) = text.parse::<u64>() {
        Some(Number::PosInt(v))
    } else if let Ok(v) = text.parse::<i64>() {
        Some(Number::NegInt(v))
    } else {
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Number::Float)
    }
}

/// An object key: borrowed from the input, or copied into the arena when it had escapes.
struct KeySeed<'a>(&'a bumpalo::Bump);

impl<'a> de::DeserializeSeed<'a> for KeySeed<'a> {
    type Value = &'a str;

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<&'a str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'a> Visitor<'a> for KeySeed<'a> {
    type Value = &'a str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<&'a str, E> {
        Ok(self.0.alloc_str(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<&'a str, E> {
        Ok(v)
    }
}

/// Decoding from a JSON value of either tree (see [`Json`]): strict, a value that does not fit
/// is a [`DecodeError`] saying why and where.
pub trait FromJson: Sized {
    /// Decodes `value`.
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError>;

    /// What a `null` entry of a list or map decodes to: `None` (the default) drops the entry,
    /// as dense collections do; `Option<T>` keeps it as `Some(None)`, for `@sparse` ones.
    fn from_json_null() -> Option<Self> {
        None
    }
}

/// What a JSON value is, for error messages: `null`, `a boolean`, `a number`, `a string`,
/// `an array` or `an object`.
pub fn kind<J: Json>(value: &J) -> &'static str {
    value.view().kind()
}

impl<J: Json> View<'_, J> {
    /// What the viewed value is, for error messages (see [`kind`]).
    pub fn kind(&self) -> &'static str {
        match self {
            View::Null => "null",
            View::Bool(_) => "a boolean",
            View::Number(_) => "a number",
            View::String(_) => "a string",
            View::Array(_) => "an array",
            View::Object(_) => "an object",
        }
    }
}

/// `value` as an object, or the error `expected an object, found ...`: what generated
/// structure decoders call first.
pub fn object<J: Json>(value: &J) -> Result<&J::Object, DecodeError> {
    value
        .as_object()
        .ok_or_else(|| DecodeError::expected("an object", kind(value)))
}

/// Decodes the member `key` of `object`: `Ok(None)` when it is missing or `null`; an error
/// located at `key` when it does not fit `T`.
pub fn get<T: FromJson, O: Object + ?Sized>(
    object: &O,
    key: &str,
) -> Result<Option<T>, DecodeError> {
    match object.get(key) {
        Some(value) if !value.is_null() => T::from_json(value).map(Some).map_err(|e| e.at_key(key)),
        _ => Ok(None),
    }
}

/// [`get`] of `key`, else of `alias` when `key` is absent: a member renamed with `@jsonName`
/// is read under its wire name, or under its member name (how value trees render it).
pub fn get_or<T: FromJson, O: Object + ?Sized>(
    object: &O,
    key: &str,
    alias: &str,
) -> Result<Option<T>, DecodeError> {
    match get(object, key)? {
        Some(value) => Ok(Some(value)),
        None => get(object, alias),
    }
}

/// Decodes the timestamp member `key` of `object`, strictly in `format`: a number for
/// [`TimestampFormat::EpochSeconds`], a string in that format for the others. `Ok(None)` when
/// missing or `null`; an error located at `key` otherwise.
pub fn timestamp<O: Object + ?Sized>(
    object: &O,
    key: &str,
    format: TimestampFormat,
) -> Result<Option<Timestamp>, DecodeError> {
    match object.get(key) {
        Some(value) => timestamp_field(key, value, format),
        None => Ok(None),
    }
}

/// Decodes `value`, the member `key` of an object, as [`get`] does: what generated decoders
/// call for each entry as they walk an object once.
#[inline]
pub fn field<T: FromJson, J: Json>(key: &str, value: &J) -> Result<Option<T>, DecodeError> {
    if value.is_null() {
        return Ok(None);
    }
    T::from_json(value).map(Some).map_err(|e| e.at_key(key))
}

/// Decodes `value`, the timestamp member `key` of an object, as [`timestamp`] does.
pub fn timestamp_field<J: Json>(
    key: &str,
    value: &J,
    format: TimestampFormat,
) -> Result<Option<Timestamp>, DecodeError> {
    if value.is_null() {
        return Ok(None);
    }
    let decoded = match (format, value.view()) {
        (TimestampFormat::EpochSeconds, View::Number(n)) => epoch_seconds(n),
        (TimestampFormat::EpochSeconds, _) => Err(DecodeError::expected(
            "a number of epoch seconds",
            kind(value),
        )),
        (_, View::String(s)) => Timestamp::parse(s, format).ok_or_else(|| {
            DecodeError::expected(&format!("a timestamp in {format} format"), &quote(s))
        }),
        (_, _) => Err(DecodeError::expected(
            &format!("a timestamp string in {format} format"),
            kind(value),
        )),
    };
    decoded.map(Some).map_err(|e| e.at_key(key))
}

/// A number of seconds since the epoch as a timestamp.
fn epoch_seconds(n: Number) -> Result<Timestamp, DecodeError> {
    let decoded = if let Some(secs) = n.as_i64() {
        Timestamp::from_secs_nanos(secs, 0)
    } else if let Number::Float(f) = n {
        // The digits that were sent (`1398796238.123`), not the float's binary value
        // (`...122999906`): the nearest whole microsecond when it gives back the same float
        // (services send at most milliseconds), else the float's shortest spelling.
        let secs = f.floor();
        let micros = ((f - secs) * 1e6).round();
        if secs.abs() < 1e15 && micros < 1e6 && secs + micros / 1e6 == f {
            #[allow(clippy::cast_possible_truncation)]
            Timestamp::from_secs_nanos(secs as i64, micros as u32 * 1_000)
        } else {
            Timestamp::parse_epoch_seconds(&n.to_string())
        }
    } else {
        None
    };
    decoded.ok_or_else(|| DecodeError::new(format!("timestamp {n} is out of range")))
}

/// The error message of an error structure: the member's own key first, then the spellings
/// services use (`message`, `Message`, `errorMessage`). Lenient: members that are not strings
/// are passed over.
pub fn message<O: Object + ?Sized>(object: &O, key: &str) -> Option<String> {
    std::iter::once(key)
        .chain(crate::message::MESSAGE_KEYS)
        .find_map(|k| get(object, k).ok().flatten())
}

/// [`message`] found during the one pass a generated decoder makes over an object's entries,
/// rather than by a lookup per key afterwards: [`MessageSeeker::offer`] each entry, then
/// [`MessageSeeker::take`] the message. Same result as [`message`]: the member's own key
/// first, then [`MESSAGE_KEYS`](crate::message::MESSAGE_KEYS) in order, each by its last entry,
/// and the first of these that is a string wins; the `String` is built once, at the end.
pub struct MessageSeeker<'k, 'j, J> {
    key: &'k str,
    /// The last value seen for the member's own key, then for each of the message keys.
    found: [Option<&'j J>; 1 + crate::message::MESSAGE_KEYS.len()],
}

impl<'k, 'j, J: Json> MessageSeeker<'k, 'j, J> {
    /// A seeker for a message member whose own key is `key`.
    #[inline]
    pub fn new(key: &'k str) -> Self {
        MessageSeeker {
            key,
            found: [None; 1 + crate::message::MESSAGE_KEYS.len()],
        }
    }

    /// Notes the entry `key`: `value` if `key` is one the message goes by (a later entry of
    /// the same key replaces it, as [`Object::get`] takes the last).
    #[inline]
    pub fn offer(&mut self, key: &str, value: &'j J) {
        let keys = std::iter::once(self.key).chain(crate::message::MESSAGE_KEYS);
        // The first key that matches: the own key may be one of the others.
        if let Some(slot) = self
            .found
            .iter_mut()
            .zip(keys)
            .find_map(|(slot, k)| (k == key).then_some(slot))
        {
            *slot = Some(value);
        }
    }

    /// The message: the first key's value that is a string (others are passed over).
    pub fn take(self) -> Option<String> {
        self.found
            .iter()
            .flatten()
            .find_map(|value| value.as_str())
            .map(str::to_owned)
    }
}

/// The member a union object holds: the non-null entry with the smallest key, `__type` (the
/// error code some services add) aside. `None` when `value` is not an object or holds no such
/// entry.
pub fn union_member<J: Json>(value: &J) -> Option<(&str, &J)> {
    let object = value.as_object()?;
    // The smallest key and its last value, in one pass without allocating; when that value is
    // null the key does not count, and a map of the entries decides.
    let mut smallest: Option<(&str, &J)> = None;
    for (key, value) in object.entries() {
        if key == "__type" {
            continue;
        }
        match smallest {
            Some((least, _)) if key > least => {}
            _ => smallest = Some((key, value)),
        }
    }
    match smallest {
        Some((_, value)) if value.is_null() => {
            let mut entries = BTreeMap::new();
            for (key, value) in object.entries().filter(|(key, _)| *key != "__type") {
                entries.insert(key, value);
            }
            entries.into_iter().find(|(_, value)| !value.is_null())
        }
        found => found,
    }
}

impl FromJson for String {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        match value.view() {
            View::String(s) => Ok(s.to_owned()),
            _ => Err(DecodeError::expected("a string", kind(value))),
        }
    }
}

impl FromJson for bool {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        match value.view() {
            View::Bool(b) => Ok(b),
            _ => Err(DecodeError::expected("a boolean", kind(value))),
        }
    }
}

macro_rules! int_from_json {
    ($($ty:ty),*) => {
        $(impl FromJson for $ty {
            fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
                let View::Number(n) = value.view() else {
                    return Err(DecodeError::expected("an integer", kind(value)));
                };
                match n.as_i64() {
                    Some(i) => <$ty>::try_from(i).map_err(|_| out_of_range(n, stringify!($ty))),
                    None if n.is_f64() => Err(DecodeError::expected("an integer", &n.to_string())),
                    None => Err(out_of_range(n, stringify!($ty))),
                }
            }
        })*
    };
}

int_from_json!(i8, i16, i32, i64);

/// The error of a number that does not fit `ty`.
fn out_of_range(n: Number, ty: &str) -> DecodeError {
    DecodeError::new(format!("{n} is out of range for {ty}"))
}

impl FromJson for f64 {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let decoded = match value.view() {
            View::Number(n) => Some(n.as_f64()),
            View::String(s) => match s {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                _ => return Err(DecodeError::expected("a number", &quote(s))),
            },
            _ => None,
        };
        decoded.ok_or_else(|| DecodeError::expected("a number", kind(value)))
    }
}

impl FromJson for f32 {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let wide = f64::from_json(value)?;
        crate::text::f64_to_f32(wide)
            .ok_or_else(|| DecodeError::new(format!("{wide:e} is out of range for f32")))
    }
}

impl FromJson for BigInteger {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let decoded = match value.view() {
            View::Number(n) => {
                if let Number::Float(f) = n {
                    Some(f)
                        .filter(|f| f.is_finite() && f.fract() == 0.0)
                        .and_then(|f| BigInteger::new(&format!("{f:.0}")))
                } else {
                    BigInteger::new(&n.to_string())
                }
            }
            View::String(s) => BigInteger::new(s),
            _ => None,
        };
        decoded.ok_or_else(|| DecodeError::expected("an integer", &describe(value)))
    }
}

impl FromJson for BigDecimal {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let decoded = match value.view() {
            View::Number(n) => BigDecimal::new(&n.to_string()),
            View::String(s) => BigDecimal::new(s),
            _ => None,
        };
        decoded.ok_or_else(|| DecodeError::expected("a decimal number", &describe(value)))
    }
}

/// A scalar for an error message: a number or string by its text (quoted and cut short), any
/// other value by its [`kind`].
fn describe<J: Json>(value: &J) -> String {
    match value.view() {
        View::Number(n) => n.to_string(),
        View::String(s) => quote(s),
        _ => kind(value).to_owned(),
    }
}

/// A number is seconds since the epoch; a string is read in any of the formats
/// ([`Timestamp::parse_any`]). Members with a known format decode through [`timestamp`].
impl FromJson for Timestamp {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        match value.view() {
            View::Number(n) => epoch_seconds(n),
            View::String(s) => Timestamp::parse_any(s)
                .ok_or_else(|| DecodeError::expected("a timestamp", &quote(s))),
            _ => Err(DecodeError::expected("a timestamp", kind(value))),
        }
    }
}

impl FromJson for Blob {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        match value.view() {
            View::String(s) => {
                Blob::from_base64(s).ok_or_else(|| DecodeError::expected("base64", &quote(s)))
            }
            _ => Err(DecodeError::expected("a base64 string", kind(value))),
        }
    }
}

/// A document nesting deeper than [`crate::MAX_NESTING`] is refused: converting (and later
/// dropping) it would recurse once per level.
impl FromJson for Document {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        if crate::nesting::json_within(value, crate::MAX_NESTING) {
            Ok(Document::from_json_view(value))
        } else {
            Err(crate::decode::too_deep())
        }
    }
}

/// Like a [`Document`], a value nesting deeper than [`crate::MAX_NESTING`] is refused.
impl FromJson for Value {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        if crate::nesting::json_within(value, crate::MAX_NESTING) {
            Ok(to_value(value))
        } else {
            Err(crate::decode::too_deep())
        }
    }
}

/// `value` as a `serde_json::Value` (a copy when it is one).
fn to_value<J: Json>(value: &J) -> Value {
    match value.view() {
        View::Null => Value::Null,
        View::Bool(b) => Value::Bool(b),
        View::Number(n) => n.to_json(),
        View::String(s) => Value::String(s.to_owned()),
        View::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        View::Object(object) => {
            let mut map = serde_json::Map::new();
            for (key, value) in object.entries() {
                map.insert(key.to_owned(), to_value(value));
            }
            Value::Object(map)
        }
    }
}

/// An entry of a `@sparse` collection: `null` decodes to `None`, and a `null` entry is kept.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_json(value).map(Some)
        }
    }

    fn from_json_null() -> Option<Self> {
        Some(None)
    }
}

/// A boxed (recursive) member; an error past [`crate::MAX_NESTING`] levels.
impl<T: FromJson> FromJson for Box<T> {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        crate::nesting::deeper(|| T::from_json(value).map(Box::new))
    }

    fn from_json_null() -> Option<Self> {
        T::from_json_null().map(Box::new)
    }
}

/// An array. A `null` entry is dropped unless `T` keeps it ([`FromJson::from_json_null`],
/// `Option<T>` for `@sparse` lists); an entry that does not fit is an error at its index. An
/// error past [`crate::MAX_NESTING`] levels.
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let View::Array(items) = value.view() else {
            return Err(DecodeError::expected("an array", kind(value)));
        };
        crate::nesting::deeper(|| {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                if item.is_null() {
                    out.extend(T::from_json_null());
                } else {
                    out.push(T::from_json(item).map_err(|e| e.at_index(index))?);
                }
            }
            Ok(out)
        })
    }
}

/// An object. A `null` value is dropped unless `V` keeps it ([`FromJson::from_json_null`],
/// `Option<V>` for `@sparse` maps); a value that does not fit is an error at its key. A
/// repeated key counts by its last entry alone. An error past [`crate::MAX_NESTING`] levels.
impl<K: From<String> + Ord, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let View::Object(object) = value.view() else {
            return Err(DecodeError::expected("an object", kind(value)));
        };
        crate::nesting::deeper(|| {
            let mut map = BTreeMap::new();
            for (key, value) in object.entries() {
                let decoded = if value.is_null() {
                    V::from_json_null()
                } else {
                    Some(V::from_json(value).map_err(|e| e.at_key(key))?)
                };
                match decoded {
                    Some(value) => {
                        map.insert(K::from(key.to_owned()), value);
                    }
                    // An earlier entry of the key, if any, is overridden by this one.
                    None if !map.is_empty() => {
                        map.remove(&K::from(key.to_owned()));
                    }
                    None => {}
                }
            }
            Ok(map)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Decodes `v` as a `serde_json::Value` and as a [`Parsed`] of its text: both must agree.
    fn dec<T: FromJson + fmt::Debug>(v: Value) -> Result<T, DecodeError> {
        let arena = Arena::new();
        let text = v.to_string();
        let parsed = Parsed::from_slice(text.as_bytes(), &arena).expect("valid JSON");
        let from_value = T::from_json(&v);
        // Debug output compares NaN equal to itself.
        assert_eq!(
            format!("{from_value:?}"),
            format!("{:?}", T::from_json(&parsed)),
            "{text}"
        );
        from_value
    }

    /// The error of decoding `v`, as displayed.
    fn err<T: FromJson + fmt::Debug>(v: Value) -> String {
        match dec::<T>(v) {
            Ok(decoded) => panic!("decoded {decoded:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Decodes JSON text through [`Parsed`] (which keeps repeated keys).
    fn dec_text<T: FromJson>(text: &str) -> Result<T, DecodeError> {
        let arena = Arena::new();
        T::from_json(&Parsed::from_slice(text.as_bytes(), &arena).expect("valid JSON"))
    }

    #[test]
    fn strings_and_bools() {
        assert_eq!(dec::<String>(json!("a")), Ok("a".into()));
        assert_eq!(
            dec::<String>(json!("a\"\u{e9}\n")),
            Ok("a\"\u{e9}\n".into())
        );
        assert_eq!(err::<String>(json!(1)), "expected a string, found a number");
        assert_eq!(err::<String>(json!(null)), "expected a string, found null");
        assert_eq!(dec::<bool>(json!(true)), Ok(true));
        assert_eq!(
            err::<bool>(json!("true")),
            "expected a boolean, found a string"
        );
    }

    #[test]
    fn kinds() {
        let kinds = [
            json!(null),
            json!(true),
            json!(1),
            json!("s"),
            json!([]),
            json!({}),
        ]
        .iter()
        .map(kind)
        .collect::<Vec<_>>();
        assert_eq!(
            kinds,
            [
                "null",
                "a boolean",
                "a number",
                "a string",
                "an array",
                "an object"
            ]
        );
    }

    #[test]
    fn integers() {
        assert_eq!(dec::<i8>(json!(127)), Ok(127));
        assert_eq!(err::<i8>(json!(128)), "128 is out of range for i8");
        assert_eq!(err::<i8>(json!(-129)), "-129 is out of range for i8");
        assert_eq!(dec::<i16>(json!(-32768)), Ok(-32768));
        assert_eq!(
            err::<i32>(json!(2147483648i64)),
            "2147483648 is out of range for i32"
        );
        assert_eq!(dec::<i64>(json!(i64::MIN)), Ok(i64::MIN));
        assert_eq!(
            err::<i64>(json!(u64::MAX)),
            "18446744073709551615 is out of range for i64"
        );
        assert_eq!(err::<i32>(json!(1.5)), "expected an integer, found 1.5");
        assert_eq!(err::<i32>(json!(1.0)), "expected an integer, found 1.0");
        assert_eq!(
            err::<i32>(json!("1")),
            "expected an integer, found a string"
        );
        // Spellings `Value::to_string` does not produce parse alike.
        for text in [
            "-0",
            "1E2",
            "-1e0",
            "0.0",
            "18446744073709551615",
            "-9223372036854775809",
        ] {
            let value: Value = serde_json::from_str(text).expect("valid JSON");
            assert_eq!(dec_text::<i64>(text), i64::from_json(&value), "{text}");
            assert_eq!(dec_text::<f64>(text), f64::from_json(&value), "{text}");
        }
    }

    #[test]
    fn floats() {
        assert_eq!(dec::<f64>(json!(1.5)), Ok(1.5));
        assert_eq!(dec::<f64>(json!(2)), Ok(2.0));
        assert_eq!(dec::<f64>(json!("Infinity")), Ok(f64::INFINITY));
        assert_eq!(dec::<f64>(json!("-Infinity")), Ok(f64::NEG_INFINITY));
        assert!(dec::<f64>(json!("NaN")).is_ok_and(f64::is_nan));
        assert_eq!(
            err::<f64>(json!("inf")),
            r#"expected a number, found "inf""#
        );
        assert_eq!(
            err::<f64>(json!("1.5")),
            r#"expected a number, found "1.5""#
        );
        assert_eq!(err::<f64>(json!([])), "expected a number, found an array");
        assert_eq!(dec::<f32>(json!(1.5)), Ok(1.5));
        assert_eq!(err::<f32>(json!(1e300)), "1e300 is out of range for f32");
        assert_eq!(dec::<f32>(json!("Infinity")), Ok(f32::INFINITY));
    }

    #[test]
    fn big_numbers() {
        let some = |b: Option<BigInteger>| b.ok_or(());
        assert_eq!(dec::<BigInteger>(json!(5)).ok(), BigInteger::new("5"));
        assert_eq!(
            dec::<BigInteger>(json!("123456789012345678901234567890")).ok(),
            BigInteger::new("123456789012345678901234567890")
        );
        assert_eq!(
            dec::<BigInteger>(json!(1e20)).map_err(drop),
            some(BigInteger::new("100000000000000000000"))
        );
        assert_eq!(
            err::<BigInteger>(json!(1.5)),
            "expected an integer, found 1.5"
        );
        assert_eq!(
            err::<BigInteger>(json!("1.5")),
            r#"expected an integer, found "1.5""#
        );
        assert_eq!(dec::<BigDecimal>(json!(1.5)).ok(), BigDecimal::new("1.5"));
        assert_eq!(dec::<BigDecimal>(json!(-3)).ok(), BigDecimal::new("-3"));
        assert_eq!(
            dec::<BigDecimal>(json!("1e-400")).ok(),
            BigDecimal::new("1e-400")
        );
        assert_eq!(
            err::<BigDecimal>(json!("x")),
            r#"expected a decimal number, found "x""#
        );
        assert_eq!(
            err::<BigDecimal>(json!(true)),
            "expected a decimal number, found a boolean"
        );
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::from_secs_nanos(1398796238, 123_000_000).ok_or(());
        let ok = |t: Option<Timestamp>| t.ok_or(());
        let dec = |v: Value| dec::<Timestamp>(v).map_err(drop);
        assert_eq!(dec(json!(1398796238.123)), t);
        assert_eq!(
            dec(json!(1398796238)),
            ok(Timestamp::from_secs_nanos(1398796238, 0))
        );
        assert_eq!(
            dec(json!(-1.5)),
            ok(Timestamp::from_secs_nanos(-2, 500_000_000))
        );
        assert_eq!(dec(json!("2014-04-29T18:30:38.123Z")), t);
        assert_eq!(
            dec(json!("Tue, 29 Apr 2014 18:30:38 GMT")),
            ok(Timestamp::from_secs_nanos(1398796238, 0))
        );
        assert_eq!(
            err::<Timestamp>(json!(1e300)),
            "timestamp 1e+300 is out of range"
        );
        assert!(dec(json!(u64::MAX)).is_err());
        assert_eq!(dec(json!(1e-7)), ok(Timestamp::from_secs_nanos(0, 100)));
        assert_eq!(
            err::<Timestamp>(json!(true)),
            "expected a timestamp, found a boolean"
        );
        assert_eq!(
            err::<Timestamp>(json!("soon")),
            r#"expected a timestamp, found "soon""#
        );
    }

    #[test]
    fn timestamps_by_format() {
        let arena = Arena::new();
        use TimestampFormat::*;
        let v = json!({
            "epoch": 1398796238,
            "frac": 1398796238.123,
            "date": "2014-04-29T18:30:38Z",
            "http": "Tue, 29 Apr 2014 18:30:38 GMT",
            "text": "1398796238",
            "null": null,
        });
        let text = v.to_string();
        let parsed = Parsed::from_slice(text.as_bytes(), &arena).expect("valid JSON");
        let t = Timestamp::from_epoch_seconds(1398796238);
        let check = |key: &str, format| {
            let of_value = timestamp(object(&v).expect("object"), key, format);
            let of_parsed = timestamp(object(&parsed).expect("object"), key, format);
            assert_eq!(of_value, of_parsed, "{key}");
            of_value.map_err(|e| e.to_string())
        };
        assert_eq!(check("epoch", EpochSeconds), Ok(Some(t)));
        assert_eq!(
            check("frac", EpochSeconds),
            Ok(Timestamp::from_secs_nanos(1398796238, 123_000_000))
        );
        assert_eq!(check("date", DateTime), Ok(Some(t)));
        assert_eq!(check("http", HttpDate), Ok(Some(t)));
        assert_eq!(check("null", HttpDate), Ok(None));
        assert_eq!(check("missing", DateTime), Ok(None));
        assert_eq!(
            check("text", EpochSeconds),
            Err("text: expected a number of epoch seconds, found a string".into())
        );
        assert_eq!(
            check("epoch", DateTime),
            Err("epoch: expected a timestamp string in date-time format, found a number".into())
        );
        assert_eq!(
            check("http", DateTime),
            Err(
                r#"http: expected a timestamp in date-time format, found "Tue, 29 Apr 2014 18:30:38 GMT""#
                    .into()
            )
        );
        assert_eq!(
            check("date", HttpDate),
            Err(
                r#"date: expected a timestamp in http-date format, found "2014-04-29T18:30:38Z""#
                    .into()
            )
        );
    }

    #[test]
    fn blobs_documents_and_values() {
        assert_eq!(dec::<Blob>(json!("Zm9v")), Ok(Blob::from("foo")));
        assert_eq!(err::<Blob>(json!("***")), r#"expected base64, found "***""#);
        assert_eq!(
            err::<Blob>(json!(1)),
            "expected a base64 string, found a number"
        );
        assert_eq!(dec::<Document>(json!(null)), Ok(Document::Null));
        let value = json!({"a": [1, -2, 2.5, "x", null, true], "b": {"c": {}}});
        assert_eq!(dec::<Document>(value.clone()), Ok(Document::from(&value)));
        assert_eq!(dec::<Value>(value.clone()), Ok(value));
        // A repeated key keeps its last entry, as in a `serde_json::Value`.
        assert_eq!(
            dec_text::<Value>(r#"{"a": 1, "b": 2, "a": [3]}"#),
            Ok(json!({"a": [3], "b": 2}))
        );
        assert_eq!(
            dec_text::<Document>(r#"{"a": 1, "a": null}"#),
            Ok(Document::Object(BTreeMap::from([(
                "a".into(),
                Document::Null
            )])))
        );
    }

    #[test]
    fn collections() {
        // Dense collections drop null entries; sparse ones keep them.
        assert_eq!(dec::<Vec<i32>>(json!([1, null, 2, null])), Ok(vec![1, 2]));
        assert_eq!(
            dec::<Vec<Option<i32>>>(json!([1, null, 2])),
            Ok(vec![Some(1), None, Some(2)])
        );
        assert_eq!(
            dec::<Vec<Box<Option<i32>>>>(json!([null])),
            Ok(vec![Box::new(None)])
        );
        assert_eq!(
            err::<Vec<i32>>(json!([1, "x", 2])),
            "[1]: expected an integer, found a string"
        );
        assert_eq!(
            err::<Vec<Option<i32>>>(json!([null, true])),
            "[1]: expected an integer, found a boolean"
        );
        assert_eq!(
            err::<Vec<i32>>(json!({})),
            "expected an array, found an object"
        );
        let map: Result<BTreeMap<String, i32>, _> = dec(json!({"a": 1, "b": null, "c": 3}));
        assert_eq!(map, Ok(BTreeMap::from([("a".into(), 1), ("c".into(), 3)])));
        assert_eq!(
            err::<BTreeMap<String, i32>>(json!({"a": 1, "b": "x"})),
            "b: expected an integer, found a string"
        );
        let sparse: Result<BTreeMap<String, Option<i32>>, _> = dec(json!({"a": null, "b": 1}));
        assert_eq!(
            sparse,
            Ok(BTreeMap::from([("a".into(), None), ("b".into(), Some(1))]))
        );
        assert_eq!(
            err::<BTreeMap<String, i32>>(json!([])),
            "expected an object, found an array"
        );
        assert_eq!(dec::<Box<i32>>(json!(3)), Ok(Box::new(3)));
        assert_eq!(
            dec::<Vec<Vec<String>>>(json!([["a"], null, []])),
            Ok(vec![vec!["a".into()], vec![]])
        );
        assert_eq!(
            err::<Vec<Vec<String>>>(json!([["a"], ["b", 2]])),
            "[1][1]: expected a string, found a number"
        );
        // The last entry of a repeated key decides; a null one drops the key.
        let map: Result<BTreeMap<String, i32>, _> =
            dec_text(r#"{"a": 1, "b": 2, "a": null, "b": 3, "c": "y", "c": 4}"#);
        assert_eq!(
            map.map_err(|e| e.to_string()),
            Err("c: expected an integer, found a string".into())
        );
        let map: Result<BTreeMap<String, i32>, _> =
            dec_text(r#"{"a": 1, "b": 2, "a": null, "b": 3}"#);
        assert_eq!(map, Ok(BTreeMap::from([("b".into(), 3)])));
    }

    #[test]
    fn get_member() {
        let arena = Arena::new();
        let v = json!({"a": 1, "n": null, "s": "x"});
        let obj = object(&v).expect("an object");
        assert_eq!(get::<i32, _>(obj, "a"), Ok(Some(1)));
        assert_eq!(get::<i32, _>(obj, "n"), Ok(None));
        assert_eq!(get::<Option<i32>, _>(obj, "n"), Ok(None));
        assert_eq!(
            get::<i32, _>(obj, "s").map_err(|e| e.to_string()),
            Err("s: expected an integer, found a string".into())
        );
        assert_eq!(get::<i32, _>(obj, "missing"), Ok(None));
        assert_eq!(
            object(&json!([1])).map_err(|e| e.to_string()),
            Err("expected an object, found an array".into())
        );
        let parsed =
            Parsed::from_slice(br#"{"a": 1, "n": null, "a": 2, "m": 3, "m": null}"#, &arena);
        let Ok(parsed) = parsed else {
            panic!("valid JSON")
        };
        let obj = object(&parsed).expect("an object");
        assert_eq!(get::<i32, _>(obj, "a"), Ok(Some(2)));
        assert_eq!(get::<i32, _>(obj, "n"), Ok(None));
        assert_eq!(get::<i32, _>(obj, "m"), Ok(None));
        assert_eq!(message(obj, "m"), None);
        assert_eq!(seek_message(obj, "m"), None);
        // `message` stays lenient: a member that is not a string is passed over.
        let v = json!({"message": 1, "Message": "m"});
        assert_eq!(
            message(object(&v).expect("an object"), "x"),
            Some("m".into())
        );
    }

    /// [`MessageSeeker`] over the entries of `object`, as generated decoders drive it.
    fn seek_message<O: Object + ?Sized>(object: &O, key: &str) -> Option<String> {
        let mut seeker = MessageSeeker::new(key);
        for (k, value) in object.entries() {
            seeker.offer(k, value);
        }
        seeker.take()
    }

    #[test]
    fn message_seeker_finds_what_message_finds() {
        // Priority (own key, then `message`, `Message`, `errorMessage`), whatever the order of
        // the entries; values that are not strings passed over; a repeated key by its last
        // entry; the own key equal to one of the message keys.
        let bodies = [
            r#"{}"#,
            r#"{"x": 1}"#,
            r#"{"errorMessage": "e", "Message": "M", "message": "m", "x": "own"}"#,
            r#"{"errorMessage": "e", "Message": "M", "message": "m"}"#,
            r#"{"errorMessage": "e", "Message": "M", "message": null}"#,
            r#"{"errorMessage": "e", "Message": 2, "message": [], "x": {}}"#,
            r#"{"message": "first", "message": 1, "Message": "M"}"#,
            r#"{"message": 1, "message": "last"}"#,
            r#"{"x": "a", "x": null, "errorMessage": "e"}"#,
            r#"{"Message": "M", "x": "own", "Message": "M2"}"#,
            r#"{"other": "o"}"#,
        ];
        let arena = Arena::new();
        for body in bodies {
            let Ok(parsed) = Parsed::from_slice(body.as_bytes(), &arena) else {
                panic!("valid JSON: {body}")
            };
            let value: Value = serde_json::from_str(body).expect("valid JSON");
            for key in ["x", "message", "Message", "errorMessage", "other"] {
                let parsed = object(&parsed).expect("an object");
                let value = object(&value).expect("an object");
                assert_eq!(seek_message(parsed, key), message(parsed, key), "{body} {key}");
                assert_eq!(seek_message(value, key), message(value, key), "{body} {key}");
            }
        }
        let v = json!({"Message": 1, "errorMessage": "e", "x": "own"});
        assert_eq!(
            seek_message(object(&v).expect("an object"), "x"),
            Some("own".into())
        );
        assert_eq!(
            seek_message(object(&v).expect("an object"), "message"),
            Some("e".into())
        );
    }

    /// A recursive shape, decoded the way generated structures are.
    #[derive(Debug, PartialEq)]
    struct Node {
        next: Option<Box<Node>>,
        tags: Vec<String>,
    }

    impl FromJson for Node {
        fn from_json<J: Json>(value: &J) -> Result<Self, DecodeError> {
            let object = object(value)?;
            Ok(Node {
                next: get(object, "next")?,
                tags: get(object, "tags")?.unwrap_or_default(),
            })
        }
    }

    #[test]
    fn errors_name_their_path() {
        let v = json!({"next": {"next": {"tags": ["a", "b", 3]}}});
        assert_eq!(
            err::<Node>(v),
            "next.next.tags[2]: expected a string, found a number"
        );
        let v = json!({"next": {"next": [], "tags": []}});
        assert_eq!(
            err::<Node>(v),
            "next.next: expected an object, found an array"
        );
        let v = json!([{"tags": ["a"]}, {"tags": "a"}]);
        assert_eq!(
            err::<Vec<Node>>(v),
            "[1].tags: expected an array, found a string"
        );
    }

    /// Drops `value` without recursing once per level.
    fn drop_deep(value: Value) {
        let mut stack = vec![value];
        while let Some(mut value) = stack.pop() {
            match &mut value {
                Value::Array(items) => stack.append(items),
                Value::Object(map) => stack.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    #[test]
    fn hostile_depth_is_an_error_not_an_overflow() {
        let arena = Arena::new();
        // Built in memory, past what any parser would let through.
        let mut v = json!({});
        for _ in 0..2_000 {
            // Not `json!`, which would serialize `v` again (recursively).
            v = Value::Object(serde_json::Map::from_iter([("next".to_owned(), v)]));
        }
        let e = Node::from_json(&v).expect_err("too deep");
        assert_eq!(e.message(), "nested deeper than 256 levels");
        // The 257th boxed member is the one refused.
        assert_eq!(e.path(), vec!["next"; crate::MAX_NESTING + 1].join("."));
        assert!(Document::from_json(&v).is_err());
        drop_deep(v);
        let mut v = json!([]);
        for _ in 0..2_000 {
            v = Value::Array(vec![v]);
        }
        let e = Vec::<Value>::from_json(&v).expect_err("too deep");
        assert_eq!(e.to_string(), "[0]: nested deeper than 256 levels");
        assert!(Vec::<Box<Vec<i32>>>::from_json(&v).is_err());
        assert!(Document::from_json(&v).is_err());
        assert!(Value::from_json(&v).is_err());
        drop_deep(v);
        // A body at serde_json's limit decodes.
        let text = format!("{}{{}}{}", "{\"next\":".repeat(120), "}".repeat(120));
        let parsed = Parsed::from_slice(text.as_bytes(), &arena).expect("within the limit");
        assert!(Node::from_json(&parsed).is_ok());
    }

    #[test]
    fn union_members() {
        fn member(text: &str) -> Option<(String, String)> {
            let arena = Arena::new();
            let value: Value = serde_json::from_str(text).expect("valid JSON");
            let parsed = Parsed::from_slice(text.as_bytes(), &arena).expect("valid JSON");
            let of_parsed =
                union_member(&parsed).map(|(k, v)| (k.to_owned(), to_value(v).to_string()));
            let of_value = union_member(&value).map(|(k, v)| (k.to_owned(), v.to_string()));
            // The text of a repeated key is not a `Value`'s (it keeps one entry).
            if !text.contains("dup") {
                assert_eq!(of_parsed, of_value, "{text}");
            }
            of_parsed
        }
        let m = |k: &str, v: &str| Some((k.to_owned(), v.to_owned()));
        assert_eq!(member(r#"{"b": 1}"#), m("b", "1"));
        assert_eq!(member(r#"{"__type": "X", "b": {}}"#), m("b", "{}"));
        assert_eq!(member(r#"{"c": 1, "b": 2}"#), m("b", "2"));
        assert_eq!(member(r#"{"a": null, "c": 1, "b": null}"#), m("c", "1"));
        assert_eq!(member(r#"{"a": null, "__type": "X"}"#), None);
        assert_eq!(member(r#"{}"#), None);
        assert_eq!(member(r#"[{"a": 1}]"#), None);
        assert_eq!(member(r#"{"dup": 1, "dup": 2}"#), m("dup", "2"));
        assert_eq!(member(r#"{"dup": 1, "dup": null, "e": 3}"#), m("e", "3"));
        assert_eq!(member(r#"{"dup": null, "e": 3, "dup": 1}"#), m("dup", "1"));
    }

    #[test]
    fn parsing_borrows_plain_strings() {
        let arena = Arena::new();
        let text = br#" {"plain": "text", "esc\u0061ped": "a\nb", "n": [1, -2, 2.5, true, null]} "#;
        let Ok(Parsed::Object(entries)) = Parsed::from_slice(text, &arena) else {
            panic!("an object")
        };
        // Borrowed strings point into the input.
        let range = text.as_ptr_range();
        let borrowed = |s: &str| range.contains(&s.as_ptr());
        assert_eq!(
            entries
                .iter()
                .map(|(k, v)| (*k, borrowed(k), v.as_str().map(|s| s.to_owned())))
                .collect::<Vec<_>>(),
            [
                ("plain", true, Some("text".to_owned())),
                ("escaped", false, Some("a\nb".to_owned())),
                ("n", true, None)
            ]
        );
        assert!(matches!(&entries[0].1, Parsed::String(s) if borrowed(s)));
        assert!(matches!(&entries[1].1, Parsed::String(s) if !borrowed(s)));
        assert_eq!(to_value(&entries[2].1), json!([1, -2, 2.5, true, null]));
    }

    #[test]
    fn parsing_refuses_what_serde_json_refuses() {
        let arena = Arena::new();
        for text in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "1 2",
            "{} x",
            "\"\\x\"",
            "1e400",
            "\u{feff}1",
        ] {
            assert!(
                Parsed::from_slice(text.as_bytes(), &arena).is_err(),
                "{text:?}"
            );
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
        }
        // serde_json's recursion limit stands.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(Parsed::from_slice(deep.as_bytes(), &arena).is_err());
        let fits = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Parsed::from_slice(fits.as_bytes(), &arena).is_ok());
        assert_eq!(
            Parsed::from_slice(b"[1, 2]\n", &arena).ok(),
            Some(Parsed::Array(&[
                Parsed::Number(Number::PosInt(1)),
                Parsed::Number(Number::PosInt(2))
            ]))
        );
    }

    #[test]
    fn bodies_that_are_not_utf8_fail_as_serde_json_says() {
        // Text is parsed as `&str` after one check of the whole body; other bytes still go
        // through serde_json's byte reader, whose error names the place.
        let arena = Arena::new();
        for (bytes, message) in [
            (
                &b"{\"a\": \"x\xffy\"}"[..],
                "invalid unicode code point at line 1 column 9",
            ),
            (
                b"{\"k\xc3\": 1}",
                "invalid unicode code point at line 1 column 4",
            ),
            (b"[1, \xe2\x82]", "expected value at line 1 column 5"),
            (b"\xff", "expected value at line 1 column 1"),
        ] {
            let error = Parsed::from_slice(bytes, &arena).expect_err("not UTF-8");
            let of_serde = serde_json::from_slice::<Value>(bytes).expect_err("not UTF-8");
            assert_eq!(error.to_string(), of_serde.to_string(), "{bytes:?}");
            assert_eq!(error.to_string(), message, "{bytes:?}");
        }
        // Text, multi-byte characters included, parses as it did from bytes.
        let text = "{\"clé\": [\"naïve ☃\", \"\\u00e9\", 1.5], \"😀\": null}";
        let parsed = Parsed::from_slice(text.as_bytes(), &arena).expect("UTF-8 JSON");
        let value: Value = serde_json::from_str(text).expect("UTF-8 JSON");
        assert_eq!(to_value(&parsed), value);
        let Parsed::Object([(key, _), ..]) = parsed else {
            panic!("an object")
        };
        assert!(text.as_bytes().as_ptr_range().contains(&key.as_ptr()));
    }

    #[test]
    fn numbers_passed_as_text() {
        // serde_json with `arbitrary_precision` hands numbers over as one-entry maps.
        use serde_core::de::value::{Error, MapDeserializer};
        let arena = Arena::new();
        let parse = |entries: Vec<(&'static str, &'static str)>| {
            Parsed::deserialize_in(
                MapDeserializer::<_, Error>::new(entries.into_iter()),
                &arena,
            )
        };
        assert_eq!(
            parse(vec![(NUMBER_TOKEN, "12.5")]),
            Ok(Parsed::Number(Number::Float(12.5)))
        );
        assert!(parse(vec![(NUMBER_TOKEN, "x")]).is_err());
        let map = parse(vec![("a", "1"), (NUMBER_TOKEN, "2")]);
        assert_eq!(
            map.map(|p| to_value(&p)),
            Ok(json!({"a": "1", NUMBER_TOKEN: "2"}))
        );
    }
}
