//! awsQuery and ec2Query request bodies: `application/x-www-form-urlencoded` pairs, keys
//! naming the path to each value (`Struct.List.member.1=a`).

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::http::HttpRequest;
use crate::rest::{timestamp_text, ToText};
use crate::{Timestamp, TimestampFormat};

/// What stays as it is in a form key or value: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The flavour of the query protocol, which decides how lists are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// awsQuery: lists wrapped (`List.member.1`) unless `@xmlFlattened`; an empty list is
    /// written as `List=`.
    AwsQuery,
    /// ec2Query: lists always flattened (`List.1`); an empty list is left out.
    Ec2Query,
}

/// The pairs of a query request body, in order.
#[derive(Debug, Clone)]
pub struct QueryWriter {
    flavor: Flavor,
    pairs: Vec<(String, String)>,
}

/// `prefix.name`, or `name` at the top level.
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

impl QueryWriter {
    /// An empty body of `flavor`.
    pub fn new(flavor: Flavor) -> QueryWriter {
        QueryWriter {
            flavor,
            pairs: Vec::new(),
        }
    }

    /// Adds the pair `key=text`.
    pub fn push(&mut self, key: String, text: impl Into<String>) {
        self.pairs.push((key, text.into()));
    }

    /// Adds a scalar.
    pub fn text<T: ToText + ?Sized>(&mut self, key: String, value: &T) {
        let text = value.to_text().into_owned();
        self.push(key, text);
    }

    /// Adds a timestamp in `format`.
    pub fn timestamp(&mut self, key: String, value: &Timestamp, format: TimestampFormat) {
        self.push(key, timestamp_text(value, format));
    }

    /// Adds a list: each item under `key.member.N` (`member` is the list member's name), or
    /// `key.N` when flattened (`member` is `None`, or always in ec2Query).
    pub fn list<T>(
        &mut self,
        key: &str,
        member: Option<&str>,
        items: &[T],
        write: impl Fn(&mut Self, String, &T),
    ) {
        if items.is_empty() {
            if self.flavor == Flavor::AwsQuery {
                self.push(key.to_owned(), "");
            }
            return;
        }
        let member = if self.flavor == Flavor::Ec2Query {
            None
        } else {
            member
        };
        for (i, item) in items.iter().enumerate() {
            let item_key = match member {
                Some(member) => format!("{key}.{member}.{}", i + 1),
                None => format!("{key}.{}", i + 1),
            };
            write(self, item_key, item);
        }
    }

    /// Adds a map: each entry under `key.entry.N` (or `key.N` when flattened), its key under
    /// `.{key_name}` and its value under `.{value_name}`.
    #[allow(clippy::too_many_arguments)]
    pub fn map<K: AsRef<str>, V>(
        &mut self,
        key: &str,
        flattened: bool,
        key_name: &str,
        value_name: &str,
        map: &BTreeMap<K, V>,
        write: impl Fn(&mut Self, String, &V),
    ) {
        for (i, (k, v)) in map.iter().enumerate() {
            let entry = if flattened {
                format!("{key}.{}", i + 1)
            } else {
                format!("{key}.entry.{}", i + 1)
            };
            self.push(format!("{entry}.{key_name}"), k.as_ref());
            write(self, format!("{entry}.{value_name}"), v);
        }
    }

    /// The request: `POST /` with `Action`, `Version` and the pairs, form-encoded.
    pub fn into_request(self, action: &str, version: &str) -> HttpRequest {
        let mut body = format!("Action={}&Version={}", encode(action), encode(version));
        for (key, value) in &self.pairs {
            body.push('&');
            body.push_str(&encode(key));
            body.push('=');
            body.push_str(&encode(value));
        }
        let body = body.into_bytes();
        HttpRequest {
            method: "POST".to_owned(),
            uri: "/".to_owned(),
            headers: vec![
                (
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ),
                ("Content-Length".to_owned(), body.len().to_string()),
            ],
            body,
            host_prefix: String::new(),
            endpoint: None,
        }
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// A structure or union written into a query body under a key prefix.
pub trait ToQuery {
    /// Writes the value's members under `prefix`.
    fn write_query(&self, out: &mut QueryWriter, prefix: &str);
}

impl<T: ToQuery + ?Sized> ToQuery for Box<T> {
    fn write_query(&self, out: &mut QueryWriter, prefix: &str) {
        (**self).write_query(out, prefix);
    }
}

/// `smithy.api#Unit`: nothing.
impl ToQuery for () {
    fn write_query(&self, _out: &mut QueryWriter, _prefix: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_maps_and_flavours() {
        let mut out = QueryWriter::new(Flavor::AwsQuery);
        out.text(key("", "Name"), &"a b".to_owned());
        out.list(
            "List",
            Some("member"),
            &["x".to_owned(), "y".to_owned()],
            |out, k, v| out.text(k, v),
        );
        out.list(
            "Empty",
            Some("member"),
            &Vec::<String>::new(),
            |out, k, v| out.text(k, v),
        );
        let mut map = BTreeMap::new();
        map.insert("k".to_owned(), 1i32);
        out.map("Map", false, "key", "value", &map, |out, k, v| {
            out.text(k, v)
        });
        let request = out.into_request("Op", "2020-01-01");
        assert_eq!(
            String::from_utf8(request.body).unwrap_or_default(),
            "Action=Op&Version=2020-01-01&Name=a%20b&List.member.1=x&List.member.2=y&Empty=&Map.entry.1.key=k&Map.entry.1.value=1"
        );
        let mut out = QueryWriter::new(Flavor::Ec2Query);
        out.list("List", Some("member"), &[true], |out, k, v| out.text(k, v));
        out.list("Empty", None, &Vec::<bool>::new(), |out, k, v| {
            out.text(k, v)
        });
        let request = out.into_request("Op", "1");
        assert_eq!(
            String::from_utf8(request.body).unwrap_or_default(),
            "Action=Op&Version=1&List.1=true"
        );
    }
}
