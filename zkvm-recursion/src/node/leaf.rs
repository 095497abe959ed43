//! The leaf node: a circuit that verifies consecutive segment proofs of one statement and
//! proves their joined [`NodeStatement`].
//!
//! The segments' verifying key (their preprocessed commitment: program, input and output, the
//! byte and range tables, the chipset) is not a constant of the circuit but its public inputs
//! `SEGMENT_KEY`, shared by every child: the final verifier computes the key from the ELF, the
//! input, the output and the config, and compares. The node-key digest (`NODE_KEYS`) is a
//! public input the leaf passes on unread: its parents check it.

use std::sync::Arc;

use p3_batch_stark::CommonData;
use zkvm_core::prover::packing::packed_prover_data;
use zkvm_core::prover::{
    CPU_TABLE, Config, ECALL_TABLE, MERKLE_TABLE, MachineAir, ProofParameters, REGISTER_TABLE, SegmentProof,
    SegmentStatement, StatementTables, Val,
};
use zkvm_memory::merkle::DIGEST_ELEMENTS;
use zkvm_memory::register_boundary::STREAM_PUBLIC_OFFSET;

use super::statement::{NodeStatement, StatementSlots, layout};
use super::{NodeCircuits, NodeError, NodeProof};
use crate::circuit::{Circuit, CircuitBuilder, HintValues, Slot};
use crate::gadgets::merkle::DigestSlots;
use crate::prove::prove_circuit;
use crate::stark::{StarkProofSlots, StarkShape, stark_hints, verify_stark_with_key};

/// A segment proof with the public values it claims (per chip).
pub struct SegmentChild {
    /// The proof.
    pub proof: SegmentProof,
    /// Its public values.
    pub public_values: Vec<Vec<Val>>,
}

/// A leaf circuit and where its children's values go.
#[derive(Clone, Debug)]
pub struct LeafCircuit {
    /// The circuit.
    pub circuit: Arc<Circuit>,
    /// Per child, its proof's shape.
    pub shapes: Vec<StarkShape>,
    /// Per child, its public values' slots (per chip).
    pub public_slots: Vec<Vec<Vec<Slot>>>,
    /// Per child, its proof's slots.
    pub proof_slots: Vec<StarkProofSlots>,
}

/// The node statement of one segment from its public-value slots (per chip), as relations:
/// one segment, under the leaf's segment key and node-key digest.
fn segment_statement(
    builder: &mut CircuitBuilder,
    key: &DigestSlots,
    node_keys: &DigestSlots,
    publics: &[Vec<Slot>],
) -> StatementSlots {
    let (cpu, ecall) = (&publics[CPU_TABLE], &publics[ECALL_TABLE]);
    let (merkle, registers) = (&publics[MERKLE_TABLE], &publics[REGISTER_TABLE]);
    let mut values = Vec::with_capacity(layout::NODE_PUBLICS);
    values.extend_from_slice(key);
    values.extend_from_slice(node_keys);
    values.push(builder.constant_base(1));
    for side in 0..2 {
        values.push(cpu[side]);
        values.extend_from_slice(&registers[128 * side..128 * side + 128]);
        values.push(registers[STREAM_PUBLIC_OFFSET + 2 * side]);
        values.push(registers[STREAM_PUBLIC_OFFSET + 2 * side + 1]);
        values.extend_from_slice(&merkle[DIGEST_ELEMENTS * side..DIGEST_ELEMENTS * (side + 1)]);
    }
    values.extend_from_slice(&ecall[..4]);
    let halted = cpu[6];
    values.push(halted);
    // The exit code counts only when the segment halts (the CPU leaves it free otherwise).
    for &byte in &cpu[2..6] {
        let gated = builder.mul(halted, byte);
        values.push(gated);
    }
    StatementSlots(values)
}

impl LeafCircuit {
    /// The leaf circuit for children of these shapes, in execution order.
    ///
    /// # Panics
    /// If `shapes` is empty or a shape has no preprocessed commitment (every segment proof has).
    pub fn new(shapes: Vec<StarkShape>) -> Self {
        let mut builder = CircuitBuilder::new(layout::NODE_PUBLICS as u32);
        let key: DigestSlots =
            std::array::from_fn(|k| builder.public((layout::SEGMENT_KEY.start + k) as u32));
        let node_keys: DigestSlots =
            std::array::from_fn(|k| builder.public((layout::NODE_KEYS.start + k) as u32));
        let mut public_slots = Vec::with_capacity(shapes.len());
        let mut proof_slots = Vec::with_capacity(shapes.len());
        let mut statements = Vec::with_capacity(shapes.len());
        for shape in &shapes {
            let publics: Vec<Vec<Slot>> =
                shape.tables.iter().map(|t| (0..t.public_values).map(|_| builder.hint()).collect()).collect();
            let proof = StarkProofSlots::allocate(&mut builder, shape);
            // V1: the child is a valid segment proof under the key.
            verify_stark_with_key(&mut builder, shape, Some(&key), &publics, &proof);
            statements.push(segment_statement(&mut builder, &key, &node_keys, &publics));
            public_slots.push(publics);
            proof_slots.push(proof);
        }
        // C1-C4: the children chain; P1: the public inputs are their joined statement.
        let joined = StatementSlots::join(&mut builder, &statements);
        joined.expose(&mut builder);
        LeafCircuit { circuit: Arc::new(builder.build()), shapes, public_slots, proof_slots }
    }
}

/// The segment circuit's verifying data for a proof with these heights.
pub(super) fn segment_common(
    airs: &[MachineAir],
    degree_bits: &[usize],
    parameters: &ProofParameters,
) -> Result<CommonData<Config>, NodeError> {
    let config = parameters.config()?;
    packed_prover_data(&config, airs, degree_bits, parameters.log_blowup)
        .map(|data| data.common)
        .map_err(NodeError::Backend)
}

/// The leaf circuit of `nodes` for `children` (segment proofs of the statement whose tables
/// are `tables`, of the shape and parameters `nodes` was built for) with its hints, and each
/// child's statement. Checks that each child verifies, not that they chain
/// ([`prove_leaf`] does; tests use this to force a prover past that check).
pub fn leaf_witness<'a>(
    nodes: &'a NodeCircuits,
    tables: &StatementTables,
    children: &[SegmentChild],
) -> Result<(&'a LeafCircuit, HintValues, Vec<NodeStatement>), NodeError> {
    if children.is_empty() {
        return Err(NodeError::Statement(super::StatementError::Empty));
    }
    let leaf = nodes.leaves.get(children.len() - 1).ok_or_else(|| NodeError::Child {
        index: nodes.arity,
        reason: format!("a leaf has at most {} children", nodes.arity),
    })?;
    let airs = MachineAir::chips(tables);
    let expected: Vec<usize> = nodes.segment_shape.tables.iter().map(|t| t.degree_bits).collect();
    // Every child has the run's shape, so one verifying key serves them all.
    let common = segment_common(&airs, &expected, &nodes.segment_shape.parameters)?;
    let key = common
        .preprocessed
        .as_ref()
        .map(|g| g.commitment.roots()[0])
        .ok_or_else(|| NodeError::Backend("the segment circuit has no verifying key".into()))?;
    let mut hints = HintValues::new();
    let mut statements = Vec::with_capacity(children.len());
    for (index, child) in children.iter().enumerate() {
        let refuse = |reason: String| NodeError::Child { index, reason };
        if child.proof.degree_bits != expected {
            return Err(refuse("its table heights are not the run's segment shape".into()));
        }
        let decoded =
            SegmentStatement::from_public_values(&child.public_values).map_err(|e| refuse(e.to_string()))?;
        statements.push(NodeStatement::of_segment(key, nodes.digest, &decoded));
        for (slots, values) in leaf.public_slots[index].iter().zip(&child.public_values) {
            hints.set_all_base(slots, values);
        }
        stark_hints(
            &leaf.shapes[index],
            &airs,
            &common,
            &child.proof,
            &child.public_values,
            &leaf.proof_slots[index],
            &mut hints,
        )
        .map_err(|e| refuse(e.to_string()))?;
    }
    Ok((leaf, hints, statements))
}

/// Proves a leaf of `nodes` over consecutive `children`, segment proofs of the statement whose
/// tables are `tables`; the leaf's own proof uses the node parameters. Refuses children that do
/// not verify under the segment parameters or do not chain.
pub fn prove_leaf(
    nodes: &NodeCircuits,
    tables: &StatementTables,
    children: &[SegmentChild],
) -> Result<NodeProof, NodeError> {
    let (leaf, hints, statements) = leaf_witness(nodes, tables, children)?;
    let statement = NodeStatement::join(&statements)?;
    let ordered = hints.ordered(&leaf.circuit)?;
    let proof = prove_circuit(&leaf.circuit, &statement.to_publics(), &ordered, &nodes.parameters)?;
    let key = Some(nodes.keys[nodes.leaf_index(children.len())]);
    Ok(NodeProof { circuit: leaf.circuit.clone(), key, proof, statement })
}
