//! The shared `config` and `credentials` files, as the AWS SDKs and the CLI read them.
//!
//! - Where: `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
//!   (default `~/.aws/credentials`); a leading `~` is the home directory. A file that does not
//!   exist is no error: it has no profiles.
//! - Which profile: `AWS_PROFILE`, else `default` (or the name a caller gives).
//! - Section names: in `config`, `[default]` and `[profile name]` (`[profile default]` too,
//!   which wins over a `[default]` in the same file); `[sso-session name]` and `[services name]`
//!   are sections of their own. In `credentials`, `[name]`. Other headers (`[name]` in
//!   `config`, `[profile name]` in `credentials`) and names with characters outside
//!   `A-Z a-z 0-9 _ - / . % @ : +` are ignored, as the SDKs ignore them.
//! - A profile named in both files, or twice in one, merges its properties: a later one wins
//!   within a file, and the `credentials` file wins over `config`.
//!
//! The syntax is in [`parse`](self) (comments, continuation lines); a syntax error is one
//! line naming the file and the line ([`ProfileFileError`]).

mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use parse::ProfileFileError;
use parse::RawSection;

use crate::env::Env;

/// One profile: its properties by name.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
}

impl Profile {
    /// The profile's name (`default`, `dev`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The property `name` (`region`, `role_arn`), if set. An empty value counts as set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str)
    }

    /// The property `name` if it is set to something other than blank.
    pub fn get_nonempty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// The sub-property `sub` of the property `name` (`s3 =` then `  addressing_style = path`).
    pub fn sub_property(&self, name: &str, sub: &str) -> Option<&str> {
        sub_property(self.get(name)?, sub)
    }

    /// The names of the properties set.
    pub fn property_names(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }
}

/// `sub`'s value among the `key = value` lines of a property's value.
fn sub_property<'a>(value: &'a str, sub: &str) -> Option<&'a str> {
    value.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == sub).then(|| value.trim())
    })
}

impl fmt::Debug for Profile {
    /// The property names only: values such as `aws_secret_access_key` are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &self.properties.keys())
            .finish()
    }
}

/// Whether a shared file was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Which file (`config` or `credentials`).
    pub kind: FileKind,
    /// Its path, `~` expanded; `None` when it needed a home directory and there is none.
    pub path: Option<PathBuf>,
    /// Whether it exists (and was read).
    pub found: bool,
}

/// The two shared files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `config`: `[default]`, `[profile name]`, `[sso-session name]`, `[services name]`.
    Config,
    /// `credentials`: `[name]`.
    Credentials,
}

/// Every profile of the shared files, and which one is selected.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    services: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    selected: String,
    selected_explicitly: bool,
    files: Vec<SourceFile>,
}

impl ProfileSet {
    /// Reads the shared files the environment names, selecting `AWS_PROFILE` (else `default`).
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileFileError> {
        Self::load_profile(env, None)
    }

    /// As [`ProfileSet::load`], selecting `profile` when given (instead of `AWS_PROFILE`).
    pub fn load_profile(env: &Env, profile: Option<&str>) -> Result<ProfileSet, ProfileFileError> {
        let config = file_path(env, "AWS_CONFIG_FILE", "config");
        let credentials = file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let selected = profile
            .map(str::to_owned)
            .or_else(|| env.get("AWS_PROFILE"));
        let mut set = Self::from_files(config.as_deref(), credentials.as_deref())?;
        set.selected_explicitly = selected.is_some();
        set.selected = selected.unwrap_or_else(|| "default".to_owned());
        Ok(set)
    }

    /// Reads these files (either may be absent), selecting `default`.
    pub fn from_files(
        config: Option<&Path>,
        credentials: Option<&Path>,
    ) -> Result<ProfileSet, ProfileFileError> {
        let mut set = ProfileSet {
            selected: "default".to_owned(),
            ..ProfileSet::default()
        };
        for (kind, path) in [
            (FileKind::Config, config),
            (FileKind::Credentials, credentials),
        ] {
            let text = match path {
                Some(path) => read(path)?,
                None => None,
            };
            set.files.push(SourceFile {
                kind,
                path: path.map(Path::to_owned),
                found: text.is_some(),
            });
            if let (Some(text), Some(path)) = (text, path) {
                set.add(kind, &parse::parse(&text, path)?);
            }
        }
        Ok(set)
    }

    /// Parses the text of the files (for programs holding them in memory), selecting `default`;
    /// `None` is an absent file.
    pub fn from_text(
        config: Option<&str>,
        credentials: Option<&str>,
    ) -> Result<ProfileSet, ProfileFileError> {
        let mut set = ProfileSet {
            selected: "default".to_owned(),
            ..ProfileSet::default()
        };
        for (kind, text, name) in [
            (FileKind::Config, config, "config"),
            (FileKind::Credentials, credentials, "credentials"),
        ] {
            set.files.push(SourceFile {
                kind,
                path: Some(PathBuf::from(name)),
                found: text.is_some(),
            });
            if let Some(text) = text {
                set.add(kind, &parse::parse(text, Path::new(name))?);
            }
        }
        Ok(set)
    }

    /// Merges a parsed file in: later sections win over earlier ones, and this file over the
    /// ones added before.
    fn add(&mut self, kind: FileKind, sections: &[RawSection]) {
        let has_profile_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|s| profile_header(&s.header) == Some("default"));
        for section in sections {
            let header = section.header.as_str();
            let (map, name) = match kind {
                FileKind::Credentials => {
                    if header.starts_with("profile ") || header.starts_with("profile\t") {
                        continue;
                    }
                    (&mut self.profiles, header)
                }
                FileKind::Config => {
                    if header == "default" {
                        if has_profile_default {
                            continue;
                        }
                        (&mut self.profiles, "default")
                    } else if let Some(name) = profile_header(header) {
                        (&mut self.profiles, name)
                    } else if let Some(name) = prefixed(header, "sso-session") {
                        (&mut self.sso_sessions, name)
                    } else if let Some(name) = prefixed(header, "services") {
                        (&mut self.services, name)
                    } else {
                        continue;
                    }
                }
            };
            if !valid_name(name) {
                continue;
            }
            let profile = map.entry(name.to_owned()).or_insert_with(|| Profile {
                name: name.to_owned(),
                properties: BTreeMap::new(),
            });
            for (key, value) in &section.properties {
                profile.properties.insert(key.clone(), value.clone());
            }
        }
    }

    /// The selected profile's name.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// Whether the profile was selected by name (`AWS_PROFILE` or the caller), not by default:
    /// then its absence is an error, not a source to skip.
    pub fn selected_explicitly(&self) -> bool {
        self.selected_explicitly
    }

    /// Selects another profile.
    pub fn select(&mut self, name: &str) {
        self.selected = name.to_owned();
        self.selected_explicitly = true;
    }

    /// The selected profile, if the files define it.
    pub fn selected(&self) -> Option<&Profile> {
        self.get(&self.selected)
    }

    /// The profile `name`, if the files define it.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of every profile.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The `[services name]` section `name`.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// The `[sso-session name]` section `name`.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The files read (or looked for).
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The files, for a message: `/h/.aws/config, /h/.aws/credentials (absent)`.
    pub fn describe_files(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|file| match (&file.path, file.found) {
                (Some(path), true) => path.display().to_string(),
                (Some(path), false) => format!("{} (absent)", path.display()),
                (None, _) => format!(
                    "the {} file (no home directory to find it in)",
                    match file.kind {
                        FileKind::Config => "config",
                        FileKind::Credentials => "credentials",
                    }
                ),
            })
            .collect();
        parts.join(", ")
    }

    /// A property of the selected profile, if the profile and the property are there.
    pub fn selected_property(&self, name: &str) -> Option<&str> {
        self.selected()?.get_nonempty(name)
    }
}

/// The file the variable `var` names, else `~/.aws/{default_name}`.
fn file_path(env: &Env, var: &str, default_name: &str) -> Option<PathBuf> {
    match env.get(var) {
        Some(path) => env.expand_home(&path),
        None => env
            .home_dir()
            .map(|home| home.join(".aws").join(default_name)),
    }
}

/// The file's text; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, ProfileFileError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| ProfileFileError {
                path: path.to_owned(),
                line: None,
                message: format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ProfileFileError {
            path: path.to_owned(),
            line: None,
            message: format!("cannot be read: {e}"),
        }),
    }
}

/// The name in `profile name` (whitespace after `profile`), if it is one.
fn profile_header(header: &str) -> Option<&str> {
    prefixed(header, "profile")
}

/// The name after `prefix` and whitespace.
fn prefixed<'a>(header: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(prefix)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim())
}

/// Whether a profile name has only the characters the SDKs allow.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-/.%@:+".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: Option<&str>, credentials: Option<&str>) -> ProfileSet {
        match ProfileSet::from_text(config, credentials) {
            Ok(set) => set,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn config_and_credentials_names_and_precedence() {
        let config = "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-west-1\n\
                      aws_access_key_id = FROM_CONFIG\n[dev]\nregion = ignored\n\
                      [profile bad name]\nregion = x\n[sso-session s]\nsso_region = us-east-1\n\
                      [services svc]\nsts =\n  endpoint_url = http://127.0.0.1:1\n";
        let credentials = "[dev]\naws_access_key_id = FROM_CREDENTIALS\n\
                           [profile other]\naws_access_key_id = ignored\n";
        let set = set(Some(config), Some(credentials));
        let dev = set.get("dev").expect("dev");
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("aws_access_key_id"), Some("FROM_CREDENTIALS"));
        assert_eq!(
            set.get("default").and_then(|p| p.get("region")),
            Some("us-west-2")
        );
        assert!(set.get("other").is_none());
        assert!(set.get("profile other").is_none());
        assert_eq!(set.profile_names().collect::<Vec<_>>(), ["default", "dev"]);
        assert_eq!(
            set.sso_session("s").and_then(|p| p.get("sso_region")),
            Some("us-east-1")
        );
        assert_eq!(
            set.services("svc")
                .and_then(|p| p.sub_property("sts", "endpoint_url")),
            Some("http://127.0.0.1:1")
        );
        let debug = format!("{dev:?}");
        assert!(!debug.contains("FROM_CREDENTIALS"), "{debug}");
    }

    #[test]
    fn profile_default_wins_over_bare_default_and_repeats_merge() {
        let config = "[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n\
                      [profile x]\nregion = 1\n[profile x]\noutput = text\nregion = 2\n";
        let set = set(Some(config), None);
        let default = set.get("default").expect("default");
        assert_eq!(default.get("region"), Some("b"));
        assert_eq!(default.get("output"), None);
        let x = set.get("x").expect("x");
        assert_eq!(
            (x.get("region"), x.get("output")),
            (Some("2"), Some("text"))
        );
    }

    #[test]
    fn files_from_the_environment() {
        let dir =
            std::env::temp_dir().join(format!("smithy-client-profile-{}", std::process::id()));
        let aws = dir.join(".aws");
        std::fs::create_dir_all(&aws).expect("dir");
        std::fs::write(aws.join("config"), "[profile p]\nregion = eu-north-1\n").expect("write");
        let env = Env::from_vars([("HOME", dir.to_str().expect("utf-8")), ("AWS_PROFILE", "p")]);
        let set = ProfileSet::load(&env).expect("loads");
        assert_eq!(set.selected_name(), "p");
        assert!(set.selected_explicitly());
        assert_eq!(set.selected_property("region"), Some("eu-north-1"));
        assert_eq!(
            set.describe_files(),
            format!(
                "{}, {} (absent)",
                aws.join("config").display(),
                aws.join("credentials").display()
            )
        );
        let env = Env::from_vars([
            ("HOME", dir.to_str().expect("utf-8")),
            ("AWS_CONFIG_FILE", "~/elsewhere"),
        ]);
        let set = ProfileSet::load(&env).expect("loads");
        assert_eq!(set.selected_name(), "default");
        assert!(!set.files()[0].found);
        assert_eq!(set.files()[0].path, Some(dir.join("elsewhere")));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
