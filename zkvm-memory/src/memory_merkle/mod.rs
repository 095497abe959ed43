//! The memory Merkle chip: proves that a segment's RAM boundary (the initial and final values of
//! every word of every leaf it touched) opens against the public memory root at the segment's
//! start and yields the public root at its end.
//!
//! See README.md beside this file for the columns, constraints, interactions and the soundness
//! argument.

mod air;
mod columns;
#[cfg(test)]
mod tests;
mod trace;

pub use air::{MemoryMerkleChip, NUM_PUBLIC_VALUES};
pub use columns::MemoryMerkleColumns;
pub use trace::{memory_merkle_trace, public_values};
