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
    /// The sign-extended immediate, least significant byte first.
    pub imm: [T; 4],
    /// 1 if `rd` is not x0, else 0.
    pub rd_nonzero: T,
}

// SAFETY: repr(C), fields of type T and an array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ProgramPreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = ["pc", "opcode", "rd", "rs1", "rs2"].map(String::from).to_vec();
        names.extend(crate::chips::columns::array_names("imm", 4));
        names.push("rd_nonzero".into());
        names
    }
}
