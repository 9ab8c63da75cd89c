//! Binary data (the Smithy `blob` type).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// Standard alphabet; encodes with padding, decodes with or without it.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A sequence of bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Gives the bytes back.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// Encodes as padded base64 with the standard alphabet.
    pub fn to_base64(&self) -> String {
        ENGINE.encode(&self.0)
    }

    /// Decodes standard-alphabet base64, padded or not; ASCII whitespace
    /// (such as line breaks) is ignored. `None` when the text is not base64.
    pub fn from_base64(text: &str) -> Option<Blob> {
        let decoded = if text.bytes().any(|b| b.is_ascii_whitespace()) {
            let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            ENGINE.decode(compact)
        } else {
            ENGINE.decode(text)
        };
        decoded.ok().map(Blob)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob(text.as_bytes().to_vec())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for len in 0..20u8 {
            let blob = Blob::new((0..len).collect::<Vec<u8>>());
            assert_eq!(Blob::from_base64(&blob.to_base64()), Some(blob.clone()));
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(Blob::from("foobar").to_base64(), "Zm9vYmFy");
        assert_eq!(Blob::from("fo").to_base64(), "Zm8=");
        assert_eq!(Blob::from_base64("Zm8="), Some(Blob::from("fo")));
        assert_eq!(Blob::from_base64("Zm8"), Some(Blob::from("fo")));
        assert_eq!(
            Blob::from_base64("Zm9v\nYmFy\r\n"),
            Some(Blob::from("foobar"))
        );
        assert_eq!(Blob::from_base64(""), Some(Blob::default()));
        assert_eq!(
            Blob::from_base64("+/+/"),
            Some(Blob::new(vec![0xfb, 0xff, 0xbf]))
        );
    }

    #[test]
    fn garbage() {
        assert_eq!(Blob::from_base64("Zm9v!"), None);
        assert_eq!(Blob::from_base64("-_-_"), None);
        assert_eq!(Blob::from_base64("Z"), None);
        assert_eq!(Blob::from_base64("Zm8=="), None);
        assert_eq!(Blob::from_base64("====="), None);
    }

    #[test]
    fn accessors() {
        let blob = Blob::from(&[1u8, 2, 3][..]);
        assert_eq!(blob.as_bytes(), &[1, 2, 3]);
        assert_eq!(blob.clone().into_inner(), vec![1, 2, 3]);
        assert_eq!(Blob::from(vec![1u8, 2, 3]), blob);
    }
}
