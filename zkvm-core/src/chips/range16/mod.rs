//! The 16-bit range table: answers every query on the `range16` bus.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
#[cfg(test)]
mod tests;
mod trace;

pub use air::Range16Chip;
pub use columns::{Range16Columns, Range16Preprocessed};
pub use trace::Range16Counts;

/// Number of rows: one per value in `0..2^16`.
pub const RANGE16_ROWS: usize = 1 << 16;
