//! Columns of the Poseidon2 table.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_memory::merkle::poseidon2::{PermutationColumns, column_names};

use crate::circuit::POSEIDON2_WIDTH;

/// Main columns: one permutation (input, S-box registers, state after each round).
#[repr(C)]
pub struct Poseidon2Columns<T> {
    /// The permutation.
    pub permutation: PermutationColumns<T>,
}

// SAFETY: repr(C), Plonky3's repr(C) permutation columns (arrays of T).
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Poseidon2Columns<T> {
    fn names() -> Vec<String> {
        column_names("permutation")
    }
}

/// Preprocessed columns: the slots, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Poseidon2Preprocessed<T> {
    /// Slots of the input state.
    pub input: [T; POSEIDON2_WIDTH],
    /// Slots of the output state.
    pub output: [T; POSEIDON2_WIDTH],
    /// 1 on the rows of the circuit's permutations, 0 on padding rows.
    pub is_real: T,
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Poseidon2Preprocessed<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = array_names("input_slot", POSEIDON2_WIDTH)
            .chain(array_names("output_slot", POSEIDON2_WIDTH))
            .collect();
        names.push("is_real".into());
        names
    }
}
