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
    /// Each segment proof's table heights (log2), in execution order: the verifier rebuilds the
    /// leaf circuits from them.
    pub segment_heights: Vec<Vec<usize>>,
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
    /// The segments' heights do not form a proof the machine can have.
    #[error("segment {index}: {reason}")]
    Segment {
        /// The segment.
        index: usize,
        /// Why.
        reason: String,
    },
    /// The proof's end state has not committed exactly the output's bytes.
    #[error("the proof's output length is not the output's")]
    OutputLength,
    /// The final proof does not verify with the statement of this ELF, input and output.
    #[error("the final proof does not verify for this program, input and output: {0}")]
    Invalid(#[from] RecursionVerifyError),
    /// The verifier could not rebuild the circuits.
    #[error("rebuilding the circuits failed: {0}")]
    Rebuild(String),
    /// The proof's segment heights are not those the given [`FinalKey`] was built for.
    #[error("the proof's segment heights are not those of the verifying key")]
    KeyMismatch,
}

/// Aggregates `segments` (consecutive segment proofs of the statement whose tables are
/// `tables`) into the run's final proof; `progress` hears of every finished layer.
pub fn prove_run(
    tables: &StatementTables,
    segments: &[SegmentChild],
    parameters: &AggregationParameters,
    progress: impl FnMut(&super::AggregationReport),
) -> Result<FinalProof, NodeError> {
    let root =
        aggregate(tables, segments, parameters.topology, &parameters.segment, &parameters.node, progress)?;
    let last = prove_final(&root, &parameters.node, &parameters.final_proof)?;
    Ok(FinalProof {
        segment_heights: segments.iter().map(|s| s.proof.degree_bits.clone()).collect(),
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

/// The final circuit of a run with these segment heights, under `parameters`, rebuilt from
/// scratch: each segment's heights checked as the segment verifier checks them, leaves from
/// the segments' shapes, each internal node from its children's circuits and keys. Returns the
/// circuit and the segments' key.
pub fn final_circuit(
    tables: &StatementTables,
    segment_heights: &[Vec<usize>],
    parameters: &AggregationParameters,
) -> Result<(Circuit, Digest), FinalVerifyError> {
    if segment_heights.is_empty() {
        return Err(FinalVerifyError::Empty);
    }
    let airs = MachineAir::chips(tables);
    let rebuild = |e: String| FinalVerifyError::Rebuild(e);
    let mut commons: HashMap<&[usize], CommonData<Config>> = HashMap::new();
    let mut shapes = Vec::with_capacity(segment_heights.len());
    for (index, heights) in segment_heights.iter().enumerate() {
        let refuse = |reason: String| FinalVerifyError::Segment { index, reason };
        check_heights(tables, heights).map_err(|e| refuse(e.to_string()))?;
        if !commons.contains_key(heights.as_slice()) {
            let common =
                segment_common(&airs, heights, &parameters.segment).map_err(|e| refuse(e.to_string()))?;
            let rows: Vec<usize> = heights.iter().map(|&bits| 1usize << bits).collect();
            p3_lookup::check_multiplicity_height_bound(&common.lookups, &rows)
                .map_err(|e| refuse(e.to_string()))?;
            commons.insert(heights, common);
        }
        let shape = StarkShape::new(&airs, &commons[heights.as_slice()], heights, parameters.segment)
            .map_err(|e| refuse(e.to_string()))?;
        shapes.push(shape);
    }
    let segment_key = shapes[0]
        .preprocessed
        .as_ref()
        .map(|(root, _)| *root)
        .ok_or_else(|| rebuild("the segment circuit has no key".into()))?;
    let arity = parameters.topology.arity;
    // Nodes over children of the same shapes are the same circuit, so each distinct circuit is
    // built (and its key computed) once: a layer has at most a few, and the rebuild costs
    // O(log n) circuits for n segments instead of O(n).
    let mut built = BuiltCircuits::default();
    let mut layer: Vec<usize> = Vec::new();
    for (run, heights) in shapes.chunks(arity).zip(segment_heights.chunks(arity)) {
        let key = heights.to_vec();
        let index = match built.leaves.get(&key) {
            Some(&index) => index,
            None => {
                let index = built.push(LeafCircuit::new(run.to_vec()).circuit);
                built.leaves.insert(key, index);
                index
            }
        };
        layer.push(index);
    }
    while layer.len() > 1 {
        let mut next = Vec::with_capacity(layer.len().div_ceil(arity));
        for run in layer.chunks(arity) {
            let index = match built.internal.get(run) {
                Some(&index) => index,
                None => {
                    let children =
                        run.iter().map(|&child| built.shape(child, parameters)).collect::<Result<_, _>>()?;
                    let index = built.push(InternalCircuit::new(children).circuit);
                    built.internal.insert(run.to_vec(), index);
                    index
                }
            };
            next.push(index);
        }
        layer = next;
    }
    let root = layer.pop().ok_or(FinalVerifyError::Empty)?;
    let root_shape = built.shape(root, parameters)?;
    Ok((InternalCircuit::new(vec![root_shape]).circuit, segment_key))
}

/// The distinct node circuits of a tree being rebuilt, with the shape of each as a child.
#[derive(Default)]
struct BuiltCircuits {
    circuits: Vec<Circuit>,
    shapes: HashMap<usize, StarkShape>,
    /// Leaf circuit by its segments' heights.
    leaves: HashMap<Vec<Vec<usize>>, usize>,
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
    pub segment_heights: Vec<Vec<usize>>,
    /// The final circuit.
    pub circuit: Circuit,
    /// The segments' verifying key (the statement's first public inputs).
    pub segment_key: Digest,
    /// The final circuit's verifying key under the final parameters.
    pub common: CommonData<Config>,
}

impl FinalKey {
    /// Rebuilds the tree for `segment_heights` ([`final_circuit`]) and computes the final
    /// circuit's key.
    pub fn new(
        tables: &StatementTables,
        segment_heights: &[Vec<usize>],
        parameters: &AggregationParameters,
    ) -> Result<Self, FinalVerifyError> {
        let (circuit, segment_key) = final_circuit(tables, segment_heights, parameters)?;
        let common = circuit_common_data(&circuit, &parameters.final_proof)
            .map_err(|e| FinalVerifyError::Rebuild(e.to_string()))?;
        Ok(FinalKey { segment_heights: segment_heights.to_vec(), circuit, segment_key, common })
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
    let key = FinalKey::new(tables, &proof.segment_heights, parameters)?;
    verify_run_with_key(tables, entry_pc, input_length, output_length, proof, parameters, &key)
}

fn check_output_length(proof: &FinalProof, output_length: usize) -> Result<(), FinalVerifyError> {
    if proof.end.output_position as usize != output_length {
        return Err(FinalVerifyError::OutputLength);
    }
    Ok(())
}

/// [`verify_run`] with the final circuit and key built beforehand (for `tables` and
/// `parameters`); a proof whose segment heights are not the key's is refused.
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
    if proof.segment_heights != key.segment_heights {
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
    Ok(VerifiedRun { segments: proof.segment_heights.len(), exit_code: proof.exit_code })
}
