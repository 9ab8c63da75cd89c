//! S3's signing rules and the redaction of secrets.
