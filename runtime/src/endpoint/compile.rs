//! Parsing and type checking a ruleset's JSON into the [`Program`] that `eval` runs.
//!
//! Parameters are parsed first (sorted by name: their slots are `0..n`); rules follow, with
//! every `assign` given a slot of its own after the parameters, so evaluation indexes a flat
//! vector and never looks a name up.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::json::{kind, Json, Object, View};

use super::{ParamDefault, ParamType, Parameter, Partitions, RuleError, RuleSet};
use crate::Document;

fn err(rule: impl Into<String>, message: impl Into<String>) -> RuleError {
    RuleError {
        rule: rule.into(),
        message: message.into(),
    }
}

/// A member of an object, viewed.
fn member<'v, J: Json>(obj: &'v J::Object, key: &str) -> Option<View<'v, J>> {
    obj.get(key).map(Json::view)
}

/// The entries of an object that count: of a repeated key (which a parsed tree keeps), only
/// the last, as a `serde_json::Value` keeps it.
fn entries<'v, J: Json + 'v>(obj: &'v J::Object) -> impl Iterator<Item = (&'v str, &'v J)> {
    obj.entries()
        .filter(|(key, value)| obj.get(key).is_some_and(|last| std::ptr::eq(last, *value)))
}

/// Parses the `parameters` object, sorted by name.
fn parameters<J: Json>(ruleset: &J::Object) -> Result<Vec<Parameter>, RuleError> {
    let params = match member::<J>(ruleset, "parameters") {
        None => return Err(err("ruleset", "missing `parameters`")),
        Some(View::Object(params)) => params,
        Some(other) => {
            return Err(err(
                "parameters",
                format!("expected an object, found {}", other.kind()),
            ))
        }
    };
    let mut out = Vec::new();
    for (name, value) in entries::<J>(params) {
        out.push(parameter(name, value)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn parameter<J: Json>(name: &str, value: &J) -> Result<Parameter, RuleError> {
    let at = format!("parameters.{name}");
    if !is_identifier(name) {
        return Err(err(
            at,
            "a parameter name must be an identifier (letters, digits, `_`)",
        ));
    }
    let View::Object(obj) = value.view() else {
        return Err(err(
            at,
            format!("expected an object, found {}", kind(value)),
        ));
    };
    let string_field = |field: &str| -> Result<Option<String>, RuleError> {
        match member::<J>(obj, field) {
            None => Ok(None),
            Some(View::String(s)) => Ok(Some(s.to_owned())),
            Some(other) => Err(err(
                at.clone(),
                format!("`{field}` must be a string, found {}", other.kind()),
            )),
        }
    };
    let kind_name = string_field("type")?.ok_or_else(|| err(at.clone(), "missing `type`"))?;
    let param_kind = match kind_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(err(
                at,
                format!(
                    "unknown parameter type `{kind_name}` (expected `string`, `boolean` or `stringArray`)"
                ),
            ))
        }
    };
    let required = match member::<J>(obj, "required") {
        None => false,
        Some(View::Bool(b)) => b,
        Some(other) => {
            return Err(err(
                at,
                format!("`required` must be a boolean, found {}", other.kind()),
            ))
        }
    };
    let default = match obj.get("default") {
        None => None,
        Some(value) => Some(param_default(&at, param_kind, value)?),
    };
    if default.is_some() && !required {
        return Err(err(
            at,
            "a parameter with a `default` must also be `required`",
        ));
    }
    let deprecated = match member::<J>(obj, "deprecated") {
        None => None,
        Some(View::Object(d)) => match member::<J>(d, "message") {
            None => Some(String::new()),
            Some(View::String(m)) => Some(m.to_owned()),
            Some(other) => {
                return Err(err(
                    at,
                    format!(
                        "`deprecated.message` must be a string, found {}",
                        other.kind()
                    ),
                ))
            }
        },
        Some(other) => {
            return Err(err(
                at,
                format!("`deprecated` must be an object, found {}", other.kind()),
            ))
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        kind: param_kind,
        required,
        default,
        built_in: string_field("builtIn")?,
        documentation: string_field("documentation")?,
        deprecated,
    })
}

fn param_default<J: Json>(
    at: &str,
    param_kind: ParamType,
    value: &J,
) -> Result<ParamDefault, RuleError> {
    let found = match (param_kind, value.view()) {
        (ParamType::String, View::String(s)) => return Ok(ParamDefault::String(s.to_owned())),
        (ParamType::Boolean, View::Bool(b)) => return Ok(ParamDefault::Boolean(b)),
        (ParamType::StringArray, View::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.view() {
                    View::String(s) => out.push(s.to_owned()),
                    other => {
                        return Err(err(
                            at,
                            format!(
                                "the `default` of a `stringArray` must hold strings, found {}",
                                other.kind()
                            ),
                        ))
                    }
                }
            }
            return Ok(ParamDefault::StringArray(out));
        }
        (_, other) => other.kind(),
    };
    let expected = match param_kind {
        ParamType::String => "a string",
        ParamType::Boolean => "a boolean",
        ParamType::StringArray => "an array of strings",
    };
    Err(err(
        at,
        format!("the `default` must be {expected} like the parameter, found {found}"),
    ))
}

/// Whether `name` is a rules identifier: ASCII letters, digits and `_`, not starting with a
/// digit.
pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The compiled rules: what `eval` runs.
#[derive(Debug)]
pub(crate) struct Program {
    /// How many value slots a resolution needs: the parameters (`0..n`, in
    /// [`RuleSet::parameters`] order), then one per `assign`.
    pub(crate) slots: usize,
    /// The top-level rules, in order.
    pub(crate) rules: Vec<Rule>,
}

/// One rule: its conditions and what it gives when they all hold.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) body: Body,
}

/// What a rule gives.
#[derive(Debug)]
pub(crate) enum Body {
    /// An `endpoint` rule.
    Endpoint(Box<EndpointTemplate>),
    /// An `error` rule: its message (a string expression).
    Error(Expr),
    /// A `tree` rule: its rules, one of which must match.
    Tree(Vec<Rule>),
}

/// A condition: it holds when its value is set and not `false`; `assign` binds the value.
#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) expr: Expr,
    pub(crate) assign: Option<usize>,
    /// The condition's shape when it is one of the common ones evaluated without building
    /// values (most conditions of AWS rulesets are).
    pub(crate) test: Test,
}

/// A condition without `assign` of a common shape, tested on a slot directly.
#[derive(Debug)]
pub(crate) enum Test {
    /// `booleanEquals(ref, true|false)` (either way round).
    BoolEq(usize, bool),
    /// `isSet(ref)`.
    IsSet(usize),
    /// `not(isSet(ref))`.
    NotSet(usize),
    /// `stringEquals(ref, "literal")` (either way round).
    StrEq(usize, Box<str>),
    /// `stringEquals(getAttr(ref, "field"), "literal")` (either way round).
    AttrStrEq(usize, Field, Box<str>),
    /// `booleanEquals(getAttr(ref, "field"), true|false)` (either way round).
    AttrBoolEq(usize, Field, bool),
    /// `not(stringEquals(ref, "literal"))` (either way round): holds when the string is set
    /// and differs.
    NotStrEq(usize, Box<str>),
    /// `isValidHostLabel(ref, allowSubDomains)` (`s3: false`) or
    /// `aws.isVirtualHostableS3Bucket(ref, allowSubDomains)` (`s3: true`).
    HostLabel {
        slot: usize,
        allow_sub_domains: bool,
        s3: bool,
    },
    /// `substring(ref, start, stop, reverse)` with `assign` (S3 tests bucket names' suffixes
    /// so): the substring, borrowed from the string in `slot`, goes to `assign`.
    Substring {
        slot: usize,
        start: usize,
        stop: usize,
        reverse: bool,
        assign: usize,
    },
    /// Any other: the expression is evaluated.
    General,
}

impl Test {
    /// The fast shape of a condition's expression, if it has one.
    fn of(expr: &Expr, assign: Option<usize>) -> Test {
        let Expr::Call(func, args) = expr else {
            return Test::General;
        };
        if let Some(assign) = assign {
            return match (func, args.as_slice()) {
                (
                    Func::Substring,
                    [Expr::Ref(slot), Expr::Int(start), Expr::Int(stop), Expr::Bool(reverse)],
                ) => match (usize::try_from(*start), usize::try_from(*stop)) {
                    (Ok(start), Ok(stop)) => Test::Substring {
                        slot: *slot,
                        start,
                        stop,
                        reverse: *reverse,
                        assign,
                    },
                    _ => Test::General,
                },
                _ => Test::General,
            };
        }
        match (func, args.as_slice()) {
            (Func::Not, [Expr::Call(Func::StringEquals, inner)]) => match inner.as_slice() {
                [Expr::Ref(slot), Expr::Str(s)] | [Expr::Str(s), Expr::Ref(slot)] => {
                    Test::NotStrEq(*slot, s.as_str().into())
                }
                _ => Test::General,
            },
            (Func::IsValidHostLabel, [Expr::Ref(slot), Expr::Bool(b)])
            | (Func::IsVirtualHostableS3Bucket, [Expr::Ref(slot), Expr::Bool(b)]) => {
                Test::HostLabel {
                    slot: *slot,
                    allow_sub_domains: *b,
                    s3: *func == Func::IsVirtualHostableS3Bucket,
                }
            }
            (Func::IsSet, [Expr::Ref(slot)]) => Test::IsSet(*slot),
            (Func::Not, [Expr::Call(Func::IsSet, inner)]) => match inner.as_slice() {
                [Expr::Ref(slot)] => Test::NotSet(*slot),
                _ => Test::General,
            },
            (Func::BooleanEquals, [Expr::Ref(slot), Expr::Bool(b)])
            | (Func::BooleanEquals, [Expr::Bool(b), Expr::Ref(slot)]) => Test::BoolEq(*slot, *b),
            (Func::StringEquals, [Expr::Ref(slot), Expr::Str(s)])
            | (Func::StringEquals, [Expr::Str(s), Expr::Ref(slot)]) => {
                Test::StrEq(*slot, s.as_str().into())
            }
            (Func::StringEquals, [Expr::GetAttr(target, steps), Expr::Str(s)])
            | (Func::StringEquals, [Expr::Str(s), Expr::GetAttr(target, steps)]) => {
                match (target.as_ref(), steps.as_slice()) {
                    (Expr::Ref(slot), [Step::Field(f)]) => {
                        Test::AttrStrEq(*slot, *f, s.as_str().into())
                    }
                    _ => Test::General,
                }
            }
            (Func::BooleanEquals, [Expr::GetAttr(target, steps), Expr::Bool(b)])
            | (Func::BooleanEquals, [Expr::Bool(b), Expr::GetAttr(target, steps)]) => {
                match (target.as_ref(), steps.as_slice()) {
                    (Expr::Ref(slot), [Step::Field(f)]) => Test::AttrBoolEq(*slot, *f, *b),
                    _ => Test::General,
                }
            }
            _ => Test::General,
        }
    }
}

/// An `endpoint` rule's endpoint.
#[derive(Debug)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: ObjectTemplate,
    /// The properties built once, when no template is among them (every endpoint resolved by
    /// this rule shares them).
    pub(crate) static_properties: Option<Arc<BTreeMap<String, Document>>>,
}

/// A property value: a literal tree whose strings are templates.
#[derive(Debug)]
pub(crate) enum Prop {
    Str(Expr),
    Bool(bool),
    Number(crate::Number),
    Array(Vec<Prop>),
    Object(ObjectTemplate),
}

/// An object of properties: its literal members built once, the others evaluated into a copy.
#[derive(Debug)]
pub(crate) struct ObjectTemplate {
    /// Every member: the literal ones with their values, the others `null` until filled.
    pub(crate) base: BTreeMap<String, Document>,
    /// The members that hold a template, by key.
    pub(crate) holes: Vec<(String, Prop)>,
}

impl ObjectTemplate {
    /// The template of an object with these members (each key once).
    fn new(members: Vec<(String, Prop)>) -> ObjectTemplate {
        let mut base = BTreeMap::new();
        let mut holes = Vec::new();
        for (key, prop) in members {
            match prop.literal() {
                Some(value) => {
                    base.insert(key, value);
                }
                None => {
                    base.insert(key.clone(), Document::Null);
                    holes.push((key, prop));
                }
            }
        }
        ObjectTemplate { base, holes }
    }

    /// The object, when it holds no template.
    fn literal(&self) -> Option<BTreeMap<String, Document>> {
        self.holes.is_empty().then(|| self.base.clone())
    }
}

impl Prop {
    /// The value, when it holds no template.
    fn literal(&self) -> Option<Document> {
        Some(match self {
            Prop::Str(Expr::Str(s)) => Document::String(s.clone()),
            Prop::Str(_) => return None,
            Prop::Bool(b) => Document::Bool(*b),
            Prop::Number(n) => Document::Number(*n),
            Prop::Array(items) => {
                Document::Array(items.iter().map(Prop::literal).collect::<Option<_>>()?)
            }
            Prop::Object(template) => Document::Object(template.literal()?),
        })
    }
}

/// An expression, every name resolved to a slot and every attribute path to its steps.
#[derive(Debug)]
pub(crate) enum Expr {
    /// A string without any `{..}`.
    Str(String),
    Bool(bool),
    Int(i64),
    /// An array literal (of strings).
    Array(Vec<Expr>),
    /// A template with literal text and string expressions.
    Template(Vec<Part>),
    /// The value in a slot.
    Ref(usize),
    /// An attribute path into a record or array.
    GetAttr(Box<Expr>, Vec<Step>),
    /// A function call.
    Call(Func, Vec<Expr>),
}

/// A piece of a template.
#[derive(Debug)]
pub(crate) enum Part {
    Lit(String),
    Expr(Expr),
}

/// One step of an attribute path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    Field(Field),
    /// An index; negative counts from the end.
    Index(i64),
}

/// A record field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    // aws.partition
    Name,
    DnsSuffix,
    DualStackDnsSuffix,
    SupportsFips,
    SupportsDualStack,
    ImplicitGlobalRegion,
    // aws.parseArn
    Partition,
    Service,
    Region,
    AccountId,
    ResourceId,
    // parseURL
    Scheme,
    Authority,
    Path,
    NormalizedPath,
    IsIp,
}

/// A function of the standard or AWS library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    IsSet,
    Not,
    StringEquals,
    BooleanEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Coalesce,
    Ite,
    Split,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Func {
    fn by_name(name: &str) -> Option<Func> {
        Some(match name {
            "isSet" => Func::IsSet,
            "not" => Func::Not,
            "stringEquals" => Func::StringEquals,
            "booleanEquals" => Func::BooleanEquals,
            "substring" => Func::Substring,
            "uriEncode" => Func::UriEncode,
            "parseURL" => Func::ParseUrl,
            "isValidHostLabel" => Func::IsValidHostLabel,
            "coalesce" => Func::Coalesce,
            "ite" => Func::Ite,
            "split" => Func::Split,
            "aws.partition" => Func::Partition,
            "aws.parseArn" => Func::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Func::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    /// The ruleset version (major, minor) the function needs.
    fn since(self) -> (u64, u64) {
        match self {
            Func::Coalesce | Func::Ite | Func::Split => (1, 1),
            _ => (1, 0),
        }
    }
}

/// A value's type, without optionality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Str,
    Bool,
    Int,
    StrArray,
    Partition,
    Arn,
    Url,
}

/// A value's type: whether it may be unset, and what it is when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ty {
    base: Base,
    optional: bool,
}

impl Ty {
    const fn set(base: Base) -> Ty {
        Ty {
            base,
            optional: false,
        }
    }

    const fn maybe(base: Base) -> Ty {
        Ty {
            base,
            optional: true,
        }
    }
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.optional {
            f.write_str("optional ")?;
        }
        f.write_str(match self.base {
            Base::Str => "string",
            Base::Bool => "boolean",
            Base::Int => "integer",
            Base::StrArray => "string array",
            Base::Partition => "partition (aws.partition's result)",
            Base::Arn => "ARN (aws.parseArn's result)",
            Base::Url => "URL (parseURL's result)",
        })
    }
}

/// The type of `field` in a record of type `base`, if it has one.
fn field(base: Base, name: &str) -> Option<(Field, Base)> {
    Some(match (base, name) {
        (Base::Partition, "name") => (Field::Name, Base::Str),
        (Base::Partition, "dnsSuffix") => (Field::DnsSuffix, Base::Str),
        (Base::Partition, "dualStackDnsSuffix") => (Field::DualStackDnsSuffix, Base::Str),
        (Base::Partition, "supportsFIPS") => (Field::SupportsFips, Base::Bool),
        (Base::Partition, "supportsDualStack") => (Field::SupportsDualStack, Base::Bool),
        (Base::Partition, "implicitGlobalRegion") => (Field::ImplicitGlobalRegion, Base::Str),
        (Base::Arn, "partition") => (Field::Partition, Base::Str),
        (Base::Arn, "service") => (Field::Service, Base::Str),
        (Base::Arn, "region") => (Field::Region, Base::Str),
        (Base::Arn, "accountId") => (Field::AccountId, Base::Str),
        (Base::Arn, "resourceId") => (Field::ResourceId, Base::StrArray),
        (Base::Url, "scheme") => (Field::Scheme, Base::Str),
        (Base::Url, "authority") => (Field::Authority, Base::Str),
        (Base::Url, "path") => (Field::Path, Base::Str),
        (Base::Url, "normalizedPath") => (Field::NormalizedPath, Base::Str),
        (Base::Url, "isIp") => (Field::IsIp, Base::Bool),
        _ => return None,
    })
}

/// The fields of a record type, for messages.
fn fields_of(base: Base) -> &'static str {
    match base {
        Base::Partition => {
            "`name`, `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`, `implicitGlobalRegion`"
        }
        Base::Arn => "`partition`, `service`, `region`, `accountId`, `resourceId`",
        Base::Url => "`scheme`, `authority`, `path`, `normalizedPath`, `isIp`",
        _ => "none",
    }
}

/// A name in scope.
struct Binding {
    name: String,
    slot: usize,
    ty: Ty,
    /// `false` for the entry an `isSet` narrowing adds for a name already declared.
    declared: bool,
}

/// The compiler's state: the version, the names in scope, the slots used.
struct Compiler {
    version: (u64, u64),
    scope: Vec<Binding>,
    slots: usize,
}

/// A rule's location for messages: its path and documentation.
struct Loc<'x> {
    path: &'x str,
    doc: Option<&'x str>,
}

impl Loc<'_> {
    fn err(&self, sub: &str, message: impl Into<String>) -> RuleError {
        let mut rule = format!("{}{sub}", self.path);
        if let Some(doc) = self.doc {
            let doc: String = doc.split_whitespace().collect::<Vec<_>>().join(" ");
            rule.push_str(&format!(" ({doc:?})"));
        }
        err(rule, message)
    }
}

const EXPR_DEPTH: usize = 64;

impl Compiler {
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scope.iter().rev().find(|b| b.name == name)
    }

    fn need_version(&self, what: &str, since: (u64, u64)) -> Result<(), String> {
        if self.version < since {
            return Err(format!(
                "{what} needs ruleset version {}.{} or later, but the ruleset declares {}.{}",
                since.0, since.1, self.version.0, self.version.1
            ));
        }
        Ok(())
    }

    fn rules<J: Json>(&mut self, rules: &J, path: &str) -> Result<Vec<Rule>, RuleError> {
        let View::Array(items) = rules.view() else {
            return Err(err(
                path,
                format!("`rules` must be an array, found {}", kind(rules)),
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(self.rule(item, &format!("{path}[{i}]"))?);
        }
        Ok(out)
    }

    fn rule<J: Json>(&mut self, value: &J, path: &str) -> Result<Rule, RuleError> {
        let View::Object(obj) = value.view() else {
            return Err(err(
                path,
                format!("a rule must be an object, found {}", kind(value)),
            ));
        };
        let doc = match member::<J>(obj, "documentation") {
            Some(View::String(d)) => Some(d),
            _ => None,
        };
        let loc = Loc { path, doc };
        let rule_type = match member::<J>(obj, "type") {
            Some(View::String(t)) => t,
            Some(other) => {
                return Err(loc.err(
                    "",
                    format!("`type` must be a string, found {}", other.kind()),
                ))
            }
            None => return Err(loc.err("", "missing `type` (`endpoint`, `error` or `tree`)")),
        };
        let conditions = match member::<J>(obj, "conditions") {
            Some(View::Array(c)) => c,
            Some(other) => {
                return Err(loc.err(
                    "",
                    format!("`conditions` must be an array, found {}", other.kind()),
                ))
            }
            None => return Err(loc.err("", "missing `conditions`")),
        };
        let mark = self.scope.len();
        let result = self.rule_in_scope(obj, rule_type, conditions, &loc);
        self.scope.truncate(mark);
        result
    }

    fn rule_in_scope<J: Json>(
        &mut self,
        obj: &J::Object,
        rule_type: &str,
        conditions: &[J],
        loc: &Loc<'_>,
    ) -> Result<Rule, RuleError> {
        let mut compiled = Vec::with_capacity(conditions.len());
        for (i, c) in conditions.iter().enumerate() {
            compiled.push(
                self.condition(c)
                    .map_err(|m| loc.err(&format!(".conditions[{i}]"), m))?,
            );
        }
        let body = match rule_type {
            "endpoint" => {
                let endpoint = obj
                    .get("endpoint")
                    .ok_or_else(|| loc.err("", "an `endpoint` rule needs an `endpoint` object"))?;
                Body::Endpoint(Box::new(self.endpoint(endpoint, loc)?))
            }
            "error" => {
                let message = obj
                    .get("error")
                    .ok_or_else(|| loc.err("", "an `error` rule needs an `error` message"))?;
                let (expr, ty) = self.expr(message, 0).map_err(|m| loc.err(".error", m))?;
                self.expect(ty, Base::Str, "the error message")
                    .map_err(|m| loc.err(".error", m))?;
                Body::Error(expr)
            }
            "tree" => {
                let rules = obj
                    .get("rules")
                    .ok_or_else(|| loc.err("", "a `tree` rule needs `rules`"))?;
                if matches!(rules.view(), View::Array(r) if r.is_empty()) {
                    return Err(loc.err("", "a `tree` rule has no rules"));
                }
                Body::Tree(self.rules(rules, &format!("{}.rules", loc.path))?)
            }
            other => {
                return Err(loc.err(
                    "",
                    format!("unknown rule type `{other}` (expected `endpoint`, `error` or `tree`)"),
                ))
            }
        };
        Ok(Rule {
            conditions: compiled,
            body,
        })
    }

    fn condition<J: Json>(&mut self, value: &J) -> Result<Condition, String> {
        let View::Object(obj) = value.view() else {
            return Err(format!(
                "a condition must be an object, found {}",
                kind(value)
            ));
        };
        if let Some((key, _)) = obj
            .entries()
            .find(|(k, _)| !matches!(*k, "fn" | "argv" | "assign"))
        {
            return Err(format!(
                "unknown key `{key}` in a condition (expected `fn`, `argv`, `assign`)"
            ));
        }
        if obj.get("fn").is_none() {
            return Err("a condition needs `fn`".to_owned());
        }
        let (expr, ty) = self.call::<J>(obj, 0)?;
        let assign = match member::<J>(obj, "assign") {
            None => None,
            Some(View::String(name)) => {
                if !is_identifier(name) {
                    return Err(format!("`assign` name `{name}` is not an identifier"));
                }
                if self.scope.iter().any(|b| b.declared && b.name == name) {
                    return Err(format!(
                        "`assign` of `{name}` shadows a parameter or an earlier `assign` of that name"
                    ));
                }
                let slot = self.slots;
                self.slots += 1;
                self.scope.push(Binding {
                    name: name.to_owned(),
                    slot,
                    ty: Ty::set(ty.base),
                    declared: true,
                });
                Some(slot)
            }
            Some(other) => {
                return Err(format!("`assign` must be a string, found {}", other.kind()))
            }
        };
        // `isSet(ref)` proves the name set for the rest of the rule.
        if let Expr::Call(Func::IsSet, args) = &expr {
            if let [Expr::Ref(slot)] = args.as_slice() {
                let slot = *slot;
                if let Some(b) = self.scope.iter().rev().find(|b| b.slot == slot) {
                    let narrowed = Binding {
                        name: b.name.clone(),
                        slot,
                        ty: Ty::set(b.ty.base),
                        declared: false,
                    };
                    self.scope.push(narrowed);
                }
            }
        }
        let test = Test::of(&expr, assign);
        Ok(Condition { expr, assign, test })
    }

    fn endpoint<J: Json>(
        &mut self,
        value: &J,
        loc: &Loc<'_>,
    ) -> Result<EndpointTemplate, RuleError> {
        let View::Object(obj) = value.view() else {
            return Err(loc.err(
                ".endpoint",
                format!("expected an object, found {}", kind(value)),
            ));
        };
        let mut unknown: Vec<&str> = entries::<J>(obj)
            .map(|(k, _)| k)
            .filter(|k| !matches!(*k, "url" | "headers" | "properties"))
            .collect();
        unknown.sort_unstable();
        let unknown: Vec<String> = unknown.iter().map(|k| format!("`{k}`")).collect();
        if !unknown.is_empty() {
            return Err(loc.err(
                ".endpoint",
                format!(
                    "unknown key(s) {} (an endpoint has `url`, `headers`, `properties`)",
                    unknown.join(", ")
                ),
            ));
        }
        let url = obj
            .get("url")
            .ok_or_else(|| loc.err(".endpoint", "missing `url`"))?;
        let (url_expr, ty) = self.expr(url, 0).map_err(|m| loc.err(".endpoint.url", m))?;
        self.expect(ty, Base::Str, "the URL")
            .map_err(|m| loc.err(".endpoint.url", m))?;
        if let Some(lit) = leading_literal(&url_expr) {
            let ok = ["http://", "https://"]
                .iter()
                .any(|scheme| lit.starts_with(scheme) || scheme.starts_with(lit));
            if !ok {
                return Err(loc.err(
                    ".endpoint.url",
                    format!("the URL must start with `http://` or `https://`, not `{lit}`"),
                ));
            }
        }
        let mut headers = Vec::new();
        match member::<J>(obj, "headers") {
            None => {}
            Some(View::Object(h)) => {
                for (name, values) in entries::<J>(h) {
                    let sub = || format!(".endpoint.headers.{name}");
                    let View::Array(values) = values.view() else {
                        return Err(loc.err(
                            &sub(),
                            format!("a header's values must be an array, found {}", kind(values)),
                        ));
                    };
                    let mut exprs = Vec::with_capacity(values.len());
                    for v in values {
                        let (e, ty) = self.expr(v, 0).map_err(|m| loc.err(&sub(), m))?;
                        self.expect(ty, Base::Str, "a header value")
                            .map_err(|m| loc.err(&sub(), m))?;
                        exprs.push(e);
                    }
                    headers.push((name.to_owned(), exprs));
                }
            }
            Some(other) => {
                return Err(loc.err(
                    ".endpoint.headers",
                    format!("expected an object, found {}", other.kind()),
                ))
            }
        }
        let mut properties = Vec::new();
        match member::<J>(obj, "properties") {
            None => {}
            Some(View::Object(p)) => {
                for (name, v) in entries::<J>(p) {
                    let prop = self
                        .prop(v, 0)
                        .map_err(|m| loc.err(&format!(".endpoint.properties.{name}"), m))?;
                    properties.push((name.to_owned(), prop));
                }
                if let Some(schemes) = p.get("authSchemes") {
                    check_auth_schemes(schemes)
                        .map_err(|m| loc.err(".endpoint.properties.authSchemes", m))?;
                }
            }
            Some(other) => {
                return Err(loc.err(
                    ".endpoint.properties",
                    format!("expected an object, found {}", other.kind()),
                ))
            }
        }
        let properties = ObjectTemplate::new(properties);
        let static_properties = properties.literal().map(Arc::new);
        Ok(EndpointTemplate {
            url: url_expr,
            headers,
            properties,
            static_properties,
        })
    }

    fn prop<J: Json>(&mut self, value: &J, depth: usize) -> Result<Prop, String> {
        if depth > EXPR_DEPTH {
            return Err("properties nested too deeply".to_owned());
        }
        Ok(match value.view() {
            View::String(s) => Prop::Str(self.template(s)?),
            View::Bool(b) => Prop::Bool(b),
            View::Number(n) => Prop::Number(n),
            View::Array(items) => Prop::Array(
                items
                    .iter()
                    .map(|v| self.prop(v, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            View::Object(obj) => {
                let mut out = Vec::new();
                for (k, v) in entries::<J>(obj) {
                    out.push((k.to_owned(), self.prop(v, depth + 1)?));
                }
                Prop::Object(ObjectTemplate::new(out))
            }
            View::Null => return Err("a property value cannot be null".to_owned()),
        })
    }

    /// Checks that `ty` is the non-optional `base`.
    fn expect(&self, ty: Ty, base: Base, what: &str) -> Result<(), String> {
        let wanted = Ty::set(base);
        let article = if matches!(base, Base::Int | Base::Arn) {
            "an"
        } else {
            "a"
        };
        if ty.base != base {
            return Err(format!("{what} must be {article} {wanted}, found {ty}"));
        }
        if ty.optional {
            return Err(format!(
                "{what} must be {article} {wanted}, found {ty} (prove it set with `isSet` or an `assign` first)"
            ));
        }
        Ok(())
    }

    fn expr<J: Json>(&mut self, value: &J, depth: usize) -> Result<(Expr, Ty), String> {
        if depth > EXPR_DEPTH {
            return Err("expression nested too deeply".to_owned());
        }
        match value.view() {
            View::String(s) => Ok((self.template(s)?, Ty::set(Base::Str))),
            View::Bool(b) => Ok((Expr::Bool(b), Ty::set(Base::Bool))),
            View::Number(n) => match n.as_i64() {
                Some(i) => Ok((Expr::Int(i), Ty::set(Base::Int))),
                None => Err(format!("`{n}`: only integers are allowed")),
            },
            View::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let (e, ty) = self.expr(item, depth + 1)?;
                    self.expect(ty, Base::Str, "an array element")?;
                    out.push(e);
                }
                Ok((Expr::Array(out), Ty::set(Base::StrArray)))
            }
            View::Object(obj) => {
                if let Some(r) = obj.get("ref") {
                    if obj.entries().any(|(k, _)| k != "ref") {
                        return Err("a `ref` object has no other keys".to_owned());
                    }
                    let View::String(name) = r.view() else {
                        return Err(format!("`ref` must be a string, found {}", kind(r)));
                    };
                    let b = self.lookup(name).ok_or_else(|| unknown_name(name))?;
                    return Ok((Expr::Ref(b.slot), b.ty));
                }
                if obj.get("fn").is_some() {
                    if let Some((key, _)) =
                        obj.entries().find(|(k, _)| !matches!(*k, "fn" | "argv"))
                    {
                        return Err(format!(
                            "unknown key `{key}` in a function call (expected `fn`, `argv`)"
                        ));
                    }
                    return self.call::<J>(obj, depth + 1);
                }
                Err("an object expression needs `ref` or `fn`".to_owned())
            }
            View::Null => Err("null is not an expression".to_owned()),
        }
    }

    fn call<J: Json>(&mut self, obj: &J::Object, depth: usize) -> Result<(Expr, Ty), String> {
        let name = match member::<J>(obj, "fn") {
            Some(View::String(n)) => n,
            Some(other) => return Err(format!("`fn` must be a string, found {}", other.kind())),
            None => return Err("missing `fn`".to_owned()),
        };
        let argv = match member::<J>(obj, "argv") {
            Some(View::Array(a)) => a,
            Some(other) => return Err(format!("`argv` must be an array, found {}", other.kind())),
            None => return Err(format!("`{name}` needs `argv`")),
        };
        if name == "getAttr" {
            let [target, path] = argv else {
                return Err(format!("`getAttr` takes 2 arguments, not {}", argv.len()));
            };
            let View::String(path) = path.view() else {
                return Err(format!(
                    "`getAttr`'s path must be a literal string, found {}",
                    kind(path)
                ));
            };
            let (target, ty) = self.expr(target, depth + 1)?;
            return self.get_attr(target, ty, path);
        }
        let func = Func::by_name(name).ok_or_else(|| format!("unknown function `{name}`"))?;
        if self.version < func.since() {
            self.need_version(&format!("`{name}`"), func.since())?;
        }
        let arity = |n: usize| -> Result<(), String> {
            if argv.len() == n {
                Ok(())
            } else {
                let plural = if n == 1 { "" } else { "s" };
                Err(format!(
                    "`{name}` takes {n} argument{plural}, not {}",
                    argv.len()
                ))
            }
        };
        let mut args = Vec::with_capacity(argv.len());
        let mut types = Vec::with_capacity(argv.len());
        for a in argv {
            let (e, ty) = self.expr(a, depth + 1)?;
            args.push(e);
            types.push(ty);
        }
        // Checks argument `i` (0-based) against a non-optional `base`.
        let arg = |i: usize, base: Base| -> Result<(), String> {
            let ty = types
                .get(i)
                .copied()
                .ok_or_else(|| format!("`{name}` lacks argument {}", i + 1))?;
            if ty == Ty::set(base) {
                return Ok(());
            }
            self.expect(ty, base, &format!("`{name}`'s argument {}", i + 1))
        };
        let result = match func {
            Func::IsSet => {
                arity(1)?;
                Ty::set(Base::Bool)
            }
            Func::Not => {
                arity(1)?;
                arg(0, Base::Bool)?;
                Ty::set(Base::Bool)
            }
            Func::StringEquals => {
                arity(2)?;
                arg(0, Base::Str)?;
                arg(1, Base::Str)?;
                Ty::set(Base::Bool)
            }
            Func::BooleanEquals => {
                arity(2)?;
                arg(0, Base::Bool)?;
                arg(1, Base::Bool)?;
                Ty::set(Base::Bool)
            }
            Func::Substring => {
                arity(4)?;
                arg(0, Base::Str)?;
                arg(1, Base::Int)?;
                arg(2, Base::Int)?;
                arg(3, Base::Bool)?;
                Ty::maybe(Base::Str)
            }
            Func::UriEncode => {
                arity(1)?;
                arg(0, Base::Str)?;
                Ty::set(Base::Str)
            }
            Func::ParseUrl => {
                arity(1)?;
                arg(0, Base::Str)?;
                Ty::maybe(Base::Url)
            }
            Func::IsValidHostLabel | Func::IsVirtualHostableS3Bucket => {
                arity(2)?;
                arg(0, Base::Str)?;
                arg(1, Base::Bool)?;
                Ty::set(Base::Bool)
            }
            Func::Partition => {
                arity(1)?;
                arg(0, Base::Str)?;
                Ty::maybe(Base::Partition)
            }
            Func::ParseArn => {
                arity(1)?;
                arg(0, Base::Str)?;
                Ty::maybe(Base::Arn)
            }
            Func::Split => {
                arity(3)?;
                arg(0, Base::Str)?;
                arg(1, Base::Str)?;
                arg(2, Base::Int)?;
                if matches!(args.get(1), Some(Expr::Str(d)) if d.is_empty()) {
                    return Err("`split`'s delimiter cannot be empty".to_owned());
                }
                Ty::set(Base::StrArray)
            }
            Func::Coalesce => {
                if types.len() < 2 {
                    return Err(format!(
                        "`coalesce` takes 2 or more arguments, not {}",
                        types.len()
                    ));
                }
                let base = types.first().map_or(Base::Str, |t| t.base);
                if let Some((i, t)) = types.iter().enumerate().find(|(_, t)| t.base != base) {
                    return Err(format!(
                        "`coalesce`'s arguments must have one type: argument 1 is {}, argument {} is {t}",
                        Ty::set(base),
                        i + 1
                    ));
                }
                Ty {
                    base,
                    optional: types.iter().all(|t| t.optional),
                }
            }
            Func::Ite => {
                arity(3)?;
                arg(0, Base::Bool)?;
                let [_, a, b] = types[..] else {
                    return Err("`ite` takes 3 arguments".to_owned());
                };
                if a.base != b.base {
                    return Err(format!(
                        "`ite`'s two results must have one type: {} and {}",
                        Ty::set(a.base),
                        Ty::set(b.base)
                    ));
                }
                Ty {
                    base: a.base,
                    optional: a.optional || b.optional,
                }
            }
        };
        Ok((Expr::Call(func, args), result))
    }

    /// `target` followed by the attribute path `path` (`a.b[2].c`, `[0]`).
    fn get_attr(&self, target: Expr, ty: Ty, path: &str) -> Result<(Expr, Ty), String> {
        let bad = || format!("invalid attribute path `{path}`");
        if path.is_empty() {
            return Err(bad());
        }
        let mut steps = Vec::new();
        let mut base = ty.base;
        let mut optional = ty.optional;
        for segment in path.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(i) => segment.split_at(i),
                None => (segment, ""),
            };
            if !name.is_empty() {
                let (f, b) = field(base, name).ok_or_else(|| match base {
                    Base::Partition | Base::Arn | Base::Url => format!(
                        "{} has no field `{name}` (its fields: {})",
                        Ty::set(base),
                        fields_of(base)
                    ),
                    _ => format!("{} has no fields (`{name}` in `{path}`)", Ty::set(base)),
                })?;
                steps.push(Step::Field(f));
                base = b;
            } else if rest.is_empty() {
                return Err(bad());
            }
            while !rest.is_empty() {
                let close = rest.find(']').ok_or_else(bad)?;
                if !rest.starts_with('[') {
                    return Err(bad());
                }
                let index: i64 = rest[1..close].parse().map_err(|_| bad())?;
                if index < 0 {
                    self.need_version("a negative `getAttr` index", (1, 1))?;
                }
                if base != Base::StrArray {
                    return Err(format!(
                        "`[{index}]` indexes {}, not an array",
                        Ty::set(base)
                    ));
                }
                steps.push(Step::Index(index));
                base = Base::Str;
                optional = true;
                rest = &rest[close + 1..];
            }
        }
        // Merge a path onto a path (`{a#b}` where `a` is itself a getAttr is never built).
        Ok((
            Expr::GetAttr(Box::new(target), steps),
            Ty { base, optional },
        ))
    }

    /// A string literal as a template: `{name}` and `{name#path}` are string expressions,
    /// `{{` and `}}` are braces.
    fn template(&self, s: &str) -> Result<Expr, String> {
        if !s.contains(['{', '}']) {
            return Ok(Expr::Str(s.to_owned()));
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            let brace = rest.as_bytes().get(i).copied();
            let after = &rest[i + 1..];
            if brace == Some(b'}') {
                // `}}` is one brace; a lone `}` is kept as it is.
                lit.push('}');
                rest = after.strip_prefix('}').unwrap_or(after);
                continue;
            }
            if let Some(after) = after.strip_prefix('{') {
                lit.push('{');
                rest = after;
                continue;
            }
            let close = after
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in template `{s}`"))?;
            let inner = &after[..close];
            rest = &after[close + 1..];
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(&mut lit)));
            }
            let (name, path) = match inner.split_once('#') {
                Some((n, p)) => (n, Some(p)),
                None => (inner, None),
            };
            let b = self.lookup(name).ok_or_else(|| {
                format!(
                    "{} (in `{{{inner}}}` of template `{s}`)",
                    unknown_name(name)
                )
            })?;
            let (e, ty) = match path {
                None => (Expr::Ref(b.slot), b.ty),
                Some(p) => self.get_attr(Expr::Ref(b.slot), b.ty, p)?,
            };
            if ty != Ty::set(Base::Str) {
                self.expect(ty, Base::Str, &format!("`{{{inner}}}` in template `{s}`"))?;
            }
            parts.push(Part::Expr(e));
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(match parts.len() {
            0 => Expr::Str(String::new()),
            1 => match parts.pop() {
                Some(Part::Lit(l)) => Expr::Str(l),
                Some(Part::Expr(e)) => e,
                None => Expr::Str(String::new()),
            },
            _ => Expr::Template(parts),
        })
    }
}

fn unknown_name(name: &str) -> String {
    format!("`{name}` is not a parameter or an `assign` in scope here")
}

/// The literal text an expression starts with, if it starts with some.
fn leading_literal(e: &Expr) -> Option<&str> {
    match e {
        Expr::Str(s) => Some(s),
        Expr::Template(parts) => match parts.first() {
            Some(Part::Lit(l)) => Some(l),
            _ => None,
        },
        _ => None,
    }
}

/// Checks an endpoint's `authSchemes` property: an array of objects, each with a unique
/// string `name`; the signing properties of the SigV4 family, where present, of their types
/// (strings may be templates).
fn check_auth_schemes<J: Json>(value: &J) -> Result<(), String> {
    let View::Array(schemes) = value.view() else {
        return Err(format!(
            "`authSchemes` must be an array, found {}",
            kind(value)
        ));
    };
    let mut names: Vec<&str> = Vec::with_capacity(schemes.len());
    for scheme in schemes {
        let View::Object(obj) = scheme.view() else {
            return Err(format!(
                "an auth scheme must be an object, found {}",
                kind(scheme)
            ));
        };
        let Some(View::String(name)) = member::<J>(obj, "name") else {
            return Err("an auth scheme needs a string `name`".to_owned());
        };
        if names.contains(&name) {
            return Err(format!("auth scheme `{name}` is listed twice"));
        }
        names.push(name);
        let sigv4_family =
            matches!(name, "sigv4" | "sigv4a" | "sigv4-s3express") || name.starts_with("beta-");
        if !sigv4_family {
            continue;
        }
        for (key, v) in entries::<J>(obj) {
            let ok = match key {
                "signingName" | "signingRegion" => v.as_str().is_some(),
                "disableDoubleEncoding" | "disableNormalizePath" => v.as_bool().is_some(),
                "signingRegionSet" => match v.view() {
                    View::Array([]) => {
                        return Err(format!("`{name}`'s `signingRegionSet` is empty"))
                    }
                    View::Array(items) => items.iter().all(|item| item.as_str().is_some()),
                    _ => false,
                },
                _ => true,
            };
            if !ok {
                return Err(format!(
                    "`{name}`'s `{key}` has the wrong type ({})",
                    kind(v)
                ));
            }
        }
        if name.starts_with("beta-") && obj.get("signingName").and_then(Json::as_str).is_none() {
            return Err(format!("auth scheme `{name}` needs a string `signingName`"));
        }
    }
    Ok(())
}

/// Parses `major.minor` (a missing minor is 0).
fn version<J: Json>(value: Option<&J>) -> Result<(u64, u64), RuleError> {
    let text = match value.map(Json::view) {
        Some(View::String(v)) => v,
        Some(other) => {
            return Err(err(
                "version",
                format!("expected a string, found {}", other.kind()),
            ))
        }
        None => return Err(err("ruleset", "missing `version`")),
    };
    let mut parts = text.split('.');
    let mut number = || parts.next().map(|p| p.parse::<u64>());
    match (number(), number(), parts.next()) {
        (Some(Ok(major)), None, None) => Ok((major, 0)),
        (Some(Ok(major)), Some(Ok(minor)), None) => Ok((major, minor)),
        _ => Err(err(
            "version",
            format!("`{text}` is not a version like `1.0`"),
        )),
    }
}

pub(crate) fn compile<J: Json>(rules: &J, partitions: Partitions) -> Result<RuleSet, RuleError> {
    let View::Object(ruleset) = rules.view() else {
        return Err(err(
            "ruleset",
            format!("expected an object, found {}", kind(rules)),
        ));
    };
    let version = version(ruleset.get("version"))?;
    let parameters = parameters::<J>(ruleset)?;
    let scope = parameters
        .iter()
        .enumerate()
        .map(|(slot, p)| Binding {
            name: p.name.clone(),
            slot,
            ty: Ty {
                base: match p.kind {
                    ParamType::String => Base::Str,
                    ParamType::Boolean => Base::Bool,
                    ParamType::StringArray => Base::StrArray,
                },
                optional: !p.required,
            },
            declared: true,
        })
        .collect();
    let mut compiler = Compiler {
        version,
        scope,
        slots: parameters.len(),
    };
    let rules = ruleset
        .get("rules")
        .ok_or_else(|| err("ruleset", "missing `rules`"))?;
    let rules = compiler.rules(rules, "rules")?;
    let program = Program {
        slots: compiler.slots,
        rules,
    };
    Ok(RuleSet {
        parameters,
        program,
        partitions,
        last: Default::default(),
    })
}
