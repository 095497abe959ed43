//! The register boundary: puts the initial states of the 32 registers and of the two stream
//! positions on the memory bus and takes their final states off it, with both bound to the
//! proof's public values.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
mod trace;

pub use air::{BoundaryState, RegisterBoundaryChip, public_values};
pub use columns::RegisterBoundaryColumns;
pub use trace::register_boundary_trace;

/// Number of public values: the start and end values of the 32 registers, four bytes each, then
/// the start and end stream positions (input, output; start first).
pub const NUM_PUBLIC_VALUES: usize = 2 * 32 * 4 + 4;

/// Where the stream positions start in the public values.
pub const STREAM_PUBLIC_OFFSET: usize = 2 * 32 * 4;
