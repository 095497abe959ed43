//! Columns of the Poseidon2 table.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_memory::merkle::poseidon2::{PermutationColumns, column_names};

use crate::circuit::POSEIDON2_WIDTH;

/// Half the permutation's width: the length of a digest, and of each half the swap exchanges.
pub const HALF_WIDTH: usize = POSEIDON2_WIDTH / 2;

/// Main columns: one permutation (input, S-box registers, state after each round), the bit
/// that exchanges the halves of the slots' values before the permutation, and the values of
/// the first eight input slots.
#[repr(C)]
pub struct Poseidon2Columns<T> {
    /// The permutation.
    pub permutation: PermutationColumns<T>,
    /// 1 when the permutation's input is the slots' values with halves exchanged, else 0.
    pub swap: T,
    /// The values the first eight input slots hold: `input[k]`, or `input[k + 8]` when swapped
    /// (those of the last eight follow linearly: `input[k] + input[k + 8] - first_half[k]`).
    pub first_half: [T; HALF_WIDTH],
}

// SAFETY: repr(C), Plonky3's repr(C) permutation columns (arrays of T), then fields of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Poseidon2Columns<T> {
    fn names() -> Vec<String> {
        let mut names = column_names("permutation");
        names.push("swap".into());
        names.extend(array_names("first_half", HALF_WIDTH));
        names
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
    /// Slot of the bit that orders the input's halves.
    pub swap: T,
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
        names.push("swap_slot".into());
        names.push("is_real".into());
        names
    }
}
