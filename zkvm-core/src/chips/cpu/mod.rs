//! The CPU chip: one row per executed instruction. It sequences the pc, fetches each
//! instruction from the program table, reads `rs1` and `rs2` and writes `rd` through the memory
//! argument, and hands the instruction with its operands and result to the chip of its family
//! on the `execute` bus.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{CpuChip, NUM_CPU_PUBLIC_VALUES};
pub use columns::CpuColumns;
