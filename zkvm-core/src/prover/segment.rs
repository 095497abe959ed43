//! Proving and verifying one segment.

use p3_batch_stark::{BatchProof, ProverData, StarkInstance, prove_batch, verify_batch};
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;

use super::trace::{SegmentTraces, TraceError, generate_traces};
use super::{Config, MachineAir, ParameterError, ProofParameters, Val};
use crate::chips::program::ProgramChip;
use crate::executor::SegmentTrace;

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
        chip: &'static str,
        /// What it should be.
        expected: String,
        /// What the proof claims.
        found: usize,
    },
    /// The proof does not verify.
    #[error("the proof does not verify: {0}")]
    Invalid(String),
}

/// Proves the given traces of the machine's chips (the traces need not be valid: the verifier
/// decides). Exposed for tests that tamper with traces.
pub fn prove_traces(
    program: &ProgramChip,
    traces: &SegmentTraces,
    parameters: &ProofParameters,
) -> Result<SegmentProof, ProveError> {
    let config = parameters.config()?;
    let airs = MachineAir::chips(program.clone());
    let degrees: Vec<usize> = traces
        .traces
        .iter()
        .map(|t| t.values.len().checked_div(t.width).unwrap_or(0).trailing_zeros() as usize)
        .collect();
    let data = ProverData::<Config>::from_airs_and_degrees(&config, &airs, &degrees)
        .map_err(|e| ProveError::Backend(format!("{e:?}")))?;
    let trace_refs: Vec<&RowMajorMatrix<Val>> = traces.traces.iter().collect();
    let instances = StarkInstance::new_multiple(&airs, &trace_refs, &traces.public_values);
    prove_batch(&config, &instances, &data).map_err(|e| ProveError::Backend(format!("{e:?}")))
}

/// Proves one segment of the program whose table is `program`; returns the proof and the
/// public values it attests (per chip).
pub fn prove_segment(
    program: &ProgramChip,
    segment: &SegmentTrace,
    parameters: &ProofParameters,
) -> Result<(SegmentProof, Vec<Vec<Val>>), ProveError> {
    let traces = generate_traces(program, segment)?;
    let proof = prove_traces(program, &traces, parameters)?;
    Ok((proof, traces.public_values))
}

/// Verifies a segment proof against the program's table and the claimed public values.
pub fn verify_segment(
    program: &ProgramChip,
    proof: &SegmentProof,
    public_values: &[Vec<Val>],
    parameters: &ProofParameters,
) -> Result<(), VerifyError> {
    let config = parameters.config()?;
    let airs = MachineAir::chips(program.clone());
    if proof.degree_bits.len() != airs.len() || public_values.len() != airs.len() {
        return Err(VerifyError::Shape { expected: airs.len(), found: proof.degree_bits.len() });
    }
    // Tables with a preprocessed part have the height the verifying key fixes; the CPU may not
    // exceed the segment limit (timestamps must stay below 2^24); no table is absurdly large.
    let max_cpu_bits = zkvm_memory::MAX_SEGMENT_CYCLES.trailing_zeros() as usize;
    for (air, &bits) in airs.iter().zip(&proof.degree_bits) {
        let fixed = p3_air::BaseAir::<Val>::preprocessed_trace(air).map(|t| t.values.len() / t.width);
        let (ok, expected) = match (air, fixed) {
            (_, Some(rows)) => {
                (1usize.checked_shl(bits as u32) == Some(rows), format!("expected {rows} rows"))
            }
            (MachineAir::Cpu(_), None) => (bits <= max_cpu_bits, format!("at most 2^{max_cpu_bits}")),
            (_, None) => (bits <= 24, "at most 2^24".to_string()),
        };
        if !ok {
            return Err(VerifyError::Height { chip: air.name(), expected, found: bits });
        }
    }
    let data = ProverData::<Config>::from_airs_and_degrees(&config, &airs, &proof.degree_bits)
        .map_err(|e| VerifyError::Invalid(format!("{e:?}")))?;
    verify_batch(&config, &airs, proof, public_values, &data.common)
        .map_err(|e| VerifyError::Invalid(format!("{e:?}")))
}
