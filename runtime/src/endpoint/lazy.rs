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
                // The generator loaded the same table eagerly: its regexes compile, and need
                // compiling only for a region the table does not list.
                let partitions = Partitions::from_json_lazy(self.partitions).map_err(|e| {
                    EndpointError::new(format!("the partition table does not load: {e}"))
                })?;
                RuleSet::from_json(self.rules, partitions).map_err(|e| {
                    EndpointError::new(format!("the endpoint rules do not compile: {e}"))
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Resolves `args` (see [`RuleSet::resolve`]), through the ruleset's one-entry cache of the
    /// last args and endpoint ([`RuleSet::resolve_cached`]).
    pub fn resolve(&self, args: &[Option<Arg<'_>>]) -> Result<Endpoint, EndpointError> {
        self.get()?.resolve_cached(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTITIONS: &str = r#"{"version":"1.1","partitions":[{"id":"aws","regionRegex":"^us\\-\\w+\\-\\d+$","regions":{},"outputs":{"name":"aws","dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws","supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}}]}"#;
    const RULES: &str = r#"{"version":"1.0","parameters":{"Region":{"type":"string","required":true}},"rules":[{"conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"}],"endpoint":{"url":"https://svc.{Region}.{P#dnsSuffix}"},"type":"endpoint"},{"conditions":[],"error":"no partition","type":"error"}]}"#;

    #[test]
    fn compiles_once_and_resolves() {
        static RULE_SET: LazyRuleSet = LazyRuleSet::new(RULES, PARTITIONS);
        let endpoint = RULE_SET
            .resolve(&[Some(Arg::Str("us-west-2"))])
            .expect("an endpoint");
        assert_eq!(endpoint.url, "https://svc.us-west-2.amazonaws.com");
        let first: *const RuleSet = RULE_SET.get().expect("compiled");
        assert!(std::ptr::eq(first, RULE_SET.get().expect("compiled")));
    }

    #[test]
    fn text_that_does_not_compile_is_an_error_on_every_use() {
        static BAD_RULES: LazyRuleSet = LazyRuleSet::new(
            r#"{"version":"1.0","parameters":{},"rules":[{"conditions":[{"fn":"nope","argv":[]}],"error":"x","type":"error"}]}"#,
            PARTITIONS,
        );
        for _ in 0..2 {
            let error = BAD_RULES.resolve(&[]).expect_err("refused");
            assert!(
                error
                    .message()
                    .starts_with("the endpoint rules do not compile: rules[0]"),
                "{error}"
            );
        }
        static BAD_TABLE: LazyRuleSet = LazyRuleSet::new(RULES, "[");
        let error = BAD_TABLE
            .resolve(&[Some(Arg::Str("us-west-2"))])
            .expect_err("refused");
        assert!(
            error
                .message()
                .starts_with("the partition table does not load: "),
            "{error}"
        );
    }
}
