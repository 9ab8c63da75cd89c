//! The JSON credentials documents of the ECS endpoint, the instance metadata service and
//! `credential_process`. Errors name the field at fault, never a value (they are secrets).

use std::time::SystemTime;

use smithy_runtime::serde_json::{self, Map, Value};
use smithy_runtime::Timestamp;

use super::Credentials;

/// The field names of one kind of document.
pub(crate) struct Fields {
    /// The session token's field (`Token` for ECS and IMDS, `SessionToken` for
    /// `credential_process`).
    pub token: &'static str,
    /// Whether the token is required.
    pub token_required: bool,
    /// Whether `Expiration` is required.
    pub expiration_required: bool,
}

/// ECS and IMDS: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
pub(crate) const METADATA: Fields = Fields {
    token: "Token",
    token_required: true,
    expiration_required: true,
};

/// `credential_process`: `Version` 1, `AccessKeyId`, `SecretAccessKey`, and optionally
/// `SessionToken` and `Expiration` (absent: the credentials do not expire).
pub(crate) const PROCESS: Fields = Fields {
    token: "SessionToken",
    token_required: false,
    expiration_required: false,
};

/// The document as an object, or why not.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the credentials document is not a JSON object".to_owned()),
        Err(e) => Err(format!(
            "the credentials document is not JSON (line {}, column {})",
            e.line(),
            e.column()
        )),
    }
}

/// A string field: `Ok(None)` when absent or null.
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    field: &str,
) -> Result<Option<&'a str>, String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{field}` is not a string")),
    }
}

fn required<'a>(map: &'a Map<String, Value>, field: &str) -> Result<&'a str, String> {
    string(map, field)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("`{field}` is missing"))
}

/// An RFC 3339 time.
pub(crate) fn parse_time(text: &str, field: &str) -> Result<SystemTime, String> {
    Timestamp::parse_date_time(text)
        .and_then(|t| SystemTime::try_from(t).ok())
        .ok_or_else(|| format!("`{field}` is not an RFC 3339 date-time: {text:?}"))
}

/// The credentials of a document with `fields`.
pub(crate) fn credentials(
    map: &Map<String, Value>,
    fields: &Fields,
) -> Result<Credentials, String> {
    let key_id = required(map, "AccessKeyId")?;
    let secret = required(map, "SecretAccessKey")?;
    let token = if fields.token_required {
        Some(required(map, fields.token)?)
    } else {
        string(map, fields.token)?.filter(|t| !t.is_empty())
    };
    let expiration = match string(map, "Expiration")? {
        Some(text) => Some(parse_time(text, "Expiration")?),
        None if fields.expiration_required => return Err("`Expiration` is missing".to_owned()),
        None => None,
    };
    let credentials = Credentials::new(key_id, secret, token.map(str::to_owned));
    Ok(match expiration {
        Some(at) => credentials.with_expiry(at),
        None => credentials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let body = br#"{"AccessKeyId":"AKID","SecretAccessKey":"S","Token":"T","Expiration":"2030-01-01T00:00:00Z"}"#;
        let credentials =
            credentials(&object(body).expect("object"), &METADATA).expect("credentials");
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(
            credentials.expires_at(),
            SystemTime::try_from(Timestamp::from_epoch_seconds(1_893_456_000)).ok()
        );
        let no_token = object(
            br#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-01T00:00:00Z"}"#,
        )
        .expect("object");
        assert_eq!(
            super::credentials(&no_token, &METADATA).expect_err("token"),
            "`Token` is missing"
        );
        let process =
            object(br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}"#).expect("object");
        assert_eq!(
            super::credentials(&process, &PROCESS)
                .expect("ok")
                .expires_at(),
            None
        );
        let bad_time = object(br#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}"#)
            .expect("object");
        assert_eq!(
            super::credentials(&bad_time, &PROCESS).expect_err("time"),
            "`Expiration` is not an RFC 3339 date-time: \"soon\""
        );
        assert!(object(b"[1]").is_err());
        let secret_in_error = object(b"{\"SecretAccessKey\": \"hunter2\"").expect_err("truncated");
        assert!(!secret_in_error.contains("hunter2"), "{secret_in_error}");
    }
}
