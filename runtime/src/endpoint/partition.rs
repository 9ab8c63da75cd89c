//! The AWS partition table behind `aws.partition`: parsed from the JSON of smithy-aws-endpoints'
//! `partitions.json` (the generated crate holds its text), looked up by region.
//!
//! The format: `{"version": "1.1", "partitions": [PARTITION, ...]}`, each partition
//! `{"id", "regionRegex", "regions": {REGION: {OVERRIDES}}, "outputs": {"name", "dnsSuffix",
//! "dualStackDnsSuffix", "supportsFIPS", "supportsDualStack", "implicitGlobalRegion"}}`. A
//! listed region's object may give any of the outputs again, overriding the partition's for
//! that region; its other members (`description`) are not outputs and are ignored, as are
//! members of the file this module does not know, so that a newer file still loads.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use regex_lite::Regex;
use serde_json::{Map, Value};

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
///
/// Everything [`Partitions::lookup`] needs is computed when the table is built: each listed
/// region's outputs (its overrides applied), the region names sorted for a binary search, the
/// compiled region regexes and the index of the `aws` fallback; a lookup allocates nothing.
/// A listed region is found by hash (FNV-1a, a few nanoseconds for a region name), before any
/// regex is tried. A table loaded by [`Partitions::from_json_lazy`] compiles each regex only
/// when a region that no partition lists is first looked up.
#[derive(Debug, Clone)]
pub struct Partitions {
    version: String,
    /// The partitions in the file's order: the order their regexes are tried in.
    partitions: Vec<Partition>,
    /// Every listed region by name, with the index of its outputs in `outputs`.
    regions: HashMap<Box<str>, usize, BuildHasherDefault<Fnv1a>>,
    /// The partitions' outputs (one per partition, at the partition's index), then one per
    /// listed region that overrides some of them.
    outputs: Vec<PartitionOutputs>,
    /// The partition whose id is `aws`, if any.
    fallback: Option<usize>,
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    /// `regionRegex`, anchored to match the whole region name.
    pattern: String,
    /// The compiled `pattern`, once compiled: `None` when it does not compile (which
    /// [`Partitions::from_json`] refuses, so only a lazily loaded table can hold one).
    region_regex: OnceLock<Option<Regex>>,
}

impl Partition {
    /// Whether `region` matches the partition's regex (compiled on the first call).
    fn matches(&self, region: &str) -> bool {
        self.region_regex
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(region))
    }
}

impl Partitions {
    /// Parses the text of a `partitions.json`, compiling every partition's `regionRegex`; an
    /// error says what is wrong.
    pub fn from_json(text: &str) -> Result<Partitions, String> {
        Partitions::parse(text, true)
    }

    /// [`Partitions::from_json`] without compiling the region regexes: each is compiled when a
    /// region no partition lists is first looked up (about 100 µs saved on a table that is
    /// mostly asked for listed regions). For a text already loaded once by `from_json` (what a
    /// generated crate holds): a `regionRegex` that does not compile is not an error here, and
    /// matches no region.
    pub fn from_json_lazy(text: &str) -> Result<Partitions, String> {
        Partitions::parse(text, false)
    }

    fn parse(text: &str, compile: bool) -> Result<Partitions, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("partition table: not JSON: {e}"))?;
        Partitions::from_value(&value, compile).map_err(|e| format!("partition table: {e}"))
    }

    fn from_value(value: &Value, compile: bool) -> Result<Partitions, String> {
        let file = value.as_object().ok_or("not a JSON object")?;
        let version = string(file, "version", "")?.to_owned();
        let list = file
            .get("partitions")
            .ok_or("missing `partitions`")?
            .as_array()
            .ok_or("`partitions` is not an array")?;
        if list.is_empty() {
            return Err("`partitions` is empty".to_owned());
        }

        let mut partitions = Vec::with_capacity(list.len());
        let mut outputs = Vec::with_capacity(list.len());
        for (index, partition) in list.iter().enumerate() {
            let at = format!("partitions[{index}]");
            let fields = partition
                .as_object()
                .ok_or_else(|| format!("{at} is not an object"))?;
            let id = string(fields, "id", &at)?;
            let at = format!("{at} (`{id}`)");
            if partitions.iter().any(|p: &Partition| p.id == id) {
                return Err(format!("{at}: a second partition with this id"));
            }
            let pattern = format!("^(?:{})$", string(fields, "regionRegex", &at)?);
            let region_regex = match compile {
                true => OnceLock::from(Some(Regex::new(&pattern).map_err(|e| {
                    format!(
                        "{at}: `regionRegex` is not a valid regex: {}",
                        one_line(&e.to_string())
                    )
                })?)),
                false => OnceLock::new(),
            };
            let output_fields = object(fields, "outputs", &at)?;
            outputs.push(PartitionOutputs::from_fields(
                output_fields,
                &format!("{at}.outputs"),
            )?);
            partitions.push(Partition {
                id: id.to_owned(),
                pattern,
                region_regex,
            });
        }

        // The outputs of listed regions that override some: after the partitions' own.
        let mut overridden = Vec::new();
        let mut regions: HashMap<Box<str>, usize, BuildHasherDefault<Fnv1a>> = HashMap::default();
        for (index, ((partition, base), Partition { id, .. })) in
            list.iter().zip(&outputs).zip(&partitions).enumerate()
        {
            let at = format!("partitions[{index}] (`{id}`)");
            let Some(listed) = partition.get("regions") else {
                continue;
            };
            let listed = listed
                .as_object()
                .ok_or_else(|| format!("{at}: `regions` is not an object"))?;
            for (region, overrides) in listed {
                let region_at = || format!("{at}.regions.{region}");
                let overrides = overrides
                    .as_object()
                    .ok_or_else(|| format!("{} is not an object", region_at()))?;
                // Most regions override nothing (a `description` at most): no copy to build.
                let overrides_some = overrides.keys().any(|key| OUTPUTS.contains(&key.as_str()));
                let own = match overrides_some {
                    true => Some(base.with_overrides(overrides, &region_at())?),
                    false => None,
                };
                let output = match own {
                    Some(own) if own != *base => {
                        overridden.push(own);
                        outputs.len() + overridden.len() - 1
                    }
                    _ => index,
                };
                if regions.insert(region.as_str().into(), output).is_some() {
                    return Err(format!("region `{region}` is listed twice"));
                }
            }
        }
        outputs.append(&mut overridden);
        let fallback = partitions.iter().position(|p| p.id == "aws");
        Ok(Partitions {
            version,
            partitions,
            regions,
            outputs,
            fallback,
        })
    }

    /// The partition of `region`: the one that lists it, else the first whose `regionRegex`
    /// matches it, else `aws` (as the rules engine specifies), with a listed region's own
    /// overrides applied. `None` only when the table has no `aws` partition to fall back to.
    pub fn lookup(&self, region: &str) -> Option<&PartitionOutputs> {
        let index = match self.regions.get(region) {
            Some(output) => Some(*output),
            None => self
                .partitions
                .iter()
                .position(|p| p.matches(region))
                .or(self.fallback),
        }?;
        self.outputs.get(index)
    }

    /// The file's `version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The partitions' ids, in the file's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }
}

impl PartitionOutputs {
    fn from_fields(fields: &Map<String, Value>, at: &str) -> Result<PartitionOutputs, String> {
        Ok(PartitionOutputs {
            name: string(fields, "name", at)?.to_owned(),
            dns_suffix: string(fields, "dnsSuffix", at)?.to_owned(),
            dual_stack_dns_suffix: string(fields, "dualStackDnsSuffix", at)?.to_owned(),
            supports_fips: boolean(fields, "supportsFIPS", at)?,
            supports_dual_stack: boolean(fields, "supportsDualStack", at)?,
            implicit_global_region: string(fields, "implicitGlobalRegion", at)?.to_owned(),
        })
    }

    /// These outputs with those `overrides` gives replaced.
    fn with_overrides(
        &self,
        overrides: &Map<String, Value>,
        at: &str,
    ) -> Result<PartitionOutputs, String> {
        let text = |key: &str, base: &str| -> Result<String, String> {
            Ok(match overrides.contains_key(key) {
                true => string(overrides, key, at)?.to_owned(),
                false => base.to_owned(),
            })
        };
        let flag = |key: &str, base: bool| -> Result<bool, String> {
            match overrides.contains_key(key) {
                true => boolean(overrides, key, at),
                false => Ok(base),
            }
        };
        Ok(PartitionOutputs {
            name: text("name", &self.name)?,
            dns_suffix: text("dnsSuffix", &self.dns_suffix)?,
            dual_stack_dns_suffix: text("dualStackDnsSuffix", &self.dual_stack_dns_suffix)?,
            supports_fips: flag("supportsFIPS", self.supports_fips)?,
            supports_dual_stack: flag("supportsDualStack", self.supports_dual_stack)?,
            implicit_global_region: text("implicitGlobalRegion", &self.implicit_global_region)?,
        })
    }
}

/// The members of a partition's `outputs` (and of a listed region's overrides).
const OUTPUTS: [&str; 6] = [
    "name",
    "dnsSuffix",
    "dualStackDnsSuffix",
    "supportsFIPS",
    "supportsDualStack",
    "implicitGlobalRegion",
];

/// The FNV-1a hash: the listed regions' map hashes short names known in advance, where
/// SipHash's resistance to chosen keys buys nothing and costs twice the time.
#[derive(Default)]
struct Fnv1a(u64);

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0100_0000_01b3;
        let mut hash = if self.0 == 0 { OFFSET } else { self.0 };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(PRIME);
        }
        self.0 = hash;
    }
}

/// `at: ` before a message, or nothing at the top level.
fn place(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}

fn string<'v>(fields: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v str, String> {
    match fields.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(format!("{}`{key}` is not a string", place(at))),
        None => Err(format!("{}missing `{key}`", place(at))),
    }
}

fn boolean(fields: &Map<String, Value>, key: &str, at: &str) -> Result<bool, String> {
    match fields.get(key) {
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err(format!("{}`{key}` is not a boolean", place(at))),
        None => Err(format!("{}missing `{key}`", place(at))),
    }
}

fn object<'v>(
    fields: &'v Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<&'v Map<String, Value>, String> {
    match fields.get(key) {
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(format!("{}`{key}` is not an object", place(at))),
        None => Err(format!("{}missing `{key}`", place(at))),
    }
}

/// A multi-line message (a regex error points at the pattern over several lines) on one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small table in the real file's shape: two partitions with overlapping regexes (the
    /// second's regions would also match the first's regex if it were tried first), a region
    /// with overrides, one with only a description, and a partition without `regions`.
    const TABLE: &str = r#"{
        "version": "1.1",
        "partitions": [
            {
                "id": "aws",
                "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                "regions": {
                    "us-east-1": {"description": "US East (N. Virginia)"},
                    "aws-global": {},
                    "us-local-1": {"dnsSuffix": "local.example", "supportsFIPS": false}
                },
                "outputs": {
                    "name": "aws",
                    "dnsSuffix": "amazonaws.com",
                    "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true,
                    "supportsDualStack": true,
                    "implicitGlobalRegion": "us-east-1"
                }
            },
            {
                "id": "aws-us-gov",
                "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
                "regions": {"us-gov-west-1": {}},
                "outputs": {
                    "name": "aws-us-gov",
                    "dnsSuffix": "amazonaws.com",
                    "dualStackDnsSuffix": "api.aws",
                    "supportsFIPS": true,
                    "supportsDualStack": false,
                    "implicitGlobalRegion": "us-gov-west-1"
                }
            },
            {
                "id": "aws-cn",
                "regionRegex": "cn\\-\\w+\\-\\d+",
                "outputs": {
                    "name": "aws-cn",
                    "dnsSuffix": "amazonaws.com.cn",
                    "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                    "supportsFIPS": false,
                    "supportsDualStack": true,
                    "implicitGlobalRegion": "cn-northwest-1",
                    "someFutureOutput": "ignored"
                }
            }
        ]
    }"#;

    fn table() -> Partitions {
        Partitions::from_json(TABLE).unwrap()
    }

    fn name_of(partitions: &Partitions, region: &str) -> Option<String> {
        partitions.lookup(region).map(|o| o.name.clone())
    }

    #[test]
    fn reads_the_outputs() {
        let partitions = table();
        assert_eq!(partitions.version(), "1.1");
        assert_eq!(
            partitions.ids().collect::<Vec<_>>(),
            ["aws", "aws-us-gov", "aws-cn"]
        );
        assert_eq!(
            partitions.lookup("cn-north-1"),
            Some(&PartitionOutputs {
                name: "aws-cn".to_owned(),
                dns_suffix: "amazonaws.com.cn".to_owned(),
                dual_stack_dns_suffix: "api.amazonwebservices.com.cn".to_owned(),
                supports_fips: false,
                supports_dual_stack: true,
                implicit_global_region: "cn-northwest-1".to_owned(),
            })
        );
    }

    #[test]
    fn a_listed_region_first() {
        let partitions = table();
        assert_eq!(name_of(&partitions, "us-east-1").as_deref(), Some("aws"));
        assert_eq!(name_of(&partitions, "aws-global").as_deref(), Some("aws"));
        // Listed by aws-us-gov although aws's regex, tried first, would match it too.
        let gov = partitions.lookup("us-gov-west-1").unwrap();
        assert_eq!(gov.name, "aws-us-gov");
        assert!(!gov.supports_dual_stack);
    }

    #[test]
    fn a_listed_region_with_overrides() {
        let partitions = table();
        let local = partitions.lookup("us-local-1").unwrap();
        assert_eq!(local.name, "aws");
        assert_eq!(local.dns_suffix, "local.example");
        assert!(!local.supports_fips);
        assert_eq!(local.dual_stack_dns_suffix, "api.aws");
        assert_eq!(local.implicit_global_region, "us-east-1");
        // The partition's own outputs are untouched.
        let east = partitions.lookup("us-east-1").unwrap();
        assert_eq!(east.dns_suffix, "amazonaws.com");
        assert!(east.supports_fips);
        // A region without overrides shares its partition's outputs.
        assert!(std::ptr::eq(east, partitions.lookup("aws-global").unwrap()));
    }

    #[test]
    fn an_unlisted_region_by_the_first_matching_regex() {
        let partitions = table();
        assert_eq!(name_of(&partitions, "eu-future-7").as_deref(), Some("aws"));
        assert_eq!(
            name_of(&partitions, "cn-future-9").as_deref(),
            Some("aws-cn")
        );
        // aws's regex, tried first, wants three dash-separated parts (`\w` is no `-`), so
        // `us-gov-east-1` is aws-us-gov's.
        assert_eq!(
            name_of(&partitions, "us-gov-east-1").as_deref(),
            Some("aws-us-gov")
        );
        assert_eq!(name_of(&partitions, "us-west-9").as_deref(), Some("aws"));
    }

    #[test]
    fn a_lazy_table_compiles_its_regexes_when_first_needed() {
        let partitions = Partitions::from_json_lazy(TABLE).unwrap();
        assert!(partitions
            .partitions
            .iter()
            .all(|p| p.region_regex.get().is_none()));
        // A listed region needs no regex.
        assert_eq!(name_of(&partitions, "us-east-1").as_deref(), Some("aws"));
        assert!(partitions
            .partitions
            .iter()
            .all(|p| p.region_regex.get().is_none()));
        // An unlisted one compiles those tried, in order, up to the first that matches.
        assert_eq!(
            name_of(&partitions, "us-gov-east-1").as_deref(),
            Some("aws-us-gov")
        );
        let compiled: Vec<bool> = partitions
            .partitions
            .iter()
            .map(|p| p.region_regex.get().is_some())
            .collect();
        assert_eq!(compiled, [true, true, false]);
        // The lazy table answers as the eager one does.
        let eager = table();
        for region in [
            "eu-future-7",
            "cn-future-9",
            "us-west-9",
            "xcn-north-1",
            "mars-east-1",
        ] {
            assert_eq!(
                name_of(&partitions, region),
                name_of(&eager, region),
                "{region}"
            );
        }
        // A regex that does not compile (which `from_json` refuses) matches nothing.
        let bad = TABLE.replace(r"cn\\-\\w+\\-\\d+", "(cn");
        assert!(Partitions::from_json(&bad).is_err());
        let lazy = Partitions::from_json_lazy(&bad).unwrap();
        assert_eq!(name_of(&lazy, "cn-future-9").as_deref(), Some("aws"));
    }

    #[test]
    fn regexes_match_the_whole_region() {
        // aws-cn's regex has no anchors in this table: it must still match the whole name.
        let partitions = table();
        assert_eq!(name_of(&partitions, "xcn-north-1").as_deref(), Some("aws"));
        assert_eq!(name_of(&partitions, "cn-north-1x").as_deref(), Some("aws"));
    }

    #[test]
    fn anything_else_falls_back_to_aws() {
        let partitions = table();
        for region in [
            "",
            "local",
            "mars-east-1",
            "US-EAST-1",
            "us-east-1 ",
            "\u{e9}",
        ] {
            assert_eq!(
                name_of(&partitions, region).as_deref(),
                Some("aws"),
                "{region:?}"
            );
        }
    }

    #[test]
    fn without_an_aws_partition_nothing_to_fall_back_to() {
        let text = TABLE.replace("\"id\": \"aws\",", "\"id\": \"aws-other\",");
        let partitions = Partitions::from_json(&text).unwrap();
        assert_eq!(partitions.lookup("mars-east-1"), None);
        assert_eq!(name_of(&partitions, "us-east-1").as_deref(), Some("aws"));
        assert_eq!(name_of(&partitions, "eu-west-1").as_deref(), Some("aws"));
    }

    #[test]
    fn errors_say_what_is_wrong_on_one_line() {
        let cases: &[(&str, &str)] = &[
            (
                "",
                "partition table: not JSON: EOF while parsing a value at line 1 column 0",
            ),
            ("[]", "partition table: not a JSON object"),
            (
                r#"{"partitions": []}"#,
                "partition table: missing `version`",
            ),
            (
                r#"{"version": 1, "partitions": []}"#,
                "partition table: `version` is not a string",
            ),
            (
                r#"{"version": "1.1"}"#,
                "partition table: missing `partitions`",
            ),
            (
                r#"{"version": "1.1", "partitions": {}}"#,
                "partition table: `partitions` is not an array",
            ),
            (
                r#"{"version": "1.1", "partitions": []}"#,
                "partition table: `partitions` is empty",
            ),
            (
                r#"{"version": "1.1", "partitions": [3]}"#,
                "partition table: partitions[0] is not an object",
            ),
            (
                r#"{"version": "1.1", "partitions": [{}]}"#,
                "partition table: partitions[0]: missing `id`",
            ),
            (
                r#"{"version": "1.1", "partitions": [{"id": "x", "regionRegex": "("}]}"#,
                "partition table: partitions[0] (`x`): `regionRegex` is not a valid regex: ",
            ),
            (
                r#"{"version": "1.1", "partitions": [{"id": "x", "regionRegex": "x"}]}"#,
                "partition table: partitions[0] (`x`): missing `outputs`",
            ),
            (
                r#"{"version": "1.1", "partitions": [{"id": "x", "regionRegex": "x", "outputs": {"name": "x"}}]}"#,
                "partition table: partitions[0] (`x`).outputs: missing `dnsSuffix`",
            ),
        ];
        for (text, expected) in cases {
            let error = Partitions::from_json(text).unwrap_err();
            assert!(error.starts_with(expected), "{text}: {error}");
            assert!(!error.contains('\n'), "{text}: {error}");
        }
    }

    #[test]
    fn errors_in_regions_and_outputs() {
        let bad_flag = TABLE.replace(
            "\"supportsDualStack\": false",
            "\"supportsDualStack\": \"no\"",
        );
        assert_eq!(
            Partitions::from_json(&bad_flag).unwrap_err(),
            "partition table: partitions[1] (`aws-us-gov`).outputs: `supportsDualStack` is not a boolean"
        );
        let bad_override = TABLE.replace("\"supportsFIPS\": false}", "\"supportsFIPS\": 0}");
        assert_eq!(
            Partitions::from_json(&bad_override).unwrap_err(),
            "partition table: partitions[0] (`aws`).regions.us-local-1: `supportsFIPS` is not a boolean"
        );
        let bad_region = TABLE.replace("\"aws-global\": {}", "\"aws-global\": []");
        assert_eq!(
            Partitions::from_json(&bad_region).unwrap_err(),
            "partition table: partitions[0] (`aws`).regions.aws-global is not an object"
        );
        let twice = TABLE.replace("\"us-gov-west-1\": {}", "\"us-east-1\": {}");
        assert_eq!(
            Partitions::from_json(&twice).unwrap_err(),
            "partition table: region `us-east-1` is listed twice"
        );
        let same_id = TABLE.replace("\"id\": \"aws-cn\"", "\"id\": \"aws\"");
        assert_eq!(
            Partitions::from_json(&same_id).unwrap_err(),
            "partition table: partitions[2] (`aws`): a second partition with this id"
        );
    }

    #[test]
    fn every_region_of_a_larger_table() {
        // Many listed regions in an order unlike their sorted one.
        let regions: Vec<String> = (0..200)
            .map(|i| format!("r{}-{}", (i * 37) % 200, i % 7))
            .collect();
        let listed: Vec<String> = regions
            .iter()
            .enumerate()
            .map(|(i, r)| format!("\"{r}\": {{\"dnsSuffix\": \"d{i}\"}}"))
            .collect();
        let text = format!(
            r#"{{"version": "1.1", "partitions": [{{"id": "aws", "regionRegex": "^never$", "regions": {{{}}},
                "outputs": {{"name": "aws", "dnsSuffix": "x", "dualStackDnsSuffix": "y", "supportsFIPS": true,
                "supportsDualStack": true, "implicitGlobalRegion": "r0-0"}}}}]}}"#,
            listed.join(",")
        );
        let partitions = Partitions::from_json(&text).unwrap();
        for (i, region) in regions.iter().enumerate() {
            assert_eq!(
                partitions.lookup(region).unwrap().dns_suffix,
                format!("d{i}"),
                "{region}"
            );
        }
        assert_eq!(partitions.lookup("r1-0").unwrap().dns_suffix, "x");
    }

    /// The pinned `partitions.json` of smithy-aws-endpoints (shared test data, never a copy in
    /// this repository).
    #[test]
    fn the_pinned_table() {
        let path = smithy_testdata::require("reference/endpoints").join("partitions.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("error: {}: {e}", path.display()));
        let partitions = Partitions::from_json(&text).unwrap();
        for id in ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"] {
            assert!(partitions.ids().any(|i| i == id), "{id}");
        }
        for (region, name, dns_suffix) in [
            ("us-east-1", "aws", "amazonaws.com"),
            ("aws-global", "aws", "amazonaws.com"),
            ("eu-west-3", "aws", "amazonaws.com"),
            // Not listed, matched by a regex: new regions resolve.
            ("us-east-99", "aws", "amazonaws.com"),
            ("ap-future-7", "aws", "amazonaws.com"),
            ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
            ("cn-future-2", "aws-cn", "amazonaws.com.cn"),
            ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
            ("us-gov-future-3", "aws-us-gov", "amazonaws.com"),
            ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
            ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
            // Neither: the aws partition.
            ("local", "aws", "amazonaws.com"),
            ("mars-north-1", "aws", "amazonaws.com"),
            ("", "aws", "amazonaws.com"),
        ] {
            let found = partitions.lookup(region).unwrap();
            assert_eq!(
                (found.name.as_str(), found.dns_suffix.as_str()),
                (name, dns_suffix),
                "{region:?}"
            );
        }
        let cn = partitions.lookup("cn-northwest-1").unwrap();
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        assert_eq!(cn.implicit_global_region, "cn-northwest-1");
    }
}
