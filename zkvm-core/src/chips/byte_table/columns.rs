//! Columns of the byte table.

use zkvm_bus::ByteOperation;

use crate::chips::columns::{Columns, array_names};

/// Number of byte operations, one multiplicity column each.
pub const NUM_BYTE_OPERATIONS: usize = ByteOperation::ALL.len();

/// Main columns (one row per byte pair).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ByteTableColumns<T> {
    /// `multiplicity[op]`: how many queries of operation `op` (a [`ByteOperation`] code) this
    /// segment made for the row's pair.
    pub multiplicity: [T; NUM_BYTE_OPERATIONS],
}

// SAFETY: repr(C), one array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ByteTableColumns<T> {
    fn names() -> Vec<String> {
        ByteOperation::ALL.iter().map(|op| format!("multiplicity_{}", op.name())).collect()
    }
}

/// Preprocessed columns: the operands and every operation's result, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ByteTablePreprocessed<T> {
    /// First operand, `row / 256`.
    pub a: T,
    /// Second operand, `row % 256`.
    pub b: T,
    /// `result[op]`: operation `op` applied to `(a, b)` (0 for the range check).
    pub result: [T; NUM_BYTE_OPERATIONS],
}

// SAFETY: repr(C), fields of type T and an array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ByteTablePreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["a".to_string(), "b".to_string()];
        names.extend(array_names("result", NUM_BYTE_OPERATIONS));
        names
    }
}
