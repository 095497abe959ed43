//! Columns of the Poseidon2 table.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_core::prover::ProofParameters;
use zkvm_memory::merkle::poseidon2::{PermutationColumns, SBOX_REGISTERS, column_names};

use crate::circuit::POSEIDON2_WIDTH;

pub use crate::circuit::HALF_WIDTH;

/// Main columns: one permutation (input, `REGISTERS` S-box registers per S-box, state after
/// each round), the bit that exchanges the halves of the slots' values before the
/// permutation, and the values of the first eight input slots.
#[repr(C)]
pub struct Poseidon2Columns<T, const REGISTERS: usize = SBOX_REGISTERS> {
    /// The permutation.
    pub permutation: PermutationColumns<T, REGISTERS>,
    /// 1 when the permutation's input is the slots' values with halves exchanged, else 0.
    pub swap: T,
    /// The values the first eight input slots hold: `input[k]`, or `input[k + 8]` when swapped
    /// (those of the last eight follow linearly: `input[k] + input[k + 8] - first_half[k]`).
    pub first_half: [T; HALF_WIDTH],
}

// SAFETY: repr(C), Plonky3's repr(C) permutation columns (arrays of T), then fields of type T.
#[allow(unsafe_code)]
unsafe impl<T, const REGISTERS: usize> Columns<T> for Poseidon2Columns<T, REGISTERS> {
    fn names() -> Vec<String> {
        let mut names = column_names::<REGISTERS>("permutation");
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
    /// First slot of the kept outputs, whose slots are consecutive: output `k < 8` is slot
    /// `first_output + k`, output `k >= 8` slot `first_output + k - 8 + 8 first_half_out`.
    pub first_output: T,
    /// Slot of the bit that orders the input's halves.
    pub swap: T,
    /// 1 on the rows of the circuit's permutations, 0 on padding rows.
    pub is_real: T,
    /// 1 when outputs 0..8 have slots (the permutation's row writes them).
    pub first_half_out: T,
    /// 1 when outputs 8..16 have slots.
    pub second_half_out: T,
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Poseidon2Preprocessed<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = array_names("input_slot", POSEIDON2_WIDTH).collect();
        names.push("first_output_slot".into());
        names.push("swap_slot".into());
        names.push("is_real".into());
        names.push("first_half_out".into());
        names.push("second_half_out".into());
        names
    }
}

/// How the Poseidon2 table lays out a permutation: a circuit's choice, fixed by its verifying
/// key (the widths and constraints differ).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Poseidon2Layout {
    /// Every S-box commits its input's cube (`x^3`): constraints of degree 3, 307 main columns.
    /// The quotient of a degree-3 table takes 2 chunks, which every rate allows.
    #[default]
    Registers,
    /// No S-box register: constraints of degree 7, 166 main columns. The quotient takes 8
    /// chunks, so a proof needs rate 1/8 or lower; LogUp then packs up to 8 fractions per
    /// column instead of 2.
    Compact,
}

impl Poseidon2Layout {
    /// log2 of the smallest blowup a proof of the compact layout needs: its quotient's 8 chunks.
    pub const COMPACT_MIN_LOG_BLOWUP: usize = 3;

    /// The final circuit's layout under `parameters`: compact where the rate allows its quotient,
    /// else with registers. The final proof is never verified inside a circuit, so only its size
    /// counts: the compact layout commits fewer columns (141 main, and fewer LogUp columns) for
    /// 6 more quotient chunks.
    pub fn for_final(parameters: &ProofParameters) -> Self {
        if parameters.log_blowup >= Self::COMPACT_MIN_LOG_BLOWUP {
            Poseidon2Layout::Compact
        } else {
            Poseidon2Layout::Registers
        }
    }
}
