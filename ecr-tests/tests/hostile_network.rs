//! The network is hostile: XML entity expansion (billion laughs) and external entities are
//! refused, quickly; numbers and timestamps out of their type's range decode as absent, never
//! as a panic or a wrapped value. Checked through the generated decoders of ECR (awsJson1_1),
//! the `shapes` fixture (restJson1, a timestamp member, an integer bound to a header) and the
//! `query` fixture (awsQuery, a list of integers), and on the runtime's scalar decoders.

use std::time::{Duration, Instant};

use ecr::{StartImageScanError, UploadLayerPartError};
use golden_query::SendMessageError;
use golden_shapes::GetThingError;
use smithy_runtime::error::UnknownError;
use smithy_runtime::http::HttpResponse;
use smithy_runtime::http::FromHeader;
use smithy_runtime::json::FromJson;
use smithy_runtime::xml::FromXml;
use smithy_runtime::{Timestamp, TimestampFormat};

fn response<'a>(headers: &'a [(&'a str, &'a str)], body: &'a str) -> HttpResponse<'a> {
    HttpResponse { status: 400, headers, body: body.as_bytes() }
}

/// Decodes `body` through the three crates, in well under a second each.
fn decode_all(body: &str) -> (StartImageScanError, GetThingError, SendMessageError) {
    let start = Instant::now();
    let decoded = (
        StartImageScanError::from_response(&response(&[], body)),
        GetThingError::from_response(&response(&[], body)),
        SendMessageError::from_response(&response(&[], body)),
    );
    assert!(start.elapsed() < Duration::from_secs(1), "took {:?}", start.elapsed());
    decoded
}

/// A refused body names no code: the error is named by its status (400).
fn unknown_without_code() -> UnknownError {
    UnknownError { code: "BadRequest".into(), message: None, status: Some(400) }
}

/// Ten levels of ten entities each: 10^10 `lol`s if expanded.
fn billion_laughs() -> String {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">\n");
    for level in 1..=10 {
        let refs = format!("&lol{};", level - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ErrorResponse [\n{dtd}]>\n\
         <ErrorResponse><Error><Code>QueueDoesNotExist</Code><Message>&lol10;</Message></Error></ErrorResponse>"
    )
}

#[test]
fn entity_expansion_is_refused() {
    let body = billion_laughs();
    let (ecr, shapes, query) = decode_all(&body);
    assert_eq!(query, SendMessageError::Unknown(unknown_without_code()), "the whole document is refused");
    assert_eq!(ecr, StartImageScanError::Unknown(unknown_without_code()));
    assert_eq!(shapes, GetThingError::Unknown(unknown_without_code()));
    // One large entity referenced many times (quadratic blowup) is refused the same way.
    let quadratic = format!(
        "<!DOCTYPE ErrorResponse [<!ENTITY big \"{}\">]><ErrorResponse><Error><Code>QueueDoesNotExist</Code>\
         <Message>{}</Message></Error></ErrorResponse>",
        "x".repeat(50_000),
        "&big;".repeat(50_000)
    );
    assert_eq!(decode_all(&quadratic).2, SendMessageError::Unknown(unknown_without_code()));
}

#[test]
fn external_entities_are_refused() {
    for body in [
        r#"<?xml version="1.0"?><!DOCTYPE ErrorResponse [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
           <ErrorResponse><Error><Code>QueueDoesNotExist</Code><Message>&xxe;</Message></Error></ErrorResponse>"#,
        r#"<!DOCTYPE ErrorResponse [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
           <ErrorResponse><Error><Code>QueueDoesNotExist</Code></Error></ErrorResponse>"#,
        r#"<!DOCTYPE ErrorResponse SYSTEM "http://127.0.0.1:9/evil.dtd">
           <ErrorResponse><Error><Code>QueueDoesNotExist</Code></Error></ErrorResponse>"#,
        // An entity that no DTD declares.
        "<ErrorResponse><Error><Code>QueueDoesNotExist</Code><Message>&xxe;</Message></Error></ErrorResponse>",
    ] {
        let (ecr, shapes, query) = decode_all(body);
        assert_eq!(query, SendMessageError::Unknown(unknown_without_code()), "{body}");
        assert!(matches!(ecr, StartImageScanError::Unknown(_)));
        assert!(matches!(shapes, GetThingError::Unknown(_)));
        assert!(!format!("{query:?}").contains("root:"));
    }
    // The same error without a DTD is read.
    let plain = "<ErrorResponse><Error><Code>QueueDoesNotExist</Code><Message>gone</Message></Error></ErrorResponse>";
    let query = decode_all(plain).2;
    assert!(matches!(query, SendMessageError::QueueDoesNotExist(_)), "{query:?}");
    assert_eq!(query.message(), Some("gone"));
}

/// `lastValidByteReceived` (a long) of ECR's InvalidLayerPartException, decoded from body text.
fn last_valid_byte(number: &str) -> Option<i64> {
    let body = format!(r#"{{"__type": "InvalidLayerPartException", "lastValidByteReceived": {number}}}"#);
    match UploadLayerPartError::from_response(&response(&[], &body)) {
        UploadLayerPartError::InvalidLayerPartException(e) => e.last_valid_byte_received,
        other => panic!("{number}: {other:?}"),
    }
}

#[test]
fn out_of_range_longs_are_absent() {
    for number in [
        "1e30",
        "-1e30",
        "1180591620717411303424",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "3.5",
        "1.0",
        "1e3",
        "\"12\"",
        "true",
    ] {
        assert_eq!(last_valid_byte(number), None, "{number}");
    }
    assert_eq!(last_valid_byte("9223372036854775807"), Some(i64::MAX));
    assert_eq!(last_valid_byte("-9223372036854775808"), Some(i64::MIN));
    assert_eq!(last_valid_byte("0"), Some(0));

    // The runtime's other decoders of a long: XML text and header values.
    for text in ["1e30", "9223372036854775808", "-9223372036854775809", "3.5", "0x10", "", "1_000"] {
        assert!(i64::from_xml_text(text).is_err(), "{text:?}");
        assert!(i64::from_header(text).is_err(), "{text:?}");
    }
    assert_eq!(i64::from_xml_text(" 9223372036854775807 "), Ok(i64::MAX));
    assert_eq!(i64::from_header("-9223372036854775808"), Ok(i64::MIN));
}

#[test]
fn out_of_range_integers_are_absent() {
    // JSON numbers for the narrower types.
    for (text, as_i32, as_i16, as_i8) in [
        ("2147483648", None, None, None),
        ("-2147483649", None, None, None),
        ("1e30", None, None, None),
        ("3.5", None, None, None),
        ("32768", Some(32768), None, None),
        ("128", Some(128), Some(128), None),
        ("-128", Some(-128), Some(-128), Some(-128)),
    ] {
        let json: serde_json::Value = serde_json::from_str(text).expect("a JSON number");
        let got = (i32::from_json(&json).ok(), i16::from_json(&json).ok(), i8::from_json(&json).ok());
        assert_eq!(got, (as_i32, as_i16, as_i8), "{text}");
    }

    // An integer bound to a header: `Retry-After` of the shapes fixture's NotFound.
    let retry_after = |value: &str| {
        let headers = [("x-amzn-errortype", "NotFound"), ("Retry-After", value)];
        match GetThingError::from_response(&response(&headers, "{}")) {
            GetThingError::NotFound(e) => e.retry_after,
            other => panic!("{value}: {other:?}"),
        }
    };
    for value in ["1e30", "2147483648", "-2147483649", "3.5", "1180591620717411303424", "NaN", ""] {
        assert_eq!(retry_after(value), None, "{value:?}");
    }
    assert_eq!(retry_after(" 120 "), Some(120));

    // A list of integers in an XML body: the query fixture's InvalidMessageContents.Codes
    // (entries named `Code`). One entry out of range makes the list not fit: an error structure
    // keeps what it can read, so the member is absent (an output would fail, naming the entry).
    let body = "<ErrorResponse><Error><Code>InvalidMessageContents</Code><Codes>\
                <Code>3.5</Code><Code>2147483648</Code><Code>1e30</Code>\
                <Code>-2147483649</Code><Code>0x10</Code><Code>7</Code>\
                <Code> 8 </Code><Code>-2147483648</Code></Codes></Error></ErrorResponse>";
    match SendMessageError::from_response(&response(&[], body)) {
        SendMessageError::InvalidMessageContents(e) => assert_eq!(e.codes, None),
        other => panic!("{other:?}"),
    }
    // And in a JSON body.
    let json = serde_json::json!({"Codes": [3.5, 2147483648u64, 1e30, -2147483649i64, 7, "8"]});
    match SendMessageError::from_json("InvalidMessageContents", &json) {
        SendMessageError::InvalidMessageContents(e) => assert_eq!(e.codes, None),
        other => panic!("{other:?}"),
    }
    let body = "<ErrorResponse><Error><Code>InvalidMessageContents</Code><Codes>\
                <Code>7</Code><Code> 8 </Code><Code>-2147483648</Code></Codes></Error></ErrorResponse>";
    match SendMessageError::from_response(&response(&[], body)) {
        SendMessageError::InvalidMessageContents(e) => assert_eq!(e.codes, Some(vec![7, 8, i32::MIN])),
        other => panic!("{other:?}"),
    }
}

/// `when` (a timestamp) of the shapes fixture's NotFound from a JSON body, and the same member
/// read from an XML element.
fn when(json_value: &str, xml_text: &str) -> (Option<Timestamp>, Option<Timestamp>) {
    let body = format!(r#"{{"when": {json_value}}}"#);
    let from_json = match GetThingError::from_response(&response(&[("x-amzn-errortype", "NotFound")], &body)) {
        GetThingError::NotFound(e) => e.when,
        other => panic!("{json_value}: {other:?}"),
    };
    let xml = format!("<Error><when>{xml_text}</when></Error>");
    let document = smithy_runtime::xml::parse(&xml).expect("well-formed");
    // The fixture speaks JSON, so its structures read no XML: the runtime's reader of an XML
    // structure's timestamp member, leniently as an error structure reads it.
    let from_xml = smithy_runtime::xml::timestamp(document.root_element(), "when", TimestampFormat::DateTime)
        .ok()
        .flatten();
    (from_json, from_xml)
}

#[test]
fn out_of_range_timestamps_are_absent() {
    for (json_value, xml_text) in [
        ("1e20", "1e20"),
        ("-1e20", "-1e20"),
        ("100000000000000000000", "100000000000000000000"),
        ("1e308", "1e308"),
        ("253402300800", "253402300800"),
        ("-62135596801", "-62135596801"),
        ("9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("\"10000-01-01T00:00:00Z\"", "10000-01-01T00:00:00Z"),
        ("\"+10000-01-01T00:00:00Z\"", "+10000-01-01T00:00:00Z"),
        ("\"0000-12-31T23:59:59Z\"", "0000-12-31T23:59:59Z"),
        ("\"9999-12-31T23:59:59-01:00\"", "9999-12-31T23:59:59-01:00"),
        ("\"2024-02-30T00:00:00Z\"", "2024-02-30T00:00:00Z"),
        ("\"2024-01-01T24:00:00Z\"", "2024-01-01T24:00:00Z"),
        ("\"Fri, 01 Jan 10000 00:00:00 GMT\"", "Fri, 01 Jan 10000 00:00:00 GMT"),
        ("\"1e20\"", "NaN"),
        ("\"Infinity\"", "Infinity"),
    ] {
        assert_eq!(when(json_value, xml_text), (None, None), "{json_value} / {xml_text}");
    }
    let last = Timestamp::from_secs_nanos(253_402_300_799, 0);
    assert_eq!(when("253402300799", "9999-12-31T23:59:59Z"), (last, last));
    let first = Timestamp::from_secs_nanos(-62_135_596_800, 0);
    assert_eq!(when("-62135596800", "0001-01-01T00:00:00Z"), (first, first));
    let fraction = Timestamp::from_secs_nanos(1_398_796_238, 123_000_000);
    assert_eq!(when("1398796238.123", "2014-04-29T18:30:38.123Z"), (fraction, fraction));
}
