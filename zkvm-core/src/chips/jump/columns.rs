//! Columns of the jump chip.

use zkvm_bus::columns::{Columns, array_names};

/// One row per instruction of the family, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JumpColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// `pc` as bytes (checked to recompose `pc`, below the field modulus).
    pub pc_bytes: [T; 4],
    /// `rs1` (jalr's base), bytes.
    pub rs1: [T; 4],
    /// The immediate, bytes.
    pub imm: [T; 4],
    /// The value written to rd, bytes.
    pub rd: [T; 4],
    /// The 32-bit sum `base + imm` (base = rs1 for jalr, pc otherwise), bytes.
    pub sum: [T; 4],
    /// Carries of `base + imm`.
    pub sum_carry: [T; 4],
    /// Carries of `pc + 4` (the link address of jal and jalr).
    pub link_carry: [T; 4],
    /// Bit 0 of `sum` (jalr clears it).
    pub sum_bit0: T,
    /// `(sum[0] - sum_bit0) / 2`.
    pub sum_half0: T,
    /// 1 on a jal row.
    pub is_jal: T,
    /// 1 on a jalr row.
    pub is_jalr: T,
    /// 1 on a lui row.
    pub is_lui: T,
    /// 1 on an auipc row.
    pub is_auipc: T,
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for JumpColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        for array in ["pc_bytes", "rs1", "imm", "rd", "sum", "sum_carry", "link_carry"] {
            names.extend(array_names(array, 4));
        }
        names.extend(["sum_bit0", "sum_half0", "is_jal", "is_jalr", "is_lui", "is_auipc"].map(String::from));
        names
    }
}
