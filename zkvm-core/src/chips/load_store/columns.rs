//! Columns of the load/store chip.

use zkvm_bus::columns::{Columns, array_names};

use super::air::LOAD_STORE_OPCODES;
use zkvm_memory::AccessColumns;

/// One row per load or store, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadStoreColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// The base register's value, bytes.
    pub rs1: [T; 4],
    /// The stored register's value (stores), bytes.
    pub rs2: [T; 4],
    /// The offset, bytes.
    pub imm: [T; 4],
    /// The value loaded into rd (0 for stores), bytes.
    pub rd: [T; 4],
    /// One selector per operation, in `LOAD_STORE_OPCODES` order.
    pub selector: [T; 8],
    /// The byte address `rs1 + imm mod 2^32`, bytes.
    pub address: [T; 4],
    /// Carries of the address addition.
    pub address_carry: [T; 4],
    /// The two low bits of the address (the byte offset in the word).
    pub offset_bit: [T; 2],
    /// `address[0] >> 2`, below 64.
    pub word_low: T,
    /// `byte_select[k] = 1` exactly when the offset is k.
    pub byte_select: [T; 4],
    /// The word's value before the access, bytes.
    pub prev: [T; 4],
    /// The word's value after the access, bytes.
    pub value: [T; 4],
    /// The loaded byte (byte loads) or the low and high bytes of the loaded half-word.
    pub loaded: [T; 2],
    /// The sign bit of a signed sub-word load (0 otherwise).
    pub sign: T,
    /// Memory-argument columns of the RAM access.
    pub access: AccessColumns<T>,
}

// SAFETY: repr(C), fields of type T, arrays of T and AccessColumns<T> (itself repr(C) of T).
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for LoadStoreColumns<T> {
    fn names() -> Vec<String> {
        let mut names: Vec<String> = vec!["clk".into(), "pc".into()];
        for array in ["rs1", "rs2", "imm", "rd"] {
            names.extend(array_names(array, 4));
        }
        names.extend(crate::chips::selector_names(&LOAD_STORE_OPCODES));
        names.extend(array_names("address", 4));
        names.extend(array_names("address_carry", 4));
        names.extend(array_names("offset_bit", 2));
        names.push("word_low".into());
        names.extend(array_names("byte_select", 4));
        names.extend(array_names("prev", 4));
        names.extend(array_names("value", 4));
        names.extend(array_names("loaded", 2));
        names.push("sign".into());
        names.extend(AccessColumns::<T>::names("access"));
        names
    }
}
