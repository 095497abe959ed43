//! The final-proof file: one run's final proof with the input and public output it is about.
//!
//! Layout (integers little-endian): the 8-byte magic [`FINAL_MAGIC`], a `u32` format version
//! ([`FINAL_FORMAT_VERSION`]), a `u64` digest of the [`AggregationParameters`] the proof was
//! made with, a `u32` length and that many bytes of `postcard`-encoded [`FinalProofFile`], and
//! nothing after. Reading never panics: a malformed file is a [`FinalFileError`].

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkvm_core::prover::{BundleStatement, MAX_RECORD_BYTES, parameters_digest};

use super::{AggregationParameters, FinalProof};

/// First bytes of every final-proof file.
pub const FINAL_MAGIC: [u8; 8] = *b"ZKVMFINL";
/// The final-proof format version this build writes and reads.
pub const FINAL_FORMAT_VERSION: u32 = 4;
const HEADER_LEN: usize = 8 + 4 + 8 + 4;

/// What a final-proof file holds after its header.
#[derive(Serialize, Deserialize)]
pub struct FinalProofFile {
    /// The input the guest was given and the public output it committed.
    pub statement: BundleStatement,
    /// The final proof.
    pub proof: FinalProof,
}

/// Why a byte string is not a final-proof file this build can read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FinalFileError {
    /// The magic bytes are not [`FINAL_MAGIC`].
    #[error("not a zkvm final proof (bad magic bytes)")]
    BadMagic,
    /// The file ends early.
    #[error("the final proof file is truncated")]
    Truncated,
    /// Written by another version of the format.
    #[error("final proof format version {found}, this build reads version {FINAL_FORMAT_VERSION}")]
    Version {
        /// The version in the file.
        found: u32,
    },
    /// Made under other segment, node or final parameters, or another topology.
    #[error(
        "the final proof was made with other aggregation parameters (digest {found:#018x}, expected {expected:#018x})"
    )]
    Parameters {
        /// Digest in the file.
        found: u64,
        /// Digest of the verifier's parameters.
        expected: u64,
    },
    /// The body claims more than [`MAX_RECORD_BYTES`].
    #[error("a final proof of {0} bytes is larger than any proof")]
    Oversized(u32),
    /// The body does not decode.
    #[error("malformed final proof: {0}")]
    Body(String),
    /// Bytes follow the body.
    #[error("trailing bytes after the end of the final proof")]
    Trailing,
}

/// A digest of every parameter of the tree: the three proof parameter sets and the arity.
pub fn aggregation_digest(parameters: &AggregationParameters) -> u64 {
    [
        parameters_digest(&parameters.segment),
        parameters_digest(&parameters.node),
        parameters_digest(&parameters.final_proof),
        parameters.topology.arity as u64,
    ]
    .iter()
    .flat_map(|v| v.to_le_bytes())
    .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The bytes of a final-proof file holding `file`, made under `parameters`.
pub fn encode_final_proof(
    file: &FinalProofFile,
    parameters: &AggregationParameters,
) -> Result<Vec<u8>, FinalFileError> {
    let body = postcard::to_allocvec(file).map_err(|e| FinalFileError::Body(e.to_string()))?;
    let length = u32::try_from(body.len()).unwrap_or(u32::MAX);
    if length > MAX_RECORD_BYTES {
        return Err(FinalFileError::Oversized(length));
    }
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(&FINAL_MAGIC);
    bytes.extend_from_slice(&FINAL_FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&aggregation_digest(parameters).to_le_bytes());
    bytes.extend_from_slice(&length.to_le_bytes());
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

/// Decodes a final-proof file made under `parameters` (its header checked first).
pub fn decode_final_proof(
    bytes: &[u8],
    parameters: &AggregationParameters,
) -> Result<FinalProofFile, FinalFileError> {
    let known = bytes.len().min(FINAL_MAGIC.len());
    if known == 0 || bytes[..known] != FINAL_MAGIC[..known] {
        return Err(FinalFileError::BadMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(FinalFileError::Truncated);
    }
    let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = word(8);
    if version != FINAL_FORMAT_VERSION {
        return Err(FinalFileError::Version { found: version });
    }
    let found = u64::from(word(12)) | (u64::from(word(16)) << 32);
    let expected = aggregation_digest(parameters);
    if found != expected {
        return Err(FinalFileError::Parameters { found, expected });
    }
    let length = word(20);
    if length > MAX_RECORD_BYTES {
        return Err(FinalFileError::Oversized(length));
    }
    let body = &bytes[HEADER_LEN..];
    match body.len().cmp(&(length as usize)) {
        std::cmp::Ordering::Less => Err(FinalFileError::Truncated),
        std::cmp::Ordering::Greater => Err(FinalFileError::Trailing),
        std::cmp::Ordering::Equal => {
            let (file, rest) =
                postcard::take_from_bytes(body).map_err(|e| FinalFileError::Body(e.to_string()))?;
            if rest.is_empty() { Ok(file) } else { Err(FinalFileError::Trailing) }
        }
    }
}

#[cfg(test)]
mod tests {
    use zkvm_core::prover::ProofParameters;

    use super::*;
    use crate::node::Topology;

    const PARAMETERS: AggregationParameters = AggregationParameters {
        segment: ProofParameters::TESTING,
        node: ProofParameters::TESTING,
        final_proof: ProofParameters::TESTING,
        topology: Topology { arity: 2 },
    };

    /// A header for `PARAMETERS` announcing a body of `length` bytes.
    fn header(version: u32, digest: u64, length: u32) -> Vec<u8> {
        let mut bytes = FINAL_MAGIC.to_vec();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&digest.to_le_bytes());
        bytes.extend_from_slice(&length.to_le_bytes());
        bytes
    }

    #[test]
    fn every_malformed_header_or_body_is_a_typed_error() {
        let digest = aggregation_digest(&PARAMETERS);
        let decode = |bytes: &[u8]| decode_final_proof(bytes, &PARAMETERS).err();
        assert_eq!(decode(b""), Some(FinalFileError::BadMagic));
        assert_eq!(decode(b"ZKVMPROF"), Some(FinalFileError::BadMagic));
        assert_eq!(decode(b"ZKVM"), Some(FinalFileError::Truncated));
        assert_eq!(
            decode(&header(FINAL_FORMAT_VERSION + 1, digest, 0)),
            Some(FinalFileError::Version { found: FINAL_FORMAT_VERSION + 1 })
        );
        let other = AggregationParameters { topology: Topology { arity: 3 }, ..PARAMETERS };
        let expected = digest;
        let found = aggregation_digest(&other);
        assert_ne!(found, expected, "the arity is part of the digest");
        assert_eq!(
            decode(&header(FINAL_FORMAT_VERSION, found, 0)),
            Some(FinalFileError::Parameters { found, expected })
        );
        assert_eq!(
            decode(&header(FINAL_FORMAT_VERSION, digest, u32::MAX)),
            Some(FinalFileError::Oversized(u32::MAX))
        );
        assert_eq!(decode(&header(FINAL_FORMAT_VERSION, digest, 5)), Some(FinalFileError::Truncated));
        let mut trailing = header(FINAL_FORMAT_VERSION, digest, 0);
        trailing.push(0);
        assert_eq!(decode(&trailing), Some(FinalFileError::Trailing));
        let mut garbage = header(FINAL_FORMAT_VERSION, digest, 4);
        garbage.extend_from_slice(&[0xff; 4]);
        assert!(matches!(decode(&garbage), Some(FinalFileError::Body(_))));
    }
}
