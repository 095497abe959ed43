//! Columns of the arithmetic table.

use zkvm_bus::columns::{Columns, array_names};

/// Relations per row of the arithmetic table: relation `i` is lane `i % LANES` of row
/// `i / LANES`. Two lanes halve the table's height for the same cells, so that the node
/// circuits' arith tables are no taller than their witness tables (the tallest table sets the
/// length of every commitment's codeword and Merkle tree).
pub const LANES: usize = 2;

/// The main columns of one lane: the operands' values.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithLane<T> {
    /// First operand.
    pub a: [T; 5],
    /// Second operand.
    pub b: [T; 5],
    /// Result.
    pub out: [T; 5],
    /// Addend (a multiply-add lane's; zero on the others).
    pub c: [T; 5],
}

/// Main columns: [`LANES`] relations per row.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithColumns<T> {
    /// The row's relations' operands.
    pub lanes: [ArithLane<T>; LANES],
}

// SAFETY: repr(C), an array of repr(C) lanes whose fields are arrays of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithColumns<T> {
    fn names() -> Vec<String> {
        let mut names = Vec::new();
        for lane in 0..LANES {
            for operand in ["a", "b", "out", "c"] {
                names.extend(array_names(&format!("lane{lane}.{operand}"), 5));
            }
        }
        names
    }
}

/// The preprocessed columns of one lane: its relation and slots, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithFixedLane<T> {
    /// Slot of `a`.
    pub a: T,
    /// Slot of `b`.
    pub b: T,
    /// Slot of `out`.
    pub out: T,
    /// 1 if the lane checks `a + b = out`.
    pub is_add: T,
    /// 1 if the lane checks `a * b = out`.
    pub is_mul: T,
    /// Slot of `c` (a multiply-add lane's; zero on the others).
    pub c: T,
    /// 1 if the lane checks `a * b + c = out` (at most one selector is set; none on padding
    /// lanes).
    pub is_mul_add: T,
}

/// Preprocessed columns: each lane's relation and slots.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ArithPreprocessed<T> {
    /// The row's relations.
    pub lanes: [ArithFixedLane<T>; LANES],
}

// SAFETY: repr(C), an array of repr(C) lanes whose fields are of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithPreprocessed<T> {
    fn names() -> Vec<String> {
        (0..LANES)
            .flat_map(|lane| {
                ["a_slot", "b_slot", "out_slot", "is_add", "is_mul", "c_slot", "is_mul_add"]
                    .map(|name| format!("lane{lane}.{name}"))
            })
            .collect()
    }
}
