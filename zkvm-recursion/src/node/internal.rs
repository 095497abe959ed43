//! The internal node: a circuit that verifies consecutive node proofs (leaves or internal
//! nodes) and proves their joined [`NodeStatement`].
//!
//! Every node proof has one shape (the node circuits are padded to one set of heights), so the
//! circuit fixes the children's shape but not their keys: it receives the node circuits' key
//! list as hints, checks that the list hashes to the node-key digest of its statement (K1),
//! and verifies each child under the list entry its one-hot selector picks (K2). No child can
//! bring a circuit of its own choosing: the final verifier compares the digest with the one it
//! computes from the circuits it builds itself.

use std::sync::Arc;

use p3_field::PrimeCharacteristicRing;
use zkvm_core::prover::Val;

use super::keys::key_list_digest_slots;
use super::preprocessed_opening::omit_preprocessed_opening;
use super::statement::{NodeStatement, StatementSlots, layout};
use super::{NodeCircuits, NodeError, NodeProof};
use crate::circuit::{Circuit, CircuitBuilder, EXT_DEGREE, HintValues, Slot};
use crate::gadgets::merkle::DigestSlots;
use crate::prove::{prove_circuit, prove_circuit_with_key};
use crate::stark::{StarkProofSlots, StarkShape, stark_hints, verify_stark_with_key};
use crate::tables::RecursionAir;

/// An internal circuit and where its children's values go.
#[derive(Clone, Debug)]
pub struct InternalCircuit {
    /// The circuit.
    pub circuit: Arc<Circuit>,
    /// The shape of every child's proof (its key is taken from the list).
    pub shape: StarkShape,
    /// The key list's slots.
    pub key_list: Vec<DigestSlots>,
    /// Per child, its selector over the key list (one-hot).
    pub selectors: Vec<Vec<Slot>>,
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

/// The key `selectors` picks from `list`, as relations: each selector is a bit and exactly one
/// is set (K2), and the key is the sum of the entries times their selectors.
fn selected_key(builder: &mut CircuitBuilder, list: &[DigestSlots], selectors: &[Slot]) -> DigestSlots {
    let one = builder.constant_base(1);
    let mut count = builder.zero();
    for &selector in selectors {
        let square = builder.mul(selector, selector);
        builder.assert_eq(square, selector);
        count = builder.add(count, selector);
    }
    builder.assert_eq(count, one);
    std::array::from_fn(|k| {
        let mut key = builder.zero();
        for (entry, &selector) in list.iter().zip(selectors) {
            let term = builder.mul(selector, entry[k]);
            key = builder.add(key, term);
        }
        key
    })
}

impl InternalCircuit {
    /// The internal circuit over `children` node proofs of `shape` (each under a key from a
    /// list of `list_len` keys), in execution order.
    ///
    /// # Panics
    /// If `children` is zero or `shape` is not that of a node proof (no table with the
    /// [`layout::NODE_PUBLICS`] inputs, or no preprocessed commitment).
    pub fn new(shape: &StarkShape, children: usize, list_len: usize) -> Self {
        assert!(children > 0, "a node has children");
        // The table whose public values are the child's statement: the public table of a node
        // proof, the one table of a proof in the final layout (the wrap measurement's child).
        let statement_table = shape
            .tables
            .iter()
            .position(|t| t.public_values > 0)
            .expect("a node proof has a table with public values");
        assert_eq!(shape.tables[statement_table].public_values, EXT_DEGREE * layout::NODE_PUBLICS);
        let mut builder = CircuitBuilder::new(layout::NODE_PUBLICS as u32);
        let key_list: Vec<DigestSlots> =
            (0..list_len).map(|_| std::array::from_fn(|_| builder.hint())).collect();
        // K1: the key list hashes to the node-key digest of the statement.
        let digest = key_list_digest_slots(&mut builder, &key_list);
        for (k, &element) in digest.iter().enumerate() {
            let public = builder.public((layout::NODE_KEYS.start + k) as u32);
            builder.assert_eq(element, public);
        }
        let mut selectors = Vec::with_capacity(children);
        let mut public_slots = Vec::with_capacity(children);
        let mut proof_slots = Vec::with_capacity(children);
        let mut statements = Vec::with_capacity(children);
        for _ in 0..children {
            let selector: Vec<Slot> = (0..list_len).map(|_| builder.hint()).collect();
            // K2: the child's key is the list entry its selector picks.
            let key = selected_key(&mut builder, &key_list, &selector);
            let publics: Vec<Vec<Slot>> =
                shape.tables.iter().map(|t| (0..t.public_values).map(|_| builder.hint()).collect()).collect();
            let proof = StarkProofSlots::allocate(&mut builder, shape);
            // V2: the child is a valid node proof under that key.
            verify_stark_with_key(&mut builder, shape, Some(&key), &publics, &proof);
            statements.push(child_statement(&mut builder, &publics[statement_table]));
            selectors.push(selector);
            public_slots.push(publics);
            proof_slots.push(proof);
        }
        // C1-C4: the children chain (their node-key digest is the statement's, by P1); P1: the
        // public inputs are their joined statement.
        let joined = StatementSlots::join(&mut builder, &statements);
        joined.expose(&mut builder);
        InternalCircuit {
            circuit: Arc::new(builder.build()),
            shape: shape.clone(),
            key_list,
            selectors,
            public_slots,
            proof_slots,
        }
    }
}

/// The hints of `node` (a circuit of `nodes`, or its final circuit) for `children`, each
/// verified under the key list entry `choose` names for it (the child's own key when the
/// prover is honest). Checks that each child verifies, not that they chain.
pub fn internal_hints(
    nodes: &NodeCircuits,
    node: &InternalCircuit,
    children: &[NodeProof],
    choose: impl Fn(usize, &NodeProof) -> Result<usize, NodeError>,
) -> Result<HintValues, NodeError> {
    let mut hints = HintValues::new();
    for (slots, key) in node.key_list.iter().zip(&nodes.keys) {
        hints.set_all_base(slots, key);
    }
    for (index, child) in children.iter().enumerate() {
        let refuse = |reason: String| NodeError::Child { index, reason };
        let chosen = choose(index, child)?;
        let selector: Vec<Val> = (0..nodes.keys.len()).map(|j| Val::from_bool(j == chosen)).collect();
        hints.set_all_base(&node.selectors[index], &selector);
        let airs = RecursionAir::tables(&child.circuit);
        let own = own_key(nodes, index, child)?;
        let publics = child.statement.to_publics();
        let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(&publics)).collect();
        for (slots, values) in node.public_slots[index].iter().zip(&public_values) {
            hints.set_all_base(slots, values);
        }
        stark_hints(
            &node.shape,
            &airs,
            nodes.common(own),
            &child.proof,
            &public_values,
            &node.proof_slots[index],
            &mut hints,
        )
        .map_err(|e| refuse(e.to_string()))?;
    }
    Ok(hints)
}

/// The key-list position of `child`'s own circuit (refused if it has none).
pub fn own_key(nodes: &NodeCircuits, index: usize, child: &NodeProof) -> Result<usize, NodeError> {
    child.key.and_then(|key| nodes.index_of(&key)).ok_or_else(|| NodeError::Child {
        index,
        reason: "its circuit is not one of the node circuits (its key is not in the key list)".into(),
    })
}

/// The internal circuit of `nodes` for `children` (2 ..= arity node proofs of `nodes`) with its
/// hints. Checks that each child verifies, not that they chain ([`prove_internal`] does; tests
/// use this to force a prover past that check).
pub fn internal_witness<'a>(
    nodes: &'a NodeCircuits,
    children: &[NodeProof],
) -> Result<(&'a InternalCircuit, HintValues), NodeError> {
    let node = children.len().checked_sub(2).and_then(|k| nodes.internal.get(k)).ok_or_else(|| {
        NodeError::Child {
            index: children.len(),
            reason: format!("an internal node has 2 to {} children", nodes.arity),
        }
    })?;
    let hints = internal_hints(nodes, node, children, |index, child| own_key(nodes, index, child))?;
    Ok((node, hints))
}

/// Proves an internal node of `nodes` over consecutive `children` (2 ..= arity node proofs of
/// `nodes`), under the node parameters. Refuses children that do not verify or do not chain.
pub fn prove_internal(nodes: &NodeCircuits, children: &[NodeProof]) -> Result<NodeProof, NodeError> {
    let statements: Vec<NodeStatement> = children.iter().map(|c| c.statement.clone()).collect();
    let statement = NodeStatement::join(&statements)?;
    let (node, hints) = internal_witness(nodes, children)?;
    let ordered = hints.ordered(&node.circuit)?;
    let proof = prove_circuit(&node.circuit, &statement.to_publics(), &ordered, &nodes.parameters)?;
    let key = Some(nodes.keys[nodes.internal_index(children.len())]);
    Ok(NodeProof { circuit: node.circuit.clone(), key, proof, statement })
}

/// Proves the final node: `final_circuit` ([`NodeCircuits::final_circuit`]) over the single
/// `root` (a node proof of `nodes`), proven with `final_parameters` (chosen for a small proof).
/// Its statement is the root's. The proof leaves out the opening of its preprocessed
/// commitment, which the verifier re-creates from its own key at the query indices returned
/// beside it ([`super::preprocessed_opening`]). A final circuit taller than its soundness bound
/// is refused ([`super::FinalTooTall`]).
pub fn prove_final(
    nodes: &NodeCircuits,
    final_circuit: &InternalCircuit,
    root: &NodeProof,
    final_parameters: &zkvm_core::prover::ProofParameters,
) -> Result<(NodeProof, Vec<u32>), NodeError> {
    super::check_final_heights(&final_circuit.circuit)?;
    let children = std::slice::from_ref(root);
    let hints = internal_hints(nodes, final_circuit, children, |index, child| own_key(nodes, index, child))?;
    let ordered = hints.ordered(&final_circuit.circuit)?;
    let publics = root.statement.to_publics();
    let circuit = &final_circuit.circuit;
    let (mut proof, key) = prove_circuit_with_key(circuit, &publics, &ordered, final_parameters)?;
    let query_indices =
        omit_preprocessed_opening(circuit, &key.common, &mut proof, &publics, final_parameters)?;
    let node = NodeProof { circuit: circuit.clone(), key: None, proof, statement: root.statement.clone() };
    Ok((node, query_indices))
}
