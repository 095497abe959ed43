//! Proving and verifying a recursion circuit: its tables as one `p3-batch-stark` proof.

use p3_batch_stark::{BatchProof, ProverData, StarkInstance, prove_batch, verify_batch};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;
use zkvm_core::prover::packing::packed_prover_data;
use zkvm_core::prover::{Config, ParameterError, ProofParameters, Val};

use crate::circuit::{Circuit, CircuitError, Ext, fill};
use crate::tables::poseidon2::Poseidon2Layout;
use crate::tables::public::MAX_CONSTANTS;
use crate::tables::{MAX_TABLE_LOG_HEIGHT, RecursionAir};

/// A proof that a circuit's relations hold for some filling of its slots with the given
/// public inputs.
pub type CircuitProof = BatchProof<Config>;

/// Why proving a circuit failed.
#[derive(Debug, Error)]
pub enum RecursionProveError {
    /// The proof parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// The slots could not be filled.
    #[error(transparent)]
    Circuit(#[from] CircuitError),
    /// A table of the circuit is taller than [`MAX_TABLE_LOG_HEIGHT`] allows.
    #[error(
        "table {table} has 2^{log_height} rows, more than the 2^{MAX_TABLE_LOG_HEIGHT} a recursion proof may have"
    )]
    TooTall {
        /// The table.
        table: &'static str,
        /// log2 of its height.
        log_height: usize,
    },
    /// The circuit's poseidon2 table has the compact layout, whose quotient takes 8 chunks,
    /// more than the parameters' blowup leaves room for.
    #[error(
        "the compact poseidon2 layout needs log_blowup >= {min_log_blowup}, the parameters have {log_blowup}"
    )]
    CompactLayoutRate {
        /// The parameters' log2 blowup.
        log_blowup: usize,
        /// The least the compact layout needs.
        min_log_blowup: usize,
    },
    /// The circuit has more constants than the public table has rows.
    #[error("the circuit has {count} constants, more than the {MAX_CONSTANTS} a recursion circuit may have")]
    TooManyConstants {
        /// The circuit's constants.
        count: usize,
    },
    /// The proof system failed.
    #[error("the proof system failed: {0}")]
    Backend(String),
}

/// Why a circuit proof was rejected.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RecursionVerifyError {
    /// The proof parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// The number of public inputs is not the circuit's.
    #[error("the circuit has {expected} public inputs, {found} were given")]
    Publics {
        /// The circuit's.
        expected: usize,
        /// Given.
        found: usize,
    },
    /// The proof's tables are not the circuit's (their number or heights differ).
    #[error("the proof's tables are not the circuit's: {0}")]
    Shape(String),
    /// The proof does not verify.
    #[error("the proof does not verify: {0}")]
    Invalid(String),
}

/// The main traces of `circuit`'s tables for the filled `slots`. Exposed for tests that
/// tamper with traces.
pub fn circuit_traces(circuit: &Circuit, slots: &[Ext]) -> Vec<RowMajorMatrix<Val>> {
    let by_id = circuit.in_witness_order(slots);
    RecursionAir::tables(circuit).iter().map(|table| table.trace(&by_id)).collect()
}

/// Proves `traces` as the tables of `circuit` with `publics` (the traces need not be valid:
/// the verifier decides). Exposed for tests that tamper with traces.
pub fn prove_traces(
    circuit: &Circuit,
    traces: &[RowMajorMatrix<Val>],
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<CircuitProof, RecursionProveError> {
    prove_traces_with_key(circuit, traces, publics, parameters).map(|(proof, _)| proof)
}

/// [`prove_traces`], returning the circuit's key with the proof (its verifying data and the
/// preprocessed commitment's Merkle tree).
fn prove_traces_with_key(
    circuit: &Circuit,
    traces: &[RowMajorMatrix<Val>],
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<(CircuitProof, ProverData<Config>), RecursionProveError> {
    check_circuit_fits(circuit, parameters)?;
    prove_tables(&RecursionAir::tables(circuit), traces, publics, parameters)
}

/// Proves `traces` as the tables `airs` (a circuit's tables; tests also pass tables changed
/// from a circuit's, such as a key with other multiplicities) with `publics`, returning the
/// tables' key with the proof.
pub(crate) fn prove_tables(
    airs: &[RecursionAir],
    traces: &[RowMajorMatrix<Val>],
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<(CircuitProof, ProverData<Config>), RecursionProveError> {
    let config = parameters.config()?;
    let degrees: Vec<usize> = traces.iter().map(|t| t.height().trailing_zeros() as usize).collect();
    // No table beyond the height the soundness computation bounds them by.
    if let Some((air, &log_height)) =
        airs.iter().zip(&degrees).find(|&(_, &bits)| bits > MAX_TABLE_LOG_HEIGHT)
    {
        return Err(RecursionProveError::TooTall { table: air.name(), log_height });
    }
    let data = tables_data(&config, airs, &degrees, parameters)?;
    let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(publics)).collect();
    let trace_refs: Vec<&RowMajorMatrix<Val>> = traces.iter().collect();
    let instances = StarkInstance::new_multiple(airs, &trace_refs, &public_values);
    let proof = prove_batch(&config, &instances, &data)
        .map_err(|e| RecursionProveError::Backend(format!("{e:?}")))?;
    Ok((proof, data))
}

/// [`prove_circuit`] with the slots filled as a prover forcing a proof would: a permutation
/// output that conflicts with the value its slot holds keeps the held value
/// ([`OnConflict::KeepHeld`](crate::circuit::witness::OnConflict)), so the proof is made and
/// the tests can show the verifier rejects it.
#[cfg(test)]
pub(crate) fn prove_circuit_forced(
    circuit: &Circuit,
    publics: &[Ext],
    hints: &[Ext],
    parameters: &ProofParameters,
) -> Result<CircuitProof, RecursionProveError> {
    use crate::circuit::witness::{OnConflict, fill_with};
    let slots = fill_with(circuit, publics, hints, OnConflict::KeepHeld)?;
    prove_traces(circuit, &circuit_traces(circuit, &slots), publics, parameters)
}

/// Refuses a circuit whose constants do not fit the public table, or whose poseidon2 layout
/// needs a lower rate than `parameters` have.
fn check_circuit_fits(circuit: &Circuit, parameters: &ProofParameters) -> Result<(), RecursionProveError> {
    if circuit.constants.len() > MAX_CONSTANTS {
        return Err(RecursionProveError::TooManyConstants { count: circuit.constants.len() });
    }
    let min_log_blowup = Poseidon2Layout::COMPACT_MIN_LOG_BLOWUP;
    if circuit.poseidon2_layout.needs_compact_rate() && parameters.log_blowup < min_log_blowup {
        return Err(RecursionProveError::CompactLayoutRate {
            log_blowup: parameters.log_blowup,
            min_log_blowup,
        });
    }
    Ok(())
}

/// The verifying key and lookups of `circuit`'s tables (its preprocessed commitment fixes the
/// circuit).
pub fn circuit_common_data(
    circuit: &Circuit,
    parameters: &ProofParameters,
) -> Result<p3_batch_stark::CommonData<Config>, RecursionProveError> {
    circuit_prover_data(circuit, parameters).map(|data| data.common)
}

/// [`circuit_common_data`] with the preprocessed commitment's Merkle tree, which opens it.
pub fn circuit_prover_data(
    circuit: &Circuit,
    parameters: &ProofParameters,
) -> Result<ProverData<Config>, RecursionProveError> {
    let config = parameters.config()?;
    check_circuit_fits(circuit, parameters)?;
    let airs = RecursionAir::tables(circuit);
    let degrees: Vec<usize> = airs.iter().map(RecursionAir::log_height).collect();
    tables_data(&config, &airs, &degrees, parameters)
}

/// The key of tables `airs` at heights `2^degrees`, their lookups packed as
/// [`zkvm_core::prover::packing`] chooses.
fn tables_data(
    config: &Config,
    airs: &[RecursionAir],
    degrees: &[usize],
    parameters: &ProofParameters,
) -> Result<ProverData<Config>, RecursionProveError> {
    packed_prover_data(config, airs, degrees, parameters.log_blowup).map_err(RecursionProveError::Backend)
}

/// Fills `circuit` with `publics` and `hints` and proves it.
pub fn prove_circuit(
    circuit: &Circuit,
    publics: &[Ext],
    hints: &[Ext],
    parameters: &ProofParameters,
) -> Result<CircuitProof, RecursionProveError> {
    let slots = fill(circuit, publics, hints)?;
    prove_traces(circuit, &circuit_traces(circuit, &slots), publics, parameters)
}

/// [`prove_circuit`], returning the circuit's key with the proof (as [`circuit_prover_data`]
/// computes it).
pub fn prove_circuit_with_key(
    circuit: &Circuit,
    publics: &[Ext],
    hints: &[Ext],
    parameters: &ProofParameters,
) -> Result<(CircuitProof, ProverData<Config>), RecursionProveError> {
    let slots = fill(circuit, publics, hints)?;
    prove_traces_with_key(circuit, &circuit_traces(circuit, &slots), publics, parameters)
}

/// Verifies that `proof` proves `circuit` with `publics` (computing the circuit's verifying
/// key first; [`verify_circuit_with_key`] takes one computed before).
pub fn verify_circuit(
    circuit: &Circuit,
    proof: &CircuitProof,
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<(), RecursionVerifyError> {
    let common =
        circuit_common_data(circuit, parameters).map_err(|e| RecursionVerifyError::Invalid(e.to_string()))?;
    verify_circuit_with_key(circuit, &common, proof, publics, parameters)
}

/// Verifies that `proof` proves `circuit` with `publics`, under the circuit's verifying key
/// `common` (from [`circuit_common_data`] with the same parameters).
pub fn verify_circuit_with_key(
    circuit: &Circuit,
    common: &p3_batch_stark::CommonData<Config>,
    proof: &CircuitProof,
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<(), RecursionVerifyError> {
    if publics.len() != circuit.num_publics as usize {
        return Err(RecursionVerifyError::Publics {
            expected: circuit.num_publics as usize,
            found: publics.len(),
        });
    }
    let config = parameters.config()?;
    let airs = RecursionAir::tables(circuit);
    if proof.degree_bits.len() != airs.len() {
        return Err(RecursionVerifyError::Shape(format!(
            "{} tables, the circuit has {}",
            proof.degree_bits.len(),
            airs.len()
        )));
    }
    // Every table's height is fixed by the circuit (its preprocessed trace) and within the cap
    // the soundness computation assumes.
    for (air, &bits) in airs.iter().zip(&proof.degree_bits) {
        let fixed = p3_air::BaseAir::<Val>::preprocessed_trace(air).map(|t| t.height());
        if fixed != 1usize.checked_shl(bits as u32) || bits > MAX_TABLE_LOG_HEIGHT {
            return Err(RecursionVerifyError::Shape(format!("table {} claims 2^{bits} rows", air.name())));
        }
    }
    let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(publics)).collect();
    verify_batch(&config, &airs, proof, &public_values, common)
        .map_err(|e| RecursionVerifyError::Invalid(format!("{e:?}")))
}
