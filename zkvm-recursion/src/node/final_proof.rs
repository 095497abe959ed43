//! The final proof of a run and its verifier: the statement is checked against the ELF, the
//! input, the output and the chipset, and the final circuit is rebuilt by the verifier itself
//! (from the topology and the segments' table heights), never taken from the proof.

use std::collections::HashMap;

use p3_batch_stark::CommonData;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkvm_core::prover::{Config, MachineAir, ProofParameters, StatementTables, Val, check_heights};
use zkvm_memory::merkle::Digest;

use super::leaf::segment_common;
use super::statement::BoundaryState;
use super::{
    InternalCircuit, LeafCircuit, NodeError, NodeStatement, SegmentChild, Topology, aggregate, prove_final,
};
use crate::circuit::Circuit;
use crate::prove::{CircuitProof, RecursionVerifyError, circuit_common_data, verify_circuit_with_key};
use crate::stark::StarkShape;
use crate::tables::{RecursionAir, table_height};

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
    /// segment to the run's shape): the verifier builds the leaf circuits from it.
    pub segment_shape: Vec<usize>,
    /// The number of segments: the verifier builds the tree over that many leaves' children.
    pub segments: usize,
    /// The exit code the run claims.
    pub exit_code: u32,
    /// The state after the last segment (pc, registers, positions, memory root).
    pub end: BoundaryStateRecord,
    /// The final node's proof.
    pub proof: CircuitProof,
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
    /// The proof claims more segments than the verifier rebuilds a tree for.
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
    /// The proof's segment shape or count is not the one the given [`FinalKey`] was built for.
    #[error("the proof's segment shape or count is not that of the verifying key")]
    KeyMismatch,
}

/// The most segments a final proof may claim: 2^32 cycles of 2^21-cycle segments, with room.
/// The verifier refuses more before building anything.
pub const MAX_SEGMENTS: usize = 1 << 24;

/// Aggregates `segments` (consecutive segment proofs of the statement whose tables are
/// `tables`) into the run's final proof; `progress` hears of every finished layer.
pub fn prove_run(
    tables: &StatementTables,
    segments: &[SegmentChild],
    parameters: &AggregationParameters,
    progress: impl FnMut(&super::AggregationReport),
) -> Result<FinalProof, NodeError> {
    let segment_shape = segments.first().map(|s| s.proof.degree_bits.clone()).unwrap_or_default();
    if let Some(index) = segments.iter().position(|s| s.proof.degree_bits != segment_shape) {
        return Err(NodeError::Child {
            index,
            reason: "its table heights are not the first segment's: a run's segments must be proven to one \
                     shape (zkvm_core::prover::prove_execution_shaped)"
                .into(),
        });
    }
    let root =
        aggregate(tables, segments, parameters.topology, &parameters.segment, &parameters.node, progress)?;
    let last = prove_final(&root, &parameters.node, &parameters.final_proof)?;
    Ok(FinalProof {
        segment_shape,
        segments: segments.len(),
        exit_code: last.statement.exit_code,
        end: (&last.statement.end).into(),
        proof: last.proof,
    })
}

/// The run of a program whose final proof verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedRun {
    /// Number of segments.
    pub segments: usize,
    /// The exit code.
    pub exit_code: u32,
}

/// log2 of each table height of `circuit`'s proofs (fixed by the circuit).
pub(super) fn circuit_heights(circuit: &Circuit) -> Vec<usize> {
    let (slots, publics) = (circuit.num_slots as usize, usize::from(circuit.num_publics > 0));
    let (arith, poseidon2) = (circuit.arith.len(), circuit.poseidon2.len());
    [slots, publics, arith, poseidon2]
        .into_iter()
        .enumerate()
        .filter(|&(i, rows)| i == 0 || rows > 0)
        .map(|(_, rows)| table_height(rows).trailing_zeros() as usize)
        .collect()
}

/// The final circuit of a run of `segments` segments of shape `segment_shape`, under
/// `parameters`, rebuilt from scratch: the shape checked as the segment verifier checks it, the
/// leaves from it, each internal node from its children's circuits and keys. Returns the
/// circuit and the segments' key.
///
/// Nodes over children of the same circuits are the same circuit, so each distinct circuit is
/// built (and its key computed) once: with one segment shape a layer has at most two (its full
/// nodes and a last, shorter one), so the rebuild costs O(log n) circuits for n segments.
pub fn final_circuit(
    tables: &StatementTables,
    segment_shape: &[usize],
    segments: usize,
    parameters: &AggregationParameters,
) -> Result<(Circuit, Digest), FinalVerifyError> {
    if segments == 0 {
        return Err(FinalVerifyError::Empty);
    }
    if segments > MAX_SEGMENTS {
        return Err(FinalVerifyError::TooManySegments(segments));
    }
    let airs = MachineAir::chips(tables);
    let rebuild = |e: String| FinalVerifyError::Rebuild(e);
    let refuse = |reason: String| FinalVerifyError::Segment(reason);
    check_heights(tables, segment_shape).map_err(|e| refuse(e.to_string()))?;
    let common =
        segment_common(&airs, segment_shape, &parameters.segment).map_err(|e| refuse(e.to_string()))?;
    let rows: Vec<usize> = segment_shape.iter().map(|&bits| 1usize << bits).collect();
    p3_lookup::check_multiplicity_height_bound(&common.lookups, &rows).map_err(|e| refuse(e.to_string()))?;
    let shape = StarkShape::new(&airs, &common, segment_shape, parameters.segment)
        .map_err(|e| refuse(e.to_string()))?;
    let segment_key = shape
        .preprocessed
        .as_ref()
        .map(|(root, _)| *root)
        .ok_or_else(|| rebuild("the segment circuit has no key".into()))?;
    let arity = parameters.topology.arity;
    let mut built = BuiltCircuits::default();
    // Each layer run-length encoded, in execution order: (circuit, how many in a row). With
    // one segment shape a layer is a run of identical full nodes and perhaps one shorter
    // node, so the rebuild takes O(log n) steps and circuits whatever count the proof claims.
    let mut layer: Vec<(usize, usize)> = Vec::new();
    for (children, count) in [(arity, segments / arity), (segments % arity, 1)] {
        if children > 0 && count > 0 {
            let index = match built.leaves.get(&children) {
                Some(&index) => index,
                None => {
                    let index = built.push(LeafCircuit::new(vec![shape.clone(); children]).circuit);
                    built.leaves.insert(children, index);
                    index
                }
            };
            layer.push((index, count));
        }
    }
    while layer.iter().map(|&(_, count)| count).sum::<usize>() > 1 {
        let mut next = Vec::new();
        for (children, count) in group_runs(&layer, arity) {
            let index = match built.internal.get(&children) {
                Some(&index) => index,
                None => {
                    let shapes = children
                        .iter()
                        .map(|&child| built.shape(child, parameters))
                        .collect::<Result<_, _>>()?;
                    let index = built.push(InternalCircuit::new(shapes).circuit);
                    built.internal.insert(children, index);
                    index
                }
            };
            next.push((index, count));
        }
        layer = next;
    }
    let root = layer.first().map(|&(index, _)| index).ok_or(FinalVerifyError::Empty)?;
    let root_shape = built.shape(root, parameters)?;
    Ok((InternalCircuit::new(vec![root_shape]).circuit, segment_key))
}

/// The next layer of a run-length encoded layer (`(circuit, count)` in order) grouped by
/// `arity`: each group's children, and how many identical groups follow one another.
pub(super) fn group_runs(layer: &[(usize, usize)], arity: usize) -> Vec<(Vec<usize>, usize)> {
    let mut groups: Vec<(Vec<usize>, usize)> = Vec::new();
    let mut push = |children: Vec<usize>, count: usize| match groups.last_mut() {
        Some((last, n)) if *last == children => *n += count,
        _ => groups.push((children, count)),
    };
    let mut pending: Vec<usize> = Vec::with_capacity(arity);
    for &(circuit, mut count) in layer {
        while count > 0 && !pending.is_empty() {
            pending.push(circuit);
            count -= 1;
            if pending.len() == arity {
                push(std::mem::take(&mut pending), 1);
            }
        }
        if count >= arity {
            push(vec![circuit; arity], count / arity);
            count %= arity;
        }
        pending.extend(std::iter::repeat_n(circuit, count));
    }
    if !pending.is_empty() {
        push(pending, 1);
    }
    groups
}

/// The distinct node circuits of a tree being rebuilt, with the shape of each as a child.
#[derive(Default)]
struct BuiltCircuits {
    circuits: Vec<Circuit>,
    shapes: HashMap<usize, StarkShape>,
    /// Leaf circuit by its number of segments.
    leaves: HashMap<usize, usize>,
    /// Internal circuit by its children's circuits.
    internal: HashMap<Vec<usize>, usize>,
}

impl BuiltCircuits {
    fn push(&mut self, circuit: Circuit) -> usize {
        self.circuits.push(circuit);
        self.circuits.len() - 1
    }

    /// The shape of circuit `index`'s proofs under the node parameters (its key computed once).
    fn shape(
        &mut self,
        index: usize,
        parameters: &AggregationParameters,
    ) -> Result<StarkShape, FinalVerifyError> {
        if let Some(shape) = self.shapes.get(&index) {
            return Ok(shape.clone());
        }
        let rebuild = |e: String| FinalVerifyError::Rebuild(e);
        let circuit = &self.circuits[index];
        let common = circuit_common_data(circuit, &parameters.node).map_err(|e| rebuild(e.to_string()))?;
        let shape = StarkShape::new(
            &RecursionAir::tables(circuit),
            &common,
            &circuit_heights(circuit),
            parameters.node,
        )
        .map_err(|e| rebuild(e.to_string()))?;
        self.shapes.insert(index, shape.clone());
        Ok(shape)
    }
}

/// The final circuit of one tree shape and its verifying key: built once, it verifies any
/// number of final proofs whose segments have these heights, without rebuilding the tree.
pub struct FinalKey {
    /// The segments' table heights (log2) the tree was rebuilt from.
    pub segment_shape: Vec<usize>,
    /// The number of segments the tree was rebuilt for.
    pub segments: usize,
    /// The final circuit.
    pub circuit: Circuit,
    /// The segments' verifying key (the statement's first public inputs).
    pub segment_key: Digest,
    /// The final circuit's verifying key under the final parameters.
    pub common: CommonData<Config>,
}

impl FinalKey {
    /// Rebuilds the tree of `segments` segments of shape `segment_shape` ([`final_circuit`])
    /// and computes the final circuit's key.
    pub fn new(
        tables: &StatementTables,
        segment_shape: &[usize],
        segments: usize,
        parameters: &AggregationParameters,
    ) -> Result<Self, FinalVerifyError> {
        let (circuit, segment_key) = final_circuit(tables, segment_shape, segments, parameters)?;
        let common = circuit_common_data(&circuit, &parameters.final_proof)
            .map_err(|e| FinalVerifyError::Rebuild(e.to_string()))?;
        Ok(FinalKey { segment_shape: segment_shape.to_vec(), segments, circuit, segment_key, common })
    }
}

/// Verifies `proof` as the final proof of running the program of `tables` (its ELF, input,
/// output and chipset) from its entry (`entry_pc`) to a halt: the statement is built from what
/// the verifier knows (the segments' key, the entry state, the input and output lengths) and
/// what the proof claims (exit code, end state), and the final circuit is rebuilt.
pub fn verify_run(
    tables: &StatementTables,
    entry_pc: u32,
    input_length: usize,
    output_length: usize,
    proof: &FinalProof,
    parameters: &AggregationParameters,
) -> Result<VerifiedRun, FinalVerifyError> {
    check_output_length(proof, output_length)?;
    let key = FinalKey::new(tables, &proof.segment_shape, proof.segments, parameters)?;
    verify_run_with_key(tables, entry_pc, input_length, output_length, proof, parameters, &key)
}

fn check_output_length(proof: &FinalProof, output_length: usize) -> Result<(), FinalVerifyError> {
    if proof.end.output_position as usize != output_length {
        return Err(FinalVerifyError::OutputLength);
    }
    Ok(())
}

/// [`verify_run`] with the final circuit and key built beforehand (for `tables` and
/// `parameters`); a proof whose segment shape or count is not the key's is refused.
pub fn verify_run_with_key(
    tables: &StatementTables,
    entry_pc: u32,
    input_length: usize,
    output_length: usize,
    proof: &FinalProof,
    parameters: &AggregationParameters,
    key: &FinalKey,
) -> Result<VerifiedRun, FinalVerifyError> {
    check_output_length(proof, output_length)?;
    if proof.segment_shape != key.segment_shape || proof.segments != key.segments {
        return Err(FinalVerifyError::KeyMismatch);
    }
    let statement = NodeStatement {
        segment_key: key.segment_key,
        start: BoundaryState::entry(entry_pc, tables.image_root),
        end: BoundaryState::from(&proof.end),
        input_length: input_length as u32,
        halted: true,
        exit_code: proof.exit_code,
    };
    verify_circuit_with_key(
        &key.circuit,
        &key.common,
        &proof.proof,
        &statement.to_publics(),
        &parameters.final_proof,
    )?;
    Ok(VerifiedRun { segments: proof.segments, exit_code: proof.exit_code })
}
