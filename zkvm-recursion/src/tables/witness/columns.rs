//! Columns of the witness table: a row is [`Lanes::witness`](crate::tables::Lanes) lanes
//! ([`WitnessLane`]), lane `k` of row `r` holding slot `lanes * r + k`.

use zkvm_bus::columns::{Columns, array_names};

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

// SAFETY: repr(C), fields that are arrays of T or T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessLane<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = array_names("value", 5).collect();
        names.push("multiplicity".to_string());
        names
    }
}

/// Preprocessed columns: fixed by the verifying key. The circuit's constants are not here but
/// in the public table (`crate::tables::public`), which writes each to its slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessPreprocessed<T> {
    /// The row number: lane `k` provides slot `lanes * row + k`, so every slot is provided
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
