//! The intermediate representation between lowering and emitting: everything resolved and
//! sorted, every item carrying its Rust name beside its wire name, boxing decided. The emitter
//! reads only this, never the model.

/// The wire protocol of the service, which decides how errors are found and decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
    RestJson1,
    RestXml,
    RestXmlUnwrapped,
    AwsQuery,
    Ec2Query,
    RpcV2Cbor,
}

impl Protocol {
    /// The variant name of `smithy_runtime::error::Protocol`.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "AwsJson1_0",
            Protocol::AwsJson1_1 => "AwsJson1_1",
            Protocol::RestJson1 => "RestJson1",
            Protocol::RestXml => "RestXml",
            Protocol::RestXmlUnwrapped => "RestXmlUnwrapped",
            Protocol::AwsQuery => "AwsQuery",
            Protocol::Ec2Query => "Ec2Query",
            Protocol::RpcV2Cbor => "RpcV2Cbor",
        }
    }

    /// Whether requests are serialized yet for the protocol.
    pub fn encodes_requests(self) -> bool {
        matches!(
            self,
            Protocol::AwsJson1_0
                | Protocol::AwsJson1_1
                | Protocol::RestJson1
                | Protocol::RestXml
                | Protocol::RestXmlUnwrapped
                | Protocol::AwsQuery
                | Protocol::Ec2Query
                | Protocol::RpcV2Cbor
        )
    }

    /// Whether the generated crate needs the runtime's `percent-encoding` feature (URIs and
    /// form bodies of requests).
    pub fn needs_percent_encoding(self) -> bool {
        self.encodes_requests() && matches!(self, Protocol::RestJson1 | Protocol::RestXml | Protocol::RestXmlUnwrapped | Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// Whether bodies are XML documents.
    pub fn is_xml(self) -> bool {
        matches!(self, Protocol::RestXml | Protocol::RestXmlUnwrapped | Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// Whether HTTP binding traits (`@httpHeader`) apply.
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml | Protocol::RestXmlUnwrapped)
    }
}

#[derive(Debug, Clone)]
pub struct Crate {
    pub crate_name: String,
    /// The package version written into `Cargo.toml`.
    pub crate_version: String,
    pub runtime_path: String,
    pub standalone: bool,
    pub service: Service,
    /// Every generated type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Every operation, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Runtime features the generated crate needs (`percent-encoding`, `idempotency`, `gzip`).
    pub runtime_features: Vec<&'static str>,
    /// The service's endpoint rules, when it has `smithy.rules#endpointRuleSet`.
    pub endpoints: Option<Endpoints>,
}

impl Crate {
    /// The generated type named `rust_name`.
    pub fn type_def(&self, rust_name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|t| t.rust_name.as_str().cmp(rust_name)).ok().and_then(|i| self.types.get(i))
    }

    /// The structure named `rust_name`.
    pub fn structure(&self, rust_name: &str) -> Option<&Struct> {
        match &self.type_def(rust_name)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    pub shape_id: String,
    /// The service shape's name: the `X-Amz-Target` prefix of awsJson requests.
    pub name: String,
    /// The service's `@xmlNamespace`: the namespace of restXml request documents whose input
    /// has none of its own.
    pub xml_namespace: Option<XmlNamespace>,
    pub title: String,
    pub sdk_id: String,
    pub version: Option<String>,
    pub doc: Option<String>,
    pub protocol: Protocol,
    pub protocol_trait: String,
    pub query_compatible: bool,
    pub model_file: String,
    /// What the model says about authenticating the service's requests.
    pub auth: ServiceAuth,
}

/// An auth scheme of the model: a trait marked `@authDefinition` applied to the service.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthScheme {
    /// `aws.auth#sigv4`.
    SigV4,
    /// `aws.auth#sigv4a`.
    SigV4a,
    /// `smithy.api#httpBasicAuth`.
    HttpBasic,
    /// `smithy.api#httpDigestAuth`.
    HttpDigest,
    /// `smithy.api#httpBearerAuth`.
    HttpBearer,
    /// `smithy.api#httpApiKeyAuth`.
    HttpApiKey,
    /// Another auth trait, by shape ID (`aws.auth#cognitoUserPools`, a model's own).
    Other(String),
}

/// The service's auth traits and the defaults its operations inherit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceAuth {
    /// The name of `aws.auth#sigv4`: the signing name when the endpoint gives none.
    pub sigv4_name: Option<String>,
    /// The name of `aws.auth#sigv4a`.
    pub sigv4a_name: Option<String>,
    /// The schemes an operation without `@auth` supports, in priority order: the service's
    /// `@auth` list, else every auth trait of the service sorted by shape ID (Smithy's rule).
    pub schemes: Vec<AuthScheme>,
    /// S3's signing rules: no double encoding of the path, no path normalization, and the
    /// `x-amz-content-sha256` header on every request. For the services whose SigV4 signing
    /// name is `s3`, `s3-outposts`, `s3-object-lambda` or `s3express`.
    pub s3_signing: bool,
    /// Whether the endpoint rules can ask for `sigv4a` (an `authSchemes` entry of that name),
    /// or the service has `aws.auth#sigv4a`: the crate needs the runtime's `sigv4a` feature.
    pub sigv4a_possible: bool,
}

impl ServiceAuth {
    /// Whether requests may be signed with SigV4 or SigV4a.
    pub fn signs(&self) -> bool {
        self.sigv4_name.is_some() || self.sigv4a_name.is_some()
    }
}

/// What the model says about authenticating one operation's requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationAuth {
    /// The effective schemes, in priority order: the operation's `@auth`, else the service's
    /// ([`ServiceAuth::schemes`]). Empty: the operation is never authenticated (`@auth([])`).
    pub schemes: Vec<AuthScheme>,
    /// `@optionalAuth`: it may be sent unauthenticated.
    pub optional: bool,
    /// `aws.auth#unsignedPayload`: the payload is not part of the signature
    /// (`UNSIGNED-PAYLOAD`).
    pub unsigned_payload: bool,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub shape_id: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Whether a JSON (and CBOR) decoder is generated: for shapes that error structures reach
    /// (error enums decode JSON bodies in every protocol), and those outputs reach when the
    /// service speaks JSON or CBOR.
    pub decode_json: bool,
    /// Whether an XML decoder is generated: for shapes that error structures reach, and those
    /// outputs reach when the service speaks an XML protocol.
    pub decode_xml: bool,
    /// Whether a JSON writer is generated: for shapes that operation inputs reach, when the
    /// service's requests are JSON documents.
    pub encode_json: bool,
    /// Whether a query writer is generated: for shapes that operation inputs reach, in the
    /// query protocols.
    pub encode_query: bool,
    /// Whether an XML writer is generated: for shapes that operation inputs reach, in restXml.
    pub encode_xml: bool,
    /// Whether a CBOR writer is generated: for shapes that operation inputs reach, in rpcv2Cbor.
    pub encode_cbor: bool,
    /// The element name of the shape at the root of an XML document: its `@xmlName`, else its
    /// name.
    pub xml_name: String,
    /// The shape's `@xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A named simple shape: `pub type RegistryId = String`.
    Alias(RustType),
    Struct(Struct),
    Enum(Enum),
    IntEnum(IntEnum),
    Union(Union),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub error: Option<ErrorInfo>,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code this error is known by for this service's protocol.
    pub code: String,
    /// The field holding the message, if any, and whether it is optional: the model's message
    /// member, else [`generated_message`](Self::generated_message).
    pub message_field: Option<(String, bool)>,
    /// When the model gives the error no string member `message`, `Message` or
    /// `errorMessage`: the name of the `Option<String>` field the generator adds to keep the
    /// message the error body carries (`message`, made unique among the structure's fields).
    pub generated_message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    /// The member name in the model (the key in `to_value` trees).
    pub member_name: String,
    /// The key in JSON (and CBOR) bodies for this service's protocol, in both directions:
    /// `@jsonName` in restJson1, the member name otherwise.
    pub json_key: String,
    /// The element (or attribute) name in XML bodies, in both directions (requests of restXml,
    /// responses of restXml, awsQuery and ec2Query): `@xmlName`, else the member name.
    /// `@ec2QueryName` never applies here: it names input members only.
    pub xml_name: String,
    /// The key in awsQuery and ec2Query request bodies (the input direction only): for ec2Query
    /// `@ec2QueryName`, else `@xmlName` or the member name with its first letter capitalised;
    /// for other protocols `@xmlName`, else the member name.
    pub query_key: String,
    pub xml_attribute: bool,
    pub xml_flattened: bool,
    /// Where the member travels in HTTP messages: the body, except for members of operation
    /// inputs, outputs and errors bound elsewhere by the rest protocols' traits.
    pub binding: Binding,
    /// The member's `@xmlNamespace`.
    pub xml_namespace: Option<XmlNamespace>,
    /// `@idempotencyToken`: filled with a fresh UUID when the request leaves it unset.
    pub idempotency_token: bool,
    /// `@timestampFormat` of the member, else of its target; `None` when neither has one (the
    /// location's default format applies).
    pub timestamp_format: Option<TimestampFormat>,
    /// `@mediaType` of the target (a string or blob): strings with one are base64 in headers,
    /// and a payload's `Content-Type` is it.
    pub media_type: Option<String>,
    pub ty: RustType,
    pub optional: bool,
    pub boxed: bool,
    /// A required member: a parameter of the constructor.
    pub required: bool,
    pub default: Option<Default>,
    pub sensitive: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
}

/// An `@xmlNamespace` trait.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

/// Where a member of an operation's input, output or error travels (rest protocols only; every
/// member of other protocols, and of nested structures, is [`Binding::Body`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    Body,
    /// `@httpHeader`.
    Header(String),
    /// `@httpPrefixHeaders`: a map of the headers starting with the prefix.
    PrefixHeaders(String),
    /// `@httpResponseCode`.
    ResponseCode,
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpLabel` (input only).
    Label,
    /// `@httpQuery` (input only).
    Query(String),
    /// `@httpQueryParams` (input only).
    QueryParams,
}

/// `@timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

impl TimestampFormat {
    /// The variant name of `smithy_runtime::TimestampFormat`.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            TimestampFormat::DateTime => "DateTime",
            TimestampFormat::HttpDate => "HttpDate",
            TimestampFormat::EpochSeconds => "EpochSeconds",
        }
    }
}

/// A member's `@default` value, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Enum(String),
    IntEnum(i64),
    EmptyList,
    EmptyMap,
    Timestamp(f64),
    Blob(String),
    Document(serde_json::Value),
    BigNumber(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Blob,
    Timestamp,
    Document,
    BigInteger,
    BigDecimal,
    /// A generated type or alias.
    Named(TypeRef),
    List {
        item: Box<RustType>,
        sparse: bool,
        /// Element name of entries in wrapped XML lists.
        xml_member: String,
        /// `@xmlNamespace` of the list's member.
        xml_member_namespace: Option<XmlNamespace>,
    },
    Map {
        key: Box<RustType>,
        value: Box<RustType>,
        sparse: bool,
        xml_key: String,
        xml_value: String,
        /// `@xmlNamespace` of the map's key and value.
        xml_key_namespace: Option<XmlNamespace>,
        xml_value_namespace: Option<XmlNamespace>,
    },
}

/// A reference to a generated type: its name and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub rust_name: String,
    pub shape_id: String,
    pub kind: NamedKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NamedKind {
    Struct,
    Union,
    Enum,
    IntEnum,
    /// A named simple shape, an alias of this type.
    Alias(Box<RustType>),
}

impl RustType {
    /// The type behind aliases.
    pub fn base(&self) -> &RustType {
        match self {
            RustType::Named(TypeRef { kind: NamedKind::Alias(ty), .. }) => ty.base(),
            ty => ty,
        }
    }

    pub fn is_timestamp(&self) -> bool {
        *self.base() == RustType::Timestamp
    }
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: String,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct IntEnum {
    pub variants: Vec<IntEnumVariant>,
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    pub rust_name: String,
    pub value: i32,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub member_name: String,
    /// As [`Field::json_key`], [`Field::xml_name`] and [`Field::query_key`].
    pub json_key: String,
    pub xml_name: String,
    pub query_key: String,
    /// None for members targeting `smithy.api#Unit`.
    pub ty: Option<RustType>,
    pub boxed: bool,
    pub sensitive: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The operation's name in the model (after `rename`): what `X-Amz-Target`, the query
    /// `Action` and the `<NameResponse>` elements use.
    pub wire_name: String,
    /// The Rust name of the operation's type (unique among the crate's types).
    pub name: String,
    pub shape_id: String,
    /// The operation's `@http` trait, when it has one.
    pub http: Option<Http>,
    /// The operation's `@endpoint` host prefix: literal text and `@hostLabel` members (the
    /// `Label` parts of [`UriPart`]).
    pub host_prefix: Option<Vec<UriPart>>,
    /// The first paragraph of the operation's documentation.
    pub summary: Option<String>,
    pub input: Option<TypeRef>,
    pub output: Option<TypeRef>,
    /// The output's `@httpPayload` member is an event stream: not decoded.
    pub event_stream_output: bool,
    /// The input has an event stream member: not serialized.
    pub event_stream_input: bool,
    /// `@s3UnwrappedXmlOutput`: the XML body's root element is the output's one member.
    pub unwrapped_xml_output: bool,
    /// `@requestCompression` lists gzip: request bodies are gzipped.
    pub gzip_request: bool,
    /// `@httpChecksumRequired`: requests carry a `Content-MD5` header.
    pub content_md5: bool,
    /// `aws.protocols#httpChecksum`: request checksums and response validation.
    pub checksum: Option<HttpChecksum>,
    /// The AWS SDKs' customizations of the operation's requests.
    pub customizations: crate::customize::Customizations,
    pub error_enum: String,
    pub errors: Vec<ErrorCase>,
    /// The generated unknown variant's name.
    pub unknown: String,
    /// The generated variant for a success response whose body does not fit the output.
    pub malformed: String,
    /// How the operation fills the endpoint params from its input, in order (later ones
    /// override earlier ones): `@staticContextParams`, `@contextParam` members,
    /// `@operationContextParams`. Empty for a service without endpoint rules.
    pub endpoint_bindings: Vec<EndpointBinding>,
    /// How its requests are authenticated.
    pub auth: OperationAuth,
}

/// An operation's `aws.protocols#httpChecksum` trait.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpChecksum {
    /// `requestChecksumRequired`: a request without a checksum is refused.
    pub request_required: bool,
    /// `requestAlgorithmMember`: the input member choosing the request algorithm (its model
    /// name), and the algorithms its enum lists.
    pub request_algorithm_member: Option<String>,
    pub request_algorithms: Vec<String>,
    /// `requestValidationModeMember`: the input member asking for response validation.
    pub validation_mode_member: Option<String>,
    /// `responseAlgorithms`, as the model lists them.
    pub response_algorithms: Vec<String>,
}

impl HttpChecksum {
    /// Whether requests may carry a checksum.
    pub fn on_requests(&self) -> bool {
        self.request_required || self.request_algorithm_member.is_some()
    }
}

/// An operation's `@http` trait.
#[derive(Debug, Clone)]
pub struct Http {
    pub method: String,
    /// The URI pattern's path: literal text and labels.
    pub path: Vec<UriPart>,
    /// The URI pattern's literal query parameters (`?key=value`, or `?key` without a value).
    pub query: Vec<(String, Option<String>)>,
    /// The success status code.
    #[allow(dead_code)] // Responses are decoded on any 2xx status.
    pub code: u16,
}

/// A piece of an `@http` URI pattern's path.
#[derive(Debug, Clone, PartialEq)]
pub enum UriPart {
    Literal(String),
    /// `{member}`, or `{member+}` (greedy: it may hold `/`).
    Label { member: String, greedy: bool },
}

#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub variant: String,
    /// The error structure's shape ID.
    pub shape_id: String,
    /// Rust name of the error structure.
    pub type_name: String,
    /// Sanitized codes that select this case.
    pub codes: Vec<String>,
    pub doc: Option<String>,
}

pub use smithy_runtime::endpoint::{ParamDefault, ParamType};

/// A service's `smithy.rules#endpointRuleSet`, compiled and checked at generation.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// The ruleset as minified JSON text, rule and parameter `documentation` stripped.
    pub rules_json: String,
    /// The partition table as minified JSON text.
    pub partitions_json: String,
    /// The ruleset's parameters, in the order `RuleSet::resolve` takes them (by name).
    pub params: Vec<EndpointParam>,
    /// The fields of the endpoint `Config`, sorted by Rust name.
    pub config: Vec<ConfigField>,
}

/// One ruleset parameter: a field of the endpoint `Params`.
#[derive(Debug, Clone)]
pub struct EndpointParam {
    /// The name in the ruleset (`Region`, `UseFIPS`).
    pub name: String,
    /// The field name (`region`, `use_fips`).
    pub rust_name: String,
    pub kind: ParamType,
    /// Whether the ruleset requires it.
    pub required: bool,
    /// The default: a parameter with one has a plain field, others an `Option`.
    pub default: Option<ParamDefault>,
    /// Its built-in (`AWS::Region`).
    pub built_in: Option<String>,
    /// The `Config` field it is taken from (its built-in's or its client context param's).
    pub config_field: Option<String>,
    pub doc: Option<String>,
    /// Its deprecation message (`Some("")` when deprecated without one).
    pub deprecated: Option<String>,
}

/// A field of the endpoint `Config`: a built-in, or a `smithy.rules#clientContextParams` param.
#[derive(Debug, Clone)]
pub struct ConfigField {
    pub rust_name: String,
    pub kind: ParamType,
    /// The built-in it sets (`AWS::Region`), if it is one.
    pub built_in: Option<String>,
    /// The client context param it sets, if it is one.
    pub client_param: Option<String>,
    pub doc: Option<String>,
}

/// One way an operation sets an endpoint param from its input.
#[derive(Debug, Clone)]
pub struct EndpointBinding {
    /// The `Params` field.
    pub param: String,
    /// Whether that field is an `Option`.
    pub param_optional: bool,
    pub value: BindingValue,
}

/// Where a bound endpoint param's value comes from.
#[derive(Debug, Clone)]
pub enum BindingValue {
    /// `@staticContextParams`: a constant.
    Static(ParamDefault),
    /// `@contextParam` on an input member, or an `@operationContextParams` path: a path into
    /// the input.
    Path(ContextPath),
}

/// A path into an operation's input giving a param's value, compiled from a member name or
/// from an `@operationContextParams` JMESPath expression (`a.b`, `a[*].b`, `keys(m)`,
/// `a[*].[b.c, d][]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ContextPath {
    /// The steps from the input to the value (a scalar result), or to what the list is made of.
    pub head: Vec<Access>,
    /// For a list result: how the list is made of the value `head` reaches.
    pub list: Option<ListPath>,
    /// What the result (or each item of a list result) is.
    pub leaf: Leaf,
}

/// One step into a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// A structure's field.
    Field { rust_name: String, optional: bool, boxed: bool },
    /// A union's variant (`None` when the union holds another).
    Variant { union: String, variant: String, boxed: bool },
}

/// How a list result is made of a value.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPath {
    pub start: ListStart,
    /// Steps on each item, in order.
    pub ops: Vec<ListOp>,
}

/// The items a list result starts from.
#[derive(Debug, Clone, PartialEq)]
pub enum ListStart {
    /// The items of a list (`a[*]`, `a[]`, or a list member itself).
    Items { sparse: bool },
    /// The keys of a map (`keys(m)`).
    Keys,
    /// The values of several paths from the value (`a.[b, c]`), those set, each with the
    /// string it reaches.
    Select(Vec<(Vec<Access>, Leaf)>),
}

/// A step on each item of a list result.
#[derive(Debug, Clone, PartialEq)]
pub enum ListOp {
    /// Into each item (items without it are dropped).
    Access(Access),
    /// Each item is a list: its items instead (`[]`).
    Flatten { sparse: bool },
    /// The values of several paths from each item, those set, flattened (`[*].[b, c][]`).
    Select(Vec<(Vec<Access>, Leaf)>),
}

/// The type a path ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// A string (or a named string shape); in a list, the items may be `&str`s.
    String,
    /// A generated enum: its `as_str()`.
    Enum,
    Bool,
}
