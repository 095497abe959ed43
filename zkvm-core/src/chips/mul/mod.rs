//! The multiply chip: `mul mulh mulhsu mulhu`, one row per instruction, received from the CPU on
//! the `execute` bus: a byte-wise schoolbook product of the (sign-extended) operands.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{MUL_OPCODES, MulChip};
pub use columns::MulColumns;
