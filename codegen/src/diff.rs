//! The differences between two versions of a model, as events in smithy-diff's vocabulary and
//! severities ([`diff`]), and what they change in the generated Rust API ([`rust_api`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::ir::{self, RustType, TypeKind};
use crate::model::{traits, Member, Model, Shape, ShapeKind, LIFECYCLE};
use crate::{Error, Settings};

/// How much a change matters, in smithy-diff's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Danger,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "NOTE",
            Severity::Warning => "WARNING",
            Severity::Danger => "DANGER",
            Severity::Error => "ERROR",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_uppercase().as_str() {
            "NOTE" => Severity::Note,
            "WARNING" => Severity::Warning,
            "DANGER" => Severity::Danger,
            "ERROR" => Severity::Error,
            _ => return None,
        })
    }
}

/// One difference: `[SEVERITY] shape-id: message | EventId`, as smithy-diff prints it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    /// The shape or member (`ns#Shape$member`) the event is about.
    pub shape: String,
    pub id: String,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {} | {}", self.severity.as_str(), self.shape, self.message, self.id)
    }
}

/// Traits whose every change changes what goes on the wire or the Rust types: smithy-diff
/// reports them as `TraitBreakingChange` errors.
const BREAKING_TRAITS: &[&str] = &[
    traits::JSON_NAME,
    traits::XML_NAME,
    traits::XML_ATTRIBUTE,
    traits::XML_FLATTENED,
    traits::XML_NAMESPACE,
    traits::TIMESTAMP_FORMAT,
    traits::HTTP,
    traits::HTTP_LABEL,
    traits::HTTP_QUERY,
    traits::HTTP_QUERY_PARAMS,
    traits::HTTP_HEADER,
    traits::HTTP_PREFIX_HEADERS,
    traits::HTTP_PAYLOAD,
    traits::HTTP_RESPONSE_CODE,
    traits::HTTP_ERROR,
    traits::ERROR,
    traits::STREAMING,
    traits::SPARSE,
    traits::MEDIA_TYPE,
    traits::ENDPOINT,
    "smithy.api#hostLabel",
    "smithy.api#eventPayload",
    "smithy.api#eventHeader",
    "smithy.api#requiresLength",
    traits::EC2_QUERY_NAME,
    traits::AWS_QUERY_ERROR,
];

/// Traits with events of their own (nullability, defaults, enum values, ranges), left out of
/// the generic trait events.
const OWN_EVENTS: &[&str] = &[
    traits::REQUIRED,
    traits::DEFAULT,
    traits::CLIENT_OPTIONAL,
    traits::ENUM_VALUE,
    traits::BOX,
    traits::LENGTH,
    traits::RANGE,
    "smithy.api#addedDefault",
];

struct Events(Vec<Event>);

impl Events {
    fn push(&mut self, severity: Severity, shape: &str, id: impl Into<String>, message: impl Into<String>) {
        self.0.push(Event { shape: shape.to_owned(), id: id.into(), severity, message: message.into() });
    }
}

/// The events between two models, sorted by shape, then event ID. Prelude shapes are not
/// compared.
pub fn diff(old: &Model, new: &Model) -> Vec<Event> {
    let mut out = Events(Vec::new());
    let user = |m: &Model| -> BTreeMap<String, Shape> {
        m.shapes.iter().filter(|(_, s)| !s.prelude).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let (a, b) = (user(old), user(new));
    for (id, s) in &a {
        match b.get(id) {
            None => out.push(Severity::Error, id, "RemovedShape", format!("Removed {} `{id}`", s.kind.as_str())),
            Some(t) if t.kind != s.kind => out.push(
                Severity::Error,
                id,
                "ChangedShapeType",
                format!("Shape `{id}` type changed from `{}` to `{}`", s.kind.as_str(), t.kind.as_str()),
            ),
            Some(t) if t != s => changed_shape(&mut out, old, new, s, t),
            Some(_) => {}
        }
    }
    for (id, t) in &b {
        if !a.contains_key(id) {
            out.push(Severity::Note, id, "AddedShape", format!("Added {} `{id}`", t.kind.as_str()));
        }
    }
    out.0.sort();
    out.0
}

fn changed_shape(out: &mut Events, old: &Model, new: &Model, s: &Shape, t: &Shape) {
    let id = s.id.as_str();
    trait_events(out, id, &s.traits, &t.traits);
    range_and_length(out, id, &s.traits, &t.traits);
    if s.mixins != t.mixins {
        out.push(
            Severity::Note,
            id,
            "ChangedMixins",
            format!("The mixins of `{id}` changed from [{}] to [{}]", s.mixins.join(", "), t.mixins.join(", ")),
        );
    }
    match s.kind {
        ShapeKind::Enum | ShapeKind::IntEnum => enum_events(out, s, t),
        ShapeKind::Structure | ShapeKind::Union | ShapeKind::List | ShapeKind::Map => member_events(out, old, new, s, t),
        ShapeKind::Operation => operation_events(out, s, t),
        ShapeKind::Service | ShapeKind::Resource => binding_events(out, new, s, t),
        _ => {}
    }
}

/// A trait value as smithy-diff shows it: a string as is, anything else as JSON; inline in
/// backticks when it fits on one line, else in a fenced block.
fn show_value(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        _ => {
            let mut buf = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
            match serde::Serialize::serialize(v, &mut ser) {
                Ok(()) => String::from_utf8(buf).unwrap_or_default(),
                Err(_) => v.to_string(),
            }
        }
    };
    if text.contains('\n') {
        format!("\n```\n{text}\n```\n")
    } else {
        format!("`{text}`")
    }
}

fn trait_events(out: &mut Events, at: &str, a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) {
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for tid in ids {
        if OWN_EVENTS.contains(&tid.as_str()) {
            continue;
        }
        let breaking = BREAKING_TRAITS.contains(&tid.as_str())
            || tid.starts_with("aws.protocols#") && tid != traits::AWS_QUERY_COMPATIBLE
            || tid.starts_with("smithy.protocols#");
        let (severity, kind) = if breaking { (Severity::Error, "TraitBreakingChange") } else { (Severity::Note, "ModifiedTrait") };
        // Documentation is long: its events do not repeat the text.
        let docs = tid == traits::DOCUMENTATION;
        match (a.get(tid), b.get(tid)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(_), Some(_)) if docs => out.push(severity, at, format!("{kind}.Update.{tid}"), format!("Changed trait `{tid}`")),
            (Some(x), Some(y)) => out.push(
                severity,
                at,
                format!("{kind}.Update.{tid}"),
                format!("Changed trait `{tid}` from {} to {}", show_value(x), show_value(y)),
            ),
            (None, Some(_)) if docs => out.push(severity, at, format!("{kind}.Add.{tid}"), format!("Added trait `{tid}`")),
            (None, Some(y)) => {
                out.push(severity, at, format!("{kind}.Add.{tid}"), format!("Added trait `{tid}` with value {}", show_value(y)))
            }
            (Some(_), None) if docs => out.push(severity, at, format!("{kind}.Remove.{tid}"), format!("Removed trait `{tid}`")),
            (Some(x), None) => out.push(
                severity,
                at,
                format!("{kind}.Remove.{tid}"),
                format!("Removed trait `{tid}`. Previous trait value: {}", show_value(x)),
            ),
            (None, None) => {}
        }
    }
}

/// `@length` and `@range`: tightened bounds can refuse values that were valid.
fn range_and_length(out: &mut Events, at: &str, a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) {
    for (tid, event) in [(traits::LENGTH, "ChangedLengthTrait"), (traits::RANGE, "ChangedRangeTrait")] {
        let (x, y) = (a.get(tid), b.get(tid));
        if x == y {
            continue;
        }
        let bound = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_f64);
        let tightened = match (x, y) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(_), Some(_)) => {
                let min = (bound(x, "min"), bound(y, "min"));
                let max = (bound(x, "max"), bound(y, "max"));
                let min_up = match min {
                    (None, Some(_)) => true,
                    (Some(p), Some(q)) => q > p,
                    _ => false,
                };
                let max_down = match max {
                    (None, Some(_)) => true,
                    (Some(p), Some(q)) => q < p,
                    _ => false,
                };
                min_up || max_down
            }
        };
        let show = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
        let (severity, what) = if tightened { (Severity::Warning, "tightened") } else { (Severity::Note, "loosened") };
        out.push(severity, at, event, format!("`{tid}` {what} from {} to {}", show(x), show(y)));
    }
}

/// Whether a structure member can be absent: not `@required` (or `@clientOptional` too) and
/// without a non-null default.
fn nullable(m: &Member) -> bool {
    let required = m.has_trait(traits::REQUIRED) && !m.has_trait(traits::CLIENT_OPTIONAL);
    let default = m.traits.get(traits::DEFAULT).is_some_and(|v| !v.is_null());
    !required && !default
}

fn member_events(out: &mut Events, old: &Model, new: &Model, s: &Shape, t: &Shape) {
    let id = s.id.as_str();
    for m in &s.members {
        let mid = format!("{id}${}", m.name);
        let Some(n) = t.member(&m.name) else {
            out.push(Severity::Error, &mid, "RemovedMember", format!("Removed member `{mid}`"));
            continue;
        };
        if m.target != n.target {
            let severity = if compatible_targets(old, new, &m.target, &n.target) { Severity::Warning } else { Severity::Error };
            out.push(
                severity,
                &mid,
                "ChangedMemberTarget",
                format!("The shape targeted by the member `{mid}` changed from `{}` to `{}`", m.target, n.target),
            );
        }
        if s.kind == ShapeKind::Structure && nullable(m) != nullable(n) {
            let (severity, what) = if nullable(m) {
                (Severity::Error, "can no longer be absent (it became required or defaulted)")
            } else {
                (Severity::Warning, "can now be absent")
            };
            out.push(severity, &mid, "ChangedNullability", format!("The member `{mid}` {what}"));
        }
        let (x, y) = (m.traits.get(traits::DEFAULT), n.traits.get(traits::DEFAULT));
        if x != y {
            let severity = if x.is_none() && n.has_trait("smithy.api#addedDefault") { Severity::Note } else { Severity::Error };
            let show = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
            out.push(severity, &mid, "ChangedDefault", format!("The default of `{mid}` changed from {} to {}", show(x), show(y)));
        }
        trait_events(out, &mid, &m.traits, &n.traits);
        range_and_length(out, &mid, &m.traits, &n.traits);
    }
    for n in &t.members {
        if s.member(&n.name).is_some() {
            continue;
        }
        let mid = format!("{id}${}", n.name);
        let required = n.has_trait(traits::REQUIRED) && !n.has_trait(traits::CLIENT_OPTIONAL) && !n.has_trait(traits::DEFAULT);
        if s.kind == ShapeKind::Structure && required {
            out.push(
                Severity::Error,
                &mid,
                "AddedRequiredMember",
                format!("Adding a new member with the @required trait but no @default trait is backwards-incompatible: `{mid}`"),
            );
        } else {
            out.push(Severity::Note, &mid, "AddedMember", format!("Added member `{mid}`"));
        }
    }
}

/// A target change that keeps the wire format: between a string and an enum, or an integer
/// and an intEnum.
fn compatible_targets(old: &Model, new: &Model, a: &str, b: &str) -> bool {
    let (Some(x), Some(y)) = (old.shape(a), new.shape(b)) else { return false };
    matches!(
        (x.kind, y.kind),
        (ShapeKind::String, ShapeKind::Enum) | (ShapeKind::Enum, ShapeKind::String) | (ShapeKind::Integer, ShapeKind::IntEnum)
    )
}

fn enum_events(out: &mut Events, s: &Shape, t: &Shape) {
    let id = s.id.as_str();
    let value = |m: &Member| m.traits.get(traits::ENUM_VALUE).cloned().unwrap_or_else(|| Value::String(m.name.clone()));
    for (i, m) in s.members.iter().enumerate() {
        let mid = format!("{id}${}", m.name);
        match t.member(&m.name) {
            None => out.push(Severity::Error, &mid, "ChangedEnum.Removed", format!("Enum value `{}` was removed", m.name)),
            Some(n) if value(m) != value(n) => out.push(
                Severity::Error,
                &mid,
                "ChangedEnum.ValueChanged",
                format!("The value of enum member `{}` changed from `{}` to `{}`", m.name, value(m), value(n)),
            ),
            Some(n) => {
                trait_events(out, &mid, &m.traits, &n.traits);
                // Smithy numbers legacy enums by position: a member that moved is reported.
                if t.members.iter().position(|x| x.name == m.name) != Some(i) && s.kind == ShapeKind::Enum {
                    out.push(
                        Severity::Warning,
                        &mid,
                        "ChangedEnum.OrderChanged",
                        format!("Enum value `{}` moved from position {i}", m.name),
                    );
                }
            }
        }
    }
    for (i, n) in t.members.iter().enumerate() {
        if s.member(&n.name).is_none() {
            let mid = format!("{id}${}", n.name);
            if i >= s.members.len() {
                out.push(Severity::Note, &mid, "ChangedEnum.Appended", format!("Enum value `{}` was appended", n.name));
            } else {
                out.push(Severity::Warning, &mid, "ChangedEnum.Inserted", format!("Enum value `{}` was inserted before the end", n.name));
            }
        }
    }
}

fn operation_events(out: &mut Events, s: &Shape, t: &Shape) {
    let id = s.id.as_str();
    let unit = |x: &Option<String>| x.clone().unwrap_or_else(|| "smithy.api#Unit".to_owned());
    for (what, x, y) in [("input", &s.input, &t.input), ("output", &s.output, &t.output)] {
        if x != y {
            let event = if what == "input" { "ChangedOperationInput" } else { "ChangedOperationOutput" };
            out.push(
                Severity::Error,
                id,
                event,
                format!("Changed operation {what} of `{id}` from `{}` to `{}`", unit(x), unit(y)),
            );
        }
    }
    for e in t.errors.iter().filter(|e| !s.errors.contains(e)) {
        out.push(Severity::Warning, id, "AddedOperationError", format!("Added error `{e}` to operation `{id}`"));
    }
    for e in s.errors.iter().filter(|e| !t.errors.contains(e)) {
        out.push(Severity::Warning, id, "RemovedOperationError", format!("Removed error `{e}` from operation `{id}`"));
    }
}

fn binding_events(out: &mut Events, new: &Model, s: &Shape, t: &Shape) {
    let id = s.id.as_str();
    let kind = if s.kind == ShapeKind::Service { "service" } else { "resource" };
    let (from, to) = if s.kind == ShapeKind::Service { ("FromService", "ToService") } else { ("FromResource", "ToResource") };
    let name = |x: &str| crate::model::shape_name(x).to_owned();
    let ops = |x: &Shape| -> BTreeSet<String> { x.operations.iter().chain(&x.collection_operations).cloned().collect() };
    let (a_ops, b_ops) = (ops(s), ops(t));
    let reachable = (s.kind == ShapeKind::Service).then(|| crate::lower::closure(new, t).operations);
    for op in a_ops.difference(&b_ops) {
        let still = reachable.as_ref().is_some_and(|r| r.contains(op));
        let (severity, tail) = if still {
            (Severity::Note, ", but the operation remains in the service closure through a resource")
        } else {
            (Severity::Error, "")
        };
        out.push(
            severity,
            id,
            format!("RemovedOperationBinding.{from}.{}", name(op)),
            format!("Operation binding of `{op}` was removed from {kind} shape, `{id}`{tail}"),
        );
    }
    for op in b_ops.difference(&a_ops) {
        out.push(
            Severity::Note,
            id,
            format!("AddedOperationBinding.{to}.{}", name(op)),
            format!("Operation binding of `{op}` was added to the {kind} shape, `{id}`"),
        );
    }
    let (a_res, b_res): (BTreeSet<&String>, BTreeSet<&String>) = (s.resources.iter().collect(), t.resources.iter().collect());
    for r in a_res.difference(&b_res) {
        out.push(
            Severity::Error,
            id,
            format!("RemovedResourceBinding.{from}.{}", name(r)),
            format!("Resource binding of `{r}` was removed from {kind} shape, `{id}`"),
        );
    }
    for r in b_res.difference(&a_res) {
        out.push(
            Severity::Note,
            id,
            format!("AddedResourceBinding.{to}.{}", name(r)),
            format!("Resource binding of `{r}` was added to the {kind} shape, `{id}`"),
        );
    }
    if s.kind == ShapeKind::Service {
        for e in t.errors.iter().filter(|e| !s.errors.contains(e)) {
            out.push(Severity::Warning, id, "AddedServiceError", format!("Added error `{e}` to service `{id}`"));
        }
        for e in s.errors.iter().filter(|e| !t.errors.contains(e)) {
            out.push(Severity::Warning, id, "RemovedServiceError", format!("Removed error `{e}` from service `{id}`"));
        }
        if s.rename != t.rename {
            out.push(Severity::Error, id, "ChangedServiceRename", format!("The `rename` map of service `{id}` changed"));
        }
        if s.version != t.version {
            let v = |x: &Option<String>| x.clone().unwrap_or_default();
            out.push(
                Severity::Note,
                id,
                "ChangedServiceVersion",
                format!("The version of service `{id}` changed from `{}` to `{}`", v(&s.version), v(&t.version)),
            );
        }
    } else {
        if s.identifiers != t.identifiers {
            out.push(Severity::Error, id, "ChangedResourceIdentifiers", format!("The identifiers of resource `{id}` changed"));
        }
        if s.properties != t.properties {
            out.push(Severity::Warning, id, "ChangedResourceProperties", format!("The properties of resource `{id}` changed"));
        }
        for p in LIFECYCLE {
            let (x, y) = (s.lifecycle.get(p), t.lifecycle.get(p));
            if x != y {
                let show = |v: Option<&String>| v.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
                out.push(
                    Severity::Error,
                    id,
                    format!("ChangedLifecycleOperation.{p}"),
                    format!("The `{p}` operation of resource `{id}` changed from {} to {}", show(x), show(y)),
                );
            }
        }
    }
}

/// A change to the generated Rust API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiChange {
    /// The item, as a path in the generated crate (`types::Image::image_tags`).
    pub item: String,
    pub what: String,
    /// Whether code written against the old crate may stop compiling: with the generated
    /// types as they are (structures, enums and error enums `#[non_exhaustive]`).
    pub breaks: bool,
    /// The same, had structures and enums been exhaustive (plain struct literals and
    /// exhaustive `match`es allowed), as before this rule.
    pub breaks_if_exhaustive: bool,
}

fn show_type(ty: &RustType) -> String {
    match ty {
        RustType::Bool => "bool".into(),
        RustType::I8 => "i8".into(),
        RustType::I16 => "i16".into(),
        RustType::I32 => "i32".into(),
        RustType::I64 => "i64".into(),
        RustType::F32 => "f32".into(),
        RustType::F64 => "f64".into(),
        RustType::String => "String".into(),
        RustType::Blob => "Blob".into(),
        RustType::Timestamp => "Timestamp".into(),
        RustType::Document => "Document".into(),
        RustType::BigInteger => "BigInteger".into(),
        RustType::BigDecimal => "BigDecimal".into(),
        RustType::Named(r) => r.rust_name.clone(),
        RustType::List { item, sparse, .. } => {
            if *sparse {
                format!("Vec<Option<{}>>", show_type(item))
            } else {
                format!("Vec<{}>", show_type(item))
            }
        }
        RustType::Map { key, value, sparse, .. } => {
            if *sparse {
                format!("BTreeMap<{}, Option<{}>>", show_type(key), show_type(value))
            } else {
                format!("BTreeMap<{}, {}>", show_type(key), show_type(value))
            }
        }
    }
}

fn opt_type(ty: &Option<RustType>) -> String {
    ty.as_ref().map_or_else(|| "()".to_owned(), show_type)
}

fn field_type(f: &ir::Field) -> String {
    let inner = if f.boxed { format!("Box<{}>", show_type(&f.ty)) } else { show_type(&f.ty) };
    if f.optional {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// What changes in the generated crate's public API between two models, each lowered as
/// [`crate::generate`] would lower it.
pub fn rust_api(old: &Model, new: &Model, settings: &Settings) -> Result<Vec<ApiChange>, Error> {
    let a = crate::lower::lower(old, settings)?;
    let b = crate::lower::lower(new, settings)?;
    let mut out = Vec::new();
    let mut push = |item: String, what: String, breaks: bool, breaks_if_exhaustive: bool| {
        out.push(ApiChange { item, what, breaks, breaks_if_exhaustive });
    };
    let types_a: BTreeMap<&str, &ir::TypeDef> = a.types.iter().map(|t| (t.rust_name.as_str(), t)).collect();
    let types_b: BTreeMap<&str, &ir::TypeDef> = b.types.iter().map(|t| (t.rust_name.as_str(), t)).collect();
    for (name, x) in &types_a {
        let item = format!("types::{name}");
        let Some(y) = types_b.get(name) else {
            push(item, "removed".into(), true, true);
            continue;
        };
        match (&x.kind, &y.kind) {
            (TypeKind::Alias(p), TypeKind::Alias(q)) if p != q => {
                push(item, format!("now an alias of `{}`, was `{}`", show_type(q), show_type(p)), true, true)
            }
            (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
            (TypeKind::Struct(p), TypeKind::Struct(q)) => {
                let fa: BTreeMap<&str, &ir::Field> = p.fields.iter().map(|f| (f.rust_name.as_str(), f)).collect();
                let fb: BTreeMap<&str, &ir::Field> = q.fields.iter().map(|f| (f.rust_name.as_str(), f)).collect();
                for (f, fx) in &fa {
                    match fb.get(f) {
                        None => push(format!("{item}::{f}"), "field removed".into(), true, true),
                        Some(fy) if field_type(fx) != field_type(fy) => push(
                            format!("{item}::{f}"),
                            format!("field type changed from `{}` to `{}`", field_type(fx), field_type(fy)),
                            true,
                            true,
                        ),
                        Some(_) => {}
                    }
                }
                for (f, fy) in &fb {
                    if !fa.contains_key(f) {
                        push(
                            format!("{item}::{f}"),
                            format!("field added (`{}`)", field_type(fy)),
                            false,
                            true,
                        );
                    }
                }
                let args = |s: &ir::Struct| -> Vec<String> {
                    s.fields.iter().filter(|f| f.required).map(|f| f.rust_name.clone()).collect()
                };
                let (ax, ay) = (args(p), args(q));
                if ax != ay {
                    let gained: Vec<&String> = ay.iter().filter(|f| !ax.contains(f)).collect();
                    let lost: Vec<&String> = ax.iter().filter(|f| !ay.contains(f)).collect();
                    let mut what = Vec::new();
                    if !gained.is_empty() {
                        what.push(format!("gained {}", list(&gained)));
                    }
                    if !lost.is_empty() {
                        what.push(format!("lost {}", list(&lost)));
                    }
                    if what.is_empty() {
                        what.push("reordered its arguments".into());
                    }
                    push(format!("{item}::new"), format!("`new(..)` {}", what.join(" and ")), true, true);
                }
            }
            (TypeKind::Enum(p), TypeKind::Enum(q)) => {
                let va: Vec<&str> = p.variants.iter().map(|v| v.rust_name.as_str()).collect();
                let vb: Vec<&str> = q.variants.iter().map(|v| v.rust_name.as_str()).collect();
                variant_changes(&mut push, &item, &va, &vb);
            }
            (TypeKind::IntEnum(p), TypeKind::IntEnum(q)) => {
                let va: Vec<&str> = p.variants.iter().map(|v| v.rust_name.as_str()).collect();
                let vb: Vec<&str> = q.variants.iter().map(|v| v.rust_name.as_str()).collect();
                variant_changes(&mut push, &item, &va, &vb);
            }
            (TypeKind::Union(p), TypeKind::Union(q)) => {
                let va: Vec<&str> = p.variants.iter().map(|v| v.rust_name.as_str()).collect();
                let vb: Vec<&str> = q.variants.iter().map(|v| v.rust_name.as_str()).collect();
                variant_changes(&mut push, &item, &va, &vb);
                for v in &p.variants {
                    if let Some(w) = q.variants.iter().find(|w| w.rust_name == v.rust_name) {
                        if v.ty != w.ty {
                            push(
                                format!("{item}::{}", v.rust_name),
                                format!("variant type changed from `{}` to `{}`", opt_type(&v.ty), opt_type(&w.ty)),
                                true,
                                true,
                            );
                        }
                    }
                }
            }
            _ => push(item, "changed kind (struct, enum, union or alias)".into(), true, true),
        }
    }
    for name in types_b.keys() {
        if !types_a.contains_key(name) {
            push(format!("types::{name}"), "added".into(), false, false);
        }
    }
    let ops_a: BTreeMap<&str, &ir::Operation> = a.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    let ops_b: BTreeMap<&str, &ir::Operation> = b.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    for (name, x) in &ops_a {
        let item = format!("operations::{name}");
        let Some(y) = ops_b.get(name) else {
            push(item, "operation removed (and its error enum)".into(), true, true);
            continue;
        };
        let io = |t: &Option<ir::TypeRef>| t.as_ref().map_or_else(|| "()".to_owned(), |t| t.rust_name.clone());
        if io(&x.input) != io(&y.input) {
            push(item.clone(), format!("input type changed from `{}` to `{}`", io(&x.input), io(&y.input)), true, true);
        }
        if io(&x.output) != io(&y.output) {
            push(item.clone(), format!("output type changed from `{}` to `{}`", io(&x.output), io(&y.output)), true, true);
        }
        let ea: Vec<&str> = x.errors.iter().map(|e| e.variant.as_str()).collect();
        let eb: Vec<&str> = y.errors.iter().map(|e| e.variant.as_str()).collect();
        variant_changes(&mut push, &format!("error::{}", x.error_enum), &ea, &eb);
    }
    for name in ops_b.keys() {
        if !ops_a.contains_key(name) {
            push(format!("operations::{name}"), "operation added (with its error enum)".into(), false, false);
        }
    }
    out.sort();
    Ok(out)
}

fn list(items: &[&String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Variants removed (breaking) and added (breaking only for exhaustive `match`es).
fn variant_changes(push: &mut impl FnMut(String, String, bool, bool), item: &str, a: &[&str], b: &[&str]) {
    for v in a.iter().filter(|v| !b.contains(v)) {
        push(format!("{item}::{v}"), "variant removed".into(), true, true);
    }
    for v in b.iter().filter(|v| !a.contains(v)) {
        push(format!("{item}::{v}"), "variant added".into(), false, true);
    }
}
