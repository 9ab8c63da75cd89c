//! The region, as the AWS SDKs find it: `AWS_REGION`, then `AWS_DEFAULT_REGION` (which the
//! CLI and several SDKs read too), then the selected profile's `region`.

use crate::env::Env;
use crate::profile::{ProfileFileError, ProfileSet};

/// Where a region came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionSource {
    /// `AWS_REGION`.
    AwsRegion,
    /// `AWS_DEFAULT_REGION`.
    AwsDefaultRegion,
    /// The selected profile's `region`.
    Profile,
}

/// A region and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The region (`us-east-1`).
    pub name: String,
    /// Where it was found.
    pub source: RegionSource,
}

/// The region of the environment, else of the profile selected in `profiles`.
pub fn from_sources(env: &Env, profiles: &ProfileSet) -> Option<Region> {
    let found = |name: String, source| {
        let name = name.trim().to_owned();
        (!name.is_empty()).then_some(Region { name, source })
    };
    env.get("AWS_REGION")
        .and_then(|r| found(r, RegionSource::AwsRegion))
        .or_else(|| {
            env.get("AWS_DEFAULT_REGION")
                .and_then(|r| found(r, RegionSource::AwsDefaultRegion))
        })
        .or_else(|| {
            profiles
                .selected_property("region")
                .and_then(|r| found(r.to_owned(), RegionSource::Profile))
        })
}

/// The region of the environment, else of the profile `profile` (else `AWS_PROFILE`, else
/// `default`) in the shared files the environment names. The files are read only when the
/// environment gives no region; one with a syntax error is an error.
pub fn from_env(env: &Env, profile: Option<&str>) -> Result<Option<Region>, ProfileFileError> {
    if let Some(region) = from_sources(env, &ProfileSet::default()) {
        return Ok(Some(region));
    }
    let profiles = ProfileSet::load_profile(env, profile)?;
    Ok(from_sources(env, &profiles))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order() {
        let profiles =
            ProfileSet::from_text(Some("[default]\nregion = eu-west-3\n"), None).expect("parses");
        let env = Env::from_vars([
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "ap-south-1"),
        ]);
        let region = from_sources(&env, &profiles).expect("region");
        assert_eq!(
            (region.name.as_str(), region.source),
            ("us-west-2", RegionSource::AwsRegion)
        );
        let env = Env::from_vars([("AWS_DEFAULT_REGION", "ap-south-1")]);
        assert_eq!(
            from_sources(&env, &profiles).map(|r| r.name).as_deref(),
            Some("ap-south-1")
        );
        let region = from_sources(&Env::from_vars([("X", "y")]), &profiles).expect("profile");
        assert_eq!(
            (region.name.as_str(), region.source),
            ("eu-west-3", RegionSource::Profile)
        );
        assert_eq!(
            from_sources(&Env::from_vars([("X", "y")]), &ProfileSet::default()),
            None
        );
    }
}
