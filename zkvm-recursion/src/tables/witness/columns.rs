//! Columns of the witness table.

use zkvm_bus::columns::{Columns, array_names};

/// Slots per row of the witness table: slot `s` is lane `s % LANES` of row `s / LANES`. Eight
/// lanes make the table an eighth as tall for the same cells: a node circuit has about four
/// slots per relation (and the arith table two relations per row), and its tallest table sets
/// the length of every commitment's codeword and Merkle tree, so the prover's time and memory.
pub const LANES: usize = 8;

/// The main columns of one lane: one slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessLane<T> {
    /// The slot's value, coefficient of `X^k` at `k`.
    pub value: [T; 5],
    /// How many times the other tables read or write the slot (free: LogUp with fewer than
    /// `p` queries forces it to equal the number of queries).
    pub multiplicity: T,
}

/// Main columns: [`LANES`] slots per row.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessColumns<T> {
    /// The row's slots, lane `k` holding slot `LANES * row + k`.
    pub lanes: [WitnessLane<T>; LANES],
}

// SAFETY: repr(C), arrays of repr(C) lanes whose fields are of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessColumns<T> {
    fn names() -> Vec<String> {
        (0..LANES)
            .flat_map(|lane| {
                let mut names: Vec<String> = array_names(&format!("lane{lane}.value"), 5).collect();
                names.push(format!("lane{lane}.multiplicity"));
                names
            })
            .collect()
    }
}

/// Preprocessed columns: fixed by the verifying key. The circuit's constants are not here but
/// in the public table (`crate::tables::public`), which writes each to its slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessPreprocessed<T> {
    /// The row number: lane `k` provides slot `LANES * row + k`, so every slot is provided
    /// exactly once.
    pub row: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessPreprocessed<T> {
    fn names() -> Vec<String> {
        vec!["row".to_string()]
    }
}
