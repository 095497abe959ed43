//! The division chip: `div divu rem remu`, one row per instruction, received from the CPU on
//! the `execute` bus. It proves `b = q c + r` over 64-bit extensions with `|r| < |c|` and the
//! sign of `r` that of `b`, or `q = 2^32 - 1`, `r = b` when `c = 0`.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{DIVREM_OPCODES, DivRemChip};
pub use columns::DivRemColumns;
