//! Columns of the branch chip.

use zkvm_bus::columns::{Columns, array_names};

use super::air::BRANCH_OPCODES;

/// One row per instruction of the family, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct BranchColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// First operand `b = rs1`, bytes.
    pub rs1: [T; 4],
    /// `rs2`, bytes (the register forms' second operand).
    pub rs2: [T; 4],
    /// The immediate, bytes (slti, sltiu's operand; the branches' offset).
    pub imm: [T; 4],
    /// `rs1 - operand mod 2^32`, bytes.
    pub diff: [T; 4],
    /// Carries of `operand + diff`; the last is 1 exactly when `rs1 < operand` unsigned.
    pub carry: [T; 4],
    /// Sign bit of rs1.
    pub sign1: T,
    /// Sign bit of the operand.
    pub sign2: T,
    /// 1 if `rs1 < operand` as signed integers.
    pub less_signed: T,
    /// 1 if `rs1 = operand`.
    pub equal: T,
    /// Inverse of the sum of `diff`'s bytes when it is not zero (witness for `equal`).
    pub diff_sum_inverse: T,
    /// 1 if the row is a branch that is taken.
    pub taken: T,
    /// `selector[k]` is 1 if the row executes `BRANCH_OPCODES[k]`.
    pub selector: [T; BRANCH_OPCODES.len()],
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for BranchColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        for array in ["rs1", "rs2", "imm", "diff", "carry"] {
            names.extend(array_names(array, 4));
        }
        names.extend(
            ["sign1", "sign2", "less_signed", "equal", "diff_sum_inverse", "taken"].map(String::from),
        );
        names.extend(crate::chips::selector_names(&BRANCH_OPCODES));
        names
    }
}
