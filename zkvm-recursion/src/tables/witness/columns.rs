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

/// The preprocessed columns of one lane: whether its slot is a constant, and which.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessFixedLane<T> {
    /// 1 if the slot is a constant of the circuit.
    pub is_constant: T,
    /// The constant (zero for other slots).
    pub constant: [T; 5],
}

/// Preprocessed columns: fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessPreprocessed<T> {
    /// The row number: lane `k` provides slot `LANES * row + k`, so every slot is provided
    /// exactly once.
    pub row: T,
    /// Each lane's constant.
    pub lanes: [WitnessFixedLane<T>; LANES],
}

// SAFETY: repr(C), a field of type T, then arrays of repr(C) lanes of fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessPreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["row".to_string()];
        for lane in 0..LANES {
            names.push(format!("lane{lane}.is_constant"));
            names.extend(array_names(&format!("lane{lane}.constant"), 5));
        }
        names
    }
}
