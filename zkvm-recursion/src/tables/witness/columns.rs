//! Columns of the witness table.

use zkvm_bus::columns::{Columns, array_names};

/// Main columns: one row per slot.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessColumns<T> {
    /// The slot's value, coefficient of `X^k` at `k`.
    pub value: [T; 5],
    /// How many times the other tables read or write the slot (free: LogUp with fewer than
    /// `p` queries forces it to equal the number of queries).
    pub multiplicity: T,
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = array_names("value", 5).collect();
        names.push("multiplicity".into());
        names
    }
}

/// Preprocessed columns: fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessPreprocessed<T> {
    /// The slot: row `i` is slot `i`, so every slot is provided exactly once.
    pub index: T,
    /// 1 if the slot is a constant of the circuit.
    pub is_constant: T,
    /// The constant (zero for other slots).
    pub constant: [T; 5],
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for WitnessPreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["index".to_string(), "is_constant".to_string()];
        names.extend(array_names("constant", 5));
        names
    }
}
