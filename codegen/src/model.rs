//! The loaded Smithy model: shapes keyed by absolute shape ID, with the prelude added, mixins
//! flattened, `apply` applied and legacy `smithy.api#enum` strings turned into enum shapes.

use std::collections::BTreeMap;

use serde_json::Value;

/// Every shape type of the Smithy 2.0 IDL (`set` is read as `list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShapeKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Map,
    Structure,
    Union,
    Operation,
    Resource,
    Service,
}

impl ShapeKind {
    pub fn parse(name: &str) -> Option<ShapeKind> {
        use ShapeKind::*;
        Some(match name {
            "blob" => Blob,
            "boolean" => Boolean,
            "string" => String,
            "byte" => Byte,
            "short" => Short,
            "integer" => Integer,
            "long" => Long,
            "float" => Float,
            "double" => Double,
            "bigInteger" => BigInteger,
            "bigDecimal" => BigDecimal,
            "timestamp" => Timestamp,
            "document" => Document,
            "enum" => Enum,
            "intEnum" => IntEnum,
            "list" | "set" => List,
            "map" => Map,
            "structure" => Structure,
            "union" => Union,
            "operation" => Operation,
            "resource" => Resource,
            "service" => Service,
            _ => return None,
        })
    }

    /// The type's name in the IDL and the JSON AST (`list` for sets too).
    pub fn as_str(self) -> &'static str {
        use ShapeKind::*;
        match self {
            Blob => "blob",
            Boolean => "boolean",
            String => "string",
            Byte => "byte",
            Short => "short",
            Integer => "integer",
            Long => "long",
            Float => "float",
            Double => "double",
            BigInteger => "bigInteger",
            BigDecimal => "bigDecimal",
            Timestamp => "timestamp",
            Document => "document",
            Enum => "enum",
            IntEnum => "intEnum",
            List => "list",
            Map => "map",
            Structure => "structure",
            Union => "union",
            Operation => "operation",
            Resource => "resource",
            Service => "service",
        }
    }

    /// Simple shapes: the ones that become type aliases when named.
    pub fn is_simple(self) -> bool {
        use ShapeKind::*;
        matches!(
            self,
            Blob | Boolean
                | String
                | Byte
                | Short
                | Integer
                | Long
                | Float
                | Double
                | BigInteger
                | BigDecimal
                | Timestamp
                | Document
        )
    }

    /// Shapes whose `members` property is meaningful.
    pub fn has_named_members(self) -> bool {
        matches!(self, ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum)
    }
}

/// Traits by absolute shape ID, sorted for deterministic iteration.
pub type Traits = BTreeMap<String, Value>;

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub target: String,
    pub traits: Traits,
}

impl Member {
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub id: String,
    pub kind: ShapeKind,
    /// Members in model order: structure/union/enum members, `member` of a list, `key` and
    /// `value` of a map.
    pub members: Vec<Member>,
    pub traits: Traits,
    pub mixins: Vec<String>,
    /// Operation: input, output, errors. Service: errors declared on the service.
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
    /// Service and resource: the `operations` and `resources` bound to them. A resource's
    /// lifecycle and collection operations are kept apart, in `lifecycle` and
    /// `collection_operations`; [`Shape::bound_operations`] lists them all.
    pub operations: Vec<String>,
    pub resources: Vec<String>,
    /// Resource: `identifiers` and `properties` (name to target shape ID, in model order),
    /// lifecycle operations by property name (`create`, `put`, `read`, `update`, `delete`,
    /// `list`) and `collectionOperations`.
    pub identifiers: Vec<(String, String)>,
    pub properties: Vec<(String, String)>,
    pub lifecycle: BTreeMap<String, String>,
    pub collection_operations: Vec<String>,
    /// Service: the `rename` map (shape ID to new name) and `version`.
    pub rename: BTreeMap<String, String>,
    pub version: Option<String>,
    /// Whether this shape came from the built-in prelude.
    pub prelude: bool,
}

impl Shape {
    pub fn new(id: &str, kind: ShapeKind) -> Shape {
        Shape {
            id: id.to_owned(),
            kind,
            members: Vec::new(),
            traits: Traits::new(),
            mixins: Vec::new(),
            input: None,
            output: None,
            errors: Vec::new(),
            operations: Vec::new(),
            resources: Vec::new(),
            identifiers: Vec::new(),
            properties: Vec::new(),
            lifecycle: BTreeMap::new(),
            collection_operations: Vec::new(),
            rename: BTreeMap::new(),
            version: None,
            prelude: false,
        }
    }

    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Every operation bound to a service or resource: `operations`, then
    /// `collectionOperations`, then the lifecycle operations in the order `create`, `put`,
    /// `read`, `update`, `delete`, `list`.
    pub fn bound_operations(&self) -> impl Iterator<Item = &String> {
        let lifecycle = LIFECYCLE.iter().filter_map(|p| self.lifecycle.get(*p));
        self.operations.iter().chain(&self.collection_operations).chain(lifecycle)
    }

    /// The shape's name: what stands after `#`.
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }
}

/// The lifecycle properties of a resource, in the order the JSON AST lists them.
pub const LIFECYCLE: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];

/// What stands after `#` in an absolute shape ID.
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// A position in a model file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Where a shape was defined: its file, and for IDL files the position of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub pos: Option<Pos>,
}

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    /// The file the model came from (the first, when several were assembled), for error
    /// messages about the model as a whole.
    pub file: String,
    pub shapes: BTreeMap<String, Shape>,
    /// The model's `metadata`, merged over its files.
    pub metadata: BTreeMap<String, Value>,
    /// Where each shape not from the prelude was defined.
    pub locations: BTreeMap<String, Location>,
}

impl Model {
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// An error about shape `id`, naming the file (and line and column) that defines it.
    pub fn error(&self, id: &str, message: impl Into<String>) -> crate::Error {
        match self.locations.get(id) {
            Some(loc) => crate::Error::new(&loc.file, message).at_pos(loc.pos).shape(id),
            None => crate::Error::new(&self.file, message).shape(id),
        }
    }

    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values().filter(|s| s.kind == ShapeKind::Service && !s.prelude)
    }
}

pub mod traits {
    //! Absolute IDs of the traits the generator reads.
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const INPUT: &str = "smithy.api#input";
    pub const ERROR: &str = "smithy.api#error";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const ENUM: &str = "smithy.api#enum";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    pub const XML_NAME: &str = "smithy.api#xmlName";
    pub const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";
    pub const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
    pub const HTTP: &str = "smithy.api#http";
    pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
    pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
    pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
    pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
    pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
    pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
    pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
    pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
    pub const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";
    pub const ENDPOINT: &str = "smithy.api#endpoint";
    pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
    pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
    pub const HTTP_CHECKSUM: &str = "aws.protocols#httpChecksum";
    pub const S3_UNWRAPPED_XML_OUTPUT: &str = "aws.customizations#s3UnwrappedXmlOutput";
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const UNIT_TYPE: &str = "smithy.api#unitType";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const AWS_SERVICE: &str = "aws.api#service";
    pub const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";
    pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
    pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
    pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
    pub const REST_JSON_1: &str = "aws.protocols#restJson1";
    pub const REST_XML: &str = "aws.protocols#restXml";
    pub const AWS_QUERY: &str = "aws.protocols#awsQuery";
    pub const EC2_QUERY: &str = "aws.protocols#ec2Query";
    pub const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";
    pub const RPC_V2_CBOR: &str = "smithy.protocols#rpcv2Cbor";
    pub const TITLE: &str = "smithy.api#title";
    pub const RANGE: &str = "smithy.api#range";
    pub const LENGTH: &str = "smithy.api#length";
    pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
    pub const BOX: &str = "smithy.api#box";
    pub const OUTPUT: &str = "smithy.api#output";
    pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
    pub const CLIENT_CONTEXT_PARAMS: &str = "smithy.rules#clientContextParams";
    pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
    pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
    pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";
    pub const AUTH: &str = "smithy.api#auth";
    pub const AUTH_DEFINITION: &str = "smithy.api#authDefinition";
    pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
    pub const HTTP_BASIC_AUTH: &str = "smithy.api#httpBasicAuth";
    pub const HTTP_DIGEST_AUTH: &str = "smithy.api#httpDigestAuth";
    pub const HTTP_BEARER_AUTH: &str = "smithy.api#httpBearerAuth";
    pub const HTTP_API_KEY_AUTH: &str = "smithy.api#httpApiKeyAuth";
    pub const SIGV4: &str = "aws.auth#sigv4";
    pub const SIGV4A: &str = "aws.auth#sigv4a";
    pub const UNSIGNED_PAYLOAD: &str = "aws.auth#unsignedPayload";
}
