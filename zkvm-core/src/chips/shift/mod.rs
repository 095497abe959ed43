//! The shift chip: `sll srl sra slli srli srai`, one row per instruction, received from the CPU
//! on the `execute` bus.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{SHIFT_OPCODES, ShiftChip};
pub use columns::ShiftColumns;
