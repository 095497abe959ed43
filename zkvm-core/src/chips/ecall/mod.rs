//! The ecall chip: machine calls (HALT, WRITE, READ_WORD, INPUT_LENGTH, COMMIT), received from
//! the CPU on the `execute` bus. READ_WORD and COMMIT move one word or byte between `a0` and the
//! statement's input or public output, through the io table.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{ECALLS, EcallChip, NUM_ECALL_PUBLIC_VALUES};
pub use columns::EcallColumns;
