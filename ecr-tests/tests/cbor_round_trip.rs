//! rpcv2Cbor through the `cbor.json` golden crate: a request body written by the generated
//! CBOR writers, read back by the runtime's reader, and decoded as a response into the same
//! value.

use std::collections::BTreeMap;

use golden_cbor::operations::PutThings;
use golden_cbor::types::{Choice, Color, Level, Nested, Things};
use smithy_runtime::http::HttpResponse;
use smithy_runtime::operation::{EncodeRequest, Operation};
use smithy_runtime::{Blob, Timestamp};

fn things() -> Things {
    let mut scores = BTreeMap::new();
    scores.insert("a".to_owned(), 1.5);
    scores.insert("b".to_owned(), -2.0);
    let mut inner = Nested::default();
    inner.values = Some(Vec::new());
    let mut nested = Nested::default();
    nested.values = Some(vec!["deep".to_owned()]);
    nested.inner = Some(Box::new(inner));
    let mut things = Things::new("everything");
    things.count = Some(-7);
    things.ratio = Some(0.25);
    things.when = Timestamp::from_secs_nanos(1_700_000_000, 500_000_000);
    things.data = Some(Blob::from("bytes"));
    things.tags = Some(vec!["x".to_owned(), "y".to_owned()]);
    things.scores = Some(scores);
    things.color = Some(Color::Blue);
    things.level = Some(Level::High);
    things.choice = Some(Choice::Text("hi".to_owned()));
    things.sparse = Some(vec![Some(1), None, Some(3)]);
    things.nested = Some(nested);
    things
}

#[test]
fn requests_are_cbor_documents_of_every_member() {
    let request = PutThings::encode_request(&things()).expect("a request");
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/service/Cbor/operation/PutThings");
    assert_eq!(
        request.headers,
        vec![
            ("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()),
            ("Accept".to_owned(), "application/cbor".to_owned()),
            ("Content-Type".to_owned(), "application/cbor".to_owned()),
            ("Content-Length".to_owned(), request.body.len().to_string()),
        ]
    );
    let value = smithy_runtime::cbor::to_json(&request.body).expect("CBOR");
    assert_eq!(
        value,
        serde_json::json!({
            "name": "everything", "count": -7, "ratio": 0.25, "when": 1700000000.5,
            "data": "Ynl0ZXM=", "tags": ["x", "y"], "scores": {"a": 1.5, "b": -2.0},
            "color": "blue", "level": 2, "choice": {"text": "hi"}, "sparse": [1, null, 3],
            "nested": {"values": ["deep"], "inner": {"values": []}}
        })
    );
}

#[test]
fn what_a_request_writes_a_response_reads() {
    let input = things();
    let request = PutThings::encode_request(&input).expect("a request");
    let response = HttpResponse { status: 200, headers: &[("smithy-protocol", "rpc-v2-cbor")], body: &request.body };
    let output = PutThings::decode_response(&response).expect("decodes");
    assert_eq!(output, input);
}

#[test]
fn a_unit_union_member_and_an_empty_structure() {
    let mut input = Things::new("");
    input.choice = Some(Choice::Nothing);
    let request = PutThings::encode_request(&input).expect("a request");
    let value = smithy_runtime::cbor::to_json(&request.body).expect("CBOR");
    assert_eq!(value, serde_json::json!({"name": "", "choice": {"nothing": {}}}));
}
