//! Bad models: each is refused by `load` or `generate` with one line naming the file, and where
//! they apply the shape ID and the member; none panics or overflows the stack, and none takes
//! long, however large or deep the input.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use smithy_codegen::{Error, Settings};

const FILE: &str = "models/bad.json";

fn settings() -> Settings {
    Settings { version: None, crate_name: None, runtime_path: "../runtime".to_owned(), standalone: true, service: None, partitions: None }
}

/// Loads and generates; the error (it must fail) and how long it took.
fn fail(name: &str, bytes: &[u8]) -> (Error, Duration) {
    let start = Instant::now();
    let result = smithy_codegen::load(FILE, bytes).and_then(|model| smithy_codegen::generate(&model, &settings()));
    let took = start.elapsed();
    match result {
        Ok(krate) => panic!("{name}: expected an error, generated {} files", krate.files.len()),
        Err(e) => (e, took),
    }
}

/// A model holding the service, one operation with an input structure and an error, plus
/// `shapes`.
fn model(shapes: Value) -> Value {
    let mut all = json!({
        "ex#Svc": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{ "target": "ex#Op" }],
            "traits": { "aws.protocols#awsJson1_1": {} }
        },
        "ex#Op": {
            "type": "operation",
            "input": { "target": "ex#OpInput" },
            "output": { "target": "smithy.api#Unit" },
            "errors": [{ "target": "ex#Oops" }]
        },
        "ex#OpInput": {
            "type": "structure",
            "members": { "thing": { "target": "ex#Thing" } },
            "traits": { "smithy.api#input": {} }
        },
        "ex#Oops": {
            "type": "structure",
            "members": { "message": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#error": "client" }
        },
        "ex#Thing": {
            "type": "structure",
            "members": { "name": { "target": "smithy.api#String" } }
        }
    });
    let Value::Object(extra) = shapes else { panic!("shapes must be an object") };
    let map = all.as_object_mut().unwrap();
    for (id, shape) in extra {
        if shape.is_null() {
            map.remove(&id);
        } else {
            map.insert(id, shape);
        }
    }
    json!({ "smithy": "2.0", "shapes": all })
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

/// One case: the input, then what the error must say.
struct Case {
    name: &'static str,
    input: Vec<u8>,
    shape: Option<&'static str>,
    member: Option<&'static str>,
    message: &'static str,
}

fn case(name: &'static str, input: Vec<u8>, shape: Option<&'static str>, member: Option<&'static str>, message: &'static str) -> Case {
    Case { name, input, shape, member, message }
}

fn check(c: &Case) {
    let (error, took) = fail(c.name, &c.input);
    let line = error.to_string();
    assert!(!line.contains('\n') && !line.contains('\r'), "{}: more than one line: {line:?}", c.name);
    assert!(line.starts_with(&format!("{FILE}: ")), "{}: does not start with the file: {line}", c.name);
    assert_eq!(error.file, FILE, "{}", c.name);
    assert_eq!(error.shape.as_deref(), c.shape, "{}: shape in {line}", c.name);
    assert_eq!(error.member.as_deref(), c.member, "{}: member in {line}", c.name);
    if let Some(shape) = c.shape {
        assert!(line.contains(&format!("shape `{shape}`")), "{}: {line}", c.name);
    }
    if let Some(member) = c.member {
        assert!(line.contains(&format!("member `{member}`")), "{}: {line}", c.name);
    }
    assert!(line.contains(c.message), "{}: expected {:?} in {line}", c.name, c.message);
    assert!(line.len() <= 2_000, "{}: the line is {} bytes long", c.name, line.len());
    assert!(took < Duration::from_secs(20), "{}: took {took:?}", c.name);
}

#[test]
fn empty_and_malformed_files() {
    let truncated = {
        let full = bytes(&model(json!({})));
        full[..full.len() / 2].to_vec()
    };
    for c in [
        case("empty", Vec::new(), None, None, "the file is empty"),
        case("blank", b" \n\t\r\n".to_vec(), None, None, "the file is empty"),
        case("truncated", truncated, None, None, "invalid JSON: EOF while parsing"),
        case("trailing comma", br#"{"smithy": "2.0", "shapes": {},}"#.to_vec(), None, None, "invalid JSON: trailing comma"),
        case("garbage", b"smithy 2.0".to_vec(), None, None, "invalid JSON: expected value at line 1 column 1"),
        case("trailing data", br#"{"smithy": "2.0"} {}"#.to_vec(), None, None, "invalid JSON: trailing characters"),
        case("a list", b"[1, 2]".to_vec(), None, None, "expected a JSON object at the top level"),
        case("not UTF-8", b"{\"smithy\": \"2.0\", \"shapes\": {\"ex#A\xff\": {}}}".to_vec(), None, None, "not valid UTF-8 (invalid byte at offset 34)"),
        case("UTF-16", "\u{feff}{}".encode_utf16().flat_map(u16::to_le_bytes).collect(), None, None, "not valid UTF-8"),
        case("shapes not an object", br#"{"smithy": "2.0", "shapes": []}"#.to_vec(), None, None, "`shapes` must be an object keyed by shape ID"),
    ] {
        check(&c);
    }
}

#[test]
fn smithy_versions() {
    for c in [
        case("1.0 is read", br#"{"smithy": "1.0", "shapes": {}}"#.to_vec(), None, None, "the model defines no service shape"),
        case("0.5", br#"{"smithy": "0.5", "shapes": {}}"#.to_vec(), None, None, "unsupported Smithy version `0.5`"),
        case("2.x", br#"{"smithy": "2.x"}"#.to_vec(), None, None, "unsupported Smithy version `2.x`"),
        case("3", br#"{"smithy": "3"}"#.to_vec(), None, None, "unsupported Smithy version `3`"),
        case("20", br#"{"smithy": "20.0"}"#.to_vec(), None, None, "unsupported Smithy version `20.0`"),
        case("number", br#"{"smithy": 2.0}"#.to_vec(), None, None, "the `smithy` version must be a string"),
        case("missing", br#"{"shapes": {}}"#.to_vec(), None, None, "missing the `smithy` version property"),
    ] {
        check(&c);
    }
}

#[test]
fn no_service() {
    let only_structures = json!({ "smithy": "2.0", "shapes": { "ex#A": { "type": "structure" } } });
    let two = model(json!({ "ex#Other": { "type": "service" } }));
    for c in [
        case("no shapes", br#"{"smithy": "2.0"}"#.to_vec(), None, None, "the model defines no service shape"),
        case("no service", bytes(&only_structures), None, None, "the model defines no service shape"),
        case("two services", bytes(&two), None, None, "the model defines several services (`ex#Other`, `ex#Svc`, ...)"),
    ] {
        check(&c);
    }
}

#[test]
fn unknown_shape_types_and_malformed_shapes() {
    for c in [
        case("unknown type", bytes(&model(json!({ "ex#Widget": { "type": "widget" } }))), Some("ex#Widget"), None, "unknown shape type `widget`"),
        case("type not a string", bytes(&model(json!({ "ex#Widget": { "type": 5 } }))), Some("ex#Widget"), None, "the shape's `type` must be a string"),
        case("no type", bytes(&model(json!({ "ex#Widget": {} }))), Some("ex#Widget"), None, "the shape has no `type`"),
        case("shape not an object", bytes(&model(json!({ "ex#Widget": "structure" }))), Some("ex#Widget"), None, "a shape must be a JSON object"),
        case("list without member", bytes(&model(json!({ "ex#L": { "type": "list" } }))), Some("ex#L"), None, "a list shape must have a `member`"),
        case("map without value", bytes(&model(json!({ "ex#M": { "type": "map", "key": { "target": "smithy.api#String" } } }))), Some("ex#M"), None, "a map shape must have a `value`"),
        case("member without target", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "name": {} } } }))), Some("ex#Thing"), Some("name"), "the member has no `target` string"),
        case("members not an object", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": [] } }))), Some("ex#Thing"), None, "`members` must be an object"),
        case("operations not a list", bytes(&model(json!({ "ex#Svc": { "type": "service", "operations": { "target": "ex#Op" } } }))), Some("ex#Svc"), None, "`operations` must be a list of shape references"),
    ] {
        check(&c);
    }
}

#[test]
fn dangling_targets() {
    for c in [
        case("member", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "name": { "target": "ex#Missing" } } } }))), Some("ex#Thing"), Some("name"), "member targets unknown shape `ex#Missing`"),
        case("list member", bytes(&model(json!({ "ex#L": { "type": "list", "member": { "target": "ex#Missing" } } }))), Some("ex#L"), Some("member"), "member targets unknown shape `ex#Missing`"),
        case("map value", bytes(&model(json!({ "ex#M": { "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "ex#Missing" } } }))), Some("ex#M"), Some("value"), "member targets unknown shape `ex#Missing`"),
        case("operation input", bytes(&model(json!({ "ex#OpInput": null }))), Some("ex#Op"), None, "operation input targets unknown shape `ex#OpInput`"),
        case("operation error", bytes(&model(json!({ "ex#Oops": null }))), Some("ex#Op"), None, "operation error targets unknown shape `ex#Oops`"),
        case("service operation", bytes(&model(json!({ "ex#Op": null }))), Some("ex#Svc"), None, "binds unknown shape `ex#Op`"),
        case("apply", bytes(&model(json!({ "ex#Nope": { "type": "apply", "traits": { "smithy.api#sensitive": {} } } }))), Some("ex#Nope"), None, "`apply` targets a shape that does not exist"),
        case("apply member", bytes(&model(json!({ "ex#Thing$nope": { "type": "apply", "traits": { "smithy.api#sensitive": {} } } }))), Some("ex#Thing"), Some("nope"), "`apply` targets a member that does not exist"),
        case("member targets an operation", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "op": { "target": "ex#Op" } } } }))), Some("ex#Thing"), Some("op"), "member targets `ex#Op`, which is a Operation shape"),
        case("input not a structure", bytes(&model(json!({ "ex#OpInput": { "type": "string" } }))), Some("ex#Op"), None, "operation input `ex#OpInput` is not a structure"),
    ] {
        check(&c);
    }
}

#[test]
fn invalid_shape_ids() {
    for c in [
        case("no namespace", bytes(&model(json!({ "Widget": { "type": "string" } }))), None, None, "invalid shape ID `Widget`"),
        case("no name", bytes(&model(json!({ "ex#": { "type": "string" } }))), None, None, "invalid shape ID `ex#`"),
        case("dash", bytes(&model(json!({ "ex#My-Shape": { "type": "string" } }))), None, None, "invalid shape ID `ex#My-Shape`"),
        case("empty namespace part", bytes(&model(json!({ "ex..a#A": { "type": "string" } }))), None, None, "invalid shape ID `ex..a#A`"),
        case("two hashes", bytes(&model(json!({ "ex#A#B": { "type": "string" } }))), None, None, "invalid shape ID `ex#A#B`"),
        case("member ID on a shape", bytes(&model(json!({ "ex#A$b": { "type": "string" } }))), Some("ex#A$b"), None, "only `apply` shapes may use a member shape ID"),
        case("target", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "name": { "target": "String" } } } }))), Some("ex#Thing"), Some("name"), "invalid target shape ID `String`"),
        case("member name", bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "my name": { "target": "smithy.api#String" } } } }))), Some("ex#Thing"), Some("my name"), "invalid member name `my name`"),
        case("operation input", bytes(&model(json!({ "ex#Op": { "type": "operation", "input": { "target": "OpInput" } } }))), Some("ex#Op"), None, "`input` has an invalid shape ID `OpInput`"),
        case("trait ID", bytes(&model(json!({ "ex#Thing": { "type": "structure", "traits": { "sensitive": {} } } }))), Some("ex#Thing"), None, "invalid trait ID `sensitive`"),
    ] {
        check(&c);
    }
    // A --service that does not name a service.
    let model = smithy_codegen::load(FILE, &bytes(&model(json!({})))).unwrap();
    let settings = Settings { version: None, service: Some("ex#Op".into()), ..settings() };
    let error = smithy_codegen::generate(&model, &settings).unwrap_err();
    assert_eq!(error.to_string(), "models/bad.json: shape `ex#Op`: the shape given as the service is not a service");
}

#[test]
fn mixins() {
    for c in [
        case("missing", bytes(&model(json!({ "ex#Thing": { "type": "structure", "mixins": [{ "target": "ex#Base" }] } }))), Some("ex#Thing"), None, "mixin `ex#Base` does not exist"),
        case("not a mixin", bytes(&model(json!({ "ex#Thing": { "type": "structure", "mixins": [{ "target": "ex#Oops" }] } }))), Some("ex#Thing"), None, "`ex#Oops` is used as a mixin but lacks the @mixin trait"),
        case(
            "cycle",
            bytes(&model(json!({
                "ex#A": { "type": "structure", "mixins": [{ "target": "ex#B" }], "traits": { "smithy.api#mixin": {} } },
                "ex#B": { "type": "structure", "mixins": [{ "target": "ex#A" }], "traits": { "smithy.api#mixin": {} } },
            }))),
            Some("ex#A"),
            None,
            "mixin cycle: ex#A -> ex#B -> ex#A",
        ),
        case("mixins not a list", bytes(&model(json!({ "ex#Thing": { "type": "structure", "mixins": "ex#Base" } }))), Some("ex#Thing"), None, "`mixins` must be a list of shape references"),
    ] {
        check(&c);
    }
}

#[test]
fn member_names_that_differ_only_in_case() {
    let s = |name: &str| (name.to_owned(), json!({ "target": "smithy.api#String" }));
    let members = |names: &[&str]| Value::Object(names.iter().map(|n| s(n)).collect());
    for c in [
        case(
            "structure",
            bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": members(&["name", "size", "Name"]) } }))),
            Some("ex#Thing"),
            Some("Name"),
            "member names must be unique ignoring case, and `Name` clashes with `name`",
        ),
        case(
            "union",
            bytes(&model(json!({
                "ex#OpInput": { "type": "structure", "members": { "u": { "target": "ex#U" } } },
                "ex#U": { "type": "union", "members": members(&["self", "SELF"]) },
            }))),
            Some("ex#U"),
            Some("SELF"),
            "`SELF` clashes with `self`",
        ),
        case(
            "a member and a mixin's member",
            bytes(&model(json!({
                "ex#Named": { "type": "structure", "members": members(&["fooBar"]), "traits": { "smithy.api#mixin": {} } },
                "ex#Thing": { "type": "structure", "mixins": [{ "target": "ex#Named" }], "members": members(&["name", "FOOBAR"]) },
            }))),
            Some("ex#Thing"),
            Some("FOOBAR"),
            "`FOOBAR` clashes with `fooBar` (from mixin `ex#Named`)",
        ),
    ] {
        check(&c);
    }
}

#[test]
fn shape_ids_that_differ_only_in_case() {
    // Reported at the later shape of the file, naming the earlier.
    let string = json!({ "type": "string" });
    for c in [
        case(
            "two structures",
            bytes(&model(json!({ "ex#thing": { "type": "structure", "members": {} } }))),
            Some("ex#thing"),
            None,
            "shape IDs must be unique ignoring case, and `ex#thing` clashes with `ex#Thing` (defined in models/bad.json)",
        ),
        case(
            "a shape and an operation",
            bytes(&model(json!({ "ex#OP": string }))),
            Some("ex#OP"),
            None,
            "`ex#OP` clashes with `ex#Op`",
        ),
        case(
            "namespaces that differ in case",
            bytes(&model(json!({ "EX#Oops": string }))),
            Some("EX#Oops"),
            None,
            "`EX#Oops` clashes with `ex#Oops`",
        ),
        case(
            "a prelude shape",
            bytes(&model(json!({ "smithy.api#string": string }))),
            Some("smithy.api#string"),
            None,
            "shape IDs must be unique ignoring case, and `smithy.api#string` clashes with `smithy.api#String` (in the prelude)",
        ),
    ] {
        check(&c);
    }
}

#[test]
fn trait_values_of_the_wrong_type() {
    let on_thing = |traits: Value| bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "name": { "target": "smithy.api#String" } }, "traits": traits } })));
    let on_name = |traits: Value| bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "name": { "target": "smithy.api#String", "traits": traits } } } })));
    for c in [
        case("documentation", on_thing(json!({ "smithy.api#documentation": 5 })), Some("ex#Thing"), None, "trait `smithy.api#documentation` must be a string, found a number"),
        case("error", on_thing(json!({ "smithy.api#error": "teapot" })), Some("ex#Thing"), None, "trait `smithy.api#error` must be \"client\" or \"server\", found \"teapot\""),
        case("httpError", on_thing(json!({ "smithy.api#httpError": "404" })), Some("ex#Thing"), None, "trait `smithy.api#httpError` must be an HTTP status code, found a string"),
        case("httpError range", on_thing(json!({ "smithy.api#httpError": 1000 })), Some("ex#Thing"), None, "must be an HTTP status code, found a number"),
        case("required", on_name(json!({ "smithy.api#required": true })), Some("ex#Thing"), Some("name"), "trait `smithy.api#required` must be an object, found a boolean"),
        case("jsonName", on_name(json!({ "smithy.api#jsonName": ["a"] })), Some("ex#Thing"), Some("name"), "trait `smithy.api#jsonName` must be a string, found a list"),
        case("timestampFormat", on_name(json!({ "smithy.api#timestampFormat": "iso" })), Some("ex#Thing"), Some("name"), "must be one of \"date-time\", \"http-date\", \"epoch-seconds\", found \"iso\""),
        case("traits not an object", on_name(json!(["smithy.api#required"])), Some("ex#Thing"), Some("name"), "`traits` must be an object"),
        case("enum", bytes(&model(json!({ "ex#E": { "type": "string", "traits": { "smithy.api#enum": { "value": "A" } } } }))), Some("ex#E"), None, "trait `smithy.api#enum` must be a list of enum definitions, found an object"),
        case("legacy enum entry", bytes(&model(json!({ "ex#E": { "type": "string", "traits": { "smithy.api#enum": [{ "name": "A" }] } } }))), Some("ex#E"), None, "each `smithy.api#enum` entry needs a `value` string"),
        case(
            "default of the wrong type",
            bytes(&model(json!({ "ex#Thing": { "type": "structure", "members": { "count": { "target": "smithy.api#Integer", "traits": { "smithy.api#default": "zero" } } } } }))),
            Some("ex#Thing"),
            Some("count"),
            "@default value \"zero\" is not an integer",
        ),
        case(
            "intEnum value",
            bytes(&model(json!({
                "ex#Thing": { "type": "structure", "members": { "level": { "target": "ex#Level" } } },
                "ex#Level": { "type": "intEnum", "members": { "HIGH": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 4294967296u64 } } } },
            }))),
            Some("ex#Level"),
            Some("HIGH"),
            "intEnum members must fit within an integer, but found: 4294967296",
        ),
        case(
            "enum value",
            bytes(&model(json!({ "ex#Color": { "type": "enum", "members": { "RED": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } } } } }))),
            Some("ex#Color"),
            Some("RED"),
            "enum members can only be assigned string values, but found: 1",
        ),
    ] {
        check(&c);
    }
}

#[test]
fn enums_and_unions_without_members_or_with_repeated_values() {
    let used = |id: &str, shape: Value| {
        bytes(&model(json!({
            "ex#Thing": { "type": "structure", "members": { "it": { "target": id } } },
            id: shape,
        })))
    };
    let unit = |value: Value| json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": value } });
    for c in [
        case("empty enum", used("ex#E", json!({ "type": "enum", "members": {} })), Some("ex#E"), None, "an enum shape needs at least one member"),
        case("enum without members", used("ex#E", json!({ "type": "enum" })), Some("ex#E"), None, "an enum shape needs at least one member"),
        case("empty intEnum", used("ex#I", json!({ "type": "intEnum", "members": {} })), Some("ex#I"), None, "an intEnum shape needs at least one member"),
        case("empty union", used("ex#U", json!({ "type": "union", "members": {} })), Some("ex#U"), None, "a union shape needs at least one member"),
        case(
            "repeated enum value",
            used("ex#E", json!({ "type": "enum", "members": { "A": unit(json!("x")), "B": unit(json!("x")) } })),
            Some("ex#E"),
            Some("B"),
            "has the value x of member `A` already: enum values must be unique",
        ),
        case(
            "enum value equal to another member's name",
            used("ex#E", json!({ "type": "enum", "members": { "A": { "target": "smithy.api#Unit" }, "B": unit(json!("A")) } })),
            Some("ex#E"),
            Some("B"),
            "has the value A of member `A` already",
        ),
        case(
            "repeated intEnum value",
            used("ex#I", json!({ "type": "intEnum", "members": { "A": unit(json!(1)), "B": unit(json!(2)), "C": unit(json!(1)) } })),
            Some("ex#I"),
            Some("C"),
            "has the value 1 of member `A` already",
        ),
        case("empty enum value", used("ex#E", json!({ "type": "enum", "members": { "A": unit(json!("")) } })), Some("ex#E"), Some("A"), "must be a string, and not empty"),
    ] {
        check(&c);
    }
}

#[test]
fn defaults_that_do_not_fit_their_target() {
    let with = |target: &str, default: Value, extra: Value| {
        let mut shapes = json!({
            "ex#Thing": { "type": "structure", "members": { "d": { "target": target, "traits": { "smithy.api#default": default } } } },
            "ex#Small": { "type": "byte" },
            "ex#Ranged": { "type": "integer", "traits": { "smithy.api#range": { "min": 1, "max": 10 } } },
            "ex#Short": { "type": "string", "traits": { "smithy.api#length": { "max": 3 } } },
            "ex#E": { "type": "enum", "members": { "A": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "a" } } } },
            "ex#I": { "type": "intEnum", "members": { "A": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } } } },
            "ex#L": { "type": "list", "member": { "target": "smithy.api#String" } },
            "ex#M": { "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "smithy.api#String" } },
        });
        if let (Some(shapes), Value::Object(extra)) = (shapes.as_object_mut(), extra) {
            shapes.extend(extra);
        }
        bytes(&model(shapes))
    };
    let plain = |target: &str, default: Value| with(target, default, json!({}));
    let at = Some("ex#Thing");
    let d = Some("d");
    for c in [
        case("byte", plain("smithy.api#Byte", json!(300)), at, d, "@default value 300 does not fit the target's type (i8: -128 to 127)"),
        case("byte alias", plain("ex#Small", json!(-129)), at, d, "does not fit the target's type (i8: -128 to 127)"),
        case("short", plain("smithy.api#Short", json!(40000)), at, d, "(i16: -32768 to 32767)"),
        case("integer", plain("smithy.api#Integer", json!(2147483648u64)), at, d, "(i32: -2147483648 to 2147483647)"),
        case("long", plain("smithy.api#Long", json!(9223372036854775808u64)), at, d, "(i64: -9223372036854775808 to 9223372036854775807)"),
        case("integer as a float", plain("smithy.api#Integer", json!(1.5)), at, d, "is not an integer, as integer `smithy.api#Integer` needs"),
        case("float", plain("smithy.api#Float", json!(1e39)), at, d, "@default value 1e+39 does not fit the target's type"),
        case("float string", plain("smithy.api#Double", json!("many")), at, d, "is not a number (or \"NaN\""),
        case("range", plain("ex#Ranged", json!(11)), at, d, "is outside the @range of the member (1 to 10)"),
        case("member range", with("smithy.api#Integer", json!(-1), json!({ "ex#Thing": { "type": "structure", "members": { "d": { "target": "smithy.api#Integer", "traits": { "smithy.api#default": -1, "smithy.api#range": { "min": 0 } } } } } })), at, d, "outside the @range of the member (0 to any)"),
        case("zero outside the range (allowed, as in Smithy) and a bad string", with("ex#Ranged", json!(0), json!({ "ex#Other": { "type": "structure", "members": { "s": { "target": "ex#Short", "traits": { "smithy.api#default": "four" } } } }, "ex#OpInput": { "type": "structure", "members": { "thing": { "target": "ex#Thing" }, "other": { "target": "ex#Other" } } } })), Some("ex#Other"), Some("s"), "outside the @length"),
        case("length", plain("ex#Short", json!("four")), at, d, "has a length of 4 characters, outside the @length of the member (any to 3)"),
        case("boolean", plain("smithy.api#Boolean", json!("true")), at, d, "is not a boolean"),
        case("string", plain("smithy.api#String", json!(1)), at, d, "is not a string"),
        case("enum value", plain("ex#E", json!("A")), at, d, "@default value \"A\" is not a value of the enum `ex#E`"),
        case("intEnum value", plain("ex#I", json!(2)), at, d, "is not a value of the intEnum `ex#I`"),
        case("blob", plain("smithy.api#Blob", json!("not base64!")), at, d, "is not base64"),
        case("timestamp", plain("smithy.api#Timestamp", json!("yesterday")), at, d, "is not a timestamp (epoch seconds, or an RFC 3339 date-time string)"),
        case("timestamp out of range", plain("smithy.api#Timestamp", json!(1e300)), at, d, "is not a timestamp"),
        case("bigInteger", plain("smithy.api#BigInteger", json!("1.5")), at, d, "is not an integer"),
        case("document", plain("smithy.api#Document", json!([1])), at, d, "a document default is null, a boolean, a string, a number, [] or {}"),
        case("list", plain("ex#L", json!(["a"])), at, d, "a list's default can only be []"),
        case("map", plain("ex#M", json!({ "a": "b" })), at, d, "a map's default can only be {}"),
        case("structure", plain("ex#Thing", json!({})), at, d, "a member targeting a structure cannot have a default"),
    ] {
        check(&c);
    }
}

#[test]
fn members_where_none_can_be() {
    for c in [
        case("string with members", bytes(&model(json!({ "ex#S": { "type": "string", "members": { "a": { "target": "smithy.api#String" } } } }))), Some("ex#S"), None, "a string shape cannot have `members`"),
        case("list with members", bytes(&model(json!({ "ex#L": { "type": "list", "member": { "target": "smithy.api#String" }, "members": {} } }))), Some("ex#L"), None, "a list shape cannot have `members`"),
        case("structure with member", bytes(&model(json!({ "ex#Thing": { "type": "structure", "member": { "target": "smithy.api#String" } } }))), Some("ex#Thing"), None, "a structure shape cannot have `member`"),
        case("operation with members", bytes(&model(json!({ "ex#Op": { "type": "operation", "members": {} } }))), Some("ex#Op"), None, "a operation shape cannot have `members`"),
        case("map with member", bytes(&model(json!({ "ex#M": { "type": "map", "member": { "target": "smithy.api#String" } } }))), Some("ex#M"), None, "a map shape cannot have `member`"),
        case("map key not a string", bytes(&model(json!({ "ex#M": { "type": "map", "key": { "target": "smithy.api#Integer" }, "value": { "target": "smithy.api#String" } } }))), Some("ex#M"), Some("key"), "a map key must target a string or enum shape"),
    ] {
        check(&c);
    }
}

#[test]
fn cycles() {
    let required = json!({ "smithy.api#required": {} });
    let through_required = model(json!({
        "ex#Thing": { "type": "structure", "members": { "a": { "target": "ex#A" } } },
        "ex#A": { "type": "structure", "members": { "b": { "target": "ex#B", "traits": required } } },
        "ex#B": { "type": "structure", "members": { "a": { "target": "ex#A", "traits": required } } },
    }));
    let self_list = model(json!({
        "ex#Thing": { "type": "structure", "members": { "l": { "target": "ex#L" } } },
        "ex#L": { "type": "list", "member": { "target": "ex#L" } },
    }));
    let list_map_list = model(json!({
        "ex#Thing": { "type": "structure", "members": { "l": { "target": "ex#L" } } },
        "ex#L": { "type": "list", "member": { "target": "ex#M" } },
        "ex#M": { "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "ex#L" } },
    }));
    for c in [
        case("required members", bytes(&through_required), Some("ex#B"), Some("a"), "structure cycle through required members only (ex#A -> ex#B -> ex#A)"),
        case("a list of itself", bytes(&self_list), Some("ex#L"), Some("member"), "a list or map contains itself without a structure or union in between (ex#L -> ex#L)"),
        case("list and map", bytes(&list_map_list), Some("ex#M"), Some("value"), "(ex#L -> ex#M -> ex#L)"),
    ] {
        check(&c);
    }
}

/// `[[[[...` a hundred thousand levels deep, at the top and inside a trait value.
#[test]
fn json_nested_a_hundred_thousand_levels() {
    let depth = 100_000;
    let top = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let in_trait = format!(
        r#"{{"smithy": "2.0", "shapes": {{"ex#A": {{"type": "string", "traits": {{"ex#deep": {}{}}}}}}}}}"#,
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    for c in [
        case("top", top.into_bytes(), None, None, "invalid JSON: recursion limit exceeded"),
        case("in a trait", in_trait.into_bytes(), None, None, "invalid JSON: recursion limit exceeded"),
    ] {
        check(&c);
    }
}

/// The base model with `shapes` (JSON object entries, comma-separated) added, built as text:
/// fast enough for files of tens of megabytes.
fn model_text(shapes: &str) -> Vec<u8> {
    let base = serde_json::to_string(&model(json!({}))).unwrap();
    let at = base.len() - 2;
    assert_eq!(&base[at..], "}}");
    format!("{},{shapes}}}}}", &base[..at]).into_bytes()
}

/// Chains of twenty thousand shapes (mixins, nested lists, structures): walked without
/// recursion, in time linear in their length.
#[test]
fn long_chains_of_shapes() {
    let n = 20_000;
    let entries = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(",");
    let mixins = model_text(&entries(&|i| {
        let more = if i + 1 < n {
            format!(r#""mixins": [{{"target": "ex#M{}"}}]"#, i + 1)
        } else {
            r#""members": {"x": {"target": "ex#Nowhere"}}"#.to_owned()
        };
        format!(r#""ex#M{i}": {{"type": "structure", "traits": {{"smithy.api#mixin": {{}}}}, {more}}}"#)
    }));
    let lists = model_text(&format!(
        r#""ex#Thing": {{"type": "structure", "members": {{"l": {{"target": "ex#L0"}}}}}}, "ex#L{n}": {{"type": "string"}}, {}"#,
        entries(&|i| format!(r#""ex#L{i}": {{"type": "list", "member": {{"target": "ex#L{}"}}}}"#, i + 1))
    ));
    let structures = model_text(&format!(
        r#""ex#Thing": {{"type": "structure", "members": {{"s": {{"target": "ex#S0"}}}}}}, {}"#,
        entries(&|i| format!(
            r#""ex#S{i}": {{"type": "structure", "members": {{"next": {{"target": "ex#S{}", "traits": {{"smithy.api#required": {{}}}}}}}}}}"#,
            (i + 1) % n
        ))
    ));
    for c in [
        case("mixins", mixins, Some("ex#M0"), Some("x"), "member targets unknown shape `ex#Nowhere`"),
        case("lists", lists, Some("ex#L0"), Some("member"), "lists and maps nest more than 64 levels deep"),
        case(
            "structures",
            structures,
            Some("ex#S19999"),
            Some("next"),
            "structure cycle through required members only (ex#S0 -> ex#S1 -> ex#S2 -> ex#S3 -> ... (19995 more) ... -> ex#S19999 -> ex#S0)",
        ),
    ] {
        check(&c);
    }
}

/// Fifty megabytes: a long model whose last shape is bad, and a shape ID as long as the file.
#[test]
fn fifty_megabyte_files() {
    let target = 50 << 20;
    let doc = "Lorem ipsum dolor sit amet. ".repeat(40);
    let mut shapes = String::with_capacity(target + 4096);
    shapes.push_str(r#""ex#Thing": {"type": "structure", "members": {"s": {"target": "ex#S0"}}}"#);
    let mut i = 0;
    while shapes.len() < target {
        shapes.push_str(&format!(
            r#", "ex#S{i}": {{"type": "structure", "members": {{"name": {{"target": "smithy.api#String", "traits": {{"smithy.api#documentation": "{doc}"}}}}, "next": {{"target": "ex#S{}"}}}}, "traits": {{"smithy.api#documentation": "{doc}"}}}}"#,
            i + 1
        ));
        i += 1;
    }
    let long = model_text(&shapes);
    drop(shapes);
    assert!(long.len() >= target, "{}", long.len());
    let last = format!("ex#S{}", i - 1);
    let (error, took) = fail("long", &long);
    assert_eq!(error.shape.as_deref(), Some(last.as_str()), "{error}");
    assert_eq!(error.member.as_deref(), Some("next"));
    assert!(error.to_string().contains(&format!("member targets unknown shape `ex#S{i}`")), "{error}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    drop(long);

    let id = format!("ex#{}", "A-".repeat(target / 2));
    let huge_id = format!(r#"{{"smithy": "2.0", "shapes": {{"{id}": {{"type": "string"}}}}}}"#).into_bytes();
    let c = case("huge shape ID", huge_id, None, None, "invalid shape ID `ex#A-A-A-");
    check(&c);
    let line = fail(c.name, &c.input).0.to_string();
    assert!(line.contains("…"), "{line}");
}

/// Shapes fifty thousand members wide, with as many inherited from a mixin and as many
/// `apply` shapes: merged and applied in time linear in their number.
#[test]
fn wide_shapes() {
    let n = 50_000;
    let members = |prefix: &str| (0..n).map(|i| format!(r#""{prefix}{i}": {{"target": "smithy.api#String"}}"#)).collect::<Vec<_>>().join(",");
    let applies = (0..n).map(|i| format!(r#""ex#Thing$own{i}": {{"type": "apply", "traits": {{"smithy.api#sensitive": {{}}}}}}"#)).collect::<Vec<_>>().join(",");
    let wide = model_text(&format!(
        r#""ex#Base": {{"type": "structure", "members": {{{}}}, "traits": {{"smithy.api#mixin": {{}}}}}},
           "ex#Thing": {{"type": "structure", "mixins": [{{"target": "ex#Base"}}], "members": {{{}, "last": {{"target": "ex#Nowhere"}}}}}},
           {applies}"#,
        members("inherited"),
        members("own"),
    ));
    check(&case("wide", wide, Some("ex#Thing"), Some("last"), "member targets unknown shape `ex#Nowhere`"));
}

#[test]
fn http_checksum_traits_that_cannot_be_followed() {
    let on_op = |checksum: Value| {
        bytes(&model(json!({ "ex#Op": {
            "type": "operation",
            "input": { "target": "ex#OpInput" },
            "output": { "target": "smithy.api#Unit" },
            "traits": { "aws.protocols#httpChecksum": checksum }
        } })))
    };
    for c in [
        case("not an object", on_op(json!(true)), Some("ex#Op"), None, "@httpChecksum: the trait's value must be an object"),
        case(
            "no behavior",
            on_op(json!({ "responseAlgorithms": ["CRC32"] })),
            Some("ex#Op"),
            None,
            "@httpChecksum: sets none of `requestChecksumRequired`, `requestAlgorithmMember` and `requestValidationModeMember`",
        ),
        case("required not a boolean", on_op(json!({ "requestChecksumRequired": "yes" })), Some("ex#Op"), None, "`requestChecksumRequired` must be a boolean"),
        case("member not a string", on_op(json!({ "requestAlgorithmMember": 1 })), Some("ex#Op"), None, "`requestAlgorithmMember` must be a string"),
        case(
            "algorithms not strings",
            on_op(json!({ "requestValidationModeMember": "thing", "responseAlgorithms": [1] })),
            Some("ex#Op"),
            None,
            "`responseAlgorithms` must be a list of strings",
        ),
        case(
            "missing member",
            on_op(json!({ "requestAlgorithmMember": "ChecksumAlgorithm" })),
            Some("ex#Op"),
            None,
            "`requestAlgorithmMember` names `ChecksumAlgorithm`, which is not a member of the operation's input",
        ),
        case(
            "member of the wrong type",
            on_op(json!({ "requestValidationModeMember": "thing" })),
            Some("ex#Op"),
            None,
            "`requestValidationModeMember` names `thing`, which must target a string or an enum",
        ),
    ] {
        check(&c);
    }
}

/// Malformed endpoint rules are refused at generation with one line naming the service and the
/// rule (the runtime's compiler is the check), as are bindings to parameters the rules lack.
#[test]
fn malformed_endpoint_rules_name_the_service_and_the_rule() {
    let rules = |rules: Value| {
        json!({
            "version": "1.0",
            "parameters": { "Region": { "type": "string", "required": false } },
            "rules": rules
        })
    };
    let cases = [
        (
            "unknown function",
            rules(json!([{ "conditions": [{ "fn": "frobnicate", "argv": [] }], "error": "x", "type": "error" }])),
            "rules[0]",
        ),
        (
            "unassigned reference",
            rules(json!([{ "conditions": [], "endpoint": { "url": { "ref": "Nope" } }, "type": "endpoint" }])),
            "rules[0]",
        ),
        (
            "wrong arity",
            rules(json!([{ "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Region" }, true] }], "error": "x", "type": "error" }])),
            "rules[0]",
        ),
    ];
    for (name, ruleset, at) in cases {
        let mut m = model(json!({}));
        m["shapes"]["ex#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = ruleset;
        let (e, _) = fail(name, &serde_json::to_vec(&m).unwrap());
        let message = e.to_string();
        assert!(!message.contains('\n'), "{name}: {message}");
        assert!(message.starts_with("models/bad.json: shape `ex#Svc`: endpoint rules refused: "), "{name}: {message}");
        assert!(message.contains(at), "{name}: {message}");
    }
    let mut m = model(json!({}));
    m["shapes"]["ex#Svc"]["traits"]["smithy.rules#endpointRuleSet"] =
        rules(json!([{ "conditions": [], "error": "x", "type": "error" }]));
    m["shapes"]["ex#Op"]["traits"] = json!({ "smithy.rules#staticContextParams": { "Bucket": { "value": "b" } } });
    let (e, _) = fail("unknown static param", &serde_json::to_vec(&m).unwrap());
    assert_eq!(
        e.to_string(),
        "models/bad.json: shape `ex#Op`: endpoint param `Bucket`: `@staticContextParams` names no parameter of the endpoint rules"
    );
}
