//! The AWS SDKs' service customizations: behaviour a service's requests need that its Smithy
//! model does not state, applied by every AWS SDK. One place, keyed by service shape ID; the
//! protocol code knows nothing of them and emits what [`Customizations`] says.

use crate::model::{traits, Model, Shape};

/// What an operation's requests need beyond its model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customizations {
    /// Headers every request sends.
    pub headers: Vec<(String, String)>,
    /// `@httpLabel` members whose unset or empty value is replaced: (member, value).
    pub label_defaults: Vec<(String, String)>,
    /// Glacier's `X-Amz-Content-Sha256` and `X-Amz-Sha256-Tree-Hash` of the payload.
    pub glacier_checksums: bool,
    /// An input member holding the endpoint the request goes to (Machine Learning's
    /// `PredictEndpoint`).
    pub endpoint_member: Option<String>,
    /// S3's bucket: the `@httpLabel` member (`Bucket`) that opens the URI is left out of the
    /// request's path (only checked as a label is); the endpoint rules put the bucket in the
    /// host (`mybucket.s3...`) or in the endpoint's path (path-style addressing).
    pub s3_bucket: Option<String>,
}

const GLACIER: &str = "com.amazonaws.glacier#Glacier";
const API_GATEWAY: &str = "com.amazonaws.apigateway#BackplaneControlService";
const MACHINE_LEARNING: &str = "com.amazonaws.machinelearning#AmazonML_20141212";
const S3: &str = "com.amazonaws.s3#AmazonS3";

/// The customizations of `operation` of `service`.
pub fn for_operation(model: &Model, service: &Shape, operation: &Shape) -> Customizations {
    let mut out = Customizations::default();
    let input = operation.input.as_deref().and_then(|id| model.shape(id));
    match service.id.as_str() {
        // Every request names the API version; the account id defaults to `-` (the caller's);
        // uploads carry the SHA-256 of the payload and its tree hash.
        GLACIER => {
            if let Some(version) = &service.version {
                out.headers.push(("X-Amz-Glacier-Version".to_owned(), version.clone()));
            }
            if input.and_then(|i| i.member("accountId")).is_some_and(|m| m.has_trait(traits::HTTP_LABEL)) {
                out.label_defaults.push(("accountId".to_owned(), "-".to_owned()));
            }
            let blob_payload = input.is_some_and(|i| {
                i.members.iter().any(|m| {
                    m.has_trait(traits::HTTP_PAYLOAD)
                        && model.shape(&m.target).is_some_and(|t| t.kind == crate::model::ShapeKind::Blob)
                })
            });
            out.glacier_checksums = blob_payload;
        }
        // API Gateway answers JSON only when asked for it.
        API_GATEWAY => out.headers.push(("Accept".to_owned(), "application/json".to_owned())),
        // `Predict` goes to the endpoint its input names.
        MACHINE_LEARNING if operation.name() == "Predict" => {
            out.endpoint_member = input.and_then(|i| i.member("PredictEndpoint")).map(|m| m.name.clone());
        }
        // Buckets are addressed by the endpoint rules (`Bucket` is a `@contextParam`), in the
        // host or in the endpoint's path: the request's path leaves them out.
        S3 => {
            let uri = operation.traits.get(traits::HTTP).and_then(|h| h.get("uri")).and_then(serde_json::Value::as_str);
            if uri.is_some_and(|u| u == "/{Bucket}" || u.starts_with("/{Bucket}/") || u.starts_with("/{Bucket}?")) {
                out.s3_bucket = Some("Bucket".to_owned());
            }
        }
        _ => {}
    }
    out
}
