//! The internal node: a circuit that verifies consecutive node proofs (leaves or internal
//! nodes) and proves their joined [`NodeStatement`].
//!
//! Each child's circuit is known when the node is built, so its verifying key (the child
//! circuit's preprocessed commitment) enters as constants: no child can bring a circuit of its
//! own choosing.

use zkvm_core::prover::{ProofParameters, Val};

use super::statement::{NodeStatement, StatementSlots, layout};
use super::{NodeError, NodeProof};
use crate::circuit::{Circuit, CircuitBuilder, EXT_DEGREE, HintValues, Slot};
use crate::prove::{circuit_common_data, prove_circuit};
use crate::stark::{StarkProofSlots, StarkShape, stark_hints, verify_stark};
use crate::tables::{PUBLIC_TABLE, RecursionAir};

/// An internal circuit and where its children's values go.
#[derive(Debug)]
pub struct InternalCircuit {
    /// The circuit.
    pub circuit: Circuit,
    /// Per child, its proof's shape.
    pub shapes: Vec<StarkShape>,
    /// Per child, its public values' slots (per table).
    pub public_slots: Vec<Vec<Vec<Slot>>>,
    /// Per child, its proof's slots.
    pub proof_slots: Vec<StarkProofSlots>,
}

/// A child node's statement from its public table's values (five base coefficients per public
/// input), as relations: the higher coefficients are zero, so each public input is the base
/// value the statement reads.
fn child_statement(builder: &mut CircuitBuilder, public_table: &[Slot]) -> StatementSlots {
    let zero = builder.zero();
    let values = public_table
        .chunks(EXT_DEGREE)
        .map(|coefficients| {
            for &c in &coefficients[1..] {
                builder.assert_eq(c, zero);
            }
            coefficients[0]
        })
        .collect();
    StatementSlots(values)
}

impl InternalCircuit {
    /// The internal circuit for children of these shapes (each with its circuit's key), in
    /// execution order.
    ///
    /// # Panics
    /// If `shapes` is empty or a shape is not that of a node proof (no public table of
    /// [`layout::NODE_PUBLICS`] inputs).
    pub fn new(shapes: Vec<StarkShape>) -> Self {
        let mut builder = CircuitBuilder::new(layout::NODE_PUBLICS as u32);
        let mut public_slots = Vec::with_capacity(shapes.len());
        let mut proof_slots = Vec::with_capacity(shapes.len());
        let mut statements = Vec::with_capacity(shapes.len());
        for shape in &shapes {
            assert_eq!(shape.tables[PUBLIC_TABLE].public_values, EXT_DEGREE * layout::NODE_PUBLICS);
            let publics: Vec<Vec<Slot>> =
                shape.tables.iter().map(|t| (0..t.public_values).map(|_| builder.hint()).collect()).collect();
            let proof = StarkProofSlots::allocate(&mut builder, shape);
            // V2: the child is a valid proof of its circuit (whose key is constants here).
            verify_stark(&mut builder, shape, &publics, &proof);
            statements.push(child_statement(&mut builder, &publics[PUBLIC_TABLE]));
            public_slots.push(publics);
            proof_slots.push(proof);
        }
        // C1-C3: the children chain; P1: the public inputs are their joined statement.
        let joined = StatementSlots::join(&mut builder, &statements);
        joined.expose(&mut builder);
        InternalCircuit { circuit: builder.build(), shapes, public_slots, proof_slots }
    }
}

/// The shape of a node proof (its circuit's tables, key and heights).
pub fn node_shape(node: &NodeProof, parameters: &ProofParameters) -> Result<StarkShape, NodeError> {
    let airs = RecursionAir::tables(&node.circuit);
    let common = circuit_common_data(&node.circuit, parameters)?;
    StarkShape::new(&airs, &common, &node.proof.degree_bits, *parameters)
        .map_err(|e| NodeError::Backend(e.to_string()))
}

/// The internal circuit for `children` (node proofs made with `parameters`) with its hints.
/// Checks that each child verifies, not that they chain ([`prove_internal`] does; tests use
/// this to force a prover past that check).
pub fn internal_witness(
    children: &[NodeProof],
    parameters: &ProofParameters,
) -> Result<(InternalCircuit, HintValues), NodeError> {
    if children.is_empty() {
        return Err(NodeError::Statement(super::StatementError::Empty));
    }
    let shapes = children
        .iter()
        .enumerate()
        .map(|(index, child)| {
            node_shape(child, parameters).map_err(|e| NodeError::Child { index, reason: e.to_string() })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let node = InternalCircuit::new(shapes);
    let mut hints = HintValues::new();
    for (index, child) in children.iter().enumerate() {
        let airs = RecursionAir::tables(&child.circuit);
        let common = circuit_common_data(&child.circuit, parameters)?;
        let publics = child.statement.to_publics();
        let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(&publics)).collect();
        for (slots, values) in node.public_slots[index].iter().zip(&public_values) {
            hints.set_all_base(slots, values);
        }
        stark_hints(
            &node.shapes[index],
            &airs,
            &common,
            &child.proof,
            &public_values,
            &node.proof_slots[index],
            &mut hints,
        )
        .map_err(|e| NodeError::Child { index, reason: e.to_string() })?;
    }
    Ok((node, hints))
}

/// Proves an internal node over consecutive `children` (node proofs made with `parameters`,
/// which the node's own proof uses too). Refuses children that do not verify or do not chain.
pub fn prove_internal(children: &[NodeProof], parameters: &ProofParameters) -> Result<NodeProof, NodeError> {
    let statements: Vec<NodeStatement> = children.iter().map(|c| c.statement.clone()).collect();
    let statement = NodeStatement::join(&statements)?;
    let (node, hints) = internal_witness(children, parameters)?;
    let ordered = hints.ordered(&node.circuit)?;
    let proof = prove_circuit(&node.circuit, &statement.to_publics(), &ordered, parameters)?;
    Ok(NodeProof { circuit: std::sync::Arc::new(node.circuit), proof, statement })
}

/// Proves the final node: the internal circuit over the single `root` (a node proof made with
/// `node_parameters`), proven with `final_parameters` (chosen for a small proof). Its
/// statement is the root's.
pub fn prove_final(
    root: &NodeProof,
    node_parameters: &ProofParameters,
    final_parameters: &ProofParameters,
) -> Result<NodeProof, NodeError> {
    let (node, hints) = internal_witness(std::slice::from_ref(root), node_parameters)?;
    let ordered = hints.ordered(&node.circuit)?;
    let proof = prove_circuit(&node.circuit, &root.statement.to_publics(), &ordered, final_parameters)?;
    Ok(NodeProof { circuit: std::sync::Arc::new(node.circuit), proof, statement: root.statement.clone() })
}
