//! Every naming rule of the generator, in one place. No other module calls heck.
//!
//! The rules:
//! - Types and enum/union variants are UpperCamelCase (heck), fields and methods snake_case,
//!   crates lowercase words joined by `-` (`DynamoDB` becomes `dynamodb`); characters that
//!   cannot appear in a Rust identifier separate words (`image/svg+xml` becomes `ImageSvgXml`,
//!   `Times New Roman` becomes `TimesNewRoman`).
//! - A name that would start with a digit gets a prefix: `V` for types and variants (`5m`
//!   becomes `V5m`, `0.5` becomes `V05`), `_` for fields and methods.
//! - A name left empty (`+`, `*`) becomes `Value` (types and variants) or `value` (fields).
//! - Rust keywords used as fields become raw identifiers (`r#type`, `r#match`); the names that
//!   cannot be raw (`self`, `Self`, `super`, `crate`) get a trailing `_`.
//! - Within one scope (the crate's types, a structure's fields, an enum's variants together with
//!   the generated `Unknown` variant), a name already taken gets `_` appended until it is free;
//!   the names the generator itself adds (`Unknown`, `<Operation>Error`) are the ones that give
//!   way to the model's names.
//! - Two shapes whose names convert to one Rust type name (`String` and `__string`) are told
//!   apart by [`type_names`]: the shape whose name is already exactly the Rust name keeps it
//!   (the first by shape ID if none or several are), the others get `_` appended in shape ID
//!   order (`String_`), skipping every name another shape has.
//! - Generated code names std items by full path (`::std::string::String`), so shapes named
//!   `String`, `Option`, `Result`, `Box`, `Error` or `Default` shadow nothing.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict, reserved and edition-dependent) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keeps ASCII letters, digits and `_`; every other character separates words.
fn words(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { ' ' }).collect()
}

/// A type or variant name: `scan_status` and `ScanStatus` both become `ScanStatus`.
pub fn type_name(name: &str) -> String {
    let mut out: String = words(name).to_upper_camel_case().chars().filter(char::is_ascii_alphanumeric).collect();
    if out.is_empty() {
        out = "Value".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A field or method name, as it is written in code (`r#type` for keywords).
pub fn field_name(name: &str) -> String {
    let mut out = words(name).to_snake_case();
    if out.is_empty() {
        out = "value".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    escape_keyword(out)
}

/// `r#type` for a keyword, `self_` for a keyword that cannot be raw, the name otherwise.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The package name of a generated crate from the service's `sdkId`: its words lowercased
/// and joined by `-` (`S3 Control` becomes `s3-control`); a word is not split at case changes
/// (`DynamoDB` becomes `dynamodb`, not `dynamo-db`).
pub fn crate_name(sdk_id: &str) -> String {
    let name = words(sdk_id)
        .split([' ', '_'])
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("service-{name}")
    } else {
        name
    }
}

/// The `is_<error>` helper of an operation error enum.
pub fn is_method(variant: &str) -> String {
    format!("is_{}", field_name(variant).trim_start_matches("r#"))
}

/// A name made of a type name and a suffix (`StartImageScan` and `Error`): the underscores a
/// type name may end with (`Self_`, or `_` added to tell it apart) go, since `Self_Error` would
/// not be UpperCamelCase.
pub fn derived_type_name(type_name: &str, suffix: &str) -> String {
    format!("{}{suffix}", type_name.trim_end_matches('_'))
}

/// The field of a generated endpoint `Params` for the ruleset parameter `name`: its
/// snake_case (`UseFIPS` becomes `use_fips`, `Region` becomes `region`).
pub fn endpoint_param_field(name: &str) -> String {
    field_name(name)
}

/// The field of a generated endpoint `Config` for a built-in (`AWS::Region`) or a client
/// context param (`ForcePathStyle`). Built-ins are named by their meaning: `SDK::Endpoint` is
/// `endpoint_url`, `AWS::S3::UseArnRegion` and `AWS::S3Control::UseArnRegion` are both
/// `use_arn_region`; any other built-in is the snake_case of its last `::` segment. A client
/// context param is the snake_case of its name.
pub fn endpoint_config_field(built_in_or_param: &str) -> String {
    let known = match built_in_or_param {
        "AWS::Region" => "region",
        "AWS::UseFIPS" => "use_fips",
        "AWS::UseDualStack" => "use_dual_stack",
        "SDK::Endpoint" => "endpoint_url",
        "AWS::S3::Accelerate" => "accelerate",
        "AWS::S3::ForcePathStyle" => "force_path_style",
        "AWS::S3::UseArnRegion" | "AWS::S3Control::UseArnRegion" => "use_arn_region",
        "AWS::S3::DisableMultiRegionAccessPoints" => "disable_multi_region_access_points",
        "AWS::S3::UseGlobalEndpoint" | "AWS::STS::UseGlobalEndpoint" => "use_global_endpoint",
        "AWS::Auth::AccountId" => "account_id",
        "AWS::Auth::AccountIdEndpointMode" => "account_id_endpoint_mode",
        "AWS::Auth::CredentialScope" => "credential_scope",
        other => return field_name(other.rsplit("::").next().unwrap_or(other)),
    };
    known.to_owned()
}

/// The operation error enum's name.
pub fn operation_error_name(operation_type_name: &str) -> String {
    derived_type_name(operation_type_name, "Error")
}

/// The name of the generated unknown variant of enums, unions and error enums.
pub const UNKNOWN: &str = "Unknown";

/// The name of the generated error enum variant for a success response that does not decode.
pub const MALFORMED: &str = "Malformed";

/// The name of the constant in `operations.rs` holding the auth every operation of the service
/// starts from (an `rt::auth::OperationAuth`). Operation types are UpperCamelCase, so none can
/// take it.
pub const SERVICE_AUTH: &str = "SERVICE_AUTH";

/// Returns `name`, or `name` with `_` appended until it is not in `taken`; records it. A raw
/// identifier (`r#type`) that is taken becomes a plain one (`type_`).
pub fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut name = name;
    while taken.contains(&name) {
        if let Some(plain) = name.strip_prefix("r#") {
            name = plain.to_owned();
        }
        name.push('_');
    }
    taken.insert(name.clone());
    name
}

/// The Rust type names of shapes, given as (shape ID, name in the model after `rename`),
/// made unique by the rule in the module documentation. Keyed by shape ID.
pub fn type_names<'a>(shapes: impl IntoIterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    // Candidate name -> (whether the model name is exactly it, shape ID), best claim first.
    let mut claims: BTreeMap<String, Vec<(bool, &str)>> = BTreeMap::new();
    for (id, name) in shapes {
        let candidate = type_name(name);
        let exact = candidate == name;
        claims.entry(candidate).or_default().push((!exact, id));
    }
    let mut taken: BTreeSet<String> = claims.keys().cloned().collect();
    let mut out = BTreeMap::new();
    for (candidate, mut ids) in claims {
        ids.sort();
        let mut ids = ids.into_iter().map(|(_, id)| id);
        if let Some(first) = ids.next() {
            out.insert(first.to_owned(), candidate.clone());
        }
        for id in ids {
            out.insert(id.to_owned(), unique(candidate.clone(), &mut taken));
        }
    }
    out
}

/// A Rust identifier token for a name produced by this module (`r#type` included).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        for (input, expected) in [
            ("ScanStatus", "ScanStatus"),
            ("scan_status", "ScanStatus"),
            ("IN_PROGRESS", "InProgress"),
            ("5m", "V5m"),
            ("0.5", "V05"),
            ("image/svg+xml", "ImageSvgXml"),
            ("Times New Roman", "TimesNewRoman"),
            ("trailing ", "Trailing"),
            ("arn:aws:foo", "ArnAwsFoo"),
            ("+", "Value"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("String", "String"),
            ("ECRRepository", "EcrRepository"),
            ("m5.large", "M5Large"),
        ] {
            assert_eq!(type_name(input), expected, "type_name({input:?})");
        }
    }

    #[test]
    fn field_names() {
        for (input, expected) in [
            ("imageDigest", "image_digest"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("in", "r#in"),
            ("static", "r#static"),
            ("override", "r#override"),
            ("loop", "r#loop"),
            ("return", "r#return"),
            ("struct", "r#struct"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("3d", "_3d"),
            ("S3Location", "s3_location"),
            ("ARN", "arn"),
            ("*", "value"),
        ] {
            assert_eq!(field_name(input), expected, "field_name({input:?})");
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        for kw in KEYWORDS {
            let f = field_name(kw);
            assert!(f.starts_with("r#") || f.ends_with('_'), "{kw} -> {f}");
            // The token must be constructible.
            let _ = ident(&f);
        }
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name("ECR"), "ecr");
        assert_eq!(crate_name("S3 Control"), "s3-control");
        assert_eq!(crate_name("Elastic Load Balancing v2"), "elastic-load-balancing-v2");
        assert_eq!(crate_name("Marketplace Entitlement Service"), "marketplace-entitlement-service");
        assert_eq!(crate_name("DynamoDB"), "dynamodb");
        assert_eq!(crate_name("SageMaker Runtime HTTP2"), "sagemaker-runtime-http2");
        assert_eq!(crate_name("Security_IR"), "security-ir");
        assert_eq!(crate_name("3D"), "service-3d");
    }

    #[test]
    fn collisions_append_underscores() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("Unknown".into(), &mut taken), "Unknown");
        assert_eq!(unique("Unknown".into(), &mut taken), "Unknown_");
        assert_eq!(unique("Unknown".into(), &mut taken), "Unknown__");
    }

    #[test]
    fn colliding_type_names() {
        let names = super::type_names([
            ("a#__string", "__string"),
            ("a#String", "String"),
            ("b#string", "string"),
            ("a#String_", "String_"),
            ("a#Other", "Other"),
        ]);
        let get = |id: &str| names.get(id).map(String::as_str);
        assert_eq!(get("a#String"), Some("String"));
        assert_eq!(get("a#__string"), Some("String__"));
        assert_eq!(get("b#string"), Some("String___"));
        assert_eq!(get("a#String_"), Some("String_"));
        assert_eq!(get("a#Other"), Some("Other"));
    }

    /// rustc's `non_camel_case_types` rule: after trimming `_` at both ends, no `__` and no `_`
    /// next to a letter, and not starting with a lowercase letter.
    fn is_camel_case(name: &str) -> bool {
        let name = name.trim_matches('_');
        let chars: Vec<char> = name.chars().collect();
        !chars.first().is_some_and(|c| c.is_lowercase())
            && !name.contains("__")
            && !chars.windows(2).any(|w| (w[0].is_alphabetic() && w[1] == '_') || (w[1].is_alphabetic() && w[0] == '_'))
    }

    /// rustc's `non_snake_case` rule: after trimming `_` at both ends, no uppercase letter and
    /// no `__`.
    fn is_snake_case(name: &str) -> bool {
        let name = name.trim_start_matches("r#").trim_matches('_');
        !name.contains("__") && !name.chars().any(char::is_uppercase)
    }

    #[test]
    fn derived_names_pass_the_naming_lints() {
        let mut inputs: Vec<String> = Vec::new();
        for kw in KEYWORDS.iter().chain(NOT_RAW) {
            for name in [kw.to_string(), format!("{kw}_"), format!("{kw}__"), format!("_{kw}"), kw.to_uppercase()] {
                inputs.push(name);
            }
        }
        inputs.extend(["Self_", "self_", "Foo_Bar", "foo__bar", "FOO_BAR", "Unknown_", "_", "__", "a_1_b"].map(String::from));
        let mut taken = BTreeSet::new();
        for input in &inputs {
            let ty = type_name(input);
            assert!(is_camel_case(&ty), "type_name({input:?}) = {ty}");
            let error = operation_error_name(&ty);
            assert!(is_camel_case(&error), "operation_error_name({ty:?}) = {error}");
            let unique_ty = unique(ty.clone(), &mut taken);
            assert!(is_camel_case(&operation_error_name(&unique_ty)), "{unique_ty}");
            let field = field_name(input);
            assert!(is_snake_case(&field), "field_name({input:?}) = {field}");
            let method = is_method(&ty);
            assert!(is_snake_case(&method), "is_method({ty:?}) = {method}");
            let _ = ident(&field);
            let _ = ident(&ty);
        }
        let mut fields = BTreeSet::new();
        for input in &inputs {
            let field = unique(field_name(input), &mut fields);
            assert!(is_snake_case(&field), "{field}");
            let _ = ident(&field);
        }
        assert_eq!(unique("r#type".into(), &mut BTreeSet::from(["r#type".to_owned()])), "type_");
        assert_eq!(operation_error_name("Self_"), "SelfError");
    }

    #[test]
    fn error_helpers() {
        assert_eq!(is_method("ImageNotFoundException"), "is_image_not_found_exception");
        assert_eq!(operation_error_name("StartImageScan"), "StartImageScanError");
    }

    #[test]
    fn endpoint_names() {
        for (param, field) in [("Region", "region"), ("UseFIPS", "use_fips"), ("UseDualStack", "use_dual_stack"), ("Endpoint", "endpoint"), ("ForcePathStyle", "force_path_style"), ("DisableS3ExpressSessionAuth", "disable_s3_express_session_auth")] {
            assert_eq!(endpoint_param_field(param), field);
        }
        for (name, field) in [
            ("AWS::Region", "region"),
            ("SDK::Endpoint", "endpoint_url"),
            ("AWS::S3Control::UseArnRegion", "use_arn_region"),
            ("AWS::STS::UseGlobalEndpoint", "use_global_endpoint"),
            ("AWS::S3::DisableS3ExpressSessionAuth", "disable_s3_express_session_auth"),
            ("AWS::Auth::AccountIdEndpointMode", "account_id_endpoint_mode"),
            ("ForcePathStyle", "force_path_style"),
            ("type", "r#type"),
        ] {
            assert_eq!(endpoint_config_field(name), field);
        }
    }
}
