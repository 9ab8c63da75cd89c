//! One call of an operation of any generated crate, over any [`HttpTransport`]: the request
//! for the input, sent to the resolved endpoint, signed, sent, and the response decoded into
//! the output or the operation's error enum.
//!
//! This is the call path the client builds on: the credentials providers' STS calls go
//! through it. Resolving the endpoint stays with the caller (each generated crate has its own
//! `endpoint::resolve` and `Op::endpoint_params`), as does choosing how to sign; the rest is
//! generic over the runtime's [`EncodeRequest`].

use std::fmt;
use std::time::SystemTime;

use smithy_runtime::auth;
use smithy_runtime::endpoint::{self, Endpoint};
use smithy_runtime::operation::EncodeRequest;
use smithy_runtime::sigv4::Credentials;

use crate::transport::{HttpTransport, TransportError};

/// Why a call gave no output.
#[derive(Debug)]
pub enum CallError<E> {
    /// The request could not be built or signed (an input member at fault, a signing error).
    Build {
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The request got no response.
    Transport {
        /// The operation.
        operation: &'static str,
        /// Why.
        error: TransportError,
    },
    /// The service answered with an error (or a response that does not decode: the error
    /// enum's malformed case).
    Service {
        /// The operation.
        operation: &'static str,
        /// The operation's error.
        error: E,
    },
}

impl<E> CallError<E> {
    /// The operation's error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            CallError::Service { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Build { operation, message } => {
                write!(f, "{operation}: the request could not be built: {message}")
            }
            CallError::Transport { operation, error } => write!(f, "{operation}: {error}"),
            CallError::Service { operation, error } => write!(f, "{operation}: {error}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for CallError<E> {}

/// Calls `Op` with `input` at `endpoint`: encodes the request, makes it the one to send there
/// ([`endpoint::finish`]: the absolute URL, the endpoint's headers), signs it as the
/// operation's model and the endpoint's `authSchemes` say ([`auth::sign`]: in `region`, with
/// `credentials` at `time`; an `@optionalAuth` operation given no credentials goes unsigned),
/// sends it through `transport` and decodes the response.
pub async fn send<Op>(
    transport: &dyn HttpTransport,
    input: &Op::Input,
    endpoint: &Endpoint,
    region: Option<&str>,
    credentials: Option<&Credentials>,
    time: SystemTime,
) -> Result<Op::Output, CallError<Op::Error>>
where
    Op: EncodeRequest,
    Op::Input: Sync,
{
    let build = |message: String| CallError::Build {
        operation: Op::NAME,
        message,
    };
    let mut request = Op::encode_request(input).map_err(|e| build(e.to_string()))?;
    endpoint::finish(&mut request, endpoint);
    auth::sign::<Op>(&mut request, endpoint, region, credentials, time)
        .map_err(|e| build(e.message().to_owned()))?;
    let response = transport
        .send(request)
        .await
        .map_err(|error| CallError::Transport {
            operation: Op::NAME,
            error,
        })?;
    response
        .view(|response| Op::decode_response(response))
        .map_err(|error| CallError::Service {
            operation: Op::NAME,
            error,
        })
}
