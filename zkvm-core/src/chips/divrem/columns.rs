//! Columns of the division chip.

use zkvm_bus::columns::{Columns, array_names};

use super::air::DIVREM_OPCODES;

/// One row per division or remainder, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct DivRemColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// Dividend (rs1), bytes.
    pub b: [T; 4],
    /// Divisor (rs2), bytes.
    pub c: [T; 4],
    /// Quotient, bytes.
    pub q: [T; 4],
    /// Remainder, bytes.
    pub r: [T; 4],
    /// One selector per operation, in `DIVREM_OPCODES` order: div, divu, rem, remu.
    pub selector: [T; 4],
    /// Top bits of b, c and r.
    pub sign: [T; 3],
    /// b, c, r read as negative: the top bit on signed rows, 0 on unsigned rows.
    pub negative: [T; 3],
    /// 1 if the quotient is negative as a 64-bit value (its extension bytes are 255).
    pub quotient_negative: T,
    /// 1 if c = 0.
    pub c_zero: T,
    /// Inverse of the sum of c's bytes (when c is not 0).
    pub c_sum_inverse: T,
    /// Carries of the 64-bit relation q c + r = b (each below 2^16).
    pub carry: [T; 8],
    /// |c| as an unsigned 32-bit value, bytes.
    pub c_abs: [T; 4],
    /// Carries of c + |c| = 2^32 (negative c).
    pub c_abs_carry: [T; 4],
    /// |r|, bytes.
    pub r_abs: [T; 4],
    /// Carries of r + |r| = 2^32 (negative r).
    pub r_abs_carry: [T; 4],
    /// |c| - |r| - 1, bytes (when c is not 0).
    pub slack: [T; 4],
    /// Carries of |r| + slack + 1 = |c|.
    pub slack_carry: [T; 4],
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for DivRemColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = vec!["clk".into(), "pc".into()];
        for array in ["b", "c", "q", "r"] {
            names.extend(array_names(array, 4));
        }
        names.extend(crate::chips::selector_names(&DIVREM_OPCODES));
        names.extend(
            ["sign_b", "sign_c", "sign_r", "negative_b", "negative_c", "negative_r"].map(String::from),
        );
        names.extend(["quotient_negative", "c_zero", "c_sum_inverse"].map(String::from));
        names.extend(array_names("carry", 8));
        for array in ["c_abs", "c_abs_carry", "r_abs", "r_abs_carry", "slack", "slack_carry"] {
            names.extend(array_names(array, 4));
        }
        names
    }
}
