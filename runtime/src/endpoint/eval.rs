//! Evaluating a compiled ruleset for one set of args.
//!
//! Every value lives in a slot the compiler numbered: the parameters first, then each
//! `assign`. A slot is written at most once per resolution (rules are tried in order and never
//! revisited, and each `assign` has its own slot), so the slots are `OnceCell`s (allocated in
//! chunks as they are first written, see [`Slots`]) and a value may
//! borrow from an earlier slot: `{arn#region}` or `getAttr(url, "authority")` copy nothing.
//! Strings borrow the args, the ruleset's literals and the partition table; only templates,
//! `uriEncode`, `split`, `parseURL` and `aws.parseArn` build new ones.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::compile::{
    Body, Condition, EndpointTemplate, Expr, Field, Func, ObjectTemplate, Part, Prop, Rule, Step,
    Test,
};
use super::functions::{self, Arn, Url};
use super::partition::PartitionOutputs;
use super::{Arg, Endpoint, EndpointError, ParamDefault, ParamType, RuleSet};
use crate::Document;

/// A value during evaluation.
#[derive(Debug)]
enum Val<'s> {
    Str(Cow<'s, str>),
    Bool(bool),
    Int(i64),
    Array(Cow<'s, [String]>),
    Partition(&'s PartitionOutputs),
    /// Records are boxed when owned, so that a value stays small.
    Arn(&'s Arn),
    OwnedArn(Box<Arn>),
    Url(&'s Url),
    OwnedUrl(Box<Url>),
}

impl<'s> Val<'s> {
    /// The value borrowed from where it is stored.
    fn borrowed(&'s self) -> Val<'s> {
        match self {
            Val::Str(s) => Val::Str(Cow::Borrowed(s)),
            Val::Bool(b) => Val::Bool(*b),
            Val::Int(i) => Val::Int(*i),
            Val::Array(a) => Val::Array(Cow::Borrowed(a)),
            Val::Partition(p) => Val::Partition(p),
            Val::Arn(a) => Val::Arn(a),
            Val::OwnedArn(a) => Val::Arn(a),
            Val::Url(u) => Val::Url(u),
            Val::OwnedUrl(u) => Val::Url(u),
        }
    }

    fn into_str(self) -> Option<Cow<'s, str>> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// How many slots a chunk of [`Slots`] holds.
const CHUNK: usize = 4;

/// How many `assign` slots follow the parameters before the chunks begin.
const FIRST_ASSIGNS: usize = 8;

/// The slots of one resolution: the parameters' and the first few `assign`s' in one vector,
/// the rest in chunks allocated when a slot in them is first written. A resolution writes few
/// of a large ruleset's slots (S3 has well over a hundred `assign`s), so most chunks are never
/// allocated, initialized or dropped.
struct Slots<'s> {
    first: Vec<OnceCell<Val<'s>>>,
    chunks: Vec<OnceCell<Box<[OnceCell<Val<'s>>; CHUNK]>>>,
}

impl<'s> Slots<'s> {
    fn new(params: usize, slots: usize) -> Self {
        let first_len = slots.min(params + FIRST_ASSIGNS);
        let mut first = Vec::with_capacity(first_len);
        first.resize_with(first_len, OnceCell::new);
        let chunk_count = (slots - first_len).div_ceil(CHUNK);
        let mut chunks = Vec::with_capacity(chunk_count);
        chunks.resize_with(chunk_count, OnceCell::new);
        Slots { first, chunks }
    }

    /// The cell of a slot, when it is in the first vector or its chunk is allocated.
    fn cell(&self, slot: usize) -> Option<&OnceCell<Val<'s>>> {
        match self.first.get(slot) {
            Some(cell) => Some(cell),
            None => {
                let at = slot - self.first.len();
                self.chunks.get(at / CHUNK)?.get()?.get(at % CHUNK)
            }
        }
    }

    /// The value in a slot, when set.
    fn get(&self, slot: usize) -> Option<&Val<'s>> {
        self.cell(slot)?.get()
    }

    /// Sets a slot; a slot already set (never, for a slot the compiler gave) keeps its value.
    fn set(&self, slot: usize, value: Val<'s>) {
        let cell = match self.first.get(slot) {
            Some(cell) => cell,
            None => {
                let at = slot - self.first.len();
                let Some(chunk) = self.chunks.get(at / CHUNK) else {
                    return;
                };
                let chunk =
                    chunk.get_or_init(|| Box::new(std::array::from_fn(|_| OnceCell::new())));
                let Some(cell) = chunk.get(at % CHUNK) else {
                    return;
                };
                cell
            }
        };
        let _ = cell.set(value);
    }
}

/// One resolution's state: the ruleset and the slots.
struct Run<'s> {
    rules: &'s RuleSet,
    slots: &'s Slots<'s>,
}

pub(crate) fn resolve(
    rules: &RuleSet,
    args: &[Option<Arg<'_>>],
) -> Result<Endpoint, EndpointError> {
    let params = &rules.parameters;
    if args.len() != params.len() {
        return Err(EndpointError::new(format!(
            "expected {} endpoint parameters, got {}",
            params.len(),
            args.len()
        )));
    }
    let slots = Slots::new(params.len(), rules.program.slots);
    for (slot, (param, arg)) in params.iter().zip(args).enumerate() {
        let value = match (arg, param.kind) {
            (Some(Arg::Str(s)), ParamType::String) => Val::Str(Cow::Borrowed(*s)),
            (Some(Arg::Bool(b)), ParamType::Boolean) => Val::Bool(*b),
            (Some(Arg::StrArray(a)), ParamType::StringArray) => Val::Array(Cow::Borrowed(*a)),
            (Some(arg), _) => {
                let given = match arg {
                    Arg::Str(_) => "a string",
                    Arg::Bool(_) => "a boolean",
                    Arg::StrArray(_) => "a string array",
                };
                let wanted = match param.kind {
                    ParamType::String => "a string",
                    ParamType::Boolean => "a boolean",
                    ParamType::StringArray => "a string array",
                };
                return Err(EndpointError::new(format!(
                    "endpoint parameter `{}` must be {wanted}, not {given}",
                    param.name
                )));
            }
            (None, _) => match &param.default {
                Some(ParamDefault::String(s)) => Val::Str(Cow::Borrowed(s)),
                Some(ParamDefault::Boolean(b)) => Val::Bool(*b),
                Some(ParamDefault::StringArray(a)) => Val::Array(Cow::Borrowed(a)),
                None if param.required => {
                    return Err(EndpointError::new(format!(
                        "endpoint parameter `{}` is required",
                        param.name
                    )))
                }
                None => continue,
            },
        };
        slots.set(slot, value);
    }
    let run = Run {
        rules,
        slots: &slots,
    };
    match run.rules_in(&rules.program.rules) {
        Some(result) => result,
        None => Err(EndpointError::new(
            "no endpoint rule matched these parameters",
        )),
    }
}

impl<'s> Run<'s> {
    /// The first rule whose conditions hold, evaluated; `None` when none does.
    fn rules_in(&self, rules: &'s [Rule]) -> Option<Result<Endpoint, EndpointError>> {
        for rule in rules {
            if !rule.conditions.iter().all(|c| self.holds(c)) {
                continue;
            }
            return Some(match &rule.body {
                Body::Endpoint(e) => Ok(self.endpoint(e)),
                Body::Error(message) => Err(EndpointError::new(
                    self.string(message)
                        .map(Cow::into_owned)
                        .unwrap_or_default(),
                )),
                Body::Tree(sub) => match self.rules_in(sub) {
                    Some(result) => result,
                    None => Err(EndpointError::new(
                        "no rule of a matching tree rule matched these parameters",
                    )),
                },
            });
        }
        None
    }

    /// The value in a slot, when set.
    fn slot(&self, slot: usize) -> Option<&'s Val<'s>> {
        self.slots.get(slot)
    }

    /// A record's field, when the record in the slot is set.
    fn field(&self, slot: usize, f: Field) -> Option<Val<'s>> {
        get(self.slot(slot)?.borrowed(), Step::Field(f))
    }

    fn holds(&self, condition: &'s Condition) -> bool {
        match &condition.test {
            Test::BoolEq(slot, want) => {
                return matches!(self.slot(*slot), Some(Val::Bool(b)) if b == want)
            }
            Test::IsSet(slot) => return self.slot(*slot).is_some(),
            Test::NotSet(slot) => return self.slot(*slot).is_none(),
            Test::StrEq(slot, lit) => {
                return matches!(self.slot(*slot), Some(Val::Str(s)) if **s == **lit)
            }
            Test::AttrStrEq(slot, f, lit) => {
                return matches!(self.field(*slot, *f), Some(Val::Str(s)) if *s == **lit)
            }
            Test::AttrBoolEq(slot, f, want) => {
                return matches!(self.field(*slot, *f), Some(Val::Bool(b)) if b == *want)
            }
            Test::NotStrEq(slot, lit) => {
                return matches!(self.slot(*slot), Some(Val::Str(s)) if **s != **lit)
            }
            Test::HostLabel {
                slot,
                allow_sub_domains,
                s3,
            } => {
                let Some(Val::Str(s)) = self.slot(*slot) else {
                    return false;
                };
                return match s3 {
                    true => functions::is_virtual_hostable_s3_bucket(s, *allow_sub_domains),
                    false => functions::is_valid_host_label(s, *allow_sub_domains),
                };
            }
            Test::Substring {
                slot,
                start,
                stop,
                reverse,
                assign,
            } => {
                let Some(Val::Str(s)) = self.slot(*slot) else {
                    return false;
                };
                let s: &'s str = s;
                let Some(sub) = functions::substring(s, *start, *stop, *reverse) else {
                    return false;
                };
                self.slots.set(*assign, Val::Str(Cow::Borrowed(sub)));
                return true;
            }
            Test::General => {}
        }
        let Some(value) = self.eval(&condition.expr) else {
            return false;
        };
        if matches!(value, Val::Bool(false)) {
            return false;
        }
        if let Some(slot) = condition.assign {
            self.slots.set(slot, value);
        }
        true
    }

    fn endpoint(&self, e: &'s EndpointTemplate) -> Endpoint {
        let url = self.string(&e.url).map(Cow::into_owned).unwrap_or_default();
        let mut headers = BTreeMap::new();
        for (name, values) in &e.headers {
            let values = values
                .iter()
                .filter_map(|v| self.string(v).map(Cow::into_owned))
                .collect();
            headers.insert(name.clone(), values);
        }
        let properties = match &e.static_properties {
            Some(shared) => Arc::clone(shared),
            None => Arc::new(self.object(&e.properties)),
        };
        Endpoint {
            url,
            headers,
            properties,
        }
    }

    fn prop(&self, prop: &'s Prop) -> Document {
        match prop {
            Prop::Str(e) => {
                Document::String(self.string(e).map(Cow::into_owned).unwrap_or_default())
            }
            Prop::Bool(b) => Document::Bool(*b),
            Prop::Number(n) => Document::Number(*n),
            Prop::Array(items) => Document::Array(items.iter().map(|p| self.prop(p)).collect()),
            Prop::Object(template) => Document::Object(self.object(template)),
        }
    }

    /// An object of properties: a copy of its literal members (copying a map takes no
    /// comparisons, where inserting takes a search per member), its templates filled in.
    fn object(&self, template: &'s ObjectTemplate) -> BTreeMap<String, Document> {
        let mut object = template.base.clone();
        for (key, prop) in &template.holes {
            if let Some(value) = object.get_mut(key.as_str()) {
                *value = self.prop(prop);
            }
        }
        object
    }

    fn string(&self, e: &'s Expr) -> Option<Cow<'s, str>> {
        self.eval(e)?.into_str()
    }

    fn boolean(&self, e: &'s Expr) -> Option<bool> {
        self.eval(e)?.as_bool()
    }

    fn int(&self, e: &'s Expr) -> Option<i64> {
        match self.eval(e)? {
            Val::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The expression's value; `None` when unset.
    fn eval(&self, e: &'s Expr) -> Option<Val<'s>> {
        match e {
            Expr::Str(s) => Some(Val::Str(Cow::Borrowed(s))),
            Expr::Bool(b) => Some(Val::Bool(*b)),
            Expr::Int(i) => Some(Val::Int(*i)),
            Expr::Ref(slot) => self.slots.get(*slot).map(Val::borrowed),
            Expr::Template(parts) => {
                let mut out = String::with_capacity(64);
                for part in parts {
                    match part {
                        Part::Lit(l) => out.push_str(l),
                        Part::Expr(e) => out.push_str(&self.string(e)?),
                    }
                }
                Some(Val::Str(Cow::Owned(out)))
            }
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.string(item)?.into_owned());
                }
                Some(Val::Array(Cow::Owned(out)))
            }
            Expr::GetAttr(target, steps) => {
                let mut value = self.eval(target)?;
                for step in steps {
                    value = get(value, *step)?;
                }
                Some(value)
            }
            Expr::Call(func, args) => self.call(*func, args),
        }
    }

    fn call(&self, func: Func, args: &'s [Expr]) -> Option<Val<'s>> {
        let arg = |i: usize| args.get(i);
        Some(match func {
            Func::IsSet => Val::Bool(self.eval(arg(0)?).is_some()),
            Func::Not => Val::Bool(!self.boolean(arg(0)?)?),
            Func::StringEquals => Val::Bool(self.string(arg(0)?)? == self.string(arg(1)?)?),
            Func::BooleanEquals => Val::Bool(self.boolean(arg(0)?)? == self.boolean(arg(1)?)?),
            Func::Substring => {
                let input = self.string(arg(0)?)?;
                let start = usize::try_from(self.int(arg(1)?)?).ok()?;
                let stop = usize::try_from(self.int(arg(2)?)?).ok()?;
                let reverse = self.boolean(arg(3)?)?;
                Val::Str(match input {
                    Cow::Borrowed(s) => {
                        Cow::Borrowed(functions::substring(s, start, stop, reverse)?)
                    }
                    Cow::Owned(s) => {
                        Cow::Owned(functions::substring(&s, start, stop, reverse)?.to_owned())
                    }
                })
            }
            Func::UriEncode => Val::Str(Cow::Owned(functions::uri_encode(&self.string(arg(0)?)?))),
            Func::ParseUrl => {
                Val::OwnedUrl(Box::new(functions::parse_url(&self.string(arg(0)?)?)?))
            }
            Func::IsValidHostLabel => {
                let value = self.string(arg(0)?)?;
                Val::Bool(functions::is_valid_host_label(
                    &value,
                    self.boolean(arg(1)?)?,
                ))
            }
            Func::IsVirtualHostableS3Bucket => {
                let value = self.string(arg(0)?)?;
                Val::Bool(functions::is_virtual_hostable_s3_bucket(
                    &value,
                    self.boolean(arg(1)?)?,
                ))
            }
            Func::Coalesce => return args.iter().find_map(|a| self.eval(a)),
            Func::Ite => {
                let chosen = if self.boolean(arg(0)?)? {
                    arg(1)?
                } else {
                    arg(2)?
                };
                return self.eval(chosen);
            }
            Func::Split => {
                let value = self.string(arg(0)?)?;
                let delimiter = self.string(arg(1)?)?;
                let limit = self.int(arg(2)?)?;
                Val::Array(Cow::Owned(functions::split(&value, &delimiter, limit)))
            }
            Func::Partition => {
                let region = self.string(arg(0)?)?;
                Val::Partition(self.rules.partitions.lookup(&region)?)
            }
            Func::ParseArn => {
                Val::OwnedArn(Box::new(functions::parse_arn(&self.string(arg(0)?)?)?))
            }
        })
    }
}

/// One attribute step; `None` when an index is out of range (or, never after type checking,
/// when the step does not fit the value).
fn get(value: Val<'_>, step: Step) -> Option<Val<'_>> {
    match step {
        Step::Index(i) => {
            let Val::Array(items) = value else {
                return None;
            };
            let len = i64::try_from(items.len()).ok()?;
            let at = usize::try_from(if i < 0 { len + i } else { i }).ok()?;
            Some(Val::Str(match items {
                Cow::Borrowed(items) => Cow::Borrowed(items.get(at)?.as_str()),
                Cow::Owned(mut items) => {
                    if at >= items.len() {
                        return None;
                    }
                    Cow::Owned(items.swap_remove(at))
                }
            }))
        }
        Step::Field(f) => match value {
            Val::Partition(p) => Some(partition_field(p, f)?),
            Val::Arn(a) => arn_field(a, f),
            Val::OwnedArn(a) => arn_field(&a, f).map(owned),
            Val::Url(u) => url_field(u, f),
            Val::OwnedUrl(u) => url_field(&u, f).map(owned),
            _ => None,
        },
    }
}

/// A value copied out of a temporary it borrows.
fn owned<'t>(value: Val<'_>) -> Val<'t> {
    match value {
        Val::Str(s) => Val::Str(Cow::Owned(s.into_owned())),
        Val::Array(a) => Val::Array(Cow::Owned(a.into_owned())),
        Val::Bool(b) => Val::Bool(b),
        Val::Int(i) => Val::Int(i),
        // Records hold no records.
        Val::Partition(_) | Val::Arn(_) | Val::OwnedArn(_) | Val::Url(_) | Val::OwnedUrl(_) => {
            Val::Bool(false)
        }
    }
}

fn partition_field(p: &PartitionOutputs, f: Field) -> Option<Val<'_>> {
    match f {
        Field::Name => text(&p.name),
        Field::DnsSuffix => text(&p.dns_suffix),
        Field::DualStackDnsSuffix => text(&p.dual_stack_dns_suffix),
        Field::ImplicitGlobalRegion => text(&p.implicit_global_region),
        Field::SupportsFips => Some(Val::Bool(p.supports_fips)),
        Field::SupportsDualStack => Some(Val::Bool(p.supports_dual_stack)),
        _ => None,
    }
}

fn arn_field(a: &Arn, f: Field) -> Option<Val<'_>> {
    match f {
        Field::Partition => text(&a.partition),
        Field::Service => text(&a.service),
        Field::Region => text(&a.region),
        Field::AccountId => text(&a.account_id),
        Field::ResourceId => Some(Val::Array(Cow::Borrowed(&a.resource_id))),
        _ => None,
    }
}

fn url_field(u: &Url, f: Field) -> Option<Val<'_>> {
    match f {
        Field::Scheme => text(&u.scheme),
        Field::Authority => text(&u.authority),
        Field::Path => text(&u.path),
        Field::NormalizedPath => text(&u.normalized_path),
        Field::IsIp => Some(Val::Bool(u.is_ip)),
        _ => None,
    }
}

fn text(s: &str) -> Option<Val<'_>> {
    Some(Val::Str(Cow::Borrowed(s)))
}
