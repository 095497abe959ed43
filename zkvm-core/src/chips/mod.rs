//! The chips of the RV32IM machine, one folder each: columns (a `#[repr(C)]` struct), AIR,
//! trace generation, tests, and a README listing columns, numbered constraints and
//! interactions.

use p3_field::PrimeCharacteristicRing;

use crate::isa::Opcode;

pub mod alu;
pub mod branch;
pub mod byte_table;
pub mod cpu;
pub mod divrem;
pub mod ecall;
pub mod io_table;
pub mod jump;
pub mod load_store;
pub mod mul;
pub use zkvm_bus::columns;
pub mod program;
pub mod range16;
#[cfg(test)]
mod readme_rows;
pub mod shift;
#[cfg(test)]
pub(crate) mod testing;

/// Column names of a family chip's selectors, `is_<mnemonic>` in `opcodes` order (the order
/// of the `selector` array and of [`selected_opcode`]).
pub(crate) fn selector_names(opcodes: &[Opcode]) -> impl Iterator<Item = String> + '_ {
    opcodes.iter().map(|op| format!("is_{}", op.mnemonic()))
}

/// The opcode a family chip's row sends on the `execute` bus: `sum_k selector[k] *
/// opcodes[k].index()`. The chip constrains its selectors boolean with at most one set, so this
/// is the selected operation's index (or 0 on padding rows, whose multiplicity is 0).
pub(crate) fn selected_opcode<E: PrimeCharacteristicRing>(
    opcodes: &[Opcode],
    selectors: impl IntoIterator<Item = E>,
) -> E {
    opcodes.iter().zip(selectors).fold(E::ZERO, |sum, (op, s)| sum + s * E::from_usize(op.index()))
}
