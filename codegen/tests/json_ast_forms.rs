//! Every node form the JSON AST specification documents (top-level properties, each shape
//! type, members, shape references, service and resource properties, mixins, `apply`) loads
//! to the same model as the same model written in the IDL.

use smithy_codegen::{Loader, Model};

mod data;

fn load(name: &str, text: &str) -> Model {
    let mut loader = Loader::new();
    loader.add(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    loader.finish().unwrap_or_else(|e| panic!("{e}"))
}

const JSON: &str = r#"{
    "smithy": "2",
    "metadata": {
        "greeting": "hello",
        "list": ["a", 1, 2.5, true, null, {"k": []}]
    },
    "shapes": {
        "ex#Blob": { "type": "blob" },
        "ex#Boolean": { "type": "boolean" },
        "ex#Document": { "type": "document" },
        "ex#String": {
            "type": "string",
            "traits": { "smithy.api#documentation": "My documentation string" }
        },
        "ex#Byte": { "type": "byte" },
        "ex#Short": { "type": "short" },
        "ex#Integer": { "type": "integer" },
        "ex#Long": { "type": "long" },
        "ex#Float": { "type": "float" },
        "ex#Double": { "type": "double" },
        "ex#BigInteger": { "type": "bigInteger" },
        "ex#BigDecimal": { "type": "bigDecimal" },
        "ex#Timestamp": { "type": "timestamp" },
        "ex#MyList": {
            "type": "list",
            "member": {
                "target": "smithy.api#String",
                "traits": { "smithy.api#documentation": "Member documentation" }
            }
        },
        "ex#IntegerMap": {
            "type": "map",
            "key": { "target": "smithy.api#String" },
            "value": { "target": "smithy.api#Integer" }
        },
        "ex#MyStructure": {
            "type": "structure",
            "members": {
                "stringMember": {
                    "target": "smithy.api#String",
                    "traits": { "smithy.api#required": {} }
                },
                "numberMember": { "target": "smithy.api#Integer" }
            }
        },
        "ex#Empty": { "type": "structure" },
        "ex#MyUnion": {
            "type": "union",
            "members": {
                "a": { "target": "smithy.api#String" },
                "b": { "target": "smithy.api#Integer" }
            }
        },
        "ex#MyEnum": {
            "type": "enum",
            "members": {
                "FOO": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "foo" } }
            }
        },
        "ex#MyIntEnum": {
            "type": "intEnum",
            "members": {
                "FOO": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } }
            }
        },
        "ex#MyService": {
            "type": "service",
            "version": "2017-02-11",
            "operations": [ { "target": "ex#GetServerTime" } ],
            "resources": [ { "target": "ex#Thing" } ],
            "errors": [ { "target": "ex#SomeError" } ],
            "traits": { "smithy.api#documentation": "Documentation for the service" },
            "rename": { "ex#Widget": "SmithyWidget", "other#Widget": "FooWidget" }
        },
        "ex#GetServerTime": {
            "type": "operation",
            "input": { "target": "ex#GetServerTimeInput" },
            "output": { "target": "smithy.api#Unit" },
            "errors": [ { "target": "ex#SomeError" }, { "target": "ex#OtherError" } ],
            "traits": { "smithy.api#readonly": {} }
        },
        "ex#GetServerTimeInput": {
            "type": "structure",
            "members": {
                "widget": { "target": "ex#Widget" },
                "other": { "target": "other#Widget" }
            }
        },
        "ex#Widget": { "type": "string" },
        "other#Widget": { "type": "string" },
        "ex#SomeError": { "type": "structure", "traits": { "smithy.api#error": "client" } },
        "ex#OtherError": { "type": "structure", "traits": { "smithy.api#error": "server" } },
        "ex#Thing": {
            "type": "resource",
            "identifiers": { "forecastId": { "target": "smithy.api#String" } },
            "properties": { "name": { "target": "smithy.api#String" } },
            "create": { "target": "ex#CreateThing" },
            "put": { "target": "ex#PutThing" },
            "read": { "target": "ex#GetThing" },
            "update": { "target": "ex#UpdateThing" },
            "delete": { "target": "ex#DeleteThing" },
            "list": { "target": "ex#ListThings" },
            "operations": [ { "target": "ex#SomeInstanceOperation" } ],
            "collectionOperations": [ { "target": "ex#SomeCollectionOperation" } ],
            "resources": [ { "target": "ex#SomeResource" } ]
        },
        "ex#CreateThing": { "type": "operation" },
        "ex#PutThing": { "type": "operation" },
        "ex#GetThing": { "type": "operation" },
        "ex#UpdateThing": { "type": "operation" },
        "ex#DeleteThing": { "type": "operation" },
        "ex#ListThings": { "type": "operation" },
        "ex#SomeInstanceOperation": { "type": "operation" },
        "ex#SomeCollectionOperation": { "type": "operation" },
        "ex#SomeResource": { "type": "resource" },
        "ex#BaseUser": {
            "type": "structure",
            "members": { "userId": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#mixin": {} }
        },
        "ex#UserDetails": {
            "type": "structure",
            "members": { "username": { "target": "smithy.api#String" } },
            "mixins": [ { "target": "ex#BaseUser" } ]
        },
        "ex#Struct": {
            "type": "structure",
            "members": { "foo": { "target": "smithy.api#String" } }
        },
        "ex#Struct$foo": {
            "type": "apply",
            "traits": { "smithy.api#documentation": "My documentation string" }
        }
    }
}"#;

/// The IDL twin, with `other#Widget` in a second file (another namespace).
const IDL_EX: &str = r#"$version: "2"

metadata greeting = "hello"
metadata list = ["a", 1, 2.5, true, null, {k: []}]

namespace ex

blob Blob
boolean Boolean
document Document
/// My documentation string
string String
byte Byte
short Short
integer Integer
long Long
float Float
double Double
bigInteger BigInteger
bigDecimal BigDecimal
timestamp Timestamp

list MyList {
    /// Member documentation
    member: smithy.api#String
}

map IntegerMap {
    key: smithy.api#String
    value: smithy.api#Integer
}

structure MyStructure {
    @required
    stringMember: smithy.api#String
    numberMember: smithy.api#Integer
}

structure Empty {}

union MyUnion {
    a: smithy.api#String
    b: smithy.api#Integer
}

enum MyEnum {
    FOO = "foo"
}

intEnum MyIntEnum {
    FOO = 1
}

/// Documentation for the service
service MyService {
    version: "2017-02-11"
    operations: [GetServerTime]
    resources: [Thing]
    errors: [SomeError]
    rename: { "ex#Widget": "SmithyWidget", "other#Widget": "FooWidget" }
}

@readonly
operation GetServerTime {
    input: GetServerTimeInput
    output: Unit
    errors: [SomeError, OtherError]
}

structure GetServerTimeInput {
    widget: Widget
    other: other#Widget
}

string Widget

@error("client")
structure SomeError {}

@error("server")
structure OtherError {}

resource Thing {
    identifiers: { forecastId: smithy.api#String }
    properties: { name: smithy.api#String }
    create: CreateThing
    put: PutThing
    read: GetThing
    update: UpdateThing
    delete: DeleteThing
    list: ListThings
    operations: [SomeInstanceOperation]
    collectionOperations: [SomeCollectionOperation]
    resources: [SomeResource]
}

operation CreateThing {}
operation PutThing {}
operation GetThing {}
operation UpdateThing {}
operation DeleteThing {}
operation ListThings {}
operation SomeInstanceOperation {}
operation SomeCollectionOperation {}
resource SomeResource {}

@mixin
structure BaseUser {
    userId: smithy.api#String
}

structure UserDetails with [BaseUser] {
    username: smithy.api#String
}

structure Struct {
    foo: smithy.api#String
}

apply Struct$foo @documentation("My documentation string")
"#;

const IDL_OTHER: &str = "$version: \"2\"\nnamespace other\nstring Widget\n";

#[test]
fn every_documented_json_ast_form_loads_as_its_idl_twin() {
    let json = load("forms.json", JSON);
    let mut loader = Loader::new();
    loader.add("forms.smithy", IDL_EX.as_bytes()).unwrap();
    loader.add("other.smithy", IDL_OTHER.as_bytes()).unwrap();
    let idl = loader.finish().unwrap_or_else(|e| panic!("{e}"));
    if let Some(d) = data::difference(&json, &idl) {
        panic!("{d}");
    }
    // Spot checks that the forms were read, not dropped on both sides.
    assert_eq!(json.shapes["ex#Thing"].lifecycle.len(), 6);
    assert_eq!(json.shapes["ex#MyService"].rename.len(), 2);
    assert!(json.shapes["ex#Struct"].members[0].traits.contains_key("smithy.api#documentation"));
    assert_eq!(json.metadata["list"].as_array().map(Vec::len), Some(6));
}

