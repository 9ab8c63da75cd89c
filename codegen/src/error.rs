use std::fmt;

/// A problem with the input model, reported as one line naming the file, and where they
/// apply, the shape ID and the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Error { file: file.to_owned(), shape: None, member: None, message: message.into() }
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(shape) = &self.shape {
            write!(f, ": shape `{shape}`")?;
        }
        if let Some(member) = &self.member {
            write!(f, ", member `{member}`")?;
        }
        // Keep the report on one line whatever the message holds.
        let message = self.message.replace(['\n', '\r'], " ");
        write!(f, ": {message}")
    }
}

impl std::error::Error for Error {}
