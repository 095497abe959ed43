//! Columns of the ecall chip.

use zkvm_bus::columns::{Columns, array_names};

/// One row per `ecall`, then padding rows (`is_halt = 0`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct EcallColumns<T> {
    /// Cycle index of the call.
    pub clk: T,
    /// Address of the `ecall`.
    pub pc: T,
    /// `a0` (the exit code of HALT), bytes.
    pub a0: [T; 4],
    /// 1 if the row is a HALT.
    pub is_halt: T,
}

// SAFETY: repr(C), fields of type T and an array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for EcallColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        names.extend(array_names("a0", 4));
        names.push("is_halt".into());
        names
    }
}
