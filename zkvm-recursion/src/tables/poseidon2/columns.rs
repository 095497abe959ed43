//! Columns of the Poseidon2 table.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_core::prover::ProofParameters;
use zkvm_memory::merkle::poseidon2::{
    COMPACT_SBOX_REGISTERS, PermutationColumns, SBOX_REGISTERS, column_names, permutation_width,
};

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
    /// 1 on the rows of the circuit's permutations, 0 on padding rows (a bit, P7).
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
    /// The compact permutation over two consecutive rows of 87 main columns
    /// ([`PairFirstRow`], [`PairSecondRow`]): constraints of degree 8 (the compact ones, on
    /// the first row of each pair, read both rows), and 17 bus messages per row instead of
    /// 33, since the first row's input values and the second row's outputs share the
    /// messages' columns. Twice the rows for about half the columns: the final circuit's
    /// layout, whose proof pays for every column at every query.
    TwoRows,
}

/// Cells of a permutation's compact columns (inputs, round states) the first row of a pair
/// holds: the first 70, in Plonky3's order.
pub const PAIR_HEAD: usize = 70;

/// Cells of a permutation's compact columns the second row of a pair holds besides the output:
/// the 71 after the first row's, up to the last full round's state (the output).
pub const PAIR_TAIL: usize = permutation_width::<COMPACT_SBOX_REGISTERS>() - PAIR_HEAD - POSEIDON2_WIDTH;

/// Main columns of the first row of a pair in the two-row layout.
#[repr(C)]
pub struct PairFirstRow<T> {
    /// The values of the permutation's sixteen input slots, in slot order (before a swap
    /// exchanges the halves): what the row's messages read.
    pub values: [T; POSEIDON2_WIDTH],
    /// 1 when the permutation's input is `values` with halves exchanged, else 0.
    pub swap: T,
    /// The first [`PAIR_HEAD`] compact permutation columns: its input, then round states.
    pub head: [T; PAIR_HEAD],
}

/// Main columns of the second row of a pair in the two-row layout.
#[repr(C)]
pub struct PairSecondRow<T> {
    /// The permutation's output (the last full round's state), on the columns of the first
    /// row's `values`: the row's messages read them.
    pub output: [T; POSEIDON2_WIDTH],
    /// The compact permutation columns after the first row's, before the output.
    pub tail: [T; PAIR_TAIL],
}

const _: () = assert!(
    size_of::<PairFirstRow<u8>>() == size_of::<PairSecondRow<u8>>(),
    "the two rows of a pair have one width"
);

// SAFETY: repr(C), fields of type T and arrays of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for PairFirstRow<T> {
    fn names() -> Vec<String> {
        let compact = column_names::<COMPACT_SBOX_REGISTERS>("permutation");
        let mut names: Vec<String> = array_names("values", POSEIDON2_WIDTH).collect();
        names.push("swap".into());
        names.extend(compact.into_iter().take(PAIR_HEAD));
        names
    }
}

// SAFETY: repr(C), arrays of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for PairSecondRow<T> {
    fn names() -> Vec<String> {
        let compact = column_names::<COMPACT_SBOX_REGISTERS>("permutation");
        let mut names: Vec<String> = compact[compact.len() - POSEIDON2_WIDTH..].to_vec();
        names.extend(compact.into_iter().skip(PAIR_HEAD).take(PAIR_TAIL));
        names
    }
}

/// Preprocessed columns of the two-row layout, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PairPreprocessed<T> {
    /// The slot of each message `k` of the row: input slot `k` on a first row, the slot of
    /// output `k` on a second row (0 where the output has none).
    pub slot: [T; POSEIDON2_WIDTH],
    /// Slot of the bit that orders the input's halves.
    pub swap_slot: T,
    /// 1 on the first row of every pair (padding included), whose constraints read both rows.
    pub first: T,
    /// Multiplicity of messages 0..8: 1 on a real permutation's first row, and on its second
    /// row when outputs 0..8 have slots.
    pub send_low: T,
    /// Multiplicity of messages 8..16: as `send_low`, for outputs 8..16.
    pub send_high: T,
    /// Multiplicity of the swap bit's message: 1 on a real permutation's first row.
    pub send_swap: T,
}

// SAFETY: repr(C), fields of type T and an array of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for PairPreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = array_names("slot", POSEIDON2_WIDTH).collect();
        names.extend(["swap_slot", "first", "send_low", "send_high", "send_swap"].map(String::from));
        names
    }
}

impl Poseidon2Layout {
    /// log2 of the smallest blowup a proof of the compact layout needs: its quotient's 8 chunks.
    pub const COMPACT_MIN_LOG_BLOWUP: usize = 3;

    /// Rows one permutation takes.
    pub fn rows_per_permutation(self) -> usize {
        match self {
            Poseidon2Layout::Registers | Poseidon2Layout::Compact => 1,
            Poseidon2Layout::TwoRows => 2,
        }
    }

    /// Whether the layout's quotient takes 8 chunks, so that a proof needs rate 1/8 or lower
    /// ([`Self::COMPACT_MIN_LOG_BLOWUP`]).
    pub fn needs_compact_rate(self) -> bool {
        self != Poseidon2Layout::Registers
    }

    /// The final circuit's layout under `parameters`: two rows of the compact layout where the
    /// rate allows its quotient, else with registers. The final proof is never verified inside
    /// a circuit, so only its size counts: the compact layout commits fewer columns (141 main,
    /// and fewer LogUp columns) for 6 more quotient chunks, and over two rows each column holds
    /// half a permutation.
    pub fn for_final(parameters: &ProofParameters) -> Self {
        if parameters.log_blowup >= Self::COMPACT_MIN_LOG_BLOWUP {
            Poseidon2Layout::TwoRows
        } else {
            Poseidon2Layout::Registers
        }
    }
}
