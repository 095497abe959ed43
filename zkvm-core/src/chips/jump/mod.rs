//! The jump chip: `jal jalr lui auipc`, one row per instruction, received from the CPU on the
//! `execute` bus.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{JUMP_OPCODES, JumpChip, PC_TOP_BYTE_LIMIT};
pub use columns::JumpColumns;
