//! Columns of the witness table: a row is [`Lanes::witness`](crate::tables::Lanes) lanes
//! (main [`WitnessLane`], preprocessed [`WitnessFixedLane`]), lane `k` of row `r` holding slot
//! `lanes * r + k`.

use zkvm_bus::columns::{Columns, array_names};

/// The main columns of one lane: one slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessLane<T> {
    /// The slot's value, coefficient of `X^k` at `k`.
    pub value: [T; 5],
}

// SAFETY: repr(C), one array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessLane<T> {
    fn names() -> Vec<String> {
        array_names("value", 5).collect()
    }
}

/// Preprocessed columns: fixed by the verifying key, the row number, then the lanes'
/// [`WitnessFixedLane`]s. The circuit's constants are not here but in the public table
/// (`crate::tables::public`), which writes each to its slot.
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

/// The preprocessed column of one lane, after the row number.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessFixedLane<T> {
    /// How many times the other tables read or write the lane's slot: the circuit's structure
    /// fixes it (each relation, permutation and public or constant row that names the slot), so
    /// the key holds it and the proof does not send it (0 on slots past the circuit's).
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessFixedLane<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".to_string()]
    }
}
