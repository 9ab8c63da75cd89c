use std::fmt;

use crate::model::Pos;

/// A problem with the input model, reported as one line naming the file, and where they
/// apply, the shape ID and the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    /// Line and column in `file`, for IDL files.
    pub pos: Option<Pos>,
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Error { file: file.to_owned(), pos: None, shape: None, member: None, message: message.into() }
    }
    pub fn at_pos(mut self, pos: Option<Pos>) -> Self {
        self.pos = pos;
        self
    }
    /// The line of `source` (the text of [`Error::file`]) that the error points into, and a
    /// caret under its column: two lines to print under the report.
    pub fn snippet(&self, source: &str) -> Option<String> {
        let pos = self.pos?;
        let line = source.lines().nth(pos.line.checked_sub(1)? as usize)?;
        let line = one_line(line, MAX_MESSAGE);
        let indent: String = line
            .chars()
            .take(pos.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        Some(format!("{line}\n{indent}^"))
    }
    pub fn shape(mut self, shape: impl Into<String>) -> Self {
        self.shape = Some(shape.into());
        self
    }
    pub fn member(mut self, member: impl Into<String>) -> Self {
        self.member = Some(member.into());
        self
    }
}

/// The longest shape ID or member name a report shows in full.
const MAX_NAME: usize = 200;
/// The longest message a report shows in full.
const MAX_MESSAGE: usize = 1_000;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(pos) = self.pos {
            write!(f, ":{}:{}", pos.line, pos.col)?;
        }
        if let Some(shape) = &self.shape {
            write!(f, ": shape `{}`", one_line(shape, MAX_NAME))?;
        }
        if let Some(member) = &self.member {
            write!(f, ", member `{}`", one_line(member, MAX_NAME))?;
        }
        write!(f, ": {}", one_line(&self.message, MAX_MESSAGE))
    }
}

/// `text` on one line (line breaks become spaces), cut to `max` bytes (on a character
/// boundary) with `…` where it was cut: a report stays one readable line whatever the model
/// holds.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = text[..end].replace(['\n', '\r'], " ");
    if end < text.len() {
        out.push('…');
    }
    out
}

/// A value from the model quoted in a message: cut to 100 bytes, so that a huge ID or trait
/// value cannot make a huge report.
pub(crate) fn clip(text: &str) -> String {
    one_line(text, 100)
}

/// A chain of shape IDs (`a -> b -> c`), eliding the middle of a long one.
pub(crate) fn chain<S: AsRef<str>>(ids: &[S]) -> String {
    const HEAD: usize = 4;
    const TAIL: usize = 2;
    let show = |part: &[S]| part.iter().map(|s| clip(s.as_ref())).collect::<Vec<_>>().join(" -> ");
    if ids.len() <= HEAD + TAIL + 1 {
        return show(ids);
    }
    let (head, rest) = ids.split_at(HEAD);
    let tail = rest.get(rest.len().saturating_sub(TAIL)..).unwrap_or_default();
    format!("{} -> ... ({} more) ... -> {}", show(head), rest.len() - TAIL, show(tail))
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_stay_short_and_on_one_line() {
        assert_eq!(one_line("a\nb\r\nc", 100), "a b  c");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("ééé", 3), "é…");
        assert_eq!(clip(&"x".repeat(150)), format!("{}…", "x".repeat(100)));
        let long = Error::new("f.json", "m".repeat(5_000)).shape("a#".to_owned() + &"B".repeat(500)).member("c".repeat(500));
        let line = long.to_string();
        assert!(line.len() < 1_500 && !line.contains('\n'), "{line}");
        assert_eq!(chain(&["a", "b", "a"]), "a -> b -> a");
        let ids: Vec<String> = (0..10).map(|i| format!("x#S{i}")).collect();
        assert_eq!(chain(&ids), "x#S0 -> x#S1 -> x#S2 -> x#S3 -> ... (4 more) ... -> x#S8 -> x#S9");
        assert_eq!(chain(&ids[..7]).matches("->").count(), 6);
    }
}
