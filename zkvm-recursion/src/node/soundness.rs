//! The node circuits as the soundness computation sees them: the four recursion tables, each
//! bounded by [`MAX_TABLE_LOG_HEIGHT`] (the final circuit's by [`FINAL_MAX_TABLE_LOG_HEIGHT`]).
//!
//! A node circuit lives in its tables' preprocessed columns (which slots each row reads, the
//! constants), so the constraints, widths, degrees and bus interactions are the same for every
//! node circuit with the same number of public inputs; only the heights differ, and the prover
//! and the verifier refuse a table taller than the cap. Every leaf, internal and final circuit
//! has the [`NodeStatement`](super::NodeStatement)'s public inputs, so one shape read from any
//! circuit with those public inputs and a row of each table is the shape of all of them, for
//! every run.

use p3_air::BaseAir;
use p3_matrix::Matrix;
use zkvm_core::prover::packing::best_layout;
use zkvm_core::prover::{ProofParameters, Val};
use zkvm_core::soundness::{CircuitShape, ShapeError, TableBound, air_set_shape};

use super::statement::layout::NODE_PUBLICS;
use crate::circuit::{Circuit, CircuitBuilder, POSEIDON2_WIDTH};
use crate::tables::{FINAL_MAX_TABLE_LOG_HEIGHT, Lanes, MAX_TABLE_LOG_HEIGHT, RecursionAir};

/// The kinds of node circuit, with their soundcalc names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// Verifies segment proofs (`leaf`).
    Leaf,
    /// Verifies node proofs (`internal`).
    Internal,
    /// Verifies the root node's proof, under the final parameters (`final`).
    Final,
}

impl NodeKind {
    /// Every kind, in tree order.
    pub const ALL: [NodeKind; 3] = [NodeKind::Leaf, NodeKind::Internal, NodeKind::Final];

    /// The circuit's name in soundcalc's input and in the whitepaper.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Leaf => "leaf",
            NodeKind::Internal => "internal",
            NodeKind::Final => "final",
        }
    }

    /// What a proof of this kind attests, in one sentence (the whitepaper's circuit table).
    pub fn proves(self) -> &'static str {
        match self {
            NodeKind::Leaf => {
                "1 to `arity` consecutive segment proofs verify under the segment key (a public input) and their statements chain; its public inputs are the joined statement. Padded to the one shape every node proof has."
            }
            NodeKind::Internal => {
                "2 to `arity` consecutive node proofs verify, each under the entry of the node-key list its one-hot selector picks, the list hashing to the statement's node-key digest, and their statements chain; its public inputs are the joined statement. Padded like the leaves."
            }
            NodeKind::Final => {
                "The root node's proof verifies under an entry of the node-key list (as an internal node over one child); proven with the final parameters, its public inputs are the run's statement."
            }
        }
    }

    /// What the children of a node of this kind are.
    pub fn children(self) -> &'static str {
        match self {
            NodeKind::Leaf => "1 to `arity` segment proofs",
            NodeKind::Internal => "2 to `arity` leaf or internal node proofs",
            NodeKind::Final => "the root node's proof (one child)",
        }
    }

    /// log2 of the tallest table a circuit of this kind may have: the final circuit's cap is
    /// lower ([`FINAL_MAX_TABLE_LOG_HEIGHT`]).
    pub fn max_table_log_height(self) -> usize {
        match self {
            NodeKind::Leaf | NodeKind::Internal => MAX_TABLE_LOG_HEIGHT,
            NodeKind::Final => FINAL_MAX_TABLE_LOG_HEIGHT,
        }
    }

    /// The config section whose FRI parameters prove this kind.
    pub fn parameters_section(self) -> &'static str {
        match self {
            NodeKind::Leaf | NodeKind::Internal => "[recursion.aggregation]",
            NodeKind::Final => "[recursion.final]",
        }
    }
}

/// One table of the node circuits, as the whitepaper's circuit inventory lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NodeTable {
    /// The table's name.
    pub name: &'static str,
    /// Main (witness) columns.
    pub width: usize,
    /// Preprocessed columns (the circuit, fixed by the verifying key).
    pub preprocessed_width: usize,
    /// log2 of the most rows the table may have.
    pub max_log_height: usize,
    /// Whether its constraints read the next row, so that a proof opens its traces at the
    /// next row's point too (else at the out-of-domain point only).
    pub opened_at_next_row: bool,
}

/// The tables every node circuit of `kind` proven under `parameters` has, in proof order (the
/// final circuit's poseidon2 table may take the compact layout).
pub fn node_tables(kind: NodeKind, parameters: &ProofParameters) -> Vec<NodeTable> {
    RecursionAir::tables(&reference_circuit(kind, parameters))
        .iter()
        .map(|air| NodeTable {
            name: air.name(),
            width: BaseAir::<Val>::width(air),
            preprocessed_width: BaseAir::<Val>::preprocessed_width(air),
            max_log_height: max_log_height(kind, air),
            opened_at_next_row: zkvm_bus::row::opens_next_row::<Val, _>(air),
        })
        .collect()
}

/// A circuit with the node statement's public inputs and one row in every table, in the
/// poseidon2 layout of `kind` under `parameters`: its tables have the constraints and
/// interactions of every node circuit's tables of that kind.
fn reference_circuit(kind: NodeKind, parameters: &ProofParameters) -> Circuit {
    let mut builder = CircuitBuilder::new(NODE_PUBLICS as u32);
    let one = builder.constant_base(1);
    let sum = builder.add(one, one);
    builder.mul(sum, one);
    builder.poseidon2([one; POSEIDON2_WIDTH]);
    let mut circuit = builder.build();
    if kind == NodeKind::Final {
        circuit.use_final_layout(parameters);
        // The widest final circuit: its committed columns bound those of every final circuit.
        circuit.lanes = Lanes::FINAL_MAX;
    }
    circuit
}

/// log2 of the most rows `air` may have in a circuit of `kind`: the public table always has
/// its fixed rows ([`PUBLIC_TABLE_HEIGHT`](crate::tables::public::PUBLIC_TABLE_HEIGHT)); the
/// others grow with the circuit, up to the kind's cap.
fn max_log_height(kind: NodeKind, air: &RecursionAir) -> usize {
    match air {
        RecursionAir::Public(_) => fixed_log_height(air),
        _ => kind.max_table_log_height(),
    }
}

/// log2 of the height of `air`'s preprocessed trace (every recursion table has one).
fn fixed_log_height(air: &RecursionAir) -> usize {
    BaseAir::<Val>::preprocessed_trace(air).map_or(0, |t| t.height().trailing_zeros() as usize)
}

/// The shape of every node circuit of `kind` proven under `parameters`.
pub fn node_soundness_shape(
    kind: NodeKind,
    parameters: &ProofParameters,
) -> Result<CircuitShape, ShapeError> {
    circuit_soundness_shape(kind, &reference_circuit(kind, parameters), parameters)
}

/// The shape of `circuit`'s tables, as a circuit of `kind`, with every growing table bounded
/// by the kind's cap (the public table keeps its fixed rows).
pub(crate) fn circuit_soundness_shape(
    kind: NodeKind,
    circuit: &Circuit,
    parameters: &ProofParameters,
) -> Result<CircuitShape, ShapeError> {
    let airs = RecursionAir::tables(circuit);
    let config = parameters.config().map_err(|e| ShapeError::Backend(e.to_string()))?;
    let tables: Vec<TableBound<'_, RecursionAir>> = airs
        .iter()
        .map(|air| TableBound {
            air,
            layout_log_height: fixed_log_height(air),
            max_log_height: max_log_height(kind, air),
            // The packing the prover picks (it does not depend on the height).
            lookup_budget: best_layout(&config, air, fixed_log_height(air), parameters.log_blowup).budget,
        })
        .collect();
    // No verifier check caps the query side: every read has multiplicity one, so each
    // table's height bound counts its reads.
    air_set_shape(kind.name(), &tables, kind.max_table_log_height(), parameters, None)
}
