//! The branch chip: comparisons (`slt sltu slti sltiu`) and conditional branches (`beq bne blt
//! bge bltu bgeu`), one row per instruction, received from the CPU on the `execute` bus. All of
//! them rest on one byte-wise subtraction of the operands.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{BRANCH_OPCODES, BranchChip};
pub use columns::BranchColumns;
