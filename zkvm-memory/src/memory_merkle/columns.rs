//! Columns of the memory Merkle chip.

use zkvm_bus::columns::Columns;

use crate::merkle::poseidon2::{PermutationColumns, SBOX_REGISTERS, column_names};

/// One row per node of the touched part of the memory tree (the root first), then padding rows
/// (`is_real = 0`, whose permutations hash zeros).
#[repr(C)]
pub struct MemoryMerkleColumns<T> {
    /// 1 on node rows, 0 on padding rows at the end.
    pub is_real: T,
    /// 1 on the root's row (the first row), else 0.
    pub is_root: T,
    /// 1 on a leaf's row, else 0.
    pub is_leaf: T,
    /// Height of the node above the leaves.
    pub level: T,
    /// Position of the node within its level.
    pub index: T,
    /// On an inner node: 1 if the left child is a row of its own (touched), 0 if its digest is a
    /// witness that stays the same (untouched).
    pub left_is_node: T,
    /// The same for the right child.
    pub right_is_node: T,
    /// The node's compression at the segment's start: input (leaf half-words, or the children's
    /// digests left then right) and permutation; the digest is the first 8 output elements.
    pub before: PermutationColumns<T>,
    /// The node's compression at the segment's end.
    pub after: PermutationColumns<T>,
}

// SAFETY: repr(C), fields of type T and Plonky3's repr(C) permutation columns (arrays of T).
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for MemoryMerkleColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> =
            ["is_real", "is_root", "is_leaf", "level", "index", "left_is_node", "right_is_node"]
                .map(String::from)
                .to_vec();
        names.extend(column_names::<SBOX_REGISTERS>("before"));
        names.extend(column_names::<SBOX_REGISTERS>("after"));
        names
    }
}

/// Number of columns before the two permutations.
pub(crate) const FLAG_COLUMNS: usize = 7;
