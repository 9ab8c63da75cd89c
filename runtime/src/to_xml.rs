//! Writing generated values as XML request bodies (restXml): elements named by the model
//! (`@xmlName`), attributes (`@xmlAttribute`), namespaces (`@xmlNamespace`), wrapped and
//! flattened lists and maps.

use std::collections::BTreeMap;

use crate::rest::{timestamp_text, ToText};
use crate::{Timestamp, TimestampFormat};

/// An `@xmlNamespace`: its URI and, when it has one, its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespace<'a> {
    /// The namespace URI.
    pub uri: &'a str,
    /// The prefix (`xmlns:prefix="uri"`), or `None` for the default namespace (`xmlns="uri"`).
    pub prefix: Option<&'a str>,
}

/// The text of an XML document being written.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
}

/// Escapes `text` for element content or an attribute value.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            c => out.push(c),
        }
    }
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> XmlWriter {
        XmlWriter::default()
    }

    /// The document's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf.into_bytes()
    }

    /// Opens the start tag `<name` (with its namespace declaration, if any); attributes may
    /// follow, then [`XmlWriter::content`].
    pub fn open(&mut self, name: &str, namespace: Option<Namespace<'_>>) {
        self.buf.push('<');
        self.buf.push_str(name);
        if let Some(ns) = namespace {
            match ns.prefix {
                Some(prefix) => {
                    self.buf.push_str(" xmlns:");
                    self.buf.push_str(prefix);
                }
                None => self.buf.push_str(" xmlns"),
            }
            self.buf.push_str("=\"");
            escape(ns.uri, &mut self.buf);
            self.buf.push('"');
        }
    }

    /// Writes the attribute `name="value"` of the open start tag.
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        escape(value, &mut self.buf);
        self.buf.push('"');
    }

    /// Closes the start tag: the element's content follows.
    pub fn content(&mut self) {
        self.buf.push('>');
    }

    /// Writes text content.
    pub fn text(&mut self, text: &str) {
        escape(text, &mut self.buf);
    }

    /// Writes the end tag `</name>`.
    pub fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// Writes `<name>text</name>`.
    pub fn element_text(&mut self, name: &str, namespace: Option<Namespace<'_>>, text: &str) {
        self.open(name, namespace);
        self.content();
        self.text(text);
        self.close(name);
    }

    /// Writes a timestamp element in `format`.
    pub fn timestamp(
        &mut self,
        name: &str,
        namespace: Option<Namespace<'_>>,
        value: &Timestamp,
        format: TimestampFormat,
    ) {
        self.element_text(name, namespace, &timestamp_text(value, format));
    }

    /// Writes a wrapped list: `<name><member>..</member>..</name>`, each entry by `write`.
    pub fn list<T>(
        &mut self,
        name: &str,
        namespace: Option<Namespace<'_>>,
        member: &str,
        items: &[T],
        write: impl Fn(&mut Self, &str, &T),
    ) {
        self.open(name, namespace);
        self.content();
        for item in items {
            write(self, member, item);
        }
        self.close(name);
    }

    /// Writes a flattened list: one `<name>` element per entry.
    pub fn flat_list<T>(&mut self, name: &str, items: &[T], write: impl Fn(&mut Self, &str, &T)) {
        for item in items {
            write(self, name, item);
        }
    }

    /// Writes a map: wrapped, `<name><entry><key>k</key><value>v</value></entry>..</name>`; or
    /// flattened, one `<name><key>k</key><value>v</value></name>` per entry. `key` is the key
    /// element's name and namespace.
    #[allow(clippy::too_many_arguments)]
    pub fn map<K: AsRef<str>, V>(
        &mut self,
        name: &str,
        namespace: Option<Namespace<'_>>,
        flattened: bool,
        key: (&str, Option<Namespace<'_>>),
        value_name: &str,
        map: &BTreeMap<K, V>,
        write: impl Fn(&mut Self, &str, &V),
    ) {
        if !flattened {
            self.open(name, namespace);
            self.content();
        }
        let entry = if flattened { name } else { "entry" };
        for (k, v) in map {
            self.open(entry, None);
            self.content();
            self.element_text(key.0, key.1, k.as_ref());
            write(self, value_name, v);
            self.close(entry);
        }
        if !flattened {
            self.close(name);
        }
    }
}

/// A value written as the XML element `name`: scalars through [`ToText`], generated
/// structures and unions with their members.
pub trait ToXml {
    /// Writes `<name ...>...</name>`, declaring `namespace` on it.
    fn write_xml(&self, out: &mut XmlWriter, name: &str, namespace: Option<Namespace<'_>>);
}

/// A scalar: its text.
impl<T: ToText + ?Sized> ToXml for T {
    fn write_xml(&self, out: &mut XmlWriter, name: &str, namespace: Option<Namespace<'_>>) {
        out.element_text(name, namespace, &self.to_text());
    }
}

/// The document whose root element `name` is `value`.
pub fn to_vec<T: ToXml + ?Sized>(
    value: &T,
    name: &str,
    namespace: Option<Namespace<'_>>,
) -> Vec<u8> {
    let mut out = XmlWriter::new();
    value.write_xml(&mut out, name, namespace);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_shapes() {
        let mut out = XmlWriter::new();
        out.open(
            "Root",
            Some(Namespace {
                uri: "http://foo.com",
                prefix: None,
            }),
        );
        out.attribute("test", "<a&b>");
        out.content();
        out.element_text(
            "s",
            Some(Namespace {
                uri: "http://baz.com",
                prefix: Some("baz"),
            }),
            "x < y",
        );
        out.list(
            "l",
            None,
            "member",
            &["a".to_owned(), "b".to_owned()],
            |out, name, v| v.write_xml(out, name, None),
        );
        out.flat_list("f", &[1i32, 2], |out, name, v| v.write_xml(out, name, None));
        let mut map = BTreeMap::new();
        map.insert("k".to_owned(), true);
        out.map("m", None, false, ("key", None), "value", &map, |out, name, v| {
            v.write_xml(out, name, None)
        });
        out.map("fm", None, true, ("K", None), "V", &map, |out, name, v| {
            v.write_xml(out, name, None)
        });
        out.timestamp(
            "t",
            None,
            &Timestamp::from_epoch_seconds(0),
            TimestampFormat::DateTime,
        );
        out.close("Root");
        assert_eq!(
            String::from_utf8(out.into_bytes()).unwrap_or_default(),
            "<Root xmlns=\"http://foo.com\" test=\"&lt;a&amp;b&gt;\"><s xmlns:baz=\"http://baz.com\">x &lt; y</s>\
             <l><member>a</member><member>b</member></l><f>1</f><f>2</f>\
             <m><entry><key>k</key><value>true</value></entry></m><fm><K>k</K><V>true</V></fm>\
             <t>1970-01-01T00:00:00Z</t></Root>"
        );
    }
}
