//! StartImageScan's errors decoded from real-shaped responses.

use ecr::StartImageScanError;
use smithy_runtime::http::HttpResponse;
use smithy_runtime::xml;

/// Tells whether an error is one particular case.
type IsCase = fn(&StartImageScanError) -> bool;

/// The eight errors the model declares for StartImageScan, with a matcher for each case.
const ERRORS: [(&str, IsCase); 8] = [
    ("ImageArchivedException", StartImageScanError::is_image_archived_exception),
    ("ImageNotFoundException", StartImageScanError::is_image_not_found_exception),
    ("InvalidParameterException", StartImageScanError::is_invalid_parameter_exception),
    ("LimitExceededException", StartImageScanError::is_limit_exceeded_exception),
    ("RepositoryNotFoundException", StartImageScanError::is_repository_not_found_exception),
    ("ServerException", StartImageScanError::is_server_exception),
    ("UnsupportedImageTypeException", StartImageScanError::is_unsupported_image_type_exception),
    ("ValidationException", StartImageScanError::is_validation_exception),
];

fn response<'a>(headers: &'a [(&'a str, &'a str)], body: &'a str) -> HttpResponse<'a> {
    HttpResponse { status: 400, headers, body: body.as_bytes() }
}

#[test]
fn every_error_from_json() {
    for (code, is) in ERRORS {
        let body = serde_json::json!({ "__type": code, "message": format!("{code} happened") });
        let error = StartImageScanError::from_json(code, &body);
        assert!(is(&error), "{code}: got {error:?}");
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), Some(format!("{code} happened").as_str()));
        assert_eq!(error.to_string(), format!("{code}: {code} happened"));
        // The same through a whole HTTP response, code in the body only.
        let text = body.to_string();
        let headers = [("Content-Type", "application/x-amz-json-1.1")];
        let decoded = StartImageScanError::from_response(&response(&headers, &text));
        assert_eq!(decoded, error);
    }
}

#[test]
fn every_error_from_xml() {
    for (code, is) in ERRORS {
        let text = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>{code} &amp; more</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        );
        let document = xml::parse(&text).expect("well-formed");
        let error_element = xml::child(document.root_element(), "Error").expect("has <Error>");
        let error = smithy_runtime::error::from_xml::<StartImageScanError>(code, error_element);
        // The code picks the variant. ECR speaks awsJson1_1: its error structures have no XML
        // decoders (those come with the runtime's `xml` feature, for XML protocols' crates), so
        // the members of an XML body are not read.
        assert!(is(&error), "{code}: got {error:?}");
        assert_eq!(error.message(), None);
    }
}

#[test]
fn display_shows_code_and_message() {
    let body = serde_json::json!({ "message": "The image requested does not exist" });
    let error = StartImageScanError::from_json("ImageNotFoundException", &body);
    assert_eq!(error.to_string(), "ImageNotFoundException: The image requested does not exist");
    let StartImageScanError::ImageNotFoundException(inner) = &error else { panic!("{error:?}") };
    assert_eq!(inner.to_string(), "ImageNotFoundException: The image requested does not exist");
    let as_dyn: &dyn std::error::Error = &error;
    assert_eq!(as_dyn.to_string(), error.to_string());
}

#[test]
fn code_with_namespace_and_uri() {
    let text = r#"{"__type":"com.amazonaws.ecr#RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/","message":"no repo"}"#;
    let error = StartImageScanError::from_response(&response(&[], text));
    assert!(error.is_repository_not_found_exception(), "{error:?}");
    assert_eq!(error.code(), "RepositoryNotFoundException");
    assert_eq!(error.message(), Some("no repo"));
}

#[test]
fn code_only_in_the_header() {
    let headers = [("x-amzn-errortype", "LimitExceededException:http://internal.amazon.com/")];
    let error = StartImageScanError::from_response(&response(&headers, r#"{"message":"slow down"}"#));
    assert!(error.is_limit_exceeded_exception(), "{error:?}");
    assert_eq!(error.message(), Some("slow down"));
    // The header wins over the body.
    let error = StartImageScanError::from_response(&response(&headers, r#"{"__type":"ServerException"}"#));
    assert!(error.is_limit_exceeded_exception(), "{error:?}");
}

#[test]
fn unknown_code_keeps_code_and_message() {
    let text = r#"{"__type":"com.amazonaws.ecr#BrandNewException","Message":"something new"}"#;
    let error = StartImageScanError::from_response(&response(&[], text));
    let StartImageScanError::Unknown(unknown) = &error else { panic!("{error:?}") };
    assert_eq!(unknown.code, "BrandNewException");
    assert_eq!(unknown.message.as_deref(), Some("something new"));
    assert_eq!(unknown.status, Some(400));
    assert_eq!(error.to_string(), "BrandNewException: something new");
}

#[test]
fn empty_body() {
    let error = StartImageScanError::from_response(&response(&[], ""));
    assert!(matches!(error, StartImageScanError::Unknown(_)), "{error:?}");
    assert_eq!(error.message(), None);
    // With the code in a header, an empty body still gives the modelled case.
    let headers = [("X-Amzn-Errortype", "ServerException")];
    let error = StartImageScanError::from_response(&response(&headers, ""));
    assert!(error.is_server_exception(), "{error:?}");
    assert_eq!(error.message(), None);
}

#[test]
fn body_that_is_not_json() {
    for text in ["<html>Bad Gateway</html>", "{\"__type\": ", "\u{0}\u{1}garbage", "[1,2,3]", "null"] {
        let error = StartImageScanError::from_response(&response(&[], text));
        assert!(matches!(error, StartImageScanError::Unknown(_)), "{text:?}: {error:?}");
    }
    let headers = [("X-Amzn-Errortype", "ValidationException")];
    let error = StartImageScanError::from_response(&response(&headers, "<html>oops</html>"));
    assert!(error.is_validation_exception(), "{error:?}");
}

#[test]
fn members_of_the_wrong_type_are_dropped_not_fatal() {
    let body = serde_json::json!({ "__type": "ServerException", "message": 42 });
    let error = StartImageScanError::from_json("ServerException", &body);
    assert!(error.is_server_exception());
    assert_eq!(error.message(), None);
}
