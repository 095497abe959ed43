//! Merkle openings inside a circuit: Plonky3's `MerkleTreeMmcs` as zkvm configures it (binary
//! tree, no cap, leaves hashed with the Poseidon2 padding-free sponge of rate 8, nodes
//! compressed by Poseidon2 truncated to 8 elements), including rows of shorter matrices
//! injected at the level of their height.

use crate::circuit::{CircuitBuilder, POSEIDON2_WIDTH, Slot};

/// Elements of a digest.
pub const DIGEST: usize = 8;
/// Elements absorbed per permutation by the leaf hash.
const HASH_RATE: usize = 8;

/// A digest in slots.
pub type DigestSlots = [Slot; DIGEST];

/// The padding-free sponge hash of `values` (`PaddingFreeSponge<Poseidon2, 16, 8, 8>`): blocks
/// of 8 overwrite the rate, a permutation follows every block, a short last block included.
/// A permutation followed by a full block keeps only its last eight outputs (the block
/// overwrites the others), the last permutation only its first eight (the digest).
pub fn hash_leaf(builder: &mut CircuitBuilder, values: &[Slot]) -> DigestSlots {
    let zero = builder.zero();
    let mut state = [zero; POSEIDON2_WIDTH];
    let mut blocks = values.chunks(HASH_RATE).peekable();
    while let Some(block) = blocks.next() {
        state[..block.len()].copy_from_slice(block);
        match blocks.peek() {
            None => return builder.poseidon2_first_half(zero, state),
            Some(next) if next.len() == HASH_RATE => {
                let capacity = builder.poseidon2_second_half(zero, state);
                state[HASH_RATE..].copy_from_slice(&capacity);
            }
            Some(_) => state = builder.poseidon2(state),
        }
    }
    std::array::from_fn(|k| state[k])
}

/// The node compression (`TruncatedPermutation<Poseidon2, 2, 8, 16>`): the first 8 elements of
/// the permutation of `left || right`.
pub fn compress(builder: &mut CircuitBuilder, left: DigestSlots, right: DigestSlots) -> DigestSlots {
    let unswapped = builder.zero();
    compress_ordered(builder, unswapped, left, right)
}

/// The compression of `digest` and `sibling` in the order `bit` gives: `digest || sibling` if it
/// is 0 (the node is a left child), `sibling || digest` if it is 1; one Poseidon2 row, which
/// orders the halves itself and forces `bit` to be 0 or 1.
fn compress_ordered(
    builder: &mut CircuitBuilder,
    bit: Slot,
    digest: DigestSlots,
    sibling: DigestSlots,
) -> DigestSlots {
    let input: [Slot; POSEIDON2_WIDTH] =
        std::array::from_fn(|k| if k < DIGEST { digest[k] } else { sibling[k - DIGEST] });
    builder.poseidon2_first_half(bit, input)
}

/// One opened row of one committed matrix of the batch.
#[derive(Clone, Debug)]
pub struct OpenedRow {
    /// The matrix's height (a power of two).
    pub height: usize,
    /// The row's values.
    pub values: Vec<Slot>,
}

/// Requires that `rows` (one per matrix, in commitment order) are the rows at `index` (its
/// bits, least significant first, one per tree level; a shorter matrix is opened at the
/// index shifted by the levels it lacks) of the batch committed to by `root`, with `siblings`
/// the opening proof (one digest per level, leaf level first).
pub fn verify_batch_opening(
    builder: &mut CircuitBuilder,
    root: DigestSlots,
    rows: &[OpenedRow],
    index_bits: &[Slot],
    siblings: &[DigestSlots],
) {
    let max_height = rows.iter().map(|r| r.height).max().expect("a batch opens at least one matrix");
    let levels = max_height.trailing_zeros() as usize;
    assert!(max_height.is_power_of_two() && index_bits.len() == levels && siblings.len() == levels);
    // Tallest first; equal heights keep their commitment order (a stable sort, as Plonky3's).
    let mut order: Vec<&OpenedRow> = rows.iter().collect();
    order.sort_by_key(|row| std::cmp::Reverse(row.height));
    let values_at = |height: usize| -> Vec<Slot> {
        order.iter().filter(|row| row.height == height).flat_map(|row| row.values.iter().copied()).collect()
    };
    let mut digest = hash_leaf(builder, &values_at(max_height));
    for level in 0..levels {
        let height = max_height >> (level + 1);
        let injected = values_at(height);
        let last = level + 1 == levels;
        if last && injected.is_empty() {
            return compress_to_root(builder, index_bits[level], digest, siblings[level], root);
        }
        digest = compress_ordered(builder, index_bits[level], digest, siblings[level]);
        if !injected.is_empty() {
            let rows_digest = hash_leaf(builder, &injected);
            if last {
                let unswapped = builder.zero();
                return compress_to_root(builder, unswapped, digest, rows_digest, root);
            }
            digest = compress(builder, digest, rows_digest);
        }
    }
    // A single-leaf tree: the leaf hash is the root.
    assert_digests_equal(builder, digest, root);
}

/// The last compression of a path, which must give `root`: written into `root`'s slots when
/// they are consecutive (one permutation row, no relation: the witness bus equates them), else
/// compared element by element (eight relations).
fn compress_to_root(
    builder: &mut CircuitBuilder,
    bit: Slot,
    digest: DigestSlots,
    sibling: DigestSlots,
    root: DigestSlots,
) {
    if root.iter().enumerate().all(|(k, slot)| slot.0 == root[0].0 + k as u32) {
        let input: [Slot; POSEIDON2_WIDTH] =
            std::array::from_fn(|k| if k < DIGEST { digest[k] } else { sibling[k - DIGEST] });
        builder.poseidon2_first_half_into(bit, input, root);
    } else {
        let computed = compress_ordered(builder, bit, digest, sibling);
        assert_digests_equal(builder, computed, root);
    }
}

/// Requires `computed = expected`, element by element.
fn assert_digests_equal(builder: &mut CircuitBuilder, computed: DigestSlots, expected: DigestSlots) {
    for (computed, expected) in computed.into_iter().zip(expected) {
        builder.assert_eq(computed, expected);
    }
}

/// [`verify_batch_opening`] for a commitment to extension-field matrices (`ExtensionMmcs`): each
/// opened value is hashed as its five base-field coefficients, which the leaf hash's Poseidon2
/// inputs force to be base-field elements.
pub fn verify_ext_batch_opening(
    builder: &mut CircuitBuilder,
    root: DigestSlots,
    rows: &[OpenedRow],
    index_bits: &[Slot],
    siblings: &[DigestSlots],
) {
    let flattened: Vec<OpenedRow> = rows
        .iter()
        .map(|row| OpenedRow {
            height: row.height,
            values: row.values.iter().flat_map(|&value| builder.coefficients(value)).collect(),
        })
        .collect();
    verify_batch_opening(builder, root, &flattened, index_bits, siblings);
}
