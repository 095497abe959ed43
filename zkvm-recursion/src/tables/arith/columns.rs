//! Columns of the arithmetic table: a row is [`Lanes::arith`](crate::tables::Lanes) lanes, each
//! one relation (main [`ArithLane`], preprocessed [`ArithFixedLane`]); relation `i` is lane
//! `i % lanes` of row `i / lanes`.

use zkvm_bus::columns::{Columns, array_names};

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

// SAFETY: repr(C), arrays of T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithLane<T> {
    fn names() -> Vec<String> {
        ["a", "b", "out", "c"].into_iter().flat_map(|operand| array_names(operand, 5)).collect()
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

// SAFETY: repr(C), fields of type T only.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ArithFixedLane<T> {
    fn names() -> Vec<String> {
        ["a_slot", "b_slot", "out_slot", "is_add", "is_mul", "c_slot", "is_mul_add"]
            .map(String::from)
            .to_vec()
    }
}
