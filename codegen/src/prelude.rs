//! The Smithy prelude (`smithy.api`), built in rather than read from a file: the simple
//! shapes every model may target, their `Primitive*` variants with a zero default, and `Unit`.

use serde_json::{json, Value};

use crate::model::{traits, Shape, ShapeKind};

/// The prelude shapes the generator needs.
pub fn shapes() -> Vec<Shape> {
    use ShapeKind::*;
    let plain = [
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
    let primitive: [(&str, ShapeKind, Value); 7] = [
        ("PrimitiveBoolean", Boolean, json!(false)),
        ("PrimitiveByte", Byte, json!(0)),
        ("PrimitiveShort", Short, json!(0)),
        ("PrimitiveInteger", Integer, json!(0)),
        ("PrimitiveLong", Long, json!(0)),
        ("PrimitiveFloat", Float, json!(0)),
        ("PrimitiveDouble", Double, json!(0)),
    ];
    let mut out = Vec::new();
    for (name, kind) in plain {
        out.push(prelude_shape(name, kind));
    }
    for (name, kind, default) in primitive {
        let mut shape = prelude_shape(name, kind);
        shape.traits.insert(traits::DEFAULT.to_owned(), default);
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
