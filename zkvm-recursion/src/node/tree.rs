//! The aggregation tree: leaves over runs of `arity` consecutive segment proofs, then layers of
//! internal nodes over runs of `arity` consecutive nodes, until one node remains.

use std::time::{Duration, Instant};

use zkvm_core::prover::StatementTables;

use super::{NodeCircuits, NodeError, NodeProof, SegmentChild, prove_internal, prove_leaf};

/// The shape of the aggregation tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Topology {
    /// Children per node (2 ..= 16); the last node of a layer may have fewer.
    pub arity: usize,
}

impl Topology {
    /// The number of nodes in each layer of the tree over `segments` segment proofs (layer 0
    /// the leaves, the last layer the root; the final node, which re-proves the root, is not
    /// a layer). Empty for no segments.
    pub fn layer_sizes(self, segments: usize) -> Vec<usize> {
        let arity = self.arity.max(2);
        let mut sizes = Vec::new();
        let mut nodes = segments;
        while nodes > 0 && (sizes.is_empty() || nodes > 1) {
            nodes = nodes.div_ceil(arity);
            sizes.push(nodes);
        }
        sizes
    }
}

/// Progress of an aggregation, reported as it happens (proving a node at the 128-bit
/// parameters takes tens of seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AggregationEvent {
    /// The node circuits and their verifying keys are built ([`NodeCircuits::new`]).
    CircuitsBuilt {
        /// Time spent building them.
        elapsed: Duration,
    },
    /// One node of a layer is proven.
    NodeProven {
        /// Layer number: 0 for the leaves.
        layer: usize,
        /// The node's position in its layer, from 0.
        index: usize,
        /// Nodes the layer proves (a lone last child passed up unchanged is not one).
        proven: usize,
        /// Time spent proving the node.
        elapsed: Duration,
    },
    /// A layer is complete.
    LayerProven(AggregationReport),
    /// The final node is proven.
    FinalProven {
        /// Time spent proving it.
        elapsed: Duration,
    },
}

/// What one layer of the tree cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregationReport {
    /// Layer number: 0 for the leaves.
    pub layer: usize,
    /// Nodes in the layer.
    pub nodes: usize,
    /// Time spent proving the layer.
    pub elapsed: Duration,
}

/// Aggregates `segments` (consecutive segment proofs of the statement whose tables are
/// `tables`, of the shape and parameters `nodes` was built for) into one node
/// proof of `nodes`; `progress` hears of every proven node and finished layer. A single segment
/// still gets a leaf (the root is always a node proof); a layer's last node, when it is alone
/// in its group, is passed to the next layer as it is (every internal circuit has at least two
/// children).
pub fn aggregate(
    nodes: &NodeCircuits,
    tables: &StatementTables,
    segments: &[SegmentChild],
    mut progress: impl FnMut(&AggregationEvent),
) -> Result<NodeProof, NodeError> {
    let arity = nodes.arity;
    let start = Instant::now();
    let runs: Vec<&[SegmentChild]> = segments.chunks(arity).collect();
    let mut layer = Vec::with_capacity(runs.len());
    for (index, run) in runs.iter().enumerate() {
        let proving = Instant::now();
        layer.push(prove_leaf(nodes, tables, run)?);
        let elapsed = proving.elapsed();
        progress(&AggregationEvent::NodeProven { layer: 0, index, proven: runs.len(), elapsed });
    }
    let report = AggregationReport { layer: 0, nodes: layer.len(), elapsed: start.elapsed() };
    progress(&AggregationEvent::LayerProven(report));
    let mut depth = 0;
    while layer.len() > 1 {
        depth += 1;
        let start = Instant::now();
        // Groups of `arity`; a last group of one is passed up, not proven.
        let proven = layer.chunks(arity).filter(|group| group.len() > 1).count();
        let mut next = Vec::with_capacity(layer.len().div_ceil(arity));
        let mut children = layer.into_iter().peekable();
        while children.peek().is_some() {
            let mut group: Vec<NodeProof> = children.by_ref().take(arity).collect();
            if group.len() == 1 {
                next.extend(group.pop());
            } else {
                let proving = Instant::now();
                next.push(prove_internal(nodes, &group)?);
                let (index, elapsed) = (next.len() - 1, proving.elapsed());
                progress(&AggregationEvent::NodeProven { layer: depth, index, proven, elapsed });
            }
        }
        layer = next;
        let report = AggregationReport { layer: depth, nodes: layer.len(), elapsed: start.elapsed() };
        progress(&AggregationEvent::LayerProven(report));
    }
    layer.pop().ok_or(NodeError::Statement(super::StatementError::Empty))
}
