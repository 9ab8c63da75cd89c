//! SigV4a: the ECDSA P-256 key derived from the secret access key, and signatures with it.

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};

use super::{hex, hmac_sha256, Credentials, SigningError};

/// The order of P-256 less two, big-endian: a derived candidate must not exceed it.
const N_MINUS_TWO: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// The label of the key derivation, the algorithm's name.
const LABEL: &[u8] = b"AWS4-ECDSA-P256-SHA256";

/// The private key of `credentials`: NIST SP 800-108's KDF in counter mode with HMAC-SHA256,
/// keyed by `AWS4A` and the secret, over the fixed input `1 (u32) || label || 0x00 ||
/// access key ID || counter (u8) || 256 (u32)`; the first candidate `c <= n - 2` for counters
/// 1 to 254 gives the key `c + 1`.
fn private_key(credentials: &Credentials) -> Result<SigningKey, SigningError> {
    let secret = credentials.secret_access_key().expose().as_bytes();
    let mut key = Vec::with_capacity(5 + secret.len());
    key.extend_from_slice(b"AWS4A");
    key.extend_from_slice(secret);
    let access_key_id = credentials.access_key_id().as_bytes();
    let mut input = Vec::with_capacity(4 + LABEL.len() + 1 + access_key_id.len() + 1 + 4);
    input.extend_from_slice(&1u32.to_be_bytes());
    input.extend_from_slice(LABEL);
    input.push(0);
    input.extend_from_slice(access_key_id);
    let counter_at = input.len();
    input.push(1);
    input.extend_from_slice(&256u32.to_be_bytes());
    for counter in 1..=254u8 {
        if let Some(byte) = input.get_mut(counter_at) {
            *byte = counter;
        }
        let mut candidate = hmac_sha256(&key, &input);
        // Big-endian arrays of one length compare as the numbers they hold.
        if candidate > N_MINUS_TWO {
            continue;
        }
        for byte in candidate.iter_mut().rev() {
            let (sum, carry) = byte.overflowing_add(1);
            *byte = sum;
            if !carry {
                break;
            }
        }
        return SigningKey::from_bytes(&candidate.into()).map_err(|_| SigningError::KeyDerivation);
    }
    Err(SigningError::KeyDerivation)
}

/// The hex of the DER-encoded ECDSA P-256 signature of `string_to_sign`'s SHA-256.
pub(super) fn sign(
    credentials: &Credentials,
    string_to_sign: &str,
) -> Result<String, SigningError> {
    let key = private_key(credentials)?;
    let signature: DerSignature = key.sign(string_to_sign.as_bytes());
    Ok(hex(signature.as_bytes()))
}

/// The SigV4a public key of `credentials`, as an uncompressed SEC1 point (`04 || X || Y`).
pub fn v4a_public_key(credentials: &Credentials) -> Result<Vec<u8>, SigningError> {
    let key = private_key(credentials)?;
    Ok(key
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec())
}

/// Whether `signature_hex` (hex of a DER-encoded ECDSA signature) signs `string_to_sign`
/// under `public_key` (a SEC1 point). An unreadable key or signature is an error.
pub fn v4a_verify(
    public_key: &[u8],
    string_to_sign: &str,
    signature_hex: &str,
) -> Result<bool, SigningError> {
    let key = VerifyingKey::from_sec1_bytes(public_key)
        .map_err(|_| SigningError::InvalidKey("not a P-256 public key".into()))?;
    let der = unhex(signature_hex)
        .ok_or_else(|| SigningError::InvalidKey("the signature is not hex".into()))?;
    let signature = Signature::from_der(&der)
        .map_err(|_| SigningError::InvalidKey("not a DER ECDSA signature".into()))?;
    Ok(key.verify(string_to_sign.as_bytes(), &signature).is_ok())
}

/// The bytes of a hex string.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
            _ => None,
        })
        .collect()
}
