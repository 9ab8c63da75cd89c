//! The AWS partition table behind `aws.partition`: parsed from the JSON of smithy-aws-endpoints'
//! `partitions.json` (the generated crate holds its text), looked up by region.

/// The outputs of one partition: what `aws.partition` returns for a region in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name` (`aws`, `aws-cn`, `aws-us-gov`).
    pub name: String,
    /// `dnsSuffix`.
    pub dns_suffix: String,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: String,
}

/// A partition table.
#[derive(Debug, Clone)]
pub struct Partitions {
    // TODO(engine helper): the partitions, their compiled region regexes, the listed regions
    // (whose per-region outputs override the partition's), and the `aws` fallback.
}

impl Partitions {
    /// Parses the text of a `partitions.json`; an error says what is wrong.
    pub fn from_json(text: &str) -> Result<Partitions, String> {
        let _ = text;
        todo!("engine helper")
    }

    /// The partition of `region`: the one that lists it, else the first whose `regionRegex`
    /// matches it, else `aws` (as the rules engine specifies), with a listed region's own
    /// overrides applied. `None` only when the table has no `aws` partition to fall back to.
    pub fn lookup(&self, region: &str) -> Option<&PartitionOutputs> {
        let _ = region;
        todo!("engine helper")
    }
}
