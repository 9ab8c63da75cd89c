//! The INI-like syntax of the shared `config` and `credentials` files, line by line.
//!
//! - A line that is blank, or whose first non-blank character is `#` or `;`, is a comment.
//! - `[name]` starts a section; a comment may follow the `]`.
//! - `name = value` is a property of the current section. A `#` or `;` after whitespace starts
//!   a comment (`region = us-east-1 ; work` is `us-east-1`); one right after a character is part
//!   of the value (`a=b;c` is `b;c`).
//! - A line starting with whitespace continues the property above it: its text (trimmed) is
//!   appended on a new line. That is how sub-properties are written
//!   (`s3 =` then `  max_concurrent_requests = 10`).
//!
//! Anything else is a syntax error naming the file and the line.

use std::fmt;
use std::path::{Path, PathBuf};

/// A shared file that could not be read or parsed: which file, which line when the syntax is
/// at fault, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFileError {
    /// The file.
    pub path: PathBuf,
    /// The line (from 1), for a syntax error.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ProfileFileError {}

/// One `[header]` section as written, with its properties in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSection {
    /// What is between the brackets, trimmed.
    pub header: String,
    /// `(name, value)`, in order (a name may repeat: the last wins).
    pub properties: Vec<(String, String)>,
}

/// Cuts a comment that starts after whitespace (`value ; comment`).
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, pair) in bytes.windows(2).enumerate() {
        if let [space, b'#' | b';'] = pair {
            if space.is_ascii_whitespace() {
                return value.get(..i).unwrap_or(value);
            }
        }
    }
    value
}

/// Parses a whole file; `path` only names it in errors.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<RawSection>, ProfileFileError> {
    let error = |line: usize, message: &str| ProfileFileError {
        path: path.to_owned(),
        line: Some(line),
        message: message.to_owned(),
    };
    let mut sections: Vec<RawSection> = Vec::new();
    // Whether the last line read was a property (or its continuation), which a continuation
    // line may extend.
    let mut in_property = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if trimmed.starts_with('[') {
            let Some(close) = trimmed.rfind(']') else {
                return Err(error(number, "a section header must end with ']'"));
            };
            let after = trimmed.get(close + 1..).unwrap_or_default().trim();
            if !after.is_empty() && !after.starts_with('#') && !after.starts_with(';') {
                return Err(error(
                    number,
                    "only a comment may follow a section header's ']'",
                ));
            }
            let header = trimmed.get(1..close).unwrap_or_default().trim();
            if header.is_empty() {
                return Err(error(number, "a section header needs a name: `[name]`"));
            }
            sections.push(RawSection {
                header: header.to_owned(),
                properties: Vec::new(),
            });
            in_property = false;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(error(
                number,
                "expected a section header (`[default]`, `[profile name]`) before the first property",
            ));
        };
        if indented {
            match section.properties.last_mut() {
                Some((_, value)) if in_property => {
                    value.push('\n');
                    value.push_str(trimmed);
                    continue;
                }
                _ => {
                    return Err(error(
                        number,
                        "an indented line continues a property, but no property comes before it",
                    ))
                }
            }
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            return Err(error(number, "expected a property `name = value`"));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(error(number, "a property needs a name before '='"));
        }
        let value = strip_inline_comment(value).trim();
        section.properties.push((name.to_owned(), value.to_owned()));
        in_property = true;
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<RawSection> {
        match parse(text, Path::new("f")) {
            Ok(sections) => sections,
            Err(e) => panic!("{e}"),
        }
    }

    fn err(text: &str) -> String {
        match parse(text, Path::new("/h/.aws/config")) {
            Ok(sections) => panic!("parsed {sections:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn sections_properties_comments_continuations() {
        let text = "# top\n; also\n\n[default] ; trailing\nregion = us-east-1 ; work\nkey=a;b\n\
                    s3 =\n  max_concurrent_requests = 10\n\tsignature_version = s3v4\r\n[ profile  x ]\nempty =\n";
        let sections = ok(text);
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].header, "default");
        assert_eq!(
            sections[0].properties,
            vec![
                ("region".to_owned(), "us-east-1".to_owned()),
                ("key".to_owned(), "a;b".to_owned()),
                (
                    "s3".to_owned(),
                    "\nmax_concurrent_requests = 10\nsignature_version = s3v4".to_owned()
                ),
            ]
        );
        assert_eq!(sections[1].header, "profile  x");
        assert_eq!(sections[1].properties, vec![("empty".into(), "".into())]);
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        assert_eq!(
            err("region = x\n"),
            "/h/.aws/config:1: expected a section header (`[default]`, `[profile name]`) before the first property"
        );
        assert_eq!(
            err("[default]\nregion\n"),
            "/h/.aws/config:2: expected a property `name = value`"
        );
        assert_eq!(
            err("[default]\n\n[profile x\n"),
            "/h/.aws/config:3: a section header must end with ']'"
        );
        assert_eq!(
            err("[default]\n= v\n"),
            "/h/.aws/config:2: a property needs a name before '='"
        );
        assert_eq!(
            err("[default]\n  indented = x\n"),
            "/h/.aws/config:2: an indented line continues a property, but no property comes before it"
        );
        assert_eq!(
            err("[default] x\n"),
            "/h/.aws/config:1: only a comment may follow a section header's ']'"
        );
        assert_eq!(
            err("[]\n"),
            "/h/.aws/config:1: a section header needs a name: `[name]`"
        );
    }
}
