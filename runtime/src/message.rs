//! What the decoders of every format share about error messages: a leaf module, so that
//! [`json`](crate::json), `xml` and [`error`](crate::error) all read it
//! without importing one another.

/// The member names an error message goes by.
pub const MESSAGE_KEYS: [&str; 3] = ["message", "Message", "errorMessage"];
