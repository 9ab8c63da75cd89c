//! Credentials the selected profile of the shared files describes.
//!
//! The profile is read as a chain, from the selected profile down to a base of credentials:
//! - A profile with `role_arn` assumes that role (STS `AssumeRole`, with `role_session_name`,
//!   `external_id`, `duration_seconds`; `mfa_serial` is refused, as no MFA code can be prompted
//!   for) with the credentials of its `source_profile` (which may
//!   itself assume a role, and so on), or of its `credential_source` (`Environment`,
//!   `Ec2InstanceMetadata`, `EcsContainer`). With `web_identity_token_file` instead, it is the
//!   base: STS `AssumeRoleWithWebIdentity`.
//! - A source profile reached through `source_profile` that has static keys uses them, even
//!   if it has a `role_arn` too; a profile naming itself as its `source_profile` assumes its
//!   role with its own static keys. A loop (`a` → `b` → `a`) is an error naming it.
//! - The base is the profile's static keys (`aws_access_key_id`, `aws_secret_access_key`,
//!   `aws_session_token`), else its `credential_process`.
//!
//! The source is not configured when the shared files do not define the profile selected by
//! default, or that profile has no credentials at all (only a `region`, say); a profile named
//! by `AWS_PROFILE` (or the caller) that does not exist, and anything missing further down a
//! chain, is a failure.

use std::sync::Arc;

use super::sts::{self, RoleRequest};
use super::web_identity::exchange;
use super::{
    CredentialProcess, Credentials, CredentialsError, EcsProvider, EnvironmentProvider,
    ImdsProvider, ProvideCredentials, ProviderConfig,
};
use crate::future::BoxFuture;
use crate::profile::{Profile, ProfileSet};

/// Credentials from the shared `config` and `credentials` files (see the [module](self) docs).
#[derive(Debug, Clone)]
pub struct ProfileProvider {
    config: ProviderConfig,
}

/// Where a chain's first credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    /// Static keys of this profile.
    Static { profile: String },
    /// The `credential_process` of this profile.
    Process { profile: String, command: String },
    /// `AssumeRoleWithWebIdentity` with the token file.
    WebIdentity {
        token_file: String,
        role: RoleRequest,
    },
    /// A `credential_source`.
    Named {
        profile: String,
        source: NamedSource,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// The base, then the roles to assume in order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    base: Base,
    roles: Vec<(String, RoleRequest)>,
}

impl ProfileProvider {
    /// Reads the files `config`'s environment names, for `config`'s profile (else
    /// `AWS_PROFILE`, else `default`).
    pub fn new(config: &ProviderConfig) -> Self {
        ProfileProvider {
            config: config.clone(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let profiles =
            ProfileSet::load_profile(&self.config.env, self.config.profile.as_deref())
                .map_err(|e| CredentialsError::failed("the shared config files", e.to_string()))?;
        let source = format!("profile `{}`", profiles.selected_name());
        let plan = plan(&profiles)?;
        let fail = |why: String| CredentialsError::failed(&source, why);
        let mut credentials = match &plan.base {
            Base::Static { profile } => {
                let profile = profiles
                    .get(profile)
                    .ok_or_else(|| fail(format!("profile `{profile}` vanished")))?;
                static_keys(profile).map_err(fail)?.ok_or_else(|| {
                    fail(format!(
                        "profile `{}` has no aws_access_key_id",
                        profile.name()
                    ))
                })?
            }
            Base::Process { profile, command } => {
                CredentialProcess::new(command.clone(), format!("profile `{profile}`"))
                    .load()
                    .await
                    .map_err(|e| match e {
                        CredentialsError::Failed { message, .. }
                            if profile != profiles.selected_name() =>
                        {
                            fail(format!("the source profile `{profile}`: {message}"))
                        }
                        other => other,
                    })?
            }
            Base::WebIdentity { token_file, role } => {
                exchange(&self.config, &profiles, token_file, role)
                    .await
                    .map_err(fail)?
            }
            Base::Named { profile, source } => {
                let provider: Arc<dyn ProvideCredentials> = match source {
                    NamedSource::Environment => Arc::new(EnvironmentProvider::new(&self.config)),
                    NamedSource::Ec2InstanceMetadata => Arc::new(ImdsProvider::new(&self.config)),
                    NamedSource::EcsContainer => Arc::new(EcsProvider::new(&self.config)),
                };
                provider.provide_credentials().await.map_err(|e| {
                    fail(format!(
                        "the credential_source of profile `{profile}`: {}",
                        e.into_failure()
                    ))
                })?
            }
        };
        for (profile, role) in &plan.roles {
            credentials = sts::assume_role(&self.config, &profiles, &credentials, role)
                .await
                .map_err(|why| fail(format!("the role_arn of profile `{profile}`: {why}")))?;
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The profile's static keys: `Ok(None)` without `aws_access_key_id`, an error with the key ID
/// but no secret.
fn static_keys(profile: &Profile) -> Result<Option<Credentials>, String> {
    let Some(key_id) = profile.get_nonempty("aws_access_key_id") else {
        return Ok(None);
    };
    let secret = profile
        .get_nonempty("aws_secret_access_key")
        .ok_or_else(|| {
            format!(
                "profile `{}` sets aws_access_key_id but not aws_secret_access_key",
                profile.name()
            )
        })?;
    let token = profile
        .get_nonempty("aws_session_token")
        .map(|t| t.trim().to_owned());
    Ok(Some(Credentials::new(key_id.trim(), secret.trim(), token)))
}

/// The role a profile assumes.
fn role_request(profile: &Profile, role_arn: &str) -> Result<RoleRequest, String> {
    if profile.get_nonempty("mfa_serial").is_some() {
        return Err(format!(
            "profile `{}` sets mfa_serial: assuming its role needs an MFA code, which this crate cannot prompt for (use credential_process or temporary keys instead)",
            profile.name()
        ));
    }
    let duration_seconds = match profile.get_nonempty("duration_seconds") {
        Some(text) => Some(text.trim().parse::<i32>().map_err(|_| {
            format!(
                "profile `{}`: duration_seconds `{text}` is not a number of seconds",
                profile.name()
            )
        })?),
        None => None,
    };
    Ok(RoleRequest {
        role_arn: role_arn.trim().to_owned(),
        session_name: profile
            .get_nonempty("role_session_name")
            .map(|s| s.trim().to_owned()),
        external_id: profile
            .get_nonempty("external_id")
            .map(|s| s.trim().to_owned()),
        duration_seconds,
    })
}

/// Walks the chain from the selected profile to its base.
fn plan(profiles: &ProfileSet) -> Result<Plan, CredentialsError> {
    let selected = profiles.selected_name().to_owned();
    let source = format!("profile `{selected}`");
    let fail = |why: String| CredentialsError::failed(&source, why);
    let mut name = selected.clone();
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let base = loop {
        if visited.contains(&name) {
            visited.push(name);
            return Err(fail(format!(
                "the source_profile chain loops: {}",
                visited.join(" -> ")
            )));
        }
        let Some(profile) = profiles.get(&name) else {
            let files = profiles.describe_files();
            return Err(match visited.last() {
                None if !profiles.selected_explicitly() => CredentialsError::not_configured(
                    &source,
                    format!("the shared files define no profile `{name}` ({files})"),
                ),
                None => fail(format!("the shared files define no such profile ({files})")),
                Some(from) => fail(format!(
                    "profile `{from}` has source_profile `{name}`, which the shared files do not define ({files})"
                )),
            });
        };
        let first = visited.is_empty();
        visited.push(name.clone());
        if !first && static_keys(profile).map_err(&fail)?.is_some() {
            break Base::Static { profile: name };
        }
        let Some(role_arn) = profile.get_nonempty("role_arn") else {
            break base_of(profile, first, &source)?;
        };
        let role = role_request(profile, role_arn).map_err(&fail)?;
        let source_profile = profile.get_nonempty("source_profile").map(str::trim);
        let credential_source = profile.get_nonempty("credential_source").map(str::trim);
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(fail(format!(
                    "profile `{name}` sets both source_profile and credential_source: keep one"
                )))
            }
            (None, None) => {
                if let Some(token_file) = profile.get_nonempty("web_identity_token_file") {
                    break Base::WebIdentity {
                        token_file: token_file.trim().to_owned(),
                        role,
                    };
                }
                return Err(fail(format!(
                    "profile `{name}` sets role_arn but neither source_profile, credential_source nor web_identity_token_file"
                )));
            }
            (None, Some(named)) => {
                let named = match named {
                    "Environment" => NamedSource::Environment,
                    "Ec2InstanceMetadata" => NamedSource::Ec2InstanceMetadata,
                    "EcsContainer" => NamedSource::EcsContainer,
                    other => {
                        return Err(fail(format!(
                            "profile `{name}` has credential_source `{other}`: it must be Environment, Ec2InstanceMetadata or EcsContainer"
                        )))
                    }
                };
                roles.push((name.clone(), role));
                break Base::Named {
                    profile: name,
                    source: named,
                };
            }
            (Some(next), None) => {
                roles.push((name.clone(), role));
                if next == name {
                    // Its own static keys assume its role.
                    if static_keys(profile).map_err(&fail)?.is_none() {
                        return Err(fail(format!(
                            "profile `{name}` is its own source_profile but has no aws_access_key_id"
                        )));
                    }
                    break Base::Static { profile: name };
                }
                name = next.to_owned();
            }
        }
    };
    roles.reverse();
    Ok(Plan { base, roles })
}

/// The base of a profile without `role_arn` (or a source profile's without static keys).
fn base_of(profile: &Profile, first: bool, source: &str) -> Result<Base, CredentialsError> {
    let name = profile.name().to_owned();
    if static_keys(profile)
        .map_err(|why| CredentialsError::failed(source, why))?
        .is_some()
    {
        return Ok(Base::Static { profile: name });
    }
    if let Some(command) = profile.get_nonempty("credential_process") {
        return Ok(Base::Process {
            profile: name,
            command: command.trim().to_owned(),
        });
    }
    if profile.get_nonempty("sso_session").is_some()
        || profile.get_nonempty("sso_start_url").is_some()
    {
        return Err(CredentialsError::failed(
            source,
            format!("profile `{name}` uses IAM Identity Center (SSO), which this crate does not support yet"),
        ));
    }
    let why = format!(
        "profile `{name}` has no credentials (no aws_access_key_id, credential_process or role_arn)"
    );
    Err(if first {
        CredentialsError::not_configured(source, why)
    } else {
        CredentialsError::failed(source, why)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(config: &str, credentials: &str, selected: &str) -> Result<Plan, String> {
        let mut set =
            ProfileSet::from_text(Some(config), Some(credentials)).map_err(|e| e.to_string())?;
        set.select(selected);
        plan(&set).map_err(|e| e.to_string())
    }

    fn role(arn: &str) -> RoleRequest {
        RoleRequest {
            role_arn: arn.to_owned(),
            session_name: None,
            external_id: None,
            duration_seconds: None,
        }
    }

    #[test]
    fn chains() {
        let config = "[profile a]\nrole_arn = arn:a\nsource_profile = b\nexternal_id = x\n\
                      [profile b]\nrole_arn = arn:b\nsource_profile = c\n\
                      [profile c]\nrole_arn = arn:c-ignored\n\
                      [profile self]\nrole_arn = arn:self\nsource_profile = self\n\
                      [profile loop1]\nrole_arn = arn:1\nsource_profile = loop2\n\
                      [profile loop2]\nrole_arn = arn:2\nsource_profile = loop1\n\
                      [profile env]\nrole_arn = arn:env\ncredential_source = Environment\n\
                      [profile web]\nrole_arn = arn:web\nweb_identity_token_file = /t\nrole_session_name = s\n\
                      [profile both]\nrole_arn = arn:x\nsource_profile = c\ncredential_source = Environment\n\
                      [profile dangling]\nrole_arn = arn:x\nsource_profile = nowhere\n\
                      [profile bare]\nrole_arn = arn:x\n\
                      [profile proc]\ncredential_process = echo\n\
                      [profile regiononly]\nregion = us-east-1\n\
                      [profile mfa]\nrole_arn = arn:x\nsource_profile = c\nmfa_serial = arn:aws:iam::1:mfa/u\n";
        let credentials = "[c]\naws_access_key_id = C\naws_secret_access_key = S\n\
                           [self]\naws_access_key_id = SELF\naws_secret_access_key = S\n";
        let a = plan_of(config, credentials, "a").expect("a");
        assert_eq!(
            a.base,
            Base::Static {
                profile: "c".into()
            }
        );
        let mut arn_a = role("arn:a");
        arn_a.external_id = Some("x".into());
        assert_eq!(
            a.roles,
            vec![("b".into(), role("arn:b")), ("a".into(), arn_a)]
        );
        let own = plan_of(config, credentials, "self").expect("self");
        assert_eq!(
            own.base,
            Base::Static {
                profile: "self".into()
            }
        );
        assert_eq!(own.roles, vec![("self".into(), role("arn:self"))]);
        assert_eq!(
            plan_of(config, credentials, "loop1").expect_err("loop"),
            "credentials from profile `loop1`: the source_profile chain loops: loop1 -> loop2 -> loop1"
        );
        let env = plan_of(config, credentials, "env").expect("env");
        assert_eq!(
            env.base,
            Base::Named {
                profile: "env".into(),
                source: NamedSource::Environment
            }
        );
        let web = plan_of(config, credentials, "web").expect("web");
        let mut web_role = role("arn:web");
        web_role.session_name = Some("s".into());
        assert_eq!(
            web.base,
            Base::WebIdentity {
                token_file: "/t".into(),
                role: web_role
            }
        );
        assert!(web.roles.is_empty());
        assert!(plan_of(config, credentials, "both")
            .expect_err("both")
            .contains("both source_profile and credential_source"));
        assert!(plan_of(config, credentials, "dangling")
            .expect_err("dangling")
            .contains("profile `dangling` has source_profile `nowhere`, which the shared files do not define"));
        assert!(plan_of(config, credentials, "bare")
            .expect_err("bare")
            .contains("neither source_profile"));
        assert_eq!(
            plan_of(config, credentials, "proc").expect("proc").base,
            Base::Process {
                profile: "proc".into(),
                command: "echo".into()
            }
        );
        assert!(plan_of(config, credentials, "mfa")
            .expect_err("mfa")
            .contains("profile `mfa` sets mfa_serial: assuming its role needs an MFA code"));
        assert_eq!(
            plan_of(config, credentials, "regiononly").expect_err("region only"),
            "credentials from profile `regiononly`: profile `regiononly` has no credentials (no aws_access_key_id, credential_process or role_arn)"
        );
    }
}
