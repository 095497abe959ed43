//! The final proof of a run and its verifier: the statement is checked against the ELF, the
//! input, the output and the chipset, and the final circuit is built by the verifier itself
//! (from the segment shape, the arity and the parameters), never taken from the proof.

use std::sync::Arc;
use std::time::Instant;

use p3_batch_stark::CommonData;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkvm_core::prover::{Config, MachineAir, ProofParameters, StatementTables, Val, check_heights};
use zkvm_memory::merkle::Digest;

use super::leaf::segment_common;
use super::preprocessed_opening::{PreprocessedTree, restore_preprocessed_opening};
use super::statement::BoundaryState;
use super::{
    AggregationEvent, NodeCircuits, NodeError, NodeProof, NodeStatement, SegmentChild, Topology, aggregate,
    prove_final,
};
use crate::circuit::Circuit;
use crate::prove::{CircuitProof, RecursionVerifyError, circuit_prover_data, verify_circuit_with_key};
use crate::stark::StarkShape;

/// The parameters of every proof in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AggregationParameters {
    /// Segment proofs.
    pub segment: ProofParameters,
    /// Leaf and internal node proofs.
    pub node: ProofParameters,
    /// The final proof.
    pub final_proof: ProofParameters,
    /// The tree.
    pub topology: Topology,
}

/// A run's final proof: what the verifier needs besides the statement's own data.
#[derive(Serialize, Deserialize)]
pub struct FinalProof {
    /// The table heights (log2) every segment proof of the run has (the prover pads every
    /// segment to the run's shape): the verifier builds the node circuits from it.
    pub segment_shape: Vec<usize>,
    /// The number of segments (part of the statement the final proof attests).
    pub segments: usize,
    /// The exit code the run claims.
    pub exit_code: u32,
    /// The state after the last segment (pc, registers, positions, memory root).
    pub end: BoundaryStateRecord,
    /// The final node's proof, without the opening of its preprocessed commitment.
    pub proof: CircuitProof,
    /// The query indices of the proof's opening argument, from which the verifier re-creates
    /// the preprocessed opening the proof leaves out ([`super::preprocessed_opening`]).
    pub query_indices: Vec<u32>,
}

/// [`BoundaryState`] as stored in a proof file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryStateRecord {
    /// The pc.
    pub pc: u32,
    /// The registers.
    pub registers: [u32; 32],
    /// Input words read.
    pub input_position: u32,
    /// Output bytes committed.
    pub output_position: u32,
    /// The memory root, as canonical values.
    pub memory_root: [u32; 8],
}

impl From<&BoundaryState> for BoundaryStateRecord {
    fn from(state: &BoundaryState) -> Self {
        use p3_field::PrimeField32;
        BoundaryStateRecord {
            pc: state.pc,
            registers: state.registers,
            input_position: state.input_position,
            output_position: state.output_position,
            memory_root: state.memory_root.map(|v| v.as_canonical_u32()),
        }
    }
}

impl From<&BoundaryStateRecord> for BoundaryState {
    fn from(record: &BoundaryStateRecord) -> Self {
        BoundaryState {
            pc: record.pc,
            registers: record.registers,
            input_position: record.input_position,
            output_position: record.output_position,
            memory_root: record.memory_root.map(Val::new),
        }
    }
}

/// Why a final proof was rejected.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FinalVerifyError {
    /// The proof names no segment.
    #[error("the proof has no segments")]
    Empty,
    /// The segments' shape is not one a segment proof of the machine can have.
    #[error("the segment shape: {0}")]
    Segment(String),
    /// The proof claims more segments than a run may have.
    #[error("the proof claims {0} segments, more than {MAX_SEGMENTS}")]
    TooManySegments(usize),
    /// The proof's end state has not committed exactly the output's bytes.
    #[error("the proof's output length is not the output's")]
    OutputLength,
    /// The final proof does not verify with the statement of this ELF, input and output.
    #[error("the final proof does not verify for this program, input and output: {0}")]
    Invalid(#[from] RecursionVerifyError),
    /// The verifier could not rebuild the circuits.
    #[error("rebuilding the circuits failed: {0}")]
    Rebuild(String),
    /// The proof's segment shape is not the one the given [`FinalKey`] was built for.
    #[error("the proof's segment shape is not that of the verifying key")]
    KeyMismatch,
    /// The final circuit for the proof's segment shape and the parameters is taller than its
    /// soundness computation allows: no final proof of that shape is accepted.
    #[error(transparent)]
    FinalTooTall(#[from] super::FinalTooTall),
    /// The proof's opening argument or query indices cannot have the preprocessed batch put
    /// back (`preprocessed_opening`): the wrong number of batches or indices, an index outside
    /// the codeword, or preprocessed out-of-domain values that a final proof does not send.
    #[error("the final proof's opening: {0}")]
    Opening(String),
}

/// The most segments a final proof may claim (the statement counts them in a field element;
/// 2^24 segments of 2^21 cycles is far beyond any run).
pub const MAX_SEGMENTS: usize = 1 << 24;

/// Aggregates `segments` (consecutive segment proofs of the statement whose tables are
/// `tables`, all of one shape) into the run's final proof; `progress` hears of the node
/// circuits, every proven node and finished layer, and the final node. Builds the node
/// circuits for the segments' shape first ([`NodeCircuits`]).
pub fn prove_run(
    tables: &StatementTables,
    segments: &[SegmentChild],
    parameters: &AggregationParameters,
    mut progress: impl FnMut(&AggregationEvent),
) -> Result<FinalProof, NodeError> {
    let Some(first) = segments.first() else {
        return Err(NodeError::Statement(super::StatementError::Empty));
    };
    let segment_shape = first.proof.degree_bits.clone();
    if let Some(index) = segments.iter().position(|s| s.proof.degree_bits != segment_shape) {
        return Err(NodeError::Child {
            index,
            reason: "its table heights are not the first segment's: a run's segments must be proven to one \
                     shape (zkvm_core::prover::prove_execution_shaped)"
                .into(),
        });
    }
    let shape = segment_stark_shape(tables, &segment_shape, &parameters.segment)
        .map_err(|e| NodeError::Child { index: 0, reason: e.to_string() })?;
    let building = Instant::now();
    let nodes = NodeCircuits::new(&shape, parameters.topology.arity, &parameters.node)?;
    // The final circuit first: one too tall for its soundness bound fails before the tree.
    let final_circuit = nodes.final_circuit(&parameters.final_proof)?;
    progress(&AggregationEvent::CircuitsBuilt { elapsed: building.elapsed() });
    let root = aggregate(&nodes, tables, segments, &mut progress)?;
    let proving = Instant::now();
    let (last, query_indices) = prove_final(&nodes, &final_circuit, &root, &parameters.final_proof)?;
    progress(&AggregationEvent::FinalProven { elapsed: proving.elapsed() });
    Ok(FinalProof::of_final_node(segment_shape, segments.len(), last, query_indices))
}

impl FinalProof {
    /// The final proof of a run of `segments` segments of shape `segment_shape` whose final
    /// node proof is `last`, without its preprocessed opening, re-created from
    /// `query_indices` ([`prove_final`]): the run's claims are the final node's statement.
    pub(crate) fn of_final_node(
        segment_shape: Vec<usize>,
        segments: usize,
        last: NodeProof,
        query_indices: Vec<u32>,
    ) -> Self {
        FinalProof {
            segment_shape,
            segments,
            exit_code: last.statement.exit_code,
            end: (&last.statement.end).into(),
            proof: last.proof,
            query_indices,
        }
    }
}

/// The run of a program whose final proof verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedRun {
    /// Number of segments.
    pub segments: usize,
    /// The exit code.
    pub exit_code: u32,
}

/// The shape of a segment proof of the statement whose tables are `tables` with table heights
/// `segment_shape` (log2), under `parameters`, after the checks the segment verifier makes of
/// the heights (each table's bound, the LogUp multiplicity bound).
pub fn segment_stark_shape(
    tables: &StatementTables,
    segment_shape: &[usize],
    parameters: &ProofParameters,
) -> Result<StarkShape, FinalVerifyError> {
    let (airs, common) = checked_segment_common(tables, segment_shape, parameters)?;
    StarkShape::new(&airs, &common, segment_shape, *parameters)
        .map_err(|e| FinalVerifyError::Segment(e.to_string()))
}

/// The segment circuit's chips and verifying data for table heights `segment_shape`, after the
/// checks the segment verifier makes of the heights.
fn checked_segment_common(
    tables: &StatementTables,
    segment_shape: &[usize],
    parameters: &ProofParameters,
) -> Result<(Vec<MachineAir>, CommonData<Config>), FinalVerifyError> {
    let refuse = |reason: String| FinalVerifyError::Segment(reason);
    check_heights(tables, segment_shape).map_err(|e| refuse(e.to_string()))?;
    let airs = MachineAir::chips(tables);
    let common = segment_common(&airs, segment_shape, parameters).map_err(|e| refuse(e.to_string()))?;
    let rows: Vec<usize> = segment_shape.iter().map(|&bits| 1usize << bits).collect();
    p3_lookup::check_multiplicity_height_bound(&common.lookups, &rows).map_err(|e| refuse(e.to_string()))?;
    Ok((airs, common))
}

/// The final circuit of one segment shape and its verifying key, with the node-key digest its
/// statements carry: built once, it verifies final proofs of any number of segments of that
/// shape, for any program of the chipset whose segment tables have those heights (the segment
/// key is a public input, computed for each statement).
pub struct FinalKey {
    /// The segments' table heights (log2) the node circuits were built for.
    pub segment_shape: Vec<usize>,
    /// The digest of the node circuits' keys.
    pub node_keys: Digest,
    /// The final circuit.
    pub circuit: Arc<Circuit>,
    /// The final circuit's verifying key under the final parameters.
    pub common: CommonData<Config>,
    /// The Merkle tree of the final circuit's preprocessed commitment (the key), from which the
    /// verifier re-creates the preprocessed opening a final proof leaves out.
    pub preprocessed: PreprocessedTree,
}

impl FinalKey {
    /// Builds the node circuits for `segment_shape` under `parameters` (so its cost does not
    /// depend on the number of segments), then the final circuit and its key.
    pub fn new(
        tables: &StatementTables,
        segment_shape: &[usize],
        parameters: &AggregationParameters,
    ) -> Result<Self, FinalVerifyError> {
        let rebuild = |e: String| FinalVerifyError::Rebuild(e);
        let shape = segment_stark_shape(tables, segment_shape, &parameters.segment)?;
        let nodes = NodeCircuits::new(&shape, parameters.topology.arity, &parameters.node)
            .map_err(|e| rebuild(e.to_string()))?;
        let circuit = nodes.final_circuit(&parameters.final_proof)?.circuit;
        let data =
            circuit_prover_data(&circuit, &parameters.final_proof).map_err(|e| rebuild(e.to_string()))?;
        let preprocessed = data
            .prover_only
            .preprocessed_prover_data
            .ok_or_else(|| rebuild("the final circuit has no preprocessed commitment".into()))?;
        Ok(FinalKey {
            segment_shape: segment_shape.to_vec(),
            node_keys: nodes.digest,
            circuit,
            common: data.common,
            preprocessed,
        })
    }
}

/// Verifies `proof` as the final proof of running the program of `tables` (its ELF, input,
/// output and chipset) from its entry (`entry_pc`) to a halt: the statement is built from what
/// the verifier knows (the segments' key, the node-key digest, the entry state, the input and
/// output lengths) and what the proof claims (segment count, exit code, end state), and the
/// final circuit is built from the segment shape alone.
pub fn verify_run(
    tables: &StatementTables,
    entry_pc: u32,
    input_length: usize,
    output_length: usize,
    proof: &FinalProof,
    parameters: &AggregationParameters,
) -> Result<VerifiedRun, FinalVerifyError> {
    check_final_claims(proof, output_length)?;
    let key = FinalKey::new(tables, &proof.segment_shape, parameters)?;
    verify_run_with_key(tables, entry_pc, input_length, output_length, proof, parameters, &key)
}

/// The checks of what a proof claims that need no circuit: its segment count and its output
/// length (`output_length` bytes). [`verify_run`] makes them first; a caller that builds the
/// [`FinalKey`] itself can make them before that work.
pub fn check_final_claims(proof: &FinalProof, output_length: usize) -> Result<(), FinalVerifyError> {
    if proof.segments == 0 {
        return Err(FinalVerifyError::Empty);
    }
    if proof.segments > MAX_SEGMENTS {
        return Err(FinalVerifyError::TooManySegments(proof.segments));
    }
    if proof.end.output_position as usize != output_length {
        return Err(FinalVerifyError::OutputLength);
    }
    Ok(())
}

/// [`verify_run`] with the final circuit and key built beforehand ([`FinalKey::new`]); a proof
/// whose segment shape is not the key's is refused.
pub fn verify_run_with_key(
    tables: &StatementTables,
    entry_pc: u32,
    input_length: usize,
    output_length: usize,
    proof: &FinalProof,
    parameters: &AggregationParameters,
    key: &FinalKey,
) -> Result<VerifiedRun, FinalVerifyError> {
    check_final_claims(proof, output_length)?;
    if proof.segment_shape != key.segment_shape {
        return Err(FinalVerifyError::KeyMismatch);
    }
    super::check_final_heights(&key.circuit)?;
    let (_, common) = checked_segment_common(tables, &proof.segment_shape, &parameters.segment)?;
    let segment_key = common
        .preprocessed
        .as_ref()
        .map(|g| g.commitment.roots()[0])
        .ok_or_else(|| FinalVerifyError::Rebuild("the segment circuit has no key".into()))?;
    let statement = NodeStatement {
        segment_key,
        node_keys: key.node_keys,
        segments: proof.segments as u32,
        start: BoundaryState::entry(entry_pc, tables.image_root),
        end: BoundaryState::from(&proof.end),
        input_length: input_length as u32,
        halted: true,
        exit_code: proof.exit_code,
    };
    let final_parameters = &parameters.final_proof;
    let publics = statement.to_publics();
    let full = restore_preprocessed_opening(
        &key.circuit,
        &key.common,
        &proof.proof,
        &publics,
        &proof.query_indices,
        &key.preprocessed,
        final_parameters,
    )?;
    verify_circuit_with_key(&key.circuit, &key.common, &full, &publics, final_parameters)?;
    Ok(VerifiedRun { segments: proof.segments, exit_code: proof.exit_code })
}
