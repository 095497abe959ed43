//! The proof file: a versioned, streamable bundle of segment proofs.
//!
//! Layout (every integer little-endian):
//! - the 8-byte magic `ZKVMPROF`, a `u32` format version, a `u64` digest of the proof
//!   parameters the proofs were made with;
//! - the statement: a `u32` length and that many bytes of `postcard`-encoded input and public
//!   output (the verifier rebuilds the io table from them);
//! - one record per segment, in execution order: a `u32` length and that many bytes of
//!   `postcard`-encoded public values and Plonky3 batch proof;
//! - a `u32` zero, which ends the file.
//!
//! Records are written as segments are proven, so a long run never holds all its proofs in
//! memory; readers take one record at a time. Decoding never panics: every malformed input is
//! a [`ProofFileError`]. A segment proof stays valid on its own (its public values say where
//! in the execution it starts and ends), so the same record format serves a distributed prover
//! that collects proofs from many machines.

use std::io::{Read, Write};

use p3_field::{PrimeCharacteristicRing, PrimeField32};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{ProofParameters, SegmentProof, Val};

/// First bytes of every proof file.
pub const MAGIC: [u8; 8] = *b"ZKVMPROF";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 4;
/// Largest record (statement or segment) a reader accepts, so that a corrupt length cannot make
/// it allocate without bound.
pub const MAX_RECORD_BYTES: u32 = 1 << 28;
const HEADER_LEN: usize = 8 + 4 + 8;

/// Why a byte string is not a proof file this build can read.
#[derive(Debug, Error)]
pub enum ProofFileError {
    /// The file ends before its end marker.
    #[error("the proof file is truncated")]
    Truncated,
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
    /// A record claims to be larger than [`MAX_RECORD_BYTES`].
    #[error("a record of {0} bytes is larger than any proof")]
    Oversized(u32),
    /// A record does not decode.
    #[error("malformed record: {0}")]
    Body(String),
    /// A public value is not a canonical field element.
    #[error("malformed public value {0}")]
    PublicValue(u32),
    /// Bytes follow the end marker.
    #[error("trailing bytes after the end of the proof")]
    Trailing,
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A digest of the proof parameters (FNV-1a over their values), so that a proof made with other
/// parameters is reported as such instead of as an invalid proof.
pub fn parameters_digest(parameters: &ProofParameters) -> u64 {
    let fields = [
        parameters.log_blowup,
        parameters.num_queries,
        parameters.query_pow_bits,
        parameters.commit_pow_bits,
        parameters.batch_pow_bits,
        parameters.lookup_pow_bits,
        parameters.ood_pow_bits,
        parameters.max_log_arity,
        parameters.log_final_poly_len,
    ];
    fields.iter().flat_map(|v| (*v as u64).to_le_bytes()).fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The statement a bundle proves: the guest's input and its public output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleStatement {
    /// The input the guest was given.
    pub input: Vec<u8>,
    /// The public output the guest committed.
    pub output: Vec<u8>,
}

/// One segment's proof and the public values it attests (per chip).
#[derive(Serialize, Deserialize)]
pub struct SegmentRecord {
    /// The public values of every table, as canonical `u32`s.
    public_values: Vec<Vec<u32>>,
    /// The proof.
    pub proof: SegmentProof,
}

impl SegmentRecord {
    /// A record of `proof` with `public_values`.
    pub fn new(proof: SegmentProof, public_values: &[Vec<Val>]) -> Self {
        let public_values =
            public_values.iter().map(|list| list.iter().map(|v| v.as_canonical_u32()).collect()).collect();
        SegmentRecord { public_values, proof }
    }

    /// The public values, as field elements (checked canonical).
    pub fn public_values(&self) -> Result<Vec<Vec<Val>>, ProofFileError> {
        self.public_values
            .iter()
            .map(|list| {
                list.iter()
                    .map(|&v| {
                        if v < Val::ORDER_U32 {
                            Ok(Val::from_u32(v))
                        } else {
                            Err(ProofFileError::PublicValue(v))
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

pub(super) fn write_record<W: Write>(writer: &mut W, bytes: &[u8]) -> Result<(), ProofFileError> {
    // A record is never empty (postcard writes at least the vector lengths), so a zero length
    // stays the end marker.
    let length = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    if length > MAX_RECORD_BYTES {
        return Err(ProofFileError::Oversized(length));
    }
    writer.write_all(&length.to_le_bytes())?;
    writer.write_all(bytes)?;
    Ok(())
}

/// Writes a header: `magic`, the format version and the parameters' digest.
fn write_header<W: Write>(
    writer: &mut W,
    magic: &[u8; 8],
    parameters: &ProofParameters,
) -> std::io::Result<()> {
    writer.write_all(magic)?;
    writer.write_all(&FORMAT_VERSION.to_le_bytes())?;
    writer.write_all(&parameters_digest(parameters).to_le_bytes())
}

/// Reads and checks a header written by [`write_header`].
fn read_header<R: Read>(
    reader: &mut R,
    magic: &[u8; 8],
    parameters: &ProofParameters,
) -> Result<(), ProofFileError> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    reader.take(HEADER_LEN as u64).read_to_end(&mut header)?;
    let known = header.len().min(magic.len());
    if header.is_empty() || header[..known] != magic[..known] {
        return Err(ProofFileError::BadMagic);
    }
    if header.len() < HEADER_LEN {
        return Err(ProofFileError::Truncated);
    }
    let version = u32::from_le_bytes(header[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(ProofFileError::Version { found: version });
    }
    let digest = u64::from_le_bytes(header[12..20].try_into().expect("8 bytes"));
    let expected = parameters_digest(parameters);
    if digest != expected {
        return Err(ProofFileError::Parameters { found: digest, expected });
    }
    Ok(())
}

/// First bytes of a single-segment proof file (one segment proven from a checkpoint).
pub const SEGMENT_MAGIC: [u8; 8] = *b"ZKVMSEGP";

/// Writes a single-segment proof file: the header (with [`SEGMENT_MAGIC`]), the segment's
/// index as a `u64`, its record, and the end marker. [`BundleWriter`] joins such records.
pub fn write_segment_file<W: Write>(
    mut writer: W,
    parameters: &ProofParameters,
    index: u64,
    record: &SegmentRecord,
) -> Result<(), ProofFileError> {
    write_header(&mut writer, &SEGMENT_MAGIC, parameters)?;
    writer.write_all(&index.to_le_bytes())?;
    let body = postcard::to_allocvec(record).map_err(|e| ProofFileError::Body(e.to_string()))?;
    write_record(&mut writer, &body)?;
    writer.write_all(&0u32.to_le_bytes())?;
    writer.flush()?;
    Ok(())
}

/// Reads a single-segment proof file: the segment's index and record.
pub fn read_segment_file<R: Read>(
    mut reader: R,
    parameters: &ProofParameters,
) -> Result<(u64, SegmentRecord), ProofFileError> {
    read_header(&mut reader, &SEGMENT_MAGIC, parameters)?;
    let mut index = [0u8; 8];
    read_exact(&mut reader, &mut index)?;
    let body = read_record(&mut reader)?.ok_or(ProofFileError::Truncated)?;
    let record = postcard::from_bytes(&body).map_err(|e| ProofFileError::Body(e.to_string()))?;
    if read_record(&mut reader)?.is_some() {
        return Err(ProofFileError::Trailing);
    }
    let mut extra = [0u8; 1];
    if reader.read(&mut extra)? != 0 {
        return Err(ProofFileError::Trailing);
    }
    Ok((u64::from_le_bytes(index), record))
}

/// Writes a proof file record by record.
pub struct BundleWriter<W: Write> {
    writer: W,
    segments: usize,
}

impl<W: Write> BundleWriter<W> {
    /// Writes the header and the statement.
    pub fn new(
        mut writer: W,
        parameters: &ProofParameters,
        statement: &BundleStatement,
    ) -> Result<Self, ProofFileError> {
        write_header(&mut writer, &MAGIC, parameters)?;
        let body = postcard::to_allocvec(statement).map_err(|e| ProofFileError::Body(e.to_string()))?;
        write_record(&mut writer, &body)?;
        Ok(BundleWriter { writer, segments: 0 })
    }

    /// Appends the next segment's record.
    pub fn write_segment(&mut self, record: &SegmentRecord) -> Result<(), ProofFileError> {
        let body = postcard::to_allocvec(record).map_err(|e| ProofFileError::Body(e.to_string()))?;
        write_record(&mut self.writer, &body)?;
        self.segments += 1;
        Ok(())
    }

    /// Segments written so far.
    pub fn segments(&self) -> usize {
        self.segments
    }

    /// Writes the end marker and returns the writer.
    pub fn finish(mut self) -> Result<W, ProofFileError> {
        self.writer.write_all(&0u32.to_le_bytes())?;
        self.writer.flush()?;
        Ok(self.writer)
    }
}

/// Reads a proof file record by record.
pub struct BundleReader<R: Read> {
    reader: R,
    statement: BundleStatement,
    finished: bool,
}

pub(super) fn read_exact<R: Read>(reader: &mut R, buffer: &mut [u8]) -> Result<(), ProofFileError> {
    reader.read_exact(buffer).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => ProofFileError::Truncated,
        _ => ProofFileError::Io(e),
    })
}

/// Reads one length-prefixed record; `None` at the end marker.
pub(super) fn read_record<R: Read>(reader: &mut R) -> Result<Option<Vec<u8>>, ProofFileError> {
    let mut length = [0; 4];
    read_exact(reader, &mut length)?;
    let length = u32::from_le_bytes(length);
    if length == 0 {
        return Ok(None);
    }
    if length > MAX_RECORD_BYTES {
        return Err(ProofFileError::Oversized(length));
    }
    // Read through `take` so that a length larger than the file allocates only what is there.
    let mut bytes = Vec::new();
    reader.take(u64::from(length)).read_to_end(&mut bytes)?;
    if bytes.len() != length as usize {
        return Err(ProofFileError::Truncated);
    }
    Ok(Some(bytes))
}

impl<R: Read> BundleReader<R> {
    /// Reads the header (checking magic, version and parameters) and the statement.
    pub fn new(mut reader: R, parameters: &ProofParameters) -> Result<Self, ProofFileError> {
        read_header(&mut reader, &MAGIC, parameters)?;
        let body = read_record(&mut reader)?.ok_or(ProofFileError::Truncated)?;
        let statement = postcard::from_bytes(&body).map_err(|e| ProofFileError::Body(e.to_string()))?;
        Ok(BundleReader { reader, statement, finished: false })
    }

    /// The statement (input and public output).
    pub fn statement(&self) -> &BundleStatement {
        &self.statement
    }

    /// The next segment's record; `Ok(None)` after the last one (then the file has ended
    /// exactly at its end marker).
    pub fn next_segment(&mut self) -> Result<Option<SegmentRecord>, ProofFileError> {
        if self.finished {
            return Ok(None);
        }
        match read_record(&mut self.reader)? {
            Some(body) => {
                postcard::from_bytes(&body).map(Some).map_err(|e| ProofFileError::Body(e.to_string()))
            }
            None => {
                self.finished = true;
                let mut extra = [0u8; 1];
                match self.reader.read(&mut extra)? {
                    0 => Ok(None),
                    _ => Err(ProofFileError::Trailing),
                }
            }
        }
    }
}
