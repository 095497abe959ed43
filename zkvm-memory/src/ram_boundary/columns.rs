//! Columns of the RAM boundary.

use zkvm_bus::columns::{Columns, array_names};

/// One row per cell of every leaf the segment touched, then padding rows (`is_real = 0`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct RamBoundaryColumns<T> {
    /// 1 on cell rows, 0 on padding rows.
    pub is_real: T,
    /// Word address of the cell.
    pub address: T,
    /// The cell's value at the start of the segment, bytes.
    pub initial: [T; 4],
    /// The cell's value at the end of the segment, bytes.
    pub last: [T; 4],
    /// Timestamp of the last access to the cell (0 if none).
    pub last_timestamp: T,
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for RamBoundaryColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = ["is_real", "address"].map(String::from).to_vec();
        names.extend(array_names("initial", 4));
        names.extend(array_names("last", 4));
        names.push("last_timestamp".into());
        names
    }
}
