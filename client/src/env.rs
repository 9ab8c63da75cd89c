//! Where providers read environment variables from: the process environment, or a map a test
//! (or a program configuring a client for someone else) gives.
//!
//! Every provider of this crate reads the environment through an [`Env`], never through
//! `std::env` directly, so tests run in parallel without touching the process environment.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A source of environment variables.
///
/// A variable set to the empty string counts as unset, as the AWS SDKs treat it (`export
/// AWS_PROFILE=` turns the variable off).
#[derive(Clone)]
pub struct Env {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Process,
    Map(Arc<BTreeMap<String, String>>),
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env {
            source: Source::Process,
        }
    }

    /// Exactly these variables, and no others.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            source: Source::Map(Arc::new(map)),
        }
    }

    /// The variable `name`, if it is set to something other than the empty string (or is not
    /// valid Unicode).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            Source::Process => std::env::var(name).ok(),
            Source::Map(map) => map.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether the variable `name` is `true` (compared case-insensitively, as the SDKs compare
    /// `AWS_EC2_METADATA_DISABLED`).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The user's home directory: `HOME`, else on Windows `USERPROFILE`, then `HOMEDRIVE` with
    /// `HOMEPATH`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME") {
            return Some(PathBuf::from(home));
        }
        if cfg!(windows) {
            if let Some(profile) = self.get("USERPROFILE") {
                return Some(PathBuf::from(profile));
            }
            if let (Some(drive), Some(path)) = (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
                return Some(PathBuf::from(format!("{drive}{path}")));
            }
        }
        None
    }

    /// `path` with a leading `~` (alone, or followed by `/`, or `\` on Windows) replaced by the
    /// home directory; other paths as they are. `None` when the path needs a home directory and
    /// there is none.
    pub fn expand_home(&self, path: &str) -> Option<PathBuf> {
        let rest = match path.strip_prefix('~') {
            Some(rest) => rest,
            None => return Some(PathBuf::from(path)),
        };
        let separator = rest.starts_with('/') || (cfg!(windows) && rest.starts_with('\\'));
        if !rest.is_empty() && !separator {
            // `~user/...`: not a home-relative path the SDKs expand.
            return Some(PathBuf::from(path));
        }
        let home = self.home_dir()?;
        let rest = rest.trim_start_matches(['/', '\\']);
        Some(if rest.is_empty() {
            home
        } else {
            home.join(rest)
        })
    }
}

impl fmt::Debug for Env {
    /// The variables' names only: their values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Process => f.write_str("Env(process)"),
            Source::Map(map) => f.debug_tuple("Env").field(&map.keys()).finish(),
        }
    }
}

impl Default for Env {
    /// The process environment.
    fn default() -> Self {
        Env::process()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_home() {
        let env = Env::from_vars([("HOME", "/home/u"), ("EMPTY", ""), ("FLAG", " TRUE ")]);
        assert_eq!(env.get("HOME").as_deref(), Some("/home/u"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("MISSING"), None);
        assert!(env.is_true("FLAG"));
        assert!(!env.is_true("HOME"));
        assert_eq!(
            env.expand_home("~/.aws/config"),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        assert_eq!(env.expand_home("~"), Some(PathBuf::from("/home/u")));
        assert_eq!(env.expand_home("/etc/x"), Some(PathBuf::from("/etc/x")));
        assert_eq!(env.expand_home("~bob/x"), Some(PathBuf::from("~bob/x")));
        assert_eq!(Env::from_vars([("A", "b")]).expand_home("~/x"), None);
        let debug = format!(
            "{:?}",
            Env::from_vars([("AWS_SECRET_ACCESS_KEY", "s3cr3t")])
        );
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}
