//! The rules engine's functions on values: the standard library (`substring`, `uriEncode`,
//! `parseURL`, `isValidHostLabel`, `split`) and the AWS ones (`aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`; `aws.partition` is [`super::Partitions::lookup`]).
//! Each is a pure function; `None` is the rules' "unset" result.
//!
//! Where the specification (smithy.io, "Rules engine standard library" and "AWS rules engine
//! library functions") leaves a case open, these follow what Smithy's rules-engine test suite
//! expects; each function's documentation says which cases those are.

use std::net::Ipv6Addr;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `parseURL` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// The host and port (`example.com:8443`).
    pub authority: String,
    /// The path as given (`/foo/bar`, or empty).
    pub path: String,
    /// The path with a `/` at its end (`/foo/bar/`, or `/`).
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// What `aws.parseArn` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// `partition`.
    pub partition: String,
    /// `service`.
    pub service: String,
    /// `region` (may be empty).
    pub region: String,
    /// `accountId` (may be empty).
    pub account_id: String,
    /// `resourceId`: the resource split at `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `substring(input, start, stop, reverse)`: the characters `start..stop` (counted from the
/// end when `reverse`), or `None` when out of range or when `input` is not all ASCII.
///
/// Out of range is `start >= stop` or `stop > input.len()`: the result, when there is one,
/// always has `stop - start` characters.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !input.is_ascii() || start >= stop || stop > input.len() {
        return None;
    }
    if reverse {
        let len = input.len();
        input.get(len - stop..len - start)
    } else {
        input.get(start..stop)
    }
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `uriEncode(value)`: percent-encoding of everything but the unreserved characters.
///
/// Other characters are encoded byte by byte of their UTF-8 form, with uppercase hexadecimal
/// digits (`a b/ü` → `a%20b%2F%C3%BC`).
pub fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// `parseURL(value)`: `None` for anything but an `http`/`https` URL without a query.
///
/// - The scheme is matched without regard to case and given in lowercase.
/// - The authority is the host and port as written (a port, default or not, is kept, as the
///   rules-engine test suite expects); a `userinfo@` before the host is dropped. The host is
///   not validated beyond being non-empty (`http://99_ab-.com` parses), but a port must be
///   digits and a bracketed host must be an IPv6 address.
/// - The path is everything from the first `/` after the authority, as written (empty when
///   there is none); a `#fragment` is not part of it.
/// - `isIp` is true for a bracketed IPv6 host and for a host of four dot-separated decimal
///   numbers from 0 to 255.
///
/// A URL with a query (`?`, even an empty one) or with whitespace or control characters
/// anywhere is refused.
pub fn parse_url(value: &str) -> Option<Url> {
    if value.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return None;
    }
    let (scheme, rest) = value.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    // The fragment is no part of the URL the rules see.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    if rest.contains('?') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    // `user:password@host`: only the host and port are the authority.
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = split_host_port(authority)?;
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let is_ip = if let Some(inner) = host.strip_prefix('[') {
        inner.strip_suffix(']')?.parse::<Ipv6Addr>().ok()?;
        true
    } else {
        if host.is_empty() || host.contains(['[', ']']) {
            return None;
        }
        is_ipv4(host)
    };
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// Splits an authority into its host (brackets kept for IPv6) and its port, if it has one.
/// `None` when an IPv6 host's bracket is not closed or is followed by something other than a
/// port.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => Some((host, Some(port))),
            None => Some((authority, None)),
        }
    }
}

/// Whether `host` is four dot-separated decimal numbers, each from 0 to 255 (`192.168.5.4`;
/// leading zeros allowed).
fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let valid = !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| n <= 255);
        if parts > 4 || !valid {
            return false;
        }
    }
    parts == 4
}

/// `isValidHostLabel(value, allowSubDomains)`.
///
/// A host label (RFC 1123) is 1 to 63 characters, ASCII letters, digits and `-`, the first a
/// letter or digit. With `allow_subdomains`, `value` may be several labels joined by `.`,
/// each of them valid (so no empty label: no leading, trailing or doubled `.`).
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

fn is_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    matches!(bytes.first(), Some(b) if b.is_ascii_alphanumeric())
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `split(value, delimiter, limit)`: as the standard library specifies (`limit` 0 for no
/// limit).
///
/// `value` is split at each occurrence of `delimiter`, found left to right without overlap;
/// with a `limit` above 0 into at most `limit` parts, the last holding the rest unsplit (so 1
/// gives `value` whole). Empty parts are kept: `split("--b--", "--", 0)` is `["", "b", ""]`,
/// and an empty `value` gives `[""]`.
///
/// The specification refuses an empty delimiter and a negative limit; here an empty
/// delimiter splits nothing (`[value]`) and a negative limit is no limit.
pub fn split(value: &str, delimiter: &str, limit: i64) -> Vec<String> {
    if delimiter.is_empty() || limit == 1 {
        return vec![value.to_owned()];
    }
    if limit > 1 {
        let parts = usize::try_from(limit).unwrap_or(usize::MAX);
        value.splitn(parts, delimiter).map(str::to_owned).collect()
    } else {
        value.split(delimiter).map(str::to_owned).collect()
    }
}

/// `aws.parseArn(value)`.
///
/// An ARN is `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`: six `:`-separated fields, the
/// resource taking the rest of the text. The partition, service and resource must not be
/// empty; the region and account may be. The resource is split at every `:` and `/`,
/// empty pieces kept (`outpost:` is `["outpost", ""]`).
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut fields = value.splitn(6, ':');
    let (
        Some("arn"),
        Some(partition),
        Some(service),
        Some(region),
        Some(account_id),
        Some(resource),
    ) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    )
    else {
        return None;
    };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
///
/// A bucket name that can be a host label in front of S3's host: 3 to 63 characters of
/// lowercase letters, digits and `-`, beginning and ending with a letter or digit. With
/// `allow_subdomains`, `.` is allowed too, but not next to another `.` or after a `-` or
/// before one (each dot-separated piece begins and ends with a letter or digit), and the
/// name must not look like an IPv4 address (`192.168.5.4`).
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let bytes = value.as_bytes();
    let lower_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !(3..=63).contains(&bytes.len()) || !lower_alnum(first) || !lower_alnum(last) {
        return false;
    }
    if !allow_subdomains {
        return bytes.iter().all(|&b| lower_alnum(b) || b == b'-');
    }
    let pieces_valid = bytes.windows(2).all(|pair| match pair {
        [b'.' | b'-', b'.'] | [b'.', b'-'] => false,
        [_, b] => lower_alnum(*b) || *b == b'-' || *b == b'.',
        _ => true,
    });
    pieces_valid && !is_ipv4(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 2, 4, false), Some("cd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, true), Some("abcd"));
        // All of ASCII, control characters too.
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(substring("\0\n\t", 1, 3, false), Some("\n\t"));
        // The S3 Express suffix the S3 rules take off a bucket name.
        assert_eq!(
            substring("mybucket--usw2-az1--x-s3", 0, 6, true),
            Some("--x-s3")
        );
    }

    #[test]
    fn substring_out_of_range_or_not_ascii_is_unset() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 3, 2, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("abc", 0, usize::MAX, true), None);
        // Non-ASCII anywhere, even outside the range taken.
        assert_eq!(substring("abcdé", 0, 2, false), None);
        assert_eq!(substring("\u{1F31F}abcdef", 0, 2, true), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(uri_encode(""), "");
        assert_eq!(uri_encode("a b"), "a%20b");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("ü\u{1F31F}"), "%C3%BC%F0%9F%8C%9F");
        assert_eq!(uri_encode("\n\t\u{7f}"), "%0A%09%7F");
        // Printable ASCII, space to tilde, as the rules-engine suite gives it.
        let printable: String = (b' '..=b'~').map(char::from).collect();
        assert_eq!(
            uri_encode(&printable),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40\
             ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~"
        );
    }

    fn url(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized_path: &str,
        is_ip: bool,
    ) -> Option<Url> {
        Some(Url {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            path: path.to_owned(),
            normalized_path: normalized_path.to_owned(),
            is_ip,
        })
    }

    #[test]
    fn parse_url_the_specification_examples() {
        assert_eq!(
            parse_url("https://example.com"),
            url("https", "example.com", "", "/", false)
        );
        assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parse_url("http://example.com:80/foo/bar"),
            url("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parse_url("https://127.0.0.1"),
            url("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parse_url("https://[fe80::1]"),
            url("https", "[fe80::1]", "", "/", true)
        );
    }

    #[test]
    fn parse_url_the_test_suite_cases() {
        assert_eq!(
            parse_url("https://authority.com/custom-path"),
            url(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            parse_url("https://authority.com/"),
            url("https", "authority.com", "/", "/", false)
        );
        assert_eq!(
            parse_url("https://authority.com:8000/port"),
            url("https", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(parse_url("acbd://example.com"), None);
        assert_eq!(
            parse_url("http://99_ab.com"),
            url("http", "99_ab.com", "", "/", false)
        );
        assert_eq!(
            parse_url("http://99_ab-.com"),
            url("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        assert_eq!(
            parse_url("http://192.168.1.1/foo/"),
            url("http", "192.168.1.1", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parse_url("http://192.168.1.1:1234/foo/"),
            url("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parse_url("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            url(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(
            parse_url("https://999.999.abc.blah"),
            url("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(parse_url("https://example.com/path?query1=foo"), None);
    }

    #[test]
    fn parse_url_edge_cases() {
        // Scheme case; userinfo; fragment; an empty query is still a query.
        assert_eq!(
            parse_url("HTTPS://example.com/a"),
            url("https", "example.com", "/a", "/a/", false)
        );
        assert_eq!(
            parse_url("https://user:pw@example.com/a"),
            url("https", "example.com", "/a", "/a/", false)
        );
        assert_eq!(
            parse_url("https://example.com/a#top"),
            url("https", "example.com", "/a", "/a/", false)
        );
        assert_eq!(parse_url("https://example.com/a?"), None);
        assert_eq!(parse_url("https://example.com?"), None);
        // Not URLs of the two schemes.
        for bad in [
            "",
            "example.com",
            "https:/example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://:443",
            "https://example.com:",
            "https://example.com:-1",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com/\n",
            "https://[fe80::1",
            "https://[not-ip]",
            "https://[fe80::1]x",
            "https://[fe80::1]:x",
            "https://a]b.com",
        ] {
            assert_eq!(parse_url(bad), None, "{bad:?}");
        }
        // Double slashes and dots in the path are the path's business.
        assert_eq!(
            parse_url("http://localhost:8080//a/./b"),
            url("http", "localhost:8080", "//a/./b", "//a/./b/", false)
        );
        assert_eq!(
            parse_url("https://[::1]:8443/x"),
            url("https", "[::1]:8443", "/x", "/x/", true)
        );
    }

    #[test]
    fn ipv4_forms() {
        for ip in [
            "0.0.0.0",
            "255.255.255.255",
            "192.168.5.4",
            "001.2.3.4",
            "00000000001.2.3.4",
        ] {
            assert!(is_ipv4(ip), "{ip}");
        }
        for not_ip in [
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.",
            ".1.2.3",
            "a.b.c.d",
            "1.2.3.-4",
            "1.2.3.+4",
            "1..2.3",
            "99999999999.2.3.4",
        ] {
            assert!(!is_ipv4(not_ip), "{not_ip}");
        }
    }

    #[test]
    fn host_labels() {
        for label in ["us-east-1", "3aws4", "a", "A-", "x".repeat(63).as_str()] {
            assert!(is_valid_host_label(label, false), "{label}");
            assert!(is_valid_host_label(label, true), "{label}");
        }
        for label in [
            "",
            "-a",
            "part1 part2",
            "a_b",
            "é",
            "x".repeat(64).as_str(),
            "part1.part2",
        ] {
            assert!(!is_valid_host_label(label, false), "{label}");
        }
        assert!(is_valid_host_label("part1.part2", true));
        assert!(is_valid_host_label(
            &format!("{0}.{0}", "x".repeat(63)),
            true
        ));
        for host in [
            "",
            "part1.",
            ".part1",
            "part1..part2",
            "part1.-part2",
            "a.b c",
            "a.".repeat(3).as_str(),
        ] {
            assert!(!is_valid_host_label(host, true), "{host}");
        }
    }

    fn strings(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn split_the_test_suite_cases() {
        let cases: &[(&str, &str, i64, &[&str])] = &[
            ("a--b--c", "--", 0, &["a", "b", "c"]),
            ("", "--", 0, &[""]),
            ("no-delimiter", "--", 0, &["no-delimiter"]),
            ("--leading", "--", 0, &["", "leading"]),
            ("trailing--", "--", 0, &["trailing", ""]),
            ("----", "--", 0, &["", "", ""]),
            ("--", "--", 0, &["", ""]),
            ("aaaa", "aa", 0, &["", "", ""]),
            ("aaa", "aa", 0, &["", "a"]),
            ("foo<=>bar<=>baz", "<=>", 0, &["foo", "bar", "baz"]),
            ("foo<=>bar<=>baz", "<=>", 2, &["foo", "bar<=>baz"]),
            ("--both--", "--", 0, &["", "both", ""]),
            ("--both--", "--", 2, &["", "both--"]),
            ("a--b--c", "--", 1, &["a--b--c"]),
            ("no-delimiter", "--", 1, &["no-delimiter"]),
            ("a--b--c", "--", 2, &["a", "b--c"]),
            ("--x-s3--azid", "--", 2, &["", "x-s3--azid"]),
            ("a--b--c", "--", 3, &["a", "b", "c"]),
            ("a--b--c--d", "--", 3, &["a", "b", "c--d"]),
            (
                "--x-s3--azid--suffix",
                "--",
                4,
                &["", "x-s3", "azid", "suffix"],
            ),
            (
                "--x-s3--azid--suffix",
                "--",
                0,
                &["", "x-s3", "azid", "suffix"],
            ),
            ("a--b--c--d--e", "--", 4, &["a", "b", "c", "d--e"]),
            ("a\u{1F31F}b\u{1F31F}c", "\u{1F31F}", 0, &["a", "b", "c"]),
            ("a.*b.*c", ".*", 0, &["a", "b", "c"]),
            ("a|b|c|d|e", "|", 0, &["a", "b", "c", "d", "e"]),
            ("ab", "abcd", 0, &["ab"]),
            ("abc", "abc", 0, &["", ""]),
            ("", "--", 3, &[""]),
            ("a-b", "-", i64::MAX, &["a", "b"]),
        ];
        for (value, delimiter, limit, expected) in cases {
            assert_eq!(
                split(value, delimiter, *limit),
                strings(expected),
                "{value:?} {delimiter:?} {limit}"
            );
        }
    }

    #[test]
    fn split_outside_the_specification() {
        assert_eq!(split("abc", "", 0), strings(&["abc"]));
        assert_eq!(split("", "", 2), strings(&[""]));
        assert_eq!(split("a-b-c", "-", -1), strings(&["a", "b", "c"]));
    }

    fn arn(
        partition: &str,
        service: &str,
        region: &str,
        account_id: &str,
        resource_id: &[&str],
    ) -> Option<Arn> {
        Some(Arn {
            partition: partition.to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
            account_id: account_id.to_owned(),
            resource_id: strings(resource_id),
        })
    }

    #[test]
    fn parse_arn_the_specification_examples() {
        assert_eq!(
            parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name"),
            arn(
                "aws",
                "sns",
                "us-west-2",
                "012345678910",
                &["example-sns-topic-name"]
            )
        );
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        assert_eq!(
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"),
            arn(
                "aws",
                "ec2",
                "us-east-1",
                "012345678910",
                &["vpc", "vpc-0e9801d129EXAMPLE"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:iam::012345678910:user/johndoe"),
            arn("aws", "iam", "", "012345678910", &["user", "johndoe"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:::bucket_name"),
            arn("aws", "s3", "", "", &["bucket_name"])
        );
    }

    #[test]
    fn parse_arn_the_test_suite_cases() {
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234"),
            arn(
                "aws",
                "s3",
                "us-east-2",
                "012345678",
                &["outpost", "op-1234"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost"])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost::"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost", "", ""])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-2:012345678:outpost:"),
            arn("aws", "s3", "us-east-2", "012345678", &["outpost", ""])
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-1:123456789012:resource-id/resource-1:resource-2"),
            arn(
                "aws",
                "s3",
                "us-east-1",
                "123456789012",
                &["resource-id", "resource-1", "resource-2"]
            )
        );
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-1:abcd:r"),
            arn("aws", "s3", "us-east-1", "abcd", &["r"])
        );
        for bad in [
            "asdf",
            "",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn:aws::us-west-2:123456789012:resource-id",
            "arn::s3:us-west-2:123456789012:resource-id",
            "arn:aws:s3:us-west-2:123456789012",
            "ARN:aws:s3:us-west-2:123456789012:r",
            "xarn:aws:s3:us-west-2:123456789012:r",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn virtual_hostable_buckets_the_test_suite_cases() {
        for (bucket, without_dots, with_dots) in [
            ("bucket-name", true, true),
            ("bucket-with-number-1", true, true),
            ("bucket--with-multiple-dash", true, true),
            ("BucketName", false, false),
            ("bucket_name", false, false),
            ("bucket.name", false, true),
            ("bucket.name.multiple.dots1", false, true),
            ("-bucket-name", false, false),
            ("bucket-name-", false, false),
            ("aa", false, false),
            ("a".repeat(64).as_str(), false, false),
            (".bucket-name", false, false),
            ("bucket-name.", false, false),
            ("192.168.5.4", false, false),
            ("bucket-.name", false, false),
            ("bucket.-name", false, false),
            ("bucket..name", false, false),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(bucket, false),
                without_dots,
                "{bucket} without dots"
            );
            assert_eq!(
                is_virtual_hostable_s3_bucket(bucket, true),
                with_dots,
                "{bucket} with dots"
            );
        }
    }

    #[test]
    fn virtual_hostable_buckets_edge_cases() {
        for bucket in [
            "abc",
            "a1b",
            "123",
            "a".repeat(63).as_str(),
            "a.b.c",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
        ] {
            assert!(is_virtual_hostable_s3_bucket(bucket, true), "{bucket}");
        }
        for bucket in [
            "", "a", "ab", "a-.", "ab\u{e9}", "abc ", "a b", "0.0.0.0", "a.b-.c",
        ] {
            assert!(!is_virtual_hostable_s3_bucket(bucket, true), "{bucket:?}");
        }
        assert!(is_virtual_hostable_s3_bucket("123", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b", false));
    }
}
