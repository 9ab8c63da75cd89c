//! The Smithy IDL reader: positions in errors, names resolved across files and formats,
//! Smithy 1.0 upgrades, inline input and output, and a crate generated from IDL.

use serde_json::json;
use smithy_codegen::{Loader, Model, Settings};

fn load(files: &[(&str, &str)]) -> Result<Model, smithy_codegen::Error> {
    let mut loader = Loader::new();
    for (name, text) in files {
        loader.add(name, text.as_bytes())?;
    }
    loader.finish()
}

fn member_default(model: &Model, shape: &str, member: &str) -> Option<serde_json::Value> {
    model.shapes[shape].member(member).unwrap().traits.get("smithy.api#default").cloned()
}

#[test]
fn syntax_errors_name_file_line_and_column_and_show_the_line() {
    let text = "$version: \"2.0\"\nnamespace ex\n\nstructure Foo {\n    bar: String = \"x\" baz: Integer\n}\n";
    let e = load(&[("model/foo.smithy", text)]).unwrap_err();
    assert_eq!(e.to_string(), "model/foo.smithy:5:23: Expected a line break, but found IDENTIFIER('baz')");
    assert_eq!(e.snippet(text).unwrap(), "    bar: String = \"x\" baz: Integer\n                      ^");
    // Semantic errors point at the shape's name.
    let e = load(&[("a.smithy", "$version: \"2\"\nnamespace ex\nenum Empty {}\n")]);
    let model = e.unwrap();
    let e = smithy_codegen::validate_model(&model).unwrap_err();
    assert_eq!(e.to_string(), "a.smithy:3:6: shape `ex#Empty`: an enum shape needs at least one member");
}

#[test]
fn names_resolve_across_files_and_formats() {
    let a = "$version: \"2\"\nnamespace ex\nuse other#Thing\nstructure A { b: B, t: Thing, s: String }\n";
    let b = "$version: \"2\"\nnamespace ex\nstring B\n";
    let json = json!({"smithy": "2.0", "shapes": {"other#Thing": {"type": "integer"}}}).to_string();
    let model = load(&[("a.smithy", a), ("b.smithy", b), ("c.json", &json)]).unwrap();
    let targets: Vec<&str> = model.shapes["ex#A"].members.iter().map(|m| m.target.as_str()).collect();
    assert_eq!(targets, ["ex#B", "other#Thing", "smithy.api#String"]);
    // A shape of the namespace wins over the prelude.
    let shadow = "$version: \"2\"\nnamespace ex\nstructure A { s: String }\nstring String\n";
    let model = load(&[("a.smithy", shadow)]).unwrap();
    assert_eq!(model.shapes["ex#A"].members[0].target, "ex#String");
    // A shape defined twice differently is refused, naming both places.
    let twice = load(&[("a.smithy", b), ("b.smithy", "$version: \"2\"\nnamespace ex\ninteger B\n")]).unwrap_err();
    assert!(twice.to_string().contains("defined twice") && twice.to_string().contains("a.smithy:3:8"), "{twice}");
}

#[test]
fn smithy_1_files_are_upgraded() {
    let text = "namespace ex\n\
        integer Count\n\
        @box\ninteger MaybeCount\n\
        structure S {\n  a: Count,\n  @box\n  b: Count,\n  c: MaybeCount,\n  d: PrimitiveInteger,\n  e: Integer,\n  f: PrimitiveBoolean\n}\n\
        set Tags { member: String }\n";
    let model = load(&[("v1.smithy", text)]).unwrap();
    assert_eq!(model.shapes["ex#Count"].traits.get("smithy.api#default"), Some(&json!(0)));
    assert_eq!(model.shapes["ex#MaybeCount"].traits.get("smithy.api#default"), None);
    assert_eq!(member_default(&model, "ex#S", "a"), Some(json!(0)));
    assert_eq!(member_default(&model, "ex#S", "b"), None);
    assert_eq!(member_default(&model, "ex#S", "c"), None);
    assert_eq!(member_default(&model, "ex#S", "d"), Some(json!(0)));
    assert_eq!(member_default(&model, "ex#S", "e"), None);
    assert_eq!(member_default(&model, "ex#S", "f"), Some(json!(false)));
    assert!(model.shapes["ex#Tags"].traits.contains_key("smithy.api#uniqueItems"));
    // Smithy 2.0 syntax in a 1.0 file is refused where it stands.
    let e = load(&[("v1.smithy", "$version: \"1.0\"\nnamespace ex\nstructure S {\n  a: String = \"x\"\n}\n")]).unwrap_err();
    assert!(e.to_string().starts_with("v1.smithy:4:13: @default assignment"), "{e}");
}

#[test]
fn inline_input_and_output_take_the_suffixes() {
    let text = "$version: \"2\"\n$operationInputSuffix: \"Request\"\n$operationOutputSuffix: \"Response\"\n\
        namespace ex\n\
        operation Get {\n  input := {\n    /// The id.\n    @required\n    id: String\n  }\n  output := with [Common] {}\n}\n\
        @mixin\nstructure Common { etag: String }\n";
    let model = load(&[("io.smithy", text)]).unwrap();
    let op = &model.shapes["ex#Get"];
    assert_eq!(op.input.as_deref(), Some("ex#GetRequest"));
    assert_eq!(op.output.as_deref(), Some("ex#GetResponse"));
    let input = &model.shapes["ex#GetRequest"];
    assert!(input.traits.contains_key("smithy.api#input"));
    let id = input.member("id").unwrap();
    assert_eq!(id.traits.get("smithy.api#documentation"), Some(&json!("The id.")));
    assert!(id.traits.contains_key("smithy.api#required"));
    let output = &model.shapes["ex#GetResponse"];
    assert!(output.traits.contains_key("smithy.api#output"));
    assert_eq!(output.member("etag").unwrap().target, "smithy.api#String");
}

const SERVICE: &str = r#"$version: "2.0"

namespace example.weather

use aws.api#service
use aws.protocols#restJson1

/// Forecasts, in IDL.
@service(sdkId: "Weather")
@restJson1
service Weather {
    version: "2024-01-01"
    resources: [City]
}

resource City {
    identifiers: { cityId: CityId }
    properties: { name: String }
    read: GetCity
}

@pattern("^[a-z]+$")
string CityId

@readonly
@http(method: "GET", uri: "/cities/{cityId}")
operation GetCity {
    input := for City {
        @required
        @httpLabel
        $cityId
    }
    output := for City {
        @required
        $name

        kind: Kind = "TOWN"
    }
    errors: [NoSuchCity]
}

enum Kind {
    TOWN
    VILLAGE = "village"
}

@error("client")
@httpError(404)
structure NoSuchCity {
    message: String
}
"#;

#[test]
fn a_crate_generated_from_idl_is_the_crate_generated_from_its_json_ast() {
    let model = load(&[("weather.smithy", SERVICE)]).unwrap();
    assert_eq!(model.shapes["example.weather#GetCityInput"].members[0].target, "example.weather#CityId");
    assert_eq!(model.shapes["example.weather#GetCityOutput"].members[0].target, "smithy.api#String");
    let settings =
        Settings { version: None, crate_name: None, runtime_path: "../runtime".into(), standalone: true, service: None, partitions: None };
    let from_idl = smithy_codegen::generate(&model, &settings).unwrap();
    let ast = smithy_codegen::to_json_ast(&model);
    let from_json = smithy_codegen::generate(&smithy_codegen::load("weather.json", ast.as_bytes()).unwrap(), &settings).unwrap();
    assert_eq!(from_idl.files.keys().collect::<Vec<_>>(), from_json.files.keys().collect::<Vec<_>>());
    for (path, text) in &from_idl.files {
        assert_eq!(text, &from_json.files[path], "{path}");
    }
    assert!(from_idl.files["src/types.rs"].contains("pub struct GetCityOutput"));
    assert!(from_idl.files["src/types.rs"].contains("Forecasts, in IDL.") || from_idl.files["src/lib.rs"].contains("Forecasts, in IDL."));
}
