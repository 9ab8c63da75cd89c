//! Endpoint resolution: a service's `smithy.rules#endpointRuleSet`, compiled once into a
//! [`RuleSet`] and evaluated for each request's [`Arg`]s into an [`Endpoint`] (URL, headers,
//! properties such as `authSchemes`) or an [`EndpointError`] (a ruleset `error` rule's message).
//!
//! The generated crate of a service holds its ruleset and the AWS partition table as JSON text
//! and a typed `Params` struct; it compiles them on first use and passes the params here in
//! [`RuleSet::parameters`] order. The generator compiles the same text at generation time, so a
//! ruleset this module refuses never reaches a generated crate.
//!
//! Layout: `compile` (parsing and type checking the ruleset JSON into the program),
//! `eval` (running it), `functions` (the standard library and the AWS functions),
//! `partition` (the partition table), `lazy` (a ruleset compiled on first use, as generated
//! crates hold theirs), `apply` (where a request and its endpoint meet).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::Document;

mod apply;
mod cache;
mod compile;
mod eval;
pub mod functions;
mod lazy;
pub mod partition;
#[cfg(test)]
mod tests;

pub use apply::{apply, finish};
pub use lazy::LazyRuleSet;
pub use partition::Partitions;

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// The URL (`https://api.ecr.us-east-1.amazonaws.com`), possibly with a path.
    pub url: String,
    /// Headers the request must carry, by name, each with its values in order.
    pub headers: BTreeMap<String, Vec<String>>,
    /// The endpoint's properties by name, `authSchemes` among them. Shared: cloning an
    /// endpoint (as the resolution cache does for every call) copies no property; read them
    /// through the map (`endpoint.properties.get("authSchemes")`), and build one with
    /// `Arc::new(map)` (or `map.into()`).
    pub properties: Arc<BTreeMap<String, Document>>,
}

/// A ruleset `error` rule was reached (or the params could not be evaluated): its message,
/// exactly as the rule gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// The value of one ruleset parameter, borrowed from the caller's params.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A `string` parameter.
    Str(&'a str),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StrArray(&'a [String]),
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A parameter's default value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamDefault {
    /// Of a `string` parameter.
    String(String),
    /// Of a `boolean` parameter.
    Boolean(bool),
    /// Of a `stringArray` parameter.
    StringArray(Vec<String>),
}

/// One parameter of a ruleset, as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name (`Region`, `UseFIPS`, `Bucket`).
    pub name: String,
    /// Its type.
    pub kind: ParamType,
    /// Whether it is `required`.
    pub required: bool,
    /// The default, applied when the caller gives none.
    pub default: Option<ParamDefault>,
    /// The built-in it is bound to (`AWS::Region`, `SDK::Endpoint`), if any.
    pub built_in: Option<String>,
    /// Its documentation.
    pub documentation: Option<String>,
    /// Its `deprecated` message, when deprecated (`Some("")` when deprecated without one).
    pub deprecated: Option<String>,
}

/// Why a ruleset was refused: the rule at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Where: `parameters.Region`, `rules[1].rules[0]` (with the rule's documentation after it
    /// when it has some), `rules[2].conditions[0]`.
    pub rule: String,
    /// What: `unknown function \`aws.frobnicate\``, `\`booleanEquals\` takes 2 arguments, not 3`.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

impl std::error::Error for RuleError {}

/// A compiled ruleset: its parameters and its rules, type checked, ready to evaluate.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) program: compile::Program,
    pub(crate) partitions: Partitions,
    /// The last resolution, for [`RuleSet::resolve_cached`].
    pub(crate) last: cache::LastResolution,
}

impl RuleSet {
    /// Compiles the JSON text of an `endpointRuleSet` trait value against a partition table.
    pub fn from_json(rules: &str, partitions: Partitions) -> Result<RuleSet, RuleError> {
        // Parsed into an arena, its strings borrowed from the text: a tenth of the time a
        // `serde_json::Value` takes to build and drop, for a ruleset the compiler reads once.
        let arena = crate::json::Arena::with_capacity(rules.len());
        let value =
            crate::json::Parsed::from_slice(rules.as_bytes(), &arena).map_err(|e| RuleError {
                rule: "ruleset".to_owned(),
                message: format!("not JSON: {e}"),
            })?;
        compile::compile(&value, partitions)
    }

    /// Compiles an `endpointRuleSet` trait value against a partition table: every rule is
    /// parsed, every reference resolved, every function call's arity and types checked.
    pub fn compile(
        rules: &serde_json::Value,
        partitions: Partitions,
    ) -> Result<RuleSet, RuleError> {
        compile::compile(rules, partitions)
    }

    /// The parameters, sorted by name: the order [`RuleSet::resolve`] takes its args in.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The position of the parameter `name` in [`RuleSet::parameters`].
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.parameters.iter().position(|p| p.name == name)
    }

    /// Resolves the endpoint for these args, one per parameter in [`RuleSet::parameters`]
    /// order (`None` for an unset one: its default applies). An arg of the wrong type, a
    /// required parameter left unset, a ruleset `error` rule, or no rule matching, is an
    /// [`EndpointError`].
    pub fn resolve(&self, args: &[Option<Arg<'_>>]) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, args)
    }

    /// [`RuleSet::resolve`] through a one-entry cache of the last resolution: when `args`
    /// equal the last resolved ones, a clone of that endpoint, without evaluating the rules.
    /// What a client calls for each request (its params rarely change between calls).
    ///
    /// Safe to call from many threads at once: the cache is only ever tried, never waited on;
    /// a caller that finds it busy resolves without it. Errors are not kept.
    pub fn resolve_cached(&self, args: &[Option<Arg<'_>>]) -> Result<Endpoint, EndpointError> {
        if let Some(endpoint) = self.last.get(args) {
            return Ok(endpoint);
        }
        let endpoint = eval::resolve(self, args)?;
        self.last.store(args, &endpoint);
        Ok(endpoint)
    }
}
