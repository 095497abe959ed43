//! The ALU chip: `add sub xor or and` and `addi xori ori andi`, one row per instruction,
//! received from the CPU on the `execute` bus.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{ALU_OPCODES, AluChip};
pub use columns::AluColumns;
