//! The byte table: answers every query on the `byte` bus (byte range checks and bitwise byte
//! operations) from a preprocessed table of all 2^16 byte pairs.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
#[cfg(test)]
mod tests;
mod trace;

pub use air::ByteTableChip;
pub use columns::{ByteTableColumns, ByteTablePreprocessed};
pub use trace::ByteCounts;

/// Number of rows: one per pair of bytes `(a, b)`, at row `256 a + b`.
pub const BYTE_TABLE_ROWS: usize = 1 << 16;
