//! Macros generated crates call for the impls every enum of theirs shares, so that each
//! generated enum spells out only what is its own (its variants and wire values).

/// The impls every generated string enum shares, from its inherent `as_str` and its
/// `From<&str>`: `From<String>`, `AsRef<str>`, `Display`, `Default` (an empty unknown value),
/// [`ToValue`](crate::ToValue) (an [`Enum`](crate::Value::Enum) of the wire value), and the
/// decoders from JSON, XML and headers.
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $unknown:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::default::Default for $name {
            /// An empty unknown value.
            fn default() -> Self {
                Self::$unknown(::std::string::String::new())
            }
        }
        impl $crate::ToValue for $name {
            fn to_value(&self) -> $crate::Value {
                $crate::Value::Enum(self.as_str().to_owned())
            }
        }
        impl $crate::json::FromJson for $name {
            fn from_json<J: $crate::json::Json>(value: &J) -> ::std::option::Option<Self> {
                value.as_str().map(Self::from)
            }
        }
        impl $crate::xml::FromXml for $name {
            fn from_xml(element: $crate::xml::Element<'_, '_>) -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::from($crate::xml::text(element).as_str()))
            }
            fn from_xml_text(text: &str) -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::from(text))
            }
        }
        impl $crate::http::FromHeader for $name {
            fn from_header(value: &str) -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::from(value.trim()))
            }
        }
    };
}

/// The impls every generated int enum shares, from its inherent `as_i32` and its
/// `From<i32>`: `Default` (the value 0), [`ToValue`](crate::ToValue) (an
/// [`IntEnum`](crate::Value::IntEnum)), and the decoders from JSON, XML and headers.
#[macro_export]
macro_rules! int_enum {
    ($name:ident) => {
        impl ::std::default::Default for $name {
            /// The value 0.
            fn default() -> Self {
                Self::from(0)
            }
        }
        impl $crate::ToValue for $name {
            fn to_value(&self) -> $crate::Value {
                $crate::Value::IntEnum(self.as_i32())
            }
        }
        impl $crate::json::FromJson for $name {
            fn from_json<J: $crate::json::Json>(value: &J) -> ::std::option::Option<Self> {
                <i32 as $crate::json::FromJson>::from_json(value).map(Self::from)
            }
        }
        impl $crate::xml::FromXml for $name {
            fn from_xml(element: $crate::xml::Element<'_, '_>) -> ::std::option::Option<Self> {
                <i32 as $crate::xml::FromXml>::from_xml(element).map(Self::from)
            }
            fn from_xml_text(text: &str) -> ::std::option::Option<Self> {
                <i32 as $crate::xml::FromXml>::from_xml_text(text).map(Self::from)
            }
        }
        impl $crate::http::FromHeader for $name {
            fn from_header(value: &str) -> ::std::option::Option<Self> {
                <i32 as $crate::http::FromHeader>::from_header(value).map(Self::from)
            }
        }
    };
}

/// The impls every generated error structure shares: the `CODE` it is known by on the wire,
/// [`ErrorDetails`](crate::error::ErrorDetails) (that code and the message member, if the
/// structure has one), `Display` (`Code: message`) and `std::error::Error`.
#[macro_export]
macro_rules! error_structure {
    ($name:ident, $code:literal) => {
        $crate::error_structure!(@common $name, $code);
        impl $crate::error::ErrorDetails for $name {
            fn code(&self) -> &str {
                Self::CODE
            }
            fn message(&self) -> ::std::option::Option<&str> {
                ::std::option::Option::None
            }
        }
    };
    ($name:ident, $code:literal, $message:ident) => {
        $crate::error_structure!(@common $name, $code);
        impl $crate::error::ErrorDetails for $name {
            fn code(&self) -> &str {
                Self::CODE
            }
            fn message(&self) -> ::std::option::Option<&str> {
                $crate::error::MessageField::as_message(&self.$message)
            }
        }
    };
    (@common $name:ident, $code:literal) => {
        impl $name {
            /// The code this error is known by on the wire.
            pub const CODE: &'static str = $code;
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::error::fmt_error(self, f)
            }
        }
        impl ::std::error::Error for $name {}
    };
}
