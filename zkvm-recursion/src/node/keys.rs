//! The node circuits of one configuration and segment shape, and the list of their verifying
//! keys: what makes the final circuit, and so the final verifier's work, the same for every
//! number of segments.
//!
//! Every leaf (1 to `arity` segment proofs) and internal (2 to `arity` node proofs) circuit is
//! padded to one set of table heights, so every node proof has one shape, the *child shape*.
//! A parent verifies each child under a key it takes from the *key list* (the verifying keys of
//! those `2 arity - 1` circuits, leaves first) by a one-hot selector, and checks that the list
//! hashes to the node-key digest of its statement; the final verifier compares that digest
//! with the one it computes. No circuit holds another's key as constants, so one internal
//! circuit per child count verifies any subtree, and a single-child remainder of a layer is
//! passed up unchanged instead of being wrapped.

use std::sync::Arc;

use p3_batch_stark::CommonData;
use p3_symmetric::CryptographicHasher;
use zkvm_core::prover::{Config, LeafHash, ProofParameters};
use zkvm_memory::merkle::Digest;

use super::{InternalCircuit, LeafCircuit, NodeError};
use crate::circuit::{Circuit, CircuitBuilder};
use crate::gadgets::merkle::{DigestSlots, hash_leaf};
use crate::prove::circuit_common_data;
use crate::stark::StarkShape;
use crate::tables::{
    FINAL_MAX_TABLE_LOG_HEIGHT, GROWING_TABLES, RecursionAir, TableLayout, growing_table_heights,
};

/// The most rounds of padding the node heights may take to settle: an internal circuit grows
/// only logarithmically with its children's heights, so a few rounds settle any real shape.
const MAX_PADDING_ROUNDS: usize = 8;

/// The node circuits for segment proofs of one shape at one arity, padded to one shape, with
/// their verifying keys under the node parameters.
pub struct NodeCircuits {
    /// The segment proofs' shape (their key is taken from a leaf's public inputs, not from it).
    pub segment_shape: StarkShape,
    /// Children per node.
    pub arity: usize,
    /// The leaf circuits over 1 ..= `arity` segments (index: children - 1), padded.
    pub leaves: Vec<LeafCircuit>,
    /// The internal circuits over 2 ..= `arity` node proofs (index: children - 2), padded.
    pub internal: Vec<InternalCircuit>,
    /// The shape of every node proof (the padded tables; a parent takes the key from the list).
    pub child_shape: StarkShape,
    /// The verifying key of each circuit, leaves then internal circuits: the key list.
    pub keys: Vec<Digest>,
    /// The digest of the key list ([`key_list_digest`]): every node statement carries it.
    pub digest: Digest,
    /// The node parameters every leaf and internal proof is made with.
    pub parameters: ProofParameters,
    commons: Vec<CommonData<Config>>,
}

/// The digest of a key list: the Poseidon2 sponge the Merkle trees hash their leaves with,
/// over the keys' elements in order (the list's length is fixed by the arity).
pub fn key_list_digest(keys: &[Digest]) -> Digest {
    let hasher = LeafHash::new(p3_baby_bear::default_babybear_poseidon2_16());
    hasher.hash_iter(keys.iter().flatten().copied())
}

/// [`key_list_digest`] as relations over slots.
pub fn key_list_digest_slots(builder: &mut CircuitBuilder, keys: &[DigestSlots]) -> DigestSlots {
    let elements: Vec<_> = keys.iter().flatten().copied().collect();
    hash_leaf(builder, &elements)
}

/// The shape of a proof of `circuit` under `parameters`, with the circuit's key.
pub fn circuit_shape(
    circuit: &Circuit,
    parameters: &ProofParameters,
) -> Result<(StarkShape, CommonData<Config>), NodeError> {
    let common = circuit_common_data(circuit, parameters)?;
    let heights = RecursionAir::log_heights(circuit);
    let shape = StarkShape::new(&RecursionAir::tables(circuit), &common, &heights, *parameters)
        .map_err(|e| NodeError::Backend(e.to_string()))?;
    Ok((shape, common))
}

fn tallest(a: [usize; 3], b: [usize; 3]) -> [usize; 3] {
    std::array::from_fn(|k| a[k].max(b[k]))
}

impl NodeCircuits {
    /// Builds the node circuits for segment proofs of `segment_shape` at `arity` (2 ..= 16)
    /// and computes their keys under `parameters`.
    ///
    /// The padding is a fixed point: the leaves' heights first, then the internal circuits'
    /// for children of those heights, until the internal circuits fit.
    pub fn new(
        segment_shape: &StarkShape,
        arity: usize,
        parameters: &ProofParameters,
    ) -> Result<Self, NodeError> {
        let list_len = 2 * arity - 1;
        let mut leaves: Vec<LeafCircuit> =
            (1..=arity).map(|children| LeafCircuit::new(vec![segment_shape.clone(); children])).collect();
        let mut rows = leaves.iter().map(|l| growing_table_heights(&l.circuit)).fold([0; 3], tallest);
        let mut rounds = 0;
        // The probe is the first leaf padded to the current heights: its proofs have the shape
        // every node proof will have once the heights settle.
        let (probe, mut internal, child_shape, probe_common) = loop {
            let mut probe = (*leaves[0].circuit).clone();
            probe.pad_to(rows);
            let (child_shape, probe_common) = circuit_shape(&probe, parameters)?;
            let internal: Vec<InternalCircuit> =
                (2..=arity).map(|children| InternalCircuit::new(&child_shape, children, list_len)).collect();
            let needed = internal.iter().map(|c| growing_table_heights(&c.circuit)).fold(rows, tallest);
            if needed == rows {
                break (probe, internal, child_shape, probe_common);
            }
            rounds += 1;
            if rounds > MAX_PADDING_ROUNDS {
                return Err(NodeError::Backend("the node circuits' heights do not settle".into()));
            }
            rows = needed;
        };
        // The settled probe is the first leaf padded, so its key is the first leaf's.
        leaves[0].circuit = Arc::new(probe);
        let mut commons = Vec::with_capacity(list_len);
        commons.push(probe_common);
        for leaf in &mut leaves[1..] {
            Arc::make_mut(&mut leaf.circuit).pad_to(rows);
            commons.push(circuit_common_data(&leaf.circuit, parameters)?);
        }
        for node in &mut internal {
            Arc::make_mut(&mut node.circuit).pad_to(rows);
            commons.push(circuit_common_data(&node.circuit, parameters)?);
        }
        let keys: Vec<Digest> = commons
            .iter()
            .map(|c| c.preprocessed.as_ref().map(|g| g.commitment.roots()[0]))
            .collect::<Option<_>>()
            .ok_or_else(|| NodeError::Backend("a node circuit has no verifying key".into()))?;
        let digest = key_list_digest(&keys);
        Ok(NodeCircuits {
            segment_shape: segment_shape.clone(),
            arity,
            leaves,
            internal,
            child_shape,
            keys,
            digest,
            parameters: *parameters,
            commons,
        })
    }

    /// The key-list position of the leaf over `children` segments.
    pub fn leaf_index(&self, children: usize) -> usize {
        children - 1
    }

    /// The key-list position of the internal circuit over `children` node proofs.
    pub fn internal_index(&self, children: usize) -> usize {
        self.arity + children - 2
    }

    /// The verifying data of the circuit at key-list position `index`.
    pub fn common(&self, index: usize) -> &CommonData<Config> {
        &self.commons[index]
    }

    /// The key-list position of `key`, if it is a node circuit's.
    pub fn index_of(&self, key: &Digest) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// The final circuit: the internal construction over one child (the root), proven with
    /// the final parameters. When its witness and arith tables are one power of two apart, the
    /// shorter is padded to the taller: FRI never folds past a height where a shorter codeword
    /// joins, so codewords one height apart cost a one-bit folding round, with a Merkle
    /// opening per query, instead of a share of a full-arity round (over 128-bit children, the
    /// arith table padded from 2^18 to the witness table's 2^19 rows takes the final proof from
    /// 848 KiB to 803 KiB). The poseidon2 table, the widest, keeps its height, and takes the
    /// layout [`Poseidon2Layout::for_final`](crate::tables::poseidon2::Poseidon2Layout::for_final) picks for the final parameters `parameters`, and the lanes
    /// [`Lanes::for_final`](crate::tables::Lanes::for_final) picks.
    ///
    /// A final circuit with a table taller than [`FINAL_MAX_TABLE_LOG_HEIGHT`] is refused
    /// ([`FinalTooTall`]): the final circuit's soundness computation assumes that bound.
    pub fn final_circuit(&self, parameters: &ProofParameters) -> Result<InternalCircuit, FinalTooTall> {
        let mut node = InternalCircuit::new(&self.child_shape, 1, self.keys.len());
        // Its tables merged into one of the tallest's height (`Circuit::use_final_layout`).
        Arc::make_mut(&mut node.circuit).use_final_layout(parameters);
        check_final_heights(&node.circuit)?;
        Ok(node)
    }
}

/// The final circuit has a table taller than [`FINAL_MAX_TABLE_LOG_HEIGHT`]: the node proof it
/// verifies is larger than the final circuit's soundness computation allows for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the final circuit's {table} table has 2^{log_height} rows, more than the 2^{FINAL_MAX_TABLE_LOG_HEIGHT} \
     its soundness computation assumes (fewer queries or a lower rate in [recursion.aggregation] make the \
     node proofs it verifies smaller)"
)]
pub struct FinalTooTall {
    /// The table.
    pub table: &'static str,
    /// log2 of its height.
    pub log_height: usize,
}

/// Refuses a final circuit with a table taller than [`FINAL_MAX_TABLE_LOG_HEIGHT`].
/// (In the separate layout the public table has its fixed 2^11 rows; the others grow with the
/// circuit. The final circuit's tables are one, `merged`.)
pub fn check_final_heights(circuit: &Circuit) -> Result<(), FinalTooTall> {
    let heights = growing_table_heights(circuit).map(|rows| rows.trailing_zeros() as usize);
    let too_tall =
        GROWING_TABLES.into_iter().zip(heights).find(|&(_, bits)| bits > FINAL_MAX_TABLE_LOG_HEIGHT);
    match too_tall {
        // Merged, the three parts are one table of one height: named as the table is.
        Some((_, log_height)) if circuit.table_layout == TableLayout::Merged => {
            Err(FinalTooTall { table: "merged", log_height })
        }
        Some((table, log_height)) => Err(FinalTooTall { table, log_height }),
        None => Ok(()),
    }
}
