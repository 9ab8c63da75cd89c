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

    /// Whether HTTP binding traits (`@httpHeader`) apply.
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml | Protocol::RestXmlUnwrapped)
    }
}

#[derive(Debug, Clone)]
pub struct Crate {
    pub crate_name: String,
    pub runtime_path: String,
    pub standalone: bool,
    pub service: Service,
    /// Every generated type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Every operation, sorted by Rust name.
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub shape_id: String,
    pub title: String,
    pub sdk_id: String,
    pub version: Option<String>,
    pub doc: Option<String>,
    pub protocol: Protocol,
    pub protocol_trait: String,
    pub query_compatible: bool,
    pub model_file: String,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub shape_id: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Whether JSON and XML decoders are generated (shapes reachable from error structures).
    pub decodable: bool,
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
    /// The field holding the message, if any, and whether it is optional.
    pub message_field: Option<(String, bool)>,
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
    #[allow(dead_code)] // Read by the query request serializers.
    pub query_key: String,
    pub xml_attribute: bool,
    pub xml_flattened: bool,
    /// `@httpHeader` name, only in rest protocols.
    pub header: Option<String>,
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
    /// A generated type or alias, by Rust name.
    Named(String),
    List {
        item: Box<RustType>,
        sparse: bool,
        /// Element name of entries in wrapped XML lists.
        xml_member: String,
    },
    Map {
        key: Box<RustType>,
        value: Box<RustType>,
        sparse: bool,
        xml_key: String,
        xml_value: String,
    },
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
    #[allow(dead_code)] // Read by the query request serializers.
    pub query_key: String,
    /// None for members targeting `smithy.api#Unit`.
    pub ty: Option<RustType>,
    pub boxed: bool,
    pub sensitive: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    /// The first paragraph of the operation's documentation.
    pub summary: Option<String>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error_enum: String,
    pub errors: Vec<ErrorCase>,
    /// The generated unknown variant's name.
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub variant: String,
    /// Rust name of the error structure.
    pub type_name: String,
    /// Sanitized codes that select this case.
    pub codes: Vec<String>,
    pub doc: Option<String>,
}
