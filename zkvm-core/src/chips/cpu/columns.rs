//! Columns of the CPU chip.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_memory::AccessColumns;

/// One row per executed instruction, then padding rows (`is_real = 0`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuColumns<T> {
    /// 1 on rows of executed instructions, 0 on padding rows at the end.
    pub is_real: T,
    /// Cycle index within the segment (the row index).
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// Address of the next instruction.
    pub next_pc: T,
    /// Fetched: the operation.
    pub opcode: T,
    /// Fetched: destination register.
    pub rd: T,
    /// Fetched: first source register.
    pub rs1: T,
    /// Fetched: second source register.
    pub rs2: T,
    /// Fetched: the immediate, bytes.
    pub imm: [T; 4],
    /// Fetched: 1 if rd is not x0.
    pub rd_nonzero: T,
    /// Value read from rs1, bytes.
    pub rs1_value: [T; 4],
    /// Value read from rs2, bytes.
    pub rs2_value: [T; 4],
    /// Value written to rd, bytes.
    pub rd_value: [T; 4],
    /// Value rd held before the write, bytes.
    pub rd_prev_value: [T; 4],
    /// Memory-argument columns of the rs1 read.
    pub rs1_access: AccessColumns<T>,
    /// Memory-argument columns of the rs2 read.
    pub rs2_access: AccessColumns<T>,
    /// Memory-argument columns of the rd write.
    pub rd_access: AccessColumns<T>,
}

// SAFETY: repr(C), fields of type T, arrays of T and AccessColumns<T> (itself repr(C) of T).
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for CpuColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> =
            ["is_real", "clk", "pc", "next_pc", "opcode", "rd", "rs1", "rs2"].map(String::from).to_vec();
        names.extend(array_names("imm", 4));
        names.push("rd_nonzero".into());
        for array in ["rs1_value", "rs2_value", "rd_value", "rd_prev_value"] {
            names.extend(array_names(array, 4));
        }
        for access in ["rs1_access", "rs2_access", "rd_access"] {
            names.extend(AccessColumns::<T>::names(access));
        }
        names
    }
}
