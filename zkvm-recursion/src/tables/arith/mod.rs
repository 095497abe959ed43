//! The arithmetic table: [`LANES`] relations `a + b = out` or `a * b = out` over the degree-5
//! extension per row, each reading its three slots from the `witness` bus.

mod air;
mod columns;
mod trace;

pub use air::ArithChip;
pub use columns::{ArithColumns, ArithFixedLane, ArithLane, ArithPreprocessed, LANES};
