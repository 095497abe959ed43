//! Columns of the multiply chip.

use zkvm_bus::columns::{Columns, array_names};

/// One row per multiplication, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MulColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// First operand (rs1), bytes.
    pub b: [T; 4],
    /// Second operand (rs2), bytes.
    pub c: [T; 4],
    /// Top bit of `b`.
    pub sign_b: T,
    /// Top bit of `c`.
    pub sign_c: T,
    /// Bytes 4..8 of `b` extended to 64 bits: 255 if `b` is read as signed and negative, else 0.
    pub b_high: T,
    /// The same for `c`.
    pub c_high: T,
    /// The low 64 bits of the product of the extended operands, bytes.
    pub product: [T; 8],
    /// Carries of the byte-wise product (each below 2^16).
    pub carry: [T; 8],
    /// 1 on a mul row.
    pub is_mul: T,
    /// 1 on a mulh row (signed x signed, high word).
    pub is_mulh: T,
    /// 1 on a mulhsu row (signed x unsigned, high word).
    pub is_mulhsu: T,
    /// 1 on a mulhu row (unsigned x unsigned, high word).
    pub is_mulhu: T,
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for MulColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        names.extend(array_names("b", 4));
        names.extend(array_names("c", 4));
        names.extend(["sign_b", "sign_c", "b_high", "c_high"].map(String::from));
        names.extend(array_names("product", 8));
        names.extend(array_names("carry", 8));
        names.extend(["is_mul", "is_mulh", "is_mulhsu", "is_mulhu"].map(String::from));
        names
    }
}
