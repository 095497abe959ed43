//! Proving and verifying one segment.

use p3_batch_stark::{BatchProof, StarkInstance, prove_batch, verify_batch};
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;

use super::packing::packed_prover_data;
use super::trace::{SegmentTraces, TraceError, generate_traces_padded, traces_shape};
use super::{Config, MachineAir, ParameterError, ProofParameters, StatementTables, Val};
use crate::executor::SegmentTrace;
use zkvm_memory::merkle::{DIGEST_ELEMENTS, Digest, TreeUpdate};

/// The tallest table a segment proof may have: 2^24 rows. The soundness computation
/// (`crate::soundness`) takes this as the trace length of the segment circuit, so the verifier
/// must refuse anything taller.
pub const MAX_TABLE_LOG_HEIGHT: usize = 24;

/// A proof of one segment (the Plonky3 batch proof of all its chips).
pub type SegmentProof = BatchProof<Config>;

/// Why proving failed.
#[derive(Debug, Error)]
pub enum ProveError {
    /// The proof parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// The segment cannot be turned into traces.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// A table is no taller than FRI's final polynomial: FRI takes no codeword shorter than
    /// the final one, so `log_final_poly_len` must be below every table's log height.
    #[error(
        "table {chip} has 2^{log_height} rows, too few for a final FRI polynomial of 2^{log_final_poly_len} \
         coefficients (lower log_final_poly_len below {log_height})"
    )]
    ShortTable {
        /// The chip.
        chip: String,
        /// log2 of its height.
        log_height: usize,
        /// The parameters' `log_final_poly_len`.
        log_final_poly_len: usize,
    },
    /// The proof system failed (a bug, or a trace the prover refused).
    #[error("the proof system failed: {0}")]
    Backend(String),
}

/// Why a proof was rejected.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The proof parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// The proof has the wrong number of tables or public-value lists.
    #[error("the proof has {found} tables, the machine has {expected}")]
    Shape {
        /// Tables the machine has.
        expected: usize,
        /// Tables the proof claims.
        found: usize,
    },
    /// A table's height is not the one the verifying key fixes, or too large.
    #[error("table {chip} has 2^{found} rows, {expected}")]
    Height {
        /// The chip.
        chip: String,
        /// What it should be.
        expected: String,
        /// What the proof claims.
        found: usize,
    },
    /// The tables are so tall that the LogUp multiplicities could wrap around the field: the
    /// sum over every query-side interaction of (per-row multiplicity bound × table height)
    /// must stay below the field modulus, else a message could be received `p` times more often
    /// than it was sent and still balance.
    #[error("the tables' lookup multiplicities could reach the field modulus: {0}")]
    LookupHeights(String),
    /// The proof does not verify.
    #[error("the proof does not verify: {0}")]
    Invalid(String),
    /// The proof's structure is inconsistent (the proof system's verifier could not even read
    /// it: vectors of the wrong length, missing openings).
    #[error("malformed proof: {0}")]
    Malformed(String),
}

/// Proves the given traces of the machine's chips (the traces need not be valid: the verifier
/// decides). Exposed for tests that tamper with traces.
pub fn prove_traces(
    tables: &StatementTables,
    traces: &SegmentTraces,
    parameters: &ProofParameters,
) -> Result<SegmentProof, ProveError> {
    let config = parameters.config()?;
    let airs = MachineAir::chips(tables);
    let degrees = traces_shape(traces);
    let final_poly = parameters.log_final_poly_len;
    if final_poly > 0
        && let Some((air, &log_height)) = airs.iter().zip(&degrees).find(|&(_, &height)| height <= final_poly)
    {
        return Err(ProveError::ShortTable {
            chip: air.name().to_string(),
            log_height,
            log_final_poly_len: final_poly,
        });
    }
    let data =
        packed_prover_data(&config, &airs, &degrees, parameters.log_blowup).map_err(ProveError::Backend)?;
    let trace_refs: Vec<&RowMajorMatrix<Val>> = traces.traces.iter().collect();
    let instances = StarkInstance::new_multiple(&airs, &trace_refs, &traces.public_values);
    prove_batch(&config, &instances, &data).map_err(|e| ProveError::Backend(format!("{e:?}")))
}

/// Proves one segment of the statement whose tables are `tables`, given the memory tree's
/// update by the segment's leaves; returns the proof and the public values it attests (per
/// chip).
pub fn prove_segment(
    tables: &StatementTables,
    segment: &SegmentTrace,
    memory: &TreeUpdate,
    parameters: &ProofParameters,
) -> Result<(SegmentProof, Vec<Vec<Val>>), ProveError> {
    prove_segment_shaped(tables, segment, memory, parameters, None)
}

/// [`prove_segment`], with every table padded to `shape` (see
/// [`generate_traces_padded`]) when one is given: segments proven to one shape have proofs
/// one recursive verifier circuit verifies.
pub fn prove_segment_shaped(
    tables: &StatementTables,
    segment: &SegmentTrace,
    memory: &TreeUpdate,
    parameters: &ProofParameters,
    shape: Option<&[usize]>,
) -> Result<(SegmentProof, Vec<Vec<Val>>), ProveError> {
    let traces = generate_traces_padded(tables, segment, memory, shape)?;
    let proof = prove_traces(tables, &traces, parameters)?;
    Ok((proof, traces.public_values))
}

/// Checks the table heights a segment proof claims (log2, one per chip) before any
/// cryptography: tables with a preprocessed part have the height the verifying key fixes, the
/// CPU does not exceed the segment limit (timestamps must stay below 2^24), no table exceeds
/// [`MAX_TABLE_LOG_HEIGHT`]. (The LogUp multiplicity-height bound needs the verifying data;
/// [`verify_segment`] checks it next.) The recursive verifier applies the same checks to the
/// heights of the segments it aggregates.
pub fn check_heights(tables: &StatementTables, degree_bits: &[usize]) -> Result<(), VerifyError> {
    let airs = MachineAir::chips(tables);
    if degree_bits.len() != airs.len() {
        return Err(VerifyError::Shape { expected: airs.len(), found: degree_bits.len() });
    }
    let max_cpu_bits = zkvm_memory::MAX_SEGMENT_CYCLES.trailing_zeros() as usize;
    for (air, &bits) in airs.iter().zip(degree_bits) {
        let fixed = p3_air::BaseAir::<Val>::preprocessed_trace(air).map(|t| t.values.len() / t.width);
        let (ok, expected) = match (air, fixed) {
            (_, Some(rows)) => (
                bits <= MAX_TABLE_LOG_HEIGHT && 1usize.checked_shl(bits as u32) == Some(rows),
                format!("expected {rows} rows (at most 2^{MAX_TABLE_LOG_HEIGHT})"),
            ),
            (MachineAir::Cpu(_), None) => (bits <= max_cpu_bits, format!("at most 2^{max_cpu_bits}")),
            (_, None) => (bits <= MAX_TABLE_LOG_HEIGHT, format!("at most 2^{MAX_TABLE_LOG_HEIGHT}")),
        };
        if !ok {
            return Err(VerifyError::Height { chip: air.name().to_string(), expected, found: bits });
        }
    }
    Ok(())
}

/// Verifies a segment proof against the statement's tables (program, image, input and output)
/// and the claimed public values.
pub fn verify_segment(
    tables: &StatementTables,
    proof: &SegmentProof,
    public_values: &[Vec<Val>],
    parameters: &ProofParameters,
) -> Result<(), VerifyError> {
    let config = parameters.config()?;
    let airs = MachineAir::chips(tables);
    if proof.degree_bits.len() != airs.len() || public_values.len() != airs.len() {
        return Err(VerifyError::Shape { expected: airs.len(), found: proof.degree_bits.len() });
    }
    check_heights(tables, &proof.degree_bits)?;
    let data = packed_prover_data(&config, &airs, &proof.degree_bits, parameters.log_blowup)
        .map_err(VerifyError::Invalid)?;
    // LogUp soundness needs every multiplicity sum below the field modulus; checked here from
    // the claimed heights before any cryptographic work (the proof system checks it again).
    let heights: Vec<usize> = proof.degree_bits.iter().map(|&bits| 1usize << bits).collect();
    p3_lookup::check_multiplicity_height_bound(&data.common.lookups, &heights)
        .map_err(|e| VerifyError::LookupHeights(e.to_string()))?;
    verify_batch(&config, &airs, proof, public_values, &data.common)
        .map_err(|e| VerifyError::Invalid(format!("{e:?}")))
}

/// What a segment proof's public values claim, decoded: the machine state at the segment's
/// start and end, which consecutive segments must agree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentStatement {
    /// pc of the first instruction.
    pub initial_pc: u32,
    /// pc after the last instruction (the halting ecall's own pc if the segment halts).
    pub final_pc: u32,
    /// The guest's exit code, if the segment ends with HALT.
    pub exit_code: Option<u32>,
    /// Registers at the start of the segment.
    pub start_registers: [u32; 32],
    /// Registers at the end of the segment.
    pub end_registers: [u32; 32],
    /// Length of the input in bytes (what INPUT_LENGTH returns).
    pub input_length: u32,
    /// Input words read before the segment and (second) by its end.
    pub input_position: [u32; 2],
    /// Output bytes committed before the segment and (second) by its end.
    pub output_position: [u32; 2],
    /// Memory root at the segment's start and (second) at its end.
    pub memory_root: [Digest; 2],
}

impl SegmentStatement {
    /// Decodes the public values of a segment proof (per chip, in `MachineAir::chips` order).
    pub fn from_public_values(public_values: &[Vec<Val>]) -> Result<Self, VerifyError> {
        use p3_field::PrimeField32;
        use zkvm_memory::register_boundary::{NUM_PUBLIC_VALUES, STREAM_PUBLIC_OFFSET};
        let malformed = |what: &str| VerifyError::Malformed(format!("public values: {what}"));
        let table = |index: usize, len: usize| -> Result<&Vec<Val>, VerifyError> {
            public_values
                .get(index)
                .filter(|values| values.len() == len)
                .ok_or_else(|| malformed("wrong lengths"))
        };
        let cpu = table(super::air::CPU_TABLE, crate::chips::cpu::NUM_CPU_PUBLIC_VALUES)?;
        let ecall = table(super::air::ECALL_TABLE, crate::chips::ecall::NUM_ECALL_PUBLIC_VALUES)?;
        let merkle = table(super::air::MERKLE_TABLE, zkvm_memory::memory_merkle::NUM_PUBLIC_VALUES)?;
        let registers = table(super::air::REGISTER_TABLE, NUM_PUBLIC_VALUES)?;
        let word = |bytes: &[Val]| -> Result<u32, VerifyError> {
            bytes.iter().rev().try_fold(0u32, |acc, b| {
                let b = b.as_canonical_u32();
                if b > 255 { Err(malformed("a byte above 255")) } else { Ok(acc << 8 | b) }
            })
        };
        let mut start_registers = [0; 32];
        let mut end_registers = [0; 32];
        for r in 0..32 {
            start_registers[r] = word(&registers[4 * r..4 * r + 4])?;
            end_registers[r] = word(&registers[128 + 4 * r..128 + 4 * r + 4])?;
        }
        let exit_code = match cpu[6].as_canonical_u32() {
            0 => None,
            1 => Some(word(&cpu[2..6])?),
            _ => return Err(malformed("halted is not a bit")),
        };
        let root = |offset: usize| -> Digest { std::array::from_fn(|k| merkle[offset + k]) };
        Ok(SegmentStatement {
            initial_pc: cpu[0].as_canonical_u32(),
            final_pc: cpu[1].as_canonical_u32(),
            exit_code,
            start_registers,
            end_registers,
            input_length: word(ecall)?,
            input_position: [0, 2].map(|i| registers[STREAM_PUBLIC_OFFSET + i].as_canonical_u32()),
            output_position: [1, 3].map(|i| registers[STREAM_PUBLIC_OFFSET + i].as_canonical_u32()),
            memory_root: [root(0), root(DIGEST_ELEMENTS)],
        })
    }
}
