//! Aggregation nodes: circuits whose constraints hold exactly when their children's proofs
//! verify and the children's statements chain, and the tree that aggregates a run's segment
//! proofs into one proof.
//!
//! Every node proves a [`NodeStatement`] (its public inputs, [`statement::layout`]): the
//! segments' verifying key, the machine state before its first segment and after its last,
//! the input length, whether the last segment halts and the exit code.
//!
//! | node | children | checks |
//! |---|---|---|
//! | leaf ([`leaf`]) | 1 ..= arity segment proofs | V1 each child verifies under the segment key (a public input); C1–C4 the children chain; P1 the public inputs are the joined statement |
//! | internal ([`internal`]) | 2 ..= arity node proofs | K1 the key list hashes to the statement's node-key digest; K2 each child's key is the list entry its one-hot selector picks; V2 each child verifies under that key; C1–C4, P1 as the leaf |
//! | final ([`prove_final`]) | the root node | the internal construction over one child, proven with the final parameters (a small proof) |
//!
//! Chain rule (C1–C4, [`statement::StatementSlots::join`]): consecutive children share the
//! segment key, the node-key digest and the input length, each starts where the previous ends
//! (pc, registers, stream positions, memory root), only the last may halt, and the node covers
//! the sum of their segments.
//!
//! Every leaf and internal circuit is padded to one shape ([`NodeCircuits`]), so the final
//! circuit depends only on the segment shape, the arity and the parameters: the verifier's work
//! does not grow with the number of segments.

pub mod file;
pub mod final_proof;
pub mod internal;
pub mod keys;
pub mod leaf;
pub mod preprocessed_opening;
pub mod soundness;
pub mod statement;
#[cfg(test)]
mod tests;
mod tree;

use std::sync::Arc;

use thiserror::Error;
use zkvm_core::prover::{ParameterError, ProofParameters};
use zkvm_memory::merkle::Digest;

pub use file::{
    FINAL_FORMAT_VERSION, FINAL_MAGIC, FinalFileError, FinalProofFile, aggregation_digest,
    decode_final_proof, encode_final_proof,
};
pub use final_proof::{
    AggregationParameters, BoundaryStateRecord, FinalKey, FinalProof, FinalVerifyError, MAX_SEGMENTS,
    VerifiedRun, check_final_claims, prove_run, segment_stark_shape, verify_run, verify_run_with_key,
};
pub use internal::{InternalCircuit, internal_hints, internal_witness, own_key, prove_final, prove_internal};
pub use keys::{FinalTooTall, NodeCircuits, check_final_heights, circuit_shape, key_list_digest};
pub use leaf::{LeafCircuit, SegmentChild, leaf_witness, prove_leaf};
pub use soundness::{NodeKind, NodeTable, node_soundness_shape, node_tables};
pub use statement::{BoundaryState, NodeStatement, StatementError, StatementSlots};
pub use tree::{AggregationEvent, AggregationReport, Topology, aggregate};

use crate::circuit::{Circuit, CircuitError};
use crate::prove::{CircuitProof, RecursionProveError, RecursionVerifyError, verify_circuit};

/// A node's proof, the circuit it proves and the statement it attests.
pub struct NodeProof {
    /// The node's circuit (a parent reads its tables when it replays the proof for hints).
    pub circuit: Arc<Circuit>,
    /// The circuit's verifying key under the node parameters (`None` for the final node, which
    /// no node verifies).
    pub key: Option<Digest>,
    /// The proof.
    pub proof: CircuitProof,
    /// The statement: the circuit's public inputs.
    pub statement: NodeStatement,
}

/// Why a node could not be proven.
#[derive(Debug, Error)]
pub enum NodeError {
    /// The proof parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] ParameterError),
    /// The children's statements do not chain.
    #[error(transparent)]
    Statement(#[from] StatementError),
    /// Child `index` cannot be verified by a node (its shape) or does not verify.
    #[error("child {index}: {reason}")]
    Child {
        /// The child.
        index: usize,
        /// Why.
        reason: String,
    },
    /// The node's circuit could not be filled.
    #[error(transparent)]
    Circuit(#[from] CircuitError),
    /// The node's proof could not be made.
    #[error(transparent)]
    Prove(#[from] RecursionProveError),
    /// The final circuit is taller than its soundness computation allows.
    #[error(transparent)]
    FinalTooTall(#[from] FinalTooTall),
    /// The proof system failed.
    #[error("the proof system failed: {0}")]
    Backend(String),
}

/// Verifies that `proof` proves `circuit` (the node circuit the verifier built itself) with
/// `statement` as its public inputs, under `parameters`.
pub fn verify_node(
    circuit: &Circuit,
    proof: &CircuitProof,
    statement: &NodeStatement,
    parameters: &ProofParameters,
) -> Result<(), RecursionVerifyError> {
    verify_circuit(circuit, proof, &statement.to_publics(), parameters)
}
