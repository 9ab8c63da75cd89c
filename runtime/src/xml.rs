//! Hardened XML parsing and lenient decoding of generated shapes from it.
//!
//! Element and attribute names are compared by local name: namespaces and
//! prefixes are ignored.

use std::collections::BTreeMap;
use std::fmt;

pub use roxmltree;

use crate::{BigDecimal, BigInteger, Blob, Document, Timestamp};

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

/// Decoding from an XML element; `None` when it does not fit.
pub trait FromXml: Sized {
    /// Decodes `element`.
    fn from_xml(element: Element<'_, '_>) -> Option<Self>;

    /// Decodes a scalar from text (an element's text or an attribute value);
    /// shapes that are not scalars keep the default, `None`.
    fn from_xml_text(text: &str) -> Option<Self> {
        let _ = text;
        None
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

/// Whether `el` is an element named `name` (local name).
fn is_named(el: &Element<'_, '_>, name: &str) -> bool {
    el.is_element() && el.tag_name().name() == name
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

/// The child `name` of `el`, decoded.
pub fn get<T: FromXml>(el: Element<'_, '_>, name: &str) -> Option<T> {
    T::from_xml(child(el, name)?)
}

/// The error message of an error structure: the member's own element first, then the
/// spellings services use (`Message`, `message`, `errorMessage`).
pub fn message(el: Element<'_, '_>, name: &str) -> Option<String> {
    std::iter::once(name)
        .chain(crate::error::MESSAGE_KEYS)
        .find_map(|n| get(el, n))
}

/// The attribute `name` of `el` (local name), decoded from its text.
pub fn attr<T: FromXml>(el: Element<'_, '_>, name: &str) -> Option<T> {
    let attribute = el.attributes().find(|a| a.name() == name)?;
    T::from_xml_text(attribute.value())
}

/// Decodes every `member` child of `wrapper`, skipping those that do not fit.
/// Empty past [`crate::MAX_NESTING`] levels.
fn entries<T: FromXml>(wrapper: Element<'_, '_>, member: &str) -> Vec<T> {
    crate::nesting::deeper(|| {
        Some(
            children_named(wrapper, member)
                .filter_map(T::from_xml)
                .collect(),
        )
    })
    .unwrap_or_default()
}

/// A wrapped list: the child `name` of `el`, holding one `member` element per
/// entry. Entries that do not decode are skipped; `None` without the child.
pub fn list<T: FromXml>(el: Element<'_, '_>, name: &str, member: &str) -> Option<Vec<T>> {
    Some(entries(child(el, name)?, member))
}

/// A flattened list: every child of `el` named `name` is one entry. `None`
/// when there is none.
pub fn flat_list<T: FromXml>(el: Element<'_, '_>, name: &str) -> Option<Vec<T>> {
    let mut found = false;
    let items = crate::nesting::deeper(|| {
        Some(
            children_named(el, name)
                .inspect(|_| found = true)
                .filter_map(T::from_xml)
                .collect(),
        )
    })?;
    found.then_some(items)
}

/// One map entry: the `key` child's text and the decoded `value` child; `None` past
/// [`crate::MAX_NESTING`] levels.
fn map_entry<K: From<String>, V: FromXml>(
    entry: Element<'_, '_>,
    key: &str,
    value: &str,
) -> Option<(K, V)> {
    let k = text(child(entry, key)?);
    let v = crate::nesting::deeper(|| V::from_xml(child(entry, value)?))?;
    Some((K::from(k), v))
}

/// A wrapped map: `<name><entry><key/><value/></entry>...</name>`, with the
/// given key and value element names. Entries that do not decode are skipped;
/// `None` without the child `name`.
pub fn map<K: From<String> + Ord, V: FromXml>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
) -> Option<BTreeMap<K, V>> {
    let wrapper = child(el, name)?;
    Some(
        children_named(wrapper, "entry")
            .filter_map(|e| map_entry(e, key, value))
            .collect(),
    )
}

/// A flattened map: each child `<name><key/><value/></name>` of `el` is one
/// entry. Entries that do not decode are skipped; `None` when there is none.
pub fn flat_map<K: From<String> + Ord, V: FromXml>(
    el: Element<'_, '_>,
    name: &str,
    key: &str,
    value: &str,
) -> Option<BTreeMap<K, V>> {
    let mut found = false;
    let map = children_named(el, name)
        .inspect(|_| found = true)
        .filter_map(|e| map_entry(e, key, value))
        .collect();
    found.then_some(map)
}

// ---------------------------------------------------------------------------
// FromXml for scalars

macro_rules! scalar_from_xml {
    ($($ty:ty => |$t:ident| $parse:expr;)*) => {
        $(impl FromXml for $ty {
            fn from_xml(element: Element<'_, '_>) -> Option<Self> {
                Self::from_xml_text(&text(element))
            }

            fn from_xml_text($t: &str) -> Option<Self> {
                $parse
            }
        })*
    };
}

scalar_from_xml! {
    String => |t| Some(t.to_string());
    bool => |t| crate::text::parse_bool(t.trim());
    i8 => |t| t.trim().parse().ok();
    i16 => |t| t.trim().parse().ok();
    i32 => |t| t.trim().parse().ok();
    i64 => |t| t.trim().parse().ok();
    f32 => |t| crate::text::parse_f32(t.trim());
    f64 => |t| crate::text::parse_f64(t.trim());
    BigInteger => |t| BigInteger::new(t.trim());
    BigDecimal => |t| BigDecimal::new(t.trim());
    Timestamp => |t| Timestamp::parse_any(t);
    Blob => |t| Blob::from_base64(t.trim());
}

/// A boxed (recursive) member; `None` past [`crate::MAX_NESTING`] levels.
impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(element: Element<'_, '_>) -> Option<Self> {
        crate::nesting::deeper(|| T::from_xml(element).map(Box::new))
    }

    fn from_xml_text(text: &str) -> Option<Self> {
        T::from_xml_text(text).map(Box::new)
    }
}

/// An entry of a `@sparse` collection: one that does not decode is `Some(None)`.
impl<T: FromXml> FromXml for Option<T> {
    fn from_xml(element: Element<'_, '_>) -> Option<Self> {
        Some(T::from_xml(element))
    }

    fn from_xml_text(text: &str) -> Option<Self> {
        Some(T::from_xml_text(text))
    }
}

/// A wrapped list whose entries are `<member>` elements.
impl<T: FromXml> FromXml for Vec<T> {
    fn from_xml(element: Element<'_, '_>) -> Option<Self> {
        Some(entries(element, "member"))
    }
}

/// A wrapped map of `<entry><key/><value/></entry>` elements.
impl<K: From<String> + Ord, V: FromXml> FromXml for BTreeMap<K, V> {
    fn from_xml(element: Element<'_, '_>) -> Option<Self> {
        Some(
            children_named(element, "entry")
                .filter_map(|e| map_entry(e, "key", "value"))
                .collect(),
        )
    }
}

/// The XML protocols have no documents, but an error structure with a `document` member (of a
/// JSON service) still decodes from XML, so a document reads an element this way: one without
/// child elements is its text as a [`Document::String`]; one with child elements is a
/// [`Document::Object`] of child name to value, where a name that repeats holds an
/// [`Document::Array`] of its values in order. Attributes are ignored. `None` past
/// [`crate::MAX_NESTING`] levels.
impl FromXml for Document {
    fn from_xml(element: Element<'_, '_>) -> Option<Self> {
        crate::nesting::deeper(|| {
            let mut children = element.children().filter(Element::is_element).peekable();
            if children.peek().is_none() {
                return Some(Document::String(text(element)));
            }
            let mut object: BTreeMap<String, Document> = BTreeMap::new();
            for child in children {
                let value = Document::from_xml(child)?;
                match object.entry(child.tag_name().name().to_owned()) {
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    std::collections::btree_map::Entry::Occupied(mut slot) => match slot.get_mut() {
                        Document::Array(items) => items.push(value),
                        first => {
                            let first = std::mem::take(first);
                            *slot.get_mut() = Document::Array(vec![first, value]);
                        }
                    },
                }
            }
            Some(Document::Object(object))
        })
    }

    fn from_xml_text(text: &str) -> Option<Self> {
        Some(Document::String(text.to_owned()))
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

    #[test]
    fn scalars() {
        with_root(
            "<r><s> a b </s><e/><b>true</b><bad>TRUE</bad><i8>-128</i8><big>128</big>\
             <i64> 9223372036854775807 </i64><f>1.5</f><nan>NaN</nan><inf>-Infinity</inf>\
             <bi>123456789012345678901234567890</bi><bd>-1.5e3</bd>\
             <t>2014-04-29T18:30:38Z</t><te>1398796238</te><blob> Zm9v </blob></r>",
            |r| {
                assert_eq!(get::<String>(r, "s"), Some(" a b ".into()));
                assert_eq!(get::<String>(r, "e"), Some(String::new()));
                assert_eq!(get::<bool>(r, "b"), Some(true));
                assert_eq!(get::<bool>(r, "bad"), None);
                assert_eq!(get::<i8>(r, "i8"), Some(-128));
                assert_eq!(get::<i8>(r, "big"), None);
                assert_eq!(get::<i16>(r, "big"), Some(128));
                assert_eq!(get::<i64>(r, "i64"), Some(i64::MAX));
                assert_eq!(get::<f32>(r, "f"), Some(1.5));
                assert!(get::<f64>(r, "nan").is_some_and(f64::is_nan));
                assert_eq!(get::<f64>(r, "inf"), Some(f64::NEG_INFINITY));
                assert_eq!(get::<f64>(r, "s"), None);
                assert_eq!(
                    get::<BigInteger>(r, "bi"),
                    BigInteger::new("123456789012345678901234567890")
                );
                assert_eq!(get::<BigDecimal>(r, "bd"), BigDecimal::new("-1.5e3"));
                assert_eq!(
                    get::<Timestamp>(r, "t"),
                    Some(Timestamp::from_epoch_seconds(1398796238))
                );
                assert_eq!(
                    get::<Timestamp>(r, "te"),
                    Some(Timestamp::from_epoch_seconds(1398796238))
                );
                assert_eq!(get::<Blob>(r, "blob"), Some(Blob::from("foo")));
                assert_eq!(get::<String>(r, "missing"), None);
            },
        );
    }

    #[test]
    fn cdata_and_entities() {
        with_root(
            "<r><a>x &lt;&amp;&gt; <![CDATA[<y>&amp;]]> z</a><b>&#65;&#x42;</b></r>",
            |r| {
                assert_eq!(get::<String>(r, "a"), Some("x <&> <y>&amp; z".into()));
                assert_eq!(get::<String>(r, "b"), Some("AB".into()));
            },
        );
    }

    #[test]
    fn namespaces_are_ignored() {
        let xml = r#"<ns:Root xmlns:ns="urn:a" xmlns="urn:b" xmlns:x="urn:x" x:id="7" plain="p">
            <ns:Name>n</ns:Name><Other>o</Other></ns:Root>"#;
        with_root(xml, |r| {
            assert_eq!(get::<String>(r, "Name"), Some("n".into()));
            assert_eq!(get::<String>(r, "Other"), Some("o".into()));
            assert_eq!(attr::<i32>(r, "id"), Some(7));
            assert_eq!(attr::<String>(r, "plain"), Some("p".into()));
            assert_eq!(attr::<String>(r, "missing"), None);
            assert_eq!(attr::<Vec<String>>(r, "plain"), None);
        });
    }

    #[test]
    fn lists() {
        let xml = "<r><l><member>1</member><member>x</member><member>3</member></l>\
                   <empty/><f>a</f><g/><f>b</f>\
                   <c><item>1</item><item>2</item></c>\
                   <s><member>1</member><member/></s>\
                   <n><member><member>a</member></member><member/></n></r>";
        with_root(xml, |r| {
            assert_eq!(get::<Vec<i32>>(r, "l"), Some(vec![1, 3]));
            assert_eq!(list::<i32>(r, "l", "member"), Some(vec![1, 3]));
            assert_eq!(list::<i32>(r, "empty", "member"), Some(vec![]));
            assert_eq!(list::<i32>(r, "missing", "member"), None);
            assert_eq!(list::<i32>(r, "c", "item"), Some(vec![1, 2]));
            assert_eq!(
                flat_list::<String>(r, "f"),
                Some(vec!["a".into(), "b".into()])
            );
            assert_eq!(flat_list::<String>(r, "missing"), None);
            assert_eq!(
                list::<Option<i32>>(r, "s", "member"),
                Some(vec![Some(1), None])
            );
            assert_eq!(
                get::<Vec<Vec<String>>>(r, "n"),
                Some(vec![vec!["a".into()], vec![]])
            );
        });
    }

    #[test]
    fn maps() {
        let xml = "<r><m><entry><key>a</key><value>1</value></entry>\
                   <entry><key>b</key><value>x</value></entry>\
                   <entry><value>3</value></entry>\
                   <entry><key>c</key><value>3</value></entry></m>\
                   <cm><entry><k>a</k><v>1</v></entry></cm>\
                   <fm><K>x</K><V>1</V></fm><fm><K>y</K><V>2</V></fm></r>";
        with_root(xml, |r| {
            let expected = BTreeMap::from([("a".to_string(), 1), ("c".to_string(), 3)]);
            assert_eq!(get::<BTreeMap<String, i32>>(r, "m"), Some(expected.clone()));
            assert_eq!(map::<String, i32>(r, "m", "key", "value"), Some(expected));
            assert_eq!(
                map::<String, i32>(r, "cm", "k", "v"),
                Some(BTreeMap::from([("a".into(), 1)]))
            );
            assert_eq!(map::<String, i32>(r, "missing", "k", "v"), None);
            assert_eq!(
                flat_map::<String, i32>(r, "fm", "K", "V"),
                Some(BTreeMap::from([("x".into(), 1), ("y".into(), 2)]))
            );
            assert_eq!(flat_map::<String, i32>(r, "missing", "K", "V"), None);
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
        with_root("<r><d><a>1</a><b><c>x</c></b><a>2</a></d><e> t </e></r>", |r| {
            let object = |pairs: Vec<(&str, Document)>| {
                Document::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            };
            let s = |t: &str| Document::String(t.to_owned());
            assert_eq!(
                get::<Document>(r, "d"),
                Some(object(vec![
                    ("a", Document::Array(vec![s("1"), s("2")])),
                    ("b", object(vec![("c", s("x"))])),
                ]))
            );
            assert_eq!(get::<Document>(r, "e"), Some(s(" t ")));
        });
        // As deep as parsing allows: decoded without overflowing the stack.
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        with_root(&deep, |r| assert!(Document::from_xml(r).is_some()));
    }
}
