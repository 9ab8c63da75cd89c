//! Macros generated crates call for the impls every enum of theirs shares, so that each
//! generated enum spells out only what is its own (its variants and wire values).
//!
//! Their methods are `#[inline]`, like those of generated code: a generated crate's callers
//! use a few of its shapes, and an `#[inline]` function is compiled in the crate that calls it,
//! and only if it does.

/// The impls every generated string enum shares, from its inherent `as_str` and its
/// `From<&str>`: `From<String>`, `AsRef<str>`, `Display`, `Default` (an empty unknown value),
/// [`ToValue`](crate::ToValue) (an [`Enum`](crate::Value::Enum) of the wire value), and the
/// decoders from JSON, headers and (with the runtime's `xml` feature) XML.
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $unknown:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::default::Default for $name {
            /// An empty unknown value.
            #[inline]
            fn default() -> Self {
                Self::$unknown(::std::string::String::new())
            }
        }
        impl $crate::ToValue for $name {
            #[inline]
            fn to_value(&self) -> $crate::Value {
                $crate::Value::Enum(self.as_str().to_owned())
            }
        }
        /// A string; a value this version does not know is kept as the unknown variant.
        impl $crate::json::FromJson for $name {
            fn from_json<J: $crate::json::Json>(
                value: &J,
            ) -> ::std::result::Result<Self, $crate::DecodeError> {
                match $crate::json::Json::as_str(value) {
                    ::std::option::Option::Some(s) => ::std::result::Result::Ok(Self::from(s)),
                    ::std::option::Option::None => ::std::result::Result::Err(
                        $crate::DecodeError::expected("a string", $crate::json::kind(value)),
                    ),
                }
            }
        }
        $crate::__with_xml! {
            impl $crate::xml::FromXml for $name {
                #[inline]
                fn from_xml(
                    element: $crate::xml::Element<'_, '_>,
                ) -> ::std::result::Result<Self, $crate::DecodeError> {
                    ::std::result::Result::Ok(Self::from($crate::xml::text(element).as_str()))
                }
                #[inline]
                fn from_xml_text(text: &str) -> ::std::result::Result<Self, $crate::DecodeError> {
                    ::std::result::Result::Ok(Self::from(text))
                }
            }
        }
        impl $crate::http::FromHeader for $name {
            #[inline]
            fn from_header(value: &str) -> ::std::result::Result<Self, $crate::DecodeError> {
                ::std::result::Result::Ok(Self::from(value.trim()))
            }
        }
        impl $crate::to_json::ToJson for $name {
            #[inline]
            fn write_json(&self, out: &mut $crate::to_json::JsonWriter) {
                out.string(self.as_str());
            }
        }
        impl $crate::rest::ToText for $name {
            #[inline]
            fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

/// The impls every generated int enum shares, from its inherent `as_i32` and its
/// `From<i32>`: `Default` (the value 0), [`ToValue`](crate::ToValue) (an
/// [`IntEnum`](crate::Value::IntEnum)), and the decoders from JSON, headers and (with the
/// runtime's `xml` feature) XML.
#[macro_export]
macro_rules! int_enum {
    ($name:ident) => {
        impl ::std::default::Default for $name {
            /// The value 0.
            #[inline]
            fn default() -> Self {
                Self::from(0)
            }
        }
        impl $crate::ToValue for $name {
            #[inline]
            fn to_value(&self) -> $crate::Value {
                $crate::Value::IntEnum(self.as_i32())
            }
        }
        /// An `i32`; a value this version does not know is kept as is.
        impl $crate::json::FromJson for $name {
            fn from_json<J: $crate::json::Json>(
                value: &J,
            ) -> ::std::result::Result<Self, $crate::DecodeError> {
                <i32 as $crate::json::FromJson>::from_json(value).map(Self::from)
            }
        }
        $crate::__with_xml! {
            impl $crate::xml::FromXml for $name {
                #[inline]
                fn from_xml(
                    element: $crate::xml::Element<'_, '_>,
                ) -> ::std::result::Result<Self, $crate::DecodeError> {
                    <i32 as $crate::xml::FromXml>::from_xml(element).map(Self::from)
                }
                #[inline]
                fn from_xml_text(text: &str) -> ::std::result::Result<Self, $crate::DecodeError> {
                    <i32 as $crate::xml::FromXml>::from_xml_text(text).map(Self::from)
                }
            }
        }
        impl $crate::http::FromHeader for $name {
            #[inline]
            fn from_header(value: &str) -> ::std::result::Result<Self, $crate::DecodeError> {
                <i32 as $crate::http::FromHeader>::from_header(value).map(Self::from)
            }
        }
        impl $crate::to_json::ToJson for $name {
            #[inline]
            fn write_json(&self, out: &mut $crate::to_json::JsonWriter) {
                $crate::to_json::ToJson::write_json(&self.as_i32(), out);
            }
        }
        impl $crate::rest::ToText for $name {
            #[inline]
            fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Owned(self.as_i32().to_string())
            }
        }
    };
}

/// The impls every generated error structure shares: the `CODE` it is known by on the wire,
/// [`ErrorDetails`](crate::error::ErrorDetails) (that code and the message field: the model's
/// message member, or the `message` field the generator adds to an error structure without
/// one; the form without a field gives no message), `Display` (`Code: message`) and
/// `std::error::Error`.
#[macro_export]
macro_rules! error_structure {
    ($name:ident, $code:literal) => {
        $crate::error_structure!(@common $name, $code);
        impl $crate::error::ErrorDetails for $name {
            #[inline]
            fn code(&self) -> &str {
                Self::CODE
            }
            #[inline]
            fn message(&self) -> ::std::option::Option<&str> {
                ::std::option::Option::None
            }
        }
    };
    ($name:ident, $code:literal, $message:ident) => {
        $crate::error_structure!(@common $name, $code);
        impl $crate::error::ErrorDetails for $name {
            #[inline]
            fn code(&self) -> &str {
                Self::CODE
            }
            #[inline]
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
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::error::fmt_error(self, f)
            }
        }
        impl ::std::error::Error for $name {}
    };
}

/// Its input when the runtime has its `xml` feature, else nothing: what the enum macros wrap
/// their XML decoders in. The choice is the runtime's, not the calling crate's, which a
/// `#[cfg]` in the macros' expansion would test instead.
#[cfg(feature = "xml")]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_xml {
    ($($item:item)*) => {
        $($item)*
    };
}

/// Its input when the runtime has its `xml` feature, else nothing (here: nothing).
#[cfg(not(feature = "xml"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_xml {
    ($($item:item)*) => {};
}

#[cfg(test)]
mod tests {
    use crate::http::FromHeader;
    use crate::json::FromJson;
    #[cfg(feature = "xml")]
    use crate::xml::FromXml;

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Color::Red => "red",
                Color::Unknown(s) => s,
            }
        }
    }

    impl From<&str> for Color {
        fn from(s: &str) -> Self {
            match s {
                "red" => Color::Red,
                other => Color::Unknown(other.to_owned()),
            }
        }
    }

    crate::string_enum!(Color, Unknown);

    #[derive(Debug, PartialEq)]
    enum Level {
        One,
        Other(i32),
    }

    impl Level {
        fn as_i32(&self) -> i32 {
            match self {
                Level::One => 1,
                Level::Other(n) => *n,
            }
        }
    }

    impl From<i32> for Level {
        fn from(n: i32) -> Self {
            match n {
                1 => Level::One,
                other => Level::Other(other),
            }
        }
    }

    crate::int_enum!(Level);

    #[test]
    fn enums_decode_strictly_and_keep_unknown_values() {
        use serde_json::json;
        assert_eq!(Color::from_json(&json!("red")), Ok(Color::Red));
        assert_eq!(
            Color::from_json(&json!("blue")),
            Ok(Color::Unknown("blue".into()))
        );
        assert_eq!(
            Color::from_json(&json!(1)).map_err(|e| e.to_string()),
            Err("expected a string, found a number".into())
        );
        assert_eq!(Color::from_header(" red "), Ok(Color::Red));
        #[cfg(feature = "xml")]
        {
            assert_eq!(Color::from_xml_text("red"), Ok(Color::Red));
            let doc = crate::xml::parse("<c>red</c>").expect("valid XML");
            assert_eq!(Color::from_xml(doc.root_element()), Ok(Color::Red));
        }
        assert_eq!(Color::default().to_string(), "");

        assert_eq!(Level::from_json(&json!(1)), Ok(Level::One));
        assert_eq!(Level::from_json(&json!(7)), Ok(Level::Other(7)));
        assert!(Level::from_json(&json!("1")).is_err());
        assert!(Level::from_json(&json!(1.5)).is_err());
        assert_eq!(Level::from_header("1"), Ok(Level::One));
        assert!(Level::from_header("one").is_err());
        #[cfg(feature = "xml")]
        {
            assert_eq!(Level::from_xml_text(" 2 "), Ok(Level::Other(2)));
            assert!(Level::from_xml_text("").is_err());
        }
        assert_eq!(Level::default().as_i32(), 0);
    }
}
