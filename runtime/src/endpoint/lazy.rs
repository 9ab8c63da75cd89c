//! A ruleset held as text and compiled on first use: what a generated crate's `resolve` runs.

use std::sync::OnceLock;

use super::{Arg, Endpoint, EndpointError, Partitions, RuleSet};

/// The JSON text of a ruleset and of a partition table, compiled the first time it is used
/// (once per process, whichever thread comes first). A text that does not compile (which the
/// generator rules out by compiling the same text) is an [`EndpointError`] on every use, never
/// a panic.
#[derive(Debug)]
pub struct LazyRuleSet {
    rules: &'static str,
    partitions: &'static str,
    compiled: OnceLock<Result<RuleSet, EndpointError>>,
}

impl LazyRuleSet {
    /// The ruleset `rules` (an `endpointRuleSet` trait value as JSON) against the partition
    /// table `partitions` (the text of a `partitions.json`), not compiled yet.
    pub const fn new(rules: &'static str, partitions: &'static str) -> Self {
        LazyRuleSet {
            rules,
            partitions,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled ruleset, compiling it on the first call.
    pub fn get(&self) -> Result<&RuleSet, EndpointError> {
        self.compiled
            .get_or_init(|| {
                let partitions = Partitions::from_json(self.partitions).map_err(|e| {
                    EndpointError::new(format!("the partition table does not load: {e}"))
                })?;
                RuleSet::from_json(self.rules, partitions).map_err(|e| {
                    EndpointError::new(format!("the endpoint rules do not compile: {e}"))
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Resolves `args` (see [`RuleSet::resolve`]).
    pub fn resolve(&self, args: &[Option<Arg<'_>>]) -> Result<Endpoint, EndpointError> {
        self.get()?.resolve(args)
    }
}
