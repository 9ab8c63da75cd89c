//! The parts of the canonical request: the path, the query, the headers.

use std::borrow::Cow;

use super::{SigningError, SigningParams, UNSIGNED_HEADERS};
use crate::http::HttpRequest;

/// Where a request goes, as its `uri` and `host` header say.
pub(super) struct Target<'a> {
    /// `https` unless an absolute `uri` says otherwise.
    pub scheme: &'a str,
    /// The authority of an absolute `uri` (`host[:port]`), else empty.
    pub host: &'a str,
    /// The request's `host` header, when it has one: it is what is signed and sent.
    pub host_header: Option<&'a str>,
    /// The path (`/` when the `uri` has none).
    pub path: &'a str,
    /// The raw query, without `?` (empty when none).
    pub query: &'a str,
}

impl<'a> Target<'a> {
    pub fn of(request: &'a HttpRequest) -> Result<Self, SigningError> {
        let uri = request.uri.split('#').next().unwrap_or_default();
        let (scheme, host, rest) = match uri.split_once("://") {
            Some((scheme, rest)) => {
                let end = rest.find(['/', '?']).unwrap_or(rest.len());
                let (authority, rest) = rest.split_at(end);
                // Credentials in the authority (`user@host`) are not part of the host.
                let host = authority.rsplit('@').next().unwrap_or(authority);
                (scheme, host, rest)
            }
            None => ("https", "", uri),
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = if path.is_empty() { "/" } else { path };
        let host_header = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .map(|(_, value)| value.as_str());
        if host.is_empty() && host_header.is_none_or(|h| h.trim().is_empty()) {
            return Err(SigningError::NoHost);
        }
        Ok(Target {
            scheme,
            host,
            host_header,
            path,
            query,
        })
    }
}

/// Whether `b` is one of URI's unreserved characters, which SigV4 never encodes.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `bytes` percent-encoded as SigV4 wants: every byte but the unreserved characters
/// (and `/` when `keep_slash`) as `%XX`, uppercase hex.
pub fn uri_encode(out: &mut String, bytes: &[u8], keep_slash: bool) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'));
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        // The run before is ASCII: unreserved characters and `/`.
        if let Some(run) = bytes.get(start..i) {
            out.extend(run.iter().map(|&c| char::from(c)));
        }
        out.push('%');
        out.push(digit(b >> 4));
        out.push(digit(b & 15));
        start = i + 1;
    }
    if let Some(run) = bytes.get(start..) {
        out.extend(run.iter().map(|&c| char::from(c)));
    }
}

/// `text` with its `%XX` escapes decoded (and `+` as a space when `plus_is_space`); a `%` not
/// followed by two hex digits stays as it is.
fn percent_decode(text: &str, plus_is_space: bool) -> Cow<'_, [u8]> {
    let bytes = text.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b == b'%' || (plus_is_space && b == b'+'))
    {
        return Cow::Borrowed(bytes);
    }
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let high = bytes.get(i + 1).copied().and_then(hex);
                let low = bytes.get(i + 2).copied().and_then(hex);
                if let (Some(high), Some(low)) = (high, low) {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                out.push(b);
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// The canonical URI of `path`: normalized (unless `normalize` is off: `//`, `.` and `..`
/// segments removed, a trailing `/` kept) and URI-encoded, once more over the path as sent
/// (`double_encode`, every service but S3) or once over the decoded path (S3).
pub fn canonical_path(path: &str, double_encode: bool, normalize: bool) -> String {
    let mut out = String::with_capacity(path.len() + 16);
    push_path_with(&mut out, path, double_encode, normalize);
    out
}

pub(super) fn push_path(out: &mut String, path: &str, params: &SigningParams<'_>) {
    push_path_with(out, path, params.double_encode, params.normalize_path);
}

fn push_path_with(out: &mut String, path: &str, double_encode: bool, normalize: bool) {
    let normalized;
    let path = if normalize {
        normalized = normalize_path(path);
        normalized.as_str()
    } else if path.is_empty() {
        "/"
    } else {
        path
    };
    if double_encode {
        uri_encode(out, path.as_bytes(), true);
    } else {
        uri_encode(out, &percent_decode(path, false), true);
    }
}

/// `path` with its empty, `.` and `..` segments resolved: always starting with `/`, ending
/// with `/` when `path` does (and has a segment left).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if segments.is_empty() || path.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical query of a raw query string (without `?`) and parameters to add: every
/// name and value decoded (`+` as a space) and encoded again as SigV4 wants, sorted by name
/// then value, `name=value` joined by `&` (a name without `=` gets an empty value).
pub fn canonical_query(query: &str, added: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(query.len() + 64);
    push_query(&mut out, query, added);
    out
}

pub(super) fn push_query(out: &mut String, query: &str, added: &[(&str, &str)]) {
    if query.is_empty() && added.is_empty() {
        return;
    }
    let encode = |text: &[u8]| {
        let mut encoded = String::with_capacity(text.len() + 8);
        uri_encode(&mut encoded, text, false);
        encoded
    };
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                encode(&percent_decode(name, true)),
                encode(&percent_decode(value, true)),
            )
        })
        .collect();
    params.extend(
        added
            .iter()
            .map(|(name, value)| (encode(name.as_bytes()), encode(value.as_bytes()))),
    );
    params.sort_unstable();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

/// The signed headers, lowercased and sorted (stably: repeated names keep their order).
pub(super) struct Headers<'a> {
    entries: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Headers<'a> {
    /// The request's `headers` that are signed, `host` (from the URL's authority when there
    /// is no `host` header) and `added` (lowercase already).
    pub fn new(
        headers: &'a [(String, String)],
        host_header: Option<&'a str>,
        uri_host: &'a str,
        added: &[(&'a str, &'a str)],
    ) -> Result<Self, SigningError> {
        let mut entries: Vec<(Cow<'a, str>, &'a str)> =
            Vec::with_capacity(headers.len() + added.len() + 1);
        for (name, value) in headers {
            let lower = lowercase(name);
            if UNSIGNED_HEADERS.contains(&lower.as_ref()) {
                continue;
            }
            if value
                .bytes()
                .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
            {
                return Err(SigningError::InvalidHeaderValue(name.clone()));
            }
            entries.push((lower, value));
        }
        if host_header.is_none() {
            entries.push((Cow::Borrowed("host"), uri_host));
        }
        entries.extend(
            added
                .iter()
                .map(|(name, value)| (Cow::Borrowed(*name), *value)),
        );
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Headers { entries })
    }

    /// About how long the canonical headers are.
    pub fn len_hint(&self) -> usize {
        self.entries
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum()
    }

    /// `name:value\n` for each name, repeated names' values joined by `,`, each value trimmed
    /// with its runs of whitespace (line breaks included) folded into one space.
    pub fn push_canonical(&self, out: &mut String) {
        let mut previous: Option<&str> = None;
        for (name, value) in &self.entries {
            if previous == Some(name.as_ref()) {
                out.push(',');
            } else {
                if previous.is_some() {
                    out.push('\n');
                }
                out.push_str(name);
                out.push(':');
            }
            push_folded(out, value);
            previous = Some(name.as_ref());
        }
        if previous.is_some() {
            out.push('\n');
        }
    }

    /// The names, each once, joined by `;`.
    pub fn push_signed_names(&self, out: &mut String) {
        let mut previous: Option<&str> = None;
        for (name, _) in &self.entries {
            if previous == Some(name.as_ref()) {
                continue;
            }
            if previous.is_some() {
                out.push(';');
            }
            out.push_str(name);
            previous = Some(name.as_ref());
        }
    }
}

/// `name` in lowercase, borrowed when it is already.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Appends `value` trimmed, its runs of whitespace folded into one space.
fn push_folded(out: &mut String, value: &str) {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut first = true;
    for word in value.split(is_space).filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}
