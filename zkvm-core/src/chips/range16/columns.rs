//! Columns of the 16-bit range table.

use crate::chips::columns::Columns;

/// Main columns (one row per value).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Range16Columns<T> {
    /// How many `range16` queries this segment made for the row's value.
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Range16Columns<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".into()]
    }
}

/// Preprocessed columns: fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Range16Preprocessed<T> {
    /// The row's value: row `i` holds `i`, for `i` in `0..2^16`.
    pub value: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for Range16Preprocessed<T> {
    fn names() -> Vec<String> {
        vec!["value".into()]
    }
}
