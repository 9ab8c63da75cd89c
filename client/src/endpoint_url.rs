//! Endpoint URLs configured outside the code, as the AWS SDKs read them ("service-specific
//! endpoints"): `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_STS`), then `AWS_ENDPOINT_URL`,
//! then the selected profile's `services` section (`[services name]` with `sts =` and
//! `  endpoint_url = ...` under it), then the profile's `endpoint_url`. All of them are ignored
//! when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
//! `ignore_configured_endpoint_urls`) is true.

use crate::env::Env;
use crate::profile::ProfileSet;

/// The configured endpoint URL of the service whose SDK service ID is `service_id` (`STS`,
/// `ECR`, `Secrets Manager`), if any.
pub fn configured(env: &Env, profiles: &ProfileSet, service_id: &str) -> Option<String> {
    let ignore = env.is_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        || profiles
            .selected_property("ignore_configured_endpoint_urls")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignore {
        return None;
    }
    let env_name = service_id
        .trim()
        .replace([' ', '-'], "_")
        .to_ascii_uppercase();
    let key = service_id
        .trim()
        .replace([' ', '-'], "_")
        .to_ascii_lowercase();
    env.get(&format!("AWS_ENDPOINT_URL_{env_name}"))
        .or_else(|| env.get("AWS_ENDPOINT_URL"))
        .or_else(|| {
            let services = profiles.selected_property("services")?;
            let section = profiles.services(services.trim())?;
            section
                .sub_property(&key, "endpoint_url")
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        })
        .or_else(|| {
            profiles
                .selected_property("endpoint_url")
                .map(str::to_owned)
        })
        .map(|url| url.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order() {
        let config = "[default]\nendpoint_url = http://profile\nservices = local\n\
                      [services local]\nsts =\n  endpoint_url = http://services\n";
        let profiles = ProfileSet::from_text(Some(config), None).expect("parses");
        let none = Env::from_vars([("X", "y")]);
        assert_eq!(
            configured(&none, &profiles, "STS").as_deref(),
            Some("http://services")
        );
        assert_eq!(
            configured(&none, &profiles, "ECR").as_deref(),
            Some("http://profile")
        );
        let env = Env::from_vars([("AWS_ENDPOINT_URL", "http://all")]);
        assert_eq!(
            configured(&env, &profiles, "STS").as_deref(),
            Some("http://all")
        );
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL", "http://all"),
            ("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm"),
        ]);
        assert_eq!(
            configured(&env, &profiles, "Secrets Manager").as_deref(),
            Some("http://sm")
        );
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL", "http://all"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(configured(&env, &profiles, "STS"), None);
    }
}
