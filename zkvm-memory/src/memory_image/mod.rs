//! The memory image table: the nonzero words the ELF loads, as a preprocessed trace (so the
//! verifying key fixes them), each sent exactly once on the `memory_image` bus to the RAM
//! boundary row of its address.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::MemoryImageChip;
pub use columns::{MemoryImageColumns, MemoryImagePreprocessed};
