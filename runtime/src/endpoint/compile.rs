//! Parsing and type checking a ruleset's JSON into the [`Program`] that `eval` runs.
//!
//! TODO(engine helper).

use super::{Partitions, RuleError, RuleSet};

/// The compiled rules.
#[derive(Debug)]
pub(crate) struct Program {}

pub(crate) fn compile(rules: &serde_json::Value, partitions: Partitions) -> Result<RuleSet, RuleError> {
    let _ = (rules, partitions);
    todo!("engine helper")
}
