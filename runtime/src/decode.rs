//! The error every decoder returns when its input does not fit the model.
//!
//! A [`DecodeError`] says why (its [`message`](DecodeError::message)) and where (its
//! [`path`](DecodeError::path)): each container the error leaves on its way up adds the key,
//! element name or index it was found under, so that the error of a member deep in a body
//! reads `imageDetails[3].imageTags[0]: expected a string, found a number`.

use std::fmt;

/// Why a value could not be decoded, and where in the input.
///
/// One pointer wide, so that `Result<T, DecodeError>` costs little more than `T` on the
/// success path.
#[derive(Clone, PartialEq)]
pub struct DecodeError(Box<Inner>);

#[derive(Clone, PartialEq)]
struct Inner {
    message: String,
    /// The path, innermost segment first (segments are added as the error bubbles up).
    path: Vec<Segment>,
}

#[derive(Clone, PartialEq)]
enum Segment {
    /// An object key or element name.
    Key(String),
    /// A list index.
    Index(usize),
}

impl DecodeError {
    /// An error saying `message`, at the root of the input.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError(Box::new(Inner {
            message: message.into(),
            path: Vec::new(),
        }))
    }

    /// An error saying `expected {what}, found {found}` (`expected a string, found a number`).
    pub fn expected(what: &str, found: &str) -> Self {
        Self::new(format!("expected {what}, found {found}"))
    }

    /// The error, found under the object key or element name `key`.
    pub fn at_key(mut self, key: &str) -> Self {
        self.0.path.push(Segment::Key(key.to_owned()));
        self
    }

    /// The error, found at index `index` of a list.
    pub fn at_index(mut self, index: usize) -> Self {
        self.0.path.push(Segment::Index(index));
        self
    }

    /// Where the error is, as `imageDetails[3].imageTags[0]`; empty at the root.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.0.path.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(index) => {
                    use fmt::Write as _;
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    /// Why the value could not be decoded.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.path.is_empty() {
            f.write_str(&self.0.message)
        } else {
            write!(f, "{}: {}", self.path(), self.0.message)
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("path", &self.path())
            .field("message", &self.0.message)
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// The longest text [`quote`] shows whole.
const QUOTED_CHARS: usize = 64;

/// `text` quoted for an error message (`"abc"`), cut after [`QUOTED_CHARS`] characters;
/// `empty text` when empty.
pub(crate) fn quote(text: &str) -> String {
    if text.is_empty() {
        return "empty text".to_owned();
    }
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{:?}...", text.get(..cut).unwrap_or_default()),
        None => format!("{text:?}"),
    }
}

/// The error of a decoder that went past [`crate::MAX_NESTING`] levels.
pub(crate) fn too_deep() -> DecodeError {
    DecodeError::new(format!("nested deeper than {} levels", crate::MAX_NESTING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_outermost_first() {
        let e = DecodeError::new("bad")
            .at_key("c")
            .at_index(2)
            .at_key("b")
            .at_key("a");
        assert_eq!(e.path(), "a.b[2].c");
        assert_eq!(e.message(), "bad");
        assert_eq!(e.to_string(), "a.b[2].c: bad");
        let e = DecodeError::expected("a string", "a number")
            .at_key("imageTags")
            .at_index(0)
            .at_index(3);
        assert_eq!(
            e.to_string(),
            "[3][0].imageTags: expected a string, found a number"
        );
        let e = DecodeError::expected("a string", "a number")
            .at_index(0)
            .at_key("imageTags")
            .at_index(3)
            .at_key("imageDetails");
        assert_eq!(
            e.to_string(),
            "imageDetails[3].imageTags[0]: expected a string, found a number"
        );
        let root = DecodeError::new("at the root");
        assert_eq!(root.path(), "");
        assert_eq!(root.to_string(), "at the root");
        assert_eq!(
            format!("{:?}", DecodeError::new("m").at_key("k")),
            r#"DecodeError { path: "k", message: "m" }"#
        );
        let boxed: Box<dyn std::error::Error> = Box::new(root.clone());
        assert_eq!(boxed.to_string(), "at the root");
        assert_ne!(root, root.clone().at_index(0));
    }

    #[test]
    fn one_pointer_wide() {
        assert_eq!(
            std::mem::size_of::<DecodeError>(),
            std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::size_of::<Result<Box<u8>, DecodeError>>(),
            2 * std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(""), "empty text");
        assert_eq!(quote("a\"b"), r#""a\"b""#);
        let long = "é".repeat(100);
        assert_eq!(quote(&long), format!("\"{}\"...", "é".repeat(64)));
    }
}
