//! The ecall chip: machine calls, received from the CPU on the `execute` bus. This version
//! proves HALT; WRITE and READ (which touch RAM) arrive with the RAM memory argument.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::EcallChip;
pub use columns::EcallColumns;
