//! The AWS SDKs' service customizations that need code at run time (the generator decides
//! where they apply: `codegen/src/customize.rs`).

use sha2::{Digest as _, Sha256};

use crate::http::HttpRequest;

/// One MiB: the chunk size of Glacier's tree hash.
const MIB: usize = 1024 * 1024;

/// Glacier's payload checksums: `X-Amz-Content-Sha256`, the SHA-256 of the body, and
/// `X-Amz-Sha256-Tree-Hash`, the root of the tree of SHA-256s of its 1 MiB chunks (hashed
/// pairwise up to one), both in hex.
pub fn glacier_checksums(request: &mut HttpRequest) {
    let content = hex(&Sha256::digest(&request.body));
    let mut level: Vec<[u8; 32]> = if request.body.is_empty() {
        vec![Sha256::digest(b"").into()]
    } else {
        request
            .body
            .chunks(MIB)
            .map(|chunk| Sha256::digest(chunk).into())
            .collect()
    };
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut hasher = Sha256::new();
                    hasher.update(a);
                    hasher.update(b);
                    hasher.finalize().into()
                }
                [a] => *a,
                _ => [0; 32],
            })
            .collect();
    }
    let tree = level.first().map(|root| hex(root)).unwrap_or_default();
    request
        .headers
        .push(("X-Amz-Content-Sha256".to_owned(), content));
    request
        .headers
        .push(("X-Amz-Sha256-Tree-Hash".to_owned(), tree));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_hashes() {
        let mut request = HttpRequest {
            body: b"hello world".to_vec(),
            ..HttpRequest::default()
        };
        glacier_checksums(&mut request);
        let sha = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(
            request.headers,
            vec![
                ("X-Amz-Content-Sha256".to_owned(), sha.to_owned()),
                ("X-Amz-Sha256-Tree-Hash".to_owned(), sha.to_owned())
            ]
        );
        // Three chunks: the tree combines the first two, then that with the third.
        let mut request = HttpRequest {
            body: vec![7u8; 2 * MIB + 10],
            ..HttpRequest::default()
        };
        glacier_checksums(&mut request);
        let leaves: Vec<[u8; 32]> = request
            .body
            .chunks(MIB)
            .map(|c| Sha256::digest(c).into())
            .collect();
        let pair = |a: &[u8; 32], b: &[u8; 32]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(a);
            h.update(b);
            h.finalize().into()
        };
        let root = pair(&pair(&leaves[0], &leaves[1]), &leaves[2]);
        assert_eq!(request.headers[1].1, hex(&root));
    }
}
