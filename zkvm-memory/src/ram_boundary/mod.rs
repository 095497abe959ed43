//! The RAM boundary: one row per RAM cell a segment touches (and per word of the memory image),
//! strictly sorted by address, putting each cell's initial state on the memory bus and taking
//! its final state off it.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
mod trace;

pub use air::RamBoundaryChip;
pub use columns::RamBoundaryColumns;
pub use trace::{RamCell, ram_boundary_trace};

/// Largest distance between consecutive addresses of the boundary, minus one, plus one: gaps
/// are range-checked below 2^29 so that, with addresses below 2^30, a field difference in range
/// is a true integer increase (see the README's soundness section).
pub const MAX_ADDRESS_GAP: u32 = 1 << 29;
