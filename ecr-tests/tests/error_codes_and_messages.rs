//! The code and message of error responses through generated crates, one per protocol that
//! has one: responses that name no code where their protocol puts it (a `HEAD` request's error
//! has no body) take it from the status; error structures without a message member keep the
//! message their body carries.

use smithy_runtime::http::HttpResponse;
use smithy_runtime::operation::Operation;

fn response<'a>(status: u16, headers: &'a [(&'a str, &'a str)], body: &'a str) -> HttpResponse<'a> {
    HttpResponse { status, headers, body: body.as_bytes() }
}

/// The error `Op` decodes from a response (which must not be a success).
fn error_of<Op: Operation>(response: &HttpResponse<'_>) -> Op::Error {
    match Op::decode_response(response) {
        Ok(_) => panic!("status {} decoded as a success", response.status),
        Err(error) => error,
    }
}

// restXml (without error wrapping), as S3 sends its errors.
mod rest_xml {
    use super::*;
    use golden_errors::operations::{GetObject, HeadObject};
    use golden_errors::{GetObjectError, HeadObjectError};

    #[test]
    fn head_object_on_a_missing_key_is_not_found() {
        // A HEAD response never has a body; S3's `NotFound` models no `@httpError`.
        let request_id = [("x-amz-request-id", "r1")];
        for body in ["", "\n"] {
            let error = error_of::<HeadObject>(&response(404, &request_id, body));
            assert!(error.is_not_found(), "{error:?}");
            assert_eq!(error.code(), "NotFound");
            assert_eq!(error.message(), None);
            assert_eq!(error.to_string(), "NotFound");
        }
    }

    #[test]
    fn other_bodiless_statuses_are_unknown_errors_named_by_their_status() {
        for (status, code) in [(403, "Forbidden"), (400, "BadRequest"), (500, "InternalServerError")] {
            for error in [
                error_of::<HeadObject>(&response(status, &[], "")).details().code().to_owned(),
                error_of::<GetObject>(&response(status, &[], "")).details().code().to_owned(),
            ] {
                assert_eq!(error, code);
            }
            let HeadObjectError::Unknown(unknown) = error_of::<HeadObject>(&response(status, &[], "")) else {
                panic!("{status}: not the unknown case")
            };
            assert_eq!(unknown.status, Some(status));
            assert_eq!(unknown.to_string(), code);
        }
        // 503 is the status of `SlowDown` (a service error) and of `Overloaded` (GetObject's):
        // a status names no modeled error by its `@httpError`, whether one fits or two.
        let error = error_of::<HeadObject>(&response(503, &[], ""));
        assert!(matches!(&error, HeadObjectError::Unknown(u) if u.code == "ServiceUnavailable"), "{error:?}");
        let error = error_of::<GetObject>(&response(503, &[], ""));
        assert!(matches!(&error, GetObjectError::Unknown(u) if u.code == "ServiceUnavailable"), "{error:?}");
        // `NoSuchKey` is GetObject's only 404 error, and still not a guess: a bodiless 404 is
        // the `NotFound` code, which GetObject does not model.
        let error = error_of::<GetObject>(&response(404, &[], ""));
        assert!(matches!(&error, GetObjectError::Unknown(u) if u.code == "NotFound" && u.status == Some(404)), "{error:?}");
    }

    #[test]
    fn the_errortype_header_is_not_a_place_of_rest_xml() {
        let headers = [("X-Amzn-Errortype", "SlowDown")];
        assert!(error_of::<HeadObject>(&response(404, &headers, "")).is_not_found());
        let error = error_of::<GetObject>(&response(404, &headers, ""));
        assert!(matches!(&error, GetObjectError::Unknown(u) if u.code == "NotFound"), "{error:?}");
        // A code in the body comes first.
        let body = "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>";
        assert!(error_of::<GetObject>(&response(404, &headers, body)).is_no_such_key());
    }

    #[test]
    fn error_structures_without_a_message_member_keep_the_message() {
        let body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
                    <Key>a/b</Key><RequestId>r</RequestId></Error>";
        let error = error_of::<GetObject>(&response(404, &[], body));
        let GetObjectError::NoSuchKey(no_such_key) = &error else { panic!("{error:?}") };
        assert_eq!(no_such_key.message.as_deref(), Some("The specified key does not exist."));
        assert_eq!(error.code(), "NoSuchKey");
        assert_eq!(error.message(), Some("The specified key does not exist."));
        assert_eq!(error.to_string(), "NoSuchKey: The specified key does not exist.");
        assert_eq!(no_such_key.to_string(), "NoSuchKey: The specified key does not exist.");

        // Beside other members, and however the element is spelled.
        let body = "<Error><Code>InvalidObjectState</Code><message>archived</message>\
                    <StorageClass>GLACIER</StorageClass></Error>";
        let error = error_of::<GetObject>(&response(403, &[], body));
        let GetObjectError::InvalidObjectState(state) = &error else { panic!("{error:?}") };
        assert_eq!(state.message.as_deref(), Some("archived"));
        assert_eq!(state.storage_class, Some(golden_errors::types::StorageClass::Glacier));
        assert_eq!(error.to_string(), "InvalidObjectState: archived");

        // A member named `message` that is not a string leaves the name to the model: the
        // generated field is `message_`.
        let body = "<Error><Code>Overloaded</Code><Message>busy</Message></Error>";
        let error = error_of::<GetObject>(&response(503, &[], body));
        let GetObjectError::Overloaded(overloaded) = &error else { panic!("{error:?}") };
        assert_eq!(overloaded.message, None);
        assert_eq!(overloaded.message_.as_deref(), Some("busy"));
        assert_eq!(error.to_string(), "Overloaded: busy");

        // The modeled message member is read as before.
        let body = "<Error><Code>SlowDown</Code><Message>reduce your rate</Message></Error>";
        assert_eq!(error_of::<HeadObject>(&response(503, &[], body)).to_string(), "SlowDown: reduce your rate");
    }

    #[test]
    fn the_message_field_is_not_a_member_of_the_value_tree() {
        // The tree holds the model's members, as the protocol tests compare them.
        use golden_errors::types::{NoSuchKey, Overloaded};
        use smithy_runtime::ToValue;
        let mut no_such_key = NoSuchKey::default();
        no_such_key.message = Some("gone".into());
        assert_eq!(no_such_key.to_value().to_json(), serde_json::json!({}));
        let mut overloaded = Overloaded::default();
        overloaded.message = Some(5);
        overloaded.message_ = Some("busy".into());
        assert_eq!(overloaded.to_value().to_json(), serde_json::json!({"message": 5}));
    }
}

// restJson1.
mod rest_json {
    use super::*;
    use golden_shapes::operations::PutEverything;
    use golden_shapes::PutEverythingError;

    #[test]
    fn bodiless_errors() {
        // `NotFound` (`@httpError(404)`) is named by the status, as any shape of that name.
        let error = error_of::<PutEverything>(&response(404, &[], ""));
        assert!(error.is_not_found(), "{error:?}");
        // The header names the error first.
        let headers = [("X-Amzn-Errortype", "Throttled")];
        assert!(error_of::<PutEverything>(&response(404, &headers, "")).is_throttled());
        // `Throttled` is the only 429 error, but a status is not its name.
        let error = error_of::<PutEverything>(&response(429, &[], ""));
        assert!(matches!(&error, PutEverythingError::Unknown(u) if u.code == "TooManyRequests"), "{error:?}");
        assert_eq!(error_of::<PutEverything>(&response(500, &[], "")).code(), "InternalServerError");
    }

    #[test]
    fn an_error_without_members_keeps_its_message() {
        let headers = [("X-Amzn-Errortype", "Throttled")];
        for body in [r#"{"message":"slow down"}"#, r#"{"Message":"slow down"}"#, r#"{"errorMessage":"slow down"}"#] {
            let error = error_of::<PutEverything>(&response(429, &headers, body));
            let PutEverythingError::Throttled(throttled) = &error else { panic!("{error:?}") };
            assert_eq!(throttled.message.as_deref(), Some("slow down"));
            assert_eq!(error.to_string(), "Throttled: slow down");
        }
    }
}

// awsJson1_1.
mod aws_json {
    use super::*;
    use ecr::operations::StartImageScan;
    use ecr::StartImageScanError;

    #[test]
    fn bodiless_errors() {
        for (status, code) in [(404, "NotFound"), (403, "Forbidden"), (400, "BadRequest"), (500, "InternalServerError")] {
            let error = error_of::<StartImageScan>(&response(status, &[], ""));
            assert!(matches!(&error, StartImageScanError::Unknown(u) if u.code == code && u.status == Some(status)), "{error:?}");
            let headers = [("X-Amzn-Errortype", "ImageNotFoundException")];
            assert!(error_of::<StartImageScan>(&response(status, &headers, "")).is_image_not_found_exception());
        }
    }

    #[test]
    fn an_error_with_another_member_keeps_its_message() {
        use golden_naming::operations::GetThing;
        let body = r#"{"__type":"GetThingError","reason":"why","message":"what"}"#;
        let error = error_of::<GetThing>(&response(400, &[], body));
        let golden_naming::GetThingError_::GetThingError(thing) = &error else { panic!("{error:?}") };
        assert_eq!(thing.reason.as_deref(), Some("why"));
        assert_eq!(thing.message.as_deref(), Some("what"));
        assert_eq!(error.to_string(), "GetThingError: what");
    }
}

// awsQuery: codes are the `@awsQueryError` codes; a bodiless response is named by its status.
mod aws_query {
    use super::*;
    use golden_query::operations::SendMessage;
    use golden_query::SendMessageError;

    #[test]
    fn bodiless_errors() {
        for (status, code) in [(404, "NotFound"), (403, "Forbidden"), (400, "BadRequest"), (500, "InternalServerError")] {
            let error = error_of::<SendMessage>(&response(status, &[], ""));
            assert!(matches!(&error, SendMessageError::Unknown(u) if u.code == code), "{error:?}");
        }
        // The code is `@awsQueryError`'s, as the service sends it.
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>\
                    <Message>no queue</Message></Error></ErrorResponse>";
        let error = error_of::<SendMessage>(&response(400, &[], body));
        assert!(error.is_queue_does_not_exist(), "{error:?}");
        assert_eq!(error.code(), "AWS.SimpleQueueService.NonExistentQueue");
        assert_eq!(error.to_string(), "AWS.SimpleQueueService.NonExistentQueue: no queue");
        // A header is not where awsQuery puts the code.
        let headers = [("X-Amzn-Errortype", "AWS.SimpleQueueService.NonExistentQueue")];
        let error = error_of::<SendMessage>(&response(400, &headers, ""));
        assert!(matches!(&error, SendMessageError::Unknown(u) if u.code == "BadRequest"), "{error:?}");
    }
}

// rpcv2Cbor.
mod rpc_v2_cbor {
    use super::*;
    use golden_cbor::operations::PutThings;
    use golden_cbor::PutThingsError;

    #[test]
    fn bodiless_errors() {
        for (status, code) in [(404, "NotFound"), (403, "Forbidden"), (400, "BadRequest"), (500, "InternalServerError")] {
            let error = error_of::<PutThings>(&response(status, &[], ""));
            assert!(matches!(&error, PutThingsError::Unknown(u) if u.code == code), "{error:?}");
            // rpcv2Cbor clients must ignore X-Amzn-Errortype.
            let headers = [("X-Amzn-Errortype", "Custom")];
            let error = error_of::<PutThings>(&response(status, &headers, ""));
            assert!(matches!(&error, PutThingsError::Unknown(u) if u.code == code), "{error:?}");
        }
    }
}
