//! Evaluating a compiled ruleset for one set of args.
//!
//! TODO(engine helper).

use super::{Arg, Endpoint, EndpointError, RuleSet};

pub(crate) fn resolve(rules: &RuleSet, args: &[Option<Arg<'_>>]) -> Result<Endpoint, EndpointError> {
    let _ = (rules, args);
    todo!("engine helper")
}
