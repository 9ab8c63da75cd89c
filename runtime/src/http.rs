//! Reading HTTP header values.

use crate::{BigDecimal, BigInteger, Blob, Timestamp};

/// The value of the first header named `name` (compared case-insensitively).
pub fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Decoding from a header value; `None` when it does not fit.
pub trait FromHeader: Sized {
    /// Decodes `value`.
    fn from_header(value: &str) -> Option<Self>;
}

/// The header `name` decoded; `None` when absent or when it does not fit.
pub fn get_header<T: FromHeader>(headers: &[(&str, &str)], name: &str) -> Option<T> {
    T::from_header(header(headers, name)?)
}

impl FromHeader for String {
    fn from_header(value: &str) -> Option<Self> {
        Some(value.to_string())
    }
}

macro_rules! parsed_header {
    ($($ty:ty => |$v:ident| $parse:expr;)*) => {
        $(impl FromHeader for $ty {
            fn from_header($v: &str) -> Option<Self> {
                let $v = $v.trim();
                $parse
            }
        })*
    };
}

parsed_header! {
    bool => |v| crate::text::parse_bool(v);
    i8 => |v| v.parse().ok();
    i16 => |v| v.parse().ok();
    i32 => |v| v.parse().ok();
    i64 => |v| v.parse().ok();
    f32 => |v| crate::text::parse_f32(v);
    f64 => |v| crate::text::parse_f64(v);
    BigInteger => |v| BigInteger::new(v);
    BigDecimal => |v| BigDecimal::new(v);
    Timestamp => |v| Timestamp::parse_http_date(v).or_else(|| Timestamp::parse_any(v));
    Blob => |v| Blob::from_base64(v);
}

/// A comma-separated list; items are trimmed, and double-quoted items may
/// contain commas. An item that does not decode alone is retried joined with
/// the next one, so that HTTP dates (`Mon, 16 Dec 2019 23:48:18 GMT`) can be
/// listed unquoted; items that still do not decode are skipped. An empty value
/// is an empty list.
impl<T: FromHeader> FromHeader for Vec<T> {
    fn from_header(value: &str) -> Option<Self> {
        if value.trim().is_empty() {
            return Some(Vec::new());
        }
        let items = split_items(value);
        let mut out = Vec::with_capacity(items.len());
        let mut i = 0;
        while let Some(item) = items.get(i) {
            if let Some(v) = T::from_header(&item.text) {
                out.push(v);
                i += 1;
                continue;
            }
            let joined = items
                .get(i + 1)
                .filter(|next| !item.quoted && !next.quoted)
                .and_then(|next| T::from_header(&format!("{},{}", item.raw, next.raw)));
            match joined {
                Some(v) => {
                    out.push(v);
                    i += 2;
                }
                None => i += 1,
            }
        }
        Some(out)
    }
}

/// One item of a header list.
struct Item {
    /// The item trimmed and unquoted.
    text: String,
    /// The item as written, for rejoining.
    raw: String,
    /// Whether it was double-quoted.
    quoted: bool,
}

fn split_items(value: &str) -> Vec<Item> {
    let mut raws = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    for (pos, c) in value.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                raws.push(value.get(start..pos).unwrap_or_default());
                start = pos + 1;
            }
            _ => {}
        }
    }
    raws.push(value.get(start..).unwrap_or_default());
    raws.into_iter()
        .map(|raw| {
            let trimmed = raw.trim();
            let quoted = trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"');
            let text = if quoted {
                unquote(trimmed)
            } else {
                trimmed.to_string()
            };
            Item {
                text,
                raw: raw.to_string(),
                quoted,
            }
        })
        .collect()
}

/// Removes the surrounding quotes of `"..."` and unescapes `\x` to `x`.
fn unquote(quoted: &str) -> String {
    let inner = quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default();
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup() {
        let headers = [("Content-Type", "a"), ("X-Foo", "1"), ("x-foo", "2")];
        assert_eq!(header(&headers, "content-type"), Some("a"));
        assert_eq!(header(&headers, "X-FOO"), Some("1"));
        assert_eq!(header(&headers, "missing"), None);
        assert_eq!(get_header::<i32>(&headers, "x-foo"), Some(1));
        assert_eq!(get_header::<i32>(&headers, "content-type"), None);
    }

    #[test]
    fn scalars() {
        assert_eq!(String::from_header(" a "), Some(" a ".into()));
        assert_eq!(bool::from_header("true"), Some(true));
        assert_eq!(bool::from_header("yes"), None);
        assert_eq!(i8::from_header("200"), None);
        assert_eq!(i16::from_header(" 200 "), Some(200));
        assert_eq!(i64::from_header("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(i32::from_header("1.0"), None);
        assert_eq!(f64::from_header("1.5"), Some(1.5));
        assert_eq!(f64::from_header("Infinity"), Some(f64::INFINITY));
        assert_eq!(f64::from_header("inf"), None);
        assert_eq!(f32::from_header("1e39"), None);
        assert_eq!(BigInteger::from_header("12"), BigInteger::new("12"));
        assert_eq!(BigDecimal::from_header("1.2"), BigDecimal::new("1.2"));
        assert_eq!(Blob::from_header("Zm9v"), Some(Blob::from("foo")));
        let t = Timestamp::from_epoch_seconds(1398796238);
        assert_eq!(
            Timestamp::from_header("Tue, 29 Apr 2014 18:30:38 GMT"),
            Some(t)
        );
        assert_eq!(Timestamp::from_header("2014-04-29T18:30:38Z"), Some(t));
        assert_eq!(Timestamp::from_header("1398796238"), Some(t));
        assert_eq!(Timestamp::from_header("soon"), None);
    }

    #[test]
    fn lists() {
        assert_eq!(
            Vec::<String>::from_header("a, b ,c"),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(
            Vec::<String>::from_header(r#""a, b", "c\"d", e"#),
            Some(vec!["a, b".into(), "c\"d".into(), "e".into()])
        );
        assert_eq!(Vec::<i32>::from_header("1, x, 3"), Some(vec![1, 3]));
        assert_eq!(Vec::<bool>::from_header(""), Some(vec![]));
        let t = Timestamp::from_epoch_seconds(1576540098);
        assert_eq!(
            Vec::<Timestamp>::from_header(
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
            ),
            Some(vec![t, t])
        );
        assert_eq!(
            Vec::<Timestamp>::from_header("2019-12-16T23:48:18Z, 1576540098"),
            Some(vec![t, t])
        );
        assert_eq!(
            Vec::<String>::from_header(r#""unterminated, x"#),
            Some(vec!["\"unterminated, x".into()])
        );
    }
}
