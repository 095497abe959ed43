//! Columns of the arithmetic table.

use zkvm_bus::columns::{Columns, array_names};

/// Main columns: the three operands' values.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithColumns<T> {
    /// First operand.
    pub a: [T; 5],
    /// Second operand.
    pub b: [T; 5],
    /// Result.
    pub out: [T; 5],
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithColumns<T> {
    fn names() -> Vec<String> {
        array_names("a", 5).chain(array_names("b", 5)).chain(array_names("out", 5)).collect()
    }
}

/// Preprocessed columns: the relation and its slots, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithPreprocessed<T> {
    /// Slot of `a`.
    pub a: T,
    /// Slot of `b`.
    pub b: T,
    /// Slot of `out`.
    pub out: T,
    /// 1 if the row checks `a + b = out`.
    pub is_add: T,
    /// 1 if the row checks `a * b = out` (never both; 0 and 0 on padding rows).
    pub is_mul: T,
}

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithPreprocessed<T> {
    fn names() -> Vec<String> {
        ["a_slot", "b_slot", "out_slot", "is_add", "is_mul"].map(String::from).to_vec()
    }
}
