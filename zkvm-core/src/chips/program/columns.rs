//! Columns of the program table.

use crate::chips::columns::Columns;

/// Main columns (one row per instruction word, then padding).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgramColumns<T> {
    /// How many times the segment fetched the row's instruction.
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ProgramColumns<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".into()]
    }
}

/// Preprocessed columns: the decoded program, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgramPreprocessed<T> {
    /// Address of the instruction.
    pub pc: T,
    /// `Opcode::index()` of the decoded instruction (`Opcode::Invalid` for words that do not
    /// decode, and on padding rows).
    pub opcode: T,
    /// Destination register.
    pub rd: T,
    /// First source register.
    pub rs1: T,
    /// Second source register.
    pub rs2: T,
    /// Low 16 bits of the immediate.
    pub imm_lo: T,
    /// High 16 bits of the immediate.
    pub imm_hi: T,
}

// SAFETY: repr(C), seven fields of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ProgramPreprocessed<T> {
    fn names() -> Vec<String> {
        ["pc", "opcode", "rd", "rs1", "rs2", "imm_lo", "imm_hi"].map(String::from).to_vec()
    }
}
