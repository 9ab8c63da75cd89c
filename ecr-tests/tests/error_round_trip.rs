//! Property: a decoded error structure, rendered to a value tree and then to JSON, decodes
//! back to an equal value. Inputs are random JSON bodies, so decoding itself is exercised on
//! hostile shapes too (it must never panic).

use proptest::prelude::*;
use serde_json::{Map, Value as Json};
use smithy_runtime::json::FromJson;
use smithy_runtime::ToValue;

/// Member keys the bodies draw from: every member of ECR's and the `shapes` fixture's error
/// structures, plus keys no structure has.
const KEYS: &[&str] = &[
    "message", "Message", "errorMessage", "kmsError", "lastValidByteReceived", "registryId",
    "repositoryName", "uploadId", "resourceId", "ResourceId", "when", "tree", "color", "level",
    "names", "leaf", "branch", "left", "right", "empty", "__type", "unrelated",
];

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        (-1.0e12f64..1.0e12).prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        ".{0,12}".prop_map(Json::String),
        prop_oneof![Just("RED"), Just("dark-green"), Just("2014-04-29T18:30:38Z"), Just("aGk=")]
            .prop_map(|s| Json::String(s.to_owned())),
    ]
}

fn json() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|entries| {
                Json::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Json> {
    prop::collection::vec((prop::sample::select(KEYS), json()), 0..8)
        .prop_map(|entries| Json::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

fn round_trip<T: FromJson + ToValue + PartialEq + std::fmt::Debug>(body: &Json) -> Result<(), TestCaseError> {
    let Ok(first) = T::from_json(body) else { return Ok(()) };
    let rendered = first.to_value().to_json();
    let second = T::from_json(&rendered);
    prop_assert_eq!(Ok(&first), second.as_ref(), "rendered as {}", rendered);
    Ok(())
}

macro_rules! round_trips {
    ($body:expr, $($ty:ty),* $(,)?) => {
        $( round_trip::<$ty>($body)?; )*
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn ecr_error_structures_round_trip(body in body()) {
        use ecr::*;
        round_trips!(&body,
        BlockedByOrganizationPolicyException,
        EmptyUploadException,
        ExclusionAlreadyExistsException,
        ExclusionNotFoundException,
        ImageAlreadyExistsException,
        ImageArchivedException,
        ImageDigestDoesNotMatchException,
        ImageNotFoundException,
        ImageStorageClassUpdateNotSupportedException,
        ImageTagAlreadyExistsException,
        InvalidLayerException,
        InvalidLayerPartException,
        InvalidParameterException,
        InvalidTagParameterException,
        KmsException,
        LayerAlreadyExistsException,
        LayerInaccessibleException,
        LayerPartTooSmallException,
        LayersNotFoundException,
        LifecyclePolicyNotFoundException,
        LifecyclePolicyPreviewInProgressException,
        LifecyclePolicyPreviewNotFoundException,
        LimitExceededException,
        PullThroughCacheRuleAlreadyExistsException,
        PullThroughCacheRuleNotFoundException,
        ReferencedImagesNotFoundException,
        RegistryPolicyNotFoundException,
        RepositoryAlreadyExistsException,
        RepositoryNotEmptyException,
        RepositoryNotFoundException,
        RepositoryPolicyNotFoundException,
        ScanNotFoundException,
        SecretNotFoundException,
        ServerException,
        SigningConfigurationNotFoundException,
        TemplateAlreadyExistsException,
        TemplateNotFoundException,
        TooManyTagsException,
        UnableToAccessSecretException,
        UnableToDecryptSecretValueException,
        UnableToGetUpstreamImageException,
        UnableToGetUpstreamLayerException,
        UnableToListUpstreamImageReferrersException,
        UnsupportedImageTypeException,
        UnsupportedUpstreamRegistryException,
        UploadNotFoundException,
        ValidationException
        );
    }

    #[test]
    fn rich_error_structure_round_trips(body in body()) {
        round_trips!(&body, golden_shapes::NotFound, golden_shapes::ServiceFault, golden_shapes::Tree);
    }
}
