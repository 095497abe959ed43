//! The RAM boundary: one row per RAM cell of every leaf (8 aligned words) a segment touches,
//! putting each cell's initial state on the memory bus, taking its final state off it, and
//! handing both values to the memory Merkle chip, which opens them against the memory roots.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
mod trace;

pub use air::RamBoundaryChip;
pub use columns::RamBoundaryColumns;
pub use trace::{RamCell, ram_boundary_trace};
