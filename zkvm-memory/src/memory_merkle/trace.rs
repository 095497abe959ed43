//! Trace generation for the memory Merkle chip.

use p3_baby_bear::BabyBear;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::Columns;

use super::MemoryMerkleColumns;
use super::columns::FLAG_COLUMNS;
use crate::merkle::poseidon2::{PERMUTATION_WIDTH, SBOX_REGISTERS, permutation_rows};
use crate::merkle::{NodeRow, TreeUpdate, leaf_input, node_input};

/// The chip's public values for `update`: the root before, then the root after.
pub fn public_values(update: &TreeUpdate) -> Vec<BabyBear> {
    update.before_root.iter().chain(&update.after_root).copied().collect()
}

/// The chip's trace for `update` (rows root first, as [`MemoryTree::update`] returns them),
/// padded with rows that hash zeros to a power of two (at least 4 and at least `min_height`).
///
/// [`MemoryTree::update`]: crate::merkle::MemoryTree::update
pub fn memory_merkle_trace(update: &TreeUpdate, min_height: usize) -> RowMajorMatrix<BabyBear> {
    let height = update.rows.len().next_power_of_two().max(4).max(min_height.next_power_of_two());
    let zero = [BabyBear::ZERO; 16];
    let mut inputs = vec![zero; 2 * height];
    for (i, row) in update.rows.iter().enumerate() {
        let (before, after) = match row {
            NodeRow::Leaf(leaf) => (leaf_input(&leaf.before), leaf_input(&leaf.after)),
            NodeRow::Inner { left, right, .. } => {
                (node_input(&left.0, &right.0), node_input(&left.1, &right.1))
            }
        };
        inputs[2 * i] = before;
        inputs[2 * i + 1] = after;
    }
    let permutations = permutation_rows::<SBOX_REGISTERS>(inputs);

    let width = MemoryMerkleColumns::<BabyBear>::WIDTH;
    let mut trace = RowMajorMatrix::new(vec![BabyBear::ZERO; height * width], width);
    for (i, cells) in trace.values.chunks_exact_mut(width).enumerate() {
        let (flags, compressions) = cells.split_at_mut(FLAG_COLUMNS);
        let source = &permutations.values[2 * i * PERMUTATION_WIDTH..(2 * i + 2) * PERMUTATION_WIDTH];
        compressions.copy_from_slice(source);
        let Some(row) = update.rows.get(i) else { continue };
        let (level, index, left_is_node, right_is_node, is_leaf) = match row {
            NodeRow::Leaf(leaf) => (0, leaf.index, false, false, true),
            NodeRow::Inner { level, index, left_is_node, right_is_node, .. } => {
                (*level, *index, *left_is_node, *right_is_node, false)
            }
        };
        flags.copy_from_slice(&[
            BabyBear::ONE,
            BabyBear::from_bool(i == 0),
            BabyBear::from_bool(is_leaf),
            BabyBear::from_u32(level),
            BabyBear::from_u32(index),
            BabyBear::from_bool(left_is_node),
            BabyBear::from_bool(right_is_node),
        ]);
    }
    trace
}
