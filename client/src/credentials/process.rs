//! `credential_process`: a command whose standard output is a JSON credentials document
//! (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optionally `SessionToken` and `Expiration`).
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd.exe /C` on Windows), as the SDKs
//! run it, with the caller's standard error (so a prompt it prints reaches the user) and no
//! standard input. Errors say what went wrong without repeating the output or the command
//! line, either of which may hold a secret.

use std::process::{Command, Stdio};

use smithy_runtime::serde_json::Value;

use super::{document, Credentials, CredentialsError, ProvideCredentials};
use crate::future::{offload, BoxFuture};

/// Credentials from running a command.
#[derive(Clone)]
pub struct CredentialProcess {
    command: String,
    source: String,
}

impl std::fmt::Debug for CredentialProcess {
    /// The source only: a command line may hold a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialProcess")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl CredentialProcess {
    /// Runs `command`; errors name `source` (`profile \`dev\``).
    pub fn new(command: impl Into<String>, source: impl Into<String>) -> Self {
        CredentialProcess {
            command: command.into(),
            source: source.into(),
        }
    }

    /// Runs the command and reads its credentials.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let command = self.command.clone();
        let fail = |message: String| CredentialsError::failed(&self.source, message);
        let output = offload(move || shell(&command).output())
            .await
            .map_err(|e| fail(format!("credential_process: {e}")))?
            .map_err(|e| fail(format!("credential_process could not be started: {e}")))?;
        if !output.status.success() {
            return Err(fail(format!(
                "credential_process exited with {} (its standard error, if any, is shown above)",
                output.status
            )));
        }
        parse(&output.stdout).map_err(|why| fail(format!("credential_process output: {why}")))
    }
}

/// The command run through the platform's shell.
fn shell(command: &str) -> Command {
    let mut process = if cfg!(windows) {
        let mut process = Command::new("cmd.exe");
        process.arg("/C").arg(command);
        process
    } else {
        let mut process = Command::new("sh");
        process.arg("-c").arg(command);
        process
    };
    process
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    process
}

/// The credentials of the process's output.
fn parse(stdout: &[u8]) -> Result<Credentials, String> {
    let map = document::object(stdout)?;
    match map.get("Version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(Value::Number(n)) => return Err(format!("`Version` is {n}, only 1 is supported")),
        Some(_) => return Err("`Version` is not a number".to_owned()),
        None => return Err("`Version` is missing (it must be 1)".to_owned()),
    }
    document::credentials(&map, &document::PROCESS)
}

impl ProvideCredentials for CredentialProcess {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(parse(br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}"#).is_ok());
        assert_eq!(
            parse(br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}"#).expect_err("v2"),
            "`Version` is 2, only 1 is supported"
        );
        assert_eq!(
            parse(br#"{"AccessKeyId":"A","SecretAccessKey":"S"}"#).expect_err("none"),
            "`Version` is missing (it must be 1)"
        );
    }
}
