//! The proof file: a versioned envelope around a segment proof, its public values and the
//! statement's input and public output (which the verifier needs to rebuild the io table).
//!
//! Layout: the 8-byte magic `ZKVMPROF`, a little-endian `u32` format version, a little-endian
//! `u64` digest of the proof parameters the proof was made with, then the body
//! (`postcard`-encoded input, output, public values and Plonky3 batch proof). Decoding never panics: every
//! malformed input is a [`ProofFileError`].

use p3_field::{PrimeCharacteristicRing, PrimeField32};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{ProofParameters, SegmentProof, Val};

/// First bytes of every proof file.
pub const MAGIC: [u8; 8] = *b"ZKVMPROF";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 2;
const HEADER_LEN: usize = 8 + 4 + 8;

/// Why a byte string is not a proof file this build can read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProofFileError {
    /// Shorter than the header.
    #[error("not a zkvm proof: {0} bytes is shorter than the header")]
    Truncated(usize),
    /// The magic bytes are wrong.
    #[error("not a zkvm proof (bad magic bytes)")]
    BadMagic,
    /// Written by another version of the format.
    #[error("proof format version {found}, this build reads version {FORMAT_VERSION}")]
    Version {
        /// The version in the file.
        found: u32,
    },
    /// Made with other proof parameters than the verifier's.
    #[error(
        "the proof was made with other proof parameters (digest {found:#018x}, expected {expected:#018x})"
    )]
    Parameters {
        /// Digest in the file.
        found: u64,
        /// Digest of the verifier's parameters.
        expected: u64,
    },
    /// The body does not decode.
    #[error("malformed proof body: {0}")]
    Body(String),
    /// A public value is not a canonical field element.
    #[error("malformed public value {0}")]
    PublicValue(u32),
}

/// A digest of the proof parameters (FNV-1a over their values), so that a proof made with other
/// parameters is reported as such instead of as an invalid proof.
pub fn parameters_digest(parameters: &ProofParameters) -> u64 {
    let fields = [
        parameters.log_blowup,
        parameters.num_queries,
        parameters.query_pow_bits,
        parameters.commit_pow_bits,
        parameters.max_log_arity,
        parameters.log_final_poly_len,
    ];
    fields.iter().flat_map(|v| (*v as u64).to_le_bytes()).fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[derive(Serialize, Deserialize)]
struct Body {
    input: Vec<u8>,
    output: Vec<u8>,
    public_values: Vec<Vec<u32>>,
    proof: SegmentProof,
}

/// The contents of a proof file: the statement's input and public output, the public values,
/// and the proof.
pub struct ProofFile {
    /// The input the guest was given.
    pub input: Vec<u8>,
    /// The public output the guest committed.
    pub output: Vec<u8>,
    /// The public values of every table.
    pub public_values: Vec<Vec<Val>>,
    /// The proof.
    pub proof: SegmentProof,
}

/// Encodes a proof file.
pub fn encode_proof(file: ProofFile, parameters: &ProofParameters) -> Vec<u8> {
    let ProofFile { input, output, public_values, proof } = file;
    let public_values =
        public_values.iter().map(|list| list.iter().map(|v| v.as_canonical_u32()).collect()).collect();
    let body = postcard::to_allocvec(&Body { input, output, public_values, proof })
        .expect("a proof always serialises");
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&parameters_digest(parameters).to_le_bytes());
    bytes.extend_from_slice(&body);
    bytes
}

/// Decodes a proof file written with `parameters`.
pub fn decode_proof(bytes: &[u8], parameters: &ProofParameters) -> Result<ProofFile, ProofFileError> {
    if bytes.len() < HEADER_LEN {
        return Err(ProofFileError::Truncated(bytes.len()));
    }
    if bytes[..8] != MAGIC {
        return Err(ProofFileError::BadMagic);
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(ProofFileError::Version { found: version });
    }
    let digest = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let expected = parameters_digest(parameters);
    if digest != expected {
        return Err(ProofFileError::Parameters { found: digest, expected });
    }
    let body: Body =
        postcard::from_bytes(&bytes[HEADER_LEN..]).map_err(|e| ProofFileError::Body(e.to_string()))?;
    let mut public_values = Vec::with_capacity(body.public_values.len());
    for list in body.public_values {
        let mut values = Vec::with_capacity(list.len());
        for v in list {
            if v >= Val::ORDER_U32 {
                return Err(ProofFileError::PublicValue(v));
            }
            values.push(Val::from_u32(v));
        }
        public_values.push(values);
    }
    Ok(ProofFile { input: body.input, output: body.output, public_values, proof: body.proof })
}
