//! The arithmetic table: one row per relation `a + b = out` or `a * b = out` over the degree-5
//! extension, reading its three slots from the `witness` bus.

mod air;
mod columns;
mod trace;

pub use air::ArithChip;
pub use columns::{ArithColumns, ArithPreprocessed};
