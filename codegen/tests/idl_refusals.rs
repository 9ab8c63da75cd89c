//! What the IDL grammar (and Smithy's loader) refuses, beyond Smithy's own suite: each case is
//! our own small model text, refused with an exact `file:line:col: message`; a syntax error
//! names the line and column Smithy names.

use smithy_codegen::{Loader, Model};

fn load(files: &[(&str, &str)]) -> Result<Model, smithy_codegen::Error> {
    let mut loader = Loader::new();
    for (name, text) in files {
        loader.add(name, text.as_bytes())?;
    }
    loader.finish()
}

/// Each case: a name, one file's name and text, and the exact error.
fn refused(cases: &[(&str, &str, &str, &str)]) {
    let mut wrong = Vec::new();
    for (case, file, text, expected) in cases {
        match load(&[(file, text)]) {
            Ok(_) => wrong.push(format!("{case}: loaded, but must be refused with `{expected}`")),
            Err(e) if e.to_string() != *expected => {
                wrong.push(format!("{case}:\n     got `{e}`\n  expected `{expected}`"))
            }
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn shape_types_a_version_does_not_have_are_refused() {
    refused(&[
        (
            "enum in a file without $version (1.0)",
            "a.smithy",
            "namespace ex\n\nenum Suit { HEARTS }\n",
            "a.smithy:3:1: shape `ex#Suit`: enum shapes cannot be used in Smithy version 1.0",
        ),
        (
            "intEnum in 1.0",
            "a.smithy",
            "$version: \"1.0\"\nnamespace ex\n@documentation(\"x\")\nintEnum Level { LOW = 1 }\n",
            "a.smithy:4:1: shape `ex#Level`: intEnum shapes cannot be used in Smithy version 1.0",
        ),
        (
            "set in 2.0",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\n  set Tags { member: String }\n",
            "a.smithy:3:3: shape `ex#Tags`: set shapes cannot be used in Smithy version 2.0",
        ),
        (
            "set in a 2.0 JSON AST",
            "a.json",
            r#"{"smithy": "2.0", "shapes": {"ex#Tags": {"type": "set", "member": {"target": "smithy.api#String"}}}}"#,
            "a.json: shape `ex#Tags`: set shapes cannot be used in Smithy version 2.0",
        ),
        (
            "enum in a 1.0 JSON AST",
            "a.json",
            r#"{"smithy": "1.0", "shapes": {"ex#Suit": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}}}}"#,
            "a.json: shape `ex#Suit`: enum shapes cannot be used in Smithy version 1.0",
        ),
    ]);
    // What each version does have still loads.
    let model = load(&[
        ("v1.smithy", "namespace ex\nset Tags { member: String }\n"),
        ("v2.smithy", "$version: \"2.0\"\nnamespace ex\nenum Suit { HEARTS }\nintEnum Level {\n  LOW = 1\n}\n"),
    ])
    .unwrap();
    assert!(model.shapes["ex#Tags"].traits.contains_key("smithy.api#uniqueItems"));
    assert!(model.shapes.contains_key("ex#Suit") && model.shapes.contains_key("ex#Level"));
}

#[test]
fn syntax_of_a_later_version_is_refused_where_it_stands() {
    refused(&[
        (
            "a structure bound to a resource in 1.0",
            "a.smithy",
            "namespace ex\nresource R { identifiers: { id: String } }\nstructure S for R {\n    $id\n}\n",
            "a.smithy:3:13: shape `ex#S`: Structures can only be bound to resources with Smithy version 2 or later. \
             Attempted to bind a structure to a resource with version `1.0`.",
        ),
        (
            "inline input in 1.0",
            "a.smithy",
            "$version: \"1.0\"\nnamespace ex\noperation Op {\n    input := {}\n}\n",
            "a.smithy:4:13: shape `ex#Op`: Inlined operation inputs and outputs can only be used with Smithy version 2 \
             or later. Attempted to use inlined IO with version `1.0`.",
        ),
        (
            "an elided list member in 1.0",
            "a.smithy",
            "namespace ex\nlist L {\n    $member\n}\n",
            "a.smithy:3:5: Members can only elide targets in IDL version 2 or later",
        ),
    ]);
}

#[test]
fn a_mixin_list_names_at_least_one_shape() {
    refused(&[
        (
            "structure with []",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstructure A with [] {}\n",
            "a.smithy:3:19: Expected IDENTIFIER but found RBRACKET(']')",
        ),
        (
            "string with [ ] over lines",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstring S with [\n  // nothing\n]\n",
            "a.smithy:5:1: Expected IDENTIFIER but found RBRACKET(']')",
        ),
        (
            "inline input with []",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\noperation Op {\n    input := with [] {}\n}\n",
            "a.smithy:4:20: Expected IDENTIFIER but found RBRACKET(']')",
        ),
    ]);
    let model = load(&[("a.smithy", "$version: \"2\"\nnamespace ex\n@mixin\nstring M\nstring S with [M]\n")]).unwrap();
    assert_eq!(model.shapes["ex#S"].mixins, ["ex#M"]);
}

#[test]
fn only_the_grammar_s_escapes_and_characters_stand_in_strings() {
    refused(&[
        (
            "an escaped apostrophe",
            "a.smithy",
            "namespace ex\n\n@documentation(\"it\\'s\")\nstring S\n",
            "a.smithy:3:16: Error parsing quoted string: Invalid escape found in string: `\\'`",
        ),
        (
            "a hex escape",
            "a.smithy",
            "namespace ex\nstring S\napply S @documentation(\"\\x41\")\n",
            "a.smithy:3:24: Error parsing quoted string: Invalid escape found in string: `\\x`",
        ),
        (
            "an escaped apostrophe in a text block",
            "a.smithy",
            "namespace ex\n@documentation(\"\"\"\n    don\\'t\n    \"\"\")\nstring S\n",
            "a.smithy:2:16: Error parsing text block: Invalid escape found in string: `\\'`",
        ),
        (
            "a raw control character",
            "a.smithy",
            "metadata m = \"a\u{1}b\"\n",
            "a.smithy:1:14: Error parsing quoted string: Invalid string character: `\\u{1}`",
        ),
    ]);
    // The listed escapes, an escaped line break, tabs and line breaks stand.
    let text = "metadata m = \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9 \\\n\ttab\"\n";
    let model = load(&[("a.smithy", text)]).unwrap();
    assert_eq!(model.metadata["m"], "\"\\/\u{8}\u{c}\n\r\té \ttab");
}

#[test]
fn syntax_errors_are_where_smithy_reports_them() {
    refused(&[
        (
            "no whitespace between an apply's shape and its block",
            "a.smithy",
            "$version: \"2.0\"\nnamespace ex\nstring Foo\napply Foo{ @sensitive }\n",
            "a.smithy:4:10: Expected one or more whitespace characters, but found LBRACE('{')",
        ),
        (
            "no whitespace between an apply's shape and its trait",
            "a.smithy",
            "$version: \"2.0\"\nnamespace ex\nstring Foo\napply Foo@sensitive\n",
            "a.smithy:4:10: Expected one or more whitespace characters, but found AT('@')",
        ),
        (
            "a shape named `_`",
            "a.smithy",
            "namespace ex\n\nstructure _ {}\n",
            "a.smithy:3:12: Expected a valid identifier character, but found ' '",
        ),
        (
            "a member named `__`",
            "a.smithy",
            "namespace ex\nstructure A {\n    __: String\n}\n",
            "a.smithy:3:7: Expected a valid identifier character, but found ':'",
        ),
        (
            "a trait named `_` at the end of the file",
            "a.smithy",
            "namespace ex\n@_",
            "a.smithy:2:3: Expected a valid identifier character, but found '[EOF]'",
        ),
        (
            "a namespace part `_`",
            "a.smithy",
            "namespace ex._\n",
            "a.smithy:1:15: Expected a valid identifier character, but found '\\n'",
        ),
        (
            "an unsupported $version",
            "a.smithy",
            "$version: \"999\"\nnamespace ex\n",
            "a.smithy:1:16: Unsupported Smithy version number: 999",
        ),
        (
            "an unsupported $version followed by a comment",
            "a.smithy",
            "$version: \"3.0\"  // not yet\n",
            "a.smithy:1:16: Unsupported Smithy version number: 3.0",
        ),
        (
            "a lone minus",
            "a.smithy",
            "namespace ex\n@trait\ninteger test\n@test(-)\nstring S\n",
            "a.smithy:4:7: Invalid number '-': '-' must be followed by a digit",
        ),
        (
            "a member defined twice",
            "a.smithy",
            "namespace ex\nstructure A {\n    a: String\n    a: Integer\n}\n",
            "a.smithy:4:5: Duplicate member of `ex#A`: 'a'",
        ),
        (
            "a key given twice in a node object",
            "a.smithy",
            "metadata m = {\n    a: 1\n    \"a\": 2\n}\n",
            "a.smithy:3:5: Duplicate member: 'a'",
        ),
        (
            "a key given twice in a trait",
            "a.smithy",
            "namespace ex\n@length(min: 1, max: 2,\n        min: 3)\nstring S\n",
            "a.smithy:3:9: Duplicate member of trait: 'min'",
        ),
        (
            "a trait's first key without a colon",
            "a.smithy",
            "namespace ex\n@length(min 1)\nstring S\n",
            "a.smithy:2:13: Expected COLON(':') but found NUMBER('1')",
        ),
        (
            "two values in a trait",
            "a.smithy",
            "namespace ex\n@tags(ex#A ex#B)\nstring S\n",
            "a.smithy:2:12: Expected RPAREN(')') but found IDENTIFIER('ex')",
        ),
        (
            "a default on a union member",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nunion U {\n    a: String = \"x\"\n}\n",
            "a.smithy:4:15: Expected IDENTIFIER but found EQUAL('=')",
        ),
        (
            "no whitespace after an operation property",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\noperation Op { input: Unit}\n",
            "a.smithy:3:27: Expected one or more whitespace characters, but found RBRACE('}')",
        ),
        (
            "a file that ends inside a map",
            "a.smithy",
            "namespace ex\nmap M { key: String, value: String\n",
            "a.smithy:3:1: Expected RBRACE('}') but found EOF",
        ),
        (
            "a file that ends inside an enum",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nenum E {\n    A\n",
            "a.smithy:5:1: Expected RBRACE('}') but found EOF",
        ),
    ]);
    // Identifiers may start with underscores followed by a letter or a digit.
    let model = load(&[("a.smithy", "$version: \"2\"\nnamespace ex\nstructure _A { __1: String }\napply _A\n  @sensitive\n")]).unwrap();
    assert_eq!(model.shapes["ex#_A"].members[0].name, "__1");
    assert!(model.shapes["ex#_A"].traits.contains_key("smithy.api#sensitive"));
}

#[test]
fn member_names_that_differ_only_in_case_are_refused() {
    refused(&[
        (
            "two members of a structure",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstructure Pair {\n    name: String\n    count: Integer\n    Name: String\n}\n",
            "a.smithy:6:5: shape `ex#Pair`, member `Name`: member names must be unique ignoring case, and `Name` clashes with `name`",
        ),
        (
            "two members of a union",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nunion Choice {\n    aB: String, AB: Integer\n}\n",
            "a.smithy:4:17: shape `ex#Choice`, member `AB`: member names must be unique ignoring case, and `AB` clashes with `aB`",
        ),
        (
            "two members of an enum",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nenum Suit {\n    HEARTS\n    hearts = \"h\"\n}\n",
            "a.smithy:5:5: shape `ex#Suit`, member `hearts`: member names must be unique ignoring case, and `hearts` clashes with `HEARTS`",
        ),
        (
            "a member and a mixin's member",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\n@mixin\nstructure Named {\n    name: String\n}\nstructure Thing with [Named] {\n    NAME: String\n}\n",
            "a.smithy:8:5: shape `ex#Thing`, member `NAME`: member names must be unique ignoring case, and `NAME` clashes with `name` (from mixin `ex#Named`)",
        ),
        (
            "the members of two mixins",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\n@mixin\nstructure A {\n    id: String\n}\n@mixin\nstructure B {\n    ID: String\n}\nstructure Both with [A, B] {}\n",
            "a.smithy:9:5: shape `ex#Both`, member `ID`: member names must be unique ignoring case, and `ID` (from mixin `ex#B`) clashes with `id` (from mixin `ex#A`)",
        ),
        (
            "a mixin's own clash is reported on the mixin, not on the shapes that use it",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstructure A with [Z] {}\n@mixin\nstructure Z {\n    x: String\n    X: String\n}\n",
            "a.smithy:7:5: shape `ex#Z`, member `X`: member names must be unique ignoring case, and `X` clashes with `x`",
        ),
        (
            "an inline input",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\noperation Op {\n    input := {\n        token: String\n        Token: String\n    }\n}\n",
            "a.smithy:6:9: shape `ex#OpInput`, member `Token`: member names must be unique ignoring case, and `Token` clashes with `token`",
        ),
    ]);
    // Across files: the error names the file of the later member.
    let e = load(&[
        ("m.smithy", "$version: \"2\"\nnamespace ex\n@mixin\nstructure M {\n    Size: Long\n}\n"),
        ("a.smithy", "$version: \"2\"\nnamespace ex\nstructure S with [M] {\n    size: Integer\n}\n"),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a.smithy:4:5: shape `ex#S`, member `size`: member names must be unique ignoring case, and `size` clashes with `Size` (from mixin `ex#M`)"
    );
    // Names that differ beyond case are not refused, even when they name one Rust field.
    let model = load(&[("a.smithy", "$version: \"2\"\nnamespace ex\nstructure S {\n    fooBar: String\n    foo_bar: String\n}\n")]).unwrap();
    assert_eq!(model.shapes["ex#S"].members.len(), 2);
}

#[test]
fn shape_ids_that_differ_only_in_case_are_refused() {
    refused(&[
        (
            "two shapes named like a prelude shape",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstring String\n\nstructure Holder {\n    s: String\n}\n  string string\n",
            "a.smithy:8:10: shape `ex#string`: shape IDs must be unique ignoring case, and `ex#string` clashes with `ex#String` (defined in a.smithy:3:8)",
        ),
        (
            "an inline input and a structure",
            "a.smithy",
            "$version: \"2\"\nnamespace ex\noperation GetIt {\n    input := {}\n}\nstructure GETITINPUT {}\n",
            "a.smithy:6:11: shape `ex#GETITINPUT`: shape IDs must be unique ignoring case, and `ex#GETITINPUT` clashes with `ex#GetItInput` (defined in a.smithy:4:5)",
        ),
    ]);
    // Across files, and across formats: at the later definition, naming where the first is
    // (JSON AST files are assembled before IDL files, whatever order they are added in).
    let across = |files: &[(&str, &str)]| load(files).unwrap_err().to_string();
    assert_eq!(
        across(&[
            ("a.smithy", "$version: \"2\"\nnamespace ex\nstructure Thing {}\n"),
            ("b.smithy", "$version: \"2\"\nnamespace EX\n\nlist THING {\n    member: String\n}\n"),
        ]),
        "b.smithy:4:6: shape `EX#THING`: shape IDs must be unique ignoring case, and `EX#THING` clashes with `ex#Thing` (defined in a.smithy:3:11)"
    );
    assert_eq!(
        across(&[
            ("a.json", r#"{"smithy": "2.0", "shapes": {"ex#Thing": {"type": "structure", "members": {}}}}"#),
            ("b.smithy", "$version: \"2\"\nnamespace ex\nstring thing\n"),
        ]),
        "b.smithy:3:8: shape `ex#thing`: shape IDs must be unique ignoring case, and `ex#thing` clashes with `ex#Thing` (defined in a.json)"
    );
    assert_eq!(
        across(&[
            ("b.smithy", "$version: \"2\"\nnamespace ex\nstring thing\n"),
            ("a.json", r#"{"smithy": "2.0", "shapes": {"ex#Thing": {"type": "structure", "members": {}}}}"#),
        ]),
        "b.smithy:3:8: shape `ex#thing`: shape IDs must be unique ignoring case, and `ex#thing` clashes with `ex#Thing` (defined in a.json)"
    );
    // A shape of the model's namespace may take a prelude shape's name; one shape defined
    // identically in two files is one shape; names that differ beyond case, even when they
    // give one Rust type name, are not refused.
    let text = "$version: \"2\"\nnamespace ex\nstring String\nstructure FooBar {}\nstructure Foo_Bar {}\n";
    let model = load(&[("a.smithy", text), ("b.smithy", text)]).unwrap();
    assert!(["ex#String", "smithy.api#String", "ex#FooBar", "ex#Foo_Bar"].iter().all(|id| model.shapes.contains_key(*id)));
}
