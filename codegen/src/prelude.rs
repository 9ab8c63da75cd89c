//! The Smithy prelude (`smithy.api`), built in rather than read from a file: the simple
//! shapes every model may target, their `Primitive*` variants with a zero default, and `Unit`
//! are shapes of every model; the rest of the prelude (trait definitions and their helper
//! shapes) is known by name and type only, for resolving relative names in the IDL and
//! giving traits written without a value their empty value.

use serde_json::{json, Value};

use crate::model::{traits, Shape, ShapeKind};
use ShapeKind::*;

/// The simple shapes: `smithy.api#String`, ...
const SIMPLE: &[(&str, ShapeKind)] = &[
    ("String", String),
    ("Blob", Blob),
    ("BigInteger", BigInteger),
    ("BigDecimal", BigDecimal),
    ("Timestamp", Timestamp),
    ("Document", Document),
    ("Boolean", Boolean),
    ("Byte", Byte),
    ("Short", Short),
    ("Integer", Integer),
    ("Long", Long),
    ("Float", Float),
    ("Double", Double),
];

/// The `Primitive*` shapes, with a zero default.
const PRIMITIVE: &[(&str, ShapeKind)] = &[
    ("PrimitiveBoolean", Boolean),
    ("PrimitiveByte", Byte),
    ("PrimitiveShort", Short),
    ("PrimitiveInteger", Integer),
    ("PrimitiveLong", Long),
    ("PrimitiveFloat", Float),
    ("PrimitiveDouble", Double),
];

/// The rest of the prelude: `Unit`, the trait definitions and their helper shapes.
const OTHER: &[(&str, ShapeKind)] = &[
    ("Unit", Structure),
    ("trait", Structure),
    ("TraitDiffRules", List),
    ("TraitDiffRule", Structure),
    ("TraitChangeType", Enum),
    ("Severity", Enum),
    ("StructurallyExclusive", Enum),
    ("deprecated", Structure),
    ("box", Structure),
    ("documentation", String),
    ("externalDocumentation", Map),
    ("auth", List),
    ("AuthTraitReference", String),
    ("protocolDefinition", Structure),
    ("TraitShapeIdList", List),
    ("TraitShapeId", String),
    ("authDefinition", Structure),
    ("httpBasicAuth", Structure),
    ("httpDigestAuth", Structure),
    ("httpBearerAuth", Structure),
    ("httpApiKeyAuth", Structure),
    ("traitValidators", Map),
    ("TraitValidator", Structure),
    ("metadata", Structure),
    ("ShapeClosures", List),
    ("ShapeClosure", Structure),
    ("ClosureId", String),
    ("Namespaces", List),
    ("Renames", Map),
    ("CommonMark", String),
    ("Identifier", String),
    ("default", Document),
    ("addedDefault", Structure),
    ("clientOptional", Structure),
    ("HttpApiKeyLocations", Enum),
    ("optionalAuth", Structure),
    ("examples", List),
    ("Example", Structure),
    ("ExampleError", Structure),
    ("error", Enum),
    ("retryable", Structure),
    ("readonly", Structure),
    ("idempotent", Structure),
    ("IdempotentErrors", List),
    ("idempotencyToken", Structure),
    ("internal", Structure),
    ("jsonName", String),
    ("xmlAttribute", Structure),
    ("xmlFlattened", Structure),
    ("xmlName", String),
    ("xmlNamespace", Structure),
    ("NonEmptyString", String),
    ("noReplace", Structure),
    ("mediaType", String),
    ("references", List),
    ("Reference", Structure),
    ("NonEmptyStringMap", Map),
    ("resourceIdentifier", String),
    ("private", Structure),
    ("sensitive", Structure),
    ("since", String),
    ("streaming", Structure),
    ("requiresLength", Structure),
    ("longPoll", Structure),
    ("tags", List),
    ("title", String),
    ("enum", List),
    ("EnumDefinition", Structure),
    ("EnumConstantBodyName", String),
    ("enumValue", Document),
    ("length", Structure),
    ("range", Structure),
    ("pattern", String),
    ("required", Structure),
    ("property", Structure),
    ("notProperty", Structure),
    ("nestedProperties", Structure),
    ("recommended", Structure),
    ("sparse", Structure),
    ("uniqueItems", Structure),
    ("unstable", Structure),
    ("paginated", Structure),
    ("http", Structure),
    ("httpLabel", Structure),
    ("httpQuery", String),
    ("httpQueryParams", Structure),
    ("httpHeader", String),
    ("httpPrefixHeaders", String),
    ("httpPayload", Structure),
    ("httpError", Integer),
    ("httpResponseCode", Structure),
    ("cors", Structure),
    ("NonEmptyStringList", List),
    ("eventPayload", Structure),
    ("eventHeader", Structure),
    ("idRef", Structure),
    ("timestampFormat", Enum),
    ("endpoint", Structure),
    ("hostLabel", Structure),
    ("suppress", List),
    ("httpChecksumRequired", Structure),
    ("input", Structure),
    ("output", Structure),
    ("unitType", Structure),
    ("mixin", Structure),
    ("LocalMixinTraitList", List),
    ("LocalMixinTrait", String),
    ("RequestCompressionEncodingsList", List),
    ("requestCompression", Structure),
];

/// The type of the prelude shape `name` (`smithy.api#name`), if the prelude has it.
pub fn kind(name: &str) -> Option<ShapeKind> {
    SIMPLE.iter().chain(PRIMITIVE).chain(OTHER).find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// The prelude shapes the generator needs.
pub fn shapes() -> Vec<Shape> {
    let mut out = Vec::new();
    for &(name, kind) in SIMPLE {
        out.push(prelude_shape(name, kind));
    }
    for &(name, kind) in PRIMITIVE {
        let mut shape = prelude_shape(name, kind);
        let zero: Value = if kind == Boolean { json!(false) } else { json!(0) };
        shape.traits.insert(traits::DEFAULT.to_owned(), zero);
        out.push(shape);
    }
    let mut unit = prelude_shape("Unit", Structure);
    unit.traits.insert(traits::UNIT_TYPE.to_owned(), json!({}));
    out.push(unit);
    out
}

fn prelude_shape(name: &str, kind: ShapeKind) -> Shape {
    let mut shape = Shape::new(&format!("smithy.api#{name}"), kind);
    shape.prelude = true;
    shape
}
