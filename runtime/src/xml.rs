//! Hardened XML parsing and strict decoding of generated shapes from it.
//!
//! Element and attribute names are compared by local name: namespaces and
//! prefixes are ignored. An element that does not fit the model is a
//! [`DecodeError`] located by element names and list indexes; an absent
//! element or attribute is `None`.

use std::collections::BTreeMap;
use std::fmt;

pub use roxmltree;

use crate::decode::{quote, DecodeError};
use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp, TimestampFormat};

/// An XML element (or any node) of a parsed document.
pub type Element<'a, 'input> = roxmltree::Node<'a, 'input>;

/// The most nodes a document may have.
pub const MAX_NODES: u32 = 1_000_000;
/// The deepest elements may nest (the root element is at depth 1).
pub const MAX_DEPTH: usize = 256;

/// Why a document was refused.
#[derive(Debug)]
pub enum XmlError {
    /// Not well-formed, holds a DTD, or has too many nodes.
    Parse(roxmltree::Error),
    /// Elements nest deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Parse(e) => write!(f, "invalid XML: {e}"),
            XmlError::TooDeep => write!(
                f,
                "invalid XML: elements nest deeper than {MAX_DEPTH} levels"
            ),
        }
    }
}

impl std::error::Error for XmlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XmlError::Parse(e) => Some(e),
            XmlError::TooDeep => None,
        }
    }
}

/// Parses `text`, refusing DTDs (hence any entity beyond the predefined
/// ones), documents of more than [`MAX_NODES`] nodes and elements nested
/// deeper than [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, XmlError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(XmlError::Parse)?;
    // Nodes come in document order, so a parent's depth is known before its
    // children's; no recursion needed.
    let mut depths: Vec<usize> = Vec::new();
    for node in doc.descendants() {
        let depth = match node.parent() {
            Some(parent) => depths.get(parent.id().get_usize()).copied().unwrap_or(0) + 1,
            None => 0,
        };
        if depth > MAX_DEPTH {
            return Err(XmlError::TooDeep);
        }
        let id = node.id().get_usize();
        if depths.len() <= id {
            depths.resize(id + 1, 0);
        }
        if let Some(slot) = depths.get_mut(id) {
            *slot = depth;
        }
    }
    Ok(doc)
}

/// Decoding from an XML element: strict, an element that does not fit is a [`DecodeError`]
/// saying why and where.
pub trait FromXml: Sized {
    /// Decodes `element`.
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError>;

    /// Decodes a scalar from text (an element's text or an attribute value); shapes that are
    /// not scalars keep the default, an error.
    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        let _ = text;
        Err(DecodeError::new(
            "expected a scalar: this shape cannot be read from text",
        ))
    }
}

/// The text of `el`: its text and CDATA children concatenated (empty when none).
pub fn text(el: Element<'_, '_>) -> String {
    let mut out = String::new();
    for child in el.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
        }
    }
    out
}

/// The local part of a name the model gives with a prefix (`xsi:someName`): documents are
/// read by local names, namespaces aside.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// Whether `el` is an element named `name` (local name).
fn is_named(el: &Element<'_, '_>, name: &str) -> bool {
    el.is_element() && el.tag_name().name() == local(name)
}

/// The child elements of `el` named `name`.
fn children_named<'a, 'i, 'n>(
    el: Element<'a, 'i>,
    name: &'n str,
) -> impl Iterator<Item = Element<'a, 'i>> + 'n
where
    'a: 'n,
    'i: 'n,
{
    el.children().filter(move |c| is_named(c, name))
}

/// The first child element of `el` named `name`.
pub fn child<'a, 'i>(el: Element<'a, 'i>, name: &str) -> Option<Element<'a, 'i>> {
    el.children().find(|c| is_named(c, name))
}

/// The child `name` of `el`, decoded: `Ok(None)` without the child, an error located at
/// `name` when it does not fit.
pub fn get<T: FromXml>(el: Element<'_, '_>, name: &str) -> Result<Option<T>, DecodeError> {
    match child(el, name) {
        Some(found) => T::from_xml(found).map(Some).map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// The error message of an error structure: the member's own element first, then the
/// spellings services use (`Message`, `message`, `errorMessage`). Lenient: `None` when none
/// decodes.
pub fn message(el: Element<'_, '_>, name: &str) -> Option<String> {
    std::iter::once(name)
        .chain(crate::message::MESSAGE_KEYS)
        .find_map(|n| get(el, n).ok().flatten())
}

/// The value of the attribute `name` of `el` (local name).
fn attribute<'a>(el: Element<'a, '_>, name: &str) -> Option<&'a str> {
    let name = local(name);
    el.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// The attribute `name` of `el` (local name), decoded from its text: `Ok(None)` without the
/// attribute, an error located at `name` when it does not fit.
pub fn attr<T: FromXml>(el: Element<'_, '_>, name: &str) -> Result<Option<T>, DecodeError> {
    match attribute(el, name) {
        Some(value) => T::from_xml_text(value)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// `text` (trimmed) as a timestamp in `format`.
fn timestamp_text(text: &str, format: TimestampFormat) -> Result<Timestamp, DecodeError> {
    let text = text.trim();
    Timestamp::parse(text, format).ok_or_else(|| {
        DecodeError::expected(&format!("a timestamp in {format} format"), &quote(text))
    })
}

/// The child `name` of `el` as a timestamp, its text read strictly in `format`: `Ok(None)`
/// without the child, an error located at `name` when it does not fit.
pub fn timestamp(
    el: Element<'_, '_>,
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Timestamp>, DecodeError> {
    match child(el, name) {
        Some(found) => timestamp_text(&text(found), format)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// The attribute `name` of `el` as a timestamp, read strictly in `format`: `Ok(None)` without
/// the attribute, an error located at `name` when it does not fit.
pub fn attr_timestamp(
    el: Element<'_, '_>,
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Timestamp>, DecodeError> {
    match attribute(el, name) {
        Some(value) => timestamp_text(value, format)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// How a list entry or map value is read: [`FromXml::from_xml`], or for a list or map nested
/// in another, [`entries_in`] or [`map_in`] with the inner collection's element names.
pub trait Decode<T>: Fn(Element<'_, '_>) -> Result<T, DecodeError> {}

impl<T, F: Fn(Element<'_, '_>) -> Result<T, DecodeError>> Decode<T> for F {}

/// Decodes the given elements as list entries, an error at the index of the first that does
/// not fit. An error past [`crate::MAX_NESTING`] levels.
fn entries<'a, 'i: 'a, T>(
    items: impl Iterator<Item = Element<'a, 'i>>,
    decode: impl Decode<T>,
) -> Result<Vec<T>, DecodeError> {
    crate::nesting::deeper(|| {
        items
            .enumerate()
            .map(|(index, item)| decode(item).map_err(|e| e.at_index(index)))
            .collect()
    })
}

/// A list nested in a list or map: `wrapper` holds one `member` element per entry.
pub fn entries_in<T>(
    wrapper: Element<'_, '_>,
    member: &str,
    decode: impl Decode<T>,
) -> Result<Vec<T>, DecodeError> {
    entries(children_named(wrapper, member), decode)
}

/// A map nested in a list or map: `wrapper` holds one `entry` element per entry.
pub fn map_in<K: From<String> + Ord, V>(
    wrapper: Element<'_, '_>,
    key: &str,
    value: &str,
    decode: impl Decode<V>,
) -> Result<BTreeMap<K, V>, DecodeError> {
    map_entries(children_named(wrapper, "entry"), key, value, decode)
}

/// A wrapped list: the child `name` of `el`, holding one `member` element per entry.
/// `Ok(None)` without the child; an entry that does not fit is an error located at
/// `name[index]`.
pub fn list<T: FromXml>(
    el: Element<'_, '_>,
    name: &str,
    member: &str,
) -> Result<Option<Vec<T>>, DecodeError> {
    list_with(el, name, member, T::from_xml)
}

/// [`list`] with its entries read by `decode`.
pub fn list_with<T>(
    el: Element<'_, '_>,
    name: &str,
    member: &str,
    decode: impl Decode<T>,
) -> Result<Option<Vec<T>>, DecodeError> {
    match child(el, name) {
        Some(wrapper) => entries(children_named(wrapper, member), decode)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// A flattened list: every child of `el` named `name` is one entry. `Ok(None)` when there is
/// none; an entry that does not fit is an error located at `name[index]`.
pub fn flat_list<T: FromXml>(
    el: Element<'_, '_>,
    name: &str,
) -> Result<Option<Vec<T>>, DecodeError> {
    flat_list_with(el, name, T::from_xml)
}

/// [`flat_list`] with its entries read by `decode`.
pub fn flat_list_with<T>(
    el: Element<'_, '_>,
    name: &str,
    decode: impl Decode<T>,
) -> Result<Option<Vec<T>>, DecodeError> {
    if child(el, name).is_none() {
        return Ok(None);
    }
    entries(children_named(el, name), decode)
        .map(Some)
        .map_err(|e| e.at_key(name))
}

/// Decodes map entries: in each, the `key` child's text and the decoded `value` child. A
/// repeated key keeps its last entry; an entry without its key or value is an error at its
/// index, a value that does not fit an error at its key. An error past
/// [`crate::MAX_NESTING`] levels.
fn map_entries<'a, 'i: 'a, K: From<String> + Ord, V>(
    items: impl Iterator<Item = Element<'a, 'i>>,
    key: &str,
    value: &str,
    decode: impl Decode<V>,
) -> Result<BTreeMap<K, V>, DecodeError> {
    crate::nesting::deeper(|| {
        let mut map = BTreeMap::new();
        for (index, entry) in items.enumerate() {
            let missing = |what: &str| {
                DecodeError::new(format!("map entry without a <{what}> element")).at_index(index)
            };
            let k = text(child(entry, key).ok_or_else(|| missing(key))?);
            let v = child(entry, value).ok_or_else(|| missing(value))?;
            let v = decode(v).map_err(|e| e.at_key(&k))?;
            map.insert(K::from(k), v);
        }
        Ok(map)
    })
}

/// A wrapped map: `<name><entry><key/><value/></entry>...</name>`, with the given key and
/// value element names. `Ok(None)` without the child `name`; an entry that does not fit is an
/// error located at `name.key` (or at `name[index]` when it lacks its key or value).
pub fn map<K: From<String> + Ord, V: FromXml>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
) -> Result<Option<BTreeMap<K, V>>, DecodeError> {
    map_with(el, name, key, value, V::from_xml)
}

/// [`map`] with its values read by `decode`.
pub fn map_with<K: From<String> + Ord, V>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
    decode: impl Decode<V>,
) -> Result<Option<BTreeMap<K, V>>, DecodeError> {
    match child(el, name) {
        Some(wrapper) => map_entries(children_named(wrapper, "entry"), key, value, decode)
            .map(Some)
            .map_err(|e| e.at_key(name)),
        None => Ok(None),
    }
}

/// A flattened map: each child `<name><key/><value/></name>` of `el` is one entry. `Ok(None)`
/// when there is none; errors are located as for [`map`].
pub fn flat_map<K: From<String> + Ord, V: FromXml>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
) -> Result<Option<BTreeMap<K, V>>, DecodeError> {
    flat_map_with(el, name, key, value, V::from_xml)
}

/// [`flat_map`] with its values read by `decode`.
pub fn flat_map_with<K: From<String> + Ord, V>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
    decode: impl Decode<V>,
) -> Result<Option<BTreeMap<K, V>>, DecodeError> {
    if child(el, name).is_none() {
        return Ok(None);
    }
    map_entries(children_named(el, name), key, value, decode)
        .map(Some)
        .map_err(|e| e.at_key(name))
}

// ---------------------------------------------------------------------------
// FromXml for scalars

impl FromXml for String {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        Ok(text(element))
    }

    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        Ok(text.to_owned())
    }
}

macro_rules! scalar_from_xml {
    ($($ty:ty),*) => {
        $(impl FromXml for $ty {
            fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
                Self::from_xml_text(&text(element))
            }

            fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
                crate::text::FromText::from_text(text.trim())
            }
        })*
    };
}

scalar_from_xml!(bool, i8, i16, i32, i64, f32, f64, BigInteger, BigDecimal, Blob);

/// Read in any of the formats ([`Timestamp::parse_any`]); members with a known format decode
/// through [`timestamp`] and [`attr_timestamp`].
impl FromXml for Timestamp {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        Self::from_xml_text(&text(element))
    }

    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        Timestamp::parse_any(text)
            .ok_or_else(|| DecodeError::expected("a timestamp", &quote(text.trim())))
    }
}

/// A boxed (recursive) member; an error past [`crate::MAX_NESTING`] levels.
impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        crate::nesting::deeper(|| T::from_xml(element).map(Box::new))
    }

    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        T::from_xml_text(text).map(Box::new)
    }
}

/// An entry of a `@sparse` collection. XML has no null: an entry that does not decode is
/// `None` when it is empty (no child element, blank text), an error otherwise; an empty entry
/// that decodes (a `String`'s `""`) is `Some`.
impl<T: FromXml> FromXml for Option<T> {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        match T::from_xml(element) {
            Ok(value) => Ok(Some(value)),
            Err(_) if is_empty(element) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        match T::from_xml_text(text) {
            Ok(value) => Ok(Some(value)),
            Err(_) if text.trim().is_empty() => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Whether `el` has no child element and only blank text.
fn is_empty(el: Element<'_, '_>) -> bool {
    el.children()
        .all(|c| !c.is_element() && c.text().is_none_or(|t| t.trim().is_empty()))
}

/// A wrapped list whose entries are `<member>` elements.
impl<T: FromXml> FromXml for Vec<T> {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        entries(children_named(element, "member"), T::from_xml)
    }
}

/// A wrapped map of `<entry><key/><value/></entry>` elements.
impl<K: From<String> + Ord, V: FromXml> FromXml for BTreeMap<K, V> {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        map_entries(
            children_named(element, "entry"),
            "key",
            "value",
            V::from_xml,
        )
    }
}

/// The XML protocols have no documents, but an error structure with a `document` member (of a
/// JSON service) still decodes from XML, so a document reads an element this way: one without
/// child elements is its text as a [`Document::String`]; one with child elements is a
/// [`Document::Object`] of child name to value, where a name that repeats holds an
/// [`Document::Array`] of its values in order. Attributes are ignored. An error past
/// [`crate::MAX_NESTING`] levels.
impl FromXml for Document {
    fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
        crate::nesting::deeper(|| {
            let mut children = element.children().filter(Element::is_element).peekable();
            if children.peek().is_none() {
                return Ok(Document::String(text(element)));
            }
            let mut object: BTreeMap<String, Document> = BTreeMap::new();
            for child in children {
                let name = child.tag_name().name();
                let value = Document::from_xml(child).map_err(|e| e.at_key(name))?;
                match object.entry(name.to_owned()) {
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    std::collections::btree_map::Entry::Occupied(mut slot) => {
                        match slot.get_mut() {
                            Document::Array(items) => items.push(value),
                            first => {
                                let first = std::mem::take(first);
                                *slot.get_mut() = Document::Array(vec![first, value]);
                            }
                        }
                    }
                }
            }
            Ok(Document::Object(object))
        })
    }

    fn from_xml_text(text: &str) -> Result<Self, DecodeError> {
        Ok(Document::String(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_root<R>(xml: &str, f: impl FnOnce(Element<'_, '_>) -> R) -> R {
        match parse(xml) {
            Ok(doc) => f(doc.root_element()),
            Err(e) => panic!("{xml}: {e}"),
        }
    }

    /// The child `name` decoded, `None` when it does not fit.
    fn ok<T: FromXml>(el: Element<'_, '_>, name: &str) -> Option<T> {
        get(el, name).ok().flatten()
    }

    /// The error of a result, as displayed.
    fn err<T: fmt::Debug>(result: Result<T, DecodeError>) -> String {
        match result {
            Ok(decoded) => panic!("decoded {decoded:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn scalars() {
        with_root(
            "<r><s> a b </s><e/><b>true</b><bad>TRUE</bad><i8>-128</i8><big>128</big>\
             <i64> 9223372036854775807 </i64><f>1.5</f><nan>NaN</nan><inf>-Infinity</inf>\
             <bi>123456789012345678901234567890</bi><bd>-1.5e3</bd>\
             <t>2014-04-29T18:30:38Z</t><te>1398796238</te><blob> Zm9v </blob></r>",
            |r| {
                assert_eq!(get::<String>(r, "s"), Ok(Some(" a b ".into())));
                assert_eq!(get::<String>(r, "e"), Ok(Some(String::new())));
                assert_eq!(get::<bool>(r, "b"), Ok(Some(true)));
                assert_eq!(
                    err(get::<bool>(r, "bad")),
                    r#"bad: expected true or false, found "TRUE""#
                );
                assert_eq!(get::<i8>(r, "i8"), Ok(Some(-128)));
                assert_eq!(
                    err(get::<i8>(r, "big")),
                    r#"big: "128" is out of range for i8"#
                );
                assert_eq!(get::<i16>(r, "big"), Ok(Some(128)));
                assert_eq!(get::<i64>(r, "i64"), Ok(Some(i64::MAX)));
                assert_eq!(
                    err(get::<i32>(r, "e")),
                    "e: expected an integer, found empty text"
                );
                assert_eq!(
                    err(get::<i32>(r, "f")),
                    r#"f: expected an integer, found "1.5""#
                );
                assert_eq!(get::<f32>(r, "f"), Ok(Some(1.5)));
                assert!(ok::<f64>(r, "nan").is_some_and(f64::is_nan));
                assert_eq!(get::<f64>(r, "inf"), Ok(Some(f64::NEG_INFINITY)));
                assert_eq!(
                    err(get::<f64>(r, "s")),
                    r#"s: expected a number, found "a b""#
                );
                assert_eq!(
                    err(get::<f64>(r, "e")),
                    "e: expected a number, found empty text"
                );
                assert_eq!(
                    ok::<BigInteger>(r, "bi"),
                    BigInteger::new("123456789012345678901234567890")
                );
                assert!(get::<BigInteger>(r, "f").is_err());
                assert_eq!(ok::<BigDecimal>(r, "bd"), BigDecimal::new("-1.5e3"));
                assert_eq!(
                    get::<Timestamp>(r, "t"),
                    Ok(Some(Timestamp::from_epoch_seconds(1398796238)))
                );
                assert_eq!(
                    get::<Timestamp>(r, "te"),
                    Ok(Some(Timestamp::from_epoch_seconds(1398796238)))
                );
                assert_eq!(
                    err(get::<Timestamp>(r, "s")),
                    r#"s: expected a timestamp, found "a b""#
                );
                assert_eq!(get::<Blob>(r, "blob"), Ok(Some(Blob::from("foo"))));
                assert_eq!(
                    err(get::<Blob>(r, "s")),
                    r#"s: expected base64, found "a b""#
                );
                assert_eq!(get::<String>(r, "missing"), Ok(None));
            },
        );
    }

    #[test]
    fn timestamps_by_format() {
        use TimestampFormat::*;
        with_root(
            r#"<r d="2014-04-29T18:30:38Z" h="Tue, 29 Apr 2014 18:30:38 GMT" e="1398796238">
               <d> 2014-04-29T18:30:38Z </d><h>Tue, 29 Apr 2014 18:30:38 GMT</h>
               <e>1398796238</e><x/></r>"#,
            |r| {
                let t = Some(Timestamp::from_epoch_seconds(1398796238));
                assert_eq!(timestamp(r, "d", DateTime), Ok(t));
                assert_eq!(timestamp(r, "h", HttpDate), Ok(t));
                assert_eq!(timestamp(r, "e", EpochSeconds), Ok(t));
                assert_eq!(timestamp(r, "missing", EpochSeconds), Ok(None));
                assert_eq!(
                    err(timestamp(r, "e", DateTime)),
                    r#"e: expected a timestamp in date-time format, found "1398796238""#
                );
                assert_eq!(
                    err(timestamp(r, "d", HttpDate)),
                    r#"d: expected a timestamp in http-date format, found "2014-04-29T18:30:38Z""#
                );
                assert_eq!(
                    err(timestamp(r, "x", EpochSeconds)),
                    "x: expected a timestamp in epoch-seconds format, found empty text"
                );
                assert_eq!(attr_timestamp(r, "d", DateTime), Ok(t));
                assert_eq!(attr_timestamp(r, "h", HttpDate), Ok(t));
                assert_eq!(attr_timestamp(r, "e", EpochSeconds), Ok(t));
                assert_eq!(attr_timestamp(r, "missing", DateTime), Ok(None));
                assert_eq!(
                    err(attr_timestamp(r, "h", EpochSeconds)),
                    r#"h: expected a timestamp in epoch-seconds format, found "Tue, 29 Apr 2014 18:30:38 GMT""#
                );
            },
        );
    }

    #[test]
    fn cdata_and_entities() {
        with_root(
            "<r><a>x &lt;&amp;&gt; <![CDATA[<y>&amp;]]> z</a><b>&#65;&#x42;</b></r>",
            |r| {
                assert_eq!(ok::<String>(r, "a"), Some("x <&> <y>&amp; z".into()));
                assert_eq!(ok::<String>(r, "b"), Some("AB".into()));
            },
        );
    }

    #[test]
    fn namespaces_are_ignored() {
        let xml = r#"<ns:Root xmlns:ns="urn:a" xmlns="urn:b" xmlns:x="urn:x" x:id="7" plain="p">
            <ns:Name>n</ns:Name><Other>o</Other></ns:Root>"#;
        with_root(xml, |r| {
            assert_eq!(ok::<String>(r, "Name"), Some("n".into()));
            assert_eq!(ok::<String>(r, "Other"), Some("o".into()));
            assert_eq!(attr::<i32>(r, "id"), Ok(Some(7)));
            assert_eq!(attr::<String>(r, "plain"), Ok(Some("p".into())));
            assert_eq!(attr::<String>(r, "missing"), Ok(None));
            assert_eq!(
                err(attr::<i32>(r, "plain")),
                r#"plain: expected an integer, found "p""#
            );
            assert_eq!(
                err(attr::<Vec<String>>(r, "plain")),
                "plain: expected a scalar: this shape cannot be read from text"
            );
        });
    }

    #[test]
    fn lists() {
        let xml = "<r><l><member>1</member><member>x</member><member>3</member></l>\
                   <ok><member>1</member><member> 3 </member></ok>\
                   <empty/><f>a</f><g/><f>b</f><fi>1</fi><fi>x</fi>\
                   <c><item>1</item><item>2</item></c>\
                   <s><member>1</member><member/><member> </member></s>\
                   <sbad><member>1</member><member>y</member></sbad>\
                   <ss><member/><member>a</member></ss>\
                   <n><member><member>a</member></member><member/></n>\
                   <nbad><member><member>a</member></member><member><member>1</member><member>z</member></member></nbad></r>";
        with_root(xml, |r| {
            assert_eq!(
                err(get::<Vec<i32>>(r, "l")),
                r#"l[1]: expected an integer, found "x""#
            );
            assert_eq!(
                err(list::<i32>(r, "l", "member")),
                r#"l[1]: expected an integer, found "x""#
            );
            assert_eq!(get::<Vec<i32>>(r, "ok"), Ok(Some(vec![1, 3])));
            assert_eq!(list::<i32>(r, "ok", "member"), Ok(Some(vec![1, 3])));
            assert_eq!(list::<i32>(r, "empty", "member"), Ok(Some(vec![])));
            assert_eq!(list::<i32>(r, "missing", "member"), Ok(None));
            assert_eq!(list::<i32>(r, "c", "item"), Ok(Some(vec![1, 2])));
            assert_eq!(
                flat_list::<String>(r, "f"),
                Ok(Some(vec!["a".into(), "b".into()]))
            );
            assert_eq!(flat_list::<String>(r, "missing"), Ok(None));
            assert_eq!(
                err(flat_list::<i32>(r, "fi")),
                r#"fi[1]: expected an integer, found "x""#
            );
            // Sparse entries: an empty one that does not decode is `None`.
            assert_eq!(
                list::<Option<i32>>(r, "s", "member"),
                Ok(Some(vec![Some(1), None, None]))
            );
            assert_eq!(
                err(list::<Option<i32>>(r, "sbad", "member")),
                r#"sbad[1]: expected an integer, found "y""#
            );
            assert_eq!(
                list::<Option<String>>(r, "ss", "member"),
                Ok(Some(vec![Some(String::new()), Some("a".into())]))
            );
            assert_eq!(
                get::<Vec<Vec<String>>>(r, "n"),
                Ok(Some(vec![vec!["a".into()], vec![]]))
            );
            assert_eq!(
                err(get::<Vec<Vec<i32>>>(r, "nbad")),
                r#"nbad[0][0]: expected an integer, found "a""#
            );
        });
    }

    #[test]
    fn maps() {
        let xml = "<r><m><entry><key>a</key><value>1</value></entry>\
                   <entry><key>c</key><value>3</value></entry>\
                   <entry><key>a</key><value>4</value></entry></m>\
                   <bad><entry><key>a</key><value>1</value></entry>\
                   <entry><key>b</key><value>x</value></entry></bad>\
                   <nokey><entry><key>a</key><value>1</value></entry><entry><value>3</value></entry></nokey>\
                   <noval><entry><key>a</key></entry></noval>\
                   <cm><entry><k>a</k><v>1</v></entry></cm>\
                   <fm><K>x</K><V>1</V></fm><fm><K>y</K><V>2</V></fm>\
                   <fb><K>x</K><V>1</V></fb><fb><K>y</K><V>no</V></fb></r>";
        with_root(xml, |r| {
            let expected = BTreeMap::from([("a".to_string(), 4), ("c".to_string(), 3)]);
            assert_eq!(
                get::<BTreeMap<String, i32>>(r, "m"),
                Ok(Some(expected.clone()))
            );
            assert_eq!(
                map::<String, i32>(r, "m", "key", "value"),
                Ok(Some(expected))
            );
            assert_eq!(
                err(map::<String, i32>(r, "bad", "key", "value")),
                r#"bad.b: expected an integer, found "x""#
            );
            assert_eq!(
                err(get::<BTreeMap<String, i32>>(r, "bad")),
                r#"bad.b: expected an integer, found "x""#
            );
            assert_eq!(
                err(map::<String, i32>(r, "nokey", "key", "value")),
                "nokey[1]: map entry without a <key> element"
            );
            assert_eq!(
                err(map::<String, i32>(r, "noval", "key", "value")),
                "noval[0]: map entry without a <value> element"
            );
            assert_eq!(
                map::<String, i32>(r, "cm", "k", "v"),
                Ok(Some(BTreeMap::from([("a".into(), 1)])))
            );
            assert_eq!(map::<String, i32>(r, "missing", "k", "v"), Ok(None));
            assert_eq!(
                flat_map::<String, i32>(r, "fm", "K", "V"),
                Ok(Some(BTreeMap::from([("x".into(), 1), ("y".into(), 2)])))
            );
            assert_eq!(flat_map::<String, i32>(r, "missing", "K", "V"), Ok(None));
            assert_eq!(
                err(flat_map::<String, bool>(r, "fb", "K", "V")),
                r#"fb.x: expected true or false, found "1""#
            );
        });
    }

    #[test]
    fn child_and_text() {
        with_root("<r>a<x>1</x>b<x>2</x><!-- c --><?pi?>c</r>", |r| {
            assert_eq!(text(r), "abc");
            assert_eq!(child(r, "x").map(text), Some("1".into()));
            assert_eq!(child(r, "y"), None);
        });
    }

    #[test]
    fn dtd_refused() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"#;
        assert!(matches!(
            parse(laughs),
            Err(XmlError::Parse(roxmltree::Error::DtdDetected))
        ));
        let external = r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert!(parse(external).is_err());
        assert!(parse("<r>&undefined;</r>").is_err());
    }

    #[test]
    fn too_deep_refused_without_overflow() {
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert!(matches!(parse(&deep), Err(XmlError::TooDeep)));
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let over = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(parse(&over), Err(XmlError::TooDeep)));
        assert!(XmlError::TooDeep.to_string().contains("256"));
    }

    #[test]
    fn malformed_refused() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "text",
            "<a/><b/>",
            "<a x='1' x='2'/>",
            "<a>\u{1}</a>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn too_many_nodes_refused() {
        let many = format!("<r>{}</r>", "<a/>".repeat(MAX_NODES as usize));
        assert!(matches!(
            parse(&many),
            Err(XmlError::Parse(roxmltree::Error::NodesLimitReached))
        ));
    }

    #[test]
    fn documents_read_elements_as_strings_objects_and_arrays() {
        with_root(
            "<r><d><a>1</a><b><c>x</c></b><a>2</a></d><e> t </e></r>",
            |r| {
                let object = |pairs: Vec<(&str, Document)>| {
                    Document::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                };
                let s = |t: &str| Document::String(t.to_owned());
                assert_eq!(
                    get::<Document>(r, "d"),
                    Ok(Some(object(vec![
                        ("a", Document::Array(vec![s("1"), s("2")])),
                        ("b", object(vec![("c", s("x"))])),
                    ])))
                );
                assert_eq!(get::<Document>(r, "e"), Ok(Some(s(" t "))));
            },
        );
        // As deep as parsing allows: decoded without overflowing the stack.
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        with_root(&deep, |r| assert!(Document::from_xml(r).is_ok()));
    }

    /// A recursive shape, decoded the way generated structures are.
    #[derive(Debug)]
    struct Node(#[allow(dead_code)] Option<Box<Node>>);

    impl FromXml for Node {
        fn from_xml(element: Element<'_, '_>) -> Result<Self, DecodeError> {
            Ok(Node(get(element, "a")?))
        }
    }

    #[test]
    fn hostile_depth_is_an_error_not_an_overflow() {
        // Deeper than MAX_NESTING, parsed without `parse`'s limit.
        let deep = format!("{}{}", "<a>".repeat(2_000), "</a>".repeat(2_000));
        let options = || roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_NODES,
            ..roxmltree::ParsingOptions::default()
        };
        let Ok(doc) = roxmltree::Document::parse_with_options(&deep, options()) else {
            panic!("well-formed")
        };
        let e = Node::from_xml(doc.root_element()).expect_err("too deep");
        assert_eq!(e.message(), "nested deeper than 256 levels");
        assert!(e.path().starts_with("a.a.a"));
        let e = Document::from_xml(doc.root_element()).expect_err("too deep");
        assert_eq!(e.message(), "nested deeper than 256 levels");
        let lists = format!("{}{}", "<member>".repeat(2_000), "</member>".repeat(2_000));
        let Ok(doc) = roxmltree::Document::parse_with_options(&lists, options()) else {
            panic!("well-formed")
        };
        assert!(Vec::<Document>::from_xml(doc.root_element()).is_err());
        // A document `parse` accepts decodes.
        with_root(
            &format!("{}{}", "<a>".repeat(200), "</a>".repeat(200)),
            |r| {
                assert!(Node::from_xml(r).is_ok());
            },
        );
    }
}
