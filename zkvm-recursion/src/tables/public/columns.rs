//! Preprocessed columns of the public table.

use zkvm_bus::columns::{Columns, array_names};

use crate::tables::ext::DEGREE;

/// Preprocessed columns: fixed by the verifying key. The table has no other witness than a
/// zero main column.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PublicPreprocessed<T> {
    /// 1 on the first row only, which writes the public inputs (a bit, U2).
    pub is_public_row: T,
    /// 1 on the rows that write a constant of the circuit (one per row, from the first).
    pub is_constant: T,
    /// The slot of the row's constant.
    pub constant_slot: T,
    /// The row's constant, coefficient of `X^k` at `k` (zero on the other rows).
    pub constant: [T; DEGREE],
}

// SAFETY: repr(C), fields of type T and an array of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for PublicPreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["is_public_row".to_string(), "is_constant".into(), "constant_slot".into()];
        names.extend(array_names("constant", DEGREE));
        names
    }
}
