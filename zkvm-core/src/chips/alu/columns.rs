//! Columns of the ALU chip.

use zkvm_bus::columns::{Columns, array_names};

use super::air::ALU_OPCODES;

/// One row per ALU instruction, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct AluColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// `rs1`, bytes.
    pub rs1: [T; 4],
    /// `rs2`, bytes (unused by the immediate forms).
    pub rs2: [T; 4],
    /// The immediate, bytes (unused by the register forms).
    pub imm: [T; 4],
    /// The result, bytes.
    pub rd: [T; 4],
    /// `selector[k]` is 1 if the row executes `ALU_OPCODES[k]`.
    pub selector: [T; ALU_OPCODES.len()],
    /// Carries of the byte-wise addition (add, addi: rs1 + operand = rd; sub: rd + rs2 = rs1).
    pub carry: [T; 4],
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for AluColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        for array in ["rs1", "rs2", "imm", "rd"] {
            names.extend(array_names(array, 4));
        }
        names.extend(crate::chips::selector_names(&ALU_OPCODES));
        names.extend(array_names("carry", 4));
        names
    }
}
